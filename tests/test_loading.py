"""Loading registers: every table format, encodings, bad input reported where it is."""

from __future__ import annotations

import csv
import hashlib
import json
import socket
from pathlib import Path

import openpyxl
import pytest
import rdflib
from rdflib.compare import isomorphic

import iei_onto as iei
from iei_onto.loading import loading_beside
from iei_onto.model import DATA_BASE, Vocabulary, record_iri

from .conftest import DATA, DEMO, ROOT

TABLES = ["organizations", "partnerships", "flows", "activities", "outcomes"]
INVALID = sorted(p for p in (DATA / "tables" / "invalid").iterdir() if p.is_dir())


def data_graph(kg: iei.KnowledgeGraph) -> rdflib.Graph:
    """The triples about records only (not the ontology)."""
    graph = rdflib.Graph()
    for s, p, o in kg.graph:
        if str(s).startswith(DATA_BASE):
            graph.add((s, p, o))
    return graph


def read_csv_rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_valid_base_loads_without_problems():
    kg = iei.load(DATA / "tables" / "valid" / "base")
    report = kg.validate()
    assert report.ok, report.to_text()
    assert report.counts["organizations"] == {"read": 4, "kept": 4}
    assert report.counts["partnerships"] == {"read": 3, "kept": 3}


def test_demo_is_valid(demo_dir):
    report = iei.load(demo_dir).validate()
    assert report.ok, report.to_text()
    assert report.counts["organizations"]["kept"] == len(read_csv_rows(demo_dir, "organizations"))


def test_same_row_gives_same_iri():
    first = data_graph(iei.load(DATA / "tables" / "valid" / "base"))
    second = data_graph(iei.load(DATA / "tables" / "valid" / "base"))
    assert set(first) == set(second)
    assert (record_iri("organization", "ORG001").value, ) == (
        "https://w3id.org/iei/data/organization/ORG001",
    )


def test_chinese_labels_survive_untouched():
    kg = iei.load(DATA / "tables" / "valid" / "base")
    labels = {str(o) for o in kg.graph.objects(rdflib.URIRef(record_iri("organization", "ORG001").value),
                                                 rdflib.RDFS.label)}
    assert "苏州智造科技有限公司" in labels


@pytest.mark.parametrize("encoding", ["gbk", "bom"])
def test_gb18030_and_bom_files_read_like_utf8(encoding):
    base = data_graph(iei.load(DATA / "tables" / "valid" / "base"))
    other = iei.load(DATA / "tables" / "encoding" / encoding)
    assert other.validate().ok
    assert isomorphic(base, data_graph(other))


