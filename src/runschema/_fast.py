"""Generated fast paths: one structuring and one encoding function per model class and mode.

The reference interpreter in ``_kinds`` explains every problem and keeps everything a lenient
decode must keep; it pays for that with per-field bookkeeping. Most documents need none of it:
every key known, every required key present, every value valid. For those, this module
generates (once per class, on first use, never at import) plain Python functions with inline
``type(v) is str`` checks, one ``try`` around plain ``d[key]`` lookups, one ``len(d)``
comparison for unknown keys, and instances built with ``object.__new__`` and slot
descriptors.

A generated structuring function never decides that input is *bad*: on anything unusual
(a missing or unknown key, an unknown enum value or tag, any invalid value) it raises, and the
caller re-runs the reference interpreter on the same input, which builds the value or reports
every error. So results and errors are those of the reference by construction; the tests
check the two agree on valid and invalid input alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, Final

from ._kinds import (
    EPOCH,
    MAX_DEPTH,
    MAX_INT,
    MAX_TS,
    MIN_INT,
    MIN_TS,
    PLACEMENT_DEPTH,
    SECOND,
    Array,
    Bool,
    Const,
    Enum,
    Extra,
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
    dump_model,
    spec_of,
)
from ._models import _Lazy, _Model
from ._values import UNSET, FrozenMap, UnknownValue

__all__ = ["dumper", "structurer"]

Structurer = Callable[[dict[str, Any]], Any]
Dumper = Callable[[Any], Any]

_STRUCTURERS: dict[tuple[type[Any], bool], Structurer] = {}
_DUMPERS: dict[type[Any], Dumper] = {}


_ABSENT: Any = object()


#: A float this large may be an integer literal orjson could not hold (it reads those beyond 64
#: bits as floats); also false for NaN and infinities. Anything outside goes to the reference,
#: after an exact re-parse (see ``_codec.loads``).
BIG_FLOAT: Final = 9.2e18


class _Fail(Exception):
    """Raised by generated code: not the clean case, ask the reference interpreter."""


#: Deeper JSON values go to the reference, which checks the exact depth orjson can write.
_FAST_DEPTH: Final = MAX_DEPTH - 2 * PLACEMENT_DEPTH - 8


def _freeze(v: Any, depth: int = 0) -> Any:
    """Deep-freeze decoded JSON; anything unusual (or deep) is left to the reference."""
    t = type(v)
    if t is dict:
        if depth > _FAST_DEPTH:
            raise _Fail
        return FrozenMap({k: _freeze(x, depth + 1) for k, x in v.items()})
    if t is list:
        if depth > _FAST_DEPTH:
            raise _Fail
        return tuple([_freeze(x, depth + 1) for x in v])
    if t is str or t is bool or v is None:
        return v
    if t is int:
        if MIN_INT <= v <= MAX_INT:
            return v
        raise _Fail
    if t is float and -BIG_FLOAT < v < BIG_FLOAT:
        return v
    raise _Fail


def _reference_only(d: dict[str, Any]) -> Any:
    raise _Fail


def _target(kind: Kind) -> Kind:
    return kind.target if isinstance(kind, _Lazy) else kind


class _Gen:
    """Emits the source of one structuring function."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.ns: dict[str, Any] = {
            "_Fail": _Fail,
            "UNSET": UNSET,
            "FrozenMap": FrozenMap,
            "UnknownValue": UnknownValue,
            "_freeze": _freeze,
            "EPOCH": EPOCH,
            "timedelta": timedelta,
            "BIG_FLOAT": BIG_FLOAT,
            "MIN_INT": MIN_INT,
            "MAX_INT": MAX_INT,
            "MIN_TS": MIN_TS,
            "MAX_TS": MAX_TS,
            "new": object.__new__,
        }
        self.n = 0

    def const(self, value: Any) -> str:
        self.n += 1
        name = f"_c{self.n}"
        self.ns[name] = value
        return name

    def check(self, kind: Kind, v: str, ind: str) -> list[str]:
        """Lines that validate ``v`` and rebind it to the Python value (or raise _Fail)."""
        kind = _target(kind)
        strict = self.strict
        if isinstance(kind, Str):
            return [f"{ind}if type({v}) is not str: raise _Fail"]
        if isinstance(kind, Int):
            lo = MIN_INT if kind.minimum is None or not strict else max(kind.minimum, MIN_INT)
            hi = MAX_INT if kind.maximum is None or not strict else min(kind.maximum, MAX_INT)
            return [f"{ind}if type({v}) is not int or not ({lo} <= {v} <= {hi}): raise _Fail"]
        if isinstance(kind, Num):
            lo_n = kind.minimum if strict else None
            hi_n = kind.maximum if strict else None
            lines = [
                f"{ind}if type({v}) is float:",
                f"{ind}    if not (-BIG_FLOAT < {v} < BIG_FLOAT): raise _Fail",
                f"{ind}elif type({v}) is not int or not (MIN_INT <= {v} <= MAX_INT): raise _Fail",
            ]
            if lo_n is not None:
                lines.append(f"{ind}if {v} < {lo_n!r}: raise _Fail")
            if hi_n is not None:
                lines.append(f"{ind}if {v} > {hi_n!r}: raise _Fail")
            return lines
        if isinstance(kind, Bool):
            return [f"{ind}if type({v}) is not bool: raise _Fail"]
        if isinstance(kind, Timestamp):
            return [
                f"{ind}if type({v}) is not int or not (MIN_TS <= {v} <= MAX_TS): raise _Fail",
                f"{ind}{v} = EPOCH + timedelta(seconds={v})",
            ]
        if isinstance(kind, Const):
            return [f"{ind}if type({v}) is not str or {v} != {kind.value!r}: raise _Fail"]
        if isinstance(kind, Enum):
            s = self.const(frozenset(kind.values))
            return [f"{ind}if type({v}) is not str or {v} not in {s}: raise _Fail"]
        if isinstance(kind, Model):
            f = self.const(structurer(kind.cls, strict))
            return [f"{ind}if type({v}) is not dict: raise _Fail", f"{ind}{v} = {f}({v})"]
        if isinstance(kind, Array):
            lines = [f"{ind}if type({v}) is not list: raise _Fail"]
            if strict and kind.max_items is not None:
                lines.append(f"{ind}if len({v}) > {kind.max_items}: raise _Fail")
            item = _target(kind.item)
            if isinstance(item, Str):
                lines += [
                    f"{ind}for _x in {v}:",
                    f"{ind}    if type(_x) is not str: raise _Fail",
                    f"{ind}{v} = tuple({v})",
                ]
            else:
                conv = self.const(_item_function(item, strict))
                lines.append(f"{ind}{v} = tuple([{conv}(_x) for _x in {v}])")
            return lines
        if isinstance(kind, StrMap):
            lines = [f"{ind}if type({v}) is not dict: raise _Fail"]
            if strict:
                lines += [
                    f"{ind}if len({v}) > {kind.max_pairs}: raise _Fail",
                    f"{ind}for _k, _x in {v}.items():",
                    f"{ind}    if type(_x) is not str or type(_k) is not str: raise _Fail",
                    f"{ind}    if len(_k) > {kind.max_key} or len(_x) > {kind.max_value}:",
                    f"{ind}        raise _Fail",
                ]
            else:
                lines += [
                    f"{ind}for _k, _x in {v}.items():",
                    f"{ind}    if type(_x) is not str or type(_k) is not str: raise _Fail",
                ]
            lines.append(f"{ind}{v} = FrozenMap({v})")
            return lines
        if isinstance(kind, JsonObject):
            return [f"{ind}if type({v}) is not dict: raise _Fail", f"{ind}{v} = _freeze({v})"]
        if isinstance(kind, Tagged):
            arms = self.const({tag: structurer(c, strict) for tag, c in kind.arms.items()})
            return [
                f"{ind}if type({v}) is not dict: raise _Fail",
                f"{ind}{v} = {arms}[{v}['type']]({v})",
            ]
        if isinstance(kind, StrOr):
            strings = self.const(frozenset(kind.strings.values))
            arms = self.const({tag: structurer(c, strict) for tag, c in kind.objects.arms.items()})
            return [
                f"{ind}if type({v}) is str:",
                f"{ind}    if {v} not in {strings}: raise _Fail",
                f"{ind}elif type({v}) is dict:",
                f"{ind}    {v} = {arms}[{v}['type']]({v})",
                f"{ind}else: raise _Fail",
            ]
        raise TypeError(f"no fast path for {kind!r}")  # pragma: no cover


