"""The Assistants stream: decoding in any chunking, each mode's reading of what servers get
wrong, bounded memory, encoding, the checker's rules, and the spec's own transcripts."""

from __future__ import annotations

import asyncio
import gzip
import pickle
import re
from collections.abc import AsyncIterator
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import runschema as rs
from runschema._events import STATUS_OF_EVENT
from runschema._kinds import MAX_DEPTH
from tests.fixtures import DATA, examples
from tests.streams import at, base_run, message, step, text_delta, text_stream, tool_stream

SSE = DATA / "spec" / "examples" / "sse"
_DETAILS = rs.ToolCallsDetails(tool_calls=())
#: untyped, for events built wrong on purpose
_RS: Any = rs
_EVOLVE: Any = attrs.evolve


def _all(
    data: bytes,
    *,
    strict: bool = False,
    chunks: list[int] | None = None,
    max_frame_bytes: int = rs.DEFAULT_MAX_FRAME_BYTES,
) -> tuple[list[rs.StreamEvent], list[tuple[int, str | None, list[tuple[str, str]]]]]:
    """Events and bad frames ((index, name, [(path, code)])) of a whole stream, fed in chunks
    of the given sizes (cycled), or whole."""
    errors: list[rs.StreamError] = []
    if chunks is None:
        source: Any = data
    else:
        pieces, i, k = [], 0, 0
        while i < len(data):
            n = chunks[k % len(chunks)]
            pieces.append(data[i : i + n])
            i, k = i + n, k + 1
        source = pieces
    events = rs.decode_stream(
        source, strict=strict, on_error=errors.append, max_frame_bytes=max_frame_bytes
    )
    return events, [(e.index, e.event, [(d.path, d.code) for d in e.errors]) for e in errors]


def _fed_on(
    data: bytes,
    sizes: list[int],
    *,
    strict: bool = False,
    max_frame_bytes: int = rs.DEFAULT_MAX_FRAME_BYTES,
) -> tuple[list[rs.StreamEvent], list[tuple[int, str | None, list[tuple[str, str]]]]]:
    """As :func:`_all` in chunks, the way a caller of ``feed`` does it: after a bad frame it
    feeds the next chunk (not ``feed(b"")``), as the docstring allows."""
    dec = rs.StreamDecoder(strict=strict, max_frame_bytes=max_frame_bytes)
    events: list[rs.StreamEvent] = []
    errors: list[rs.StreamError] = []
    pieces, i, k = [], 0, 0
    while i < len(data):
        n = sizes[k % len(sizes)]
        pieces.append(data[i : i + n])
        i, k = i + n, k + 1
    for piece in pieces:
        try:
            events += dec.feed(piece)
        except rs.StreamError as e:  # on with the next chunk
            events += e.events
            errors.append(e)
    while True:  # close() again after a bad frame it found, as iter_stream does
        try:
            events += dec.close()
            break
        except rs.StreamError as e:
            events += e.events
            errors.append(e)
    return events, [(e.index, e.event, [(d.path, d.code) for d in e.errors]) for e in errors]


#: Pieces of streams that once read differently by where the chunks were cut: frames, bad
#: ones, lines longer than the limit below (of each field, and comments), blank lines.
_LIMIT = 700
_PIECES = [
    *(rs.encode_event(e) for e in text_stream()[:4]),
    b"event: thread.run.created\ndata: {}\n\n",  # data the run refuses
    b"event: thread.run.created\n\n",  # no data
    b"event: done\ndata: [DONE]\n\n",
    b"event:\ndata: [DONE]\n\n",  # an empty name: none
    b"data: [DONE]\n\n",
    b"event: thread.run.created\ndata: " + b"x" * (_LIMIT + 50) + b"\n\n",
    b"event: thread.run.created\nid: " + b"7" * (_LIMIT + 50) + b"\ndata: {}\n\n",
    b"event: " + b"e" * (_LIMIT + 50) + b"\ndata: {}\n\n",
    b": " + b"c" * (_LIMIT + 50) + b"\n",
    b": ping\n",
    b"\n",
    b"stray line\n",
]


# --- the codec ----------------------------------------------------------------------------


class TestDecodeAnyChunking:
    @pytest.mark.parametrize("name", ["text", "tool"])
    @pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
    def test_byte_by_byte_and_every_line_ending(self, name: str, ending: bytes) -> None:
        events = text_stream() if name == "text" else tool_stream()
        body = rs.encode_events(events).replace(b"\n", ending)
        assert _all(body) == (events, [])
        assert _all(body, chunks=[1]) == (events, [])
        assert _all(body, chunks=[2, 3, 5, 7]) == (events, [])

    @given(st.lists(st.integers(1, 300), min_size=1, max_size=20))
    def test_random_chunks_of_the_spec_examples(self, sizes: list[int]) -> None:
        for path in sorted(SSE.glob("*.sse")):
            data = path.read_bytes()
            for strict in (False, True):
                assert _all(data, strict=strict, chunks=sizes) == _all(data, strict=strict)

    @given(
        st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8),
        st.sampled_from([b"\n", b"\r\n", b"\r"]),
        st.booleans(),
        st.lists(st.integers(1, 900), min_size=1, max_size=12),
        st.booleans(),
    )
    def test_what_is_read_never_depends_on_the_chunks(
        self, pieces: list[bytes], ending: bytes, bom: bool, sizes: list[int], strict: bool
    ) -> None:
        """Bad frames, frames over the limit, long comments, line ends split in two, a byte
        order mark: whole, byte by byte or in any chunks, the same events and errors."""
        body = (b"\xef\xbb\xbf" if bom else b"") + b"".join(pieces).replace(b"\n", ending)
        whole = _all(body, strict=strict, max_frame_bytes=_LIMIT)
        assert _all(body, strict=strict, chunks=sizes, max_frame_bytes=_LIMIT) == whole
        assert _all(body, strict=strict, chunks=[1], max_frame_bytes=_LIMIT) == whole
        # found by fuzzing: fed on with the next chunk after a frame over the limit, a chunk
        # of no line end was dropped as the rest of that frame
        assert _fed_on(body, sizes, strict=strict, max_frame_bytes=_LIMIT) == whole

    def test_close_after_a_bad_frame(self) -> None:
        """Found by fuzzing: after a bad frame, close() (the next call, as feed's docstring
        allows) read the event held after it, then raised for a last frame cut short
        without it: the event was lost. It comes with the error, as feed gives them."""
        good = rs.encode_event(rs.RunEvent("thread.run.in_progress", base_run()))
        body = (
            b"event: thread.run.step.delta\ndata: {}\n\n"
            + good
            + b'event: thread.message.delta\ndata: {"id":"msg_1","obj'
        )
        whole = _all(body)
        assert whole[0] == [rs.RunEvent("thread.run.in_progress", base_run())]
        assert _fed_on(body, [len(body)]) == whole
        for strict in (False, True):
            assert _fed_on(body, [len(body)], strict=strict) == _all(body, strict=strict)

    def test_the_chunk_after_a_frame_over_the_limit(self) -> None:
        """The fuzzer's case: the frame over the limit is refused in the first chunk, whose
        end starts the done frame; the next chunk, with no line end, is part of that line."""
        body = b"data: " + b"x" * 100 + b"\n\nevent: done\ndata: [DONE]\n\n"
        cut = body.index(b"[DO") + 3
        sizes = [cut, 3, len(body)]
        whole = ([rs.DoneEvent()], [(0, None, [("$[0]", "frame_too_large")])])
        assert _all(body, max_frame_bytes=50) == whole
        assert _fed_on(body, sizes, max_frame_bytes=50) == whole

    def test_crlf_split_after_a_bad_frame(self) -> None:
        """The \n of a \r\n cut between two chunks is that line's end after a bad frame too
        (the decoder goes on with ``feed(b"")``, which must not forget the \r)."""
        bad = b"event: thread.run.created\r\ndata: {}\r\n\r\n"
        body = bad + b"event: done\r\ndata: [DONE]\r\n\r\n"
        cut = len(bad) + len(b"event: done\r")
        for strict in (False, True):
            whole = _all(body, strict=strict)
            assert whole[0] == [rs.DoneEvent()]
            assert [(i, codes[0][1]) for i, _, codes in whole[1]] == [(0, "missing")]
            errors: list[rs.StreamError] = []
            split = rs.decode_stream(
                [body[:cut], body[cut:]], strict=strict, on_error=errors.append
            )
            assert split == whole[0]
            assert [e.index for e in errors] == [0]

    def test_a_byte_order_mark_is_skipped_and_strict_names_it(self) -> None:
        body = b"\xef\xbb\xbfevent: done\ndata: [DONE]\n\n"
        assert rs.decode_stream(body) == [rs.DoneEvent()]
        assert _all(body, chunks=[1]) == ([rs.DoneEvent()], [])
        assert _all(body, strict=True) == ([], [(0, "done", [("$[0]", "encoding")])])
        assert _all(body, strict=True, chunks=[2]) == _all(body, strict=True)
        assert rs.decode_stream(b"\xef\xbb\xbf") == []
        # bytes that only begin like one are the stream's own
        assert _all(b"\xef\xbb", strict=True) == _all(b"\xef\xbb", strict=True, chunks=[1])
        assert rs.decode_stream([b"\xef", b"\xbbx: 1\n\nevent: done\ndata: [DONE]\n\n"]) == [
            rs.DoneEvent()
        ]

    def test_crlf_split_between_chunks(self) -> None:
        dec = rs.StreamDecoder()
        assert dec.feed(b"event: done\r") == []
        assert dec.feed(b"\ndata: [DONE]\r") == []
        assert dec.feed(b"\n\r") == [rs.DoneEvent()]
        assert dec.feed(b"\n") == []  # the \n of that \r\n: not a second blank line
        assert dec.close() == []

    def test_fields_comments_and_multiline_data(self) -> None:
        body = (
            b": keep-alive\n"
            b"id: 41\nretry: 1500\n\n"
            b"event: thread.weird\nid: 42\ndata: line one\ndata:line two\ndata\n\n"
            b"event: done\ndata: [DONE]\n\n"
        )
        dec = rs.StreamDecoder()
        events = dec.feed(body)
        assert events == [rs.UnknownEvent("thread.weird", "line one\nline two\n"), rs.DoneEvent()]
        assert (dec.last_event_id, dec.retry) == ("42", 1500)
        assert dec.index == 2

    def test_heartbeats_between_and_inside_frames(self) -> None:
        events = text_stream()
        frames = [rs.encode_event(e) for e in events]
        beat = rs.encode_comment()
        assert beat == b": keep-alive\n\n"
        body = beat.join(frames)
        inside = frames[1].replace(b"\ndata:", b"\n: ping\ndata:")
        assert rs.decode_stream(body, strict=True) == events
        assert rs.decode_stream(inside, strict=True) == [events[1]]

    def test_feed_takes_bytes_and_text(self) -> None:
        dec = rs.StreamDecoder()
        assert dec.feed(bytearray(b"event: done\n")) == []
        assert dec.feed(memoryview(b"data: [DONE]\n\n")) == [rs.DoneEvent()]
        assert dec.feed("event: done\n") == []
        assert dec.feed("data: [DONE]\n\n") == [rs.DoneEvent()]
        with pytest.raises(TypeError, match="feed\\(\\) takes bytes or str, not int"):
            dec.feed(1)  # type: ignore[arg-type]
        dec.close()
        with pytest.raises(ValueError, match="after close"):
            dec.feed(b"")


class TestModes:
    """The module's table, row by row, with exact codes and paths."""

    RUN = rs.dumps(base_run())

    def test_unknown_event(self) -> None:
        body = b'event: thread.run.paused\ndata: {"x": 1}\n\n'
        assert _all(body) == ([rs.UnknownEvent("thread.run.paused", '{"x": 1}')], [])
        assert _all(body, strict=True) == (
            [],
            [(0, "thread.run.paused", [("$[0].event", "unknown_event")])],
        )

    def test_data_only_envelope(self) -> None:
        body = b'data: {"event": "thread.run.created", "data": ' + self.RUN + b"}\n\n"
        assert _all(body) == ([rs.RunEvent("thread.run.created", base_run())], [])
        assert _all(body, strict=True) == ([], [(0, None, [("$[0]", "data_only_frame")])])

    def test_data_only_envelope_with_bad_data_has_paths(self) -> None:
        body = b'data: {"event": "thread.run.created", "data": {"id": 5}}\n\n'
        _, errors = _all(body)
        assert errors[0][2][0] == ("$[0].data.id", "type")

    def test_data_only_envelope_too_deep_to_keep(self) -> None:
        """Found by fuzzing: an unknown event's data-only envelope nested past what orjson
        writes (255 levels; it reads 1,024) raised orjson's TypeError from the decoder, and
        the done frame after it was lost. Its text is written compact, which runschema never
        asks of orjson past MAX_DEPTH levels (its compact writer overruns past about 200)."""
        for levels in (300, 200, MAX_DEPTH):
            deep = b"[" * levels + b"]" * levels
            body = b'data: {"event": "x", "data": ' + deep + b"}\n\nevent: done\ndata: [DONE]\n\n"
            assert _all(body) == ([rs.DoneEvent()], [(0, None, [("$[0].data", "too_deep")])])
        kept = b"[" * (MAX_DEPTH - 2) + b"]" * (MAX_DEPTH - 2)
        body = b'data: {"event": "x", "data": ' + kept + b"}\n\n"
        assert _all(body) == ([rs.UnknownEvent("x", kept.decode())], [])

    def test_data_only_other(self) -> None:
        body = b'data: {"id": "run_1"}\n\n'
        assert _all(body) == ([rs.UnknownEvent("message", '{"id": "run_1"}')], [])
        assert _all(body, strict=True) == ([], [(0, None, [("$[0]", "missing_event")])])

    @pytest.mark.parametrize("data", [b"[DONE]", b'"[DONE]"'])
    def test_done_without_event_line(self, data: bytes) -> None:
        body = b"data: " + data + b"\n\n"
        assert _all(body) == ([rs.DoneEvent()], [])
        assert _all(body, strict=True) == ([], [(0, None, [("$[0]", "missing_event")])])

    def test_quoted_done(self) -> None:
        body = b'event: done\ndata: "[DONE]"\n\n'
        assert _all(body) == ([rs.DoneEvent()], [])
        assert _all(body, strict=True) == ([], [(0, "done", [("$[0].data", "quoted_done")])])

    def test_done_with_other_data(self) -> None:
        body = b"event: done\ndata: {}\n\n"
        for strict in (False, True):
            assert _all(body, strict=strict) == ([], [(0, "done", [("$[0].data", "const")])])

    def test_an_empty_event_name_is_none(self) -> None:
        """``event:`` with nothing after it names no event (SSE's default, "message"; the
        official client reads it as None): read as a frame with no ``event:`` line."""
        assert _all(b"event:\ndata: [DONE]\n\n") == ([rs.DoneEvent()], [])
        events, _ = _all(b'event:\ndata: {"a": 1}\n\n')
        assert events == [rs.UnknownEvent("message", '{"a": 1}')]
        assert rs.decode_stream(rs.encode_events(events)) == events
        assert _all(b"event:\ndata: {}\n\n", strict=True) == (
            [],
            [(0, None, [("$[0]", "missing_event")])],
        )
        # an envelope naming no event, or lines, is no envelope: the frame is kept whole
        for name in ("", "a\\nb"):
            body = b'data: {"event": "%s", "data": {}}\n\n' % name.encode()
            (event,) = rs.decode_stream(body)
            assert isinstance(event, rs.UnknownEvent)
            assert event.event == "message"
            assert rs.decode_stream(rs.encode_event(event)) == [event]

    def test_event_without_data(self) -> None:
        body = b"event: thread.run.completed\n\nevent: done\ndata: [DONE]\n\n"
        for strict in (False, True):
            assert _all(body, strict=strict) == (
                [rs.DoneEvent()],
                [(0, "thread.run.completed", [("$[0]", "missing_data")])],
            )

    def test_line_of_no_field(self) -> None:
        body = b"...\n\nevent: done\ndata: [DONE]\n\n"
        assert _all(body) == ([rs.DoneEvent()], [])
        # the stray line is reported where the next event stands, which keeps its index
        assert _all(body, strict=True) == (
            [rs.DoneEvent()],
            [(0, None, [("$[0]", "unknown_field")])],
        )

    def test_last_frame_without_blank_line(self) -> None:
        for body in (b"event: done\ndata: [DONE]\n", b"event: done\ndata: [DONE]"):
            assert _all(body) == ([rs.DoneEvent()], [])
            assert _all(body, strict=True) == ([], [(0, "done", [("$[0]", "truncated_frame")])])

    def test_invalid_data_strict_and_lenient(self) -> None:
        run = base_run()
        lenient_only = rs.dumps(attrs.evolve(run, status=rs.UnknownValue(value="paused")))
        body = b"event: thread.run.queued\ndata: " + lenient_only + b"\n\n"
        events, errors = _all(body)
        assert errors == []
        assert isinstance(events[0], rs.RunEvent)
        assert events[0].data.status == rs.UnknownValue(value="paused")
        assert _all(body, strict=True)[1] == [
            (0, "thread.run.queued", [("$[0].data.status", "enum")])
        ]

    def test_float_timestamp_and_bad_json(self) -> None:
        body = (
            b'event: thread.run.created\ndata: {"created_at": 1.5}\n\n'
            b"event: thread.run.created\ndata: {\n\n"
            b"event: done\ndata: [DONE]\n\n"
        )
        events, errors = _all(body)
        assert events == [rs.DoneEvent()]
        assert errors[0][0] == 0
        assert ("$[0].data.created_at", "type") in errors[0][2]
        assert errors[1] == (1, "thread.run.created", [("$[1].data", "json_invalid")])

    def test_event_name_not_utf8(self) -> None:
        body = b"event: thread.\xffrun\ndata: {}\n\n"
        assert _all(body)[1] == [(0, "thread.\ufffdrun", [("$[0].event", "encoding")])]

    def test_unknown_event_data_not_utf8(self) -> None:
        assert _all(b"event: x\ndata: \xff\n\n")[1] == [(0, "x", [("$[0].data", "encoding")])]

    def test_error_keeps_earlier_events_of_the_chunk_and_resumes(self) -> None:
        done = b"event: done\ndata: [DONE]\n\n"
        dec = rs.StreamDecoder(strict=True)
        with pytest.raises(rs.StreamError) as info:
            dec.feed(done + b"event: nope\ndata: 1\n\n" + done)
        err = info.value
        assert (err.index, err.event, err.events) == (1, "nope", (rs.DoneEvent(),))
        assert isinstance(err, rs.SchemaError)
        assert dec.feed(b"") == [rs.DoneEvent()]
        assert dec.index == 3
        again = pickle.loads(pickle.dumps(err))
        assert (again.index, again.event, again.errors) == (1, "nope", err.errors)


