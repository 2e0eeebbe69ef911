"""The :class:`KnowledgeGraph`: the object users hold.

>>> import iei_onto as iei
>>> kg = iei.KnowledgeGraph()
>>> kg.add_organization(id="E1", name="Suzhou Zhizao", name_zh="苏州智造", type="企业")
>>> kg.add_organization(id="C1", name="Suzhou Polytechnic", type="vocational_college")
>>> kg.add_partnership(id="P1", participants="E1;C1")
>>> kg.add_flow(id="F1", partnership="P1", provider="E1", recipient="C1", resource="资金")
>>> kg.add_flow(id="F2", partnership="P1", provider="C1", recipient="E1", resource="talent")
>>> [(c.partnership, c.mode) for c in kg.classify()]
[('P1', 'two_way')]
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import rdflib

from .errors import InputError
from .model import DATA_BASE, IEI_NS, Vocabulary
from .resources import ontology_text
from .store import MemoryStore, Store, serialize_sorted
from .tables import Row, TableLoader, TableSource, columns
from .validation import ValidationReport

if TYPE_CHECKING:
    import networkx as nx

    from .classification import Classification, OrganizationProfile
    from .queries import QueryResult
    from .reasoning import ReasoningResult


class KnowledgeGraph:
    """A partnership register as an RDF graph in a store, with its ontology.

    Build one with :func:`iei_onto.load`, or empty and filled in code with the ``add_*``
    methods. Reasoning runs once, on first need (``query``, exports), or explicitly with
    :meth:`reason`; :meth:`classify` runs only the part of it the classification needs.
    """

    def __init__(
        self,
        store: Store | None = None,
        report: ValidationReport | None = None,
        *,
        base: str = DATA_BASE,
        sources: list[str] | None = None,
        rdf_input: bool = False,
    ) -> None:
        self.store: Store = store if store is not None else MemoryStore()
        self.base = base
        self.sources = sources or []
        #: True when RDF files were among the inputs (SHACL then runs in :meth:`validate`)
        self.rdf_input = rdf_input
        self._report = report or ValidationReport()
        self._reasoning: ReasoningResult | None = None
        #: the rules steps (:data:`~iei_onto.reasoning.RULE_STEPS`) that ran on this data, with
        #: their seconds (None when they ran before this graph was opened)
        self._rule_steps: dict[str, float | None] = {}
        #: the engine ``auto`` stands for, chosen on the data before those rules added to it
        self._auto_engine = "auto"
        self._builder: TableLoader | None = None
        if store is None:
            self.store.load(ontology_text().encode("utf-8"), "ttl")

    @classmethod
    def open(cls, store: Store, *, base: str = DATA_BASE) -> KnowledgeGraph:
        """A graph over a store that already holds a loaded register (``--store`` / ``--endpoint``).

        When the store already holds the results of reasoning (or of the classification rules
        only, after :meth:`classify`), they are used as they are; call :meth:`reason` with
        ``force=True`` to run it again.
        """
        from .reasoning import STORED, ReasoningResult, is_classified, rules_done, still_to_do

        kg = cls(store, base=base)
        to_do = still_to_do(store)
        kg._rule_steps = dict.fromkeys(rules_done(to_do))
        if to_do is None and is_classified(store):
            kg._reasoning = ReasoningResult(STORED, 0.0, 0, None, {})
        return kg

    # --- validation ---------------------------------------------------------------------

    def validate(self, *, shacl: bool | None = None) -> ValidationReport:
        """Every problem in the input: the table checks made while loading, plus SHACL.

        SHACL (pySHACL with ``ontology/iei-shapes.ttl``) runs on RDF input; pass
        ``shacl=True`` to run it on table input too (it then re-checks what the table
        checks already found) or ``shacl=False`` to skip it.
        """
        from .validation import shacl_problems

        report = ValidationReport(list(self._report.problems), dict(self._report.counts))
        if shacl or (shacl is None and self.rdf_input):
            report.extend(shacl_problems(self.store, file=", ".join(self._report.rdf_files) or "<rdf>"))
        return report

    def leave_out_invalid(self) -> ValidationReport:
        """Validate, and leave out of the store the RDF records that SHACL rejects.

        Table rows with problems never reach the store; records of RDF input are loaded as
        they are, so their triples (as subject) are removed here. Returns the report.
        """
        report = self.validate()
        rejected = sorted({p.focus for p in report.problems if p.focus and p.focus.startswith(self.base)})
        for iri in rejected:
            self.store.update(f"DELETE WHERE {{ {ox.NamedNode(iri)} ?p ?o }}")
        if rejected:
            self._data_changed()
        return report

    def _data_changed(self) -> None:
        """Forget the reasoning done on the earlier data, here and in the store."""
        from .reasoning import TO_DO_ALL, note_to_do

        self._reasoning = None
        self._rule_steps = {}
        self._auto_engine = "auto"
        note_to_do(self.store, TO_DO_ALL)

    # --- building in code ---------------------------------------------------------------

    def _add(self, table: str, cells: dict[str, Any]) -> None:
        unknown = sorted(set(cells) - set(columns(table)))
        if unknown:
            raise InputError(f"{table} have no column {', '.join(unknown)}: use "
                             f"{', '.join(columns(table))}")
        if self._builder is None:
            self._builder = _primed_loader(self.store, self.base)
        row = Row("<code>", 0, {k: "" if v is None else str(v) for k, v in cells.items()})
        header = list(row.cells)
        before = len(self._builder.problems)
        loaded: list[str] = []
        self._builder.run_one(TableSource("<code>", table, header, lambda: iter([row])),
                              loaded.append)
        new = self._builder.problems[before:]
        if new:
            self._builder.forget(table, row.get("id"))
            raise InputError("; ".join(p.message for p in new))
        for text in loaded:
            self.store.load(text.encode("utf-8"), "nt")
        self._data_changed()

    def add_organization(self, **cells: Any) -> None:
        """Add an organization (columns of the ``organizations`` table)."""
        self._add("organizations", cells)

    def add_partnership(self, **cells: Any) -> None:
        """Add a partnership; ``participants`` is a list of ids or a ``;``-separated string."""
        if isinstance(cells.get("participants"), (list, tuple)):
            cells["participants"] = ";".join(cells["participants"])
        self._add("partnerships", cells)

    def add_flow(self, **cells: Any) -> None:
        """Add a resource flow (columns of the ``flows`` table)."""
        self._add("flows", cells)

    def add_activity(self, **cells: Any) -> None:
        """Add an activity (columns of the ``activities`` table)."""
        self._add("activities", cells)

    def add_outcome(self, **cells: Any) -> None:
        """Add an outcome (columns of the ``outcomes`` table)."""
        self._add("outcomes", cells)

    # --- reasoning and classification ---------------------------------------------------

    def reason(self, engine: str = "auto", *, force: bool = False,
               progress: Callable[[str], Any] | None = None) -> ReasoningResult:
        """Materialize the classification, implied flows and OWL 2 RL inferences; only the
        steps that did not run on this data yet (all of them with ``force``). ``progress``
        is called with the name of each step as it starts, for a progress display.

        ``engine`` is ``reasonable`` (full OWL 2 RL in memory), ``owlrl`` (the reference),
        ``sparql`` (the TBox closed once, the full closure as rules inside the store; scales to
        any size), ``sparql-goals`` (the same, only what the classification and the catalog
        read) or ``auto`` (``reasonable`` for an in-memory store under
        :data:`~iei_onto.reasoning.AUTO_LIMIT` triples, else ``sparql-goals``). The result
        says which engine ran and the seconds of each step.
        """
        from .reasoning import materialize

        if self._reasoning is None or force:
            done = {} if force else self._rule_steps
            engine = self._auto_engine if engine == "auto" else engine
            self._reasoning = materialize(self.store, engine=engine, rule_steps=done, progress=progress)
        return self._reasoning

    @property
    def reasoning(self) -> ReasoningResult | None:
        """The result of the last :meth:`reason`, or None when reasoning has not run."""
        return self._reasoning

    def classify(self, *, progress: Callable[[str], Any] | None = None) -> list[Classification]:
        """One :class:`~iei_onto.classification.Classification` per partnership, by id.

        Runs only what the classification needs (the classification rules,
        :func:`~iei_onto.reasoning.apply_rules`) unless the graph is reasoned already; a later
        :meth:`reason` adds the implied flows and the OWL 2 RL step without running them again.
        ``progress`` is called with the name of each rules step as it starts.
        """
        from .classification import classify

        self._apply_rules("classification rules", progress)
        return classify(self.store)

    def explain(self, partnership_id: str, *, progress: Callable[[str], Any] | None = None) -> str:
        """Why a partnership has its mode, in plain words (like :meth:`classify`, with the
        implied flows and without the OWL 2 RL step)."""
        from .classification import explain

        self._apply_rules("implied flows", progress)
        return explain(self.store, partnership_id)

    def _apply_rules(self, until: str, progress: Callable[[str], Any] | None = None) -> None:
        """Run the rules steps up to ``until`` that did not run on this data yet, unless the
        whole reasoning did."""
        from .reasoning import apply_rules, choose_engine

        if self._reasoning is not None or until in self._rule_steps:
            return
        if not self._rule_steps:
            self._auto_engine = choose_engine(self.store, "auto")  # as reason() would choose
        self._rule_steps |= apply_rules(self.store, until, done=self._rule_steps, progress=progress)

    def profiles(self) -> list[OrganizationProfile]:
        """Per organization: resources given and received, and partnerships by mode."""
        from .classification import organization_profiles

        self.reason()
        return organization_profiles(self.store)

    # --- queries and exports ------------------------------------------------------------

    def query(self, name_or_text: str, **params: Any) -> QueryResult:
        """Run a catalog query by name (``two_way_partnerships``) or a SPARQL text."""
        from .queries import run_query

        self.reason()
        return run_query(self.store, name_or_text, params, base=self.base)

    def to_networkx(self, view: str = "flows") -> nx.MultiDiGraph:
        """The network: ``flows`` (one edge per flow) or ``partnerships`` (one per pair)."""
        from .export import to_networkx

        self.reason()
        return to_networkx(self.store, view=view)

    def export(self, path: str | os.PathLike[str], format: str | None = None) -> Path:
        """Write the network or the graph; the format follows the extension unless given."""
        from .export import export

        self.reason()
        return export(self, Path(path), format)

    # --- RDF ----------------------------------------------------------------------------

    def serialize(self, format: str = "nt", *, data_only: bool = True) -> bytes:
        """The graph as deterministic bytes (``nt`` sorted, ``ttl`` or ``jsonld``).

        With ``data_only`` (the default) only triples about records are written (asserted
        plus inferred), not the ontology itself.
        """
        from .export import serialize_graph

        return serialize_graph(self.store, format, data_only=data_only, base=self.base)

    @property
    def graph(self) -> rdflib.Graph:
        """A copy of the whole graph as an :class:`rdflib.Graph` (for small data)."""
        graph = rdflib.Graph()
        graph.bind("iei", IEI_NS)
        graph.parse(data=serialize_sorted(self.store.triples()), format="nt")
        return graph

    def __len__(self) -> int:
        return len(self.store)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph store={self.store.name} triples={len(self.store)}>"


def _primed_loader(store: Store, base: str) -> TableLoader:
    """A table loader that knows the organizations and partnerships already in ``store``."""
    loader = TableLoader(Vocabulary.default(), base)
    for org, ident in store.query(
        "SELECT ?o ?id WHERE { ?o <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
        "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <" + IEI_NS + "Organization> ; "
        "<http://purl.org/dc/terms/identifier> ?id }"
    ):
        loader.remember_organization(ident.value, str(org))
    participants: dict[str, set[str]] = {}
    for ident, member in store.query(
        "SELECT ?id ?mid WHERE { ?p a <" + IEI_NS + "Partnership> ; "
        "<http://purl.org/dc/terms/identifier> ?id ; <" + IEI_NS + "participant>/"
        "<http://purl.org/dc/terms/identifier> ?mid }"
    ):
        participants.setdefault(ident.value, set()).add(member.value)
    for ident, members in participants.items():
        loader.remember_partnership(ident, members)
    return loader

