"""A small Assistants-API compatibility server for the runs resource, made of runschema's
public API and the standard library only: what a server author starts from.

Run it, then point the official client at it::

    python examples/compat_server.py --port 8000

    import openai
    client = openai.OpenAI(base_url="http://127.0.0.1:8000/v1", api_key="x")
    run = client.beta.threads.create_and_run_poll(assistant_id="asst_1")
    run.status  # 'completed'

What does what: :func:`runschema.route` dispatches (404 and 405 through ``unknown_route`` and
``method_not_allowed``); ``Endpoint.parse_request`` and ``Endpoint.parse_query`` validate
bodies and query strings strictly (400 through ``bad_request``); :func:`runschema.new_run`
makes a run from a create body; :func:`runschema.advance_run` and
:func:`runschema.advance_step` move runs and steps along their state machines with the fields
each status brings; :func:`runschema.paginate` makes list pages; :func:`runschema.apply_update`
modifies; ``not_found``, ``active_run``, ``cannot_cancel``, ``not_awaiting_tool_outputs`` and
``check_tool_outputs`` answer what cannot be done; ``Endpoint.respond`` and
:func:`runschema.stream_response` check each answer and event against the published schema,
and :func:`runschema.check_stream` a stream's order. Threads, runs and steps live in memory.
Streams carry whole steps (no deltas): a server that streams text or a call's arguments in
pieces adds message and step delta events, which ``check_stream`` checks as the official
helpers merge them.

Nothing runs in the background and nothing reads the clock unless told to: a run moves one
status each time it is retrieved (``queued`` -> ``in_progress`` -> ``requires_action`` when
it has a function tool whose output is not in yet, else ``completed``; ``cancelling`` ->
``cancelled``), a deterministic stand-in for a worker that lets the client's own poll helper
drive it. A real server moves runs from its worker, with the same calls. The test suite
(``tests/test_runs_server.py``) drives this server with the official client.
"""

from __future__ import annotations

import argparse
import itertools
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import urlsplit

import attrs

import runschema

#: What the assistant gives a run its body does not override (one assistant serves all ids).
ASSISTANT_DEFAULTS = runschema.RunDefaults(
    model="gpt-4o", instructions="You are a weather bot.", temperature=1.0, top_p=1.0
)


def counter_clock(start: int = 1_700_000_000) -> Callable[[], datetime]:
    """A clock that ticks one second each time it is read: deterministic times for tests."""
    ticks = itertools.count(start + 1)
    return lambda: datetime.fromtimestamp(next(ticks), timezone.utc)


def wall_clock() -> datetime:
    """The time now, in UTC, at whole seconds (as the wire holds times)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


class IllegalTransition(Exception):
    """The server tried a status change the run's state machine forbids (its own bug)."""


