"""Against the official SDK: the openai package's pydantic Run reads what we write, and back.

Generated valid runs are accepted by ``openai.types.beta.threads.Run`` and give the same JSON
value from our ``dumps`` as from its ``to_json()``; what the openai model holds decodes in
runschema (strictly) and round-trips. The one erratum the SDK model does not share:
``instructions: null`` (it types instructions as ``str``), so generated runs give it a string.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import assume, given

import runschema
from runschema import strategies as rs
from tests.fixtures import examples

threads = pytest.importorskip("openai.types.beta.threads")
OpenAIRun: Any = threads.Run

HYP = examples(100)


class TestOfficialModel:
    @HYP
    @given(rs.run_json())
    def test_sdk_accepts_ours_and_agrees(self, doc: dict[str, Any]) -> None:
        """The SDK model accepts every generated run; both encoders give the same JSON value."""
        assume(doc["instructions"] is not None)  # the SDK does not know the erratum
        theirs = OpenAIRun.model_validate(doc)
        ours = runschema.structure(doc, runschema.Run, strict=True)
        assert orjson.loads(theirs.to_json()) == orjson.loads(runschema.dumps(ours))

    @HYP
    @given(rs.run_json())
    def test_sdk_run_decodes_and_round_trips(self, doc: dict[str, Any]) -> None:
        """What the SDK model holds decodes in runschema (strict) and round-trips exactly."""
        assume(doc["instructions"] is not None)
        theirs = OpenAIRun.model_validate(doc)
        data = theirs.to_json().encode()
        run = runschema.loads(data, runschema.Run, strict=True)
        assert orjson.loads(runschema.dumps(run)) == orjson.loads(data)

    def test_seed_example_erratum(self) -> None:
        """The SDK model rejects the seed's instructions: null, which runschema accepts."""
        import pydantic

        seed = orjson.loads(runschema.seed_example())
        with pytest.raises(pydantic.ValidationError):
            OpenAIRun.model_validate(seed)
        runschema.loads(runschema.seed_example(), runschema.Run)
        seed["instructions"] = "be brief"
        theirs = OpenAIRun.model_validate(seed)
        assert orjson.loads(theirs.to_json()) == seed
