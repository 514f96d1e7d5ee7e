"""The thread and message objects, and the deltas a stream carries, declared.

Declarations only, by the rules of the schema language (``_schema``'s docstring): ``Thread``
(``thread``), ``Message`` (``thread.message``) with its content parts and their annotations,
a page of messages, and the two delta objects of a stream, ``MessageDelta``
(``thread.message.delta``) and ``RunStepDelta`` (``thread.run.step.delta``). Every part of a
delta is optional but its ``index`` (and its tag): a delta carries what changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal, TypeAlias

import attrs

from ._bodies import Attachment, ImageDetail, ImageFilePart, ImageUrlPart, MessageRole
from ._models import ToolResources, _values
from ._schema import Erratum, Ge, JsonObjectT, Metadata, _Model, _UnknownArm, json_in, unions
from ._values import UNSET, UnknownValue, Unset

__all__ = [
    "Annotation",
    "DeltaAnnotation",
    "DeltaCodeInterpreter",
    "DeltaCodeInterpreterCall",
    "DeltaCodeInterpreterOutput",
    "DeltaContentPart",
    "DeltaFileCitation",
    "DeltaFileCitationAnnotation",
    "DeltaFilePath",
    "DeltaFilePathAnnotation",
    "DeltaFileSearchCall",
    "DeltaFunction",
    "DeltaFunctionCall",
    "DeltaImageFile",
    "DeltaImageFilePart",
    "DeltaImageUrl",
    "DeltaImageUrlPart",
    "DeltaLogsOutput",
    "DeltaImageOutput",
    "DeltaImage",
    "DeltaMessageCreation",
    "DeltaMessageCreationDetails",
    "DeltaRefusalPart",
    "DeltaStepDetails",
    "DeltaText",
    "DeltaTextPart",
    "DeltaToolCall",
    "DeltaToolCallsDetails",
    "FileCitation",
    "FileCitationAnnotation",
    "FilePath",
    "FilePathAnnotation",
    "Message",
    "MessageContent",
    "MessageDelta",
    "MessageDeltaFields",
    "MessageIncompleteDetails",
    "MessageList",
    "MessageStatus",
    "MessageText",
    "RefusalPart",
    "RunStepDelta",
    "RunStepDeltaFields",
    "TextContentPart",
    "Thread",
    "UnknownAnnotation",
    "UnknownDeltaAnnotation",
    "UnknownDeltaCodeInterpreterOutput",
    "UnknownDeltaContentPart",
    "UnknownDeltaStepDetails",
    "UnknownDeltaToolCall",
    "UnknownMessageContent",
]

#: The statuses of a message.
MessageStatus: TypeAlias = Literal["in_progress", "incomplete", "completed"]
MessageIncompleteReason: TypeAlias = Literal[
    "content_filter", "max_tokens", "run_cancelled", "run_expired", "run_failed"
]

# --- the thread ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Thread(_Model):
    """A thread that holds messages: the ``thread`` object (``thread.created`` carries one).

    >>> import runschema
    >>> thread = runschema.loads(b'{"id": "thread_1", "object": "thread", "created_at": 1,'
    ...     b' "tool_resources": null, "metadata": {}}', runschema.Thread, strict=True)
    >>> thread.id, thread.created_at.year
    ('thread_1', 1970)
    """

    id: str
    object: Literal["thread"] = "thread"
    created_at: datetime
    # the spec's own examples leave it out (see ERRATA)
    tool_resources: ToolResources | None = None
    metadata: Metadata | None = None


# --- message content ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class FileCitation(_Model):
    """The file a citation quotes."""

    file_id: str


@attrs.frozen(kw_only=True)
class FileCitationAnnotation(_Model):
    """A span of a message's text that cites a file (``file_search`` made it)."""

    type: Literal["file_citation"] = "file_citation"
    text: str
    file_citation: FileCitation
    start_index: Annotated[int, Ge(0)]
    end_index: Annotated[int, Ge(0)]


@attrs.frozen(kw_only=True)
class FilePath(_Model):
    """The file a path annotation points to."""

    file_id: str


