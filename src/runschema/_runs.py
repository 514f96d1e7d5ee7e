"""What a server of the runs resource would otherwise write by hand: pages, the run's state
machine, and the error answers of the upstream API.

Sans-I/O like the rest: values in, values (or :class:`runschema.Response`) out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Final, TypeVar, get_args, overload

import attrs

from ._bodies import (
    CreateRunParams,
    CreateThreadAndRunParams,
    IncludeField,
    ListRunsParams,
    ListRunStepsParams,
    SubmitToolOutputsParams,
)
from ._endpoints import Response, error_response, wire_text
from ._errors import ErrorCode, ErrorDetail, SchemaError, ValidationError, excerpt, quoted
from ._kinds import capped
from ._messages import Message, MessageContent, MessageIncompleteDetails, MessageStatus
from ._models import (
    FunctionToolCall,
    IncompleteDetails,
    LastError,
    RequiredAction,
    ResponseFormat,
    Run,
    RunStatus,
    Tool,
    ToolCall,
    TruncationStrategy,
    Usage,
)
from ._pages import RunList, RunStepList
from ._steps import (
    RunStep,
    RunStepLastError,
    RunStepStatus,
    StepDetails,
    StepFileSearchCall,
    ToolCallsDetails,
)
from ._structure import validate
from ._values import UNSET, FrozenMap, ReadOnlyDict, UnknownValue, Unset, enum_text, expect

__all__ = [
    "POLL_STOP_STATUSES",
    "RUN_TRANSITIONS",
    "TERMINAL_STATUSES",
    "RunDefaults",
    "active_run",
    "advance_message",
    "advance_run",
    "advance_step",
    "apply_include",
    "can_transition",
    "cannot_cancel",
    "check_tool_outputs",
    "method_not_allowed",
    "new_run",
    "not_awaiting_tool_outputs",
    "not_found",
    "paginate",
    "rate_limited",
    "server_error",
    "unknown_route",
]

T = TypeVar("T", Run, RunStep)
_G = TypeVar("_G")

#: The default page size of the list operations.
DEFAULT_LIMIT: Final = 20


def _created(item: Run | RunStep) -> datetime:
    return item.created_at


@overload
def paginate(items: Iterable[Run], params: ListRunsParams) -> RunList: ...
@overload
def paginate(items: Iterable[RunStep], params: ListRunStepsParams) -> RunStepList: ...
def paginate(items: Iterable[Any], params: ListRunsParams | ListRunStepsParams) -> Any:
    """One page of a list operation's answer, as the upstream API pages.

    ``items`` are all the runs of a thread (or steps of a run), in any iterable (a generator
    filtering a store will do: it is read once), in the order they were created where some
    share a second; they are ordered by ``created_at``, those of one second as given (found
    by a server author: ordered by id, random ids as upstream's put them out of creation
    order), newest first unless ``order`` is ``asc``. ``after`` starts
    the page after the item of that id; ``before`` ends it before the item of that id (the
    ``limit`` items nearest it; with ``after`` too, the first ``limit`` items between the
    two); ``limit`` is 20 unless given (a ValidationError outside 1..100). ``has_more`` says
    whether items are left beyond the page in the direction of travel, so the official
    clients, which ask for the next page with ``after`` set to the last item's id until
    ``has_more`` is false, see every item once, when their first request has no ``before``
    (with one, the official clients' auto-pagination adds ``after`` to it: the items between
    the two, none here, and it stops). A cursor that names no item gives an empty page
    (an empty cursor, ``?after=``, is refused by strict parsing: ``empty_id``).
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
    if isinstance(items, (str, bytes)):
        raise TypeError(
            f"{type(params).__name__} pages {cls.__name__}s, not {type(items).__name__}"
        )
    items = list(items)  # read once: a generator's items were spent by the check below
    wrong = next((x for x in items if not isinstance(x, cls)), None)
    if wrong is not None:
        what = type(wrong).__name__
        raise TypeError(f"{type(params).__name__} pages {cls.__name__}s, not {what}")
    validate(params, strict=True)  # a limit out of 1..100 built in Python, say
    limit = DEFAULT_LIMIT if params.limit is UNSET else params.limit
    ordered = sorted(items, key=_created)  # stable: one second's items keep their order
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
    if isinstance(params, ListRunStepsParams):
        data = [apply_include(x, params.include) for x in data]
    first = data[0].id if data else None
    last = data[-1].id if data else None
    return page(data=tuple(data), first_id=first, last_id=last, has_more=has_more)


#: The one value of ``include[]`` the spec has: the content of file search results.
(_RESULT_CONTENT,) = get_args(IncludeField)


