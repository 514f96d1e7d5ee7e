"""Modify run and Retrieve run, sans-I/O: the wire table, path encoding, response parsing."""

from __future__ import annotations

import pickle
from typing import Any
from urllib.parse import unquote

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import runschema
from runschema import (
    MODIFY_RUN,
    RETRIEVE_RUN,
    UNSET,
    APIError,
    Request,
    RequestError,
    RunUpdateParams,
    ValidationError,
    parse_run_response,
    validate_modify_run_request,
)
from tests.fixtures import examples

POST_HEADERS = {"Content-Type": "application/json", "OpenAI-Beta": "assistants=v2"}


def modify_run(*args: Any, **kwargs: Any) -> Request:
    return runschema.modify_run(*args, **kwargs)  # type: ignore[deprecated]


def retrieve_run(*args: Any, **kwargs: Any) -> Request:
    return runschema.retrieve_run(*args, **kwargs)  # type: ignore[deprecated]


# (thread_id, run_id, metadata, exact path, exact body)
WIRE_TABLE: list[tuple[str, str, Any, str, bytes]] = [
    ("thread_abc", "run_abc", UNSET, "/threads/thread_abc/runs/run_abc", b"{}"),
    ("thread_abc", "run_abc", None, "/threads/thread_abc/runs/run_abc", b'{"metadata":null}'),
    ("t", "r", {}, "/threads/t/runs/r", b'{"metadata":{}}'),
    (
        "thread_abc",
        "run_abc",
        {"user_id": "user_abc123"},
        "/threads/thread_abc/runs/run_abc",
        b'{"metadata":{"user_id":"user_abc123"}}',
    ),
    ("a/b", "c?d", UNSET, "/threads/a%2Fb/runs/c%3Fd", b"{}"),
    ("a#b", "100%", UNSET, "/threads/a%23b/runs/100%25", b"{}"),
    ("a b", "é", UNSET, "/threads/a%20b/runs/%C3%A9", b"{}"),
    ("...", "a.b", UNSET, "/threads/.../runs/a.b", b"{}"),
    ("%41", "x", UNSET, "/threads/%2541/runs/x", b"{}"),
    (
        "\U0001f600",
        "~_-.",
        {"k": "\U0001f600"},
        "/threads/%F0%9F%98%80/runs/~_-.",
        '{"metadata":{"k":"\U0001f600"}}'.encode(),
    ),
]


class TestWireTable:
    @pytest.mark.parametrize(("thread_id", "run_id", "metadata", "path", "body"), WIRE_TABLE)
    def test_values_to_wire(
        self, thread_id: str, run_id: str, metadata: Any, path: str, body: bytes
    ) -> None:
        """Values give exactly this method, path, headers and body."""
        req = modify_run(thread_id, run_id, metadata=metadata)
        assert (req.method, req.path, dict(req.headers), req.body) == (
            "POST",
            path,
            POST_HEADERS,
            body,
        )

    @pytest.mark.parametrize(("thread_id", "run_id", "metadata", "path", "body"), WIRE_TABLE)
    def test_wire_to_values(
        self, thread_id: str, run_id: str, metadata: Any, path: str, body: bytes
    ) -> None:
        """The service side reads the same wire back into the same values."""
        assert MODIFY_RUN.match(path) == {"thread_id": thread_id, "run_id": run_id}
        params = validate_modify_run_request(body)
        assert params == RunUpdateParams(metadata=metadata)
        assert runschema.dumps(params) == body

    def test_retrieve(self) -> None:
        """Retrieve run is a GET with no body and no Content-Type, on the same path."""
        req = retrieve_run("thread abc", "run/1")
        assert (req.method, req.path, dict(req.headers), req.body) == (
            "GET",
            "/threads/thread%20abc/runs/run%2F1",
            {"OpenAI-Beta": "assistants=v2"},
            b"",
        )

    def test_request_is_frozen_value(self) -> None:
        """Requests compare by value, are frozen and pickle."""
        a = modify_run("t", "r", metadata={"a": "b"})
        assert a == modify_run("t", "r", metadata={"a": "b"})
        assert pickle.loads(pickle.dumps(a)) == a
        with pytest.raises(AttributeError):
            a.path = "/x"  # type: ignore[misc]


