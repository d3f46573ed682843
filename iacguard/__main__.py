from iacguard.cli import main

raise SystemExit(main())