class TestBoundedMemory:
    def test_oversized_frame_is_refused_skipped_and_memory_stays_bounded(self) -> None:
        limit = 64 * 1024
        dec = rs.StreamDecoder(max_frame_bytes=limit)
        chunk = b"x" * 4096
        errors: list[rs.StreamError] = []
        try:
            dec.feed(b"event: thread.run.created\ndata: ")
            for _ in range(1000):  # 4 MB of one line
                try:
                    dec.feed(chunk)
                except rs.StreamError as e:
                    errors.append(e)
                held = sum(map(len, dec._parts)) + dec._size
                assert held <= limit + len(chunk)
            got = dec.feed(b"\n\nevent: done\ndata: [DONE]\n\n")
        except rs.StreamError as e:
            errors.append(e)
            got = []
        assert [(e.index, e.event, e.errors[0].code) for e in errors] == [
            (0, "thread.run.created", "frame_too_large")
        ]
        assert got == [rs.DoneEvent()]
        assert dec.index == 2

    def test_the_next_frame_survives_an_oversized_one(self) -> None:
        """The start of the frame after an oversized line, in the same chunk, is kept."""
        big = b"event: thread.run.created\ndata: " + b"x" * 1500 + b"\n\n"
        body = big + b"event: done\ndata: [DONE]\n\n"
        whole = _all(body, max_frame_bytes=1000)
        assert whole == (
            [rs.DoneEvent()],
            [(0, "thread.run.created", [("$[0]", "frame_too_large")])],
        )
        for cut in range(1, len(body)):
            parts = [body[:cut], body[cut:]]
            errors: list[rs.StreamError] = []
            events = rs.decode_stream(parts, max_frame_bytes=1000, on_error=errors.append)
            assert (events, [e.index for e in errors]) == ([rs.DoneEvent()], [0]), cut

    @pytest.mark.parametrize("field", [b"id: ", b"event: ", b"data: "])
    def test_a_long_line_ending_at_a_chunk_end_is_no_blank_line(self, field: bytes) -> None:
        """The rest of a frame after its oversized line is skipped, wherever the chunks end:
        the line end that follows a let-go line does not end the frame."""
        body = (
            b"event: thread.run.created\n" + field + b"y" * 1500 + b"\ndata: {}\n\n"
            b"event: done\ndata: [DONE]\n\n"
        )
        end = body.index(b"\ndata: {}")
        for cut in (end - 1, end, end + 1):
            events, errors = _all(body, max_frame_bytes=1000, chunks=[600, cut - 600])
            assert events == [rs.DoneEvent()]
            assert [(i, codes) for i, _, codes in errors] == [(0, [("$[0]", "frame_too_large")])]

    def test_comments_never_count_toward_the_limit(self) -> None:
        """A comment is dropped as it comes, however long and however cut: never held."""
        body = b": " + b"c" * 5000 + b"\nevent: done\ndata: [DONE]\n\n"
        assert _all(body, max_frame_bytes=1000) == ([rs.DoneEvent()], [])
        assert _all(body, max_frame_bytes=1000, chunks=[100]) == ([rs.DoneEvent()], [])
        dec = rs.StreamDecoder(max_frame_bytes=1000)
        dec.feed(b": ")
        for _ in range(100):
            dec.feed(b"c" * 1000)
            assert dec._partial <= 1

    def test_many_data_lines_count_toward_the_limit(self) -> None:
        body = b"event: x\n" + b"data: 123456789\n" * 100 + b"\nevent: done\ndata: [DONE]\n\n"
        events, errors = _all(body, chunks=[50])
        assert events == [rs.UnknownEvent("x", "\n".join(["123456789"] * 100)), rs.DoneEvent()]
        assert errors == []
        collected: list[rs.StreamError] = []
        events = rs.decode_stream(body, max_frame_bytes=500, on_error=collected.append)
        assert events == [rs.DoneEvent()]
        assert [(e.index, e.errors[0].code) for e in collected] == [(0, "frame_too_large")]

    def test_long_stream_holds_no_more_than_a_frame(self) -> None:
        frame = rs.encode_event(text_stream()[8])
        dec = rs.StreamDecoder()
        for _ in range(5000):
            assert len(dec.feed(frame[:10])) == 0
            assert len(dec.feed(frame[10:])) == 1
            assert dec._partial == 0
            assert not dec._pending
        assert dec.index == 5000


class TestEncode:
    def test_frame_shape(self) -> None:
        run = base_run()
        frame = rs.encode_event(rs.RunEvent("thread.run.created", run))
        assert frame == b"event: thread.run.created\ndata: " + rs.dumps(run) + b"\n\n"
        assert frame.count(b"\n") == 3
        assert rs.encode_event(rs.DoneEvent()) == b"event: done\ndata: [DONE]\n\n"

    def test_every_event_class_round_trips(self) -> None:
        events = (
            text_stream()
            + tool_stream()[3:-1]
            + [
                rs.ErrorEvent(rs.ErrorObject(message="boom", type="server_error")),
                rs.UnknownEvent("thread.run.paused", "a\nb\n\nc\n"),
            ]
        )
        assert rs.decode_stream(rs.encode_events(events)) == events

    @pytest.mark.parametrize(
        ("build", "problems"),
        [
            (
                lambda: _RS.RunStepEvent("thread.run.completed", step("completed", _DETAILS)),
                [("$.event", "enum")],
            ),
            (
                lambda: _RS.ThreadEvent(base_run(), event="x"),
                [("$.event", "const"), ("$.data", "type")],
            ),
            (lambda: _RS.RunEvent("thread.run.created", None), [("$.data", "type")]),
            (
                lambda: _RS.MessageEvent("thread.message.created", base_run()),
                [("$.data", "type")],
            ),
            (lambda: _RS.RunEvent(["x"], 5), [("$.event", "type"), ("$.data", "type")]),
            (lambda: _RS.DoneEvent(data="x"), [("$.data", "const")]),
            (lambda: _RS.UnknownEvent("x", "\ud800"), [("$.data", "invalid_string")]),
            (lambda: _RS.UnknownEvent("x\udfff", "{}"), [("$.event", "invalid_string")]),
            (lambda: _RS.UnknownEvent("", "{}"), [("$.event", "invalid_string")]),
            (lambda: _RS.UnknownEvent("a\nb", "{}"), [("$.event", "invalid_string")]),
            (lambda: _RS.UnknownEvent("a\rb", "{}"), [("$.event", "invalid_string")]),
            (lambda: _RS.UnknownEvent(5, 6), [("$.event", "type"), ("$.data", "type")]),
            # its frame would be read as the known event (found against the client)
            (
                lambda: _RS.UnknownEvent("thread.message.delta", "{}"),
                [("$.event", "invalid_unknown")],
            ),
            (lambda: _RS.UnknownEvent("done", "[DONE]"), [("$.event", "invalid_unknown")]),
            # an error event is an ErrorEvent, save the clients' {"error": ...} frame
            (
                lambda: _RS.UnknownEvent("error", '{"message":"m","type":"t","param":null}'),
                [("$.event", "invalid_unknown")],
            ),
            (
                lambda: _RS.UnknownEvent(
                    "error", '{"message":"m","type":"t","param":null,"code":null,"error":1}'
                ),
                [("$.event", "invalid_unknown")],
            ),
            (lambda: _RS.UnknownEvent("error", '["error"]'), [("$.event", "invalid_unknown")]),
            (lambda: _RS.UnknownEvent("error", "error"), [("$.event", "invalid_unknown")]),
            # it would be read back as "\n"
            (lambda: _RS.UnknownEvent("x", "a\r\nb"), [("$.data", "invalid_string")]),
            (
                lambda: _EVOLVE(rs.RunEvent("thread.run.created", base_run()), event="x"),
                [("$.event", "enum")],
            ),
        ],
    )
    def test_an_event_that_cannot_be_written_is_not_built(
        self, build: Any, problems: list[tuple[str, str]]
    ) -> None:
        # found in use: such events were built, then encode_event raised AttributeError,
        # UnicodeEncodeError or a TypeError, wrote a DoneEvent of other data as [DONE], and
        # the checker crashed on them
        with pytest.raises(rs.ValidationError) as info:
            build()
        assert [(e.path, e.code) for e in info.value.errors] == problems

    @pytest.mark.parametrize(
        "data",
        [
            '{"error":{"message":"m","type":"t","param":null,"code":"c"}}',
            '{"error":"boom"}',
            '{"error":null,"message":"m"}',  # an error object lacks its type: no error object
        ],
    )
    def test_the_clients_error_frame_is_kept(self, data: str) -> None:
        """``event: error`` with an object with an ``error`` key that is no error object, the
        frame the official clients raise on: lenient mode keeps it as an UnknownEvent (it was
        a StreamError), written back as it came; strict mode reports its problems."""
        frame = f"event: error\ndata: {data}\n\n".encode()
        (event,) = rs.decode_stream(frame)
        assert event == rs.UnknownEvent("error", data)
        assert rs.encode_event(event) == frame
        with pytest.raises(rs.StreamError) as info:
            rs.decode_stream(frame, strict=True)
        assert {e.code for e in info.value.errors} <= {"missing", "type", "unknown_field"}
        problems = rs.check_stream([event, rs.DoneEvent()])
        assert problems[0].code == "unreadable_event"  # the checker says it is no spec event
        assert problems[0].path.startswith("$[0].")

    @pytest.mark.parametrize("value", [base_run(), "done", None])
    def test_a_value_that_is_no_event_is_a_type_error(self, value: Any) -> None:
        with pytest.raises(TypeError, match="is not a stream event"):
            rs.encode_event(value)

    def test_comment_must_be_one_line(self) -> None:
        assert rs.encode_comment("ping") == b": ping\n\n"
        with pytest.raises(ValueError, match="one line"):
            rs.encode_comment("a\nb")

    def test_gzip_archive_of_a_stream(self) -> None:
        body = gzip.compress(rs.encode_events(text_stream()))
        assert rs.decode_stream(gzip.decompress(body)) == text_stream()


# --- the checker --------------------------------------------------------------------------


def _codes(events: list[rs.StreamEvent]) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in rs.check_stream(events)]


def _call_delta(call: rs.DeltaFunctionCall, id: str = "step_1") -> rs.RunStepDeltaEvent:
    details = rs.DeltaToolCallsDetails(tool_calls=(call,))
    return rs.RunStepDeltaEvent(
        rs.RunStepDelta(id=id, delta=rs.RunStepDeltaFields(step_details=details))
    )


def _step_delta(details: rs.DeltaStepDetails, id: str = "step_1") -> rs.RunStepDeltaEvent:
    return rs.RunStepDeltaEvent(
        rs.RunStepDelta(id=id, delta=rs.RunStepDeltaFields(step_details=details))
    )


def _incomplete(id: str) -> rs.Message:
    return attrs.evolve(
        message("in_progress", None, id=id),
        status="incomplete",
        incomplete_details=rs.MessageIncompleteDetails(reason="max_tokens"),
        incomplete_at=at(2),
    )


