"""The self-contained HTML report: one file, readable offline, ready to forward.

It shows the summary and the modes, the share of two-way partnerships by region and by
industry, declared-versus-observed mismatches, the interactive network (Cytoscape.js,
vendored in :mod:`iei_onto.vendor`), the per-partnership table, resources given and received
by side and by organization, indicators over the years, and the validation problems.
Headings are bilingual (English / 中文). Charts are inline SVG drawn here. The output is
deterministic: the same input gives the same bytes (no timestamp unless one is passed).

>>> import iei_onto as iei
>>> kg = iei.load("examples/demo")                                  # doctest: +SKIP
>>> write_report(kg, Path("out/report.html"), classifications=kg.classify(),
...              validation=kg.validate())                          # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.resources
import itertools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pyoxigraph as ox

from .export import (
    PREFIXES,
    RESOURCE_COLORS,
    SIDE_COLORS,
    FlowNetwork,
    iri_tail,
    read_flow_network,
    term_text,
)
from .files import atomic_write
from .store import Store, bind_rows

if TYPE_CHECKING:
    from .kg import KnowledgeGraph
    from .validation import ValidationReport

#: organizations drawn in the network at most (the most connected ones are kept)
MAX_NETWORK_NODES = 400
#: rows shown at most in the long tables (the CSV and JSON outputs hold all of them)
MAX_TABLE_ROWS = 3000
MAX_PROBLEM_ROWS = 500
MAX_INDICATOR_ROWS = 120

MODE_COLORS = {"two_way": "#2e8b57", "unilateral": "#d68910", "none": "#9aa3ad", "": "#d5d9de"}
MODE_NAMES = {
    "two_way": ("Two-way", "双向"),
    "unilateral": ("One-way", "单向"),
    "none": ("No cross-side flow", "无跨方流动"),
    "": ("Not classified", "未分类"),
}
SIDE_NAMES = {
    "industry": ("Industry side", "产业方"),
    "education": ("Education side", "教育方"),
    "third_party": ("Third parties", "第三方"),
    "": ("Unknown side", "未知"),
}
SIDE_SHAPES = {"industry": "round-rectangle", "education": "ellipse", "third_party": "diamond", "": "ellipse"}
FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
              '"Microsoft YaHei", "Hiragino Sans GB", system-ui, sans-serif')

_LABELS = PREFIXES + """
SELECT ?code (MIN(?en0) AS ?en) (MIN(?zh0) AS ?zh) WHERE {
  ?term skos:notation ?code .
  OPTIONAL { ?term skos:prefLabel|rdfs:label ?en0 FILTER(langMatches(lang(?en0), "en")) }
  OPTIONAL { ?term skos:prefLabel|rdfs:label ?zh0 FILTER(langMatches(lang(?zh0), "zh")) }
}
GROUP BY ?code
"""

_OUTCOMES = PREFIXES + """
SELECT ?subject ?indicator ?year (MIN(?v) AS ?value) (MIN(?u) AS ?unit)
       (MIN(?id0) AS ?id) (MIN(?name0) AS ?name) WHERE {
  ?outcome iei:subject ?subject ; iei:indicator/skos:notation ?indicator ; iei:value ?v .
  OPTIONAL { ?outcome iei:year ?y0 }
  OPTIONAL { ?outcome iei:unit ?u }
  OPTIONAL { ?subject dcterms:identifier ?id0 }
  OPTIONAL { ?subject rdfs:label ?name0 }
  BIND(COALESCE(SUBSTR(STR(?y0), 1, 4), "") AS ?year)
}
GROUP BY ?subject ?indicator ?year
"""

# The partnerships of a region (industry): those with a participant there; counted in the
# store, so the report does not hold every partnership in memory. The codes of the modes
# first, and each organization's region and industry in a sub-query joined by hash (on disk at
# 3.9M triples 4.1 s and 343 MiB; as one pattern with the path iei:mode/skos:notation 8.6 s
# and 144 MiB; with the partnerships' modes hash-joined too 4.4 s and 411 MiB).
_SHARES = PREFIXES + """
SELECT ?attribute ?group (COUNT(DISTINCT ?p) AS ?total) (COUNT(DISTINCT ?twoWay) AS ?two) WHERE {
  { SELECT ?m ?mode WHERE { ?m skos:notation ?mode } }
  ?p iei:mode ?m ; dcterms:identifier ?id ; iei:participant ?org .
  { SELECT ?org ?attribute ?group WHERE {
      # a UNION, not VALUES over the two properties: twice as fast at 3.9M triples on disk
      { ?org iei:region ?value BIND("region" AS ?attribute) }
      UNION { ?org iei:industry ?value BIND("industry" AS ?attribute) }
      BIND(STR(?value) AS ?group)
      FILTER(?group != "")
  } }
  BIND(IF(?mode = "two_way", ?p, ?notTwoWay) AS ?twoWay)
}
GROUP BY ?attribute ?group
"""

# The next four are bound to the few partnerships or organizations the report shows.
_PARTNERSHIP_NAMES = PREFIXES + """
SELECT ?id (MIN(?name0) AS ?name) WHERE {
  ?p dcterms:identifier ?id ; iei:mode ?mode .
  OPTIONAL { ?p rdfs:label ?name0 }
}
GROUP BY ?id
"""

_PARTNERSHIP_PARTICIPANTS = PREFIXES + """
SELECT ?id ?org WHERE { ?p dcterms:identifier ?id ; iei:mode ?mode ; iei:participant ?org }
"""

_GIVEN_AND_RECEIVED = PREFIXES + """
SELECT ?org ?role ?resource (COUNT(DISTINCT ?flow) AS ?n) WHERE {
  # a UNION, so the flows are found from the bound organizations (VALUES over the two
  # properties had Oxigraph read every flow: 16 s against 0.01 s at 3.9M triples on disk)
  { ?flow iei:provider ?org BIND("gave" AS ?role) }
  UNION { ?flow iei:recipient ?org BIND("received" AS ?role) }
  ?flow iei:resource/skos:notation ?resource .
}
GROUP BY ?org ?role ?resource
"""

_MODES_OF = PREFIXES + """
SELECT ?org ?mode (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p iei:participant ?org ; iei:mode/skos:notation ?mode }
GROUP BY ?org ?mode
"""


# --- the data the report shows -------------------------------------------------------------

@dataclass
class _Row:
    """One partnership with its classification, ready to show."""

    id: str
    name: str
    participants: tuple[str, ...]
    mode: str
    direction: str
    patterns: tuple[str, ...]
    declared: str
    mismatch: bool
    evidence: tuple[str, ...]


def _field(obj: Any, name: str) -> Any:
    value = getattr(obj, name, None)
    return "" if value is None else value


def _partnership_id(classification: Any) -> str:
    return str(_field(classification, "partnership"))


@dataclass
class _Tally:
    """Counts over every classification (one pass; no row is built for them)."""

    total: int = 0
    modes: Counter[str] = dataclasses.field(default_factory=Counter)
    #: directions of the one-way partnerships
    directions: Counter[str] = dataclasses.field(default_factory=Counter)
    mismatches: int = 0
    #: declared two-way, observed otherwise ("integration on paper")
    on_paper: int = 0

    @classmethod
    def read(cls, classifications: Iterable[Any]) -> _Tally:
        tally = cls()
        for c in classifications:
            mode, mismatch = str(_field(c, "mode")), bool(_field(c, "mismatch"))
            tally.total += 1
            tally.modes[mode] += 1
            if mode == "unilateral":
                tally.directions[str(_field(c, "direction"))] += 1
            tally.mismatches += mismatch
            tally.on_paper += mismatch and _field(c, "declared_mode") == "two_way"
        return tally


@dataclass
class _Details:
    """Names and participant ids of the few partnerships the report shows, read for them only."""

    names: dict[str, str]
    members: dict[str, set[str]]

    @classmethod
    def read(cls, store: Store, nodes: dict[str, dict[str, str]], classifications: Iterable[Any]) -> _Details:
        ids = [(ox.Literal(pid),) for pid in sorted({_partnership_id(c) for c in classifications})]
        details = cls({}, defaultdict(set))
        if ids:
            for pid, name in store.query(bind_rows(_PARTNERSHIP_NAMES, ["id"], ids)):
                details.names[pid.value] = term_text(name)
            for pid, org in store.query(bind_rows(_PARTNERSHIP_PARTICIPANTS, ["id"], ids)):
                if org.value in nodes:
                    details.members[pid.value].add(nodes[org.value]["id"])
        return details

    def row(self, classification: Any) -> _Row:
        """The classification with its partnership's name and participants."""
        pid = _partnership_id(classification)
        return _Row(
            id=pid,
            name=self.names.get(pid, ""),
            participants=tuple(sorted(self.members.get(pid, ()))),
            mode=str(_field(classification, "mode")),
            direction=str(_field(classification, "direction")),
            patterns=tuple(sorted(_field(classification, "patterns") or ())),
            declared=str(_field(classification, "declared_mode")),
            mismatch=bool(_field(classification, "mismatch")),
            evidence=tuple(sorted(_field(classification, "evidence") or ())),
        )


