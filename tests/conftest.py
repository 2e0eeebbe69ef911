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


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path):
    """A real Oxigraph SPARQL server on 127.0.0.1 (the ``oxigraph`` package), stopped afterwards.

    Yields the base URL; the query endpoint is ``<base>/query``, the update one ``<base>/update``.
    """
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request

    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.exists():
        binary = Path(shutil.which("oxigraph") or "oxigraph")
    port = _free_port()
    process = subprocess.Popen(
        [str(binary), "serve", "--location", str(tmp_path / "oxigraph-db"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.05)
        else:
            raise RuntimeError("the Oxigraph server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
