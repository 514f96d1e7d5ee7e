"""The schema language: how a model is declared, and the wire kind each annotation means.

A model is a frozen, slotted, keyword-only attrs class deriving from :class:`_Model`. Its field
names are the wire names, and each field's wire *kind* (see ``_kinds``) is derived from its
annotation, once per class, on first use. Only constraints are declared beside the type, in
``Annotated``. The rules, one example each:

==========================================  ===================================================
annotation                                  on the wire
==========================================  ===================================================
``name: str``                               a string (``int``, ``float``, ``bool`` likewise;
                                            no coercion ever, an integer is a number)
``created_at: datetime``                    unix seconds; an aware UTC ``datetime`` in Python
``type: Literal["function"] = "function"``  that one string (a union arm's tag)
``order: Literal["asc", "desc"]``           one of these strings, in both modes
``status: RunStatus | UnknownValue``        one of the ``Literal`` alias's strings; lenient
                                            mode keeps others as ``UnknownValue``
``tools: tuple[Tool, ...]``                 an array
``content: str | tuple[Part, ...]``         a string, or an array
``metadata: Metadata | None = None``        ``Mapping[str, str]``: metadata, with the limits
                                            the spec's text gives (16 pairs, 64/512 chars)
``parameters: JsonObject | Unset = ...``    ``Mapping[str, JsonValue]``: any JSON object,
                                            held read-only
``usage: Usage``                            an object of that model
``tool: Tool``                              ``A | B | UnknownX``: objects told apart by their
                                            ``type`` field (each arm's ``Literal``); the
                                            ``UnknownX`` arm keeps other tags (lenient)
``choice: Literal["auto"] | UnknownValue    a string of the set, or a tagged object
| A | UnknownX``
``x: T | None = None``                      nullable: the key must be there, maybe ``null``
                                            (the default, ``None``, is written as ``null``)
``x: T | Unset = UNSET``                    optional: the key may be absent (``UNSET`` is
                                            left out)
``Annotated[int, Ge(256)]``                 bounds (``Ge``, ``Le``) and array lengths
                                            (``MaxLen``, ``MinLen``), declared once,
                                            beside the type
``Annotated[str, Pattern(regex, what)]``    a string strict mode holds to a form (matched
                                            whole; ``what`` names it in messages)
``Annotated[str | None, Erratum(key)]``     a deliberate departure from the published spec,
                                            listed with its reason in ``ERRATA``
==========================================  ===================================================

A class sets ``__rs_closed__ = True`` when the schema says ``additionalProperties: false``
(strict mode then rejects unknown keys), ``__rs_required_if__ = (("function", "type",
"function"),)`` when an optional key is required while another holds a value, and
``__rs_one_of__ = (("a", "b"),)`` when exactly
one of those optional keys must be present (the schema's ``oneOf`` of ``required``).
Defaults must say what the annotation says (the derivation checks): ``UNSET`` for optional
fields, ``None`` for required nullable ones, the constant for a ``Literal`` tag. A required
field may have a default for Python's sake (``object: str = "list"``): the key stays required
on the wire. A field typed ``float``
compares by its JSON text (``attrs.field(eq=json_number_key)``: ``1`` and ``1.0`` encode
differently); a JSON object field takes any JSON-like mapping in Python
(``attrs.field(converter=json_in)``).

A new union is written once as a type alias of its arms, and registered with :func:`unions`
so that its unknown arm knows the tags it must not hold.

>>> from runschema import Run
>>> from runschema._kinds import spec_of
>>> [f.name for f in spec_of(Run).fields][:3]
['id', 'object', 'created_at']
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, ClassVar, Final, Literal, Union, get_args, get_origin

import attrs

from ._errata import ERRATA
from ._fastcheck import check_built
from ._kinds import (
    Array,
    Bool,
    Const,
    Enum,
    Extra,
    FieldInfo,
    Int,
    JsonObject,
    Kind,
    Model,
    Num,
    Spec,
    Str,
    StrMap,
    StrOr,
    StrOrArray,
    Tagged,
    Timestamp,
)
from ._values import UNSET, JsonValue, UnknownValue, Unset, json_number_key

__all__ = [
    "Erratum",
    "Ge",
    "JsonObjectT",
    "Le",
    "MaxLen",
    "Metadata",
    "MinLen",
    "Pattern",
    "derive_spec",
    "is_nullable",
    "json_in",
    "json_in_or_unset",
    "kind_of",
    "unions",
]

# The constraint markers. (annotated-types has the same ones; importing it costs a quarter of
# ``import runschema`` again, typing_extensions and dataclasses with it, for four names.)


@attrs.frozen
class Ge:
    """``Annotated[int, Ge(256)]``: at least this value."""

    value: float


@attrs.frozen
class Le:
    """``Annotated[float, Le(1)]``: at most this value."""

    value: float


@attrs.frozen
class MaxLen:
    """``Annotated[tuple[Tool, ...], MaxLen(20)]``: at most this many items."""

    value: int


@attrs.frozen
class MinLen:
    """``Annotated[tuple[Part, ...], MinLen(1)]``: at least this many items."""

    value: int


@attrs.frozen
class Pattern:
    """``Annotated[str, Pattern(r"[a-z]+", "a lower-case word")]``: strict mode holds the
    string to this regular expression, matched whole; ``what`` names the form in messages;
    ``schema``, JSON text, is what the exported JSON Schema says of it when the anchored
    pattern would not say the same in every engine (Python's ``$`` also matches before a
    last line end: the ``jsonschema`` package took ``"abc\n"`` as a name)."""

    regex: str
    what: str = ""
    schema: str = ""


@attrs.frozen
class Erratum:
    """Marks a field that departs from the published spec on purpose (see ``ERRATA``)."""

    key: str

    def __attrs_post_init__(self) -> None:
        if self.key not in ERRATA:
            raise KeyError(f"undocumented deviation from the spec: {self.key}")


Metadata = Mapping[str, str]
"""``metadata``: string keys to string values (16 pairs, keys <= 64, values <= 512 chars)."""

JsonObjectT = Mapping[str, JsonValue]
"""Any JSON object, held read-only (function ``parameters``, json_schema ``schema``)."""


def json_in(value: Mapping[str, Any]) -> Any:
    """The converter of JSON object fields: constructors take any mapping of JSON-like values
    (lists too, for arrays); the field's check freezes it deeply. Its parameter's type is the
    constructor's (``FunctionDefinition(parameters="x")`` is a mypy error); anything else
    still gets the field's check at run time."""
    return value


