"""The order of an Assistants stream's events: every rule the official clients rely on.

Each event is checked against what came before it in the stream; each problem is an
:class:`ErrorDetail` at ``$[index]`` (the event) or a path inside its data
(``$[7].data.status``), with a stable code. The rules, and what breaks without them:

- ``after_done``: nothing follows ``done`` (clients stop reading there).
- ``after_end``: after the run's last event (``completed``, ``incomplete``, ``failed``,
  ``cancelled``, ``expired``, ``requires_action``, or ``error``) comes only ``done``.
- ``no_terminal`` / ``missing_done``: the stream ends with one of those, then ``done``; a run
  left ``in_progress`` makes the Python helper's ``get_final_run()`` return it as if final.
- ``missing_required_action``: ``thread.run.requires_action`` carries what to do.
- ``status_mismatch``: an event's name and its data's ``status`` agree (clients go by name).
- ``bad_transition``: the run moves only along :data:`RUN_TRANSITIONS`.
- ``id_mismatch``: one run and one thread per stream, in ``id``, ``run_id``, ``thread_id``.
- ``not_created``, ``created_again``, ``left_open``: a stream that created its run
  (``thread.run.created``) has events only for steps and messages it created, each created
  once, and none still open when the run is completed or incomplete (the Python helper loses
  a step, or keeps a message in progress).
- ``delta_before_created``, ``not_open``, ``not_current``: a step delta names a step created
  earlier in the stream and not over; a message delta names the message being streamed (the
  Python helper applies it to the last message created, whatever its id, and raises without
  one).
- ``content_index``, ``type_mismatch``: a delta's ``index`` names a part (or tool call) it
  already has, of the same type, or the next one; never one further on; a step delta's
  ``step_details`` are of the step's type. Inside a part, as the Python helper merges it
  (``accumulate_delta``): each entry of an indexed list names its place or the next one, has
  an ``index`` where the list holds objects (else the helper raises), keeps its ``type``
  (the helper merges two entries into one), and a value keeps its JSON type (the helper drops
  one of another type).
- ``content_mismatch``: a finished message or step is what its deltas made, in what both
  hold (the Python helper's final steps are what the deltas made); it has every part its
  deltas made, and the part the
  Python helper reads when a message ends: the index of the last part a delta streamed, in
  *any* message (it never resets it; fewer parts make it raise IndexError).
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
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, Protocol, get_args

import attrs
import orjson

from ._errors import ErrorCode, ErrorDetail, excerpt
from ._events import (
    EVENT_CLASSES,
    DoneEvent,
    ErrorEvent,
    MessageDeltaEvent,
    MessageEvent,
    MessageEventName,
    RunEvent,
    RunEventName,
    RunStepDeltaEvent,
    RunStepEvent,
    RunStepEventName,
    StreamEvent,
    ThreadEvent,
    UnknownEvent,
)
from ._kinds import json_type
from ._messages import DeltaToolCallsDetails
from ._models import RunStatus
from ._runs import TERMINAL_STATUSES, can_transition
from ._schema import _Model, _UnknownArm
from ._steps import ToolCallsDetails
from ._structure import unknown_fields, unstructure
from ._values import UNSET, UnknownValue

__all__ = ["StreamChecker", "check_stream"]

#: The status an event's data must have, by the event's name: the last part of the name
#: (``thread.run.queued``: ``queued``), but for the ``created`` events.
STATUS_OF_EVENT: Final[dict[str, str]] = {
    name: name.rsplit(".", 1)[1]
    for names in (RunEventName, RunStepEventName, MessageEventName)
    for name in get_args(names)
} | {
    "thread.run.created": "queued",
    "thread.run.step.created": "in_progress",
    "thread.message.created": "in_progress",
}

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
_ALL_OVER: Final = frozenset({"thread.run.completed", "thread.run.incomplete"})


@attrs.define
class _Open:
    """A step or message created in the stream: whether it is over, its parts' types, its
    parts (or tool calls) as a client has them so far (JSON), a step's ``step_details`` type
    and its other details."""

    types: list[str]
    parts: list[Any]
    kind: str | None = None
    over: bool = False
    #: a step's ``step_details`` but for its tool calls (``message_creation``), as a client
    #: has them so far (JSON)
    details: dict[str, Any] = attrs.Factory(dict)


#: The keys whose strings come in pieces, each delta's added to what came before.
_PIECES: Final = frozenset({"value", "arguments", "input", "logs", "refusal"})


class _Text:
    """A text that comes in pieces, as a client has it so far: the pieces, joined only when
    read (adding each piece to one string would copy the text so far at every delta: a
    message of 80,000 deltas took minutes). Equal to the string it makes."""

    __slots__ = ("_pieces",)

    def __init__(self, *pieces: str) -> None:
        self._pieces = list(pieces)

    def add(self, piece: str) -> None:
        self._pieces.append(piece)

    def text(self) -> str:
        if len(self._pieces) != 1:
            self._pieces = ["".join(self._pieces)]
        return self._pieces[0]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Text):
            other = other.text()
        return self.text() == other if isinstance(other, str) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.text())


class StreamChecker:
    """Check a stream's events in order, one at a time; :meth:`finish` at its end.

    >>> import runschema
    >>> events = runschema.decode_stream(b"event: done\\ndata: [DONE]\\n\\n")
    >>> checker = runschema.StreamChecker()
    >>> [p for e in events for p in checker.check(e)] + checker.finish()
    [ErrorDetail(loc=(0,), code='no_terminal', message='the stream ends with no terminal run \
event, requires_action or error event', input=None)]
    """

    def __init__(self) -> None:
        #: how many events were checked
        self.index = 0
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

    def check(self, event: StreamEvent, *, index: int | None = None) -> list[ErrorDetail]:
        """The problems ``event`` shows, after the events checked before it.

        ``index`` is the event's place in the stream for the paths (default: how many were
        checked), for a caller that skipped bad frames.
        """
        if not isinstance(event, EVENT_CLASSES):
            raise TypeError(f"{type(event).__name__} is not a stream event")
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

    def _status_of(self, event: RunEvent | RunStepEvent | MessageEvent, problem: _Problem) -> None:
        want = STATUS_OF_EVENT[event.event]
        if event.data.status != want:
            problem(
                "status_mismatch",
                f"{event.event!r} carries status {_text(event.data.status)!r}, not {want!r}",
                "data",
                "status",
            )

    def _same_run(self, run_id: str, problem: _Problem, *where: str) -> None:
        if self._run_id is None:
            self._run_id = run_id
        elif run_id != self._run_id:
            problem("id_mismatch", f"run {run_id!r} in a stream of run {self._run_id!r}", *where)

    def _same_thread(self, thread_id: str, problem: _Problem, *where: str) -> None:
        if self._thread_id is None:
            self._thread_id = thread_id
        elif thread_id != self._thread_id:
            problem(
                "id_mismatch",
                f"thread {thread_id!r} in a stream of thread {self._thread_id!r}",
                "data",
                *where,
            )

    def _run(self, event: RunEvent, problem: _Problem) -> None:
        run = event.data
        if event.event == "thread.run.created" and self._status is None:
            self._began = True
        self._same_run(run.id, problem, "data", "id")
        self._same_thread(run.thread_id, problem, "thread_id")
        self._status_of(event, problem)
        if self._status is not None and not can_transition(self._status, run.status):
            problem(
                "bad_transition",
                f"the run moves from {_text(self._status)!r} to {_text(run.status)!r}",
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
            self._ended = self._ended or name
        elif name.rsplit(".", 1)[1] in TERMINAL_STATUSES:
            self._ended = self._ended or name
        if name in _ALL_OVER:
            for what, table in (("step", self._steps), ("message", self._messages)):
                for id, known in table.items():
                    if not known.over:
                        problem(
                            "left_open",
                            f"the run is {name.rsplit('.', 1)[1]} with {what} {id!r} still "
                            "open: clients keep it as it is",
                        )

    def _step(self, event: RunStepEvent, problem: _Problem) -> None:
        step = event.data
        self._same_run(step.run_id, problem, "data", "run_id")
        self._same_thread(step.thread_id, problem, "thread_id")
        self._status_of(event, problem)
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
        elif known is not None:
            was_over = known.over
            if was_over:
                problem("not_open", f"step {step.id!r} is already over", "data", "id")
            known.over = event.event in _STEP_OVER
            final = step.step_details
            if known.over and not was_over and isinstance(final, ToolCallsDetails):
                made = [unstructure(c) for c in final.tool_calls]
                _compare(known.parts, made, problem, ("data", "step_details", "tool_calls"))
            if known.over:  # what its deltas made is compared: nothing reads it again
                known.parts.clear()
                known.details.clear()
        elif self._began:
            problem(
                "not_created",
                f"step {step.id!r} was not created in this stream, which created its run",
                "data",
                "id",
            )

    def _step_delta(self, event: RunStepDeltaEvent, problem: _Problem) -> None:
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
        _merge(step.details, rest, problem, ("data", "delta", "step_details"))
        if not isinstance(details, DeltaToolCallsDetails) or details.tool_calls is UNSET:
            return
        for j, call in enumerate(details.tool_calls):
            where = ("step_details", "tool_calls", j)
            if _index(step, _index_of(call), call.type, problem, *where):
                _accumulate(step, call, problem, *where)

    def _message(self, event: MessageEvent, problem: _Problem) -> None:
        msg = event.data
        self._same_thread(msg.thread_id, problem, "thread_id")
        if msg.run_id is not None:
            self._same_run(msg.run_id, problem, "data", "run_id")
        self._status_of(event, problem)
        known = self._messages.get(msg.id)
        if event.event == "thread.message.created":
            if known is not None:
                problem("created_again", f"message {msg.id!r} is created again", "data", "id")
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
                _compare(known.parts, parts, problem, ("data", "content"))
            known.over = True
            known.parts.clear()  # compared: nothing reads it again
        if known is not None and len(msg.content) < len(known.types):
            problem(
                "content_mismatch",
                f"the message has {len(msg.content)} content parts, its deltas made "
                f"{len(known.types)}",
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

    def _message_delta(self, event: MessageDeltaEvent, problem: _Problem) -> None:
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
            if _index(msg, index, part.type, problem, "content", j):
                _accumulate(msg, part, problem, "content", j)

    def _open(self, table: dict[str, _Open], what: str, id: str, problem: _Problem) -> _Open | None:
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


class _Problem(Protocol):
    """The type of :meth:`StreamChecker.check`'s local ``problem()``."""

    def __call__(self, code: ErrorCode, message: str, *where: str | int) -> None: ...


