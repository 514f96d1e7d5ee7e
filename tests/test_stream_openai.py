"""runschema's stream against the official ``openai`` client, over a real socket.

A stdlib server on 127.0.0.1 answers the streaming run operations with a body that
``runschema.encode_events`` wrote; the official client reads it as it would upstream's. Then
the wire shapes that break that client, one per row, each named by runschema's strict decoder
or its checker.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, get_args

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import runschema as rs
from tests.streams import base_run, message, step, text_delta, text_stream, tool_stream

openai = pytest.importorskip("openai")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.server.requests.append((self.path, orjson.loads(self.rfile.read(length) or b"{}")))
        body = self.server.body
        self.send_response(200)
        self.send_header("Content-Type", rs.STREAM_CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    body: bytes = b""
    requests: list[tuple[str, Any]]


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.requests = []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def client(server: _Server) -> Any:
    port = server.server_address[1]
    return openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="x", max_retries=0)


def _openai_class(name: str) -> type[Any]:
    """The official client's class for an event name."""
    from openai.types.beta import assistant_stream_event as m

    for cls in vars(m).values():
        fields = getattr(cls, "model_fields", {})
        if "event" in fields and name in get_args(fields["event"].annotation):
            return cls  # type: ignore[no-any-return]
    raise LookupError(name)


def _every_event() -> list[rs.StreamEvent]:
    """One event of each of the 25 names (not a valid order: for classes, not rules)."""
    run = base_run()
    events: list[rs.StreamEvent] = []
    for name, (cls, _) in rs.EVENT_DATA.items():
        status = name.rpartition(".")[2]
        if cls is rs.RunEvent:
            data: Any = attrs.evolve(run, status="queued" if status == "created" else status)  # type: ignore[arg-type]
            events.append(rs.RunEvent(name, data))  # type: ignore[arg-type]
        elif cls is rs.RunStepEvent:
            details = rs.ToolCallsDetails(tool_calls=())
            data = step("in_progress" if status == "created" else status, details)  # type: ignore[arg-type]
            events.append(rs.RunStepEvent(name, data))  # type: ignore[arg-type]
        elif cls is rs.MessageEvent:
            data = message("in_progress" if status == "created" else status, "Hi")  # type: ignore[arg-type]
            events.append(rs.MessageEvent(name, data))  # type: ignore[arg-type]
    tool = tool_stream()
    events += [
        text_stream()[0],
        text_delta(0, "Hi"),
        tool[5],
        rs.ErrorEvent(rs.ErrorObject(message="boom", type="server_error", code="x")),
        rs.DoneEvent(),
    ]
    return events


