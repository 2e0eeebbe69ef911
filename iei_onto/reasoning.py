"""Reasoning: the closed-world classification, implied flows, OWL 2 RL materialization, and
an OWL DL consistency check.

:func:`materialize` runs three steps inside the store:

1. ``ontology/rules/classify.ru`` writes mode, direction, patterns, mismatch and evidence
   (closed-world rules; sides are read through the class hierarchy, and the flows activities
   imply through the ``iei:FlowRule`` triples of the ontology in the store);
2. ``ontology/rules/implied-flows.ru`` turns activities into ``iei:ImpliedFlow`` records,
   reading the same ``iei:FlowRule`` triples (edit the Turtle, not code);
3. OWL 2 RL materialization with one of the engines in :data:`ENGINES`, which also
   materializes what steps 1 and 2 entail (``iei:mode`` ⊑ ``org:classification`` …), so a
   second run adds nothing.

The classification reads only what step 1 writes, an explanation what steps 1 and 2 write
(:func:`apply_rules`); catalog queries and exports need all three.

Engines:

``reasonable``
    the Rust OWL 2 RL reasoner; the triples are pulled out with ``store.triples()``, reasoned
    over, and only the new triples are inserted back (without :data:`NOISE`, see
    :func:`is_noise`). Fast, but holds the graph in memory (about 1 GiB per 0.5M triples).
``owlrl``
    the reference implementation (rdflib), same pattern; slow, for checking on small data.
``sparql``
    scales to any store: the small TBox is read from the store and closed once in Python with
    ``owlrl``; then one rule per TBox pair (cax-sco, prp-spo1, prp-inv, prp-dom, prp-rng, and
    cls-int1 with cls-svf1 for defined classes) is generated from the closed TBox, the rules are
    ordered by what they read and write (:func:`plan`: strongly connected components in
    topological order), and each runs once as a SPARQL update inside the store; only a cyclic
    group would be repeated until nothing changes (this ontology has none). Nothing pulls the
    data into Python.
``sparql-goals``
    the same, but only the rules whose products feed what classification and the catalog queries
    read (:func:`goals`) and the defined classes: types through the ``iei:`` class hierarchy,
    inverses, domains and ranges into ``iei:`` classes, the defined classes. Alignments to other
    vocabularies (``org:``, ``prov:``, ``schema:`` …) are not materialized; use ``reasonable``
    or ``sparql`` for the full OWL 2 RL closure.
``auto``
    ``reasonable`` for a :class:`~iei_onto.store.MemoryStore` under :data:`AUTO_LIMIT`
    triples, ``sparql-goals`` otherwise. The result says which engine ran.

>>> from iei_onto.store import MemoryStore
>>> store = MemoryStore()                                  # ontology + data loaded here
>>> materialize(store, "sparql").engine                    # doctest: +SKIP
'sparql'
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Literal, URIRef

from .errors import InputError, ReasonerError
from .memory import release_free_memory
from .model import IEI_NS
from .resources import ontology_text
from .store import DiskStore, MemoryStore, Store, sparql_tokens, where_group_start

#: the rules files :func:`materialize` runs before the OWL 2 RL step, by step name, in order
#: (``ontology/rules/``)
RULE_STEPS = {"classification rules": "classify.ru", "implied flows": "implied-flows.ru"}

#: the engines :func:`materialize` accepts
ENGINES = ("auto", "reasonable", "owlrl", "sparql", "sparql-goals")
#: an OWL 2 RL engine: adds its inferences to the store, calling the progress callback with
#: each part of its work as it starts
Engine = Callable[[Store, Callable[[str], Any]], None]
#: ``auto`` uses ``reasonable`` on a memory store below this many triples, ``sparql-goals``
#: otherwise (measured: at 5k triples reasonable takes 0.7 s and the SPARQL engines 1 s, mostly
#: closing the TBox; at 40k reasonable takes 7 s, sparql 2.3 s, sparql-goals 2.0 s)
AUTO_LIMIT = 10_000

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_BUILTIN = (_RDF, _RDFS, _OWL, _XSD)
_TYPE = _RDF + "type"
_XSD_STRING = _XSD + "string"
_LANG_STRING = _RDF + "langString"

#: What the in-Python engines infer but :func:`materialize` does not insert (see docs/reasoning.md).
NOISE = (
    "triples with a blank node (class expressions and lists of the ontology)",
    "triples about the RDF, RDFS, OWL and XSD vocabularies themselves (axiomatic triples)",
    "triples with a literal subject",
    "typing with owl:Thing or rdfs:Resource, and owl:Nothing as a subclass",
    "reflexive owl:sameAs, rdfs:subClassOf, owl:equivalentClass, rdfs:subPropertyOf and "
    "owl:equivalentProperty, and rdfs:subClassOf owl:Thing",
)


#: the :attr:`ReasoningResult.engine` of a store that held a reasoned graph already
STORED = "stored"


@dataclass
class ReasoningResult:
    """What :func:`materialize` did: the engine, the time, and what it added."""

    #: one of :data:`ENGINES` but ``auto``, or :data:`STORED` for a store that held a reasoned
    #: graph already (:meth:`~iei_onto.kg.KnowledgeGraph.open`: nothing ran, nothing counted)
    engine: str
    seconds: float
    implied_flows: int
    #: triples the OWL 2 RL step added; None when not counted (see :func:`close_owl_rl`)
    inferred_triples: int | None
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def ran(self) -> bool:
        """False when nothing ran: the store held a reasoned graph already."""
        return self.engine != STORED


@dataclass
class ConsistencyReport:
    """The verdict of the DL reasoner on ontology + data, with the problems in plain words."""

    consistent: bool
    engine: str = "HermiT"
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


# --- the pipeline ----------------------------------------------------------------------------


def materialize(store: Store, engine: str = "auto",
                rule_steps: dict[str, float | None] | None = None,
                progress: Callable[[str], Any] | None = None) -> ReasoningResult:
    """Add the classification, implied flows and OWL 2 RL inferences to ``store``.

    The store must hold the ontology (loading does that). Running it twice gives the same
    graph. ``engine`` is one of :data:`ENGINES`. The two halves are :func:`apply_rules` and
    :func:`close_owl_rl`. ``rule_steps`` names the rules steps (:data:`RULE_STEPS`) that
    already ran on this data, with the seconds they took (None when not known): they do not
    run again, and those with seconds are reported among the steps. ``progress`` is called
    with the name of each step as it starts (as in :attr:`ReasoningResult.steps`). At its end
    the store's note of what is still to do (:func:`still_to_do`) is removed.
    """
    chosen = choose_engine(store, engine)
    started = time.perf_counter()
    done = dict(rule_steps or {})
    steps = {step: seconds for step, seconds in done.items() if seconds is not None}
    steps |= apply_rules(store, until="implied flows", done=done, progress=progress)
    implied = count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?f a <{IEI_NS}ImpliedFlow> }}")
    clock = time.perf_counter()
    owl_step = f"OWL 2 RL ({chosen})"
    if progress is not None:
        progress(owl_step)
    inferred = close_owl_rl(store, chosen, None if progress is None
                            else lambda part: progress(f"{owl_step}: {part}"))
    steps[owl_step] = time.perf_counter() - clock
    note_to_do(store, None)
    earlier = sum(seconds for seconds in done.values() if seconds is not None)
    return ReasoningResult(chosen, time.perf_counter() - started + earlier, implied, inferred, steps)


#: The named graph in which IEI notes what reasoning a store still needs (one triple), so a store
#: reopened with ``--store`` or ``--endpoint`` carries on where it stopped. Apart from the
#: default graph: queries, exports and ``graph.ttl`` do not see it.
STATE_GRAPH = "https://w3id.org/iei/state"
#: :func:`still_to_do` when the data changed after the last reasoning
TO_DO_ALL = "the classification rules, the implied flows and OWL 2 RL"
#: :func:`still_to_do` when the classification rules ran and the rest did not
TO_DO_FLOWS = "the implied flows and OWL 2 RL"
#: :func:`still_to_do` when both rules steps ran and the OWL 2 RL step did not
TO_DO_OWL = "OWL 2 RL"
#: what is still to do once the rules steps up to this one ran (see :func:`apply_rules`)
_TO_DO_AFTER = {"classification rules": TO_DO_FLOWS, "implied flows": TO_DO_OWL}
#: how the note's text starts
_TO_DO = "to do: "


def _note(text: str = "?text") -> str:
    return f"GRAPH <{STATE_GRAPH}> {{ <{STATE_GRAPH}> <{_RDFS}comment> {text} }}"


def note_to_do(store: Store, what: str | None) -> None:
    """Note in ``store`` what reasoning it still needs (:data:`TO_DO_ALL`, :data:`TO_DO_FLOWS`,
    :data:`TO_DO_OWL`), or that it needs none (``None``: the note is removed)."""
    add = f" ;\nINSERT DATA {{ {_note(str(ox.Literal(_TO_DO + what)))} }}" if what else ""
    store.update(f"DELETE WHERE {{ {_note()} }}{add}")


def still_to_do(store: Store) -> str | None:
    """What reasoning ``store`` still needs as IEI noted it, or None when nothing is noted.

    A store without a note that holds classification results (:func:`is_classified`) was
    reasoned to the end, by IEI or by whoever wrote it (a ``graph.ttl`` loaded into a server).
    """
    for (text,) in store.query(f"SELECT ?text WHERE {{ {_note()} }}"):
        return text.value.removeprefix(_TO_DO)
    return None


def rules_done(to_do: str | None) -> tuple[str, ...]:
    """The rules steps (:data:`RULE_STEPS`) that ran, by the note ``to_do`` of what is still to
    do (:func:`still_to_do`); none for any other note."""
    names = list(RULE_STEPS)
    for step, note in _TO_DO_AFTER.items():
        if to_do == note:
            return tuple(names[: names.index(step) + 1])
    return ()


def is_classified(store: Store) -> bool:
    """True when the store holds the results of the classification rules (:func:`apply_rules`)."""
    return bool(store.query(f"ASK {{ ?partnership <{IEI_NS}mode> ?mode }}"))


def apply_rules(store: Store, until: str = "classification rules",
                done: Iterable[str] = (), progress: Callable[[str], Any] | None = None
                ) -> dict[str, float]:
    """The rules steps of :data:`RULE_STEPS` up to ``until``, inside the store, but those in
    ``done`` (they ran on this data already); returns the seconds of each step it ran, and
    notes in the store what is still to do. ``progress`` is called with the name of each step
    as it starts.

    The classification (:func:`~iei_onto.classification.classify`) reads only what the
    ``classification rules`` write; an explanation (:func:`~iei_onto.classification.explain`)
    reads the ``implied flows`` too. Neither needs the OWL 2 RL step.
    """
    names = list(RULE_STEPS)
    done = tuple(done)
    steps = {}
    for step in names[: names.index(until) + 1]:
        if step not in done:
            if progress is not None:
                progress(step)
            clock = time.perf_counter()
            run_update(store, ontology_text(f"rules/{RULE_STEPS[step]}"))
            steps[step] = time.perf_counter() - clock
    reached = max(names.index(step) for step in (*done, until))
    note_to_do(store, _TO_DO_AFTER[names[reached]])
    return steps


def close_owl_rl(store: Store, engine: str, progress: Callable[[str], Any] | None = None
                 ) -> int | None:
    """OWL 2 RL materialization with ``engine`` (not ``auto``: see :func:`choose_engine`);
    returns how many triples it added, counted in a memory store only (elsewhere counting is
    a scan of the whole store: about a minute at national scale on disk), else None.
    ``progress`` is called with each part as it starts (``stage 2 of 7`` of the SPARQL
    engines, then ``compacting the store`` on disk)."""
    report = progress if progress is not None else _nothing
    counted = isinstance(store, MemoryStore)
    before = len(store) if counted else 0
    _ENGINES[engine](store, report)
    if isinstance(store, DiskStore):
        report("compacting the store")
    store.optimize()
    return len(store) - before if counted else None


def choose_engine(store: Store, engine: str) -> str:
    """The engine ``materialize`` runs for ``engine`` on ``store`` (resolves ``auto``)."""
    if engine not in ENGINES:
        raise InputError(f"unknown reasoning engine {engine!r}: use one of {', '.join(ENGINES)}")
    if engine != "auto":
        return engine
    if isinstance(store, MemoryStore) and len(store) < AUTO_LIMIT:
        return "reasonable"
    return "sparql-goals"


def count(store: Store, sparql: str) -> int:
    """The single integer a ``SELECT (COUNT(…) AS ?n)`` query answers."""
    rows = list(store.query(sparql))
    return int(rows[0][0].value) if rows and rows[0][0] is not None else 0


# --- engines that reason in Python -----------------------------------------------------------


def _reason_reasonable(triples: list[tuple]) -> Iterable[tuple]:
    try:
        import reasonable
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ReasonerError("the 'reasonable' engine needs the reasonable package: "
                            "pip install reasonable, or use --engine sparql") from exc
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(triples)
    return reasoner.reason()


def _reason_owlrl(triples: list[tuple]) -> Iterable[tuple]:
    import owlrl

    graph = rdflib.Graph()
    for triple in triples:
        graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


def _nothing(part: str) -> None:
    """A progress callback that shows nothing."""


def _in_python(reason: Callable[[list[tuple]], Iterable[tuple]]) -> Engine:
    """An engine that reasons over a copy of the graph and inserts only the new triples (in
    one step: it reports no progress)."""

    def run(store: Store, progress: Callable[[str], Any]) -> None:
        base = set(store.triples())
        new = []
        for s, p, o in reason([(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                               for t in base]):
            if isinstance(s, (BNode, Literal)) or isinstance(o, BNode):
                continue
            triple = ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
            if triple not in base and not is_noise(triple):
                new.append(triple)
        insert(store, new)

    return run


def is_noise(triple: ox.Triple) -> bool:
    """True for an inferred triple :func:`materialize` leaves out (see :data:`NOISE`)."""
    s, p, o = triple.subject, triple.predicate.value, triple.object
    if isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode):
        return True
    if s.value.startswith(_BUILTIN):
        return True
    if isinstance(o, ox.NamedNode):
        if p == _TYPE and o.value in (_OWL + "Thing", _RDFS + "Resource"):
            return True
        if p == _RDFS + "subClassOf" and (o == s or o.value == _OWL + "Thing"):
            return True
        if o == s and p in (_OWL + "sameAs", _OWL + "equivalentClass", _RDFS + "subPropertyOf",
                            _OWL + "equivalentProperty"):
            return True
    return False


def insert(store: Store, triples: Iterable[ox.Triple], batch: int = 50_000) -> None:
    """Insert triples into the store as N-Triples, in batches."""
    lines: list[str] = []
    for triple in triples:
        lines.append(f"{triple} .\n")
        if len(lines) >= batch:
            store.load("".join(lines).encode("utf-8"), "nt")
            lines.clear()
    if lines:
        store.load("".join(lines).encode("utf-8"), "nt")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    """The rdflib term for a pyoxigraph term (simple literals stay plain)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_oxigraph(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term (the lexical form of literals is kept)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is None or str(term.datatype) == _LANG_STRING:
        return ox.Literal(str(term))
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))


