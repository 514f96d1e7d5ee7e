"""Hypothesis strategies for every runschema type, valid and deliberately invalid.

Test your own code against runs, run steps, pages and request bodies the way runschema tests
itself. Needs ``hypothesis`` (the ``test`` extra); ``import runschema`` never imports this
module.

:func:`values` draws valid values of *any* runschema type (a model class such as
``runschema.RunStep`` or ``runschema.CreateRunParams``, or a union such as
``runschema.Tool``), derived from the type's declared schema; :func:`json_documents` draws their
JSON data. Models added to runschema later are covered without a change here.

>>> import runschema
>>> from hypothesis import given
>>> from runschema import strategies as rs
>>> @given(rs.values(runschema.RunStep))
... def test_roundtrip(step):
...     data = runschema.dumps(step)
...     assert runschema.loads(data, runschema.RunStep, strict=True) == step

Valid values are built through the normal constructors, so they satisfy strict mode: bounds,
metadata limits (16 pairs, 64/512 characters, astral characters included), whole-second UTC
timestamps within what ``datetime`` holds, 64-bit integers.

The hand-written strategies (:func:`runs`, :func:`tools`, ...) draw realistic ids and model
names, and :func:`run_json_with_unknowns` / :func:`invalid_run_json` what a newer server or a
broken client sends.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Literal, TypeVar, get_args, overload

import attrs
import orjson
from hypothesis import strategies as st

from . import _events
from ._events import STATUS_OF_EVENT as _EVENT_STATUS
from ._kinds import (
    EPOCH,
    MAX_INT,
    MAX_TS,
    MIN_INT,
    MIN_TS,
    Array,
    Bool,
    Const,
    Enum,
    FieldInfo,
    Int,
    JsonObject,
    Kind,
    Model,
    Num,
    Str,
    StrMap,
    StrOr,
    StrOrArray,
    Tagged,
    Timestamp,
    spec_of,
)
from ._messages import (
    DeltaCodeInterpreter,
    DeltaCodeInterpreterCall,
    DeltaFunction,
    DeltaFunctionCall,
    DeltaText,
    DeltaTextPart,
    DeltaToolCallsDetails,
    Message,
    MessageDelta,
    MessageDeltaFields,
    MessageText,
    RunStepDelta,
    RunStepDeltaFields,
    TextContentPart,
    Thread,
)
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
    ResponseFormat,
    ResponseFormatJsonObject,
    ResponseFormatJsonSchema,
    ResponseFormatText,
    Run,
    RunStatus,
    RunUpdateParams,
    SubmitToolOutputs,
    Tool,
    ToolChoice,
    ToolChoiceString,
    ToolResources,
    TruncationStrategy,
    TruncationType,
    Usage,
    _values,
)
from ._pages import ErrorObject
from ._runs import untimed
from ._schema import _Model, is_nullable, kind_of
from ._steps import (
    MessageCreation,
    MessageCreationDetails,
    RunStep,
    StepCodeInterpreter,
    StepCodeInterpreterCall,
    StepDetails,
    StepFunction,
    StepFunctionCall,
    ToolCallsDetails,
)
from ._structure import unstructure
from ._values import UNSET, UnknownValue

__all__ = [
    "StreamEnding",
    "broken_streams",
    "invalid_run_json",
    "json_documents",
    "json_objects",
    "json_values",
    "metadata",
    "response_formats",
    "run_json",
    "run_json_with_unknowns",
    "run_update_params",
    "runs",
    "stream_events",
    "timestamps",
    "tool_choices",
    "tools",
    "values",
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
    return _str_maps(StrMap())


def _str_maps(kind: StrMap) -> st.SearchStrategy[dict[str, str]]:
    """String maps within a ``StrMap`` kind's limits, the limits themselves included."""
    edge_key = st.sampled_from(
        ["k" * kind.max_key, "\U0001f600" * kind.max_key, "user id", "", "ü"]
    ).filter(lambda k: len(k) <= kind.max_key)
    edge_value = st.sampled_from(["v" * kind.max_value, "\U0001f600" * kind.max_value, ""])
    keys = st.text(max_size=kind.max_key) | edge_key
    values = st.text(max_size=min(40, kind.max_value)) | edge_value
    return st.dictionaries(keys, values, max_size=kind.max_pairs)


