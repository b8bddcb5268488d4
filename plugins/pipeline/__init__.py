from .pipeline import *  # noqa: F403
