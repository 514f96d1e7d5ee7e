"""The models against the published spec, property by property.

Walks RunObject, every schema it reaches, and ModifyRunRequest in ``tests/data/spec/
run_subset.yaml`` and compares with the models' kinds: property sets, required sets,
nullability (written four ways in the spec), enum values, types and bounds. Every difference
must be listed once in ``runschema.ERRATA``, and every erratum must still be a difference.
"""

from __future__ import annotations

from typing import Any

import pytest

import runschema
from runschema import _kinds as k
from tests.fixtures import DATA

yaml = pytest.importorskip("yaml")

SPEC = yaml.safe_load((DATA / "spec" / "run_subset.yaml").read_text())
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]


def _resolve(node: dict[str, Any]) -> tuple[bool, dict[str, Any], str | None]:
    """(nullable, core schema without the null, name of the last $ref followed)."""
    nullable = False
    name = None
    while True:
        if node.get("nullable") is True:  # ways 1 and 4: nullable, or nullable beside $ref
            nullable = True
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            node = SCHEMAS[name]
            continue
        if "anyOf" in node:  # way 2: anyOf [X, {type: null}]
            arms = [a for a in node["anyOf"] if a.get("type") != "null"]
            if len(arms) < len(node["anyOf"]):
                nullable = True
            if len(arms) == 1:
                node = arms[0]
                continue
        if "allOf" in node:  # way 3: allOf [$ref, {nullable: true}]
            parts = []
            for a in node["allOf"]:
                if set(a) == {"nullable"}:
                    nullable = nullable or a["nullable"] is True
                else:
                    parts.append(a)
            if len(parts) == 1:
                node = parts[0]
                continue
        return nullable, node, name


class _Walk:
    def __init__(self) -> None:
        self.deviations: set[str] = set()
        self.compared: set[str] = set()

    def dev(self, key: str) -> None:
        self.deviations.add(key)

    def obj(self, where: str, node: dict[str, Any], cls: type[Any]) -> None:
        self.compared.add(cls.__name__)
        spec = k.spec_of(cls)
        fields = {f.name: f for f in spec.fields}
        props: dict[str, Any] = node.get("properties", {})
        for name in sorted(set(fields) - set(props)):
            self.dev(f"{where}.{name}:added")
        for name in sorted(set(props) - set(fields)):
            self.dev(f"{where}.{name}:missing")
        required = set(node.get("required", []))
        ours_required = {f.name for f in spec.fields if not f.optional}
        for name in sorted((required ^ ours_required) & set(props)):
            self.dev(f"{where}.{name}:required")
        closed = node.get("additionalProperties") is False
        if closed != spec.closed:
            self.dev(f"{where}:additionalProperties")
        for name in sorted(set(props) & set(fields)):
            f = fields[name]
            nullable, core, ref = _resolve(props[name])
            if nullable != f.nullable:
                self.dev(f"{where}.{name}:nullable")
            self.value(ref or f"{where}.{name}", core, f.kind)

    def value(self, where: str, core: dict[str, Any], kind: k.Kind) -> None:
        t = core.get("type")
        if "oneOf" in core:
            self.union(where, core["oneOf"], kind)
        elif t == "string" and "enum" in core:
            values = tuple(core["enum"])
            if isinstance(kind, k.Const):
                if values != (kind.value,):
                    self.dev(f"{where}:enum")
            elif not isinstance(kind, k.Enum) or set(kind.values) != set(values):
                self.dev(f"{where}:enum")
        elif t == "string":
            if not isinstance(kind, k.Str):
                self.dev(f"{where}:type")
        elif t == "integer":
            want = k.Timestamp if core.get("format") == "unixtime" else k.Int
            if not isinstance(kind, want):
                self.dev(f"{where}:type")
            elif isinstance(kind, k.Int):
                self.bounds(where, core, kind.minimum, kind.maximum)
        elif t == "number":
            if not isinstance(kind, k.Num):
                self.dev(f"{where}:type")
            else:
                self.bounds(where, core, kind.minimum, kind.maximum)
        elif t == "boolean":
            if not isinstance(kind, k.Bool):
                self.dev(f"{where}:type")
        elif t == "array":
            if not isinstance(kind, k.Array):
                self.dev(f"{where}:type")
                return
            if core.get("maxItems") != kind.max_items:
                self.dev(f"{where}:bounds")
            _, item, ref = _resolve(core["items"])
            self.value(ref or f"{where}[]", item, kind.item)
        elif t == "object" and "properties" in core:
            if isinstance(kind, k.Model):
                self.obj(where, core, kind.cls)
            elif isinstance(kind, k.Tagged) and len(set(kind.arms.values())) == 1:
                self.obj(where, core, next(iter(kind.arms.values())))
            else:
                self.dev(f"{where}:type")
        elif t == "object" and core.get("additionalProperties") == {"type": "string"}:
            if not isinstance(kind, k.StrMap):
                self.dev(f"{where}:type")
            else:
                self.dev(f"{where}:limits")  # the schema has none: the text gives them
        elif t == "object":
            if not isinstance(kind, k.JsonObject):
                self.dev(f"{where}:type")
        else:
            self.dev(f"{where}:unhandled")

    def bounds(self, where: str, core: dict[str, Any], lo: float | None, hi: float | None) -> None:
        if core.get("minimum") != lo or core.get("maximum") != hi:
            self.dev(f"{where}:bounds")

    def union(self, where: str, arms: list[dict[str, Any]], kind: k.Kind) -> None:
        strings: tuple[str, ...] = ()
        objects: dict[str, tuple[dict[str, Any], str | None]] = {}
        for arm in arms:
            _, core, ref = _resolve(arm)
            if core.get("type") == "string":
                strings += tuple(core["enum"])
            else:
                for tag in core["properties"]["type"]["enum"]:
                    objects[tag] = (core, ref)
        tagged = kind.objects if isinstance(kind, k.StrOr) else kind
        if isinstance(kind, k.StrOr):
            if set(kind.strings.values) != set(strings):
                self.dev(f"{where}:enum")
        elif strings:
            self.dev(f"{where}:type")
        if not isinstance(tagged, k.Tagged) or set(tagged.arms) != set(objects):
            self.dev(f"{where}:arms")
            return
        for tag, (core, ref) in objects.items():
            self.obj(ref or f"{where}<{tag}>", core, tagged.arms[tag])


