"""The schema language the models are written in, and its reference interpreter.

Each model field carries a *kind* (string, integer, timestamp, open enum, tagged union, ...)
in its attrs metadata. A kind knows three things:

- ``build``: turn a decoded JSON value into the Python value, or record every problem;
- ``check``: validate (and normalise) a value given to a constructor in Python;
- ``dump``: turn the Python value back into what orjson writes.

This module is the *reference* implementation: it explains every problem with its path. The
fast path in ``_fast`` is generated from the same kinds and must agree with it.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Final

import attrs
import orjson

from ._errors import ErrorCode, ErrorDetail, excerpt, problem_count, quoted
from ._values import UNSET, FrozenMap, UnknownValue, frozen_map

#: A model class (``_schema._Model``, which builds on this module: it is named here only).
ModelClass = type[Any]

UTC: Final = timezone.utc
EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
#: The unix seconds ``datetime`` can hold: 0001-01-01 .. 9999-12-31T23:59:59, UTC.
MIN_TS: Final = -62135596800
MAX_TS: Final = 253402300799
#: What orjson reads and writes as an integer: int64 minimum .. uint64 maximum.
MIN_INT: Final = -(2**63)
MAX_INT: Final = 2**64 - 1

#: How deep runschema lets orjson write compact JSON. orjson reads 1024 levels and refuses to
#: write more than 254, but its compact writer (3.13) ends an array with no room check, on
#: the 128 bytes it keeps spare: a run of more array ends than that ("]]]...", a value
#: nesting some 220 levels in a large output) writes past its buffer and aborts the process
#: (found by an adversarial trial). 116 keeps every such run well inside the spare room.
MAX_DEPTH: Final = 116
#: Room for where a JSON value held as it came (function ``parameters``, a ``schema``, an
#: unknown key's value, an unknown arm) may sit in anything runschema writes: below a list
#: page's run step's tool call's output, say. A test checks every type fits.
PLACEMENT_ROOM: Final = 16
#: How deep such a value may nest, counted from its own top (1 for a flat object), wherever
#: it was read or built: so it can be written wherever runschema places it.
VALUE_DEPTH: Final = MAX_DEPTH - PLACEMENT_ROOM

Loc = tuple[str | int, ...]
#: A report lists at most this many problems of one document (rejecting costs what accepting
#: costs, however bad the input): the rest are counted in one last entry.
MAX_PROBLEMS: Final = 100
#: ... and the check of a document stops once this many are found.
MAX_COUNTED: Final = 1_000


class BigInt:
    """An integer literal outside 64 bits, seen by the exact re-parse (orjson reads a float)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class BigFloat:
    """A number literal beyond a double (``1e999``), seen by the exact re-parse (orjson
    refuses the whole text for it): JSON allows it, runschema reports it (``out_of_range``)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


#: What runschema says of a number beyond a double.
BEYOND_DOUBLE: Final = "a number outside the 64-bit float range JSON tools agree on"


class Bad:
    """Returned by ``build`` after it recorded an error; never reaches a model."""

    __slots__ = ()


BAD: Final = Bad()


class StopChecking(Exception):
    """Raised by :meth:`Ctx.add` once :data:`MAX_COUNTED` problems are found: the check of a
    document that bad stops there (see :meth:`Ctx.run`)."""


@attrs.define
class Ctx:
    """One run of the interpreter: the mode and the problems found so far.

    Rejecting must cost about what accepting costs, however bad the input: the first
    :data:`MAX_PROBLEMS` problems are kept, the rest only counted (their messages are not even
    made: see :meth:`over`), and the check stops at :data:`MAX_COUNTED`.
    """

    strict: bool
    #: True when the input was built in Python rather than parsed by orjson: only then can
    #: strings hold lone surrogates (which orjson cannot write), so only then are they checked
    python: bool = False
    errors: list[ErrorDetail] = attrs.Factory(list)
    #: Problems found, those past :data:`MAX_PROBLEMS` included (only the first are kept).
    count: int = 0
    #: True once the check stopped at MAX_COUNTED problems.
    stopped: bool = False
    #: Codes of problems that are let through: counted (what holds one is still BAD), never
    #: listed, and not toward the limits (see ``runschema._endpoints.UNKNOWN_CODES``).
    passing: frozenset[str] = frozenset()
    #: How many of ``count`` were of a ``passing`` code.
    passed: int = 0

    def add(
        self, loc: Loc, code: ErrorCode, message: str, value: object = BAD, *, passable: bool = True
    ) -> Bad:
        """Record a problem (``passable=False``: listed even when its code is ``passing``)."""
        if passable and code in self.passing:
            self.count += 1
            self.passed += 1
            return BAD
        if self.over():
            return BAD
        self.count += 1
        self.errors.append(
            ErrorDetail(
                loc=loc,
                code=code,
                message=message,
                input=None if value is BAD else excerpt_of(value),
            )
        )
        return BAD

    def over(self) -> bool:
        """Count a problem that will not be listed, and say so (True); False while problems
        are still listed (the caller then makes its message and calls :meth:`add`)."""
        if self.count - self.passed < MAX_PROBLEMS:
            return False
        self.count += 1
        if self.count - self.passed >= MAX_COUNTED:
            self.stopped = True
            raise StopChecking
        return True

    def skip(self) -> Bad | None:
        """BAD after counting a problem that will not be listed, else None: written
        ``ctx.skip() or ctx.add(..., f"message")``, the message is made only when listed."""
        return BAD if self.over() else None

    def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(*args)``, or BAD if the check stopped (see :class:`StopChecking`)."""
        try:
            return fn(*args)
        except StopChecking:
            return BAD

    def problems(self) -> list[ErrorDetail]:
        """The problems kept, and one more entry saying how many were left out, if any."""
        left_out = self.count - self.passed - len(self.errors)
        if left_out <= 0:
            return self.errors
        return [*self.errors, left_out_entry(left_out, at_least=self.stopped)]


