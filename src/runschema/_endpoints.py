"""Operations as data, sans-I/O: one generic :class:`Endpoint`, values in and bytes out.

runschema holds no socket. A client builds a :class:`Request` with :meth:`Endpoint.request`,
sends it with whatever HTTP library it likes, and hands the status and body to
:meth:`Endpoint.parse_response`. A service finds the endpoint and its path parameters with
:meth:`Endpoint.match`, reads the body with :meth:`Endpoint.parse_request` (strict), and
answers a failure's ``to_openai_error()``. Each operation is one declaration: name, method,
path template, request body type, query type, response type, headers, deprecation.

Who is at fault, as h11 tells local from remote protocol errors (all are
:class:`runschema.SchemaError`):

- bad input (the document or request a service received, the body a client decoded):
  :class:`runschema.DecodeError`, :class:`runschema.ValidationError`;
- the caller's misuse (a request that cannot be built from the values given):
  :class:`runschema.RequestError`;
- the server's answer (a non-2xx status): :class:`APIError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any, Final, Generic, Literal, Protocol, TypeAlias, TypeVar, cast, overload

import attrs
import orjson

from ._codec import Model, dumps, loads, parse_json, structure_parsed, unreleased, without_bom
from ._errors import (
    DecodeError,
    ErrorCode,
    ErrorDetail,
    RequestError,
    SchemaError,
    ValidationError,
    excerpt,
    quoted,
    writable,
)
from ._fast import DEFAULT
from ._kinds import (
    BAD,
    Array,
    BigInt,
    Bool,
    Const,
    Ctx,
    Enum,
    Int,
    Num,
    Str,
    capped,
    has_surrogates,
    json_copy,
    json_type,
    spec_of,
)
from ._models import Run
from ._pages import ErrorResponse, RunList, RunStepList
from ._steps import RunStep
from ._structure import strict_problems, structure, validate
from ._values import FrozenMap, expect

__all__ = [
    "ASSISTANTS_HEADERS",
    "APIError",
    "Endpoint",
    "Request",
    "Response",
    "bad_request",
    "check_status",
    "decode_query",
    "encode_query",
    "error_response",
    "request_error",
]

B = TypeVar("B")
Q = TypeVar("Q")
R = TypeVar("R", bound=Model)  # what an operation answers: a model (a run, a page)
_T = TypeVar("_T")

#: What a query can be given as: its string (``str``, or the ``bytes`` a server got, without
#: the ``?``), or a mapping of names to a value or a list of values.
QueryInput: TypeAlias = str | bytes | bytearray | memoryview | Mapping[str, Any]

#: Every Assistants request carries this header (the v2 beta of the API).
_ASSISTANTS_BETA: Final = "assistants=v2"
ASSISTANTS_HEADERS: Final[FrozenMap[str]] = FrozenMap({"OpenAI-Beta": _ASSISTANTS_BETA})
_JSON: Final = FrozenMap({"Content-Type": "application/json", "OpenAI-Beta": _ASSISTANTS_BETA})


#: How much of a server's error message an APIError's own text quotes (``message`` has it all).
_SAID: Final = 1_000


class APIError(SchemaError):
    """The server answered with a non-2xx status: its fault, or a refusal.

    ``status`` is the HTTP status. When the body is an OpenAI error body
    (``{"error": {"message", "type", "param", "code"}}``), ``error`` holds its ``error`` object
    whole (unknown keys too) and its string fields are in ``message``, ``type``, ``param`` and
    ``code`` (an integer ``code`` as its decimal text, as the official clients read it); a
    JSON object with no ``error`` key (``{"message": ...}`` from a proxy) gives its own
    fields so, ``error`` then ``None``; otherwise ``error`` and ``message`` are ``None``.
    ``body_excerpt`` always holds the start of the body as a message quotes it: its first
    100 characters or so, in quotes, escaped (an HTML page from a proxy, say). ``response``
    is the body as an :class:`ErrorResponse` when it is one (lenient reading), else ``None``.
    An ``error`` that is a string (``{"error": "invalid api key"}``) is the ``message``.
    ``body`` is the whole body as sent when it is a JSON object that could be kept (keys
    beside ``error`` too, or another shape a proxy wrote), and :meth:`to_openai_error` gives
    it back when it holds an error, so a gateway can pass it on.
    ``headers`` are the answer's headers when the parser was given them (names in lower
    case): :attr:`request_id` and :attr:`retry_after` read them.

    >>> import runschema
    >>> try:
    ...     runschema.parse_run_response(404, b'{"error": {"message": "No run", "type": "x",'
    ...                                       b' "param": null, "code": null}}')
    ... except APIError as e:
    ...     print(e.status, e.message)
    404 No run
    """

    def __init__(
        self,
        status: int,
        *,
        message: str | None = None,
        type: str | None = None,
        param: str | None = None,
        code: str | None = None,
        body_excerpt: str = "",
        error: Mapping[str, Any] | None = None,
        response: ErrorResponse | None = None,
        headers: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> None:
        self.status = status
        self.body = body
        self.response = response
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.body_excerpt = body_excerpt
        self.error = error
        self.headers: FrozenMap[str] = _lowered(headers)
        if message:  # (bounded: the exception's own text, not the server's whole body)
            text = message if len(message) <= _SAID else message[: _SAID - 3] + "..."
        elif error is not None:
            text = f"an error with no message: {body_excerpt}"
        else:
            text = f"no error object in the body: {body_excerpt}"
        super().__init__([ErrorDetail(loc=(), code="api_error", message=f"HTTP {status}: {text}")])

    @property
    def request_id(self) -> str | None:
        """The server's ``x-request-id`` header, to quote when asking about the failure."""
        return self.headers.get("x-request-id")

    @property
    def retry_after(self) -> float | None:
        """How many seconds the server asks to wait before trying again (a 429 or a 503): its
        ``retry-after-ms`` header, else ``retry-after`` in seconds or as an HTTP date (the
        time from now, never below 0); ``None`` when it says neither, or nothing readable.

        >>> APIError(429, headers={"Retry-After": "2"}).retry_after
        2.0
        """
        return retry_seconds(self.headers)

    def to_openai_error(self) -> dict[str, Any]:
        """The error body to pass on: the server's own (``body``, when it holds an ``error``),
        else its ``error`` object, else one made of the fields read.

        >>> e = APIError(404, message="No run", error={"message": "No run", "type": "x",
        ...              "param": None, "code": "not_found"})
        >>> e.to_openai_error()["error"]["code"]
        'not_found'
        """
        body = self.body
        if body is not None and isinstance(body.get("error"), (str, Mapping)):
            # as sent: arrays as lists again, keys in their order (a body with no error in
            # it, {"message": ...} from a proxy, is answered in the upstream shape below)
            return orjson.loads(orjson.dumps(body))  # type: ignore[no-any-return]
        if self.error is not None:
            return {"error": orjson.loads(orjson.dumps(self.error))}
        return {  # the fields read, when the object could not be kept whole (or none)
            "error": {
                "message": self.message or self.errors[0].message,
                "type": self.type or "api_error",
                "param": self.param,
                "code": self.code,
            }
        }

    def __reduce__(self) -> tuple[Any, ...]:
        fields = (self.message, self.type, self.param, self.code, self.body_excerpt, self.error)
        rest = (self.response, self.headers, self.body)
        return (_rebuild_api_error, (self.status, *fields, *rest))


