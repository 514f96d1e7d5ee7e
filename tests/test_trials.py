"""What the seventh server trial and the second adversarial fuzzing round found at the
public boundary: each problem, pinned where a user meets it."""

from __future__ import annotations

import email.message
import enum
import io
import unittest.mock
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import attrs
import cattrs
import orjson
import pytest

import runschema as rs
from runschema import _inputs
from tests.streams import message, step, text_stream
from tests.test_cli import cli as _cli

SEED = rs.seed_example()


def _released() -> memoryview:
    view = memoryview(bytearray(b'{"metadata": {"a": "b"}}'))
    view.release()
    return view


class TestReleasedBuffers:
    def test_a_released_memoryview_is_no_input(self) -> None:
        """Found by fuzzing: orjson read a released memoryview anyway (a segfault, once its
        buffer was freed); the other readers raised a bare ValueError."""
        for read in (
            lambda v: rs.loads(v, rs.RunUpdateParams),
            lambda v: rs.loads(v, rs.Tool),  # a union, lenient: a bare ValueError (fuzzing)
            lambda v: rs.loads(v, rs.Tool, strict=True),
            lambda v: rs.MODIFY_RUN.parse_request(v),
            lambda v: rs.RETRIEVE_RUN.parse_response(400, v),
        ):
            with pytest.raises(rs.DecodeError) as info:
                read(_released())
            assert [(e.path, e.code) for e in info.value.errors] == [("$", "input_type")]
        with pytest.raises(TypeError, match="released memoryview"):
            rs.StreamDecoder().feed(_released())


class TestValuesBuiltWrong:
    def test_an_unknown_value_holds_a_string(self) -> None:
        """Found by fuzzing: UnknownValue(value=[1]) was built, written as [1] (which no read
        gives back) and could not be hashed."""
        for wrong in ([1], 1, None, b"x"):
            with pytest.raises(TypeError, match=r"UnknownValue\.value is a string"):
                rs.UnknownValue(value=wrong)  # type: ignore[arg-type]
        assert rs.UnknownValue(value="paused").value == "paused"

    def test_bad_request_takes_a_schema_error(self) -> None:
        """Found by fuzzing: bad_request(ValueError()) was an AttributeError."""
        for wrong in (ValueError("x"), None, "text"):
            with pytest.raises(TypeError, match="bad_request answers a client's bad request"):
                rs.bad_request(wrong)  # type: ignore[arg-type]


class TestStreamReading:
    @pytest.mark.parametrize("tail", [b"event", b"event:", b"event: ", b"retry: 5", b"id"])
    def test_a_last_line_cut_is_a_cut_frame(self, tail: bytes) -> None:
        """Found by a server author: strict mode said nothing of a stream cut just after
        ``event``, ``event:`` or ``event: `` (a line that set nothing)."""
        decoder = rs.StreamDecoder(strict=True)
        decoder.feed(b"event: done\ndata: [DONE]\n\n" + tail)
        with pytest.raises(rs.StreamError) as info:
            decoder.close()
        assert [e.code for e in info.value.errors] == ["truncated_frame"]
        lenient = rs.StreamDecoder()
        lenient.feed(b"event: done\ndata: [DONE]\n\n" + tail)
        assert lenient.close() == []

    def test_a_retry_field_of_many_digits(self) -> None:
        """Found by fuzzing: int() of a retry field of 4,300 digits raised ValueError out of
        every stream reader and the CLI."""
        body = b"retry: " + b"9" * 5000 + b"\n\n" + rs.encode_event(rs.DoneEvent())
        decoder = rs.StreamDecoder(strict=True)
        assert decoder.feed(body) == [rs.DoneEvent()]
        assert decoder.retry is None
        plain = rs.encode_event(rs.DoneEvent())
        codes = [p.code for p in rs.validate_stream(body, strict=True)]
        assert codes == [p.code for p in rs.validate_stream(plain, strict=True)]

    @pytest.mark.parametrize(
        ("bound", "error"),
        [(None, TypeError), ("10", TypeError), (True, TypeError), (0, ValueError)],
    )
    def test_a_frame_bound_that_is_none(self, bound: Any, error: type[Exception]) -> None:
        """Found by fuzzing: the bound was taken, and the first feed raised Python's own
        comparison error."""
        with pytest.raises(error, match="max_frame_bytes"):
            rs.StreamDecoder(max_frame_bytes=bound)


