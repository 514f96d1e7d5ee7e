"""End to end over a real socket: the whole runs resource served by
``examples/compat_server.py`` (runschema's public API and the standard library only), driven
by the official ``openai`` client.

The example server is looked on: each request and answer is kept for the tests to read, and
two thread ids stand for a busy and a broken server (``rate_limited``, 429, and
``server_error``, 500). Its clock is a counter, so that times are deterministic, and its
stand-in worker moves a run one status each time it is retrieved (see the example's
docstring), which lets the client's own poll helper drive it.

The installed ``openai`` package still has ``client.beta.threads`` (3.57.0 when this was
written: ``create_and_run``, ``runs.create/retrieve/list/update/cancel/submit_tool_outputs/poll``
and ``runs.steps.list/retrieve``), so every operation goes through the client's own resource
methods. Only requests the typed methods cannot send (a body without ``assistant_id``, an
unknown path, a wrong method) use ``client.post`` / ``client.get`` / ``client.delete`` with
``cast_to=openai.types.beta.threads.Run``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs
import orjson
import pytest

import runschema
from examples import compat_server as compat
from examples.compat_server import ASSISTANT_DEFAULTS

openai = pytest.importorskip("openai")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PREFIX = "/v1"
EPOCH = 1_700_000_000
ASSISTANT = "asst_e2e"
ASSISTANT_INSTRUCTIONS = ASSISTANT_DEFAULTS.instructions
INCLUDE_CONTENT = "step_details.tool_calls[*].file_search.results[*].content"
BETA = {"OpenAI-Beta": "assistants=v2"}
WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather by city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}

# --- the server: examples/compat_server.py, looked on --------------------------------------


@attrs.frozen
class Seen:
    """A request as the server received it."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]
    body: bytes
    target: str  # as sent: path and query string


class Server(compat.Server):
    """The example's server, keeping each request and answer for the tests to read."""

    seen: list[Seen]
    answers: list[runschema.Response]