def _labels(store: Store) -> dict[str, tuple[str, str]]:
    """English and Chinese labels of every coded term (types, resources, modes, indicators …)."""
    return {code.value: ((en.value if en else code.value), (zh.value if zh else ""))
            for code, en, zh in store.query(_LABELS)}


@dataclass
class _FlowTotals:
    """Counts over every flow, gathered in one streamed pass (no flow is kept in memory)."""

    total: int = 0
    implied: int = 0
    degree: Counter[str] = dataclasses.field(default_factory=Counter)
    given: dict[str, Counter[str]] = dataclasses.field(default_factory=lambda: defaultdict(Counter))
    received: dict[str, Counter[str]] = dataclasses.field(default_factory=lambda: defaultdict(Counter))
    #: flows of a resource given, per organization id
    givers: Counter[str] = dataclasses.field(default_factory=Counter)

    @classmethod
    def read(cls, edges: Iterable[tuple[str, str, str, dict[str, Any]]],
             nodes: dict[str, dict[str, str]]) -> _FlowTotals:
        by_id = {attrs["id"]: attrs for attrs in nodes.values()}
        totals = cls()
        for source, target, _, attrs in edges:
            totals.total += 1
            totals.implied += attrs["implied"]
            totals.degree[source] += 1
            totals.degree[target] += 1
            totals.given[attrs["resource"]][by_id[source]["side"]] += 1
            totals.received[attrs["resource"]][by_id[target]["side"]] += 1
            totals.givers[source] += attrs["resource"] != ""
        return totals


@dataclass
class _Data:
    """Everything read from the store once, shared by the sections."""

    flows: _FlowTotals
    labels: dict[str, tuple[str, str]]
    store: Store
    network: FlowNetwork

    @classmethod
    def read(cls, store: Store, network: FlowNetwork) -> _Data:
        return cls(_FlowTotals.read(network.edges(), network.nodes), _labels(store), store, network)

    @property
    def nodes(self) -> dict[str, dict[str, str]]:
        """The organizations: node attributes keyed by organization IRI."""
        return self.network.nodes

    @functools.cached_property
    def by_id(self) -> dict[str, dict[str, str]]:
        return {attrs["id"]: attrs for attrs in self.nodes.values()}

    @functools.cached_property
    def iris(self) -> dict[str, str]:
        """Organization IRIs by organization id."""
        return {attrs["id"]: iri for iri, attrs in self.nodes.items()}

    def label(self, code: str, *, both: bool = True) -> str:
        en, zh = self.labels.get(code, (code, ""))
        if not code:
            return ""
        return f"{en} {zh}".strip() if both else (zh or en)


# --- small HTML helpers --------------------------------------------------------------------

def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _h2(anchor: str, english: str, chinese: str) -> str:
    return f'<h2 id="sec-{anchor}">{_e(english)} <span class="zh">{_e(chinese)}</span></h2>'


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _n(count: int) -> str:
    """A count as people read it: 1,000,000."""
    return f"{count:,}"


def _first_rows_note(shown: int, total: int, noun: str, unit: str, *, noun_zh: str = "",
                     where: str = "") -> str:
    """The note under a table cut to its first ``shown`` rows of ``total``, in English and
    Chinese (``unit``: the measure word, ``noun_zh`` what it counts), naming the file ``where``
    that holds every row."""
    english = f"First {_n(shown)} of {_n(total)} {noun}" + (f"; {where} holds all of them." if where else ".")
    chinese = (f"仅显示前 {_n(shown)} {unit}{noun_zh}（共 {_n(total)} {unit}）"
               + (f"，全部见 {where}。" if where else "。"))
    return f'<p class="note">{english} {chinese}</p>'


def _badge(mode: str) -> str:
    en, zh = MODE_NAMES.get(mode, (mode, ""))
    return f'<span class="badge" style="background:{MODE_COLORS.get(mode, "#999")}">{_e(en)} {_e(zh)}</span>'


def _org_name(attrs: dict[str, str] | None, fallback: str) -> str:
    if not attrs:
        return fallback
    return attrs.get("label_zh") or attrs.get("label") or fallback


def _dot(side: str) -> str:
    return f'<i class="dot" style="background:{SIDE_COLORS.get(side, SIDE_COLORS[""])}"></i>'


# --- sections ------------------------------------------------------------------------------

