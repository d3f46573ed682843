"""Measure `iacguard lsp` as an editor uses it: how long after the end of the typing
pause (the debounce) diagnostics arrive, and how the resident memory of the server and
its analysis worker grows over many edits.

    python benchmarks/lsp.py [--edits 1000]

Prints, for a 200-line Kubernetes manifest and a 50-line Dockerfile, the median and
95th percentile of (publishDiagnostics received - change sent - debounce) over the
edits; then the resident memory (server + worker, from /proc) after 100 and after
--edits edits. Needs the `lsp` extra.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from lsp_client import LspClient  # noqa: E402

from iacguard.lsp.server import DEBOUNCE_SECONDS  # noqa: E402


def manifest(lines: int) -> str:
    """A Deployment per 25 lines: about `lines` lines of ordinary manifest."""
    one = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web{n}
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {{app: web{n}}}
  template:
    metadata:
      labels: {{app: web{n}}}
    spec:
      containers:
        - name: web
          image: myacr.azurecr.io/web:1.{n}
          ports:
            - containerPort: 8080
          resources:
            limits: {{cpu: 500m, memory: 256Mi}}
          securityContext:
            allowPrivilegeEscalation: false
          env:
            - {{name: MODE, value: production}}
---
"""
    return "".join(one.format(n=n) for n in range(lines // 25))


def dockerfile(lines: int) -> str:
    steps = [f"RUN echo step {n} && apt-get update && apt-get install -y --no-install-recommends pkg{n} && rm -rf /var/lib/apt/lists/*" for n in range(lines - 3)]
    return "\n".join(["FROM debian:12-slim", *steps, "USER 10001", 'CMD ["app"]']) + "\n"


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, in KiB."""
    total = 0
    for task in [pid, *children(pid)]:
        for line in Path(f"/proc/{task}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        path = task / "children"
        for child in path.read_text().split() if path.exists() else ():
            found += [int(child), *children(int(child))]
    return found


def latencies(client: LspClient, path: Path, text: str, edits: int) -> list[float]:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}})
    client.diagnostics(uri, timeout=60)
    measured = []
    for version in range(2, edits + 2):
        changed = text + f"# edit {version}\n"
        sent = time.perf_counter()
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]})
        client.diagnostics(uri, timeout=60, version=version)
        measured.append(time.perf_counter() - sent - DEBOUNCE_SECONDS)
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / ".git").mkdir()
        client = LspClient(folder)
        try:
            client.initialize(root.as_uri())
            for name, text in (("deploy.yaml", manifest(200)), ("Dockerfile", dockerfile(50))):
                times = sorted(latencies(client, root / name, text, 100))
                p95 = times[int(len(times) * 0.95) - 1]
                print(f"{name} ({text.count(chr(10))} lines): after the debounce, median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
            path = root / "memory.yaml"
            text = manifest(200)
            latencies(client, path, text, 100)
            after_100 = rss_kib(client.process.pid)
            latencies(client, path, text, args.edits - 100)
            after_all = rss_kib(client.process.pid)
            print(f"resident memory (server and worker): {after_100 / 1024:.1f} MiB after 100 edits, "
                  f"{after_all / 1024:.1f} MiB after {args.edits} ({(after_all - after_100) / 1024:+.1f} MiB)")
        finally:
            client.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
