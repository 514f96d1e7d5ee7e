"""Deltas merged: as the official Python client merges them (``accumulate_delta``), for the
stream checker, which names where what a client makes is not what the server meant; and as
the spec means them, for :func:`apply_deltas`, which gives the message or run step a stream
has made so far (pieces of text appended, entries merged at their index, other values
replaced, and a delta the client would garble a ValueError).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, Protocol, overload

from ._errors import ErrorCode, excerpt
from ._kinds import json_type
from ._messages import Message, MessageDelta, RunStepDelta
from ._steps import RunStep
from ._structure import structure, unstructure

__all__ = [
    "PIECES",
    "Problem",
    "Text",
    "apply_delta",
    "apply_deltas",
    "as_sent",
    "compare",
    "merge",
]


#: The keys whose strings come in pieces, each delta's added to what came before.
PIECES: Final = frozenset({"value", "arguments", "input", "logs", "refusal"})


class Text:
    """A text that comes in pieces, as a client has it so far: the pieces, joined only when
    read (adding each piece to one string would copy the text so far at every delta: a
    message of 80,000 deltas took minutes). Equal to the string it makes."""

    __slots__ = ("_pieces",)

    def __init__(self, *pieces: str) -> None:
        self._pieces = list(pieces)

    def add(self, piece: str) -> None:
        self._pieces.append(piece)

    def text(self) -> str:
        if len(self._pieces) != 1:
            self._pieces = ["".join(self._pieces)]
        return self._pieces[0]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            other = other.text()
        return self.text() == other if isinstance(other, str) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.text())


class Problem(Protocol):
    """The type of :meth:`StreamChecker.check`'s local ``problem()``."""

    def __call__(self, code: ErrorCode, message: str, *where: str | int) -> None: ...


# What follows is what the official Python client does with a delta
# (openai.lib.streaming._deltas.accumulate_delta), naming each place where what it makes is
# not what the server meant: values added to one it has (strings appended, numbers summed)
# that are not pieces of one text, values of another type (it keeps its own), entries of an
# indexed list that it misplaces, and those it raises on.


def merge(
    have: dict[str, Any], delta: dict[str, Any], problem: Problem, at: tuple[Any, ...]
) -> None:
    """Merge ``delta`` into ``have`` as the client does, naming what it garbles."""
    for key, value in delta.items():
        where = (*at, key)
        if have.get(key) is None:
            if not _indexed(value):
                have[key] = value
                as_sent(value, problem, where)
                continue
            have[key] = []  # merged entry by entry: one delta may hold pieces of one entry
        old = have[key]
        if isinstance(old, Text):
            if isinstance(value, str):
                old.add(value)
                continue
            old = old.text()
        if key == "type" and value != old:
            problem(
                "type_mismatch",
                f"a {excerpt(value, 40)} delta for the {excerpt(old, 40)} entry at its index: "
                "clients merge the two into one",
                *where,
            )
        if key in ("index", "type"):
            have[key] = value
        elif isinstance(old, str) and isinstance(value, str):
            if key in PIECES:
                have[key] = Text(old, value)
                continue
            _repeated(key, value, old, "add it to", problem, where)
            have[key] = old + value
        elif isinstance(old, (int, float)) and isinstance(value, (int, float)):
            _repeated(key, value, old, "sum it with", problem, where)  # booleans too
            have[key] = old + value
        elif isinstance(old, dict) and isinstance(value, dict):
            merge(old, value, problem, where)
        elif isinstance(old, list) and isinstance(value, list):
            _merge_list(old, value, problem, where)
        else:
            problem(
                "type_mismatch",
                f"{key!r} as {json_type(value)} where clients have {json_type(old)}: they keep "
                "theirs",
                *where,
            )


def _merge_list(old: list[Any], value: list[Any], problem: Problem, at: tuple[Any, ...]) -> None:
    """Merge the entries of a list in a delta: appended when the list holds scalars, else
    each at its ``index``."""
    if all(isinstance(x, (str, int, float)) for x in old) and (old or not _indexed(value)):
        old.extend(value)
        return
    for j, entry in enumerate(value):
        index = entry.get("index") if isinstance(entry, dict) else None
        if not isinstance(index, int):
            what = (
                "an entry with no integer `index`" if isinstance(entry, dict) else "not an object"
            )
            problem(
                "content_index",
                f"{what} where clients hold a list of objects: the official Python helper raises",
                *at,
                j,
            )
            return  # it stops reading the stream there
        inside = -len(old) <= index < len(old)  # the client reads old[index] (from the end too)
        if inside and not isinstance(old[index], dict):
            problem(
                "content_index",
                f"index {index} names an entry that is not an object: the official Python "
                "helper raises",
                *at,
                j,
                "index",
            )
            return
        if index < 0 or index > len(old):
            problem(
                "content_index",
                f"index {index} where {len(old)} entries exist (the next is {len(old)}): the "
                "official Python helper puts it elsewhere",
                *at,
                j,
                "index",
            )
        if inside:
            merge(old[index], entry, problem, (*at, j))
        else:
            old.insert(index, entry)
            as_sent(entry, problem, (*at, j))


