"""The schema language: every model's fields derived from annotations, field by field.

``KINDS`` is the table of what each field of each model meant on the wire when fields still
declared their kinds by hand (next to an annotation that said the same again). The kinds derived
from the annotations alone must equal it, field by field.
"""

from __future__ import annotations

from typing import Any

import pytest

import runschema
from runschema import _kinds as k
from runschema._models import MODELS
from runschema._schema import _Model, derive_spec


def describe(kind: Any) -> Any:
    """A kind as plain data, to compare."""
    kind = getattr(kind, "target", kind)
    if isinstance(kind, k.Str):
        return "str"
    if isinstance(kind, k.Bool):
        return "bool"
    if isinstance(kind, k.Timestamp):
        return "timestamp"
    if isinstance(kind, k.JsonObject):
        return "json_object"
    if isinstance(kind, k.Int):
        return ("int", kind.minimum, kind.maximum)
    if isinstance(kind, k.Num):
        return ("number", kind.minimum, kind.maximum)
    if isinstance(kind, k.Const):
        return ("const", kind.value)
    if isinstance(kind, k.Enum):
        return ("enum", kind.values, "open" if kind.open else "closed")
    if isinstance(kind, k.Model):
        return ("model", kind.cls.__name__)
    if isinstance(kind, k.Array):
        return ("array", describe(kind.item), kind.max_items)
    if isinstance(kind, k.StrMap):
        return ("metadata", kind.max_pairs, kind.max_key, kind.max_value)
    if isinstance(kind, k.Tagged):
        arms = tuple((t, c.__name__) for t, c in kind.arms.items())
        return ("tagged", arms, kind.unknown.__name__)
    if isinstance(kind, k.StrOr):
        return ("string_or", describe(kind.strings), describe(kind.objects))
    raise TypeError(kind)


def fields_of(spec: k.Spec) -> list[tuple[str, Any, bool, bool]]:
    return [(f.name, describe(f.kind), f.nullable, f.optional) for f in spec.fields]


