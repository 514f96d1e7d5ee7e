"""The runs resource piece by piece, with exact values: the query codec, the router, pages,
the run's state machine, the error answers, each endpoint's requests and responses, and the
round trips of the spec's run-step, list and request-body examples.

The end-to-end proof with the official client is ``test_runs_server.py``; this module pins the
pieces it is built of.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
import typing
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any, Final, Literal

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import runschema
from runschema import (
    CANCEL_RUN,
    CREATE_RUN,
    CREATE_THREAD_AND_RUN,
    ENDPOINTS,
    LIST_RUN_STEPS,
    LIST_RUNS,
    MODIFY_RUN,
    RETRIEVE_RUN,
    RETRIEVE_RUN_STEP,
    SUBMIT_TOOL_OUTPUTS,
    APIError,
    CreateRunQuery,
    ListRunsParams,
    ListRunStepsParams,
    RetrieveRunStepQuery,
    UnknownValue,
    ValidationError,
)
from runschema._errors import problem_count
from tests.fixtures import DATA, EXAMPLES

INCLUDE: Final = "step_details.tool_calls[*].file_search.results[*].content"
INCLUDE_Q = "include%5B%5D=step_details.tool_calls%5B%2A%5D.file_search.results%5B%2A%5D.content"
JSON_BETA = {"Content-Type": "application/json", "OpenAI-Beta": "assistants=v2"}
BETA = {"OpenAI-Beta": "assistants=v2"}
ALL_STATUSES = (
    "queued",
    "in_progress",
    "requires_action",
    "cancelling",
    "cancelled",
    "failed",
    "completed",
    "incomplete",
    "expired",
)


def problems(e: runschema.SchemaError) -> list[tuple[str, str]]:
    return [(x.path, x.code) for x in e.errors]


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def _seed_run() -> runschema.Run:
    return runschema.loads(runschema.seed_example(), runschema.Run)


def runs(n: int, *, same_time: bool = False) -> list[runschema.Run]:
    """``n`` runs, run_0 oldest (or all created in the same second)."""
    seed = _seed_run()
    return [
        attrs.evolve(seed, id=f"run_{i}", created_at=at(1_700_000_000 + (0 if same_time else i)))
        for i in range(n)
    ]


STEP: dict[str, Any] = {
    "id": "step_1",
    "object": "thread.run.step",
    "created_at": 1699063291,
    "run_id": "run_1",
    "assistant_id": "asst_1",
    "thread_id": "thread_1",
    "type": "tool_calls",
    "status": "completed",
    "cancelled_at": None,
    "completed_at": 1699063292,
    "expired_at": None,
    "failed_at": None,
    "last_error": None,
    "metadata": {"k": "v"},
    "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
    "step_details": {
        "type": "tool_calls",
        "tool_calls": [
            {
                "id": "call_1",
                "type": "code_interpreter",
                "code_interpreter": {
                    "input": "print(1)",
                    "outputs": [
                        {"type": "logs", "logs": "1"},
                        {"type": "image", "image": {"file_id": "file_1"}},
                    ],
                },
            },
            {
                "id": "call_2",
                "type": "file_search",
                "file_search": {
                    "ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.5},
                    "results": [
                        {
                            "file_id": "file_2",
                            "file_name": "a.txt",
                            "score": 0.9,
                            "content": [{"type": "text", "text": "hello"}],
                        }
                    ],
                },
            },
            {
                "id": "call_3",
                "type": "function",
                "function": {"name": "f", "arguments": "{}", "output": "ok"},
            },
        ],
    },
}
"""A strict-valid run step with every tool call arm and both code interpreter outputs."""


def steps(n: int) -> list[runschema.RunStep]:
    base = runschema.loads(orjson.dumps(STEP), runschema.RunStep, strict=True)
    return [attrs.evolve(base, id=f"step_{i}", created_at=at(1_700_000_000 + i)) for i in range(n)]


# --- query parameters ----------------------------------------------------------------------


class TestEncodeQuery:
    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (ListRunsParams(), ""),
            (ListRunsParams(limit=3), "limit=3"),
            (
                ListRunsParams(before="run_b", after="run_a", order="asc", limit=100),
                "after=run_a&before=run_b&limit=100&order=asc",
            ),
            (ListRunsParams(after="a&b=c d+e/é"), "after=a%26b%3Dc+d%2Be%2F%C3%A9"),
            (ListRunStepsParams(limit=2, include=(INCLUDE,)), f"{INCLUDE_Q}&limit=2"),
            (ListRunStepsParams(include=(INCLUDE, INCLUDE)), f"{INCLUDE_Q}&{INCLUDE_Q}"),
            (CreateRunQuery(include=(INCLUDE,)), INCLUDE_Q),
            (CreateRunQuery(), ""),
            (RetrieveRunStepQuery(include=(INCLUDE,)), INCLUDE_Q),
        ],
    )
    def test_text(self, value: Any, text: str) -> None:
        """As the official clients write them: names in alphabetical order, UNSET left out,
        arrays as repeated ``name[]`` keys, every reserved character percent-encoded, a
        space as ``+``."""
        assert runschema.encode_query(value) == text

    @pytest.mark.parametrize(
        "value",
        [
            ListRunsParams(),
            ListRunsParams(limit=1, order="desc", after="=", before=" "),
            ListRunsParams(after="a&b=c", before="100%+x#y?z"),
            ListRunStepsParams(limit=100, order="asc", after="s/1", include=(INCLUDE,)),
            CreateRunQuery(include=(INCLUDE,)),
            RetrieveRunStepQuery(include=(INCLUDE, INCLUDE)),
        ],
    )
    def test_round_trip(self, value: Any) -> None:
        """decode_query(encode_query(x)) == x."""
        assert runschema.decode_query(runschema.encode_query(value), type(value)) == value


class TestDecodeQuery:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("", ListRunsParams()),
            ("limit=1", ListRunsParams(limit=1)),
            ("limit=100&order=asc", ListRunsParams(limit=100, order="asc")),
            ("?limit=05", ListRunsParams(limit=5)),
            (
                "order=desc&after=run_1&before=run_2",
                ListRunsParams(order="desc", after="run_1", before="run_2"),
            ),
            ("after=a%26b%3Dc", ListRunsParams(after="a&b=c")),
            ("after=a+b", ListRunsParams(after="a b")),
            ("after=x", ListRunsParams(after="x")),
        ],
    )
    def test_list_runs(self, text: str, value: ListRunsParams) -> None:
        """A List runs query string decodes to its value (integers from decimal digits)."""
        assert runschema.decode_query(text, ListRunsParams) == value
        assert LIST_RUNS.parse_query(text) == value

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("limit=0", [("$.limit", "out_of_range")]),
            ("limit=101", [("$.limit", "out_of_range")]),
            ("limit=-1", [("$.limit", "out_of_range")]),
            ("limit=99999999999999999999", [("$.limit", "out_of_range")]),
            # found by a server author: past 20 digits, an integer was `type`
            ("limit=99999999999999999999999", [("$.limit", "out_of_range")]),
            ("limit=-9223372036854775809", [("$.limit", "out_of_range")]),
            ("limit=1" + "0" * 5000, [("$.limit", "out_of_range")]),
            ("limit=abc", [("$.limit", "type")]),
            ("limit=-", [("$.limit", "type")]),
            ("limit=", [("$.limit", "type")]),
            ("limit=%2B5", [("$.limit", "type")]),
            ("limit=1.0", [("$.limit", "type")]),
            ("limit=%EF%BC%95", [("$.limit", "type")]),  # a fullwidth 5
            ("order=sideways", [("$.order", "enum")]),
            ("order=ASC", [("$.order", "enum")]),
            ("limit=2&limit=3", [("$.limit", "type")]),
            ("after=a&after=b", [("$.after", "type")]),
            ("foo=1", [("$.foo", "unknown_field")]),
            ("include[]=" + INCLUDE, [("$.include", "unknown_field")]),
            (
                "limit=0&order=sideways&bogus=1",
                [("$.limit", "out_of_range"), ("$.order", "enum"), ("$.bogus", "unknown_field")],
            ),
            # found by a server author: an empty cursor or a limit of no digits hid the rest
            (
                "limit=0&order=x&after=&foo=1",
                [
                    ("$.limit", "out_of_range"),
                    ("$.order", "enum"),
                    ("$.after", "empty_id"),
                    ("$.foo", "unknown_field"),
                ],
            ),
            (
                "foo=1&before=&order=x&limit=abc&limit=2",
                [
                    ("$.limit", "type"),  # no digits
                    ("$.limit", "type"),  # given twice
                    ("$.order", "enum"),
                    ("$.before", "empty_id"),
                    ("$.foo", "unknown_field"),
                ],
            ),
        ],
    )
    def test_list_runs_errors(self, text: str, expected: list[tuple[str, str]]) -> None:
        """A bad List runs query is a ValidationError with every problem's path and code."""
        with pytest.raises(ValidationError) as info:
            runschema.decode_query(text, ListRunsParams)
        assert problems(info.value) == expected
        with pytest.raises(ValidationError) as again:
            LIST_RUNS.parse_query(text)
        assert problems(again.value) == expected

    def test_limit_zero_error_body(self) -> None:
        """limit=0 answers the same 400 body a body field would: param, code, sentence."""
        with pytest.raises(ValidationError) as info:
            LIST_RUNS.parse_query("limit=0")
        assert info.value.to_openai_error() == {
            "error": {
                "message": "Invalid 'limit': expected an integer >= 1, got 0.",
                "type": "invalid_request_error",
                "param": "limit",
                "code": "integer_below_min_value",
            }
        }
        response = runschema.bad_request(info.value)
        assert response.status == 400
        assert orjson.loads(response.body) == info.value.to_openai_error()

    def test_order_sideways_error_body(self) -> None:
        """order=sideways names the allowed values."""
        with pytest.raises(ValidationError) as info:
            runschema.decode_query("order=sideways", ListRunsParams)
        assert info.value.to_openai_error()["error"] == {
            "message": "Invalid 'order': expected one of 'asc', 'desc', got 'sideways'.",
            "type": "invalid_request_error",
            "param": "order",
            "code": "invalid_value",
        }

    @pytest.mark.parametrize("cls", [ListRunStepsParams, CreateRunQuery, RetrieveRunStepQuery])
    @pytest.mark.parametrize(
        "text",
        [
            f"include[]={INCLUDE}",
            INCLUDE_Q,
            f"include={INCLUDE}",
        ],
    )
    def test_include(self, cls: type[Any], text: str) -> None:
        """include[] (raw, percent-encoded, or without brackets) is an array of one value."""
        assert runschema.decode_query(text, cls).include == (INCLUDE,)

    def test_include_repeated(self) -> None:
        """Repeated include[] keys accumulate in order, mixed with scalars."""
        value = runschema.decode_query(
            f"include[]={INCLUDE}&limit=2&include={INCLUDE}", ListRunStepsParams
        )
        assert value == ListRunStepsParams(limit=2, include=(INCLUDE, INCLUDE))

    @pytest.mark.parametrize(
        ("cls", "endpoint"),
        [
            (ListRunStepsParams, LIST_RUN_STEPS),
            (CreateRunQuery, CREATE_RUN),
            (RetrieveRunStepQuery, RETRIEVE_RUN_STEP),
        ],
    )
    def test_include_unknown_value(self, cls: type[Any], endpoint: Any) -> None:
        """An include value other than the one the spec lists is refused, with its index."""
        text = f"include[]={INCLUDE}&include[]=step_details.secret"
        with pytest.raises(ValidationError) as info:
            runschema.decode_query(text, cls)
        assert problems(info.value) == [("$.include[1]", "const")]
        assert endpoint.query_type is cls
        with pytest.raises(ValidationError):
            endpoint.parse_query(text)

    def test_mapping(self) -> None:
        """A mapping of names to text or lists of text decodes as the string would."""
        value = runschema.decode_query(
            {"limit": "3", "order": "asc", "include": [INCLUDE]}, ListRunStepsParams
        )
        assert value == ListRunStepsParams(limit=3, order="asc", include=(INCLUDE,))
        with pytest.raises(ValidationError) as info:
            runschema.decode_query({"limit": ["1", "2"]}, ListRunsParams)
        assert problems(info.value) == [("$.limit", "type")]

    def test_escapes_not_utf8(self) -> None:
        """Percent-escapes that are not UTF-8 are a DecodeError (code encoding), at the
        parameter that holds them (found by a server author: said "at byte 2", counted in
        the value, with no param)."""
        with pytest.raises(runschema.DecodeError) as info:
            runschema.decode_query("limit=2&after=ab%ff", ListRunsParams)
        assert problems(info.value) == [("$.after", "encoding")]
        assert "the value of 'after'" in info.value.errors[0].message
        assert info.value.to_openai_error()["error"]["param"] == "after"
        with pytest.raises(runschema.DecodeError) as named:
            runschema.decode_query("a%ff=1", ListRunsParams)
        assert problems(named.value) == [("$", "encoding")]

    def test_lenient(self) -> None:
        """strict=False leaves bounds unchecked, as lenient mode does for bodies; types, and
        ``order`` (a closed set: no unknown arm), are still checked."""
        assert runschema.decode_query("limit=0", ListRunsParams, strict=False).limit == 0
        for text, expected in [
            ("order=sideways", ("$.order", "enum")),
            ("limit=x", ("$.limit", "type")),
        ]:
            with pytest.raises(ValidationError) as info:
                runschema.decode_query(text, ListRunsParams, strict=False)
            assert problems(info.value) == [expected]

    def test_every_problem_of_a_run_steps_query(self) -> None:
        """A limit of no digits does not hide a bad ``include[]`` value."""
        with pytest.raises(ValidationError) as info:
            LIST_RUN_STEPS.parse_query("limit=abc&include[]=bogus")
        assert problems(info.value) == [("$.limit", "type"), ("$.include[0]", "const")]

    def test_a_query_report_lists_the_first_hundred(self) -> None:
        """Found by a server author: problems of both kinds are listed as a check lists
        them, the first 100 and a count of the rest."""
        query = "&".join(f"x{i}=1" for i in range(150)) + "&limit=abc&after="
        with pytest.raises(ValidationError) as info:
            LIST_RUNS.parse_query(query)
        found = problems(info.value)
        assert found[:3] == [
            ("$.limit", "type"),
            ("$.after", "empty_id"),
            ("$.x0", "unknown_field"),
        ]
        assert len(found) == 101
        assert found[-1] == ("$", "too_many_problems")
        assert problem_count(info.value.errors) == (152, False)

    def test_operation_without_a_query(self) -> None:
        """An operation without a query takes an empty one; every parameter is unknown."""
        assert RETRIEVE_RUN.parse_query("") is None
        assert CREATE_THREAD_AND_RUN.parse_query("") is None
        with pytest.raises(ValidationError) as info:
            RETRIEVE_RUN.parse_query("x=1&y=2")
        assert problems(info.value) == [("$.x", "unknown_field"), ("$.y", "unknown_field")]

    @pytest.mark.parametrize("endpoint", [LIST_RUNS, RETRIEVE_RUN])
    def test_bytes_query(self, endpoint: Any) -> None:
        """A query given as bytes is read or refused with a SchemaError, never AttributeError."""
        with pytest.raises(runschema.SchemaError):
            endpoint.parse_query(b"limit=0&x=1")


# --- the router ----------------------------------------------------------------------------