def _summary(data: _Data, tally: _Tally, validation: ValidationReport) -> str:
    sides = Counter(a["side"] for a in data.nodes.values())
    implied = data.flows.implied
    modes, total = tally.modes, tally.total
    cards = [
        ("Organizations", "机构", len(data.nodes),
         " · ".join(f"{SIDE_NAMES[s][1]} {_n(sides[s])}" for s in ("industry", "education", "third_party"))),
        ("Partnerships", "合作关系", total, f"{_n(modes['two_way'])} 双向 · {_n(modes['unilateral'])} 单向 · "
                                             f"{_n(modes['none'])} 无"),
        ("Resource flows", "资源流动", data.flows.total, f"{_n(data.flows.total - implied)} explicit 显式 · "
                                                         f"{_n(implied)} implied 隐含"),
        ("Mismatches", "声明与实际不符", tally.mismatches, "declared ≠ observed 声明≠实际"),
        ("Problems in the input", "数据问题", len(validation.problems),
         "left out of the analysis 已排除" if validation.problems else "none 无"),
    ]
    html = ['<div class="cards">']
    for en, zh, value, detail in cards:
        html.append(f'<div class="card"><div class="card-title">{_e(en)} <span class="zh">{_e(zh)}</span>'
                    f'</div><div class="card-value">{_n(value)}</div>'
                    f'<div class="card-detail">{_e(detail)}</div></div>')
    html.append("</div>")
    html.append('<div class="modebar" role="img" aria-label="partnerships by mode">')
    for mode in ("two_way", "unilateral", "none"):
        if modes[mode]:
            en, zh = MODE_NAMES[mode]
            html.append(f'<div style="flex:{modes[mode]};background:{MODE_COLORS[mode]}" '
                        f'title="{_e(en)} {_e(zh)}: {_n(modes[mode])}">{_e(zh)} {_n(modes[mode])} '
                        f'({_pct(modes[mode], total)})</div>')
    html.append("</div>")
    html.append(_findings(tally))
    return "\n".join(html)


def _findings(tally: _Tally) -> str:
    total, modes, directions = tally.total, tally.modes, tally.directions
    if not total:
        return '<p class="note">No partnerships to classify. 没有可分类的合作关系。</p>'
    items = [
        f"<b>{_n(modes['two_way'])}</b> of {_n(total)} partnerships ({_pct(modes['two_way'], total)}) "
        "are two-way: resources flow from industry to education and back (产教融合).",
        f"<b>{_n(modes['unilateral'])}</b> are one-way (校企合作): {_n(directions['industry_to_education'])} "
        f"industry → education, {_n(directions['education_to_industry'])} education → industry.",
        f"<b>{_n(modes['none'])}</b> show no cross-side flow at all.",
        f"<b>{_n(tally.mismatches)}</b> declare a mode their flows do not show; "
        f"<b>{_n(tally.on_paper)}</b> declare two-way integration that is one-way or absent in the data "
        "(“integration on paper”).",
    ]
    return '<ul class="findings">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _share_rows(store: Store) -> dict[str, list[tuple[str, int, int]]]:
    """``(group, two-way, total)`` per region and per industry of the participants of the
    classified partnerships, largest first, keyed by ``region`` / ``industry``."""
    shares: dict[str, list[tuple[str, int, int]]] = {"region": [], "industry": []}
    for attribute, group, total, two in store.query(_SHARES):
        shares[attribute.value].append((group.value, int(two.value), int(total.value)))
    return {name: sorted(rows, key=lambda x: (-x[2], x[0])) for name, rows in shares.items()}


def _share_chart(title_en: str, title_zh: str, shares: list[tuple[str, int, int]], limit: int = 15) -> str:
    """A horizontal bar chart (inline SVG) of the two-way shares of the first ``limit`` groups."""
    if not shares:
        return f'<figure class="chart"><figcaption>{_e(title_en)} {_e(title_zh)}</figcaption>' \
               '<p class="note">No data. 无数据。</p></figure>'
    shown = shares[:limit]
    labels = [f"{_pct(two, n)} ({_n(two)}/{_n(n)})" for _, two, n in shown]
    bar_h, label_w, bar_w, top = 22, 150, 250, 6
    value_w = 12 + 7 * max(map(len, labels))  # 12 px text: digits are about 7 px wide
    height = top * 2 + bar_h * len(shown)
    parts = [f'<svg viewBox="0 0 {label_w + bar_w + value_w} {height}" class="bars" role="img" '
             f'aria-label="{_e(title_en)}">']
    for i, ((group, two, n), label) in enumerate(zip(shown, labels, strict=True)):
        y = top + i * bar_h
        width = bar_w * two / n if n else 0
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_e(group)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{bar_h - 6}" fill="#eef1f4"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{bar_h - 6}" '
            f'fill="{MODE_COLORS["two_way"]}"><title>{_e(group)}: {_n(two)}/{_n(n)}</title></rect>'
            f'<text x="{label_w + bar_w + 6}" y="{y + 15}">{label}</text>')
    parts.append("</svg>")
    more = (f'<p class="note">The {limit} largest of {_n(len(shares))} shown. 仅显示最大的 {limit} 个'
            f"（共 {_n(len(shares))} 个）。</p>" if len(shares) > limit else "")
    return (f'<figure class="chart"><figcaption>{_e(title_en)} <span class="zh">{_e(title_zh)}</span>'
            f'</figcaption>{"".join(parts)}{more}</figure>')


def _shares(store: Store) -> str:
    shares = _share_rows(store)
    return ('<p class="note">A partnership counts for every region (industry) of its participants. '
            '合作关系按参与机构所在地区（行业）计入。</p><div class="two-col">'
            + _share_chart("Two-way share by region", "按地区的双向比例", shares["region"])
            + _share_chart("Two-way share by industry", "按行业的双向比例",
                           shares["industry"])
            + "</div>")


def _participants(row: _Row, data: _Data) -> str:
    by_id = data.by_id
    return "<br>".join(f'{_dot(by_id.get(p, {}).get("side", ""))}{_e(_org_name(by_id.get(p), p))}'
                       for p in row.participants)


def _mismatches(found: list[_Row], total: int, data: _Data) -> str:
    """The first mismatched partnerships (``found``) of ``total``."""
    if not found:
        return '<p class="note">Every declared mode matches the flows. 声明的模式与实际一致。</p>'
    html = ['<table><thead><tr><th>Partnership 合作</th><th>Participants 参与方</th>'
            '<th>Declared 声明</th><th>Observed 实际</th><th>Evidence 依据</th></tr></thead><tbody>']
    for r in found:
        html.append(f'<tr><td><b>{_e(r.id)}</b><br>{_e(r.name)}</td><td>{_participants(r, data)}</td>'
                    f'<td>{_badge(r.declared)}</td><td>{_badge(r.mode)}'
                    f'{"<br>" + _e(data.label(r.direction)) if r.direction else ""}</td>'
                    f'<td class="mono">{_e(" ".join(r.evidence)) or "–"}</td></tr>')
    html.append("</tbody></table>")
    if total > len(found):
        html.append(_first_rows_note(len(found), total, "mismatches", "条", where="classification.csv"))
    return "\n".join(html)


