"""Real headless Chromium for the site's tests, driven over the DevTools protocol through a pipe
(--remote-debugging-pipe: JSON messages ended by NUL on file descriptors 3 and 4), so that no
package and no network port is needed. It loads pages from file://, records every request,
failed load, console message and uncaught exception, evaluates script in the page and takes
screenshots at a given width.

Chromium is installed by `.ci/run` (and by tests/core/supervise/test_rendering.py) where it is missing
and the tests run as root; elsewhere the tests that need it skip with the command to install it.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INSTALL = "apt-get update && apt-get install -y chromium fonts-noto-cjk"


def chromium_missing() -> str | None:
    """None when Chromium is there (installing it if this is root with apt-get), else why not."""
    if shutil.which("chromium"):
        return None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return f"Chromium is missing and cannot be installed here (as root: {INSTALL})"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=900)
    done = subprocess.run(
        ["apt-get", "install", "-y", "-q", "chromium", "fonts-noto-cjk"], env=env, capture_output=True, timeout=1800
    )
    if done.returncode != 0 or not shutil.which("chromium"):
        return f"installing Chromium failed: {done.stderr.decode(errors='replace')[-300:]}"
    return None


@dataclass
class Visit:
    url: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)  # errors and warnings the page logged
    exceptions: list[str] = field(default_factory=list)


class Browser:
    def __init__(self, profile: Path) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # Above 9, so the shell's `3<&N 4>&M` never reads a descriptor it has just replaced.
        for low in (to_browser_read, from_browser_write):
            high = fcntl.fcntl(low, fcntl.F_DUPFD, 10)
            os.close(low)
            if low == to_browser_read:
                to_browser_read = high
            else:
                from_browser_write = high
        command = [
            shutil.which("chromium") or "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--remote-debugging-pipe",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        # The pipe must be descriptors 3 and 4 in Chromium: a small Python puts them there and
        # becomes Chromium (both are above 9, so neither is overwritten before it is read).
        wrapper = f"import os,sys; os.dup2({to_browser_read},3); os.dup2({from_browser_write},4); os.execv(sys.argv[1], sys.argv[1:])"
        self.process = subprocess.Popen(
            [sys.executable, "-c", wrapper, *command],
            pass_fds=(to_browser_read, from_browser_write),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next = 0
        self._events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable", session=True)

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except (OSError, TimeoutError, RuntimeError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)

    # ---- the protocol -------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buffer += chunk
        message, _nul, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: bool = False, timeout: float = 60
    ) -> dict[str, Any]:
        self._next += 1
        wanted = self._next
        message: dict[str, Any] = {"id": wanted, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self._send(message)
        deadline = time.monotonic() + timeout
        while True:
            answer = self._receive(deadline)
            if answer.get("id") == wanted:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def _wait_for(self, method: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if any(e["method"] == method for e in self._events):
                return
            self._events.append(self._receive(deadline))

    # ---- what the tests use ----------------------------------------------------------------------

    def visit(self, path: Path, width: int = 1280) -> Visit:
        """Load the page from file:// at `width` CSS pixels and report what happened."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
            session=True,
        )
        self._events.clear()
        url = path.resolve().as_uri()
        self.call("Page.navigate", {"url": url}, session=True)
        self._wait_for("Page.loadEventFired")
        self.evaluate("0")  # anything the page logged while loading has arrived by now
        visit = Visit(url)
        for event in self._events:
            params = event.get("params", {})
            name = event["method"]
            if name == "Network.requestWillBeSent":
                visit.requests.append(params["request"]["url"])
            elif name == "Network.loadingFailed":
                visit.failed.append(f"{params.get('errorText')} ({params.get('requestId')})")
            elif name == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                visit.console.append(
                    " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                )
            elif name == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
                visit.console.append(params["entry"].get("text", ""))
            elif name == "Runtime.exceptionThrown":
                visit.exceptions.append(json.dumps(params.get("exceptionDetails", {}), ensure_ascii=False)[:500])
        return visit

    def follow(self, expression: str) -> None:
        """Run `expression`, which leaves the page (a form sent, a link clicked), and wait for the next page's load."""
        self._events.clear()
        try:
            self.evaluate(expression)
        except RuntimeError as error:
            # The page may be gone before the answer to the evaluation comes back; that is the navigation we wait for.
            if "navigated or closed" not in str(error):
                raise
        self._wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"])[:500])
        return result.get("result", {}).get("value")

    def screenshot(self, path: Path, width: int, most: int = 12000) -> Path:
        """The whole page at `width` CSS pixels (its first `most` pixels down), as PNG."""
        height = int(self.evaluate("Math.ceil(document.documentElement.scrollHeight)") or 900)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": min(height, most), "deviceScaleFactor": 1, "mobile": width < 600},
            session=True,
        )
        clip = {"x": 0, "y": 0, "width": width, "height": min(height, most), "scale": 1}
        data = self.call(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}, session=True
        )
        path.write_bytes(base64.b64decode(data["data"]))
        return path
