"""Bytes in, models out, and back: the orjson codec and its boundary."""

from __future__ import annotations

import json
import re
from typing import Any, Final, TypeVar

import orjson

from ._converter import structure
from ._errors import DecodeError, ErrorDetail
from ._fast import dumper
from ._kinds import BigInt
from ._models import _Model

__all__ = ["dumps", "loads", "parse_json", "seed_example"]

T = TypeVar("T")

# An integer literal orjson may not hold exactly: 20+ digits, or a minus and 19+ digits.
# Cheap to scan for; a hit (rare: long digit runs inside strings match too) triggers an exact
# re-parse that sees integer literals as they were written.
_LONG_INT_B: Final = re.compile(rb"\d{20}|-\d{19}")
_LONG_INT_S: Final = re.compile(r"\d{20}|-\d{19}")
_MIN_INT: Final = -(2**63)
_MAX_INT: Final = 2**64 - 1


def _parse_int(text: str) -> int | BigInt:
    v = int(text)
    return v if _MIN_INT <= v <= _MAX_INT else BigInt(text)


def _decode_error(code: str, message: str, e: Any = None) -> DecodeError:
    if e is None:
        return DecodeError([ErrorDetail(loc=(), code=code, message=message)])
    return DecodeError(
        [ErrorDetail(loc=(), code=code, message=message)],
        pos=e.pos,
        lineno=e.lineno,
        colno=e.colno,
    )


def parse_json(data: bytes | bytearray | memoryview | str) -> Any:
    """Parse one JSON document with orjson, raising DecodeError for anything it rejects.

    Integer literals outside 64 bits (which orjson would read as floats) come back as
    ``BigInt`` markers so that validation reports them instead of changing them.
    """
    if isinstance(data, str):
        long_int = _LONG_INT_S
    elif isinstance(data, (bytes, bytearray, memoryview)):
        long_int = _LONG_INT_B  # type: ignore[assignment]
        if isinstance(data, memoryview):
            data = data.tobytes()
    else:
        raise _decode_error("input_type", f"expected bytes or str, got {type(data).__name__}")
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as e:
        raise _classify(data, e) from None
    if long_int.search(data) is not None:  # type: ignore[arg-type]
        text = data if isinstance(data, str) else bytes(data).decode("utf-8")
        try:
            obj = json.loads(text, parse_int=_parse_int)
        except RecursionError:
            raise _decode_error("too_deep", "the JSON nests too deeply to check exactly") from None
    return obj


def _classify(data: bytes | bytearray | str, e: orjson.JSONDecodeError) -> DecodeError:
    msg = str(e.msg)
    where = f" at line {e.lineno}, column {e.colno}"
    if not data.strip():
        return _decode_error("empty", "the document is empty", e)
    low = msg.lower()
    if "bom" in low or "byte order mark" in low:
        return _decode_error("encoding", "a UTF-8 byte order mark (BOM) is not allowed", e)
    if "utf-8" in low or "surrogate" in low or "utf8" in low:
        if not isinstance(data, str):
            try:
                bytes(data).decode("utf-8")
            except UnicodeDecodeError as u:
                return _decode_error(
                    "encoding", f"the bytes are not valid UTF-8 (at byte {u.start})", e
                )
            return _decode_error("encoding", f"a lone surrogate escape: {msg}{where}", e)
        return _decode_error("encoding", f"the text holds lone surrogates{where}", e)
    if "recursion" in low or "depth" in low:
        return _decode_error("too_deep", f"the JSON nests too deeply: {msg}{where}", e)
    return _decode_error("json_invalid", f"malformed JSON: {msg}{where}", e)


def loads(data: bytes | bytearray | memoryview | str, cls: type[T], *, strict: bool = False) -> T:
    """Decode one JSON document into ``cls``: DecodeError or ValidationError on bad input.

    Lenient by default (forward compatible and lossless); ``strict=True`` applies the published
    schema exactly. Nothing but :class:`runschema.SchemaError` escapes for bad input.

    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> run.id
    'run_abc123'
    """
    obj = parse_json(data)
    if type(obj) is not dict:
        raise _decode_error(
            "not_object", f"expected a JSON object at the top level, got {_top(obj)}"
        )
    return structure(obj, cls, strict=strict)


def _top(obj: Any) -> str:
    from ._kinds import json_type

    return json_type(obj)


def dumps(obj: Any) -> bytes:
    """Encode a model to compact JSON bytes; timestamps become unix seconds again.

    >>> import runschema
    >>> runschema.dumps(runschema.Usage(completion_tokens=2, prompt_tokens=1, total_tokens=3))
    b'{"completion_tokens":2,"prompt_tokens":1,"total_tokens":3}'
    """
    if not isinstance(obj, _Model):
        raise TypeError(f"{type(obj).__name__} is not a runschema model")
    return orjson.dumps(dumper(type(obj))(obj))


def seed_example() -> bytes:
    """The Run example of the Modify run page this project was born from, as JSON bytes.

    Note that it carries two of the spec's errata: ``instructions: null`` and no
    ``required_action`` key (so strict mode reports it missing).
    """
    from importlib.resources import files

    return (files("runschema") / "data" / "seed_run.json").read_bytes()
