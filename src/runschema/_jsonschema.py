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

from collections.abc import Callable
from typing import Any, Final

import orjson

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
    StrOrArray,
    Tagged,
    Timestamp,
    spec_of,
)
from ._schema import _Model

__all__ = ["json_schema"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(cls: type[Any]) -> dict[str, Any]:
    """The JSON Schema (2020-12) of a model, as strict mode reads it.

    Nested models are under ``$defs`` and referenced with ``$ref``. An unknown arm
    (``UnknownTool``...), which strict mode never reads, is a TypeError.

    >>> import runschema
    >>> s = runschema.json_schema(runschema.RunUpdateParams)
    >>> s["$ref"], s["$defs"]["RunUpdateParams"]["additionalProperties"]
    ('#/$defs/RunUpdateParams', False)
    """
    if not (isinstance(cls, type) and issubclass(cls, _Model)):
        raise TypeError(f"{cls!r} is not a runschema model")
    if getattr(cls, "__rs_unknown_arm__", False):  # found by a user reading the docstrings:
        # its schema was of its Python form, {"data": {...}}, which no JSON has
        raise TypeError(
            f"{cls.__name__} is what lenient mode keeps of a tag this version does not know, "
            "which strict mode refuses: it has no schema (a union's schema lists the tags "
            "strict mode reads)"
        )
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
    rules: list[dict[str, Any]] = [
        {"oneOf": [{"required": [n]} for n in group]} for group in spec.one_of
    ]
    rules += [
        {
            "if": {"properties": {field: {"const": value}}, "required": [field]},
            "then": {"required": [key]},
        }
        for key, field, value in spec.required_if
    ]
    if rules:
        body.update(rules[0] if len(rules) == 1 else {"allOf": rules})
    doc = (cls.__doc__ or "").strip().split("\n", 1)[0]
    if doc:
        body = {"title": name, "description": doc, **body}
    defs[name] = body
    return ref


def _kind(kind: Kind, defs: dict[str, Any]) -> dict[str, Any]:
    handler = SCHEMAS.get(type(kind))
    if handler is None:  # pragma: no cover - every kind has a handler
        raise TypeError(f"no JSON Schema for {kind!r}")
    return handler(kind, defs)


def _str(kind: Str, defs: dict[str, Any]) -> dict[str, Any]:
    if kind.schema:  # said so that every engine reads it alike (see _schema.Pattern)
        return {"type": "string", **orjson.loads(kind.schema)}
    if kind.pattern is not None:  # anchored: JSON Schema's pattern matches anywhere
        return {"type": "string", "pattern": f"^{kind.pattern}$"}
    return {"type": "string"}


def _int(kind: Int, defs: dict[str, Any]) -> dict[str, Any]:
    lo = MIN_INT if kind.minimum is None else max(kind.minimum, MIN_INT)
    hi = MAX_INT if kind.maximum is None else min(kind.maximum, MAX_INT)
    return {"type": "integer", "minimum": lo, "maximum": hi}


def _num(kind: Num, defs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "number"}
    if kind.minimum is not None:
        out["minimum"] = kind.minimum
    if kind.maximum is not None:
        out["maximum"] = kind.maximum
    return out


def _bool(kind: Bool, defs: dict[str, Any]) -> dict[str, Any]:
    return {"type": "boolean"}


def _timestamp(kind: Timestamp, defs: dict[str, Any]) -> dict[str, Any]:
    return {"type": "integer", "minimum": MIN_TS, "maximum": MAX_TS, "description": "unix seconds"}


def _const(kind: Const, defs: dict[str, Any]) -> dict[str, Any]:
    return {"type": "string", "const": kind.value}


def _enum(kind: Enum, defs: dict[str, Any]) -> dict[str, Any]:
    return {"type": "string", "enum": list(kind.values)}


def _model(kind: Model, defs: dict[str, Any]) -> dict[str, Any]:
    return _define(kind.cls, defs)


def _array(kind: Array, defs: dict[str, Any]) -> dict[str, Any]:
    arr: dict[str, Any] = {"type": "array", "items": _kind(kind.item, defs)}
    if kind.max_items is not None:
        arr["maxItems"] = kind.max_items
    if kind.min_items is not None:
        arr["minItems"] = kind.min_items
    return arr


def _str_map(kind: StrMap, defs: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "maxProperties": kind.max_pairs,
        "propertyNames": {"maxLength": kind.max_key},
        "additionalProperties": {"type": "string", "maxLength": kind.max_value},
    }


def _json_object(kind: JsonObject, defs: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object"}


def _tagged(kind: Tagged, defs: dict[str, Any]) -> dict[str, Any]:
    arms = list(dict.fromkeys(kind.arms.values()))
    if len(arms) == 1:
        return _define(arms[0], defs)
    return {"oneOf": [_define(c, defs) for c in arms]}


def _str_or(kind: StrOr, defs: dict[str, Any]) -> dict[str, Any]:
    strings = _kind(kind.strings, defs)
    objects = _kind(kind.objects, defs)
    return {"oneOf": [strings, *objects.get("oneOf", [objects])]}


def _str_or_array(kind: StrOrArray, defs: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [_str(kind.text, defs), _array(kind.items, defs)]}


#: The JSON Schema of each kind, by kind class.
SCHEMAS: Final[dict[type[Kind], Callable[[Any, dict[str, Any]], dict[str, Any]]]] = {
    Str: _str,
    Int: _int,
    Num: _num,
    Bool: _bool,
    Timestamp: _timestamp,
    Const: _const,
    Enum: _enum,
    Model: _model,
    Array: _array,
    StrMap: _str_map,
    JsonObject: _json_object,
    Tagged: _tagged,
    StrOr: _str_or,
    StrOrArray: _str_or_array,
}