def json_in_or_unset(value: Mapping[str, Any] | Unset) -> Any:
    """:func:`json_in` of an optional JSON object field (``UNSET`` leaves it out)."""
    return value


# --- the model base -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Model:
    """The base of every runschema model (``runschema.Model``): frozen, slotted,
    keyword-only, validated when built in Python. For annotations and ``isinstance``, where
    any model will do (what :func:`runschema.dumps` takes); not for classes of your own
    (runschema generates each model's code from its declaration).

    ``_rs_extra`` is private: what a lenient decode kept beyond the declared fields (absent
    nullable keys, unknown keys), so that encoding gives back exactly what was read. Read it
    with :func:`runschema.unknown_fields` / :func:`runschema.absent_fields`.

    >>> import runschema
    >>> isinstance(runschema.Usage(completion_tokens=1, prompt_tokens=1, total_tokens=2),
    ...            runschema.Model)
    True
    """

    __rs_closed__: ClassVar[bool] = False
    #: groups of optional keys of which exactly one must be present (strict mode)
    __rs_one_of__: ClassVar[tuple[tuple[str, ...], ...]] = ()
    #: (key, field, value): the optional key is required when the field holds the value
    #: (strict mode)
    __rs_required_if__: ClassVar[tuple[tuple[str, str, str], ...]] = ()

    _rs_extra: Extra | None = attrs.field(default=None, alias="_rs_extra", repr=False)

    def __attrs_post_init__(self) -> None:
        check_built(self)

    @classmethod
    def __rs_spec__(cls) -> Spec:
        return derive_spec(cls)


