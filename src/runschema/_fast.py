"""Generated fast paths and their one owner: one structuring and one encoding function per
model class and mode, made on first use.

The reference interpreter in ``_kinds`` explains every problem and keeps everything a lenient
decode must keep; it pays for that with per-field bookkeeping. Most documents need none of it,
and for those a :class:`FastPaths` generates plain Python functions (``_faststructure`` for
structuring, ``_fastencode`` for encoding; the helpers they call are in ``_fastrt``). A
generated structuring function never decides that input is *bad*: on anything unusual it raises
``Fail``, and the caller re-runs the reference interpreter on the same input, which builds the
value or reports every error. So results and errors are those of the reference by
construction; the tests check the two agree on valid and invalid input alike.

:data:`DEFAULT` is the owner the library uses. Another owner, with a speed technique switched
off or in debug mode, makes functions of its own (``FastPaths(inline=False).structurer(...)``):
tests compare them, and nothing global changes. Generated source is registered with
``linecache`` under a unique file name, so tracebacks and debuggers show it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, Final

import orjson

from ._fastcheck import run_source
from ._fastencode import make_dumper
from ._fastrt import (
    AbsentExtras,
    Deltas,
    Fail,
    Interned,
    Spans,
    make_builder,
    reference_only,
    unknown_data,
    unknown_value,
)
from ._faststructure import make_structurer
from ._kinds import Const, spec_of
from ._schema import base_refused
from ._values import UnknownValue

__all__ = ["DEFAULT", "Fail", "FastPaths", "dumper", "structurer"]

Structurer = Callable[[dict[str, Any]], Any]
Dumper = Callable[[Any], Any]


class _Dumpers(dict[type[Any], Dumper]):
    """Encoding functions by class: a miss generates one (so lookups stay one C call)."""

    def __init__(self, fp: FastPaths) -> None:
        super().__init__()
        self.fp = fp

    def __missing__(self, cls: type[Any]) -> Dumper:
        return self.fp.dumper(cls)


#: The speed techniques a :class:`FastPaths` switches (see its docstring).
SWITCHES: Final = (
    "inline",
    "shared_constants",
    "intern_schemas",
    "anchor_timestamps",
    "span_timestamps",
    "absent_variant",
)


class FastPaths:
    """The owner of generated code: its switches, the functions it made, and their caches.

    Each switch turns one speed technique on (the default) or off; results are the same
    either way (the tests prove it by comparing owners):

    - ``inline``: small nested objects are structured and encoded inside their parent's
      function, not by a call to their own;
    - ``shared_constants``: an object of constant fields only (a code_interpreter tool) is one
      shared frozen instance;
    - ``intern_schemas``: JSON Schemas parsed by orjson that come back are shared, not frozen
      again (``intern_budget`` bytes of JSON text, kept on a third sighting when each came soon
      after the one before; ``intern_recent`` sightings recorded);
    - ``anchor_timestamps``: a run's later timestamps are taken from its ``created_at``;
    - ``span_timestamps``: other timestamps are converted from the datetime of their span of
      seconds, kept while recent (``_fastrt.Spans``), plus a cached timedelta;
    - ``absent_variant``: lenient ``loads`` first tries the variant for the nullable key the
      previous document of the class lacked.

    ``debug``: generated code converts only the exceptions the clean case's checks may raise
    on unclean input (KeyError, TypeError, OverflowError) into a fall back to the reference;
    anything else propagates, so that a generator bug is an error in tests rather than mere
    slowness. The environment variable ``RUNSCHEMA_FAST_DEBUG=1`` makes :data:`DEFAULT` debug.
    """

    def __init__(
        self,
        *,
        inline: bool = True,
        shared_constants: bool = True,
        intern_schemas: bool = True,
        anchor_timestamps: bool = True,
        span_timestamps: bool = True,
        absent_variant: bool = True,
        debug: bool = False,
        intern_budget: int = 384 * 1024,  # of indented text (see _kinds.json_text)
        intern_recent: int = 1024,
        absent_extras: int = 1024,
    ) -> None:
        self.inline = inline
        self.shared_constants = shared_constants
        self.intern_schemas = intern_schemas
        self.anchor_timestamps = anchor_timestamps
        self.span_timestamps = span_timestamps
        self.absent_variant = absent_variant
        self.debug = debug
        #: structuring functions by (class, strict, python)
        self.made: dict[tuple[type[Any], bool, bool], Structurer] = {}
        #: the function to try first on orjson's output, by class, one dict per mode (a lookup
        #: keyed by a class beats one keyed by a tuple): the class's own, or in lenient mode the
        #: variant for the key the last document lacked (see ``_faststructure.OneAbsent``)
        self.lenient_entries: dict[type[Any], Structurer] = {}
        self.strict_entries: dict[type[Any], Structurer] = {}
        self.dumpers = _Dumpers(self)
        #: functions writing JSON bytes by class, for ``dumps`` (see ``encoder``)
        self.encoders: dict[type[Any], Callable[[Any], bytes]] = {}
        self.interned = Interned(intern_budget, intern_recent)
        self.deltas = Deltas()
        self.spans = Spans(self.deltas)
        self.absent_extras = AbsentExtras(absent_extras)
        #: the one instance of each class whose fields are all required constants
        self.constants: dict[type[Any], Any] = {}
        #: builder twins by model class (see ``_fastrt.make_builder``)
        self.builders: dict[type[Any], type[Any]] = {}
        #: variants for one absent key are made one at a time (they share a namespace)
        self.variant_lock = threading.Lock()

    def __repr__(self) -> str:
        off = [s for s in SWITCHES if not getattr(self, s)]
        return f"FastPaths(off={off}, debug={self.debug})"

    def structurer(self, cls: type[Any], strict: bool, *, python: bool = False) -> Structurer:
        """The generated clean-case structuring function of ``cls`` (made on first use).

        ``python``: for data built in Python rather than parsed by orjson. Such data may hold
        what orjson's output never does (tuples, NaN), which the JSON Schema interning must
        not see, so it gets functions of its own that freeze each time.
        """
        key = (cls, strict, python)
        fn = self.made.get(key)
        if fn is not None:
            return fn
        refused = base_refused(cls)
        if refused is not None:
            raise TypeError(refused)
        if getattr(cls, "__rs_unknown_arm__", False):
            return reference_only  # an unknown arm is built by the reference only
        made = self.made.setdefault(key, make_structurer(self, cls, strict, python))
        if not python:
            self.entries(strict).setdefault(cls, made)
        return made

    def entries(self, strict: bool) -> dict[type[Any], Structurer]:
        """The functions to try first on orjson's output, by class (see ``lenient_entries``)."""
        return self.strict_entries if strict else self.lenient_entries

    def dumper(self, cls: type[Any]) -> Dumper:
        """The generated encoding function of ``cls``: the instance to what orjson writes."""
        fn = dict.get(self.dumpers, cls)
        if fn is not None:
            return fn
        if cls is UnknownValue:  # an unknown string of a string-or-object union
            fn = unknown_value
        elif getattr(cls, "__rs_unknown_arm__", False):
            fn = unknown_data
        else:
            fn = make_dumper(self, cls)
        return self.dumpers.setdefault(cls, fn)

    def encoder(self, cls: type[Any]) -> Callable[[Any], bytes]:
        """The generated function writing an instance of ``cls`` as compact JSON bytes: the
        dumper's lines followed by ``orjson.dumps``, in one function (see ``dumps``)."""
        fn = self.encoders.get(cls)
        if fn is not None:
            return fn
        if cls is UnknownValue or getattr(cls, "__rs_unknown_arm__", False):
            dump = self.dumper(cls)

            def fn(obj: Any) -> bytes:
                return orjson.dumps(dump(obj))
        else:
            fn = make_dumper(self, cls, encode=True)
        return self.encoders.setdefault(cls, fn)

    def constant_instance(self, cls: type[Any]) -> Any:
        """The instance the fast path returns for every clean document of ``cls``, if all its
        fields are required constants (a code_interpreter tool, a text response format) and
        the ``shared_constants`` switch is on; else None.

        Such documents are all alike, and the instances are frozen: sharing one, as equal
        JSON Schemas share one FrozenMap, saves building and freeing an object each time.
        """
        if not self.shared_constants:
            return None
        inst = self.constants.get(cls)
        if inst is not None:
            return inst
        values = {}
        for f in spec_of(cls).fields:
            kind = f.kind
            if f.optional or f.nullable or not isinstance(kind, Const):
                return None
            values[f.name] = kind.value
        if not values:
            return None
        return self.constants.setdefault(cls, cls(**values))

    def builder(self, cls: type[Any]) -> type[Any]:
        """The builder twin of ``cls`` (see ``_fastrt.make_builder``)."""
        twin = self.builders.get(cls)
        if twin is None:
            twin = self.builders.setdefault(cls, make_builder(cls))
        return twin

    def compile(self, source: str, label: str, namespace: dict[str, Any]) -> None:
        """Run generated ``source`` in ``namespace``, registered with ``linecache`` under a
        unique file name (``<runschema generated LABEL #N>``) so tracebacks show its lines."""
        run_source(source, label, namespace)


DEFAULT: Final = FastPaths(debug=os.environ.get("RUNSCHEMA_FAST_DEBUG", "") not in ("", "0"))
"""The owner of the generated code the library runs."""

structurer: Final = DEFAULT.structurer
dumper: Final = DEFAULT.dumper
