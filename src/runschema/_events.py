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
from typing import Final, Literal, TypeAlias, get_args

import attrs

from ._messages import Message, MessageDelta, RunStepDelta, Thread
from ._models import Run
from ._pages import ErrorObject
from ._steps import RunStep

__all__ = [
    "DONE",
    "EVENT_DATA",
    "EVENT_NAMES",
    "DoneEvent",
    "ErrorEvent",
    "MessageDeltaEvent",
    "MessageEvent",
    "MessageEventName",
    "RunEvent",
    "RunEventName",
    "RunStepDeltaEvent",
    "RunStepEvent",
    "RunStepEventName",
    "StreamEvent",
    "ThreadEvent",
    "UnknownEvent",
]

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
RunStepEventName: TypeAlias = Literal[
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.run.step.completed",
    "thread.run.step.failed",
    "thread.run.step.cancelled",
    "thread.run.step.expired",
]
MessageEventName: TypeAlias = Literal[
    "thread.message.created",
    "thread.message.in_progress",
    "thread.message.completed",
    "thread.message.incomplete",
]


@attrs.frozen
class ThreadEvent:
    """``thread.created``: the thread a create-thread-and-run stream made.

    >>> from datetime import datetime, timezone
    >>> import runschema
    >>> when = datetime(2024, 3, 13, tzinfo=timezone.utc)
    >>> thread = runschema.Thread(id="thread_1", created_at=when)
    >>> runschema.ThreadEvent(data=thread).event
    'thread.created'
    """

    data: Thread
    event: Literal["thread.created"] = "thread.created"


@attrs.frozen
class RunEvent:
    """``thread.run.*``: the run, as it is created and as its status changes (ten names).

    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> runschema.RunEvent("thread.run.completed", run).data.id
    'run_abc123'
    """

    event: RunEventName
    data: Run


@attrs.frozen
class RunStepEvent:
    """``thread.run.step.*`` (but ``delta``): a run step, as it is created and changes."""

    event: RunStepEventName
    data: RunStep


@attrs.frozen
class RunStepDeltaEvent:
    """``thread.run.step.delta``: part of a run step while it streams (tool call arguments)."""

    data: RunStepDelta
    event: Literal["thread.run.step.delta"] = "thread.run.step.delta"


@attrs.frozen
class MessageEvent:
    """``thread.message.*`` (but ``delta``): a message, as it is created and changes."""

    event: MessageEventName
    data: Message


@attrs.frozen
class MessageDeltaEvent:
    """``thread.message.delta``: part of a message while it streams (its text, piece by piece)."""

    data: MessageDelta
    event: Literal["thread.message.delta"] = "thread.message.delta"


@attrs.frozen
class ErrorEvent:
    """``error``: the stream failed; ``data`` says why, in the API's error shape.

    A server sends this in place of breaking off a stream when something fails midway.
    """

    data: ErrorObject
    event: Literal["error"] = "error"


#: The data of the ``done`` event.
DONE: Final = "[DONE]"


@attrs.frozen
class DoneEvent:
    """``done``: the stream is over (``data: [DONE]``); nothing follows it."""

    data: Literal["[DONE]"] = "[DONE]"
    event: Literal["done"] = "done"


@attrs.frozen
class UnknownEvent:
    """An event whose name this version does not know, kept whole (lenient mode).

    ``data`` is the event's data exactly as sent (a text, JSON or not), so writing the event
    back gives the same frame. Strict mode reports such an event (``unknown_event``) instead.
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


_EVENTS: Final = _table()

#: Every event name this version knows, in the spec's order of families.
EVENT_NAMES: Final[tuple[str, ...]] = tuple(_EVENTS)

#: Event name -> (the event class, the class of its data; ``None`` for ``done``).
EVENT_DATA: Final[Mapping[str, tuple[type[StreamEvent], type[object] | None]]] = _EVENTS
