"""The source of generated structuring functions: one per model class, mode and input.

A generated function does the clean case only: every key known, every required key present,
every value valid. It never decides that input is *bad*: on anything unusual it raises
``Fail``, and the caller re-runs the reference interpreter, which builds the value or reports
every error. What it does, per technique (each one a switch of the owner, ``_fast.FastPaths``):

- inline ``type(v) is str`` checks, one ``try`` around plain ``d[key]`` lookups (or one
  ``itemgetter`` call), one ``len(d)`` comparison for unknown keys;
- instances built without ``__init__``: plain attribute stores on a private mutable twin of the
  class, then ``__class__`` set to the class itself (see ``_fastrt.make_builder``);
- small nested objects (usage, truncation_strategy...) built inline in their parent's function
  (``inline``); tagged unions pick their arm by comparing tags;
- objects of constant fields only are one shared instance (``shared_constants``);
- a run's later timestamps taken from its created_at (``anchor_timestamps``);
- other timestamps taken from a kept datetime of their span of seconds (``span_timestamps``);
- JSON Schemas parsed by orjson interned by their JSON text (``intern_schemas``);
- lenient documents that lack a nullable key go to a variant made for that key, which
  ``loads`` then tries first (``absent_variant``).

Code is emitted by handlers looked up by kind class in :data:`CHECKS` (as h11 keeps its
readers and writers in tables).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from operator import itemgetter
from typing import Any, Final

from ._fastrt import (
    BIG_FLOAT,
    FROMTIMESTAMP_MAX,
    NO_NAMES,
    Fail,
    Owner,
    frozen_copy,
    lazy_object,
    matched,
    unknown_keys,
    unknown_keys_python,
    wire_key,
    with_unknown,
)
from ._kinds import (
    EPOCH,
    MAX_INT,
    MAX_TS,
    MIN_INT,
    MIN_TS,
    UTC,
    Array,
    Bool,
    Const,
    Enum,
    Int,
    JsonObject,
    Kind,
    Model,
    Num,
    Spec,
    Str,
    StrMap,
    StrOr,
    StrOrArray,
    Tagged,
    Timestamp,
    spec_of,
)
from ._values import UNSET, FrozenMap, UnknownValue

__all__ = ["CHECKS", "ENCODE_INLINE_DEPTH", "StructureGen", "make_structurer", "small"]

Structurer = Callable[[dict[str, Any]], Any]

_ABSENT: Any = object()

#: Nested objects with at most this many fields are built inline (see ``StructureGen.inlines``),
#: up to this depth; the encoder goes deeper (a run's tool calls and a file_search tool's
#: ranking options are at depth 3 and 4), where inlining saves it about 2% on a fuller run and
#: nothing measurable on the decoder's side.
INLINE_FIELDS: Final = 7
INLINE_DEPTH: Final = 3
ENCODE_INLINE_DEPTH: Final = 5


def small(fp: Owner, cls: type[Any], depth: int, limit: int = INLINE_DEPTH) -> bool:
    """Whether a nested object of ``cls`` at ``depth`` is small enough to be handled inline,
    by the decoder (see ``StructureGen.inlines``) and, with ``limit=ENCODE_INLINE_DEPTH``, the
    encoder (see ``_fastencode``)."""
    if not fp.inline or getattr(cls, "__rs_unknown_arm__", False) or depth >= limit:
        return False
    return len(spec_of(cls).fields) <= INLINE_FIELDS


class StructureGen:
    """Emits the source of one structuring function (and its variants)."""

    def __init__(self, fp: Owner, strict: bool, python: bool) -> None:
        self.fp = fp
        self.strict = strict
        self.python = python
        self.ns: dict[str, Any] = {
            "_Fail": Fail,
            "UNSET": UNSET,
            "FrozenMap": FrozenMap,
            "_new_dict": dict.__new__,
            "_fill": dict.update,
            "UnknownValue": UnknownValue,
            "_frozen_copy": frozen_copy,
            "_intern_object": fp.interned.object,
            "_lazy_object": lazy_object,
            "_unknown_keys": unknown_keys_python if python else unknown_keys,
            "_with_unknown": with_unknown,
            "_NO_NAMES": NO_NAMES,
            "EPOCH": EPOCH,
            "timedelta": timedelta,
            "fromtimestamp": datetime.fromtimestamp,
            "UTC": UTC,
            "BIG_FLOAT": BIG_FLOAT,
            "MIN_INT": MIN_INT,
            "MAX_INT": MAX_INT,
            "MIN_TS": MIN_TS,
            "MAX_TS": MAX_TS,
        }
        self.n = 0
        self.names: dict[int, str] = {}
        self.depth = 0
        #: Where the later timestamps of the object being checked take their datetimes from
        #: its first (see ``check_lines``): the prefix of the anchor's names, starred until
        #: the first is converted; None: they are converted on their own.
        self.anchor: str | None = None

    def key(self, name: str) -> str:
        """A name bound to the wire key ``name`` (see ``_fastrt.wire_key``)."""
        return self.const(wire_key(name))

    def sub(self, cls: type[Any]) -> Structurer:
        """The structuring function of a nested model, for the same mode and input."""
        return self.fp.structurer(cls, self.strict, python=self.python)

    def not_dict(self, v: str) -> str:
        """A test that ``v`` is not an object: orjson gives exact dicts; data built in Python
        may hold FrozenMaps too (the encoder's output, say)."""
        if self.python:
            return f"type({v}) is not dict and type({v}) is not FrozenMap"
        return f"type({v}) is not dict"

    def not_list(self, v: str) -> str:
        """A test that ``v`` is not an array: a list, or in data built in Python a tuple."""
        if self.python:
            return f"type({v}) is not list and type({v}) is not tuple"
        return f"type({v}) is not list"

    def fresh(self, base: str) -> str:
        """A local name for the current inline depth (see ``inline``)."""
        return f"{base}{self.depth}"

    def objects(
        self,
        kind: Model | Tagged,
        v: str,
        ind: str,
        tag: str | None = None,
        tagged: str | None = None,
    ) -> list[str]:
        """Lines that structure the dict ``v`` into ``kind`` in place (or raise _Fail).
        ``tag``: a local already holding ``v["type"]`` (an arm of a tagged union), ``tagged``
        the one value it was found equal to."""
        if isinstance(kind, Model):
            if self.inlines(kind.cls):
                return self.inline(kind.cls, v, ind, tag, tagged)
            return [f"{ind}{v} = {self.const(self.sub(kind.cls))}({v})"]
        # A tagged union: the tag compared with each arm's (no hash of a new str, as a dict of
        # arms would need), then that arm built inline or by its function.
        tag = self.fresh("_tag")
        lines = [f"{ind}{tag} = {v}[{self.key('type')}]"]
        if self.python:  # a str subclass may compare unlike a str
            lines.append(f"{ind}if type({tag}) is not str: raise _Fail")
        tags_of: dict[type[Any], list[str]] = {}
        for name, cls in kind.arms.items():
            tags_of.setdefault(cls, []).append(name)
        branch = "if"
        for cls, names in tags_of.items():
            if getattr(cls, "__rs_unknown_arm__", False):
                continue  # built by the reference only
            if len(names) == 1:
                test = f"{tag} == {names[0]!r}"
            else:
                test = f"{tag} in {self.const(frozenset(names))}"
            lines.append(f"{ind}{branch} {test}:")
            tagged = names[0] if len(names) == 1 else None
            lines += self.objects(Model(cls), v, ind + "    ", tag, tagged)
            branch = "elif"
        return [*lines, f"{ind}else: raise _Fail"]

    def inlines(self, cls: type[Any]) -> bool:
        """Whether a nested object of ``cls`` is built inline rather than by a call.

        Small objects (usage, truncation_strategy, tool_resources...) are: a Python call costs
        about 50 ns, a fifth of such an object's structuring. Not those whose lenient
        structurer may take an absent key (it needs its own ``except KeyError``), nor past a
        few levels, so that a function stays readable.
        """
        if not small(self.fp, cls, self.depth):
            return False
        fields = spec_of(cls).fields
        return self.strict or not any(f.nullable and not f.optional for f in fields)

    def inline(
        self, cls: type[Any], v: str, ind: str, tag: str | None = None, tagged: str | None = None
    ) -> list[str]:
        """Lines that structure the dict ``v`` into ``cls`` in place, as its own structuring
        function would (``tag``: a local holding ``v["type"]``, not fetched again; ``tagged``:
        the value it was found equal to, not compared again).

        Their local names (``_m1v0``...) are named by depth: objects side by side reuse them,
        since each is built before the next starts, and nested ones differ. A function's
        frame sets up and clears every local it has, so one per inline site would cost more
        than the calls they save.
        """
        spec = spec_of(cls)
        required = [(i, f.name) for i, f in enumerate(f for f in spec.fields if not f.optional)]
        self.depth += 1
        p = f"_m{self.depth}"
        u = f"{p}u" if self.keeps_unknown(spec) else None
        lines = fetch(self, required, v, p, ind, tag)
        lines += check_lines(spec, self, v, p, ind, (), str(len(required)), u, True, tagged)
        self.depth -= 1
        builder, target = self.const(self.fp.builder(cls)), self.const(cls)
        shared = self.fp.constant_instance(cls)
        if shared is not None:
            if u is None:
                return [*lines, f"{ind}{v} = {self.const(shared)}"]
            return [
                *lines,
                f"{ind}if {u} is None: {v} = {self.const(shared)}",
                f"{ind}else:",
                *build_lines(spec, v, p, ind + "    ", (), u, builder, target),
            ]
        return lines + build_lines(spec, v, p, ind, (), "None" if u is None else u, builder, target)

    def keeps_unknown(self, spec: Spec) -> bool:
        """Whether objects of ``spec`` keep unknown keys (on the fast path too): always, but in
        strict mode where the schema says ``additionalProperties: false``."""
        return not (self.strict and spec.closed)

    def const(self, value: Any) -> str:
        """A name bound to ``value`` (one name per object: variants and inline objects share)."""
        name = self.names.get(id(value))  # ids stay valid: ns keeps the objects alive
        if name is None:
            self.n += 1
            name = self.names[id(value)] = f"_c{self.n}"
            self.ns[name] = value
        return name

    def check(self, kind: Kind, v: str, ind: str) -> list[str]:
        """Lines that validate ``v`` and rebind it to the Python value (or raise _Fail)."""
        handler = CHECKS.get(type(kind))
        if handler is None:  # pragma: no cover - every kind has a handler
            raise TypeError(f"no fast path for {kind!r}")
        return handler(self, kind, v, ind)


# --- the handlers, one per kind -----------------------------------------------------------


def _check_str(gen: StructureGen, kind: Str, v: str, ind: str) -> list[str]:
    if gen.strict and kind.pattern is not None:  # a name, say: held to its form
        seen, matches = matched(kind.pattern)  # names met before are known to match
        known, check = gen.const(seen), gen.const(matches)
        return [
            f"{ind}if type({v}) is not str or ({v} not in {known} and not {check}({v})):"
            f" raise _Fail"
        ]
    return [f"{ind}if type({v}) is not str: raise _Fail"]


def _check_int(gen: StructureGen, kind: Int, v: str, ind: str) -> list[str]:
    # orjson's integers all lie within 64 bits (it reads longer literals as floats): only
    # data built in Python needs that range checked.
    strict = gen.strict
    lo = max(kind.minimum, MIN_INT) if strict and kind.minimum is not None else None
    hi = min(kind.maximum, MAX_INT) if strict and kind.maximum is not None else None
    if gen.python:
        lo = MIN_INT if lo is None else lo
        hi = MAX_INT if hi is None else hi
    bounds = [f"{v} < {lo}"] * (lo is not None) + [f"{v} > {hi}"] * (hi is not None)
    return [f"{ind}if {' or '.join([f'type({v}) is not int', *bounds])}: raise _Fail"]


def _check_num(gen: StructureGen, kind: Num, v: str, ind: str) -> list[str]:
    lo = kind.minimum if gen.strict else None
    hi = kind.maximum if gen.strict else None
    not_int = f"type({v}) is not int"
    if gen.python:
        not_int += f" or not (MIN_INT <= {v} <= MAX_INT)"
    lines = [
        f"{ind}if type({v}) is float:",
        f"{ind}    if not (-BIG_FLOAT < {v} < BIG_FLOAT): raise _Fail",
        f"{ind}elif {not_int}: raise _Fail",
    ]
    if lo is not None:
        lines.append(f"{ind}if {v} < {lo!r}: raise _Fail")
    if hi is not None:
        lines.append(f"{ind}if {v} > {hi!r}: raise _Fail")
    return lines


def _check_bool(gen: StructureGen, kind: Any, v: str, ind: str) -> list[str]:
    return [f"{ind}if type({v}) is not bool: raise _Fail"]


def _check_timestamp(gen: StructureGen, kind: Any, v: str, ind: str) -> list[str]:
    lines = [f"{ind}if type({v}) is not int: raise _Fail"]
    branch, keep = "if", f"{v} = "
    a = gen.anchor
    if a is not None:
        # Later timestamps of an object from its first one (see ``check_lines``).
        if a.startswith("*"):  # this is the first
            gen.anchor = a = a[1:]
            keep = f"{a}ts = {v}; {v} = {a}dt = "
        else:
            gen.ns["_DELTAS"] = gen.fp.deltas.table
            gen.ns["_delta"] = gen.fp.deltas.make
            lines += [
                f"{ind}if {v} == {a}ts: {v} = {a}dt",
                f"{ind}elif 0 < ({a}x := {v} - {a}ts) < {len(gen.fp.deltas.table)}:"
                f" {v} = {a}dt + (_DELTAS[{a}x] or _delta({a}x))",
            ]
            branch = "elif"
    if gen.fp.span_timestamps:
        # The datetime of the timestamp's span of seconds, plus a cached timedelta (see
        # ``_fastrt.Spans``). A span not kept: converted, and its start kept when the span is
        # near the last one converted (a burst goes on); no call, since an archive out of
        # time order pays this for every timestamp.
        spans = gen.fp.spans
        gen.ns["_SPANS"] = spans.table
        gen.ns["_SPAN_LAST"] = spans.last
        gen.ns["_DELTAS"] = gen.fp.deltas.table
        gen.ns["_delta"] = gen.fp.deltas.make
        lines += [
            f"{ind}{branch} 0 <= {v} <= {FROMTIMESTAMP_MAX}:",
            f"{ind}    _sr = {v} & {(1 << spans.shift) - 1}",
            f"{ind}    if (_sb := _SPANS.get(_sk := {v} >> {spans.shift})) is None:",
            f"{ind}        {keep}fromtimestamp({v}, UTC)",
            f"{ind}        if -{spans.near} <= _sk - _SPAN_LAST[0] <= {spans.near}:",
            f"{ind}            if len(_SPANS) >= {spans.limit}: _SPANS.clear()",
            f"{ind}            _SPANS[_sk] = {v} - (_DELTAS[_sr] or _delta(_sr)) if _sr else {v}",
            f"{ind}        _SPAN_LAST[0] = _sk",
            f"{ind}    elif _sr: {keep}_sb + (_DELTAS[_sr] or _delta(_sr))",
            f"{ind}    else: {keep}_sb",
        ]
    else:
        lines.append(
            f"{ind}{branch} 0 <= {v} <= {FROMTIMESTAMP_MAX}: {keep}fromtimestamp({v}, UTC)"
        )
    return [
        *lines,
        f"{ind}elif MIN_TS <= {v} <= MAX_TS: {keep}EPOCH + timedelta(seconds={v})",
        f"{ind}else: raise _Fail",
    ]


def _not_str(gen: StructureGen, v: str) -> str:
    # Of orjson's values only a str equals a str (or hashes like one: an unhashable dict or
    # list raises, and fails); data built in Python may hold str subclasses.
    return f"type({v}) is not str or " if gen.python else ""


def _check_const(gen: StructureGen, kind: Const, v: str, ind: str) -> list[str]:
    return [f"{ind}if {_not_str(gen, v)}{v} != {kind.value!r}: raise _Fail"]


def _check_enum(gen: StructureGen, kind: Enum, v: str, ind: str) -> list[str]:
    s = gen.const(frozenset(kind.values))
    return [f"{ind}if {_not_str(gen, v)}{v} not in {s}: raise _Fail"]


def _check_object(gen: StructureGen, kind: Model | Tagged, v: str, ind: str) -> list[str]:
    return [f"{ind}if {gen.not_dict(v)}: raise _Fail", *gen.objects(kind, v, ind)]


def _check_array(gen: StructureGen, kind: Array, v: str, ind: str) -> list[str]:
    lines = [f"{ind}if {gen.not_list(v)}: raise _Fail"]
    if gen.strict and kind.max_items is not None:
        lines.append(f"{ind}if len({v}) > {kind.max_items}: raise _Fail")
    if gen.strict and kind.min_items is not None:
        lines.append(f"{ind}if len({v}) < {kind.min_items}: raise _Fail")
    item = kind.item
    x = gen.fresh("_x")
    if isinstance(item, Str):
        lines += [
            f"{ind}for {x} in {v}:",
            f"{ind}    if type({x}) is not str: raise _Fail",
            f"{ind}{v} = tuple({v})",
        ]
    elif isinstance(item, (Model, Tagged)):
        # Objects: built in this frame's loop, not a comprehension (a function of its own in
        # 3.11): 20-100 ns less for short arrays.
        t = gen.fresh("_t")
        lines += [
            f"{ind}{t} = []",
            f"{ind}for {x} in {v}:",
            f"{ind}    if {gen.not_dict(x)}: raise _Fail",
            *gen.objects(item, x, ind + "    "),
            f"{ind}    {t}.append({x})",
            f"{ind}{v} = tuple({t})",
        ]
    else:
        conv = gen.const(item_function(gen.fp, item, gen.strict, gen.python))
        lines.append(f"{ind}{v} = tuple([{conv}({x}) for {x} in {v}])")
    return lines


def _check_strmap(gen: StructureGen, kind: StrMap, v: str, ind: str) -> list[str]:
    k, x = gen.fresh("_k"), gen.fresh("_x")
    # orjson's keys are always str: only data built in Python needs them checked
    not_str = f"type({x}) is not str{f' or type({k}) is not str' * gen.python}"
    lines = [f"{ind}if {gen.not_dict(v)}: raise _Fail"]
    if gen.strict:
        lines += [
            f"{ind}if len({v}) > {kind.max_pairs}: raise _Fail",
            f"{ind}for {k}, {x} in {v}.items():",
            f"{ind}    if {not_str}: raise _Fail",
            f"{ind}    if len({k}) > {kind.max_key} or len({x}) > {kind.max_value}:",
            f"{ind}        raise _Fail",
        ]
    elif gen.python:
        lines += [
            f"{ind}for {k}, {x} in {v}.items():",
            f"{ind}    if {not_str}: raise _Fail",
        ]
    else:
        lines += [
            f"{ind}for {x} in {v}.values():",
            f"{ind}    if type({x}) is not str: raise _Fail",
        ]
    # FrozenMap(v), in two C calls: the class's own __new__ is Python (see ReadOnlyDict)
    lines.append(f"{ind}_fm = _new_dict(FrozenMap); _fill(_fm, {v}); {v} = _fm")
    return lines


def _check_json_object(gen: StructureGen, kind: Any, v: str, ind: str) -> list[str]:
    # Data built in Python may hold tuples or NaN, which interning must not see (equal text
    # would not mean equal values), and is its builder's to change: it is checked and copied
    # each time. orjson's output is ours: checked by one C-speed write and held as it is.
    if gen.python:
        freeze = "_frozen_copy"
    else:
        freeze = "_intern_object" if gen.fp.intern_schemas else "_lazy_object"
    return [
        f"{ind}if {gen.not_dict(v)}: raise _Fail",
        f"{ind}{v} = {freeze}({v})",
    ]


def _check_str_or(gen: StructureGen, kind: StrOr, v: str, ind: str) -> list[str]:
    strings = gen.const(frozenset(kind.strings.values))
    return [
        f"{ind}if type({v}) is str:",
        f"{ind}    if {v} not in {strings}: raise _Fail",
        f"{ind}elif not ({gen.not_dict(v)}):",
        *gen.objects(kind.objects, v, ind + "    "),
        f"{ind}else: raise _Fail",
    ]


def _check_str_or_array(gen: StructureGen, kind: StrOrArray, v: str, ind: str) -> list[str]:
    return [f"{ind}if type({v}) is not str:", *_check_array(gen, kind.items, v, ind + "    ")]


#: The code each kind emits, by kind class.
CHECKS: Final[dict[type[Kind], Callable[[StructureGen, Any, str, str], list[str]]]] = {
    Str: _check_str,
    Int: _check_int,
    Num: _check_num,
    Bool: _check_bool,
    Timestamp: _check_timestamp,
    Const: _check_const,
    Enum: _check_enum,
    Model: _check_object,
    Tagged: _check_object,
    Array: _check_array,
    StrMap: _check_strmap,
    JsonObject: _check_json_object,
    StrOr: _check_str_or,
    StrOrArray: _check_str_or_array,
}


def item_function(fp: Owner, kind: Kind, strict: bool, python: bool) -> Callable[[Any], Any]:
    """A function checking one item of an array of ``kind`` (for kinds not handled inline)."""
    gen = StructureGen(fp, strict, python)
    lines = ["def item(v):", *gen.check(kind, "v", "    "), "    return v"]
    fp.compile("\n".join(lines), f"item {type(kind).__name__}", gen.ns)
    fn: Callable[[Any], Any] = gen.ns["item"]
    return fn


def make_structurer(fp: Owner, cls: type[Any], strict: bool, python: bool) -> Structurer:
    """Generate the structuring function of ``cls`` for ``fp``.

    See ``_fast.FastPaths.structurer``.
    """
    spec = spec_of(cls)
    required = [f for f in spec.fields if not f.optional]
    may_be_absent = not strict and any(f.nullable for f in required)
    gen = StructureGen(fp, strict, python)
    gen.ns["cls"] = cls
    gen.ns["builder"] = fp.builder(cls)
    main_fallback = "return structure_one_absent(d, e.args[0])" if may_be_absent else None
    guess = may_be_absent and not python and fp.absent_variant
    # the key the last document lacked, tested first: its variant without a KeyError
    main_guard = (
        "if (_a := _LAST_ABSENT[0]) is not None and _a[0] not in d: return _a[1](d)"
        if guess
        else None
    )
    src = structure_source(
        spec, gen, "structure", absent=(), fallback=main_fallback, guard=main_guard
    )
    if may_be_absent:
        src += "\n" + structure_source(spec, gen, "structure_absent", absent=None)
        one_absent = OneAbsent(spec, gen, fp.lenient_entries if guess else None)
        gen.ns["structure_one_absent"] = one_absent.structure
        gen.ns["structure_back"] = one_absent.back
        gen.ns["_LAST_ABSENT"] = one_absent.last
    fp.compile(src, _label(cls, strict, python), gen.ns)
    made: Structurer = gen.ns["structure"]
    return made


def _label(cls: type[Any], strict: bool, python: bool) -> str:
    mode = "strict" if strict else "lenient"
    return f"structure {cls.__qualname__} {mode}{' python' if python else ''}"


class OneAbsent:
    """Lenient documents of one class that lack a required nullable key, by the key.

    A run from the API reference's examples lacks ``required_action``, say. Each such key
    gets a variant generated for it on first sight, which fetches the other keys at once and
    skips the absent one's checks: the generic variant's key-by-key lookups cost about a
    tenth of a small run's decode.

    Documents from one producer tend to lack the same keys, and finding the missing key
    through the class's own function costs a KeyError and a second fetch (about 0.6 us, a
    tenth of the seed's decode). So for orjson's output (``entries``: the owner's lenient
    entries, when its ``absent_variant`` switch is on) the variant that took the last document
    lacking a key through a KeyError becomes the function tried first. It sends a document
    that has its key back to the class's own function (a lookup and a call, a fifth of a
    KeyError), and after ``BACKS`` such documents since it became the entry, the class's own
    function is tried first again. That one first tests the key the last KeyError was for
    (``last``: the key and its variant) and hands a document lacking it to the variant
    straight away, a lookup where a KeyError was: in a stream where 30% of runs lack
    ``required_action`` at random, the detours had cost 350 ns a run on average, and now cost
    too little to tell from the runs that have the key (timed apart). Any of
    them gives the same result for any input: a wrong guess costs only the detour, and threads
    that race to set the entry, the last key or a count need no lock.
    """

    #: Documents with the key sent back by a variant before the class's own function is the
    #: entry again.
    BACKS: Final = 8

    def __init__(
        self, spec: Spec, gen: StructureGen, entries: dict[type[Any], Structurer] | None
    ) -> None:
        self.spec = spec
        self.gen = gen
        self.cls: type[Any] = gen.ns["cls"]
        self.entries = entries
        self.nullable = {
            wire_key(f.name): f.name for f in spec.fields if f.nullable and not f.optional
        }
        self.variants: dict[str, Structurer] = {}
        #: documents sent back since a variant became the entry
        self.backs = 0
        #: the key the last KeyError was for and its variant, which the class's own function
        #: tries first (one item, replaced whole, so that a reader sees a matching pair)
        self.last: list[tuple[Any, Structurer] | None] = [None]

    def structure(self, d: dict[str, Any], key: Any) -> Any:
        """Called by the class's own function when ``d`` lacks ``key``."""
        fn = self.variants.get(key)
        if fn is None:
            fn = self.make(key)
        if self.entries is not None:
            self.entries[self.cls] = fn
            self.backs = 0
            self.last[0] = (key, fn)
        return fn(d)

    def back(self, d: dict[str, Any]) -> Any:
        """Called by a variant when ``d`` has the key it takes as absent."""
        main: Structurer = self.gen.ns["structure"]
        if self.entries is not None:
            backs = self.backs = self.backs + 1
            if backs >= self.BACKS:
                self.entries[self.cls] = main
        return main(d)

    def make(self, key: Any) -> Structurer:
        name = self.nullable.get(key)
        if name is None:  # a key that may not be absent is: the reference reports it
            raise Fail
        gen = self.gen
        with gen.fp.variant_lock:
            fn = self.variants.get(key)
            if fn is None:
                fname = f"structure_without_{name}"
                src = structure_source(
                    self.spec,
                    gen,
                    fname,
                    absent=(name,),
                    fallback="return structure_absent(d)",  # another key is absent too
                    guard=f"if {gen.const(key)} in d: return structure_back(d)",
                )
                label = _label(self.cls, gen.strict, gen.python) + f" without {name}"
                gen.fp.compile(src, label, gen.ns)
                fn = self.variants[key] = gen.ns[fname]
        return fn


def structure_source(
    spec: Spec,
    gen: StructureGen,
    name: str,
    *,
    absent: tuple[str, ...] | None,
    fallback: str | None = None,
    guard: str | None = None,
) -> str:
    """One generated function, ``name``.

    ``absent``: the required nullable keys it takes as absent (none, the common case; or one),
    or None for the generic variant that finds out key by key. ``fallback``: the statement run
    when a key is missing (``e`` the KeyError) instead of failing. ``guard``: a statement run
    first.
    """
    fp = gen.fp
    required = [f for f in spec.fields if not f.optional]
    lines = [f"def {name}(d):"]
    if guard is not None:
        lines.append(f"    {guard}")
    skip: tuple[str, ...] = ()
    if absent is None:
        lines += ["    try:", "        absent = ()"]
        present = [(i, f.name) for i, f in enumerate(required) if not f.nullable]
        lines += fetch(gen, present, "d", "", "        ")
        for i, f in enumerate(required):
            if f.nullable:
                lines += [
                    f"        v{i} = d.get({gen.key(f.name)}, _ABSENT)",
                    f"        if v{i} is _ABSENT:",
                    f"            v{i} = None",
                    f"            absent += ({f.name!r},)",
                ]
        gen.ns["_ABSENT"] = _ABSENT
        gen.ns["_absent_extra"] = fp.absent_extras.get
        n_required = f"{len(required)} - len(absent)"
        extra = "_absent_extra(absent) if absent else None"
        absent_names = "frozenset(absent)"
    else:
        skip = absent
        present = [(i, f.name) for i, f in enumerate(required) if f.name not in skip]
        lines += ["    try:", *fetch(gen, present, "d", "", "        ")]
        if fallback is not None:
            lines += ["    except KeyError as e:", f"        {fallback}", "    try:"]
        n_required = str(len(present))
        extra = gen.const(fp.absent_extras.get(skip)) if skip else "None"
        absent_names = gen.const(frozenset(skip)) if skip else "_NO_NAMES"
    u = "u" if gen.keeps_unknown(spec) else None
    lines += check_lines(spec, gen, "d", "", "        ", skip, n_required, u)
    # What the clean case's checks may raise on input that is not clean: a missing key, an
    # unhashable value tested against a set of strings, a timestamp sum past year 9999. In
    # debug mode anything else is a generator bug and propagates; otherwise the reference
    # takes over.
    caught = "(KeyError, TypeError, OverflowError)" if fp.debug else "Exception"
    lines += ["    except _Fail: raise", f"    except {caught}: raise _Fail"]
    shared = fp.constant_instance(gen.ns["cls"])
    if shared is not None and extra == "None":
        if u is None:
            lines.append(f"    return {gen.const(shared)}")
            return "\n".join(lines) + "\n"
        lines.append(f"    if u is None: return {gen.const(shared)}")
    if u is not None:  # unknown keys kept with what else the decode remembered
        extra = f"({extra}) if u is None else _with_unknown({absent_names}, u)"
    lines += [
        *build_lines(spec, "inst", "", "    ", skip, extra, "builder", "cls"),
        "    return inst",
    ]
    return "\n".join(lines) + "\n"


def check_lines(
    spec: Spec,
    gen: StructureGen,
    d: str,
    p: str,
    ind: str,
    skip: tuple[str, ...],
    n_required: str,
    unknown: str | None = None,
    kept: bool = False,
    tagged: str | None = None,
) -> list[str]:
    """Lines that check the fetched required values (``{p}v{i}``, bar those in ``skip``),
    fetch and check the optional ones (``{p}o{j}``), then count ``d``'s keys: more than the
    fields fetched are unknown keys, bound to the local ``unknown`` (None when there are
    none; ``kept``: as the ``Extra`` the instance keeps, else as their map); or, with
    ``unknown`` None, not the clean case. ``tagged``: the value ``type`` was found equal to
    (its constant is not compared again)."""
    required = [f for f in spec.fields if not f.optional]
    optional = [f for f in spec.fields if f.optional]
    lines = []
    # When the object's first timestamp is always there (a run's created_at), it is kept in
    # ``{p}ts``/``{p}dt`` as the anchor of the later ones: a run's timestamps lie within
    # minutes of its creation (it expires 10 minutes after it, often starts the same second).
    # One equal to the anchor takes its datetime; one up to ``len(Deltas.table)`` seconds
    # after it is the anchor's datetime plus a cached timedelta, 40 ns against 200 ns for a
    # conversion. Both give what converting gives: datetimes are exact integer arithmetic.
    outer = gen.anchor
    first = next((f for f in spec.fields if isinstance(f.kind, Timestamp)), None)
    always = first is not None and not (first.optional or first.nullable or first.name in skip)
    gen.anchor = f"*{p}_" if always and gen.fp.anchor_timestamps else None
    for i, f in enumerate(required):
        if f.name in skip:
            continue
        if f.name == "type" and isinstance(f.kind, Const) and f.kind.value == tagged:
            continue
        if f.nullable:
            lines.append(f"{ind}if {p}v{i} is not None:")
            lines += gen.check(f.kind, f"{p}v{i}", ind + "    ")
        else:
            lines += gen.check(f.kind, f"{p}v{i}", ind)
    if optional:
        lines.append(f"{ind}{p}n = {n_required}")
    for j, f in enumerate(optional):
        v = f"{p}o{j}"
        lines.append(f"{ind}{v} = {d}.get({gen.key(f.name)}, UNSET)")
        lines.append(f"{ind}if {v} is not UNSET:")
        lines.append(f"{ind}    {p}n += 1")
        if f.nullable:
            lines.append(f"{ind}    if {v} is not None:")
            lines += gen.check(f.kind, v, ind + "        ")
        else:
            lines += gen.check(f.kind, v, ind + "    ")
    if gen.strict:  # exactly one of each group (a one-of of required keys)
        slot = {f.name: f"{p}o{j}" for j, f in enumerate(optional)}
        for group in spec.one_of:
            present = " + ".join(f"({slot[n]} is not UNSET)" for n in group)
            lines.append(f"{ind}if {present} != 1: raise _Fail")
        for key, field, value in spec.required_if:  # read off the input: it is JSON
            cond = f"{d}.get({gen.key(field)}) == {value!r} and {gen.key(key)} not in {d}"
            lines.append(f"{ind}if {cond}: raise _Fail")
    count = f"{p}n" if optional else n_required
    if unknown is None:
        lines.append(f"{ind}if len({d}) != {count}: raise _Fail")
    else:
        found = f"_unknown_keys({d}, {gen.const(spec.names)})"
        if kept:
            found = f"_with_unknown(_NO_NAMES, {found})"
        lines.append(f"{ind}{unknown} = None if len({d}) == {count} else {found}")
    gen.anchor = outer
    return lines


def build_lines(
    spec: Spec,
    target: str,
    p: str,
    ind: str,
    skip: tuple[str, ...],
    extra: str,
    builder: str,
    cls: str,
) -> list[str]:
    """Lines that build the instance into ``target``: a builder twin (see
    ``_fastrt.make_builder``), one store per field, then its class set to ``cls``."""
    required = [f for f in spec.fields if not f.optional]
    optional = [f for f in spec.fields if f.optional]
    lines = [f"{ind}{target} = {builder}()"]
    for i, f in enumerate(required):
        lines.append(f"{ind}{target}.{f.name} = {'None' if f.name in skip else f'{p}v{i}'}")
    for j, f in enumerate(optional):
        lines.append(f"{ind}{target}.{f.name} = {p}o{j}")
    lines += [f"{ind}{target}._rs_extra = {extra}", f"{ind}{target}.__class__ = {cls}"]
    return lines


#: Up to this many keys, plain ``d[key]`` lookups beat one ``itemgetter`` call (which builds
#: a tuple to unpack): about 20 ns less for 2 to 5 keys, even at 8.
SUBSCRIPTS_MAX: Final = 7


def fetch(
    gen: StructureGen,
    keys: list[tuple[int, str]],
    d: str,
    p: str,
    ind: str,
    tag: str | None = None,
) -> list[str]:
    """Lines binding ``{p}v{i}`` to ``d[name]`` for each pair: lookups one by one for a few
    keys (``type`` taken from the local ``tag`` when given), else one ``itemgetter`` call (a
    missing key raises KeyError either way)."""
    if len(keys) <= SUBSCRIPTS_MAX:
        return [
            f"{ind}{p}v{i} = {tag}"
            if tag is not None and name == "type"
            else f"{ind}{p}v{i} = {d}[{gen.key(name)}]"
            for i, name in keys
        ]
    getter = gen.const(itemgetter(*(wire_key(name) for _, name in keys)))
    targets = ", ".join(f"{p}v{i}" for i, _ in keys)
    return [f"{ind}{targets} = {getter}({d})"]
