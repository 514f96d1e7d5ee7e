"""The cattrs converters with classes of a user's own: every annotation taken exactly, as JSON
has it, with runschema's rules and codes (found by fuzzing what cattrs' own hooks accept)."""

from __future__ import annotations

import collections
import dataclasses
import enum
import importlib
import json
import sys
import types
from collections.abc import Mapping
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs
import cattrs
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import runschema
from runschema import LENIENT, STRICT, FrozenMap, JsonValue, errors_of

CONVERTERS = [pytest.param(LENIENT, id="LENIENT"), pytest.param(STRICT, id="STRICT")]
SEED_BYTES = runschema.seed_example()


class Size(enum.IntEnum):
    ONE = 1
    TWO = 2


class Colour(str, enum.Enum):
    RED = "red"


class Plain(enum.Enum):
    ON = True
    HALF = 0.5


@attrs.frozen
class Opts:
    verbose: bool = False


@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: int = 0


@attrs.frozen
class Mine:
    opts: Opts = Opts()
    point: Point | None = None
    size: Size = Size.ONE
    colour: Colour = Colour.RED
    plain: Plain = Plain.ON
    one: Literal[1] = 1
    mode: Literal["a", "b"] = "a"
    status: runschema.RunStatus = "queued"
    value: JsonValue = None
    values: list[JsonValue] = attrs.field(factory=list)
    by_name: dict[str, JsonValue] = attrs.field(factory=dict)
    schema: FrozenMap[Any] = attrs.field(factory=lambda: FrozenMap({}))
    name: str = ""
    pair: tuple[int, str] = (0, "")


def _problems(conv: Any, doc: Any, cls: type[Any] = Mine) -> list[tuple[str, str]]:
    with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group, or ours at the root
        conv.structure(doc, cls)
    return [(e.path, e.code) for e in errors_of(info.value).errors]


@pytest.mark.parametrize("conv", CONVERTERS)
class TestExactly:
    def test_a_full_document_round_trips_as_json(self, conv: Any) -> None:
        doc = {
            "opts": {"verbose": True},
            "point": {"x": 1, "y": 2},
            "size": 2,
            "colour": "red",
            "plain": 0.5,
            "one": 1,
            "mode": "b",
            "status": "completed",
            "value": {"a": [1, 2.5, None, {"b": "c"}]},
            "values": [1, "x", [True]],
            "by_name": {"k": {"z": []}},
            "schema": {"type": "object"},
            "name": "n",
            "pair": [3, "c"],
        }
        mine = conv.structure(doc, Mine)
        assert mine.size is Size.TWO
        assert mine.colour is Colour.RED
        assert mine.plain is Plain.HALF
        assert mine.value == FrozenMap({"a": [1, 2.5, None, {"b": "c"}]})
        assert mine.value["a"] == (1, 2.5, None, FrozenMap({"b": "c"}))  # read-only
        assert mine.values == [1, "x", (True,)]
        out = conv.unstructure(mine)
        assert out == doc
        assert orjson.loads(orjson.dumps(out)) == doc
        assert conv.structure(out, Mine) == mine

    @pytest.mark.parametrize(
        ("doc", "expected"),
        [
            ({"opts": []}, [("$.opts", "type")]),  # not a Opts() of defaults
            ({"opts": "yes"}, [("$.opts", "type")]),
            ({"point": [1, 2]}, [("$.point", "type")]),
            ({"size": True}, [("$.size", "type")]),  # True is not 1
            ({"size": 1.5}, [("$.size", "type")]),
            ({"size": 3}, [("$.size", "enum")]),
            ({"colour": "blue"}, [("$.colour", "const")]),
            ({"plain": 1}, [("$.plain", "enum")]),  # 1 is not True (and a number, not 0.5)
            # another JSON type is "type", as the models say it ("object": 5 on a run)
            ({"one": True}, [("$.one", "type")]),
            ({"one": 2}, [("$.one", "const")]),
            ({"mode": "c"}, [("$.mode", "enum")]),
            ({"mode": 5}, [("$.mode", "type")]),
            ({"status": "paused"}, [("$.status", "enum")]),
            ({"value": 2**70}, [("$.value", "out_of_range")]),
            ({"value": {"a": float("nan")}}, [("$.value.a", "not_finite")]),
            ({"values": [1, {"x": 2**64}]}, [("$.values[1].x", "out_of_range")]),
            ({"by_name": {"k": float("inf")}}, [("$.by_name.k", "not_finite")]),
            ({"schema": {"a": 2**70}}, [("$.schema.a", "out_of_range")]),
            ({"schema": [1]}, [("$.schema", "type")]),
            ({"name": json.loads('"a\\ud800"')}, [("$.name", "invalid_string")]),
            (
                {"by_name": {json.loads('"\\udc00"'): 1}},
                [("$.by_name['\\udc00']", "invalid_string")],
            ),
            ({"pair": "ab"}, [("$.pair", "type")]),
        ],
    )
    def test_refused_with_a_path(
        self, conv: Any, doc: dict[str, Any], expected: list[tuple[str, str]]
    ) -> None:
        assert _problems(conv, doc) == expected

    @pytest.mark.parametrize("doc", [[], "x", 5, None])
    def test_a_class_of_your_own_is_an_object(self, conv: Any, doc: Any) -> None:
        assert _problems(conv, doc) == [("$", "type")]
        assert _problems(conv, doc, Point) == [("$", "type")]

    def test_json_values_nest_as_models_allow(self, conv: Any) -> None:
        from runschema._kinds import VALUE_DEPTH

        deep: Any = 1
        for _ in range(VALUE_DEPTH):
            deep = [deep]
        assert conv.structure({"value": deep}, Mine).value is not None
        problems = _problems(conv, {"value": [deep]})
        assert [code for _, code in problems] == ["too_deep"]

    def test_mapping_of_models(self, conv: Any) -> None:
        @attrs.frozen
        class Index:
            runs: Mapping[str, runschema.Run]

        run = runschema.unstructure(
            runschema.fill_absent(runschema.loads(runschema.seed_example(), runschema.Run))
        )
        assert conv.unstructure(conv.structure({"runs": {"a": run}}, Index)) == {"runs": {"a": run}}
        assert _problems(conv, {"runs": [run]}, Index) == [("$.runs", "type")]


@attrs.frozen
class Checked:
    n: int = attrs.field(validator=attrs.validators.ge(0))
    mode: str = attrs.field(default="a", validator=attrs.validators.in_(["a", "b"]))
    tag: str = attrs.field(default="x", validator=attrs.validators.max_len(2))
    level: int = attrs.field(default=0)

    @level.validator
    def _level(self, attribute: Any, value: int) -> None:
        if value > 5:
            raise ValueError("too high")


@pytest.mark.parametrize("conv", CONVERTERS)
@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"n": -1}, ("$.n", "ValueError: \"'n' must be >= 0: -1\"")),
        (
            {"n": 1, "mode": "c"},
            ("$.mode", "ValueError: \"'mode' must be in ['a', 'b'] (got 'c')\""),
        ),
        ({"n": 1, "tag": "long"}, ("$.tag", "ValueError: \"Length of 'tag' must be <= 2: 4\"")),
        ({"n": 1, "level": 9}, ("$", 'ValueError: "too high"')),  # says no field: the object's
    ],
)
def test_validators_of_your_own_at_their_field(
    conv: Any, doc: dict[str, Any], expected: tuple[str, str]
) -> None:
    """attrs' validators name the field they refuse (passing it, or in their message): the
    problem is reported there, with the validator's own message."""
    with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
        conv.structure(doc, Checked)
    (problem,) = errors_of(info.value).errors
    assert (problem.path, problem.message) == expected
    assert problem.code == "invalid_value"


@attrs.frozen
class Log:
    """A class of one's own holding a stream's events."""

    events: tuple[runschema.StreamEvent, ...]
    end: runschema.DoneEvent | runschema.ErrorEvent | None = None


def _events() -> list[runschema.StreamEvent]:
    run = runschema.fill_absent(runschema.loads(runschema.seed_example(), runschema.Run))
    error = runschema.ErrorObject(message="boom", type="server_error")
    return [
        runschema.RunEvent("thread.run.created", run),
        runschema.ErrorEvent(error),
        runschema.UnknownEvent("thread.run.paused", "not json"),
        runschema.DoneEvent(),
    ]