def apply_include(step: RunStep, include: Iterable[str] | Unset = UNSET) -> RunStep:
    """The run step as an answer carries it given a query's ``include[]`` (List run steps,
    Retrieve run step, Create run): the content of its file search results only when that
    asks for it, as the upstream API answered (a store keeps it; found by a server author,
    whose answers carried it whatever the query said). :func:`paginate` applies its
    params' ``include``.

    >>> import runschema
    >>> query = runschema.RetrieveRunStepQuery(
    ...     include=("step_details.tool_calls[*].file_search.results[*].content",))
    >>> # answer runschema.apply_include(stored_step, query.include)
    """
    if not isinstance(step, RunStep):
        raise TypeError(f"apply_include takes a RunStep, not {type(step).__name__}")
    if include is not UNSET:
        if isinstance(include, (str, bytes)) or not isinstance(include, Iterable):
            raise TypeError(f"include is the query's tuple of strings, not {include!r:.80}")
        include = tuple(include)
        if not all(isinstance(x, str) for x in include):
            raise TypeError(f"include holds strings only, not {include!r:.80}")
        if _RESULT_CONTENT in include:
            return step
    details = step.step_details
    if not isinstance(details, ToolCallsDetails):
        return step
    calls = tuple(_without_content(call) for call in details.tool_calls)
    if all(a is b for a, b in zip(calls, details.tool_calls, strict=True)):
        return step
    return attrs.evolve(step, step_details=attrs.evolve(details, tool_calls=calls))


def _without_content(call: Any) -> Any:
    if not isinstance(call, StepFileSearchCall) or call.file_search.results is UNSET:
        return call
    results = call.file_search.results
    if all(r.content is UNSET for r in results):
        return call
    kept = tuple(attrs.evolve(r, content=UNSET) for r in results)
    return attrs.evolve(call, file_search=attrs.evolve(call.file_search, results=kept))


def _index(ids: list[str], cursor: str) -> int | None:
    try:
        return ids.index(cursor)
    except ValueError:
        return None


# --- a new run ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RunDefaults:
    """What a run takes from its assistant where the create body does not say: the
    assistant's model, instructions, tools, sampling and response format.

    >>> RunDefaults(model="gpt-4o").tools
    ()
    """

    model: str
    instructions: str | None = None
    tools: tuple[Tool, ...] = ()
    temperature: float | None = 1.0  # the spec's default for an assistant, and a run
    top_p: float | None = 1.0
    response_format: ResponseFormat | None = "auto"


#: What joins a run's instructions and a body's ``additional_instructions`` (the spec says
#: only that they are appended at the end).
INSTRUCTIONS_JOINER: Final = "\n\n"

#: The truncation strategy of a run whose body names none (the spec's default).
AUTO_TRUNCATION: Final = TruncationStrategy(type="auto", last_messages=None)


