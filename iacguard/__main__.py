"""`python -m iacguard`: the same as the `iacguard` command."""

from iacguard.cli import main

raise SystemExit(main())