class Handler(compat.Handler):
    """The example's handler, recording what it saw and answered; two thread ids stand for a
    busy and a broken server (429 and 500)."""

    server: Server

    def answer(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> runschema.Response:
        url = urlsplit(target)
        query = tuple(parse_qsl(url.query, keep_blank_values=True))
        self.server.seen.append(Seen(method, url.path, query, dict(headers), body, target))
        found = runschema.route(method, url.path)
        thread_id = found.params.get("thread_id") if found is not None else None
        if thread_id == "thread_busy":
            response = runschema.rate_limited(7)
        elif thread_id == "thread_broken":
            response = runschema.server_error()
        else:
            response = super().answer(method, target, headers, body)
        self.server.answers.append(response)
        return response


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    srv = Server(("127.0.0.1", 0), Handler)
    srv.store = compat.Store(clock=compat.counter_clock(EPOCH))
    srv.seen = []
    srv.answers = []
    t = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    t.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        t.join(5)


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as mp:
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
            mp.delenv(var, raising=False)
        mp.setenv("NO_PROXY", "127.0.0.1")
        c = openai.OpenAI(
            api_key="x",
            base_url=f"http://127.0.0.1:{server.server_address[1]}{PREFIX}",
            max_retries=0,
            timeout=10,
        )
        try:
            yield c
        finally:
            c.close()


# --- helpers ------------------------------------------------------------------------------


def ours(obj: Any, cls: type[Any]) -> Any:
    """An openai model as runschema reads it, strictly: the official client kept every field."""
    return runschema.loads(obj.to_json(), cls, strict=True)


def last_answer(server: Server) -> Any:
    return orjson.loads(server.answers[-1].body)


def new_thread_and_run(client: Any, **kwargs: Any) -> Any:
    return client.beta.threads.create_and_run(
        assistant_id=ASSISTANT,
        thread={"messages": [{"role": "user", "content": "Weather in Paris?"}]},
        **kwargs,
    )


def poll(client: Any, run: Any) -> Any:
    return client.beta.threads.runs.poll(run.id, thread_id=run.thread_id, poll_interval_ms=0)


def thread_of_completed_runs(client: Any, n: int) -> tuple[str, list[str]]:
    """A new thread holding ``n`` completed runs, oldest first: (thread id, run ids)."""
    first = poll(client, new_thread_and_run(client, metadata={"i": "0"}))
    ids = [first.id]
    for i in range(1, n):
        run = client.beta.threads.runs.create(
            first.thread_id, assistant_id=ASSISTANT, metadata={"i": str(i)}
        )
        assert poll(client, run).status == "completed"
        ids.append(run.id)
    return first.thread_id, ids


# --- the tests ------------------------------------------------------------------------------


class TestCreate:
    def test_create_thread_and_run(self, server: Server, client: Any) -> None:
        """create_and_run goes to POST /v1/threads/runs (never a thread named 'runs'), makes a
        thread and a queued run, and the client's Run is the one stored, field for field."""
        run = new_thread_and_run(
            client, metadata={"case": "plain"}, temperature=0.5, model="gpt-4o-mini"
        )
        seen = server.seen[-1]
        assert (seen.method, seen.path) == ("POST", "/v1/threads/runs")
        assert orjson.loads(seen.body) == {
            "assistant_id": ASSISTANT,
            "thread": {"messages": [{"role": "user", "content": "Weather in Paris?"}]},
            "metadata": {"case": "plain"},
            "temperature": 0.5,
            "model": "gpt-4o-mini",
        }
        store = server.store
        assert "runs" not in store.threads
        assert store.threads[run.thread_id] == [run.id]
        assert store.messages[run.thread_id] == (
            runschema.CreateMessageParams(role="user", content="Weather in Paris?"),
        )
        assert (run.status, run.assistant_id, run.model) == ("queued", ASSISTANT, "gpt-4o-mini")
        assert (run.metadata, run.temperature, run.instructions) == (
            {"case": "plain"},
            0.5,
            ASSISTANT_INSTRUCTIONS,
        )
        assert ours(run, runschema.Run) == store.runs[run.id]
        assert orjson.loads(run.to_json()) == last_answer(server)

    def test_create_run_on_a_thread(self, server: Server, client: Any) -> None:
        """runs.create on a thread whose run ended makes a second run there; the body the client
        sent reaches the store (additional instructions, metadata), and include[] is read from
        the query."""
        first = poll(client, new_thread_and_run(client))
        assert first.status == "completed"
        run = client.beta.threads.runs.create(
            first.thread_id,
            assistant_id=ASSISTANT,
            additional_instructions="Answer in Celsius.",
            metadata={"case": "second"},
            max_prompt_tokens=1000,
            tool_choice="none",
            include=[INCLUDE_CONTENT],
        )
        seen = server.seen[-1]
        assert (seen.method, seen.path) == ("POST", f"/v1/threads/{first.thread_id}/runs")
        assert seen.query == (("include[]", INCLUDE_CONTENT),)
        assert run.thread_id == first.thread_id
        assert run.id != first.id
        assert run.instructions == f"{ASSISTANT_INSTRUCTIONS}\n\nAnswer in Celsius."
        assert (run.status, run.metadata, run.max_prompt_tokens, run.tool_choice) == (
            "queued",
            {"case": "second"},
            1000,
            "none",
        )
        assert server.store.threads[first.thread_id] == [first.id, run.id]
        assert ours(run, runschema.Run) == server.store.runs[run.id]

    def test_second_active_run_is_refused(self, server: Server, client: Any) -> None:
        """A create on a thread whose run is still active is a 400 BadRequestError in the
        upstream shape (code null, as upstream answered it), and nothing is stored."""
        run = new_thread_and_run(client)
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.create(run.thread_id, assistant_id=ASSISTANT)
        e = info.value
        message = f"Thread {run.thread_id} already has an active run {run.id}."
        assert (e.status_code, e.code, e.param, e.type) == (
            400,
            None,
            None,
            "invalid_request_error",
        )
        assert e.body == {
            "message": message,
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
        assert server.store.threads[run.thread_id] == [run.id]

    def test_create_on_an_unknown_thread(self, client: Any) -> None:
        """A create on a thread that does not exist is a NotFoundError naming the thread."""
        with pytest.raises(openai.NotFoundError) as info:
            client.beta.threads.runs.create("thread_nope", assistant_id=ASSISTANT)
        assert info.value.body == {
            "message": "No thread found with id 'thread_nope'.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }


class TestRetrieveAndModify:
    def test_retrieve(self, server: Server, client: Any) -> None:
        """retrieve returns the stored run; each retrieve observes the worker's next move."""
        run = new_thread_and_run(client)
        got = client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id)
        seen = server.seen[-1]
        assert (seen.method, seen.path, seen.body) == (
            "GET",
            f"/v1/threads/{run.thread_id}/runs/{run.id}",
            b"",
        )
        stored = server.store.runs[run.id]
        assert (got.id, got.status, stored.status) == (run.id, "in_progress", "in_progress")
        assert got.started_at == int(stored.started_at.timestamp())  # type: ignore[union-attr]
        assert ours(got, runschema.Run) == stored
        again = client.beta.threads.runs.retrieve(run.id, thread_id=run.thread_id)
        assert again.status == "completed"
        assert again.usage.total_tokens == 31
        assert ours(again, runschema.Run) == server.store.runs[run.id]

    def test_poll_stops_where_the_library_says(self, client: Any) -> None:
        """The client's poll helper stops on a status of POLL_STOP_STATUSES and not before."""
        run = poll(client, new_thread_and_run(client))
        assert run.status == "completed"
        assert run.status in runschema.POLL_STOP_STATUSES
        assert "in_progress" not in runschema.POLL_STOP_STATUSES

    def test_unknown_run(self, server: Server, client: Any) -> None:
        """An unknown run id, or a run asked for under another thread, is a NotFoundError."""
        run = new_thread_and_run(client)
        for thread_id, run_id in [(run.thread_id, "run_nope"), ("thread_other", run.id)]:
            with pytest.raises(openai.NotFoundError) as info:
                client.beta.threads.runs.retrieve(run_id, thread_id=thread_id)
            assert info.value.status_code == 404
            assert info.value.body == {
                "message": f"No run found with id '{run_id}'.",
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }

    def test_update_metadata(self, server: Server, client: Any) -> None:
        """update replaces the metadata and nothing else; None clears it."""
        run = new_thread_and_run(client, metadata={"old": "1"})
        before = server.store.runs[run.id]
        got = client.beta.threads.runs.update(
            run.id, thread_id=run.thread_id, metadata={"user_id": "u1", "tier": "gold"}
        )
        assert orjson.loads(server.seen[-1].body) == {"metadata": {"user_id": "u1", "tier": "gold"}}
        assert got.metadata == {"user_id": "u1", "tier": "gold"}
        stored = server.store.runs[run.id]
        assert stored == attrs.evolve(before, metadata={"user_id": "u1", "tier": "gold"})
        assert ours(got, runschema.Run) == stored
        cleared = client.beta.threads.runs.update(run.id, thread_id=run.thread_id, metadata=None)
        assert orjson.loads(server.seen[-1].body) == {"metadata": None}
        assert cleared.metadata is None
        assert server.store.runs[run.id] == attrs.evolve(before, metadata=None)

    def test_update_unknown_run(self, client: Any) -> None:
        """update of an unknown run is a NotFoundError."""
        run = new_thread_and_run(client)
        with pytest.raises(openai.NotFoundError) as info:
            client.beta.threads.runs.update("run_nope", thread_id=run.thread_id, metadata={})
        assert info.value.body["message"] == "No run found with id 'run_nope'."


class TestList:
    @pytest.mark.parametrize("order", ["asc", "desc"])
    def test_auto_pagination(self, server: Server, client: Any, order: str) -> None:
        """Seven runs, limit 3: the client's page iterator fetches three pages (after = the
        last id of each) and yields every run once, in order."""
        thread_id, ids = thread_of_completed_runs(client, 7)
        expected = ids if order == "asc" else ids[::-1]
        start = len(server.seen)
        page = client.beta.threads.runs.list(thread_id, limit=3, order=order)
        assert [r.id for r in page.data] == expected[:3]
        assert page.has_more is True
        assert [r.id for r in page] == expected
        # the client's own walk: after = the last id of each page, until has_more is false
        assert [sorted(s.query) for s in server.seen[start:]] == [
            [("limit", "3"), ("order", order)],
            [("after", expected[2]), ("limit", "3"), ("order", order)],
            [("after", expected[5]), ("limit", "3"), ("order", order)],
        ]
        last = last_answer(server)
        assert (last["first_id"], last["last_id"], last["has_more"]) == (
            expected[6],
            expected[6],
            False,
        )
        runs = [ours(r, runschema.Run) for r in page]
        assert runs == [server.store.runs[i] for i in expected]
        assert [r.metadata["i"] for r in runs] == [str(ids.index(i)) for i in expected]

    def test_default_page_and_before(self, server: Server, client: Any) -> None:
        """Without a query a page is the newest 20; before= gives the items just before it."""
        thread_id, ids = thread_of_completed_runs(client, 4)
        page = client.beta.threads.runs.list(thread_id)
        assert server.seen[-1].query == ()
        assert [r.id for r in page.data] == ids[::-1]
        assert page.has_more is False
        assert last_answer(server)["first_id"] == ids[-1]
        before = client.beta.threads.runs.list(thread_id, before=ids[3], order="asc", limit=2)
        assert [r.id for r in before.data] == ids[1:3]
        assert before.has_more is True

    def test_list_of_an_unknown_thread(self, client: Any) -> None:
        """Listing the runs of a thread that does not exist is a NotFoundError."""
        with pytest.raises(openai.NotFoundError) as info:
            client.beta.threads.runs.list("thread_nope")
        assert info.value.body["message"] == "No thread found with id 'thread_nope'."

    @pytest.mark.parametrize(
        ("query", "param", "code", "message"),
        [
            (
                {"limit": 0},
                "limit",
                "integer_below_min_value",
                "Invalid 'limit': expected an integer >= 1, got 0.",
            ),
            (
                {"limit": 101},
                "limit",
                "integer_above_max_value",
                "Invalid 'limit': expected an integer <= 100, got 101.",
            ),
            (
                {"order": "sideways"},
                "order",
                "invalid_value",
                "Invalid 'order': expected one of 'asc', 'desc', got 'sideways'.",
            ),
            (  # found by a server author: an empty cursor paged from nowhere
                {"after": ""},
                "after",
                "empty_id",
                "Invalid 'after': an empty id names no item: leave the cursor out.",
            ),
        ],
    )
    def test_bad_query(
        self, client: Any, query: dict[str, Any], param: str, code: str, message: str
    ) -> None:
        """A query outside the schema is a BadRequestError naming the parameter."""
        run = new_thread_and_run(client)
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.list(run.thread_id, **query)
        e = info.value
        assert (e.status_code, e.param, e.code) == (400, param, code)
        assert e.body == {
            "message": message,
            "type": "invalid_request_error",
            "param": param,
            "code": code,
        }


class TestRequestsAsTheClientSendsThem:
    def test_the_same_target(self, server: Server, client: Any) -> None:
        """Found by a client author comparing with the official client: runschema's builders
        wrote the query's names in another order and a space as %20, and could send no
        ``extra_query`` (Azure's api-version). The same path and query string, byte for
        byte, so that a record-and-replay test matching whole URLs finds both."""
        thread_id, ids = thread_of_completed_runs(client, 2)
        run_id = ids[0]
        azure = {"api-version": "2024-05-01-preview"}
        include = ["step_details.tool_calls[*].file_search.results[*].content"]
        steps = client.beta.threads.runs.steps
        cases: list[tuple[Any, runschema.Request]] = [
            (
                lambda: client.beta.threads.runs.list(
                    thread_id, limit=2, order="asc", after=run_id
                ),
                runschema.LIST_RUNS.request(
                    thread_id=thread_id, query={"order": "asc", "after": run_id, "limit": 2}
                ),
            ),
            (
                lambda: client.beta.threads.runs.retrieve(
                    run_id, thread_id=thread_id, extra_query=azure
                ),
                runschema.RETRIEVE_RUN.request(
                    thread_id=thread_id, run_id=run_id, extra_query=azure
                ),
            ),
            (
                lambda: steps.list(run_id, thread_id=thread_id, include=include, limit=5),
                runschema.LIST_RUN_STEPS.request(
                    thread_id=thread_id, run_id=run_id, query={"limit": 5, "include": include}
                ),
            ),
            (
                lambda: steps.list(
                    run_id, thread_id=thread_id, include=[], extra_query={"a": "x y"}
                ),
                runschema.LIST_RUN_STEPS.request(
                    thread_id=thread_id,
                    run_id=run_id,
                    query={"include": []},
                    extra_query={"a": "x y"},
                ),
            ),
        ]
        # found by a trial: RFC 3986's pchar in an id is left as it is, and a list's name
        # takes its brackets whatever it ends in
        odd = "t:1@x+y(z)!$&'*,;="
        cases.append(
            (
                lambda: client.beta.threads.runs.retrieve(
                    "r 1", thread_id=odd, extra_query={"ids[]": ["a", "b"]}
                ),
                runschema.RETRIEVE_RUN.request(
                    thread_id=odd, run_id="r 1", extra_query={"ids[]": ["a", "b"]}
                ),
            )
        )
        for call, built in cases:
            # a parameter the server does not declare, an id it does not hold
            with contextlib.suppress(openai.BadRequestError, openai.NotFoundError):
                call()
            assert server.seen[-1].target == PREFIX + built.path


class TestCancel:
    def test_cancel(self, server: Server, client: Any) -> None:
        """cancel moves a queued run to cancelling; the worker then cancels it; a second
        cancel is a BadRequestError."""
        run = new_thread_and_run(client)
        got = client.beta.threads.runs.cancel(run.id, thread_id=run.thread_id)
        seen = server.seen[-1]
        assert (seen.method, seen.path) == (
            "POST",
            f"/v1/threads/{run.thread_id}/runs/{run.id}/cancel",
        )
        assert got.status == "cancelling"
        assert ours(got, runschema.Run) == server.store.runs[run.id]
        done = poll(client, got)
        assert done.status == "cancelled"
        assert done.cancelled_at == int(server.store.runs[run.id].cancelled_at.timestamp())  # type: ignore[union-attr]
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.cancel(run.id, thread_id=run.thread_id)
        assert info.value.body == {
            "message": "Cannot cancel run with status 'cancelled'.",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }
        # the thread is free again: a new run may start
        again = client.beta.threads.runs.create(run.thread_id, assistant_id=ASSISTANT)
        assert again.status == "queued"

    def test_cancel_unknown_run(self, client: Any) -> None:
        """cancel of an unknown run is a NotFoundError."""
        run = new_thread_and_run(client)
        with pytest.raises(openai.NotFoundError) as info:
            client.beta.threads.runs.cancel("run_nope", thread_id=run.thread_id)
        assert info.value.body["message"] == "No run found with id 'run_nope'."


class TestToolOutputsAndSteps:
    def test_requires_action_and_back(self, server: Server, client: Any) -> None:
        """A run with a function tool stops in requires_action with the call to answer; the
        outputs go back through submit_tool_outputs; the run completes; its steps list and
        retrieve as stored, the function's output in the tool call step."""
        run = new_thread_and_run(client, tools=[WEATHER_TOOL])
        assert ours(run, runschema.Run).tools == (
            runschema.FunctionTool(
                function=runschema.FunctionDefinition(
                    name="get_weather",
                    description="Weather by city",
                    parameters=WEATHER_TOOL["function"]["parameters"],
                )
            ),
        )
        waiting = poll(client, run)
        assert waiting.status == "requires_action"
        calls = waiting.required_action.submit_tool_outputs.tool_calls
        assert [(c.id, c.type, c.function.name, c.function.arguments) for c in calls] == [
            (f"call_{run.id}_0", "function", "get_weather", '{"city": "Paris"}')
        ]
        assert ours(waiting, runschema.Run) == server.store.runs[run.id]

        steps = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id)
        [step] = steps.data
        assert (step.type, step.status, step.step_details.tool_calls[0].function.output) == (
            "tool_calls",
            "in_progress",
            None,
        )

        # outputs for the wrong call are refused, and the run still waits
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.submit_tool_outputs(
                run.id,
                thread_id=run.thread_id,
                tool_outputs=[{"tool_call_id": "call_other", "output": "x"}],
            )
        assert (info.value.param, info.value.code, info.value.body["message"]) == (
            "tool_outputs[0].tool_call_id",
            "unknown_tool_call",
            "Invalid 'tool_outputs[0].tool_call_id': the run waits on no tool call 'call_other'. "
            f"Invalid 'tool_outputs': no tool output for the call '{calls[0].id}'.",
        )
        assert server.store.runs[run.id].status == "requires_action"

        resumed = client.beta.threads.runs.submit_tool_outputs(
            run.id,
            thread_id=run.thread_id,
            tool_outputs=[{"tool_call_id": calls[0].id, "output": "22C and sunny"}],
        )
        seen = server.seen[-1]
        assert seen.path == f"/v1/threads/{run.thread_id}/runs/{run.id}/submit_tool_outputs"
        assert orjson.loads(seen.body) == {
            "tool_outputs": [{"tool_call_id": calls[0].id, "output": "22C and sunny"}]
        }
        assert (resumed.status, resumed.required_action) == ("queued", None)
        assert ours(resumed, runschema.Run) == server.store.runs[run.id]

        done = poll(client, resumed)
        assert done.status == "completed"

        # steps, oldest first: the tool call (with its output), then the message
        listed = client.beta.threads.runs.steps.list(
            run.id, thread_id=run.thread_id, order="asc", include=[INCLUDE_CONTENT]
        )
        assert sorted(server.seen[-1].query) == [("include[]", INCLUDE_CONTENT), ("order", "asc")]
        stored = server.store.steps[run.id]
        assert [ours(s, runschema.RunStep) for s in listed.data] == stored
        assert [(s.type, s.status) for s in listed.data] == [
            ("tool_calls", "completed"),
            ("message_creation", "completed"),
        ]
        function = listed.data[0].step_details.tool_calls[0].function
        assert (function.name, function.output) == ("get_weather", "22C and sunny")

        # one page at a time, newest first, as the client iterates
        paged = client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id, limit=1)
        assert [s.id for s in paged] == [stored[1].id, stored[0].id]

        for want in stored:
            got = client.beta.threads.runs.steps.retrieve(
                want.id, thread_id=run.thread_id, run_id=run.id
            )
            assert ours(got, runschema.RunStep) == want
            assert orjson.loads(got.to_json()) == last_answer(server)

    def test_submit_when_not_waiting(self, client: Any) -> None:
        """Tool outputs for a run that does not wait for them are a BadRequestError."""
        run = new_thread_and_run(client)
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.submit_tool_outputs(
                run.id, thread_id=run.thread_id, tool_outputs=[{"tool_call_id": "c", "output": "o"}]
            )
        assert info.value.body["message"] == 'Runs in status "queued" do not accept tool outputs.'

    def test_unknown_step(self, client: Any) -> None:
        """An unknown step id is a NotFoundError naming the run step."""
        run = poll(client, new_thread_and_run(client))
        with pytest.raises(openai.NotFoundError) as info:
            client.beta.threads.runs.steps.retrieve(
                "step_nope", thread_id=run.thread_id, run_id=run.id
            )
        assert info.value.body["message"] == "No run step found with id 'step_nope'."


