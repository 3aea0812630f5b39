#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Browser test of motesokd's search page: headless Chromium (Debian's
chromium) driven over the DevTools protocol on a pipe (--remote-debugging-pipe,
so nothing but the Python standard library is needed).

It indexes corpus/ plus made-up minutes (enough hits for two pages, and one
file whose name and text carry markup), starts the real motesokd, and then,
as a person would: loads /, types a search, clicks a facet, pages, goes
back, opens a document view and its original PDF at the hit's page, checks
the page without JavaScript and an XSS attempt, and writes screenshots at
1280 and 375 px under --out.

Exit 0 when every check passed, 1 when one failed, 77 (skipped) only when
no Chromium is installed.

Usage: page_test.py --bin BUILD/bin --corpus corpus --out BUILD/browser
"""
import argparse
import base64
import fcntl
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

SKIP = 77
WAIT_S = 30  # a safety net for a hung browser, never a measure


class Failed(Exception):
    """A check did not hold."""


class Browser:
    """Chromium headless, spoken to over its DevTools pipe (fd 3 in, 4 out)."""

    def __init__(self, exe, profile):
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # move the child's ends above 4, so that the shell's moves cannot clash
        to_child_r, from_child_w = (high_fd(to_child_r), high_fd(from_child_w))
        # the shell puts the pipe's ends on fds 3 and 4, where Chromium wants them
        redirect = f'exec "$0" "$@" 3<&{to_child_r} 4>&{from_child_w} {to_child_r}<&- {from_child_w}>&-'
        args = ["/bin/bash", "-c", redirect, exe, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--hide-scrollbars", "--mute-audio",
                "--remote-debugging-pipe", "--user-data-dir=" + profile, "about:blank"]
        self.proc = subprocess.Popen(args, pass_fds=(to_child_r, from_child_w),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(profile, "chromium.log"), "wb"))
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self.events = []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                raise Failed("the browser did not answer")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise Failed("the browser closed its DevTools pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=True):
        """Send one command and return its result (events seen meanwhile are kept)."""
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + WAIT_S
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise Failed(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, name):
        """Wait for event name (one already seen counts) and consume it."""
        deadline = time.monotonic() + WAIT_S
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == name:
                    del self.events[i]
                    return e
            self.events.append(self._read_message(deadline))

    def open_page(self):
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)
        att = self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True},
                        session=False)
        self.session = att["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("DOM.enable")

    def load(self, action, event="Page.loadEventFired"):
        """Run action (a callable that starts a navigation) and wait for the
        load (or event: a page from the back/forward cache fires no load)."""
        self.events = [e for e in self.events if e.get("method") != event]
        action()
        self.wait_event(event)

    def goto(self, url):
        self.load(lambda: self.call("Page.navigate", {"url": url}))

    def js(self, expr):
        r = self.call("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise Failed(f"script failed: {expr}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def size(self, width, mobile):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile})

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        with open(path, "wb") as f:
            f.write(base64.b64decode(data["data"]))

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Failed:
            pass
        try:
            self.proc.wait(timeout=WAIT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def high_fd(fd):
    """fd moved to a number of 10 or more (the old one closed)."""
    new = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return new


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_documents(folder):
    """25 short minutes that all hold 'sideblaord' (two pages of hits), and one
    file whose name and text carry markup."""
    for i in range(1, 26):
        with open(os.path.join(folder, f"formannskapet-{i:02d}.txt"), "w", encoding="utf-8") as f:
            f.write(f"MØTEPROTOKOLL\nFormannskapet\nMøtedato: {i:02d}.03.2019\n"
                    f"Møtested: Rådhuset\n\nSak {i}/19 Sideblaord nummer {i}\n"
                    f"Vedtak: Formannskapet vedtok sideblaord {i}.\n")
    name = "<img src=x onerror=window.__xss=1>.txt"
    with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
        f.write("<script>window.__xss=2</script>\n\n<img src=x onerror=\"window.__xss=3\"> "
                "Referat om xssprøveord og legevakt.\n")


def fetch(url):
    """GET url without a browser (no JavaScript): status and body text."""
    try:
        with urllib.request.urlopen(url, timeout=WAIT_S) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


class Run:
    """The checks, counted."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, fn):
        try:
            fn()
            self.passed += 1
            print(f"ok   {name}")
        except Failed as e:
            self.failed += 1
            print(f"FAIL {name}: {e}")


