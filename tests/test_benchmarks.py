"""The benchmark runner runs (so it cannot rot) and reports what it claims; no time is checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest

import runschema
from benchmarks.__main__ import _fresh_schema_docs, interleaved, main
from runschema._fast import FastPaths
from runschema._kinds import json_text


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench") / "results.json"
    # a smoke run: every case and contender runs once, nothing is measured (CI runs the
    # quick benchmark on its own, and `python -m benchmarks` is the real thing)
    assert main(["--smoke", "--batch-runs", "20", "--import-repeat", "1", "--out", str(out)]) == 0
    loaded: dict[str, Any] = json.loads(Path(out).read_text())
    return loaded


PEERS = {"openai", "pydantic", "msgspec"}
MODES = ("lenient", "strict")


def test_every_case_has_every_contender(results: dict[str, Any]) -> None:
    """Decode (seed/full x lenient/strict) and encode (seed/full), each with all peers."""
    cases = results["cases"]
    assert set(cases) == {
        "decode seed lenient",
        "decode seed strict",
        "decode full lenient",
        "decode full strict",
        "encode seed",
        "encode full",
        "decode full lenient, new schemas each time",
    }
    for name, case in cases.items():
        med = case["median_ns"]
        want = {"runschema", "msgspec", "pydantic"} | (
            {"orjson.loads", "openai"}
            if name.startswith("decode")
            else {"orjson.dumps", "openai to_json()", "openai model_dump_json()"}
        )
        if name in {f"decode {doc} {mode}" for doc in ("seed", "full") for mode in MODES}:
            want.add("runschema reference")
        assert set(med) == want, name
        assert all(v > 0 for v in med.values())
        ratios = case["runschema_ratio_to"]
        assert set(ratios) == want - {"runschema"}
        for peer, r in ratios.items():
            assert r == pytest.approx(med["runschema"] / med[peer])


def test_rejection_against_acceptance(results: dict[str, Any]) -> None:
    """Rejecting big bad documents is measured against accepting a valid one of that size."""
    rej = results["rejection"]
    accept = "accept: valid run (a big tool schema)"
    assert accept in rej["median_ns"]
    assert len(rej["median_ns"]) == 4
    for name, ratio in rej["time_ratio_to_accept"].items():
        assert ratio == pytest.approx(rej["median_ns"][name] / rej["median_ns"][accept])
        assert rej["memory_ratio_to_accept"][name] > 0
    sizes = rej["bytes"].values()
    assert max(sizes) < 2 * min(sizes)  # alike in size, so that the ratios mean something


def test_rejection_documents_are_what_they_say() -> None:
    """The bad documents are rejected and the valid one is accepted, in strict mode."""
    from benchmarks.__main__ import rejection_documents

    for name, (cls, data) in rejection_documents(50_000).items():
        if name.startswith("accept"):
            runschema.loads(data, cls, strict=True)
        else:
            with pytest.raises(runschema.ValidationError) as info:
                runschema.loads(data, cls, strict=True)
            assert info.value.errors[-1].code == "too_many_problems"


def test_batch_and_memory(results: dict[str, Any]) -> None:
    """Batch decode/encode as array and JSONL, with retained and peak memory per contender."""
    b = results["batch"]
    assert b["runs"] == 20
    assert {"runschema array", "runschema jsonl", "msgspec array", "pydantic array"} <= set(
        b["decode_ns_per_run"]
    )
    assert {"runschema array", "runschema jsonl", "msgspec array"} <= set(b["encode_ns_per_run"])
    for name, mem in b["memory"].items():
        assert mem["retained_per_run"] > 0, name
        assert mem["peak_bytes"] >= mem["retained_per_run"] * b["runs"], name


def test_import_and_machine(results: dict[str, Any]) -> None:
    """Import times are measured in fresh interpreters; the machine and versions are recorded."""
    imp = results["import"]
    assert imp["import runschema"] > 0
    assert imp["from openai.types.beta.threads import Run"] > 0
    m = results["machine"]
    assert m["quick"] is True
    assert {"runschema", "attrs", "cattrs", "orjson", "openai", "pydantic", "msgspec"} == set(
        m["versions"]
    )


def test_interleaved_times_each_contender() -> None:
    """Each contender is called in every round; the median comes back per contender."""
    calls = {"a": 0, "b": 0}

    def a() -> None:
        calls["a"] += 1

    def b() -> None:
        calls["b"] += 1

    med = interleaved({"a": a, "b": b}, rounds=3, budget_ns=1)
    assert set(med) == {"a", "b"}
    # warm-up, calibration, three rounds
    assert calls["a"] >= 4
    assert calls["b"] >= 4


def test_peers_decode_the_same_runs() -> None:
    """The peers' models really decode the benchmark documents (a benchmark of errors measures
    nothing): same ids, same number of tools, same tool call ids."""
    import orjson

    from benchmarks.__main__ import FULL
    from benchmarks.peers import msgspec_model, pydantic_model

    doc = orjson.loads(FULL)
    ms_run = msgspec_model.decoder.decode(FULL)
    pyd_run = pydantic_model.Run.model_validate_json(FULL)
    for run in (ms_run, pyd_run):
        assert run.id == doc["id"]
        assert len(run.tools) == len(doc["tools"])
        assert run.required_action is not None
        calls = run.required_action.submit_tool_outputs.tool_calls
        assert [c.id for c in calls] == [
            c["id"] for c in doc["required_action"]["submit_tool_outputs"]["tool_calls"]
        ]
    assert orjson.loads(msgspec_model.encoder.encode(ms_run)) == doc


def test_new_schemas_case_never_hits_the_interned_schemas() -> None:
    """The 'new schemas each time' documents, taken in a cycle, are never interned."""
    fp = FastPaths()  # the default owner's settings, and a cache of its own
    interned = fp.interned
    structure = fp.structurer(runschema.Run, False)
    docs = _fresh_schema_docs(4096)
    for data in docs + docs[:100]:  # a full cycle, then the start of the next
        doc = orjson.loads(data)
        texts = [
            json_text(doc["tools"][2]["function"]["parameters"]),
            json_text(doc["response_format"]["json_schema"]["schema"]),
        ]
        assert not any(t in interned.map for t in texts)
        run = structure(orjson.loads(data))
        assert orjson.loads(runschema.dumps(run)) == doc
    assert not interned.map  # none came back soon enough to be kept
