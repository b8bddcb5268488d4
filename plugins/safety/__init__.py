from .safety import *  # noqa: F403
