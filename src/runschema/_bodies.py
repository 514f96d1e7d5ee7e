"""The request bodies and query parameters of the run operations, declared.

Declarations only, by the rules of the schema language (``_schema``'s docstring). Every body is
closed (the spec says ``additionalProperties: false``): strict mode, which a service applies to
what it receives, refuses keys these do not declare. Query parameters are models too (see
``runschema.encode_query`` / ``runschema.decode_query``).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, TypeAlias

import attrs

from ._models import (
    CodeInterpreterResources,
    CodeInterpreterTool,
    ResponseFormat,
    Tool,
    ToolChoice,
    ToolResources,
    TruncationStrategy,
)
from ._schema import Erratum, Ge, Le, MaxLen, Metadata, MinLen, _Model, _UnknownArm, unions
from ._values import UNSET, UnknownValue, Unset, json_number_key

__all__ = [
    "Attachment",
    "AutoChunkingStrategy",
    "CreateMessageParams",
    "CreateRunParams",
    "CreateRunQuery",
    "CreateThreadAndRunParams",
    "CreateThreadParams",
    "FileSearchTypeOnlyTool",
    "ImageFilePart",
    "ImageUrlPart",
    "ListRunStepsParams",
    "ListRunsParams",
    "MessageImageFile",
    "MessageImageUrl",
    "RetrieveRunStepQuery",
    "StaticChunking",
    "StaticChunkingStrategy",
    "SubmitToolOutputsParams",
    "TextPart",
    "ThreadFileSearchResources",
    "ThreadToolResources",
    "ToolOutput",
    "UnknownAttachmentTool",
    "UnknownChunkingStrategy",
    "UnknownContentPart",
    "VectorStoreHelper",
]

ReasoningEffort: TypeAlias = Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"]
ImageDetail: TypeAlias = Literal["auto", "low", "high"]
MessageRole: TypeAlias = Literal["user", "assistant"]
IncludeField: TypeAlias = Literal["step_details.tool_calls[*].file_search.results[*].content"]
ListOrder: TypeAlias = Literal["asc", "desc"]

# --- messages -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MessageImageFile(_Model):
    """An image file of a message part, and the detail to see it at."""

    file_id: str
    detail: ImageDetail | UnknownValue | Unset = UNSET


@attrs.frozen(kw_only=True)
class ImageFilePart(_Model):
    """A message part that is an uploaded image: ``{"type": "image_file", ...}``."""

    type: Literal["image_file"] = "image_file"
    image_file: MessageImageFile


@attrs.frozen(kw_only=True)
class MessageImageUrl(_Model):
    """An image URL of a message part, and the detail to see it at."""

    url: str
    detail: ImageDetail | UnknownValue | Unset = UNSET


@attrs.frozen(kw_only=True)
class ImageUrlPart(_Model):
    """A message part that is an image on the web: ``{"type": "image_url", ...}``."""

    type: Literal["image_url"] = "image_url"
    image_url: MessageImageUrl


@attrs.frozen(kw_only=True)
class TextPart(_Model):
    """A message part that is text: ``{"type": "text", "text": ...}``."""

    type: Literal["text"] = "text"
    text: str


@attrs.frozen(kw_only=True, match_args=False)
class UnknownContentPart(_UnknownArm):
    """A message part of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: A part of a message a request adds: image file, image URL or text (or unknown, lenient).
ContentPart: TypeAlias = ImageFilePart | ImageUrlPart | TextPart | UnknownContentPart


@attrs.frozen(kw_only=True)
class FileSearchTypeOnlyTool(_Model):
    """The file search tool as an attachment names it: its type only."""

    type: Literal["file_search"] = "file_search"