def left_out_entry(left_out: int, *, at_least: bool) -> ErrorDetail:
    """A report's last entry: how many problems it does not list (``at_least``: the check
    stopped counting). :func:`runschema._errors.problem_count` reads it back."""
    plural = "s" if left_out != 1 else ""
    message = f"{left_out:,} more problem{plural} not listed (a report lists the first "
    if at_least:
        message = f"at least {message}{MAX_PROBLEMS}; the check stops counting at {MAX_COUNTED:,})"
    else:
        message = f"{message}{MAX_PROBLEMS})"
    return ErrorDetail(loc=(), code="too_many_problems", message=message)


def capped(*reports: Iterable[ErrorDetail]) -> list[ErrorDetail]:
    """One report of the problems of ``reports``, in order, as a check's own report is: the
    first :data:`MAX_PROBLEMS` listed, every other counted in a last ``too_many_problems``
    entry (those of ``reports`` counted in it too)."""
    listed: list[ErrorDetail] = []
    left_out, at_least = 0, False
    for report in reports:
        for e in report:
            if e.code == "too_many_problems":
                count, bound = problem_count((e,))
                left_out, at_least = left_out + count, at_least or bound
            elif len(listed) < MAX_PROBLEMS:
                listed.append(e)
            else:
                left_out += 1
    if left_out:
        listed.append(left_out_entry(left_out, at_least=at_least))
    return listed


def excerpt_of(value: object) -> str:
    if isinstance(value, (BigInt, BigFloat)):
        return value.text[:97] + "..." if len(value.text) > 100 else value.text
    return excerpt(value)


def json_type(v: object) -> str:
    """How a value reads in JSON terms, for messages."""
    if v is None:
        return "null"
    t = type(v)
    if t is bool:
        return "a boolean"
    if t is int or t is BigInt:
        return "an integer"
    if t is float or t is BigFloat:
        return "a number"
    if t is str:
        return "a string"
    if t is list or t is tuple:
        return "an array"
    if t is dict or t is FrozenMap:
        return "an object"
    if isinstance(v, UnknownValue):
        return "an unknown value"
    return f"a Python {t.__name__}"


def has_surrogates(s: str) -> bool:
    if s.isascii():
        return False
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class Kind:
    """A wire type. Subclasses implement build/check/dump."""

    #: a short name used in messages: "a string", "an integer", ...
    expected: str = "a value"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        raise NotImplementedError

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        """Validate a Python-built value (lenient rules, bounds when ``ctx.strict``)."""
        return self.build(v, loc, ctx)

    def dump(self, v: Any) -> Any:
        return v

    def type_error(self, v: object, loc: Loc, ctx: Ctx) -> Bad:
        return ctx.skip() or ctx.add(
            loc, "type", f"expected {self.expected}, got {json_type(v)}", v
        )


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class Str(Kind):
    #: the form strict mode holds the string to (a regular expression it must match whole,
    #: and what to call it in a message), or None
    pattern: str | None = None
    what: str = ""
    #: what the exported JSON Schema says of the pattern, as JSON text ("": the pattern)
    schema: str = ""
    expected = "a string"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if type(v) is str:
            if ctx.python and has_surrogates(v):
                return ctx.skip() or ctx.add(
                    loc, "invalid_string", "a string with lone surrogates", v
                )
            if ctx.strict and self.pattern is not None:
                return self._matched(v, loc, ctx)
            return v
        return self.type_error(v, loc, ctx)

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if not isinstance(v, str):
            return self.type_error(v, loc, ctx)
        if has_surrogates(v):
            return ctx.skip() or ctx.add(loc, "invalid_string", "a string with lone surrogates", v)
        if ctx.strict and self.pattern is not None:
            return self._matched(str(v), loc, ctx)
        return str(v)

    def _matched(self, v: str, loc: Loc, ctx: Ctx) -> Any:
        assert self.pattern is not None
        if fullmatch(self.pattern)(v) is not None:
            return v
        message = (
            f"expected {self.what}, got {excerpt(v)}"
            if self.what
            else (f"expected a string matching {self.pattern}, got {excerpt(v)}")
        )
        return ctx.skip() or ctx.add(loc, "pattern", message, v)


@functools.cache
def fullmatch(pattern: str) -> Callable[[str], re.Match[str] | None]:
    """The compiled ``fullmatch`` of a :class:`Str`'s pattern."""
    return re.compile(pattern).fullmatch


def whole_json_number(v: Any) -> bool:
    """Whether ``v``, JSON data, is a whole number written with a fraction or an exponent
    (``5.0``, ``1e3``): an integer, as JSON Schema (and so the spec) counts it, read as the
    ``int`` it is and written back as one, the same JSON number. So in data a parser made
    (``structure`` and the converters take what ``json.loads`` gives) as in text ``loads``
    reads; a model's constructor (typed Python) takes an ``int`` only. Past 2**53 a double
    may already have rounded the number written (``9007199254740993.0``): see
    :func:`rounded_whole`."""
    return type(v) is float and v.is_integer()


