"""Publishing settings: absolute URLs and a clean output folder."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://alertatrata.example.org")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
# The publish build: finished, confirmed content only (see PREVIEW in pelicanconf.py).
PREVIEW = False
# No draft is written (Pelican's defaults would write draft pages under drafts/).
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
# The preview's problem banner script is for editors only.
IGNORE_FILES = [*IGNORE_FILES, "preview.js"]  # noqa: F405
DELETE_OUTPUT_DIRECTORY = True

# Precompressed copies (page.html.gz) for hosts that serve them as is (nginx gzip_static). They
# are written on the "compress" signal, before plugins.atomic swaps the output in on "deploy".
PLUGINS = [*PLUGINS[:-1], "pelican.plugins.precompress", PLUGINS[-1]]  # noqa: F405
PRECOMPRESS_GZIP = True
PRECOMPRESS_BROTLI = False  # nginx in Debian has no brotli module by default
PRECOMPRESS_ZOPFLI = False
PRECOMPRESS_ZSTANDARD = False

# Where `invoke publish` sends the site (each can be overridden on the command line).
#   folder:   copy into a local folder (a web server's root), swapped in by renames
#   rsync:    rsync over SSH; --delay-updates puts files in place only at the end
#   gh-pages: ghp-import commits output/ to a branch and pushes it, in one commit
#   s3:       any S3-compatible bucket, with the AWS command-line tool (see README)
PUBLISH = {
    "target": os.environ.get("PUBLISH_TARGET", "folder"),
    "folder": os.environ.get("PUBLISH_FOLDER", "/var/www/alertatrata"),
    "rsync": os.environ.get("PUBLISH_RSYNC", "deploy@alertatrata.example.org:/var/www/alertatrata"),
    "gh_pages_branch": "gh-pages",
    "gh_pages_remote": "origin",
    "s3": os.environ.get("PUBLISH_S3", "s3://alertatrata-example"),
}
