"""Promises at the edges: lossless after a change, equality, bounded rejection, no crash at a
boundary (issue 14). Each test here failed before the change it guards."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

import attrs
import orjson
import pytest
from cattrs.errors import ClassValidationError
from hypothesis import given
from hypothesis import strategies as st

import runschema
from runschema import (
    UNSET,
    APIError,
    FunctionDefinition,
    RequestError,
    RequiredAction,
    Run,
    RunUpdateParams,
    SubmitToolOutputs,
    UnknownTool,
    UnknownValue,
    Usage,
    ValidationError,
)
from runschema import strategies as rs
from tests.fixtures import examples, full_run

SEED = runschema.seed_example()
ACTION = RequiredAction(submit_tool_outputs=SubmitToolOutputs(tool_calls=()))
HYP = examples(100)


def _codes(e: runschema.SchemaError) -> list[tuple[str, str]]:
    return [(d.path, d.code) for d in e.errors]


def modify_run(*args: Any, **kwargs: Any) -> runschema.Request:
    return runschema.modify_run(*args, **kwargs)  # type: ignore[deprecated]


class TestLosslessAfterChange:
    def test_absent_key_set_with_evolve_is_written(self) -> None:
        """A key the decode found absent and evolve then set is written by every encoder."""
        run = runschema.loads(SEED, Run)
        assert runschema.absent_fields(run) == {"required_action"}
        moved = attrs.evolve(run, status="requires_action", required_action=ACTION)
        assert runschema.absent_fields(moved) == frozenset()
        want = {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": []}}
        assert orjson.loads(runschema.dumps(moved))["required_action"] == want
        assert runschema.unstructure(moved)["required_action"] == want
        assert runschema.LENIENT.unstructure(moved)["required_action"] == want
        runschema.validate(moved, strict=False)

    def test_absent_key_left_none_stays_absent(self) -> None:
        """An absent key that evolve leaves None stays absent: the rest changed."""
        run = runschema.loads(SEED, Run)
        moved = attrs.evolve(run, status="cancelled")
        assert "required_action" not in orjson.loads(runschema.dumps(moved))
        assert runschema.absent_fields(moved) == {"required_action"}

    def test_fill_absent_writes_null(self) -> None:
        """fill_absent: a key that was absent is written as null from now on (strict mode
        then reads the seed), unknown keys stay, and nothing absent gives the object back."""
        doc = orjson.loads(SEED)
        doc["x_new"] = [1]
        run = runschema.loads(orjson.dumps(doc), Run)
        filled = runschema.fill_absent(run)
        out = orjson.loads(runschema.dumps(filled))
        assert out == {**doc, "required_action": None}
        assert runschema.absent_fields(filled) == frozenset()
        assert runschema.unknown_fields(filled) == {"x_new": (1,)}
        assert runschema.loads(runschema.dumps(filled), Run, strict=True) == filled
        assert runschema.fill_absent(filled) is filled

    def test_fill_absent_at_any_depth(self) -> None:
        """A nested object's absent key (a step's function call without ``output``, inside a
        tuple) is filled too; objects with nothing absent are kept as they are."""
        call = {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
        step = {
            "id": "step_1",
            "object": "thread.run.step",
            "created_at": 1699075072,
            "assistant_id": "asst_1",
            "thread_id": "thread_1",
            "run_id": "run_1",
            "type": "tool_calls",
            "status": "in_progress",
            "step_details": {"type": "tool_calls", "tool_calls": [call]},
            "last_error": None,
            "expired_at": None,
            "cancelled_at": None,
            "failed_at": None,
            "completed_at": None,
            "metadata": None,
            "usage": None,
        }
        value = runschema.loads(orjson.dumps(step), runschema.RunStep)
        assert (
            "output"
            not in orjson.loads(runschema.dumps(value))["step_details"]["tool_calls"][0]["function"]
        )
        filled = runschema.fill_absent(value)
        written = orjson.loads(runschema.dumps(filled))
        assert written["step_details"]["tool_calls"][0]["function"]["output"] is None
        assert runschema.loads(runschema.dumps(filled), runschema.RunStep, strict=True) == filled
        event = runschema.RunStepEvent("thread.run.step.created", value)
        assert runschema.fill_absent(event) == runschema.RunStepEvent(
            "thread.run.step.created", filled
        )
        assert b'"output":null' in runschema.encode_event(runschema.fill_absent(event))

    def test_unknown_keys_survive_evolve(self) -> None:
        """Unknown keys stay while an absent key becomes present."""
        doc = orjson.loads(SEED)
        doc["x_new"] = {"a": [1]}
        run = attrs.evolve(runschema.loads(orjson.dumps(doc), Run), required_action=ACTION)
        out = orjson.loads(runschema.dumps(run))
        assert out["x_new"] == {"a": [1]}
        assert "required_action" in out

    @HYP
    @given(rs.run_json_with_unknowns(), rs.runs(), st.data())
    def test_any_field_set_with_evolve_round_trips(
        self, doc: dict[str, Any], donor: Run, data: st.DataObject
    ) -> None:
        """For any decoded run and any field set with evolve: loads(dumps(x)) == x, new value
        included."""
        run = runschema.loads(orjson.dumps(doc), Run)
        name = data.draw(st.sampled_from([a.name for a in attrs.fields(Run) if a.init]))
        if name == "_rs_extra":
            return
        value = getattr(donor, name)
        changed = attrs.evolve(run, **{name: value})
        again = runschema.loads(runschema.dumps(changed), Run)
        assert again == changed
        assert getattr(again, name) == value
        assert runschema.unstructure(changed) == orjson.loads(runschema.dumps(changed))


class TestTimestampsGivenInPython:
    def _usage_run(self, **kw: Any) -> Run:
        fields: dict[str, Any] = {
            "id": "run_1",
            "created_at": datetime(2024, 1, 1, tzinfo=timezone.utc),
            "thread_id": "t",
            "assistant_id": "a",
            "status": "queued",
            "model": "m",
            "tools": (),
            "parallel_tool_calls": True,
        }
        return Run(**{**fields, **kw})

    def test_offsets_are_converted(self) -> None:
        """A whole-second offset is converted to UTC, the instant kept."""
        tz = timezone(timedelta(hours=5, minutes=30))
        run = self._usage_run(expires_at=datetime(2024, 1, 1, 5, 30, tzinfo=tz))
        assert run.expires_at == datetime(2024, 1, 1, tzinfo=timezone.utc)
        assert run.expires_at is not None
        assert run.expires_at.tzinfo is timezone.utc
        assert orjson.loads(runschema.dumps(run))["expires_at"] == 1704067200

    def test_sub_second_offset_is_refused(self) -> None:
        """An offset with microseconds gives a datetime off the whole second in UTC: refused,
        not truncated later by dumps."""
        tz = timezone(timedelta(hours=1, microseconds=500_000))
        with pytest.raises(ValidationError) as info:
            self._usage_run(started_at=datetime(2024, 1, 1, tzinfo=tz))
        assert _codes(info.value) == [("$.started_at", "invalid_timestamp")]
        assert ".replace(microsecond=0)" in info.value.errors[0].message

    @pytest.mark.parametrize(
        "when",
        [
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
            datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-2))),
        ],
    )
    def test_offset_past_what_datetime_holds(self, when: datetime) -> None:
        """An offset that moves the date past year 1 or 9999 is a ValidationError, never an
        OverflowError."""
        with pytest.raises(ValidationError) as info:
            self._usage_run(failed_at=when)
        assert _codes(info.value) == [("$.failed_at", "out_of_range")]

    def test_a_tzinfo_that_fails(self) -> None:
        """A tzinfo of the caller's own that raises is a ValidationError, not its exception."""

        class Broken(tzinfo):
            def utcoffset(self, dt: datetime | None) -> timedelta:
                raise RuntimeError("no")

            def dst(self, dt: datetime | None) -> timedelta | None:
                return None

            def tzname(self, dt: datetime | None) -> str | None:
                return None

        broken = datetime(2024, 1, 1, tzinfo=Broken())
        with pytest.raises(ValidationError) as info:
            self._usage_run(completed_at=broken)
        assert _codes(info.value) == [("$.completed_at", "invalid_timestamp")]
        # such a value anywhere in data built in Python (orjson 3.13 segfaults writing it)
        doc = full_run()
        doc["usage"]["total_tokens"] = broken
        doc["metadata"] = {"k": broken}
        with pytest.raises(ValidationError) as info:
            runschema.structure(doc, Run)
        assert _codes(info.value) == [("$.metadata.k", "type"), ("$.usage.total_tokens", "type")]
        assert runschema.FrozenMap({"a": broken}) != runschema.FrozenMap({"a": 1})

    def test_microseconds_say_how_to_fix(self) -> None:
        """A datetime with microseconds is refused with the fix in the message."""
        with pytest.raises(ValidationError) as info:
            self._usage_run(created_at=datetime(2024, 1, 1, 0, 0, 0, 5, tzinfo=timezone.utc))
        assert _codes(info.value) == [("$.created_at", "invalid_timestamp")]
        assert ".replace(microsecond=0)" in info.value.errors[0].message