class TestChecker:
    def test_valid_streams(self) -> None:
        assert _codes(text_stream()) == []
        assert _codes(tool_stream()) == []

    @pytest.mark.parametrize("value", [5, None, "thread.run.created", base_run()])
    def test_a_value_that_is_no_event_is_a_type_error(self, value: Any) -> None:
        # found in use: such values were passed over as if absent
        with pytest.raises(TypeError, match="is not a stream event"):
            rs.check_stream([*text_stream()[:2], value])

    @pytest.mark.parametrize("index", [-1, True, 1.0, "0"])
    def test_an_index_that_is_no_place_is_a_value_error(self, index: Any) -> None:
        with pytest.raises(ValueError, match="index must be an int of at least 0"):
            rs.StreamChecker().check(text_stream()[0], index=index)

    def test_an_index_names_the_place_in_the_paths(self) -> None:
        after_done = rs.StreamChecker()
        after_done.check(rs.DoneEvent(), index=0)
        [problem] = after_done.check(text_stream()[0], index=7)
        assert (problem.path, problem.code) == ("$[7]", "after_done")

    @staticmethod
    def _finished_tool_step() -> list[rs.StreamEvent]:
        """tool_stream's call, its arguments in three pieces, then the step completed with
        its output and the run completed."""
        events = tool_stream()[:8]
        function = rs.StepFunction(name="get_weather", arguments='{"city":"Paris"}', output="22C")
        details = rs.ToolCallsDetails(
            tool_calls=(rs.StepFunctionCall(id="call_1", function=function),)
        )
        done = attrs.evolve(base_run(), status="completed", started_at=at(1), completed_at=at(2))
        return [
            *events,
            rs.RunStepEvent("thread.run.step.completed", step("completed", details)),
            rs.RunEvent("thread.run.completed", done),
            rs.DoneEvent(),
        ]

    def test_a_finished_step_has_what_its_deltas_made(self) -> None:
        """Found by a stream round: a dropped, repeated or swapped piece of a call's arguments
        passed, and the official client's get_final_run_steps() (which keeps what the deltas
        made) gave wrong arguments. What the finished step holds beyond them (the output) is
        no problem."""
        events = self._finished_tool_step()
        assert _codes(events) == []
        where = "$[8].data.step_details.tool_calls[0].function.arguments"
        dropped = events[:6] + events[7:]
        assert _codes(dropped) == [(where.replace("[8]", "[7]"), "content_mismatch")]
        repeated = events[:7] + events[6:]
        assert _codes(repeated) == [(where.replace("[8]", "[9]"), "content_mismatch")]
        swapped = [*events[:6], events[7], events[6], *events[8:]]
        assert _codes(swapped) == [(where, "content_mismatch")]

    def test_a_finished_step_has_the_calls_its_deltas_made(self) -> None:
        """Found by a stream round: a call the deltas made that the finished step lacks (or
        the reverse) passed, and the client's final steps held what the deltas made."""
        events = self._finished_tool_step()
        step_done = events[8]
        assert isinstance(step_done, rs.RunStepEvent)
        details = step_done.data.step_details
        assert isinstance(details, rs.ToolCallsDetails)
        more = attrs.evolve(details, tool_calls=details.tool_calls * 2)
        fewer = attrs.evolve(details, tool_calls=())
        where = ("$[8].data.step_details.tool_calls", "content_mismatch")
        for finished in (more, fewer):
            changed = rs.RunStepEvent(
                "thread.run.step.completed", attrs.evolve(step_done.data, step_details=finished)
            )
            assert _codes([*events[:8], changed, *events[9:]]) == [where]

    def test_a_list_inside_with_entries_the_finished_one_lacks(self) -> None:
        """The deltas made two outputs of a code interpreter call, the finished step has one
        (more in the finished step is no problem: outputs may come only at the end)."""

        def call(*outputs: rs.DeltaCodeInterpreterOutput) -> rs.RunStepDeltaEvent:
            ci = rs.DeltaCodeInterpreterCall(
                index=0,
                id="call_1",
                code_interpreter=rs.DeltaCodeInterpreter(input="x", outputs=outputs),
            )
            return _step_delta(rs.DeltaToolCallsDetails(tool_calls=(ci,)))

        def finished(*logs: str) -> rs.RunStepEvent:
            outputs = tuple(rs.CodeInterpreterLogsOutput(logs=text) for text in logs)
            ci = rs.StepCodeInterpreterCall(
                id="call_1", code_interpreter=rs.StepCodeInterpreter(input="x", outputs=outputs)
            )
            details = rs.ToolCallsDetails(tool_calls=(ci,))
            return rs.RunStepEvent("thread.run.step.completed", step("completed", details))

        start = rs.ToolCallsDetails(tool_calls=())
        head = [
            *tool_stream()[:3],
            rs.RunStepEvent("thread.run.step.created", step("in_progress", start)),
            call(rs.DeltaLogsOutput(index=0, logs="1"), rs.DeltaLogsOutput(index=1, logs="2")),
        ]
        where = "$[5].data.step_details.tool_calls[0].code_interpreter.outputs"
        assert _codes([*head, finished("1")])[:1] == [(where, "content_mismatch")]
        assert _codes([*head, finished("1", "2", "3")]) == [
            ("$", "no_terminal"),
            ("$", "missing_done"),
        ]

    def test_a_null_the_deltas_sent_may_be_filled_when_finished(self) -> None:
        """Found by a server author: a call's ``output: null`` in a delta, then ``"sunny"``
        in the finished step, was content_mismatch, where an absent output was not: both are
        nothing made yet, which the finished step may fill. A value it changes still is."""
        events = tool_stream()[:8]
        first = events[5]
        assert isinstance(first, rs.RunStepDeltaEvent)
        details = first.data.delta.step_details
        assert isinstance(details, rs.DeltaToolCallsDetails)
        assert not isinstance(details.tool_calls, rs.Unset)
        call = details.tool_calls[0]
        assert isinstance(call, rs.DeltaFunctionCall)
        assert not isinstance(call.function, rs.Unset)
        null_output = attrs.evolve(call, function=attrs.evolve(call.function, output=None))
        events[5] = _step_delta(rs.DeltaToolCallsDetails(tool_calls=(null_output,)))

        def finished(output: str, arguments: str = '{"city":"Paris"}') -> rs.RunStepEvent:
            function = rs.StepFunction(name="get_weather", arguments=arguments, output=output)
            details = rs.ToolCallsDetails(
                tool_calls=(rs.StepFunctionCall(id="call_1", function=function),)
            )
            return rs.RunStepEvent("thread.run.step.completed", step("completed", details))

        run = events[2]
        assert isinstance(run, rs.RunEvent)
        tail: list[rs.StreamEvent] = [
            rs.RunEvent(
                "thread.run.completed",
                attrs.evolve(run.data, status="completed", completed_at=at(3)),
            ),
            rs.DoneEvent(),
        ]
        assert _codes([*events, finished("sunny"), *tail]) == []
        where = "$[8].data.step_details.tool_calls[0].function.arguments"
        assert _codes([*events, finished("sunny", "{}"), *tail]) == [(where, "content_mismatch")]

    def test_a_finished_step_stays_finished(self) -> None:
        """A step event after the step is over does not open it again: a delta after it is
        for a step that is over (it reopened it, and the delta was merged into nothing)."""
        events = self._finished_tool_step()
        again = rs.RunStepEvent("thread.run.step.in_progress", events[4].data)  # type: ignore[arg-type]
        late = events[7]
        assert _codes([*events[:9], again, late, *events[9:]]) == [
            ("$[9].data.id", "not_open"),
            ("$[10].data.id", "not_open"),
        ]

    def test_a_finished_message_has_the_text_its_deltas_made(self) -> None:
        events = text_stream()
        events[9] = text_delta(0, " here")
        assert _codes(events) == [("$[11].data.content[0].text.value", "content_mismatch")]

    def test_a_stream_that_created_its_run_created_its_steps_and_messages(self) -> None:
        """Found by a stream round: events for a step or message never created passed when
        the stream itself had created the run (no continuation begins so), as did one created
        again; the client then lost a step or kept a message in progress."""
        events = text_stream()
        assert [e.event for e in events[4:7]] == [
            "thread.run.step.created",
            "thread.run.step.in_progress",
            "thread.message.created",
        ]
        no_step = events[:4] + events[5:]  # its step.created dropped
        assert _codes(no_step) == [
            ("$[4].data.id", "not_created"),
            ("$[11].data.id", "not_created"),
        ]
        again = [*events[:6], events[4], *events[6:]]
        assert _codes(again) == [("$[6].data.id", "created_again")]
        message_again = [*events[:7], events[6], *events[7:]]
        assert ("$[7].data.id", "created_again") in _codes(message_again)

    def test_a_completed_run_leaves_nothing_open(self) -> None:
        events = text_stream()
        assert events[12].event == "thread.run.step.completed"
        open_step = events[:12] + events[13:]
        assert _codes(open_step) == [("$[12]", "left_open")]
        assert "step 'step_1' still open" in rs.check_stream(open_step)[0].message
        # requires_action leaves its tool calls step open, as it should
        assert _codes(tool_stream()) == []
        # an incomplete run: its message is over (incomplete); of its steps the spec says
        # nothing (found by a stream round: a valid-looking stream was flagged)
        run = events[13]
        assert isinstance(run, rs.RunEvent)
        incomplete = rs.RunEvent(
            "thread.run.incomplete",
            attrs.evolve(
                run.data,
                status="incomplete",
                completed_at=None,
                incomplete_details=rs.IncompleteDetails(reason="max_completion_tokens"),
            ),
        )
        assert _codes([*events[:12], incomplete, *events[14:]]) == []

    def test_the_event_a_status_names(self) -> None:
        """Found by a server author: the event of a run's status could not be built typed
        (an f-string name is a str; the bundled server carried a type: ignore)."""
        for event in text_stream():
            if isinstance(event, (rs.RunEvent, rs.RunStepEvent, rs.MessageEvent)):
                made = type(event).of(event.data)  # type: ignore[arg-type]
                if event.event.endswith(".created"):
                    assert made.event == event.event.replace("created", str(made.data.status))
                else:
                    assert made == event
        run = text_stream()[1].data
        assert isinstance(run, rs.Run)
        newer = rs.structure({**rs.unstructure(run), "status": "paused"}, rs.Run)
        with pytest.raises(ValueError, match=r"no thread\.run\.\* event names the status"):
            rs.RunEvent.of(newer)

    @pytest.mark.parametrize("end", ["cancelled", "failed", "expired"])
    def test_a_run_that_ends_otherwise_leaves_nothing_open(self, end: str) -> None:
        """Found by a server author: a cancelled run whose step stayed in_progress passed
        every check. A step ends with its run (its statuses are the run's: cancelled,
        failed, expired), a message too (incomplete, its reason run_cancelled, ...)."""
        events = text_stream()
        running = events[3]
        assert isinstance(running, rs.RunEvent)
        run = running.data
        ending: list[rs.StreamEvent] = []
        if end == "cancelled":
            run = attrs.evolve(run, status="cancelling")
            ending.append(rs.RunEvent("thread.run.cancelling", run))
            run = attrs.evolve(run, status="cancelled", cancelled_at=at(2))
        elif end == "failed":
            error = rs.LastError(code="server_error", message="x")
            run = attrs.evolve(run, status="failed", failed_at=at(2), last_error=error)
        else:
            run = attrs.evolve(run, status="expired", expires_at=at(2))
        ending += [rs.RunEvent(f"thread.run.{end}", run), rs.DoneEvent()]  # type: ignore[arg-type]
        last = 10 + len(ending) - 2  # the index of the run's last event
        # the message and the step still open when the run ends
        assert _codes([*events[:10], *ending]) == [(f"$[{last}]", "left_open")] * 2
        cut = attrs.evolve(
            message("incomplete", "Hello there"),
            incomplete_at=at(2),
            incomplete_details=rs.MessageIncompleteDetails(reason=f"run_{end}"),  # type: ignore[arg-type]
        )
        details = step(
            "in_progress",
            rs.MessageCreationDetails(message_creation=rs.MessageCreation(message_id="msg_1")),
        ).step_details
        over = attrs.evolve(step(end, details), **{f"{end}_at": at(2)})  # type: ignore[arg-type]
        if end == "failed":
            over = attrs.evolve(
                over, last_error=rs.RunStepLastError(code="server_error", message="x")
            )
        closed: list[rs.StreamEvent] = [
            rs.MessageEvent("thread.message.incomplete", cut),
            rs.RunStepEvent(f"thread.run.step.{end}", over),  # type: ignore[arg-type]
        ]
        assert _codes([*events[:10], *closed, *ending]) == []

    def test_a_nested_entry_that_changes_type(self) -> None:
        """Found by a stream round: a code interpreter output delta of another type at the
        index of one the client has was passed, and the client merged the two into one."""
        start = rs.ToolCallsDetails(tool_calls=())

        def outputs(output: rs.DeltaCodeInterpreterOutput) -> rs.RunStepDeltaEvent:
            call = rs.DeltaCodeInterpreterCall(
                index=0, code_interpreter=rs.DeltaCodeInterpreter(outputs=(output,))
            )
            return _step_delta(rs.DeltaToolCallsDetails(tool_calls=(call,)))

        first = rs.DeltaCodeInterpreterCall(
            index=0, id="call_1", code_interpreter=rs.DeltaCodeInterpreter(input="x", outputs=())
        )
        image = rs.DeltaImageOutput(index=0, image=rs.DeltaImage(file_id="file_1"))
        events: list[rs.StreamEvent] = [
            *tool_stream()[:3],
            rs.RunStepEvent("thread.run.step.created", step("in_progress", start)),
            _step_delta(rs.DeltaToolCallsDetails(tool_calls=(first,))),
            outputs(rs.DeltaLogsOutput(index=0, logs="1")),
            outputs(image),
        ]
        where = "$[6].data.delta.step_details.tool_calls[0].code_interpreter.outputs[0].type"
        assert _codes(events)[:1] == [(where, "type_mismatch")]
        events[6] = outputs(attrs.evolve(image, index=1))
        assert _codes(events) == [("$", "no_terminal"), ("$", "missing_done")]

    def test_a_long_message_is_held_in_pieces(self) -> None:
        """Found by an archive reader: the checker added each text delta to the text so far,
        copying it every time, so a message of 80,000 deltas took minutes. The pieces are
        kept and joined once, when the finished message is compared; then let go."""
        from runschema._deltas import Text as _Text

        events = text_stream()
        pieces = [text_delta(0, f"{i} ") for i in range(3_000)]
        text = "Hello" + "".join(f"{i} " for i in range(3_000))
        done = events[11]
        assert isinstance(done, rs.MessageEvent)
        finished = attrs.evolve(done, data=message("completed", text))
        long = [*events[:9], *pieces, finished, *events[12:]]
        checker = rs.StreamChecker()
        for event in long[: 9 + len(pieces)]:
            assert checker.check(event) == []
        held = checker._messages["msg_1"].parts[0]["text"]["value"]
        assert isinstance(held, _Text)
        assert held == text
        for event in long[9 + len(pieces) :]:
            assert checker.check(event) == []
        assert checker.finish() == []
        assert checker._messages["msg_1"].parts == []

    def test_submit_tool_outputs_stream_may_begin_mid_run(self) -> None:
        run = attrs.evolve(base_run(), status="queued")
        done = attrs.evolve(run, status="completed", completed_at=at(3))
        events: list[rs.StreamEvent] = [
            rs.RunStepEvent(
                "thread.run.step.completed", step("completed", rs.ToolCallsDetails(tool_calls=()))
            ),
            rs.RunEvent("thread.run.queued", run),
            rs.RunEvent("thread.run.in_progress", attrs.evolve(run, status="in_progress")),
            rs.RunEvent("thread.run.completed", done),
            rs.DoneEvent(),
        ]
        assert _codes(events) == []

    def test_delta_before_created(self) -> None:
        events = text_stream()
        del events[6:8]  # message created / in_progress
        assert _codes(events)[:3] == [
            ("$[6].data.id", "delta_before_created"),
            ("$[7].data.id", "delta_before_created"),
            ("$[8].data.id", "delta_before_created"),
        ]
        steps = tool_stream()
        del steps[3:5]
        assert _codes(steps)[0] == ("$[3].data.id", "delta_before_created")

    def test_fresh_id_for_every_delta(self) -> None:
        events = text_stream()
        events[9] = text_delta(0, " there", id="msg_2")
        assert _codes(events) == [
            ("$[9].data.id", "delta_before_created"),
            # what the deltas made is not the finished message's text
            ("$[11].data.content[0].text.value", "content_mismatch"),
        ]

    def test_delta_for_another_message(self) -> None:
        events = text_stream()
        second = message("in_progress", None, id="msg_2")
        events.insert(8, rs.MessageEvent("thread.message.created", second))
        assert _codes(events)[0] == ("$[9].data.id", "not_current")

    def test_delta_after_its_message_is_over(self) -> None:
        events = text_stream()
        events.insert(12, text_delta(0, "?"))
        assert _codes(events) == [("$[12].data.id", "not_open")]

    def test_content_index_skips_ahead(self) -> None:
        events = text_stream()
        events[8] = text_delta(1, "Hello")
        assert _codes(events)[0] == ("$[8].data.delta.content[0].index", "content_index")

    def test_content_type_changes(self) -> None:
        events = text_stream()
        refusal = rs.DeltaRefusalPart(index=0, refusal="no")
        events[9] = rs.MessageDeltaEvent(
            rs.MessageDelta(id="msg_1", delta=rs.MessageDeltaFields(content=(refusal,)))
        )
        assert _codes(events) == [
            ("$[9].data.delta.content[0].type", "type_mismatch"),
            ("$[11].data.content[0].text.value", "content_mismatch"),
        ]

    def test_tool_call_index_skips_ahead(self) -> None:
        events = tool_stream()
        delta = events[5]
        assert isinstance(delta, rs.RunStepDeltaEvent)
        details = delta.data.delta.step_details
        assert isinstance(details, rs.DeltaToolCallsDetails)
        assert details.tool_calls is not rs.UNSET
        call = details.tool_calls[0]
        assert isinstance(call, rs.DeltaFunctionCall)
        moved = attrs.evolve(call, index=2)
        events[5] = attrs.evolve(
            delta,
            data=attrs.evolve(
                delta.data,
                delta=rs.RunStepDeltaFields(
                    step_details=rs.DeltaToolCallsDetails(tool_calls=(moved,))
                ),
            ),
        )
        assert _codes(events)[0] == (
            "$[5].data.delta.step_details.tool_calls[0].index",
            "content_index",
        )

    def test_completed_message_lacks_parts(self) -> None:
        events = text_stream()
        events[11] = rs.MessageEvent("thread.message.completed", message("completed", None))
        assert _codes(events) == [("$[11].data.content", "content_mismatch")]

    def test_the_current_message_moves_on_completion(self) -> None:
        """The Python helper applies a delta to the message last created, completed or made
        incomplete: a delta for another one lands in that message's text."""
        events = text_stream()
        second = message("in_progress", None, id="msg_2")
        events[8:11] = [
            rs.MessageEvent("thread.message.created", second),
            rs.MessageEvent("thread.message.completed", message("completed", None)),
            text_delta(0, "hi", id="msg_2", first=True),
        ]
        events[11] = rs.MessageEvent(
            "thread.message.completed", message("completed", "hi", id="msg_2")
        )
        assert _codes(events) == [("$[10].data.id", "not_current")]

    def test_the_last_streamed_index_must_exist_in_any_finished_message(self) -> None:
        """The helper reads, when a message ends, the part at the last index a delta streamed
        in any message: a later message with fewer parts makes it raise IndexError."""
        events = text_stream()
        events[12:12] = [
            rs.MessageEvent("thread.message.created", message("in_progress", None, id="msg_2")),
            rs.MessageEvent("thread.message.incomplete", _incomplete(id="msg_2")),
        ]
        assert _codes(events) == [("$[13].data.content", "content_mismatch")]

    def test_a_value_sent_again_is_added_to(self) -> None:
        """Clients append every string of a delta to the one they have (and sum numbers):
        only text comes in pieces; an id or a name sent again reads as ``call_1call_1``."""
        events = tool_stream()
        again = _call_delta(
            rs.DeltaFunctionCall(
                index=0, id="call_1", function=rs.DeltaFunction(name="get_weather", arguments="")
            )
        )
        events.insert(6, again)
        assert _codes(events) == [
            ("$[6].data.delta.step_details.tool_calls[0].id", "repeated_value"),
            ("$[6].data.delta.step_details.tool_calls[0].function.name", "repeated_value"),
            # and the call the client has is no longer the one the run requires
            ("$[9].data.required_action.submit_tool_outputs.tool_calls[0]", "content_mismatch"),
        ]
        # text, arguments and the like come in pieces
        assert _codes(tool_stream()) == []
        assert _codes(text_stream()) == []

    def test_the_calls_required_are_the_calls_the_deltas_made(self) -> None:
        """Found by a server author: the step's deltas built one call and the run required
        another, and check_stream said nothing; the Python helper hands the deltas' call to
        on_tool_call_done while a handler answers required_action. Arguments sent whole in
        the created step and again in deltas read doubled, which this says too."""
        events = tool_stream()
        other = _call_delta(
            rs.DeltaFunctionCall(
                index=0,
                id="call_OTHER",
                function=rs.DeltaFunction(name="delete_all", arguments="", output=None),
            )
        )
        events[5] = other
        required = "$[8].data.required_action.submit_tool_outputs.tool_calls"
        found = rs.check_stream(events)
        assert [(p.path, p.code) for p in found] == [(f"{required}[0]", "content_mismatch")]
        assert found[0].message == (
            "the run requires the call 'call_1' 'get_weather'('{\"city\":\"Paris\"}'), its "
            "step's deltas made 'call_OTHER' 'delete_all'('{\"city\":\"Paris\"}'): the Python "
            "helper's on_tool_call_done gets that one"
        )
        doubled = tool_stream()
        whole = rs.StepFunctionCall(
            id="call_1",
            function=rs.StepFunction(name="get_weather", arguments='{"city":"Paris"}', output=None),
        )
        created = step("in_progress", rs.ToolCallsDetails(tool_calls=(whole,)))
        doubled[3] = rs.RunStepEvent("thread.run.step.created", created)
        doubled[4] = rs.RunStepEvent("thread.run.step.in_progress", created)
        doubled[5] = _call_delta(
            rs.DeltaFunctionCall(index=0, function=rs.DeltaFunction(arguments=""))
        )
        assert [(p.path, p.code) for p in rs.check_stream(doubled)] == [
            (f"{required}[0]", "content_mismatch")
        ]
        fewer = tool_stream()
        fewer[5:8] = []
        assert [(p.path, p.code) for p in rs.check_stream(fewer)] == [
            ("$[5].data.required_action.submit_tool_outputs.tool_calls", "content_mismatch"),
            ("$[5]", "left_open"),  # its step waits on no call: nothing says it is done
        ]
        # a stream that continues its run (no step of its own open) is not compared
        assert (
            rs.check_stream(
                [e for i, e in enumerate(tool_stream()) if i not in (3, 4, 5, 6, 7)][2:]
            )
            == []
        )

    def test_what_the_helper_never_says_is_done_or_created(self) -> None:
        """Found by a stream differential against the Python helper, each passed:
        a message (and its step) still open when the run waits never got on_text_done nor
        on_message_done; a message created with content, or finished with parts no delta
        made, got no on_text_created for them."""
        text = text_stream()
        tools = tool_stream()
        waiting = tools[8]
        assert isinstance(waiting, rs.RunEvent)
        # the run waits with the message streaming and its step open
        open_message = [*text[:11], waiting, rs.DoneEvent()]
        found = rs.check_stream(open_message)
        assert [(p.path, p.code) for p in found] == [("$[11]", "left_open")] * 2
        assert [p.message.split(":")[0] for p in found] == [
            "the run waits (requires_action) with step 'step_1' still open, which waits on "
            "no function call",
            "the run waits (requires_action) with message 'msg_1' still open",
        ]
        # the step that makes the message over before it: the helper says both done (found
        # by a user's check of this rule, which had named it)
        early = [*text[:11], text[12], text[11], *text[13:]]
        assert _codes(early) == []
        # a message created with its text, no delta: no part created for the helper
        holding = message("in_progress", "Hello there!")
        whole = [
            *text[:6],
            rs.MessageEvent("thread.message.created", holding),
            rs.MessageEvent("thread.message.in_progress", holding),
            *text[11:],
        ]
        assert _codes(whole) == [("$[6].data.content", "content_mismatch")]
        # finished with a part no delta made
        done = text[11]
        assert isinstance(done, rs.MessageEvent)
        more = rs.TextContentPart(text=rs.MessageText(value="More", annotations=()))
        extra = attrs.evolve(done.data, content=(*done.data.content, more))
        added = [*text[:11], rs.MessageEvent("thread.message.completed", extra), *text[12:]]
        assert _codes(added) == [("$[11].data.content", "content_mismatch")]
        # a function call's first delta without its output: the helper holds None, as null
        first = tools[5]
        assert isinstance(first, rs.RunStepDeltaEvent)
        no_output = _call_delta(
            rs.DeltaFunctionCall(
                index=0, id="call_1", function=rs.DeltaFunction(name="get_weather", arguments="")
            )
        )
        assert _codes([*tools[:5], no_output, *tools[6:]]) == []

    def test_a_new_annotation_comes_whole(self) -> None:
        """An annotation is an entry of an indexed list inside a text part: the Python helper
        keeps it as the delta that introduces it makes it, so that delta carries what the
        finished annotation requires (its ``text`` here); a later delta of the part adds
        nothing to name."""

        def with_annotation(**keys: Any) -> rs.StreamEvent:
            entry = {"index": 0, "type": "file_path", "start_index": 0, "end_index": 5, **keys}
            text = {"value": " there", "annotations": [entry]}
            part = {"index": 0, "type": "text", "text": text}
            data = {"id": "msg_1", "object": "thread.message.delta"}
            event = {
                "event": "thread.message.delta",
                "data": {**data, "delta": {"content": [part]}},
            }
            read: rs.StreamEvent = rs.loads(orjson.dumps(event), rs.StreamEvent)
            return read

        events = text_stream()
        events[9] = with_annotation(file_path={"file_id": "file_1"})
        at = "$[9].data.delta.content[0].text.annotations[0].text"
        # (the finished message, which has no annotation, says so too)
        unlike = ("$[11].data.content[0].text.annotations", "content_mismatch")
        assert _codes(events) == [(at, "missing"), unlike]
        events[9] = with_annotation(file_path={"file_id": "file_1"}, text="Hello")
        assert _codes(events) == [unlike]

    def test_a_new_call_comes_with_its_id_and_name(self) -> None:
        """The Python helper hands a call to on_tool_call_created as the delta that
        introduces it makes it: without an id (or a function's name), a handler has nothing
        to key its work by, even when a later delta adds it. Said where it happens, not only
        when the run requires the call."""
        at = "$[5].data.delta.step_details.tool_calls[0]"
        required = "$[8].data.required_action.submit_tool_outputs.tool_calls[0]"
        no_id = tool_stream()
        no_id[5] = _call_delta(
            rs.DeltaFunctionCall(
                index=0, function=rs.DeltaFunction(name="get_weather", arguments="", output=None)
            )
        )
        found = rs.check_stream(no_id)
        assert [(p.path, p.code) for p in found] == [
            (f"{at}.id", "missing"),
            (required, "content_mismatch"),
        ]
        assert found[0].message == (
            "a new function call without its id: the Python helper's on_tool_call_created "
            "hands the call on as this delta makes it"
        )
        no_name = tool_stream()
        no_name[5] = _call_delta(
            rs.DeltaFunctionCall(
                index=0, id="call_1", function=rs.DeltaFunction(arguments="", output=None)
            )
        )
        assert _codes(no_name) == [
            (f"{at}.function.name", "missing"),
            (required, "content_mismatch"),
        ]
        no_function = tool_stream()
        no_function[5] = _call_delta(rs.DeltaFunctionCall(index=0, id="call_1"))
        assert _codes(no_function) == [
            (f"{at}.function", "missing"),
            (required, "content_mismatch"),
        ]
        # the id and name in the next delta: the run gets the call, on_tool_call_created did not
        late = tool_stream()
        late[5] = _call_delta(
            rs.DeltaFunctionCall(index=0, function=rs.DeltaFunction(arguments="", output=None))
        )
        late[6] = _call_delta(
            rs.DeltaFunctionCall(
                index=0,
                id="call_1",
                function=rs.DeltaFunction(name="get_weather", arguments='{"city":'),
            )
        )
        assert _codes(late) == [(f"{at}.id", "missing"), (f"{at}.function.name", "missing")]
        # any tool call: a code interpreter call too
        code = _step_delta(
            rs.DeltaToolCallsDetails(
                tool_calls=(
                    rs.DeltaCodeInterpreterCall(
                        index=1, code_interpreter=rs.DeltaCodeInterpreter(input="1+1", outputs=())
                    ),
                )
            )
        )
        events = tool_stream()
        events.insert(8, code)
        assert _codes(events) == [("$[8].data.delta.step_details.tool_calls[0].id", "missing")]
        # a call of a type this version does not know (lenient): what it needs is unknown
        newer = _step_delta(
            rs.DeltaToolCallsDetails(
                tool_calls=(rs.UnknownDeltaToolCall(data={"type": "computer", "index": 1}),)
            )
        )
        events[8] = newer
        assert _codes(events) == []
        # as a server sends it: the first delta names the call (one the created step already
        # holds is no new call, its deltas need neither: see the calls required above)
        assert _codes(tool_stream()) == []

    def test_the_run_is_created_once(self) -> None:
        """Found by a server author: a second thread.run.created for the same run passed,
        where a message created twice was created_again."""
        events = text_stream()
        events.insert(2, events[1])
        assert _codes(events) == [("$[2].data.id", "created_again")]

    def test_a_message_creation_step_names_the_message_created(self) -> None:
        """Found by a server author: a message_creation step naming msg_2 while msg_1 was
        created and streamed passed; clients pair the step and its message by that id."""
        other = rs.MessageCreationDetails(message_creation=rs.MessageCreation(message_id="msg_2"))
        events = text_stream()
        events[4] = rs.RunStepEvent("thread.run.step.created", step("in_progress", other))
        events[5] = rs.RunStepEvent("thread.run.step.in_progress", step("in_progress", other))
        events[12] = rs.RunStepEvent("thread.run.step.completed", step("completed", other))
        found = rs.check_stream(events)
        assert [(p.path, p.code) for p in found] == [("$[6].data.id", "id_mismatch")]
        assert found[0].message == (
            "message 'msg_1' is created while its run's open message_creation steps name "
            "others ('step_1' names 'msg_2')"
        )
        # two steps, two messages, in either order of creation: each is one a step names
        two = rs.MessageCreationDetails(message_creation=rs.MessageCreation(message_id="msg_2"))
        both = text_stream()
        mine = rs.MessageCreationDetails(message_creation=rs.MessageCreation(message_id="msg_1"))
        both[5:6] = [
            rs.RunStepEvent("thread.run.step.in_progress", step("in_progress", mine)),
            rs.RunStepEvent("thread.run.step.created", step("in_progress", two, id="step_2")),
            rs.MessageEvent("thread.message.created", message("in_progress", None, id="msg_2")),
            rs.MessageEvent("thread.message.completed", message("completed", None, id="msg_2")),
            rs.RunStepEvent("thread.run.step.completed", step("completed", two, id="step_2")),
        ]
        assert _codes(both) == []

    def test_a_gateway_checks_a_newer_servers_statuses_through(self) -> None:
        """Found by a server author: stream_response(allow_unknown=True) passed a run in a
        status this version does not know, and check_stream said status_mismatch and
        bad_transition for it; with allow_unknown it matches any name and move, and the
        rest is checked as before."""
        events = text_stream()
        paused = rs.UnknownValue(value="paused")
        running = events[3]
        assert isinstance(running, rs.RunEvent)
        events[3] = rs.RunEvent("thread.run.in_progress", attrs.evolve(running.data, status=paused))
        assert _codes(events) == [
            ("$[3].data.status", "status_mismatch"),
            ("$[3].data.status", "bad_transition"),
            ("$[13].data.status", "bad_transition"),
        ]
        assert rs.check_stream(events, allow_unknown=True) == []
        checker = rs.StreamChecker(allow_unknown=True)
        assert [p for e in events for p in checker.check(e)] + checker.finish() == []
        queued = events[2]
        assert isinstance(queued, rs.RunEvent)
        events[13] = rs.RunEvent("thread.run.completed", queued.data)  # known, and wrong
        assert [(p.path, p.code) for p in rs.check_stream(events, allow_unknown=True)] == [
            ("$[13].data.status", "status_mismatch")
        ]

    def test_a_step_closed_before_its_run_waits_still_names_its_calls(self) -> None:
        """Found by a streaming-server author: a stream that created its run closed its tool
        call step, then required another call, and passed (only open steps were compared);
        the helper had handed on the streamed call as the step closed."""
        events = tool_stream()
        call = rs.StepFunctionCall(
            id="call_1",
            function=rs.StepFunction(
                name="get_weather", arguments='{"city":"Paris"}', output="18C"
            ),
        )
        done = rs.RunStepEvent(
            "thread.run.step.completed",
            step("completed", rs.ToolCallsDetails(tool_calls=(call,))),
        )
        assert _codes([*events[:8], done, *events[8:]]) == []  # the same call: no problem
        waiting = events[8]
        assert isinstance(waiting, rs.RunEvent)
        other = rs.FunctionToolCall(
            id="call_other", function=rs.FunctionToolCallFunction(name="other", arguments="{}")
        )
        action = rs.RequiredAction(submit_tool_outputs=rs.SubmitToolOutputs(tool_calls=(other,)))
        asks_other = rs.RunEvent(
            "thread.run.requires_action", attrs.evolve(waiting.data, required_action=action)
        )
        assert _codes([*events[:8], done, asks_other, rs.DoneEvent()]) == [
            ("$[9].data.required_action.submit_tool_outputs.tool_calls[0]", "content_mismatch")
        ]

    def test_parts_stream_one_after_another(self) -> None:
        """Found by a streaming-server author: deltas for calls 0, 1, 0, 1 passed, and the
        Python helper said call 0 was done with half its arguments (it says a call is done
        whenever a delta moves on to another). Going back is content_index, said once where
        it happens; the content is still followed, so nothing else is reported."""
        events = tool_stream()
        waiting = events[8]
        assert isinstance(waiting, rs.RunEvent)
        second = rs.FunctionToolCall(
            id="call_2", function=rs.FunctionToolCallFunction(name="get_time", arguments="{}")
        )
        action = waiting.data.required_action
        assert isinstance(action, rs.RequiredAction)
        both = attrs.evolve(
            action,
            submit_tool_outputs=rs.SubmitToolOutputs(
                tool_calls=(*action.submit_tool_outputs.tool_calls, second)
            ),
        )
        events[8] = rs.RunEvent(
            "thread.run.requires_action", attrs.evolve(waiting.data, required_action=both)
        )
        start_1 = _call_delta(
            rs.DeltaFunctionCall(
                index=1,
                id="call_2",
                function=rs.DeltaFunction(name="get_time", arguments="{", output=None),
            )
        )
        end_1 = _call_delta(rs.DeltaFunctionCall(index=1, function=rs.DeltaFunction(arguments="}")))
        in_order = [*events[:8], start_1, end_1, *events[8:]]
        assert _codes(in_order) == []
        interleaved = [*events[:7], start_1, events[7], end_1, *events[8:]]
        assert _codes(interleaved) == [
            ("$[8].data.delta.step_details.tool_calls[0].index", "content_index")
        ]
        text = text_stream()  # the same for a message's parts
        parts = [*text[:9], text_delta(1, "B", first=True), text_delta(0, "!"), *text[10:]]
        found = [(p.path, p.code) for p in rs.check_stream(parts)]
        assert ("$[10].data.delta.content[0].index", "content_index") in found

    def test_a_message_creation_step_delta_is_merged_too(self) -> None:
        """The helper merges a whole step delta into the step: a ``message_creation`` delta
        that names its message again reads as ``msg_1msg_1`` (found against the client)."""
        events = text_stream()
        again = rs.DeltaMessageCreationDetails(
            message_creation=rs.DeltaMessageCreation(message_id="msg_1")
        )
        events.insert(6, _step_delta(again))
        assert _codes(events) == [
            ("$[6].data.delta.step_details.message_creation.message_id", "repeated_value")
        ]

    @pytest.mark.parametrize(
        ("deltas", "problems"),
        [
            # a list of objects the step has, and an entry with no index: the helper raises
            (
                [{"results": [{"file_id": "f2"}]}],
                [("[0].file_search.results[0]", "content_index")],
            ),
            # a list of objects and an entry that is no object: the helper raises
            ([{"results": ["f2"]}], [("[0].file_search.results[0]", "content_index")]),
            # two pieces of one new entry in one delta: merged, so its id reads "r1r1"
            (
                [{"hits": [{"index": 0, "id": "r1"}, {"index": 0, "id": "r1"}]}],
                [("[0].file_search.hits[1].id", "repeated_value")],
            ),
            # the same two pieces inside a new key's value: kept as sent, two entries
            (
                [{"more": {"hits": [{"index": 0, "id": "r1"}, {"index": 0, "id": "r2"}]}}],
                [("[0].file_search.more.hits[1].index", "content_index")],
            ),
            # an entry further on than the next: put at the end
            (
                [{"hits": [{"index": 0, "id": "a"}]}, {"hits": [{"index": 2, "id": "b"}]}],
                [("[0].file_search.hits[0].index", "content_index")],
            ),
            # a number sent again is summed; a value of another type is dropped
            ([{"count": 1}, {"count": 1}], [("[0].file_search.count", "repeated_value")]),
            ([{"note": "a"}, {"note": {"b": 1}}], [("[0].file_search.note", "type_mismatch")]),
            # what is fine: pieces of text at an index, scalars appended, a first value
            (
                [{"hits": [{"index": 0, "value": "a"}]}, {"hits": [{"index": 0, "value": "b"}]}],
                [],
            ),
            ([{"tags": ["a"]}, {"tags": ["b"]}], []),
        ],
    )
    def test_nested_deltas_merge_as_the_client_merges(
        self, deltas: list[dict[str, Any]], problems: list[tuple[str, str]]
    ) -> None:
        """Deltas merge at every depth as the official helper's ``accumulate_delta`` merges
        them (found against the client: a ``results`` list made it raise, two pieces of one
        image output read as ``file_1file_1``)."""
        created = rs.ToolCallsDetails(
            tool_calls=(
                rs.StepFileSearchCall(
                    id="call_1",
                    file_search=rs.StepFileSearch(
                        results=(rs.FileSearchResult(file_id="f1", file_name="a", score=0.5),)
                    ),
                ),
            )
        )
        events: list[rs.StreamEvent] = [
            *tool_stream()[:3],
            rs.RunStepEvent("thread.run.step.created", step("in_progress", created)),
        ]
        for delta in deltas:
            call = rs.DeltaFileSearchCall(index=0, file_search=delta)
            events.append(_step_delta(rs.DeltaToolCallsDetails(tool_calls=(call,))))
        found = [
            (p.path, p.code)
            for p in rs.check_stream(events)
            if p.code not in ("no_terminal", "missing_done")
        ]
        last = f"$[{3 + len(deltas)}].data.delta.step_details.tool_calls"  # the last delta's
        assert found == [(last + path, code) for path, code in problems]

    def test_a_step_delta_keeps_the_steps_type(self) -> None:
        events = text_stream()
        call = rs.DeltaFunctionCall(index=0, id="c", function=rs.DeltaFunction(name="f"))
        events.insert(6, _call_delta(call))
        assert _codes(events) == [("$[6].data.delta.step_details.type", "type_mismatch")]

    @pytest.mark.parametrize(
        ("event", "where"),
        [
            (rs.UnknownEvent("thread.run.step.made", "hello"), "not JSON"),
            (rs.UnknownEvent("thread.x", "[DONE]"), "[DONE]"),
            (rs.UnknownEvent("x", '{"error": {"message": "m"}}'), "APIError"),
            (rs.UnknownEvent("x_ping", "{}"), "does not start with `thread.`"),
            (rs.UnknownEvent("ping", "1"), "does not start with `thread.`"),
        ],
    )
    def test_unknown_events_clients_cannot_read(self, event: rs.StreamEvent, where: str) -> None:
        # found against the official client: the data of an unknown event whose name does not
        # start with ``thread.`` is read by its stream helpers as an event of their own
        # (``{}`` as thread.created, an {"event", "data"} object as that event) or raises
        events = text_stream()
        events.insert(4, event)
        problems = rs.check_stream(events)
        at = "$[4].event" if "thread." in where else "$[4].data"
        assert [(p.path, p.code) for p in problems] == [(at, "unreadable_event")]
        assert where in problems[0].message
        # what clients read is fine
        for fine in (
            rs.UnknownEvent("thread.x", '{"error": 1}'),
            rs.UnknownEvent("thread.x", "{}"),
        ):
            assert _codes([*events[:4], fine, *events[5:]]) == []

    def test_an_error_event_with_an_error_key(self) -> None:
        """The official client raises APIError for an error event whose data has an
        ``error`` key, where it yields the spec's error event."""
        data = rs.loads(
            b'{"code": null, "message": "m", "param": null, "type": "server_error",'
            b' "error": {"message": "x"}}',
            rs.ErrorObject,
        )
        events = [*text_stream()[:4], rs.ErrorEvent(data), rs.DoneEvent()]
        assert _codes(events) == [("$[4].data.error", "unreadable_event")]

    def test_ids_consistent(self) -> None:
        events = text_stream()
        running = events[3]
        assert isinstance(running, rs.RunEvent)
        events[3] = attrs.evolve(running, data=attrs.evolve(running.data, id="run_2"))
        other = attrs.evolve(
            step(
                "in_progress",
                rs.MessageCreationDetails(message_creation=rs.MessageCreation(message_id="msg_1")),
            ),
            thread_id="thread_9",
        )
        events[5] = rs.RunStepEvent("thread.run.step.in_progress", other)
        assert _codes(events) == [
            ("$[3].data.id", "id_mismatch"),
            ("$[5].data.thread_id", "id_mismatch"),
        ]

    def test_status_must_match_the_name(self) -> None:
        events = text_stream()
        events[2] = rs.RunEvent("thread.run.queued", attrs.evolve(base_run(), status="in_progress"))
        assert ("$[2].data.status", "status_mismatch") in _codes(events)

    def test_run_moves_along_the_state_machine(self) -> None:
        events = text_stream()
        events.insert(4, rs.RunEvent("thread.run.queued", base_run()))  # in_progress -> queued
        assert _codes(events) == [
            ("$[4].data.status", "bad_transition"),
            ("$[14].data.status", "bad_transition"),  # queued -> completed
        ]

    def test_exactly_one_terminal_then_done(self) -> None:
        events = text_stream()
        events.insert(14, events[13])
        assert _codes(events) == [("$[14]", "after_end")]

    def test_requires_action_needs_required_action_and_ends(self) -> None:
        events = tool_stream()
        waiting = events[8]
        assert isinstance(waiting, rs.RunEvent)
        events[8] = rs.RunEvent(
            "thread.run.requires_action", attrs.evolve(waiting.data, required_action=None)
        )
        events.insert(9, rs.RunEvent("thread.run.in_progress", waiting.data))
        codes = _codes(events)
        assert codes[0] == ("$[8].data.required_action", "missing_required_action")
        assert ("$[9]", "after_end") in codes

    def test_no_terminal_run_event(self) -> None:
        events = text_stream()
        del events[13]
        assert _codes(events) == [("$[13]", "no_terminal")]

    def test_broken_off_stream(self) -> None:
        events = text_stream()[:9]
        assert _codes(events) == [("$", "no_terminal"), ("$", "missing_done")]

    def test_error_event_in_place_of_a_failure(self) -> None:
        events = [
            *text_stream()[:9],
            rs.ErrorEvent(rs.ErrorObject(message="boom", type="server_error")),
            rs.DoneEvent(),
        ]
        assert _codes(events) == []

    def test_nothing_after_done(self) -> None:
        events = [*text_stream(), rs.DoneEvent()]
        assert _codes(events) == [("$[15]", "after_done")]

    def test_checker_index_for_skipped_frames(self) -> None:
        checker = rs.StreamChecker()
        assert [p.path for p in checker.check(rs.DoneEvent(), index=7)] == ["$[7]"]


