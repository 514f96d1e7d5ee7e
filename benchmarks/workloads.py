"""The documents the benchmarks decode and encode, generated deterministically.

Decoding one document again and again flatters runschema: its generated decoders intern JSON
Schemas that come back, guess a class's absent key from the previous document, take later
timestamps from ``created_at`` when they are close, and share constant instances. Real traffic
is a stream of distinct runs. This module makes such streams:

- every run has its own id, thread, creation time and metadata; runs come from a number of
  assistants, each with its own function tools (its own JSON Schemas) and response format;
- a share of the runs carries one unknown top-level key (5% by default), a share lacks the
  ``required_action`` key (30%: absent, not null; the strict variant of a stream has it as null
  there, since strict mode requires the key), and a share has its later timestamps more than
  1,023 s after ``created_at`` (20%);
- the same arguments give the same bytes, in any process: every random choice comes from a
  ``random.Random`` seeded with a string (its seeding is fixed across CPython versions), and
  nothing depends on hash order.

Beside runs: distinct run steps of both kinds (:func:`run_steps`, and the one fuller step
:data:`FULL_STEP`), List runs pages of 20 distinct runs (:func:`run_pages`), and whole
create-thread-and-run stream bodies of about 200 events (:func:`transcripts`), each valid under
runschema's strict mode and its stream order checker.

All runs are valid under runschema's strict mode (the strict variant), under the JSON Schema
runschema exports, and under the peers' models (the openai package's ``Run`` included: every
run has ``instructions`` as a string, since that model rejects null there).
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

import runschema

__all__ = [
    "FULL",
    "FULL_STEP",
    "SEED",
    "SEED_FOR_OPENAI",
    "SEED_STRICT",
    "Assistant",
    "Stream",
    "Transcript",
    "big_schema_run",
    "far_apart",
    "function_schemas",
    "make_assistant",
    "never_seen",
    "rejection_documents",
    "run_pages",
    "run_steps",
    "server_view",
    "stream",
    "transcript",
    "transcripts",
    "unknown_keys",
    "with_instructions",
]

HERE = Path(__file__).resolve().parent

#: The fuller run: all three tool kinds, a required action, a json_schema response format.
FULL: bytes = (HERE / "data" / "full_run.json").read_bytes()
#: runschema's seed example (it lacks ``required_action`` and has ``instructions: null``).
SEED: bytes = runschema.seed_example()
#: Strict mode reports the seed's absent ``required_action``: strict cases add it as null.
SEED_STRICT: bytes = orjson.dumps({**orjson.loads(SEED), "required_action": None})

#: The base of every generated run's ``created_at`` (June 2024).
EPOCH = 1_718_000_000

_VERBS = (
    "get", "find", "list", "create", "update", "cancel", "book", "search", "check", "send",
    "fetch", "lookup", "schedule", "estimate", "convert", "summarize", "translate", "refund",
)  # fmt: skip
_NOUNS = (
    "weather", "order", "invoice", "flight", "hotel", "ticket", "customer", "product", "stock",
    "calendar", "meeting", "shipment", "payment", "account", "report", "document", "recipe",
    "route", "forecast", "balance", "subscription", "reservation", "contract", "claim",
)  # fmt: skip
_WORDS = (
    "the", "a", "of", "for", "to", "in", "with", "by", "user", "value", "date", "time", "city",
    "country", "currency", "amount", "limit", "status", "name", "email", "code", "region",
    "language", "format", "unit", "range", "start", "end", "priority", "category", "note",
    "reference", "number", "type", "level", "source", "target", "filter", "sort", "page",
)  # fmt: skip
_MODELS = ("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4-turbo", "o3-mini")
_UNKNOWN_KEYS = (
    ("reasoning_effort", "medium"),
    ("service_tier", "default"),
    ("prompt_cache_key", "pck_7f3a"),
    ("safety_identifier", "sid_19c2"),
    ("store", True),
    ("background", False),
)
#: statuses a run lacking ``required_action`` may have (never ``requires_action``)
_OTHER_STATUSES = (
    ("completed", 50),
    ("in_progress", 14),
    ("queued", 8),
    ("failed", 8),
    ("cancelled", 7),
    ("incomplete", 7),
    ("expired", 4),
    ("cancelling", 2),
)
#: the longest gap, in seconds, between ``created_at`` and a later timestamp that runschema
#: takes as ``created_at`` plus a cached ``timedelta`` (see ``runschema._fastrt.Deltas``)
NEAR_SECONDS = 1023


def _sentence(rng: random.Random, lo: int, hi: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def _property(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    """One JSON Schema property, of a kind function tools commonly declare."""
    kind = rng.randrange(8 if depth == 0 else 6)
    if kind == 0:
        return {"type": "string", "description": _sentence(rng, 4, 10)}
    if kind == 1:
        return {"type": "string", "enum": sorted({rng.choice(_WORDS) for _ in range(4)})}
    if kind == 2:
        lo = rng.randrange(0, 10)
        return {"type": "integer", "minimum": lo, "maximum": lo + rng.randrange(5, 500)}
    if kind == 3:
        return {"type": "number", "description": _sentence(rng, 3, 8)}
    if kind == 4:
        return {"type": "boolean", "description": _sentence(rng, 3, 6)}
    if kind == 5:
        return {
            "type": "array",
            "items": {"type": "string"},
            "maxItems": rng.randrange(2, 20),
            "description": _sentence(rng, 3, 8),
        }
    props = {f"{rng.choice(_WORDS)}_{k}": _property(rng, depth + 1) for k in range(3)}
    return {
        "type": "object",
        "properties": props,
        "required": sorted(props)[:2],
        "additionalProperties": False,
    }


def _parameters(rng: random.Random, owner: str, fname: str, props: int) -> dict[str, Any]:
    """A function's ``parameters``: an object schema, distinct for each assistant (its
    description names the function and the assistant)."""
    properties: dict[str, Any] = {}
    while len(properties) < props:
        properties[f"{rng.choice(_WORDS)}_{rng.choice(_NOUNS)}"] = _property(rng)
    names = list(properties)
    return {
        "type": "object",
        "description": f"Arguments of {fname} for {owner}.",
        "properties": properties,
        "required": names[: rng.randint(1, len(names))],
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class Assistant:
    """What runs of one assistant share: model, instructions, tools and their JSON Schemas,
    tool resources, sampling settings, response format."""

    id: str
    model: str
    instructions: str
    tools: tuple[Any, ...]
    #: (name, parameters) of each function tool, for tool calls
    functions: tuple[tuple[str, Any], ...]
    tool_resources: Any
    temperature: float
    top_p: float
    response_format: Any


def make_assistant(
    seed: str, tag: str, index: int, functions: tuple[int, int], props: tuple[int, int]
) -> Assistant:
    """Assistant ``index`` of the population ``(seed, tag)``: ``functions`` (lo, hi) function
    tools, each with ``props`` (lo, hi) properties. Each assistant has its own random
    generator, so it is the same whatever the size of its population."""
    rng = random.Random(f"{seed}:{tag}:assistant:{index}")
    aid = f"asst_{rng.getrandbits(96):024x}"
    owner = f"{tag}-assistant-{index}"
    tools: list[Any] = []
    if rng.random() < 0.5:
        tools.append({"type": "code_interpreter"})
    if rng.random() < 0.4:
        options: dict[str, Any] = {"max_num_results": rng.randint(1, 50)}
        if rng.random() < 0.5:
            options["ranking_options"] = {
                "ranker": rng.choice(("auto", "default_2024_08_21")),
                "score_threshold": round(rng.random(), 2),
            }
        tools.append({"type": "file_search", "file_search": options})
    fns: list[tuple[str, Any]] = []
    for k in range(rng.randint(*functions)):
        fname = f"{rng.choice(_VERBS)}_{rng.choice(_NOUNS)}_{k}"
        params = _parameters(rng, owner, fname, rng.randint(*props))
        definition: dict[str, Any] = {
            "name": fname,
            "description": _sentence(rng, 6, 16),
            "parameters": params,
        }
        if rng.random() < 0.6:
            definition["strict"] = rng.random() < 0.5
        tools.append({"type": "function", "function": definition})
        fns.append((fname, params))
    rng.shuffle(tools)
    resources: dict[str, Any] = {}
    if any(t["type"] == "code_interpreter" for t in tools):
        files = [f"file-{rng.getrandbits(64):016x}" for _ in range(rng.randint(0, 3))]
        resources["code_interpreter"] = {"file_ids": files}
    if any(t["type"] == "file_search" for t in tools):
        resources["file_search"] = {"vector_store_ids": [f"vs_{rng.getrandbits(64):016x}"]}
    pick = rng.random()
    fmt: Any
    if pick < 0.5:
        fmt = "auto"
    elif pick < 0.65:
        fmt = {"type": "text"}
    elif pick < 0.75:
        fmt = {"type": "json_object"}
    else:
        fmt = {
            "type": "json_schema",
            "json_schema": {
                "name": f"answer_{index}",
                "schema": _parameters(rng, owner, "the answer", rng.randint(2, 5)),
                "strict": True,
            },
        }
    return Assistant(
        id=aid,
        model=rng.choice(_MODELS),
        instructions=" ".join(_sentence(rng, 8, 20) for _ in range(rng.randint(1, 4))),
        tools=tuple(tools),
        functions=tuple(fns),
        tool_resources=resources or None,
        temperature=rng.choice((0.2, 0.5, 0.7, 1.0)),
        top_p=rng.choice((0.9, 1.0)),
        response_format=fmt,
    )


def _arguments(rng: random.Random, params: dict[str, Any]) -> str:
    """The ``arguments`` of a tool call: a JSON text of values for the required properties."""
    args: dict[str, Any] = {}
    for name in params["required"]:
        kind = params["properties"][name].get("type")
        if kind == "integer":
            args[name] = params["properties"][name]["minimum"]
        elif kind == "number":
            args[name] = round(rng.random() * 100, 2)
        elif kind == "boolean":
            args[name] = rng.random() < 0.5
        elif kind == "array":
            args[name] = [rng.choice(_WORDS)]
        elif kind == "object":
            args[name] = {}
        else:
            args[name] = params["properties"][name].get("enum", [rng.choice(_NOUNS)])[0]
    return orjson.dumps(args).decode()


def _status(rng: random.Random, weights: Sequence[tuple[str, int]]) -> str:
    return rng.choices([s for s, _ in weights], [w for _, w in weights])[0]


def _run(
    rng: random.Random, a: Assistant, index: int, created: int, *, absent: bool, far: bool
) -> dict[str, Any]:
    """One run of assistant ``a``, as the API writes it (``required_action`` included; a run
    chosen to lack it gets a status that has none)."""
    pending_action = not absent and rng.random() < 0.5
    status = "requires_action" if pending_action else _status(rng, _OTHER_STATUSES)

    def later(lo: int, hi: int) -> int:
        # a later timestamp: near (taken from created_at plus a cached timedelta) or far
        if far:
            return created + rng.randint(NEAR_SECONDS + 1, 7200)
        return created + rng.randint(lo, hi)

    started = None if status == "queued" else later(0, 5)
    pending = ("queued", "in_progress", "requires_action", "cancelling", "expired")
    expires = later(600, 600) if status in pending else None
    terminal = status not in ("queued", "in_progress", "requires_action", "cancelling")
    required_action = None
    if status == "requires_action":
        calls = []
        for _ in range(rng.randint(1, 3)):
            fname, params = rng.choice(a.functions)
            call_id = f"call_{rng.getrandbits(96):024x}"
            fn = {"name": fname, "arguments": _arguments(rng, params)}
            calls.append({"id": call_id, "type": "function", "function": fn})
        required_action = {
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {"tool_calls": calls},
        }
    metadata: dict[str, str] = {"request_id": f"req_{index:08d}_{rng.getrandbits(32):08x}"}
    for key in ("user_id", "session", "locale", "trace", "tenant")[: rng.randint(0, 5)]:
        metadata[key] = f"{key}_{rng.getrandbits(40):010x}"
    prompt = rng.randint(50, 20000)
    completion = rng.randint(1, 2000)
    choice = rng.random()
    tool_choice: Any
    if choice < 0.7:
        tool_choice = "auto"
    elif choice < 0.8:
        tool_choice = "required"
    elif choice < 0.85:
        tool_choice = "none"
    else:
        tool_choice = {"type": "function", "function": {"name": rng.choice(a.functions)[0]}}
    last = rng.choice((None, rng.randint(1, 50)))
    return {
        "id": f"run_{index:07d}{rng.getrandbits(68):017x}",
        "object": "thread.run",
        "created_at": created,
        "assistant_id": a.id,
        "thread_id": f"thread_{rng.getrandbits(96):024x}",
        "status": status,
        "started_at": started,
        "expires_at": expires,
        "cancelled_at": later(1, 900) if status == "cancelled" else None,
        "failed_at": later(1, 900) if status == "failed" else None,
        "completed_at": later(5, 900) if status == "completed" else None,
        "required_action": required_action,
        "last_error": (
            {"code": rng.choice(("server_error", "rate_limit_exceeded")), "message": "Retry."}
            if status == "failed"
            else None
        ),
        "model": a.model,
        "instructions": a.instructions,
        "tools": copy.deepcopy(list(a.tools)),
        "tool_resources": copy.deepcopy(a.tool_resources),
        "metadata": metadata,
        "temperature": a.temperature,
        "top_p": a.top_p,
        "max_completion_tokens": rng.choice((None, 1024, 2048, 4096)),
        "max_prompt_tokens": rng.choice((None, 20000, 64000)),
        "truncation_strategy": {"type": "auto" if last is None else "last_messages"}
        | {"last_messages": last},
        "incomplete_details": (
            {"reason": rng.choice(("max_completion_tokens", "max_prompt_tokens"))}
            if status == "incomplete"
            else None
        ),
        "usage": (
            {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            }
            if terminal
            else None
        ),
        "response_format": copy.deepcopy(a.response_format),
        "tool_choice": tool_choice,
        "parallel_tool_calls": rng.random() < 0.8,
    }


def _with_key_after(doc: dict[str, Any], after: str, key: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in doc.items():
        out[k] = v
        if k == after:
            out[key] = value
    return out


@dataclass(frozen=True)
class Stream:
    """Distinct runs as JSON texts, in the order a consumer meets them.

    ``lenient``: as generated (the chosen runs lack ``required_action``); ``strict``: the same
    runs with ``required_action: null`` where it is absent (strict mode requires the key).
    The index sets say which runs have which property.
    """

    label: str
    lenient: tuple[bytes, ...]
    strict: tuple[bytes, ...]
    assistants: int
    #: runs with one unknown top-level key
    unknown: frozenset[int]
    #: runs lacking ``required_action``
    absent: frozenset[int]
    #: runs whose later timestamps all lie more than 1,023 s after ``created_at``
    far: frozenset[int]

    def __len__(self) -> int:
        return len(self.lenient)


def _chosen(
    rng: random.Random, n: int, share: float, among: Sequence[int] | None = None
) -> set[int]:
    pool = range(n) if among is None else among
    return set(rng.sample(pool, min(len(pool), round(share * n))))


@lru_cache(maxsize=32)
def stream(
    n: int,
    assistants: int,
    *,
    seed: str = "runschema-bench-1",
    tag: str = "stream",
    unknown: float = 0.05,
    absent: float = 0.30,
    far: float = 0.20,
    functions: tuple[int, int] = (1, 3),
    props: tuple[int, int] = (2, 5),
    one_each: bool = False,
) -> Stream:
    """``n`` distinct runs from ``assistants`` assistants (each used at least once when
    ``n >= assistants``; otherwise ``n`` distinct ones), with exactly ``round(share * n)`` runs
    having each property (an unknown key, an absent ``required_action``, far timestamps).

    ``one_each``: run ``i`` is the only run of assistant ``i`` (every schema occurs once).
    """
    rng = random.Random(f"{seed}:{tag}:runs:{n}:{assistants}")
    if one_each:
        owners = list(range(n))
    elif n >= assistants:
        owners = list(range(assistants)) + [
            rng.randrange(assistants) for _ in range(n - assistants)
        ]
        rng.shuffle(owners)
    else:
        owners = rng.sample(range(assistants), n)
    made: dict[int, Assistant] = {}
    unknown_at = _chosen(rng, n, unknown)
    absent_at = _chosen(rng, n, absent)
    far_at = _chosen(rng, n, far)
    lenient: list[bytes] = []
    strict: list[bytes] = []
    created = EPOCH
    for i, owner in enumerate(owners):
        a = made.get(owner)
        if a is None:
            a = made[owner] = make_assistant(seed, tag, owner, functions, props)
        created += rng.randint(1, 30)
        doc = _run(rng, a, i, created, absent=i in absent_at, far=i in far_at)
        if i in unknown_at:
            key, value = _UNKNOWN_KEYS[rng.randrange(len(_UNKNOWN_KEYS))]
            doc = _with_key_after(doc, "model", key, value)
        strict.append(orjson.dumps(doc))
        if i in absent_at:
            del doc["required_action"]
            lenient.append(orjson.dumps(doc))
        else:
            lenient.append(strict[-1])
    return Stream(
        label=f"{n:,} runs from {assistants:,} assistants",
        lenient=tuple(lenient),
        strict=tuple(strict),
        assistants=assistants,
        unknown=frozenset(unknown_at),
        absent=frozenset(absent_at),
        far=frozenset(far_at),
    )


def never_seen(n: int) -> Stream:
    """``n`` runs, each of its own assistant with 3 to 4 function tools: every JSON Schema
    occurs once in the stream, so a consumer cycling through it meets each schema again only
    ``n * 3`` schemas or more later (runschema keeps a schema on its third sighting, when each
    came soon after the one before)."""
    return stream(n, n, tag="never-seen", functions=(3, 4), one_each=True)


def far_apart(n: int, assistants: int = 60) -> Stream:
    """``n`` runs whose later timestamps all lie more than 1,023 s after ``created_at``."""
    return stream(n, assistants, tag="far", far=1.0)


def server_view(n: int, assistants: int = 600) -> Stream:
    """Runs a service handles: ``n`` distinct runs from ``assistants`` assistants, each
    assistant with its own 2 to 3 function tools, about 4 KB a run."""
    return stream(n, assistants, tag="server", functions=(2, 3), props=(3, 6))


@dataclass(frozen=True)
class UnknownKeys:
    """The same runs twice: ``without`` them and ``with_`` three unknown keys each, one at the
    top level, one in ``usage`` (or, where usage is null, in ``truncation_strategy``) and one
    in a function tool's ``function`` object."""

    without: tuple[bytes, ...]
    with_: tuple[bytes, ...]


