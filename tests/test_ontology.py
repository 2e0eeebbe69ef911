"""The ontology parses and passes a lint in the spirit of the OOPS! pitfall catalogue.

Checked: both parsers read it; header metadata; every iei: term has en+zh labels, an English
definition and rdfs:isDefinedBy; properties have domain and range (exceptions listed below with
their reason); every iei: IRI used is declared; no subclass cycles; every concept has a notation
and a scheme; the codes of PRODUCT.md exist; the 18 implied-flow rules match PRODUCT.md section 4;
and iei_onto/namespace.py is what scripts/gen_namespace.py generates.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "iei.ttl"
IEI = Namespace("https://w3id.org/iei/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/iei/ontology")
VANN = Namespace("http://purl.org/vocab/vann/")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")

# Properties without rdfs:range, each with the reason (OOPS! P11 asks for a reason when one is missing).
NO_RANGE = {
    IEI.fromSide: "the value is a side class used as an individual (punning): a range would be a metaclass",
    IEI.toSide: "the value is a side class used as an individual (punning): a range would be a metaclass",
}
# Properties without rdfs:domain, with the reason.
NO_DOMAIN: dict[URIRef, str] = {}


@pytest.fixture(scope="module")
def g() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def iei_terms(g: Graph) -> set[URIRef]:
    """Every iei: IRI that is declared (has an rdf:type) in the ontology."""
    return {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(IEI))}


def literals(g: Graph, s: URIRef, *predicates: URIRef) -> list[Literal]:
    return [o for p in predicates for o in g.objects(s, p) if isinstance(o, Literal)]


def languages(g: Graph, s: URIRef, *predicates: URIRef) -> set[str | None]:
    return {lit.language for lit in literals(g, s, *predicates)}


def concepts_of(g: Graph, scheme: URIRef) -> dict[str, URIRef]:
    """Map notation → concept for the concepts in ``scheme``."""
    return {str(g.value(c, SKOS.notation)): c for c in g.subjects(SKOS.inScheme, scheme)}


# --- parsing and header ---------------------------------------------------------------------------


def test_parses_with_rdflib_and_pyoxigraph_to_the_same_triples(g: Graph) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(ONTOLOGY), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(g)
    assert len(g) > 1500


def test_header_metadata(g: Graph) -> None:
    o = ONTOLOGY_IRI
    assert (o, RDF.type, OWL.Ontology) in g
    assert languages(g, o, DCTERMS.title) == {"en", "zh"}
    assert languages(g, o, DCTERMS.description) == {"en", "zh"}
    assert str(g.value(o, DCTERMS.creator)) == "IEI contributors"
    assert str(g.value(o, DCTERMS.created)) == "2026-11-23"
    assert g.value(o, DCTERMS.modified) is not None
    assert g.value(o, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(o, OWL.versionIRI) == URIRef("https://w3id.org/iei/ontology/1.0.0")
    assert str(g.value(o, OWL.versionInfo)) == "1.0.0"
    assert str(g.value(o, VANN.preferredNamespacePrefix)) == "iei"
    assert str(g.value(o, VANN.preferredNamespaceUri)) == "https://w3id.org/iei/ontology#"
    assert languages(g, o, SKOS.editorialNote) == {"en", "zh"}


def test_nothing_is_imported(g: Graph) -> None:
    assert list(g.triples((None, OWL.imports, None))) == []


# --- lint: labels, definitions, declarations -----------------------------------------------------


def test_every_term_has_english_and_chinese_labels(g: Graph) -> None:
    missing = [t for t in iei_terms(g) if not {"en", "zh"} <= languages(g, t, RDFS.label, SKOS.prefLabel)]
    assert sorted(missing) == []


def test_every_term_has_an_english_definition(g: Graph) -> None:
    missing = [t for t in iei_terms(g) if "en" not in languages(g, t, SKOS.definition)]
    assert sorted(missing) == []


def test_every_term_is_defined_by_the_ontology(g: Graph) -> None:
    missing = [t for t in iei_terms(g) if g.value(t, RDFS.isDefinedBy) != ONTOLOGY_IRI]
    assert sorted(missing) == []


def test_every_class_has_a_chinese_definition(g: Graph) -> None:
    classes = [t for t in iei_terms(g) if (t, RDF.type, OWL.Class) in g]
    assert sorted(c for c in classes if "zh" not in languages(g, c, SKOS.definition)) == []


def test_every_property_has_domain_and_range_or_a_listed_reason(g: Graph) -> None:
    properties = [
        t for t in iei_terms(g) if {OWL.ObjectProperty, OWL.DatatypeProperty} & set(g.objects(t, RDF.type))
    ]
    object_properties = [p for p in properties if (p, RDF.type, OWL.ObjectProperty) in g]
    assert (len(object_properties), len(properties) - len(object_properties)) == (24, 15)
    no_domain = {p for p in properties if g.value(p, RDFS.domain) is None}
    no_range = {p for p in properties if g.value(p, RDFS.range) is None}
    assert no_domain == set(NO_DOMAIN)
    assert no_range == set(NO_RANGE)
    for p in no_range:  # the reason is written in the ontology too
        assert "punning" in str(g.value(p, RDFS.comment))


def test_every_iei_iri_used_is_declared(g: Graph) -> None:
    declared = iei_terms(g)
    used = {n for triple in g for n in triple if isinstance(n, URIRef) and n.startswith(str(IEI))}
    assert sorted(used - declared) == []


def test_no_cycles_in_the_class_hierarchy(g: Graph) -> None:
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for child, parent in g.subject_objects(RDFS.subClassOf):
        parents[child].add(parent)

    def ancestors(node: URIRef, path: tuple[URIRef, ...]) -> None:
        for parent in parents.get(node, ()):
            assert parent not in path, f"cycle: {(*path, parent)}"
            ancestors(parent, (*path, parent))

    for cls in list(parents):
        ancestors(cls, (cls,))


def test_disjointness_of_sides_and_record_kinds(g: Graph) -> None:
    members = [set(g.items(g.value(b, OWL.members))) for b in g.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert {IEI.IndustrySideActor, IEI.EducationSideActor, IEI.ThirdPartyActor} in members
    records = {IEI.Organization, IEI.Partnership, IEI.ResourceFlow, IEI.Activity, IEI.Outcome, IEI.FlowRule}
    assert records in members
    assert {IEI.College, IEI.University, IEI.ResearchInstitute} in members
    assert (IEI.Enterprise, OWL.disjointWith, IEI.IndustryAssociation) in g


def test_alignments_with_org_schema_prov_skos(g: Graph) -> None:
    org = Namespace("http://www.w3.org/ns/org#")
    schema = Namespace("https://schema.org/")
    prov = Namespace("http://www.w3.org/ns/prov#")
    expected = [
        (IEI.Organization, RDFS.subClassOf, org.FormalOrganization),
        (IEI.Organization, RDFS.subClassOf, schema.Organization),
        (IEI.Partnership, RDFS.subClassOf, org.OrganizationalCollaboration),
        (IEI.Enterprise, RDFS.subClassOf, schema.Corporation),
        (IEI.College, RDFS.subClassOf, schema.CollegeOrUniversity),
        (IEI.University, RDFS.subClassOf, schema.CollegeOrUniversity),
        (IEI.Government, RDFS.subClassOf, schema.GovernmentOrganization),
        (IEI.ResourceFlow, RDFS.subClassOf, prov.Activity),
        (IEI.ResourceKind, RDFS.subClassOf, SKOS.Concept),
        (IEI.participant, RDFS.subPropertyOf, org.hasMember),
        (IEI.impliedBy, RDFS.subPropertyOf, prov.wasInformedBy),
    ]
    assert [t for t in expected if t not in g] == []


# --- concept schemes and codes --------------------------------------------------------------------

SCHEME_CLASS = {
    IEI.ResourceKinds: IEI.ResourceKind,
    IEI.ActivityKinds: IEI.ActivityKind,
    IEI.CooperationModes: IEI.CooperationMode,
    IEI.FlowDirections: IEI.FlowDirection,
    IEI.CooperationPatterns: IEI.CooperationPattern,
    IEI.Indicators: IEI.Indicator,
    IEI.Benefits: IEI.Benefit,
}


def test_every_concept_has_one_notation_a_scheme_and_its_class(g: Graph) -> None:
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == 59
    for c in concepts:
        assert len(list(g.objects(c, SKOS.notation))) == 1, c
        schemes = list(g.objects(c, SKOS.inScheme))
        assert len(schemes) == 1 and schemes[0] in SCHEME_CLASS, c
        assert (c, RDF.type, SCHEME_CLASS[schemes[0]]) in g, c
        assert (c, RDF.type, OWL.NamedIndividual) in g, c
        assert languages(g, c, SKOS.prefLabel) == {"en", "zh"}, c


def test_every_scheme_is_declared(g: Graph) -> None:
    assert set(g.subjects(RDF.type, SKOS.ConceptScheme)) == set(SCHEME_CLASS)


def test_labels_are_unambiguous_within_a_scheme(g: Graph) -> None:
    """A spreadsheet value must match one term only (labels compared case-insensitively)."""
    groups: dict[str, list[URIRef]] = {str(s): list(g.subjects(SKOS.inScheme, s)) for s in SCHEME_CLASS}
    groups["organization types"] = [t for t in iei_terms(g) if g.value(t, SKOS.notation) is not None
                                    and (t, RDF.type, OWL.Class) in g]
    for name, terms in groups.items():
        owner: dict[str, URIRef] = {}
        for t in terms:
            names = {str(x).casefold() for x in literals(g, t, RDFS.label, SKOS.prefLabel, SKOS.altLabel,
                                                            SKOS.notation)}
            for label in names:
                assert owner.setdefault(label, t) == t, f"{name}: {label!r} names {owner[label]} and {t}"


def test_organization_types_match_product_codes(g: Graph) -> None:
    types = {str(g.value(t, SKOS.notation)): t for t in iei_terms(g)
             if (t, RDF.type, OWL.Class) in g and g.value(t, SKOS.notation) is not None}
    assert types == {
        "enterprise": IEI.Enterprise, "industry_association": IEI.IndustryAssociation,
        "college": IEI.College, "vocational_college": IEI.VocationalCollege,
        "university": IEI.University, "research_institute": IEI.ResearchInstitute,
        "government": IEI.Government, "alliance": IEI.Alliance,
    }
    sides = {IEI.Enterprise: IEI.IndustrySideActor, IEI.IndustryAssociation: IEI.IndustrySideActor,
             IEI.College: IEI.EducationSideActor, IEI.University: IEI.EducationSideActor,
             IEI.ResearchInstitute: IEI.EducationSideActor, IEI.Government: IEI.ThirdPartyActor,
             IEI.Alliance: IEI.ThirdPartyActor}
    assert [c for c, side in sides.items() if (c, RDFS.subClassOf, side) not in g] == []
    assert (IEI.VocationalCollege, RDFS.subClassOf, IEI.College) in g


@pytest.mark.parametrize(
    ("cls", "synonyms"),
    [
        (IEI.Enterprise, {"企业", "公司", "company"}),
        (IEI.VocationalCollege, {"职业院校", "高职", "中职"}),
        (IEI.University, {"大学", "本科院校"}),
        (IEI.ResearchInstitute, {"科研院所", "研究院"}),
        (IEI.Government, {"政府", "教育局"}),
        (IEI.Alliance, {"联盟", "职教集团", "产教联合体"}),
        (IEI.IndustryAssociation, {"行业协会"}),
        (IEI.College, {"学院", "学校"}),
    ],
)
def test_organization_types_have_spreadsheet_synonyms(g: Graph, cls: URIRef, synonyms: set[str]) -> None:
    assert synonyms <= {str(x) for x in literals(g, cls, RDFS.label, SKOS.altLabel)}


def test_product_codes_exist_as_notations(g: Graph) -> None:
    assert set(concepts_of(g, IEI.ResourceKinds)) == {
        "funds", "venue", "equipment", "talent", "teachers", "technology", "curriculum", "jobs",
        "information", "training"}
    assert set(concepts_of(g, IEI.ActivityKinds)) == {
        "internship", "apprenticeship", "order_class", "joint_curriculum", "joint_research",
        "training_base", "tech_transfer", "employee_training", "donation", "recruitment"}
    assert set(concepts_of(g, IEI.CooperationModes)) == {"two_way", "unilateral", "none"}
    assert set(concepts_of(g, IEI.FlowDirections)) == {"industry_to_education", "education_to_industry"}
    assert set(concepts_of(g, IEI.CooperationPatterns)) == {
        "integration_of_production_and_education", "school_enterprise_cooperation",
        "industry_university_cooperation", "work_integrated_learning"}
    assert {"employment_rate", "matched_employment_rate", "enterprise_investment", "students_trained",
            "interns_hosted", "patents", "joint_projects", "teachers_from_enterprises",
            "first_time_employment_rate", "double_certificate_rate", "dual_qualified_teacher_ratio",
            "order_class_students", "equipment_value_invested", "internship_bases",
            "training_bases_co_built", "tech_service_income"} <= set(concepts_of(g, IEI.Indicators))
    assert set(concepts_of(g, IEI.Benefits)) == {
        "education_quality", "optimized_industrial_structure", "industrial_competitiveness", "employment",
        "talent_training_quality", "technological_innovation", "economic_development"}


@pytest.mark.parametrize(
    ("concept", "synonyms"),
    [
        (IEI.Funds, {"资金", "经费", "money"}),
        (IEI.Venue, {"场地", "场所", "site"}),
        (IEI.Equipment, {"设备", "设施"}),
        (IEI.Talent, {"人才", "毕业生", "graduates"}),
        (IEI.Teachers, {"师资", "导师", "mentors"}),
        (IEI.Technology, {"技术", "专利"}),
        (IEI.Curriculum, {"课程", "教材"}),
        (IEI.Jobs, {"岗位", "就业岗位"}),
        (IEI.Information, {"信息"}),
        (IEI.Training, {"培训"}),
    ],
)
def test_resource_kinds_have_spreadsheet_synonyms(g: Graph, concept: URIRef, synonyms: set[str]) -> None:
    assert synonyms <= {str(x) for x in literals(g, concept, SKOS.prefLabel, SKOS.altLabel)}


def test_indicators_have_units_ranges_and_benefits(g: Graph) -> None:
    units = {"%", "persons", "CNY", "count", "10k CNY", "person-months"}
    for code, ind in concepts_of(g, IEI.Indicators).items():
        unit = str(g.value(ind, IEI.unit))
        assert unit in units, code
        assert g.value(ind, IEI.minValue) == Literal("0", datatype=XSD_DECIMAL), code
        max_value = g.value(ind, IEI.maxValue)
        assert (max_value is not None and float(max_value) == 100.0) == (unit == "%"), code
        assert set(g.objects(ind, IEI.evidences)) <= set(concepts_of(g, IEI.Benefits).values())
        assert list(g.objects(ind, IEI.evidences)), code
    assert str(g.value(IEI.EmploymentRate, IEI.unit)) == "%"
    assert set(g.objects(IEI.EmploymentRate, IEI.evidences)) == {IEI.Employment}
    assert str(g.value(IEI.Patents, IEI.unit)) == "count"


def test_every_activity_kind_contributes_to_a_benefit(g: Graph) -> None:
    benefits = set(concepts_of(g, IEI.Benefits).values())
    for code, kind in concepts_of(g, IEI.ActivityKinds).items():
        assert set(g.objects(kind, IEI.contributesTo)), code
        assert set(g.objects(kind, IEI.contributesTo)) <= benefits, code
    every_benefit_is_used = {b for k in concepts_of(g, IEI.ActivityKinds).values()
                             for b in g.objects(k, IEI.contributesTo)}
    assert every_benefit_is_used == benefits


def test_school_enterprise_cooperation_notes_its_source_and_the_policy_usage(g: Graph) -> None:
    concept = IEI.SchoolEnterpriseCooperation
    note = " ".join(str(x) for x in literals(g, concept, SKOS.scopeNote) if x.language == "en")
    assert "校企合作" in note and "one-way" in note and "产教融合" in note
    seed = URIRef("https://w3id.org/iei/source/vocational-education-alliance-definition")
    assert (concept, DCTERMS.source, seed) in g
    assert (seed, RDF.type, DCTERMS.BibliographicResource) in g
    assert g.value(seed, DCTERMS.title) is not None


def test_every_source_is_a_described_bibliographic_resource(g: Graph) -> None:
    for source in set(g.objects(None, DCTERMS.source)):
        assert (source, RDF.type, DCTERMS.BibliographicResource) in g, source
        assert g.value(source, DCTERMS.title) is not None, source


# --- implied-flow rules ---------------------------------------------------------------------------

# PRODUCT.md section 4, written out by hand: (activity code, resource code, from side, to side).
PRODUCT_TABLE = {
    ("internship", "venue", "industry", "education"),
    ("internship", "talent", "education", "industry"),
    ("apprenticeship", "teachers", "industry", "education"),
    ("apprenticeship", "venue", "industry", "education"),
    ("apprenticeship", "talent", "education", "industry"),
    ("order_class", "jobs", "industry", "education"),
    ("order_class", "talent", "education", "industry"),
    ("joint_curriculum", "information", "industry", "education"),
    ("joint_curriculum", "curriculum", "education", "industry"),
    ("joint_research", "funds", "industry", "education"),
    ("joint_research", "technology", "education", "industry"),
    ("training_base", "venue", "industry", "education"),
    ("training_base", "equipment", "industry", "education"),
    ("tech_transfer", "technology", "education", "industry"),
    ("employee_training", "training", "education", "industry"),
    ("donation", "funds", "industry", "education"),
    ("recruitment", "jobs", "industry", "education"),
    ("recruitment", "talent", "education", "industry"),
}
SIDE = {IEI.IndustrySideActor: "industry", IEI.EducationSideActor: "education"}


def test_the_18_flow_rules_match_the_product_table(g: Graph) -> None:
    rules = set(g.subjects(RDF.type, IEI.FlowRule))
    assert len(rules) == 18
    found = set()
    for kind, rule in g.subject_objects(IEI.impliesFlow):
        resource = g.value(rule, IEI.ruleResource)
        found.add((str(g.value(kind, SKOS.notation)), str(g.value(resource, SKOS.notation)),
                   SIDE[g.value(rule, IEI.fromSide)], SIDE[g.value(rule, IEI.toSide)]))
    assert found == PRODUCT_TABLE
    assert {r for _, r in g.subject_objects(IEI.impliesFlow)} == rules


def test_flow_rules_are_named_after_activity_and_resource(g: Graph) -> None:
    assert (IEI.Internship, IEI.impliesFlow, IEI.InternshipGivesVenue) in g
    assert g.value(IEI.InternshipGivesVenue, IEI.ruleResource) == IEI.Venue
    for rule in g.subjects(RDF.type, IEI.FlowRule):
        resource_name = str(g.value(rule, IEI.ruleResource)).split("#")[1]
        assert str(rule).endswith("Gives" + resource_name), rule


# --- the generated namespace ----------------------------------------------------------------------


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen_namespace", ROOT / "scripts" / "gen_namespace.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_namespace"] = module
    spec.loader.exec_module(module)
    return module


def test_namespace_module_is_up_to_date(tmp_path: Path) -> None:
    generator = _load_generator()
    out = tmp_path / "namespace.py"
    assert generator.main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == (ROOT / "iei_onto" / "namespace.py").read_text(encoding="utf-8")


def test_namespace_generation_is_deterministic() -> None:
    generator = _load_generator()
    assert generator.generate() == generator.generate()


def test_namespace_is_closed_and_covers_every_term(g: Graph) -> None:
    from iei_onto.namespace import IEI as NS

    for term in iei_terms(g):
        name = str(term)[len(str(IEI)):]
        assert getattr(NS, name) == term
    assert NS.TwoWayPartnership == IEI.TwoWayPartnership
    with pytest.raises(AttributeError):
        NS.TwoWayPartnershp  # noqa: B018  (a typo must fail)