def _lowered(headers: Mapping[str, str] | None) -> FrozenMap[str]:
    """Header names in lower case (HTTP names are case-insensitive), values as given; a
    header repeated under two spellings keeps its last value. Only text is kept: strings,
    and bytes read as ISO-8859-1 (see :func:`header_text`)."""
    if not headers:
        return FrozenMap()
    if not isinstance(headers, Mapping):
        raise TypeError(f"headers must be a mapping, not {type(headers).__name__}")
    kept: dict[str, str] = {}
    for k, v in headers.items():
        name, value = header_text(k), header_text(v)
        if name is not None and value is not None:
            kept[name.lower()] = value
    return FrozenMap(kept)


def header_text(value: object) -> str | None:
    """A header's name or value as text: a string as it is, bytes (an ASGI server's raw
    headers, say) read as ISO-8859-1 as HTTP's are; None for anything else. Found by a
    server author: an ASGI scope's ``(b"openai-beta", b"assistants=v2")`` was no beta
    header at all, and every request was refused."""
    if isinstance(value, str):  # a subclass too (multidict's istr): found by a trial; the
        return str.__str__(value)  # text it holds, not its __str__ (a str Enum's "H.BETA")
    if isinstance(value, (bytes, bytearray)):
        return wire_text(value)
    return None


@overload
def wire_text(value: str | bytes | bytearray) -> str: ...
@overload
def wire_text(value: _T) -> _T: ...
def wire_text(value: Any) -> Any:
    """``value`` read as HTTP reads what came on the wire: bytes (an ASGI scope's raw
    headers, ``raw_path`` or method) as ISO-8859-1 text; anything else as it is."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    return value


def retry_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait, from lower-cased ``retry-after-ms`` or ``retry-after`` (see
    :attr:`APIError.retry_after`)."""
    ms = _seconds(headers.get("retry-after-ms", "").split(",", 1)[0] or None)
    if ms is not None:
        return ms / 1000
    value = headers.get("retry-after")
    if value is None:
        return None
    # (a header sent twice reads as its values joined by ", "; a date has a comma of its own)
    seconds = _seconds(value) if "," not in value else _seconds(value.split(",", 1)[0])
    if seconds is not None:
        return seconds
    from email.utils import parsedate_to_datetime  # rare: not at import

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):  # no date, or none datetime holds
        return None
    if when.tzinfo is None:  # an HTTP date is GMT
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _seconds(value: str | None) -> float | None:
    """A finite, non-negative number of the header's text (ASCII: float() reads other
    scripts' digits too, found by fuzzing), or None."""
    if value is None or not value.isascii():
        return None
    try:
        n = float(value.strip())
    except ValueError:
        return None
    return n if math.isfinite(n) and n >= 0 else None


def _rebuild_api_error(
    status: int,
    message: str | None,
    type_: str | None,
    param: str | None,
    code: str | None,
    body_excerpt: str,
    error: Mapping[str, Any] | None = None,
    response: ErrorResponse | None = None,
    headers: Mapping[str, str] | None = None,
    body: Mapping[str, Any] | None = None,
) -> APIError:
    return APIError(
        status,
        message=message,
        type=type_,
        param=param,
        code=code,
        body_excerpt=body_excerpt,
        error=error,
        response=response,
        headers=headers,
        body=body,
    )


class HeaderItems(Protocol):
    """What :meth:`Endpoint.check_headers` reads headers from: a mapping, or a framework's
    multi-valued header object (``http.server``'s ``email.message.Message``, ...), whose
    ``items()`` give every line."""

    def items(self) -> Iterable[tuple[str, str]]:
        """Every header line as a ``(name, value)`` pair, a name repeated as often as sent."""
        ...


#: How much of an error body is looked at before it is parsed (its start, for the excerpt).
_HEAD: Final = 4096


def _may_be_object(head: str, body: Any) -> bool:
    """Whether a body whose first characters are ``head`` may be a JSON object: its first
    character past JSON's whitespace (and a BOM) is ``{``, or ``head`` is all whitespace.
    Found by a client author: parsing a 6.5 MB HTML error page took 85 MB (orjson's error
    holds the whole text)."""
    rest = head.lstrip(" \t\n\r\ufeff")
    return rest[:1] == "{" or (not rest and len(body) > len(head))


def api_error(status: int, body: Any, headers: Mapping[str, str] | None = None) -> APIError:
    """The APIError for a non-2xx answer, from a body of any type ``loads`` takes."""
    if isinstance(body, memoryview):
        unreleased(body)  # DecodeError for a released one, as loads says (found by fuzzing)
    if isinstance(body, (bytes, bytearray, memoryview)):
        raw = bytes(memoryview(body)[:_HEAD]).decode("utf-8", "replace")  # (for the excerpt)
    elif isinstance(body, str):
        raw = str(body[:_HEAD])
    else:
        raw = ""
    cut = excerpt(raw)
    if raw and not _may_be_object(raw, body):  # an HTML page from a proxy, say: no parse,
        return APIError(status, body_excerpt=cut, headers=headers)  # which costs 12x its size
    body = skip_bom(body)  # skipped, as clients read an error body
    try:
        doc = parse_json(body)
    except SchemaError:
        return APIError(status, body_excerpt=cut, headers=headers)
    err = doc.get("error") if type(doc) is dict else None
    from ._kinds import BAD

    whole: Any = BAD
    if type(doc) is dict:  # a JSON object, in the upstream shape or not: kept whole, to pass
        copying = Ctx(strict=False)  # on (found by a client author: {"message": ...} was not)
        whole = copying.run(json_copy, doc, (), copying)
    kept_body = None if whole is BAD else FrozenMap(whole)
    if type(err) is str:  # {"error": "invalid api key"}, as some gateways write
        return APIError(status, message=err, body_excerpt=cut, headers=headers, body=kept_body)
    if type(doc) is dict and "error" not in doc:
        # {"message": ...} from a proxy: its fields read as an error object's, as the
        # official clients read them (found by a client author: its message was None)
        return APIError(
            status,
            message=_error_text(doc, "message"),
            type=_error_text(doc, "type"),
            param=_error_text(doc, "param"),
            code=_error_text(doc, "code"),
            body_excerpt=cut,
            headers=headers,
            body=kept_body,
        )
    if type(err) is not dict:
        return APIError(status, body_excerpt=cut, headers=headers, body=kept_body)

    def text(key: str) -> str | None:
        return _error_text(err, key)

    ctx = Ctx(strict=False)
    kept = ctx.run(json_copy, err, ("error",), ctx)
    try:
        # parse_json's exact parse may hold markers (integers beyond 64 bits): the reference
        response: ErrorResponse | None = structure_parsed(doc, ErrorResponse, markers=True)
    except SchemaError:  # an error object of another shape: its fields are still read
        response = None
    return APIError(
        status,
        message=text("message"),
        type=text("type"),
        param=text("param"),
        code=text("code"),
        body_excerpt=cut,
        error=None if kept is BAD else FrozenMap(kept),
        response=response,
        headers=headers,
        body=kept_body,
    )


