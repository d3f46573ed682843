"""`python -m iacguard`, and the `iacguard` command (`command`).

With `-m`, Python puts the working directory first on `sys.path`, and in CI that is the
scanned repository: a `yaml.py` there, or a module named like a plugin's, would be
imported in place of the installed one. The entry is dropped here, before iacguard
imports its parsers or any plugin (plugins are also looked up only outside the working
directory, see `iacguard.plugins`).

This runs only after Python has imported the `iacguard` package itself through that
same entry; the package imports nothing until one of its names is asked for. So
`python -m iacguard` is not safe only in a directory holding an `iacguard` package: use
the `iacguard` command there, or `python -P -m iacguard`.
"""

import atexit
import gc
import os
import sys


def run() -> int:
    """The command, in this process. The collector is off while its modules are
    imported, and what they made is then frozen (kept out of every later collection,
    and out of the workers' too, which are forked): those objects live as long as the
    process. Collecting during the imports, or walking them all in the first
    collection after, cost about 4 ms of a check of one file. `iacguard.cli.main`
    turns the collector on at the pace of a scan."""
    gc.disable()
    from iacguard.cli import main

    gc.freeze()
    return main()


def command() -> int:
    """The `iacguard` command and `python -m iacguard`: `run`, then the exit handlers
    (`atexit`, as Python runs them when it exits) and the standard streams flushed,
    and the process ends without the interpreter's tear-down. Freeing every module
    and object one by one took 3-4 ms of the 78 that a check of one Dockerfile takes,
    and there is nothing left to free for: the command has closed what it opened
    (the cache, the outputs, the workers). While another thread still runs, or when a
    stream cannot be flushed (a reader gone), Python exits as usual."""
    code = run()
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return code
    atexit._run_exitfuncs()  # and forgets them: Python would not run them again
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return code
    os._exit(code)


if __name__ == "__main__":
    if sys.path and not getattr(sys.flags, "safe_path", False) and os.path.abspath(sys.path[0]) == os.getcwd():
        del sys.path[0]
    raise SystemExit(command())
