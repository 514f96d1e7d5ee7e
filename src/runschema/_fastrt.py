"""What generated code calls at run time: the failure signal, freezing and interning JSON
values, the timedelta table, shared extras, builder twins, and the encoder's helpers.

The state here (an interning cache, tables) belongs to an owner (``_fast.FastPaths``), which
binds its own objects into the namespaces of the code it generates.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, Final, Protocol

import orjson

from ._kinds import MAX_INT, MIN_INT, VALUE_DEPTH, Extra, fullmatch
from ._kinds import json_text as json_text_or_none
from ._values import FrozenMap, UnknownValue, frozen_map

__all__ = [
    "BIG_FLOAT",
    "FROMTIMESTAMP_MAX",
    "NO_NAMES",
    "AbsentExtras",
    "Owner",
    "Deltas",
    "Fail",
    "Interned",
    "Spans",
    "copy_array",
    "copy_object",
    "dump_extra",
    "frozen_copy",
    "json_text",
    "lazy_object",
    "make_builder",
    "reference_only",
    "unknown_data",
    "unknown_keys",
    "unknown_keys_python",
    "unknown_value",
    "wire_key",
    "with_unknown",
]


class Owner(Protocol):
    """What code generation asks of the owner of generated code (``_fast.FastPaths``): its
    switches, its caches, and the functions it has made."""

    inline: bool
    shared_constants: bool
    intern_schemas: bool
    anchor_timestamps: bool
    span_timestamps: bool
    absent_variant: bool
    debug: bool
    interned: Interned
    deltas: Deltas
    spans: Spans
    absent_extras: AbsentExtras
    lenient_entries: dict[type[Any], Callable[[dict[str, Any]], Any]]
    variant_lock: threading.Lock

    @property
    def dumpers(self) -> Mapping[type[Any], Callable[[Any], Any]]: ...

    def structurer(
        self, cls: type[Any], strict: bool, *, python: bool = False
    ) -> Callable[[dict[str, Any]], Any]: ...
    def dumper(self, cls: type[Any]) -> Callable[[Any], Any]: ...
    def constant_instance(self, cls: type[Any]) -> Any: ...
    def builder(self, cls: type[Any]) -> type[Any]: ...
    def compile(self, source: str, label: str, namespace: dict[str, Any]) -> None: ...


class Fail(Exception):
    """Raised by generated code: not the clean case, ask the reference interpreter."""


#: A float this large may be an integer literal orjson could not hold (it reads those beyond 64
#: bits as floats); also false for NaN and infinities. Anything outside goes to the reference,
#: after an exact re-parse (see ``_codec.loads``).
BIG_FLOAT: Final = 9.2e18

#: ``datetime.fromtimestamp(ts, UTC)`` is twice as fast as adding a ``timedelta`` to the epoch,
#: but some platforms refuse negative timestamps or years past 3000 there: those take the sum.
FROMTIMESTAMP_MAX: Final = 32503679999


def reference_only(d: dict[str, Any]) -> Any:
    """The "generated" function of an unknown arm: built by the reference interpreter only."""
    raise Fail


def copy_object(v: Any, depth: int = 0) -> dict[Any, Any]:
    """A checked plain copy of a JSON object built in Python (dicts or FrozenMaps, lists or
    tuples); anything unusual (or deep) is left to the reference.

    The copy is the value's own (whoever built the original may change it later); it is then
    held in a FrozenMap, read-only. Scalars are handled inline rather than by a call each:
    most leaves of a JSON schema are strings, and a call per leaf was most of the cost.
    """
    if depth >= VALUE_DEPTH:  # a container at ``depth`` is at level depth + 1
        raise Fail
    out = {}
    for k, x in dict.items(v):
        t = type(x)
        if t is str or t is bool or x is None:
            out[k] = x
        elif t is dict or t is FrozenMap:
            out[k] = copy_object(x, depth + 1)
        elif t is list or t is tuple:
            out[k] = copy_array(x, depth + 1)
        elif t is int:
            if not MIN_INT <= x <= MAX_INT:
                raise Fail
            out[k] = x
        elif t is float:
            if not -BIG_FLOAT < x < BIG_FLOAT:
                raise Fail
            out[k] = x
        else:
            raise Fail
    return out


def copy_array(v: Any, depth: int) -> list[Any]:
    """A checked plain copy of a JSON array built in Python (see ``copy_object``)."""
    if depth >= VALUE_DEPTH:  # a container at ``depth`` is at level depth + 1
        raise Fail
    out = []
    for x in v if type(v) is list else tuple.__iter__(v):
        t = type(x)
        if t is str or t is bool or x is None:
            out.append(x)
        elif t is dict or t is FrozenMap:
            out.append(copy_object(x, depth + 1))
        elif t is list or t is tuple:
            out.append(copy_array(x, depth + 1))
        elif t is int:
            if not MIN_INT <= x <= MAX_INT:
                raise Fail
            out.append(x)
        elif t is float:
            if not -BIG_FLOAT < x < BIG_FLOAT:
                raise Fail
            out.append(x)
        else:
            raise Fail
    return out


def frozen_copy(v: Any) -> FrozenMap[Any]:
    """A JSON object built in Python, checked and copied into a FrozenMap (see copy_object)."""
    return frozen_map(copy_object(v))


def json_text(v: Any) -> bytes:
    """The JSON text of a JSON value orjson parsed, when it can be held as it is (see
    ``_kinds.json_text``); Fail otherwise."""
    text = json_text_or_none(v)
    if text is None:
        raise Fail
    return text


def lazy_object(v: dict[str, Any]) -> FrozenMap[Any]:
    """A JSON object orjson parsed, checked (see json_text) and held read-only, not copied
    beyond its top level."""
    json_text(v)
    return frozen_map(v)


def unknown_keys(d: dict[str, Any], known: frozenset[str]) -> FrozenMap[Any]:
    """The keys of an object orjson parsed that its class does not declare, with their values
    checked (containers by json_text, floats against BIG_FLOAT), in the object's order, as a
    lenient decode keeps them."""
    out = {}
    for k, v in d.items():
        if k in known:
            continue
        t = type(v)
        if t is dict or t is list:
            json_text(v)
        elif t is float and not -BIG_FLOAT < v < BIG_FLOAT:
            raise Fail
        out[k] = v
    return frozen_map(out)


def unknown_keys_python(d: Any, known: frozenset[str]) -> FrozenMap[Any]:
    """``unknown_keys`` for data built in Python: string keys only, values checked and copied
    (see copy_object)."""
    out = {}
    for k, v in dict.items(d):
        if type(k) is not str:
            raise Fail
        if k not in known:
            out[k] = v
    return frozen_copy(out)


NO_NAMES: Final[frozenset[str]] = frozenset()


def with_unknown(absent: frozenset[str], unknown: FrozenMap[Any]) -> Extra:
    """What a lenient decode keeps of an object with unknown keys (and maybe absent ones).

    Built as generated code builds models (see ``make_builder``), without attrs' ``__init__``
    (half the cost): the values are what it would store, and Extra validates nothing. The
    generated code passes ``absent`` as a frozenset it made once (``NO_NAMES`` for none).
    """
    extra = _ExtraBuilder()
    extra.absent = absent
    extra.unknown = unknown
    extra.__class__ = Extra
    return extra  # type: ignore[no-any-return]


#: Lookups between decisions to bypass the table or not; while it is bypassed, one lookup in
#: ``_PROBE_MASK + 1`` (``1 << _PROBE_SHIFT``) still consults it (64 probes a window). With
#: 4,096, a server's runs of 600 assistants decoded after runs whose schemas came back paid
#: the table for their first 1,460 runs: 27 us a run against 25 us.
_WINDOW: Final = 1024
_PROBE_SHIFT: Final = 4
_PROBE_MASK: Final = (1 << _PROBE_SHIFT) - 1
#: The table is bypassed when fewer than one lookup in this many finds its schema.
_FOUND_SHARE: Final = 4


class Interned:
    """Frozen JSON objects by their JSON text: kept when they come back often, first in first
    out within a budget of text.

    Runs of one assistant carry the same tool ``parameters`` and response ``schema`` again and
    again; sharing one FrozenMap among them keeps one copy in memory where each decoded run
    would hold its own. Looking one up costs encoding it with orjson, which ``json_text``
    does anyway. Only orjson's output is looked up: for its values (dicts, lists, str, int,
    float, bool, None; no NaN, no tuples) equal text means equal values of equal types in equal
    order, so a hit holds exactly what the miss would. FrozenMaps are read-only: sharing one is
    invisible but for ``is``.

    A schema is kept on its third sighting when each came soon after the one before: within
    ``room`` sightings of schemas not found, as many as the budget holds schemas. One kept
    that does not come back before it is pushed out costs its keeping and a late, cache-cold
    release (microseconds a schema) and saves nothing: when the schemas in use do not fit,
    they are frozen apart each time (as without interning) rather than churned through. (Kept
    on a second sighting, a stream of 1,500 schemas each seen about five times kept a thousand
    for every 400 found.) The record of sightings is hashes of texts, cleared after ``recent``
    of them.

    The budget counts JSON text (indented, as ``json_text`` writes it), not memory: the
    Python objects kept take about 3 times their text for the benchmarks' schemas, and far
    more for a text of nothing but empty arrays (found by a user's trial: 256 KiB of such
    compact text held 23 MiB). Bounded either way; a text-length bound keeps the keeping
    decision free of a walk of the value.

    Looking a schema up costs about half a microsecond more than freezing it apart (hashing its
    text, the record), and saves time only when it is found. So while fewer than one lookup in
    four finds its schema, counted over windows of 1,024, only one lookup in 16 consults the
    table (and keeps a schema, or finds one); the others freeze apart. When schemas come back
    again, those probes find them and the next window consults the table throughout.
    """

    def __init__(self, budget: int, recent: int = 1024) -> None:
        self.budget = budget
        self.size = 0
        # an OrderedDict drops its oldest entry in O(1): next(iter(d)) on a dict scans the
        # slots its earlier deletions left empty, which made each insert cost microseconds
        self.map: OrderedDict[bytes, FrozenMap[Any]] = OrderedDict()
        self.recent = recent
        #: the hash of each text seen lately and not found, with the number of that sighting
        self.seen: dict[int, int] = {}
        #: sightings of schemas not found, so far
        self.sightings = 0
        #: the hashes in ``seen`` whose last sighting came soon after the one before
        self.twice: set[int] = set()
        #: how many schemas the budget holds (``recent`` until one is kept)
        self.room = recent
        #: lookups in this window, and how many found their schema
        self.looked = 0
        self.found = 0
        #: whether the table is consulted by one lookup in 16 only (few were found lately)
        self.bypass = False
        self.lock = threading.Lock()

    def texts(self) -> list[bytes]:
        """The texts kept, oldest first."""
        return list(self.map)

    def object(self, v: dict[str, Any]) -> FrozenMap[Any]:
        """``lazy_object(v)`` for a JSON object parsed by orjson, shared when seen before."""
        text = json_text_or_none(v)
        if text is None:
            raise Fail
        # the counts and the record take no lock: each dict and set operation is atomic, and
        # a count or sighting lost to a race between threads only delays a decision
        looked = self.looked = self.looked + 1
        if self.bypass and looked & _PROBE_MASK:
            return frozen_map(v)
        if looked >= _WINDOW:  # decide for the next window by the share found in this one
            probes = looked >> _PROBE_SHIFT if self.bypass else looked
            self.bypass = self.found * _FOUND_SHARE < probes
            self.looked = self.found = 0
        frozen = self.map.get(text)
        if frozen is not None:
            self.found += 1
            return frozen
        frozen = frozen_map(v)
        now = self.sightings = self.sightings + 1
        h = hash(text)
        seen = self.seen
        last = seen.get(h)
        if last is not None and now - last <= self.room:  # seen lately
            if h in self.twice:
                self.keep(text, frozen)
            else:
                self.twice.add(h)
        else:  # first seen, or not lately
            if len(seen) >= self.recent:
                seen.clear()
                self.twice.clear()
            self.twice.discard(h)
        seen[h] = now
        return frozen

    def keep(self, text: bytes, frozen: FrozenMap[Any]) -> None:
        if len(text) > self.budget // 16:  # a huge schema would push out all the others
            return
        with self.lock:
            if text in self.map:
                return
            self.map[text] = frozen
            self.size += len(text)
            while self.size > self.budget:
                oldest, _ = self.map.popitem(last=False)
                self.size -= len(oldest)
            # how many schemas the budget holds, by the mean size of those kept
            self.room = self.budget * len(self.map) // self.size


#: How many strings :func:`matched` remembers of one pattern before it forgets them all.
MATCHED_MAX: Final = 8192


@functools.cache
def matched(pattern: str) -> tuple[set[str], Callable[[str], bool]]:
    """For a :class:`~runschema._kinds.Str`'s pattern in strict code: the strings known to
    match it, and a function telling whether one does (remembering it if so). A service's
    runs name the same functions again and again, each assistant's, distinct documents
    alike: a set lookup costs a third of a match (a server's view of 3,000 runs of 600
    assistants, strict, lost 3% to matching every name). At most :data:`MATCHED_MAX`
    are kept; then all are forgotten, and the set fills again."""
    seen: set[str] = set()
    match = fullmatch(pattern)

    def matches(v: str) -> bool:
        if match(v) is None:
            return False
        if len(seen) >= MATCHED_MAX:
            seen.clear()
        seen.add(v)
        return True

    return seen, matches


def wire_key(name: str) -> str:
    """``name`` as the very str object orjson gives dict keys of that name.

    orjson keeps a cache of the key strings it has made and hands out the same object each
    time; a dict lookup that finds its key by identity skips comparing the characters, which
    was 40% of the cost of fetching a run's required keys. Only speed depends on this: should
    orjson return another object (the cache is bounded), lookups compare equal strings as
    usual.
    """
    key: str = next(iter(orjson.loads(orjson.dumps({name: None}))))
    return key


class Deltas:
    """``timedelta(seconds=i)`` at ``table[i]``, made on first need (timestamps taken from a
    run's ``created_at``: see ``_faststructure.check_lines``)."""

    def __init__(self, size: int = 1024) -> None:
        self.table: list[timedelta | None] = [None] * size

    def make(self, seconds: int) -> timedelta:
        made = self.table[seconds] = timedelta(seconds=seconds)
        return made


class Spans:
    """The UTC datetime at the start of each recent span of ``len(deltas.table)`` seconds, by
    span number (``seconds >> shift``), for converting unix seconds in generated code.

    The datetime of ``t``'s span plus a cached timedelta (``deltas``) costs less than
    ``datetime.fromtimestamp(t, UTC)``: in a seed run's decode, 0.34 us less (timed apart, one
    process; about half in a tight loop of conversions alone). Runs arrive in bursts (a server's
    runs were created within minutes of each other, an archive is mostly in time order), so a
    few spans serve a whole stream of distinct runs: a stream of 10,000 runs made over two days
    needs about 170. A timestamp whose span is not kept is converted; its span's start is
    kept when the span lies within ``near`` spans of the last one converted so (``last``), as
    in a burst. Timestamps out of time order (an archive shuffled, say) are then converted
    with about 0.1 us of bookkeeping each, rather than churning the table (keeping every span
    cost twice that). The table is emptied when it holds ``limit`` spans (12 days of them by
    default), so odd input cannot grow it without end. Both ways give the same datetime: UTC
    has no folds or gaps, and datetime arithmetic is exact.
    """

    def __init__(self, deltas: Deltas, limit: int = 1024) -> None:
        size = len(deltas.table)
        if size & (size - 1):
            raise ValueError(f"the timedelta table's size is not a power of two: {size}")
        self.shift = size.bit_length() - 1
        self.limit = limit
        self.near = 2
        self.table: dict[int, datetime] = {}
        #: the span of the last timestamp converted for want of its span (one item)
        self.last: list[int] = [0]


class AbsentExtras:
    """Extras of lenient decodes that found only absent keys, shared by absent-key tuple: they
    are immutable, and a batch of runs tends to miss the same keys. Bounded, so that odd input
    cannot grow it without end."""

    def __init__(self, limit: int = 1024) -> None:
        self.limit = limit
        self.map: dict[tuple[str, ...], Extra] = {}

    def get(self, absent: tuple[str, ...]) -> Extra:
        extra = self.map.get(absent)
        if extra is None:
            extra = Extra(frozenset(absent), FrozenMap())
            if len(self.map) < self.limit:
                self.map[absent] = extra
        return extra


def make_builder(cls: type[Any]) -> type[Any]:
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
    namespace = {
        "__slots__": (),
        "__setattr__": object.__setattr__,
        "__delattr__": object.__delattr__,
        # calling the twin then makes a bare instance, faster than object.__new__(twin)
        "__init__": object.__init__,
        "__module__": __name__,
        "__qualname__": f"make_builder.<{cls.__qualname__}>",
    }
    return type(f"_{cls.__name__}Builder", (cls,), namespace)


_ExtraBuilder: Final = make_builder(Extra)


def dump_extra(d: dict[str, Any], extra: Extra) -> dict[str, Any]:
    """Apply what a lenient decode remembered to an encoded object, as ``dump_model`` does."""
    for name in extra.absent:
        if d[name] is None:  # read as None from an absent key, and still None: absent again
            del d[name]
    if extra.unknown:
        d.update(extra.unknown)
    return d


def unknown_value(o: UnknownValue) -> str:
    """The encoder of an unknown string of a string-or-object union."""
    return o.value


def unknown_data(o: Any) -> Any:
    """The encoder of an unknown union arm: its data, as it came."""
    return o.data
