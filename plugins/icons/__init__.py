from .icons import *  # noqa: F403
