"""Timing, pairing, spread, output checks and machine load: what every benchmark case shares.

A case is a set of contenders doing the same work on the same documents (each contender gets
the documents in the form it takes: the openai model a copy with ``instructions`` a string,
strict mode the variant with ``required_action: null``). :func:`run_case` times them so that a
skeptic can accept the figures:

- the clock is the thread's CPU clock (``time.thread_time_ns``): time the process spends
  descheduled by other work on the machine is not counted (what such work does to the caches
  still is: see the load average);
- warm-up is never timed: each contender's first calls (code generation, caches, lazy
  imports), on the last few documents of the case, happen before the first round;
- rounds are interleaved: each round times every contender once, in an order that rotates from
  round to round, so that slow phases of the machine hit all contenders alike;
- a ratio is computed per round (runschema's time over the peer's in the same round), and the
  figure reported is the median of those ratios with their interquartile range; never a ratio
  of medians;
- every contender runs the same loop (``for d in docs: fn(d)``), so loop overhead is identical;
- a stream case walks through the documents: the sample of round ``r`` decodes slice
  ``r mod slices``, the same slice for every contender of that round, and there are at least
  as many rounds as slices;
- after the rounds (so that it cannot warm anything for them), each contender's output is
  checked against its input: is it the same JSON value? A contender that drops data does less
  work, and the report says so beside its figures.
"""

from __future__ import annotations

import gc
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson

__all__ = [
    "Case",
    "Child",
    "Contender",
    "LoadWatch",
    "Settings",
    "calibrate",
    "check_outputs",
    "json_difference",
    "json_differences",
    "machine_info",
    "paired_ratios",
    "quartiles",
    "retained_memory",
    "run_case",
    "run_child",
    "time_sample",
]

#: The clock of every timed sample: CPU time of the calling thread, in nanoseconds.
clock = time.thread_time_ns


@dataclass
class Contender:
    """One way of doing a case's work.

    ``fn`` is called on each item of ``inputs`` (documents, or objects to encode); items at the
    same index stand for the same document across the contenders of a case. ``expected[i]`` is
    the JSON text ``fn(inputs[i])`` should be equal to once written out by ``as_json`` (its
    own encoder for a decoder, nothing for an encoder); without them, nothing is checked.
    """

    name: str
    fn: Callable[[Any], object]
    inputs: Sequence[Any]
    expected: Sequence[bytes] | None = None
    as_json: Callable[[Any], bytes | str] | None = None
    note: str = ""


@dataclass
class Case:
    """Contenders doing the same work, timed together (see :func:`run_case`).

    ``slice_len``: 0 for a case of one document done again and again (the loop count of a
    sample is calibrated per contender); else the inputs are distinct documents and a sample
    does ``slice_len`` of them in a row, rounds walking through the slices (at least one round
    a slice, so that every document is done). ``rounds`` overrides the count (e.g. exactly one
    round a slice: each document done once). ``warmup``: how many documents, the last ones,
    each contender does before the rounds (code generation, caches, lazy imports).
    ``keep``: a sample keeps every output until it ends (an archive), freed untimed.
    ``memory``: also measure the memory each contender's outputs retain, per document.
    """

    name: str
    kind: str
    contenders: list[Contender]
    ours: str = "runschema"
    slice_len: int = 0
    rounds: int | None = None
    keep: bool = False
    memory: bool = False
    warmup: int = 16
    notes: list[str] = field(default_factory=list)
    #: the row label in the README table (None: not in the table)
    row: str | None = None


@dataclass(frozen=True)
class Settings:
    """How hard to measure: rounds, the time a repeated-document sample aims at (0: one call
    a sample), whether to collect garbage before each sample, how many outputs to check."""

    rounds: int
    budget_ns: int
    collect: bool
    check_limit: int = 400