@lru_cache(maxsize=4)
def unknown_keys(n: int, assistants: int = 60) -> UnknownKeys:
    """Runs of a stream without unknown keys, and the same runs with them (see UnknownKeys)."""
    base = stream(n, assistants, tag="unknown-keys", unknown=0.0)
    with_: list[bytes] = []
    for data in base.lenient:
        doc = orjson.loads(data)
        doc = _with_key_after(doc, "status", "reasoning_effort", "medium")
        nested = doc["usage"] if doc["usage"] is not None else doc["truncation_strategy"]
        nested["cached_tokens"] = 17
        fn = next(t for t in doc["tools"] if t["type"] == "function")["function"]
        fn["x_owner"] = "team-a"
        with_.append(orjson.dumps(doc))
    return UnknownKeys(without=base.lenient, with_=tuple(with_))


def big_schema_run(size: int = 64 * 1024) -> bytes:
    """The fuller run with a function ``parameters`` of at least ``size`` bytes of JSON text
    (and less than ``size`` + 1 KiB)."""
    doc = orjson.loads(FULL)
    props: dict[str, Any] = {}
    params = {"type": "object", "properties": props, "additionalProperties": False}
    rng = random.Random(f"big-schema:{size}")
    i = 0
    while len(orjson.dumps(params)) < size:
        props[f"field_{i:05d}"] = _property(rng)
        i += 1
    doc["tools"][2]["function"]["parameters"] = params
    return orjson.dumps(doc)