def streamed_events(server: Server) -> list[runschema.StreamEvent]:
    """The last stream the server answered, as a strict reader takes it, checked in order."""
    answer = server.answers[-1]
    assert answer.headers["Content-Type"] == runschema.STREAM_CONTENT_TYPE
    events = runschema.decode_stream(answer.body, strict=True)
    assert runschema.check_stream(events) == []
    return events


class TestStreaming:
    def test_create_thread_and_run_streamed(self, server: Server, client: Any) -> None:
        """The official stream helper reads the server's stream to the completed run."""
        with client.beta.threads.create_and_run_stream(
            assistant_id=ASSISTANT,
            thread={"messages": [{"role": "user", "content": "Hi"}]},
        ) as stream:
            stream.until_done()
            final = stream.get_final_run()
            steps = stream.get_final_run_steps()
        assert orjson.loads(server.seen[-1].body)["stream"] is True
        events = streamed_events(server)
        assert [e.event for e in events] == [
            "thread.created",
            "thread.run.created",
            "thread.run.queued",
            "thread.run.in_progress",
            "thread.run.step.created",
            "thread.run.step.completed",
            "thread.run.completed",
            "done",
        ]
        assert final.status == "completed"
        assert ours(final, runschema.Run) == server.store.runs[final.id]
        # the helper keeps each step as its created event carried it
        assert [s.id for s in steps] == [s.id for s in server.store.steps[final.id]]

    def test_requires_action_then_submit_streamed(self, server: Server, client: Any) -> None:
        """Create streamed to requires_action, submit the outputs streamed to completion."""
        thread = new_thread_and_run(client)
        poll(client, thread)
        with client.beta.threads.runs.stream(
            thread_id=thread.thread_id, assistant_id=ASSISTANT, tools=[WEATHER_TOOL]
        ) as stream:
            stream.until_done()
            waiting = stream.get_final_run()
        assert [e.event for e in streamed_events(server)][-3:] == [
            "thread.run.step.created",
            "thread.run.requires_action",
            "done",
        ]
        assert waiting.status == "requires_action"
        call = waiting.required_action.submit_tool_outputs.tool_calls[0]
        with client.beta.threads.runs.submit_tool_outputs_stream(
            run_id=waiting.id,
            thread_id=waiting.thread_id,
            tool_outputs=[{"tool_call_id": call.id, "output": "18C"}],
        ) as stream:
            stream.until_done()
            final = stream.get_final_run()
        events = streamed_events(server)
        assert [e.event for e in events] == [
            "thread.run.step.completed",  # the tool calls step, begun in the earlier stream
            "thread.run.queued",
            "thread.run.in_progress",
            "thread.run.step.created",
            "thread.run.step.completed",
            "thread.run.completed",
            "done",
        ]
        assert final.status == "completed"
        assert ours(final, runschema.Run) == server.store.runs[waiting.id]
        first = events[0]
        assert isinstance(first, runschema.RunStepEvent)
        details = first.data.step_details
        assert isinstance(details, runschema.ToolCallsDetails)
        function = details.tool_calls[0]
        assert isinstance(function, runschema.StepFunctionCall)
        assert function.function.output == "18C"

    def test_streamed_create_refused_as_json(self, server: Server, client: Any) -> None:
        """A streaming create the server refuses answers a JSON error, not a stream."""
        run = new_thread_and_run(client)
        with pytest.raises(openai.BadRequestError):
            client.beta.threads.runs.create(run.thread_id, assistant_id=ASSISTANT, stream=True)
        assert server.answers[-1].headers["Content-Type"] == "application/json"


