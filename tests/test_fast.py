"""The generated fast path agrees with the reference interpreter, and is really taken."""

from __future__ import annotations

import pickle
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import runschema
from runschema import _fastcheck, _faststructure
from runschema import strategies as rs
from runschema._codec import parse_json, structure_parsed
from runschema._fast import DEFAULT, SWITCHES, FastPaths, dumper, structurer
from runschema._fastencode import STORE_FIELDS
from runschema._fastrt import BIG_FLOAT, FROMTIMESTAMP_MAX, Deltas, Interned, Spans
from runschema._kinds import EPOCH, MAX_TS, MIN_TS, UTC, Model, dump_model, spec_of
from runschema._structure import explain
from runschema._values import FrozenMap
from tests.fixtures import FULL_RUN, example_runs, examples, set_at
from tests.test_mutations import TABLE, VALUES

HYP = examples(150)


def _try(fn: Any, doc: Any) -> Any:
    try:
        return fn(doc)
    except Exception:
        return None


def _fast(doc: Any, strict: bool) -> Any:
    """The generated code's result (None: it deferred) for data built in Python; where orjson
    would parse the same data, the functions for orjson's output give the same result."""
    built = _try(structurer(runschema.Run, strict, python=True), doc)
    try:
        parsed = orjson.loads(orjson.dumps(doc))
    except orjson.JSONEncodeError:
        return built
    if parsed == doc:  # no tuples, NaN or other values orjson would not give back
        # the same result, or a deferral: orjson's output is checked by its written text,
        # which may defer a value at the depth limit (see _kinds.json_text)
        assert _try(structurer(runschema.Run, strict), parsed) in (built, None)
    return built


def _reference(doc: Any, strict: bool) -> Any:
    """The reference's answer for data built in Python (as ``structure`` gives it)."""
    try:
        return explain(doc, runschema.Run, strict, python=True)
    except runschema.ValidationError as e:
        return e