# --- the SPARQL engine: the TBox closed once, the rules run inside the store -----------------

_TBOX_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
CONSTRUCT { ?s ?p ?o } WHERE {
  {
    VALUES ?p {
      rdfs:subClassOf rdfs:subPropertyOf owl:equivalentClass owl:equivalentProperty
      owl:inverseOf rdfs:domain rdfs:range owl:intersectionOf owl:someValuesFrom
      owl:onProperty rdf:first rdf:rest
    }
    ?s ?p ?o .
  } UNION {
    VALUES ?o {
      owl:Class rdfs:Class owl:Restriction owl:ObjectProperty owl:DatatypeProperty
      owl:SymmetricProperty owl:TransitiveProperty
    }
    BIND (rdf:type AS ?p)
    ?s rdf:type ?o .
  }
}
"""


Key = tuple[str, str]
"""What a rule reads or writes: ``("type", class IRI)`` or ``("prop", property IRI)``."""

#: ``(first kind, second kind)`` → the kind of the rule that does both in one step
#: (``sc`` subclass, ``sp`` subproperty, ``inv`` inverse, ``dom`` domain, ``rng`` range)
_COMPOSED = {
    ("sc", "sc"): "sc", ("sp", "sp"): "sp", ("inv", "inv"): "sp", ("sp", "inv"): "inv",
    ("inv", "sp"): "inv", ("dom", "sc"): "dom", ("rng", "sc"): "rng", ("sp", "dom"): "dom",
    ("sp", "rng"): "rng", ("inv", "dom"): "rng", ("inv", "rng"): "dom",
}


@dataclass(frozen=True, order=True)
class Rule:
    """One OWL 2 RL rule instance: ``kind`` from ``source`` to ``target``.

    Kinds: ``sc`` (cax-sco), ``sp`` (prp-spo1), ``inv`` (prp-inv), ``dom`` (prp-dom), ``rng``
    (prp-rng, object values only) and ``def`` (cls-int1 with cls-svf1: ``target`` is the
    defined class, ``conditions`` its conjuncts, ``(None, C)`` for "is a C", ``(P, C)`` for ∃P.C).
    """

    kind: str
    source: str
    target: str
    conditions: tuple[tuple[str | None, str], ...] = ()

    @property
    def consumes(self) -> tuple[Key, ...]:
        """The keys this rule reads."""
        if self.kind == "def":
            keys: list[Key] = []
            for prop, cls in self.conditions:
                keys += [("type", cls)] if prop is None else [("prop", prop), ("type", cls)]
            return tuple(keys)
        return (("type", self.source),) if self.kind == "sc" else (("prop", self.source),)

    @property
    def produces(self) -> Key:
        """The key this rule writes."""
        return ("prop", self.target) if self.kind in ("sp", "inv") else ("type", self.target)

    def head(self) -> str:
        """The one triple pattern the rule writes."""
        return {"sp": f"?x <{self.target}> ?y", "inv": f"?y <{self.target}> ?x",
                "rng": f"?y rdf:type <{self.target}>"}.get(self.kind, f"?x rdf:type <{self.target}>")

    def body(self) -> str:
        """The graph pattern the rule reads."""
        if self.kind == "def":
            # each condition is a sub-query of the ?x that meet it, and they are joined by
            # hash: one pass over each class and property instead of a lookup per candidate
            # (on disk 1.3-2.4x faster at 3.9M triples; the same in memory); the members of
            # a filler class are read once too
            patterns = []
            for i, (prop, cls) in enumerate(self.conditions):
                if prop is None:
                    patterns.append(f"{{ SELECT ?x WHERE {{ ?x rdf:type <{cls}> }} }}")
                else:
                    members = f"{{ SELECT ?y{i} WHERE {{ ?y{i} rdf:type <{cls}> }} }}"
                    patterns.append(f"{{ SELECT DISTINCT ?x WHERE {{ {members} ?x <{prop}> ?y{i} }} }}")
            return " ".join(patterns)
        if self.kind == "sc":
            return f"?x rdf:type <{self.source}> ."
        if self.kind == "rng":
            return f"?x <{self.source}> ?y . FILTER (!isLiteral(?y))"
        return f"?x <{self.source}> ?y ."

    def update(self) -> str:
        """The rule as one SPARQL 1.1 update that writes only what is missing (``MINUS`` is an
        anti-join over one scan of what exists: on disk ten times faster than a per-row
        ``FILTER NOT EXISTS``)."""
        return f"PREFIX rdf: <{_RDF}>\nINSERT {{ {self.head()} }} WHERE {{ {self.missing()} }}"

    def would_add(self) -> str:
        """An ASK query: would :meth:`update` add anything?"""
        return f"PREFIX rdf: <{_RDF}>\nASK {{ {self.missing()} }}"

    def missing(self) -> str:
        """The pattern of what the rule derives and the store does not hold yet."""
        return f"{self.body()} MINUS {{ {self.head()} }}"


@dataclass
class RuleSet:
    """The OWL 2 RL rules the ``sparql`` engines apply, generated from the closed TBox."""

    subclasses: list[tuple[str, str]] = field(default_factory=list)
    subproperties: list[tuple[str, str]] = field(default_factory=list)
    inverses: list[tuple[str, str]] = field(default_factory=list)
    domains: list[tuple[str, str]] = field(default_factory=list)
    ranges: list[tuple[str, str]] = field(default_factory=list)
    #: defined class → its conditions: ``(None, C)`` for "is a C", ``(P, C)`` for "∃P.C"
    definitions: list[tuple[str, tuple[tuple[str | None, str], ...]]] = field(default_factory=list)

    def rules(self) -> list[Rule]:
        """Every rule, one per pair of the TBox (sorted)."""
        found = [Rule(kind, a, b) for kind, pairs in (
            ("sc", self.subclasses), ("sp", self.subproperties), ("inv", self.inverses),
            ("dom", self.domains), ("rng", self.ranges)) for a, b in pairs]
        found += [Rule("def", target, target, conditions) for target, conditions in self.definitions]
        return sorted(found)


def _redundant(first: Rule, second: Rule, rules: set[Rule]) -> bool:
    """True when ``second`` applied to what ``first`` wrote only re-derives what other rules
    write from ``first``'s inputs (the TBox is closed, so such a rule exists)."""
    if first.kind == "def":
        return second.kind == "sc" and any(
            prop is None and (cls == second.target or Rule("sc", cls, second.target) in rules)
            for prop, cls in first.conditions)
    kind = _COMPOSED.get((first.kind, second.kind))
    if kind is None:
        return False
    if kind in ("sc", "sp") and first.source == second.target:
        return True
    return Rule(kind, first.source, second.target) in rules