class TestEvents:
    """Unions of event classes (StreamEvent) in classes of one's own: found in use, cattrs
    could not tell the classes apart and raised TypeError for every document."""

    @pytest.mark.parametrize("conv", CONVERTERS)
    def test_round_trip_by_name(self, conv: Any) -> None:
        events = _events()
        if conv is STRICT:
            events = [e for e in events if type(e) is not runschema.UnknownEvent]
        log = Log(events=tuple(events), end=runschema.DoneEvent())
        doc = conv.unstructure(log)
        assert doc["events"][0]["event"] == "thread.run.created"
        # name first, as a frame has it, for events of one name too (found by an SDK author)
        assert {tuple(e) for e in [*doc["events"], doc["end"]]} == {("event", "data")}
        assert isinstance(events[0].data, runschema.Model)
        assert doc["events"][0]["data"] == runschema.unstructure(events[0].data)
        assert conv.structure(orjson.loads(orjson.dumps(doc)), Log) == log

    @pytest.mark.parametrize("conv", CONVERTERS)
    @pytest.mark.parametrize(
        ("doc", "problem"),
        [
            ({"events": [5]}, ("$.events[0]", "type")),
            ({"events": [{"data": {}}]}, ("$.events[0].event", "missing")),
            ({"events": [{"event": 5, "data": {}}]}, ("$.events[0].event", "type")),
            ({"events": [{"event": "done", "data": "x"}]}, ("$.events[0].data", "const")),
            (
                {"events": [{"event": "thread.run.created", "data": {"id": "r"}}]},
                ("$.events[0].data.object", "missing"),
            ),
            ({"events": [], "end": {"event": "thread.run.created"}}, ("$.end.event", "enum")),
            ({"events": [], "end": "done"}, ("$.end", "type")),
        ],
    )
    def test_refused_with_a_path(self, conv: Any, doc: Any, problem: tuple[str, str]) -> None:
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            conv.structure(doc, Log)
        found = [(e.path, e.code) for e in errors_of(info.value).errors]
        assert problem in found

    def test_another_key_beside_event_and_data(self) -> None:
        """STRICT refuses it (found in use: both converters dropped it without a word);
        LENIENT lets it go, as it always did: an event has nowhere to keep it."""
        doc = {"events": [{"event": "done", "data": "[DONE]", "x": 1}]}
        assert LENIENT.structure(doc, Log).events == (runschema.DoneEvent(),)
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            STRICT.structure(doc, Log)
        (problem,) = errors_of(info.value).errors
        assert (problem.path, problem.code) == ("$.events[0].x", "unknown_field")

    def test_an_unknown_event_with_object_data(self) -> None:
        """What a later version writes for an event it knows (its data an object) is read by
        LENIENT as the text its frame carries (found in use: 'expected a string')."""
        data = {"a": 1, "b": [1, 2.5, None]}
        doc = {"events": [{"event": "thread.run.paused", "data": data}]}
        (event,) = LENIENT.structure(doc, Log).events
        assert event == runschema.UnknownEvent("thread.run.paused", '{"a":1,"b":[1,2.5,null]}')
        assert orjson.loads(runschema.encode_event(event).split(b"data: ")[1]) == data
        bad = {"events": [{"event": "thread.run.paused", "data": {"x": [2**70]}}]}
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            LENIENT.structure(bad, Log)
        (problem,) = errors_of(info.value).errors
        assert (problem.path, problem.code) == ("$.events[0].data.x[0]", "out_of_range")

    def test_the_clients_error_frame(self) -> None:
        """Found by fuzzing: the decoder keeps the error frame the official clients raise on
        as UnknownEvent("error", ...), and LENIENT refused what it wrote of it (the name led
        to ErrorEvent); its data as text or as an object is read back as the decoder reads
        it, and the spec's error event is an ErrorEvent as before."""
        text = '{"error":{"message":"boom"}}'
        frame = runschema.UnknownEvent("error", text)
        log = Log(events=(frame,))
        assert LENIENT.structure(LENIENT.unstructure(log), Log) == log
        as_object = {"events": [{"event": "error", "data": orjson.loads(text)}]}
        assert LENIENT.structure(as_object, Log) == log
        spec = {"events": [{"event": "error", "data": {"message": "m", "type": "t"}}]}
        (event,) = LENIENT.structure(spec, Log).events
        assert isinstance(event, runschema.ErrorEvent)
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            STRICT.structure(as_object, Log)
        assert {e.code for e in errors_of(info.value).errors} == {"missing"}

    def test_an_unknown_name_by_mode(self) -> None:
        doc = {"events": [{"event": "thread.run.paused", "data": "text as sent"}]}
        (event,) = LENIENT.structure(doc, Log).events
        assert event == runschema.UnknownEvent("thread.run.paused", "text as sent")
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            STRICT.structure(doc, Log)
        (problem,) = errors_of(info.value).errors
        assert (problem.path, problem.code) == ("$.events[0].event", "unknown_event")


@attrs.frozen
class Cost:
    amount: Decimal


@attrs.frozen
class Invoice:
    costs: tuple[Cost, ...]
    bounds: tuple[Decimal, Decimal]
    seen: frozenset[Decimal] = frozenset()
    log: tuple[runschema.StreamEvent, ...] = ()


class TestCopies:
    """A copy of a converter (cattrs' way to add hooks without changing a shared one) uses
    its own hooks everywhere (found in use: classes, tuples and event unions were built
    with the hooks of the converter it was copied from, so a hook registered on the copy
    was not found: StructureHandlerNotFoundError, or a Decimal written as it was)."""

    @pytest.mark.parametrize("conv", CONVERTERS)
    def test_hooks_registered_on_a_copy(self, conv: Any) -> None:
        mine = conv.copy()
        mine.register_structure_hook(Decimal, lambda v, _: Decimal(str(v)))
        mine.register_unstructure_hook(Decimal, str)
        doc = {
            "costs": [{"amount": "1.5"}],
            "bounds": ["1", "2.5"],
            "seen": ["3"],
            "log": [{"event": "done", "data": "[DONE]"}],
        }
        invoice = mine.structure(doc, Invoice)
        assert invoice == Invoice(
            (Cost(Decimal("1.5")),),
            (Decimal(1), Decimal("2.5")),
            frozenset({Decimal(3)}),
            (runschema.DoneEvent(),),
        )
        assert mine.unstructure(invoice) == doc
        # the converter it was copied from is as it was: it has no Decimal hook
        with pytest.raises(Exception):  # noqa: B017, PT011 - cattrs' own error
            conv.structure(doc, Invoice)

    @pytest.mark.parametrize("conv", CONVERTERS)
    def test_a_copy_keeps_the_rules(self, conv: Any) -> None:
        mine = conv.copy()
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            mine.structure({"point": "no", "size": 1}, Mine)
        assert ("$.point", "type") in [(e.path, e.code) for e in errors_of(info.value).errors]


_FUTURE_MODULE = """
from __future__ import annotations

import attrs
import runschema


@attrs.frozen
class Note:
    body: runschema.JsonValue
    meta: runschema.FrozenMap[str, runschema.JsonValue] | None = None
"""


