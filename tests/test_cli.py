"""The ``runschema`` command line, run as people run it: the console script's ``main`` with
the streams of a fresh process, and the real script in a subprocess where that matters.

Fixture files are made in ``tmp_path`` from the bundled seed example; outputs are compared
line by line, except the summary's timings, which are matched by pattern.
"""

from __future__ import annotations

import argparse
import bz2
import contextlib
import errno
import gc
import gzip
import io
import lzma
import os
import re
import subprocess
import sys
import tracemalloc
import unittest.mock
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import runschema
from runschema import _cli, _inputs
from runschema import strategies as rs
from tests.fixtures import examples

SCRIPT = Path(sys.executable).with_name("runschema")
LAUNCHERS = {
    "python -m runschema": [sys.executable, "-m", "runschema"],
    "runschema script": [str(SCRIPT)],
}
SUMMARY = re.compile(
    r"(?P<n>[\d,]+) documents?: (?P<valid>[\d,]+) valid, (?P<invalid>[\d,]+) invalid "
    r"in \d+\.\d{3} s \([\d,.e+-]+ documents/s\)"
)

SEED: dict[str, Any] = orjson.loads(runschema.seed_example())
#: Lenient-valid, strict-invalid only for the absent ``required_action``: strict needs it.
STRICT_OK: dict[str, Any] = {**SEED, "required_action": None}
NO_ID = {k: v for k, v in SEED.items() if k != "id"}
BAD_STATUS = {**SEED, "status": 5}

STATUS_ERROR = "  $.status: expected a string, got an integer [type]"
ID_ERROR = "  $.id: required key 'id' is missing [missing]"
REQUIRED_ACTION_ERROR = "  $.required_action: required key 'required_action' is missing [missing]"


@attrs.frozen
class Ran:
    """What one command did: its exit status and its output, as text lines."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def blocks(self) -> list[str]:
        """The report's lines before the closing ones (problems by code, the summary)."""
        lines = self.lines[:-1]
        if lines and lines[-1].startswith("problems by code: "):
            lines = lines[:-1]
        return lines

    def summary(self) -> tuple[int, int, int]:
        """(documents, valid, invalid) of the summary line, which must be the last of stdout."""
        m = SUMMARY.fullmatch(self.lines[-1])
        assert m is not None, self.out
        n, valid, invalid = (int(m[k].replace(",", "")) for k in ("n", "valid", "invalid"))
        return n, valid, invalid


def cli(cwd: Path, *args: str, stdin: bytes = b"", launcher: str | None = None) -> Ran:
    """Run the command line in ``cwd``: in this process, as the console script's ``main``,
    with the standard streams and the working directory of a fresh process put in place;
    or, when ``launcher`` names one of LAUNCHERS, the real thing in a subprocess.

    Most tests run in process (a subprocess costs about 0.3 s, a hundred of them half the
    suite); the launcher tests and those that need a real process (exit on a signal, closed
    descriptors) keep the subprocess, and ``TestInProcessIsTheProcess`` checks that the two
    ways agree on every kind of output."""
    if launcher is not None:
        return _in_subprocess(cwd, args, stdin, launcher)
    return _in_process(cwd, args, stdin)