def with_instructions(data: bytes) -> bytes:
    """``data`` with ``instructions`` set to a string where it is null: the openai package's
    ``Run`` requires a string there (runschema records the erratum)."""
    doc = orjson.loads(data)
    if doc.get("instructions", "") is None:
        doc["instructions"] = "You are helpful."
        return orjson.dumps(doc)
    return data


#: The seed as the openai model can take it (``instructions`` a string).
SEED_FOR_OPENAI: bytes = with_instructions(SEED)


def function_schemas(data: bytes) -> list[bytes]:
    """The JSON texts of a run's JSON Schemas (function ``parameters``, json_schema
    ``schema``), as orjson writes them."""
    doc = orjson.loads(data)
    out = [
        orjson.dumps(t["function"]["parameters"])
        for t in doc["tools"]
        if t["type"] == "function" and t["function"].get("parameters") is not None
    ]
    fmt = doc.get("response_format")
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        schema = fmt["json_schema"].get("schema")
        if schema is not None:
            out.append(orjson.dumps(schema))
    return out


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


# --- run steps ------------------------------------------------------------------------------

_CODE_LINES = (
    "import pandas as pd",
    "import numpy as np",
    "import matplotlib.pyplot as plt",
    "df = pd.read_csv('/mnt/data/{file}.csv')",
    "print(df.describe())",
    "print(df.head({n}))",
    "total = df['{word}'].sum()",
    "print(f'total: {{total:.2f}}')",
    "values = np.linspace(0, {n}, {n})",
    "plt.plot(values, np.sqrt(values))",
    "plt.savefig('/mnt/data/{word}_{n}.png')",
    "result = sorted(set(df['{word}']))[:{n}]",
    "print(len(result), result)",
)
#: statuses of a listed run step, and their weights
_STEP_STATUSES = (
    ("completed", 75),
    ("in_progress", 10),
    ("failed", 6),
    ("cancelled", 5),
    ("expired", 4),
)


