"""End to end over a real socket: a server whose only schema layer is runschema, two clients.

The server (stdlib ``http.server`` on 127.0.0.1) validates Modify run bodies strictly and
answers a Run, or a 400 with the OpenAI error body. One client is runschema's own builder and
parser over ``http.client``; the other is the official ``openai`` package, which nobody here
wrote: the server must satisfy it.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs
import orjson
import pytest

import runschema
from runschema import MODIFY_RUN, RETRIEVE_RUN, UNSET, APIError, Request, SchemaError

openai = pytest.importorskip("openai")

PREFIX = "/v1"
PROXY_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def _base_run() -> runschema.Run:
    # The seed, with a string for `instructions` (the openai model requires one).
    doc = orjson.loads(runschema.seed_example())
    doc["instructions"] = "You are a helpful assistant."
    doc["required_action"] = None
    return runschema.loads(orjson.dumps(doc), runschema.Run, strict=True)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _params(self) -> dict[str, str] | None:
        if not self.path.startswith(PREFIX):
            return None
        return MODIFY_RUN.match(self.path[len(PREFIX) :])

    def _not_found(self) -> None:
        body = {"error": {"message": "no such route", "type": "invalid_request_error"}}
        self._send(404, orjson.dumps(body | {"param": None, "code": None}))

    def do_GET(self) -> None:
        params = RETRIEVE_RUN.match(self.path[len(PREFIX) :])
        if params is None:
            return self._not_found()
        run = attrs.evolve(self.server.run, id=params["run_id"], thread_id=params["thread_id"])
        self._send(200, runschema.dumps(run))

    def do_POST(self) -> None:
        params = self._params()
        if params is None:
            return self._not_found()
        if params["thread_id"] == "behind-proxy":
            return self._send(502, PROXY_PAGE, "text/html")
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.seen.append((self.path, dict(self.headers), body))
        try:
            update = runschema.validate_modify_run_request(body)
        except SchemaError as e:
            return self._send(400, orjson.dumps(e.to_openai_error()))
        run = attrs.evolve(self.server.run, id=params["run_id"], thread_id=params["thread_id"])
        if update.metadata is not UNSET:
            run = attrs.evolve(run, metadata=update.metadata if update.metadata else {})
        self.server.sent = runschema.dumps(run)
        self._send(200, self.server.sent)


class _Server(ThreadingHTTPServer):
    run: runschema.Run
    sent: bytes
    seen: list[tuple[str, dict[str, str], bytes]]


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.run = _base_run()
    srv.sent = b""
    srv.seen = []
    t = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    t.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        t.join(5)


def _send(server: _Server, req: Request) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    try:
        conn.request(
            req.method, PREFIX + req.path, body=req.body or None, headers=dict(req.headers)
        )
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _modify(*args: Any, **kwargs: Any) -> Request:
    return runschema.modify_run(*args, **kwargs)  # type: ignore[deprecated]


class TestRunschemaClient:
    def test_success(self, server: _Server) -> None:
        """modify_run -> bytes on the wire -> parse_run_response gives the server's Run."""
        status, body = _send(server, _modify("thread_1", "run 1/a", metadata={"k": "v"}))
        run = runschema.parse_run_response(status, body, strict=True)
        assert (run.id, run.thread_id, run.metadata) == ("run 1/a", "thread_1", {"k": "v"})
        path, headers, sent = server.seen[-1]
        assert path == "/v1/threads/thread_1/runs/run%201%2Fa"
        assert headers["OpenAI-Beta"] == "assistants=v2"
        assert sent == b'{"metadata":{"k":"v"}}'

    def test_clear_metadata(self, server: _Server) -> None:
        """metadata=None sends null and the server clears it."""
        status, body = _send(server, _modify("t", "r", metadata=None))
        assert runschema.parse_run_response(status, body).metadata == {}
        assert server.seen[-1][2] == b'{"metadata":null}'

    def test_unknown_key_rejected(self, server: _Server) -> None:
        """An extra body key reaches the server, which answers 400 unknown_parameter."""
        status, body = _send(server, _modify("t", "r", extra_body={"stream": True}))
        with pytest.raises(APIError) as info:
            runschema.parse_run_response(status, body)
        e = info.value
        assert (e.status, e.type, e.param, e.code) == (
            400,
            "invalid_request_error",
            "stream",
            "unknown_parameter",
        )

    def test_limit_violation_from_a_raw_client(self, server: _Server) -> None:
        """A body over the metadata limits, sent raw, gets 400 naming the field, upstream-style."""
        req = Request(
            method="POST",
            path="/threads/t/runs/r",
            headers=MODIFY_RUN.headers,
            body=orjson.dumps({"metadata": {"k": "v" * 513}}),
        )
        status, body = _send(server, req)
        with pytest.raises(APIError) as info:
            runschema.parse_run_response(status, body)
        assert info.value.code == "string_above_max_length"
        assert info.value.param == "metadata.k"
        assert info.value.message == (
            "Invalid 'metadata.k': values are at most 512 characters, got 513."
        )

    def test_proxy_error_page(self, server: _Server) -> None:
        """A non-JSON 502 page from a proxy becomes an APIError with an excerpt."""
        status, body = _send(server, _modify("behind-proxy", "r"))
        with pytest.raises(APIError) as info:
            runschema.parse_run_response(status, body)
        assert info.value.status == 502
        assert info.value.message is None
        assert "502 Bad Gateway" in info.value.body_excerpt

    def test_retrieve(self, server: _Server) -> None:
        """retrieve_run over the wire gives back the stored run."""
        req = runschema.retrieve_run("t", "r")  # type: ignore[deprecated]
        status, body = _send(server, req)
        assert runschema.parse_run_response(status, body).id == "r"


