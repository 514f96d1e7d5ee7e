"""The project's own promises: README commands, CI script, public API shape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import runschema

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block is not None
    return [ln for ln in block.group(1).splitlines() if ln and not ln.startswith("#")]


class TestReadme:
    def test_two_commands_on_first_screen(self) -> None:
        """The README's first screen gives exactly two commands: main job and tests."""
        cmds = _readme_commands()
        assert len(cmds) == 2
        head = "\n".join((ROOT / "README.md").read_text().splitlines()[:25])
        for c in cmds:
            assert c in head

    def test_ci_runs_readme_commands_verbatim(self) -> None:
        """.ci/run runs both README commands exactly as written, plus mypy and ruff."""
        ci = (ROOT / ".ci" / "run").read_text()
        for c in _readme_commands():
            assert c in ci.splitlines()
        assert "mypy --strict" in ci
        assert "ruff check" in ci
        assert "ruff format --check" in ci


class TestPublicApi:
    def test_all_sorted_and_complete(self) -> None:
        """__all__ is sorted and names exist; every public name has a docstring."""
        names = runschema.__all__
        assert list(names) == sorted(names, key=lambda n: (not n.isupper(), n[0].islower(), n))
        for n in names:
            assert hasattr(runschema, n), n

    def test_docstrings(self) -> None:
        """Every public class and function carries a docstring."""
        for n in runschema.__all__:
            obj = getattr(runschema, n)
            if callable(obj) and isinstance(obj, type | type(len) | type(_readme_commands)):
                assert obj.__doc__, n

    def test_class_settings_are_declared(self) -> None:
        """A model's ``__rs_*__`` setting that is no plain bool is declared ``ClassVar[...]``
        where it is set: pyright infers a tuple of literals differently from its base's
        declaration, calls it ambiguous, and every public name that holds the model (the
        Run, then loads, new_run...) partly unknown (found checking ``--verifytypes``: 92.9%
        after ``__rs_required_if__`` was set bare)."""
        from runschema._models import MODELS

        for cls in MODELS:
            for name, value in vars(cls).items():
                if name == "__rs_union__":  # set by unions() at import, not in a class body
                    continue
                if name.startswith("__rs_") and not isinstance(value, bool | classmethod):
                    if callable(value) or isinstance(value, staticmethod):
                        continue
                    assert name in vars(cls).get("__annotations__", {}), (cls, name)


def test_lazy_names_agree() -> None:
    """The names imported on first use are the public names their modules define: the table
    of ``__getattr__`` lists each under the module that has it, and every one is in
    ``__all__`` (mypy reads the same names from the TYPE_CHECKING imports)."""
    import importlib

    lazy: dict[str, str] = runschema._LAZY
    assert set(lazy) <= set(runschema.__all__)
    for module in set(lazy.values()):
        names = set(importlib.import_module(f"runschema.{module}").__all__)
        listed = {n for n, m in lazy.items() if m == module}
        assert listed == names & set(runschema.__all__), module


def test_dir_lists_every_public_name_before_first_use() -> None:
    """Found by an SDK author: the names imported on first use (LENIENT, StreamDecoder, ...)
    were missing from dir(), help() and completion until used. A fresh interpreter, so that
    none was used yet."""
    import subprocess
    import sys

    code = (
        "import runschema; missing = set(runschema.__all__) - set(dir(runschema)); "
        "print(sorted(missing), 'cattrs' in __import__('sys').modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] False"


@pytest.mark.parametrize("name", ["RUN_TRANSITIONS", "EVENT_DATA", "ERROR_CODES", "ERRATA"])
def test_public_tables_are_read_only_and_pickle(name: str) -> None:
    """Found by an SDK author: RUN_TRANSITIONS (a mappingproxy) could not be pickled or
    copied, and EVENT_DATA, ERROR_CODES and ERRATA were dicts anyone could change (a name
    popped from EVENT_DATA changed how streams decode)."""
    import copy
    import pickle

    table = getattr(runschema, name)
    key = next(iter(table))
    with pytest.raises(TypeError, match="read-only"):
        table.pop(key)
    with pytest.raises(TypeError, match="read-only"):
        table[key] = table[key]
    assert pickle.loads(pickle.dumps(table)) == table
    assert copy.deepcopy(table) is table
    assert dict(table) == table


def test_import_stays_light() -> None:
    """``import runschema`` imports neither cattrs (converters are built on first use) nor the
    peers, hypothesis or the CLI's optional progress bar."""
    import subprocess
    import sys

    code = (
        "import sys, runschema; "
        "heavy = {'cattrs', 'hypothesis', 'pydantic', 'msgspec', 'openai', 'tqdm'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
