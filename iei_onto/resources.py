"""Find the files IEI ships: the ontology, the SHACL shapes, the rules and the query catalog.

They live in ``ontology/`` and ``queries/`` of the source checkout and are copied into the
wheel as ``iei_onto/data/ontology`` and ``iei_onto/data/queries``; ``importlib.resources``
finds them in both places.
"""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def _folder(kind: str) -> Traversable:
    try:
        return importlib.resources.files(f"iei_onto.data.{kind}")
    except ModuleNotFoundError:
        return _CHECKOUT / kind


def ontology_file(name: str = "iei.ttl") -> Traversable:
    """Return a packaged ontology file, e.g. ``iei.ttl``, ``iei-shapes.ttl`` or ``rules/classify.ru``."""
    folder = _folder("ontology")
    for part in name.split("/"):
        folder = folder / part
    return folder


def ontology_text(name: str = "iei.ttl") -> str:
    """Return the text of a packaged ontology file (UTF-8)."""
    return ontology_file(name).read_text(encoding="utf-8")


def query_folder() -> Traversable:
    """Return the folder holding the query catalog (``*.rq``)."""
    return _folder("queries")