class TestEventsOfStatuses:
    def test_of_a_value_of_another_kind(self) -> None:
        """Found by a server author: RunEvent.of(dict) was an AttributeError, and of a
        run step a ValidationError, a 400 a handler would send for its own mistake."""
        running = text_stream()[3]
        assert isinstance(running, rs.RunEvent)
        run = running.data
        made_step = step(
            "in_progress",
            rs.MessageCreationDetails(message_creation=rs.MessageCreation(message_id="m")),
        )
        cases: list[tuple[Any, Any]] = [
            (rs.RunEvent.of, {}),
            (rs.RunEvent.of, made_step),
            (rs.RunStepEvent.of, run),
            (rs.MessageEvent.of, made_step),
            (rs.MessageEvent.of, {"status": "completed"}),
        ]
        for of, wrong in cases:
            with pytest.raises(TypeError):
                of(wrong)
        assert rs.MessageEvent.of(message("completed", "Hi")).event == "thread.message.completed"


class TestHeaders:
    def test_the_beta_in_any_line(self) -> None:
        """Found by a server author: only the first OpenAI-Beta line was read, so
        ``realtime=v1`` then ``assistants=v2`` was refused (HTTP reads both as one)."""
        lines = email.message.Message()
        lines["OpenAI-Beta"] = "realtime=v1"
        lines["OpenAI-Beta"] = "assistants=v2"
        assert rs.LIST_RUNS.check_headers(lines) is None
        assert (
            rs.LIST_RUNS.check_headers([("openai-beta", "x"), ("OpenAI-Beta", "assistants=v2")])
            is None
        )
        refused = rs.LIST_RUNS.check_headers([("OpenAI-Beta", "realtime=v1")])
        assert refused is not None
        assert orjson.loads(refused.body)["error"]["code"] == "invalid_beta"

    def test_raw_headers_of_bytes(self) -> None:
        """Found by a server author: an ASGI scope's raw headers, ``(bytes, bytes)`` pairs,
        were no beta header at all (every request refused, invalid_beta), and bytes names
        in an answer's headers were dropped (``retry_after`` None): bytes are read as
        ISO-8859-1, as HTTP's are."""
        scope = [(b"host", b"127.0.0.1"), (b"openai-beta", b"assistants=v2")]
        assert rs.LIST_RUNS.check_headers(scope) is None
        mapping: Any = {b"OpenAI-Beta": bytearray(b"assistants=v2")}
        assert rs.LIST_RUNS.check_headers(mapping) is None
        refused = rs.LIST_RUNS.check_headers([(b"openai-beta", b"realtime=v1")])
        assert refused is not None
        assert refused.status == 400
        raw: Any = {
            b"Retry-After": b"2",
            b"x-request-id": b"req_\xe9",
        }  # typed str: read all the same
        answer = rs.APIError(429, headers=raw)
        assert (answer.retry_after, answer.request_id) == (2.0, "req_\xe9")
        json_type: Any = {b"content-type": b"application/json"}
        with pytest.raises(rs.StreamError):  # JSON where a stream was asked for, said so
            list(rs.parse_stream_response(200, [b"{}"], headers=json_type))

    def test_names_of_a_str_subclass(self) -> None:
        """Found by a trial: a header name of a ``str`` subclass (multidict's ``istr``, which
        some frameworks give known names) was a TypeError in check_headers (every request a
        500) and dropped from an answer's headers."""

        class Name(str):
            pass

        headers = {Name("Content-Type"): "application/json", "OpenAI-Beta": "assistants=v2"}
        assert rs.LIST_RUNS.check_headers(headers) is None
        assert rs.LIST_RUNS.check_headers({Name("openai-beta"): Name("assistants=v2")}) is None
        answer = rs.APIError(429, headers={Name("Retry-After"): "2"})
        assert answer.retry_after == 2.0

        class H(str, enum.Enum):  # its str() is "H.BETA": the text it holds counts
            BETA = "OpenAI-Beta"

        assert rs.LIST_RUNS.check_headers({H.BETA: "assistants=v2"}) is None

    @pytest.mark.parametrize(
        "headers", [{"OpenAI-Beta": None}, {5: "x"}, None, [("a",)], 7, [(b"openai-beta", 2)]]
    )
    def test_headers_of_another_kind(self, headers: Any) -> None:
        """Found by fuzzing: AttributeError for a value that is no string, or no mapping."""
        with pytest.raises(TypeError, match="headers is a mapping or"):
            rs.LIST_RUNS.check_headers(headers)

    def test_a_poll_wait_past_a_day(self) -> None:
        """Found by a server author: thirty digits passed, which a poll helper waits on."""
        run = rs.fill_absent(rs.loads(SEED, rs.Run))
        assert (
            rs.RETRIEVE_RUN.respond(run, headers={"openai-poll-after-ms": "86400000"}).status == 200
        )
        with pytest.raises(ValueError, match="from 1 to a day"):
            rs.RETRIEVE_RUN.respond(run, headers={"openai-poll-after-ms": "1" * 30})
        # found by a server author: 0 made the poll helpers ask again at once, 14 GETs in
        # half a second where 250 ms meant 3
        with pytest.raises(ValueError, match="from 1 to a day"):
            rs.RETRIEVE_RUN.respond(run, headers={"openai-poll-after-ms": "0"})
        assert rs.RETRIEVE_RUN.respond(run, headers={"openai-poll-after-ms": "1"}).status == 200

    def test_retry_after_is_ascii(self) -> None:
        """Found by fuzzing: float() read an Arabic-Indic digit as 1 second."""
        assert rs.APIError(429, headers={"Retry-After": "\u0661"}).retry_after is None
        assert rs.APIError(429, headers={"Retry-After": "1"}).retry_after == 1.0


