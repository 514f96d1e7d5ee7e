"""The exported JSON Schema says what strict mode does: checked with the jsonschema package."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from typing import Any

import orjson
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import runschema
from runschema import strategies as rs
from tests.fixtures import FULL_RUN, example_runs, examples, set_at
from tests.test_cli import DOCUMENT_CASES
from tests.test_mutations import TABLE, VALUES
from tests.test_strategies import DOCUMENTS, MODELS, _schema_validator

jsonschema = pytest.importorskip("jsonschema")

NUMBER_FIELDS = ("$.temperature", "$.top_p")  # unbounded numbers

HYP = examples(100)


def _validator(cls: type[Any]) -> Any:
    schema = runschema.json_schema(cls)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


RUN = _validator(runschema.Run)
UPDATE = _validator(runschema.RunUpdateParams)


def _strict_ok(data: bytes, cls: type[Any] = runschema.Run) -> bool:
    try:
        runschema.loads(data, cls, strict=True)
    except runschema.ValidationError:
        return False
    return True


def _agree(data: bytes, cls: type[Any] = runschema.Run) -> None:
    validator = RUN if cls is runschema.Run else UPDATE
    assert validator.is_valid(json.loads(data)) == _strict_ok(data, cls), data[:200]


class TestAgreement:
    @pytest.mark.parametrize(("name", "data"), example_runs())
    def test_spec_examples(self, name: str, data: bytes) -> None:
        """Each spec example is schema-valid exactly when strict mode accepts it."""
        _agree(data)

    def test_mutation_table(self) -> None:
        """Every mutation of the mutation table: schema-valid exactly when strict accepts."""
        for path, _, _ in TABLE:
            for value in VALUES:
                if value == 2**64 and path in NUMBER_FIELDS:
                    continue  # a known limit of JSON Schema, pinned below
                _agree(json.dumps(set_at(FULL_RUN, path, value)).encode())

    @pytest.mark.parametrize(
        "body",
        [
            b"{}",
            b'{"metadata": null}',
            b'{"metadata": {"a": "b"}}',
            b'{"metadata": {"a": "b"}, "stream": true}',
            b'{"metadata": 5}',
            orjson.dumps({"metadata": {str(i): "v" for i in range(17)}}),
            orjson.dumps({"metadata": {"k" * 65: "v"}}),
            orjson.dumps({"metadata": {"\U0001f600" * 64: "\U0001f600" * 512}}),
            orjson.dumps({"metadata": {"k": "v" * 513}}),
        ],
    )
    def test_modify_bodies(self, body: bytes) -> None:
        """Modify run bodies: schema and strict mode agree (limits, unknown keys)."""
        _agree(body, runschema.RunUpdateParams)

    @HYP
    @given(rs.run_json())
    def test_generated_valid(self, doc: dict[str, Any]) -> None:
        """Generated valid runs are schema-valid."""
        assert RUN.is_valid(doc)

    @HYP
    @given(rs.invalid_run_json())
    def test_generated_invalid(self, case: tuple[dict[str, Any], str, str]) -> None:
        """Generated invalid runs fail the schema."""
        assert not RUN.is_valid(case[0])

    def test_known_limit_big_integers_in_number_fields(self) -> None:
        """JSON Schema cannot bound integer literals in number fields without also bounding
        floats; strict mode rejects integers beyond 64 bits there (documented)."""
        for path in NUMBER_FIELDS:
            data = json.dumps(set_at(FULL_RUN, path, 2**64)).encode()
            assert RUN.is_valid(json.loads(data))
            assert not _strict_ok(data)

    @pytest.mark.parametrize(
        ("text", "path", "code"),
        [
            (b'"x_big": 18446744073709551616', "$.x_big", "out_of_range"),
            (b'"x_big": 1e400', "$.x_big", "out_of_range"),
            (b'"temperature": 1e400', "$.temperature", "out_of_range"),
            (
                b'"max_completion_tokens": 9007199254740992.0',
                "$.max_completion_tokens",
                "out_of_range",
            ),
            (b'"model": "a\\ud800"', "$.model", "encoding"),
            (b'"x_deep": ' + b"[" * 101 + b"]" * 101, "$.x_deep" + "[0]" * 100, "too_deep"),
            (b'"created_at": 253402300800', "$.created_at", "out_of_range"),
        ],
        ids=[
            "64 bits",
            "1e400 unknown",
            "1e400 number",
            "2**53 float",
            "surrogate",
            "deep",
            "year 10000",
        ],
    )
    def test_what_no_json_schema_says(self, text: bytes, path: str, code: str) -> None:
        """The README's list of what strict mode refuses and the exported schema accepts
        (found by an archive reader: it named two of them): each is refused at its path
        with its code, and is valid to the jsonschema package; the spec's schemas could not
        say otherwise (a number's size, UTF-8, depth) but for timestamps, whose bounds the
        export says."""
        data = orjson.dumps({k: v for k, v in FULL_RUN.items() if k != path[2:]})
        data = data[:-1] + b", " + text + b"}"
        with pytest.raises(runschema.SchemaError) as info:
            runschema.loads(data, runschema.Run, strict=True)
        assert [(e.path, e.code) for e in info.value.errors] == [(path, code)]
        if code == "out_of_range" and path == "$.created_at":
            assert not RUN.is_valid(json.loads(data))  # the export says a timestamp's bounds
        else:
            assert RUN.is_valid(json.loads(data))

    def test_integral_floats(self) -> None:
        """JSON Schema counts 5.0 as an integer, and so does strict mode (found by a spec
        audit: it was a type error in both modes); 5.5 is none for either."""
        data = json.dumps(set_at(FULL_RUN, "$.usage.total_tokens", 5.0)).encode()
        assert RUN.is_valid(json.loads(data))
        assert _strict_ok(data)
        data = json.dumps(set_at(FULL_RUN, "$.usage.total_tokens", 5.5)).encode()
        assert not RUN.is_valid(json.loads(data))
        assert not _strict_ok(data)


class TestShape:
    def test_nullable_and_unions(self) -> None:
        """Nullable is anyOf with null; tools are a oneOf of const-tagged arms."""
        s = runschema.json_schema(runschema.Run)
        run = s["$defs"]["Run"]
        assert run["properties"]["last_error"] == {
            "anyOf": [{"$ref": "#/$defs/LastError"}, {"type": "null"}]
        }
        assert run["properties"]["tools"] == {
            "type": "array",
            "maxItems": 20,
            "items": {
                "oneOf": [
                    {"$ref": "#/$defs/CodeInterpreterTool"},
                    {"$ref": "#/$defs/FileSearchTool"},
                    {"$ref": "#/$defs/FunctionTool"},
                ]
            },
        }
        assert s["$defs"]["FunctionTool"]["properties"]["type"] == {
            "type": "string",
            "const": "function",
        }
        assert "tool_resources" not in run["required"]
        assert "additionalProperties" not in run

    def test_every_model_exports(self) -> None:
        """Every public model has a schema that is itself valid 2020-12."""
        from runschema._models import MODELS

        for cls in MODELS:
            if not getattr(cls, "__rs_unknown_arm__", False):
                jsonschema.Draft202012Validator.check_schema(runschema.json_schema(cls))

    def test_not_a_model(self) -> None:
        """json_schema of something else is a TypeError."""
        with pytest.raises(TypeError):
            runschema.json_schema(dict)

    def test_an_unknown_arm_has_no_schema(self) -> None:
        """Found by a user reading the docstrings: an unknown arm's schema was of its Python
        form (``{"data": {...}}``), which refused its own JSON; strict mode reads none."""
        from runschema._models import MODELS

        unknown = [c for c in MODELS if getattr(c, "__rs_unknown_arm__", False)]
        assert runschema.UnknownTool in unknown
        for cls in unknown:
            with pytest.raises(TypeError, match="strict mode refuses"):
                runschema.json_schema(cls)

    def test_cli_schema(self) -> None:
        """'runschema schema run' prints the same schema as json_schema(Run)."""
        out = subprocess.run(
            [sys.executable, "-m", "runschema", "schema", "run"],
            capture_output=True,
            check=True,
        )
        assert orjson.loads(out.stdout) == runschema.json_schema(runschema.Run)


def _validator_of(cls: type[Any]) -> Any:
    """The validator of json_schema(cls), built once per class (shared with test_strategies)."""
    return _schema_validator(cls)


def _strict_accepts(doc: Any, cls: type[Any]) -> bool:
    return _strict_ok(orjson.dumps(doc), cls)


def _places(doc: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value (the root excluded): keys of objects, items of arrays."""
    out: list[tuple[Any, ...]] = []
    items = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    )
    for k, v in items:
        out.append((*loc, k))
        out.extend(_places(v, (*loc, k)))
    return out


