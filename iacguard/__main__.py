"""`python -m iacguard`, and the `iacguard` command (`run`).

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

import gc
import os
import sys


def run() -> int:
    """The command. The collector is off while its modules are imported, and what they
    made is then frozen (kept out of every later collection, and out of the workers'
    too, which are forked): those objects live as long as the process. Collecting
    during the imports, or walking them all in the first collection after, cost about
    4 ms of a check of one file. `iacguard.cli.main` turns the collector on at the
    pace of a scan."""
    gc.disable()
    from iacguard.cli import main

    gc.freeze()
    return main()


if __name__ == "__main__":
    if sys.path and not getattr(sys.flags, "safe_path", False) and os.path.abspath(sys.path[0]) == os.getcwd():
        del sys.path[0]
    raise SystemExit(run())