@attrs.frozen(kw_only=True)
class FilePathAnnotation(_Model):
    """A span of a message's text that names a file the code interpreter made."""

    type: Literal["file_path"] = "file_path"
    text: str
    file_path: FilePath
    start_index: Annotated[int, Ge(0)]
    end_index: Annotated[int, Ge(0)]


@attrs.frozen(kw_only=True, match_args=False)
class UnknownAnnotation(_UnknownArm):
    """A text annotation of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: An annotation of a message's text: a file citation or a file path (or unknown, lenient).
Annotation: TypeAlias = FileCitationAnnotation | FilePathAnnotation | UnknownAnnotation


@attrs.frozen(kw_only=True)
class MessageText(_Model):
    """The text of a message part, and its annotations."""

    value: str
    annotations: tuple[Annotation, ...]


@attrs.frozen(kw_only=True)
class TextContentPart(_Model):
    """A part of a message that is text: ``{"type": "text", "text": {"value", ...}}``."""

    type: Literal["text"] = "text"
    text: MessageText


@attrs.frozen(kw_only=True)
class RefusalPart(_Model):
    """A part of a message in which the model refused: ``{"type": "refusal", ...}``."""

    type: Literal["refusal"] = "refusal"
    refusal: str


@attrs.frozen(kw_only=True, match_args=False)
class UnknownMessageContent(_UnknownArm):
    """A message part of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: A part of a message: image file, image URL, text or refusal (or unknown, lenient).
MessageContent: TypeAlias = (
    ImageFilePart | ImageUrlPart | TextContentPart | RefusalPart | UnknownMessageContent
)

# --- the message --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MessageIncompleteDetails(_Model):
    """Why a message is incomplete."""

    reason: MessageIncompleteReason | UnknownValue


@attrs.frozen(kw_only=True)
class Message(_Model):
    """A message in a thread: the ``thread.message`` object.

    >>> import runschema
    >>> msg = runschema.loads(b'''{"id": "msg_1", "object": "thread.message",
    ...   "created_at": 1698983503, "thread_id": "thread_1", "status": "completed",
    ...   "incomplete_details": null, "completed_at": 1698983504, "incomplete_at": null,
    ...   "role": "assistant", "assistant_id": "asst_1", "run_id": "run_1",
    ...   "attachments": [], "metadata": {},
    ...   "content": [{"type": "text", "text": {"value": "Hi!", "annotations": []}}]}''',
    ...   runschema.Message, strict=True)
    >>> msg.content[0].text.value
    'Hi!'
    """

    id: str
    object: Literal["thread.message"] = "thread.message"
    created_at: datetime
    thread_id: str
    status: MessageStatus | UnknownValue
    incomplete_details: MessageIncompleteDetails | None = None
    completed_at: datetime | None = None
    incomplete_at: datetime | None = None
    role: MessageRole | UnknownValue
    content: tuple[MessageContent, ...]
    assistant_id: str | None = None
    run_id: str | None = None
    # the spec's own examples leave it out (see ERRATA)
    attachments: tuple[Attachment, ...] | None = None
    metadata: Metadata | None = None


@attrs.frozen(kw_only=True)
class MessageList(_Model):
    """A page of messages (``ListMessagesResponse``)."""

    object: str = "list"
    data: tuple[Message, ...]
    # null on an empty page (see ERRATA)
    first_id: Annotated[str | None, Erratum("ListMessagesResponse.first_id:nullable")] = None
    last_id: Annotated[str | None, Erratum("ListMessagesResponse.last_id:nullable")] = None
    has_more: bool


