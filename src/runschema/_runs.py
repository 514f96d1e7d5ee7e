"""What a server of the runs resource would otherwise write by hand: pages, the run's state
machine, and the error answers of the upstream API.

Sans-I/O like the rest: values in, values (or :class:`runschema.Response`) out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Final, TypeVar, overload

from ._bodies import ListRunsParams, ListRunStepsParams, SubmitToolOutputsParams
from ._endpoints import Response, error_response
from ._errors import ErrorDetail, ValidationError, quoted
from ._models import FunctionToolCall, RequiredAction, Run, RunStatus, ToolCall
from ._pages import RunList, RunStepList
from ._steps import RunStep
from ._structure import validate
from ._values import UNSET, ReadOnlyDict, UnknownValue

__all__ = [
    "POLL_STOP_STATUSES",
    "RUN_TRANSITIONS",
    "TERMINAL_STATUSES",
    "active_run",
    "can_transition",
    "cannot_cancel",
    "check_tool_outputs",
    "method_not_allowed",
    "not_awaiting_tool_outputs",
    "not_found",
    "paginate",
    "rate_limited",
    "server_error",
    "unknown_route",
]

T = TypeVar("T", Run, RunStep)

#: The default page size of the list operations.
DEFAULT_LIMIT: Final = 20


@overload
def paginate(items: Sequence[Run], params: ListRunsParams) -> RunList: ...
@overload
def paginate(items: Sequence[RunStep], params: ListRunStepsParams) -> RunStepList: ...
def paginate(items: Sequence[Any], params: ListRunsParams | ListRunStepsParams) -> Any:
    """One page of a list operation's answer, as the upstream API pages.

    ``items`` are all the runs of a thread (or steps of a run), in any order; they are ordered
    by ``created_at`` (then ``id``), newest first unless ``order`` is ``asc``. ``after`` starts
    the page after the item of that id; ``before`` ends it before the item of that id (the
    ``limit`` items nearest it; with ``after`` too, the first ``limit`` items between the
    two); ``limit`` is 20 unless given (a ValidationError outside 1..100). ``has_more`` says
    whether items are left beyond the page in the direction of travel, so the official
    clients, which ask for the next page with ``after`` set to the last item's id until
    ``has_more`` is false, see every item once. A cursor that names no item gives an empty page.
    Two items with one id are a ValueError: a cursor naming that id names no one place, and
    clients following it could see pages again and again.

    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> page = paginate([run], runschema.ListRunsParams(limit=1))
    >>> page.first_id, page.last_id, page.has_more
    ('run_abc123', 'run_abc123', False)
    """
    if not isinstance(params, (ListRunsParams, ListRunStepsParams)):
        name = type(params).__name__
        raise TypeError(f"params is ListRunsParams or ListRunStepsParams, not {name}")
    cls = RunStep if isinstance(params, ListRunStepsParams) else Run
    wrong = next((x for x in items if not isinstance(x, cls)), None)
    if wrong is not None or isinstance(items, (str, bytes)):
        what = type(wrong if wrong is not None else items).__name__
        raise TypeError(f"{type(params).__name__} pages {cls.__name__}s, not {what}")
    validate(params, strict=True)  # a limit out of 1..100 built in Python, say
    limit = DEFAULT_LIMIT if params.limit is UNSET else params.limit
    ordered = sorted(items, key=lambda x: (x.created_at, x.id))
    if params.order != "asc":
        ordered.reverse()
    ids = [x.id for x in ordered]
    if len(set(ids)) != len(ids):
        twice = next(i for i, n in Counter(ids).items() if n > 1)
        raise ValueError(f"two items have the id {twice!r}: a cursor could not name one place")
    lo, hi = 0, len(ordered)
    if params.after is not UNSET:
        start = _index(ids, params.after)
        lo = len(ordered) if start is None else start + 1
    if params.before is not UNSET:
        end = _index(ids, params.before)
        hi = 0 if end is None else end
    rest = ordered[lo:hi]
    nearest_before = params.before is not UNSET and params.after is UNSET
    data = rest[-limit:] if nearest_before else rest[:limit]
    has_more = len(rest) > limit
    page = RunStepList if isinstance(params, ListRunStepsParams) else RunList
    first = data[0].id if data else None
    last = data[-1].id if data else None
    return page(data=tuple(data), first_id=first, last_id=last, has_more=has_more)


def _index(ids: list[str], cursor: str) -> int | None:
    try:
        return ids.index(cursor)
    except ValueError:
        return None


# --- the run's state machine --------------------------------------------------------------

#: The statuses a run ends in: nothing follows them.
TERMINAL_STATUSES: Final[frozenset[RunStatus]] = frozenset(
    {"cancelled", "failed", "completed", "incomplete", "expired"}
)

#: The statuses the official clients' poll helper stops on: the terminal ones, and
#: ``requires_action`` (the caller must submit tool outputs).
POLL_STOP_STATUSES: Final[frozenset[RunStatus]] = TERMINAL_STATUSES | {"requires_action"}

#: Each status and the statuses a run may move to from it.
RUN_TRANSITIONS: Final[Mapping[RunStatus, frozenset[RunStatus]]] = ReadOnlyDict(
    {
        "queued": frozenset({"in_progress", "cancelling", "cancelled", "failed", "expired"}),
        "in_progress": frozenset(
            {"requires_action", "cancelling", "completed", "failed", "incomplete", "expired"}
        ),
        "requires_action": frozenset({"queued", "in_progress", "cancelling", "failed", "expired"}),
        "cancelling": frozenset({"cancelled", "completed", "failed", "incomplete", "expired"}),
        **dict.fromkeys(TERMINAL_STATUSES, frozenset()),
    }
)


def can_transition(old: RunStatus | UnknownValue, new: RunStatus | UnknownValue) -> bool:
    """Whether a run may move from ``old`` to ``new`` (staying is always allowed; a status
    this version does not know allows nothing else).

    >>> can_transition("in_progress", "requires_action"), can_transition("completed", "queued")
    (True, False)
    """
    if old == new:
        return True
    if isinstance(old, UnknownValue) or isinstance(new, UnknownValue):
        return False
    return new in RUN_TRANSITIONS.get(old, frozenset())


# --- error answers ------------------------------------------------------------------------


def not_found(what: str, id: str) -> Response:
    """404: ``No run found with id 'run_x'.`` (``what``: ``run``, ``thread``, ``run step``)."""
    return error_response(404, f"No {what} found with id '{id}'.")


def active_run(thread_id: str, run_id: str) -> Response:
    """400: the thread already has a run in progress, which must end first (as upstream
    answered it: the official client raises ``BadRequestError``).

    >>> import orjson, runschema
    >>> r = runschema.active_run("thread_1", "run_1")
    >>> r.status, orjson.loads(r.body)["error"]["message"]
    (400, 'Thread thread_1 already has an active run run_1.')
    """
    return error_response(400, f"Thread {thread_id} already has an active run {run_id}.")


def cannot_cancel(run: Run) -> Response:
    """400 for cancelling a run that can no longer be cancelled (see :func:`can_transition`
    with ``"cancelling"``): ``Cannot cancel run with status 'completed'.``"""
    return error_response(400, f"Cannot cancel run with status '{_status_text(run)}'.")


def not_awaiting_tool_outputs(run: Run) -> Response:
    """400 for tool outputs submitted to a run that is not waiting for them (its status is
    not ``requires_action``): ``Runs in status "completed" do not accept tool outputs.``"""
    return error_response(400, f'Runs in status "{_status_text(run)}" do not accept tool outputs.')


def _call_id(call: ToolCall) -> str | None:
    """A tool call's id (one of a type this version does not know has it in its data)."""
    if isinstance(call, FunctionToolCall):
        return call.id
    found = call.data.get("id")
    return found if isinstance(found, str) else None


