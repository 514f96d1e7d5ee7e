"""Bytes in, models out, and back: the orjson codec and its boundary."""

from __future__ import annotations

import contextlib
import math
import re
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, Final, TypeVar, overload

import orjson

from ._errors import DecodeError, ErrorCode, ErrorDetail
from ._events import StreamEvent
from ._fast import DEFAULT, Fail
from ._kinds import BEYOND_DOUBLE, BigFloat, BigInt
from ._schema import _Model
from ._structure import Readable, _is_model, explain, structurer_for, unstructure_other
from ._values import UnknownValue

__all__ = [
    "UTF8_BOM",
    "Model",
    "beyond_double",
    "dumps",
    "exact_json",
    "exact_room",
    "loads",
    "parse_fast",
    "parse_json",
    "seed_example",
    "structure_parsed",
    "unreleased",
]

T = TypeVar("T")

#: The UTF-8 byte order mark, which JSON texts must not start with and some writers add.
UTF8_BOM: Final = b"\xef\xbb\xbf"

Model = _Model
"""The base of every runschema model (see ``_schema._Model``, its name in reprs)."""

# An integer literal orjson may not hold exactly has 20+ digits, or a minus and 19+ digits.
# Mapping every digit to "0" lets two substring searches (C speed) find such runs; a hit (rare:
# long digit runs inside strings match too) triggers an exact re-parse that sees integer
# literals as they were written.
_DIGITS_TO_ZERO: Final = bytes.maketrans(b"123456789", b"000000000")
_TWENTY_DIGITS: Final = b"0" * 20
_MINUS_NINETEEN: Final = b"-" + b"0" * 19
_orjson_loads: Final = orjson.loads
#: The functions the default owner of generated code tries first, and its encoders.
_LENIENT_ENTRIES: Final = DEFAULT.lenient_entries
_STRICT_ENTRIES: Final = DEFAULT.strict_entries
_ENCODERS: Final = DEFAULT.encoders
_MIN_INT: Final = -(2**63)
_MAX_INT: Final = 2**64 - 1


def _parse_int(text: str) -> int | BigInt:
    if len(text) > 21:  # beyond 64 bits, signed or not (and int() refuses 4,300 digits)
        return BigInt(text)
    v = int(text)
    return v if _MIN_INT <= v <= _MAX_INT else BigInt(text)


def _parse_float(text: str) -> float | BigFloat:
    v = float(text)
    return BigFloat(text) if v in (math.inf, -math.inf) else v


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python's json reads them


def _decode_error(code: ErrorCode, message: str, e: Any = None) -> DecodeError:
    if e is None:
        return DecodeError([ErrorDetail(loc=(), code=code, message=message)])
    return DecodeError(
        [ErrorDetail(loc=(), code=code, message=message)],
        pos=e.pos,
        lineno=e.lineno,
        colno=e.colno,
    )


def _may_hold_long_int(data: bytes | str) -> bool:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    digits = raw.translate(_DIGITS_TO_ZERO)
    return _TWENTY_DIGITS in digits or _MINUS_NINETEEN in digits


def unreleased(view: memoryview) -> None:
    """DecodeError (``input_type``) for a released memoryview, which orjson reads anyway
    (found by fuzzing: a segfault, once the buffer behind it was freed)."""
    try:
        view.nbytes  # noqa: B018 (what raises for a released view)
    except ValueError:
        raise _decode_error("input_type", "a released memoryview: its bytes are gone") from None


def _orjson_parse(data: Any) -> Any:
    if type(data) is memoryview:
        unreleased(data)
    try:
        return orjson.loads(data)  # bytes, bytearray, memoryview or str; anything else raises
    except orjson.JSONDecodeError as e:
        if str(e.msg).startswith(_NO_MEMORY):  # the process's trouble, not the text's
            raise MemoryError(str(e.msg)) from None
        plain = _plain(data)
        if plain is None:
            raise _parse_error(data, e) from None
        return _orjson_parse(plain)


#: How orjson says it could not get the memory to parse (a JSONDecodeError): found by an
#: archive reader, a big array under a memory limit was reported as malformed JSON.
_NO_MEMORY: Final = "Not enough memory"


