"""The order of an Assistants stream's events: every rule the official clients rely on.

Each event is checked against what came before it in the stream; the rules are in
:func:`check_stream`'s docstring, public.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final

import attrs
import orjson

from ._deltas import Problem, as_sent, compare, merge
from ._endpoints import Response, answer_error, answer_status, check_coherent
from ._errors import ErrorCode, ErrorDetail, ValidationError
from ._events import (
    EVENT_CLASSES,
    DoneEvent,
    ErrorEvent,
    MessageDeltaEvent,
    MessageEvent,
    RunEvent,
    RunStepDeltaEvent,
    RunStepEvent,
    StreamEvent,
    ThreadEvent,
    UnknownEvent,
)
from ._kinds import Array, Kind, Model, Tagged, spec_of
from ._messages import (
    DeltaCodeInterpreterCall,
    DeltaFileSearchCall,
    DeltaFunctionCall,
    DeltaToolCallsDetails,
    MessageContent,
)
from ._models import RequiredAction, RunStatus
from ._runs import TERMINAL_STATUSES, can_transition
from ._schema import _Model, _UnknownArm, kind_of
from ._sse import (
    DEFAULT_MAX_FRAME_BYTES,
    STREAM_HEADERS,
    Chunk,
    StreamDecoder,
    StreamError,
    StreamSource,
    check_frames,
    chunks_of,
    encode_events,
    status_problem,
)
from ._steps import MessageCreationDetails, StepToolCall, ToolCallsDetails
from ._structure import unknown_fields, unstructure
from ._values import UNSET, UnknownValue, enum_text

__all__ = ["StreamChecker", "check_stream", "stream_response", "validate_stream", "walk_stream"]

_STEP_OVER: Final = frozenset(
    {
        "thread.run.step.completed",
        "thread.run.step.failed",
        "thread.run.step.cancelled",
        "thread.run.step.expired",
    }
)
_MESSAGE_OVER: Final = frozenset({"thread.message.completed", "thread.message.incomplete"})
#: The run's events after which no step or message of it is open.
_ALL_OVER: Final = frozenset(
    {
        "thread.run.completed",
        "thread.run.incomplete",
        "thread.run.cancelled",
        "thread.run.failed",
        "thread.run.expired",
    }
)


@attrs.define
class _Open:
    """A step or message created in the stream: whether it is over, its parts' types, its
    parts (or tool calls) as a client has them so far (JSON), a step's ``step_details`` type
    and its other details."""

    types: list[str]
    parts: list[Any]
    kind: str | None = None
    over: bool = False
    #: the index the last delta part named (parts stream one after another)
    current: int | None = None
    #: a step's ``step_details`` but for its tool calls (``message_creation``), as a client
    #: has them so far (JSON)
    details: dict[str, Any] = attrs.Factory(dict)


class StreamChecker:
    """Check a stream's events in order, one at a time; :meth:`finish` at its end.

    >>> import runschema
    >>> events = runschema.decode_stream(b"event: done\\ndata: [DONE]\\n\\n")
    >>> checker = runschema.StreamChecker()
    >>> [p for e in events for p in checker.check(e)] + checker.finish()
    [ErrorDetail(loc=(0,), code='no_terminal', message='the stream ends with no terminal run \
event, requires_action or error event', input=None)]

    ``allow_unknown=True``, for a gateway passing on a newer server's stream (as
    :func:`runschema.stream_response` takes it): a status this version does not know matches
    any event's name and may follow or lead to any status.
    """

    def __init__(self, *, allow_unknown: bool = False) -> None:
        #: statuses this version does not know pass (see the class's docstring)
        self.allow_unknown = allow_unknown
        #: how many events were checked
        self.index: int = 0
        self._run_id: str | None = None
        self._thread_id: str | None = None
        self._status: RunStatus | UnknownValue | None = None
        self._ended: str | None = None  # the event that ended the run's part of the stream
        self._done = False
        self._steps: dict[str, _Open] = {}
        self._messages: dict[str, _Open] = {}
        self._current: str | None = None  # the message being streamed
        self._last_index: int | None = None  # the last part a message delta streamed
        #: the stream created its run (thread.run.created): it is no continuation, so every
        #: step and message it has events for was created in it
        self._began = False
        self._created = False  # a thread.run.created was seen
        #: the message each open message_creation step names, until that message is created
        self._to_make: dict[str, str] = {}
        #: the function calls of the tool call steps over in this stream, as clients have them
        self._closed_calls: list[tuple[Any, Any, Any]] = []

    def check(self, event: StreamEvent, *, index: int | None = None) -> list[ErrorDetail]:
        """The problems ``event`` shows, after the events checked before it.

        ``index`` is the event's place in the stream for the paths (default: how many were
        checked), for a caller that skipped bad frames.
        """
        if not isinstance(event, EVENT_CLASSES):
            raise TypeError(f"{type(event).__name__} is not a stream event")
        if index is not None and (type(index) is not int or index < 0):
            # a place in a stream: -1 had made paths such as $[-1].data (a bool, $[True])
            raise ValueError(f"index must be an int of at least 0, not {index!r}")
        i = self.index if index is None else index
        self.index += 1
        out: list[ErrorDetail] = []

        def problem(code: ErrorCode, message: str, *where: str | int) -> None:
            out.append(ErrorDetail(loc=(i, *where), code=code, message=message))

        if self._done:
            problem("after_done", f"{event.event!r} after the done event")
            return out
        if isinstance(event, DoneEvent):
            self._done = True
            if self._ended is None:
                problem("no_terminal", _NO_TERMINAL)
            return out
        if self._ended is not None:
            problem("after_end", f"{event.event!r} after {self._ended!r}")
        if isinstance(event, RunEvent):
            self._run(event, problem)
        elif isinstance(event, RunStepEvent):
            self._step(event, problem)
        elif isinstance(event, RunStepDeltaEvent):
            self._step_delta(event, problem)
        elif isinstance(event, MessageEvent):
            self._message(event, problem)
        elif isinstance(event, MessageDeltaEvent):
            self._message_delta(event, problem)
        elif isinstance(event, ThreadEvent):
            self._same_thread(event.data.id, problem, "id")
        elif isinstance(event, ErrorEvent):
            self._ended = self._ended or "error"
            if unknown_fields(event.data).get("error"):
                problem(
                    "unreadable_event",
                    "an error event whose data has an `error` key: the official client raises "
                    "APIError instead of yielding the event",
                    "data",
                    "error",
                )
        elif isinstance(event, UnknownEvent):
            _unknown_event(event, problem)
        return out

    def finish(self) -> list[ErrorDetail]:
        """The problems of the stream as a whole, once it has ended."""
        out: list[ErrorDetail] = []
        if not self._done:
            if self._ended is None:
                out.append(ErrorDetail(loc=(), code="no_terminal", message=_NO_TERMINAL))
            out.append(
                ErrorDetail(loc=(), code="missing_done", message="the stream has no done event")
            )
        return out

    # --- per family -------------------------------------------------------------------------

    def _status_of(self, event: RunEvent | RunStepEvent | MessageEvent, problem: Problem) -> None:
        found = status_problem(event, self.allow_unknown)
        if found is not None:
            field, message = found
            problem("status_mismatch", message, "data", field)

    def _same_run(self, run_id: str, problem: Problem, *where: str) -> None:
        if self._run_id is None:
            self._run_id = run_id
        elif run_id != self._run_id:
            problem("id_mismatch", f"run {run_id!r} in a stream of run {self._run_id!r}", *where)

    def _same_thread(self, thread_id: str, problem: Problem, *where: str) -> None:
        if self._thread_id is None:
            self._thread_id = thread_id
        elif thread_id != self._thread_id:
            problem(
                "id_mismatch",
                f"thread {thread_id!r} in a stream of thread {self._thread_id!r}",
                "data",
                *where,
            )

    def _run(self, event: RunEvent, problem: Problem) -> None:
        run = event.data
        if event.event == "thread.run.created":
            if self._created:  # found by a server author: it passed
                problem("created_again", f"run {run.id!r} is created again", "data", "id")
            self._created = True
            if self._status is None:
                self._began = True
        self._same_run(run.id, problem, "data", "id")
        self._same_thread(run.thread_id, problem, "thread_id")
        self._status_of(event, problem)
        was = self._status
        unknown = isinstance(was, UnknownValue) or isinstance(run.status, UnknownValue)
        allowed = self.allow_unknown and unknown
        if was is not None and not allowed and not can_transition(was, run.status):
            problem(
                "bad_transition",
                f"the run moves from {enum_text(was)!r} to {enum_text(run.status)!r}",
                "data",
                "status",
            )
        self._status = run.status
        name = event.event
        if name == "thread.run.requires_action":
            if run.required_action is None:
                problem(
                    "missing_required_action",
                    "a requires_action run must say what is required",
                    "data",
                    "required_action",
                )
            elif isinstance(run.required_action, RequiredAction):
                self._calls_required(run.required_action, problem)
            self._open_while_waiting(problem)
            self._ended = self._ended or name
        elif name.rsplit(".", 1)[1] in TERMINAL_STATUSES:
            self._ended = self._ended or name
        if name in _ALL_OVER:
            # a step is over when its run ends, as its statuses say (cancelled, failed,
            # expired: found by a server author, whose cancelled run kept its step open); an
            # incomplete run's steps, the spec does not say; a message when its run ends (its
            # incomplete_details name the run cancelled, expired or failed)
            tables = (("step", self._steps),) if name != "thread.run.incomplete" else ()
            for what, table in (*tables, ("message", self._messages)):
                for id, known in table.items():
                    if not known.over:
                        problem(
                            "left_open",
                            f"the run is {name.rsplit('.', 1)[1]} with {what} {id!r} still "
                            "open: clients keep it as it is",
                        )

    def _open_while_waiting(self, problem: Problem) -> None:
        """A run that waits (``requires_action``) leaves open only the steps whose function
        calls it waits on: the Python helper says a message or a step's last call is done
        when the stream says so, and a stream that waits says nothing more of them (found by
        a stream differential against it: a message still open when the run waited never
        got on_message_done, nor its text on_text_done)."""
        for id, known in self._steps.items():
            calls = known.parts if known.kind == "tool_calls" else []
            if not known.over and not _function_calls(calls):
                problem(
                    "left_open",
                    f"the run waits (requires_action) with step {id!r} still open, which "
                    "waits on no function call: the Python helper never says it is done",
                )
        for id, known in self._messages.items():
            if not known.over:
                problem(
                    "left_open",
                    f"the run waits (requires_action) with message {id!r} still open: the "
                    "Python helper never says it is done",
                )

    def _calls_required(self, action: RequiredAction, problem: Problem) -> None:
        """The function calls a run requires are those its open tool call steps made in this
        stream (or, in a stream that created its run, those of its steps already over): the
        Python helper hands those to ``on_tool_call_done`` while the run's
        ``required_action`` is what a handler answers, so the two must agree."""
        open_steps = [s for s in self._steps.values() if s.kind == "tool_calls" and not s.over]
        if open_steps:
            made = [c for s in open_steps for c in _function_calls(s.parts)]
        elif self._began and self._closed_calls:  # closed early, and handed on as they closed
            made = self._closed_calls
        else:
            return  # a stream that continues its run: the steps came before it
        required = [_call_fields(unstructure(c)) for c in action.submit_tool_outputs.tool_calls]
        # each by its id, in any order (a handler answers a call by its id: found by an SDK
        # author, the same calls in another order were two mismatches); by place otherwise
        by_id = {call[0]: call for call in made if call[0] is not None}
        for j, want in enumerate(required):
            got = by_id.get(want[0]) if want[0] is not None else None
            if got is None:
                if j >= len(made):
                    continue  # the count says it, below
                got = made[j]
            if want != got:
                problem(
                    "content_mismatch",
                    f"the run requires the call {_shown_call(want)}, its step's deltas made "
                    f"{_shown_call(got)}: the Python helper's on_tool_call_done gets that one",
                    "data",
                    "required_action",
                    "submit_tool_outputs",
                    "tool_calls",
                    j,
                )
        if len(required) != len(made):
            problem(
                "content_mismatch",
                f"the run requires {len(required)} function calls, its open steps made {len(made)}",
                "data",
                "required_action",
                "submit_tool_outputs",
                "tool_calls",
            )

    def _step(self, event: RunStepEvent, problem: Problem) -> None:
        step = event.data
        self._same_run(step.run_id, problem, "data", "run_id")
        self._same_thread(step.thread_id, problem, "thread_id")
        self._status_of(event, problem)
        kind, detailed = step.type, step.step_details.type
        if type(kind) is str and type(detailed) is str and kind != detailed:
            problem(
                "type_mismatch",
                f"a {kind!r} step whose step_details are {detailed!r}",
                "data",
                "type",
            )
        known = self._steps.get(step.id)
        if event.event == "thread.run.step.created":
            if known is not None:
                problem("created_again", f"step {step.id!r} is created again", "data", "id")
            details = step.step_details
            calls = details.tool_calls if isinstance(details, ToolCallsDetails) else ()
            parts = [unstructure(c) for c in calls]
            rest = {k: v for k, v in unstructure(details).items() if k != "tool_calls"}
            types = [str(c.type) for c in calls]
            self._steps[step.id] = _Open(types, parts, str(details.type), details=rest)
            if isinstance(details, MessageCreationDetails):
                self._to_make[step.id] = details.message_creation.message_id
        elif known is not None:
            was_over = known.over
            if was_over:
                problem("not_open", f"step {step.id!r} is already over", "data", "id")
            known.over = was_over or event.event in _STEP_OVER  # over stays over
            final = step.step_details
            if known.over and not was_over and isinstance(final, ToolCallsDetails):
                made = [unstructure(c) for c in final.tool_calls]
                at = ("data", "step_details", "tool_calls")
                compare(known.parts, made, problem, at)
                if len(made) != len(known.parts):
                    problem(
                        "content_mismatch",
                        f"the finished step has {len(made)} tool calls, its deltas made "
                        f"{len(known.parts)}: clients keep what the deltas made",
                        *at,
                    )
            if known.over:  # what its deltas made is compared: nothing reads it again
                self._to_make.pop(step.id, None)
                if known.kind == "tool_calls":
                    self._closed_calls += _function_calls(known.parts)
                known.parts.clear()
                known.details.clear()
        elif self._began:
            problem(
                "not_created",
                f"step {step.id!r} was not created in this stream, which created its run",
                "data",
                "id",
            )

    def _step_delta(self, event: RunStepDeltaEvent, problem: Problem) -> None:
        delta = event.data
        step = self._open(self._steps, "step", delta.id, problem)
        details = delta.delta.step_details
        if step is None or details is UNSET:
            return
        if step.kind is not None and str(details.type) != step.kind:
            problem(
                "type_mismatch",
                f"a {str(details.type)!r} delta for a {step.kind!r} step",
                "data",
                "delta",
                "step_details",
                "type",
            )
            return
        rest = {k: v for k, v in unstructure(details).items() if k != "tool_calls"}
        merge(step.details, rest, problem, ("data", "delta", "step_details"))
        if not isinstance(details, DeltaToolCallsDetails) or details.tool_calls is UNSET:
            return
        for j, call in enumerate(details.tool_calls):
            where = ("step_details", "tool_calls", j)
            before = _held(step, _index_of(call))
            if _index(step, _index_of(call), call.type, problem, *where):
                data = unstructure(call)  # once: read by both
                _introduced(call, data, before, problem, *where)
                _accumulate(step, data, problem, *where)

    def _message(self, event: MessageEvent, problem: Problem) -> None:
        msg = event.data
        self._same_thread(msg.thread_id, problem, "thread_id")
        if msg.run_id is not None:
            self._same_run(msg.run_id, problem, "data", "run_id")
        self._status_of(event, problem)
        known = self._messages.get(msg.id)
        if event.event == "thread.message.created":
            if known is not None:
                problem("created_again", f"message {msg.id!r} is created again", "data", "id")
            self._made_by_step(msg.id, problem)
            if msg.content:  # found by a stream differential against the Python helper
                problem(
                    "content_mismatch",
                    f"message {msg.id!r} is created with {len(msg.content)} content parts: the "
                    "Python helper says a part is created only when a delta makes it",
                    "data",
                    "content",
                )
            parts = [unstructure(p) for p in msg.content]
            self._messages[msg.id] = _Open([str(p.type) for p in msg.content], parts)
            self._current = msg.id
            return
        if event.event in _MESSAGE_OVER:
            self._current = msg.id  # so the Python helper has it
        if known is not None and known.over:
            problem("not_open", f"message {msg.id!r} is already over", "data", "id")
        if known is None and self._began:
            problem(
                "not_created",
                f"message {msg.id!r} was not created in this stream, which created its run",
                "data",
                "id",
            )
        if event.event not in _MESSAGE_OVER:
            return
        if known is not None:
            if not known.over:
                parts = [unstructure(p) for p in msg.content]
                compare(known.parts, parts, problem, ("data", "content"))
            known.over = True
            known.parts.clear()  # compared: nothing reads it again
        if known is not None and len(msg.content) != len(known.types):
            problem(
                "content_mismatch",
                f"the message has {len(msg.content)} content parts, its deltas made "
                f"{len(known.types)}: the Python helper's callbacks see those the deltas make",
                "data",
                "content",
            )
        elif self._last_index is not None and self._last_index >= len(msg.content):
            problem(
                "content_mismatch",
                f"the official Python helper reads part {self._last_index} of a finished "
                f"message (the last part a delta streamed, in any message), and it has "
                f"{len(msg.content)}",
                "data",
                "content",
            )

    def _made_by_step(self, id: str, problem: Problem) -> None:
        """A message created while message_creation steps are open is the one one of them
        names (found by a server author: a step naming ``msg_2`` while ``msg_1`` streamed
        passed); a client pairs them by that id."""
        if not self._to_make:
            return
        named = [step for step, made in self._to_make.items() if made == id]
        if named:
            del self._to_make[named[0]]
            return
        names = ", ".join(f"{s!r} names {m!r}" for s, m in self._to_make.items())
        problem(
            "id_mismatch",
            f"message {id!r} is created while its run's open message_creation steps name "
            f"others ({names})",
            "data",
            "id",
        )

    def _message_delta(self, event: MessageDeltaEvent, problem: Problem) -> None:
        delta = event.data
        msg = self._open(self._messages, "message", delta.id, problem)
        if msg is None:
            return
        if delta.id != self._current:
            problem(
                "not_current",
                f"a delta for message {delta.id!r} while {self._current!r} is being streamed",
                "data",
                "id",
            )
        if delta.delta.content is UNSET:
            return
        for j, part in enumerate(delta.delta.content):
            index = _index_of(part)
            if isinstance(index, int):
                self._last_index = index
            before = _held(msg, index)
            if _index(msg, index, part.type, problem, "content", j):
                data = unstructure(part)  # once: read by both
                _introduced(part, data, before, problem, "content", j)
                _accumulate(msg, data, problem, "content", j)

    def _open(self, table: dict[str, _Open], what: str, id: str, problem: Problem) -> _Open | None:
        known = table.get(id)
        if known is None:
            problem(
                "delta_before_created",
                f"a delta for {what} {id!r}, which was not created in this stream",
                "data",
                "id",
            )
        elif known.over:
            problem("not_open", f"a delta for {what} {id!r}, which is over", "data", "id")
            return None
        return known


_NO_TERMINAL: Final = "the stream ends with no terminal run event, requires_action or error event"


def _index_of(part: _Model) -> object:
    """A delta part's ``index`` (an unknown arm's, from its data)."""
    if isinstance(part, _UnknownArm):
        return part.data.get("index")
    return getattr(part, "index", None)


def _index(state: _Open, index: object, type: str, problem: Problem, *where: str | int) -> bool:
    """Check a delta part's index and type against the parts so far; whether it is sound."""
    at = ("data", "delta", *where, "index")
    if not isinstance(index, int) or index < 0 or index > len(state.types):
        problem(
            "content_index",
            f"index {index!r} where {len(state.types)} parts exist (the next is "
            f"{len(state.types)})",
            *at,
        )
        return False
    if state.current is not None and index < state.current:
        problem(
            "content_index",
            f"index {index} after index {state.current}: parts stream one after another (the "
            "Python helper says a part is done when a delta moves on to another: going back, it "
            "says so twice, the first time before the part is whole)",
            *at,
        )
    state.current = index
    if index == len(state.types):
        state.types.append(type)
        return True
    if state.types[index] != type:
        problem(
            "type_mismatch",
            f"a {type!r} delta for the {state.types[index]!r} part at index {index}",
            *at[:-1],
            "type",
        )
        return False
    return True


