"""The cattrs converters, strict and lenient, built on first use (``import runschema`` does
not import cattrs), and :func:`errors_of`, which reads their failures as runschema problems.

Both are ordinary ``cattrs.Converter`` objects: use them for classes of your own that hold
runschema models, or register more hooks on them. What they do:

- runschema models go through the same functions as :func:`runschema.structure` and
  :func:`runschema.unstructure` (the generated code, else the reference);
- any annotation made of runschema's types (``Tool``, ``ResponseFormat``, ``ToolChoice``,
  ``RunStatus | UnknownValue``, ``Run | None``, ``tuple[Tool, ...]``...) structures by the
  same rules as a model's field of that type, and unstructures to its JSON form;
- ``str``, ``int``, ``float``, ``bool`` and ``None`` are taken exactly, in both modes: no
  coercion (cattrs' own hooks make ``"no"`` a ``True`` and ``5`` a ``"5"``); an integer is fine
  where a float is asked for, as in JSON, and must fit 64 bits, and a whole number written
  ``5.0`` or ``1e3`` is an integer where one is asked for (JSON Schema's rule, as ``loads``
  reads text); a string must hold no lone surrogates, as in runschema's own fields;
- so are enums (``IntEnum``, ``StrEnum`` too) and ``Literal[...]``: a value of the same JSON
  type (``True`` is not ``1``); written as their values;
- arrays (``tuple[X, ...]``, ``list[X]``, sets, ``Sequence[X]``; ``Iterable[X]`` and
  ``Collection[X]``, read as a tuple) take a list or a tuple,
  objects (``dict[K, V]``, ``Mapping[K, V]``) and attrs classes or dataclasses of your own a
  mapping: cattrs' own hooks take any iterable (``"abc"`` becomes ``("a", "b", "c")``, an
  object its keys) and read a class's fields by key from anything; every array (a set, a
  ``tuple[int, str]``) is written as a list; integer keys (``dict[int, X]``, an ``IntEnum``'s,
  a ``Literal`` of integers) are read from their decimal text and written as it, since a JSON
  object's keys are text;
- ``runschema.JsonValue`` and ``FrozenMap`` fields hold any JSON, checked as the models check
  theirs, read-only (objects as FrozenMaps, arrays as tuples);
- ``datetime`` is unix seconds, as in runschema's models: an aware datetime of whole seconds
  (a naive one, or one with microseconds, is a ValidationError when unstructured);
- a union of the stream's event classes (``StreamEvent``) is read by its ``event`` name, as
  the stream's decoder reads a frame.

A failure in a class of your own comes back as cattrs' exception group; :func:`errors_of` turns
it into one :class:`runschema.ValidationError` with every problem's full path from your root
(``$.data[0].status``).
"""

import dataclasses
import enum
import math
import re
import threading
import types
import typing
from collections import abc
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, Final, Literal, Union, cast, get_args, get_origin, get_type_hints

import attrs
import cattrs
import orjson
from cattrs.cols import is_any_set, is_mapping, is_sequence
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from ._errors import (
    ErrorCode,
    ErrorDetail,
    SchemaError,
    ValidationError,
    excerpt,
    problem_count,
    quoted,
)
from ._events import EVENT_CLASSES, _Checked, event_union
from ._kinds import (
    BAD,
    EPOCH,
    EXACT_WHOLE,
    MAX_INT,
    MAX_PROBLEMS,
    MAX_TS,
    MIN_INT,
    MIN_TS,
    ROUNDED_WHOLE,
    Ctx,
    Loc,
    Timestamp,
    capped,
    has_surrogates,
    json_copy,
    json_type,
    left_out_entry,
    rounded_whole,
    whole_json_number,
)
from ._schema import _Model, base_refused, kind_of
from ._structure import resolve_event, structurer_for, unstructure
from ._values import UNSET, FrozenMap, JsonValue, UnknownValue, Unset, _frozen

__all__ = ["LENIENT", "STRICT", "errors_of"]


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, _Model)


#: The classes that make an annotation runschema's own (see ``_ours``; a union with
#: ``Unset`` is read as the rest of it: see ``_with_unset``).
_OURS: Final = (UnknownValue,)


def _ours(tp: Any) -> bool:
    """Whether ``tp`` is an annotation runschema has a kind for and cattrs does not: a union
    or ``Literal`` set naming a model, ``UnknownValue``, or ``JsonValue``. (Models are hooked
    on their own; ``tuple[...]``, ``list[...]`` and ``X | None`` of a model cattrs handles.)"""
    if _is_json_value(tp):
        return False  # no kind: any JSON value (see _json_value)
    args = get_args(tp)
    if not args or get_origin(tp) in (tuple, list, dict, set, frozenset):
        return False
    members = [a for a in args if a is not type(None)]
    if not any(_is_model(a) or a in _OURS for a in members):
        return False
    try:
        kind_of(tp)
    except TypeError:
        return False
    return True


def _unknown_value_alone(tp: Any) -> bool:
    """Whether ``tp`` is ``UnknownValue``, or it or None, with no enum beside it."""
    members = get_args(tp) if get_origin(tp) in (Union, types.UnionType) else (tp,)
    others = [m for m in members if m is not type(None)]
    return bool(others) and all(m is UnknownValue for m in others)


def _refuse_unknown_value_alone(tp: Any) -> Callable[[Any, Any], Any]:
    """A field of yours annotated ``UnknownValue`` (or ``| None``) alone: a TypeError when its
    hook is made (found by an SDK author: the value was written as its string, and read as an
    object, which refused that string in both converters)."""
    raise _AnnotationError(
        f"{tp!r}: runschema.UnknownValue is the arm a lenient read puts beside an enum for a "
        "value this version does not know; alone, no value is read as it. Annotate the "
        "enum's union (runschema.RunStatus | runschema.UnknownValue), or str"
    )


def _refused(code: ErrorCode, message: str, obj: object) -> ValidationError:
    """The error of a hook: one problem at the value's own path (cattrs adds the rest)."""
    return ValidationError([ErrorDetail(loc=(), code=code, message=message, input=excerpt(obj))])


def _type_error(expected: str, obj: object) -> ValidationError:
    return _refused("type", f"expected {expected}, got {json_type(obj)}", obj)


def _exact_str(obj: Any, tp: Any) -> str:
    if tp is not str and _is_enum(tp):  # a StrEnum: str comes first in its MRO
        return _enum_member(obj, tp)  # type: ignore[no-any-return]
    if isinstance(obj, str):
        if has_surrogates(obj):
            message = "a string with lone surrogates, which UTF-8 cannot carry"
            raise _refused("invalid_string", message, obj)
        return str(obj)
    raise _type_error("a string", obj)


def _exact_int(obj: Any, tp: Any) -> int:
    if tp is not int and _is_enum(tp):  # an IntEnum: int comes first in its MRO
        return _enum_member(obj, tp)  # type: ignore[no-any-return]
    if isinstance(obj, int) and not isinstance(obj, bool):
        return _in_64_bits(int(obj))
    if whole_json_number(obj):  # 5.0 and 1e3 are integers in JSON
        if rounded_whole(obj):
            raise _refused("out_of_range", ROUNDED_WHOLE, obj)
        return _in_64_bits(int(obj))
    raise _type_error("an integer", obj)


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


def _enum_out(tp: Any) -> Callable[[Any], Any]:
    """The unstructuring hook of the enum class ``tp``: a member's value; a ``type`` problem
    for anything else (found by a user: a string in a ``list[Colour]`` was cattrs'
    AttributeError, which no report could place)."""

    def out(v: Any) -> Any:
        if isinstance(v, tp):
            return v.value
        message = f"expected a member of {tp.__name__}, got {json_type(v)}"
        raise ValidationError([ErrorDetail(loc=(), code="type", message=message, input=excerpt(v))])

    return out


