"""``python -m benchmarks cli [--lines N] [--quick | --smoke] [--out PATH] [--keep DIR]``:
``runschema validate --strict`` on a JSONL archive against what a user could run instead.

The archive holds ``--lines`` distinct runs from 600 assistants (100,000 by default), every
one valid under runschema's strict mode and under the JSON Schema runschema exports, so that
every tool does its whole work on every line. Each tool runs in its own process, one after
the other; for each: documents per second (wall clock, start-up included, as a user sees it),
CPU seconds and peak resident memory of that process alone (``wait4``), and whether it read
every document and found them all valid.

The tools:

- ``runschema validate --strict FILE``;
- a ``jsonschema`` loop (Draft 2020-12 validator, runschema's own exported schema
  ``runschema.json_schema(runschema.Run)``), and a ``jsonschema-rs`` loop if it is installed;
- ``check-jsonschema`` with that schema, if installed. It reads JSON, YAML or TOML files, not
  JSONL (each file is one instance). Two honest ways, both run: the archive as one JSON array
  file against the schema wrapped as an array of runs (``{"type": "array", "items": Run}``,
  same definitions: every item is checked as a run), and one file per run on a sample of the
  archive (what a user splitting the JSONL would do);
- a msgspec script (each line decoded with the same-shape ``msgspec.Struct`` model), and a
  pydantic ``TypeAdapter`` loop with the openai package's ``Run``: these check types and
  enums, not the schema's limits (metadata sizes, maxItems, minimums): they do less.

The loops are in ``benchmarks/validators.py``. This takes minutes at 100,000 lines: ``--quick``
uses 2,000 and ``--smoke`` 200 (start-up then dominates: those figures mean nothing).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

import runschema
from benchmarks import workloads as w
from benchmarks.cases import PACKAGES, child_env
from benchmarks.harness import Child, LoadWatch, machine_info, quartiles, run_child

__all__ = ["Archive", "Tool", "main", "make_archive", "run", "tools"]

HERE = Path(__file__).resolve().parent
#: How many runs the check-jsonschema "one file per run" row checks at most.
PER_FILE_SAMPLE = 1_000
#: Lines of the archive in each mode.
LINES = {"full": 100_000, "quick": 2_000, "smoke": 200}


@dataclass(frozen=True)
class Archive:
    """The files the tools read: the JSONL archive, the same runs as one JSON array, a sample
    as one file per run, runschema's schema and its array-of-runs wrapping."""

    lines: int
    jsonl: Path
    array: Path
    per_file: list[Path]
    schema: Path
    array_schema: Path


def make_archive(lines: int, directory: Path) -> Archive:
    """Write the archive of ``lines`` distinct strictly valid runs (600 assistants; 5% with
    an unknown key, which strict mode and the schema allow; no absent ``required_action``,
    which strict mode rejects) and the files derived from it into ``directory``."""
    docs = w.stream(lines, 600, tag="cli").strict
    jsonl = directory / "runs.jsonl"
    jsonl.write_bytes(b"\n".join(docs) + b"\n")
    array = directory / "runs.json"
    array.write_bytes(b"[" + b",".join(docs) + b"]")
    per_dir = directory / "per-run"
    per_dir.mkdir(exist_ok=True)
    per_file = []
    for i, d in enumerate(docs[:PER_FILE_SAMPLE]):
        p = per_dir / f"run-{i:05d}.json"
        p.write_bytes(d)
        per_file.append(p)
    schema = runschema.json_schema(runschema.Run)
    schema_path = directory / "run.schema.json"
    schema_path.write_bytes(orjson.dumps(schema))
    wrapped = {
        "$schema": schema["$schema"],
        "title": "an array of Run",
        "type": "array",
        "items": {"$ref": schema["$ref"]},
        "$defs": schema["$defs"],
    }
    array_schema = directory / "runs.schema.json"
    array_schema.write_bytes(orjson.dumps(wrapped))
    return Archive(lines, jsonl, array, per_file, schema_path, array_schema)


@dataclass(frozen=True)
class Tool:
    """One way to check the archive: its command, how many documents it reads, how to tell
    from its output that it read them all and found them valid, and what it checks."""

    name: str
    argv: Callable[[Archive], list[str]]
    documents: Callable[[Archive], int]
    read_all: Callable[[Child, int], bool]
    checks: str