@attrs.frozen(kw_only=True)
class _UnknownArm(_Model):
    """An arm of a tagged union whose ``type`` this version does not know (lenient mode).

    ``data`` is the whole object as it came, ``type`` included; it encodes back unchanged.
    Strict mode rejects unknown arms with ``unknown_tag``; a known ``type`` is never put here.
    """

    __rs_unknown_arm__: ClassVar[bool] = True
    #: The union this is the unknown arm of (set by :func:`unions`).
    __rs_union__: ClassVar[Any] = None
    __match_args__: ClassVar[tuple[Literal["data"]]] = ("data",)  # ``case UnknownTool(data)``

    data: JsonObjectT = attrs.field(converter=json_in)

    @property
    def type(self) -> str:
        """The unknown tag, ``data["type"]``."""
        t = self.data["type"]
        assert isinstance(t, str)
        return t

    @classmethod
    def __rs_known_tags__(cls) -> frozenset[str]:
        """The tags of the union's known arms: never held by an unknown arm."""
        kind = kind_of(cls.__rs_union__)
        tagged = kind.objects if isinstance(kind, StrOr) else kind
        assert isinstance(tagged, Tagged)
        return frozenset(tagged.arms)


def unions(*aliases: Any) -> None:
    """Register tagged unions: each one's unknown arm learns the union it belongs to."""
    for alias in aliases:
        for member in _members(alias, [], []):
            if _is_unknown_arm(member):
                member.__rs_union__ = alias


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, _Model)


def base_refused(tp: Any) -> str | None:
    """Why a document cannot be read as ``tp``, when it is the base of the models
    (``runschema.Model``, or of the unknown arms): no document says which model it is (found
    in use: read as an empty model, the whole document kept as unknown keys)."""
    if tp is not _Model and tp is not _UnknownArm:
        return None
    return (
        f"runschema.{'Model' if tp is _Model else '_UnknownArm'} is the base of the models, "
        "for annotations of what takes any of them: no document says which model it is. Name "
        "the model (runschema.Run), or a union of them (runschema.Tool)"
    )


def _is_unknown_arm(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, _UnknownArm)


# --- deriving kinds -----------------------------------------------------------------------


def _members(tp: Any, constraints: list[Any], errata: list[str]) -> list[Any]:
    """The members of a (possibly Annotated, possibly union) annotation, flattened; the
    constraints and errata found on the way are appended to the lists given."""
    origin = get_origin(tp)
    if origin is Annotated:
        base, *meta = get_args(tp)
        for m in meta:
            if isinstance(m, Erratum):
                errata.append(m.key)
            else:
                constraints.append(m)
        return _members(base, constraints, errata)
    if origin is Union or origin is types.UnionType:
        return [m for arg in get_args(tp) for m in _members(arg, constraints, errata)]
    return [tp]


#: Members of an annotation that say nullable or optional rather than what the value is.
_NOT_KINDS: Final = (None, type(None), Unset)

#: Kinds by annotation (or class): one kind object per union and per model, so that code
#: generated for them, and JSON Schema ``$defs``, are shared.
_KINDS: dict[Any, Kind] = {}


def is_nullable(tp: Any) -> bool:
    """Whether an annotation admits ``None``.

    >>> is_nullable(int | None), is_nullable(int)
    (True, False)
    """
    members = _members(tp, [], [])
    return type(None) in members or None in members