def _in_subprocess(cwd: Path, args: tuple[str, ...], stdin: bytes, launcher: str) -> Ran:
    proc = subprocess.run(
        [*LAUNCHERS[launcher], *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return Ran(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def _in_process(cwd: Path, args: tuple[str, ...], stdin: bytes) -> Ran:
    # The streams a process starts with: UTF-8 text over binary buffers, stdout strict and
    # stderr backslashreplace, as CPython sets them up under a UTF-8 locale.
    out, err = io.BytesIO(), io.BytesIO()
    streams = (
        io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
        io.TextIOWrapper(out, encoding="utf-8", write_through=True),
        io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True),
    )
    saved = sys.stdin, sys.stdout, sys.stderr
    here = Path.cwd()
    os.chdir(cwd)
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        code = _cli.main(list(args))
        for stream in streams[1:]:
            stream.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        os.chdir(here)
    return Ran(code, out.getvalue().decode(), err.getvalue().decode())


def jsonl(*docs: Any) -> bytes:
    return b"".join(orjson.dumps(d) + b"\n" for d in docs)


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A JSONL file: valid, blank, malformed, invalid (two problems), valid."""
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        orjson.dumps(SEED)
        + b"\n\n"
        + b'{"id": oops}\n'
        + orjson.dumps({k: v for k, v in BAD_STATUS.items() if k != "id"})
        + b"\n"
        + orjson.dumps(SEED)
        + b"\n"
    )
    return path


MIXED_TEXT = [
    "mixed.jsonl:3",
    "  $: malformed JSON: unexpected character, expected a JSON value at line 3, column 8"
    " [json_invalid]",
    "mixed.jsonl:4",
    ID_ERROR,
    STATUS_ERROR,
]


class TestLaunchers:
    @pytest.mark.parametrize("launcher", list(LAUNCHERS))
    def test_validate_without_path_checks_the_seed(self, tmp_path: Path, launcher: str) -> None:
        """Both launchers validate the bundled seed example, say so, and exit 0."""
        ran = cli(tmp_path, "validate", launcher=launcher)
        assert (ran.code, ran.err) == (0, "")
        assert ran.blocks == ["no PATH given: validating the bundled seed example"]
        assert ran.summary() == (1, 1, 0)

    @pytest.mark.parametrize("launcher", list(LAUNCHERS))
    def test_no_command_is_a_usage_error(self, tmp_path: Path, launcher: str) -> None:
        """Without a command: usage on stderr, nothing on stdout, exit 2."""
        ran = cli(tmp_path, launcher=launcher)
        assert (ran.code, ran.out) == (2, "")
        assert ran.err.splitlines() == [
            "usage: runschema [-h] [--version] COMMAND ...",
            "runschema: error: the following arguments are required: COMMAND",
        ]

    def test_version(self, tmp_path: Path) -> None:
        """--version prints the installed version and exits 0."""
        ran = cli(tmp_path, "--version")
        assert (ran.code, ran.out) == (0, f"runschema {_cli._version()}\n")


_TIMING = re.compile(r"in \d+\.\d{3} s \([\d,.e+-]+ \w+/s\)")


class TestInProcessIsTheProcess:
    """The in-process runner most tests use gives what the real script gives: the same
    status, stdout and stderr (timings aside), for each kind of output the command has."""

    @pytest.fixture
    def inputs(self, tmp_path: Path, mixed: Path) -> Path:
        from tests.streams import text_stream

        (tmp_path / "stream.sse").write_bytes(runschema.encode_events(text_stream()))
        (tmp_path / "runs.json.gz").write_bytes(gzip.compress(orjson.dumps([SEED, NO_ID])))
        (tmp_path / "bytes.jsonl").write_bytes(b'{"id": "\xff\xfe"}\n')
        return tmp_path

    @pytest.mark.parametrize(
        "args",
        [
            ("validate", "mixed.jsonl"),
            ("validate", "--format", "json", "mixed.jsonl", "runs.json.gz"),
            ("validate", "--strict", "--only-invalid", "--format", "json", "-"),
            ("validate", "-q", "mixed.jsonl"),
            ("validate", "bytes.jsonl"),
            ("validate", "--type", "stream", "stream.sse"),
            ("validate", "no-such-file.json"),
            ("validate", "--no-such-option"),
            ("normalize", "mixed.jsonl"),
            ("normalize", "--strict", "runs.json.gz"),
            ("schema", "--type", "run_step"),
            ("validate", "--help"),
            (),
        ],
        ids=lambda args: " ".join(args) or "nothing",
    )
    def test_same_as_the_script(self, inputs: Path, args: tuple[str, ...]) -> None:
        stdin = jsonl(SEED, BAD_STATUS)
        here = cli(inputs, *args, stdin=stdin)
        there = cli(inputs, *args, stdin=stdin, launcher="runschema script")
        assert [here.code, *(_TIMING.sub("in T", text) for text in (here.out, here.err))] == [
            there.code,
            *(_TIMING.sub("in T", text) for text in (there.out, there.err)),
        ]
        assert here.out or here.err or "-q" in args  # each case but -q says something


class TestSeedExample:
    def test_strict_reports_missing_required_action(self, tmp_path: Path) -> None:
        """Strict mode rejects the seed for its absent required_action, exit 1."""
        ran = cli(tmp_path, "validate", "--strict")
        assert ran.code == 1
        assert ran.blocks == [
            "no PATH given: validating the bundled seed example",
            "<seed example>:1 (run_abc123)",
            REQUIRED_ACTION_ERROR,
        ]
        assert ran.summary() == (1, 0, 1)

    def test_json_format_keeps_stdout_for_records(self, tmp_path: Path) -> None:
        """With --format json the note and the summary go to stderr, the record to stdout."""
        ran = cli(tmp_path, "validate", "--format", "json")
        assert ran.code == 0
        assert [orjson.loads(ln) for ln in ran.lines] == [
            {
                "source": "<seed example>",
                "line": 1,
                "index": None,
                "id": "run_abc123",
                "valid": True,
                "errors": [],
            }
        ]
        note, summary = ran.err.splitlines()
        assert note == "no PATH given: validating the bundled seed example"
        assert SUMMARY.fullmatch(summary)


class TestValidateText:
    def test_keys_and_names_cannot_forge_report_lines(self, in_tmp: Path) -> None:
        """A key (or a file name) holding a line end or a terminal escape is written escaped
        (found in use: one could write lines of its own into the report, or drive the
        terminal); ids and messages already were."""
        forged = "x\nruns.jsonl:99 (run_forged)\n  $.y"
        doc = {**SEED, "required_action": None, "metadata": {forged: 5, "k\x1b[2J": 6}}
        name = "a\nb.jsonl"
        Path(name).write_bytes(jsonl(doc))
        code, out = _run_in_process("validate", "--strict", name)
        assert code == 1
        assert out.splitlines()[:3] == [
            "a\\nb.jsonl:1 (run_abc123)",
            "  $.metadata['x\\nruns.jsonl:99 (run_forged)\\n  $.y']: expected a string, got an "
            "integer [type]",
            "  $.metadata['k\\x1b[2J']: expected a string, got an integer [type]",
        ]

    def test_valid_json_file(self, tmp_path: Path) -> None:
        """A valid .json document: only the summary, exit 0."""
        (tmp_path / "run.json").write_bytes(runschema.seed_example())
        ran = cli(tmp_path, "validate", "run.json")
        assert (ran.code, ran.err, len(ran.lines)) == (0, "", 1)
        assert ran.summary() == (1, 1, 0)

    def test_invalid_json_file(self, tmp_path: Path) -> None:
        """An invalid document: 'file:line' where it starts, every problem, exit 1."""
        (tmp_path / "run.json").write_bytes(b"\n\n" + orjson.dumps(NO_ID | {"status": 5}))
        ran = cli(tmp_path, "validate", "run.json")
        assert ran.code == 1
        assert ran.blocks == ["run.json:3", ID_ERROR, STATUS_ERROR]
        assert ran.summary() == (1, 0, 1)

    def test_malformed_json_file(self, tmp_path: Path) -> None:
        """A .json file that is not JSON is one invalid document, with the parser's position."""
        (tmp_path / "run.json").write_bytes(b'{"id": "run_1",\n')
        ran = cli(tmp_path, "validate", "run.json")
        assert ran.code == 1
        assert ran.blocks == [
            "run.json:1",
            "  $: malformed JSON: unexpected end of data at line 1, column 16 [json_invalid]",
        ]

    def test_mixed_jsonl_malformed_line(self, tmp_path: Path, mixed: Path) -> None:
        """A malformed JSONL line is reported with its line number; the rest are still checked.

        Line numbers count blank lines, which are skipped.
        """
        ran = cli(tmp_path, "validate", mixed.name)
        assert ran.code == 1
        assert ran.blocks == MIXED_TEXT
        assert ran.summary() == (4, 2, 2)

    def test_array_gives_the_index(self, tmp_path: Path) -> None:
        """Each item of a JSON array is a document, named by the array's line and its index."""
        body = orjson.dumps([SEED, BAD_STATUS, SEED, 7], option=orjson.OPT_INDENT_2)
        (tmp_path / "runs.json").write_bytes(body)
        ran = cli(tmp_path, "validate", "runs.json")
        assert ran.code == 1
        assert ran.blocks == [
            "runs.json:1 [1] (run_abc123)",
            STATUS_ERROR,
            "runs.json:1 [3]",
            "  $: expected a JSON object, got an integer [not_object]",
        ]
        assert ran.summary() == (4, 2, 2)

    def test_list_page(self, tmp_path: Path) -> None:
        """A list page's data items are the documents; the page's own keys are not checked."""
        page = {"object": "list", "data": [NO_ID, SEED], "first_id": "x", "has_more": False}
        (tmp_path / "page.json").write_bytes(orjson.dumps(page))
        ran = cli(tmp_path, "validate", "page.json")
        assert ran.code == 1
        assert ran.blocks == ["page.json:1 [0]", ID_ERROR]
        assert ran.summary() == (2, 1, 1)

    def test_several_files_in_order(self, tmp_path: Path, mixed: Path) -> None:
        """Several PATHs are checked in order and counted in one summary."""
        (tmp_path / "one.json").write_bytes(orjson.dumps(BAD_STATUS))
        ran = cli(tmp_path, "validate", "one.json", mixed.name)
        assert ran.blocks == ["one.json:1 (run_abc123)", STATUS_ERROR, *MIXED_TEXT]
        assert ran.summary() == (5, 2, 3)

    def test_not_an_object(self, tmp_path: Path) -> None:
        """A JSONL line that is not an object says what it got; a .json file that holds
        neither an object, an array nor a page likewise."""
        (tmp_path / "x.jsonl").write_bytes(b'"run"\n')
        ran = cli(tmp_path, "validate", "x.jsonl")
        assert ran.blocks == [
            "x.jsonl:1",
            "  $: expected a JSON object (a JSONL line holds one document or a list page), got a"
            " string [not_object]",
        ]
        (tmp_path / "x.json").write_bytes(b'"run"\n')
        ran = cli(tmp_path, "validate", "x.json")
        assert ran.blocks == [
            "x.json:1",
            "  $: expected a JSON object, an array of objects or a list page, got a string"
            " [not_object]",
        ]


class TestValidateJsonFormat:
    def test_one_record_per_document(self, tmp_path: Path, mixed: Path) -> None:
        """--format json writes one record per document, valid ones included, in order."""
        ran = cli(tmp_path, "validate", "--format", "json", mixed.name)
        assert ran.code == 1
        records = [orjson.loads(ln) for ln in ran.lines]
        assert records == [
            {
                "source": "mixed.jsonl",
                "line": 1,
                "index": None,
                "id": "run_abc123",
                "valid": True,
                "errors": [],
            },
            {
                "source": "mixed.jsonl",
                "line": 3,
                "index": None,
                "id": None,
                "valid": False,
                "errors": [
                    {
                        "path": "$",
                        "code": "json_invalid",
                        "message": "malformed JSON: unexpected character, expected a JSON "
                        "value at line 3, column 8",
                    }
                ],
            },
            {
                "source": "mixed.jsonl",
                "line": 4,
                "index": None,
                "id": None,
                "valid": False,
                "errors": [
                    {"path": "$.id", "code": "missing", "message": "required key 'id' is missing"},
                    {
                        "path": "$.status",
                        "code": "type",
                        "message": "expected a string, got an integer",
                    },
                ],
            },
            {
                "source": "mixed.jsonl",
                "line": 5,
                "index": None,
                "id": "run_abc123",
                "valid": True,
                "errors": [],
            },
        ]
        assert SUMMARY.fullmatch(ran.err.strip())

    def test_index_in_arrays(self, tmp_path: Path) -> None:
        """Records of documents inside an array or list page carry their index."""
        page = {"object": "list", "data": [SEED, BAD_STATUS]}
        (tmp_path / "page.json").write_bytes(orjson.dumps(page))
        ran = cli(tmp_path, "validate", "--format", "json", "page.json")
        assert [(r["line"], r["index"], r["valid"]) for r in map(orjson.loads, ran.lines)] == [
            (1, 0, True),
            (1, 1, False),
        ]


class TestMaxBytes:
    """``--max-bytes``: no JSON text longer than the bound is held (found by an archive
    reader: one 200 MB line took up to 840 MB, and ``/dev/zero`` got the process killed)."""

    @staticmethod
    def _line_error(size: int, limit: int) -> str:
        return (
            f"  $: the line is {size:,} bytes long, longer than {limit:,} (--max-bytes): "
            "it was skipped [too_large]"
        )

    _WHOLE_ERROR = (
        "  $: the input is larger than {:,} bytes (--max-bytes), more than is read at once: "
        "write it as JSONL (one document a line), or raise --max-bytes [too_large]"
    )

    def test_a_long_line_is_skipped_and_the_others_checked(self, in_tmp: Path) -> None:
        long = orjson.dumps({**SEED, "instructions": "x" * 3_000})
        (in_tmp / "a.jsonl").write_bytes(jsonl(SEED, BAD_STATUS) + long + b"\n" + jsonl(NO_ID))
        ran = cli(in_tmp, "validate", "--max-bytes", "2K", "a.jsonl")
        assert ran.code == 1
        assert ran.blocks == [
            "a.jsonl:2 (run_abc123)",
            STATUS_ERROR,
            "a.jsonl:3",
            self._line_error(len(long), 2048),
            "a.jsonl:4",
            ID_ERROR,
        ]
        assert ran.lines[-2] == "problems by code: missing 1, too_large 1, type 1"
        assert ran.summary() == (4, 1, 3)
        # the same bytes on stdin, and as JSON records
        ran = cli(
            in_tmp,
            "validate",
            "--max-bytes",
            "2048",
            "--format",
            "json",
            "-",
            stdin=((in_tmp / "a.jsonl").read_bytes()),
        )
        record = orjson.loads(ran.lines[2])
        assert (record["line"], record["valid"], record["errors"]) == (
            3,
            False,
            [
                {
                    "path": "$",
                    "code": "too_large",
                    "message": self._line_error(len(long), 2048)[5:-12],
                }
            ],
        )

    @pytest.mark.parametrize("end", [b"\n", b""])
    def test_the_bound_is_the_longest_line_kept(self, in_tmp: Path, end: bytes) -> None:
        """A line of exactly the bound is read (its line end not counted), one byte more is
        not; the same for a last line with no line end."""
        text = orjson.dumps(SEED)
        (in_tmp / "a.jsonl").write_bytes(text + end)
        assert cli(in_tmp, "validate", "--max-bytes", str(len(text)), "a.jsonl").code == 0
        ran = cli(in_tmp, "validate", "--max-bytes", str(len(text) - 1), "a.jsonl")
        assert ran.blocks == ["a.jsonl:1", self._line_error(len(text), len(text) - 1)]

    def test_an_input_with_no_line_end(self, in_tmp: Path) -> None:
        """Past the first look (4 MB), a first line past the bound is skipped, read through
        in chunks; within it, it is looked at whole: no JSONL, one text too large."""
        size = _inputs._PEEK + 5_000
        (in_tmp / "zeros").write_bytes(b"\0" * size)
        ran = cli(in_tmp, "validate", "--max-bytes", "1K", "zeros")
        assert ran.blocks == ["zeros:1", self._line_error(size, 1024)]
        assert ran.summary() == (1, 0, 1)
        (in_tmp / "zeros").write_bytes(b"\0" * 5_000)
        ran = cli(in_tmp, "validate", "--max-bytes", "1K", "zeros")
        assert ran.blocks == ["zeros:1", self._WHOLE_ERROR.format(1024)]

    def test_a_whole_json_input(self, in_tmp: Path) -> None:
        pretty = orjson.dumps([SEED, SEED], option=orjson.OPT_INDENT_2)
        for name in ("a.json", "a"):  # read whole by its name, and told by its content
            (in_tmp / name).write_bytes(pretty)
            ran = cli(in_tmp, "validate", "--max-bytes", "1K", name)
            assert ran.blocks == [f"{name}:1", self._WHOLE_ERROR.format(1024)]
            assert ran.summary() == (1, 0, 1)
            assert cli(in_tmp, "validate", "--max-bytes", str(len(pretty)), name).code == 0

    @pytest.mark.parametrize("end", [b"\n", b"\r\n", b""])
    def test_one_rule_for_a_whole_text_however_it_is_told(self, end: bytes) -> None:
        """A whole JSON text counts all its bytes but its last line end, whichever way it was
        found to be one (found in a read-over: three ways counted three rules, a byte or two
        apart): named JSON, told apart in the look, told past it, an array alone on its
        line. Blank lines before it count, as lines of the input."""
        pretty = orjson.dumps([SEED, SEED], option=orjson.OPT_INDENT_2).replace(b"\n", end or b"\n")
        texts: dict[str, tuple[_inputs.InputFormat, bytes]] = {
            "named": ("json", pretty),
            "in the look": ("auto", pretty),
            "past the look": ("auto", pretty),
            "array on a line": ("auto", orjson.dumps([SEED, SEED])),
            "after blank lines": ("auto", b"\n\n" + orjson.dumps([SEED])),
        }
        for how, (fmt, text) in texts.items():
            peek = 1_000 if how == "past the look" else _inputs._PEEK
            for bound, large in ((len(text), False), (len(text) - 1, True)):
                with unittest.mock.patch.object(_inputs, "_PEEK", peek):
                    units = list(
                        _inputs._units(
                            io.BytesIO(text + end), fmt, _inputs._Progress(None), max_bytes=bound
                        )
                    )
                oversize = [
                    type(u.data) is _inputs._Oversize
                    or "too_large" in [e.code for e in getattr(u.parsed, "errors", ())]
                    for u in units
                ]
                assert oversize == ([True] if large else [False] * len(units)), (how, bound)

    def test_a_compressed_input(self, in_tmp: Path) -> None:
        long = orjson.dumps({**SEED, "instructions": "x" * 100_000})
        (in_tmp / "a.jsonl.gz").write_bytes(gzip.compress(jsonl(SEED) + long + b"\n" + jsonl(SEED)))
        ran = cli(in_tmp, "validate", "--max-bytes", "64K", "a.jsonl.gz")
        assert ran.blocks == ["a.jsonl.gz:2", self._line_error(len(long), 65536)]
        assert ran.summary() == (3, 2, 1)

    def test_jsonl_larger_than_the_bound_with_a_bad_first_line(self, in_tmp: Path) -> None:
        """A bad first line makes auto read on for pretty-printed JSON; past the bound, what
        was read is told JSONL and read on line by line, the line cut by the bound whole."""
        docs = [{**SEED, "id": f"run_{i}"} for i in range(200)]
        data = b'{"id": broken\n' + jsonl(*docs[:50], BAD_STATUS, *docs[50:])
        (in_tmp / "a.log").write_bytes(data)
        for bound in ("4K", "10K", "64K", str(len(data) - 1), str(len(data))):
            ran = cli(in_tmp, "validate", "--max-bytes", bound, "a.log")
            assert ran.blocks == [
                "a.log:1",
                "  $: malformed JSON: unexpected character, expected a JSON value at line 1, "
                "column 8 [json_invalid]",
                "a.log:52 (run_abc123)",
                STATUS_ERROR,
            ], bound
            assert ran.summary() == (202, 200, 2)

    def test_a_pretty_input_after_a_short_document(self, in_tmp: Path) -> None:
        data = orjson.dumps({"a": 1}) + b"\n" + orjson.dumps(SEED, option=orjson.OPT_INDENT_2)
        (in_tmp / "a.txt").write_bytes(data)
        assert len(data) > 512
        ran = cli(in_tmp, "validate", "--max-bytes", "512", "a.txt")
        assert ran.blocks == ["a.txt:1", self._WHOLE_ERROR.format(512)]

    def test_streams_take_it_as_their_frame_bound(self, in_tmp: Path) -> None:
        from tests.streams import text_stream

        (in_tmp / "s.sse").write_bytes(runschema.encode_events(text_stream()))
        assert cli(in_tmp, "validate", "--type", "stream", "s.sse").code == 0
        ran = cli(in_tmp, "validate", "--type", "stream", "--max-bytes", "100", "s.sse")
        assert ran.code == 1
        assert "frame_too_large" in ran.lines[-2]

    def test_a_crlf_line_end_is_not_counted(self, in_tmp: Path) -> None:
        text = orjson.dumps(SEED)
        (in_tmp / "a.jsonl").write_bytes(text + b"\r\n" + text + b"\r\n")
        assert cli(in_tmp, "validate", "--max-bytes", str(len(text)), "a.jsonl").code == 0
        ran = cli(in_tmp, "validate", "--max-bytes", str(len(text) - 1), "a.jsonl")
        assert ran.blocks[:2] == ["a.jsonl:1", self._line_error(len(text), len(text) - 1)]

    def test_jsonl_whose_second_line_the_bound_cuts(self, in_tmp: Path) -> None:
        """Found by an archive reader: with a bad first line, a JSONL input larger than the
        bound whose second line the whole read cut was one text too large."""
        doc = orjson.dumps({**SEED, "instructions": "x" * 3_000})
        data = b'{"id": "broken\n' + doc + b"\n" + doc + b"\n"
        (in_tmp / "r.txt").write_bytes(data)
        for args in (("r.txt",), ("-",)):
            ran = cli(in_tmp, "validate", "--max-bytes", "4K", *args, stdin=data)
            assert ran.summary() == (3, 2, 1), args

    def test_many_bad_lines_in_a_row_stay_jsonl(self, in_tmp: Path) -> None:
        """Found by an archive reader: after eleven bad lines in a row (past the ten looked
        at ahead), fifty good ones were one invalid document with them."""
        line = orjson.dumps(SEED)
        data = line + b"\n" + (line[:100] + b"\n") * 11 + (line + b"\n") * 50
        for bad_first in (False, True):
            body = (b'{"id": "cut\n' if bad_first else b"") + data
            ran = cli(in_tmp, "validate", "-", stdin=body)
            assert ran.summary() == (62 + bad_first, 51, 11 + bad_first), bad_first

    def test_a_big_jsonl_with_a_bad_first_line_is_read_line_by_line(self, in_tmp: Path) -> None:
        """Found by an archive reader: told by a whole read, a 317 MB JSONL with a bad first
        line took 550 MB; past the first few MB, it is told and read on line by line."""
        line = orjson.dumps(SEED) + b"\n"
        count = 2 * _inputs._PEEK // len(line)
        data = b"{broken\n" + line * count
        (in_tmp / "a.txt").write_bytes(data)
        reads: list[int] = []
        whole = _inputs._read_whole

        def spy(stream: Any, limit: int, head: bytes = b"", **how: bool) -> bytes:
            reads.append(limit)
            return whole(stream, limit, head, **how)

        with unittest.mock.patch.object(_inputs, "_read_whole", spy):
            ran = cli(in_tmp, "validate", "a.txt")
        assert ran.summary() == (count + 1, count, 1)
        assert reads == [_inputs._PEEK]  # never more than the peek held at once

    def test_bad_lines_that_fill_the_bound_after_a_good_first_line(self, in_tmp: Path) -> None:
        """Found by an archive reader: a good first line, then bad lines past the bound,
        was one text too large; JSONL unless what was read starts a pretty document."""
        line = orjson.dumps(SEED)
        data = line + b"\n" + (line[:500] + b"\n") * 11 + (line + b"\n") * 5
        (in_tmp / "c.txt").write_bytes(data)
        assert cli(in_tmp, "validate", "--max-bytes", "4K", "c.txt").summary() == (17, 6, 11)
        pretty = b"garbage\n" + orjson.dumps(SEED, option=orjson.OPT_INDENT_2) + b"\n"
        (in_tmp / "p.txt").write_bytes(pretty)  # pretty JSON, whatever the bound
        for bound in ("500", "2K"):
            ran = cli(in_tmp, "validate", "--max-bytes", bound, "p.txt")
            assert ran.summary() == (1, 0, 1), bound

    def test_an_empty_object_is_no_sign_of_jsonl(self, in_tmp: Path) -> None:
        """jq writes an empty document as {} from the first column: a sequence of pretty
        documents with one was read as JSONL (archive trial)."""
        pretty = orjson.dumps(SEED, option=orjson.OPT_INDENT_2)
        (in_tmp / "s.txt").write_bytes(b"{}\n" + pretty + b"\n{}\n")
        assert cli(in_tmp, "validate", "s.txt").summary() == (3, 1, 2)

    def test_out_of_memory_in_the_parser_is_no_malformed_json(self, in_tmp: Path) -> None:
        """Found by an archive reader: under a memory limit, orjson's "Not enough memory"
        was reported as malformed JSON (json_invalid), exit 1."""
        (in_tmp / "a.json").write_bytes(b'"oom"')
        refused = orjson.JSONDecodeError("Not enough memory to allocate buffer for parsing", "", 0)
        real = orjson.loads

        def short_of_memory(data: Any) -> Any:
            if bytes(data) == b'"oom"':
                raise refused
            return real(data)

        with unittest.mock.patch("orjson.loads", short_of_memory):
            ran = cli(in_tmp, "validate", "a.json")
            assert ran.code == 2
            assert "out of memory" in ran.err
            with pytest.raises(MemoryError):
                _inputs._parse(b'"oom"')

    def test_a_first_line_of_a_brace_alone_then_jsonl(self, in_tmp: Path) -> None:
        """Found by an archive reader: a first line of { or [ alone made an input JSON
        whatever followed (a 314 MB JSONL was one text too large, read at 547 MB)."""
        line = orjson.dumps(SEED) + b"\n"
        for first in (b"{\n", b"[\n"):
            (in_tmp / "a.txt").write_bytes(first + line * 2)
            assert cli(in_tmp, "validate", "a.txt").summary() == (3, 2, 1)
        (in_tmp / "a.txt").write_bytes(b"[\n" + line.rstrip() + b",\n" + line.rstrip() + b"\n]\n")
        assert cli(in_tmp, "validate", "a.txt").summary() == (2, 2, 0)  # an array: JSON

    def test_the_verdict_does_not_hang_on_the_bound(self, in_tmp: Path) -> None:
        """Found by an archive reader: the same input was JSON at --max-bytes 1K (one text
        too large) and JSONL at 4K, told by that much of it."""
        line = orjson.dumps(SEED) + b"\n"
        data = b"garbage\n{\n" + b"x" * 59 + b"\n" + line * 5
        (in_tmp / "a.txt").write_bytes(data)
        for bound in ("1K", "2K", "4K", "256M"):
            assert cli(in_tmp, "validate", "--max-bytes", bound, "a.txt").summary() == (8, 5, 3)

    def test_a_long_first_line_within_the_look(self, in_tmp: Path) -> None:
        """Found by an archive reader: a first line longer than the bound made an input
        JSONL: a compact document then a pretty one, and a compact list page on stdin, were
        JSONL at a small bound and JSON at the default. Looked at whole, they are JSON (one
        text too large) whatever the bound."""
        long = orjson.dumps({**SEED, "instructions": "x" * 3_000})
        pretty = long + b"\n" + orjson.dumps(SEED, option=orjson.OPT_INDENT_2) + b"\n"
        page = orjson.dumps({"object": "list", "data": [SEED] * 5, "has_more": False})
        for body, fits in ((pretty, (2, 2, 0)), (page, (5, 5, 0))):
            assert cli(in_tmp, "validate", "-", stdin=body).summary() == fits
            ran = cli(in_tmp, "validate", "--max-bytes", "2K", "-", stdin=body)
            assert ran.blocks == ["<stdin>:1", self._WHOLE_ERROR.format(2048)]
        # JSONL told so by its lines: the long line alone is skipped
        body = jsonl(SEED) + long + b"\n" + jsonl(SEED)
        ran = cli(in_tmp, "validate", "--max-bytes", "2K", "-", stdin=body)
        assert ran.blocks == ["<stdin>:2", self._line_error(len(long), 2048)]
        assert ran.summary() == (3, 2, 1)

    def test_the_look_ends_at_its_size(self, in_tmp: Path) -> None:
        """Found by an archive reader: the first dozen lines were read whole to tell, past
        the first look (4 MB); what comes after the look does not count."""
        line = orjson.dumps(SEED) + b"\n"
        filler = b"x" * (_inputs._PEEK // 8) + b"\n"
        pretty = orjson.dumps(SEED, option=orjson.OPT_INDENT_2) + b"\n"
        # a document, a pretty one's first line, then lines of filler past the look, and a
        # document the look never reaches on the tenth line after the second
        body = line + pretty[:2] + filler * 9 + line + pretty[2:]
        reads: list[int] = []
        whole = _inputs._read_whole

        def spy(stream: Any, limit: int, head: bytes = b"", **how: bool) -> bytes:
            reads.append(len(head))
            return whole(stream, limit, head, **how)

        with unittest.mock.patch.object(_inputs, "_read_whole", spy):
            ran = cli(in_tmp, "validate", "-", stdin=body)
        # told JSON by the look: the document, then the rest, which is no JSON
        assert ran.summary() == (2, 1, 1)
        assert max(reads) <= _inputs._PEEK + len(filler)  # no more than the look held first

    @given(
        lines=st.lists(
            st.sampled_from(
                [
                    b"",
                    b"  ",
                    b"{",
                    b"[",
                    b"}",
                    b"]",
                    b"{}",
                    b"[]",
                    b"  }",
                    b'  "a": 1,',
                    b"garbage",
                    b'{"id": "run_1"}',
                    b'{"object": "list", "data": [{"id": "run_2"}]}',
                    b'[{"id": "run_3"}]',
                    b'{"id": "' + b"y" * 300 + b'"}',
                    b"z" * 700,
                    b" " * 400,  # blank lines that eat the look, or pass the bound
                ]
            ),
            max_size=16,
        ),
        crlf=st.booleans(),
    )
    def test_the_verdict_does_not_hang_on_the_bound_property(
        self, lines: list[bytes], crlf: bool
    ) -> None:
        """JSON or JSONL, told by the same lines whatever the bound, the look made small
        (a first line longer than both is the one exception: none here is)."""
        data = (b"\r\n" if crlf else b"\n").join(lines)
        verdicts = set()
        with unittest.mock.patch.object(_inputs, "_PEEK", 1_000):
            for bound in (20, 100, 400, 1_000, 5_000, 2**28):
                units = list(
                    _inputs._units(
                        io.BytesIO(data), "auto", _inputs._Progress(None), max_bytes=bound
                    )
                )
                verdicts.add(tuple(u.whole for u in units[:1]))
        assert len(verdicts) == 1, verdicts

    def test_what_an_archive_reader_found_in_the_look(self) -> None:
        """Found by an archive reader (the look made small here): blank lines before a long
        first document made it too long at a small bound; a long blank line was a document
        too large; an array written an item a line, past the look, was JSONL."""

        def units(data: bytes, bound: int) -> list[Any]:
            found = _inputs._units(
                io.BytesIO(data), "auto", _inputs._Progress(None), max_bytes=bound
            )
            return [(u.line, u.whole, type(u.data) is _inputs._Oversize) for u in found]

        doc = orjson.dumps({"id": "run_1", "x": "y" * 500})
        pretty = orjson.dumps({"id": "run_2"}, option=orjson.OPT_INDENT_2) + b"\n"
        with unittest.mock.patch.object(_inputs, "_PEEK", 1_000):
            blank_then_long = b"\n" * 600 + doc + b"\n" + pretty
            assert units(blank_then_long, 100)[0][1] is True  # JSON, as at a large bound
            assert [u[:2] for u in units(blank_then_long, 10**6)] == [(601, True), (602, True)]
            spaces = b" " * 5_000 + b"\n" + doc + b"\n" + doc + b"\n"
            assert units(spaces, 100) == [(2, False, True), (3, False, True)]  # no 1st "document"
            assert units(spaces, 10**6) == [(2, False, False), (3, False, False)]
            rows = b"[" + b",\n".join([doc] * 10) + b"]\n"
            assert len(rows) > 1_000
            assert units(rows, 10**6) == [(1, True, False)]  # one array, read whole

    def test_empty_documents_on_the_first_lines(self, in_tmp: Path) -> None:
        """jq's {} on the first two lines made pretty documents after them JSONL."""
        ran = cli(in_tmp, "validate", "-", stdin=b'{}\n{}\n{\n  "id": "run_1"\n}\n')
        assert ran.summary() == (3, 0, 3)
        assert [b for b in ran.blocks if not b.startswith("  ")] == [
            "<stdin>:1",
            "<stdin>:2",
            "<stdin>:3 (run_1)",
        ]

    def test_a_json_archive_with_junk_after_its_data(self, in_tmp: Path) -> None:
        """Found by an archive reader: a .json.gz with junk after its data checked none of
        its documents; they are checked, then the input is said unread."""
        body = orjson.dumps([SEED, BAD_STATUS], option=orjson.OPT_INDENT_2)
        for name in ("a.json.gz", "a.gz"):
            (in_tmp / name).write_bytes(gzip.compress(body) + b"JUNK")
            ran = cli(in_tmp, "validate", name)
            assert ran.code == 2
            assert ran.blocks == [f"{name}:1 [1] (run_abc123)", STATUS_ERROR]
            assert "(trailing garbage)" in ran.err

    def test_damage_among_the_first_lines(self, in_tmp: Path) -> None:
        """Found by an archive reader: damage among the lines read to tell JSON from JSONL
        lost the documents before it ("0 documents"); a document sequence before junk too."""
        line = orjson.dumps(SEED) + b"\n"
        pretty = orjson.dumps(BAD_STATUS, option=orjson.OPT_INDENT_2) + b"\n"
        for body, counts in (
            (line, (1, 1, 0)),
            (line + b"bad\n", (2, 1, 1)),
            (orjson.dumps([SEED, BAD_STATUS]) + b"\n", (2, 1, 1)),
            (pretty + pretty, (2, 0, 2)),
        ):
            for name in ("a.gz", "a.json.gz", "-"):
                data = gzip.compress(body) + b"JUNK"
                if name != "-":
                    (in_tmp / name).write_bytes(data)
                ran = cli(in_tmp, "validate", name, stdin=data)
                assert ran.code == 2, (body, name)
                if name == "a.json.gz" and body.startswith(line):
                    continue  # JSONL in a .json file: one text, cut by the damage
                n, valid, invalid = counts
                said = f"{n} document{'s' * (n != 1)}: {valid} valid, {invalid} invalid, 1 input"
                assert ran.lines[-1].startswith(said), (body, name, ran.out)
                assert "(trailing garbage)" in ran.err

    def test_empty_arrays_on_the_first_lines(self, in_tmp: Path) -> None:
        """jq . writes an empty array as [] from the first column, as {}: two of them made
        the pretty array after them JSONL (archive trial)."""
        pretty = orjson.dumps([SEED], option=orjson.OPT_INDENT_2)
        ran = cli(in_tmp, "validate", "-", stdin=b"[]\n[]\n" + pretty + b"\n")
        assert ran.summary() == (1, 1, 0)

    def test_compressed_input_that_trickles_in(self) -> None:
        """Found by an archive reader: xz on a pipe that gave 3 bytes first was read as
        text (its magic bytes looked for in what the first read gave)."""

        class Trickle(io.RawIOBase):
            def __init__(self, data: bytes) -> None:
                self.parts = [data[:1], data[1:3], data[3:]]

            def readable(self) -> bool:
                return True

            def readinto(self, buffer: Any) -> int:
                part = self.parts.pop(0) if self.parts else b""
                buffer[: len(part)] = part
                return len(part)

        text = jsonl(SEED, SEED)
        for compress in (gzip.compress, bz2.compress, lzma.compress, lambda b: b):
            stream, _ = _inputs._maybe_decompressed(io.BufferedReader(Trickle(compress(text))))
            assert stream.read() == text

    def test_a_bound_past_memory_reads_what_there_is(self, in_tmp: Path) -> None:
        """Found by an archive reader: --max-bytes 30G was a MemoryError on a file of ten
        bytes (the bound was taken from memory at once), and a bound past an index's size an
        OverflowError."""
        (in_tmp / "a.json").write_bytes(orjson.dumps(SEED))
        (in_tmp / "a.jsonl").write_bytes(jsonl(SEED, SEED))
        for bound in ("30G", "9223372036854775807", "99999999999999999999G"):
            for name in ("a.json", "a.jsonl"):
                assert cli(in_tmp, "validate", "--max-bytes", bound, name).code == 0

    def test_out_of_memory_is_an_io_problem(self, in_tmp: Path) -> None:
        (in_tmp / "a.json").write_bytes(orjson.dumps(SEED))
        with unittest.mock.patch.object(_inputs, "_read_whole", side_effect=MemoryError):
            ran = cli(in_tmp, "validate", "a.json")
        assert ran.code == 2
        assert ran.err == (
            "runschema: error: out of memory (--max-bytes bounds what is read at once)\n"
        )

    @pytest.mark.parametrize("size", ["0", "-1", "1.5M", "2x", "M", ""])
    def test_a_size_that_is_none(self, in_tmp: Path, size: str) -> None:
        ran = cli(in_tmp, "validate", "--max-bytes", size)
        assert ran.code == 2
        assert f"argument --max-bytes: {size!r} is no size" in ran.err

    @given(
        lines=st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=8),
        crlf=st.lists(st.booleans(), min_size=8, max_size=8),
        last_end=st.booleans(),
        limit=st.integers(1, 45),
        cut=st.integers(0, 400),
        chunk=st.integers(1, 8),
    )
    def test_lines_as_read_whole_or_in_two(
        self,
        lines: list[bytes],
        crlf: list[bool],
        last_end: bool,
        limit: int,
        cut: int,
        chunk: int,
    ) -> None:
        """Every line within the bound (its line end, \\n or \\r\\n, not counted) is
        read as it is, every longer one is one stand-in of its length (a blank line if it
        is whitespace only), however the chunks
        that skip it fall; read from one stream, or from what a whole read took and the
        rest."""
        ends = [b"\r\n" if c else b"\n" for c in crlf]
        data = b"".join(line + end for line, end in zip(lines, ends, strict=False))
        if lines and not last_end:
            data = data[: -len(ends[len(lines) - 1])]
        expected: list[Any] = []
        for line in io.BytesIO(data):
            text = line[:-2] if line.endswith(b"\r\n") else line.rstrip(b"\n")
            if len(text) <= limit:
                expected.append(line)
            else:  # skipped: blank if of JSON's whitespace only
                expected.append(b"\n" if not text.strip(b" \t\r\n") else ("too large", len(text)))

        def seen(found: Any) -> list[Any]:
            return [("too large", x.size) if type(x) is _inputs._Oversize else x for x in found]

        with unittest.mock.patch.object(_inputs, "_SKIP_CHUNK", chunk):
            whole = _inputs._bounded_lines(io.BytesIO(data), limit)
            assert seen(whole) == expected
            rest = _inputs._Rest(data[:cut], io.BytesIO(data[cut:]))
            assert seen(_inputs._bounded_lines(rest, limit)) == expected


class TestStdin:
    def test_pretty_json(self, tmp_path: Path) -> None:
        """'-' reads stdin; pretty-printed JSON (an array here) is told from JSONL by content."""
        body = orjson.dumps([SEED, BAD_STATUS], option=orjson.OPT_INDENT_2)
        ran = cli(tmp_path, "validate", "-", stdin=body)
        assert ran.code == 1
        assert ran.blocks == ["<stdin>:1 [1] (run_abc123)", STATUS_ERROR]

    def test_compact_array_and_page(self, tmp_path: Path) -> None:
        """An array or a list page on one line (compact JSON, as the API and ``jq -c`` write
        it) is one JSON text, not a JSONL line, on stdin and in a file of any name; with
        another line after it, it is JSONL (whose lines hold one object or page each)."""
        array = orjson.dumps([SEED, BAD_STATUS]) + b"\n"
        ran = cli(tmp_path, "validate", "-", stdin=array)
        assert ran.blocks == ["<stdin>:1 [1] (run_abc123)", STATUS_ERROR]
        assert ran.summary() == (2, 1, 1)
        page = orjson.dumps({"object": "list", "data": [SEED], "has_more": False})
        assert cli(tmp_path, "validate", "-", stdin=page).summary() == (1, 1, 0)
        (tmp_path / "page.dat").write_bytes(page + b"\n\n")
        assert cli(tmp_path, "validate", "page.dat").summary() == (1, 1, 0)
        (tmp_path / "page.gz").write_bytes(gzip.compress(page))
        assert cli(tmp_path, "validate", "page.gz").summary() == (1, 1, 0)
        normalized = cli(tmp_path, "normalize", "page.dat")
        assert (normalized.code, orjson.loads(normalized.out)["data"]) == (0, [SEED])
        ran = cli(tmp_path, "validate", "-", stdin=page + b"\n" + jsonl(SEED))
        assert ran.summary() == (2, 2, 0)  # JSONL: a page, then a run
        ran = cli(tmp_path, "validate", "-", stdin=array + jsonl(SEED))
        assert ran.summary() == (2, 1, 1)  # JSONL: its first line is no run
        assert ran.blocks[0] == "<stdin>:1"

    def test_jsonl(self, tmp_path: Path, mixed: Path) -> None:
        """JSONL on stdin is read line by line, with line numbers, like a .jsonl file."""
        ran = cli(tmp_path, "validate", "-", stdin=mixed.read_bytes())
        assert ran.code == 1
        assert ran.blocks == [ln.replace("mixed.jsonl", "<stdin>") for ln in MIXED_TEXT]

    def test_jsonl_with_malformed_first_line(self, tmp_path: Path) -> None:
        """JSONL whose first line is malformed is still read as JSONL, not as one bad JSON."""
        body = b'{"id": oops}\n' + jsonl(SEED, BAD_STATUS)
        ran = cli(tmp_path, "validate", "-", stdin=body)
        assert ran.lines[0] == "<stdin>:1"
        assert ran.blocks[2:] == ["<stdin>:3 (run_abc123)", STATUS_ERROR]
        assert ran.summary() == (3, 1, 2)

    def test_input_format_forces_jsonl(self, tmp_path: Path) -> None:
        """--input-format jsonl reads a file of any name line by line."""
        (tmp_path / "runs.txt").write_bytes(jsonl(SEED, BAD_STATUS))
        ran = cli(tmp_path, "validate", "--input-format", "jsonl", "runs.txt")
        assert ran.blocks == ["runs.txt:2 (run_abc123)", STATUS_ERROR]

    def test_empty_stdin(self, tmp_path: Path) -> None:
        """Empty stdin holds no document: exit 0."""
        ran = cli(tmp_path, "validate", "-")
        assert (ran.code, ran.summary()) == (0, (0, 0, 0))


class TestSequencesAndByteOrderMarks:
    """JSON texts one after another (as ``jq .`` writes them) and files that start with a
    UTF-8 byte order mark, as archives hold them (found in use: each file was one invalid
    document)."""

    @pytest.mark.parametrize("name", ["runs.json", "runs.json.gz", "runs.out", "-"])
    def test_pretty_documents_one_after_another(
        self, in_tmp: Path, monkeypatch: pytest.MonkeyPatch, name: str
    ) -> None:
        pretty = [orjson.dumps(d, option=orjson.OPT_INDENT_2) for d in (SEED, BAD_STATUS, SEED)]
        body = b"\n".join(pretty) + b"\n"
        if name == "-":
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
        else:
            Path(name).write_bytes(gzip.compress(body) if name.endswith(".gz") else body)
        code, out = _run_in_process("validate", name)
        second = pretty[0].count(b"\n") + 2
        shown = "<stdin>" if name == "-" else name
        assert code == 1
        assert out.splitlines()[:2] == [f"{shown}:{second} (run_abc123)", STATUS_ERROR]
        assert SUMMARY.search(out)[0].startswith("3 documents: 2 valid, 1 invalid")  # type: ignore[index]

    def test_jsonl_in_a_json_file_and_values_without_space(self, in_tmp: Path) -> None:
        """JSONL named .json, arrays and pages among the values, and values written with
        nothing between them: each value is read as a JSON file's would be."""
        page = {"object": "list", "data": [BAD_STATUS], "has_more": False}
        Path("runs.json").write_bytes(jsonl(SEED, [SEED, BAD_STATUS], page) + orjson.dumps(SEED))
        code, out = _run_in_process("validate", "runs.json")
        assert code == 1
        assert out.splitlines()[:4] == [
            "runs.json:2 [1] (run_abc123)",
            STATUS_ERROR,
            "runs.json:3 [0] (run_abc123)",
            STATUS_ERROR,
        ]
        assert "5 documents: 3 valid, 2 invalid" in out
        code, data = _bytes_in_process("normalize", "runs.json")
        assert code == 1
        # a page keeps its valid items; invalid ones are left out (and reported)
        page_out = {**page, "data": []}
        assert [orjson.loads(line) for line in data.splitlines()] == [SEED, [SEED], page_out, SEED]

    @pytest.mark.parametrize(
        ("tail", "line", "problem"),
        [
            (
                b'\n\n  {"id": "run_2",\n',
                4,
                "  $: malformed JSON: unexpected end of data at line 4,",
            ),
            (b" oops\n", 2, "  $: malformed JSON: unexpected character"),
            # deeper than the standard library's parser goes: the rest is one document
            (b"\n" + b"[" * 5000, 3, "  $: the JSON nests too deeply"),
            (b"\n" + b'{"a": ' * 3000, 3, "  $: the JSON nests too deeply"),
        ],
    )
    def test_the_rest_after_a_value_that_cannot_be_read(
        self, in_tmp: Path, tail: bytes, line: int, problem: str
    ) -> None:
        """Once a value cannot be read, the rest of the text is one invalid document, at the
        line where it starts; the values before it are checked as usual."""
        Path("runs.json").write_bytes(orjson.dumps(SEED) + b"\n" + tail)
        code, out = _run_in_process("validate", "runs.json")
        assert code == 1
        assert out.splitlines()[0] == f"runs.json:{line}"
        assert out.splitlines()[1].startswith(problem)
        assert "2 documents: 1 valid, 1 invalid" in out

    def test_parse_errors_say_where_in_the_file(self, in_tmp: Path) -> None:
        """The position in a parse error is the file's, as the report's file:line is (found
        in use: a document starting at line 99 said 'line 48', counted from its start)."""
        pretty = orjson.dumps(SEED, option=orjson.OPT_INDENT_2)
        broken = pretty.replace(b'"status": "completed"', b'"status": tru')
        Path("runs.json").write_bytes(pretty + b"\n" + b"  " + broken + b"\n")
        code, out = _run_in_process("validate", "runs.json")
        start = pretty.count(b"\n") + 2
        line = start + broken[: broken.index(b"tru")].count(b"\n")
        assert code == 1
        assert out.splitlines()[0] == f"runs.json:{start}"
        assert f"at line {line}, column " in out.splitlines()[1]
        Path("runs.jsonl").write_bytes(jsonl(SEED, SEED) + b'   {"id": oops}\n')
        code, out = _run_in_process("validate", "runs.jsonl")
        assert out.splitlines()[:2] == [
            "runs.jsonl:3",
            "  $: malformed JSON: unexpected character, expected a JSON value at line 3,"
            " column 11 [json_invalid]",
        ]

    def test_a_byte_that_is_not_utf8_is_said_where_in_the_file(self, in_tmp: Path) -> None:
        """Found by an archive reader: in a .json array, 'at byte 22' counted from the start
        of the file, in JSONL 'at byte 8' from the start of the line. It is a line and column
        in the file now, as a parse error's."""
        Path("runs.json").write_bytes(b'[\n{"id":"a"},\n{"id":"b\xff"}\n]\n')
        Path("runs.jsonl").write_bytes(b'{"id":"a"}\n{"id":"b\xff"}\n')
        code, out = _run_in_process("validate", "--only-invalid", "runs.json", "runs.jsonl")
        assert code == 1
        assert [line for line in out.splitlines() if "UTF-8" in line] == [
            "  $: the bytes are not valid UTF-8 at line 3, column 9 [encoding]",
            "  $: the bytes are not valid UTF-8 at line 2, column 9 [encoding]",
        ]

    @pytest.mark.parametrize(
        "body",
        [
            b'{"id": "run_1",\n',  # the first value cannot be read
            b"\xff" + orjson.dumps(SEED) + orjson.dumps(SEED),  # not UTF-8
        ],
    )
    def test_a_text_that_starts_with_no_value_is_one_document(
        self, in_tmp: Path, body: bytes
    ) -> None:
        Path("runs.json").write_bytes(body)
        code, out = _run_in_process("validate", "runs.json")
        assert code == 1
        assert out.splitlines()[0] == "runs.json:1"
        assert "1 document: 0 valid, 1 invalid" in out

    def test_long_numbers_between_values(self, in_tmp: Path) -> None:
        """Finding where values end does not convert numbers (Python's int() refuses
        literals of more than 4,300 digits): each value is then read as ``loads`` reads it."""
        long = orjson.dumps(SEED)[:-1] + b',"x_n": ' + b"9" * 5000 + b"}"
        Path("runs.json").write_bytes(long + b"\n" + orjson.dumps(SEED) + b" 1e999")
        code, out = _run_in_process("validate", "runs.json")
        assert code == 1
        assert out.splitlines()[:4] == [
            "runs.json:1 (run_abc123)",
            "  $.x_n: an integer outside the 64-bit range JSON tools agree on [out_of_range]",
            "runs.json:2",
            "  $: expected a JSON object, an array of objects or a list page, got a number"
            " [not_object]",
        ]
        assert "3 documents: 1 valid, 2 invalid" in out

    @pytest.mark.parametrize("name", ["runs.json", "runs.jsonl", "runs.dat", "-"])
    @pytest.mark.parametrize("strict", [False, True])
    def test_a_byte_order_mark_is_the_files(
        self, in_tmp: Path, monkeypatch: pytest.MonkeyPatch, name: str, strict: bool
    ) -> None:
        """Lenient mode skips a UTF-8 byte order mark that starts a file, as JSON allows a
        reader to; strict mode reports it on the first document, as ``loads`` does, and checks
        every document still (found in use: a file with one was one document, unchecked)."""
        docs = [STRICT_OK, {**STRICT_OK, "status": 5}]
        text = orjson.dumps(docs) if name.endswith(".json") else jsonl(*docs)
        body = gzip.compress(b"\xef\xbb\xbf" + text)
        if name == "-":
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
        else:
            Path(name).write_bytes(body)
        code, out = _run_in_process("validate", *(["--strict"] if strict else []), name)
        assert code == 1
        shown = "<stdin>" if name == "-" else name
        lines = out.splitlines()
        if strict:
            first, second = (
                (f"{shown}:1 [0]", f"{shown}:1 [1]")
                if name.endswith(".json")
                else (f"{shown}:1", f"{shown}:2")
            )
            assert lines[:4] == [
                f"{first} (run_abc123)",
                "  $: a UTF-8 byte order mark (BOM) is not allowed [encoding]",
                f"{second} (run_abc123)",
                STATUS_ERROR,
            ]
            assert "2 documents: 0 valid, 2 invalid" in out
        else:
            where = f"{shown}:1 [1]" if name.endswith(".json") else f"{shown}:2"
            assert lines[:2] == [f"{where} (run_abc123)", STATUS_ERROR]
            assert "2 documents: 1 valid, 1 invalid" in out

    @pytest.mark.parametrize(
        ("name", "pretty"),
        [
            ("runs.jsonl", False),
            ("runs.json", False),
            ("runs.json", True),
            ("-", False),
            ("-", True),
        ],
    )
    def test_exports_joined_with_cat(
        self, in_tmp: Path, monkeypatch: pytest.MonkeyPatch, name: str, pretty: bool
    ) -> None:
        """Found by an archive reader: two exports that each start with a byte order mark,
        joined with ``cat``, put one at the start of a later document, which ``loads``
        reads leniently and the command line refused (``encoding``), and in strict mode
        reported alone. Each document's mark is now as a file's: skipped in lenient mode,
        reported with the document's other problems in strict mode."""

        def write(doc: dict[str, Any]) -> bytes:
            return orjson.dumps(doc, option=orjson.OPT_INDENT_2 if pretty else None)

        bad = {**STRICT_OK, "status": 5}
        export = b"\xef\xbb\xbf" + write(STRICT_OK) + b"\n" + write(bad) + b"\n"
        body = export + export

        def given() -> None:
            if name == "-":
                monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
            else:
                Path(name).write_bytes(body)

        shown = "<stdin>" if name == "-" else name
        given()
        lines_per_doc = write(STRICT_OK).count(b"\n") + 1
        starts = [1 + i * lines_per_doc for i in range(4)]
        code, out = _run_in_process("validate", name)
        assert code == 1
        assert out.splitlines()[:4] == [
            f"{shown}:{starts[1]} (run_abc123)",
            STATUS_ERROR,
            f"{shown}:{starts[3]} (run_abc123)",
            STATUS_ERROR,
        ]
        assert "4 documents: 2 valid, 2 invalid" in out
        bom = "  $: a UTF-8 byte order mark (BOM) is not allowed [encoding]"
        given()
        code, out = _run_in_process("validate", "--strict", name)
        assert out.splitlines()[:8] == [
            f"{shown}:{starts[0]} (run_abc123)",
            bom,
            f"{shown}:{starts[1]} (run_abc123)",
            STATUS_ERROR,
            f"{shown}:{starts[2]} (run_abc123)",
            bom,
            f"{shown}:{starts[3]} (run_abc123)",
            STATUS_ERROR,
        ]
        given()
        code, data = _bytes_in_process("normalize", name)
        assert (code, [orjson.loads(d) for d in data.splitlines()]) == (1, [STRICT_OK] * 2)

    @pytest.mark.parametrize("name", ["runs.jsonl", "runs.json"])
    @pytest.mark.parametrize("strict", [False, True])
    def test_an_empty_export_joined_with_cat(self, in_tmp: Path, name: str, strict: bool) -> None:
        """Found by a trial: an export of nothing but its mark, joined on with cat, left a
        line of a mark alone, read as an empty document (invalid, exit 1), where a file of
        nothing but the mark holds none. A mark alone is blank, at the end or between
        documents, in both modes; the documents keep their lines."""
        pretty = name.endswith(".json")
        doc = orjson.dumps(STRICT_OK, option=orjson.OPT_INDENT_2 if pretty else None)
        bad = orjson.dumps({**STRICT_OK, "status": 5})
        Path(name).write_bytes(doc + b"\n\xef\xbb\xbf\n" + bad + b"\n\xef\xbb\xbf \r\n")
        code, out = _run_in_process("validate", *(["--strict"] if strict else []), name)
        assert code == 1
        line = doc.count(b"\n") + 3
        assert out.splitlines()[:2] == [f"{name}:{line} (run_abc123)", STATUS_ERROR]
        assert "2 documents: 1 valid, 1 invalid" in out
        Path(name).write_bytes(doc + b"\n\xef\xbb\xbf")
        code, out = _run_in_process("validate", *(["--strict"] if strict else []), name)
        assert (code, out.splitlines()[-1].split(" in ")[0]) == (
            0,
            "1 document: 1 valid, 0 invalid",
        )

    def test_a_file_of_nothing_but_a_byte_order_mark(self, in_tmp: Path) -> None:
        Path("runs.jsonl").write_bytes(b"\xef\xbb\xbf")
        assert _run_in_process("validate", "runs.jsonl")[0] == 0
        code, out = _run_in_process("validate", "--strict", "runs.jsonl")
        assert (code, out.splitlines()[:2]) == (
            1,
            ["runs.jsonl:1", "  $: a UTF-8 byte order mark (BOM) is not allowed [encoding]"],
        )

    def test_bytes_that_are_not_utf8_spoil_one_document(self, in_tmp: Path) -> None:
        """Found in use: one byte that is not UTF-8, in the last document, made the whole
        file one invalid document, and normalize wrote nothing."""
        bad = orjson.dumps({**SEED, "id": "run_x"}).replace(b'"run_x"', b'"run_\xff"')
        Path("runs.json").write_bytes(jsonl(SEED, SEED) + bad + b"\n")
        code, out = _run_in_process("validate", "runs.json")
        assert code == 1
        assert out.splitlines()[0] == "runs.json:3"
        assert out.splitlines()[1].endswith("[encoding]")
        assert "3 documents: 2 valid, 1 invalid" in out
        code, data = _bytes_in_process("normalize", "runs.json")
        assert (code, [orjson.loads(x) for x in data.splitlines()]) == (1, [SEED, SEED])

    def test_a_deep_document_in_a_sequence(self, in_tmp: Path) -> None:
        """A document nested as deep as orjson reads (1,024 levels; Python's json stopped at
        1,000) is found whole, and so is the one after it (found in use: it was the rest of
        the file, json_invalid, and the next document was lost)."""
        deep = orjson.dumps({**SEED, "x_deep": "DEEP"}).replace(
            b'"DEEP"', b"[" * 1010 + b"]" * 1010
        )
        Path("runs.json").write_bytes(jsonl(SEED) + deep + b"\n" + jsonl(BAD_STATUS))
        code, out = _run_in_process("validate", "runs.json")
        assert code == 1
        lines = out.splitlines()
        assert lines[0] == "runs.json:2 (run_abc123)"
        assert lines[1].startswith("  $.x_deep")
        assert lines[1].endswith("[too_deep]")
        assert lines[2:4] == ["runs.json:3 (run_abc123)", STATUS_ERROR]
        assert "3 documents: 1 valid, 2 invalid" in out

    @pytest.mark.parametrize("name", ["-", "runs.out"])
    @pytest.mark.parametrize("head", [b"[]", b"{}", orjson.dumps(SEED)])
    def test_pretty_documents_after_a_short_one(
        self, in_tmp: Path, monkeypatch: pytest.MonkeyPatch, name: str, head: bytes
    ) -> None:
        """`jq .` output whose first document fits on one line is read as documents one after
        another, not as JSONL (found in use: every pretty line was an invalid document)."""
        pretty = orjson.dumps(BAD_STATUS, option=orjson.OPT_INDENT_2)
        body = head + b"\n" + pretty + b"\n" + pretty + b"\n"
        if name == "-":
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
        else:
            Path(name).write_bytes(body)
        code, out = _run_in_process("validate", name)
        shown = "<stdin>" if name == "-" else name
        bad = [line for line in out.splitlines() if line.startswith(shown)]
        second = 2 + pretty.count(b"\n") + 1
        assert bad[-2:] == [f"{shown}:2 (run_abc123)", f"{shown}:{second} (run_abc123)"]
        assert code == 1

    def test_a_line_cut_inside_a_string_ends_there(self, in_tmp: Path) -> None:
        """Found by an archive reader: a JSONL line cut inside a string was reported as an
        "unexpected control character in string" (its own line end), where loads says the
        data ends there; the only message in 20,000 documents that differed from loads."""
        cut = b'{"id": "run_1", "model": "gpt-4'
        Path("runs.jsonl").write_bytes(cut + b"\n" + jsonl(SEED))
        code, out = _run_in_process("validate", "runs.jsonl")
        assert code == 1
        with pytest.raises(runschema.DecodeError) as info:
            runschema.loads(cut, runschema.Run)
        assert info.value.errors[0].message.startswith("malformed JSON: unexpected end of data")
        assert out.splitlines()[:2] == [
            "runs.jsonl:1",
            f"  $: {info.value.errors[0].message} [json_invalid]",
        ]

    def test_jsonl_with_a_bad_second_line_stays_jsonl(self, in_tmp: Path) -> None:
        Path("runs.out").write_bytes(jsonl(SEED) + b'{"id": oops\n' + jsonl(SEED, BAD_STATUS))
        code, out = _run_in_process("validate", "runs.out")
        assert code == 1
        assert out.splitlines()[0] == "runs.out:2"
        assert "runs.out:4 (run_abc123)" in out
        assert "4 documents: 2 valid, 2 invalid" in out

    @pytest.mark.parametrize("number", [b"1e999", b"-" + b"9" * 400])
    def test_a_number_beyond_a_double_spoils_its_item_only(
        self, in_tmp: Path, number: bytes
    ) -> None:
        """Found in use: one such number (which orjson refuses) in item 2 of an array made
        the array one invalid document, and normalize wrote nothing; a list page too."""
        item = orjson.dumps({**SEED, "x": "NUMBER"}).replace(b'"NUMBER"', number)
        array = b"[" + b",".join([orjson.dumps(SEED), orjson.dumps(SEED), item]) + b"]"
        page = b'{"object": "list", "data": %s, "has_more": false}' % array
        for text in (array, page):
            Path("runs.json").write_bytes(text)
            code, out = _run_in_process("validate", "runs.json")
            assert code == 1
            assert out.splitlines()[:2] == [
                "runs.json:1 [2] (run_abc123)",
                f"  $.x: {'a number' if b'e' in number else 'an integer'} outside the 64-bit"
                f"{' float' if b'e' in number else ''} range JSON tools agree on [out_of_range]",
            ]
            assert "3 documents: 2 valid, 1 invalid" in out
            code, data = _bytes_in_process("normalize", "runs.json")
            out_value = orjson.loads(data)
            items = out_value if text is array else out_value["data"]
            assert (code, items) == (1, [SEED, SEED])

    def test_a_lone_surrogate_escape_spoils_its_item_only(self, in_tmp: Path) -> None:
        """Found by an archive reader: one "\\ud800" (well-formed JSON that orjson refuses,
        as it refuses 1e999) in item 1 of an array made the array one invalid document with
        no index; one such run sank a 500-run file. Each item is now read on its own, at
        its place in the file; a page still goes whole (noted in the README)."""
        item = orjson.dumps({**SEED, "x_note": "NOTE"}).replace(b'"NOTE"', b'"\\ud800"')
        lines = [orjson.dumps(SEED), item, orjson.dumps({**SEED, "status": 5}), orjson.dumps(SEED)]
        Path("runs.json").write_bytes(b"[\n" + b",\n".join(lines) + b"\n]\n")
        code, out = _run_in_process("validate", "runs.json")
        assert code == 1
        column = item.index(b"\\ud800") + 1
        assert out.splitlines()[:4] == [
            "runs.json:1 [1]",
            f"  $.x_note: a lone surrogate escape: no low surrogate in string at line 3, column "
            f"{column} [encoding]",
            "runs.json:1 [2] (run_abc123)",
            "  $.status: expected a string, got an integer [type]",
        ]
        assert "4 documents: 2 valid, 2 invalid" in out
        code, data = _bytes_in_process("normalize", "runs.json")
        assert (code, orjson.loads(data)) == (1, [SEED, SEED])

    @pytest.mark.parametrize("spot", ["model", "key", "unknown key"])
    def test_a_lone_surrogate_after_a_number_beyond_a_double(self, in_tmp: Path, spot: str) -> None:
        """Found by a README trial: after an item holding 1e999 (which orjson refuses before
        it gets further), the array was read by Python's json, which reads a lone surrogate
        escape: its item was valid, and normalize crashed writing it. It spoils its item
        only, as alone; so in a JSONL line, and for loads. Each time it is said at the path
        of its string, or of the object whose key holds it."""
        path, what = {
            "model": ("$.model", "a string"),
            "key": ("$.metadata", "a key"),
            "unknown key": ("$", "a key"),
        }[spot]
        big = orjson.dumps({**SEED, "x_big": 0}).replace(b'"x_big":0', b'"x_big":1e999')
        bad = {
            "model": orjson.dumps(SEED).replace(b'"gpt-4o"', b'"gpt\\ud800"'),
            "key": orjson.dumps(SEED).replace(b'"user_id"', b'"\\udc00"'),
            "unknown key": orjson.dumps({**SEED, "x_note": "NOTE"}).replace(
                b'"x_note"', b'"x\\ud800"'
            ),
        }[spot]
        assert bad.count(b"\\ud") == 1
        Path("runs.json").write_bytes(b"[" + big + b",\n" + bad + b"]")
        code, out = _run_in_process("validate", "runs.json")
        assert code == 1
        lines = out.splitlines()
        assert lines[:3] == [
            "runs.json:1 [0] (run_abc123)",
            "  $.x_big: a number outside the 64-bit float range JSON tools agree on [out_of_range]",
            "runs.json:1 [1]",
        ]
        assert lines[3].startswith(f"  {path}: a lone surrogate escape: ")
        assert lines[3].endswith(" [encoding]")
        assert "2 documents: 0 valid, 2 invalid" in out
        code, data = _bytes_in_process("normalize", "runs.json")
        assert (code, orjson.loads(data)) == (1, [])
        both = big[:-1] + b"," + bad[1:]  # one document: the surrogate is what spoils it
        with pytest.raises(runschema.DecodeError) as info:
            runschema.loads(both, runschema.Run)
        assert [(e.path, e.code) for e in info.value.errors] == [(path, "encoding")]
        Path("runs.jsonl").write_bytes(both + b"\n" + orjson.dumps(SEED) + b"\n")
        code, out = _run_in_process("validate", "runs.jsonl")
        assert out.splitlines()[:2] == [
            "runs.jsonl:1",
            f"  {path}: a lone surrogate escape in {what}: UTF-8 cannot hold it [encoding]",
        ]

    def test_an_item_nested_too_deeply_spoils_its_item_only(self, in_tmp: Path) -> None:
        """Found by an archive reader: one item nested past orjson's 1,024 levels made the
        whole array one invalid document, the items beside it neither checked nor counted
        (the same documents one after another were each reported)."""
        deep = b"[" * 1030 + b"]" * 1030
        item = orjson.dumps({**SEED, "x_note": "NOTE"}).replace(b'"NOTE"', deep)
        lines = [orjson.dumps(SEED), orjson.dumps({**SEED, "status": 5}), item, orjson.dumps(SEED)]
        Path("runs.json").write_bytes(b"[\n" + b",\n".join(lines) + b"\n]\n")
        code, out = _run_in_process("validate", "runs.json")
        assert code == 1
        assert [line.split(": the JSON")[0] for line in out.splitlines()[:4]] == [
            "runs.json:1 [1] (run_abc123)",
            "  $.status: expected a string, got an integer [type]",
            "runs.json:1 [2]",
            "  $",
        ]
        column = item.index(deep) + 1025  # the bracket past orjson's 1,024 levels
        assert out.splitlines()[3].endswith(f" at line 4, column {column} [too_deep]")
        assert "4 documents: 2 valid, 2 invalid" in out
        code, data = _bytes_in_process("normalize", "runs.json")
        assert (code, orjson.loads(data)) == (1, [SEED, SEED])

    @pytest.mark.parametrize(
        ("text", "items"),
        [
            (b"[]", []),
            (
                b"[" + b"[" * 1100 + b'"]]"' + b"]" * 1100 + b', {"b": "}"}]',
                [b"[" * 1100 + b'"]]"' + b"]" * 1100, b'{"b": "}"}'],
            ),
            (b"[" + b"[" * 1100 + b"]", None),
            (b"[" + b"[" * 1100 + b'"' + b"]" * 1101, None),
            (b' [ 1 , "\\ud800" ,{"a": [2]}] \n', [b"1", b'"\\ud800"', b'{"a": [2]}']),
            (b"[1,]", None),
            (b"[1 2]", None),
            (b"[1] 2", None),
            (b'{"a": 1}', None),
            (b"[1", None),
        ],
    )
    def test_the_items_of_an_array(self, text: bytes, items: list[bytes] | None) -> None:
        found = _inputs.array_items(text)
        assert (None if found is None else [t for _, _, t in found]) == items

    @given(
        st.lists(
            st.tuples(
                st.sampled_from([b"1", b'"\\ud800"', b'{"a":\n [2]}', b"[]", b'"x"']),
                st.sampled_from([b"", b" ", b"\n", b" \n  ", b"\n\n\t"]),
            ),
            min_size=2,
            max_size=12,
        )
    )
    def test_where_each_item_starts(self, parts: list[tuple[bytes, bytes]]) -> None:
        """The line and column of each item of an array and of a sequence, as counting from
        the start says (found by fuzzing: counted from the start for each item, an array of
        8,000 runs took 8 s to validate)."""

        def at(text: bytes, offset: int) -> tuple[int, int]:
            return text.count(b"\n", 0, offset) + 1, offset - text.rfind(b"\n", 0, offset)

        array, starts = b"[", []
        for i, (item, space) in enumerate(parts):
            array += space
            starts.append(len(array))
            array += item + (b"," if i < len(parts) - 1 else b"]")
        found = _inputs.array_items(array)
        assert found is not None
        assert [(line, column) for line, column, _ in found] == [at(array, i) for i in starts]
        sequence, starts = b"", []
        for item, space in parts:
            sequence += space or b" "
            starts.append(len(sequence))
            sequence += item
        found = _inputs._sequence(sequence)
        assert found is not None
        assert [(line, column) for line, column, _ in found] == [at(sequence, i) for i in starts]

    def test_normalize_mends_a_pages_ends(self, in_tmp: Path) -> None:
        """A page whose first or last item is left out says so in first_id and last_id
        (found in use: they named the runs left out)."""
        runs = [{**SEED, "id": f"run_{i}"} for i in range(3)]
        page = {
            "object": "list",
            "data": [{**runs[0], "status": 5}, runs[1], {**runs[2], "status": 5}],
            "first_id": "run_0",
            "last_id": "run_2",
            "has_more": False,
        }
        Path("page.json").write_bytes(orjson.dumps(page))
        code, data = _bytes_in_process("normalize", "page.json")
        written = orjson.loads(data)
        assert (code, written["first_id"], written["last_id"]) == (1, "run_1", "run_1")
        page["data"] = [{**runs[0], "status": 5}]
        Path("page.json").write_bytes(orjson.dumps(page))
        written = orjson.loads(_bytes_in_process("normalize", "page.json")[1])
        assert (written["data"], written["first_id"], written["last_id"]) == ([], None, None)

    @pytest.mark.parametrize("first", [b"[]", b'{"object": "list", "data": []}'])
    def test_a_strict_byte_order_mark_before_no_document(self, in_tmp: Path, first: bytes) -> None:
        """Found in use: before an empty array or page, --strict said nothing of the mark."""
        Path("runs.json").write_bytes(b"\xef\xbb\xbf" + first + b"\n" + orjson.dumps(STRICT_OK))
        code, out = _run_in_process("validate", "--strict", "runs.json")
        assert code == 1
        assert out.splitlines()[:2] == [
            "runs.json:1",
            "  $: a UTF-8 byte order mark (BOM) is not allowed [encoding]",
        ]
        assert "2 documents: 1 valid, 1 invalid" in out

    @pytest.mark.parametrize(
        "text",
        [
            b'{"id": "run_1"}\n{\n  "id": "run_2",\n  "tools": [\n    {}\n  ]\n}\n',
            b'{"id": "run_1"}\n[\n  {}\n]\n',
        ],
    )
    def test_an_indented_empty_object_is_no_jsonl(self, in_tmp: Path, text: bytes) -> None:
        """jq writes an empty object as an indented {} line: that is pretty JSON, not a JSONL
        line (found in use: the input was read as JSONL, a document a line)."""
        Path("runs.txt").write_bytes(text)
        code, out = _run_in_process("validate", "runs.txt")
        assert code == 1
        assert "2 documents: 0 valid, 2 invalid" in out
        assert [line for line in out.splitlines() if line.startswith("runs.txt")] == [
            "runs.txt:1 (run_1)",
            "runs.txt:2" + (" (run_2)" if b"run_2" in text else " [0]"),
        ]

    @pytest.mark.parametrize(("text", "bad"), [(b"[1]\n01\n", 2), (b"{}\n1.5.5\n", 2)])
    def test_a_bare_value_that_runs_on_is_one_token(
        self, in_tmp: Path, text: bytes, bad: int
    ) -> None:
        """01 or 1.5.5 is one malformed token, as loads says, not two values (found in use:
        0 and 1, or 1.5 and .5)."""
        Path("runs.json").write_bytes(text)
        code, out = _run_in_process("validate", "runs.json")
        assert code == 1
        assert "2 documents: 0 valid, 2 invalid" in out
        assert out.splitlines()[-3].endswith("[json_invalid]")
        assert f"runs.json:{bad}" in out.splitlines()

    def test_a_form_feed_line_is_no_blank_line(self, in_tmp: Path) -> None:
        """JSON's whitespace is space, tab, CR and LF: a line of a form feed is a document
        (invalid), as loads says, not a blank line skipped."""
        Path("runs.jsonl").write_bytes(jsonl(SEED) + b"\x0c\n" + jsonl(SEED))
        code, out = _run_in_process("validate", "runs.jsonl")
        with pytest.raises(runschema.DecodeError) as info:
            runschema.loads(b"\x0c\n", runschema.Run)
        assert info.value.errors[0].code == "json_invalid"  # (it was "empty": no JSON space)
        assert code == 1
        assert out.splitlines()[:2] == [
            "runs.jsonl:2",
            "  $: malformed JSON: unexpected character, expected a JSON value at line 2, column 1 "
            "[json_invalid]",
        ]

    def test_normalize_leaves_the_byte_order_mark_out(self, in_tmp: Path) -> None:
        Path("runs.jsonl").write_bytes(b"\xef\xbb\xbf" + jsonl(SEED, SEED))
        code, data = _bytes_in_process("normalize", "runs.jsonl")
        assert code == 0
        assert [orjson.loads(line) for line in data.splitlines()] == [SEED, SEED]


class TestExitStatus:
    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file: one line on stderr, no traceback, the other files still checked, 2."""
        (tmp_path / "run.json").write_bytes(orjson.dumps(BAD_STATUS))
        ran = cli(tmp_path, "validate", "nope.json", "run.json")
        assert ran.code == 2
        assert ran.err == "runschema: error: cannot open nope.json: No such file or directory\n"
        assert ran.blocks == ["run.json:1 (run_abc123)", STATUS_ERROR]
        # the summary counts it: "0 documents" alone read as an empty input
        assert "1 document: 0 valid, 1 invalid, 1 input not read in" in ran.out

    def test_directory(self, tmp_path: Path) -> None:
        """A directory given as PATH is an I/O problem: exit 2."""
        ran = cli(tmp_path, "validate", ".", "gone.json")
        assert ran.code == 2
        assert ran.err == (
            "runschema: error: cannot open .: Is a directory\n"
            "runschema: error: cannot open gone.json: No such file or directory\n"
        )
        assert "0 documents: 0 valid, 0 invalid, 2 inputs not read in" in ran.out

    def test_an_unknown_option_names_its_command(self, tmp_path: Path) -> None:
        """Found by an archive reader: an option validate does not take was said with the
        top-level usage (runschema [-h] [--version] COMMAND), not validate's."""
        ran = cli(tmp_path, "validate", "--bogus", "x")
        assert (ran.code, ran.out) == (2, "")
        assert ran.err.startswith("usage: runschema validate [-h]")
        assert ran.err.splitlines()[-1] == (
            "runschema validate: error: unrecognized arguments: --bogus"
        )

    def test_bad_option(self, tmp_path: Path) -> None:
        """An unknown choice is a usage error: exit 2, argparse's message."""
        ran = cli(tmp_path, "validate", "--format", "xml")
        assert ran.code == 2
        # The list of choices that follows is quoted differently across Python versions.
        assert ran.err.splitlines()[-1].startswith(
            "runschema validate: error: argument --format: invalid choice: 'xml' (choose from "
        )

    @pytest.mark.parametrize(
        ("docs", "code"), [((SEED, SEED), 0), ((SEED, BAD_STATUS), 1)], ids=["valid", "invalid"]
    )
    def test_zero_or_one(self, tmp_path: Path, docs: tuple[Any, ...], code: int) -> None:
        """0 when every document is valid, 1 when any is not."""
        (tmp_path / "runs.jsonl").write_bytes(jsonl(*docs))
        assert cli(tmp_path, "validate", "runs.jsonl").code == code


class TestQuiet:
    """``--quiet``: the exit status alone, for scripts (``if runschema validate -q ...``)."""

    @pytest.mark.parametrize("fmt", ["text", "json"])
    def test_nothing_but_the_status(self, tmp_path: Path, mixed: Path, fmt: str) -> None:
        (tmp_path / "good.jsonl").write_bytes(jsonl(SEED, SEED))
        for name, code in (("good.jsonl", 0), (mixed.name, 1)):
            ran = cli(tmp_path, "validate", "-q", "--format", fmt, name)
            assert (ran.code, ran.out, ran.err) == (code, "", "")

    def test_an_input_that_cannot_be_read_is_still_said(self, tmp_path: Path) -> None:
        (tmp_path / "good.jsonl").write_bytes(jsonl(SEED))
        ran = cli(tmp_path, "validate", "--quiet", "good.jsonl", "gone.jsonl")
        assert (ran.code, ran.out) == (2, "")
        assert ran.err == "runschema: error: cannot open gone.jsonl: No such file or directory\n"

    def test_the_bundled_seed(self, tmp_path: Path) -> None:
        """No PATH: the seed, with no note either; strict finds required_action missing."""
        assert cli(tmp_path, "validate", "-q") == Ran(0, "", "")
        assert cli(tmp_path, "validate", "-q", "--strict") == Ran(1, "", "")

    def test_streams(self, tmp_path: Path) -> None:
        from tests.streams import text_stream

        events = text_stream()
        (tmp_path / "good.sse").write_bytes(runschema.encode_events(events))
        (tmp_path / "cut.sse").write_bytes(runschema.encode_events(events[:5]))
        for name, code in (("good.sse", 0), ("cut.sse", 1)):
            path = str(tmp_path / name)
            assert _run_in_process("validate", "-q", "--type", "stream", path) == (code, "")


class TestModifyRunRequest:
    def test_strict_bodies(self, tmp_path: Path) -> None:
        """--type modify-run-request checks request bodies: {} and null metadata are fine."""
        body = jsonl(
            {},
            {"metadata": None},
            {"metadata": {"user": "u1"}, "stream": True},
            {"metadata": {f"k{i}": "v" for i in range(17)}},
            SEED,
        )
        (tmp_path / "bodies.jsonl").write_bytes(body)
        ran = cli(tmp_path, "validate", "--strict", "--type", "modify-run-request", "bodies.jsonl")
        assert ran.code == 1
        unknown = [f"  $.{k}: unknown key '{k}' is not allowed [unknown_field]" for k in SEED]
        assert ran.blocks == [
            "bodies.jsonl:3",
            "  $.stream: unknown key 'stream' is not allowed [unknown_field]",
            "bodies.jsonl:4",
            "  $.metadata: expected at most 16 pairs, got 17 [too_many]",
            "bodies.jsonl:5 (run_abc123)",
            *(u for u in unknown if "'metadata'" not in u),
        ]
        assert ran.summary() == (5, 2, 3)

    def test_type_defaults_to_run(self, tmp_path: Path) -> None:
        """Without --type documents are runs: a request body is not a run."""
        (tmp_path / "body.json").write_bytes(b"{}")
        ran = cli(tmp_path, "validate", "body.json")
        assert ran.code == 1
        assert ran.lines[1] == ID_ERROR


#: A strict-valid run step (the docstring example of RunStep).
STEP: dict[str, Any] = {
    "id": "step_1",
    "object": "thread.run.step",
    "created_at": 1699063291,
    "run_id": "run_1",
    "assistant_id": "asst_1",
    "thread_id": "thread_1",
    "type": "message_creation",
    "status": "completed",
    "cancelled_at": None,
    "completed_at": 1699063291,
    "expired_at": None,
    "failed_at": None,
    "last_error": None,
    "metadata": None,
    "usage": None,
    "step_details": {"type": "message_creation", "message_creation": {"message_id": "msg_1"}},
}


def _page(*data: Any, **keys: Any) -> dict[str, Any]:
    return {"object": "list", "data": list(data), "first_id": None, "last_id": None, **keys}


THREAD: dict[str, Any] = {
    "id": "thread_1",
    "object": "thread",
    "created_at": 1710348075,
    "tool_resources": None,
    "metadata": {},
}
MESSAGE: dict[str, Any] = {
    "id": "msg_1",
    "object": "thread.message",
    "created_at": 1710348076,
    "thread_id": "thread_1",
    "status": "completed",
    "incomplete_details": None,
    "completed_at": 1710348077,
    "incomplete_at": None,
    "role": "assistant",
    "content": [{"type": "text", "text": {"value": "Hi", "annotations": []}}],
    "assistant_id": "asst_1",
    "run_id": "run_1",
    "attachments": [],
    "metadata": {},
}

#: --type name: (a strict-valid document, an invalid one, the invalid one's report)
DOCUMENT_CASES: dict[str, tuple[Any, Any, list[str]]] = {
    "run": (
        STRICT_OK,
        {**STRICT_OK, "status": 5},
        ["doc.json:1 (run_abc123)", STATUS_ERROR],
    ),
    "run-step": (
        STEP,
        {**STEP, "step_details": {"type": "browser"}},
        [
            "doc.json:1 (step_1)",
            "  $.step_details.type: expected one of 'message_creation', 'tool_calls', "
            "got 'browser' [unknown_tag]",
        ],
    ),
    "run-list": (
        _page(STRICT_OK, has_more=False),
        _page(STRICT_OK, {**STRICT_OK, "status": 5}, has_more=False),
        ["doc.json:1", "  $.data[1].status: expected a string, got an integer [type]"],
    ),
    "run-step-list": (
        _page(STEP, first_id="step_1", last_id="step_1", has_more=True),
        _page(STEP),
        ["doc.json:1", "  $.has_more: required key 'has_more' is missing [missing]"],
    ),
    "error": (
        {
            "error": {
                "message": "No run",
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }
        },
        {"error": {"message": 1, "type": "invalid_request_error", "param": None, "code": None}},
        ["doc.json:1", "  $.error.message: expected a string, got an integer [type]"],
    ),
    "create-run-request": (
        {
            "assistant_id": "asst_1",
            "additional_messages": [{"role": "user", "content": "hi"}],
            "stream": True,
        },
        {"assistant_id": "asst_1", "temperature": 3},
        ["doc.json:1", "  $.temperature: expected a number <= 2, got 3 [out_of_range]"],
    ),
    "create-thread-and-run-request": (
        {
            "assistant_id": "asst_1",
            "thread": {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]},
        },
        {"assistant_id": "asst_1", "thread": {"messages": [{"role": "user", "content": []}]}},
        [
            "doc.json:1",
            "  $.thread.messages[0].content: expected at least 1 item, got 0 [too_few]",
        ],
    ),
    "submit-tool-outputs-request": (
        {"tool_outputs": [{"tool_call_id": "call_1", "output": "70F"}], "stream": False},
        {"tool_outputs": [{"tool_call_id": "call_1", "output": 70}]},
        ["doc.json:1", "  $.tool_outputs[0].output: expected a string, got an integer [type]"],
    ),
    "modify-run-request": (
        {"metadata": {"user": "u1"}},
        {"metadata": {"user": "u1"}, "stream": True},
        ["doc.json:1", "  $.stream: unknown key 'stream' is not allowed [unknown_field]"],
    ),
    "thread": (
        THREAD,
        {**THREAD, "created_at": 1.5},
        [
            "doc.json:1 (thread_1)",
            "  $.created_at: expected a unix timestamp (integer seconds), got a number [type]",
        ],
    ),
    "message": (
        MESSAGE,
        {**MESSAGE, "role": "system"},
        [
            "doc.json:1 (msg_1)",
            "  $.role: expected one of 'user', 'assistant', got 'system' [enum]",
        ],
    ),
    "message-list": (
        _page(MESSAGE, first_id="msg_1", last_id="msg_1", has_more=False),
        _page({**MESSAGE, "content": [{"type": "text", "text": {"value": "x"}}]}, has_more=False),
        [
            "doc.json:1",
            "  $.data[0].content[0].text.annotations: required key 'annotations' is missing "
            "[missing]",
        ],
    ),
    "message-delta": (
        {"id": "msg_1", "object": "thread.message.delta", "delta": {"content": []}},
        {"id": "msg_1", "object": "thread.message.delta", "delta": {"content": [{"type": "text"}]}},
        [
            "doc.json:1 (msg_1)",
            "  $.delta.content[0].index: required key 'index' is missing [missing]",
        ],
    ),
    "run-step-delta": (
        {"id": "step_1", "object": "thread.run.step.delta", "delta": {}},
        {"id": "step_1", "object": "thread.run.step.delta"},
        ["doc.json:1 (step_1)", "  $.delta: required key 'delta' is missing [missing]"],
    ),
}


def _validate(doc: Any, *args: str, name: str = "doc.json") -> Ran:
    """``runschema validate --strict ARGS NAME`` in this process (quicker than a child), in
    the current directory (the tests chdir to their tmp_path)."""
    Path(name).write_bytes(jsonl(*doc) if name.endswith(".jsonl") else orjson.dumps(doc))
    code, out = _run_in_process("validate", "--strict", *args, name)
    return Ran(code, out, "")


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _bytes_in_process(*argv: str) -> tuple[int, bytes]:
    """The command's exit status and the bytes it wrote to stdout (normalize and schema write
    to ``sys.stdout.buffer``)."""
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="utf-8")
    with contextlib.redirect_stdout(out):
        code = _cli.main(list(argv))
        out.flush()
    return code, buffer.getvalue()