@dataclass
class Plan:
    """The rules in the order they run: each group once, or to a fixpoint when cyclic."""

    groups: list[tuple[list[Rule], bool]]
    #: for each group, its depth in the order: groups of one depth never read each other's output
    levels: list[int] = field(default_factory=list)

    def rules(self) -> list[Rule]:
        """Every rule of the plan, in order."""
        return [rule for group, _ in self.groups for rule in group]

    def batches(self) -> Iterator[tuple[list[Rule], bool]]:
        """The groups in order, with the acyclic rules of one depth that copy into the same
        class (same kind: subclass, domain or range) joined: they run as one update, so the
        class is scanned once for all of them (see :func:`merged_update`)."""
        for stage in self.stages():
            yield from stage

    def stages(self) -> Iterator[list[tuple[list[Rule], bool]]]:
        """The :meth:`batches` of each depth, one list per depth: no batch of a stage reads
        what another batch of the same stage writes, so they may run in any order or at once."""
        levels = self.levels or [0] * len(self.groups)
        for level in sorted(set(levels)):
            stage: list[tuple[list[Rule], bool]] = []
            joined: dict[tuple[str, str], list[Rule]] = {}
            for (group, cyclic), depth in zip(self.groups, levels, strict=True):
                if depth != level:
                    continue
                if cyclic or group[0].kind not in ("sc", "dom", "rng"):
                    stage.append((group, cyclic))
                else:
                    joined.setdefault((group[0].kind, group[0].target), []).extend(group)
            stage += [(joined[key], False) for key in sorted(joined)]
            yield stage


