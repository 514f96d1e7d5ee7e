"""``python -m benchmarks [--quick] [--out PATH]``: runschema side by side with its peers.

Every case times all its contenders in one process, in interleaved rounds (each round times
each contender once, in a rotating order) so that host noise hits them alike; the figure kept
is the median over rounds. Results are printed as medians and as ratios of runschema to each
contender, and written as JSON. Nothing here fails on a time: ``--quick`` exists so CI can run
it and keep it from rotting.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from importlib import metadata
from itertools import cycle
from pathlib import Path
from typing import Any

import orjson

import runschema
from runschema._structure import explain

HERE = Path(__file__).resolve().parent
FULL = (HERE / "data" / "full_run.json").read_bytes()
SEED = runschema.seed_example()
# Strict mode reports the seed's absent `required_action`: its strict cases add it as null.
SEED_STRICT = orjson.dumps({**orjson.loads(SEED), "required_action": None})
# The openai model rejects the seed's `instructions: null` (an erratum it does not know).
SEED_FOR_OPENAI = orjson.dumps({**orjson.loads(SEED), "instructions": "You are helpful."})

Fn = Callable[[], object]


def _calibrate(fn: Fn, budget_ns: int) -> int:
    """Loops per sample so that one sample takes about ``budget_ns`` (after a warm-up call)."""
    fn()  # the first call may generate code, fill caches, import lazily: never time it
    n = 1
    while True:
        t0 = time.perf_counter_ns()
        for _ in range(n):
            fn()
        dt = time.perf_counter_ns() - t0
        if dt >= budget_ns or n >= 1 << 20:
            return max(1, int(n * budget_ns / max(dt, 1)))
        n *= 2


#: Collect garbage before each sample (off in smoke runs: a test process has a big heap).
COLLECT = True


def interleaved(contenders: dict[str, Fn], rounds: int, budget_ns: int) -> dict[str, float]:
    """Median ns per call of each contender, timed in rotating interleaved rounds."""
    loops = {name: _calibrate(fn, budget_ns) for name, fn in contenders.items()}
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            fn, n = contenders[name], loops[name]
            if COLLECT:
                gc.collect()
            t0 = time.perf_counter_ns()
            for _ in range(n):
                fn()
            samples[name].append((time.perf_counter_ns() - t0) / n)
    return {name: statistics.median(v) for name, v in samples.items()}


#: How many "new schemas each time" documents to cycle through (see decode_cases).
FRESH_DOCS = 4096


def decode_cases() -> dict[str, dict[str, Fn]]:
    from openai.types.beta.threads import Run as OpenAIRun

    from benchmarks.peers import msgspec_model as ms
    from benchmarks.peers import pydantic_model as pyd

    cases: dict[str, dict[str, Fn]] = {}
    for label, lenient_data, openai_data in (
        ("seed", SEED, SEED_FOR_OPENAI),
        ("full", FULL, FULL),
    ):
        for mode in ("lenient", "strict"):
            strict = mode == "strict"
            data = SEED_STRICT if (strict and label == "seed") else lenient_data
            cases[f"decode {label} {mode}"] = {
                "runschema": partial(runschema.loads, data, runschema.Run, strict=strict),
                "runschema reference": partial(_reference, data, strict),
                "orjson.loads": partial(orjson.loads, data),
                "openai": partial(OpenAIRun.model_validate_json, openai_data),
                "pydantic": partial(pyd.Run.model_validate_json, data),
                "msgspec": partial(ms.decoder.decode, data),
            }
    # runschema interns JSON Schemas (runs of one assistant repeat them): the cases above see
    # the fuller run's two schemas again and again. Here every document carries two schemas
    # last seen 8,190 schemas earlier: runschema never keeps them, and pays for looking.
    fresh = _fresh_schema_docs(FRESH_DOCS)
    decoders: dict[str, Callable[[bytes], object]] = {
        "runschema": partial(runschema.loads, cls=runschema.Run),
        "orjson.loads": orjson.loads,
        "openai": OpenAIRun.model_validate_json,
        "pydantic": pyd.Run.model_validate_json,
        "msgspec": ms.decoder.decode,
    }
    cases["decode full lenient, new schemas each time"] = {
        name: partial(_each, fn, cycle(fresh)) for name, fn in decoders.items()
    }
    return cases


def _fresh_schema_docs(n: int) -> list[bytes]:
    """``n`` variants of the fuller run, each with its own two JSON Schemas."""
    base = orjson.loads(FULL)
    docs = []
    for i in range(n):
        doc = copy.deepcopy(base)
        doc["tools"][2]["function"]["parameters"]["$comment"] = f"variant {i}"
        doc["response_format"]["json_schema"]["schema"]["$comment"] = f"variant {i}"
        docs.append(orjson.dumps(doc))
    return docs


def _each(fn: Callable[[bytes], object], docs: Iterator[bytes]) -> object:
    return fn(next(docs))


def _reference(data: bytes, strict: bool) -> object:
    """The error-collecting reference interpreter alone (what the fast path saves)."""
    return explain(orjson.loads(data), runschema.Run, strict)


def encode_cases() -> dict[str, dict[str, Fn]]:
    from openai.types.beta.threads import Run as OpenAIRun

    from benchmarks.peers import msgspec_model as ms
    from benchmarks.peers import pydantic_model as pyd

    cases: dict[str, dict[str, Fn]] = {}
    for label, data, openai_data in (("seed", SEED, SEED_FOR_OPENAI), ("full", FULL, FULL)):
        ours = runschema.loads(data, runschema.Run)
        plain = orjson.loads(data)
        theirs = OpenAIRun.model_validate_json(openai_data)
        same = pyd.Run.model_validate_json(data)
        fast = ms.decoder.decode(data)
        cases[f"encode {label}"] = {
            "runschema": partial(runschema.dumps, ours),
            "orjson.dumps": partial(orjson.dumps, plain),
            "openai to_json()": theirs.to_json,
            "openai model_dump_json()": partial(theirs.model_dump_json, exclude_unset=True),
            "pydantic": partial(same.model_dump_json, by_alias=True, exclude_unset=True),
            "msgspec": partial(ms.encoder.encode, fast),
        }
    return cases


def batch(n: int, rounds: int) -> dict[str, Any]:
    """Decode and encode ``n`` runs as one JSON array and as JSONL; time and memory."""
    import msgspec
    from pydantic import TypeAdapter

    from benchmarks.peers import msgspec_model as ms
    from benchmarks.peers import pydantic_model as pyd

    docs = []
    base = orjson.loads(FULL)
    for i in range(n):
        d = dict(base)
        d["id"] = f"run_{i:06d}"
        d["created_at"] = base["created_at"] + i
        docs.append(d)
    array = orjson.dumps(docs)
    jsonl = b"\n".join(orjson.dumps(d) for d in docs) + b"\n"
    lines = jsonl.splitlines()
    ms_list = msgspec.json.Decoder(list[ms.Run])
    pyd_list = TypeAdapter(list[pyd.Run])
    decoders: dict[str, Fn] = {
        "runschema array": lambda: [
            runschema.structure(d, runschema.Run) for d in orjson.loads(array)
        ],
        "runschema jsonl": lambda: [runschema.loads(line, runschema.Run) for line in lines],
        "orjson.loads array": lambda: list(orjson.loads(array)),
        "pydantic array": lambda: pyd_list.validate_json(array),
        "pydantic jsonl": lambda: [pyd.Run.model_validate_json(line) for line in lines],
        "msgspec array": lambda: ms_list.decode(array),
        "msgspec jsonl": lambda: [ms.decoder.decode(line) for line in lines],
    }
    times = interleaved(decoders, rounds, budget_ns=1)  # one call per round: it is large
    memory: dict[str, dict[str, float]] = {}
    for name, fn in decoders.items():
        gc.collect()
        tracemalloc.start()
        kept = fn()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        memory[name] = {"retained_per_run": current / n, "peak_bytes": float(peak)}
        del kept
    ours = [runschema.loads(line, runschema.Run) for line in lines]
    same = pyd_list.validate_json(array)
    theirs = ms_list.decode(array)
    encoders: dict[str, Fn] = {
        "runschema array": lambda: b"[" + b",".join([runschema.dumps(r) for r in ours]) + b"]",
        "runschema jsonl": lambda: b"".join([runschema.dumps(r) + b"\n" for r in ours]),
        "orjson.dumps array": lambda: orjson.dumps(docs),
        "pydantic array": lambda: pyd_list.dump_json(same, by_alias=True, exclude_unset=True),
        "msgspec array": lambda: ms.encoder.encode(theirs),
        "msgspec jsonl": lambda: b"".join([ms.encoder.encode(r) + b"\n" for r in theirs]),
    }
    enc = interleaved(encoders, rounds, budget_ns=1)
    return {
        "runs": n,
        "decode_ns_per_run": {k: v / n for k, v in times.items()},
        "encode_ns_per_run": {k: v / n for k, v in enc.items()},
        "memory": memory,
    }


def rejection_documents(size: int = 1_000_000) -> dict[str, tuple[type[Any], bytes]]:
    """Documents of about ``size`` bytes: one valid run, and bad ones a service may be sent."""
    base = orjson.loads(FULL)
    props_n = size // 60
    valid = copy.deepcopy(base)
    valid["tools"][2]["function"]["parameters"] = {
        "type": "object",
        "properties": {
            f"p{i:07d}": {"type": "string", "description": "x" * 20} for i in range(props_n)
        },
    }
    pairs = size // 16
    bad_metadata = dict(base, metadata={f"k{i:07d}": i for i in range(pairs)})
    bad_tools = dict(base, tools=[{"type": 5}] * (size // 12))
    body = {"metadata": {f"k{i:07d}": i for i in range(pairs)}}
    return {
        "accept: valid run (a big tool schema)": (runschema.Run, orjson.dumps(valid)),
        "reject: run, bad metadata": (runschema.Run, orjson.dumps(bad_metadata)),
        "reject: run, every tool bad": (runschema.Run, orjson.dumps(bad_tools)),
        "reject: modify-run body, bad metadata": (runschema.RunUpdateParams, orjson.dumps(body)),
    }


def _decode_strict(cls: type[Any], data: bytes) -> object:
    try:
        return runschema.loads(data, cls, strict=True)
    except runschema.ValidationError as e:
        return e


def rejection(rounds: int, size: int = 1_000_000) -> dict[str, Any]:
    """What rejecting costs against accepting, at about 1 MB: time (interleaved) and peak
    memory; a service must not pay much more to say no than to say yes."""
    docs = rejection_documents(size)
    fns: dict[str, Fn] = {
        name: partial(_decode_strict, cls, data) for name, (cls, data) in docs.items()
    }
    times = interleaved(fns, rounds, budget_ns=1)
    peaks: dict[str, float] = {}
    for name, fn in fns.items():
        gc.collect()
        tracemalloc.start()
        fn()
        peaks[name] = float(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    accept = next(n for n in fns if n.startswith("accept"))
    return {
        "bytes": {name: len(data) for name, (_, data) in docs.items()},
        "median_ns": times,
        "peak_bytes": peaks,
        "time_ratio_to_accept": {n: times[n] / times[accept] for n in fns if n != accept},
        "memory_ratio_to_accept": {n: peaks[n] / peaks[accept] for n in fns if n != accept},
    }


def import_times(repeat: int) -> dict[str, float]:
    """Median wall time of a fresh interpreter importing each, less a bare interpreter."""
    snippets = {
        "bare interpreter": "pass",
        "import runschema": "import runschema",
        "from openai.types.beta.threads import Run": "from openai.types.beta.threads import Run",
    }
    samples: dict[str, list[float]] = {k: [] for k in snippets}
    for _ in range(repeat):
        for name, code in snippets.items():
            t0 = time.perf_counter_ns()
            subprocess.run([sys.executable, "-I", "-c", code], check=True)
            samples[name].append(time.perf_counter_ns() - t0)
    med = {k: statistics.median(v) for k, v in samples.items()}
    bare = med.pop("bare interpreter")
    return {k: max(v - bare, 1.0) for k, v in med.items()} | {"bare interpreter": bare}


def _fmt_ns(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:9.2f} ms"
    return f"{ns / 1e3:9.2f} us"


def _ratios(row: dict[str, float], ours: str) -> dict[str, float]:
    return {k: row[ours] / v for k, v in row.items() if k != ours and v > 0}


def run(
    quick: bool,
    batch_runs: int | None = None,
    import_repeat: int | None = None,
    *,
    smoke: bool = False,
) -> dict[str, Any]:
    """Every case, in one process; ``quick`` takes few samples (CI: it must run, not be exact);
    ``smoke`` one call per sample, on small inputs (the unit tests: every path runs, nothing
    is measured)."""
    global COLLECT, FRESH_DOCS
    rounds, budget = (3, 2_000_000) if quick else (21, 40_000_000)
    rejection_size = 100_000 if quick else 1_000_000
    if smoke:
        rounds, budget, rejection_size = 1, 1, 20_000
        COLLECT, FRESH_DOCS = False, 16
    if batch_runs is None:
        batch_runs = 1_000 if quick else 10_000
    if import_repeat is None:
        import_repeat = 3 if quick else 15
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": __import__("os").cpu_count(),
            "date": date.today().isoformat(),
            "quick": quick,
            "smoke": smoke,
            "versions": {
                p: metadata.version(p)
                for p in ("runschema", "attrs", "cattrs", "orjson", "openai", "pydantic", "msgspec")
            },
        },
        "notes": [
            "openai decodes the seed with instructions set to a string: its model rejects null",
            "strict seed cases decode the seed with required_action: null added (it is absent)",
            "'runschema reference' is the error-collecting interpreter alone, on valid input",
        ],
        "cases": {},
    }
    for name, contenders in {**decode_cases(), **encode_cases()}.items():
        med = interleaved(contenders, rounds, budget)
        results["cases"][name] = {"median_ns": med, "runschema_ratio_to": _ratios(med, "runschema")}
    results["batch"] = batch(batch_runs, 1 if quick else 5)
    results["rejection"] = rejection(1 if quick else 7, rejection_size)
    results["import"] = import_times(import_repeat)
    return results


def report(results: dict[str, Any]) -> str:
    lines = []
    m = results["machine"]
    lines.append(
        f"runschema benchmarks  {m['date']}  Python {m['python']}  {m['cpus']} cpus  "
        f"{'QUICK (indicative only)' if m['quick'] else ''}"
    )
    lines.append("  " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()))
    for name, case in results["cases"].items():
        lines.append(f"\n{name}")
        med = case["median_ns"]
        ratios = case["runschema_ratio_to"]
        for contender, ns in sorted(med.items(), key=lambda kv: kv[1]):
            r = ratios.get(contender)
            rtxt = f"runschema is {r:5.2f}x this" if r is not None else "(runschema)"
            lines.append(f"  {contender:28} {_fmt_ns(ns)}   {rtxt}")
    b = results["batch"]
    lines.append(f"\nbatch of {b['runs']} fuller runs, per run")
    for k, v in b["decode_ns_per_run"].items():
        mem = b["memory"][k]
        lines.append(
            f"  decode {k:22} {_fmt_ns(v)}   retained {mem['retained_per_run']:8.0f} B/run"
            f"   peak {mem['peak_bytes'] / 2**20:7.1f} MiB"
        )
    for k, v in b["encode_ns_per_run"].items():
        lines.append(f"  encode {k:22} {_fmt_ns(v)}")
    rej = results["rejection"]
    lines.append("\nrejecting against accepting, strict, about 1 MB each")
    for name, ns in rej["median_ns"].items():
        ratio = rej["time_ratio_to_accept"].get(name)
        mem_ratio = rej["memory_ratio_to_accept"].get(name)
        vs = f"   {ratio:4.2f}x time, {mem_ratio:4.2f}x memory" if ratio is not None else ""
        lines.append(
            f"  {name:40} {_fmt_ns(ns)}   peak {rej['peak_bytes'][name] / 2**20:6.1f} MiB{vs}"
        )
    imp = results["import"]
    ours, theirs = imp["import runschema"], imp["from openai.types.beta.threads import Run"]
    lines.append(
        f"\nimport (fresh interpreter, less {imp['bare interpreter'] / 1e6:.1f} ms bare start)"
    )
    lines.append(f"  import runschema                          {_fmt_ns(ours)}")
    lines.append(f"  from openai.types.beta.threads import Run {_fmt_ns(theirs)}")
    lines.append(f"  ratio {ours / theirs:.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few iterations (for CI)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--batch-runs", type=int, help="runs in the batch cases (10,000)")
    parser.add_argument("--import-repeat", type=int, help="fresh interpreters per import case")
    parser.add_argument("--smoke", action="store_true", help="one call a sample (unit tests)")
    args = parser.parse_args(argv)
    results = run(args.quick or args.smoke, args.batch_runs, args.import_repeat, smoke=args.smoke)
    print(report(results))
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nresults written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
