from .shelters import *  # noqa: F403
