"""Classification of PRODUCT.md section 4: hand-made cases, the demo, a property test against an
independent reference, and rules edited in Turtle."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import iei_onto as iei
from iei_onto.classification import Classification, classify, explain, organization_profiles
from iei_onto.errors import InputError
from iei_onto.model import DATA_BASE, Vocabulary
from iei_onto.reasoning import materialize
from iei_onto.resources import ontology_text
from iei_onto.store import DiskStore, MemoryStore
from iei_onto.tables import TableLoader, table_sources

HERE = Path(__file__).parent
REGISTER = HERE / "data" / "classification" / "register"
DEMO = HERE.parent / "examples" / "demo"

IOPE = "integration_of_production_and_education"
SEC = "school_enterprise_cooperation"
IUC = "industry_university_cooperation"
WIL = "work_integrated_learning"
I2E, E2I = "industry_to_education", "education_to_industry"

#: partnership → (mode, direction, patterns, declared_mode, mismatch, evidence), worked out by hand
EXPECTED: dict[str, tuple] = {
    "P01": ("two_way", None, (IOPE,), None, False, ("F01", "F02")),
    "P02": ("unilateral", I2E, (SEC,), None, False, ("F03",)),
    "P03": ("unilateral", E2I, (SEC,), None, False, ("F04",)),
    "P04": ("none", None, (), None, False, ()),
    "P05": ("none", None, (), None, False, ()),                      # same-side flows only
    "P06": ("none", None, (), None, False, ()),                      # third-party flows only
    "P07": ("unilateral", I2E, (SEC,), None, False, ("F10",)),       # F09 from the government
    "P08": ("two_way", None, (IOPE, WIL), None, False, ("A01",)),    # internship
    "P09": ("two_way", None, (IOPE, WIL), None, False, ("A02",)),    # apprenticeship
    "P10": ("two_way", None, (IOPE, WIL), None, False, ("A03",)),    # order class
    "P11": ("two_way", None, (IOPE,), None, False, ("A04",)),        # joint curriculum
    "P12": ("two_way", None, (IOPE,), None, False, ("A05",)),        # joint research
    "P13": ("unilateral", I2E, (SEC,), None, False, ("A06",)),       # training base
    "P14": ("unilateral", E2I, (SEC,), None, False, ("A07",)),       # tech transfer
    "P15": ("unilateral", E2I, (SEC,), None, False, ("A08",)),       # employee training
    "P16": ("unilateral", I2E, (SEC,), None, False, ("A09",)),       # donation
    "P17": ("two_way", None, (IOPE,), None, False, ("A10",)),        # recruitment
    "P18": ("two_way", None, (IOPE,), None, False, ("A11", "F11")),  # explicit + implied
    "P19": ("two_way", None, (IUC, IOPE), None, False, ("F12", "F13")),
    "P20": ("unilateral", I2E, (SEC,), None, False, ("F14",)),       # research institute, one-way
    "P21": ("two_way", None, (IOPE,), "unilateral", True, ("F15", "F16")),
    "P22": ("unilateral", I2E, (SEC,), "two_way", True, ("F17",)),
    "P23": ("two_way", None, (IOPE,), "two_way", False, ("F18", "F19")),  # industry association
    "P24": ("none", None, (WIL,), None, False, ()),                  # internship, no education side
    "P25": ("two_way", None, (IOPE, WIL), None, False, ("A13",)),    # three participants
    "P26": ("none", None, (), "unilateral", True, ()),
    "P27": ("two_way", None, (IUC, IOPE), "two_way", False, ("A14",)),  # alliance flow F20 ignored
}


@pytest.fixture(scope="module")
def register() -> iei.KnowledgeGraph:
    kg = iei.load(REGISTER)
    assert kg.validate(shacl=False).ok
    kg.reason("reasonable")
    return kg


@pytest.mark.parametrize("partnership", sorted(EXPECTED))
def test_hand_made_case(register, partnership):
    mode, direction, patterns, declared, mismatch, evidence = EXPECTED[partnership]
    found = {c.partnership: c for c in classify(register.store)}[partnership]
    assert found == Classification(partnership, mode, direction, patterns, declared, mismatch, evidence)


def test_every_partnership_is_classified_once_in_id_order(register):
    assert [c.partnership for c in classify(register.store)] == sorted(EXPECTED)


def test_implied_flows_one_per_activity_rule_and_pair(register):
    # 2+3+2+2+2+2+1+1+1+2 (P08–P17) + 1 (P18) + 0 (P24) + 4 (P25: two enterprises) + 2 (P27)
    assert register.reasoning.implied_flows == 25
    flow = f"<{DATA_BASE}activity/A01/implied/InternshipGivesVenue/E2/C2>"
    rows = list(register.store.query(
        "PREFIX iei: <https://w3id.org/iei/ontology#> SELECT ?a ?p ?from ?to ?r WHERE { "
        f"{flow} a iei:ImpliedFlow ; iei:impliedBy ?a ; iei:flowOf ?p ; iei:provider ?from ; "
        "iei:recipient ?to ; iei:resource ?r }"))
    assert [[t.value for t in row] for row in rows] == [[
        f"{DATA_BASE}activity/A01", f"{DATA_BASE}partnership/P08", f"{DATA_BASE}organization/E2",
        f"{DATA_BASE}organization/C2", "https://w3id.org/iei/ontology#Venue",
    ]]


def test_to_dict_uses_lists_and_none():
    record = Classification("P1", "unilateral", I2E, (SEC,), None, False, ("F1",))
    assert record.to_dict() == {
        "partnership": "P1", "mode": "unilateral", "direction": I2E, "patterns": [SEC],
        "declared_mode": None, "mismatch": False, "evidence": ["F1"],
    }


def test_demo_matches_the_hand_made_expected_classification():
    kg = iei.load(DEMO)
    with (DEMO / "expected-classification.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    found = [{
        "partnership": c.partnership, "mode": c.mode, "direction": c.direction or "",
        "patterns": ";".join(c.patterns), "declared_mode": c.declared_mode or "",
        "mismatch": "true" if c.mismatch else "false", "evidence": ";".join(c.evidence),
    } for c in kg.classify()]
    assert found == expected


# --- explanations and profiles ---------------------------------------------------------------


def test_explain_names_the_organizations_the_flows_and_the_activities(register):
    text = explain(register.store, "P18")
    assert text == (
        "P18 is two-way (integration of production and education / 产教融合): "
        "苏州智造科技有限公司 (industry) gave funds (flow F11) to 苏州工业职业技术学院 (education); "
        "苏州工业职业技术学院 (education) gave technology (implied by technology transfer A11) "
        "to 苏州智造科技有限公司 (industry)."
    )


def test_explain_uses_the_name_without_a_chinese_label_and_reports_the_mismatch(register):
    text = explain(register.store, "P22")
    assert text.startswith("P22 is unilateral")
    assert ("无锡华芯微电子有限公司 (industry) gave funds (flow F17) to Wuxi Technician College "
            "(education)") in text
    assert text.endswith("Declared: two-way → mismatch.")


def test_explain_none(register):
    assert explain(register.store, "P06") == (
        "P06 is none (no cross-side flow): no resource flows between its industry-side and "
        "education-side participants.")


@pytest.mark.parametrize("path", [REGISTER, DEMO], ids=["register", "demo"])
def test_explain_needs_no_owl_step_and_says_the_same_as_after_it(path):
    """``kg.explain`` runs only the classification rules, like ``kg.classify``; every
    partnership's explanation is the one a fully reasoned graph gives."""
    rules_only, reasoned = iei.load(path), iei.load(path)
    reasoned.reason("reasonable")
    ids = [c.partnership for c in reasoned.classify()]
    assert len(ids) > 20
    assert [rules_only.explain(i) for i in ids] == [reasoned.explain(i) for i in ids]
    assert rules_only.reasoning is None