class _Filtered(dict[str, str]):
    """A dict whose items() and len() show only the first 16 pairs."""

    def items(self) -> Any:
        return list(super().items())[:16]

    def __len__(self) -> int:
        return min(16, super().__len__())


class TestRequestsSendWhatWasChecked:
    @pytest.mark.parametrize(
        ("extra", "path", "code"),
        [
            ({"x": float("nan")}, "$.extra_body.x", "not_finite"),
            ({"x": [float("inf")]}, "$.extra_body.x[0]", "not_finite"),
            ({"x": {"y": 2**64}}, "$.extra_body.x.y", "out_of_range"),
            ({"x": "\ud800"}, "$.extra_body.x", "invalid_string"),
            ({"x": {1: 2}}, "$.extra_body.x", "type"),
            ({"x": object()}, "$.extra_body.x", "type"),
        ],
    )
    def test_extra_body_values_json_cannot_carry(
        self, extra: dict[str, Any], path: str, code: str
    ) -> None:
        """extra_body values that orjson would change or refuse are RequestErrors."""
        with pytest.raises(RequestError) as info:
            modify_run("t", "r", extra_body=extra)
        assert _codes(info.value) == [(path, code)]

    def test_extra_body_sent_exactly(self) -> None:
        """Valid extra_body values go out as given (tuples as arrays)."""
        req = modify_run("t", "r", extra_body={"a": (1, {"b": True}), "c": None})
        assert req.body == b'{"a":[1,{"b":true}],"c":null}'

    def test_metadata_limits_checked_on_the_copy_kept(self) -> None:
        """A mapping whose items()/len() hide pairs cannot slip more than 16 past the check."""
        sneaky = _Filtered({str(i): "v" for i in range(20)})
        with pytest.raises(ValidationError) as info:
            runschema.validate(RunUpdateParams(metadata=sneaky))
        assert _codes(info.value) == [("$.metadata", "too_many")]
        with pytest.raises(ValidationError):
            modify_run("t", "r", metadata=sneaky)

    def test_metadata_values_checked_on_the_copy(self) -> None:
        """The values a copy takes are the ones checked."""
        sneaky = _Filtered({"k": "v" * 600})
        sneaky.update({str(i): "v" for i in range(3)})
        with pytest.raises(ValidationError) as info:
            runschema.validate(RunUpdateParams(metadata=sneaky))
        assert _codes(info.value) == [("$.metadata.k", "too_long")]