def _introduced(
    part: _Model,
    data: dict[str, Any],
    before: dict[str, Any] | None,
    problem: Problem,
    *where: str | int,
) -> None:
    """Name what a content part or tool call lacks in the delta that introduces it (``before``
    is None: none of its kind is open at its index), of what its finished form requires but
    for what may be null (a call's ``id``, a function's ``name`` and ``arguments``, a text's
    ``annotations``, a code interpreter's ``outputs``: the spec's own streams send each, ``""``
    or ``[]`` when there is nothing yet; absent, a nullable key is what the client holds for
    null); and so of each entry of an indexed list inside it that the delta introduces (a
    code interpreter's output, a text's annotation), new part or not. The Python helper
    keeps a part or an entry as that delta makes it, ``None`` where a key is missing, until a
    later delta adds it: ``on_tool_call_created`` gets the call so (a handler keys its work
    by the id and the name), ``on_tool_call_delta`` an image output with no image, and
    ``on_text_done`` a text whose ``annotations`` are ``None``, which a handler's loop over
    them raises on (found by a server author's trial). The spec leaves them all optional in
    a delta."""
    if isinstance(part, _UnknownArm):
        return
    finished = _FINISHED.get(data.get("type", ""))
    if finished is None:
        return
    if isinstance(part, (DeltaFunctionCall, DeltaCodeInterpreterCall, DeltaFileSearchCall)):
        what = f"a new {data['type']} call"
        said = "the Python helper's on_tool_call_created hands the call on as this delta makes it"
    else:
        what = f"a new {data['type']} part"
        said = "the Python helper keeps the part as this delta makes it, None for what it lacks"
    at = ("data", "delta", *where)
    for path, entry in _required_absent(data, finished, (), before):
        if entry is None:
            problem("missing", f"{what} without its {'.'.join(map(str, path))}: {said}", *at, *path)
        else:
            problem(
                "missing",
                f"a new {entry} entry without its {path[-1]}: the Python helper keeps the entry "
                "as this delta makes it, None for what it lacks",
                *at,
                *path,
            )