class TestRoute:
    @pytest.mark.parametrize(
        ("method", "path", "operation", "params", "allowed"),
        [
            ("POST", "/v1/threads/t1/runs", "createRun", {"thread_id": "t1"}, ("GET", "POST")),
            ("POST", "/v1/threads/runs", "createThreadAndRun", {}, ("POST",)),
            ("GET", "/v1/threads/t1/runs", "listRuns", {"thread_id": "t1"}, ("GET", "POST")),
            (
                "GET",
                "/v1/threads/t1/runs/r1",
                "getRun",
                {"thread_id": "t1", "run_id": "r1"},
                ("GET", "POST"),
            ),
            (
                "POST",
                "/v1/threads/t1/runs/r1",
                "modifyRun",
                {"thread_id": "t1", "run_id": "r1"},
                ("GET", "POST"),
            ),
            (
                "POST",
                "/v1/threads/t1/runs/r1/cancel",
                "cancelRun",
                {"thread_id": "t1", "run_id": "r1"},
                ("POST",),
            ),
            (
                "POST",
                "/v1/threads/t1/runs/r1/submit_tool_outputs",
                "submitToolOuputsToRun",
                {"thread_id": "t1", "run_id": "r1"},
                ("POST",),
            ),
            (
                "GET",
                "/v1/threads/t1/runs/r1/steps",
                "listRunSteps",
                {"thread_id": "t1", "run_id": "r1"},
                ("GET",),
            ),
            (
                "GET",
                "/v1/threads/t1/runs/r1/steps/s1",
                "getRunStep",
                {"thread_id": "t1", "run_id": "r1", "step_id": "s1"},
                ("GET",),
            ),
        ],
    )
    def test_the_nine(
        self,
        method: str,
        path: str,
        operation: str,
        params: dict[str, str],
        allowed: tuple[str, ...],
    ) -> None:
        """Each operation is found by method and path, with its decoded path parameters."""
        found = runschema.route(method, path)
        assert found is not None
        assert found.endpoint is ENDPOINTS[operation]
        assert (dict(found.params), found.allowed) == (params, allowed)
        assert found.endpoint.match(path, base_path="/v1") == params
        # a query string changes nothing
        assert runschema.route(method, path + "?limit=3&after=x") == found
        # an ASGI scope's raw_path and method, bytes (found by a server author's trial: it
        # was None, then unknown_route's TypeError)
        assert runschema.route(method.encode(), path.encode("latin-1")) == found

    def test_ids_percent_encoded_as_sent(self) -> None:
        """The target as sent is decoded once: ``%2F`` and ``%25`` in an id stay in it (an
        ASGI scope's ``path``, decoded already, would name another resource or none)."""
        found = runschema.route(b"GET", b"/v1/threads/a%2Fb/runs/r%2520")
        assert found is not None
        assert dict(found.params) == {"thread_id": "a/b", "run_id": "r%20"}
        body = runschema.unknown_route(b"GET", b"/v1/x%2Fy").body
        assert orjson.loads(body)["error"]["message"] == "Invalid URL (GET /v1/x%2Fy)."
        azure = runschema.route("POST", "/openai/threads/runs", base_path="/openai")
        assert azure is not None
        assert azure.endpoint is runschema.CREATE_THREAD_AND_RUN

    def test_endpoints(self) -> None:
        """ENDPOINTS holds the nine operations by the spec's operationId, each deprecated and
        sending OpenAI-Beta: assistants=v2."""
        assert list(ENDPOINTS) == [
            "createRun",
            "createThreadAndRun",
            "listRuns",
            "getRun",
            "modifyRun",
            "cancelRun",
            "submitToolOuputsToRun",
            "listRunSteps",
            "getRunStep",
        ]
        for e in ENDPOINTS.values():
            assert e.deprecated is True
            assert e.headers["OpenAI-Beta"] == "assistants=v2"
            assert ("Content-Type" in e.headers) == (e.request_type is not None)

    def test_threads_runs_is_create_thread_and_run(self) -> None:
        """POST /threads/runs is Create thread and run, never Create run on a thread called
        'runs'; GET there is a 405 (Allow: POST); one segment further, 'runs' is a thread id."""
        found = runschema.route("POST", "/v1/threads/runs")
        assert found is not None
        assert found.endpoint is CREATE_THREAD_AND_RUN
        assert dict(found.params) == {}
        wrong = runschema.route("GET", "/v1/threads/runs")
        assert wrong is not None
        assert (wrong.endpoint, wrong.allowed) == (None, ("POST",))
        deeper = runschema.route("POST", "/v1/threads/runs/runs")
        assert deeper is not None
        assert (deeper.endpoint, dict(deeper.params)) == (CREATE_RUN, {"thread_id": "runs"})

    @pytest.mark.parametrize(
        ("method", "path", "allowed", "params"),
        [
            ("DELETE", "/v1/threads/t/runs/r", ("GET", "POST"), {"thread_id": "t", "run_id": "r"}),
            ("PUT", "/v1/threads/t/runs", ("GET", "POST"), {"thread_id": "t"}),
            ("GET", "/v1/threads/t/runs/r/cancel", ("POST",), {"thread_id": "t", "run_id": "r"}),
            (
                "GET",
                "/v1/threads/t/runs/r/submit_tool_outputs",
                ("POST",),
                {"thread_id": "t", "run_id": "r"},
            ),
            ("POST", "/v1/threads/t/runs/r/steps", ("GET",), {"thread_id": "t", "run_id": "r"}),
            (
                "DELETE",
                "/v1/threads/t/runs/r/steps/s",
                ("GET",),
                {"thread_id": "t", "run_id": "r", "step_id": "s"},
            ),
        ],
    )
    def test_wrong_method(
        self, method: str, path: str, allowed: tuple[str, ...], params: dict[str, str]
    ) -> None:
        """A known path with another method gives a Route without endpoint, and what Allow
        says; method_not_allowed answers it."""
        found = runschema.route(method, path)
        assert found is not None
        assert (found.endpoint, found.allowed, dict(found.params)) == (None, allowed, params)
        response = runschema.method_not_allowed(method, path, found.allowed)
        assert (response.status, response.headers["Allow"]) == (405, ", ".join(allowed))

    @pytest.mark.parametrize(
        "path",
        [
            "",
            "/",
            "/v1",
            "/v1/",
            "/v1/threads",
            "/v1/threads/t",
            "/v1/threads/t/runs/",
            "/v1/threads//runs",
            "/v1/threads/t/runs/r/steps/s/x",
            "/v1/threads/t/runs/r/nothing",
            "/v1/threads/runs/cancel",
            "/threads/t/runs",  # outside the base path
            "/v2/threads/t/runs",
            "/v1/threads/%ff/runs",  # not UTF-8
            "/v1/threads/%2e%2e/runs",  # '..'
            "/v1/threads/./runs",
            "/v1/threads/\ud800/runs",
        ],
    )
    def test_unknown_path(self, path: str) -> None:
        """Anything that is not one of the nine paths is None (answer 404 unknown_route)."""
        assert runschema.route("GET", path) is None
        assert runschema.route("POST", path) is None

    @pytest.mark.parametrize("junk", [None, 1, 3.5, ["/v1/threads/t/runs"]])
    def test_never_raises(self, junk: Any) -> None:
        """A method or path that is neither str nor bytes is no route (or a 405), never an
        exception."""
        assert runschema.route("GET", junk) is None
        found = runschema.route(junk, "/v1/threads/t/runs")
        assert found is not None
        assert found.endpoint is None

    @pytest.mark.parametrize(
        ("path", "base_path", "params"),
        [
            ("/threads/t/runs", "", {"thread_id": "t"}),
            ("/threads/t/runs", "/", {"thread_id": "t"}),
            ("/api/v1/threads/t/runs", "/api/v1", {"thread_id": "t"}),
            ("/api/v1/threads/t/runs", "/api/v1/", {"thread_id": "t"}),
            ("/v1/threads/t/runs", "", None),
            ("/v1/threads/t/runs", "/api/v1", None),
            ("/v1x/threads/t/runs", "/v1", None),
        ],
    )
    def test_base_path(self, path: str, base_path: str, params: dict[str, str] | None) -> None:
        """The base path (default /v1, a trailing slash ignored) is where the API is mounted:
        a path outside it is unknown."""
        found = runschema.route("GET", path, base_path=base_path)
        assert (None if found is None else dict(found.params)) == params
        if found is not None:
            assert found.endpoint is LIST_RUNS

    @pytest.mark.parametrize(
        ("path", "params"),
        [
            ("/v1/threads/a%2Fb/runs/r%20x", {"thread_id": "a/b", "run_id": "r x"}),
            ("/v1/threads/%C3%A9/runs/run%3F1", {"thread_id": "é", "run_id": "run?1"}),
            ("/v1/threads/t/runs/%2E%2E.", {"thread_id": "t", "run_id": "..."}),
            ("/v1/threads/t/runs/r%23", {"thread_id": "t", "run_id": "r#"}),
        ],
    )
    def test_percent_encoded_ids(self, path: str, params: dict[str, str]) -> None:
        """Path parameters are percent-decoded; what Endpoint.path encodes, route decodes."""
        found = runschema.route("GET", path)
        assert found is not None
        assert (found.endpoint, dict(found.params)) == (RETRIEVE_RUN, params)
        again = runschema.route("GET", "/v1" + RETRIEVE_RUN.path(**params))
        assert again == found


# --- pages ---------------------------------------------------------------------------------


class TestPaginate:
    @pytest.mark.parametrize(
        ("params", "ids", "has_more"),
        [
            (ListRunsParams(), [6, 5, 4, 3, 2, 1, 0], False),
            (ListRunsParams(limit=7), [6, 5, 4, 3, 2, 1, 0], False),
            (ListRunsParams(limit=3), [6, 5, 4], True),
            (ListRunsParams(limit=3, after="run_4"), [3, 2, 1], True),
            (ListRunsParams(limit=3, after="run_1"), [0], False),
            (ListRunsParams(limit=3, after="run_3"), [2, 1, 0], False),
            (ListRunsParams(limit=3, order="asc"), [0, 1, 2], True),
            (ListRunsParams(limit=3, order="asc", after="run_2"), [3, 4, 5], True),
            (ListRunsParams(limit=3, order="asc", after="run_5"), [6], False),
            (ListRunsParams(limit=3, before="run_2"), [5, 4, 3], True),
            (ListRunsParams(limit=3, before="run_4"), [6, 5], False),
            (ListRunsParams(limit=3, order="asc", before="run_5"), [2, 3, 4], True),
            (ListRunsParams(limit=3, order="asc", before="run_3"), [0, 1, 2], False),
            (ListRunsParams(limit=1, after="run_0"), [], False),
            (ListRunsParams(limit=1, before="run_6"), [], False),
        ],
    )
    def test_page(self, params: ListRunsParams, ids: list[int], has_more: bool) -> None:
        """Newest first unless asc; after starts past the cursor; before ends before it (the
        limit items nearest it); has_more says items are left in the direction of travel."""
        page = runschema.paginate(runs(7)[::-1], params)  # any input order
        assert isinstance(page, runschema.RunList)
        want = [f"run_{i}" for i in ids]
        assert [r.id for r in page.data] == want
        assert (page.first_id, page.last_id, page.has_more) == (
            want[0] if want else None,
            want[-1] if want else None,
            has_more,
        )

    def test_default_limit(self) -> None:
        """Without a limit a page holds 20 items."""
        page = runschema.paginate(runs(25), ListRunsParams(order="asc"))
        assert [r.id for r in page.data] == [f"run_{i}" for i in range(20)]
        assert page.has_more is True

    def test_empty(self) -> None:
        """An empty list is one empty page with null ids, written as the API does."""
        page = runschema.paginate([], ListRunsParams())
        assert page == runschema.RunList(data=(), first_id=None, last_id=None, has_more=False)
        assert runschema.dumps(page) == (
            b'{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}'
        )
        assert runschema.loads(runschema.dumps(page), runschema.RunList, strict=True) == page

    @pytest.mark.parametrize(
        "params",
        [ListRunsParams(after="run_nope"), ListRunsParams(before="run_nope", order="asc")],
    )
    def test_unknown_cursor(self, params: ListRunsParams) -> None:
        """A cursor that names no item gives an empty page (as the docstring says)."""
        page = runschema.paginate(runs(3), params)
        assert (page.data, page.first_id, page.last_id, page.has_more) == ((), None, None, False)

    def test_an_id_twice_is_refused(self) -> None:
        """Found in use: with two items of one id, clients following the after cursor saw
        pages again and again (a server's own bug: said at once)."""
        items = [*runs(3), runs(2)[1]]
        with pytest.raises(ValueError, match="two items have the id 'run_1'"):
            runschema.paginate(items, ListRunsParams())

    def test_ties_as_given(self) -> None:
        """Items created in the same second keep the order given, a store's order of
        creation (reversed when newest first): found by a server author, ordered by id,
        random ids as upstream's put them out of creation order, and ``list(limit=1)`` did
        not give the newest run."""
        items = [attrs.evolve(r, id=i) for r, i in zip(runs(3, same_time=True), "zax", strict=True)]
        asc = runschema.paginate(items, ListRunsParams(order="asc"))
        desc = runschema.paginate(items, ListRunsParams())
        assert [r.id for r in asc.data] == ["z", "a", "x"]
        assert [r.id for r in desc.data] == ["x", "a", "z"]
        newest = runschema.paginate(items, ListRunsParams(limit=1))
        assert (newest.data[0].id, newest.has_more) == ("x", True)
        after = runschema.paginate(items, ListRunsParams(limit=1, after="x"))
        assert [r.id for r in after.data] == ["a"]

    @pytest.mark.parametrize("order", ["asc", "desc"])
    @pytest.mark.parametrize("limit", [1, 2, 3, 6, 7, 8])
    def test_the_clients_walk(self, order: Any, limit: int) -> None:
        """Following has_more with after = the last id (as the official clients do) sees every
        item once, in order."""
        items = runs(7)
        seen: list[str] = []
        params = ListRunsParams(limit=limit, order=order)
        for _ in range(10):
            page = runschema.paginate(items, params)
            seen += [r.id for r in page.data]
            if not page.has_more:
                break
            assert page.last_id is not None
            params = attrs.evolve(params, after=page.last_id)
        expected = [f"run_{i}" for i in range(7)]
        assert seen == (expected if order == "asc" else expected[::-1])

    def test_steps(self) -> None:
        """Run steps page the same way, as a RunStepList."""
        page = runschema.paginate(steps(3), ListRunStepsParams(limit=2, include=(INCLUDE,)))
        assert isinstance(page, runschema.RunStepList)
        assert [s.id for s in page.data] == ["step_2", "step_1"]
        assert (page.first_id, page.last_id, page.has_more) == ("step_2", "step_1", True)
        assert runschema.loads(runschema.dumps(page), runschema.RunStepList, strict=True) == page

    def test_steps_hold_result_content_only_when_included(self) -> None:
        """Found by a server author: a page (and a retrieved step) held the file search
        results' content whatever include[] said; upstream sends it only when asked."""
        stored = steps(2)
        with_content = runschema.paginate(stored, ListRunStepsParams(include=(INCLUDE,)))
        assert list(with_content.data) == stored[::-1]
        page = runschema.paginate(stored, ListRunStepsParams())
        for step in page.data:
            doc = orjson.loads(runschema.dumps(step))
            calls = doc["step_details"]["tool_calls"]
            assert calls[1]["file_search"]["results"] == [
                {"file_id": "file_2", "file_name": "a.txt", "score": 0.9}
            ]
            expected = copy.deepcopy(STEP)
            del expected["step_details"]["tool_calls"][1]["file_search"]["results"][0]["content"]
            assert {**doc, "id": "step_1", "created_at": STEP["created_at"]} == {
                **expected,
                "created_at": STEP["created_at"],
            }
        step = stored[0]
        assert runschema.apply_include(step, (INCLUDE,)) is step
        assert runschema.apply_include(step) == page.data[1]
        assert runschema.apply_include(step, ()) == page.data[1]
        bare = runschema.apply_include(step)
        assert runschema.apply_include(bare) is bare  # nothing to take out: the same step
        assert runschema.apply_include(step, iter([INCLUDE])) is step  # any iterable
        for wrong in (INCLUDE, None, [1], b"x"):
            with pytest.raises(TypeError, match="include"):
                runschema.apply_include(step, wrong)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="takes a RunStep"):
            runschema.apply_include(runs(1)[0])  # type: ignore[arg-type]
        creation = {
            **STEP,
            "type": "message_creation",
            "step_details": {
                "type": "message_creation",
                "message_creation": {"message_id": "msg_1"},
            },
        }
        message = runschema.loads(orjson.dumps(creation), runschema.RunStep, strict=True)
        assert runschema.apply_include(message) is message

    def test_after_and_before(self) -> None:
        """With both cursors the page holds only items strictly between them."""
        page = runschema.paginate(runs(7), ListRunsParams(after="run_5", before="run_1"))
        assert [r.id for r in page.data] == ["run_4", "run_3", "run_2"]
        assert page.has_more is False


# --- the run's state machine ---------------------------------------------------------------


class TestNewRun:
    DEFAULTS = runschema.RunDefaults(
        model="gpt-4o",
        instructions="Help.",
        tools=(runschema.CodeInterpreterTool(),),
        temperature=1.0,
        top_p=0.9,
        response_format=runschema.ResponseFormatJsonObject(),
    )
    AT = at(1_700_000_000)

    def _new(self, body: Any, **kwargs: Any) -> runschema.Run:
        return runschema.new_run(
            body, id="run_1", thread_id="thread_1", created_at=self.AT, **kwargs
        )

    def test_an_offset_of_microseconds(self) -> None:
        """Found by fuzzing: a time whose offset holds microseconds of its own was a
        ValueError, though times lose their microseconds: converted to UTC first."""
        odd = timezone(timedelta(hours=2, microseconds=250))
        when = datetime(2024, 1, 1, 12, 0, 0, 999, tzinfo=odd)
        body = runschema.CreateRunParams(assistant_id="asst_1")
        run = runschema.new_run(
            body, id="r", thread_id="t", created_at=when, defaults=self.DEFAULTS, expires_at=when
        )
        assert run.created_at == datetime(2024, 1, 1, 10, 0, 0, tzinfo=timezone.utc)
        assert run.expires_at == run.created_at

    def test_an_expiry_before_creation(self) -> None:
        """Found by a server author: new_run took an expires_at before created_at, which
        advance_run refuses of any time; the same instant is a run's to hold."""
        body = runschema.CreateRunParams(assistant_id="asst_1")
        with pytest.raises(ValueError, match=r"expires_at .* is before its created_at"):
            self._new(body, defaults=self.DEFAULTS, expires_at=self.AT - timedelta(seconds=1))
        assert self._new(body, defaults=self.DEFAULTS, expires_at=self.AT).expires_at == self.AT

    def test_from_the_assistant(self) -> None:
        """A body of nothing but assistant_id: the run is the assistant's, with the spec's
        defaults, every key written, strictly valid, answered as it is."""
        run = self._new(runschema.CreateRunParams(assistant_id="asst_1"), defaults=self.DEFAULTS)
        doc = orjson.loads(runschema.dumps(run))
        assert {k: v for k, v in doc.items() if v is not None} == {
            "id": "run_1",
            "object": "thread.run",
            "created_at": 1_700_000_000,
            "thread_id": "thread_1",
            "assistant_id": "asst_1",
            "status": "queued",
            "model": "gpt-4o",
            "instructions": "Help.",
            "tools": [{"type": "code_interpreter"}],
            "metadata": {},
            "temperature": 1.0,
            "top_p": 0.9,
            "truncation_strategy": {"type": "auto", "last_messages": None},
            "tool_choice": "auto",
            "parallel_tool_calls": True,
            "response_format": {"type": "json_object"},
        }
        assert "tool_resources" not in doc  # only create thread and run has them
        runschema.validate(run)
        assert orjson.loads(CREATE_RUN.respond(run).body) == doc

    def test_the_body_says(self) -> None:
        body = runschema.loads(
            orjson.dumps(
                {
                    "assistant_id": "asst_1",
                    "model": "gpt-4.1",
                    "instructions": "Be terse.",
                    "additional_instructions": "Use Celsius.",
                    "tools": [],
                    "metadata": {"k": "v"},
                    "temperature": 0.2,
                    "top_p": 0.5,
                    "max_prompt_tokens": 1000,
                    "max_completion_tokens": 500,
                    "truncation_strategy": {"type": "last_messages", "last_messages": 3},
                    "tool_choice": "required",
                    "parallel_tool_calls": False,
                    "response_format": "auto",
                    "stream": True,
                }
            ),
            runschema.CreateRunParams,
            strict=True,
        )
        later = at(1_700_000_600)
        run = self._new(body, defaults=self.DEFAULTS, expires_at=later, joiner=" ")
        doc = orjson.loads(runschema.dumps(run))
        assert (doc["model"], doc["instructions"], doc["tools"], doc["metadata"]) == (
            "gpt-4.1",
            "Be terse. Use Celsius.",
            [],
            {"k": "v"},
        )
        assert (doc["temperature"], doc["top_p"], doc["expires_at"]) == (0.2, 0.5, 1_700_000_600)
        assert (doc["max_prompt_tokens"], doc["max_completion_tokens"]) == (1000, 500)
        assert doc["truncation_strategy"] == {"type": "last_messages", "last_messages": 3}
        assert (doc["tool_choice"], doc["parallel_tool_calls"], doc["response_format"]) == (
            "required",
            False,
            "auto",
        )

    def test_null_is_the_assistants_and_additional_instructions_alone(self) -> None:
        """A null field is not given (the assistant's value stands); additional instructions
        with no instructions at all are the instructions."""
        body = runschema.CreateRunParams(
            assistant_id="a", model=None, instructions=None, additional_instructions="Only this."
        )
        bare = runschema.RunDefaults(model="m")
        run = self._new(body, defaults=bare)
        assert (run.model, run.instructions, run.response_format) == ("m", "Only this.", "auto")
        # the spec's defaults for sampling (an assistant's and a run's): 1
        assert (run.temperature, run.top_p, run.tools) == (1.0, 1.0, ())
        run = self._new(runschema.CreateRunParams(assistant_id="a"), defaults=bare)
        assert run.instructions is None

    def test_times_at_whole_seconds_and_arguments_that_make_no_run(self) -> None:
        """Found by a server author: new_run(created_at=datetime.now(timezone.utc)) raised a
        SchemaError for the microseconds, which the README's handler answered as the
        client's 400 naming created_at. Microseconds are dropped; what the server's own
        arguments cannot make a run of is its ValueError."""
        body = runschema.CreateRunParams(assistant_id="a")
        now = datetime(2026, 12, 1, 7, 0, 0, 123456, tzinfo=timezone.utc)
        run = self._new(body, defaults=self.DEFAULTS)
        run = runschema.new_run(
            body,
            id="run_1",
            thread_id="t",
            created_at=now,
            expires_at=now + timedelta(minutes=10),
            defaults=self.DEFAULTS,
        )
        assert (run.created_at.microsecond, run.expires_at) == (
            0,
            datetime(2026, 12, 1, 7, 10, tzinfo=timezone.utc),
        )
        naive = datetime(2026, 12, 1)
        with pytest.raises(ValueError, match="new_run cannot make a run") as info:
            runschema.new_run(body, id="r", thread_id="t", created_at=naive, defaults=self.DEFAULTS)
        assert not isinstance(info.value, runschema.SchemaError)
        assert isinstance(info.value.__cause__, ValidationError)
        many = runschema.RunDefaults(model="m", tools=(runschema.CodeInterpreterTool(),) * 21)
        with pytest.raises(ValueError, match=r"\$\.tools"):
            self._new(body, defaults=many)
        # found by a server author: a run whose path no request could name
        for run_id, thread_id in (("", "t"), ("r", "")):
            with pytest.raises(
                ValueError, match="is empty: a request cannot name an empty id"
            ) as empty:
                runschema.new_run(
                    body, id=run_id, thread_id=thread_id, created_at=now, defaults=self.DEFAULTS
                )
            assert not isinstance(empty.value, runschema.SchemaError)
            # found by a user reading the docstrings: no __cause__ here, as the docstring
            # says there is
            cause = empty.value.__cause__
            assert isinstance(cause, ValidationError)
            where = "$.id" if run_id == "" else "$.thread_id"
            assert [(e.path, e.code) for e in cause.errors] == [(where, "empty_id")]
        with pytest.raises(ValueError, match="before its created_at") as early:
            self._new(body, defaults=self.DEFAULTS, expires_at=self.AT - timedelta(seconds=1))
        cause = early.value.__cause__
        assert isinstance(cause, ValidationError)
        assert [(e.path, e.code) for e in cause.errors] == [("$.expires_at", "out_of_range")]
        for dots in (".", ".."):  # found by a trial: no request could name the run
            with pytest.raises(ValueError, match="dot segment") as dotted:
                runschema.new_run(
                    body, id=dots, thread_id="t", created_at=self.AT, defaults=self.DEFAULTS
                )
            cause = dotted.value.__cause__
            assert isinstance(cause, ValidationError)
            assert [(e.path, e.code) for e in cause.errors] == [("$.id", "dot_segment")]
        with pytest.raises(TypeError, match="joiner is a string"):
            self._new(body, defaults=self.DEFAULTS, joiner=None)

    def test_null_and_empty_say_nothing(self) -> None:
        """Found by a server author: tool_resources null was written as null, and empty
        additional instructions added a blank line."""
        body = runschema.CreateThreadAndRunParams(assistant_id="a", tool_resources=None)
        assert "tool_resources" not in orjson.loads(
            runschema.dumps(self._new(body, defaults=self.DEFAULTS))
        )
        body2 = runschema.CreateRunParams(assistant_id="a", additional_instructions="")
        assert self._new(body2, defaults=self.DEFAULTS).instructions == "Help."

    def test_create_thread_and_run_keeps_its_tool_resources(self) -> None:
        resources = runschema.ToolResources(
            code_interpreter=runschema.CodeInterpreterResources(file_ids=("file_1",))
        )
        body = runschema.CreateThreadAndRunParams(assistant_id="a", tool_resources=resources)
        run = self._new(body, defaults=self.DEFAULTS)
        assert run.tool_resources == resources
        assert orjson.loads(runschema.dumps(run))["tool_resources"] == {
            "code_interpreter": {"file_ids": ["file_1"]}
        }