@attrs.frozen(kw_only=True, match_args=False)
class UnknownAttachmentTool(_UnknownArm):
    """An attachment's tool of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: A tool an attachment is for: code_interpreter or file_search (or unknown, lenient).
AttachmentTool: TypeAlias = CodeInterpreterTool | FileSearchTypeOnlyTool | UnknownAttachmentTool


@attrs.frozen(kw_only=True)
class Attachment(_Model):
    """A file attached to a message, and the tools it is for.

    Both keys are optional by the schema as published (its ``required`` sits beside
    ``items``, where JSON Schema ignores it) and in the official clients.
    """

    file_id: str | Unset = UNSET
    tools: tuple[AttachmentTool, ...] | Unset = UNSET


@attrs.frozen(kw_only=True)
class CreateMessageParams(_Model):
    """A message to add (``CreateMessageRequest``): its role, and its text or parts.

    >>> CreateMessageParams(role="user", content="Hello").content
    'Hello'
    """

    __rs_closed__ = True

    role: MessageRole | UnknownValue
    content: str | Annotated[tuple[ContentPart, ...], MinLen(1)]
    attachments: tuple[Attachment, ...] | Unset | None = UNSET
    metadata: Metadata | Unset | None = UNSET


# --- threads ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AutoChunkingStrategy(_Model):
    """Chunk files the default way (800 tokens, 400 of overlap)."""

    __rs_closed__ = True

    type: Literal["auto"] = "auto"


@attrs.frozen(kw_only=True)
class StaticChunking(_Model):
    """Chunk sizes of a static chunking strategy."""

    __rs_closed__ = True

    max_chunk_size_tokens: Annotated[int, Ge(100), Le(4096)]
    chunk_overlap_tokens: int


@attrs.frozen(kw_only=True)
class StaticChunkingStrategy(_Model):
    """Chunk files by the sizes given."""

    __rs_closed__ = True

    type: Literal["static"] = "static"
    static: StaticChunking


@attrs.frozen(kw_only=True, match_args=False)
class UnknownChunkingStrategy(_UnknownArm):
    """A chunking strategy of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: How a thread's new vector store chunks its files: auto or static (or unknown, lenient).
ChunkingStrategy: TypeAlias = (
    AutoChunkingStrategy | StaticChunkingStrategy | UnknownChunkingStrategy
)


@attrs.frozen(kw_only=True)
class VectorStoreHelper(_Model):
    """A vector store to make for the thread, from files."""

    file_ids: Annotated[tuple[str, ...], MaxLen(100_000_000)] | Unset = UNSET
    chunking_strategy: ChunkingStrategy | Unset = UNSET
    metadata: Metadata | Unset | None = UNSET


@attrs.frozen(kw_only=True)
class ThreadFileSearchResources(_Model):
    """The vector store of a new thread's file search: an existing one, or one to make
    (exactly one of the two, in strict mode)."""

    __rs_one_of__: ClassVar[tuple[tuple[str, ...], ...]] = (("vector_store_ids", "vector_stores"),)

    vector_store_ids: Annotated[tuple[str, ...], MaxLen(1)] | Unset = UNSET
    vector_stores: Annotated[tuple[VectorStoreHelper, ...], MaxLen(1)] | Unset = UNSET


@attrs.frozen(kw_only=True)
class ThreadToolResources(_Model):
    """Resources for the tools of a new thread."""

    code_interpreter: CodeInterpreterResources | Unset = UNSET
    file_search: ThreadFileSearchResources | Unset = UNSET


@attrs.frozen(kw_only=True)
class CreateThreadParams(_Model):
    """A thread to create with the run (``CreateThreadRequest``): its first messages."""

    __rs_closed__ = True

    messages: tuple[CreateMessageParams, ...] | Unset = UNSET
    tool_resources: ThreadToolResources | Unset | None = UNSET
    metadata: Metadata | Unset | None = UNSET


# --- runs ---------------------------------------------------------------------------------

Temperature: TypeAlias = Annotated[float, Ge(0), Le(2)]
TopP: TypeAlias = Annotated[float, Ge(0), Le(1)]
MaxTokens: TypeAlias = Annotated[int, Ge(256)]


@attrs.frozen(kw_only=True)
class CreateRunParams(_Model):
    """The Create run request body (``CreateRunRequest``).

    >>> import runschema
    >>> runschema.dumps(CreateRunParams(assistant_id="asst_1", stream=True))
    b'{"assistant_id":"asst_1","stream":true}'
    """

    __rs_closed__ = True

    assistant_id: str
    model: str | Unset | None = UNSET
    reasoning_effort: ReasoningEffort | UnknownValue | Unset | None = UNSET
    instructions: str | Unset | None = UNSET
    additional_instructions: str | Unset | None = UNSET
    additional_messages: tuple[CreateMessageParams, ...] | Unset | None = UNSET
    tools: Annotated[tuple[Tool, ...], MaxLen(20)] | Unset | None = UNSET
    metadata: Metadata | Unset | None = UNSET
    temperature: Temperature | Unset | None = attrs.field(default=UNSET, eq=json_number_key)
    top_p: TopP | Unset | None = attrs.field(default=UNSET, eq=json_number_key)
    stream: bool | Unset | None = UNSET
    max_prompt_tokens: MaxTokens | Unset | None = UNSET
    max_completion_tokens: MaxTokens | Unset | None = UNSET
    truncation_strategy: TruncationStrategy | Unset | None = UNSET
    tool_choice: ToolChoice | Unset | None = UNSET
    parallel_tool_calls: bool | Unset = UNSET
    response_format: ResponseFormat | Unset | None = UNSET


