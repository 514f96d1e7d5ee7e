"""``python -m benchmarks.validators TOOL FILE.jsonl [SCHEMA.json]``: what a user could write
instead of ``runschema validate --strict``, one loop per tool, each run in its own process by
``benchmarks/cli.py``.

Every loop reads the JSONL file line by line, checks each document and keeps nothing, then
prints ``N documents, M invalid`` (the driver checks that N is the number of lines, so a tool
cannot be timed doing nothing) and exits 1 if any was invalid. The JSON Schema loops parse each
line with orjson, the fastest parser at hand, so that they are not slowed by the parser; the
model loops parse with their own.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

__all__ = ["LOOPS", "main"]


def _lines(path: str) -> Iterator[bytes]:
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                yield line


def _schema(path: str | None) -> Any:
    if path is None:
        raise SystemExit("this tool needs the JSON Schema file as its third argument")
    return orjson.loads(Path(path).read_bytes())


def jsonschema_loop(path: str, schema_path: str | None) -> tuple[int, int]:
    """The ``jsonschema`` package's Draft 2020-12 validator, every error of each document."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(_schema(schema_path))
    n = bad = 0
    for line in _lines(path):
        n += 1
        if any(True for _ in validator.iter_errors(orjson.loads(line))):
            bad += 1
    return n, bad


def jsonschema_rs_loop(path: str, schema_path: str | None) -> tuple[int, int]:
    """The ``jsonschema-rs`` package's Draft 2020-12 validator (Rust), every error of each."""
    # imported by name: an optional tool, which the type checker need not have installed
    jsonschema_rs = importlib.import_module("jsonschema_rs")
    validator = jsonschema_rs.Draft202012Validator(_schema(schema_path))
    n = bad = 0
    for line in _lines(path):
        n += 1
        if any(True for _ in validator.iter_errors(orjson.loads(line))):
            bad += 1
    return n, bad


def msgspec_loop(path: str, schema_path: str | None) -> tuple[int, int]:
    """Decode each line with the same-shape ``msgspec.Struct`` peer model (types and enums;
    not the schema's limits: metadata sizes, maxItems, minimums)."""
    import msgspec

    from benchmarks.peers.msgspec_model import decoder

    n = bad = 0
    for line in _lines(path):
        n += 1
        try:
            decoder.decode(line)
        except msgspec.ValidationError:
            bad += 1
    return n, bad


def pydantic_loop(path: str, schema_path: str | None) -> tuple[int, int]:
    """``pydantic.TypeAdapter`` of the openai package's ``Run`` model, ``validate_json`` on
    each line (types and enums; the model sets no limits)."""
    import pydantic
    from openai.types.beta.threads import Run

    adapter = pydantic.TypeAdapter(Run)
    n = bad = 0
    for line in _lines(path):
        n += 1
        try:
            adapter.validate_json(line)
        except pydantic.ValidationError:
            bad += 1
    return n, bad


#: The loops by tool name.
LOOPS: dict[str, Callable[[str, str | None], tuple[int, int]]] = {
    "jsonschema": jsonschema_loop,
    "jsonschema-rs": jsonschema_rs_loop,
    "msgspec": msgspec_loop,
    "pydantic": pydantic_loop,
}


def main(argv: list[str] | None = None) -> int:
    """Run one loop: ``TOOL FILE [SCHEMA]``; print the counts; 1 if any was invalid."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3) or args[0] not in LOOPS:
        print(f"usage: python -m benchmarks.validators {{{','.join(LOOPS)}}} FILE [SCHEMA]")
        return 2
    n, bad = LOOPS[args[0]](args[1], args[2] if len(args) == 3 else None)
    print(f"{n} documents, {bad} invalid")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