def _item_function(kind: Kind, strict: bool) -> Callable[[Any], Any]:
    gen = _Gen(strict)
    lines = ["def item(v):", *gen.check(kind, "v", "    "), "    return v"]
    exec("\n".join(lines), gen.ns)  # our own generated source
    fn: Callable[[Any], Any] = gen.ns["item"]
    return fn


def _slot_setters(cls: type[Any]) -> dict[str, Any]:
    setters: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        for name, member in vars(klass).items():
            if type(member).__name__ == "member_descriptor":
                setters[name] = member.__set__
    return setters


def structurer(cls: type[_Model], strict: bool) -> Structurer:
    """The generated clean-case structuring function of ``cls`` (built on first use)."""
    key = (cls, strict)
    fn = _STRUCTURERS.get(key)
    if fn is not None:
        return fn
    if getattr(cls, "__rs_unknown_arm__", False):
        return _reference_only  # an unknown arm is built by the reference interpreter only
    spec = spec_of(cls)
    gen = _Gen(strict)
    setters = _slot_setters(cls)
    gen.ns["cls"] = cls
    lines = ["def structure(d):", "    try:"]
    required = [f for f in spec.fields if not f.optional]
    optional = [f for f in spec.fields if f.optional]
    # Lenient mode reads an absent nullable key as None and remembers it (see Extra).
    may_be_absent = [f.name for f in required if f.nullable and not strict]
    if may_be_absent:
        gen.ns["_ABSENT"] = _ABSENT
        gen.ns["Extra"] = Extra
        gen.ns["_EMPTY"] = FrozenMap()
        lines.append("        absent = ()")
    for i, f in enumerate(required):
        v = f"v{i}"
        body = gen.check(f.kind, v, "            " if f.nullable else "        ")
        if f.name in may_be_absent:
            lines += [
                f"        {v} = d.get({f.name!r}, _ABSENT)",
                f"        if {v} is _ABSENT:",
                f"            {v} = None",
                f"            absent += ({f.name!r},)",
                f"        elif {v} is not None:",
            ]
        else:
            lines.append(f"        {v} = d[{f.name!r}]")
            if f.nullable:
                lines.append(f"        if {v} is not None:")
        lines += body
    n_required = f"{len(required)} - len(absent)" if may_be_absent else str(len(required))
    if optional:
        lines.append(f"        n = {n_required}")
    for j, f in enumerate(optional):
        v = f"o{j}"
        lines.append(f"        {v} = d.get({f.name!r}, UNSET)")
        cond = f"{v} is not UNSET and {v} is not None" if f.nullable else f"{v} is not UNSET"
        lines.append(f"        if {v} is not UNSET: n += 1")
        lines.append(f"        if {cond}:")
        lines += gen.check(f.kind, v, "            ")
    count = "n" if optional else n_required
    lines += [
        f"        if len(d) != {count}: raise _Fail",
        "    except _Fail: raise",
        "    except Exception: raise _Fail",
        "    inst = new(cls)",
    ]
    for i, f in enumerate(required):
        s = gen.const(setters[f.name])
        lines.append(f"    {s}(inst, v{i})")
    for j, f in enumerate(optional):
        s = gen.const(setters[f.name])
        lines.append(f"    {s}(inst, o{j})")
    extra = "Extra(frozenset(absent), _EMPTY) if absent else None" if may_be_absent else "None"
    lines.append(f"    {gen.const(setters['_rs_extra'])}(inst, {extra})")
    lines.append("    return inst")
    exec("\n".join(lines), gen.ns)  # our own generated source
    made: Structurer = gen.ns["structure"]
    _STRUCTURERS[key] = made
    return made