class TestEndpoints:
    def test_modify_run_described(self) -> None:
        """MODIFY_RUN says method, path, parameters, types, headers and deprecation."""
        assert MODIFY_RUN.operation_id == "modifyRun"
        assert MODIFY_RUN.method == "POST"
        assert MODIFY_RUN.path_template == "/threads/{thread_id}/runs/{run_id}"
        assert MODIFY_RUN.path_params == ("thread_id", "run_id")
        assert MODIFY_RUN.request_type is RunUpdateParams
        assert MODIFY_RUN.response_type is runschema.Run
        assert dict(MODIFY_RUN.headers) == POST_HEADERS
        assert MODIFY_RUN.deprecated is True

    def test_retrieve_run_described(self) -> None:
        """RETRIEVE_RUN is the GET on the same path, answering a Run."""
        assert (RETRIEVE_RUN.method, RETRIEVE_RUN.path_template) == (
            "GET",
            MODIFY_RUN.path_template,
        )
        assert RETRIEVE_RUN.request_type is None
        assert RETRIEVE_RUN.response_type is runschema.Run

    @pytest.mark.parametrize(
        "path",
        [
            "/threads/t/runs",
            "/threads/t/runs/r/steps",
            "/thread/t/runs/r",
            "/threads//runs/r",
            "/threads/%2e%2e/runs/r",
            "/threads/./runs/r",
        ],
    )
    def test_match_rejects_other_paths(self, path: str) -> None:
        """match() answers None for other paths, empty and dot segments."""
        assert MODIFY_RUN.match(path) is None

    def test_match_ignores_query(self) -> None:
        """A query string does not change the match."""
        assert MODIFY_RUN.match("/threads/t/runs/r?x=1") == {"thread_id": "t", "run_id": "r"}


class TestBadIds:
    @pytest.mark.parametrize(
        ("thread_id", "run_id", "loc", "code"),
        [
            ("", "r", ("thread_id",), "empty_id"),
            ("t", "", ("run_id",), "empty_id"),
            (".", "r", ("thread_id",), "dot_segment"),
            ("t", "..", ("run_id",), "dot_segment"),
            ("%2e", "r", ("thread_id",), "dot_segment"),
            ("t", "%2E%2e", ("run_id",), "dot_segment"),
            ("t", ".%2E", ("run_id",), "dot_segment"),
            ("\ud800", "r", ("thread_id",), "invalid_string"),
            (None, "r", ("thread_id",), "type"),
            (b"t", "r", ("thread_id",), "type"),
        ],
    )
    def test_rejected(self, thread_id: Any, run_id: Any, loc: tuple[str], code: str) -> None:
        """Ids that would not name exactly one resource raise RequestError, never go raw."""
        with pytest.raises(RequestError) as info:
            modify_run(thread_id, run_id)
        assert [(e.loc, e.code) for e in info.value.errors] == [(loc, code)]
        with pytest.raises(RequestError):
            retrieve_run(thread_id, run_id)

    @examples(300)
    @given(st.text(), st.text())
    def test_any_id_round_trips_or_raises(self, thread_id: str, run_id: str) -> None:
        """Any ids either raise RequestError or give a path whose segments decode back."""
        try:
            req = modify_run(thread_id, run_id)
        except RequestError:
            return
        parts = req.path.split("/")
        assert len(parts) == 5
        assert (parts[0], parts[1], parts[3]) == ("", "threads", "runs")
        assert unquote(parts[2], errors="strict") == thread_id
        assert unquote(parts[4], errors="strict") == run_id
        assert all(c not in parts[2] + parts[4] for c in "/?# ")
        assert MODIFY_RUN.match(req.path) == {"thread_id": thread_id, "run_id": run_id}


