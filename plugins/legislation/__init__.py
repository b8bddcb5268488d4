from .legislation import *  # noqa: F403