class TestBadBodies:
    @pytest.mark.parametrize(
        ("kwargs", "param", "code", "message"),
        [
            (
                {"temperature": 3},
                "temperature",
                "decimal_above_max_value",
                "Invalid 'temperature': expected a number <= 2, got 3.",
            ),
            (
                {"max_prompt_tokens": 100},
                "max_prompt_tokens",
                "integer_below_min_value",
                "Invalid 'max_prompt_tokens': expected an integer >= 256, got 100.",
            ),
            (
                {"metadata": {f"k{i}": "v" for i in range(17)}},
                "metadata",
                "object_above_max_properties",
                "Invalid 'metadata': expected at most 16 pairs, got 17.",
            ),
            (
                {"tools": [{"type": "browser"}]},
                "tools[0].type",
                "invalid_value",
                "Invalid 'tools[0].type': expected one of 'code_interpreter', 'file_search', "
                "'function', got 'browser'.",
            ),
            (
                {"additional_messages": [{"role": "robot", "content": "hi"}]},
                "additional_messages[0].role",
                "invalid_value",
                "Invalid 'additional_messages[0].role': expected one of 'user', 'assistant', "
                "got 'robot'.",
            ),
            (
                {"truncation_strategy": {"type": "last_messages", "last_messages": 0}},
                "truncation_strategy.last_messages",
                "integer_below_min_value",
                "Invalid 'truncation_strategy.last_messages': expected an integer >= 1, got 0.",
            ),
            (
                {"extra_body": {"foo": 1}},
                "foo",
                "unknown_parameter",
                "Unknown parameter: 'foo'.",
            ),
        ],
    )
    def test_create_run(
        self,
        server: Server,
        client: Any,
        kwargs: dict[str, Any],
        param: str,
        code: str,
        message: str,
    ) -> None:
        """A create body outside the schema is a BadRequestError whose param and code name the
        field, and no run is made."""
        run = poll(client, new_thread_and_run(client))
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.create(run.thread_id, assistant_id=ASSISTANT, **kwargs)
        e = info.value
        assert (e.status_code, e.param, e.code, e.type) == (
            400,
            param,
            code,
            "invalid_request_error",
        )
        assert e.body == {
            "message": message,
            "type": "invalid_request_error",
            "param": param,
            "code": code,
        }
        assert server.store.threads[run.thread_id] == [run.id]

    def test_create_thread_and_run(self, client: Any) -> None:
        """A bad message deep in create_and_run's thread is reported by its full param."""
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.create_and_run(
                assistant_id=ASSISTANT, thread={"messages": [{"role": "user", "content": []}]}
            )
        assert (info.value.param, info.value.code) == ("thread.messages[0].content", "empty_array")

    def test_missing_assistant_id(self, client: Any) -> None:
        """A body without assistant_id (sent raw: the typed method requires it) is missing."""
        run = poll(client, new_thread_and_run(client))
        with pytest.raises(openai.BadRequestError) as info:
            client.post(
                f"/threads/{run.thread_id}/runs",
                body={"model": "gpt-4o"},
                cast_to=openai.types.beta.threads.Run,
                options={"headers": BETA},
            )
        assert info.value.body == {
            "message": "Missing required parameter: 'assistant_id'.",
            "type": "invalid_request_error",
            "param": "assistant_id",
            "code": "missing_required_parameter",
        }

    def test_submit_tool_outputs(self, client: Any) -> None:
        """A tool output whose call id is not a string is a type error with its path."""
        run = new_thread_and_run(client)
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.submit_tool_outputs(
                run.id, thread_id=run.thread_id, tool_outputs=[{"tool_call_id": 5}]
            )
        assert (info.value.param, info.value.code) == (
            "tool_outputs[0].tool_call_id",
            "invalid_type",
        )

    def test_modify_unknown_key(self, client: Any) -> None:
        """Modify run allows metadata only."""
        run = new_thread_and_run(client)
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.update(
                run.id, thread_id=run.thread_id, extra_body={"status": "completed"}
            )
        assert (info.value.param, info.value.code) == ("status", "unknown_parameter")

    def test_cancel_with_a_body_current(self, server: Server, client: Any) -> None:
        """Cancel takes no body: one with keys is refused with a 400 and the run is left as
        it was."""
        run = new_thread_and_run(client)
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.cancel(
                run.id, thread_id=run.thread_id, extra_body={"reason": "x"}
            )
        assert info.value.status_code == 400
        assert server.store.runs[run.id].status == "queued"

    def test_cancel_with_a_body(self, client: Any) -> None:
        """A key sent to Cancel run comes back as unknown_field naming it, as for every
        closed body and for query parameters."""
        run = new_thread_and_run(client)
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.cancel(
                run.id, thread_id=run.thread_id, extra_body={"reason": "x"}
            )
        assert info.value.body == {
            "message": "Unknown parameter: 'reason'.",
            "type": "invalid_request_error",
            "param": "reason",
            "code": "unknown_parameter",
        }


