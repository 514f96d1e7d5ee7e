"""Round trips with generated values of every type, and the published strategies' promises."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal, get_origin

import attrs
import orjson
import pytest
from hypothesis import assume, find, given, settings
from hypothesis import strategies as st
from typing_extensions import assert_type

import runschema
from runschema import strategies as rs
from runschema._kinds import Kind, dump_model
from runschema._schema import Ge, Le, MaxLen, MinLen, _Model, kind_of
from runschema._values import UNSET, Unset, json_number_key
from tests.fixtures import examples

HYP = examples(150)
#: Per type, across every model of the library (nested ones are drawn again inside their
#: parents): the document types draw more below.
EACH = examples(8)


def _public_models() -> tuple[list[type[Any]], list[type[Any]]]:
    """Every model class runschema exports: (known models, unknown union arms); not the
    base, runschema.Model, which no document is read as."""
    known: list[type[Any]] = []
    arms: list[type[Any]] = []
    for name in sorted(runschema.__all__):
        obj = getattr(runschema, name)
        if isinstance(obj, type) and issubclass(obj, _Model) and obj is not _Model:
            (arms if getattr(obj, "__rs_unknown_arm__", False) else known).append(obj)
    return known, arms


def _public_unions() -> list[tuple[str, Any]]:
    """Every exported annotation with a wire kind that is not a model class (the unions and
    string sets: Tool, StepDetails, ContentPart, RunStatus, ...)."""
    out = []
    for name in sorted(runschema.__all__):
        obj = getattr(runschema, name)
        if isinstance(obj, type):  # models, and classes that are not wire types
            continue
        try:
            kind_of(obj)
        except TypeError:
            continue
        out.append((name, obj))
    return out


MODELS, UNKNOWN_ARMS = _public_models()
UNIONS = _public_unions()
#: The documents of the runs resource: what the operations answer with and what they take.
DOCUMENTS = [
    runschema.Run,
    runschema.RunStep,
    runschema.RunList,
    runschema.RunStepList,
    runschema.ErrorResponse,
    runschema.CreateRunParams,
    runschema.CreateThreadAndRunParams,
    runschema.SubmitToolOutputsParams,
    runschema.RunUpdateParams,
    runschema.ListRunsParams,
    runschema.ListRunStepsParams,
    runschema.CreateRunQuery,
    runschema.RetrieveRunStepQuery,
]
#: The query-parameter models.
QUERIES = [
    runschema.ListRunsParams,
    runschema.ListRunStepsParams,
    runschema.CreateRunQuery,
    runschema.RetrieveRunStepQuery,
]


def _name(cls: Any) -> str:
    return getattr(cls, "__name__", repr(cls))


def _schema_validator(cls: type[Any]) -> Any:
    """A jsonschema validator of json_schema(cls), built once per class."""
    validator = _VALIDATORS.get(cls)
    if validator is None:
        jsonschema = pytest.importorskip("jsonschema")
        schema = runschema.json_schema(cls)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = _VALIDATORS.setdefault(cls, jsonschema.Draft202012Validator(schema))
    return validator


_VALIDATORS: dict[type[Any], Any] = {}


def _check_valid(cls: type[Any], value: Any) -> None:
    """What every generated valid value must satisfy: strict validation, both round trips,
    and the exported JSON Schema."""
    assert type(value) is cls
    runschema.validate(value, strict=True)
    data = runschema.dumps(value)
    assert runschema.loads(data, cls, strict=True) == value
    assert runschema.loads(data, cls) == value
    doc = orjson.loads(data)
    errors = [e.message for e in _schema_validator(cls).iter_errors(doc)]
    assert not errors, (errors[:3], data[:300])


def _json_of(value: Any) -> Any:
    return orjson.loads(runschema.dumps(value))


def _dump_any(tp: Any, value: Any) -> bytes:
    """The JSON of a value of any annotation (a union's arm, a string of a set, ...)."""
    return orjson.dumps(kind_of(tp).dump(value))


class TestRoundTrips:
    @HYP
    @given(rs.runs())
    def test_valid_runs_round_trip_both_modes(self, run: runschema.Run) -> None:
        """Generated valid runs encode and decode back equal, strict and lenient."""
        data = runschema.dumps(run)
        assert runschema.loads(data, runschema.Run, strict=True) == run
        assert runschema.loads(data, runschema.Run) == run
        assert runschema.loads(data.decode(), runschema.Run) == run

    @HYP
    @given(rs.runs())
    def test_valid_runs_can_be_answered(self, run: runschema.Run) -> None:
        """Found by a server author: runs() drew runs that require action with no
        required_action, which respond refuses (clients read it); every run drawn is one a
        server may send."""
        assert run.status != "requires_action" or run.required_action is not None
        runschema.RETRIEVE_RUN.respond(runschema.fill_absent(run))

    @HYP
    @given(
        rs.values(runschema.Run),
        rs.values(runschema.RunStep),
        rs.values(runschema.RunStep, unknown=True),
        rs.values(runschema.RunStepList),
    )
    def test_values_can_be_answered(
        self,
        run: runschema.Run,
        step: runschema.RunStep,
        newer: runschema.RunStep,
        page: runschema.RunStepList,
    ) -> None:
        """values() draws nothing respond refuses though the schema allows it: a run that
        requires action says what for, a step's type is its details' (a newer server's
        step, read leniently, passes with allow_unknown); a page's steps too."""
        runschema.RETRIEVE_RUN.respond(run)
        runschema.RETRIEVE_RUN_STEP.respond(step)
        runschema.RETRIEVE_RUN_STEP.respond(newer, allow_unknown=True)
        runschema.LIST_RUN_STEPS.respond(page)

    @HYP
    @given(
        rs.values(
            runschema.Run,
            fields={"status": st.just("requires_action"), "required_action": st.none()},
        ),
        rs.values(runschema.RunStep, fields={"type": st.just("tool_calls")}),
    )
    def test_values_draws_what_fields_ask_for(
        self, waiting: runschema.Run, step: runschema.RunStep
    ) -> None:
        """fields= may ask for what respond refuses (a test of that refusal needs it): the
        fields given win over the coherence values() keeps otherwise."""
        assert (waiting.status, waiting.required_action) == ("requires_action", None)
        assert step.type == "tool_calls"

    @HYP
    @given(rs.run_json_with_unknowns())
    def test_unknowns_survive_lenient(self, doc: dict[str, Any]) -> None:
        """Unknown keys, values, arms and absent nullable keys survive a lenient trip."""
        data = orjson.dumps(doc)
        run = runschema.loads(data, runschema.Run)
        assert orjson.loads(runschema.dumps(run)) == doc
        assert runschema.loads(runschema.dumps(run), runschema.Run) == run

    @HYP
    @given(rs.run_update_params())
    def test_update_params_round_trip(self, params: runschema.RunUpdateParams) -> None:
        """Modify run bodies round-trip and pass the service-side check."""
        data = runschema.dumps(params)
        assert runschema.validate_modify_run_request(data) == params

    @HYP
    @given(rs.run_json())
    def test_run_json_is_strict_valid(self, doc: dict[str, Any]) -> None:
        """run_json() gives JSON data that strict mode accepts unchanged."""
        run = runschema.structure(doc, runschema.Run, strict=True)
        assert runschema.unstructure(run) == doc


class TestEveryType:
    """values() and json_documents() for every type the library exports."""

    @pytest.mark.parametrize("cls", MODELS, ids=_name)
    def test_values_are_strict_valid_and_round_trip(self, cls: type[Any]) -> None:
        """Every model: generated values pass strict mode, round-trip equal in both modes,
        and their JSON is valid by json_schema(cls) (the jsonschema package)."""

        @EACH
        @given(rs.values(cls))
        def check(value: Any) -> None:
            _check_valid(cls, value)

        check()

    @pytest.mark.parametrize("cls", DOCUMENTS, ids=_name)
    def test_documents(self, cls: type[Any]) -> None:
        """The documents of the runs resource, with more examples: json_documents() gives
        data that strict mode reads to an equal value, and that json_schema(cls) accepts."""

        @examples(30)
        @given(rs.json_documents(cls))
        def check(doc: dict[str, Any]) -> None:
            value = runschema.structure(doc, cls, strict=True)
            assert runschema.unstructure(value) == doc
            _check_valid(cls, value)

        check()

    @pytest.mark.parametrize("cls", MODELS, ids=_name)
    def test_unknowns_round_trip_lenient(self, cls: type[Any]) -> None:
        """values(cls, unknown=True): unknown enum values and union arms survive a lenient
        round trip, as the same JSON value; ``dumps`` (generated code) writes the reference
        encoder's bytes."""

        @EACH
        @given(rs.values(cls, unknown=True))
        def check(value: Any) -> None:
            data = runschema.dumps(value)
            assert data == orjson.dumps(dump_model(value))
            back = runschema.loads(data, cls)
            assert back == value
            assert orjson.loads(runschema.dumps(back)) == orjson.loads(data)

        check()

    @pytest.mark.parametrize(("name", "tp"), UNIONS, ids=[n for n, _ in UNIONS])
    def test_unions(self, name: str, tp: Any) -> None:
        """values() of a union or string set: strict-valid known arms; with unknown=True,
        lenient round trips of unknown ones."""
        if get_origin(tp) is Literal:  # a string set alone: open it, as the models' fields do
            tp = tp | runschema.UnknownValue

        @EACH
        @given(rs.values(tp), rs.values(tp, unknown=True))
        def check(known: Any, any_: Any) -> None:
            assert runschema.loads(_dump_any(tp, known), tp, strict=True) == known
            assert runschema.loads(_dump_any(tp, any_), tp) == any_

        check()

    @pytest.mark.parametrize("cls", UNKNOWN_ARMS, ids=_name)
    def test_unknown_arms(self, cls: type[Any]) -> None:
        """values(UnknownX) draws unknown arms: lenient reads them back through their union,
        strict refuses their tag."""
        union = cls.__rs_union__

        @EACH
        @given(rs.values(cls))
        def check(arm: Any) -> None:
            assert isinstance(arm, cls)
            data = runschema.dumps(arm)
            assert data == orjson.dumps(dump_model(arm))
            assert runschema.loads(data, union) == arm
            with pytest.raises(runschema.ValidationError) as info:
                runschema.loads(data, union, strict=True)
            assert [(e.path, e.code) for e in info.value.errors] == [("$.type", "unknown_tag")]

        check()

    @pytest.mark.parametrize("cls", QUERIES, ids=_name)
    def test_queries_round_trip_through_query_strings(self, cls: type[Any]) -> None:
        """Generated query values survive encode_query / decode_query (strict), save an
        empty array or cursor (pinned below)."""

        @examples(30)
        @given(rs.values(cls))
        def check(query: Any) -> None:
            assume(all(getattr(query, a.name) not in ((), "") for a in attrs.fields(cls)))
            text = runschema.encode_query(query)
            assert runschema.decode_query(text, cls) == query

        check()

    @pytest.mark.parametrize(
        "cls", [c for c in QUERIES if "include" in attrs.fields_dict(c)], ids=_name
    )
    def test_empty_include_is_left_out(self, cls: type[Any]) -> None:
        """Found by a client author: an empty include[], which a query string cannot hold,
        was refused, where the official clients send ``include=[]`` as no include at all:
        it is left out (read back, it is UNSET, which asks for the same)."""
        assert runschema.encode_query(cls(include=())) == ""
        assert runschema.decode_query("", cls) == cls()

    @pytest.mark.parametrize(
        "cls", [c for c in QUERIES if "after" in attrs.fields_dict(c)], ids=_name
    )
    def test_an_empty_cursor_is_refused(self, cls: type[Any]) -> None:
        """Found by a server author: ``after=`` read as a cursor naming no item (an empty
        page); written or read strictly it is ``empty_id``, read leniently an id as sent."""
        for key in ("after", "before"):
            with pytest.raises(runschema.RequestError) as info:
                runschema.encode_query(cls(**{key: ""}))
            assert [(e.path, e.code) for e in info.value.errors] == [(f"$.{key}", "empty_id")]
        with pytest.raises(runschema.ValidationError) as read:
            runschema.decode_query("after=&before=&limit=2", cls)
        assert [(e.path, e.code) for e in read.value.errors] == [
            ("$.after", "empty_id"),
            ("$.before", "empty_id"),
        ]
        assert runschema.decode_query("after=", cls, strict=False) == cls(after="")
        # an unknown key a lenient read kept goes back as it came, empty or not (found by
        # fuzzing: every empty value was refused as a cursor)
        kept = runschema.decode_query("limit=2&utm_source=", cls, strict=False)
        assert runschema.encode_query(kept) == "limit=2&utm_source="

    def test_every_kind_has_a_strategy(self) -> None:
        """Each kind of the schema language has its strategy (a new kind needs one)."""

        def subclasses(k: type[Kind]) -> list[type[Kind]]:
            return [s for c in k.__subclasses__() for s in (c, *subclasses(c))]

        kinds = set(subclasses(Kind))
        assert kinds, "no kinds found"
        assert kinds <= set(rs._KIND_STRATEGIES), kinds - set(rs._KIND_STRATEGIES)

    def test_the_lists_cover_the_library(self) -> None:
        """The parametrized lists hold every model, arm and union runschema exports."""
        assert {runschema.RunStep, runschema.CreateThreadAndRunParams} <= set(MODELS)
        assert runschema.UnknownStepToolCall in UNKNOWN_ARMS
        names = {n for n, _ in UNIONS}
        assert {"Tool", "ToolChoice", "StepDetails", "StepToolCall", "ContentPart"} <= names
        assert set(DOCUMENTS) <= set(MODELS)


#: Every event class runschema exports.
EVENTS = [
    getattr(runschema, n)
    for n in sorted(runschema.__all__)
    if isinstance(getattr(runschema, n), type) and n.endswith("Event") and n != "StreamEvent"
]


class TestEvents:
    """values() of the stream's event classes (found in use: a TypeError for each)."""

    def test_the_list_covers_the_library(self) -> None:
        assert len(EVENTS) == 9
        assert {cls for cls, _ in runschema.EVENT_DATA.values()} | {runschema.UnknownEvent} == set(
            EVENTS
        )

    @pytest.mark.parametrize("cls", EVENTS, ids=_name)
    @pytest.mark.parametrize("unknown", [False, True], ids=["known", "unknown"])
    @EACH
    @given(data=st.data())
    def test_each_class_round_trips(self, cls: type[Any], unknown: bool, data: Any) -> None:
        """An event of the class, read back equal from its frame; strict mode reads every
        known class's too when nothing unknown was drawn."""
        event = data.draw(rs.values(cls, unknown=unknown))
        assert type(event) is cls
        frame = runschema.encode_event(event)
        assert runschema.decode_stream(frame) == [event]
        if cls is runschema.UnknownEvent:
            assert event.event not in runschema.EVENT_NAMES
        elif not unknown:
            assert runschema.decode_stream(frame, strict=True) == [event]

    @EACH
    @given(rs.values(runschema.RunEvent | runschema.RunStepEvent | runschema.MessageEvent))
    def test_the_data_has_the_status_its_name_says(self, event: Any) -> None:
        problems = runschema.check_stream([event])
        assert "status_mismatch" not in {p.code for p in problems}

    @pytest.mark.parametrize("unknown", [False, True], ids=["known", "unknown"])
    def test_the_union(self, unknown: bool) -> None:
        """values(StreamEvent) draws every class but UnknownEvent (unknown=True: it too, and
        None of ``| None``), each read back equal from its frame."""
        union = runschema.StreamEvent | None if unknown else runschema.StreamEvent
        want = {*EVENTS, type(None)} if unknown else set(EVENTS) - {runschema.UnknownEvent}
        seen: set[type[Any]] = set()

        @settings(max_examples=150, derandomize=True, database=None)
        @given(rs.values(union, unknown=unknown))
        def draw(event: Any) -> None:
            seen.add(type(event))
            if event is not None:
                assert runschema.decode_stream(runschema.encode_event(event)) == [event]

        draw()
        assert seen == want

    @EACH
    @given(rs.values(runschema.UnknownValue))
    def test_unknown_values(self, value: runschema.UnknownValue) -> None:
        assert type(value) is runschema.UnknownValue
        assert value.value not in runschema.RUN_TRANSITIONS
        # read back as its enum's union, as the docstring says (found by an SDK author)
        union = runschema.RunStatus | runschema.UnknownValue
        assert runschema.loads(runschema.dumps(value), union) == value


@attrs.frozen(kw_only=True)
class _Probe(_Model):
    """A model declared here, as a future one would be: values() needs no change for it."""

    __rs_one_of__ = (("name", "numbers"),)

    name: str | Unset = UNSET
    numbers: Annotated[tuple[int, ...], MinLen(2), MaxLen(4)] | Unset = UNSET
    ratio: Annotated[float, Ge(0.25), Le(0.75)] = attrs.field(eq=json_number_key)
    tags: Annotated[tuple[Annotated[int, Ge(-3), Le(3)], ...], MinLen(5)]
    step: runschema.RunStep | None = None
    when: datetime | None = None
    status: runschema.RunStatus | runschema.UnknownValue | Unset = UNSET


class TestValuesOptions:
    @EACH
    @given(rs.values(_Probe))
    def test_a_model_declared_elsewhere(self, probe: _Probe) -> None:
        """Bounds that exclude every integer, MinLen beyond the usual sizes, one-of groups,
        nested models and open enums of a model values() never saw before."""
        _check_valid(_Probe, probe)
        assert (probe.name is UNSET) != (probe.numbers is UNSET)
        assert probe.numbers is UNSET or 2 <= len(probe.numbers) <= 4
        assert len(probe.tags) >= 5
        assert all(-3 <= t <= 3 for t in probe.tags)

    @EACH
    @given(st.data())
    def test_queries_can_be_sent(self, data: st.DataObject) -> None:
        """Every query drawn goes into a request and reads back equal: no empty array,
        which a query string has no form for."""
        for endpoint in runschema.ENDPOINTS.values():
            if endpoint.query_type is None:
                continue
            query = data.draw(rs.values(endpoint.query_type))
            ids: dict[str, Any] = dict.fromkeys(endpoint.path_params, "x")
            body = data.draw(rs.values(endpoint.request_type)) if endpoint.request_type else None
            request = endpoint.request(body, query=query, **ids)
            assert endpoint.parse_query(request.path.partition("?")[2]) == query

    @EACH
    @given(rs.values(runschema.ThreadFileSearchResources))
    def test_one_of_groups(self, res: runschema.ThreadFileSearchResources) -> None:
        """Of a one-of group exactly one key is present."""
        assert (res.vector_store_ids is UNSET) != (res.vector_stores is UNSET)

    @EACH
    @given(rs.values(runschema.RunStep, fields={"id": st.just("step_1")}))
    def test_fields_replace_strategies(self, step: runschema.RunStep) -> None:
        """fields= replaces the strategy of a model's own fields."""
        assert step.id == "step_1"
        _check_valid(runschema.RunStep, step)

    @pytest.mark.parametrize(
        "call",
        [
            lambda: rs.values(runschema.RunStep, fields={"nope": st.none()}),
            lambda: rs.values(runschema.Tool, fields={"type": st.none()}),
            lambda: rs.json_documents(runschema.Tool),  # type: ignore[arg-type]
            lambda: rs.values(dict),
        ],
        ids=["unknown field", "fields of a union", "documents of a union", "not a type of ours"],
    )
    def test_misuse_is_a_type_error(self, call: Callable[[], Any]) -> None:
        """Fields a model does not have, fields of a union, documents of what is not a model,
        and values of what has no wire kind are TypeErrors."""
        with pytest.raises(TypeError):
            call()

    def test_nullable_annotations(self) -> None:
        """values(T | None) draws None too, and values of T otherwise."""
        drawn = find(
            st.lists(rs.values(runschema.Tool | None), min_size=8),
            lambda xs: None in xs and any(x is not None for x in xs),
            settings=settings(database=None, derandomize=True),
        )
        for tool in drawn:
            assert tool is None or runschema.structure(_json_of(tool), runschema.Tool) == tool

    def test_strategies_are_shared(self) -> None:
        """values() of one type is built once (hypothesis caches on the strategy object)."""
        assert rs.values(runschema.RunStep) is rs.values(runschema.RunStep)
        assert rs.values(runschema.Tool, unknown=True) is rs.values(runschema.Tool, unknown=True)


class TestInvalid:
    @HYP
    @given(rs.invalid_run_json())
    def test_strict_reports_the_fault(self, case: tuple[dict[str, Any], str, str]) -> None:
        """Each invalid document gives exactly its expected (path, code) in strict mode."""
        doc, path, code = case
        with pytest.raises(runschema.ValidationError) as info:
            runschema.loads(orjson.dumps(doc), runschema.Run, strict=True)
        assert [(e.path, e.code) for e in info.value.errors] == [(path, code)]

    @HYP
    @given(rs.invalid_run_json(strict=False))
    def test_lenient_reports_the_fault(self, case: tuple[dict[str, Any], str, str]) -> None:
        """Faults drawn with strict=False are rejected by lenient mode too."""
        doc, path, code = case
        with pytest.raises(runschema.ValidationError) as info:
            runschema.loads(orjson.dumps(doc), runschema.Run)
        assert [(e.path, e.code) for e in info.value.errors] == [(path, code)]


class TestOptional:
    def test_import_runschema_does_not_import_hypothesis(self) -> None:
        """hypothesis is optional: importing runschema never imports it."""
        import subprocess
        import sys

        code = "import sys, runschema; print('hypothesis' in sys.modules)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stdout.strip() == "False"


def test_union_strategies_are_typed() -> None:
    """The strategies of the models' unions say what they draw (they were typed Any, so a
    property test's parameter was unchecked); mypy checks these lines."""
    assert_type(rs.tools(), st.SearchStrategy[runschema.Tool])
    assert_type(rs.tool_choices(), st.SearchStrategy[runschema.ToolChoice])
    assert_type(rs.response_formats(), st.SearchStrategy[runschema.ResponseFormat])


def test_json_object_parameters_are_typed() -> None:
    """A JSON object field's constructor parameter takes a mapping (it was typed Any): mypy
    refuses another type (the ignores below would be unused otherwise, which --strict
    reports), and the field's check refuses it at run time."""
    with pytest.raises(runschema.ValidationError):
        runschema.FunctionDefinition(name="f", parameters="x")  # type: ignore[arg-type]
    with pytest.raises(runschema.ValidationError):
        runschema.UnknownTool(data=5)  # type: ignore[arg-type]


def test_a_stream_ending_of_no_kind_is_said_at_once() -> None:
    """Found by a user reading the docstrings: stream_events(ending="bogus") raised an
    internal ValidationError only when drawn."""
    with pytest.raises(ValueError, match="ending is one of"):
        rs.stream_events(ending="bogus")  # type: ignore[arg-type]
