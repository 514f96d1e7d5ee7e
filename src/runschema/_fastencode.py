"""The source of generated encoding functions: one per model class, instance in, what orjson
writes out (or, for ``runschema.dumps``, the bytes it writes).

One dict display in schema order (for an object of ``STORE_FIELDS`` fields or more, a copy of
a template dict, then a store a key); required constants written as literals; optional fields
left UNSET deleted; what a lenient decode remembered (absent keys, unknown keys) applied, as
the reference's ``dump_model`` does. Arrays of objects are converted in loops ahead of the
display (a comprehension is a function of its own in 3.11), small nested objects inline (the
owner's ``inline`` switch, down to ``ENCODE_INLINE_DEPTH``), and a tagged union compares its
value's type with each arm's class. Handlers are looked up by kind class in
:data:`EXPRESSIONS` and :data:`STATEMENTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from orjson import dumps

from ._fastrt import Owner, dump_extra
from ._faststructure import ENCODE_INLINE_DEPTH, small
from ._kinds import (
    EPOCH,
    Array,
    Bool,
    Const,
    Enum,
    FieldInfo,
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
from ._values import UNSET

__all__ = ["EXPRESSIONS", "STATEMENTS", "make_dumper"]

Dumper = Callable[[Any], Any]

#: From this many fields on, an object's dict is a copy of a template dict with each key then
#: stored, not one dict display: CPython's display costs about 25 ns a key up to a dozen keys
#: and then grows faster (a 28-key display takes 0.95 us on 3.11, the copy and 28 stores
#: 0.69 us; 3.10 and 3.13 alike); below it, the display is the faster.
STORE_FIELDS: Final = 16


def make_dumper(fp: Owner, cls: type[Any], *, encode: bool = False) -> Dumper:
    """Generate the encoding function of ``cls`` for ``fp`` (see ``_fast.FastPaths.dumper``).

    ``encode``: the function returns the JSON bytes instead (``orjson.dumps`` of the dict),
    for :func:`runschema.dumps`: one Python call fewer than the dumper and a call of ``dumps``.
    """
    ns: dict[str, Any] = {"UNSET": UNSET, "EPOCH": EPOCH, "extra": dump_extra}
    if encode:  # what the function builds never leaves it: see dump_lines
        ns["_dumps"] = dumps
    end = "    return _dumps(d)" if encode else "    return d"
    lines = ["def dump(o):", *dump_lines(fp, cls, "o", "d", ns, "    ", 0), end]
    fp.compile("\n".join(lines), f"{'encode' if encode else 'dump'} {cls.__qualname__}", ns)
    made: Dumper = ns["dump"]
    return made


def dump_lines(
    fp: Owner, cls: type[Any], o: str, d: str, ns: dict[str, Any], ind: str, depth: int
) -> list[str]:
    """Lines that bind ``d`` to the JSON form of the instance ``o``.

    Each optional field's value is held in a local of its own (``_a{depth}_{k}``), so that
    the test for UNSET after the display reads a local, not the dict (a third of the cost of
    each such test). In a function that writes bytes (``_dumps`` in ``ns``: see
    ``make_dumper``), the dicts built never leave it, so objects of constants only share one.
    """
    spec = spec_of(cls)
    if len(spec.fields) >= STORE_FIELDS:
        return _template_lines(fp, cls, o, d, ns, ind, depth)
    lines = [f"{ind}_e{depth} = {o}._rs_extra"]  # read first: ``d`` may be ``o``'s own name
    constants = {f.name: _constant(f) for f in spec.fields}
    if "_dumps" in ns and None not in constants.values():
        # An object of required constants only (a code_interpreter tool, a text response
        # format) is always the same dict: in a function that writes bytes, where the dict
        # never leaves it, one shared dict serves (not if extras would change it).
        shared = f"_K_{cls.__name__}"
        ns[shared] = constants
        display = "{" + ", ".join(f"{k!r}: {v!r}" for k, v in constants.items()) + "}"
        lines.append(f"{ind}{d} = {shared} if _e{depth} is None else extra({display}, _e{depth})")
        return lines
    items: list[tuple[str, str]] = []  # (key, expression)
    unset = []
    for k, f in enumerate(spec.fields):
        # None and UNSET are written as they are (UNSET is deleted below)
        passed = (["None"] if f.nullable else []) + (["UNSET"] if f.optional else [])
        a = f"_a{depth}_{k}"
        constant = constants[f.name]
        if constant is not None:
            items.append((f.name, repr(constant)))
            continue
        if f.optional:
            unset.append(f"{ind}if {a} is UNSET: del {d}[{f.name!r}]")
        converts = dump_statements(fp, f.kind, a, ns, "", depth)
        if converts is not None:
            lines.append(f"{ind}{a} = {o}.{f.name}")
            sub = ind
            if passed:
                lines.append(f"{ind}if {' and '.join(f'{a} is not {p}' for p in passed)}:")
                sub = ind + "    "
            lines += [sub + line for line in converts]
            items.append((f.name, a))
            continue
        expr = dump_expr(fp, f.kind, a, ns)
        if expr is None:
            value = f"({a} := {o}.{f.name})" if f.optional else f"{o}.{f.name}"
            items.append((f.name, value))
        elif passed:
            first, *rest = passed
            cond = " or ".join(
                [f"({a} := {o}.{f.name}) is {first}", *(f"{a} is {p}" for p in rest)]
            )
            items.append((f.name, f"{a} if {cond} else {expr}"))
        else:  # read once into the local (an enum's expression reads its value twice)
            lines.append(f"{ind}{a} = {o}.{f.name}")
            items.append((f.name, expr))
    lines.append(f"{ind}{d} = {{" + ", ".join(f"{k!r}: {v}" for k, v in items) + "}")
    lines += unset
    lines.append(f"{ind}if _e{depth} is not None: {d} = extra({d}, _e{depth})")
    return lines


def _constant(f: FieldInfo) -> str | None:
    """A required constant's value (a tool's ``type``, a run's ``object``), or None for other
    fields. Constructors and decoders refuse any other value, so the encoder writes it
    without reading the field."""
    kind = f.kind
    return kind.value if isinstance(kind, Const) and not f.optional and not f.nullable else None


def _template_lines(
    fp: Owner, cls: type[Any], o: str, d: str, ns: dict[str, Any], ind: str, depth: int
) -> list[str]:
    """:func:`dump_lines` for an object of ``STORE_FIELDS`` fields or more: a copy of a
    template dict (every key, in schema order, each None), then each field in turn, stored
    once converted, left None when None, its key deleted when UNSET."""
    spec = spec_of(cls)
    template, m, e = f"_T_{cls.__name__}", f"_m{depth}", f"_e{depth}"
    # a constant is the template's own value; every other value is None until stored
    ns[template] = {f.name: _constant(f) for f in spec.fields}
    lines = [f"{ind}{e} = {o}._rs_extra", f"{ind}{m} = {template}.copy()"]
    # The first timestamp, when always there (a run's created_at), is the anchor: a later one
    # that is the same datetime object (a decoded run that started the second it was created
    # shares it, see _faststructure's anchor) takes its number without converting again.
    anchor: tuple[str, str] | None = None
    for k, f in enumerate(spec.fields):
        a, key = f"_a{depth}_{k}", repr(f.name)
        if _constant(f) is not None:
            continue
        converts = dump_statements(fp, f.kind, a, ns, "", depth)
        value = a
        if converts is None:
            expr = dump_expr(fp, f.kind, a, ns)
            if expr is None and not f.optional:  # as it is, None included: one store
                lines.append(f"{ind}{m}[{key}] = {o}.{f.name}")
                continue
            converts, value = [], expr or a
            if isinstance(f.kind, Timestamp):
                if anchor is not None:
                    value = f"({anchor[1]} if {a} is {anchor[0]} else {value})"
                elif not (f.optional or f.nullable):
                    anchor = (a, f"_i{depth}")
                    value = f"{anchor[1]} = {value}"
        body = [*converts, f"{m}[{key}] = {value}"]
        passed = (["None"] if f.nullable else []) + (["UNSET"] if f.optional else [])
        if not passed:
            lines.append(f"{ind}{a} = {o}.{f.name}")
            lines += [ind + line for line in body]
            continue
        first, *rest = passed
        cond = " and ".join(
            [f"({a} := {o}.{f.name}) is not {first}"] + [f"{a} is not {p}" for p in rest]
        )
        lines.append(f"{ind}if {cond}:")
        lines += [f"{ind}    {line}" for line in body]
        if f.optional:
            lines.append(
                f"{ind}{'elif ' + a + ' is UNSET' if f.nullable else 'else'}: del {m}[{key}]"
            )
    lines.append(f"{ind}if {e} is not None: {m} = extra({m}, {e})")
    lines.append(f"{ind}{d} = {m}")
    return lines


# --- expressions: the JSON form of a value in one expression, or None if it is it already ----


def _as_is(fp: Owner, kind: Any, v: str, ns: dict[str, Any]) -> str | None:
    return None


def _timestamp_expr(fp: Owner, kind: Any, v: str, ns: dict[str, Any]) -> str | None:
    # as Timestamp.dump does, inline
    return f"((_s := {v} - EPOCH).days * 86400 + _s.seconds)"


def _enum_expr(fp: Owner, kind: Any, v: str, ns: dict[str, Any]) -> str | None:
    return f"({v} if type({v}) is str else {v}.value)"


def _model_expr(fp: Owner, kind: Model, v: str, ns: dict[str, Any]) -> str | None:
    name = f"_d_{kind.cls.__name__}"
    ns[name] = fp.dumper(kind.cls)
    return f"{name}({v})"


#: Expressions by kind class (an array's items that need converting are converted by
#: :data:`STATEMENTS`; unions are only ever statements).
EXPRESSIONS: Final[dict[type[Kind], Callable[[Owner, Any, str, dict[str, Any]], str | None]]] = {
    Str: _as_is,
    Int: _as_is,
    Num: _as_is,
    Bool: _as_is,
    Const: _as_is,
    StrMap: _as_is,
    JsonObject: _as_is,
    Array: _as_is,
    StrOrArray: _as_is,
    Timestamp: _timestamp_expr,
    Enum: _enum_expr,
    Model: _model_expr,
}


def dump_expr(fp: Owner, kind: Kind, v: str, ns: dict[str, Any]) -> str | None:
    """An expression turning ``v`` into its JSON form, or None when ``v`` is already it."""
    handler = EXPRESSIONS.get(type(kind))
    if handler is None:  # pragma: no cover - see dump_statements
        raise TypeError(f"no fast dump for {kind!r}")
    return handler(fp, kind, v, ns)


# --- statements: lines converting a local in place ----------------------------------------


def _model_statements(
    fp: Owner, kind: Model, a: str, ns: dict[str, Any], ind: str, depth: int
) -> list[str] | None:
    if not small(fp, kind.cls, depth, ENCODE_INLINE_DEPTH):
        return None
    return dump_lines(fp, kind.cls, a, a, ns, ind, depth + 1)


def _tagged_statements(
    fp: Owner, kind: Tagged, a: str, ns: dict[str, Any], ind: str, depth: int
) -> list[str] | None:
    t = f"_t{depth}"
    lines = [f"{ind}{t} = type({a})"]
    branch = "if"
    for arm in dict.fromkeys(kind.arms.values()):  # arms of one class: one branch
        if getattr(arm, "__rs_unknown_arm__", False):
            continue
        name = f"_C_{arm.__name__}"
        ns[name] = arm
        lines.append(f"{ind}{branch} {t} is {name}:")
        inline = dump_statements(fp, Model(arm), a, ns, ind + "    ", depth)
        lines += (
            inline if inline is not None else [f"{ind}    {a} = {dump_expr(fp, Model(arm), a, ns)}"]
        )
        branch = "elif"
    ns["_DUMPERS"] = fp.dumpers
    return [*lines, f"{ind}else: {a} = _DUMPERS[{t}]({a})"]  # an unknown arm


def _str_or_statements(
    fp: Owner, kind: StrOr, a: str, ns: dict[str, Any], ind: str, depth: int
) -> list[str] | None:
    objects = dump_statements(fp, kind.objects, a, ns, ind + "    ", depth)
    assert objects is not None
    return [f"{ind}if type({a}) is not str:", *objects]


def _array_statements(
    fp: Owner, kind: Array, a: str, ns: dict[str, Any], ind: str, depth: int
) -> list[str] | None:
    x, out = f"_x{depth}", f"_l{depth}"
    item = dump_statements(fp, kind.item, x, ns, ind + "    ", depth + 1)
    if item is None:
        expr = dump_expr(fp, kind.item, x, ns)
        if expr is None:
            return None  # items written as they are: the tuple is
        item = [f"{ind}    {x} = {expr}"]
    return [
        f"{ind}{out} = []",
        f"{ind}for {x} in {a}:",
        *item,
        f"{ind}    {out}.append({x})",
        f"{ind}{a} = {out}",
    ]


def _str_or_array_statements(
    fp: Owner, kind: StrOrArray, a: str, ns: dict[str, Any], ind: str, depth: int
) -> list[str] | None:
    items = _array_statements(fp, kind.items, a, ns, ind + "    ", depth)
    if items is None:
        return None  # a string or a tuple of strings: written as they are
    return [f"{ind}if type({a}) is not str:", *items]


#: Statements by kind class; other kinds take an expression (see :data:`EXPRESSIONS`).
STATEMENTS: Final[
    dict[
        type[Kind],
        Callable[[Owner, Any, str, dict[str, Any], str, int], list[str] | None],
    ]
] = {
    Model: _model_statements,
    Tagged: _tagged_statements,
    StrOr: _str_or_statements,
    Array: _array_statements,
    StrOrArray: _str_or_array_statements,
}


def dump_statements(
    fp: Owner, kind: Kind, a: str, ns: dict[str, Any], ind: str, depth: int
) -> list[str] | None:
    """Lines that turn the local ``a`` (neither None nor UNSET) into its JSON form in place,
    or None when an expression does (see :func:`dump_expr`)."""
    handler = STATEMENTS.get(type(kind))
    return None if handler is None else handler(fp, kind, a, ns, ind, depth)
