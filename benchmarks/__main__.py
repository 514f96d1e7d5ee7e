"""``python -m benchmarks [--quick | --smoke] [--out PATH] [--only TEXT]``: runschema side by
side with its peers, on one document again and again and on streams of distinct runs.

``python -m benchmarks cli [--lines N]``: ``runschema validate --strict`` on a JSONL archive
against the tools a user could run instead (see ``benchmarks/cli.py``).

Modes: the default is the full run (minutes; run it on a quiet machine); ``--quick`` takes few
rounds on small streams (CI runs it so that it cannot rot: its figures are indicative only);
``--smoke`` makes one call a sample on tiny inputs without collecting garbage (the unit tests:
every code path runs, nothing is measured). Nothing here fails on a time.

How the figures are made is in ``benchmarks/harness.py``: CPU time of the thread, warm-up
untimed, interleaved rounds in rotating order, ratios taken per round (median and interquartile
range), outputs checked against inputs, the load average watched. The report is printed as
text and as a Markdown table for the README, and written as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.cases import CASES, PACKAGES, Sizes, import_times, rejection
from benchmarks.harness import LoadWatch, Settings, machine_info, run_case

HERE = Path(__file__).resolve().parent

#: Settings and sizes of each mode.
MODES: dict[str, tuple[Settings, Sizes, int, int]] = {
    # settings, sizes, rejection document size, import rounds
    "full": (Settings(rounds=21, budget_ns=20_000_000, collect=True), Sizes(), 1_000_000, 15),
    "quick": (
        Settings(rounds=5, budget_ns=2_000_000, collect=True, check_limit=100),
        Sizes(
            stream_runs=1_000,
            stream_slice=200,
            never_seen_runs=1_500,
            server_runs=600,
            server_slice=100,
            unknown_runs=400,
            unknown_slice=100,
            archive_runs=1_000,
            archive_rounds=2,
            encode_runs=400,
            encode_slice=100,
            step_docs=600,
            step_slice=100,
            pages=20,
            page_slice=4,
            transcripts=8,
            transcript_slice=2,
        ),
        100_000,
        3,
    ),
    "smoke": (
        Settings(rounds=3, budget_ns=0, collect=False, check_limit=30),
        Sizes(
            stream_runs=24,
            stream_slice=1,
            never_seen_runs=12,
            server_runs=3,
            server_slice=1,
            unknown_runs=6,
            unknown_slice=1,
            archive_runs=6,
            archive_rounds=2,
            encode_runs=6,
            encode_slice=1,
            step_docs=6,
            step_slice=1,
            pages=2,
            page_slice=1,
            transcripts=2,
            transcript_slice=1,
            transcript_events=100,
        ),
        20_000,
        1,
    ),
}

#: The README table's columns: heading, and the contender(s) in it (the fastest if several;
#: the cell names it when it is not the first).
COLUMNS: list[tuple[str, tuple[str, ...]]] = [
    ("pydantic (same shape)", ("pydantic",)),
    (
        "openai models",
        (
            "openai",
            "openai model_dump_json",
            "openai to_json",
            "openai client",
            "openai validate",
            "openai by name",
        ),
    ),
    ("msgspec", ("msgspec",)),
    ("orjson alone", ("orjson",)),
]


def run(
    mode: str,
    only: list[str] | None = None,
    *,
    import_repeat: int | None = None,
    skip: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Every case (or those whose name contains one of ``only``), then rejection and import
    unless skipped; returns the results as JSON-ready data."""
    settings, sizes, rejection_size, imports = MODES[mode]
    if import_repeat is not None:
        imports = import_repeat
    load = LoadWatch()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in load.start)}", flush=True)
    results: dict[str, Any] = {
        "mode": mode,
        "machine": machine_info(PACKAGES),
        "settings": {**asdict(settings), "clock": "time.thread_time_ns"},
        "sizes": asdict(sizes),
        "cases": {},
    }
    for name, build in CASES:
        if only and not any(o in name for o in only):
            continue
        print(f"  {name} ...", file=sys.stderr, flush=True)
        case = build(sizes)
        results["cases"][name] = run_case(case, settings, load)
        del case
    if "rejection" not in skip:
        print("  rejecting against accepting ...", file=sys.stderr, flush=True)
        load.read("rejecting against accepting")
        results["rejection"] = rejection(settings, rejection_size)
    if "import" not in skip:
        print("  import ...", file=sys.stderr, flush=True)
        load.read("import")
        results["import"] = import_times(imports)
    results["load"] = load.summary()
    results["load_moved"] = results["load"]["moved"]
    results["markdown"] = markdown(results)
    return results