# --- the spec's own transcripts -----------------------------------------------------------


class TestSpecTranscripts:
    """What each mode makes of the published examples (which hold `...` elisions, run
    payloads with one `}` too many, and one `data:` prefix missing)."""

    def test_lenient(self) -> None:
        results = {p.name[:2]: _all(p.read_bytes()) for p in sorted(SSE.glob("*.sse"))}
        bad = {k: [(i, codes) for i, _, codes in v[1]] for k, v in results.items()}
        assert bad == {
            "01": [(13, [("$[13]", "missing_data")])],
            "02": [(i, [(f"$[{i}].data", "json_invalid")]) for i in (1, 2, 3, 11)],
            "03": [(i, [(f"$[{i}].data", "json_invalid")]) for i in (0, 1, 2, 12)],
            "04": [(i, [(f"$[{i}].data", "json_invalid")]) for i in (0, 1, 2, 12)],
            "05": [(i, [(f"$[{i}].data", "json_invalid")]) for i in (1, 2, 14)],
        }
        assert [len(v[0]) for v in results.values()] == [14, 9, 10, 10, 13]
        # every event read is encoded back to the same JSON
        for events, _ in results.values():
            assert rs.decode_stream(rs.encode_events(events)) == events

    def test_strict_names_every_erratum(self) -> None:
        _, errors = _all((SSE / "01_createThreadAndRun_streaming.sse").read_bytes(), strict=True)
        assert errors[0] == (0, "thread.created", [("$[0].data.tool_resources", "missing")])
        assert errors[1] == (
            4,
            "thread.run.step.created",
            [("$[4].data.expired_at", "missing"), ("$[4].data.metadata", "missing")],
        )
        assert errors[3] == (6, "thread.message.created", [("$[6].data.attachments", "missing")])
        assert (9, None, [("$[9]", "unknown_field")]) in errors  # the `...` line
        assert errors[-2] == (
            13,
            "thread.run.completed",
            [("$[13]", "unknown_field"), ("$[13]", "missing_data")],
        )
        # the transcripts end `data: [DONE]` with no blank line after it
        assert errors[-1] == (14, "done", [("$[14]", "truncated_frame")])


