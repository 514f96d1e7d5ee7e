"""Small value types shared by the models: the UNSET sentinel, open-enum values, frozen maps."""

from __future__ import annotations

import enum
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, ValuesView
from typing import (
    TYPE_CHECKING,
    Any,
    Final,
    ForwardRef,
    Literal,
    NoReturn,
    TypeAlias,
    TypeVar,
    Union,
    overload,
)

import attrs
import orjson

__all__ = [
    "UNSET",
    "FrozenMap",
    "JsonValue",
    "ReadOnlyDict",
    "UnknownValue",
    "Unset",
    "enum_text",
    "expect",
    "frozen_map",
    "json_number_key",
]

_V = TypeVar("_V")
_K = TypeVar("_K")
_T = TypeVar("_T")

if TYPE_CHECKING:
    JsonValue: TypeAlias = Union[
        bool, int, float, str, tuple["JsonValue", ...], Mapping[str, "JsonValue"], None
    ]
else:
    # The alias names itself through a reference tied to this module, so that resolving the
    # annotations of a class of yours (``from __future__ import annotations``, where cattrs
    # and attrs evaluate them) looks it up here, not in your module (a NameError there).
    _ITSELF = ForwardRef("JsonValue", module=__name__)
    JsonValue = Union[bool, int, float, str, tuple[_ITSELF, ...], Mapping[str, _ITSELF], None]
"""A JSON value as runschema keeps it: arrays are tuples, objects are read-only mappings."""


class Unset(enum.Enum):
    """The type of :data:`UNSET`: a key that may be absent from the wire and is.

    A one-member enum, so that ``x is UNSET`` narrows the type for mypy.
    """

    # Bytes, which orjson (and json) refuse to write: the sentinel in data on its way to the
    # wire is a TypeError, not the string "UNSET" read back as a value (found in use, through
    # a hook of a user's own that wrote every field).
    UNSET = b"UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:  # so that ``if run.temperature:`` narrows it out
        return False


UNSET: Final = Unset.UNSET
"""Marks an optional key as absent: it is left out when encoding.

>>> from runschema import UNSET, Run
>>> Run.__attrs_attrs__.temperature.default is UNSET
True
"""


@attrs.frozen(kw_only=True)
class UnknownValue:
    """A string an open enum does not know yet, kept as it came (lenient mode only).

    ``status``, ``last_error.code`` and the other closed-by-spec string sets are typed as
    ``Literal[...known values...] | UnknownValue``: a newer server's value decodes to
    ``UnknownValue(value="paused")`` instead of failing, and encodes back unchanged. Strict mode
    rejects it.

    >>> UnknownValue(value="paused").value
    'paused'
    >>> match UnknownValue(value="paused"):
    ...     case UnknownValue(v):
    ...         print(v)
    paused
    """

    __match_args__ = ("value",)

    value: str = attrs.field()

    @value.validator
    def _a_string(self, _: Any, value: object) -> None:
        # found by fuzzing: UnknownValue(value=[1]) was built, then written as [1], which no
        # read gives back (and it could not be hashed)
        if not isinstance(value, str):
            raise TypeError(f"UnknownValue.value is a string, not {type(value).__name__}")


def enum_text(value: str | UnknownValue) -> str:
    """An open enum's value as the wire has it: the string, known or not.

    >>> enum_text("queued"), enum_text(UnknownValue(value="paused"))
    ('queued', 'paused')
    """
    return value.value if isinstance(value, UnknownValue) else value


def expect(value: object, cls: type[Any] | tuple[type[Any], ...], what: str) -> None:
    """TypeError unless ``value`` is a ``cls``: a helper given another kind of argument (a
    dict where it takes a model, say) says so, rather than failing inside.

    >>> expect({}, int, "limit")
    Traceback (most recent call last):
    TypeError: limit is an int, not a dict
    """
    if not isinstance(value, cls):
        names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))
        raise TypeError(f"{what} is {_a(names)}, not {_a(type(value).__name__)}")


def _a(name: str) -> str:
    vowel = name[0] in "AEIOUaeiou" and not name.lower().startswith(("us", "uni"))  # a Usage
    return f"{'an' if vowel else 'a'} {name}"


