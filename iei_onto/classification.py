"""Classification records, explanations and organization profiles, read from the store.

:func:`iei_onto.reasoning.materialize` writes the classification of PRODUCT.md section 4 into
the store (``ontology/rules/classify.ru``); this module only reads it, with SPARQL:

* :func:`classify` — one :class:`Classification` per partnership (one SELECT);
* :func:`explain` — why a partnership has its mode, in plain words;
* :func:`organization_profiles` — per organization: what it gave and received, and in how
  many two-way, unilateral and no-flow partnerships it takes part.

Codes are the ``skos:notation`` of the ontology's concepts, ids the table ids
(``dcterms:identifier``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pyoxigraph as ox

from .errors import InputError
from .model import IEI_NS
from .store import Store

_SEPARATOR = "\x1f"

_PREFIXES = f"""
PREFIX iei: <{IEI_NS}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@dataclass(frozen=True)
class Classification:
    """The classification of one partnership (PRODUCT.md section 4)."""

    partnership: str
    mode: str
    direction: str | None
    patterns: tuple[str, ...]
    declared_mode: str | None
    mismatch: bool
    evidence: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict: lists for the tuples, None for empty values."""
        data = asdict(self)
        data["patterns"] = list(self.patterns)
        data["evidence"] = list(self.evidence)
        return data


# The optional properties each read in a sub-query of its own, joined by hash (one pass over
# each; on disk at 3.9M triples 1.4x faster than plain patterns). The codes of the modes first,
# then each partnership's mode, id and mismatch looked up (alone, as a path
# iei:mode/skos:notation 8.9 s, this way 1.0 s; the whole query 10.1 -> 6.7-7.7 s; with the
# four hash-joined 5.5 s but 160 MiB more, growing with the register). Lists joined with
# _SEPARATOR.
_CLASSIFY_QUERY = _PREFIXES + f"""
SELECT ?id ?mode ?direction ?declared ?mismatch ?patterns ?evidences
WHERE {{
  {{ SELECT ?m ?mode WHERE {{ ?m skos:notation ?mode }} }}
  ?p iei:mode ?m ; dcterms:identifier ?id ; iei:mismatch ?mismatch .
  OPTIONAL {{ SELECT ?p ?direction WHERE {{ ?p iei:direction/skos:notation ?direction }} }}
  OPTIONAL {{ SELECT ?p ?declared WHERE {{ ?p iei:declaredMode/skos:notation ?declared }} }}
  OPTIONAL {{ SELECT ?p (GROUP_CONCAT(?pattern; separator="{_SEPARATOR}") AS ?patterns) WHERE {{
      {{ SELECT ?p ?x WHERE {{ ?p iei:pattern ?x }} }}
      {{ SELECT ?x ?pattern WHERE {{ ?x skos:notation ?pattern }} }}
    }} GROUP BY ?p }}
  OPTIONAL {{ SELECT ?p (GROUP_CONCAT(?evidence; separator="{_SEPARATOR}") AS ?evidences) WHERE {{
      {{ SELECT ?p ?e WHERE {{ ?p iei:evidence ?e }} }}
      {{ SELECT ?e ?evidence WHERE {{ ?e dcterms:identifier ?evidence }} }}
    }} GROUP BY ?p }}
}}
"""


def _split(term: ox.Literal | None) -> tuple[str, ...]:
    if term is None or not term.value:
        return ()
    return tuple(sorted(set(term.value.split(_SEPARATOR))))


def _text(term: ox.Literal | None) -> str | None:
    return term.value if term is not None else None


def classify(store: Store) -> list[Classification]:
    """One :class:`Classification` per partnership, sorted by partnership id.

    Reads what :func:`~iei_onto.reasoning.materialize` wrote; a store that was not
    materialized gives an empty list.
    """
    # by position, in the order of the SELECT clause: about 4x faster than by name
    records = [
        Classification(
            partnership=row[0].value,
            mode=row[1].value,
            direction=_text(row[2]),
            declared_mode=_text(row[3]),
            mismatch=row[4].value == "true",
            patterns=_split(row[5]),
            evidence=_split(row[6]),
        )
        for row in store.query(_CLASSIFY_QUERY)
    ]
    records.sort(key=lambda c: c.partnership)
    return records


# --- explanations ----------------------------------------------------------------------------

_PARTNERSHIP_QUERY = _PREFIXES + """
SELECT ?p ?mode ?modeEn ?modeZh ?direction ?declared ?mismatch WHERE {
  ?p dcterms:identifier ?id ; rdf:type/rdfs:subClassOf* iei:Partnership .
  OPTIONAL {
    ?p iei:mode ?m . ?m skos:notation ?mode .
    OPTIONAL { ?m skos:prefLabel ?modeEn FILTER (LANGMATCHES(LANG(?modeEn), "en")) }
    OPTIONAL { ?m skos:prefLabel ?modeZh FILTER (LANGMATCHES(LANG(?modeZh), "zh")) }
  }
  OPTIONAL { ?p iei:direction/skos:notation ?direction }
  OPTIONAL { ?p iei:declaredMode/skos:notation ?declared }
  OPTIONAL { ?p iei:mismatch ?mismatch }
}
"""

_PATTERNS_QUERY = _PREFIXES + """
SELECT ?code ?en ?zh WHERE {
  ?p iei:pattern ?pattern .
  ?pattern skos:notation ?code .
  OPTIONAL { ?pattern skos:prefLabel ?en FILTER (LANGMATCHES(LANG(?en), "en")) }
  OPTIONAL { ?pattern skos:prefLabel ?zh FILTER (LANGMATCHES(LANG(?zh), "zh")) }
}
ORDER BY ?code
"""

_FLOWS_QUERY = _PREFIXES + """
SELECT ?provider ?providerSide ?recipient ?resource ?flowId ?activityId ?kind ?fromSide
WHERE {
  # what must match first: Oxigraph joins the patterns that follow an OPTIONAL or a UNION by
  # hash, reading the whole property (about 1 s per pattern at 3.9M triples on disk)
  ?flow iei:flowOf|^iei:hasFlow ?p .
  ?flow iei:provider ?from ; iei:recipient ?to ; iei:resource ?r .
  ?p iei:participant ?from, ?to .
  ?r skos:notation ?resourceCode .
  ?from dcterms:identifier ?fromId .
  ?to dcterms:identifier ?toId .
  FILTER EXISTS {
    { ?from rdf:type/rdfs:subClassOf* iei:IndustrySideActor .
      ?to rdf:type/rdfs:subClassOf* iei:EducationSideActor }
    UNION
    { ?from rdf:type/rdfs:subClassOf* iei:EducationSideActor .
      ?to rdf:type/rdfs:subClassOf* iei:IndustrySideActor } }
  {
    ?flow dcterms:identifier ?flowId .
    ?p iei:evidence ?flow .
  } UNION {
    ?flow iei:impliedBy ?activity .
    ?p iei:evidence ?activity .
    ?activity dcterms:identifier ?activityId ; iei:activityKind ?k .
    ?k skos:notation ?kindCode .
    OPTIONAL { ?k skos:prefLabel ?kindEn FILTER (LANGMATCHES(LANG(?kindEn), "en")) }
    BIND (COALESCE(?kindEn, STR(?kindCode)) AS ?kind)
  }
  OPTIONAL { ?r skos:prefLabel ?resourceEn FILTER (LANGMATCHES(LANG(?resourceEn), "en")) }
  OPTIONAL { ?from rdfs:label ?fromZh FILTER (LANGMATCHES(LANG(?fromZh), "zh")) }
  OPTIONAL { ?from rdfs:label ?fromName FILTER (LANG(?fromName) = "") }
  OPTIONAL { ?to rdfs:label ?toZh FILTER (LANGMATCHES(LANG(?toZh), "zh")) }
  OPTIONAL { ?to rdfs:label ?toName FILTER (LANG(?toName) = "") }
  BIND (COALESCE(?resourceEn, STR(?resourceCode)) AS ?resource)
  BIND (COALESCE(?fromZh, ?fromName, ?fromId) AS ?provider)
  BIND (COALESCE(?toZh, ?toName, ?toId) AS ?recipient)
  BIND (EXISTS { ?from rdf:type/rdfs:subClassOf* iei:IndustrySideActor } AS ?fromIndustry)
  BIND (IF(?fromIndustry, "industry", "education") AS ?providerSide)
  BIND (IF(?fromIndustry, 0, 1) AS ?fromSide)
}
ORDER BY ?fromSide ?provider ?recipient ?resource ?flowId ?activityId
"""


def explain(store: Store, partnership_id: str) -> str:
    """Why a partnership has its mode, in plain words. Like :func:`classify`, it reads what the
    classification rules write and the data as loaded (types through the class hierarchy, both
    directions of ``flowOf``/``hasFlow``), so it needs no OWL 2 RL step.

    >>> explain(store, "P12")                                  # doctest: +SKIP
    'P12 is two-way (integration of production and education / 产教融合): 苏州智造 (industry)
    gave funds to 苏州工业职院 (education) (flow F12) and venue (implied by internship A3); …'

    Raises :class:`InputError` for an id that is not a partnership.
    """
    ident = ox.Literal(partnership_id)
    rows = list(store.query(_PARTNERSHIP_QUERY, {"id": ident}))
    if not rows:
        raise InputError(f"there is no partnership with the id '{partnership_id}'")
    row = rows[0]
    partnership = row["p"]
    if row["mode"] is None:
        return f"{partnership_id} has not been classified yet: run the reasoning first"
    mode = row["mode"].value
    text = f"{partnership_id} is {_mode_words(row)}"
    patterns = [_label(p["en"], p["code"]) + (f" / {p['zh'].value}" if p["zh"] is not None else "")
                for p in store.query(_PATTERNS_QUERY, {"p": partnership})]
    if patterns:
        text += " (" + "; ".join(patterns) + ")"
    sentences = _flow_sentences(store, partnership)
    if sentences:
        text += ": " + "; ".join(sentences)
    elif mode == "none":
        text += ": no resource flows between its industry-side and education-side participants"
    text += "."
    if row["declared"] is not None:
        declared = row["declared"].value
        verdict = "mismatch" if row["mismatch"] is not None and row["mismatch"].value == "true" else "matches"
        text += f" Declared: {declared.replace('_', '-')} → {verdict}."
    return text


def _label(en: ox.Literal | None, code: ox.Literal) -> str:
    return in_sentence(en.value) if en is not None else code.value.replace("_", " ")


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: ``Two-way`` → ``two-way``, ``IEI`` stays."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _mode_words(row) -> str:
    """``two-way``, ``unilateral (industry to education)``, ``none (no cross-side flow)``."""
    words = row["mode"].value.replace("_", "-")
    label = _label(row["modeEn"], row["mode"])
    if label.casefold() != words.casefold():
        words += f" ({label})"
    if row["direction"] is not None:
        words += " (" + row["direction"].value.replace("_", " ") + ")"
    return words


def _flow_sentences(store: Store, partnership: ox.NamedNode) -> list[str]:
    """One sentence per provider: what it gave to whom, with the flow or activity ids."""
    given: dict[tuple[str, str], dict[str, dict[str, list[tuple[str, str]]]]] = {}
    for row in store.query(_FLOWS_QUERY, {"p": partnership}):
        provider = (row["provider"].value, row["providerSide"].value)
        if row["flowId"] is not None:
            how = ("flow", row["flowId"].value)
        else:
            how = ("implied", f"{in_sentence(row['kind'].value)} {row['activityId'].value}")
        resources = given.setdefault(provider, {}).setdefault(row["recipient"].value, {})
        hows = resources.setdefault(in_sentence(row["resource"].value), [])
        if how not in hows:
            hows.append(how)
    sentences = []
    for (provider, side), recipients in given.items():
        other = "education" if side == "industry" else "industry"
        parts = []
        for recipient, resources in recipients.items():
            items = [f"{resource} ({_how(hows)})" for resource, hows in resources.items()]
            parts.append(f"{_and(items)} to {recipient} ({other})")
        sentences.append(f"{provider} ({side}) gave " + ", ".join(parts))
    return sentences


def _and(items: list[str]) -> str:
    """``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _how(hows: list[tuple[str, str]]) -> str:
    """``flows F1, F2; implied by internship A3 and order class A4``."""
    flows = sorted(ident for kind, ident in hows if kind == "flow")
    implied = sorted(what for kind, what in hows if kind == "implied")
    parts = []
    if flows:
        parts.append(("flow " if len(flows) == 1 else "flows ") + ", ".join(flows))
    if implied:
        parts.append("implied by " + _and(implied))
    return "; ".join(parts)


