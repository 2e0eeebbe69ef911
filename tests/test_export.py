"""Network views and the export files, read back by the tools people use them with."""

from __future__ import annotations

import json
import shutil
import subprocess

import igraph
import networkx as nx
import pyoxigraph as ox
import pytest

import iei_onto as iei
from iei_onto import export as export_module
from iei_onto.errors import InputError
from iei_onto.export import export, serialize_graph, to_networkx

NODES = {
    "C1": {"id": "C1", "label": "Suzhou Polytechnic", "label_zh": "苏州职业技术学院",
           "type": "vocational_college", "side": "education", "region": "江苏", "industry": ""},
    "E1": {"id": "E1", "label": 'Zhizao & "Co" <Ltd>', "label_zh": "苏州智造", "type": "enterprise",
           "side": "industry", "region": "江苏", "industry": "智能制造"},
    "G1": {"id": "G1", "label": "Suzhou Education Bureau", "label_zh": "", "type": "government",
           "side": "third_party", "region": "", "industry": ""},
}
TALENT = "A1/implied/InternshipGivesTalent/C1/E1"
VENUE = "A1/implied/InternshipGivesVenue/E1/C1"
EDGES = [
    ("C1", "E1", TALENT, {"flow": TALENT, "partnership": "P1", "resource": "talent", "amount": 0.0,
                          "implied": True, "activity": "A1"}),
    ("E1", "C1", VENUE, {"flow": VENUE, "partnership": "P1", "resource": "venue", "amount": 0.0,
                         "implied": True, "activity": "A1"}),
    ("E1", "C1", "F1", {"flow": "F1", "partnership": "P1", "resource": "funds", "amount": 500000.0,
                        "implied": False, "activity": ""}),
    ("G1", "C1", "F2", {"flow": "F2", "partnership": "P1", "resource": "funds", "amount": 0.0,
                        "implied": False, "activity": ""}),
]


@pytest.fixture
def small_kg() -> iei.KnowledgeGraph:
    """An enterprise, a college and a bureau; one explicit cross-side flow, one from the bureau,
    and an internship (which implies venue E1 → C1 and talent C1 → E1)."""
    kg = iei.KnowledgeGraph()
    kg.add_organization(id="E1", name='Zhizao & "Co" <Ltd>', name_zh="苏州智造", type="企业",
                        industry="智能制造", region="江苏")
    kg.add_organization(id="C1", name="Suzhou Polytechnic", name_zh="苏州职业技术学院",
                        type="vocational_college", region="江苏")
    kg.add_organization(id="G1", name="Suzhou Education Bureau", type="government")
    kg.add_partnership(id="P1", participants="E1;C1;G1", name="产业学院", declared_mode="unilateral")
    kg.add_flow(id="F1", partnership="P1", provider="E1", recipient="C1", resource="资金", amount="500000")
    kg.add_flow(id="F2", partnership="P1", provider="G1", recipient="C1", resource="funds")
    kg.add_activity(id="A1", partnership="P1", kind="internship")
    return kg


def test_flows_view_has_every_organization_and_flow(small_kg):
    graph = small_kg.to_networkx()
    assert dict(graph.nodes(data=True)) == NODES
    assert list(graph.nodes) == ["C1", "E1", "G1"]
    assert sorted(graph.edges(keys=True, data=True)) == EDGES


def test_partnerships_view_has_one_edge_per_pair(small_kg):
    graph = small_kg.to_networkx("partnerships")
    assert sorted((u, v, k) for u, v, k in graph.edges(keys=True)) == [
        ("C1", "E1", "P1"), ("C1", "G1", "P1"), ("E1", "G1", "P1")]
    assert graph.edges["C1", "E1", "P1"] == {
        "partnership": "P1", "name": "产业学院", "mode": "two_way", "direction": "",
        "patterns": "integration_of_production_and_education;work_integrated_learning",
        "declared_mode": "unilateral"}