class TestStatusMachine:
    def test_terminal_statuses(self) -> None:
        """The five statuses a run ends in."""
        assert {
            "cancelled",
            "failed",
            "completed",
            "incomplete",
            "expired",
        } == runschema.TERMINAL_STATUSES

    def test_poll_stop_statuses(self) -> None:
        """The official poll helper's terminal_states: the terminal ones and requires_action."""
        assert {
            "requires_action",
            "cancelled",
            "completed",
            "failed",
            "expired",
            "incomplete",
        } == runschema.POLL_STOP_STATUSES

    def test_transitions_cover_every_status(self) -> None:
        """RUN_TRANSITIONS has every status; terminal ones go nowhere; targets are known."""
        assert set(runschema.RUN_TRANSITIONS) == set(ALL_STATUSES)
        for old, targets in runschema.RUN_TRANSITIONS.items():
            assert targets <= set(ALL_STATUSES)
            assert old not in targets
            assert (not targets) == (old in runschema.TERMINAL_STATUSES)

    def test_every_run_can_end(self) -> None:
        """From every status a terminal one is reachable."""
        for start in ALL_STATUSES:
            reach, todo = {start}, [start]
            while todo:
                for nxt in runschema.RUN_TRANSITIONS[todo.pop()]:  # type: ignore[index]
                    if nxt not in reach:
                        reach.add(nxt)
                        todo.append(nxt)
            assert reach & runschema.TERMINAL_STATUSES, start

    @pytest.mark.parametrize(
        ("old", "new", "allowed"),
        [
            ("queued", "in_progress", True),
            ("queued", "cancelling", True),
            ("queued", "expired", True),
            ("queued", "requires_action", False),
            ("queued", "completed", False),
            ("in_progress", "requires_action", True),
            ("in_progress", "completed", True),
            ("in_progress", "incomplete", True),
            ("in_progress", "cancelling", True),
            ("in_progress", "queued", False),
            ("requires_action", "queued", True),
            ("requires_action", "in_progress", True),
            ("requires_action", "cancelling", True),
            ("requires_action", "expired", True),
            ("requires_action", "completed", False),
            ("cancelling", "cancelled", True),
            ("cancelling", "in_progress", False),
            ("cancelled", "queued", False),
            ("completed", "queued", False),
            ("completed", "in_progress", False),
            ("failed", "completed", False),
            ("expired", "queued", False),
            ("completed", "completed", True),  # staying is always allowed
            ("queued", "queued", True),
        ],
    )
    def test_can_transition(self, old: Any, new: Any, allowed: bool) -> None:
        """Legal moves and illegal ones, as the table says."""
        assert runschema.can_transition(old, new) is allowed

    def test_unknown_status(self) -> None:
        """A status this version does not know allows nothing but staying."""
        paused = UnknownValue(value="paused")
        assert runschema.can_transition(paused, paused) is True
        assert runschema.can_transition(paused, "queued") is False
        assert runschema.can_transition("queued", paused) is False


def _queued(expires: bool = True) -> runschema.Run:
    """A fresh queued run created at 1_700_000_000, with function tools."""
    tool = runschema.FunctionTool(function=runschema.FunctionDefinition(name="get_weather"))
    return runschema.new_run(
        runschema.CreateRunParams(assistant_id="asst_1"),
        id="run_1",
        thread_id="thread_1",
        created_at=at(1_700_000_000),
        expires_at=at(1_700_000_600) if expires else None,
        defaults=runschema.RunDefaults(model="gpt-4o", tools=(tool,)),
    )


def _action(*call_ids: str) -> runschema.RequiredAction:
    calls = tuple(
        runschema.FunctionToolCall(
            id=i, function=runschema.FunctionToolCallFunction(name="get_weather", arguments="{}")
        )
        for i in call_ids
    )
    return runschema.RequiredAction(
        submit_tool_outputs=runschema.SubmitToolOutputs(tool_calls=calls)
    )


_USAGE: Final = runschema.Usage(prompt_tokens=3, completion_tokens=4, total_tokens=7)
_ERROR: Final = runschema.LastError(code="server_error", message="down")
_INCOMPLETE: Final = runschema.IncompleteDetails(reason="max_completion_tokens")


class TestAdvanceRun:
    """``advance_run``: the state machine's moves, with the fields the spec moves with them."""

    def test_a_run_with_tool_calls_from_queued_to_completed(self) -> None:
        """Each move writes its own time and clears what no longer holds; a run that starts
        again after tool outputs gets a new started_at, as upstream's streams show."""
        run = _queued()
        run = runschema.advance_run(run, "in_progress", at=at(1_700_000_001))
        assert (run.status, run.started_at) == ("in_progress", at(1_700_000_001))
        run = runschema.advance_run(
            run, "requires_action", at=at(1_700_000_002), required_action=_action("call_1")
        )
        assert run.required_action == _action("call_1")
        assert run.started_at == at(1_700_000_001)
        run = runschema.advance_run(run, "queued", at=at(1_700_000_003))
        assert (run.status, run.required_action) == ("queued", None)
        run = runschema.advance_run(run, "in_progress", at=at(1_700_000_004))
        assert run.started_at == at(1_700_000_004)
        done = runschema.advance_run(run, "completed", at=at(1_700_000_005), usage=_USAGE)
        assert (done.status, done.completed_at, done.usage) == (
            "completed",
            at(1_700_000_005),
            _USAGE,
        )
        assert done.expires_at is None  # upstream's finished runs have none
        assert (done.cancelled_at, done.failed_at, done.last_error) == (None, None, None)
        runschema.validate(done)  # strict: what respond() sends
        assert (
            orjson.loads(runschema.MODIFY_RUN.respond(done).body)["completed_at"] == 1_700_000_005
        )

    @pytest.mark.parametrize(
        ("status", "kwargs", "field", "value"),
        [
            ("cancelled", {}, "cancelled_at", at(1_700_000_009)),
            ("failed", {"last_error": _ERROR}, "failed_at", at(1_700_000_009)),
            ("failed", {"last_error": _ERROR}, "last_error", _ERROR),
            ("incomplete", {"incomplete_details": _INCOMPLETE}, "incomplete_details", _INCOMPLETE),
            ("expired", {}, "expires_at", at(1_700_000_009)),  # before the time it said
            ("completed", {"usage": _USAGE}, "usage", _USAGE),
        ],
    )
    def test_each_end(self, status: Any, kwargs: Any, field: str, value: Any) -> None:
        """Every terminal status writes what it brings; every end clears required_action."""
        waiting = runschema.advance_run(
            runschema.advance_run(_queued(), "in_progress", at=at(1_700_000_001)),
            "requires_action",
            at=at(1_700_000_002),
            required_action=_action("call_1"),
        )
        start = (
            waiting
            if status in ("failed", "expired")
            else attrs.evolve(
                waiting, status="cancelling" if status == "cancelled" else "in_progress"
            )
        )
        ended = runschema.advance_run(start, status, at=at(1_700_000_009), **kwargs)
        assert getattr(ended, field) == value
        assert ended.required_action is None
        expected_expiry = at(1_700_000_009) if status == "expired" else None
        assert ended.expires_at == expected_expiry

    def test_expired_without_an_expiry_takes_the_time_of_the_move(self) -> None:
        run = runschema.advance_run(_queued(expires=False), "expired", at=at(1_700_000_700))
        assert run.expires_at == at(1_700_000_700)

    def test_expired_says_when(self) -> None:
        """Found by a server author: a run expired early still said it expires later. It
        says the time of the move then, and keeps its own when the worker noticed late."""
        early = runschema.advance_run(_queued(), "expired", at=at(1_700_000_001))
        assert early.expires_at == at(1_700_000_001)
        late = runschema.advance_run(_queued(), "expired", at=at(1_700_000_900))
        assert late.expires_at == at(1_700_000_600)

    def test_what_a_strict_client_refuses_is_refused(self) -> None:
        """Found by a server author: a last_error with a code the spec does not have made a
        run respond() then refused; the server's own arguments are checked strictly (the run
        as it was is not: one read leniently may move)."""
        started = runschema.advance_run(_queued(), "in_progress", at=at(1_700_000_001))
        odd = runschema.LastError(code=UnknownValue(value="weird"), message="x")
        with pytest.raises(ValueError, match=r"last_error is not what a strict client reads: "):
            runschema.advance_run(started, "failed", at=at(1_700_000_002), last_error=odd)
        why = runschema.IncompleteDetails(reason=UnknownValue(value="too_long"))
        with pytest.raises(ValueError, match=r"incomplete_details is not what a strict client"):
            runschema.advance_run(
                started, "incomplete", at=at(1_700_000_002), incomplete_details=why
            )
        step_error = runschema.RunStepLastError(code=UnknownValue(value="weird"), message="x")
        with pytest.raises(ValueError, match=r"advance_step's last_error is not what a strict"):
            runschema.advance_step(_step(), "failed", at=at(1_700_000_002), last_error=step_error)

    def test_a_tzinfo_that_gives_no_offset_or_fails(self) -> None:
        """Found by a server author: a time whose tzinfo gives no offset is naive, yet it was
        read as the machine's local time; a tzinfo that raised let its error through."""

        class NoOffset(tzinfo):
            def utcoffset(self, dt: datetime | None) -> timedelta | None:
                return None

            def dst(self, dt: datetime | None) -> timedelta | None:
                return None

            def tzname(self, dt: datetime | None) -> str | None:
                return None

        class Fails(NoOffset):
            def utcoffset(self, dt: datetime | None) -> timedelta | None:
                raise KeyError("x")

        for zone in (NoOffset(), Fails()):
            when = datetime(2024, 1, 1, tzinfo=zone)
            with pytest.raises(ValueError, match="at must be an aware datetime"):
                runschema.advance_run(_queued(), "in_progress", at=when)
            with pytest.raises(ValueError, match="at must be an aware datetime"):
                runschema.advance_step(_step(), "completed", at=when)
            with pytest.raises(ValueError, match="new_run cannot make a run"):
                runschema.new_run(
                    runschema.CreateRunParams(assistant_id="asst_1"),
                    id="run_1",
                    thread_id="thread_1",
                    created_at=when,
                    defaults=runschema.RunDefaults(model="gpt-4o"),
                )

    def test_a_status_that_is_no_string(self) -> None:
        """An unhashable status is no move, not a TypeError from inside."""
        assert runschema.can_transition("queued", {}) is False  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="a run cannot move from queued to"):
            runschema.advance_run(_queued(), ["in_progress"], at=at(1_700_000_001))  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="a run step cannot move from in_progress to"):
            runschema.advance_step(_step(), ["completed"], at=at(1_700_000_001))  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="a run step that is"):
            runschema.advance_step(_step(), {}, at=at(1_700_000_001), usage=_USAGE)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="a message cannot move from in_progress to"):
            runschema.advance_message(_message(), ["completed"], at=at(1_700_000_001))  # type: ignore[arg-type]

    def test_cancel_clears_what_the_run_waited_on(self) -> None:
        """A run cancelled while it waits on tool outputs waits no more."""
        run = attrs.evolve(_queued(), status="requires_action", required_action=_action("c"))
        cancelling = runschema.advance_run(run, "cancelling", at=at(1_700_000_001))
        assert (cancelling.status, cancelling.required_action) == ("cancelling", None)
        assert cancelling.cancelled_at is None
        assert cancelling.expires_at == at(1_700_000_600)

    def test_staying_changes_no_time(self) -> None:
        """A second cancel, or new tool calls for a waiting run, leave the times alone."""
        run = runschema.advance_run(_queued(), "in_progress", at=at(1_700_000_001))
        again = runschema.advance_run(run, "in_progress", at=at(1_700_000_050))
        assert again == run
        waiting = runschema.advance_run(
            run, "requires_action", at=at(1_700_000_002), required_action=_action("a")
        )
        kept = runschema.advance_run(waiting, "requires_action", at=at(1_700_000_003))
        assert kept.required_action == _action("a")
        other = runschema.advance_run(
            waiting, "requires_action", at=at(1_700_000_003), required_action=_action("b")
        )
        assert other.required_action == _action("b")

    def test_microseconds_and_offsets(self) -> None:
        """Times are whole seconds in UTC, as new_run's are."""
        paris = timezone(timedelta(hours=1))
        when = datetime(2023, 11, 14, 23, 13, 21, 999_999, tzinfo=paris)
        run = runschema.advance_run(_queued(), "in_progress", at=when)
        assert run.started_at == at(1_700_000_001)
        assert run.started_at is not None
        assert run.started_at.tzinfo is timezone.utc

    def test_a_lenient_run_keeps_what_it_kept(self) -> None:
        """Unknown keys and absent keys stay: the seed lacks required_action."""
        doc = orjson.loads(runschema.seed_example())
        doc.update(status="queued", completed_at=None, usage=None, future_field=[1])
        run = runschema.loads(orjson.dumps(doc), runschema.Run)
        moved = runschema.advance_run(run, "in_progress", at=at(1_699_075_080))
        out = orjson.loads(runschema.dumps(moved))
        assert out["future_field"] == [1]
        assert "required_action" not in out
        assert (out["status"], out["started_at"]) == ("in_progress", 1_699_075_080)

    @pytest.mark.parametrize(
        ("status", "kwargs", "message"),
        [
            ("completed", {}, "a run cannot move from queued to completed"),
            ("requires_action", {}, "a run cannot move from queued to requires_action"),
            ("in_progress", {"usage": _USAGE}, "a run that is in_progress has no usage"),
            ("in_progress", {"last_error": _ERROR}, "takes last_error for a failed run"),
            ("failed", {}, "a run moving to failed needs last_error"),
            ("cancelled", {"incomplete_details": _INCOMPLETE}, "takes incomplete_details"),
            (
                "in_progress",
                {"required_action": _action("c")},
                "takes required_action for a requires_action run",
            ),
        ],
    )
    def test_what_cannot_be(self, status: Any, kwargs: Any, message: str) -> None:
        """A forbidden move or a missing or misplaced argument is the server's ValueError."""
        with pytest.raises(ValueError, match=re.escape(message)):
            runschema.advance_run(_queued(), status, at=at(1_700_000_001), **kwargs)

    def test_what_a_status_needs(self) -> None:
        started = runschema.advance_run(_queued(), "in_progress", at=at(1_700_000_001))
        for status, name in (
            ("requires_action", "required_action"),
            ("incomplete", "incomplete_details"),
            ("failed", "last_error"),
        ):
            with pytest.raises(ValueError, match=f"moving to {status} needs {name}"):
                runschema.advance_run(started, status, at=at(1_700_000_002))  # type: ignore[arg-type]

    def test_times(self) -> None:
        """A naive time, or one before the run was created or last started, is refused."""
        run = _queued()
        with pytest.raises(ValueError, match="must be an aware datetime"):
            runschema.advance_run(run, "in_progress", at=datetime(2024, 1, 1))
        with pytest.raises(ValueError, match="before 2023-11-14T22:13:20"):
            runschema.advance_run(run, "in_progress", at=at(1_699_999_999))
        started = runschema.advance_run(run, "in_progress", at=at(1_700_000_100))
        with pytest.raises(ValueError, match="before 2023-11-14T22:15:00"):
            runschema.advance_run(started, "completed", at=at(1_700_000_050))
        same = runschema.advance_run(started, "completed", at=at(1_700_000_100))
        assert same.completed_at == same.started_at

    def test_unknown_status_and_wrong_types(self) -> None:
        paused = attrs.evolve(_queued(), status=UnknownValue(value="paused"))
        with pytest.raises(ValueError, match="cannot move from paused to in_progress"):
            runschema.advance_run(paused, "in_progress", at=at(1_700_000_001))
        with pytest.raises(TypeError, match="run is a Run, not a dict"):
            runschema.advance_run({}, "in_progress", at=at(1_700_000_001))  # type: ignore[arg-type]
        started = runschema.advance_run(_queued(), "in_progress", at=at(1_700_000_001))
        with pytest.raises(TypeError, match="required_action is a RequiredAction, not a dict"):
            runschema.advance_run(
                started,
                "requires_action",
                at=at(1_700_000_002),
                required_action={"type": "submit_tool_outputs"},  # type: ignore[arg-type]
            )
        with pytest.raises(TypeError, match="usage is a Usage, not a dict"):
            runschema.advance_run(started, "completed", at=at(1_700_000_002), usage={})  # type: ignore[arg-type]

    @given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 100)), max_size=12))
    def test_any_walk_is_a_stream_clients_read(self, moves: list[tuple[int, int]]) -> None:
        """Whatever legal moves a server makes, each run is strictly valid and its stream of
        run events passes check_stream: names and statuses agree, every move is legal and a
        run that requires action says what."""
        run = _queued()
        when = 1_700_000_000
        events: list[runschema.StreamEvent] = [
            runschema.RunEvent("thread.run.created", run),
            runschema.RunEvent("thread.run.queued", run),
        ]
        for pick, wait in moves:
            if run.status in runschema.POLL_STOP_STATUSES:
                break
            targets = sorted(runschema.RUN_TRANSITIONS[run.status])  # type: ignore[index]
            status = targets[pick % len(targets)]
            when += wait
            needs = {
                "requires_action": {"required_action": _action(f"call_{when}")},
                "failed": {"last_error": _ERROR},
                "incomplete": {"incomplete_details": _INCOMPLETE},
            }.get(status, {})
            usage = {"usage": _USAGE} if status in runschema.TERMINAL_STATUSES else {}
            run = runschema.advance_run(run, status, at=at(when), **needs, **usage)  # type: ignore[arg-type]
            runschema.validate(run)
            assert (run.required_action is not None) == (status == "requires_action")
            if status == "in_progress":
                assert run.started_at == at(when)
            if status in runschema.TERMINAL_STATUSES:
                assert run.usage == _USAGE
                assert (run.expires_at is None) == (status != "expired")
            events.append(runschema.RunEvent(f"thread.run.{status}", run))  # type: ignore[arg-type]
        if run.status not in runschema.POLL_STOP_STATUSES:
            return  # check_stream asks for an end; a stream cut short is not the point here
        events.append(runschema.DoneEvent())
        assert runschema.check_stream(events) == []


