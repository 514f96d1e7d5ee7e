"""The Run object and every type nested in it, as frozen attrs classes.

Field names are the wire names. Each field's attrs metadata carries its wire kind (see
``_kinds``); this module does no I/O and imports no converter.

Conventions (``DESIGN.md`` section 2):

- required and nullable: ``T | None``, no default;
- optional (the key may be absent): ``T | Unset`` (``| None`` when also nullable), default
  ``UNSET``;
- closed-by-spec string sets: ``Literal[...] | UnknownValue``;
- unions by ``type``: one class per arm plus an ``Unknown...`` arm holding the raw data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Final, Literal, TypeAlias, Union

import attrs

from ._errata import erratum
from ._kinds import (
    RS_KEY,
    Array,
    Bool,
    Const,
    Enum,
    Extra,
    Int,
    JsonObject,
    Kind,
    Model,
    Num,
    Str,
    StrMap,
    StrOr,
    Tagged,
    Timestamp,
    check_model,
)
from ._values import UNSET, JsonValue, UnknownValue, Unset, json_number_key

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
    return tuple(lit.__args__)


def _json_in(value: Mapping[str, object]) -> Mapping[str, JsonValue]:
    """Accept any JSON-like mapping in constructors (lists too); ``check`` freezes it deeply."""
    return value  # type: ignore[return-value]


def _json_in_opt(value: Mapping[str, object] | Unset) -> Mapping[str, JsonValue] | Unset:
    """As ``_json_in``, for optional fields."""
    return value  # type: ignore[return-value]


def _m(kind: Kind, *, nullable: bool = False) -> dict[str, Any]:
    return {RS_KEY: _Meta(kind, nullable)}


@attrs.frozen
class _Meta:
    kind: Kind
    nullable: bool


class _Lazy(Kind):
    """A reference to a model or union defined further down; resolved on first use."""

    def __init__(self, resolve: Any) -> None:
        self._resolve = resolve
        self._kind: Kind | None = None

    def _get(self) -> Kind:
        k = self._kind
        if k is None:
            k = self._kind = self._resolve()
        return k

    @property
    def expected(self) -> str:  # type: ignore[override]
        return self._get().expected

    @property
    def target(self) -> Kind:
        return self._get()

    def build(self, v: Any, loc: Any, ctx: Any) -> Any:
        return self._get().build(v, loc, ctx)

    def check(self, v: Any, loc: Any, ctx: Any) -> Any:
        return self._get().check(v, loc, ctx)

    def dump(self, v: Any) -> Any:
        return self._get().dump(v)


def _model(name: str) -> _Lazy:
    return _Lazy(lambda: Model(globals()[name]))


def _union(name: str) -> _Lazy:
    return _Lazy(lambda: UNIONS[name])


# --- the base -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Model:
    """Base of every model: frozen, slotted, keyword-only, validated when built in Python.

    ``_rs_extra`` is private: what a lenient decode kept beyond the declared fields (absent
    nullable keys, unknown keys), so that encoding gives back exactly what was read. Read it
    with :func:`runschema.unknown_fields` / :func:`runschema.absent_fields`.
    """

    __rs_closed__: ClassVar[bool] = False
    __rs_check_strict__: ClassVar[bool] = False

    _rs_extra: Extra | None = attrs.field(default=None, alias="_rs_extra", repr=False)

    def __attrs_post_init__(self) -> None:
        check_model(self, strict=self.__rs_check_strict__)


@attrs.frozen(kw_only=True)
class _UnknownArm(_Model):
    """An arm of a tagged union whose ``type`` this version does not know (lenient mode).

    ``data`` is the whole object as it came, ``type`` included; it encodes back unchanged.
    Strict mode rejects unknown arms with ``unknown_tag``; a known ``type`` is never put here.
    """

    __rs_unknown_arm__: ClassVar[bool] = True
    __rs_known_tags__: ClassVar[frozenset[str]] = frozenset()
    __match_args__ = ("data",)  # ``case UnknownTool(data)``

    data: Mapping[str, JsonValue] = attrs.field(converter=_json_in, metadata=_m(JsonObject()))

    @property
    def type(self) -> str:
        """The unknown tag, ``data["type"]``."""
        t = self.data["type"]
        assert isinstance(t, str)
        return t


# --- last_error, incomplete_details, usage, truncation ----------------------------------


@attrs.frozen(kw_only=True)
class LastError(_Model):
    """``last_error``: why the run failed.

    >>> LastError(code="server_error", message="try again").code
    'server_error'
    """

    code: LastErrorCode | UnknownValue = attrs.field(metadata=_m(Enum(_values(LastErrorCode))))
    message: str = attrs.field(metadata=_m(Str()))


@attrs.frozen(kw_only=True)
class IncompleteDetails(_Model):
    """``incomplete_details``: which token limit stopped the run (``reason`` may be absent)."""

    reason: IncompleteReason | UnknownValue | Unset = attrs.field(
        default=UNSET, metadata=_m(Enum(_values(IncompleteReason)))
    )


@attrs.frozen(kw_only=True)
class Usage(_Model):
    """``usage``: token counts over the run (``null`` until the run is terminal)."""

    completion_tokens: int = attrs.field(metadata=_m(Int()))
    prompt_tokens: int = attrs.field(metadata=_m(Int()))
    total_tokens: int = attrs.field(metadata=_m(Int()))


@attrs.frozen(kw_only=True)
class TruncationStrategy(_Model):
    """``truncation_strategy``: how the thread is truncated before the run.

    >>> TruncationStrategy(type="last_messages", last_messages=10).last_messages
    10
    """

    type: TruncationType | UnknownValue = attrs.field(metadata=_m(Enum(_values(TruncationType))))
    last_messages: int | Unset | None = attrs.field(
        default=UNSET, metadata=_m(Int(minimum=1), nullable=True)
    )


# --- required_action ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FunctionToolCallFunction(_Model):
    """The function a tool call asks for: its name and JSON-encoded arguments."""

    name: str = attrs.field(metadata=_m(Str()))
    arguments: str = attrs.field(metadata=_m(Str()))


@attrs.frozen(kw_only=True)
class FunctionToolCall(_Model):
    """One tool call the run waits on (``RunToolCallObject``)."""

    id: str = attrs.field(metadata=_m(Str()))
    type: Literal["function"] = attrs.field(default="function", metadata=_m(Const("function")))
    function: FunctionToolCallFunction = attrs.field(
        metadata=_m(_model("FunctionToolCallFunction"))
    )


@attrs.frozen(kw_only=True, match_args=False)
class UnknownToolCall(_UnknownArm):
    """A tool call whose ``type`` is not ``function`` (lenient mode)."""

    __rs_known_tags__ = frozenset({"function"})


ToolCall: TypeAlias = FunctionToolCall | UnknownToolCall


@attrs.frozen(kw_only=True)
class SubmitToolOutputs(_Model):
    """The tool calls whose outputs the run needs."""

    tool_calls: tuple[ToolCall, ...] = attrs.field(metadata=_m(Array(_union("ToolCall"))))


@attrs.frozen(kw_only=True)
class RequiredAction(_Model):
    """``required_action``: what the run waits for (for now, always tool outputs)."""

    type: Literal["submit_tool_outputs"] = attrs.field(
        default="submit_tool_outputs", metadata=_m(Const("submit_tool_outputs"))
    )
    submit_tool_outputs: SubmitToolOutputs = attrs.field(metadata=_m(_model("SubmitToolOutputs")))


@attrs.frozen(kw_only=True, match_args=False)
class UnknownRequiredAction(_UnknownArm):
    """A ``required_action`` of a type other than ``submit_tool_outputs`` (lenient mode)."""

    __rs_known_tags__ = frozenset({"submit_tool_outputs"})


# --- tools --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CodeInterpreterTool(_Model):
    """The code interpreter tool: ``{"type": "code_interpreter"}``."""

    type: Literal["code_interpreter"] = attrs.field(
        default="code_interpreter", metadata=_m(Const("code_interpreter"))
    )


@attrs.frozen(kw_only=True)
class FileSearchRankingOptions(_Model):
    """Ranking for file search: ``score_threshold`` in 0..1, and an optional ranker."""

    ranker: FileSearchRanker | UnknownValue | Unset = attrs.field(
        default=UNSET, metadata=_m(Enum(_values(FileSearchRanker)))
    )
    score_threshold: float = attrs.field(eq=json_number_key, metadata=_m(Num(minimum=0, maximum=1)))


@attrs.frozen(kw_only=True)
class FileSearchOptions(_Model):
    """Overrides for the file search tool."""

    max_num_results: int | Unset = attrs.field(
        default=UNSET, metadata=_m(Int(minimum=1, maximum=50))
    )
    ranking_options: FileSearchRankingOptions | Unset = attrs.field(
        default=UNSET, metadata=_m(_model("FileSearchRankingOptions"))
    )


@attrs.frozen(kw_only=True)
class FileSearchTool(_Model):
    """The file search tool, with optional overrides."""

    type: Literal["file_search"] = attrs.field(
        default="file_search", metadata=_m(Const("file_search"))
    )
    file_search: FileSearchOptions | Unset = attrs.field(
        default=UNSET, metadata=_m(_model("FileSearchOptions"))
    )


@attrs.frozen(kw_only=True)
class FunctionDefinition(_Model):
    """A function the model may call: name, description, JSON Schema ``parameters``, strict.

    >>> FunctionDefinition(name="get_weather", parameters={"type": "object"}).parameters
    FrozenMap({'type': 'object'})
    """

    name: str = attrs.field(metadata=_m(Str()))
    description: str | Unset = attrs.field(default=UNSET, metadata=_m(Str()))
    parameters: Mapping[str, JsonValue] | Unset = attrs.field(
        default=UNSET, converter=_json_in_opt, metadata=_m(JsonObject())
    )
    strict: bool | Unset | None = attrs.field(default=UNSET, metadata=_m(Bool(), nullable=True))


@attrs.frozen(kw_only=True)
class FunctionTool(_Model):
    """A function tool: ``{"type": "function", "function": {...}}``."""

    type: Literal["function"] = attrs.field(default="function", metadata=_m(Const("function")))
    function: FunctionDefinition = attrs.field(metadata=_m(_model("FunctionDefinition")))


@attrs.frozen(kw_only=True, match_args=False)
class UnknownTool(_UnknownArm):
    """A tool whose ``type`` this version does not know (lenient mode), kept as it came."""

    __rs_known_tags__ = frozenset({"code_interpreter", "file_search", "function"})


Tool: TypeAlias = CodeInterpreterTool | FileSearchTool | FunctionTool | UnknownTool

# --- response_format ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseFormatText(_Model):
    """``{"type": "text"}``: plain text output."""

    type: Literal["text"] = attrs.field(default="text", metadata=_m(Const("text")))


@attrs.frozen(kw_only=True)
class ResponseFormatJsonObject(_Model):
    """``{"type": "json_object"}``: JSON mode."""

    type: Literal["json_object"] = attrs.field(
        default="json_object", metadata=_m(Const("json_object"))
    )


@attrs.frozen(kw_only=True)
class JsonSchemaFormat(_Model):
    """The ``json_schema`` of a structured-output response format."""

    name: str = attrs.field(metadata=_m(Str()))
    description: str | Unset = attrs.field(default=UNSET, metadata=_m(Str()))
    schema: Mapping[str, JsonValue] | Unset = attrs.field(
        default=UNSET, converter=_json_in_opt, metadata=_m(JsonObject())
    )
    strict: bool | Unset | None = attrs.field(default=UNSET, metadata=_m(Bool(), nullable=True))


@attrs.frozen(kw_only=True)
class ResponseFormatJsonSchema(_Model):
    """``{"type": "json_schema", "json_schema": {...}}``: structured outputs."""

    type: Literal["json_schema"] = attrs.field(
        default="json_schema", metadata=_m(Const("json_schema"))
    )
    json_schema: JsonSchemaFormat = attrs.field(metadata=_m(_model("JsonSchemaFormat")))


@attrs.frozen(kw_only=True, match_args=False)
class UnknownResponseFormat(_UnknownArm):
    """A response format object of an unknown ``type`` (lenient mode)."""

    __rs_known_tags__ = frozenset({"text", "json_object", "json_schema"})


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

    name: str = attrs.field(metadata=_m(Str()))


@attrs.frozen(kw_only=True)
class NamedToolChoice(_Model):
    """Force one tool: ``{"type": "function", "function": {"name": ...}}`` or a built-in.

    >>> NamedToolChoice(type="function", function=NamedToolChoiceFunction(name="f")).type
    'function'
    """

    type: NamedToolType = attrs.field(metadata=_m(Enum(_values(NamedToolType), open=False)))
    function: NamedToolChoiceFunction | Unset = attrs.field(
        default=UNSET, metadata=_m(_model("NamedToolChoiceFunction"))
    )


@attrs.frozen(kw_only=True, match_args=False)
class UnknownToolChoice(_UnknownArm):
    """A tool choice object of an unknown ``type`` (lenient mode)."""

    __rs_known_tags__ = frozenset(_values(NamedToolType))


ToolChoice: TypeAlias = Union[ToolChoiceString, UnknownValue, NamedToolChoice, UnknownToolChoice]

# --- tool_resources -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CodeInterpreterResources(_Model):
    """Files made available to the code interpreter (at most 20)."""

    file_ids: tuple[str, ...] | Unset = attrs.field(
        default=UNSET, metadata=_m(Array(Str(), max_items=20))
    )


@attrs.frozen(kw_only=True)
class FileSearchResources(_Model):
    """The vector store attached to file search (at most 1)."""

    vector_store_ids: tuple[str, ...] | Unset = attrs.field(
        default=UNSET, metadata=_m(Array(Str(), max_items=1))
    )


@attrs.frozen(kw_only=True)
class ToolResources(_Model):
    """``tool_resources``: resources for the tools (not declared on RunObject; see errata)."""

    code_interpreter: CodeInterpreterResources | Unset = attrs.field(
        default=UNSET, metadata=_m(_model("CodeInterpreterResources"))
    )
    file_search: FileSearchResources | Unset = attrs.field(
        default=UNSET, metadata=_m(_model("FileSearchResources"))
    )


# --- the run ------------------------------------------------------------------------------

Metadata: TypeAlias = Mapping[str, str]


@attrs.frozen(kw_only=True)
class Run(_Model):
    """A run on a thread: the Assistants API ``thread.run`` object.

    Decode one with :func:`runschema.loads`, encode with :func:`runschema.dumps`:

    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> run.status, run.created_at.year, run.metadata["user_id"]
    ('completed', 2023, 'user_abc123')
    """

    id: str = attrs.field(metadata=_m(Str()))
    object: Literal["thread.run"] = attrs.field(
        default="thread.run", metadata=_m(Const("thread.run"))
    )
    created_at: datetime = attrs.field(metadata=_m(Timestamp()))
    thread_id: str = attrs.field(metadata=_m(Str()))
    assistant_id: str = attrs.field(metadata=_m(Str()))
    status: RunStatus | UnknownValue = attrs.field(metadata=_m(Enum(_values(RunStatus))))
    required_action: RequiredAction | UnknownRequiredAction | None = attrs.field(
        default=None, metadata=_m(_union("RequiredAction"), nullable=True)
    )
    last_error: LastError | None = attrs.field(
        default=None, metadata=_m(_model("LastError"), nullable=True)
    )
    expires_at: datetime | None = attrs.field(default=None, metadata=_m(Timestamp(), nullable=True))
    started_at: datetime | None = attrs.field(default=None, metadata=_m(Timestamp(), nullable=True))
    cancelled_at: datetime | None = attrs.field(
        default=None, metadata=_m(Timestamp(), nullable=True)
    )
    failed_at: datetime | None = attrs.field(default=None, metadata=_m(Timestamp(), nullable=True))
    completed_at: datetime | None = attrs.field(
        default=None, metadata=_m(Timestamp(), nullable=True)
    )
    incomplete_details: IncompleteDetails | None = attrs.field(
        default=None, metadata=_m(_model("IncompleteDetails"), nullable=True)
    )
    model: str = attrs.field(metadata=_m(Str()))
    instructions: str | None = attrs.field(
        default=None, metadata=_m(Str(), nullable=erratum("RunObject.instructions:nullable"))
    )
    tools: tuple[Tool, ...] = attrs.field(metadata=_m(Array(_union("Tool"), max_items=20)))
    tool_resources: ToolResources | Unset | None = attrs.field(
        default=UNSET,
        metadata=_m(_model("ToolResources"), nullable=erratum("RunObject.tool_resources:added")),
    )
    metadata: Metadata | None = attrs.field(default=None, metadata=_m(StrMap(), nullable=True))
    usage: Usage | None = attrs.field(default=None, metadata=_m(_model("Usage"), nullable=True))
    temperature: float | Unset | None = attrs.field(
        default=UNSET, eq=json_number_key, metadata=_m(Num(), nullable=True)
    )
    top_p: float | Unset | None = attrs.field(
        default=UNSET, eq=json_number_key, metadata=_m(Num(), nullable=True)
    )
    max_prompt_tokens: int | None = attrs.field(
        default=None, metadata=_m(Int(minimum=256), nullable=True)
    )
    max_completion_tokens: int | None = attrs.field(
        default=None, metadata=_m(Int(minimum=256), nullable=True)
    )
    truncation_strategy: TruncationStrategy | None = attrs.field(
        default=None, metadata=_m(_model("TruncationStrategy"), nullable=True)
    )
    tool_choice: ToolChoice | None = attrs.field(
        default=None, metadata=_m(_union("ToolChoice"), nullable=True)
    )
    parallel_tool_calls: bool = attrs.field(metadata=_m(Bool()))
    response_format: ResponseFormat | None = attrs.field(
        default=None, metadata=_m(_union("ResponseFormat"), nullable=True)
    )


# --- the modify-run request body ----------------------------------------------------------


@attrs.frozen(kw_only=True)
class RunUpdateParams(_Model):
    """The Modify run request body (``ModifyRunRequest``): ``{"metadata"?: Metadata | null}``.

    ``UNSET`` leaves metadata as it is (encodes to ``{}``), ``None`` clears it, a map replaces
    it. The metadata limits (16 pairs, keys <= 64, values <= 512 characters) are checked when
    the value is built. The schema allows no other key (``additionalProperties: false``).

    >>> import runschema
    >>> runschema.dumps(RunUpdateParams(metadata={"user_id": "u1"}))
    b'{"metadata":{"user_id":"u1"}}'
    >>> runschema.dumps(RunUpdateParams())
    b'{}'
    """

    __rs_closed__ = True
    __rs_check_strict__ = True

    metadata: Metadata | Unset | None = attrs.field(
        default=UNSET, metadata=_m(StrMap(), nullable=True)
    )


UNIONS: Final[dict[str, Kind]] = {
    "ToolCall": Tagged({"function": FunctionToolCall}, UnknownToolCall),
    "RequiredAction": Tagged({"submit_tool_outputs": RequiredAction}, UnknownRequiredAction),
    "Tool": Tagged(
        {
            "code_interpreter": CodeInterpreterTool,
            "file_search": FileSearchTool,
            "function": FunctionTool,
        },
        UnknownTool,
    ),
    "ResponseFormat": StrOr(
        Enum(_values(ResponseFormatString)),
        Tagged(
            {
                "text": ResponseFormatText,
                "json_object": ResponseFormatJsonObject,
                "json_schema": ResponseFormatJsonSchema,
            },
            UnknownResponseFormat,
        ),
    ),
    "ToolChoice": StrOr(
        Enum(_values(ToolChoiceString)),
        Tagged(dict.fromkeys(_values(NamedToolType), NamedToolChoice), UnknownToolChoice),
    ),
}

MODELS: Final[tuple[type[_Model], ...]] = tuple(
    c
    for c in list(globals().values())
    if isinstance(c, type) and issubclass(c, _Model) and c.__name__ in __all__
)
