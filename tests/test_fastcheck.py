"""The generated check of models built in Python agrees with the reference, ``check_model``.

A constructor (and so ``attrs.evolve``) runs ``_fastcheck.check_built``: the generated clean
case, else the reference. Each test builds one raw instance twice (fields set without
``__init__``) with one field replaced by a value of every sort a caller may pass, checks one
copy with ``check_built`` and the other with the reference, and compares what each did:
the same problems, or the same values of the same types.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import runschema
from runschema import _fastcheck
from runschema import strategies as gen
from runschema._kinds import UTC, check_model
from runschema._schema import _Model
from tests.fixtures import FULL_RUN, examples
from tests.streams import text_stream, tool_stream


class _Str(str):
    pass


class _Int(int):
    pass


class _Datetime(datetime):
    pass


class _Tuple(tuple[Any, ...]):
    pass


T = datetime(2024, 3, 13, 16, 41, 15, tzinfo=UTC)

#: Values of every sort a caller may put in a field: clean ones, and each way of not being
#: the normal form (subclasses, other types, out of range, non-ASCII, lone surrogates, naive
#: and offset datetimes, UnknownValue, lists for tuples, dicts for FrozenMaps).
TRICKY: list[Any] = [
    None,
    runschema.UNSET,
    "",
    "x",
    "é",
    "\ud800",
    _Str("x"),
    True,
    False,
    0,
    -1,
    _Int(3),
    2**64 - 1,
    2**64,
    -(2**63) - 1,
    1.5,
    -0.0,
    math.nan,
    math.inf,
    T,
    T.replace(tzinfo=None),
    T.astimezone(timezone(timedelta(hours=2))),
    T.replace(microsecond=5),
    T.astimezone(timezone(timedelta(seconds=1))),
    _Datetime(2024, 1, 1, tzinfo=UTC),
    runschema.UnknownValue(value="newer"),
    runschema.UnknownValue(value="auto"),
    (),
    ("a", "b"),
    ("é",),
    ("\ud800",),
    ["a"],
    _Tuple(("a",)),
    {"a": "b"},
    runschema.FrozenMap({"a": "b"}),
    runschema.FrozenMap({"a": 1}),
    runschema.FrozenMap({"é": "ü"}),
    runschema.FrozenMap({"a": "\ud800"}),
    runschema.FrozenMap({"a": _Str("b")}),
    runschema.FrozenMap({"k" * 70: "v"}),
    "auto",
    "none",
    "required",
    "completed",
    "in_progress",
    "thread.run",
    "function",
    "text",
    "assistant",
    runschema.CodeInterpreterTool(),
    runschema.Usage(completion_tokens=1, prompt_tokens=2, total_tokens=3),
    runschema.ResponseFormatText(),
    runschema.UnknownTool(data={"type": "browser"}),
    (runschema.CodeInterpreterTool(),),
    (runschema.CodeInterpreterTool(), "x"),
    object(),
]

MODELS: list[type[Any]] = sorted(
    (
        cls
        for cls in (getattr(runschema, name) for name in runschema.__all__)
        if isinstance(cls, type)
        and issubclass(cls, _Model)
        and cls is not _Model
        and not getattr(cls, "__rs_unknown_arm__", False)
    ),
    key=lambda cls: cls.__name__,
)


def _raw(inst: Any, name: str, value: Any) -> Any:
    """A copy of ``inst`` with ``name`` set to ``value``, made without ``__init__``."""
    out = object.__new__(type(inst))
    for a in attrs.fields(type(inst)):
        object.__setattr__(out, a.name, value if a.name == name else getattr(inst, a.name))
    return out


def _outcome(check: Callable[[Any], None], inst: Any) -> Any:
    """What a check did: its problems, or every field's type and value (JSON text for what
    Python's == would blur: 1 and True, 1 and 1.0)."""
    try:
        check(inst)
    except runschema.ValidationError as e:
        return "refused", [(p.loc, p.code, p.message, repr(p.input)) for p in e.errors]
    values = []
    for a in attrs.fields(type(inst)):
        v = getattr(inst, a.name)
        values.append((a.name, type(v), repr(v)))
    return "kept", values


def _agree(inst: Any, name: str, value: Any) -> None:
    fast = _outcome(_fastcheck.check_built, _raw(inst, name, value))
    reference = _outcome(lambda i: check_model(i, False), _raw(inst, name, value))
    assert fast == reference, (type(inst).__name__, name, value)


