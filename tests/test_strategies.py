"""Round trips with generated runs, and the published strategies' own promises."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given

import runschema
from runschema import strategies as rs
from tests.fixtures import examples

HYP = examples(150)


class TestRoundTrips:
    @HYP
    @given(rs.runs())
    def test_valid_runs_round_trip_both_modes(self, run: runschema.Run) -> None:
        """Generated valid runs encode and decode back equal, strict and lenient."""
        data = runschema.dumps(run)
        assert runschema.loads(data, runschema.Run, strict=True) == run
        assert runschema.loads(data, runschema.Run) == run
        assert runschema.loads(data.decode(), runschema.Run) == run

    @HYP
    @given(rs.run_json_with_unknowns())
    def test_unknowns_survive_lenient(self, doc: dict[str, Any]) -> None:
        """Unknown keys, values, arms and absent nullable keys survive a lenient trip."""
        data = orjson.dumps(doc)
        run = runschema.loads(data, runschema.Run)
        assert orjson.loads(runschema.dumps(run)) == doc
        assert runschema.loads(runschema.dumps(run), runschema.Run) == run

    @HYP
    @given(rs.run_update_params())
    def test_update_params_round_trip(self, params: runschema.RunUpdateParams) -> None:
        """Modify run bodies round-trip and pass the service-side check."""
        data = runschema.dumps(params)
        assert runschema.validate_modify_run_request(data) == params

    @HYP
    @given(rs.run_json())
    def test_run_json_is_strict_valid(self, doc: dict[str, Any]) -> None:
        """run_json() gives JSON data that strict mode accepts unchanged."""
        run = runschema.structure(doc, runschema.Run, strict=True)
        assert runschema.unstructure(run) == doc


class TestInvalid:
    @HYP
    @given(rs.invalid_run_json())
    def test_strict_reports_the_fault(self, case: tuple[dict[str, Any], str, str]) -> None:
        """Each invalid document gives exactly its expected (path, code) in strict mode."""
        doc, path, code = case
        with pytest.raises(runschema.ValidationError) as info:
            runschema.loads(orjson.dumps(doc), runschema.Run, strict=True)
        assert [(e.path, e.code) for e in info.value.errors] == [(path, code)]

    @HYP
    @given(rs.invalid_run_json(strict=False))
    def test_lenient_reports_the_fault(self, case: tuple[dict[str, Any], str, str]) -> None:
        """Faults drawn with strict=False are rejected by lenient mode too."""
        doc, path, code = case
        with pytest.raises(runschema.ValidationError) as info:
            runschema.loads(orjson.dumps(doc), runschema.Run)
        assert [(e.path, e.code) for e in info.value.errors] == [(path, code)]


class TestOptional:
    def test_import_runschema_does_not_import_hypothesis(self) -> None:
        """hypothesis is optional: importing runschema never imports it."""
        import subprocess
        import sys

        code = "import sys, runschema; print('hypothesis' in sys.modules)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stdout.strip() == "False"