_NO_TERMINAL: Final = "the stream ends with no terminal run event, requires_action or error event"


def _text(value: str | UnknownValue) -> str:
    return value.value if isinstance(value, UnknownValue) else value


def _index_of(part: _Model) -> object:
    """A delta part's ``index`` (an unknown arm's, from its data)."""
    if isinstance(part, _UnknownArm):
        return part.data.get("index")
    return getattr(part, "index", None)


def _index(state: _Open, index: object, type: str, problem: _Problem, *where: str | int) -> bool:
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


def _accumulate(state: _Open, part: _Model, problem: _Problem, *where: str | int) -> None:
    """Add a sound delta part to the parts as a client has them: merged into the part at its
    index, or (a new part) kept as sent."""
    data = unstructure(part)
    index = data["index"]
    at = ("data", "delta", *where)
    if index < len(state.parts) and isinstance(state.parts[index], dict):
        _merge(state.parts[index], data, problem, at)
    elif index == len(state.parts):
        state.parts.append(data)
        _as_sent(data, problem, at)


# What follows is what the official Python client does with a delta
# (openai.lib.streaming._deltas.accumulate_delta), naming each place where what it makes is
# not what the server meant: values added to one it has (strings appended, numbers summed)
# that are not pieces of one text, values of another type (it keeps its own), entries of an
# indexed list that it misplaces, and those it raises on.