# --- the message delta --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DeltaImageFile(_Model):
    """The image file of a delta part, as far as it changed."""

    file_id: str | Unset = UNSET
    detail: ImageDetail | UnknownValue | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaImageFilePart(_Model):
    """A change to the image file part at ``index`` of a message."""

    index: int
    type: Literal["image_file"] = "image_file"
    image_file: DeltaImageFile | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaImageUrl(_Model):
    """The image URL of a delta part, as far as it changed."""

    url: str | Unset = UNSET
    detail: ImageDetail | UnknownValue | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaImageUrlPart(_Model):
    """A change to the image URL part at ``index`` of a message."""

    index: int
    type: Literal["image_url"] = "image_url"
    image_url: DeltaImageUrl | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaFileCitation(_Model):
    """The file (and quote) of a citation, as far as it changed."""

    file_id: str | Unset = UNSET
    quote: str | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaFileCitationAnnotation(_Model):
    """A change to the file citation at ``index`` of a text part."""

    index: int
    type: Literal["file_citation"] = "file_citation"
    text: str | Unset = UNSET
    file_citation: DeltaFileCitation | Unset = UNSET
    start_index: Annotated[int, Ge(0)] | Unset = UNSET
    end_index: Annotated[int, Ge(0)] | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaFilePath(_Model):
    """The file of a path annotation, as far as it changed."""

    file_id: str | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaFilePathAnnotation(_Model):
    """A change to the file path annotation at ``index`` of a text part."""

    index: int
    type: Literal["file_path"] = "file_path"
    text: str | Unset = UNSET
    file_path: DeltaFilePath | Unset = UNSET
    start_index: Annotated[int, Ge(0)] | Unset = UNSET
    end_index: Annotated[int, Ge(0)] | Unset = UNSET


@attrs.frozen(kw_only=True, match_args=False)
class UnknownDeltaAnnotation(_UnknownArm):
    """A delta annotation of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: An annotation in a message delta, at its index (or unknown, lenient).
DeltaAnnotation: TypeAlias = (
    DeltaFileCitationAnnotation | DeltaFilePathAnnotation | UnknownDeltaAnnotation
)


@attrs.frozen(kw_only=True)
class DeltaText(_Model):
    """Text added to a text part (``value`` is appended), and annotations changed."""

    value: str | Unset = UNSET
    annotations: tuple[DeltaAnnotation, ...] | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaTextPart(_Model):
    """A change to the text part at ``index`` of a message."""

    index: int
    type: Literal["text"] = "text"
    text: DeltaText | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaRefusalPart(_Model):
    """A change to the refusal part at ``index`` of a message."""

    index: int
    type: Literal["refusal"] = "refusal"
    refusal: str | Unset = UNSET


@attrs.frozen(kw_only=True, match_args=False)
class UnknownDeltaContentPart(_UnknownArm):
    """A delta part of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: A content part in a message delta, at its index (or unknown, lenient).
DeltaContentPart: TypeAlias = (
    DeltaImageFilePart
    | DeltaTextPart
    | DeltaRefusalPart
    | DeltaImageUrlPart
    | UnknownDeltaContentPart
)


@attrs.frozen(kw_only=True)
class MessageDeltaFields(_Model):
    """The fields of a message that a delta changes."""

    role: MessageRole | UnknownValue | Unset = UNSET
    content: tuple[DeltaContentPart, ...] | Unset = UNSET


@attrs.frozen(kw_only=True)
class MessageDelta(_Model):
    """What changed on a message while it streams: the ``thread.message.delta`` object.

    The spec makes every key of a delta's part optional; the delta that introduces a part
    carries what the finished part requires all the same (a text's ``annotations``, none
    yet), as upstream sent it and as :func:`runschema.check_stream` asks (``missing``).

    >>> import runschema
    >>> d = runschema.loads(b'{"id": "msg_1", "object": "thread.message.delta", "delta":'
    ...     b' {"content": [{"index": 0, "type": "text", "text": {"value": "Hel",'
    ...     b' "annotations": []}}]}}', runschema.MessageDelta, strict=True)
    >>> d.delta.content[0].text.value
    'Hel'
    """

    id: str
    object: Literal["thread.message.delta"] = "thread.message.delta"
    delta: MessageDeltaFields


# --- the run step delta -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DeltaLogsOutput(_Model):
    """Log text added to the code interpreter output at ``index``."""

    index: int
    type: Literal["logs"] = "logs"
    logs: str | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaImage(_Model):
    """The image file of a code interpreter output, as far as it changed."""

    file_id: str | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaImageOutput(_Model):
    """A change to the image output at ``index`` of a code interpreter call."""

    index: int
    type: Literal["image"] = "image"
    image: DeltaImage | Unset = UNSET


