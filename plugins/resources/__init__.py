from .resources import *  # noqa: F403
