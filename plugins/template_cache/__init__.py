from .template_cache import *  # noqa: F403