@functools.cache
def tools() -> st.SearchStrategy[Tool]:
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
def response_formats() -> st.SearchStrategy[ResponseFormat]:
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
def tool_choices() -> st.SearchStrategy[ToolChoice]:
    """``none``/``auto``/``required`` or a named tool choice."""
    function = st.builds(NamedToolChoiceFunction, name=_name)
    named = st.builds(
        NamedToolChoice,
        type=_known(NamedToolType).filter(lambda t: t != "function"),
        function=_opt(function),
    ) | st.builds(NamedToolChoice, type=st.just("function"), function=function)  # strict's
    strings: st.SearchStrategy[ToolChoiceString] = st.sampled_from(get_args(ToolChoiceString))
    return strings | named


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
    """Valid Runs (strict mode accepts them): every field, every arm, nulls and absences; a
    run that ``requires_action`` has its ``required_action`` (the official clients read it,
    and :meth:`Endpoint.respond` refuses one without: found by a server author, whose tests
    drew such runs)."""
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
    ).filter(lambda run: run.status != "requires_action" or run.required_action is not None)


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


# --- any runschema type, derived from its declared schema ---------------------------------

_T = TypeVar("_T")

#: How many items an array without a (small) bound of its own gets at most: enough to see
#: several arms side by side, few enough that nested pages of steps stay quick to draw.
_ARRAY_ITEMS = 3


