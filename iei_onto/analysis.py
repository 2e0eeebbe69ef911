"""The main job (``iei analyze``): load, validate, reason, classify, and write every output.

>>> from iei_onto.analysis import analyze
>>> result = analyze(["examples/demo"], Path("out/demo"))     # doctest: +SKIP
>>> sorted(result.paths)                                      # doctest: +SKIP
['classification.csv', 'graph.ttl', 'network.cyjs', 'network.graphml', 'report.html', 'validation.json']
"""

from __future__ import annotations

import csv
import io
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .export import read_flow_network, write_graph_in_subprocess, write_network_files
from .files import atomic_write
from .loading import load
from .memory import release_free_memory
from .report import write_report
from .validation import ValidationReport

if TYPE_CHECKING:
    from .classification import Classification
    from .kg import KnowledgeGraph
    from .reasoning import ReasoningResult
    from .store import Store

#: the columns of classification.csv (PRODUCT.md section 5, ``iei classify``)
CLASSIFICATION_COLUMNS = ("partnership", "mode", "direction", "patterns", "declared_mode", "mismatch",
                          "evidence")

#: the files ``analyze`` writes, in the order it writes them
OUTPUT_FILES = ("validation.json", "classification.csv", "graph.ttl", "network.graphml", "network.cyjs",
                "report.html")


@dataclass
class AnalysisResult:
    """What :func:`analyze` did: the problems, the reasoning, the classification, the files."""

    validation: ValidationReport
    reasoning: ReasoningResult
    classifications: list[Classification]
    paths: dict[str, Path] = field(default_factory=dict)
    #: wall-clock seconds of each step (``load``, ``reason``, ``write graph.ttl`` …)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """``0`` when the input had no violation, ``1`` when some records were left out."""
        return 0 if self.validation.ok else 1


def classification_csv(classifications: Iterable[Any]) -> str:
    """The classification as CSV: lists joined with ``;``, mismatch ``true``/``false``, by id."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CLASSIFICATION_COLUMNS)
    for c in sorted(classifications, key=lambda c: c.partnership):
        writer.writerow([c.partnership, c.mode, c.direction or "", ";".join(c.patterns),
                         c.declared_mode or "", "true" if c.mismatch else "false", ";".join(c.evidence)])
    return buffer.getvalue()


class _Clock:
    """Seconds spent in each named step, reported to an optional progress callback; when a
    step ends, the memory it freed is given back to the operating system."""

    def __init__(self, progress: Callable[[str], Any] | None) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}
        self._current: tuple[str, float] | None = None

    def __call__(self, name: str) -> None:
        self.stop()
        self._current = (name, time.perf_counter())
        if self.progress is not None:
            self.progress(name)

    def detail(self, part: str) -> None:
        """Report the part of the current step now running (``reason: implied flows``)."""
        if self.progress is not None and self._current is not None:
            self.progress(f"{self._current[0]}: {part}")

    def stop(self) -> None:
        if self._current is not None:
            name, start = self._current
            self.seconds[name] = round(time.perf_counter() - start, 3)
            self._current = None
            release_free_memory()


def write_outputs(
    kg: KnowledgeGraph,
    out_dir: Path,
    validation: ValidationReport,
    progress: Callable[[str], Any] | None = None,
) -> tuple[list[Classification], dict[str, Path]]:
    """Classify the reasoned ``kg`` and write the six outputs of ``iei analyze`` into
    ``out_dir``, each file atomically; return the classification and the paths.

    Nothing holds every flow or triple in memory: the graph and the network files are
    streamed, and the report reads counts and at most a bounded number of rows. The flows
    are read from the store once, for the network files and the report. graph.ttl is started
    first and written meanwhile: a thread has Oxigraph dump the graph (without holding the
    GIL) and waits for a second process that sorts and formats it, so on two cores it takes
    little time of its own."""
    step = progress if progress is not None else (lambda name: None)
    out_dir = Path(out_dir)
    paths: dict[str, Path] = {}
    kg.reason()  # nothing when it ran: the store must not change while graph.ttl is dumped
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="iei-graph") as pool:
        graph = pool.submit(write_graph_in_subprocess, kg.store, out_dir / "graph.ttl", "ttl",
                            base=kg.base, stop=stop)
        try:
            step("classify")
            classifications = kg.classify()
            step("write validation.json")
            paths["validation.json"] = atomic_write(out_dir / "validation.json", validation.to_json())
            step("write classification.csv")
            paths["classification.csv"] = atomic_write(out_dir / "classification.csv",
                                                       classification_csv(classifications))
            paths.update(_write_network_and_report(kg, out_dir, validation, classifications, step))
        except BaseException:
            stop.set()  # an error or Ctrl-C: the graph's process is interrupted, leaving no file
            raise
        step("finish graph.ttl")
        paths["graph.ttl"] = graph.result()
    return classifications, {name: paths[name] for name in OUTPUT_FILES}


def _write_network_and_report(kg: KnowledgeGraph, out_dir: Path, validation: ValidationReport,
                              classifications: Sequence[Classification],
                              step: Callable[[str], Any]) -> dict[str, Path]:
    """network.graphml, network.cyjs and report.html, from one read of the flows."""
    paths = {}
    step("read the network")
    with read_flow_network(kg.store) as network:
        step("write network.graphml and network.cyjs")
        networks = write_network_files(kg.store, {"graphml": out_dir / "network.graphml",
                                                  "cytoscape": out_dir / "network.cyjs"}, network)
        paths["network.graphml"], paths["network.cyjs"] = networks["graphml"], networks["cytoscape"]
        step("write report.html")
        paths["report.html"] = write_report(kg, out_dir / "report.html", classifications=classifications,
                                            validation=validation, network=network)
    return paths


def analyze(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out_dir: Path,
    *,
    store: Store | None = None,
    engine: str = "auto",
    progress: Callable[[str], Any] | None = None,
    advance: Callable[[int], Any] | None = None,
) -> AnalysisResult:
    """Validate, reason, classify and write ``report.html``, ``classification.csv``,
    ``validation.json``, ``graph.ttl``, ``network.graphml`` and ``network.cyjs``.

    Parameters
    ----------
    paths
        The input (PRODUCT.md section 3): folders of tables, workbooks, RDF files.
    out_dir
        The folder to write into (created when missing).
    store
        Where to keep the graph (memory by default).
    engine
        The materialization engine (see :meth:`KnowledgeGraph.reason`).
    progress
        Called with the name of each step (``load``, ``validate``, ``reason``,
        ``classify``, ``write …``) and of each part of the reasoning as it starts
        (``reason: implied flows``), for a progress display.
    advance
        Called with numbers of table rows read while loading (see
        :data:`~iei_onto.tables.PROGRESS_EVERY`), for a progress bar.

    Returns
    -------
    AnalysisResult
        ``exit_code`` is 1 when the input had violations: those records were left out,
        listed in ``validation.json`` and the report, and the rest was analysed.

    Raises
    ------
    InputError
        When the input cannot be read at all (exit code 2).
    """
    clock = _Clock(progress)
    clock("load")
    kg = load(paths if not isinstance(paths, (str, os.PathLike)) else [paths], store=store,
              progress=advance)
    clock("validate")
    validation = kg.leave_out_invalid()
    clock("reason")
    reasoning = kg.reason(engine, progress=clock.detail)
    classifications, written = write_outputs(kg, Path(out_dir), validation, clock)
    clock.stop()
    return AnalysisResult(validation, reasoning, classifications, written, clock.seconds)