def time_sample(fn: Callable[[Any], object], docs: Sequence[Any], keep: bool) -> int:
    """CPU nanoseconds to call ``fn`` on every item of ``docs``, in one plain loop.

    ``keep``: the outputs are kept in a list until the loop ends (and freed after the clock
    stops); else each output is dropped as the next call starts, which is timed.
    """
    if keep:
        out: list[object] = []
        append = out.append
        t0 = clock()
        for d in docs:
            append(fn(d))
        dt = clock() - t0
        del out
        return dt
    t0 = clock()
    for d in docs:
        fn(d)
    return clock() - t0


def calibrate(fn: Callable[[Any], object], doc: Any, budget_ns: int) -> int:
    """Calls per sample so that one sample of ``fn(doc)`` takes about ``budget_ns`` of CPU
    time (1 when the budget is 0). The calls made here are not samples."""
    if budget_ns <= 0:
        return 1
    n = 1
    while True:
        dt = time_sample(fn, [doc] * n, keep=False)
        if dt >= budget_ns or n >= 1 << 20:
            return max(1, round(n * budget_ns / max(dt, 1)))
        n *= 2


def quartiles(xs: Sequence[float]) -> tuple[float, float, float]:
    """First quartile, median and third quartile, by linear interpolation between the sorted
    values (numpy's default); one value gives itself three times."""
    s = sorted(xs)
    if not s:
        raise ValueError("no values")

    def at(q: float) -> float:
        pos = q * (len(s) - 1)
        lo = math.floor(pos)
        hi = min(lo + 1, len(s) - 1)
        return s[lo] + (s[hi] - s[lo]) * (pos - lo)

    return at(0.25), at(0.5), at(0.75)


def paired_ratios(ours: Sequence[float], theirs: Sequence[float]) -> dict[str, Any]:
    """Per-round ratios ``ours[r] / theirs[r]``, their median and interquartile range."""
    if len(ours) != len(theirs):
        raise ValueError("ratios pair rounds: the two lists must be alike in length")
    rounds = [a / b for a, b in zip(ours, theirs, strict=True)]
    q1, med, q3 = quartiles(rounds)
    return {"median": med, "q1": q1, "q3": q3, "rounds": rounds}


def _text(v: Any) -> str:
    text = orjson.dumps(v).decode()
    return text if len(text) <= 40 else text[:37] + "..."


def _number(x: Any) -> bool:
    return type(x) in (int, float)


def json_differences(want: Any, got: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """Every difference between two parsed JSON values, as (kind, description): kinds are
    ``null dropped``, ``key dropped``, ``key added``, ``length changed``, ``value changed``.
    Numbers compare by value (``1`` and ``1.0`` are the same JSON number); ``true`` is not
    ``1``; an object's key order does not matter."""
    if isinstance(want, dict) and isinstance(got, dict):
        for k, v in want.items():
            if k not in got:
                if v is None:
                    yield "null dropped", f"{path}.{k}: null in the input, absent in the output"
                else:
                    yield (
                        "key dropped",
                        f"{path}.{k}: {_text(v)} in the input, absent in the output",
                    )
            else:
                yield from json_differences(v, got[k], f"{path}.{k}")
        for k in got:
            if k not in want:
                yield "key added", f"{path}.{k}: absent in the input, {_text(got[k])} in the output"
        return
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            yield (
                "length changed",
                f"{path}: {len(want)} items in the input, {len(got)} in the output",
            )
            return
        for i, (a, b) in enumerate(zip(want, got, strict=True)):
            yield from json_differences(a, b, f"{path}[{i}]")
        return
    if _number(want) and _number(got):
        same = want == got
    else:
        same = type(want) is type(got) and want == got
    if not same:
        yield "value changed", f"{path}: {_text(want)} in the input, {_text(got)} in the output"


def json_difference(want: Any, got: Any) -> str | None:
    """The first difference between two parsed JSON values (see :func:`json_differences`), or
    None if they are the same JSON value."""
    for _, text in json_differences(want, got):
        return text
    return None


def check_outputs(c: Contender, limit: int) -> dict[str, Any] | None:
    """Whether ``c`` outputs the same JSON value as its inputs, on its first ``limit`` inputs:
    how many were checked, how many differ, how many documents show each kind of difference,
    and the first difference. None if ``c`` has nothing to check against."""
    if c.expected is None or c.as_json is None:
        return None
    n = min(limit, len(c.inputs))
    differing = 0
    first: str | None = None
    kinds: dict[str, int] = {}
    for i in range(n):
        got = orjson.loads(c.as_json(c.fn(c.inputs[i])))
        diffs = list(json_differences(orjson.loads(c.expected[i]), got))
        if diffs:
            differing += 1
            first = first or f"document {i}: {diffs[0][1]}"
            for kind in sorted({kind for kind, _ in diffs}):
                kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "checked": n,
        "differing": differing,
        "same_json": not differing,
        "kinds": kinds,
        "first": first,
    }