#: Past this, a whole number read as a double may not be the one written.
EXACT_WHOLE: Final = 2**53
ROUNDED_WHOLE: Final = (
    "a whole number written with a fraction or an exponent from 2**53 on, which a double may "
    "have rounded (an integer literal is read exactly)"
)


def rounded_whole(v: float) -> bool:
    """Whether a whole-number float (see :func:`whole_json_number`) is 2**53 or past, where
    it may not be the number the text had: such a value is refused as ``out_of_range``
    rather than read as another integer (found by fuzzing: ``9007199254740993.0`` was read
    as ``9007199254740992``)."""
    return not -EXACT_WHOLE < v < EXACT_WHOLE  # 2**53 itself is 2**53 + 1 rounded, too


def _int_in_64(v: Any, loc: Loc, ctx: Ctx) -> bool:
    if isinstance(v, BigInt) or not (MIN_INT <= v <= MAX_INT):
        ctx.skip() or ctx.add(
            loc, "out_of_range", "an integer outside the 64-bit range JSON tools agree on", v
        )
        return False
    return True


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class Int(Kind):
    minimum: int | None = None
    maximum: int | None = None
    expected = "an integer"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if type(v) is not int and type(v) is not BigInt:
            if type(v) is BigFloat:  # 1e999: a number, and a whole one, out of range
                return ctx.skip() or ctx.add(loc, "out_of_range", BEYOND_DOUBLE, v)
            if not whole_json_number(v):
                return self.type_error(v, loc, ctx)
            if rounded_whole(v):
                return ctx.skip() or ctx.add(loc, "out_of_range", ROUNDED_WHOLE, v)
            v = int(v)
        if not _int_in_64(v, loc, ctx):
            return BAD
        if ctx.strict:
            return _bounds(v, self.minimum, self.maximum, loc, ctx, self.expected)
        return v

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if not isinstance(v, int) or isinstance(v, bool):
            return self.type_error(v, loc, ctx)
        return self.build(int(v), loc, ctx)