def kind_of(tp: Any) -> Kind:
    """The wire kind of an annotation (without ``None``/``Unset``: see :func:`derive_spec`).

    TypeError for an annotation the schema language has no kind for.

    >>> kind_of(tuple[str, ...]).expected
    'an array'
    """
    try:
        return _KINDS[tp]
    except (KeyError, TypeError):  # TypeError: an unhashable annotation
        pass
    constraints: list[Any] = []
    members = [m for m in _members(tp, constraints, []) if m not in _NOT_KINDS]
    kind = _kind(members, constraints)
    try:
        return _KINDS.setdefault(tp, kind)
    except TypeError:  # an unhashable annotation: not cached
        return kind


def _kind(members: list[Any], constraints: list[Any]) -> Kind:
    if len(members) == 1 and get_origin(members[0]) is not Literal:
        return _single(members[0], constraints)
    if len(members) == 2 and str in members:
        other = members[1 - members.index(str)]
        if get_origin(other) is tuple:  # a string, or an array
            items = _single(other, constraints)
            assert isinstance(items, Array)
            return StrOrArray(Str(), items)
    strings: list[str] = []
    models: list[type[_Model]] = []
    open_ = False
    for m in members:
        if get_origin(m) is Literal:
            for value in get_args(m):
                if not isinstance(value, str):
                    raise TypeError(f"only string literals have a kind, not {value!r}")
                strings.append(value)
        elif m is UnknownValue:
            open_ = True
        elif _is_model(m):
            models.append(m)
        else:
            raise TypeError(f"no kind for {m!r} in a union")
    _no_constraints(constraints, "a union")
    if not models:
        if not strings:
            raise TypeError("UnknownValue alone has no kind: pair it with a Literal")
        if len(strings) == 1 and not open_:
            return Const(strings[0])
        return Enum(tuple(strings), open=open_)
    key = tuple(members)
    cached = _KINDS.get(key)
    if cached is not None:
        return cached
    tagged = _tagged(models)
    kind: Kind = tagged
    if strings or open_:
        kind = StrOr(Enum(tuple(strings), open=open_), tagged)
    return _KINDS.setdefault(key, kind)


def _tagged(models: list[type[_Model]]) -> Tagged:
    unknown = [m for m in models if _is_unknown_arm(m)]
    if len(unknown) != 1:
        raise TypeError("a union of models needs exactly one Unknown... arm")
    arms: dict[str, type[_Model]] = {}
    for m in models:
        if m is unknown[0]:
            continue
        tag = {f.name: f for f in derive_spec(m).fields}.get("type")
        if tag is None:
            raise TypeError(f"{m.__name__} is in a union but has no 'type' field")
        kind = tag.kind
        if isinstance(kind, Const):
            values: tuple[str, ...] = (kind.value,)
        elif isinstance(kind, Enum) and not kind.open:
            values = kind.values
        else:
            raise TypeError(f"{m.__name__}.type must be a Literal to tag a union")
        for value in values:
            if value in arms:
                raise TypeError(f"two arms of a union have the tag {value!r}")
            arms[value] = m
    return Tagged(arms, unknown[0])


def _no_constraints(constraints: list[Any], what: str) -> None:
    if constraints:
        raise TypeError(f"{what} takes no constraint, got {constraints!r}")


def _bounds(constraints: list[Any], what: str) -> tuple[Any, Any]:
    lo = hi = None
    for c in constraints:
        if isinstance(c, Ge):
            lo = c.value
        elif isinstance(c, Le):
            hi = c.value
        else:
            raise TypeError(f"{what} takes Ge and Le, got {c!r}")
    return lo, hi


