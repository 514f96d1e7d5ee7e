"""Generated fast paths: one structuring and one encoding function per model class and mode.

The reference interpreter in ``_kinds`` explains every problem and keeps everything a lenient
decode must keep; it pays for that with per-field bookkeeping. Most documents need none of it:
every key known, every required key present, every value valid. For those, this module
generates (once per class, on first use, never at import) plain Python functions with inline
``type(v) is str`` checks, one ``try`` around plain ``d[key]`` lookups, one ``len(d)``
comparison for unknown keys, and instances built without ``__init__``: plain attribute
stores on a private mutable twin of the class, then ``__class__`` set to the class itself.
Small nested objects (usage, truncation_strategy...) are built inline in their parent's function,
tagged unions pick their arm by comparing tags, objects of constant fields only are one shared
instance, and a run's later timestamps are taken from its created_at (see ``_check_lines``).
JSON Schemas (function ``parameters``, json_schema ``schema``) parsed by orjson are interned
by their JSON text (see ``_Interned``): runs of one assistant repeat them.

A generated structuring function never decides that input is *bad*: on anything unusual
(a missing or unknown key, an unknown enum value or tag, any invalid value) it raises, and the
caller re-runs the reference interpreter on the same input, which builds the value or reports
every error. So results and errors are those of the reference by construction; the tests
check the two agree on valid and invalid input alike.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from operator import itemgetter
from typing import Any, Final

import orjson

from ._kinds import (
    EPOCH,
    MAX_DEPTH,
    MAX_INT,
    MAX_TS,
    MIN_INT,
    MIN_TS,
    PLACEMENT_DEPTH,
    UTC,
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
    Spec,
    Str,
    StrMap,
    StrOr,
    Tagged,
    Timestamp,
    spec_of,
)
from ._schema import _Model
from ._values import UNSET, FrozenMap, UnknownValue

__all__ = ["dumper", "structurer"]

Structurer = Callable[[dict[str, Any]], Any]
Dumper = Callable[[Any], Any]

#: Generated structuring functions by (class, strict, python) (see ``structurer``).
_MADE: dict[tuple[type[Any], bool, bool], Structurer] = {}
#: The function to try first on orjson's output, by class, one dict per mode (a lookup keyed
#: by a class beats one keyed by a tuple): the class's own, or in lenient mode the variant for
#: the key the last document lacked (see ``_OneAbsent``).
_LENIENT_ENTRIES: Final[dict[type[Any], Structurer]] = {}
_STRICT_ENTRIES: Final[dict[type[Any], Structurer]] = {}


class _Dumpers(dict[type[Any], Dumper]):
    """Encoding functions by class: a miss generates one (so lookups stay one C call)."""

    def __missing__(self, cls: type[Any]) -> Dumper:
        return dumper(cls)


_DUMPERS: Final = _Dumpers()


_ABSENT: Any = object()


#: A float this large may be an integer literal orjson could not hold (it reads those beyond 64
#: bits as floats); also false for NaN and infinities. Anything outside goes to the reference,
#: after an exact re-parse (see ``_codec.loads``).
BIG_FLOAT: Final = 9.2e18


#: ``datetime.fromtimestamp(ts, UTC)`` is twice as fast as adding a ``timedelta`` to the epoch,
#: but some platforms refuse negative timestamps or years past 3000 there: those take the sum.
_FROMTIMESTAMP_MAX: Final = 32503679999


class _Fail(Exception):
    """Raised by generated code: not the clean case, ask the reference interpreter."""


#: Deeper JSON values go to the reference, which checks the exact depth orjson can write.
_FAST_DEPTH: Final = MAX_DEPTH - 2 * PLACEMENT_DEPTH - 8


def _freeze_object(v: dict[Any, Any], depth: int = 0) -> FrozenMap[Any]:
    """Deep-freeze a decoded JSON object; anything unusual (or deep) is left to the reference.

    Scalars are handled inline rather than by a call each: most leaves of a JSON schema are
    strings, and a call per leaf was most of the cost.
    """
    if depth > _FAST_DEPTH:
        raise _Fail
    out = {}
    for k, x in v.items():
        t = type(x)
        if t is str or t is bool or x is None:
            out[k] = x
        elif t is dict or t is FrozenMap:  # FrozenMap, tuple: data built in Python
            out[k] = _freeze_object(x, depth + 1)
        elif t is list or t is tuple:
            out[k] = _freeze_array(x, depth + 1)
        elif t is int:
            if not MIN_INT <= x <= MAX_INT:
                raise _Fail
            out[k] = x
        elif t is float:
            if not -BIG_FLOAT < x < BIG_FLOAT:
                raise _Fail
            out[k] = x
        else:
            raise _Fail
    return FrozenMap(out)


def _freeze_array(v: list[Any], depth: int) -> tuple[Any, ...]:
    """Deep-freeze a decoded JSON array (see ``_freeze_object``)."""
    if depth > _FAST_DEPTH:
        raise _Fail
    out = []
    for x in v:
        t = type(x)
        if t is str or t is bool or x is None:
            out.append(x)
        elif t is dict or t is FrozenMap:
            out.append(_freeze_object(x, depth + 1))
        elif t is list or t is tuple:
            out.append(_freeze_array(x, depth + 1))
        elif t is int:
            if not MIN_INT <= x <= MAX_INT:
                raise _Fail
            out.append(x)
        elif t is float:
            if not -BIG_FLOAT < x < BIG_FLOAT:
                raise _Fail
            out.append(x)
        else:
            raise _Fail
    return tuple(out)


class _Interned:
    """Frozen JSON objects by their JSON text: kept on their second sighting, first in first
    out within a budget of text.

    Runs of one assistant carry the same tool ``parameters`` and response ``schema`` again and
    again: re-freezing them was a third of the cost of decoding a run with two schemas, and
    every decoded run held copies of its own. Looking one up costs encoding it with orjson.
    Only orjson's output is looked up: for its values (dicts, lists, str, int, float, bool,
    None; no NaN, no tuples) equal text means equal values of equal types in equal order, so a
    hit is exactly what freezing would build. Frozen values are immutable: sharing one is
    invisible but for ``is``.

    A schema seen once is not kept, only the hash of its text, among the last ``recent``
    such hashes: keeping everything made a stream of schemas that never repeat pay for
    evicting each one later, its memory long out of the CPU's caches (about 2 us a schema).
    """

    def __init__(self, budget: int, recent: int = 1024) -> None:
        self.budget = budget
        self.size = 0
        # an OrderedDict drops its oldest entry in O(1): next(iter(d)) on a dict scans the
        # slots its earlier deletions left empty, which made each insert cost microseconds
        self.map: OrderedDict[bytes, FrozenMap[Any]] = OrderedDict()
        self.recent = recent
        self.seen: set[int] = set()
        self.lock = threading.Lock()

    def add(self, text: bytes, frozen: FrozenMap[Any]) -> None:
        if len(text) > self.budget // 16:  # a huge schema would push out all the others
            return
        h = hash(text)
        seen = self.seen
        if h not in seen:  # the first sighting (or not a recent one)
            # no lock: each set operation is atomic, and a hash lost to a race between
            # threads only delays keeping that schema
            if len(seen) >= self.recent:
                seen.clear()
            seen.add(h)
            return
        with self.lock:
            if text in self.map:
                return
            self.map[text] = frozen
            self.size += len(text)
            while self.size > self.budget:
                oldest, _ = self.map.popitem(last=False)
                self.size -= len(oldest)


#: About 256 KiB of JSON text: a few hundred typical tool schemas.
_INTERNED: Final = _Interned(256 * 1024)


def _intern_object(v: dict[str, Any]) -> FrozenMap[Any]:
    """``_freeze_object(v)`` for a JSON object parsed by orjson, shared when seen before."""
    try:
        text = orjson.dumps(v)
    except orjson.JSONEncodeError:  # nested beyond what orjson writes: the reference decides
        raise _Fail from None
    frozen = _INTERNED.map.get(text)
    if frozen is None:
        frozen = _freeze_object(v)
        _INTERNED.add(text, frozen)
    return frozen


def _wire_key(name: str) -> str:
    """``name`` as the very str object orjson gives dict keys of that name.

    orjson keeps a cache of the key strings it has made and hands out the same object each
    time; a dict lookup that finds its key by identity skips comparing the characters, which
    was 40% of the cost of fetching a run's required keys. Only speed depends on this: should
    orjson return another object (the cache is bounded), lookups compare equal strings as
    usual.
    """
    key: str = next(iter(orjson.loads(orjson.dumps({name: None}))))
    return key


def _reference_only(d: dict[str, Any]) -> Any:
    raise _Fail


class _Gen:
    """Emits the source of one structuring function."""

    def __init__(self, strict: bool, python: bool) -> None:
        self.strict = strict
        self.python = python
        self.ns: dict[str, Any] = {
            "_Fail": _Fail,
            "UNSET": UNSET,
            "FrozenMap": FrozenMap,
            "UnknownValue": UnknownValue,
            "_freeze_object": _freeze_object,
            "_intern_object": _intern_object,
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
        #: its first (see ``_check_lines``): the prefix of the anchor's names, starred until
        #: the first is converted; None: they are converted on their own.
        self.anchor: str | None = None

    def key(self, name: str) -> str:
        """A name bound to the wire key ``name`` (see ``_wire_key``)."""
        return self.const(_wire_key(name))

    def sub(self, cls: type[_Model]) -> Structurer:
        """The structuring function of a nested model, for the same mode and input."""
        return structurer(cls, self.strict, python=self.python)

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

    def objects(self, kind: Model | Tagged, v: str, ind: str) -> list[str]:
        """Lines that structure the dict ``v`` into ``kind`` in place (or raise _Fail)."""
        if isinstance(kind, Model):
            if self.inlines(kind.cls):
                return self.inline(kind.cls, v, ind)
            return [f"{ind}{v} = {self.const(self.sub(kind.cls))}({v})"]
        # A tagged union: the tag compared with each arm's (no hash of a new str, as a dict of
        # arms would need), then that arm built inline or by its function.
        tag = self.fresh("_tag")
        lines = [f"{ind}{tag} = {v}[{self.key('type')}]"]
        if self.python:  # a str subclass may compare unlike a str
            lines.append(f"{ind}if type({tag}) is not str: raise _Fail")
        tags_of: dict[type[_Model], list[str]] = {}
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
            lines += self.objects(Model(cls), v, ind + "    ")
            branch = "elif"
        return [*lines, f"{ind}else: raise _Fail"]

    def inlines(self, cls: type[_Model]) -> bool:
        """Whether a nested object of ``cls`` is built inline rather than by a call.

        Small objects (usage, truncation_strategy, tool_resources...) are: a Python call costs
        about 50 ns, a fifth of such an object's structuring. Not those whose lenient
        structurer may take an absent key (it needs its own ``except KeyError``), nor past a
        few levels, so that a function stays readable.
        """
        if not _small(cls, self.depth):
            return False
        fields = spec_of(cls).fields
        return self.strict or not any(f.nullable and not f.optional for f in fields)

    def inline(self, cls: type[_Model], v: str, ind: str) -> list[str]:
        """Lines that structure the dict ``v`` into ``cls`` in place, as ``structurer(cls)``
        would.

        Their local names (``_m1v0``...) are named by depth: objects side by side reuse them,
        since each is built before the next starts, and nested ones differ. A function's
        frame sets up and clears every local it has, so one per inline site would cost more
        than the calls they save.
        """
        spec = spec_of(cls)
        required = [(i, f.name) for i, f in enumerate(f for f in spec.fields if not f.optional)]
        self.depth += 1
        p = f"_m{self.depth}"
        lines = _fetch(self, required, v, p, ind)
        lines += _check_lines(spec, self, v, p, ind, (), str(len(required)))
        self.depth -= 1
        shared = _constant_instance(cls)
        if shared is not None:
            return [*lines, f"{ind}{v} = {self.const(shared)}"]
        builder, target = self.const(_builder(cls)), self.const(cls)
        return lines + _build_lines(spec, v, p, ind, (), "None", builder, target)

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
        strict = self.strict
        if isinstance(kind, Str):
            return [f"{ind}if type({v}) is not str: raise _Fail"]
        if isinstance(kind, Int):
            # orjson's integers all lie within 64 bits (it reads longer literals as floats):
            # only data built in Python needs that range checked.
            lo = max(kind.minimum, MIN_INT) if strict and kind.minimum is not None else None
            hi = min(kind.maximum, MAX_INT) if strict and kind.maximum is not None else None
            if self.python:
                lo = MIN_INT if lo is None else lo
                hi = MAX_INT if hi is None else hi
            bounds = [f"{v} < {lo}"] * (lo is not None) + [f"{v} > {hi}"] * (hi is not None)
            return [f"{ind}if {' or '.join([f'type({v}) is not int', *bounds])}: raise _Fail"]
        if isinstance(kind, Num):
            lo_n = kind.minimum if strict else None
            hi_n = kind.maximum if strict else None
            not_int = f"type({v}) is not int"
            if self.python:
                not_int += f" or not (MIN_INT <= {v} <= MAX_INT)"
            lines = [
                f"{ind}if type({v}) is float:",
                f"{ind}    if not (-BIG_FLOAT < {v} < BIG_FLOAT): raise _Fail",
                f"{ind}elif {not_int}: raise _Fail",
            ]
            if lo_n is not None:
                lines.append(f"{ind}if {v} < {lo_n!r}: raise _Fail")
            if hi_n is not None:
                lines.append(f"{ind}if {v} > {hi_n!r}: raise _Fail")
            return lines
        if isinstance(kind, Bool):
            return [f"{ind}if type({v}) is not bool: raise _Fail"]
        if isinstance(kind, Timestamp):
            lines = [f"{ind}if type({v}) is not int: raise _Fail"]
            branch, keep = "if", f"{v} = "
            a = self.anchor
            if a is not None:
                # Later timestamps of an object from its first one (see ``_check_lines``).
                if a.startswith("*"):  # this is the first
                    self.anchor = a = a[1:]
                    keep = f"{a}ts = {v}; {v} = {a}dt = "
                else:
                    self.ns["_DELTAS"] = _DELTAS
                    self.ns["_delta"] = _delta
                    lines += [
                        f"{ind}if {v} == {a}ts: {v} = {a}dt",
                        f"{ind}elif 0 < ({a}x := {v} - {a}ts) < {len(_DELTAS)}:"
                        f" {v} = {a}dt + (_DELTAS[{a}x] or _delta({a}x))",
                    ]
                    branch = "elif"
            return [
                *lines,
                f"{ind}{branch} 0 <= {v} <= {_FROMTIMESTAMP_MAX}: {keep}fromtimestamp({v}, UTC)",
                f"{ind}elif MIN_TS <= {v} <= MAX_TS: {keep}EPOCH + timedelta(seconds={v})",
                f"{ind}else: raise _Fail",
            ]
        # Of orjson's values only a str equals a str (or hashes like one: an unhashable dict or
        # list raises, and fails); data built in Python may hold str subclasses.
        not_str = f"type({v}) is not str or " if self.python else ""
        if isinstance(kind, Const):
            return [f"{ind}if {not_str}{v} != {kind.value!r}: raise _Fail"]
        if isinstance(kind, Enum):
            s = self.const(frozenset(kind.values))
            return [f"{ind}if {not_str}{v} not in {s}: raise _Fail"]
        if isinstance(kind, (Model, Tagged)):
            return [f"{ind}if {self.not_dict(v)}: raise _Fail", *self.objects(kind, v, ind)]
        if isinstance(kind, Array):
            lines = [f"{ind}if {self.not_list(v)}: raise _Fail"]
            if strict and kind.max_items is not None:
                lines.append(f"{ind}if len({v}) > {kind.max_items}: raise _Fail")
            item = kind.item
            x = self.fresh("_x")
            if isinstance(item, Str):
                lines += [
                    f"{ind}for {x} in {v}:",
                    f"{ind}    if type({x}) is not str: raise _Fail",
                    f"{ind}{v} = tuple({v})",
                ]
            elif isinstance(item, (Model, Tagged)):
                # Objects: built in this frame's loop, not a comprehension (a function of its
                # own in 3.11): 20-100 ns less for short arrays.
                t = self.fresh("_t")
                lines += [
                    f"{ind}{t} = []",
                    f"{ind}for {x} in {v}:",
                    f"{ind}    if {self.not_dict(x)}: raise _Fail",
                    *self.objects(item, x, ind + "    "),
                    f"{ind}    {t}.append({x})",
                    f"{ind}{v} = tuple({t})",
                ]
            else:
                conv = self.const(_item_function(item, strict, self.python))
                lines.append(f"{ind}{v} = tuple([{conv}({x}) for {x} in {v}])")
            return lines
        if isinstance(kind, StrMap):
            k, x = self.fresh("_k"), self.fresh("_x")
            # orjson's keys are always str: only data built in Python needs them checked
            not_str = f"type({x}) is not str{f' or type({k}) is not str' * self.python}"
            lines = [f"{ind}if {self.not_dict(v)}: raise _Fail"]
            if strict:
                lines += [
                    f"{ind}if len({v}) > {kind.max_pairs}: raise _Fail",
                    f"{ind}for {k}, {x} in {v}.items():",
                    f"{ind}    if {not_str}: raise _Fail",
                    f"{ind}    if len({k}) > {kind.max_key} or len({x}) > {kind.max_value}:",
                    f"{ind}        raise _Fail",
                ]
            elif self.python:
                lines += [
                    f"{ind}for {k}, {x} in {v}.items():",
                    f"{ind}    if {not_str}: raise _Fail",
                ]
            else:
                lines += [
                    f"{ind}for {x} in {v}.values():",
                    f"{ind}    if type({x}) is not str: raise _Fail",
                ]
            lines.append(f"{ind}{v} = FrozenMap({v})")
            return lines
        if isinstance(kind, JsonObject):
            freeze = "_freeze_object" if self.python else "_intern_object"
            return [
                f"{ind}if {self.not_dict(v)}: raise _Fail",
                f"{ind}{v} = {freeze}({v})",
            ]
        if isinstance(kind, StrOr):
            strings = self.const(frozenset(kind.strings.values))
            return [
                f"{ind}if type({v}) is str:",
                f"{ind}    if {v} not in {strings}: raise _Fail",
                f"{ind}elif not ({self.not_dict(v)}):",
                *self.objects(kind.objects, v, ind + "    "),
                f"{ind}else: raise _Fail",
            ]
        raise TypeError(f"no fast path for {kind!r}")  # pragma: no cover


def _item_function(kind: Kind, strict: bool, python: bool) -> Callable[[Any], Any]:
    gen = _Gen(strict, python)
    lines = ["def item(v):", *gen.check(kind, "v", "    "), "    return v"]
    exec("\n".join(lines), gen.ns)  # our own generated source
    fn: Callable[[Any], Any] = gen.ns["item"]
    return fn


#: Nested objects with at most this many fields are built inline (see ``_Gen.inlines``), up
#: to this depth.
_INLINE_FIELDS: Final = 7
_INLINE_DEPTH: Final = 3


def _small(cls: type[Any], depth: int) -> bool:
    """Whether a nested object of ``cls`` at ``depth`` is small enough to be handled inline,
    by the decoder (see ``_Gen.inlines``) and the encoder (see ``_dump_statements``)."""
    if getattr(cls, "__rs_unknown_arm__", False) or depth >= _INLINE_DEPTH:
        return False
    return len(spec_of(cls).fields) <= _INLINE_FIELDS


#: Builder twins by model class (see ``_builder``).
_BUILDERS: dict[type[Any], type[Any]] = {}


def _builder(cls: type[Any]) -> type[Any]:
    """A private subclass of ``cls`` whose instances take plain attribute assignment.

    A frozen attrs class refuses ``inst.x = v``, and setting a slot through its descriptor
    (``member.__set__(inst, v)``) is a call per field. The twin adds no slots and restores
    ``object``'s ``__setattr__`` *and* ``__delattr__`` (CPython keeps one C slot for both: with
    either left to attrs, every assignment goes through Python), so ``inst.x = v`` is the
    interpreter's own slot store, about a third of the cost. Generated code calls the twin
    (its ``__init__`` is ``object``'s: nothing runs), assigns every field, then sets
    ``inst.__class__ = cls``: allowed, as the twin's layout is its parent's, and cheap. A twin
    instance never leaves the generated function, and the result is an ordinary instance of
    ``cls``.
    """
    twin = _BUILDERS.get(cls)
    if twin is None:
        namespace = {
            "__slots__": (),
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            # calling the twin then makes a bare instance, faster than object.__new__(twin)
            "__init__": object.__init__,
            "__module__": __name__,
            "__qualname__": f"_builder.<{cls.__qualname__}>",
        }
        twin = _BUILDERS[cls] = type(f"_{cls.__name__}Builder", (cls,), namespace)
    return twin


def structurer(cls: type[_Model], strict: bool, *, python: bool = False) -> Structurer:
    """The generated clean-case structuring function of ``cls`` (built on first use).

    ``python``: for data built in Python rather than parsed by orjson. Such data may hold what
    orjson's output never does (tuples, NaN), which the JSON Schema interning (see
    ``_intern_object``) must not see, so it gets functions of its own that freeze each time.

    The common case, every required key present, fetches them all at once. In lenient mode a
    required nullable key may be absent (read as ``None`` and remembered in ``Extra``): the
    KeyError names the first missing key, and the document goes to a variant generated for
    that one key being absent (see ``_OneAbsent``: for orjson's output, ``loads`` then tries
    that variant first); with a second key missing too, to a variant that looks keys up one
    by one.
    """
    key = (cls, strict, python)
    fn = _MADE.get(key)
    if fn is not None:
        return fn
    if getattr(cls, "__rs_unknown_arm__", False):
        return _reference_only  # an unknown arm is built by the reference interpreter only
    spec = spec_of(cls)
    required = [f for f in spec.fields if not f.optional]
    may_be_absent = not strict and any(f.nullable for f in required)
    gen = _Gen(strict, python)
    gen.ns["cls"] = cls
    gen.ns["builder"] = _builder(cls)
    main_fallback = "return structure_one_absent(d, e.args[0])" if may_be_absent else None
    src = _structure_source(spec, gen, "structure", absent=(), fallback=main_fallback)
    if may_be_absent:
        src += "\n" + _structure_source(spec, gen, "structure_absent", absent=None)
        one_absent = _OneAbsent(spec, gen, None if python else _LENIENT_ENTRIES)
        gen.ns["structure_one_absent"] = one_absent.structure
        gen.ns["structure_back"] = one_absent.back
    exec(src, gen.ns)  # our own generated source
    made: Structurer = gen.ns["structure"]
    _MADE[key] = made
    if not python:
        (_STRICT_ENTRIES if strict else _LENIENT_ENTRIES).setdefault(cls, made)
    return made


#: Variants for one absent key are made one at a time (they share their class's namespace).
_VARIANT_LOCK: Final = threading.Lock()


class _OneAbsent:
    """Lenient documents of one class that lack a required nullable key, by the key.

    A run from the API reference's examples lacks ``required_action``, say. Each such key
    gets a variant generated for it on first sight, which fetches the other keys at once and
    skips the absent one's checks: the generic variant's key-by-key lookups cost about a
    tenth of a small run's decode.

    Documents from one producer tend to lack the same keys, and finding the missing key
    through the class's own function costs a KeyError and a second fetch (about 0.6 us, a
    tenth of the seed's decode). So for orjson's output (``entries``: ``_LENIENT_ENTRIES``)
    the variant that took the last document becomes the function tried
    first; it sends a document that has its key back to the class's own function, which is
    then tried first again. Any of them gives the same result for any input: a wrong guess
    costs only the detour, and threads that race to set the entry need no lock.
    """

    def __init__(self, spec: Spec, gen: _Gen, entries: dict[type[Any], Structurer] | None) -> None:
        self.spec = spec
        self.gen = gen
        self.cls: type[Any] = gen.ns["cls"]
        self.entries = entries
        self.nullable = {
            _wire_key(f.name): f.name for f in spec.fields if f.nullable and not f.optional
        }
        self.variants: dict[str, Structurer] = {}

    def structure(self, d: dict[str, Any], key: Any) -> Any:
        """Called by the class's own function when ``d`` lacks ``key``."""
        fn = self.variants.get(key)
        if fn is None:
            fn = self.make(key)
        if self.entries is not None:
            self.entries[self.cls] = fn
        return fn(d)

    def back(self, d: dict[str, Any]) -> Any:
        """Called by a variant when ``d`` has the key it takes as absent."""
        main: Structurer = self.gen.ns["structure"]
        if self.entries is not None:
            self.entries[self.cls] = main
        return main(d)

    def make(self, key: Any) -> Structurer:
        name = self.nullable.get(key)
        if name is None:  # a key that may not be absent is: the reference reports it
            raise _Fail
        with _VARIANT_LOCK:
            fn = self.variants.get(key)
            if fn is None:
                fname = f"structure_without_{name}"
                src = _structure_source(
                    self.spec,
                    self.gen,
                    fname,
                    absent=(name,),
                    fallback="return structure_absent(d)",  # another key is absent too
                    guard=f"if {self.gen.const(key)} in d: return structure_back(d)",
                )
                exec(src, self.gen.ns)  # our own generated source
                fn = self.variants[key] = self.gen.ns[fname]
        return fn