@overload
def values(
    tp: type[_T],
    *,
    unknown: bool = False,
    fields: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[_T]: ...
@overload
def values(
    tp: Any,
    *,
    unknown: bool = False,
    fields: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[Any]: ...
def values(
    tp: Any,
    *,
    unknown: bool = False,
    fields: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[Any]:
    """Valid values of any runschema type, derived from the schema the type declares.

    ``tp`` is a model class (``runschema.RunStep``, ``runschema.CreateRunParams``,
    ``runschema.RunList``, ...) or any annotation the models are written with: a union
    (``runschema.Tool``, ``runschema.StepDetails``), ``tuple[runschema.Run, ...]``, an open
    enum (``runschema.RunStatus | runschema.UnknownValue``), any of them ``| None``. Or a
    stream event class (``runschema.RunEvent``, ...) or ``runschema.StreamEvent``: each
    event's name is one its class carries, a run's, step's or message's status the one its
    name says, and ``decode_stream(encode_event(e)) == [e]``; ``UnknownEvent`` (drawn by
    ``values(runschema.UnknownEvent)``, or in ``StreamEvent`` with ``unknown=True``) has a
    name this version does not know and data a frame can carry (no ``\\r``).

    Each field is drawn from its wire kind: strings, 64-bit integers and finite numbers within
    the declared bounds (the bounds themselves included), whole-second UTC timestamps, arrays
    within their ``MinLen``/``MaxLen``, metadata within its limits, small JSON objects, every
    known enum value, every known arm of a tagged union; nullable fields are sometimes
    ``None``, optional ones sometimes ``UNSET`` (left out of the JSON), and of a
    ``__rs_one_of__`` group exactly one key is present; a query's arrays are never empty (a
    query string has no form for one, so it could not be sent), nor its cursors. Values are
    built through the constructors, so strict mode accepts them and a model round-trips:
    ``loads(dumps(v), type(v), strict=True) == v`` (``dumps`` takes models; of a union, a
    string or ``None`` is drawn as itself), but for what ``unknown`` draws and the unknown
    arm and value classes themselves (``values(UnknownTool)``), which only lenient mode
    reads back (``loads(dumps(v), type(v)) == v``; an ``UnknownValue`` as a value of its
    enum's union, ``loads(dumps(v), RunStatus | UnknownValue)``: alone it is no type a
    value is read as, found by an SDK author). What the schema allows but
    :meth:`~runschema.Endpoint.respond` refuses is not drawn (unless ``fields`` asks for
    it): a run that ``requires_action`` has its ``required_action``, a step's ``type`` is its
    ``step_details``' (an unknown one aside); but an ``UnknownEvent``'s data may be any text
    a frame carries, as a decoder must take it, which :func:`~runschema.check_event` refuses
    when it is no JSON a client reads (filter with it before sending). A model declared later
    is covered as it is; a
    new *kind* of the schema language needs its entry in ``_KIND_STRATEGIES``.

    ``unknown=True`` also draws what only lenient mode accepts, as a newer server sends it:
    ``UnknownValue`` in open enums and the unknown arm (``UnknownTool(data=...)``, ...) of
    tagged unions. ``values(UnknownTool)`` itself draws unknown arms (tags ``x_...``), and
    ``values(UnknownValue)`` unknown values (``x_...``).

    ``fields`` replaces the strategies of some of a model's own fields (top level only):

    >>> import runschema
    >>> from hypothesis import strategies as st
    >>> steps = values(runschema.RunStep, fields={"id": st.just("step_1")})
    >>> pages = values(runschema.RunList)
    >>> tools = values(runschema.Tool, unknown=True)

    The strings are short and ids carry no prefixes: :func:`runs` draws realistic runs.
    """
    if fields:
        if not _is_model(tp):
            raise TypeError("fields= replaces fields of a model class only")
        return _model_values(tp, unknown, dict(fields))
    key = (tp, unknown)
    try:
        cached = _VALUES.get(key)
    except TypeError:  # an unhashable annotation: not cached
        return _values_of(tp, unknown)
    if cached is None:
        cached = _VALUES.setdefault(key, _values_of(tp, unknown))
    return cached


_VALUES: dict[tuple[Any, bool], st.SearchStrategy[Any]] = {}


def _values_of(tp: Any, unknown: bool) -> st.SearchStrategy[Any]:
    if _is_model(tp) and getattr(tp, "__rs_unknown_arm__", False):
        return _unknown_arms(tp)
    if tp is UnknownValue:
        return _unknown_word.map(lambda w: UnknownValue(value=w))
    if tp in _events.EVENT_CLASSES or _events.event_union(tp) is not None:
        return _event_values(tp, unknown)
    strategy = _kind_values(kind_of(tp), unknown)
    return st.none() | strategy if is_nullable(tp) else strategy


def _event_values(tp: Any, unknown: bool) -> st.SearchStrategy[Any]:
    members = _events.event_union(tp)
    if members is not None:
        arms = [
            values(a, unknown=unknown) for a in members if unknown or a is not _events.UnknownEvent
        ]
        none = [st.none()] if type(None) in get_args(tp) else []
        return st.one_of(*none, *arms)
    if tp is _events.DoneEvent:
        return st.just(_events.DoneEvent())
    if tp is _events.UnknownEvent:
        return _unknown_events()
    names = _events.NAMES_OF[tp]
    data = _events.EVENT_DATA[names[0]][1]
    assert data is not None
    made = st.tuples(st.sampled_from(names), values(data, unknown=unknown))
    return made.map(lambda pair: tp(event=pair[0], data=_as_named(*pair)))


def _as_named(name: str, data: Any) -> Any:
    """The data of a run, step or message event with the status its name says (clients go by
    the name: see the checker's ``status_mismatch``), and an end's time where it was null."""
    status = _EVENT_STATUS.get(name)
    if status is None:
        return data
    return _timed(attrs.evolve(data, status=status))


_Timed = TypeVar("_Timed", Run, RunStep, Message)


def _timed(value: _Timed) -> _Timed:
    """``value`` with the time of its end where that was null (at its ``created_at``): an
    event for an end carries it (see the checker's ``status_mismatch``)."""
    field = untimed(value)
    if field is None:
        return value
    times: dict[str, Any] = {field: value.created_at}
    return attrs.evolve(value, **times)


@functools.cache
def _unknown_events() -> st.SearchStrategy[_events.UnknownEvent]:
    """Events of names this version does not know, with data as a newer server sends it
    (JSON mostly) or any text a frame can carry (no ``\\r``, which SSE reads as a line end)."""
    names = _unknown_word.map(lambda w: "thread." + w) | _unknown_word
    texts = json_values().map(lambda v: orjson.dumps(v).decode()) | st.text(
        st.characters(codec="utf-8", exclude_characters="\r")
    )
    return st.builds(_events.UnknownEvent, event=names, data=texts)


def json_documents(
    cls: type[Any],
    *,
    unknown: bool = False,
    fields: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """The JSON data (new plain dicts and lists) of :func:`values` of a model class: valid
    documents to send, store, mutate or feed to other validators.

    >>> import runschema
    >>> bodies = json_documents(runschema.CreateThreadAndRunParams)
    """
    if not _is_model(cls):
        raise TypeError(f"{cls!r} is not a runschema model class")
    return values(cls, unknown=unknown, fields=fields).map(unstructure)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, _Model)


#: Strategies by (kind, unknown): one per model class and union, shared and built once.
_KIND_VALUES: dict[tuple[Kind, bool], st.SearchStrategy[Any]] = {}


def _kind_values(kind: Kind, unknown: bool) -> st.SearchStrategy[Any]:
    key = (kind, unknown)
    cached = _KIND_VALUES.get(key)
    if cached is None:
        make = _KIND_STRATEGIES.get(type(kind))
        if make is None:
            raise TypeError(f"no strategy for the kind {kind!r}: add one to _KIND_STRATEGIES")
        if isinstance(kind, Model):
            # deferred: a model may (some day) hold itself; built on first draw
            cached = st.deferred(lambda: make(kind, unknown))
        else:
            cached = make(kind, unknown)
        cached = _KIND_VALUES.setdefault(key, cached)
    return cached


def _str_values(kind: Str, unknown: bool) -> st.SearchStrategy[str]:
    if kind.pattern is not None:  # a name of its form (strict mode holds it so)
        return st.from_regex(kind.pattern, fullmatch=True)
    return _text


def _int_values(kind: Int, unknown: bool) -> st.SearchStrategy[int]:
    lo = MIN_INT if kind.minimum is None else max(math.ceil(kind.minimum), MIN_INT)
    hi = MAX_INT if kind.maximum is None else min(math.floor(kind.maximum), MAX_INT)
    return st.integers(lo, hi)


def _num_values(kind: Num, unknown: bool) -> st.SearchStrategy[float | int]:
    lo, hi = kind.minimum, kind.maximum
    floats = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    int_lo = MIN_INT if lo is None else max(math.ceil(lo), MIN_INT)
    int_hi = MAX_INT if hi is None else min(math.floor(hi), MAX_INT)
    ints = st.integers(int_lo, int_hi) if int_lo <= int_hi else st.nothing()
    bounds = [b for b in (lo, hi) if b is not None]
    edges = st.sampled_from(bounds) if bounds else st.nothing()
    return floats | ints | edges


def _bool_values(kind: Bool, unknown: bool) -> st.SearchStrategy[bool]:
    return st.booleans()


def _timestamp_values(kind: Timestamp, unknown: bool) -> st.SearchStrategy[datetime]:
    return timestamps()


def _const_values(kind: Const, unknown: bool) -> st.SearchStrategy[str]:
    return st.just(kind.value)


def _enum_values(kind: Enum, unknown: bool) -> st.SearchStrategy[Any]:
    known = st.sampled_from(kind.values) if kind.values else st.nothing()
    if unknown and kind.open:
        other = _unknown_word.filter(lambda w: w not in kind.values)
        return known | other.map(lambda w: UnknownValue(value=w))
    return known


def _model_kind_values(kind: Model, unknown: bool) -> st.SearchStrategy[Any]:
    return _model_values(kind.cls, unknown, {})


def _array_values(kind: Array, unknown: bool) -> st.SearchStrategy[tuple[Any, ...]]:
    lo = kind.min_items or 0
    hi = max(lo, _ARRAY_ITEMS)
    if kind.max_items is not None:
        hi = min(hi, kind.max_items)
    item = _kind_values(kind.item, unknown)
    return st.lists(item, min_size=lo, max_size=hi).map(tuple)


def _str_map_values(kind: StrMap, unknown: bool) -> st.SearchStrategy[dict[str, str]]:
    return _str_maps(kind)


def _json_object_values(kind: JsonObject, unknown: bool) -> st.SearchStrategy[dict[str, Any]]:
    return json_objects()


def _tagged_values(kind: Tagged, unknown: bool) -> st.SearchStrategy[Any]:
    arms = [_model_values(cls, unknown, {}) for cls in dict.fromkeys(kind.arms.values())]
    if unknown:
        arms.append(_unknown_arms(kind.unknown))
    return st.one_of(arms)


def _str_or_values(kind: StrOr, unknown: bool) -> st.SearchStrategy[Any]:
    return _kind_values(kind.strings, unknown) | _kind_values(kind.objects, unknown)


def _str_or_array_values(kind: StrOrArray, unknown: bool) -> st.SearchStrategy[Any]:
    return _kind_values(kind.text, unknown) | _kind_values(kind.items, unknown)


_KIND_STRATEGIES: dict[type[Kind], Any] = {
    Str: _str_values,
    Int: _int_values,
    Num: _num_values,
    Bool: _bool_values,
    Timestamp: _timestamp_values,
    Const: _const_values,
    Enum: _enum_values,
    Model: _model_kind_values,
    Array: _array_values,
    StrMap: _str_map_values,
    JsonObject: _json_object_values,
    Tagged: _tagged_values,
    StrOr: _str_or_values,
    StrOrArray: _str_or_array_values,
}
"""How :func:`values` draws each kind of the schema language, by kind class: a new kind
needs an entry here (the tests check that every kind has one)."""


def _field_values(f: FieldInfo, unknown: bool, *, absent: bool = True) -> st.SearchStrategy[Any]:
    """A field's strategy: its kind's values, ``None`` if nullable, ``UNSET`` if optional
    (and ``absent`` allows it)."""
    strategy = _kind_values(f.kind, unknown)
    if f.nullable:
        strategy = st.none() | strategy
    if f.optional and absent:
        strategy = st.just(UNSET) | strategy
    return strategy


def _model_values(
    cls: type[Any], unknown: bool, fields: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[Any]:
    if getattr(cls, "__rs_unknown_arm__", False):
        return _unknown_arms(cls)
    spec = spec_of(cls)
    by_name = {f.name: f for f in spec.fields}
    stray = set(fields) - set(by_name)
    if stray:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(stray))}")
    grouped = {name for group in spec.one_of for name in group}
    query = cls in _query_types()
    if query:  # a query string has no form for an empty array
        spec = attrs.evolve(spec, fields=tuple(map(_non_empty, spec.fields)))
    plain = {
        f.name: fields[f.name] if f.name in fields else _field_values(f, unknown)
        for f in spec.fields
        if f.name not in grouped or f.name in fields
    }
    if query:  # nor is an empty cursor sent (it names no item: empty_id)
        for f in spec.fields:
            if isinstance(f.kind, Str) and f.name not in fields:
                plain[f.name] = plain[f.name].filter(lambda v: v != "")
    parts: list[st.SearchStrategy[dict[str, Any]]] = [st.fixed_dictionaries(plain)]
    for group in spec.one_of:
        rest = [name for name in group if name not in fields]
        if rest:
            parts.append(
                st.sampled_from(rest).flatmap(functools.partial(_one_of, by_name, rest, unknown))
            )

    def build(kwargs: tuple[dict[str, Any], ...]) -> Any:
        merged: dict[str, Any] = {}
        for part in kwargs:
            merged.update(part)
        if cls is RunStep and "type" not in fields and type(merged["type"]) is str:
            details = merged["step_details"]  # the type is the details' (see respond)
            unknown_arm = getattr(details, "__rs_unknown_arm__", False)
            merged["type"] = UnknownValue(value=details.type) if unknown_arm else details.type
        return cls(**merged)

    made = st.tuples(*parts).map(build)
    for key, field, value in spec.required_if:  # strict mode's (a named function's name)
        if key not in fields:
            made = made.filter(functools.partial(_has_if, key=key, field=field, value=value))
    if cls is Run and not {"status", "required_action"} & set(fields):
        made = made.filter(lambda run: run.status != "requires_action" or run.required_action)
    return made


def _has_if(v: Any, *, key: str, field: str, value: str) -> bool:
    """Whether ``v`` holds ``key`` if its ``field`` holds ``value`` (see ``__rs_required_if__``)."""
    return getattr(v, field) != value or getattr(v, key) is not UNSET


@functools.cache
def _query_types() -> frozenset[type[Any]]:
    from ._requests import ENDPOINTS

    return frozenset(e.query_type for e in ENDPOINTS.values() if e.query_type is not None)


def _non_empty(f: FieldInfo) -> FieldInfo:
    if not isinstance(f.kind, Array):
        return f
    return attrs.evolve(f, kind=attrs.evolve(f.kind, min_items=max(1, f.kind.min_items or 0)))


def _one_of(
    by_name: dict[str, FieldInfo], group: list[str], unknown: bool, present: str
) -> st.SearchStrategy[dict[str, Any]]:
    """The keys of a one-of group: ``present`` drawn (never UNSET), the others UNSET."""
    return st.fixed_dictionaries(
        {
            name: _field_values(by_name[name], unknown, absent=False)
            if name == present
            else st.just(UNSET)
            for name in group
        }
    )


def _unknown_arms(cls: type[Any]) -> st.SearchStrategy[Any]:
    """Unknown arms of a tagged union: an ``x_...`` tag and a few unknown keys."""
    cached = _UNKNOWN_ARMS.get(cls)
    if cached is None:
        known: frozenset[str] = cls.__rs_known_tags__()
        tags = _unknown_word.filter(lambda w: w not in known)
        arms = st.builds(lambda tag, extra: cls(data={**extra, "type": tag}), tags, _unknown_keys())
        cached = _UNKNOWN_ARMS.setdefault(cls, arms)
    return cached


_UNKNOWN_ARMS: dict[type[Any], st.SearchStrategy[Any]] = {}


# --- streams -------------------------------------------------------------------------------

#: How a generated stream ends (its run's last event).
StreamEnding = Literal[
    "completed", "failed", "cancelled", "expired", "incomplete", "requires_action", "error"
]
_ENDINGS: tuple[str, ...] = get_args(StreamEnding)
_pieces = st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=4)


def stream_events(
    *, ending: StreamEnding | None = None
) -> st.SearchStrategy[list[_events.StreamEvent]]:
    """Valid Assistants streams, as a server sends them: the checker finds nothing in them,
    and strict mode reads them back equal.

    A run (from :func:`runs`) created, queued and in progress, sometimes after its thread's
    ``thread.created``; up to three steps, each a message written in text deltas (one or two
    parts) or tool calls (function arguments and code interpreter input in pieces); then the
    run's end (``ending``, or any): completed, failed, cancelled (after cancelling), expired,
    incomplete, requires_action (its last step's function calls left waiting), or an error
    event; then ``done``.

    >>> import runschema
    >>> from hypothesis import given
    >>> from runschema import strategies as rs
    >>> @given(rs.stream_events())
    ... def test_round_trip(events):
    ...     assert runschema.decode_stream(runschema.encode_events(events)) == events

    An ``ending`` not among :data:`StreamEnding`'s is a ValueError, said at once.
    """
    if ending is not None and ending not in _ENDINGS:  # found by a user reading the
        # docstrings: said only when drawn, as an internal ValidationError
        raise ValueError(f"ending is one of {', '.join(_ENDINGS)}, not {ending!r}")
    return _stream_events(ending=ending)


@st.composite
def _stream_events(
    draw: st.DrawFn, *, ending: StreamEnding | None = None
) -> list[_events.StreamEvent]:
    """:func:`stream_events`' draws."""
    end = ending if ending is not None else draw(st.sampled_from(_ENDINGS))
    base = draw(runs())
    run = attrs.evolve(base, status="queued", required_action=None, thread_id=draw(_ids("thread_")))
    out: list[_events.StreamEvent] = []
    if draw(st.booleans()):
        thread = Thread(id=run.thread_id, created_at=run.created_at, metadata={})
        out.append(_events.ThreadEvent(thread))
    out += [
        _events.RunEvent("thread.run.created", run),
        _events.RunEvent("thread.run.queued", run),
    ]
    run = attrs.evolve(run, status="in_progress")
    out.append(_events.RunEvent("thread.run.in_progress", run))
    kinds = draw(st.lists(st.sampled_from(["message", "tools"]), max_size=3))
    if end == "requires_action":
        kinds.append("waiting")
    waiting: tuple[FunctionToolCall, ...] = ()
    for n, kind in enumerate(kinds):
        step_id = f"step_{n}"
        if kind == "message":
            out += draw(_message_steps(run, step_id, f"msg_{n}"))
        else:
            events, waiting = draw(_tool_steps(run, step_id, waiting=kind == "waiting"))
            out += events
    if end == "error":
        error = ErrorObject(message=draw(_text), type="server_error")
        out.append(_events.ErrorEvent(error))
    elif end == "requires_action":
        action = RequiredAction(submit_tool_outputs=SubmitToolOutputs(tool_calls=waiting))
        run = attrs.evolve(run, status="requires_action", required_action=action)
        out.append(_events.RunEvent("thread.run.requires_action", run))
    else:
        if end == "cancelled":
            run = attrs.evolve(run, status="cancelling")
            out.append(_events.RunEvent("thread.run.cancelling", run))
        run = _timed(attrs.evolve(run, status=end))  # type: ignore[arg-type]
        out.append(_events.RunEvent(f"thread.run.{end}", run))  # type: ignore[arg-type]
    out.append(_events.DoneEvent())
    return out


def _ids(prefix: str) -> st.SearchStrategy[str]:
    return _name.map(lambda s: prefix + s)


def _step(run: Run, step_id: str, status: str, details: StepDetails) -> RunStep:
    """A step of ``run``, with ``status`` (and its time, when that is an end)."""
    return _timed(
        RunStep(
            id=step_id,
            created_at=run.created_at,
            assistant_id=run.assistant_id,
            thread_id=run.thread_id,
            run_id=run.id,
            type=details.type,  # type: ignore[arg-type]
            status=status,  # type: ignore[arg-type]
            step_details=details,
            metadata={},
        )
    )


def _step_event(name: str, run: Run, step_id: str, details: StepDetails) -> _events.RunStepEvent:
    status = "in_progress" if name == "created" else name
    event = f"thread.run.step.{name}"
    return _events.RunStepEvent(event, _step(run, step_id, status, details))  # type: ignore[arg-type]


@st.composite
def _message_steps(
    draw: st.DrawFn, run: Run, step_id: str, msg_id: str
) -> list[_events.StreamEvent]:
    details = MessageCreationDetails(message_creation=MessageCreation(message_id=msg_id))

    def message(status: str, content: tuple[Any, ...]) -> Message:
        return _timed(
            Message(
                id=msg_id,
                created_at=run.created_at,
                thread_id=run.thread_id,
                status=status,  # type: ignore[arg-type]
                role="assistant",
                content=content,
                assistant_id=run.assistant_id,
                run_id=run.id,
                attachments=(),
                metadata={},
            )
        )

    out: list[_events.StreamEvent] = [
        _events.RunStepEvent(
            "thread.run.step.created", _step(run, step_id, "in_progress", details)
        ),
        _events.RunStepEvent(
            "thread.run.step.in_progress", _step(run, step_id, "in_progress", details)
        ),
        _events.MessageEvent("thread.message.created", message("in_progress", ())),
        _events.MessageEvent("thread.message.in_progress", message("in_progress", ())),
    ]
    parts = draw(st.lists(_pieces, min_size=1, max_size=2))
    for index, pieces in enumerate(parts):
        for k, piece in enumerate(pieces):
            text = DeltaText(value=piece, annotations=() if k == 0 else UNSET)
            delta = MessageDeltaFields(content=(DeltaTextPart(index=index, text=text),))
            out.append(_events.MessageDeltaEvent(MessageDelta(id=msg_id, delta=delta)))
    content = tuple(
        TextContentPart(text=MessageText(value="".join(p), annotations=())) for p in parts
    )
    out += [
        _events.MessageEvent("thread.message.completed", message("completed", content)),
        _events.RunStepEvent(
            "thread.run.step.completed", _step(run, step_id, "completed", details)
        ),
    ]
    return out


@st.composite
def _tool_steps(
    draw: st.DrawFn, run: Run, step_id: str, *, waiting: bool
) -> tuple[list[_events.StreamEvent], tuple[FunctionToolCall, ...]]:
    """A tool calls step in deltas; ``waiting``: function calls only, left for the caller
    (the step stays in progress), returned as a required action's tool calls."""
    created = ToolCallsDetails(tool_calls=())
    out: list[_events.StreamEvent] = [
        _events.RunStepEvent(
            "thread.run.step.created", _step(run, step_id, "in_progress", created)
        ),
        _events.RunStepEvent(
            "thread.run.step.in_progress", _step(run, step_id, "in_progress", created)
        ),
    ]
    kinds = draw(
        st.lists(
            st.just("function") if waiting else st.sampled_from(["function", "code"]),
            min_size=1,
            max_size=2,
        )
    )
    calls: list[Any] = []
    required: list[FunctionToolCall] = []
    for index, kind in enumerate(kinds):
        call_id = f"call_{step_id}_{index}"
        pieces = draw(_pieces)
        first: Any
        more: list[Any]
        if kind == "function":
            name = draw(_name)
            first = DeltaFunctionCall(
                index=index,
                id=call_id,
                function=DeltaFunction(name=name, arguments="", output=None),
            )
            more = [
                DeltaFunctionCall(index=index, function=DeltaFunction(arguments=p)) for p in pieces
            ]
            function = StepFunction(name=name, arguments="".join(pieces), output=None)
            calls.append(StepFunctionCall(id=call_id, function=function))
            required.append(
                FunctionToolCall(
                    id=call_id,
                    function=FunctionToolCallFunction(name=name, arguments="".join(pieces)),
                )
            )
        else:
            first = DeltaCodeInterpreterCall(
                index=index,
                id=call_id,
                code_interpreter=DeltaCodeInterpreter(input="", outputs=()),
            )
            more = [
                DeltaCodeInterpreterCall(
                    index=index, code_interpreter=DeltaCodeInterpreter(input=p)
                )
                for p in pieces
            ]
            code = StepCodeInterpreter(input="".join(pieces), outputs=())
            calls.append(StepCodeInterpreterCall(id=call_id, code_interpreter=code))
        for call in (first, *more):
            delta = RunStepDeltaFields(step_details=DeltaToolCallsDetails(tool_calls=(call,)))
            out.append(_events.RunStepDeltaEvent(RunStepDelta(id=step_id, delta=delta)))
    if not waiting:
        done = ToolCallsDetails(tool_calls=tuple(calls))
        out.append(
            _events.RunStepEvent(
                "thread.run.step.completed", _step(run, step_id, "completed", done)
            )
        )
    return out, tuple(required)


@st.composite
def broken_streams(draw: st.DrawFn) -> tuple[list[_events.StreamEvent], str]:
    """A valid stream (:func:`stream_events`) with one rule broken, and the code of the
    problem :func:`runschema.check_stream` must report for it (among others it may cause).

    The breaks are those servers make: ``done`` missing, or followed by more; no terminal run
    event; an event after the run's end; a message delta before its message's ``created``,
    or with a fresh id; a content index that skips ahead; a run event whose name and status
    disagree, or whose thread changes; an unknown event whose data is not JSON.
    """
    events = draw(stream_events())
    choices = ["missing_done", "after_done", "after_end", "id_mismatch", "status_mismatch"]
    choices.append("unreadable_event")
    runs_at = [i for i, e in enumerate(events) if isinstance(e, _events.RunEvent)]
    deltas = [i for i, e in enumerate(events) if isinstance(e, _events.MessageDeltaEvent)]
    if isinstance(events[-2], _events.RunEvent):
        choices.append("no_terminal")
    if deltas:
        choices += ["delta_before_created", "content_index"]
    code = draw(st.sampled_from(choices))
    last_run = events[runs_at[-1]]
    assert isinstance(last_run, _events.RunEvent)
    if code == "missing_done":
        del events[-1]
    elif code == "after_done":
        events.append(_events.DoneEvent())
    elif code == "unreadable_event":
        events.insert(1, _events.UnknownEvent("thread.run.paused", "not json"))
    elif code == "after_end":
        events.insert(-1, last_run)
    elif code == "no_terminal":
        del events[-2]
    elif code == "id_mismatch":
        at = draw(st.sampled_from(runs_at))
        run = events[at]
        assert isinstance(run, _events.RunEvent)
        moved = attrs.evolve(run.data, thread_id=run.data.thread_id + "_other")
        events[at] = _events.RunEvent(run.event, moved)
    elif code == "status_mismatch":
        at = draw(st.sampled_from(runs_at))
        run = events[at]
        assert isinstance(run, _events.RunEvent)
        other = "thread.run.expired" if run.event != "thread.run.expired" else "thread.run.failed"
        events[at] = _events.RunEvent(other, run.data)  # type: ignore[arg-type]
    else:
        at = draw(st.sampled_from(deltas))
        delta = events[at]
        assert isinstance(delta, _events.MessageDeltaEvent)
        if code == "delta_before_created":
            events[at] = _events.MessageDeltaEvent(attrs.evolve(delta.data, id="msg_fresh"))
        else:
            content = delta.data.delta.content
            assert content is not UNSET
            part = content[0]
            assert isinstance(part, DeltaTextPart)
            skipped = attrs.evolve(part, index=part.index + 5)
            fields = MessageDeltaFields(content=(skipped,))
            events[at] = _events.MessageDeltaEvent(attrs.evolve(delta.data, delta=fields))
    return events, code
