"""The benchmark harness runs (so it cannot rot) and reports what it claims; no time is checked.

Structure only: every case has every contender, ratios are medians of per-round ratios with
their interquartile range, outputs are checked against inputs, the workloads are deterministic
and have the properties the report states, the peers really decode the documents, and the
command-line comparison runs on a tiny archive with whatever tools are installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

import runschema
from benchmarks import workloads as w
from benchmarks.cases import child_env
from benchmarks.harness import (
    Case,
    Contender,
    LoadWatch,
    Settings,
    json_difference,
    paired_ratios,
    quartiles,
    run_case,
)
from runschema._fast import Fail, FastPaths
from runschema._kinds import json_text

RUN_FIELDS = set(runschema.json_schema(runschema.Run)["$defs"]["Run"]["properties"])
LATER = ("started_at", "expires_at", "cancelled_at", "failed_at", "completed_at")


# --- workloads ------------------------------------------------------------------------------


def _digest(docs: tuple[bytes, ...]) -> str:
    return hashlib.sha256(b"\n".join(docs)).hexdigest()


def test_workloads_are_deterministic() -> None:
    """The same arguments give the same bytes: again in this process, and in another process
    with another hash seed (nothing depends on hash order)."""
    made = w.stream.__wrapped__(200, 60)  # bypass the cache: generate again
    assert made == w.stream(200, 60)
    assert w.big_schema_run(4096) == w.big_schema_run(4096)
    assert w.run_steps.__wrapped__(50) == w.run_steps(50)
    assert w.transcript(3, 100) == w.transcript(3, 100)
    code = (
        "import hashlib; from benchmarks import workloads as w; "
        "s = w.stream(200, 60); u = w.unknown_keys(20); "
        "t = tuple(x.body for x in w.transcripts(2, 100)); "
        "docs = s.lenient + s.strict + u.with_ + w.run_steps(50) + w.run_pages(2) + t; "
        "print(hashlib.sha256(b'\\n'.join(docs + (w.FULL_STEP,))).hexdigest())"
    )
    env = {**child_env(), "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    here = w.stream(200, 60)
    docs = here.lenient + here.strict + w.unknown_keys(20).with_ + w.run_steps(50)
    docs += w.run_pages(2) + tuple(x.body for x in w.transcripts(2, 100)) + (w.FULL_STEP,)
    assert out.stdout.strip() == _digest(docs)


def test_stream_properties() -> None:
    """Distinct ids, times, metadata; exactly 5% with one unknown key, 30% lacking
    required_action (null in the strict variant), 20% with far timestamps."""
    n = 400
    s = w.stream(n, 60)
    docs = [orjson.loads(d) for d in s.lenient]
    strict = [orjson.loads(d) for d in s.strict]
    assert len({d["id"] for d in docs}) == n
    assert len({d["created_at"] for d in docs}) == n
    assert len({orjson.dumps(d["metadata"]) for d in docs}) == n
    assert len({d["assistant_id"] for d in docs}) == 60
    assert len(s.unknown) == 20
    assert len(s.absent) == 120
    assert len(s.far) == 80
    for i, (d, ds) in enumerate(zip(docs, strict, strict=True)):
        unknown = set(d) - RUN_FIELDS
        assert len(unknown) == (1 if i in s.unknown else 0)
        assert ("required_action" not in d) == (i in s.absent)
        assert "required_action" in ds
        if i in s.absent:
            assert ds["required_action"] is None
            assert d["status"] != "requires_action"
        else:
            assert ds == d
        gaps = [d[k] - d["created_at"] for k in LATER if d[k] is not None]
        assert gaps
        if i in s.far:
            assert min(gaps) > 1023
        else:
            assert max(gaps) <= 1023


def test_600_assistants_means_600_sets_of_schemas() -> None:
    """Each assistant has its own function schemas: 600 assistants, 600 distinct schemas or
    more, and no schema shared between two assistants."""
    s = w.stream(1000, 600)
    owners: dict[bytes, set[str]] = {}
    for data in s.lenient:
        doc = orjson.loads(data)
        for text in w.function_schemas(data):
            owners.setdefault(text, set()).add(doc["assistant_id"])
    assert len({a for o in owners.values() for a in o}) == 600
    assert len(owners) >= 600
    assert all(len(o) == 1 for o in owners.values())


def test_server_view_documents() -> None:
    """3,000 distinct runs of 600 assistants, about 4 KB each."""
    s = w.server_view(3000)
    assert len(s) == 3000
    assert len({orjson.loads(d)["id"] for d in s.lenient}) == 3000
    assert len({orjson.loads(d)["assistant_id"] for d in s.lenient}) == 600
    mean = sum(map(len, s.lenient)) / len(s)
    assert 3600 <= mean <= 4400


def test_never_seen_schemas_occur_once_and_are_never_interned() -> None:
    """Every schema of the "never seen recently" stream occurs once in it; a decoder cycling
    through it (one full cycle, then the start of the next) never keeps one."""
    s = w.never_seen(500)
    texts = [t for d in s.lenient for t in w.function_schemas(d)]
    assert len(texts) == len(set(texts)) >= 3 * 500  # more than the 1,024 runschema records
    fp = FastPaths()  # the default owner's settings, and a cache of its own
    structure = fp.structurer(runschema.Run, False)
    for data in s.lenient + s.lenient[:100]:
        doc = orjson.loads(data)
        try:
            run = structure(orjson.loads(data))
        except Fail:  # an unknown key: the reference interpreter builds those
            run = runschema.loads(data, runschema.Run)
        assert json_difference(doc, orjson.loads(runschema.dumps(run))) is None
        texts_here = [json_text(orjson.loads(t)) for t in w.function_schemas(data)]
        assert not any(t in fp.interned.texts() for t in texts_here)
    assert not fp.interned.map  # none came back soon enough to be kept


def test_big_schema_and_unknown_keys_workloads() -> None:
    """The 64 KiB function schema is that big; the unknown-keys runs are the same runs plus
    three unknown keys each (top level, usage or truncation_strategy, a function tool)."""
    doc = orjson.loads(w.big_schema_run())
    size = len(orjson.dumps(doc["tools"][2]["function"]["parameters"]))
    assert 64 * 1024 <= size < 65 * 1024 + 1024
    u = w.unknown_keys(40)
    for with_, without in zip(u.with_, u.without, strict=True):
        a, b = orjson.loads(with_), orjson.loads(without)
        assert set(a) - set(b) == {"reasoning_effort"}
        nested = a["usage"] if a["usage"] is not None else a["truncation_strategy"]
        assert nested.pop("cached_tokens") == 17
        fn = next(t for t in a["tools"] if t["type"] == "function")["function"]
        assert fn.pop("x_owner") == "team-a"
        del a["reasoning_effort"]
        assert a == b


def test_peers_really_decode_every_workload() -> None:
    """Every workload document is valid for everyone (runschema strict on the strict variant,
    the exported JSON Schema, the openai model, the same-shape peers), and the peers' models
    keep ids and tool calls (a benchmark of errors measures nothing)."""
    import jsonschema
    from openai.types.beta.threads import Run as OpenAIRun

    from benchmarks.peers import msgspec_model as ms
    from benchmarks.peers import pydantic_model as pyd

    validator = jsonschema.Draft202012Validator(runschema.json_schema(runschema.Run))
    streams = [w.stream(40, 60), w.stream(40, 600), w.never_seen(10), w.far_apart(20)]
    u = w.unknown_keys(20)
    lenient = [d for s in streams for d in s.lenient] + list(u.with_) + [w.big_schema_run(), w.FULL]
    strict = [d for s in streams for d in s.strict] + [w.FULL, w.SEED_STRICT]
    for data in strict:
        runschema.loads(data, runschema.Run, strict=True)
        assert not list(validator.iter_errors(orjson.loads(data)))
    for data in lenient + strict:
        doc = orjson.loads(data)
        run = runschema.loads(data, runschema.Run)
        assert json_difference(doc, orjson.loads(runschema.dumps(run))) is None
        for peer in (
            OpenAIRun.model_validate_json(w.with_instructions(data)),
            pyd.Run.model_validate_json(data),
            ms.decoder.decode(data),
        ):
            assert peer.id == doc["id"]
            assert len(peer.tools) == len(doc["tools"])
            if doc.get("required_action"):
                assert peer.required_action is not None
                calls = peer.required_action.submit_tool_outputs.tool_calls
                want = doc["required_action"]["submit_tool_outputs"]["tool_calls"]
                assert [c.id for c in calls] == [c["id"] for c in want]
    assert OpenAIRun.model_validate_json(w.SEED_FOR_OPENAI).instructions == "You are helpful."


def test_rejection_documents_are_what_they_say() -> None:
    """The bad documents are rejected and the valid one is accepted, in strict mode."""
    for name, (cls, data) in w.rejection_documents(50_000).items():
        if name.startswith("accept"):
            runschema.loads(data, cls, strict=True)
        else:
            with pytest.raises(runschema.ValidationError) as info:
                runschema.loads(data, cls, strict=True)
            assert info.value.errors[-1].code == "too_many_problems"


STEP_FIELDS = set(runschema.json_schema(runschema.RunStep)["$defs"]["RunStep"]["properties"])


def test_run_steps_workload() -> None:
    """Distinct run steps of both kinds, with all three tool call kinds, every key present;
    valid for runschema strict, its JSON Schema and every peer, which keep the tool calls."""
    import jsonschema
    from openai.types.beta.threads.runs import RunStep as OpenAIRunStep

    from benchmarks.peers import msgspec_model as ms
    from benchmarks.peers import pydantic_model as pyd

    docs = w.run_steps(300)
    parsed = [orjson.loads(d) for d in docs]
    assert len({d["id"] for d in parsed}) == len({d["created_at"] for d in parsed}) == 300
    assert {d["type"] for d in parsed} == {"message_creation", "tool_calls"}
    assert {d["status"] for d in parsed} == {
        "completed",
        "in_progress",
        "failed",
        "cancelled",
        "expired",
    }
    kinds = {c["type"] for d in parsed for c in d["step_details"].get("tool_calls", ())}
    assert kinds == {"function", "code_interpreter", "file_search"}
    arguments = [
        c["function"]["arguments"]
        for d in parsed
        for c in d["step_details"].get("tool_calls", ())
        if c["type"] == "function"
    ]
    assert len(set(arguments)) > len(arguments) // 2
    assert all(set(d) == STEP_FIELDS for d in parsed)
    validator = jsonschema.Draft202012Validator(runschema.json_schema(runschema.RunStep))
    for data, doc in zip((*docs, w.FULL_STEP), (*parsed, orjson.loads(w.FULL_STEP)), strict=True):
        assert not list(validator.iter_errors(doc))
        for strict in (False, True):
            step = runschema.loads(data, runschema.RunStep, strict=strict)
            assert json_difference(doc, orjson.loads(runschema.dumps(step))) is None
        for peer in (
            OpenAIRunStep.model_validate_json(data),
            pyd.RunStep.model_validate_json(data),
            ms.step_decoder.decode(data),
        ):
            assert peer.id == doc["id"]
            if doc["type"] == "tool_calls":
                calls = peer.step_details.tool_calls  # type: ignore[union-attr]
                assert [c.id for c in calls] == [c["id"] for c in doc["step_details"]["tool_calls"]]
    full = orjson.loads(w.FULL_STEP)["step_details"]["tool_calls"]
    assert [c["type"] for c in full] == ["function", "code_interpreter", "file_search"]


def test_run_pages_workload() -> None:
    """Pages of 20 distinct runs, with first_id, last_id and has_more, read by everyone."""
    from benchmarks.peers import msgspec_model as ms
    from benchmarks.peers import openai_client as oc
    from benchmarks.peers import pydantic_model as pyd

    pages = [orjson.loads(p) for p in w.run_pages(3)]
    ids = [r["id"] for p in pages for r in p["data"]]
    assert len(ids) == len(set(ids)) == 60
    for i, (data, page) in enumerate(zip(w.run_pages(3), pages, strict=True)):
        assert set(page) == {"object", "data", "first_id", "last_id", "has_more"}
        assert page["first_id"] == page["data"][0]["id"]
        assert page["last_id"] == page["data"][-1]["id"]
        assert page["has_more"] == (i < 2)
        assert all("required_action" in r for r in page["data"])
        ours = runschema.loads(data, runschema.RunList, strict=True)
        assert json_difference(page, orjson.loads(runschema.dumps(ours))) is None
        for peer in (
            oc.RunPage.model_validate_json(data),
            pyd.RunList.model_validate_json(data),
            ms.page_decoder.decode(data),
        ):
            assert [r.id for r in peer.data] == [r["id"] for r in page["data"]]


def test_transcripts_are_valid_distinct_streams() -> None:
    """Each transcript has exactly its events, ends with done, breaks no rule of the order
    checker, reads strictly, has about 150 text deltas of 200 events and tool call pieces
    that add up to the calls; transcripts share no id."""
    ts = w.transcripts(4)
    seen: set[str] = set()
    for t in ts:
        assert len(t) == 200
        assert t.events[-1] == ("done", None)
        events = runschema.decode_stream(t.body, strict=True)
        assert runschema.check_stream(events) == []
        assert len(events) == 200
        names = [name for name, _ in t.events]
        assert names.count("thread.message.delta") == t.message_deltas
        assert names.count("thread.run.step.delta") == t.step_deltas
        assert 120 <= t.message_deltas <= 175
        assert t.step_deltas >= 15
        assert names[:4] == [
            "thread.created",
            "thread.run.created",
            "thread.run.queued",
            "thread.run.in_progress",
        ]
        last = "thread.run.requires_action" if t.requires_action else "thread.run.completed"
        assert names[-2] == last
        pieces: dict[tuple[str, int], str] = {}
        for name, data in t.events:
            if name == "thread.run.step.delta":
                for c in data["delta"]["step_details"]["tool_calls"]:
                    if c["type"] == "function":
                        key = (data["id"], c["index"])
                        pieces[key] = pieces.get(key, "") + c["function"]["arguments"]
        if t.requires_action:
            run = t.events[-2][1]
            calls = run["required_action"]["submit_tool_outputs"]["tool_calls"]
            assert sorted(pieces.values()) == sorted(c["function"]["arguments"] for c in calls)
        ids = {data["id"] for _, data in t.events if data is not None}
        assert not ids & seen
        seen |= ids
    assert {t.requires_action for t in ts} == {False, True}
    assert len({t.body for t in ts}) == 4


def test_openai_client_path_is_the_clients() -> None:
    """What the benchmark calls the official client's path yields what the client itself
    yields for the same body over HTTP (a mock transport), event for event; the validating
    and by-name readings give the same values; the encoders write the transcript's events."""
    import httpx2
    import openai

    from benchmarks.cases import _openai_to_json, _pydantic_json, sse_json
    from benchmarks.peers import openai_client as oc

    t = w.transcript(1, 100)
    assert t.requires_action

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=t.body)

    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    client = openai.OpenAI(api_key="x", base_url="http://test/v1", http_client=http)
    with pytest.warns(DeprecationWarning, match="Assistants API is deprecated"):
        stream = client.beta.threads.create_and_run(  # type: ignore[deprecated]
            assistant_id="asst_1", stream=True
        )
    got = list(stream)
    ours = oc.client_events(t.body)
    assert len(got) == len(ours) == len(t) - 1  # the client stops at done
    readings = (ours, oc.validated_events(t.body), oc.by_name_events(t.body))
    for theirs, *others in zip(got, *readings, strict=True):
        want = theirs.model_dump(mode="json", exclude_unset=True)
        for other in others:
            assert type(other) is type(theirs)
            assert other.model_dump(mode="json", exclude_unset=True) == want
    for dump in (_pydantic_json, _openai_to_json):  # the benchmark's two writers
        body = oc.encode_events(got, dump)
        assert orjson.loads(sse_json(body)) == orjson.loads(sse_json(t.body))


