from .cards import *  # noqa: F403
