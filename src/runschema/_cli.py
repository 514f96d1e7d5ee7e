"""The ``runschema`` command line: validate and normalize files of runs and request bodies.

Subcommands live in one registry, :data:`COMMANDS`: each is a :class:`Command` that adds its
options to its own parser and runs from the parsed arguments. A new subcommand is one
:func:`register` call; :func:`build_parser` and :func:`main` need no change.

Inputs are read in *units* (:mod:`runschema._inputs`), one JSON text each: a whole ``.json``
file, or one line of a ``.jsonl`` file. A unit holds one document, an array of documents, or a
list page (``{"object": "list", "data": [...]}``).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import io
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, BinaryIO, Final, Literal, TextIO

import attrs
import orjson

from ._bodies import CreateRunParams, CreateThreadAndRunParams, SubmitToolOutputsParams
from ._checker import walk_stream
from ._codec import (
    dumps,
    seed_example,
    structure_parsed,
)
from ._errors import DecodeError, ErrorDetail, SchemaError
from ._events import RunEvent, StreamEvent
from ._inputs import (
    DEFAULT_MAX_BYTES,
    InputError,
    InputFormat,
    Unit,
    array_items,
    is_page,
    isatty,
    name_of,
    opened,
    read,
    whole_unit,
)
from ._kinds import MAX_PROBLEMS, Ctx, json_copy, json_type, left_out_entry, spec_of
from ._messages import Message, MessageDelta, MessageList, RunStepDelta, Thread
from ._models import Run, RunUpdateParams
from ._pages import ErrorResponse, RunList, RunStepList
from ._schema import _Model
from ._sse import DEFAULT_MAX_FRAME_BYTES, encode_events
from ._steps import RunStep

__all__ = ["COMMANDS", "DOCUMENT_TYPES", "Command", "build_parser", "main", "register"]

#: Exit statuses: every document valid, some document invalid, a usage or I/O problem.
EXIT_OK: Final = 0
EXIT_INVALID: Final = 1
EXIT_USAGE: Final = 2

#: The document types the command line knows, by the name ``--type`` takes: every object
#: the run operations answer with, and every request body they take.
DOCUMENT_TYPES: Final[Mapping[str, type[Any]]] = {
    "run": Run,
    "run-step": RunStep,
    "run-list": RunList,
    "run-step-list": RunStepList,
    "error": ErrorResponse,
    "create-run-request": CreateRunParams,
    "create-thread-and-run-request": CreateThreadAndRunParams,
    "submit-tool-outputs-request": SubmitToolOutputsParams,
    "modify-run-request": RunUpdateParams,
    "thread": Thread,
    "message": Message,
    "message-list": MessageList,
    "message-delta": MessageDelta,
    "run-step-delta": RunStepDelta,
}

#: ``--type stream``: the input is a server-sent-event stream (``.sse``), not JSON.
STREAM_TYPE: Final = "stream"

#: What each document type is, for ``--help``.
_TYPE_HELP: Final[Mapping[str, str]] = {
    "run": 'a run ("object": "thread.run")',
    "run-step": 'a run step ("object": "thread.run.step")',
    "run-list": "a page of runs, as List runs answers",
    "run-step-list": "a page of run steps, as List run steps answers",
    "error": 'an API error body: {"error": {"message", ...}}',
    "create-run-request": "a Create run request body",
    "create-thread-and-run-request": "a Create thread and run request body",
    "submit-tool-outputs-request": "a Submit tool outputs request body",
    "modify-run-request": "a Modify run request body",
    "thread": 'a thread ("object": "thread")',
    "message": 'a message ("object": "thread.message")',
    "message-list": "a page of messages, as List messages answers",
    "message-delta": 'a message delta ("object": "thread.message.delta")',
    "run-step-delta": 'a run step delta ("object": "thread.run.step.delta")',
    STREAM_TYPE: "a streamed run: server-sent events (.sse), each frame decoded and the "
    "order of events checked",
}


def _types_help(stream: bool = True) -> str:
    """The ``document types:`` section of ``--help``: every ``--type`` name, what it is."""
    names = [*DOCUMENT_TYPES, *([STREAM_TYPE] if stream else [])]
    width = max(len(name) for name in names)
    rows = "".join(f"  {n:<{width}}  {_TYPE_HELP.get(n, '')}".rstrip() + "\n" for n in names)
    return f"document types:\n{rows}"


def _is_page_type(cls: type[Any]) -> bool:
    """Whether documents of ``cls`` are list pages themselves (``RunList``, ...): a list page
    of them is then one document, not a page of documents."""
    if not (isinstance(cls, type) and issubclass(cls, _Model)):
        return False
    return {"object", "data", "has_more"} <= spec_of(cls).names


_SEED_NAME: Final = "<seed example>"


# --- the registry of subcommands ------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Command:
    """One subcommand: its name, one-line help, description, examples, options and action.

    ``configure`` adds the subcommand's arguments to its parser; ``run`` gets the parsed
    arguments and returns the exit status.
    """

    name: str
    help: str
    description: str
    epilog: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


#: Every subcommand, by name, in the order ``--help`` lists them.
COMMANDS: dict[str, Command] = {}


def register(command: Command) -> Command:
    """Add a subcommand to :data:`COMMANDS`; a name may be registered once."""
    if command.name in COMMANDS:
        raise ValueError(f"a command named {command.name!r} is already registered")
    COMMANDS[command.name] = command
    return command


_DESCRIPTION = """\
Validate and normalize documents of the Assistants API runs resource held in JSON and JSONL
files: runs, run steps, list pages, error bodies, and the request bodies of the run operations
(--type); and recorded streams of server-sent events (validate --type stream)."""

_EPILOG = """\
examples:
  runschema validate                   check the bundled seed example run
  runschema validate runs.jsonl        check every run of a JSONL export
  runschema normalize runs.json        decode and re-encode, losslessly

