"""``analyze``: every output written, invalid records left out and listed, exit codes."""

from __future__ import annotations

import csv
import json
import shutil
import signal
import time
from pathlib import Path

import networkx as nx
import pytest

from iei_onto import analysis as analysis_module
from iei_onto import export as export_module
from iei_onto.analysis import OUTPUT_FILES, analyze, classification_csv

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"


def test_demo_analysis_writes_every_output(tmp_path):
    steps: list[str] = []
    rows: list[int] = []
    result = analyze([DEMO], tmp_path / "out", progress=steps.append, advance=rows.append)
    assert result.exit_code == 0
    assert sorted(result.paths) == sorted(OUTPUT_FILES)
    assert all(p.is_file() and p.stat().st_size > 0 for p in result.paths.values())
    assert steps[:7] == ["load", "validate", "reason", "reason: classification rules",
                         "reason: implied flows", "reason: OWL 2 RL (reasonable)", "classify"]
    assert steps[-2:] == ["write report.html", "finish graph.ttl"]
    assert list(result.seconds)[:4] == ["load", "validate", "reason", "classify"]
    assert sum(rows) == sum(table["read"] for table in result.validation.counts.values()) == 431
    assert len(rows) == 5  # the rest of each table (each has fewer than 1,000 rows)
    expected = (DEMO / "expected-classification.csv").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "classification.csv").read_text(encoding="utf-8") == expected
    assert json.loads((tmp_path / "out" / "validation.json").read_text(encoding="utf-8"))["ok"] is True
    graph = nx.read_graphml(tmp_path / "out" / "network.graphml")
    assert graph.number_of_nodes() == 42
    assert not list(tmp_path.joinpath("out").glob(".*.tmp"))


def test_classification_csv_columns_and_values(tmp_path):
    result = analyze([DEMO], tmp_path)
    rows = list(csv.DictReader((tmp_path / "classification.csv").open(encoding="utf-8")))
    assert list(rows[0]) == ["partnership", "mode", "direction", "patterns", "declared_mode", "mismatch",
                             "evidence"]
    p029 = next(r for r in rows if r["partnership"] == "P029")
    assert p029 == {"partnership": "P029", "mode": "unilateral", "direction": "industry_to_education",
                    "patterns": "school_enterprise_cooperation", "declared_mode": "two_way",
                    "mismatch": "true", "evidence": "A055;F059;F060"}
    assert classification_csv(result.classifications) == (tmp_path / "classification.csv").read_text(
        encoding="utf-8")


def _demo_with_bad_rows(tmp_path: Path) -> Path:
    data = tmp_path / "register"
    shutil.copytree(DEMO, data)
    with (data / "organizations.csv").open("a", encoding="utf-8") as f:
        f.write("ORG900,Bad Type Ltd,坏类型公司,spaceship,,江苏\n")
    with (data / "flows.csv").open("a", encoding="utf-8") as f:
        f.write("F900,P001,ORG001,ORG026,gold,100,CNY,,2022-01-01\n")
        f.write("F901,P001,ORG001,ORG026,funds,-5,CNY,,2022-01-01\n")
    return data


def test_invalid_rows_are_left_out_listed_and_the_rest_analysed(tmp_path):
    out = tmp_path / "out"
    result = analyze([_demo_with_bad_rows(tmp_path)], out)
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    report = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    assert report["ok"] is False
    assert sorted(p["id"] for p in report["problems"]) == ["F900", "F901", "ORG900"]
    assert (out / "classification.csv").read_text(encoding="utf-8") == (
        DEMO / "expected-classification.csv").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "3 problems found" in html
    assert "F900" in html and "ORG900" in html
    graph = nx.read_graphml(out / "network.graphml", force_multigraph=True)
    assert "ORG900" not in graph
    assert not any(k in ("F900", "F901") for _, _, k in graph.edges(keys=True))
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "flow:F001" in ttl and "flow:F900" not in ttl


def test_analysis_is_deterministic(tmp_path):
    analyze([DEMO], tmp_path / "a")
    analyze([DEMO], tmp_path / "b")
    for name in OUTPUT_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_analysis_times_every_step(tmp_path):
    result = analyze([DEMO], tmp_path)
    assert list(result.seconds) == ["load", "validate", "reason", "classify", "write validation.json",
                                    "write classification.csv", "read the network",
                                    "write network.graphml and network.cyjs", "write report.html",
                                    "finish graph.ttl"]
    assert all(s >= 0 for s in result.seconds.values())


@pytest.mark.parametrize("sigint", [signal.default_int_handler, signal.SIG_IGN],
                         ids=["sigint-default", "sigint-ignored"])
def test_a_failing_writer_stops_the_graph_process_and_leaves_no_graph(tmp_path, monkeypatch, sigint):
    """The report fails while graph.ttl is still being written: its process is interrupted
    and removes its temporary file; the files already written stay. Also when SIGINT is
    ignored, as in a job that a shell started in the background (``nohup``, ``&``): the
    graph's process inherits that."""
    endless_child = ("import itertools, sys, time; from iei_onto.files import stream_write; "
                     "pieces = (time.sleep(0.005) or b'# a piece\\n' for _ in itertools.count()); "
                     "stream_write(sys.argv[2], pieces)")

    def failing_report(*args, **kwargs):
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".graph.ttl.*.tmp")):  # the child has started writing
            assert time.monotonic() < deadline, "the graph's process never started writing"
            time.sleep(0.01)
        raise RuntimeError("the report failed")

    monkeypatch.setattr(export_module, "_CHILD", endless_child)
    monkeypatch.setattr(analysis_module, "write_report", failing_report)
    previous = signal.signal(signal.SIGINT, sigint)
    try:
        with pytest.raises(RuntimeError, match="the report failed"):
            analyze([DEMO], tmp_path)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert not (tmp_path / "graph.ttl").exists()
    assert not list(tmp_path.glob(".*.tmp"))
    assert (tmp_path / "network.graphml").is_file()


def test_an_endpoint_gives_the_same_files(tmp_path, oxigraph_server):
    """The whole job on a SPARQL server: the store has no dump, graph.ttl is read by a query.
    (The same engine on both: in memory ``auto`` would choose the full OWL 2 RL closure.)"""
    import iei_onto as iei

    analyze([DEMO], tmp_path / "memory", engine="sparql-goals")
    store = iei.EndpointStore(oxigraph_server + "/query", oxigraph_server + "/update")
    analyze([DEMO], tmp_path / "endpoint", store=store, engine="sparql-goals")
    for name in OUTPUT_FILES:
        memory, endpoint = (tmp_path / "memory" / name), (tmp_path / "endpoint" / name)
        assert endpoint.read_bytes() == memory.read_bytes(), name
