"""Tests of the synthetic register generator (iei_onto.generate, issue 8).

The classifier here is written independently from PRODUCT.md §4 (its implied-flow table copied
by hand), so that the generator's truth.json is checked against the product rules, not against
the generator's own bookkeeping.
"""

from __future__ import annotations

import csv
import json
import re
import tracemalloc
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from iei_onto.generate import PRESETS, generate_register

TABLES = ("organizations", "partnerships", "flows", "activities", "outcomes")
FILES = (*[f"{t}.csv" for t in TABLES], "truth.json")

HEADERS = {
    "organizations": ["id", "name", "name_zh", "type", "industry", "region"],
    "partnerships": ["id", "participants", "name", "start", "end", "declared_mode"],
    "flows": ["id", "partnership", "provider", "recipient", "resource", "amount", "currency",
              "quantity", "date"],
    "activities": ["id", "partnership", "kind", "start", "end", "participants_count"],
    "outcomes": ["id", "subject", "indicator", "value", "unit", "year"],
}

SIDES = {
    "enterprise": "industry", "industry_association": "industry",
    "college": "education", "vocational_college": "education", "university": "education",
    "research_institute": "education", "government": "third", "alliance": "third",
}
RESOURCES = {"funds", "venue", "equipment", "talent", "teachers", "technology", "curriculum",
             "jobs", "information", "training"}
# PRODUCT.md §4: kind -> (implies industry → education, implies education → industry)
IMPLIED = {
    "internship": (True, True), "apprenticeship": (True, True), "order_class": (True, True),
    "joint_curriculum": (True, True), "joint_research": (True, True),
    "training_base": (True, False), "tech_transfer": (False, True),
    "employee_training": (False, True), "donation": (True, False), "recruitment": (True, True),
}
INDICATORS = {"employment_rate", "matched_employment_rate", "enterprise_investment",
              "students_trained", "interns_hosted", "patents", "joint_projects",
              "teachers_from_enterprises"}