def test_sse_json_refuses_what_it_cannot_read() -> None:
    """The output check's reader takes only whole frames of one event and one data line,
    ending with done."""
    from benchmarks.cases import sse_json

    ok = b'event: thread.created\ndata: {"id":"t"}\n\nevent: done\ndata: [DONE]\n\n'
    assert orjson.loads(sse_json(ok)) == [
        {"event": "thread.created", "data": {"id": "t"}},
        {"event": "done", "data": "[DONE]"},
    ]
    for bad in (
        ok[:-1],
        ok.replace(b"\ndata: {", b"\ndata: \ndata: {"),
        ok.replace(b"event: done\ndata: [DONE]\n\n", b""),
        b"data: [DONE]\n\n",
    ):
        with pytest.raises(ValueError, match=r"blank line|one data line|ends with done"):
            sse_json(bad)


# --- the harness ----------------------------------------------------------------------------


def test_quartiles_and_paired_ratios() -> None:
    """Quartiles interpolate; a paired ratio is taken per round, then its median and IQR."""
    assert quartiles([5.0]) == (5.0, 5.0, 5.0)
    assert quartiles([1.0, 2.0, 3.0, 4.0, 5.0]) == (2.0, 3.0, 4.0)
    assert quartiles([4.0, 1.0, 3.0, 2.0]) == (1.75, 2.5, 3.25)
    r = paired_ratios([2.0, 4.0, 9.0], [1.0, 8.0, 3.0])
    assert r["rounds"] == [2.0, 0.5, 3.0]
    assert (r["q1"], r["median"], r["q3"]) == (1.25, 2.0, 2.5)
    # the median per-round ratio is not the ratio of medians (4.0 / 3.0 here)
    assert r["median"] != quartiles([2.0, 4.0, 9.0])[1] / quartiles([1.0, 8.0, 3.0])[1]
    with pytest.raises(ValueError, match="pair rounds"):
        paired_ratios([1.0], [1.0, 2.0])


