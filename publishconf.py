"""Publishing settings: absolute URLs and a clean output folder."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://alertatrata.example.org")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

# Precompressed copies (page.html.gz) for hosts that serve them as is (nginx gzip_static). They
# are written on the "compress" signal, before plugins.atomic swaps the output in on "deploy".
PLUGINS = [*PLUGINS[:-1], "pelican.plugins.precompress", PLUGINS[-1]]  # noqa: F405
PRECOMPRESS_GZIP = True
PRECOMPRESS_BROTLI = False  # nginx in Debian has no brotli module by default
PRECOMPRESS_ZOPFLI = False
PRECOMPRESS_ZSTANDARD = False
