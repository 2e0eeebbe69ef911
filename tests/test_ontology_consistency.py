"""Reasoning over the ontology with real reasoners.

- OWL 2 DL: HermiT (through owlready2, Java) finds the ontology and the valid fixtures consistent,
  and catches each fixture in ``tests/data/inconsistent/``. owlready2 cannot read Turtle, so the
  graphs are converted to RDF/XML with rdflib first. xsd:date and xsd:gYear are not in the OWL 2
  datatype map, so HermiT runs with ``ignore_unsupported_datatypes``.
- OWL 2 RL: ``reasonable`` and ``owlrl`` infer iei:TwoWayPartnership for a partnership with flows in
  both directions and not for a one-way one.
"""

from __future__ import annotations

from pathlib import Path

import owlready2
import owlrl
import pytest
import reasonable
from rdflib import RDF, Graph, Namespace, URIRef

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "iei.ttl"
DATA = ROOT / "tests" / "data"
IEI = Namespace("https://w3id.org/iei/ontology#")
PARTNERSHIP = Namespace("https://w3id.org/iei/data/partnership/")
FLOW = Namespace("https://w3id.org/iei/data/flow/")

VALID = sorted((DATA / "valid").glob("*.ttl"))
INCONSISTENT = sorted((DATA / "inconsistent").glob("*.ttl"))


def merged(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def hermit(graph: Graph, tmp_path: Path) -> owlready2.World:
    """Run HermiT over ``graph`` in a fresh owlready2 world and return the world."""
    owl_file = tmp_path / "input.owl"
    graph.serialize(owl_file, format="xml")
    world = owlready2.World()
    world.get_ontology(owl_file.as_uri()).load()
    owlready2.sync_reasoner_hermit(
        world, infer_property_values=True, debug=0, ignore_unsupported_datatypes=True
    )
    return world


def types_after_hermit(world: owlready2.World, iri: str) -> set[str]:
    return {cls.iri for cls in world[iri].is_a}


# --- OWL 2 DL with HermiT -------------------------------------------------------------------------


def test_hermit_sees_the_ontology_and_finds_it_consistent(tmp_path: Path) -> None:
    world = hermit(merged(ONTOLOGY), tmp_path)
    classes = {c.iri for c in world.classes()}
    assert {str(IEI.TwoWayPartnership), str(IEI.Enterprise), str(IEI.FlowRule)} <= classes
    assert len([c for c in classes if c.startswith(str(IEI))]) == 28
    assert list(world.inconsistent_classes()) == []


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.name)
def test_ontology_plus_valid_data_is_consistent(fixture: Path, tmp_path: Path) -> None:
    world = hermit(merged(ONTOLOGY, fixture), tmp_path)
    assert list(world.inconsistent_classes()) == []


def test_hermit_classifies_the_two_way_fixture(tmp_path: Path) -> None:
    world = hermit(merged(ONTOLOGY, DATA / "valid" / "two-way.ttl"), tmp_path)
    assert str(IEI.TwoWayPartnership) in types_after_hermit(world, str(PARTNERSHIP.P1))
    assert str(IEI.IndustryToEducationFlow) in types_after_hermit(world, str(FLOW.F1))
    assert str(IEI.EducationToIndustryFlow) in types_after_hermit(world, str(FLOW.F2))


@pytest.mark.parametrize("fixture", INCONSISTENT, ids=lambda p: p.name)
def test_inconsistent_fixture_is_caught(fixture: Path, tmp_path: Path) -> None:
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        hermit(merged(ONTOLOGY, fixture), tmp_path)


def test_the_inconsistent_fixtures_are_the_expected_ones() -> None:
    assert [p.name for p in INCONSISTENT] == [
        "enterprise-and-college.ttl", "participant-is-a-flow.ttl", "resource-is-activity-kind.ttl"]


# --- OWL 2 RL with reasonable and owlrl -----------------------------------------------------------


def closure_reasonable(graph: Graph) -> Graph:
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(graph)
    inferred = Graph()
    for triple in reasoner.reason():
        inferred.add(triple)
    return inferred + graph


def closure_owlrl(graph: Graph) -> Graph:
    expanded = Graph() + graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(expanded)
    return expanded


ENGINES = {"reasonable": closure_reasonable, "owlrl": closure_owlrl}


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_rl_reasoner_infers_two_way_partnership(engine: str) -> None:
    closure = ENGINES[engine](merged(ONTOLOGY, DATA / "valid" / "two-way.ttl"))
    assert (PARTNERSHIP.P1, RDF.type, IEI.TwoWayPartnership) in closure
    assert (FLOW.F1, RDF.type, IEI.IndustryToEducationFlow) in closure
    assert (FLOW.F2, RDF.type, IEI.EducationToIndustryFlow) in closure
    assert (PARTNERSHIP.P1, IEI.hasFlow, FLOW.F1) in closure  # from the inverse iei:flowOf


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_rl_reasoner_does_not_infer_two_way_for_one_way(engine: str) -> None:
    closure = ENGINES[engine](merged(ONTOLOGY, DATA / "valid" / "one-way.ttl"))
    assert (PARTNERSHIP.P2, RDF.type, IEI.TwoWayPartnership) not in closure
    assert (FLOW.F3, RDF.type, IEI.IndustryToEducationFlow) in closure
    assert (FLOW.F4, RDF.type, IEI.IndustryToEducationFlow) in closure
    assert set(closure.subjects(RDF.type, IEI.EducationToIndustryFlow)) == set()
    collaboration = URIRef("http://www.w3.org/ns/org#OrganizationalCollaboration")
    assert (PARTNERSHIP.P2, RDF.type, collaboration) in closure