def test_json_value_under_future_annotations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``runschema.JsonValue`` field in a module with postponed annotations, which does
    not import the name itself (found in use: NameError: name 'JsonValue' is not defined,
    as the alias's reference to itself was looked up in that module)."""
    (tmp_path / "notes_of_mine.py").write_text(_FUTURE_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("notes_of_mine")
    for conv in (LENIENT, STRICT):
        note = conv.structure({"body": [1, {"a": None}], "meta": {"k": "v"}}, module.Note)
        assert note.body == (1, FrozenMap({"a": None}))
        assert conv.unstructure(note) == {"body": [1, {"a": None}], "meta": {"k": "v"}}


@attrs.frozen
class Node:
    children: tuple[Node, ...]


def test_errors_of_a_document_deeper_than_the_stack() -> None:
    """cattrs runs out of stack on a deep document and nests a group a level: errors_of
    reads them all without recursing (found in use: it raised RecursionError itself)."""
    doc: dict[str, Any] = {"children": []}
    for _ in range(2000):
        doc = {"children": [doc]}
    with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
        STRICT.structure(doc, Node)
    (problem,) = errors_of(info.value).errors
    assert problem.code == "too_deep"
    assert problem.path.startswith("$.children[0].children[0].children[0]")


@attrs.frozen
class Settings:
    temperature: float | runschema.Unset = runschema.UNSET
    name: str | runschema.Unset | None = runschema.UNSET
    label: str = "UNSET"


@pytest.mark.parametrize("conv", CONVERTERS)
def test_unset_fields_of_your_own_are_left_out(conv: Any) -> None:
    """As runschema's models leave theirs out (found in use: orjson wrote the sentinel as
    the string "UNSET", which the strict converter then refused)."""
    assert conv.unstructure(conv.structure({}, Settings)) == {"label": "UNSET"}
    both = {"temperature": 0.5, "name": None, "label": "x"}
    assert conv.unstructure(conv.structure(both, Settings)) == both


@attrs.frozen
class Runs:
    data: list[runschema.Run]
    by_id: dict[str, runschema.Run]
    first: tuple[runschema.Run, ...]


def test_fill_absent_in_lists_and_dicts_of_your_own() -> None:
    """fill_absent reaches runs in list and dict fields too (found in use: only tuples)."""
    seed = orjson.loads(runschema.seed_example())
    runs = LENIENT.structure({"data": [seed], "by_id": {"a": seed}, "first": [seed]}, Runs)
    filled = runschema.fill_absent(runs)
    out = LENIENT.unstructure(filled)
    assert out["data"][0]["required_action"] is None
    assert out["by_id"]["a"]["required_action"] is None
    assert out["first"][0]["required_action"] is None
    assert runschema.fill_absent(filled) is filled  # nothing left to fill: the same object
    assert runschema.fill_absent([filled.data[0]])[0] is filled.data[0]


@attrs.frozen
class Strictly:
    name: str
    inner: Opts = Opts()


class TestErrorsOfWhatIsNoProblemOfTheData:
    def test_forbidden_extra_keys_at_each_key(self) -> None:
        """cattrs' forbid_extra_keys: each key refused is unknown_field at itself (it was
        '$: ForbiddenExtraKeysError' as invalid_value)."""
        mine = STRICT.copy(forbid_extra_keys=True)
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            mine.structure({"name": "a", "zz": 1, "inner": {"verbose": True, "x": 2}}, Strictly)
        found = [(e.path, e.code, e.message) for e in errors_of(info.value).errors]
        assert sorted(found) == [
            ("$.inner.x", "unknown_field", "unknown key 'x' is not allowed"),
            ("$.zz", "unknown_field", "unknown key 'zz' is not allowed"),
        ]

    def test_a_bug_is_raised_again(self) -> None:
        """A NameError in a hook, or a hook cattrs cannot find, is a bug: errors_of raises
        it again rather than call it a problem of the data (found in use: a NameError was
        reported as '$.body: invalid_value')."""

        def broken(v: Any, _: Any) -> Any:
            return undefined_name  # type: ignore[name-defined]  # noqa: F821

        mine = LENIENT.copy()
        mine.register_structure_hook(Decimal, broken)
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            mine.structure({"amount": "1"}, Cost)
        with pytest.raises(NameError):
            errors_of(info.value)

        @attrs.frozen
        class Unhooked:
            when: complex

        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            LENIENT.structure({"when": 1}, Unhooked)
        with pytest.raises(Exception) as again:  # noqa: PT011 - cattrs' own class
            errors_of(info.value)
        assert type(again.value).__name__ == "StructureHandlerNotFoundError"


@attrs.frozen
class Pair:
    bounds: tuple[int, str]


@pytest.mark.parametrize("conv", CONVERTERS)
@pytest.mark.parametrize(
    ("value", "code"), [([], "too_few"), ([1], "too_few"), ([1, "a", 2], "too_many")]
)
def test_a_fixed_tuple_takes_exactly_its_items(conv: Any, value: Any, code: str) -> None:
    """A ``tuple[X, Y]`` of the wrong length is too_few or too_many at the field (it was
    cattrs' ValueError, 'Not enough values...', as invalid_value)."""
    with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
        conv.structure({"bounds": value}, Pair)
    (problem,) = errors_of(info.value).errors
    assert (problem.path, problem.code) == ("$.bounds", code)
    assert problem.message == f"expected an array of 2 items, got {len(value)}"
    assert conv.structure({"bounds": [1, "a"]}, Pair) == Pair((1, "a"))


@attrs.frozen
class RunPage:
    runs: tuple[runschema.Run, ...]
    more: bool


def _renaming(conv: Any) -> Any:
    from cattrs.gen import make_dict_structure_fn, override

    mine = conv.copy()
    hook = make_dict_structure_fn(
        RunPage, mine, runs=override(rename="data"), more=override(rename="has_more")
    )
    mine.register_structure_hook(RunPage, hook)
    return mine


@pytest.mark.parametrize("conv", CONVERTERS)
def test_renamed_keys_in_paths(conv: Any) -> None:
    """With hooks that rename keys, paths name the document's keys when errors_of is given
    the converter (found in use: they named the attributes, '$.runs[0].status'); a missing
    key is named as the hook looked it up, converter or not."""
    mine = _renaming(conv)
    run = {**orjson.loads(runschema.seed_example()), "required_action": None, "status": 5}
    with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
        mine.structure({"data": [run], "has_more": "no"}, RunPage)
    paths = [(e.path, e.code) for e in errors_of(info.value, mine).errors]
    assert paths == [("$.data[0].status", "type"), ("$.has_more", "type")]
    unnamed = [(e.path, e.code) for e in errors_of(info.value).errors]
    assert unnamed == [("$.runs[0].status", "type"), ("$.more", "type")]  # cattrs' notes
    with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
        mine.structure({"data": []}, RunPage)
    for found in (errors_of(info.value, mine), errors_of(info.value)):
        (problem,) = found.errors
        assert (problem.path, problem.code, problem.message) == (
            "$.has_more",
            "missing",
            "required key 'has_more' is missing",
        )


def test_unstructuring_your_classes_keeps_the_converters_settings() -> None:
    """A copy made with omit_if_default leaves defaults out, UNSET fields too."""
    mine = LENIENT.copy(omit_if_default=True)
    settings = LENIENT.structure({"temperature": 0.5}, Settings)
    assert mine.unstructure(settings) == {"temperature": 0.5}
    assert LENIENT.unstructure(settings) == {"temperature": 0.5, "label": "UNSET"}


@attrs.frozen
class Stamp:
    at: datetime


@attrs.frozen
class Stamps:
    name: str
    each: tuple[Stamp, ...] = ()
    pair: tuple[int, Stamp] | None = None
    more: list[Stamp] | None = None


_AWARE = Stamp(datetime(2024, 1, 1, tzinfo=timezone.utc))
_NAIVE = Stamp(datetime(2024, 1, 1))  # naive: the point


@pytest.mark.parametrize("conv", CONVERTERS)
@pytest.mark.parametrize(
    ("value", "path"),
    [
        (Stamps("a", (_AWARE, _NAIVE)), "$.each[1].at"),
        (Stamps("a", pair=(1, _NAIVE)), "$.pair[1].at"),
        (Stamps("a", more=[_NAIVE]), "$.more[0].at"),
    ],
)
def test_unstructuring_errors_name_their_place(conv: Any, value: Stamps, path: str) -> None:
    """A value of yours that cannot be written (a naive datetime) is reported at its field
    and item (it was at '$': cattrs' unstructuring says no path)."""
    with pytest.raises(runschema.ValidationError) as info:
        conv.unstructure(value)
    (problem,) = info.value.errors
    assert (problem.path, problem.code) == (path, "invalid_timestamp")


class Shade(enum.Enum):
    DARK = "dark"


@attrs.frozen
class Point2:
    x: int


@attrs.frozen
class Optional_:
    run: runschema.Run | runschema.Unset = runschema.UNSET
    tool: runschema.Tool | runschema.Unset | None = runschema.UNSET
    ids: tuple[int, ...] | runschema.Unset = runschema.UNSET
    tags: list[str] | runschema.Unset = runschema.UNSET
    by: dict[str, int] | runschema.Unset = runschema.UNSET
    shade: Shade | runschema.Unset = runschema.UNSET
    point: Point2 | runschema.Unset = runschema.UNSET
    any_: JsonValue | runschema.Unset = runschema.UNSET
    map_: FrozenMap[JsonValue] | runschema.Unset = runschema.UNSET


@pytest.mark.parametrize("conv", CONVERTERS)
def test_unset_fields_of_every_kind(conv: Any) -> None:
    """``X | Unset = UNSET`` for any X: absent when read is UNSET, UNSET is left out when
    written, a value round-trips (found in use: writing a Run or a tuple raised
    AttributeError or TypeError; reading a list, dict, enum, class or JSON value raised
    StructureHandlerNotFoundError)."""
    assert conv.structure({}, Optional_) == Optional_()
    assert conv.unstructure(Optional_()) == {}
    run = runschema.unstructure(runschema.fill_absent(runschema.loads(SEED_BYTES, runschema.Run)))
    doc = {
        "run": run,
        "tool": None,
        "ids": [1, 2],
        "tags": ["a"],
        "by": {"k": 1},
        "shade": "dark",
        "point": {"x": 1},
        "any_": [1, {"a": None}],
        "map_": {"k": [1]},
    }
    assert conv.unstructure(conv.structure(doc, Optional_)) == doc
    with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
        conv.structure({"ids": "UNSET"}, Optional_)
    assert [(e.path, e.code) for e in errors_of(info.value).errors] == [("$.ids", "type")]


def _key_lookup(v: Any, _: Any) -> Point2:
    return Point2(v["x"])


def test_a_key_your_hook_looks_up_is_below_its_field() -> None:
    """A KeyError from a hook of yours names the key it looked up below the field (found in
    use: '$.x' for '$.origin.x', and '$.corners[1]' for '$.corners[1].x')."""

    @attrs.frozen
    class Shape:
        origin: Point2
        corners: tuple[Point2, ...]

    mine = LENIENT.copy()
    mine.register_structure_hook(Point2, _key_lookup)
    with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
        mine.structure({"origin": {}, "corners": [{"x": 1}, {}]}, Shape)
    found = [(e.path, e.code) for e in errors_of(info.value).errors]
    assert found == [("$.origin.x", "missing"), ("$.corners[1].x", "missing")]


def test_a_hooks_arithmetic_error_is_the_datas() -> None:
    """Decimal("abc") raises InvalidOperation (an ArithmeticError): a problem of the data,
    not a bug to raise again (found in use: a bad client value became a 500)."""
    mine = LENIENT.copy()
    mine.register_structure_hook(Decimal, lambda v, _: Decimal(v))
    with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
        mine.structure({"amount": "abc"}, Cost)
    ((path, code),) = [(e.path, e.code) for e in errors_of(info.value).errors]
    assert (path, code) == ("$.amount", "invalid_value")


@attrs.frozen
class Logs:
    by_name: dict[str, datetime] = attrs.field(factory=dict)
    events: dict[str, Stamp] = attrs.field(factory=dict)
    nested: list[list[datetime]] = attrs.field(factory=list)


@pytest.mark.parametrize(
    ("value", "path"),
    [
        (Logs(by_name={"k": _NAIVE.at}), "$.by_name.k"),
        (Logs(events={"k": _NAIVE}), "$.events.k.at"),
        (Logs(nested=[[_AWARE.at, _NAIVE.at]]), "$.nested[0][1]"),
    ],
)
def test_unstructuring_errors_in_maps_and_nested_arrays(value: Logs, path: str) -> None:
    with pytest.raises(runschema.ValidationError) as info:
        LENIENT.unstructure(value)
    assert [e.path for e in info.value.errors] == [path]


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ({"x": float("nan")}, ("$.any_.x", "not_finite")),
        ([2**70], ("$.any_[0]", "out_of_range")),
        ({"x": "\ud800"}, ("$.any_.x", "invalid_string")),
        ({"x": {1}}, ("$.any_.x", "type")),
    ],
)
def test_json_values_of_yours_are_checked_when_written(value: Any, found: Any) -> None:
    """As when read (found in use: NaN was written as null, the others raised orjson's
    TypeError with no path)."""
    with pytest.raises(runschema.ValidationError) as info:
        LENIENT.unstructure(Optional_(any_=value))
    assert [(e.path, e.code) for e in info.value.errors] == [found]