# --- organization profiles -------------------------------------------------------------------


@dataclass
class OrganizationProfile:
    """What an organization gave and received, and its partnerships by mode."""

    organization: str
    name: str
    name_zh: str | None
    type: str
    side: str
    gave: dict[str, int]
    received: dict[str, int]
    two_way: int
    unilateral: int
    none: int
    partners: int


_ORGANIZATIONS_QUERY = _PREFIXES + """
SELECT ?id ?name ?nameZh ?type ?side WHERE {
  # the organization classes with a code, found once (not once per organization)
  { SELECT ?t ?type WHERE { ?t skos:notation ?type ; rdfs:subClassOf* iei:Organization } }
  ?o rdf:type ?t ; dcterms:identifier ?id .
  FILTER NOT EXISTS { ?o rdf:type ?narrower . ?narrower rdfs:subClassOf+ ?t ; skos:notation ?code .
                      FILTER (?narrower != ?t) }
  OPTIONAL { ?o rdfs:label ?name FILTER (LANG(?name) = "") }
  OPTIONAL { ?o rdfs:label ?nameZh FILTER (LANGMATCHES(LANG(?nameZh), "zh")) }
  BIND (IF(EXISTS { ?o rdf:type/rdfs:subClassOf* iei:IndustrySideActor }, "industry",
        IF(EXISTS { ?o rdf:type/rdfs:subClassOf* iei:EducationSideActor }, "education",
           "third_party")) AS ?side)
}
ORDER BY ?id
"""

