"""Shared test documents: a run that exercises every nested type, and the copied spec data."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

from hypothesis import settings

DATA = Path(__file__).resolve().parent / "data"

#: How the active hypothesis profile (see ``conftest.py``) scales each property's examples.
_SCALE = {"quick": None, "explore": 10}.get(os.environ.get("RUNSCHEMA_TEST_PROFILE", ""), 1)


def examples(n: int) -> settings:
    """Settings drawing ``n`` examples (the profile's share of them), on top of the active
    profile."""
    count = min(n, 10) if _SCALE is None else n * _SCALE
    return settings(max_examples=count)


EXAMPLES = DATA / "spec" / "examples"

#: A strict-valid run in which every nested object and every union arm kind appears once.
FULL_RUN: dict[str, Any] = {
    "id": "run_1",
    "object": "thread.run",
    "created_at": 1699075072,
    "thread_id": "thread_1",
    "assistant_id": "asst_1",
    "status": "requires_action",
    "required_action": {
        "type": "submit_tool_outputs",
        "submit_tool_outputs": {
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                }
            ]
        },
    },
    "last_error": {"code": "server_error", "message": "boom"},
    "expires_at": 1699075672,
    "started_at": 1699075073,
    "cancelled_at": None,
    "failed_at": None,
    "completed_at": None,
    "incomplete_details": {"reason": "max_prompt_tokens"},
    "model": "gpt-4o",
    "instructions": "be brief",
    "tools": [
        {"type": "code_interpreter"},
        {
            "type": "file_search",
            "file_search": {
                "max_num_results": 10,
                "ranking_options": {"ranker": "auto", "score_threshold": 0.5},
            },
        },
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Weather by city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
                "strict": True,
            },
        },
    ],
    "tool_resources": {
        "code_interpreter": {"file_ids": ["file_1"]},
        "file_search": {"vector_store_ids": ["vs_1"]},
    },
    "metadata": {"user_id": "u1"},
    "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
    "temperature": 0.5,
    "top_p": 1,
    "max_prompt_tokens": 1000,
    "max_completion_tokens": 1000,
    "truncation_strategy": {"type": "last_messages", "last_messages": 5},
    "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
    "parallel_tool_calls": True,
    "response_format": {
        "type": "json_schema",
        "json_schema": {
            "name": "out",
            "description": "the answer",
            "schema": {"type": "object"},
            "strict": False,
        },
    },
}


def full_run() -> dict[str, Any]:
    """A fresh deep copy of FULL_RUN, safe to mutate."""
    return copy.deepcopy(FULL_RUN)


_SEG = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")


def parse_path(path: str) -> list[str | int]:
    """``$.tools[2].function.name`` -> ``["tools", 2, "function", "name"]``."""
    assert path.startswith("$")
    out: list[str | int] = []
    pos = 1
    while pos < len(path):
        m = _SEG.match(path, pos)
        assert m is not None, path
        if m.group(1) is not None:
            out.append(m.group(1))
        elif m.group(2) is not None:
            out.append(int(m.group(2)))
        else:
            out.append(re.sub(r"\\(.)", r"\1", m.group(3)))
        pos = m.end()
    return out


def set_at(doc: Any, path: str, value: Any) -> Any:
    """Return a copy of ``doc`` with the value at ``path`` replaced."""
    doc = copy.deepcopy(doc)
    *head, last = parse_path(path)
    node = doc
    for seg in head:
        node = node[seg]
    node[last] = value
    return doc


def delete_at(doc: Any, path: str) -> Any:
    """Return a copy of ``doc`` without the key at ``path``."""
    doc = copy.deepcopy(doc)
    *head, last = parse_path(path)
    node = doc
    for seg in head:
        node = node[seg]
    del node[last]
    return doc


def example_runs() -> list[tuple[str, bytes]]:
    """Every run in the spec's examples: (name, JSON bytes); list pages split into items."""
    out = []
    for p in sorted(EXAMPLES.glob("*.json")):
        doc = json.loads(p.read_bytes())
        if doc.get("object") == "list":
            for i, item in enumerate(doc["data"]):
                out.append((f"{p.name}[{i}]", json.dumps(item).encode()))
        else:
            out.append((p.name, p.read_bytes()))
    return out


def seed_page_run() -> bytes:
    """The Run example embedded in the seed page text."""
    text = (DATA / "modify-run.txt").read_text()
    marker = "Returns Examples\n"
    return text[text.index(marker) + len(marker) :].encode()