def _walk() -> _Walk:
    w = _Walk()
    w.obj("RunObject", SCHEMAS["RunObject"], runschema.Run)
    w.obj("ModifyRunRequest", SCHEMAS["ModifyRunRequest"], runschema.RunUpdateParams)
    # tool_resources is not on RunObject (an erratum); its shape is CreateThreadAndRunRequest's
    _, core, _ = _resolve(SCHEMAS["CreateThreadAndRunRequest"]["properties"]["tool_resources"])
    w.obj("CreateThreadAndRunRequest.tool_resources", core, runschema.ToolResources)
    return w


class TestAgainstSpec:
    def test_spec_version(self) -> None:
        """The copied spec is the one the models were written against."""
        assert SPEC["info"]["version"] == "2.3.0"

    def test_every_deviation_is_an_erratum(self) -> None:
        """Every difference between the models and the spec is listed in ERRATA, and only those."""
        w = _walk()
        assert w.deviations == set(runschema.ERRATA)

    def test_every_model_compared(self) -> None:
        """The walk reaches every known model class."""
        from runschema._models import MODELS

        known = {c.__name__ for c in MODELS if not c.__name__.startswith("Unknown")}
        assert _walk().compared == known

    @pytest.mark.parametrize(
        ("prop", "nullable"),
        [
            ("required_action", True),  # nullable: true
            ("usage", True),  # $ref to anyOf [object, null]
            ("truncation_strategy", True),  # allOf [$ref, {nullable: true}]
            ("response_format", True),  # nullable beside $ref
            ("metadata", True),  # $ref to anyOf [object, null]
            ("instructions", False),  # typed non-null (the erratum)
            ("model", False),
        ],
    )
    def test_four_ways_of_nullable(self, prop: str, nullable: bool) -> None:
        """All four ways the spec writes nullable are read as nullable."""
        assert _resolve(SCHEMAS["RunObject"]["properties"][prop])[0] is nullable