def _id(rng: random.Random, prefix: str) -> str:
    return f"{prefix}_{rng.getrandbits(96):024x}"


def _code(rng: random.Random, lines: int) -> str:
    out = []
    for _ in range(lines):
        line = rng.choice(_CODE_LINES)
        out.append(
            line.format(
                file=f"file-{rng.getrandbits(40):010x}",
                n=rng.randint(2, 50),
                word=rng.choice(_WORDS),
            )
        )
    return "\n".join(out)


def _logs(rng: random.Random) -> str:
    rows = [
        f"{rng.choice(_WORDS):<10} {rng.random() * 1000:10.3f} {rng.randint(0, 99999):8d}"
        for _ in range(rng.randint(1, 8))
    ]
    return "\n".join(rows) + "\n"


def _function_call(rng: random.Random, a: Assistant, done: bool) -> dict[str, Any]:
    fname, params = rng.choice(a.functions)
    output = orjson.dumps({"ok": True, "value": _sentence(rng, 3, 12)}).decode() if done else None
    fn = {"name": fname, "arguments": _arguments(rng, params), "output": output}
    return {"id": _id(rng, "call"), "type": "function", "function": fn}


def _code_interpreter_call(rng: random.Random, done: bool) -> dict[str, Any]:
    outputs: list[Any] = []
    if done:
        outputs.append({"type": "logs", "logs": _logs(rng)})
        if rng.random() < 0.3:
            outputs.append({"type": "image", "image": {"file_id": _id(rng, "file")}})
    code = {"input": _code(rng, rng.randint(2, 8)), "outputs": outputs}
    return {"id": _id(rng, "call"), "type": "code_interpreter", "code_interpreter": code}