def _step(status: Any = "in_progress") -> runschema.RunStep:
    call = runschema.StepFunctionCall(
        id="call_1",
        function=runschema.StepFunction(name="get_weather", arguments="{}", output=None),
    )
    return runschema.RunStep(
        id="step_1",
        created_at=at(1_700_000_000),
        assistant_id="asst_1",
        thread_id="thread_1",
        run_id="run_1",
        type="tool_calls",
        status=status,
        step_details=runschema.ToolCallsDetails(tool_calls=(call,)),
    )


_STEP_ERROR: Final = runschema.RunStepLastError(code="server_error", message="down")


class TestAdvanceStep:
    """``advance_step``: a run step from in_progress to its end, with that end's time."""

    @pytest.mark.parametrize(
        ("status", "field", "kwargs"),
        [
            ("completed", "completed_at", {"usage": _USAGE}),
            ("failed", "failed_at", {"last_error": _STEP_ERROR}),
            ("cancelled", "cancelled_at", {}),
            ("expired", "expired_at", {}),
        ],
    )
    def test_each_end(self, status: Any, field: str, kwargs: dict[str, Any]) -> None:
        ended = runschema.advance_step(_step(), status, at=at(1_700_000_005), **kwargs)
        assert ended.status == status
        times = {f: getattr(ended, f) for f in ("completed_at", "failed_at", "cancelled_at")}
        times["expired_at"] = ended.expired_at
        assert times == {f: at(1_700_000_005) if f == field else None for f in times}
        for name, value in kwargs.items():
            assert getattr(ended, name) == value
        runschema.validate(ended)

    def test_outputs_come_with_the_end(self) -> None:
        """The server fills in the tool call's output as the step completes."""
        step = _step()
        assert isinstance(step.step_details, runschema.ToolCallsDetails)
        call = step.step_details.tool_calls[0]
        assert isinstance(call, runschema.StepFunctionCall)
        answered = attrs.evolve(call, function=attrs.evolve(call.function, output="sunny"))
        details = runschema.ToolCallsDetails(tool_calls=(answered,))
        done = runschema.advance_step(step, "completed", at=at(1_700_000_001), step_details=details)
        assert done.step_details == details
        out = orjson.loads(runschema.dumps(done))
        assert out["step_details"]["tool_calls"][0]["function"]["output"] == "sunny"

    def test_staying_changes_no_time(self) -> None:
        done = runschema.advance_step(_step(), "completed", at=at(1_700_000_001))
        assert runschema.advance_step(done, "completed", at=at(1_700_000_009)) == done
        assert runschema.advance_step(_step(), "in_progress", at=at(1_700_000_009)) == _step()

    @pytest.mark.parametrize(
        ("start", "status", "kwargs", "message"),
        [
            ("completed", "in_progress", {}, "cannot move from completed to in_progress"),
            ("cancelled", "failed", {"last_error": _STEP_ERROR}, "from cancelled to failed"),
            ("in_progress", "failed", {}, "moving to failed needs last_error"),
            (
                "in_progress",
                "completed",
                {"last_error": _STEP_ERROR},
                "takes last_error only when the run step is failed, not completed",
            ),
            (
                "in_progress",
                "in_progress",
                {"usage": _USAGE},
                "a run step that is in_progress has no",
            ),
        ],
    )
    def test_what_cannot_be(self, start: Any, status: Any, kwargs: Any, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            runschema.advance_step(_step(start), status, at=at(1_700_000_001), **kwargs)

    def test_times_and_types(self) -> None:
        with pytest.raises(ValueError, match="advance_step's at must be an aware datetime"):
            runschema.advance_step(_step(), "completed", at=datetime(2024, 1, 1))
        with pytest.raises(ValueError, match="before 2023-11-14T22:13:20"):
            runschema.advance_step(_step(), "completed", at=at(1_699_999_999))
        with pytest.raises(TypeError, match="step is a RunStep, not a Run"):
            runschema.advance_step(_queued(), "completed", at=at(1_700_000_001))  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="last_error is a RunStepLastError, not a LastError"):
            runschema.advance_step(_step(), "failed", at=at(1_700_000_001), last_error=_ERROR)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="step_details is a MessageCreationDetails or"):
            runschema.advance_step(_step(), "completed", at=at(1_700_000_001), step_details={})  # type: ignore[arg-type]

    def test_details_of_the_steps_own_type(self) -> None:
        """Found by a server author: a tool_calls step completed with message_creation
        details, which respond and a strict read take (the spec ties the two nowhere) and
        clients read by the step's type."""
        made = runschema.MessageCreationDetails(
            message_creation=runschema.MessageCreation(message_id="msg_1")
        )
        with pytest.raises(
            ValueError,
            match="a tool_calls step's step_details are of its type, not message_creation",
        ):
            runschema.advance_step(_step(), "completed", at=at(1_700_000_001), step_details=made)
        step = _step()
        assert isinstance(step.step_details, runschema.ToolCallsDetails)
        same_kind = runschema.ToolCallsDetails(tool_calls=())
        done = runschema.advance_step(
            step, "completed", at=at(1_700_000_001), step_details=same_kind
        )
        assert done.step_details == same_kind


def _message() -> runschema.Message:
    return runschema.Message(
        id="msg_1",
        created_at=at(1_700_000_000),
        thread_id="thread_1",
        status="in_progress",
        role="assistant",
        content=(),
        assistant_id="asst_1",
        run_id="run_1",
    )


_TEXT: Final = runschema.TextContentPart(
    text=runschema.MessageText(value="Hello there!", annotations=())
)


class TestAdvanceMessage:
    """``advance_message``: a message from in_progress to completed or incomplete."""

    def test_completed_with_its_text(self) -> None:
        done = runschema.advance_message(
            _message(), "completed", at=at(1_700_000_003), content=[_TEXT]
        )
        assert (done.status, done.completed_at, done.incomplete_at) == (
            "completed",
            at(1_700_000_003),
            None,
        )
        assert done.content == (_TEXT,)
        runschema.validate(done)
        event = runschema.MessageEvent("thread.message.completed", done)
        runschema.check_event(event)

    def test_incomplete_says_why(self) -> None:
        why = runschema.MessageIncompleteDetails(reason="run_cancelled")
        cut = runschema.advance_message(
            _message(), "incomplete", at=at(1_700_000_003), incomplete_details=why
        )
        assert (cut.status, cut.incomplete_at, cut.completed_at) == (
            "incomplete",
            at(1_700_000_003),
            None,
        )
        assert cut.incomplete_details == why

    def test_staying_changes_no_time(self) -> None:
        done = runschema.advance_message(_message(), "completed", at=at(1_700_000_003))
        assert runschema.advance_message(done, "completed", at=at(1_700_000_009)) == done

    @pytest.mark.parametrize(
        ("start", "status", "kwargs", "message"),
        [
            ("completed", "in_progress", {}, "cannot move from completed to in_progress"),
            ("incomplete", "completed", {}, "cannot move from incomplete to completed"),
            ("in_progress", "incomplete", {}, "moving to incomplete needs incomplete_details"),
            (
                "in_progress",
                "completed",
                {"incomplete_details": runschema.MessageIncompleteDetails(reason="max_tokens")},
                "takes incomplete_details only when the message is incomplete, not completed",
            ),
            (
                "in_progress",
                "incomplete",
                {
                    "incomplete_details": runschema.MessageIncompleteDetails(
                        reason=UnknownValue(value="bored")
                    )
                },
                "incomplete_details is not what a strict client reads",
            ),
        ],
    )
    def test_what_cannot_be(self, start: Any, status: Any, kwargs: Any, message: str) -> None:
        msg = attrs.evolve(_message(), status=start)
        with pytest.raises(ValueError, match=message):
            runschema.advance_message(msg, status, at=at(1_700_000_001), **kwargs)

    def test_times_and_types(self) -> None:
        with pytest.raises(ValueError, match="advance_message's at must be an aware datetime"):
            runschema.advance_message(_message(), "completed", at=datetime(2024, 1, 1))
        with pytest.raises(ValueError, match="before 2023-11-14T22:13:20"):
            runschema.advance_message(_message(), "completed", at=at(1_699_999_999))
        with pytest.raises(TypeError, match="message is a Message, not a Run"):
            runschema.advance_message(_queued(), "completed", at=at(1_700_000_001))  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="content is a sequence of content parts, not str"):
            runschema.advance_message(
                _message(),
                "completed",
                at=at(1_700_000_001),
                content="Hello",  # type: ignore[arg-type]
            )
        with pytest.raises(TypeError, match="content is an ImageFilePart or"):
            runschema.advance_message(
                _message(),
                "completed",
                at=at(1_700_000_001),
                content=[{"type": "text"}],  # type: ignore[list-item]
            )


# --- error answers -------------------------------------------------------------------------


