"""The models: spec examples, lossless lenient mode, strict mode, construction in Python."""

from __future__ import annotations

import copy
import pickle
import types
import typing
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import orjson
import pytest

import runschema
from runschema import (
    UNSET,
    FrozenMap,
    FunctionDefinition,
    FunctionTool,
    Run,
    RunUpdateParams,
    UnknownTool,
    UnknownValue,
    Usage,
    ValidationError,
)
from runschema._models import MODELS
from tests.fixtures import FULL_RUN, example_runs, full_run, seed_page_run, set_at

EXAMPLES = example_runs()
NULLABLE_REQUIRED = {
    "required_action",
    "last_error",
    "expires_at",
    "started_at",
    "cancelled_at",
    "failed_at",
    "completed_at",
    "incomplete_details",
    "metadata",
    "usage",
    "max_prompt_tokens",
    "max_completion_tokens",
    "truncation_strategy",
    "tool_choice",
    "response_format",
    "instructions",
}


def _fields() -> Iterator[tuple[type[Any], str, Any]]:
    """Every field of every model: its class, name and type hint."""
    for cls in MODELS:
        hints = typing.get_type_hints(cls, include_extras=True)
        for field in attrs.fields(cls):
            yield cls, field.name, hints[field.name]


def _field_types() -> Iterator[Any]:
    """Every type inside every field's hint (the items of tuples too)."""
    todo = [hint for _, _, hint in _fields()]
    while todo:
        hint = todo.pop()
        yield hint
        todo.extend(typing.get_args(hint))


