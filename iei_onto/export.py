"""The partnership network as networkx graphs, and the files written from it.

Two views of the network (PRODUCT.md section 5), read with SPARQL from the store:

* ``flows``: organizations are nodes (keyed by their table id); every resource flow,
  explicit or implied by an activity, is a directed edge provider → recipient.
* ``partnerships``: one edge per pair of participants of each partnership, carrying the
  partnership's mode and patterns.

:func:`export` writes the network (GraphML, GEXF, Cytoscape.js JSON, Graphviz DOT, an
interactive HTML page) or the RDF graph (Turtle, N-Triples, JSON-LD); every writer is
deterministic, so the same input gives byte-identical files.

>>> import iei_onto as iei
>>> kg = iei.load("examples/demo")                 # doctest: +SKIP
>>> g = kg.to_networkx()                           # doctest: +SKIP
>>> kg.export("out/network.graphml")               # doctest: +SKIP
"""

from __future__ import annotations

import heapq
import io
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pyoxigraph as ox

from .errors import InputError
from .files import atomic_write, stream_write
from .model import DATA_BASE, IEI_NS
from .store import read_ahead

if TYPE_CHECKING:
    from .kg import KnowledgeGraph
    from .store import Store

PREFIXES = f"""
PREFIX iei: <{IEI_NS}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

#: side of an organization: the superclass of its type class, and the code used in exports
SIDES = {
    "IndustrySideActor": "industry",
    "EducationSideActor": "education",
    "ThirdPartyActor": "third_party",
}

#: node attributes of both views, in this order
NODE_ATTRIBUTES = ("id", "label", "label_zh", "type", "side", "region", "industry")

# No GROUP BY, as for the flows below: a MIN per column makes Oxigraph read the text of every
# value to compare them (on disk 11 s instead of 5 s at 3.9M triples); the shapes allow each
# value once, and organization_nodes keeps the smallest when there are several.
_ORGANIZATIONS = PREFIXES + """
SELECT ?org ?id ?name ?zh ?region ?industry
WHERE {
  { SELECT DISTINCT ?org WHERE {
      { ?org rdf:type/rdfs:subClassOf* iei:Organization }
      UNION { ?partnership iei:participant ?org }
      UNION { ?flow iei:provider|iei:recipient ?org }
  } }
  OPTIONAL { ?org dcterms:identifier ?id }
  OPTIONAL { ?org rdfs:label ?name FILTER(lang(?name) = "" || langMatches(lang(?name), "en")) }
  OPTIONAL { ?org rdfs:label ?zh FILTER(langMatches(lang(?zh), "zh")) }
  OPTIONAL { ?org iei:region ?region }
  OPTIONAL { ?org iei:industry ?industry }
}
"""
# The coded classes of each organization below a side, and which coded classes are below
# which: organization_nodes keeps the most specific. (As one query, with a FILTER NOT EXISTS
# of a narrower type, 7.4 s at 3.9M triples on disk, where these take 0.3 s; with a MINUS
# 2.0 s but 660 MiB more.)
_ORGANIZATION_TYPES = PREFIXES + """
SELECT ?org ?cls ?type ?side WHERE {
  VALUES (?sideClass ?side) {
    (iei:IndustrySideActor "industry") (iei:EducationSideActor "education")
    (iei:ThirdPartyActor "third_party")
  }
  ?cls rdfs:subClassOf+ ?sideClass ; skos:notation ?type .
  ?org rdf:type ?cls .
}
"""
_NARROWER_TYPES = PREFIXES + """
SELECT ?narrower ?cls WHERE {
  ?narrower skos:notation ?code ; rdfs:subClassOf+ ?cls .
  FILTER(?narrower != ?cls)
}
"""

# No GROUP BY: the shapes allow each of these values once, and a GROUP BY would hold every
# flow in the store's memory (1.1 KB a flow, 420 MB at 3.9M triples); a flow that has two
# values anyway gives several rows, of which the edges keep one (see _first_per_edge).
_FLOWS = PREFIXES + """
SELECT ?flow ?prov ?rec ?id ?partnership ?resource ?amount ?activity ?implied
WHERE {
  ?flow iei:flowOf ?p ; iei:provider ?prov ; iei:recipient ?rec .
  OPTIONAL { ?flow dcterms:identifier ?id }
  OPTIONAL { ?p dcterms:identifier ?partnership }
  OPTIONAL { ?flow iei:resource/skos:notation ?resource }
  OPTIONAL { ?flow iei:amount ?amount }
  OPTIONAL { ?flow iei:impliedBy/dcterms:identifier ?activity }
  BIND(EXISTS { ?flow iei:impliedBy ?any } || EXISTS { ?flow rdf:type iei:ImpliedFlow } AS ?implied)
}
"""

_PARTNERSHIPS = PREFIXES + """
SELECT ?p (MIN(?id0) AS ?id) (MIN(?name0) AS ?name) (MIN(?mode0) AS ?mode)
       (MIN(?dir0) AS ?direction) (MIN(?declared0) AS ?declared)
       (GROUP_CONCAT(DISTINCT ?pattern0; separator=";") AS ?patterns)
