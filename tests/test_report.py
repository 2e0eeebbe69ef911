"""The HTML report, opened in headless Chromium (Playwright driving the Debian chromium)."""

from __future__ import annotations

import struct
import zlib
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
    return write_report(kg, path, classifications=kg.classify(), profiles=kg.profiles(),
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
        path = write_report(kg, tmp_path / name, classifications=kg.classify(), profiles=kg.profiles(),
                            validation=kg.validate())
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def test_report_from_a_shared_read_of_the_flows_is_the_same(tmp_path):
    kg = iei.load(ROOT / "examples" / "demo")
    args = {"classifications": kg.classify(), "profiles": kg.profiles(), "validation": kg.validate()}
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
    path = write_report(kg, tmp_path / "r.html", classifications=kg.classify(), profiles=kg.profiles(),
                        validation=ValidationReport([problem]))
    text = path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in text
    assert "<b>bold</b>" not in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in text
    assert "unknown resource &quot;&lt;gold&gt;&quot;" in text
    assert "1 problem found" in text
