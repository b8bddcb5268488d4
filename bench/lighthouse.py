"""Lighthouse scores of the publish build, page by page (`invoke lighthouse`).

Builds the bundled content with publishconf.py into .bench/lighthouse/, serves it on the
loopback, and runs Lighthouse (the npm package, installed once into .cache/lighthouse/; it
drives Debian's Chromium) on the pages a visitor meets first, in both languages. Scores are
timings as much as checks, so they live here, beside the bench, not in the test suite.
Targets (issue 18): performance at least 0.98, accessibility, best practices and SEO 1.0.
The exit status is 1 when a page misses one.

The server is Python's, without compression: nginx (deploy/nginx.conf) only does better.
"""

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".bench", "lighthouse")
TOOL = os.path.join(ROOT, ".cache", "lighthouse")
VERSION = "12"
PAGES = [
    "/",
    "/linea-contra-la-trata/",
    "/refugios/",
    "/folletos/",
    "/eventos/",
    "/legislacion/",
    "/articulos/senales/",
    "/navegar-con-seguridad/",
    "/buscar/",
    "/en/",
    "/en/hotline/",
    "/en/legislation/",
]
TARGETS = {"performance": 0.98, "accessibility": 1, "best-practices": 1, "seo": 1}
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def lighthouse():
    binary = os.path.join(TOOL, "node_modules", ".bin", "lighthouse")
    if not os.path.exists(binary):
        if not shutil.which("npm"):
            sys.exit("lighthouse needs Node.js and npm (apt-get install nodejs npm)")
        os.makedirs(TOOL, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", f"lighthouse@{VERSION}"],
            cwd=TOOL,
            check=True,
        )
    return binary


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder):
    handler = functools.partial(QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=PAGES, help="paths to score")
    args = parser.parse_args()
    binary = lighthouse()
    output = os.path.join(WORK, "site")
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    server = serve(output)  # the port must be known before the build (absolute URLs)
    siteurl = f"http://127.0.0.1:{server.server_port}"
    build = subprocess.run(
        [sys.executable, "-m", "pelican", os.path.join(ROOT, "content"), "-o", output]
        + ["-s", os.path.join(ROOT, "publishconf.py"), "--fatal", "warnings"]
        + ["--log-handler", "plain", "-e", f'CACHE_PATH="{os.path.join(WORK, "cache")}"'],
        env={**os.environ, "SITEURL": siteurl},
        capture_output=True,
        text=True,
    )
    if build.returncode:
        sys.exit(build.stdout + build.stderr + "\nthe publish build failed")
    missed = 0
    print(f"{'page':32} " + " ".join(f"{name:>14}" for name in TARGETS))
    for page in args.pages:
        report = os.path.join(WORK, page.strip("/").replace("/", "_") or "home") + ".json"
        subprocess.run(
            [binary, siteurl + page, "--quiet", f"--chrome-flags={FLAGS}"]
            + ["--output=json", f"--output-path={report}"],
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
            check=True,
        )
        with open(report, encoding="utf-8") as handle:
            scores = {k: v["score"] for k, v in json.load(handle)["categories"].items()}
        low = [name for name, target in TARGETS.items() if (scores.get(name) or 0) < target]
        missed += bool(low)
        cells = " ".join(f"{scores.get(name, 0):>14.2f}" for name in TARGETS)
        print(f"{page:32} {cells}" + ("  below target: " + ", ".join(low) if low else ""))
    server.shutdown()
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
