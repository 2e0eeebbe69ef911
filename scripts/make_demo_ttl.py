"""Write examples/demo.ttl: the demo register's tables as Turtle (asserted triples only).

Run from the checkout: ``.venv/bin/python scripts/make_demo_ttl.py``. A test checks that the
committed file is what this script writes.
"""

from __future__ import annotations

from pathlib import Path

import iei_onto as iei
from iei_onto.files import atomic_write

ROOT = Path(__file__).resolve().parent.parent


def demo_turtle() -> bytes:
    """The demo tables as deterministic Turtle, without the ontology and without inferences."""
    return iei.load(ROOT / "examples" / "demo").serialize("ttl")


if __name__ == "__main__":
    atomic_write(ROOT / "examples" / "demo.ttl", demo_turtle())