# --- report ---------------------------------------------------------------------------------


def fmt_ns(ns: float) -> str:
    """A duration for people: ns, us or ms, three significant digits or so."""
    if ns >= 1e6:
        return f"{ns / 1e6:.3g} ms" if ns < 1e8 else f"{ns / 1e6:,.0f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.3g} us"
    return f"{ns:.0f} ns"


def fmt_ratio(r: dict[str, Any]) -> str:
    """``0.86x (IQR 0.84-0.89)``: the median per-round ratio and its interquartile range."""

    def x(v: float) -> str:
        return f"{v:.2f}" if v < 10 else f"{v:.1f}"

    return f"{x(r['median'])}x (IQR {x(r['q1'])}-{x(r['q3'])})"


def _lossy(entry: dict[str, Any]) -> bool:
    check = entry.get("check")
    return check is not None and not check["same_json"]


def report(results: dict[str, Any]) -> str:
    """The results as text: per case, each contender's median time per document and
    runschema's median per-round ratio to it with the IQR; contenders whose output is not the
    same JSON as their input are marked."""
    m = results["machine"]
    lines = [
        f"runschema benchmarks, {results['mode']} mode"
        + ("  (INDICATIVE ONLY: few rounds, small streams)" if results["mode"] == "quick" else "")
        + ("  (SMOKE: nothing is measured)" if results["mode"] == "smoke" else ""),
        f"  {m['date']}  {m['cpu']}, {m['cores']} cores  {m['platform']}  CPython {m['python']}",
        "  " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
        f"  runschema from {m['runschema_from']}, commit {m['commit']}",
        "  times: CPU time of the thread per document, median over rounds; ratios: runschema's "
        "time over the contender's, per round: median (IQR)",
    ]
    for name, case in results["cases"].items():
        per = case["per_sample"]
        if case["documents"] == 1:
            shape = (
                f"one document, {min(per.values()):,} to {max(per.values()):,} calls a sample "
                "(calibrated per contender)"
            )
        else:
            shape = f"{case['documents']:,} documents, {max(per.values()):,} a sample"
        lines.append(f"\n{name}  ({shape}, {case['rounds']} rounds)")
        lines += [f"  - {note}" for note in case["notes"]]
        ours = case["ours"]
        for contender, entry in case["contenders"].items():
            ratio = case["ratios"].get(contender)
            text = f"  {contender:30} {fmt_ns(entry['median_ns']):>10}"
            if ratio is not None:
                text += f"   {ours} {fmt_ratio(ratio)}"
            if "memory" in entry:
                mem = entry["memory"]
                text += (
                    f"   retained {mem['retained_per_doc']:,.0f} B/run,"
                    f" peak {mem['peak_bytes'] / 2**20:,.1f} MiB"
                )
            if _lossy(entry):
                check = entry["check"]
                kinds = ", ".join(f"{KINDS.get(k, k)}: {n}" for k, n in check["kinds"].items())
                text += (
                    f"\n  {'':30} NOT THE SAME JSON in {check['differing']} of {check['checked']}"
                    f" documents checked ({kinds}; {check['first']}): it does less work"
                )
            lines.append(text)
            if entry["note"]:
                lines.append(f"  {'':30} ({entry['note']})")
    rej = results.get("rejection")
    if rej:
        size = max(rej["bytes"].values())
        lines.append(f"\nrejecting against accepting, strict, about {size:,} bytes each")
        for name, ns in rej["median_ns"].items():
            ratio = rej["time_ratio_to_accept"].get(name)
            mem = rej["memory_ratio_to_accept"].get(name)
            text = f"  {name:40} {fmt_ns(ns):>10}   peak {rej['peak_bytes'][name] / 2**20:6.1f} MiB"
            if ratio is not None:
                text += f"   time {fmt_ratio(ratio)} of accepting, memory {mem:.2f}x"
            lines.append(text)
    imp = results.get("import")
    if imp:
        lines.append(
            f"\nimport, CPU time of a fresh interpreter less a bare one's "
            f"({fmt_ns(imp['bare_interpreter_ns'])}), {imp['rounds']} rounds"
        )
        for name, ns in imp["median_ns"].items():
            lines.append(f"  {name:42} {fmt_ns(ns):>10}")
        lines.append(f"  runschema/openai {fmt_ratio(imp['ratio'])}")
    lines += ["", load_text(results["load"])]
    return "\n".join(lines)