def _merge(
    have: dict[str, Any], delta: dict[str, Any], problem: _Problem, at: tuple[Any, ...]
) -> None:
    """Merge ``delta`` into ``have`` as the client does, naming what it garbles."""
    for key, value in delta.items():
        where = (*at, key)
        if have.get(key) is None:
            if not _indexed(value):
                have[key] = value
                _as_sent(value, problem, where)
                continue
            have[key] = []  # merged entry by entry: one delta may hold pieces of one entry
        old = have[key]
        if isinstance(old, _Text):
            if isinstance(value, str):
                old.add(value)
                continue
            old = old.text()
        if key == "type" and value != old:
            problem(
                "type_mismatch",
                f"a {excerpt(value, 40)} delta for the {excerpt(old, 40)} entry at its index: "
                "clients merge the two into one",
                *where,
            )
        if key in ("index", "type"):
            have[key] = value
        elif isinstance(old, str) and isinstance(value, str):
            if key in _PIECES:
                have[key] = _Text(old, value)
                continue
            _repeated(key, value, old, "add it to", problem, where)
            have[key] = old + value
        elif isinstance(old, (int, float)) and isinstance(value, (int, float)):
            _repeated(key, value, old, "sum it with", problem, where)  # booleans too
            have[key] = old + value
        elif isinstance(old, dict) and isinstance(value, dict):
            _merge(old, value, problem, where)
        elif isinstance(old, list) and isinstance(value, list):
            _merge_list(old, value, problem, where)
        else:
            problem(
                "type_mismatch",
                f"{key!r} as {json_type(value)} where clients have {json_type(old)}: they keep "
                "theirs",
                *where,
            )


