"""The language server's analysis worker: a child process that reads one JSON request
a line on standard input and answers one JSON line on standard output.

    {"id": 7, "path": "/abs/Dockerfile", "text": "...", "workspace": "/abs"}  ->  {"id": 7, "result": {...}}
    {"id": 8, "path": "...", "text": "...", "fix_lines": [3, 5]}  ->  {"id": 8, "result": [quick fixes]}
    {"id": 9, "forget": true}                              ->  {"id": 9, "result": null}

Keeping analysis out of the server's process is what keeps the server answering:
the scan runs under the fail-closed budgets (`iacguard.budgets`), and whatever they
do not bound (a hostile buffer that is slow to parse) costs only this process, which
the server ends when a newer edit makes its work useless or when it runs too long.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    from iacguard.lsp.analysis import Analyser

    analyser = Analyser()
    stdout = sys.stdout
    sys.stdout = sys.stderr  # nothing but answers goes to the server
    for line in sys.stdin:
        request = json.loads(line)
        workspace = Path(request["workspace"]) if request.get("workspace") else None  # the editor's folder holding the file
        try:
            if request.get("forget"):
                analyser.forget()
                result = None
            elif "fix_lines" in request:
                result = analyser.quick_fixes(Path(request["path"]), request["text"], *request["fix_lines"], workspace)
            else:
                result = analyser.analyse(Path(request["path"]), request["text"], workspace)
            answer = {"id": request["id"], "result": result}
        except Exception as error:  # reported to the editor; the worker goes on
            answer = {"id": request["id"], "error": f"{type(error).__name__}: {error}"}
        stdout.write(json.dumps(answer, ensure_ascii=True) + "\n")
        stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