class TestJsonEquality:
    def _run_with_parameters(self, value: Any) -> Run:
        doc = full_run()
        doc["tools"][2]["function"]["parameters"] = {"type": "object", "x": value}
        return runschema.loads(orjson.dumps(doc), Run)

    def test_true_is_not_one_in_parameters(self) -> None:
        """Runs whose parameters differ by true against 1 encode differently and are unequal."""
        a, b = self._run_with_parameters(True), self._run_with_parameters(1)
        assert runschema.dumps(a) != runschema.dumps(b)
        assert a != b
        assert len({a, b}) == 2

    def test_one_is_not_one_point_zero(self) -> None:
        """1 and 1.0 encode differently: unequal in JSON values and in number fields."""
        assert self._run_with_parameters(1) != self._run_with_parameters(1.0)
        doc = full_run()
        one, point = dict(doc, temperature=1), dict(doc, temperature=1.0)
        a = runschema.loads(orjson.dumps(one), Run)
        b = runschema.loads(orjson.dumps(point), Run)
        assert a != b
        assert a == runschema.loads(orjson.dumps(one), Run)

    def test_unknown_keys(self) -> None:
        """An unknown key holding true differs from one holding 1."""
        a = runschema.loads(orjson.dumps(dict(full_run(), x=True)), Run)
        b = runschema.loads(orjson.dumps(dict(full_run(), x=1)), Run)
        assert a != b

    def test_key_order_does_not_matter(self) -> None:
        """JSON objects are unordered: key order makes no difference."""
        a = FunctionDefinition(name="f", parameters={"a": 1, "b": [True]})
        b = FunctionDefinition(name="f", parameters={"b": [True], "a": 1})
        assert a == b
        assert hash(a) == hash(b)

    @HYP
    @given(rs.run_json_with_unknowns(), rs.run_json_with_unknowns())
    def test_equal_exactly_when_the_json_is(self, x: dict[str, Any], y: dict[str, Any]) -> None:
        """Two runs are equal exactly when they encode to the same JSON, key order aside."""
        a = runschema.loads(orjson.dumps(x), Run)
        b = runschema.loads(orjson.dumps(y), Run)
        canon = orjson.OPT_SORT_KEYS

        def text(r: Run) -> bytes:
            return orjson.dumps(orjson.loads(runschema.dumps(r)), option=canon)

        assert (a == b) == (text(a) == text(b))
        assert a == runschema.loads(orjson.dumps(x), Run)


class TestBoundedRejection:
    def test_problems_are_capped(self) -> None:
        """A document with hundreds of problems reports the first 100 and a count of the rest."""
        doc = full_run()
        doc["metadata"] = {f"k{i}": i for i in range(500)}
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), Run, strict=True)
        errors = info.value.errors
        assert len(errors) == 101
        assert errors[-1].code == "too_many_problems"
        assert errors[-1].path == "$"
        assert errors[-1].message.startswith("401 more problems")

    def test_counting_stops(self) -> None:
        """Past 1,000 problems the check stops: the last entry says 'at least'."""
        doc = full_run()
        doc["tools"] = [{"type": 5}] * 30_000
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), Run)
        errors = info.value.errors
        assert len(errors) == 101
        assert errors[-1].message.startswith("at least 900 more problems not listed")
        # a service hands it back: the body counts what was left out, as a lower bound
        message = info.value.to_openai_error()["error"]["message"]
        assert message.endswith("(at least 990 more problems.)")
        assert runschema.errors_of(info.value).errors == errors
        with pytest.raises(ValidationError) as info:
            Run(
                **{
                    **attrs.asdict(runschema.loads(SEED, Run), recurse=False),
                    "tools": (5,) * 20_000,
                }
            )
        assert info.value.errors[-1].code == "too_many_problems"

    def test_no_cap_below_the_limit(self) -> None:
        """Fewer problems than the cap are all listed, with no extra entry."""
        doc = full_run()
        doc["metadata"] = {f"k{i}": i for i in range(10)}
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), Run)
        assert [e.code for e in info.value.errors] == ["type"] * 10

    @pytest.mark.parametrize(
        ("path", "code"),
        [
            ("status", "enum"),
            ("object", "const"),
            ("tool_choice", "enum"),
        ],
    )
    def test_messages_hold_a_bounded_excerpt(self, path: str, code: str) -> None:
        """A 1 MB bad string gives a short message and a short excerpt."""
        doc = full_run()
        doc[path] = "x" * 1_000_000
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), Run, strict=True)
        (error,) = info.value.errors
        assert error.code == code
        assert len(error.message) < 300
        assert error.input is not None
        assert len(error.input) <= 100
        assert len(str(info.value)) < 500

    def test_unknown_tag_and_unknown_field_bounded(self) -> None:
        """unknown_tag and unknown_field messages stay short whatever the tag or key."""
        doc = full_run()
        doc["tools"][0]["type"] = "t" * 1_000_000
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), Run, strict=True)
        assert len(str(info.value)) < 500
        body = orjson.dumps({"metadata": None, "k" * 1_000_000: 1})
        with pytest.raises(ValidationError) as info:
            runschema.validate_modify_run_request(body)
        assert len(str(info.value)) < 500

    def test_excerpt_of_a_huge_value_is_cheap_and_short(self) -> None:
        """The excerpt of a huge container stops where the excerpt does."""
        from runschema._errors import excerpt

        deep: Any = []
        for _ in range(10_000):
            deep = [deep]
        assert len(excerpt(deep)) <= 100
        assert excerpt({"a": list(range(1_000_000))}).endswith("...")