class TestWords:
    def test_an_operation_without_a_body(self) -> None:
        """Found by a server author: the sentence capitalized the id (CancelRun)."""
        with pytest.raises(rs.DecodeError) as info:
            rs.CANCEL_RUN.parse_request(b"null")
        assert info.value.to_openai_error()["error"]["message"] == (
            "The cancelRun operation takes no body (or an empty object)."
        )

    def test_one_item(self) -> None:
        """Found by a server author: "expected at most 1 items"."""
        doc = {
            "assistant_id": "a",
            "tool_resources": {"file_search": {"vector_store_ids": ["a", "b"]}},
        }
        with pytest.raises(rs.ValidationError) as info:
            rs.loads(orjson.dumps(doc), rs.CreateThreadAndRunParams, strict=True)
        assert info.value.errors[0].message == "expected at most 1 item, got 2"


class TestUnionValues:
    @pytest.mark.parametrize(
        ("text", "cls"),
        [
            (b'"queued"', rs.RunStatus | rs.UnknownValue),
            (b'"brand_new"', rs.RunStatus | rs.UnknownValue),
            (b"null", rs.Run | None),
            (b'"auto"', rs.ToolChoice),
            (b'"zzz"', rs.ResponseFormat),
            (b'{"type": "code_interpreter"}', rs.Tool),
        ],
    )
    def test_dumps_writes_what_loads_read(self, text: bytes, cls: Any) -> None:
        """Found by fuzzing: dumps refused what loads returned for a union that is no model
        (a str, an UnknownValue, None)."""
        value = rs.loads(text, cls)
        assert orjson.loads(rs.dumps(value)) == orjson.loads(text)
        assert rs.unstructure(value) == orjson.loads(text)

    def test_values_json_cannot_carry(self) -> None:
        with pytest.raises(rs.ValidationError):
            rs.dumps(float("nan"))
        with pytest.raises(rs.ValidationError):
            rs.dumps(2**64)
        with pytest.raises(rs.ValidationError):  # (orjson's own TypeError before)
            rs.dumps("\ud800")
        with pytest.raises(TypeError):
            rs.dumps(object())  # type: ignore[arg-type]