class Store:
    """Threads, runs and steps in memory, and the clock that times them."""

    def __init__(self, clock: Callable[[], datetime] = wall_clock) -> None:
        self.lock = threading.Lock()
        self.clock = clock
        self.counter = 0
        self.threads: dict[str, list[str]] = {}  # thread id -> its run ids
        self.messages: dict[str, tuple[runschema.CreateMessageParams, ...]] = {}
        self.runs: dict[str, runschema.Run] = {}
        self.steps: dict[str, list[runschema.RunStep]] = {}  # run id -> its steps
        self.outputs: dict[str, dict[str, str]] = {}  # run id -> tool call id -> output

    def now(self) -> datetime:
        return self.clock()

    def new_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_{self.counter:04d}"

    def run_of(self, path: Mapping[str, str]) -> runschema.Run | None:
        run = self.runs.get(path["run_id"])
        return run if run is not None and run.thread_id == path["thread_id"] else None

    def active_run_of(self, thread_id: str) -> runschema.Run | None:
        for run_id in self.threads[thread_id]:
            run = self.runs[run_id]
            if run.status not in runschema.TERMINAL_STATUSES:
                return run
        return None

    def move(
        self, run: runschema.Run, status: runschema.RunStatus, **changes: Any
    ) -> runschema.Run:
        """The run in ``status`` now, with what the status brings (``advance_run``), stored."""
        if not runschema.can_transition(run.status, status):
            raise IllegalTransition(f"{run.status} -> {status}")
        new = runschema.advance_run(run, status, at=self.now(), **changes)
        self.runs[run.id] = new
        return new

    def add_step(self, run: runschema.Run, details: runschema.StepDetails, **fields: Any) -> None:
        tools = isinstance(details, runschema.ToolCallsDetails)
        kind: Literal["tool_calls", "message_creation"] = (
            "tool_calls" if tools else "message_creation"
        )
        step = runschema.RunStep(
            id=self.new_id("step"),
            created_at=self.now(),
            assistant_id=run.assistant_id,
            thread_id=run.thread_id,
            run_id=run.id,
            type=kind,
            step_details=details,
            **fields,
        )
        self.steps.setdefault(run.id, []).append(step)

    def new_run(
        self,
        thread_id: str,
        body: runschema.CreateRunParams | runschema.CreateThreadAndRunParams,
    ) -> runschema.Run:
        now = self.now()
        run = runschema.new_run(
            body,
            id=self.new_id("run"),
            thread_id=thread_id,
            created_at=now,
            defaults=ASSISTANT_DEFAULTS,
            expires_at=now + timedelta(minutes=10),
        )
        self.threads[thread_id].append(run.id)
        self.runs[run.id] = run
        self.steps[run.id] = []
        return run

    def advance(self, run: runschema.Run) -> runschema.Run:
        """The worker's next move for the run (one status), as a retrieve observes it."""
        if run.status == "queued":
            return self.move(run, "in_progress")
        if run.status == "cancelling":
            for i, step in enumerate(self.steps[run.id]):
                if step.status == "in_progress":
                    cancelled = runschema.advance_step(step, "cancelled", at=self.now())
                    self.steps[run.id][i] = cancelled
            return self.move(run, "cancelled")
        if run.status != "in_progress":
            return run
        functions = [t for t in run.tools if isinstance(t, runschema.FunctionTool)]
        if functions and run.id not in self.outputs:
            calls = tuple(
                runschema.FunctionToolCall(
                    id=f"call_{run.id}_{i}",
                    function=runschema.FunctionToolCallFunction(
                        name=t.function.name, arguments='{"city": "Paris"}'
                    ),
                )
                for i, t in enumerate(functions)
            )
            step_calls = tuple(
                runschema.StepFunctionCall(
                    id=c.id,
                    function=runschema.StepFunction(
                        name=c.function.name, arguments=c.function.arguments, output=None
                    ),
                )
                for c in calls
            )
            self.add_step(
                run, runschema.ToolCallsDetails(tool_calls=step_calls), status="in_progress"
            )
            action = runschema.RequiredAction(
                submit_tool_outputs=runschema.SubmitToolOutputs(tool_calls=calls)
            )
            return self.move(run, "requires_action", required_action=action)
        message = runschema.MessageCreation(message_id=self.new_id("msg"))
        usage = runschema.Usage(prompt_tokens=20, completion_tokens=11, total_tokens=31)
        self.add_step(
            run,
            runschema.MessageCreationDetails(message_creation=message),
            status="completed",
            completed_at=self.now(),
            usage=usage,
        )
        return self.move(run, "completed", usage=usage)


def streamed(
    store: Store,
    run: runschema.Run,
    *,
    first: list[runschema.StreamEvent],
) -> runschema.Response:
    """What a streaming create (or submit) answers: ``first``, then the run queued, then the
    worker's moves, each with the steps it made, until the run stops for the caller or ends;
    then done. The same moves a polling client sees through retrieve."""
    events = [*first, runschema.RunEvent("thread.run.queued", run)]
    while run.status not in runschema.POLL_STOP_STATUSES:
        made = len(store.steps[run.id])
        run = store.advance(run)
        for step in store.steps[run.id][made:]:
            started = attrs.evolve(step, status="in_progress", completed_at=None, usage=None)
            events.append(runschema.RunStepEvent("thread.run.step.created", started))
            if step.status == "completed":
                events.append(runschema.RunStepEvent("thread.run.step.completed", step))
        events.append(runschema.RunEvent.of(run))
    events.append(runschema.DoneEvent())
    # stream_response checks each event (its data, and its name against its status), then
    # the order the clients rely on (check_stream's): a wrong stream is this server's ValueError
    return runschema.stream_response(events)