class TestNoCrashAtTheBoundary:
    @pytest.mark.parametrize("key", [None, (1, 2), 1.5, b"k", 1, frozenset()])
    def test_structure_with_keys_that_are_not_strings(self, key: Any) -> None:
        """structure() of Python data with non-string keys is a ValidationError at the object."""
        doc = full_run()
        doc[key] = 1
        for strict in (False, True):
            with pytest.raises(ValidationError) as info:
                runschema.structure(doc, Run, strict=strict)
            assert _codes(info.value) == [("$", "type")]
        nested = full_run()
        nested["usage"][key] = 1
        with pytest.raises(ValidationError) as info:
            runschema.structure(nested, Run)
        assert _codes(info.value) == [("$.usage", "type")]

    @pytest.mark.parametrize(
        "path",
        [
            "/threads/%ff/runs/r",
            "/threads/%c0%af/runs/r",  # overlong
            "/threads/%ed%a0%80/runs/r",  # a surrogate
            "/threads/%e2%82/runs/r",  # truncated
            "/threads/t/runs/%80",
            "/threads/\udcff/runs/r",
        ],
    )
    def test_match_never_raises(self, path: str) -> None:
        """A route lookup answers a match or None for any path: no UnicodeDecodeError."""
        assert runschema.MODIFY_RUN.match(path) is None
        assert runschema.RETRIEVE_RUN.match(path) is None

    @given(st.text(max_size=40))
    def test_match_any_text(self, path: str) -> None:
        """Any text at all: a dict of parameters or None."""
        got = runschema.MODIFY_RUN.match("/threads/" + path + "/runs/r")
        assert got is None or set(got) == {"thread_id", "run_id"}

    def test_base_path(self) -> None:
        """Paths under a base path match with base_path=; outside it they do not."""
        m = runschema.MODIFY_RUN
        assert m.match("/v1/threads/t/runs/r", base_path="/v1") == {
            "thread_id": "t",
            "run_id": "r",
        }
        assert m.match("/v1/threads/t/runs/r", base_path="/v1/") is not None
        assert m.match("/threads/t/runs/r", base_path="/v1") is None
        assert m.match("/v1/threads/t/runs/r") is None
        # found by a server author: without its leading slash a base path matched nothing
        for base in ("v1", "v1/", "//v1"):
            assert m.match("/v1/threads/t/runs/r", base_path=base) is not None, base
            found = runschema.route("POST", "/v1/threads/t/runs/r", base_path=base)
            assert found is not None, base
            assert found.endpoint is m, base
        assert m.match("/threads/t/runs/r", base_path="/") is not None

    @pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview, lambda b: b.decode()])
    @pytest.mark.parametrize("status", [400, 404, 500, 302, 101])
    def test_parse_response_takes_every_buffer(self, wrap: Any, status: int) -> None:
        """parse_run_response takes every input type loads takes, for any status."""
        body = b'{"error": {"message": "No run", "type": "t", "param": null, "code": "c"}}'
        with pytest.raises(APIError) as info:
            runschema.parse_run_response(status, wrap(body))
        assert (info.value.status, info.value.message, info.value.code) == (status, "No run", "c")
        with pytest.raises(APIError) as info:
            runschema.parse_run_response(status, wrap(b"<html>bad gateway</html>"))
        assert info.value.message is None
        assert "bad gateway" in info.value.body_excerpt
        run = runschema.parse_run_response(200, wrap(SEED))
        assert run.id == "run_abc123"

    def test_parses_in_threads_leave_the_recursion_limit_as_found(self) -> None:
        """The exact parse (integers beyond 64 bits) raises the process's recursion limit; two
        parses in two threads leave it out of order. Each put back the limit it found: the
        first to leave lowered it under the other, still running, and the last left the
        raised limit behind (found reading the code: a threaded server's limit crept up)."""
        import sys

        from runschema._codec import exact_room

        limit = sys.getrecursionlimit()
        first, second = exact_room(), exact_room()
        first.__enter__()
        second.__enter__()  # another thread, while the first parses
        raised = sys.getrecursionlimit()
        assert raised > limit
        first.__exit__(None, None, None)  # the first parse ends before the second
        assert sys.getrecursionlimit() == raised
        second.__exit__(None, None, None)
        assert sys.getrecursionlimit() == limit
        doc = SEED.replace(b'"created_at": 1699075072', b'"created_at": ' + b"9" * 30)
        assert doc != SEED
        with pytest.raises(ValidationError):
            runschema.loads(doc, Run)
        assert sys.getrecursionlimit() == limit

    def test_a_memoryview_of_bytes_apart(self) -> None:
        """A memoryview whose bytes are not contiguous (a slice with a step) is read as its
        bytes; orjson refused it, and it was reported as malformed JSON at column 1."""
        spaced = bytearray(len(SEED) * 2)
        spaced[::2] = SEED
        view = memoryview(spaced)[::2]
        assert not view.c_contiguous
        assert runschema.loads(view, Run) == runschema.loads(SEED, Run)

    def test_bytearray_subclass(self) -> None:
        """Valid JSON in a bytearray subclass decodes."""

        class Buf(bytearray):
            pass

        assert runschema.loads(Buf(SEED), Run).id == "run_abc123"