def beyond_double(error: DecodeError, data: Any) -> Any:
    """For a text orjson refused for a number beyond a double (``out_of_range``, ``1e999``:
    well-formed JSON), its exact parse, where such numbers are ``BigFloat`` markers (and long
    integers ``BigInt`` ones) that validation reports where they are; else None (``error``
    stands: another kind of error, or one Python's json finds too further on). DecodeError
    for what spoils it that orjson did not get to: a lone surrogate escape (``encoding``),
    nesting too deep to read exactly (``too_deep``).

    The markers are for the reference interpreter (:func:`explain`) only: the generated code
    for orjson's output does not look for them.
    """
    if error.errors[0].code != "out_of_range":
        return None
    try:
        text = data if isinstance(data, str) else bytes(data).decode("utf-8")
        value = _exact_parse(text, beyond_double=True)
    except DecodeError as e:  # too deep for the exact parse: that is what spoils it
        raise e.with_traceback(None) from None
    except ValueError:  # malformed further on, NaN, not UTF-8
        return None
    found = _lone_surrogate(value)
    if found is not None:
        # Python's json reads what orjson refuses further on (found by a README trial: the
        # item of an array after a 1e999 was valid, and normalize crashed writing it)
        raise DecodeError([_surrogate_problem(*found)]) from None
    return value


def _lone_surrogate(value: Any) -> tuple[tuple[str | int, ...], bool] | None:
    """Where the first key or string of ``value`` (an exact parse) holding a lone surrogate
    is, in the order of the text: its path, and whether it is a key (the path is then its
    object's); None when none does."""
    # (the path of the object or array holding v, v's key or index, v): a key is looked at
    # as it comes, before its value
    stack: list[tuple[tuple[str | int, ...], str | int | None, Any]] = [((), None, value)]
    while stack:
        outer, key, v = stack.pop()
        if type(key) is str and _SURROGATE.search(key):
            return outer, True
        loc = outer if key is None else (*outer, key)
        if type(v) is str:
            if _SURROGATE.search(v):
                return loc, False
        elif type(v) is dict:
            stack += reversed([(loc, k, x) for k, x in v.items()])
        elif type(v) is list:
            stack += reversed([(loc, i, x) for i, x in enumerate(v)])
    return None


def _surrogate_problem(loc: tuple[str | int, ...], in_key: bool) -> ErrorDetail:
    what = "a key" if in_key else "a string"
    message = f"a lone surrogate escape in {what}: UTF-8 cannot hold it"
    return ErrorDetail(loc=loc, code="encoding", message=message)


def _surrogate_error(data: bytes | str, message: str, at: tuple[int, int, int]) -> DecodeError:
    """The ``encoding`` DecodeError of a text orjson refused for a lone surrogate (an escape
    such as ``\\ud800``, or in a ``str`` the character itself) at ``at`` (offset, line,
    column), said at the path of the string that holds it, or of the object whose key does
    (found by an archive reader: said at ``$``, where a number beyond a double is said at
    its field). At ``$`` when Python's json cannot read the text either (malformed further
    on, too deep)."""
    try:
        found = _lone_surrogate(_exact_parse(data))
    except (ValueError, DecodeError):
        found = None
    loc = found[0] if found is not None else ()
    pos, line, column = at
    message = f"{message} at line {line}, column {column}"
    return DecodeError(
        [ErrorDetail(loc=loc, code="encoding", message=message)],
        pos=pos,
        lineno=line,
        colno=column,
    )


def _plain(data: Any) -> bytes | str | None:
    """An exact ``str``/``bytes`` copy of a subclass instance, or of a memoryview whose bytes
    are not contiguous (orjson takes exact types and contiguous buffers only)."""
    if isinstance(data, str) and type(data) is not str:
        return str.__str__(data)
    if isinstance(data, (bytes, bytearray)) and type(data) not in (bytes, bytearray):
        return bytes(data)
    if isinstance(data, memoryview) and not data.c_contiguous:
        return data.tobytes()
    return None


def _parse_error(data: Any, e: orjson.JSONDecodeError) -> DecodeError:
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif not isinstance(data, (bytes, str)):
        return _decode_error("input_type", f"expected bytes or str, got {type(data).__name__}")
    return _classify(data, e)


def _as_text(data: bytes | bytearray | memoryview | str) -> bytes | str:
    return bytes(data) if isinstance(data, (bytearray, memoryview)) else data