def compare(have: Any, final: Any, problem: Problem, at: tuple[Any, ...]) -> None:
    """Name where what the deltas made (``have``, as a client has it) differs from the
    finished object's (``final``): in what both hold (the finished one may hold more, such as
    a call's ``output`` or a code interpreter's outputs, where the deltas sent none or
    ``null``), keys and list places alike,
    ``index`` aside; and a list inside to which the deltas made entries the finished one
    lacks. (The callers count the parts and tool calls themselves.)"""
    _compare(have, final, problem, at, count=False)


def _compare(
    have: Any, final: Any, problem: Problem, at: tuple[Any, ...], *, count: bool = True
) -> None:
    if isinstance(have, Text):
        have = have.text()
    if count and isinstance(have, list) and isinstance(final, list) and len(have) > len(final):
        problem(
            "content_mismatch",
            f"the deltas made {len(have)} entries where the finished object has "
            f"{len(final)}: clients that keep what the deltas made have the others too",
            *at,
        )
    if isinstance(have, dict) and isinstance(final, dict):
        for key, value in have.items():
            # a null the deltas sent is nothing made yet, as an absent key is: the finished
            # object may fill it (found by a server author: a call's `output: null`, then
            # "sunny" in the finished step, was content_mismatch)
            if key != "index" and key in final and value is not None:
                _compare(value, final[key], problem, (*at, key))
    elif isinstance(have, list) and isinstance(final, list):
        for place, (one, other) in enumerate(zip(have, final, strict=False)):
            _compare(one, other, problem, (*at, place))
    elif have != final or type(have) is not type(final):
        problem(
            "content_mismatch",
            f"the deltas made {excerpt(have, 40)} where the finished object has "
            f"{excerpt(final, 40)}: clients that keep what the deltas made have the first",
            *at,
        )


def as_sent(value: Any, problem: Problem, at: tuple[Any, ...]) -> None:
    """Name the entries of indexed lists inside a value a client keeps as sent (a new part,
    a new key) whose ``index`` is not their place: it does not merge or reorder them, so
    two pieces of one entry in one delta make two entries."""
    if isinstance(value, dict):
        for key, item in value.items():
            as_sent(item, problem, (*at, key))
    elif isinstance(value, list) and _indexed(value):
        for place, entry in enumerate(value):
            index = entry.get("index") if isinstance(entry, dict) else None
            if index != place:
                problem(
                    "content_index",
                    f"index {excerpt(index)} at place {place} of a new list: clients keep its "
                    f"entries as sent, so it should be {place}",
                    *at,
                    place,
                    "index",
                )
            as_sent(entry, problem, (*at, place))


def _indexed(value: object) -> bool:
    """A list holding an object with an ``index`` (what the client merges by index)."""
    return isinstance(value, list) and any(isinstance(e, dict) and "index" in e for e in value)


def _repeated(
    key: str, value: object, old: object, does: str, problem: Problem, at: tuple[Any, ...]
) -> None:
    problem(
        "repeated_value",
        f"{key!r} again ({excerpt(value, 40)} after {excerpt(old, 40)}): clients {does} the "
        "one they have",
        *at,
    )


# --- the message or step a stream has made so far ------------------------------------------


@overload
def apply_deltas(obj: Message, deltas: Iterable[MessageDelta]) -> Message: ...
@overload
def apply_deltas(obj: RunStep, deltas: Iterable[RunStepDelta]) -> RunStep: ...
def apply_deltas(obj: Message | RunStep, deltas: Iterable[Any]) -> Message | RunStep:
    """``obj`` (a message or run step as its ``created`` event had it) with the ``deltas``
    for it merged in, in order: what a stream has made of it so far, for a stream cut short
    (one that finished sends the object whole in its ``completed`` event).

    A delta's entries go to the part, tool call, annotation or output at their ``index`` (a
    new one at the next; an index further on, or a ``type`` other than the entry's, is a
    ValueError: no finished object is so); the pieces of a text (``value``, ``arguments``,
    ``input``, ``logs``, ``refusal``) are appended, other lists extended, any other value
    replaces the one there. What a new entry lacks that the object's schema requires and is
    a text or a list is filled empty (a call's ``output`` as null); what is neither (an
    image's file id, an annotation cut before its file) is a ValidationError, as a lenient
    decode says it. ValueError for a delta of another object (its ``id``), TypeError for one
    of another kind. Pieces are joined once, at the end: a stream of any length folds in
    linear time.

    >>> import runschema
    >>> created = runschema.loads(
    ...     b'{"id": "msg_1", "object": "thread.message", "created_at": 0, "thread_id": "t",'
    ...     b' "status": "in_progress", "incomplete_details": null, "completed_at": null,'
    ...     b' "incomplete_at": null, "role": "assistant", "content": [], "assistant_id": "a",'
    ...     b' "run_id": "r", "attachments": [], "metadata": {}}', runschema.Message)
    >>> pieces = [runschema.loads(b'{"id": "msg_1", "object": "thread.message.delta", '
    ...     b'"delta": {"content": [{"index": 0, "type": "text", "text": {"value": "%s"}}]}}'
    ...     % word, runschema.MessageDelta) for word in (b"Hello", b" there")]
    >>> runschema.apply_deltas(created, pieces).content[0].text.value
    'Hello there'
    """
    if isinstance(obj, Message):
        want: type[Any] = MessageDelta
    elif isinstance(obj, RunStep):
        want = RunStepDelta
    else:
        raise TypeError(f"apply_deltas takes a Message or a RunStep, not {type(obj).__name__}")
    data = unstructure(obj)
    for delta in deltas:
        if not isinstance(delta, want):
            raise TypeError(f"a {type(obj).__name__} takes a {want.__name__}, not {delta!r}")
        if delta.id != obj.id:
            raise ValueError(f"a delta for {delta.id!r} applied to {obj.id!r}")
        _apply(data, unstructure(delta.delta))
    data = _plain(data)
    _fill(data)
    return structure(data, type(obj))


