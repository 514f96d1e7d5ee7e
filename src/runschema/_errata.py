"""Where runschema deliberately departs from the published schema, and why: the one list.

The spec is openai-openapi ``openapi.yaml`` at commit f85dbe2 (2026-08-21, info.version 2.3.0).
Every entry names the schema and property it concerns. A model field marks the entry it
follows with ``Annotated[..., Erratum(key)]``, which refuses keys not listed here (so a
deviation cannot exist without an entry) and the conformance tests compare the models with the
spec and fail on any difference not listed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ._values import ReadOnlyDict

__all__ = ["ERRATA"]

_ERRATA: dict[str, str] = {
    "RunObject.instructions:nullable": (
        "typed as a non-null string, but the spec's own examples and the seed page send "
        "`instructions: null`; both modes accept null"
    ),
    "RunObject.tool_resources:added": (
        "not declared on RunObject, but the API returns it (the seed page and eight spec "
        "examples carry it); modelled as an optional, nullable field with the shape "
        "CreateThreadAndRunRequest gives it"
    ),
    **dict.fromkeys(
        ("listRuns.limit:bounds", "listRunSteps.limit:bounds"),
        "the query parameter's schema has no bounds; its description says 1..100 (default "
        "20); strict mode enforces them",
    ),
    **dict.fromkeys(
        (
            "ListRunsResponse.first_id:nullable",
            "ListRunsResponse.last_id:nullable",
            "ListRunStepsResponse.first_id:nullable",
            "ListRunStepsResponse.last_id:nullable",
            "ListMessagesResponse.first_id:nullable",
            "ListMessagesResponse.last_id:nullable",
        ),
        "typed as strings, but an empty page has no first or last item: the API answers "
        "null, and paginate writes null (the official clients read only data and has_more)",
    ),
    "RunStepObject.expired_at:examples": (
        "the spec's own streaming examples send `expires_at` instead; runschema follows the "
        "schema and the official clients (`expired_at`): lenient mode reads such a step with "
        "expired_at absent (None) and keeps `expires_at` as an unknown key, both written back; "
        "strict mode reports expired_at missing"
    ),
    "RunStepObject.metadata:examples": (
        "the spec's own examples leave `metadata` out; required and nullable by the schema "
        "(and optional in the official clients): lenient mode reads it as absent and leaves it "
        "out again; strict mode reports it missing"
    ),
    "ThreadObject.tool_resources:examples": (
        "required and nullable by the schema, but the spec's own thread examples (the "
        "`thread.created` events of its streaming transcripts) leave it out, as do the "
        "official clients' models (optional there): lenient mode reads it as absent and "
        "leaves it out again; strict mode reports it missing"
    ),
    "MessageObject.attachments:examples": (
        "required and nullable by the schema, but all 12 message payloads of the spec's own "
        "streaming examples leave it out (the official clients make it optional): lenient "
        "mode reads it as absent and leaves it out again; strict mode reports it missing"
    ),
    "ThreadStreamEvent.enabled:missing": (
        'the `thread.created` event declares a boolean `enabled` ("Whether to enable input '
        "audio transcription\"), a stray from another API's schema: no stream carries it "
        "and no client reads it; runschema's events have no such field, and an SSE frame "
        "has nowhere to put one"
    ),
    **dict.fromkeys(
        ("FunctionObject.name:pattern", "ResponseFormatJsonSchema.json_schema.name:pattern"),
        "the schema says only `type: string`; its description says the name is a-z, A-Z, "
        "0-9, `_` or `-`, at most 64 characters (and one at least: an empty name names "
        "nothing), as the API refused others (`invalid_value`); "
        "strict mode and request building enforce it (`pattern`), lenient mode reads any",
    ),
    "AssistantsNamedToolChoice.function:required_if": (
        "optional in the schema; its description says that when `type` is `function` the "
        "function name must be set, as the API required: strict mode and request building "
        "report it `missing` then"
    ),
    "Metadata:limits": (
        "the schema has no bounds; its description says 16 pairs, keys <= 64 characters, "
        "values <= 512 characters; strict mode and request building enforce them"
    ),
}
ERRATA: Final[Mapping[str, str]] = ReadOnlyDict(_ERRATA)
"""Deviation key -> reason. Keys are ``Schema.property:what``."""
