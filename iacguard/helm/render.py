"""Rendering a chart the way `helm template` does, in a process of its own.

Which renderer. `helm` on PATH when there is one (`helm template`, the reference),
else the optional extra, `pip install 'iacguard-lint[helm]'`, which brings
`helm-python-sdk` (Apache-2.0): the Helm v4 library compiled into a shared object and
loaded through ctypes, so no Go toolchain and no `helm` binary are needed. Measured
here (Linux x86-64, Python 3.11), on the ten charts of the test corpus:

- `helm-python-sdk` 0.2.2: a 75 MB wheel that installs 255 MB (the same 85 MB library
  three times, as the soname links a wheel cannot hold); a render takes 0.10 to 0.25 s
  from process start (0.14 s of it loading the library), 65 to 90 MiB resident;
  it renders with an empty environment inside a network namespace without any
  interface, so it needs no network.
- `helm-sdkpy` 0.1.32: a 47 MB wheel (122 MB installed) for Python 3.12 and later
  only, so it cannot serve the Python 3.11 that iacguard supports.
- `helm` itself: not in Debian's archive, not on PyPI or npm as a binary (npm's
  `nodejs-helm` wraps a `helm` that must already be installed); where a user has it,
  it is the reference implementation, so it comes first.

Why a process of its own, always. The library starts a Go runtime, which owns
threads and signal handlers and cannot be unloaded: loaded into the scanning
process before it forks workers, it would be copied into children without its
threads. A child process also gets what the scan's budgets cannot give a foreign
runtime: limits set by the system (`RENDER_MEMORY` of data, a CPU limit,
`MAX_RENDERED_SIZE` of output) and a wall-clock `RENDER_SECONDS`, after which its
whole process group is killed (the memory limit is enforced on Linux; macOS does not
limit data size). It runs with an empty environment (no
KUBECONFIG, no HELM_* settings, no proxy) in a private temporary folder that holds
the chart's copy, and is never asked to fetch: dependencies not vendored are
dropped before it runs, and `helm template` without `--validate` contacts no
cluster (`lookup` returns nothing).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from iacguard.budgets import MAX_RENDERED_SIZE, RENDER_MEMORY, RENDER_SECONDS
from iacguard.errors import BudgetExceeded
from iacguard.lazy import regex
from iacguard.structs import struct

RELEASE_NAME = "release-name"  # what `helm template` calls a release it is not given a name for
INSTALL_HINT = "pip install 'iacguard-lint[helm]' (or put helm on PATH)"
_SOURCE = regex(r"^# Source: (.+?)\s*$", re.MULTILINE)
_ACTION = regex(r"\{\{.*?\}\}", re.DOTALL)
# Sprig's random strings, each given an int and returning a string, like `toString`;
# `uuidv4` takes nothing.
_RANDOM_STRING = regex(r"\b(?:randAlphaNum|randAlpha|randNumeric|randAscii)\b")
_RANDOM_UUID = regex(r"\buuidv4\b")
_FIXED_UUID = '(print "00000000-0000-4000-8000-000000000000")'


@struct(frozen=True)
class Renderer:
    """A way to render charts: `helm` at a path, or the extra's library. `identity`
    names it for the result cache (another renderer may render otherwise)."""

    kind: str  # "helm" or "library"
    program: str
    identity: str


@struct(frozen=True)
class Rendered:
    """One value set's result: each template's output, or why there is none."""

    manifests: dict[str, str] | None
    error: str | None = None


def find_renderer() -> Renderer | None:
    """`helm` on PATH, else the extra's library, else None. Looks only: nothing is
    loaded or run, so the scanning process stays free of the Go runtime."""
    helm = shutil.which("helm")
    if helm:
        real = os.path.realpath(helm)
        return Renderer("helm", real, f"helm {real} {os.stat(real).st_mtime_ns}")
    if importlib.util.find_spec("helm_python") is not None:
        return Renderer("library", sys.executable, f"helm-python-sdk {importlib.metadata.version('helm-python-sdk')}")
    return None


def render(renderer: Renderer, workspace: Path, chart: Path, value_sets: list[list[Path]], namespace: str) -> list[Rendered]:
    """Render the chart copy `chart` once per value set (files merged in order, as
    `helm template -f a -f b`). `workspace` is the private folder holding the copy;
    the renderer runs there. Raises BudgetExceeded when it goes over a budget."""
    if renderer.kind == "library":
        request = workspace / "request.json"
        request.write_text(json.dumps({"chart": str(chart), "namespace": namespace, "release": RELEASE_NAME,
                                       "value_sets": [[str(path) for path in files] for files in value_sets]}))
        code, output, errors = _run([renderer.program, "-I", "-m", "iacguard.helm.library", str(request)], workspace)
        if code != 0:
            return [Rendered(None, errors)] * len(value_sets)
        return [Rendered(item.get("manifests"), one_line(item["error"]) if "error" in item else None) for item in json.loads(output)]
    results = []
    for files in value_sets:
        command = [renderer.program, "template", RELEASE_NAME, str(chart), "--namespace", namespace]
        command += [argument for path in files for argument in ("--values", str(path))]
        code, output, errors = _run(command, workspace)
        results.append(Rendered(split_stream(output)) if code == 0 else Rendered(None, errors))
    return results


def deterministic(template: str) -> str:
    """The template with its random strings fixed: charts name test pods and jobs
    `{{ .Release.Name }}-test-{{ randAlphaNum 5 }}`, and a name that changes at every
    render would change resource names, and so fingerprints and baselines, from run to
    run. Within actions, `randAlphaNum N` (and its kin) becomes `toString N` and
    `uuidv4` a fixed UUID; text outside actions is left as it is."""
    if "rand" not in template and "uuidv4" not in template:
        return template
    return _ACTION.sub(lambda action: _RANDOM_UUID.sub(_FIXED_UUID, _RANDOM_STRING.sub("toString", action.group(0))), template)


def one_line(error: str) -> str:
    """A renderer's error on one line: the library breaks an execution error's
    parts (where, in which action, what) over lines, with new lines written as `\\n`."""
    return re.sub(r":?\s*(?:\\n|\n)\s*", ": ", error).strip(": ")


def split_stream(stream: str) -> dict[str, str]:
    """`helm template` output as each template's output: documents are grouped by
    the `# Source:` line that heads them, in the order they come."""
    manifests: dict[str, list[str]] = {}
    for document in re.split(r"^---[ \t]*$", stream, flags=re.MULTILINE):
        source = _SOURCE.search(document)
        if source is not None:
            body = document[source.end():].lstrip("\n")
            manifests.setdefault(source.group(1), []).append(body)
    return {name: "---\n".join(bodies) for name, bodies in manifests.items()}


def _run(command: list[str], workspace: Path) -> tuple[int, str, str]:
    """Run the renderer under the render budgets; its exit status, output and errors."""
    output_path, errors_path = workspace / "rendered.out", workspace / "rendered.err"
    with open(output_path, "wb") as output, open(errors_path, "wb") as errors:
        process = subprocess.Popen(command, cwd=workspace, env={}, stdin=subprocess.DEVNULL, stdout=output, stderr=errors,
                                   preexec_fn=_limit, start_new_session=True)
        try:
            code = process.wait(timeout=RENDER_SECONDS)
        except subprocess.TimeoutExpired:
            code = None
        finally:
            _kill_group(process)
    if code is None or code == -signal.SIGXCPU:
        raise BudgetExceeded(f"rendering the chart took more than {RENDER_SECONDS} seconds")
    if code == 0:
        return code, output_path.read_bytes().decode("utf-8", "replace"), ""
    error_text = _error(errors_path.read_bytes().decode("utf-8", "replace"))
    # Python ignores the signal for a file grown over its limit, and gets an error
    if code == -signal.SIGXFSZ or "File too large" in error_text:
        raise BudgetExceeded(f"the chart renders more than {MAX_RENDERED_SIZE // 1048576} MiB of output")
    if "out of memory" in error_text or "cannot allocate memory" in error_text or "MemoryError" in error_text:
        raise BudgetExceeded(f"rendering the chart needs more than {RENDER_MEMORY // 1048576} MiB of memory")
    return code, "", error_text


def _limit() -> None:
    """In the renderer process before it starts: the system's limits."""
    import resource

    # The data limit counts the memory a process writes to, not the address space it
    # reserves: Go reserves far more than it uses, and under an address-space limit
    # of 1 GiB a third of the renders of one corpus chart died with 12 MiB in use.
    resource.setrlimit(resource.RLIMIT_DATA, (RENDER_MEMORY, RENDER_MEMORY))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_RENDERED_SIZE, MAX_RENDERED_SIZE))
    resource.setrlimit(resource.RLIMIT_CPU, (RENDER_SECONDS, RENDER_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _kill_group(process: subprocess.Popen) -> None:
    """End the renderer and anything it started (it leads its own process group)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _error(errors: str) -> str:
    """The renderer's error: a crash's first `fatal error:` or `panic:` line (a stack
    trace follows it), else the last line written, less `helm`'s `Error: `."""
    lines = [line.strip() for line in errors.splitlines() if line.strip()]
    crash = next((line for line in lines if line.startswith(("fatal error:", "panic:"))), None)
    return crash or (lines[-1].removeprefix("Error: ") if lines else "the renderer failed without a message")