def retained_memory(c: Contender, docs: Sequence[Any]) -> dict[str, float]:
    """Bytes retained per document by ``c``'s outputs on ``docs`` kept in a list, with the
    garbage collector on, and the peak during the decode (tracemalloc: untimed)."""
    gc.collect()
    tracemalloc.start()
    try:
        kept = [c.fn(d) for d in docs]
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return {"retained_per_doc": current / len(docs), "peak_bytes": float(peak)}


def run_case(case: Case, settings: Settings, load: LoadWatch | None = None) -> dict[str, Any]:
    """Time every contender of ``case`` in interleaved rounds; pair them per round; check
    their outputs; return everything as JSON-ready data (see the module docstring)."""
    contenders = case.contenders
    names = [c.name for c in contenders]
    if len(set(names)) != len(names) or case.ours not in names:
        raise ValueError(f"{case.name}: contender names must be unique and include {case.ours}")
    n = len(contenders[0].inputs)
    if any(len(c.inputs) != n for c in contenders):
        raise ValueError(f"{case.name}: every contender needs the same documents")
    reading = load.read(case.name) if load is not None else None
    for c in contenders:  # warm-up, never timed: the last documents (met last by the rounds)
        for d in c.inputs[-case.warmup :]:
            c.fn(d)
    samples: dict[str, list[Sequence[Any]]] = {}
    if case.slice_len:
        s = case.slice_len
        bounds = [(a, min(a + s, n)) for a in range(0, n, s)]
        for c in contenders:
            samples[c.name] = [c.inputs[a:b] for a, b in bounds]
    else:
        for c in contenders:
            samples[c.name] = [[c.inputs[0]] * calibrate(c.fn, c.inputs[0], settings.budget_ns)]
    rounds = case.rounds or max(settings.rounds, len(samples[contenders[0].name]))
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        k = r % len(contenders)
        for c in contenders[k:] + contenders[:k]:
            docs = samples[c.name][r % len(samples[c.name])]
            if settings.collect:
                gc.collect()
            times[c.name].append(time_sample(c.fn, docs, case.keep) / len(docs))
    out: dict[str, Any] = {
        "kind": case.kind,
        "documents": n,
        "per_sample": {name: len(samples[name][0]) for name in names},
        "rounds": rounds,
        "ours": case.ours,
        "row": case.row,
        "notes": case.notes,
        "load_at_start": reading,
        "contenders": {},
        "ratios": {},
    }
    for c in contenders:
        entry: dict[str, Any] = {
            "median_ns": quartiles(times[c.name])[1],
            "round_ns": times[c.name],
            "note": c.note,
            "check": check_outputs(c, settings.check_limit),
        }
        if case.memory:
            entry["memory"] = retained_memory(c, c.inputs)
        out["contenders"][c.name] = entry
        if c.name != case.ours:
            out["ratios"][c.name] = paired_ratios(times[case.ours], times[c.name])
    return out