def _single(tp: Any, constraints: list[Any]) -> Kind:
    if tp is str:
        patterns = [c for c in constraints if isinstance(c, Pattern)]
        _no_constraints([c for c in constraints if not isinstance(c, Pattern)], "str")
        if len(patterns) > 1:
            raise TypeError(f"a string takes one Pattern, got {patterns!r}")
        if patterns:
            p = patterns[0]
            return Str(pattern=p.regex, what=p.what, schema=p.schema)
        return Str()
    if tp is bool:
        _no_constraints(constraints, "bool")
        return Bool()
    if tp is int:
        lo, hi = _bounds(constraints, "int")
        return Int(minimum=lo, maximum=hi)
    if tp is float:
        lo, hi = _bounds(constraints, "float")
        return Num(minimum=lo, maximum=hi)
    if tp is datetime:
        _no_constraints(constraints, "datetime")
        return Timestamp()
    if _is_model(tp):
        _no_constraints(constraints, tp.__name__)
        kind = _KINDS.get(tp)
        if kind is None:
            kind = _KINDS.setdefault(tp, Model(tp))
        return kind
    origin = get_origin(tp)
    args = get_args(tp)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        max_items = min_items = None
        for c in constraints:
            if isinstance(c, MaxLen):
                max_items = c.value
            elif isinstance(c, MinLen):
                min_items = c.value
            else:
                raise TypeError(f"an array takes MaxLen and MinLen, got {c!r}")
        return Array(kind_of(args[0]), max_items=max_items, min_items=min_items)
    if origin is Mapping and args and args[0] is str:
        _no_constraints(constraints, "a mapping")
        if args[1] is str:
            return StrMap()
        if _is_json_value(args[1]):
            return JsonObject()
    raise TypeError(f"no kind for {tp!r}")


def _is_json_value(tp: Any) -> bool:
    """Whether ``tp`` is ``JsonValue`` (``get_type_hints`` evaluates its forward references
    into a new union object, so it is recognised by its scalar members)."""
    if tp == JsonValue:
        return True
    return get_origin(tp) is Union and {bool, int, float, str, type(None)} <= set(get_args(tp))


def derive_spec(cls: type[Any]) -> Spec:
    """What the schema says of each field of ``cls``, from its annotations.

    Checks that each field's default says what its annotation says (see the module
    docstring); TypeError if not.
    """
    # JsonValue's forward references name itself: resolve them wherever a model is declared
    hints = typing.get_type_hints(cls, localns={"JsonValue": JsonValue}, include_extras=True)
    infos = []
    for a in attrs.fields(cls):
        if a.name == "_rs_extra":
            continue
        errata: list[str] = []
        members = _members(hints[a.name], [], errata)
        nullable = is_nullable(hints[a.name])
        optional = Unset in members
        where = f"{cls.__name__}.{a.name}"
        kind = kind_of(hints[a.name])
        _check_default(where, a, kind, nullable, optional)
        if isinstance(kind, Num) and a.eq_key is not json_number_key:
            raise TypeError(f"{where}: a number field compares by attrs.field(eq=json_number_key)")
        infos.append(FieldInfo(a.name, kind, nullable, optional))
    names = frozenset(i.name for i in infos)
    one_of = tuple(tuple(group) for group in cls.__rs_one_of__)
    optional_names = {i.name for i in infos if i.optional}
    for group in one_of:
        if not set(group) <= optional_names:
            raise TypeError(f"{cls.__name__}.__rs_one_of__ names keys that are not optional")
    required_if = tuple(cls.__rs_required_if__)
    for key, field, _ in required_if:
        if key not in optional_names or field not in names:
            raise TypeError(f"{cls.__name__}.__rs_required_if__ names {key!r} or {field!r} wrong")
    return Spec(cls, tuple(infos), names, cls.__rs_closed__, one_of, required_if)


def _check_default(where: str, a: Any, kind: Kind, nullable: bool, optional: bool) -> None:
    default = a.default
    if optional:
        want: Any = UNSET
    elif nullable:
        want = None
    elif isinstance(kind, Const):
        want = kind.value
    else:
        return  # a required key: any default is a convenience of Python's (object="list")
    if default is not want and not (isinstance(want, str) and default == want):
        raise TypeError(f"{where}: the default must be {want!r}, not {default!r}")
