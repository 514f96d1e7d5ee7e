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
STREAM_SPEC = yaml.safe_load((DATA / "spec" / "stream_subset.yaml").read_text())
STREAM_SCHEMAS: dict[str, Any] = STREAM_SPEC["components"]["schemas"]


def _resolve(
    node: dict[str, Any], schemas: dict[str, Any] = SCHEMAS
) -> tuple[bool, dict[str, Any], str | None]:
    """(nullable, core schema without the null, name of the last $ref followed)."""
    nullable = False
    name = None
    while True:
        if node.get("nullable") is True:  # ways 1 and 4: nullable, or nullable beside $ref
            nullable = True
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            node = schemas[name]
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
    def __init__(self, schemas: dict[str, Any] = SCHEMAS) -> None:
        self.schemas = schemas
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
        for key, _, _ in spec.required_if:  # the schema has none: the text gives them
            self.dev(f"{where}.{key}:required_if")
        closed = node.get("additionalProperties") is False
        if closed != spec.closed:
            self.dev(f"{where}:additionalProperties")
        for name in sorted(set(props) & set(fields)):
            f = fields[name]
            nullable, core, ref = _resolve(props[name], self.schemas)
            if nullable != f.nullable:
                self.dev(f"{where}.{name}:nullable")
            self.value(ref or f"{where}.{name}", core, f.kind)

    def value(self, where: str, core: dict[str, Any], kind: k.Kind) -> None:
        t = core.get("type")
        if "oneOf" in core and isinstance(kind, k.StrOrArray):  # a string, or an array
            arms = [_resolve(a, self.schemas)[1] for a in core["oneOf"]]
            if sorted(a.get("type", "") for a in arms) != ["array", "string"]:
                self.dev(f"{where}:type")
                return
            self.value(where, next(a for a in arms if a["type"] == "array"), kind.items)
        elif "oneOf" in core and all(set(a) == {"required"} for a in core["oneOf"]):
            # an object of which exactly one of some keys must be present
            group = tuple(name for a in core["oneOf"] for name in a["required"])
            if not isinstance(kind, k.Model) or k.spec_of(kind.cls).one_of != (group,):
                self.dev(f"{where}:oneOf")
            self.value(where, {key: v for key, v in core.items() if key != "oneOf"}, kind)
        elif "oneOf" in core:
            self.union(where, core["oneOf"], kind)
        elif "anyOf" in core:  # a string, or a string of a known set: a string
            arms = [_resolve(a, self.schemas)[1] for a in core["anyOf"]]
            if not all(a.get("type") == "string" for a in arms) or not isinstance(kind, k.Str):
                self.dev(f"{where}:type")
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
            elif kind.pattern != core.get("pattern"):  # the schema has none: the text gives it
                self.dev(f"{where}:pattern")
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
            if core.get("maxItems") != kind.max_items or core.get("minItems") != kind.min_items:
                self.dev(f"{where}:bounds")
            _, item, ref = _resolve(core["items"], self.schemas)
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

    def query(self, where: str, params: list[dict[str, Any]], cls: type[Any]) -> None:
        """The query parameters of an operation against its query model."""
        self.compared.add(cls.__name__)
        fields = {f.name: f for f in k.spec_of(cls).fields}
        declared = {p["name"].removesuffix("[]"): p for p in params if p.get("in") == "query"}
        for name in sorted(set(fields) ^ set(declared)):
            self.dev(f"{where}.{name}:{'added' if name in fields else 'missing'}")
        for name in sorted(set(fields) & set(declared)):
            f, p = fields[name], declared[name]
            if bool(p.get("required")) == f.optional:
                self.dev(f"{where}.{name}:required")
            self.value(f"{where}.{name}", p["schema"], f.kind)

    def bounds(self, where: str, core: dict[str, Any], lo: float | None, hi: float | None) -> None:
        if core.get("minimum") != lo or core.get("maximum") != hi:
            self.dev(f"{where}:bounds")

    def union(self, where: str, arms: list[dict[str, Any]], kind: k.Kind) -> None:
        strings: tuple[str, ...] = ()
        objects: dict[str, tuple[dict[str, Any], str | None]] = {}
        for arm in arms:
            _, core, ref = _resolve(arm, self.schemas)
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