def _required_absent(
    data: dict[str, Any],
    cls: type[Any],
    path: tuple[str | int, ...],
    before: dict[str, Any] | None,
    entry: str | None = None,
) -> list[tuple[tuple[str | int, ...], str | None]]:
    """The keys the model class ``cls`` requires that ``data`` lacks, when it is new
    (``before``, what a client holds of it, is None), with the ``type`` of the indexed
    list's entry they are in (None: of the part); in the objects it holds too; and in the
    entries of indexed lists it holds that are new, whose index is past what ``before`` has
    (others name wrong indexes)."""
    absent: list[tuple[tuple[str | int, ...], str | None]] = []
    for f in spec_of(cls).fields:
        value = data.get(f.name, UNSET)
        if value is UNSET:
            if before is None and not (f.optional or f.nullable):
                absent.append(((*path, f.name), entry))  # absent, a client holds None
            continue
        had = before.get(f.name) if before is not None else None
        kind = f.kind
        if isinstance(kind, Model) and type(value) is dict:
            # an object filled in later deltas of its part is no new one: a new part's is
            held = None if before is None else had if type(had) is dict else {}
            absent += _required_absent(value, kind.cls, (*path, f.name), held, entry)
        elif isinstance(kind, Array) and type(value) is list:
            old = had if type(had) is list else []
            seen: set[int] = set()
            for j, item in enumerate(value):
                index = item.get("index") if type(item) is dict else None
                if type(index) is not int or index < 0 or index in seen:
                    continue  # a piece of an entry this delta introduced, or no entry
                seen.add(index)
                item_cls = _entry_class(kind.item, item)
                if item_cls is None:
                    continue
                prior = old[index] if index < len(old) and type(old[index]) is dict else None
                kind_of_item = str(item.get("type", f.name))
                absent += _required_absent(item, item_cls, (*path, f.name, j), prior, kind_of_item)
    return absent