def _error(message: str, type: str, param: str | None, code: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


class TestErrorResponses:
    @pytest.mark.parametrize(
        ("response", "status", "headers", "body"),
        [
            (
                runschema.not_found("run", "run_x"),
                404,
                {"Content-Type": "application/json"},
                _error("No run found with id 'run_x'.", "invalid_request_error", None, None),
            ),
            (
                runschema.not_found("run step", "step_x"),
                404,
                {"Content-Type": "application/json"},
                _error("No run step found with id 'step_x'.", "invalid_request_error", None, None),
            ),
            (
                runschema.active_run("thread_1", "run_1"),
                400,
                {"Content-Type": "application/json"},
                _error(
                    "Thread thread_1 already has an active run run_1.",
                    "invalid_request_error",
                    None,
                    None,
                ),
            ),
            (
                runschema.cannot_cancel(attrs.evolve(runs(1)[0], status="completed")),
                400,
                {"Content-Type": "application/json"},
                _error(
                    "Cannot cancel run with status 'completed'.",
                    "invalid_request_error",
                    None,
                    None,
                ),
            ),
            (
                runschema.not_awaiting_tool_outputs(
                    attrs.evolve(runs(1)[0], status=UnknownValue(value="paused"))
                ),
                400,
                {"Content-Type": "application/json"},
                _error(
                    'Runs in status "paused" do not accept tool outputs.',
                    "invalid_request_error",
                    None,
                    None,
                ),
            ),
            (
                runschema.rate_limited(30),
                429,
                {
                    "Content-Type": "application/json",
                    "Retry-After": "30",
                    "retry-after-ms": "30000",
                },
                _error("Rate limit reached.", "requests", None, "rate_limit_exceeded"),
            ),
            (
                runschema.rate_limited(0, "Slow down."),
                429,
                {"Content-Type": "application/json", "Retry-After": "1"},
                _error("Slow down.", "requests", None, "rate_limit_exceeded"),
            ),
            (
                runschema.server_error(),
                500,
                {"Content-Type": "application/json"},
                _error(
                    "The server had an error while processing your request. Sorry about that!",
                    "server_error",
                    None,
                    None,
                ),
            ),
            (
                runschema.method_not_allowed("DELETE", "/v1/threads/t/runs", ("GET", "POST")),
                405,
                {"Content-Type": "application/json", "Allow": "GET, POST"},
                _error(
                    "Invalid method for URL (DELETE /v1/threads/t/runs).",
                    "invalid_request_error",
                    None,
                    None,
                ),
            ),
            (
                runschema.unknown_route("GET", "/v1/x"),
                404,
                {"Content-Type": "application/json"},
                _error("Invalid URL (GET /v1/x).", "invalid_request_error", None, None),
            ),
            (
                runschema.error_response(400, "m", param="p", code="c", headers={"X-A": "1"}),
                400,
                {"Content-Type": "application/json", "X-A": "1"},
                _error("m", "invalid_request_error", "p", "c"),
            ),
        ],
    )
    def test_helpers(
        self,
        response: runschema.Response,
        status: int,
        headers: dict[str, str],
        body: dict[str, Any],
    ) -> None:
        """Each helper answers its status, headers and the upstream envelope exactly; the
        body decodes strictly as an ErrorResponse."""
        assert (response.status, dict(response.headers)) == (status, headers)
        assert orjson.loads(response.body) == body
        assert list(orjson.loads(response.body)) == ["error"]
        assert list(orjson.loads(response.body)["error"]) == ["message", "type", "param", "code"]
        envelope = runschema.loads(response.body, runschema.ErrorResponse, strict=True)
        assert envelope.error == runschema.ErrorObject(**body["error"])

    def test_bad_request_from_validation(self) -> None:
        """bad_request of a body's ValidationError: 400, the first problem's param and code,
        every problem as a sentence."""
        with pytest.raises(ValidationError) as info:
            CREATE_RUN.parse_request(b'{"assistant_id": 5, "temperature": 9, "foo": 1}')
        response = runschema.bad_request(info.value)
        assert (response.status, dict(response.headers)) == (
            400,
            {"Content-Type": "application/json"},
        )
        assert orjson.loads(response.body) == _error(
            "Invalid type for 'assistant_id': expected a string, got an integer. "
            "Invalid 'temperature': expected a number <= 2, got 9. Unknown parameter: 'foo'.",
            "invalid_request_error",
            "assistant_id",
            "invalid_type",
        )

    @pytest.mark.parametrize("status", [200, 204, 302, 399, 600, True, "404"])
    def test_an_error_answer_is_a_4xx_or_5xx(self, status: Any) -> None:
        """Found in use: error_response(200, ...) was written, and a client reads a 2xx body
        as the resource."""
        with pytest.raises(ValueError, match="4xx or 5xx"):
            runschema.error_response(status, "m")

    @staticmethod
    def _waiting(*ids: str, unknown: str | None = None) -> runschema.Run:
        calls: list[runschema.ToolCall] = [
            runschema.FunctionToolCall(
                id=i, function=runschema.FunctionToolCallFunction(name="f", arguments="{}")
            )
            for i in ids
        ]
        if unknown is not None:
            calls.append(runschema.UnknownToolCall(data={"type": "computer", "id": unknown}))
        action = runschema.RequiredAction(
            submit_tool_outputs=runschema.SubmitToolOutputs(tool_calls=tuple(calls))
        )
        return attrs.evolve(runs(1)[0], status="requires_action", required_action=action)

    @staticmethod
    def _outputs(*ids: str | None) -> runschema.SubmitToolOutputsParams:
        return runschema.SubmitToolOutputsParams(
            tool_outputs=tuple(
                runschema.ToolOutput(output="o")
                if i is None
                else runschema.ToolOutput(tool_call_id=i, output="o")
                for i in ids
            )
        )

    @pytest.mark.parametrize("status", ["queued", "in_progress", "requires_action"])
    def test_no_refusal_of_what_the_operation_takes(self, status: Any) -> None:
        """Found by a server author: "Cannot cancel run with status 'in_progress'." was
        built without a word; a run that can be cancelled, or waits for tool outputs, is a
        ValueError (the server's mistake)."""
        run = attrs.evolve(runs(1)[0], status=status)
        assert runschema.can_cancel(run)
        with pytest.raises(ValueError, match="can be cancelled"):
            runschema.cannot_cancel(run)
        if status == "requires_action":
            with pytest.raises(ValueError, match="waits for tool outputs"):
                runschema.not_awaiting_tool_outputs(run)
        else:
            assert runschema.not_awaiting_tool_outputs(run).status == 400
        assert runschema.cannot_cancel(attrs.evolve(run, status="cancelling")).status == 400

    def test_can_cancel_says_which_answer(self) -> None:
        """can_cancel is true exactly where cannot_cancel is the server's mistake, for every
        status (one this version does not know too: it moves nowhere)."""
        statuses: list[Any] = [
            *typing.get_args(runschema.RunStatus),
            runschema.UnknownValue(value="x"),
        ]
        takes = {"queued", "in_progress", "requires_action"}
        for status in statuses:
            run = attrs.evolve(runs(1)[0], status=status)
            assert runschema.can_cancel(run) == (status in takes), status
            if status not in takes:
                answer = runschema.cannot_cancel(run)
                assert answer.status == 400
                text = status if isinstance(status, str) else "x"
                assert orjson.loads(answer.body)["error"]["message"] == (
                    f"Cannot cancel run with status '{text}'."
                )
        with pytest.raises(TypeError):
            runschema.can_cancel({"status": "queued"})  # type: ignore[arg-type]

    def test_tool_outputs_that_answer_every_call(self) -> None:
        """The answers come back by call id, in the order of the calls, typed str (found by
        a server author, who narrowed UNSET away again after the check)."""
        run = self._waiting("call_1", "call_2", unknown="call_3")
        body = runschema.SubmitToolOutputsParams(
            tool_outputs=tuple(
                runschema.ToolOutput(tool_call_id=i, output=o)
                for i, o in (("call_2", "two"), ("call_3", ""), ("call_1", "one"))
            )
        )
        answers: dict[str, str] = runschema.check_tool_outputs(run, body)
        assert list(answers.items()) == [("call_1", "one"), ("call_2", "two"), ("call_3", "")]

    def test_tool_outputs_that_do_not(self) -> None:
        """Every problem at once: an output naming no call, one for a call the run does not
        wait on, a second one for a call, and each call left unanswered."""
        run = self._waiting("call_1", "call_2", "call_3")
        with pytest.raises(ValidationError) as info:
            runschema.check_tool_outputs(
                run, self._outputs(None, "call_x", "call_1", "call_1", "call_1")
            )
        assert problems(info.value) == [
            ("$.tool_outputs[0].tool_call_id", "missing"),
            ("$.tool_outputs[1].tool_call_id", "unknown_tool_call"),
            ("$.tool_outputs[3].tool_call_id", "duplicate_tool_call"),
            ("$.tool_outputs[4].tool_call_id", "duplicate_tool_call"),
            ("$.tool_outputs", "missing_tool_output"),
            ("$.tool_outputs", "missing_tool_output"),
        ]
        assert [e.message for e in info.value.errors[-2:]] == [
            "no tool output for the call 'call_2'",
            "no tool output for the call 'call_3'",
        ]
        error = orjson.loads(runschema.bad_request(info.value).body)["error"]
        assert (error["param"], error["code"]) == (
            "tool_outputs[0].tool_call_id",
            "missing_required_parameter",
        )

    def test_a_tool_output_without_its_output(self) -> None:
        """Found by a server author: ``{"tool_call_id": "call_1"}`` (the spec leaves both keys
        optional) parsed and passed as an answer; a call answered with nothing is refused at
        the output, an empty string is an answer."""
        run = self._waiting("call_1", "call_2")
        body = SUBMIT_TOOL_OUTPUTS.parse_request(
            b'{"tool_outputs": [{"tool_call_id": "call_1"},'
            b' {"tool_call_id": "call_2", "output": ""}]}'
        )
        with pytest.raises(ValidationError) as info:
            runschema.check_tool_outputs(run, body)
        assert problems(info.value) == [("$.tool_outputs[0].output", "missing")]
        error = orjson.loads(runschema.bad_request(info.value).body)["error"]
        assert (error["param"], error["code"]) == (
            "tool_outputs[0].output",
            "missing_required_parameter",
        )

    def test_a_tool_outputs_report_lists_the_first_hundred(self) -> None:
        """Found by a server author: 1,000 outputs for calls the run does not wait on are
        listed as a check lists problems, the first 100 and a count of the rest."""
        run = self._waiting("call_1")
        ids = [f"x{i}" for i in range(1000)]
        with pytest.raises(ValidationError) as info:
            runschema.check_tool_outputs(run, self._outputs(*ids))
        found = problems(info.value)
        assert found[0] == ("$.tool_outputs[0].tool_call_id", "unknown_tool_call")
        assert len(found) == 101
        assert found[-1] == ("$", "too_many_problems")
        assert problem_count(info.value.errors) == (1001, False)

    def test_tool_outputs_for_a_run_that_waits_on_nothing(self) -> None:
        """Found by a user reading the docstrings: an empty submission to a run waiting on
        nothing was answered {} (a success), and one output the client's unknown_tool_call:
        the server's ValueError, which says to answer not_awaiting_tool_outputs first."""
        run = runschema.fill_absent(runs(1)[0])
        for outputs in (self._outputs("call_1"), self._outputs()):
            with pytest.raises(ValueError, match="not_awaiting_tool_outputs") as info:
                runschema.check_tool_outputs(run, outputs)
            assert not isinstance(info.value, runschema.SchemaError)
        assert runschema.not_awaiting_tool_outputs(run).status == 400
        # found by a trial: waiting on a required action of a type this version does not
        # know, each of the two sent the server to the other; it names no call to answer
        newer = runschema.loads(
            orjson.dumps(
                {
                    **orjson.loads(runschema.dumps(run)),
                    "status": "requires_action",
                    "required_action": {"type": "submit_approval", "submit_approval": {}},
                }
            ),
            runschema.Run,
        )
        assert isinstance(newer.required_action, runschema.UnknownRequiredAction)
        with pytest.raises(ValueError, match="waits for tool outputs"):
            runschema.not_awaiting_tool_outputs(newer)
        assert runschema.check_tool_outputs(newer, self._outputs()) == {}
        with pytest.raises(ValidationError) as info:
            runschema.check_tool_outputs(newer, self._outputs("call_1"))
        assert problems(info.value) == [("$.tool_outputs[0].tool_call_id", "unknown_tool_call")]

    def test_bad_request_from_decode_error(self) -> None:
        """bad_request of malformed JSON: 400, no param, code json_invalid."""
        with pytest.raises(runschema.DecodeError) as info:
            CREATE_RUN.parse_request(b"{")
        assert orjson.loads(runschema.bad_request(info.value).body) == _error(
            "Malformed JSON: unexpected end of data at line 1, column 2.",
            "invalid_request_error",
            None,
            "json_invalid",
        )


# --- endpoints, client side ----------------------------------------------------------------


class TestForwardingUnchecked:
    """Found by a gateway author: what a newer client sent (a new enum value, tool type, key)
    was read leniently and kept, but request() refused to send it, and extra_body took only
    unknown keys: the requests a gateway in front of a newer backend exists to pass on."""

    NEWER: Final = {
        "assistant_id": "asst_1",
        "reasoning_effort": "ultra",
        "tools": [{"type": "web_search", "depth": 2}, {"type": "code_interpreter"}],
        "tool_choice": {"type": "mcp", "server": "s"},
        "service_tier": "flex",
        "metadata": {"k": "v"},
        "temperature": 3,  # past the published bound of 2
        "stream": True,
    }

    def test_a_lenient_read_goes_out_as_it_came(self) -> None:
        body = runschema.loads(orjson.dumps(self.NEWER), runschema.CreateRunParams)
        with pytest.raises(ValidationError):
            CREATE_RUN.request(body, thread_id="t")
        req = CREATE_RUN.request(body, check=False, thread_id="t")
        assert orjson.loads(req.body) == self.NEWER
        assert req.headers["Accept"] == "text/event-stream"
        assert req.path == "/threads/t/runs"

    def test_its_json_data_too(self) -> None:
        """A mapping is read leniently: what it holds goes out, a wrong type is still an
        error (lenient is not sloppy), and extra_body adds to it."""
        req = CREATE_RUN.request(self.NEWER, check=False, extra_body={"x": 1}, thread_id="t")
        assert orjson.loads(req.body) == {**self.NEWER, "x": 1}
        with pytest.raises(ValidationError) as info:
            CREATE_RUN.request({"assistant_id": 5}, check=False, thread_id="t")
        assert [(e.path, e.code) for e in info.value.errors] == [("$.assistant_id", "type")]
        with pytest.raises(ValidationError) as info:
            CREATE_RUN.request({"assistant_id": "a", "top_p": math.nan}, check=False, thread_id="t")
        assert [(e.path, e.code) for e in info.value.errors] == [("$.top_p", "not_finite")]

    def test_path_parameters_as_a_mapping(self) -> None:
        """Found by a gateway author: ``request(body, check=False, **found.params)`` failed
        mypy --strict (a ``**mapping`` is checked against every keyword, ``check`` too);
        ``path=found.params`` is typed, and means the same."""
        found = runschema.route("POST", "/v1/threads/thread_1/runs")
        assert found is not None
        assert found.endpoint is CREATE_RUN
        req = CREATE_RUN.request(self.NEWER, check=False, path=found.params)
        assert req == CREATE_RUN.request(self.NEWER, check=False, thread_id="thread_1")
        with pytest.raises(TypeError, match="not both"):
            CREATE_RUN.request(self.NEWER, path=found.params, thread_id="thread_1")
        with pytest.raises(TypeError, match="takes path parameters"):
            CREATE_RUN.request(self.NEWER, check=False, path={"run_id": "r"})

    def test_the_path_and_query_are_checked_as_always(self) -> None:
        with pytest.raises(runschema.RequestError):
            CREATE_RUN.request(self.NEWER, check=False, thread_id="..")
        with pytest.raises(ValidationError):
            LIST_RUNS.request(query={"limit": 0}, check=False, thread_id="t")


class TestEndpointRequest:
    @pytest.mark.parametrize(
        ("endpoint", "args", "method", "path", "headers", "body"),
        [
            (
                CREATE_RUN,
                {"body": {"assistant_id": "asst_1"}, "thread_id": "thread_1"},
                "POST",
                "/threads/thread_1/runs",
                JSON_BETA,
                {"assistant_id": "asst_1"},
            ),
            (
                CREATE_RUN,
                {
                    "body": runschema.CreateRunParams(assistant_id="a", stream=True),
                    "query": CreateRunQuery(include=(INCLUDE,)),
                    "thread_id": "t 1",
                },
                "POST",
                f"/threads/t%201/runs?{INCLUDE_Q}",
                {**JSON_BETA, "Accept": "text/event-stream"},
                {"assistant_id": "a", "stream": True},
            ),
            (
                CREATE_THREAD_AND_RUN,
                {
                    "body": {
                        "assistant_id": "a",
                        "thread": {"messages": [{"role": "user", "content": "hi"}]},
                    }
                },
                "POST",
                "/threads/runs",
                JSON_BETA,
                {"assistant_id": "a", "thread": {"messages": [{"role": "user", "content": "hi"}]}},
            ),
            (
                CREATE_THREAD_AND_RUN,
                {"body": {"assistant_id": "a", "stream": True}},
                "POST",
                "/threads/runs",
                {**JSON_BETA, "Accept": "text/event-stream"},
                {"assistant_id": "a", "stream": True},
            ),
            (
                LIST_RUNS,
                {
                    "query": ListRunsParams(limit=3, order="asc", after="run_2"),
                    "thread_id": "t",
                },
                "GET",
                "/threads/t/runs?after=run_2&limit=3&order=asc",
                BETA,
                None,
            ),
            (LIST_RUNS, {"thread_id": "t"}, "GET", "/threads/t/runs", BETA, None),
            (
                LIST_RUNS,
                {"query": ListRunsParams(), "thread_id": "t"},
                "GET",
                "/threads/t/runs",
                BETA,
                None,
            ),
            (
                RETRIEVE_RUN,
                {"thread_id": "t", "run_id": "r/1"},
                "GET",
                "/threads/t/runs/r%2F1",
                BETA,
                None,
            ),
            (
                MODIFY_RUN,
                {"body": {"metadata": {"k": "v"}}, "thread_id": "t", "run_id": "r"},
                "POST",
                "/threads/t/runs/r",
                JSON_BETA,
                {"metadata": {"k": "v"}},
            ),
            (
                MODIFY_RUN,
                {"body": None, "thread_id": "t", "run_id": "r"},
                "POST",
                "/threads/t/runs/r",
                JSON_BETA,
                {},
            ),
            (
                CANCEL_RUN,
                {"thread_id": "t", "run_id": "r"},
                "POST",
                "/threads/t/runs/r/cancel",
                BETA,
                None,
            ),
            (
                SUBMIT_TOOL_OUTPUTS,
                {
                    "body": {"tool_outputs": [{"tool_call_id": "c", "output": "o"}]},
                    "thread_id": "t",
                    "run_id": "r",
                },
                "POST",
                "/threads/t/runs/r/submit_tool_outputs",
                JSON_BETA,
                {"tool_outputs": [{"tool_call_id": "c", "output": "o"}]},
            ),
            (
                SUBMIT_TOOL_OUTPUTS,
                {
                    "body": {"tool_outputs": [], "stream": True},
                    "thread_id": "t",
                    "run_id": "r",
                },
                "POST",
                "/threads/t/runs/r/submit_tool_outputs",
                {**JSON_BETA, "Accept": "text/event-stream"},
                {"tool_outputs": [], "stream": True},
            ),
            (
                SUBMIT_TOOL_OUTPUTS,
                {
                    "body": {"tool_outputs": [], "stream": False},
                    "thread_id": "t",
                    "run_id": "r",
                },
                "POST",
                "/threads/t/runs/r/submit_tool_outputs",
                JSON_BETA,
                {"tool_outputs": [], "stream": False},
            ),
            (
                LIST_RUN_STEPS,
                {
                    "query": {"limit": 2, "order": "desc", "include": [INCLUDE]},
                    "thread_id": "t",
                    "run_id": "r",
                },
                "GET",
                f"/threads/t/runs/r/steps?{INCLUDE_Q}&limit=2&order=desc",
                BETA,
                None,
            ),
            (
                RETRIEVE_RUN_STEP,
                {
                    "query": RetrieveRunStepQuery(include=(INCLUDE,)),
                    "thread_id": "t",
                    "run_id": "r",
                    "step_id": "s#1",
                },
                "GET",
                f"/threads/t/runs/r/steps/s%231?{INCLUDE_Q}",
                BETA,
                None,
            ),
        ],
    )
    def test_request(
        self,
        endpoint: runschema.Endpoint[Any, Any, Any],
        args: dict[str, Any],
        method: str,
        path: str,
        headers: dict[str, str],
        body: dict[str, Any] | None,
    ) -> None:
        """request() gives method, encoded path with its query string, headers (Accept:
        text/event-stream when the body streams) and the compact JSON body."""
        req = endpoint.request(**args)
        assert isinstance(req, runschema.Request)
        assert (req.method, req.path, dict(req.headers)) == (method, path, headers)
        if body is None:
            assert req.body == b""
        else:
            assert orjson.loads(req.body) == body
            assert req.body == orjson.dumps(body)
        # what a client sends, the router finds and the endpoint reads back
        found = runschema.route(method, "/v1" + path)
        assert found is not None
        assert found.endpoint is endpoint
        given = args.get("query")
        expected: Any
        if endpoint.query_type is None:
            expected = None
        elif given is None:
            expected = endpoint.query_type()
        elif isinstance(given, endpoint.query_type):
            expected = given
        else:
            expected = runschema.structure(given, endpoint.query_type, strict=True)
        assert endpoint.parse_query(path.partition("?")[2]) == expected
        if endpoint.request_type is not None:
            assert runschema.dumps(endpoint.parse_request(req.body)) == req.body

    def test_streams(self) -> None:
        """The endpoints whose body may ask for a stream are the three the spec streams."""
        assert [e.operation_id for e in ENDPOINTS.values() if e.streams] == [
            "createRun",
            "createThreadAndRun",
            "submitToolOuputsToRun",
        ]

    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            ({"thread_id": ""}, [("$.thread_id", "empty_id")]),
            ({"thread_id": ".."}, [("$.thread_id", "dot_segment")]),
            ({"thread_id": "%2e"}, [("$.thread_id", "dot_segment")]),
            ({"thread_id": "\ud800"}, [("$.thread_id", "invalid_string")]),
        ],
    )
    def test_bad_ids(self, args: dict[str, str], expected: list[tuple[str, str]]) -> None:
        """Ids that cannot name one resource are a RequestError with their path."""
        with pytest.raises(runschema.RequestError) as info:
            LIST_RUNS.request(thread_id=args["thread_id"])
        assert problems(info.value) == expected

    def test_bad_body(self) -> None:
        """The body is checked strictly before it goes out: every problem, with paths."""
        with pytest.raises(ValidationError) as info:
            CREATE_RUN.request(
                {"assistant_id": "a", "temperature": 3, "tools": [{"type": "browser"}]},
                thread_id="t",
            )
        assert problems(info.value) == [
            ("$.tools[0].type", "unknown_tag"),
            ("$.temperature", "out_of_range"),
        ]
        with pytest.raises(ValidationError) as missing:
            CREATE_RUN.request(None, thread_id="t")
        assert problems(missing.value) == [("$.assistant_id", "missing")]

    def test_bad_query(self) -> None:
        """The query is checked strictly too."""
        with pytest.raises(ValidationError) as info:
            LIST_RUNS.request(query={"limit": 0}, thread_id="t")
        assert problems(info.value) == [("$.limit", "out_of_range")]
        with pytest.raises(ValidationError) as value:
            LIST_RUNS.request(query=ListRunsParams(limit=101), thread_id="t")
        assert problems(value.value) == [("$.limit", "out_of_range")]

    def test_misuse(self) -> None:
        """A body for a bodyless operation, a query for a queryless one, wrong path
        parameters, and extra_body overriding a declared key are refused."""
        with pytest.raises(TypeError):
            CANCEL_RUN.request({}, thread_id="t", run_id="r")
        with pytest.raises(TypeError):
            RETRIEVE_RUN.request(query={}, thread_id="t", run_id="r")
        with pytest.raises(TypeError):
            RETRIEVE_RUN.request(thread_id="t")
        with pytest.raises(runschema.RequestError) as info:
            CREATE_RUN.request({"assistant_id": "a"}, extra_body={"stream": True}, thread_id="t")
        assert problems(info.value) == [("$.extra_body.stream", "duplicate_key")]
        req = CREATE_RUN.request({"assistant_id": "a"}, extra_body={"x_flag": 1}, thread_id="t")
        assert req.body == b'{"assistant_id":"a","x_flag":1}'

    def test_query_of_the_wrong_type(self) -> None:
        """A query that is neither the query type nor a mapping is reported at $.query."""
        with pytest.raises(runschema.RequestError) as info:
            LIST_RUNS.request(query="limit=3", thread_id="t")  # type: ignore[arg-type]
        assert problems(info.value) == [("$.query", "type")]