def _bounds(v: Any, lo: float | None, hi: float | None, loc: Loc, ctx: Ctx, what: str) -> Any:
    """``v`` within its bounds, else an ``out_of_range`` problem that says of ``what`` (an
    integer, a number) which bound it is past (the upstream API's code follows from it: see
    ``ErrorDetail.openai_code``)."""
    if lo is not None and v < lo:
        return ctx.skip() or ctx.add(loc, "out_of_range", f"expected {what} >= {lo}, got {v!r}", v)
    if hi is not None and v > hi:
        return ctx.skip() or ctx.add(loc, "out_of_range", f"expected {what} <= {hi}, got {v!r}", v)
    return v


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class Num(Kind):
    minimum: float | None = None
    maximum: float | None = None
    expected = "a number"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        t = type(v)
        if t is float:
            if not math.isfinite(v):
                return ctx.skip() or ctx.add(
                    loc, "not_finite", "NaN and infinities are not JSON numbers", v
                )
        elif t is int or t is BigInt:
            if not _int_in_64(v, loc, ctx):
                return BAD
        elif t is BigFloat:
            return ctx.skip() or ctx.add(loc, "out_of_range", BEYOND_DOUBLE, v)
        else:
            return self.type_error(v, loc, ctx)
        if ctx.strict:
            return _bounds(v, self.minimum, self.maximum, loc, ctx, self.expected)
        return v

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return self.type_error(v, loc, ctx)
        return self.build(int(v) if isinstance(v, int) else float(v), loc, ctx)


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class Bool(Kind):
    expected = "a boolean"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if type(v) is bool:
            return v
        return self.type_error(v, loc, ctx)


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class Timestamp(Kind):
    """Unix seconds on the wire, an aware UTC ``datetime`` in Python."""

    expected = "a unix timestamp (integer seconds)"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if type(v) is not int and type(v) is not BigInt:
            if type(v) is BigFloat:  # 1e999: beyond any timestamp, as 1e300 is
                v = BigInt(v.text)
            elif not whole_json_number(v):
                return self.type_error(v, loc, ctx)
            else:
                v = int(v)
        if isinstance(v, BigInt) or not (MIN_TS <= v <= MAX_TS):
            return ctx.skip() or ctx.add(
                loc,
                "out_of_range",
                f"a timestamp outside what datetime holds ({MIN_TS}..{MAX_TS})",
                v,
            )
        return EPOCH + timedelta(seconds=v)

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if not isinstance(v, datetime):
            return ctx.skip() or ctx.add(
                loc, "type", f"expected an aware datetime, got {json_type(v)}", v
            )
        # Converted first, then checked: an offset may hold seconds or microseconds of its
        # own, or move the date past what datetime holds.
        try:
            if v.tzinfo is None or v.utcoffset() is None:
                return ctx.skip() or ctx.add(
                    loc, "invalid_timestamp", "a naive datetime (give it a tzinfo)", v
                )
            utc = v.astimezone(UTC)
        except OverflowError:
            return ctx.skip() or ctx.add(
                loc, "out_of_range", "a datetime that is outside 0001..9999 in UTC", v
            )
        except Exception as e:  # a tzinfo of the caller's own that fails
            return ctx.skip() or ctx.add(
                loc, "invalid_timestamp", f"its tzinfo failed: {type(e).__name__}", v
            )
        if utc.microsecond:
            return ctx.skip() or ctx.add(
                loc,
                "invalid_timestamp",
                "the wire holds whole unix seconds: drop the microseconds in UTC "
                "(.replace(microsecond=0))",
                str(v),
            )
        if type(utc) is not datetime:  # a subclass (pendulum, ...): keep a plain datetime
            utc = EPOCH + (utc - EPOCH)
        return utc

    def dump(self, v: datetime) -> int:
        # Whole seconds (``check`` sees to it); days and seconds of the difference are twice
        # as fast as dividing it by one second, and as exact (the seconds are never negative).
        since = v - EPOCH
        return since.days * 86400 + since.seconds


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class Const(Kind):
    value: str

    @property
    def expected(self) -> str:  # type: ignore[override]
        return repr(self.value)

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if v == self.value and type(v) is str:
            return v
        if type(v) is not str:
            return self.type_error(v, loc, ctx)
        return ctx.skip() or ctx.add(loc, "const", f"expected {self.value!r}, got {quoted(v)}", v)


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class Enum(Kind):
    """A closed-by-spec set of strings; lenient mode keeps unknown ones as UnknownValue."""

    values: tuple[str, ...]
    #: False for sets that are union tags (an unknown one selects the unknown arm instead)
    open: bool = True
    expected = "a string"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if type(v) is not str:
            return self.type_error(v, loc, ctx)
        if v in self.values:
            return v
        if ctx.strict or not self.open:
            allowed = ", ".join(repr(x) for x in self.values)
            return ctx.skip() or ctx.add(
                loc, "enum", f"expected one of {allowed}, got {quoted(v)}", v
            )
        if ctx.python and has_surrogates(v):
            return ctx.skip() or ctx.add(loc, "invalid_string", "a string with lone surrogates", v)
        return UnknownValue(value=v)

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if isinstance(v, UnknownValue) and self.open:
            if not isinstance(v.value, str):
                return ctx.skip() or ctx.add(
                    loc, "type", "UnknownValue.value must be a string", v.value
                )
            if v.value in self.values:
                return ctx.skip() or ctx.add(
                    loc,
                    "invalid_unknown",
                    f"{quoted(v.value)} is a known value: pass the string itself",
                    v.value,
                )
            if has_surrogates(v.value):
                return ctx.skip() or ctx.add(
                    loc, "invalid_string", "a string with lone surrogates", v.value
                )
            if ctx.strict:
                return self.build(v.value, loc, ctx)
            return v
        if isinstance(v, str) and v not in self.values and not ctx.strict and self.open:
            return ctx.skip() or ctx.add(
                loc, "enum", f"{quoted(v)} is not a known value: wrap it in UnknownValue", v
            )
        return self.build(v, loc, ctx)

    def dump(self, v: Any) -> Any:
        return v.value if type(v) is UnknownValue else v


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class Model(Kind):
    cls: ModelClass
    expected = "an object"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if type(v) is not dict and not (ctx.python and isinstance(v, Mapping)):
            return self.type_error(v, loc, ctx)
        return build_model(self.cls, v, loc, ctx)

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if isinstance(v, self.cls):
            return v
        return ctx.skip() or ctx.add(
            loc, "type", f"expected {self.cls.__name__}, got {json_type(v)}", v
        )

    def dump(self, v: Any) -> Any:
        return dump_model(v)


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class Array(Kind):
    item: Kind
    max_items: int | None = None
    min_items: int | None = None
    expected = "an array"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if type(v) is not list and not (ctx.python and isinstance(v, (list, tuple))):
            return self.type_error(v, loc, ctx)
        return self._items(v, loc, ctx, self.item.build)

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if not isinstance(v, (tuple, list)):
            return ctx.skip() or ctx.add(loc, "type", f"expected a tuple, got {json_type(v)}", v)
        return self._items(v, loc, ctx, self.item.check)

    def _items(self, v: Sequence[Any], loc: Loc, ctx: Ctx, each: Any) -> Any:
        before = ctx.count
        if ctx.strict and self.max_items is not None and len(v) > self.max_items:
            ctx.skip() or ctx.add(
                loc,
                "too_many",
                f"expected at most {self.max_items} item{'s' * (self.max_items != 1)}, "
                f"got {len(v)}",
                v,
            )
        if ctx.strict and self.min_items is not None and len(v) < self.min_items:
            ctx.skip() or ctx.add(
                loc,
                "too_few",
                f"expected at least {self.min_items} item{'s' * (self.min_items != 1)}, "
                f"got {len(v)}",
                v,
            )
        out = tuple([each(x, (*loc, i), ctx) for i, x in enumerate(v)])
        return BAD if ctx.count > before else out

    def dump(self, v: tuple[Any, ...]) -> Any:
        d = self.item.dump
        return [d(x) for x in v]


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class StrMap(Kind):
    """``metadata``: string keys to string values, with the limits the spec's text gives."""

    max_pairs: int = 16
    max_key: int = 64
    max_value: int = 512
    expected = "an object"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if type(v) is not dict and not (ctx.python and isinstance(v, Mapping)):
            return self.type_error(v, loc, ctx)
        return self._pairs(v, loc, ctx)

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if not isinstance(v, Mapping):
            return ctx.skip() or ctx.add(loc, "type", f"expected a mapping, got {json_type(v)}", v)
        if type(v) is not FrozenMap:
            # The copy kept is the one checked: a mapping whose items() or len() hide some
            # of what a copy takes cannot slip more than the limits past them.
            try:
                v = frozen_map(v)
            except Exception:
                return ctx.skip() or ctx.add(loc, "type", "a mapping that cannot be read", BAD)
        return self._pairs(v, loc, ctx)

    def _pairs(self, v: Mapping[Any, Any], loc: Loc, ctx: Ctx) -> Any:
        python = ctx.python
        before = ctx.count
        strict = ctx.strict
        if strict and len(v) > self.max_pairs:
            ctx.skip() or ctx.add(
                loc,
                "too_many",
                f"expected at most {self.max_pairs} pairs, got {len(v)}",
                {k: v[k] for k in list(v)[:3]},
            )
        subclassed = False  # a key or value of a str subclass (a StrEnum): copied exactly
        for k, x in v.items():
            if type(k) is not str:
                if not isinstance(k, str):
                    message = f"keys must be strings, got {json_type(k)}"
                    ctx.skip() or ctx.add(loc, "type", message, k)
                    continue
                subclassed = True
            if python and has_surrogates(k):
                ctx.skip() or ctx.add((*loc, k), "invalid_string", "a key with lone surrogates", k)
                continue
            here = (*loc, k)
            if strict and len(k) > self.max_key:
                ctx.skip() or ctx.add(
                    here,
                    "too_long",
                    f"keys are at most {self.max_key} characters, got {len(k)}",
                    k,
                )
            if type(x) is not str:
                if python and isinstance(x, str):
                    subclassed = True
                else:
                    ctx.skip() or ctx.add(here, "type", f"expected a string, got {json_type(x)}", x)
                    continue
            if python and has_surrogates(x):
                ctx.skip() or ctx.add(here, "invalid_string", "a string with lone surrogates", x)
            elif strict and len(x) > self.max_value:
                ctx.skip() or ctx.add(
                    here,
                    "too_long",
                    f"values are at most {self.max_value} characters, got {len(x)}",
                    x,
                )
        if ctx.count > before:
            return BAD
        if subclassed:  # what orjson writes, and compares as the JSON text read back
            return FrozenMap({str.__str__(k): str.__str__(x) for k, x in v.items()})
        return v if type(v) is FrozenMap else frozen_map(v)


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class JsonObject(Kind):
    """Any JSON object (function ``parameters``, json_schema ``schema``), held read-only in a
    FrozenMap (its nested values are made read-only as they are read)."""

    expected = "an object"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if type(v) is not dict and not (ctx.python and isinstance(v, Mapping)):
            return self.type_error(v, loc, ctx)
        return json_object(v, loc, ctx)

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if not isinstance(v, Mapping):
            return ctx.skip() or ctx.add(loc, "type", f"expected a mapping, got {json_type(v)}", v)
        copy = json_copy(v, loc, ctx)
        return BAD if copy is BAD else frozen_map(copy)


