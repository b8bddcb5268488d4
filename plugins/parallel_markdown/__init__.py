from .parallel_markdown import *  # noqa: F403