def plan(rules: Iterable[Rule], goals: Iterable[Key] | None = None) -> Plan:
    """Order ``rules`` by what they read and write (strongly connected components, in
    topological order); with ``goals``, keep only the rules whose products feed a goal.

    A group of one rule that does not feed itself runs once; a cyclic group runs until nothing
    changes. Dependencies that only re-derive what a closed-TBox rule writes directly are
    left out (see :func:`_redundant`), so the class and property hierarchies, inverse pairs and
    defined classes under their conjuncts make no cycles.
    """
    import networkx as nx

    chosen = sorted(set(rules) if goals is None else needed(rules, goals))
    every = set(chosen)
    readers: dict[Key, list[Rule]] = {}
    for rule in chosen:
        for key in rule.consumes:
            readers.setdefault(key, []).append(rule)
    graph = nx.DiGraph()
    graph.add_nodes_from(chosen)
    for first in chosen:
        for second in readers.get(first.produces, []):
            if not _redundant(first, second, every):
                graph.add_edge(first, second)
    components = nx.condensation(graph)
    order = nx.lexicographical_topological_sort(
        components, key=lambda n: min(components.nodes[n]["members"]))
    groups, levels, depth = [], [], {}
    for node in order:
        members = sorted(components.nodes[node]["members"])
        cyclic = len(members) > 1 or graph.has_edge(members[0], members[0])
        depth[node] = max((depth[before] + 1 for before in components.predecessors(node)), default=0)
        groups.append((members, cyclic))
        levels.append(depth[node])
    return Plan(groups, levels)