class TestRouting:
    def test_unknown_path(self, client: Any) -> None:
        """A path no operation has is a 404 'Invalid URL' naming method and path."""
        with pytest.raises(openai.NotFoundError) as info:
            client.get(
                "/threads/t/runs/r/nothing",
                cast_to=openai.types.beta.threads.Run,
                options={"headers": BETA},
            )
        assert info.value.body == {
            "message": "Invalid URL (GET /v1/threads/t/runs/r/nothing).",
            "type": "invalid_request_error",
            "param": None,
            "code": None,
        }

    def test_wrong_method(self, client: Any) -> None:
        """A known path with another method is a 405 with Allow."""
        with pytest.raises(openai.APIStatusError) as info:
            client.delete(
                "/threads/t/runs/r",
                cast_to=openai.types.beta.threads.Run,
                options={"headers": BETA},
            )
        e = info.value
        assert e.status_code == 405
        assert e.response.headers["allow"] == "GET, POST"
        assert e.body["message"] == "Invalid method for URL (DELETE /v1/threads/t/runs/r)."

    def test_percent_encoded_ids(self, server: Server, client: Any) -> None:
        """Ids are percent-decoded by the router: the client's encoding of a strange id finds
        the run (here, a NotFoundError naming the decoded id)."""
        with pytest.raises(openai.NotFoundError) as info:
            client.beta.threads.runs.retrieve("run a/b", thread_id="thread_1")
        assert server.seen[-1].path == "/v1/threads/thread_1/runs/run%20a%2Fb"
        assert info.value.body["message"] == "No run found with id 'run a/b'."

    def test_beta_header_required(self, client: Any) -> None:
        """A request without the endpoint's OpenAI-Beta header is refused as upstream did
        (Endpoint.check_headers: invalid_beta)."""
        import openai.types.beta.threads

        with pytest.raises(openai.BadRequestError) as info:
            client.get("/threads/t/runs", cast_to=openai.types.beta.threads.Run)
        assert (info.value.param, info.value.code) == (None, "invalid_beta")

    def test_rate_limited(self, client: Any) -> None:
        """429 with Retry-After reaches the client as RateLimitError."""
        with pytest.raises(openai.RateLimitError) as info:
            client.beta.threads.runs.list("thread_busy")
        e = info.value
        assert e.response.headers["retry-after"] == "7"
        assert e.body == {
            "message": "Rate limit reached.",
            "type": "requests",
            "param": None,
            "code": "rate_limit_exceeded",
        }

    def test_server_error(self, client: Any) -> None:
        """500 reaches the client as InternalServerError, typed server_error."""
        with pytest.raises(openai.InternalServerError) as info:
            client.beta.threads.runs.retrieve("run_1", thread_id="thread_broken")
        assert (info.value.status_code, info.value.type) == (500, "server_error")