def _status_text(run: Run) -> str:
    status = run.status
    return status.value if isinstance(status, UnknownValue) else status


def check_tool_outputs(run: Run, params: SubmitToolOutputsParams) -> None:
    """ValidationError unless ``params`` answer the tool calls ``run`` waits on
    (``run.required_action``): each output names one of them, none twice, and every one is
    answered. Answer it with :func:`runschema.bad_request`; a run not waiting at all is
    :func:`not_awaiting_tool_outputs`.

    >>> import attrs, runschema
    >>> call = runschema.FunctionToolCall(
    ...     id="call_1", function=runschema.FunctionToolCallFunction(name="f", arguments="{}"))
    >>> waits = runschema.RequiredAction(
    ...     submit_tool_outputs=runschema.SubmitToolOutputs(tool_calls=(call,)))
    >>> run = attrs.evolve(runschema.loads(runschema.seed_example(), runschema.Run),
    ...                    status="requires_action", required_action=waits)
    >>> try:
    ...     runschema.check_tool_outputs(run, runschema.SubmitToolOutputsParams(
    ...         tool_outputs=(runschema.ToolOutput(tool_call_id="call_2", output="1"),)))
    ... except runschema.ValidationError as e:
    ...     for problem in e.errors:
    ...         print(problem)
    $.tool_outputs[0].tool_call_id: the run waits on no tool call 'call_2' [unknown_tool_call]
    $.tool_outputs: no tool output for the call 'call_1' [missing_tool_output]
    """
    action = run.required_action
    calls = action.submit_tool_outputs.tool_calls if isinstance(action, RequiredAction) else ()
    ids = [_call_id(call) for call in calls]
    waiting = {i for i in ids if i is not None}
    problems: list[ErrorDetail] = []
    answered: set[str] = set()
    for i, output in enumerate(params.tool_outputs):
        call_id = output.tool_call_id
        loc = ("tool_outputs", i, "tool_call_id")
        if not isinstance(call_id, str):
            message = "a tool output names the call it answers"
            problems.append(ErrorDetail(loc=loc, code="missing", message=message))
        elif call_id not in waiting:
            message = f"the run waits on no tool call {quoted(call_id)}"
            problems.append(
                ErrorDetail(loc=loc, code="unknown_tool_call", message=message, input=call_id)
            )
        elif call_id in answered:
            message = f"a second tool output for the call {quoted(call_id)}"
            problems.append(
                ErrorDetail(loc=loc, code="duplicate_tool_call", message=message, input=call_id)
            )
        else:
            answered.add(call_id)
    for waited in ids:
        if waited is not None and waited not in answered and waited in waiting:
            message = f"no tool output for the call {quoted(waited)}"
            problems.append(
                ErrorDetail(loc=("tool_outputs",), code="missing_tool_output", message=message)
            )
            waiting.discard(waited)
    if problems:
        raise ValidationError(problems)