def needed(rules: Iterable[Rule], goals: Iterable[Key]) -> set[Rule]:
    """The rules whose products feed ``goals``, directly or through other rules."""
    by_product: dict[Key, list[Rule]] = {}
    for rule in rules:
        by_product.setdefault(rule.produces, []).append(rule)
    wanted, todo, chosen = set(goals), list(goals), set()
    while todo:
        for rule in by_product.get(todo.pop(), []):
            if rule not in chosen:
                chosen.add(rule)
                fresh = [k for k in rule.consumes if k not in wanted]
                wanted.update(fresh)
                todo.extend(fresh)
    return chosen


def closed_tbox(store: Store) -> rdflib.Graph:
    """The axioms of the ontology in the store, closed under OWL 2 RL with ``owlrl``."""
    import owlrl

    graph = rdflib.Graph()
    for triple in store.query(_TBOX_QUERY):
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


def rule_set(tbox: rdflib.Graph) -> RuleSet:
    """Generate the rules of the ``sparql`` engine from a closed TBox."""
    rules = RuleSet()
    rdfs, owl = rdflib.RDFS, rdflib.OWL

    def named_pairs(predicate: URIRef) -> list[tuple[str, str]]:
        return sorted({(str(a), str(b)) for a, b in tbox.subject_objects(predicate)
                       if _user_term(a) and _user_term(b) and a != b})

    rules.subclasses = named_pairs(rdfs.subClassOf)
    rules.subproperties = named_pairs(rdfs.subPropertyOf)
    rules.inverses = sorted({*named_pairs(owl.inverseOf), *((b, a) for a, b in named_pairs(owl.inverseOf))})
    rules.domains = named_pairs(rdfs.domain)
    rules.ranges = named_pairs(rdfs.range)
    definitions = set()
    for expression in {e for e in tbox.all_nodes() if isinstance(e, BNode)}:
        conditions = _conditions(tbox, expression)
        if conditions is None:
            continue
        targets = {t for t in tbox.subjects(owl.equivalentClass, expression) if _user_term(t)}
        targets |= {t for t in tbox.objects(expression, owl.equivalentClass) if _user_term(t)}
        if not targets:  # a class expression that is only a subclass: E ⊑ D
            targets = {t for t in tbox.objects(expression, rdfs.subClassOf) if _user_term(t)}
        definitions |= {(str(t), conditions) for t in targets}
    rules.definitions = sorted(definitions)
    return rules


def _conditions(tbox: rdflib.Graph, expression: BNode) -> tuple[tuple[str | None, str], ...] | None:
    """The conditions of an intersection of named classes and ∃P.C restrictions, or None."""
    owl = rdflib.OWL
    members = tbox.value(expression, owl.intersectionOf)
    parts = list(rdflib.collection.Collection(tbox, members)) if members is not None else [expression]
    conditions: list[tuple[str | None, str]] = []
    for part in parts:
        if _user_term(part):
            conditions.append((None, str(part)))
            continue
        prop, filler = tbox.value(part, owl.onProperty), tbox.value(part, owl.someValuesFrom)
        if not (_user_term(prop) and _user_term(filler)):
            return None
        conditions.append((str(prop), str(filler)))
    return tuple(sorted(conditions, key=lambda c: (c[0] or "", c[1])))


def _user_term(term: object) -> bool:
    return isinstance(term, URIRef) and not str(term).startswith(_BUILTIN)


def goals() -> set[Key]:
    """What classification and the catalog read: every class and property named in the rules
    files and the catalog queries (as keys, see :data:`Key`)."""
    from .queries import catalog

    texts = [ontology_text(f"rules/{name}") for name in RULE_STEPS.values()] + [q.text for q in catalog()]
    iris = set().union(*map(sparql_iris, texts))
    return {(kind, iri) for iri in iris for kind in ("type", "prop")}


def sparql_iris(text: str) -> set[str]:
    """The IRIs a SPARQL text names, prefixed names resolved (comments left out)."""
    code = "".join(m.group() for m in sparql_tokens(text))
    prefixes = dict(_PREFIX.findall(code))
    found = set(_FULL_IRI.findall(code))
    found |= {prefixes[p] + local for p, local in _PREFIXED.findall(code) if p in prefixes}
    return {iri for iri in found - set(prefixes.values()) if not iri.startswith(_BUILTIN)}


_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_FULL_IRI = re.compile(r"<([a-z][\w+.-]*:[^<>\s]*)>")
_PREFIXED = re.compile(r"(?<![\w<])([A-Za-z][\w-]*)?:([A-Za-z_][\w-]*)")


#: threads that apply the rules of one stage at the same time (Oxigraph evaluates and
#: writes without holding the GIL, so each uses a core)
RULE_THREADS = min(4, os.cpu_count() or 1)


def run_plan(store: Store, steps: Plan, max_rounds: int = 50,
             progress: Callable[[str], Any] = _nothing) -> None:
    """Apply the rules of ``steps`` inside the store: each acyclic group once, each cyclic
    group until none of its rules would add a triple. The batches of one stage (see
    :meth:`Plan.stages`) run on :data:`RULE_THREADS` threads at once. ``progress`` is called
    as each stage starts (``stage 2 of 7``)."""
    stages = list(steps.stages())
    with ThreadPoolExecutor(max_workers=RULE_THREADS, thread_name_prefix="iei-rules") as pool:
        for number, stage in enumerate(stages, 1):
            progress(f"stage {number} of {len(stages)}")
            for _ in pool.map(lambda batch: _run_batch(store, *batch, max_rounds), stage):
                pass  # raises the first error of the stage


