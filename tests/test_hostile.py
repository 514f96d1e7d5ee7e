"""No input gets past the boundary: loads returns a value or raises SchemaError, nothing else.

The JSONTestSuite corpus (``tests/data/JSONTestSuite``, MIT) and hypothesis over arbitrary
bytes, arbitrary text, random JSON of the wrong shape, and valid runs with one field replaced.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import runschema
from runschema import DecodeError, SchemaError, ValidationError
from tests.fixtures import DATA, FULL_RUN, examples, set_at

CORPUS = sorted((DATA / "JSONTestSuite" / "test_parsing").glob("*.json"))
MODELS: list[type[Any]] = [runschema.Run, runschema.RunUpdateParams, runschema.Usage]


def _outcome(data: bytes | str, cls: type[Any], strict: bool) -> Any:
    """Decode; return the value or the SchemaError. Anything else propagates (a failure)."""
    try:
        return runschema.loads(data, cls, strict=strict)
    except SchemaError as e:
        return e


class TestJSONTestSuite:
    def test_corpus_present(self) -> None:
        """The corpus was copied with its licence."""
        assert len(CORPUS) > 300
        assert (DATA / "JSONTestSuite" / "LICENSE").exists()

    @pytest.mark.parametrize("path", [p for p in CORPUS if p.name.startswith("n_")], ids=str)
    def test_n_files_are_decode_errors(self, path: Path) -> None:
        """Every n_ file (must be rejected) raises DecodeError, as bytes and as str."""
        data = path.read_bytes()
        for cls in MODELS:
            for strict in (False, True):
                with pytest.raises(DecodeError):
                    runschema.loads(data, cls, strict=strict)
                try:
                    text = data.decode("utf-8", "surrogatepass")
                except UnicodeDecodeError:
                    continue
                with pytest.raises(DecodeError):
                    runschema.loads(text, cls, strict=strict)

    @pytest.mark.parametrize(
        "path", [p for p in CORPUS if p.name.startswith(("y_", "i_"))], ids=str
    )
    def test_y_and_i_files_return_or_raise_ours(self, path: Path) -> None:
        """y_ and i_ files decode or raise SchemaError (never another exception)."""
        data = path.read_bytes()
        forms: list[bytes | str] = [data]
        with contextlib.suppress(UnicodeDecodeError):
            forms.append(data.decode("utf-8", "surrogatepass"))
        for form in forms:
            for cls in MODELS:
                for strict in (False, True):
                    _outcome(form, cls, strict)

    @pytest.mark.parametrize(
        "name",
        [
            "i_number_huge_exp.json",
            "i_number_neg_int_huge_exp.json",
            "i_number_pos_double_huge_exp.json",
            "i_number_real_neg_overflow.json",
            "i_number_real_pos_overflow.json",
        ],
    )
    def test_numbers_beyond_a_double_are_out_of_range(self, name: str) -> None:
        """Well-formed JSON with a number beyond what a double holds, which orjson refuses:
        read exactly, each such number is out_of_range where it is (it was "malformed JSON",
        json_invalid, for the whole text); an array is still no object."""
        text = (DATA / "JSONTestSuite" / "test_parsing" / name).read_bytes()
        with pytest.raises(DecodeError) as info:
            runschema.loads(text, runschema.Run)
        assert [(e.path, e.code) for e in info.value.errors] == [("$", "not_object")]
        number = text.strip()[1:-1]
        for doc in (b'{"x": %s, "y": [1, %s]}' % (number, number), b'{"x": -' + b"9" * 400 + b"}"):
            with pytest.raises(ValidationError) as found:
                runschema.loads(doc, runschema.Run)
            beyond = [(e.path, e.code) for e in found.value.errors if e.code != "missing"]
            assert beyond == [("$.x", "out_of_range"), ("$.y[1]", "out_of_range")][: len(beyond)]
            assert beyond[0] == ("$.x", "out_of_range")

    @pytest.mark.parametrize("path", [p for p in CORPUS if p.name.startswith("y_")], ids=str)
    def test_y_objects_are_not_decode_errors(self, path: Path) -> None:
        """A y_ file whose top level is an object is never a DecodeError."""
        data = path.read_bytes()
        if not isinstance(json.loads(data), dict):
            return
        result = _outcome(data, runschema.Run, False)
        assert not isinstance(result, DecodeError)


def _json_values() -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**70), max_value=2**70)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=20)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


_PATHS = [
    "$.id",
    "$.created_at",
    "$.status",
    "$.required_action",
    "$.required_action.submit_tool_outputs.tool_calls[0]",
    "$.required_action.submit_tool_outputs.tool_calls[0].function",
    "$.last_error",
    "$.tools",
    "$.tools[0]",
    "$.tools[1].file_search",
    "$.tools[1].file_search.ranking_options",
    "$.tools[2].function",
    "$.tools[2].function.parameters",
    "$.tool_resources",
    "$.metadata",
    "$.usage",
    "$.temperature",
    "$.truncation_strategy",
    "$.tool_choice",
    "$.response_format",
    "$.response_format.json_schema",
]

HYP = examples(300)


class TestNeverAnotherException:
    @HYP
    @given(st.binary(max_size=200), st.booleans())
    def test_arbitrary_bytes(self, data: bytes, strict: bool) -> None:
        """Arbitrary bytes: a value or a SchemaError."""
        _outcome(data, runschema.Run, strict)

    @HYP
    @given(st.text(max_size=200), st.booleans())
    def test_arbitrary_text(self, data: str, strict: bool) -> None:
        """Arbitrary text (lone surrogates included): a value or a SchemaError."""
        _outcome(data, runschema.Run, strict)

    @HYP
    @given(_json_values(), st.booleans(), st.sampled_from(MODELS))
    def test_random_json(self, value: Any, strict: bool, cls: type[Any]) -> None:
        """Well-formed JSON of the wrong shape: a value or a SchemaError."""
        _outcome(json.dumps(value), cls, strict)

    @HYP
    @given(st.sampled_from(_PATHS), _json_values(), st.booleans())
    def test_valid_run_one_field_replaced(self, path: str, value: Any, strict: bool) -> None:
        """A valid run with one field replaced by any JSON value: accepted losslessly or ours."""
        doc = set_at(FULL_RUN, path, value)
        data = json.dumps(doc)
        result = _outcome(data, runschema.Run, strict)
        if isinstance(result, runschema.Run):
            assert orjson.loads(runschema.dumps(result)) == json.loads(data)
        else:
            assert isinstance(result, runschema.ValidationError)
            assert result.errors
            for e in result.errors:
                assert e.path.startswith("$")
                assert e.code in runschema.ERROR_CODES

    @HYP
    @given(
        st.dictionaries(st.text(max_size=10), _json_values(), max_size=5),
        st.booleans(),
    )
    def test_unknown_keys_survive(self, extra: dict[str, Any], strict: bool) -> None:
        """Unknown keys added to a valid run are kept and written back, in both modes."""
        doc = dict(FULL_RUN)
        for k, v in extra.items():
            if k not in doc:
                doc[k] = v
        data = json.dumps(doc)
        result = _outcome(data, runschema.Run, strict)
        if isinstance(result, runschema.Run):
            assert orjson.loads(runschema.dumps(result)) == json.loads(data)
        else:  # only integers beyond 64 bits may stop it
            assert {e.code for e in result.errors} == {"out_of_range"}


#: Run in a child process: each shape made orjson 3.13's compact writer overrun its buffer
#: (glibc aborts the process, or it segfaults), found by an adversarial trial. Each must
#: now be refused as too_deep, or kept and written, and the process live on.
_DEEP_SHAPES = r"""
import orjson, runschema as rs

