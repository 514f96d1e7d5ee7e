"""Modify run and Retrieve run: the two operations as data, and their helpers.

Each operation is one declaration on the generic :class:`runschema.Endpoint` (``_endpoints``).
The functions here are thin wrappers kept for their callers: :func:`modify_run` and
:func:`retrieve_run` build requests, :func:`parse_run_response` reads a response,
:func:`validate_modify_run_request` reads a body as a service does, and :func:`apply_update`
applies a modification to a stored run.
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


from ._endpoints import Endpoint, Request
from ._models import Run, RunUpdateParams
from ._values import UNSET, Unset

__all__ = [
    "MODIFY_RUN",
    "RETRIEVE_RUN",
    "apply_update",
    "modify_run",
    "parse_run_response",
    "retrieve_run",
    "validate_modify_run_request",
]

MODIFY_RUN: Final = Endpoint[RunUpdateParams, Run](
    operation_id="modifyRun",
    method="POST",
    path_template="/threads/{thread_id}/runs/{run_id}",
    request_type=RunUpdateParams,
    response_type=Run,
)
"""Modify run: ``POST /threads/{thread_id}/runs/{run_id}`` with ``{"metadata": ...}``."""

RETRIEVE_RUN: Final = Endpoint[None, Run](
    operation_id="getRun",
    method="GET",
    path_template="/threads/{thread_id}/runs/{run_id}",
    request_type=None,
    response_type=Run,
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
    status: int, body: bytes | bytearray | memoryview | str, *, strict: bool = False
) -> Run:
    """Turn an HTTP response into a Run, or raise (``RETRIEVE_RUN.parse_response``).

    A 2xx body is decoded as a Run (lenient by default): a body that is not a run raises
    DecodeError or ValidationError like :func:`runschema.loads`. Any other status raises
    :class:`runschema.APIError` with the OpenAI error fields when the body has them. ``body``
    may be any type :func:`runschema.loads` takes.
    """
    return RETRIEVE_RUN.parse_response(status, body, strict=strict)


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
    if params.metadata is UNSET:
        return run
    return attrs.evolve(run, metadata=params.metadata)