def test_fill_absent_in_dataclasses_and_sets() -> None:
    run = runschema.loads(SEED_BYTES, runschema.Run)

    @dataclasses.dataclass(frozen=True)
    class Holder:
        run: runschema.Run
        runs: frozenset[runschema.Run]

    filled = runschema.fill_absent(Holder(run, frozenset({run})))
    assert runschema.absent_fields(filled.run) == frozenset()
    assert [runschema.absent_fields(r) for r in filled.runs] == [frozenset()]


def test_fill_absent_in_deques_and_keys_and_not_iterators() -> None:
    """Found by a user reading the docstrings: a deque, and a model used as a dict's key,
    came back unfilled without a word; a generator is a TypeError (walking it would use it
    up), not the same generator back."""
    run = runschema.loads(SEED_BYTES, runschema.Run)
    queue = runschema.fill_absent(collections.deque([run], maxlen=5))
    assert isinstance(queue, collections.deque)
    assert queue.maxlen == 5
    assert runschema.absent_fields(queue[0]) == frozenset()
    keyed = runschema.fill_absent({run: "a"})
    assert [runschema.absent_fields(k) for k in keyed] == [frozenset()]
    assert list(keyed.values()) == ["a"]
    ordered = runschema.fill_absent(collections.OrderedDict({run: run}))
    assert type(ordered) is collections.OrderedDict
    assert len(ordered) == 1
    with pytest.raises(TypeError, match="iterator"):
        runschema.fill_absent(x for x in [run])

    # found by a trial: a deque subclass came back a deque, a UserList or UserDict unfilled,
    # a mappingproxy without a word, and two keys that fill to one run lost a value
    class Queue(collections.deque):  # type: ignore[type-arg]
        pass

    assert type(runschema.fill_absent(Queue([run]))) is Queue
    users = runschema.fill_absent(collections.UserList([run]))
    assert isinstance(users, collections.UserList)
    assert runschema.absent_fields(users[0]) == frozenset()
    held = runschema.fill_absent(collections.UserDict({"a": run}))
    assert runschema.absent_fields(held["a"]) == frozenset()
    with pytest.raises(TypeError, match="mappingproxy"):
        runschema.fill_absent(types.MappingProxyType({"a": run}))
    # one holding nothing to fill comes back as it is, beside runs (found by a trial)
    plain = {"note": collections.UserString("hi"), "keys": {"a": 1}.keys()}
    plain["proxy"] = types.MappingProxyType({"a": 1})
    filled = runschema.fill_absent({**plain, "run": run})
    assert all(filled[k] is plain[k] for k in plain)
    with pytest.raises(ValueError, match="two of its keys are one"):
        runschema.fill_absent({run: 1, runschema.fill_absent(run): 2})


def test_a_frozen_map_from_keys() -> None:
    """Found by a user reading the docstrings: FrozenMap.fromkeys raised "read-only" (dict's
    stores into the new map key by key); it makes a read-only map as the constructor does."""
    made = runschema.FrozenMap.fromkeys(["a", "b"], [1])
    assert type(made) is runschema.FrozenMap
    assert made == {"a": [1], "b": [1]}
    assert made["a"] == (1,)
    with pytest.raises(TypeError):
        made["c"] = 1


def test_fill_absent_on_a_container_that_holds_itself_or_is_too_deep() -> None:
    """Found trying odd values: a list of yours holding itself, or nested 100,000 deep,
    raised RecursionError; it is a ValueError, and the interpreter is fine after it."""
    run = runschema.loads(SEED_BYTES, runschema.Run)
    loop: list[Any] = [run]
    loop.append(loop)
    deep: list[Any] = [run]
    for _ in range(100_000):
        deep = [deep]
    for value in (loop, deep):
        with pytest.raises(ValueError, match="holds itself, or is nested too deep"):
            runschema.fill_absent(value)
    assert runschema.absent_fields(runschema.fill_absent([[run]])[0][0]) == frozenset()


@attrs.frozen
class _Kept:
    run: runschema.Run
    note: str = attrs.field(default="", init=False)
    size: int = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "size", len(runschema.dumps(self.run)))


def test_fill_absent_makes_a_class_of_yours_as_evolve_does() -> None:
    """Found by an SDK author: an init=False field's value set after construction is not in
    what fill_absent gives back. As attrs.evolve and dataclasses.replace do, __init__ makes
    it: a value derived from the fields (``size`` here) would otherwise be stale."""
    run = runschema.loads(SEED_BYTES, runschema.Run)
    kept = _Kept(run)
    object.__setattr__(kept, "note", "set later")
    filled = runschema.fill_absent(kept)
    assert runschema.absent_fields(filled.run) == frozenset()
    assert (filled.note, filled.size) == ("", len(runschema.dumps(filled.run)))
    assert filled.size > kept.size  # "required_action":null is written now
    same = runschema.fill_absent(filled)  # nothing to fill: the very object
    assert same is filled


@attrs.frozen
class _AnyModel:
    item: runschema.Model


@pytest.mark.parametrize("converter", CONVERTERS)
def test_the_base_of_the_models_is_no_field_type(converter: Any) -> None:
    """Found by an SDK author: a field annotated runschema.Model read any object, strict
    included, as an empty model that is no Run; no document says which model it is."""
    with pytest.raises(TypeError, match=r"runschema\.Model is the base of the models") as caught:
        converter.structure({"item": {"whatever": 1}}, _AnyModel)
    # a bug in the class, not a problem of the data: errors_of raises it again, as it is
    # (found by a server author: it became a 400, invalid_value, the message sent on)
    with pytest.raises(TypeError) as again:
        runschema.errors_of(caught.value, converter)
    assert again.value is caught.value
    run = runschema.loads(SEED_BYTES, runschema.Run)  # written, it is what it holds
    assert converter.unstructure(_AnyModel(run)) == {"item": runschema.unstructure(run)}