def json_object(v: Any, loc: Loc, ctx: Ctx) -> Any:
    """A JSON object of the input as a FrozenMap, or BAD after recording its problems.

    orjson's output that passes :func:`json_text` is held as it is (it is ours, and a
    C-speed write proved it sound); anything else is walked, checked and copied.
    """
    if not ctx.python and type(v) is dict and json_text(v) is not None:
        return frozen_map(v)
    copy = json_copy(v, loc, ctx)
    return BAD if copy is BAD else frozen_map(copy)


#: A float orjson writes with an exponent of at least 18 ("9.3e+18"): it may be an integer
#: literal beyond 64 bits that orjson read as a float.
_BIG_EXPONENT: Final = re.compile(rb"e\+(?:1[89]|[2-9][0-9]|[0-9]{3})")


def json_text(v: Any) -> bytes | None:
    """A JSON text of a value orjson parsed if it is one that can be held as it is, else None:
    nested less than VALUE_DEPTH levels, and holding no float that may be a long integer
    literal.

    One ``orjson.dumps`` of the value, indented: orjson's indenting writer checks its room
    at every array end, so it writes any depth it accepts (254) safely, where the compact one
    must not be given more than MAX_DEPTH. Each level indents its lines two spaces further, so
    a line indented ``2 * VALUE_DEPTH`` spaces (a C-speed search) means a container at that
    level holding something: None, and the reference interpreter, which counts levels one by
    one, decides (a value at exactly the limit is allowed there). Then a search for floats of
    1e18 and more (orjson writes floats of 1e16 and more with ``e+``: a ``+`` is rare in JSON
    text outside such floats, and a string that holds one only costs a closer look). It walks
    no Python objects: a value nobody reads costs about a C-speed write of it. Equal texts,
    equal values.

    >>> print(json_text({"a": [1, 2.5]}).decode())
    {
      "a": [
        1,
        2.5
      ]
    }
    >>> json_text({"a": 1e20}) is None
    True
    """
    try:
        text = orjson.dumps(v, option=orjson.OPT_INDENT_2)
    except (TypeError, orjson.JSONEncodeError):  # deeper than orjson writes, or not JSON
        return None
    if _TOO_DEEP_LINE in text:
        return None
    if text.find(b"+") >= 0 and _BIG_EXPONENT.search(text):
        return None
    return text


#: A line of an indented text inside a container at level VALUE_DEPTH (see json_text).
_TOO_DEEP_LINE: Final = b"\n" + b" " * (2 * VALUE_DEPTH)