Operation = Callable[
    [Store, runschema.Endpoint[Any, Any, Any], Mapping[str, str], Any, Any], runschema.Response
]


def create_run(
    store: Store,
    ep: runschema.Endpoint[Any, Any, Any],
    path: Mapping[str, str],
    body: runschema.CreateRunParams,
    query: runschema.CreateRunQuery,
) -> runschema.Response:
    thread_id = path["thread_id"]
    if thread_id not in store.threads:
        return runschema.not_found("thread", thread_id)
    active = store.active_run_of(thread_id)
    if active is not None:
        return runschema.active_run(thread_id, active.id)
    run = store.new_run(thread_id, body)
    if body.stream is True:
        return streamed(store, run, first=[runschema.RunEvent("thread.run.created", run)])
    return ep.respond(run)


def create_thread_and_run(
    store: Store,
    ep: runschema.Endpoint[Any, Any, Any],
    path: Mapping[str, str],
    body: runschema.CreateThreadAndRunParams,
    query: None,
) -> runschema.Response:
    thread_id = store.new_id("thread")
    store.threads[thread_id] = []
    thread = body.thread
    if thread is not runschema.UNSET and thread.messages is not runschema.UNSET:
        store.messages[thread_id] = thread.messages
    run = store.new_run(thread_id, body)
    if body.stream is True:
        made = runschema.Thread(id=thread_id, created_at=run.created_at, metadata={})
        created = runschema.RunEvent("thread.run.created", run)
        return streamed(store, run, first=[runschema.ThreadEvent(made), created])
    return ep.respond(run)


def list_runs(
    store: Store,
    ep: runschema.Endpoint[Any, Any, Any],
    path: Mapping[str, str],
    body: None,
    query: runschema.ListRunsParams,
) -> runschema.Response:
    thread_id = path["thread_id"]
    if thread_id not in store.threads:
        return runschema.not_found("thread", thread_id)
    runs = [store.runs[i] for i in store.threads[thread_id]]
    return ep.respond(runschema.paginate(runs, query))


def retrieve_run(
    store: Store,
    ep: runschema.Endpoint[Any, Any, Any],
    path: Mapping[str, str],
    body: None,
    query: None,
) -> runschema.Response:
    run = store.run_of(path)
    if run is None:
        return runschema.not_found("run", path["run_id"])
    return ep.respond(store.advance(run))


def modify_run(
    store: Store,
    ep: runschema.Endpoint[Any, Any, Any],
    path: Mapping[str, str],
    body: runschema.RunUpdateParams,
    query: None,
) -> runschema.Response:
    run = store.run_of(path)
    if run is None:
        return runschema.not_found("run", path["run_id"])
    store.runs[run.id] = runschema.apply_update(run, body)
    return ep.respond(store.runs[run.id])


def cancel_run(
    store: Store,
    ep: runschema.Endpoint[Any, Any, Any],
    path: Mapping[str, str],
    body: None,
    query: None,
) -> runschema.Response:
    run = store.run_of(path)
    if run is None:
        return runschema.not_found("run", path["run_id"])
    if not runschema.can_cancel(run):
        return runschema.cannot_cancel(run)
    return ep.respond(store.move(run, "cancelling"))


def submit_tool_outputs(
    store: Store,
    ep: runschema.Endpoint[Any, Any, Any],
    path: Mapping[str, str],
    body: runschema.SubmitToolOutputsParams,
    query: None,
) -> runschema.Response:
    run = store.run_of(path)
    if run is None:
        return runschema.not_found("run", path["run_id"])
    if run.status != "requires_action":
        return runschema.not_awaiting_tool_outputs(run)
    try:
        outputs = runschema.check_tool_outputs(run, body)  # by call id, each a str
    except runschema.ValidationError as e:
        return runschema.bad_request(e)
    store.outputs[run.id] = outputs
    finished: list[runschema.StreamEvent] = []
    for i, step in enumerate(store.steps[run.id]):
        details = step.step_details
        if step.status != "in_progress" or not isinstance(details, runschema.ToolCallsDetails):
            continue
        calls = tuple(
            attrs.evolve(c, function=attrs.evolve(c.function, output=outputs[c.id]))
            if isinstance(c, runschema.StepFunctionCall)
            else c
            for c in details.tool_calls
        )
        store.steps[run.id][i] = runschema.advance_step(
            step,
            "completed",
            at=store.now(),
            step_details=attrs.evolve(details, tool_calls=calls),
        )
        finished.append(runschema.RunStepEvent("thread.run.step.completed", store.steps[run.id][i]))
    queued = store.move(run, "queued")
    if body.stream is True:
        return streamed(store, queued, first=finished)
    return ep.respond(queued)