class TestOfficialClientReads:
    def test_every_event_as_its_class_with_equal_data(self, server: _Server, client: Any) -> None:
        events = _every_event()
        assert {e.event for e in events} == set(rs.EVENT_NAMES)
        server.body = rs.encode_events(events)
        got = list(client.beta.threads.runs.create("thread_1", assistant_id="asst_1", stream=True))
        assert len(got) == len(events) - 1  # the client stops at done
        for ours, theirs in zip(events, got, strict=False):
            assert type(theirs) is _openai_class(ours.event)
            assert theirs.event == ours.event
            dumped = theirs.data.model_dump(mode="json", exclude_unset=True)
            assert isinstance(ours.data, rs.Model)
            assert dumped == orjson.loads(rs.dumps(ours.data))

    def test_the_clients_error_frame_passes_through(self, server: _Server, client: Any) -> None:
        """Found by a gateway author: the error frame the official client raises on
        (``event: error`` with ``{"error": {...}}``) could not be written back (an
        UnknownEvent named error was refused, and an ErrorEvent the client yields as an
        event): a backend's failure reached the client as a normal event. Lenient decoding
        keeps it as an UnknownEvent, which encode_event writes back as it came."""
        frame = (
            b'event: error\ndata: {"error":{"message":"backend exploded","type":"server_error",'
            b'"param":null,"code":"boom"},"request_id":"req_9"}\n\n'
        )
        created = rs.encode_event(rs.RunEvent("thread.run.created", base_run()))
        events = rs.decode_stream(created + frame + rs.encode_event(rs.DoneEvent()))
        error = events[1]
        assert isinstance(error, rs.UnknownEvent)
        assert error.event == "error"
        server.body = rs.encode_events(events)
        assert server.body == created + frame + rs.encode_event(rs.DoneEvent())
        with pytest.raises(openai.APIError, match="backend exploded"):
            list(client.beta.threads.runs.create("thread_1", assistant_id="asst_1", stream=True))

    def test_stream_helper_final_run_and_text(self, server: _Server, client: Any) -> None:
        events = text_stream()
        server.body = rs.encode_events(events)
        deltas: list[str] = []

        from openai import AssistantEventHandler

        class Handler(AssistantEventHandler):
            def on_text_delta(self, delta: Any, snapshot: Any) -> None:
                deltas.append(delta.value)

        with client.beta.threads.create_and_run_stream(
            assistant_id="asst_1", event_handler=Handler()
        ) as stream:
            stream.until_done()
            final = stream.get_final_run()
            messages = stream.get_final_messages()
        completed = events[13]
        assert isinstance(completed, rs.RunEvent)
        assert final.status == "completed"
        assert final.model_dump(mode="json", exclude_unset=True) == orjson.loads(
            rs.dumps(completed.data)
        )
        assert deltas == ["Hello", " there", "!"]
        assert messages[0].content[0].text.value == "Hello there!"
        assert server.requests[-1][0] == "/v1/threads/runs"
        assert server.requests[-1][1]["stream"] is True

    def test_the_readmes_streamed_message(self, server: _Server, client: Any) -> None:
        """The README's example of a message streamed (found by a server author: there was
        none, and a request's TextPart is easily taken for a message's TextContentPart) runs
        as written, and the official client's helper reads the text it streams."""
        import re
        from pathlib import Path

        readme = (Path(__file__).parent.parent / "README.md").read_text()
        after = readme.split("A message streamed as a server writes it", 1)[1]
        code = re.search(r"```python\n(.*?)```", after, re.S)
        assert code is not None
        run = base_run("in_progress")
        written: list[bytes] = []
        namespace = {"runschema": rs, "attrs": attrs, "now": run.created_at, "run": run}
        exec(code[1], namespace | {"write": written.append})  # the README, as written
        events = [
            rs.RunEvent("thread.run.created", base_run()),
            rs.RunEvent("thread.run.in_progress", run),
            *rs.decode_stream(b"".join(written), strict=True),
            rs.RunEvent(
                "thread.run.completed", rs.advance_run(run, "completed", at=run.created_at)
            ),
            rs.DoneEvent(),
        ]
        assert rs.check_stream(events) == []
        server.body = rs.encode_events(events)
        with client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1") as s:
            s.until_done()
            (message,) = s.get_final_messages()
        assert (message.id, message.content[0].text.value) == ("msg_1", "Hello")

    def test_an_error_event_is_lost_to_the_stream_helpers(
        self, server: _Server, client: Any
    ) -> None:
        """The client's behaviour the README states (found in use): ``create(stream=True)``
        reads the spec's error event as ``ErrorEvent``, the stream helpers read its data as an
        event of their own, nameless, and raise nothing; ``thread.run.failed`` reaches both."""
        run = base_run()
        error = rs.ErrorEvent(rs.ErrorObject(message="boom", type="server_error", code="x"))
        failed = attrs.evolve(
            run,
            status="failed",
            last_error=rs.LastError(code="server_error", message="boom"),
        )
        server.body = rs.encode_events(
            [rs.RunEvent("thread.run.created", run), error, rs.DoneEvent()]
        )
        got = list(client.beta.threads.runs.create("thread_1", assistant_id="asst_1", stream=True))
        assert [type(e).__name__ for e in got] == ["ThreadRunCreated", "ErrorEvent"]
        with client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1") as s:
            seen = list(s)
        assert [(type(e).__name__, e.event) for e in seen] == [
            ("ThreadRunCreated", "thread.run.created"),
            ("ThreadCreated", None),
        ]
        created, ended = (
            rs.RunEvent("thread.run.created", run),
            rs.RunEvent("thread.run.failed", failed),
        )
        server.body = rs.encode_events([created, ended, rs.DoneEvent()])
        with client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1") as s:
            s.until_done()
            final = s.get_final_run()
        assert (final.status, final.last_error.message) == ("failed", "boom")

    def test_requires_action_then_submit_tool_outputs(self, server: _Server, client: Any) -> None:
        server.body = rs.encode_events(tool_stream())
        with client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1") as s:
            s.until_done()
            waiting = s.get_final_run()
            steps = s.get_final_run_steps()
        assert waiting.status == "requires_action"
        call = waiting.required_action.submit_tool_outputs.tool_calls[0]
        assert (call.id, call.function.name) == ("call_1", "get_weather")
        # the helper merged the argument deltas into the step's tool call
        assert steps[0].step_details.tool_calls[0].function.arguments == '{"city":"Paris"}'

        run = base_run()
        finished: list[rs.StreamEvent] = [
            rs.RunStepEvent(
                "thread.run.step.completed", step("completed", rs.ToolCallsDetails(tool_calls=()))
            ),
            rs.RunEvent("thread.run.queued", run),
            rs.RunEvent("thread.run.in_progress", attrs.evolve(run, status="in_progress")),
            rs.RunEvent(
                "thread.run.completed",
                attrs.evolve(run, status="completed", completed_at=run.created_at),
            ),
            rs.DoneEvent(),
        ]
        assert rs.check_stream(finished) == []
        server.body = rs.encode_events(finished)
        with client.beta.threads.runs.submit_tool_outputs_stream(
            run_id="run_1",
            thread_id="thread_1",
            tool_outputs=[{"tool_call_id": "call_1", "output": "18C"}],
        ) as s:
            s.until_done()
            assert s.get_final_run().status == "completed"
        path, body = server.requests[-1]
        assert path == "/v1/threads/thread_1/runs/run_1/submit_tool_outputs"
        # what the client sent is a valid body, by runschema's strict reading
        params = rs.SUBMIT_TOOL_OUTPUTS.parse_request(orjson.dumps(body))
        assert params.stream is True
        assert params.tool_outputs[0].output == "18C"