@attrs.frozen(kw_only=True, match_args=False)
class UnknownDeltaCodeInterpreterOutput(_UnknownArm):
    """A delta code interpreter output of a type this version does not know (lenient)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: A code interpreter output in a step delta, at its index (or unknown, lenient).
DeltaCodeInterpreterOutput: TypeAlias = (
    DeltaLogsOutput | DeltaImageOutput | UnknownDeltaCodeInterpreterOutput
)


@attrs.frozen(kw_only=True)
class DeltaCodeInterpreter(_Model):
    """Input added to a code interpreter call, and outputs changed."""

    input: str | Unset = UNSET
    outputs: tuple[DeltaCodeInterpreterOutput, ...] | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaCodeInterpreterCall(_Model):
    """A change to the code interpreter call at ``index`` of a step's tool calls."""

    index: int
    id: str | Unset = UNSET
    type: Literal["code_interpreter"] = "code_interpreter"
    code_interpreter: DeltaCodeInterpreter | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaFileSearchCall(_Model):
    """A change to the file search call at ``index`` (its ``file_search`` is ``{}`` today)."""

    index: int
    id: str | Unset = UNSET
    type: Literal["file_search"] = "file_search"
    file_search: JsonObjectT = attrs.field(converter=json_in)


@attrs.frozen(kw_only=True)
class DeltaFunction(_Model):
    """A function call's name, arguments added, and output, as far as they changed."""

    name: str | Unset = UNSET
    arguments: str | Unset = UNSET
    output: str | Unset | None = UNSET


@attrs.frozen(kw_only=True)
class DeltaFunctionCall(_Model):
    """A change to the function call at ``index`` of a step's tool calls."""

    index: int
    id: str | Unset = UNSET
    type: Literal["function"] = "function"
    function: DeltaFunction | Unset = UNSET


@attrs.frozen(kw_only=True, match_args=False)
class UnknownDeltaToolCall(_UnknownArm):
    """A delta tool call of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: A tool call in a run step delta, at its index (or unknown, lenient).
DeltaToolCall: TypeAlias = (
    DeltaCodeInterpreterCall | DeltaFileSearchCall | DeltaFunctionCall | UnknownDeltaToolCall
)


@attrs.frozen(kw_only=True)
class DeltaMessageCreation(_Model):
    """The message a message creation step made, once known."""

    message_id: str | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaMessageCreationDetails(_Model):
    """A change to a message creation step's details."""

    type: Literal["message_creation"] = "message_creation"
    message_creation: DeltaMessageCreation | Unset = UNSET


@attrs.frozen(kw_only=True)
class DeltaToolCallsDetails(_Model):
    """A change to a tool calls step's details: the calls that changed."""

    type: Literal["tool_calls"] = "tool_calls"
    tool_calls: tuple[DeltaToolCall, ...] | Unset = UNSET


@attrs.frozen(kw_only=True, match_args=False)
class UnknownDeltaStepDetails(_UnknownArm):
    """Delta step details of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: A run step delta's details: message creation or tool calls (or unknown, lenient).
DeltaStepDetails: TypeAlias = (
    DeltaMessageCreationDetails | DeltaToolCallsDetails | UnknownDeltaStepDetails
)


@attrs.frozen(kw_only=True)
class RunStepDeltaFields(_Model):
    """The fields of a run step that a delta changes."""

    step_details: DeltaStepDetails | Unset = UNSET


@attrs.frozen(kw_only=True)
class RunStepDelta(_Model):
    """What changed on a run step while it streams: the ``thread.run.step.delta`` object.

    >>> import runschema
    >>> d = runschema.loads(b'{"id": "step_1", "object": "thread.run.step.delta", "delta":'
    ...     b' {"step_details": {"type": "tool_calls", "tool_calls": [{"index": 0,'
    ...     b' "type": "function", "function": {"arguments": "{\\\\""}}]}}}',
    ...     runschema.RunStepDelta, strict=True)
    >>> d.delta.step_details.tool_calls[0].function.arguments
    '{"'
    """

    id: str
    object: Literal["thread.run.step.delta"] = "thread.run.step.delta"
    delta: RunStepDeltaFields


unions(
    Annotation,
    MessageContent,
    DeltaAnnotation,
    DeltaContentPart,
    DeltaCodeInterpreterOutput,
    DeltaToolCall,
    DeltaStepDetails,
)

#: The status values a message may have, as the spec lists them.
MESSAGE_STATUSES: tuple[str, ...] = _values(MessageStatus)