def _entry_class(kind: Kind, item: dict[str, Any]) -> type[Any] | None:
    """The finished class of an indexed list's entry: its arm by ``type`` (None for a type
    this version does not know), or the list's one class."""
    if isinstance(kind, Tagged):
        arm = kind.arms.get(item.get("type", ""))
        return None if arm is None or getattr(arm, "__rs_unknown_arm__", False) else arm
    return kind.cls if isinstance(kind, Model) else None


def _arms(union: Any) -> dict[str, type[Any]]:
    kind = kind_of(union)
    assert isinstance(kind, Tagged)
    return dict(kind.arms)


#: The finished form of a part or tool call a delta introduces, by its ``type``.
_FINISHED: Final[dict[str, type[Any]]] = {
    **_arms(MessageContent),
    **_arms(StepToolCall),
}


def _held(state: _Open, index: object) -> dict[str, Any] | None:
    """What a client holds of the part at ``index`` before a delta for it (None: a new part)."""
    if type(index) is int and 0 <= index < len(state.parts):
        held = state.parts[index]
        return held if isinstance(held, dict) else None
    return None


def _accumulate(state: _Open, data: dict[str, Any], problem: Problem, *where: str | int) -> None:
    """Add a sound delta part (its JSON form, ``data``) to the parts as a client has them:
    merged into the part at its index, or (a new part) kept as sent."""
    index = data["index"]
    at = ("data", "delta", *where)
    if index < len(state.parts) and isinstance(state.parts[index], dict):
        merge(state.parts[index], data, problem, at)
    elif index == len(state.parts):
        state.parts.append(data)
        as_sent(data, problem, at)


