"""The one exception family of runschema, and the error details it carries."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal

import attrs
import orjson

from ._values import ReadOnlyDict

__all__ = [
    "ERROR_CODES",
    "ErrorCode",
    "DecodeError",
    "ErrorDetail",
    "RequestError",
    "SchemaError",
    "ValidationError",
    "format_param",
    "format_path",
    "writable",
]

ErrorCode = Literal[
    "missing",
    "type",
    "enum",
    "const",
    "unknown_tag",
    "unknown_field",
    "one_of",
    "too_long",
    "too_many",
    "too_few",
    "out_of_range",
    "not_finite",
    "invalid_string",
    "pattern",
    "invalid_timestamp",
    "invalid_unknown",
    "empty",
    "json_invalid",
    "encoding",
    "too_deep",
    "not_object",
    "input_type",
    "unreadable_input",
    "too_large",
    "empty_id",
    "dot_segment",
    "duplicate_key",
    "api_error",
    "invalid_value",
    "too_many_problems",
    "unknown_event",
    "data_only_frame",
    "missing_event",
    "missing_data",
    "quoted_done",
    "truncated_frame",
    "frame_too_large",
    "after_done",
    "after_end",
    "no_terminal",
    "missing_done",
    "missing_required_action",
    "status_mismatch",
    "bad_transition",
    "id_mismatch",
    "delta_before_created",
    "not_open",
    "not_current",
    "content_index",
    "type_mismatch",
    "content_mismatch",
    "repeated_value",
    "unreadable_event",
    "not_created",
    "created_again",
    "left_open",
    "unknown_tool_call",
    "duplicate_tool_call",
    "missing_tool_output",
]
"""The stable vocabulary of :attr:`ErrorDetail.code`: mypy checks every place a problem is
recorded against it, and :data:`ERROR_CODES` says what each one means."""

_ERROR_CODES: dict[ErrorCode, str] = {
    "missing": "a required key is absent (in a stream: one the finished part needs, from the "
    "delta that introduces the part)",
    "type": "the value has the wrong JSON type (no coercion is ever made)",
    "enum": "a string outside the closed set of values the schema allows (strict mode)",
    "const": "a value that must be exactly one constant is not",
    "unknown_tag": "a union member whose `type` is not known (strict mode)",
    "unknown_field": "a key that the object does not allow",
    "one_of": "of keys of which exactly one must be present, none or several are (strict mode)",
    "too_long": "a string or map key longer than its limit",
    "too_many": "an array or map with more items than its limit",
    "too_few": "an array with fewer items than its minimum",
    "out_of_range": "a number outside its bounds, or outside what JSON, orjson or datetime hold",
    "not_finite": "NaN or an infinity, which JSON cannot carry",
    "invalid_string": "a string with lone surrogates, which UTF-8 cannot carry",
    "pattern": "a string not of the form the spec's text gives it (a function's or a response "
    "format's name: letters, digits, `_` and `-`, 1 to 64 of them; strict mode)",
    "invalid_timestamp": "a datetime that is naive or not a whole second",
    "invalid_unknown": "an unknown-arm or unknown-value wrapper holding a value that is known",
    "empty": "an empty document",
    "json_invalid": "the text is not JSON",
    "encoding": "the bytes are not UTF-8 or the text holds lone surrogates",
    "too_deep": "the JSON nests deeper than orjson reads (1024 levels), or a value held as it "
    "came nests deeper than 100 levels (so that orjson can write it safely wherever it is "
    "placed: its compact writer overruns its buffer past about 200)",
    "not_object": "the top level is not a JSON object",
    "input_type": "the input is neither bytes nor str",
    "unreadable_input": "an input of the command line (a file, stdin) that could not be opened, "
    "or read to its end",
    "too_large": "a JSON text larger than the command line reads at once (--max-bytes): a "
    "JSONL line, which is skipped, or a whole JSON input",
    "empty_id": "a path parameter is empty (building a request), or a cursor (`after`, "
    "`before`) in a query (building one, or reading one strictly)",
    "dot_segment": "a path parameter is '.' or '..', even percent-encoded (building a request)",
    "duplicate_key": "extra_body repeats a key the request already sets",
    "api_error": "the server answered with a non-2xx status",
    "invalid_value": "a hook or validator of a class of your own rejected the value (errors_of)",
    "too_many_problems": "more problems were found than one report lists (the first 100 are)",
    # a stream's frames (StreamDecoder)
    "unknown_event": "an event name this version does not know (strict mode)",
    "data_only_frame": 'an event sent as data-only JSON {"event", "data"}, with no `event:` line '
    "(strict mode)",
    "missing_event": "a frame with no `event:` line (strict mode)",
    "missing_data": "a frame with an `event:` line but no `data:` line",
    "quoted_done": 'the done event\'s data written as the JSON string "[DONE]" (strict mode)',
    "truncated_frame": "the stream ends inside a frame: no blank line after it (strict mode)",
    "frame_too_large": "a frame larger than the decoder's max_frame_bytes",
    # a stream's order of events (StreamChecker)
    "after_done": "an event after `done`",
    "after_end": "an event after the run's last event (terminal, requires_action, error) but done",
    "no_terminal": "the stream ends with no terminal run event, requires_action or error event",
    "missing_done": "the stream ends with no `done` event",
    "missing_required_action": "a requires_action run with no required_action",
    "status_mismatch": "an event whose name says one status and whose data another",
    "bad_transition": "a run status that the run's state machine does not allow after the last",
    "id_mismatch": "an id, run_id or thread_id that differs from the stream's run or thread",
    "delta_before_created": "a delta for a step or message not created earlier in the stream",
    "not_open": "an event for a step or message that is already over",
    "not_current": "a message delta for another message than the one being streamed",
    "content_index": "a delta's index that skips ahead of the parts or tool calls so far (or "
    "of a list's entries inside them), or an entry clients would misplace or raise on",
    "type_mismatch": "a delta whose type differs from the part or tool call at its index, "
    "a value of another JSON type than the one clients have (they keep theirs), or a run "
    "step whose type is not its step_details'",
    "content_mismatch": "a finished message or step that is not what its deltas made (other "
    "parts, or fewer than the index the official helper reads), a message created with "
    "content, or a run requiring other calls than its steps made",
    "repeated_value": "a delta repeats a value clients add to the one they have (strings are "
    "appended, numbers summed): only text and arguments-like fields come in pieces",
    "unreadable_event": "an unknown or error event the official clients cannot read as sent "
    "(data that is not JSON, starts with [DONE], or carries an `error` key; a name that does "
    "not start with `thread.`)",
    "not_created": "an event for a step or message that a stream which created its run did not "
    "create",
    "created_again": "a step or message created a second time",
    "left_open": "a run ended (or waiting) with a step or message of it not over",
    # tool outputs against the calls a run waits on (check_tool_outputs)
    "unknown_tool_call": "a tool output for a call the run is not waiting on",
    "duplicate_tool_call": "a second tool output for one call",
    "missing_tool_output": "a tool call the run waits on that no tool output answers",
}
#: The stable vocabulary of :attr:`ErrorDetail.code`, each with what it means (read-only).
ERROR_CODES: Final[Mapping[ErrorCode, str]] = ReadOnlyDict(_ERROR_CODES)

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_EXCERPT = 100
#: Keys longer than this are cut in rendered paths.
_KEY_MAX = 80


def format_path(loc: Iterable[str | int]) -> str:
    """Render a location as a JSON path: ``$.tools[2].function.name``, ``$.metadata['a b']``.

    >>> format_path(("tools", 2, "function", "name"))
    '$.tools[2].function.name'
    >>> format_path(("metadata", "user id"))
    "$.metadata['user id']"
    >>> format_path(("metadata", "a\\ud800"))  # a lone surrogate, escaped
    "$.metadata['a\\\\ud800']"
    >>> print(format_path(("metadata", "line\\nend")))  # and what is not printable
    $.metadata['line\\nend']
    """
    parts = ["$"]
    for seg in loc:
        if isinstance(seg, int):
            parts.append(f"[{seg}]")
            continue
        seg = _shortened(seg)
        if _IDENT.match(seg):
            parts.append(f".{seg}")
        else:
            quoted = seg.replace("\\", "\\\\").replace("'", "\\'")
            if not quoted.isprintable():  # found by a server author: a raw line end
                quoted = "".join(c if c.isprintable() else _escape(c) for c in quoted)
            parts.append(f"['{quoted}']")
    return "".join(parts)


def _escape(char: str) -> str:
    """A character that is not printable (a line end, a control, a lone surrogate) as a path
    writes it: a Python-style escape, so that a path is one line of printable text."""
    n = ord(char)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named is not None:
        return named
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _shortened(key: str) -> str:
    """A key as a location shows it: readable (and cheap) whatever its length."""
    return key if len(key) <= _KEY_MAX else key[: _KEY_MAX - 3] + "..."


def writable(text: str) -> str:
    """``text`` with lone surrogates escaped (``\\udcff``): UTF-8 cannot carry them, and a
    location or a message is written out (in a report, in an error answer)."""
    if _SURROGATE.search(text):
        return _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    return text


def format_param(loc: Iterable[str | int]) -> str:
    """A location as the upstream API's ``param`` names it: ``tools[0].type``,
    ``metadata.user id`` (see :attr:`ErrorDetail.param`).

    >>> format_param(("my-key",)), format_param(("tool_outputs", 1, "output"))
    ('my-key', 'tool_outputs[1].output')
    """
    parts: list[str] = []
    for seg in loc:
        if isinstance(seg, int):
            parts.append(f"[{seg}]")
            continue
        seg = writable(_shortened(seg))
        parts.append(f".{seg}" if parts else seg)
    return "".join(parts)


def excerpt(value: object, limit: int = _EXCERPT) -> str:
    """A bounded JSON-ish rendering of a bad value: at most ``limit`` characters.

    The cost is bounded too: containers are walked only as far as the excerpt reaches, so a
    1 MB value costs what a small one costs.

    >>> excerpt({"a": [1, 2, 3], "b": "x" * 500}, limit=30)
    '{"a":[1,2,3],"b":"xxxxxxxxx...'
    """
    out: list[str] = []
    _render(value, out, limit + 1)
    text = "".join(out)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _render(value: object, out: list[str], budget: int) -> int:
    """Append a JSON-ish rendering of ``value`` to ``out``, stopping once ``budget`` characters
    are written; returns the budget left (<= 0 once exhausted)."""
    if budget <= 0:
        return budget
    if isinstance(value, str):
        text = _scalar(value[:budget])
    elif isinstance(value, Mapping):
        out.append("{")
        budget -= 1
        try:
            items = iter(value.items())
            for i, (k, v) in enumerate(items):
                if budget <= 0:
                    return budget
                if i:
                    out.append(",")
                    budget -= 1
                budget = _render(k if isinstance(k, str) else str(k), out, budget)
                out.append(":")
                budget = _render(v, out, budget - 1)
        except Exception:  # a hostile mapping must not escape
            pass
        out.append("}")
        return budget - 1
    elif isinstance(value, (list, tuple)):
        out.append("[")
        budget -= 1
        for i, v in enumerate(value):
            if budget <= 0:
                return budget
            if i:
                out.append(",")
                budget -= 1
            budget = _render(v, out, budget)
        out.append("]")
        return budget - 1
    else:
        text = _scalar(value)
    if len(text) > budget:
        text = text[:budget]
    out.append(text)
    return budget - len(text)


def _scalar(value: object) -> str:
    # Only JSON's own scalars go to orjson: it segfaults on a datetime whose tzinfo raises
    # (orjson 3.13), and a bad value may be anything.
    if value is None or type(value) in (str, int, float, bool):
        try:
            return orjson.dumps(value).decode()
        except (TypeError, orjson.JSONEncodeError):  # lone surrogates, big integers
            pass
    return _safe_repr(value, _EXCERPT)


def _safe_repr(value: object, limit: int) -> str:
    import reprlib

    r = reprlib.Repr()
    r.maxstring = limit
    r.maxother = limit
    try:
        text = r.repr(value)
    except Exception:  # a hostile __repr__ must not escape
        text = f"<{type(value).__name__}>"
    return text.encode("utf-8", "backslashreplace").decode()


def quoted(value: object, limit: int = 60) -> str:
    """``repr`` of a value for a message, bounded: ``'abc...'`` past ``limit`` characters.

    >>> quoted("x" * 100, limit=10)
    "'xxxxx...'"
    """
    if isinstance(value, str):
        if len(value) > limit:
            r = repr(value[: max(limit - 5, 1)])
            return f"{r[:-1]}...{r[-1]}"
        return repr(value)
    return excerpt(value, limit)


@attrs.frozen(kw_only=True)
class ErrorDetail:
    """One problem found in a document: where, what kind, a sentence, and the bad value.

    ``loc`` is the location as keys and indexes, ``path`` the same as a JSON path string;
    ``code`` is one of :data:`ERROR_CODES`; ``input`` is a bounded excerpt (about 100
    characters) of the offending value, or ``None`` where the value is absent.
    """

    loc: tuple[str | int, ...]
    code: ErrorCode
    message: str
    input: str | None = None

    @property
    def path(self) -> str:
        """The location as a JSON path, e.g. ``$.tools[2].function.name``."""
        return format_path(self.loc)

    @property
    def param(self) -> str | None:
        """The location as the upstream API names a request parameter: keys joined with dots,
        indexes in brackets, nothing quoted (``tools[0].type``, ``metadata.user id``,
        ``my-key``); ``None`` for the document as a whole. :attr:`path` is the exact form.

        >>> ErrorDetail(loc=("tools", 0, "type"), code="enum", message="...").param
        'tools[0].type'
        >>> ErrorDetail(loc=("metadata", "user id"), code="too_long", message="...").param
        'metadata.user id'
        """
        if not self.loc:
            return None
        return format_param(self.loc)

    @property
    def openai_code(self) -> str:
        """The code the upstream API gave this kind of problem, where it had one, else
        :attr:`code`: what :meth:`SchemaError.to_openai_error` answers with.

        ``missing_required_parameter``, ``unknown_parameter``, ``invalid_type``,
        ``invalid_value`` (a value outside an enum, a constant or a union's tags; a number
        outside what JSON tools or a datetime hold), ``string_above_max_length``,
        ``property_name_above_max_length`` (a metadata key), ``object_above_max_properties``,
        ``array_above_max_length``, ``array_below_min_length``, ``empty_array``, and
        ``integer_`` or ``decimal_`` ``below_min_value`` / ``above_max_value``.

        >>> ErrorDetail(loc=("top_p",), code="out_of_range",
        ...             message="expected a number <= 1, got 5").openai_code
        'decimal_above_max_value'
        """
        code = self.code
        if code == "too_long":
            key = self.message.startswith("keys ")  # what StrMap says of a key
            return "property_name_above_max_length" if key else "string_above_max_length"
        if code == "too_many":
            mapping = (self.input or "").startswith("{")
            return "object_above_max_properties" if mapping else "array_above_max_length"
        if code == "too_few":
            return "empty_array" if self.input == "[]" else "array_below_min_length"
        if code == "out_of_range":
            bound = _BOUND.match(self.message)
            if bound is None:
                return "invalid_value"
            kind = "integer" if bound[1] == "an integer" else "decimal"
            return f"{kind}_{'below_min' if bound[2] == '>=' else 'above_max'}_value"
        return _OPENAI_CODES.get(code, code)

    def sentence(self) -> str:
        """The problem as one sentence in the style of the upstream API's error messages.

        >>> ErrorDetail(loc=("metadata",), code="type", message="expected an object, got a "
        ...             "string").sentence()
        "Invalid type for 'metadata': expected an object, got a string."
        """
        param = self.param
        if param is None:
            text = self.message[:1].upper() + self.message[1:]
        elif self.code == "missing":
            text = f"Missing required parameter: '{param}'"
        elif self.code == "unknown_field":
            text = f"Unknown parameter: '{param}'"
        elif self.code == "type":
            text = f"Invalid type for '{param}': {self.message}"
        else:
            text = f"Invalid '{param}': {self.message}"
        return text if text.endswith(".") else text + "."

    def as_dict(self) -> dict[str, Any]:
        """A plain dict for logs and JSON: ``{"path", "code", "message", "input"}``."""
        return {"path": self.path, "code": self.code, "message": self.message, "input": self.input}

    def __str__(self) -> str:
        return f"{self.path}: {self.message} [{self.code}]"


class SchemaError(ValueError):
    """The root of every error runschema raises on bad input: catch this one.

    A ``ValueError``. Its subclasses say whether the text was not JSON at all
    (:class:`DecodeError`) or JSON that breaks the schema (:class:`ValidationError`).
    """

    errors: tuple[ErrorDetail, ...]

    def __init__(self, errors: Iterable[ErrorDetail]) -> None:
        self.errors = tuple(errors)
        super().__init__(self._summary())

    def _summary(self) -> str:
        n = len(self.errors)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        return "\n".join([head, *(f"  {e}" for e in self.errors)])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))

    def as_dicts(self) -> list[dict[str, Any]]:
        """Every detail as a plain dict, ready for a log line or a JSON body."""
        return [e.as_dict() for e in self.errors]

    def to_openai_error(self) -> dict[str, Any]:
        """The OpenAI-style error body a service answers a 400 with, as the upstream API
        writes it.

        ``param`` names the first problem's field as a client sees it (``metadata``,
        ``tools[0].type``: no ``$.``) and ``code`` is the upstream API's code for it
        (:attr:`ErrorDetail.openai_code`: ``invalid_type``, ``unknown_parameter``, ...;
        runschema's own :data:`ERROR_CODES` code where the upstream API had none); ``message``
        gives the problems as sentences (the first ten, and how many more), with no path
        syntax or code decoration. :attr:`errors` keeps the JSON paths.

        >>> from runschema import loads, RunUpdateParams, ValidationError
        >>> try:
        ...     loads(b'{"metadata": 5}', RunUpdateParams, strict=True)
        ... except ValidationError as e:
        ...     body = e.to_openai_error()
        >>> body["error"]
        {'message': "Invalid type for 'metadata': expected an object, got an integer.", \
'type': 'invalid_request_error', 'param': 'metadata', 'code': 'invalid_type'}
        """
        first = self.errors[0] if self.errors else None
        shown = [e.sentence() for e in self.errors[:_SENTENCES] if e.code != "too_many_problems"]
        count, at_least = problem_count(self.errors)
        more = count - len(shown)
        if more:
            bound = "at least " if at_least else ""
            shown.append(f"({bound}{more:,} more problem{'s' if more != 1 else ''}.)")
        return {
            "error": {
                "message": " ".join(shown) or "Invalid request.",
                "type": "invalid_request_error",
                "param": first.param if first is not None else None,
                "code": first.openai_code if first is not None else None,
            }
        }


#: The upstream API's code for a problem that has one whatever its value (see
#: ``ErrorDetail.openai_code``, which tells the others apart).
_OPENAI_CODES: Final[dict[str, str]] = {
    "missing": "missing_required_parameter",
    "unknown_field": "unknown_parameter",
    "type": "invalid_type",
    "enum": "invalid_value",
    "const": "invalid_value",
    "unknown_tag": "invalid_value",
    "one_of": "invalid_value",
    "not_finite": "invalid_value",
    "invalid_value": "invalid_value",
    "pattern": "invalid_value",
}

#: What ``_kinds._bounds`` says of a number past a bound.
_BOUND: Final = re.compile(r"expected (an integer|a number) ([<>]=) ")

#: ``to_openai_error`` spells out this many problems in its message.
_SENTENCES: Final = 10

#: What a report's last entry (``too_many_problems``) says was left out of it.
_LEFT_OUT: Final = re.compile(r"(at least )?([0-9][0-9,]*) more problem")


def problem_count(errors: Iterable[ErrorDetail]) -> tuple[int, bool]:
    """How many problems a report stands for: those it lists and those its
    ``too_many_problems`` entry says it left out; and whether that is a lower bound (the check
    stopped counting)."""
    count, at_least = 0, False
    for e in errors:
        if e.code != "too_many_problems":
            count += 1
            continue
        m = _LEFT_OUT.match(e.message)
        if m is None:  # pragma: no cover - runschema writes every such entry one of two ways
            count += 1
            continue
        count += int(m[2].replace(",", ""))
        at_least = at_least or m[1] is not None
    return count, at_least


class RequestError(SchemaError):
    """A request could not be built from the values given: you misused the API.

    Raised for empty ids, ids that are ``.``/``..`` path segments (also percent-encoded),
    ids that are not strings or hold lone surrogates, and ``extra_body`` values that cannot be
    sent. (h11 calls this a local protocol error: the fault is on this side.)
    """


class DecodeError(SchemaError):
    """The input is not a JSON document of the expected kind.

    Empty bodies, malformed JSON, invalid UTF-8 or lone surrogates (each with ``lineno``,
    ``colno``, both from 1, and ``pos``, from 0, of the first bad character), a UTF-8 BOM in
    strict mode (lenient mode skips it, as clients do), nesting deeper than the parser
    allows, a top level that is not an object, and inputs that are neither ``bytes`` nor
    ``str``.
    """

    def __init__(
        self,
        errors: Iterable[ErrorDetail],
        *,
        pos: int | None = None,
        lineno: int | None = None,
        colno: int | None = None,
    ) -> None:
        self.pos = pos
        self.lineno = lineno
        self.colno = colno
        super().__init__(errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_decode_error, (self.errors, self.pos, self.lineno, self.colno))


def _rebuild_decode_error(
    errors: tuple[ErrorDetail, ...], pos: int | None, lineno: int | None, colno: int | None
) -> DecodeError:
    return DecodeError(errors, pos=pos, lineno=lineno, colno=colno)


class ValidationError(SchemaError):
    """The JSON was read, but breaks the schema: :attr:`errors` holds every problem found.

    >>> from runschema import loads, Run, ValidationError
    >>> try:
    ...     loads(b'{"object": "thread.run"}', Run)
    ... except ValidationError as e:
    ...     print(e.errors[0])
    $.id: required key 'id' is missing [missing]
    """