class LoadWatch:
    """The machine's load average over a run, against what the run alone explains.

    The 1-minute load average is a moving average (time constant 60 s) of the number of
    runnable threads. The benchmark keeps one thread busy, so a machine whose other load stays
    at ``L0`` reads ``L0 + 1 - exp(-t / 60)`` after ``t`` seconds. A reading that differs from
    that by more than 0.5 (or 50% of it, where that is larger) means other work started or
    stopped during the run: the run is marked "load moved". The kernel updates the average
    every 5 s, so a burst shorter than that may go unseen.
    """

    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.start = os.getloadavg()
        self.readings: list[dict[str, Any]] = []

    def expected(self, seconds: float) -> float:
        """The 1-minute load this run alone explains ``seconds`` after its start."""
        return self.start[0] + 1 - math.exp(-seconds / 60)

    def read(self, label: str) -> dict[str, Any]:
        """Read the load average now; record and return it with what was expected."""
        la = os.getloadavg()
        t = time.monotonic() - self.t0
        want = self.expected(t)
        moved = abs(la[0] - want) > max(0.5, 0.5 * want)
        reading = {
            "label": label,
            "seconds": round(t, 1),
            "loadavg": [round(x, 2) for x in la],
            "expected_1min": round(want, 2),
            "moved": moved,
        }
        self.readings.append(reading)
        return reading

    def summary(self) -> dict[str, Any]:
        """Start and end (read now), every reading, and whether the load moved."""
        end = self.read("end")
        return {
            "start": [round(x, 2) for x in self.start],
            "end": end["loadavg"],
            "expected_end_1min": end["expected_1min"],
            "moved": any(r["moved"] for r in self.readings),
            "moved_during": [r["label"] for r in self.readings if r["moved"]],
            "readings": self.readings,
        }


@dataclass(frozen=True)
class Child:
    """A finished child process: exit code, output, wall time, CPU time, peak memory."""

    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    cpu_s: float
    maxrss_bytes: int


#: Run by :func:`run_child` in a fresh interpreter: start the command, wait for it with
#: ``wait4`` and write its own figures as JSON to the file named first.
_LAUNCHER = """
import json, os, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(p.pid, 0)
wall = time.perf_counter() - t0
p.returncode = code = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
cpu = usage.ru_utime + usage.ru_stime
with open(sys.argv[1], "w") as f:
    json.dump({"returncode": code, "wall_s": wall, "cpu_s": cpu, "maxrss_kb": usage.ru_maxrss}, f)
"""


def run_child(
    cmd: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> Child:
    """Run ``cmd`` to its end and measure it alone: wall time, CPU time and peak resident
    memory of that process (and the children it waited for), from ``wait4``.

    A small launcher interpreter starts it: a process forked from this one would count this
    process's memory as its own peak (Linux keeps the high-water mark across ``exec``), and
    the benchmark process is big. The launcher's own start is not in the figures.
    """
    with tempfile.TemporaryDirectory(prefix="runschema-child-") as tmp:
        figures = Path(tmp) / "figures.json"
        out_path, err_path = Path(tmp) / "stdout", Path(tmp) / "stderr"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            subprocess.run(
                [sys.executable, "-c", _LAUNCHER, str(figures), *cmd],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=cwd,
                check=True,
            )
        got = json.loads(figures.read_text())
        return Child(
            returncode=got["returncode"],
            stdout=out_path.read_text(errors="replace"),
            stderr=err_path.read_text(errors="replace"),
            wall_s=got["wall_s"],
            cpu_s=got["cpu_s"],
            maxrss_bytes=got["maxrss_kb"] * 1024,  # kilobytes on Linux
        )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git_commit() -> str | None:
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=here, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=here, capture_output=True, text=True
        )
    except OSError:
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_info(packages: Sequence[str]) -> dict[str, Any]:
    """What a reader needs to weigh the figures: CPU, cores, OS, CPython, package versions,
    the date, the commit of the code measured."""
    import runschema

    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _git_commit(),
        "runschema_from": str(Path(runschema.__file__).resolve().parent),
        "versions": {p: _version(p) for p in packages},
    }