class TestBadRequest:
    def test_an_api_error_is_not_answered_as_a_bad_request(self) -> None:
        """Found by fuzzing: bad_request of an APIError sent another server's body, whose
        code may be a number, as a 400."""
        error = rs.APIError(500, body={"error": {"message": "x", "code": 5}})
        with pytest.raises(TypeError, match="error_response"):
            rs.bad_request(error)

    def test_errors_of_this_side_are_no_bad_request(self) -> None:
        """Found by a user reading the docstrings: a StreamError (a stream this side read,
        another server's) and a RequestError (a request this side could not build) were
        answered as the client's 400, with a misleading ``param``."""
        with pytest.raises(rs.StreamError) as streamed:
            list(rs.parse_stream_response(200, [b"event: thread.run.created\ndata: {}\n\n"]))
        with pytest.raises(rs.RequestError) as built:
            rs.RETRIEVE_RUN.request(thread_id="", run_id="run_1")
        bare = rs.SchemaError([])
        for error, why in (
            (streamed.value, "a stream"),
            (built.value, "could not build"),
            (bare, "no client's bad request"),
        ):
            with pytest.raises(TypeError, match=why):
                rs.bad_request(error)
        with pytest.raises(rs.ValidationError) as client:
            rs.CREATE_RUN.parse_request(b"{}")
        assert rs.bad_request(client.value).status == 400


class TestAnswersQuoteLittle:
    def test_a_long_path_or_method_is_cut(self) -> None:
        """Found by a user reading the docstrings: not_found cut an id past 100 characters,
        but unknown_route and method_not_allowed quoted the whole path (a 1 MB path, a 1 MB
        answer) and method."""
        path = "/v1/threads/" + "t" * 1_000_000
        for answer in (
            rs.unknown_route("GET", path),
            rs.method_not_allowed("M" * 1_000, path, ("GET",)),
            rs.not_found("run", "r" * 1_000_000),
        ):
            message = orjson.loads(answer.body)["error"]["message"]
            assert len(answer.body) < 400
            assert "..." in message
        assert orjson.loads(rs.unknown_route("GET", "/v1/x").body)["error"]["message"] == (
            "Invalid URL (GET /v1/x)."
        )
        with pytest.raises(TypeError):
            rs.unknown_route("GET", None)  # type: ignore[arg-type]

    def test_error_answers_take_what_clients_read(self) -> None:
        """Found by a user reading the docstrings: error_response and its kin wrote any
        value (a number for the message or the code, null for the type), not_found of an
        id of 5 was an internal "has no len()", active_run wrote "None": each a TypeError."""
        loose: Any = rs  # as a caller without a type checker
        wrong: list[Any] = [
            lambda: loose.error_response(400, 5),
            lambda: loose.error_response(400, "m", type=None),
            lambda: loose.error_response(400, "m", code=404),
            lambda: loose.error_response(400, "m", param=["x"]),
            lambda: loose.server_error(None),
            lambda: loose.active_run("thread_1", None),
            lambda: loose.not_found("run", 5),
            lambda: loose.not_found(None, "run_1"),
        ]
        for call in wrong:
            with pytest.raises(TypeError):
                call()
        body = orjson.loads(rs.error_response(400, "m", param="p", code="c").body)
        assert body == {
            "error": {"message": "m", "type": "invalid_request_error", "param": "p", "code": "c"}
        }


@attrs.frozen
class _Leaf:
    name: str


@attrs.frozen
class _Holder:
    leaf: _Leaf | None = None
    leaves: tuple[_Leaf, ...] = ()
    by_name: dict[str, _Leaf] = attrs.Factory(dict)
    frozen: rs.FrozenMap[_Leaf] | None = None


class _Name(enum.Enum):
    X = "x"


class _Level(enum.IntEnum):
    LOW = 1


@attrs.frozen
class _Left:
    left: int


@attrs.frozen
class _Right:
    right: int


