"""runschema: typed, transport-agnostic schema for the Assistants API Run object.

Frozen attrs models, strict and lenient cattrs converters, an orjson codec, and errors a service
can hand back to its caller.

>>> import runschema
>>> run = runschema.loads(runschema.seed_example(), runschema.Run)
>>> run.status
'completed'
>>> runschema.loads(runschema.dumps(run), runschema.Run) == run
True
"""

from typing import TYPE_CHECKING, Any

from ._codec import dumps, loads, seed_example
from ._endpoints import APIError, Endpoint, Request
from ._errata import ERRATA
from ._errors import (
    ERROR_CODES,
    DecodeError,
    ErrorCode,
    ErrorDetail,
    RequestError,
    SchemaError,
    ValidationError,
)
from ._jsonschema import json_schema
from ._models import (
    CodeInterpreterResources,
    CodeInterpreterTool,
    FileSearchOptions,
    FileSearchRankingOptions,
    FileSearchResources,
    FileSearchTool,
    FunctionDefinition,
    FunctionTool,
    FunctionToolCall,
    FunctionToolCallFunction,
    IncompleteDetails,
    JsonSchemaFormat,
    LastError,
    NamedToolChoice,
    NamedToolChoiceFunction,
    RequiredAction,
    ResponseFormat,
    ResponseFormatJsonObject,
    ResponseFormatJsonSchema,
    ResponseFormatText,
    Run,
    RunStatus,
    RunUpdateParams,
    SubmitToolOutputs,
    Tool,
    ToolCall,
    ToolChoice,
    ToolResources,
    TruncationStrategy,
    UnknownRequiredAction,
    UnknownResponseFormat,
    UnknownTool,
    UnknownToolCall,
    UnknownToolChoice,
    Usage,
)
from ._requests import (  # type: ignore[deprecated]  # re-exported as such
    MODIFY_RUN,
    RETRIEVE_RUN,
    apply_update,
    modify_run,
    parse_run_response,
    retrieve_run,
    validate_modify_run_request,
)
from ._structure import absent_fields, structure, unknown_fields, unstructure, validate
from ._values import UNSET, FrozenMap, JsonValue, UnknownValue, Unset

if TYPE_CHECKING:
    from ._converter import LENIENT, STRICT, errors_of


def __getattr__(name: str) -> Any:
    # The cattrs converters are built on first use: ``import runschema`` never imports cattrs.
    if name in ("LENIENT", "STRICT", "errors_of"):
        from . import _converter

        return getattr(_converter, name)
    raise AttributeError(f"module 'runschema' has no attribute {name!r}")


__all__ = [
    "ERRATA",
    "ERROR_CODES",
    "LENIENT",
    "MODIFY_RUN",
    "RETRIEVE_RUN",
    "STRICT",
    "UNSET",
    "APIError",
    "CodeInterpreterResources",
    "CodeInterpreterTool",
    "DecodeError",
    "Endpoint",
    "ErrorCode",
    "ErrorDetail",
    "FileSearchOptions",
    "FileSearchRankingOptions",
    "FileSearchResources",
    "FileSearchTool",
    "FrozenMap",
    "FunctionDefinition",
    "FunctionTool",
    "FunctionToolCall",
    "FunctionToolCallFunction",
    "IncompleteDetails",
    "JsonSchemaFormat",
    "JsonValue",
    "LastError",
    "NamedToolChoice",
    "NamedToolChoiceFunction",
    "Request",
    "RequestError",
    "RequiredAction",
    "ResponseFormat",
    "ResponseFormatJsonObject",
    "ResponseFormatJsonSchema",
    "ResponseFormatText",
    "Run",
    "RunStatus",
    "RunUpdateParams",
    "SchemaError",
    "SubmitToolOutputs",
    "Tool",
    "ToolCall",
    "ToolChoice",
    "ToolResources",
    "TruncationStrategy",
    "UnknownRequiredAction",
    "UnknownResponseFormat",
    "UnknownTool",
    "UnknownToolCall",
    "UnknownToolChoice",
    "UnknownValue",
    "Unset",
    "Usage",
    "ValidationError",
    "absent_fields",
    "apply_update",
    "dumps",
    "errors_of",
    "json_schema",
    "loads",
    "modify_run",
    "parse_run_response",
    "retrieve_run",
    "seed_example",
    "structure",
    "unknown_fields",
    "unstructure",
    "validate",
    "validate_modify_run_request",
]
