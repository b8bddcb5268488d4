from .checks import *  # noqa: F403