def _error_text(error: dict[str, Any], key: str) -> str | None:
    """An error object's string field, else None; its ``code`` as the official clients
    read it: any number or boolean as Python writes it (found by a client author, ``"code":
    123`` was None where they read ``"123"``; by a trial, ``1.5`` and ``true`` too)."""
    v = error.get(key)
    if type(v) is str:
        return v
    if key == "code" and type(v) is BigInt:  # an integer past 64 bits, read exactly
        return v.text
    if key != "code" or type(v) not in (int, float, bool):
        return None
    try:
        return str(v)
    except ValueError:  # an integer past what Python writes as digits (4,300)
        return None


def check_status(status: object) -> int:
    """The int ``status`` is (an ``http.HTTPStatus`` too), or RequestError (what parsing an
    answer is told it got)."""
    if not isinstance(status, int) or isinstance(status, bool):
        message = f"expected an HTTP status, got {json_type(status)}"
        raise request_error(("status",), "type", message, status)
    return int(status)


def skip_bom(body: Any) -> Any:
    """``body`` without a UTF-8 byte order mark starting it (bytes-like or text)."""
    rest = without_bom(body)
    return body if rest is None else rest


def request_error(
    loc: tuple[str | int, ...], code: ErrorCode, message: str, value: object
) -> RequestError:
    """A RequestError with one problem."""
    return RequestError([ErrorDetail(loc=loc, code=code, message=message, input=excerpt(value))])


def _segment(name: str, value: object) -> str:
    """Percent-encode one path parameter, refusing values that would not name one resource."""
    from urllib.parse import quote, unquote  # here, not at import: it costs import time

    if not isinstance(value, str):
        raise request_error((name,), "type", f"{name} must be a string", value)
    if value == "":
        raise request_error((name,), "empty_id", f"{name} must not be empty", value)
    if value in (".", "..") or unquote(value) in (".", ".."):
        raise request_error(
            (name,), "dot_segment", f"{name} must not be a '.' or '..' path segment", value
        )
    try:  # RFC 3986's pchar left as it is, as the official clients leave it (found by a
        # trial comparing URLs: `t:1` was `t%3A1`)
        return quote(value, safe="!$&'()*+,;=:@")
    except UnicodeEncodeError:
        raise request_error(
            (name,), "invalid_string", f"{name} holds lone surrogates", value
        ) from None


def _match(template: str, path: str, base_path: str) -> dict[str, str] | None:
    from urllib.parse import unquote

    if not isinstance(path, str):
        return None
    path = path.split("?", 1)[0]
    # "v1", "/v1" and "/v1/" say one prefix (found by a server author: without its leading
    # slash, a base path matched nothing, and every request was a 404)
    base = base_path.strip("/")
    base = f"/{base}" if base else ""
    if base:
        if not path.startswith(base + "/"):
            return None
        path = path[len(base) :]
    want = template.split("/")
    got = path.split("/")
    if len(want) != len(got):
        return None
    out: dict[str, str] = {}
    for w, g in zip(want, got, strict=True):
        if w.startswith("{") and w.endswith("}"):
            try:
                value = unquote(g, errors="strict")
            except UnicodeDecodeError:  # escapes that are not UTF-8: no resource has that id
                return None
            if not value or value in (".", "..") or has_surrogates(value):
                return None
            out[w[1:-1]] = value
        elif w != g:
            return None
    return out


def extra_body_of(extra_body: Mapping[str, Any], body: Mapping[str, Any]) -> dict[str, Any]:
    """``extra_body`` checked as JSON that goes out exactly as given (RequestError if not).

    Every value must be one JSON writes as it is: no NaN or infinity (orjson would send
    ``null``), no integer beyond 64 bits, no lone surrogate, string keys only; and no key the
    request already sets or the schema declares (those go through the body's own fields).
    """
    if not isinstance(extra_body, Mapping):
        raise request_error(("extra_body",), "type", "extra_body must be a mapping", extra_body)
    ctx = Ctx(strict=False, python=True)
    out: dict[str, Any] = {}
    for key, value in dict(extra_body).items():
        if not isinstance(key, str):
            ctx.add(("extra_body",), "type", f"keys must be strings, got {json_type(key)}", key)
            continue
        here = ("extra_body", key)
        if key in body:
            ctx.add(here, "duplicate_key", f"use the {key} argument, not extra_body, for it", value)
            continue
        out[key] = ctx.run(json_copy, {key: value}, ("extra_body",), ctx)
    if ctx.count:
        raise RequestError(ctx.problems())
    return {k: v[k] for k, v in out.items()}


@attrs.frozen(kw_only=True)
class Request:
    """An HTTP request ready to send: method, path (relative to the API base), headers, body.

    ``path`` starts with ``/`` and is relative to the base URL (``https://host/v1``, say);
    every path parameter in it is percent-encoded, and a query string follows ``?`` when the
    request has one. ``body`` is ``b""`` when there is none.
    """

    method: Literal["GET", "POST"]
    path: str
    headers: Mapping[str, str]
    body: bytes


@attrs.frozen(kw_only=True)
class Response:
    """An HTTP response ready to send (service side): status, headers, body.

    >>> import orjson, runschema
    >>> r = runschema.error_response(404, "No run found with id 'run_x'.")
    >>> r.status, orjson.loads(r.body)["error"]["type"]
    (404, 'invalid_request_error')
    """

    status: int
    headers: Mapping[str, str]
    body: bytes


_JSON_OUT: Final = FrozenMap({"Content-Type": "application/json"})


