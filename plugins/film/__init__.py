from .film import *  # noqa: F403