#: How much deeper than the caller the exact parse may recurse: what orjson reads (1024
#: levels), and room.
_EXACT_ROOM: Final = 1100


_room_lock: Final = threading.Lock()
_room_users = 0  # how many parses are in exact_room now, in every thread
_room_base = 0  # the limit before the first of them raised it


@contextlib.contextmanager
def exact_room() -> Iterator[None]:
    """The recursion limit raised for a parse by Python's json, which recurses once a level,
    within the limit on 3.10 and 3.11 (1,000 by default): so that whatever orjson read
    (1,024 levels), it reads too.

    The limit is the process's: parses in several threads share one raise, and the last to
    leave puts back the limit the first found (each restoring its own would leave a raised
    limit behind, or lower it under a parse still running).
    """
    global _room_users, _room_base
    with _room_lock:
        if _room_users == 0:
            _room_base = sys.getrecursionlimit()
            sys.setrecursionlimit(_room_base + _EXACT_ROOM)
        _room_users += 1
    try:
        yield
    finally:
        with _room_lock:
            _room_users -= 1
            if _room_users == 0:
                sys.setrecursionlimit(_room_base)


def _exact_parse(data: bytes | str, *, beyond_double: bool = False) -> Any:
    """Python's json on ``data``: integer literals beyond 64 bits as ``BigInt`` markers; with
    ``beyond_double`` (a text orjson refused), numbers beyond a double as ``BigFloat`` ones and
    NaN or Infinity refused (orjson read neither: a hook a float costs a call each)."""
    import json  # the rare slow path: not imported with runschema

    text = data if isinstance(data, str) else data.decode("utf-8")
    hooks: dict[str, Any] = {"parse_int": _parse_int}
    if beyond_double:
        hooks.update(parse_float=_parse_float, parse_constant=_not_json)
    try:
        with exact_room():
            return json.loads(text, **hooks)
    except RecursionError:
        raise _decode_error("too_deep", "the JSON nests too deeply to check exactly") from None


def without_bom(data: Any) -> Any:
    """``data`` (bytes-like or text) without the UTF-8 byte order mark starting it, or None
    when it starts with none."""
    if isinstance(data, (bytes, bytearray)):
        return bytes(data[3:]) if data.startswith(UTF8_BOM) else None
    if isinstance(data, str):
        return data[1:] if data.startswith("\ufeff") else None
    if isinstance(data, memoryview) and data.nbytes >= 3 and data.tobytes()[:3] == UTF8_BOM:
        return data.tobytes()[3:]
    return None


def parse_json(data: bytes | bytearray | memoryview | str) -> Any:
    """Parse one JSON document with orjson, raising DecodeError for anything it rejects.

    Integer literals outside 64 bits (which orjson would read as floats) come back as
    ``BigInt`` markers so that validation reports them instead of changing them.
    """
    try:
        obj = _orjson_parse(data)
    except DecodeError as e:
        exact = beyond_double(e, data)
        if exact is None:
            raise
        return exact
    exact = exact_json(data)
    return obj if exact is None else exact


def parse_fast(data: bytes | bytearray | memoryview | str) -> Any:
    """Parse one JSON document with orjson alone (DecodeError for anything it rejects).

    Integer literals outside 64 bits come back as floats here: give what this returns to
    :func:`structure_parsed` with ``exact`` (see :func:`exact_json`), which looks for them only
    when a document is not the clean case, as :func:`loads` does.
    """
    return _orjson_parse(data)


def exact_json(data: bytes | bytearray | memoryview | str) -> Any:
    """The exact parse of a text that may hold integer literals beyond 64 bits (``BigInt``
    markers for those), or None when it cannot hold any (orjson's parse is exact then)."""
    text = _as_text(data)
    return _exact_parse(text) if _may_hold_long_int(text) else None