def test_explain_unknown_id(register):
    with pytest.raises(InputError, match="P99"):
        explain(register.store, "P99")


def test_organization_profiles(register):
    profiles = {p.organization: p for p in organization_profiles(register.store)}
    assert sorted(profiles) == ["C1", "C2", "E1", "E2", "G1", "IA1", "L1", "R1", "U1"]
    e1 = profiles["E1"]
    assert (e1.name, e1.name_zh, e1.type, e1.side) == (
        "Suzhou Zhizao Technology", "苏州智造科技有限公司", "enterprise", "industry")
    # explicit: F01 F03 F05 F10 F11 F12 F15; implied: P25 venue (A13), P27 funds (A14)
    assert e1.gave == {"equipment": 1, "funds": 5, "jobs": 1, "venue": 2}
    # F02 F07 F13 F16; implied technology from C1 (A11), talent from C1 (A13), technology from U1 (A14)
    assert e1.received == {"funds": 1, "talent": 3, "technology": 3}
    # P01 P18 P19 P21 P25 P27 two-way; P02 P07 one-way; P04 P05 P06 P24 P26 none
    assert (e1.two_way, e1.unilateral, e1.none) == (6, 2, 5)
    assert e1.partners == 6  # C1 C2 E2 G1 L1 U1
    assert profiles["C2"].name_zh is None and profiles["C2"].type == "college"
    assert profiles["G1"].side == "third_party"