# --- what breaks the client, and who names it ---------------------------------------------


def _frames(events: list[rs.StreamEvent]) -> list[bytes]:
    return [rs.encode_event(e) for e in events]


def _data_only(events: list[rs.StreamEvent]) -> bytes:
    out = b""
    for e in events:
        if isinstance(e, rs.DoneEvent):
            data = b'"[DONE]"'
        else:
            assert isinstance(e.data, rs.Model)
            data = rs.dumps(e.data)
        out += b'data: {"event":"' + e.event.encode() + b'","data":' + data + b"}\n\n"
    return out


def _quoted_done() -> bytes:
    return rs.encode_events(text_stream()[:-1]) + b'event: done\ndata: "[DONE]"\n\n'


def _message_delta_first() -> bytes:
    events = text_stream()
    return b"".join(_frames(events[:6] + events[8:9] + events[6:8] + events[9:]))


def _step_delta_first() -> bytes:
    events = tool_stream()
    return b"".join(_frames(events[:3] + events[5:6] + events[3:5] + events[6:]))


def _no_terminal() -> bytes:
    events = text_stream()
    return rs.encode_events(events[:13] + events[14:])


def _fresh_delta_ids() -> bytes:
    events = text_stream()
    events[9] = text_delta(0, " there", id="msg_x1")
    events[10] = text_delta(0, "!", id="msg_x2")
    return rs.encode_events(events)


def _no_blank_after_done() -> bytes:
    return rs.encode_events(text_stream())[:-1]


def _raised_midway() -> bytes:
    return rs.encode_events(text_stream()[:9])


#: wire shape -> what runschema says: (strict decoder's (index, codes)), checker's (path, code)
BROKEN: dict[str, tuple[Any, list[tuple[int, list[str]]], list[tuple[str, str]]]] = {
    "data-only frames": (
        lambda: _data_only(text_stream()),
        [(i, ["data_only_frame"]) for i in range(15)],
        [],
    ),
    'quoted "[DONE]"': (_quoted_done, [(14, ["quoted_done"])], []),
    "message delta before created": (
        _message_delta_first,
        [],
        [
            ("$[6].data.id", "delta_before_created"),
            # what the part needs came in the delta the client could not apply: the next one
            # introduces the part without it
            ("$[9].data.delta.content[0].text.annotations", "missing"),
            ("$[11].data.content[0].text.value", "content_mismatch"),
        ],
    ),
    "step delta before created": (
        _step_delta_first,
        [],
        [
            ("$[3].data.id", "delta_before_created"),
            # the call's id and name came in the delta the client could not apply: the next
            # one introduces the call without them
            ("$[6].data.delta.step_details.tool_calls[0].id", "missing"),
            ("$[6].data.delta.step_details.tool_calls[0].function.name", "missing"),
            ("$[8].data.required_action.submit_tool_outputs.tool_calls[0]", "content_mismatch"),
        ],
    ),
    "no terminal run event": (_no_terminal, [], [("$[13]", "no_terminal")]),
    "a fresh id for every delta": (
        _fresh_delta_ids,
        [],
        [
            ("$[9].data.id", "delta_before_created"),
            ("$[10].data.id", "delta_before_created"),
            ("$[11].data.content[0].text.value", "content_mismatch"),
        ],
    ),
    "no blank line after [DONE]": (_no_blank_after_done, [(14, ["truncated_frame"])], []),
    "an exception midway, no error event": (
        _raised_midway,
        [],
        [("$", "no_terminal"), ("$", "missing_done")],
    ),
}


