"""Shared fixtures: paths of the bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
DEMO = ROOT / "examples" / "demo"


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    """The bundled example register (CSV tables)."""
    return DEMO


@pytest.fixture(scope="session")
def demo_kg():
    """The demo register loaded and reasoned once per session (read-only for tests)."""
    import iei_onto as iei

    kg = iei.load(DEMO)
    kg.reason()
    return kg



@pytest.fixture
def oxigraph_server(tmp_path):
    """A real Oxigraph SPARQL server on 127.0.0.1 (the ``oxigraph`` package), stopped afterwards.

    Yields the base URL; the query endpoint is ``<base>/query``, the update one ``<base>/update``.
    """
    from iei_onto.store import oxigraph_server as serve

    with serve(tmp_path / "oxigraph-db") as (url, _pid):
        yield url