def _unknown_event(event: UnknownEvent, problem: Problem) -> None:
    data = event.data
    if data.startswith("[DONE]"):
        why = "its data starts with [DONE]: the official client stops reading there"
    else:
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            why = "its data is not JSON: the official client raises reading it"
        else:
            if event.event.startswith("thread."):
                return
            if isinstance(value, dict) and value.get("error"):
                why = "its data has an `error` key: the official client raises APIError"
            else:
                problem(
                    "unreadable_event",
                    f"the unknown event {event.event!r} does not start with `thread.`: the "
                    "official Python client's stream helpers read its data as an event (a "
                    "known one, or `thread.created`), or raise",
                    "event",
                )
                return
    problem("unreadable_event", f"the unknown event {event.event!r}: {why}", "data")


def check_stream(
    events: Iterable[StreamEvent], *, allow_unknown: bool = False
) -> list[ErrorDetail]:
    """Every problem in the order of a whole stream's events (``allow_unknown``: as
    :class:`StreamChecker` takes it).

    Each event is checked against what came before it in the stream; each problem is an
    :class:`ErrorDetail` at ``$[index]`` (the event) or a path inside its data
    (``$[7].data.status``), with a stable code. The rules, and what breaks without them:

    - ``after_done``: nothing follows ``done`` (clients stop reading there).
    - ``after_end``: after the run's last event (``completed``, ``incomplete``, ``failed``,
      ``cancelled``, ``expired``, ``requires_action``, or ``error``) comes only ``done``.
    - ``no_terminal`` / ``missing_done``: the stream ends with one of those, then ``done``; a run
      left ``in_progress`` makes the Python helper's ``get_final_run()`` return it as if final.
    - ``missing_required_action``: ``thread.run.requires_action`` carries what to do.
    - ``status_mismatch``: an event's name and its data's ``status`` agree (clients go by name),
      and an end carries its time (``completed_at``, ``failed_at``, ...; not ``started_at``,
      which the spec's own stream leaves null on ``in_progress``).
    - ``bad_transition``: the run moves only along :data:`RUN_TRANSITIONS`.
    - ``id_mismatch``: one run and one thread per stream, in ``id``, ``run_id``, ``thread_id``;
      a message created while message_creation steps are open is the one one of them names.
    - ``not_created``, ``created_again``, ``left_open``: the run is created once; a stream that
      created its run (``thread.run.created``) has events only for steps and messages it
      created, each created once, and none still open when the run ends (completed, cancelled,
      failed, expired; no message when it is incomplete) or waits (``requires_action``: but for
      the steps whose function calls it waits on); else the Python helper loses a step, or
      keeps a message in progress and never says it is done.
    - ``delta_before_created``, ``not_open``, ``not_current``: a step delta names a step created
      earlier in the stream and not over; a message delta names the message being streamed (the
      Python helper applies it to the last message created, whatever its id, and raises without
      one).
    - ``content_index``, ``type_mismatch``: a delta's ``index`` names a part (or tool call) it
      already has, of the same type, or the next one; never one further on, and never one before
      the part the last delta named (the Python helper would say a part is done twice, the first
      time too early); a step delta's ``step_details`` are of the step's type, as a step's
      are. Inside a part, as the Python helper merges it (``accumulate_delta``): each entry of
      an indexed list names its place or the next one, has an ``index`` where the list holds
      objects (else the helper raises), keeps its ``type`` (the helper merges two entries into
      one), and a value keeps its JSON type (the helper drops one of another type).
    - ``content_mismatch``: a finished message or step is what its deltas made, in what both
      hold (the Python helper's final steps are what the deltas made); it has every part its
      deltas made, and the part the
      Python helper reads when a message ends: the index of the last part a delta streamed, in
      *any* message (it never resets it; fewer parts make it raise IndexError); it has no part
      its deltas did not make, and is created with none (the helper says a part is created only
      when a delta makes it). A
      ``requires_action`` run's function calls are those its open steps' deltas made (the
      Python helper's ``on_tool_call_done`` gets the deltas' call; a handler answers the run's).
    - ``missing``: a content part or tool call comes with what its finished form requires
      (but for what may be null) in the delta that introduces it: a call's ``id``, a function's
      ``name`` and ``arguments``, a text's ``annotations``, ...; the Python helper hands the call
      to ``on_tool_call_created``, and keeps the part, as that delta made it. So does an entry
      of an indexed list inside a part (a code interpreter's output, a text's annotation) in
      the delta that introduces it. (The spec leaves all optional in a delta: strict ``loads``
      reads such a delta.)
    - ``repeated_value``: a delta sends a value only once, but for the text that comes in pieces
      (``value``, ``arguments``, ``input``, ``logs``, ``refusal``): clients add every string to the
      one they have and sum numbers, so a repeated ``id`` or ``name`` reads as ``call_1call_1``.
    - ``unreadable_event``: an unknown event's data is JSON and does not start with ``[DONE]``
      (the official client stops reading there); its name starts with ``thread.`` (the Python
      client's stream helpers read the data of any other as an event of their own, and raise on
      one whose data has an ``error`` key); an ``error`` event's data holds no ``error`` key.

    The message being streamed is, as in the Python helper, the one last created, completed or
    made incomplete.

    A stream that continues a run (submit tool outputs) may begin mid-run: events for a step or
    run not created in it are allowed, but deltas are not.

    >>> import runschema
    >>> runschema.check_stream([runschema.DoneEvent(), runschema.DoneEvent()])[-1].code
    'after_done'
    """
    checker = StreamChecker(allow_unknown=allow_unknown)
    out = [p for event in events for p in checker.check(event)]
    return out + checker.finish()