# (field, kind, nullable, optional) of every model, as the hand-written declarations said
KINDS: dict[str, list[tuple[str, Any, bool, bool]]] = {
    "LastError": [
        (
            "code",
            ("enum", ("server_error", "rate_limit_exceeded", "invalid_prompt"), "open"),
            False,
            False,
        ),
        ("message", "str", False, False),
    ],
    "IncompleteDetails": [
        ("reason", ("enum", ("max_completion_tokens", "max_prompt_tokens"), "open"), False, True)
    ],
    "Usage": [
        ("completion_tokens", ("int", None, None), False, False),
        ("prompt_tokens", ("int", None, None), False, False),
        ("total_tokens", ("int", None, None), False, False),
    ],
    "TruncationStrategy": [
        ("type", ("enum", ("auto", "last_messages"), "open"), False, False),
        ("last_messages", ("int", 1, None), True, True),
    ],
    "FunctionToolCallFunction": [("name", "str", False, False), ("arguments", "str", False, False)],
    "FunctionToolCall": [
        ("id", "str", False, False),
        ("type", ("const", "function"), False, False),
        ("function", ("model", "FunctionToolCallFunction"), False, False),
    ],
    "UnknownToolCall": [("data", "json_object", False, False)],
    "SubmitToolOutputs": [
        (
            "tool_calls",
            ("array", ("tagged", (("function", "FunctionToolCall"),), "UnknownToolCall"), None),
            False,
            False,
        )
    ],
    "RequiredAction": [
        ("type", ("const", "submit_tool_outputs"), False, False),
        ("submit_tool_outputs", ("model", "SubmitToolOutputs"), False, False),
    ],
    "UnknownRequiredAction": [("data", "json_object", False, False)],
    "CodeInterpreterTool": [("type", ("const", "code_interpreter"), False, False)],
    "FileSearchRankingOptions": [
        ("ranker", ("enum", ("auto", "default_2024_08_21"), "open"), False, True),
        ("score_threshold", ("number", 0, 1), False, False),
    ],
    "FileSearchOptions": [
        ("max_num_results", ("int", 1, 50), False, True),
        ("ranking_options", ("model", "FileSearchRankingOptions"), False, True),
    ],
    "FileSearchTool": [
        ("type", ("const", "file_search"), False, False),
        ("file_search", ("model", "FileSearchOptions"), False, True),
    ],
    "FunctionDefinition": [
        ("name", "str", False, False),
        ("description", "str", False, True),
        ("parameters", "json_object", False, True),
        ("strict", "bool", True, True),
    ],
    "FunctionTool": [
        ("type", ("const", "function"), False, False),
        ("function", ("model", "FunctionDefinition"), False, False),
    ],
    "UnknownTool": [("data", "json_object", False, False)],
    "ResponseFormatText": [("type", ("const", "text"), False, False)],
    "ResponseFormatJsonObject": [("type", ("const", "json_object"), False, False)],
    "JsonSchemaFormat": [
        ("name", "str", False, False),
        ("description", "str", False, True),
        ("schema", "json_object", False, True),
        ("strict", "bool", True, True),
    ],
    "ResponseFormatJsonSchema": [
        ("type", ("const", "json_schema"), False, False),
        ("json_schema", ("model", "JsonSchemaFormat"), False, False),
    ],
    "UnknownResponseFormat": [("data", "json_object", False, False)],
    "NamedToolChoiceFunction": [("name", "str", False, False)],
    "NamedToolChoice": [
        ("type", ("enum", ("function", "code_interpreter", "file_search"), "closed"), False, False),
        ("function", ("model", "NamedToolChoiceFunction"), False, True),
    ],
    "UnknownToolChoice": [("data", "json_object", False, False)],
    "CodeInterpreterResources": [("file_ids", ("array", "str", 20), False, True)],
    "FileSearchResources": [("vector_store_ids", ("array", "str", 1), False, True)],
    "ToolResources": [
        ("code_interpreter", ("model", "CodeInterpreterResources"), False, True),
        ("file_search", ("model", "FileSearchResources"), False, True),
    ],
    "Run": [
        ("id", "str", False, False),
        ("object", ("const", "thread.run"), False, False),
        ("created_at", "timestamp", False, False),
        ("thread_id", "str", False, False),
        ("assistant_id", "str", False, False),
        (
            "status",
            (
                "enum",
                (
                    "queued",
                    "in_progress",
                    "requires_action",
                    "cancelling",
                    "cancelled",
                    "failed",
                    "completed",
                    "incomplete",
                    "expired",
                ),
                "open",
            ),
            False,
            False,
        ),
        (
            "required_action",
            ("tagged", (("submit_tool_outputs", "RequiredAction"),), "UnknownRequiredAction"),
            True,
            False,
        ),
        ("last_error", ("model", "LastError"), True, False),
        ("expires_at", "timestamp", True, False),
        ("started_at", "timestamp", True, False),
        ("cancelled_at", "timestamp", True, False),
        ("failed_at", "timestamp", True, False),
        ("completed_at", "timestamp", True, False),
        ("incomplete_details", ("model", "IncompleteDetails"), True, False),
        ("model", "str", False, False),
        ("instructions", "str", True, False),
        (
            "tools",
            (
                "array",
                (
                    "tagged",
                    (
                        ("code_interpreter", "CodeInterpreterTool"),
                        ("file_search", "FileSearchTool"),
                        ("function", "FunctionTool"),
                    ),
                    "UnknownTool",
                ),
                20,
            ),
            False,
            False,
        ),
        ("tool_resources", ("model", "ToolResources"), True, True),
        ("metadata", ("metadata", 16, 64, 512), True, False),
        ("usage", ("model", "Usage"), True, False),
        ("temperature", ("number", None, None), True, True),
        ("top_p", ("number", None, None), True, True),
        ("max_prompt_tokens", ("int", 256, None), True, False),
        ("max_completion_tokens", ("int", 256, None), True, False),
        ("truncation_strategy", ("model", "TruncationStrategy"), True, False),
        (
            "tool_choice",
            (
                "string_or",
                ("enum", ("none", "auto", "required"), "open"),
                (
                    "tagged",
                    (
                        ("function", "NamedToolChoice"),
                        ("code_interpreter", "NamedToolChoice"),
                        ("file_search", "NamedToolChoice"),
                    ),
                    "UnknownToolChoice",
                ),
            ),
            True,
            False,
        ),
        ("parallel_tool_calls", "bool", False, False),
        (
            "response_format",
            (
                "string_or",
                ("enum", ("auto",), "open"),
                (
                    "tagged",
                    (
                        ("text", "ResponseFormatText"),
                        ("json_object", "ResponseFormatJsonObject"),
                        ("json_schema", "ResponseFormatJsonSchema"),
                    ),
                    "UnknownResponseFormat",
                ),
            ),
            True,
            False,
        ),
    ],
    "RunUpdateParams": [("metadata", ("metadata", 16, 64, 512), True, True)],
}