def _has_big_float(v: Any) -> bool:
    if type(v) is float:
        return not -BIG_FLOAT < v < BIG_FLOAT
    if isinstance(v, dict):
        return any(_has_big_float(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_big_float(x) for x in v)
    return False


def _agree(doc: Any, strict: bool) -> Any:
    """When the fast path builds a value, the reference builds an equal one with equal bytes."""
    fast = _fast(doc, strict)
    ref = _reference(doc, strict)
    if fast is not None:
        assert isinstance(ref, runschema.Run), ref
        assert fast == ref
        assert runschema.dumps(fast) == runschema.dumps(ref)
        assert orjson.dumps(dump_model(fast)) == runschema.dumps(fast)
    return fast


class TestTaken:
    @HYP
    @given(rs.run_json(), st.booleans())
    def test_clean_documents_take_the_fast_path(self, doc: dict[str, Any], strict: bool) -> None:
        """Every valid document without extras is built by the generated code.

        Except one holding a float of 64-bit-integer magnitude: orjson reads integer literals
        beyond 64 bits as such floats, so those go to an exact re-parse and the reference.
        """
        fast = _agree(doc, strict)
        assert (fast is None) == _has_big_float(doc)

    @pytest.mark.parametrize("value", [BIG_FLOAT, -BIG_FLOAT, 1e300, -(2.0**64)])
    def test_big_floats_defer(self, value: float) -> None:
        """A float that may be an oversized integer is never accepted by the generated code."""
        doc = set_at(FULL_RUN, "$.temperature", value)
        assert _fast(doc, False) is None
        params = set_at(FULL_RUN, "$.tools[2].function.parameters", {"x": value})
        assert _fast(params, False) is None
        assert isinstance(_reference(params, False), runschema.Run)

    @pytest.mark.parametrize(("name", "data"), example_runs())
    def test_absent_nullable_keys_fast_in_lenient(self, name: str, data: bytes) -> None:
        """Spec examples (absent keys included) decode on the fast path in lenient mode."""
        doc = orjson.loads(data)
        fast = _agree(doc, False)
        assert fast is not None
        assert orjson.loads(runschema.dumps(fast)) == doc

    @pytest.mark.parametrize(
        "missing",
        [
            ("required_action",),
            ("usage",),
            ("required_action", "usage"),
            ("usage", "required_action", "expires_at"),
        ],
    )
    def test_absent_keys_one_or_more(self, missing: tuple[str, ...]) -> None:
        """One absent nullable key takes a variant made for it, more take the key-by-key one:
        both build on the fast path what the reference builds."""
        doc = {k: v for k, v in FULL_RUN.items() if k not in missing}
        for _ in range(2):  # the first time makes the variant
            fast = _agree(orjson.loads(orjson.dumps(doc)), False)
            assert fast is not None
            assert runschema.absent_fields(fast) == set(missing)
            assert orjson.loads(runschema.dumps(fast)) == doc

    @pytest.mark.parametrize("missing", [("model",), ("model", "usage"), ("usage", "model")])
    def test_absent_required_keys_defer(self, missing: tuple[str, ...]) -> None:
        """A missing key that may not be absent sends the document to the reference."""
        doc = {k: v for k, v in FULL_RUN.items() if k not in missing}
        assert _fast(doc, False) is None
        with pytest.raises(runschema.ValidationError) as e:
            runschema.loads(orjson.dumps(doc), runschema.Run)
        assert [(err.path, err.code) for err in e.value.errors] == [("$.model", "missing")]

    def test_keys_that_are_not_orjsons_objects(self) -> None:
        """Lookups use orjson's own key strings for speed; other equal strings work the same."""

        def fresh(v: Any) -> Any:  # every key a new str object, equal to the original
            if isinstance(v, dict):
                return {"".join(list(k)): fresh(x) for k, x in v.items()}
            if isinstance(v, list):
                return [fresh(x) for x in v]
            return v

        for strict in (False, True):
            expected = runschema.loads(orjson.dumps(FULL_RUN), runschema.Run, strict=strict)
            assert _fast(fresh(FULL_RUN), strict) == expected

    def test_absent_key_extras_are_shared(self) -> None:
        """Runs missing the same keys share one immutable record of them."""
        a = runschema.loads(runschema.seed_example(), runschema.Run)
        b = runschema.loads(runschema.seed_example(), runschema.Run)
        assert runschema.absent_fields(a) == {"required_action"}
        assert a._rs_extra is b._rs_extra
        assert a == b

    def test_absent_key_extras_are_bounded(self) -> None:
        """Past the bound, decodes with new absent-key sets still work, uncached."""
        fp = FastPaths(absent_extras=2)
        nullable = ["expires_at", "cancelled_at", "failed_at", "usage"]
        for name in nullable:
            doc = {k: v for k, v in FULL_RUN.items() if k != name}
            run = fp.structurer(runschema.Run, False)(orjson.loads(orjson.dumps(doc)))
            assert runschema.absent_fields(run) == {name}
            assert orjson.loads(runschema.dumps(run)) == doc
        assert len(fp.absent_extras.map) == 2

    @pytest.mark.parametrize("strict", [False, True])
    def test_built_instances_are_plain_frozen_models(self, strict: bool) -> None:
        """The builder twin the generated code assigns through never escapes it."""
        run = structurer(runschema.Run, strict)(orjson.loads(orjson.dumps(FULL_RUN)))
        seen = []

        def walk(v: Any) -> None:
            if isinstance(v, runschema._schema._Model):
                seen.append(v)
                assert type(v) in vars(runschema).values(), type(v)
                with pytest.raises(attrs.exceptions.FrozenInstanceError):
                    v._rs_extra = None  # type: ignore[misc]
                for a in attrs.fields(type(v)):
                    walk(getattr(v, a.name))
            elif isinstance(v, tuple):
                for x in v:
                    walk(x)

        walk(run)
        assert len(seen) == 22
        assert pickle.loads(pickle.dumps(run)) == run
        assert weakref.ref(run)() is run


class TestTimestampAnchor:
    """A run's later timestamps are taken from its created_at: the same datetime when equal,
    plus a cached timedelta up to 1,023 seconds after. Equal to converting each, always."""

    @pytest.mark.parametrize("ts", [1699075072, 0, -5, -(10**10), 32503679999, 32503680000])
    @pytest.mark.parametrize("strict", [False, True])
    def test_offsets(self, ts: int, strict: bool) -> None:
        doc = {**FULL_RUN, "created_at": ts, "started_at": ts, "expires_at": ts + 600}
        doc.update(cancelled_at=ts - 1, completed_at=ts + 1023, failed_at=ts + 1024)
        run = _agree(doc, strict)  # the fast path builds it, equal to the reference's
        assert run is not None
        assert run.started_at is run.created_at
        for name in ("expires_at", "cancelled_at", "completed_at", "failed_at"):
            expected = EPOCH + timedelta(seconds=doc[name])
            assert getattr(run, name) == expected
            assert getattr(run, name).tzinfo is expected.tzinfo
        assert orjson.loads(runschema.dumps(run)) == doc

    @pytest.mark.parametrize("strict", [False, True])
    def test_near_the_end_of_datetime(self, strict: bool) -> None:
        """An offset past 9999-12-31 overflows the addition: the reference reports it."""
        ok = {**FULL_RUN, "created_at": MAX_TS - 10, "completed_at": MAX_TS}
        run = _agree(ok, strict)
        assert run is not None
        assert run.completed_at == datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
        bad = {**FULL_RUN, "created_at": MAX_TS - 10, "completed_at": MAX_TS + 1}
        assert _fast(bad, strict) is None
        with pytest.raises(runschema.ValidationError) as e:
            runschema.loads(orjson.dumps(bad), runschema.Run, strict=strict)
        assert [(err.path, err.code) for err in e.value.errors] == [
            ("$.completed_at", "out_of_range")
        ]

    @HYP
    @given(
        st.integers(MIN_TS, MAX_TS),
        st.lists(st.one_of(st.none(), st.integers(-3, 1100)), min_size=5, max_size=5),
        st.booleans(),
    )
    def test_any_offsets(self, created: int, offsets: list[int | None], strict: bool) -> None:
        names = ["expires_at", "started_at", "cancelled_at", "failed_at", "completed_at"]
        doc = {**FULL_RUN, "created_at": created}
        for name, offset in zip(names, offsets, strict=True):
            doc[name] = None if offset is None else created + offset
        fast = _agree(doc, strict)
        ref = _reference(doc, strict)
        assert (fast is None) == isinstance(ref, runschema.ValidationError)

    def test_seed(self) -> None:
        run = runschema.loads(runschema.seed_example(), runschema.Run)
        assert run.started_at is run.created_at
        assert run.completed_at == run.created_at + timedelta(seconds=1)


class TestConstantInstances:
    """Objects with nothing but constant fields are one shared instance on the fast path."""

    def test_which(self) -> None:
        shared = DEFAULT.constant_instance
        assert shared(runschema.CodeInterpreterTool) == runschema.CodeInterpreterTool()
        assert shared(runschema.ResponseFormatText) == runschema.ResponseFormatText()
        assert shared(runschema.FileSearchTool) is None  # an optional field
        assert shared(runschema.Usage) is None

    @pytest.mark.parametrize("strict", [False, True])
    def test_shared(self, strict: bool) -> None:
        doc = {**FULL_RUN, "response_format": {"type": "text"}}
        a, b = (runschema.loads(orjson.dumps(doc), runschema.Run, strict=strict) for _ in "ab")
        assert a.tools[0] is b.tools[0] is DEFAULT.constant_instance(type(a.tools[0]))
        assert a.response_format is b.response_format
        assert a.response_format == explain(doc, runschema.Run, strict).response_format
        assert pickle.loads(pickle.dumps(a.tools[0])) == a.tools[0]

    def test_not_with_extras(self) -> None:
        """An unknown key goes to the reference (lenient), which keeps it on a new object."""
        doc = set_at(FULL_RUN, "$.tools[0]", {"type": "code_interpreter", "x": 1})
        run = runschema.loads(orjson.dumps(doc), runschema.Run)
        tool = run.tools[0]
        assert tool is not DEFAULT.constant_instance(runschema.CodeInterpreterTool)
        assert runschema.unknown_fields(tool) == {"x": 1}
        assert DEFAULT.constant_instance(runschema.CodeInterpreterTool)._rs_extra is None


class TestLastAbsentKey:
    """In lenient mode the variant for the key the last run lacked is tried first."""

    @staticmethod
    def _without(*names: str) -> bytes:
        return orjson.dumps({k: v for k, v in FULL_RUN.items() if k not in names})

    def test_entry_follows_the_last_document(self) -> None:
        """Through ``loads``: the entry follows the last document's absent key."""
        entries = DEFAULT.lenient_entries
        main = structurer(runschema.Run, False)
        runschema.loads(self._without("last_error"), runschema.Run)  # a key no other test drops
        first = entries[runschema.Run]
        assert first is not main
        assert first.__name__ == "structure_without_last_error"
        assert structurer(runschema.Run, False) is main  # the class's own stays what it is
        run = runschema.loads(orjson.dumps(FULL_RUN), runschema.Run)
        assert runschema.absent_fields(run) == set()
        strict = runschema.loads(orjson.dumps(FULL_RUN), runschema.Run, strict=True)
        assert DEFAULT.strict_entries[runschema.Run] is structurer(runschema.Run, True)
        assert strict == run

    def test_entries_and_the_key_tested_first(self) -> None:
        """On an owner of its own (nothing else decodes through it): a KeyError makes its
        key's variant the entry, documents with the key send it back, ``BACKS`` of them make
        the class's own function the entry again, which then tests the last KeyError's key
        first and hands a document lacking it to the variant, with no KeyError."""
        fp = FastPaths()
        entries = fp.lenient_entries
        main = fp.structurer(runschema.Run, False)

        def decode(data: bytes) -> runschema.Run:
            run: runschema.Run = entries[runschema.Run](orjson.loads(data))
            assert run == runschema.loads(data, runschema.Run)
            return run

        assert main.__globals__["_LAST_ABSENT"] == [None]
        decode(self._without("usage"))
        first = entries[runschema.Run]
        assert first.__name__ == "structure_without_usage"
        assert main.__globals__["_LAST_ABSENT"] == [("usage", first)]
        backs = _faststructure.OneAbsent.BACKS
        for _ in range(backs - 1):  # documents with the key: sent back, the variant stays
            assert runschema.absent_fields(decode(orjson.dumps(FULL_RUN))) == set()
            assert entries[runschema.Run] is first
        decode(self._without("usage"))  # lacking it again: no detour
        assert entries[runschema.Run] is first
        for _ in range(backs):  # as many sent back since it became the entry: main again
            decode(orjson.dumps(FULL_RUN))
        assert entries[runschema.Run] is main
        # lacking the key tested first: to its variant, no KeyError, the entry stays
        assert runschema.absent_fields(decode(self._without("usage"))) == {"usage"}
        assert entries[runschema.Run] is main
        # another key: found by a KeyError, its variant the entry and its key tested first
        lacking = decode(self._without("expires_at"))
        assert runschema.absent_fields(lacking) == {"expires_at"}
        other = entries[runschema.Run]
        assert other.__name__ == "structure_without_expires_at"
        assert main.__globals__["_LAST_ABSENT"] == [("expires_at", other)]
        for _ in range(backs):
            decode(orjson.dumps(FULL_RUN))
        # lacking both: the variant tested first finds the other absent too (the generic one)
        both = decode(self._without("expires_at", "usage"))
        assert runschema.absent_fields(both) == {"expires_at", "usage"}
        decode(self._without("usage"))
        assert entries[runschema.Run] is first  # made once
        assert "_LAST_ABSENT[0]" in _generated_source(main)
        off = _WITHOUT["absent_variant"].structurer(runschema.Run, False)
        assert "_LAST_ABSENT[0]" not in _generated_source(off)

    @HYP
    @given(
        st.lists(
            st.sets(st.sampled_from(["required_action", "usage", "expires_at", "metadata"])),
            min_size=1,
            max_size=6,
        )
    )
    def test_any_sequence_of_shapes(self, shapes: list[set[str]]) -> None:
        """Whatever the last document lacked, each decode equals the reference's."""
        for names in shapes:
            data = self._without(*names)
            run = runschema.loads(data, runschema.Run)
            assert run == explain(orjson.loads(data), runschema.Run, False)
            assert runschema.absent_fields(run) == names
            assert orjson.loads(runschema.dumps(run)) == orjson.loads(data)

    def test_threads(self) -> None:
        """Threads decoding different shapes at once, racing to set the entry: all correct."""
        shapes = [(), ("usage",), ("required_action",), ("usage", "expires_at")]
        datas = [self._without(*names) for names in shapes]
        expected = [runschema.loads(d, runschema.Run) for d in datas]

        def work(i: int) -> bool:
            return all(
                runschema.loads(datas[(i + j) % 4], runschema.Run) == expected[(i + j) % 4]
                for j in range(400)
            )

        with ThreadPoolExecutor(4) as pool:
            assert all(pool.map(work, range(8)))


class TestAgreement:
    @HYP
    @given(rs.run_json_with_unknowns(), st.booleans())
    def test_unknowns(self, doc: dict[str, Any], strict: bool) -> None:
        """Documents with unknown parts: the fast path defers or agrees."""
        _agree(doc, strict)

    @HYP
    @given(rs.invalid_run_json(), st.booleans())
    def test_invalid(self, case: tuple[dict[str, Any], str, str], strict: bool) -> None:
        """Invalid documents never come out of the fast path when the reference rejects them."""
        _agree(case[0], strict)

    def test_mutation_table(self) -> None:
        """Every mutation of the mutation table, both modes: the two paths agree."""
        for path, _, _ in TABLE:
            for value in VALUES:
                doc = set_at(FULL_RUN, path, value)
                for strict in (False, True):
                    _agree(doc, strict)

    def test_python_values_outside_json(self) -> None:
        """Dict-level input with values JSON cannot carry is left to the reference."""
        cases = [
            set_at(FULL_RUN, "$.usage.total_tokens", 2**70),
            set_at(FULL_RUN, "$.temperature", float("nan")),
            set_at(FULL_RUN, "$.tools[2].function.parameters", {"a": float("inf")}),
            set_at(FULL_RUN, "$.tools[2].function.parameters", {"a": object()}),
            set_at(FULL_RUN, "$.metadata", {1: "x"}),
        ]
        for doc in cases:
            for strict in (False, True):
                assert _fast(doc, strict) is None
                assert isinstance(_reference(doc, strict), runschema.ValidationError)

    def test_deep_parameters_draw_the_reference_line(self) -> None:
        """The fast path holds values below the depth limit, and defers those at it (its
        check reads the indentation of the written text, which shows a container at the
        limit only when it holds something: the reference counts levels exactly) and past
        it, which the reference refuses: for parsed data and for data built in Python."""
        from runschema._kinds import VALUE_DEPTH

        def at(levels: int) -> Any:  # parameters (1) > d (2) > arrays...
            return set_at(FULL_RUN, "$.tools[2].function.parameters", {"d": _nest(levels - 1)})

        run = _fast(at(VALUE_DEPTH - 1), False)
        assert run is not None
        assert orjson.loads(runschema.dumps(run)) == at(VALUE_DEPTH - 1)
        for strict in (False, True):
            reference = _reference(at(VALUE_DEPTH), strict)
            assert orjson.loads(runschema.dumps(reference)) == at(VALUE_DEPTH)
            assert _fast(at(VALUE_DEPTH), strict) in (None, reference)
            assert _fast(at(VALUE_DEPTH + 1), strict) is None
            reference = _reference(at(VALUE_DEPTH + 1), strict)
            assert isinstance(reference, runschema.ValidationError)
            assert [e.code for e in reference.errors] == ["too_deep"]


def _nest(levels: int) -> Any:
    deep: Any = 1
    for _ in range(levels):
        deep = [deep]
    return deep


class TestInline:
    """Small nested objects are built inside their parent's function, as their own would."""

    def test_which_classes(self) -> None:
        gen = _faststructure.StructureGen(DEFAULT, strict=False, python=False)
        assert gen.inlines(runschema.Usage)
        assert gen.inlines(runschema.TruncationStrategy)
        assert gen.inlines(runschema.ToolResources)
        assert not gen.inlines(runschema.Run)  # too many fields (and absent keys in lenient)
        assert not gen.inlines(runschema.UnknownTool)  # the reference builds unknown arms
        gen.depth = _faststructure.INLINE_DEPTH
        assert not gen.inlines(runschema.Usage)

    def test_source(self) -> None:
        """Run's function builds usage in place: no call to Usage's own function."""
        gen = _faststructure.StructureGen(DEFAULT, strict=True, python=False)
        lines = gen.check(Model(runschema.Usage), "v", "")
        usage_fn = structurer(runschema.Usage, True)
        assert all(v is not usage_fn for v in gen.ns.values())
        classes = [line.rsplit(" = ", 1)[1] for line in lines if ".__class__ = " in line]
        assert classes, lines
        assert all(gen.ns[name] is runschema.Usage for name in classes)

    def test_tagged_unions(self) -> None:
        """Arms are chosen by comparing tags, each arm inline; arms of one class share one."""
        gen = _faststructure.StructureGen(DEFAULT, strict=False, python=True)
        fields = spec_of(runschema.Run).fields
        kind = next(f.kind for f in fields if f.name == "tool_choice")
        lines = gen.check(kind, "v", "")
        assert "    if type(_tag0) is not str: raise _Fail" in lines  # python data: exact str only
        branches = [line for line in lines if line.startswith(("    if _tag0", "    else"))]
        assert branches == ["    if _tag0 in _c3:", "    else: raise _Fail"], lines
        assert gen.ns["_c3"] == {"function", "code_interpreter", "file_search"}
        assert not any(callable(v) and v.__name__ == "structure" for v in gen.ns.values())
        unknown = set_at(FULL_RUN, "$.tool_choice", {"type": "web_search"})
        assert _fast(unknown, False) is None  # an unknown tag: the reference builds it
        run = runschema.loads(orjson.dumps(unknown), runschema.Run)
        assert isinstance(run.tool_choice, runschema.UnknownToolChoice)

    @HYP
    @given(rs.run_json_with_unknowns(), st.booleans(), st.booleans())
    def test_same_as_calls(self, doc: dict[str, Any], strict: bool, python: bool) -> None:
        """With inlining off (fresh functions, none inline) results and deferrals are equal."""
        data = doc if python else orjson.loads(orjson.dumps(doc))
        inlined = _try(structurer(runschema.Run, strict, python=python), data)
        called = _try(_NOT_INLINE.structurer(runschema.Run, strict, python=python), data)
        assert inlined == called
        if inlined is not None:
            assert runschema.dumps(inlined) == runschema.dumps(called)


#: An owner with inlining off: its functions call nested objects' own functions.
_NOT_INLINE = FastPaths(inline=False)


def _decode(fp: FastPaths, data: bytes) -> runschema.Run:
    """A lenient decode by ``fp``'s generated code (these documents take the fast path)."""
    run: runschema.Run = fp.structurer(runschema.Run, False)(orjson.loads(data))
    return run


def _key(value: Any) -> bytes:
    """The interning key of a JSON value: its JSON text as ``json_text`` writes it."""
    from runschema._kinds import json_text

    key = json_text(value)
    assert key is not None
    return key


def _params(run: runschema.Run) -> Any:
    tool = run.tools[2]
    assert isinstance(tool, runschema.FunctionTool)
    return tool.function.parameters


def _with_params(params: Any) -> bytes:
    """The fuller run with these function parameters as its only JSON Schema."""
    doc = set_at(FULL_RUN, "$.tools[2].function.parameters", params)
    return orjson.dumps(set_at(doc, "$.response_format", "auto"))


class TestInterning:
    def test_repeated_schemas_are_shared(self) -> None:
        """Runs with the same JSON Schemas hold one frozen copy of each (from the second
        sighting on, whatever ran before in this process)."""
        for _ in range(2):
            runschema.loads(orjson.dumps(FULL_RUN), runschema.Run)
        a = runschema.loads(orjson.dumps(FULL_RUN), runschema.Run)
        b = runschema.loads(orjson.dumps(FULL_RUN), runschema.Run, strict=True)
        assert _params(a) is _params(b)
        assert a.response_format == b.response_format
        assert isinstance(a.response_format, runschema.ResponseFormatJsonSchema)
        assert isinstance(b.response_format, runschema.ResponseFormatJsonSchema)
        assert a.response_format.json_schema.schema is b.response_format.json_schema.schema

    def test_equal_text_only(self) -> None:
        """Values Python calls equal but JSON writes apart are never confused."""
        variants: list[Any] = [
            {"x": 1},
            {"x": 1.0},
            {"x": True},
            {"x": -0.0},
            {"x": 0.0},
            {"x": [1]},
            {"x": {"y": 1}},
            {"y": 1, "x": 1},
            {"x": 1, "y": 1},
        ]
        for _ in range(3):  # the third time, every one of them is interned
            for params in variants:
                got = _params(runschema.loads(_with_params(params), runschema.Run))
                assert orjson.dumps(got) == orjson.dumps(params)
                assert list(got) == list(params)
                assert [type(v) for v in got.values()] == [
                    tuple if type(v) is list else FrozenMap if type(v) is dict else type(v)
                    for v in params.values()
                ]

    def test_python_data_is_never_served_from_it(self) -> None:
        """``structure`` of data built in Python freezes it (or defers), whatever is interned.

        A tuple or a NaN is written by orjson as an array or a null; an interned schema with
        those must not stand in for them.
        """
        for interned, built in (
            ({"a": [1]}, {"a": (1,)}),
            ({"a": None}, {"a": float("nan")}),
            ({"a": None}, {"a": float("inf")}),
        ):
            runschema.loads(_with_params(interned), runschema.Run)
            doc = set_at(FULL_RUN, "$.tools[2].function.parameters", built)
            for strict in (False, True):
                expected = _reference_python(doc, strict)
                try:
                    got: Any = runschema.structure(doc, runschema.Run, strict=strict)
                except runschema.ValidationError as e:
                    got = e
                assert repr(got) == repr(expected)

    def test_kept_on_a_third_close_sighting(self) -> None:
        """A schema is kept when it comes back twice, each time within ``room`` sightings
        of the one before; a record full of sightings is forgotten."""
        fp = FastPaths(intern_budget=4096, intern_recent=4)
        interned = fp.interned
        a, b, c, d, e = ({"description": x} for x in "abcde")
        for params in (a, b, a, a):  # a comes back twice, close: kept
            _decode(fp, _with_params(params))
        assert interned.texts() == [_key(a)]
        for params in (c, d, e, b):  # a full record of sightings is forgotten: b is new again
            _decode(fp, _with_params(params))
        assert interned.texts() == [_key(a)]
        runs = [_decode(fp, _with_params(b)) for _ in range(3)]
        assert interned.texts() == [_key(a), _key(b)]
        assert _params(runs[1]) is not _params(runs[0])  # seen twice: frozen apart
        assert _params(runs[2]) is _params(_decode(fp, _with_params(b)))  # kept, then found
        fresh = [_decode(fp, _with_params(c)) for _ in range(2)]
        assert _params(fresh[0]) is not _params(fresh[1])  # c was forgotten: frozen apart

    def test_not_kept_when_it_comes_back_too_late(self) -> None:
        """Schemas that come back only after more sightings than the budget holds schemas
        are not kept (they would be pushed out before their next sighting): no churn."""
        fp = FastPaths(intern_budget=16 * 100, intern_recent=1024)
        interned = fp.interned
        kept = [{"description": f"{i:040d}"} for i in range(3)]  # 63 bytes of text each
        for _ in range(3):
            for params in kept:
                _decode(fp, _with_params(params))
        assert interned.texts() == [_key(p) for p in kept]
        assert interned.room == 16 * 100 // 63  # 25 schemas of this size fit
        cycle = [{"description": f"{i:040d}"} for i in range(100, 130)]  # 30: more than fit
        for _ in range(5):
            for params in cycle:
                run = _decode(fp, _with_params(params))
                assert _params(run) == params
        assert interned.texts() == [_key(p) for p in kept]  # nothing pushed out
        short = cycle[:20]  # 20 fit: kept on their third sighting
        for _ in range(3):
            for params in short:
                _decode(fp, _with_params(params))
        assert interned.texts() == [_key(p) for p in kept + short]

    def test_bypassed_while_few_are_found(self) -> None:
        """After a window of lookups that found almost nothing, one lookup in 16 consults the
        table; once the schemas come back, the probes find them and it is consulted again."""
        from runschema._fastrt import _PROBE_SHIFT, _WINDOW

        interned = Interned(budget=1 << 20)

        def parsed(value: Any) -> dict[str, Any]:
            result: dict[str, Any] = orjson.loads(orjson.dumps(value))
            return result

        for i in range(_WINDOW):  # schemas that never come back
            got = interned.object(parsed({"n": i}))
            assert got == {"n": i}
        assert interned.bypass
        assert interned.texts() == []
        again = {"again": True}
        first = [interned.object(parsed(again)) for _ in range(_WINDOW)]
        assert all(got == again for got in first)
        # kept on its third probe, then found by one lookup in 16 only
        assert interned.texts() == [_key(again)]
        shared = [got for got in first if got is first[-1]]
        assert len(shared) < _WINDOW >> _PROBE_SHIFT
        second = [interned.object(parsed(again)) for _ in range(8)]
        assert not interned.bypass  # the probes found it: consulted throughout
        assert all(got is second[0] for got in second)

    def test_budget(self) -> None:
        """First in, first out within the budget of JSON text; a schema too big is not kept."""
        fp = FastPaths(intern_budget=16 * 100)
        interned = fp.interned
        texts = []
        for i in range(40):
            params = {"description": f"{i:040d}"}  # 63 bytes of (indented) JSON text
            texts.append(_key(params))
            for _ in range(3):  # kept on the third sighting
                run = _decode(fp, _with_params(params))
                assert _params(run) == params
            assert interned.size == sum(map(len, interned.texts())) <= interned.budget
        assert interned.texts() == texts[-len(interned.map) :]
        assert len(interned.map) == interned.budget // 63
        big = {"description": "x" * 100}
        for _ in range(4):
            _decode(fp, _with_params(big))
        assert _key(big) not in interned.texts()

    def test_threads(self) -> None:
        """Decoding from several threads at once, with constant eviction, stays exact."""
        fp = FastPaths(intern_budget=16 * 100)
        interned = fp.interned
        docs = [_with_params({"description": f"{i:040d}"}) for i in range(64)]

        def work(k: int) -> None:
            for i in range(200):
                data = docs[(i * (k + 1)) % len(docs)]
                run = _decode(fp, data)
                assert orjson.loads(runschema.dumps(run)) == orjson.loads(data)

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(work, range(4)))
        assert interned.size == sum(map(len, interned.texts())) <= interned.budget


