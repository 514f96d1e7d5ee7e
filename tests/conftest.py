"""Test-suite settings: hypothesis profiles, and generated code in debug mode.

Profiles, chosen with ``RUNSCHEMA_TEST_PROFILE`` (default ``default``):

- ``default``: every property test draws its own number of examples, derandomized, so that a
  run is repeatable (the same examples each time) and no test times anything;
- ``ci``: the same, printing the blob to reproduce a failure;
- ``quick``: at most 10 examples a property, for a fast local loop;
- ``explore``: random examples, ten times as many: a search for new failures, by hand.

``RUNSCHEMA_FAST_DEBUG=1`` (set here unless already set) makes the library's generated code
re-raise its own bugs instead of falling back to the reference interpreter, so that a generator
bug fails a test rather than only slowing it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

os.environ.setdefault("RUNSCHEMA_FAST_DEBUG", "1")

_BASE = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("default", derandomize=True, **_BASE)  # type: ignore[arg-type]
settings.register_profile("ci", derandomize=True, print_blob=True, **_BASE)  # type: ignore[arg-type]
settings.register_profile("quick", derandomize=True, max_examples=10, **_BASE)  # type: ignore[arg-type]
settings.register_profile("explore", derandomize=False, **_BASE)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("RUNSCHEMA_TEST_PROFILE", "default"))