class TestDerivedKinds:
    @pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
    def test_derived_equal_the_declared(self, cls: type[Any]) -> None:
        """The kinds derived from annotations are the kinds the fields were declared with."""
        assert fields_of(derive_spec(cls)) == KINDS[cls.__name__]

    def test_every_model_in_the_table(self) -> None:
        """The table covers every model, and every model is in it."""
        assert sorted(KINDS) == sorted(c.__name__ for c in MODELS)

    @pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
    def test_spec_of_is_the_derivation(self, cls: type[Any]) -> None:
        """What the interpreter and the generated code use is the derived spec."""
        assert fields_of(k.spec_of(cls)) == fields_of(derive_spec(cls))


def _deepest_value(cls: Any, level: int, path: tuple[str, ...]) -> int:
    """The deepest level (1: the document's top) at which a JSON value held as it came starts
    inside an object of ``cls`` written at ``level``: an unknown key's value sits one below
    any object, a function's ``parameters`` where its field is, an unknown arm is its data."""
    assert cls not in path, f"a model that holds itself: {path}"
    if getattr(cls, "__rs_unknown_arm__", False):
        return level
    fields = k.spec_of(cls).fields
    return max([level + 1, *(_kind_depth(f.kind, level + 1, (*path, cls)) for f in fields)])


def _kind_depth(kind: Any, level: int, path: tuple[Any, ...]) -> int:
    kind = getattr(kind, "target", kind)
    if isinstance(kind, k.JsonObject):
        return level
    if isinstance(kind, k.Model):
        return _deepest_value(kind.cls, level, path)
    if isinstance(kind, k.Tagged):
        arms = [*kind.arms.values(), kind.unknown]
        return max(_deepest_value(arm, level, path) for arm in arms)
    if isinstance(kind, k.StrOr):
        return _kind_depth(kind.objects, level, path)
    if isinstance(kind, k.StrOrArray):
        return _kind_depth(kind.items, level, path)
    if isinstance(kind, k.Array):
        return _kind_depth(kind.item, level + 1, path)
    return 0  # a scalar, or metadata's flat strings


class TestPlacementRoom:
    def test_every_value_kept_fits_wherever_runschema_writes_it(self) -> None:
        """A JSON value held as it came may nest VALUE_DEPTH levels: wherever any model (a
        list page, a request body, an event's data) places it, orjson can still write it."""
        models = [getattr(runschema, n) for n in runschema.__all__]
        models = [m for m in models if isinstance(m, type) and issubclass(m, _Model)]
        assert len(models) > len(MODELS)
        deepest = max(_deepest_value(cls, 1, ()) for cls in models)
        assert deepest - 1 <= k.PLACEMENT_ROOM
        assert k.VALUE_DEPTH + k.PLACEMENT_ROOM == k.MAX_DEPTH == 116
        # the deepest today: an unknown key of a code interpreter image output, in a step list
        assert deepest == 12
