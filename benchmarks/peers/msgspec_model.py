"""msgspec.Struct models of the Run, a page of runs and the run step, same shape (the C-speed
reference point).

A key the API always writes (nullable or not) has no default here, so that an explicit null is
read and written back; only keys that may be absent default to None (and are then left out).
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec


class _S(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    pass


class FunctionCall(_S, frozen=True, kw_only=True):
    name: str
    arguments: str


class ToolCall(_S, frozen=True, kw_only=True, tag_field="type", tag="function"):
    id: str
    function: FunctionCall


class SubmitToolOutputs(_S, frozen=True, kw_only=True):
    tool_calls: tuple[ToolCall, ...]


class RequiredAction(_S, frozen=True, kw_only=True):
    type: Literal["submit_tool_outputs"]
    submit_tool_outputs: SubmitToolOutputs


class LastError(_S, frozen=True, kw_only=True):
    code: Literal["server_error", "rate_limit_exceeded", "invalid_prompt"]
    message: str


class IncompleteDetails(_S, frozen=True, kw_only=True):
    reason: Literal["max_completion_tokens", "max_prompt_tokens"] | None = None


class Usage(_S, frozen=True, kw_only=True):
    completion_tokens: int
    prompt_tokens: int
    total_tokens: int


class TruncationStrategy(_S, frozen=True, kw_only=True):
    type: Literal["auto", "last_messages"]
    last_messages: int | None = None


class CodeInterpreterTool(_S, frozen=True, kw_only=True, tag_field="type", tag="code_interpreter"):
    pass


class RankingOptions(_S, frozen=True, kw_only=True):
    score_threshold: float
    ranker: Literal["auto", "default_2024_08_21"] | None = None


class FileSearchOptions(_S, frozen=True, kw_only=True):
    max_num_results: int | None = None
    ranking_options: RankingOptions | None = None


class FileSearchTool(_S, frozen=True, kw_only=True, tag_field="type", tag="file_search"):
    file_search: FileSearchOptions | None = None


class FunctionDefinition(_S, frozen=True, kw_only=True):
    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class FunctionTool(_S, frozen=True, kw_only=True, tag_field="type", tag="function"):
    function: FunctionDefinition


class ResponseFormatText(_S, frozen=True, kw_only=True, tag_field="type", tag="text"):
    pass


class ResponseFormatJsonObject(_S, frozen=True, kw_only=True, tag_field="type", tag="json_object"):
    pass


class JsonSchemaFormat(_S, frozen=True, kw_only=True):
    name: str
    description: str | None = None
    schema: dict[str, Any] | None = None
    strict: bool | None = None


class ResponseFormatJsonSchema(_S, frozen=True, kw_only=True, tag_field="type", tag="json_schema"):
    json_schema: JsonSchemaFormat


class NamedFunction(_S, frozen=True, kw_only=True):
    name: str


class NamedToolChoice(_S, frozen=True, kw_only=True):
    type: Literal["function", "code_interpreter", "file_search"]
    function: NamedFunction | None = None


class CodeInterpreterResources(_S, frozen=True, kw_only=True):
    file_ids: tuple[str, ...] | None = None


class FileSearchResources(_S, frozen=True, kw_only=True):
    vector_store_ids: tuple[str, ...] | None = None


class ToolResources(_S, frozen=True, kw_only=True):
    code_interpreter: CodeInterpreterResources | None = None
    file_search: FileSearchResources | None = None


class Run(_S, frozen=True, kw_only=True):
    id: str
    object: Literal["thread.run"]
    created_at: int
    thread_id: str
    assistant_id: str
    status: Literal[
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
    required_action: RequiredAction | None = None
    last_error: LastError | None
    expires_at: int | None
    started_at: int | None
    cancelled_at: int | None
    failed_at: int | None
    completed_at: int | None
    incomplete_details: IncompleteDetails | None = None
    model: str
    instructions: str | None
    tools: tuple[CodeInterpreterTool | FileSearchTool | FunctionTool, ...]
    tool_resources: ToolResources | None = None
    metadata: dict[str, str] | None
    usage: Usage | None
    temperature: float | None = None
    top_p: float | None = None
    max_prompt_tokens: int | None = None
    max_completion_tokens: int | None = None
    truncation_strategy: TruncationStrategy | None = None
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None
    parallel_tool_calls: bool
    response_format: (
        Literal["auto"]
        | ResponseFormatText
        | ResponseFormatJsonObject
        | ResponseFormatJsonSchema
        | None
    )


class RunList(_S, frozen=True, kw_only=True):
    object: Literal["list"]
    data: tuple[Run, ...]
    first_id: str | None
    last_id: str | None
    has_more: bool


# --- the run step -----------------------------------------------------------------------------


class CodeInterpreterLogsOutput(_S, frozen=True, kw_only=True, tag_field="type", tag="logs"):
    logs: str


class CodeInterpreterImage(_S, frozen=True, kw_only=True):
    file_id: str


class CodeInterpreterImageOutput(_S, frozen=True, kw_only=True, tag_field="type", tag="image"):
    image: CodeInterpreterImage


class StepCodeInterpreter(_S, frozen=True, kw_only=True):
    input: str
    outputs: tuple[CodeInterpreterLogsOutput | CodeInterpreterImageOutput, ...]


class StepCodeInterpreterCall(
    _S, frozen=True, kw_only=True, tag_field="type", tag="code_interpreter"
):
    id: str
    code_interpreter: StepCodeInterpreter


class StepFileSearchRankingOptions(_S, frozen=True, kw_only=True):
    ranker: Literal["auto", "default_2024_08_21"]
    score_threshold: float


class FileSearchResultContent(_S, frozen=True, kw_only=True):
    type: Literal["text"] | None = None
    text: str | None = None


class FileSearchResult(_S, frozen=True, kw_only=True):
    file_id: str
    file_name: str
    score: float
    content: tuple[FileSearchResultContent, ...] | None = None


class StepFileSearch(_S, frozen=True, kw_only=True):
    ranking_options: StepFileSearchRankingOptions | None = None
    results: tuple[FileSearchResult, ...] | None = None


class StepFileSearchCall(_S, frozen=True, kw_only=True, tag_field="type", tag="file_search"):
    id: str
    file_search: StepFileSearch


class StepFunction(_S, frozen=True, kw_only=True):
    name: str
    arguments: str
    output: str | None


class StepFunctionCall(_S, frozen=True, kw_only=True, tag_field="type", tag="function"):
    id: str
    function: StepFunction


class MessageCreation(_S, frozen=True, kw_only=True):
    message_id: str


class MessageCreationDetails(
    _S, frozen=True, kw_only=True, tag_field="type", tag="message_creation"
):
    message_creation: MessageCreation


class ToolCallsDetails(_S, frozen=True, kw_only=True, tag_field="type", tag="tool_calls"):
    tool_calls: tuple[StepCodeInterpreterCall | StepFileSearchCall | StepFunctionCall, ...]


class RunStepLastError(_S, frozen=True, kw_only=True):
    code: Literal["server_error", "rate_limit_exceeded"]
    message: str


class RunStep(_S, frozen=True, kw_only=True):
    id: str
    object: Literal["thread.run.step"]
    created_at: int
    assistant_id: str
    thread_id: str
    run_id: str
    type: Literal["message_creation", "tool_calls"]
    status: Literal["in_progress", "cancelled", "failed", "completed", "expired"]
    step_details: MessageCreationDetails | ToolCallsDetails
    last_error: RunStepLastError | None
    expired_at: int | None
    cancelled_at: int | None
    failed_at: int | None
    completed_at: int | None
    metadata: dict[str, str] | None
    usage: Usage | None


decoder = msgspec.json.Decoder(Run)
page_decoder = msgspec.json.Decoder(RunList)
step_decoder = msgspec.json.Decoder(RunStep)
encoder = msgspec.json.Encoder()