WHERE {
  { SELECT DISTINCT ?p WHERE { { ?p rdf:type iei:Partnership } UNION { ?p iei:participant ?o } } }
  OPTIONAL { ?p dcterms:identifier ?id0 }
  OPTIONAL { ?p rdfs:label ?name0 }
  OPTIONAL { ?p iei:mode/skos:notation ?mode0 }
  OPTIONAL { ?p iei:direction/skos:notation ?dir0 }
  OPTIONAL { ?p iei:declaredMode/skos:notation ?declared0 }
  OPTIONAL { ?p iei:pattern/skos:notation ?pattern0 }
}
GROUP BY ?p
"""

_PARTICIPANTS = PREFIXES + """
SELECT ?p ?org WHERE { ?p iei:participant ?org }
"""


def term_text(term: Any) -> str:
    """The lexical value of an optional query result term ('' when unbound)."""
    return "" if term is None else str(term.value)


def iri_tail(iri: str) -> str:
    """The percent-decoded last path segment of an IRI: the table id of a record IRI."""
    return urllib.parse.unquote(iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])


def _implied_key(iri: str, activity: str) -> str:
    """Key of an implied flow: ``<activity id>/implied/<rule>/<provider>/<recipient>``."""
    at = iri.find("/implied/")
    if at < 0:
        return urllib.parse.unquote(iri)
    tail = urllib.parse.unquote(iri[at + 1:])
    return f"{activity}/{tail}" if activity else tail


def _amount(term: Any) -> float:
    try:
        return float(term.value) if term is not None else 0.0
    except ValueError:
        return 0.0


@dataclass(frozen=True)
class Partnership:
    """A partnership as the exports and the report show it."""

    iri: str
    id: str
    name: str
    mode: str
    direction: str
    declared_mode: str
    patterns: tuple[str, ...]
    participants: tuple[str, ...] = field(default=())


def organization_nodes(store: Store) -> dict[str, dict[str, str]]:
    """Node attributes of every organization, keyed by organization IRI.

    Attributes are :data:`NODE_ATTRIBUTES`, plain strings, empty when missing; ``label``
    falls back to the Chinese name, then to the id, so every tool shows something.
    """
    values: dict[str, list[str]] = {}  # id, name, zh, region, industry: the smallest of each
    for org, *row in read_ahead(lambda: store.query(_ORGANIZATIONS)):
        if isinstance(org, ox.NamedNode):
            texts = [term_text(term) for term in row]
            least = values.setdefault(org.value, texts)
            least[:] = [min(a, b) if a and b else a or b for a, b in zip(least, texts, strict=True)]
    nodes: dict[str, dict[str, str]] = {}
    for iri, (ident, name, zh, region, industry) in values.items():
        node_id = ident or iri_tail(iri)
        nodes[iri] = {"id": node_id, "label": name or zh or node_id, "label_zh": zh,
                      "type": "", "side": "", "region": region, "industry": industry}
    for org, kind, side in most_specific_types(store):
        if org in nodes and not nodes[org]["type"]:
            nodes[org].update(type=kind, side=side)
    return nodes


def most_specific_types(store: Store) -> list[tuple[str, str, str]]:
    """``(organization IRI, type code, side code)`` of each organization's coded classes below
    a side that have no coded class of the organization below them, sorted."""
    narrower = {(sub.value, cls.value) for sub, cls in store.query(_NARROWER_TYPES)}
    classes: dict[str, list[tuple[str, str, str]]] = {}
    for org, cls, kind, side in read_ahead(lambda: store.query(_ORGANIZATION_TYPES)):
        classes.setdefault(org.value, []).append((cls.value, term_text(kind), term_text(side)))
    return sorted((org, kind, side) for org, found in classes.items() for cls, kind, side in found
                  if not any((other, cls) in narrower for other, _, _ in found))


def partnerships(store: Store, nodes: dict[str, dict[str, str]] | None = None) -> list[Partnership]:
    """Every partnership with its classification (when reasoning ran) and participant ids, by id."""
    nodes = organization_nodes(store) if nodes is None else nodes
    members: dict[str, set[str]] = {}
    for p, org in store.query(_PARTICIPANTS):
        if org.value in nodes:
            members.setdefault(p.value, set()).add(nodes[org.value]["id"])
    result = []
    for p, ident, name, mode, direction, declared, patterns in store.query(_PARTNERSHIPS):
        result.append(Partnership(
            iri=p.value,
            id=term_text(ident) or iri_tail(p.value),
            name=term_text(name),
            mode=term_text(mode),
            direction=term_text(direction),
            declared_mode=term_text(declared),
            patterns=tuple(sorted(x for x in term_text(patterns).split(";") if x)),
            participants=tuple(sorted(members.get(p.value, ()))),
        ))
    return sorted(result, key=lambda x: (x.id, x.iri))


def flow_edges(store: Store, nodes: dict[str, dict[str, str]]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Every flow as ``(provider id, recipient id, key, attributes)``, sorted by key: the
    edges of :func:`stream_flow_edges`, in memory."""
    return sorted(stream_flow_edges(store, nodes), key=lambda e: (e[2], e[0], e[1]))