#: The spec's schemas and the models that stand for them.
OBJECTS: dict[str, type[Any]] = {
    "RunObject": runschema.Run,
    "ModifyRunRequest": runschema.RunUpdateParams,
    "CreateRunRequest": runschema.CreateRunParams,
    "CreateThreadAndRunRequest": runschema.CreateThreadAndRunParams,
    "SubmitToolOutputsRunRequest": runschema.SubmitToolOutputsParams,
    "RunStepObject": runschema.RunStep,
    "ListRunsResponse": runschema.RunList,
    "ListRunStepsResponse": runschema.RunStepList,
    "ErrorResponse": runschema.ErrorResponse,
}

#: The operations with query parameters, and the models of their queries.
QUERIES: dict[tuple[str, str], type[Any]] = {
    ("/threads/{thread_id}/runs", "get"): runschema.ListRunsParams,
    ("/threads/{thread_id}/runs", "post"): runschema.CreateRunQuery,
    ("/threads/{thread_id}/runs/{run_id}/steps", "get"): runschema.ListRunStepsParams,
    ("/threads/{thread_id}/runs/{run_id}/steps/{step_id}", "get"): runschema.RetrieveRunStepQuery,
}


#: The stream spec's object schemas and their models (the run and run step are walked in
#: both documents: they must agree).
STREAM_OBJECTS: dict[str, type[Any]] = {
    "RunObject": runschema.Run,
    "RunStepObject": runschema.RunStep,
    "ThreadObject": runschema.Thread,
    "MessageObject": runschema.Message,
    "MessageDeltaObject": runschema.MessageDelta,
    "RunStepDeltaObject": runschema.RunStepDelta,
    "ListMessagesResponse": runschema.MessageList,
    "Error": runschema.ErrorObject,
}


def _events(w: _Walk) -> dict[str, type[Any] | None]:
    """Every event of AssistantStreamEvent: its name and the model of its data (None for
    done); properties beside ``event`` and ``data`` are deviations."""
    found: dict[str, type[Any] | None] = {}
    models: dict[str, type[Any] | None] = {**STREAM_OBJECTS, "DoneEvent": None}
    for family in STREAM_SCHEMAS["AssistantStreamEvent"]["oneOf"]:
        fname = family["$ref"].rsplit("/", 1)[-1]
        node = STREAM_SCHEMAS[fname]
        for arm in node.get("oneOf", [node]):
            (name,) = arm["properties"]["event"]["enum"]
            data = arm["properties"]["data"]
            ref = data["$ref"].rsplit("/", 1)[-1] if "$ref" in data else "DoneEvent"
            found[name] = models[ref]
            for extra in sorted(set(arm["properties"]) - {"event", "data"}):
                w.dev(f"{fname}.{extra}:missing")
    return found


def _walk() -> _Walk:
    w = _Walk()
    for name, cls in OBJECTS.items():
        w.obj(name, SCHEMAS[name], cls)
    for (path, method), cls in QUERIES.items():
        op = SPEC["paths"][path][method]
        w.query(op["operationId"], op.get("parameters", []), cls)
    stream = _Walk(STREAM_SCHEMAS)
    for name, cls in STREAM_OBJECTS.items():
        stream.obj(name, STREAM_SCHEMAS[name], cls)
    _events(stream)
    w.deviations |= stream.deviations
    w.compared |= stream.compared
    return w


def _models() -> set[str]:
    """Every public model class but the unknown arms (they hold what the spec does not) and
    ``Model``, the base of them all."""
    return {
        name
        for name in runschema.__all__
        if isinstance(obj := getattr(runschema, name), type)
        and issubclass(obj, runschema.Model)
        and obj is not runschema.Model
        and not name.startswith("Unknown")
    }


class TestAgainstSpec:
    def test_spec_version(self) -> None:
        """The copied spec is the one the models were written against."""
        assert SPEC["info"]["version"] == "2.3.0"

    def test_every_deviation_is_an_erratum(self) -> None:
        """Every difference between the models and the spec is listed in ERRATA, and only those."""
        w = _walk()
        # ":examples" entries are about the spec's own examples, where the models follow the
        # schema: they are decisions, not differences
        assert w.deviations == {e for e in runschema.ERRATA if not e.endswith(":examples")}

    def test_stream_spec_version(self) -> None:
        assert STREAM_SPEC["info"]["version"] == "2.3.0"

    def test_every_event_name_and_data(self) -> None:
        """runschema knows every event the spec lists, with the data model it gives, and no
        other."""
        spec = _events(_Walk(STREAM_SCHEMAS))
        ours = {name: data for name, (_, data) in runschema.EVENT_DATA.items()}
        assert ours == spec
        assert len(spec) == 25

    def test_every_model_compared(self) -> None:
        """The walk reaches every known model class."""
        assert _walk().compared == _models()

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