def _file_search_call(rng: random.Random, done: bool) -> dict[str, Any]:
    search: dict[str, Any] = {}
    if done and rng.random() < 0.7:
        search["ranking_options"] = {
            "ranker": rng.choice(("auto", "default_2024_08_21")),
            "score_threshold": round(rng.random() * 0.5, 2),
        }
        results = []
        for _ in range(rng.randint(0, 4)):
            result: dict[str, Any] = {
                "file_id": _id(rng, "file"),
                "file_name": f"{rng.choice(_NOUNS)}_{rng.randint(1, 999)}.pdf",
                "score": round(0.5 + rng.random() * 0.5, 4),
            }
            if rng.random() < 0.4:
                result["content"] = [{"type": "text", "text": _sentence(rng, 10, 40)}]
            results.append(result)
        search["results"] = results
    return {"id": _id(rng, "call"), "type": "file_search", "file_search": search}


def _usage(rng: random.Random) -> dict[str, int]:
    prompt, completion = rng.randint(50, 20000), rng.randint(1, 2000)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _step_doc(
    rng: random.Random,
    *,
    id: str,
    created: int,
    run_id: str,
    assistant_id: str,
    thread_id: str,
    status: str,
    details: dict[str, Any],
    metadata: dict[str, str] | None,
) -> dict[str, Any]:
    """A run step as the API writes it: every key, in the API's order."""

    def at(name: str) -> int | None:
        return created + rng.randint(1, 300) if status == name else None

    return {
        "id": id,
        "object": "thread.run.step",
        "created_at": created,
        "run_id": run_id,
        "assistant_id": assistant_id,
        "thread_id": thread_id,
        "type": details["type"],
        "status": status,
        "cancelled_at": at("cancelled"),
        "completed_at": at("completed"),
        "expired_at": at("expired"),
        "failed_at": at("failed"),
        "last_error": (
            {"code": rng.choice(("server_error", "rate_limit_exceeded")), "message": "Retry."}
            if status == "failed"
            else None
        ),
        "step_details": details,
        "usage": None if status == "in_progress" else _usage(rng),
        "metadata": metadata,
    }