class TestStreamingOperations:
    def test_service_answers_a_whole_stream(self) -> None:
        r = rs.stream_response(text_stream())
        assert (r.status, dict(r.headers)) == (
            200,
            {"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache"},
        )
        assert rs.decode_stream(r.body, strict=True) == text_stream()

    def test_service_refuses_a_stream_out_of_order(self) -> None:
        """Found by a server author: a stream of one thread.run.created went out as a 200,
        where check_stream names its problems. With check (the default), stream_response
        refuses a stream check_stream refuses, every problem in its cause; check=False
        sends it; allow_unknown (another server's stream, passed on) checks frames only."""
        cut = text_stream()[:2]
        with pytest.raises(ValueError, match="breaks the order of events clients rely on") as info:
            rs.stream_response(cut)
        cause = info.value.__cause__
        assert isinstance(cause, rs.ValidationError)
        assert [(e.path, e.code) for e in cause.errors] == [
            (e.path, e.code) for e in rs.check_stream(cut)
        ]
        assert {e.code for e in cause.errors} == {"no_terminal", "missing_done"}
        assert "$ missing_done: the stream has no done event" in str(info.value)
        assert rs.stream_response(cut, check=False).body == rs.encode_events(cut)
        assert rs.stream_response(cut, allow_unknown=True).body == rs.encode_events(cut)
        early = text_stream()  # a delta before its message was created
        early.insert(6, early.pop(8))
        with pytest.raises(ValueError, match="breaks the order") as info:
            rs.stream_response(early)
        assert isinstance(info.value.__cause__, rs.ValidationError)
        assert info.value.__cause__.errors[0].code == "delta_before_created"

    def test_service_refuses_a_waiting_run_that_says_not_what_for(self) -> None:
        """Found in use: respond() refused a requires_action run with no required_action, but
        stream_response wrote it, and every streaming client then read
        run.required_action.submit_tool_outputs off None. check=False does not change that;
        check_event says the same for a server writing events as they come."""
        waiting = attrs.evolve(base_run(), status="requires_action")
        event = rs.RunEvent("thread.run.requires_action", waiting)
        for check in (True, False):
            with pytest.raises(ValueError, match="requires_action but has no required_action"):
                rs.stream_response([event, rs.DoneEvent()], check=check)
        with pytest.raises(ValueError, match="requires_action but has no required_action"):
            rs.check_event(event)
        assert rs.encode_event(event).startswith(b"event: thread.run.requires_action\n")

    def test_service_refuses_a_step_whose_type_is_not_its_details(self) -> None:
        """Found in a read-over: a step of type tool_calls holding message_creation details
        was sent (the schema does not tie the two), and the client's code that switches on
        step.type then read step_details.tool_calls off the wrong class. check=False does
        not change that; check_event says the same; check_stream names it."""
        creation = rs.MessageCreationDetails(
            message_creation=rs.MessageCreation(message_id="msg_1")
        )
        wrong = attrs.evolve(step("in_progress", creation), type="tool_calls")
        event = rs.RunStepEvent("thread.run.step.created", wrong)
        message = "step 'step_1' is of type 'tool_calls' but its step_details are"
        for check in (True, False):
            with pytest.raises(ValueError, match=message):
                rs.stream_response([event, rs.DoneEvent()], check=check)
        with pytest.raises(ValueError, match=message):
            rs.check_event(event)
        events = text_stream()
        events[4] = event
        assert _codes(events) == [("$[4].data.type", "type_mismatch")]
        # a type this version does not know is not told apart (a gateway passes it on)
        unknown = attrs.evolve(wrong, type=rs.UnknownValue(value="tool_calls_v2"))
        rs.check_event(rs.RunStepEvent("thread.run.step.created", unknown), allow_unknown=True)

    def test_service_refuses_an_event_that_breaks_the_schema(self) -> None:
        """An event whose data a strict reader refuses (here a run past its bounds) is the
        server's ValueError, its cause the frame's StreamError; check=False sends it."""
        run = attrs.evolve(base_run(), max_prompt_tokens=10)
        events = [
            rs.RunEvent("thread.run.created", base_run()),
            rs.RunEvent("thread.run.queued", run),
        ]
        with pytest.raises(ValueError, match=r"event 1 \(thread.run.queued\)") as info:
            rs.stream_response(events)
        assert not isinstance(info.value, rs.SchemaError)
        cause = info.value.__cause__
        assert isinstance(cause, rs.StreamError)
        assert [(e.path, e.code) for e in cause.errors] == [
            ("$[1].data.max_prompt_tokens", "out_of_range")
        ]
        assert rs.stream_response(events, check=False).body == rs.encode_events(events)
        with pytest.raises(ValueError, match="max_prompt_tokens out_of_range") as info:
            rs.check_event(events[1])
        # found by a gateway author: it said "check=False", which check_event does not take
        assert "encode_event alone sends it anyway" in str(info.value)
        assert "check=False" not in str(info.value)
        rs.check_event(events[0])

    @pytest.mark.parametrize(
        ("event", "message"),
        [
            (
                rs.RunEvent("thread.run.completed", base_run("queued")),
                "'thread.run.completed' carries status 'queued', not 'completed'",
            ),
            (
                rs.RunEvent("thread.run.created", base_run("in_progress")),
                "'thread.run.created' carries status 'in_progress', not 'queued'",
            ),
            (
                rs.RunStepEvent(
                    "thread.run.step.completed",
                    step(
                        "in_progress",
                        rs.MessageCreationDetails(
                            message_creation=rs.MessageCreation(message_id="msg_1")
                        ),
                    ),
                ),
                "carries status 'in_progress', not 'completed'",
            ),
            (
                rs.MessageEvent("thread.message.in_progress", message("completed", "Hi")),
                "carries status 'completed', not 'in_progress'",
            ),
        ],
    )
    def test_service_refuses_an_event_whose_name_and_status_disagree(
        self, event: rs.RunEvent | rs.RunStepEvent | rs.MessageEvent, message: str
    ) -> None:
        """Found in use: check_event passed thread.run.completed carrying a queued run, which
        only check_stream (status_mismatch) caught; clients go by the name. A server writing
        events as they come now hears of it from check_event, as from stream_response;
        check=False sends it, and a gateway's unknown status passes with allow_unknown."""
        with pytest.raises(ValueError, match=re.escape(message)) as info:
            rs.check_event(event)
        assert "disagrees with its name; encode_event alone sends it anyway" in str(info.value)
        with pytest.raises(ValueError, match=re.escape(message)) as info:
            rs.stream_response([rs.DoneEvent(), event])
        assert str(info.value).startswith(f"the stream's event 1 ({event.event}) disagrees")
        assert "check=False sends it anyway" in str(info.value)
        cause = info.value.__cause__
        assert isinstance(cause, rs.StreamError)
        assert (cause.index, cause.event) == (1, event.event)
        assert [(d.path, d.code) for d in cause.errors] == [("$[1].data.status", "status_mismatch")]
        assert cause.data is not None
        assert orjson.loads(cause.data) == orjson.loads(rs.dumps(event.data))
        rs.stream_response([event, rs.DoneEvent()], check=False)
        want: Any = STATUS_OF_EVENT[event.event]
        agreeing: Any = attrs.evolve(event.data, status=want)
        if want == "completed":  # an end says when (see the next test)
            agreeing = attrs.evolve(agreeing, completed_at=agreeing.created_at)
        rs.check_event(attrs.evolve(event, data=agreeing))

    @pytest.mark.parametrize(
        ("event", "field"),
        [
            (rs.RunEvent("thread.run.completed", base_run("completed")), "completed_at"),
            (
                rs.RunEvent(
                    "thread.run.failed",
                    attrs.evolve(
                        base_run("failed"),
                        last_error=rs.LastError(code="server_error", message="down"),
                    ),
                ),
                "failed_at",
            ),
            (rs.RunEvent("thread.run.cancelled", base_run("cancelled")), "cancelled_at"),
            (
                rs.RunStepEvent(
                    "thread.run.step.expired",
                    attrs.evolve(
                        step("in_progress", rs.ToolCallsDetails(tool_calls=())), status="expired"
                    ),
                ),
                "expired_at",
            ),
            (
                rs.MessageEvent(
                    "thread.message.incomplete",
                    attrs.evolve(_incomplete("msg_1"), incomplete_at=None),
                ),
                "incomplete_at",
            ),
        ],
    )
    def test_an_end_says_when(self, event: Any, field: str) -> None:
        """Found by a server author: thread.run.completed carrying a run whose
        completed_at is null (moved with attrs.evolve) passed check_stream and
        stream_response; clients read when it ended there. (Not started_at: the spec's own
        stream sends an in_progress run without it.)"""
        said = f"{event.event!r} carries {field}: null"
        with pytest.raises(ValueError, match=re.escape(said)) as info:
            rs.stream_response([event, rs.DoneEvent()])
        cause = info.value.__cause__
        assert isinstance(cause, rs.StreamError)
        assert [(d.path, d.code) for d in cause.errors] == [
            (f"$[0].data.{field}", "status_mismatch")
        ]
        with pytest.raises(ValueError, match=re.escape(said)):
            rs.check_event(event)
        found = rs.StreamChecker().check(event, index=0)
        assert [(d.path, d.code) for d in found] == [(f"$[0].data.{field}", "status_mismatch")]
        timed = attrs.evolve(event, data=attrs.evolve(event.data, **{field: at(5)}))
        rs.check_event(timed)
        assert rs.StreamChecker().check(timed, index=0) == []
        running = attrs.evolve(base_run("in_progress"), started_at=None)
        assert rs.StreamChecker().check(rs.RunEvent("thread.run.in_progress", running)) == []

    def test_the_first_bad_event_is_said_whatever_is_wrong_with_it(self) -> None:
        """Found by a server author: every event's schema was checked before any event's
        name, so a later event's bounds were said instead of the first event's status; and
        one event with both problems says both."""
        wrong_name = rs.RunEvent("thread.run.completed", base_run("queued"))
        too_few = attrs.evolve(base_run(), max_prompt_tokens=10)
        with pytest.raises(ValueError, match=r"event 0 \(thread.run.completed\) disagrees"):
            rs.stream_response([wrong_name, rs.RunEvent("thread.run.queued", too_few)])
        both = rs.RunEvent("thread.run.completed", too_few)
        with pytest.raises(ValueError, match="breaks the published schema") as info:
            rs.stream_response([rs.RunEvent("thread.run.queued", base_run()), both])
        cause = info.value.__cause__
        assert isinstance(cause, rs.StreamError)
        assert [(d.path, d.code) for d in cause.errors] == [
            ("$[1].data.max_prompt_tokens", "out_of_range"),
            ("$[1].data.status", "status_mismatch"),
        ]

    def test_a_gateway_passes_on_an_unknown_status(self) -> None:
        paused = attrs.evolve(base_run(), status=rs.UnknownValue(value="paused"))
        event = rs.RunEvent("thread.run.in_progress", paused)
        rs.check_event(event, allow_unknown=True)
        with pytest.raises(ValueError, match=r"\$\[0\]\.data\.status enum: .* got 'paused'"):
            rs.check_event(event)

    def test_service_refuses_an_event_the_spec_does_not_have(self) -> None:
        """The official client misreads or crashes on events it does not know: a checked
        answer does not send them."""
        ping = rs.UnknownEvent("x_ping", "1")
        with pytest.raises(ValueError, match="unknown_event"):
            rs.stream_response([ping])
        with pytest.raises(ValueError, match="unknown_event"):
            rs.check_event(ping)
        assert rs.stream_response([ping], check=False).body == b"event: x_ping\ndata: 1\n\n"

    @pytest.mark.parametrize("status", [199, 400, 500, True])
    def test_service_answers_a_stream_with_a_2xx(self, status: Any) -> None:
        with pytest.raises(ValueError, match="2xx"):
            rs.stream_response([rs.DoneEvent()], status=status)

    def test_client_reads_events_as_they_come(self) -> None:
        body = rs.encode_events(text_stream())
        chunks = iter([body[:100], body[100:5000], body[5000:]])
        events = rs.parse_stream_response(200, chunks)
        assert next(events) == text_stream()[0]
        assert list(events) == text_stream()[1:]

    def test_client_gets_the_error_of_a_refused_stream(self) -> None:
        body = rs.error_response(409, "Thread thread_1 already has an active run run_1.").body
        with pytest.raises(rs.APIError) as info:
            rs.parse_stream_response(409, [body[:10], body[10:]])
        assert info.value.status == 409
        assert info.value.message == "Thread thread_1 already has an active run run_1."

    def test_streaming_endpoints(self) -> None:
        streaming = {e.operation_id for e in rs.ENDPOINTS.values() if e.streams}
        assert streaming == {"createRun", "createThreadAndRun", "submitToolOuputsToRun"}
        req = rs.CREATE_RUN.request({"assistant_id": "asst_1", "stream": True}, thread_id="t")
        assert req.headers["Accept"] == "text/event-stream"