def flow_rows(store: Store, nodes: dict[str, dict[str, str]]
               ) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Every flow as ``(provider id, recipient id, key, attributes)``, in no particular order;
    a flow with two values of a property given once appears once per value."""
    rows = read_ahead(lambda: store.query(_FLOWS))
    for flow, prov, rec, ident, pid, resource, amount, activity, implied in rows:
        if prov.value not in nodes or rec.value not in nodes:
            continue
        is_implied = implied is not None and implied.value == "true"
        act = term_text(activity)
        key = _implied_key(flow.value, act) if is_implied else (term_text(ident) or iri_tail(flow.value))
        yield (nodes[prov.value]["id"], nodes[rec.value]["id"], key, {
            "flow": key,
            "partnership": term_text(pid),
            "resource": term_text(resource),
            "amount": _amount(amount),
            "implied": is_implied,
            "activity": act,
        })


def to_networkx(store: Store, view: str = "flows") -> nx.MultiDiGraph:
    """The network of PRODUCT.md section 5 as a :class:`networkx.MultiDiGraph`.

    Parameters
    ----------
    store
        A store holding the data (reasoned, so implied flows and modes are there).
    view
        ``flows``: one directed edge per flow, provider → recipient, key = the flow id
        (an implied flow: ``<activity id>/implied/<rule>/<provider id>/<recipient id>``),
        attributes ``flow`` (the key again, for tools that drop edge ids, such as igraph),
        ``partnership``, ``resource``, ``amount`` (float, 0.0 when missing),
        ``implied`` (bool), ``activity`` (id or ""). ``partnerships``: one edge per pair of
        participants of each partnership (from the smaller id to the larger), key = the
        partnership id, attributes ``partnership``, ``name``, ``mode``, ``direction``,
        ``patterns`` (joined with ``;``), ``declared_mode``.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by organization id with attributes :data:`NODE_ATTRIBUTES` (strings),
        inserted in sorted order so writers give byte-identical files.

    Examples
    --------
    >>> g = to_networkx(kg.store)                  # doctest: +SKIP
    >>> g.nodes["ORG001"]["side"]                  # doctest: +SKIP
    'industry'
    """
    if view not in ("flows", "partnerships"):
        raise InputError(f"unknown network view {view!r}: use flows or partnerships")
    nodes = organization_nodes(store)
    graph = nx.MultiDiGraph(name="IEI partnership network", view=view)
    for attrs in sorted(nodes.values(), key=lambda a: a["id"]):
        graph.add_node(attrs["id"], **attrs)
    if view == "flows":
        for source, target, key, attrs in flow_edges(store, nodes):
            graph.add_edge(source, target, key=key, **attrs)
    else:
        for p in partnerships(store, nodes):
            members = p.participants
            for i, first in enumerate(members):
                for second in members[i + 1:]:
                    graph.add_edge(first, second, key=p.id, partnership=p.id, name=p.name,
                                   mode=p.mode, direction=p.direction,
                                   patterns=";".join(p.patterns), declared_mode=p.declared_mode)
    return graph


# --- network writers -----------------------------------------------------------------------

#: export format of each file extension
EXTENSIONS = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".cyjs": "cytoscape",
    ".json": "cytoscape",
    ".dot": "dot",
    ".gv": "dot",
    ".html": "html",
    ".htm": "html",
    ".ttl": "ttl",
    ".nt": "nt",
    ".jsonld": "jsonld",
}
FORMATS = ("graphml", "gexf", "cytoscape", "dot", "html", "ttl", "nt", "jsonld")


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """GraphML of the network, written by networkx.

    The node's GraphML id is the organization id, so the ``id`` attribute is not repeated
    as a data key (igraph would refuse the duplicate). Booleans are written ``true`` /
    ``false`` (``attr.type="boolean"``), as the GraphML schema, Gephi and igraph expect.
    """
    copy = graph.copy()
    for _, attrs in copy.nodes(data=True):
        attrs.pop("id", None)
    buffer = io.BytesIO()
    nx.write_graphml(copy, buffer, encoding="utf-8", prettyprint=True)
    text = buffer.getvalue().decode("utf-8")
    for key in re.findall(r'<key id="(\w+)"[^>]*attr\.type="boolean"', text):
        text = re.sub(rf'(<data key="{key}">)(True|False)(</data>)',
                      lambda m: m.group(1) + m.group(2).lower() + m.group(3), text)
    return text.encode("utf-8")


def gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 of the network, written by networkx (without the date, so it is deterministic)."""
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8", prettyprint=True)
    text = re.sub(r' lastmodifieddate="[^"]*"', "", buffer.getvalue().decode("utf-8"), count=1)
    return text.encode("utf-8")