def _byte_position(data: bytes, start: int) -> tuple[int, int, int]:
    """Where the byte at ``start`` is, as a parse error says it: its character offset, line
    and column (the column in characters, from 1). Found by an archive reader: said as a
    byte offset, it counted from the start of what was parsed (a whole ``.json`` file, one
    JSONL line), where the CLI counts a parse error's line and column in the file."""
    line_start = data.rfind(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", "replace")) + 1
    line = data.count(b"\n", 0, start) + 1
    return len(data[:start].decode("utf-8", "replace")), line, column


def _text_position(text: str, at: int) -> tuple[int, int, int]:
    """The offset, line and column (from 1) of the character at ``at`` of ``text``."""
    return at, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


#: A code point no UTF-8 holds: in a ``str``, a surrogate is always alone.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _encoding_error(message: str, position: tuple[int, int, int]) -> DecodeError:
    """The ``encoding`` DecodeError of what is no UTF-8 at ``position`` (see
    :func:`_byte_position`): said in the message and the attributes alike (found by a
    user reading the docstrings: orjson, which refuses such a text before it parses it,
    says line 1, column 1 wherever it is)."""
    pos, line, column = position
    return DecodeError(
        [
            ErrorDetail(
                loc=(), code="encoding", message=f"{message} at line {line}, column {column}"
            )
        ],
        pos=pos,
        lineno=line,
        colno=column,
    )


def _at(e: orjson.JSONDecodeError) -> tuple[int, int, int]:
    return e.pos, e.lineno, e.colno


def _classify(data: bytes | bytearray | str, e: orjson.JSONDecodeError) -> DecodeError:
    msg = str(e.msg)
    where = f" at line {e.lineno}, column {e.colno}"
    doc = e.doc if isinstance(e.doc, str) else ""
    end = len(doc.rstrip(" \t\n\r"))  # JSON's whitespace (not a form feed, say)
    if 0 < end <= e.pos:  # cut short: where the text ends, not past a line end after it (JSONL)
        line, column = doc.count("\n", 0, end) + 1, end - doc.rfind("\n", 0, end)
        where = f" at line {line}, column {column}"
    blank = not data.strip(" \t\n\r") if isinstance(data, str) else not data.strip(b" \t\n\r")
    if blank:  # JSON's whitespace only: found by an archive reader, a vertical tab was "empty"
        return _decode_error("empty", "the document is empty", e)
    low = msg.lower()
    if "bom" in low or "byte order mark" in low:
        return _decode_error("encoding", "a UTF-8 byte order mark (BOM) is not allowed", e)
    if "utf-8" in low or "surrogate" in low or "utf8" in low:
        if not isinstance(data, str):
            try:
                bytes(data).decode("utf-8")
            except UnicodeDecodeError as u:
                at = _byte_position(bytes(data), u.start)
                return _encoding_error("the bytes are not valid UTF-8", at)
            return _surrogate_error(bytes(data), f"a lone surrogate escape: {msg}", _at(e))
        found = _SURROGATE.search(data)
        if found is not None:
            at = _text_position(data, found.start())
            return _surrogate_error(data, "the text holds lone surrogates", at)
        return _surrogate_error(data, f"a lone surrogate escape: {msg}", _at(e))
    if "recursion" in low or "depth" in low:
        return _decode_error("too_deep", f"the JSON nests too deeply: {msg}{where}", e)
    if "infinity" in low:  # well-formed, but beyond a double (1e999, 309 digits or more):
        # read exactly where Python's json can (see _orjson_parse), else said here
        message = f"{BEYOND_DOUBLE},{where}"
        return _decode_error("out_of_range", message, e)
    return _decode_error("json_invalid", f"malformed JSON: {msg}{where}", e)


@overload
def loads(
    data: bytes | bytearray | memoryview | str, cls: type[Readable], *, strict: bool = False
) -> Readable: ...
@overload
def loads(data: bytes | bytearray | memoryview | str, cls: Any, *, strict: bool = False) -> Any: ...
def loads(data: bytes | bytearray | memoryview | str, cls: Any, *, strict: bool = False) -> Any:
    """Decode one JSON document into ``cls``: DecodeError or ValidationError on bad input.

    Lenient by default (forward compatible and lossless); ``strict=True`` applies the published
    schema exactly. Nothing but :class:`runschema.SchemaError` escapes for bad input. ``cls`` is
    a model class, or a union of runschema's types as :func:`runschema.structure` takes, or
    a stream event class or ``StreamEvent`` (an event's JSON form, ``{"event", "data"}``).

    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> run.id
    'run_abc123'
    >>> runschema.loads(b'{"type": "code_interpreter"}', runschema.Tool)
    CodeInterpreterTool(type='code_interpreter')
    """
    fast = (_STRICT_ENTRIES if strict else _LENIENT_ENTRIES).get(cls)
    if fast is None:
        if not _is_model(cls):  # a union or an open enum: the dict level decides
            hook = structurer_for(cls, strict)
            if type(data) is memoryview:  # found by fuzzing: released, a bare ValueError
                unreleased(data)
            try:
                parsed = parse_json(data)
            except DecodeError:
                rest = None if strict else without_bom(data)
                if rest is None:
                    raise
                parsed = parse_json(rest)
            return hook(parsed)
        fast = DEFAULT.structurer(cls, strict)
    if type(data) is memoryview:
        unreleased(data)
    try:
        obj = _orjson_loads(data)
    except orjson.JSONDecodeError:  # a str or bytes subclass, or the error to raise
        rest = None if strict else without_bom(data)
        if rest is not None and without_bom(rest) is None:  # lenient: one byte order mark
            return loads(rest, cls)  # is skipped, as HTTP clients skip it
        try:
            obj = _orjson_parse(data)
        except DecodeError as e:
            exact = beyond_double(e, data)
            if type(exact) is not dict:  # None: the error stands
                raise e if exact is None else _not_object(exact) from None
            return explain(exact, cls, strict)
    if type(obj) is not dict:
        raise _not_object(obj)
    try:
        return fast(obj)
    except Fail:  # not the clean case (which never holds a float orjson made of an int)
        pass
    text = _as_text(data)
    if _may_hold_long_int(text):
        obj = _exact_parse(text)
    return explain(obj, cls, strict)


def structure_parsed(
    obj: dict[str, Any],
    cls: type[T],
    *,
    strict: bool = False,
    exact: Callable[[], Any] | None = None,
    markers: bool = False,
) -> T:
    """``structure`` for an object that ``parse_fast`` returned: orjson's output.

    It takes the generated functions for parsed input, JSON Schema interning included,
    without the checks data built in Python needs. ``exact``: a function giving the
    document's exact parse, or None when orjson's is exact; it is called only when the
    document is not the clean case (which never holds a float orjson made of a long integer
    literal). ``markers``: ``obj`` is an exact parse itself (``parse_json``'s output, or
    :func:`beyond_double`'s), whose ``BigInt``/``BigFloat`` markers only the reference
    interpreter looks for: it decides alone.
    """
    if markers:
        return explain(obj, cls, strict)  # type: ignore[no-any-return]
    fast = (_STRICT_ENTRIES if strict else _LENIENT_ENTRIES).get(cls)
    if fast is None:
        if not _is_model(cls):
            raise TypeError(f"{cls!r} is not a runschema model")
        fast = DEFAULT.structurer(cls, strict)
    try:
        return fast(obj)  # type: ignore[no-any-return]
    except Fail:  # not the clean case: the reference decides
        pass
    if exact is not None:
        exact_obj = exact()
        if exact_obj is not None:
            obj = exact_obj
    return explain(obj, cls, strict)  # type: ignore[no-any-return]


def _not_object(obj: Any) -> DecodeError:
    return _decode_error("not_object", f"expected a JSON object at the top level, got {_top(obj)}")


def _top(obj: Any) -> str:
    from ._kinds import json_type

    return json_type(obj)


def dumps(obj: Model | StreamEvent | UnknownValue | str | float | None) -> bytes:
    """Encode a model to compact JSON bytes; timestamps become unix seconds again. A
    stream's event is written ``{"event": name, "data": ...}``, which ``loads`` reads back
    (in a stream, :func:`runschema.encode_event` writes its frame); what ``loads`` reads of a
    union that is no model (``"auto"``, an ``UnknownValue``, ``None``) as its JSON value.

    >>> import runschema
    >>> runschema.dumps(runschema.Usage(completion_tokens=2, prompt_tokens=1, total_tokens=3))
    b'{"completion_tokens":2,"prompt_tokens":1,"total_tokens":3}'
    """
    fn = _ENCODERS.get(type(obj))
    if fn is None:
        if not isinstance(obj, _Model):
            return orjson.dumps(unstructure_other(obj))
        fn = DEFAULT.encoder(type(obj))
    return fn(obj)


def seed_example() -> bytes:
    """The Run example of the Modify run page this project was born from, as JSON bytes.

    Note that it carries two of the spec's errata: ``instructions: null`` and no
    ``required_action`` key (so strict mode reports it missing).
    """
    from importlib.resources import files

    return (files("runschema") / "data" / "seed_run.json").read_bytes()