@attrs.frozen
class _Notes:
    note: runschema.UnknownValue | None = None
    status: runschema.RunStatus | runschema.UnknownValue = "queued"


@pytest.mark.parametrize("converter", CONVERTERS)
@pytest.mark.parametrize("annotation", [runschema.UnknownValue, runschema.UnknownValue | None])
def test_unknown_value_alone_is_no_field_type(converter: Any, annotation: Any) -> None:
    """Found by an SDK author: a field annotated ``UnknownValue | None`` was written as its
    string and read as an object, so neither converter read back what it wrote. Alone it
    names no value to read: a TypeError about the class, which errors_of raises again;
    beside an enum it reads and writes as before."""
    with pytest.raises(TypeError, match=r"runschema\.UnknownValue is the arm") as caught:
        converter.structure("x", annotation)
    with pytest.raises(TypeError) as again:
        runschema.errors_of(caught.value, converter)
    assert again.value is caught.value
    with pytest.raises(TypeError, match=r"runschema\.UnknownValue is the arm"):
        converter.structure({"note": "x"}, _Notes)
    status = runschema.UnknownValue(value="paused")
    assert converter.unstructure(_Notes(status=status))["status"] == "paused"
    if converter is runschema.LENIENT:
        hook = converter.get_structure_hook(runschema.RunStatus | runschema.UnknownValue)
        assert hook("paused", runschema.RunStatus | runschema.UnknownValue) == status


@pytest.mark.parametrize("strict", [False, True])
def test_loads_and_structure_refuse_the_base_of_the_models(strict: bool) -> None:
    """Found by an SDK author: loads and structure read any object as runschema.Model,
    strict included, an empty model holding the whole document as unknown keys, where
    the converters refuse the base."""
    for base in (runschema.Model, runschema.UnknownTool.__mro__[1]):
        with pytest.raises(TypeError, match=r"is the base of the models"):
            runschema.loads(b'{"anything": [1, 2], "id": 5}', base, strict=strict)
        with pytest.raises(TypeError, match=r"is the base of the models"):
            runschema.structure({"anything": [1, 2]}, base, strict=strict)


@attrs.frozen
class _Maps:
    labels: runschema.FrozenMap[str] | None = None
    runs: runschema.FrozenMap[runschema.Run] | None = None
    counts: runschema.FrozenMap[int] | None = None


@pytest.mark.parametrize("converter", CONVERTERS)
def test_a_frozen_map_field_checks_its_values(converter: Any) -> None:
    """Found by an SDK author: FrozenMap[X] (X its values' type, as mypy reads it) had X
    applied to the keys: FrozenMap[str] let an integer in, FrozenMap[Run] refused every key."""
    run = orjson.loads(SEED_BYTES) | {"required_action": None}
    doc = {"labels": {"a": "x"}, "runs": {"r1": run}, "counts": {"n": 2}}
    held = converter.structure(doc, _Maps)
    assert type(held.labels) is runschema.FrozenMap
    assert held.runs["r1"] == runschema.structure(run, runschema.Run)
    assert converter.unstructure(held) == doc
    for bad, path, code in (
        ({"labels": {"a": 1}}, "$.labels.a", "type"),
        ({"counts": {"1": "x"}}, "$.counts['1']", "type"),
        ({"runs": {"r1": {**run, "status": 5}}}, "$.runs.r1.status", "type"),
        ({"labels": [1]}, "$.labels", "type"),
    ):
        with pytest.raises(cattrs.BaseValidationError) as info:
            converter.structure(bad, _Maps)
        found = runschema.errors_of(info.value, converter).errors
        assert [(e.path, e.code) for e in found] == [(path, code)], bad


@attrs.frozen
class _Node:
    name: str
    children: tuple[_Node, ...] = ()


@pytest.mark.parametrize("converter", CONVERTERS)
def test_writing_a_value_too_deep_says_so(converter: Any) -> None:
    """Found by an SDK author: a deep value of a recursive class raised a bare
    RecursionError from unstructure, where structure of its document says too_deep."""
    node = _Node(name="x")
    for _ in range(3 * sys.getrecursionlimit()):
        node = _Node(name="x", children=(node,))
    with pytest.raises(runschema.ValidationError) as info:
        converter.unstructure(node)
    assert [e.code for e in info.value.errors] == ["too_deep"]
    assert converter.unstructure(_Node(name="y", children=(_Node(name="z"),))) == {
        "name": "y",
        "children": [{"name": "z", "children": []}],
    }


class _Leaf:
    """Written by a hook that counts its calls, and refuses a leaf marked bad."""

    def __init__(self, bad: bool) -> None:
        self.bad = bad


@attrs.frozen
class _Branch:
    leaf: _Leaf | None = None
    children: tuple[_Branch, ...] = ()


@pytest.mark.parametrize("converter", CONVERTERS)
def test_a_problem_deep_down_is_placed_without_writing_it_again_and_again(
    converter: Any,
) -> None:
    """Found in a trial: each level of a deep value of your classes wrote its fields again to
    place a problem below, so the work grew threefold a level (29 s for twelve levels);
    a value that failed is now written once."""
    calls = []

    def leaf_out(leaf: _Leaf) -> Any:
        calls.append(leaf)
        if leaf.bad:
            raise runschema.ValidationError(
                [runschema.ErrorDetail(loc=(), code="invalid_value", message="a bad leaf")]
            )
        return "leaf"

    converter.register_unstructure_hook(_Leaf, leaf_out)
    node = _Branch(leaf=_Leaf(bad=True))
    for _ in range(20):
        node = _Branch(leaf=_Leaf(bad=False), children=(node,))
    with pytest.raises(runschema.ValidationError) as info:
        converter.unstructure(node)
    assert [(e.path, e.code) for e in info.value.errors] == [
        ("$" + ".children[0]" * 20 + ".leaf", "invalid_value")
    ]
    assert len(calls) <= 3 * 21  # was about 3**20


def test_strict_writes_a_model_as_it_is_and_validate_checks_it() -> None:
    """As the README says (found by an SDK author, who expected STRICT to check on write):
    STRICT writes what it would refuse to read; ``validate`` is the check before sending."""
    run = runschema.structure({**orjson.loads(SEED_BYTES), "required_action": None}, runschema.Run)
    wide = attrs.evolve(run, metadata={str(i): "x" for i in range(17)})
    doc = runschema.STRICT.unstructure(_AnyModel(wide))
    assert len(doc["item"]["metadata"]) == 17
    with pytest.raises(runschema.ValidationError) as caught:
        runschema.STRICT.structure(doc["item"], runschema.Run)
    assert [(e.path, e.code) for e in caught.value.errors] == [("$.metadata", "too_many")]
    with pytest.raises(runschema.ValidationError) as checked:
        runschema.validate(wide)
    assert [(e.path, e.code) for e in checked.value.errors] == [("$.metadata", "too_many")]


@attrs.frozen
class _Runs:
    runs: list[runschema.Run]
    n: int


def test_without_detailed_validation_a_nested_model_s_problem_is_at_the_root() -> None:
    """Found by an SDK author: with detailed_validation=False, a problem of the second
    run came at ``$.status`` (sent as param "status") where it was at ``$.runs[1].status``:
    cattrs says nowhere where the run was. It is at the root, as a problem of your own
    fields is there, its place within the model in the message."""
    doc = runschema.unstructure(runschema.fill_absent(runschema.loads(SEED_BYTES, runschema.Run)))
    plain = STRICT.copy(detailed_validation=False)
    data = {"runs": [doc, dict(doc, status=1)], "n": 1}
    with pytest.raises(runschema.ValidationError) as info:
        plain.structure(data, _Runs)
    found = errors_of(info.value)
    assert [(d.path, d.code, d.param) for d in found.errors] == [("$", "type", None)]
    assert found.errors[0].message == (
        "expected a string, got an integer (at .status of a value within: a converter with "
        "detailed_validation=False keeps no paths)"
    )
    with pytest.raises(runschema.ValidationError) as info:
        plain.structure([dict(doc, status=1)], list[runschema.Run])
    assert [d.path for d in errors_of(info.value).errors] == ["$"]
    # a model at the root keeps its paths, which are from the root
    with pytest.raises(runschema.ValidationError) as root:
        plain.structure(dict(doc, status=1), runschema.Run)
    assert [d.path for d in root.value.errors] == ["$.status"]
    with pytest.raises(Exception) as group:  # noqa: PT011 - cattrs' group (detailed: the path)
        STRICT.structure(data, _Runs)
    assert [d.path for d in errors_of(group.value).errors] == ["$.runs[1].status"]