@pytest.mark.parametrize("shape", list(BROKEN))
def test_broken_wire_shapes_are_named(shape: str) -> None:
    make, decoder, checker = BROKEN[shape]
    body: bytes = make()
    errors: list[rs.StreamError] = []
    events = rs.decode_stream(body, strict=True, on_error=errors.append)
    assert [(e.index, [d.code for d in e.errors]) for e in errors] == decoder
    if not decoder:
        assert [(p.path, p.code) for p in rs.check_stream(events)] == checker
    # lenient mode reads what it can, and the same order problems stand
    lenient = rs.decode_stream(body, on_error=lambda e: None)
    if shape in ("data-only frames", 'quoted "[DONE]"', "no blank line after [DONE]"):
        assert lenient == text_stream()


def test_the_broken_shapes_do_break_the_client(server: _Server, client: Any) -> None:
    """Why the rows matter: three of them, against the official helper."""
    for make, exc in (
        (_message_delta_first, RuntimeError),
        (_step_delta_first, KeyError),
        (_quoted_done, AttributeError),
    ):
        server.body = make()
        with (
            pytest.raises(exc),
            client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1") as s,
        ):
            s.until_done()
    server.body = _no_terminal()
    with client.beta.threads.runs.stream(thread_id="thread_1", assistant_id="asst_1") as s:
        s.until_done()
        assert s.get_final_run().status == "in_progress"  # silently not final


def _call_delta(index: int, **fields: Any) -> rs.RunStepDeltaEvent:
    """A step delta for step_1 carrying one function call entry."""
    call = rs.DeltaFunctionCall(index=index, **fields)
    details = rs.DeltaToolCallsDetails(tool_calls=(call,))
    return rs.RunStepDeltaEvent(
        rs.RunStepDelta(id="step_1", delta=rs.RunStepDeltaFields(step_details=details))
    )


def _calls_done(server: _Server, client: Any, events: list[rs.StreamEvent]) -> tuple[Any, Any]:
    """Stream ``events`` to the official helper: the run it ends with, and each tool call it
    said was done as (id, name, arguments)."""
    run, said = _calls_said(server, client, events)
    return run, [fields for when, fields in said if when == "done"]


def _calls_said(
    server: _Server, client: Any, events: list[rs.StreamEvent]
) -> tuple[Any, list[tuple[str, tuple[Any, Any, Any]]]]:
    """Stream ``events`` to the official helper: the run it ends with, and each tool call it
    said was created or done, in order, as ("created" or "done", (id, name, arguments))."""
    from openai import AssistantEventHandler

    said: list[tuple[str, tuple[Any, Any, Any]]] = []

    def fields(tool_call: Any) -> tuple[Any, Any, Any]:
        f = getattr(tool_call, "function", None)
        return tool_call.id, getattr(f, "name", None), getattr(f, "arguments", None)

    class Handler(AssistantEventHandler):
        def on_tool_call_created(self, tool_call: Any) -> None:
            said.append(("created", fields(tool_call)))

        def on_tool_call_done(self, tool_call: Any) -> None:
            said.append(("done", fields(tool_call)))

    return _streamed(server, client, events, Handler()), said


def _streamed(server: _Server, client: Any, events: list[rs.StreamEvent], handler: Any) -> Any:
    """Stream ``events`` to the official helper with ``handler``: the run it ends with."""
    server.body = rs.encode_events(events)
    with client.beta.threads.runs.stream(
        thread_id="thread_1", assistant_id="asst_1", event_handler=handler
    ) as s:
        s.until_done()
        return s.get_final_run()


def test_the_helper_hands_on_the_call_the_deltas_made(server: _Server, client: Any) -> None:
    """Why check_stream compares required_action with the step's deltas: the official
    helper's on_tool_call_done gets the call the deltas built, whatever the run requires."""
    events = tool_stream()
    events[5] = _call_delta(
        0, id="call_OTHER", function=rs.DeltaFunction(name="delete_all", arguments="", output=None)
    )
    waiting, done = _calls_done(server, client, events)
    call = waiting.required_action.submit_tool_outputs.tool_calls[0]
    assert (call.id, call.function.name) == ("call_1", "get_weather")
    assert [(i, name) for i, name, _ in done] == [("call_OTHER", "delete_all")]
    assert [p.code for p in rs.check_stream(events)] == ["content_mismatch"]


