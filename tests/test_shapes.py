"""The SHACL shapes accept every good fixture and reject each bad fixture for its own reason.

pySHACL runs as the library does: inference "none", the fixture as data graph and the ontology as
``ont_graph``. Each file in ``tests/data/invalid/`` has one problem, so it must give exactly one
violation, with the constraint component, focus node and path written below by hand.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "iei.ttl"
SHAPES = ROOT / "ontology" / "iei-shapes.ttl"
DATA = ROOT / "tests" / "data"
SH = Namespace("http://www.w3.org/ns/shacl#")
IEI = Namespace("https://w3id.org/iei/ontology#")
DCT = Namespace("http://purl.org/dc/terms/")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
RDFS_COMMENT = URIRef("http://www.w3.org/2000/01/rdf-schema#comment")
D = "https://w3id.org/iei/data/"

# file name → (constraint component, focus node, result path); None path = the path is a blank node.
EXPECTED = {
    "bad-currency.ttl": ("PatternConstraintComponent", "flow/F1", IEI.currency),
    "count-below-zero.ttl": ("SPARQLConstraintComponent", "outcome/O1", IEI.value),
    "duplicate-identifier.ttl": ("MaxCountConstraintComponent", "organization/E3", DCT.identifier),
    "end-before-start.ttl": ("SPARQLConstraintComponent", "partnership/P1", IEI.endDate),
    "end-year-before-start-date.ttl": ("SPARQLConstraintComponent", "activity/T1", IEI.endDate),
    "flow-provider-not-participant.ttl": ("SPARQLConstraintComponent", "flow/F1", IEI.provider),
    "flow-without-partnership.ttl": ("MinCountConstraintComponent", "flow/F1", None),
    "missing-flow-identifier.ttl": ("SPARQLConstraintComponent", "flow/F1", DCT.identifier),
    "missing-organization-name.ttl": ("MinCountConstraintComponent", "organization/E3", RDFS_LABEL),
    "missing-organization-type.ttl": ("QualifiedMinCountConstraintComponent", "organization/E3", RDF.type),
    "missing-provider.ttl": ("MinCountConstraintComponent", "flow/F1", IEI.provider),
    "negative-amount.ttl": ("MinInclusiveConstraintComponent", "flow/F1", IEI.amount),
    "negative-quantity.ttl": ("MinInclusiveConstraintComponent", "flow/F1", IEI.quantity),
    "participant-not-organization.ttl": ("ClassConstraintComponent", "partnership/P1", IEI.participant),
    "provider-is-recipient.ttl": ("DisjointConstraintComponent", "flow/F1", IEI.provider),
    "rate-above-100.ttl": ("SPARQLConstraintComponent", "outcome/O1", IEI.value),
    "single-participant.ttl": ("MinCountConstraintComponent", "partnership/P1", IEI.participant),
    "unknown-activity-kind.ttl": ("NodeConstraintComponent", "activity/T1", IEI.activityKind),
    "unknown-declared-mode.ttl": ("NodeConstraintComponent", "partnership/P1", IEI.declaredMode),
    "unknown-indicator.ttl": ("NodeConstraintComponent", "outcome/O1", IEI.indicator),
    "unknown-resource.ttl": ("NodeConstraintComponent", "flow/F1", IEI.resource),
    "wrong-date-format.ttl": ("OrConstraintComponent", "partnership/P1", IEI.startDate),
}

# A few messages in full, as a spreadsheet user reads them.
EXPECTED_MESSAGES = {
    "flow-provider-not-participant.ttl":
        "The provider or recipient E2 is not a participant of this flow's partnership.",
    "rate-above-100.ttl": "The value 105.0 is outside the range its indicator allows "
                          "(for example, a rate in % must be between 0 and 100).",
    "end-before-start.ttl": "The end (2020-06-30) is before the start.",
    "single-participant.ttl": "A partnership needs at least two participants.",
    "provider-is-recipient.ttl": "The provider and the recipient of a flow must be different organizations.",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def validate(path: Path, shapes: Graph, ontology: Graph) -> tuple[bool, Graph]:
    data = Graph().parse(path, format="turtle")
    conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none")
    return conforms, report


def top_level_results(report: Graph) -> list[URIRef]:
    """The results of the report itself (not the nested sh:detail results of sh:node)."""
    return list(report.objects(None, SH.result))


def test_every_invalid_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in (DATA / "invalid").glob("*.ttl")) == sorted(EXPECTED)


def languages(graph: Graph, node: URIRef, predicate: URIRef) -> list[str]:
    return sorted(m.language or "" for m in graph.objects(node, predicate) if isinstance(m, Literal))


def test_every_constraint_has_an_english_and_a_chinese_message(shapes: Graph) -> None:
    property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape))
    sparql_constraints = set(shapes.subjects(RDF.type, SH.SPARQLConstraint))
    assert (len(property_shapes), len(sparql_constraints)) == (28, 4)
    for shape in property_shapes:
        assert languages(shapes, shape, SH.message) == ["en", "zh"], shape
    for constraint in sparql_constraints:  # pySHACL drops tags of filled-in messages: zh is a comment
        assert languages(shapes, constraint, SH.message) == ["en"], constraint
        assert "zh" in languages(shapes, constraint, RDFS_COMMENT), constraint


@pytest.mark.parametrize("fixture", sorted((DATA / "valid").glob("*.ttl")), ids=lambda p: p.name)
def test_valid_fixture_conforms(fixture: Path, shapes: Graph, ontology: Graph) -> None:
    conforms, report = validate(fixture, shapes, ontology)
    assert top_level_results(report) == []
    assert conforms


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_fixture_fails_for_its_own_reason(name: str, shapes: Graph, ontology: Graph) -> None:
    conforms, report = validate(DATA / "invalid" / name, shapes, ontology)
    assert not conforms
    results = top_level_results(report)
    assert len(results) == 1
    result = results[0]
    component, focus, path = EXPECTED[name]
    assert report.value(result, SH.sourceConstraintComponent) == SH[component]
    assert report.value(result, SH.focusNode) == URIRef(D + focus)
    assert report.value(result, SH.resultSeverity) == SH.Violation
    if path is not None:
        assert report.value(result, SH.resultPath) == path
    messages = {m.language or "": str(m) for m in report.objects(result, SH.resultMessage)}
    english = messages[""] if component == "SPARQLConstraintComponent" else messages["en"]
    assert set(messages) == ({""} if component == "SPARQLConstraintComponent" else {"en", "zh"})
    if name in EXPECTED_MESSAGES:
        assert english == EXPECTED_MESSAGES[name]
