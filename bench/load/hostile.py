#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Probe motesokd while hostile clients load it.

Slow clients: --slow N sockets that each send a request head one header
line every --every seconds and never finish it, reconnecting whenever the
daemon closes one. Costly searches: --costly N threads that each send, one
after the other, a search of one-letter wildcards about 4 KB long.
Meanwhile a probe asks /healthz and a cheap search, each on a new
connection, every 100 ms, for --seconds, and reports their latencies.

Usage: hostile.py URL [--slow N] [--every S] [--costly N] [--seconds S]
Prints one line of key=value figures; exits 1 if a probe failed (no
answer within 5 s, or not 200).
"""
import argparse
import http.client
import socket
import string
import threading
import time
import urllib.parse

PROBE_TIMEOUT_S = 5.0


def costly_query():
    """One-letter wildcards, about 4 KB."""
    words = [c + "*" for c in string.ascii_lowercase]
    q = []
    while len(" ".join(q)) < 4000:
        q.extend(words)
    return " ".join(q)


class Slow(threading.Thread):
    """N sockets trickling a request head; counts how often each is closed."""

    def __init__(self, host, port, n, every, stop):
        super().__init__(daemon=True)
        self.host, self.port, self.n, self.every, self.stop = host, port, n, every, stop
        self.closed = 0
        self.opened = 0
        self.lifetimes = []

    def connect(self):
        s = socket.create_connection((self.host, self.port), timeout=2)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        self.opened += 1
        return [s, time.monotonic()]

    def run(self):
        socks = []
        while len(socks) < self.n and not self.stop.is_set():
            try:
                socks.append(self.connect())
            except OSError:
                time.sleep(0.01)
        i = 0
        while not self.stop.is_set():
            self.stop.wait(self.every)
            for entry in socks:
                try:
                    entry[0].sendall(b"X-Slow-%d: %s\r\n" % (i, b"a" * 8))
                    # a closed socket shows as EOF once the server closed it
                    entry[0].setblocking(False)
                    try:
                        gone = entry[0].recv(1) == b""
                    except BlockingIOError:
                        gone = False
                    entry[0].setblocking(True)
                    if gone:
                        raise ConnectionResetError
                except OSError:
                    self.closed += 1
                    self.lifetimes.append(time.monotonic() - entry[1])
                    entry[0].close()
                    try:
                        entry[:] = self.connect()
                    except OSError:
                        pass
            i += 1
        for entry in socks:
            entry[0].close()


class Costly(threading.Thread):
    """Sends costly searches one after the other; counts answers by status."""

    def __init__(self, host, port, stop):
        super().__init__(daemon=True)
        self.host, self.port, self.stop = host, port, stop
        self.codes = {}
        self.path = "/api/v1/search?" + urllib.parse.urlencode({"q": costly_query()})

    def run(self):
        while not self.stop.is_set():
            try:
                c = http.client.HTTPConnection(self.host, self.port, timeout=300)
                c.request("GET", self.path)
                code = c.getresponse().status
                c.close()
            except OSError:
                code = "error"
            self.codes[code] = self.codes.get(code, 0) + 1
            if code == 503:
                self.stop.wait(0.5)


def probe(host, port, path):
    """Seconds to GET path on a new connection, or None on failure."""
    t0 = time.monotonic()
    try:
        c = http.client.HTTPConnection(host, port, timeout=PROBE_TIMEOUT_S)
        c.request("GET", path, headers={"Connection": "close"})
        r = c.getresponse()
        r.read()
        c.close()
        return time.monotonic() - t0 if r.status == 200 else None
    except OSError:
        return None


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--slow", type=int, default=0)
    ap.add_argument("--every", type=float, default=1.0)
    ap.add_argument("--costly", type=int, default=0)
    ap.add_argument("--seconds", type=float, default=30)
    a = ap.parse_args()
    u = urllib.parse.urlparse(a.url)
    stop = threading.Event()
    slow = Slow(u.hostname, u.port, a.slow, a.every, stop) if a.slow else None
    costly = [Costly(u.hostname, u.port, stop) for _ in range(a.costly)]
    for t in ([slow] if slow else []) + costly:
        t.start()
    time.sleep(min(3.0, a.seconds / 4))  # let the load build up
    lat = {"healthz": [], "search": []}
    failed = {"healthz": 0, "search": 0}
    paths = {"healthz": "/healthz", "search": "/api/v1/search?q=legevakt&limit=5"}
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        for name, path in paths.items():
            s = probe(u.hostname, u.port, path)
            if s is None:
                failed[name] += 1
            else:
                lat[name].append(s)
        time.sleep(0.1)
    stop.set()
    out = []
    for name in paths:
        ms = [x * 1000 for x in lat[name]]
        out.append("%s_ok=%d %s_failed=%d %s_p50_ms=%.1f %s_p99_ms=%.1f %s_max_ms=%.1f" % (
            name, len(ms), name, failed[name], name, pct(ms, 50), name, pct(ms, 99), name,
            max(ms) if ms else float("nan")))
    if slow:
        out.append("slow_opened=%d slow_closed=%d slow_life_p50_s=%.1f slow_life_max_s=%.1f" % (
            slow.opened, slow.closed, pct(slow.lifetimes, 50),
            max(slow.lifetimes) if slow.lifetimes else float("nan")))
    if costly:
        codes = {}
        for t in costly:
            for k, v in t.codes.items():
                codes[k] = codes.get(k, 0) + v
        out.append("costly_answers=" + ",".join("%s:%d" % kv for kv in sorted(codes.items(), key=str)))
    print(" ".join(out))
    return 1 if failed["healthz"] or failed["search"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
