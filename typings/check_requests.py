"""Static contract of the modify-run builder: checked by mypy --strict, never run.

The builders carry ``typing_extensions.deprecated`` (static only, no runtime warning): with
``enable_error_code = ["deprecated"]`` mypy reports every use. Each use below is marked, so
``warn_unused_ignores`` fails this check if the deprecation stops being visible.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Literal

from typing_extensions import assert_type

import runschema
from runschema import MODIFY_RUN, Request, Run, RunUpdateParams

req = runschema.modify_run("thread_1", "run_1", metadata={"a": "b"})  # type: ignore[deprecated]
assert_type(req, Request)
assert_type(req.body, bytes)
get = runschema.retrieve_run("thread_1", "run_1")  # type: ignore[deprecated]
assert_type(get.method, Literal["GET", "POST"])

assert_type(runschema.parse_run_response(200, b"{}"), Run)
assert_type(runschema.validate_modify_run_request(b"{}"), RunUpdateParams)
assert_type(MODIFY_RUN.match("/threads/t/runs/r"), dict[str, str] | None)

# Misuse that must be rejected.
runschema.modify_run("t", "r", metadata={"a": 1})  # type: ignore[deprecated, dict-item]
runschema.modify_run("t", "r", {"a": "b"})  # type: ignore[deprecated, call-arg]
runschema.parse_run_response("200", b"{}")  # type: ignore[arg-type]

# The generic endpoint: request and response types flow through.
assert_type(MODIFY_RUN.parse_request(b"{}"), RunUpdateParams)
assert_type(MODIFY_RUN.parse_response(200, b"{}"), Run)
assert_type(MODIFY_RUN.request(RunUpdateParams(), thread_id="t", run_id="r"), Request)
assert_type(runschema.RETRIEVE_RUN.parse_response(200, b"{}"), Run)
answer_headers = {"x-request-id": "req_1"}  # httpx's Headers is a Mapping[str, str] too
assert_type(runschema.RETRIEVE_RUN.parse_response(200, b"{}", headers=answer_headers), Run)
try:
    runschema.parse_run_response(429, b"", headers=answer_headers)
except runschema.APIError as e:
    assert_type(e.request_id, str | None)
    assert_type(e.retry_after, float | None)
    assert_type(e.headers, runschema.FrozenMap[str])
MODIFY_RUN.request(Run, thread_id="t", run_id="r")  # type: ignore[arg-type]

# The server's helpers added for the runs resource: each says what it gives.
body = runschema.CreateRunParams(assistant_id="a")
defaults = runschema.RunDefaults(model="m")
made = runschema.new_run(
    body, id="r", thread_id="t", created_at=datetime.now(timezone.utc), defaults=defaults
)
assert_type(made, Run)
assert_type(runschema.cannot_cancel(made), runschema.Response)
assert_type(runschema.not_awaiting_tool_outputs(made), runschema.Response)
outputs = runschema.SubmitToolOutputsParams(tool_outputs=())
assert_type(runschema.check_tool_outputs(made, outputs), dict[str, str])
assert_type(
    runschema.RETRIEVE_RUN.respond(made, headers={"openai-poll-after-ms": "100"}),
    runschema.Response,
)
runschema.new_run(body, id="r", thread_id="t", created_at=0, defaults=defaults)  # type: ignore[arg-type]

# A route's endpoint is any operation's; the operation's own constant is typed.
found = runschema.route("POST", "/v1/threads/t/runs")
if found is not None and found.endpoint is runschema.CREATE_RUN:
    assert_type(runschema.CREATE_RUN.parse_request(b"{}"), runschema.CreateRunParams)

message = runschema.loads(b"{}", runschema.Message)
step = runschema.loads(b"{}", runschema.RunStep)
assert_type(
    runschema.apply_deltas(message, [runschema.loads(b"{}", runschema.MessageDelta)]),
    runschema.Message,
)
assert_type(
    runschema.apply_delta(step, runschema.loads(b"{}", runschema.RunStepDelta)), runschema.RunStep
)
runschema.apply_deltas(message, [runschema.loads(b"{}", runschema.RunStepDelta)])  # type: ignore[list-item]


# The client's stream parsers, sync and async: events in, typed; the server's errors raised.
async def _chunks() -> AsyncIterator[bytes]:
    yield b"event: done\ndata: [DONE]\n\n"


assert_type(
    runschema.aparse_stream_response(200, _chunks(), headers=answer_headers),
    AsyncIterator[runschema.StreamEvent],
)
assert_type(
    runschema.parse_stream_response(200, [b""], headers=answer_headers),
    Iterator[runschema.StreamEvent],
)
runschema.aparse_stream_response(200, [b""])  # type: ignore[arg-type]


# Chunks of bytes, of text (``response.text``, ``iter_text()``) or of any buffer, mixed too.
def _mixed() -> Iterator[bytes | str | bytearray | memoryview]:
    yield b"event: done\n"
    yield "data: [DONE]\n\n"


async def _text_chunks() -> AsyncIterator[str]:
    yield "event: done\ndata: [DONE]\n\n"


async def _buffer_chunks() -> AsyncIterator[bytearray]:
    yield bytearray(b"event: done\ndata: [DONE]\n\n")


assert_type(runschema.decode_stream(_mixed()), list[runschema.StreamEvent])
assert_type(runschema.decode_stream("event: done\ndata: [DONE]\n\n"), list[runschema.StreamEvent])
assert_type(runschema.iter_stream([bytearray(b"")]), Iterator[runschema.StreamEvent])
assert_type(runschema.validate_stream([memoryview(b""), ""]), list[runschema.ErrorDetail])
assert_type(runschema.parse_stream_response(200, _mixed()), Iterator[runschema.StreamEvent])
assert_type(
    runschema.aparse_stream_response(200, _text_chunks()), AsyncIterator[runschema.StreamEvent]
)
assert_type(
    runschema.aparse_stream_response(200, _buffer_chunks()), AsyncIterator[runschema.StreamEvent]
)
assert_type(runschema.StreamDecoder().feed("data: x\n"), list[runschema.StreamEvent])
runschema.decode_stream([1])  # type: ignore[list-item]


# A gateway passes a route's path parameters on as a mapping (typed, unlike **params).
found = runschema.route("POST", "/v1/threads/t/runs")
if found is not None:
    assert_type(
        runschema.CREATE_RUN.request({"assistant_id": "a"}, check=False, path=found.params),
        Request,
    )

# the event a status names, typed (an f-string name is a str: found by a server author)
assert_type(runschema.RunEvent.of(made), runschema.RunEvent)
runschema.encode_event(runschema.RunEvent.of(made))
