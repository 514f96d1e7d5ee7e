"""The mutation table: every field of Run and its nested objects, ten hostile values, two modes.

Each row names a field (as a JSON path into ``FULL_RUN``) and, for each mode, what happens when
the field's value is replaced by each of the ten values in ``VALUES`` (in that order):

====  ========================================================================
``.``  accepted (and, in lenient mode, round-trips to the same JSON value)
``T``  ``type`` at the field's path
``O``  ``out_of_range`` at the field's path
``E``  ``enum`` at the field's path
``C``  ``const`` at the field's path
``U``  ``unknown_tag`` at the field's path (the field is a union's ``type`` tag)
``L``  ``too_long`` at the field's path
``P``  ``pattern`` at the field's path (a name not of the form the spec's text gives)
``M:a,b``  ``missing`` at ``<path>.a`` and ``<path>.b`` (the value was ``{}``)
====  ========================================================================

Every rejected mutation must produce exactly that one error (or that set of missing keys):
nothing else in the document is disturbed, so any other error is a bug.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import orjson
import pytest

import runschema
from tests.fixtures import FULL_RUN, set_at

LONG = "x" * 10_000
VALUES: list[Any] = [None, True, 0, -1, 2**64, 1.5, "", LONG, [], {}]
NAMES = ["None", "True", "0", "-1", "2**64", "1.5", "empty", "long", "[]", "{}"]

CODES = {"T": "type", "O": "out_of_range", "E": "enum", "C": "const", "U": "unknown_tag"}
CODES["L"] = "too_long"
CODES["P"] = "pattern"

# Rows: path, lenient tokens, strict tokens ("=" means the same as lenient).
# Values:  None True 0  -1  2**64 1.5 ""  long []  {}
TABLE: list[tuple[str, str, str]] = [
    # --- Run ---
    ("$.id", "T T T T T T . . T T", "="),
    ("$.object", "T T T T T T C C T T", "="),
    ("$.created_at", "T T . . O T T T T T", "="),
    ("$.thread_id", "T T T T T T . . T T", "="),
    ("$.assistant_id", "T T T T T T . . T T", "="),
    ("$.status", "T T T T T T . . T T", "T T T T T T E E T T"),
    ("$.required_action", ". T T T T T T T T M:type", "="),
    ("$.last_error", ". T T T T T T T T M:code,message", "="),
    ("$.expires_at", ". T . . O T T T T T", "="),
    ("$.started_at", ". T . . O T T T T T", "="),
    ("$.cancelled_at", ". T . . O T T T T T", "="),
    ("$.failed_at", ". T . . O T T T T T", "="),
    ("$.completed_at", ". T . . O T T T T T", "="),
    ("$.incomplete_details", ". T T T T T T T T .", "="),
    ("$.model", "T T T T T T . . T T", "="),
    ("$.instructions", ". T T T T T . . T T", "="),
    ("$.tools", "T T T T T T T T . T", "="),
    ("$.tool_resources", ". T T T T T T T T .", "="),
    ("$.metadata", ". T T T T T T T T .", "="),
    ("$.usage", ". T T T T T T T T M:completion_tokens,prompt_tokens,total_tokens", "="),
    ("$.temperature", ". T . . O . T T T T", "="),
    ("$.top_p", ". T . . O . T T T T", "="),
    ("$.max_prompt_tokens", ". T . . O T T T T T", ". T O O O T T T T T"),
    ("$.max_completion_tokens", ". T . . O T T T T T", ". T O O O T T T T T"),
    ("$.truncation_strategy", ". T T T T T T T T M:type", "="),
    ("$.tool_choice", ". T T T T T . . T M:type", ". T T T T T E E T M:type"),
    ("$.parallel_tool_calls", "T . T T T T T T T T", "="),
    ("$.response_format", ". T T T T T . . T M:type", ". T T T T T E E T M:type"),
    # --- required_action ---
    ("$.required_action.type", "T T T T T T . . T T", "T T T T T T U U T T"),
    ("$.required_action.submit_tool_outputs", "T T T T T T T T T M:tool_calls", "="),
    ("$.required_action.submit_tool_outputs.tool_calls", "T T T T T T T T . T", "="),
    ("$.required_action.submit_tool_outputs.tool_calls[0]", "T T T T T T T T T M:type", "="),
    ("$.required_action.submit_tool_outputs.tool_calls[0].id", "T T T T T T . . T T", "="),
    (
        "$.required_action.submit_tool_outputs.tool_calls[0].type",
        "T T T T T T . . T T",
        "T T T T T T U U T T",
    ),
    (
        "$.required_action.submit_tool_outputs.tool_calls[0].function",
        "T T T T T T T T T M:name,arguments",
        "=",
    ),
    (
        "$.required_action.submit_tool_outputs.tool_calls[0].function.name",
        "T T T T T T . . T T",
        "=",
    ),
    (
        "$.required_action.submit_tool_outputs.tool_calls[0].function.arguments",
        "T T T T T T . . T T",
        "=",
    ),
    # --- last_error, incomplete_details ---
    ("$.last_error.code", "T T T T T T . . T T", "T T T T T T E E T T"),
    ("$.last_error.message", "T T T T T T . . T T", "="),
    ("$.incomplete_details.reason", "T T T T T T . . T T", "T T T T T T E E T T"),
    # --- tools ---
    ("$.tools[0]", "T T T T T T T T T M:type", "="),
    ("$.tools[0].type", "T T T T T T . . T T", "T T T T T T U U T T"),
    ("$.tools[1].type", "T T T T T T . . T T", "T T T T T T U U T T"),
    ("$.tools[1].file_search", "T T T T T T T T T .", "="),
    ("$.tools[1].file_search.max_num_results", "T T . . O T T T T T", "T T O O O T T T T T"),
    ("$.tools[1].file_search.ranking_options", "T T T T T T T T T M:score_threshold", "="),
    ("$.tools[1].file_search.ranking_options.ranker", "T T T T T T . . T T", "T T T T T T E E T T"),
    (
        "$.tools[1].file_search.ranking_options.score_threshold",
        "T T . . O . T T T T",
        "T T . O O O T T T T",
    ),
    ("$.tools[2].type", "T T T T T T . . T T", "T T T T T T U U T T"),
    ("$.tools[2].function", "T T T T T T T T T M:name", "="),
    ("$.tools[2].function.name", "T T T T T T . . T T", "T T T T T T P P T T"),
    ("$.tools[2].function.description", "T T T T T T . . T T", "="),
    ("$.tools[2].function.parameters", "T T T T T T T T T .", "="),
    ("$.tools[2].function.strict", ". . T T T T T T T T", "="),
    # --- tool_resources ---
    ("$.tool_resources.code_interpreter", "T T T T T T T T T .", "="),
    ("$.tool_resources.code_interpreter.file_ids", "T T T T T T T T . T", "="),
    ("$.tool_resources.code_interpreter.file_ids[0]", "T T T T T T . . T T", "="),
    ("$.tool_resources.file_search", "T T T T T T T T T .", "="),
    ("$.tool_resources.file_search.vector_store_ids", "T T T T T T T T . T", "="),
    ("$.tool_resources.file_search.vector_store_ids[0]", "T T T T T T . . T T", "="),
    # --- metadata, usage ---
    ("$.metadata.user_id", "T T T T T T . . T T", "T T T T T T . L T T"),
    ("$.usage.prompt_tokens", "T T . . O T T T T T", "="),
    ("$.usage.completion_tokens", "T T . . O T T T T T", "="),
    ("$.usage.total_tokens", "T T . . O T T T T T", "="),
    # --- truncation_strategy ---
    ("$.truncation_strategy.type", "T T T T T T . . T T", "T T T T T T E E T T"),
    ("$.truncation_strategy.last_messages", ". T . . O T T T T T", ". T O O O T T T T T"),
    # --- tool_choice (named) ---
    ("$.tool_choice.type", "T T T T T T . . T T", "T T T T T T U U T T"),
    ("$.tool_choice.function", "T T T T T T T T T M:name", "="),
    ("$.tool_choice.function.name", "T T T T T T . . T T", "="),
    # --- response_format (json_schema) ---
    ("$.response_format.type", "T T T T T T . . T T", "T T T T T T U U T T"),
    ("$.response_format.json_schema", "T T T T T T T T T M:name", "="),
    ("$.response_format.json_schema.name", "T T T T T T . . T T", "T T T T T T P P T T"),
    ("$.response_format.json_schema.description", "T T T T T T . . T T", "="),
    ("$.response_format.json_schema.schema", "T T T T T T T T T .", "="),
    ("$.response_format.json_schema.strict", ". . T T T T T T T T", "="),
]


def _expected(path: str, token: str) -> set[tuple[str, str]]:
    if token == ".":
        return set()
    if token.startswith("M:"):
        return {(f"{path}.{k}", "missing") for k in token[2:].split(",")}
    return {(path, CODES[token])}


def _cases() -> list[Any]:
    cases = []
    for path, lenient, strict in TABLE:
        ltoks = lenient.split()
        stoks = ltoks if strict == "=" else strict.split()
        assert len(ltoks) == len(VALUES) == len(stoks), path
        for i, value in enumerate(VALUES):
            for mode, toks in (("lenient", ltoks), ("strict", stoks)):
                cases.append(
                    pytest.param(
                        path, value, mode == "strict", toks[i], id=f"{path}={NAMES[i]}-{mode}"
                    )
                )
    return cases


class TestMutationTable:
    def test_base_document_is_strict_valid(self) -> None:
        """FULL_RUN, the document every row mutates, is valid in both modes."""
        runschema.loads(orjson.dumps(FULL_RUN), runschema.Run, strict=True)

    def test_table_covers_every_model_field(self) -> None:
        """Every field of every model reachable from Run has a row (by field name)."""
        covered = {p.rsplit(".", 1)[-1].split("[")[0] for p, _, _ in TABLE}
        classes: list[type[Any]] = [runschema.Run, *_nested()]
        for cls in classes:
            for a in attrs.fields(cls):
                if a.name != "_rs_extra" and not cls.__name__.startswith("Unknown"):
                    assert a.name in covered, f"{cls.__name__}.{a.name}"

    @pytest.mark.parametrize(("path", "value", "strict", "token"), _cases())
    def test_mutation(self, path: str, value: Any, strict: bool, token: str) -> None:
        """Each mutation gives exactly the tabled (path, code) errors, or is accepted."""
        doc = set_at(FULL_RUN, path, value)
        data = json.dumps(doc).encode()  # the stdlib writes 2**64 as the integer literal
        expected = _expected(path, token)
        if not expected:
            run = runschema.loads(data, runschema.Run, strict=strict)
            assert orjson.loads(runschema.dumps(run)) == json.loads(data)
            return
        with pytest.raises(runschema.ValidationError) as info:
            runschema.loads(data, runschema.Run, strict=strict)
        got = {(e.path, e.code) for e in info.value.errors}
        assert got == expected
        for e in info.value.errors:
            assert e.input is None or len(e.input) <= 100


def _nested() -> list[type[Any]]:
    from runschema._models import MODELS

    return [c for c in MODELS if c is not runschema.RunUpdateParams]
