"""The run step object (``thread.run.step``) and every type nested in it, declared.

Declarations only, by the rules of the schema language (``_schema``'s docstring).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal, TypeAlias

import attrs

from ._models import FileSearchRanker, Usage, _values
from ._schema import Ge, Le, Metadata, _Model, _UnknownArm, unions
from ._values import UNSET, UnknownValue, Unset, json_number_key

__all__ = [
    "CodeInterpreterImage",
    "CodeInterpreterImageOutput",
    "CodeInterpreterLogsOutput",
    "FileSearchResult",
    "FileSearchResultContent",
    "MessageCreation",
    "MessageCreationDetails",
    "RunStep",
    "RunStepLastError",
    "StepCodeInterpreter",
    "StepCodeInterpreterCall",
    "StepFileSearch",
    "StepFileSearchCall",
    "StepFileSearchRankingOptions",
    "StepFunction",
    "StepFunctionCall",
    "ToolCallsDetails",
    "UnknownCodeInterpreterOutput",
    "UnknownStepDetails",
    "UnknownStepToolCall",
]

RunStepType: TypeAlias = Literal["message_creation", "tool_calls"]
#: The statuses of a run step.
RunStepStatus: TypeAlias = Literal["in_progress", "cancelled", "failed", "completed", "expired"]
RunStepErrorCode: TypeAlias = Literal["server_error", "rate_limit_exceeded"]

# --- code interpreter ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CodeInterpreterLogsOutput(_Model):
    """Text the code interpreter printed: ``{"type": "logs", "logs": ...}``."""

    type: Literal["logs"] = "logs"
    logs: str


@attrs.frozen(kw_only=True)
class CodeInterpreterImage(_Model):
    """The file of an image the code interpreter made."""

    file_id: str


@attrs.frozen(kw_only=True)
class CodeInterpreterImageOutput(_Model):
    """An image the code interpreter made: ``{"type": "image", "image": {"file_id"}}``."""

    type: Literal["image"] = "image"
    image: CodeInterpreterImage


@attrs.frozen(kw_only=True, match_args=False)
class UnknownCodeInterpreterOutput(_UnknownArm):
    """A code interpreter output of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: An output of a code interpreter call: logs or an image (or unknown, lenient).
CodeInterpreterOutput: TypeAlias = (
    CodeInterpreterLogsOutput | CodeInterpreterImageOutput | UnknownCodeInterpreterOutput
)


@attrs.frozen(kw_only=True)
class StepCodeInterpreter(_Model):
    """What a code interpreter call ran (``input``) and what came of it (``outputs``)."""

    input: str
    outputs: tuple[CodeInterpreterOutput, ...]


@attrs.frozen(kw_only=True)
class StepCodeInterpreterCall(_Model):
    """A code interpreter tool call of a run step."""

    id: str
    type: Literal["code_interpreter"] = "code_interpreter"
    code_interpreter: StepCodeInterpreter


# --- file search --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StepFileSearchRankingOptions(_Model):
    """The ranking a file search call used (both keys always there, unlike a tool's)."""

    ranker: FileSearchRanker | UnknownValue
    score_threshold: Annotated[float, Ge(0), Le(1)] = attrs.field(eq=json_number_key)


@attrs.frozen(kw_only=True)
class FileSearchResultContent(_Model):
    """A piece of a file search result's content (only when ``include[]`` asked for it)."""

    type: Literal["text"] | UnknownValue | Unset = UNSET
    text: str | Unset = UNSET


@attrs.frozen(kw_only=True)
class FileSearchResult(_Model):
    """One result of a file search: the file, its score, maybe its content."""

    file_id: str
    file_name: str
    score: Annotated[float, Ge(0), Le(1)] = attrs.field(eq=json_number_key)
    content: tuple[FileSearchResultContent, ...] | Unset = UNSET