_MODES_QUERY = _PREFIXES + """
SELECT ?id ?mode (COUNT(DISTINCT ?p) AS ?n) WHERE {
  ?p iei:participant ?o ; iei:mode/skos:notation ?mode .
  ?o dcterms:identifier ?id .
}
GROUP BY ?id ?mode
"""

# The next two count per organization node (and resource node) first and name them after:
# one identifier and one notation lookup per count, not per partner or flow (1.4-1.5x faster
# at 3.9M triples on disk).
_PARTNERS_QUERY = _PREFIXES + """
SELECT ?id ?n WHERE {
  { SELECT ?o (COUNT(DISTINCT ?partner) AS ?n) WHERE {
      ?p iei:participant ?o, ?partner .
      FILTER (?partner != ?o)
    } GROUP BY ?o }
  ?o dcterms:identifier ?id .
}
"""

_RESOURCES_QUERY = _PREFIXES + """
SELECT ?id ?role ?resource ?n WHERE {
  { SELECT ?o ?role ?r (COUNT(DISTINCT ?flow) AS ?n) WHERE {
      VALUES (?property ?role) { (iei:provider "gave") (iei:recipient "received") }
      ?flow ?property ?o ; iei:resource ?r .
    } GROUP BY ?o ?role ?r }
  ?o dcterms:identifier ?id .
  ?r skos:notation ?resource .
}
"""


