"""Modify run and Retrieve run, sans-I/O: values in, request bytes out, and back again.

runschema holds no socket. A client builds a :class:`Request` and sends it with whatever HTTP
library it likes, then hands the status and body to :func:`parse_run_response`. A service
matches the path with :meth:`Endpoint.match`, validates the body with
:func:`validate_modify_run_request` and answers ``err.to_openai_error()`` with a 400.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
import orjson

if TYPE_CHECKING or sys.version_info >= (3, 13):
    if sys.version_info >= (3, 13):
        from warnings import deprecated
    else:
        from typing_extensions import deprecated
else:
    # What typing_extensions.deprecated does with category=None, without importing it (it is
    # most of the import time of this module): type checkers read the branch above.
    def deprecated(message: str, /, *, category: None = None) -> Any:
        def mark(fn: Any) -> Any:
            fn.__deprecated__ = message
            return fn

        return mark


from ._codec import loads, parse_json
from ._errors import ErrorCode, ErrorDetail, SchemaError, excerpt
from ._kinds import has_surrogates
from ._models import Run, RunUpdateParams
from ._values import UNSET, FrozenMap, Unset

__all__ = [
    "MODIFY_RUN",
    "RETRIEVE_RUN",
    "APIError",
    "Endpoint",
    "Request",
    "RequestError",
    "apply_update",
    "modify_run",
    "parse_run_response",
    "retrieve_run",
    "validate_modify_run_request",
]


class RequestError(SchemaError):
    """A request could not be built from the values given: you misused the API.

    Raised for empty ids, ids that are ``.``/``..`` path segments (also percent-encoded),
    ids that are not strings or hold lone surrogates, and ``extra_body`` values that cannot be
    sent. (h11 calls this a local protocol error: the fault is on this side.)
    """


class APIError(SchemaError):
    """The server answered with a non-2xx status.

    ``status`` is the HTTP status. When the body is an OpenAI error body
    (``{"error": {"message", "type", "param", "code"}}``), ``error`` holds its ``error`` object
    whole (unknown keys too) and its string fields are in ``message``, ``type``, ``param`` and
    ``code``; otherwise ``error`` and ``message`` are ``None`` and ``body_excerpt`` holds the
    first 100 characters or so of the raw body (an HTML page from a proxy, say).
    :meth:`to_openai_error` gives the upstream body back, so a gateway can pass it on.

    >>> try:
    ...     parse_run_response(404, b'{"error": {"message": "No run", "type": "x",'
    ...                             b' "param": null, "code": null}}')
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
    ) -> None:
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.body_excerpt = body_excerpt
        self.error = error
        text = message if message is not None else f"non-JSON error body: {body_excerpt}"
        super().__init__([ErrorDetail(loc=(), code="api_error", message=f"HTTP {status}: {text}")])

    def to_openai_error(self) -> dict[str, Any]:
        """The error body to pass on: the server's own ``error`` object when it sent one.

        >>> e = APIError(404, message="No run", error={"message": "No run", "type": "x",
        ...              "param": None, "code": "not_found"})
        >>> e.to_openai_error()["error"]["code"]
        'not_found'
        """
        if self.error is not None:
            return {"error": dict(self.error)}
        return {
            "error": {
                "message": self.errors[0].message,
                "type": self.type or "api_error",
                "param": self.param,
                "code": self.code,
            }
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_api_error,
            (
                self.status,
                self.message,
                self.type,
                self.param,
                self.code,
                self.body_excerpt,
                self.error,
            ),
        )


def _rebuild_api_error(
    status: int,
    message: str | None,
    type_: str | None,
    param: str | None,
    code: str | None,
    body_excerpt: str,
    error: Mapping[str, Any] | None = None,
) -> APIError:
    return APIError(
        status,
        message=message,
        type=type_,
        param=param,
        code=code,
        body_excerpt=body_excerpt,
        error=error,
    )


def _request_error(
    loc: tuple[str | int, ...], code: ErrorCode, message: str, value: object
) -> RequestError:
    return RequestError([ErrorDetail(loc=loc, code=code, message=message, input=excerpt(value))])


def _segment(name: str, value: object) -> str:
    """Percent-encode one path parameter, refusing values that would not name one resource."""
    from urllib.parse import quote, unquote  # here, not at import: it costs import time

    if not isinstance(value, str):
        raise _request_error((name,), "type", f"{name} must be a string", value)
    if value == "":
        raise _request_error((name,), "empty_id", f"{name} must not be empty", value)
    if value in (".", "..") or unquote(value) in (".", ".."):
        raise _request_error(
            (name,), "dot_segment", f"{name} must not be a '.' or '..' path segment", value
        )
    try:
        return quote(value, safe="")
    except UnicodeEncodeError:
        raise _request_error(
            (name,), "invalid_string", f"{name} holds lone surrogates", value
        ) from None


