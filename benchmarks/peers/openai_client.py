"""What the official ``openai`` package does with a page of runs and with an Assistants stream.

- :class:`RunPage`: a List runs page as a model of the package's own ``Run``
  (``model_validate_json`` validates every run).
- :func:`client_events`: the client's own reading of a stream body, step for step as
  ``openai._streaming.Stream.__stream__`` does it with the client's defaults (legacy stream
  mode, no strict response validation): ``SSEDecoder().iter_bytes`` splits the frames; a frame
  whose data starts with ``[DONE]`` ends the loop (nothing is yielded for it); every other
  frame's data is parsed by ``ServerSentEvent.json()`` (``json.loads``) and handed to the
  client's ``_process_response_data``, which for ``AssistantStreamEvent`` (a union: no class)
  is ``construct_type(type_=AssistantStreamEvent, value={"data": data, "event": name})``. For a
  union that function first validates the value with a cached ``TypeAdapter`` and constructs
  without checking only if that fails. ``tests/test_benchmarks.py`` checks that this gives
  what the client itself yields over HTTP.
- :func:`validated_events`: the same frames, each validated with
  ``TypeAdapter(AssistantStreamEvent).validate_python`` directly (no ``construct_type``).
- :func:`by_name_events`: not the client's path, but the fastest use of the package's models
  found: each frame's event class picked by its name, and ``model_validate_json`` of
  ``{"event": NAME, "data": DATA}`` (the data's JSON text spliced in, not parsed first).
- :func:`encode_events`: a stream body written from the package's event models, each frame
  ``event: NAME`` and one ``data:`` line of the event's data as compact JSON (``dump``: its
  ``model_dump_json(by_alias=True, exclude_unset=True)`` or ``to_json(indent=None)``), then
  the ``done`` frame.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, get_args

from openai import BaseModel
from openai._models import construct_type
from openai._streaming import SSEDecoder
from openai.types.beta import AssistantStreamEvent
from openai.types.beta.threads import Run
from pydantic import TypeAdapter

__all__ = [
    "DONE_FRAME",
    "EVENT_CLASSES",
    "RunPage",
    "by_name_events",
    "client_events",
    "encode_events",
    "event_adapter",
    "validated_events",
]

DONE_FRAME = b"event: done\ndata: [DONE]\n\n"


class RunPage(BaseModel):
    """A page of runs (``ListRunsResponse``) over the package's ``Run``."""

    object: str
    data: list[Run]
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool


#: The adapter the validating reading uses (built once, as the client's is cached).
event_adapter: TypeAdapter[Any] = TypeAdapter(AssistantStreamEvent)


def client_events(body: bytes) -> list[Any]:
    """The events the official client yields for ``body`` (see the module docstring)."""
    out: list[Any] = []
    for sse in SSEDecoder().iter_bytes(iter((body,))):
        if sse.data.startswith("[DONE]"):
            break
        if not (sse.event and sse.event.startswith("thread.")):
            # ``error`` and unnamed frames take another branch; no transcript has them
            raise ValueError(f"not a thread.* event: {sse.event!r}")
        data = sse.json()
        out.append(
            construct_type(type_=AssistantStreamEvent, value={"data": data, "event": sse.event})
        )
    return out


def _frames(body: bytes) -> Iterator[tuple[str | None, str]]:
    for sse in SSEDecoder().iter_bytes(iter((body,))):
        if sse.data.startswith("[DONE]"):
            return
        yield sse.event, sse.data


def validated_events(body: bytes) -> list[Any]:
    """The frames of ``body`` up to ``done``, each validated as an ``AssistantStreamEvent``."""
    validate = event_adapter.validate_python
    return [validate({"event": name, "data": json.loads(data)}) for name, data in _frames(body)]


def _event_classes() -> dict[str, type[BaseModel]]:
    from openai.types.beta import assistant_stream_event as m

    out: dict[str, type[BaseModel]] = {}
    for cls in vars(m).values():
        fields = getattr(cls, "model_fields", {})
        if isinstance(cls, type) and issubclass(cls, BaseModel) and "event" in fields:
            for name in get_args(fields["event"].annotation):
                out[name] = cls
    return out


#: The package's event class of each event name.
EVENT_CLASSES: dict[str, type[BaseModel]] = _event_classes()
_PREFIXES = {name: b"event: " + name.encode() + b"\ndata: " for name in EVENT_CLASSES}


def by_name_events(body: bytes) -> list[Any]:
    """The frames of ``body`` up to ``done``, each validated by its event's own class."""
    classes = EVENT_CLASSES
    return [
        classes[str(name)].model_validate_json(f'{{"event":"{name}","data":{data}}}')
        for name, data in _frames(body)
    ]


def encode_events(events: Sequence[Any], dump: Callable[[Any], str]) -> bytes:
    """A stream body of ``events`` (openai event models) and ``done``, each event's data
    written by ``dump``."""
    prefixes = _PREFIXES
    parts = [prefixes[e.event] + dump(e.data).encode() + b"\n\n" for e in events]
    parts.append(DONE_FRAME)
    return b"".join(parts)