class TestServiceErrorBodies:
    def test_api_error_round_trips_the_upstream_body(self) -> None:
        """An error body built from an APIError is the server's own, code and all."""
        upstream = {
            "error": {
                "message": "No thread found with id 'thread_x'.",
                "type": "invalid_request_error",
                "param": None,
                "code": None,
                "extra": [1],
            },
            # found by a gateway author: keys beside "error" were dropped
            "request_id": "req_1",
            "trace": {"span": 7},
        }
        with pytest.raises(APIError) as info:
            runschema.parse_run_response(404, orjson.dumps(upstream))
        assert orjson.loads(orjson.dumps(info.value.to_openai_error())) == upstream
        again = pickle.loads(pickle.dumps(info.value))
        assert orjson.loads(orjson.dumps(again.to_openai_error())) == upstream

    def test_api_error_without_a_json_body(self) -> None:
        """A non-JSON error body gives an api_error body naming the status."""
        with pytest.raises(APIError) as info:
            runschema.parse_run_response(502, b"<html>")
        body = info.value.to_openai_error()["error"]
        assert body["type"] == "api_error"
        assert body["message"].startswith("HTTP 502")

    def test_validation_error_reads_like_upstream(self) -> None:
        """param names the field as a client does; the message has no path syntax or code."""
        doc = full_run()
        doc["tools"][0]["type"] = "browser"
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), Run, strict=True)
        body = info.value.to_openai_error()["error"]
        assert body["param"] == "tools[0].type"
        assert body["code"] == "invalid_value"
        assert body["type"] == "invalid_request_error"
        assert body["message"] == (
            "Invalid 'tools[0].type': expected one of 'code_interpreter', 'file_search', "
            "'function', got 'browser'."
        )
        assert "$" not in body["message"]
        assert "[unknown_tag]" not in body["message"]

    @pytest.mark.parametrize(
        ("body", "message", "param", "code"),
        [
            (
                b'{"metadata": 5}',
                "Invalid type for 'metadata': expected an object, got an integer.",
                "metadata",
                "invalid_type",
            ),
            (b'{"foo": 1}', "Unknown parameter: 'foo'.", "foo", "unknown_parameter"),
            (b"[]", "Expected a JSON object at the top level, got an array.", None, "not_object"),
        ],
    )
    def test_modify_run_bodies(
        self, body: bytes, message: str, param: str | None, code: str
    ) -> None:
        """Bad modify-run bodies answer with the upstream shape."""
        with pytest.raises(runschema.SchemaError) as info:
            runschema.validate_modify_run_request(body)
        assert info.value.to_openai_error()["error"] == {
            "message": message,
            "type": "invalid_request_error",
            "param": param,
            "code": code,
        }

    def test_a_capped_report_inside_your_class_keeps_its_count(self) -> None:
        """errors_of counts what a nested report left out, not its note as one problem."""
        run = runschema.unstructure(runschema.fill_absent(runschema.loads(SEED, Run)))
        bad = dict(run, metadata={f"k{i}": i for i in range(150)})  # 151 problems
        with pytest.raises(ClassValidationError) as info:
            runschema.STRICT.structure({"data": [bad], "has_more": False}, _Page)
        errors = runschema.errors_of(info.value).errors
        assert len(errors) == 101
        assert errors[0].path == "$.data[0].metadata"
        assert (errors[-1].path, errors[-1].code) == ("$", "too_many_problems")
        assert errors[-1].message.startswith("51 more problems not listed")

    def test_many_problems_message(self) -> None:
        """The message spells out ten problems and counts the rest."""
        doc = full_run()
        doc["metadata"] = {f"k{i}": i for i in range(500)}
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), Run)
        message = info.value.to_openai_error()["error"]["message"]
        assert message.count("Invalid type for") == 10
        assert message.endswith("(490 more problems.)")