def validate_stream(
    source: StreamSource,
    *,
    strict: bool = False,
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
) -> list[ErrorDetail]:
    """Every problem of a whole stream's bytes (or chunks), as ``runschema validate --type
    stream`` reports them: each bad frame's, then the order's, every path naming a frame by
    its place in the stream (``$[7].data.id``; a problem of the whole stream is at ``$``).

    It does what takes care by hand: the order is checked on a lenient read of every frame
    (a frame that strict mode refuses still counts, so the ones after it do not cascade into
    ``delta_before_created``), with the index the decoder gives that frame. ``strict``
    applies to the frames; the order allows statuses this version does not know unless
    ``strict`` (as :class:`StreamChecker` takes ``allow_unknown``).

    >>> import runschema
    >>> body = b"event: thread.run.step.delta\\ndata: {oops\\n\\nevent: done\\ndata: [DONE]\\n\\n"
    >>> [(p.path, p.code) for p in runschema.validate_stream(body)]
    [('$[0].data', 'json_invalid'), ('$[1]', 'no_terminal')]
    """
    return [p for _, _, found in walk_stream(source, strict, max_frame_bytes) for p in found]


def walk_stream(
    source: StreamSource,
    strict: bool,
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
) -> Iterator[tuple[StreamEvent | None, bool, list[ErrorDetail]]]:
    """A stream read and checked as it comes: each event with whether it was read as it
    stands (False: what strict mode refused, read leniently for the order) and its
    problems; ``None`` and problems for a bad frame's and the stream's own."""
    decoder = StreamDecoder(strict=strict, max_frame_bytes=max_frame_bytes)
    checker = StreamChecker(allow_unknown=not strict)

    def take(
        batch: Iterable[StreamEvent], first: int, kept: bool = True
    ) -> Iterator[tuple[StreamEvent | None, bool, list[ErrorDetail]]]:
        for i, event in enumerate(batch, first):
            yield event, kept, checker.check(event, index=i)

    def read(
        chunk: Chunk | None,
    ) -> Iterator[tuple[StreamEvent | None, bool, list[ErrorDetail]]]:
        while True:  # None: the end of the stream
            before = decoder.index
            try:
                batch = decoder.close() if chunk is None else decoder.feed(chunk)
            except StreamError as e:
                yield from take(e.events, before)
                yield None, False, list(e.errors)
                if strict:  # a run event refused for its data still ends the run (found
                    # in use: no_terminal after a refused thread.run.completed)
                    yield from take(_read_leniently(e), e.index, kept=False)
                if chunk is not None:
                    chunk = b""  # read on after the bad frame
                continue
            yield from take(batch, decoder.index - len(batch))
            return

    for chunk in chunks_of(source):
        yield from read(chunk)
    yield from read(None)
    yield None, False, checker.finish()


