from .parallel_render import *  # noqa: F403