def organization_profiles(store: Store) -> list[OrganizationProfile]:
    """One :class:`OrganizationProfile` per organization, sorted by organization id.

    Flows count explicit and implied flows alike; ``partners`` counts the distinct
    organizations it shares a partnership with.
    """
    flows: dict[str, dict[str, dict[str, int]]] = {}
    for row in store.query(_RESOURCES_QUERY):
        by_role = flows.setdefault(row["id"].value, {"gave": {}, "received": {}})
        by_role[row["role"].value][row["resource"].value] = int(row["n"].value)
    modes: dict[str, dict[str, int]] = {}
    for row in store.query(_MODES_QUERY):
        modes.setdefault(row["id"].value, {})[row["mode"].value] = int(row["n"].value)
    partners = {row["id"].value: int(row["n"].value) for row in store.query(_PARTNERS_QUERY)}
    profiles = []
    for row in store.query(_ORGANIZATIONS_QUERY):
        ident = row["id"].value
        counts = flows.get(ident, {"gave": {}, "received": {}})
        by_mode = modes.get(ident, {})
        profiles.append(OrganizationProfile(
            organization=ident,
            name=row["name"].value if row["name"] is not None else ident,
            name_zh=_text(row["nameZh"]),
            type=row["type"].value,
            side=row["side"].value,
            gave=dict(sorted(counts["gave"].items())),
            received=dict(sorted(counts["received"].items())),
            two_way=by_mode.get("two_way", 0),
            unilateral=by_mode.get("unilateral", 0),
            none=by_mode.get("none", 0),
            partners=partners.get(ident, 0),
        ))
    profiles.sort(key=lambda p: p.organization)
    return profiles