def new_run(
    body: CreateRunParams | CreateThreadAndRunParams,
    *,
    id: str,
    thread_id: str,
    created_at: datetime,
    defaults: RunDefaults,
    expires_at: datetime | None = None,
    joiner: str = INSTRUCTIONS_JOINER,
) -> Run:
    """The ``queued`` run a create request makes (create run, create thread and run), as
    the spec says a body's fields apply: each one given (and not ``null``) is the run's,
    others come from the assistant (``defaults``) or the spec's defaults (``metadata`` ``{}``,
    ``truncation_strategy`` ``auto``, ``tool_choice`` ``auto``, ``parallel_tool_calls`` true,
    no token limits). ``additional_instructions`` are appended to the instructions, after
    ``joiner`` when there are some. ``tool_resources`` (create thread and run) are kept.
    Every key of the published shape is written, ``null`` or not; the request's ``stream``,
    ``additional_messages`` and ``thread`` are the server's to act on. ``created_at`` and
    ``expires_at`` are aware datetimes (``datetime.now(timezone.utc)`` will do: the run's
    times are whole seconds, and microseconds are dropped).

    What the arguments cannot make a run of, in strict mode as :meth:`Endpoint.respond`
    checks it (a naive time, more than 20 tools from the defaults, an empty id, an
    ``expires_at`` before ``created_at``), is the server's ValueError, its ``__cause__`` the
    ValidationError: never a SchemaError, which a handler would answer as the client's 400.
    A ``joiner`` that is no string is a TypeError.

    >>> from datetime import datetime, timezone
    >>> import runschema
    >>> body = runschema.CreateRunParams(assistant_id="asst_1", additional_instructions="Be brief.")
    >>> run = runschema.new_run(
    ...     body, id="run_1", thread_id="thread_1", created_at=datetime.now(timezone.utc)
    ...     .replace(microsecond=0), defaults=RunDefaults(model="gpt-4o", instructions="Help."))
    >>> run.status, run.model, run.instructions, run.tool_choice
    ('queued', 'gpt-4o', 'Help.\\n\\nBe brief.', 'auto')
    """

    expect(body, (CreateRunParams, CreateThreadAndRunParams), "body")
    expect(defaults, RunDefaults, "defaults")
    if not isinstance(joiner, str):  # found by a user reading the docstrings: None was
        raise TypeError(f"joiner is a string, not {type(joiner).__name__}")  # written in
    for name, value in (("id", id), ("thread_id", thread_id)):
        if value == "":  # found by a server author: a run no request could name (empty_id)
            message = f"new_run's {name} is empty: a request cannot name an empty id"
            raise _not_made(message, (name,), "empty_id", value)
        if value in (".", ".."):  # nor a path segment of dots (found by a trial)
            message = f"new_run's {name} is {value!r}: a request cannot name a dot segment"
            raise _not_made(message, (name,), "dot_segment", value)

    def given(value: _G | Unset | None, default: _G) -> _G:
        return default if value is UNSET or value is None else value

    instructions = given(body.instructions, defaults.instructions)
    extra = body.additional_instructions if isinstance(body, CreateRunParams) else UNSET
    if isinstance(extra, str) and extra:
        instructions = f"{instructions}{joiner}{extra}" if instructions else extra
    resources = body.tool_resources if isinstance(body, CreateThreadAndRunParams) else UNSET
    tool_resources = UNSET if resources is None else resources
    try:
        run = Run(
            id=id,
            created_at=_whole_second(created_at),
            thread_id=thread_id,
            assistant_id=body.assistant_id,
            status="queued",
            expires_at=None if expires_at is None else _whole_second(expires_at),
            model=given(body.model, defaults.model),
            instructions=instructions,
            tools=given(body.tools, defaults.tools),
            tool_resources=tool_resources,
            metadata=given(body.metadata, FrozenMap()),
            temperature=given(body.temperature, defaults.temperature),
            top_p=given(body.top_p, defaults.top_p),
            max_prompt_tokens=given(body.max_prompt_tokens, None),
            max_completion_tokens=given(body.max_completion_tokens, None),
            truncation_strategy=given(body.truncation_strategy, AUTO_TRUNCATION),
            tool_choice=given(body.tool_choice, "auto"),
            parallel_tool_calls=given(body.parallel_tool_calls, True),
            response_format=given(body.response_format, defaults.response_format),
        )
        validate(run, strict=True)  # as respond() will check it: more than 20 tools, say
    except SchemaError as e:  # the server's arguments, not the client's body
        problems = "; ".join(str(d) for d in e.errors[:5])
        raise ValueError(f"new_run cannot make a run of its arguments: {problems}") from e
    if run.expires_at is not None and run.expires_at < run.created_at:
        # as advance_run refuses a time before creation (found by a server author)
        message = (
            f"new_run's expires_at ({run.expires_at.isoformat()}) is before its created_at "
            f"({run.created_at.isoformat()})"
        )
        raise _not_made(message, ("expires_at",), "out_of_range", expires_at)
    return run


def _not_made(message: str, loc: tuple[str, ...], code: ErrorCode, value: object) -> ValueError:
    """new_run's ValueError for its arguments, its ``__cause__`` the ValidationError that
    says the problem where it is (found by a user reading the docstrings: an empty id and
    a run expiring before it was made had none)."""
    error = ValueError(message)
    detail = ErrorDetail(loc=loc, code=code, message=message, input=excerpt(value))
    error.__cause__ = ValidationError([detail])
    return error


def _whole_second(when: datetime) -> datetime:
    """A time at whole seconds in UTC, as a run's times are (an offset may hold microseconds
    of its own); a naive time, or anything else, is the Run's to refuse."""
    if not isinstance(when, datetime):
        return when
    try:
        if when.utcoffset() is None:  # naive, tzinfo or not: astimezone would take it as local
            return when
        return when.astimezone(timezone.utc).replace(microsecond=0)
    except Exception:  # a tzinfo of the caller's own that fails, or an overflow:
        return when  # the Run says what is wrong with it


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
    if not (isinstance(old, str) and isinstance(new, str)):  # an UnknownValue, or no status
        return False
    return new in RUN_TRANSITIONS.get(old, frozenset())


#: Where each status a run moves to writes the time of the move.
_TIME_OF: Final[Mapping[str, str]] = ReadOnlyDict(
    {
        "in_progress": "started_at",
        "cancelled": "cancelled_at",
        "failed": "failed_at",
        "completed": "completed_at",
    }
)


