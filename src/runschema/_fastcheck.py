"""Generated clean-case checks of models built in Python: what a constructor (and so
``attrs.evolve``) runs after attrs has set the fields.

The reference, :func:`runschema._kinds.check_model`, validates and normalises every field
through its kind, with a context that records problems: about 4 us for a usage, 20 us for a
run. A value that a constructor gets from another model (``attrs.evolve(run, status=...)``:
every other field) or writes in its normal form needs none of that. The generated function
checks, field by field, that each value already *is* its normal form: a ``str`` that is ASCII
or free of lone surrogates, an ``int`` within 64 bits, a UTC ``datetime`` at whole seconds, a
known enum string, a tuple of such items, a ``FrozenMap`` of strings, an instance of the
field's model or of one of its union's arms. On anything else it stops, and the reference
checks the instance from the start, so that problems, messages and normalisation are the
reference's by construction. A field the reference would always rewrite (a JSON object, which
it copies) sends every instance holding one to the reference.

Constructors apply the lenient rules, every class alike (unknown arms keep the reference).
"""

from __future__ import annotations

import itertools
import linecache
import math
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from ._kinds import (
    MAX_INT,
    MIN_INT,
    UTC,
    Array,
    Bool,
    Const,
    Enum,
    Extra,
    Int,
    Kind,
    Model,
    Num,
    Str,
    StrMap,
    StrOr,
    StrOrArray,
    Tagged,
    Timestamp,
    check_model,
    spec_of,
)
from ._values import UNSET, FrozenMap

__all__ = ["check_built", "run_source"]

Check = Callable[[Any], None]


class _Slow(Exception):
    """Raised by generated code: not the clean case, ask the reference."""


def _absent_still(inst: Any, extra: Extra) -> None:
    """What ``check_model`` does with a decoded instance's absent keys: a key read as absent
    stays so only while it still holds the None it was read as."""
    still = frozenset(n for n in extra.absent if getattr(inst, n, None) is None)
    if still != extra.absent:
        kept = Extra(still, extra.unknown) if still or extra.unknown else None
        object.__setattr__(inst, "_rs_extra", kept)