def _merge_list(old: list[Any], value: list[Any], problem: _Problem, at: tuple[Any, ...]) -> None:
    """Merge the entries of a list in a delta: appended when the list holds scalars, else
    each at its ``index``."""
    if all(isinstance(x, (str, int, float)) for x in old) and (old or not _indexed(value)):
        old.extend(value)
        return
    for j, entry in enumerate(value):
        index = entry.get("index") if isinstance(entry, dict) else None
        if not isinstance(index, int):
            what = (
                "an entry with no integer `index`" if isinstance(entry, dict) else "not an object"
            )
            problem(
                "content_index",
                f"{what} where clients hold a list of objects: the official Python helper raises",
                *at,
                j,
            )
            return  # it stops reading the stream there
        inside = -len(old) <= index < len(old)  # the client reads old[index] (from the end too)
        if inside and not isinstance(old[index], dict):
            problem(
                "content_index",
                f"index {index} names an entry that is not an object: the official Python "
                "helper raises",
                *at,
                j,
                "index",
            )
            return
        if index < 0 or index > len(old):
            problem(
                "content_index",
                f"index {index} where {len(old)} entries exist (the next is {len(old)}): the "
                "official Python helper puts it elsewhere",
                *at,
                j,
                "index",
            )
        if inside:
            _merge(old[index], entry, problem, (*at, j))
        else:
            old.insert(index, entry)
            _as_sent(entry, problem, (*at, j))


def _compare(have: Any, final: Any, problem: _Problem, at: tuple[Any, ...]) -> None:
    """Name where what the deltas made (``have``, as a client has it) differs from the
    finished object's (``final``): in what both hold (the finished one may hold more, such as
    a call's ``output``), keys and list places alike, ``index`` aside."""
    if isinstance(have, _Text):
        have = have.text()
    if isinstance(have, dict) and isinstance(final, dict):
        for key, value in have.items():
            if key != "index" and key in final:
                _compare(value, final[key], problem, (*at, key))
    elif isinstance(have, list) and isinstance(final, list):
        for place, (one, other) in enumerate(zip(have, final, strict=False)):
            _compare(one, other, problem, (*at, place))
    elif have != final or type(have) is not type(final):
        problem(
            "content_mismatch",
            f"the deltas made {excerpt(have, 40)} where the finished object has "
            f"{excerpt(final, 40)}: clients that keep what the deltas made have the first",
            *at,
        )


def _as_sent(value: Any, problem: _Problem, at: tuple[Any, ...]) -> None:
    """Name the entries of indexed lists inside a value a client keeps as sent (a new part,
    a new key) whose ``index`` is not their place: it does not merge or reorder them, so
    two pieces of one entry in one delta make two entries."""
    if isinstance(value, dict):
        for key, item in value.items():
            _as_sent(item, problem, (*at, key))
    elif isinstance(value, list) and _indexed(value):
        for place, entry in enumerate(value):
            index = entry.get("index") if isinstance(entry, dict) else None
            if index != place:
                problem(
                    "content_index",
                    f"index {excerpt(index)} at place {place} of a new list: clients keep its "
                    f"entries as sent, so it should be {place}",
                    *at,
                    place,
                    "index",
                )
            _as_sent(entry, problem, (*at, place))


def _indexed(value: object) -> bool:
    """A list holding an object with an ``index`` (what the client merges by index)."""
    return isinstance(value, list) and any(isinstance(e, dict) and "index" in e for e in value)


def _repeated(
    key: str, value: object, old: object, does: str, problem: _Problem, at: tuple[Any, ...]
) -> None:
    problem(
        "repeated_value",
        f"{key!r} again ({excerpt(value, 40)} after {excerpt(old, 40)}): clients {does} the "
        "one they have",
        *at,
    )


def _unknown_event(event: UnknownEvent, problem: _Problem) -> None:
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


def check_stream(events: Iterable[StreamEvent]) -> list[ErrorDetail]:
    """Every problem in the order of a whole stream's events.

    >>> import runschema
    >>> runschema.check_stream([runschema.DoneEvent(), runschema.DoneEvent()])[-1].code
    'after_done'
    """
    checker = StreamChecker()
    out = [p for event in events for p in checker.check(event)]
    return out + checker.finish()