def _instances(value: Any) -> Iterator[Any]:
    """Every model instance in a value, at any depth."""
    if isinstance(value, _Model):
        yield value
        for a in attrs.fields(type(value)):
            yield from _instances(getattr(value, a.name))
    elif isinstance(value, tuple):
        for x in value:
            yield from _instances(x)


def _known_instances() -> list[Any]:
    full = runschema.loads(orjson.dumps(FULL_RUN), runschema.Run, strict=True)
    seed = runschema.loads(runschema.seed_example(), runschema.Run)  # an absent key kept
    events = [*text_stream(), *tool_stream()]
    found: dict[type[Any], list[Any]] = {}
    for root in (full, seed, *(e.data for e in events if isinstance(e.data, _Model))):
        for inst in _instances(root):
            kept = found.setdefault(type(inst), [])
            if inst not in kept and len(kept) < 2:
                kept.append(inst)
    return [inst for kept in found.values() for inst in kept]


KNOWN = _known_instances()


@pytest.mark.parametrize(
    "inst", KNOWN, ids=lambda inst: f"{type(inst).__name__}-{KNOWN.index(inst)}"
)
def test_every_field_and_every_sort_of_value(inst: Any) -> None:
    for a in attrs.fields(type(inst)):
        if a.name == "_rs_extra":
            continue
        for value in (*TRICKY, *(getattr(other, a.name, None) for other in KNOWN)):
            _agree(inst, a.name, value)


def test_the_instances_cover_the_run_and_the_stream() -> None:
    names = {type(inst).__name__ for inst in KNOWN}
    assert {"Run", "RunStep", "Message", "FunctionTool", "RequiredAction", "Thread"} <= names
    assert len(names) >= 30


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@examples(10)
@given(data=st.data())
def test_generated_instances_of_every_class(cls: type[Any], data: st.DataObject) -> None:
    inst = data.draw(gen.values(cls, unknown=True))
    names = [a.name for a in attrs.fields(cls) if a.name != "_rs_extra"]
    if not names:
        return
    name = data.draw(st.sampled_from(names))
    own = [getattr(inst, n) for n in names]
    _agree(inst, name, data.draw(st.sampled_from([*TRICKY, *own])))
    _agree(inst, name, getattr(inst, name))  # the instance as it is


def test_the_private_field_is_checked() -> None:
    inst = runschema.Usage(completion_tokens=1, prompt_tokens=2, total_tokens=3)
    extras: list[Any] = ["x", runschema.FrozenMap(), None]
    for extra in extras:
        _agree(inst, "_rs_extra", extra)


def test_evolve_keeps_an_absent_key_absent_while_it_is_none() -> None:
    run = runschema.loads(runschema.seed_example(), runschema.Run)
    assert runschema.absent_fields(run) == {"required_action"}
    cancelled = attrs.evolve(run, status="cancelled")
    assert runschema.absent_fields(cancelled) == {"required_action"}
    assert b'"required_action"' not in runschema.dumps(cancelled)
    action = attrs.evolve(run, status="requires_action", required_action=None)
    assert runschema.absent_fields(action) == {"required_action"}  # still None: still absent


def test_a_refusal_chains_to_nothing_of_ours() -> None:
    """The reference runs after the clean case gave up, not inside its handler: the error a
    caller sees has no internal exception as its context."""
    with pytest.raises(runschema.ValidationError) as info:
        runschema.Usage(completion_tokens="1", prompt_tokens=2, total_tokens=3)  # type: ignore[arg-type]
    assert info.value.__context__ is None
    assert [(p.path, p.code) for p in info.value.errors] == [("$.completion_tokens", "type")]


def test_the_clean_case_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building from clean values never reaches the reference (else the generated check is
    dead code, and constructors pay the reference's price)."""
    run = runschema.loads(runschema.seed_example(), runschema.Run)
    usage = runschema.Usage(completion_tokens=1, prompt_tokens=2, total_tokens=3)
    calls: list[Any] = []

    def spy(inst: Any, strict: bool = False) -> None:
        calls.append(inst)
        check_model(inst, strict)

    monkeypatch.setattr(_fastcheck, "check_model", spy)
    _fastcheck._CHECKS.clear()  # made again, naming the spy
    try:
        attrs.evolve(run, status="cancelled", usage=usage)
        runschema.Usage(completion_tokens=1, prompt_tokens=2, total_tokens=3)
        assert calls == []
        runschema.Usage(completion_tokens=True, prompt_tokens=2, total_tokens=3)  # bool: no int
    except runschema.ValidationError:
        pass
    finally:
        _fastcheck._CHECKS.clear()
    assert len(calls) == 1
