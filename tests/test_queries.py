"""The query catalog on the demo register: rows worked out by hand from examples/demo/*.csv.

Every expectation below was computed from the CSV tables and the rules of PRODUCT.md §4
(implied flows from the activity table, sides from the organization types), not by running
the queries. Where the demo has no case (no one-way organization, no isolated one), a few
records are added in code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

import iei_onto as iei
from iei_onto import queries
from iei_onto.errors import InputError
from iei_onto.queries import (
    NARROW_VALUES_LIMIT,
    VOCABULARY_TYPES,
    QueryResult,
    bind_params,
    catalog,
    catalog_markdown,
    check_query,
    get_query,
    load_query_file,
    narrowable_groups,
    narrowed,
    run_query,
)
from iei_onto.store import serialize_sorted

ROOT = Path(__file__).resolve().parent.parent
JINJIHU = "Suzhou Jinjihu Vocational and Technical College"


def pick(result: QueryResult, *columns: str) -> list[tuple]:
    """The rows of ``result`` reduced to ``columns``."""
    index = [result.columns.index(c) for c in columns]
    return [tuple(row[i] for i in index) for row in result]


@pytest.fixture(scope="module")
def extended_kg():
    """The demo plus one enterprise that only receives, one college that only gives (and gets
    nothing from industry), and a government office in no partnership."""
    kg = iei.load(ROOT / "examples" / "demo")
    kg.add_organization(id="ORG090", name="Test Receiver Ltd.", name_zh="测试接收公司",
                        type="enterprise", region="江苏")
    kg.add_organization(id="ORG091", name="Test Giving College", name_zh="测试职院",
                        type="vocational_college", region="江苏")
    kg.add_organization(id="ORG092", name="Test Bureau", type="government", region="浙江")
    kg.add_partnership(id="P090", participants="ORG090;ORG091")
    kg.add_flow(id="F900", partnership="P090", provider="ORG091", recipient="ORG090",
                resource="talent", quantity="5", date="2024-07-01")
    kg.reason()
    return kg


# --- the catalog itself -------------------------------------------------------------------


def test_catalog_has_at_least_twenty_documented_queries():
    queries = catalog()
    assert len(queries) >= 20
    assert [q.name for q in queries] == sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    for q in queries:
        assert q.title and q.title_zh and q.question and q.question_zh and q.columns, q.name
        # a parameter may share its column's name only when it joins on it (a code)
        shared = {p.name for p in q.params} & set(q.columns)
        assert all(q.param(n).type in VOCABULARY_TYPES for n in shared), q.name


def test_header_is_parsed():
    q = get_query("enterprise_contribution_breadth")
    assert q.title == "Enterprises by breadth of contribution"
    assert q.question_zh.startswith("哪些企业向教育方提供的资源种类最多")
    region, minimum = q.params
    assert (region.name, region.type, region.optional, region.default) == ("region", "string", True, None)
    assert (minimum.name, minimum.type, minimum.optional, minimum.default) == (
        "min_resources", "integer", True, "1")
    assert q.columns[:3] == ["enterprise", "name", "name_zh"]
    required = get_query("partners_of_partners").params[0]
    assert (required.name, required.type, required.optional) == ("organization", "organization", False)


def test_every_catalog_query_returns_its_declared_columns(demo_kg):
    needed = {"organization": "ORG026", "partnership": "P012"}
    for q in catalog():
        params = {p.name: needed[p.name] for p in q.params if not p.optional}
        assert demo_kg.query(q.name, **params).columns == q.columns, q.name


def test_docs_match_the_catalog():
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == catalog_markdown()


# --- who gives what to whom ---------------------------------------------------------------


def test_resource_flows_of_a_government(demo_kg):
    rows = demo_kg.query("resource_flows", organization="ORG039").rows()
    bureau = "Suzhou Municipal Education Bureau"
    assert rows == [
        ("P003", "F008", None, "ORG039", bureau, "ORG026", JINJIHU, "funds", 300000.0, "CNY", None, 2022),
        ("P052", "F100", None, "ORG039", bureau, "ORG026", JINJIHU, "funds", 1000000.0, "CNY", None, 2022),
    ]


def test_resource_flows_explicit_and_implied_by_label_and_year(demo_kg):
    # talent received by ORG015 in 2022: F091 (P047) and the apprenticeship A081 (P061)
    result = demo_kg.query("resource_flows", organization="ORG015", resource="人才", year=2022)
    assert pick(result, "partnership", "flow", "implied_by", "provider", "recipient", "resource",
                "quantity", "flow_year") == [
        ("P047", "F091", None, "ORG035", "ORG015", "talent", 8.0, 2022),
        ("P061", None, "A081", "ORG031", "ORG015", "talent", None, 2022),
    ]


def test_flows_by_organization_of_a_government(demo_kg):
    rows = demo_kg.query("flows_by_organization", side="third_party", region="山东").rows()
    assert rows == [("ORG040", "Qingdao Municipal Development and Reform Commission",
                     "青岛市发展和改革委员会", "third_party", "gives", "funds", "CNY", 4, 850000.0, 0)]


def test_flows_by_side_in_2020(demo_kg):
    # explicit F005, F061; implied by A004, A037 (joint research) and A056 (donation)
    rows = demo_kg.query("flows_by_side", year=2020).rows()
    assert rows == [
        ("education", "industry", "technology", None, 2, 2, None, 0),
        ("industry", "education", "funds", None, 3, 3, None, 0),
        ("industry", "education", "funds", "CNY", 2, 0, 2800000.0, 0),
    ]


def test_flows_by_resource_given_by_third_parties(demo_kg):
    rows = demo_kg.query("flows_by_resource", side="third_party").rows()
    assert rows == [
        ("funds", "Funds", "资金", 9, 9, 0, 4, 8, 0),
        ("information", "Information", "信息", 3, 3, 0, 2, 3, 0),
    ]


def test_flows_by_year_of_third_party_funds(demo_kg):
    rows = demo_kg.query("flows_by_year", resource="funds", side="third_party").rows()
    assert rows == [(2022, "funds", "CNY", 6, 2300000.0, 0), (2023, "funds", "CNY", 3, 350000.0, 0)]


# --- modes ----------------------------------------------------------------------------------


def test_two_way_partnerships_with_filters(demo_kg):
    assert len(demo_kg.query("two_way_partnerships")) == 33
    result = demo_kg.query("two_way_partnerships", region="江苏", year=2024, participant_type="大学")
    assert result.column("partnership") == ["P002", "P023", "P059"]
    assert result.rows()[0] == (
        "P002", "Jinling Robotics - Jiangnan Tech Joint Lab", "ORG020;ORG034", "江苏",
        "industry_university_cooperation;integration_of_production_and_education",
        "A004;A005;F005;F006;F007")


def test_two_way_partnerships_by_industry_and_college_type(demo_kg):
    # 现代农业 participants: ORG010, ORG022, ORG033; two-way: P011, P020; college subclass counts
    result = demo_kg.query("two_way_partnerships", industry="现代农业", participant_type="college")
    assert result.column("partnership") == ["P011", "P020"]


def test_unilateral_partnerships_education_to_industry_in_hubei(demo_kg):
    rows = demo_kg.query("unilateral_partnerships", direction="education_to_industry",
                         region="湖北").rows()
    assert rows == [("P047", "Central China Engineering Talent for Hanjiang", "ORG015;ORG035",
                     "湖北", "education_to_industry", "A072;F091")]


def test_no_flow_partnerships_in_guangdong(demo_kg):
    rows = demo_kg.query("no_flow_partnerships", region="广东").rows()
    assert rows == [
        ("P051", "Huaxin - Pengcheng Engineer Exchange", "ORG002;ORG006", "广东;江苏", None, 0, 1),
        ("P056", "青岛发改委与南山联合体经验交流", "ORG040;ORG042", "山东;广东", None, 1, 0),
        ("P066", "Shunde - Guanggu Equipment Donation", "ORG008;ORG014", "广东;湖北", None, 1, 1),
    ]


def test_mode_mismatches(demo_kg):
    assert demo_kg.query("mode_mismatches").column("partnership") == [
        "P006", "P018", "P025", "P029", "P030", "P034", "P039", "P042", "P045", "P048",
        "P049", "P052", "P053"]
    rows = demo_kg.query("mode_mismatches", region="上海", declared="two_way").rows()
    assert rows == [("P039", "Lingang Logistics Warehouse Training", "ORG019;ORG032", "two_way",
                     "unilateral", "industry_to_education", "F078;F079")]


def test_pattern_counts(demo_kg):
    assert demo_kg.query("pattern_counts").rows() == [
        ("industry_university_cooperation", "Industry-university cooperation", "产学合作", 12),
        ("integration_of_production_and_education", "Integration of production and education",
         "产教融合", 33),
        ("school_enterprise_cooperation", "School-enterprise cooperation", "校企合作", 22),
        ("work_integrated_learning", "Work-integrated learning", "工学结合", 17),
    ]


def test_partnerships_by_region_in_agriculture(demo_kg):
    rows = demo_kg.query("partnerships_by_region", industry="现代农业").rows()
    assert rows == [("山东", "two_way", 1), ("山东", "unilateral", 2),
                    ("湖北", "two_way", 1), ("湖北", "unilateral", 1)]


# --- organizations --------------------------------------------------------------------------


def test_no_one_way_organization_in_the_demo(demo_kg):
    # every enterprise and college of the demo both gives and receives (implied flows included)
    assert demo_kg.query("one_way_organizations").rows() == []
    assert demo_kg.query("colleges_without_industry_input").rows() == []
    assert demo_kg.query("isolated_organizations").rows() == []


def test_one_way_organizations(extended_kg):
    rows = extended_kg.query("one_way_organizations").rows()
    assert rows == [
        ("ORG091", "Test Giving College", "测试职院", "vocational_college", "education", "gives",
         1, "talent"),
        ("ORG090", "Test Receiver Ltd.", "测试接收公司", "enterprise", "industry", "receives",
         1, "talent"),
    ]
    assert extended_kg.query("one_way_organizations", side="industry", role="gives").rows() == []


def test_colleges_without_industry_input(extended_kg):
    rows = extended_kg.query("colleges_without_industry_input", region="江苏").rows()
    assert rows == [("ORG091", "Test Giving College", "测试职院", "vocational_college", 1, 1, 0)]


def test_isolated_organizations(extended_kg):
    assert extended_kg.query("isolated_organizations").rows() == [
        ("ORG092", "Test Bureau", None, "government", "浙江")]
    assert extended_kg.query("isolated_organizations", side="industry").rows() == []


def test_enterprise_contribution_breadth_in_hubei(demo_kg):
    rows = demo_kg.query("enterprise_contribution_breadth", region="湖北").rows()
    assert rows == [
        ("ORG015", "Xiangyang Hanjiang Auto Parts Co., Ltd.", "襄阳汉江汽车零部件有限公司", 3,
         "jobs;teachers;venue", 2, 3, 0),
        ("ORG022", "Yichang Sanxia Agricultural Development Co., Ltd.", "宜昌三峡农业发展有限公司", 3,
         "information;training;venue", 1, 2, 0),
        ("ORG014", "Wuhan Guanggu Intelligent Manufacturing Co., Ltd.", "武汉光谷智能制造有限公司", 2,
         "funds;venue", 2, 3, 1500000.0),
    ]


def test_enterprise_contribution_breadth_minimum(demo_kg):
    result = demo_kg.query("enterprise_contribution_breadth", min_resources=6)
    assert pick(result, "enterprise", "resources_given", "resource_list", "two_way_partnerships",
                "partnerships", "amount_cny") == [
        ("ORG006", 6, "equipment;funds;information;jobs;teachers;venue", 3, 5, 3020000.0)]


def test_third_party_connections_in_jiangsu(demo_kg):
    result = demo_kg.query("third_party_connections", region="江苏")
    assert pick(result, "third_party", "org_type", "partnership", "partnership_mode",
                "industry_participants", "education_participants", "flows_given",
                "flows_received") == [
        ("ORG039", "government", "P003", "two_way", "ORG002", "ORG026", 1, 0),
        ("ORG039", "government", "P052", "none", None, "ORG026", 1, 0),
        ("ORG041", "alliance", "P053", "none", "ORG001", "ORG026", 1, 1),
        ("ORG041", "alliance", "P057", "none", "ORG020;ORG023", None, 1, 0),
        ("ORG041", "alliance", "P059", "two_way", "ORG020", "ORG026;ORG034", 1, 0),
    ]


def test_organization_partners(demo_kg):
    result = demo_kg.query("organization_partners", organization="ORG039")
    assert pick(result, "partner", "partnership", "partnership_mode") == [
        ("ORG002", "P003", "two_way"), ("ORG026", "P003", "two_way"), ("ORG026", "P052", "none")]


def test_partners_of_partners(demo_kg):
    result = demo_kg.query("partners_of_partners", organization="ORG039")
    assert pick(result, "candidate", "via") == [
        ("ORG001", "ORG026"), ("ORG003", "ORG026"), ("ORG006", "ORG002"), ("ORG020", "ORG026"),
        ("ORG023", "ORG026"), ("ORG027", "ORG026"), ("ORG034", "ORG026"), ("ORG041", "ORG026")]
    assert result.rows()[2][4] == "Wuxi Huaxin Microelectronics Co., Ltd."


# --- activities, research, benefits, indicators ----------------------------------------------


def test_work_integrated_learning_in_hubei_2024(demo_kg):
    rows = demo_kg.query("work_integrated_learning", region="湖北", year=2024).rows()
    assert rows == [("P019", "汉江汽车零部件学徒制班", "two_way", 0, 1, 0, 28),
                    ("P061", "NEV Parts Apprenticeship Consortium", "two_way", 0, 1, 0, 24)]


def test_work_integrated_learning_counts_students(demo_kg):
    result = demo_kg.query("work_integrated_learning")
    assert len(result) == 17
    # P001: order class A001 (45) and internship A003 (30); the training base is not counted
    assert result.rows()[0] == ("P001", "苏州智造智能制造产业学院", "two_way", 1, 0, 1, 75)


def test_industry_university_research_in_beijing(demo_kg):
    # P009: technology F031 plus implied by A020 (tech transfer) and A021 (joint research)
    rows = demo_kg.query("industry_university_research", region="北京").rows()
    assert rows == [("P009", "中关村数智—京华大学数据智能合作", "ORG036", "ORG016", 3, 2)]


def test_partnership_benefits(demo_kg):
    rows = demo_kg.query("partnership_benefits", region="北京",
                         benefit="technological_innovation").rows()
    assert rows == [("P009", "中关村数智—京华大学数据智能合作", "technological_innovation",
                     "Technological innovation", "促进科技创新", 2, "joint_research;tech_transfer")]


def test_indicator_values(demo_kg):
    rows = demo_kg.query("indicator_values", organization="ORG038").rows()
    name, name_zh = "Sichuan Institute of Electronic Technology", "四川省电子技术研究所"
    assert rows == [("ORG038", name, name_zh, "patents", "专利数", 2023, 9.0, "count"),
                    ("ORG038", name, name_zh, "patents", "专利数", 2024, 12.0, "count")]
    result = demo_kg.query("indicator_values", indicator="就业率", side="education", organization="ORG026")
    assert pick(result, "year", "value", "unit") == [(2022, 96.2, "%"), (2023, 96.6, "%"), (2024, 97.0, "%")]


def test_indicator_change(demo_kg):
    rows = demo_kg.query("indicator_change", organization="ORG026",
                         indicator="matched_employment_rate").rows()
    assert rows == [
        ("ORG026", JINJIHU, "matched_employment_rate", "%", 2022, 2023, 78.5, 79.6, 1.1),
        ("ORG026", JINJIHU, "matched_employment_rate", "%", 2023, 2024, 79.6, 80.7, 1.1),
    ]


def test_partnership_flows(demo_kg):
    rows = demo_kg.query("partnership_flows", partnership="P012").rows()
    implied = [(None, a, "ORG026", org, "training", None, None, None, "education_to_industry", True)
               for a in ("A026", "A027") for org in ("ORG001", "ORG020", "ORG023")]
    assert rows == [
        *implied,
        ("F040", None, "ORG023", "ORG026", "information", None, None, None, "industry_to_education", True),
        ("F041", None, "ORG026", "ORG023", "training", None, None, 200.0, "education_to_industry", True),
        ("F042", None, "ORG001", "ORG020", "technology", None, None, 1.0, "", False),
    ]


# --- parameters: safety and errors --------------------------------------------------------

INJECTIONS = [
    'x" } ; DROP ALL ; #',
    '江苏"',
    "江苏 }",
    "江苏 # comment",
    "江苏\n} UNION { ?p ?q ?r",
    "SERVICE <http://x> { ?s ?p ?o }",
    '") } ; INSERT DATA { <http://x> <http://x> <http://x> } #',
    "' || true || '",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_through_parameters_changes_nothing(extended_kg, value):
    before = len(extended_kg.store)
    assert extended_kg.query("two_way_partnerships", region=value).rows() == []
    assert extended_kg.query("flows_by_organization", region=value).rows() == []
    assert extended_kg.query("partners_of_partners", organization=value).rows() == []
    assert extended_kg.query("partnership_benefits", benefit=value).rows() == []
    assert len(extended_kg.store) == before


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_through_typed_parameters_is_refused(extended_kg, value):
    with pytest.raises(InputError, match="year="):
        extended_kg.query("two_way_partnerships", year=value)
    with pytest.raises(InputError, match="resource="):
        extended_kg.query("resource_flows", resource=value)


def test_injection_through_an_untyped_user_query(demo_kg, tmp_path):
    path = tmp_path / "by_region.rq"
    path.write_text("PREFIX dcterms: <http://purl.org/dc/terms/>\n"
                    "SELECT ?id WHERE { ?o dcterms:identifier ?id ;\n"
                    "  <https://w3id.org/iei/ontology#region> ?region } ORDER BY ?id\n",
                    encoding="utf-8")
    assert run_query(demo_kg.store, str(path), {"region": "北京"}).column("id") == [
        "ORG016", "ORG017", "ORG036"]
    before = len(demo_kg.store)
    for value in INJECTIONS:
        assert run_query(demo_kg.store, str(path), {"region": value}).rows() == []
    assert len(demo_kg.store) == before


def test_unknown_query_name_suggests_close_ones(demo_kg):
    with pytest.raises(InputError, match="unknown query 'two_way_partnership': did you mean "
                                         "two_way_partnerships"):
        demo_kg.query("two_way_partnership")


def test_unknown_parameter_lists_the_allowed_ones(demo_kg):
    with pytest.raises(InputError, match="has no parameter province: its parameters are "
                                         "region, industry, year, participant_type"):
        demo_kg.query("two_way_partnerships", province="江苏")


def test_missing_required_parameter(demo_kg):
    with pytest.raises(InputError, match="needs the parameter organization"):
        demo_kg.query("partners_of_partners")


def test_value_that_does_not_convert(demo_kg):
    with pytest.raises(InputError, match=r"parameter year='abc': not a whole number \(integer expected\)"):
        demo_kg.query("two_way_partnerships", year="abc")
    with pytest.raises(InputError, match="not a side"):
        demo_kg.query("flows_by_resource", side="both")
    with pytest.raises(InputError, match="not a known resource"):
        demo_kg.query("resource_flows", resource="gold")


def test_syntax_error_in_a_user_file_gives_line_and_column(demo_kg, tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("# title: Broken\nSELECT ?s WHERE {\n  ?s ?p ex:thing .\n}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.rq: SPARQL syntax error at line 3, column 17: "
                                         r"undeclared prefix"):
        demo_kg.query(str(path))


def test_missing_user_file(demo_kg, tmp_path):
    with pytest.raises(InputError, match="no such query file"):
        demo_kg.query(str(tmp_path / "nothing.rq"))


def test_federated_queries_are_refused(demo_kg):
    with pytest.raises(InputError, match="SERVICE"):
        demo_kg.query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_user_file_with_typed_header(demo_kg, tmp_path):
    path = tmp_path / "founded.rq"
    path.write_text(
        "# title: Partnerships starting in a year\n"
        "# param: since (integer) — the first year\n"
        "PREFIX iei: <https://w3id.org/iei/ontology#>\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT ?id ?start WHERE { ?p a iei:Partnership ; dcterms:identifier ?id ;\n"
        "  iei:startDate ?start .\n"
        "  FILTER(STRSTARTS(STR(?start), STR(?since))) } ORDER BY ?id\n", encoding="utf-8")
    query = load_query_file(path)
    assert [p.name for p in query.params] == ["since"]
    result = demo_kg.query(str(path), since="2020")
    assert result.column("id") == ["P002", "P018", "P030", "P053"]
    assert result.to_df()["start"].dtype == object  # xsd:date and xsd:gYear mixed
    with pytest.raises(InputError, match="needs the parameter since"):
        demo_kg.query(str(path))


# --- result forms and conversions ---------------------------------------------------------


def test_to_df_is_typed(demo_kg):
    df = demo_kg.query("resource_flows", organization="ORG039").to_df()
    assert list(df.columns) == get_query("resource_flows").columns
    assert str(df["amount"].dtype) == "float64"
    assert str(df["flow_year"].dtype) == "int64"
    assert df["quantity"].isna().all()  # nothing to type a column of missing values by
    talent = demo_kg.query("resource_flows", organization="ORG015", resource="talent", year=2022).to_df()
    assert str(talent["quantity"].dtype) == "float64" and talent["quantity"].isna().tolist() == [False, True]
    assert df["partnership"].tolist() == ["P003", "P052"]
    flags = demo_kg.query("partnership_flows", partnership="P012").to_df()
    assert str(flags["is_evidence"].dtype) == "bool"
    dates = demo_kg.query(
        "PREFIX iei: <https://w3id.org/iei/ontology#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT ?id ?start ?count WHERE { ?a iei:activityOf ?p ; dcterms:identifier ?id ;\n"
        "  iei:startDate ?start . OPTIONAL { ?a iei:participantsCount ?count } }\n"
        "ORDER BY ?id LIMIT 3 OFFSET 47").to_df()
    assert str(dates["start"].dtype).startswith("datetime64")
    assert dates["id"].tolist() == ["A048", "A049", "A050"]
    assert str(dates["count"].dtype) == "Int64" and dates["count"].isna().tolist() == [False, True, False]


def test_csv_json_and_records(demo_kg):
    result = demo_kg.query("flows_by_year", resource="funds", side="third_party")
    assert result.to_csv() == ("year,resource,currency,flows,amount,quantity\n"
                               "2022,funds,CNY,6,2300000,0\n2023,funds,CNY,3,350000,0\n")
    assert json.loads(result.to_json())[1] == {"year": 2023, "resource": "funds", "currency": "CNY",
                                               "flows": 3, "amount": 350000.0, "quantity": 0}
    assert result.to_records()[0]["flows"] == 6
    assert "广东;湖北" in demo_kg.query("no_flow_partnerships", region="广东").to_json()


def test_ask_and_construct(demo_kg):
    ask = demo_kg.query("PREFIX dcterms: <http://purl.org/dc/terms/>\nASK { ?x dcterms:identifier ?id }",
                        id="P066")
    assert ask.columns == ["answer"] and ask.rows() == [(True,)]
    built = demo_kg.query("PREFIX dcterms: <http://purl.org/dc/terms/>\n"
                          "CONSTRUCT { ?x <http://example.org/id> ?id } WHERE { ?x dcterms:identifier ?id }",
                          id="ORG042")
    assert built.columns == ["subject", "predicate", "object"]
    assert built.rows() == [
        ("https://w3id.org/iei/data/organization/ORG042", "http://example.org/id", "ORG042")]


def test_to_table_is_a_rich_table(demo_kg):
    table = demo_kg.query("pattern_counts").to_table()
    assert [c.header for c in table.columns] == ["pattern", "label", "label_zh", "partnerships"]
    assert table.row_count == 4


# --- the same answers through an endpoint -------------------------------------------------

ENDPOINT_CASES = [
    ("two_way_partnerships", {"region": "江苏", "year": 2024, "participant_type": "university"}),
    ("unilateral_partnerships", {"direction": "education_to_industry"}),
    ("resource_flows", {"organization": "ORG015", "resource": "talent"}),
    ("enterprise_contribution_breadth", {"region": "湖北"}),
    ("partners_of_partners", {"organization": "ORG039"}),
    ("indicator_change", {"indicator": "patents"}),
    ("work_integrated_learning", {"year": 2023}),
    ("partnership_flows", {"partnership": "P012"}),
    ("mode_mismatches", {}),
]


def test_endpoint_gives_the_same_rows(demo_kg, oxigraph_server):
    endpoint = iei.EndpointStore(oxigraph_server + "/query", oxigraph_server + "/update")
    endpoint.load(serialize_sorted(demo_kg.store.triples()), "nt")
    for name, params in ENDPOINT_CASES:
        here = run_query(demo_kg.store, name, params)
        there = run_query(endpoint, name, params)
        assert there.columns == here.columns, name
        assert there.rows() == here.rows(), name
        assert len(here) > 0, name


def test_parameters_are_terms():
    from iei_onto.queries import Param, convert_param

    assert convert_param(Param("year", "integer", True, None, ""), "2024") == ox.Literal(
        "2024", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert convert_param(Param("o", "organization", False, None, ""), "江苏 01") == ox.NamedNode(
        "https://w3id.org/iei/data/organization/%E6%B1%9F%E8%8B%8F%2001")
    assert convert_param(Param("r", "resource", True, None, ""), "资金") == ox.Literal("funds")
    assert convert_param(Param("d", "date", True, None, ""), "2024-03-01").datatype.value.endswith("#date")


# --- narrowing by a given parameter (# narrow:) ---------------------------------------------

#: the values each narrowed parameter takes in the demo: every one is tried
_PARAM_VALUES = {
    "organization": "SELECT DISTINCT ?v WHERE { ?o a iei:Organization ; dcterms:identifier ?v }",
    "region": "SELECT DISTINCT ?v WHERE { ?o iei:region ?v }",
    "industry": "SELECT DISTINCT ?v WHERE { ?o iei:industry ?v }",
    "participant_type": "SELECT DISTINCT ?v WHERE { ?t rdfs:subClassOf* iei:Organization ; "
                        "skos:notation ?v }",
}
_PREFIXES = ("PREFIX iei: <https://w3id.org/iei/ontology#>\n"
             "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")
_NARROWED = [(q.name, param) for q in catalog() for param in sorted(q.narrowings)]


def test_the_catalog_narrows_by_organization_region_industry_and_type():
    for query in catalog():
        check_query(query, query.name)  # syntax, and narrowings that can work
    assert {param for _, param in _NARROWED} == set(_PARAM_VALUES)
    assert ("resource_flows", "organization") in _NARROWED
    assert ("two_way_partnerships", "region") in _NARROWED


@pytest.mark.parametrize("limit", [NARROW_VALUES_LIMIT, 0], ids=["values", "sub-query"])
@pytest.mark.parametrize(("name", "param"), _NARROWED)
def test_narrowing_gives_the_same_rows_as_the_filter_alone(extended_kg, name, param, limit,
                                                           monkeypatch):
    """For every value the parameter takes in the data, the narrowed query (the store starts
    from the value: its answers as VALUES, or the pattern as a sub-query) and the query as
    written (the FILTER alone) give the same rows."""
    monkeypatch.setattr(queries, "NARROW_VALUES_LIMIT", limit)
    query = get_query(name)
    as_written = query.text.replace("# narrow:", "# not narrowed:")
    values = [row[0].value for row in extended_kg.store.query(_PREFIXES + _PARAM_VALUES[param])]
    found = 0
    for value in values:
        text, rest = narrowed(query, bind_params(query, {param: value}))
        assert text != query.text and param not in rest
        rows = run_query(extended_kg.store, name, {param: value}).rows()
        assert rows == run_query(extended_kg.store, as_written, {param: value}).rows(), value
        found += len(rows)
    assert len(values) > 1
    assert found > 0  # some value has rows: the comparison is not of empty results


@pytest.mark.parametrize(("line", "message"), [
    ("# narrow: place — ?p iei:region ?place", "no '# param:' line declares"),
    ("# narrow: region — ?p iei:region ?somewhere", "cannot read the line"),
    ("# narrow: region — ?region a iei:Region", "no variable but ?region"),
    ("# narrow: region — ?q iei:region ?region", "uses ?q, which the query does not"),
    ("# narrow: region — ?p iei:region ?region .. }", "SPARQL syntax error"),
])
def test_a_narrowing_that_cannot_work_is_refused(tmp_path, line, message):
    path = tmp_path / "mine.rq"
    path.write_text(_regional_query(line), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        load_query_file(path)


def test_a_narrowed_parameter_may_not_be_used_outside_its_filter(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text(_regional_query("# narrow: region — ?p iei:participant/iei:region ?region")
                    .replace("SELECT ?p", "SELECT ?p ?region"), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape("may use ?region there only")):
        load_query_file(path)


def _regional_query(narrow_line: str) -> str:
    return ("# param: region (string, optional) — a region\n" + narrow_line + "\n"
            "PREFIX iei: <https://w3id.org/iei/ontology#>\n"
            "SELECT ?p WHERE { ?p a iei:Partnership\n"
            "  FILTER(!BOUND(?region) || EXISTS { ?p iei:participant/iei:region ?region }) }\n")


def test_a_user_file_narrows_too(demo_kg, tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("# param: region (string, optional) — a region\n"
                    "# narrow: region — ?p iei:participant/iei:region ?region\n"
                    "PREFIX iei: <https://w3id.org/iei/ontology#>\n"
                    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
                    "SELECT ?id WHERE { ?p a iei:Partnership ; dcterms:identifier ?id\n"
                    "  FILTER(!BOUND(?region) || EXISTS { ?p iei:participant/iei:region ?region }) }\n"
                    "ORDER BY ?id\n", encoding="utf-8")
    text, rest = narrowed(load_query_file(path), {"region": ox.Literal("湖北")})
    assert "SELECT DISTINCT ?p WHERE { VALUES (?region)" in text and rest == {}
    hubei = demo_kg.query(str(path), region="湖北").column("id")
    everywhere = demo_kg.query(str(path)).column("id")
    assert 0 < len(hubei) < len(everywhere)


def test_few_answers_of_the_narrowing_pattern_are_written_as_values(demo_kg, monkeypatch):
    query = get_query("two_way_partnerships")
    hubei = bind_params(query, {"region": "湖北"})
    answers = demo_kg.store.query(_PREFIXES + 'SELECT DISTINCT ?p WHERE { ?p iei:participant/'
                                  'iei:region "湖北" }')
    expected = sorted(f"({row[0]})" for row in answers)
    text, _ = narrowed(query, hubei, demo_kg.store)
    assert len(expected) > 1 and "SELECT DISTINCT ?p WHERE" not in text
    assert text.count("VALUES (?p) { " + " ".join(expected) + " }") == 9  # 8 sub-queries
    monkeypatch.setattr(queries, "NARROW_VALUES_LIMIT", len(expected) - 1)
    text, _ = narrowed(query, hubei, demo_kg.store)
    assert "VALUES (?p)" not in text and text.count("SELECT DISTINCT ?p WHERE") == 9


def test_a_query_with_its_own_dataset_is_narrowed_by_the_pattern(demo_kg, tmp_path):
    """The answers asked first would come from the store's default graph, not the query's."""
    path = tmp_path / "mine.rq"
    path.write_text(_regional_query("# narrow: region — ?p iei:participant/iei:region ?region")
                    .replace("SELECT ?p WHERE", "SELECT ?p FROM <urn:x:graph> WHERE"), encoding="utf-8")
    text, _ = narrowed(load_query_file(path), {"region": ox.Literal("湖北")}, demo_kg.store)
    assert "SELECT DISTINCT ?p WHERE { VALUES (?region)" in text and "VALUES (?p)" not in text


def test_the_narrowing_pattern_is_joined_into_the_sub_queries_that_keep_its_keys():
    query = ("SELECT * WHERE {\n"
             "  { SELECT ?p (COUNT(?x) AS ?n) WHERE { ?p ?a ?x } GROUP BY ?p }\n"     # 1: yes
             "  { SELECT ?p ?q WHERE { { SELECT ?q WHERE { ?q ?b ?c } } } }\n"         # 2: yes, 3: no
             "  { SELECT ?p WHERE { { SELECT ?p WHERE { ?p ?d ?e } } } LIMIT 5 }\n"   # 4, 5: no
             "  GRAPH ?g { { SELECT ?p WHERE { ?p ?f ?h } } }\n"                      # 6: no
             "  { SELECT * WHERE { ?p ?i ?j } }\n"                                    # 7: no
             "  { SELECT ?n WHERE { ?p ?k ?n } }\n"                                  # 8: no
             "  ?p ex:SELECT ?select . ?select ?l ?p { ?p ?m ?o } }")  # names, no sub-query
    starts = [match.end() for match in re.finditer(r"WHERE \{", query)]
    assert narrowable_groups(query, {"p"}) == [starts[0], starts[1], starts[2]]
    assert narrowable_groups(query, {"p", "q"}) == [starts[0], starts[2]]


def test_a_narrowed_sub_query_gives_the_same_rows(demo_kg, tmp_path):
    """The partners of each partnership are counted in a sub-query: narrowed, it counts only
    the partnerships of the region, and the rows are those of the FILTER alone."""
    path = tmp_path / "mine.rq"
    path.write_text("# param: region (string, optional) — a region\n"
                    "# narrow: region — ?p iei:participant/iei:region ?region\n"
                    "PREFIX iei: <https://w3id.org/iei/ontology#>\n"
                    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
                    "SELECT ?id ?n WHERE { ?p dcterms:identifier ?id\n"
                    "  { SELECT ?p (COUNT(?o) AS ?n) WHERE { ?p iei:participant ?o } GROUP BY ?p }\n"
                    "  FILTER(!BOUND(?region) || EXISTS { ?p iei:participant/iei:region ?region }) }\n"
                    "ORDER BY ?id\n", encoding="utf-8")
    query = load_query_file(path)
    text, _ = narrowed(query, {"region": ox.Literal("湖北")})
    assert text.count("SELECT DISTINCT ?p WHERE { VALUES (?region)") == 2
    as_written = tmp_path / "as_written.rq"
    as_written.write_text(path.read_text(encoding="utf-8").replace("# narrow:", "# not:"),
                          encoding="utf-8")
    hubei = demo_kg.query(str(path), region="湖北").rows()
    assert hubei and hubei == demo_kg.query(str(as_written), region="湖北").rows()


# --- the command line ---------------------------------------------------------------------


def _cli(*args: str):
    from typer.testing import CliRunner

    from iei_onto.cli import app

    return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "250"})


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_cli_list(fmt):
    result = _cli("query", "--list", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "two_way_partnerships" in result.output
    assert "partners_of_partners" in result.output
    if fmt == "json":
        entries = json.loads(result.output)
        assert len(entries) == len(catalog())
        entry = next(e for e in entries if e["name"] == "partners_of_partners")
        assert entry["parameters"] == "organization:organization"


def test_cli_query_csv():
    result = _cli("query", "unilateral_partnerships", str(ROOT / "examples" / "demo"),
                  "--param", "region=湖北", "--param", "direction=education_to_industry",
                  "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output == ("partnership,name,participants,regions,flow_direction,evidence\n"
                             "P047,Central China Engineering Talent for Hanjiang,ORG015;ORG035,湖北,"
                             "education_to_industry,A072;F091\n")


def test_cli_query_json():
    result = _cli("query", "flows_by_year", str(ROOT / "examples" / "demo"), "--param", "resource=资金",
                  "--param", "side=third_party", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {"year": 2022, "resource": "funds", "currency": "CNY", "flows": 6, "amount": 2300000.0,
         "quantity": 0},
        {"year": 2023, "resource": "funds", "currency": "CNY", "flows": 3, "amount": 350000.0,
         "quantity": 0},
    ]


def test_cli_query_table():
    result = _cli("query", "industry_university_research", str(ROOT / "examples" / "demo"),
                  "--param", "region=北京")
    assert result.exit_code == 0, result.output
    assert "P009" in result.output and "ORG036" in result.output and "P024" not in result.output


@pytest.mark.parametrize(("args", "message"), [
    (("two_way_partnership",), "did you mean two_way_partnerships"),
    (("two_way_partnerships", "--param", "province=江苏"), "has no parameter province"),
    (("partners_of_partners",), "needs the parameter organization"),
    (("two_way_partnerships", "--param", "year=abc"), "not a whole number"),
])
def test_cli_query_errors_exit_2(args, message):
    name, *rest = args
    result = _cli("query", name, str(ROOT / "examples" / "demo"), *rest)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