def json_copy(root: Any, loc: Loc, ctx: Ctx) -> Any:
    """A checked plain copy of a JSON value (dicts and lists), or BAD after recording every
    problem with its path.

    Iterative, so that the deepest document orjson accepts (1024 levels) does not hit
    Python's recursion limit. Checks every scalar: integers within 64 bits, finite floats,
    strings without lone surrogates, and nothing that is not JSON at all; and that no container
    sits deeper than VALUE_DEPTH levels from the value's own top (at ``loc``, level 1).
    FrozenMaps and tuples (read-only JSON built in Python) are copied like dicts and lists.
    """
    before = ctx.count
    top = len(loc)  # a container at ``here`` is at level len(here) - top + 1 of the value
    result: list[Any] = []
    # Each frame: (output list, is_object, iterator over (key, value), location)
    stack: list[tuple[list[Any], bool, Any, Loc]] = []

    def push(v: Any, here: Loc) -> Any:
        # Returns the checked scalar, or _PENDING after pushing a container frame.
        t = type(v)
        if t is str:
            if has_surrogates(v):
                ctx.skip() or ctx.add(here, "invalid_string", "a string with lone surrogates", v)
            return v
        is_map = t is dict or t is FrozenMap or (t is not str and isinstance(v, Mapping))
        if is_map or t is list or t is tuple:
            if len(here) - top >= VALUE_DEPTH:
                ctx.skip() or ctx.add(
                    here,
                    "too_deep",
                    f"a JSON value nests deeper than {VALUE_DEPTH} levels (so that orjson can "
                    "write it wherever it is placed)",
                )
                return v
            if is_map:
                items = iter(dict.items(v) if isinstance(v, dict) else v.items())
            else:
                items = iter(enumerate(v))
            stack.append(([], is_map, items, here))
            return _PENDING
        if v is None or t is bool:
            return v
        if t is int or t is BigInt:
            _int_in_64(v, here, ctx)
            return v
        if t is BigFloat:
            ctx.skip() or ctx.add(here, "out_of_range", BEYOND_DOUBLE, v)
            return v
        if t is float:
            if not math.isfinite(v):
                ctx.skip() or ctx.add(
                    here, "not_finite", "NaN and infinities are not JSON numbers", v
                )
            return v
        ctx.skip() or ctx.add(here, "type", f"{json_type(v)} is not a JSON value", v)
        return v

    first = push(root, loc)
    if first is not _PENDING:
        return first if ctx.count == before else BAD
    while stack:
        out, is_obj, it, here = stack[-1]
        for k, v in it:
            if is_obj and type(k) is not str:
                ctx.skip() or ctx.add(
                    here, "type", f"object keys must be strings, got {json_type(k)}", k
                )
                continue
            if is_obj and has_surrogates(k):
                ctx.skip() or ctx.add((*here, k), "invalid_string", "a key with lone surrogates", k)
                continue
            r = push(v, (*here, k))
            if r is _PENDING:
                out.append(k)  # placeholder key; the value is appended when the frame closes
                break
            out.append((k, r) if is_obj else r)
        else:
            stack.pop()
            done: Any = dict(out) if is_obj else out
            if stack:
                parent, parent_obj, _, _ = stack[-1]
                if parent_obj:
                    parent[-1] = (parent[-1], done)
                else:
                    parent[-1] = done
            else:
                result.append(done)
    return result[0] if ctx.count == before else BAD


_PENDING: Final = object()


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class Tagged(Kind):
    """A union of objects told apart by their ``type`` key, with an unknown arm."""

    arms: Mapping[str, ModelClass]
    unknown: ModelClass
    expected = "an object"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if type(v) is not dict and not (ctx.python and isinstance(v, Mapping)):
            return self.type_error(v, loc, ctx)
        tag = tag_of(v, loc, ctx)
        if tag is BAD:
            return BAD
        cls = self.arms.get(tag)
        if cls is not None:
            return build_model(cls, v, loc, ctx)
        return unknown_arm(self.unknown, self.arms, v, tag, loc, ctx)

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if isinstance(v, self.unknown):
            if ctx.strict:
                allowed = ", ".join(repr(x) for x in self.arms)
                return ctx.skip() or ctx.add(
                    (*loc, "type"),
                    "unknown_tag",
                    f"expected one of {allowed}, got {quoted(v.type)}",
                )
            return v
        if isinstance(v, tuple(self.arms.values())):
            return v
        names = " | ".join(c.__name__ for c in (*dict.fromkeys(self.arms.values()), self.unknown))
        return ctx.skip() or ctx.add(loc, "type", f"expected {names}, got {json_type(v)}", v)

    def dump(self, v: Any) -> Any:
        return dump_model(v)


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class StrOr(Kind):
    """A string from an open set, or a tagged object (``response_format``, ``tool_choice``)."""

    strings: Enum
    objects: Tagged
    expected = "a string or an object"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        t = type(v)
        if t is str:
            return self.strings.build(v, loc, ctx)
        if t is dict or (ctx.python and isinstance(v, Mapping)):
            return self.objects.build(v, loc, ctx)
        return self.type_error(v, loc, ctx)

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if isinstance(v, (str, UnknownValue)):
            return self.strings.check(v, loc, ctx)
        return self.objects.check(v, loc, ctx)

    def dump(self, v: Any) -> Any:
        t = type(v)
        if t is str:
            return v
        if t is UnknownValue:
            return v.value
        return dump_model(v)