# --- endpoints, responses ------------------------------------------------------------------


def _run_doc() -> dict[str, Any]:
    doc: dict[str, Any] = orjson.loads(runschema.seed_example())
    doc["required_action"] = None
    return doc


class TestEndpointResponse:
    @pytest.mark.parametrize(
        ("endpoint", "doc", "cls"),
        [
            (CREATE_RUN, _run_doc(), runschema.Run),
            (CREATE_THREAD_AND_RUN, _run_doc(), runschema.Run),
            (RETRIEVE_RUN, _run_doc(), runschema.Run),
            (MODIFY_RUN, _run_doc(), runschema.Run),
            (CANCEL_RUN, _run_doc(), runschema.Run),
            (SUBMIT_TOOL_OUTPUTS, _run_doc(), runschema.Run),
            (
                LIST_RUNS,
                {
                    "object": "list",
                    "data": [_run_doc()],
                    "first_id": "run_abc123",
                    "last_id": "run_abc123",
                    "has_more": False,
                },
                runschema.RunList,
            ),
            (
                LIST_RUN_STEPS,
                {
                    "object": "list",
                    "data": [STEP],
                    "first_id": "step_1",
                    "last_id": "step_1",
                    "has_more": True,
                },
                runschema.RunStepList,
            ),
            (RETRIEVE_RUN_STEP, STEP, runschema.RunStep),
        ],
    )
    def test_2xx(self, endpoint: Any, doc: dict[str, Any], cls: type[Any]) -> None:
        """A 2xx body becomes the endpoint's typed value, strictly or not; respond() writes
        the same bytes back."""
        assert endpoint.response_type is cls
        body = orjson.dumps(doc)
        for status in (200, 201):
            value = endpoint.parse_response(status, body, strict=True)
            assert type(value) is cls
            assert orjson.loads(runschema.dumps(value)) == doc
            assert endpoint.parse_response(status, body.decode()) == value
        response = endpoint.respond(value)
        assert (response.status, dict(response.headers)) == (
            200,
            {"Content-Type": "application/json"},
        )
        assert orjson.loads(response.body) == doc

    def test_respond_refuses_another_type(self) -> None:
        """respond() takes the endpoint's response type only."""
        with pytest.raises(TypeError):
            LIST_RUNS.respond(runschema.loads(orjson.dumps(STEP), runschema.RunStep))  # type: ignore[arg-type]

    def test_respond_refuses_a_step_whose_type_is_not_its_details(self) -> None:
        """A run step whose type names other details than it holds is refused whatever
        check says, alone or in a page (clients switch on the type, then read the details)."""
        good = runschema.loads(orjson.dumps(STEP), runschema.RunStep, strict=True)
        other: Literal["message_creation", "tool_calls"] = (
            "message_creation" if good.type == "tool_calls" else "tool_calls"
        )
        wrong = attrs.evolve(good, type=other)
        for check in (True, False):
            with pytest.raises(ValueError, match=f"is of type {other!r} but its step_details"):
                RETRIEVE_RUN_STEP.respond(wrong, check=check)
        page = runschema.RunStepList(
            data=(good, attrs.evolve(wrong, id="step_2")),
            first_id=good.id,
            last_id="step_2",
            has_more=False,
        )
        with pytest.raises(ValueError, match="step 'step_2'"):
            LIST_RUN_STEPS.respond(page)
        assert RETRIEVE_RUN_STEP.respond(good).status == 200

    def test_respond_refuses_a_waiting_run_that_says_not_what_for(self) -> None:
        """Found in use: a run changed by attrs.evolve(run, status="requires_action") was
        served, and the official client's create_and_poll handed the caller a run whose
        required_action was None (AttributeError in the usual code). In a page too."""
        waiting = attrs.evolve(runschema.fill_absent(runs(1)[0]), status="requires_action")
        for check in (True, False):  # whatever check says: a schema check does not see it
            with pytest.raises(ValueError, match="requires_action but has no required_action"):
                runschema.RETRIEVE_RUN.respond(waiting, check=check)
        page = runschema.paginate(
            [waiting, *map(runschema.fill_absent, runs(3)[1:])], runschema.ListRunsParams()
        )
        with pytest.raises(ValueError, match="run_0"):
            LIST_RUNS.respond(page)
        call = runschema.FunctionToolCall(
            id="call_1", function=runschema.FunctionToolCallFunction(name="f", arguments="{}")
        )
        action = runschema.RequiredAction(
            submit_tool_outputs=runschema.SubmitToolOutputs(tool_calls=(call,))
        )
        answer = runschema.RETRIEVE_RUN.respond(attrs.evolve(waiting, required_action=action))
        assert orjson.loads(answer.body)["required_action"]["type"] == "submit_tool_outputs"

    def test_respond_refuses_a_run_that_breaks_the_schema(self) -> None:
        """Found in use: a stored run changed by attrs.evolve past the schema's bounds was
        answered 200, and a strict client (runschema's own strict read) refused the answer.
        What a server sends is its own bug: a ValueError (never a SchemaError, which a
        handler would answer as the client's 400) listing the problems, with the
        ValidationError as its cause; check=False sends it anyway."""
        run = attrs.evolve(
            runschema.fill_absent(runs(1)[0]),
            max_prompt_tokens=10,
            metadata={f"k{i}": "v" for i in range(17)},
            tools=(runschema.CodeInterpreterTool(),) * 21,
        )
        with pytest.raises(ValueError, match="breaks the published schema") as info:
            RETRIEVE_RUN.respond(run)
        assert not isinstance(info.value, runschema.SchemaError)
        cause = info.value.__cause__
        assert isinstance(cause, ValidationError)
        assert problems(cause) == [
            ("$.tools", "too_many"),
            ("$.metadata", "too_many"),
            ("$.max_prompt_tokens", "out_of_range"),
        ]
        assert "$.tools too_many" in str(info.value)
        body = RETRIEVE_RUN.respond(run, check=False).body
        assert orjson.loads(body)["max_prompt_tokens"] == 10
        page = runschema.paginate([run], ListRunsParams())
        with pytest.raises(ValueError, match=re.escape("$.data[0].tools too_many")):
            LIST_RUNS.respond(page)

    def test_respond_names_fill_absent_for_keys_a_lenient_decode_found_absent(self) -> None:
        """The seed page's run lacks required_action: read leniently it is written without
        it, which the published shape does not allow; fill_absent writes it as null."""
        seed = _seed_run()
        with pytest.raises(ValueError, match="fill_absent") as info:
            RETRIEVE_RUN.respond(seed)
        assert isinstance(info.value.__cause__, ValidationError)
        assert problems(info.value.__cause__) == [("$.required_action", "missing")]
        answer = RETRIEVE_RUN.respond(runschema.fill_absent(seed))
        assert orjson.loads(answer.body)["required_action"] is None

    def test_respond_lists_five_problems_and_counts_the_rest(self) -> None:
        run = attrs.evolve(
            runschema.fill_absent(runs(1)[0]),
            metadata={f"{i:0>65}": "v" for i in range(8)},
        )
        with pytest.raises(ValueError, match="breaks the published schema") as info:
            RETRIEVE_RUN.respond(run)
        assert str(info.value).count("too_long") == 5
        assert str(info.value).endswith("; and 3 more")
        assert len(info.value.__cause__.errors) == 8  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        "headers",
        [
            {"openai-poll-after-ms": "250.0"},
            {"OpenAI-Poll-After-Ms": "-1"},
            {"openai-poll-after-ms": "250ms"},
            {"X-A": "1\r\nSet-Cookie: x"},
            {"X-A\n": "1"},
            {"": "1"},
            {1: "1"},  # found reading the change: an AttributeError from the merge
        ],
    )
    def test_respond_refuses_headers_no_client_reads(self, headers: dict[str, str]) -> None:
        """Found by a server author: the official poll helpers raise on a poll-after value
        that is no whole number, and a line end in a header splits the answer."""
        run = runschema.fill_absent(_seed_run())
        with pytest.raises(ValueError, match=r"header|milliseconds"):
            RETRIEVE_RUN.respond(run, headers=headers)

    def test_respond_headers_replace_in_any_case(self) -> None:
        run = runschema.fill_absent(_seed_run())
        answer = RETRIEVE_RUN.respond(run, headers={"content-type": "application/json; x=1"})
        assert dict(answer.headers) == {"content-type": "application/json; x=1"}

    @pytest.mark.parametrize("status", [204, 205])
    def test_no_body_on_a_204(self, status: int) -> None:
        """Found by a server author: a 204 with a body; the official client failed, and the
        bytes broke the next answer on the connection."""
        with pytest.raises(ValueError, match="not 204 or 205"):
            RETRIEVE_RUN.respond(runschema.fill_absent(_seed_run()), status=status)
        with pytest.raises(ValueError, match="not 204 or 205"):
            runschema.stream_response([], status=status)

    def test_the_schema_check_comes_first_and_check_false_skips_only_it(self) -> None:
        """Found by a server author: a waiting run that says not what for was refused before
        the schema check could name its other problems."""
        waiting = attrs.evolve(
            runschema.fill_absent(_seed_run()), status="requires_action", max_prompt_tokens=1
        )
        with pytest.raises(ValueError, match="breaks the published schema") as info:
            RETRIEVE_RUN.respond(waiting)
        assert problems(info.value.__cause__) == [("$.max_prompt_tokens", "out_of_range")]  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="requires_action but has no required_action"):
            RETRIEVE_RUN.respond(waiting, check=False)

    def test_respond_with_headers(self) -> None:
        """A server author's wish: the poll helpers wait a second between requests unless
        the answer says otherwise (openai-poll-after-ms)."""
        run = runschema.fill_absent(_seed_run())
        answer = RETRIEVE_RUN.respond(run, headers={"openai-poll-after-ms": "100"})
        assert dict(answer.headers) == {
            "Content-Type": "application/json",
            "openai-poll-after-ms": "100",
        }

    @pytest.mark.parametrize("status", [0, 199, 300, 404, 500, True, "200"])
    def test_respond_answers_with_a_2xx(self, status: Any) -> None:
        """An answer carrying a run is a 2xx: an error has its own helpers."""
        run = runschema.fill_absent(_seed_run())
        with pytest.raises(ValueError, match="2xx"):
            RETRIEVE_RUN.respond(run, status=status)
        assert RETRIEVE_RUN.respond(run, status=201).status == 201

    @pytest.mark.parametrize("endpoint", list(ENDPOINTS.values()))
    @pytest.mark.parametrize(
        "response",
        [
            runschema.not_found("run", "run_x"),
            runschema.active_run("t", "r"),
            runschema.rate_limited(5),
            runschema.server_error(),
        ],
    )
    def test_errors(self, endpoint: Any, response: runschema.Response) -> None:
        """A non-2xx answer raises APIError with status and the error fields; the body
        passes through to_openai_error unchanged."""
        with pytest.raises(APIError) as info:
            endpoint.parse_response(response.status, response.body)
        e = info.value
        doc = orjson.loads(response.body)
        assert (e.status, e.message, e.type, e.param, e.code) == (
            response.status,
            doc["error"]["message"],
            doc["error"]["type"],
            doc["error"]["param"],
            doc["error"]["code"],
        )
        assert e.to_openai_error() == doc

    def test_error_keeps_unknown_keys(self) -> None:
        """The server's own error object is kept whole, unknown keys too."""
        body = orjson.dumps(
            {"error": {"message": "m", "type": "t", "param": None, "code": None, "x": "y"}}
        )
        with pytest.raises(APIError) as info:
            LIST_RUN_STEPS.parse_response(400, body)
        assert info.value.to_openai_error() == orjson.loads(body)
        assert orjson.dumps(info.value.to_openai_error()) == body

    def test_error_body_given_back_as_sent(self) -> None:
        """to_openai_error gives back the server's body as plain JSON data (lists, dicts)."""
        doc = {
            "error": {
                "message": "m",
                "type": "t",
                "param": None,
                "code": None,
                "allowed": [1, 2],
            }
        }
        with pytest.raises(APIError) as info:
            LIST_RUN_STEPS.parse_response(400, orjson.dumps(doc))
        assert info.value.to_openai_error() == doc

    def test_error_carries_error_response(self) -> None:
        """The APIError of a 4xx carries the body as a runschema.ErrorResponse."""
        response = runschema.not_found("run", "run_x")
        with pytest.raises(APIError) as info:
            RETRIEVE_RUN.parse_response(404, response.body)
        expected = runschema.loads(response.body, runschema.ErrorResponse)
        carried = [v for v in vars(info.value).values() if isinstance(v, runschema.ErrorResponse)]
        assert carried == [expected]


# --- endpoints, service side ---------------------------------------------------------------


class TestParseRequest:
    def test_closed_bodies(self) -> None:
        """Every body is closed: unknown keys at any depth are unknown_field with paths."""
        body = orjson.dumps(
            {
                "assistant_id": "a",
                "thread": {"messages": [{"role": "user", "content": "x", "foo": 1}], "bar": 2},
            }
        )
        with pytest.raises(ValidationError) as info:
            CREATE_THREAD_AND_RUN.parse_request(body)
        assert problems(info.value) == [
            ("$.thread.messages[0].foo", "unknown_field"),
            ("$.thread.bar", "unknown_field"),
        ]
        assert info.value.to_openai_error()["error"]["param"] == "thread.messages[0].foo"

    @pytest.mark.parametrize(
        ("endpoint", "body", "expected"),
        [
            (SUBMIT_TOOL_OUTPUTS, {}, [("$.tool_outputs", "missing")]),
            (
                SUBMIT_TOOL_OUTPUTS,
                {"tool_outputs": [{"tool_call_id": 5}]},
                [("$.tool_outputs[0].tool_call_id", "type")],
            ),
            (CREATE_RUN, {}, [("$.assistant_id", "missing")]),
            (
                CREATE_RUN,
                {
                    "assistant_id": "a",
                    "stream": "yes",
                    "reasoning_effort": "extreme",
                    "additional_messages": [{"role": "user", "content": [{"type": "video"}]}],
                },
                [
                    ("$.reasoning_effort", "enum"),
                    ("$.additional_messages[0].content[0].type", "unknown_tag"),
                    ("$.stream", "type"),
                ],
            ),
            (
                CREATE_RUN,
                {"assistant_id": "a", "max_completion_tokens": 255, "top_p": 1.5},
                [("$.top_p", "out_of_range"), ("$.max_completion_tokens", "out_of_range")],
            ),
            (
                CREATE_THREAD_AND_RUN,
                {"assistant_id": "a", "thread": {"messages": [{"role": "user", "content": []}]}},
                [("$.thread.messages[0].content", "too_few")],
            ),
            (MODIFY_RUN, {"metadata": {"a": "b"}, "stream": True}, [("$.stream", "unknown_field")]),
        ],
    )
    def test_strict(
        self, endpoint: Any, body: dict[str, Any], expected: list[tuple[str, str]]
    ) -> None:
        """parse_request validates strictly, every problem with its path and code."""
        with pytest.raises(ValidationError) as info:
            endpoint.parse_request(orjson.dumps(body))
        assert problems(info.value) == expected

    def test_content_parts(self) -> None:
        """A message's content may be parts: text and image URL read as their classes."""
        params = CREATE_RUN.parse_request(
            b'{"assistant_id": "a", "additional_messages": [{"role": "user", "content": ['
            b'{"type": "text", "text": "hi"}, {"type": "image_url", "image_url": '
            b'{"url": "https://x/y.png", "detail": "low"}}]}]}'
        )
        assert params.additional_messages == (
            runschema.CreateMessageParams(
                role="user",
                content=(
                    runschema.TextPart(text="hi"),
                    runschema.ImageUrlPart(
                        image_url=runschema.MessageImageUrl(url="https://x/y.png", detail="low")
                    ),
                ),
            ),
        )

    @pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS.values() if not e.request_type])
    @pytest.mark.parametrize("body", [b"", b"{}", b" { } ", "", "{}"])
    def test_no_body(self, endpoint: Any, body: bytes | str) -> None:
        """An operation without a body takes an empty one (or {}) and returns None."""
        assert endpoint.parse_request(body) is None

    @pytest.mark.parametrize("body", [b"[]", b"null", b"1"])
    def test_no_body_refuses_content(self, body: bytes) -> None:
        """JSON that is not an object is not_object, as for every body."""
        with pytest.raises(runschema.DecodeError) as info:
            CANCEL_RUN.parse_request(body)
        assert problems(info.value) == [("$", "not_object")]

    @pytest.mark.parametrize("body", [b"}{", b"{{}}", b"{}{}", b"}"])
    def test_no_body_refuses_malformed_json(self, body: bytes) -> None:
        """Text that is not JSON is a DecodeError, for a bodyless operation too."""
        with pytest.raises(runschema.DecodeError):
            CANCEL_RUN.parse_request(body)

    def test_no_body_lone_surrogate(self) -> None:
        """A str body with a lone surrogate is a SchemaError, as for every other body."""
        with pytest.raises(runschema.SchemaError):
            CANCEL_RUN.parse_request("\ud800")

    def test_no_body_names_the_unknown_key(self) -> None:
        """A key sent to a bodyless operation is unknown_field at its own path."""
        with pytest.raises(ValidationError) as info:
            CANCEL_RUN.parse_request(b'{"reason": "x"}')
        assert problems(info.value) == [("$.reason", "unknown_field")]

    def test_no_body_lists_the_first_hundred_keys(self) -> None:
        """Found by a server author: 5,000 keys made 5,000 problems (a 1 MB message);
        they are listed as a check lists them, the first 100 and a count of the rest."""
        body = orjson.dumps({f"k{i}": 1 for i in range(5000)})
        with pytest.raises(ValidationError) as info:
            RETRIEVE_RUN.parse_request(body)
        found = problems(info.value)
        assert found[:2] == [("$.k0", "unknown_field"), ("$.k1", "unknown_field")]
        assert len(found) == 101
        assert found[-1] == ("$", "too_many_problems")
        assert problem_count(info.value.errors) == (5000, False)