def _enum_member(obj: Any, tp: Any) -> Any:
    """The member of the enum class ``tp`` whose value is ``obj``, of the same JSON type
    (``True`` is not ``1``; ``1.0``, a whole number, is, as an ``int`` field reads it); or
    ``obj`` if it is one."""
    if isinstance(obj, tp):
        return obj
    return _one_of([m.value for m in tp], obj, [*tp])


def _kind(value: Any) -> str:
    """The JSON type of a scalar, subclasses read as their JSON type (``True`` is no
    integer)."""
    for t, name in (
        (bool, "a boolean"),
        (int, "an integer"),
        (float, "a number"),
        (str, "a string"),
    ):
        if isinstance(value, t):
            return name
    return json_type(value)


def _is_literal(tp: Any) -> bool:
    origin: Any = get_origin(tp)
    return origin is Literal


def _literal(obj: Any, tp: Any) -> Any:
    """A ``Literal[...]`` value: one of its values, of the same JSON type (an enum member's
    as its value: found by fuzzing, ``Literal[Color.RED]`` was written ``"red"`` and then
    refused)."""
    results = list(get_args(tp))
    return _one_of([_plain_value(v) for v in results], obj, results)


def _literal_out(tp: Any) -> Callable[[Any], Any]:
    """A ``Literal[...]`` field's value when written: one of its values, as when read (found
    by fuzzing: ``2**70`` in a ``Literal["a"]`` field went on to orjson unchecked)."""
    results = list(get_args(tp))
    values = [_plain_value(v) for v in results]
    return lambda v: _one_of(values, _plain_value(v), values)


def _plain_value(v: Any) -> Any:
    return v.value if isinstance(v, enum.Enum) else v


def _one_of(values: list[Any], obj: Any, results: list[Any], *, again: bool = True) -> Any:
    kind = _kind(obj)
    for value, result in zip(values, results, strict=True):
        if _kind(value) == kind and value == obj:
            return result
    # the same JSON number written another way, as int and float fields read it (found by
    # fuzzing: Literal[5] and an IntEnum refused 5.0, a float-valued Enum refused 1)
    same: Any = None
    if whole_json_number(obj) and not rounded_whole(obj):
        same = int(obj)
    elif type(obj) is int and -EXACT_WHOLE < obj < EXACT_WHOLE:
        same = float(obj)
    if again and same is not None:
        try:
            return _one_of(values, same, results, again=False)
        except ValidationError:  # judged as the number it is, shown as it was given
            if any(_kind(v) == _kind(same) for v in values):
                kind = _kind(same)
    allowed = ", ".join(map(quoted, values))  # as JSON has them (true, not True)
    code: ErrorCode
    if not any(_kind(v) == kind for v in values):  # another JSON type: that first
        one_of = "one of " if len(values) > 1 else ""
        code, message = "type", f"expected {one_of}{allowed}, got {kind}"
    elif len(values) == 1:
        code, message = "const", f"expected {allowed}, got {quoted(obj)}"
    else:
        code, message = "enum", f"expected one of {allowed}, got {quoted(obj)}"
    raise _refused(code, message, obj)


def _is_json_value(tp: Any) -> bool:
    """``JsonValue``, or the union ``get_type_hints`` makes of it (its forward references
    evaluated): all of JSON's scalars, an array and an object."""
    if tp == JsonValue:
        return True
    if get_origin(tp) is not Union:
        return False
    args = get_args(tp)
    origins = {get_origin(a) for a in args}
    scalars = {bool, int, float, str, type(None)}
    return scalars <= set(args) and tuple in origins and len(args) == len(scalars) + 2


def _json_value(obj: Any, _: Any) -> Any:
    """Any JSON value in a class of your own: checked as runschema checks the JSON its models
    hold (64-bit integers, finite numbers, no lone surrogates, no deeper than they may nest),
    and held read-only (objects as FrozenMaps, arrays as tuples)."""
    ctx = Ctx(strict=False, python=True)
    copy = ctx.run(json_copy, obj, (), ctx)
    if ctx.count or copy is BAD:
        raise ValidationError(ctx.problems())
    return _frozen(copy)


def _json_out(value: Any) -> Any:
    """A JSON value of yours as new plain data, checked as when read (an attrs field is not
    checked when set): NaN, an integer beyond 64 bits, a set or lone surrogates are a
    ValidationError at their path, rather than written as ``null`` or orjson's TypeError."""
    return _plain(_json_value(value, None))


def _json_object(obj: Any, tp: Any) -> Any:
    """A JSON object held read-only (a ``FrozenMap`` field): as ``_json_value``."""
    if not isinstance(obj, Mapping):
        raise _type_error("an object", obj)
    return _json_value(obj, tp)


def _in_64_bits(n: int) -> int:
    if MIN_INT <= n <= MAX_INT:
        return n
    message = f"an integer outside what JSON carries exactly ({MIN_INT}..{MAX_INT})"
    raise _refused("out_of_range", message, n)


def _exact_float(obj: Any, _: Any) -> float:
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        raise _type_error("a number", obj)
    if isinstance(obj, float) and not math.isfinite(obj):
        raise ValidationError(
            [ErrorDetail(loc=(), code="not_finite", message="NaN and infinities are not JSON")]
        )
    if isinstance(obj, int):
        return _in_64_bits(int(obj))  # an int stays an int: it encodes as it came
    return obj


def _str_out(v: Any) -> Any:
    """A ``str`` field's value as JSON carries it: checked as when read (no lone surrogates,
    no other type: found by fuzzing, ``5`` in a ``str`` field was written and then refused
    when read), a ``StrEnum`` member as its value (cattrs hands a ``str`` subclass's members
    here: ``str`` comes first in their MRO)."""
    if type(v) is not str:
        v = _plain_value(v)
        if not isinstance(v, str):
            raise _type_error("a string", v)
        v = str(v)
    if has_surrogates(v):
        message = "a string with lone surrogates, which UTF-8 cannot carry"
        raise _refused("invalid_string", message, v)
    return v


def _int_out(v: Any) -> Any:
    """An ``int`` field's value as JSON carries it: within 64 bits, as when read; an
    ``IntEnum`` member as its value; a ``bool`` or what is no integer refused, as when read
    (found by fuzzing: ``True`` in an ``int`` field was written ``true``)."""
    if type(v) is int:
        return _in_64_bits(v)
    v = _plain_value(v)
    if isinstance(v, bool) or not isinstance(v, int):
        raise _type_error("an integer", v)
    return _in_64_bits(int(v))


def _bool_out(v: Any) -> Any:
    """A ``bool`` field's value: ``True`` or ``False`` only, as when read (``1`` is no
    boolean)."""
    if v is True or v is False:
        return v
    raise _type_error("a boolean", v)


def _float_out(v: Any) -> Any:
    """A ``float`` field's value as JSON carries it: finite (orjson writes NaN as ``null``,
    which the same field then refuses), an ``int`` in it within 64 bits; a ``float``
    subclass's value (``numpy.float64``: found by fuzzing, its NaN went out unchecked) as a
    plain ``float``."""
    if type(v) is not float:
        v = _plain_value(v)
        if not isinstance(v, float):
            if isinstance(v, bool) or not isinstance(v, int):
                raise _type_error("a number", v)
            return _int_out(v)
        v = float(v)
    if math.isfinite(v):
        return v
    raise ValidationError(
        [ErrorDetail(loc=(), code="not_finite", message="NaN and infinities are not JSON")]
    )