def chain(depth):
    v = 1
    for _ in range(depth):
        v = [v]
    return v

def text(depth, count=300):  # [chain(depth)] * count, written by hand: orjson's compact
    item = b"[" * depth + b"1" + b"]" * depth  # writer cannot be trusted with it
    return b"[" + b",".join([item] * count) + b"]"

def codes(fn):
    try:
        fn()
    except rs.SchemaError as e:
        return sorted({p.code for p in e.errors})
    return []

seed = rs.seed_example().strip()
for depth in (120, 200, 220, 235, 252):
    doc = seed[:-1] + b',"x":' + text(depth) + b"}"
    assert "too_deep" in codes(lambda: rs.loads(doc, rs.Run)), depth
    assert "too_deep" in codes(lambda: rs.structure(orjson.loads(doc), rs.Run)), depth
    # a data-only frame, read as the event it names: its data written as the event's text
    frame = b'data: {"event":"thread.future","data":' + text(depth) + b"}\n\n"
    errors = []
    rs.decode_stream(frame, on_error=errors.append)
    assert [p.code for e in errors for p in e.errors] == ["too_deep"], depth
    deep = rs.FrozenMap({"a": [chain(depth)] * 300})
    assert hash(deep) == hash(rs.FrozenMap({"a": [chain(depth)] * 300})) and deep == deep
# at the limit: kept, and written wherever runschema places it
for depth, kept in ((99, True), (100, False)):  # levels: one more than depth
    doc = seed[:-1] + b',"x":' + text(depth) + b"}"
    if kept:
        run = rs.loads(doc, rs.Run)
        page = rs.RunList(data=(run,) * 3, first_id="a", last_id="a", has_more=False)
        assert orjson.loads(rs.dumps(page))["data"][2]["x"] == orjson.loads(text(depth))
    else:
        assert "too_deep" in codes(lambda: rs.loads(doc, rs.Run))
print("lived")
"""


def test_values_orjson_cannot_write_safely_are_refused_and_the_process_lives(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    script = tmp_path / "deep.py"
    script.write_text(_DEEP_SHAPES)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr[-2000:]) == (0, "lived\n", "")