def test_unknown_view_is_refused(small_kg):
    with pytest.raises(InputError, match="flows or partnerships"):
        to_networkx(small_kg.store, "people")


def test_graphml_reads_back_in_networkx_and_igraph(small_kg, tmp_path):
    path = export(small_kg, tmp_path / "network.graphml")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.is_directed()
    assert sorted(back.nodes) == ["C1", "E1", "G1"]
    assert back.nodes["E1"] == {k: v for k, v in NODES["E1"].items() if k != "id"}
    assert sorted(back.edges(keys=True, data=True)) == EDGES
    assert "<data key=\"d" in path.read_text(encoding="utf-8")
    assert ">true</data>" in path.read_text(encoding="utf-8")

    g = igraph.Graph.Read_GraphML(str(path))
    assert g.is_directed()
    assert (g.vcount(), g.ecount()) == (3, 4)
    assert g.vs["id"] == ["C1", "E1", "G1"]
    assert g.vs["label_zh"] == ["苏州职业技术学院", "苏州智造", ""]
    assert g.vs["side"] == ["education", "industry", "third_party"]
    edges = sorted((g.vs[e.source]["id"], g.vs[e.target]["id"], e["flow"], e["resource"], e["amount"],
                    e["implied"]) for e in g.es)
    assert edges == [
        ("C1", "E1", "A1/implied/InternshipGivesTalent/C1/E1", "talent", 0.0, True),
        ("E1", "C1", "A1/implied/InternshipGivesVenue/E1/C1", "venue", 0.0, True),
        ("E1", "C1", "F1", "funds", 500000.0, False),
        ("G1", "C1", "F2", "funds", 0.0, False),
    ]


def test_gexf_reads_back_in_networkx(small_kg, tmp_path):
    path = export(small_kg, tmp_path / "network.gexf")
    back = nx.read_gexf(path)
    assert sorted(back.nodes) == ["C1", "E1", "G1"]
    assert back.nodes["E1"]["label"] == 'Zhizao & "Co" <Ltd>'
    assert back.nodes["E1"]["label_zh"] == "苏州智造"
    assert back.number_of_edges() == 4
    funds = [d for _, _, d in back.edges(data=True) if d["flow"] == "F1"]
    assert funds[0]["amount"] == 500000.0
    assert funds[0]["implied"] is False
    assert "lastmodifieddate" not in path.read_text(encoding="utf-8")


def test_cytoscape_json_reads_back(small_kg, tmp_path):
    path = export(small_kg, tmp_path / "network.cyjs")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(n["data"]["id"] for n in data["elements"]["nodes"]) == ["C1", "E1", "G1"]
    assert sorted(e["data"]["id"] for e in data["elements"]["edges"]) == [
        "edge:A1/implied/InternshipGivesTalent/C1/E1", "edge:A1/implied/InternshipGivesVenue/E1/C1",
        "edge:F1", "edge:F2"]
    back = nx.cytoscape_graph(data)
    assert back.is_directed() and back.is_multigraph()
    assert back.number_of_nodes() == 3 and back.number_of_edges() == 4
    assert back.nodes["C1"]["label_zh"] == "苏州职业技术学院"
    assert back.edges["E1", "C1", "F1"]["amount"] == 500000.0


def test_dot_renders_with_graphviz_and_keeps_chinese(small_kg, tmp_path):
    path = export(small_kg, tmp_path / "network.dot")
    result = subprocess.run([shutil.which("dot") or "dot", "-Tsvg", str(path)], capture_output=True,
                            check=False)
    assert result.returncode == 0, result.stderr.decode()
    svg = result.stdout.decode("utf-8")
    assert "苏州智造" in svg
    assert "苏州职业技术学院" in svg
    assert "Noto Sans CJK SC" in svg


def test_html_export_is_a_self_contained_network_page(small_kg, tmp_path):
    text = export(small_kg, tmp_path / "network.html").read_text(encoding="utf-8")
    assert "cytoscape" in text
    assert "http://" not in text.split("<script", 1)[0].replace("http://www.w3.org", "")
    assert "苏州智造" in text


