from .atomic import *  # noqa: F403