@attrs.frozen(kw_only=True)
class StepFileSearch(_Model):
    """What a file search call did: its ranking options and results (both optional)."""

    ranking_options: StepFileSearchRankingOptions | Unset = UNSET
    results: tuple[FileSearchResult, ...] | Unset = UNSET


@attrs.frozen(kw_only=True)
class StepFileSearchCall(_Model):
    """A file search tool call of a run step."""

    id: str
    type: Literal["file_search"] = "file_search"
    file_search: StepFileSearch


# --- function -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StepFunction(_Model):
    """The function called, its arguments, and its output (``None`` until submitted)."""

    name: str
    arguments: str
    output: str | None = None


@attrs.frozen(kw_only=True)
class StepFunctionCall(_Model):
    """A function tool call of a run step."""

    id: str
    type: Literal["function"] = "function"
    function: StepFunction


@attrs.frozen(kw_only=True, match_args=False)
class UnknownStepToolCall(_UnknownArm):
    """A run step's tool call of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: A run step's tool call: code interpreter, file search, function (or unknown, lenient).
StepToolCall: TypeAlias = (
    StepCodeInterpreterCall | StepFileSearchCall | StepFunctionCall | UnknownStepToolCall
)

# --- step details -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MessageCreation(_Model):
    """The message a run step created."""

    message_id: str


@attrs.frozen(kw_only=True)
class MessageCreationDetails(_Model):
    """Step details of a message creation step."""

    type: Literal["message_creation"] = "message_creation"
    message_creation: MessageCreation


@attrs.frozen(kw_only=True)
class ToolCallsDetails(_Model):
    """Step details of a tool calls step: the calls it made."""

    type: Literal["tool_calls"] = "tool_calls"
    tool_calls: tuple[StepToolCall, ...]


@attrs.frozen(kw_only=True, match_args=False)
class UnknownStepDetails(_UnknownArm):
    """Step details of a type this version does not know (lenient mode)."""

    __match_args__: ClassVar[tuple[Literal["data"]]] = (
        "data",
    )  # declared here too: pyright reads no inherited one


#: A run step's details: message creation or tool calls (or unknown, lenient).
StepDetails: TypeAlias = MessageCreationDetails | ToolCallsDetails | UnknownStepDetails

# --- the step -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RunStepLastError(_Model):
    """``last_error`` of a run step (its codes are fewer than a run's)."""

    code: RunStepErrorCode | UnknownValue
    message: str


@attrs.frozen(kw_only=True)
class RunStep(_Model):
    """A step in the execution of a run: the ``thread.run.step`` object.

    >>> import runschema
    >>> step = runschema.loads(b'''{"id": "step_1", "object": "thread.run.step",
    ...   "created_at": 1699063291, "run_id": "run_1", "assistant_id": "asst_1",
    ...   "thread_id": "thread_1", "type": "message_creation", "status": "completed",
    ...   "cancelled_at": null, "completed_at": 1699063291, "expired_at": null,
    ...   "failed_at": null, "last_error": null, "metadata": null, "usage": null,
    ...   "step_details": {"type": "message_creation",
    ...                    "message_creation": {"message_id": "msg_1"}}}''', runschema.RunStep)
    >>> step.step_details.message_creation.message_id
    'msg_1'
    """

    id: str
    object: Literal["thread.run.step"] = "thread.run.step"
    created_at: datetime
    assistant_id: str
    thread_id: str
    run_id: str
    type: RunStepType | UnknownValue
    status: RunStepStatus | UnknownValue
    step_details: StepDetails
    last_error: RunStepLastError | None = None
    expired_at: datetime | None = None
    cancelled_at: datetime | None = None
    failed_at: datetime | None = None
    completed_at: datetime | None = None
    metadata: Metadata | None = None
    usage: Usage | None = None


unions(CodeInterpreterOutput, StepToolCall, StepDetails)

#: The status values a run step may have, as the spec lists them.
RUN_STEP_STATUSES: tuple[str, ...] = _values(RunStepStatus)
