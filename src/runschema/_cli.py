"""The ``runschema`` command line."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ._codec import loads, seed_example
from ._errors import SchemaError
from ._models import Run


def main(argv: Sequence[str] | None = None) -> int:
    """Decode the bundled seed example and print a summary (the full CLI is to come)."""
    try:
        run = loads(seed_example(), Run)
    except SchemaError as e:
        print(e, file=sys.stderr)
        return 1
    print(f"bundled seed example: {run.id} status={run.status} tools={len(run.tools)}: valid")
    return 0