_CONFUSABLE = st.sampled_from([0, 1, -1, 0.0, -0.0, 1.0, 1e16, True, False, None, "", "1", "0"])
_CONFUSABLE_JSON = st.recursive(
    _CONFUSABLE,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3)
    ),
    max_leaves=6,
)


def _typed(v: Any) -> Any:
    """``v`` with the type of every value spelled out: 1, 1.0 and True compare apart."""
    if isinstance(v, dict):
        return (type(v), tuple((k, _typed(x)) for k, x in v.items()))
    if isinstance(v, (list, tuple)):
        return (type(v), tuple(_typed(x) for x in v))
    return (type(v), repr(v))


class TestInterningProperty:
    @HYP
    @given(st.lists(st.dictionaries(st.sampled_from(["a", "b"]), _CONFUSABLE_JSON), max_size=8))
    def test_a_hit_is_what_freezing_builds(self, objects: list[dict[str, Any]]) -> None:
        """For orjson's output, what interning returns holds exactly what this parse does,
        values Python calls equal (1, 1.0, True; 0.0, -0.0) included."""
        interned = Interned(budget=1 << 20)
        objects += [dict(reversed(obj.items())) for obj in objects]  # same items, other order
        for obj in objects * 4:  # each kept on its third sighting, found on its fourth
            parsed = orjson.loads(orjson.dumps(obj))
            got = interned.object(parsed)
            assert _typed(got) == _typed(FrozenMap(parsed))

    def test_orjson_never_gives_what_it_writes_alike(self) -> None:
        """The values orjson writes alike (NaN and infinities as null) never come from it."""
        assert orjson.dumps(float("nan")) == orjson.dumps(float("inf")) == b"null"
        for text in (b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1e400"):
            with pytest.raises(orjson.JSONDecodeError):
                orjson.loads(text)


def _reference_python(doc: Any, strict: bool) -> Any:
    try:
        return explain(doc, runschema.Run, strict, python=True)
    except runschema.ValidationError as e:
        return e


class TestNamesMatched:
    def test_names_met_before_are_known_and_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Strict code remembers the names that matched their pattern (a service meets each
        assistant's again and again): never one that did not, and at most MATCHED_MAX, then
        none, and it fills again."""
        from runschema import _fastrt

        seen, matches = _fastrt.matched(r"[a-z]{1,3}")
        assert matches("ab")
        assert "ab" in seen
        assert not matches("abcd")
        assert not matches("a b")
        assert seen == {"ab"}
        monkeypatch.setattr(_fastrt, "MATCHED_MAX", 2)
        assert matches("x")
        assert matches("y")  # full: forgotten, then kept
        assert seen == {"y"}
        # as strict decoding meets them: a name remembered, a wrong one refused each time
        doc = orjson.loads(runschema.seed_example())
        doc["required_action"] = None
        for name in ("get_weather", "get_weather", "get weather", "get weather"):
            doc["tools"] = [{"type": "function", "function": {"name": name}}]
            data = orjson.dumps(doc)
            if " " in name:
                with pytest.raises(runschema.ValidationError):
                    runschema.loads(data, runschema.Run, strict=True)
            else:
                runschema.loads(data, runschema.Run, strict=True)


class TestStructureParsed:
    @pytest.mark.parametrize("strict", [False, True])
    def test_agrees_with_loads(self, strict: bool) -> None:
        """What ``parse_json`` returned (the command line's values) decodes as ``loads`` does,
        exact re-parses with oversized integers included."""
        big = b'"big":123456789012345678901234567890,"days"'
        texts = [
            orjson.dumps(FULL_RUN),
            runschema.seed_example(),
            orjson.dumps(set_at(FULL_RUN, "$.status", "paused")),
            orjson.dumps(set_at(FULL_RUN, "$.usage", {"total_tokens": "3"})),
            orjson.dumps(FULL_RUN).replace(b'"days"', big),
        ]
        for text in texts:
            results = []
            for decode in (_via_loads, _via_parse_json):
                try:
                    results.append(repr(decode(text, strict)))
                except runschema.ValidationError as e:
                    results.append(repr(e.errors))
            assert results[0] == results[1]


def _via_loads(text: bytes, strict: bool) -> runschema.Run:
    return runschema.loads(text, runschema.Run, strict=strict)


def _via_parse_json(text: bytes, strict: bool) -> runschema.Run:
    return structure_parsed(parse_json(text), runschema.Run, strict=strict)


class TestDumpers:
    @HYP
    @given(rs.runs())
    def test_generated_dump_equals_reference(self, run: runschema.Run) -> None:
        """The generated encoder writes what the reference encoder writes."""
        assert orjson.dumps(dumper(runschema.Run)(run)) == orjson.dumps(dump_model(run))

    @HYP
    @given(rs.run_json_with_unknowns())
    def test_lenient_extras_at_every_level(self, doc: dict[str, Any]) -> None:
        """Unknown and absent keys kept by a lenient decode, nested objects (converted inline)
        included, come back as the reference encoder writes them: the input again."""
        try:
            run = explain(orjson.loads(orjson.dumps(doc)), runschema.Run, False)
        except runschema.ValidationError:
            return
        written = orjson.dumps(dumper(runschema.Run)(run))
        assert written == orjson.dumps(dump_model(run))
        assert orjson.loads(written) == orjson.loads(orjson.dumps(doc))

    @pytest.mark.parametrize(
        "cls", [runschema.Run, runschema.RunStep, runschema.CreateRunParams], ids=repr
    )
    def test_template_objects_keep_extras(self, cls: type[Any]) -> None:
        """An object encoded from a template (``STORE_FIELDS`` fields or more) gets what a
        lenient decode remembered: a null key that was absent stays absent, unknown keys come
        back; the bytes are the reference encoder's."""
        assert len(spec_of(cls).fields) >= STORE_FIELDS

        @examples(40)
        @given(rs.json_documents(cls), st.data())
        def check(doc: dict[str, Any], data: st.DataObject) -> None:
            nulls = [k for k, v in doc.items() if v is None]
            if nulls:
                del doc[data.draw(st.sampled_from(nulls))]
            doc["x_new"] = {"a": [1, None]}
            value = runschema.loads(orjson.dumps(doc), cls)
            written = runschema.dumps(value)
            assert written == orjson.dumps(dump_model(value))
            assert orjson.loads(written) == doc

        check()

    def test_nested_extras(self) -> None:
        doc = set_at(FULL_RUN, "$.usage.cached", 1)
        doc = set_at(doc, "$.tool_resources.code_interpreter.more", [1])
        doc = set_at(doc, "$.truncation_strategy.x", None)
        run = runschema.loads(orjson.dumps(doc), runschema.Run)
        assert orjson.loads(runschema.dumps(run)) == doc

    def test_small_objects_and_arms_inline(self) -> None:
        """The run's encoder converts usage and the tool arms itself: it holds no dumper of
        theirs, and compares each tool's class with the arms' (unknown arms: their dumper)."""
        ns = dumper(runschema.Run).__globals__
        assert "_d_Usage" not in ns
        assert "_d_CodeInterpreterTool" not in ns
        # deeper than the decoder inlines: a tool call (depth 3), ranking options (depth 4)
        assert "_d_FunctionToolCall" not in ns
        assert "_d_FileSearchRankingOptions" not in ns
        assert ns["_C_CodeInterpreterTool"] is runschema.CodeInterpreterTool
        assert ns["_C_FunctionTool"] is runschema.FunctionTool
        run = runschema.loads(orjson.dumps(FULL_RUN), runschema.Run)
        assert orjson.loads(runschema.dumps(run)) == FULL_RUN


_SWITCHES = SWITCHES
#: One owner per speed technique, with that technique off.
_WITHOUT = {name: FastPaths(**{name: False}) for name in _SWITCHES}


class TestOwner:
    """Generated code has one owner: its switches, its caches, its functions."""

    @HYP
    @given(rs.run_json_with_unknowns(), st.booleans(), st.sampled_from(_SWITCHES))
    def test_each_technique_off_agrees(self, doc: dict[str, Any], strict: bool, off: str) -> None:
        """With any one technique switched off, results and deferrals are the same."""
        fp = _WITHOUT[off]
        for python in (False, True):
            data = doc if python else orjson.loads(orjson.dumps(doc))
            on = _try(DEFAULT.structurer(runschema.Run, strict, python=python), data)
            without = _try(fp.structurer(runschema.Run, strict, python=python), data)
            assert on == without
            if on is not None:
                assert runschema.dumps(on) == runschema.dumps(without)
                assert fp.dumper(runschema.Run)(on) == DEFAULT.dumper(runschema.Run)(on)

    def test_owners_keep_their_own(self) -> None:
        """A second owner makes functions and caches of its own; the default's are untouched."""
        fp = FastPaths()
        assert fp.structurer(runschema.Run, False) is not structurer(runschema.Run, False)
        data = orjson.loads(_with_params({"description": "only here"}))
        for _ in range(3):
            fp.structurer(runschema.Run, False)(data)
        assert _key({"description": "only here"}) in fp.interned.texts()
        assert _key({"description": "only here"}) not in DEFAULT.interned.texts()

    def test_switches_change_the_source(self) -> None:
        """Each switch really turns its technique off (the source shows it)."""
        sources: dict[str, str] = {}
        for name, fp in [("on", FastPaths()), *((n, FastPaths(**{n: False})) for n in _SWITCHES)]:
            seen: list[str] = []
            original = fp.compile

            def record(source: str, label: str, ns: dict[str, Any], keep: Any = original) -> None:
                seen.append(source)  # noqa: B023 - each owner's list, read right after
                keep(source, label, ns)

            setattr(fp, "compile", record)  # noqa: B010 - an instance attribute shadows it
            fp.structurer(runschema.Run, False)
            sources[name] = "\n".join(seen)
        assert "_intern_object" in sources["on"]
        assert "_intern_object" not in sources["intern_schemas"]
        assert "(_x := v8 - _ts)" in sources["on"]
        assert "_ts" not in sources["anchor_timestamps"]
        assert repr(FastPaths(span_timestamps=False, debug=True)) == (
            "FastPaths(off=['span_timestamps'], debug=True)"
        )
        assert "_SPANS" in sources["on"]
        assert "_SPANS" not in sources["span_timestamps"]
        assert "fromtimestamp" in sources["span_timestamps"]
        assert "_m1v0" in sources["on"]
        assert "_m1v0" not in sources["inline"]
        assert sources["shared_constants"] != sources["on"]
        assert _WITHOUT["absent_variant"].lenient_entries[runschema.Run] is _WITHOUT[
            "absent_variant"
        ].structurer(runschema.Run, False)

    def test_absent_variant_off_never_switches_entries(self) -> None:
        """With absent_variant off, the class's own function stays the entry."""
        fp = _WITHOUT["absent_variant"]
        main = fp.structurer(runschema.Run, False)
        doc = orjson.loads(runschema.seed_example())
        run = main(doc)
        assert runschema.absent_fields(run) == {"required_action"}
        assert fp.lenient_entries[runschema.Run] is main


def _generated_source(fn: Any) -> str:
    """The whole source of a generated function, as linecache holds it."""
    import linecache

    return "".join(linecache.getlines(fn.__code__.co_filename))


class TestGeneratedSource:
    def test_linecache_shows_the_source(self) -> None:
        """Generated functions have a file name of their own whose lines linecache knows."""
        import linecache

        fn = structurer(runschema.Usage, True)
        filename = fn.__code__.co_filename
        assert filename.startswith("<runschema generated structure Usage strict #")
        assert linecache.getline(filename, 1) == "def structure(d):\n"
        dump = dumper(runschema.Run)
        assert linecache.getline(dump.__code__.co_filename, 1) == "def dump(o):\n"
        # the check of a model built in Python too (it was left out)
        runschema.Usage(completion_tokens=1, prompt_tokens=1, total_tokens=2)
        check = _fastcheck._CHECKS[runschema.Usage]
        assert check.__code__.co_filename.startswith("<runschema generated check Usage #")
        assert linecache.getline(check.__code__.co_filename, 1) == "def check(inst):\n"

    def test_a_tag_is_fetched_once(self) -> None:
        """An arm of a tagged union built inline takes its ``type`` from the tag compared, not
        from a second lookup."""
        source = _generated_source(FastPaths().structurer(runschema.Run, False))
        arm = source[source.index("elif _tag0 == 'function':") :].splitlines()[1]
        assert arm.strip() == "_m1v0 = _tag0"
        # the tag found equal to 'function' is not compared with the arm's constant again
        assert "if _m1v0 != 'function'" not in source
        assert "if _m1v0 != 'code_interpreter'" not in source

    def test_unknown_keys_become_the_extra_in_one_step(self) -> None:
        """An inline object's unknown keys are made the ``Extra`` it keeps where they are
        counted, and stored as they are: no second test of the local."""
        source = _generated_source(FastPaths().structurer(runschema.Run, False))
        assert (
            "_m1u = None if len(v18) == 3 else _with_unknown(_NO_NAMES, _unknown_keys(v18, "
            in source
        )
        assert "            v18._rs_extra = _m1u\n" in source
        assert " is None else _with_unknown(_NO_NAMES, _m" not in source
        doc = set_at(FULL_RUN, "$.usage.cached", 1)
        doc = set_at(doc, "$.tools[0].beta", [True])
        run = _fast(doc, False)
        assert run is not None
        assert orjson.loads(runschema.dumps(run)) == doc
        assert runschema.loads(orjson.dumps(doc), runschema.Run) == run

    def test_unset_is_tested_on_locals(self) -> None:
        """The encoder tests each optional field for UNSET on a local holding its value, not
        by looking the key up in the dict it built; an enum's value is read once."""
        source = _generated_source(FastPaths().dumper(runschema.Run))
        assert "] is UNSET: del" not in source
        assert "elif _a0_20 is UNSET: del _m0['temperature']" in source
        usage = _generated_source(FastPaths().dumper(runschema.ToolResources))
        assert "if _a0_0 is UNSET: del d['code_interpreter']" in usage
        assert "o.status" in source
        assert source.count("o.status") == 1

    def test_many_fields_copy_a_template(self) -> None:
        """An object of ``STORE_FIELDS`` fields or more is a copy of a template dict (its keys
        in schema order) with each key then stored; a smaller one is one dict display."""
        fp = FastPaths(inline=False)
        fields = [f.name for f in spec_of(runschema.Run).fields]
        assert len(spec_of(runschema.Usage).fields) < STORE_FIELDS <= len(fields)
        source = _generated_source(fp.dumper(runschema.Run))
        assert "    _m0 = _T_Run.copy()\n    _m0['id'] = o.id\n" in source
        assert "    d = _m0\n" in source
        # a None is the template's: stored only when the value is not None
        assert (
            "    if (_a0_8 := o.expires_at) is not None:\n        _m0['expires_at'] = (" in source
        )
        assert list(fp.dumper(runschema.Run).__globals__["_T_Run"]) == fields
        usage = _generated_source(fp.dumper(runschema.Usage))
        assert "copy()" not in usage
        assert "d = {'completion_tokens': o.completion_tokens," in usage

    def test_timestamps_from_spans_are_what_converting_gives(self) -> None:
        """A timestamp whose span of seconds is kept is the span's datetime plus a cached
        timedelta; one whose span is not is converted, and its span kept when it lies near
        the last one converted (a burst): every way gives what ``fromtimestamp`` gives, at a
        span's first and last second and at the ends of the range. A full table is emptied
        before it grows."""
        base = orjson.loads(runschema.seed_example())

        def owner(limit: int = 1024) -> tuple[FastPaths, Any]:
            fp = FastPaths(anchor_timestamps=False, absent_variant=False)
            fp.spans.limit = limit  # before its code is made, which holds the limit
            return fp, fp.structurer(runschema.Run, False)

        def decode(fn: Any, ts: int, later: bool = False) -> None:
            done = ts + 1 if later else None  # a second timestamp, one second on
            run = fn({**base, "created_at": ts, "started_at": None, "completed_at": done})
            assert run.created_at == datetime.fromtimestamp(ts, UTC)
            assert run.completed_at == (None if done is None else datetime.fromtimestamp(done, UTC))
            assert run.created_at.tzinfo is UTC
            assert run.created_at.fold == 0

        fp, fn = owner()
        edges = (0, 1, 1023, 1024, 1025, 1699075072, 1699075073, 1699076095, FROMTIMESTAMP_MAX)
        for ts in (*edges, *edges, *reversed(edges)):
            decode(fn, ts, later=True)
        for span, start in fp.spans.table.items():  # each span's start, whatever kept it
            assert start == datetime.fromtimestamp(span << 10, UTC)
        assert fp.spans.table[1699075072 >> 10] == datetime(2023, 11, 4, 5, 17, 52, tzinfo=UTC)

        fp, fn = owner()
        t = 1699075072
        decode(fn, t)  # far from the last span converted: converted, not kept
        assert fp.spans.table == {}
        assert fp.spans.last == [t >> 10]
        decode(fn, t + 5)  # the same span again: a burst, kept
        assert list(fp.spans.table) == [t >> 10]
        decode(fn, t + 3 * 1024)  # three spans on: not kept, but the last
        assert list(fp.spans.table) == [t >> 10]
        decode(fn, t + 4 * 1024)  # the next one: kept
        assert list(fp.spans.table) == [t >> 10, (t >> 10) + 4]

        small, fn = owner(limit=3)
        for span in range(5):  # one after another from 0: each kept, the full table emptied
            decode(fn, span * 1024 + 7)
            assert len(small.spans.table) <= 3
        assert small.spans.table == {
            3: datetime.fromtimestamp(3 * 1024, UTC),
            4: datetime.fromtimestamp(4 * 1024, UTC),
        }
        with pytest.raises(ValueError, match="power of two"):
            Spans(Deltas(1000))

    @HYP
    @given(st.integers(0, FROMTIMESTAMP_MAX), st.integers(0, 5000))
    def test_spans_agree_with_converting(self, ts: int, later: int) -> None:
        """Any timestamp in fromtimestamp's range, seen again or near one seen, decodes as
        ``fromtimestamp`` does, with the spans technique on or off."""
        base = orjson.loads(runschema.seed_example())
        for stamp in (ts, ts, min(ts + later, FROMTIMESTAMP_MAX)):
            doc = {**base, "created_at": stamp, "expires_at": stamp}
            on = structurer(runschema.Run, False)(doc)
            off = _WITHOUT["span_timestamps"].structurer(runschema.Run, False)(doc)
            assert on.created_at == off.created_at == datetime.fromtimestamp(stamp, UTC)
            assert on == off

    def test_a_timestamp_shared_with_the_anchor_is_not_converted_again(self) -> None:
        """A later timestamp that is the anchor's own datetime (a decoded run that started
        the second it was created) takes the anchor's number; an equal datetime that is
        another object, or another time, is converted: the same bytes either way."""
        fp = FastPaths()
        source = _generated_source(fp.encoder(runschema.Run))
        assert "_m0['created_at'] = _i0 = (" in source
        assert "_m0['started_at'] = (_i0 if _a0_9 is _a0_2 else (" in source
        run = runschema.loads(runschema.seed_example(), runschema.Run)
        assert run.started_at is run.created_at  # the decoder shares equal timestamps
        copy = datetime.fromtimestamp(run.created_at.timestamp(), UTC)
        later = run.created_at + timedelta(seconds=5)
        for started in (run.started_at, copy, later):
            changed = attrs.evolve(run, started_at=started)
            assert fp.encoder(runschema.Run)(changed) == orjson.dumps(dump_model(changed))
            assert orjson.loads(fp.encoder(runschema.Run)(changed))["started_at"] == int(
                started.timestamp()
            )

    def test_required_constants_are_written_not_read(self) -> None:
        """A required constant (validated by constructors and decoders alike) is written as
        a literal: the template holds the run's ``object``; a tool arm's ``type`` is a
        literal in its display."""
        fp = FastPaths()
        source = _generated_source(fp.dumper(runschema.Run))
        assert "o.object" not in source
        assert "['object']" not in source
        assert fp.dumper(runschema.Run).__globals__["_T_Run"]["object"] == "thread.run"
        assert "_x0 = {'type': 'code_interpreter'}" in source
        with pytest.raises(runschema.ValidationError):
            runschema.CodeInterpreterTool(type="other")  # type: ignore[arg-type]

    def test_constant_objects_share_one_dict_when_writing_bytes(self) -> None:
        """An object of required constants only is one shared dict in a function that writes
        bytes (the dict never leaves it), never in a dumper (whose output is the caller's);
        one with unknown keys gets a dict of its own, and the shared one stays as it was."""
        fp = FastPaths()
        encode, dump = fp.encoder(runschema.Run), fp.dumper(runschema.Run)
        line = (
            "_x0 = _K_CodeInterpreterTool if _e2 is None"
            " else extra({'type': 'code_interpreter'}, _e2)"
        )
        assert line in _generated_source(encode)
        assert "_K_" not in _generated_source(dump)
        shared = encode.__globals__["_K_CodeInterpreterTool"]
        with_key = set_at(FULL_RUN, "$.tools[0].x_new", [1])
        for doc in (with_key, FULL_RUN, with_key):
            run = runschema.loads(orjson.dumps(doc), runschema.Run)
            assert encode(run) == orjson.dumps(dump_model(run))
            assert orjson.loads(encode(run)) == doc
            assert dump(run)["tools"][0] is not shared
        assert shared == {"type": "code_interpreter"}

    def test_encoder_writes_what_the_dumper_gives(self) -> None:
        """``dumps`` calls a function of the class's own: the dumper's lines followed by
        ``orjson.dumps`` (one call fewer); an unknown arm's writes its dumper's output."""
        fp = FastPaths()
        run = runschema.loads(orjson.dumps(_with_unknowns(FULL_RUN)), runschema.Run)
        encode = fp.encoder(runschema.Run)
        assert fp.encoder(runschema.Run) is encode
        assert encode(run) == orjson.dumps(fp.dumper(runschema.Run)(run))
        assert _generated_source(encode).endswith("    return _dumps(d)")
        assert encode.__code__.co_filename.startswith("<runschema generated encode Run #")
        arm = runschema.loads(b'{"type":"x_new","a":[1]}', runschema.Tool)
        assert fp.encoder(type(arm))(arm) == b'{"type":"x_new","a":[1]}'
        assert fp.encoder(runschema.UnknownValue)(runschema.UnknownValue(value="new")) == b'"new"'

    def test_debug_reraises_generator_bugs(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A bug in generated code propagates in debug mode (with its generated line in the
        traceback); otherwise the reference quietly takes over."""
        import traceback

        def buggy(gen: Any, kind: Any, v: str, ind: str) -> list[str]:
            return [f"{ind}{v} = undefined_name"]

        monkeypatch.setitem(_faststructure.CHECKS, runschema._kinds.Bool, buggy)
        data = orjson.loads(orjson.dumps(FULL_RUN))
        debug, quiet = FastPaths(debug=True), FastPaths()
        with pytest.raises(NameError) as info:
            debug.structurer(runschema.Run, True)(data)
        text = "".join(traceback.format_exception(info.value))
        assert "= undefined_name" in text
        with pytest.raises(runschema._fastrt.Fail):
            quiet.structurer(runschema.Run, True)(data)

    def test_debug_still_defers_unclean_input(self) -> None:
        """Debug mode defers what is not the clean case, as the default does."""
        debug = FastPaths(debug=True)
        for doc in (set_at(FULL_RUN, "$.status", {}), set_at(FULL_RUN, "$.usage", 1)):
            with pytest.raises(runschema._fastrt.Fail):
                debug.structurer(runschema.Run, False)(orjson.loads(orjson.dumps(doc)))
        with pytest.raises(runschema._fastrt.Fail):
            debug.structurer(runschema.Run, False)({})


def _with_unknowns(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with unknown keys at the top level and in nested objects and tool arms."""
    doc = set_at(doc, "$.x_top", {"a": [1, {"b": None}]})
    doc = set_at(doc, "$.usage.x_usage", 1)
    doc = set_at(doc, "$.tools[0].x_tool", "new")
    doc = set_at(doc, "$.tools[2].function.x_fn", True)
    done: dict[str, Any] = set_at(
        doc, "$.required_action.submit_tool_outputs.tool_calls[0].x_call", [2]
    )
    return done


class TestUnknownKeysOnTheFastPath:
    """A key the schema does not know is kept by the generated code itself, at any depth."""

    @pytest.mark.parametrize("strict", [False, True])
    @pytest.mark.parametrize("python", [False, True])
    def test_taken_and_kept(self, strict: bool, python: bool) -> None:
        """The fast path builds the run, unknown keys kept where the reference keeps them."""
        doc = _with_unknowns(FULL_RUN)
        data = doc if python else orjson.loads(orjson.dumps(doc))
        fast = structurer(runschema.Run, strict, python=python)(data)
        assert fast == _reference(doc, strict)
        assert orjson.loads(runschema.dumps(fast)) == doc
        assert runschema.unknown_fields(fast) == {"x_top": {"a": (1, {"b": None})}}
        assert runschema.unknown_fields(fast.tools[0]) == {"x_tool": "new"}
        assert fast.tools[0] is not DEFAULT.constant_instance(runschema.CodeInterpreterTool)

    def test_the_extra_kept_with_an_absent_key(self) -> None:
        """What the generated code keeps of a run lacking required_action with an unknown key
        is an ordinary Extra, equal to the reference's, absent names included."""
        doc = {k: v for k, v in _with_unknowns(FULL_RUN).items() if k != "required_action"}
        for fp in (FastPaths(), FastPaths(absent_variant=False)):
            fast = fp.structurer(runschema.Run, False)(orjson.loads(orjson.dumps(doc)))
            extra = fast._rs_extra
            assert type(extra) is runschema._kinds.Extra
            assert extra.absent == frozenset({"required_action"})
            assert type(extra.absent) is frozenset
            assert extra == _reference(doc, False)._rs_extra
            assert orjson.loads(runschema.dumps(fast)) == doc
        # loads guesses the variant for the key the last run lacked: made for it, not counted
        data = orjson.dumps(doc)
        runs = [runschema.loads(data, runschema.Run) for _ in range(3)]
        assert DEFAULT.lenient_entries[runschema.Run].__name__ == (
            "structure_without_required_action"
        )
        for run in runs:
            assert type(run._rs_extra) is runschema._kinds.Extra
            assert run._rs_extra == _reference(doc, False)._rs_extra

    def test_closed_schemas_in_strict_mode(self) -> None:
        """Where the schema says additionalProperties: false, strict mode still refuses."""
        with pytest.raises(runschema._fastrt.Fail):
            structurer(runschema.RunUpdateParams, True)({"metadata": None, "x": 1})
        got = structurer(runschema.RunUpdateParams, False)({"metadata": None, "x": 1})
        assert runschema.unknown_fields(got) == {"x": 1}

    def test_with_absent_keys(self) -> None:
        """Unknown keys and absent keys together: both remembered, in every variant."""
        for absent in ((), ("usage",), ("usage", "expires_at")):
            doc = {k: v for k, v in _with_unknowns(FULL_RUN).items() if k not in absent}
            run = runschema.loads(orjson.dumps(doc), runschema.Run)
            assert runschema.absent_fields(run) == set(absent)
            assert orjson.loads(runschema.dumps(run)) == doc
            assert run == _reference(doc, False)

    def test_unknown_values_that_are_not_held_as_they_are(self) -> None:
        """An unknown value too deep, or with a float that may be a long integer, is left to
        the reference, which decides."""
        for value in (_nest(245), 1e20):
            data = orjson.loads(orjson.dumps(set_at(FULL_RUN, "$.x", value)))
            with pytest.raises(runschema._fastrt.Fail):
                structurer(runschema.Run, False)(data)
        run = runschema.loads(orjson.dumps(set_at(FULL_RUN, "$.x", 1e20)), runschema.Run)
        assert runschema.unknown_fields(run) == {"x": 1e20}
        text = orjson.dumps(FULL_RUN)[:-1] + b',"x":123456789012345678901234567890}'
        with pytest.raises(runschema.ValidationError) as info:
            runschema.loads(text, runschema.Run)
        assert [(e.path, e.code) for e in info.value.errors] == [("$.x", "out_of_range")]


class TestJsonText:
    """The one check that lets a JSON value orjson parsed be held as it is."""

    def test_depth(self) -> None:
        """Values nesting less than VALUE_DEPTH levels pass; at it and past it they do not
        (the reference decides), at any depth orjson reads, without a crash: the text is
        written indented, which orjson does safely at every depth it accepts."""
        from runschema._kinds import VALUE_DEPTH, json_text

        assert json_text(_nest(VALUE_DEPTH - 2)) is not None  # VALUE_DEPTH - 1 levels
        for levels in (VALUE_DEPTH, VALUE_DEPTH + 1, 220, 253, 254, 300, 1000):
            assert json_text([_nest(levels - 1)] * 300) is None, levels

    def test_refusals_leave_nothing_behind(self) -> None:
        from runschema._kinds import VALUE_DEPTH, json_text

        for refused in (_nest(VALUE_DEPTH + 1), {"a": {1, 2}}, {"a": object()}):
            assert json_text(refused) is None
            assert json_text({"b": 1}) == orjson.dumps({"b": 1}, option=orjson.OPT_INDENT_2)

    def test_threads_each_get_their_own_text(self) -> None:
        """Threads writing values at once each get the text of their own value."""
        from runschema._kinds import json_text

        def work(k: int) -> None:
            for i in range(2000):
                value = {"k": k, "i": i, "pad": [k] * (i % 50)}
                assert json_text(value) == orjson.dumps(value, option=orjson.OPT_INDENT_2)

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(work, range(4)))

    @pytest.mark.parametrize(
        ("value", "held"),
        [
            (9.3e18, False),
            (1.5e300, False),
            (-1e19, False),
            (1e16, True),
            (1e17, True),
            (2.5, True),
            ("a+b", True),
            ("x1e+20", False),
            (1e-20, True),
        ],
    )
    def test_floats_that_may_be_long_integers(self, value: Any, held: bool) -> None:
        """Floats of 1e18 and more are not held as they are (a string that looks like one
        costs only a look by the reference); others are."""
        from runschema._kinds import json_text

        assert (json_text({"v": value}) is not None) is held


class TestJsonValuesHeldAsRead:
    """Decoded JSON values are held as orjson built them, made read-only as they are read."""

    def test_read_only_however_reached(self) -> None:
        """Nested objects come out as FrozenMaps and arrays as tuples, by any way of reading."""
        params = {"type": "object", "properties": {"a": {"enum": [1, [2]]}}, "req": ["a"]}
        run = runschema.loads(_with_params(params), runschema.Run)
        p = _params(run)
        assert isinstance(p["properties"], FrozenMap)
        assert p["req"] == ("a",)
        assert p["properties"]["a"]["enum"] == (1, (2,))
        for got in (dict(p), {**p}, dict(p.items()), p | {}, {} | p):
            assert isinstance(got["properties"], FrozenMap)
            with pytest.raises(TypeError):
                got["properties"]["b"] = 1
        assert all(isinstance(v, (str, FrozenMap, tuple)) for v in p.values())
        assert p.get("properties") == p["properties"]
        assert p.copy() is p
        assert orjson.loads(orjson.dumps(p)) == params
        assert p == params
        assert hash(p) == hash(FrozenMap(params))

    def test_python_data_is_copied(self) -> None:
        """A model built from Python data holds its own copy: changing the data changes nothing."""
        params: dict[str, Any] = {"a": [1, {"b": 2}]}
        f = runschema.FunctionDefinition(name="f", parameters=params)
        run = runschema.structure(
            set_at(FULL_RUN, "$.tools[2].function.parameters", params), runschema.Run
        )
        params["a"][1]["b"] = 3
        params["a"].append(4)
        want: Any = {"a": [1, {"b": 2}]}
        assert f.parameters == want
        assert _params(run) == want

    def test_a_schema_nobody_reads_is_not_walked(self) -> None:
        """Decoding a run with a big schema makes no Python object per node of it."""
        import tracemalloc

        params = {
            "type": "object",
            "properties": {f"p{i}": {"type": "string"} for i in range(2000)},
        }
        data = _with_params(params)
        structure = _WITHOUT["intern_schemas"].structurer(runschema.Run, False)
        structure(orjson.loads(data))  # warm: generated code, caches
        parsed = orjson.loads(data)
        tracemalloc.start()
        run = structure(parsed)
        kept, _ = tracemalloc.get_traced_memory()  # (orjson's write buffer is transient)
        tracemalloc.stop()
        del parsed
        assert _params(run) == params
        assert kept < 20_000  # a copy of 2,000 nested FrozenMaps alone would be about 500 KB
