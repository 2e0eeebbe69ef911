"""Materialization engines, idempotence, agreement with the reference reasoner, and HermiT."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

import iei_onto as iei
from iei_onto import reasoning
from iei_onto.classification import classify
from iei_onto.errors import InputError, ReasonerError
from iei_onto.generate import generate_register
from iei_onto.queries import catalog, run_query
from iei_onto.reasoning import (
    Rule,
    check_consistency,
    choose_engine,
    closed_tbox,
    goals,
    is_noise,
    materialize,
    plan,
    rule_set,
    sparql_iris,
)
from iei_onto.resources import ontology_text
from iei_onto.store import DiskStore, MemoryStore

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
    return {engine: _inferred(DEMO, engine) for engine in ("reasonable", "sparql", "owlrl", "sparql-goals")}


def _classified_by_the_rules_only(path: Path) -> list:
    """The classification after the classification rules alone, without the implied flows
    and the OWL 2 RL step: what ``kg.classify()`` and ``iei classify`` run."""
    kg = iei.load(path)
    reasoning.apply_rules(kg.store)
    return classify(kg.store)


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
    assert demo_results["sparql-goals"][1] == expected
    assert _classified_by_the_rules_only(DEMO) == expected


def test_the_goal_engine_infers_a_subset_of_the_sparql_engine(demo_results):
    goals, full = demo_results["sparql-goals"][0], demo_results["sparql"][0]
    assert goals < full
    # what it leaves out: alignments to other vocabularies, nothing of iei: itself
    skipped = {t.object.value if t.predicate.value.endswith("#type") else t.predicate.value
               for t in full - goals}
    assert not any(term.startswith(IEI) for term in skipped)
    assert "http://www.w3.org/ns/org#hasMember" in skipped


def _catalog_rows(store) -> dict[str, list[tuple]]:
    needed = {"organization": "ORG026", "partnership": "P012"}
    rows = {}
    for q in catalog():
        params = {p.name: needed[p.name] for p in q.params if not p.optional}
        rows[q.name] = run_query(store, q.name, params).rows()
    return rows


def test_every_catalog_query_answers_alike_after_reasonable_and_the_goal_engine():
    by_engine = {}
    for engine in ("reasonable", "sparql-goals"):
        kg = iei.load(DEMO)
        materialize(kg.store, engine)
        by_engine[engine] = _catalog_rows(kg.store)
    assert len(by_engine["reasonable"]) >= 20
    assert by_engine["sparql-goals"] == by_engine["reasonable"]
    assert len(by_engine["reasonable"]["two_way_partnerships"]) > 0


def test_sparql_and_reasonable_classify_a_generated_register_alike():
    with tempfile.TemporaryDirectory() as folder:
        stats = generate_register(Path(folder), colleges=12, enterprises=120, partnerships=300, seed=5)
        by_engine = {engine: _inferred(Path(folder), engine)[1]
                     for engine in ("reasonable", "sparql", "sparql-goals")}
        rules_only = _classified_by_the_rules_only(Path(folder))
    assert len(by_engine["reasonable"]) == 300
    assert by_engine["sparql"] == by_engine["reasonable"]
    assert by_engine["sparql-goals"] == by_engine["reasonable"]
    assert rules_only == by_engine["reasonable"]
    found = by_engine["sparql"]
    assert {m: sum(c.mode == m for c in found) for m in stats.truth["modes"]} == stats.truth["modes"]
    assert {d: sum(c.direction == d for c in found) for d in stats.truth["directions"]} == \
        stats.truth["directions"]
    assert {p: sum(p in c.patterns for c in found) for p in stats.truth["patterns"]} == \
        stats.truth["patterns"]
    assert sum(c.mismatch for c in found) == stats.truth["mismatches"]


@pytest.mark.parametrize("engine", ["reasonable", "sparql", "sparql-goals"])
def test_materialize_twice_gives_the_same_graph(engine):
    kg = iei.load(REGISTER)
    first = materialize(kg.store, engine)
    after_first = set(kg.store.triples())
    second = materialize(kg.store, engine)
    assert set(kg.store.triples()) == after_first
    assert (first.engine, first.implied_flows) == (engine, 25)
    assert first.inferred_triples > 0 and second.inferred_triples == 0
    assert list(first.steps) == ["classification rules", "implied flows", f"OWL 2 RL ({engine})"]


def test_classify_explain_and_reason_each_run_only_the_steps_still_to_do(monkeypatch):
    """``kg.classify()`` runs the classification rules alone, ``kg.explain()`` adds the implied
    flows it names, and a later ``reason()`` runs the OWL 2 RL step only, reports the rules'
    earlier times, and marks the store."""
    ran = []
    real = reasoning.apply_rules

    def recording(*args, **kwargs):
        steps = real(*args, **kwargs)
        ran.extend(steps)
        return steps

    monkeypatch.setattr(reasoning, "apply_rules", recording)
    implied = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?f a <{IEI}ImpliedFlow> }}"
    kg = iei.load(REGISTER)
    before = kg.classify()
    assert ran == ["classification rules"] and kg.reasoning is None
    assert reasoning.is_classified(kg.store) and reasoning.still_to_do(kg.store) == reasoning.TO_DO_FLOWS
    assert reasoning.count(kg.store, implied) == 0
    assert "gave technology (implied by technology transfer A11)" in kg.explain("P18")
    assert ran == ["classification rules", "implied flows"] and kg.reasoning is None
    assert reasoning.count(kg.store, implied) == 25
    assert reasoning.still_to_do(kg.store) == reasoning.TO_DO_OWL
    result = kg.reason("sparql-goals")
    assert ran == ["classification rules", "implied flows"]
    assert list(result.steps) == ["classification rules", "implied flows", "OWL 2 RL (sparql-goals)"]
    assert result.seconds >= sum(result.steps.values()) * 0.99 and result.implied_flows == 25
    assert reasoning.still_to_do(kg.store) is None
    assert kg.classify() == before
    assert kg.reason("sparql-goals", force=True) is not result
    assert ran == ["classification rules", "implied flows"] * 2


def _rule_results(store) -> dict[str, set[tuple]]:
    query = "SELECT ?p ?o WHERE {{ ?p <" + IEI + "{0}> ?o }}"
    return {name: {tuple(row) for row in store.query(query.format(name))}
            for name in ("mode", "direction", "pattern", "mismatch", "evidence")}


@pytest.mark.parametrize("source", ["demo", "generated"])
def test_the_flows_activities_imply_classify_alike_written_or_not(source, tmp_path):
    """Step 2b of classify.ru reads the flows activities imply from the FlowRule triples, so the
    classification does not wait for implied-flows.ru; step 2a reads the implied flows once
    written. Either alone gives the same results, and so do both."""
    if source == "demo":
        folder = DEMO
    else:
        folder = tmp_path
        generate_register(folder, colleges=12, enterprises=120, partnerships=300, seed=11)
    text = ontology_text("rules/classify.ru")
    without_2b = reasoning.prologue(text) + " ;\n".join(
        op for op in reasoning.operations(text) if "?kind iei:impliesFlow ?rule" not in op)
    assert without_2b != text
    rules_first = iei.load(folder)
    reasoning.apply_rules(rules_first.store)
    expected = _rule_results(rules_first.store)
    assert all(expected.values())
    flows_first = iei.load(folder)
    reasoning.run_update(flows_first.store, ontology_text("rules/implied-flows.ru"))
    reasoning.run_update(flows_first.store, without_2b)
    assert _rule_results(flows_first.store) == expected
    reasoning.run_update(flows_first.store, text)
    assert _rule_results(flows_first.store) == expected


def test_auto_picks_the_same_engine_whether_or_not_classify_ran_first(monkeypatch):
    """``auto`` decides on the size of the data as loaded; the rules that ``classify()`` runs
    first add triples, and must not tip a graph over :data:`AUTO_LIMIT`."""
    size = len(iei.load(REGISTER).store)
    monkeypatch.setattr(reasoning, "AUTO_LIMIT", size + 1)
    assert iei.load(REGISTER).reason().engine == "reasonable"
    kg = iei.load(REGISTER)
    kg.classify()
    assert len(kg.store) > size + 1
    assert kg.reason().engine == "reasonable"


def test_the_note_of_what_is_still_to_do_is_outside_the_default_graph():
    kg = iei.load(REGISTER)
    kg.classify()
    default_graph = {t.subject.value for t in kg.store.triples() if isinstance(t.subject, ox.NamedNode)}
    assert reasoning.STATE_GRAPH not in default_graph
    assert reasoning.still_to_do(kg.store) == reasoning.TO_DO_FLOWS
    kg.reason()
    assert reasoning.still_to_do(kg.store) is None
    kg.add_organization(id="E99", name="New Co", type="enterprise")
    assert kg.reasoning is None and reasoning.still_to_do(kg.store) == reasoning.TO_DO_ALL


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


# --- the plan of the SPARQL engines -----------------------------------------------------------

A, B, C = "http://example.org/A", "http://example.org/B", "http://example.org/C"
P, Q = "http://example.org/p", "http://example.org/q"


def test_a_closed_hierarchy_runs_once():
    # p has domain A (and, closed, B and C); A ⊑ B ⊑ C (and, closed, A ⊑ C); p ⊑ q, q has domain A
    rules = [Rule("dom", P, A), Rule("dom", P, B), Rule("dom", P, C), Rule("sc", A, B),
             Rule("sc", A, C), Rule("sc", B, C), Rule("sp", P, Q), Rule("dom", Q, A),
             Rule("dom", Q, B), Rule("dom", Q, C)]
    steps = plan(rules)
    assert [len(group) for group, _ in steps.groups] == [1] * len(rules)
    assert not any(cyclic for _, cyclic in steps.groups)
    assert sorted(steps.rules()) == sorted(rules)


def test_rules_run_after_the_rules_they_read_from():
    # not closed: no rule gives p's subjects the type A or B directly
    rules = [Rule("sc", A, B), Rule("dom", Q, A), Rule("sp", P, Q)]
    assert plan(rules).rules() == [Rule("sp", P, Q), Rule("dom", Q, A), Rule("sc", A, B)]


def test_a_cycle_that_no_closed_rule_covers_is_iterated():
    # p ⊑ q, and q inverse of p: nothing in the rules does both steps at once
    steps = plan([Rule("sp", P, Q), Rule("inv", Q, P)])
    assert steps.groups == [([Rule("inv", Q, P), Rule("sp", P, Q)], True)]


def test_rules_into_one_class_at_one_depth_run_as_one_update():
    rules = [Rule("dom", P, A), Rule("dom", Q, A), Rule("sc", A, B), Rule("rng", P, B)]
    batches = list(plan(rules).batches())
    assert batches == [([Rule("dom", P, A), Rule("dom", Q, A)], False), ([Rule("rng", P, B)], False),
                       ([Rule("sc", A, B)], False)]
    # the first two read only asserted triples: one stage, run at the same time
    assert list(plan(rules).stages()) == [batches[:2], batches[2:]]
    store = MemoryStore()
    store.load(b"<http://example.org/x> <http://example.org/p> <http://example.org/z> .\n"
               b"<http://example.org/w> <http://example.org/q> \"text\" .\n", "nt")
    reasoning.run_plan(store, plan(rules))
    typed = {(t.subject.value.rsplit("/", 1)[1], t.object.value.rsplit("/", 1)[1])
             for t in store.triples() if t.predicate.value.endswith("#type")}
    assert typed == {("x", "A"), ("w", "A"), ("x", "B"), ("w", "B"), ("z", "B")}


def test_goals_keep_only_the_rules_that_feed_them():
    rules = [Rule("sc", A, B), Rule("sc", B, C), Rule("sc", A, C), Rule("dom", P, A), Rule("sp", P, Q)]
    assert set(plan(rules, {("type", B)}).rules()) == {Rule("sc", A, B), Rule("dom", P, A)}


def test_the_ontology_makes_no_cycle_and_the_goals_skip_alignments():
    kg = iei.load(REGISTER)
    rules = rule_set(closed_tbox(kg.store)).rules()
    assert not any(cyclic for _, cyclic in plan(rules).groups)
    kept = plan(rules, goals() | {r.produces for r in rules if r.kind == "def"}).rules()
    assert {r.kind for r in kept} == {"sc", "inv", "dom", "rng", "def"}
    assert all(r.target.startswith(IEI) for r in kept)
    assert Rule("sc", f"{IEI}VocationalCollege", f"{IEI}EducationSideActor") in kept
    assert Rule("inv", f"{IEI}hasFlow", f"{IEI}flowOf") in kept
    assert not any(r.kind == "sp" for r in kept)  # only alignments: iei:participant ⊑ org:hasMember …


def test_sparql_iris_resolves_prefixed_names_and_skips_comments():
    text = ("PREFIX iei: <https://w3id.org/iei/ontology#>\n# iei:NotThis\n"
            "SELECT ?x WHERE { ?x a iei:College ; <http://example.org/p> \"a:b\" ; rdf:type ?t }")
    assert sparql_iris(text) == {f"{IEI}College", "http://example.org/p"}


def test_engine_choice():
    store = MemoryStore()
    assert choose_engine(store, "auto") == "reasonable"
    assert choose_engine(store, "owlrl") == "owlrl"
    with pytest.raises(InputError, match="unknown reasoning engine"):
        choose_engine(store, "hermit")


def test_auto_uses_the_goal_engine_beyond_the_limit_and_on_disk(monkeypatch, tmp_path):
    kg = iei.load(REGISTER)
    assert choose_engine(kg.store, "auto") == "reasonable"
    assert choose_engine(DiskStore(tmp_path / "store"), "auto") == "sparql-goals"
    monkeypatch.setattr(reasoning, "AUTO_LIMIT", 10)
    assert materialize(kg.store).engine == "sparql-goals"


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


# --- updates on disk ---------------------------------------------------------------------------


def test_operations_split_at_top_level_semicolons_and_inserts_become_selects():
    prologue = "PREFIX ex: <http://example.org/>\n"
    text = (prologue + "# a comment ; with a semicolon\n"
            "DELETE WHERE { ?s ex:p ?o } ;\nINSERT { ?s ex:q \"a;b\" ; ex:r ?o } WHERE { ?s ex:p ?o } ;\n"
            "INSERT DATA { ex:a ex:p ex:b }")
    assert reasoning.prologue(text) == prologue
    found = reasoning.operations(text)
    assert found == ["DELETE WHERE { ?s ex:p ?o }",
                     "INSERT { ?s ex:q \"a;b\" ; ex:r ?o } WHERE { ?s ex:p ?o }",
                     "INSERT DATA { ex:a ex:p ex:b }"]
    first, insert, last = (reasoning.as_select(prologue, op) for op in found)
    assert first is None and last is None
    assert insert.select == prologue + "SELECT ?o ?s WHERE { ?s ex:p ?o }"
    assert set(insert.template) == {(1, "<http://example.org/q>", '"a;b"'), (1, "<http://example.org/r>", 0)}
    assert sorted(insert.triples(["12", "<urn:x>"])) == [
        '<urn:x> <http://example.org/q> "a;b" .\n', "<urn:x> <http://example.org/r> 12 .\n"]
    assert list(insert.triples(["<urn:y>", ""])) == []  # ?s unbound: nothing
    for kept in ("INSERT { ?s <urn:p> [ <urn:q> ?o ] } WHERE { ?s <urn:p> ?o }",  # a blank node
                 "INSERT { GRAPH <urn:g> { ?s <urn:p> ?o } } WHERE { ?s <urn:p> ?o }",
                 "INSERT { ?s <urn:p> ?o } USING <urn:g> WHERE { ?s <urn:p> ?o }"):
        assert reasoning.as_select("", kept) is None  # runs as written


def test_an_insert_on_disk_adds_what_it_adds_in_memory(tmp_path):
    data = ('<urn:a> <urn:p> "12"^^<http://www.w3.org/2001/XMLSchema#integer>, '
            '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>, '
            '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>, "t\\tab\\n \\"q\\""@zh, '
            '"x"^^<urn:dt>, <urn:b> .\n'
            '<urn:b> <urn:p> <urn:c> .\n<urn:c> <urn:p> "中文" .\n').replace(", ", " .\n<urn:a> <urn:p> ")
    update = ("PREFIX ex: <urn:>\n"
              "INSERT { ?o ex:back ?s ; ex:next ?n . ?s ex:seen true ; ex:value ?o } "
              "WHERE { ?s ex:p ?o OPTIONAL { ?o ex:p ?n } } ;\n"
              "INSERT { ?s ex:copy [ ex:of ?o ] } WHERE { ?s ex:p ?o FILTER isIRI(?o) }")
    graphs = []
    for store in (MemoryStore(), DiskStore(tmp_path / "store")):
        store.load(data.encode("utf-8"), "nt")
        reasoning.run_update(store, update)
        named = sorted(str(t) for t in store.triples()
                       if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode))
        graphs.append(named)
        assert len([t for t in store.triples() if isinstance(t.subject, ox.BlankNode)]) == 2  # [ ex:of ?o ]
    assert graphs[0] == graphs[1]
    assert "<urn:c> <urn:back> <urn:b>" in graphs[1] and "<urn:b> <urn:next> <urn:c>" in graphs[1]
    assert '<urn:a> <urn:value> "t\\tab\\n \\"q\\""@zh' in graphs[1]
    assert len(graphs[1]) == 8 + 8 + 3 + 2 + 2  # data, values, seen, next, back (IRI subjects only)


def test_a_disk_store_ends_with_the_same_graph_as_memory(tmp_path):
    graphs = []
    for store in (MemoryStore(), DiskStore(tmp_path / "store")):
        iei.load(REGISTER, store=store)
        materialize(store, "sparql-goals")
        # blank nodes (the ontology's class expressions) get new labels in every store
        graphs.append({t for t in store.triples()
                       if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)})
    assert graphs[0] == graphs[1]
    assert len(graphs[0]) > 1000


def test_the_owl_step_names_its_stages_and_the_compaction_on_disk(tmp_path):
    store = DiskStore(tmp_path / "store")
    iei.load(REGISTER, store=store)
    shown: list[str] = []
    result = materialize(store, "sparql-goals", progress=shown.append)
    owl = "OWL 2 RL (sparql-goals)"
    assert shown[:3] == ["classification rules", "implied flows", owl]
    stages = shown[3:-1]
    assert len(stages) > 1
    assert stages == [f"{owl}: stage {n} of {len(stages)}" for n in range(1, len(stages) + 1)]
    assert shown[-1] == f"{owl}: compacting the store"
    assert list(result.steps) == ["classification rules", "implied flows", owl]


def test_a_construct_is_split_per_row_of_its_top_level_values_only():
    block = '{ (<urn:p> "a (b)") (<urn:q> 2) (UNDEF 3) }'
    query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES (?p ?o) {block} ?s ?p ?o "
             "OPTIONAL { VALUES (?x) { (1) (2) } } }")
    rows = ['(<urn:p> "a (b)")', "(<urn:q> 2)", "(UNDEF 3)"]
    assert reasoning.split_values_rows(query) == [query.replace(block, f"{{ {row} }}") for row in rows]
    for unsplit in ("CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?p { <urn:p> <urn:q> } ?s ?p ?o }",
                    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o { VALUES (?p) { (<urn:p>) (<urn:q>) } } }",
                    "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?p) { (<urn:p>) } ?s ?p ?o }"):
        assert reasoning.split_values_rows(unsplit) == [unsplit]
    named = "CONSTRUCT { ?s ?p ?values } WHERE { ?s ?p ?values . VALUES (?s) { (<urn:a>) (<urn:b>) } }"
    assert len(reasoning.split_values_rows(named)) == 2  # ?values is a variable, not the keyword


def test_each_classification_rule_split_per_row_gives_the_whole_answer():
    kg = iei.load(DEMO)
    reasoning.run_update(kg.store, ontology_text("rules/implied-flows.ru"))
    text = ontology_text("rules/classify.ru")
    prologue = reasoning.prologue(text)
    split = 0
    for operation in reasoning.operations(text):
        insert = reasoning.as_select(prologue, operation)
        if insert is None:
            continue
        parts = reasoning.split_values_rows(insert.select)
        whole = Counter(tuple(map(str, row)) for row in kg.store.query(insert.select))
        assert sum((Counter(tuple(map(str, row)) for row in kg.store.query(part)) for part in parts),
                   Counter()) == whole
        split += len(parts) > 1 and bool(whole)
    assert split == 2  # the directions of flows and of activities (the patterns need the modes first)


def test_a_template_of_constants_is_added_once_when_the_pattern_matches(tmp_path):
    store = DiskStore(tmp_path / "store")
    store.load(b"<urn:a> <urn:p> <urn:b> .\n<urn:b> <urn:p> <urn:c> .\n", "nt")
    reasoning.run_update(store, "INSERT { <urn:x> <urn:seen> true } WHERE { ?s <urn:p> ?o } ;\n"
                                "INSERT { <urn:y> <urn:seen> true } WHERE { ?s <urn:none> ?o }")
    assert sorted(str(t) for t in store.triples() if t.predicate == ox.NamedNode("urn:seen")) == [
        '<urn:x> <urn:seen> "true"^^<http://www.w3.org/2001/XMLSchema#boolean>']