def _read_leniently(error: StreamError) -> list[StreamEvent]:
    """The event a frame that strict reading refused is, read leniently (none if it cannot
    be: no data, data that is not UTF-8 or not what its event carries). A frame with no
    name is read as lenient mode reads it, as data-only JSON or ``[DONE]`` (found by fuzzing:
    a data-only run event was reported again as no_terminal, a [DONE] with no name as
    missing_done)."""
    if error.data is None:
        return []
    lines = "".join(f"data: {line}\n" for line in error.data.split("\n"))
    name = "" if error.event is None else f"event: {error.event}\n"
    frame = f"{name}{lines}\n".encode()
    decoder = StreamDecoder(strict=False)
    try:
        return decoder.feed(frame) + decoder.close()
    except StreamError:
        return []


def _function_calls(parts: list[Any]) -> list[tuple[Any, Any, Any]]:
    """The id, name and arguments of each function call among a step's tool calls."""
    return [
        _call_fields(part)
        for part in parts
        if isinstance(part, dict) and part.get("type") == "function"
    ]


def _call_fields(call: Any) -> tuple[Any, Any, Any]:
    """A function call's id, name and arguments, as JSON holds them (None where absent)."""
    function = call.get("function")
    if not isinstance(function, dict):
        function = {}
    return call.get("id"), function.get("name"), function.get("arguments")


