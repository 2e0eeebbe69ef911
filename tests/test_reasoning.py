"""Materialization engines, idempotence, agreement with the reference reasoner, and HermiT."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest

import iei_onto as iei
from iei_onto import reasoning
from iei_onto.classification import classify
from iei_onto.errors import InputError, ReasonerError
from iei_onto.generate import generate_register
from iei_onto.reasoning import check_consistency, choose_engine, is_noise, materialize
from iei_onto.store import MemoryStore

HERE = Path(__file__).parent
DEMO = HERE.parent / "examples" / "demo"
REGISTER = HERE / "data" / "classification" / "register"
INCONSISTENT = HERE / "data" / "classification" / "inconsistent.ttl"
IEI = "https://w3id.org/iei/ontology#"
SCHEMA_PREDICATES = {
    "http://www.w3.org/2000/01/rdf-schema#subClassOf",
    "http://www.w3.org/2000/01/rdf-schema#domain",
    "http://www.w3.org/2000/01/rdf-schema#range",
}


def _inferred(path: Path, engine: str) -> tuple[set[ox.Triple], list]:
    kg = iei.load(path)
    before = set(kg.store.triples())
    materialize(kg.store, engine)
    return set(kg.store.triples()) - before, classify(kg.store)


@pytest.fixture(scope="module")
def demo_results() -> dict[str, tuple[set[ox.Triple], list]]:
    return {engine: _inferred(DEMO, engine) for engine in ("reasonable", "sparql", "owlrl")}


def _split(triples: set[ox.Triple]) -> tuple[set[ox.Triple], set[ox.Triple]]:
    """(schema triples: subClassOf/domain/range, everything else)."""
    schema = {t for t in triples if t.predicate.value in SCHEMA_PREDICATES}
    return schema, triples - schema


@pytest.mark.slow
def test_reasonable_and_owlrl_infer_the_same_data_triples(demo_results):
    reasonable_schema, reasonable_data = _split(demo_results["reasonable"][0])
    owlrl_schema, owlrl_data = _split(demo_results["owlrl"][0])
    assert reasonable_data == owlrl_data
    assert len(reasonable_data) > 4000
    # documented: reasonable does not close domains and ranges over the hierarchies
    # (scm-dom1/2, scm-rng1/2) nor intersections (scm-int); owlrl's extra schema triples are those
    assert reasonable_schema <= owlrl_schema
    extra = owlrl_schema - reasonable_schema
    assert {t.predicate.value for t in extra} <= SCHEMA_PREDICATES
    defined = {f"{IEI}IndustryToEducationFlow", f"{IEI}EducationToIndustryFlow", f"{IEI}TwoWayPartnership"}
    subclass_extra = {t.subject.value for t in extra if t.predicate.value.endswith("subClassOf")}
    assert subclass_extra <= defined


def test_the_sparql_engine_infers_the_data_triples_of_reasonable(demo_results):
    reasonable_data = _split(demo_results["reasonable"][0])[1]
    sparql_schema, sparql_data = _split(demo_results["sparql"][0])
    assert sparql_data == reasonable_data
    assert sparql_schema == set()  # the closed TBox stays in Python; documented


def test_every_engine_classifies_the_demo_alike(demo_results):
    expected = demo_results["reasonable"][1]
    assert len(expected) == 66
    assert demo_results["sparql"][1] == expected
    assert demo_results["owlrl"][1] == expected


def test_sparql_and_reasonable_classify_a_generated_register_alike():
    with tempfile.TemporaryDirectory() as folder:
        stats = generate_register(Path(folder), colleges=12, enterprises=120, partnerships=300, seed=5)
        by_engine = {engine: _inferred(Path(folder), engine)[1] for engine in ("reasonable", "sparql")}
    assert len(by_engine["reasonable"]) == 300
    assert by_engine["sparql"] == by_engine["reasonable"]
    found = by_engine["sparql"]
    assert {m: sum(c.mode == m for c in found) for m in stats.truth["modes"]} == stats.truth["modes"]
    assert {d: sum(c.direction == d for c in found) for d in stats.truth["directions"]} == \
        stats.truth["directions"]
    assert {p: sum(p in c.patterns for c in found) for p in stats.truth["patterns"]} == \
        stats.truth["patterns"]
    assert sum(c.mismatch for c in found) == stats.truth["mismatches"]


@pytest.mark.parametrize("engine", ["reasonable", "sparql"])
def test_materialize_twice_gives_the_same_graph(engine):
    kg = iei.load(REGISTER)
    first = materialize(kg.store, engine)
    after_first = set(kg.store.triples())
    second = materialize(kg.store, engine)
    assert set(kg.store.triples()) == after_first
    assert (first.engine, first.implied_flows) == (engine, 25)
    assert first.inferred_triples > 0 and second.inferred_triples == 0
    assert list(first.steps) == ["implied flows", "classification rules", f"OWL 2 RL ({engine})"]


def test_no_noise_is_inserted():
    kg = iei.load(REGISTER)
    before = set(kg.store.triples())
    materialize(kg.store, "reasonable")
    added = set(kg.store.triples()) - before
    assert not any(is_noise(t) for t in added)
    thing = ox.NamedNode("http://www.w3.org/2002/07/owl#Thing")
    assert not any(t.object == thing for t in added)


def test_types_follow_the_hierarchy_and_defined_classes():
    kg = iei.load(REGISTER)
    materialize(kg.store, "sparql")
    ask = ("PREFIX iei: <https://w3id.org/iei/ontology#> ASK { "
           "<https://w3id.org/iei/data/organization/C1> a iei:EducationSideActor, iei:College . "
           "<https://w3id.org/iei/data/flow/F01> a iei:IndustryToEducationFlow . "
           "<https://w3id.org/iei/data/partnership/P01> a iei:TwoWayPartnership ; iei:hasFlow "
           "<https://w3id.org/iei/data/flow/F01> . "
           "FILTER NOT EXISTS { <https://w3id.org/iei/data/partnership/P02> a iei:TwoWayPartnership } }")
    assert kg.store.query(ask)


def test_engine_choice():
    store = MemoryStore()
    assert choose_engine(store, "auto") == "reasonable"
    assert choose_engine(store, "owlrl") == "owlrl"
    with pytest.raises(InputError, match="unknown reasoning engine"):
        choose_engine(store, "hermit")


def test_auto_uses_sparql_beyond_the_limit(monkeypatch):
    monkeypatch.setattr(reasoning, "AUTO_LIMIT", 10)
    kg = iei.load(REGISTER)
    assert materialize(kg.store).engine == "sparql"


# --- HermiT ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_hermit_finds_the_ontology_and_the_demo_consistent():
    kg = iei.load(DEMO)
    kg.reason()
    report = check_consistency(kg.store)
    assert (report.consistent, report.engine, report.problems) == (True, "HermiT", [])


@pytest.mark.slow
def test_hermit_catches_an_organization_of_two_disjoint_kinds():
    kg = iei.load(REGISTER)
    kg.store.load(INCONSISTENT, "ttl")
    report = check_consistency(kg.store)
    assert not report.consistent
    assert report.problems == [
        "organization X1 (苏州双面科技学院) is both a college and an enterprise",
    ]


def test_missing_java_is_a_reasoner_error(monkeypatch):
    import owlready2

    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(owlready2, "JAVA_EXE", "no-such-java-here")
    with pytest.raises(ReasonerError, match="needs Java"):
        check_consistency(MemoryStore())
