"""pydantic v2 models of the Run, a page of runs and the run step, same shape, written plainly
(not the openai package's)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")


class FunctionCall(_M):
    name: str
    arguments: str


class ToolCall(_M):
    id: str
    type: Literal["function"]
    function: FunctionCall


class SubmitToolOutputs(_M):
    tool_calls: list[ToolCall]


class RequiredAction(_M):
    type: Literal["submit_tool_outputs"]
    submit_tool_outputs: SubmitToolOutputs


class LastError(_M):
    code: Literal["server_error", "rate_limit_exceeded", "invalid_prompt"]
    message: str


class IncompleteDetails(_M):
    reason: Literal["max_completion_tokens", "max_prompt_tokens"] | None = None


class Usage(_M):
    completion_tokens: int
    prompt_tokens: int
    total_tokens: int


class TruncationStrategy(_M):
    type: Literal["auto", "last_messages"]
    last_messages: int | None = None


class CodeInterpreterTool(_M):
    type: Literal["code_interpreter"]


class RankingOptions(_M):
    score_threshold: float
    ranker: Literal["auto", "default_2024_08_21"] | None = None


class FileSearchOptions(_M):
    max_num_results: int | None = None
    ranking_options: RankingOptions | None = None


class FileSearchTool(_M):
    type: Literal["file_search"]
    file_search: FileSearchOptions | None = None


class FunctionDefinition(_M):
    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class FunctionTool(_M):
    type: Literal["function"]
    function: FunctionDefinition


Tool = Annotated[CodeInterpreterTool | FileSearchTool | FunctionTool, Field(discriminator="type")]


class ResponseFormatText(_M):
    type: Literal["text"]


class ResponseFormatJsonObject(_M):
    type: Literal["json_object"]


class JsonSchemaFormat(_M):
    name: str
    description: str | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: bool | None = None


class ResponseFormatJsonSchema(_M):
    type: Literal["json_schema"]
    json_schema: JsonSchemaFormat


ResponseFormatObject = Annotated[
    ResponseFormatText | ResponseFormatJsonObject | ResponseFormatJsonSchema,
    Field(discriminator="type"),
]


class NamedFunction(_M):
    name: str


class NamedToolChoice(_M):
    type: Literal["function", "code_interpreter", "file_search"]
    function: NamedFunction | None = None


class CodeInterpreterResources(_M):
    file_ids: list[str] | None = None


class FileSearchResources(_M):
    vector_store_ids: list[str] | None = None


class ToolResources(_M):
    code_interpreter: CodeInterpreterResources | None = None
    file_search: FileSearchResources | None = None


class Run(_M):
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
    tools: list[Tool]
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
    response_format: Literal["auto"] | ResponseFormatObject | None


class RunList(_M):
    object: Literal["list"]
    data: list[Run]
    first_id: str | None
    last_id: str | None
    has_more: bool


# --- the run step -----------------------------------------------------------------------------


class CodeInterpreterLogsOutput(_M):
    type: Literal["logs"]
    logs: str


class CodeInterpreterImage(_M):
    file_id: str


class CodeInterpreterImageOutput(_M):
    type: Literal["image"]
    image: CodeInterpreterImage


CodeInterpreterOutput = Annotated[
    CodeInterpreterLogsOutput | CodeInterpreterImageOutput, Field(discriminator="type")
]


class StepCodeInterpreter(_M):
    input: str
    outputs: list[CodeInterpreterOutput]


class StepCodeInterpreterCall(_M):
    id: str
    type: Literal["code_interpreter"]
    code_interpreter: StepCodeInterpreter


class StepFileSearchRankingOptions(_M):
    ranker: Literal["auto", "default_2024_08_21"]
    score_threshold: float


class FileSearchResultContent(_M):
    type: Literal["text"] | None = None
    text: str | None = None


class FileSearchResult(_M):
    file_id: str
    file_name: str
    score: float
    content: list[FileSearchResultContent] | None = None


class StepFileSearch(_M):
    ranking_options: StepFileSearchRankingOptions | None = None
    results: list[FileSearchResult] | None = None


class StepFileSearchCall(_M):
    id: str
    type: Literal["file_search"]
    file_search: StepFileSearch


class StepFunction(_M):
    name: str
    arguments: str
    output: str | None = None


class StepFunctionCall(_M):
    id: str
    type: Literal["function"]
    function: StepFunction


StepToolCall = Annotated[
    StepCodeInterpreterCall | StepFileSearchCall | StepFunctionCall, Field(discriminator="type")
]


class MessageCreation(_M):
    message_id: str


class MessageCreationDetails(_M):
    type: Literal["message_creation"]
    message_creation: MessageCreation


class ToolCallsDetails(_M):
    type: Literal["tool_calls"]
    tool_calls: list[StepToolCall]


StepDetails = Annotated[MessageCreationDetails | ToolCallsDetails, Field(discriminator="type")]


class RunStepLastError(_M):
    code: Literal["server_error", "rate_limit_exceeded"]
    message: str


class RunStep(_M):
    id: str
    object: Literal["thread.run.step"]
    created_at: int
    assistant_id: str
    thread_id: str
    run_id: str
    type: Literal["message_creation", "tool_calls"]
    status: Literal["in_progress", "cancelled", "failed", "completed", "expired"]
    step_details: StepDetails
    last_error: RunStepLastError | None = None
    expired_at: int | None = None
    cancelled_at: int | None = None
    failed_at: int | None = None
    completed_at: int | None = None
    metadata: dict[str, str] | None = None
    usage: Usage | None = None