def advance_run(
    run: Run,
    status: RunStatus,
    *,
    at: datetime,
    required_action: RequiredAction | None = None,
    last_error: LastError | None = None,
    incomplete_details: IncompleteDetails | None = None,
    usage: Usage | None = None,
) -> Run:
    """``run`` moved to ``status`` at ``at``, with the fields the spec moves with it, so that
    each run a server stores and sends is one a client expects (``attrs.evolve`` sets only
    what it is told).

    - The move must be one of :data:`RUN_TRANSITIONS`; staying where it is changes no time.
    - ``in_progress`` writes ``started_at`` (again after tool outputs, as upstream did);
      ``cancelled``, ``failed`` and ``completed`` write their own time; ``expired`` writes
      ``expires_at`` unless the run said an earlier one; ``incomplete`` has no time in the
      spec.
    - ``requires_action`` takes ``required_action`` (what the run waits on); every other
      status clears it. ``failed`` takes ``last_error``, ``incomplete`` takes
      ``incomplete_details``; neither is given for another status.
    - A terminal status clears ``expires_at`` (upstream's finished runs expire no more) and
      may set ``usage``, which a run holds only then.

    What cannot be (a move the state machine forbids, a missing or misplaced argument, one a
    strict client refuses, a naive time or one before the run was created or last started) is
    the server's ValueError, as for :func:`new_run`; a dict where a model goes is a TypeError.
    Times lose their microseconds.
    The run is otherwise as it was: a run read leniently keeps what it kept, and
    :meth:`Endpoint.respond` checks what goes out.

    >>> from datetime import datetime, timedelta
    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> queued = attrs.evolve(run, status="queued", completed_at=None, usage=None)
    >>> started = advance_run(queued, "in_progress", at=run.created_at + timedelta(seconds=2))
    >>> started.status, started.started_at.isoformat()
    ('in_progress', '2023-11-04T05:17:54+00:00')
    >>> usage = runschema.Usage(prompt_tokens=5, completion_tokens=7, total_tokens=12)
    >>> done = advance_run(started, "completed", at=started.started_at, usage=usage)
    >>> done.completed_at == done.started_at, done.expires_at, done.usage.total_tokens
    (True, None, 12)
    """
    expect(run, Run, "run")
    old = run.status
    if not can_transition(old, status):
        raise ValueError(f"a run cannot move from {enum_text(old)} to {enum_text(status)}")
    given = {
        "required_action": (required_action, "requires_action"),
        "last_error": (last_error, "failed"),
        "incomplete_details": (incomplete_details, "incomplete"),
    }
    for name, (value, needs) in given.items():
        if value is not None:
            _argument(value, _TAKES[name], name, "advance_run")
        if value is not None and status != needs:
            raise ValueError(f"advance_run takes {name} for a {needs} run, not {status}")
        if value is None and status == needs and old != status:
            raise ValueError(f"a run moving to {status} needs {name}")
    terminal = status in TERMINAL_STATUSES
    if usage is not None:
        _argument(usage, Usage, "usage", "advance_run")
    if usage is not None and not terminal:
        raise ValueError(f"a run that is {status} has no usage: it is set when the run ends")
    when = _aware(at, "advance_run")
    last = max(t for t in (run.created_at, run.started_at) if t is not None)
    if when < last:
        raise ValueError(f"a run cannot move at {when.isoformat()}, before {last.isoformat()}")
    changes: dict[str, Any] = {"status": status}
    if old != status:
        if status != "requires_action":
            changes["required_action"] = None
        time = _TIME_OF.get(status)
        if time is not None:
            changes[time] = when
        if status == "expired":  # at the time it said, or earlier: then, now
            if run.expires_at is None or when < run.expires_at:
                changes["expires_at"] = when
        elif terminal:
            changes["expires_at"] = None
    for name, (value, _) in given.items():
        if value is not None:
            changes[name] = value
    if usage is not None:
        changes["usage"] = usage
    return _evolved(run, changes, "advance_run", "a run")


#: Where each status a run step ends in writes the time it ended.
_STEP_TIME_OF: Final[Mapping[str, str]] = ReadOnlyDict(
    {
        "completed": "completed_at",
        "failed": "failed_at",
        "cancelled": "cancelled_at",
        "expired": "expired_at",
    }
)