def _run_batch(store: Store, group: list[Rule], cyclic: bool, max_rounds: int) -> None:
    for _ in range(max_rounds):
        if cyclic:
            for rule in group:
                run_update(store, rule.update())
        else:
            run_update(store, merged_update(group))
        if not cyclic or not any(store.query(rule.would_add()) for rule in group):
            return
    raise ReasonerError(f"the sparql engine did not reach a fixpoint in {max_rounds} rounds")


def merged_update(rules: list[Rule]) -> str:
    """One update for rules of one kind that write the same class (or a single rule): the
    subjects (objects for ranges) are read once, what already has the class is taken out once."""
    if len(rules) == 1:
        return rules[0].update()
    first = rules[0]
    sources = " ".join(f"<{rule.source}>" for rule in rules)
    node = "?y" if first.kind == "rng" else "?x"
    if first.kind == "sc":
        pattern = f"VALUES ?c {{ {sources} }} ?x rdf:type ?c ."
    else:
        literals = " FILTER (!isLiteral(?y))" if node == "?y" else ""
        pattern = f"VALUES ?p {{ {sources} }} ?x ?p ?y .{literals}"
    return (f"PREFIX rdf: <{_RDF}>\nINSERT {{ {first.head()} }} WHERE {{ "
            f"{{ SELECT DISTINCT {node} WHERE {{ {pattern} }} }} MINUS {{ {first.head()} }} }}")


def _reason_sparql(store: Store, progress: Callable[[str], Any] = _nothing) -> None:
    """Every rule of the closed TBox, in dependency order, inside the store."""
    run_plan(store, plan(rule_set(closed_tbox(store)).rules()), progress=progress)


def _reason_goals(store: Store, progress: Callable[[str], Any]) -> None:
    """Only the rules that feed :func:`goals` and the defined classes, in dependency order,
    inside the store."""
    rules = rule_set(closed_tbox(store)).rules()
    defined = {rule.produces for rule in rules if rule.kind == "def"}
    run_plan(store, plan(rules, goals() | defined), progress=progress)


_ENGINES: dict[str, Engine] = {
    "reasonable": _in_python(_reason_reasonable),
    "owlrl": _in_python(_reason_owlrl),
    "sparql": _reason_sparql,
    "sparql-goals": _reason_goals,
}


# --- running updates -------------------------------------------------------------------------


def run_update(store: Store, sparql: str) -> None:
    """Run a SPARQL 1.1 update on ``store``.

    On a :class:`~iei_onto.store.DiskStore` each ``INSERT { template } WHERE { … }``
    operation runs as a ``SELECT`` of the template's variables (see :func:`as_select`); the
    template is filled in with each answer in Python and the triples are bulk-loaded: RocksDB
    reads outside a write transaction are about twice as fast, the bulk loader writes faster
    than a transaction, and, unlike a ``CONSTRUCT``, a ``SELECT`` keeps nothing per answer
    (Oxigraph's ``CONSTRUCT`` holds every triple it returned, to drop repeats: several GiB for
    the implied flows of a national register; the loader drops repeats by itself). A query
    whose pattern starts from rows of a ``VALUES (…) { (…) (…) }`` block runs once per row, on
    :data:`RULE_THREADS` threads at once (see :func:`split_values_rows`); then the memory
    this freed is given back to the operating system (:mod:`iei_onto.memory`). Everywhere
    else (memory, endpoints, templates with blank nodes or graphs) the update runs as written.
    """
    if not isinstance(store, DiskStore):
        store.update(sparql)
        return
    prefixes = prologue(sparql)
    for operation in operations(sparql):
        insert = as_select(prefixes, operation)
        if insert is None:
            store.update(prefixes + operation)
        else:
            _select_and_load(store, insert)
        release_free_memory()


#: a position of a template triple: a constant term in N-Triples syntax, or the column of the
#: variable in the ``SELECT`` answers
Slot = str | int


@dataclass(frozen=True)
class InsertAsSelect:
    """An ``INSERT { template } WHERE { … }`` operation as a ``SELECT`` and a template."""

    #: ``SELECT ?a ?b … WHERE { … }``: the variables of the template, sorted by name
    select: str
    #: the template's triples, each position a constant or a column of the answers
    template: tuple[tuple[Slot, Slot, Slot], ...]

    def triples(self, answer: list[str]) -> Iterator[str]:
        """The template filled in with one answer (terms in Turtle syntax, ``""`` when
        unbound), as Turtle lines; triples with an unbound variable, a literal subject or a
        predicate that is not an IRI are left out, as SPARQL leaves them out."""
        for triple in self.template:
            s, p, o = (answer[slot] if isinstance(slot, int) else slot for slot in triple)
            if s and o and s[0] in "<_" and p[:1] == "<":
                yield f"{s} {p} {o} .\n"


def as_select(prologue: str, operation: str) -> InsertAsSelect | None:
    """The ``SELECT`` and template of an ``INSERT { … } WHERE { … }`` operation (``prologue``:
    its ``PREFIX`` lines); None for any other operation, or when the template has blank nodes
    or ``GRAPH`` blocks."""
    tokens = list(sparql_tokens(operation))
    words = [m for m in tokens if m.lastgroup == "word"]
    if len(words) < 2 or words[0].group().upper() != "INSERT" or words[1].group().upper() == "DATA":
        return None
    depth, end = 0, None
    for match in tokens:  # the template: from the first { to its }
        depth += {"open": 1, "close": -1}.get(match.lastgroup or "", 0)
        if depth == 0 and match.lastgroup == "close":
            end = match
            break
    rest = operation[end.end():].lstrip() if end is not None else ""
    if end is None or rest[:5].upper() != "WHERE":
        return None  # USING clauses, WITH …
    triples = _template_triples(prologue + operation[:end.end()] + " WHERE {}")
    if triples is None:
        return None
    variables = sorted({str(term) for triple in triples for term in triple
                        if isinstance(term, rdflib.Variable)})
    columns = {name: i for i, name in enumerate(variables)}

    def slot(term: rdflib.term.Node) -> Slot:
        return columns[str(term)] if isinstance(term, rdflib.Variable) else str(to_oxigraph(term))

    projection = " ".join(f"?{name}" for name in variables) or "*"  # "*": a template of constants
    return InsertAsSelect(f"{prologue}SELECT {projection} {rest}",
                          tuple((slot(s), slot(p), slot(o)) for s, p, o in triples))


