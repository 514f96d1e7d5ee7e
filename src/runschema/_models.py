"""The Run object and every type nested in it, declared as frozen attrs classes.

This module only declares: field names are the wire names, and each field's wire kind is
derived from its annotation by the rules of the schema language (``_schema``'s docstring, with
an example per rule). It does no I/O and imports no converter.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Final, Literal, TypeAlias, Union

import attrs

from ._schema import (
    Erratum,
    Ge,
    JsonObjectT,
    Le,
    MaxLen,
    Metadata,
    Pattern,
    _Model,
    _UnknownArm,
    json_in_or_unset,
    unions,
)
from ._values import UNSET, UnknownValue, Unset, json_number_key

__all__ = [
    "CodeInterpreterResources",
    "CodeInterpreterTool",
    "FileSearchOptions",
    "FileSearchRankingOptions",
    "FileSearchResources",
    "FileSearchTool",
    "FunctionDefinition",
    "FunctionTool",
    "FunctionToolCall",
    "FunctionToolCallFunction",
    "IncompleteDetails",
    "JsonSchemaFormat",
    "LastError",
    "NamedToolChoice",
    "NamedToolChoiceFunction",
    "RequiredAction",
    "ResponseFormatJsonObject",
    "ResponseFormatJsonSchema",
    "ResponseFormatText",
    "Run",
    "RunUpdateParams",
    "SubmitToolOutputs",
    "ToolResources",
    "TruncationStrategy",
    "UnknownRequiredAction",
    "UnknownResponseFormat",
    "UnknownTool",
    "UnknownToolCall",
    "UnknownToolChoice",
    "Usage",
]

# --- the open string sets ------------------------------------------------------------------

#: The statuses of a run (a newer server's is an UnknownValue, lenient).
RunStatus: TypeAlias = Literal[
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
LastErrorCode: TypeAlias = Literal["server_error", "rate_limit_exceeded", "invalid_prompt"]
IncompleteReason: TypeAlias = Literal["max_completion_tokens", "max_prompt_tokens"]
TruncationType: TypeAlias = Literal["auto", "last_messages"]
FileSearchRanker: TypeAlias = Literal["auto", "default_2024_08_21"]
ToolChoiceString: TypeAlias = Literal["none", "auto", "required"]
ResponseFormatString: TypeAlias = Literal["auto"]
NamedToolType: TypeAlias = Literal["function", "code_interpreter", "file_search"]


def _values(lit: Any) -> tuple[str, ...]:
    """The strings of a ``Literal`` alias."""
    return tuple(lit.__args__)


# --- last_error, incomplete_details, usage, truncation ----------------------------------


@attrs.frozen(kw_only=True)
class LastError(_Model):
    """``last_error``: why the run failed.

    >>> LastError(code="server_error", message="try again").code
    'server_error'
    """

    code: LastErrorCode | UnknownValue
    message: str


@attrs.frozen(kw_only=True)
class IncompleteDetails(_Model):
    """``incomplete_details``: which token limit stopped the run (``reason`` may be absent)."""

    reason: IncompleteReason | UnknownValue | Unset = UNSET


@attrs.frozen(kw_only=True)
class Usage(_Model):
    """``usage``: token counts over the run (``null`` until the run is terminal)."""

    completion_tokens: int
    prompt_tokens: int
    total_tokens: int


@attrs.frozen(kw_only=True)
class TruncationStrategy(_Model):
    """``truncation_strategy``: how the thread is truncated before the run.

    >>> TruncationStrategy(type="last_messages", last_messages=10).last_messages
    10
    """

    type: TruncationType | UnknownValue
    last_messages: Annotated[int, Ge(1)] | Unset | None = UNSET


# --- required_action ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FunctionToolCallFunction(_Model):
    """The function a tool call asks for: its name and JSON-encoded arguments."""

    name: str
    arguments: str


@attrs.frozen(kw_only=True)
class FunctionToolCall(_Model):
    """One tool call the run waits on (``RunToolCallObject``)."""

    id: str
    type: Literal["function"] = "function"
    function: FunctionToolCallFunction


@attrs.frozen(kw_only=True, match_args=False)
class UnknownToolCall(_UnknownArm):
    """A tool call whose ``type`` is not ``function`` (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: A tool call a run waits on (``required_action``): a function call (or unknown, lenient).
ToolCall: TypeAlias = FunctionToolCall | UnknownToolCall


@attrs.frozen(kw_only=True)
class SubmitToolOutputs(_Model):
    """The tool calls whose outputs the run needs."""

    tool_calls: tuple[ToolCall, ...]


@attrs.frozen(kw_only=True)
class RequiredAction(_Model):
    """``required_action``: what the run waits for (for now, always tool outputs)."""

    type: Literal["submit_tool_outputs"] = "submit_tool_outputs"
    submit_tool_outputs: SubmitToolOutputs


@attrs.frozen(kw_only=True, match_args=False)
class UnknownRequiredAction(_UnknownArm):
    """A ``required_action`` of a type other than ``submit_tool_outputs`` (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


RequiredActionUnion: TypeAlias = RequiredAction | UnknownRequiredAction


# --- tools --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CodeInterpreterTool(_Model):
    """The code interpreter tool: ``{"type": "code_interpreter"}``."""

    type: Literal["code_interpreter"] = "code_interpreter"


@attrs.frozen(kw_only=True)
class FileSearchRankingOptions(_Model):
    """Ranking for file search: ``score_threshold`` in 0..1, and an optional ranker."""

    ranker: FileSearchRanker | UnknownValue | Unset = UNSET
    score_threshold: Annotated[float, Ge(0), Le(1)] = attrs.field(eq=json_number_key)


@attrs.frozen(kw_only=True)
class FileSearchOptions(_Model):
    """Overrides for the file search tool."""

    max_num_results: Annotated[int, Ge(1), Le(50)] | Unset = UNSET
    ranking_options: FileSearchRankingOptions | Unset = UNSET


@attrs.frozen(kw_only=True)
class FileSearchTool(_Model):
    """The file search tool, with optional overrides."""

    type: Literal["file_search"] = "file_search"
    file_search: FileSearchOptions | Unset = UNSET


#: What the spec's text asks of a function's and a response format's name: "Must be a-z,
#: A-Z, 0-9, or contain underscores and dashes, with a maximum length of 64".
_NAME: Final = Pattern(
    r"[a-zA-Z0-9_-]{1,64}",
    "a name of 1 to 64 letters (a-z, A-Z), digits, `_` and `-`",
    '{"minLength": 1, "maxLength": 64, "not": {"pattern": "[^a-zA-Z0-9_-]"}}',
)
FunctionName: TypeAlias = Annotated[str, _NAME, Erratum("FunctionObject.name:pattern")]
FormatName: TypeAlias = Annotated[
    str, _NAME, Erratum("ResponseFormatJsonSchema.json_schema.name:pattern")
]


@attrs.frozen(kw_only=True)
class FunctionDefinition(_Model):
    """A function the model may call: name, description, JSON Schema ``parameters``, strict.

    >>> FunctionDefinition(name="get_weather", parameters={"type": "object"}).parameters
    FrozenMap({'type': 'object'})
    """

    name: FunctionName
    description: str | Unset = UNSET
    parameters: JsonObjectT | Unset = attrs.field(default=UNSET, converter=json_in_or_unset)
    strict: bool | Unset | None = UNSET


@attrs.frozen(kw_only=True)
class FunctionTool(_Model):
    """A function tool: ``{"type": "function", "function": {...}}``."""

    type: Literal["function"] = "function"
    function: FunctionDefinition


@attrs.frozen(kw_only=True, match_args=False)
class UnknownTool(_UnknownArm):
    """A tool whose ``type`` this version does not know (lenient mode), kept as it came."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: A tool of a run: code_interpreter, file_search or function (or unknown, lenient).
Tool: TypeAlias = CodeInterpreterTool | FileSearchTool | FunctionTool | UnknownTool

# --- response_format ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseFormatText(_Model):
    """``{"type": "text"}``: plain text output."""

    type: Literal["text"] = "text"


@attrs.frozen(kw_only=True)
class ResponseFormatJsonObject(_Model):
    """``{"type": "json_object"}``: JSON mode."""

    type: Literal["json_object"] = "json_object"


@attrs.frozen(kw_only=True)
class JsonSchemaFormat(_Model):
    """The ``json_schema`` of a structured-output response format."""

    name: FormatName
    description: str | Unset = UNSET
    schema: JsonObjectT | Unset = attrs.field(default=UNSET, converter=json_in_or_unset)
    strict: bool | Unset | None = UNSET


@attrs.frozen(kw_only=True)
class ResponseFormatJsonSchema(_Model):
    """``{"type": "json_schema", "json_schema": {...}}``: structured outputs."""

    type: Literal["json_schema"] = "json_schema"
    json_schema: JsonSchemaFormat


@attrs.frozen(kw_only=True, match_args=False)
class UnknownResponseFormat(_UnknownArm):
    """A response format object of an unknown ``type`` (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: ``response_format``: ``"auto"`` or text, json_object, json_schema (or unknown, lenient).
ResponseFormat: TypeAlias = Union[
    ResponseFormatString,
    UnknownValue,
    ResponseFormatText,
    ResponseFormatJsonObject,
    ResponseFormatJsonSchema,
    UnknownResponseFormat,
]

# --- tool_choice --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class NamedToolChoiceFunction(_Model):
    """The function a named tool choice forces."""

    name: str


@attrs.frozen(kw_only=True)
class NamedToolChoice(_Model):
    """Force one tool: ``{"type": "function", "function": {"name": ...}}`` or a built-in.

    >>> NamedToolChoice(type="function", function=NamedToolChoiceFunction(name="f")).type
    'function'

    Strict mode requires ``function`` when ``type`` is ``function``, as the spec's text does.
    """

    __rs_required_if__: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("function", "type", "function"),
    )

    type: NamedToolType
    function: Annotated[
        NamedToolChoiceFunction | Unset, Erratum("AssistantsNamedToolChoice.function:required_if")
    ] = UNSET


@attrs.frozen(kw_only=True, match_args=False)
class UnknownToolChoice(_UnknownArm):
    """A tool choice object of an unknown ``type`` (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: ``tool_choice``: ``"none"``, ``"auto"``, ``"required"``, a named tool (or unknown, lenient).
ToolChoice: TypeAlias = Union[ToolChoiceString, UnknownValue, NamedToolChoice, UnknownToolChoice]

# --- tool_resources -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CodeInterpreterResources(_Model):
    """Files made available to the code interpreter (at most 20)."""

    file_ids: Annotated[tuple[str, ...], MaxLen(20)] | Unset = UNSET


@attrs.frozen(kw_only=True)
class FileSearchResources(_Model):
    """The vector store attached to file search (at most 1)."""

    vector_store_ids: Annotated[tuple[str, ...], MaxLen(1)] | Unset = UNSET


@attrs.frozen(kw_only=True)
class ToolResources(_Model):
    """``tool_resources``: resources for the tools (not declared on RunObject; see errata)."""

    code_interpreter: CodeInterpreterResources | Unset = UNSET
    file_search: FileSearchResources | Unset = UNSET


# --- the run ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Run(_Model):
    """A run on a thread: the Assistants API ``thread.run`` object.

    Decode one with :func:`runschema.loads`, encode with :func:`runschema.dumps`:

    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> run.status, run.created_at.year, run.metadata["user_id"]
    ('completed', 2023, 'user_abc123')
    """

    id: str
    object: Literal["thread.run"] = "thread.run"
    created_at: datetime
    thread_id: str
    assistant_id: str
    status: RunStatus | UnknownValue
    required_action: RequiredActionUnion | None = None
    last_error: LastError | None = None
    expires_at: datetime | None = None
    started_at: datetime | None = None
    cancelled_at: datetime | None = None
    failed_at: datetime | None = None
    completed_at: datetime | None = None
    incomplete_details: IncompleteDetails | None = None
    model: str
    instructions: Annotated[str | None, Erratum("RunObject.instructions:nullable")] = None
    tools: Annotated[tuple[Tool, ...], MaxLen(20)]
    tool_resources: Annotated[
        ToolResources | Unset | None, Erratum("RunObject.tool_resources:added")
    ] = UNSET
    metadata: Metadata | None = None
    usage: Usage | None = None
    temperature: float | Unset | None = attrs.field(default=UNSET, eq=json_number_key)
    top_p: float | Unset | None = attrs.field(default=UNSET, eq=json_number_key)
    max_prompt_tokens: Annotated[int, Ge(256)] | None = None
    max_completion_tokens: Annotated[int, Ge(256)] | None = None
    truncation_strategy: TruncationStrategy | None = None
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: bool
    response_format: ResponseFormat | None = None


# --- the modify-run request body ----------------------------------------------------------


@attrs.frozen(kw_only=True)
class RunUpdateParams(_Model):
    """The Modify run request body (``ModifyRunRequest``): ``{"metadata"?: Metadata | null}``.

    ``UNSET`` leaves metadata as it is (encodes to ``{}``), ``None`` clears it, a map replaces
    it. The metadata limits (16 pairs, keys <= 64, values <= 512 characters) are strict
    mode's, as in every body: :func:`runschema.validate`, a strict read and a request being
    built check them. The schema allows no other key (``additionalProperties: false``).

    >>> import runschema
    >>> runschema.dumps(RunUpdateParams(metadata={"user_id": "u1"}))
    b'{"metadata":{"user_id":"u1"}}'
    >>> runschema.dumps(RunUpdateParams())
    b'{}'
    """

    __rs_closed__ = True

    metadata: Metadata | Unset | None = UNSET


unions(ToolCall, RequiredActionUnion, Tool, ResponseFormat, ToolChoice)

MODELS: Final[tuple[type[_Model], ...]] = tuple(
    c
    for c in list(globals().values())
    if isinstance(c, type) and issubclass(c, _Model) and c.__name__ in __all__
)