_DELETE = object()


def _mutated(doc: Any, loc: tuple[Any, ...], value: Any) -> Any:
    doc = copy.deepcopy(doc)
    node = doc
    for seg in loc[:-1]:
        node = node[seg]
    if value is _DELETE:
        del node[loc[-1]]
    else:
        node[loc[-1]] = copy.deepcopy(value)
    return doc


class TestEveryType:
    def test_every_public_model_exports(self) -> None:
        """Every model runschema exports (runs, steps, pages, bodies, queries, errors) has a
        JSON Schema that is itself valid 2020-12."""
        for cls in MODELS:
            if getattr(cls, "__rs_unknown_arm__", False):
                continue  # no schema: see test_an_unknown_arm_has_no_schema
            schema = runschema.json_schema(cls)
            jsonschema.Draft202012Validator.check_schema(schema)
            assert schema["$ref"] == f"#/$defs/{cls.__name__}"

    @pytest.mark.parametrize("name", list(DOCUMENT_CASES))
    def test_cli_cases_agree(self, name: str) -> None:
        """The CLI's valid and invalid document of each type: the schema says what strict
        mode says."""
        from runschema._cli import DOCUMENT_TYPES

        cls = DOCUMENT_TYPES[name]
        valid, invalid, _ = DOCUMENT_CASES[name]
        assert _validator_of(cls).is_valid(valid)
        assert _strict_accepts(valid, cls)
        assert not _validator_of(cls).is_valid(invalid)
        assert not _strict_accepts(invalid, cls)

    @pytest.mark.parametrize("cls", DOCUMENTS, ids=lambda c: c.__name__)
    def test_mutations_agree(self, cls: type[Any]) -> None:
        """A generated valid document with one place replaced by a hostile value, deleted,
        or given an unknown key: schema-valid exactly when strict mode accepts it."""
        hostile = [v for v in VALUES if v != 2**64]  # a known limit in number fields (above)

        @examples(30)
        @given(st.data())
        def check(data: st.DataObject) -> None:
            doc = data.draw(rs.json_documents(cls), label="doc")
            places = _places(doc)
            assume(places)
            loc = data.draw(st.sampled_from(places), label="place")
            what = data.draw(st.sampled_from([*hostile, _DELETE, "unknown key"]), label="value")
            if what == "unknown key":
                parent = _mutated(doc, loc, None)
                for seg in loc[:-1]:
                    parent = parent[seg]
                assume(isinstance(parent, dict))
                mutated = _mutated(doc, (*loc[:-1], "x_unknown"), 1)
            elif what is _DELETE and isinstance(loc[-1], int):
                return  # an array item removed is just a shorter array
            else:
                mutated = _mutated(doc, loc, what)
            assert _validator_of(cls).is_valid(mutated) == _strict_accepts(mutated, cls), mutated

        check()