def _tool_calls(rng: random.Random, a: Assistant, done: bool) -> list[dict[str, Any]]:
    calls = []
    for _ in range(rng.randint(1, 3)):
        pick = rng.random()
        if pick < 0.5:
            calls.append(_function_call(rng, a, done))
        elif pick < 0.8:
            calls.append(_code_interpreter_call(rng, done))
        else:
            calls.append(_file_search_call(rng, done))
    return calls


@lru_cache(maxsize=8)
def run_steps(
    n: int, assistants: int = 60, *, seed: str = "runschema-bench-1", tag: str = "steps"
) -> tuple[bytes, ...]:
    """``n`` distinct run steps as List run steps gives them, of ``assistants`` assistants: 40%
    ``message_creation``, 60% ``tool_calls`` with one to three calls among ``function`` (its
    arguments for the assistant's own schemas, its output once done), ``code_interpreter``
    (code, logs, sometimes an image) and ``file_search`` (ranking options and results, some
    with content, or ``{}``); 75% completed, the rest in progress, failed, cancelled or
    expired. Every key is present (strict mode takes them as they are)."""
    rng = random.Random(f"{seed}:{tag}:steps:{n}:{assistants}")
    made: dict[int, Assistant] = {}
    out: list[bytes] = []
    created = EPOCH
    for i in range(n):
        owner = rng.randrange(assistants)
        a = made.get(owner)
        if a is None:
            a = made[owner] = make_assistant(seed, tag, owner, (1, 3), (2, 5))
        created += rng.randint(1, 30)
        status = _status(rng, _STEP_STATUSES)
        details: dict[str, Any]
        if rng.random() < 0.4:
            creation = {"message_id": _id(rng, "msg")}
            details = {"type": "message_creation", "message_creation": creation}
        else:
            calls = _tool_calls(rng, a, status == "completed")
            details = {"type": "tool_calls", "tool_calls": calls}
        metadata = rng.choice((None, {}, {"step_index": str(i)}))
        doc = _step_doc(
            rng,
            id=f"step_{i:07d}{rng.getrandbits(68):017x}",
            created=created,
            run_id=_id(rng, "run"),
            assistant_id=a.id,
            thread_id=_id(rng, "thread"),
            status=status,
            details=details,
            metadata=metadata,
        )
        out.append(orjson.dumps(doc))
    return tuple(out)


def _fuller_step() -> bytes:
    rng = random.Random("runschema-bench-1:fuller-step")
    a = make_assistant("runschema-bench-1", "fuller-step", 0, (2, 2), (4, 4))
    calls = [
        _function_call(rng, a, True),
        _code_interpreter_call(rng, True),
        _file_search_call(rng, True),
    ]
    calls[1]["code_interpreter"]["outputs"].append(
        {"type": "image", "image": {"file_id": "file-9f2c1e"}}
    )
    calls[2]["file_search"] = {
        "ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.2},
        "results": [
            {
                "file_id": "file-a81d",
                "file_name": "handbook.pdf",
                "score": 0.87,
                "content": [{"type": "text", "text": _sentence(rng, 20, 30)}],
            },
            {"file_id": "file-07b3", "file_name": "faq.md", "score": 0.61},
        ],
    }
    doc = _step_doc(
        rng,
        id="step_fuller",
        created=EPOCH,
        run_id="run_fuller",
        assistant_id=a.id,
        thread_id="thread_fuller",
        status="completed",
        details={"type": "tool_calls", "tool_calls": calls},
        metadata={"step_index": "2"},
    )
    return orjson.dumps(doc)


#: A completed tool calls step with one call of each kind (function with output, code
#: interpreter with logs and an image, file search with ranking options and two results).
FULL_STEP: bytes = _fuller_step()


# --- list pages -----------------------------------------------------------------------------