@attrs.frozen
class _Shapes:
    tags: set[str] = attrs.Factory(set)
    words: tuple[str, ...] = ()
    nums: list[int] = attrs.Factory(list)
    maybe_name: _Name | None = None
    name: _Name = _Name.X
    maybe_level: _Level | None = None
    side: _Left | _Right | None = None
    maybe_map: rs.FrozenMap[int] | None = None
    event: rs.StreamEvent | None = None


@pytest.mark.parametrize("converter", [rs.LENIENT, rs.STRICT])
@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("tags", "queued", "type"),  # each letter, once
        ("words", "abc", "type"),
        ("nums", b"xy", "type"),
        ("nums", {7: 1}, "type"),
        ("maybe_name", "queued", "const"),
        ("name", "x", "type"),  # the member's value, not the member: an AttributeError
        ("maybe_level", 5, "const"),
        ("side", 5, "type"),
        ("maybe_map", 1.5, "type"),  # an AttributeError
        ("event", "not an event", "type"),
    ],
)
def test_a_field_of_another_shape_is_refused_when_written(
    converter: Any, field: str, value: Any, code: str
) -> None:
    """Found by fuzzing: written, an array field iterated a string or an object, a union of
    your classes or an event field wrote any value, an enum or map field in ``| None`` was
    not checked (or raised cattrs' AttributeError): what the converter then read back was
    another value, or refused. Each is refused where it is, as when read."""
    shapes = attrs.evolve(_Shapes(), **{field: value})
    with pytest.raises(rs.ValidationError) as info:
        converter.unstructure(shapes)
    assert [(e.path, e.code) for e in info.value.errors] == [(f"$.{field}", code)]
    whole = _Shapes(
        tags={"a"},
        words=("a",),
        nums=[1],
        maybe_name=_Name.X,
        maybe_level=_Level.LOW,
        side=_Right(right=2),
        maybe_map=rs.FrozenMap({"a": 1}),
        event=rs.DoneEvent(),
    )
    assert converter.structure(converter.unstructure(whole), _Shapes) == whole
    assert converter.structure(converter.unstructure(_Shapes()), _Shapes) == _Shapes()


@attrs.frozen
class _Names:
    listed: list[_Name] = attrs.Factory(list)
    by_key: dict[str, _Name] | None = None
    keyed: dict[_Name, int] = attrs.Factory(dict)


@pytest.mark.parametrize("converter", [rs.LENIENT, rs.STRICT])
def test_an_enum_item_of_another_kind_is_placed(converter: Any) -> None:
    """Found by a user: a string where an enum member belongs in an array or a map was
    cattrs' AttributeError, which errors_of raised again as a bug (never a 400)."""
    cases: list[tuple[str, Any, str]] = [
        ("listed", ["x"], "$.listed[0]"),
        ("by_key", {"a": "x"}, "$.by_key.a"),
        ("keyed", {"x": 1}, "$.keyed.x"),
    ]
    for field, value, path in cases:
        names = attrs.evolve(_Names(), **{field: value})
        with pytest.raises(rs.ValidationError) as info:
            converter.unstructure(names)
        assert [(e.path, e.code) for e in info.value.errors] == [(path, "type")]
    whole = _Names(listed=[_Name.X], by_key={"a": _Name.X}, keyed={_Name.X: 1})
    assert converter.structure(converter.unstructure(whole), _Names) == whole


@attrs.frozen
class _Sides:
    sides: list[_Left | _Right] = attrs.Factory(list)
    by_name: dict[str, _Left | _Right] = attrs.Factory(dict)
    events: list[rs.StreamEvent] = attrs.Factory(list)


