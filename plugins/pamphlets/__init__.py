from .pamphlets import *  # noqa: F403
