"""The wheel carries the ontology, shapes, rules and queries, and works outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from .conftest import DEMO, ROOT


def test_wheel_installs_in_a_fresh_venv_and_finds_its_data(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("iei_onto-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("iei_onto/data/ontology/iei.ttl", "iei_onto/data/ontology/iei-shapes.ttl",
                     "iei_onto/vendor/cytoscape.min.js"):
        assert required in names, required
    assert any(n.startswith("iei_onto/data/queries/") and n.endswith(".rq") for n in names)
    assert any(n.startswith("iei_onto/data/ontology/rules/") and n.endswith(".ru") for n in names)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)],
                   check=True, capture_output=True, timeout=900)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = ("from iei_onto.resources import ontology_file, query_folder;"
             "print(ontology_file()); print(sorted(p.name for p in query_folder().iterdir())[0])")
    found = subprocess.run([str(python), "-c", probe], cwd=elsewhere, check=True,
                           capture_output=True, text=True).stdout
    assert "site-packages/iei_onto/data/ontology/iei.ttl" in found
    result = subprocess.run([str(env_dir / "bin" / "iei"), "validate", str(DEMO)], cwd=elsewhere,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "valid: no problems found" in result.stdout
    assert not Path(elsewhere / "ontology").exists()