# --- generated streams --------------------------------------------------------------------

from runschema import strategies as gen  # noqa: E402


def _cuts(size: int, cuts: list[int]) -> list[tuple[int, int]]:
    points = sorted({c % (size + 1) for c in cuts})
    return list(zip([0, *points], [*points, size], strict=True))


def _chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    return [data[a:b] for a, b in _cuts(len(data), cuts)]


class TestGeneratedStreams:
    @given(gen.stream_events(), st.lists(st.integers(0, 10**6), max_size=12))
    def test_valid_streams_check_clean_and_decode_in_any_chunking(
        self, events: list[rs.StreamEvent], cuts: list[int]
    ) -> None:
        assert rs.check_stream(events) == []
        body = rs.encode_events(events)
        assert rs.decode_stream(body, strict=True) == events
        assert rs.decode_stream(_chunked(body, cuts), strict=True) == events
        assert rs.decode_stream(body.replace(b"\n", b"\r\n"), strict=True) == events

    @given(gen.stream_events(), st.lists(st.integers(0, 10**6), max_size=12))
    def test_text_reads_as_its_utf8_bytes(
        self, events: list[rs.StreamEvent], cuts: list[int]
    ) -> None:
        """A stream given as text (``response.text``, ``iter_text()``), whole or in chunks,
        reads as its UTF-8 bytes do, on every reader (found in a trial: a TypeError)."""
        body = rs.encode_events(events)
        text = body.decode()
        pieces = [text[a:b] for a, b in _cuts(len(text), cuts)]
        assert rs.decode_stream(text, strict=True) == events
        assert rs.decode_stream(pieces, strict=True) == events
        assert list(rs.iter_stream(iter(pieces), strict=True)) == events
        assert rs.validate_stream(text, strict=True) == rs.validate_stream(body, strict=True)
        assert rs.validate_stream(pieces, strict=True) == []
        assert list(rs.parse_stream_response(200, text, strict=True)) == events
        assert list(rs.parse_stream_response(200, pieces, strict=True)) == events
        kinds = (bytes, bytearray, memoryview, str)
        mixed = [
            piece if kinds[i % 4] is str else kinds[i % 4](piece.encode())
            for i, piece in enumerate(pieces)
        ]
        assert rs.decode_stream(mixed, strict=True) == events

    @given(gen.stream_events(), st.booleans())
    def test_each_event_as_json_reads_back(
        self, events: list[rs.StreamEvent], strict: bool
    ) -> None:
        """``dumps`` of an event is its JSON form, which ``loads`` and ``structure`` read
        back, as the event union or its own class (found in a trial: TypeError, while the
        converters took it)."""
        for event in events:
            text = rs.dumps(event)
            assert orjson.loads(text) == rs.unstructure(event) == rs.LENIENT.unstructure(event)
            assert rs.loads(text, rs.StreamEvent, strict=strict) == event
            assert rs.loads(text.decode(), type(event), strict=strict) == event
            assert rs.structure(orjson.loads(text), rs.StreamEvent, strict=strict) == event

    @given(
        st.one_of(
            gen.json_values(),
            st.fixed_dictionaries(
                {"event": st.sampled_from([*STATUS_OF_EVENT, "done", "error", "x", "thread.x"])},
                optional={"data": gen.json_values(), "id": st.just(1)},
            ),
            gen.stream_events().map(lambda es: rs.unstructure(es[1])),
            gen.stream_events().map(lambda es: {**rs.unstructure(es[1]), "event": "done"}),
        ),
        st.sampled_from([rs.StreamEvent, rs.RunEvent, rs.DoneEvent, rs.RunEvent | None]),
        st.booleans(),
    )
    def test_any_json_reads_as_the_converters_read_it(
        self, value: Any, tp: Any, strict: bool
    ) -> None:
        """``loads`` reads an event as the converters do (the same event, or our error
        where theirs is), and what it reads is written back to itself."""
        conv = rs.STRICT if strict else rs.LENIENT
        ours: Any
        try:
            ours = rs.loads(orjson.dumps(value), tp, strict=strict)
        except rs.SchemaError as e:
            ours = e
        try:
            theirs = conv.structure(value, tp)
        except Exception as e:
            theirs = rs.errors_of(e, conv)
        if isinstance(theirs, rs.ValidationError):
            assert isinstance(ours, rs.SchemaError)
            assert ours.errors
        else:
            assert ours == theirs
            assert ours is None or rs.loads(rs.dumps(ours), tp, strict=strict) == ours

    @given(gen.stream_events(ending="requires_action"))
    def test_requires_action_streams(self, events: list[rs.StreamEvent]) -> None:
        last = events[-2]
        assert isinstance(last, rs.RunEvent)
        assert last.event == "thread.run.requires_action"
        assert last.data.required_action is not None

    @examples(5)
    @given(gen.stream_events())
    def test_byte_by_byte(self, events: list[rs.StreamEvent]) -> None:
        body = rs.encode_events(events)
        assert rs.decode_stream([body[i : i + 1] for i in range(len(body))]) == events

    @given(gen.broken_streams())
    def test_broken_streams_are_named(self, broken: tuple[list[rs.StreamEvent], str]) -> None:
        events, code = broken
        assert code in {p.code for p in rs.check_stream(events)}
        strict = code != "unreadable_event"  # an unknown event: lenient mode reads it
        assert rs.decode_stream(rs.encode_events(events), strict=strict) == events

    @given(st.binary(max_size=300), st.booleans())
    def test_any_bytes_give_events_or_stream_errors(self, data: bytes, strict: bool) -> None:
        errors: list[rs.StreamError] = []
        events = rs.decode_stream(data, strict=strict, on_error=errors.append)
        for e in errors:
            assert all(d.loc[:1] in ((), (e.index,)) for d in e.errors)
        rs.check_stream(events)  # never raises