def _partnership_table(shown: list[_Row], total: int, data: _Data) -> str:
    """The first partnerships by id (``shown``) of ``total``."""
    html = ['<div class="controls">'
            '<input id="pfilter" type="search" placeholder="Filter 筛选 (id, name, 名称…)">'
            '<select id="pmode"><option value="">All modes 全部</option>'
            + "".join(f'<option value="{m}">{_e(" ".join(MODE_NAMES[m]))}</option>'
                      for m in ("two_way", "unilateral", "none"))
            + '<option value="mismatch">Mismatches 不符</option></select>'
            f'<span id="pcount">{len(shown)}</span> rows 行</div>',
            '<table id="partnerships-table"><thead><tr><th>ID</th><th>Name 名称</th>'
            '<th>Participants 参与方</th>'
            '<th>Mode 模式</th><th>Direction 方向</th><th>Patterns 类型</th><th>Declared 声明</th>'
            '<th>Mismatch 不符</th><th>Evidence 依据</th></tr></thead><tbody>']
    for r in shown:
        names = " ".join(_org_name(data.by_id.get(p), p) for p in r.participants)
        text = " ".join((r.id, r.name, names, *r.participants)).lower()
        patterns = "<br>".join(_e(data.label(p)) for p in r.patterns)
        html.append(
            f'<tr data-mode="{_e(r.mode)}" data-mismatch="{str(r.mismatch).lower()}" data-text="{_e(text)}">'
            f'<td><b>{_e(r.id)}</b></td><td>{_e(r.name)}</td><td>{_participants(r, data)}</td>'
            f'<td>{_badge(r.mode)}</td><td>{_e(data.label(r.direction))}</td><td>{patterns}</td>'
            f'<td>{_badge(r.declared) if r.declared else "–"}</td>'
            f'<td>{"<b class=warn>⚠ yes 是</b>" if r.mismatch else "no 否"}</td>'
            f'<td class="mono">{_e(" ".join(r.evidence))}</td></tr>')
    html.append("</tbody></table>")
    if total > len(shown):
        html.append(_first_rows_note(len(shown), total, "partnerships", "项", where="classification.csv"))
    return "\n".join(html)


def _resources(data: _Data) -> str:
    """Flows by resource and side (given / received), then the organizations that give most."""
    sides = ("industry", "education", "third_party")
    given, received = data.flows.given, data.flows.received
    peak = max([c for counter in (*given.values(), *received.values()) for c in counter.values()] or [1])
    head = "".join(f"<th>{_dot(s)}{_e(SIDE_NAMES[s][1])}</th>" for s in sides)
    html = ['<div><div class="wide"><table class="matrix"><thead><tr><th rowspan="2">Resource 资源</th>'
            '<th colspan="3">Given by 提供方</th><th colspan="3">Received by 接收方</th></tr>'
            f'<tr>{head}{head}'
            '</tr></thead><tbody>']
    for resource in sorted(set(given) | set(received)):
        cells = "".join(_bar_cell(counter[s], peak, SIDE_COLORS[s])
                        for counter in (given[resource], received[resource]) for s in sides)
        html.append(f'<tr><td><i class="dot" style="background:{RESOURCE_COLORS.get(resource, "#555")}"></i>'
                    f'{_e(data.label(resource))}</td>{cells}</tr>')
    html.append('</tbody></table><p class="note">Number of flows, explicit and implied. '
                "资源流动次数（含隐含）。</p></div>")
    html.append(_top_givers(data))
    html.append("</div>")
    return "\n".join(html)


def _bar_cell(value: int, peak: int, color: str) -> str:
    if not value:
        return '<td class="num muted">·</td>'
    width = max(2, round(60 * value / peak))
    return (f'<td class="num"><span class="cellbar" style="width:{width}px;background:{color}"></span>'
            f"{_n(value)}</td>")


def _organization_counts(store: Store, iris: list[str]
                         ) -> tuple[dict[str, dict[str, dict[str, int]]], dict[str, Counter[str]]]:
    """For these organizations only: flows given and received per resource, partnerships per mode."""
    rows = [(ox.NamedNode(iri),) for iri in iris]
    flows: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: {"gave": {}, "received": {}})
    modes: dict[str, Counter[str]] = defaultdict(Counter)
    if rows:
        for org, role, resource, n in store.query(bind_rows(_GIVEN_AND_RECEIVED, ["org"], rows)):
            flows[org.value][role.value][resource.value] = int(n.value)
        for org, mode, n in store.query(bind_rows(_MODES_OF, ["org"], rows)):
            modes[org.value][mode.value] = int(n.value)
    return flows, modes


def _top_givers(data: _Data, limit: int = 15) -> str:
    """The organizations that give most flows of a resource, with what they give and receive."""
    givers = data.flows.givers
    ranked = sorted((org for org, n in givers.items() if n), key=lambda org: (-givers[org], org))[:limit]
    if not ranked:
        return '<div><p class="note">No resource given. 无资源提供。</p></div>'
    flows, modes = _organization_counts(data.store, [data.iris[org] for org in ranked])
    html = ['<div><h3>Who gives what <span class="zh">谁提供了什么</span></h3><table><thead><tr>'
            '<th>Organization 机构</th><th>Gives 提供</th><th>Receives 接收</th>'
            '<th>Partnerships 合作 (双向/单向/无)</th></tr></thead><tbody>']
    for org in ranked:
        attrs, iri = data.by_id[org], data.iris[org]
        gave = _resource_counts(data, flows[iri]["gave"])
        got = _resource_counts(data, flows[iri]["received"])
        by_mode = modes[iri]
        html.append(f"<tr><td>{_dot(attrs['side'])}{_e(_org_name(attrs, org))}<br>"
                    f"<small>{_e(data.label(attrs['type']))}</small></td>"
                    f"<td>{_e(gave)}</td><td>{_e(got) or '–'}</td><td class='num'>"
                    f"{_n(by_mode['two_way'])} / {_n(by_mode['unilateral'])} / {_n(by_mode['none'])}"
                    "</td></tr>")
    html.append("</tbody></table></div>")
    return "\n".join(html)


def _resource_counts(data: _Data, counts: dict[str, int] | None) -> str:
    return ", ".join(f"{data.label(k, both=False)} {_n(v)}" for k, v in sorted((counts or {}).items()))


def _sparkline(values: list[float | None]) -> str:
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return ""
    low, high = min(v for _, v in points), max(v for _, v in points)
    span = (high - low) or 1.0
    step = 76 / max(1, len(values) - 1)
    coords = " ".join(f"{2 + i * step:.1f},{18 - 16 * (v - low) / span:.1f}" for i, v in points)
    return (f'<svg class="spark" viewBox="0 0 80 20" width="80" height="20"><polyline points="{coords}" '
            f'fill="none" stroke="#2f6db5" stroke-width="1.5"/></svg>')