def advance_step(
    step: RunStep,
    status: RunStepStatus,
    *,
    at: datetime,
    last_error: RunStepLastError | None = None,
    usage: Usage | None = None,
    step_details: StepDetails | None = None,
) -> RunStep:
    """``step`` moved to ``status`` at ``at``, as :func:`advance_run` moves a run: a step is
    ``in_progress`` until it ends (``completed``, ``failed``, ``cancelled`` or ``expired``),
    which writes that status's time (``completed_at``, ...); ``failed`` takes ``last_error``;
    ``usage`` comes only as it ends; ``step_details`` replace the step's (a tool call's
    output once it is known). Staying where it is changes no time.

    A move from an end, a missing or misplaced argument, one a strict client refuses,
    ``step_details`` of another type than the step's, or a naive time or one before the step
    was created is the server's ValueError; a dict where a model goes is a TypeError.

    >>> from datetime import timedelta
    >>> import runschema
    >>> details = runschema.MessageCreationDetails(
    ...     message_creation=runschema.MessageCreation(message_id="msg_1"))
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> step = runschema.RunStep(id="step_1", created_at=run.created_at, assistant_id="asst_1",
    ...     thread_id="thread_1", run_id="run_1", type="message_creation",
    ...     status="in_progress", step_details=details)
    >>> done = advance_step(step, "completed", at=step.created_at + timedelta(seconds=1))
    >>> done.status, (done.completed_at - done.created_at).seconds
    ('completed', 1)
    """
    expect(step, RunStep, "step")
    if last_error is not None:
        _argument(last_error, RunStepLastError, "last_error", "advance_step")
    if usage is not None:
        _argument(usage, Usage, "usage", "advance_step")
        if not _known(status, _STEP_TIME_OF):
            raise ValueError(
                f"a run step that is {status} has no usage: it is set when the step ends"
            )
    if step_details is not None:
        _argument(step_details, get_args(StepDetails), "step_details", "advance_step")
        kind, new_kind = enum_text(step.type), str(step_details.type)
        if new_kind != kind:  # found by a server author: a tool_calls step's message
            raise ValueError(
                f"a {kind} step's step_details are of its type, not {new_kind}: clients "
                "read them by the step's type"
            )
    return _finish(
        step,
        status,
        at,
        ("run step", "advance_step", _STEP_TIME_OF),
        ("last_error", last_error, "failed"),
        {"usage": usage, "step_details": step_details},
    )


def advance_message(
    message: Message,
    status: MessageStatus,
    *,
    at: datetime,
    incomplete_details: MessageIncompleteDetails | None = None,
    content: Sequence[MessageContent] | None = None,
) -> Message:
    """``message`` moved to ``status`` at ``at``, as :func:`advance_run` moves a run: a
    message is ``in_progress`` until it is ``completed`` (which writes ``completed_at``) or
    ``incomplete`` (``incomplete_at``, with ``incomplete_details``); ``content`` replaces the
    message's (its whole text once it is done: what a stream's deltas made). Staying where it
    is changes no time.

    A move from an end, a missing or misplaced argument, one a strict client refuses, or a
    naive time or one before the message was created is the server's ValueError; a dict where
    a model goes is a TypeError.

    >>> from datetime import datetime, timezone
    >>> import runschema
    >>> now = datetime(2024, 3, 13, 12, tzinfo=timezone.utc)
    >>> msg = runschema.Message(id="msg_1", created_at=now, thread_id="thread_1",
    ...     status="in_progress", role="assistant", content=())
    >>> text = runschema.TextContentPart(text=runschema.MessageText(value="Hi", annotations=()))
    >>> done = advance_message(msg, "completed", at=now, content=[text])
    >>> done.status, done.completed_at == now, done.content[0].text.value
    ('completed', True, 'Hi')
    """
    expect(message, Message, "message")
    if incomplete_details is not None:
        _argument(incomplete_details, MessageIncompleteDetails, "incomplete_details", _WHO_M)
    parts: tuple[MessageContent, ...] | None = None
    if content is not None:
        if isinstance(content, (str, bytes, Mapping)) or not isinstance(content, Sequence):
            raise TypeError(f"content is a sequence of content parts, not {type(content).__name__}")
        parts = tuple(content)
        for part in parts:
            _argument(part, get_args(MessageContent), "content", _WHO_M)
    return _finish(
        message,
        status,
        at,
        ("message", _WHO_M, _MESSAGE_TIME_OF),
        ("incomplete_details", incomplete_details, "incomplete"),
        {"content": parts},
    )


_WHO_M: Final = "advance_message"

#: Where each status a message ends in writes the time it ended.
_MESSAGE_TIME_OF: Final[Mapping[str, str]] = ReadOnlyDict(
    {"completed": "completed_at", "incomplete": "incomplete_at"}
)


def untimed(value: Run | RunStep | Message) -> str | None:
    """The field that holds when ``value`` reached its end (``completed_at`` of a completed
    run, ``failed_at`` of a failed step, ``incomplete_at`` of an incomplete message), when it
    is null: a client reading the event for that end finds no time. None when it is set, or
    the status is no end with a time. (Not ``started_at``: the spec's own stream sends an
    ``in_progress`` run without it.)

    >>> import attrs, runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> untimed(run), untimed(attrs.evolve(run, completed_at=None))
    (None, 'completed_at')
    """
    table = (
        _TIME_OF
        if isinstance(value, Run)
        else _STEP_TIME_OF
        if isinstance(value, RunStep)
        else _MESSAGE_TIME_OF
    )
    status = value.status
    field = table.get(status) if isinstance(status, str) and status != "in_progress" else None
    return field if field is not None and getattr(value, field) is None else None