class ReadOnlyDict(dict[_K, _T]):
    """A ``dict`` nobody can change: every mutating method raises ``TypeError``; it pickles
    and copies (to itself). runschema's public tables are ones (``RUN_TRANSITIONS``,
    ``EVENT_DATA``, ``ERROR_CODES``, ``ERRATA``), holding any values and comparing as dicts
    do; :class:`FrozenMap` is one for JSON values."""

    __slots__ = ()

    if not TYPE_CHECKING:  # type checkers keep dict's constructor, and its inference
        # Filled when made, by __new__; __init__ is object's, which does nothing: dict's
        # would fill a map again in place when called on it (``m.__init__(k=1)``: found by
        # a user's trial, changing a JSON Schema every run of an assistant shares).
        def __new__(cls, *args, **kwargs):
            self = dict.__new__(cls)
            dict.update(self, *args, **kwargs)
            return self

        __init__ = object.__init__

    def _readonly(self, *args: object, **kwargs: object) -> NoReturn:
        """Raise TypeError: the map is read-only."""
        raise TypeError(f"{type(self).__name__} is read-only")

    # declared, not bound to _readonly alone: pyright takes a bare assignment for an
    # unannotated override (``--verifytypes``, found by an SDK author's typing trial)
    __setitem__: Callable[..., NoReturn] = _readonly
    __delitem__: Callable[..., NoReturn] = _readonly
    __ior__: Callable[..., NoReturn] = _readonly
    clear: Callable[..., NoReturn] = _readonly
    pop: Callable[..., NoReturn] = _readonly
    popitem: Callable[..., NoReturn] = _readonly
    setdefault: Callable[..., NoReturn] = _readonly
    update: Callable[..., NoReturn] = _readonly

    def __reduce__(self) -> tuple[type[ReadOnlyDict[_K, _T]], tuple[dict[_K, _T]]]:
        return (type(self), (dict(self),))

    def __copy__(self) -> ReadOnlyDict[_K, _T]:
        return self

    def __deepcopy__(self, memo: object) -> ReadOnlyDict[_K, _T]:
        return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict.__repr__(self)})"