def load_text(load: dict[str, Any], *, capital: bool = False) -> str:
    """The load average at start and end, and whether it moved (see harness.LoadWatch)."""
    start = " ".join(f"{x:.2f}" for x in load["start"])
    end = " ".join(f"{x:.2f}" for x in load["end"])
    text = (
        f"{'L' if capital else 'l'}oad average (1, 5, 15 min): {start} at start, {end} at end "
        f"(this run alone explains {load['expected_end_1min']:.2f} at the end)"
    )
    if load["moved"]:
        return text + f": LOAD MOVED (during: {', '.join(load['moved_during'])})"
    return text + ": steady"


def _cell(case: dict[str, Any], names: tuple[str, ...]) -> str:
    present = [n for n in names if n in case["contenders"]]
    if not present:
        return ""
    name = min(present, key=lambda n: case["contenders"][n]["median_ns"])
    entry = case["contenders"][name]
    text = fmt_ns(entry["median_ns"])
    if len(names) > 1 and name != names[0]:
        text += f" `{name.split(' ', 1)[1]}`"
    ratio = case["ratios"].get(name)
    if ratio is not None:
        text += f", {fmt_ratio(ratio)}"
    if _lossy(entry):
        text += " †"
    return text


#: How the report words each kind of difference between a contender's output and its input.
KINDS = {
    "null dropped": "drops explicit nulls",
    "key dropped": "drops keys it does not know",
    "key added": "adds keys",
    "value changed": "changes values",
    "length changed": "changes array lengths",
}


def _gather(lossy: dict[str, dict[str, Any]], name: str, row: str, check: dict[str, Any]) -> None:
    g = lossy.setdefault(
        name, {"rows": [], "kinds": {}, "checked": 0, "example": f"{row}, {check['first']}"}
    )
    g["rows"].append(row)
    g["checked"] += check["checked"]
    for kind, n in check["kinds"].items():
        g["kinds"][kind] = g["kinds"].get(kind, 0) + n


def _memory_row(case: dict[str, Any], mems: dict[str, dict[str, float]]) -> str:
    ours = mems[case["ours"]]["retained_per_doc"]
    cells = []
    for _, names in COLUMNS:
        k = next((n for n in names if n in mems), None)
        if k is None:
            cells.append("")
            continue
        theirs = mems[k]["retained_per_doc"]
        cells.append(f"{theirs:,.0f} B ({ours / theirs:.2f}x)")
    label = case["row"].replace("archive: keep", "memory kept per run,")
    return f"| {label} | {ours:,.0f} B | " + " | ".join(cells) + " |"


