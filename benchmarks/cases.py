"""The benchmark cases and their contenders.

A case is built on demand by a function of the sizes (see :data:`CASES`): adding one is
writing such a function and listing it. Contenders are named alike in every case, so that the
report can put them in columns:

- decoding: ``runschema`` (``runschema.loads``, lenient or strict as the case says),
  ``pydantic`` (a same-shape pydantic model's ``model_validate_json``), ``openai`` (the openai
  package's ``Run.model_validate_json``), ``msgspec`` (a same-shape ``msgspec.Struct``
  decoder), ``orjson`` (``orjson.loads`` alone: the floor, parsing without a model);
- encoding: the same, with each peer's fastest compact output: ``openai model_dump_json``
  (``by_alias=True, exclude_unset=True``) and ``openai to_json`` (``indent=None``; its default
  is 2) both run, and the report takes the faster; ``orjson`` is ``orjson.dumps`` of the
  parsed input;
- run steps and list pages: the same names, over runschema's ``RunStep`` and ``RunList``, the
  same-shape peers' models of them, and openai's ``RunStep`` and a page model over its ``Run``;
- streams (``benchmarks/peers/openai_client.py``): decoding, ``openai client`` (the official
  client's own path), ``openai validate`` (``TypeAdapter(AssistantStreamEvent)``) and
  ``openai by name`` (each event's class by its name), the report taking the fastest;
  encoding, ``openai model_dump_json`` and ``openai to_json`` of each event's data; no
  same-shape peers.

The peers come from the ``bench`` extra only (never runschema's own dependencies), imported
when a case is built.

Adding a case: write its documents in ``workloads.py`` (deterministic), a builder here that
takes the :class:`Sizes` and returns a :class:`~benchmarks.harness.Case` whose contenders carry
the column names above, and list it in :data:`CASES`; the harness, the report and the table
need nothing more. An input need not be one document: for a list page or a stream of
server-sent events, an input is the whole page or stream and ``fn`` decodes all of it, so the
time reported is per page or per stream (say so in the case's notes and row).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from operator import methodcaller
from pathlib import Path
from typing import Any

import orjson

import runschema
from benchmarks import workloads as w
from benchmarks.harness import Case, Contender, Settings, paired_ratios, run_case, run_child
from runschema._structure import explain

__all__ = [
    "CASES",
    "PACKAGES",
    "Shape",
    "Sizes",
    "decode_contenders",
    "encode_contenders",
    "import_times",
    "rejection",
    "shape",
    "sse_json",
]

#: The packages whose versions a report states.
PACKAGES = (
    "runschema",
    "attrs",
    "cattrs",
    "orjson",
    "openai",
    "pydantic",
    "pydantic-core",
    "msgspec",
)


@dataclass(frozen=True)
class Sizes:
    """How big the workloads are (the full run's figures are the defaults)."""

    stream_runs: int = 10_000
    stream_slice: int = 1_000
    never_seen_runs: int = 10_000
    server_runs: int = 3_000
    server_slice: int = 200
    unknown_runs: int = 2_000
    unknown_slice: int = 500
    archive_runs: int = 10_000
    archive_rounds: int = 5
    encode_runs: int = 2_000
    encode_slice: int = 500
    big_schema: int = 64 * 1024
    step_docs: int = 4_000
    step_slice: int = 500
    pages: int = 100
    page_slice: int = 10
    transcripts: int = 32
    transcript_slice: int = 4
    transcript_events: int = 200


_pydantic_json = methodcaller("model_dump_json", by_alias=True, exclude_unset=True)
_openai_to_json = methodcaller("to_json", indent=None)


def _identity(x: Any) -> Any:
    return x


@dataclass(frozen=True)
class Shape:
    """What each contender decodes a kind of document into: runschema's class, the same-shape
    pydantic model and msgspec decoder, and the openai package's model."""

    runschema: type[Any]
    pydantic: Any
    openai: Any
    msgspec: Any


def shape(kind: str) -> Shape:
    """The :class:`Shape` of ``"run"``, ``"run step"`` or ``"run list"`` (peers imported now)."""
    from openai.types.beta.threads import Run as OpenAIRun
    from openai.types.beta.threads.runs import RunStep as OpenAIRunStep

    from benchmarks.peers import msgspec_model as ms
    from benchmarks.peers import openai_client as oc
    from benchmarks.peers import pydantic_model as pyd

    shapes = {
        "run": Shape(runschema.Run, pyd.Run, OpenAIRun, ms.decoder),
        "run step": Shape(runschema.RunStep, pyd.RunStep, OpenAIRunStep, ms.step_decoder),
        "run list": Shape(runschema.RunList, pyd.RunList, oc.RunPage, ms.page_decoder),
    }
    return shapes[kind]


def _reference(data: bytes, cls: type[Any], strict: bool) -> object:
    """The error-collecting reference interpreter alone (what the generated code saves)."""
    return explain(orjson.loads(data), cls, strict)


def decode_contenders(
    docs: Sequence[bytes],
    *,
    strict: bool,
    openai_docs: Sequence[bytes] | None = None,
    reference: bool = False,
    kind: str = "run",
) -> list[Contender]:
    """runschema (``strict`` or lenient) and every peer, decoding ``docs`` (of ``kind``, see
    :func:`shape`); the openai model decodes ``openai_docs`` (the same runs with
    ``instructions`` a string) if given. ``reference``: add runschema's error-collecting
    interpreter alone."""
    from benchmarks.peers import msgspec_model as ms

    sh = shape(kind)
    theirs = docs if openai_docs is None else openai_docs
    loads = partial(runschema.loads, cls=sh.runschema, strict=strict)
    contenders = [
        Contender("runschema", loads, docs, docs, runschema.dumps),
        Contender("pydantic", sh.pydantic.model_validate_json, docs, docs, _pydantic_json),
        Contender("openai", sh.openai.model_validate_json, theirs, theirs, _pydantic_json),
        Contender("msgspec", sh.msgspec.decode, docs, docs, ms.encoder.encode),
        Contender("orjson", orjson.loads, docs, docs, orjson.dumps),
    ]
    if openai_docs is not None and openai_docs is not docs:
        contenders[2].note = "decodes a copy with instructions set to a string (it rejects null)"
    if reference:
        ref = partial(_reference, cls=sh.runschema, strict=strict)
        contenders.append(Contender("runschema reference", ref, docs, docs, runschema.dumps))
    return contenders


def encode_contenders(
    docs: Sequence[bytes], openai_docs: Sequence[bytes] | None = None, *, kind: str = "run"
) -> list[Contender]:
    """Each contender encoding its own decode of ``docs`` (of ``kind``, compact output),
    checked against ``docs``; ``orjson`` encodes ``orjson.loads`` of them (the floor)."""
    from benchmarks.peers import msgspec_model as ms

    sh = shape(kind)
    theirs = docs if openai_docs is None else openai_docs
    oa = [sh.openai.model_validate_json(d) for d in theirs]
    contenders = [
        Contender(
            "runschema",
            runschema.dumps,
            [runschema.loads(d, sh.runschema) for d in docs],
            docs,
            _identity,
        ),
        Contender(
            "pydantic",
            _pydantic_json,
            [sh.pydantic.model_validate_json(d) for d in docs],
            docs,
            _identity,
        ),
        Contender("openai model_dump_json", _pydantic_json, oa, theirs, _identity),
        Contender("openai to_json", _openai_to_json, oa, theirs, _identity),
        Contender(
            "msgspec", ms.encoder.encode, [sh.msgspec.decode(d) for d in docs], docs, _identity
        ),
        Contender("orjson", orjson.dumps, [orjson.loads(d) for d in docs], docs, _identity),
    ]
    if openai_docs is not None and openai_docs is not docs:
        for c in contenders[2:4]:
            c.note = "encodes a copy with instructions set to a string (it rejects null)"
    return contenders


def _stream_note(s: w.Stream, strict: bool) -> list[str]:
    n = len(s)
    notes = [
        f"{n:,} distinct runs from {s.assistants:,} assistants (each with its own function "
        f"schemas); {len(s.unknown):,} ({len(s.unknown) / n:.0%}) carry an unknown key, "
        f"{len(s.far):,} ({len(s.far) / n:.0%}) have later timestamps more than 1,023 s "
        "after created_at",
    ]
    if strict:
        notes.append(
            f"strict: the {len(s.absent):,} runs ({len(s.absent) / n:.0%}) that lack "
            "required_action in the lenient stream have it as null here (strict mode "
            "requires the key); every contender decodes these same documents"
        )
    else:
        notes.append(f"{len(s.absent):,} ({len(s.absent) / n:.0%}) lack required_action")
    return notes


def _revalidated(o: Any, status: str) -> Any:
    """A pydantic model's validated copy with ``status`` changed: ``model_validate`` of its
    fields and extra keys (nested models pass as they are, as pydantic's default
    ``revalidate_instances="never"`` has it), the peer of ``attrs.evolve`` of a runschema
    model, which validates what it is given."""
    return type(o).model_validate({**o.__dict__, **(o.__pydantic_extra__ or {}), "status": status})


def change_case(sizes: Sizes) -> Case:
    """A server changing stored runs: a validated copy of each with another status."""
    import attrs
    import msgspec

    from benchmarks.peers import msgspec_model as ms

    s = w.stream(sizes.stream_runs, 60)
    docs = s.strict  # every key present: each output is the input with its status changed
    status = "expired"
    expected = [orjson.dumps({**orjson.loads(d), "status": status}) for d in docs]
    sh = shape("run")
    contenders = [
        Contender(
            "runschema",
            partial(attrs.evolve, status=status),
            [runschema.loads(d, runschema.Run) for d in docs],
            expected,
            runschema.dumps,
        ),
        Contender(
            "pydantic",
            partial(_revalidated, status=status),
            [sh.pydantic.model_validate_json(d) for d in docs],
            expected,
            _pydantic_json,
        ),
        Contender(
            "openai",
            partial(_revalidated, status=status),
            [sh.openai.model_validate_json(d) for d in docs],
            expected,
            _pydantic_json,
        ),
        Contender(
            "msgspec",
            partial(msgspec.structs.replace, status=status),
            [sh.msgspec.decode(d) for d in docs],
            expected,
            ms.encoder.encode,
            note="msgspec.structs.replace validates nothing: it does less work",
        ),
        Contender(
            "orjson",
            partial(_with_status, status=status),
            [orjson.loads(d) for d in docs],
            expected,
            orjson.dumps,
            note="a dict copy: the floor, nothing validated",
        ),
    ]
    return Case(
        "change runs' status, validated",
        "change",
        contenders,
        slice_len=sizes.stream_slice,
        notes=[
            f"{len(docs):,} distinct decoded runs of 60 assistants, each copied with its status "
            "changed: runschema attrs.evolve(run, status=...) (the constructor's checks), "
            "pydantic and openai model_validate of the fields with the status changed (nested "
            "models not validated again), msgspec structs.replace, orjson a dict copy",
        ],
        row="change a run's status (attrs.evolve), 60 assistants",
    )


def _with_status(d: dict[str, Any], status: str) -> dict[str, Any]:
    return {**d, "status": status}


# --- the cases ------------------------------------------------------------------------------

CaseBuilder = Callable[[Sizes], Case]


def _repeated(name: str, row: str, data: bytes, strict: bool, notes: list[str]) -> Case:
    return Case(
        name,
        "decode",
        decode_contenders(
            [data], strict=strict, openai_docs=[w.with_instructions(data)], reference=True
        ),
        notes=notes,
        row=row,
    )


_ONE_DOC = (
    "one document decoded again and again: runschema's caches (interned schemas, the absent-"
    "key guess, shared constants) always hit, which flatters it; see the stream rows"
)


def seed_lenient(sizes: Sizes) -> Case:
    """The seed, again and again, lenient."""
    return _repeated("decode seed, lenient", "decode seed, lenient", w.SEED, False, [_ONE_DOC])


def seed_strict(sizes: Sizes) -> Case:
    """The seed with required_action: null, again and again, strict."""
    notes = [_ONE_DOC, "the seed with its absent required_action added as null, for everyone"]
    return _repeated("decode seed, strict", "decode seed, strict", w.SEED_STRICT, True, notes)


def full_lenient(sizes: Sizes) -> Case:
    """The fuller run, again and again, lenient."""
    return _repeated(
        "decode fuller run, lenient", "decode fuller run, lenient", w.FULL, False, [_ONE_DOC]
    )


def full_strict(sizes: Sizes) -> Case:
    """The fuller run, again and again, strict."""
    return _repeated(
        "decode fuller run, strict", "decode fuller run, strict", w.FULL, True, [_ONE_DOC]
    )


def _stream_case(s: w.Stream, strict: bool, slice_len: int, name: str, row: str) -> Case:
    docs = s.strict if strict else s.lenient
    return Case(
        name,
        "decode",
        decode_contenders(docs, strict=strict),
        slice_len=slice_len,
        notes=_stream_note(s, strict),
        row=row,
    )


def _stream_cases(assistants: int) -> list[tuple[str, CaseBuilder]]:
    out: list[tuple[str, CaseBuilder]] = []
    for strict in (False, True):
        mode = "strict" if strict else "lenient"
        name = f"decode stream, {assistants} assistants, {mode}"

        def build(sizes: Sizes, strict: bool = strict, name: str = name) -> Case:
            s = w.stream(sizes.stream_runs, assistants)
            mode = "strict" if strict else "lenient"
            row = f"decode {len(s):,} runs of {assistants} assistants, {mode}"
            return _stream_case(s, strict, sizes.stream_slice, name, row)

        out.append((name, build))
    return out


def never_seen_case(sizes: Sizes) -> Case:
    """Runs whose schemas were last seen thousands of schemas ago, lenient."""
    s = w.never_seen(sizes.never_seen_runs)
    case = _stream_case(
        s,
        False,
        sizes.stream_slice,
        "decode, schemas never seen recently, lenient",
        "decode, schemas never seen recently",
    )
    per_run = sum(len(w.function_schemas(d)) for d in s.lenient) / len(s)
    case.notes.insert(
        0,
        f"each run is its assistant's only run: its {per_run:.1f} schemas on average occur "
        f"once in the stream, so when the rounds come back to it they were last seen "
        f"{per_run * len(s):,.0f} schemas earlier (runschema keeps a schema only on a third "
        "sighting, each soon after the one before)",
    )
    return case


def far_case(sizes: Sizes) -> Case:
    """Runs whose later timestamps all lie more than 1,023 s after created_at, lenient."""
    s = w.far_apart(sizes.stream_runs)
    return _stream_case(
        s,
        False,
        sizes.stream_slice,
        "decode, timestamps far apart, lenient",
        "decode, timestamps far apart",
    )


def server_case(sizes: Sizes, strict: bool = False) -> Case:
    """A service's view: distinct ~4 KB runs from 600 assistants, each decoded once."""
    s = w.server_view(sizes.server_runs)
    mode = "strict" if strict else "lenient"
    case = _stream_case(
        s,
        strict,
        sizes.server_slice,
        f"decode, server view, {mode}",
        f"server view: {len(s):,} runs of 600 assistants, each once, {mode}",
    )
    case.rounds = math.ceil(len(s) / sizes.server_slice)
    docs = s.strict if strict else s.lenient
    mean = sum(map(len, docs)) / len(s)
    case.notes.insert(
        0,
        f"each run decoded once by each contender (one slice of {sizes.server_slice} a round, "
        f"{case.rounds} rounds), nothing kept; {mean:,.0f} bytes a run on average",
    )
    return case


def server_strict_case(sizes: Sizes) -> Case:
    """The server view, strict (absent required_action given as null, for everyone)."""
    return server_case(sizes, strict=True)


def unknown_case(sizes: Sizes) -> Case:
    """Three unknown keys in every run (top level, usage, a tool), against the same runs
    without them (runschema's target: within 1.2x)."""
    u = w.unknown_keys(sizes.unknown_runs)
    contenders = decode_contenders(u.with_, strict=False)
    loads = partial(runschema.loads, cls=runschema.Run, strict=False)
    contenders.append(
        Contender("runschema, same runs without", loads, u.without, u.without, runschema.dumps)
    )
    return Case(
        "decode, unknown keys in every run, lenient",
        "decode",
        contenders,
        slice_len=sizes.unknown_slice,
        notes=[
            f"{len(u.with_):,} runs of 60 assistants, each with three unknown keys: one at the "
            "top level, one in usage (in truncation_strategy where usage is null) and one in a "
            "function tool; 'runschema, same runs without' decodes the same runs without them "
            "(target: runschema within 1.2x of it); both share the library's caches, as they "
            "would in one process",
        ],
        row="decode, unknown keys in every run",
    )


def known_case(sizes: Sizes) -> Case:
    """The runs of the unknown-keys case without their unknown keys, lenient."""
    u = w.unknown_keys(sizes.unknown_runs)
    return Case(
        "decode, the same runs without unknown keys, lenient",
        "decode",
        decode_contenders(u.without, strict=False),
        slice_len=sizes.unknown_slice,
        notes=["the runs of the unknown-keys case, without their unknown keys"],
        row="decode, the same runs without unknown keys",
    )


def big_schema_case(sizes: Sizes) -> Case:
    """The fuller run with a 64 KiB function schema, again and again, lenient."""
    data = w.big_schema_run(sizes.big_schema)
    return Case(
        "decode, a 64 KiB function schema, lenient",
        "decode",
        decode_contenders([data], strict=False),
        notes=[
            f"the fuller run with a function parameters schema of {sizes.big_schema:,} bytes "
            f"or a little more ({len(data):,} bytes a run); runschema does not intern a schema "
            "over 16 KiB, so decoding it again and again flatters nothing"
        ],
        row="decode, a 64 KiB function schema",
    )


def _archive(assistants: int) -> tuple[str, CaseBuilder]:
    name = f"archive, {assistants} assistants, everything kept, GC on"

    def build(sizes: Sizes) -> Case:
        s = w.stream(sizes.archive_runs, assistants, tag="archive")
        case = _stream_case(
            s,
            False,
            sizes.archive_runs,
            name,
            f"archive: keep {len(s):,} runs of {assistants} assistants (GC on)",
        )
        case.keep = True
        case.memory = True
        case.rounds = sizes.archive_rounds
        case.notes.insert(
            0,
            "a sample decodes the whole archive and keeps every run (the garbage collector on, "
            "as in a user's program); freeing them is not timed; memory retained per run is "
            "measured apart (tracemalloc), with the GC on",
        )
        return case

    return name, build


def _encode(name: str, row: str, docs: Sequence[bytes], slice_len: int = 0) -> Case:
    openai_docs = [w.with_instructions(d) for d in docs]
    notes = [
        "each contender's fastest compact output; the openai column takes the faster of "
        "model_dump_json(by_alias=True, exclude_unset=True) and to_json(indent=None)"
    ]
    return Case(
        name,
        "encode",
        encode_contenders(docs, openai_docs),
        slice_len=slice_len,
        notes=notes,
        row=row,
    )


def encode_seed(sizes: Sizes) -> Case:
    """Encode the seed, again and again."""
    return _encode("encode seed", "encode seed", [w.SEED])


def encode_full(sizes: Sizes) -> Case:
    """Encode the fuller run, again and again."""
    return _encode("encode fuller run", "encode fuller run", [w.FULL])


def encode_stream(sizes: Sizes) -> Case:
    """Encode distinct runs of a 60-assistant stream."""
    s = w.stream(sizes.stream_runs, 60)
    docs = s.lenient[: sizes.encode_runs]
    return _encode(
        "encode stream, 60 assistants",
        f"encode {len(docs):,} runs of 60 assistants",
        docs,
        sizes.encode_slice,
    )


# --- run steps ------------------------------------------------------------------------------


def _step_note(docs: Sequence[bytes]) -> str:
    parsed = [orjson.loads(d) for d in docs]
    calls: dict[str, int] = {}
    for d in parsed:
        for c in d["step_details"].get("tool_calls", ()):
            calls[c["type"]] = calls.get(c["type"], 0) + 1
    creation = sum(d["type"] == "message_creation" for d in parsed)
    done = sum(d["status"] == "completed" for d in parsed)
    kinds = ", ".join(f"{n:,} {k}" for k, n in sorted(calls.items()))
    return (
        f"{len(docs):,} distinct run steps of 60 assistants, {sum(map(len, docs)) / len(docs):,.0f}"
        f" bytes on average: {creation:,} message_creation, {len(docs) - creation:,} tool_calls "
        f"({kinds}); {done:,} completed, the rest in progress, failed, cancelled or expired; "
        "every key present, as the API writes them"
    )


def step_one(sizes: Sizes) -> Case:
    """The fuller run step, again and again, lenient."""
    note = (
        "a completed tool_calls step with one call of each kind: a function with its output, a "
        "code interpreter call with logs and an image, a file search with ranking options and "
        "two results"
    )
    return Case(
        "decode fuller run step, lenient",
        "decode",
        decode_contenders([w.FULL_STEP], strict=False, reference=True, kind="run step"),
        notes=[_ONE_DOC, note],
        row="decode fuller run step, lenient",
    )


def _steps_case(sizes: Sizes, strict: bool) -> Case:
    docs = w.run_steps(sizes.step_docs)
    mode = "strict" if strict else "lenient"
    return Case(
        f"decode run steps, {mode}",
        "decode",
        decode_contenders(docs, strict=strict, kind="run step"),
        slice_len=sizes.step_slice,
        notes=[_step_note(docs)],
        row=f"decode {len(docs):,} run steps, {mode}",
    )


def steps_lenient(sizes: Sizes) -> Case:
    """Distinct run steps of both kinds, lenient."""
    return _steps_case(sizes, False)


def steps_strict(sizes: Sizes) -> Case:
    """Distinct run steps of both kinds, strict."""
    return _steps_case(sizes, True)


def steps_encode(sizes: Sizes) -> Case:
    """Encode distinct run steps of both kinds."""
    docs = w.run_steps(sizes.step_docs)
    return Case(
        "encode run steps",
        "encode",
        encode_contenders(docs, kind="run step"),
        slice_len=sizes.step_slice,
        notes=[
            _step_note(docs),
            "each contender's fastest compact output; the openai column takes the faster of "
            "model_dump_json(by_alias=True, exclude_unset=True) and to_json(indent=None)",
        ],
        row=f"encode {len(docs):,} run steps",
    )


# --- list pages -----------------------------------------------------------------------------


def _page_note(pages: Sequence[bytes]) -> list[str]:
    return [
        f"time per page: {len(pages):,} distinct List runs pages ({{object, data, first_id, "
        f"last_id, has_more}}) of 20 distinct runs each (60 assistants), "
        f"{sum(map(len, pages)) / len(pages):,.0f} bytes a page on average",
        "the runs of the run streams, with required_action as the API writes it (null where "
        "there is none); 5% carry an unknown key",
        "openai: a page model (its BaseModel) with data: list[openai Run], model_validate_json",
    ]


def pages_decode(sizes: Sizes) -> Case:
    """Decode whole 20-run List runs pages, lenient."""
    pages = w.run_pages(sizes.pages)
    return Case(
        "decode 20-run list pages, lenient",
        "decode",
        decode_contenders(pages, strict=False, kind="run list"),
        slice_len=sizes.page_slice,
        notes=_page_note(pages),
        row="decode a 20-run list page (per page), lenient",
    )


def pages_encode(sizes: Sizes) -> Case:
    """Encode whole 20-run List runs pages."""
    pages = w.run_pages(sizes.pages)
    notes = [
        *_page_note(pages),
        "each contender's fastest compact output; the openai column takes the faster of "
        "model_dump_json(by_alias=True, exclude_unset=True) and to_json(indent=None)",
    ]
    return Case(
        "encode 20-run list pages",
        "encode",
        encode_contenders(pages, kind="run list"),
        slice_len=sizes.page_slice,
        notes=notes,
        row="encode a 20-run list page (per page)",
    )


# --- streams --------------------------------------------------------------------------------

_DONE_JSON: dict[str, Any] = {"event": "done", "data": "[DONE]"}


def sse_json(body: bytes) -> bytes:
    """A stream body as the JSON array of its events, ``{"event", "data"}`` each (the data
    parsed; ``"[DONE]"`` for done): the form the stream cases' outputs are checked in. Each
    frame must be exactly ``event: NAME``, one ``data:`` line and a blank line, as every
    encoder here writes them (anything else raises, so the check cannot pass by accident)."""
    if not body.endswith(b"\n\n"):
        raise ValueError("a stream body ends with a blank line")
    out: list[Any] = []
    for frame in body[:-2].split(b"\n\n"):
        head, sep, data = frame.partition(b"\ndata: ")
        if not sep or not head.startswith(b"event: ") or b"\n" in data:
            raise ValueError(f"not a frame of one event and one data line: {frame[:80]!r}")
        name = head[7:].decode()
        out.append(_DONE_JSON if name == "done" else {"event": name, "data": orjson.loads(data)})
    if out[-1] is not _DONE_JSON or any(e is _DONE_JSON for e in out[:-1]):
        raise ValueError("a stream body ends with done, and only there")
    return orjson.dumps(out)


def _runschema_events_json(events: Sequence[runschema.StreamEvent]) -> bytes:
    """runschema's decoded events written back (its own encoder), done required last and then
    left out (the official client yields nothing for it)."""
    if not events or not isinstance(events[-1], runschema.DoneEvent):
        raise ValueError("the decoded stream does not end with done")
    return orjson.dumps(orjson.loads(sse_json(runschema.encode_events(events)))[:-1])


def _openai_events_json(events: Sequence[Any]) -> bytes:
    return orjson.dumps(
        [
            {
                "event": e.event,
                "data": e.data.model_dump(mode="json", by_alias=True, exclude_unset=True),
            }
            for e in events
        ]
    )


def _orjson_frames(body: bytes) -> list[tuple[bytes, Any]]:
    """The floor: frames split on blank lines (this exact framing only, no SSE rules), each
    data parsed, up to done; no model."""
    out = []
    loads = orjson.loads
    for frame in body.split(b"\n\n"):
        head, _, data = frame.partition(b"\ndata: ")
        if data == b"[DONE]":
            break
        out.append((head[7:], loads(data)))
    return out


def _orjson_frames_json(frames: Sequence[tuple[bytes, Any]]) -> bytes:
    return orjson.dumps([{"event": name.decode(), "data": data} for name, data in frames])


def _orjson_encode(frames: Sequence[tuple[bytes, Any]]) -> bytes:
    """The floor: ``orjson.dumps`` of each parsed data between the frame's bytes."""
    dumps = orjson.dumps
    parts = [b"event: " + name + b"\ndata: " + dumps(data) + b"\n\n" for name, data in frames]
    parts.append(b"event: done\ndata: [DONE]\n\n")
    return b"".join(parts)


def _transcript_notes(ts: Sequence[w.Transcript]) -> list[str]:
    n = len(ts)
    events = sum(map(len, ts)) / n
    return [
        f"time per stream: {n:,} distinct create-thread-and-run transcripts of {events:.0f} "
        f"events each ({sum(len(t.body) for t in ts) / n:,.0f} bytes on average), each of its "
        "own assistant, thread, run and ids: thread.created, the run created, queued and in "
        "progress, a tool calls step (code interpreter input in pieces, its logs, a file "
        f"search), a message creation step with {sum(t.message_deltas for t in ts) / n:.0f} "
        f"text deltas on average; {sum(t.step_deltas for t in ts) / n:.0f} step deltas on "
        f"average; {sum(t.requires_action for t in ts)} of {n} end with a function call "
        "step (its arguments in pieces) and thread.run.requires_action, the others with "
        "thread.run.completed; then done",
    ]


_OPENAI_DECODE_NOTE = (
    "openai client: the official client's own reading (openai._streaming.SSEDecoder, "
    "json.loads of each frame's data, construct_type(type_=AssistantStreamEvent, ...) as "
    "_process_response_data does with the client's defaults: it validates the union first); "
    "openai validate: TypeAdapter(AssistantStreamEvent).validate_python of each frame; openai "
    "by name: the event's own class picked by name, model_validate_json (not a path of the "
    "client); the openai column takes the fastest"
)
_DONE_NOTE = (
    "the client stops at done and yields nothing for it; runschema yields a DoneEvent, which "
    "its output check requires last and then leaves out; orjson: the floor, frames split on "
    "blank lines (this framing only, no SSE rules) and each data parsed, no model"
)


def _transcript_decode(sizes: Sizes, strict: bool) -> Case:
    from benchmarks.peers import openai_client as oc

    ts = w.transcripts(sizes.transcripts, sizes.transcript_events)
    bodies = [t.body for t in ts]
    expected = [orjson.dumps(orjson.loads(sse_json(b))[:-1]) for b in bodies]
    mode = "strict" if strict else "lenient"
    decode = partial(runschema.decode_stream, strict=strict)
    contenders = [
        Contender("runschema", decode, bodies, expected, _runschema_events_json),
        Contender("openai client", oc.client_events, bodies, expected, _openai_events_json),
        Contender("openai validate", oc.validated_events, bodies, expected, _openai_events_json),
        Contender("openai by name", oc.by_name_events, bodies, expected, _openai_events_json),
        Contender("orjson", _orjson_frames, bodies, expected, _orjson_frames_json),
    ]
    return Case(
        f"decode stream transcripts, {mode}",
        "decode",
        contenders,
        slice_len=sizes.transcript_slice,
        notes=[*_transcript_notes(ts), _OPENAI_DECODE_NOTE, _DONE_NOTE],
        row=f"decode a {sizes.transcript_events}-event stream (per stream), {mode}",
    )


def transcripts_lenient(sizes: Sizes) -> Case:
    """Decode whole create-thread-and-run streams, lenient."""
    return _transcript_decode(sizes, False)


def transcripts_strict(sizes: Sizes) -> Case:
    """Decode whole create-thread-and-run streams, strict."""
    return _transcript_decode(sizes, True)


def transcripts_encode(sizes: Sizes) -> Case:
    """Encode whole create-thread-and-run streams from each contender's event values."""
    from benchmarks.peers import openai_client as oc

    ts = w.transcripts(sizes.transcripts, sizes.transcript_events)
    bodies = [t.body for t in ts]
    expected = [sse_json(b) for b in bodies]
    ours = [runschema.decode_stream(b) for b in bodies]
    theirs = [oc.validated_events(b) for b in bodies]
    floor = [_orjson_frames(b) for b in bodies]
    contenders = [
        Contender("runschema", runschema.encode_events, ours, expected, sse_json),
        Contender(
            "openai model_dump_json",
            partial(oc.encode_events, dump=_pydantic_json),
            theirs,
            expected,
            sse_json,
        ),
        Contender(
            "openai to_json",
            partial(oc.encode_events, dump=_openai_to_json),
            theirs,
            expected,
            sse_json,
        ),
        Contender("orjson", _orjson_encode, floor, expected, sse_json),
    ]
    return Case(
        "encode stream transcripts",
        "encode",
        contenders,
        slice_len=sizes.transcript_slice,
        notes=[
            *_transcript_notes(ts),
            "runschema: encode_events of its decoded events (done included); openai: an "
            "event: line, one data: line of each event model's data (the faster of "
            "model_dump_json(by_alias=True, exclude_unset=True) and to_json(indent=None)), the "
            "done frame; orjson: orjson.dumps of each parsed data between the same bytes (the "
            "floor); every output parsed back must be the transcript's events",
        ],
        row=f"encode a {sizes.transcript_events}-event stream (per stream)",
    )


#: Every case, by name, in report order.
CASES: list[tuple[str, CaseBuilder]] = [
    ("decode seed, lenient", seed_lenient),
    ("decode seed, strict", seed_strict),
    ("decode fuller run, lenient", full_lenient),
    ("decode fuller run, strict", full_strict),
    *_stream_cases(60),
    *_stream_cases(600),
    ("decode, schemas never seen recently, lenient", never_seen_case),
    ("decode, timestamps far apart, lenient", far_case),
    ("decode, server view, lenient", server_case),
    ("decode, server view, strict", server_strict_case),
    ("decode, unknown keys in every run, lenient", unknown_case),
    ("decode, the same runs without unknown keys, lenient", known_case),
    ("decode, a 64 KiB function schema, lenient", big_schema_case),
    _archive(60),
    _archive(600),
    ("encode seed", encode_seed),
    ("encode fuller run", encode_full),
    ("encode stream, 60 assistants", encode_stream),
    ("decode fuller run step, lenient", step_one),
    ("decode run steps, lenient", steps_lenient),
    ("decode run steps, strict", steps_strict),
    ("encode run steps", steps_encode),
    ("change runs' status, validated", change_case),
    ("decode 20-run list pages, lenient", pages_decode),
    ("encode 20-run list pages", pages_encode),
    ("decode stream transcripts, lenient", transcripts_lenient),
    ("decode stream transcripts, strict", transcripts_strict),
    ("encode stream transcripts", transcripts_encode),
]


# --- rejecting against accepting ------------------------------------------------------------


def _decode_strict(data: bytes, cls: type[Any]) -> object:
    try:
        return runschema.loads(data, cls, strict=True)
    except runschema.ValidationError as e:
        return e


def rejection(settings: Settings, size: int = 1_000_000) -> dict[str, Any]:
    """What rejecting costs against accepting, at about ``size`` bytes, strict: CPU time
    (interleaved rounds, the ratio reject/accept taken per round) and peak memory; a service
    must not pay much more to say no than to say yes."""
    docs = w.rejection_documents(size)
    accept = next(name for name in docs if name.startswith("accept"))
    contenders = [
        Contender(name, partial(_decode_strict, cls=cls), [data])
        for name, (cls, data) in docs.items()
    ]
    case = Case("rejecting against accepting", "reject", contenders, ours=accept)
    res = run_case(case, settings)
    times = {name: c["round_ns"] for name, c in res["contenders"].items()}
    peaks: dict[str, float] = {}
    for c in contenders:
        import gc
        import tracemalloc

        gc.collect()
        tracemalloc.start()
        c.fn(c.inputs[0])
        peaks[c.name] = float(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return {
        "bytes": {name: len(data) for name, (_, data) in docs.items()},
        "rounds": res["rounds"],
        "median_ns": {name: c["median_ns"] for name, c in res["contenders"].items()},
        "peak_bytes": peaks,
        "time_ratio_to_accept": {
            name: paired_ratios(times[name], times[accept]) for name in times if name != accept
        },
        "memory_ratio_to_accept": {n: peaks[n] / peaks[accept] for n in peaks if n != accept},
    }


# --- import ---------------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment for a child Python that must import this runschema and these
    benchmarks (not another checkout's): both put first on PYTHONPATH."""
    import os

    src = Path(runschema.__file__).resolve().parents[1]
    root = Path(__file__).resolve().parents[1]
    paths = [str(src), str(root)]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def import_times(repeat: int) -> dict[str, Any]:
    """CPU time (user + system, of the child alone) of a fresh interpreter importing each,
    less a bare interpreter's in the same round; the ratio runschema/openai per round."""
    snippets = {
        "bare interpreter": "pass",
        "import runschema": "import runschema",
        "from openai.types.beta.threads import Run": "from openai.types.beta.threads import Run",
    }
    env = child_env()
    names = list(snippets)
    cpu: dict[str, list[float]] = {k: [] for k in names}
    for r in range(repeat):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            child = run_child([sys.executable, "-c", snippets[name]], env=env)
            if child.returncode != 0:
                raise RuntimeError(f"{name}: {child.stderr}")
            cpu[name].append(child.cpu_s * 1e9)
    bare = cpu["bare interpreter"]
    net = {
        k: [max(v - b, 1.0) for v, b in zip(cpu[k], bare, strict=True)]
        for k in names
        if k != "bare interpreter"
    }
    from benchmarks.harness import quartiles

    return {
        "rounds": repeat,
        "median_ns": {k: quartiles(v)[1] for k, v in net.items()},
        "bare_interpreter_ns": quartiles(bare)[1],
        "ratio": paired_ratios(
            net["import runschema"], net["from openai.types.beta.threads import Run"]
        ),
    }