@attrs.frozen(kw_only=True)
class CreateThreadAndRunParams(_Model):
    """The Create thread and run request body (``CreateThreadAndRunRequest``)."""

    __rs_closed__ = True

    assistant_id: str
    thread: CreateThreadParams | Unset = UNSET
    model: str | Unset | None = UNSET
    instructions: str | Unset | None = UNSET
    tools: Annotated[tuple[Tool, ...], MaxLen(20)] | Unset | None = UNSET
    tool_resources: ToolResources | Unset | None = UNSET
    metadata: Metadata | Unset | None = UNSET
    temperature: Temperature | Unset | None = attrs.field(default=UNSET, eq=json_number_key)
    top_p: TopP | Unset | None = attrs.field(default=UNSET, eq=json_number_key)
    stream: bool | Unset | None = UNSET
    max_prompt_tokens: MaxTokens | Unset | None = UNSET
    max_completion_tokens: MaxTokens | Unset | None = UNSET
    truncation_strategy: TruncationStrategy | Unset | None = UNSET
    tool_choice: ToolChoice | Unset | None = UNSET
    parallel_tool_calls: bool | Unset = UNSET
    response_format: ResponseFormat | Unset | None = UNSET


@attrs.frozen(kw_only=True)
class ToolOutput(_Model):
    """The output of one tool call, submitted."""

    tool_call_id: str | Unset = UNSET
    output: str | Unset = UNSET


@attrs.frozen(kw_only=True)
class SubmitToolOutputsParams(_Model):
    """The Submit tool outputs request body (``SubmitToolOutputsRunRequest``).

    >>> SubmitToolOutputsParams(tool_outputs=(ToolOutput(tool_call_id="c", output="70F"),))
    SubmitToolOutputsParams(tool_outputs=(ToolOutput(tool_call_id='c', output='70F'),), \
stream=UNSET)
    """

    __rs_closed__ = True

    tool_outputs: tuple[ToolOutput, ...]
    stream: bool | Unset | None = UNSET


# --- query parameters ---------------------------------------------------------------------

#: ``limit``: 1..100 by the spec's text (its schema has no bounds).
RunsLimit: TypeAlias = Annotated[int, Ge(1), Le(100), Erratum("listRuns.limit:bounds")]
StepsLimit: TypeAlias = Annotated[int, Ge(1), Le(100), Erratum("listRunSteps.limit:bounds")]


@attrs.frozen(kw_only=True)
class ListRunsParams(_Model):
    """The query of List runs: ``limit`` (1..100, default 20), ``order`` (default ``desc``),
    and the cursors ``after`` and ``before`` (ids)."""

    __rs_closed__ = True

    limit: RunsLimit | Unset = UNSET
    order: ListOrder | Unset = UNSET
    after: str | Unset = UNSET
    before: str | Unset = UNSET


@attrs.frozen(kw_only=True)
class ListRunStepsParams(_Model):
    """The query of List run steps: as List runs', and ``include[]``."""

    __rs_closed__ = True

    limit: StepsLimit | Unset = UNSET
    order: ListOrder | Unset = UNSET
    after: str | Unset = UNSET
    before: str | Unset = UNSET
    include: tuple[IncludeField, ...] | Unset = UNSET


@attrs.frozen(kw_only=True)
class CreateRunQuery(_Model):
    """The query of Create run: ``include[]`` (what the response's steps include)."""

    __rs_closed__ = True

    include: tuple[IncludeField, ...] | Unset = UNSET


@attrs.frozen(kw_only=True)
class RetrieveRunStepQuery(_Model):
    """The query of Retrieve run step: ``include[]``."""

    __rs_closed__ = True

    include: tuple[IncludeField, ...] | Unset = UNSET


unions(ContentPart, AttachmentTool, ChunkingStrategy)