def markdown(results: dict[str, Any]) -> str:
    """A Markdown table for the README: one row a case, a column a contender, each cell the
    median time per document and runschema's median per-round ratio to it with the IQR;
    headed with the machine, versions, date and load average."""
    m = results["machine"]
    v = m["versions"]
    pkgs = ", ".join(f"{k} {v[k]}" for k in v if k != "runschema")
    mode = {"quick": " Quick mode: indicative only.", "smoke": " Smoke run: nothing measured."}
    lines = [
        f"Measured {m['date']} on {m['cpu']} ({m['cores']} cores, {m['platform']}), CPython "
        f"{m['python']}; runschema {v['runschema']} at commit {m['commit']}; {pkgs}. "
        + load_text(results["load"], capital=True)
        + "."
        + mode.get(results["mode"], ""),
        "",
        "Times are CPU time per document, median over interleaved rounds; a ratio is "
        "runschema's time over that column's, taken per round: median (interquartile range). "
        "† marks output that is not the same JSON as the input (it does less work).",
        "",
        "| case | runschema | " + " | ".join(h for h, _ in COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 2) + "|",
    ]
    footnotes: list[str] = []
    lossy: dict[str, dict[str, Any]] = {}
    rows = 0
    for case in results["cases"].values():
        if not case["row"]:
            continue
        rows += 1
        ours = fmt_ns(case["contenders"][case["ours"]]["median_ns"])
        if _lossy(case["contenders"][case["ours"]]):
            ours += " †"
        cells = [_cell(case, names) for _, names in COLUMNS]
        lines.append(f"| {case['row']} | {ours} | " + " | ".join(cells) + " |")
        mems = {k: e["memory"] for k, e in case["contenders"].items() if "memory" in e}
        if mems:
            lines.append(_memory_row(case, mems))
        for cname, entry in case["contenders"].items():
            if _lossy(entry):
                _gather(lossy, cname, case["row"], entry["check"])
        without = case["ratios"].get("runschema, same runs without")
        if without is not None:
            footnotes.append(
                f"{case['row']}: runschema takes {fmt_ratio(without)} its time on the same runs "
                "without the unknown keys (target: within 1.2x)"
            )
    for cname, g in lossy.items():
        kinds = ", ".join(
            f"{KINDS.get(k, k)} ({n:,} of {g['checked']:,} documents checked)"
            for k, n in g["kinds"].items()
        )
        footnotes.insert(
            0,
            f"† {cname}: not the same JSON as its input in {len(g['rows'])} of {rows} rows: "
            f"{kinds}; e.g. {g['example']}",
        )
    imp = results.get("import")
    if imp:
        ours = imp["median_ns"]["import runschema"]
        theirs = imp["median_ns"]["from openai.types.beta.threads import Run"]
        lines.append(
            f"| `import` (fresh interpreter, CPU) | {fmt_ns(ours)} | | "
            f"{fmt_ns(theirs)}, {fmt_ratio(imp['ratio'])} | | |"
        )
    rej = results.get("rejection")
    if rej:
        parts = [
            f"{name.removeprefix('reject: ')} {fmt_ratio(r)} time, "
            f"{rej['memory_ratio_to_accept'][name]:.2f}x peak memory"
            for name, r in rej["time_ratio_to_accept"].items()
        ]
        footnotes.append(
            f"Rejecting against accepting (strict, about {max(rej['bytes'].values()):,} bytes): "
            + "; ".join(parts)
            + "."
        )
    if any("openai client" in c["contenders"] for c in results["cases"].values() if c["row"]):
        footnotes.append(
            "Stream rows: time per whole stream body, decoded into typed events or encoded from "
            "them. Their openai cell is the fastest of the official client's own path "
            "(`client`: its SSEDecoder, `json.loads`, `construct_type(AssistantStreamEvent)`, "
            "which validates the union), `TypeAdapter(AssistantStreamEvent).validate_python` "
            "(`validate`) and each event's class picked by name with `model_validate_json` "
            "(`by name`, not a path of the client); their orjson cell splits the frames on "
            "blank lines and parses each data, no model. The openai column of the run step "
            "rows is openai's `RunStep`, of the list page rows a page model over its `Run`."
        )
    footnotes.append(
        "The openai model rejects the seed's `instructions: null`: it decodes and encodes a "
        "copy with a string there. Strict rows decode runs with `required_action: null` "
        "where the lenient stream lacks the key, for every contender."
    )
    if footnotes:
        lines.append("")
        lines += [f"- {f}" for f in footnotes]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["cli"]:
        from benchmarks import cli

        return cli.main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="few rounds, small streams (CI)")
    mode.add_argument("--smoke", action="store_true", help="one call a sample (unit tests)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json", help="JSON results")
    parser.add_argument(
        "--only", action="append", metavar="TEXT", help="only cases whose name contains TEXT"
    )
    parser.add_argument("--import-repeat", type=int, help="rounds of the import case")
    parser.add_argument(
        "--skip",
        action="append",
        choices=["rejection", "import"],
        default=[],
        help="leave out a section",
    )
    args = parser.parse_args(argv)
    mode_name = "smoke" if args.smoke else "quick" if args.quick else "full"
    results = run(mode_name, args.only, import_repeat=args.import_repeat, skip=tuple(args.skip))
    print(report(results))
    print("\nMarkdown, for the README:\n")
    print(results["markdown"])
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nresults written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