_COUNTS = re.compile(r"([\d,]+) documents?(?::|,) (?:([\d,]+) valid, )?([\d,]+) invalid")


def _counted(child: Child, n: int) -> bool:
    """The output says ``n`` documents, none invalid."""
    m = _COUNTS.search(child.stdout)
    if child.returncode != 0 or m is None:
        return False
    return int(m[1].replace(",", "")) == n and int(m[3].replace(",", "")) == 0


def _check_jsonschema_ok(child: Child, n: int) -> bool:
    return child.returncode == 0 and "ok -- validation done" in child.stdout


def _check_jsonschema() -> str | None:
    here = Path(sys.executable).parent / "check-jsonschema"
    if here.exists():
        return str(here)
    return shutil.which("check-jsonschema")


def _loop(tool: str) -> Callable[[Archive], list[str]]:
    def argv(a: Archive) -> list[str]:
        return [sys.executable, "-m", "benchmarks.validators", tool, str(a.jsonl), str(a.schema)]

    return argv


def tools() -> tuple[list[Tool], list[str]]:
    """The tools installed here, and a sentence for each one that is not."""
    missing: list[str] = []
    out = [
        Tool(
            "runschema validate --strict",
            lambda a: [sys.executable, "-m", "runschema", "validate", "--strict", str(a.jsonl)],
            lambda a: a.lines,
            _counted,
            "the published schema exactly, every error reported",
        ),
        Tool(
            "jsonschema loop (Draft 2020-12)",
            _loop("jsonschema"),
            lambda a: a.lines,
            _counted,
            "runschema's exported JSON Schema, every error; lines parsed with orjson",
        ),
    ]
    if importlib.util.find_spec("jsonschema_rs") is not None:
        out.append(
            Tool(
                "jsonschema-rs loop (Draft 2020-12)",
                _loop("jsonschema-rs"),
                lambda a: a.lines,
                _counted,
                "runschema's exported JSON Schema, every error; lines parsed with orjson",
            )
        )
    else:
        missing.append("jsonschema-rs is not installed (pip install jsonschema-rs): not run")
    exe = _check_jsonschema()
    if exe is not None:
        out.append(
            Tool(
                "check-jsonschema, one JSON array file",
                lambda a: [exe, "--schemafile", str(a.array_schema), str(a.array)],
                lambda a: a.lines,
                _check_jsonschema_ok,
                "runschema's schema wrapped as an array of runs (it reads no JSONL); the "
                "whole array is loaded at once",
            )
        )
        out.append(
            Tool(
                "check-jsonschema, one file per run (sample)",
                lambda a: [exe, "--schemafile", str(a.schema), *map(str, a.per_file)],
                lambda a: len(a.per_file),
                _check_jsonschema_ok,
                f"runschema's schema, one file per run, on the first {PER_FILE_SAMPLE:,} runs",
            )
        )
    else:
        missing.append("check-jsonschema is not installed (pip install check-jsonschema): not run")
    out.append(
        Tool(
            "msgspec script (same-shape Struct)",
            _loop("msgspec"),
            lambda a: a.lines,
            _counted,
            "types and enums; not the schema's limits (metadata sizes, maxItems, minimums)",
        )
    )
    out.append(
        Tool(
            "pydantic TypeAdapter(openai Run)",
            _loop("pydantic"),
            lambda a: a.lines,
            _counted,
            "types and enums of the openai model; it sets no limits",
        )
    )
    return out, missing