class TestBuildingInPython:
    def test_fill_absent_in_containers_of_yours(self) -> None:
        """Found by fuzzing: a defaultdict, an OrderedDict, a NamedTuple or a list subclass
        holding runs came back unchanged, required_action still absent (respond then
        refused the run); they are filled, and stay what they were."""
        import collections
        from typing import NamedTuple

        run = runschema.loads(SEED, Run)

        class Pair(NamedTuple):
            first: Run
            second: Run

        class Runs(list[Run]):
            pass

        held: list[Any] = [
            collections.defaultdict(list, {"a": run}),
            collections.OrderedDict(a=run),
            Pair(run, run),
            Runs([run]),
        ]
        for container in held:
            filled = runschema.fill_absent(container)
            assert type(filled) is type(container)
            values = filled.values() if isinstance(filled, dict) else filled
            assert all(runschema.absent_fields(r) == frozenset() for r in values)
            assert filled is not container

    def test_metadata_of_str_subclasses(self) -> None:
        """Found by fuzzing: a StrEnum key passed the constructor and every check, then
        dumps, unstructure and the request builders raised orjson's TypeError (its keys must
        be exact strings); a value's subclass was read and the copy thrown away. Keys and
        values are taken as their exact strings."""
        import enum

        class Key(str, enum.Enum):
            USER = "user"

        class Text(str):
            def __str__(self) -> str:
                return "not what it holds"

        params = RunUpdateParams(metadata={Key.USER: Text("v")})
        assert params.metadata is not None
        ((key, value),) = params.metadata.items()  # type: ignore[union-attr]
        assert (type(key), key, type(value), value) == (str, "user", str, "v")
        assert runschema.dumps(params) == b'{"metadata":{"user":"v"}}'
        req = runschema.MODIFY_RUN.request(params, thread_id="t", run_id="r")
        assert req.body == b'{"metadata":{"user":"v"}}'
        assert runschema.structure({"metadata": {Key.USER: "v"}}, RunUpdateParams) == params
        assert runschema.unstructure(params) == {"metadata": {"user": "v"}}

    def test_nullable_fields_default_to_none(self) -> None:
        """A run is built from the fields that matter; nullable ones default to None (null)."""
        run = Run(
            id="run_1",
            created_at=datetime(2024, 1, 1, tzinfo=timezone.utc),
            thread_id="t",
            assistant_id="a",
            status="queued",
            model="m",
            tools=(),
            parallel_tool_calls=True,
        )
        out = orjson.loads(runschema.dumps(run))
        assert out["required_action"] is None
        assert out["metadata"] is None
        assert "temperature" not in out  # optional: UNSET, left out
        runschema.validate(run)

    def test_match_args(self) -> None:
        """Value wrappers work in positional match patterns."""
        match UnknownValue(value="paused"):
            case UnknownValue(v):
                assert v == "paused"
        match UnknownTool(data={"type": "browser"}):
            case UnknownTool(data):
                assert data["type"] == "browser"
        # pyright reads no inherited __match_args__: each unknown arm declares its own (found
        # by an SDK author's typing trial, where `case UnknownTool(data)` was its error)
        arms = [
            getattr(runschema, name)
            for name in runschema.__all__
            if getattr(getattr(runschema, name), "__rs_unknown_arm__", False)
        ]
        assert len(arms) >= 18
        assert [a for a in arms if a.__dict__.get("__match_args__") != ("data",)] == []

    def test_apply_update(self) -> None:
        """apply_update: UNSET keeps, None clears, a map replaces."""
        run = runschema.loads(SEED, Run)
        assert runschema.apply_update(run, RunUpdateParams()) == run
        assert runschema.apply_update(run, RunUpdateParams(metadata=None)).metadata is None
        changed = runschema.apply_update(run, RunUpdateParams(metadata={"a": "b"}))
        assert changed.metadata == {"a": "b"}
        assert changed.id == run.id
        assert runschema.absent_fields(changed) == {"required_action"}
        assert b'"required_action"' not in runschema.dumps(changed)

    def test_usage_unchanged(self) -> None:
        """Sanity: a plain model still builds and encodes."""
        u = Usage(completion_tokens=1, prompt_tokens=2, total_tokens=3)
        assert runschema.dumps(u) == b'{"completion_tokens":1,"prompt_tokens":2,"total_tokens":3}'
        assert UNSET is runschema.UNSET


@attrs.frozen
class _Holder:
    """A class of a user's own holding runschema types in every way one can annotate them."""

    tool: runschema.Tool
    tools: tuple[runschema.Tool, ...]
    response_format: runschema.ResponseFormat
    tool_choice: runschema.ToolChoice
    status: runschema.RunStatus | UnknownValue
    run: Run | None
    when: datetime
    has_more: bool
    count: int
    ratio: float
    label: str
    tags: tuple[str, ...] = ()
    scores: dict[str, int] = attrs.field(factory=dict)
    ids: frozenset[str] = frozenset()