class _Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@attrs.frozen
class _Keyed:
    by_id: dict[int, str]
    levels: dict[_Level, int]
    picked: dict[Literal[1, 2], str]
    names: dict[str, int]


@pytest.mark.parametrize("converter", CONVERTERS)
def test_integer_keys_are_their_text_in_json(converter: Any) -> None:
    """Found by an SDK author: a dict[int, X] was written with integer keys, which orjson
    refuses, and "1" was refused when read: no round trip through JSON. Integer keys are
    read from their decimal text and written as it, as cattrs' own orjson converter does."""
    value = _Keyed({1: "a", -5: "b", 0: "c"}, {_Level.HIGH: 3}, {2: "x"}, {"7": 7})
    plain = converter.unstructure(value)
    assert plain == {
        "by_id": {"1": "a", "-5": "b", "0": "c"},
        "levels": {"2": 3},
        "picked": {"2": "x"},
        "names": {"7": 7},  # a str key stays what it is
    }
    assert converter.structure(orjson.loads(orjson.dumps(plain)), _Keyed) == value
    assert converter.structure({**plain, "by_id": {1: "a"}}, _Keyed).by_id == {1: "a"}
    bad_keys: list[tuple[dict[str, Any], tuple[str, str]]] = [
        ({"by_id": {"01": "a"}}, ("$.by_id['01']", "type")),
        ({"by_id": {"+1": "a"}}, ("$.by_id['+1']", "type")),
        ({"by_id": {"-0": "a"}}, ("$.by_id['-0']", "type")),  # written "0": no round trip
        ({"by_id": {"one": "a"}}, ("$.by_id.one", "type")),
        ({"by_id": {"1" + "0" * 40: "a"}}, (f"$.by_id['1{'0' * 40}']", "type")),
        ({"by_id": {"1" + "0" * 20: "a"}}, (f"$.by_id['1{'0' * 20}']", "out_of_range")),
        ({"levels": {"3": 1}}, ("$.levels['3']", "enum")),
        ({"picked": {"3": "y"}}, ("$.picked['3']", "enum")),
    ]
    for keys, found in bad_keys:
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            converter.structure({**plain, **keys}, _Keyed)
        assert [(d.path, d.code) for d in errors_of(info.value).errors] == [found]
    with pytest.raises(runschema.ValidationError) as written:
        converter.unstructure(_Keyed({True: "a"}, {}, {}, {}))
    assert [(d.path, d.code) for d in written.value.errors] == [("$.by_id.true", "type")]


class _Shade(str, enum.Enum):
    RED = "red"


@attrs.frozen
class _At:
    at: datetime


@attrs.frozen
class _Log:
    events: list[_At]
    shade: _Shade
    by: dict[str, float]


def test_writing_says_every_problem_as_reading_does() -> None:
    """Found by an SDK author: writing stopped at the first bad value (a naive datetime at
    events[0] hid the microseconds at events[1]); reading says every problem."""
    utc = timezone.utc
    log = _Log(
        [_At(datetime(2024, 1, 1)), _At(datetime(2024, 1, 1, 0, 0, 0, 5, utc))],
        _Shade.RED,
        {"a": float("nan"), "b": 1.0, "c": float("inf")},
    )
    with pytest.raises(runschema.ValidationError) as info:
        LENIENT.unstructure(log)
    assert [(d.path, d.code) for d in info.value.errors] == [
        ("$.events[0].at", "invalid_timestamp"),
        ("$.events[1].at", "invalid_timestamp"),
        ("$.by.a", "not_finite"),
        ("$.by.c", "not_finite"),
    ]
    bad_shade = attrs.evolve(log, shade="")  # type: ignore[arg-type]
    with pytest.raises(runschema.ValidationError) as info:
        STRICT.unstructure(bad_shade)
    assert [(d.path, d.code) for d in info.value.errors][:2] == [
        ("$.shade", "const"),
        ("$.events[0].at", "invalid_timestamp"),
    ]
    many = _Log([_At(datetime(2024, 1, 1))] * 150, _Shade.RED, {})
    with pytest.raises(runschema.ValidationError) as info:
        LENIENT.unstructure(many)
    assert len(info.value.errors) == 101  # as a read's report: the first 100, then a count
    assert info.value.errors[-1].code == "too_many_problems"
    assert "50 more problems" in info.value.errors[-1].message


def test_a_fixed_tuple_of_another_length_is_refused_when_written() -> None:
    with pytest.raises(runschema.ValidationError) as info:
        LENIENT.unstructure(Pair((1, "a", 2)))  # type: ignore[arg-type]
    assert [(e.path, e.code) for e in info.value.errors] == [("$.bounds", "too_many")]


def test_every_class_gets_the_guarded_hooks() -> None:
    """cattrs registers a mapping's hook as the annotation's own when it makes it, ahead of
    the guard: a second class with the same annotation took a list as a dict and raised
    AttributeError (found in use), whichever class came first."""
    classes = []
    for name in ("First", "Second", "Third"):
        cls = attrs.make_class(
            name,
            {
                "scores": attrs.field(type=dict[str, int]),
                "tags": attrs.field(type=frozenset[str]),
                "pairs": attrs.field(type=tuple[int, ...]),
            },
        )
        classes.append(cls)
    for conv in (LENIENT.copy(), STRICT.copy()):
        for cls in classes:
            with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
                conv.structure({"scores": [["a", 1]], "tags": "ab", "pairs": "12"}, cls)
            found = [(e.path, e.code) for e in errors_of(info.value).errors]
            assert found == [("$.scores", "type"), ("$.tags", "type"), ("$.pairs", "type")]


if sys.version_info >= (3, 11):

    class Tint(enum.StrEnum):
        RED = "red"

else:  # (StrEnum is new in 3.11; Colour is the older spelling)

    class Tint(str, enum.Enum):
        RED = "red"


@attrs.frozen
class Reading:
    score: float = 0.0
    count: int = 0
    label: str = ""
    tint: Tint = Tint.RED
    colour: Colour = Colour.RED
    size: Size = Size.ONE
    flag: bool = False


class Fraction(float):
    """A float subclass, as numpy.float64 is."""


class Ratio(float, enum.Enum):
    NAN = float("nan")


@attrs.frozen
class Held:
    score: float = 0.0
    status: runschema.RunStatus | runschema.UnknownValue = "queued"
    tools: tuple[runschema.Tool, ...] = ()
    runs: tuple[runschema.Run, ...] = ()
    scores: dict[str, int] = attrs.field(factory=dict)