def run(lines: int, directory: Path, rounds: int = 1, mode: str = "full") -> dict[str, Any]:
    """Make the archive in ``directory``, run every installed tool on it ``rounds`` times (in
    a rotating order), and return the figures as JSON-ready data."""
    load = LoadWatch()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in load.start)}", flush=True)
    print(f"  writing {lines:,} runs ...", file=sys.stderr, flush=True)
    archive = make_archive(lines, directory)
    found, missing = tools()
    env = child_env()
    runs: dict[str, list[Child]] = {t.name: [] for t in found}
    for r in range(rounds):
        k = r % len(found)
        for tool in found[k:] + found[:k]:
            print(f"  {tool.name} ...", file=sys.stderr, flush=True)
            load.read(tool.name)
            runs[tool.name].append(run_child(tool.argv(archive), env=env))
    results: dict[str, Any] = {
        "mode": mode,
        "machine": machine_info([*PACKAGES, "jsonschema", "jsonschema-rs", "check-jsonschema"]),
        "lines": lines,
        "bytes": archive.jsonl.stat().st_size,
        "rounds": rounds,
        "missing": missing,
        "tools": {},
    }
    for tool in found:
        n = tool.documents(archive)
        children = runs[tool.name]
        wall = quartiles([c.wall_s for c in children])[1]
        cpu = quartiles([c.cpu_s for c in children])[1]
        last = children[-1]
        results["tools"][tool.name] = {
            "documents": n,
            "checks": tool.checks,
            "wall_s": wall,
            "cpu_s": cpu,
            "documents_per_s": n / wall,
            "documents_per_cpu_s": n / cpu if cpu else None,
            "peak_rss_bytes": max(c.maxrss_bytes for c in children),
            "read_all_valid": all(tool.read_all(c, n) for c in children),
            "returncode": last.returncode,
            "output": (last.stdout + last.stderr).strip()[-500:],
        }
    results["load"] = load.summary()
    results["load_moved"] = results["load"]["moved"]
    results["markdown"] = markdown(results)
    return results


def markdown(results: dict[str, Any]) -> str:
    """The figures as a Markdown table, headed with the machine, versions, date and load."""
    from benchmarks.__main__ import load_text

    m = results["machine"]
    v = ", ".join(f"{k} {x}" for k, x in m["versions"].items() if x is not None)
    lines = [
        f"`runschema validate --strict` against other tools: {results['lines']:,} distinct runs "
        f"({results['bytes'] / 2**20:,.0f} MiB of JSONL, all strictly valid), each tool in its "
        f"own process. Measured {m['date']} on {m['cpu']} ({m['cores']} cores), CPython "
        f"{m['python']}; {v}. " + load_text(results["load"], capital=True) + ".",
        "",
        "| tool | documents | documents/s (wall) | CPU s | peak memory | read all, all valid | "
        "what it checks |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, t in results["tools"].items():
        lines.append(
            f"| {name} | {t['documents']:,} | {t['documents_per_s']:,.0f} | {t['cpu_s']:.2f} | "
            f"{t['peak_rss_bytes'] / 2**20:,.0f} MiB | {'yes' if t['read_all_valid'] else 'NO'} "
            f"| {t['checks']} |"
        )
    for sentence in results["missing"]:
        lines.append(f"\n- {sentence}")
    return "\n".join(lines)


def report(results: dict[str, Any]) -> str:
    """The figures as text."""
    from benchmarks.__main__ import load_text

    lines = [
        f"runschema validate --strict against other tools, {results['lines']:,} runs "
        f"({results['bytes'] / 2**20:,.1f} MiB), {results['mode']} mode"
    ]
    for name, t in results["tools"].items():
        flag = "" if t["read_all_valid"] else f"   DID NOT READ ALL AS VALID: {t['output']!r}"
        lines.append(
            f"  {name:45} {t['documents_per_s']:>10,.0f} docs/s  {t['cpu_s']:8.2f} CPU s  "
            f"peak {t['peak_rss_bytes'] / 2**20:7,.0f} MiB{flag}"
        )
    lines += [f"  {s}" for s in results["missing"]]
    lines.append(load_text(results["load"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The ``cli`` subcommand (see the module docstring)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks cli",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help=f"{LINES['quick']:,} lines")
    mode.add_argument("--smoke", action="store_true", help=f"{LINES['smoke']:,} lines")
    parser.add_argument("--lines", type=int, help=f"lines of the archive ({LINES['full']:,})")
    parser.add_argument("--rounds", type=int, default=1, help="times each tool runs (1)")
    parser.add_argument("--out", type=Path, default=HERE / "results-cli.json")
    parser.add_argument("--keep", type=Path, help="write the archive here and keep it")
    args = parser.parse_args(argv)
    mode_name = "smoke" if args.smoke else "quick" if args.quick else "full"
    lines = args.lines or LINES[mode_name]
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        results = run(lines, args.keep, args.rounds, mode_name)
    else:
        with tempfile.TemporaryDirectory(prefix="runschema-cli-bench-") as tmp:
            results = run(lines, Path(tmp), args.rounds, mode_name)
    print(report(results))
    print("\nMarkdown, for the README:\n")
    print(results["markdown"])
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nresults written to {args.out}")
    return 0 if all(t["read_all_valid"] for t in results["tools"].values()) else 1