def rate_limited(retry_after: float, message: str = "Rate limit reached.") -> Response:
    """429, with ``Retry-After`` (whole seconds, rounded up, at least 1).

    ``retry_after`` is a finite number of seconds, not negative: TypeError for what is no
    number, ValueError for NaN, an infinity (which have no header form) or a negative number.
    """
    if isinstance(retry_after, bool) or not isinstance(retry_after, (int, float)):
        raise TypeError(f"retry_after is a number of seconds, not {type(retry_after).__name__}")
    if (isinstance(retry_after, float) and not math.isfinite(retry_after)) or retry_after < 0:
        raise ValueError(f"retry_after must be a finite number of seconds >= 0, not {retry_after}")
    seconds = max(1, math.ceil(retry_after))
    return error_response(
        429,
        message,
        type="requests",
        code="rate_limit_exceeded",
        headers={"Retry-After": str(seconds)},
    )


def server_error(
    message: str = "The server had an error while processing your request. Sorry about that!",
) -> Response:
    """500, as the API says it."""
    return error_response(500, message, type="server_error")


def method_not_allowed(method: str, path: str, allowed: str | Sequence[str]) -> Response:
    """405 for a known path asked with another method, with ``Allow`` (the methods the path
    has: a route's ``allowed``, or one method as a string)."""
    methods = (allowed,) if isinstance(allowed, str) else tuple(allowed)
    return error_response(
        405,
        f"Invalid method for URL ({method} {path}).",
        headers={"Allow": ", ".join(methods)},
    )


def unknown_route(method: str, path: str) -> Response:
    """404 for a path no operation has: ``Invalid URL (GET /v1/x)``."""
    return error_response(404, f"Invalid URL ({method} {path}).")