class TestDocumentTypes:
    def test_every_type_has_a_case(self) -> None:
        """The cases below cover every --type, and each names a runschema model."""
        assert set(DOCUMENT_CASES) == set(_cli.DOCUMENT_TYPES)
        for cls in _cli.DOCUMENT_TYPES.values():
            assert cls.__name__ in runschema.__all__

    @pytest.mark.parametrize("name", list(DOCUMENT_CASES))
    def test_valid_and_invalid(self, in_tmp: Path, name: str) -> None:
        """--type NAME --strict: a valid document exits 0, an invalid one exits 1 with its
        exact path, message and code."""
        valid, invalid, report = DOCUMENT_CASES[name]
        ran = _validate(valid, "--type", name)
        assert (ran.code, ran.lines[:-1], ran.summary()) == (0, [], (1, 1, 0)), ran.out
        ran = _validate(invalid, "--type", name)
        assert ran.code == 1
        assert ran.blocks == report
        assert ran.summary() == (1, 0, 1)

    @pytest.mark.parametrize("name", ["run-list", "run-step-list"])
    def test_a_page_type_reads_pages_as_documents(self, in_tmp: Path, name: str) -> None:
        """With a page type, a list page is one document (not a page of documents), and a
        JSON array or JSONL holds several."""
        page = DOCUMENT_CASES[name][0]
        empty = _page(has_more=False)
        ran = _validate(empty, "--type", name)
        assert (ran.code, ran.summary()) == (0, (1, 1, 0))
        ran = _validate([page, empty, page], "--type", name)
        assert (ran.code, ran.summary()) == (0, (3, 3, 0))
        ran = _validate([page, empty], "--type", name, name="pages.jsonl")
        assert (ran.code, ran.summary()) == (0, (2, 2, 0))

    def test_other_types_still_read_pages_of_documents(self, in_tmp: Path) -> None:
        """A run-step page given as run steps is read as a page of run steps."""
        page = DOCUMENT_CASES["run-step-list"][0]
        ran = _validate(page, "--type", "run-step")
        assert (ran.code, ran.summary()) == (0, (1, 1, 0))

    @pytest.mark.parametrize("name", list(DOCUMENT_CASES))
    def test_generated_documents_are_valid(self, in_tmp: Path, name: str) -> None:
        """Generated valid documents of every type (runschema.strategies) pass --strict,
        and normalize gives them back as the same JSON."""
        cls = _cli.DOCUMENT_TYPES[name]

        @examples(4)
        @given(st.lists(rs.json_documents(cls), min_size=1, max_size=4))
        def check(docs: list[dict[str, Any]]) -> None:
            ran = _validate(docs, "--type", name, name="docs.jsonl")
            assert (ran.code, ran.summary()) == (0, (len(docs), len(docs), 0)), ran.out
            code, out = _bytes_in_process("normalize", "--strict", "--type", name, "docs.jsonl")
            assert code == 0
            assert [orjson.loads(line) for line in out.splitlines()] == docs

        check()

    def test_script_reads_stdin(self, tmp_path: Path) -> None:
        """The console script, as people run it: run steps as JSONL on stdin."""
        bad = {**STEP, "status": "paused"}
        ran = cli(
            tmp_path, "validate", "--strict", "--type", "run-step", "-", stdin=jsonl(STEP, bad)
        )
        assert ran.code == 1
        assert ran.blocks == [
            "<stdin>:2 (step_1)",
            "  $.status: expected one of 'in_progress', 'cancelled', 'failed', 'completed', "
            "'expired', got 'paused' [enum]",
        ]

    def test_help_lists_every_type(self) -> None:
        """validate, normalize and schema --help list every document type, described."""
        for command in ("validate", "normalize", "schema"):
            code, out = _run_in_process(command, "--help")
            assert code == 0
            lines = out.splitlines()
            start = lines.index("document types:")
            listed = [
                line.split()[0] for line in lines[start + 1 : start + 1 + len(DOCUMENT_CASES)]
            ]
            assert listed == list(_cli.DOCUMENT_TYPES)

    @pytest.mark.parametrize("name", list(DOCUMENT_CASES))
    def test_schema_of_every_type(self, name: str) -> None:
        """'runschema schema NAME' prints json_schema() of the type."""
        code, out = _bytes_in_process("schema", name)
        assert code == 0
        assert orjson.loads(out) == runschema.json_schema(_cli.DOCUMENT_TYPES[name])


