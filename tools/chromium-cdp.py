#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drive Debian's headless Chromium over the DevTools protocol, through
--remote-debugging-pipe (no WebSocket library, no browser download).

  chromium-cdp.py screenshot URL OUT.png [--size 1280x800] [--mobile]
  chromium-cdp.py eval URL SCRIPT.js [--size 1280x800] [--mobile] [--error-ok]

Both load URL and wait until the page sets data-etat="pret" (or "erreur") on
<html> ("erreur" is a failure unless --error-ok). "eval" then evaluates SCRIPT.js (an expression, usually an async
arrow function called at once) and prints its JSON value, followed by the
URLs the page requested, as {"result": ..., "requests": [...], "console": [...]}.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 60


class Browser:
    def __init__(self, width, height, mobile):
        exe = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
        if not exe:
            sys.exit("chromium-cdp: chromium is not installed (apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="essaim-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def fds():
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--disable-component-update",
                "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                # loopback only: no name resolves, so no page can reach out
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--window-size=%d,%d" % (width, height), "about:blank"]
        self.proc = subprocess.Popen(args, preexec_fn=fds, pass_fds=(3, 4),
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.profile, "stderr"), "w"))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.requests = []
        self.console = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget",
                                 {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(domain + ".enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
                  session=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from chromium")
            r, _, _ = select.select([self.from_browser], [], [], left)
            if r:
                chunk = os.read(self.from_browser, 65536)
                if not chunk:
                    raise RuntimeError("chromium exited: " + self.stderr())
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def _event(self, msg):
        method, p = msg.get("method"), msg.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(p["request"]["url"])
        elif method == "Runtime.consoleAPICalled":
            self.console.append(" ".join(str(a.get("value", a.get("description", "")))
                                         for a in p.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            self.console.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:500])
        elif method == "Log.entryAdded":
            self.console.append("log: " + p["entry"].get("text", ""))

    def call(self, method, params=None, session=False, timeout=TIMEOUT):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self._event(m)

    def evaluate(self, expr, timeout=TIMEOUT):
        r = self.call("Runtime.evaluate", {"expression": expr, "awaitPromise": True,
                                           "returnByValue": True}, session=True, timeout=timeout)
        if "exceptionDetails" in r:
            raise RuntimeError("script failed: " + json.dumps(r["exceptionDetails"])[:2000])
        return r.get("result", {}).get("value")

    def load(self, url, error_ok=False):
        self.call("Page.navigate", {"url": url}, session=True)
        deadline = time.monotonic() + TIMEOUT
        state = None
        while time.monotonic() < deadline:
            state = self.evaluate("document.documentElement && document.documentElement.getAttribute('data-etat')")
            if state in ("pret", "erreur"):
                break
            time.sleep(0.1)
        if state != "pret" and not (error_ok and state == "erreur"):
            raise RuntimeError("the page did not load (data-etat=%r); console: %s"
                               % (state, self.console))

    def stderr(self):
        try:
            with open(os.path.join(self.profile, "stderr")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def main(argv):
    if len(argv) < 4 or argv[1] not in ("screenshot", "eval"):
        sys.exit(__doc__)
    mode, url, path = argv[1], argv[2], argv[3]
    width, height, mobile, error_ok = 1280, 800, False, False
    rest = argv[4:]
    while rest:
        if rest[0] == "--size" and len(rest) > 1:
            width, height = (int(x) for x in rest[1].split("x"))
            rest = rest[2:]
        elif rest[0] == "--mobile":
            mobile = True
            rest = rest[1:]
        elif rest[0] == "--error-ok":
            error_ok = True
            rest = rest[1:]
        else:
            sys.exit(__doc__)
    b = Browser(width, height, mobile)
    try:
        b.load(url, error_ok)
        if mode == "screenshot":
            # let tiles and cluster animations settle
            time.sleep(1.5)
            png = b.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
            with open(path, "wb") as f:
                f.write(base64.b64decode(png))
        else:
            with open(path) as f:
                result = b.evaluate(f.read(), timeout=180)
            print(json.dumps({"result": result, "requests": b.requests, "console": b.console},
                             ensure_ascii=False, indent=1))
    finally:
        b.close()


if __name__ == "__main__":
    main(sys.argv)