def _union_args(hint: Any) -> list[Any]:
    """The arms of a union hint (through ``Annotated``), or the hint alone."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        return _union_args(typing.get_args(hint)[0])
    if origin in (typing.Union, types.UnionType):
        return [arm for a in typing.get_args(hint) for arm in _union_args(a)]
    return [hint]


def _literals(hint: Any) -> list[Any]:
    return [a for a in _union_args(hint) if typing.get_origin(a) is typing.Literal]


class TestSpecExamples:
    def test_all_examples_found(self) -> None:
        """27 example files hold 28 runs; the seed page adds one more."""
        assert len(EXAMPLES) == 28

    @pytest.mark.parametrize(("name", "data"), [*EXAMPLES, ("seed page", seed_page_run())])
    def test_lenient_round_trip(self, name: str, data: bytes) -> None:
        """Lenient mode decodes every example and writes back the same JSON value."""
        run = runschema.loads(data, Run)
        assert orjson.loads(runschema.dumps(run)) == orjson.loads(data)
        assert runschema.loads(runschema.dumps(run), Run) == run

    @pytest.mark.parametrize(("name", "data"), [*EXAMPLES, ("seed page", seed_page_run())])
    def test_strict_reports_each_absent_key(self, name: str, data: bytes) -> None:
        """Strict mode accepts the complete examples and reports each absent key as missing."""
        doc = orjson.loads(data)
        absent = sorted(NULLABLE_REQUIRED - set(doc))
        if not absent:
            run = runschema.loads(data, Run, strict=True)
            assert orjson.loads(runschema.dumps(run)) == doc
            return
        with pytest.raises(ValidationError) as info:
            runschema.loads(data, Run, strict=True)
        assert sorted((e.path, e.code) for e in info.value.errors) == [
            (f"$.{k}", "missing") for k in absent
        ]

    def test_bundled_seed_is_the_seed_page(self) -> None:
        """The package's bundled example is the seed page's Run."""
        assert orjson.loads(runschema.seed_example()) == orjson.loads(seed_page_run())

    def test_seed_values(self) -> None:
        """The seed decodes to the documented Python values."""
        run = runschema.loads(runschema.seed_example(), Run)
        assert run.created_at == datetime(2023, 11, 4, 5, 17, 52, tzinfo=timezone.utc)
        assert run.expires_at is None
        assert run.instructions is None
        assert run.required_action is None
        assert runschema.absent_fields(run) == frozenset({"required_action"})
        assert run.tools == (runschema.CodeInterpreterTool(),)
        assert run.metadata == {"user_id": "user_abc123"}
        assert run.temperature == 1.0
        assert run.response_format == "auto"
        assert run.tool_resources == runschema.ToolResources(
            code_interpreter=runschema.CodeInterpreterResources(
                file_ids=("file-abc123", "file-abc456")
            )
        )


class TestLossless:
    def test_unknown_everything_kept(self) -> None:
        """Unknown keys, enum values and union arms at every level survive a lenient trip."""
        doc = full_run()
        doc["status"] = "paused"
        doc["future"] = {"a": [1, 2.5, None]}
        doc["tools"].append({"type": "browser", "config": {"depth": 2}})
        doc["tools"][2]["function"]["x-extra"] = True
        doc["last_error"]["code"] = "quota_exhausted"
        doc["required_action"]["submit_tool_outputs"]["tool_calls"].append(
            {"id": "c2", "type": "mcp", "server": "s"}
        )
        doc["truncation_strategy"]["type"] = "smart"
        doc["tool_choice"] = {"type": "mcp", "server_label": "x"}
        doc["response_format"] = {"type": "grammar", "grammar": "..."}
        data = orjson.dumps(doc)
        run = runschema.loads(data, Run)
        assert orjson.loads(runschema.dumps(run)) == doc
        assert run.status == UnknownValue(value="paused")
        assert isinstance(run.tools[3], UnknownTool)
        assert run.tools[3].type == "browser"
        assert run.tools[3].data["config"] == {"depth": 2}
        assert dict(runschema.unknown_fields(run)) == {"future": {"a": (1, 2.5, None)}}
        assert isinstance(run.tool_choice, runschema.UnknownToolChoice)
        assert isinstance(run.response_format, runschema.UnknownResponseFormat)
        tc = run.required_action.submit_tool_outputs.tool_calls  # type: ignore[union-attr]
        assert isinstance(tc[1], runschema.UnknownToolCall)

    def test_every_closed_value_is_a_tag(self) -> None:
        """Each string field of a closed set of values, in what a server sends, is the tag of a
        union arm (a newer value is the union's Unknown arm) or a constant such as ``object``:
        any other is an open enum, ``UnknownValue`` in lenient mode. Found by a client author:
        a file search result's content ``type`` was the one closed enum, and a newer server's
        ``"image"`` made the step, its list page and its stream event unreadable."""
        tagged = set()  # classes that are arms of a union beside an Unknown arm
        for hint in _field_types():
            arms = _union_args(hint)
            if any(a.__name__.startswith("Unknown") for a in arms if isinstance(a, type)):
                tagged.update(arms)
        closed = {
            (cls.__name__, name)
            for cls, name, hint in _fields()
            if _literals(hint) and UnknownValue not in _union_args(hint)
        }
        tags = {(c.__name__, "type") for c in tagged if isinstance(c, type)}
        consts = {(c.__name__, "object") for c in MODELS} | {(c.__name__, "event") for c in MODELS}
        assert closed - tags - consts == set()

    def test_unknown_string_arms(self) -> None:
        """Unknown tool_choice / response_format strings become UnknownValue in lenient mode."""
        doc = set_at(set_at(FULL_RUN, "$.tool_choice", "any"), "$.response_format", "xml")
        run = runschema.loads(orjson.dumps(doc), Run)
        assert run.tool_choice == UnknownValue(value="any")
        assert run.response_format == UnknownValue(value="xml")
        assert orjson.loads(runschema.dumps(run)) == doc

    def test_absent_and_null_differ(self) -> None:
        """An absent nullable key stays absent, an explicit null stays null."""
        doc = full_run()
        del doc["last_error"]
        run = runschema.loads(orjson.dumps(doc), Run)
        assert run.last_error is None
        assert "last_error" not in orjson.loads(runschema.dumps(run))
        doc["last_error"] = None
        run2 = runschema.loads(orjson.dumps(doc), Run)
        assert orjson.loads(runschema.dumps(run2))["last_error"] is None
        assert run != run2

    def test_absent_non_nullable_is_missing_in_both_modes(self) -> None:
        """Absent required non-nullable keys are errors even in lenient mode."""
        for key in ("id", "model", "tools", "parallel_tool_calls"):
            doc = full_run()
            del doc[key]
            for strict in (False, True):
                with pytest.raises(ValidationError) as info:
                    runschema.loads(orjson.dumps(doc), Run, strict=strict)
                assert [(e.path, e.code) for e in info.value.errors] == [(f"$.{key}", "missing")]

    def test_integer_in_number_field_kept(self) -> None:
        """An integer where the schema says number is accepted and written back as an integer."""
        run = runschema.loads(orjson.dumps(set_at(FULL_RUN, "$.temperature", 1)), Run)
        assert run.temperature == 1
        assert type(run.temperature) is int
        assert b'"temperature":1,' in runschema.dumps(run)


class TestStrict:
    def test_strict_rejects_unknown_values(self) -> None:
        """Strict mode rejects unknown enum values, tags and strings with paths."""
        doc = full_run()
        doc["tools"].append({"type": "browser"})
        doc["tool_choice"] = "any"
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), Run, strict=True)
        assert [(e.path, e.code) for e in info.value.errors] == [
            ("$.tools[3].type", "unknown_tag"),
            ("$.tool_choice", "enum"),
        ]

    def test_strict_keeps_unknown_keys_on_run(self) -> None:
        """RunObject allows additional properties: strict keeps unknown keys too."""
        doc = dict(FULL_RUN, extension="x")
        run = runschema.loads(orjson.dumps(doc), Run, strict=True)
        assert runschema.unknown_fields(run) == {"extension": "x"}

    def test_strict_rejects_unknown_keys_on_modify_request(self) -> None:
        """ModifyRunRequest is additionalProperties: false: unknown_field in strict mode."""
        with pytest.raises(ValidationError) as info:
            runschema.loads(b'{"metadata": null, "stream": true}', RunUpdateParams, strict=True)
        assert [(e.path, e.code) for e in info.value.errors] == [("$.stream", "unknown_field")]

    @pytest.mark.parametrize("body", [b"{}", b'{"metadata": null}', b'{"metadata": {"a": "b"}}'])
    def test_modify_request_valid_bodies(self, body: bytes) -> None:
        """{}, null metadata and a map are all valid modify bodies, and encode back the same."""
        p = runschema.loads(body, RunUpdateParams, strict=True)
        assert orjson.loads(runschema.dumps(p)) == orjson.loads(body)

    @pytest.mark.parametrize(
        ("path", "text", "value"),
        [
            ("$.usage.total_tokens", b"5.0", 5),
            ("$.usage.total_tokens", b"5e0", 5),
            ("$.max_prompt_tokens", b"1e3", 1000),
            (
                "$.created_at",
                b"1699075072.0",
                datetime(2023, 11, 4, 5, 17, 52, tzinfo=timezone.utc),
            ),
        ],
    )
    def test_a_whole_number_with_a_fraction_is_an_integer(
        self, path: str, text: bytes, value: Any
    ) -> None:
        """Found by a spec audit: JSON Schema (and so the spec, OpenAPI 3.1) counts 5.0 as an
        integer, and lenient mode (reading a server's answers) refused it too. Read as the
        int (or time) it is, in both modes, and written back as an integer, the same JSON
        number. So in data too (structure takes what json.loads gives: found by an SDK
        author whose envelope the converters read); a constructor takes an int only."""
        marker = 987654321
        data = orjson.dumps(set_at(FULL_RUN, path, marker)).replace(b"987654321", text)
        for strict in (False, True):
            run = runschema.loads(data, Run, strict=strict)
            got: Any = run
            for key in path[2:].split("."):
                got = getattr(got, key)
            assert got == value
            assert type(got) is type(value)
            assert orjson.loads(runschema.dumps(run)) == orjson.loads(data)
            assert runschema.structure(orjson.loads(data), Run, strict=strict) == run
        with pytest.raises(ValidationError) as info:
            runschema.Usage(prompt_tokens=1, completion_tokens=4, total_tokens=5.0)  # type: ignore[arg-type]
        assert [(e.path, e.code) for e in info.value.errors] == [("$.total_tokens", "type")]

    def test_no_coercion(self) -> None:
        """'5', 5.5 and true are not integers; null and 123 are not strings; {} not a list."""
        cases = [
            ("$.usage.total_tokens", "5"),
            ("$.usage.total_tokens", 5.5),
            ("$.created_at", 1699075072.5),
            ("$.usage.total_tokens", True),
            ("$.model", 123),
            ("$.model", None),
            ("$.tools", {}),
            ("$.tools", "code_interpreter"),
            ("$.parallel_tool_calls", 1),
        ]
        for path, value in cases:
            for strict in (False, True):
                with pytest.raises(ValidationError) as info:
                    runschema.loads(orjson.dumps(set_at(FULL_RUN, path, value)), Run, strict=strict)
                assert [(e.path, e.code) for e in info.value.errors] == [(path, "type")]


class TestLimits:
    @staticmethod
    def _meta(doc_meta: dict[str, str]) -> list[tuple[str, str]]:
        try:
            runschema.loads(
                orjson.dumps(set_at(FULL_RUN, "$.metadata", doc_meta)), Run, strict=True
            )
        except ValidationError as e:
            return [(x.path, x.code) for x in e.errors]
        return []

    def test_pairs(self) -> None:
        """16 metadata pairs pass, 17 are too_many at $.metadata."""
        assert self._meta({f"k{i}": "v" for i in range(16)}) == []
        assert self._meta({f"k{i}": "v" for i in range(17)}) == [("$.metadata", "too_many")]

    def test_key_length_counts_characters(self) -> None:
        """Keys of 64 characters pass (astral ones count as one), 65 are too_long."""
        astral = "\U0001f600"
        assert self._meta({astral * 64: "v"}) == []
        assert self._meta({"k" * 65: "v"}) == [("$.metadata." + "k" * 65, "too_long")]
        assert self._meta({astral * 65: "v"}) == [(f"$.metadata['{astral * 65}']", "too_long")]

    def test_value_length_counts_characters(self) -> None:
        """Values of 512 characters pass (astral ones count as one), 513 are too_long."""
        astral = "\U0001f600"
        assert self._meta({"k": astral * 512}) == []
        assert self._meta({"k": "v" * 513}) == [("$.metadata.k", "too_long")]
        assert self._meta({"k": astral * 513}) == [("$.metadata.k", "too_long")]

    def test_tools(self) -> None:
        """20 tools pass, 21 are too_many at $.tools (strict only)."""
        tools = [{"type": "code_interpreter"}]
        ok = orjson.dumps(set_at(FULL_RUN, "$.tools", tools * 20))
        runschema.loads(ok, Run, strict=True)
        bad = orjson.dumps(set_at(FULL_RUN, "$.tools", tools * 21))
        with pytest.raises(ValidationError) as info:
            runschema.loads(bad, Run, strict=True)
        assert [(e.path, e.code) for e in info.value.errors] == [("$.tools", "too_many")]
        assert len(runschema.loads(bad, Run).tools) == 21

    def test_names_of_the_form_the_spec_text_gives(self) -> None:
        """Found by a client author and a reviewer: a function's name with a space, or of 65
        characters, and a response format's ``a/b`` passed strict mode, which the spec's text
        forbids ("a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum length of
        64") and the upstream API refused (``invalid_value``). Strict mode, request building
        and the exported schema hold them to it; lenient mode reads any name."""
        doc = dict(FULL_RUN)
        doc["tools"] = [{"type": "function", "function": {"name": "get weather"}}]
        rf = {"type": "json_schema", "json_schema": {"name": "a/b"}}
        doc["response_format"] = rf
        data = orjson.dumps(doc)
        run = runschema.loads(data, Run)
        assert orjson.loads(runschema.dumps(run)) == doc
        with pytest.raises(ValidationError) as info:
            runschema.loads(data, Run, strict=True)
        expected = [
            ("$.tools[0].function.name", "pattern"),
            ("$.response_format.json_schema.name", "pattern"),
        ]
        assert [(e.path, e.code) for e in info.value.errors] == expected
        with pytest.raises(ValidationError) as checked:
            runschema.validate(run)
        assert [(e.path, e.code) for e in checked.value.errors] == expected
        answer = info.value.to_openai_error()["error"]
        assert (answer["param"], answer["code"]) == ("tools[0].function.name", "invalid_value")
        body = {
            "assistant_id": "a",
            "tools": [{"type": "function", "function": {"name": "x" * 65}}],
        }
        with pytest.raises(ValidationError) as built:
            runschema.CREATE_RUN.request(body, thread_id="t")
        assert [(e.path, e.code) for e in built.value.errors] == [
            ("$.tools[0].function.name", "pattern")
        ]
        for name in ("x" * 64, "get_weather-2", "A"):
            body["tools"] = [{"type": "function", "function": {"name": name}}]
            runschema.CREATE_RUN.request(body, thread_id="t")
        for name in ("", "é", "a.b", "a\n"):
            body["tools"] = [{"type": "function", "function": {"name": name}}]
            with pytest.raises(ValidationError):
                runschema.CREATE_RUN.request(body, thread_id="t")
        schema = runschema.json_schema(runschema.FunctionDefinition)
        name = schema["$defs"]["FunctionDefinition"]["properties"]["name"]
        assert name == {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "not": {"pattern": "[^a-zA-Z0-9_-]"},
        }
        # found by an audit: "^...$" let the jsonschema package, whose $ (Python's) also
        # matches before a last line end, take "abc\n"; strict mode refuses it
        import jsonschema

        check = jsonschema.Draft202012Validator(schema)
        for bad in ("abc\n", "", "x" * 65, "a b"):
            assert not check.is_valid({"name": bad}), bad
        assert check.is_valid({"name": "get_weather"})

    def test_a_named_function_choice_names_its_function(self) -> None:
        """Found by a client author: ``tool_choice: {"type": "function"}`` passed strict mode,
        where the spec's text says "if type is function, the function name must be set" and
        the upstream API required it: ``missing`` in strict mode and request building; a
        built-in tool's choice needs none; lenient mode reads either."""
        doc = set_at(FULL_RUN, "$.tool_choice", {"type": "function"})
        run = runschema.loads(orjson.dumps(doc), Run)
        assert orjson.loads(runschema.dumps(run)) == doc
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), Run, strict=True)
        assert [(e.path, e.code) for e in info.value.errors] == [
            ("$.tool_choice.function", "missing")
        ]
        assert info.value.to_openai_error()["error"]["code"] == "missing_required_parameter"
        body: dict[str, Any] = {"assistant_id": "a", "tool_choice": {"type": "function"}}
        with pytest.raises(ValidationError) as built:
            runschema.CREATE_RUN.request(body, thread_id="t")
        assert [(e.path, e.code) for e in built.value.errors] == [
            ("$.tool_choice.function", "missing")
        ]
        for choice in ({"type": "file_search"}, {"type": "function", "function": {"name": "f"}}):
            body["tool_choice"] = choice
            runschema.CREATE_RUN.request(body, thread_id="t")
            runschema.loads(
                orjson.dumps(set_at(FULL_RUN, "$.tool_choice", choice)), Run, strict=True
            )
        schema = runschema.json_schema(runschema.NamedToolChoice)["$defs"]["NamedToolChoice"]
        assert schema["then"] == {"required": ["function"]}
        # found by an audit: allow_unknown, which passes keys a lenient read found absent,
        # let it out too, and the answer's error sent the server to fill_absent
        unnamed = attrs.evolve(
            runschema.fill_absent(run), tool_choice=runschema.NamedToolChoice(type="function")
        )
        for allow_unknown in (False, True):
            with pytest.raises(ValueError, match=r"\$\.tool_choice\.function missing") as sent:
                runschema.RETRIEVE_RUN.respond(unnamed, allow_unknown=allow_unknown)
            assert "fill_absent" not in str(sent.value)

    def test_request_limits_checked_as_every_models(self) -> None:
        """RunUpdateParams's limits are strict mode's: checked by validate, a strict read and
        a request being built, not by its constructor, as every model's (found by a user
        reading the docstrings: its constructor alone checked them, so a lenient read made
        a value that attrs.evolve then refused)."""
        RunUpdateParams(metadata={f"k{i}": "v" for i in range(16)})
        long = RunUpdateParams(metadata={"k" * 65: "v" * 513})
        expected = [("$.metadata." + "k" * 65, "too_long"), ("$.metadata." + "k" * 65, "too_long")]
        with pytest.raises(ValidationError) as info:
            runschema.validate(long)
        assert [(e.path, e.code) for e in info.value.errors] == expected
        with pytest.raises(ValidationError) as read:
            runschema.loads(runschema.dumps(long), RunUpdateParams, strict=True)
        assert [(e.path, e.code) for e in read.value.errors] == expected
        with pytest.raises(ValidationError) as built:
            runschema.MODIFY_RUN.request(long, thread_id="t", run_id="r")
        assert [(e.path, e.code) for e in built.value.errors] == expected
        lenient = runschema.loads(runschema.dumps(long), RunUpdateParams)
        assert attrs.evolve(lenient, metadata={"a": "b"}).metadata == {"a": "b"}


def _run(**over: Any) -> Run:
    base: dict[str, Any] = {
        "id": "run_1",
        "created_at": datetime(2024, 1, 1, tzinfo=timezone.utc),
        "thread_id": "t",
        "assistant_id": "a",
        "status": "queued",
        "required_action": None,
        "last_error": None,
        "expires_at": None,
        "started_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "incomplete_details": None,
        "model": "gpt-4o",
        "instructions": "hi",
        "tools": (),
        "metadata": None,
        "usage": None,
        "max_prompt_tokens": None,
        "max_completion_tokens": None,
        "truncation_strategy": None,
        "tool_choice": "auto",
        "parallel_tool_calls": True,
        "response_format": "auto",
    }
    base.update(over)
    return Run(**base)


class TestConstruction:
    def test_built_run_round_trips_strict(self) -> None:
        """A Run built in Python encodes and decodes back equal, in strict mode."""
        run = _run(metadata={"a": "b"}, temperature=0.2)
        assert runschema.loads(runschema.dumps(run), Run, strict=True) == run
        assert "top_p" not in orjson.loads(runschema.dumps(run))

    def test_timestamps_normalised_to_utc(self) -> None:
        """An aware datetime in another zone is stored in UTC and encodes to the same instant."""
        run = _run(created_at=datetime(2024, 1, 1, 2, tzinfo=timezone(timedelta(hours=2))))
        assert run.created_at.tzinfo is timezone.utc
        assert orjson.loads(runschema.dumps(run))["created_at"] == 1704067200

    @pytest.mark.parametrize(
        ("over", "expected"),
        [
            ({"created_at": datetime(2024, 1, 1)}, [("$.created_at", "invalid_timestamp")]),
            (
                {"created_at": datetime(2024, 1, 1, 0, 0, 0, 5, tzinfo=timezone.utc)},
                [("$.created_at", "invalid_timestamp")],
            ),
            ({"created_at": 1704067200}, [("$.created_at", "type")]),
            ({"model": None}, [("$.model", "type")]),
            ({"status": "paused"}, [("$.status", "enum")]),
            ({"status": UnknownValue(value="queued")}, [("$.status", "invalid_unknown")]),
            ({"metadata": {"a": 1}}, [("$.metadata.a", "type")]),
            ({"id": "\ud800"}, [("$.id", "invalid_string")]),
            ({"temperature": float("nan")}, [("$.temperature", "not_finite")]),
            ({"temperature": True}, [("$.temperature", "type")]),
            ({"max_prompt_tokens": 2**64}, [("$.max_prompt_tokens", "out_of_range")]),
            ({"tools": ("code_interpreter",)}, [("$.tools[0]", "type")]),
            ({"parallel_tool_calls": UNSET}, [("$.parallel_tool_calls", "type")]),
        ],
    )
    def test_constructor_validates(
        self, over: dict[str, Any], expected: list[tuple[str, str]]
    ) -> None:
        """Objects built in Python follow the rules decoded ones follow (lenient)."""
        with pytest.raises(ValidationError) as info:
            _run(**over)
        assert [(e.path, e.code) for e in info.value.errors] == expected

    def test_json_maps_are_deep_frozen(self) -> None:
        """Function parameters become read-only all the way down (arrays become tuples)."""
        f = FunctionDefinition(name="f", parameters={"a": [1, {"b": 2}]})
        assert f.parameters == {"a": (1, {"b": 2})}
        assert isinstance(f.parameters, FrozenMap)
        inner = f.parameters["a"]
        assert isinstance(inner, tuple)
        assert isinstance(inner[1], FrozenMap)
        with pytest.raises(TypeError):
            inner[1]["b"] = 3

    def test_json_maps_reject_non_json(self) -> None:
        """Non-JSON values inside a JSON map are errors with paths."""
        with pytest.raises(ValidationError) as info:
            FunctionDefinition(name="f", parameters={"a": [1, {"b": object()}], "c": float("inf")})
        assert [(e.path, e.code) for e in info.value.errors] == [
            ("$.parameters.a[1].b", "type"),
            ("$.parameters.c", "not_finite"),
        ]

    def test_unknown_arm_with_known_tag_rejected(self) -> None:
        """An unknown arm never holds a known tag."""
        with pytest.raises(ValidationError) as info:
            UnknownTool(data={"type": "function"})
        assert [(e.path, e.code) for e in info.value.errors] == [("$.data.type", "invalid_unknown")]

    def test_validate_strict(self) -> None:
        """validate() applies strict rules (bounds) to a Python-built run."""
        run = _run(max_prompt_tokens=10)
        with pytest.raises(ValidationError) as info:
            runschema.validate(run)
        assert [(e.path, e.code) for e in info.value.errors] == [
            ("$.max_prompt_tokens", "out_of_range")
        ]
        runschema.validate(run, strict=False)


class TestValueSemantics:
    def test_frozen(self) -> None:
        """Fields cannot be assigned."""
        run = runschema.loads(runschema.seed_example(), Run)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            run.status = "failed"  # type: ignore[misc]

    def test_slotted_keyword_only(self) -> None:
        """Every model is slotted and keyword-only."""
        for cls in MODELS:
            assert "__slots__" in cls.__dict__, cls
            assert all(a.kw_only for a in attrs.fields(cls)), cls

    def test_metadata_read_only(self) -> None:
        """metadata is a read-only mapping."""
        run = runschema.loads(runschema.seed_example(), Run)
        assert run.metadata is not None
        with pytest.raises(TypeError):
            run.metadata["x"] = "y"  # type: ignore[index]

    def test_init_again_changes_no_read_only_map(self) -> None:
        """Found by a user's trial: ``m.__init__(k=v)`` refilled a FrozenMap in place (dict's
        __init__), changing a JSON Schema that every run of an assistant shares and the
        empty map of unknown keys that runs lacking the same keys share, for every later
        decode too. A read-only map is filled when made; __init__ again does nothing."""
        doc = full_run()
        docs = [orjson.dumps({**doc, "id": f"run_{i}"}) for i in range(4)]
        first, *_, last = [runschema.loads(d, Run) for d in docs]  # the schema kept, shared
        seed = runschema.loads(runschema.seed_example(), Run)
        tool = next(t for t in first.tools if isinstance(t, runschema.FunctionTool))
        shared: list[Any] = [tool.function.parameters, runschema.unknown_fields(seed)]
        shared += [runschema.RUN_TRANSITIONS, FrozenMap(), FrozenMap({"a": 1})]
        for m in shared:
            before = dict(m)
            m.__init__(injected=True)
            m.__init__({"injected": True})
            assert dict(m) == before
        again = runschema.loads(docs[1], Run)
        assert orjson.loads(runschema.dumps(again)) == orjson.loads(docs[1])
        assert runschema.dumps(runschema.loads(runschema.seed_example(), Run)) == runschema.dumps(
            seed
        )
        assert attrs.evolve(last, id="run_1") == again

    def test_a_map_you_build_owns_its_containers(self) -> None:
        """Found by a user's trial: FrozenMap({"a": inner}) held your ``inner``, so changing
        it later changed the map, its equality and its hash (``m in {m}`` became False)."""
        inner: dict[str, Any] = {"x": [1, {"y": 2}]}
        pair: tuple[list[int], ...] = ([1],)
        m = FrozenMap({"a": inner, "b": pair, "c": "d"})
        kept, h = orjson.dumps(m), hash(m)
        inner["x"].append(3)
        inner["x"][1]["y"] = 5
        inner["z"] = 1
        pair[0].append(2)
        assert (orjson.dumps(m), hash(m)) == (kept, h)
        assert m in {m}
        assert m["a"] == {"x": (1, {"y": 2})}
        deep: list[Any] = []
        cur = deep
        for _ in range(50_000):  # any depth: copied without recursion
            cur.append([])
            cur = cur[0]
        assert dict.__getitem__(FrozenMap({"d": deep}), "d") is not deep

    @pytest.mark.parametrize(
        ("args", "kwargs"),
        [((), {}), (({"a": 1},), {}), (([("a", 1), ("b", [2])],), {}), ((), {"a": 1})],
    )
    def test_a_read_only_map_is_made_as_a_dict_is(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> None:
        m = FrozenMap(*args, **kwargs)
        assert type(m) is FrozenMap
        assert dict(m) == {
            k: runschema._values._frozen(v) for k, v in dict(*args, **kwargs).items()
        }
        assert pickle.loads(pickle.dumps(m)) == m
        assert copy.copy(m) is m
        with pytest.raises(TypeError):
            FrozenMap(1)  # type: ignore[call-overload]

    def test_pickle_copy_hash(self) -> None:
        """Runs pickle, copy and hash, unknown parts included."""
        doc = full_run()
        doc["tools"].append({"type": "browser"})
        doc["future"] = [1]
        run = runschema.loads(orjson.dumps(doc), Run)
        for again in (pickle.loads(pickle.dumps(run)), copy.copy(run), copy.deepcopy(run)):
            assert again == run
            assert hash(again) == hash(run)
            assert orjson.loads(runschema.dumps(again)) == doc

    def test_evolve_keeps_unknown_fields(self) -> None:
        """attrs.evolve keeps what the lenient decode kept."""
        run = runschema.loads(orjson.dumps(dict(FULL_RUN, future=1)), Run)
        changed = attrs.evolve(run, metadata={"k": "v"})
        assert orjson.loads(runschema.dumps(changed))["future"] == 1

    def test_unset_is_falsy_singleton(self) -> None:
        """UNSET is the only member of Unset, falsy, and reprs as UNSET."""
        assert list(runschema.Unset) == [UNSET]
        assert not UNSET
        assert repr(UNSET) == "UNSET"

    def test_structure_and_unstructure(self) -> None:
        """The dict level matches the bytes level."""
        run = runschema.structure(full_run(), Run, strict=True)
        assert runschema.unstructure(run) == FULL_RUN
        with pytest.raises(ValidationError):
            runschema.structure([], Run)
        with pytest.raises(TypeError):
            runschema.structure({}, dict)

    def test_converters_are_cattrs(self) -> None:
        """The converters are cattrs Converters, open to extra hooks."""
        import cattrs

        assert isinstance(runschema.LENIENT, cattrs.Converter)
        u = runschema.STRICT.structure(
            {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}, Usage
        )
        assert runschema.LENIENT.unstructure(u) == {
            "completion_tokens": 2,
            "prompt_tokens": 1,
            "total_tokens": 3,
        }

    def test_dumps_rejects_non_models(self) -> None:
        """dumps() of something that is not a model is a TypeError (a programming error),
        and a mypy error: it takes a ``runschema.Model``."""
        with pytest.raises(TypeError):
            runschema.dumps({"a": 1})  # type: ignore[arg-type]

    def test_function_tool_defaults(self) -> None:
        """Tag fields default to their constant."""
        t = FunctionTool(function=FunctionDefinition(name="f"))
        assert runschema.dumps(t) == b'{"type":"function","function":{"name":"f"}}'


_UNKNOWN_ARMS = [
    getattr(runschema, name)
    for name in runschema.__all__
    if getattr(getattr(runschema, name), "__rs_unknown_arm__", False)
]


class TestUnknownArmsReadAlone:
    """An unknown arm read as itself, not through its union, reads what it writes: the whole
    object, its ``type`` one the union does not know."""

    def test_all_of_them(self) -> None:
        assert len(_UNKNOWN_ARMS) == 18

    @pytest.mark.parametrize("cls", _UNKNOWN_ARMS, ids=lambda c: c.__name__)
    def test_round_trip(self, cls: Any) -> None:
        value = cls(data={"type": "x_new_kind", "detail": [1, {"a": None}]})
        assert runschema.dumps(value) == b'{"type":"x_new_kind","detail":[1,{"a":null}]}'
        assert runschema.loads(runschema.dumps(value), cls) == value
        assert runschema.structure(runschema.unstructure(value), cls) == value

        holder = attrs.make_class("Holder", {"arm": attrs.field(type=cls)}, frozen=True)
        doc = {"arm": runschema.unstructure(value)}
        assert runschema.LENIENT.structure(doc, holder) == holder(value)
        assert runschema.LENIENT.unstructure(holder(value)) == doc

    @pytest.mark.parametrize("cls", _UNKNOWN_ARMS, ids=lambda c: c.__name__)
    def test_refused_as_the_constructor_refuses(self, cls: Any) -> None:
        known = sorted(cls.__rs_known_tags__())[0]
        cases = [
            (b'{"data": {"type": "x_new_kind"}}', False, "$.type", "missing"),
            (b'{"type": 3}', False, "$.type", "type"),
            (b'{"type": "%s"}' % known.encode(), False, "$.type", "invalid_unknown"),
            (b'{"type": "%s"}' % known.encode(), True, "$.type", "invalid_unknown"),
            (b'{"type": "x_new_kind"}', True, "$.type", "unknown_tag"),
        ]
        for doc, strict, path, code in cases:
            with pytest.raises(ValidationError) as info:
                runschema.loads(doc, cls, strict=strict)
            assert [(e.path, e.code) for e in info.value.errors] == [(path, code)], doc