def test_going_back_to_a_call_makes_the_helper_say_it_is_done_early(
    server: _Server, client: Any
) -> None:
    """Why check_stream refuses a delta that goes back to an earlier call: the official
    helper says a call is done whenever a delta moves on to another one."""
    events = tool_stream()
    events[5:8] = [
        _call_delta(0, id="call_1", function=rs.DeltaFunction(name="get_weather", arguments="{")),
        _call_delta(1, id="call_2", function=rs.DeltaFunction(name="get_time", arguments="{")),
        _call_delta(0, function=rs.DeltaFunction(arguments="}")),
        _call_delta(1, function=rs.DeltaFunction(arguments="}")),
    ]
    _, done = _calls_done(server, client, events)
    assert done[0] == ("call_1", "get_weather", "{")  # said done with half its arguments
    codes = [(p.path, p.code) for p in rs.check_stream(events)]
    assert ("$[7].data.delta.step_details.tool_calls[0].index", "content_index") in codes


def test_a_call_introduced_without_its_id_reaches_the_helper_without_it(
    server: _Server, client: Any
) -> None:
    """Why check_stream wants a new call's id and name in the delta that introduces it: the
    official helper's on_tool_call_created gets the call as that delta made it."""
    events = tool_stream()
    events[5] = _call_delta(0, function=rs.DeltaFunction(arguments="", output=None))
    events[6] = _call_delta(
        0, id="call_1", function=rs.DeltaFunction(name="get_weather", arguments='{"city":')
    )
    _, said = _calls_said(server, client, events)
    assert said == [
        ("created", (None, None, "")),
        ("done", ("call_1", "get_weather", '{"city":"Paris"}')),
    ]
    assert [p.code for p in rs.check_stream(events)] == ["missing", "missing"]


def test_a_part_introduced_without_what_it_needs_reaches_the_helper_without_it(
    server: _Server, client: Any
) -> None:
    """Found by a server author: a text part's first delta without ``annotations`` (the
    delta's default) passed check_stream, and the official helper's on_text_done, when the
    next part began, got a text whose annotations were None; a handler's loop over them
    raised. The spec's own streams send ``"annotations": []`` first."""
    from openai import AssistantEventHandler

    events = text_stream()
    events[8] = text_delta(0, "Hello")  # no annotations
    done = events[11]
    assert isinstance(done, rs.MessageEvent)
    more = rs.TextContentPart(text=rs.MessageText(value="More", annotations=()))
    events[11] = rs.MessageEvent(
        "thread.message.completed",
        attrs.evolve(done.data, content=(*done.data.content, more)),
    )
    events.insert(11, text_delta(1, "More", first=True))
    seen: list[Any] = []

    class Handler(AssistantEventHandler):
        def on_text_done(self, text: Any) -> None:
            seen.append(text.annotations)

    _streamed(server, client, events, Handler())
    assert seen[0] is None
    assert [(p.path, p.code) for p in rs.check_stream(events)] == [
        ("$[8].data.delta.content[0].text.annotations", "missing")
    ]


def test_a_message_open_when_the_run_waits_is_never_done(server: _Server, client: Any) -> None:
    """Found by a stream differential: a message still streaming when the run waited
    (requires_action) passed check_stream, and the official helper never called
    on_message_done or on_text_done for it: a handler that writes text when it is done
    wrote nothing."""
    from openai import AssistantEventHandler

    text = text_stream()
    waiting = tool_stream()[8]
    events = [*text[:11], waiting, rs.DoneEvent()]
    said: list[str] = []

    class Handler(AssistantEventHandler):
        def on_text_done(self, text: Any) -> None:
            said.append("text done")

        def on_message_done(self, message: Any) -> None:
            said.append("message done")

    _streamed(server, client, events, Handler())
    assert said == []
    assert [p.code for p in rs.check_stream(events)] == ["left_open", "left_open"]


# --- the checker's merge against the client's own ------------------------------------------

_KEYS = st.sampled_from(["index", "type", "value", "id", "items", "n", "note"])
_SCALARS = st.none() | st.booleans() | st.integers(-3, 3) | st.text("ab", max_size=2)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(_KEYS, inner, max_size=3)
        | st.lists(
            st.fixed_dictionaries({"index": st.integers(-2, 3)}, optional={"value": inner}),
            max_size=3,
        )
    ),
    max_leaves=12,
)