def _exact_bool(obj: Any, _: Any) -> bool:
    if type(obj) is bool:
        return obj
    raise _type_error("a boolean", obj)


def _exact_none(obj: Any, _: Any) -> None:
    if obj is not None:
        raise _type_error("null", obj)


def _timestamp(obj: Any, _: Any) -> datetime:
    if whole_json_number(obj):  # 1.7e9 is an integer in JSON
        obj = int(obj)
    if type(obj) is not int:
        raise _type_error("a unix timestamp (integer seconds)", obj)
    if not MIN_TS <= obj <= MAX_TS:
        message = f"a timestamp outside what datetime holds ({MIN_TS}..{MAX_TS})"
        raise _refused("out_of_range", message, obj)
    return EPOCH + timedelta(seconds=obj)


_TIMESTAMP: Final = Timestamp()


def _unix_seconds(value: datetime) -> int:
    """Unix seconds of a datetime in a class of your own, checked as runschema's models check
    theirs: aware, whole seconds in UTC, within 0001..9999 (else a ValidationError, rather than
    a TypeError from the arithmetic or microseconds silently dropped)."""
    ctx = Ctx(strict=True, python=True)
    utc = _TIMESTAMP.check(value, (), ctx)
    if ctx.count or utc is BAD:
        raise ValidationError(ctx.problems())
    return _TIMESTAMP.dump(utc)


def _plain(value: Any) -> Any:
    """A JSON form with read-only parts (FrozenMaps, tuples) as new plain containers."""
    if isinstance(value, (dict, list, tuple)):
        return orjson.loads(orjson.dumps(value))
    return value


def _is_event_union(tp: Any) -> bool:
    """A union of two event classes or more (``StreamEvent``, ``RunEvent | DoneEvent``), any
    of them ``| None``: cattrs cannot tell them apart by their fields."""
    members = event_union(tp)
    return members is not None and len(members) > 1


def _event_union(c: cattrs.BaseConverter, tp: Any, strict: bool) -> Callable[[Any, Any], Any]:
    """Structure an event of the union ``tp`` as its ``event`` name says, as the stream's
    decoder does (see :func:`runschema._structure.resolve_event`), then with ``c``'s hook of
    that class."""
    members = frozenset(a for a in get_args(tp) if a is not type(None))
    nullable = type(None) in get_args(tp)

    def hook(obj: Any, _: Any) -> Any:
        if obj is None and nullable:
            return None
        cls, obj = resolve_event(obj, members, strict, nullable)
        return c.structure(obj, cls)

    return hook


#: Per thread, while a value of a class of yours is written: the values that failed, by
#: converter, class and identity (see ``_own_unstructure``).
_WRITING: Final = threading.local()


class _Converter(cattrs.Converter):
    """A cattrs converter of runschema's (``runschema.LENIENT``, ``runschema.STRICT``): a
    class of your own holding runschema's types is structured and unstructured by the same
    rules as runschema's models, strict or lenient (see the ``runschema._converter``
    module's docstring, and the README's "Your own classes: the cattrs converters"); a
    failure comes back as cattrs' exception group, which :func:`runschema.errors_of` reads
    as one ValidationError with every problem's path.

    >>> import attrs, runschema
    >>> @attrs.frozen
    ... class Stored:
    ...     run: runschema.Run
    >>> stored = runschema.LENIENT.structure(
    ...     {"run": runschema.unstructure(runschema.loads(runschema.seed_example(),
    ...      runschema.Run))}, Stored)
    >>> stored.run.status
    'completed'

    Its ``unstructure`` says a value nested past Python's recursion limit as ``structure``
    does (found by an SDK author: a deep value of a recursive class of theirs raised a bare
    RecursionError, where reading its document says ``too_deep``)."""

    def unstructure(self, obj: Any, unstructure_as: Any = None) -> Any:
        outermost = not getattr(_WRITING, "active", False)
        if outermost:
            _WRITING.active, _WRITING.too_deep = True, False
        try:
            return super().unstructure(obj, unstructure_as)
        except RecursionError:
            _WRITING.too_deep = True
            message = "nested too deeply to write (Python's recursion limit)"
            raise ValidationError([ErrorDetail(loc=(), code="too_deep", message=message)]) from None
        finally:
            if outermost:
                _WRITING.active = False
                if _WRITING.too_deep:
                    # cattrs reads a RecursionError while it makes a hook as a class that
                    # holds itself, and keeps a hook that writes such values as they are:
                    # made again, away from the limit, they are right (found in use: after a
                    # value too deep, a shallow one came out holding objects, not dicts)
                    self._unstructure_func.clear_cache()


