"""Where runschema deliberately departs from the published schema, and why: the one list.

The spec is openai-openapi ``openapi.yaml`` at commit f85dbe2 (2026-08-21, info.version 2.3.0).
Every entry names the schema and property it concerns. A model field marks the entry it
follows with ``Annotated[..., Erratum(key)]``, which refuses keys not listed here (so a
deviation cannot exist without an entry) and the conformance tests compare the models with the
spec and fail on any difference not listed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["ERRATA"]

ERRATA: Final[Mapping[str, str]] = {
    "RunObject.instructions:nullable": (
        "typed as a non-null string, but the spec's own examples and the seed page send "
        "`instructions: null`; both modes accept null"
    ),
    "RunObject.tool_resources:added": (
        "not declared on RunObject, but the API returns it (the seed page and eight spec "
        "examples carry it); modelled as an optional, nullable field with the shape "
        "CreateThreadAndRunRequest gives it"
    ),
    "Metadata:limits": (
        "the schema has no bounds; its description says 16 pairs, keys <= 64 characters, "
        "values <= 512 characters; strict mode and request building enforce them"
    ),
}
"""Deviation key -> reason. Keys are ``Schema.property:what``."""