@given(
    start=st.dictionaries(_KEYS, _JSON, max_size=3),
    deltas=st.lists(st.dictionaries(_KEYS, _JSON, max_size=3), min_size=1, max_size=4),
)
@settings(max_examples=400, deadline=None)
def test_the_checker_merges_as_the_client_does(
    start: dict[str, Any], deltas: list[dict[str, Any]]
) -> None:
    """The checker's model of a client's snapshot is the official helper's
    ``accumulate_delta`` exactly: the same result, and a problem wherever it raises."""
    from openai.lib.streaming._deltas import accumulate_delta

    from runschema._deltas import merge as _merge

    theirs: Any = copy.deepcopy(start)
    ours = copy.deepcopy(start)
    for delta in deltas:
        problems: list[tuple[str, str]] = []

        def problem(code: str, message: str, *where: str | int) -> None:
            problems.append((code, message))  # noqa: B023 - used at once

        _merge(ours, copy.deepcopy(delta), problem, ())
        try:
            accumulate_delta(theirs, copy.deepcopy(delta))  # type: ignore[arg-type]
        except (RuntimeError, TypeError):
            assert any(c == "content_index" and "raises" in m for c, m in problems), problems
            return
        assert ours == theirs


def _code_delta(*outputs: dict[str, Any], first: bool = False) -> rs.StreamEvent:
    """A step delta for step_1's code interpreter call at index 1 (``first``: the one that
    introduces it, with its id, input and outputs)."""
    call: dict[str, Any] = {"index": 1, "type": "code_interpreter"}
    if first:
        call["id"] = "call_ci"
    call["code_interpreter"] = {"outputs": list(outputs), **({"input": ""} if first else {})}
    data = {
        "id": "step_1",
        "object": "thread.run.step.delta",
        "delta": {"step_details": {"type": "tool_calls", "tool_calls": [call]}},
    }
    event: rs.StreamEvent = rs.loads(
        orjson.dumps({"event": "thread.run.step.delta", "data": data}), rs.StreamEvent
    )
    return event


def test_an_entry_introduced_without_what_it_needs_reaches_the_helper_without_it(
    server: _Server, client: Any
) -> None:
    """Found by a trial: a code interpreter's image output introduced by a delta without its
    ``image`` passed check_stream, and the official helper's handlers got ``image=None``
    (a handler reading ``output.image.file_id`` raised), even after a later delta added it.
    An entry of an indexed list inside a part is kept as the delta that introduces it makes
    it, as a part is."""
    from openai import AssistantEventHandler

    events = tool_stream()
    at = "$[9].data.delta.step_details.tool_calls[0].code_interpreter.outputs[0]"
    events[8:8] = [
        _code_delta(first=True),
        _code_delta({"index": 0, "type": "image"}),
        _code_delta({"index": 0, "type": "image", "image": {"file_id": "file_1"}}),
    ]
    seen: list[Any] = []

    class Handler(AssistantEventHandler):
        def on_tool_call_delta(self, delta: Any, snapshot: Any) -> None:
            if snapshot.type == "code_interpreter" and snapshot.code_interpreter.outputs:
                seen.append(snapshot.code_interpreter.outputs[0].image)

    _streamed(server, client, events, Handler())
    assert seen[0] is None
    found = rs.check_stream(events)
    assert [(p.path, p.code) for p in found] == [(f"{at}.image", "missing")]
    assert found[0].message == (
        "a new image entry without its image: the Python helper keeps the entry as this delta "
        "makes it, None for what it lacks"
    )
    # whole in the delta that introduces it, as upstream sends it: nothing to name, and the
    # later deltas that add to an entry need nothing
    events[9] = _code_delta({"index": 0, "type": "image", "image": {"file_id": "file_1"}})
    events[10] = _code_delta({"index": 1, "type": "logs", "logs": "a"})
    events.insert(11, _code_delta({"index": 1, "type": "logs", "logs": "b"}))
    assert rs.check_stream(events) == []
    # in the delta that introduces the call too, and an image without its file_id
    events[8:12] = [_code_delta({"index": 0, "type": "image", "image": {}}, first=True)]
    assert [(p.path, p.code) for p in rs.check_stream(events)] == [
        (f"{at.replace('[9]', '[8]')}.image.file_id", "missing")
    ]
