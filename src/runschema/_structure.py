"""Dict level: structure, unstructure, validate, and what a lenient decode remembered.

No cattrs here: ``import runschema`` does not need it. The cattrs converters (``_converter``)
are built on first use and call the same hooks.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import dataclasses
from collections.abc import (
    Callable,
    Iterator,
    Mapping,
    MutableMapping,
    MutableSequence,
    Sequence,
)
from collections.abc import Set as AbstractSet
from typing import Any, Final, TypeVar, overload

import attrs
from orjson import OPT_INDENT_2, JSONEncodeError
from orjson import dumps as _orjson_dumps
from orjson import loads as _orjson_loads

from ._errors import ErrorCode, ErrorDetail, ValidationError, excerpt, quoted
from ._events import (
    EVENT_CLASSES,
    EVENT_DATA,
    StreamEvent,
    UnknownEvent,
    _Checked,
    client_error_data,
    event_union,
)
from ._fast import DEFAULT, Fail
from ._kinds import (
    BAD,
    Ctx,
    Extra,
    Kind,
    Model,
    StrOr,
    Tagged,
    build_model,
    json_copy,
    json_type,
)
from ._schema import _Model, is_nullable, kind_of
from ._values import SAFE, FrozenMap, JsonValue, ReadOnlyDict, UnknownValue

__all__ = [
    "absent_fields",
    "explain",
    "fill_absent",
    "hook_for",
    "strict_problems",
    "structure",
    "structurer_for",
    "unknown_fields",
    "unstructure",
    "validate",
]

T = TypeVar("T")
#: What ``structure`` and ``loads`` read a document as, by its class: a model or a stream
#: event (found by an SDK author: any class was typed as read, where the call raises
#: TypeError for one of yours; a union of runschema's types takes the second overload).
Readable = TypeVar("Readable", bound="_Model | _Checked")


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, _Model)


#: How data built in Python is proved writable: indented, since orjson's compact writer must
#: not be given a value deeper than ``_kinds.MAX_DEPTH`` (its indenting writer takes any
#: depth it accepts), and such data may be any depth.
_PROBE: Final = SAFE | OPT_INDENT_2


def hook_for(cls: type[Any], strict: bool) -> Callable[[Any], Any]:
    """The structuring function of a model class: the generated code, else the reference."""
    fast = DEFAULT.structurer(cls, strict, python=True)

    def hook(obj: Any) -> Any:
        if type(obj) is dict or type(obj) is FrozenMap:
            try:
                # Data built in Python, unlike orjson's output, may hold what orjson cannot
                # write (lone surrogates, keys that are not strings); the generated code does
                # not look for those, so prove their absence first.
                _orjson_dumps(obj, option=_PROBE)
                return fast(obj)
            except (Fail, TypeError, JSONEncodeError):  # not the clean case: the reference
                pass
        return explain(obj, cls, strict, python=True)

    return hook


def explain(obj: Any, cls: type[Any], strict: bool, *, python: bool = False) -> Any:
    """The reference interpreter: build the value (with lenient extras) or report every error.

    ``python`` says the data was built in Python rather than parsed by orjson.
    """
    if type(obj) is not dict and not (python and isinstance(obj, Mapping)):
        message = f"expected an object, got {json_type(obj)}"
        raise ValidationError([ErrorDetail(loc=(), code="type", message=message)])
    ctx = Ctx(strict=strict, python=python)
    value = ctx.run(build_model, cls, obj, (), ctx)
    if ctx.count or value is BAD:
        raise ValidationError(ctx.problems())
    return value


def strict_problems(obj: Any, cls: type[Any], *, passing: frozenset[str]) -> list[ErrorDetail]:
    """The problems strict mode finds with JSON data ``obj`` as ``cls``, save those of a
    ``passing`` code (which neither are listed nor count toward the limits)."""
    if type(obj) is not dict:
        return [
            ErrorDetail(loc=(), code="type", message=f"expected an object, got {json_type(obj)}")
        ]
    ctx = Ctx(strict=True, passing=passing)
    ctx.run(build_model, cls, obj, (), ctx)
    return ctx.problems()


@overload
def structure(obj: Any, cls: type[Readable], *, strict: bool = False) -> Readable: ...
@overload
def structure(obj: Any, cls: Any, *, strict: bool = False) -> Any: ...
def structure(obj: Any, cls: Any, *, strict: bool = False) -> Any:
    """Turn decoded JSON (dicts, lists, scalars) into a model, or raise ValidationError.

    ``cls`` is a model class, or any annotation made of runschema's types: a union of models
    (``runschema.Tool``), a string-or-object union (``runschema.ToolChoice``), an open enum
    (``runschema.RunStatus | runschema.UnknownValue``), any of those ``| None``; or a stream
    event class or ``runschema.StreamEvent``, for an event's JSON form (``{"event": name,
    "data": ...}``, read by its name, as the converters read it).

    >>> from runschema import structure, Usage, Tool
    >>> structure({"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}, Usage)
    Usage(completion_tokens=2, prompt_tokens=1, total_tokens=3)
    >>> structure({"type": "code_interpreter"}, Tool)
    CodeInterpreterTool(type='code_interpreter')
    """
    try:
        hook = _HOOKS[cls, strict]
    except (KeyError, TypeError):
        hook = structurer_for(cls, strict)
    return hook(obj)


_HOOKS: dict[tuple[Any, bool], Callable[[Any], Any]] = {}


def structurer_for(tp: Any, strict: bool) -> Callable[[Any], Any]:
    """The structuring function of a model class or of an annotation with a kind (see
    :func:`structure`); TypeError for anything else. It raises ValidationError for bad data.
    """
    if _is_model(tp):
        hook = hook_for(tp, strict)  # (TypeError for the base: see FastPaths.structurer)
    elif tp in EVENT_CLASSES or event_union(tp) is not None:
        hook = _event_hook(tp, strict)
    else:
        try:
            kind = kind_of(tp)
        except TypeError:
            raise TypeError(f"{tp!r} is not a runschema model or union") from None
        hook = _kind_hook(kind, strict)
        if is_nullable(tp):
            hook = _or_none(hook)
    with contextlib.suppress(TypeError):  # an unhashable annotation is not cached
        _HOOKS[tp, strict] = hook
    return hook


def _event_hook(tp: Any, strict: bool) -> Callable[[Any], Any]:
    """An event class's or a union's (``StreamEvent``) reading of an event's JSON form."""
    members = frozenset(event_union(tp) or (tp,))
    nullable = is_nullable(tp)

    def hook(obj: Any) -> Any:
        if obj is None and nullable:
            return None
        cls, obj = resolve_event(obj, members, strict, nullable)
        return _build_event(cls, obj, strict)

    return hook


def resolve_event(
    obj: Any, members: frozenset[type[Any]], strict: bool, nullable: bool = False
) -> tuple[type[Any], Mapping[str, Any]]:
    """The class of ``members`` an event's JSON form ``{"event": name, "data": ...}`` is,
    told by its name as the stream's decoder tells a frame, and the form to build it from;
    ValidationError else.

    A name this version does not know is an ``UnknownEvent`` (its ``data`` the text as sent,
    or the compact JSON text of data given as an object, as a later version writes an event
    it knows) in lenient mode, ``unknown_event`` in strict mode, which also refuses a key
    beside the two (lenient mode lets it go: an event has nowhere to keep it).
    """
    if not isinstance(obj, Mapping):
        expected = "an object or null" if nullable else "an object"
        raise _event_problem("type", f"expected {expected}, got {json_type(obj)}", obj, ())
    if "event" not in obj:
        raise _event_problem("missing", "required key 'event' is missing", obj)
    unknown = [key for key in obj if key not in _EVENT_KEYS] if strict else ()
    if unknown:
        message = "unknown key {} is not allowed: an event is its name and its data"
        raise ValidationError(
            [
                ErrorDetail(loc=(k,), code="unknown_field", message=message.format(quoted(k)))
                for k in unknown
            ]
        )
    name = obj["event"]
    if not isinstance(name, str):
        raise _event_problem("type", f"expected a string, got {json_type(name)}", name)
    known = EVENT_DATA.get(name)
    if known is None and strict:
        message = f"an event this version does not know: {excerpt(name)}"
        raise _event_problem("unknown_event", message, name)
    if name == "error" and not strict and "data" in obj:  # the clients' error frame?
        data = obj["data"]
        text = _json_text(data) if isinstance(data, (dict, list, tuple)) else data
        if client_error_data(text):  # kept as the decoder keeps it
            known, obj = None, {**obj, "data": text}
    cls = UnknownEvent if known is None else known[0]
    if cls not in members:
        allowed = sorted(n for n, (k, _) in EVENT_DATA.items() if k in members)
        message = f"expected one of {', '.join(map(repr, allowed))}, got {excerpt(name)}"
        raise _event_problem("enum", message, name)
    if "data" not in obj:  # done's too, whose data is always [DONE]: read without it, it
        # was written back with it (found by a spec differential: not lossless)
        raise _event_problem("missing", "required key 'data' is missing", obj, ())
    if cls is UnknownEvent and not isinstance(obj["data"], str):
        # An event a later version knows, written with its data as an object: kept as the
        # text its frame carries (compact JSON), so that it is read, not refused.
        obj = {**obj, "data": _json_text(obj["data"])}
    return cls, obj


#: The keys of an event's JSON form.
_EVENT_KEYS: Final = frozenset({"event", "data"})


def _event_problem(
    code: ErrorCode, message: str, obj: object, loc: tuple[str, ...] = ("event",)
) -> ValidationError:
    return ValidationError([ErrorDetail(loc=loc, code=code, message=message, input=excerpt(obj))])


def _json_text(value: Any) -> str:
    """A JSON value as compact JSON text, checked as the JSON models hold is (problems at
    ``data``)."""
    # json_copy nests it at most VALUE_DEPTH levels
    return _orjson_dumps(_checked_json(value, ("data",))).decode()


def _checked_json(value: Any, loc: tuple[str, ...]) -> Any:
    """A plain copy of a JSON value, checked as the JSON models hold is (:func:`json_copy`);
    ValidationError with every problem, at ``loc``."""
    ctx = Ctx(strict=False, python=True)
    copy = ctx.run(json_copy, value, loc, ctx)
    if ctx.count or copy is BAD:
        raise ValidationError(ctx.problems())
    return copy


def _build_event(cls: type[Any], obj: Mapping[str, Any], strict: bool) -> Any:
    """The event of class ``cls`` (told by :func:`resolve_event`) its JSON form holds: its
    data read as its class's (a model, strict or not), problems at ``$.data...``; the
    class's own check for the rest (a name or data of another class)."""
    name = obj["event"]
    data = obj["data"]  # there: see resolve_event
    known = EVENT_DATA.get(name) if isinstance(name, str) else None
    data_cls = known[1] if known is not None and known[0] is cls else None
    if data_cls is not None:
        try:
            data = structure(data, data_cls, strict=strict)
        except ValidationError as e:
            raise ValidationError(
                [attrs.evolve(d, loc=("data", *d.loc)) for d in e.errors]
            ) from None
    return cls(event=name, data=data)


def _or_none(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda obj: None if obj is None else hook(obj)


def _kind_hook(kind: Kind, strict: bool) -> Callable[[Any], Any]:
    if isinstance(kind, Model):
        return hook_for(kind.cls, strict)
    if isinstance(kind, Tagged):
        return _tagged_hook(kind, strict)
    if isinstance(kind, StrOr):
        objects = _tagged_hook(kind.objects, strict)
        strings = _reference_hook(kind.strings, strict)
        return lambda obj: strings(obj) if isinstance(obj, str) else objects(obj)
    return _reference_hook(kind, strict)


def _tagged_hook(kind: Tagged, strict: bool) -> Callable[[Any], Any]:
    """A known arm goes straight to its class's structuring function; anything else to the
    reference interpreter (unknown arms, errors)."""
    arms = {tag: hook_for(cls, strict) for tag, cls in kind.arms.items()}
    reference = _reference_hook(kind, strict)

    def hook(obj: Any) -> Any:
        if isinstance(obj, Mapping):
            tag = obj.get("type")
            if type(tag) is str:
                arm = arms.get(tag)
                if arm is not None:
                    return arm(obj)
        return reference(obj)

    return hook


def _reference_hook(kind: Kind, strict: bool) -> Callable[[Any], Any]:
    def hook(obj: Any) -> Any:
        ctx = Ctx(strict=strict, python=True)
        value = ctx.run(kind.build, obj, (), ctx)
        if ctx.count or value is BAD:
            raise ValidationError(ctx.problems())
        return value

    return hook


@overload
def unstructure(obj: _Model | StreamEvent) -> dict[str, Any]: ...
@overload
def unstructure(obj: UnknownValue | str | float | None) -> Any: ...
def unstructure(obj: Any) -> Any:
    """Turn a model into plain JSON data (dicts, lists, ints for timestamps), as ``dumps``
    would, all of it new and the caller's own to change. A stream's event is
    ``{"event": name, "data": ...}``, as the converters write it; what ``loads`` and
    ``structure`` read of a union that is no model (``"auto"`` of a ``ToolChoice``, an
    ``UnknownValue``, ``None`` of ``Run | None``) is its JSON value.

    >>> from runschema import unstructure, Usage, DoneEvent
    >>> unstructure(Usage(completion_tokens=2, prompt_tokens=1, total_tokens=3))
    {'completion_tokens': 2, 'prompt_tokens': 1, 'total_tokens': 3}
    >>> unstructure(DoneEvent())
    {'event': 'done', 'data': '[DONE]'}
    """
    if not isinstance(obj, _Model):
        return unstructure_other(obj)
    # The encoder's output shares the model's read-only parts (metadata, JSON Schemas, string
    # arrays); orjson copies it into plain containers faster than a walk in Python would
    # (14 against 23 us for the fuller run).
    result: dict[str, Any] = _orjson_loads(_orjson_dumps(_dumper_of(obj)(obj)))
    return result


def unstructure_other(obj: Any) -> Any:
    """:func:`unstructure` of what is no model: an event, or the value of a union that is no
    model (found by fuzzing: ``dumps`` refused what ``loads`` returned for
    ``RunStatus | UnknownValue``, ``Run | None`` or ``ToolChoice``); TypeError for anything
    else, ValidationError for a number JSON cannot carry."""
    if type(obj) in EVENT_CLASSES:
        return unstructure_event(obj)
    if isinstance(obj, UnknownValue):  # (a container: a copy, the caller's own to change)
        return _checked_json(obj.value, ())
    if obj is None or type(obj) in (str, bool, int, float):
        return _checked_json(obj, ())  # 64 bits, finite, no lone surrogate
    return unstructure_event(obj)  # (which says what it takes)


def unstructure_event(obj: Any) -> dict[str, Any]:
    """:func:`unstructure` of a stream's event (its name first, as its frame has it);
    TypeError for what is neither a model nor an event."""
    if type(obj) not in EVENT_CLASSES:
        raise TypeError(f"{type(obj).__name__} is not a runschema model or event")
    data = obj.data
    return {"event": obj.event, "data": unstructure(data) if isinstance(data, _Model) else data}


def validate(obj: _Model, *, strict: bool = True) -> None:
    """Check a model built in Python against the schema (strict by default).

    Constructors already apply the lenient rules; this adds what strict mode enforces
    (bounds, metadata limits, no unknown values or arms). Raises ValidationError.
    """
    structure(_dumper_of(obj)(obj), type(obj), strict=strict)


def _dumper_of(obj: Any) -> Callable[[Any], Any]:
    if not isinstance(obj, _Model):
        raise TypeError(f"{type(obj).__name__} is not a runschema model")
    return DEFAULT.dumper(type(obj))


def unknown_fields(obj: _Model) -> Mapping[str, JsonValue]:
    """The keys a lenient decode kept that the schema does not declare, with their values.

    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> dict(runschema.unknown_fields(run))
    {}
    """
    extra: Extra | None = _extra(obj)
    return extra.unknown if extra is not None else {}


def absent_fields(obj: _Model) -> frozenset[str]:
    """The required, nullable keys that were absent on the wire (read as ``None``).

    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> sorted(runschema.absent_fields(run))
    ['required_action']
    """
    extra: Extra | None = _extra(obj)
    return extra.absent if extra is not None else frozenset()


def fill_absent(obj: T) -> T:
    """``obj`` with every key a lenient decode found absent written as ``null`` from now on,
    at any depth (unknown keys stay); ``obj`` itself when nothing was absent. ``obj`` is a
    model, a stream event (``RunEvent("thread.run.created", run)``, say), or an attrs class,
    dataclass, tuple, list, deque, set or dict (keys too) of yours holding them (a new one
    where something was filled); an iterator, which walking would use up, is a TypeError.

    A key read as ``None`` from its absence stays absent when the value is written back, even
    after ``attrs.evolve(obj, key=None)``: that keeps a lenient round trip lossless. A service
    that answers with the full published shape (strict clients require every key) fills them:

    >>> import runschema
    >>> run = runschema.loads(runschema.seed_example(), runschema.Run)
    >>> b'"required_action"' in runschema.dumps(run)
    False
    >>> filled = runschema.fill_absent(run)
    >>> b'"required_action":null' in runschema.dumps(filled), filled == run
    (True, False)
    >>> runschema.absent_fields(filled)
    frozenset()

    A container of yours that holds itself, or is nested past Python's recursion limit, is a
    ValueError. An attrs class or dataclass of yours with something to fill is made again as
    ``attrs.evolve`` and ``dataclasses.replace`` make it: a field its ``__init__`` does not take
    (``init=False``) is set by that ``__init__`` (its default, ``__attrs_post_init__``,
    ``__post_init__``), not copied, since it may be derived from what changed.
    """
    try:
        return _filled(obj)  # type: ignore[no-any-return]
    except RecursionError:  # a list holding itself, say: found trying it on odd values
        raise ValueError(
            "fill_absent cannot walk this value: it holds itself, or is nested too deep"
        ) from None


def _filled(v: Any) -> Any:
    if attrs.has(type(v)):  # a model, or what holds models (a stream's event)
        changes: dict[str, Any] = {}
        for a in attrs.fields(type(v)):
            if not a.init:  # evolve sets only what __init__ takes
                continue
            if a.name == "_rs_extra":
                extra: Extra | None = v._rs_extra
                if extra is not None and extra.absent:
                    changes[a.alias] = Extra(frozenset(), extra.unknown) if extra.unknown else None
                continue
            x = getattr(v, a.name)
            y = _filled(x)
            if y is not x:
                changes[a.alias] = y
        return attrs.evolve(v, **changes) if changes else v
    if isinstance(v, (tuple, list)):  # (a subclass of yours too: a NamedTuple, say)
        items = _filled_items(v)
        if items is None:
            return v
        if type(v) in (tuple, list):
            return tuple(items) if type(v) is tuple else items
        if isinstance(v, list):
            return _same_kind(v, items)
        make = getattr(type(v), "_make", None)  # a NamedTuple's fields are its arguments
        return make(items) if make is not None else type(v)(items)
    if isinstance(v, MutableMapping) and not isinstance(v, ReadOnlyDict):  # (JSON values hold
        # none) a dict of yours, a UserDict, holding models as values or keys: a new one when
        # one changed
        return _filled_mapping(v)
    if isinstance(v, collections.deque):  # found by a user reading the docstrings: left
        items = _filled_items(v)  # unfilled, as was a model used as a dict's key
        if items is None:
            return v
        queue = copy.copy(v)  # a subclass stays one, its maxlen too (found by a trial)
        queue.clear()
        queue.extend(items)
        return queue
    if isinstance(v, Iterator):  # walked, it would be used up
        raise TypeError(
            f"fill_absent cannot fill {type(v).__name__}, an iterator: walking it would use it "
            "up (give a list)"
        )
    if isinstance(v, (set, frozenset)):
        members = [(x, _filled(x)) for x in v]
        return v if all(a is b for a, b in members) else type(v)(b for _, b in members)
    if dataclasses.is_dataclass(v) and not isinstance(v, type):  # a dataclass of yours
        changes = {}
        for f in dataclasses.fields(v):
            if f.init:
                x = getattr(v, f.name)
                y = _filled(x)
                if y is not x:
                    changes[f.name] = y
        return dataclasses.replace(v, **changes) if changes else v
    if isinstance(v, MutableSequence):  # a UserList, say
        items = _filled_items(v)
        return v if items is None else _same_kind(v, items)
    if isinstance(v, (Mapping, Sequence, AbstractSet)) and not isinstance(v, _NOT_CONTAINERS):
        # found by a trial: a ChainMap or a mappingproxy came back unfilled without a word;
        # one holding nothing to fill (plain data, a UserString) comes back as it is
        inside = [*v.keys(), *v.values()] if isinstance(v, Mapping) else list(v)
        if all(_filled(x) is x for x in inside):
            return v
        raise TypeError(
            f"fill_absent cannot fill a {type(v).__name__}: give a dict, list, tuple or set"
        )
    return v


#: Values that are sequences or maps to Python but hold no models: left as they are.
_NOT_CONTAINERS: Final = (
    str,
    bytes,
    bytearray,
    memoryview,
    range,
    ReadOnlyDict,
    collections.UserString,
)


def _filled_items(v: Any) -> list[Any] | None:
    """The items of the sequence ``v``, each filled; None when none changed."""
    items = [_filled(x) for x in v]
    return None if all(a is b for a, b in zip(items, v, strict=True)) else items


def _same_kind(v: Any, items: list[Any]) -> Any:
    """A copy of the mutable sequence ``v`` (a list subclass, a UserList) holding ``items``."""
    same = copy.copy(v)
    same[:] = items
    return same


def _filled_mapping(v: Any) -> Any:
    """:func:`_filled` of a mutable mapping of yours (a dict, its subclasses, a UserDict)."""
    pairs = [(k, _filled(k), x, _filled(x)) for k, x in v.items()]
    if all(k is k2 and x is x2 for k, k2, x, x2 in pairs):
        return v
    values = {k2: x2 for _, k2, _, x2 in pairs}
    if len(values) != len(pairs):  # found by a trial: a value was lost without a word
        raise ValueError(
            "fill_absent cannot fill this mapping: two of its keys are one once filled (a "
            "run read with a key absent, and the same run with it null)"
        )
    if type(v) is dict:
        return values
    mapping = copy.copy(v)  # a defaultdict or OrderedDict stays one
    mapping.clear()
    mapping.update(values)
    return mapping


def _extra(obj: Any) -> Extra | None:
    if not isinstance(obj, _Model):
        raise TypeError(f"{type(obj).__name__} is not a runschema model")
    return obj._rs_extra
