"""``python -m runschema``: the same as the ``runschema`` command."""

from ._cli import main

raise SystemExit(main())