def _write_xlsx(folder: Path, target: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for table in TABLES:
        rows = read_csv_rows(folder, table)
        sheet = workbook.create_sheet(table)
        header = list(rows[0].keys())
        sheet.append(header)
        for row in rows:
            sheet.append([row[h] for h in header])
    workbook.save(target)


def _write_json(folder: Path, target: Path) -> None:
    data = {table: read_csv_rows(folder, table) for table in TABLES}
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_csv_xlsx_json_and_turtle_give_isomorphic_graphs(tmp_path):
    from_csv = data_graph(iei.load(DEMO))
    _write_xlsx(DEMO, tmp_path / "demo.xlsx")
    _write_json(DEMO, tmp_path / "demo.json")
    from_xlsx = data_graph(iei.load(tmp_path / "demo.xlsx"))
    from_json = data_graph(iei.load(tmp_path / "demo.json"))
    from_ttl = data_graph(iei.load(ROOT / "examples" / "demo.ttl"))
    assert len(from_csv) > 1000
    assert isomorphic(from_csv, from_xlsx)
    assert isomorphic(from_csv, from_json)
    assert isomorphic(from_csv, from_ttl)


def test_labels_match_codes_in_both_languages():
    vocabulary = Vocabulary.default()
    assert vocabulary.lookup("organization_type", "企业").code == "enterprise"
    assert vocabulary.lookup("organization_type", "ENTERPRISE").code == "enterprise"
    assert vocabulary.lookup("resource", "资金").code == "funds"
    assert vocabulary.lookup("activity_kind", "Internship").code == "internship"
    assert vocabulary.lookup("organization_type", "spaceship") is None
    assert vocabulary.term("organization_type", "enterprise").label_zh == "企业"
    assert vocabulary.term("organization_type", "government").label_zh == "政府"


@pytest.mark.parametrize("folder", INVALID, ids=[p.name for p in INVALID])
def test_each_bad_fixture_is_reported_where_it_is(folder):
    expected = json.loads((folder / "expected.json").read_text())
    report = iei.load(folder).validate()
    assert not report.ok
    located = [(p.table, p.row, p.column, p.id) for p in report.problems]
    assert (expected["table"], expected["row"], expected["column"], expected["id"]) in located, located
    for problem in report.problems:
        assert problem.message and problem.file is not None


def test_all_problems_are_reported_at_once(tmp_path):
    base = DATA / "tables" / "valid" / "base"
    for file in base.iterdir():
        (tmp_path / file.name).write_bytes(file.read_bytes())
    flows = (tmp_path / "flows.csv").read_text(encoding="utf-8").splitlines()
    header = flows[0].split(",")
    amount = header.index("amount")
    broken = []
    for line in flows[1:]:
        cells = line.split(",")
        cells[amount] = "-1"
        broken.append(",".join(cells))
    (tmp_path / "flows.csv").write_text("\n".join([flows[0], *broken]) + "\n", encoding="utf-8")
    report = iei.load(tmp_path).validate()
    assert [p.row for p in report.problems] == list(range(2, len(flows) + 1))
    assert report.counts["flows"] == {"read": len(flows) - 1, "kept": 0}


def test_input_is_never_modified():
    folder = DATA / "tables" / "invalid" / "negative-amount"
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    iei.load(folder).validate()
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert before == after


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(iei.InputError, match="no such file"):
        iei.load(tmp_path / "nope")


def test_unsupported_extension_is_an_input_error(tmp_path):
    (tmp_path / "register.docx").write_bytes(b"x")
    with pytest.raises(iei.InputError, match="unsupported file type"):
        iei.load(tmp_path / "register.docx")


def test_malformed_turtle_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    text = "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b \"open\n"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(iei.InputError) as info:
        iei.load(bad)
    assert "bad.ttl" in str(info.value)
    assert "line 3" in str(info.value) or ":3" in str(info.value)


def test_loading_never_touches_the_network(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    imports = tmp_path / "imports.ttl"
    imports.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<http://example.org/o> a owl:Ontology ; owl:imports <http://example.org/remote.ttl> .\n",
        encoding="utf-8",
    )
    kg = iei.load(imports)
    assert (rdflib.URIRef("http://example.org/o"), rdflib.OWL.imports,
            rdflib.URIRef("http://example.org/remote.ttl")) in kg.graph
    remote_context = tmp_path / "remote.jsonld"
    remote_context.write_text(json.dumps({"@context": "http://example.org/context.jsonld",
                                          "@id": "http://example.org/x", "name": "x"}), encoding="utf-8")
    with pytest.raises(iei.InputError, match=r"remote\.jsonld.*inline"):
        iei.load(remote_context)


def test_building_in_code_checks_every_record():
    kg = iei.KnowledgeGraph()
    kg.add_organization(id="E1", name="Suzhou Zhizao", name_zh="苏州智造", type="企业")
    kg.add_organization(id="C1", name="Suzhou Polytechnic", type="vocational_college")
    kg.add_organization(id="E2", name="Wuxi Xinneng", type="enterprise")
    kg.add_partnership(id="P1", participants=["E1", "C1"], start="2023", end="2025-06-30")
    with pytest.raises(iei.InputError, match="not a participant"):
        kg.add_flow(id="F1", partnership="P1", provider="E2", recipient="C1", resource="funds")
    with pytest.raises(iei.InputError, match="does not exist"):
        kg.add_flow(id="F1", partnership="P1", provider="E1", recipient="E9", resource="funds")
    with pytest.raises(iei.InputError, match="used twice"):
        kg.add_organization(id="E1", name="again", type="enterprise")
    with pytest.raises(iei.InputError, match="no column"):
        kg.add_organization(id="E2", name="x", type="enterprise", colour="red")
    kg.add_flow(id="F1", partnership="P1", provider="E1", recipient="C1", resource="资金", amount="1,000")
    amount = next(kg.graph.objects(rdflib.URIRef(record_iri("flow", "F1").value),
                                   rdflib.URIRef("https://w3id.org/iei/ontology#amount")))
    assert amount.toPython() == 1000


def test_no_label_means_two_terms_of_the_same_kind():
    import pyoxigraph as ox

    from iei_onto.model import _VOCABULARY_QUERY, normalize_label
    from iei_onto.resources import ontology_text

    store = ox.Store()
    store.load(ontology_text().encode(), format=ox.RdfFormat.TURTLE)
    meanings: dict[tuple[str, str], set[str]] = {}
    for kind, term, code, label, _preferred in store.query(_VOCABULARY_QUERY):
        for name in (code.value, label.value if label is not None else code.value):
            meanings.setdefault((kind.value, normalize_label(name)), set()).add(term.value)
    ambiguous = {key: terms for key, terms in meanings.items() if len(terms) > 1}
    assert ambiguous == {}


def test_committed_demo_turtle_is_what_the_script_writes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_demo_ttl", ROOT / "scripts" / "make_demo_ttl.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "examples" / "demo.ttl").read_bytes() == module.demo_turtle()


def test_pieces_loaded_beside_all_arrive_and_a_failed_load_is_raised():
    store = iei.MemoryStore()
    with loading_beside(store) as sink:
        for n in range(3):
            sink(f'<urn:x:{n}> <urn:x:p> "甲{n}" .\n')
    assert len(store) == 3

    class FailsOnSecondPiece:
        def __init__(self) -> None:
            self.loaded: list[bytes] = []

        def load(self, data: bytes, format: str) -> None:
            if self.loaded:
                raise OSError("no space left on the device")
            self.loaded.append(data)

    failing = FailsOnSecondPiece()
    with pytest.raises(OSError, match="no space left"), loading_beside(failing) as sink:
        for n in range(5):
            sink(f'<urn:x:{n}> <urn:x:p> "{n}" .\n')
    assert failing.loaded == [b'<urn:x:0> <urn:x:p> "0" .\n']


def test_loading_reports_the_rows_read_in_steps_of_a_thousand(tmp_path):
    from iei_onto.generate import generate_register
    from iei_onto.loading import load_into
    from iei_onto.store import MemoryStore
    from iei_onto.tables import PROGRESS_EVERY

    generate_register(tmp_path, colleges=12, enterprises=120, partnerships=1500, seed=3)
    rows: list[int] = []
    report = load_into(MemoryStore(), [tmp_path], progress=rows.append)
    read = {table: counts["read"] for table, counts in report.counts.items()}
    assert read["partnerships"] == 1500
    assert sum(rows) == sum(read.values())
    assert set(rows[:-1]) <= set(range(1, PROGRESS_EVERY + 1))
    assert len(rows) == sum(n // PROGRESS_EVERY + (n % PROGRESS_EVERY > 0) for n in read.values())
