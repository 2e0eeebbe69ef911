"""The data model: IRIs of records, and the controlled vocabulary read from the ontology.

Controlled values (organization types, resources, activity kinds, modes, indicators) are
not hard-coded here: :class:`Vocabulary` reads their codes and every English and Chinese
label from ``ontology/iei.ttl``, so the vocabulary grows by editing Turtle.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from .resources import ontology_text

IEI_NS = "https://w3id.org/iei/ontology#"
DATA_BASE = "https://w3id.org/iei/data/"

#: record kind of each table, used in data IRIs
RECORD_KINDS = {
    "organizations": "organization",
    "partnerships": "partnership",
    "flows": "flow",
    "activities": "activity",
    "outcomes": "outcome",
}


def iei(local: str) -> ox.NamedNode:
    """The IRI of an ontology term: ``iei("Enterprise")``."""
    return ox.NamedNode(IEI_NS + local)


_SAFE_ID = re.compile(r"[A-Za-z0-9._~-]+")


def record_iri(kind: str, record_id: str, base: str = DATA_BASE) -> ox.NamedNode:
    """The stable IRI of a table record: the same row always gives the same IRI.

    >>> record_iri("organization", "江苏01").value
    'https://w3id.org/iei/data/organization/%E6%B1%9F%E8%8B%8F01'
    """
    safe = record_id if _SAFE_ID.fullmatch(record_id) else urllib.parse.quote(record_id, safe="")
    return ox.NamedNode(f"{base}{kind}/{safe}")


def normalize_label(text: str) -> str:
    """Fold a label for matching: NFKC (full-width → ASCII), case-folded, spaces and _ - unified."""
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    return " ".join(folded.replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True)
class Term:
    """A controlled value: its IRI, its code (``skos:notation``) and English/Chinese labels."""

    iri: str
    code: str
    label_en: str
    label_zh: str


@dataclass(frozen=True)
class IndicatorRange:
    """The allowed range and unit of an indicator."""

    minimum: Decimal | None
    maximum: Decimal | None
    unit: str | None


_VOCABULARY_QUERY = """
PREFIX iei: <https://w3id.org/iei/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?kind ?term ?code ?label ?preferred WHERE {
  {
    ?term rdfs:subClassOf+ iei:Organization ; skos:notation ?code .
    BIND("organization_type" AS ?kind)
  } UNION {
    VALUES (?scheme ?kind) {
      (iei:ResourceKinds "resource") (iei:ActivityKinds "activity_kind")
      (iei:CooperationModes "mode") (iei:Indicators "indicator")
      (iei:FlowDirections "direction") (iei:CooperationPatterns "pattern")
    }
    ?term skos:inScheme ?scheme ; skos:notation ?code .
  }
  OPTIONAL {
    { ?term skos:prefLabel ?label BIND(0 AS ?preferred) }
    UNION { ?term rdfs:label ?label BIND(1 AS ?preferred) }
    UNION { ?term skos:altLabel ?label BIND(2 AS ?preferred) }
  }
}
ORDER BY ?kind ?code ?preferred ?label
"""

_INDICATOR_QUERY = """
PREFIX iei: <https://w3id.org/iei/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?code ?min ?max ?unit WHERE {
  ?term skos:inScheme iei:Indicators ; skos:notation ?code .
  OPTIONAL { ?term iei:minValue ?min }
  OPTIONAL { ?term iei:maxValue ?max }
  OPTIONAL { ?term iei:unit ?unit }
}
"""


class Vocabulary:
    """Codes and labels of the controlled values, read from an ontology text.

    >>> voc = Vocabulary.default()
    >>> voc.lookup("organization_type", "企业").code
    'enterprise'
    """

    def __init__(self, ontology_turtle: str) -> None:
        store = ox.Store()
        store.load(ontology_turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
        self._terms: dict[str, dict[str, Term]] = {}
        self._by_label: dict[str, dict[str, Term]] = {}
        labels: dict[tuple[str, str], list[ox.Literal]] = {}
        codes: dict[tuple[str, str], str] = {}
        for kind, term, code, label, _preferred in store.query(_VOCABULARY_QUERY):
            key = (kind.value, term.value)
            codes.setdefault(key, code.value)
            labels.setdefault(key, [])
            if label is not None:
                labels[key].append(label)
        for (kind, iri), code in sorted(codes.items()):
            names = labels[(kind, iri)]
            term = Term(iri, code, _pick(names, "en") or code, _pick(names, "zh") or "")
            self._terms.setdefault(kind, {})[code] = term
            index = self._by_label.setdefault(kind, {})
            for name in [code, *(n.value for n in names)]:
                index.setdefault(normalize_label(name), term)
        self.indicator_ranges: dict[str, IndicatorRange] = {}
        for code, low, high, unit in store.query(_INDICATOR_QUERY):
            self.indicator_ranges[code.value] = IndicatorRange(
                Decimal(low.value) if low is not None else None,
                Decimal(high.value) if high is not None else None,
                unit.value if unit is not None else None,
            )

    @classmethod
    @functools.cache
    def default(cls) -> Vocabulary:
        """The vocabulary of the packaged ontology (read once)."""
        return cls(ontology_text())

    def lookup(self, kind: str, value: str) -> Term | None:
        """Match a code or any en/zh label of ``kind``, ignoring case and width; None if unknown."""
        return self._by_label.get(kind, {}).get(normalize_label(value))

    def codes(self, kind: str) -> list[str]:
        """The codes of ``kind`` in alphabetical order."""
        return sorted(self._terms.get(kind, {}))

    def term(self, kind: str, code: str) -> Term:
        """The term with this exact code."""
        return self._terms[kind][code]


def _pick(labels: list[ox.Literal], language: str) -> str | None:
    for label in labels:
        if label.language == language:
            return label.value
    if language == "en":
        for label in labels:
            if label.language is None:
                return label.value
    return None
