"""The exported JSON Schema says what strict mode does: checked with the jsonschema package."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import orjson
import pytest
from hypothesis import given

import runschema
from runschema import strategies as rs
from tests.fixtures import FULL_RUN, example_runs, examples, set_at
from tests.test_mutations import TABLE, VALUES

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

    def test_known_limit_integral_floats(self) -> None:
        """JSON Schema counts 5.0 as an integer; strict mode does not coerce it (documented)."""
        data = json.dumps(set_at(FULL_RUN, "$.usage.total_tokens", 5.0)).encode()
        assert RUN.is_valid(json.loads(data))
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
            jsonschema.Draft202012Validator.check_schema(runschema.json_schema(cls))

    def test_not_a_model(self) -> None:
        """json_schema of something else is a TypeError."""
        with pytest.raises(TypeError):
            runschema.json_schema(dict)

    def test_cli_schema(self) -> None:
        """'runschema schema run' prints the same schema as json_schema(Run)."""
        out = subprocess.run(
            [sys.executable, "-m", "runschema", "schema", "run"],
            capture_output=True,
            check=True,
        )
        assert orjson.loads(out.stdout) == runschema.json_schema(runschema.Run)