@lru_cache(maxsize=4)
def run_pages(pages: int, per_page: int = 20, assistants: int = 60) -> tuple[bytes, ...]:
    """``pages`` List runs pages (``{"object": "list", "data", "first_id", "last_id",
    "has_more"}``) of ``per_page`` distinct runs each, from :func:`stream` (its strict variant:
    every run has ``required_action``, as the API writes it; 5% carry an unknown key)."""
    s = stream(pages * per_page, assistants, tag="pages")
    out = []
    for p in range(pages):
        runs = [orjson.loads(d) for d in s.strict[p * per_page : (p + 1) * per_page]]
        page = {
            "object": "list",
            "data": runs,
            "first_id": runs[0]["id"],
            "last_id": runs[-1]["id"],
            "has_more": p < pages - 1,
        }
        out.append(orjson.dumps(page))
    return tuple(out)


# --- streams --------------------------------------------------------------------------------


def _pieces(rng: random.Random, text: str, k: int) -> list[str]:
    """``text`` cut into ``k`` non-empty pieces (fewer if it is shorter)."""
    k = max(1, min(k, len(text)))
    cuts = sorted(rng.sample(range(1, len(text)), k - 1)) if k > 1 else []
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def _words(rng: random.Random, n: int) -> list[str]:
    """``n`` tokens of an answer, as a model streams them (a word, with its leading space)."""
    out = []
    for i in range(n):
        word = rng.choice(_WORDS + _NOUNS)
        if i and rng.random() < 0.08:
            word += rng.choice((".", ",", ":"))
        out.append(word if i == 0 else " " + word)
    return out


@dataclass(frozen=True)
class Transcript:
    """One stream body and what it holds: its events as ``(name, data)`` with data parsed
    (``None`` for ``done``), and how many of each kind."""

    body: bytes
    events: tuple[tuple[str, Any], ...]
    message_deltas: int
    step_deltas: int
    requires_action: bool

    def __len__(self) -> int:
        return len(self.events)