@attrs.frozen(eq=False, repr=False)  # internal: compiles less at import
class StrOrArray(Kind):
    """A string, or an array (a message's ``content``: its text, or its parts)."""

    text: Str
    items: Array
    expected = "a string or an array"

    def build(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if type(v) is str or (ctx.python and isinstance(v, str)):
            return self.text.build(v, loc, ctx)
        if type(v) is list or (ctx.python and isinstance(v, (list, tuple))):
            return self.items.build(v, loc, ctx)
        return self.type_error(v, loc, ctx)

    def check(self, v: Any, loc: Loc, ctx: Ctx) -> Any:
        if isinstance(v, str):
            return self.text.check(v, loc, ctx)
        if isinstance(v, (list, tuple)):
            return self.items.check(v, loc, ctx)
        return self.type_error(v, loc, ctx)

    def dump(self, v: Any) -> Any:
        return v if type(v) is str else self.items.dump(v)


# --- models -------------------------------------------------------------------------------


@attrs.frozen
class FieldInfo:
    """What the schema says of one model field."""

    name: str
    kind: Kind
    nullable: bool
    optional: bool


@attrs.frozen
class Extra:
    """What a lenient decode keeps beyond the fields: absent nullable keys and unknown keys.

    ``None`` on the instance in the common case (nothing absent, nothing unknown).
    """

    absent: frozenset[str] = frozenset()
    unknown: FrozenMap[Any] = attrs.field(factory=FrozenMap)


@attrs.frozen
class Spec:
    """What the schema says of a model class's fields (see :func:`spec_of`)."""

    cls: ModelClass
    fields: tuple[FieldInfo, ...]
    names: frozenset[str]
    #: ``additionalProperties: false``: unknown keys are errors in strict mode
    closed: bool
    #: groups of optional keys of which exactly one must be present (strict mode)
    one_of: tuple[tuple[str, ...], ...] = ()
    #: (key, field, value): the optional ``key`` must be present when ``field`` holds
    #: ``value`` (strict mode)
    required_if: tuple[tuple[str, str, str], ...] = ()


_SPECS: dict[type[Any], Spec] = {}


def spec_of(cls: ModelClass) -> Spec:
    """What the schema says of the fields of the model class ``cls`` (derived from its
    annotations on first use: see ``_schema``)."""
    try:
        return _SPECS[cls]
    except KeyError:
        pass
    spec: Spec = cls.__rs_spec__()
    return _SPECS.setdefault(cls, spec)


def make(cls: ModelClass, values: dict[str, Any], extra: Extra | None) -> Any:
    """Build an instance without running ``__init__``: the values are already checked."""
    inst = object.__new__(cls)
    setattr_ = object.__setattr__
    for k, v in values.items():
        setattr_(inst, k, v)
    setattr_(inst, "_rs_extra", extra)
    return inst


def tag_of(v: Mapping[Any, Any], loc: Loc, ctx: Ctx) -> Any:
    """An object's ``type``, the tag of a tagged union's arm: a string, or BAD after
    recording why not."""
    try:
        tag = v["type"]
    except KeyError:
        return ctx.skip() or ctx.add((*loc, "type"), "missing", "required key 'type' is missing")
    if type(tag) is not str:
        return ctx.skip() or ctx.add(
            (*loc, "type"), "type", f"expected a string, got {json_type(tag)}", tag
        )
    return tag


def unknown_arm(cls: ModelClass, known: Iterable[str], v: Any, tag: str, loc: Loc, ctx: Ctx) -> Any:
    """The unknown arm ``cls`` holding the object ``v`` whose tag is none of ``known``:
    lenient mode keeps it whole; strict mode refuses it (``unknown_tag``)."""
    if ctx.strict:
        allowed = ", ".join(repr(x) for x in known)
        return ctx.skip() or ctx.add(
            (*loc, "type"), "unknown_tag", f"expected one of {allowed}, got {quoted(tag)}", tag
        )
    data = json_object(v, loc, ctx)
    return BAD if data is BAD else make(cls, {"data": data}, None)


def _build_unknown_arm(cls: ModelClass, d: Mapping[Any, Any], loc: Loc, ctx: Ctx) -> Any:
    """An unknown arm read as itself rather than through its union: the whole object is its
    data (as it is written), whose ``type`` must be a string the union does not know; strict
    mode, as for the union, takes none."""
    tag = tag_of(d, loc, ctx)
    if tag is BAD:
        return BAD
    known: frozenset[str] = cls.__rs_known_tags__()
    if tag in known:
        return ctx.skip() or ctx.add(
            (*loc, "type"),
            "invalid_unknown",
            f"{quoted(tag)} is a known type: read it as its own class, or through the union",
            tag,
        )
    return unknown_arm(cls, sorted(known), d, tag, loc, ctx)


def build_model(cls: ModelClass, d: Mapping[Any, Any], loc: Loc, ctx: Ctx) -> Any:
    if getattr(cls, "__rs_unknown_arm__", False):
        return _build_unknown_arm(cls, d, loc, ctx)
    spec = spec_of(cls)
    before = ctx.count
    values: dict[str, Any] = {}
    absent: list[str] = []
    strict = ctx.strict
    for f in spec.fields:
        name = f.name
        if name in d:
            raw = d[name]
            if raw is None:
                if f.nullable:
                    values[name] = None
                else:
                    values[name] = ctx.skip() or ctx.add(
                        (*loc, name), "type", f"expected {f.kind.expected}, got null", None
                    )
            else:
                values[name] = f.kind.build(raw, (*loc, name), ctx)
        elif f.optional:
            values[name] = UNSET
        elif f.nullable and not strict:
            values[name] = None
            absent.append(name)
        else:
            values[name] = ctx.skip() or ctx.add(
                (*loc, name), "missing", f"required key {name!r} is missing"
            )
    unknown: dict[str, Any] | None = None
    if len(d) > len(spec.fields) or not spec.names.issuperset(d):
        unknown = {}
        for k, v in d.items():
            if type(k) is not str:  # only data built in Python has such keys
                if not isinstance(k, str):
                    ctx.skip() or ctx.add(
                        loc, "type", f"object keys must be strings, got {json_type(k)}", k
                    )
                    continue
                k = str(k)
            if k in spec.names:
                continue
            if ctx.python and has_surrogates(k):
                ctx.skip() or ctx.add((*loc, k), "invalid_string", "a key with lone surrogates", k)
                continue
            if spec.closed and strict:
                ctx.skip() or ctx.add(
                    (*loc, k), "unknown_field", f"unknown key {quoted(k)} is not allowed", v
                )
                continue
            unknown[k] = v
        # orjson's values are ours and one C-speed write proves them sound; others are walked
        if ctx.python or json_text(unknown) is None:
            for k, v in unknown.items():
                unknown[k] = json_copy(v, (*loc, k), ctx)
    if strict:
        for group in spec.one_of:
            present = [name for name in group if values.get(name, UNSET) is not UNSET]
            if len(present) != 1:
                ctx.skip() or ctx.add(
                    loc,
                    "one_of",
                    f"exactly one of {', '.join(repr(n) for n in group)} is required, "
                    f"got {len(present)}",
                )
        for key, field, value in spec.required_if:
            if values.get(field) == value and values.get(key, UNSET) is UNSET:
                # never what a lenient read kept (allow_unknown passes absent keys): found by
                # an audit, {"type": "function"} went out through respond(allow_unknown=True)
                ctx.skip() or ctx.add(
                    (*loc, key),
                    "missing",
                    f"required key {key!r} is missing: {field} is {value!r}",
                    passable=False,
                )
    if ctx.count > before:
        return BAD
    extra = None
    if absent or unknown:
        extra = Extra(frozenset(absent), frozen_map(unknown or {}))
    return make(cls, values, extra)


def dump_model(inst: Any) -> dict[str, Any]:
    cls = type(inst)
    unknown_data = getattr(cls, "__rs_unknown_arm__", False)
    if unknown_data:
        return inst.data  # type: ignore[no-any-return]
    spec = spec_of(cls)
    out: dict[str, Any] = {}
    extra: Extra | None = inst._rs_extra
    absent = extra.absent if extra is not None else ()
    for f in spec.fields:
        v = getattr(inst, f.name)
        if v is None:
            if f.name not in absent:
                out[f.name] = None
        elif v is not UNSET:
            out[f.name] = f.kind.dump(v)
    if extra is not None and extra.unknown:
        out.update(extra.unknown)
    return out


def check_model(inst: Any, strict: bool = False) -> None:
    """Validate and normalise a model built in Python (from ``__attrs_post_init__``)."""
    from ._errors import ValidationError

    cls = type(inst)
    spec = spec_of(cls)
    ctx = Ctx(strict=strict, python=True)
    setattr_ = object.__setattr__
    for f in spec.fields:
        v = getattr(inst, f.name)
        if v is UNSET:
            if not f.optional:
                ctx.skip() or ctx.add(
                    (f.name,), "type", f"{f.name!r} is required: UNSET is not allowed"
                )
            continue
        if v is None:
            if not f.nullable:
                ctx.skip() or ctx.add(
                    (f.name,), "type", f"expected {f.kind.expected}, got None", None
                )
            continue
        nv = ctx.run(f.kind.check, v, (f.name,), ctx)
        if nv is not v and nv is not BAD:
            setattr_(inst, f.name, nv)
    extra = inst._rs_extra
    if extra is not None:
        if not isinstance(extra, Extra):
            ctx.skip() or ctx.add(("_rs_extra",), "type", "private field: leave it alone", None)
        elif extra.absent:
            # ``attrs.evolve`` carries what a lenient decode remembered: a key read as absent
            # stays absent only while it still holds the None it was read as.
            still = frozenset(n for n in extra.absent if getattr(inst, n, None) is None)
            if still != extra.absent:
                kept = Extra(still, extra.unknown) if still or extra.unknown else None
                setattr_(inst, "_rs_extra", kept)
    if getattr(cls, "__rs_unknown_arm__", False):
        known: frozenset[str] = cls.__rs_known_tags__()
        data = inst.data
        tag = data.get("type") if isinstance(data, Mapping) else None
        if not isinstance(tag, str):
            ctx.skip() or ctx.add(
                ("data", "type"), "missing", "an unknown arm's data needs a string 'type'"
            )
        elif tag in known:
            ctx.skip() or ctx.add(
                ("data", "type"),
                "invalid_unknown",
                f"{quoted(tag)} is a known type: build its own class instead",
                tag,
            )
    if ctx.count:
        raise ValidationError(ctx.problems())