class TestWrittenAsRead:
    """Found by an SDK author: unstructuring a class of your own passed what JSON cannot
    carry on to orjson (NaN became null, which the same field then refused; a big int or a
    lone surrogate raised there, with no path), and a StrEnum member as itself."""

    @pytest.mark.parametrize("conv", CONVERTERS)
    def test_plain_values_out(self, conv: Any) -> None:
        out = conv.unstructure(Reading(score=2, count=3, label="é", flag=True))
        assert out == {
            "score": 2,
            "count": 3,
            "label": "é",
            "tint": "red",
            "colour": "red",
            "size": 1,
            "flag": True,
        }
        assert [type(out[k]) for k in out] == [int, int, str, str, str, int, bool]
        assert conv.structure(orjson.loads(orjson.dumps(out)), Reading) == Reading(
            score=2, count=3, label="é", flag=True
        )

    @pytest.mark.parametrize("conv", CONVERTERS)
    @pytest.mark.parametrize(
        ("value", "path", "code"),
        [
            (Reading(score=float("nan")), "$.score", "not_finite"),
            (Reading(score=float("-inf")), "$.score", "not_finite"),
            (Reading(score=2**70), "$.score", "out_of_range"),
            (Reading(count=2**64), "$.count", "out_of_range"),
            (Reading(label="a\ud800"), "$.label", "invalid_string"),
            # found by fuzzing: a float subclass's NaN (numpy.float64), a lone surrogate in
            # an open enum and a string where a model belongs went out unchecked or raised an
            # AttributeError; each is refused at its field, as a model's own field is when set
            (Held(score=Fraction(float("nan"))), "$.score", "not_finite"),
            (Held(score=Fraction("-inf")), "$.score", "not_finite"),
            (Held(score=Ratio.NAN), "$.score", "not_finite"),
            (Held(status="a\ud800"), "$.status", "enum"),  # type: ignore[arg-type]
            (Held(status=runschema.UnknownValue(value="a\ud800")), "$.status", "invalid_string"),
            (Held(tools=("x",)), "$.tools[0]", "type"),  # type: ignore[arg-type]
            (Held(runs=("x",)), "$.runs[0]", "type"),  # type: ignore[arg-type]
            (Held(scores={"a": True}), "$.scores.a", "type"),
            (Held(scores={1: 2}), "$.scores['1']", "type"),  # type: ignore[dict-item]
        ],
    )
    def test_what_json_cannot_carry_is_refused_at_its_field(
        self, conv: Any, value: Any, path: str, code: str
    ) -> None:
        with pytest.raises(runschema.ValidationError) as info:
            conv.unstructure(value)
        assert [(e.path, e.code) for e in info.value.errors] == [(path, code)]

    @pytest.mark.parametrize("conv", CONVERTERS)
    @pytest.mark.parametrize(
        ("value", "path", "message"),
        [
            (Reading(flag=1), "$.flag", "expected a boolean, got an integer"),  # type: ignore[arg-type]
            (Reading(count=True), "$.count", "expected an integer, got a boolean"),
            (Reading(count="1"), "$.count", "expected an integer, got a string"),  # type: ignore[arg-type]
            (Reading(score=False), "$.score", "expected a number, got a boolean"),
            (Reading(score="1.5"), "$.score", "expected a number, got a string"),  # type: ignore[arg-type]
            (Reading(label=5), "$.label", "expected a string, got an integer"),  # type: ignore[arg-type]
            (Held(scores={1: 2}), "$.scores['1']", "the key: expected a string, got an integer"),  # type: ignore[dict-item]
            # found by fuzzing: cattrs' TypeError or AttributeError, or nothing (orjson's
            # error later), for a field holding another kind of value than it says
            (Reading(size=None), "$.size", "expected one of 1, 2, got null"),  # type: ignore[arg-type]
            (Reading(colour=None), "$.colour", "expected 'red', got null"),  # type: ignore[arg-type]
            (Reading(tint=5), "$.tint", "expected 'red', got an integer"),  # type: ignore[arg-type]
            (Mine(plain="on"), "$.plain", "expected one of true, 0.5, got a string"),  # type: ignore[arg-type]
            (Held(tools=None), "$.tools", "expected an array, got null"),  # type: ignore[arg-type]
            (Held(runs=5), "$.runs", "expected an array, got an integer"),  # type: ignore[arg-type]
            (Held(scores=5), "$.scores", "expected an object, got an integer"),  # type: ignore[arg-type]
            (Mine(one="1"), "$.one", "expected 1, got a string"),  # type: ignore[arg-type]
        ],
    )
    def test_a_value_of_another_type_is_refused(
        self, conv: Any, value: Any, path: str, message: str
    ) -> None:
        """Found by fuzzing: ``True`` in an ``int`` field was written ``true``, ``1`` in a
        ``bool`` field ``1``, each refused by the same converter when read back; written as
        read, they are ``type`` at the field."""
        with pytest.raises(runschema.ValidationError) as info:
            conv.unstructure(value)
        assert [(e.path, e.code, e.message) for e in info.value.errors] == [(path, "type", message)]

    @pytest.mark.parametrize("conv", CONVERTERS)
    def test_a_float_subclass_is_written_as_a_float(self, conv: Any) -> None:
        out = conv.unstructure(Held(score=Fraction(1.5), status="completed"))
        assert (out["score"], type(out["score"]), out["status"]) == (1.5, float, "completed")


@attrs.frozen
class Envelope:
    run: runschema.Run
    stored_at: datetime
    attempts: int


@pytest.mark.parametrize("conv", CONVERTERS)
def test_whole_numbers_with_a_fraction_are_integers(conv: Any) -> None:
    """Found by an SDK author: ``loads`` reads 1.7e9 and 5.0 as integers (JSON Schema's
    rule), the converters refused the same document once parsed: a class of your own holding
    a run reads what ``loads`` reads."""
    doc = orjson.loads(SEED_BYTES)
    doc["required_action"] = None
    doc["created_at"] = 1.7e9
    doc["usage"]["prompt_tokens"] = 123.0
    got = conv.structure({"run": doc, "stored_at": 1.7e9, "attempts": 2.0}, Envelope)
    assert got.run == runschema.loads(orjson.dumps(doc), runschema.Run)
    assert got.run.usage.prompt_tokens == 123
    assert got.stored_at == datetime.fromtimestamp(1_700_000_000, timezone.utc)
    assert type(got.attempts) is int
    out = conv.unstructure(got)
    assert (out["stored_at"], out["attempts"], out["run"]["created_at"]) == (
        1_700_000_000,
        2,
        1_700_000_000,
    )
    assert _problems(conv, {"run": doc, "stored_at": 1.5, "attempts": 2.5}, Envelope) == [
        ("$.stored_at", "type"),
        ("$.attempts", "type"),
    ]


@pytest.mark.parametrize("conv", CONVERTERS)
def test_whole_numbers_in_enums_and_literals(conv: Any) -> None:
    """Found by fuzzing: an ``int`` field read 5.0, an IntEnum or ``Literal[1]`` refused it."""
    mine = conv.structure({"size": 2.0, "one": 1.0}, Mine)
    assert (mine.size, mine.one, type(mine.one)) == (Size.TWO, 1, int)
    assert conv.unstructure(mine)["size"] == 2
    assert _problems(conv, {"size": 3.0, "one": 2.0}) == [("$.size", "enum"), ("$.one", "const")]

    class Scale(enum.Enum):
        ONE = 1.0
        HALF = 0.5

    # and the other way: 1 is 1.0 in a float-valued enum, as a float field reads it
    assert conv.structure(1, Scale) is Scale.ONE
    with pytest.raises(Exception) as info:  # noqa: PT011 - runschema's error
        conv.structure(2, Scale)
    assert [(e.code, e.message) for e in errors_of(info.value).errors] == [
        ("enum", "expected one of 1.0, 0.5, got 2")
    ]


@pytest.mark.parametrize("conv", CONVERTERS)
def test_refusals_name_values_as_json_does(conv: Any) -> None:
    """Found by an SDK author: ``Literal[1, "1", True]`` listed ``True`` (Python's word), and
    a refused string was quoted as JSON while the allowed ones were quoted as Python."""
    for obj, message in (
        (2, "expected one of 1, '1', true, got 2"),
        ("x", "expected one of 1, '1', true, got 'x'"),
    ):
        with pytest.raises(Exception) as info:  # noqa: PT011 - runschema's or cattrs' error
            conv.structure(obj, Literal[1, "1", True])
        assert [(e.code, e.message) for e in errors_of(info.value).errors] == [("enum", message)]


@pytest.mark.parametrize("key", [b'"max_prompt_tokens": 1000', b'"created_at": 1699075072'])
@pytest.mark.parametrize("number", [b"1e999", b"-1e999"])
def test_a_number_beyond_a_double_where_an_integer_belongs(key: bytes, number: bytes) -> None:
    """Found by a README audit: 1e999 in an integer or timestamp field was ``type`` (an
    integer expected, a number got) where 1e300 is ``out_of_range``; both are out of range."""
    text = SEED_BYTES.replace(key, key.split(b":")[0] + b": " + number)
    assert text != SEED_BYTES
    for strict in (False, True):
        with pytest.raises(runschema.ValidationError) as info:
            runschema.loads(text, runschema.Run, strict=strict)
        field = "$." + key.split(b'"')[1].decode()
        assert (field, "out_of_range") in [(e.path, e.code) for e in info.value.errors]


@pytest.mark.parametrize("conv", CONVERTERS)
@pytest.mark.parametrize("big", [2.0**53, 9007199254740993.0, -(2.0**60), 1e19])
def test_whole_numbers_a_double_may_have_rounded(conv: Any, big: float) -> None:
    """Found by fuzzing: ``9007199254740993.0`` was read as the integer 9007199254740992, not
    the number written; from 2**53 on such a number is refused, in data and in text."""
    assert _problems(conv, {"size": 1, "one": big}) == [("$.one", "type")]
    run = dict(orjson.loads(SEED_BYTES), required_action=None)
    assert _problems(conv, {"run": run, "stored_at": 0, "attempts": big}, Envelope) == [
        ("$.attempts", "out_of_range")
    ]
    text = SEED_BYTES.replace(
        b'"max_prompt_tokens": 1000', b'"max_prompt_tokens": ' + repr(big).encode()
    )
    assert text != SEED_BYTES
    with pytest.raises(runschema.ValidationError) as info:
        runschema.loads(text, runschema.Run)
    assert [(e.path, e.code) for e in info.value.errors] == [
        ("$.max_prompt_tokens", "out_of_range")
    ]
    assert conv.structure(2.0**53 - 1, int) == 2**53 - 1


@attrs.frozen
class Left:
    name: str


@attrs.frozen
class Right:
    size: int


@attrs.frozen
class Either:
    item: Left | Right