class TestRequestBody:
    def test_metadata_limits_checked_when_built(self) -> None:
        """Limits are checked when the request is built, with paths and codes."""
        with pytest.raises(ValidationError) as info:
            modify_run("t", "r", metadata={f"k{i}": "v" for i in range(17)})
        assert [(e.path, e.code) for e in info.value.errors] == [("$.metadata", "too_many")]
        with pytest.raises(ValidationError) as info:
            modify_run("t", "r", metadata={"k": "v" * 513, "x" * 65: "v"})
        assert [(e.path, e.code) for e in info.value.errors] == [
            ("$.metadata.k", "too_long"),
            ("$.metadata." + "x" * 65, "too_long"),
        ]
        with pytest.raises(ValidationError) as info:
            modify_run("t", "r", metadata={"k": 1})
        assert [(e.path, e.code) for e in info.value.errors] == [("$.metadata.k", "type")]

    def test_extra_body_is_explicit(self) -> None:
        """Extra keys go out only through extra_body, after the schema's keys."""
        req = modify_run("t", "r", metadata=None, extra_body={"stream": False})
        assert req.body == b'{"metadata":null,"stream":false}'

    def test_extra_body_cannot_override_metadata(self) -> None:
        """extra_body may not set metadata behind the checks."""
        with pytest.raises(RequestError) as info:
            modify_run("t", "r", extra_body={"metadata": {"k": "v" * 600}})
        assert [e.code for e in info.value.errors] == ["duplicate_key"]

    def test_extra_body_must_be_json(self) -> None:
        """A non-JSON extra_body value is a RequestError, not a TypeError."""
        with pytest.raises(RequestError) as info:
            modify_run("t", "r", extra_body={"x": object()})
        assert [(e.loc, e.code) for e in info.value.errors] == [(("extra_body", "x"), "type")]


class TestServiceSide:
    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            (b'{"metadata": {"a": "b"}, "stream": true}', [("$.stream", "unknown_field")]),
            (b'{"metadata": 5}', [("$.metadata", "type")]),
            (b'{"metadata": {"a": null}}', [("$.metadata.a", "type")]),
            (
                orjson.dumps({"metadata": {f"k{i}": "v" for i in range(17)}}),
                [("$.metadata", "too_many")],
            ),
        ],
    )
    def test_rejects(self, body: bytes, expected: list[tuple[str, str]]) -> None:
        """Strict validation of incoming bodies, with exact paths and codes."""
        with pytest.raises(ValidationError) as info:
            validate_modify_run_request(body)
        assert [(e.path, e.code) for e in info.value.errors] == expected

    def test_openai_400_body(self) -> None:
        """The error converts to the OpenAI error body a service answers with."""
        with pytest.raises(ValidationError) as info:
            validate_modify_run_request(b'{"metadata": {"a": "b"}, "stream": true}')
        assert info.value.to_openai_error() == {
            "error": {
                "message": "Unknown parameter: 'stream'.",
                "type": "invalid_request_error",
                "param": "stream",
                "code": "unknown_parameter",
            }
        }

    @pytest.mark.parametrize("body", [b"", b"[]", b"{", b"null"])
    def test_not_a_body(self, body: bytes) -> None:
        """Bodies that are not JSON objects are DecodeErrors."""
        with pytest.raises(runschema.DecodeError):
            validate_modify_run_request(body)


