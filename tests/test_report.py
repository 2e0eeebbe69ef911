"""The HTML report, opened in headless Chromium (Playwright driving the Debian chromium)."""

from __future__ import annotations

import struct
import zlib
from html import escape
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

import iei_onto as iei
from iei_onto.export import read_flow_network
from iei_onto.report import write_report
from iei_onto.validation import Problem, ValidationReport

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

#: the demo register: 42 organizations (organizations.csv), 66 partnerships, 13 mismatches
DEMO_ORGANIZATIONS = 42
DEMO_PARTNERSHIPS = 66


def png_colours(data: bytes) -> int:
    """Number of distinct colours of an 8-bit RGB(A), non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8
            channels = {2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    previous, colours = bytearray(stride), set()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        colours.update(bytes(line[i:i + 3]) for i in range(0, stride, channels * 7))
        previous = line
    return len(colours)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> Path:
    kg = iei.load(ROOT / "examples" / "demo")
    kg.reason()
    path = tmp_path_factory.mktemp("report") / "report.html"
    return write_report(kg, path, classifications=kg.classify(),
                        validation=kg.validate())


def test_report_renders_in_chromium_without_errors(demo_report):
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    shot = out / "test-report.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 1000})
            errors: list[str] = []
            failed: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.goto(demo_report.as_uri())
            page.wait_for_function("window.cy && window.cy.nodes().length > 0")
            assert errors == []
            assert failed == []
            assert page.evaluate("cy.nodes().length") == DEMO_ORGANIZATIONS
            assert page.locator("#network canvas").count() >= 1
            assert page.evaluate("document.querySelector('#network canvas').width") > 100
            rows = page.locator("#partnerships-table tbody tr")
            assert rows.count() == DEMO_PARTNERSHIPS
            assert rows.first.locator("td").first.inner_text() == "P001"
            page.fill("#pfilter", "p006")
            assert page.locator("#pcount").inner_text() == "1"
            page.fill("#pfilter", "")
            page.select_option("#pmode", "mismatch")
            assert page.locator("#pcount").inner_text() == "13"
            page.locator("#network").screenshot(path=str(shot))
        finally:
            browser.close()
    assert png_colours(shot.read_bytes()) > 50


def test_report_shows_the_sections_in_both_languages(demo_report):
    text = demo_report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    for heading in ("Summary", "概览", "Declared versus observed", "声明模式与实际不符",
                    "The partnership network", "合作网络", "Every partnership", "全部合作关系",
                    "Resources given and received",
                    "Indicators over the years", "历年成效指标", "Problems in the input", "输入数据问题",
                    "Two-way share by region", "按地区的双向比例"):
        assert heading in text, heading
    assert "苏州智造科技有限公司" in text
    assert "<script src=" not in text
    assert "https://" not in text.replace("https://w3id.org", "")


def test_report_is_deterministic(tmp_path):
    outputs = []
    for name in ("a.html", "b.html"):
        kg = iei.load(ROOT / "examples" / "demo")
        path = write_report(kg, tmp_path / name, classifications=kg.classify(),
                            validation=kg.validate())
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def test_report_from_a_shared_read_of_the_flows_is_the_same(tmp_path):
    kg = iei.load(ROOT / "examples" / "demo")
    args = {"classifications": kg.classify(), "validation": kg.validate()}
    alone = write_report(kg, tmp_path / "alone.html", **args).read_bytes()
    with read_flow_network(kg.store) as network:
        shared = write_report(kg, tmp_path / "shared.html", network=network, **args).read_bytes()
    assert shared == alone


def test_report_escapes_text_and_lists_problems(tmp_path):
    kg = iei.KnowledgeGraph()
    kg.add_organization(id="E1", name="<script>alert(1)</script>", name_zh="甲企业", type="enterprise")
    kg.add_organization(id="C1", name="College & Co", type="college")
    kg.add_partnership(id="P1", participants="E1;C1", name="<b>bold</b>")
    kg.add_flow(id="F1", partnership="P1", provider="E1", recipient="C1", resource="funds")
    problem = Problem("flows.csv", "flows", 3, "resource", "F9", 'unknown resource "<gold>"')
    path = write_report(kg, tmp_path / "r.html", classifications=kg.classify(),
                        validation=ValidationReport([problem]))
    text = path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in text
    assert "<b>bold</b>" not in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in text
    assert "unknown resource &quot;&lt;gold&gt;&quot;" in text
    assert "1 problem found" in text


# --- what the report counts in the store equals the counts over every partnership -----------

@pytest.fixture(scope="module")
def generated_kg(tmp_path_factory):
    """A generated register with many regions, industries, givers and mismatches, reasoned."""
    from iei_onto.generate import generate_register

    folder = tmp_path_factory.mktemp("generated")
    generate_register(folder, colleges=12, enterprises=40, partnerships=150, seed=7)
    kg = iei.load(folder)
    kg.reason()
    return kg


def test_shares_counted_in_the_store_equal_the_shares_over_every_partnership(generated_kg):
    from iei_onto.export import organization_nodes, partnerships
    from iei_onto.report import _share_rows

    nodes = organization_nodes(generated_kg.store)
    by_id = {attrs["id"]: attrs for attrs in nodes.values()}
    modes = {c.partnership: c.mode for c in generated_kg.classify()}
    expected = {}
    for attribute in ("region", "industry"):
        total, two_way = {}, {}
        for p in partnerships(generated_kg.store, nodes):
            for group in {by_id[m][attribute] for m in p.participants if by_id[m][attribute]}:
                total[group] = total.get(group, 0) + 1
                two_way[group] = two_way.get(group, 0) + (modes[p.id] == "two_way")
        expected[attribute] = sorted(((g, two_way[g], n) for g, n in total.items()),
                                     key=lambda x: (-x[2], x[0]))
    shares = _share_rows(generated_kg.store)
    assert shares == expected
    assert len(shares["region"]) > 3 and len(shares["industry"]) > 3
    assert any(0 < two < n for _, two, n in shares["region"])


def test_top_givers_are_the_organization_profiles_that_give_most(generated_kg, tmp_path):
    from iei_onto.report import _Data, _organization_counts

    profiles = [p for p in generated_kg.profiles() if sum(p.gave.values())]
    profiles.sort(key=lambda p: (-sum(p.gave.values()), p.organization))
    with read_flow_network(generated_kg.store) as network:
        data = _Data.read(generated_kg.store, network)
    givers = data.flows.givers
    ranked = sorted((org for org, n in givers.items() if n), key=lambda org: (-givers[org], org))
    assert ranked == [p.organization for p in profiles]
    flows, modes = _organization_counts(generated_kg.store, [data.iris[org] for org in ranked[:15]])
    for p in profiles[:15]:
        iri = data.iris[p.organization]
        assert (flows[iri]["gave"], flows[iri]["received"]) == (p.gave, p.received)
        assert (modes[iri]["two_way"], modes[iri]["unilateral"], modes[iri]["none"]) == (
            p.two_way, p.unilateral, p.none)


def test_long_tables_show_the_first_rows_with_names_and_participants(generated_kg, tmp_path, monkeypatch):
    import iei_onto.report as report
    from iei_onto.export import organization_nodes, partnerships

    monkeypatch.setattr(report, "MAX_TABLE_ROWS", 4)
    classifications = generated_kg.classify()
    text = write_report(generated_kg, tmp_path / "r.html", classifications=classifications,
                        validation=ValidationReport()).read_text(encoding="utf-8")
    known = {p.id: p for p in partnerships(generated_kg.store)}
    names = {a["id"]: a["label_zh"] or a["label"] for a in organization_nodes(generated_kg.store).values()}

    def section(anchor: str) -> str:
        return text.split(f'<section aria-labelledby="sec-{anchor}">')[1].split("</section>")[0]

    first = sorted(c.partnership for c in classifications)[:4]
    mismatched = sorted(c.partnership for c in classifications if c.mismatch)
    assert len(mismatched) > 4
    for html, ids in ((section("partnerships"), first), (section("mismatches"), mismatched[:4])):
        assert html.count("<tr") == len(ids) + 1  # and the heading row
        for pid in ids:
            assert f"<b>{pid}</b>" in html and escape(known[pid].name) in html
            assert known[pid].participants
            assert all(escape(names[m]) in html for m in known[pid].participants)
    assert f"<b>{mismatched[4]}</b>" not in section("mismatches")
    assert f"First 4 of {len(classifications)} partnerships" in section("partnerships")
    assert f"First 4 of {len(mismatched)} mismatches" in section("mismatches")
    assert f"仅显示前 4 项（共 {len(classifications)} 项）" in section("partnerships")
    assert f"仅显示前 4 条（共 {len(mismatched)} 条）" in section("mismatches")
    assert "{" not in text.split("<script")[0].split("</style>")[-1]  # no unfilled placeholder
    assert f"{len(classifications):,}</div>" in section("summary")  # counts as people read them


def test_share_charts_name_what_they_leave_out_and_fit_their_labels():
    import re

    import iei_onto.report as report

    shares = [(f"地区{i:02d}", 62_879 - i, 127_011 + i) for i in range(20)]
    chart = report._share_chart("Two-way share by region", "按地区的双向比例", shares, limit=15)
    assert chart.count("<rect") == 2 * 15
    assert "The 15 largest of 20 shown. 仅显示最大的 15 个（共 20 个）。" in chart
    assert "50% (62,879/127,011)" in chart
    width = int(re.search(r'viewBox="0 0 (\d+) ', chart)[1])
    label_end = 150 + 250 + 6 + 7 * len("50% (62,879/127,011)")  # labels start after the bar
    assert width >= label_end
    assert "shown" not in report._share_chart("t", "标题", shares[:3])


def test_a_cut_network_draws_hubs_with_their_closest_partners(generated_kg):
    from collections import Counter

    from iei_onto.report import _Data, drawn_organizations

    with read_flow_network(generated_kg.store) as network:
        data = _Data.read(generated_kg.store, network)
        edges = [(s, t) for s, t, _, _ in network.edges()]
        assert len(data.by_id) > 30
        kept, hubs = drawn_organizations(data, 30)
        assert (len(kept), hubs) == (30, 3)
        degree = data.flows.degree
        assert set(sorted(data.by_id, key=lambda n: (-degree[n], n))[:3]) <= kept
        linked = {n for s, t in edges if s in kept and t in kept for n in (s, t)}
        assert linked == kept  # every drawn organization has a drawn flow
        top = sorted(data.by_id, key=lambda n: (-degree[n], n))[0]
        ties = Counter(t if s == top else s for s, t in edges if top in (s, t))
        closest = max(ties, key=lambda n: (ties[n], degree[n]))
        assert closest in kept
        assert drawn_organizations(data, len(data.by_id)) == (set(data.by_id), 0)


def test_indicator_values_read_as_people_write_them():
    from iei_onto.report import _number

    assert [_number(v) for v in (1_236_530.5, 480.0, 12_000_000.0, 0.25, -0.0, -5.5)] == [
        "1,236,530.5", "480", "12,000,000", "0.25", "0", "-5.5"]