_PARSING = threading.Lock()


@functools.lru_cache(maxsize=256)
def _template_triples(update: str) -> tuple[tuple[rdflib.term.Node, ...], ...] | None:
    """The triples of the template of ``INSERT { … } WHERE {}``, parsed by rdflib (prefixes
    resolved, ``;`` and ``,`` expanded), sorted; None with blank nodes or ``GRAPH`` blocks."""
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    with _PARSING:  # rules run on threads; pyparsing does not say it is thread-safe
        insert = translateUpdate(parseUpdate(update)).algebra[0].insert
    triples = tuple(sorted((tuple(triple) for triple in insert.get("triples") or ()),
                           key=lambda triple: [term.n3() for term in triple]))
    if insert.get("quads") or any(isinstance(term, BNode) for triple in triples for term in triple):
        return None
    return triples


def _select_and_load(store: Store, insert: InsertAsSelect) -> None:
    """Bulk-load the triples of ``insert``; the ``VALUES`` rows of its query run on threads
    at once, each writing its answers to a TSV file (Turtle terms, one answer per line)."""
    queries = split_values_rows(insert.select)
    with tempfile.TemporaryDirectory(prefix="iei-rule-") as folder, \
            ThreadPoolExecutor(max_workers=RULE_THREADS, thread_name_prefix="iei-rows") as pool:
        answers = [Path(folder) / f"{i}.tsv" for i in range(len(queries))]
        for _ in pool.map(_select_into, [store] * len(queries), queries, answers):
            pass
        triples = Path(folder) / "triples.ttl"
        with triples.open("w", encoding="utf-8") as out:
            for path in answers:
                with path.open(encoding="utf-8", newline="\n") as lines:
                    next(lines, None)  # the header: the variables
                    for line in lines:
                        out.writelines(insert.triples(line.rstrip("\n").split("\t")))
        if triples.stat().st_size:
            store.load(triples, "ttl")


def _select_into(store: Store, select: str, path: Path) -> None:
    store.query(select).serialize(output=str(path), format=ox.QueryResultsFormat.TSV)


def split_values_rows(query: str) -> list[str]:
    """The query once per row of the ``VALUES (?a …) { (…) … }`` block that is a direct part
    of its outermost WHERE group (the first such block), else ``[query]``.

    A direct ``VALUES`` block is joined with the rest of the group, and joins, left joins,
    ``MINUS``, ``BIND`` and ``FILTER`` all distribute over a union of their left side, so the
    answers per row together are the answers of the whole query (a ``SELECT`` without
    ``DISTINCT``, ``LIMIT`` or aggregates at the top, or a ``CONSTRUCT``). Only the
    parenthesized form is split.
    """
    start = where_group_start(query)
    depth, parens, state = 1, 0, "scan"
    block_start = block_end = None
    rows: list[tuple[int, int]] = []
    for match in sparql_tokens(query[start:]):
        kind, text, at = match.lastgroup, match.group(), start + match.start()
        if state == "scan":
            if kind == "open":
                depth += 1
            elif kind == "close":
                depth -= 1
                if depth == 0:
                    return [query]
            elif depth == 1 and kind == "word" and text.upper() == "VALUES":
                state = "variables"
        elif state == "variables":
            if text.isspace():
                continue
            if text != "(":
                return [query]  # the one-variable form is not split
            state = "header"
        elif state == "header":
            if kind == "open":
                block_start, state = at + 1, "rows"
        elif kind == "close":
            block_end = at
            break
        elif text == "(":
            parens += 1
            if parens == 1:
                row_start = at
        elif text == ")":
            parens -= 1
            if parens == 0:
                rows.append((row_start, at + 1))
    if block_start is None or block_end is None or len(rows) < 2:
        return [query]
    return [f"{query[:block_start]} {query[a:b]} {query[block_end:]}" for a, b in rows]


def prologue(sparql: str) -> str:
    """The ``PREFIX`` declarations of ``sparql``, one per line: what each of its
    :func:`operations` needs in front of it to run alone."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in _PREFIX.findall(sparql))


def operations(sparql: str) -> list[str]:
    """The operations of a SPARQL update (split at top-level ``;``), prologues left out."""
    found, start, depth = [], 0, 0
    code = "".join(m.group() for m in sparql_tokens(_PREFIX.sub("", sparql)))
    for match in sparql_tokens(code):
        if match.lastgroup == "open":
            depth += 1
        elif match.lastgroup == "close":
            depth -= 1
        elif match.group() == ";" and depth == 0:
            found.append(code[start:match.start()])
            start = match.end()
    found.append(code[start:])
    return [op.strip() for op in found if op.strip()]


# --- OWL DL consistency with HermiT ----------------------------------------------------------

_DISJOINT_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?x ?first ?second WHERE {
  {
    ?a owl:disjointWith ?b .
  } UNION {
    ?all rdf:type owl:AllDisjointClasses ; owl:members ?list .
    ?list rdf:rest*/rdf:first ?a .
    ?list rdf:rest*/rdf:first ?b .
    FILTER (?a != ?b)
  }
  ?x rdf:type ?first . ?first rdfs:subClassOf* ?a .
  ?x rdf:type ?second . ?second rdfs:subClassOf* ?b .
  FILTER (isIRI(?first) && isIRI(?second) && STR(?first) < STR(?second))
  FILTER NOT EXISTS { ?x rdf:type ?narrower . ?narrower rdfs:subClassOf+ ?first .
                      FILTER (?narrower != ?first) }
  FILTER NOT EXISTS { ?x rdf:type ?narrower . ?narrower rdfs:subClassOf+ ?second .
                      FILTER (?narrower != ?second) }
}
ORDER BY ?x ?first ?second
"""