class TestUnionsOfYourOwn:
    @pytest.mark.parametrize("conv", CONVERTERS)
    @pytest.mark.parametrize(
        ("item", "code", "message"),
        [
            (2, "type", "expected an object, got an integer"),
            ([], "type", "expected an object, got an array"),
            ({}, "invalid_value", "an object none of the union's classes can be told by its keys"),
        ],
    )
    def test_refused_in_runschema_words(
        self, conv: Any, item: Any, code: str, message: str
    ) -> None:
        """Found by an SDK author: cattrs' own words ('Only input mappings are supported')
        came back as invalid_value for a client to read."""
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            conv.structure({"item": item}, Either)
        (problem,) = errors_of(info.value).errors
        assert (problem.path, problem.code, problem.message) == ("$.item", code, message)
        assert conv.structure({"item": {"size": 1}}, Either) == Either(Right(1))

    def test_a_union_cattrs_cannot_tell_apart_is_a_bug(self) -> None:
        """Found by an SDK author: ``Run | Tool`` (documented as unsupported) raised a
        TypeError when cattrs made the hook, which errors_of called the data's problem, a 400
        to send; it is raised again, as a hook that cannot be found is."""

        @attrs.frozen
        class Mixed:
            x: runschema.Run | runschema.Tool

        with pytest.raises(TypeError) as info:
            LENIENT.copy().structure({"x": orjson.loads(SEED_BYTES)}, Mixed)
        with pytest.raises(TypeError, match="disambiguate"):
            errors_of(info.value)


@attrs.frozen
class Square:
    kind: Literal["square"]
    side: int


@attrs.frozen
class Rect:
    kind: Literal["rect"]
    w: int


@attrs.frozen
class Holder:
    shape: Square | Rect


class TestUnionsByATag:
    """Found by fuzzing: cattrs tells ``Square | Rect`` apart by their common Literal field,
    and its KeyError for an unknown tag was reported as a missing key named after the tag's
    value (``$.shape.circle``), a list tag as an unhashable-type invalid_value."""

    @pytest.mark.parametrize("conv", CONVERTERS)
    @pytest.mark.parametrize(
        ("tag", "got"), [("circle", "'circle'"), (5, "5"), ([1], "[1]"), (None, "null")]
    )
    @pytest.mark.parametrize("top", [False, True], ids=["nested", "top"])
    def test_an_unknown_tag_at_the_tag(self, conv: Any, tag: Any, got: str, top: bool) -> None:
        shape = {"kind": tag, "side": 1}
        doc, cl, path = (
            (shape, Square | Rect, "$.kind") if top else ({"shape": shape}, Holder, "$.shape.kind")
        )
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group or its KeyError
            conv.structure(doc, cl)
        (problem,) = errors_of(info.value).errors
        message = f"expected one of 'square', 'rect', got {got}"
        assert (problem.path, problem.code, problem.message) == (path, "unknown_tag", message)

    @pytest.mark.parametrize("conv", CONVERTERS)
    @pytest.mark.parametrize("top", [False, True], ids=["nested", "top"])
    def test_an_absent_tag_is_missing(self, conv: Any, top: bool) -> None:
        doc, cl, path = (
            ({"side": 1}, Square | Rect, "$.kind")
            if top
            else ({"shape": {"side": 1}}, Holder, "$.shape.kind")
        )
        with pytest.raises(Exception) as info:  # noqa: PT011
            conv.structure(doc, cl)
        (problem,) = errors_of(info.value).errors
        assert (problem.path, problem.code) == (path, "missing")

    @pytest.mark.parametrize("conv", CONVERTERS)
    def test_a_known_tag_reads_its_class(self, conv: Any) -> None:
        assert conv.structure({"shape": {"kind": "rect", "w": 2}}, Holder) == Holder(
            Rect("rect", 2)
        )
        with pytest.raises(Exception) as info:  # noqa: PT011
            conv.structure({"shape": {"kind": "square", "side": "x"}}, Holder)
        assert [(p.path, p.code) for p in errors_of(info.value).errors] == [
            ("$.shape.side", "type")
        ]


class TestKeysThatAreNoText:
    """Found by fuzzing: a Python dict may hold keys JSON cannot (None, 1.5), and errors_of
    crashed rendering their paths; a key is named as a JSON object writes it, as text."""

    @pytest.mark.parametrize("conv", CONVERTERS)
    @pytest.mark.parametrize(
        ("key", "path", "got"),
        [
            (None, "$.null", "null"),
            (1.5, "$['1.5']", "a number"),
            (2, "$['2']", "an integer"),
            (True, "$.true", "a boolean"),
            ((1, 2), "$['(1, 2)']", "an array"),
        ],
    )
    def test_a_bad_key_at_itself(self, conv: Any, key: Any, path: str, got: str) -> None:
        with pytest.raises(Exception) as info:  # noqa: PT011
            conv.structure({key: 1}, dict[str, int])
        (problem,) = errors_of(info.value).errors
        message = f"the key: expected a string, got {got}"
        assert (problem.path, problem.code, problem.message) == (path, "type", message)

    @pytest.mark.parametrize("conv", CONVERTERS)
    def test_keys_forbid_extra_keys_refuses(self, conv: Any) -> None:
        """Found by fuzzing: with cattrs' forbid_extra_keys, keys that are no text could not
        be sorted (None beside "x") or rendered in a path."""
        strict = conv.copy(forbid_extra_keys=True)
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs' group
            strict.structure({None: 1, "x": 2, (1, 2): 3}, Point)
        found = [(e.path, e.code) for e in errors_of(info.value).errors]
        assert found == [("$['(1, 2)']", "unknown_field"), ("$.null", "unknown_field")]

    @pytest.mark.parametrize("conv", CONVERTERS)
    def test_a_bad_value_under_a_key_that_is_no_text(self, conv: Any) -> None:
        with pytest.raises(Exception) as info:  # noqa: PT011
            conv.structure({"a": 1, "7": "x"}, dict[int, int])
        assert [(p.path, p.code, p.message) for p in errors_of(info.value).errors] == [
            ("$.a", "type", "the key: expected an integer, got a string"),
            ("$['7']", "type", "expected an integer, got a string"),
        ]


@attrs.frozen
class Bag:
    n: int = 0
    f: float = 0.0
    s: str = ""
    b: bool = False
    size: Size = Size.ONE
    colour: Colour = Colour.RED
    plain: Plain = Plain.ON
    lit: Literal[1, "a"] = 1
    xs: list[float] = attrs.field(factory=list)
    m: dict[str, int] = attrs.field(factory=dict)
    t: tuple[int, ...] = ()


_ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=4)
    | st.binary(max_size=2)
    | st.sampled_from([*Size, *Colour, *Plain]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner)
        | st.dictionaries(st.text(max_size=2) | st.integers(0, 3) | st.none(), inner, max_size=2)
    ),
    max_leaves=6,
)


@pytest.mark.parametrize("conv", CONVERTERS)
@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.dictionaries(st.sampled_from([a.name for a in attrs.fields(Bag)]), _ANY_VALUE))
def test_what_is_written_is_read_back(conv: Any, fields: dict[str, Any]) -> None:
    """Whatever a class of yours holds, writing it raises runschema's ValidationError or
    gives JSON that reads back to a value written the same (found by fuzzing: cattrs'
    TypeError or AttributeError, orjson's errors later, or JSON the same converter refused)."""
    bag = Bag(**fields)
    try:
        out = conv.unstructure(bag)
    except runschema.ValidationError:
        return
    again = conv.structure(orjson.loads(orjson.dumps(out)), Bag)
    assert conv.unstructure(again) == out


def test_unset_is_never_written_as_a_string() -> None:
    """Found by an SDK author: a hook of their own (cattrs' make_dict_unstructure_fn, to rename
    keys) writes every field, UNSET too, and orjson wrote it as "UNSET", read back as that
    string. UNSET is no JSON: writing it is an error; the README's recipe leaves it out."""
    from cattrs.gen import make_dict_unstructure_fn, override

    @attrs.frozen
    class Item:
        name: str
        tag: str | runschema.Unset = runschema.UNSET

    for thing in (runschema.UNSET, {"tag": runschema.UNSET}):
        with pytest.raises(TypeError):
            orjson.dumps(thing)
        with pytest.raises(TypeError):
            json.dumps(thing)
    mine = LENIENT.copy()
    hook = make_dict_unstructure_fn(
        Item, mine, name=override(rename="itemName"), tag=override(omit_if_default=True)
    )
    mine.register_unstructure_hook(Item, hook)
    assert mine.unstructure(Item(name="a")) == {"itemName": "a"}
    assert mine.unstructure(Item(name="a", tag="t")) == {"itemName": "a", "tag": "t"}