def expect(cond, what):
    if not cond:
        raise Failed(what)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    exe = os.environ.get("MOTESOK_CHROMIUM") or find_chromium()
    if exe is None:
        print("browser test skipped: no chromium found (install Debian's chromium package; "
              "scripts/install-deps.sh does)")
        return SKIP
    os.makedirs(a.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="motesok-browser-")
    daemon = browser = None
    try:
        docs = os.path.join(tmp, "docs")
        os.mkdir(docs)
        make_documents(docs)
        index = os.path.join(tmp, "index")
        r = subprocess.run([os.path.join(a.bin, "motesok-index"), "--index", index, a.corpus, docs],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(f"FAIL indexing exited {r.returncode}: {r.stderr}")
            return 1
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        daemon = subprocess.Popen([os.path.join(a.bin, "motesokd"), "--index", index,
                                   "--listen", f"127.0.0.1:{port}", "--threads", "2", "--quiet"],
                                  stdout=subprocess.DEVNULL,
                                  stderr=open(os.path.join(tmp, "daemon.err"), "wb"))
        for _ in range(400):
            try:
                if fetch(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.05)
        profile = os.path.join(tmp, "profile")
        os.mkdir(profile)
        browser = Browser(exe, profile)
        browser.open_page()
        b = browser
        run = Run()
        state = {}

        def search_from_the_form():
            b.size(1280, False)
            b.goto(base + "/")
            expect(b.js("document.querySelector('form[role=search] input[name=q]') !== null"),
                   "no search form with role=search and an input named q")
            expect(b.js("document.querySelector('label[for=q]').textContent.length > 0"),
                   "the input has no label")
            b.js("document.getElementById('q').focus()")
            b.call("Input.insertText", {"text": "legevakt"})
            b.load(lambda: b.js("document.querySelector('form[role=search] button').click()"))
            url = b.js("location.href")
            expect("q=legevakt" in url, f"the URL does not hold the query: {url}")
            n = b.js("document.querySelectorAll('li.hit').length")
            expect(n >= 2, f"{n} hits shown")
            status = b.js("document.querySelector('[aria-live]').textContent")
            expect(re.search(r"1–\d+ av \d+ treff", status), f"no '1–N av M treff': {status}")
            b.screenshot(os.path.join(a.out, "search-1280.png"))

        def narrow_screen():
            b.size(375, True)
            b.goto(base + "/sok?q=legevakt")
            wide = b.js("document.documentElement.scrollWidth")
            expect(wide <= 375, f"the page is {wide} px wide at 375 px")
            b.screenshot(os.path.join(a.out, "search-375.png"))
            b.size(1280, False)

        def facet():
            b.goto(base + "/sok?q=legevakt")
            link = b.js("(() => { const a = document.querySelector('.facets a[href*=\"organ=\"]');"
                        " return a ? [a.href, a.textContent] : null; })()")
            expect(link is not None, "no organ facet link")
            b.load(lambda: b.js("document.querySelector('.facets a[href*=\"organ=\"]').click()"))
            organ = link[1]
            chip = b.js("(() => { const c = document.querySelector('.chips a');"
                        " return c ? c.textContent : ''; })()")
            expect(organ in chip, f"no chip for the organ {organ}: {chip!r}")
            metas = b.js("[...document.querySelectorAll('li.hit .meta')].filter((m, i) => "
                         "i % 2 === 0).map(m => m.textContent)")
            expect(metas and all(organ in m for m in metas),
                   f"hits of other organs under the facet {organ}: {metas}")
            b.load(lambda: b.js("document.querySelector('.chips a').click()"))
            expect("organ=" not in b.js("location.href"), "the chip did not remove the filter")

        def paging_and_back():
            b.goto(base + "/sok?q=sideblaord")
            status = b.js("document.querySelector('[aria-live]').textContent")
            m = re.search(r"1–20 av (\d+) treff", status)
            expect(m and int(m.group(1)) >= 25, f"first page: {status}")
            total = int(m.group(1))
            b.load(lambda: b.js("document.querySelector('a[rel=next]').click()"))
            status = b.js("document.querySelector('[aria-live]').textContent")
            expect(f"21–{total} av {total} treff" in status, f"second page: {status}")
            expect(b.js("document.querySelectorAll('li.hit').length") == total - 20,
                   "the second page does not hold the rest")
            b.load(lambda: b.js("history.back()"), "Page.frameNavigated")
            b.js("new Promise(r => document.readyState === 'complete' ? r() : "
                 "addEventListener('load', () => r()))")
            expect(b.js("document.getElementById('q').value") == "sideblaord",
                   "Back did not return to the first page")
            expect("page=" not in b.js("location.href"), "Back did not step to page 1")

        def document_and_pdf():
            b.goto(base + "/sok?q=legevakt")
            href = b.js("(() => { const a = [...document.querySelectorAll('li.hit h2 a')]"
                        ".find(a => a.href.includes('page=')); return a ? a.href : null; })()")
            expect(href is not None, "no hit links to a page of a PDF")
            b.load(lambda: b.js("[...document.querySelectorAll('li.hit h2 a')]"
                                ".find(a => a.href.includes('page=')).click()"))
            expect(b.js("location.pathname").startswith("/dokument/"), "not a document view")
            expect(b.js("document.querySelector('h1').textContent.length") > 0, "no title")
            expect(b.js("document.querySelectorAll('.text mark').length") > 0,
                   "the query's words are not marked")
            expect(b.js("document.querySelectorAll('ol.cases li').length") > 0, "no case list")
            page = re.search(r"page=(\d+)", href).group(1)
            orig = b.js("document.getElementById('original').href")
            expect(orig.endswith(f"/original#page={page}"), f"the PDF link: {orig}")
            got = b.js(f"fetch({json.dumps(orig)}).then(async r => [r.status, "
                       "r.headers.get('content-type'), "
                       "String.fromCharCode(...new Uint8Array(await r.arrayBuffer()).slice(0, 5))])")
            expect(got == [200, "application/pdf", "%PDF-"], f"the original: {got}")
            b.screenshot(os.path.join(a.out, "document-1280.png"))
            doc = b.js("location.href")
            # the link opens the PDF in the browser, at the hit's page
            b.load(lambda: b.js("document.getElementById('original').click()"))
            got = b.js("[document.contentType, location.hash]")
            expect(got == ["application/pdf", f"#page={page}"], f"the PDF link opened {got}")
            b.size(375, True)
            b.goto(doc)
            wide = b.js("document.documentElement.scrollWidth")
            expect(wide <= 375, f"the document view is {wide} px wide at 375 px")
            b.screenshot(os.path.join(a.out, "document-375.png"))
            b.size(1280, False)

        def without_javascript():
            code, body = fetch(base + "/sok?q=legevakt")
            n = body.count('<li class="hit">')
            expect(code == 200 and n >= 2, f"without a browser: HTTP {code}, {n} hits")
            b.call("Emulation.setScriptExecutionDisabled", {"value": True})
            b.goto(base + "/sok?q=legevakt")
            root = b.call("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            hits = b.call("DOM.querySelectorAll", {"nodeId": root, "selector": "li.hit"})["nodeIds"]
            b.call("Emulation.setScriptExecutionDisabled", {"value": False})
            expect(len(hits) >= 2, f"{len(hits)} hits with JavaScript off")

        def xss():
            q = "xssprøveord \"><img src=x onerror=window.__xss=4><script>window.__xss=5</script>"
            b.goto(base + "/sok?" + urllib.parse.urlencode({"q": q}))
            expect(b.js("document.querySelectorAll('li.hit').length") == 1,
                   "the file with markup in its name and text is not found")
            expect(b.js("window.__xss === undefined"), f"markup ran: {b.js('window.__xss')}")
            expect(b.js("document.getElementById('q').value") == q, "the query was not kept as text")
            b.load(lambda: b.js("document.querySelector('li.hit h2 a').click()"))
            expect(b.js("window.__xss === undefined"), "markup ran in the document view")
            expect("<script>window.__xss=2</script>" in b.js("document.querySelector('.text').textContent"),
                   "the document's markup is not shown as text")

        for name, fn in [("search from the form", search_from_the_form),
                         ("375 px", narrow_screen), ("facet and chip", facet),
                         ("paging and Back", paging_and_back),
                         ("document view and PDF", document_and_pdf),
                         ("without JavaScript", without_javascript), ("XSS", xss)]:
            run.check(name, fn)
        print(f"screenshots in {a.out}")
        print(f"{run.passed} passed, {run.failed} failed")
        return 0 if run.failed == 0 else 1
    finally:
        if browser is not None:
            browser.close()
        if daemon is not None:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