def test_text_with_a_lone_surrogate_is_reported_as_bytes_that_are_not_utf8() -> None:
    text = 'event: thread.created\ndata: {"id": "\ud800"}\n\nevent: done\ndata: [DONE]\n\n'
    found = [(p.path, p.code) for p in rs.validate_stream(text)]
    assert found[0] == ("$[0].data", "encoding")
    with pytest.raises(rs.StreamError) as caught:
        rs.decode_stream(text)
    assert [(p.path, p.code) for p in caught.value.errors] == [("$[0].data", "encoding")]


def test_an_error_answer_given_as_text() -> None:
    body = '{"error": {"message": "no such run", "type": "invalid_request_error"}}'
    for given_as in (body, [body[:10], body[10:]]):
        with pytest.raises(rs.APIError) as caught:
            list(rs.parse_stream_response(404, given_as))
        assert (caught.value.status, caught.value.message) == (404, "no such run")


def test_an_async_body_of_text() -> None:
    import asyncio

    body = rs.encode_events(text_stream()).decode()

    async def chunks() -> Any:
        for i in range(0, len(body), 7):
            yield body[i : i + 7]

    async def read(status: int) -> list[rs.StreamEvent]:
        return [e async for e in rs.aparse_stream_response(status, chunks(), strict=True)]

    assert asyncio.run(read(200)) == text_stream()
    with pytest.raises(rs.APIError):
        asyncio.run(read(500))


def test_an_event_as_json_with_problems() -> None:
    bad = b'{"event": "thread.run.created", "data": {"id": 1}}'
    for tp in (rs.StreamEvent, rs.RunEvent):
        with pytest.raises(rs.ValidationError) as caught:
            rs.loads(bad, tp)
        assert [(p.path, p.code) for p in caught.value.errors][:2] == [
            ("$.data.id", "type"),
            ("$.data.object", "missing"),
        ]
    unknown = b'{"event": "thread.run.paused", "data": {"a": 1}}'
    assert rs.loads(unknown, rs.StreamEvent) == rs.UnknownEvent("thread.run.paused", '{"a":1}')
    checks: list[tuple[bytes, Any, bool, list[tuple[str, str]]]] = [
        (unknown, rs.StreamEvent, True, [("$.event", "unknown_event")]),
        (unknown, rs.RunEvent, False, [("$.event", "enum")]),
        (
            b'{"event": "done", "data": "[DONE]", "id": 1}',
            rs.DoneEvent,
            True,
            [("$.id", "unknown_field")],
        ),
        (b'{"data": "[DONE]"}', rs.StreamEvent, False, [("$.event", "missing")]),
        (b'{"event": "thread.run.created"}', rs.StreamEvent, False, [("$", "missing")]),
        (b'{"event": "done", "data": "x"}', rs.StreamEvent, False, [("$.data", "const")]),
        (b"[]", rs.StreamEvent, False, [("$", "type")]),
        (b'{"event": "x", "data": {"a": NaN}}', rs.StreamEvent, False, [("$", "json_invalid")]),
        (
            b'{"event": "x", "data": {"a": "\\ud800"}}',
            rs.StreamEvent,
            False,
            [("$.data.a", "encoding")],
        ),
    ]
    for text, tp, strict, expected in checks:
        with pytest.raises(rs.SchemaError) as caught_:
            rs.loads(text, tp, strict=strict)
        assert [(p.path, p.code) for p in caught_.value.errors] == expected, text
    assert rs.dumps(rs.DoneEvent()) == b'{"event":"done","data":"[DONE]"}'
    # found by a spec differential: a done without its data was read, and written back with
    # it (not lossless); the spec requires it, as every event's
    kinds: tuple[Any, ...] = (rs.DoneEvent, rs.StreamEvent)
    for strict in (False, True):
        for done in kinds:
            with pytest.raises(rs.ValidationError) as caught_:
                rs.loads(b'{"event": "done"}', done, strict=strict)
            assert [(p.path, p.code) for p in caught_.value.errors] == [("$", "missing")]
            converter = rs.STRICT if strict else rs.LENIENT
            with pytest.raises(rs.ValidationError) as raised:
                converter.structure({"event": "done"}, done)
            assert [(p.path, p.code) for p in raised.value.errors] == [("$", "missing")]
    assert rs.loads(b"null", rs.RunEvent | None) is None
    with pytest.raises(TypeError, match="not a runschema model or event"):
        rs.dumps(object())  # type: ignore[arg-type]


def test_each_stray_line_is_named_by_its_text() -> None:
    """Found by an adversarial trial: three stray lines gave three problems alike, with
    nothing in their messages to tell them apart."""
    body = b"foo\nbar\nbaz\nevent: done\ndata: [DONE]\n\n"
    found = [(p.path, p.code, p.message[-7:]) for p in rs.validate_stream(body, strict=True)]
    assert found[:3] == [
        ("$[0]", "unknown_field", ': "foo"'),
        ("$[0]", "unknown_field", ': "bar"'),
        ("$[0]", "unknown_field", ': "baz"'),
    ]


def test_a_frame_of_stray_lines_lists_a_bounded_number() -> None:
    body = b"x\n" * 100_000 + b"\nevent: done\ndata: [DONE]\n\n"
    errors: list[rs.StreamError] = []
    events = rs.decode_stream(body, strict=True, on_error=errors.append)
    assert events == [rs.DoneEvent()]
    assert [(e.index, len(e.errors), e.errors[0].code) for e in errors] == [
        (0, 100, "unknown_field")
    ]


def _pattern_of(event: rs.StreamEvent) -> str:
    match event:
        case rs.RunEvent("thread.run.completed", run):
            return f"completed {run.id}"
        case rs.ThreadEvent(thread):
            return f"thread {thread.id}"
        case rs.ErrorEvent(error):
            return f"error {error.message}"
        case rs.MessageDeltaEvent(delta):
            return f"delta {delta.id}"
        case rs.DoneEvent():
            return "done"
    return "other"


def test_positional_patterns() -> None:
    """An event of many names matches (name, data), as it is built; one of a single name
    matches its data alone. Found in use: those matched (data, event), so that
    ``case ErrorEvent("error", e)``, written like ``case RunEvent(name, run)``, silently
    never matched; now it is a TypeError (and mypy's "too many positional patterns")."""
    events = text_stream()
    error = rs.ErrorEvent(rs.ErrorObject(message="boom", type="server_error"))
    assert [_pattern_of(e) for e in [events[0], events[-2], error, rs.DoneEvent()]] == [
        "thread thread_1",
        "completed run_1",
        "error boom",
        "done",
    ]
    with pytest.raises(TypeError, match="accepts 1 positional sub-pattern"):
        _as_a_run_event_is_matched(error)


def _as_a_run_event_is_matched(event: rs.StreamEvent) -> bool:
    match event:
        case rs.ErrorEvent("error", _):  # type: ignore[misc]
            return True
    return False


def test_many_bad_frames_in_one_chunk_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by a stream round: after each bad frame the rest of the chunk was copied and
    read again from its start, so N bad frames in one body (as decode_stream and
    parse_stream_response hand it over) cost N squared: 40,000 took a minute. Each line is
    now read once, however many frames are bad."""
    handed: dict[int, list[bytes]] = {}  # every list of lines the reader was handed, by id
    read = rs.StreamDecoder._read

    def counting(self: rs.StreamDecoder, lines: list[bytes], start: int = 0) -> Any:
        handed[id(lines)] = lines  # kept alive, so that no id is used twice
        return read(self, lines, start)

    monkeypatch.setattr(rs.StreamDecoder, "_read", counting)
    n = 2_000
    body = b"event: thread.run.step.delta\n\n" * n + b"event: done\ndata: [DONE]\n\n"
    errors: list[rs.StreamError] = []
    assert rs.decode_stream(body, on_error=errors.append) == [rs.DoneEvent()]
    assert [e.index for e in errors] == list(range(n))
    assert {e.errors[0].code for e in errors} == {"missing_data"}
    # one list of the chunk's lines, read on where the last bad frame ended: no copies
    assert sum(map(len, handed.values())) <= 2 * n + 4


def test_a_frame_of_stray_lines_shares_the_next_frames_index() -> None:
    """Lines of no SSE field alone are no frame to lenient mode or to clients: strict mode
    reports them at the index the next frame has, so that indexes agree in both modes."""
    body = b"junk\n\nevent: thread.future\n\nevent: done\ndata: [DONE]\n\n"
    errors: list[rs.StreamError] = []
    assert rs.decode_stream(body, strict=True, on_error=errors.append) == [rs.DoneEvent()]
    assert [(e.index, [(d.path, d.code) for d in e.errors]) for e in errors] == [
        (0, [("$[0]", "unknown_field")]),
        (0, [("$[0]", "missing_data")]),
    ]
    lenient: list[rs.StreamError] = []
    rs.decode_stream(body, on_error=lenient.append)
    assert [(e.index, e.errors[0].code) for e in lenient] == [(0, "missing_data")]


async def read_sync_body() -> list[rs.StreamEvent]:
    """aparse_stream_response given a list of chunks, as the sync parser takes them."""
    body: Any = [b""]
    return [e async for e in rs.aparse_stream_response(200, body)]


_WRAPPED = b'{"error": {"code": "server_error", "message": "boom", "param": null, "type": "t"}}'
_DONE = b"event: done\ndata: [DONE]\n\n"


class TestAnswersThatAreNoStream:
    """Found by a client author's round."""

    @pytest.mark.parametrize(
        "body",
        [
            b'{"error": {"message": "m", "type": "t", "param": null, "code": null}}',
            b"<html>bad gateway</html>\n",
        ],
    )
    def test_strict_reports_a_body_of_no_sse_field(self, body: bytes) -> None:
        """A 200 answer that is JSON or HTML, no SSE: strict mode says so (it read no event
        and raised nothing); lenient mode reads no event, as SSE and the official client do."""
        with pytest.raises(rs.StreamError) as info:
            list(rs.parse_stream_response(200, [body], strict=True))
        codes = [(e.path, e.code) for e in info.value.errors]
        assert codes == [("$[0]", "unknown_field"), ("$[0]", "truncated_frame")]
        assert list(rs.parse_stream_response(200, [body])) == []

    @pytest.mark.parametrize(
        "frame",
        [
            b"event: error\ndata: " + _WRAPPED + b"\n\n",  # named error, wrapped data
            b"data: " + _WRAPPED + b"\n\n",  # no event line
            b"event: warning\ndata: " + _WRAPPED + b"\n\n",  # any name but thread.*
            b'event: error\ndata: {"error": "boom"}\n\n',  # a string: the message
            # found by a gateway author: JSON after white space, as clients read it
            b"event: error\ndata:  " + _WRAPPED + b"\n\n",
            b"event: error\ndata:\ndata: " + _WRAPPED + b"\n\n",
            b"data:  " + _WRAPPED + b"\n\n",
        ],
    )
    @pytest.mark.parametrize("strict", [False, True])
    def test_an_error_key_is_the_servers_error(self, frame: bytes, strict: bool) -> None:
        """Found by a client author: a frame that is not a thread.* event and whose data has
        an ``error`` key, which the official client raises as APIError("boom"), was a
        StreamError of missing keys with "boom" nowhere (``event: error``) or an UnknownEvent
        a client skips (no event line): the server's error, with its message, after the
        events before it."""
        first = rs.encode_event(rs.RunEvent(event="thread.run.created", data=base_run()))
        events = rs.parse_stream_response(
            200, [first, frame, _DONE], strict=strict, headers={"x-request-id": "req_1"}
        )
        assert next(events).event == "thread.run.created"
        with pytest.raises(rs.APIError) as info:
            next(events)
        assert (info.value.status, info.value.message) == (200, "boom")
        assert info.value.request_id == "req_1"

    def test_the_specs_error_event_is_an_event(self) -> None:
        """The spec's ``error`` event (its data the error object) is yielded, as the official
        client's ``create(stream=True)`` yields it; so is a thread.* event with an ``error``
        key (the client reads it as the event), and data that is no object."""
        spec = rs.ErrorEvent(data=rs.ErrorObject(message="m", type="t", param=None, code=None))
        named = b'event: thread.run.paused\ndata: {"error": {"message": "m"}}\n\n'
        data_only = b'data: ["error"]\n\n'
        got = list(rs.parse_stream_response(200, [rs.encode_event(spec), named, data_only]))
        assert got == [
            spec,
            rs.UnknownEvent(event="thread.run.paused", data='{"error": {"message": "m"}}'),
            rs.UnknownEvent(event="message", data='["error"]'),
        ]

    @pytest.mark.parametrize(
        ("done", "last", "bad"),
        [
            (_DONE, [rs.DoneEvent()], []),
            (b"data: [DONE]\n\n", [rs.DoneEvent()], []),  # no event line (lenient)
            # a bad frame: said, then over
            (b"event: thread.message.delta\ndata: [DONE]\n\n", [], ["[DONE]"]),
            # an unknown event whose data starts so: the clients stop there too
            (
                b"event: finished\ndata: [DONE] for today\n\n",
                [rs.UnknownEvent("finished", "[DONE] for today")],
                [],
            ),
        ],
    )
    def test_nothing_after_done_reaches_the_client(
        self, done: bytes, last: list[rs.StreamEvent], bad: list[str]
    ) -> None:
        """Found by a client author: events a server sent after ``[DONE]`` came out of the
        parser, where the official clients stop at the first frame whose data starts with
        ``[DONE]`` (reading the rest of the answer, unread): an error key, a run, a bad
        frame after it reach none of their users. In one chunk or many, sync or async."""
        first = rs.encode_event(rs.RunEvent(event="thread.run.created", data=base_run()))
        after = [first, b"event: error\ndata: " + _WRAPPED + b"\n\n", b"event: x\ndata: {\n"]
        expected = [rs.RunEvent(event="thread.run.created", data=base_run()), *last]
        seen: list[rs.StreamError] = []
        whole = [first, done, *after]
        for pieces in (whole, [b"".join(whole)], [bytes([c]) for c in b"".join(whole)]):
            assert list(rs.parse_stream_response(200, pieces, on_error=seen.append)) == expected
            assert [e.data for e in seen] == bad
            seen.clear()

        async def chunks() -> AsyncIterator[bytes]:
            for chunk in whole:
                yield chunk

        async def read() -> list[rs.StreamEvent]:
            return [e async for e in rs.aparse_stream_response(200, chunks(), on_error=seen.append)]

        assert asyncio.run(read()) == expected
        assert [e.data for e in seen] == bad

    @pytest.mark.parametrize("strict", [False, True])
    def test_a_bad_done_frame_ends_it_too(self, strict: bool) -> None:
        """Found by a trial: a done frame that is itself bad (``[DONE] `` with a space)
        ended the events, but the bad frames after it in its chunk were still handed to
        ``on_error``, or raised as the server's error: read, not decoded, whatever the
        chunks."""
        done = b"event: done\ndata: [DONE] \n\n"
        after = b"event: x\ndata: {\n\nevent: error\ndata: " + _WRAPPED + b"\n\n"
        for pieces in ([done + after], [bytes([c]) for c in done + after]):
            seen: list[rs.StreamError] = []
            got = list(rs.parse_stream_response(200, pieces, strict=strict, on_error=seen.append))
            assert got == []
            assert [e.data for e in seen] == ["[DONE] "]

    def test_bad_frames_go_to_on_error(self) -> None:
        """Found by a client author: parse_stream_response stopped at the first bad frame
        (the terminal event and done were lost); with ``on_error`` it reads on, as
        iter_stream does, and the StreamError has the frame's data."""
        bad = b"event: thread.run.created\ndata: {}\n\n"
        body = [bad, rs.encode_events(text_stream())]
        seen: list[rs.StreamError] = []
        got = list(rs.parse_stream_response(200, body, on_error=seen.append))
        assert got == text_stream()
        ((e,),) = [seen]
        assert (e.index, e.event, e.data) == (0, "thread.run.created", "{}")
        again = pickle.loads(pickle.dumps(e))
        assert (again.index, again.event, again.data) == (0, "thread.run.created", "{}")
        with pytest.raises(rs.StreamError):
            list(rs.parse_stream_response(200, body))

    @pytest.mark.parametrize(
        "content_type", ["application/json", "text/html; charset=utf-8", "TEXT/PLAIN"]
    )
    def test_a_2xx_of_another_content_type(self, content_type: str) -> None:
        """Found by a client author: a server that ignores ``stream: true`` and answers a run
        as JSON read as a stream of nothing (lenient). Given the headers, it is said."""
        body = orjson.dumps({"id": "run_1", "object": "thread.run"})
        with pytest.raises(rs.StreamError) as info:
            rs.parse_stream_response(200, [body], headers={"Content-Type": content_type})
        (problem,) = info.value.errors
        assert (problem.path, problem.code) == ("$[0]", "input_type")
        kind = content_type.split(";")[0].lower()
        assert problem.message.startswith(f"the answer is {kind}, not a stream")
        assert "run_1" in problem.message
        assert info.value.data == body.decode()

    @pytest.mark.parametrize(
        "headers",
        [
            {"content-type": "text/event-stream; charset=utf-8"},
            {"Content-Type": "text/event-stream"},
            # sent twice (a proxy adding its own), as httpx's Headers joins them
            {"Content-Type": "text/event-stream, text/event-stream; charset=utf-8"},
            {"x-request-id": "r"},  # none said: read as a stream
        ],
    )
    def test_a_stream_by_its_content_type(self, headers: dict[str, str]) -> None:
        body = rs.encode_events(text_stream())
        assert list(rs.parse_stream_response(200, [body], headers=headers)) == text_stream()

    def test_a_status_of_http_status(self) -> None:
        """``http.HTTPStatus`` is an int: it was refused as a RequestError."""
        import http

        body = rs.encode_events(text_stream())
        assert list(rs.parse_stream_response(http.HTTPStatus.OK, [body])) == text_stream()
        with pytest.raises(rs.APIError) as info:
            rs.parse_stream_response(http.HTTPStatus.TOO_MANY_REQUESTS, [b""], headers={})
        assert info.value.status == 429
        assert type(info.value.status) is int

    def test_an_error_body_is_read_up_to_max_frame_bytes(self) -> None:
        """Found by a client author: a non-2xx answer's body was read whole whatever
        max_frame_bytes said (a proxy's 26 MB page took 390 MB to read); what is past it is
        not read, sync or async, and what was read is said as an excerpt."""
        import asyncio
        from collections.abc import Iterator

        read: list[int] = []

        def page() -> Iterator[bytes]:
            for i in range(100):
                read.append(i)
                yield b"<html>" + b"y" * 994

        with pytest.raises(rs.APIError) as info:
            rs.parse_stream_response(502, page(), max_frame_bytes=2500)
        assert read == [0, 1, 2]  # 3,000 bytes: past the limit, the rest is not read
        assert info.value.body is None
        assert info.value.body_excerpt.startswith('"<html>yyy')
        read.clear()

        async def apage() -> AsyncIterator[bytes]:
            for chunk in page():
                yield chunk

        async def drain() -> None:
            async for _ in rs.aparse_stream_response(502, apage(), max_frame_bytes=2500):
                pass

        with pytest.raises(rs.APIError):
            asyncio.run(drain())
        assert read == [0, 1, 2]
        # a JSON error body within the limit is read as before, whitespace and BOM first
        error = b'\xef\xbb\xbf \n{"error": {"message": "m", "type": "t"}}'
        with pytest.raises(rs.APIError) as info:
            rs.parse_stream_response(500, [error[:5], error[5:]])
        assert info.value.message == "m"

    def test_an_async_client_reads_as_the_sync_one(self) -> None:
        """Found by a gateway author's second round: an async client (AsyncOpenAI's users)
        had only the decoder, so neither the server's error frame (an APIError to the sync
        parser) nor the Content-Type check: aparse_stream_response reads as the sync one."""
        import asyncio

        async def chunks(body: bytes, size: int = 7) -> AsyncIterator[bytes]:
            for i in range(0, len(body), size):
                yield body[i : i + size]

        async def read(status: int, body: bytes, **kwargs: Any) -> list[rs.StreamEvent]:
            return [e async for e in rs.aparse_stream_response(status, chunks(body), **kwargs)]

        body = rs.encode_events(text_stream())
        assert asyncio.run(read(200, body)) == list(rs.parse_stream_response(200, [body]))
        created = rs.encode_event(rs.RunEvent("thread.run.created", base_run()))
        wrapped = created + b"event: error\ndata: " + _WRAPPED + b"\n\n" + _DONE
        got: list[rs.StreamEvent] = []

        async def until_error() -> None:
            async for event in rs.aparse_stream_response(200, chunks(wrapped)):
                got.append(event)

        with pytest.raises(rs.APIError) as info:
            asyncio.run(until_error())
        assert info.value.message == "boom"
        assert [e.event for e in got] == ["thread.run.created"]
        refused = rs.rate_limited(3)
        with pytest.raises(rs.APIError) as info:
            asyncio.run(read(429, refused.body, headers=dict(refused.headers)))
        assert (info.value.status, info.value.retry_after) == (429, 3.0)
        with pytest.raises(rs.StreamError) as stream_error:
            asyncio.run(read(200, b"{}", headers={"content-type": "application/json"}))
        assert stream_error.value.errors[0].code == "input_type"
        bad = b"event: thread.run.created\ndata: {}\n\n" + body
        seen: list[rs.StreamError] = []
        assert asyncio.run(read(200, bad, on_error=seen.append)) == text_stream()
        assert [e.index for e in seen] == [0]
        with pytest.raises(TypeError, match="async iterable"):
            asyncio.run(read_sync_body())

    @pytest.mark.parametrize("status", ["200", None, 200.0, True])
    def test_a_status_that_is_no_int(self, status: Any) -> None:
        """A RequestError, as parse_response says it (it was a TypeError from a comparison)."""
        with pytest.raises(rs.RequestError) as info:
            rs.parse_stream_response(status, [b""])
        assert [(e.path, e.code) for e in info.value.errors] == [("$.status", "type")]