def test_json_difference() -> None:
    """Same JSON value: numbers by value, true is not 1, key order aside; differences named."""
    assert json_difference({"a": 1, "b": [1.0]}, {"b": [1], "a": 1.0}) is None
    assert json_difference({"a": True}, {"a": 1}) == "$.a: true in the input, 1 in the output"
    assert json_difference({"a": None}, {}) == "$.a: null in the input, absent in the output"
    assert json_difference({}, {"x": 1}) == "$.x: absent in the input, 1 in the output"
    assert json_difference([1, 2], [1]) == "$: 2 items in the input, 1 in the output"


def test_run_case_interleaves_rotates_and_walks_slices() -> None:
    """Warm-up on the last documents first; then each round calls every contender once on the
    same slice, in an order that rotates; slices are walked round by round."""
    log: list[tuple[str, int]] = []

    def contender(name: str) -> Contender:
        def fn(d: int) -> int:
            log.append((name, d))
            return d

        return Contender(name, fn, list(range(6)), [b"%d" % i for i in range(6)], orjson.dumps)

    case = Case("c", "decode", [contender("runschema"), contender("b"), contender("c")])
    case.slice_len = 2
    case.warmup = 2
    res = run_case(case, Settings(rounds=3, budget_ns=0, collect=False))
    assert log[:6] == [(n, d) for n in ("runschema", "b", "c") for d in (4, 5)]  # warm-up
    rounds = log[6 : 6 + 18]
    order = ["runschema", "b", "c", "b", "c", "runschema", "c", "runschema", "b"]
    assert [n for n, _ in rounds[::2]] == order
    for r in range(3):
        assert {d for _, d in rounds[6 * r : 6 * r + 6]} == {2 * r, 2 * r + 1}
    assert set(res["ratios"]) == {"b", "c"}
    assert all(c["check"]["same_json"] for c in res["contenders"].values())
    assert all(len(c["round_ns"]) == 3 for c in res["contenders"].values())