def _shown_call(fields: tuple[Any, Any, Any]) -> str:
    id, name, arguments = fields
    text = (
        arguments
        if not isinstance(arguments, str) or len(arguments) <= 60
        else (arguments[:57] + "...")
    )
    return f"{id!r} {name!r}({text!r})"


def stream_response(
    events: Iterable[StreamEvent],
    *,
    status: int = 200,
    check: bool = True,
    allow_unknown: bool = False,
) -> Response:
    """A whole stream as one answer (service side), for a server that has every event at
    hand; one that sends them as they come writes :data:`STREAM_HEADERS`, then
    :func:`encode_event` of each (and :func:`check_event` of each, with a
    :class:`StreamChecker` for their order, to check as this does).

    As :meth:`runschema.Endpoint.respond` answers a value, a wrong stream is the server's
    ValueError: a run that ``requires_action`` with no ``required_action``, a ``status`` that
    is not a 2xx with a body (204 and 205 have none) and, with ``check`` (the default):

    - a stream that a strict reader refuses (an event's data breaking the published schema,
      an event the spec does not have, a name its data's status disagrees with); its
      ``__cause__`` is the first bad frame's :class:`StreamError`;
    - then a stream whose order :func:`check_stream` refuses (no ``done``, no last run event,
      a delta before its step was created, ...: found by a server author, a stream of one
      ``thread.run.created`` went out as a 200); its ``__cause__`` is a
      :class:`ValidationError` of every problem, at ``$[index]`` paths.

    ``allow_unknown=True`` lets through what a lenient read kept from a newer server (unknown
    events, values, arms and keys, keys found absent: a gateway passing a stream on) and
    checks the rest of each frame, as :meth:`runschema.Endpoint.respond` does; the order of
    such a stream is its server's (an event this version does not know may end its run), so
    it is not checked (:func:`check_stream` with ``allow_unknown`` says what it can).
    ``check=False`` sends the stream as it is.

    >>> import runschema
    >>> error = runschema.ErrorEvent(runschema.ErrorObject(message="m", type="server_error"))
    >>> r = runschema.stream_response([error, runschema.DoneEvent()])
    >>> r.headers["Content-Type"], r.body.endswith(b'event: done\\ndata: [DONE]\\n\\n')
    ('text/event-stream; charset=utf-8', True)
    """
    status = answer_status(status)
    events = list(events)
    body = encode_events(events)
    if check:
        what = lambda e: f"the stream's event {e.index} ({e.event})"  # noqa: E731
        check_frames(events, body, allow_unknown, what)
    for event in events:
        check_coherent(event.data)  # a run's or a step's; other data passes
    if check and not allow_unknown:
        problems = check_stream(events)
        if problems:
            error = ValidationError(problems)
            broken = "breaks the order of events clients rely on"
            raise answer_error("the stream", error, broken=broken) from error
    return Response(status=status, headers=STREAM_HEADERS, body=body)