class _Source:
    """The lines of one generated function, and the constants it names."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {
            "_Slow": _Slow,
            "str": str,
            "int": int,
            "float": float,
            "bool": bool,
            "tuple": tuple,
            "type": type,
            "UTC": UTC,
            "MIN_INT": MIN_INT,
            "MAX_INT": MAX_INT,
            "FrozenMap": FrozenMap,
            "UNSET": UNSET,
            "Extra": Extra,
            "_absent_still": _absent_still,
            "_items": dict.items,
            "_datetime": datetime,
            "_INF": math.inf,
        }
        self._names = 0
        self._vars = 0

    def const(self, value: Any) -> str:
        self._names += 1
        name = f"_c{self._names}"
        self.namespace[name] = value
        return name

    def var(self) -> str:
        self._vars += 1
        return f"_x{self._vars}"

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)


def _clean_str(v: str) -> str:
    # ASCII is the common case and cannot hold a surrogate; anything else takes the reference
    return f"type({v}) is not str or not {v}.isascii()"


def _emit(src: _Source, kind: Kind, v: str, depth: int) -> bool:
    """Emit lines raising _Slow unless ``v`` is ``kind``'s normal form; False for a kind
    the clean case does not cover."""
    t = type(kind)
    if t is Str:
        src.emit(depth, f"if {_clean_str(v)}: raise _Slow")
    elif t is Int:
        src.emit(depth, f"if type({v}) is not int or not MIN_INT <= {v} <= MAX_INT: raise _Slow")
    elif t is Num:
        src.emit(
            depth,
            f"if not ((type({v}) is float and -_INF < {v} < _INF) or "
            f"(type({v}) is int and MIN_INT <= {v} <= MAX_INT)): raise _Slow",
        )
    elif t is Bool:
        src.emit(depth, f"if type({v}) is not bool: raise _Slow")
    elif t is Timestamp:
        src.emit(
            depth,
            f"if type({v}) is not _datetime or {v}.tzinfo is not UTC or {v}.microsecond: "
            "raise _Slow",
        )
    elif t is Const:
        assert isinstance(kind, Const)
        src.emit(depth, f"if type({v}) is not str or {v} != {kind.value!r}: raise _Slow")
    elif t is Enum:
        assert isinstance(kind, Enum)
        values = src.const(frozenset(kind.values))
        src.emit(depth, f"if type({v}) is not str or {v} not in {values}: raise _Slow")
    elif t is Model:
        assert isinstance(kind, Model)
        src.emit(depth, f"if type({v}) is not {src.const(kind.cls)}: raise _Slow")
    elif t is Tagged:
        assert isinstance(kind, Tagged)
        arms = src.const(frozenset(kind.arms.values()) | {kind.unknown})
        src.emit(depth, f"if type({v}) not in {arms}: raise _Slow")
    elif t is StrOr:
        assert isinstance(kind, StrOr)
        values = src.const(frozenset(kind.strings.values))
        arms = src.const(frozenset(kind.objects.arms.values()) | {kind.objects.unknown})
        src.emit(
            depth,
            f"if not ((type({v}) is str and {v} in {values}) or type({v}) in {arms}): raise _Slow",
        )
    elif t is Array:
        assert isinstance(kind, Array)
        item = src.var()
        src.emit(depth, f"if type({v}) is not tuple: raise _Slow")
        src.emit(depth, f"for {item} in {v}:")
        return _emit(src, kind.item, item, depth + 1)
    elif t is StrOrArray:
        assert isinstance(kind, StrOrArray)
        src.emit(depth, f"if type({v}) is str:")
        src.emit(depth + 1, f"if not {v}.isascii(): raise _Slow")
        src.emit(depth, "else:")
        return _emit(src, kind.items, v, depth + 1)
    elif t is StrMap:
        k, x = src.var(), src.var()
        src.emit(depth, f"if type({v}) is not FrozenMap: raise _Slow")
        src.emit(depth, f"for {k}, {x} in _items({v}):")
        src.emit(depth + 1, f"if {_clean_str(k)} or {_clean_str(x)}: raise _Slow")
    else:  # a JSON object (always copied by the reference), or a kind of the future
        return False
    return True


def _generate(cls: type[Any]) -> Check:
    """The clean-case check of ``cls``, or the reference itself where there is none."""
    if getattr(cls, "__rs_unknown_arm__", False):
        return lambda inst: check_model(inst, False)
    src = _Source()
    src.emit(0, "def check(inst):")
    src.emit(1, "try:")
    for f in spec_of(cls).fields:
        v = src.var()
        src.emit(2, f"{v} = inst.{f.name}")
        if f.optional:
            src.emit(2, f"if {v} is UNSET: pass")
        if f.nullable:
            src.emit(2, f"{'el' if f.optional else ''}if {v} is None: pass")
        if not (f.optional and f.nullable):  # the other of UNSET and None is never clean
            either = "el" if f.optional or f.nullable else ""
            src.emit(2, f"{either}if {v} is UNSET or {v} is None: raise _Slow")
        src.emit(2, "else:")
        if not _emit(src, f.kind, v, 3):
            return lambda inst: check_model(inst, False)
    src.emit(2, "e = inst._rs_extra")
    src.emit(2, "if e is not None:")
    src.emit(3, "if type(e) is not Extra: raise _Slow")
    src.emit(3, "if e.absent: _absent_still(inst, e)")
    src.emit(2, "return")
    src.emit(1, "except Exception:  # _Slow, or a value no check foresaw")
    src.emit(2, "pass")
    src.emit(1, "check_model(inst, False)  # outside the handler: its errors chain to nothing")
    src.namespace["check_model"] = check_model
    namespace = src.namespace
    run_source("\n".join(src.lines) + "\n", f"check {cls.__qualname__}", namespace)
    check: Check = namespace["check"]
    return check


_FILES: Final = itertools.count(1)


# (here, in the lowest module that generates code: the others run theirs through it)
def run_source(source: str, label: str, namespace: dict[str, Any]) -> None:
    """Run generated ``source`` in ``namespace``, registered with ``linecache`` under a
    unique file name (``<runschema generated LABEL #N>``) so tracebacks and debuggers show
    its lines."""
    filename = f"<runschema generated {label} #{next(_FILES)}>"
    lines = source.splitlines(keepends=True)
    linecache.cache[filename] = (len(source), None, lines, filename)
    exec(compile(source, filename, "exec"), namespace)  # our own generated source


_CHECKS: Final[dict[type[Any], Check]] = {}
_LOCK: Final = threading.Lock()


def check_built(inst: Any) -> None:
    """Validate and normalise a model built in Python (``__attrs_post_init__``): the
    generated clean case, else the reference."""
    cls = type(inst)
    check = _CHECKS.get(cls)
    if check is None:
        with _LOCK:
            check = _CHECKS.get(cls)
            if check is None:
                check = _CHECKS[cls] = _generate(cls)
    check(inst)