def test_load_watch_marks_a_moved_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reading far from what the run alone explains marks the run "load moved"."""
    loads = iter([(0.2, 0.2, 0.2), (0.3, 0.2, 0.2), (2.5, 1.0, 0.5)])
    monkeypatch.setattr(os, "getloadavg", lambda: next(loads))
    watch = LoadWatch()
    assert not watch.read("steady")["moved"]
    summary = watch.summary()
    assert summary["moved"]
    assert summary["moved_during"] == ["end"]
    assert summary["start"] == [0.2, 0.2, 0.2]


# --- a smoke run of everything --------------------------------------------------------------


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from benchmarks.__main__ import main

    out = tmp_path_factory.mktemp("bench") / "results.json"
    # a smoke run: every case and contender runs, nothing is measured (CI runs the quick
    # benchmark on its own, and `python -m benchmarks` is the real thing)
    assert main(["--smoke", "--import-repeat", "1", "--out", str(out)]) == 0
    loaded: dict[str, Any] = json.loads(Path(out).read_text())
    return loaded


def test_every_case_has_every_contender(results: dict[str, Any]) -> None:
    """Every case of the list ran, each with runschema and all its peers."""
    from benchmarks.cases import CASES

    assert list(results["cases"]) == [name for name, _ in CASES]
    for name, case in results["cases"].items():
        got = set(case["contenders"])
        if "stream transcripts" in name:  # no same-shape peers; the client's own readings
            if case["kind"] == "decode":
                want = {"runschema", "openai client", "openai validate", "openai by name"}
            else:
                want = {"runschema", "openai model_dump_json", "openai to_json"}
            want.add("orjson")
        elif case["kind"] in ("decode", "change"):
            want = {"runschema", "pydantic", "openai", "msgspec", "orjson"}
        else:
            want = {"runschema", "pydantic", "openai model_dump_json", "openai to_json"}
            want |= {"msgspec", "orjson"}
        if name.startswith(("decode seed", "decode fuller run")):
            want.add("runschema reference")
        if "unknown keys in every run" in name:
            want.add("runschema, same runs without")
        assert got == want, name
        assert set(case["ratios"]) == want - {"runschema"}
        assert case["row"]


def test_ratios_are_medians_of_per_round_ratios(results: dict[str, Any]) -> None:
    """Each ratio is the median of the per-round ratios, and the IQR brackets it."""
    for name, case in results["cases"].items():
        ours = case["contenders"]["runschema"]["round_ns"]
        assert len(ours) == case["rounds"]
        for peer, ratio in case["ratios"].items():
            theirs = case["contenders"][peer]["round_ns"]
            per_round = [a / b for a, b in zip(ours, theirs, strict=True)]
            assert ratio["rounds"] == pytest.approx(per_round), name
            assert ratio["median"] == pytest.approx(quartiles(per_round)[1])
            assert ratio["q1"] <= ratio["median"] <= ratio["q3"]
        for c in case["contenders"].values():
            assert c["median_ns"] == pytest.approx(quartiles(c["round_ns"])[1])
            assert all(t > 0 for t in c["round_ns"])


def test_streams_walk_distinct_documents(results: dict[str, Any]) -> None:
    """Stream cases decode slices of many documents; the server view decodes each once."""
    cases = results["cases"]
    stream = cases["decode stream, 60 assistants, lenient"]
    assert stream["documents"] == results["sizes"]["stream_runs"]
    server = cases["decode, server view, lenient"]
    assert server["rounds"] * server["per_sample"]["runschema"] == server["documents"]
    for name in ("decode seed, lenient", "decode, a 64 KiB function schema, lenient"):
        assert cases[name]["documents"] == 1
    assert cases["decode fuller run step, lenient"]["documents"] == 1
    sizes = results["sizes"]
    assert cases["decode run steps, lenient"]["documents"] == sizes["step_docs"]
    assert cases["decode 20-run list pages, lenient"]["documents"] == sizes["pages"]
    for name in ("decode stream transcripts, strict", "encode stream transcripts"):
        assert cases[name]["documents"] == sizes["transcripts"]
        assert cases[name]["per_sample"]["runschema"] == sizes["transcript_slice"]


def test_output_checks(results: dict[str, Any]) -> None:
    """What is true: runschema, orjson, pydantic and openai output the same JSON everywhere;
    msgspec drops explicit nulls (the seed's incomplete_details) and unknown keys, so it is
    flagged on the seed and the streams, and not on the fuller run, which has neither."""
    for name, case in results["cases"].items():
        for contender, entry in case["contenders"].items():
            check = entry["check"]
            assert check is not None
            assert check["checked"] >= 1
            if contender != "msgspec":
                assert check["same_json"], (name, contender, check["first"])
    flagged = {
        n
        for n, c in results["cases"].items()
        if "msgspec" in c["contenders"] and not c["contenders"]["msgspec"]["check"]["same_json"]
    }
    assert {"decode seed, lenient", "decode seed, strict", "encode seed"} <= flagged
    assert not flagged & {"decode fuller run, lenient", "decode fuller run, strict"}
    assert "encode fuller run" not in flagged
    # its run step has the API's shape exactly; its page's runs drop nulls and unknown keys
    assert not {n for n in flagged if "run step" in n}
    assert {"decode 20-run list pages, lenient", "encode 20-run list pages"} <= flagged
    assert "decode, unknown keys in every run, lenient" in flagged
    kinds = results["cases"]["decode, unknown keys in every run, lenient"]["contenders"]["msgspec"]
    assert "key dropped" in kinds["check"]["kinds"]


def test_archive_memory(results: dict[str, Any]) -> None:
    """Archive cases keep every run and measure the memory retained per run."""
    archives = [c for n, c in results["cases"].items() if n.startswith("archive")]
    assert len(archives) == 2
    for case in archives:
        assert case["per_sample"]["runschema"] == case["documents"]
        for entry in case["contenders"].values():
            assert entry["memory"]["retained_per_doc"] > 0
            assert entry["memory"]["peak_bytes"] > 0


def test_report_and_markdown(results: dict[str, Any]) -> None:
    """The Markdown table has a row per case, the five columns, ratios with IQRs, the machine
    and load average in its heading, and marks msgspec's lossy output."""
    from benchmarks.__main__ import report

    md = results["markdown"]
    header = "| case | runschema | pydantic (same shape) | openai models | msgspec | orjson alone |"
    assert header in md
    m = results["machine"]
    for heading in ("CPython", "Load average", f"runschema {m['versions']['runschema']}", m["cpu"]):
        assert heading in md
    for case in results["cases"].values():
        assert f"| {case['row']} |" in md
    assert "x (IQR " in md
    assert "† msgspec" in md
    text = report(results)
    assert "NOT THE SAME JSON" in text
    assert "load average" in text


def test_rejection_against_acceptance(results: dict[str, Any]) -> None:
    """Rejecting big bad documents is measured against accepting a valid one of that size,
    the ratio taken per round."""
    rej = results["rejection"]
    accept = "accept: valid run (a big tool schema)"
    assert accept in rej["median_ns"]
    assert len(rej["median_ns"]) == 4
    for name, ratio in rej["time_ratio_to_accept"].items():
        assert ratio["q1"] <= ratio["median"] <= ratio["q3"]
        assert rej["memory_ratio_to_accept"][name] > 0
    sizes = rej["bytes"].values()
    assert max(sizes) < 2 * min(sizes)  # alike in size, so that the ratios mean something


def test_import_machine_and_load(results: dict[str, Any]) -> None:
    """Import times are CPU times of fresh interpreters; machine, versions, load recorded."""
    imp = results["import"]
    assert imp["median_ns"]["import runschema"] > 0
    assert imp["median_ns"]["from openai.types.beta.threads import Run"] > 0
    m = results["machine"]
    assert results["mode"] == "smoke"
    assert {"runschema", "attrs", "cattrs", "orjson", "openai", "pydantic", "msgspec"} <= set(
        m["versions"]
    )
    assert Path(m["runschema_from"]) == Path(runschema.__file__).resolve().parent
    load = results["load"]
    assert len(load["start"]) == len(load["end"]) == 3
    assert isinstance(load["moved"], bool)
    assert len(load["readings"]) >= len(results["cases"])


# --- the command line against other tools ---------------------------------------------------


def test_cli_comparison_on_a_tiny_archive(tmp_path: Path) -> None:
    """Every installed tool reads every line of a tiny archive and finds it valid; tools that
    are not installed are said to be missing."""
    from benchmarks import cli

    out = tmp_path / "cli.json"
    assert cli.main(["--lines", "12", "--out", str(out)]) == 0
    res = json.loads(out.read_text())
    tools = res["tools"]
    assert {"runschema validate --strict", "jsonschema loop (Draft 2020-12)"} <= set(tools)
    assert {"msgspec script (same-shape Struct)", "pydantic TypeAdapter(openai Run)"} <= set(tools)
    for name, t in tools.items():
        assert t["read_all_valid"], (name, t["output"])
        assert t["peak_rss_bytes"] > 0
        assert t["documents"] == 12
    have_rs = any("jsonschema-rs" in t for t in tools)
    assert have_rs != any("jsonschema-rs" in m for m in res["missing"])
    have_check = any("check-jsonschema" in t for t in tools)
    assert have_check != any("check-jsonschema" in m for m in res["missing"])
    assert "| runschema validate --strict | 12 |" in res["markdown"]


def test_cli_tools_do_reject_a_bad_archive(tmp_path: Path) -> None:
    """The loops really check: one bad line makes them count it invalid."""
    from benchmarks import cli
    from benchmarks.harness import run_child

    archive = cli.make_archive(5, tmp_path)
    lines = archive.jsonl.read_bytes().splitlines()
    bad = orjson.loads(lines[2])
    bad["metadata"] = {"k": 5}
    archive.jsonl.write_bytes(b"\n".join([*lines[:2], orjson.dumps(bad), *lines[3:]]) + b"\n")
    for tool in cli.tools()[0]:
        if "check-jsonschema" in tool.name or "pydantic" in tool.name:
            continue  # they read the array and per-run files; openai's import is slow
        child = run_child(tool.argv(archive), env=child_env())
        assert not tool.read_all(child, 5), tool.name