class TestNormalize:
    def test_a_page_left_out_says_what_went_with_it(
        self, in_tmp: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A list page whose own keys cannot be written back is left out whole; stderr says
        its valid documents went with it (found in use: only '1 of 4 documents invalid')."""
        page = orjson.dumps(_page(SEED, SEED, SEED))[:-1] + b',"x_big":123456789012345678901}'
        Path("page.json").write_bytes(page)
        code, out = _bytes_in_process("normalize", "page.json")
        err = capsys.readouterr().err.splitlines()
        assert (code, out) == (1, b"")
        assert err == [
            "page.json:1",
            "  $.x_big: an integer outside the 64-bit range JSON tools agree on [out_of_range]",
            "page.json:1: the list page is left out of the output with its 3 valid documents: "
            "its own keys cannot be written back as they came",
            "1 of 4 documents invalid, left out of the output",
        ]

    def test_one_invalid_document_is_said_in_the_singular(self, tmp_path: Path) -> None:
        ran = cli(tmp_path, "normalize", "-", stdin=jsonl(NO_ID))
        assert (ran.code, ran.out) == (1, "")
        assert ran.err.splitlines()[-1] == "1 of 1 document invalid, left out of the output"

    def test_jsonl_round_trip(self, tmp_path: Path) -> None:
        """Lenient normalize of JSONL gives JSONL holding the same JSON values, unknowns kept."""
        newer = {
            **SEED,
            "status": "paused",
            "tools": [{"type": "browser", "x": 1}],
            "new_key": {"a": [1, 2]},
        }
        docs = [SEED, newer, {**SEED, "required_action": None}]
        (tmp_path / "runs.jsonl").write_bytes(jsonl(*docs))
        ran = cli(tmp_path, "normalize", "runs.jsonl")
        assert (ran.code, ran.err) == (0, "")
        assert [orjson.loads(ln) for ln in ran.lines] == docs

    @pytest.mark.parametrize(
        "value",
        [SEED, [SEED, STRICT_OK], {"object": "list", "data": [SEED], "has_more": False}],
        ids=["document", "array", "page"],
    )
    def test_json_round_trip(self, tmp_path: Path, value: Any) -> None:
        """JSON in, JSON out, in the input's own shape: document, array or list page."""
        (tmp_path / "in.json").write_bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2))
        ran = cli(tmp_path, "normalize", "in.json")
        assert ran.code == 0
        assert orjson.loads(ran.out) == value

    def test_stdin(self, tmp_path: Path) -> None:
        """normalize - reads stdin and writes stdout."""
        ran = cli(tmp_path, "normalize", "-", stdin=jsonl(SEED))
        assert (ran.code, orjson.loads(ran.out)) == (0, SEED)

    def test_invalid_left_out_and_reported(self, tmp_path: Path, mixed: Path) -> None:
        """Invalid documents go to stderr, as in validate, and not to stdout: exit 1."""
        ran = cli(tmp_path, "normalize", mixed.name)
        assert ran.code == 1
        assert [orjson.loads(ln) for ln in ran.lines] == [SEED, SEED]
        assert ran.err.splitlines() == [
            *MIXED_TEXT,
            "2 of 4 documents invalid, left out of the output",
        ]

    def test_invalid_items_left_out_of_arrays(self, tmp_path: Path) -> None:
        """Inside an array only the valid items are written; the error names the index."""
        (tmp_path / "runs.json").write_bytes(orjson.dumps([BAD_STATUS, SEED]))
        ran = cli(tmp_path, "normalize", "runs.json")
        assert ran.code == 1
        assert orjson.loads(ran.out) == [SEED]
        assert ran.err.splitlines()[:2] == ["runs.json:1 [0] (run_abc123)", STATUS_ERROR]

    def test_strict(self, tmp_path: Path) -> None:
        """--strict applies the published schema: the seed is left out, STRICT_OK echoed."""
        (tmp_path / "runs.jsonl").write_bytes(jsonl(SEED, STRICT_OK))
        ran = cli(tmp_path, "normalize", "--strict", "runs.jsonl")
        assert ran.code == 1
        assert [orjson.loads(ln) for ln in ran.lines] == [STRICT_OK]
        assert ran.err.splitlines()[:2] == ["runs.jsonl:1 (run_abc123)", REQUIRED_ACTION_ERROR]

    def test_needs_a_path(self, tmp_path: Path) -> None:
        """normalize without PATH is a usage error (use - for stdin): exit 2."""
        ran = cli(tmp_path, "normalize")
        assert ran.code == 2
        assert ran.err.splitlines()[-1] == (
            "runschema normalize: error: the following arguments are required: PATH"
        )

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing input: one line on stderr, exit 2."""
        ran = cli(tmp_path, "normalize", "gone.jsonl")
        assert (ran.code, ran.out) == (2, "")
        assert ran.err == "runschema: error: cannot open gone.jsonl: No such file or directory\n"


class TestArchives:
    """What an analyst with large, old, compressed files meets (issue 14)."""

    def test_a_deep_item_beside_long_digit_runs(self, in_tmp: Path) -> None:
        """An item nested near orjson's 1,024 levels, in a text that holds a run of 20
        digits: the exact parse (which reads integer literals as written) reads it too, so
        each item reports its own problems (found in use: every item was reported as
        ``too_deep``, and a list page raised a traceback)."""
        deep = b"[" * 990 + b"]" * 990
        items = [
            orjson.dumps({**SEED, "status": "paused"}),
            orjson.dumps({**SEED, "x_deep": "DEEP"}).replace(b'"DEEP"', deep),
            orjson.dumps(SEED)[:-1] + b',"temperature":123456789012345678901}',
            orjson.dumps(SEED)[:-1] + b',"x_big":123456789012345678901}',
        ]
        Path("a.json").write_bytes(b"[" + b",".join(items) + b"]")
        code, out = _run_in_process("validate", "a.json")
        assert code == 1
        # "paused" is an unknown status, which lenient mode reads
        fields = [line.split(":")[0].split("[")[0] for line in out.splitlines()]
        assert [f for f in fields if f.startswith("  $")] == [
            "  $.x_deep",
            "  $.temperature",
            "  $.x_big",
        ]
        assert "problems by code: out_of_range 2, too_deep 1" in out
        page = b'{"object":"list","data":[],"first_id":"id_12345678901234567890","x":%s}' % deep
        Path("p.json").write_bytes(page)
        code, out = _run_in_process("validate", "p.json")
        assert code == 1
        assert "problems by code: too_deep 1" in out

    @pytest.mark.parametrize("name", ["runs.data", "runs.jsonl"])
    def test_each_line_is_parsed_once(
        self, in_tmp: Path, monkeypatch: pytest.MonkeyPatch, name: str
    ) -> None:
        """Telling JSON from JSONL by the first line (a file of another name) parses that
        line once, not once to tell and once to check."""
        texts: list[bytes] = []
        parse = _inputs._parse

        def counted(data: bytes) -> Any:
            texts.append(data)
            return parse(data)

        monkeypatch.setattr(_inputs, "_parse", counted)
        Path(name).write_bytes(b"\n" + jsonl(SEED, BAD_STATUS, SEED))
        code, out = _run_in_process("validate", name)
        assert code == 1
        assert f"{name}:3 (run_abc123)" in out
        assert len(texts) == 3

    @pytest.mark.parametrize("name", ["runs.jsonl.gz", "runs.gz", "runs.data"])
    def test_gzip_by_magic_bytes(self, tmp_path: Path, name: str) -> None:
        """A gzip file is read decompressed, whatever its name says."""
        (tmp_path / name).write_bytes(gzip.compress(jsonl(SEED, BAD_STATUS, SEED)))
        ran = cli(tmp_path, "validate", name)
        assert ran.code == 1
        assert ran.blocks == [f"{name}:2 (run_abc123)", STATUS_ERROR]
        assert ran.summary() == (3, 2, 1)

    @pytest.mark.parametrize(
        ("compress", "name"),
        [
            (bz2.compress, "runs.jsonl.bz2"),
            (lzma.compress, "runs.jsonl.xz"),
            (bz2.compress, "runs.data"),
            (lzma.compress, "-"),
        ],
    )
    def test_bzip2_and_xz_by_magic_bytes(
        self, in_tmp: Path, monkeypatch: pytest.MonkeyPatch, compress: Any, name: str
    ) -> None:
        """bzip2 and xz are read decompressed too, whatever the name, stdin too (found in use:
        each was one invalid document, 'not valid UTF-8')."""
        body = compress(jsonl(SEED, BAD_STATUS, SEED))
        if name == "-":
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
        else:
            Path(name).write_bytes(body)
        code, out = _run_in_process("validate", name)
        assert code == 1
        shown = "<stdin>" if name == "-" else name
        assert out.splitlines()[:2] == [f"{shown}:2 (run_abc123)", STATUS_ERROR]

    @pytest.mark.parametrize(
        ("body", "says"),
        [
            (b"\x28\xb5\x2f\xfd" + b"\x00" * 8, "zstd-compressed"),
            (b"BZh9 not bzip2", ""),  # the decompressor says why
            (b"\xfd7zXZ\x00 no", ""),
            ('{"id": "run_1"}\n'.encode("utf-16"), "UTF-16"),
            ('{"id": "run_1"}\n'.encode("utf-16-be").join([b"\xfe\xff", b""]), "UTF-16"),
        ],
    )
    def test_zstd_utf16_and_broken_archives_are_io_problems(
        self, in_tmp: Path, capsys: pytest.CaptureFixture[str], body: bytes, says: str
    ) -> None:
        """Found reading archives: a zstd or UTF-16 file was read as lines of garbage, each
        an invalid document ('not valid UTF-8')."""
        Path("runs.dat").write_bytes(body)
        assert _cli.main(["validate", "runs.dat"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("runschema: error: cannot read runs.dat: ")
        assert says in err

    def test_gzip_json_file_and_stdin(self, tmp_path: Path) -> None:
        """A .json.gz file holds one JSON text; gzip on stdin is read too."""
        body = orjson.dumps([SEED, BAD_STATUS], option=orjson.OPT_INDENT_2)
        (tmp_path / "runs.json.gz").write_bytes(gzip.compress(body))
        ran = cli(tmp_path, "validate", "runs.json.gz")
        assert ran.blocks == ["runs.json.gz:1 [1] (run_abc123)", STATUS_ERROR]
        ran = cli(tmp_path, "validate", "-", stdin=gzip.compress(jsonl(SEED, BAD_STATUS)))
        assert ran.blocks == ["<stdin>:2 (run_abc123)", STATUS_ERROR]

    def test_normalize_gzip(self, tmp_path: Path) -> None:
        """normalize reads gzip input and writes plain JSONL."""
        (tmp_path / "runs.jsonl.gz").write_bytes(gzip.compress(jsonl(SEED, SEED)))
        ran = cli(tmp_path, "normalize", "runs.jsonl.gz")
        assert [orjson.loads(ln) for ln in ran.lines] == [SEED, SEED]

    def test_trailing_garbage_after_gzip(self, tmp_path: Path) -> None:
        """What follows a gzip member and is no gzip is named as such, after the documents
        before it are checked (it said 'Not a gzipped file', of a file that was)."""
        body = gzip.compress(jsonl(SEED, BAD_STATUS)) + b"garbage"
        (tmp_path / "runs.jsonl.gz").write_bytes(body)
        ran = cli(tmp_path, "validate", "runs.jsonl.gz")
        assert ran.code == 2
        assert ran.blocks == ["runs.jsonl.gz:2 (run_abc123)", STATUS_ERROR]
        assert ran.err == (
            "runschema: error: cannot read runs.jsonl.gz: after its gzip data come bytes that "
            "are not gzip (trailing garbage) (after line 2)\n"
        )

    @pytest.mark.parametrize(
        ("module", "name", "padding"), [(bz2, "bzip2", b""), (lzma, "xz", b"\0" * 8)]
    )
    def test_bzip2_and_xz_streams_and_what_follows_them(
        self, tmp_path: Path, module: Any, name: str, padding: bytes
    ) -> None:
        """Streams one after another are read on (xz's zero padding between them skipped);
        what follows them and is no stream is trailing garbage, and data cut inside a stream
        is said so, both after the documents before (found by an archive reader: the
        standard library's readers took junk for the end, and five documents after it were
        dropped while the file said valid)."""
        one, five = module.compress(jsonl(SEED, BAD_STATUS)), module.compress(jsonl(SEED) * 5)
        (tmp_path / "a.jsonl.x").write_bytes(one + padding + five)
        ran = cli(tmp_path, "validate", "a.jsonl.x")
        assert (ran.code, ran.summary()) == (1, (7, 6, 1))
        for body, says in (
            (
                one + b"JUNK" + five,
                f"after its {name} data come bytes that are not {name} (trailing garbage)",
            ),
            (one + five[:-20], f"the {name} data ends inside a stream (cut short)"),
        ):
            (tmp_path / "a.jsonl.x").write_bytes(body)
            ran = cli(tmp_path, "validate", "a.jsonl.x")
            assert ran.code == 2
            assert ran.blocks == ["a.jsonl.x:2 (run_abc123)", STATUS_ERROR]
            assert ran.err.startswith(f"runschema: error: cannot read a.jsonl.x: {says} (after")
        # a stream cut in its header, corrupt data after a stream's own header, and (xz)
        # padding that is not four bytes at a time or another format after the stream
        broken = [one[:10] + b"x" * 50, one + five[:12] + b"x" * 50]
        if module is lzma:
            broken += [one + b"\0" * 3 + five, one + lzma.compress(b"{}", lzma.FORMAT_ALONE)]
        for body in broken:
            (tmp_path / "a.jsonl.x").write_bytes(body)
            ran = cli(tmp_path, "validate", "a.jsonl.x")
            assert ran.code == 2
            said = ran.err.removeprefix("runschema: error: cannot read a.jsonl.x: ")
            assert said.startswith((f"its {name} data is corrupt", "after its", "the")), said
        # told apart by content, a bad first line and all: the documents before the damage
        # are checked too (found by an archive reader: none were, read whole to be told)
        told = module.compress(b"bad\n" + jsonl(SEED, BAD_STATUS))
        (tmp_path / "a.x").write_bytes(told + b"JUNK")
        ran = cli(tmp_path, "validate", "a.x")
        assert ran.code == 2
        assert ran.blocks[0] == "a.x:1", ran.out
        assert ran.blocks[2:4] == ["a.x:3 (run_abc123)", STATUS_ERROR], ran.out
        assert ran.err.endswith("(trailing garbage) (after line 3)\n")
        (tmp_path / "a.jsonl.x").write_bytes(one + b"\n")  # after the data: no stream's end
        ran = cli(tmp_path, "validate", "a.jsonl.x")
        assert ran.err.endswith(f"not {name} (trailing garbage) (after line 2)\n")

    @pytest.mark.parametrize("module", [gzip, bz2, lzma])
    def test_a_last_line_with_no_line_end_before_junk(self, tmp_path: Path, module: Any) -> None:
        """Found by an archive reader: a last line with no line end, then junk after the
        compressed data, was lost (the reader dropped it as the read raised); the data is
        whole before the junk, so the line is checked, then the input is said unread."""
        data = module.compress(jsonl(SEED) + orjson.dumps(BAD_STATUS)) + b"JUNK"
        (tmp_path / "a.jsonl.x").write_bytes(data)
        for name in ("a.jsonl.x", "-"):
            ran = cli(tmp_path, "validate", name, stdin=data)
            assert ran.code == 2
            shown = "<stdin>" if name == "-" else name
            assert ran.blocks == [f"{shown}:2 (run_abc123)", STATUS_ERROR]
            assert ran.lines[-1].startswith("2 documents: 1 valid, 1 invalid, 1 input not read")
            assert ran.err.endswith("(trailing garbage) (after line 2)\n")

    def test_gzip_damage_is_said_as_for_the_other_formats(self, tmp_path: Path) -> None:
        """gzip data cut short said zlib's "Compressed file ended before the end-of-stream
        marker was reached"; a failed check is said corrupt, after the lines before it."""
        data = gzip.compress(jsonl(SEED, BAD_STATUS))
        crc = data[:-8] + bytes(4) + data[-4:]
        for body, says in (
            (data[:-4], "the gzip data ends inside a stream (cut short)"),
            (crc, "its gzip data is corrupt (CRC check failed"),
        ):
            (tmp_path / "a.jsonl.gz").write_bytes(body)
            ran = cli(tmp_path, "validate", "a.jsonl.gz")
            assert ran.code == 2
            assert ran.err.startswith(f"runschema: error: cannot read a.jsonl.gz: {says}"), ran.err
        assert ran.blocks == ["a.jsonl.gz:2 (run_abc123)", STATUS_ERROR]
        (tmp_path / "a.jsonl.gz").write_bytes(data + bytes(7) + data)  # zero padding, as gzip -d
        assert cli(tmp_path, "validate", "a.jsonl.gz").summary() == (4, 2, 2)

    def test_what_an_archive_reader_found_in_damaged_archives(self, tmp_path: Path) -> None:
        """Found by an archive reader: a failed gzip CRC check lost a last line with no line
        end (and, with a bad first line, was said "cut short" and changed the verdict); a
        damaged xz footer lost a whole small file; pretty documents cut by damage checked
        none of those before; a gzipped UTF-16 file was three invalid documents."""
        one_line = orjson.dumps([SEED, SEED, BAD_STATUS])
        data = gzip.compress(one_line)
        crc = data[:-8] + bytes(a ^ 1 for a in data[-8:-7]) + data[-7:]
        for name in ("arr.gz", "arr.json.gz", "-"):
            if name != "-":
                (tmp_path / name).write_bytes(crc)
            ran = cli(tmp_path, "validate", name, stdin=crc)
            assert ran.code == 2, name
            assert ran.lines[-1].startswith("3 documents: 2 valid, 1 invalid, 1 input not read")
            assert "its gzip data is corrupt (CRC check failed" in ran.err
        bad_first = gzip.compress(b"bad\n" + jsonl(SEED, SEED))
        (tmp_path / "b.gz").write_bytes(bad_first[:-8] + bytes(4) + bad_first[-4:])
        ran = cli(tmp_path, "validate", "b.gz")
        assert ran.lines[-1].startswith("3 documents: 2 valid, 1 invalid")
        assert "CRC check failed" in ran.err
        # xz: what was decompressed before damage at its end is checked, all but a little
        lines = [
            orjson.dumps({**SEED, "id": f"run_{i}", "n": i * 7919 % 10007}) for i in range(3000)
        ]
        footer = bytearray(lzma.compress(b"\n".join(lines) + b"\n"))
        footer[-1] ^= 1
        (tmp_path / "runs.jsonl.xz").write_bytes(bytes(footer))
        ran = cli(tmp_path, "validate", "runs.jsonl.xz")
        assert ran.code == 2
        checked = int(ran.lines[-1].split()[0].replace(",", ""))
        assert 2_900 <= checked < 3_000, checked
        # pretty documents, cut by damage: the whole ones before it are checked
        pretty = b"".join(
            orjson.dumps({**SEED, "id": f"run_{i}"}, option=orjson.OPT_INDENT_2) + b"\n"
            for i in range(10)
        )
        cut = gzip.compress(pretty)[:-40]
        (tmp_path / "seq.gz").write_bytes(cut)
        ran = cli(tmp_path, "validate", "seq.gz")
        assert ran.code == 2
        count = int(ran.lines[-1].split()[0])
        assert 5 <= count <= 9, ran.lines[-1]
        assert ran.lines[-1].startswith(f"{count} documents: {count} valid, 0 invalid")
        # UTF-16, compressed: said so, as uncompressed
        (tmp_path / "u.jsonl.gz").write_bytes(gzip.compress(jsonl(SEED).decode().encode("utf-16")))
        ran = cli(tmp_path, "validate", "u.jsonl.gz")
        assert ran.code == 2
        assert "it is UTF-16" in ran.err

    @pytest.mark.parametrize(
        "spoil",
        [b'"x_a": 1e999, ', b'"x_a": "\\ud800", ', b'"x_a": ' + b"[" * 1100 + b"]" * 1100 + b", "],
        ids=["beyond a double", "lone surrogate", "too deep for orjson"],
    )
    def test_an_array_an_item_a_line_with_a_spoiled_item(
        self, tmp_path: Path, spoil: bytes
    ) -> None:
        """Found by an archive reader: an array written an item a line, one item spoiled by
        what spoils only its item, was JSONL on stdin or under another name than .json (its
        last item is a whole object from the first column): every other item invalid, and
        normalize kept only the last one. It is one JSON text, as a .json file is."""
        items = [orjson.dumps({**SEED, "id": f"run_{i}"}) for i in range(4)]
        items[1] = items[1].replace(b'{"id"', b"{" + spoil + b'"id"', 1)
        data = b"[\n" + b",\n".join(items) + b"\n]\n"
        (tmp_path / "runs.txt").write_bytes(data)
        for name in ("runs.txt", "-"):
            ran = cli(tmp_path, "validate", name, stdin=data)
            assert ran.lines[-1].startswith("4 documents: 3 valid, 1 invalid"), (name, ran.out)
            assert ran.blocks[0].startswith(f"{'<stdin>' if name == '-' else name}:1 [1]")
        ran = cli(tmp_path, "normalize", "-", stdin=data)
        assert [r["id"] for r in orjson.loads(ran.out)] == ["run_0", "run_2", "run_3"]

    @pytest.mark.parametrize(
        "data",
        [
            b"BZh",
            b"BZhX" + b"\0" * 40,
            b"BZ",
            b"\xfd7zXY\0" + b"\1" * 40,
            b"\xfd7",
            b"\x28\xb5\x2f",
        ],
    )
    def test_a_compressed_file_whose_header_is_damaged(self, tmp_path: Path, data: bytes) -> None:
        """Found by an archive reader: a bzip2 or xz file whose header was damaged or cut
        short was read as text, its bytes so many invalid documents (exit 1); damage is an
        input not read (exit 2), as a damaged gzip header was. No JSON starts so."""
        (tmp_path / "runs.jsonl.bz2").write_bytes(data)
        ran = cli(tmp_path, "validate", "runs.jsonl.bz2")
        assert ran.code == 2
        assert "header is damaged or cut short" in ran.err

    @pytest.mark.parametrize(
        ("data", "name"), [(b"B", "bzip2"), (b"\xfd", "xz"), (b"(", "zstd"), (b"\x1f", "gzip")]
    )
    def test_a_compressed_file_cut_to_its_first_byte(
        self, tmp_path: Path, data: bytes, name: str
    ) -> None:
        """Found by an archive reader: a compressed file cut to its first byte was one
        invalid document (exit 1), where from two bytes on it was an input not read (exit
        2). A whole input that is a part of a compression's first bytes is cut short; a
        longer one that only starts so is text."""
        (tmp_path / "runs.jsonl.bz2").write_bytes(data)
        for path in ("runs.jsonl.bz2", "-"):
            ran = cli(tmp_path, "validate", path, stdin=data)
            assert ran.code == 2
            assert f"it starts as {name} data does and ends within the header" in ran.err
        ran = cli(tmp_path, "validate", "-", stdin=data + b"\n")
        assert ran.code == 1
        assert ran.lines[-1].startswith("1 document: 0 valid, 1 invalid")

    def test_a_file_name_not_utf8_holding_a_line_end(self, tmp_path: Path) -> None:
        """Found by an archive reader: the \\xff of a byte that is not UTF-8 was escaped
        again (\\\\xff) when the name held a line end too."""
        name = os.fsdecode(b"n\xffame\nx.jsonl")
        (tmp_path / name).write_bytes(jsonl(SEED))
        ran = cli(tmp_path, "validate", "--strict", name)
        assert ran.blocks[0].splitlines()[0] == "n\\xffame\\nx.jsonl:1 (run_abc123)"

    def test_a_byte_order_mark_is_not_counted_against_the_bound(self, tmp_path: Path) -> None:
        """Found by an archive reader: a document of exactly the bound after a byte order
        mark was too large in a .jsonl or .json file and valid on stdin."""
        line = orjson.dumps(SEED)
        data = b"\xef\xbb\xbf" + line + b"\n"
        for name in ("a.jsonl", "a.json", "a.txt", "-"):
            if name != "-":
                (tmp_path / name).write_bytes(data)
            ran = cli(tmp_path, "validate", "--max-bytes", str(len(line)), name, stdin=data)
            assert ran.code == 0, (name, ran.out)
            ran = cli(tmp_path, "validate", "--max-bytes", str(len(line) - 1), name, stdin=data)
            assert ran.code == 1, (name, ran.out)

    def test_inputs_not_read_in_the_json_report(self, tmp_path: Path) -> None:
        """Found by an archive reader: an input that could not be read (to its end) was only
        a line on stderr, so a program reading the JSON report never saw it, nor after which
        line a truncated file broke."""
        (tmp_path / "ok.jsonl").write_bytes(jsonl(SEED))
        (tmp_path / "cut.jsonl.gz").write_bytes(gzip.compress(jsonl(SEED) * 50)[:-30])
        ran = cli(
            tmp_path, "validate", "--format", "json", "ok.jsonl", "gone.jsonl", "cut.jsonl.gz"
        )
        assert ran.code == 2
        records = [orjson.loads(line) for line in ran.out.splitlines()]
        assert [r["source"] for r in records[:2]] == ["ok.jsonl", "gone.jsonl"]
        assert records[1] == {
            "source": "gone.jsonl",
            "line": None,
            "index": None,
            "id": None,
            "valid": False,
            "errors": [
                {
                    "path": "$",
                    "code": "unreadable_input",
                    "message": "cannot open gone.jsonl: No such file or directory",
                }
            ],
        }
        last = records[-1]
        assert (last["source"], last["line"], last["valid"]) == ("cut.jsonl.gz", None, False)
        read = len(records) - 3  # the lines of cut.jsonl.gz read before it broke
        assert read > 0
        assert all(r["valid"] for r in records[2:-1])
        (problem,) = last["errors"]
        assert problem["code"] == "unreadable_input"
        assert problem["message"].startswith("cannot read cut.jsonl.gz: ")
        assert problem["message"].endswith(f" (after line {read})")
        assert f"(after line {read})" in ran.err
        only = cli(tmp_path, "validate", "--format", "json", "--only-invalid", "gone.jsonl")
        assert [orjson.loads(line)["line"] for line in only.out.splitlines()] == [None]

    def test_truncated_gzip(self, tmp_path: Path) -> None:
        """A truncated gzip file is an I/O problem (exit 2) after what could be read."""
        (tmp_path / "runs.jsonl.gz").write_bytes(gzip.compress(jsonl(SEED) * 50)[:-30])
        ran = cli(tmp_path, "validate", "runs.jsonl.gz")
        assert ran.code == 2
        assert ran.err.startswith("runschema: error: cannot read runs.jsonl.gz:")

    @pytest.mark.parametrize("strict", [False, True])
    def test_a_jsonl_line_is_one_document_or_a_page(self, tmp_path: Path, strict: bool) -> None:
        """A JSONL line holding an array is one (invalid) document, as loads would say; one
        holding a list page is that page, as a .json file or one line alone is (found by an
        archive reader: logged List answers, one a line, were each 9 errors of a run, and
        the same line alone a valid page)."""
        ends = {"first_id": "run_abc123", "last_id": "run_abc123", "has_more": False}
        page = {"object": "list", "data": [STRICT_OK, STRICT_OK], **ends}
        (tmp_path / "runs.jsonl").write_bytes(jsonl([STRICT_OK, STRICT_OK], page, page))
        flag = ["--strict"] if strict else []
        ran = cli(tmp_path, "validate", *flag, "runs.jsonl")
        assert ran.code == 1
        assert ran.blocks == [
            "runs.jsonl:1",
            "  $: expected a JSON object (a JSONL line holds one document or a list page), got"
            " an array [not_object]",
        ]
        assert ran.summary() == (5, 4, 1)
        ran = cli(tmp_path, "normalize", *flag, "runs.jsonl")
        assert ran.code == 1
        assert [orjson.loads(line) for line in ran.out.splitlines()] == [page, page]
        # as a run-list, a page is one document, on a line as in a file
        ran = cli(tmp_path, "validate", *flag, "--type", "run-list", "runs.jsonl")
        assert ran.summary() == (3, 2, 1)

    def test_validate_and_normalize_agree_on_pages(self, tmp_path: Path) -> None:
        """A list page whose own extra key nests 300 levels is invalid to both commands, and
        normalize reports it rather than crashing."""
        page = orjson.dumps({"object": "list", "data": [SEED], "has_more": False})
        deep = b"[" * 300 + b"1" + b"]" * 300  # deeper than orjson writes
        (tmp_path / "page.json").write_bytes(page[:-1] + b',"x":' + deep + b"}")
        ran = cli(tmp_path, "validate", "page.json")
        assert ran.code == 1
        assert ran.blocks[0] == "page.json:1"
        assert ran.blocks[1].endswith("[too_deep]")
        assert ran.summary() == (2, 1, 1)
        ran = cli(tmp_path, "normalize", "page.json")
        assert (ran.code, ran.out) == (1, "")
        assert "Traceback" not in ran.err
        assert ran.err.splitlines()[0] == "page.json:1"

    def test_page_with_big_integer_key(self, tmp_path: Path) -> None:
        """A page key holding an integer beyond 64 bits cannot be written back exactly."""
        text = b'{"object": "list", "data": [], "x": 123456789012345678901234567890}'
        (tmp_path / "page.json").write_bytes(text)
        assert cli(tmp_path, "validate", "page.json").code == 1
        assert cli(tmp_path, "normalize", "page.json").code == 1

    def test_names_that_are_not_utf8(self, tmp_path: Path) -> None:
        """A file name that is not UTF-8 is written escaped, in text and JSON output."""
        name = os.fsdecode(b"runs-\xff.jsonl")
        (tmp_path / name).write_bytes(jsonl(BAD_STATUS))
        env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
        for fmt in ("text", "json"):
            proc = subprocess.run(
                [sys.executable, "-m", "runschema", "validate", "--format", fmt, name],
                cwd=tmp_path,
                capture_output=True,
                env=env,
                timeout=60,
                check=False,
            )
            assert proc.returncode == 1, proc.stderr
            assert b"Traceback" not in proc.stderr
            first = proc.stdout.decode().splitlines()[0]
            if fmt == "json":
                assert orjson.loads(first)["source"] == "runs-\\xff.jsonl"
            else:
                assert first == "runs-\\xff.jsonl:1 (run_abc123)"
        proc = subprocess.run(
            [sys.executable, "-m", "runschema", "validate", os.fsdecode(b"gone-\xfe.json")],
            cwd=tmp_path,
            capture_output=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 2
        assert proc.stderr.decode().startswith("runschema: error: cannot open gone-\\xfe.json")

    @pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
    @pytest.mark.parametrize("args", [("validate",), ("normalize", "run.json"), ("schema", "run")])
    def test_output_that_cannot_be_written(self, tmp_path: Path, args: tuple[str, ...]) -> None:
        """A full disk (or any failed write) is an I/O problem: exit 2, one line, no
        traceback."""
        (tmp_path / "run.json").write_bytes(runschema.seed_example())
        with open("/dev/full", "wb") as full:
            proc = subprocess.run(
                [sys.executable, "-m", "runschema", *args],
                cwd=tmp_path,
                stdout=full,
                stderr=subprocess.PIPE,
                timeout=60,
                check=False,
            )
        assert proc.returncode == 2
        assert proc.stderr.decode().splitlines() == [
            "runschema: error: cannot write the output: No space left on device"
        ]

    @pytest.mark.parametrize("command", ["validate", "normalize"])
    def test_a_reader_that_leaves(self, tmp_path: Path, command: str) -> None:
        """The README's promise for ``| head -1``: the run ends at once, exit 2, nothing on
        stderr (found by an archive reader: it was not said)."""
        # what goes to stdout: validate's report, normalize's valid documents
        doc = BAD_STATUS if command == "validate" else STRICT_OK
        (tmp_path / "runs.jsonl").write_bytes(jsonl(*[doc] * 3_000))
        proc = subprocess.Popen(
            [sys.executable, "-m", "runschema", command, "runs.jsonl"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None
        assert proc.stderr is not None
        assert proc.stdout.read(1)  # the first byte, then the reader leaves
        proc.stdout.close()
        proc.stdout = None  # communicate reads stderr alone, with a timeout
        _, err = proc.communicate(timeout=60)
        assert (proc.returncode, err) == (2, b"")

    def test_only_invalid(self, tmp_path: Path, mixed: Path) -> None:
        """--only-invalid writes records for invalid documents only."""
        ran = cli(tmp_path, "validate", "--format", "json", "--only-invalid", mixed.name)
        assert [(r["line"], r["valid"]) for r in map(orjson.loads, ran.lines)] == [
            (3, False),
            (4, False),
        ]

    def test_problems_by_code(self, tmp_path: Path, mixed: Path) -> None:
        """The text report ends with the problems counted by code, most frequent first."""
        (tmp_path / "more.jsonl").write_bytes(jsonl(BAD_STATUS, BAD_STATUS))
        ran = cli(tmp_path, "validate", mixed.name, "more.jsonl")
        assert ran.lines[-2] == "problems by code: type 3, json_invalid 1, missing 1"
        ran = cli(tmp_path, "validate", "-", stdin=jsonl(SEED))
        assert not any(ln.startswith("problems by code") for ln in ran.lines)

    def test_id_beside_the_place(self, tmp_path: Path) -> None:
        """The document's id is written beside file:line, bounded and printable; JSON records
        carry it exactly (found in use: they carried the text report's form, escaped and cut,
        so they could not be joined back to the documents)."""
        odd = {**BAD_STATUS, "id": "run\n" + "x" * 200 + "caf\u00e9"}
        (tmp_path / "runs.jsonl").write_bytes(
            jsonl(odd, {**BAD_STATUS, "id": 7}, {**BAD_STATUS, "id": ""})
        )
        ran = cli(tmp_path, "validate", "runs.jsonl")
        first, second, third = ran.blocks[0], ran.blocks[2], ran.blocks[5]  # 7: two problems
        assert first.startswith("runs.jsonl:1 (run\\nxxx")
        assert first.endswith("...)")
        assert len(first) < 120
        assert (second, third) == ("runs.jsonl:2", "runs.jsonl:3")
        records = cli(tmp_path, "validate", "--format", "json", "runs.jsonl").lines
        assert [orjson.loads(r)["id"] for r in records] == [odd["id"], None, ""]


class TestHelp:
    @pytest.mark.parametrize(
        ("args", "example"),
        [
            ((), "  runschema validate runs.jsonl        check every run of a JSONL export"),
            (
                ("validate",),
                "  runschema validate --strict runs.jsonl   the published schema exactly",
            ),
            (("normalize",), "  runschema normalize runs.jsonl > clean.jsonl"),
        ],
        ids=["runschema", "validate", "normalize"],
    )
    def test_examples(self, tmp_path: Path, args: tuple[str, ...], example: str) -> None:
        """--help shows an examples section for the program and for each command, exit 0."""
        ran = cli(tmp_path, *args, "--help")
        assert (ran.code, ran.err) == (0, "")
        assert "examples:" in ran.lines
        assert example in ran.lines

    def test_commands_listed(self, tmp_path: Path) -> None:
        """The program's help lists every registered command."""
        out = cli(tmp_path, "--help").out
        for name in _cli.COMMANDS:
            assert re.search(rf"^  {name} +{re.escape(_cli.COMMANDS[name].help)}$", out, re.M)


class TestRegistry:
    def test_builtin_commands(self) -> None:
        """validate and normalize are registered, in that order."""
        assert list(_cli.COMMANDS)[:2] == ["validate", "normalize"]

    def test_register_new_command(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A registered command gets its own parser and runs from main."""
        monkeypatch.setattr(_cli, "COMMANDS", dict(_cli.COMMANDS))
        seen: list[argparse.Namespace] = []

        def run(args: argparse.Namespace) -> int:
            seen.append(args)
            return 0

        def configure(p: argparse.ArgumentParser) -> None:
            p.add_argument("name")

        _cli.register(
            _cli.Command(
                name="hello", help="h", description="d", epilog="e", configure=configure, run=run
            )
        )
        assert _cli.main(["hello", "world"]) == 0
        assert seen[0].name == "world"

    def test_register_twice(self) -> None:
        """A name may be registered once: a second registration raises ValueError."""
        with pytest.raises(ValueError, match="already registered"):
            _cli.register(_cli.COMMANDS["validate"])


# --- large inputs, in-process -------------------------------------------------------------


class _ShortWriter(io.RawIOBase):
    """An output that takes ``room`` bytes, then only part of a write, then raises ENOSPC:
    a disk that fills up under a buffered file, which says so only by its count."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.taken = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        if self.taken >= self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = min(len(b), self.room - self.taken, 4096)
        self.taken += n
        return n


class _ShortStdout:
    """sys.stdout whose buffer is a _ShortWriter (not buffered: its counts reach the CLI)."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, room: int) -> None:
        self.buffer = _ShortWriter(room)

    def write(self, text: str) -> int:
        return self.buffer.write(text.encode())

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")


def test_an_interrupt_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by an archive reader: Ctrl-C exited 130 printing only an empty line."""

    def interrupted(argv: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(_cli, "_run", interrupted)
    assert _cli.main(["validate"]) == 130
    assert capsys.readouterr().err == "\nrunschema: interrupted\n"


@pytest.mark.parametrize(
    ("argv", "name", "data"),
    [
        (["normalize"], "runs.json", orjson.dumps([SEED] * 200)),
        (["normalize", "--type", "stream"], "run.sse", b""),
        (
            ["validate", "--type", "stream", "--format", "json"],
            "run.sse",
            b"event: thread.run.step.delta\n\n" * 2000,  # one record of 100 problems and a count
        ),
    ],
)
def test_an_output_cut_short_is_an_io_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    name: str,
    data: bytes,
) -> None:
    """Found by an archive reader: a whole array or stream went out in one write; a disk
    that filled up (or a pipe whose reader left) took part of it, the buffered file said so
    only by its count, and normalize exited 0 with a truncated file. Now exit 2, said."""
    from tests.streams import text_delta, text_stream

    if not data:
        events = text_stream()
        events[8] = text_delta(0, "y" * 100_000)
        data = runschema.encode_events(events)
    (tmp_path / name).write_bytes(data)
    monkeypatch.setattr(sys, "stdout", _ShortStdout(room=2_000))
    code = _cli.main([*argv, str(tmp_path / name)])
    assert code == 2
    assert "cannot write the output: No space left on device" in capsys.readouterr().err


def _run_in_process(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = _cli.main(list(argv))
    return code, out.getvalue()


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Make stderr a terminal, and every input large enough for a bar.

    Called in the test body: pytest puts its own sys.stderr back after fixtures are set up.
    """
    err = _Tty()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(_inputs, "PROGRESS_MIN_BYTES", 1)
    return err


def _big_run_line() -> bytes:
    """One run of about 8 KB on one line (long instructions: parsing cost, not hooks)."""
    return orjson.dumps({**SEED, "instructions": "x" * 8000}) + b"\n"


def _peak(*argv: str) -> int:
    tracemalloc.start()
    try:
        code, out = _run_in_process(*argv)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0, out
    return peak


class TestLargeInputs:
    def test_jsonl_in_constant_memory(self, tmp_path: Path) -> None:
        """Peak memory does not grow with a JSONL file's size: 30 MB costs what 3 MB costs."""
        line = _big_run_line()
        small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
        small.write_bytes(line * (3 * 2**20 // len(line)))
        with big.open("wb") as f:
            for _ in range(10):
                f.write(small.read_bytes())
        _run_in_process("validate")  # build the converter's hooks outside the measure
        peak_small = _peak("validate", str(small))
        peak_big = _peak("validate", str(big))
        assert peak_big < peak_small + 2**20
        assert peak_big < big.stat().st_size // 20

    def test_progress_bar_on_a_terminal(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With tqdm installed and stderr a terminal, a large input shows a bar on stderr.

        The bar names the input and is wiped when the input is done.
        """
        pytest.importorskip("tqdm")
        terminal = _terminal(monkeypatch)
        (tmp_path / "runs.jsonl").write_bytes(jsonl(SEED, SEED))
        code, out = _run_in_process("validate", str(tmp_path / "runs.jsonl"))
        assert code == 0
        assert SUMMARY.fullmatch(out.strip())
        bar = terminal.getvalue()
        assert bar.startswith(f"\r{tmp_path / 'runs.jsonl'}:   0%|")
        assert re.search(r"\r +\r\Z", bar)

    @pytest.mark.parametrize("command", ["validate", "normalize"])
    def test_reports_start_a_line_of_their_own_beside_a_bar(
        self, in_tmp: Path, monkeypatch: pytest.MonkeyPatch, command: str
    ) -> None:
        """With stdout and stderr one terminal, a report is written after the bar is wiped,
        not on the bar's line (found in use: each header followed the bar's text)."""
        pytest.importorskip("tqdm")
        terminal = _terminal(monkeypatch)
        # validate reports on stdout, normalize on stderr (its stdout is the output)
        out = terminal if command == "validate" else io.TextIOWrapper(io.BytesIO())
        monkeypatch.setattr(sys, "stdout", out)
        Path("runs.jsonl").write_bytes(jsonl(SEED, BAD_STATUS, SEED, BAD_STATUS))
        assert _cli.main([command, "runs.jsonl"]) == 1
        screen = terminal.getvalue()
        headers = [m.start() for m in re.finditer(r"runs\.jsonl:[24] \(run_abc123\)", screen)]
        assert len(headers) == 2
        for at in headers:
            assert screen[at - 1] == "\r", screen[max(0, at - 80) : at]
            assert screen[:at].rsplit("\r", 2)[-2].strip() == ""  # the bar's line, wiped

    def test_no_tqdm_no_bar(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without tqdm the command works the same and stderr stays quiet."""
        monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm raises ImportError
        terminal = _terminal(monkeypatch)
        (tmp_path / "runs.jsonl").write_bytes(jsonl(SEED, SEED))
        code, out = _run_in_process("validate", str(tmp_path / "runs.jsonl"))
        assert (code, terminal.getvalue()) == (0, "")
        assert SUMMARY.fullmatch(out.strip())

    def test_no_bar_when_not_a_terminal(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """When stderr is not a terminal there is no bar, whatever the size."""
        err = io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        monkeypatch.setattr(_inputs, "PROGRESS_MIN_BYTES", 1)
        (tmp_path / "runs.jsonl").write_bytes(jsonl(SEED))
        assert _run_in_process("validate", str(tmp_path / "runs.jsonl"))[0] == 0
        assert err.getvalue() == ""

    @pytest.mark.parametrize("enabled", [True, False])
    def test_collector_state_restored(self, tmp_path: Path, enabled: bool) -> None:
        """The collector, paused while parsing and kept off parsed arrays, is as it was after,
        whether the documents were valid or not."""
        bad = {**SEED, "status": 1}
        path = tmp_path / "runs.json"
        path.write_bytes(orjson.dumps([SEED, bad, SEED]))
        lines = tmp_path / "runs.jsonl"
        lines.write_bytes(orjson.dumps(SEED) + b"\n" + orjson.dumps(bad) + b"\n")
        was = gc.isenabled()
        frozen = gc.get_freeze_count()  # not 0 on CPython 3.12, which freezes some at start
        (gc.enable if enabled else gc.disable)()
        try:
            for argv in (["validate", str(path)], ["validate", str(lines)]):
                code, out = _run_in_process(*argv)
                assert code == 1, out
                assert "$.status" in out
                assert gc.isenabled() is enabled
                assert gc.get_freeze_count() == frozen
        finally:
            (gc.enable if was else gc.disable)()


class TestLazyExactParse:
    def test_clean_documents_are_not_scanned(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Valid documents are never scanned for long integer literals (as loads does it only
        when a document is not the clean case); a document that is not clean is."""
        from runschema import _codec

        scanned: list[bytes | str] = []
        real = _codec._may_hold_long_int

        def counting(text: bytes | str) -> bool:
            scanned.append(text)
            return real(text)

        monkeypatch.setattr(_codec, "_may_hold_long_int", counting)
        (tmp_path / "runs.jsonl").write_bytes(jsonl(SEED, SEED, BAD_STATUS))
        code, _ = _run_in_process("validate", str(tmp_path / "runs.jsonl"))
        assert code == 1
        assert len(scanned) == 1  # the invalid line only

    def test_long_integers_still_found(self, tmp_path: Path) -> None:
        """A long integer literal in a run is reported, in JSONL and inside an array."""
        big = orjson.dumps(SEED).replace(b'"created_at":1699075072', b'"created_at":1' + b"0" * 25)
        (tmp_path / "runs.jsonl").write_bytes(big + b"\n")
        (tmp_path / "runs.json").write_bytes(b"[" + orjson.dumps(SEED) + b"," + big + b"]")
        for name, header in (("runs.jsonl", "runs.jsonl:1"), ("runs.json", "runs.json:1 [1]")):
            ran = cli(tmp_path, "validate", name)
            assert ran.blocks[0] == f"{header} (run_abc123)"
            assert ran.blocks[1].startswith("  $.created_at: a timestamp outside")


# --- streams (--type stream) --------------------------------------------------------------


class TestStreams:
    @staticmethod
    def _write(tmp_path: Path, name: str, data: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    def test_a_newer_servers_status_is_lenient_modes(self, tmp_path: Path) -> None:
        """Lenient validation reads a newer server's stream: a run in a status this version
        does not know is no status_mismatch or bad_transition; strict refuses its frame."""
        from tests.streams import text_stream

        events = text_stream()
        running = events[3]
        assert isinstance(running, runschema.RunEvent)
        paused = attrs.evolve(running.data, status=runschema.UnknownValue(value="paused"))
        events[3] = runschema.RunEvent("thread.run.in_progress", paused)
        path = self._write(tmp_path, "newer.sse", runschema.encode_events(events))
        code, out = _run_in_process("validate", "--type", "stream", path)
        assert code == 0
        assert out.startswith("1 stream: 1 valid, 0 invalid in ")
        code, out = _run_in_process("validate", "--strict", "--type", "stream", path)
        assert code == 1
        assert "  $[3].data.status: expected one of" in out

    def test_a_valid_stream(self, tmp_path: Path) -> None:
        from tests.streams import text_stream

        path = self._write(tmp_path, "run.sse", runschema.encode_events(text_stream()))
        code, out = _run_in_process("validate", "--strict", "--type", "stream", path)
        assert code == 0
        assert out.startswith("1 stream: 1 valid, 0 invalid")

    def test_bad_frames_and_order_with_paths_and_codes(self, tmp_path: Path) -> None:
        from tests.streams import text_delta, text_stream

        events = text_stream()
        events[9] = text_delta(0, " there", id="msg_x")
        body = runschema.encode_events(events[:13])  # no terminal run event, no done
        body = body.replace(b"event: thread.run.step.created", b"event: thread.run.step.made")
        path = self._write(tmp_path, "bad.sse.gz", gzip.compress(body))
        code, out = _run_in_process("validate", "--strict", "--type", "stream", path)
        assert code == 1
        lines = out.splitlines()
        assert lines[0] == f"{path} (run_1)"
        assert [re.sub(r": .*\[", " [", line.strip()) for line in lines[1:9]] == [
            "$[4].event [unknown_event]",
            "$[5].data.id [not_created]",  # its step.created was the unknown event
            "$[9].data.id [delta_before_created]",
            # the text its deltas made lacks the piece sent to msg_x
            "$[11].data.content[0].text.value [content_mismatch]",
            "$[12].data.id [not_created]",
            "$ [no_terminal]",
            "$ [missing_done]",
            "problems by code: not_created 2, content_mismatch 1, delta_before_created 1, "
            "missing_done 1, no_terminal 1, unknown_event 1",
        ]
        assert lines[9].startswith("1 stream: 0 valid, 1 invalid")

    def test_order_of_frames_strict_mode_refused(self, tmp_path: Path) -> None:
        """Found by an archive reader: in strict mode a run event refused for its data (a
        newer tool type) was no event to the order checker, which then said the stream had
        no terminal run event (and lost its run's name); a quoted done, refused likewise,
        made it say the done was missing. The order is checked on the frames as a lenient
        reader reads them, each refusal said once."""
        from tests.streams import text_stream

        events = text_stream()
        body = runschema.encode_events(events).replace(
            b'"tools":[{"type":"code_interpreter"}]', b'"tools":[{"type":"browser"}]'
        )
        body = body.replace(b"data: [DONE]", b'data: "[DONE]"')
        path = self._write(tmp_path, "newer.sse", body)
        code, out = _run_in_process("validate", "--strict", "--type", "stream", path)
        assert code == 1
        lines = out.splitlines()
        assert lines[0] == f"{path} (run_1)"
        codes = [line.rsplit("[", 1)[1].rstrip("]") for line in lines[1:-2]]
        run_events = sum(type(e) is runschema.RunEvent for e in events)
        assert codes == ["unknown_tag"] * run_events + ["quoted_done"]
        code, out = _run_in_process("validate", "--type", "stream", path)
        assert (code, out.splitlines()[-1][:27]) == (0, "1 stream: 1 valid, 0 invali")

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            ("data_only", "data_only_frame"),
            ("unnamed_done", "missing_event"),
            ("no_last_blank", "truncated_frame"),
        ],
    )
    def test_a_frame_refused_without_a_name_is_said_once(
        self, tmp_path: Path, change: str, code: str
    ) -> None:
        """Found by fuzzing: a frame strict mode refused with no ``event:`` line (data-only
        JSON, a bare [DONE]) or cut short at the end was no event to the order checker,
        which then reported no_terminal or missing_done as well."""
        from tests.streams import text_stream

        events = text_stream()
        body = runschema.encode_events(events)
        if change == "data_only":  # the last run event, sent as data-only JSON
            run = events[-2]
            assert isinstance(run, runschema.RunEvent)
            only = {"event": run.event, "data": runschema.unstructure(run.data)}
            body = (
                runschema.encode_events(events[:-2])
                + b"data: "
                + orjson.dumps(only)
                + b"\n\n"
                + runschema.encode_events(events[-1:])
            )
        elif change == "unnamed_done":
            body = body.replace(b"event: done\ndata: [DONE]", b"data: [DONE]")
        else:
            body = body[:-1]  # the done frame has no blank line after it
        path = self._write(tmp_path, "s.sse", body)
        code_, out = _run_in_process("validate", "--strict", "--type", "stream", path)
        assert code_ == 1
        lines = out.splitlines()
        assert [line.rsplit("[", 1)[1].rstrip("]") for line in lines[1:-2]] == [code]
        assert lines[-2] == f"problems by code: {code} 1"

    def test_a_report_lists_the_first_hundred_problems(self, tmp_path: Path) -> None:
        """Found by an archive reader: 5,000 bad frames gave 15,000 report lines; a stream's
        report lists the first 100 problems and counts the rest, as a document's does."""
        body = b"event: thread.run.step.delta\n\n" * 5_000
        doc, _, _ = _cli._check_stream("s", iter([body]), strict=True, keep=False)
        assert len(doc.errors) == 101
        assert {e.code for e in doc.errors[:100]} == {"missing_data"}
        assert (doc.errors[-1].code, doc.errors[-1].message) == (
            "too_many_problems",
            "4,902 more problems not listed (a report lists the first 100)",
        )

    @pytest.mark.parametrize(
        ("name", "compress"),
        [("gzip", gzip.compress), ("bzip2", bz2.compress), ("xz", lzma.compress)],
    )
    def test_a_cut_archive_reports_the_frames_before_the_damage(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, compress: Any
    ) -> None:
        """Found by an archive reader: a stream in a ``.sse.gz`` cut short said only that
        it could not be read, where documents before the damage in a ``.jsonl.gz`` are each
        checked. The frames before the damage are checked (the stream's end is not: it was
        not read); the input is still one not read, exit 2, and normalize writes nothing."""
        from tests.streams import text_stream

        events = runschema.encode_events(text_stream())
        bad = b"event: thread.run.made\ndata: {}\n\n"  # strict: unknown_event at $[1]
        frames = events.split(b"\n\n")
        body = frames[0] + b"\n\n" + bad + b"\n\n".join(frames[1:])
        cut = compress(body)[:-10]
        path = self._write(tmp_path, "s.sse.z", cut)
        code, out = _run_in_process("validate", "--strict", "--type", "stream", path)
        assert code == 2
        lines = out.splitlines()
        assert lines[1].startswith("  $[1].event: an event this version does not know")
        assert lines[1].endswith("[unknown_event]")
        assert len(lines) == 4  # no end-of-stream problem: the end was not read
        assert lines[-1].startswith("1 stream: 0 valid, 1 invalid, 1 input not read in ")
        assert f"the {name} data ends inside a stream (cut short)" in capsys.readouterr().err
        # a stream whose frames before the damage are clean: the input not read, only
        code, out = _run_in_process("validate", "--type", "stream", path)
        assert code == 2
        assert out.startswith("0 streams: 0 valid, 0 invalid, 1 input not read in ")
        capsys.readouterr()
        code = _cli.main(["normalize", "--strict", "--type", "stream", path])
        assert code == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "[unknown_event]" in captured.err

    def test_validate_holds_no_events(self, tmp_path: Path) -> None:
        """Found by an archive reader: validate kept every event of a stream (five times the
        file in memory); only normalize, which writes them back, keeps them."""
        from tests.streams import text_stream

        body = runschema.encode_events(text_stream())
        for keep, held in ((False, 0), (True, len(text_stream()))):
            doc, events, _ = _cli._check_stream("s", iter([body]), strict=True, keep=keep)
            assert (doc.errors, len(events)) == ((), held)

    def test_the_spec_transcripts_as_json_records(self, tmp_path: Path) -> None:
        sse = Path(__file__).parent / "data" / "spec" / "examples" / "sse"
        paths = sorted(str(p) for p in sse.glob("*.sse"))
        code, out = _run_in_process("validate", "--type", "stream", "--format", "json", *paths)
        assert code == 1
        records = [orjson.loads(line) for line in out.splitlines()]
        assert [r["valid"] for r in records] == [False] * 5
        first = records[0]
        assert first["id"] == "run_123"
        # the spec elides deltas (its transcripts have `...` lines): the text they make is
        # not the finished message's, and the `...` frame is no event
        assert [(e["path"], e["code"]) for e in first["errors"]][:2] == [
            ("$[11].data.content[0].text.value", "content_mismatch"),
            ("$[13]", "missing_data"),
        ]

    def test_normalize_rewrites_what_it_read(self, tmp_path: Path, capsys: Any) -> None:
        from tests.streams import text_stream

        body = runschema.encode_events(text_stream()).replace(b"\n", b"\r\n")
        body = body.replace(b"event: done\r\ndata: [DONE]", b'event: done\r\ndata: "[DONE]"')
        path = self._write(tmp_path, "crlf.sse", body)
        assert _cli.main(["normalize", "--type", "stream", path]) == 0
        assert runschema.decode_stream(capsys.readouterr().out.encode(), strict=True) == (
            text_stream()
        )

    def test_a_stream_needs_a_path(self) -> None:
        assert _cli.main(["validate", "--type", "stream"]) == 2

    def test_normalize_takes_one_stream(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Its output is one stream: two written one after another went on after done
        (found in use: they were, and the output then failed validation, after_done)."""
        from tests.streams import text_stream

        path = self._write(tmp_path, "a.sse", runschema.encode_events(text_stream()))
        assert _cli.main(["normalize", "--type", "stream", path, path]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "takes one stream" in captured.err

    @pytest.mark.parametrize("command", ["validate", "normalize"])
    def test_input_format_does_not_apply(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
    ) -> None:
        """A stream is read as events whatever --input-format says: saying it is a usage
        error, not an option silently ignored (found in use)."""
        from tests.streams import text_stream

        path = self._write(tmp_path, "a.sse", runschema.encode_events(text_stream()))
        argv = [command, "--type", "stream", "--input-format", "jsonl", path]
        assert _cli.main(argv) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == (
            "runschema: error: --input-format does not apply to --type stream "
            "(a stream is read as events)\n"
        )

    def test_unreadable_input(self, tmp_path: Path) -> None:
        assert _cli.main(["validate", "--type", "stream", str(tmp_path / "nope.sse")]) == 2

    def test_unreadable_input_in_the_json_report(self, tmp_path: Path) -> None:
        """Found by fuzzing: --type stream --format json wrote no record for an input it
        could not read (documents' reports do), so a program reading it never saw it."""
        from tests.streams import text_stream

        (tmp_path / "ok.sse").write_bytes(runschema.encode_events(text_stream()))
        (tmp_path / "cut.sse.gz").write_bytes(gzip.compress(b"x" * 100_000)[:-30])
        ran = cli(
            tmp_path,
            "validate",
            "--type",
            "stream",
            "--format",
            "json",
            "ok.sse",
            "gone.sse",
            "cut.sse.gz",
        )
        assert ran.code == 2
        records = [orjson.loads(line) for line in ran.out.splitlines()]
        assert [(r["source"], r["line"], r["valid"]) for r in records] == [
            ("ok.sse", 1, True),
            ("gone.sse", None, False),
            ("cut.sse.gz", None, False),
        ]
        assert records[1]["errors"] == [
            {
                "path": "$",
                "code": "unreadable_input",
                "message": "cannot open gone.sse: No such file or directory",
            }
        ]
        (problem,) = records[2]["errors"]
        assert problem["code"] == "unreadable_input"
        assert problem["message"].startswith("cannot read cut.sse.gz: ")

    def test_help_lists_every_type(self) -> None:
        code, out = _run_in_process("validate", "--help")
        assert code == 0
        for name in [*_cli.DOCUMENT_TYPES, "stream"]:
            assert f"  {name} " in out


@pytest.mark.parametrize(
    ("per_second", "shown"), [(0.0, "0"), (0.37, "0.37"), (2.5, "2.5"), (1181.4, "1,181")]
)
def test_a_slow_rate_is_not_zero(per_second: float, shown: str) -> None:
    """Found by an archive reader: one stream in 2.7 s read '(0 streams/s)'."""
    assert _cli._rate(per_second) == shown
