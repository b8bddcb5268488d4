from .images import *  # noqa: F403