# --- apply_deltas ---------------------------------------------------------------------------


@given(gen.stream_events(ending="completed"))
def test_deltas_fold_into_the_finished_objects(events: list[rs.StreamEvent]) -> None:
    """A message or step as it was created, with every delta for it folded in, is what its
    finished event carries (the parts and tool calls; the status and times are the
    finished event's own)."""
    created: dict[str, Any] = {}
    deltas: dict[str, list[Any]] = {}
    for event in events:
        if isinstance(event, (rs.MessageEvent, rs.RunStepEvent)):
            if event.event.endswith(".created"):
                created[event.data.id] = event.data
                deltas[event.data.id] = []
            elif event.event.endswith(".completed"):
                made = rs.apply_deltas(created[event.data.id], deltas[event.data.id])
                if isinstance(made, rs.Message):
                    assert isinstance(event.data, rs.Message)
                    assert made.content == event.data.content
                else:
                    assert isinstance(event.data, rs.RunStep)
                    assert made.step_details == event.data.step_details
        elif isinstance(event, (rs.MessageDeltaEvent, rs.RunStepDeltaEvent)):
            deltas[event.data.id].append(event.data)


class TestApplyDeltas:
    def test_a_message_cut_short(self) -> None:
        """What a stream made of a message before it was cut: text pieces joined, a part
        its first delta started filled with what the schema requires."""
        events = text_stream()
        created = events[6].data
        assert isinstance(created, rs.Message)
        deltas = [e.data for e in events[8:10] if isinstance(e, rs.MessageDeltaEvent)]
        made = rs.apply_deltas(created, deltas)
        assert made.content == (
            rs.TextContentPart(text=rs.MessageText(value="Hello there", annotations=())),
        )
        assert made.status == "in_progress"
        assert rs.apply_delta(created, deltas[0]).content[0] == rs.TextContentPart(
            text=rs.MessageText(value="Hello", annotations=())
        )
        assert rs.unknown_fields(made.content[0]) == {}  # no index left behind

    def test_a_step_cut_short(self) -> None:
        events = tool_stream()
        created = events[3].data
        assert isinstance(created, rs.RunStep)
        deltas = [e.data for e in events[5:8] if isinstance(e, rs.RunStepDeltaEvent)]
        made = rs.apply_deltas(created, deltas)
        details = made.step_details
        assert isinstance(details, rs.ToolCallsDetails)
        assert details.tool_calls == (
            rs.StepFunctionCall(
                id="call_1",
                function=rs.StepFunction(
                    name="get_weather", arguments='{"city":"Paris"}', output=None
                ),
            ),
        )

    def test_a_delta_of_another_object(self) -> None:
        events = text_stream()
        created = events[6].data
        step = events[4].data
        delta = events[8].data
        assert isinstance(created, rs.Message)
        assert isinstance(step, rs.RunStep)
        assert isinstance(delta, rs.MessageDelta)
        with pytest.raises(ValueError, match="a delta for 'msg_x' applied to 'msg_1'"):
            rs.apply_delta(created, attrs.evolve(delta, id="msg_x"))
        with pytest.raises(TypeError, match="takes a RunStepDelta"):
            rs.apply_delta(step, delta)  # type: ignore[call-overload]
        with pytest.raises(TypeError, match="takes a Message or a RunStep"):
            rs.apply_deltas(base_run(), [delta])  # type: ignore[call-overload]

    def test_empty_lists_and_lists_of_values(self) -> None:
        """Found by a stream round: a delta with an empty list (annotations: [], outputs:
        []) wiped what the deltas before it made; a list of values is extended, as clients
        and finished messages have it."""
        events = text_stream()
        created = events[6].data
        assert isinstance(created, rs.Message)
        parts = [
            rs.DeltaTextPart(index=0, text=rs.DeltaText(value="a")),
            rs.DeltaTextPart(index=0, text=rs.DeltaText(value="b", annotations=())),
        ]
        deltas = [
            rs.MessageDelta(id="msg_1", delta=rs.MessageDeltaFields(content=(part,)))
            for part in parts
        ]
        extra = rs.MessageDelta(id="msg_1", delta=rs.MessageDeltaFields(content=()))
        made = rs.apply_deltas(created, [*deltas, extra])
        assert made.content == (
            rs.TextContentPart(text=rs.MessageText(value="ab", annotations=())),
        )
        values = rs.loads(
            b'{"id": "msg_1", "object": "thread.message.delta", "delta": {"x_probs": [1]}}',
            rs.MessageDelta,
        )
        more = attrs.evolve(values, delta=rs.loads(b'{"x_probs": [2]}', rs.MessageDeltaFields))
        assert rs.unknown_fields(rs.apply_deltas(created, [values, more])) == {"x_probs": (1, 2)}

    def test_what_no_finished_object_can_be(self) -> None:
        """Found by a stream round: parts out of order (1, then 0) were folded into one
        part, and a part of another type at an index kept both; each is a ValueError."""
        events = text_stream()
        created = events[6].data
        assert isinstance(created, rs.Message)

        def delta(part: rs.DeltaContentPart) -> rs.MessageDelta:
            return rs.MessageDelta(id="msg_1", delta=rs.MessageDeltaFields(content=(part,)))

        late = delta(rs.DeltaTextPart(index=1, text=rs.DeltaText(value="b")))
        with pytest.raises(ValueError, match=r"\$\.content at index 1, where 0 exist"):
            rs.apply_deltas(created, [late])
        text = delta(rs.DeltaTextPart(index=0, text=rs.DeltaText(value="a")))
        refusal = delta(rs.DeltaRefusalPart(index=0, refusal="no"))
        with pytest.raises(ValueError, match=r"\$\.content\[0\]\.type 'refusal'"):
            rs.apply_deltas(created, [text, refusal])

    def test_pieces_are_joined_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Found by a stream round: each piece of text was added to the text so far (a
        copy each time): 100,000 deltas took 5 s, growing as their square."""
        from runschema import _deltas

        joined = 0
        text = _deltas.Text.text

        def counting(self: Any) -> str:
            nonlocal joined
            joined += 1
            return text(self)

        monkeypatch.setattr(_deltas.Text, "text", counting)
        events = text_stream()
        created = events[6].data
        assert isinstance(created, rs.Message)
        pieces = [
            rs.MessageDelta(
                id="msg_1",
                delta=rs.MessageDeltaFields(
                    content=(rs.DeltaTextPart(index=0, text=rs.DeltaText(value=f"{i} ")),)
                ),
            )
            for i in range(2_000)
        ]
        made = rs.apply_deltas(created, pieces)
        assert made.content[0] == rs.TextContentPart(
            text=rs.MessageText(value="".join(f"{i} " for i in range(2_000)), annotations=())
        )
        assert joined == 1


class TestValidateStream:
    """``validate_stream``: a whole body checked as ``runschema validate --type stream``
    checks it, frames and order, with the frames' indexes."""

    def test_a_valid_stream_has_no_problem_in_either_mode(self) -> None:
        body = rs.encode_events(text_stream())
        assert rs.validate_stream(body) == []
        assert rs.validate_stream(body, strict=True) == []

    def test_a_frame_strict_mode_refuses_does_not_cascade(self) -> None:
        """By hand (strict decode, then check_stream), the refused message.created frame is
        no event, and the events after it read as out of order."""
        events = text_stream()
        body = rs.encode_events(events).replace(b'"role":"assistant"', b'"role":"narrator"', 1)
        first = next(i for i, e in enumerate(events) if e.event == "thread.message.created")
        by_hand = rs.check_stream(rs.decode_stream(body, strict=True, on_error=lambda e: None))
        assert {p.code for p in by_hand} == {"not_created", "delta_before_created"}
        assert [(p.path, p.code) for p in rs.validate_stream(body, strict=True)] == [
            (f"$[{first}].data.role", "enum")
        ]
        assert rs.validate_stream(body) == []  # lenient mode keeps the value

    def test_paths_name_frames_counting_bad_ones(self) -> None:
        """A bad frame takes its place: the order's problems after it name the frames the
        decoder counts, not the events read (``check_stream`` alone would say $[3])."""
        events = text_stream()
        frames = [rs.encode_event(e) for e in events]
        frames.insert(2, b"event: thread.run.step.delta\ndata: {oops\n\n")
        frames.append(rs.encode_event(rs.DoneEvent()))  # a second done: after_done
        found = [(p.path, p.code) for p in rs.validate_stream(b"".join(frames))]
        assert found == [("$[2].data", "json_invalid"), (f"$[{len(frames) - 1}]", "after_done")]

    def test_chunks_read_as_the_whole(self) -> None:
        body = rs.encode_events(tool_stream())[:-1]  # the done frame cut short
        whole = rs.validate_stream(body, strict=True)
        assert [(p.path, p.code) for p in whole] == [
            (f"$[{len(tool_stream()) - 1}]", "truncated_frame")
        ]
        assert (
            rs.validate_stream(iter([body[i : i + 7] for i in range(0, len(body), 7)]), strict=True)
            == whole
        )
        assert rs.validate_stream(memoryview(body), strict=True) == whole

    def test_the_frame_limit_applies(self) -> None:
        body = b"event: thread.run.step.delta\ndata: " + b"x" * 200 + b"\n\n"
        found = [(p.path, p.code) for p in rs.validate_stream(body, max_frame_bytes=100)]
        assert found == [("$[0]", "frame_too_large"), ("$", "no_terminal"), ("$", "missing_done")]

    @examples(30)
    @given(gen.broken_streams())
    def test_it_reports_what_the_command_line_reports(
        self, broken: tuple[list[rs.StreamEvent], str]
    ) -> None:
        from runschema import _cli

        events, code = broken
        body = rs.encode_events(events)
        for strict in (False, True):
            doc, _, _ = _cli._check_stream("s", iter([body]), strict=strict, keep=False)
            assert rs.validate_stream(body, strict=strict) == list(doc.errors)
        assert code in {p.code for p in rs.validate_stream(body)}