def _structure_source(
    spec: Spec,
    gen: _Gen,
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
    required = [f for f in spec.fields if not f.optional]
    lines = [f"def {name}(d):"]
    if guard is not None:
        lines.append(f"    {guard}")
    skip: tuple[str, ...] = ()
    if absent is None:
        lines += ["    try:", "        absent = ()"]
        present = [(i, f.name) for i, f in enumerate(required) if not f.nullable]
        lines += _fetch(gen, present, "d", "", "        ")
        for i, f in enumerate(required):
            if f.nullable:
                lines += [
                    f"        v{i} = d.get({gen.key(f.name)}, _ABSENT)",
                    f"        if v{i} is _ABSENT:",
                    f"            v{i} = None",
                    f"            absent += ({f.name!r},)",
                ]
        gen.ns["_ABSENT"] = _ABSENT
        gen.ns["_absent_extra"] = _absent_extra
        n_required = f"{len(required)} - len(absent)"
        extra = "_absent_extra(absent) if absent else None"
    else:
        skip = absent
        present = [(i, f.name) for i, f in enumerate(required) if f.name not in skip]
        lines += ["    try:", *_fetch(gen, present, "d", "", "        ")]
        if fallback is not None:
            lines += ["    except KeyError as e:", f"        {fallback}", "    try:"]
        n_required = str(len(present))
        extra = gen.const(_absent_extra(skip)) if skip else "None"
    lines += _check_lines(spec, gen, "d", "", "        ", skip, n_required)
    lines += ["    except _Fail: raise", "    except Exception: raise _Fail"]
    shared = _constant_instance(gen.ns["cls"])
    if shared is not None and extra == "None":
        lines.append(f"    return {gen.const(shared)}")
    else:
        lines += [
            *_build_lines(spec, "inst", "", "    ", skip, extra, "builder", "cls"),
            "    return inst",
        ]
    return "\n".join(lines) + "\n"


def _check_lines(
    spec: Spec, gen: _Gen, d: str, p: str, ind: str, skip: tuple[str, ...], n_required: str
) -> list[str]:
    """Lines that check the fetched required values (``{p}v{i}``, bar those in ``skip``),
    fetch and check the optional ones (``{p}o{j}``), then count ``d``'s keys."""
    required = [f for f in spec.fields if not f.optional]
    optional = [f for f in spec.fields if f.optional]
    lines = []
    # When the object's first timestamp is always there (a run's created_at), it is kept in
    # ``{p}ts``/``{p}dt`` as the anchor of the later ones: a run's timestamps lie within
    # minutes of its creation (it expires 10 minutes after it, often starts the same second).
    # One equal to the anchor takes its datetime; one up to ``len(_DELTAS)`` seconds after
    # it is the anchor's datetime plus a cached timedelta, 40 ns against 200 ns for a
    # conversion. Both give what converting gives: datetimes are exact integer arithmetic.
    outer = gen.anchor
    first = next((f for f in spec.fields if isinstance(f.kind, Timestamp)), None)
    always = first is not None and not (first.optional or first.nullable or first.name in skip)
    gen.anchor = f"*{p}_" if always else None
    for i, f in enumerate(required):
        if f.name in skip:
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
    count = f"{p}n" if optional else n_required
    lines.append(f"{ind}if len({d}) != {count}: raise _Fail")
    gen.anchor = outer
    return lines


def _build_lines(
    spec: Spec,
    target: str,
    p: str,
    ind: str,
    skip: tuple[str, ...],
    extra: str,
    builder: str,
    cls: str,
) -> list[str]:
    """Lines that build the instance into ``target``: a builder twin (see ``_builder``), one
    store per field, then its class set to ``cls``."""
    required = [f for f in spec.fields if not f.optional]
    optional = [f for f in spec.fields if f.optional]
    lines = [f"{ind}{target} = {builder}()"]
    for i, f in enumerate(required):
        lines.append(f"{ind}{target}.{f.name} = {'None' if f.name in skip else f'{p}v{i}'}")
    for j, f in enumerate(optional):
        lines.append(f"{ind}{target}.{f.name} = {p}o{j}")
    lines += [f"{ind}{target}._rs_extra = {extra}", f"{ind}{target}.__class__ = {cls}"]
    return lines


#: The one instance of each class whose fields are all required constants (see below).
_CONSTANT_INSTANCES: dict[type[Any], Any] = {}


def _constant_instance(cls: type[Any]) -> Any:
    """The instance the fast path returns for every clean document of ``cls``, if all its
    fields are required constants (a code_interpreter tool, a text response format); else
    None.

    Such documents are all alike, and the instances are frozen: sharing one, as equal JSON
    Schemas share one FrozenMap, saves building and freeing an object each time.
    """
    values = {}
    for f in spec_of(cls).fields:
        kind = f.kind
        if f.optional or f.nullable or not isinstance(kind, Const):
            return None
        values[f.name] = kind.value
    if not values:
        return None
    inst = _CONSTANT_INSTANCES.get(cls)
    if inst is None:
        inst = _CONSTANT_INSTANCES.setdefault(cls, cls(**values))
    return inst


#: ``timedelta(seconds=i)`` at ``i``, made on first need (see ``_check_lines``).
_DELTAS: Final[list[timedelta | None]] = [None] * 1024


def _delta(seconds: int) -> timedelta:
    made = _DELTAS[seconds] = timedelta(seconds=seconds)
    return made


#: Up to this many keys, plain ``d[key]`` lookups beat one ``itemgetter`` call (which builds
#: a tuple to unpack): about 20 ns less for 2 to 5 keys, even at 8.
_SUBSCRIPTS_MAX: Final = 7


def _fetch(gen: _Gen, keys: list[tuple[int, str]], d: str, p: str, ind: str) -> list[str]:
    """Lines binding ``{p}v{i}`` to ``d[name]`` for each pair: lookups one by one for a few
    keys, else one ``itemgetter`` call (a missing key raises KeyError either way)."""
    if len(keys) <= _SUBSCRIPTS_MAX:
        return [f"{ind}{p}v{i} = {d}[{gen.key(name)}]" for i, name in keys]
    getter = gen.const(itemgetter(*(_wire_key(name) for _, name in keys)))
    targets = ", ".join(f"{p}v{i}" for i, _ in keys)
    return [f"{ind}{targets} = {getter}({d})"]


#: Extras of lenient decodes that found only absent keys, shared by absent-key tuple: they are
#: immutable, and a batch of runs tends to miss the same keys. Bounded, so that odd input
#: cannot grow it without end.
_ABSENT_EXTRAS: dict[tuple[str, ...], Extra] = {}
_ABSENT_EXTRAS_MAX: Final = 1024


def _absent_extra(absent: tuple[str, ...]) -> Extra:
    extra = _ABSENT_EXTRAS.get(absent)
    if extra is None:
        extra = Extra(frozenset(absent), FrozenMap())
        if len(_ABSENT_EXTRAS) < _ABSENT_EXTRAS_MAX:
            _ABSENT_EXTRAS[absent] = extra
    return extra


# --- encoding -----------------------------------------------------------------------------


def _dump_expr(kind: Kind, v: str, ns: dict[str, Any]) -> str | None:
    """An expression turning ``v`` into its JSON form, or None when ``v`` is already it."""
    if isinstance(kind, (Str, Int, Num, Bool, Const, StrMap, JsonObject)):
        return None
    if isinstance(kind, Timestamp):
        # as Timestamp.dump does, inline
        return f"((_s := {v} - EPOCH).days * 86400 + _s.seconds)"
    if isinstance(kind, Enum):
        return f"({v} if type({v}) is str else {v}.value)"
    if isinstance(kind, Model):
        name = f"_d_{kind.cls.__name__}"
        ns[name] = dumper(kind.cls)
        return f"{name}({v})"
    if isinstance(kind, Array):
        return None  # items that need converting are converted by ``_dump_statements``
    raise TypeError(f"no fast dump for {kind!r}")  # pragma: no cover (see _dump_statements)


def dumper(cls: type[Any]) -> Dumper:
    """The generated encoding function of ``cls``: the instance to what orjson writes (see
    ``_dump_lines``)."""
    fn = _DUMPERS.get(cls)
    if fn is not None:
        return fn
    if cls is UnknownValue:  # an unknown string of a string-or-object union
        fn = _DUMPERS[cls] = _unknown_value
        return fn
    if getattr(cls, "__rs_unknown_arm__", False):
        fn = _DUMPERS[cls] = _unknown_data
        return fn
    ns: dict[str, Any] = {"UNSET": UNSET, "EPOCH": EPOCH, "extra": _dump_extra}
    lines = ["def dump(o):", *_dump_lines(cls, "o", "d", ns, "    ", 0), "    return d"]
    exec("\n".join(lines), ns)  # our own generated source
    made: Dumper = ns["dump"]
    _DUMPERS[cls] = made
    return made


def _dump_lines(
    cls: type[Any], o: str, d: str, ns: dict[str, Any], ind: str, depth: int
) -> list[str]:
    """Lines that bind ``d`` to the JSON form of the instance ``o``.

    One dict display in schema order; then optional fields left UNSET are deleted, and what a
    lenient decode remembered (absent keys, unknown keys) is applied, as ``dump_model`` does.
    Arrays of objects are converted in loops ahead of the display (a comprehension is a
    function of its own in 3.11), and small nested objects are converted there too, inline,
    rather than by a call to their own function (see ``_small``).
    """
    spec = spec_of(cls)
    lines = [f"{ind}_e{depth} = {o}._rs_extra"]  # read first: ``d`` may be ``o``'s own name
    items = []
    for k, f in enumerate(spec.fields):
        # None and UNSET are written as they are (UNSET is deleted below)
        passed = (["None"] if f.nullable else []) + (["UNSET"] if f.optional else [])
        a = f"_a{depth}_{k}"
        converts = _dump_statements(f.kind, a, ns, "", depth)
        if converts is not None:
            lines.append(f"{ind}{a} = {o}.{f.name}")
            sub = ind
            if passed:
                lines.append(f"{ind}if {' and '.join(f'{a} is not {p}' for p in passed)}:")
                sub = ind + "    "
            lines += [sub + line for line in converts]
            items.append(f"{f.name!r}: {a}")
            continue
        expr = _dump_expr(f.kind, "v" if passed else f"{o}.{f.name}", ns)
        if expr is None:
            items.append(f"{f.name!r}: {o}.{f.name}")
        elif passed:
            first, *rest = passed
            cond = " or ".join([f"(v := {o}.{f.name}) is {first}", *(f"v is {p}" for p in rest)])
            items.append(f"{f.name!r}: v if {cond} else {expr}")
        else:
            items.append(f"{f.name!r}: {expr}")
    lines.append(f"{ind}{d} = {{" + ", ".join(items) + "}")
    for f in spec.fields:
        if f.optional:
            lines.append(f"{ind}if {d}[{f.name!r}] is UNSET: del {d}[{f.name!r}]")
    lines.append(f"{ind}if _e{depth} is not None: {d} = extra({d}, _e{depth})")
    return lines


def _dump_statements(
    kind: Kind, a: str, ns: dict[str, Any], ind: str, depth: int
) -> list[str] | None:
    """Lines that turn the local ``a`` (neither None nor UNSET) into its JSON form in place,
    or None when an expression does (see ``_dump_expr``).

    Small objects are converted inline; a tagged union compares its value's type with each
    arm's class (converting a small arm inline) instead of looking its dumper up; arrays of
    those are converted in loops (a comprehension is a function of its own in 3.11).
    """
    if isinstance(kind, Model):
        if not _small(kind.cls, depth):
            return None
        return _dump_lines(kind.cls, a, a, ns, ind, depth + 1)
    if isinstance(kind, Tagged):
        t = f"_t{depth}"
        lines = [f"{ind}{t} = type({a})"]
        branch = "if"
        for arm in dict.fromkeys(kind.arms.values()):  # arms of one class: one branch
            if getattr(arm, "__rs_unknown_arm__", False):
                continue
            name = f"_C_{arm.__name__}"
            ns[name] = arm
            lines.append(f"{ind}{branch} {t} is {name}:")
            inline = _dump_statements(Model(arm), a, ns, ind + "    ", depth)
            lines += (
                inline
                if inline is not None
                else [f"{ind}    {a} = {_dump_expr(Model(arm), a, ns)}"]
            )
            branch = "elif"
        ns["_DUMPERS"] = _DUMPERS
        return [*lines, f"{ind}else: {a} = _DUMPERS[{t}]({a})"]  # an unknown arm
    if isinstance(kind, StrOr):
        objects = _dump_statements(kind.objects, a, ns, ind + "    ", depth)
        assert objects is not None
        return [f"{ind}if type({a}) is not str:", *objects]
    if isinstance(kind, Array):
        x, out = f"_x{depth}", f"_l{depth}"
        item = _dump_statements(kind.item, x, ns, ind + "    ", depth + 1)
        if item is None:
            expr = _dump_expr(kind.item, x, ns)
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
    return None


def _dump_extra(d: dict[str, Any], extra: Extra) -> dict[str, Any]:
    for name in extra.absent:
        if d[name] is None:  # read as None from an absent key, and still None: absent again
            del d[name]
    if extra.unknown:
        d.update(extra.unknown)
    return d


def _unknown_value(o: UnknownValue) -> str:
    return o.value


def _unknown_data(o: Any) -> Any:
    return o.data
