"""The one exception family of runschema, and the error details it carries."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs
import orjson

__all__ = [
    "ERROR_CODES",
    "DecodeError",
    "ErrorDetail",
    "SchemaError",
    "ValidationError",
    "format_path",
]

#: The stable vocabulary of :attr:`ErrorDetail.code`, each with what it means.
ERROR_CODES: Final[Mapping[str, str]] = {
    "missing": "a required key is absent",
    "type": "the value has the wrong JSON type (no coercion is ever made)",
    "enum": "a string outside the closed set of values the schema allows (strict mode)",
    "const": "a value that must be exactly one constant is not",
    "unknown_tag": "a union member whose `type` is not known (strict mode)",
    "unknown_field": "a key that the object does not allow",
    "too_long": "a string or map key longer than its limit",
    "too_many": "an array or map with more items than its limit",
    "out_of_range": "a number outside its bounds, or outside what JSON, orjson or datetime hold",
    "not_finite": "NaN or an infinity, which JSON cannot carry",
    "invalid_string": "a string with lone surrogates, which UTF-8 cannot carry",
    "invalid_timestamp": "a datetime that is naive or not a whole second",
    "invalid_unknown": "an unknown-arm or unknown-value wrapper holding a value that is known",
    "empty": "an empty document",
    "json_invalid": "the text is not JSON",
    "encoding": "the bytes are not UTF-8 or the text holds lone surrogates",
    "too_deep": "the JSON nests deeper than orjson reads (1024) or writes (254 levels)",
    "not_object": "the top level is not a JSON object",
    "input_type": "the input is neither bytes nor str",
    "empty_id": "a path parameter is empty (building a request)",
    "dot_segment": "a path parameter is '.' or '..', even percent-encoded (building a request)",
    "duplicate_key": "extra_body repeats a key the request already sets",
    "api_error": "the server answered with a non-2xx status",
}

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_EXCERPT = 100


def format_path(loc: Iterable[str | int]) -> str:
    """Render a location as a JSON path: ``$.tools[2].function.name``, ``$.metadata['a b']``.

    >>> format_path(("tools", 2, "function", "name"))
    '$.tools[2].function.name'
    >>> format_path(("metadata", "user id"))
    "$.metadata['user id']"
    """
    parts = ["$"]
    for seg in loc:
        if isinstance(seg, int):
            parts.append(f"[{seg}]")
        elif _IDENT.match(seg):
            parts.append(f".{seg}")
        else:
            quoted = seg.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"['{quoted}']")
    return "".join(parts)


def excerpt(value: object, limit: int = _EXCERPT) -> str:
    """A bounded JSON-ish rendering of a bad value: at most ``limit`` characters."""
    if isinstance(value, str) and len(value) > limit:
        value = value[:limit]
    try:
        text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        text = _safe_repr(value, limit)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _safe_repr(value: object, limit: int) -> str:
    import reprlib

    r = reprlib.Repr()
    r.maxstring = limit
    r.maxother = limit
    try:
        text = r.repr(value)
    except Exception:  # a hostile __repr__ must not escape
        text = f"<{type(value).__name__}>"
    return text.encode("utf-8", "backslashreplace").decode()


@attrs.frozen(kw_only=True)
class ErrorDetail:
    """One problem found in a document: where, what kind, a sentence, and the bad value.

    ``loc`` is the location as keys and indexes, ``path`` the same as a JSON path string;
    ``code`` is one of :data:`ERROR_CODES`; ``input`` is a bounded excerpt (about 100
    characters) of the offending value, or ``None`` where the value is absent.
    """

    loc: tuple[str | int, ...]
    code: str
    message: str
    input: str | None = None

    @property
    def path(self) -> str:
        """The location as a JSON path, e.g. ``$.tools[2].function.name``."""
        return format_path(self.loc)

    def as_dict(self) -> dict[str, Any]:
        """A plain dict for logs and JSON: ``{"path", "code", "message", "input"}``."""
        return {"path": self.path, "code": self.code, "message": self.message, "input": self.input}

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.code}]"


class SchemaError(ValueError):
    """The root of every error runschema raises on bad input: catch this one.

    A ``ValueError``. Its subclasses say whether the text was not JSON at all
    (:class:`DecodeError`) or JSON that breaks the schema (:class:`ValidationError`).
    """

    errors: tuple[ErrorDetail, ...]

    def __init__(self, errors: Iterable[ErrorDetail]) -> None:
        self.errors = tuple(errors)
        super().__init__(self._summary())

    def _summary(self) -> str:
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        return "\n".join([head, *(f"  {e}" for e in self.errors)])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))

    def as_dicts(self) -> list[dict[str, Any]]:
        """Every detail as a plain dict, ready for a log line or a JSON body."""
        return [e.as_dict() for e in self.errors]

    def to_openai_error(self) -> dict[str, Any]:
        """The OpenAI-style error body a service answers a 400 with.

        ``message`` lists every problem; ``param`` is the path of the first one (without the
        leading ``$.``) and ``code`` its code.

        >>> from runschema import loads, RunUpdateParams, ValidationError
        >>> try:
        ...     loads(b'{"metadata": 5}', RunUpdateParams, strict=True)
        ... except ValidationError as e:
        ...     body = e.to_openai_error()
        >>> body["error"]["param"], body["error"]["code"]
        ('metadata', 'type')
        """
        first = self.errors[0] if self.errors else None
        param = None
        if first is not None and first.loc:
            param = first.path[2:] if first.path.startswith("$.") else first.path[1:]
        message = "; ".join(str(e) for e in self.errors) or "invalid request"
        return {
            "error": {
                "message": message,
                "type": "invalid_request_error",
                "param": param,
                "code": first.code if first is not None else None,
            }
        }


class DecodeError(SchemaError):
    """The input is not a JSON document of the expected kind.

    Empty bodies, malformed JSON (with ``lineno``/``colno``/``pos`` of the first bad
    character), a UTF-8 BOM, invalid UTF-8 or lone surrogates, nesting deeper than the parser
    allows, a top level that is not an object, and inputs that are neither ``bytes`` nor
    ``str``.
    """

    def __init__(
        self,
        errors: Iterable[ErrorDetail],
        *,
        pos: int | None = None,
        lineno: int | None = None,
        colno: int | None = None,
    ) -> None:
        self.pos = pos
        self.lineno = lineno
        self.colno = colno
        super().__init__(errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_decode_error, (self.errors, self.pos, self.lineno, self.colno))


def _rebuild_decode_error(
    errors: tuple[ErrorDetail, ...], pos: int | None, lineno: int | None, colno: int | None
) -> DecodeError:
    return DecodeError(errors, pos=pos, lineno=lineno, colno=colno)


class ValidationError(SchemaError):
    """The JSON was read, but breaks the schema: :attr:`errors` holds every problem found.

    >>> from runschema import loads, Run, ValidationError
    >>> try:
    ...     loads(b'{"object": "thread.run"}', Run)
    ... except ValidationError as e:
    ...     print(e.errors[0])
    $.id: required key 'id' is missing [missing]
    """
