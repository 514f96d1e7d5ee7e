"""Differential: the official ``openai`` package's own types against runschema, field for field.

Over values that :func:`runschema.strategies.values` generates:

- **ours -> theirs**: ``openai.types.beta.threads.Run`` and ``...runs.RunStep`` (and the
  client's ``SyncCursorPage`` of each, and ``ErrorObject``) accept what runschema writes, and
  hold exactly it: their ``model_dump(mode="json", by_alias=True, exclude_unset=True)``
  equals runschema's JSON.
- **theirs -> ours**: the JSON those models write (``model_dump_json(by_alias=True,
  exclude_unset=True)``, which is what the SDK's own ``to_json()`` does) decodes in runschema,
  strictly, to a value that holds the same JSON data as the one generated (see the number gaps
  below).
- **request params**: the SDK's params TypedDicts (``run_create_params.RunCreateParams``,
  ``thread_create_and_run_params.ThreadCreateAndRunParams``,
  ``run_submit_tool_outputs_params.RunSubmitToolOutputsParams``, and the list params) validate
  runschema's request JSON with pydantic's ``TypeAdapter``, every nested array consumed (pydantic
  checks ``Iterable`` fields lazily) and compared with the input: a key the SDK does not know
  would be dropped, and the comparison would say so. What the SDK would send is read by
  runschema, strictly, to the same JSON data.

Deliberate gaps (the SDK and the published schema differ; runschema follows the schema):

- ``instructions: null`` on a run: an erratum runschema accepts (the spec's own examples send
  it) and the SDK's ``Run`` types as ``str``; generated runs here give it a string.
- The SDK's path parameters live in its params TypedDicts (``thread_id`` is required in
  ``RunSubmitToolOutputsParams`` and ``StepListParams``) and ``include`` of Create run is a
  query parameter the SDK takes among the body params: added from the query value here.
- ``model_dump_json()`` *without* ``exclude_unset`` writes ``null`` for every optional key that
  was absent (``"description": null``, ``"content": null``, ...): the schema makes those keys
  absent-or-value, not nullable, so runschema refuses them in both modes (pinned below). The SDK
  itself sends ``to_json()``, which leaves them out.
- Numbers: pydantic turns an integer in a ``float`` field into a float (``"top_p": 0`` is
  written back as ``0.0``). runschema keeps ``0`` and ``0.0`` apart (its equality is that of
  the JSON text), so what comes back from the SDK is compared as JSON data, where they are
  equal (pinned below).
- Integers beyond 2**53 in the run's unbounded number fields (``temperature``, ``top_p``):
  pydantic reads them as floats, rounded (pinned below); generated runs here keep within 2**53.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import runschema
from runschema import strategies as rs
from tests.fixtures import examples

pytest.importorskip("openai")
pydantic = pytest.importorskip("pydantic")

from openai.pagination import SyncCursorPage  # noqa: E402
from openai.types import ErrorObject  # noqa: E402
from openai.types.beta import thread_create_and_run_params  # noqa: E402
from openai.types.beta.threads import (  # noqa: E402
    Run as OpenAIRun,
)
from openai.types.beta.threads import (  # noqa: E402
    run_create_params,
    run_list_params,
    run_submit_tool_outputs_params,
)
from openai.types.beta.threads.runs import RunStep as OpenAIRunStep  # noqa: E402
from openai.types.beta.threads.runs import step_list_params  # noqa: E402

HYP = examples(40)

#: A number the SDK's ``float`` holds exactly (see the module docstring).
_EXACT_NUMBER = (
    st.just(runschema.UNSET)
    | st.none()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(-(2**53), 2**53)
)
#: Runs with a string for ``instructions`` (the SDK does not share that erratum).
RUNS = rs.values(
    runschema.Run,
    fields={
        "instructions": st.text(max_size=12),
        "temperature": _EXACT_NUMBER,
        "top_p": _EXACT_NUMBER,
    },
)
RUN_LISTS = rs.values(runschema.RunList, fields={"data": st.lists(RUNS, max_size=3).map(tuple)})
STEPS = rs.values(runschema.RunStep)
STEP_LISTS = rs.values(runschema.RunStepList)


def _json(value: Any) -> Any:
    return orjson.loads(runschema.dumps(value))


def _same_data(back: Any, value: Any) -> None:
    """``back`` (read from what the SDK wrote) holds the JSON data of ``value``: equal but for
    integers the SDK wrote as floats (see the module docstring)."""
    assert type(back) is type(value)
    assert _json(back) == _json(value)


def _consumed(x: Any) -> Any:
    """A pydantic result as plain data: every lazily validated iterable consumed (which is
    when pydantic checks its items), tuples and lists as lists."""
    if isinstance(x, Mapping):
        return {k: _consumed(v) for k, v in x.items()}
    if x is None or isinstance(x, (str, int, float)):
        return x
    return [_consumed(item) for item in x]


@functools.cache
def _adapter(tp: Any) -> Any:
    return pydantic.TypeAdapter(tp)


def _sdk_params(tp: Any, doc: dict[str, Any]) -> dict[str, Any]:
    """The params TypedDict ``tp`` validating ``doc``, consumed to plain data."""
    result: dict[str, Any] = _consumed(_adapter(tp).validate_python(doc))
    return result


class TestObjects:
    @HYP
    @given(RUNS)
    def test_run_ours_to_theirs(self, run: runschema.Run) -> None:
        """The SDK's Run accepts what runschema writes and holds it field for field."""
        theirs = OpenAIRun.model_validate_json(runschema.dumps(run))
        assert theirs.model_dump(mode="json", by_alias=True, exclude_unset=True) == _json(run)

    @HYP
    @given(RUNS)
    def test_run_theirs_to_ours(self, run: runschema.Run) -> None:
        """What the SDK's Run writes, runschema reads strictly to the value it came from."""
        theirs = OpenAIRun.model_validate(runschema.unstructure(run))
        data = theirs.model_dump_json(by_alias=True, exclude_unset=True)
        _same_data(runschema.loads(data, runschema.Run, strict=True), run)
        assert orjson.loads(theirs.to_json()) == orjson.loads(data)

    @HYP
    @given(STEPS)
    def test_run_step_ours_to_theirs(self, step: runschema.RunStep) -> None:
        """The SDK's RunStep accepts what runschema writes (every step details and tool
        call arm) and holds it field for field."""
        theirs = OpenAIRunStep.model_validate_json(runschema.dumps(step))
        assert theirs.model_dump(mode="json", by_alias=True, exclude_unset=True) == _json(step)

    @HYP
    @given(STEPS)
    def test_run_step_theirs_to_ours(self, step: runschema.RunStep) -> None:
        """What the SDK's RunStep writes, runschema reads strictly to the same step."""
        theirs = OpenAIRunStep.model_validate(runschema.unstructure(step))
        data = theirs.model_dump_json(by_alias=True, exclude_unset=True)
        _same_data(runschema.loads(data, runschema.RunStep, strict=True), step)

    @HYP
    @given(RUN_LISTS, STEP_LISTS)
    def test_pages_both_ways(self, runs: runschema.RunList, steps: runschema.RunStepList) -> None:
        """The client's cursor pages read runschema's list pages, and back."""
        for page, cls, item in (
            (runs, runschema.RunList, OpenAIRun),
            (steps, runschema.RunStepList, OpenAIRunStep),
        ):
            theirs = SyncCursorPage[item].model_validate_json(runschema.dumps(page))  # type: ignore[valid-type]
            assert theirs.model_dump(mode="json", by_alias=True, exclude_unset=True) == _json(page)
            data = theirs.model_dump_json(by_alias=True, exclude_unset=True)
            _same_data(runschema.loads(data, cls, strict=True), page)

    @HYP
    @given(rs.values(runschema.ErrorResponse))
    def test_error_object_both_ways(self, body: runschema.ErrorResponse) -> None:
        """The SDK's ErrorObject (what it reads from ``body["error"]``) holds runschema's
        error field for field, and what it writes is read back."""
        theirs = ErrorObject.model_validate(_json(body)["error"])
        assert (
            theirs.model_dump(mode="json", by_alias=True, exclude_unset=True)
            == _json(body)["error"]
        )
        data = (
            b'{"error":' + theirs.model_dump_json(by_alias=True, exclude_unset=True).encode() + b"}"
        )
        assert runschema.loads(data, runschema.ErrorResponse, strict=True) == body

    def test_gap_full_dump_writes_null_for_absent_keys(self) -> None:
        """Deliberate gap: ``model_dump_json()`` without ``exclude_unset`` writes ``null`` for
        absent optional keys, which the schema does not allow; the SDK sends ``to_json()``."""
        step = runschema.RunStep(
            id="step_1",
            created_at=runschema.loads(runschema.seed_example(), runschema.Run).created_at,
            assistant_id="asst_1",
            thread_id="thread_1",
            run_id="run_1",
            type="tool_calls",
            status="completed",
            step_details=runschema.ToolCallsDetails(
                tool_calls=(
                    runschema.StepFileSearchCall(
                        id="call_1", file_search=runschema.StepFileSearch(results=())
                    ),
                )
            ),
        )
        theirs = OpenAIRunStep.model_validate_json(runschema.dumps(step))
        full = theirs.model_dump_json()
        assert '"ranking_options":null' in full
        for strict in (True, False):
            with pytest.raises(runschema.ValidationError) as info:
                runschema.loads(full, runschema.RunStep, strict=strict)
            path = "$.step_details.tool_calls[0].file_search.ranking_options"
            assert [(e.path, e.code) for e in info.value.errors] == [(path, "type")]
        assert runschema.loads(theirs.to_json(), runschema.RunStep, strict=True) == step

    def test_gap_integers_in_float_fields(self) -> None:
        """Deliberate gap: the SDK writes ``"top_p": 0`` back as ``0.0``; runschema reads
        both, as equal JSON data and as unequal values (its equality is the JSON text's)."""
        run = runschema.loads(runschema.seed_example(), runschema.Run)
        run = attrs.evolve(run, instructions="be brief", top_p=0)
        theirs = OpenAIRun.model_validate_json(runschema.dumps(run))
        data = theirs.model_dump_json(by_alias=True, exclude_unset=True)
        assert '"top_p":0.0' in data
        back = runschema.loads(data, runschema.Run)
        assert back.top_p == 0.0
        assert back != run
        _same_data(back, run)

    def test_gap_long_integers_in_float_fields(self) -> None:
        """Deliberate gap: an integer beyond 2**53 in an unbounded number field is rounded by
        the SDK's ``float``; runschema keeps it exactly."""
        run = runschema.loads(runschema.seed_example(), runschema.Run)
        run = attrs.evolve(run, instructions="be brief", top_p=2**53 + 1)
        assert runschema.loads(runschema.dumps(run), runschema.Run) == run
        theirs = OpenAIRun.model_validate_json(runschema.dumps(run))
        assert theirs.top_p == 2.0**53
        assert theirs.top_p != 2**53 + 1


