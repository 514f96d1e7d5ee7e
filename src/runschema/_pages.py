"""List pages and the error envelope, declared.

Declarations only, by the rules of the schema language (``_schema``'s docstring).
"""

from __future__ import annotations

from typing import Annotated

import attrs

from ._models import Run
from ._schema import Erratum, _Model
from ._steps import RunStep

__all__ = ["ErrorObject", "ErrorResponse", "RunList", "RunStepList"]


@attrs.frozen(kw_only=True)
class RunList(_Model):
    """A page of runs (``ListRunsResponse``), as List runs answers.

    The official clients read ``data`` and ``has_more``, and ask for the next page with
    ``after`` set to the last run's id; :func:`runschema.paginate` makes pages that way.
    """

    object: str = "list"
    data: tuple[Run, ...]
    # null on an empty page (see ERRATA)
    first_id: Annotated[str | None, Erratum("ListRunsResponse.first_id:nullable")] = None
    last_id: Annotated[str | None, Erratum("ListRunsResponse.last_id:nullable")] = None
    has_more: bool


@attrs.frozen(kw_only=True)
class RunStepList(_Model):
    """A page of run steps (``ListRunStepsResponse``), as List run steps answers."""

    object: str = "list"
    data: tuple[RunStep, ...]
    # null on an empty page (see ERRATA)
    first_id: Annotated[str | None, Erratum("ListRunStepsResponse.first_id:nullable")] = None
    last_id: Annotated[str | None, Erratum("ListRunStepsResponse.last_id:nullable")] = None
    has_more: bool


@attrs.frozen(kw_only=True)
class ErrorObject(_Model):
    """What went wrong, as the API says it: ``message``, ``type``, ``param``, ``code``."""

    code: str | None = None
    message: str
    param: str | None = None
    type: str


@attrs.frozen(kw_only=True)
class ErrorResponse(_Model):
    """The API's error envelope: ``{"error": {"message", "type", "param", "code"}}``.

    >>> import runschema
    >>> body = runschema.loads(b'{"error": {"message": "No run found with id \\'run_x\\'.",'
    ...     b' "type": "invalid_request_error", "param": null, "code": null}}',
    ...     runschema.ErrorResponse)
    >>> body.error.type
    'invalid_request_error'
    """

    error: ErrorObject