def _holder_data(run: Run) -> dict[str, Any]:
    return {
        "tool": {"type": "function", "function": {"name": "f", "parameters": {"a": [1]}}},
        "tools": [{"type": "code_interpreter"}, {"type": "browser", "x": 1}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "n"}},
        "tool_choice": "required",
        "status": "paused",
        "run": runschema.unstructure(run),
        "when": 1699075072,
        "has_more": False,
        "count": 3,
        "ratio": 1,
        "label": "x",
        "tags": ["a", "b"],
        "scores": {"a": 1},
        "ids": ["only"],  # a set of one: the same array back
    }


@attrs.frozen
class _Page:
    data: tuple[Run, ...]
    has_more: bool


class TestConvertersServeYourClasses:
    @pytest.mark.parametrize("conv", ["LENIENT", "STRICT"])
    def test_seed_round_trips(self, conv: str) -> None:
        """structure(unstructure(run)) on the bundled seed, both converters."""
        c = getattr(runschema, conv)
        run = runschema.loads(SEED, Run)
        data = c.unstructure(run)
        assert type(data["metadata"]) is dict
        assert type(data["tool_resources"]["code_interpreter"]["file_ids"]) is list
        if conv == "STRICT":
            data["required_action"] = None  # strict: the seed lacks a required key
            assert orjson.loads(runschema.dumps(c.structure(data, Run))) == data
        else:
            assert c.structure(data, Run) == run

    @HYP
    @given(rs.runs())
    def test_every_model_round_trips(self, run: Run) -> None:
        """Every model instance inside a run round-trips through both converters."""
        for model in _models_in(run):
            for c in (runschema.LENIENT, runschema.STRICT):
                assert c.structure(c.unstructure(model), type(model)) == model

    @HYP
    @given(rs.run_json_with_unknowns())
    def test_lenient_keeps_what_it_reads(self, doc: dict[str, Any]) -> None:
        """Lenient structure of anything lenient loads takes gives the same run back."""
        run = runschema.loads(orjson.dumps(doc), Run)
        again = runschema.LENIENT.structure(runschema.LENIENT.unstructure(run), Run)
        assert again == run

    def test_users_class_with_every_annotation(self) -> None:
        """A user's class with union, open-enum, optional and array fields structures and
        unstructures."""
        run = runschema.loads(SEED, Run)
        data = _holder_data(run)
        h = runschema.LENIENT.structure(data, _Holder)
        assert isinstance(h.tool, runschema.FunctionTool)
        assert isinstance(h.tools[1], UnknownTool)
        assert h.status == UnknownValue(value="paused")
        assert h.run == run
        assert h.when == datetime(2023, 11, 4, 5, 17, 52, tzinfo=timezone.utc)
        out = runschema.LENIENT.unstructure(h)
        assert orjson.loads(orjson.dumps(out)) == data
        assert runschema.LENIENT.structure(out, _Holder) == h
        with pytest.raises(ClassValidationError) as info:
            runschema.STRICT.structure(data, _Holder)
        assert [(e.path, e.code) for e in runschema.errors_of(info.value).errors] == [
            ("$.tools[1].type", "unknown_tag"),
            ("$.status", "enum"),
            ("$.run.required_action", "missing"),
        ]

    def test_none_for_optional_runs(self) -> None:
        """``Run | None`` takes null."""
        data = _holder_data(runschema.loads(SEED, Run))
        data["run"] = None
        assert runschema.LENIENT.structure(data, _Holder).run is None

    @pytest.mark.parametrize(
        ("annotation", "data", "expected"),
        [
            (runschema.Tool, {"type": "code_interpreter"}, runschema.CodeInterpreterTool()),
            (runschema.ToolChoice, "none", "none"),
            (runschema.ResponseFormat, {"type": "text"}, runschema.ResponseFormatText()),
            (runschema.RunStatus | UnknownValue, "paused", UnknownValue(value="paused")),
            (runschema.Tool | None, None, None),
        ],
    )
    def test_structure_and_loads_take_unions(
        self, annotation: Any, data: Any, expected: Any
    ) -> None:
        """runschema.structure and runschema.loads take unions and open enums as well."""
        assert runschema.structure(data, annotation) == expected
        assert runschema.loads(orjson.dumps(data), annotation) == expected

    def test_loads_union_reports_paths(self) -> None:
        """A bad union document is a ValidationError with paths inside it."""
        with pytest.raises(ValidationError) as info:
            runschema.loads(b'{"type": "function", "function": {"name": 5}}', runschema.Tool)
        assert _codes(info.value) == [("$.function.name", "type")]
        with pytest.raises(TypeError):
            runschema.loads(b"{}", dict)

    @pytest.mark.parametrize("conv", ["LENIENT", "STRICT"])
    @pytest.mark.parametrize(
        ("field", "value", "code"),
        [
            ("has_more", "no", "type"),
            ("has_more", None, "type"),
            ("has_more", 1, "type"),
            ("count", "5", "type"),
            ("count", True, "type"),
            ("count", 1.5, "type"),
            ("ratio", "1", "type"),
            ("ratio", float("nan"), "not_finite"),
            ("label", 5, "type"),
            ("label", None, "type"),
            ("when", "2024-01-01", "type"),
            ("when", 10**20, "out_of_range"),
            ("count", 2**64, "out_of_range"),  # JSON's integers, as runschema's fields
            ("ratio", -(2**63) - 1, "out_of_range"),
            ("tags", "abc", "type"),  # not ("a", "b", "c")
            ("tags", {"a": 1}, "type"),  # not its keys
            ("tools", {"type": "code_interpreter"}, "type"),
            ("scores", [["a", 1]], "type"),
            ("ids", "xy", "type"),
        ],
    )
    def test_no_coercion(self, conv: str, field: str, value: Any, code: str) -> None:
        """Neither converter coerces JSON types in a user's own fields: scalars, arrays,
        objects."""
        data = _holder_data(runschema.loads(SEED, Run))
        data["status"] = "queued"
        data["tools"] = []
        data["run"] = None
        data[field] = value
        with pytest.raises(ClassValidationError) as info:
            getattr(runschema, conv).structure(data, _Holder)
        got = runschema.errors_of(info.value).errors
        assert [(e.path, e.code) for e in got] == [(f"$.{field}", code)]

    @pytest.mark.parametrize("conv", ["LENIENT", "STRICT"])
    @pytest.mark.parametrize(
        ("when", "written"),
        [
            (datetime(2024, 1, 1, tzinfo=timezone.utc), 1704067200),
            (datetime(2024, 1, 1, 2, tzinfo=timezone(timedelta(hours=2))), 1704067200),
            (datetime(2024, 1, 1), "a naive datetime (give it a tzinfo)"),
            (
                datetime(2024, 1, 1, 0, 0, 0, 999999, tzinfo=timezone.utc),
                "the wire holds whole unix seconds: drop the microseconds in UTC "
                "(.replace(microsecond=0))",
            ),
        ],
    )
    def test_your_datetimes_are_checked_when_written(
        self, conv: str, when: datetime, written: int | str
    ) -> None:
        """A datetime in a class of your own is written as runschema writes its own: unix
        seconds of an aware datetime; a naive one or one with microseconds is a
        ValidationError (invalid_timestamp), never a TypeError or a silently dropped
        fraction."""
        holder = runschema.LENIENT.structure(_holder_data(runschema.loads(SEED, Run)), _Holder)
        changed = attrs.evolve(holder, when=when)
        if isinstance(written, int):
            assert getattr(runschema, conv).unstructure(changed)["when"] == written
            return
        with pytest.raises(runschema.ValidationError) as info:
            getattr(runschema, conv).unstructure(changed)
        assert [(e.path, e.code, e.message) for e in info.value.errors] == [
            ("$.when", "invalid_timestamp", written)
        ]

    def test_an_int_is_a_number(self) -> None:
        """An integer is fine where a float is asked for, and stays an integer."""
        data = _holder_data(runschema.loads(SEED, Run))
        assert runschema.LENIENT.structure(data, _Holder).ratio == 1
        assert type(runschema.LENIENT.structure(data, _Holder).ratio) is int

    def test_errors_of_a_page_of_runs(self) -> None:
        """errors_of gives every problem with the full path from the user's root."""
        good = runschema.unstructure(runschema.loads(SEED, Run))
        bad = dict(good, status="paused", created_at="yesterday")
        data = {"data": [good, bad, {}], "has_more": "no"}
        with pytest.raises(ClassValidationError) as info:
            runschema.STRICT.structure(data, _Page)
        err = runschema.errors_of(info.value)
        assert isinstance(err, ValidationError)
        got = [(e.path, e.code) for e in err.errors]
        assert got[:4] == [
            ("$.data[0].required_action", "missing"),
            ("$.data[1].created_at", "type"),
            ("$.data[1].status", "enum"),
            ("$.data[1].required_action", "missing"),
        ]
        assert ("$.data[2].id", "missing") in got
        assert got[-1] == ("$.has_more", "type")

    def test_errors_of_a_missing_key_of_the_users_class(self) -> None:
        """A key of the user's own class that is missing is a 'missing' problem."""
        with pytest.raises(ClassValidationError) as info:
            runschema.LENIENT.structure({"data": []}, _Page)
        assert _codes(runschema.errors_of(info.value)) == [("$.has_more", "missing")]

    def test_errors_of_own_validators(self) -> None:
        """An exception of the user's own validator is invalid_value, with its message, at
        the field attrs' validator names."""

        @attrs.frozen
        class Positive:
            n: int = attrs.field(validator=attrs.validators.gt(0))

        with pytest.raises(ClassValidationError) as info:
            runschema.LENIENT.structure({"n": -1}, Positive)
        (e,) = runschema.errors_of(info.value).errors
        assert (e.path, e.code) == ("$.n", "invalid_value")
        assert "must be > 0" in e.message

    def test_errors_of_caps_the_report(self) -> None:
        """A page with thousands of problems reports 100 and a count of the rest."""
        data = {"data": [{}] * 300, "has_more": False}
        with pytest.raises(ClassValidationError) as info:
            runschema.LENIENT.structure(data, _Page)
        errors = runschema.errors_of(info.value).errors
        assert len(errors) == 101
        assert errors[-1].code == "too_many_problems"


def _models_in(value: Any) -> list[Any]:
    """Every model instance in a value, the value included."""
    found: list[Any] = []
    if isinstance(value, runschema._schema._Model):
        found.append(value)
        for a in attrs.fields(type(value)):
            if a.name != "_rs_extra":
                found += _models_in(getattr(value, a.name))
    elif isinstance(value, tuple):
        for x in value:
            found += _models_in(x)
    return found