def error_response(
    status: int,
    message: str,
    *,
    type: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An error answer in the upstream API's shape:
    ``{"error": {"message", "type", "param", "code"}}``. ``status`` is a 4xx or 5xx
    (ValueError otherwise: a client reads a 2xx body as the resource). ``message`` and
    ``type`` are strings, ``param`` and ``code`` strings or None, as the official clients
    read them (TypeError otherwise: found by a user reading the docstrings, ``code=404``
    went out as a number). Lone surrogates in
    the strings (a path a framework decoded with ``surrogateescape``, said in the message)
    are written escaped, ``\\udcff``: UTF-8 cannot carry them."""
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status < 600:
        raise ValueError(f"an error answer's status is a 4xx or 5xx, not {status!r}")
    fields = {"message": message, "type": type, "param": param, "code": code}
    for name, value in fields.items():
        if not isinstance(value, str) and (value is not None or name in ("message", "type")):
            what = "a string" if name in ("message", "type") else "a string or None"
            raise TypeError(f"an error answer's {name} is {what}, not {json_type(value)}")
    body = {"error": {k: writable(v) if isinstance(v, str) else v for k, v in fields.items()}}
    return Response(
        status=int(status), headers=with_headers(_JSON_OUT, headers), body=orjson.dumps(body)
    )


def answer_status(status: object) -> int:
    """``status`` as an ``int`` if it is a 2xx that carries a body (an ``http.HTTPStatus``
    too; ValueError otherwise: 204 and 205 have none, and a client reads the bytes as the
    next answer's)."""
    if (
        not isinstance(status, int)
        or isinstance(status, bool)
        or not 200 <= status < 300
        or status in (204, 205)
    ):
        raise ValueError(f"an answer with a body is a 2xx (not 204 or 205), not {status!r}")
    return int(status)


#: A header's name (RFC 9110's token) and value (visible characters, spaces and tabs, and
#: Latin-1's others, as HTTP/1.1 carries them).
_TOKEN: Final = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_FIELD_VALUE: Final = re.compile(r"[\t\x20-\x7e\x80-\xff]*")

#: Header values a client parses: the poll helpers read this one as an integer.
_POLL_AFTER: Final = "openai-poll-after-ms"
_POLL_AFTER_MAX: Final = 86_400_000

#: Headers that frame a body: the transport writes them from the body it sends.
_FRAMING: Final = frozenset({"content-length", "transfer-encoding"})

#: A JSON body's Content-Type, parameters allowed (``; charset=utf-8``).
_JSON_TYPE: Final = re.compile(r"\s*application/json\s*(;.*)?", re.IGNORECASE | re.DOTALL)


def with_headers(base: Mapping[str, str], extra: Mapping[str, str] | None) -> Mapping[str, str]:
    """``base`` with ``extra`` added, a name ``base`` has (in any case) replaced. What HTTP
    cannot carry is a ValueError: a name that is no token (RFC 9110: letters, digits and
    ``!#$%&'*+-.^_`|~``), a value with a control character (a line end) or a character
    beyond Latin-1, one name given twice in two cases, an ``openai-poll-after-ms`` that
    is no whole number of milliseconds from 1 up to a day (the official poll helpers raise
    on one, or on 0 ask again at once),
    ``Content-Length`` and ``Transfer-Encoding`` (the transport frames the body it sends) and
    a ``Content-Type`` that is not ``application/json`` (the clients read the body by it)."""
    if not extra:
        return base
    expect(extra, Mapping, "headers")
    for name, value in extra.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise ValueError(f"a header is a name and a value, both strings: {name!r}: {value!r}")
        if not _TOKEN.fullmatch(name) or not _FIELD_VALUE.fullmatch(value):
            raise ValueError(f"no header can be written of {name!r}: {value!r}")
        if name.lower() == _POLL_AFTER and not (
            value.isascii() and value.isdigit() and 1 <= int(value) <= _POLL_AFTER_MAX
        ):  # found by server authors: thirty digits passed, which a client waits forever on,
            # and 0, on which the poll helpers ask again at once, as fast as they can
            raise ValueError(
                f"{_POLL_AFTER} is a whole number of milliseconds, from 1 to a day "
                f"({_POLL_AFTER_MAX:,}), not {value!r}"
            )
        if name.lower() in _FRAMING:  # found by a server author: a truncated answer
            raise ValueError(
                f"{name} is the transport's to write, from the body it sends: not given here"
            )
        if name.lower() == "content-type" and not _JSON_TYPE.fullmatch(value):
            raise ValueError(
                f"the body is JSON, which the official clients read by its Content-Type: "
                f"application/json (with parameters, if any), not {value!r}"
            )
    replaced = {name.lower() for name in extra}
    if len(replaced) < len(extra):
        raise ValueError(f"a header given twice, in two cases: {sorted(extra)!r}")
    return FrozenMap({**{k: v for k, v in base.items() if k.lower() not in replaced}, **extra})


def bad_request(error: SchemaError) -> Response:
    """The 400 answer to a body or query that failed validation (``error.to_openai_error()``):
    a :class:`DecodeError` or a :class:`ValidationError`.

    TypeError for any other error, which is no client's fault: an :class:`APIError` is
    another server's answer, whose body is passed on as it came (found by fuzzing: a handler
    catching ``SchemaError`` around ``parse_response`` answered an upstream 500 as a 400
    whose ``code`` was a number; relay one with :func:`error_response`, from its ``status``
    and fields); a :class:`StreamError` is a stream this side read (another server's: a
    502, say); a :class:`RequestError` is a request this side could not build (found by a
    user reading the docstrings: both were answered as the client's 400)."""
    if isinstance(error, (DecodeError, ValidationError)):
        return Response(status=400, headers=_JSON_OUT, body=orjson.dumps(error.to_openai_error()))
    if isinstance(error, APIError):
        why = "another server's answer: relay that with error_response"
    elif isinstance(error, RequestError):
        why = "a request this side could not build: the fault is on this side"
    elif isinstance(error, SchemaError):
        why = "no client's bad request (a StreamError is a stream this side read)"
    else:  # found by fuzzing: an AttributeError
        why = "no runschema error"
    raise TypeError(
        "bad_request answers a client's bad request (a DecodeError or ValidationError), not "
        f"{type(error).__name__}, {why}"
    )


def _extra_query_text(extra: Mapping[str, Any], declared: frozenset[str]) -> str:
    """The query text of :meth:`Endpoint.request`'s ``extra_query`` (found by a client
    author: the official clients send one on any operation, which Azure needs, and none
    could be sent)."""

    if not isinstance(extra, Mapping):
        raise request_error(("extra_query",), "type", "extra_query must be a mapping", extra)
    parts: list[str] = []

    def scalar(key: str, v: object, at: tuple[str | int, ...]) -> str:
        if isinstance(v, float) and not math.isfinite(v):
            raise request_error(at, "not_finite", "a query value is a finite number", v)
        if not isinstance(v, (str, int, float)):
            message = f"a query value is a string, a number or a boolean, not {json_type(v)}"
            raise request_error(at, "type", message, v)
        try:
            return _query_pair(key, v)
        except UnicodeEncodeError:
            raise request_error(at, "invalid_string", "it holds lone surrogates", v) from None

    for key, value in extra.items():
        if not isinstance(key, str) or not key:
            message = f"a query name is a non-empty string, not {excerpt(key)}"
            raise request_error(("extra_query",), "type", message, key)
        name = key[:-2] if key.endswith("[]") else key
        if name in declared:
            message = f"{name!r} is the operation's own: give it in query="
            raise request_error(("extra_query", key), "duplicate_key", message, value)
        if value is None:
            continue
        if isinstance(value, (list, tuple)):  # brackets added, as the official clients add
            parts += [  # them to any name (found by a trial: `ids[]` is sent `ids[][]`)
                scalar(f"{key}[]", x, ("extra_query", key, i))
                for i, x in enumerate(value)
                if x is not None
            ]
        else:
            parts.append(scalar(key, value, ("extra_query", key)))
    return "&".join(parts)


def _query_names(cls: type[Any]) -> dict[str, Any]:
    return {f.name: f for f in spec_of(cls).fields}


def encode_query(value: Model) -> str:
    """The query string of a query-parameter value (without the ``?``), as the official
    clients write it: names in alphabetical order, UNSET ones left out, arrays as repeated
    ``name[]`` keys, form-encoded (a space is ``+``). An empty array is left out, as they
    leave it out: it asks for nothing, as no array does (a record-and-replay test that
    matches whole URLs finds theirs and these the same).

    >>> import runschema
    >>> encode_query(runschema.ListRunStepsParams(limit=2, include=(
    ...     "step_details.tool_calls[*].file_search.results[*].content",)))
    'include%5B%5D=step_details.tool_calls%5B%2A%5D.file_search.results%5B%2A%5D.content&limit=2'
    """

    if not is_query_class(type(value)):
        raise TypeError(
            f"{type(value).__name__} is no query (ListRunsParams, ListRunStepsParams, "
            "CreateRunQuery, RetrieveRunStepQuery)"
        )
    data = DEFAULT.dumper(type(value))(value)
    cursors = {f.name for f in spec_of(type(value)).fields if isinstance(f.kind, Str)}
    parts = []
    for name, v in sorted(data.items()):
        if isinstance(v, (list, tuple)):
            # (found by a client author: ``include=[]`` was refused, which the official
            # clients send as no include at all)
            parts += [_query_pair(f"{name}[]", x) for x in v]
        elif v == "" and name in cursors:  # found by a server author: `after=` paged from
            # nowhere (an unknown key a lenient read kept goes back as it came)
            raise request_error((name,), "empty_id", _EMPTY_CURSOR, v)
        elif v is not None:
            parts.append(_query_pair(name, v))
    return "&".join(parts)


_EMPTY_CURSOR: Final = "an empty id names no item: leave the cursor out"


_QUERY_SCALARS: Final = (Str, Int, Num, Bool, Enum, Const)


def is_query_class(cls: object) -> bool:
    """Whether ``cls`` is a model a query string can hold: scalars and arrays of them."""
    if not (isinstance(cls, type) and issubclass(cls, Model)):
        return False
    kinds = [f.kind for f in spec_of(cls).fields]
    return all(isinstance(k.item if isinstance(k, Array) else k, _QUERY_SCALARS) for k in kinds)


def _query_pair(name: str, v: Any) -> str:
    """``name=value`` of one scalar, form-encoded as the official clients write it."""
    from urllib.parse import quote_plus

    return f"{quote_plus(name, safe='')}={quote_plus(_query_scalar(v), safe='')}"


def _query_scalar(v: Any) -> str:
    if v is True or v is False:
        return "true" if v else "false"
    return str(v)


def decode_query(
    query: QueryInput, cls: type[Q], *, strict: bool = True, ignore: Collection[str] = ()
) -> Q:
    """A query-parameter value from a query string (as a service receives it, without the
    ``?``; ``str`` or the raw ``bytes``) or a mapping of names to a value or a list of
    values: strict by default, with the errors bodies get (``$.limit`` out_of_range, ...).

    Every value is text: integers must be written in decimal digits; arrays come as repeated
    ``name[]`` (or ``name``) keys; a scalar given twice is a ``type`` problem; a name the
    query does not declare, a scalar's with ``[]`` included, is ``unknown_field`` (strict
    mode) unless ``ignore`` names it; names must be strings; an empty cursor (``after=``)
    is ``empty_id`` (strict mode: lenient reads it as an id that names no item).

    >>> import runschema
    >>> decode_query("limit=2&order=asc", runschema.ListRunsParams)
    ListRunsParams(limit=2, order='asc', after=UNSET, before=UNSET)
    """
    if not is_query_class(cls):
        raise TypeError(f"{getattr(cls, '__name__', cls)!s} is no query class")
    if isinstance(ignore, str):  # one name, not its letters
        ignore = (ignore,)
    pairs = _pairs_of(query)
    fields = _query_names(cls)
    ctx = Ctx(strict=strict, python=True)
    data: dict[str, Any] = {}

    repeated: set[str] = set()

    def read() -> None:  # under ctx.run: the check stops after MAX_COUNTED problems
        for raw_key, text in pairs:
            if not isinstance(raw_key, str):  # a mapping's key
                message = f"query names must be strings, got {json_type(raw_key)}"
                ctx.add((), "type", message, raw_key)
                continue
            name = raw_key[:-2] if raw_key.endswith("[]") else raw_key
            if raw_key in ignore or name in ignore:
                continue
            field = fields.get(name)
            if strict and name != raw_key and field and not isinstance(field.kind, Array):
                name, field = raw_key, None  # name[] is an array's: not the scalar's name
            if field is not None and isinstance(field.kind, Array):
                data.setdefault(name, []).append(text)
                continue
            if name in data:
                # said once a name, as an unknown one is (unknown_field): found by a trial,
                # limit given three times was said twice
                if field is not None and name not in repeated:
                    repeated.add(name)
                    ctx.add((name,), "type", "expected one value, got several", text)
                continue
            data[name] = _query_value(field, text, (name,), ctx)

    ctx.run(read)
    # The values read are checked whatever the names and texts were: a report has every
    # problem (found by a server author: an empty cursor hid a bad ``order``).
    try:
        value = structure({k: v for k, v in data.items() if v is not BAD}, cls, strict=strict)
    except ValidationError as e:
        if not ctx.count:
            raise
        found = [*ctx.problems(), *e.errors]
    else:
        if not ctx.count:
            return cast(Q, value)
        found = [*ctx.problems()]
    # as structure orders them: by field, then unknown names as they came (a report's own
    # "N more problems" entry, wherever it sorts, is counted by capped, not listed)
    names = dict.fromkeys([*fields, *data])
    order: dict[str | int, int] = {name: i for i, name in enumerate(names)}
    found.sort(key=lambda p: order.get(p.loc[0], -1) if p.loc else -1)
    raise ValidationError(capped(found))


def _query_value(field: Any, text: Any, loc: tuple[str | int, ...], ctx: Ctx) -> Any:
    """A query value as the JSON value its field takes (integers from decimal digits); an
    empty id (``after=``) is refused in strict mode."""
    if text == "" and ctx.strict and field is not None and isinstance(field.kind, Str):
        return ctx.add(loc, "empty_id", _EMPTY_CURSOR, text)
    if field is not None and isinstance(field.kind, Int):
        if isinstance(text, str) and _DECIMAL.fullmatch(text):
            return int(text)
        if isinstance(text, str) and _DIGITS.fullmatch(text):  # an integer past 64 bits:
            return BigInt(text)  # out_of_range, as in a JSON body (found in use: `type`)
        if isinstance(text, str):
            return ctx.add(loc, "type", f"expected an integer, got {quoted(text)}", text)
    return text


_DECIMAL: Final = re.compile(r"-?0*[0-9]{1,20}")  # leading zeros are no digits of size
_DIGITS: Final = re.compile(r"-?[0-9]+")


@attrs.frozen(kw_only=True)
class Endpoint(Generic[B, Q, R]):
    """An operation described as data, and the one implementation of every operation.

    ``B`` is the request body's type, ``Q`` the query's, ``R`` the response's (``None`` for
    an operation without a body or a query).

    >>> import runschema
    >>> M = runschema.MODIFY_RUN
    >>> M.method, M.path_template, M.deprecated
    ('POST', '/threads/{thread_id}/runs/{run_id}', True)
    >>> M.path(thread_id="thread 1", run_id="run/2")
    '/threads/thread%201/runs/run%2F2'
    >>> M.match('/threads/thread%201/runs/run%2F2')
    {'thread_id': 'thread 1', 'run_id': 'run/2'}
    >>> M.request({"metadata": {"k": "v"}}, thread_id="t", run_id="r").body
    b'{"metadata":{"k":"v"}}'
    >>> M.parse_request(b'{"metadata": null}')
    RunUpdateParams(metadata=None)
    """

    operation_id: str
    method: Literal["GET", "POST"]
    path_template: str
    request_type: type[B] | None
    response_type: type[R]
    query_type: type[Q] | None = None
    #: the request's headers: ``OpenAI-Beta: assistants=v2``, and the JSON content type when
    #: there is a body
    headers: Mapping[str, str] = attrs.field(
        default=attrs.Factory(
            lambda self: ASSISTANTS_HEADERS if self.request_type is None else _JSON,
            takes_self=True,
        )
    )
    deprecated: bool = True
    path_params: tuple[str, ...] = attrs.field(init=False)

    @path_params.default
    def _path_params(self) -> tuple[str, ...]:
        return tuple(s[1:-1] for s in self.path_template.split("/") if s.startswith("{"))

    def path(self, **params: str) -> str:
        """The path with each parameter percent-encoded; RequestError for unusable values."""
        if set(params) != set(self.path_params):
            raise TypeError(f"{self.operation_id} takes path parameters {self.path_params}")
        encoded = {k: _segment(k, v) for k, v in params.items()}
        return self.path_template.format(**encoded)

    def match(self, path: str, *, base_path: str = "") -> dict[str, str] | None:
        """The decoded path parameters if ``path`` is this endpoint's path, else ``None``.

        For services: the inverse of :meth:`path`. A query string is ignored. ``base_path`` is
        where the API is mounted (``"/v1"``, as the official clients' default base URL ends):
        a path outside it does not match. Never raises for any ``str``: a parameter that is
        not a resource id (empty, ``.``/``..``, percent-escapes that are not UTF-8, lone
        surrogates) makes the path not match.

        >>> import runschema
        >>> runschema.MODIFY_RUN.match("/v1/threads/t/runs/r", base_path="/v1")
        {'thread_id': 't', 'run_id': 'r'}
        >>> runschema.MODIFY_RUN.match("/threads/%ff/runs/r") is None
        True
        """
        return _match(self.path_template, path, base_path)

    def check_headers(
        self, headers: HeaderItems | Iterable[tuple[str, str]] | Iterable[tuple[bytes, bytes]]
    ) -> Response | None:
        """The 400 the upstream API answered a request of this operation with when its
        headers lacked ``OpenAI-Beta: assistants=v2`` (``invalid_beta``), else None.

        For services, after :func:`runschema.route`. ``headers`` is a mapping (a framework's
        multi-valued one too) or ``(name, value)`` pairs, of strings or of bytes (an ASGI
        scope's ``headers``, read as ISO-8859-1); names in any case; the beta among
        others, in one line (``assistants=v2, other``) or several. The official clients send
        it; ``curl`` needs ``-H``. (Found by a server author: every server wrote this loop
        itself.)

        >>> import runschema
        >>> runschema.RETRIEVE_RUN.check_headers({"openai-beta": "assistants=v2"}) is None
        True
        >>> runschema.RETRIEVE_RUN.check_headers({}).status
        400
        """
        pairs = headers.items() if hasattr(headers, "items") else headers
        wrong = TypeError(
            "headers is a mapping or (name, value) pairs of strings or bytes, not "
            f"{type(headers).__name__}"
        )
        try:
            texts = [(header_text(k), header_text(v)) for k, v in pairs]
        except (TypeError, ValueError):
            raise wrong from None
        if any(k is None or v is None for k, v in texts):
            raise wrong
        betas = [v for k, v in texts if k is not None and k.lower() == "openai-beta"]
        given = [part.strip() for v in betas if v is not None for part in v.split(",")]
        if _ASSISTANTS_BETA in given:
            return None
        return error_response(
            400,
            "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please "
            f"try again by setting the header 'OpenAI-Beta: {_ASSISTANTS_BETA}'.",
            code="invalid_beta",
        )

    @property
    def streams(self) -> bool:
        """Whether the body may ask for a stream of server-sent events (``stream: true``)."""
        return self.request_type is not None and "stream" in spec_of(self.request_type).names

    def request(
        self,
        body: B | Mapping[str, Any] | None = None,
        *,
        query: Q | Mapping[str, Any] | None = None,
        extra_body: Mapping[str, Any] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        check: bool = True,
        path: Mapping[str, str] | None = None,
        **path_params: str,
    ) -> Request:
        """Build the request (client side): path parameters encoded and checked, the query
        string written from the query type, the body checked against the published schema
        exactly (ValidationError with paths), keys the schema does not know only through
        ``extra_body`` (RequestError if they cannot go out as given). A body asking for a
        stream (``stream: true``) adds ``Accept: text/event-stream``.

        ``body`` and ``query`` are each a value of their type or its JSON data (a mapping,
        as :func:`runschema.structure` takes it); ``None`` is an empty body (a POST whose
        fields are all optional) or no query.

        ``extra_query`` adds parameters the operation does not declare, on any operation, as
        the official clients' ``extra_query`` does (``{"api-version": "2024-05-01-preview"}``
        for Azure): after the declared ones, in their order, a string, number or boolean
        each (``None`` left out) or a list of them (repeated ``name[]`` keys); a declared
        name, or another value, is a RequestError.

        The path parameters are keywords (``thread_id="t"``) or, as a mapping, ``path=``
        (a :class:`Route`'s ``params``: mypy checks a ``**mapping`` against every keyword,
        ``check`` and ``query`` too).

        ``check=False`` sends the body as it is, what a lenient read kept included (unknown
        keys, values and arms): a gateway passing on what a newer client sent. Its data
        is read leniently (wrong types are still a ValidationError) and not held to the
        published schema (bounds, limits, closed values); the path and query are checked
        as always.

        >>> import runschema
        >>> newer = runschema.loads(b'{"assistant_id": "a", "reasoning_effort": "ultra"}',
        ...                         runschema.CreateRunParams)
        >>> runschema.CREATE_RUN.request(newer, check=False, thread_id="t").body
        b'{"assistant_id":"a","reasoning_effort":"ultra"}'
        """
        if path is not None:
            if path_params:
                raise TypeError("path parameters are keywords or path=, not both")
            expect(path, Mapping, "path")
            path_params = dict(path)
        target = self.path(**path_params)
        if query is not None:
            if self.query_type is None:
                raise TypeError(f"{self.operation_id} takes no query")
            q = (
                query
                if isinstance(query, self.query_type)
                else _value(self.query_type, query, "query")
            )
            model = cast(Model, q)  # an instance of query_type: a model
            validate(model, strict=True)
            text = encode_query(model)
            if text:
                target = f"{target}?{text}"
        if extra_query:
            declared = spec_of(self.query_type).names if self.query_type is not None else ()
            extra = _extra_query_text(extra_query, frozenset(declared))
            if extra:
                target = f"{target}{'&' if '?' in target else '?'}{extra}"
        if self.request_type is None:
            if body is not None or extra_body:
                raise TypeError(f"{self.operation_id} takes no body")
            return Request(method=self.method, path=target, headers=self.headers, body=b"")
        if isinstance(body, self.request_type):
            value: Any = body
        else:
            value = _value(self.request_type, body, strict=check)
        if check:
            validate(cast(Model, value), strict=True)  # an instance of request_type: a model
        data: dict[str, Any] = DEFAULT.dumper(self.request_type)(value)
        if extra_body:
            declared = spec_of(self.request_type).names | set(data)
            data = {**data, **extra_body_of(extra_body, dict.fromkeys(declared))}
        headers = self.headers
        if data.get("stream") is True:
            headers = FrozenMap({**headers, "Accept": "text/event-stream"})
        return Request(method=self.method, path=target, headers=headers, body=orjson.dumps(data))

    def parse_request(self, body: bytes | bytearray | memoryview | str = b"") -> B:
        """Read a request body as a service receives it: strictly (the published schema
        exactly; unknown keys where the schema forbids them, limits). Raises DecodeError or
        ValidationError: answer :func:`bad_request` (a 400 in the upstream shape).

        An operation without a body takes an empty one (or ``{}``) and returns None.
        """
        if self.request_type is None:
            if _blank(body):
                return None  # type: ignore[return-value]
            doc = parse_json(body)  # DecodeError for what is not JSON
            if type(doc) is not dict:
                raise DecodeError(
                    [
                        ErrorDetail(
                            loc=(),
                            code="not_object",
                            # not first: a sentence would capitalize the id (cancelRun)
                            message=f"the {self.operation_id} operation takes no body (or an "
                            "empty object)",
                        )
                    ]
                )
            if doc:  # every key, listed as a check lists problems (found by a server author)
                takes = f"the {self.operation_id} operation takes no body"
                raise ValidationError(
                    capped(
                        ErrorDetail(
                            loc=(name,),
                            code="unknown_field",
                            message=f"unknown parameter {quoted(name)}: {takes}",
                        )
                        for name in doc
                    )
                )
            return None  # type: ignore[return-value]
        return cast(B, loads(body, self.request_type, strict=True))

    def parse_query(self, query: QueryInput = "", *, ignore: Collection[str] = ()) -> Q:
        """Read a request's query (its string, without ``?``, or a mapping) strictly: see
        :func:`decode_query`. An operation without a query takes an empty one and returns
        None; any parameter is then ``unknown_field``. Parameters named in ``ignore`` are
        left out first: ``ignore=("api-version",)`` serves the ``AzureOpenAI`` client, which
        sends one on every request.

        >>> import runschema
        >>> runschema.RETRIEVE_RUN.parse_query("api-version=2024-05-01-preview",
        ...                                    ignore=("api-version",)) is None
        True
        """
        if isinstance(ignore, str):  # one name, not its letters
            ignore = (ignore,)
        if self.query_type is None:
            ctx = Ctx(strict=True, python=True)

            def read() -> None:  # under ctx.run: the check stops after MAX_COUNTED problems
                said: set[str] = set()
                for key, text in _pairs_of(query):
                    if not isinstance(key, str):  # a mapping's key
                        message = f"query names must be strings, got {json_type(key)}"
                        ctx.add((), "type", message, key)
                        continue
                    name = key.removesuffix("[]")  # as decode_query names it
                    if key not in ignore and name not in ignore and name not in said:
                        said.add(name)
                        message = f"unknown query parameter {quoted(key)}"
                        ctx.add((name,), "unknown_field", message, text)

            ctx.run(read)
            if ctx.count:
                raise ValidationError(ctx.problems())
            return None  # type: ignore[return-value]
        return decode_query(query, self.query_type, ignore=ignore)

    def parse_response(
        self,
        status: int,
        body: bytes | bytearray | memoryview | str,
        *,
        strict: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> R:
        """Turn an HTTP response into the response value, or raise.

        A 2xx body is decoded as the response type (lenient by default): a body that is not
        one raises DecodeError or ValidationError like :func:`runschema.loads` (a UTF-8 byte
        order mark before it is skipped, as HTTP clients read JSON, unless ``strict``). Any
        other status raises :class:`APIError` with the OpenAI error fields when the body has
        them, and the answer's ``headers`` when given (its ``request_id`` and
        ``retry_after``). ``body`` may be any type :func:`runschema.loads` takes, ``status``
        any ``int`` (an ``http.HTTPStatus`` too).
        """
        status = check_status(status)
        if headers is not None and not isinstance(headers, Mapping):
            raise TypeError(f"headers must be a mapping, not {type(headers).__name__}")
        if 200 <= status < 300:  # (loads skips one byte order mark, lenient)
            return loads(body, self.response_type, strict=strict)
        raise api_error(status, body, headers)

    def respond(
        self,
        value: R,
        *,
        status: int = 200,
        check: bool = True,
        headers: Mapping[str, str] | None = None,
        allow_unknown: bool = False,
    ) -> Response:
        """The answer carrying ``value`` (service side): JSON, compact, as the API writes it.

        What a server sends is its own doing, so a wrong answer is a ValueError, never a
        :class:`runschema.SchemaError` a handler might turn into the client's 400:

        - with ``check`` (the default), ``value`` must be what the published schema says
          (strict mode: bounds, metadata limits, every required key, no unknown value or arm),
          as a strict client reads it; the ValueError's ``__cause__`` is the ValidationError
          with every problem. A run a lenient decode read with keys absent gets them with
          :func:`runschema.fill_absent`; ``check=False`` sends ``value`` as it is.
          ``allow_unknown=True`` lets through what a lenient read kept from a newer server
          (unknown values, arms and keys, keys found absent: a gateway passing answers on)
          and still checks the rest (bounds, metadata limits): the problems ``enum``,
          ``unknown_tag``, ``unknown_field`` and ``missing`` pass, no other.
        - whatever ``check`` says, a run that ``requires_action`` with no ``required_action``
          (in a page too): the official clients' poll helpers stop on that status and then
          read ``run.required_action.submit_tool_outputs``, which would raise in the caller's
          code; and a ``status`` that is not a 2xx with a body (errors are answered with
          :func:`error_response`; 204 and 205 have no body).

        ``headers`` are added to ``Content-Type``, each as HTTP carries it (a ValueError
        for a name that is no token, a value with a line end or a character past Latin-1,
        ``Content-Length``, ``Transfer-Encoding``, another ``Content-Type``):
        ``{"openai-poll-after-ms": "250"}`` tells the official clients' poll helpers how long
        to wait before they ask again (a second without it; a whole number of milliseconds
        from 1 up to a day).
        """
        if not isinstance(value, self.response_type):
            raise TypeError(f"{self.operation_id} answers a {self.response_type.__name__}")
        status = answer_status(status)
        out = with_headers(_JSON_OUT, headers)
        body = dumps(value)
        if check:
            what = f"the {self.response_type.__name__}"
            check_answer(body, self.response_type, what, allow_unknown=allow_unknown)
        check_coherent(value)
        return Response(status=status, headers=out, body=body)


def check_coherent(value: object) -> None:
    """ValueError for an answer the schema allows but a client's code trips on (see
    :meth:`Endpoint.respond`): a run (or a page of runs) that ``requires_action`` with no
    ``required_action``; a run step (or a page of steps) whose ``type`` is not its
    ``step_details``' (clients switch on the one, then read the other)."""
    items = value.data if isinstance(value, (RunList, RunStepList)) else (value,)
    for item in items:
        if isinstance(item, Run):
            if item.status == "requires_action" and item.required_action is None:
                raise ValueError(
                    f"run {item.id!r} requires_action but has no required_action: clients "
                    "read run.required_action.submit_tool_outputs (set it, or the status)"
                )
        elif isinstance(item, RunStep):
            kind, details = item.type, item.step_details.type
            if type(kind) is str and type(details) is str and kind != details:
                raise ValueError(
                    f"step {item.id!r} is of type {kind!r} but its step_details are "
                    f"{details!r}: clients read the details the type names"
                )
        else:
            break  # not an operation on runs or steps


#: How many problems an answer's ValueError lists (its cause holds them all).
_ANSWER_PROBLEMS: Final = 5


def check_answer(body: bytes, cls: type[Any], what: str, *, allow_unknown: bool = False) -> None:
    """ValueError unless ``body``, an answer a server is about to send, reads as ``cls`` in
    strict mode (``allow_unknown``: save what :data:`UNKNOWN_CODES` names); its
    ``__cause__`` is the ValidationError with every problem."""
    try:
        loads(body, cls, strict=True)
    except SchemaError as e:
        if not allow_unknown:
            raise answer_error(what, e) from e
        kept = beyond_unknown(body, cls)
        if kept:
            error = ValidationError(kept)
            raise answer_error(what, error) from error


#: What a strict reader says of what only a lenient read keeps, and ``allow_unknown=True``
#: lets through: a value or union arm this version does not know (``UnknownValue``, an
#: unknown arm), a key it does not know where the schema closes its object, a key found
#: absent. Models built in Python hold no other value of an enum or arm (they are checked
#: when built), so these codes say nothing else of them. (Of a stream, an ``UnknownEvent``
#: too, if its data is JSON.)
UNKNOWN_CODES: Final = frozenset({"enum", "unknown_tag", "unknown_field", "missing"})


def beyond_unknown(body: bytes, cls: type[Any]) -> list[ErrorDetail]:
    """The problems a strict reader finds with ``body`` (JSON that :func:`dumps` wrote) as
    ``cls``, save what :data:`UNKNOWN_CODES` names: all of them, as these neither are listed
    nor count toward the limits (a page of many unknown values lists none)."""
    return strict_problems(parse_json(body), cls, passing=UNKNOWN_CODES)


def answer_error(
    what: str,
    error: SchemaError,
    *,
    skip: str = "check=False",
    broken: str = "breaks the published schema",
) -> ValueError:
    """The ValueError of an answer that breaks the published schema (see ``check_answer``);
    ``skip`` says how to send it anyway, ``broken`` what is wrong with it."""
    problems = [f"{d.path} {d.code}: {d.message}" for d in error.errors[:_ANSWER_PROBLEMS]]
    more = len(error.errors) - _ANSWER_PROBLEMS
    if more > 0:
        problems.append(f"and {more} more")
    hint = ""
    if any(d.code == "missing" and _ABSENT_KEY.fullmatch(d.message) for d in error.errors):
        hint = (
            " (runschema.fill_absent writes keys a lenient decode found absent, as null: a"
            " gateway passing on a newer server's answer unchanged sends it unchecked)"
        )
    return ValueError(f"{what} {broken}{hint}; {skip} sends it anyway: " + "; ".join(problems))


#: A required key's ``missing``, which fill_absent may mend (not one required by another
#: key's value, a named tool choice's ``function``: found by an audit, the hint sent a server
#: to fill_absent for it).
_ABSENT_KEY: Final = re.compile(r"required key .* is missing", re.DOTALL)


def _blank(body: object) -> bool:
    """An empty body: nothing but whitespace (in any type ``loads`` takes)."""
    if isinstance(body, str):
        return not body.strip(" \t\r\n")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return not bytes(body).strip(b" \t\r\n")
    return False


def _pairs_of(query: QueryInput) -> list[tuple[str, Any]]:
    """A query's (name, value) pairs: from its string (or the bytes a server got; percent-
    escapes must be UTF-8: DecodeError), or a mapping of names to a value or a list."""
    from urllib.parse import parse_qsl

    if isinstance(query, (bytes, bytearray, memoryview)):
        try:
            query = bytes(query).decode("utf-8")
        except UnicodeDecodeError as e:
            message = f"the query string is not UTF-8 (at byte {e.start})"
            raise DecodeError([ErrorDetail(loc=(), code="encoding", message=message)]) from None
    if isinstance(query, str):
        try:
            return parse_qsl(query.lstrip("?"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise _escapes_not_utf8(query.lstrip("?")) from None
    if not isinstance(query, Mapping):
        message = f"expected a query string or a mapping, got {type(query).__name__}"
        raise DecodeError([ErrorDetail(loc=(), code="input_type", message=message)])
    return [(k, x) for k, v in query.items() for x in (v if isinstance(v, (list, tuple)) else [v])]


def _escapes_not_utf8(query: str) -> DecodeError:
    """The ``encoding`` DecodeError of a query string whose percent-escapes are not UTF-8,
    at the parameter that holds them (found by a server author: ``after=ab%ff`` was said
    "at byte 2", counted inside the value, with no ``param``)."""
    from urllib.parse import unquote_plus

    for part in query.split("&"):
        name, _, value = part.partition("=")
        try:
            key = unquote_plus(name, errors="strict")
        except UnicodeDecodeError:
            message = "a parameter's name holds percent-escapes that are not UTF-8"
            return DecodeError([ErrorDetail(loc=(), code="encoding", message=message)])
        try:
            unquote_plus(value, errors="strict")
        except UnicodeDecodeError as e:
            message = (
                f"the value of {quoted(key)} holds percent-escapes that are not UTF-8 (at its "
                f"byte {e.start})"
            )
            loc = (key[:-2] if key.endswith("[]") else key,)
            return DecodeError([ErrorDetail(loc=loc, code="encoding", message=message)])
    message = "the query string's percent-escapes are not UTF-8"  # pragma: no cover
    return DecodeError([ErrorDetail(loc=(), code="encoding", message=message)])


def _value(cls: type[Any], data: Any, where: str = "body", *, strict: bool = True) -> Any:
    """A value of ``cls`` from its JSON data (strict unless said), for a request being
    built."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise request_error(
            (where,), "type", f"expected a {cls.__name__} or a mapping of its JSON fields", data
        )
    return structure(data, cls, strict=strict)