def test_unknown_format_is_a_one_line_input_error(small_kg, tmp_path):
    with pytest.raises(InputError) as info:
        export(small_kg, tmp_path / "network.xyz")
    assert "\n" not in str(info.value)
    assert "graphml, gexf, cytoscape, dot, html, ttl, nt, jsonld" in str(info.value)


def test_rdf_exports_hold_the_data_and_the_inferences_not_the_ontology(small_kg):
    small_kg.reason()
    nt = serialize_graph(small_kg.store, "nt", base=small_kg.base).decode("utf-8")
    lines = nt.splitlines()
    assert lines == sorted(lines)
    assert all(line.startswith("<https://w3id.org/iei/data/") for line in lines)
    assert ('<https://w3id.org/iei/data/activity/A1/implied/InternshipGivesVenue/E1/C1> '
            '<https://w3id.org/iei/ontology#provider> <https://w3id.org/iei/data/organization/E1> .') in lines
    ttl = serialize_graph(small_kg.store, "ttl", base=small_kg.base)
    jsonld = serialize_graph(small_kg.store, "jsonld", base=small_kg.base)
    from_nt = ox.Dataset(ox.parse(nt.encode(), format=ox.RdfFormat.N_TRIPLES))
    from_ttl = ox.Dataset(ox.parse(ttl, format=ox.RdfFormat.TURTLE))
    from_jsonld = ox.Dataset(ox.parse(jsonld, format=ox.RdfFormat.JSON_LD))
    assert from_ttl == from_nt
    assert from_jsonld == from_nt
    assert b"organization:E1\n    a " in ttl


def test_exports_are_byte_identical_for_the_same_input(demo_dir, tmp_path):
    first, second = iei.load(demo_dir), iei.load(demo_dir)
    for name in ("network.graphml", "network.cyjs", "graph.ttl", "graph.nt", "graph.jsonld",
                 "network.gexf", "network.dot"):
        a = export(first, tmp_path / "a" / name).read_bytes()
        b = export(second, tmp_path / "b" / name).read_bytes()
        assert a == b, name


def test_blank_nodes_from_rdf_input_do_not_break_determinism(tmp_path):
    source = tmp_path / "register.ttl"
    source.write_text(
        "@prefix iei: <https://w3id.org/iei/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "<https://w3id.org/iei/data/organization/E9> a iei:Enterprise ; dcterms:identifier \"E9\" ;\n"
        "  iei:note [ iei:text \"first\" ] , [ iei:text \"second\" ] .\n", encoding="utf-8")
    for fmt in ("ttl", "nt", "jsonld"):
        outputs = {serialize_graph(iei.load(source).store, fmt) for _ in range(3)}
        assert len(outputs) == 1, fmt
    text = serialize_graph(iei.load(source).store, "nt").decode("utf-8")
    assert text.count("<https://w3id.org/iei/ontology#text>") == 2
    assert text.count("_:") == 4


def test_external_sort_gives_the_in_memory_order():
    lines = [f"<{n % 7}> <p> \"{n % 5}\" .\n" for n in range(40)]
    expected = sorted(set(lines))
    assert list(export_module.sorted_unique(lines, chunk=6)) == expected
    assert list(export_module.sorted_unique(lines, chunk=1000)) == expected
    assert list(export_module.sorted_unique([], chunk=3)) == []


def test_rdf_streamed_in_small_runs_is_byte_identical(small_kg, tmp_path, monkeypatch):
    small_kg.reason()
    whole = {fmt: serialize_graph(small_kg.store, fmt, base=small_kg.base) for fmt in ("nt", "ttl")}
    monkeypatch.setattr(export_module, "SORT_CHUNK", 5)
    for fmt in ("nt", "ttl"):
        path = export_module.write_graph(small_kg.store, tmp_path / f"graph.{fmt}", base=small_kg.base)
        assert path.read_bytes() == whole[fmt], fmt
    assert whole["ttl"].count(b"\n    a ") == 9  # 3 organizations, P1, F1, F2, A1, 2 implied flows