class TestWhatTheServerSent:
    def test_official_models_accept_every_answer(self, server: Server, client: Any) -> None:
        """Every 2xx answer of this module validates in the official pydantic models (not just
        the client's lenient construction), and every error answer is the upstream envelope."""
        run = poll(client, new_thread_and_run(client, tools=[WEATHER_TOOL]))
        client.beta.threads.runs.list(run.thread_id)
        client.beta.threads.runs.steps.list(run.id, thread_id=run.thread_id)
        run_model = openai.types.beta.threads.Run
        step_model = openai.types.beta.threads.runs.RunStep
        kinds = set()
        for answer in server.answers:
            if answer.headers["Content-Type"] == runschema.STREAM_CONTENT_TYPE:
                for event in runschema.decode_stream(answer.body, strict=True):
                    if isinstance(event, (runschema.RunEvent, runschema.RunStepEvent)):
                        model = run_model if isinstance(event, runschema.RunEvent) else step_model
                        model.model_validate_json(runschema.dumps(event.data))
                continue
            doc = orjson.loads(answer.body)
            if answer.status >= 400:
                assert set(doc) == {"error"}
                assert set(doc["error"]) == {"message", "type", "param", "code"}
                continue
            if doc["object"] == "list":
                for item in doc["data"]:
                    model = run_model if item["object"] == "thread.run" else step_model
                    model.model_validate(item)
                    kinds.add(item["object"])
            else:
                model = run_model if doc["object"] == "thread.run" else step_model
                model.model_validate(doc)
                kinds.add(doc["object"])
        assert kinds == {"thread.run", "thread.run.step"}

    def test_runschema_client_over_the_wire(self, server: Server, client: Any) -> None:
        """runschema's own requests, sent raw, get answers its parse_response reads: a RunList
        equal to what paginate makes from the store."""
        import http.client

        thread_id, ids = thread_of_completed_runs(client, 3)
        req = runschema.LIST_RUNS.request(
            query=runschema.ListRunsParams(limit=2, order="asc"), thread_id=thread_id
        )
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        try:
            conn.request(req.method, PREFIX + req.path, headers=dict(req.headers))
            resp = conn.getresponse()
            status, body = resp.status, resp.read()
        finally:
            conn.close()
        page = runschema.LIST_RUNS.parse_response(status, body, strict=True)
        assert [r.id for r in page.data] == ids[:2]
        assert page == runschema.paginate(
            [server.store.runs[i] for i in ids], runschema.ListRunsParams(limit=2, order="asc")
        )

    @pytest.mark.parametrize(
        ("headers", "refused"),
        [
            ({}, True),
            ({"OpenAI-Beta": "assistants=v1"}, True),
            ({"openai-beta": "assistants=v2"}, False),
            ({"OPENAI-BETA": "other=v1, assistants=v2"}, False),
        ],
    )
    def test_the_beta_header(self, server: Server, headers: dict[str, str], refused: bool) -> None:
        """Found by a server author: every server wrote the header loop itself;
        Endpoint.check_headers answers as upstream did (400, invalid_beta)."""
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        try:
            conn.request("GET", PREFIX + "/threads/t/runs", headers=headers)
            resp = conn.getresponse()
            status, body = resp.status, orjson.loads(resp.read())
        finally:
            conn.close()
        if refused:
            assert status == 400
            assert body["error"]["code"] == "invalid_beta"
            assert body["error"]["message"].startswith("You must provide the 'OpenAI-Beta' header")
        else:  # past the check: the thread is unknown
            assert (status, body["error"]["message"]) == (404, "No thread found with id 't'.")