def transcript(index: int, events: int = 200, *, seed: str = "runschema-bench-1") -> Transcript:
    """A create-thread-and-run stream of ``events`` events (with ``done``), as the API sends
    it: ``thread.created``; the run created, queued, in progress; a tool calls step (a code
    interpreter call whose input comes in 12 to 24 pieces, then its logs; a file search
    call); a message creation step whose message comes in text deltas
    (as many as make up ``events``: about 150 of 200); then either ``thread.run.completed``,
    or (every other transcript) a function call step whose arguments come in pieces and
    ``thread.run.requires_action``; ``done``. Each transcript has its own assistant (its own
    tools and schemas), thread, run, ids and times."""
    rng = random.Random(f"{seed}:transcript:{index}")
    a = make_assistant(seed, "transcript", index, (1, 3), (2, 5))
    # every transcript's assistant has the tools the server runs itself
    tools = list(a.tools)
    resources = dict(a.tool_resources or {})
    if not any(t["type"] == "code_interpreter" for t in tools):
        tools.insert(0, {"type": "code_interpreter"})
        resources["code_interpreter"] = {"file_ids": []}
    if not any(t["type"] == "file_search" for t in tools):
        tools.append({"type": "file_search", "file_search": {"max_num_results": 20}})
        resources["file_search"] = {"vector_store_ids": [_id(rng, "vs")]}
    a = dataclasses.replace(a, tools=tuple(tools), tool_resources=resources)
    created = EPOCH + 86_400 * index + rng.randint(0, 3600)
    thread_id = _id(rng, "thread")
    base = _run(rng, a, index, created, absent=False, far=False)
    run_id = base["id"]
    base.update(
        thread_id=thread_id,
        status="queued",
        started_at=None,
        expires_at=created + 600,
        cancelled_at=None,
        failed_at=None,
        completed_at=None,
        required_action=None,
        last_error=None,
        incomplete_details=None,
        usage=None,
    )
    out: list[tuple[str, Any]] = []
    clock = created

    def tick() -> int:
        nonlocal clock
        clock += rng.randint(0, 2)
        return clock

    def run(name: str, **changes: Any) -> None:
        base.update(changes)
        out.append((name, copy.deepcopy(base)))

    def step(name: str, doc: dict[str, Any]) -> None:
        out.append((name, copy.deepcopy(doc)))

    def new_step(details: dict[str, Any]) -> dict[str, Any]:
        return _step_doc(
            rng,
            id=_id(rng, "step"),
            created=tick(),
            run_id=run_id,
            assistant_id=a.id,
            thread_id=thread_id,
            status="in_progress",
            details=details,
            metadata={},
        )

    def step_delta(step_id: str, call: dict[str, Any]) -> None:
        details = {"type": "tool_calls", "tool_calls": [call]}
        data = {
            "id": step_id,
            "object": "thread.run.step.delta",
            "delta": {"step_details": details},
        }
        out.append(("thread.run.step.delta", data))

    thread = {"id": thread_id, "object": "thread", "created_at": created, "tool_resources": {}}
    out.append(("thread.created", thread | {"metadata": {}}))
    run("thread.run.created")
    run("thread.run.queued")
    run("thread.run.in_progress", status="in_progress", started_at=tick())
    # a tool calls step the server runs itself: a code interpreter call, its input in pieces
    # and then its logs, and a file search call
    doc = new_step({"type": "tool_calls", "tool_calls": []})
    step("thread.run.step.created", doc)
    step("thread.run.step.in_progress", doc)
    ci_call = _code_interpreter_call(rng, True)
    del ci_call["code_interpreter"]["outputs"][1:]  # its logs only
    code = ci_call["code_interpreter"]
    first = {"input": "", "outputs": []}
    ci_id = ci_call["id"]
    step_delta(
        doc["id"], {"index": 0, "id": ci_id, "type": "code_interpreter", "code_interpreter": first}
    )
    for piece in _pieces(rng, code["input"], rng.randint(12, 24)):
        step_delta(
            doc["id"],
            {"index": 0, "type": "code_interpreter", "code_interpreter": {"input": piece}},
        )
    logs = [{"index": 0, "type": "logs", "logs": code["outputs"][0]["logs"]}]
    step_delta(
        doc["id"], {"index": 0, "type": "code_interpreter", "code_interpreter": {"outputs": logs}}
    )
    fs_call = _file_search_call(rng, True)
    step_delta(
        doc["id"], {"index": 1, "id": fs_call["id"], "type": "file_search", "file_search": {}}
    )
    step_deltas = len(out) - 6
    doc["step_details"]["tool_calls"] = [ci_call, fs_call]
    doc.update(status="completed", completed_at=tick(), usage=_usage(rng))
    step("thread.run.step.completed", doc)
    # the function calls that end the stream (every other transcript), made now to count them
    ends_in_action = index % 2 == 1
    fn_calls = [_function_call(rng, a, False) for _ in range(rng.randint(1, 2))]
    fn_pieces = [_pieces(rng, c["function"]["arguments"], rng.randint(8, 16)) for c in fn_calls]
    tail = 3 + sum(1 + len(p) for p in fn_pieces) if ends_in_action else 1
    # the message creation step
    msg_id = _id(rng, "msg")
    doc = new_step({"type": "message_creation", "message_creation": {"message_id": msg_id}})
    step("thread.run.step.created", doc)
    step("thread.run.step.in_progress", doc)
    message: dict[str, Any] = {
        "id": msg_id,
        "object": "thread.message",
        "created_at": tick(),
        "assistant_id": a.id,
        "thread_id": thread_id,
        "run_id": run_id,
        "status": "in_progress",
        "incomplete_details": None,
        "incomplete_at": None,
        "completed_at": None,
        "role": "assistant",
        "content": [],
        "attachments": [],
        "metadata": {},
    }
    step("thread.message.created", message)
    step("thread.message.in_progress", message)
    n_text = events - len(out) - 2 - tail - 1
    if n_text < 1:
        raise ValueError(f"{events} events are too few for this transcript")
    words = _words(rng, n_text)
    for word in words:
        part = {"index": 0, "type": "text", "text": {"value": word, "annotations": []}}
        delta = {"id": msg_id, "object": "thread.message.delta", "delta": {"content": [part]}}
        out.append(("thread.message.delta", delta))
    text = {"value": "".join(words), "annotations": []}
    message.update(
        status="completed", completed_at=tick(), content=[{"type": "text", "text": text}]
    )
    step("thread.message.completed", message)
    doc.update(status="completed", completed_at=tick(), usage=_usage(rng))
    step("thread.run.step.completed", doc)
    if ends_in_action:
        doc = new_step({"type": "tool_calls", "tool_calls": []})
        step("thread.run.step.created", doc)
        step("thread.run.step.in_progress", doc)
        for k, (call, pieces) in enumerate(zip(fn_calls, fn_pieces, strict=True)):
            named = {"name": call["function"]["name"], "arguments": "", "output": None}
            step_delta(
                doc["id"], {"index": k, "id": call["id"], "type": "function", "function": named}
            )
            for piece in pieces:
                step_delta(
                    doc["id"], {"index": k, "type": "function", "function": {"arguments": piece}}
                )
            step_deltas += 1 + len(pieces)
        action_calls = [
            {
                "id": c["id"],
                "type": "function",
                "function": {k: c["function"][k] for k in ("name", "arguments")},
            }
            for c in fn_calls
        ]
        action = {
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {"tool_calls": action_calls},
        }
        run("thread.run.requires_action", status="requires_action", required_action=action)
    else:
        run(
            "thread.run.completed",
            status="completed",
            completed_at=tick(),
            expires_at=None,
            usage=_usage(rng),
        )
    out.append(("done", None))
    assert len(out) == events, (len(out), events)
    body = b"".join(
        b"event: done\ndata: [DONE]\n\n"
        if data is None
        else b"event: " + name.encode() + b"\ndata: " + orjson.dumps(data) + b"\n\n"
        for name, data in out
    )
    return Transcript(
        body=body,
        events=tuple(out),
        message_deltas=n_text,
        step_deltas=step_deltas,
        requires_action=ends_in_action,
    )


@lru_cache(maxsize=4)
def transcripts(n: int, events: int = 200) -> tuple[Transcript, ...]:
    """``n`` distinct transcripts of ``events`` events each (see :func:`transcript`)."""
    return tuple(transcript(i, events) for i in range(n))