class TestResponses:
    def test_2xx_is_a_run(self) -> None:
        """A 2xx body becomes a Run; strict applies on request."""
        run = parse_run_response(200, runschema.seed_example())
        assert run.id == "run_abc123"
        with pytest.raises(ValidationError):
            parse_run_response(200, runschema.seed_example(), strict=True)

    def test_2xx_not_a_run(self) -> None:
        """A 2xx body that is not a run raises DecodeError / ValidationError."""
        with pytest.raises(runschema.DecodeError):
            parse_run_response(200, b"<html>")
        with pytest.raises(ValidationError):
            parse_run_response(200, b'{"object": "thread.run"}')

    def test_openai_error_body(self) -> None:
        """A non-2xx OpenAI error body fills status, message, type, param and code."""
        body = orjson.dumps(
            {
                "error": {
                    "message": "No run found with id 'run_x'.",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": None,
                }
            }
        )
        with pytest.raises(APIError) as info:
            parse_run_response(404, body)
        e = info.value
        assert (e.status, e.message, e.type, e.param, e.code) == (
            404,
            "No run found with id 'run_x'.",
            "invalid_request_error",
            None,
            None,
        )
        assert isinstance(e, runschema.SchemaError)
        assert pickle.loads(pickle.dumps(e)).message == e.message

    def test_non_json_error_page(self) -> None:
        """A proxy's HTML error page gives a bounded excerpt of the raw body."""
        page = b"<html><body>" + b"Bad Gateway " * 1000 + b"</body></html>"
        with pytest.raises(APIError) as info:
            parse_run_response(502, page)
        e = info.value
        assert (e.status, e.message, e.code) == (502, None, None)
        assert e.body_excerpt.startswith('"<html><body>Bad Gateway')
        assert len(e.body_excerpt) <= 100
        assert str(e).startswith("1 problem found\n  $: HTTP 502: no error object in the body")

    @pytest.mark.parametrize("body", [b"[1]", b'{"detail": "x"}', b'{"error": 429}', b""])
    def test_json_but_not_openai(self, body: bytes) -> None:
        """JSON error bodies of other shapes keep only the excerpt."""
        with pytest.raises(APIError) as info:
            parse_run_response(500, body)
        assert info.value.message is None
        assert info.value.error is None
        said = "HTTP 500: no error object in the body: "
        assert info.value.errors[0].message.startswith(said)

    def test_an_error_that_is_a_string(self) -> None:
        """Found by a client author: ``{"error": "invalid api key"}`` (as some gateways write)
        had no message and was said to be "non-JSON"; the string is the message."""
        with pytest.raises(APIError) as info:
            parse_run_response(401, b'{"error": "invalid api key"}')
        e = info.value
        assert (e.message, e.error, e.type) == ("invalid api key", None, None)
        assert e.errors[0].message == "HTTP 401: invalid api key"
        assert e.to_openai_error() == {"error": "invalid api key"}  # passed on as sent

    def test_headers_of_an_error(self) -> None:
        """Found by a client author: an APIError carried no headers, so a 429's Retry-After
        (which runschema's own rate_limited writes) and the x-request-id to quote were lost;
        names are read in any case."""
        answer = runschema.rate_limited(7)
        headers = {**answer.headers, "X-Request-Id": "req_9"}
        with pytest.raises(APIError) as info:
            RETRIEVE_RUN.parse_response(answer.status, answer.body, headers=headers)
        e = info.value
        assert (e.status, e.request_id, e.retry_after) == (429, "req_9", 7.0)
        assert e.headers["retry-after"] == "7"
        again = pickle.loads(pickle.dumps(e))
        assert (again.request_id, again.retry_after) == ("req_9", 7.0)
        with pytest.raises(APIError) as info:
            parse_run_response(500, b"")
        assert (info.value.headers, info.value.request_id, info.value.retry_after) == (
            {},
            None,
            None,
        )

    @pytest.mark.parametrize(
        ("headers", "seconds"),
        [
            ({"retry-after": "2"}, 2.0),
            ({"Retry-After": " 1.5 "}, 1.5),
            ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),  # ms first, as clients read
            ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
            ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # past: no wait
            ({"retry-after": "-1"}, None),
            ({"retry-after": "inf"}, None),
            ({"retry-after": "nan"}, None),
            ({"retry-after": "soon"}, None),
            ({}, None),
            # found by a gateway author: a date datetime cannot hold raised OverflowError
            ({"retry-after": "Mon, 01 Jan 99999999999999999999 00:00:00 GMT"}, None),
            ({"retry-after": "Mon, 01 Jan 2030 00:00:00 +99999999999999999999"}, None),
            # a header sent twice reads as "2, 2" (httpx's Headers joins them)
            ({"retry-after": "2, 2"}, 2.0),
            ({"retry-after-ms": "250, 250"}, 0.25),
        ],
    )
    def test_retry_after(self, headers: dict[str, str], seconds: float | None) -> None:
        assert APIError(429, headers=headers).retry_after == seconds

    def test_retry_after_a_date_to_come(self) -> None:
        """An HTTP date is the time from now (the year 9999: more than a day, whenever run)."""
        wait = APIError(503, headers={"retry-after": "Fri, 31 Dec 9999 23:59:59 GMT"}).retry_after
        assert wait is not None
        assert wait > 86_400

    def test_headers_must_be_a_mapping(self) -> None:
        with pytest.raises(TypeError, match="mapping"):
            parse_run_response(500, b"", headers=[("a", "b")])  # type: ignore[arg-type]

    @pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview, lambda b: b.decode()])
    def test_a_byte_order_mark_before_a_2xx_body(self, wrap: Any) -> None:
        """Found by a client author: a byte order mark was skipped before an error body but
        refused before a run, which HTTP clients read (Python's json skips it): lenient skips
        it, strict says it (``encoding``), as ``loads`` does."""
        body = b"\xef\xbb\xbf" + runschema.seed_example()
        assert parse_run_response(200, wrap(body)).id == "run_abc123"
        with pytest.raises(runschema.DecodeError) as info:
            parse_run_response(200, wrap(body), strict=True)
        assert info.value.errors[0].code == "encoding"
        # one mark, as loads skips: found by fuzzing, the answer skipped one and loads another
        with pytest.raises(runschema.DecodeError) as info:
            parse_run_response(200, wrap(b"\xef\xbb\xbf" + body))
        assert info.value.errors[0].code == "encoding"

    def test_a_status_of_http_status(self) -> None:
        """``http.HTTPStatus`` is an int: it was refused as a RequestError."""
        import http

        seed = runschema.seed_example()
        assert parse_run_response(http.HTTPStatus.OK, seed).id == "run_abc123"
        with pytest.raises(APIError) as info:
            parse_run_response(http.HTTPStatus.NOT_FOUND, b"")
        assert type(info.value.status) is int
        with pytest.raises(RequestError):
            parse_run_response(True, seed)

    @pytest.mark.parametrize(
        "error",
        [
            {"message": None, "type": "server_error", "param": None, "code": None},
            {"message": "m", "type": "t", "param": ["a", "b"], "code": 429},
            {"detail": "upstream timeout"},
            "invalid api key",
        ],
    )
    def test_the_keys_beside_error_are_passed_on(self, error: Any) -> None:
        """Found by a gateway author: keys beside ``error`` (a request id) were kept only when
        the error object had the spec's types; the whole body is kept, as sent."""
        body = {"error": error, "request_id": "req_1", "trace": [1, {"k": None}]}
        with pytest.raises(APIError) as info:
            parse_run_response(500, orjson.dumps(body))
        assert info.value.body == body
        assert info.value.to_openai_error() == body
        again = pickle.loads(pickle.dumps(info.value))
        assert again.to_openai_error() == body

    @pytest.mark.parametrize("body", [{"error": 5, "id": "req_1"}, {"error": None}, {}])
    def test_a_json_body_without_an_error_object_is_kept_too(self, body: Any) -> None:
        """Found by a client author: a proxy's {"message": ...} (or an error that is no
        object) left e.body None, where the README says it is the whole body; it is kept,
        and to_openai_error still answers in the upstream shape."""
        with pytest.raises(APIError) as info:
            parse_run_response(502, orjson.dumps(body))
        assert info.value.body == body
        assert info.value.message is None
        answer = info.value.to_openai_error()
        assert list(answer) == ["error"]
        assert answer["error"]["type"] == "api_error"
        assert answer["error"]["message"].startswith("HTTP 502: no error object in the body")
        with pytest.raises(APIError) as info:
            parse_run_response(502, b"[1, 2]")  # no JSON object: no body to keep
        assert info.value.body is None

    def test_a_body_of_error_fields_alone_and_a_numeric_code(self) -> None:
        """Found by a client author, against the official client: a proxy's
        ``{"message": ...}`` (no ``error`` key) gave no message, where the official client
        reads the body's own fields as the error's; a ``code`` of 123 was None, where it
        reads ``"123"``."""
        with pytest.raises(APIError) as info:
            parse_run_response(401, b'{"message": "Invalid token", "code": 401}')
        e = info.value
        assert (e.message, e.code, e.type, e.error) == ("Invalid token", "401", None, None)
        assert e.body == {"message": "Invalid token", "code": 401}
        assert e.to_openai_error()["error"]["message"] == "Invalid token"
        with pytest.raises(APIError) as info:
            parse_run_response(403, b'{"error": {"message": "m", "type": "t", "code": 123}}')
        assert (info.value.message, info.value.code) == ("m", "123")
        # any number or boolean as Python writes it, as they read it (found by a trial);
        # other fields only as strings
        for code, read in ((b"1.5", "1.5"), (b"true", "True"), (b"1e3", "1000.0")):
            with pytest.raises(APIError) as info:
                parse_run_response(403, b'{"error": {"message": "m", "code": %s}}' % code)
            assert info.value.code == read
        with pytest.raises(APIError) as info:  # past 64 bits: its digits, exactly
            parse_run_response(403, b'{"error": {"message": "m", "code": 100000000000000000000}}')
        assert info.value.code == "100000000000000000000"
        with pytest.raises(APIError) as info:
            parse_run_response(403, b'{"error": {"message": 5, "type": 7, "code": null}}')
        assert (info.value.message, info.value.type, info.value.code) == (None, None, None)

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (b"<html>" + b"y" * 100_000, None),  # a proxy's page: not parsed
            (b"\xef\xbb\xbf" + b"\r\n " * 2000 + b'{"error": {"message": "m"}}', "m"),
            ('\ufeff{"error": {"message": "m"}}', "m"),
            (b"", None),
        ],
    )
    def test_only_what_may_be_an_object_is_parsed(self, body: Any, message: Any) -> None:
        """Found by a client author: a 6.5 MB HTML error page took 85 MB to read (orjson's
        error holds the whole text); a body that cannot be a JSON object is not parsed,
        and what may be one is, whitespace and all."""
        with pytest.raises(APIError) as info:
            parse_run_response(502, body)
        assert info.value.message == message
        if message is None:
            assert info.value.body is None

    def test_a_long_message_is_quoted_short(self) -> None:
        """Found by a gateway author: str() of an APIError held the server's whole message
        (1 MB), which a log line writes each time; ``message`` keeps it all."""
        big = "x" * 1_000_000
        body = orjson.dumps({"error": {"message": big, "type": "t", "param": None, "code": None}})
        with pytest.raises(APIError) as info:
            parse_run_response(500, body)
        assert info.value.message == big
        assert len(str(info.value)) < 1_100
        assert info.value.errors[0].message.endswith("...")

    def test_an_error_with_a_null_message(self) -> None:
        """An error object whose message is null: ``message`` is None (it was ``""``, and the
        exception read "HTTP 400: " with nothing after it)."""
        body = b'{"error": {"message": null, "type": "t", "param": null, "code": "c"}}'
        with pytest.raises(APIError) as info:
            parse_run_response(400, body)
        e = info.value
        assert (e.message, e.code) == (None, "c")
        assert e.errors[0].message.startswith("HTTP 400: an error with no message: ")