@pytest.mark.parametrize("converter", [rs.LENIENT, rs.STRICT])
def test_a_union_item_of_another_class_is_refused_when_written(converter: Any) -> None:
    """Found by a user: a class of yours outside the union (or a dict where an event
    belongs), as an array's item or a map's value, was written, then refused when read."""
    cases: list[tuple[str, Any, str]] = [
        ("sides", [_Leaf(name="x")], "$.sides[0]"),
        ("by_name", {"a": 5}, "$.by_name.a"),
        ("events", [{"event": "thread.run.bogus", "data": 5}], "$.events[0]"),
    ]
    for field, value, path in cases:
        sides = attrs.evolve(_Sides(), **{field: value})
        with pytest.raises(rs.ValidationError) as info:
            converter.unstructure(sides)
        assert [(e.path, e.code) for e in info.value.errors] == [(path, "type")]
    whole = _Sides(
        sides=[_Left(left=1), _Right(right=2)],
        by_name={"a": _Left(left=3)},
        events=[rs.DoneEvent()],
    )
    assert converter.structure(converter.unstructure(whole), _Sides) == whole


@attrs.frozen
class _Abstract:
    names: Iterable[str] = ()
    statuses: Collection[rs.RunStatus] | None = None


@pytest.mark.parametrize("converter", [rs.LENIENT, rs.STRICT])
def test_iterable_and_collection_fields_are_arrays(converter: Any) -> None:
    """Found by a trial: a field annotated ``Iterable[str]`` or ``Collection[str]`` wrote a
    set or a generator as it was (orjson then refused it) and a string as one, and cattrs
    had no hook to read either back. Both are arrays: written as lists, read as tuples."""
    written = converter.unstructure(_Abstract(names=(c for c in "ab"), statuses={"queued"}))
    queued: rs.RunStatus = "queued"
    assert written == {"names": ["a", "b"], "statuses": ["queued"]}
    read = converter.structure(written, _Abstract)
    assert read == _Abstract(names=("a", "b"), statuses=(queued,))
    assert converter.unstructure(read) == written
    assert converter.structure(converter.unstructure(_Abstract()), _Abstract) == _Abstract()
    one: Any = [1]
    for value, path in ((_Abstract(names="ab"), "$.names"), (_Abstract(names=one), "$.names[0]")):
        with pytest.raises(rs.ValidationError) as info:
            converter.unstructure(value)
        assert [(e.path, e.code) for e in info.value.errors] == [(path, "type")]
    for doc, path in (({"names": "ab"}, "$.names"), ({"statuses": ["queued", 5]}, "$.statuses[1]")):
        with pytest.raises(cattrs.BaseValidationError) as raised:  # read by errors_of
            converter.structure(doc, _Abstract)
        problems = rs.errors_of(raised.value).errors
        assert [(e.path, e.code) for e in problems] == [(path, "type")]
    assert converter.structure(["x"], Iterable[str]) == ("x",)
    # bare, of any items (found by a trial: left to cattrs, which had no hook)
    assert converter.structure(["x", 1], Iterable) == ("x", 1)
    assert converter.unstructure({"x"}, Collection) == ["x"]


@pytest.mark.parametrize("converter", [rs.LENIENT, rs.STRICT])
def test_a_value_of_another_kind_where_a_class_of_yours_belongs(converter: Any) -> None:
    """Found by fuzzing: a str where a class of yours belongs was cattrs' AttributeError
    when written; it is a type problem at its path (a map's key too)."""
    for held, path in (
        (_Holder(leaf="oops"), "$.leaf"),  # type: ignore[arg-type]
        (_Holder(leaves=("oops",)), "$.leaves[0]"),  # type: ignore[arg-type]
        (_Holder(by_name={"k": "oops"}), "$.by_name.k"),  # type: ignore[dict-item]
        (_Holder(frozen=rs.FrozenMap({"k": "oops"})), "$.frozen.k"),  # type: ignore[dict-item]
    ):
        with pytest.raises(rs.ValidationError) as info:
            converter.unstructure(held)
        assert [(e.path, e.code) for e in info.value.errors] == [(path, "type")]
        assert "expected an object (a _Leaf), got a string" in info.value.errors[0].message


