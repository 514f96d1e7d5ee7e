"""The events of an Assistants stream, one frozen value each, and the table of their names.

A stream is a sequence of server-sent events: a name (``thread.run.created``, ...) and a JSON
``data``. Each class here holds one family of names and the typed data they carry; the name
stays on the value (``event.event``), so a ``thread.run.completed`` and a
``thread.run.queued`` are both a :class:`RunEvent`, told apart by name. An event whose name this
version does not know is an :class:`UnknownEvent` (lenient mode) holding its data as sent.

Declarations only: reading and writing the wire form is ``_sse``'s, checking an order of
events ``_checker``'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import UnionType
from typing import Any, Final, Literal, TypeAlias, Union, get_args, get_origin

import attrs
import orjson

from ._errors import ErrorCode, ErrorDetail, ValidationError, excerpt
from ._kinds import BAD, Ctx, build_model, has_surrogates, json_type
from ._messages import Message, MessageDelta, RunStepDelta, Thread
from ._models import Run
from ._pages import ErrorObject
from ._steps import RunStep
from ._values import ReadOnlyDict, expect

__all__ = [
    "DONE",
    "EVENT_CLASSES",
    "EVENT_DATA",
    "EVENT_NAMES",
    "DoneEvent",
    "ErrorEvent",
    "MessageDeltaEvent",
    "MessageEvent",
    "MessageEventName",
    "NAMES_OF",
    "RunEvent",
    "RunEventName",
    "RunStepDeltaEvent",
    "RunStepEvent",
    "RunStepEventName",
    "StreamEvent",
    "ThreadEvent",
    "UnknownEvent",
    "event_union",
]

#: The names of the events that carry a Run (``thread.run.*``).
RunEventName: TypeAlias = Literal[
    "thread.run.created",
    "thread.run.queued",
    "thread.run.in_progress",
    "thread.run.requires_action",
    "thread.run.completed",
    "thread.run.incomplete",
    "thread.run.failed",
    "thread.run.cancelling",
    "thread.run.cancelled",
    "thread.run.expired",
]
#: The names of the events that carry a RunStep (``thread.run.step.*`` but ``delta``).
RunStepEventName: TypeAlias = Literal[
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.run.step.completed",
    "thread.run.step.failed",
    "thread.run.step.cancelled",
    "thread.run.step.expired",
]
#: The names of the events that carry a Message (``thread.message.*`` but ``delta``).
MessageEventName: TypeAlias = Literal[
    "thread.message.created",
    "thread.message.in_progress",
    "thread.message.completed",
    "thread.message.incomplete",
]

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


class _Checked:
    """Base of the event classes: an event is checked when it is built (by its constructor or
    ``attrs.evolve``), as a model is, so that every event can be written and read back: a name
    its class carries and data of its class (``ValidationError`` at ``$.event`` or ``$.data``
    otherwise)."""

    __slots__ = ()
    event: Any  # each class declares its own
    data: Any

    def __attrs_post_init__(self) -> None:
        rule = _RULES.get(type(self))  # the common case first: a known event as it should be
        if rule is not None:
            name = self.event
            if type(name) is str and name in rule[0] and isinstance(self.data, rule[1]):
                return
        problems = _problems(self)
        if problems:
            raise ValidationError(problems)


@attrs.frozen
class ThreadEvent(_Checked):
    """``thread.created``: the thread a create-thread-and-run stream made.

    >>> from datetime import datetime, timezone
    >>> import runschema
    >>> when = datetime(2024, 3, 13, tzinfo=timezone.utc)
    >>> thread = runschema.Thread(id="thread_1", created_at=when)
    >>> runschema.ThreadEvent(data=thread).event
    'thread.created'
    """

    __match_args__ = ("data",)  # one name: patterns match the data alone

    data: Thread
    event: Literal["thread.created"] = "thread.created"


@attrs.frozen
class RunEvent(_Checked):
    """``thread.run.*``: the run, as it is created and as its status changes (ten names).

    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> runschema.RunEvent("thread.run.completed", run).data.id
    'run_abc123'
    """

    event: RunEventName
    data: Run

    @classmethod
    def of(cls, run: Run) -> RunEvent:
        """The event a run's status names (``thread.run.queued`` for a queued run, ...):
        a server's next event as its run changes, typed, where a name made with an f-string
        from ``run.status`` is a ``str`` mypy cannot check (``thread.run.created`` is said
        by name). ValueError for a status this version does not know.

        >>> import runschema
        >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
        >>> runschema.RunEvent.of(run).event
        'thread.run.completed'
        """
        expect(run, Run, "run")  # a dict, or another model: TypeError (found in a trial)
        return cls(_named("thread.run.", run.status, RunEventName), run)


def _named(prefix: str, status: Any, names: Any) -> Any:
    """The event name of ``prefix`` and a status, one of ``names``; ValueError else (an
    ``UnknownValue`` status a lenient read kept)."""
    name = f"{prefix}{status}" if isinstance(status, str) else None
    if name is None or name not in get_args(names) or name.endswith(".created"):
        raise ValueError(f"no {prefix}* event names the status {status!r}")
    return name


@attrs.frozen
class RunStepEvent(_Checked):
    """``thread.run.step.*`` (but ``delta``): a run step, as it is created and changes."""

    event: RunStepEventName
    data: RunStep

    @classmethod
    def of(cls, step: RunStep) -> RunStepEvent:
        """The event a step's status names (``thread.run.step.completed``, ...), as
        :meth:`RunEvent.of`."""
        expect(step, RunStep, "step")
        return cls(_named("thread.run.step.", step.status, RunStepEventName), step)


@attrs.frozen
class RunStepDeltaEvent(_Checked):
    """``thread.run.step.delta``: part of a run step while it streams (tool call arguments)."""

    __match_args__ = ("data",)  # one name: patterns match the data alone

    data: RunStepDelta
    event: Literal["thread.run.step.delta"] = "thread.run.step.delta"


@attrs.frozen
class MessageEvent(_Checked):
    """``thread.message.*`` (but ``delta``): a message, as it is created and changes."""

    event: MessageEventName
    data: Message

    @classmethod
    def of(cls, message: Message) -> MessageEvent:
        """The event a message's status names (``thread.message.completed``, ...), as
        :meth:`RunEvent.of`."""
        expect(message, Message, "message")
        return cls(_named("thread.message.", message.status, MessageEventName), message)


@attrs.frozen
class MessageDeltaEvent(_Checked):
    """``thread.message.delta``: part of a message while it streams (its text, piece by piece)."""

    __match_args__ = ("data",)  # one name: patterns match the data alone

    data: MessageDelta
    event: Literal["thread.message.delta"] = "thread.message.delta"


@attrs.frozen
class ErrorEvent(_Checked):
    """``error``: the stream failed; ``data`` says why, in the API's error shape.

    A server sends this in place of breaking off a stream when something fails midway.
    """

    __match_args__ = ("data",)  # one name: patterns match the data alone

    data: ErrorObject
    event: Literal["error"] = "error"


#: The data of the ``done`` event.
DONE: Final = "[DONE]"


@attrs.frozen
class DoneEvent(_Checked):
    """``done``: the stream is over (``data: [DONE]``); nothing follows it."""

    __match_args__ = ("data",)  # one name: patterns match the data alone

    data: Literal["[DONE]"] = "[DONE]"
    event: Literal["done"] = "done"


@attrs.frozen
class UnknownEvent(_Checked):
    """An event whose name this version does not know, kept whole (lenient mode).

    ``data`` is the event's data exactly as sent (a text, JSON or not), so writing the event
    back gives the same frame. Strict mode reports such an event (``unknown_event``) instead.
    The name is one line, not empty, and not a known one (``invalid_unknown``: the frame would
    be read as that event), save ``error`` with data that is an object with an ``error`` key
    and no error object (``{"error": {"message": ...}}``, the frame the official clients
    raise on, which the spec's ``error`` event is not); neither holds lone surrogates, and the
    data holds no carriage return, which the stream reads as a line end
    (``invalid_string``): every UnknownEvent is read back equal from its frame.
    """

    event: str
    data: str


StreamEvent: TypeAlias = (
    ThreadEvent
    | RunEvent
    | RunStepEvent
    | RunStepDeltaEvent
    | MessageEvent
    | MessageDeltaEvent
    | ErrorEvent
    | DoneEvent
    | UnknownEvent
)
"""Any event of an Assistants stream."""

#: The event classes (the members of StreamEvent).
EVENT_CLASSES: Final[tuple[type[Any], ...]] = get_args(StreamEvent)


def _table() -> dict[str, tuple[type[StreamEvent], type[object] | None]]:
    table: dict[str, tuple[type[StreamEvent], type[object] | None]] = {
        "thread.created": (ThreadEvent, Thread),
        "thread.run.step.delta": (RunStepDeltaEvent, RunStepDelta),
        "thread.message.delta": (MessageDeltaEvent, MessageDelta),
        "error": (ErrorEvent, ErrorObject),
        "done": (DoneEvent, None),
    }
    for names, cls, data in (
        (RunEventName, RunEvent, Run),
        (RunStepEventName, RunStepEvent, RunStep),
        (MessageEventName, MessageEvent, Message),
    ):
        for name in get_args(names):
            table[name] = (cls, data)
    return table


_EVENTS: Final = ReadOnlyDict(_table())

#: Every event name this version knows, in the spec's order of families.
EVENT_NAMES: Final[tuple[str, ...]] = tuple(_EVENTS)

#: Event name -> (the event class, the class of its data; ``None`` for ``done``).
EVENT_DATA: Final[Mapping[str, tuple[type[StreamEvent], type[object] | None]]] = _EVENTS


def event_union(tp: Any) -> tuple[type[Any], ...] | None:
    """The event classes of ``tp`` if it is a union of event classes (``StreamEvent``,
    ``RunEvent | DoneEvent``, any of them ``| None``), else None."""
    if get_origin(tp) not in (Union, UnionType):
        return None
    members = tuple(a for a in get_args(tp) if a is not type(None))
    return members if members and all(a in EVENT_CLASSES for a in members) else None


#: Event class -> the names it carries (none for UnknownEvent).
NAMES_OF: Final[dict[type[Any], tuple[str, ...]]] = {UnknownEvent: ()}
for _name, (_cls, _) in _EVENTS.items():
    NAMES_OF[_cls] = (*NAMES_OF.get(_cls, ()), _name)
del _name, _cls


#: Event class -> (its names, its data's class), for the classes whose data is a model.
_RULES: Final[dict[type[Any], tuple[frozenset[str], type[Any]]]] = {
    cls: (frozenset(names), data)
    for cls, names in NAMES_OF.items()
    if names and (data := EVENT_DATA[names[0]][1]) is not None
}


def _problems(event: Any) -> list[ErrorDetail]:
    """What keeps ``event`` from being written and read back as it is (none, mostly)."""
    cls = type(event)
    name, data = event.event, event.data
    if cls is UnknownEvent:
        return _unknown_problems(name, data)
    for base in cls.__mro__:  # a subclass of an event class carries what its base carries
        names = NAMES_OF.get(base)
        if names is not None:
            break
    else:  # pragma: no cover - _Checked is private to this module
        raise TypeError(f"{cls.__name__} is not an event class")
    data_cls = EVENT_DATA[names[0]][1]
    fits = data == DONE if data_cls is None else isinstance(data, data_cls)
    if type(name) is str and name in names and fits:
        return []
    out: list[ErrorDetail] = []
    if type(name) is not str:
        out.append(_problem("event", "type", f"expected a string, got {json_type(name)}", name))
    elif name not in names:
        allowed = ", ".join(map(repr, names))
        code: ErrorCode = "const" if len(names) == 1 else "enum"
        expected = allowed if len(names) == 1 else f"one of {allowed}"
        message = f"{cls.__name__} carries {expected}, not {excerpt(name)}"
        out.append(_problem("event", code, message, name))
    if not fits:
        if data_cls is None:
            out.append(_problem("data", "const", f"expected {DONE!r}, got {excerpt(data)}", data))
        else:
            got = type(data).__name__
            message = f"expected a {data_cls.__name__}, got {got}"
            out.append(_problem("data", "type", message, data))
    return out


def _unknown_problems(name: Any, data: Any) -> list[ErrorDetail]:
    out: list[ErrorDetail] = []
    if type(name) is not str:
        out.append(_problem("event", "type", f"expected a string, got {json_type(name)}", name))
    elif name == "" or "\n" in name or "\r" in name or has_surrogates(name):
        message = f"an event name is one line of text, not empty: {excerpt(name)}"
        out.append(_problem("event", "invalid_string", message, name))
    elif name in EVENT_DATA and not (name == "error" and client_error_data(data)):
        # its frame would be read as that event
        message = f"{excerpt(name)} is a known event: use {EVENT_DATA[name][0].__name__}"
        out.append(_problem("event", "invalid_unknown", message, name))
    if type(data) is not str:
        out.append(_problem("data", "type", f"expected a string, got {json_type(data)}", data))
    elif has_surrogates(data):
        message = "a string with lone surrogates, which UTF-8 cannot carry"
        out.append(_problem("data", "invalid_string", message, data))
    elif "\r" in data:  # it would be read back as "\n"
        message = "a carriage return, which the event stream reads as a line end"
        out.append(_problem("data", "invalid_string", message, data))
    return out


def client_error_data(data: object) -> bool:
    """Whether ``data`` (an event's text) is an object with an ``error`` key that is no error
    object: the error frame the official clients raise on (``{"error": {"message": ...}}``),
    which the spec's ``error`` event (its data the error object itself) is not. Lenient
    decoding keeps such an ``error`` frame as an :class:`UnknownEvent`."""
    if type(data) is not str or not data.lstrip(" \t\r\n").startswith("{"):
        return False
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError:
        return False
    if type(doc) is not dict or "error" not in doc:
        return False
    ctx = Ctx(strict=False)  # the reference's lenient reading, as the decoder's
    return ctx.run(build_model, ErrorObject, doc, (), ctx) is BAD or ctx.count > 0


def _problem(key: str, code: ErrorCode, message: str, value: object) -> ErrorDetail:
    return ErrorDetail(loc=(key,), code=code, message=message, input=excerpt(value))
