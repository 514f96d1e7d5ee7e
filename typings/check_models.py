"""Static contract of the models: checked by mypy --strict, never run."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from typing_extensions import assert_type

import runschema
from runschema import (
    UNSET,
    CodeInterpreterTool,
    FileSearchTool,
    FunctionTool,
    NamedToolChoice,
    RequiredAction,
    ResponseFormatJsonObject,
    ResponseFormatJsonSchema,
    ResponseFormatText,
    Run,
    RunUpdateParams,
    UnknownRequiredAction,
    UnknownResponseFormat,
    UnknownTool,
    UnknownToolChoice,
    UnknownValue,
    Unset,
    Usage,
)

run = runschema.loads(b"{}", Run)
assert_type(run, Run)
assert_type(runschema.loads(b"{}", Run, strict=True), Run)
assert_type(runschema.loads(b"{}", runschema.RunEvent), runschema.RunEvent)
assert_type(runschema.structure({}, runschema.RunStep), runschema.RunStep)


class _Yours:  # a class runschema does not read (TypeError): not typed as read
    pass


assert_type(runschema.loads(b"{}", _Yours), Any)
assert_type(runschema.structure({}, dict), Any)
assert_type(runschema.structure({}, Usage), Usage)
assert_type(runschema.dumps(run), bytes)

assert_type(
    run.status,
    Literal[
        "queued",
        "in_progress",
        "requires_action",
        "cancelling",
        "cancelled",
        "failed",
        "completed",
        "incomplete",
        "expired",
    ]
    | UnknownValue,
)
assert_type(run.created_at, datetime)
assert_type(run.completed_at, datetime | None)
assert_type(run.metadata, Mapping[str, str] | None)
assert_type(run.temperature, float | None | Unset)
assert_type(run.required_action, RequiredAction | UnknownRequiredAction | None)
assert_type(run.tools[0], CodeInterpreterTool | FileSearchTool | FunctionTool | UnknownTool)
assert_type(
    run.tool_choice,
    Literal["none", "auto", "required"] | UnknownValue | NamedToolChoice | UnknownToolChoice | None,
)
assert_type(
    run.response_format,
    Literal["auto"]
    | UnknownValue
    | ResponseFormatText
    | ResponseFormatJsonObject
    | ResponseFormatJsonSchema
    | UnknownResponseFormat
    | None,
)

# UNSET narrows: a one-member enum.
t = run.temperature
if t is not UNSET and t is not None:
    assert_type(t, float)

tool = run.tools[0]
if isinstance(tool, FunctionTool):
    assert_type(tool.function.name, str)
elif isinstance(tool, UnknownTool):
    assert_type(tool.type, str)

# Misuse that must be rejected.
run.status = "failed"  # type: ignore[misc]
Usage(prompt_tokens=1, completion_tokens=2)  # type: ignore[call-arg]
Usage(prompt_tokens="1", completion_tokens=2, total_tokens=3)  # type: ignore[arg-type]
RunUpdateParams(metadata={"a": 1})  # type: ignore[dict-item]
NamedToolChoice(type="browser")  # type: ignore[arg-type]
Usage(1, 2, 3)  # type: ignore[call-arg, arg-type]

# A run is built from the fields that matter: nullable ones default to None, optional to UNSET.
built = Run(
    id="run_1",
    created_at=datetime(2024, 1, 1),
    thread_id="t",
    assistant_id="a",
    status="queued",
    model="m",
    tools=(),
    parallel_tool_calls=True,
)
assert_type(built.required_action, RequiredAction | UnknownRequiredAction | None)
Run(id="run_1")  # type: ignore[call-arg]

# what a lenient decode kept is JSON, not Any; a FrozenMap's get is a Mapping's
assert_type(runschema.unknown_fields(run), Mapping[str, runschema.JsonValue])
names = runschema.FrozenMap({"a": "b"})
assert_type(names.get("a"), str | None)
assert_type(names.get("a", "z"), str)
assert_type(names.get("a", 0), str | int)

# A misspelt name is an error, not Any (the names imported on first use are seen as imported).
misspelt = runschema.ValidatonError  # type: ignore[attr-defined]
runschema.loads(b"{}", runschema.Rn)  # type: ignore[attr-defined]

# UNSET is falsy to a checker too: a truthy optional value is narrowed to its own type
if run.temperature:
    assert_type(run.temperature, float)
