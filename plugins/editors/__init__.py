from .editors import *  # noqa: F403