def test_graph_from_an_ntriples_dump_has_the_bytes_of_the_store(small_kg, tmp_path):
    """The dump is read in any order and with repeats; blank nodes still get canonical names."""
    blank = tmp_path / "register.ttl"
    blank.write_text(
        "@prefix iei: <https://w3id.org/iei/ontology#> .\n"
        "<https://w3id.org/iei/data/organization/E9> a iei:Enterprise ;\n"
        "  iei:note [ iei:text \"第一\" ] , [ iei:text \"second\" ] .\n", encoding="utf-8")
    small_kg.reason()
    for name, kg in (("small", small_kg), ("blank", iei.load(blank))):
        lines = list(kg.store.ntriples_lines())
        dump = tmp_path / f"{name}.nt"
        dump.write_text("".join(reversed(lines + lines[:3])), encoding="utf-8")
        for fmt in ("ttl", "nt", "jsonld"):
            expected = export_module.write_graph(kg.store, tmp_path / f"{name}.{fmt}", base=kg.base)
            written = export_module.write_graph_from_ntriples(dump, tmp_path / f"{name}-dump.{fmt}",
                                                              base=kg.base)
            assert written.read_bytes() == expected.read_bytes(), (name, fmt)


def test_graph_written_in_a_subprocess_has_the_same_bytes(small_kg, tmp_path):
    small_kg.reason()
    disk = iei.DiskStore(tmp_path / "store")
    disk.load(b"".join(line.encode("utf-8") for line in small_kg.store.ntriples_lines()), "nt")
    expected = export_module.write_graph(small_kg.store, tmp_path / "expected.ttl", base=small_kg.base)
    for name, store in (("memory", small_kg.store), ("disk", disk)):
        path = export_module.write_graph_in_subprocess(store, tmp_path / f"{name}.ttl", base=small_kg.base)
        assert path.read_bytes() == expected.read_bytes(), name
    assert "苏州职业技术学院" in expected.read_text(encoding="utf-8")


def test_a_failing_graph_subprocess_raises_its_last_error_line(small_kg, tmp_path):
    taken = tmp_path / "graph.ttl"
    taken.mkdir()  # the child cannot rename its finished file to a folder's name
    with pytest.raises(OSError, match=r"^writing graph\.ttl failed: IsADirectoryError: .*graph\.ttl"):
        export_module.write_graph_in_subprocess(small_kg.store, taken)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_jsonld_of_a_large_graph_is_refused_with_advice(small_kg, tmp_path, monkeypatch):
    monkeypatch.setattr(export_module, "JSONLD_MAX_TRIPLES", 10)
    with pytest.raises(InputError, match=r"more than 10 triples.*\.nt or \.ttl"):
        export(small_kg, tmp_path / "graph.jsonld")
    assert not list(tmp_path.iterdir())