# --- encoding -----------------------------------------------------------------------------


def _dump_expr(kind: Kind, v: str, ns: dict[str, Any]) -> str | None:
    """An expression turning ``v`` into its JSON form, or None when ``v`` is already it."""
    kind = _target(kind)
    if isinstance(kind, (Str, Int, Num, Bool, Const, StrMap, JsonObject)):
        return None
    if isinstance(kind, Timestamp):
        return f"({v} - EPOCH) // SECOND"
    if isinstance(kind, Enum):
        return f"({v} if type({v}) is str else {v}.value)"
    if isinstance(kind, Model):
        name = f"_d_{kind.cls.__name__}"
        ns[name] = dumper(kind.cls)
        return f"{name}({v})"
    if isinstance(kind, Array):
        inner = _dump_expr(kind.item, "_x", ns)
        return None if inner is None else f"[{inner} for _x in {v}]"
    if isinstance(kind, (Tagged, StrOr)):
        ns["_union_dump"] = _union_dump
        return f"({v} if type({v}) is str else _union_dump({v}))"
    raise TypeError(f"no fast dump for {kind!r}")  # pragma: no cover


def _union_dump(v: Any) -> Any:
    if type(v) is UnknownValue:
        return v.value
    return dumper(type(v))(v)


def dumper(cls: type[Any]) -> Dumper:
    """The generated encoding function of ``cls``: the instance to what orjson writes."""
    fn = _DUMPERS.get(cls)
    if fn is not None:
        return fn
    if getattr(cls, "__rs_unknown_arm__", False):
        fn = _DUMPERS[cls] = _unknown_data
        return fn
    spec = spec_of(cls)
    ns: dict[str, Any] = {"UNSET": UNSET, "EPOCH": EPOCH, "SECOND": SECOND, "slow": dump_model}
    lines = ["def dump(o):", "    if o._rs_extra is not None: return slow(o)", "    d = {}"]
    for f in spec.fields:
        expr = _dump_expr(f.kind, "v", ns) or "v"
        lines.append(f"    v = o.{f.name}")
        if f.optional:
            lines.append("    if v is not UNSET:")
            ind = "        "
        else:
            ind = "    "
        if f.nullable and expr != "v":
            lines.append(f"{ind}d[{f.name!r}] = None if v is None else {expr}")
        else:
            lines.append(f"{ind}d[{f.name!r}] = {expr}")
    lines.append("    return d")
    exec("\n".join(lines), ns)  # our own generated source
    made: Dumper = ns["dump"]
    _DUMPERS[cls] = made
    return made


def _unknown_data(o: Any) -> Any:
    return o.data