class TestGenericEndpoint:
    """Every operation is one declaration on the generic Endpoint."""

    def test_request_from_a_value_or_fields(self) -> None:
        """A body value or its JSON fields give the same request; the wrapper agrees."""
        a = MODIFY_RUN.request(RunUpdateParams(metadata={"k": "v"}), thread_id="t", run_id="r")
        b = MODIFY_RUN.request({"metadata": {"k": "v"}}, thread_id="t", run_id="r")
        c = modify_run("t", "r", metadata={"k": "v"})
        assert a == b == c
        assert MODIFY_RUN.request(thread_id="t", run_id="r").body == b"{}"

    def test_request_is_strict(self) -> None:
        """A body is checked against the published schema exactly, with paths."""
        with pytest.raises(ValidationError) as info:
            MODIFY_RUN.request({"metadata": {"k": "v" * 513}, "x": 1}, thread_id="t", run_id="r")
        assert [(e.path, e.code) for e in info.value.errors] == [
            ("$.metadata.k", "too_long"),
            ("$.x", "unknown_field"),
        ]
        with pytest.raises(RequestError) as req:
            MODIFY_RUN.request(["metadata"], thread_id="t", run_id="r")  # type: ignore[arg-type]
        assert [(e.path, e.code) for e in req.value.errors] == [("$.body", "type")]

    def test_extra_body(self) -> None:
        """Keys the schema does not know go out through extra_body only, after the body's."""
        req = MODIFY_RUN.request({}, extra_body={"x": [1]}, thread_id="t", run_id="r")
        assert req.body == b'{"x":[1]}'
        with pytest.raises(RequestError):
            MODIFY_RUN.request({}, extra_body={"metadata": {}}, thread_id="t", run_id="r")

    def test_get_takes_no_body(self) -> None:
        """A body-less operation refuses a body; its request is a bare GET."""
        req = RETRIEVE_RUN.request(thread_id="t", run_id="r")
        assert (req.method, req.path, req.body) == ("GET", "/threads/t/runs/r", b"")
        assert dict(req.headers) == {"OpenAI-Beta": "assistants=v2"}
        with pytest.raises(TypeError):
            RETRIEVE_RUN.request({}, thread_id="t", run_id="r")
        assert RETRIEVE_RUN.parse_request(b"") is None
        assert RETRIEVE_RUN.parse_request(b" {} ") is None
        with pytest.raises(ValidationError):
            RETRIEVE_RUN.parse_request(b'{"a": 1}')
        with pytest.raises(TypeError):
            RETRIEVE_RUN.path(thread_id="t")

    def test_error_bodies_as_clients_read_them(self) -> None:
        """Found by a client author's round: an error object that could not be kept whole (an
        integer beyond 64 bits in it) was passed on as 'HTTP 400: m', not 'm'; a body that
        starts with a byte order mark (which httpx and the official client read) lost every
        field."""
        body = b'{"error":{"message":"m","type":"t","param":null,"code":"c","n":%d}}' % (10**30)
        with pytest.raises(APIError) as info:
            MODIFY_RUN.parse_response(400, body)
        assert info.value.to_openai_error() == {
            "error": {"message": "m", "type": "t", "param": None, "code": "c"}
        }
        with pytest.raises(APIError) as info:
            MODIFY_RUN.parse_response(400, b'\xef\xbb\xbf{"error":{"message":"m","type":"t"}}')
        assert (info.value.message, info.value.type) == ("m", "t")
        assert info.value.to_openai_error() == {"error": {"message": "m", "type": "t"}}

    def test_an_error_body_with_a_long_integer(self) -> None:
        """An error body whose object holds an integer beyond 64 bits: its fields are read,
        and the model is left out (found in use: it kept the exact parse's marker, and
        dumps() of it raised TypeError)."""
        body = (
            b'{"error": {"message": "m", "type": "t", "param": null, "code": null,'
            b' "x": 123456789012345678901234}}'
        )
        with pytest.raises(APIError) as info:
            MODIFY_RUN.parse_response(400, body)
        assert (info.value.message, info.value.type, info.value.response) == ("m", "t", None)
        plain = body.replace(b"123456789012345678901234", b"1")
        with pytest.raises(APIError) as info:
            MODIFY_RUN.parse_response(400, plain)
        assert info.value.response is not None
        assert orjson.loads(runschema.dumps(info.value.response)) == orjson.loads(plain)

    def test_parse_request_and_response(self) -> None:
        """parse_request is strict; parse_response decodes 2xx and raises APIError else."""
        assert MODIFY_RUN.parse_request(b"{}") == RunUpdateParams()
        with pytest.raises(ValidationError):
            MODIFY_RUN.parse_request(b'{"stream": true}')
        run = MODIFY_RUN.parse_response(200, runschema.seed_example())
        assert run.id == "run_abc123"
        with pytest.raises(APIError):
            MODIFY_RUN.parse_response(500, b"oops")