def test_streamed_network_files_have_the_networkx_bytes(small_kg, demo_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(export_module, "SORT_CHUNK", 3)
    for name, kg in (("small", small_kg), ("demo", iei.load(demo_dir))):
        kg.reason()
        graph = to_networkx(kg.store)
        paths = export_module.write_network_files(kg.store, {"graphml": tmp_path / f"{name}.graphml",
                                                             "cytoscape": tmp_path / f"{name}.cyjs"})
        assert paths["graphml"].read_bytes() == export_module.graphml_bytes(graph), name
        assert paths["cytoscape"].read_bytes() == export_module.cytoscape_bytes(graph), name
    assert "Zhizao &amp; \"Co\" &lt;Ltd&gt;" in (tmp_path / "small.graphml").read_text(encoding="utf-8")


def test_oxigraph_dump_gives_the_lines_python_formats(small_kg):
    """graph.ttl reads Oxigraph's N-Triples dump: it must give exactly the lines the terms
    format to (escapes, language tags, datatypes, Chinese text)."""
    small_kg.add_organization(id="Q1", name='line\nbreak "quoted" \\ back\tslash', name_zh="引号“”",
                              type="enterprise")
    small_kg.reason()
    dumped = sorted(small_kg.store.ntriples_lines())
    formatted = sorted(f"{t.subject} {t.predicate} {t.object} .\n" for t in small_kg.store.triples())
    assert dumped == formatted
    assert any('"引号“”"@zh' in line for line in dumped)


def test_one_read_of_the_flows_serves_every_network_writer(small_kg, tmp_path):
    small_kg.reason()
    alone = export_module.write_network_files(small_kg.store, {"graphml": tmp_path / "alone.graphml"})
    with export_module.read_flow_network(small_kg.store) as network:
        spill = network.spill
        edges = list(network.edges())
        shared = export_module.write_network_files(small_kg.store, {"graphml": tmp_path / "shared.graphml"},
                                                   network)
        assert list(network.edges()) == edges  # read again, same order
    assert shared["graphml"].read_bytes() == alone["graphml"].read_bytes()
    assert [e[2] for e in edges] == [e[2] for e in export_module.networkx_order(
        sorted(export_module.flow_edges(small_kg.store, network.nodes), key=lambda e: e[:3]))]
    assert not spill.exists()


def test_a_flow_with_two_values_the_shapes_forbid_is_still_one_edge(small_kg, tmp_path, monkeypatch):
    """Data that skipped validation: F1 with a second amount and a second resource. Both writers
    keep one edge for F1, the same one (the smallest of its rows)."""
    monkeypatch.setattr(export_module, "SORT_CHUNK", 2)
    small_kg.reason()
    flow = small_kg.store.query("SELECT ?f WHERE { ?f <http://purl.org/dc/terms/identifier> \"F1\" }")
    f1 = next(iter(flow))[0]
    iei_ns = "https://w3id.org/iei/ontology#"
    small_kg.store.update(f"INSERT DATA {{ {f1} <{iei_ns}amount> 7 ; <{iei_ns}resource> <{iei_ns}Talent> }}")
    assert len([row for row in export_module.flow_rows(small_kg.store, export_module.organization_nodes(
        small_kg.store)) if row[2] == "F1"]) == 4
    graph = to_networkx(small_kg.store)
    f1_edges = [attrs for _, _, key, attrs in graph.edges(keys=True, data=True) if key == "F1"]
    assert len(f1_edges) == 1
    assert (f1_edges[0]["resource"], f1_edges[0]["amount"]) == ("funds", 500000.0)
    paths = export_module.write_network_files(small_kg.store, {"graphml": tmp_path / "n.graphml"})
    assert paths["graphml"].read_bytes() == export_module.graphml_bytes(graph)


def test_an_organization_with_two_values_the_shapes_forbid_shows_the_smallest(small_kg):
    """Data that skipped validation: E1 with a second English name, Chinese name and region.
    Each node attribute is the smallest value, as the one-row-per-organization reading gave."""
    small_kg.reason()
    e1 = next(iter(small_kg.store.query(
        "SELECT ?o WHERE { ?o <http://purl.org/dc/terms/identifier> \"E1\" }")))[0]
    rdfs, iei_ns = "http://www.w3.org/2000/01/rdf-schema#", "https://w3id.org/iei/ontology#"
    small_kg.store.update(f'INSERT DATA {{ {e1} <{rdfs}label> "Acme"@en, "阿克米"@zh, "Zzz"@en ; '
                          f'<{iei_ns}region> "上海", "浙江" }}')
    node = export_module.organization_nodes(small_kg.store)[e1.value]
    assert (node["label"], node["label_zh"], node["region"]) == ("Acme", "苏州智造", "上海")
    assert (node["type"], node["side"]) == ("enterprise", "industry")