# --- the spec's examples -------------------------------------------------------------------

REQUEST_TYPES = {
    "01_createThreadAndRun_default_request.json": CREATE_THREAD_AND_RUN,
    "02_createThreadAndRun_streaming_request.json": CREATE_THREAD_AND_RUN,
    "03_createThreadAndRun_streaming-with-functions_request.json": CREATE_THREAD_AND_RUN,
    "04_createRun_default_request.json": CREATE_RUN,
    "05_createRun_streaming_request.json": CREATE_RUN,
    "06_createRun_streaming-with-functions_request.json": CREATE_RUN,
    "07_modifyRun_request.json": MODIFY_RUN,
    "08_submitToolOuputsToRun_default_request.json": SUBMIT_TOOL_OUTPUTS,
    "09_submitToolOuputsToRun_streaming_request.json": SUBMIT_TOOL_OUTPUTS,
}


@functools.lru_cache(maxsize=1)
def _spec_text() -> str:
    return (DATA / "spec" / "run_subset.yaml").read_text()


@functools.lru_cache(maxsize=1)
def _spec() -> Any:
    import yaml

    return yaml.safe_load(_spec_text())


def _response_example(path: str) -> bytes:
    """The response example of ``GET path`` in the spec, as JSON bytes."""
    text: str = _spec()["paths"][path]["get"]["x-oaiMeta"]["examples"]["response"]
    return text.encode()


def _streamed_steps() -> list[dict[str, Any]]:
    """Every run step object in the spec's streaming examples (``data:`` lines)."""
    out = []
    for m in re.finditer(r"^\s*data: (\{.*\})\s*$", _spec_text(), re.M):
        try:
            doc = json.loads(m.group(1))
        except ValueError:  # the spec's runs with one stray brace (see tests/data/README.md)
            continue
        if doc.get("object") == "thread.run.step":
            out.append(doc)
    return out


class TestSpecExamples:
    def test_request_examples_are_all_here(self) -> None:
        """Every request example is covered below."""
        names = sorted(p.name for p in (EXAMPLES / "requests").glob("*.json"))
        assert names == sorted(REQUEST_TYPES)

    @pytest.mark.parametrize(("name", "endpoint"), sorted(REQUEST_TYPES.items()))
    @pytest.mark.parametrize("strict", [False, True])
    def test_request_bodies(self, name: str, endpoint: Any, strict: bool) -> None:
        """Each request example reads in both modes and writes back the same JSON; the
        endpoint's parse_request and request() agree with it."""
        raw = (EXAMPLES / "requests" / name).read_bytes()
        value = runschema.loads(raw, endpoint.request_type, strict=strict)
        assert orjson.loads(runschema.dumps(value)) == orjson.loads(raw)
        assert endpoint.parse_request(raw) == value
        ids = {p: p.replace("_id", "_1") for p in endpoint.path_params}
        req = endpoint.request(value, **ids)
        assert orjson.loads(req.body) == orjson.loads(raw)
        streams = orjson.loads(raw).get("stream") is True
        assert ("Accept" in req.headers) == streams

    def test_list_runs_example(self) -> None:
        """The List runs example is a RunList, lossless in lenient mode; strict mode reports
        the required_action its runs leave out (an erratum of the examples)."""
        raw = (EXAMPLES / "15_listRuns.json").read_bytes()
        page = runschema.loads(raw, runschema.RunList)
        assert orjson.loads(runschema.dumps(page)) == orjson.loads(raw)
        assert [r.id for r in page.data] == ["run_abc123", "run_abc456"]
        assert (page.first_id, page.last_id, page.has_more) == ("run_abc123", "run_abc456", False)
        assert LIST_RUNS.parse_response(200, raw) == page
        with pytest.raises(ValidationError) as info:
            runschema.loads(raw, runschema.RunList, strict=True)
        assert problems(info.value) == [
            ("$.data[0].required_action", "missing"),
            ("$.data[1].required_action", "missing"),
        ]

    def test_list_run_steps_example(self) -> None:
        """The List run steps example is a RunStepList, lossless; strict mode reports the
        metadata it leaves out (ERRATA: RunStepObject.metadata:examples)."""
        raw = _response_example("/threads/{thread_id}/runs/{run_id}/steps")
        page = runschema.loads(raw, runschema.RunStepList)
        assert orjson.loads(runschema.dumps(page)) == orjson.loads(raw)
        [step] = page.data
        assert step.step_details == runschema.MessageCreationDetails(
            message_creation=runschema.MessageCreation(message_id="msg_abc123")
        )
        assert step.usage == runschema.Usage(
            prompt_tokens=123, completion_tokens=456, total_tokens=579
        )
        assert (page.first_id, page.last_id, page.has_more) == ("step_abc123", "step_abc456", False)
        with pytest.raises(ValidationError) as info:
            runschema.loads(raw, runschema.RunStepList, strict=True)
        assert problems(info.value) == [("$.data[0].metadata", "missing")]
        assert "RunStepObject.metadata:examples" in runschema.ERRATA

    def test_retrieve_run_step_example(self) -> None:
        """The Retrieve run step example is a RunStep, lossless, metadata absent and kept so."""
        raw = _response_example("/threads/{thread_id}/runs/{run_id}/steps/{step_id}")
        step = RETRIEVE_RUN_STEP.parse_response(200, raw)
        assert (step.id, step.type, step.status, step.created_at) == (
            "step_abc123",
            "message_creation",
            "completed",
            at(1699063291),
        )
        assert runschema.absent_fields(step) == {"metadata"}
        assert orjson.loads(runschema.dumps(step)) == orjson.loads(raw)
        with pytest.raises(ValidationError) as info:
            RETRIEVE_RUN_STEP.parse_response(200, raw, strict=True)
        assert problems(info.value) == [("$.metadata", "missing")]

    def test_streamed_steps(self) -> None:
        """The 15 run steps of the streaming examples send expires_at for expired_at and no
        metadata: lenient keeps both as they came; strict reports both missing (ERRATA)."""
        docs = _streamed_steps()
        assert len(docs) == 15
        for doc in docs:
            raw = orjson.dumps(doc)
            step = runschema.loads(raw, runschema.RunStep)
            assert orjson.loads(runschema.dumps(step)) == doc
            assert step.expired_at is None
            assert runschema.unknown_fields(step) == {"expires_at": doc["expires_at"]}
            assert runschema.absent_fields(step) == {"expired_at", "metadata"}
            with pytest.raises(ValidationError) as info:
                runschema.loads(raw, runschema.RunStep, strict=True)
            assert problems(info.value) == [("$.expired_at", "missing"), ("$.metadata", "missing")]


class TestRunStepRoundTrips:
    def test_an_unknown_file_search_content_type(self) -> None:
        """A newer content type of a file search result is kept, as every open enum is."""
        doc = copy.deepcopy(STEP)
        doc["step_details"]["tool_calls"][1]["file_search"]["results"][0]["content"] = [
            {"type": "image", "image": {"file_id": "file_1"}}
        ]
        step = runschema.loads(orjson.dumps(doc), runschema.RunStep)
        details = step.step_details
        assert isinstance(details, runschema.ToolCallsDetails)
        call = details.tool_calls[1]
        assert isinstance(call, runschema.StepFileSearchCall)
        (result,) = call.file_search.results  # type: ignore[misc]
        assert result.content[0].type == UnknownValue(value="image")  # type: ignore[index]
        assert orjson.loads(runschema.dumps(step)) == doc
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), runschema.RunStep, strict=True)
        path = "$.step_details.tool_calls[1].file_search.results[0].content[0]"
        assert [(e.path, e.code) for e in info.value.errors] == [(f"{path}.type", "enum")]

    @pytest.mark.parametrize("strict", [False, True])
    def test_every_arm(self, strict: bool) -> None:
        """A step with every tool call arm and output arm reads to their classes and writes
        back the same JSON."""
        step = runschema.loads(orjson.dumps(STEP), runschema.RunStep, strict=strict)
        assert orjson.loads(runschema.dumps(step)) == STEP
        details = step.step_details
        assert isinstance(details, runschema.ToolCallsDetails)
        code, search, function = details.tool_calls
        assert code == runschema.StepCodeInterpreterCall(
            id="call_1",
            code_interpreter=runschema.StepCodeInterpreter(
                input="print(1)",
                outputs=(
                    runschema.CodeInterpreterLogsOutput(logs="1"),
                    runschema.CodeInterpreterImageOutput(
                        image=runschema.CodeInterpreterImage(file_id="file_1")
                    ),
                ),
            ),
        )
        assert isinstance(search, runschema.StepFileSearchCall)
        assert search.file_search.ranking_options == runschema.StepFileSearchRankingOptions(
            ranker="default_2024_08_21", score_threshold=0.5
        )
        assert function == runschema.StepFunctionCall(
            id="call_3",
            function=runschema.StepFunction(name="f", arguments="{}", output="ok"),
        )
        assert step.completed_at == at(1699063292)

    def test_unknown_arms_lenient(self) -> None:
        """Unknown statuses, tool calls, outputs, details and keys are kept, written back."""
        doc = copy.deepcopy(STEP)
        calls = doc["step_details"]["tool_calls"]
        calls.append({"id": "call_4", "type": "browser", "browser": {"url": "x"}})
        calls[0]["code_interpreter"]["outputs"].append({"type": "video", "video": {}})
        doc["status"] = "paused"
        doc["new_key"] = [1, 2]
        step = runschema.loads(orjson.dumps(doc), runschema.RunStep)
        assert orjson.loads(runschema.dumps(step)) == doc
        assert step.status == UnknownValue(value="paused")
        assert isinstance(step.step_details, runschema.ToolCallsDetails)
        assert isinstance(step.step_details.tool_calls[3], runschema.UnknownStepToolCall)
        code = step.step_details.tool_calls[0]
        assert isinstance(code, runschema.StepCodeInterpreterCall)
        assert isinstance(code.code_interpreter.outputs[2], runschema.UnknownCodeInterpreterOutput)
        assert runschema.unknown_fields(step) == {"new_key": (1, 2)}
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), runschema.RunStep, strict=True)
        assert problems(info.value) == [
            ("$.status", "enum"),
            ("$.step_details.tool_calls[0].code_interpreter.outputs[2].type", "unknown_tag"),
            ("$.step_details.tool_calls[3].type", "unknown_tag"),
        ]

    def test_unknown_details(self) -> None:
        """Step details of an unknown type are kept leniently, unknown_tag strictly."""
        doc = copy.deepcopy(STEP)
        doc["step_details"] = {"type": "thinking", "thinking": {"steps": 3}}
        step = runschema.loads(orjson.dumps(doc), runschema.RunStep)
        assert isinstance(step.step_details, runschema.UnknownStepDetails)
        assert orjson.loads(runschema.dumps(step)) == doc
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), runschema.RunStep, strict=True)
        assert problems(info.value) == [("$.step_details.type", "unknown_tag")]

    def test_bounds_and_codes(self) -> None:
        """A score above 1 and a run-only error code are refused strictly; the code is kept
        as an UnknownValue leniently."""
        doc = copy.deepcopy(STEP)
        doc["step_details"]["tool_calls"][1]["file_search"]["results"][0]["score"] = 1.5
        doc["last_error"] = {"code": "invalid_prompt", "message": "x"}
        with pytest.raises(ValidationError) as info:
            runschema.loads(orjson.dumps(doc), runschema.RunStep, strict=True)
        assert problems(info.value) == [
            ("$.step_details.tool_calls[1].file_search.results[0].score", "out_of_range"),
            ("$.last_error.code", "enum"),
        ]
        step = runschema.loads(orjson.dumps(doc), runschema.RunStep)
        assert step.last_error == runschema.RunStepLastError(
            code=UnknownValue(value="invalid_prompt"), message="x"
        )

    def test_step_list(self) -> None:
        """A RunStepList of several steps round-trips, strictly."""
        doc = {
            "object": "list",
            "data": [STEP, {**STEP, "id": "step_2"}],
            "first_id": "step_1",
            "last_id": "step_2",
            "has_more": False,
        }
        page = runschema.loads(orjson.dumps(doc), runschema.RunStepList, strict=True)
        assert [s.id for s in page.data] == ["step_1", "step_2"]
        assert orjson.loads(runschema.dumps(page)) == doc

    def test_error_response(self) -> None:
        """ErrorResponse reads the envelope, unknown keys kept leniently; strictly, all four
        keys are required (code and param nullable)."""
        doc = {"error": {"message": "m", "type": "t", "param": "p", "code": "c", "x": 1}}
        value = runschema.loads(orjson.dumps(doc), runschema.ErrorResponse)
        assert value.error.message == "m"
        assert orjson.loads(runschema.dumps(value)) == doc
        with pytest.raises(ValidationError) as info:
            runschema.loads(b'{"error": {"message": "m"}}', runschema.ErrorResponse, strict=True)
        assert problems(info.value) == [
            ("$.error.code", "missing"),
            ("$.error.param", "missing"),
            ("$.error.type", "missing"),
        ]


class TestPassingOnANewerServersAnswers:
    """Found by a gateway author: the answer check was all or nothing. A newer backend's run
    (a new status, a new tool type) always failed it, and check=False also let through the
    gateway's own mistakes (17 metadata pairs, a bound broken). allow_unknown=True passes
    what a lenient read kept and checks the rest."""

    def _newer(self) -> runschema.Run:
        doc = orjson.loads(runschema.seed_example())  # it lacks required_action: absent
        doc.update(status="paused", reasoning_effort="ultra")
        doc["tools"] = [{"type": "web_search", "depth": 2}]
        doc["truncation_strategy"] = {"type": "smart", "last_messages": None}
        return runschema.loads(orjson.dumps(doc), runschema.Run)

    def test_what_a_lenient_read_kept_goes_out_as_it_came(self) -> None:
        run = self._newer()
        with pytest.raises(ValueError, match="breaks the published schema") as info:
            RETRIEVE_RUN.respond(run)
        cause = info.value.__cause__
        assert isinstance(cause, ValidationError)
        assert {e.code for e in cause.errors} == {"enum", "unknown_tag", "missing"}
        answer = RETRIEVE_RUN.respond(run, allow_unknown=True)
        assert answer.body == runschema.dumps(run)
        page = runschema.paginate([run], ListRunsParams())
        assert LIST_RUNS.respond(page, allow_unknown=True).status == 200

    def test_the_gateways_own_mistakes_are_still_caught(self) -> None:
        run = attrs.evolve(
            self._newer(),
            metadata={f"k{i}": "v" for i in range(17)},
            max_prompt_tokens=5,
        )
        with pytest.raises(ValueError, match="breaks the published schema") as info:
            RETRIEVE_RUN.respond(run, allow_unknown=True)
        cause = info.value.__cause__
        assert isinstance(cause, ValidationError)
        assert problems(cause) == [
            ("$.metadata", "too_many"),
            ("$.max_prompt_tokens", "out_of_range"),
        ]
        assert "paused" not in str(info.value)  # only what is wrong is said

    def test_however_many_unknown_things(self) -> None:
        """Found by a gateway author's second round: past 100 problems the strict reader's
        report ends in too_many_problems, which is no unknown thing, so a page of 17 newer
        runs (the default page holds 20) was refused where 16 passed. Unknown things are not
        counted toward the limits; a real problem among them is still found."""
        many_tools = tuple(
            runschema.UnknownTool(data=runschema.FrozenMap({"type": f"new_{k}"})) for k in range(5)
        )
        newer = [
            attrs.evolve(self._newer(), id=f"run_{i}", created_at=at(i), tools=many_tools)
            for i in range(20)
        ]  # 8 unknown things each, 160 in all
        page = runschema.paginate(newer, ListRunsParams())
        assert LIST_RUNS.respond(page, allow_unknown=True).status == 200
        wrong = [*newer[:19], attrs.evolve(newer[19], max_prompt_tokens=5)]
        with pytest.raises(ValueError, match="max_prompt_tokens") as info:
            LIST_RUNS.respond(runschema.paginate(wrong, ListRunsParams()), allow_unknown=True)
        cause = info.value.__cause__
        assert isinstance(cause, ValidationError)
        assert problems(cause) == [("$.data[0].max_prompt_tokens", "out_of_range")]

    def test_an_unknown_event_no_client_can_read(self) -> None:
        """Found by a gateway author's second round: a stream cut inside an unknown event's
        frame is read by lenient mode as if whole, data cut short; written back whole, it
        made the official clients raise json.JSONDecodeError. allow_unknown still refuses
        an unknown event whose data is not JSON; the clients' error frame passes."""
        cut = runschema.UnknownEvent("thread.run.paused", '{"id": "run_1", "obj')
        with pytest.raises(ValueError, match="not JSON") as info:
            runschema.check_event(cut, allow_unknown=True)
        cause = info.value.__cause__
        assert isinstance(cause, runschema.StreamError)
        assert problems(cause) == [("$[0].data", "unreadable_event")]
        with pytest.raises(ValueError, match="unreadable_event"):
            runschema.stream_response([cut, runschema.DoneEvent()], allow_unknown=True)
        for data in (
            '{"error": {"message": "m"}, "code": 500}',  # keys an error object has, other types
            '{"error": {"message": "m"}, "message": 5, "n": 123456789012345678901234567890}',
        ):
            frame = runschema.UnknownEvent("error", data)
            runschema.check_event(frame, allow_unknown=True)
            answer = runschema.stream_response([frame, runschema.DoneEvent()], allow_unknown=True)
            assert answer.body == runschema.encode_events([frame, runschema.DoneEvent()])

    def test_a_stream_too(self) -> None:
        run = self._newer()
        events: list[runschema.StreamEvent] = [
            runschema.RunEvent("thread.run.created", attrs.evolve(run, status="queued")),
            runschema.UnknownEvent("thread.run.paused", runschema.dumps(run).decode()),
            runschema.DoneEvent(),
        ]
        with pytest.raises(ValueError, match=r"event 0 \(thread.run.created\)"):
            runschema.stream_response(events)
        answer = runschema.stream_response(events, allow_unknown=True)
        assert answer.body == runschema.encode_events(events)
        for event in events:
            runschema.check_event(event, allow_unknown=True)
        wrong = runschema.RunEvent("thread.run.queued", attrs.evolve(run, max_prompt_tokens=5))
        with pytest.raises(ValueError, match=r"event 2 \(thread.run.queued\)") as info:
            runschema.stream_response([*events[:2], wrong], allow_unknown=True)
        cause = info.value.__cause__
        assert isinstance(cause, runschema.StreamError)
        assert problems(cause) == [("$[2].data.max_prompt_tokens", "out_of_range")]
        with pytest.raises(ValueError, match="max_prompt_tokens out_of_range"):
            runschema.check_event(wrong, allow_unknown=True)


