"""``python -m pipeline`` is the ``vanban`` command."""

from .cli import main

raise SystemExit(main())