@pytest.fixture
def client(server: _Server, monkeypatch: pytest.MonkeyPatch) -> Any:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    return openai.OpenAI(
        api_key="sk-test",
        base_url=f"http://127.0.0.1:{server.server_address[1]}{PREFIX}",
        max_retries=0,
        timeout=10,
    )


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
class TestOfficialClient:
    def test_update_returns_what_the_server_sent(self, server: _Server, client: Any) -> None:
        """client.beta.threads.runs.update returns a Run equal to the server's JSON."""
        run = client.beta.threads.runs.update("run_9", thread_id="thread_9", metadata={"a": "b"})
        assert run.id == "run_9"
        assert run.metadata == {"a": "b"}
        assert orjson.loads(run.to_json()) == orjson.loads(server.sent)
        assert server.seen[-1][2] == b'{"metadata":{"a":"b"}}'
        # and what the official model holds decodes in runschema, strictly
        ours = runschema.loads(run.to_json(), runschema.Run)
        assert runschema.dumps(ours) == server.sent

    def test_clear_metadata(self, server: _Server, client: Any) -> None:
        """metadata=None goes out as null and comes back cleared."""
        run = client.beta.threads.runs.update("r", thread_id="t", metadata=None)
        assert orjson.loads(server.seen[-1][2]) == {"metadata": None}
        assert run.metadata == {}

    def test_limit_violation_is_bad_request(self, server: _Server, client: Any) -> None:
        """A metadata limit violation reaches the client as BadRequestError with our message."""
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.update(
                "r", thread_id="t", metadata={f"k{i}": "v" for i in range(17)}
            )
        assert info.value.status_code == 400
        assert info.value.code == "object_above_max_properties"
        assert info.value.param == "metadata"
        assert info.value.message == (
            "Error code: 400 - Invalid 'metadata': expected at most 16 pairs, got 17."
        )

    def test_unknown_body_key(self, server: _Server, client: Any) -> None:
        """extra_body with an unknown key is a BadRequestError (unknown_field)."""
        with pytest.raises(openai.BadRequestError) as info:
            client.beta.threads.runs.update("r", thread_id="t", extra_body={"stream": True})
        assert info.value.code == "unknown_parameter"
        assert info.value.param == "stream"

    def test_proxy_page(self, server: _Server, client: Any) -> None:
        """A non-JSON 502 page is an APIStatusError for the official client too."""
        with pytest.raises(openai.APIStatusError) as info:
            client.beta.threads.runs.update("r", thread_id="behind-proxy", metadata={"a": "b"})
        assert info.value.status_code == 502