@overload
def apply_delta(obj: Message, delta: MessageDelta) -> Message: ...
@overload
def apply_delta(obj: RunStep, delta: RunStepDelta) -> RunStep: ...
def apply_delta(obj: Message | RunStep, delta: Any) -> Message | RunStep:
    """:func:`apply_deltas` of one delta (to fold a whole stream, pass them all there: each
    call builds the object anew)."""
    return apply_deltas(obj, (delta,))


def _apply(have: dict[str, Any], delta: dict[str, Any], at: str = "$") -> None:
    """Merge ``delta`` into ``have`` (see :func:`apply_deltas`); ValueError where a delta
    names an entry out of order or changes one's type (what no finished object can be)."""
    for key, value in delta.items():
        if key == "index":
            continue
        old = have.get(key)
        where = f"{at}.{key}"
        if isinstance(value, list):
            entries = old if isinstance(old, list) else []
            have[key] = entries
            _apply_list(entries, value, where)
        elif key in PIECES and isinstance(value, str) and isinstance(old, (str, Text)):
            if isinstance(old, Text):
                old.add(value)
            else:
                have[key] = Text(old, value)
        elif isinstance(value, dict):
            if not isinstance(old, dict):
                old = have[key] = {}
            _apply(old, value, where)
        else:
            if key == "type" and old is not None and old != value:
                raise ValueError(f"a delta makes {where} {value!r}, where it is {old!r}")
            have[key] = value


def _apply_list(entries: list[Any], value: list[Any], at: str) -> None:
    """The entries of a list in a delta: each object with an ``index`` merged into the entry
    there, or the next; anything else added at the end (an empty list changes nothing)."""
    for entry in value:
        index = entry.get("index") if isinstance(entry, dict) else None
        if index is None:
            entries.append(entry)
            continue
        if not isinstance(index, int) or not 0 <= index <= len(entries):
            raise ValueError(
                f"a delta's entry of {at} at index {index!r}, where {len(entries)} exist"
            )
        if index == len(entries):
            entries.append({})
        if not isinstance(entries[index], dict):
            raise ValueError(f"a delta's entry of {at} at index {index}, which is no object")
        _apply(entries[index], entry, f"{at}[{index}]")


def _plain(value: Any) -> Any:
    """``value`` with its pieces of text joined (see :class:`Text`)."""
    if isinstance(value, Text):
        return value.text()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


#: What a part or tool call needs that its first delta may not send, by its type.
_REQUIRED: Final[dict[str, dict[str, Any]]] = {
    "text": {"value": "", "annotations": []},
    "refusal": {},
    "code_interpreter": {"input": "", "outputs": []},
    "function": {"name": "", "arguments": "", "output": None},
}


def _fill(data: dict[str, Any]) -> None:
    parts = data.get("content")
    details = data.get("step_details")
    calls = details.get("tool_calls") if isinstance(details, dict) else None
    for entry in (parts if isinstance(parts, list) else []) + (
        calls if isinstance(calls, list) else []
    ):
        if not isinstance(entry, dict):
            continue
        kind = entry.get("type")
        if kind == "refusal":
            entry.setdefault("refusal", "")
            continue
        inner = entry.get(kind) if isinstance(kind, str) else None
        needed = _REQUIRED.get(kind) if isinstance(kind, str) else None
        if needed is not None:
            if not isinstance(inner, dict):
                inner = entry[kind] = {}
            for k, v in needed.items():
                inner.setdefault(k, list(v) if isinstance(v, list) else v)
        outputs = inner.get("outputs") if isinstance(inner, dict) else None
        for output in outputs if isinstance(outputs, list) else ():
            if isinstance(output, dict) and output.get("type") == "logs":
                output.setdefault("logs", "")