def cytoscape_dict(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Cytoscape.js JSON in the ``elements`` form, readable by ``networkx.cytoscape_graph``.

    Edge ids get the prefix ``edge:`` because Cytoscape.js needs ids unique across nodes
    and edges (a table may number organizations and flows alike).
    """
    data = nx.cytoscape_data(graph)
    data["data"] = dict(graph.graph)
    for edge in data["elements"]["edges"]:
        d = edge["data"]
        d["id"] = f"edge:{d['key']}" if graph.graph.get("view") == "flows" else (
            f"edge:{d['key']}:{d['source']}:{d['target']}")
    return data


def cytoscape_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The Cytoscape.js JSON as UTF-8 bytes (keys sorted, one-space indent)."""
    text = json.dumps(cytoscape_dict(graph), ensure_ascii=False, indent=1, sort_keys=True)
    return (text + "\n").encode("utf-8")


SIDE_COLORS = {"industry": "#e07b24", "education": "#2f6db5", "third_party": "#8a8f98", "": "#c0c4ca"}
RESOURCE_COLORS = {
    "funds": "#c0392b", "venue": "#8e5b2f", "equipment": "#7f8c8d", "talent": "#2e86c1",
    "teachers": "#17a589", "technology": "#8e44ad", "curriculum": "#d4ac0d", "jobs": "#e67e22",
    "information": "#5d6d7e", "training": "#27ae60",
}


def _dot_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot_text(graph: nx.MultiDiGraph) -> str:
    """Graphviz DOT of the network: Chinese labels (Noto Sans CJK SC), nodes coloured by side.

    Render with ``dot -Tsvg network.dot -o network.svg``. Implied flows are dashed.
    """
    font = "Noto Sans CJK SC"
    lines = [
        "digraph IEI {",
        f"  graph [fontname={_dot_quote(font)}, rankdir=LR, overlap=false, splines=true];",
        f"  node [fontname={_dot_quote(font)}, shape=box, style=\"rounded,filled\", fontcolor=white];",
        f"  edge [fontname={_dot_quote(font)}, fontsize=9];",
    ]
    for node, attrs in graph.nodes(data=True):
        label = attrs.get("label_zh") or attrs.get("label") or node
        color = SIDE_COLORS.get(attrs.get("side", ""), SIDE_COLORS[""])
        lines.append(f"  {_dot_quote(node)} [label={_dot_quote(label)}, fillcolor={_dot_quote(color)}, "
                     f"tooltip={_dot_quote(attrs.get('label', ''))}];")
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        if "resource" in attrs:
            resource = attrs["resource"]
            style = "dashed" if attrs.get("implied") else "solid"
            color = RESOURCE_COLORS.get(resource, "#555555")
            lines.append(f"  {_dot_quote(source)} -> {_dot_quote(target)} [label={_dot_quote(resource)}, "
                         f"color={_dot_quote(color)}, style={style}, id={_dot_quote(str(key))}];")
        else:
            lines.append(f"  {_dot_quote(source)} -> {_dot_quote(target)} [label={_dot_quote(str(key))}, "
                         f"dir=none, tooltip={_dot_quote(attrs.get('mode', ''))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- streamed network files ----------------------------------------------------------------

_EDGE_FIELDS = ("partnership", "resource", "amount", "implied", "activity")


def _edge_line(source: str, target: str, key: str, attrs: dict[str, Any]) -> str:
    sort_key = "\x00".join(x.replace("\n", " ") for x in (source, target, key))
    payload = json.dumps([source, target, key, *(attrs[f] for f in _EDGE_FIELDS)], ensure_ascii=False)
    return f"{sort_key}\x00{payload}\n"


def _edge_from_line(line: str) -> tuple[str, str, str, dict[str, Any]]:
    source, target, key, *values = json.loads(line[line.index("\x00[") + 1:])
    return source, target, key, {"flow": key, **dict(zip(_EDGE_FIELDS, values, strict=True))}


def networkx_order(edges: Iterable[tuple[str, str, str, dict[str, Any]]]
                   ) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Edges sorted by (source, target, key) put in the order :func:`to_networkx` gives them:
    by source, then each target in the order of its smallest key, then by key."""
    for _, group in itertools.groupby(edges, key=lambda e: e[0]):
        pairs: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = {}
        for edge in group:
            pairs.setdefault(edge[1], []).append(edge)
        for _, pair in sorted(pairs.items(), key=lambda kv: (kv[1][0][2], kv[0])):
            yield from pair


def stream_flow_edges(store: Store, nodes: dict[str, dict[str, str]]
                      ) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """The edges of :func:`flow_edges`, sorted by (source, target, key) in bounded memory."""
    lines = (_edge_line(*edge) for edge in flow_rows(store, nodes))
    return map(_edge_from_line, _first_per_edge(sorted_unique(lines)))


def _first_per_edge(lines: Iterable[str]) -> Iterator[str]:
    """The first of the sorted edge lines of each (source, target, key): one edge per flow
    even when a flow has two values of a property the shapes allow once (the smallest wins)."""
    last = None
    for line in lines:
        edge = line[:line.index("\x00[")]
        if edge != last:
            last = edge
            yield line


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attribute(text: str) -> str:
    return (_xml_text(text).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def _graphml_data(key: str, value: Any) -> str:
    if isinstance(value, bool):
        value = "true" if value else "false"
    text = _xml_text(str(value))
    return f'      <data key="{key}">{text}</data>\n' if text else f'      <data key="{key}" />\n'


_NODE_KEYS = {name: f"d{i + 2}" for i, name in enumerate(NODE_ATTRIBUTES[1:])}
_EDGE_KEYS = {name: f"d{i + 8}" for i, name in enumerate(("flow", *_EDGE_FIELDS))}
_KEY_TYPES = {"amount": "double", "implied": "boolean"}


def graphml_chunks(nodes: list[dict[str, str]], edges: Iterable[tuple[str, str, str, dict[str, Any]]],
                   name: str = "IEI partnership network") -> Iterator[str]:
    """GraphML of the flows view, streamed: the bytes :func:`graphml_bytes` writes for the same
    graph, with nodes given sorted by id and edges in :func:`networkx_order`."""
    edges = iter(edges)
    first = next(edges, None)
    keys = [("d0", "graph", "name"), ("d1", "graph", "view")]
    if nodes:
        keys += [(k, "node", n) for n, k in _NODE_KEYS.items()]
    if first is not None:
        keys += [(k, "edge", n) for n, k in _EDGE_KEYS.items()]
    yield ("<?xml version='1.0' encoding='utf-8'?>\n"
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    yield "".join(f'  <key id="{k}" for="{scope}" attr.name="{n}" '
                  f'attr.type="{_KEY_TYPES.get(n, "string")}" />\n' for k, scope, n in reversed(keys))
    yield '  <graph edgedefault="directed">\n'
    for attrs in nodes:
        yield (f'    <node id="{_xml_attribute(attrs["id"])}">\n'
               + "".join(_graphml_data(k, attrs[n]) for n, k in _NODE_KEYS.items()) + "    </node>\n")
    for source, target, key, attrs in itertools.chain([first] if first else [], edges):
        yield (f'    <edge source="{_xml_attribute(source)}" target="{_xml_attribute(target)}" '
               f'id="{_xml_attribute(key)}">\n'
               + "".join(_graphml_data(k, attrs[n]) for n, k in _EDGE_KEYS.items()) + "    </edge>\n")
    yield (f'    <data key="d0">{_xml_text(name)}</data>\n    <data key="d1">flows</data>\n'
           "  </graph>\n</graphml>\n")


def _json_object(data: dict[str, Any], indent: str) -> str:
    """A flat dict as ``json.dumps(..., indent=1, sort_keys=True)`` nested at ``indent``."""
    items = ",\n".join(f"{indent}  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                       for k, v in sorted(data.items()))
    return f'{indent}{{\n{indent} "data": {{\n{items}\n{indent} }}\n{indent}}}'


def cytoscape_chunks(nodes: list[dict[str, str]], edges: Iterable[tuple[str, str, str, dict[str, Any]]],
                     name: str = "IEI partnership network") -> Iterator[str]:
    """Cytoscape.js JSON of the flows view, streamed: the bytes :func:`cytoscape_bytes` writes
    for the same graph, with nodes given sorted by id and edges in :func:`networkx_order`."""
    yield f'{{\n "data": {{\n  "name": {json.dumps(name, ensure_ascii=False)},\n  "view": "flows"\n }},\n'
    yield ' "directed": true,\n "elements": {\n  "edges": ['
    separator = "\n"
    for source, target, key, attrs in edges:
        data = {**attrs, "source": source, "target": target, "key": key, "id": f"edge:{key}"}
        yield separator + _json_object(data, "   ")
        separator = ",\n"
    yield "\n  ],\n" if separator != "\n" else "],\n"
    yield '  "nodes": ['
    separator = "\n"
    for attrs in nodes:
        yield separator + _json_object({**attrs, "value": attrs["id"], "name": attrs["id"]}, "   ")
        separator = ",\n"
    yield ("\n  ]\n" if separator != "\n" else "]\n") + ' },\n "multigraph": true\n}\n'


@dataclass
class FlowNetwork:
    """The flows view read from the store once, for several writers.

    The organizations are held in memory (:func:`organization_nodes`); the flows are spilled
    to a file in the order of :func:`networkx_order`, so the GraphML and Cytoscape.js writers
    and the report read them again without asking the store (on disk, reading the flows is
    most of the cost of writing them). Make one with :func:`read_flow_network`.
    """

    nodes: dict[str, dict[str, str]]
    spill: Path

    def edges(self) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """Every flow as ``(provider id, recipient id, key, attributes)``, in networkx order."""
        with self.spill.open(encoding="utf-8", newline="") as lines:
            for line in lines:
                yield tuple(json.loads(line))  # type: ignore[misc]


@contextmanager
def read_flow_network(store: Store) -> Iterator[FlowNetwork]:
    """Read the organizations and the flows once; the spill file is removed on exit.

    >>> with read_flow_network(kg.store) as network:      # doctest: +SKIP
    ...     write_network_files(kg.store, targets, network)
    """
    nodes = organization_nodes(store)
    with tempfile.TemporaryDirectory(prefix="iei-net-") as folder:
        spill = Path(folder) / "edges.jsonl"
        with spill.open("w", encoding="utf-8", newline="") as handle:
            for edge in networkx_order(stream_flow_edges(store, nodes)):
                handle.write(json.dumps(edge, ensure_ascii=False) + "\n")
        yield FlowNetwork(nodes, spill)


def write_network_files(store: Store, targets: dict[str, Path],
                        network: FlowNetwork | None = None) -> dict[str, Path]:
    """Write the flows view as GraphML and/or Cytoscape.js JSON in one streamed pass.

    ``targets`` maps ``graphml`` / ``cytoscape`` to paths. The files have the bytes of
    :func:`graphml_bytes` and :func:`cytoscape_bytes` of :func:`to_networkx`, without
    building the graph: organizations are read once, flows sorted on disk when many.
    ``network`` is what :func:`read_flow_network` read, to share it with other writers.
    """
    if network is None:
        with read_flow_network(store) as read:
            return write_network_files(store, targets, read)
    ordered = sorted(network.nodes.values(), key=lambda a: a["id"])
    writers = {"graphml": graphml_chunks, "cytoscape": cytoscape_chunks}
    return {name: stream_write(path, (c.encode("utf-8") for c in writers[name](ordered, network.edges())))
            for name, path in targets.items()}


def export(kg: KnowledgeGraph, path: Path, format: str | None = None) -> Path:
    """Write the network or the RDF graph to ``path``; return the path.

    The format follows the extension (``.graphml``, ``.gexf``, ``.cyjs``/``.json``
    → cytoscape, ``.dot``/``.gv``, ``.html``, ``.ttl``, ``.nt``, ``.jsonld``) unless
    ``format`` names one of :data:`FORMATS`. The file is written atomically.
    """
    path = Path(path)
    name = (format or EXTENSIONS.get(path.suffix.lower(), "")).lower()
    if name == "json":
        name = "cytoscape"
    if name not in FORMATS:
        given = format or path.suffix or path.name
        raise InputError(f"unknown export format {given!r}: use one of {', '.join(FORMATS)}")
    kg.reason()
    if name in ("ttl", "nt", "jsonld"):
        return write_graph(kg.store, path, name, base=kg.base)
    if name == "html":
        from .report import network_page

        return atomic_write(path, network_page(kg))
    if name in ("graphml", "cytoscape"):
        return write_network_files(kg.store, {name: path})[name]
    graph = to_networkx(kg.store)
    writers = {"gexf": gexf_bytes, "dot": lambda g: dot_text(g).encode("utf-8")}
    return atomic_write(path, writers[name](graph))


# --- RDF serializations --------------------------------------------------------------------

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NAMESPACES = {
    "iei": IEI_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
}
_RECORD_KINDS = ("organization", "partnership", "flow", "activity", "outcome")
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*")

_DATA_BLANK_TRIPLES = """
CONSTRUCT { ?b ?p ?o } WHERE {
  ?s ?q ?b FILTER(isIRI(?s) && isBlank(?b) && STRSTARTS(STR(?s), STR(?base)))
  ?b ?p ?o
}
"""
_ALL_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"

#: lines sorted in memory at once; longer inputs are sorted in runs on disk and merged
SORT_CHUNK = 1_000_000
#: JSON-LD is written for graphs up to this many triples (rdflib holds it all in memory)
JSONLD_MAX_TRIPLES = 2_000_000


class _HasBlankNodes(Exception):
    """Raised while streaming when the data holds blank nodes (they need canonical names)."""


def sorted_unique(lines: Iterable[str], chunk: int | None = None) -> Iterator[str]:
    """``lines`` (each ending with a newline) sorted, repeats dropped, in bounded memory.

    Up to ``chunk`` lines are sorted in memory; longer inputs are sorted in runs of
    ``chunk`` lines written to temporary files, then merged (an external merge sort).
    ``chunk`` defaults to :data:`SORT_CHUNK`.
    """
    chunk = chunk or SORT_CHUNK
    source = iter(lines)
    first = list(itertools.islice(source, chunk))
    first.sort()
    if len(first) < chunk:
        yield from _unique(first)
        return
    with tempfile.TemporaryDirectory(prefix="iei-sort-") as folder:
        runs = []
        block = first
        while block:
            run = Path(folder) / f"{len(runs)}.txt"
            with run.open("w", encoding="utf-8", newline="") as handle:
                handle.writelines(block)
            runs.append(run)
            block = sorted(itertools.islice(source, chunk))
        handles = [run.open(encoding="utf-8", newline="") for run in runs]
        try:
            yield from _unique(heapq.merge(*handles))
        finally:
            for handle in handles:
                handle.close()


def _unique(lines: Iterable[str]) -> Iterator[str]:
    previous = None
    for line in lines:
        if line != previous:
            yield line
            previous = line


def _triple_lines(lines: Iterable[str], data_only: bool, base: str) -> Iterator[str]:
    """The N-Triples ``lines`` of the graph (or of its data), unsorted; raises
    :class:`_HasBlankNodes`."""
    prefix = f"<{base}"
    for line in lines:
        if data_only and not line.startswith(prefix):
            continue
        if "_:" in line and (line.startswith("_:") or line.split(" ", 2)[2].startswith("_:")):
            raise _HasBlankNodes
        yield line


def _all_lines(store: Store) -> Iterator[str]:
    """Every triple as an N-Triples line: dumped by Oxigraph when it holds the data."""
    if hasattr(store, "ntriples_lines"):
        yield from store.ntriples_lines()
        return
    triples = store.triples() if hasattr(store, "triples") else store.query(_ALL_TRIPLES)
    for t in triples:
        yield f"{t.subject} {t.predicate} {t.object} .\n"


def _canonical_lines(store: Store, data_only: bool, base: str) -> list[str]:
    """The lines of a graph with blank nodes, renamed canonically (in memory)."""
    if data_only:
        bindings = {"base": ox.Literal(base)}
        triples = [*(ox.Triple(*line_terms) for line_terms in _data_terms(store, base)),
                   *store.query(_DATA_BLANK_TRIPLES, bindings)]
    else:
        triples = list(store.query(_ALL_TRIPLES))
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return sorted({f"{q.subject} {q.predicate} {q.object} .\n" for q in dataset})


def _data_terms(store: Store, base: str) -> Iterator[tuple[Any, Any, Any]]:
    prefix = f"<{base}"
    triples = store.triples() if hasattr(store, "triples") else store.query(_ALL_TRIPLES)
    for t in triples:
        if str(t.subject).startswith(prefix):
            yield t.subject, t.predicate, t.object


def graph_lines(store: Store, *, data_only: bool = True, base: str = DATA_BASE) -> Iterator[str]:
    """The graph as sorted, unique N-Triples lines, streamed in bounded memory.

    With ``data_only``, only triples whose subject IRI starts with ``base``, plus the
    triples of blank nodes they point to. A graph with blank nodes is canonicalized
    in memory first (pyoxigraph's canonicalization), so it too gives the same lines.
    """
    return _sorted_lines(_all_lines(store), lambda: store, data_only, base)


def _sorted_lines(lines: Iterable[str], store: Callable[[], Store], data_only: bool, base: str
                  ) -> Iterator[str]:
    """:func:`graph_lines` of the unsorted N-Triples ``lines``; ``store`` gives the store that
    holds them, asked for only when blank nodes need canonical names."""
    try:
        yield from sorted_unique(_triple_lines(lines, data_only, base))
    except _HasBlankNodes:
        yield from _canonical_lines(store(), data_only, base)


def _prefixes(base: str) -> dict[str, str]:
    prefixes = dict(_NAMESPACES)
    for kind in _RECORD_KINDS:
        prefixes[kind] = f"{base}{kind}/"
    return prefixes


def _turtle_iri(iri: str, prefixes: list[tuple[str, str]]) -> str:
    """``<iri>`` as a prefixed name when a prefix fits; ``prefixes`` longest namespace first."""
    value = iri[1:-1]
    for prefix, ns in prefixes:
        if value.startswith(ns) and _LOCAL.fullmatch(value[len(ns):]):
            return f"{prefix}:{value[len(ns):]}"
    return iri


def _turtle_term(term: str, prefixes: list[tuple[str, str]]) -> str:
    """An N-Triples term in Turtle (IRIs and datatypes abbreviated with the prefixes)."""
    if term.startswith("<"):
        return _turtle_iri(term, prefixes)
    if term.startswith('"'):
        quoted, _, suffix = term.rpartition('"')
        if suffix.startswith("^^"):
            return f'{quoted}"^^{_turtle_iri(suffix[2:], prefixes)}'
    return term


def _split_line(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object of an N-Triples line (``s p o .\\n``)."""
    subject, predicate, rest = line.split(" ", 2)
    return subject, predicate, rest[:-3]


def turtle_chunks(lines: Iterable[str], base: str = DATA_BASE) -> Iterator[str]:
    """Deterministic Turtle of sorted N-Triples lines: prefixes first, one block per subject,
    ``a`` (rdf:type) first in each block; yielded in pieces so it can be streamed."""
    declared = _prefixes(base)
    yield "\n".join(f"@prefix {p}: <{ns}> ." for p, ns in sorted(declared.items())) + "\n"
    prefixes = sorted(declared.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    cache: dict[str, str] = {}
    rdf_type = f"<{RDF_TYPE}>"

    def term(value: str) -> str:
        text = cache.get(value)
        if text is None:
            text = _turtle_term(value, prefixes)
            if len(cache) < 100_000:
                cache[value] = text
        return text

    for subject, group in itertools.groupby(map(_split_line, lines), key=lambda t: t[0]):
        block = list(group)
        block.sort(key=lambda t: t[1] != rdf_type)
        out = [f"\n{term(subject)}"]
        predicate = None
        for _, p, o in block:
            if p != predicate:
                if predicate is not None:
                    out[-1] += " ;"
                out.append(f"    {'a' if p == rdf_type else term(p)} {term(o)}")
                predicate = p
            else:
                out[-1] += ","
                out.append(f"        {term(o)}")
        out[-1] += " ."
        yield "\n".join(out) + "\n"


def turtle_text(triples: Iterable[ox.Triple], base: str = DATA_BASE) -> str:
    """Deterministic Turtle of triples (sorted here): one block per subject, prefixes first."""
    lines = sorted({f"{t.subject} {t.predicate} {t.object} .\n" for t in triples})
    return "".join(turtle_chunks(lines, base))


def _rdflib_term(term: Any) -> Any:
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)


def jsonld_text(triples: Iterable[ox.Triple], base: str = DATA_BASE) -> str:
    """JSON-LD by rdflib with a fixed context (the prefixes); keys and nodes sorted."""
    import rdflib

    graph = rdflib.Graph()
    for t in triples:
        graph.add((_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object)))
    context = dict(sorted(_prefixes(base).items()))
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        data["@graph"] = sorted(data["@graph"], key=lambda n: json.dumps(n, sort_keys=True))
    elif isinstance(data, dict) and "@context" in data and "@id" in data:
        data = {"@context": data.pop("@context"), "@graph": [data]}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _rdf_format(format: str) -> str:
    name = format.lower()
    name = {"ntriples": "nt", "n-triples": "nt", "turtle": "ttl"}.get(name, name)
    if name not in ("nt", "ttl", "jsonld"):
        raise InputError(f"unknown RDF format {format!r}: use one of nt, ttl, jsonld")
    return name


def graph_chunks(store: Store, format: str, *, data_only: bool = True,
                 base: str = DATA_BASE) -> Iterator[str]:
    """The RDF of :func:`serialize_graph` as text pieces, streamed in bounded memory.

    N-Triples and Turtle are streamed at any size; JSON-LD is built in memory by rdflib,
    so graphs of more than :data:`JSONLD_MAX_TRIPLES` triples are refused (use nt or ttl).
    """
    return _format_lines(graph_lines(store, data_only=data_only, base=base), _rdf_format(format), base)


def _format_lines(lines: Iterator[str], name: str, base: str) -> Iterator[str]:
    """Sorted N-Triples ``lines`` as text pieces in the format ``name`` (nt, ttl, jsonld)."""
    if name == "nt":
        yield from lines
    elif name == "ttl":
        yield from turtle_chunks(lines, base)
    else:
        kept = list(itertools.islice(lines, JSONLD_MAX_TRIPLES + 1))
        if len(kept) > JSONLD_MAX_TRIPLES:
            raise InputError(f"the graph has more than {JSONLD_MAX_TRIPLES:,} triples, too many for JSON-LD "
                             "(it is built in memory): export it as .nt or .ttl instead")
        triples = ox.parse("".join(kept).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        yield jsonld_text((q.triple for q in triples), base)


def serialize_graph(store: Store, format: str, *, data_only: bool = True, base: str = DATA_BASE) -> bytes:
    """Deterministic RDF of the data, asserted plus inferred.

    Parameters
    ----------
    store
        The store.
    format
        ``nt`` (sorted lines), ``ttl`` (sorted, with prefixes) or ``jsonld``.
    data_only
        Only triples whose subject IRI starts with ``base`` (the records and implied
        flows), plus the triples of blank nodes they point to; not the ontology.
    base
        The base of data IRIs.

    Blank nodes are renamed canonically (pyoxigraph's canonicalization), so the same
    graph always gives the same bytes. For large graphs use :func:`write_graph`, which
    streams to a file.
    """
    return "".join(graph_chunks(store, format, data_only=data_only, base=base)).encode("utf-8")


def write_graph(store: Store, path: Path, format: str | None = None, *, data_only: bool = True,
                base: str = DATA_BASE) -> Path:
    """Stream the RDF of :func:`serialize_graph` to ``path`` (atomically); return the path.

    The format follows the extension (``.ttl``, ``.nt``, ``.jsonld``) unless given.
    """
    path = Path(path)
    chunks = graph_chunks(store, format or path.suffix.lstrip("."), data_only=data_only, base=base)
    return stream_write(path, (chunk.encode("utf-8") for chunk in chunks))


def write_graph_from_ntriples(source: str | Path, path: str | Path, format: str | None = None, *,
                              data_only: bool = True, base: str = DATA_BASE) -> Path:
    """:func:`write_graph` of the graph whose triples the N-Triples file ``source`` holds
    (in any order, repeats allowed): the same bytes, read from the file instead of a store."""
    source, path = Path(source), Path(path)
    name = _rdf_format(format or path.suffix.lstrip("."))

    def store() -> Store:
        from .store import MemoryStore

        loaded = MemoryStore()
        loaded.load(source, "nt")
        return loaded

    with source.open(encoding="utf-8", newline="") as lines:
        chunks = _format_lines(_sorted_lines(lines, store, data_only, base), name, base)
        return stream_write(path, (chunk.encode("utf-8") for chunk in chunks))


def write_graph_in_subprocess(store: Store, path: Path, format: str | None = None, *,
                              base: str = DATA_BASE, stop: threading.Event | None = None) -> Path:
    """:func:`write_graph` (of the data), with the sorting and formatting in a second Python
    process, so that it runs beside this one's other work instead of taking turns with it
    for the GIL. This process only dumps the graph to a temporary N-Triples file (Oxigraph
    does it without holding the GIL).

    When ``stop`` is set (from another thread) the child is interrupted, leaves no file and
    :class:`InterruptedError` is raised. A failing child raises :class:`OSError` with its
    last line of error output.
    """
    path = Path(path)
    name = _rdf_format(format or path.suffix.lstrip("."))
    with tempfile.TemporaryDirectory(prefix="iei-graph-") as folder:
        dump, errors = Path(folder) / "graph.nt", Path(folder) / "errors.txt"
        _dump_ntriples(store, dump)
        with errors.open("wb") as error_output:
            child = subprocess.Popen([sys.executable, "-c", _INTERRUPTIBLE + _CHILD, str(dump),
                                      str(path), name, base],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=error_output, env=_child_env())
        try:
            if stop is None:
                child.wait()
            else:
                while child.poll() is None:
                    if stop.wait(0.1):
                        raise InterruptedError(f"{path.name} abandoned")
        finally:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)  # the child's atomic write removes its temporary file
                child.wait()
        if child.returncode != 0:
            lines = errors.read_text(encoding="utf-8", errors="replace").strip().splitlines() or [
                f"exit code {child.returncode}"]
            raise OSError(f"writing {path.name} failed: {lines[-1]}")
    return path


#: run first in the child: a process started in the background by a shell (``iei analyze …
#: &``, ``nohup``) inherits SIGINT ignored, and Python then installs no handler for it, so the
#: child would neither stop nor remove its temporary file when interrupted
_INTERRUPTIBLE = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
#: what the child of :func:`write_graph_in_subprocess` runs
_CHILD = ("import sys; from iei_onto.export import write_graph_from_ntriples as write; "
          "write(sys.argv[1], sys.argv[2], sys.argv[3], base=sys.argv[4])")


def _child_env() -> dict[str, str]:
    """This environment, with the folder this package was imported from first on the path."""
    env = dict(os.environ)
    here = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (here, env.get("PYTHONPATH"))))
    return env


def _dump_ntriples(store: Store, path: Path) -> None:
    """Every triple of ``store`` into the N-Triples file ``path`` (no particular order)."""
    if hasattr(store, "dump_ntriples"):
        store.dump_ntriples(path)
        return
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.writelines(_all_lines(store))