def _make(strict: bool) -> cattrs.Converter:
    c = _Converter()
    for tp, exact in (
        (str, _exact_str),
        (int, _exact_int),
        (float, _exact_float),
        (bool, _exact_bool),
        (type(None), _exact_none),
    ):
        c.register_structure_hook(tp, exact)
    for tp, out in ((str, _str_out), (int, _int_out), (float, _float_out), (bool, _bool_out)):
        c.register_unstructure_hook(tp, out)  # written as read: what JSON cannot carry refused
    c.register_structure_hook(datetime, _timestamp)
    c.register_unstructure_hook(datetime, _unix_seconds)
    c.register_unstructure_hook(UnknownValue, lambda v: v.value)
    c.register_structure_hook(enum.Enum, _enum_member)
    c.register_unstructure_hook_factory(_is_enum, _enum_out)  # (str, Enum) members too
    c.register_structure_hook_func(_is_literal, _literal)
    c.register_unstructure_hook_factory(_is_literal, _literal_out)
    c.register_structure_hook_func(_is_json_value, _json_value)
    c.register_unstructure_hook_func(_is_json_value, _json_out)
    c.register_structure_hook_func(_is_json_object, _json_object)
    c.register_unstructure_hook_func(_is_json_object, _json_out)
    c.register_structure_hook_factory(_is_frozen_map_of, lambda tp: _frozen_map_in(tp, c))
    c.register_unstructure_hook_factory(_is_frozen_map_of, lambda tp: _frozen_map_out(tp, c))

    def structure_factory(tp: Any) -> Callable[[Any, Any], Any]:
        refused = base_refused(tp)
        if refused is not None:
            raise _AnnotationError(refused)
        hook = structurer_for(tp, strict)
        return lambda obj, _: hook(obj)

    c.register_structure_hook_factory(_is_model, structure_factory)
    c.register_structure_hook_factory(_ours, structure_factory)
    c.register_structure_hook_factory(_unknown_value_alone, _refuse_unknown_value_alone)

    def model_unstructure_factory(tp: Any) -> Callable[[Any], Any]:
        def out(v: Any) -> Any:
            if isinstance(v, tp):
                return unstructure(v)
            # found by fuzzing: a str in a ``tuple[Tool, ...]`` raised an AttributeError
            raise _type_error(tp.__name__, v)

        return out

    c.register_unstructure_hook_factory(_is_model, model_unstructure_factory)

    def unstructure_factory(tp: Any) -> Callable[[Any], Any]:
        kind = kind_of(tp)

        def out(v: Any) -> Any:
            if v is None:
                return None
            # checked as a model's field is when set (an attrs field of yours is not): found
            # by fuzzing, a lone surrogate in a ``RunStatus | UnknownValue`` went out as is
            ctx = Ctx(strict=False, python=True)
            checked = ctx.run(kind.check, v, (), ctx)
            if ctx.count or checked is BAD:
                raise ValidationError(ctx.problems())
            return _plain(kind.dump(checked))

        return out

    c.register_unstructure_hook_factory(_ours, unstructure_factory)
    # Factories that need hooks of their own take the converter they serve as their second
    # parameter (cattrs passes it): a copy (``LENIENT.copy()``) then uses its own hooks,
    # those registered on it included, not the ones of the converter it was copied from.

    def set_factory(tp: Any, conv: cattrs.Converter) -> Callable[[Any], Any]:
        # a set is written as JSON has it, an array (cattrs' own hook keeps the set)
        return conv.gen_unstructure_iterable(tp, unstructure_to=list)

    def items_factory(tp: Any, conv: cattrs.BaseConverter) -> Callable[[Any], Any]:
        hooks = [conv.get_unstructure_hook(a) for a in get_args(tp)]  # tuple[X, Y]: an array

        def items(v: Any) -> list[Any]:
            if len(v) != len(hooks):  # as when read: exactly so many
                raise _wrong_count(len(hooks), v)
            return [hook(x) for hook, x in zip(hooks, v, strict=True)]

        return items

    def event_factory(tp: Any, conv: cattrs.BaseConverter) -> Callable[[Any, Any], Any]:
        return _event_union(conv, tp, strict)

    c.register_unstructure_hook_factory(_own_class, _own_unstructure)
    c.register_unstructure_hook_factory(_union_of_classes, _union_out)
    c.register_unstructure_hook_factory(is_any_set, set_factory)
    c.register_unstructure_hook_factory(_fixed_tuple, items_factory)
    c.register_structure_hook_factory(_is_event_union, event_factory)

    def abstract_in(tp: Any, conv: cattrs.BaseConverter) -> Callable[[Any, Any], Any]:
        as_tuple = _as_tuple(tp)
        inner = conv.get_structure_hook(as_tuple)
        return lambda obj, _: inner(obj, as_tuple)

    def abstract_out(tp: Any, conv: cattrs.Converter) -> Callable[[Any], Any]:
        item = conv.get_unstructure_hook(get_args(tp)[0] if get_args(tp) else Any)

        def out(v: Any) -> list[Any]:
            problem = _shape_problem((), v, tp)
            if problem is not None:  # a string is no array of its characters
                raise ValidationError([problem])
            return [item(x) for x in v]

        return out

    c.register_structure_hook_factory(_abstract_array, abstract_in)
    c.register_unstructure_hook_factory(_abstract_array, abstract_out)

    def event_class_factory(tp: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
        # one event class: its name checked first, as in a union (found by a differential
        # test: cattrs read {} as a DoneEvent, where loads and a union want the name)
        base = conv.gen_structure_attrs_fromdict(tp)
        members = frozenset((tp,))

        def hook(obj: Any, _: Any) -> Any:
            cls, obj = resolve_event(obj, members, strict)
            return base(obj, cls)

        return hook

    c.register_structure_hook_factory(lambda tp: tp in EVENT_CLASSES, event_class_factory)

    def unset_structure(tp: Any, conv: cattrs.BaseConverter) -> Callable[[Any, Any], Any]:
        rest = _without_unset(tp)  # a key that is there holds a value of the rest
        inner = conv.get_structure_hook(rest)
        return lambda obj, _: inner(obj, rest)

    def unset_unstructure(tp: Any, conv: cattrs.BaseConverter) -> Callable[[Any], Any]:
        inner = conv.get_unstructure_hook(_without_unset(tp))
        return lambda v: v if v is UNSET else inner(v)  # left out by the class's own hook

    def number_keys_unstructure(tp: Any, conv: cattrs.Converter) -> Callable[[Any], Any]:
        key = conv.get_unstructure_hook(get_args(tp)[0])  # checked as written elsewhere

        def text(k: Any, _: Any = None) -> str:  # (cattrs calls it with the key alone)
            return str(key(k))

        made: Callable[[Any], Any] = conv.gen_unstructure_mapping(tp, key_handler=text)
        return made

    c.register_structure_hook_factory(_with_unset, unset_structure)
    c.register_unstructure_hook_factory(_with_unset, unset_unstructure)
    c.register_unstructure_hook_factory(_number_keyed, number_keys_unstructure)
    _guard_containers(c)
    return c


def _number_keyed(tp: Any) -> bool:
    """A mapping whose keys are integers (``dict[int, X]``, an ``IntEnum``'s members, a
    ``Literal`` of integers): a JSON object's keys are text, so they are read from and
    written as their decimal text (``{"1": ...}``), as cattrs' own orjson converter does."""
    args = get_args(tp)
    if not (is_mapping(tp) and len(args) == 2):
        return False
    key = args[0]
    if key is int:
        return True
    if _is_enum(key):
        values = [m.value for m in key]
        return bool(values) and all(type(v) is int for v in values)
    if _is_literal(key):
        return all(type(v) is int for v in get_args(key))
    return False


#: An integer's text as a key holds it, as ``str`` writes it: no sign but a minus, no
#: leading zero, no ``-0``, no space (up to 40 digits: longer is refused as text).
_INTEGER_TEXT: Final = re.compile(r"0|-?[1-9][0-9]{0,39}")


def _number_keys(obj: Mapping[Any, Any]) -> dict[Any, Any]:
    """``obj`` with each key that is an integer's text made that integer (others left, for
    the key's hook to refuse with its path)."""
    match = _INTEGER_TEXT.fullmatch
    return {int(k) if type(k) is str and match(k) else k: v for k, v in obj.items()}


def _with_unset(tp: Any) -> bool:
    """A union of ``Unset`` and something else (``X | Unset``, ``X | None | Unset``): a field
    that may be left out."""
    args = get_args(tp)
    return Unset in args and len(args) > 1 and get_origin(tp) in _UNIONS


def _without_unset(tp: Any) -> Any:
    """``tp`` without ``Unset``: ``X`` of ``X | Unset``."""
    return Union[tuple(a for a in get_args(tp) if a is not Unset)]


_UNIONS: Final = (Union, types.UnionType)


#: The abstract annotations of an array that cattrs has no hook for: read as ``tuple[X, ...]``,
#: written as a list (found by a user: a set in an ``Iterable[str]`` field went to orjson as
#: it was, which refused it, and cattrs could not read the field back at all).
_ABSTRACT_ARRAYS: Final = (abc.Iterable, abc.Collection, typing.Iterable, typing.Collection)


def _abstract_array(tp: Any) -> bool:
    """``Iterable[X]`` or ``Collection[X]``, or bare (of any items: found by a trial, a bare
    ``typing.Iterable`` was left out; see :data:`_ABSTRACT_ARRAYS`)."""
    if tp in _ABSTRACT_ARRAYS:
        return True
    return get_origin(tp) in _ABSTRACT_ARRAYS and len(get_args(tp)) == 1


def _as_tuple(tp: Any) -> Any:
    """``tuple[X, ...]`` for the abstract array annotation ``tp`` (``Any`` for a bare one)."""
    item: Any = get_args(tp)[0] if get_args(tp) else Any
    return tuple[item, ...]


def _fixed_tuple(tp: Any) -> bool:
    args = get_args(tp)
    return get_origin(tp) is tuple and bool(args) and Ellipsis not in args


def _is_json_object(tp: Any) -> bool:
    """A ``FrozenMap`` annotation (bare, or of any JSON value)."""
    if tp is FrozenMap:
        return True
    args = get_args(tp)
    return get_origin(tp) is FrozenMap and (args[-1] is Any or _is_json_value(args[-1]))


def _is_frozen_map_of(tp: Any) -> bool:
    """``FrozenMap[X]`` of anything but a JSON value (``FrozenMap[str]``, ``FrozenMap[Run]``):
    ``X`` is the type of its values (found by an SDK author: cattrs' mapping hook took the one
    argument for the keys' type, so a ``FrozenMap[str]`` let any value through and a
    ``FrozenMap[Run]`` refused every key)."""
    return get_origin(tp) is FrozenMap and not _is_json_object(tp)


def _frozen_map_in(tp: Any, c: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """The structuring hook of ``FrozenMap[X]``: a ``dict[str, X]``'s, held read-only."""
    as_dict = _dict_of(tp)
    hook = c.get_structure_hook(as_dict)
    return lambda obj, _: FrozenMap(hook(obj, as_dict))


def _frozen_map_out(tp: Any, c: cattrs.Converter) -> Callable[[Any], Any]:
    """The unstructuring hook of ``FrozenMap[X]``: a ``dict[str, X]``'s."""
    hook = c.get_unstructure_hook(_dict_of(tp))
    return lambda obj: hook(obj)


def _dict_of(tp: Any) -> Any:
    """``dict[str, X]`` of ``FrozenMap[X]``."""
    return cast(Any, dict)[str, get_args(tp)[0]]


def _own_class(tp: Any) -> bool:
    """An attrs class or dataclass of the user's own (runschema's models have hooks of their
    own): cattrs reads any value as one by looking keys up, a list or a string too."""
    cls = get_origin(tp) or tp
    if not isinstance(cls, type) or _is_model(cls):
        return False
    return attrs.has(cls) or dataclasses.is_dataclass(cls)


def _wrong_count(size: int, value: Any) -> ValidationError:
    """A ``tuple[X, Y]`` (of ``size`` items) given another number of them."""
    code: ErrorCode = "too_few" if len(value) < size else "too_many"
    return _refused(code, f"expected an array of {size} items, got {len(value)}", value)


def _own_unstructure(tp: Any, conv: cattrs.Converter) -> Callable[[Any], Any]:
    """cattrs' own hook for a class of yours, except that a field holding ``UNSET`` (one
    annotated ``X | Unset``) is left out, as runschema's models leave theirs out: the sentinel
    is no JSON (found in use: orjson wrote it as the string ``"UNSET"``); and a
    ValidationError from a value (a naive datetime, say) names the field it is in, and the
    item of an array (cattrs' unstructuring says no path)."""
    base = conv.gen_unstructure_attrs_fromdict(tp)  # cattrs' own, with conv's settings
    cls = get_origin(tp) or tp
    try:
        hints = get_type_hints(cls)
    except Exception:  # what cattrs then makes of them, it says itself
        return base
    fields = attrs.fields(cls) if attrs.has(cls) else dataclasses.fields(cls)
    unsettable = [f.name for f in fields if _may_be_unset(hints.get(f.name))]
    located = [(f.name, hints.get(f.name)) for f in fields]
    # a stream event is written name first, as its frame has it (found by an SDK author: an
    # event of one name, whose data comes first for pattern matching, was written data first)
    event_first = isinstance(cls, type) and issubclass(cls, _Checked)
    # an enum that is also a str, int or float is written by that type's hook, which cannot
    # tell "" from a member: its fields are checked here (found by fuzzing: "" in a
    # ``Colour(str, Enum)`` field was written, then refused when read)
    enums = [(name, tp) for name, tp in located if _is_enum(_not_none(tp))]
    # what cattrs would write wrong without a word: a string or an object iterated as an
    # array, a value of another kind in a union of your classes, an AttributeError from a
    # map's hook (found by fuzzing: "abc" in a tuple[str, ...] field was ["a", "b", "c"])
    shaped = [(name, tp) for name, tp in located if _shape_of(tp) is not None]
    conv_id = id(conv)

    def unstructure_own(v: Any) -> Any:
        failed: dict[tuple[int, Any, int], tuple[Any, ValidationError]] | None
        failed = getattr(_WRITING, "failed", None)
        if failed is None:  # the outermost value of one of your classes being written
            _WRITING.failed = failed = {}
            try:
                return written(v, failed)
            finally:
                _WRITING.failed = None
        return written(v, failed)

    def written(v: Any, failed: dict[tuple[int, Any, int], tuple[Any, ValidationError]]) -> Any:
        # A value that failed once is not written again to find its problems: each level of
        # a deep value writes its fields again to place them, and without this the time grew
        # threefold with each level (found in a trial: 29 s for twelve levels)
        key = (conv_id, cls, id(v))
        known = failed.get(key)
        if known is not None and known[0] is v:
            raise known[1]
        try:
            return write(v)
        except ValidationError as e:
            failed[key] = (v, e)
            raise

    def write(v: Any) -> Any:
        if not isinstance(v, cls):  # found by fuzzing: a str where a class of yours belongs
            # was cattrs' AttributeError (its hook reads the class's fields off the value)
            message = f"expected {_a_class(cls)}, got {json_type(v)}"
            raise ValidationError(
                [ErrorDetail(loc=(), code="type", message=message, input=excerpt(v))]
            )
        wrong: list[ErrorDetail] = []
        for name, enum_tp in enums:
            value = getattr(v, name)
            member_tp = _not_none(enum_tp)
            if value is None and member_tp is not enum_tp:
                continue  # a field of ``E | None`` holding None
            try:
                _enum_member(value, member_tp)
            except ValidationError as e:
                wrong += [attrs.evolve(d, loc=(name,)) for d in e.errors]
                continue
            if not isinstance(value, member_tp):  # a member's value, not the member: found
                # by fuzzing, cattrs' hook read .value off it (an AttributeError)
                message = f"expected a member of {member_tp.__name__}, got {json_type(value)}"
                wrong.append(
                    ErrorDetail(loc=(name,), code="type", message=message, input=excerpt(value))
                )
        for name, shaped_tp in shaped:
            problem = _shape_problem((name,), getattr(v, name), shaped_tp)
            if problem is not None:
                wrong.append(problem)
        if wrong:  # and every other problem, as when read (found by an SDK author)
            placed = {name for name, _ in enums} | {d.loc[0] for d in wrong}
            others = _located(conv, v, [f for f in located if f[0] not in placed])
            raise ValidationError(capped(wrong, others.errors if others else ()))
        try:
            d = base(v)
        except ValidationError as e:
            raise _located(conv, v, located) or e from None
        except (TypeError, AttributeError):  # cattrs' words for a field of another type
            misfit = _misfit(v, located)
            if misfit is None:
                raise
            raise misfit from None
        for name in unsettable:
            if getattr(v, name) is UNSET:
                d.pop(name, None)
        if event_first:
            return {"event": d["event"], "data": d["data"]}
        return d

    return unstructure_own


def _located(
    conv: cattrs.Converter, v: Any, fields: list[tuple[str, Any]]
) -> ValidationError | None:
    """Every problem that unstructuring ``v``'s fields finds, its paths from ``v`` (down to
    the item of an array, the value of a map), as a check's report is capped; None if no
    field raises alone. (Found by an SDK author: only the first was said, where a read
    says every problem.)"""
    wrong: list[ErrorDetail] = []
    for name, tp in fields:
        found = _found(conv, getattr(v, name), tp, (name,))
        if found is not None:
            wrong += found.errors
    return ValidationError(capped(wrong)) if wrong else None


def _found(conv: cattrs.Converter, value: Any, tp: Any, loc: Loc) -> ValidationError | None:
    """The problems unstructuring ``value`` as ``tp`` finds, at ``loc`` and below: those
    of each item of an array, key and value of a map that raises alone, recursively; else
    the value's own."""
    try:
        conv.unstructure(value, unstructure_as=tp)
    except ValidationError as error:
        found = error
    except Exception:  # not ours to place: the caller's error stands
        return None
    else:
        return None
    deeper: list[ErrorDetail] = []
    args = _array_args(tp)
    if isinstance(value, (list, tuple)) and args:
        one_type = args[1:] in ((), (Ellipsis,))  # tuple[X, ...], list[X]
        for i, x in enumerate(value):
            item_tp = args[0] if one_type else args[i] if i < len(args) else None
            item = _found(conv, x, item_tp, (*loc, i))
            if item is not None:
                deeper += item.errors
    map_args = _map_args(tp)
    if isinstance(value, Mapping) and map_args:
        for k, x in value.items():
            at = (*loc, key_text(k))  # a key is text in a path, as when read
            bad_key = _found(conv, k, map_args[0], at)
            if bad_key is not None:  # the key itself: said so, as when read
                deeper += [_about_the_key(d) for d in bad_key.errors]
                continue
            item = _found(conv, x, map_args[-1], at)
            if item is not None:
                deeper += item.errors
    if deeper:
        return ValidationError(capped(deeper))
    return ValidationError([attrs.evolve(d, loc=(*loc, *d.loc)) for d in found.errors])


def _map_args(tp: Any) -> tuple[Any, ...]:
    """The arguments of the map annotation ``tp`` is (or holds, ``| None``): ``(K, V)``
    (``(str, X)`` of ``FrozenMap[X]``)."""
    for t in (tp, *get_args(tp)):
        if _is_frozen_map_of(t):
            return (str, get_args(t)[0])
        if is_mapping(t) and len(get_args(t)) == 2:
            return get_args(t)
    return ()


def _about_the_key(detail: ErrorDetail) -> ErrorDetail:
    """A problem of a mapping's key itself (its type, say), told from one of its value."""
    return attrs.evolve(detail, message=f"the key: {detail.message}")


def _missing(loc: Loc) -> ErrorDetail:
    return ErrorDetail(loc=loc, code="missing", message=f"required key {loc[-1]!r} is missing")


def _a_class(cls: type[Any]) -> str:
    """How a problem names a value of a class of yours: what it is written as, and its name."""
    return f"an object (a {cls.__name__})"


def _not_none(tp: Any) -> Any:
    """``X`` of ``X | None`` (``tp`` itself otherwise)."""
    args = get_args(tp)
    if type(None) in args and (get_origin(tp) is Union or isinstance(tp, types.UnionType)):
        rest = tuple(a for a in args if a is not type(None))
        return rest[0] if len(rest) == 1 else Union[rest]
    return tp


def _shape_of(tp: Any) -> str | None:
    """What a field annotated ``tp`` (``| None`` aside) holds that cattrs' hook would write
    whatever it is given: ``"array"``, ``"object"`` (a map), ``"event"`` (a stream event),
    ``"own"`` (a union of your classes); else None."""
    inner = _not_none(tp)
    if (
        get_origin(inner) in (list, tuple, set, frozenset)
        or is_sequence(inner)
        or is_any_set(inner)
        or _abstract_array(inner)
    ):
        return "array"
    if is_mapping(inner):
        return "object"
    if inner in EVENT_CLASSES or event_union(inner) is not None:
        return "event"
    args = get_args(inner)
    union = get_origin(inner) is Union or isinstance(inner, types.UnionType)
    if union and args and event_union(inner) is None and all(map(_own_class, args)):
        return "own"  # (events have a hook of their own, which reads the name)
    return None


def _misshapen(value: Any, tp: Any) -> str | None:
    """What a field annotated ``tp`` expects where ``value`` is not it (None if it is, or if
    ``value`` is None in a field of ``X | None``); see :func:`_shape_of`."""
    inner = _not_none(tp)
    if value is None and inner is not tp:
        return None
    shape = _shape_of(tp)
    if shape == "array":
        if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
            return "an array"
    elif shape == "object":
        if not isinstance(value, Mapping):
            return "an object"
    elif shape == "event":
        members = tuple(event_union(inner) or (inner,))
        if not isinstance(value, members):
            return "an event object"
    elif shape == "own":
        classes = tuple(get_origin(a) or a for a in get_args(inner) if a is not type(None))
        if not isinstance(value, classes):
            return "an object (" + " or ".join(f"a {c.__name__}" for c in classes) + ")"
    return None


def _union_of_classes(tp: Any) -> bool:
    """A union of your classes, or of stream events (``| None`` too)."""
    union = get_origin(tp) is Union or isinstance(tp, types.UnionType)
    return union and _shape_of(tp) in ("own", "event")


def _union_out(tp: Any, conv: cattrs.Converter) -> Callable[[Any], Any]:
    """The unstructuring hook of a union of your classes (or events): a member's own, a
    ``type`` problem for any other value (found by a user: a class of yours outside the
    union, in a ``list[A | B]``, was written, then refused when read; cattrs' union hook
    writes whatever class the value is)."""
    nullable = type(None) in get_args(tp)

    def out(v: Any) -> Any:
        if v is None and nullable:
            return None
        problem = _shape_problem((), v, tp)
        if problem is not None:
            raise ValidationError([problem])
        return conv.unstructure(v, unstructure_as=type(v))

    return out


def _shape_problem(loc: Loc, value: Any, tp: Any) -> ErrorDetail | None:
    """The ``type`` problem, at ``loc``, of ``value`` where its annotation ``tp`` asks for
    another shape (see :func:`_misshapen`), or None."""
    expected = _misshapen(value, tp) if _shape_of(tp) is not None else None
    if expected is None:
        return None
    message = f"expected {expected}, got {json_type(value)}"
    return ErrorDetail(loc=loc, code="type", message=message, input=excerpt(value))


def _misfit(v: Any, fields: list[tuple[str, Any]]) -> ValidationError | None:
    """The ``type`` problem of the first field of ``v`` whose value is not the shape its
    annotation asks for (found by fuzzing: ``None`` in a ``list[float]`` field raised
    cattrs' TypeError when written); None when none is (the error is another's)."""
    for name, tp in fields:
        problem = _shape_problem((name,), getattr(v, name), tp)
        if problem is not None:
            return ValidationError([problem])
    return None


def _array_args(tp: Any) -> tuple[Any, ...]:
    """The arguments of the array annotation ``tp`` is (or holds, ``| None``): ``(X, ...)``
    of ``tuple[X, ...]``, ``(X, Y)`` of ``tuple[X, Y]``, ``(X,)`` of ``list[X]``; else ``()``."""
    for t in (tp, *get_args(tp)):
        if get_origin(t) in (tuple, list) or is_sequence(t) or _abstract_array(t):
            return get_args(t)
    return ()


def _may_be_unset(tp: Any) -> bool:
    """Whether an annotation admits ``UNSET`` (``Unset``, ``X | Unset``, nested ones too)."""
    return tp is Unset or any(_may_be_unset(a) for a in get_args(tp))


def _guard_containers(c: cattrs.Converter) -> None:
    """Make ``c``'s hooks for arrays and objects refuse what JSON would not give: each
    checks the input's type, then runs cattrs' own hook for the annotation (of the converter
    asking, ``c`` or a copy of it)."""
    # The annotations whose cattrs hook this thread is fetching: for those the guard steps
    # aside, so that the fetch finds cattrs' own hook (other threads are not affected).
    local = threading.local()

    def is_container(tp: Any) -> bool:
        building: set[Any] | None = getattr(local, "building", None)
        try:
            if building is not None and tp in building:
                return False
        except TypeError:  # an unhashable annotation: left to cattrs
            return False
        return (
            is_sequence(tp)
            or is_mapping(tp)
            or is_any_set(tp)
            or get_origin(tp) is tuple
            or _own_class(tp)
        )

    def factory(tp: Any, conv: cattrs.BaseConverter) -> Callable[[Any, Any], Any]:
        building: set[Any] | None = getattr(local, "building", None)
        if building is None:
            building = local.building = set()
        building.add(tp)
        try:
            inner = conv.get_structure_hook(tp, cache_result=False)
        finally:
            building.discard(tp)
        if is_mapping(tp) or _own_class(tp):
            accepted: tuple[type[Any], ...] = (Mapping,)
            expected = "an object"
        elif is_any_set(tp):
            accepted, expected = (list, tuple, set, frozenset), "an array"
        else:
            accepted, expected = (list, tuple), "an array"
        size = len(get_args(tp)) if _fixed_tuple(tp) else None
        number_keys = _number_keyed(tp)

        def hook(obj: Any, t: Any) -> Any:
            if not isinstance(obj, accepted):
                raise _type_error(expected, obj)
            if size is not None and len(obj) != size:  # tuple[X, Y]: exactly so many
                raise _wrong_count(size, obj)
            if number_keys:
                obj = _number_keys(obj)
            return inner(obj, t)

        if not conv.detailed_validation:
            plain = hook

            def hook(obj: Any, t: Any) -> Any:
                try:
                    return plain(obj, t)
                except SchemaError as e:
                    raise _unplaced(e) from None

        return _guarded(conv, tp, inner, hook)

    c.register_structure_hook_factory(is_container, factory)


def _unplaced(e: SchemaError) -> ValidationError:
    """A model's problems, found below a container or a class of yours by a converter
    without detailed validation: cattrs then says nowhere where the model was, so its
    paths, which start at the model, are not paths from your root. Each is at the root,
    its place within the model said in the message (found in use: ``$.status`` for the
    status of ``$.runs[1]``, sent back as a 400's ``param``)."""
    return ValidationError(
        [
            attrs.evolve(
                d,
                loc=(),
                message=f"{d.message} (at {d.path[1:]} of a value within: a converter with "
                "detailed_validation=False keeps no paths)",
            )
            if d.loc
            else d
            for d in e.errors
        ]
    )


def _guarded(
    conv: cattrs.BaseConverter,
    tp: Any,
    inner: Callable[[Any, Any], Any],
    hook: Callable[[Any, Any], Any],
) -> Callable[[Any, Any], Any]:
    """``hook``, the guarded form of cattrs' ``inner`` for ``tp``, put where cattrs looks
    first: cattrs registers some hooks it makes (a mapping's) as the annotation's own, which
    then come before any factory (found in use: a second class with a dict[str, int] field
    took a list, and raised AttributeError)."""
    dispatch = getattr(conv, "_structure_func", None)
    direct = getattr(dispatch, "_direct_dispatch", None)
    if isinstance(direct, dict) and direct.get(tp) is inner:
        dispatch.register_cls_list([(tp, hook)], direct=True)  # type: ignore[union-attr]
    return hook


LENIENT: Final[cattrs.Converter] = _make(strict=False)
"""The lenient converter: forward compatible and lossless (the default for decoding).

>>> import attrs, runschema
>>> @attrs.frozen
... class Page:
...     data: tuple[runschema.Run, ...]
...     has_more: bool
>>> page = runschema.LENIENT.structure(
...     {"data": [runschema.unstructure(runschema.loads(runschema.seed_example(),
...      runschema.Run))], "has_more": False}, Page)
>>> page.data[0].status
'completed'
"""

STRICT: Final[cattrs.Converter] = _make(strict=True)
"""The strict converter: the published schema exactly, for services validating input."""


def errors_of(exc: BaseException, converter: cattrs.BaseConverter | None = None) -> ValidationError:
    """Every problem under an exception from :data:`LENIENT` or :data:`STRICT` (or from
    :func:`runschema.structure`), as one ValidationError with paths from your root.

    cattrs reports a class of your own that holds runschema models as nested exception
    groups, with paths relative to each model; this reads them whole: a problem in the first
    run of a page's ``data`` is at ``$.data[0].status``, with runschema's code (``enum``). A
    missing key of your own class is ``missing``; an exception of your own validators is
    ``invalid_value`` with its message, at the field it names (as attrs' validators do), else
    at the object; a key that cattrs' ``forbid_extra_keys`` refused is ``unknown_field`` at the
    key. An exception that says nothing about the data (a NameError, a hook cattrs could not
    find) is raised again, as it was: that is a bug to see, not a problem to report.

    ``converter``: the one that raised, when hooks of yours rename keys (cattrs'
    ``override(rename=...)``): paths then name the keys as the document has them, not your
    attributes (cattrs' notes name the attribute).

    >>> import attrs, runschema
    >>> @attrs.frozen
    ... class Page:
    ...     data: tuple[runschema.Run, ...]
    >>> doc = runschema.unstructure(runschema.loads(runschema.seed_example(), runschema.Run))
    >>> try:
    ...     runschema.STRICT.structure({"data": [dict(doc, status="paused")]}, Page)
    ... except Exception as e:
    ...     print(runschema.errors_of(e).errors[0])
    $.data[0].status: expected one of 'queued', 'in_progress', 'requires_action', \
'cancelling', 'cancelled', 'failed', 'completed', 'incomplete', 'expired', got 'paused' [enum]
    """
    found: list[ErrorDetail] = []
    count, at_least = _collect(exc, found, converter)
    if count > len(found):
        found.append(left_out_entry(count - len(found), at_least=at_least))
    return ValidationError(found)


def _collect(
    exc: BaseException, found: list[ErrorDetail], converter: cattrs.BaseConverter | None
) -> tuple[int, bool]:
    """Append the problems under ``exc`` (at most MAX_PROBLEMS in all), in order; return how
    many there were, and whether that is a lower bound (a check under it stopped counting).

    The groups are walked with a stack of their own, not by recursion: cattrs nests a group a
    level of your data, as deep as Python's recursion limit lets it (found in use: a deep
    document made this function raise RecursionError)."""
    count, at_least = 0, False
    todo: list[tuple[BaseException, Loc, bool]] = [(exc, (), False)]
    while todo:
        exc, prefix, of_key = todo.pop()  # of_key: the problem is a mapping's key itself
        if isinstance(exc, SchemaError):
            # a nested report's own "N more problems" entry is counted, not listed
            for d in exc.errors:
                if len(found) < MAX_PROBLEMS and d.code != "too_many_problems":
                    if of_key and not d.loc:
                        d = _about_the_key(d)
                    found.append(attrs.evolve(d, loc=(*prefix, *d.loc)))
            n, bound = problem_count(exc.errors)
            count, at_least = count + n, at_least or bound
            continue
        if isinstance(exc, (ClassValidationError, IterableValidationError)):
            with_notes, without = exc.group_exceptions()
            cl = getattr(exc, "cl", None)  # a class's own validators raise with no note
            keys = _keys_of(converter, cl)
            subs = [
                (sub, (*prefix, _step(note, keys)), note.startswith(_KEY_NOTE))
                for sub, note in with_notes
            ]
            subs += [
                (sub, (*prefix, *(keys.get(n, n) for n in _validated(sub, cl))), False)
                for sub in without
            ]
            todo.extend(reversed(subs))  # popped in their order
            continue
        group = getattr(exc, "exceptions", None)  # another exception group
        if isinstance(group, tuple):
            todo.extend((sub, prefix, of_key) for sub in reversed(group))
            continue
        if isinstance(exc, ForbiddenExtraKeysError):  # forbid_extra_keys: each key, at itself
            # (named as text: found by fuzzing, a None key could not be sorted or rendered)
            for key in sorted(map(key_text, exc.extra_fields)):
                count += 1
                if len(found) < MAX_PROBLEMS:
                    message = f"unknown key {quoted(key)} is not allowed"
                    found.append(
                        ErrorDetail(loc=(*prefix, key), code="unknown_field", message=message)
                    )
            continue
        if (
            not isinstance(exc, _DATA_ERRORS)
            or isinstance(exc, _AnnotationError)
            or _in_hook_making(exc)
        ):
            raise exc  # a bug (NameError, a hook cattrs could not find): not the data's fault
        count += 1
        if len(found) < MAX_PROBLEMS:
            found.append(_problem_of(exc, prefix))
    return count, at_least


def _of_cattrs(exc: BaseException) -> bool:
    """Whether ``exc`` was raised in a function cattrs generated (a class's structuring
    function looking its keys up), not in a hook called from one."""
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_filename.startswith("<cattrs generated")


def _frames(exc: BaseException) -> list[Any]:
    """The frames ``exc`` went through, outermost first."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames


def _in_hook_making(exc: BaseException) -> bool:
    """Whether ``exc`` was raised while cattrs made a hook, not while one ran: a union of
    your own it cannot tell apart (``Run | Tool``) is a TypeError there, about the class and
    not the data (found in use: it was reported as the data's ``invalid_value``)."""
    return any(
        frame.f_code.co_name == "create_default_dis_func"
        and frame.f_code.co_filename.endswith(_DISAMBIGUATORS)
        for frame in _frames(exc)
    )


def _union_refusal(exc: BaseException) -> ErrorDetail | None:
    """The problem for what cattrs' function telling a union of your own classes apart
    raised on the data (its own words are about its workings), or None."""
    if not isinstance(exc, (ValueError, KeyError, TypeError)):
        return None
    frames = _frames(exc)
    if not frames or not frames[-1].f_code.co_filename.endswith(_DISAMBIGUATORS):
        return None
    seen = frames[-1].f_locals
    data = seen.get("data", BAD)  # what the function was given
    shown = None if data is BAD else excerpt(data)
    tag, tags = seen.get("best_discriminator"), seen.get("final_mapping")
    if isinstance(tag, str) and isinstance(data, Mapping) and isinstance(tags, Mapping):
        # told apart by a Literal field (``kind: Literal["square"]``): found by fuzzing,
        # an unknown tag was reported as a missing key named after the tag's value
        if tag not in data:
            return _missing((tag,))
        allowed = ", ".join(quoted(_plain_value(t)) for t in tags)
        message = f"expected one of {allowed}, got {quoted(data[tag])}"
        return ErrorDetail(
            loc=(tag,), code="unknown_tag", message=message, input=excerpt(data[tag])
        )
    if not isinstance(exc, ValueError):
        return None
    said = str(exc)
    if said.startswith("Only input mappings"):
        got = "another type" if data is BAD else json_type(data)
        message = f"expected an object, got {got}"
        return ErrorDetail(loc=(), code="type", message=message, input=shown)
    if said.startswith("Couldn't disambiguate"):
        message = "an object none of the union's classes can be told by its keys"
        return ErrorDetail(loc=(), code="invalid_value", message=message, input=shown)
    return None


_DISAMBIGUATORS: Final = ("cattrs/disambiguators.py", "cattrs\\disambiguators.py")


#: What hooks and validators raise for data they refuse, besides runschema's own errors:
#: anything else under cattrs' groups (a NameError, cattrs' StructureHandlerNotFoundError) is
#: a bug, which ``errors_of`` raises again rather than report as the data's problem.
_DATA_ERRORS: Final = (KeyError, ValueError, TypeError, ArithmeticError, RecursionError)


class _AnnotationError(TypeError):
    """A class of yours that no hook can be made for (a field annotated with the models'
    base class): a bug in the class, never the data's fault, so :func:`errors_of` raises it
    again (found by a server author: it became a 400 with code ``invalid_value``)."""


def _problem_of(exc: BaseException, prefix: Loc) -> ErrorDetail:
    """The problem an exception that is no runschema error stands for, at ``prefix``."""
    union = _union_refusal(exc)
    if union is not None:
        return attrs.evolve(union, loc=(*prefix, *union.loc))
    if isinstance(exc, KeyError) and prefix:
        said = exc.args[0] if exc.args and isinstance(exc.args[0], (str, int)) else None
        if _of_cattrs(exc):  # the class's own key, absent: at the note's attribute
            key = said if isinstance(said, str) and isinstance(prefix[-1], str) else prefix[-1]
            loc = (*prefix[:-1], key)  # the key looked up: renamed, it is not the attribute
        else:  # a hook of yours looked a key up in the value it was given
            loc = prefix if said is None else (*prefix, said)
        return _missing(loc)
    if isinstance(exc, RecursionError):  # cattrs' hooks ran out of stack here
        message = "nested too deeply to check (Python's recursion limit)"
        return ErrorDetail(loc=prefix, code="too_deep", message=message)
    said = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    return ErrorDetail(
        loc=prefix, code="invalid_value", message=f"{type(exc).__name__}: {excerpt(said, 200)}"
    )


#: How attrs' validators name the field they refuse: ``'n' must be >= 0: -1``.
_NAMED: Final = re.compile(r"'([A-Za-z_][A-Za-z0-9_]*)' must")


def _validated(exc: BaseException, cl: Any) -> tuple[str, ...]:
    """The field of ``cl`` that a validator's exception is about, when it says: attrs'
    validators pass the field (``instance_of``, ``in_``) or name it in their message
    (``ge``, ``max_len``); else nothing (the problem stays at the object)."""
    if not (isinstance(cl, type) and attrs.has(cl)):
        return ()
    names = attrs.fields_dict(cl)
    for arg in exc.args:
        if isinstance(arg, attrs.Attribute) and arg.name in names:
            return (arg.name,)
    said = exc.args[0] if exc.args and isinstance(exc.args[0], str) else ""
    m = _NAMED.search(said)
    return (m[1],) if m is not None and m[1] in names else ()


#: How cattrs' notes start for a mapping's keys and values: their index is the key.
_KEY_NOTE: Final = "Structuring mapping key"
_MAPPING_NOTE: Final = "Structuring mapping"


def _step(note: Any, keys: Mapping[str, str]) -> str | int:
    if isinstance(note, AttributeValidationNote):
        return keys.get(note.name, note.name)
    if note.startswith(_MAPPING_NOTE):  # a key: a document's keys are text
        return key_text(note.index)
    return note.index  # type: ignore[no-any-return]


def key_text(key: object) -> str:
    """A mapping's key as a JSON object writes it: Python lets a dict key be anything
    (``{2: ...}``, ``{None: ...}``), a location names it as text (``$['2']``, ``$['null']``),
    so that every path renders (found by fuzzing: a None key crashed ``errors_of``)."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool):
        return {None: "null", True: "true", False: "false"}[key]
    if not isinstance(key, int):
        return repr(key)
    try:
        return str(int(key))
    except ValueError:  # an integer past Python's digit limit for text
        return f"<an integer of {key.bit_length()} bits>"


def _keys_of(converter: cattrs.BaseConverter | None, cl: Any) -> Mapping[str, str]:
    """The keys ``converter``'s hook for the class ``cl`` reads renamed, by attribute: what a
    hook made by cattrs' ``make_dict_structure_fn`` carries as its ``overrides``."""
    if converter is None or not isinstance(cl, type):
        return {}
    try:
        hook = converter.get_structure_hook(cl)
    except Exception:  # no hook to ask (it raised on the way, say): attributes it is
        return {}
    overrides = getattr(hook, "overrides", None)
    if not isinstance(overrides, Mapping):
        return {}
    renamed = ((name, getattr(o, "rename", None)) for name, o in overrides.items())
    return {name: key for name, key in renamed if isinstance(key, str)}
