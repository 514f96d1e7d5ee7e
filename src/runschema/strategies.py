"""Hypothesis strategies for realistic runs, valid and deliberately invalid.

Test your own code against runs the way runschema tests itself. Needs ``hypothesis`` (the
``test`` extra); ``import runschema`` never imports this module.

>>> import runschema
>>> from hypothesis import given
>>> from runschema import strategies as rs
>>> @given(rs.runs())
... def test_roundtrip(run):
...     assert runschema.loads(runschema.dumps(run), runschema.Run, strict=True) == run

Valid values are built through the normal constructors, so they satisfy strict mode: bounds,
metadata limits (16 pairs, 64/512 characters, astral characters included), whole-second UTC
timestamps within what ``datetime`` holds, 64-bit integers.
"""

from __future__ import annotations

import copy
import functools
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from ._kinds import EPOCH, MAX_INT, MAX_TS, MIN_INT, MIN_TS
from ._models import (
    CodeInterpreterResources,
    CodeInterpreterTool,
    FileSearchOptions,
    FileSearchRanker,
    FileSearchRankingOptions,
    FileSearchResources,
    FileSearchTool,
    FunctionDefinition,
    FunctionTool,
    FunctionToolCall,
    FunctionToolCallFunction,
    IncompleteDetails,
    IncompleteReason,
    JsonSchemaFormat,
    LastError,
    LastErrorCode,
    NamedToolChoice,
    NamedToolChoiceFunction,
    NamedToolType,
    RequiredAction,
    ResponseFormatJsonObject,
    ResponseFormatJsonSchema,
    ResponseFormatText,
    Run,
    RunStatus,
    RunUpdateParams,
    SubmitToolOutputs,
    ToolChoiceString,
    ToolResources,
    TruncationStrategy,
    TruncationType,
    Usage,
    _values,
)
from ._structure import unstructure
from ._values import UNSET

__all__ = [
    "invalid_run_json",
    "json_objects",
    "json_values",
    "metadata",
    "response_formats",
    "run_json",
    "run_json_with_unknowns",
    "run_update_params",
    "runs",
    "timestamps",
    "tool_choices",
    "tools",
]

# Ordinary strings: no lone surrogates (hypothesis' default), kept short for speed.
_text = st.text(max_size=12)
_name = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789", min_size=1, max_size=16)


def _known(literal: Any) -> st.SearchStrategy[str]:
    """The known values of one of the models' open string sets (a ``Literal`` alias)."""
    return st.sampled_from(_values(literal))


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.just(UNSET) | strategy