_Ends = TypeVar("_Ends", RunStep, Message)


def _known(status: object, table: Mapping[str, str]) -> bool:
    """Whether ``status`` is one of ``table``'s (False for what is no string at all)."""
    return isinstance(status, str) and status in table


def _finish(
    obj: _Ends,
    status: str,
    at: datetime,
    kind: tuple[str, str, Mapping[str, str]],
    need: tuple[str, object, str],
    given: Mapping[str, object],
) -> _Ends:
    """A run step or message (``in_progress`` until it ends) moved to ``status`` at ``at``.
    ``kind``: what it is, who asks, and the time each end writes; ``need``: the argument one
    end takes (its name, value, and that end); ``given``: what else replaces the object's own,
    when not None."""
    what, who, ends = kind
    old = obj.status
    if old != status and (old != "in_progress" or not _known(status, ends)):
        raise ValueError(f"a {what} cannot move from {enum_text(old)} to {enum_text(status)}")
    name, value, takes = need
    if value is not None and status != takes:
        raise ValueError(f"{who} takes {name} only when the {what} is {takes}, not {status}")
    if value is None and status == takes and old != status:
        raise ValueError(f"a {what} moving to {takes} needs {name}")
    when = _aware(at, who)
    if when < obj.created_at:
        raise ValueError(
            f"a {what} cannot move at {when.isoformat()}, before {obj.created_at.isoformat()}"
        )
    changes = {k: v for k, v in {**given, name: value}.items() if v is not None}
    changes["status"] = status
    time = ends.get(status)
    if time is not None and old != status:
        changes[time] = when
    return _evolved(obj, changes, who, f"a {what}")


def _evolved(obj: _G, changes: Mapping[str, Any], who: str, what: str) -> _G:
    """``attrs.evolve(obj, **changes)``; the constructor's refusal (its rules, as for every
    value built in Python) is the server's ValueError."""
    try:
        return attrs.evolve(obj, **changes)  # type: ignore[misc]
    except SchemaError as e:
        problems = "; ".join(str(d) for d in e.errors[:5])
        raise ValueError(f"{who} cannot make {what} of its arguments: {problems}") from e


def _argument(value: Any, cls: type[Any] | tuple[type[Any], ...], name: str, who: str) -> None:
    """TypeError unless ``value`` is a ``cls``; ValueError unless a strict client reads it (an
    unknown code, a bound broken): what the server puts in a run is its own to get right."""
    expect(value, cls, name)
    try:
        validate(value, strict=True)
    except SchemaError as e:
        problems = "; ".join(str(d) for d in e.errors[:5])
        raise ValueError(f"{who}'s {name} is not what a strict client reads: {problems}") from e


def _aware(at: datetime, who: str) -> datetime:
    """``at`` at whole seconds in UTC; ValueError for a naive time (a tzinfo that gives no
    offset too), one whose tzinfo fails, or what is no datetime."""
    when = _whole_second(at)
    if not isinstance(when, datetime) or when.tzinfo is not timezone.utc:
        raise ValueError(f"{who}'s at must be an aware datetime, not {at!r}")
    return when


_TAKES: Final[Mapping[str, type[Any]]] = ReadOnlyDict(
    {
        "required_action": RequiredAction,
        "last_error": LastError,
        "incomplete_details": IncompleteDetails,
    }
)


# --- error answers ------------------------------------------------------------------------


def not_found(what: str, id: str) -> Response:
    """404: ``No run found with id 'run_x'.`` (``what``: ``run``, ``thread``, ``run step``).

    The id comes from the request's path: one past 100 characters is cut (its start, then
    ``...``), so that the answer stays small whatever the client sent (found by a server
    author: a 1 MB id made a 1 MB answer).

    >>> import orjson, runschema
    >>> message = orjson.loads(runschema.not_found("run", "x" * 5000).body)["error"]["message"]
    >>> len(message), message[-8:]
    (127, "xxx...'.")
    """
    if not isinstance(what, str):
        raise TypeError(f"what is a string, not {type(what).__name__}")
    return error_response(404, f"No {what} found with id '{_shown(id, _SHOWN_ID, 'id')}'.")


#: The most of an id that :func:`not_found` shows.
_SHOWN_ID: Final = 100
#: The most of a method and of a path that :func:`unknown_route` and
#: :func:`method_not_allowed` show.
_SHOWN_METHOD: Final = 20
_SHOWN_PATH: Final = 200