# --- stores and strategies -------------------------------------------------------------------


def test_disk_store_gives_the_same_classification(register, tmp_path):
    kg = iei.load(REGISTER, store=DiskStore(tmp_path / "store"))
    kg.reason("sparql")
    assert kg.classify() == classify(register.store)


def test_sparql_strategy_gives_the_same_classification(register):
    kg = iei.load(REGISTER)
    assert kg.reason("sparql").engine == "sparql"
    assert kg.classify() == classify(register.store)


# --- rules are data: editing the Turtle changes the result -----------------------------------


def _store_with(ontology: str) -> MemoryStore:
    store = MemoryStore()
    store.load(ontology.encode("utf-8"), "ttl")
    loader = TableLoader(Vocabulary(ontology), DATA_BASE)
    sources = [s for f in sorted(REGISTER.glob("*.csv")) for s in table_sources(f)]
    loader.run(sources, lambda text: store.load(text.encode("utf-8"), "nt"), None)
    assert not loader.problems
    return store


def test_editing_an_implied_flow_rule_in_the_turtle_changes_the_classification():
    original = ontology_text()
    # internships no longer imply talent (education → industry); donations also give jobs the
    # other way round (a made-up rule, education → industry), so a donation becomes two-way
    edited = original.replace(
        "iei:impliesFlow iei:InternshipGivesVenue , iei:InternshipGivesTalent ;",
        "iei:impliesFlow iei:InternshipGivesVenue ;",
    ).replace(
        "iei:impliesFlow iei:DonationGivesFunds ;",
        "iei:impliesFlow iei:DonationGivesFunds , iei:DonationGivesJobsBack ;",
    ) + (
        "\niei:DonationGivesJobsBack a iei:FlowRule ; iei:ruleResource iei:Jobs ;"
        " iei:fromSide iei:EducationSideActor ; iei:toSide iei:IndustrySideActor .\n"
    )
    assert edited.count("DonationGivesJobsBack") == 2
    assert "GivesVenue , iei:InternshipGivesTalent" not in edited
    store = _store_with(edited)
    materialize(store, "sparql")
    found = {c.partnership: (c.mode, c.direction) for c in classify(store)}
    assert found["P08"] == ("unilateral", I2E)        # internship only: was two-way
    assert found["P25"] == ("unilateral", I2E)
    assert found["P16"] == ("two_way", None)          # donation: was unilateral
    assert found["P10"] == ("two_way", None)          # order class: unchanged
    unchanged = _store_with(original)
    materialize(unchanged, "sparql")
    assert classify(unchanged) == classify(_reasoned(REGISTER))


def _reasoned(path: Path) -> MemoryStore:
    kg = iei.load(path)
    kg.reason("reasonable")
    return kg.store


# --- property test: the SPARQL path against an independent reference -------------------------

#: PRODUCT.md section 4, the default flows implied by activities (industry → education,
#: education → industry), written again here from the table, independently of the ontology
IMPLIED = {
    "internship": (("venue",), ("talent",)),
    "apprenticeship": (("teachers", "venue"), ("talent",)),
    "order_class": (("jobs",), ("talent",)),
    "joint_curriculum": (("information",), ("curriculum",)),
    "joint_research": (("funds",), ("technology",)),
    "training_base": (("venue", "equipment"), ()),
    "tech_transfer": ((), ("technology",)),
    "employee_training": ((), ("training",)),
    "donation": (("funds",), ()),
    "recruitment": (("jobs",), ("talent",)),
}
SIDE = {"enterprise": "industry", "industry_association": "industry", "college": "education",
        "vocational_college": "education", "university": "education",
        "research_institute": "education", "government": None, "alliance": None}
