"""The error model: paths, codes, messages, excerpts, and the decode boundary."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import orjson
import pytest

import runschema
from runschema import DecodeError, ErrorDetail, SchemaError, ValidationError
from runschema._kinds import VALUE_DEPTH as V
from tests.fixtures import FULL_RUN, full_run, set_at
from tests.streams import step


def _errors(data: bytes | str, *, strict: bool = False, cls: type[Any] = runschema.Run) -> Any:
    with pytest.raises(SchemaError) as info:
        runschema.loads(data, cls, strict=strict)
    return info.value


def _pairs(err: SchemaError) -> list[tuple[str, str]]:
    return [(e.path, e.code) for e in err.errors]


class TestPaths:
    @pytest.mark.parametrize(
        ("loc", "path"),
        [
            ((), "$"),
            (("tools", 2, "function", "name"), "$.tools[2].function.name"),
            (("metadata", "user_id"), "$.metadata.user_id"),
            (("metadata", "user id"), "$.metadata['user id']"),
            (("metadata", "1abc"), "$.metadata['1abc']"),
            (("metadata", ""), "$.metadata['']"),
            (("metadata", "it's"), "$.metadata['it\\'s']"),
            (("metadata", "back\\slash"), "$.metadata['back\\\\slash']"),
            (("metadata", "ünï"), "$.metadata['ünï']"),
            (("metadata", "a\udc00b"), "$.metadata['a\\udc00b']"),  # UTF-8 cannot carry it
            # found by a server author: a raw line end in a path; what is not printable is
            # escaped, so that a path is one line
            (("metadata", "a\nb"), "$.metadata['a\\nb']"),
            (("metadata", "\r\t\x00\x7f\x85\u2028"), "$.metadata['\\r\\t\\x00\\x7f\\x85\\u2028']"),
            (("metadata", "a\\nb"), "$.metadata['a\\\\nb']"),  # a backslash and an n
            (("metadata", "\U000e0001"), "$.metadata['\\U000e0001']"),
        ],
    )
    def test_format(self, loc: tuple[str | int, ...], path: str) -> None:
        """Identifier keys are dotted, other keys quoted with escapes, indexes bracketed."""
        assert runschema.ErrorDetail(loc=loc, code="type", message="m").path == path

    def test_a_key_of_lone_surrogates_can_be_answered(self) -> None:
        """A problem under a key UTF-8 cannot carry (data built in Python) is reported with
        the key escaped, so that the 400 body and the problem list can be written as JSON."""
        with pytest.raises(ValidationError) as info:
            runschema.structure({"metadata": {"\udc00": "x"}}, runschema.RunUpdateParams)
        assert _pairs(info.value) == [("$.metadata['\\udc00']", "invalid_string")]
        body = orjson.loads(orjson.dumps(info.value.to_openai_error()))
        assert body["error"]["param"] == "metadata.\\udc00"
        assert orjson.dumps(info.value.as_dicts())

    @pytest.mark.parametrize(
        ("loc", "param"),
        [
            (("my-key",), "my-key"),
            (("a.b",), "a.b"),
            (("metadata", "user id"), "metadata.user id"),
            (("metadata", "it's"), "metadata.it's"),
            (("tools", 2, "function", "name"), "tools[2].function.name"),
            ((0, "id"), "[0].id"),
            (("metadata", "k" * 200), "metadata." + "k" * 77 + "..."),
        ],
    )
    def test_param(self, loc: tuple[str | int, ...], param: str) -> None:
        """``param`` names a parameter as the upstream API does: keys dotted and never
        quoted, whatever they hold (the path is the exact form)."""
        assert runschema.ErrorDetail(loc=loc, code="type", message="m").param == param

    def test_param_of_an_unknown_top_level_key(self) -> None:
        """An unknown body key that a path must quote is named bare in the 400 answer."""
        with pytest.raises(ValidationError) as info:
            runschema.loads(b'{"my-key": 1}', runschema.RunUpdateParams, strict=True)
        error = info.value.to_openai_error()["error"]
        assert (error["param"], error["code"]) == ("my-key", "unknown_parameter")
        assert error["message"] == "Unknown parameter: 'my-key'."

    def test_quoted_metadata_key_in_validation(self) -> None:
        """A bad value under a non-identifier metadata key is reported with a quoted path."""
        doc = set_at(FULL_RUN, "$.metadata", {"user id": 5})
        err = _errors(orjson.dumps(doc))
        assert _pairs(err) == [("$.metadata['user id']", "type")]


class TestAllProblemsAtOnce:
    @staticmethod
    def _four_problems() -> bytes:
        doc = full_run()
        doc["created_at"] = "yesterday"
        doc["status"] = "paused"
        doc["tools"][1]["type"] = "browser"
        doc["metadata"]["user_id"] = 42
        return orjson.dumps(doc)

    def test_four_problems_four_details(self) -> None:
        """Bad created_at, unknown status, unknown tool type and bad metadata value: 4 details."""
        err = _errors(self._four_problems(), strict=True)
        assert isinstance(err, ValidationError)
        assert _pairs(err) == [
            ("$.created_at", "type"),
            ("$.status", "enum"),
            ("$.tools[1].type", "unknown_tag"),
            ("$.metadata.user_id", "type"),
        ]

    def test_lenient_keeps_what_strict_rejects(self) -> None:
        """In lenient mode the same document has only the two type errors."""
        err = _errors(self._four_problems())
        assert _pairs(err) == [("$.created_at", "type"), ("$.metadata.user_id", "type")]

    def test_every_missing_key_reported(self) -> None:
        """An empty object reports every required non-nullable key (lenient) or all (strict)."""
        lenient = _errors(b"{}")
        assert [p for p, c in _pairs(lenient) if c == "missing"] == [
            "$.id",
            "$.object",
            "$.created_at",
            "$.thread_id",
            "$.assistant_id",
            "$.status",
            "$.model",
            "$.tools",
            "$.parallel_tool_calls",
        ]
        strict = _errors(b"{}", strict=True)
        assert len(strict.errors) == 25
        assert {c for _, c in _pairs(strict)} == {"missing"}


class TestDetail:
    def test_message_names_expected_and_got(self) -> None:
        """The message says what was expected and what came."""
        err = _errors(orjson.dumps(set_at(FULL_RUN, "$.usage.total_tokens", "3")))
        (d,) = err.errors
        assert d.message == "expected an integer, got a string"
        assert d.input == '"3"'

    def test_input_excerpt_is_bounded(self) -> None:
        """A 1 MB bad value is excerpted to at most 100 characters."""
        big = ["x" * 1000] * 1000
        err = _errors(orjson.dumps(set_at(FULL_RUN, "$.model", big)))
        (d,) = err.errors
        assert d.input is not None
        assert len(d.input) <= 100
        assert d.input.endswith("...")

    def test_missing_has_no_input(self) -> None:
        """A missing key has no input excerpt."""
        doc = full_run()
        del doc["model"]
        (d,) = _errors(orjson.dumps(doc)).errors
        assert (d.path, d.code, d.input) == ("$.model", "missing", None)

    def test_str_is_multiline_summary(self) -> None:
        """str(err) has a count line and one line per problem: path, message, [code]."""
        doc = set_at(full_run(), "$.usage.total_tokens", "3")
        doc["model"] = None
        err = _errors(orjson.dumps(doc))
        assert str(err) == (
            "2 problems found\n"
            "  $.model: expected a string, got null [type]\n"
            "  $.usage.total_tokens: expected an integer, got a string [type]"
        )

    def test_as_dicts_is_json(self) -> None:
        """The details come out as plain dicts that JSON-encode."""
        err = _errors(orjson.dumps(set_at(FULL_RUN, "$.tools[2].function.name", 7)))
        assert err.as_dicts() == [
            {
                "path": "$.tools[2].function.name",
                "code": "type",
                "message": "expected a string, got an integer",
                "input": "7",
            }
        ]
        json.dumps(err.as_dicts())

    @pytest.mark.parametrize(
        ("body", "code", "upstream"),
        [
            ({}, "missing", "missing_required_parameter"),
            ({"assistant_id": "a", "foo": 1}, "unknown_field", "unknown_parameter"),
            ({"assistant_id": 5}, "type", "invalid_type"),
            ({"assistant_id": "a", "tools": [{"type": "browser"}]}, "unknown_tag", "invalid_value"),
            ({"assistant_id": "a", "tool_choice": "sometimes"}, "enum", "invalid_value"),
            (
                {"assistant_id": "a", "metadata": {"k" * 65: "v"}},
                "too_long",
                "property_name_above_max_length",
            ),
            (
                {"assistant_id": "a", "metadata": {"k": "v" * 513}},
                "too_long",
                "string_above_max_length",
            ),
            (
                {"assistant_id": "a", "metadata": {str(i): "v" for i in range(17)}},
                "too_many",
                "object_above_max_properties",
            ),
            (
                {"assistant_id": "a", "tools": [{"type": "code_interpreter"}] * 21},
                "too_many",
                "array_above_max_length",
            ),
            (
                {"assistant_id": "a", "additional_messages": [{"role": "user", "content": []}]},
                "too_few",
                "empty_array",
            ),
            ({"assistant_id": "a", "temperature": 2.5}, "out_of_range", "decimal_above_max_value"),
            ({"assistant_id": "a", "top_p": -1}, "out_of_range", "decimal_below_min_value"),
            (
                {"assistant_id": "a", "max_prompt_tokens": 255},
                "out_of_range",
                "integer_below_min_value",
            ),
            ({"assistant_id": "a", "max_prompt_tokens": 2**70}, "out_of_range", "invalid_value"),
        ],
    )
    def test_the_upstream_code_of_each_problem(
        self, body: dict[str, Any], code: str, upstream: str
    ) -> None:
        """Found by a server author: to_openai_error answered with runschema's codes
        (unknown_field, type) where clients of the upstream API look for its own
        (unknown_parameter, invalid_type)."""
        with pytest.raises(ValidationError) as info:
            runschema.loads(json.dumps(body), runschema.CreateRunParams, strict=True)
        first = info.value.errors[0]
        assert (first.code, first.openai_code) == (code, upstream)
        assert info.value.to_openai_error()["error"]["code"] == upstream

    def test_the_upstream_code_where_it_had_none(self) -> None:
        """A problem the upstream API had no code for keeps runschema's; an array short of
        a minimum above one is array_below_min_length."""
        with pytest.raises(runschema.DecodeError) as info:
            runschema.loads(b"{", runschema.Run)
        assert info.value.to_openai_error()["error"]["code"] == "json_invalid"
        short = ErrorDetail(
            loc=("x",), code="too_few", message="expected at least 2 items", input="[1]"
        )
        assert short.openai_code == "array_below_min_length"

    def test_openai_error_body(self) -> None:
        """to_openai_error() gives the body a service answers a 400 with."""
        err = _errors(orjson.dumps(set_at(FULL_RUN, "$.tools[2].function.name", 7)))
        assert err.to_openai_error() == {
            "error": {
                "message": "Invalid type for 'tools[2].function.name': expected a string, got an "
                "integer.",
                "type": "invalid_request_error",
                "param": "tools[2].function.name",
                "code": "invalid_type",
            }
        }

    def test_every_code_the_type_allows_is_documented(self) -> None:
        """ErrorCode (which mypy checks at every place a problem is recorded) and the
        documented vocabulary are the same set: no code is emitted undocumented."""
        from typing import get_args

        assert set(get_args(runschema.ErrorCode)) == set(runschema.ERROR_CODES)
        assert all(runschema.ERROR_CODES.values())

    def test_codes_are_documented(self) -> None:
        """Every code the library emits is in the documented vocabulary."""
        for code in ("missing", "type", "enum", "unknown_tag", "unknown_field", "too_long"):
            assert code in runschema.ERROR_CODES
        for code in ("too_many", "out_of_range", "not_finite", "invalid_string", "const"):
            assert code in runschema.ERROR_CODES

    def test_errors_pickle(self) -> None:
        """Errors survive pickling (for process pools and task queues)."""
        err = _errors(b"{}")
        again = pickle.loads(pickle.dumps(err))
        assert type(again) is ValidationError
        assert again.errors == err.errors
        dec = _errors(b"{")
        again_dec = pickle.loads(pickle.dumps(dec))
        assert (again_dec.lineno, again_dec.colno) == (dec.lineno, dec.colno)

    def test_family(self) -> None:
        """Both errors are SchemaErrors, which are ValueErrors."""
        assert issubclass(DecodeError, SchemaError)
        assert issubclass(ValidationError, SchemaError)
        assert issubclass(SchemaError, ValueError)
        assert isinstance(ErrorDetail(loc=(), code="type", message="y"), ErrorDetail)


class TestDecodeErrors:
    @pytest.mark.parametrize(
        ("data", "code"),
        [
            (b"", "empty"),
            ("", "empty"),
            (b" \n\t", "empty"),
            (b"\x0b", "json_invalid"),  # no JSON whitespace (found by an archive reader)
            (b" \x0c\n", "json_invalid"),
            ("\u00a0", "json_invalid"),
            (b"{", "json_invalid"),
            (b'{"a": 1,}', "json_invalid"),
            (b"{'a': 1}", "json_invalid"),
            (b"NaN", "json_invalid"),
            (b'{"a": NaN}', "json_invalid"),
            (b'{"a": Infinity}', "json_invalid"),
            (b'{"a": 1e400, "b": NaN}', "out_of_range"),  # the first orjson meets
            (b"\xef\xbb\xbf\xef\xbb\xbf{}", "encoding"),  # lenient skips one mark, not two
            ("\ufeff" * 100_000 + "{}", "encoding"),
            (b"\xef\xbb\xbf", "empty"),
            (b'{"a": "\xff"}', "encoding"),
            (b'{"a": "\xed\xa0\x80"}', "encoding"),
            ('{"a": 1, "\ud800": 2}', "encoding"),  # in a key: at its object
            (b'{"a": 1, "\\ud800": 2}', "encoding"),
            (b"[" * 2000 + b"]" * 2000, "too_deep"),
            (b"[]", "not_object"),
            (b'"run"', "not_object"),
            (b"null", "not_object"),
            (b"1", "not_object"),
        ],
    )
    def test_codes(self, data: bytes | str, code: str) -> None:
        """Each kind of non-document gets a DecodeError with its own code."""
        err = _errors(data)
        assert type(err) is DecodeError
        assert _pairs(err) == [("$", code)]

    @pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview, lambda b: b.decode()])
    def test_a_byte_order_mark(self, wrap: Any) -> None:
        """Found by an archive reader: the CLI and parse_response skip a byte order mark in
        lenient mode (as HTTP clients and Python's json do) and loads refused it; lenient
        skips one, strict says it (``encoding``)."""
        body = b"\xef\xbb\xbf" + runschema.seed_example()
        assert runschema.loads(wrap(body), runschema.Run).id == "run_abc123"
        tool = runschema.loads(wrap(b'\xef\xbb\xbf{"type": "code_interpreter"}'), runschema.Tool)
        assert tool == runschema.CodeInterpreterTool()
        targets: list[Any] = [runschema.Run, runschema.Tool]  # a model, and a union
        for cls in targets:
            err = _errors(wrap(body), strict=True, cls=cls)
            assert type(err) is DecodeError
            assert _pairs(err) == [("$", "encoding")]

    @pytest.mark.parametrize(
        ("data", "where"),
        [
            (b'{"a": 1', "line 1, column 8"),
            (b'{"a": 1\n', "line 1, column 8"),  # a JSONL line cut short, its newline kept
            (b'{"a": 1\r\n', "line 1, column 8"),
            ('{"a":\n 1\n\n', "line 2, column 3"),
            (b'{"a": x}\n', "line 1, column 7"),  # not at the end: orjson's own position
        ],
    )
    def test_position_of_a_document_cut_short(self, data: bytes | str, where: str) -> None:
        """A document cut short is reported where its text ends, not past a line end after
        it (a truncated JSONL line would otherwise say line 2, column 1)."""
        err = _errors(data)
        assert _pairs(err) == [("$", "json_invalid")]
        assert err.errors[0].message.endswith(f" at {where}")

    @pytest.mark.parametrize("data", [None, 1, 1.5, {}, [], object(), bytearray(b"x{")])
    def test_input_type(self, data: Any) -> None:
        """Input that is neither bytes nor str is a DecodeError (bytearray is bytes-like)."""
        with pytest.raises(DecodeError) as info:
            runschema.loads(data, runschema.Run)
        expected = "json_invalid" if isinstance(data, bytearray) else "input_type"
        assert _pairs(info.value) == [("$", expected)]

    def test_str_and_bytes_subclasses(self) -> None:
        """Subclasses of str and bytes decode like their base (orjson takes exact types only)."""

        class Text(str):
            pass

        class Raw(bytes):
            pass

        seed = runschema.seed_example()
        expected = runschema.loads(seed, runschema.Run)
        assert runschema.loads(Text(seed.decode()), runschema.Run) == expected
        assert runschema.loads(Raw(seed), runschema.Run) == expected
        with pytest.raises(DecodeError) as info:
            runschema.loads(Text("{"), runschema.Run)
        assert _pairs(info.value) == [("$", "json_invalid")]

    def test_position(self) -> None:
        """Malformed JSON reports line and column of the problem."""
        err = _errors(b'{\n  "id": "x",\n  "model": ?\n}')
        assert isinstance(err, DecodeError)
        assert (err.lineno, err.colno) == (3, 12)
        assert "line 3, column 12" in err.errors[0].message

    def test_encoding_messages(self) -> None:
        """Invalid UTF-8 and lone surrogates are told apart in the message, each where it
        is, in the message and the attributes alike (found by a user reading the
        docstrings: a surrogate in a str was at line 1, column 1 wherever it was, and the
        attributes of invalid UTF-8 said so too). A lone surrogate is said at the path of
        its string, or of the object whose key holds it (found by an archive reader: at
        ``$``, where 1e999 is said at its field); invalid UTF-8 has no path to give."""
        cases: list[tuple[bytes | str, str, str, tuple[int, int, int]]] = [
            (
                b'{"id": "\xff"}',
                "$",
                "the bytes are not valid UTF-8 at line 1, column 9",
                (8, 1, 9),
            ),
            (
                b'{"id":\n "\xc3\xa9\xff"}',
                "$",
                "the bytes are not valid UTF-8 at line 2, column 4",
                (10, 2, 4),
            ),
            (
                '{"a":"\ud800"}',
                "$.a",
                "the text holds lone surrogates at line 1, column 7",
                (6, 1, 7),
            ),
            (
                '{\n "a": 1,\n "b": ["x\udc00"]}',
                "$.b[0]",
                "the text holds lone surrogates at line 3, column 10",
                (20, 3, 10),
            ),
            (
                '{"a": "\\ud800"}',
                "$.a",
                "a lone surrogate escape: no low surrogate in string at line 1, column 8",
                (7, 1, 8),
            ),
            (
                b'{"a": [{"b": 1}, {"\\udc00": 2}]}',
                "$.a[1]",
                "a lone surrogate escape: invalid high surrogate in string at line 1, column 20",
                (19, 1, 20),
            ),
            (  # the first in the text: a value before a key that holds one
                b'{"a": "x\\ud800", "\\udc00": 1}',
                "$.a",
                "a lone surrogate escape: no low surrogate in string at line 1, column 9",
                (8, 1, 9),
            ),
            (  # Python's json cannot read it either: no path to give
                b'{"a": "\\ud800", }',
                "$",
                "a lone surrogate escape: no low surrogate in string at line 1, column 8",
                (7, 1, 8),
            ),
        ]
        for data, path, message, (pos, line, column) in cases:
            err = _errors(data)
            assert [(e.path, e.code, e.message) for e in err.errors] == [
                (path, "encoding", message)
            ]
            assert isinstance(err, runschema.DecodeError)
            assert (err.pos, err.lineno, err.colno) == (pos, line, column)

    def test_memoryview_and_bytearray(self) -> None:
        """bytearray and memoryview inputs decode like bytes."""
        data = orjson.dumps(FULL_RUN)
        a = runschema.loads(bytearray(data), runschema.Run)
        b = runschema.loads(memoryview(data), runschema.Run)
        assert a == b == runschema.loads(data, runschema.Run)


class TestNoSilentChange:
    @pytest.mark.parametrize(
        ("path", "literal"),
        [
            ("$.created_at", "18446744073709551616"),
            ("$.usage.total_tokens", "-9223372036854775809"),
            ("$.temperature", "100000000000000000000000"),
            ("$.tools[2].function.parameters.maximum", "99999999999999999999999"),
            ("$.response_format.json_schema.schema.x", "-99999999999999999999"),
        ],
    )
    def test_integer_beyond_64_bits(self, path: str, literal: str) -> None:
        """An integer literal orjson would read as a float is rejected, not rounded."""
        doc = set_at(FULL_RUN, path, "@@")
        data = json.dumps(doc).replace('"@@"', literal)
        for form in (data, data.encode()):
            for strict in (False, True):
                err = _errors(form, strict=strict)
                assert _pairs(err) == [(path, "out_of_range")]
                assert err.errors[0].input == literal

    def test_64_bit_edges_accepted(self) -> None:
        """uint64 max and int64 min are kept exactly, inside JSON objects too."""
        doc = set_at(FULL_RUN, "$.tools[2].function.parameters", {"a": 2**64 - 1, "b": -(2**63)})
        data = json.dumps(doc).encode()
        run = runschema.loads(data, runschema.Run, strict=True)
        assert orjson.loads(runschema.dumps(run)) == json.loads(data)

    def test_large_float_literals_are_kept(self) -> None:
        """Floats written as floats stay floats, however large (they take the slow path)."""
        doc = set_at(FULL_RUN, "$.temperature", 1e20)
        doc = set_at(doc, "$.tools[2].function.parameters", {"a": -1.5e19, "b": 9.3e18})
        data = orjson.dumps(doc)
        for form in (data, bytearray(data), memoryview(data), data.decode()):
            run = runschema.loads(form, runschema.Run)
            assert run.temperature == 1e20
            assert orjson.loads(runschema.dumps(run)) == doc

    def test_long_digit_runs_in_strings_are_fine(self) -> None:
        """Long digit runs inside strings trigger the exact re-parse but are not errors."""
        doc = set_at(FULL_RUN, "$.id", "run_" + "1" * 40)
        run = runschema.loads(orjson.dumps(doc), runschema.Run, strict=True)
        assert run.id == "run_" + "1" * 40

    @staticmethod
    def _deep(levels: int) -> Any:  # levels arrays around 1
        value: Any = 1
        for _ in range(levels):
            value = [value]
        return value

    def test_nesting_orjson_cannot_write_is_rejected(self) -> None:
        """orjson reads 1024 levels, and runschema writes at most MAX_DEPTH (116): a JSON
        value kept may nest VALUE_DEPTH (100) levels from its own top, so that it can be
        written wherever it is placed; deeper ones are too_deep, with a path."""
        # parameters (1) > d (2) > [0] (3) > ...
        fits = set_at(FULL_RUN, "$.tools[2].function.parameters", {"d": self._deep(V - 1)})
        run = runschema.loads(orjson.dumps(fits), runschema.Run, strict=True)
        assert orjson.loads(runschema.dumps(run)) == fits
        deeper = set_at(FULL_RUN, "$.tools[2].function.parameters", {"d": self._deep(V)})
        for strict in (False, True):
            err = _errors(json.dumps(deeper), strict=strict)
            assert len(err.errors) == 1
            (d,) = err.errors
            assert d.code == "too_deep"
            assert d.path == "$.tools[2].function.parameters.d" + "[0]" * (V - 1)  # level V + 1
        unknown_key = dict(FULL_RUN, extra=self._deep(300))
        err = _errors(json.dumps(unknown_key))
        assert [e.code for e in err.errors] == ["too_deep"]

    def test_a_value_kept_fits_wherever_it_is_placed(self) -> None:
        """A run read alone with values as deep as may be (an unknown key's, a function's
        parameters) is written inside a list page or a stream event too, and so is a step."""
        deep = dict(FULL_RUN, extra=self._deep(V))  # V arrays: as deep as a value may be
        deep = set_at(deep, "$.tools[2].function.parameters", {"d": self._deep(V - 1)})
        run = runschema.loads(orjson.dumps(deep), runschema.Run)
        page = runschema.paginate([run], runschema.ListRunsParams())
        assert orjson.loads(runschema.LIST_RUNS.respond(page).body)["data"] == [deep]
        assert orjson.loads(runschema.dumps(page))["data"] == [deep]
        assert runschema.unstructure(page)["data"] == [deep]
        frame = runschema.encode_event(runschema.RunEvent("thread.run.created", run))
        assert runschema.decode_stream(frame) == [runschema.RunEvent("thread.run.created", run)]
        done = step("completed", runschema.ToolCallsDetails(tool_calls=()))
        step_doc = dict(orjson.loads(runschema.dumps(done)), x=self._deep(V))
        kept = runschema.loads(orjson.dumps(step_doc), runschema.RunStep)
        steps = runschema.RunStepList(
            data=(kept,), first_id=kept.id, last_id=kept.id, has_more=False
        )
        assert orjson.loads(runschema.dumps(steps))["data"] == [step_doc]
        too_deep = dict(FULL_RUN, extra=self._deep(V + 1))
        err = _errors(orjson.dumps(too_deep))
        assert [(e.path, e.code) for e in err.errors] == [("$.extra" + "[0]" * V, "too_deep")]

    def test_nesting_built_in_python(self) -> None:
        """JSON values built in Python follow the same rule."""
        runschema.FunctionDefinition(name="f", parameters={"d": self._deep(V - 1)})
        with pytest.raises(ValidationError) as info:
            runschema.FunctionDefinition(name="f", parameters={"d": self._deep(V)})
        assert [(e.path, e.code) for e in info.value.errors] == [
            ("$.parameters.d" + "[0]" * (V - 1), "too_deep")
        ]

    @pytest.mark.parametrize("ts", [-62135596801, 253402300800])
    def test_timestamps_beyond_datetime(self, ts: int) -> None:
        """A timestamp datetime cannot hold is out_of_range, in both modes."""
        for strict in (False, True):
            err = _errors(orjson.dumps(set_at(FULL_RUN, "$.created_at", ts)), strict=strict)
            assert _pairs(err) == [("$.created_at", "out_of_range")]

    @pytest.mark.parametrize("ts", [-62135596800, 0, -1, 253402300799])
    def test_timestamps_at_datetime_edges(self, ts: int) -> None:
        """The extreme timestamps datetime can hold decode and encode back to the same int."""
        data = orjson.dumps(set_at(FULL_RUN, "$.created_at", ts))
        run = runschema.loads(data, runschema.Run, strict=True)
        assert orjson.loads(runschema.dumps(run))["created_at"] == ts


class TestBuiltInPython:
    """``structure()`` takes dicts built in Python: what orjson could not write is an error."""

    @pytest.mark.parametrize(
        ("path", "value", "strict", "expected"),
        [
            ("$.id", "run_\ud800", False, ("$.id", "invalid_string")),
            ("$.status", "\udfff", False, ("$.status", "invalid_string")),
            ("$.metadata", {"k": "\ud800"}, False, ("$.metadata.k", "invalid_string")),
            ("$.metadata", {"k": "\ud800"}, True, ("$.metadata.k", "invalid_string")),
            ("$.metadata", {1: "v"}, False, ("$.metadata", "type")),
            (
                "$.tools[2].function.parameters",
                {"a": ["\ud800"]},
                True,
                ("$.tools[2].function.parameters.a[0]", "invalid_string"),
            ),
            (
                "$.tools[2].function.parameters",
                {2: "x"},
                False,
                ("$.tools[2].function.parameters", "type"),
            ),
            ("$.x_unknown", "\ud800", False, ("$.x_unknown", "invalid_string")),
        ],
    )
    def test_unwritable(
        self, path: str, value: Any, strict: bool, expected: tuple[str, str]
    ) -> None:
        """Lone surrogates and non-string keys anywhere: reported, never accepted."""
        doc = set_at(FULL_RUN, path, value)
        with pytest.raises(ValidationError) as info:
            runschema.structure(doc, runschema.Run, strict=strict)
        assert _pairs(info.value) == [expected]

    def test_clean_dicts_round_trip(self) -> None:
        """The guard costs nothing in meaning: a clean dict gives the same run as its bytes."""
        run = runschema.structure(copy.deepcopy(FULL_RUN), runschema.Run, strict=True)
        assert run == runschema.loads(orjson.dumps(FULL_RUN), runschema.Run, strict=True)
        assert orjson.loads(runschema.dumps(run)) == FULL_RUN