def _shown(text: str, most: int, name: str) -> str:
    """``text``, cut to its first ``most`` characters and ``...`` when longer: what an answer
    quotes of a request stays small whatever the client sent. TypeError for what is no
    string (``name`` says which argument)."""
    if not isinstance(text, str):  # found by a user reading the docstrings: an id of 5 was
        # "object of type 'int' has no len()", a run_id of None written as "None"
        raise TypeError(f"{name} is a string, not {type(text).__name__}")
    return text if len(text) <= most else text[:most] + "..."


def active_run(thread_id: str, run_id: str) -> Response:
    """400: the thread already has a run in progress, which must end first (as upstream
    answered it: the official client raises ``BadRequestError``).

    >>> import orjson, runschema
    >>> r = runschema.active_run("thread_1", "run_1")
    >>> r.status, orjson.loads(r.body)["error"]["message"]
    (400, 'Thread thread_1 already has an active run run_1.')
    """
    thread, run = _shown(thread_id, _SHOWN_ID, "thread_id"), _shown(run_id, _SHOWN_ID, "run_id")
    return error_response(400, f"Thread {thread} already has an active run {run}.")


def can_cancel(run: Run) -> bool:
    """Whether a cancel moves ``run`` to ``cancelling`` (queued, in progress, waiting on
    tool outputs), where the server answers any other with :func:`cannot_cancel` (found by
    a server author, who wrote the test out: a run already ``cancelling`` may stay so, but
    a second cancel is refused, as upstream refused it).

    >>> import attrs, runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)  # completed
    >>> runschema.can_cancel(run), runschema.can_cancel(attrs.evolve(run, status="queued"))
    (False, True)
    """
    expect(run, Run, "run")
    return run.status != "cancelling" and can_transition(run.status, "cancelling")


def cannot_cancel(run: Run) -> Response:
    """400 for cancelling a run that can no longer be cancelled: ``Cannot cancel run with
    status 'completed'.`` A run :func:`can_cancel` says yes of (queued, in progress,
    waiting) is a ValueError: the server should cancel it."""
    if can_cancel(run):
        raise ValueError(f"run {run.id!r} ({enum_text(run.status)}) can be cancelled")
    return error_response(400, f"Cannot cancel run with status '{enum_text(run.status)}'.")


def not_awaiting_tool_outputs(run: Run) -> Response:
    """400 for tool outputs submitted to a run that is not waiting for them (its status is
    not ``requires_action``): ``Runs in status "completed" do not accept tool outputs.``
    A run that waits for them is a ValueError (see :func:`check_tool_outputs`)."""
    expect(run, Run, "run")
    if run.status == "requires_action":
        raise ValueError(f"run {run.id!r} waits for tool outputs")
    status = enum_text(run.status)
    return error_response(400, f'Runs in status "{status}" do not accept tool outputs.')


def _call_id(call: ToolCall) -> str | None:
    """A tool call's id (one of a type this version does not know has it in its data)."""
    if isinstance(call, FunctionToolCall):
        return call.id
    found = call.data.get("id")
    return found if isinstance(found, str) else None