class TestTheExampleItself:
    """``examples/compat_server.py`` as a server author runs it: the README's command, the
    wall clock, and a bug of the server's own answered as a 500."""

    def test_the_readmes_command(self, tmp_path: Any) -> None:
        """``python examples/compat_server.py --port 0`` serves the official client, with
        the wall clock's times (whole seconds: the first run of it raised in RunStep)."""
        import subprocess
        import sys
        from pathlib import Path

        root = Path(__file__).resolve().parents[1]
        proc = subprocess.Popen(
            [sys.executable, "examples/compat_server.py", "--port", "0"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line.startswith("serving the runs resource on http://127.0.0.1:")
            base_url = line.split(" on ", 1)[1].strip()
            c = openai.OpenAI(base_url=base_url, api_key="x", max_retries=0, timeout=10)
            try:
                run = c.beta.threads.create_and_run_poll(assistant_id="asst_1", poll_interval_ms=0)
            finally:
                c.close()
            assert run.status == "completed"
            assert run.started_at is not None
            assert run.completed_at is not None
            assert run.started_at <= run.completed_at
        finally:
            proc.terminate()
            _, err = proc.communicate(timeout=10)
        assert "Traceback" not in err

    def test_a_bug_of_the_servers_own_is_a_500(
        self, server: Server, client: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
    ) -> None:
        def broken(*args: Any) -> runschema.Response:
            raise RuntimeError("the store is gone")

        monkeypatch.setitem(compat.OPERATIONS, runschema.LIST_RUNS.operation_id, broken)
        thread_id, _ = thread_of_completed_runs(client, 1)
        with pytest.raises(openai.InternalServerError) as info:
            client.beta.threads.runs.list(thread_id)
        assert info.value.status_code == 500
        assert "RuntimeError: the store is gone" in capsys.readouterr().err
