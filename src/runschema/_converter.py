"""The cattrs converters, strict and lenient, built on first use (``import runschema`` does
not import cattrs).

Both are ordinary ``cattrs.Converter`` objects: use them to structure your own classes that
hold runschema models, or register more hooks on them. Their hooks for runschema's models are
the same functions ``runschema.structure`` uses, generated once per class on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import cattrs

from ._fast import dumper
from ._structure import _is_model, hook_for

__all__ = ["LENIENT", "STRICT"]


def _structure_factory(strict: bool) -> Callable[[type[Any]], Callable[[Any, type[Any]], Any]]:
    def factory(cls: type[Any]) -> Callable[[Any, type[Any]], Any]:
        hook = hook_for(cls, strict)
        return lambda obj, _: hook(obj)

    return factory


def _unstructure_factory(cls: type[Any]) -> Callable[[Any], Any]:
    return dumper(cls)


def _make(strict: bool) -> cattrs.Converter:
    c = cattrs.Converter()
    c.register_structure_hook_factory(_is_model, _structure_factory(strict))
    c.register_unstructure_hook_factory(_is_model, _unstructure_factory)
    return c


LENIENT: Final[cattrs.Converter] = _make(strict=False)
"""The lenient converter: forward compatible and lossless (the default for decoding)."""

STRICT: Final[cattrs.Converter] = _make(strict=True)
"""The strict converter: the published schema exactly, for services validating input."""