def list_run_steps(
    store: Store,
    ep: runschema.Endpoint[Any, Any, Any],
    path: Mapping[str, str],
    body: None,
    query: runschema.ListRunStepsParams,
) -> runschema.Response:
    run = store.run_of(path)
    if run is None:
        return runschema.not_found("run", path["run_id"])
    return ep.respond(runschema.paginate(store.steps[run.id], query))


def retrieve_run_step(
    store: Store,
    ep: runschema.Endpoint[Any, Any, Any],
    path: Mapping[str, str],
    body: None,
    query: runschema.RetrieveRunStepQuery,
) -> runschema.Response:
    run = store.run_of(path)
    if run is None:
        return runschema.not_found("run", path["run_id"])
    for step in store.steps[run.id]:
        if step.id == path["step_id"]:
            return ep.respond(runschema.apply_include(step, query.include))
    return runschema.not_found("run step", path["step_id"])


OPERATIONS: dict[str, Operation] = {
    runschema.CREATE_RUN.operation_id: create_run,
    runschema.CREATE_THREAD_AND_RUN.operation_id: create_thread_and_run,
    runschema.LIST_RUNS.operation_id: list_runs,
    runschema.RETRIEVE_RUN.operation_id: retrieve_run,
    runschema.MODIFY_RUN.operation_id: modify_run,
    runschema.CANCEL_RUN.operation_id: cancel_run,
    runschema.SUBMIT_TOOL_OUTPUTS.operation_id: submit_tool_outputs,
    runschema.LIST_RUN_STEPS.operation_id: list_run_steps,
    runschema.RETRIEVE_RUN_STEP.operation_id: retrieve_run_step,
}


def handle(
    store: Store, method: str, target: str, headers: Mapping[str, str], body: bytes
) -> runschema.Response:
    """One request, start to end: route, check, validate, operate."""
    url = urlsplit(target)
    found = runschema.route(method, url.path)
    if found is None:
        return runschema.unknown_route(method, url.path)
    ep = found.endpoint
    if ep is None:
        return runschema.method_not_allowed(method, url.path, found.allowed)
    refused = ep.check_headers(headers)  # OpenAI-Beta: assistants=v2, as upstream wanted
    if refused is not None:
        return refused
    try:
        params = ep.parse_request(body)
        query = ep.parse_query(url.query)
    except runschema.SchemaError as e:
        return runschema.bad_request(e)
    with store.lock:
        try:
            return OPERATIONS[ep.operation_id](store, ep, found.params, params, query)
        except IllegalTransition:
            return runschema.server_error()


class Server(ThreadingHTTPServer):
    """The HTTP server, holding its store."""

    store: Store


class Handler(BaseHTTPRequestHandler):
    """Each request read whole, answered by :func:`handle` through :meth:`answer`."""

    server: Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def answer(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> runschema.Response:
        """The answer to one request (a subclass may look on, or answer some itself)."""
        return handle(self.server.store, method, target, headers, body)

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            response = self.answer(method, self.path, headers, body)
        except Exception:  # the server's own bug: the client hears a 500, the log says why
            traceback.print_exc()
            response = runschema.server_error()
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")


def make_server(host: str = "127.0.0.1", port: int = 0, store: Store | None = None) -> Server:
    """A server on ``host:port`` (0: any free port) with ``store`` (a new one by default);
    call ``serve_forever()`` on it."""
    server = Server((host, port), Handler)
    server.store = Store() if store is None else store
    return server


def main(argv: Sequence[str] | None = None) -> None:
    """Serve until interrupted: ``python examples/compat_server.py --port 8000``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    server = make_server(args.host, args.port)
    print(f"serving the runs resource on http://{args.host}:{server.server_address[1]}/v1")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
