"""Hand-built Assistants streams for the stream tests: one run told through every kind of event.

``text_stream()`` is a create-thread-and-run stream whose run writes a message in three text
deltas and completes; ``tool_stream()`` is a create-run stream whose run calls a function (its
arguments in deltas) and stops at ``requires_action``. Both are valid by every rule of
``StreamChecker``; tests break them one rule at a time.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs
import orjson

import runschema as rs

T0 = datetime(2024, 3, 13, 16, 41, 15, tzinfo=timezone.utc)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def base_run(status: rs.RunStatus = "queued") -> rs.Run:
    doc = orjson.loads(rs.seed_example())
    doc.update(
        id="run_1",
        thread_id="thread_1",
        status=status,
        created_at=int(T0.timestamp()),
        started_at=None,
        completed_at=None,
        required_action=None,
        instructions="Be brief.",
        usage=None,
    )
    return rs.loads(orjson.dumps(doc), rs.Run, strict=True)


def step(status: rs.RunStepStatus, details: rs.StepDetails, id: str = "step_1") -> rs.RunStep:
    return rs.RunStep(
        id=id,
        created_at=at(1),
        assistant_id="asst_abc123",
        thread_id="thread_1",
        run_id="run_1",
        type=details.type,  # type: ignore[arg-type]
        status=status,
        step_details=details,
        completed_at=at(2) if status == "completed" else None,
        metadata={},
    )


def message(status: rs.MessageStatus, text: str | None, id: str = "msg_1") -> rs.Message:
    content = (
        ()
        if text is None
        else (rs.TextContentPart(text=rs.MessageText(value=text, annotations=())),)
    )
    return rs.Message(
        id=id,
        created_at=at(1),
        thread_id="thread_1",
        status=status,
        completed_at=at(2) if status == "completed" else None,
        role="assistant",
        content=content,
        assistant_id="asst_abc123",
        run_id="run_1",
        attachments=(),
        metadata={},
    )


def text_delta(
    index: int, value: str, id: str = "msg_1", *, first: bool = False
) -> rs.MessageDeltaEvent:
    """A piece of text; the ``first`` of its part carries what a new part needs (its
    ``annotations``, none yet), as the spec's streams send it."""
    text = rs.DeltaText(value=value, annotations=()) if first else rs.DeltaText(value=value)
    part = rs.DeltaTextPart(index=index, text=text)
    return rs.MessageDeltaEvent(
        rs.MessageDelta(id=id, delta=rs.MessageDeltaFields(content=(part,)))
    )


def text_stream() -> list[rs.StreamEvent]:
    """thread.created ... thread.run.completed, done: 15 events."""
    run = base_run()
    creation = rs.MessageCreationDetails(message_creation=rs.MessageCreation(message_id="msg_1"))
    running = attrs.evolve(run, status="in_progress", started_at=at(1))
    done = attrs.evolve(running, status="completed", completed_at=at(2))
    return [
        rs.ThreadEvent(rs.Thread(id="thread_1", created_at=T0, metadata={})),
        rs.RunEvent("thread.run.created", run),
        rs.RunEvent("thread.run.queued", run),
        rs.RunEvent("thread.run.in_progress", running),
        rs.RunStepEvent("thread.run.step.created", step("in_progress", creation)),
        rs.RunStepEvent("thread.run.step.in_progress", step("in_progress", creation)),
        rs.MessageEvent("thread.message.created", message("in_progress", None)),
        rs.MessageEvent("thread.message.in_progress", message("in_progress", None)),
        text_delta(0, "Hello", first=True),
        text_delta(0, " there"),
        text_delta(0, "!"),
        rs.MessageEvent("thread.message.completed", message("completed", "Hello there!")),
        rs.RunStepEvent("thread.run.step.completed", step("completed", creation)),
        rs.RunEvent("thread.run.completed", done),
        rs.DoneEvent(),
    ]


def tool_stream() -> list[rs.StreamEvent]:
    """thread.run.created ... thread.run.requires_action, done."""
    run = base_run()
    running = attrs.evolve(run, status="in_progress", started_at=at(1))
    call = rs.FunctionToolCall(
        id="call_1",
        function=rs.FunctionToolCallFunction(name="get_weather", arguments='{"city":"Paris"}'),
    )
    waiting = attrs.evolve(
        running,
        status="requires_action",
        required_action=rs.RequiredAction(
            submit_tool_outputs=rs.SubmitToolOutputs(tool_calls=(call,))
        ),
    )
    empty = rs.ToolCallsDetails(tool_calls=())

    def args(index: int, text: str, first: bool = False) -> rs.RunStepDeltaEvent:
        if first:  # the first delta of a call names it
            call = rs.DeltaFunctionCall(
                index=index,
                id="call_1",
                function=rs.DeltaFunction(name="get_weather", arguments=text, output=None),
            )
        else:
            call = rs.DeltaFunctionCall(index=index, function=rs.DeltaFunction(arguments=text))
        details = rs.DeltaToolCallsDetails(tool_calls=(call,))
        return rs.RunStepDeltaEvent(
            rs.RunStepDelta(id="step_1", delta=rs.RunStepDeltaFields(step_details=details))
        )

    return [
        rs.RunEvent("thread.run.created", run),
        rs.RunEvent("thread.run.queued", run),
        rs.RunEvent("thread.run.in_progress", running),
        rs.RunStepEvent("thread.run.step.created", step("in_progress", empty)),
        rs.RunStepEvent("thread.run.step.in_progress", step("in_progress", empty)),
        args(0, "", first=True),
        args(0, '{"city":'),
        args(0, '"Paris"}'),
        rs.RunEvent("thread.run.requires_action", waiting),
        rs.DoneEvent(),
    ]