def read(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("register")
    generate_register(out, colleges=60, enterprises=400, partnerships=500, seed=7)
    return out


@pytest.fixture(scope="module")
def tables(register: Path) -> dict[str, list[dict[str, str]]]:
    return {t: read(register, t) for t in TABLES}


@pytest.fixture(scope="module")
def truth(register: Path) -> dict:
    return json.loads((register / "truth.json").read_text(encoding="utf-8"))


# --- an independent classifier (PRODUCT.md §4) ----------------------------------------------


def classify(tables: dict[str, list[dict[str, str]]]) -> dict[str, tuple[str, str]]:
    """partnership id -> (mode, direction) by the rules of PRODUCT.md §4."""
    side = {o["id"]: SIDES[o["type"]] for o in tables["organizations"]}
    members = {p["id"]: p["participants"].split(";") for p in tables["partnerships"]}
    seen: dict[str, set[str]] = {pid: set() for pid in members}
    for f in tables["flows"]:
        parts = members[f["partnership"]]
        a, b = f["provider"], f["recipient"]
        if a in parts and b in parts and {side[a], side[b]} == {"industry", "education"}:
            seen[f["partnership"]].add("i2e" if side[a] == "industry" else "e2i")
    for a in tables["activities"]:
        parts = members[a["partnership"]]
        has_both = {"industry", "education"} <= {side[o] for o in parts}
        to_edu, to_ind = IMPLIED[a["kind"]]
        if has_both and to_edu:
            seen[a["partnership"]].add("i2e")
        if has_both and to_ind:
            seen[a["partnership"]].add("e2i")
    result = {}
    for pid, dirs in seen.items():
        if len(dirs) == 2:
            result[pid] = ("two_way", "")
        elif dirs == {"i2e"}:
            result[pid] = ("unilateral", "industry_to_education")
        elif dirs == {"e2i"}:
            result[pid] = ("unilateral", "education_to_industry")
        else:
            result[pid] = ("none", "")
    return result


# --- determinism and files ------------------------------------------------------------------


def test_same_arguments_give_identical_bytes(tmp_path: Path) -> None:
    args = {"colleges": 30, "enterprises": 200, "partnerships": 300, "seed": 3}
    generate_register(tmp_path / "a", **args)
    generate_register(tmp_path / "b", **args)
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_another_seed_gives_other_bytes(tmp_path: Path) -> None:
    args = {"colleges": 30, "enterprises": 200, "partnerships": 300}
    generate_register(tmp_path / "a", seed=1, **args)
    generate_register(tmp_path / "b", seed=2, **args)
    for name in ("organizations.csv", "partnerships.csv", "flows.csv", "activities.csv"):
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes(), name


def test_folder_holds_exactly_the_six_files(register: Path) -> None:
    assert sorted(p.name for p in register.iterdir()) == sorted(FILES)


def test_headers_are_the_product_columns(register: Path) -> None:
    for table, columns in HEADERS.items():
        with (register / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == columns


def test_failure_leaves_no_files(tmp_path: Path) -> None:
    def stop(_: int) -> None:
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        generate_register(tmp_path, colleges=5, enterprises=20, partnerships=10_000,
                          progress=stop)
    assert list(tmp_path.iterdir()) == []


def test_progress_reports_every_partnership(tmp_path: Path) -> None:
    calls: list[int] = []
    generate_register(tmp_path, colleges=5, enterprises=20, partnerships=23_456,
                      progress=calls.append)
    assert calls == [10_000, 10_000, 3_456]


@pytest.mark.parametrize("kwargs", [
    {"colleges": 0}, {"enterprises": 0}, {"partnerships": -1},
    {"two_way_share": 1.5}, {"mismatch_share": 0.8},
])
def test_bad_arguments_raise(tmp_path: Path, kwargs: dict) -> None:
    args = {"colleges": 5, "enterprises": 5, "partnerships": 5, **kwargs}
    with pytest.raises(ValueError):
        generate_register(tmp_path, **args)


# --- proportions and codes ------------------------------------------------------------------


def test_organization_types_follow_national_proportions(tmp_path: Path) -> None:
    generate_register(tmp_path, colleges=1_050, enterprises=1_000, partnerships=10)
    types = Counter(o["type"] for o in read(tmp_path, "organizations"))
    # 1,050 split 8,650 : 1,270 : 250 : 330; 3 % associations; 1 government per 30 and
    # 1 alliance per 50 colleges
    assert types == {"vocational_college": 865, "university": 127, "college": 25,
                     "research_institute": 33, "enterprise": 970, "industry_association": 30,
                     "government": 35, "alliance": 21}


def test_regions_are_provinces_weighted_to_the_east(tmp_path: Path) -> None:
    generate_register(tmp_path, colleges=500, enterprises=4_000, partnerships=10)
    regions = Counter(o["region"] for o in read(tmp_path, "organizations"))
    total = sum(regions.values())
    assert len(regions) == 31
    heavy = sum(regions[r] for r in ("广东", "江苏", "山东", "浙江")) / total
    assert 0.29 < heavy < 0.36  # weights 34.5 of 106.4
    assert regions["广东"] > 10 * regions["西藏"]


def test_names_are_chinese_and_transliterated(tables: dict) -> None:
    orgs = {o["id"]: o for o in tables["organizations"]}
    assert len({o["name_zh"] for o in orgs.values()}) == len(orgs)
    for o in orgs.values():
        assert re.search(r"[\u4e00-\u9fff]", o["name_zh"]), o
        assert o["name"].isascii() and o["name"], o
    enterprise = next(o for o in orgs.values() if o["type"] == "enterprise")
    assert enterprise["name_zh"].endswith("公司")
    assert enterprise["name"].endswith("Co., Ltd.")
    assert all(o["industry"] for o in orgs.values() if o["type"] != "government")


def test_ids_have_their_table_prefix(tables: dict) -> None:
    patterns = {"partnerships": r"P\d{7}", "flows": r"F\d{8}", "activities": r"AC\d{8}",
                "outcomes": r"O\d{8}"}
    for table, pattern in patterns.items():
        assert all(re.fullmatch(pattern, r["id"]) for r in tables[table]), table
    org_patterns = {"education": r"C\d{6}", "industry": r"E\d{6}"}
    for o in tables["organizations"]:
        side = SIDES[o["type"]]
        pattern = org_patterns.get(side, r"G\d{5}" if o["type"] == "government" else r"A\d{5}")
        assert re.fullmatch(pattern, o["id"]), o


def test_every_code_is_used(tables: dict) -> None:
    assert {o["type"] for o in tables["organizations"]} == set(SIDES)
    assert {f["resource"] for f in tables["flows"]} == RESOURCES
    assert {a["kind"] for a in tables["activities"]} == set(IMPLIED)
    assert {p["declared_mode"] for p in tables["partnerships"]} == {"", "two_way", "unilateral"}
    assert {o["indicator"] for o in tables["outcomes"]} == INDICATORS


def test_mostly_two_participants_some_three_or_four(tables: dict) -> None:
    sizes = Counter(len(p["participants"].split(";")) for p in tables["partnerships"])
    assert set(sizes) == {2, 3, 4}
    assert sizes[2] > 0.6 * len(tables["partnerships"])


# --- referential integrity and values -------------------------------------------------------


def test_ids_are_unique_per_table(tables: dict) -> None:
    for table in TABLES:
        ids = [r["id"] for r in tables[table]]
        assert len(ids) == len(set(ids)), table


def test_references_resolve(tables: dict) -> None:
    orgs = {o["id"] for o in tables["organizations"]}
    members = {p["id"]: p["participants"].split(";") for p in tables["partnerships"]}
    for parts in members.values():
        assert len(parts) == len(set(parts)) >= 2
        assert set(parts) <= orgs
    for f in tables["flows"]:
        parts = members[f["partnership"]]
        assert f["provider"] in parts and f["recipient"] in parts, f
        assert f["provider"] != f["recipient"], f
    assert all(a["partnership"] in members for a in tables["activities"])
    subjects = orgs | set(members)
    assert all(o["subject"] in subjects for o in tables["outcomes"])
    assert any(o["subject"] in members for o in tables["outcomes"])


def day(text: str) -> date:
    value = date.fromisoformat(text)
    assert date(2019, 1, 1) <= value <= date(2025, 12, 31), text
    return value


def test_dates_are_in_range_and_ordered(tables: dict) -> None:
    for row in tables["partnerships"] + tables["activities"]:
        if row["start"] and row["end"]:
            assert day(row["start"]) <= day(row["end"]), row
        elif row["start"]:
            day(row["start"])
    assert all(day(f["date"]) for f in tables["flows"] if f["date"])
    assert all(p["start"] for p in tables["partnerships"])


def test_amounts_and_currency(tables: dict) -> None:
    amounts = [f for f in tables["flows"] if f["amount"]]
    assert amounts
    for f in amounts:
        assert re.fullmatch(r"\d+\.\d\d", f["amount"]), f
    assert {f["currency"] for f in tables["flows"]} == {"", "CNY"}
    with_currency = sum(1 for f in amounts if f["currency"])
    assert 0.35 < with_currency / len(amounts) < 0.65
    assert all(not f["currency"] for f in tables["flows"] if not f["amount"])
    assert all(int(f["quantity"]) >= 1 for f in tables["flows"] if f["quantity"])


def test_outcomes_per_college_and_year_with_rates_in_range(tables: dict) -> None:
    education = {o["id"] for o in tables["organizations"] if SIDES[o["type"]] == "education"}
    by_college = Counter(o["subject"] for o in tables["outcomes"] if o["subject"] in education)
    assert set(by_college) == education
    assert set(by_college.values()) <= {6, 9}  # 2 or 3 indicators x 3 years
    assert {o["year"] for o in tables["outcomes"] if o["subject"] in education} == {
        "2022", "2023", "2024"}
    for o in tables["outcomes"]:
        if o["indicator"].endswith("_rate"):
            assert o["unit"] == "%" and 0 <= float(o["value"]) <= 100, o


# --- truth.json -----------------------------------------------------------------------------


def test_truth_counts_add_up(truth: dict, tables: dict) -> None:
    assert truth["rows"]["partnerships"] == 500
    assert sum(truth["modes"].values()) == 500
    assert sum(truth["directions"].values()) == truth["modes"]["unilateral"]
    assert sum(truth["declared_modes"].values()) == 500
    assert truth["rows"] == {t: len(tables[t]) for t in TABLES}
    assert truth["parameters"] == {"seed": 7, "colleges": 60, "enterprises": 400,
                                   "partnerships": 500, "two_way_share": 0.5,
                                   "mismatch_share": 0.1}
    assert truth["triples"] == sum(truth["triples_by_table"].values())


def test_truth_json_is_not_read_as_a_table(truth: dict) -> None:
    # the loader reads every .json in a folder and takes its keys named like tables, so
    # `iei generate -o DIR` followed by `iei analyze DIR` must find no such key here
    assert not set(truth) & set(TABLES)


def test_stats_print_as_one_line(tmp_path: Path) -> None:
    stats = generate_register(tmp_path, colleges=2, enterprises=2, partnerships=0)
    # 2 colleges, 2 enterprises, 1 government, 1 alliance
    assert str(stats) == (f"6 organizations, 0 partnerships, 0 flows, 0 activities, "
                          f"{stats.rows['outcomes']} outcomes, about {stats.triples} triples")


def test_independent_classifier_recovers_truth(truth: dict, tables: dict) -> None:
    result = classify(tables)
    modes = Counter(mode for mode, _ in result.values())
    directions = Counter(d for _, d in result.values() if d)
    assert dict(modes) == truth["modes"]
    assert dict(directions) == truth["directions"]
    declared = {p["id"]: p["declared_mode"] for p in tables["partnerships"]}
    mismatches = sum(1 for pid, (mode, _) in result.items()
                     if declared[pid] and declared[pid] != mode)
    assert mismatches == truth["mismatches"]


def test_independent_patterns_recover_truth(truth: dict, tables: dict) -> None:
    result = classify(tables)
    types = {o["id"]: o["type"] for o in tables["organizations"]}
    members = {p["id"]: p["participants"].split(";") for p in tables["partnerships"]}
    learning = {a["partnership"] for a in tables["activities"]
                if a["kind"] in ("internship", "apprenticeship", "order_class")}
    two_way = [pid for pid, (mode, _) in result.items() if mode == "two_way"]
    assert truth["patterns"] == {
        "integration_of_production_and_education": len(two_way),
        "school_enterprise_cooperation": truth["modes"]["unilateral"],
        "industry_university_cooperation": sum(
            1 for pid in two_way
            if any(types[o] in ("university", "research_institute") for o in members[pid])),
        "work_integrated_learning": len(learning),
    }


def test_shares_follow_the_parameters(tmp_path: Path) -> None:
    stats = generate_register(tmp_path, colleges=50, enterprises=500, partnerships=4_000,
                              two_way_share=0.8, mismatch_share=0.2)
    truth = stats.truth
    assert truth["modes"]["none"] / 4_000 == pytest.approx(0.05, abs=0.015)
    assert truth["modes"]["two_way"] / 4_000 == pytest.approx(0.8, abs=0.02)
    assert truth["mismatches"] / 4_000 == pytest.approx(0.2, abs=0.02)
    assert truth["declared_modes"]["empty"] / 4_000 > 0.3
    assert truth["directions"]["industry_to_education"] / truth["modes"]["unilateral"] == (
        pytest.approx(0.7, abs=0.06))
    modes = Counter(mode for mode, _ in classify(
        {t: read(tmp_path, t) for t in TABLES}).values())
    assert dict(modes) == truth["modes"]


# --- size and memory ------------------------------------------------------------------------


def test_small_preset_is_about_40k_triples(tmp_path: Path) -> None:
    colleges, enterprises, partnerships = PRESETS["small"]
    stats = generate_register(tmp_path, colleges=colleges, enterprises=enterprises,
                              partnerships=partnerships)
    assert 35_000 < stats.triples < 45_000
    assert set(PRESETS) == {"small", "medium", "large", "national"}
    assert PRESETS["national"] == (10_000, 200_000, 1_000_000)


def peak_bytes(out: Path, partnerships: int) -> int:
    tracemalloc.start()
    try:
        generate_register(out, colleges=30, enterprises=300, partnerships=partnerships)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_partnerships(tmp_path: Path) -> None:
    small = peak_bytes(tmp_path / "small", 1_000)
    large = peak_bytes(tmp_path / "large", 10_000)
    assert large - small < 64 * 1024, (small, large)
    assert large < 16 * 1024 * 1024, large