def _nullable(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@functools.cache
def timestamps() -> st.SearchStrategy[datetime]:
    """Aware UTC datetimes at whole seconds, anywhere ``datetime`` can hold them."""
    return st.integers(MIN_TS, MAX_TS).map(lambda s: EPOCH + timedelta(seconds=s))


@functools.cache
def json_values() -> st.SearchStrategy[Any]:
    """Small JSON values orjson keeps exactly: 64-bit integers, finite floats, no surrogates."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(MIN_INT, MAX_INT)
        | st.floats(allow_nan=False, allow_infinity=False)
        | _text
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
        max_leaves=8,
    )


@functools.cache
def json_objects() -> st.SearchStrategy[dict[str, Any]]:
    """Small JSON objects (for function ``parameters`` and json_schema ``schema``)."""
    return st.dictionaries(_text, json_values(), max_size=4)


@functools.cache
def metadata() -> st.SearchStrategy[dict[str, str]]:
    """Metadata within the limits: up to 16 pairs, keys <= 64 and values <= 512 characters."""
    edge_key = st.sampled_from(["k" * 64, "\U0001f600" * 64, "user id", "", "ü"])
    edge_value = st.sampled_from(["v" * 512, "\U0001f600" * 512, ""])
    keys = st.text(max_size=64) | edge_key
    values = st.text(max_size=40) | edge_value
    return st.dictionaries(keys, values, max_size=16)


@functools.cache
def tools() -> st.SearchStrategy[Any]:
    """One tool of each known kind: code interpreter, file search (with options), function."""
    ranking = st.builds(
        FileSearchRankingOptions,
        ranker=_opt(_known(FileSearchRanker)),
        score_threshold=st.floats(0, 1) | st.sampled_from([0, 1]),
    )
    options = st.builds(
        FileSearchOptions,
        max_num_results=_opt(st.integers(1, 50)),
        ranking_options=_opt(ranking),
    )
    function = st.builds(
        FunctionDefinition,
        name=_name,
        description=_opt(_text),
        parameters=_opt(json_objects()),
        strict=_opt(_nullable(st.booleans())),
    )
    return st.one_of(
        st.just(CodeInterpreterTool()),
        st.builds(FileSearchTool, file_search=_opt(options)),
        st.builds(FunctionTool, function=function),
    )


@functools.cache
def response_formats() -> st.SearchStrategy[Any]:
    """``"auto"`` or one of the three response format objects."""
    schema = st.builds(
        JsonSchemaFormat,
        name=_name,
        description=_opt(_text),
        schema=_opt(json_objects()),
        strict=_opt(_nullable(st.booleans())),
    )
    return st.one_of(
        st.just("auto"),
        st.just(ResponseFormatText()),
        st.just(ResponseFormatJsonObject()),
        st.builds(ResponseFormatJsonSchema, json_schema=schema),
    )


@functools.cache
def tool_choices() -> st.SearchStrategy[Any]:
    """``none``/``auto``/``required`` or a named tool choice."""
    named = st.builds(
        NamedToolChoice,
        type=_known(NamedToolType),
        function=_opt(st.builds(NamedToolChoiceFunction, name=_name)),
    )
    return _known(ToolChoiceString) | named


@functools.cache
def _required_actions() -> st.SearchStrategy[RequiredAction]:
    call = st.builds(
        FunctionToolCall,
        id=_name.map(lambda s: "call_" + s),
        function=st.builds(FunctionToolCallFunction, name=_name, arguments=_text),
    )
    return st.builds(
        RequiredAction,
        submit_tool_outputs=st.builds(
            SubmitToolOutputs, tool_calls=st.lists(call, max_size=3).map(tuple)
        ),
    )


@functools.cache
def _tool_resources() -> st.SearchStrategy[ToolResources]:
    ids = st.lists(_name, max_size=3).map(tuple)
    return st.builds(
        ToolResources,
        code_interpreter=_opt(st.builds(CodeInterpreterResources, file_ids=_opt(ids))),
        file_search=_opt(
            st.builds(
                FileSearchResources,
                vector_store_ids=_opt(st.lists(_name, max_size=1).map(tuple)),
            )
        ),
    )


@functools.cache
def runs() -> st.SearchStrategy[Run]:
    """Valid Runs (strict mode accepts them): every field, every arm, nulls and absences."""
    statuses = _known(RunStatus)
    tokens = _nullable(st.integers(256, 2**40))
    usage = st.builds(
        Usage,
        completion_tokens=st.integers(0, 2**40),
        prompt_tokens=st.integers(0, 2**40),
        total_tokens=st.integers(0, 2**40),
    )
    return st.builds(
        Run,
        id=_name.map(lambda s: "run_" + s),
        created_at=timestamps(),
        thread_id=_name.map(lambda s: "thread_" + s),
        assistant_id=_name.map(lambda s: "asst_" + s),
        status=statuses,
        required_action=_nullable(_required_actions()),
        last_error=_nullable(
            st.builds(
                LastError,
                code=_known(LastErrorCode),
                message=_text,
            )
        ),
        expires_at=_nullable(timestamps()),
        started_at=_nullable(timestamps()),
        cancelled_at=_nullable(timestamps()),
        failed_at=_nullable(timestamps()),
        completed_at=_nullable(timestamps()),
        incomplete_details=_nullable(
            st.builds(
                IncompleteDetails,
                reason=_opt(_known(IncompleteReason)),
            )
        ),
        model=st.sampled_from(["gpt-4o", "gpt-4.1-mini", "o3-mini"]) | _text,
        instructions=_nullable(_text),
        tools=st.lists(tools(), max_size=4).map(tuple),
        tool_resources=_opt(_nullable(_tool_resources())),
        metadata=_nullable(metadata()),
        usage=_nullable(usage),
        temperature=_opt(_nullable(st.floats(0, 2) | st.integers(0, 2))),
        top_p=_opt(_nullable(st.floats(0, 1))),
        max_prompt_tokens=tokens,
        max_completion_tokens=tokens,
        truncation_strategy=_nullable(
            st.builds(
                TruncationStrategy,
                type=_known(TruncationType),
                last_messages=_opt(_nullable(st.integers(1, 100))),
            )
        ),
        tool_choice=_nullable(tool_choices()),
        parallel_tool_calls=st.booleans(),
        response_format=_nullable(response_formats()),
    )


@functools.cache
def run_json() -> st.SearchStrategy[dict[str, Any]]:
    """The JSON data (dicts and lists) of a valid run: mutate it in your own tests."""
    return runs().map(unstructure)


@functools.cache
def run_update_params() -> st.SearchStrategy[RunUpdateParams]:
    """Valid Modify run bodies: metadata unset, null, or a map within the limits."""
    return st.builds(RunUpdateParams, metadata=_opt(_nullable(metadata())))


_unknown_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8).map(
    lambda s: "x_" + s
)


@functools.cache
def _unknown_keys() -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(_unknown_word, json_values(), max_size=3)


_absent_keys = st.lists(
    st.sampled_from(["required_action", "incomplete_details", "usage"]), max_size=2
)


@functools.cache
@st.composite
def run_json_with_unknowns(draw: st.DrawFn) -> dict[str, Any]:
    """A valid run's JSON with things a newer server might send: lenient mode keeps them all.

    Unknown keys (top level and nested), unknown enum values, unknown tool / response format /
    tool choice arms and unknown strings, and absent nullable keys.
    """
    doc = copy.deepcopy(draw(run_json()))
    for key, value in draw(_unknown_keys()).items():
        doc[key] = value
    if draw(st.booleans()):
        doc["status"] = draw(_unknown_word)
    if draw(st.booleans()):
        doc["tools"].append({"type": draw(_unknown_word), **draw(_unknown_keys())})
    if doc["tools"] and draw(st.booleans()):
        doc["tools"][0][draw(_unknown_word)] = draw(json_values())
    choice = draw(st.integers(0, 3))
    if choice == 1:
        doc["tool_choice"] = draw(_unknown_word)
    elif choice == 2:
        doc["tool_choice"] = {"type": draw(_unknown_word)}
    choice = draw(st.integers(0, 3))
    if choice == 1:
        doc["response_format"] = draw(_unknown_word)
    elif choice == 2:
        doc["response_format"] = {"type": draw(_unknown_word), "x": 1}
    if isinstance(doc.get("last_error"), dict) and draw(st.booleans()):
        doc["last_error"]["code"] = draw(_unknown_word)
    nested = [doc.get(key) for key in ("usage", "truncation_strategy", "last_error")]
    resources = doc.get("tool_resources")
    if isinstance(resources, dict):
        nested += [resources, *resources.values()]
    for obj in nested:
        if isinstance(obj, dict) and draw(st.integers(0, 3)) == 0:
            obj[draw(_unknown_word)] = draw(json_values())
    for key in draw(_absent_keys):
        doc.pop(key, None)
    return doc


# (path, value, code, strict only) mutations applied to a valid run's JSON
_MUTATIONS: list[tuple[tuple[str, ...], Any, str, bool]] = [
    (("id",), 1, "type", False),
    (("created_at",), "2024-01-01", "type", False),
    (("created_at",), 1.5, "type", False),
    (("created_at",), MAX_TS + 1, "out_of_range", False),
    (("status",), None, "type", False),
    (("status",), "paused", "enum", True),
    (("model",), None, "type", False),
    (("tools",), {}, "type", False),
    (("tools",), [{"type": "code_interpreter"}] * 21, "too_many", True),
    (("parallel_tool_calls",), "yes", "type", False),
    (("metadata",), [], "type", False),
    (("metadata",), {str(i): "v" for i in range(17)}, "too_many", True),
    (("max_prompt_tokens",), 255, "out_of_range", True),
    (("max_completion_tokens",), "1000", "type", False),
    (("tool_choice",), 1, "type", False),
    (("tool_choice",), "sometimes", "enum", True),
    (("response_format",), [], "type", False),
    (("usage",), {"prompt_tokens": 1, "completion_tokens": 2}, "missing", False),
]


@functools.cache
@st.composite
def invalid_run_json(draw: st.DrawFn, *, strict: bool = True) -> tuple[dict[str, Any], str, str]:
    """A run's JSON with one known fault: ``(document, expected path, expected code)``.

    With ``strict=False`` only faults lenient mode also rejects are drawn. Use it to test that
    your error handling reports exactly what is wrong.
    """
    doc = copy.deepcopy(draw(run_json()))
    choices = [m for m in _MUTATIONS if strict or not m[3]]
    path, value, code, _ = draw(st.sampled_from(choices))
    doc[path[0]] = copy.deepcopy(value)
    where = "$." + path[0]
    if code == "missing":
        where += ".total_tokens"
    if path[0] == "id" or draw(st.booleans()):
        return doc, where, code
    # also: a required non-nullable key removed
    doc = copy.deepcopy(draw(run_json()))
    key = draw(st.sampled_from(["id", "object", "created_at", "model", "tools", "status"]))
    del doc[key]
    return doc, f"$.{key}", "missing"
