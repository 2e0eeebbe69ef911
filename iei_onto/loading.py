"""Load registers (tables or RDF files, or folders of them) into a store.

>>> import iei_onto as iei
>>> kg = iei.load("examples/demo")            # doctest: +SKIP
>>> kg.validate().ok                          # doctest: +SKIP
True
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError
from .model import DATA_BASE, Vocabulary
from .resources import ontology_text
from .store import RDF_FORMATS, MemoryStore, Store
from .tables import TABLE_FILE_SUFFIXES, TableLoader, TableSource, table_sources
from .validation import ValidationReport

#: names of files in a folder that are never input (documentation, expected results)
_IGNORED_SUFFIXES = (".md", ".txt", ".rst", ".html", ".png", ".svg", ".pdf")


def _is_jsonld(path: Path) -> bool:
    """A ``.json`` file is JSON-LD when it is a list or has ``@context`` / ``@graph``."""
    try:
        head = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(head, list) or (isinstance(head, dict) and ("@context" in head or "@graph" in head))


def input_files(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[Path], list[Path]]:
    """Split the given paths (files or folders) into table files and RDF files.

    Raises :class:`InputError` for a path that does not exist or a file whose type is unknown.
    """
    tables: list[Path] = []
    rdf: list[Path] = []
    if not paths:
        raise InputError("no input given: name a folder of tables, a workbook or RDF files")
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for file in files:
            suffix = file.suffix.lower()
            if suffix == ".json" and _is_jsonld(file):
                rdf.append(file)
            elif suffix in TABLE_FILE_SUFFIXES:
                tables.append(file)
            elif suffix in RDF_FORMATS:
                rdf.append(file)
            elif path.is_dir() and (suffix in _IGNORED_SUFFIXES or file.name.startswith(".")):
                continue
            else:
                known = ", ".join(sorted({*TABLE_FILE_SUFFIXES, *RDF_FORMATS}))
                raise InputError(f"{file}: unsupported file type '{suffix}' (use one of {known})")
    return tables, rdf


def load_into(
    store: Store,
    paths: Sequence[str | os.PathLike[str]],
    *,
    base: str = DATA_BASE,
    vocabulary: Vocabulary | None = None,
    progress: Callable[[int], None] | None = None,
) -> ValidationReport:
    """Load the ontology and every input into ``store``; return the problems found in tables.

    Table rows with problems are left out; RDF files are loaded as they are (their
    problems are found by SHACL in :func:`iei_onto.validation.shacl_problems`). Good rows are
    bulk-loaded in pieces by a second thread while the next rows are checked (see
    :func:`loading_beside`), so memory holds only the organizations, the partnerships'
    participants and two pieces, never the graph.
    """
    table_files, rdf_files = input_files(paths)
    sources: list[TableSource] = [s for f in table_files for s in table_sources(f)]
    if table_files and not sources:
        names = ", ".join(str(f) for f in table_files)
        raise InputError(f"{names}: no table found (expected organizations, partnerships, …)")
    store.load(ontology_text().encode("utf-8"), "ttl")
    for file in rdf_files:
        try:
            store.load(file, RDF_FORMATS.get(file.suffix.lower(), RDF_FORMATS[".jsonld"]))
        except InputError as exc:
            raise InputError(f"{file}: {exc}") from None
    report = ValidationReport()
    report.rdf_files = [str(f) for f in rdf_files]
    if sources:
        loader = TableLoader(vocabulary or Vocabulary.default(), base)
        with loading_beside(store) as sink:
            loader.run(sources, sink, progress)
        report.extend(loader.problems)
        report.counts = loader.counts
    store.optimize()
    return report


@contextmanager
def loading_beside(store: Store) -> Iterator[Callable[[str], None]]:
    """A sink for pieces of N-Triples text that a second thread bulk-loads into ``store``.

    Each piece is loaded while the caller makes the next one: Oxigraph parses and indexes
    without holding the GIL, so on two cores the checking of table rows (Python) and the
    loading overlap. At most one piece waits; an error of a load is raised by the next call
    or on leaving the block, and leaving the block waits for the last load.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="iei-load") as pool:
        pending: list[Future[None]] = []

        def sink(text: str) -> None:
            if pending:
                pending.pop().result()
            pending.append(pool.submit(store.load, text.encode("utf-8"), "nt"))

        yield sink
        if pending:
            pending.pop().result()


def load(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    store: Store | None = None,
    base: str = DATA_BASE,
    progress: Callable[[int], None] | None = None,
):
    """Load registers into a new :class:`~iei_onto.kg.KnowledgeGraph`.

    Parameters
    ----------
    paths
        A folder of CSV tables, an ``.xlsx`` workbook, a tables ``.json`` file, RDF files
        (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD), or a list of any of these.
    store
        Where to put the triples; in memory by default (see :mod:`iei_onto.store`).
    base
        The base of data IRIs (``https://w3id.org/iei/data/`` by default).
    progress
        Called with numbers of table rows read, in steps of
        :data:`~iei_onto.tables.PROGRESS_EVERY` (and the rest of each table), for a progress bar.

    Returns
    -------
    KnowledgeGraph
        The loaded graph; ``kg.validate()`` lists every problem found while loading.

    Nothing is fetched from the network: ``owl:imports`` and remote JSON-LD contexts are
    not followed.
    """
    from .kg import KnowledgeGraph
    from .reasoning import TO_DO_ALL, note_to_do

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    target = store if store is not None else MemoryStore()
    if store is not None:
        note_to_do(target, TO_DO_ALL)  # what was reasoned before no longer holds for the new data
    report = load_into(target, paths, base=base, progress=progress)
    return KnowledgeGraph(target, report, base=base, sources=[str(p) for p in paths],
                          rdf_input=bool(report.rdf_files))
