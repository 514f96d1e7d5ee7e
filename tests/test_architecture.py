"""The shape of the package: imports flow one way, from the bottom layer up."""

from __future__ import annotations

import ast
from pathlib import Path

import runschema

PACKAGE = Path(runschema.__file__).resolve().parent

#: Bottom to top: a module imports only from layers below its own (or beside it, acyclically).
LAYERS: list[set[str]] = [
    {"_values", "_errors", "_errata"},  # values and errors
    {"_kinds"},  # the schema language's kinds and their reference interpreter
    {"_fastcheck"},  # the generated clean case of the reference's check of built models
    {"_schema"},  # the model base and the derivation of kinds from annotations
    {"_models"},  # declarations only: the run
    {"_steps"},  # the run step
    {"_bodies"},  # request bodies and query parameters
    {"_pages"},  # list pages, the error envelope
    {"_messages"},  # the thread, the message, the stream's deltas
    {"_events"},  # the stream's events
    {"_fastrt"},  # what generated code calls
    {"_faststructure"},  # the source of structuring functions
    {"_fastencode"},  # the source of encoding functions
    {"_fast"},  # the owner of generated code
    {"_structure", "_jsonschema"},  # the dict level, JSON Schema export
    {"_codec"},  # bytes
    {"_converter"},  # cattrs
    {"_endpoints"},  # one generic endpoint: requests, responses, routes
    {"_requests"},  # the operations, declared, and the router
    {"_runs"},  # a server's helpers: pages, the state machine, error answers
    {"_sse", "_deltas"},  # the stream on the wire, deltas merged
    {"_checker"},  # the stream's order of events
    {"_cli", "_inputs", "strategies", "__init__", "__main__"},  # the faces
]


def _imports(path: Path) -> set[str]:
    """The package modules a module imports, anywhere in it (function bodies and
    ``TYPE_CHECKING`` blocks too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(a.name for a in node.names)
            elif node.module and node.module.startswith("runschema."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("runschema."):
                    found.add(a.name.split(".")[1])
    return found


def _graph() -> dict[str, set[str]]:
    return {p.stem: _imports(p) for p in PACKAGE.glob("*.py")}


class TestLayers:
    def test_every_module_has_a_layer(self) -> None:
        """Every module of the package is placed in exactly one layer."""
        placed = [m for layer in LAYERS for m in layer]
        assert sorted(placed) == sorted(_graph())
        assert len(placed) == len(set(placed))

    def test_imports_point_down(self) -> None:
        """No module imports from a layer above its own."""
        rank = {m: i for i, layer in enumerate(LAYERS) for m in layer}
        upward = [
            (module, target)
            for module, targets in _graph().items()
            for target in targets
            if rank[target] > rank[module]
        ]
        assert upward == []

    def test_no_cycles(self) -> None:
        """The import graph has no cycle, lazy imports inside functions included."""
        graph = _graph()
        done: set[str] = set()
        stack: list[str] = []

        def visit(m: str) -> None:
            if m in stack:
                raise AssertionError(" -> ".join([*stack[stack.index(m) :], m]))
            if m in done:
                return
            stack.append(m)
            for t in sorted(graph.get(m, ())):
                visit(t)
            stack.pop()
            done.add(m)

        for m in sorted(graph):
            visit(m)
