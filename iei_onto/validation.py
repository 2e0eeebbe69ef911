"""Problems found in the input, and the report that collects all of them.

A :class:`Problem` says where (file, table, row, column — or the triple) and what to do, in
words a spreadsheet user understands. :func:`shacl_problems` runs the SHACL shapes of the
ontology with pySHACL on RDF input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One violation in the input.

    ``row`` is the spreadsheet row number (the header is row 1) for tables, the record
    number for JSON, and ``None`` for RDF, where ``focus`` and ``path`` name the triple.
    """

    file: str
    table: str | None
    row: int | None
    column: str | None
    id: str | None
    message: str
    focus: str | None = None
    path: str | None = None

    def to_text(self) -> str:
        """One line: ``file:row: table id, column: message``."""
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        parts = [p for p in (self.table, self.id) if p]
        if self.column:
            parts.append(f"column {self.column}")
        if self.focus:
            parts.append(f"<{self.focus}>")
        if self.path:
            parts.append(f"property <{self.path}>")
        subject = " ".join(parts)
        return f"{where}: {subject}: {self.message}" if subject else f"{where}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        """A plain dictionary (for JSON)."""
        return asdict(self)


@dataclass
class ValidationReport:
    """All problems found, in input order.

    >>> ValidationReport().ok
    True
    """

    problems: list[Problem] = field(default_factory=list)
    #: how many records of each table were read and how many were kept
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    #: the RDF files that were read (their problems come from SHACL)
    rdf_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the input has no violation."""
        return not self.problems

    @property
    def violations(self) -> list[Problem]:
        """The problems (every one is a violation of PRODUCT.md section 3)."""
        return self.problems

    def to_text(self) -> str:
        """One line per problem, then a summary line."""
        lines = [p.to_text() for p in self.problems]
        n = len(self.problems)
        lines.append("valid: no problems found" if n == 0 else f"{n} problem{'s' * (n != 1)} found")
        return "\n".join(lines)

    def to_json(self) -> str:
        """``{"ok": …, "problems": [...], "counts": {...}}`` as indented, key-sorted JSON."""
        data = {
            "ok": self.ok,
            "problems": [p.to_dict() for p in self.problems],
            "counts": self.counts,
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def extend(self, problems: Iterable[Problem]) -> None:
        """Add problems found by another check."""
        self.problems.extend(problems)


_SH = "http://www.w3.org/ns/shacl#"
_RESULTS_QUERY = f"""
PREFIX sh: <{_SH}>
SELECT ?focus ?path ?message ?component ?value WHERE {{
  ?r a sh:ValidationResult ; sh:focusNode ?focus ; sh:resultSeverity sh:Violation .
  OPTIONAL {{ ?r sh:resultPath ?path }}
  OPTIONAL {{ ?r sh:resultMessage ?message FILTER(lang(?message) = "" || langMatches(lang(?message), "en")) }}
  OPTIONAL {{ ?r sh:sourceConstraintComponent ?component }}
  OPTIONAL {{ ?r sh:value ?value }}
}}
"""


def shacl_problems(store, *, file: str = "<rdf input>") -> list[Problem]:
    """Validate the data in ``store`` against ``ontology/iei-shapes.ttl`` with pySHACL.

    The ontology is given as ``ont_graph`` so class hierarchies count; no inference runs.
    Returns one :class:`Problem` per violation, sorted by focus node, naming its record id.
    """
    import pyshacl
    import rdflib

    from .resources import ontology_text
    from .store import serialize_sorted

    data = rdflib.Graph()
    data.parse(data=serialize_sorted(store.triples()), format="nt")
    shapes = rdflib.Graph().parse(data=ontology_text("iei-shapes.ttl"), format="turtle")
    ontology = rdflib.Graph().parse(data=ontology_text(), format="turtle")
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", allow_warnings=True
    )
    identifier = rdflib.URIRef("http://purl.org/dc/terms/identifier")
    problems = []
    for row in results.query(_RESULTS_QUERY):
        focus, path, message, component, value = row
        record_id = data.value(focus, identifier)
        text = str(message) if message is not None else f"violates {component}"
        if value is not None and str(value) not in text:
            text += f" (value: {value})"
        problems.append(Problem(file, None, None, None, str(record_id) if record_id else None, text,
                                focus=str(focus), path=str(path) if path is not None else None))
    return sorted(set(problems), key=lambda p: (p.focus or "", p.path or "", p.message))