_NAME_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?id ?notation ?label ?labelZh WHERE {
  OPTIONAL { ?x dcterms:identifier ?id }
  OPTIONAL { ?x skos:notation ?notation }
  OPTIONAL { ?x rdfs:label ?label FILTER (LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?x rdfs:label ?labelZh FILTER (LANGMATCHES(LANG(?labelZh), "zh")) }
}
"""


def check_consistency(store: Store) -> ConsistencyReport:
    """Run HermiT (through owlready2) on the ontology and data in ``store``.

    Problems are reported in plain words naming the individuals, e.g. ``organization E7
    (苏州智造) is both an enterprise and a college``. Raises :class:`ReasonerError` when
    owlready2 or Java is missing.
    """
    owlready2 = _owlready2()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="iei-hermit-") as folder:
        path = Path(folder) / "graph.nt"
        path.write_bytes(b"".join(_hermit_lines(store)))
        world = owlready2.World()
        try:
            ontology = world.get_ontology(path.as_uri()).load()
            with ontology:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            consistent = True
        except owlready2.OwlReadyInconsistentOntologyError:
            consistent = False
        except owlready2.OwlReadyJavaError as exc:
            raise ReasonerError(f"HermiT failed: {str(exc).strip().splitlines()[-1]}") from exc
        finally:
            world.close()
    problems = [] if consistent else explain_inconsistency(store)
    return ConsistencyReport(consistent, "HermiT", time.perf_counter() - started, problems)


def _owlready2():
    try:
        import owlready2
    except ImportError as exc:
        raise ReasonerError("the consistency check needs owlready2 (HermiT): "
                            "pip install 'iei-onto[dl]'") from exc
    java = os.environ.get("JAVA_HOME") and Path(os.environ["JAVA_HOME"], "bin", "java")
    if not (java and java.exists()) and shutil.which(owlready2.JAVA_EXE) is None:
        raise ReasonerError("the consistency check runs HermiT, which needs Java: install a Java "
                            "runtime (e.g. apt-get install default-jre) and put 'java' on the PATH")
    return owlready2


#: the datatypes of the OWL 2 datatype map: the only ones HermiT accepts
OWL2_DATATYPES = frozenset(
    [_RDF + "PlainLiteral", _RDF + "XMLLiteral", _RDF + "langString", _RDFS + "Literal",
     _OWL + "real", _OWL + "rational"]
    + [_XSD + name for name in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString", "token",
        "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary", "anyURI",
        "dateTime", "dateTimeStamp",
    )]
)


def _for_hermit(triple: ox.Triple) -> ox.Triple:
    """Datatypes outside the OWL 2 datatype map (xsd:date, xsd:gYear) become plain literals
    and rdfs:Literal: HermiT rejects them, and SHACL checks those values instead."""
    s, p, o = triple.subject, triple.predicate, triple.object
    if isinstance(o, ox.Literal) and not o.language and o.datatype.value not in OWL2_DATATYPES:
        return ox.Triple(s, p, ox.Literal(o.value))
    if isinstance(o, ox.NamedNode) and o.value.startswith(_XSD) and o.value not in OWL2_DATATYPES:
        return ox.Triple(s, p, ox.NamedNode(_RDFS + "Literal"))
    return triple


def _hermit_lines(store: Store) -> Iterator[bytes]:
    """The graph as N-Triples, with the declarations HermiT needs to see every entity."""
    declared: set[str] = set()
    typed_predicates = (_OWL + "ObjectProperty", _OWL + "DatatypeProperty", _OWL + "AnnotationProperty")
    for triple in store.triples():
        if triple.predicate.value == _TYPE and triple.object.value in typed_predicates:
            declared.add(triple.subject.value)
    predicates: set[str] = set()
    classes: set[str] = set()
    individuals: set[str] = set()
    for triple in map(_for_hermit, store.triples()):
        yield f"{triple} .\n".encode()
        predicates.add(triple.predicate.value)
        is_type = triple.predicate.value == _TYPE and isinstance(triple.object, ox.NamedNode)
        if is_type and not triple.object.value.startswith(_BUILTIN):
            classes.add(triple.object.value)
            if isinstance(triple.subject, ox.NamedNode):
                individuals.add(triple.subject.value)
    for iri in sorted(predicates - declared):
        if not iri.startswith(_BUILTIN):
            yield f"<{iri}> <{_TYPE}> <{_OWL}AnnotationProperty> .\n".encode()
    for iri in sorted(classes):
        yield f"<{iri}> <{_TYPE}> <{_OWL}Class> .\n".encode()
    for iri in sorted(individuals):
        yield f"<{iri}> <{_TYPE}> <{_OWL}NamedIndividual> .\n".encode()


def explain_inconsistency(store: Store) -> list[str]:
    """Individuals that belong to two disjoint classes, in plain words.

    The search runs on a copy of the graph closed by the ``sparql`` engine, so types that
    follow from the class hierarchy, domains and ranges are found too.
    """
    copy = MemoryStore()
    insert(copy, store.triples())
    _reason_sparql(copy)
    problems = []
    for x, first, second in copy.query(_DISJOINT_QUERY):
        problems.append(f"{describe_individual(copy, x)} is both {_with_article(_class_name(copy, first))} "
                        f"and {_with_article(_class_name(copy, second))}")
    if not problems:
        problems.append("HermiT found the ontology and the data inconsistent, but no individual "
                        "belongs to two disjoint classes: check the axioms of the ontology "
                        "(for example a functional property with two values)")
    return problems


def _names(store: Store, term: ox.NamedNode) -> dict[str, str]:
    names: dict[str, str] = {}
    for row in store.query(_NAME_QUERY, {"x": term}):
        for key in ("id", "notation", "label", "labelZh"):
            if row[key] is not None:
                names.setdefault(key, row[key].value)
    return names


def describe_individual(store: Store, term: ox.NamedNode) -> str:
    """``organization E7 (苏州智造)``: the record kind, its table id and its name."""
    names = _names(store, term)
    path = term.value.rstrip("/").split("/")
    kind = path[-2] if len(path) >= 2 and "id" in names else "individual"
    ident = names.get("id", term.value)
    name = names.get("labelZh") or names.get("label")
    return f"{kind} {ident}" + (f" ({name})" if name else "")


def _class_name(store: Store, term: ox.NamedNode) -> str:
    names = _names(store, term)
    if "notation" in names:
        return names["notation"].replace("_", " ")
    return names.get("label") or term.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _with_article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun
