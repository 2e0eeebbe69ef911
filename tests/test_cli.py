"""The ``iei`` command through its real entry point: exit codes, output, no tracebacks."""

from __future__ import annotations

import json
import os
import re
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


def test_classify_csv_matches_the_expected_classification():
    result = run("classify", str(DEMO), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (DEMO / "expected-classification.csv").read_text(encoding="utf-8")


def test_classify_json_types_follow_the_contract():
    result = run("classify", str(DEMO), "--format", "json")
    rows = json.loads(result.stdout)
    assert [r["partnership"] for r in rows] == sorted(r["partnership"] for r in rows)
    first = rows[0]
    assert set(first) == {"partnership", "mode", "direction", "patterns", "declared_mode", "mismatch",
                          "evidence"}
    assert first["direction"] is None and isinstance(first["mismatch"], bool)
    assert isinstance(first["patterns"], list) and isinstance(first["evidence"], list)


def test_classify_explain_names_organizations_in_chinese():
    result = run("classify", str(DEMO), "--explain", "P001")
    assert result.returncode == 0
    assert result.stdout.startswith("P001 is two-way")
    assert "苏州智造科技有限公司" in result.stdout


def test_classify_explain_unknown_id_exits_2():
    result = run("classify", str(DEMO), "--explain", "P999")
    assert result.returncode == 2
    assert_no_traceback(result)


def test_classify_with_violations_classifies_the_rest_and_exits_1():
    folder = DATA / "tables" / "invalid" / "end-before-start"
    result = run("classify", str(folder), "--format", "csv")
    assert result.returncode == 1
    assert "P003" in result.stderr
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["P001", "P002"]


def test_export_every_format(tmp_path):
    for fmt, name in [("graphml", "n.graphml"), ("gexf", "n.gexf"), ("cytoscape", "n.cyjs"),
                      ("dot", "n.dot"), ("html", "n.html"), ("ttl", "g.ttl"), ("nt", "g.nt"),
                      ("jsonld", "g.jsonld")]:
        result = run("export", str(DEMO), "--format", fmt, "-o", str(tmp_path / name))
        assert result.returncode == 0, (fmt, result.stderr)
        assert (tmp_path / name).stat().st_size > 1000, fmt


def test_export_unknown_extension_exits_2_and_writes_nothing(tmp_path):
    result = run("export", str(DEMO), "-o", str(tmp_path / "n.xyz"))
    assert result.returncode == 2
    assert_no_traceback(result)
    assert list(tmp_path.iterdir()) == []


def test_reason_writes_deterministic_turtle(tmp_path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert run("reason", str(DEMO), "-o", str(first)).returncode == 0
    assert run("reason", str(DEMO), "-o", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    assert b"iei:TwoWayPartnership" in first.read_bytes()
    result = run("reason", str(DEMO), "--engine", "sparql-goals", "-o", str(first))
    steps = r"\(classification rules [\d.]+ s, implied flows [\d.]+ s, OWL 2 RL \(sparql-goals\) [\d.]+ s\)"
    assert re.search(rf"reasoned with sparql-goals in [\d.]+ s {steps}: 174 implied flows", result.stderr)


def test_reason_without_output_or_check_is_a_usage_error():
    result = run("reason", str(DEMO))
    assert result.returncode == 2
    assert "-o FILE" in result.stderr


def test_reason_into_a_store_keeps_the_reasoned_graph_for_later_commands(tmp_path):
    store = tmp_path / "store"
    result = run("reason", str(DEMO), "--store", str(store))
    assert result.returncode == 0, result.stderr
    later = run("classify", "--store", str(store), "-f", "csv")
    assert later.returncode == 0, later.stderr
    assert later.stdout == run("classify", str(DEMO), "-f", "csv").stdout
    assert "two_way" in later.stdout
    again = run("reason", "--store", str(store))
    assert again.returncode == 0 and "reasoned graph already: nothing to reason" in again.stderr


def test_analyze_writes_every_output(tmp_path):
    result = run("analyze", str(DEMO), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["classification.csv", "graph.ttl", "network.cyjs", "network.graphml", "report.html",
                     "validation.json"]
    assert "(classification rules " in result.stderr  # where the reasoning's time went
    assert re.search(r"time per step: load [\d.]+ s, .*, reason [\d.]+ s, ", result.stderr)


def test_analyze_with_invalid_rows_writes_everything_and_exits_1(tmp_path):
    folder = DATA / "tables" / "invalid" / "negative-amount"
    result = run("analyze", str(folder), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    report = json.loads((tmp_path / "out" / "validation.json").read_text())
    assert [p["id"] for p in report["problems"]] == ["F001"]
    assert (tmp_path / "out" / "report.html").exists()


def test_generate_is_deterministic(tmp_path):
    for name in ("a", "b"):
        result = run("generate", "--colleges", "20", "--enterprises", "60", "--partnerships", "80",
                     "--seed", "7", "-o", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    for table in ("organizations", "partnerships", "flows", "activities", "outcomes"):
        first, second = (tmp_path / name / f"{table}.csv" for name in ("a", "b"))
        assert first.read_bytes() == second.read_bytes()
    assert run("validate", str(tmp_path / "a")).returncode == 0


def test_generate_needs_sizes():
    result = run("generate", "-o", "/tmp/never")
    assert result.returncode == 2
    assert "--preset" in result.stderr


def test_classify_rdf_input_leaves_out_what_shacl_rejects():
    bad = DATA / "invalid" / "flow-provider-not-participant.ttl"
    result = run("classify", str(bad), "--format", "csv")
    assert result.returncode == 1
    assert "flow-provider-not-participant.ttl: F1" in result.stderr
    assert result.stdout.splitlines()[1] == "P1,none,,,,false,"


def test_progress_on_a_terminal_shows_rows_per_second_and_the_step(monkeypatch):
    import io
    import time

    from rich.console import Console

    from iei_onto import cli

    screen = io.StringIO()
    monkeypatch.setattr(cli, "err", Console(file=screen, force_terminal=True, width=120))
    with cli._progress("analysing") as update:
        update("load")
        for _ in range(6):
            update(1000)
            time.sleep(0.1)
        time.sleep(0.3)
        update("reason: implied flows")
        time.sleep(0.3)
    frames = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert re.search(r"analysing: load .* 6,000 rows +[0-9,]+ rows/s", frames)
    assert "analysing: reason: implied flows" in frames


def test_analyze_on_a_terminal_names_the_steps_as_they_run(tmp_path):
    """The real command under a pseudo-terminal: its progress line counts the rows it loads
    and names the steps of the reasoning."""
    import pty

    from iei_onto.generate import generate_register

    generate_register(tmp_path / "data", colleges=12, enterprises=120, partnerships=1500, seed=3)
    main, secondary = pty.openpty()
    command = [sys.executable, "-m", "iei_onto.cli", "analyze", str(tmp_path / "data"), "-o",
               str(tmp_path / "out")]
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=secondary, env={**os.environ, "COLUMNS": "160"}) as child:
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert child.wait(timeout=300) == 0
    os.close(main)
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))
    assert re.search(r"analysing: load .* [1-9][0-9,]* rows", screen)
    # the display is redrawn ten times a second: the longer steps are on it, if not every one
    assert re.search(r"analysing: reason: (classification rules|implied flows|OWL 2 RL)", screen)
    assert "wrote " in screen and "report.html" in screen