'runschema COMMAND --help' tells more about each command.
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``runschema`` command, one subparser per registered command."""
    width = max((len(name) for name in COMMANDS), default=0)
    listing = "".join(f"  {c.name:<{width}}  {c.help}\n" for c in COMMANDS.values())
    parser = argparse.ArgumentParser(
        prog="runschema",
        usage="%(prog)s [-h] [--version] COMMAND ...",
        description=_DESCRIPTION,
        epilog=f"commands:\n{listing}\n{_EPILOG}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction)
    # The commands are listed in the epilog, aligned; argparse's own listing wraps long names.
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", help=argparse.SUPPRESS)
    sub.required = True
    for command in COMMANDS.values():
        p = sub.add_parser(
            command.name,
            prog=f"{parser.prog} {command.name}",
            help=command.help,
            description=command.description,
            epilog=command.epilog,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.configure(p)
        p.set_defaults(run_command=command.run, command_parser=p)
    return parser


class _VersionAction(argparse.Action):
    """``--version``: looks the version up only when asked (importlib.metadata is not free)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="show the version and exit",
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("runschema")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``runschema`` command line with ``argv`` (default: ``sys.argv[1:]``).

    Returns the exit status: 0 when every document is valid, 1 when one is not, 2 for a usage
    or I/O problem.
    """
    try:
        code = _run(argv)
        sys.stdout.flush()  # a failed write shows here, not as Python exits
        return code
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        _silence_stdout()
        return EXIT_USAGE
    except OSError as e:  # the output could not be written (a full disk, a closed file)
        _silence_stdout()
        with contextlib.suppress(OSError):  # stderr may be gone too
            print(f"runschema: error: cannot write the output: {e.strerror or e}", file=sys.stderr)
        return EXIT_USAGE
    except MemoryError:  # a text too large to hold, under a --max-bytes raised past memory
        with contextlib.suppress(OSError):
            print(
                "runschema: error: out of memory (--max-bytes bounds what is read at once)",
                file=sys.stderr,
            )
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl-C: a line of its own (after the ^C), and why it ends
        with contextlib.suppress(OSError):
            print("\nrunschema: interrupted", file=sys.stderr)
        return 130


def write_all(out: BinaryIO, data: bytes) -> None:
    """Write all of ``data``: a write that takes only part of it (a pipe whose reader went
    away, a disk that filled up: a buffered file may then say so only by its count) is
    written on from there, so that the error shows; OSError when nothing more goes out."""
    view = memoryview(data)
    while view:
        n = out.write(view)
        if not n:  # 0, or None (it would block)
            raise OSError(errno.EIO, "the output took only part of what was written")
        view = view[n:]


def write_text(out: TextIO, text: str) -> None:
    """``out.write(text)``, through :func:`write_all` where ``out`` has a binary buffer (a
    text file passes its buffer's count over)."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(text)
        return
    out.flush()
    write_all(buffer, text.encode(out.encoding or "utf-8", out.errors or "strict"))


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # said with the command's usage, which names what it takes
            command_parser: argparse.ArgumentParser = args.command_parser
            command_parser.error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as e:  # --help, --version, or a usage error argparse already printed
        return e.code if isinstance(e.code, int) else (EXIT_OK if e.code is None else EXIT_USAGE)
    run: Callable[[argparse.Namespace], int] = args.run_command
    return run(args)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _report_writer(out: TextIO) -> Callable[[str], object]:
    """How a command writes report text to ``out``: ``out.write``, or, when ``out`` and
    stderr are both a terminal (where a bar may be drawn), a write that wipes any bar first
    and draws it again after, so that the text starts a line of its own."""
    if not (isatty(out) and isatty(sys.stderr)):
        return out.write

    def write(text: str) -> None:
        tqdm = sys.modules.get("tqdm")  # imported only once a bar was started
        if tqdm is None:
            out.write(text)
            return
        with tqdm.tqdm.external_write_mode(file=out):
            out.write(text)

    return write


# --- checking documents -------------------------------------------------------------------


@attrs.frozen
class _Doc:
    """One document's outcome: where it is, its id, its errors, and its re-encoding if asked
    for."""

    source: str
    #: None: the input as a whole (one that could not be read to its end)
    line: int | None
    index: int | None
    errors: tuple[ErrorDetail, ...]
    encoded: bytes | None = None
    id: str | None = None


Shape = Literal["one", "array", "page"]


def _id_of(value: Any) -> str | None:
    """A document's ``id``, when it has a string one: exact (JSON reports write it so that
    they can be joined back to the documents; text reports show it bounded, see _shown)."""
    doc_id = value.get("id") if type(value) is dict else None
    return doc_id if type(doc_id) is str else None


def _shown(source: str, doc_id: str | None) -> str:
    """A text report's name for a document: its source, and its id (bounded, printable)."""
    if not doc_id:
        return printable(source)
    cut = doc_id if len(doc_id) <= _ID_MAX else doc_id[: _ID_MAX - 3] + "..."
    return f"{printable(source)} ({printable(cut)})"


def printable(text: str) -> str:
    """``text`` as a text report writes it: as it is when every character is printable, else
    escaped (a key or a file name holding a line end or a terminal's escape sequence cannot
    break a report into lines of its own, or drive the terminal).

    >>> printable("$.tools[0]"), printable("$['a\\nb']")
    ('$.tools[0]', "$['a\\\\nb']")
    """
    if text.isprintable():
        return text
    # each character that is not printable, alone: a backslash already there (a file name's
    # \xff for a byte that is not UTF-8) is not escaped again (found by an archive reader)
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


#: Ids longer than this are cut in reports.
_ID_MAX: Final = 80


def _not_object(value: object, what: str = "a JSON object") -> tuple[ErrorDetail, ...]:
    return (
        ErrorDetail(
            loc=(),
            code="not_object",
            message=f"expected {what}, got {json_type(value)}",
        ),
    )


def _check_one(
    source: str,
    line: int,
    index: int | None,
    value: Any,
    cls: type[Any],
    strict: bool,
    encode: bool,
    exact: Callable[[], Any],
    markers: bool = False,
) -> _Doc:
    if type(value) is not dict:
        return _Doc(source, line, index, _not_object(value))
    try:
        model = structure_parsed(value, cls, strict=strict, exact=exact, markers=markers)
    except SchemaError as e:
        return _Doc(source, line, index, e.errors, id=_id_of(value))
    return _Doc(source, line, index, (), dumps(model) if encode else None, _id_of(value))


def _page_problems(page: dict[str, Any]) -> tuple[ErrorDetail, ...]:
    """Problems of a list page's own keys (beside ``data``): each must be JSON that can be
    written back as it came (nothing nested too deep, no integer beyond 64 bits)."""
    ctx = Ctx(strict=False)
    extras = {key: v for key, v in page.items() if key != "data"}
    ctx.run(json_copy, extras, (), ctx)
    return tuple(ctx.problems())


def _item(exact: Callable[[], Any], shape: Shape, i: int) -> Callable[[], Any]:
    """The exact parse of item ``i`` of a unit, when the unit has one (see ``Unit.exact``)."""

    def get() -> Any:
        whole = exact()
        if whole is None:
            return None
        return whole[i] if shape == "array" else whole["data"][i]

    return get


_POSITION: Final = re.compile(r" at line (\d+), column (\d+)")


def _in_the_file(errors: Sequence[ErrorDetail], origin: tuple[int, int]) -> tuple[ErrorDetail, ...]:
    """Parse errors of a document whose text starts at ``origin`` in its input, with their
    positions (``at line 2, column 5``) made the input's, as the report's ``file:line``."""
    lines, columns = origin
    if origin == (0, 0):
        return tuple(errors)

    def moved(m: re.Match[str]) -> str:
        line, column = int(m[1]), int(m[2])
        column += columns if line == 1 else 0
        return f" at line {line + lines}, column {column}"

    return tuple(attrs.evolve(e, message=_POSITION.sub(moved, e.message)) for e in errors)


#: What the first document of an input that starts with a byte order mark says in strict
#: mode (as ``loads`` says of a text that starts with one).
_BOM_PROBLEM: Final = ErrorDetail(
    loc=(), code="encoding", message="a UTF-8 byte order mark (BOM) is not allowed"
)


def _check_unit(
    source: str, unit: Unit, cls: type[Any], *, strict: bool, encode: bool
) -> tuple[Shape, Any, list[_Doc]]:
    """:func:`_check_documents`, and the byte order mark the unit reports in strict mode
    (see ``Unit.bom``)."""
    shape, value, docs = _check_documents(source, unit, cls, strict=strict, encode=encode)
    if not strict:
        return shape, value, docs
    if unit.bom and docs:
        first = docs[0]
        errors = (_BOM_PROBLEM, *(e for e in first.errors if e != _BOM_PROBLEM))
        docs[0] = attrs.evolve(first, errors=errors, encoded=None)
    elif unit.bom:  # an empty array or page: the mark is reported on its own
        docs.append(_Doc(source, unit.line, None, (_BOM_PROBLEM,)))
    return shape, value, docs


def _item_by_item(error: DecodeError) -> bool:
    """Whether orjson refused a text for what spoils only the document holding it: a lone
    surrogate escape (``"\\ud800"``, well-formed JSON that UTF-8 cannot carry), or nesting
    deeper than it reads (found by an archive reader: one item so deep made a whole array
    one invalid document)."""
    first = error.errors[0]
    if first.code == "too_deep":
        return True
    return first.code == "encoding" and "lone surrogate escape" in first.message


def _check_items(
    source: str,
    unit: Unit,
    items: list[tuple[int, int, bytes]],
    cls: type[Any],
    strict: bool,
    encode: bool,
) -> list[_Doc]:
    """The documents of an array that could not be read whole, each read from its own text:
    the one holding a lone surrogate escape reports it, the others are checked as usual."""
    docs: list[_Doc] = []
    row, col = unit.origin
    for i, (line, column, text) in enumerate(items):
        origin = (row + line - 1, (col if line == 1 else 0) + column - 1)
        item = Unit(unit.line, text, origin=origin)
        try:
            value = item.readable()
        except DecodeError as e:
            docs.append(_Doc(source, unit.line, i, _in_the_file(e.errors, origin)))
            continue
        doc = _check_one(source, unit.line, i, value, cls, strict, encode, item.exact, item.markers)
        docs.append(doc)
    return docs


def _check_documents(
    source: str, unit: Unit, cls: type[Any], *, strict: bool, encode: bool
) -> tuple[Shape, Any, list[_Doc]]:
    """Every document of one unit checked: the unit's shape, its value, and the outcomes.

    A whole JSON text may hold one document, an array of them or a list page; a JSONL line
    holds one document or a list page (a logged List answer, as ``jq -c`` writes it).
    """
    try:
        value = unit.readable()
    except DecodeError as e:
        texts = array_items(unit.data) if unit.whole and _item_by_item(e) else None
        if texts is not None:  # the items of an array, each a text of its own
            return "array", None, _check_items(source, unit, texts, cls, strict, encode)
        errors = _in_the_file(e.errors, unit.origin)
        return "one", None, [_Doc(source, unit.line, None, errors)]
    shape: Shape
    items: list[Any]
    docs: list[_Doc] = []
    page = type(value) is dict and is_page(value) and not _is_page_type(cls)
    if not page and (not unit.whole or type(value) not in (list, dict)):
        what = "a JSON object (a JSONL line holds one document or a list page)"
        if unit.whole:
            what = "a JSON object, an array of objects or a list page"
        if type(value) is not dict:
            return "one", value, [_Doc(source, unit.line, None, _not_object(value, what))]
        doc = _check_one(
            source, unit.line, None, value, cls, strict, encode, unit.exact, unit.markers
        )
        return "one", value, [doc]
    if type(value) is list:
        shape, items = "array", value
    elif page:
        shape, items = "page", value["data"]
        try:
            exact_page = unit.exact()  # its own keys are not checked by a fast path
            problems = _page_problems(value if exact_page is None else exact_page)
        except DecodeError as e:  # the text could not be read exactly
            problems = tuple(e.errors)
        if problems:  # the page itself cannot be written back: reported as one document
            docs.append(_Doc(source, unit.line, None, problems))
    else:
        doc = _check_one(
            source, unit.line, None, value, cls, strict, encode, unit.exact, unit.markers
        )
        return "one", value, [doc]
    # The parsed documents are not garbage: keep the collector off them. Not when objects are
    # frozen already (by the process, or by CPython 3.12 at start): unfreezing would release
    # those too.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        for i, item in enumerate(items):
            exact = _item(unit.exact, shape, i)
            docs.append(
                _check_one(source, unit.line, i, item, cls, strict, encode, exact, unit.markers)
            )
    finally:
        if freeze:
            gc.unfreeze()
    return shape, value, docs


def _inputs(
    paths: Sequence[str], forced: InputFormat, report_bom: bool, max_bytes: int
) -> Iterator[tuple[str, Iterator[Unit]]]:
    if not paths:
        yield _SEED_NAME, iter([whole_unit(seed_example())])
        return
    for path in paths:
        yield name_of(path), read(path, forced, report_bom=report_bom, max_bytes=max_bytes)


def _header(doc: _Doc) -> str:
    where = f"{doc.source}:{doc.line}"
    if doc.index is not None:
        where += f" [{doc.index}]"
    return _shown(where, doc.id)


def _text_block(doc: _Doc) -> str:
    return "\n".join([_header(doc), *map(_problem_line, doc.errors)])


def _problem_line(e: ErrorDetail) -> str:
    return f"  {printable(e.path)}: {printable(e.message)} [{e.code}]"


def _error(message: str) -> None:
    # one line, as the report's: a file name may hold a line end (found by an archive reader)
    print(f"runschema: error: {printable(message)}", file=sys.stderr)


@attrs.define
class _Tally:
    documents: int = 0
    invalid: int = 0
    #: inputs that could not be opened or read to their end
    unread: int = 0
    started: float = attrs.field(factory=time.perf_counter)
    #: problems found, by code
    codes: Counter[str] = attrs.field(factory=Counter)
    #: what is counted: documents, or streams
    unit: str = "document"

    def add(self, doc: _Doc) -> None:
        self.documents += 1
        if doc.errors:
            self.invalid += 1
            self.codes.update(e.code for e in doc.errors)

    def by_code(self) -> str | None:
        """``problems by code: type 3, missing 1`` (most frequent first), or None if none."""
        if not self.codes:
            return None
        ranked = sorted(self.codes.items(), key=lambda kv: (-kv[1], kv[0]))
        return "problems by code: " + ", ".join(f"{code} {n:,}" for code, n in ranked)

    def status(self) -> int:
        if self.unread:
            return EXIT_USAGE
        return EXIT_INVALID if self.invalid else EXIT_OK

    def summary(self) -> str:
        elapsed = time.perf_counter() - self.started
        rate = self.documents / elapsed if elapsed > 0 else 0.0
        n, unit, k = self.documents, self.unit, self.unread
        unread = f", {_count(k, 'input')} not read" if k else ""
        return (
            f"{_count(n, unit)}: {n - self.invalid:,} valid, "
            f"{self.invalid:,} invalid{unread} in {elapsed:.3f} s ({_rate(rate)} {unit}s/s)"
        )


def _count(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural but for one (found by an archive reader: "1 of 1
    documents").

    >>> _count(1, "document"), _count(3, "stream")
    ('1 document', '3 streams')
    """
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _rate(per_second: float) -> str:
    """A rate to two significant figures below 10 (``0.37``: a slow stream is not ``0``),
    whole above."""
    return f"{per_second:.2g}" if per_second < 10 else f"{per_second:,.0f}"


def _each_unit(
    args: argparse.Namespace,
    tally: _Tally,
    on_unread: Callable[[str, str], object] | None = None,
) -> Iterator[tuple[str, Unit]]:
    """Every unit of every input, in order; an unreadable input is reported (on stderr, and
    to ``on_unread`` with its source and message) and skipped, after the line last read. A
    UTF-8 byte order mark starting an input is skipped, and reported in strict mode (see
    :func:`runschema._inputs.read`)."""
    max_bytes = DEFAULT_MAX_BYTES if args.max_bytes is None else args.max_bytes
    for source, units in _inputs(args.paths, args.input_format, args.strict, max_bytes):
        last = 0
        try:
            for unit in units:
                last = unit.line
                yield source, unit
        except InputError as e:
            message = str(e) if not last else f"{e} (after line {last:,})"
            _error(message)
            tally.unread += 1
            if on_unread is not None:
                on_unread(source, message)


# --- validate -------------------------------------------------------------------------------


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--strict",
        action="store_true",
        help="apply the published schema exactly (default: lenient, forward compatible)",
    )
    p.add_argument(
        "--type",
        choices=[*DOCUMENT_TYPES, STREAM_TYPE],
        default="run",
        metavar="TYPE",
        help="what the documents are (default: run): one of the document types below",
    )
    p.add_argument(
        "--input-format",
        choices=["auto", "json", "jsonl"],
        default="auto",
        help=(
            "how to read the inputs (default: auto, by the name's suffix .json or "
            ".jsonl/.ndjson, else by content)"
        ),
    )
    p.add_argument(
        "--max-bytes",
        type=_byte_size,
        default=None,
        metavar="SIZE",
        help=(
            "the largest JSON text read at once, in bytes or with a suffix K, M or G "
            f"(default: {DEFAULT_MAX_BYTES // 2**20}M): a longer JSONL line is skipped and "
            "reported (too_large), as is a longer whole JSON input; with --type stream, "
            f"the largest frame (default: {DEFAULT_MAX_FRAME_BYTES // 2**20}M)"
        ),
    )


_SIZE: Final = re.compile(r"([0-9]+)([KMG]?)", re.IGNORECASE)


def _byte_size(text: str) -> int:
    """``--max-bytes``: a count of bytes, or of KiB, MiB or GiB with a suffix K, M or G.

    >>> _byte_size("300"), _byte_size("64k"), _byte_size("1G")
    (300, 65536, 1073741824)
    """
    m = _SIZE.fullmatch(text.strip())
    if m is None or int(m[1]) == 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is no size: a positive whole number of bytes, or one with K, M or G"
        )
    size = int(m[1]) << {"": 0, "K": 10, "M": 20, "G": 30}[m[2].upper()]
    # past what an index holds, no bound (found by an archive reader: OverflowError)
    return min(size, sys.maxsize // 4)


def _configure_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=(
            "a .json or .jsonl file (.ndjson too; with --type stream, a recorded stream), "
            "gzip, bzip2 or xz-compressed or not, or - for standard input "
            "(none: the bundled seed example)"
        ),
    )
    _add_common(p)
    p.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text for people (default), or json: one JSON object a line for every document",
    )
    p.add_argument(
        "--only-invalid",
        action="store_true",
        help=(
            "with --format json, write records for invalid documents only (the text report "
            "lists only those already)"
        ),
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help=(
            "write no report and no summary: the exit status says it all (an input that "
            "cannot be read is still said on stderr)"
        ),
    )


class _Nowhere(io.StringIO):
    """The report of ``--quiet``: written to nowhere, and holding nothing."""

    def write(self, text: str) -> int:
        return len(text)


def _report_out(args: argparse.Namespace) -> TextIO:
    """Where the report goes: standard output, or nowhere with ``--quiet``."""
    return _Nowhere() if args.quiet else sys.stdout


def _run_validate(args: argparse.Namespace) -> int:
    if args.type == STREAM_TYPE:
        return _validate_streams(args)
    cls = DOCUMENT_TYPES[args.type]
    as_json = args.format == "json"
    out = _report_out(args)
    if not args.paths and not args.quiet:
        note = "no PATH given: validating the bundled seed example"
        print(note, file=sys.stderr if as_json else out)
    tally = _Tally()
    write = _report_writer(out)

    def unread(source: str, message: str) -> None:
        write(_unread_record(source, message))

    for source, unit in _each_unit(args, tally, unread if as_json else None):
        _, _, docs = _check_unit(source, unit, cls, strict=args.strict, encode=False)
        for doc in docs:
            tally.add(doc)
            if as_json:
                if doc.errors or not args.only_invalid:
                    write(_json_record(doc))
            elif doc.errors:
                write(_text_block(doc) + "\n")
    by_code = tally.by_code()
    if by_code is not None and not as_json:  # JSON records carry their codes
        print(by_code, file=out)
    print(tally.summary(), file=out if args.quiet or not as_json else sys.stderr)
    return tally.status()


def _unread_record(source: str, message: str) -> str:
    """The JSON record of an input that could not be read: a record of its own, line null."""
    problem = ErrorDetail(loc=(), code="unreadable_input", message=message)
    return _json_record(_Doc(source, None, None, (problem,)))


def _json_record(doc: _Doc) -> str:
    record = {
        "source": doc.source,
        "line": doc.line,
        "index": doc.index,
        "id": doc.id,
        "valid": not doc.errors,
        "errors": [{"path": e.path, "code": e.code, "message": e.message} for e in doc.errors],
    }
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE).decode()


VALIDATE = register(
    Command(
        name="validate",
        help="check documents against the schema and report every problem",
        description=(
            "Check runs, run steps, list pages, error bodies or request bodies (--type) and\n"
            "report every problem of every invalid document, with its file, line and JSON\n"
            "path."
        ),
        epilog=_types_help()
        + """
input:
  a .json file holds one document, an array of documents, or a list page
  ({"object": "list", "data": [...]}) of documents (with --type run-list or
  run-step-list a page is one document), or several of these one after another
  (as jq . writes them), read whole; a .jsonl file holds a document or a list page
  per line (blank lines skipped), read line by line; a text longer than --max-bytes
  (a line, or a whole .json file) is reported as too_large, not read;
  - reads standard input, JSON or JSONL told apart by content. Compressed input
  (gzip, bzip2, xz) is read as such; a UTF-8 byte order mark starting a file is
  skipped, except with --strict.

examples:
  runschema validate                       the bundled seed example (lenient)
  runschema validate runs.jsonl page.json  every document of both files
  runschema validate --strict runs.jsonl   the published schema exactly
  runschema validate --format json runs.jsonl > report.jsonl
  runschema validate --strict --type run-step steps.jsonl
  cat bodies.jsonl | runschema validate --type create-run-request -

output:
  text: for each invalid document 'file:line' (and '[index]' inside an array or
  list page), then one '  path: message [code]' line per problem; last, a summary.
  json: one object a line per document: {"source", "line", "index", "id", "valid",
  "errors": [{"path", "code", "message"}]}, and one with "line": null and the code
  unreadable_input for an input that could not be read to its end; the summary goes
  to stderr.
  --quiet: nothing; the exit status alone says whether every document is valid.

exit status: 0 all valid, 1 some invalid, 2 a usage or I/O problem.
""",
        configure=_configure_validate,
        run=_run_validate,
    )
)


# --- streams ------------------------------------------------------------------------------

_STREAM_CHUNK: Final = 64 * 1024


def _stream_of(path: str) -> tuple[str, Iterator[bytes]]:
    """An input's name and its bytes in chunks (read decompressed), in constant memory."""

    def chunks() -> Iterator[bytes]:
        with opened(path) as (_, stream, _):
            # what one read of the file gives: a read that fills the chunk loses what it had
            # read when the next read of a damaged archive fails (see _check_stream)
            read = getattr(stream, "read1", stream.read)
            while chunk := read(_STREAM_CHUNK):
                yield chunk

    return name_of(path), chunks()


def _check_stream(
    source: str,
    chunks: Iterator[bytes],
    strict: bool,
    keep: bool,
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
) -> tuple[_Doc, list[StreamEvent], InputError | None]:
    """One stream's outcome (every bad frame, then every breach of the order of events, by
    index: ``validate_stream``'s) and, with ``keep``, its events (else none are held: memory
    stays flat); and the error that stopped reading it, if one did (a damaged archive: the
    outcome is then what the frames before the damage showed, the end not checked)."""
    problems: list[ErrorDetail] = []
    left_out = 0  # problems past the first MAX_PROBLEMS, counted, as a document's are
    events: list[StreamEvent] = []
    run_id: str | None = None
    failed: InputError | None = None
    try:
        for event, kept, found in walk_stream(chunks, strict, max_frame_bytes):
            if run_id is None and isinstance(event, RunEvent):
                run_id = event.data.id
            if keep and kept and event is not None:
                events.append(event)
            room = max(0, MAX_PROBLEMS - len(problems))
            problems.extend(found[:room])
            left_out += max(0, len(found) - room)
    except InputError as e:
        failed = e
    if left_out:
        problems.append(left_out_entry(left_out, at_least=False))
    doc = _Doc(source=source, line=1, index=None, errors=tuple(problems), id=run_id)
    return doc, events, failed


def _each_stream(
    paths: Sequence[str],
    strict: bool,
    tally: _Tally,
    *,
    keep: bool = False,
    on_unread: Callable[[str, str], object] | None = None,
    max_frame_bytes: int | None = None,
) -> Iterator[tuple[_Doc, list[StreamEvent]]]:
    """Every input's outcome and (with ``keep``) events, counted in ``tally``; an unreadable
    input is reported (on stderr, and to ``on_unread`` with its source and message) and
    skipped; one that could not be read to its end (a damaged archive) is, after the
    problems of the frames read before the damage, if any, as an invalid stream with no
    events (found by an archive reader: a cut ``.sse.gz`` said nothing of them).
    ``max_frame_bytes``: ``--max-bytes``, None for the decoder's default."""
    bound = DEFAULT_MAX_FRAME_BYTES if max_frame_bytes is None else max_frame_bytes
    for source, chunks in map(_stream_of, paths):
        doc, events, failed = _check_stream(source, chunks, strict, keep, bound)
        if failed is not None:
            if doc.errors:
                tally.add(doc)
                yield doc, []  # a part of a stream is not written out
            _error(str(failed))
            tally.unread += 1
            if on_unread is not None:
                on_unread(source, str(failed))
            continue
        tally.add(doc)
        yield doc, events


def _stream_usage_error(args: argparse.Namespace) -> bool:
    """Whether an option that does not apply to streams was given (then said on stderr)."""
    if args.input_format != "auto":
        _error("--input-format does not apply to --type stream (a stream is read as events)")
        return True
    return False


def _validate_streams(args: argparse.Namespace) -> int:
    as_json = args.format == "json"
    out = _report_out(args)
    if _stream_usage_error(args):
        return EXIT_USAGE
    if not args.paths:
        _error("--type stream needs a PATH (an .sse file, or - for standard input)")
        return EXIT_USAGE
    tally = _Tally(unit="stream")

    def unread(source: str, message: str) -> None:
        write_text(out, _unread_record(source, message))

    for doc, _ in _each_stream(
        args.paths,
        args.strict,
        tally,
        on_unread=unread if as_json else None,
        max_frame_bytes=args.max_bytes,
    ):
        if as_json:
            if doc.errors or not args.only_invalid:
                write_text(out, _json_record(doc))
        elif doc.errors:
            out.write(_stream_block(doc) + "\n")
    by_code = tally.by_code()
    if by_code is not None and not as_json:
        print(by_code, file=out)
    print(tally.summary(), file=out if args.quiet or not as_json else sys.stderr)
    return tally.status()


def _stream_block(doc: _Doc) -> str:
    """A stream's problems: its name (and its run's id), then ``  $[i]...: message [code]``."""
    return "\n".join([_shown(doc.source, doc.id), *map(_problem_line, doc.errors)])


def _normalize_streams(args: argparse.Namespace) -> int:
    if _stream_usage_error(args):
        return EXIT_USAGE
    if len(args.paths) > 1:  # one output is one stream: streams written one after another
        # would make a stream that goes on after its done event
        _error("normalize --type stream takes one stream (its output is one stream)")
        return EXIT_USAGE
    out = sys.stdout.buffer
    tally = _Tally(unit="stream")
    for doc, events in _each_stream(
        args.paths, args.strict, tally, keep=True, max_frame_bytes=args.max_bytes
    ):
        if doc.errors:
            print(_stream_block(doc), file=sys.stderr)
        write_all(out, encode_events(events))
    out.flush()
    if tally.invalid:
        print(
            f"{tally.invalid} of {_count(tally.documents, 'stream')} with problems: their "
            "bad frames are left out of the output",
            file=sys.stderr,
        )
    return tally.status()


# --- normalize ------------------------------------------------------------------------------


def _configure_normalize(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a .json or .jsonl file (.ndjson too), gzip, bzip2 or xz-compressed or not, "
        "or - for standard input",
    )
    _add_common(p)


def _encode_unit(shape: Shape, value: Any, docs: Sequence[_Doc]) -> bytes | None:
    """The normalized unit: its valid documents re-encoded, in the unit's own shape."""
    encoded = [d.encoded for d in docs if d.encoded is not None]
    if shape == "one":
        return encoded[0] if encoded else None
    if shape == "array":
        return b"[" + b",".join(encoded) + b"]"
    if any(d.index is None and d.errors for d in docs):  # the page's own keys are bad
        return None
    data = [orjson.Fragment(e) for e in encoded]
    page = {k: (data if k == "data" else v) for k, v in value.items()}
    if len(encoded) < len(value["data"]):  # items left out: the ids of the page's ends too
        kept = [d.id for d in docs if d.encoded is not None and d.index is not None]
        for key, end in (("first_id", 0), ("last_id", -1)):
            if key in page:
                page[key] = kept[end] if kept else None
    return orjson.dumps(page)  # its own keys were checked: see _page_problems


def _run_normalize(args: argparse.Namespace) -> int:
    if args.type == STREAM_TYPE:
        return _normalize_streams(args)
    cls = DOCUMENT_TYPES[args.type]
    out = sys.stdout.buffer
    tally = _Tally()
    report = _report_writer(sys.stderr)
    for source, unit in _each_unit(args, tally):
        shape, value, docs = _check_unit(source, unit, cls, strict=args.strict, encode=True)
        for doc in docs:
            tally.add(doc)
            if doc.errors:
                report(_text_block(doc) + "\n")
        encoded = _encode_unit(shape, value, docs)
        if encoded is not None:
            write_all(out, encoded + b"\n")
        elif shape == "page":  # say what else went with it
            kept = sum(d.index is not None and not d.errors for d in docs)
            report(
                f"{printable(source)}:{unit.line}: the list page is left out of the output with "
                f"its {kept} valid documents: its own keys cannot be written back as they came\n"
            )
    out.flush()
    if tally.invalid:
        print(
            f"{tally.invalid} of {_count(tally.documents, 'document')} invalid, left out of the "
            "output",
            file=sys.stderr,
        )
    return tally.status()


NORMALIZE = register(
    Command(
        name="normalize",
        help="decode and re-encode documents (lossless in the default lenient mode)",
        description=(
            "Decode every document and encode it again as compact JSON on stdout. Lenient\n"
            "mode (the default) keeps unknown keys, values and union arms, so the output\n"
            "holds the same JSON values as the input. A .json input gives one JSON text a\n"
            "line, in its own shape (document, array or list page); JSONL gives JSONL.\n"
            "Invalid documents are reported on stderr and left out of the output."
        ),
        epilog=_types_help()
        + """
examples:
  runschema normalize runs.jsonl > clean.jsonl
  runschema normalize --strict page.json
  cat runs.jsonl | runschema normalize - | gzip > runs.jsonl.gz

exit status: 0 all valid, 1 some invalid, 2 a usage or I/O problem.
""",
        configure=_configure_normalize,
        run=_run_normalize,
    )
)


def _configure_schema(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "type",
        choices=list(DOCUMENT_TYPES),
        metavar="TYPE",
        help="the document type whose schema to print (one of those below but stream)",
    )


def _run_schema(args: argparse.Namespace) -> int:
    from ._jsonschema import json_schema

    schema = json_schema(DOCUMENT_TYPES[args.type])
    write_all(sys.stdout.buffer, orjson.dumps(schema, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.buffer.flush()
    return EXIT_OK


SCHEMA = register(
    Command(
        name="schema",
        help="print the JSON Schema (2020-12) of a document type, as strict mode reads it",
        description=(
            "Print the JSON Schema 2020-12 of a document type with strict-mode meaning:\n"
            "nullable fields, tagged unions as oneOf, bounds and the metadata limits.\n"
            "Feed it to gateways, documentation or validators in other languages."
        ),
        epilog=_types_help(stream=False)
        + """
examples:
  runschema schema run > run.schema.json
  runschema schema run-step
  runschema schema create-run-request
""",
        configure=_configure_schema,
        run=_run_schema,
    )
)