def _number(value: float) -> str:
    """A measured value as people read it: 1,236,530.5, 480, 0.25 (never 1.23653e+06)."""
    if value and abs(value) < 1:
        return f"{value:.3g}"
    return f"{value + 0.0:,.2f}".rstrip("0").rstrip(".")  # + 0.0: no "-0"


def _indicators(store: Store, data: _Data) -> str:
    series: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    units: dict[tuple[str, str], str] = {}
    for subject, indicator, year, value, unit, ident, name in store.query(_OUTCOMES):
        attrs = data.nodes.get(subject.value)
        shown = (_org_name(attrs, attrs["id"]) if attrs else
                 f"{term_text(ident) or iri_tail(subject.value)} {term_text(name)}".strip())
        key = (shown, indicator.value)
        try:
            series[key][year.value] = float(value.value)
        except ValueError:
            continue
        units[key] = unit.value if unit is not None else ""
    if not series:
        return '<p class="note">No outcomes in the data. 数据中没有成效指标。</p>'
    years = sorted({y for s in series.values() for y in s})
    keys = sorted(series)[:MAX_INDICATOR_ROWS]
    html = ['<table class="indicators"><thead><tr><th>Subject 对象</th><th>Indicator 指标</th>'
            "<th>Unit 单位</th>"
            + "".join(f'<th class="num">{_e(y or "—")}</th>' for y in years)
            + "<th>Trend 趋势</th></tr></thead><tbody>"]
    for key in keys:
        values = [series[key].get(y) for y in years]
        cells = "".join(f'<td class="num">{_number(v)}</td>' if v is not None
                        else '<td class="num muted">·</td>' for v in values)
        html.append(f"<tr><td>{_e(key[0])}</td><td>{_e(data.label(key[1]))}</td><td>{_e(units[key])}</td>"
                    f"{cells}<td>{_sparkline(values)}</td></tr>")
    html.append("</tbody></table>")
    if len(series) > len(keys):
        html.append(_first_rows_note(len(keys), len(series), "series", "个", noun_zh="序列"))
    return "\n".join(html)


def _problems(validation: ValidationReport) -> str:
    problems = validation.problems
    if not problems:
        return '<p class="ok">✓ No problems found in the input. 输入数据未发现问题。</p>'
    html = [f'<p class="warn">{_n(len(problems))} problem{"s" * (len(problems) != 1)} found; '
            "the records concerned were left out of the analysis. "
            f"发现 {_n(len(problems))} 个问题，相关记录未纳入分析。</p>",
            "<table><thead><tr><th>File 文件</th><th>Row 行</th><th>Table 表</th><th>ID</th>"
            "<th>Column 列</th><th>Problem 问题</th></tr></thead><tbody>"]
    for p in problems[:MAX_PROBLEM_ROWS]:
        column = _e(p.column) if p.column else (f"&lt;{_e(p.path)}&gt;" if p.path else "")
        html.append(f"<tr><td>{_e(Path(p.file).name)}</td><td class='num'>{_e(p.row or '')}</td>"
                    f"<td>{_e(p.table or '')}</td><td>{_e(p.id or p.focus or '')}</td>"
                    f"<td>{column}</td><td>{_e(p.message)}</td></tr>")
    html.append("</tbody></table>")
    if len(problems) > MAX_PROBLEM_ROWS:
        html.append(_first_rows_note(MAX_PROBLEM_ROWS, len(problems), "problems", "个",
                                     where="validation.json"))
    return "\n".join(html)


# --- the network ---------------------------------------------------------------------------

