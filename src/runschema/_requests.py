"""The nine run operations as data, the router that finds them, and thin wrappers.

Each operation is one declaration on the generic :class:`runschema.Endpoint` (``_endpoints``),
all of them in :data:`ENDPOINTS`; :func:`route` finds the one a request is for. The functions
kept for their callers are thin wrappers: :func:`modify_run` and :func:`retrieve_run` build
requests, :func:`parse_run_response` reads a response, :func:`validate_modify_run_request`
reads a body as a service does, and :func:`apply_update` applies a modification to a stored
run.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

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


from ._bodies import (
    CreateRunParams,
    CreateRunQuery,
    CreateThreadAndRunParams,
    ListRunsParams,
    ListRunStepsParams,
    RetrieveRunStepQuery,
    SubmitToolOutputsParams,
)
from ._endpoints import Endpoint, Request, wire_text
from ._models import Run, RunUpdateParams
from ._pages import RunList, RunStepList
from ._steps import RunStep
from ._values import UNSET, FrozenMap, Unset, expect

__all__ = [
    "CANCEL_RUN",
    "CREATE_RUN",
    "CREATE_THREAD_AND_RUN",
    "ENDPOINTS",
    "LIST_RUNS",
    "LIST_RUN_STEPS",
    "MODIFY_RUN",
    "RETRIEVE_RUN",
    "RETRIEVE_RUN_STEP",
    "SUBMIT_TOOL_OUTPUTS",
    "Route",
    "apply_update",
    "modify_run",
    "parse_run_response",
    "retrieve_run",
    "route",
    "validate_modify_run_request",
]

CREATE_RUN: Final = Endpoint[CreateRunParams, CreateRunQuery, Run](
    operation_id="createRun",
    method="POST",
    path_template="/threads/{thread_id}/runs",
    request_type=CreateRunParams,
    query_type=CreateRunQuery,
    response_type=Run,
)
"""Create run: ``POST /threads/{thread_id}/runs``, answering a Run (or, with ``stream``, the
run's events)."""

CREATE_THREAD_AND_RUN: Final = Endpoint[CreateThreadAndRunParams, None, Run](
    operation_id="createThreadAndRun",
    method="POST",
    path_template="/threads/runs",
    request_type=CreateThreadAndRunParams,
    response_type=Run,
)
"""Create thread and run: ``POST /threads/runs``."""

LIST_RUNS: Final = Endpoint[None, ListRunsParams, RunList](
    operation_id="listRuns",
    method="GET",
    path_template="/threads/{thread_id}/runs",
    request_type=None,
    query_type=ListRunsParams,
    response_type=RunList,
)
"""List runs: ``GET /threads/{thread_id}/runs``, answering a page of runs."""

RETRIEVE_RUN: Final = Endpoint[None, None, Run](
    operation_id="getRun",
    method="GET",
    path_template="/threads/{thread_id}/runs/{run_id}",
    request_type=None,
    response_type=Run,
)
"""Retrieve run: ``GET /threads/{thread_id}/runs/{run_id}``, answering a Run."""

MODIFY_RUN: Final = Endpoint[RunUpdateParams, None, Run](
    operation_id="modifyRun",
    method="POST",
    path_template="/threads/{thread_id}/runs/{run_id}",
    request_type=RunUpdateParams,
    response_type=Run,
)
"""Modify run: ``POST /threads/{thread_id}/runs/{run_id}`` with ``{"metadata": ...}``."""

CANCEL_RUN: Final = Endpoint[None, None, Run](
    operation_id="cancelRun",
    method="POST",
    path_template="/threads/{thread_id}/runs/{run_id}/cancel",
    request_type=None,
    response_type=Run,
)
"""Cancel run: ``POST /threads/{thread_id}/runs/{run_id}/cancel`` (no body)."""

SUBMIT_TOOL_OUTPUTS: Final = Endpoint[SubmitToolOutputsParams, None, Run](
    operation_id="submitToolOuputsToRun",  # sic: the spec's operationId
    method="POST",
    path_template="/threads/{thread_id}/runs/{run_id}/submit_tool_outputs",
    request_type=SubmitToolOutputsParams,
    response_type=Run,
)
"""Submit tool outputs: ``POST /threads/{thread_id}/runs/{run_id}/submit_tool_outputs``."""

LIST_RUN_STEPS: Final = Endpoint[None, ListRunStepsParams, RunStepList](
    operation_id="listRunSteps",
    method="GET",
    path_template="/threads/{thread_id}/runs/{run_id}/steps",
    request_type=None,
    query_type=ListRunStepsParams,
    response_type=RunStepList,
)
"""List run steps: ``GET /threads/{thread_id}/runs/{run_id}/steps``."""

RETRIEVE_RUN_STEP: Final = Endpoint[None, RetrieveRunStepQuery, RunStep](
    operation_id="getRunStep",
    method="GET",
    path_template="/threads/{thread_id}/runs/{run_id}/steps/{step_id}",
    request_type=None,
    query_type=RetrieveRunStepQuery,
    response_type=RunStep,
)
"""Retrieve run step: ``GET /threads/{thread_id}/runs/{run_id}/steps/{step_id}``."""

#: Every run operation, by the spec's operationId.
ENDPOINTS: Final[Mapping[str, Endpoint[Any, Any, Any]]] = FrozenMap(
    {
        e.operation_id: e
        for e in (
            CREATE_RUN,
            CREATE_THREAD_AND_RUN,
            LIST_RUNS,
            RETRIEVE_RUN,
            MODIFY_RUN,
            CANCEL_RUN,
            SUBMIT_TOOL_OUTPUTS,
            LIST_RUN_STEPS,
            RETRIEVE_RUN_STEP,
        )
    }
)


@attrs.frozen(kw_only=True)
class Route:
    """Where a request goes (see :func:`route`): its endpoint and path parameters.

    ``endpoint`` is None when the path is known but not with the request's method: answer 405
    with ``Allow: {", ".join(allowed)}``.
    """

    endpoint: Endpoint[Any, Any, Any] | None
    params: Mapping[str, str]
    allowed: tuple[str, ...]


def _specificity(e: Endpoint[Any, Any, Any]) -> tuple[int, ...]:
    # literal segments before parameters, segment by segment
    return tuple(1 if s.startswith("{") else 0 for s in e.path_template.split("/"))


#: Endpoints in the order a path is matched against them (literal segments first).
_ROUTES: Final = tuple(sorted(ENDPOINTS.values(), key=_specificity))


def route(method: str | bytes, path: str | bytes, *, base_path: str = "/v1") -> Route | None:
    """The run operation a request is for (service side), or None for an unknown path (404).

    ``path`` is the request's target as sent, still percent-encoded (its query string is
    ignored): ``http.server``'s ``self.path``, an ASGI scope's ``raw_path`` (bytes, read as
    ISO-8859-1, as is a method given as bytes), not its ``path``, which the server has
    decoded already: an id holding ``%2F`` or ``%25`` would then name another resource,
    or none (found by a server author's ASGI trial). ``base_path`` is what comes before
    the operations' paths: ``/v1`` for the OpenAI clients' ``base_url``, ``/openai`` for
    ``AzureOpenAI(azure_endpoint=...)``.

    Literal segments are matched before parameters (``POST /threads/runs`` is Create thread
    and run, never a thread whose id is ``runs``); a known path with another method gives a
    Route whose ``endpoint`` is None (405). Never raises for any ``str`` or ``bytes``.

    >>> r = route("POST", "/v1/threads/thread_1/runs/run_1/cancel")
    >>> r.endpoint.operation_id, dict(r.params)
    ('cancelRun', {'thread_id': 'thread_1', 'run_id': 'run_1'})
    >>> route("DELETE", "/v1/threads/t/runs").allowed
    ('GET', 'POST')
    >>> route("GET", "/v1/nothing") is None
    True
    """
    path, method = wire_text(path), wire_text(method)
    found: dict[str, tuple[Endpoint[Any, Any, Any], dict[str, str]]] = {}
    for e in _ROUTES:
        params = e.match(path, base_path=base_path)
        if params is not None and e.method not in found:
            if found and params != next(iter(found.values()))[1]:
                continue  # another path shape (a parameter where the first had a literal)
            found[e.method] = (e, params)
    if not found:
        return None
    allowed = tuple(sorted(found))
    hit = found.get(method) if isinstance(method, str) else None  # methods are case-sensitive
    if hit is None:
        return Route(
            endpoint=None, params=FrozenMap(next(iter(found.values()))[1]), allowed=allowed
        )
    return Route(endpoint=hit[0], params=FrozenMap(hit[1]), allowed=allowed)


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
    """Build a Modify run request (``MODIFY_RUN.request``, by its fields).

    ``metadata`` omitted sends ``{}`` (no change), ``None`` sends ``{"metadata": null}``
    (clears it), a map sends the map; the 16/64/512 limits are checked (ValidationError with
    paths). ``extra_body`` adds keys the schema does not know, explicitly; it cannot override
    ``metadata``.

    >>> req = modify_run("thread_abc", "run_abc", metadata={"user_id": "u1"})
    >>> req.method, req.path, req.body
    ('POST', '/threads/thread_abc/runs/run_abc', b'{"metadata":{"user_id":"u1"}}')
    """
    MODIFY_RUN.path(thread_id=thread_id, run_id=run_id)  # bad ids are reported first
    body = RunUpdateParams(metadata=metadata)
    return MODIFY_RUN.request(body, extra_body=extra_body, thread_id=thread_id, run_id=run_id)


@deprecated(
    "Retrieve run is deprecated upstream (the Assistants API was shut down on 2026-08-26)",
    category=None,
)
def retrieve_run(thread_id: str, run_id: str) -> Request:
    """Build a Retrieve run request (``GET``, no body).

    >>> retrieve_run("thread_abc", "run_abc").path
    '/threads/thread_abc/runs/run_abc'
    """
    return RETRIEVE_RUN.request(thread_id=thread_id, run_id=run_id)


def parse_run_response(
    status: int,
    body: bytes | bytearray | memoryview | str,
    *,
    strict: bool = False,
    headers: Mapping[str, str] | None = None,
) -> Run:
    """Turn an HTTP response into a Run, or raise (``RETRIEVE_RUN.parse_response``).

    A 2xx body is decoded as a Run (lenient by default): a body that is not a run raises
    DecodeError or ValidationError like :func:`runschema.loads`. Any other status raises
    :class:`runschema.APIError` with the OpenAI error fields when the body has them (and
    ``headers``, when given). ``body`` may be any type :func:`runschema.loads` takes.
    """
    return RETRIEVE_RUN.parse_response(status, body, strict=strict, headers=headers)


def validate_modify_run_request(body: bytes | str) -> RunUpdateParams:
    """Validate a Modify run request body strictly, as a service receives it
    (``MODIFY_RUN.parse_request``).

    Unknown keys are ``unknown_field`` (the schema says ``additionalProperties: false``),
    metadata limits are enforced. Answer a failure with ``err.to_openai_error()`` and a 400.

    >>> validate_modify_run_request(b'{"metadata": null}').metadata is None
    True
    """
    return MODIFY_RUN.parse_request(body)


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
    expect(run, Run, "run")
    expect(params, RunUpdateParams, "params")
    if params.metadata is UNSET:
        return run
    return attrs.evolve(run, metadata=params.metadata)