@attrs.frozen(kw_only=True)
class Request:
    """An HTTP request ready to send: method, path (relative to the API base), headers, body.

    ``path`` starts with ``/`` and is relative to the base URL (``https://host/v1``, say);
    every path parameter in it is percent-encoded. ``body`` is ``b""`` for a GET.
    """

    method: Literal["GET", "POST"]
    path: str
    headers: Mapping[str, str]
    body: bytes


@attrs.frozen(kw_only=True)
class Endpoint:
    """An operation described as data: method, path template, parameters, types, headers.

    >>> MODIFY_RUN.method, MODIFY_RUN.path_template, MODIFY_RUN.deprecated
    ('POST', '/threads/{thread_id}/runs/{run_id}', True)
    >>> MODIFY_RUN.path(thread_id="thread 1", run_id="run/2")
    '/threads/thread%201/runs/run%2F2'
    >>> MODIFY_RUN.match('/threads/thread%201/runs/run%2F2')
    {'thread_id': 'thread 1', 'run_id': 'run/2'}
    """

    operation_id: str
    method: Literal["GET", "POST"]
    path_template: str
    path_params: tuple[str, ...]
    request_type: type[RunUpdateParams] | None
    response_type: type[Run]
    headers: Mapping[str, str]
    deprecated: bool

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

        >>> MODIFY_RUN.match("/v1/threads/t/runs/r", base_path="/v1")
        {'thread_id': 't', 'run_id': 'r'}
        >>> MODIFY_RUN.match("/threads/%ff/runs/r") is None
        True
        """
        return _match(self.path_template, path, base_path)


def _match(template: str, path: str, base_path: str) -> dict[str, str] | None:
    from urllib.parse import unquote

    if not isinstance(path, str):
        return None
    path = path.split("?", 1)[0]
    base = base_path.rstrip("/")
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


_JSON_HEADERS: Final[FrozenMap[str]] = FrozenMap(
    {"Content-Type": "application/json", "OpenAI-Beta": "assistants=v2"}
)

MODIFY_RUN: Final = Endpoint(
    operation_id="modifyRun",
    method="POST",
    path_template="/threads/{thread_id}/runs/{run_id}",
    path_params=("thread_id", "run_id"),
    request_type=RunUpdateParams,
    response_type=Run,
    headers=_JSON_HEADERS,
    deprecated=True,
)
"""Modify run: ``POST /threads/{thread_id}/runs/{run_id}`` with ``{"metadata": ...}``."""

RETRIEVE_RUN: Final = Endpoint(
    operation_id="getRun",
    method="GET",
    path_template="/threads/{thread_id}/runs/{run_id}",
    path_params=("thread_id", "run_id"),
    request_type=None,
    response_type=Run,
    headers=FrozenMap[str]({"OpenAI-Beta": "assistants=v2"}),
    deprecated=True,
)
"""Retrieve run: ``GET /threads/{thread_id}/runs/{run_id}``, answering a Run."""


@deprecated(
    "Modify run is deprecated upstream (the Assistants API was shut down on 2026-08-26)",
    category=None,
)
def modify_run(
    thread_id: str,
    run_id: str,
    *,
    metadata: Mapping[str, str] | Unset | None = UNSET,
    extra_body: Mapping[str, Any] | None = None,
) -> Request:
    """Build a Modify run request.

    ``metadata`` omitted sends ``{}`` (no change), ``None`` sends ``{"metadata": null}``
    (clears it), a map sends the map; the 16/64/512 limits are checked (ValidationError with
    paths). ``extra_body`` adds keys the schema does not know, explicitly; it cannot override
    ``metadata``.

    >>> req = modify_run("thread_abc", "run_abc", metadata={"user_id": "u1"})
    >>> req.method, req.path, req.body
    ('POST', '/threads/thread_abc/runs/run_abc', b'{"metadata":{"user_id":"u1"}}')
    """
    path = MODIFY_RUN.path(thread_id=thread_id, run_id=run_id)
    params = RunUpdateParams(metadata=metadata)
    body: dict[str, Any] = {} if metadata is UNSET else {"metadata": params.metadata}
    if extra_body:
        body.update(_extra_body(extra_body, body))
    return Request(method="POST", path=path, headers=MODIFY_RUN.headers, body=orjson.dumps(body))


def _extra_body(extra_body: Mapping[str, Any], body: Mapping[str, Any]) -> dict[str, Any]:
    """``extra_body`` checked as JSON that goes out exactly as given (RequestError if not).

    Every value must be one JSON writes as it is: no NaN or infinity (orjson would send
    ``null``), no integer beyond 64 bits, no lone surrogate, string keys only; and no key the
    request already sets.
    """
    from ._kinds import Ctx, freeze_json, json_type

    if not isinstance(extra_body, Mapping):
        raise _request_error(("extra_body",), "type", "extra_body must be a mapping", extra_body)
    ctx = Ctx(strict=False, python=True)
    out: dict[str, Any] = {}
    for key, value in dict(extra_body).items():
        if not isinstance(key, str):
            ctx.add(("extra_body",), "type", f"keys must be strings, got {json_type(key)}", key)
            continue
        here = ("extra_body", key)
        if key in body or key == "metadata":
            ctx.add(
                here, "duplicate_key", "use the metadata argument, not extra_body, for it", value
            )
            continue
        out[key] = ctx.run(freeze_json, {key: value}, ("extra_body",), ctx)
    if ctx.count:
        raise RequestError(ctx.problems())
    return {k: v[k] for k, v in out.items()}


@deprecated(
    "Retrieve run is deprecated upstream (the Assistants API was shut down on 2026-08-26)",
    category=None,
)
def retrieve_run(thread_id: str, run_id: str) -> Request:
    """Build a Retrieve run request (``GET``, no body).

    >>> retrieve_run("thread_abc", "run_abc").path
    '/threads/thread_abc/runs/run_abc'
    """
    path = RETRIEVE_RUN.path(thread_id=thread_id, run_id=run_id)
    return Request(method="GET", path=path, headers=RETRIEVE_RUN.headers, body=b"")


def parse_run_response(
    status: int, body: bytes | bytearray | memoryview | str, *, strict: bool = False
) -> Run:
    """Turn an HTTP response into a Run, or raise.

    A 2xx body is decoded as a Run (lenient by default): a body that is not a run raises
    DecodeError or ValidationError like :func:`runschema.loads`. Any other status raises
    :class:`APIError` with the OpenAI error fields when the body has them. ``body`` may be any
    type :func:`runschema.loads` takes.
    """
    if 200 <= status < 300:
        return loads(body, Run, strict=strict)
    raise _api_error(status, body)


def _api_error(status: int, body: Any) -> APIError:
    if isinstance(body, (bytes, bytearray, memoryview)):
        raw = bytes(body).decode("utf-8", "replace")
    elif isinstance(body, str):
        raw = str(body)
    else:
        raw = ""
    cut = excerpt(raw)
    try:
        doc = parse_json(body)
    except SchemaError:
        return APIError(status, body_excerpt=cut)
    err = doc.get("error") if type(doc) is dict else None
    if type(err) is not dict:
        return APIError(status, body_excerpt=cut)

    def text(key: str) -> str | None:
        v = err.get(key)
        return v if type(v) is str else None

    from ._kinds import BAD, Ctx, freeze_json

    ctx = Ctx(strict=False)
    kept = ctx.run(freeze_json, err, ("error",), ctx)
    return APIError(
        status,
        message=text("message") or "",
        type=text("type"),
        param=text("param"),
        code=text("code"),
        body_excerpt=cut,
        error=None if kept is BAD else kept,
    )


def apply_update(run: Run, params: RunUpdateParams) -> Run:
    """The Modify run semantics, for a service: the run as the request leaves it.

    ``metadata`` UNSET keeps the run's metadata, ``None`` clears it, a map replaces it whole.
    Everything else is kept, including what a lenient decode remembered (unknown keys, keys
    that were absent).

    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> apply_update(run, RunUpdateParams(metadata={"k": "v"})).metadata
    FrozenMap({'k': 'v'})
    >>> apply_update(run, RunUpdateParams()) is run
    True
    """
    if params.metadata is UNSET:
        return run
    return attrs.evolve(run, metadata=params.metadata)


def validate_modify_run_request(body: bytes | str) -> RunUpdateParams:
    """Validate a Modify run request body strictly, as a service receives it.

    Unknown keys are ``unknown_field`` (the schema says ``additionalProperties: false``),
    metadata limits are enforced. Answer a failure with ``err.to_openai_error()`` and a 400.

    >>> validate_modify_run_request(b'{"metadata": null}').metadata is None
    True
    """
    return loads(body, RunUpdateParams, strict=True)