class TestNewShapes:
    def test_step_details_and_tool_calls(self) -> None:
        """A run step's details and tool calls are oneOf of const-tagged arms."""
        s = runschema.json_schema(runschema.RunStep)
        defs = s["$defs"]
        assert defs["RunStep"]["properties"]["step_details"] == {
            "oneOf": [
                {"$ref": "#/$defs/MessageCreationDetails"},
                {"$ref": "#/$defs/ToolCallsDetails"},
            ]
        }
        calls = defs["ToolCallsDetails"]["properties"]["tool_calls"]["items"]["oneOf"]
        assert [c["$ref"].rsplit("/", 1)[1] for c in calls] == [
            "StepCodeInterpreterCall",
            "StepFileSearchCall",
            "StepFunctionCall",
        ]
        assert defs["StepFunction"]["properties"]["output"] == {
            "anyOf": [{"type": "string"}, {"type": "null"}]
        }

    def test_message_content_and_one_of_groups(self) -> None:
        """A message's content is a string or a non-empty array of parts; a new thread's file
        search takes exactly one of vector_store_ids and vector_stores."""
        defs = runschema.json_schema(runschema.CreateThreadAndRunParams)["$defs"]
        content = defs["CreateMessageParams"]["properties"]["content"]
        assert content["oneOf"][0] == {"type": "string"}
        assert content["oneOf"][1]["minItems"] == 1
        resources = defs["ThreadFileSearchResources"]
        assert resources["oneOf"] == [
            {"required": ["vector_store_ids"]},
            {"required": ["vector_stores"]},
        ]
        for name in ("CreateThreadAndRunParams", "CreateThreadParams", "CreateMessageParams"):
            assert defs[name]["additionalProperties"] is False

    def test_queries(self) -> None:
        """List queries bound limit to 1..100 and allow no other key."""
        for cls in (runschema.ListRunsParams, runschema.ListRunStepsParams):
            body = runschema.json_schema(cls)["$defs"][cls.__name__]
            assert body["properties"]["limit"] == {"type": "integer", "minimum": 1, "maximum": 100}
            assert body["additionalProperties"] is False
            assert body["required"] == []
