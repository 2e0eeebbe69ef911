"""The ``iei`` command through its real entry point: exit codes, output, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, DEMO

IEI = [str(Path(sys.executable).with_name("iei"))]
INVALID = sorted(p for p in (DATA / "tables" / "invalid").iterdir() if p.is_dir())


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([*IEI, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout


def test_help_shows_an_example_per_command():
    for command in ("validate", "classify", "query", "export", "reason", "analyze", "generate"):
        result = run(command, "--help")
        assert result.returncode == 0
        assert "Example" in result.stdout, command


def test_validate_demo_says_valid():
    result = run("validate", str(DEMO))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid: no problems found" in result.stdout


@pytest.mark.parametrize("folder", INVALID, ids=[p.name for p in INVALID])
def test_validate_bad_fixture_exit_code_and_location(folder):
    expected = json.loads((folder / "expected.json").read_text())
    result = run("validate", str(folder))
    assert_no_traceback(result)
    assert result.returncode == expected["exit"]
    if expected["row"] is not None:
        assert f":{expected['row']}: {expected['table']}" in result.stdout
    else:
        assert expected["table"] in result.stdout


def test_validate_json_format_lists_every_problem():
    folder = DATA / "tables" / "invalid" / "negative-amount"
    result = run("validate", str(folder), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert [(p["table"], p["row"], p["column"], p["id"]) for p in report["problems"]] == [
        ("flows", 2, "amount", "F001")
    ]


def test_missing_path_exits_2_with_one_line(tmp_path):
    result = run("validate", str(tmp_path / "missing"))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no such file" in result.stderr


def test_unsupported_extension_exits_2(tmp_path):
    (tmp_path / "register.docx").write_text("x")
    result = run("validate", str(tmp_path / "register.docx"))
    assert result.returncode == 2
    assert "unsupported file type" in result.stderr


def test_malformed_turtle_exits_2_with_file_and_line(tmp_path):
    (tmp_path / "bad.ttl").write_text("<http://a> <http://b> \"open\n")
    result = run("validate", str(tmp_path / "bad.ttl"))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert "bad.ttl" in result.stderr and "line 1" in result.stderr


def test_wrong_usage_exits_2():
    result = run("validate", "--format", "yaml", str(DEMO))
    assert result.returncode == 2
    assert_no_traceback(result)


def test_debug_shows_the_traceback(tmp_path):
    result = run("--debug", "validate", str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "Traceback" in result.stderr
