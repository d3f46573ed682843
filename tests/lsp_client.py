"""A small JSON-RPC client that drives `iacguard lsp` over its standard input and
output, as an editor does: requests wait for their answer, notifications the server
sends are collected (publishDiagnostics above all)."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time


class LspClient:
    def __init__(self, cwd: str):
        command = [sys.executable, "-m", "iacguard", "lsp"]
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.next_id = 0
        self.answers: dict[int, dict] = {}
        self.notifications: queue.Queue = queue.Queue()
        self.lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            message = json.loads(stream.read(int(headers["content-length"])))
            if "id" in message and "method" in message:  # a request from the server: accept it
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message:
                with self.lock:
                    self.answers[message["id"]] = message
                    self.lock.notify_all()
            else:
                self.notifications.put(message)

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method: str, params: dict | None, timeout: float = 30) -> dict:
        self.next_id += 1
        number = self.next_id
        self._send({"jsonrpc": "2.0", "id": number, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self.lock:
            while number not in self.answers:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no answer to {method} in {timeout} s")
                self.lock.wait(left)
            answer = self.answers.pop(number)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer["result"]

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri: str, timeout: float = 30, version: int | None = None) -> list[dict]:
        """The next diagnostics published for `uri` (of `version`, when given)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no diagnostics for {uri} in {timeout} s")
            try:
                message = self.notifications.get(timeout=left)
            except queue.Empty:
                continue
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri:
                if version is None or params.get("version") == version:
                    return params["diagnostics"]

    def initialize(self, root_uri: str) -> dict:
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": root_uri, "capabilities": {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}})
        self.notify("initialized", {})
        return result

    def close(self) -> int:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", {})
            return self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
