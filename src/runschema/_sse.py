"""The Assistants stream on the wire, sans-I/O: bytes in, events out; events in, bytes out.

Reading follows the server-sent events format (the WHATWG HTML standard's "event stream
interpretation"): lines end in ``\\r\\n``, ``\\n`` or ``\\r`` (a chunk may end between the two
bytes of ``\\r\\n``); a blank line ends a frame; ``:`` starts a comment; ``event:``, ``data:``
(several are joined by newlines), ``id:`` and ``retry:`` are the fields, one leading space
after the colon dropped. A frame is then read as one event of :data:`EVENT_DATA`, its data
decoded by :func:`runschema.loads` (strict or lenient).

What each mode makes of what servers get wrong is in :class:`StreamDecoder`'s docstring.

Comment lines are dropped as they come: they never count toward ``max_frame_bytes``. What is
read never depends on where the chunks were cut.

A bad frame raises :class:`StreamError` with the frame's index in the stream and every
problem, at JSON paths ``$[index].data...`` (the stream read as the array of its events, each
``{"event", "data"}`` as the spec writes them). The decoder goes on after it: nothing before
or after the bad frame is lost.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from typing import Any, Final, cast

import orjson

from ._codec import (
    UTF8_BOM,
    Model,
    dumps,
    exact_json,
    loads,
    parse_fast,
    parse_json,
    structure_parsed,
)
from ._endpoints import (
    APIError,
    answer_error,
    api_error,
    beyond_unknown,
    check_coherent,
    check_status,
    header_text,
)
from ._errors import ErrorCode, ErrorDetail, SchemaError, excerpt
from ._events import (
    EVENT_CLASSES,
    EVENT_DATA,
    STATUS_OF_EVENT,
    DoneEvent,
    MessageEvent,
    RunEvent,
    RunStepEvent,
    StreamEvent,
    UnknownEvent,
    client_error_data,
)
from ._kinds import MAX_DEPTH, BigInt
from ._runs import untimed
from ._values import FrozenMap, UnknownValue, enum_text, expect

__all__ = [
    "DEFAULT_MAX_FRAME_BYTES",
    "STREAM_CONTENT_TYPE",
    "STREAM_HEADERS",
    "StreamDecoder",
    "StreamError",
    "check_event",
    "chunks_of",
    "decode_stream",
    "encode_comment",
    "encode_event",
    "encode_events",
    "iter_stream",
    "aparse_stream_response",
    "parse_stream_response",
]

#: The largest frame a decoder holds by default (16 MiB): a run with the most instructions,
#: tools and metadata the API allows is well under it.
DEFAULT_MAX_FRAME_BYTES: Final = 16 * 2**20

#: A chunk of a stream: bytes, or text (``str``, read as its UTF-8 bytes).
Chunk = bytes | bytearray | memoryview | str

#: A whole stream (one chunk), or its chunks, of any of those types, mixed too.
StreamSource = Chunk | Iterable[Chunk]

#: The ``Content-Type`` of a stream response.
STREAM_CONTENT_TYPE: Final = "text/event-stream; charset=utf-8"

#: The headers a service answers a stream with (write them, then the frames as they come).
STREAM_HEADERS: Final[Mapping[str, str]] = FrozenMap(
    {"Content-Type": STREAM_CONTENT_TYPE, "Cache-Control": "no-cache"}
)

#: Lines of no known field listed per frame (strict mode): a frame of nothing else lists
#: this many, however large it is.
_MAX_BAD_LINES: Final = 100

_DONE: Final = DoneEvent()
_DONE_DATA: Final = b"[DONE]"
_QUOTED_DONE: Final = b'"[DONE]"'


class StreamError(SchemaError):
    """A frame of a stream that could not be read as an event: where, and every problem.

    ``index`` is the frame's place in the stream (0 for the first, counting bad frames too;
    a frame of nothing but lines of no SSE field, which strict mode reports, is no frame to
    lenient mode or to clients and takes no place: it shares the index of the next one),
    ``event`` its name as sent (``None`` when it had no ``event:`` line), ``errors`` the
    problems at paths ``$[index]`` (the frame), ``$[index].event`` or ``$[index].data...``.
    ``events`` holds the events read before it in the same :meth:`StreamDecoder.feed`, so that
    none is lost; feed on, and the decoder goes on after the bad frame. ``data`` is the
    frame's data as sent (its ``data:`` lines joined) when it had one that is UTF-8, else
    ``None``: what the server meant by a frame no event can be made of.

    >>> import runschema
    >>> try:
    ...     runschema.decode_stream(b"event: thread.run.created\\ndata: {}\\n\\n")
    ... except runschema.StreamError as e:
    ...     print(e.index, e.errors[0])
    0 $[0].data.id: required key 'id' is missing [missing]
    """

    def __init__(
        self,
        errors: Iterable[ErrorDetail],
        *,
        index: int,
        event: str | None = None,
        events: tuple[StreamEvent, ...] = (),
        data: str | None = None,
    ) -> None:
        self.index: int = index
        self.event = event
        self.events = events
        self.data = data
        super().__init__(errors)

    def __reduce__(self) -> tuple[Any, ...]:
        fields = (self.errors, self.index, self.event, self.events, self.data)
        return (_rebuild_stream_error, fields)


def _rebuild_stream_error(
    errors: tuple[ErrorDetail, ...],
    index: int,
    event: str | None,
    events: tuple[StreamEvent, ...],
    data: str | None = None,
) -> StreamError:
    return StreamError(errors, index=index, event=event, events=events, data=data)


def _problem(
    index: int, code: ErrorCode, message: str, *where: str, input: str | None = None
) -> ErrorDetail:
    return ErrorDetail(loc=(index, *where), code=code, message=message, input=input)


class StreamDecoder:
    """Read an Assistants stream incrementally: feed bytes in chunks of any size, get events.

    >>> import runschema
    >>> dec = runschema.StreamDecoder()
    >>> dec.feed(b'event: done\\r\\nda')
    []
    >>> dec.feed(b'ta: [DONE]\\r\\n\\r\\n')
    [DoneEvent(data='[DONE]', event='done')]
    >>> dec.close()
    []

    ``strict=True`` reads as a service checks what it sends; lenient, the default, reads
    what clients meet. What each mode makes of what servers get wrong:

    =====================================  ==========================  ===========================
    frame                                  lenient                     strict
    =====================================  ==========================  ===========================
    an unknown event name                  :class:`UnknownEvent`       ``unknown_event``
    ``data: {"event": ..., "data": ...}``  that event                  ``data_only_frame``
    with no ``event:`` line
    any other frame with no ``event:``     ``UnknownEvent("message")``  ``missing_event``
    ``data: [DONE]`` with no ``event:``    :class:`DoneEvent`          ``missing_event``
    ``event: done`` / ``data: "[DONE]"``   :class:`DoneEvent`          ``quoted_done``
    an ``event:`` with no ``data:``        ``missing_data``            ``missing_data``
    a line of no known field (``...``)     ignored, as SSE says        ``unknown_field``
    a last frame with no blank line        read                        ``truncated_frame``
    data that is not valid for its event   the data's problems         the data's problems
    a frame over ``max_frame_bytes``       ``frame_too_large``         ``frame_too_large``
    ``event:`` with an empty name          as no ``event:`` line       as no ``event:`` line
    a byte order mark starting the stream  skipped, as SSE says        ``encoding``
    =====================================  ==========================  ===========================

    Memory stays bounded by the largest frame:
    one larger than ``max_frame_bytes`` is refused (``frame_too_large``) and skipped.
    ``last_event_id`` and ``retry`` hold the last ``id:`` and ``retry:`` fields seen.
    """

    def __init__(self, *, strict: bool = False, max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES):
        # said here, not at the first feed (found by fuzzing: None and "10" were taken)
        if isinstance(max_frame_bytes, bool) or not isinstance(max_frame_bytes, int):
            raise TypeError(f"max_frame_bytes is an int, not {type(max_frame_bytes).__name__}")
        if max_frame_bytes < 1:
            raise ValueError(f"max_frame_bytes is at least 1, not {max_frame_bytes}")
        self.strict = strict
        self.max_frame_bytes = max_frame_bytes
        self.last_event_id: str | None = None
        self.retry: int | None = None
        #: how many frames were dispatched (events and bad frames)
        self.index: int = 0
        self._parts: list[bytes] = []  # the unfinished last line, in pieces
        self._partial = 0  # its length
        self._dropped = False  # that line was too long and let go: its end is no blank line
        self._cr = False  # the last chunk ended in \r: a \n starting the next one is its pair
        # complete lines not read yet (after a bad frame): a list and where in it reading
        # goes on, so that many bad frames in one chunk cost no copy each
        self._pending: list[bytes] = []
        self._at = 0
        self._skipping = False  # dropping the rest of an oversized frame
        self._head: bytes | None = b""  # the first bytes, until they are known to be no BOM
        self._closed = False
        self._reset()

    def _reset(self) -> None:
        self._event: bytes | None = None
        self._data: list[bytes] = []
        self._size = 0
        self._bad: list[ErrorDetail] = []  # strict: lines of no known field

    # --- bytes to lines ---------------------------------------------------------------------

    def feed(self, chunk: Chunk) -> list[StreamEvent]:
        """Read a chunk; return the events it completed (maybe none).

        A chunk of text (``str``: what ``response.text`` or ``iter_text()`` give) is read as
        its UTF-8 bytes.

        Raises :class:`StreamError` for a bad frame, with the events read before it in
        ``events``; what followed it is read by the next call (``feed(b"")`` will do).
        """
        if self._closed:
            raise ValueError("feed() after close()")
        if type(chunk) is not bytes:
            chunk = as_bytes(chunk, "feed() takes bytes or str")
        if self._head is not None:
            chunk = self._unmarked(chunk)
        if self._cr and chunk:
            self._cr = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if b"\n" not in chunk and b"\r" not in chunk:
            if chunk:
                # (lines held after a bad frame come first: the oversized frame being
                # skipped may end among them, and this belongs to the line after them)
                if not self._skipping or self._pending:
                    self._parts.append(chunk)
                    self._partial += len(chunk)
                elif not self._parts:  # skipped: only that the line is not blank matters
                    self._dropped = True
            lines: list[bytes] = []
        else:
            if self._parts:
                chunk = b"".join(self._parts) + chunk
                self._parts.clear()
                self._partial = 0
            if b"\r" in chunk:
                self._cr = chunk.endswith(b"\r")
                chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            lines = chunk.split(b"\n")
            tail = lines.pop()
            if self._dropped:  # the end of a line let go (see _check_size): not a blank line
                self._dropped = False
                del lines[0]
            if tail:
                self._parts.append(tail)
                self._partial = len(tail)
        start = 0
        if self._pending:  # lines held after a bad frame, then these (no copy of the held:
            self._pending.extend(lines)  # a chunk after each of many bad frames is linear)
            lines, start = self._pending, self._at
            self._pending, self._at = [], 0
        out = self._read(lines, start)
        if self._parts and not self._skipping:
            if self._parts[0][:1] == b":":  # a comment: nothing of it is needed, or counted
                self._parts = [b":"]
                self._partial = 1
            else:
                self._check_size(self._partial, out, partial=True)
        return out

    def _unmarked(self, chunk: bytes) -> bytes:
        """The first bytes of the stream without a byte order mark (UTF-8's), which SSE
        readers skip; strict mode reports it with the first frame, as the official Python
        client reads the first line as no field. Bytes that may yet be one are held."""
        head = self._head + chunk if self._head else chunk
        if len(head) < len(UTF8_BOM) and UTF8_BOM.startswith(head):
            self._head = head
            return b""
        self._head = None
        if not head.startswith(UTF8_BOM):
            return head
        if self.strict:
            self._bad.append(
                _problem(
                    self.index,
                    "encoding",
                    "the stream starts with a byte order mark (the official Python client "
                    "then reads its first line as no field)",
                )
            )
        return head[len(UTF8_BOM) :]

    def close(self) -> list[StreamEvent]:
        """End the stream: read what is left, and report a frame cut short.

        A last line or frame with no line end or blank line after it is ``truncated_frame``
        in strict mode; lenient mode reads it as if it had one.
        """
        self._closed = True
        out: list[StreamEvent] = []
        if self._head:  # fewer bytes than a byte order mark, and maybe the start of one
            self._parts.append(self._head)
            self._partial += len(self._head)
        self._head = None
        try:
            return self._closing(out)
        except StreamError as e:  # with the events read before it here, as feed() does
            e.events = (*out, *e.events)
            raise

    def _closing(self, out: list[StreamEvent]) -> list[StreamEvent]:
        """close()'s reading of what is held, into ``out``."""
        if self._pending:
            lines, start = self._pending, self._at
            self._pending, self._at = [], 0
            out += self._read(lines, start)
        cut_line = bool(self._partial)  # a last line with no line end: cut, whatever it holds
        if self._partial:
            line = b"".join(self._parts)
            self._parts.clear()
            self._partial = 0
            out += self._read([line])
        # (lines of no SSE field, which only strict mode keeps, are a frame cut short too:
        # found in use, a JSON body answered for a stream was no error at all; and a last
        # line that set nothing, ``event:`` cut before its name: found by a server author)
        opened = self._event is not None or self._data or self._bad
        if (opened or (cut_line and self.strict)) and not self._skipping:
            if self.strict:
                index, name, bad, lines = self.index, self._event_name(), self._bad, self._data
                data = _text_or_none(lines, b"\n".join(lines))  # what the frame meant
                self.index += 1
                self._reset()
                cut = _problem(index, "truncated_frame", "the stream ends inside this frame")
                raise StreamError(
                    [*bad, cut], index=index, event=name, data=data
                )  # (close adds out)
            out += self._read([b""])
        return out

    def _check_size(self, size: int, out: list[StreamEvent], *, partial: bool = False) -> None:
        """Raise ``frame_too_large`` when the frame read so far and a line of ``size`` bytes
        (the unfinished last line, when ``partial``) exceed ``max_frame_bytes``; the rest of
        the frame is then skipped."""
        if self._size + size <= self.max_frame_bytes:
            return
        index, name = self.index, self._event_name()
        self.index += 1
        self._reset()
        if partial:  # let the line go: its end is still to come (a complete line's tail is
            self._parts.clear()  # the next line's, kept)
            self._partial = 0
            self._dropped = True
        self._skipping = True
        raise StreamError(
            [
                _problem(
                    index,
                    "frame_too_large",
                    f"the frame is larger than {self.max_frame_bytes:,} bytes (max_frame_bytes)",
                )
            ],
            index=index,
            event=name,
            events=tuple(out),
        )

    # --- lines to frames --------------------------------------------------------------------

    def _read(self, lines: list[bytes], start: int = 0) -> list[StreamEvent]:
        """The events of ``lines`` from ``start``; after a bad frame, the lines past it are
        kept (not copied) for the next call."""
        out: list[StreamEvent] = []
        for i in range(start, len(lines)):
            line = lines[i]
            if self._skipping:
                if not line:
                    self._skipping = False
                    self._reset()
                continue
            if not line:
                if self._event is None and not self._data and not self._bad:
                    continue  # a blank line between frames, or after id:/retry: alone
                try:
                    out.append(self._dispatch())
                except StreamError as e:
                    self._pending, self._at = lines, i + 1
                    e.events = tuple(out)
                    raise
                continue
            if line[0] == 0x3A:  # ":" a comment (a heartbeat)
                continue
            colon = line.find(b":")
            if colon < 0:
                field, value = line, b""
            else:
                field, value = line[:colon], line[colon + 1 :]
                if value[:1] == b" ":
                    value = value[1:]
            try:
                self._check_size(len(line) + 1, out)
            except StreamError:
                self._pending, self._at = lines, i + 1
                raise
            self._size += len(line) + 1
            if field == b"data":
                self._data.append(value)
            elif field == b"event":
                self._event = value or None  # an empty name is none (SSE's "message")
            elif field == b"id":
                if b"\0" not in value:
                    self.last_event_id = value.decode("utf-8", "replace")
                    if self.strict and len(self._bad) < _MAX_BAD_LINES and _utf8(value) is None:
                        # (found by a stream trial: replaced with no word, where the same
                        # bytes on a data line are an encoding problem)
                        self._bad.append(
                            ErrorDetail(
                                loc=(self.index,),
                                code="encoding",
                                message="the id line is not UTF-8 (lone surrogates included)",
                            )
                        )
            elif field == b"retry":
                # past 18 digits, none (found by fuzzing: int() of 4,300 digits raised)
                if value.isdigit() and len(value) <= 18:
                    self.retry = int(value)
            elif self.strict and len(self._bad) < _MAX_BAD_LINES:
                shown = excerpt(line.decode("utf-8", "replace"))
                self._bad.append(  # each with its line: found by a trial, three alike
                    ErrorDetail(
                        loc=(self.index,),
                        code="unknown_field",
                        message="a line that is no SSE field (event, data, id, retry) "
                        f"nor a comment: {shown}",
                        input=shown,
                    )
                )
        return out

    def _event_name(self) -> str | None:
        return self._event_name_of(self._event)

    @staticmethod
    def _event_name_of(raw: bytes | None) -> str | None:
        return None if raw is None else raw.decode("utf-8", "replace")

    # --- frames to events -------------------------------------------------------------------

    def _dispatch(self) -> StreamEvent:
        raw_name, lines, problems = self._event, self._data, self._bad
        self._reset()
        index = self.index
        if raw_name is None and not lines:  # no event: only lines of no known field (strict)
            raise StreamError(problems, index=index)
        self.index += 1
        event: StreamEvent | None = None
        data = lines[0] if len(lines) == 1 else b"\n".join(lines)
        try:
            name = None if raw_name is None else raw_name.decode("utf-8")
        except UnicodeDecodeError:
            name = self._event_name_of(raw_name)
            problems.append(_problem(index, "encoding", "the event name is not UTF-8", "event"))
        else:
            if not lines:
                problems.append(_problem(index, "missing_data", "an event with no `data:` line"))
            else:
                event = self._event_of(index, name, data, problems)
        if problems:
            raise StreamError(problems, index=index, event=name, data=_text_or_none(lines, data))
        assert event is not None
        return event

    def _event_of(
        self, index: int, name: str | None, data: bytes, problems: list[ErrorDetail]
    ) -> StreamEvent | None:
        if name is None:
            return self._data_only(index, data, problems)
        known = EVENT_DATA.get(name)
        if known is None:
            if self.strict:
                problems.append(
                    _problem(
                        index,
                        "unknown_event",
                        f"an event this version does not know: {name!r}",
                        "event",
                        input=excerpt(name),
                    )
                )
                return None
            return self._unknown(index, name, data, problems)
        cls, data_cls = known
        if data_cls is None:  # done
            if data == _DONE_DATA or (data == _QUOTED_DONE and not self.strict):
                return _DONE
            code: ErrorCode = "quoted_done" if data == _QUOTED_DONE else "const"
            problems.append(
                _problem(
                    index,
                    code,
                    "the done event's data must be [DONE], unquoted",
                    "data",
                    input=excerpt(data.decode("utf-8", "replace")),
                )
            )
            return None
        try:
            value = loads(data, data_cls, strict=self.strict)
        except SchemaError as e:
            if name == "error" and not self.strict:  # the frame the official clients raise on
                text = _utf8(data)
                if text is not None and client_error_data(text):
                    return UnknownEvent(event=name, data=text)
            problems.extend(_rooted(index, e.errors))
            return None
        return cast(Any, cls)(event=name, data=value)  # type: ignore[no-any-return]

    def _data_only(
        self, index: int, data: bytes, problems: list[ErrorDetail]
    ) -> StreamEvent | None:
        if data in (_DONE_DATA, _QUOTED_DONE):
            if self.strict:
                problems.append(
                    _problem(index, "missing_event", "a [DONE] frame with no `event: done` line")
                )
                return None
            return _DONE
        try:
            obj = parse_fast(data)  # integers beyond 64 bits as floats: see _envelope
        except SchemaError:
            obj = None
        if type(obj) is dict and obj.keys() == {"event", "data"} and _one_line(obj["event"]):
            name: str = obj["event"]
            if self.strict:
                problems.append(
                    _problem(
                        index,
                        "data_only_frame",
                        f"the event {name!r} is sent as data-only JSON "
                        '({"event", "data"}) with no `event:` line',
                    )
                )
                return None
            return self._envelope(index, name, obj["data"], data, problems)
        if self.strict:
            problems.append(_problem(index, "missing_event", "a frame with no `event:` line"))
            return None
        return self._unknown(index, "message", data, problems)

    def _envelope(
        self, index: int, name: str, inner: Any, raw: bytes, problems: list[ErrorDetail]
    ) -> StreamEvent | None:
        known = EVENT_DATA.get(name)
        if known is None:  # its data as text, integer literals as they came
            exact = _exact_data(raw)
            value = inner if exact is None else exact
            try:  # indented first: orjson's compact writer takes no more than MAX_DEPTH
                deep = _DEEP_LINE in orjson.dumps(value, default=_as_written, option=_INDENT)
                if not deep:
                    text = orjson.dumps(value, default=_as_written)
            except orjson.JSONEncodeError:  # deeper than orjson writes (it reads deeper)
                deep = True
            if deep:
                message = "the data nests too deeply to be kept as an unknown event's text"
                problems.append(_problem(index, "too_deep", message, "data"))
                return None
            return UnknownEvent(event=name, data=text.decode())
        cls, data_cls = known
        if data_cls is None:
            if inner == "[DONE]":
                return _DONE
            problems.append(
                _problem(index, "const", "the done event's data must be [DONE]", "data")
            )
            return None
        if type(inner) is not dict:
            problems.append(
                _problem(index, "type", f"the data of {name!r} must be an object", "data")
            )
            return None
        try:
            value = structure_parsed(inner, data_cls, strict=False, exact=lambda: _exact_data(raw))
        except SchemaError as e:
            problems.extend(_rooted(index, e.errors))
            return None
        return cast(Any, cls)(event=name, data=value)  # type: ignore[no-any-return]

    @staticmethod
    def _unknown(
        index: int, name: str, data: bytes, problems: list[ErrorDetail]
    ) -> StreamEvent | None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(_problem(index, "encoding", "the data is not UTF-8", "data"))
            return None
        return UnknownEvent(event=name, data=text)


def _text_or_none(lines: list[bytes], data: bytes) -> str | None:
    """A bad frame's data as text: None when it had no ``data:`` line or is not UTF-8."""
    return _utf8(data) if lines else None


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


_INDENT: Final = orjson.OPT_INDENT_2
#: A line of an indented text inside a container at level MAX_DEPTH - 1: a text nesting
#: that deep is not written compact (see ``_kinds.MAX_DEPTH``).
_DEEP_LINE: Final = b"\n" + b" " * (2 * (MAX_DEPTH - 1))


def _exact_data(raw: bytes) -> Any:
    """The exact parse of a data-only frame's ``data`` (``{"event", "data"}``), or None when
    orjson's is exact (no integer literal beyond 64 bits)."""
    exact = exact_json(raw)
    return None if exact is None else exact["data"]


def _as_written(value: Any) -> orjson.Fragment:
    """An integer literal beyond 64 bits, written back as it came (see ``exact_json``)."""
    if isinstance(value, BigInt):
        return orjson.Fragment(value.text)
    raise TypeError(type(value).__name__)  # pragma: no cover - exact_json makes no other


def _rooted(index: int, errors: Iterable[ErrorDetail]) -> list[ErrorDetail]:
    return [
        ErrorDetail(loc=(index, "data", *e.loc), code=e.code, message=e.message, input=e.input)
        for e in errors
    ]


def decode_stream(
    source: StreamSource,
    *,
    strict: bool = False,
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
    on_error: Callable[[StreamError], None] | None = None,
) -> list[StreamEvent]:
    """Read a whole stream (bytes or text, or an iterable of chunks) into its events.

    A bad frame raises :class:`StreamError`, whose ``events`` are every event read before
    it; with ``on_error``, it is handed to that instead and reading goes on, so that one
    pass finds every bad frame.

    >>> import runschema
    >>> runschema.decode_stream(b"event: done\\ndata: [DONE]\\n\\n")
    [DoneEvent(data='[DONE]', event='done')]
    """
    read: list[StreamEvent] = []
    try:
        read.extend(
            iter_stream(source, strict=strict, max_frame_bytes=max_frame_bytes, on_error=on_error)
        )
    except StreamError as e:  # every event before the bad frame, whatever the chunking
        e.events = (*read, *e.events)
        raise
    return read


def iter_stream(
    source: StreamSource,
    *,
    strict: bool = False,
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
    on_error: Callable[[StreamError], None] | None = None,
) -> Iterator[StreamEvent]:
    """:func:`decode_stream`, as a generator: each event as soon as its frame is complete;
    at a bad frame, the events before it, then the :class:`StreamError` (its ``events``
    empty: they were yielded)."""
    dec = StreamDecoder(strict=strict, max_frame_bytes=max_frame_bytes)
    for chunk in chunks_of(source):
        yield from _fed(dec.feed, chunk, on_error)
    yield from _fed(lambda _: dec.close(), b"", on_error)


def chunks_of(source: StreamSource) -> Iterable[Chunk]:
    """A whole stream's bytes (or text) as one chunk, or the chunks given."""
    if isinstance(source, (bytes, bytearray, memoryview, str)):
        return (as_bytes(source),)
    return source


def as_bytes(chunk: object, what: str = "a stream is bytes or str") -> bytes:
    """A chunk of a stream as bytes: text is written as UTF-8 (a lone surrogate as the bytes
    that encode it, which the decoder then reports: ``encoding``); TypeError for anything
    else, saying ``what``."""
    if isinstance(chunk, (bytes, bytearray, memoryview)):
        try:
            return bytes(chunk)
        except ValueError:  # a released memoryview (found by fuzzing)
            raise TypeError(f"{what}, not a released memoryview") from None
    if isinstance(chunk, str):
        return chunk.encode("utf-8", "surrogatepass")
    raise TypeError(f"{what}, not {type(chunk).__name__}")


def _fed(
    step: Callable[[Chunk], list[StreamEvent]],
    chunk: Chunk,
    on_error: Callable[[StreamError], None] | None,
) -> Iterator[StreamEvent]:
    while True:
        try:
            events = step(chunk)
        except StreamError as e:
            # the events read before the bad frame come first, whatever the chunking (found
            # by an SDK author: in a chunk of their own they came, in the bad frame's chunk
            # only in e.events); then the error, which holds none of them again
            before, e.events = e.events, ()
            yield from before
            if on_error is None:
                raise
            on_error(e)
            chunk = b""
            continue
        yield from events
        return


# --- writing ------------------------------------------------------------------------------

_PREFIXES: Final[dict[str, bytes]] = {
    name: b"event: " + name.encode() + b"\ndata: " for name in EVENT_DATA
}
_DONE_FRAME: Final = b"event: done\ndata: [DONE]\n\n"


def encode_event(event: StreamEvent) -> bytes:
    """One event as its SSE frame: an ``event:`` line, one ``data:`` line of compact JSON, a
    blank line (``event: done`` / ``data: [DONE]`` for the end).

    Every event can be written (events are checked when built); a value that is no event
    raises TypeError.

    >>> import runschema
    >>> runschema.encode_event(runschema.DoneEvent())
    b'event: done\\ndata: [DONE]\\n\\n'
    """
    cls = type(event)
    if cls is DoneEvent:
        return _DONE_FRAME
    if cls is UnknownEvent:
        return _unknown_frame(event)  # type: ignore[arg-type]
    prefix = _PREFIXES.get(event.event) if cls in EVENT_CLASSES else None
    if prefix is None:  # events are checked when built: this is no event
        raise TypeError(f"{cls.__name__} is not a stream event")
    return prefix + dumps(event.data) + b"\n\n"  # a model: checked when built


def _one_line(name: object) -> bool:
    """Whether ``name`` can be an ``event:`` line's name: a string, not empty, one line."""
    return type(name) is str and name != "" and "\n" not in name and "\r" not in name


def _unknown_frame(event: UnknownEvent) -> bytes:
    # the name is one line, neither holds lone surrogates, the data no "\r" (checked when built)
    lines = event.data.split("\n")
    data = b"".join(b"data: " + line.encode("utf-8") + b"\n" for line in lines)
    return b"event: " + event.event.encode("utf-8") + b"\n" + data + b"\n"


def encode_events(events: Iterable[StreamEvent]) -> bytes:
    """A sequence of events as one stream body (add :class:`DoneEvent` to end it)."""
    return b"".join(map(encode_event, events))


def encode_comment(text: str = "keep-alive") -> bytes:
    """A comment frame that keeps a quiet connection open: ``b": keep-alive\\n\\n"``.

    Readers ignore it; send one every few seconds while a run has nothing to say.
    """
    expect(text, str, "a comment")
    if any(c in text for c in "\r\n"):
        raise ValueError("a comment must be one line")
    try:
        return b": " + text.encode("utf-8") + b"\n\n"
    except UnicodeEncodeError:  # found by a stream trial: a bare UnicodeEncodeError
        raise ValueError("a comment is UTF-8 text: it holds a lone surrogate") from None


# --- the streaming operations, both sides -------------------------------------------------


def check_event(event: StreamEvent, *, allow_unknown: bool = False) -> None:
    """ValueError unless ``event`` is what :func:`stream_response` sends with ``check`` (and
    ``allow_unknown``): for a server that writes events as they come (its ``__cause__``,
    when there is one, is the SchemaError with every problem).

    >>> import runschema
    >>> runschema.check_event(runschema.DoneEvent())
    """
    what = lambda e: f"the event ({e.event})"  # noqa: E731
    check_frames([event], encode_event(event), allow_unknown, what, "encode_event alone")
    check_coherent(event.data)  # a run's or a step's; other data passes


def _status_mismatch(event: StreamEvent, index: int, allow_unknown: bool) -> ErrorDetail | None:
    """The problem of an event whose name and data disagree, as ``check_stream`` reports it
    (see :func:`status_problem`)."""
    if not isinstance(event, (RunEvent, RunStepEvent, MessageEvent)):
        return None
    found = status_problem(event, allow_unknown)
    if found is None:
        return None
    field, message = found
    return _problem(index, "status_mismatch", message, "data", field)


def status_problem(
    event: RunEvent | RunStepEvent | MessageEvent, allow_unknown: bool
) -> tuple[str, str] | None:
    """The field of an event's data that disagrees with its name, and what to say of it: a
    status that is not the one the name says (``thread.run.completed`` carrying a ``queued``
    run: clients go by the name), or an end without its time (``completed_at: null``, where
    clients read when it ended; see :func:`runschema._runs.untimed`). With
    ``allow_unknown``, a status this version does not know passes. None when they agree."""
    want = STATUS_OF_EVENT[event.event]
    status = event.data.status
    if status == want:
        field = untimed(event.data)
        if field is None:
            return None
        return field, (
            f"{event.event!r} carries {field}: null, where clients read when its status was "
            "reached (advance_run, advance_step and advance_message write it)"
        )
    if allow_unknown and isinstance(status, UnknownValue):
        return None
    return "status", (
        f"{event.event!r} carries status {enum_text(status)!r}, not {want!r}: clients go by "
        "the event's name"
    )


def check_frames(
    events: list[StreamEvent],
    body: bytes,
    allow_unknown: bool,
    what: Callable[[StreamError], str],
    skip: str = "check=False",
) -> None:
    """ValueError for the first of ``events`` (written as ``body``, one frame each) that a
    strict reader refuses; with ``allow_unknown``, only for more than what a lenient read
    keeps (see :data:`runschema._endpoints.UNKNOWN_CODES`) and, of an unknown event, for
    data no client can read as JSON."""
    bad: dict[int, StreamError] = {}

    def keep(e: StreamError) -> None:
        bad.setdefault(e.index, e)

    decode_stream(body, strict=True, on_error=keep)
    for i, event in enumerate(events):  # in order: the first bad event is said
        e = bad.get(i)
        mismatch = _status_mismatch(event, i, allow_unknown)
        if e is None and mismatch is None:
            continue
        errors = [] if e is None else _beyond_unknown(event, i) if allow_unknown else e.errors
        if mismatch is not None:
            errors = [*errors, mismatch]
        if not errors:
            continue
        if e is None:  # a frame a reader takes, whose name says otherwise
            assert isinstance(event, (RunEvent, RunStepEvent, MessageEvent))  # (a mismatch)
            e = StreamError(errors, index=i, event=event.event, data=dumps(event.data).decode())
        elif errors is not e.errors:
            e = StreamError(errors, index=i, event=e.event, data=e.data)
        broken = (
            "disagrees with its name"
            if all(d.code == "status_mismatch" for d in e.errors)
            else "breaks the published schema"
        )
        raise answer_error(what(e), e, skip=skip, broken=broken) from e


def _beyond_unknown(event: StreamEvent, index: int) -> list[ErrorDetail]:
    """What ``allow_unknown`` still refuses of an event a strict reader refused."""
    if type(event) is UnknownEvent:  # (the clients' error frame too: a known name, no spec data)
        try:
            parse_json(event.data)
        except SchemaError:
            message = "an unknown event's data that is not JSON, which clients cannot read"
            return [_problem(index, "unreadable_event", message, "data")]
        return []
    data = getattr(event, "data", None)
    if not isinstance(data, Model):
        return []  # done: a strict reader refuses none
    return _rooted(index, beyond_unknown(dumps(data), type(data)))


def parse_stream_response(
    status: int,
    body: StreamSource,
    *,
    strict: bool = False,
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
    headers: Mapping[str, str] | None = None,
    on_error: Callable[[StreamError], None] | None = None,
) -> Iterator[StreamEvent]:
    """The events of the answer to a streaming request (client side: ``stream: true`` on
    create run, create thread and run, submit tool outputs), read as they come from
    ``body`` (the bytes, or an iterable of chunks).

    The server's errors are :class:`runschema.APIError`, as the official clients raise them:

    - a status that is not 2xx (the error is a JSON body then, not a stream), with the
      answer's ``headers`` when given (``request_id``, ``retry_after``);
    - an event whose name does not start with ``thread.`` (``error``, or none) and whose
      data is an object with an ``error`` key (``{"error": {"message": ...}}``): not the
      spec's ``error`` event (its data is the error object itself, an :class:`ErrorEvent`
      yielded as any event), but what servers send and the clients raise on.

    With ``headers``, a 2xx answer whose ``Content-Type`` says other than ``text/event-stream`` (a
    server that ignored ``stream: true`` and answered JSON) is a :class:`StreamError`
    (``input_type``, its body in the message) rather than a stream of nothing. A bad frame is
    a :class:`StreamError`; with ``on_error``, it is handed to that and reading goes on, as
    :func:`iter_stream` does. The events end at the first frame whose data starts with
    ``[DONE]`` (the done event), as the official clients' do: the rest of ``body`` is read,
    not decoded.

    >>> import runschema
    >>> list(runschema.parse_stream_response(200, [b"event: done\\n", b"data: [DONE]\\n\\n"]))
    [DoneEvent(data='[DONE]', event='done')]
    """
    status = _check_answer(status, headers)
    if not 200 <= status < 300 or _content_type(headers) not in (None, "text/event-stream"):
        if isinstance(body, (bytes, bytearray, memoryview, str)):
            data = as_bytes(body)
        else:
            data = _at_most(body, max_frame_bytes)
        if not 200 <= status < 300:
            raise api_error(status, data, headers)
        raise _no_stream(data, headers)
    reader = _ClientReader(status, headers, strict, max_frame_bytes, on_error)
    return reader.events(chunks_of(body))


async def aparse_stream_response(
    status: int,
    body: AsyncIterable[Chunk],
    *,
    strict: bool = False,
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
    headers: Mapping[str, str] | None = None,
    on_error: Callable[[StreamError], None] | None = None,
) -> AsyncIterator[StreamEvent]:
    """:func:`parse_stream_response` for an async client: ``body`` is the answer's chunks as
    they come (``httpx.Response.aiter_bytes()``, say), the events come as they are read, and
    the server's errors are the same (:class:`runschema.APIError`, raised when iterated).

    >>> import asyncio, runschema
    >>> async def chunks():
    ...     yield b"event: done\\ndata: [DONE]\\n\\n"
    >>> async def read():
    ...     return [e async for e in runschema.aparse_stream_response(200, chunks())]
    >>> asyncio.run(read())
    [DoneEvent(data='[DONE]', event='done')]
    """
    status = _check_answer(status, headers)
    if not hasattr(body, "__aiter__"):
        raise TypeError(f"body is an async iterable of chunks, not {type(body).__name__}")
    if not 200 <= status < 300 or _content_type(headers) not in (None, "text/event-stream"):
        kept = bytearray()
        async for chunk in body:
            kept += as_bytes(chunk)
            if len(kept) > max_frame_bytes:  # as _at_most reads
                break
        data = bytes(kept[:max_frame_bytes])
        if not 200 <= status < 300:
            raise api_error(status, data, headers)
        raise _no_stream(data, headers)
    reader = _ClientReader(status, headers, strict, max_frame_bytes, on_error)
    async for chunk in body:
        for event in reader.fed(chunk):
            yield event
    for event in reader.fed(None):
        yield event


def _at_most(chunks: Iterable[Chunk], limit: int) -> bytes:
    """The first ``limit`` bytes of an answer that is no stream (an error body, say), the
    rest not read: found by a client author, a proxy's 26 MB error page was read whole
    whatever ``max_frame_bytes`` said. Cut short, it is read as what it is: an excerpt."""
    kept = bytearray()
    for chunk in chunks:
        kept += as_bytes(chunk)
        if len(kept) > limit:
            break
    return bytes(kept[:limit])


def _check_answer(status: object, headers: object) -> int:
    """The status as an int, and the headers a mapping (RequestError, TypeError)."""
    checked = check_status(status)  # as Endpoint.parse_response says it
    if headers is not None and not isinstance(headers, Mapping):
        raise TypeError(f"headers must be a mapping, not {type(headers).__name__}")
    return checked


def _no_stream(data: bytes, headers: Mapping[str, str] | None) -> StreamError:
    """The error of a 2xx answer whose Content-Type is not a stream's."""
    text = data.decode("utf-8", "replace")
    kind = _content_type(headers)
    message = f"the answer is {kind}, not a stream (text/event-stream): {excerpt(text)}"
    return StreamError([_problem(0, "input_type", message)], index=0, data=text)


class _ClientReader:
    """A client's reading of a streamed answer, chunk by chunk (for the sync and the async
    parser alike): the decoder's events, the server's errors raised as APIError, bad frames
    handed to ``on_error`` (or raised)."""

    def __init__(
        self,
        status: int,
        headers: Mapping[str, str] | None,
        strict: bool,
        max_frame_bytes: int,
        on_error: Callable[[StreamError], None] | None,
    ) -> None:
        self.status, self.headers, self.on_error = status, headers, on_error
        self.decoder = StreamDecoder(strict=strict, max_frame_bytes=max_frame_bytes)
        self.done = False

    def events(self, chunks: Iterable[Chunk]) -> Iterator[StreamEvent]:
        for chunk in chunks:
            yield from self.fed(chunk)
        yield from self.fed(None)

    def fed(self, chunk: Chunk | None) -> Iterator[StreamEvent]:
        """The events of one more chunk (None: the end of the stream); none once a frame's
        data said ``[DONE]``: the official clients stop there (reading the rest, unread),
        so what a server sends after it reaches none of their users (found by a client
        author: events after done came out of this reader)."""
        if self.done:
            return
        step = (lambda _: self.decoder.close()) if chunk is None else self.decoder.feed
        for event in _fed(step, b"" if chunk is None else chunk, self._bad_frame):
            if self.done:  # a bad frame said [DONE] (see _bad_frame)
                return
            if type(event) is UnknownEvent and not event.event.startswith("thread."):
                server = _server_error(self.status, event.data, self.headers)
                if server is not None:
                    raise server
            yield event
            if type(event) is DoneEvent or (
                type(event) is UnknownEvent and event.data.startswith("[DONE]")
            ):
                self.done = True
                return

    def _bad_frame(self, e: StreamError) -> None:
        if self.done:  # a frame after [DONE], in its chunk: read, not decoded (found by a
            return  # trial: handed to on_error, or raised as the server's error)
        if e.data is not None and (e.event is None or not e.event.startswith("thread.")):
            server = _server_error(self.status, e.data, self.headers)
            if server is not None:
                raise server from None
        if e.data is not None and e.data.startswith("[DONE]"):
            self.done = True  # (a bad frame, said; the clients stop there all the same)
        if self.on_error is None:
            raise e
        self.on_error(e)


def _server_error(status: int, data: str, headers: Mapping[str, str] | None) -> APIError | None:
    """The APIError a frame's data says, when it is an object with a truthy ``error`` key."""
    if not data.lstrip(" \t\r\n").startswith("{"):
        return None
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if type(doc) is not dict or not doc.get("error"):
        return None
    return api_error(status, data.encode("utf-8", "surrogatepass"), headers)


def _content_type(headers: Mapping[str, str] | None) -> str | None:
    """The media type of ``headers``' Content-Type, lower case; None when there is none."""
    for key, text in (headers or {}).items():
        name, value = header_text(key), header_text(text)
        if name is not None and name.lower() == "content-type" and value is not None:
            # (one sent twice, by a proxy say, reads as both joined by ", ": the first)
            return value.split(",", 1)[0].split(";", 1)[0].strip().lower()
    return None