def drawn_organizations(data: _Data, limit: int) -> tuple[set[str], int]:
    """The organizations the network draws, and how many of them are hubs (0 when all are
    drawn, or when none has a flow).

    Up to ``limit`` organizations, all of them are drawn. Beyond, the ``limit // 10`` most
    connected (hubs) and, in turns, each hub's partners by the flows they exchange with it
    (then by how connected they are), until ``limit`` (should the hubs have fewer partners,
    the next most connected fill the rest). So every drawn organization has a drawn flow,
    where the most connected organizations alone are mostly not linked to each other
    (colleges whose partners are many small enterprises).
    """
    degree = data.flows.degree
    ranked = sorted(data.by_id, key=lambda n: (-degree[n], n))
    if len(ranked) <= limit:
        return set(ranked), 0
    hubs = [n for n in ranked[: max(1, limit // 10)] if degree[n]]
    ties: dict[str, Counter[str]] = {hub: Counter() for hub in hubs}
    for source, target, _, _ in data.network.edges():
        for hub, partner in ((source, target), (target, source)):
            if hub in ties and partner in data.by_id:
                ties[hub][partner] += 1
    kept = set(hubs)
    turns = [sorted(ties[hub], key=lambda n: (-ties[hub][n], -degree[n], n)) for hub in hubs]
    for partner in itertools.chain.from_iterable(itertools.zip_longest(*turns)):
        if len(kept) == limit:
            break
        if partner is not None:
            kept.add(partner)
    for organization in ranked:  # room left: the next most connected
        if len(kept) == limit:
            break
        kept.add(organization)
    return kept, len(hubs)


def network_elements(data: _Data) -> dict[str, Any]:
    """Cytoscape.js elements: organizations with preset positions (those of
    :func:`drawn_organizations`), flows merged per provider, recipient, resource and kind
    (explicit / implied) with a count."""
    degree = data.flows.degree
    by_id = data.by_id
    kept, hubs = drawn_organizations(data, MAX_NETWORK_NODES)
    merged: dict[tuple[str, str, str, bool], dict[str, Any]] = {}
    for source, target, key, attrs in data.network.edges():
        if source in kept and target in kept:
            edge = merged.setdefault((source, target, attrs["resource"], attrs["implied"]),
                                     {"flows": [], "partnerships": set()})
            edge["flows"].append(key)
            edge["partnerships"].add(attrs["partnership"])
    positions = _layout(sorted(kept), merged)
    nodes = []
    for node in sorted(kept):
        a = by_id[node]
        x, y = positions[node]
        nodes.append({"data": {"id": f"n:{node}", "org": node, "name": _org_name(a, node), "en": a["label"],
                               "type": data.label(a["type"]), "side": a["side"] or "unknown",
                               "region": a["region"], "industry": a["industry"],
                               "size": round(min(44, 14 + 3.5 * math.sqrt(degree[node])), 1)},
                      "position": {"x": x, "y": y}})
    edges = []
    for (source, target, resource, implied), e in sorted(merged.items()):
        edges.append({"data": {
            "id": f"e:{source}:{target}:{resource}:{'implied' if implied else 'explicit'}",
            "source": f"n:{source}", "target": f"n:{target}", "resource": resource,
            "resource_label": data.label(resource, both=False), "implied": implied,
            "count": len(e["flows"]), "width": round(1.5 + 1.2 * math.log2(len(e["flows"])) + 0.01, 2),
            "partnerships": sorted(e["partnerships"]), "flows": sorted(e["flows"])[:20]}})
    return {"nodes": nodes, "edges": edges, "total": len(by_id), "shown": len(kept), "hubs": hubs}


def _layout(nodes: list[str], edges: dict[tuple[str, str, str, bool], Any]) -> dict[str, tuple[float, float]]:
    """Deterministic positions: a seeded spring layout, scaled to about 1000 × 1000."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for source, target, _, _ in sorted(edges):
        if graph.has_edge(source, target):
            graph[source][target]["weight"] += 1
        else:
            graph.add_edge(source, target, weight=1)
    if not nodes:
        return {}
    k = 3.0 / math.sqrt(len(nodes))
    pos = nx.spring_layout(graph, k=k, iterations=60, seed=20240601, weight=None)
    scale = 60 * math.sqrt(len(nodes))
    return {n: (round(float(p[0]) * scale, 1), round(float(p[1]) * scale, 1)) for n, p in pos.items()}


def _network(data: _Data) -> str:
    elements = network_elements(data)
    sides = ("industry", "education", "third_party")
    legend = ['<div class="legend"><div><b>Organizations 机构</b>']
    for side in sides:
        shape = "border-radius:3px" if side == "industry" else (
            "border-radius:50%" if side == "education" else "transform:rotate(45deg) scale(.8)")
        legend.append(f'<span><i class="sw" style="background:{SIDE_COLORS[side]};{shape}"></i>'
                      f'{_e(" ".join(SIDE_NAMES[side]))}</span>')
    legend.append('</div><div><b>Flows 资源流动</b>')
    resources = {e["data"]["resource"]: e["data"]["resource_label"] for e in elements["edges"]}
    for resource, label in sorted(resources.items()):
        legend.append(f'<span><i class="ln" style="background:{RESOURCE_COLORS.get(resource, "#555")}"></i>'
                      f'{_e(resource)} {_e(label)}</span>')
    legend.append('<span><i class="ln dashed"></i>implied by an activity 活动隐含</span></div></div>')
    note = ""
    if elements["shown"] < elements["total"]:
        shown, total, hubs = (_n(elements[k]) for k in ("shown", "total", "hubs"))
        if elements["hubs"]:
            how = (f": the {hubs} most connected and, in turns, the partners each exchanges most "
                   f"flows with. 图中显示 {total} 个机构中的 {shown} 个：联系最多的 {hubs} 个机构，"
                   "以及与它们资源流动最多的合作方。")
        else:
            how = f"; there is no flow. 图中显示 {total} 个机构中的 {shown} 个，无资源流动。"
        note = f'<p class="note">{shown} of {total} organizations are drawn{how}</p>'
    payload = json.dumps(elements, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    payload = payload.replace("</", "<\\/").replace("<!--", "<\\!--")
    return (f'{note}<div class="controls"><button type="button" id="fit">Fit 适应窗口</button>'
            '<label><input type="checkbox" id="show-implied" checked> Implied flows 隐含流动</label>'
            '<label><input type="checkbox" id="show-labels" checked> Labels 标签</label>'
            '<span class="note">Click a node or an edge for details; scroll to zoom. '
            "点击查看详情，滚轮缩放。</span>"
            '</div><div class="network-wrap"><div id="network" role="img" aria-label="partnership network">'
            '</div><aside id="details"><p class="note">Select an organization or a flow. '
            "请选择机构或资源流动。</p>"
            f'</aside></div>{"".join(legend)}'
            f'<script type="application/json" id="network-data">{payload}</script>')


_NETWORK_JS = """
(function () {
  var data = JSON.parse(document.getElementById('network-data').textContent);
  var sideColors = %(side_colors)s, resourceColors = %(resource_colors)s, shapes = %(shapes)s;
  var sideNames = %(side_names)s;
  var font = %(font)s;
  function esc(s) {
    var d = document.createElement('div'); d.textContent = s == null ? '' : String(s); return d.innerHTML;
  }
  var cy = window.cy = cytoscape({
    container: document.getElementById('network'),
    elements: data.nodes.concat(data.edges),
    layout: { name: 'cose', randomize: false, animate: false, fit: true, padding: 30,
              nodeRepulsion: function () { return 20000; }, idealEdgeLength: function () { return 55; },
              nodeOverlap: 40, componentSpacing: 50, gravity: 0.8, numIter: 1500 },
    textureOnViewport: false,
    wheelSensitivity: 0.3,
    minZoom: 0.1, maxZoom: 4,
    style: [
      { selector: 'node', style: {
          'background-color': function (n) { return sideColors[n.data('side')] || '#c0c4ca'; },
          'shape': function (n) { return shapes[n.data('side')] || 'ellipse'; },
          'width': 'data(size)', 'height': 'data(size)',
          'label': 'data(name)', 'font-family': font, 'font-size': 14, 'color': '#1f2933',
          'text-valign': 'bottom', 'text-margin-y': 3, 'text-wrap': 'ellipsis', 'text-max-width': 150,
          'text-background-color': '#ffffff', 'text-background-opacity': 0.7, 'text-background-padding': 1,
          'border-width': 1.5, 'border-color': '#ffffff', 'min-zoomed-font-size': 5 } },
      { selector: 'edge', style: {
          'width': 'data(width)', 'curve-style': 'bezier', 'control-point-step-size': 10,
          'target-arrow-shape': 'triangle', 'arrow-scale': 0.8,
          'line-color': function (e) { return resourceColors[e.data('resource')] || '#555'; },
          'target-arrow-color': function (e) { return resourceColors[e.data('resource')] || '#555'; },
          'opacity': 0.75 } },
      { selector: 'edge[?implied]', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 3] } },
      { selector: ':selected', style: { 'border-color': '#111', 'border-width': 3, 'opacity': 1,
          'line-color': '#111', 'target-arrow-color': '#111' } },
      { selector: '.faded', style: { 'opacity': 0.12 } },
      { selector: '.nolabel', style: { 'label': '' } }
    ]
  });
  var details = document.getElementById('details');
  function show(html) { details.innerHTML = html; }
  cy.on('tap', 'node', function (evt) {
    var n = evt.target, d = n.data(), out = {}, inc = {};
    function add(o, e) { var k = e.data('resource_label'); o[k] = (o[k] || 0) + e.data('count'); }
    n.outgoers('edge').forEach(function (e) { add(out, e); });
    n.incomers('edge').forEach(function (e) { add(inc, e); });
    function list(o) {
      var k = Object.keys(o).sort();
      return k.length ? k.map(function (x) { return esc(x) + ' ' + o[x]; }).join(', ') : '–';
    }
    cy.elements().addClass('faded'); n.closedNeighborhood().removeClass('faded');
    show('<h3>' + esc(d.name) + '</h3><p>' + esc(d.en) + '</p><dl>' +
      '<dt>ID</dt><dd>' + esc(d.org) + '</dd><dt>Type 类型</dt><dd>' + esc(d.type) + '</dd>' +
      '<dt>Side 所属方</dt><dd>' + esc(sideNames[d.side] || d.side) + '</dd>' +
      '<dt>Region 地区</dt><dd>' + esc(d.region || '–') + '</dd>' +
      '<dt>Industry 行业</dt><dd>' + esc(d.industry || '–') + '</dd>' +
      '<dt>Gives 提供</dt><dd>' + list(out) + '</dd><dt>Receives 接收</dt><dd>' + list(inc) + '</dd></dl>');
  });
  cy.on('tap', 'edge', function (evt) {
    var e = evt.target, d = e.data();
    cy.elements().addClass('faded'); e.union(e.connectedNodes()).removeClass('faded');
    show('<h3>' + esc(e.source().data('name')) + ' → ' + esc(e.target().data('name')) + '</h3><dl>' +
      '<dt>Resource 资源</dt><dd>' + esc(d.resource_label) + ' (' + esc(d.resource) + ')</dd>' +
      '<dt>Kind 类型</dt><dd>' + (d.implied ? 'implied by activities 活动隐含' : 'explicit 显式') + '</dd>' +
      '<dt>Flows 次数</dt><dd>' + d.count + '</dd>' +
      '<dt>Partnerships 合作</dt><dd>' + esc(d.partnerships.join(', ')) + '</dd>' +
      '<dt>Records 记录</dt><dd class="mono">' + esc(d.flows.join(' ')) + '</dd></dl>');
  });
  cy.on('tap', function (evt) { if (evt.target === cy) { cy.elements().removeClass('faded'); } });
  document.getElementById('fit').addEventListener('click', function () { cy.fit(undefined, 30); });
  document.getElementById('show-implied').addEventListener('change', function (ev) {
    cy.edges('[?implied]').style('display', ev.target.checked ? 'element' : 'none');
  });
  document.getElementById('show-labels').addEventListener('change', function (ev) {
    if (ev.target.checked) { cy.nodes().removeClass('nolabel'); } else { cy.nodes().addClass('nolabel'); }
  });
})();
"""

_TABLE_JS = """
(function () {
  var input = document.getElementById('pfilter'), select = document.getElementById('pmode');
  if (!input) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll('#partnerships-table tbody tr'));
  function apply() {
    var q = input.value.trim().toLowerCase(), m = select.value, n = 0;
    rows.forEach(function (r) {
      var ok = (!q || r.getAttribute('data-text').indexOf(q) >= 0) &&
        (!m || (m === 'mismatch' ? r.getAttribute('data-mismatch') === 'true'
                                 : r.getAttribute('data-mode') === m));
      r.style.display = ok ? '' : 'none'; if (ok) { n += 1; }
    });
    document.getElementById('pcount').textContent = n;
  }
  input.addEventListener('input', apply); select.addEventListener('change', apply);
})();
"""

_CSS = """
:root { --ink: #1f2933; --muted: #6b7785; --line: #e3e7eb; --band: #16324f; }
* { box-sizing: border-box; }
body { margin: 0; font-family: %(font)s; color: var(--ink); background: #f5f7f9; line-height: 1.5; }
header { background: var(--band); color: #fff; padding: 28px 40px 22px; }
header h1 { margin: 0; font-size: 26px; font-weight: 600; }
header .sub { margin-top: 6px; color: #c9d6e3; font-size: 14px; }
nav {
  background: #fff;
  border-bottom: 1px solid var(--line);
  padding: 8px 40px;
  position: sticky;
  top: 0;
  z-index: 5;
}
nav a {
  color: var(--band);
  margin-right: 16px;
  text-decoration: none;
  font-size: 14px;
  white-space: nowrap;
}
main { max-width: 1240px; margin: 0 auto; padding: 8px 24px 40px; }
section {
  background: #fff;
  border: 1px solid var(--line);
  border-radius: 8px;
  padding: 18px 22px;
  margin: 18px 0;
}
h2 { margin: 0 0 12px; font-size: 20px; color: var(--band); }
h3 { font-size: 15px; margin: 4px 0 8px; }
.zh { color: var(--muted); font-weight: 400; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card {
  flex: 1 1 180px;
  border: 1px solid var(--line);
  border-radius: 8px;
  padding: 12px 14px;
  background: #fafbfc;
}
.card-title { font-size: 13px; color: var(--muted); }
.card-value { font-size: 30px; font-weight: 600; color: var(--band); }
.card-detail { font-size: 12px; color: var(--muted); }
.modebar { display: flex; height: 30px; border-radius: 6px; overflow: hidden; margin: 16px 0 8px; }
.modebar div {
  color: #fff;
  font-size: 13px;
  line-height: 30px;
  padding: 0 8px;
  white-space: nowrap;
  overflow: hidden;
  text-overflow: ellipsis;
}
.findings li { margin: 3px 0; }
.two-col {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(420px, 1fr));
  gap: 18px;
  align-items: start;
}
.two-col > *, .wide { min-width: 0; overflow-x: auto; }
figure.chart { margin: 0; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.bars { width: 100%%; height: auto; font-family: %(font)s; font-size: 12px; fill: var(--ink); }
table { border-collapse: collapse; width: 100%%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 7px; text-align: left; vertical-align: top; }
th { background: #f0f3f6; font-weight: 600; }
table.matrix th { white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
.muted { color: #b5bcc4; }
.mono {
  font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: 12px;
  word-break: break-word;
}
.badge {
  display: inline-block;
  color: #fff;
  border-radius: 10px;
  padding: 0 8px;
  font-size: 12px;
  white-space: nowrap;
}
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%%; margin-right: 5px; }
.cellbar { display: inline-block; height: 9px; margin-right: 5px; border-radius: 2px; opacity: .8; }
.warn { color: #b03a2e; }
.ok { color: #2e8b57; }
.note { color: var(--muted); font-size: 13px; }
.controls {
  display: flex;
  flex-wrap: wrap;
  gap: 12px;
  align-items: center;
  margin-bottom: 10px;
  font-size: 13px;
}
.controls input[type=search] {
  padding: 5px 8px;
  min-width: 260px;
  border: 1px solid #c5ccd3;
  border-radius: 4px;
}
.controls select, .controls button {
  padding: 4px 8px;
  border: 1px solid #c5ccd3;
  border-radius: 4px;
  background: #fff;
}
.network-wrap { display: grid; grid-template-columns: 1fr 280px; gap: 12px; }
#network { height: 640px; border: 1px solid var(--line); border-radius: 6px; background: #fcfdfe; }
#details {
  border: 1px solid var(--line);
  border-radius: 6px;
  padding: 10px 12px;
  font-size: 13px;
  overflow: auto;
  max-height: 640px;
}
#details dt { color: var(--muted); font-size: 12px; } #details dd { margin: 0 0 6px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 28px; margin-top: 10px; font-size: 12px; }
.legend span { margin-right: 12px; white-space: nowrap; }
.legend b { margin-right: 10px; }
.legend .sw {
  display: inline-block;
  width: 12px;
  height: 12px;
  margin-right: 5px;
  vertical-align: -1px;
}
.legend .ln { display: inline-block; width: 22px; height: 3px; margin-right: 5px; vertical-align: 3px; }
.legend .ln.dashed { background: repeating-linear-gradient(90deg, #555 0 6px, transparent 6px 9px); }
footer { max-width: 1240px; margin: 0 auto; padding: 0 24px 30px; color: var(--muted); font-size: 12px; }
@media print {
  nav, .controls { display: none; }
  section { break-inside: avoid; }
  #network { height: 520px; }
}
"""


def _script_text(name: str) -> str:
    return importlib.resources.files("iei_onto.vendor").joinpath(name).read_text(encoding="utf-8")


def _page(title: str, subtitle: str, nav: list[tuple[str, str]], sections: list[str]) -> str:
    """The whole document: styles, sections and the scripts, all inline."""
    js_constants = {
        "side_colors": json.dumps({**SIDE_COLORS, "unknown": SIDE_COLORS[""]}),
        "resource_colors": json.dumps(RESOURCE_COLORS),
        "shapes": json.dumps(SIDE_SHAPES),
        "side_names": json.dumps({k: " ".join(v) for k, v in SIDE_NAMES.items()}, ensure_ascii=False),
        "font": json.dumps(FONT_STACK),
    }
    links = "".join(f'<a href="#sec-{a}">{_e(t)}</a>' for a, t in nav)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="iei-onto">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS % {'font': FONT_STACK}}</style></head>",
        "<body>",
        f'<header><h1>{_e(title)}</h1><div class="sub">{subtitle}</div></header>',
        f"<nav>{links}</nav>",
        "<main>",
        *sections,
        "</main>",
        '<footer>Made with iei-onto. Network drawn with Cytoscape.js (MIT licence, © The Cytoscape '
        "Consortium), included in this file so that it works offline.</footer>",
        f"<script>{_script_text('cytoscape.min.js')}</script>",
        f"<script>{_NETWORK_JS % js_constants}</script>",
        f"<script>{_TABLE_JS}</script>",
        "</body></html>",
        "",
    ])


def _section(anchor: str, english: str, chinese: str, body: str) -> str:
    return f'<section aria-labelledby="sec-{anchor}">{_h2(anchor, english, chinese)}{body}</section>'


def _subtitle(kg: KnowledgeGraph, generated: str | None) -> str:
    parts = []
    if kg.sources:
        parts.append("Data 数据: " + _e(", ".join(Path(s).name or s for s in kg.sources)))
    if kg.reasoning is not None:
        parts.append(f"Reasoner 推理引擎: {_e(kg.reasoning.engine)}")
    if generated:
        parts.append(f"Generated 生成于 {_e(generated)}")
    parts.append("Two-way = resources flow both ways between industry and education "
                 "(双向 = 产业与教育之间资源双向流动)")
    return " · ".join(parts)


def report_html(
    kg: KnowledgeGraph,
    *,
    classifications: Sequence[Any],
    validation: ValidationReport,
    title: str = "Integration of production and education: partnership report · 产教融合合作分析报告",
    generated: str | None = None,
    network: FlowNetwork | None = None,
) -> str:
    """The report as one HTML string (see :func:`write_report`)."""
    if network is None:
        with read_flow_network(kg.store) as read:
            return report_html(kg, classifications=classifications, validation=validation, title=title,
                               generated=generated, network=read)
    data = _Data.read(kg.store, network)
    ordered = sorted(classifications, key=_partnership_id)
    tally = _Tally.read(ordered)
    first = ordered[:MAX_TABLE_ROWS]
    mismatched = [c for c in ordered if _field(c, "mismatch")][:MAX_TABLE_ROWS]
    details = _Details.read(kg.store, data.nodes, first + mismatched)
    table, mismatches = [details.row(c) for c in first], [details.row(c) for c in mismatched]
    nav = [("summary", "Summary 概览"), ("shares", "Regions & industries 地区与行业"),
           ("mismatches", "Mismatches 不符"), ("network", "Network 网络"),
           ("partnerships", "Partnerships 合作关系"), ("resources", "Resources 资源"),
           ("indicators", "Indicators 指标"), ("problems", "Data problems 数据问题")]
    sections = [
        _section("summary", "Summary", "概览", _summary(data, tally, validation)),
        _section("shares", "Two-way partnerships by region and industry", "各地区、行业的双向合作比例",
                 _shares(kg.store)),
        _section("mismatches", "Declared versus observed", "声明模式与实际不符",
                 _mismatches(mismatches, tally.mismatches, data)),
        _section("network", "The partnership network", "合作网络", _network(data)),
        _section("partnerships", "Every partnership", "全部合作关系",
                 _partnership_table(table, tally.total, data)),
        _section("resources", "Resources given and received", "资源的提供与接收", _resources(data)),
        _section("indicators", "Indicators over the years", "历年成效指标", _indicators(kg.store, data)),
        _section("problems", "Problems in the input", "输入数据问题", _problems(validation)),
    ]
    return _page(title, _subtitle(kg, generated), nav, sections)


def write_report(
    kg: KnowledgeGraph,
    path: Path,
    *,
    classifications: Sequence[Any],
    validation: ValidationReport,
    title: str | None = None,
    generated: str | None = None,
    network: FlowNetwork | None = None,
) -> Path:
    """Write the self-contained HTML report to ``path`` (atomically) and return the path.

    Parameters
    ----------
    kg
        The knowledge graph, reasoned.
    path
        The file to write.
    classifications
        From :meth:`KnowledgeGraph.classify`: the summary, the mismatches and the table of
        partnerships show them. The shares by region and industry, the organizations that
        give most and the network are counted in the store, which holds the same
        classification once the graph is reasoned.
    validation
        The validation report; its problems are listed at the end.
    title, generated
        An optional title and a date or time to print (none by default, so the file is
        the same for the same input).
    network
        The flows as :func:`~iei_onto.export.read_flow_network` read them, when the caller
        shares one read with other writers (read here otherwise).
    """
    kwargs = {"title": title} if title else {}
    html = report_html(kg, classifications=classifications, validation=validation,
                       generated=generated, network=network, **kwargs)
    return atomic_write(Path(path), html)


def network_page(kg: KnowledgeGraph, *, title: str = "Partnership network · 合作网络") -> str:
    """A self-contained page with only the interactive network (``iei export --format html``)."""
    with read_flow_network(kg.store) as network:
        data = _Data.read(kg.store, network)
        return _page(title, _subtitle(kg, None), [("network", "Network 网络")],
                     [_section("network", "The partnership network", "合作网络", _network(data))])