class TestRequestParams:
    @HYP
    @given(
        rs.values(runschema.CreateRunParams),
        rs.values(runschema.CreateRunQuery),
    )
    def test_create_run(self, params: runschema.CreateRunParams, query: Any) -> None:
        """RunCreateParams takes runschema's Create run body (with the query's include[])
        key for key; what it holds is read back strictly to the same body."""
        doc = {**_json(params), **_json(query)}
        sent = _sdk_params(run_create_params.RunCreateParams, doc)
        assert sent == doc
        body = {k: v for k, v in sent.items() if k != "include"}
        _same_data(runschema.structure(body, runschema.CreateRunParams, strict=True), params)

    @HYP
    @given(rs.values(runschema.CreateThreadAndRunParams))
    def test_create_thread_and_run(self, params: runschema.CreateThreadAndRunParams) -> None:
        """ThreadCreateAndRunParams takes the thread, its messages (string or parts), their
        attachments and the new thread's vector stores key for key, and back."""
        doc = _json(params)
        sent = _sdk_params(thread_create_and_run_params.ThreadCreateAndRunParams, doc)
        assert sent == doc
        back = runschema.structure(sent, runschema.CreateThreadAndRunParams, strict=True)
        _same_data(back, params)

    @HYP
    @given(rs.values(runschema.SubmitToolOutputsParams))
    def test_submit_tool_outputs(self, params: runschema.SubmitToolOutputsParams) -> None:
        """RunSubmitToolOutputsParams (with its path parameter thread_id) takes the body."""
        doc = _json(params)
        sent = _sdk_params(
            run_submit_tool_outputs_params.RunSubmitToolOutputsParams,
            {**doc, "thread_id": "thread_1"},
        )
        assert sent == {**doc, "thread_id": "thread_1"}
        del sent["thread_id"]
        _same_data(
            runschema.structure(sent, runschema.SubmitToolOutputsParams, strict=True), params
        )

    @HYP
    @given(rs.values(runschema.ListRunsParams), rs.values(runschema.ListRunStepsParams))
    def test_list_queries(
        self, runs: runschema.ListRunsParams, steps: runschema.ListRunStepsParams
    ) -> None:
        """The list params TypedDicts take runschema's list queries key for key."""
        doc = _json(runs)
        assert _sdk_params(run_list_params.RunListParams, doc) == doc
        doc = {**_json(steps), "thread_id": "thread_1"}
        assert _sdk_params(step_list_params.StepListParams, doc) == doc
