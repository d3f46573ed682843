"""`python -m iacguard`: the same as the `iacguard` command.

With `-m`, Python puts the working directory first on `sys.path`, and in CI that is the
scanned repository: a `yaml.py` there, or a module named like a plugin's, would be
imported in place of the installed one. The entry is dropped here, before iacguard
imports its parsers or any plugin (plugins are also looked up only outside the working
directory, see `iacguard.plugins`).

This runs only after Python has imported the `iacguard` package itself, and what its
`__init__` imports, through that same entry. So `python -m iacguard` is not safe in a
directory holding an `iacguard` package or a module named like one of the standard
library's that it imports: use the `iacguard` command there, or `python -P -m iacguard`.
"""

import os
import sys

if sys.path and not getattr(sys.flags, "safe_path", False) and os.path.abspath(sys.path[0]) == os.getcwd():
    del sys.path[0]

from iacguard.cli import main  # noqa: E402 (after the path is cleaned)

raise SystemExit(main())