RESOURCES = ["funds", "venue", "equipment", "talent", "teachers", "technology", "curriculum",
             "jobs", "information", "training"]


def reference(types, partnerships, flows, activities) -> dict[str, tuple]:
    """PRODUCT.md section 4 in plain Python, for the property test."""
    result = {}
    for pid, (members, declared) in partnerships.items():
        ways, evidence = set(), set()
        for fid, (p, provider, recipient, _) in flows.items():
            sides = (SIDE[types[provider]], SIDE[types[recipient]])
            if p == pid and None not in sides and sides[0] != sides[1]:
                ways.add(sides[0])
                evidence.add(fid)
        kinds = set()
        for aid, (p, kind) in activities.items():
            if p != pid:
                continue
            kinds.add(kind)
            sides_present = {SIDE[types[m]] for m in members}
            if {"industry", "education"} <= sides_present:
                to_edu, to_ind = IMPLIED[kind]
                ways |= {"industry"} if to_edu else set()
                ways |= {"education"} if to_ind else set()
                if to_edu or to_ind:
                    evidence.add(aid)
        mode = {0: "none", 1: "unilateral", 2: "two_way"}[len(ways)]
        direction = None
        if mode == "unilateral":
            direction = I2E if ways == {"industry"} else E2I
        patterns = set()
        if mode == "two_way":
            patterns.add(IOPE)
            if {types[m] for m in members} & {"university", "research_institute"}:
                patterns.add(IUC)
        if mode == "unilateral":
            patterns.add(SEC)
        if kinds & {"internship", "apprenticeship", "order_class"}:
            patterns.add(WIL)
        mismatch = declared is not None and declared != mode
        result[pid] = (mode, direction, tuple(sorted(patterns)), declared, mismatch, tuple(sorted(evidence)))
    return result


@st.composite
def registers(draw):
    types = {f"O{i}": draw(st.sampled_from(sorted(SIDE))) for i in range(draw(st.integers(2, 6)))}
    orgs = sorted(types)
    partnerships, flows, activities = {}, {}, {}
    for p in range(draw(st.integers(1, 4))):
        pid = f"P{p}"
        members = draw(st.lists(st.sampled_from(orgs), min_size=2, max_size=4, unique=True))
        partnerships[pid] = (members, draw(st.sampled_from([None, "two_way", "unilateral"])))
        for _ in range(draw(st.integers(0, 3))):
            provider, recipient = draw(st.permutations(members))[:2]
            flows[f"F{len(flows)}"] = (pid, provider, recipient, draw(st.sampled_from(RESOURCES)))
        for _ in range(draw(st.integers(0, 2))):
            activities[f"A{len(activities)}"] = (pid, draw(st.sampled_from(sorted(IMPLIED))))
    return types, partnerships, flows, activities


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), st.sampled_from(["reasonable", "sparql"]))
def test_property_sparql_path_agrees_with_the_reference(data, engine):
    types, partnerships, flows, activities = data
    kg = iei.KnowledgeGraph()
    for oid, kind in types.items():
        kg.add_organization(id=oid, name=f"Org {oid}", type=kind)
    for pid, (members, declared) in partnerships.items():
        kg.add_partnership(id=pid, participants=members, declared_mode=declared or "")
    for fid, (pid, provider, recipient, resource) in flows.items():
        kg.add_flow(id=fid, partnership=pid, provider=provider, recipient=recipient, resource=resource)
    for aid, (pid, kind) in activities.items():
        kg.add_activity(id=aid, partnership=pid, kind=kind)
    kg.reason(engine)
    found = {c.partnership: (c.mode, c.direction, c.patterns, c.declared_mode, c.mismatch, c.evidence)
             for c in kg.classify()}
    assert found == reference(types, partnerships, flows, activities)


@pytest.mark.parametrize("engine", ["sparql", "reasonable"])
def test_endpoint_store_gives_the_same_classification_and_explanations(register, oxigraph_server, engine):
    store = iei.EndpointStore(oxigraph_server + "/query", oxigraph_server + "/update")
    kg = iei.load(REGISTER, store=store)
    assert kg.reason(engine).engine == engine
    assert kg.classify() == classify(register.store)
    assert kg.explain("P18") == explain(register.store, "P18")
    assert organization_profiles(store) == organization_profiles(register.store)