def check_tool_outputs(run: Run, params: SubmitToolOutputsParams) -> dict[str, str]:
    """The outputs of ``params``, by the tool call each answers, in the order of the calls
    ``run`` waits on (``run.required_action``); ValidationError unless they answer those
    calls: each output names one of them, none twice, and carries its ``output`` (the spec
    leaves both keys optional, so parsing the body lets either be absent; a call answered
    with nothing is no answer: an empty string is one), and every call is answered. Answer
    the error with :func:`runschema.bad_request`. A run not waiting at all is a ValueError:
    answer it :func:`not_awaiting_tool_outputs` first. One waiting on a required action of
    a type this version does not know names no call it can check. (The answers are typed
    ``str``, where a ``ToolOutput``'s fields may be ``UNSET``: found by a server author, who
    checked, then narrowed again.)

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
    expect(run, Run, "run")
    expect(params, SubmitToolOutputsParams, "params")
    action = run.required_action
    if run.status != "requires_action":
        # found by a user reading the docstrings: an empty submission to a run waiting on
        # nothing was answered {}, a success
        raise ValueError(
            f"run {run.id!r} waits on no tool outputs (status {enum_text(run.status)!r}): "
            "answer not_awaiting_tool_outputs(run) before checking them"
        )
    # a required action of a type this version does not know (a lenient read kept it) names
    # no call it can check: each output is unknown_tool_call (found by a trial: a ValueError
    # here sent the server to not_awaiting_tool_outputs, whose ValueError sent it back)
    calls = action.submit_tool_outputs.tool_calls if isinstance(action, RequiredAction) else ()
    ids = [_call_id(call) for call in calls]
    waiting = {i for i in ids if i is not None}
    problems: list[ErrorDetail] = []
    answered: dict[str, str] = {}
    for i, output in enumerate(params.tool_outputs):
        if not isinstance(output.output, str):  # found by a server author: it passed
            message = "a tool output carries its output (an empty string for none)"
            problems.append(
                ErrorDetail(loc=("tool_outputs", i, "output"), code="missing", message=message)
            )
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
            answered[call_id] = output.output if isinstance(output.output, str) else ""
    for waited in dict.fromkeys(i for i in ids if i is not None):  # each once, in order
        if waited not in answered:
            message = f"no tool output for the call {quoted(waited)}"
            problems.append(
                ErrorDetail(loc=("tool_outputs",), code="missing_tool_output", message=message)
            )
    if problems:
        raise ValidationError(capped(problems))  # as a check lists them (found by a server author)
    return {waited: answered[waited] for waited in dict.fromkeys(i for i in ids if i is not None)}


def rate_limited(retry_after: float, message: str = "Rate limit reached.") -> Response:
    """429, with ``Retry-After`` (whole seconds, rounded up, at least 1) and, for a wait of
    a minute at most, ``retry-after-ms`` (rounded up), which the official clients read first
    (found by a server author: ``rate_limited(0.2)`` made them wait a second).

    >>> import runschema
    >>> runschema.rate_limited(0.2).headers["retry-after-ms"]
    '200'

    ``retry_after`` is a finite number of seconds, not negative: TypeError for what is no
    number, ValueError for NaN, an infinity (which have no header form) or a negative number.
    """
    if isinstance(retry_after, bool) or not isinstance(retry_after, (int, float)):
        raise TypeError(f"retry_after is a number of seconds, not {type(retry_after).__name__}")
    if (isinstance(retry_after, float) and not math.isfinite(retry_after)) or retry_after < 0:
        raise ValueError(f"retry_after must be a finite number of seconds >= 0, not {retry_after}")
    seconds = max(1, math.ceil(retry_after))
    try:
        text = str(seconds)
    except ValueError:  # beyond what Python writes as digits (4,300 by default)
        raise ValueError("retry_after is too many seconds to write as a header") from None
    headers = {"Retry-After": text}
    if 0 < retry_after <= 60:  # the clients take a wait from a header up to a minute only
        headers["retry-after-ms"] = str(max(1, math.ceil(retry_after * 1000)))
    return error_response(
        429,
        message,
        type="requests",
        code="rate_limit_exceeded",
        headers=headers,
    )


def server_error(
    message: str = "The server had an error while processing your request. Sorry about that!",
) -> Response:
    """500, as the API says it."""
    return error_response(500, message, type="server_error")


def method_not_allowed(
    method: str | bytes, path: str | bytes, allowed: str | Sequence[str]
) -> Response:
    """405 for a known path asked with another method, with ``Allow`` (the methods the path
    has: a route's ``allowed``, or one method as a string). To ``HEAD``, with no body (see
    :func:`unknown_route`)."""
    methods = (allowed,) if isinstance(allowed, str) else tuple(allowed)
    return _to_head(
        method,
        error_response(
            405,
            f"Invalid method for URL ({_request_line(method, path)}).",
            headers={"Allow": ", ".join(methods)},
        ),
    )


def unknown_route(method: str | bytes, path: str | bytes) -> Response:
    """404 for a path no operation has: ``Invalid URL (GET /v1/x)``. A method past 20
    characters, a path past 200, is cut (its start, then ``...``), as :func:`not_found`
    cuts an id (found by a user reading the docstrings: a 1 MB path made a 1 MB answer).

    To ``HEAD``, the answer has no body: HTTP sends none (found by a server author: one
    written after a HEAD was read by the client as the start of the next answer).

    >>> import orjson, runschema
    >>> answer = runschema.unknown_route("GET", "/v1/" + "x" * 5000)
    >>> len(orjson.loads(answer.body)["error"]["message"])
    222
    >>> runschema.unknown_route("HEAD", "/v1/x").body
    b''
    """
    return _to_head(method, error_response(404, f"Invalid URL ({_request_line(method, path)})."))


def _to_head(method: str | bytes, answer: Response) -> Response:
    """``answer`` as sent to ``method``: with no body to ``HEAD`` (RFC 9110, 9.3.2)."""
    return attrs.evolve(answer, body=b"") if wire_text(method) == "HEAD" else answer


def _request_line(method: str | bytes, path: str | bytes) -> str:
    """The method and path an answer quotes, each cut (see :func:`unknown_route`); bytes (an
    ASGI scope's ``raw_path``) read as ISO-8859-1, as :func:`route` reads them."""
    method, path = wire_text(method), wire_text(path)
    return f"{_shown(method, _SHOWN_METHOD, 'method')} {_shown(path, _SHOWN_PATH, 'path')}"
