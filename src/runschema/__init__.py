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

from ._codec import dumps, loads, seed_example
from ._converter import (
    LENIENT,
    STRICT,
    absent_fields,
    structure,
    unknown_fields,
    unstructure,
    validate,
)
from ._errata import ERRATA
from ._errors import ERROR_CODES, DecodeError, ErrorDetail, SchemaError, ValidationError
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
from ._values import UNSET, FrozenMap, JsonValue, UnknownValue, Unset

__all__ = [
    "ERRATA",
    "ERROR_CODES",
    "LENIENT",
    "STRICT",
    "UNSET",
    "CodeInterpreterResources",
    "CodeInterpreterTool",
    "DecodeError",
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
    "dumps",
    "loads",
    "seed_example",
    "structure",
    "unknown_fields",
    "unstructure",
    "validate",
]