class FrozenMap(ReadOnlyDict[str, _V]):
    """A read-only ``dict``: every mutating method raises ``TypeError``.

    Used for ``metadata``, function ``parameters``, json_schema ``schema``, unknown keys and the
    raw data of unknown union arms. It is a ``dict`` subclass, so ``orjson`` encodes it
    directly; it is picklable, copyable and hashable. Being immutable, one may be shared: runs
    decoded from JSON that carry the same JSON Schema (runs of one assistant do) get one copy
    of it, so compare them with ``==``, not ``is``.

    A JSON value inside is read-only too, and made so only when it is read: an object comes out
    as a FrozenMap, an array as a tuple (of such values), however it is reached (``m[k]``,
    ``get``, ``values()``, ``items()``, ``dict(m)``, ``{**m}``, ``m | other``). So a decoded JSON
    Schema that nobody reads costs a copy of its top level, not a walk through all of it.

    Equality is JSON's: two maps are equal when they encode to the same JSON text, key order
    aside (``{"a": True}`` and ``{"a": 1}``, or ``1`` and ``1.0``, are not equal, though Python
    alone would call them so), and they hash accordingly. The constructor checks nothing of
    what it is given (a model checks its fields' maps): one holding what JSON cannot (NaN,
    integer keys, other objects) compares and hashes as Python's values do.

    >>> m = FrozenMap({"user_id": "u1", "tags": ["a", {"b": 1}]})
    >>> m["user_id"]
    'u1'
    >>> m["tags"]
    ('a', FrozenMap({'b': 1}))
    """

    # No slots of its own. Every mutating method raises (ReadOnlyDict's). runschema builds
    # its own with ``frozen_map``, from containers that are its own.
    __slots__ = ()

    if not TYPE_CHECKING:  # type checkers keep dict's constructor, and its inference

        def __new__(cls, *args, **kwargs):
            # The containers inside are copied: yours stay yours to change, and a change to
            # them cannot reach the map, its equality or its hash (found by a user's trial).
            self = super().__new__(cls, *args, **kwargs)
            for k, v in dict.items(self):
                if isinstance(v, (dict, list, tuple)) and type(v) is not FrozenMap:
                    dict.__setitem__(self, k, _own(v))
            return self

    # Reading: a nested JSON container comes out read-only (see the class docstring).
    def __getitem__(self, key: str) -> _V:
        return _frozen(dict.__getitem__(self, key))  # type: ignore[no-any-return]

    @overload
    def get(self, key: str, default: None = None, /) -> _V | None: ...
    @overload
    def get(self, key: str, default: _V, /) -> _V: ...
    @overload
    def get(self, key: str, default: _T, /) -> _V | _T: ...
    def get(self, key: str, default: Any = None, /) -> Any:
        """The value of ``key``, read-only (as ``m[key]`` gives it), else ``default``."""
        v = dict.get(self, key, _MISSING)
        return default if v is _MISSING else _frozen(v)

    def values(self) -> ValuesView[_V]:  # type: ignore[override]
        """The values, each read-only (as ``m[key]`` gives it)."""
        return ValuesView(self)

    def items(self) -> ItemsView[str, _V]:  # type: ignore[override]
        """The ``(key, value)`` pairs, each value read-only (as ``m[key]`` gives it)."""
        return ItemsView(self)

    def __iter__(self) -> Iterator[str]:
        # Defined here so that dict(m), {**m} and dict.update(m) go through keys() and
        # __getitem__ (CPython copies a dict's entries directly only when it iterates as a
        # plain dict does), and so see read-only values.
        return dict.__iter__(self)

    def __or__(self, other: Any) -> FrozenMap[Any]:  # type: ignore[override]
        if not isinstance(other, Mapping):
            return NotImplemented
        return FrozenMap({**self, **other})

    def __ror__(self, other: Any) -> FrozenMap[Any]:  # type: ignore[override]
        if not isinstance(other, Mapping):
            return NotImplemented
        return FrozenMap({**other, **self})

    def copy(self) -> FrozenMap[_V]:
        """The map itself: nobody can change it, so it is its own copy."""
        return self

    @classmethod
    def fromkeys(cls, iterable: Iterable[str], value: Any = None, /) -> FrozenMap[Any]:  # type: ignore[override]
        """A map of each key of ``iterable`` to ``value`` (dict's own raised: it stores into
        the new map one key at a time)."""
        return cls(dict.fromkeys(iterable, value))

    # Equality is JSON's (see the class docstring).
    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Mapping):
            return NotImplemented
        try:
            return _canonical(self) == _canonical(other)
        except (TypeError, orjson.JSONEncodeError):  # not JSON: compared as Python values
            return dict(self) == dict(other)

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:  # type: ignore[override]
        try:
            return hash(_canonical(self))
        except (TypeError, orjson.JSONEncodeError):
            return hash(frozenset(self.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({dict(self)!r})"  # nested values as they read


#: orjson options for values that may hold anything: it writes datetimes and dataclasses, which
#: are not JSON, and segfaults on a datetime whose tzinfo raises (orjson 3.13); with these it
#: raises TypeError for them instead.
SAFE: Final = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


_MISSING: Final = object()


def _frozen(v: Any) -> Any:
    """A JSON value read out of a FrozenMap: objects as FrozenMaps, arrays as tuples of such."""
    t = type(v)
    if t is dict:
        return frozen_map(v)
    if t is list:
        return tuple([_frozen(x) for x in v])
    return v


def _own(v: Any) -> Any:
    """A copy of the containers in a value: dicts as dicts, lists and tuples as lists (read
    out as tuples), a FrozenMap as it is (its own already); iterative, for any depth."""
    root: list[Any] = [v]
    stack: list[tuple[Any, Any]] = [(root, 0)]  # (a copy, a key or index in it to fill)
    while stack:
        parent, at = stack.pop()
        x = parent[at]
        if type(x) is FrozenMap or not isinstance(x, (dict, list, tuple)):
            continue
        if isinstance(x, dict):
            copied: Any = dict(dict.items(x))
            stack.extend((copied, k) for k in copied)
        else:
            copied = list(x)
            stack.extend((copied, i) for i in range(len(copied)))
        parent[at] = copied
    return root[0]


_new_dict: Final = dict.__new__
_fill: Final = dict.update


def frozen_map(d: Mapping[str, _V]) -> FrozenMap[_V]:
    """``FrozenMap(d)``, made with two C calls instead of the class's own ``__new__``."""
    m: FrozenMap[_V] = _new_dict(FrozenMap)
    _fill(m, d)
    return m


def _canonical(value: object) -> bytes:
    """The JSON text of a value with object keys sorted: equal for equal JSON values only."""
    # indented: orjson's compact writer must not be given a value deeper than about 116
    # levels (see runschema._kinds.MAX_DEPTH), and a map built in Python may be any depth
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2 | SAFE)


def json_number_key(value: object) -> object:
    """The equality key of a JSON number field: its JSON text (``1``, ``1.0`` and ``-0.0``
    encode differently, so they compare unequal); ``None`` and ``UNSET`` as they are.

    >>> json_number_key(1) == json_number_key(1.0)
    False
    """
    if value is None or value is UNSET or type(value) not in (int, float):
        return value
    return orjson.dumps(value)