def test_a_bad_frame_leaves_the_same_whatever_the_chunking() -> None:
    """Found by an SDK author: with no on_error, what the readers gave before a bad frame,
    and what its StreamError held, depended on where the chunks were cut."""
    body = (
        b"event: thread.foo\ndata: first\n\n"
        b"event: thread.run.queued\ndata: {bad\n\n"
        b"event: thread.foo\ndata: third\n\n"
    )
    for chunks in ([body], [body[:31], body[31:]], [body[i : i + 1] for i in range(len(body))]):
        with pytest.raises(rs.StreamError) as info:
            rs.decode_stream(chunks)
        assert [e.data for e in info.value.events] == ["first"]
        for read in (rs.iter_stream, lambda c: rs.parse_stream_response(200, c)):
            got: list[Any] = []
            with pytest.raises(rs.StreamError) as info:
                got.extend(e.data for e in read(chunks))
            assert (got, info.value.events) == (["first"], ())


class TestArchives:
    """What the sixth archive trial found, beside its re-check of the fifth's fixes."""

    def test_a_damaged_bzip2_block_is_no_documents(self, tmp_path: Path) -> None:
        """bzip2 checks a block once it is all decompressed: asked for less, it gave the
        damaged block's garbage, read as hundreds of invalid documents before the error."""
        import bz2

        lines = b"".join(
            orjson.dumps({"id": f"run_{i}", "n": i * 7919 % 10007, "s": "x" * (i % 50)}) + b"\n"
            for i in range(30_000)
        )
        data = bytearray(bz2.compress(lines, compresslevel=1))
        blocks = [i for i in range(4, len(data) - 6) if data[i : i + 6] == b"1AY&SY"]
        assert len(blocks) >= 3
        data[(blocks[1] + blocks[2]) // 2] ^= 0xFF  # inside the second block
        (tmp_path / "a.jsonl.bz2").write_bytes(bytes(data))
        ran = _cli(tmp_path, "validate", "--format", "json", "a.jsonl.bz2")
        records = [orjson.loads(line) for line in ran.lines if line.startswith("{")]
        codes = {e["code"] for r in records for e in r["errors"]}
        assert "json_invalid" not in codes  # no garbage read as documents
        assert "unreadable_input" in codes
        assert ran.code == 2

    def test_arrays_a_line_and_pages_an_item_a_line(self) -> None:
        """Arrays one a line (as jq -c writes them) were JSONL when small and JSON when
        big; a list page, or an array after a space, written an item a line, was JSONL past
        the look."""
        doc = orjson.dumps({"id": "run_1", "x": "y" * 50})
        arrays = (
            orjson.dumps([orjson.loads(doc)] * 3)
            + b"\n"
            + orjson.dumps([orjson.loads(doc)])
            + b"\n"
        )
        page = (
            b'{"object": "list", "data": [\n'
            + b",\n".join([doc] * 30)
            + b'\n], "has_more": false}\n'
        )
        spaced = b" [\n" + b",\n".join([doc] * 30) + b"\n]\n"
        with unittest.mock.patch.object(_inputs, "_PEEK", 1_000):
            for data, count in ((arrays, 2), (page, 1), (spaced, 1)):
                read = _inputs._units(io.BytesIO(data), "auto", _inputs._Progress(None))
                assert [u.whole for u in read] == [True] * count, data[:30]
            assert min(len(page), len(spaced)) > 1_000  # past the look: told by it

    def test_the_first_line_and_a_whole_file_against_the_bound(self, tmp_path: Path) -> None:
        """The byte order mark's room leaked into a .jsonl first line's message ("longer
        than 103" at 100); a whole JSON file counts its bytes but the mark and its last
        line end."""
        line = orjson.dumps({"id": "run_1", "x": "a" * 200})
        (tmp_path / "a.jsonl").write_bytes(b"\xef\xbb\xbf" + line + b"\n")
        ran = _cli(tmp_path, "validate", "--format", "json", "--max-bytes", "100", "a.jsonl")
        message = orjson.loads(ran.lines[0])["errors"][0]["message"]
        assert (
            message
            == f"the line is {len(line)} bytes long, longer than 100 (--max-bytes): it was skipped"
        )
        (tmp_path / "b.json").write_bytes(b"\xef\xbb\xbf" + line + b"\r\n")
        assert (
            _cli(tmp_path, "validate", "--max-bytes", str(len(line)), "b.json").code == 1
        )  # invalid run, read
        (tmp_path / "b.json").write_bytes(line + b"\n\n")
        ran = _cli(tmp_path, "validate", "--max-bytes", str(len(line)), "b.json")
        assert "too_large" in ran.out

    def test_a_file_name_with_a_line_end_on_stderr(self, tmp_path: Path) -> None:
        """Escaped in the report, a name holding a line end was written raw on stderr."""
        (tmp_path / "a\nb.gz").write_bytes(b"\x1f\x8bJUNK")
        ran = _cli(tmp_path, "validate", "a\nb.gz")
        assert ran.err.startswith("runschema: error: cannot read a\\nb.gz: ")
        assert ran.err.count("\n") == 1


def test_text_a_stream_cannot_carry() -> None:
    """Found by a stream trial: encode_comment of a lone surrogate was a bare
    UnicodeEncodeError; an id line that is not UTF-8 was replaced with no word in strict mode,
    where the same bytes on a data line are an encoding problem."""
    with pytest.raises(ValueError, match="lone surrogate"):
        rs.encode_comment("\ud800")
    for chunk in ("id: \ud800\n\n", b"id: \xff\n\n"):
        with pytest.raises(rs.StreamError) as info:
            rs.StreamDecoder(strict=True).feed(chunk)
        assert [(e.path, e.code) for e in info.value.errors] == [("$[0]", "encoding")]
        lenient = rs.StreamDecoder()
        assert lenient.feed(chunk) == []
        assert lenient.last_event_id is not None


def _tool_stream_body(required: list[tuple[str, str]]) -> bytes:
    """A stream whose tool call step's deltas make the calls c1 (f) and c2 (g), then a
    requires_action that asks for ``required`` ((id, name) pairs)."""
    run: dict[str, Any] = {
        **orjson.loads(SEED),
        "id": "run_1",
        "thread_id": "thread_1",
        "status": "queued",
        "required_action": None,
        "completed_at": None,
        "started_at": None,
        "usage": None,
    }
    running = {**run, "status": "in_progress", "started_at": run["created_at"]}
    step_doc = rs.unstructure(step("in_progress", rs.ToolCallsDetails(tool_calls=())))
    calls = [
        {
            "index": i,
            "id": c,
            "type": "function",
            "function": {"name": n, "arguments": "{}", "output": None},
        }
        for i, (c, n) in enumerate((("c1", "f"), ("c2", "g")))
    ]
    delta = {
        "id": "step_1",
        "object": "thread.run.step.delta",
        "delta": {"step_details": {"type": "tool_calls", "tool_calls": calls}},
    }
    action = {
        "type": "submit_tool_outputs",
        "submit_tool_outputs": {
            "tool_calls": [
                {"id": c, "type": "function", "function": {"name": n, "arguments": "{}"}}
                for c, n in required
            ]
        },
    }
    frames = [
        ("thread.run.created", run),
        ("thread.run.queued", run),
        ("thread.run.in_progress", running),
        ("thread.run.step.created", step_doc),
        ("thread.run.step.in_progress", step_doc),
        ("thread.run.step.delta", delta),
        (
            "thread.run.requires_action",
            {**running, "status": "requires_action", "required_action": action},
        ),
    ]
    return b"".join(
        b"event: %s\ndata: %s\n\n" % (n.encode(), orjson.dumps(d)) for n, d in frames
    ) + rs.encode_event(rs.DoneEvent())


def test_the_calls_a_run_requires_in_any_order() -> None:
    """Found by an SDK author: the calls the deltas made, required in another order, were
    two content_mismatch problems (a handler answers each by its id)."""
    assert rs.validate_stream(_tool_stream_body([("c1", "f"), ("c2", "g")])) == []
    assert rs.validate_stream(_tool_stream_body([("c2", "g"), ("c1", "f")])) == []
    found = rs.validate_stream(_tool_stream_body([("c2", "g"), ("c3", "h")]))
    assert [(p.path, p.code) for p in found] == [
        ("$[6].data.required_action.submit_tool_outputs.tool_calls[1]", "content_mismatch")
    ]
