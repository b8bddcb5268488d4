"""Serving for real: nginx (Debian) with deploy/nginx.conf over a publish build, in Chromium."""

import gzip
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, html_files
from playwright.sync_api import Error as PlaywrightError

from browser.conftest import PHONE
from plugins.deploy.deploy import page_policy

pytestmark = pytest.mark.browser
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def settings():
    from pelican.settings import read_settings

    return read_settings(str(ROOT / "publishconf.py"))


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    """A publish build of content/, served by a real nginx on 127.0.0.1 with our config."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: .ci/run installs it (apt-get install nginx)")
    base = tmp_path_factory.mktemp("nginx")
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    output = base / "www"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(CONTENT),
            "-o",
            str(output),
            "-s",
            str(ROOT / "publishconf.py"),
            "--fatal",
            "warnings",
            "--log-handler",
            "plain",
            "-e",
            f'CACHE_PATH="{base}/cache"',
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "SITEURL": site},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    server = (ROOT / "deploy" / "nginx.conf").read_text()
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};")
    server = server.replace("root /var/www/alertatrata;", f"root {output};")
    server = server.replace(
        "/etc/nginx/snippets/alertatrata-headers.conf",
        str(ROOT / "deploy" / "security-headers.conf"),
    )
    (base / "site.conf").write_text(server)
    temp = "\n".join(
        f"  {name}_temp_path {base}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (base / "nginx.conf").write_text(
        f"user root;\nworker_processes 1;\ndaemon off;\npid {base}/nginx.pid;\n"
        f"error_log {base}/error.log;\nevents {{}}\nhttp {{\n"
        f"  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  access_log off;\n{temp}\n  include {base}/site.conf;\n}}\n"
    )
    process = subprocess.Popen(
        [NGINX, "-c", str(base / "nginx.conf"), "-p", str(base)], stderr=subprocess.PIPE
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("nginx did not start: " + process.stderr.read().decode())
    yield {"url": site, "output": output}
    process.terminate()
    process.wait(timeout=10)


def get(url, encoding=None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding or "identity"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_every_page_is_served_with_its_own_csp_and_the_security_headers(nginx):
    expected = dict(settings()["SECURITY_HEADERS"])
    expected.pop("Content-Security-Policy")
    pages = [p for p in html_files(nginx["output"]) if "_editors" not in p.parts]
    assert len(pages) > 30
    for path in pages:
        relative = path.relative_to(nginx["output"]).as_posix()
        url = nginx["url"] + "/" + relative.removesuffix("index.html")
        status, headers, body = get(url)
        assert status == 200, url
        meta = html.unescape(META_CSP.search(body.decode()).group(1))
        assert headers["Content-Security-Policy"] == page_policy(meta), url
        for name, value in expected.items():
            assert headers[name] == value, (url, name)


def test_pages_revalidate_and_hashed_assets_are_immutable(nginx):
    status, headers, body = get(nginx["url"] + "/")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    css = re.search(r'href="[^"]*(/theme/css/site\.[0-9a-f]{10}\.css)"', body.decode()).group(1)
    status, headers, _ = get(nginx["url"] + css)
    assert status == 200 and "immutable" in headers["Cache-Control"]
    assert "max-age=31536000" in headers["Cache-Control"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_precompressed_files_are_served_gzipped(nginx):
    for path in ("/", "/en/hotline/", "/sitemap.xml"):
        status, headers, body = get(nginx["url"] + path, encoding="gzip")
        assert status == 200 and headers["Content-Encoding"] == "gzip", path
        local = nginx["output"] / path.strip("/")
        local = local / "index.html" if local.is_dir() else local
        assert gzip.decompress(body) == local.read_bytes(), path
    assert (nginx["output"] / "index.html.gz").exists()


@pytest.mark.parametrize(
    "path, lang, title",
    [
        ("/no-existe/", "es-MX", "Página no encontrada"),
        ("/en/nothing-here/", "en", "Page not found"),
    ],
)
def test_each_language_gets_its_own_404(nginx, path, lang, title):
    status, _headers, body = get(nginx["url"] + path)
    text = body.decode()
    assert status == 404 and f'<html lang="{lang}">' in text and f"<h1>{title}</h1>" in text


def test_editors_report_is_not_served(nginx):
    assert get(nginx["url"] + "/_editors/")[0] == 403


def test_nginx_and_host_headers_match_the_settings(nginx):
    snippet = (ROOT / "deploy" / "security-headers.conf").read_text()
    served = dict(re.findall(r'add_header (\S+) "([^"]+)" always;', snippet))
    wanted = dict(settings()["SECURITY_HEADERS"])
    assert page_policy(settings()["CONTENT_SECURITY_POLICY"]) == wanted.pop(
        "Content-Security-Policy"
    )
    assert served == wanted
    host_file = (nginx["output"] / "_headers").read_text()
    for name, value in settings()["SECURITY_HEADERS"].items():
        assert f"  {name}: {value}" in host_file


def test_chromium_through_nginx(visit, nginx):
    v = visit(viewport=PHONE)
    errors = []
    v.page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for path in ("/", "/en/articles/signs/", "/linea-contra-la-trata/", "/buscar/"):
        response = v.page.goto(nginx["url"] + path)
        assert response.status == 200
        assert response.headers["referrer-policy"] == "no-referrer"
        v.page.locator('a[href="tel:+528005533000"]').first.wait_for()
    assert errors == [] and v.external == []


def test_hotline_page_opens_offline_once_saved(visit, nginx):
    v = visit(viewport=PHONE)
    v.page.goto(nginx["url"] + "/linea-contra-la-trata/")
    # Offline by choice (issue 18): nothing is stored until the visitor presses the button.
    assert v.page.evaluate("navigator.serviceWorker.getRegistrations()") == []
    v.page.get_by_role("button", name="Guardar esta página para usarla sin conexión").click()
    v.page.wait_for_function(
        "() => document.querySelector('[data-offline-status]').textContent.startsWith('Guardada')"
    )
    v.context.set_offline(True)
    v.page.goto(nginx["url"] + "/linea-contra-la-trata/")
    assert "800 5533 000" in v.page.text_content("main")
    cached = v.page.evaluate("""async () => {
        const names = await caches.keys(); const urls = [];
        for (const name of names) { for (const r of await (await caches.open(name)).keys())
            urls.push(new URL(r.url).pathname); }
        return urls; }""")
    assert "/linea-contra-la-trata/" in cached
    assert not [u for u in cached if "pagefind" in u or "buscar" in u or "search" in u]
    assert "/articulos/senales/" not in cached and "/navegar-con-seguridad/" not in cached
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        v.page.goto(nginx["url"] + "/articulos/senales/")
