"""JSON Schema 2020-12 export of the models, with strict-mode meaning.

Generated from the same kinds that validate, so the exported schema and strict mode agree:
nullable as ``anyOf [X, {"type": "null"}]``, unions as ``oneOf`` of arms with ``const`` tags,
bounds, the metadata limits, integers within what orjson keeps exactly, timestamps within what
``datetime`` holds, and ``additionalProperties: false`` only where the spec says so.

Two differences JSON Schema cannot express, both where strict mode is the stricter: an
integral float such as ``5.0`` is an integer to JSON Schema but not to strict mode (no
coercion), and an integer literal beyond 64 bits in a *number* field (``temperature``) is
rejected by strict mode (orjson would read it as a float) while the schema leaves number
fields unbounded, so as not to bound floats as well.
"""

from __future__ import annotations

from typing import Any

from ._kinds import (
    MAX_INT,
    MAX_TS,
    MIN_INT,
    MIN_TS,
    Array,
    Bool,
    Const,
    Enum,
    Int,
    JsonObject,
    Kind,
    Model,
    Num,
    Str,
    StrMap,
    StrOr,
    Tagged,
    Timestamp,
    spec_of,
)
from ._schema import _Model

__all__ = ["json_schema"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(cls: type[Any]) -> dict[str, Any]:
    """The JSON Schema (2020-12) of a model, as strict mode reads it.

    Nested models are under ``$defs`` and referenced with ``$ref``.

    >>> import runschema
    >>> s = runschema.json_schema(runschema.RunUpdateParams)
    >>> s["$ref"], s["$defs"]["RunUpdateParams"]["additionalProperties"]
    ('#/$defs/RunUpdateParams', False)
    """
    if not (isinstance(cls, type) and issubclass(cls, _Model)):
        raise TypeError(f"{cls!r} is not a runschema model")
    defs: dict[str, Any] = {}
    _define(cls, defs)
    return {
        "$schema": DIALECT,
        "title": cls.__name__,
        "$ref": f"#/$defs/{cls.__name__}",
        "$defs": dict(sorted(defs.items())),
    }


def _define(cls: type[_Model], defs: dict[str, Any]) -> dict[str, Any]:
    name = cls.__name__
    ref = {"$ref": f"#/$defs/{name}"}
    if name in defs:
        return ref
    defs[name] = {}  # placeholder against cycles
    spec = spec_of(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in spec.fields:
        schema = _kind(f.kind, defs)
        if f.nullable:
            schema = {"anyOf": [schema, {"type": "null"}]}
        props[f.name] = schema
        if not f.optional:
            required.append(f.name)
    body: dict[str, Any] = {"type": "object", "properties": props, "required": required}
    if spec.closed:
        body["additionalProperties"] = False
    doc = (cls.__doc__ or "").strip().split("\n", 1)[0]
    if doc:
        body = {"title": name, "description": doc, **body}
    defs[name] = body
    return ref


def _kind(kind: Kind, defs: dict[str, Any]) -> dict[str, Any]:
    if isinstance(kind, Str):
        return {"type": "string"}
    if isinstance(kind, Int):
        lo = MIN_INT if kind.minimum is None else max(kind.minimum, MIN_INT)
        hi = MAX_INT if kind.maximum is None else min(kind.maximum, MAX_INT)
        return {"type": "integer", "minimum": lo, "maximum": hi}
    if isinstance(kind, Num):
        out: dict[str, Any] = {"type": "number"}
        if kind.minimum is not None:
            out["minimum"] = kind.minimum
        if kind.maximum is not None:
            out["maximum"] = kind.maximum
        return out
    if isinstance(kind, Bool):
        return {"type": "boolean"}
    if isinstance(kind, Timestamp):
        return {
            "type": "integer",
            "minimum": MIN_TS,
            "maximum": MAX_TS,
            "description": "unix seconds",
        }
    if isinstance(kind, Const):
        return {"type": "string", "const": kind.value}
    if isinstance(kind, Enum):
        return {"type": "string", "enum": list(kind.values)}
    if isinstance(kind, Model):
        return _define(kind.cls, defs)
    if isinstance(kind, Array):
        arr: dict[str, Any] = {"type": "array", "items": _kind(kind.item, defs)}
        if kind.max_items is not None:
            arr["maxItems"] = kind.max_items
        return arr
    if isinstance(kind, StrMap):
        return {
            "type": "object",
            "maxProperties": kind.max_pairs,
            "propertyNames": {"maxLength": kind.max_key},
            "additionalProperties": {"type": "string", "maxLength": kind.max_value},
        }
    if isinstance(kind, JsonObject):
        return {"type": "object"}
    if isinstance(kind, Tagged):
        arms = list(dict.fromkeys(kind.arms.values()))
        if len(arms) == 1:
            return _define(arms[0], defs)
        return {"oneOf": [_define(c, defs) for c in arms]}
    if isinstance(kind, StrOr):
        strings = _kind(kind.strings, defs)
        objects = _kind(kind.objects, defs)
        return {"oneOf": [strings, *objects.get("oneOf", [objects])]}
    raise TypeError(f"no JSON Schema for {kind!r}")  # pragma: no cover - every kind is above
