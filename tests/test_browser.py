"""The demo report's HTML in a real browser: headless Chromium must render it with no console messages (a CSP
violation or a script error would log one) and no network request (every request is routed to a local proxy
that counts connections). A screenshot is saved beside the page. Skipped, with the reason, when no Chromium is
installed (Debian: ``apt-get install -y chromium``)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((b for b in map(shutil.which, BROWSERS) if b), None)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (Debian: apt-get install -y chromium); "
                                "the browser test needs a real browser")


# Chromium's own background traffic (clock check, component updater, sign-in), not the page's: no report could
# cause these, and the control test below shows a page's own request is still caught.
BROWSER_OWN_HOSTS = {"clients2.google.com", "update.googleapis.com", "accounts.google.com",
                     "safebrowsing.googleapis.com", "clientservices.googleapis.com", "redirector.gvt1.com",
                     "optimizationguide-pa.googleapis.com", "android.clients.google.com",
                     "content-autofill.googleapis.com"}


def request_host(raw: bytes) -> str:
    target = raw.split(b"\r\n", 1)[0].split(b" ")[1:2]
    target = target[0].decode("latin-1") if target else ""
    target = target.split("://", 1)[-1]
    return target.split("/", 1)[0].split(":", 1)[0]


class CountingProxy:
    """A TCP listener standing in for an HTTP proxy: it records every connection and answers nothing."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                self.requests.append(conn.recv(2048))
            except OSError:
                self.requests.append(b"")
            conn.close()

    def page_requests(self) -> list[str]:
        """The hosts the page asked for. A connection that sent no byte before closing carried nothing out:
        Chromium opens such spare connections to its proxy ahead of need (seen once in CI), so it is no request."""
        hosts = [request_host(r) for r in self.requests if r.strip()]
        return [h for h in hosts if h not in BROWSER_OWN_HOSTS]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join(2)
        self.sock.close()


def open_in_chromium(page: Path, screenshot: Path, proxy_port: int) -> str:
    profile = page.parent / "chromium-profile"
    args = [
        BROWSER, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
        "--disable-features=OptimizationHints,MediaRouter,Translate",
        f"--proxy-server=http://127.0.0.1:{proxy_port}", "--proxy-bypass-list=<-loopback>",
        "--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000",
        "--window-size=1200,2400", f"--screenshot={screenshot}", page.as_uri(),
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOME": str(page.parent)})
    return done.stderr


def console_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "CONSOLE" in line or "Refused to" in line]


@pytest.fixture(scope="module")
def demo_html(tmp_path_factory) -> Path:
    from datavault.demo.persona import PERSONA
    from datavault.demo.run import build_demo_vault
    from datavault.render import render
    from datavault.report import build_report

    out = tmp_path_factory.mktemp("demo")
    vault, _ = build_demo_vault(out)
    page = out / "report.html"
    page.write_text(render(build_report(vault, tz=PERSONA.timezone), "html"), encoding="utf-8")
    return page


def test_demo_report_renders_offline_without_errors(demo_html):
    screenshot = demo_html.parent / "report.png"
    with CountingProxy() as proxy:
        log = open_in_chromium(demo_html, screenshot, proxy.port)
    assert console_lines(log) == []
    assert proxy.page_requests() == []
    assert screenshot.exists() and screenshot.stat().st_size > 10_000
    if os.environ.get("DATAVAULT_ARTIFACTS"):  # CI keeps the screenshot for a human to look at
        target = Path(os.environ["DATAVAULT_ARTIFACTS"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(screenshot, target / "demo-report.png")


def test_harness_sees_a_request_and_a_csp_violation(tmp_path):
    """Control: the harness must notice what it is meant to catch, or the test above proves nothing."""
    from datavault.render.html import CSP

    leaky = tmp_path / "leaky.html"
    leaky.write_text("<!DOCTYPE html><p>x</p><img src='http://example.invalid/pixel.png'>", encoding="utf-8")
    with CountingProxy() as proxy:
        open_in_chromium(leaky, tmp_path / "leaky.png", proxy.port)
    assert proxy.page_requests() == ["example.invalid"], "an external image must reach the proxy"
    blocked = tmp_path / "blocked.html"
    blocked.write_text(f"<!DOCTYPE html><meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
                       "<p>x</p><script>console.log('ran')</script>", encoding="utf-8")
    with CountingProxy() as proxy:
        log = open_in_chromium(blocked, tmp_path / "blocked.png", proxy.port)
    assert console_lines(log), "the CSP must refuse the inline script, and say so on the console"
    assert proxy.page_requests() == []


def page_widths(page: Path, width: int) -> dict[str, int]:
    """The report laid out in a viewport ``width`` px wide (an iframe of that width, so that the browser's own
    smallest window does not decide it): the page's scroll width, its client width and the widest element."""
    from html import escape

    probe = page.parent / f"probe-{width}.html"
    probe.write_text(
        f"<!DOCTYPE html><body style='margin:0'><iframe id='f' width='{width}' height='900' style='border:0' "
        f"srcdoc=\"{escape(page.read_text(encoding='utf-8'), quote=True)}\"></iframe><script>"
        "document.getElementById('f').onload = function () { var d = this.contentDocument, w = 0, el = '';"
        "d.querySelectorAll('body *').forEach(function (x) { var r = x.getBoundingClientRect();"
        "if (r.right > w) { w = r.right; el = x.tagName + '.' + x.className; } });"
        "document.title = JSON.stringify({scroll: d.documentElement.scrollWidth, client: "
        "d.documentElement.clientWidth, widest: Math.round(w), element: el}); };</script></body>", encoding="utf-8")
    done = subprocess.run([BROWSER, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           f"--user-data-dir={page.parent / 'chromium-probe'}", "--no-first-run",
                           "--virtual-time-budget=5000", "--window-size=1400,1000", "--dump-dom", probe.as_uri()],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(page.parent)})
    import html
    import json
    import re

    title = re.search(r"<title>(\{.*?\})</title>", done.stdout)
    assert title, done.stdout[-2000:]
    return json.loads(html.unescape(title.group(1)))


@pytest.mark.parametrize("width", [390, 1280])
def test_demo_report_has_no_horizontal_overflow(demo_html, width):
    """Issue 19.4: on a 390 px phone and a 1280 px laptop nothing sticks out sideways: the page is as wide as
    the screen (long file paths and tables wrap or scroll inside their card)."""
    got = page_widths(demo_html, width)
    assert got["client"] <= width and got["scroll"] <= got["client"], got
    assert got["widest"] <= got["client"], got