class TestEdgesFoundServing:
    @pytest.mark.parametrize(
        "query",
        [
            "&".join(f"x{i}=1" for i in range(1001)),  # unknown names
            dict.fromkeys(range(1001), "1"),  # a mapping's keys that are no strings
        ],
    )
    def test_a_query_of_too_many_problems(self, query: Any) -> None:
        """Found by fuzzing: past 1,000 problems the interpreter's internal StopChecking
        escaped parse_query and decode_query (a client's one query string made a 500): the
        first 100, then the count, as for a body."""
        reads: list[Callable[[], object]] = [
            lambda: LIST_RUNS.parse_query(query),
            lambda: runschema.decode_query(query, ListRunsParams),
        ]
        reads.append(lambda: RETRIEVE_RUN.parse_query(query))
        for read in reads:
            with pytest.raises(ValidationError) as info:
                read()
            assert len(info.value.errors) == 101
            assert info.value.errors[-1].code == "too_many_problems"

    def test_a_name_given_again_and_again_is_said_once(self) -> None:
        """Found by an adversarial trial: limit given three times was said twice (once for
        each value after the first), and 1,001 times made a report of 1,000."""
        for query in ("limit=1&limit=2&limit=3", "limit=1&" * 1001):
            with pytest.raises(ValidationError) as info:
                LIST_RUNS.parse_query(query)
            assert [(e.path, e.code) for e in info.value.errors] == [("$.limit", "type")]

    @pytest.mark.parametrize("endpoint", [LIST_RUNS, RETRIEVE_RUN])
    @pytest.mark.parametrize("query", ["include[]=a", "include[]=a&include[]=b", "include=a"])
    def test_an_undeclared_array_is_unknown(self, endpoint: Any, query: str) -> None:
        """Found by a spec audit: include[] sent twice (as clients write arrays) to an
        operation that does not declare it was "expected one value, got several", and the
        operations without a query named it $['include[]']: one unknown_field at $.include."""
        with pytest.raises(ValidationError) as info:
            endpoint.parse_query(query)
        assert problems(info.value) == [("$.include", "unknown_field")]

    def test_a_decimal_with_leading_zeros(self) -> None:
        """Found by a spec audit: past 20 characters a decimal was refused, leading zeros
        counted."""
        assert LIST_RUNS.parse_query("limit=" + "0" * 30 + "5") == ListRunsParams(limit=5)
        with pytest.raises(ValidationError) as info:
            LIST_RUNS.parse_query("limit=" + "9" * 21)
        # an integer past 64 bits, as in a JSON body (it was `type` past 20 digits)
        assert problems(info.value) == [("$.limit", "out_of_range")]

    @pytest.mark.parametrize("key", [1.5, None, (1, 2), b"a"])
    def test_a_query_name_that_is_no_string(self, key: Any) -> None:
        """Found by fuzzing: an operation that takes no query raised TypeError from inside
        ValidationError for a mapping's key that is no string; a ``type`` problem, as for an
        operation that takes one."""
        for endpoint in (RETRIEVE_RUN, LIST_RUNS):
            with pytest.raises(ValidationError) as info:
                endpoint.parse_query({key: "x"})
            assert problems(info.value) == [("$", "type")]

    def test_error_answers_of_lone_surrogates(self) -> None:
        """Found by fuzzing: route() answers None for a path a framework decoded with
        surrogateescape, and the README's next step, unknown_route, raised orjson's
        TypeError (so did the other answers that say an id or a path): written escaped."""
        path = "/v1/threads/\udcff/runs"
        assert runschema.route("GET", path) is None
        for answer in (
            runschema.unknown_route("GET", path),
            runschema.method_not_allowed("DELETE", "/v1/threads/t/runs?q=\udcff", ("GET",)),
            runschema.not_found("run", "run_\udcff"),
            runschema.active_run("thread_\udcff", "run_1"),
        ):
            message = orjson.loads(answer.body)["error"]["message"]
            assert "\\udcff" in message
        body = runschema.error_response(400, "m", param="x\ud800", code="c\udfff").body
        assert orjson.loads(body)["error"] == {
            "message": "m",
            "type": "invalid_request_error",
            "param": "x\\ud800",
            "code": "c\\udfff",
        }

    def test_answers_of_http_status(self) -> None:
        """Found by a gateway author: respond and stream_response refused an http.HTTPStatus
        (an int, which mypy accepts and the parsers take); answers hold a plain int."""
        import http

        run = _seed_run()
        answer = RETRIEVE_RUN.respond(runschema.fill_absent(run), status=http.HTTPStatus.CREATED)
        assert (answer.status, type(answer.status)) == (201, int)
        ended = runschema.ErrorEvent(runschema.ErrorObject(message="m", type="server_error"))
        streamed = runschema.stream_response(
            [ended, runschema.DoneEvent()], status=http.HTTPStatus.OK
        )
        assert type(streamed.status) is int
        error = runschema.error_response(http.HTTPStatus.NOT_FOUND, "m")
        assert (error.status, type(error.status)) == (404, int)
        with pytest.raises(ValueError, match="2xx"):
            RETRIEVE_RUN.respond(runschema.fill_absent(run), status=http.HTTPStatus.NO_CONTENT)

    def test_paginate_takes_any_iterable(self) -> None:
        """Found by fuzzing: a generator filtering a store was spent by the type check, and
        the page was empty, has_more false: every client was told the thread had no runs."""
        store = runs(5)
        expected = runschema.paginate(store, ListRunsParams(limit=2))
        assert runschema.paginate(iter(store), ListRunsParams(limit=2)) == expected
        assert runschema.paginate((r for r in store), ListRunsParams(limit=2)) == expected
        with pytest.raises(TypeError, match="pages Runs, not str"):
            runschema.paginate("runs", ListRunsParams())  # type: ignore[arg-type]

    def test_helpers_given_a_dict_where_they_take_a_model(self) -> None:
        """Found by fuzzing: a dict body (a natural mistake: request() takes mappings) or
        another argument of the wrong kind raised AttributeError from inside; a TypeError
        naming what the helper takes."""
        run = _seed_run()
        now = datetime(2024, 1, 1, tzinfo=timezone.utc)
        defaults = runschema.RunDefaults(model="m")
        body = runschema.CreateRunParams(assistant_id="a")
        calls: list[tuple[Callable[[], object], str]] = [
            (
                lambda: runschema.new_run(
                    {"assistant_id": "a"},  # type: ignore[arg-type]
                    id="r",
                    thread_id="t",
                    created_at=now,
                    defaults=defaults,
                ),
                "body is a CreateRunParams or CreateThreadAndRunParams, not a dict",
            ),
            (
                lambda: runschema.new_run(
                    body,
                    id="r",
                    thread_id="t",
                    created_at=now,
                    defaults={"model": "m"},  # type: ignore[arg-type]
                ),
                "defaults is a RunDefaults, not a dict",
            ),
            (
                lambda: runschema.apply_update(run, {"metadata": {}}),  # type: ignore[arg-type]
                "params is a RunUpdateParams, not a dict",
            ),
            (
                lambda: runschema.check_tool_outputs(run, {"tool_outputs": []}),  # type: ignore[arg-type]
                "params is a SubmitToolOutputsParams, not a dict",
            ),
            (
                lambda: runschema.cannot_cancel({"status": "completed"}),  # type: ignore[arg-type]
                "run is a Run, not a dict",
            ),
            (
                lambda: runschema.not_awaiting_tool_outputs(None),  # type: ignore[arg-type]
                "run is a Run, not a NoneType",
            ),
            (
                lambda: runschema.error_response(400, "m", headers=[("X", "1")]),  # type: ignore[arg-type]
                "headers is a Mapping, not a list",
            ),
        ]
        for call, message in calls:
            with pytest.raises(TypeError) as info:
                call()
            assert str(info.value) == message

    @pytest.mark.parametrize(
        "headers",
        [
            {"X-Id": "\ud800"},  # a lone surrogate
            {"X-Id": "\u20ac"},  # beyond Latin-1
            {"X-Id": "a\x7fb"},  # a control character
            {"X Id": "1"},  # a space in a name
            {"X\x7fId": "1"},
            {"": "1"},
            {"Allow": "GET", "allow": "POST"},  # one name twice
        ],
    )
    def test_headers_http_cannot_carry(self, headers: dict[str, str]) -> None:
        """Found by fuzzing: only line ends and ':' were refused; what no HTTP writer can
        emit failed later, in the server's framework, or went out twice."""
        with pytest.raises(ValueError, match="header"):
            runschema.error_response(400, "m", headers=headers)
        ok = runschema.error_response(400, "m", headers={"X-Note": "caf\u00e9\tok"})
        assert ok.headers["X-Note"] == "caf\u00e9\tok"

    @pytest.mark.parametrize(
        ("headers", "said"),
        [
            ({"Content-Length": "5"}, "the transport's to write"),
            ({"transfer-encoding": "chunked"}, "the transport's to write"),
            ({"Content-Type": "text/plain"}, "the body is JSON"),
            ({"content-type": "text/event-stream"}, "the body is JSON"),
        ],
    )
    def test_headers_that_frame_or_label_the_body_are_not_given(
        self, headers: dict[str, str], said: str
    ) -> None:
        """Found by a server author: a Content-Length of 5 passed to respond or
        error_response truncated the answer, and a text/plain Content-Type made the
        official client read a JSON body as text."""
        run = runschema.fill_absent(_seed_run())
        with pytest.raises(ValueError, match=said):
            RETRIEVE_RUN.respond(run, headers=headers)
        with pytest.raises(ValueError, match=said):
            runschema.error_response(400, "m", headers=headers)
        json_type = {"Content-Type": "Application/JSON; charset=utf-8"}  # a JSON one is fine
        assert runschema.error_response(400, "m", headers=json_type).headers == json_type

    def test_not_found_shows_at_most_100_characters_of_the_id(self) -> None:
        """Found by a server author: an id of 1 MB from the path made a 1 MB answer."""
        answer = runschema.not_found("run", "r" * 1_000_000)
        message = orjson.loads(answer.body)["error"]["message"]
        assert message == f"No run found with id '{'r' * 100}...'."
        short = orjson.loads(runschema.not_found("run", "r" * 100).body)["error"]["message"]
        assert short == f"No run found with id '{'r' * 100}'."

    def test_rate_limited_past_what_python_writes(self) -> None:
        """Found by fuzzing: CPython's int-to-str limit raised its own ValueError."""
        with pytest.raises(ValueError, match="too many seconds"):
            runschema.rate_limited(10**5000)
        assert runschema.rate_limited(10**100).headers["Retry-After"] == str(10**100)

    def test_methods_are_case_sensitive(self) -> None:
        found = runschema.route("get", "/v1/threads/t/runs")
        assert found is not None
        assert (found.endpoint, found.allowed) == (None, ("GET", "POST"))

    @pytest.mark.parametrize("limit", [0, -1, 101])
    def test_paginate_refuses_a_limit_out_of_bounds(self, limit: int) -> None:
        with pytest.raises(ValidationError) as info:
            runschema.paginate(runs(3), ListRunsParams(limit=limit))
        assert problems(info.value) == [("$.limit", "out_of_range")]

    def test_retry_after_rounds_up(self) -> None:
        assert runschema.rate_limited(2.1).headers["Retry-After"] == "3"
        assert runschema.rate_limited(0).headers["Retry-After"] == "1"
        # found by a server author: a wait under a second was a second; the official clients
        # read retry-after-ms first, and take a header's wait up to a minute only
        assert dict(runschema.rate_limited(0.2).headers) == {
            "Content-Type": "application/json",
            "Retry-After": "1",
            "retry-after-ms": "200",
        }
        assert runschema.rate_limited(2.0001).headers["retry-after-ms"] == "2001"
        assert runschema.rate_limited(1e-9).headers["retry-after-ms"] == "1"
        assert runschema.rate_limited(60).headers["retry-after-ms"] == "60000"
        assert "retry-after-ms" not in runschema.rate_limited(61).headers
        assert "retry-after-ms" not in runschema.rate_limited(0).headers
        # found in use: an int beyond a double raised OverflowError
        assert runschema.rate_limited(10**400).headers["Retry-After"] == str(10**400)

    @pytest.mark.parametrize(
        ("seconds", "error"),
        [
            (math.nan, ValueError),
            (math.inf, ValueError),
            (-5, ValueError),  # found in use: it was Retry-After: 1
            (-0.5, ValueError),
            ("5", TypeError),
            (True, TypeError),
        ],
    )
    def test_retry_after_is_a_finite_number(self, seconds: Any, error: type[Exception]) -> None:
        # found in use: NaN raised "cannot convert float NaN", an infinity OverflowError
        with pytest.raises(error, match="retry_after"):
            runschema.rate_limited(seconds)

    @pytest.mark.parametrize("endpoint", [RETRIEVE_RUN, LIST_RUNS])
    @pytest.mark.parametrize("query", ["%ff=1", b"%ff=1", b"a=\xff"])
    def test_query_not_utf8_is_one_decode_error(self, endpoint: Any, query: str | bytes) -> None:
        with pytest.raises(runschema.DecodeError) as info:
            endpoint.parse_query(query)
        assert problems(info.value) == [("$", "encoding")]

    def test_query_of_another_type(self) -> None:
        with pytest.raises(runschema.DecodeError) as info:
            LIST_RUNS.parse_query(5)  # type: ignore[arg-type]
        assert problems(info.value) == [("$", "input_type")]

    @pytest.mark.parametrize(
        "call",
        [
            lambda: runschema.encode_query({"limit": 5}),  # type: ignore[arg-type]
            lambda: runschema.encode_query(None),  # type: ignore[arg-type]
            lambda: runschema.encode_query(runs(1)[0]),  # a model, but no query
            lambda: runschema.decode_query("limit=1", dict),
            lambda: runschema.decode_query("limit=1", runschema.Run),
            lambda: runschema.paginate([1, 2], ListRunsParams()),  # type: ignore[list-item]
            lambda: runschema.paginate([{"id": "a"}], ListRunsParams()),  # type: ignore[list-item]
            lambda: runschema.paginate(runs(2), ListRunStepsParams()),  # type: ignore[arg-type]
            lambda: runschema.paginate(runs(2), {"limit": 1}),  # type: ignore[call-overload]
        ],
    )
    def test_misuse_is_a_type_error(self, call: Any) -> None:
        """Found by an SDK author: these raised AttributeError from inside, and a Run was
        written as a query string."""
        with pytest.raises(TypeError, match=r"no query|pages|params is"):
            call()

    @pytest.mark.parametrize("ignore", [("api-version",), ["api-version", "x"], "api-version"])
    def test_a_query_parameter_to_ignore(self, ignore: Any) -> None:
        """Found by a server author: the AzureOpenAI client sends api-version on every
        request, which strict parsing refuses (unknown_field) on every endpoint."""
        query = "api-version=2024-05-01-preview&limit=2"
        assert LIST_RUNS.parse_query(query, ignore=ignore) == ListRunsParams(limit=2)
        assert RETRIEVE_RUN.parse_query("api-version=1", ignore=ignore) is None
        with pytest.raises(ValidationError) as info:
            LIST_RUNS.parse_query(query)
        assert problems(info.value) == [("$['api-version']", "unknown_field")]
        with pytest.raises(ValidationError) as info:
            RETRIEVE_RUN.parse_query("api-version=1&version=2", ignore=ignore)
        assert problems(info.value) == [("$.version", "unknown_field")]

    def test_method_not_allowed_takes_one_method_as_a_string(self) -> None:
        """Found in use: a string was joined letter by letter (Allow: P, O, S, T)."""
        answer = runschema.method_not_allowed("GET", "/v1/threads/t/runs/r/cancel", "POST")
        assert answer.headers["Allow"] == "POST"

    @pytest.mark.parametrize("method", ["HEAD", b"HEAD"])
    def test_answers_to_head_have_no_body(self, method: str | bytes) -> None:
        """Found by a server author: route("HEAD", ...) is a 405, and method_not_allowed's
        body, written after it, was read by the official client as the start of the next
        answer on the connection (an illegal status line). To HEAD, both route answers
        keep their status and headers and carry no body; to head (methods are case
        sensitive) they carry it."""
        found = runschema.route(method, "/v1/threads/t/runs/r")
        assert found is not None
        assert found.endpoint is None
        refused = runschema.method_not_allowed(method, "/v1/threads/t/runs/r", found.allowed)
        assert (refused.status, refused.body) == (405, b"")
        assert refused.headers["Allow"] == "GET, POST"
        assert refused.headers["Content-Type"] == "application/json"
        missing = runschema.unknown_route(method, "/v1/x")
        assert (missing.status, missing.body) == (404, b"")
        assert orjson.loads(runschema.unknown_route("head", "/v1/x").body)["error"]["message"] == (
            "Invalid URL (head /v1/x)."
        )

    def test_query_names_must_be_strings(self) -> None:
        with pytest.raises(ValidationError) as info:
            LIST_RUNS.parse_query({1: "a", "limit": "2"})  # type: ignore[dict-item]
        assert problems(info.value) == [("$", "type")]

    def test_brackets_name_an_array(self) -> None:
        """``name[]`` is how arrays come (``include[]``); a scalar's name with brackets is
        an unknown name in strict mode, read as the scalar's in lenient mode."""
        with pytest.raises(ValidationError) as info:
            LIST_RUNS.parse_query("limit[]=3")
        assert problems(info.value) == [("$['limit[]']", "unknown_field")]
        lenient = runschema.decode_query("limit[]=3", ListRunsParams, strict=False)
        assert lenient.limit == 3
        include = "step_details.tool_calls[*].file_search.results[*].content"
        query = runschema.decode_query(f"include[]={include}", runschema.CreateRunQuery)
        assert query.include == (include,)

    @pytest.mark.parametrize("status", ["200", None, True, 200.0])
    def test_status_that_is_no_int(self, status: Any) -> None:
        """A status of another type is the caller's misuse: RequestError, not a TypeError
        from comparing it."""
        with pytest.raises(runschema.RequestError) as info:
            LIST_RUNS.parse_response(status, b"{}")
        assert problems(info.value) == [("$.status", "type")]
