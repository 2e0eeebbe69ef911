"""The workloads measured by ``bench/run.py``, one per fresh subprocess.

Each workload runs its steps in order and prints one line per finished step, ``STEP {json}``
with the step name, wall seconds (``time.perf_counter``), CPU seconds (user + system, all
threads; for a SPARQL server also the server's) and peak RSS in MiB
(``resource.getrusage(RUSAGE_SELF).ru_maxrss`` right after the step, so it is cumulative: a
later step's peak includes the earlier ones). When the parent kills the process at the time
limit, the lines already printed are kept and the running step (announced by a
``BEGIN {json}`` line with its wall-clock start) is reported as "> limit".

Workloads (the ``kind`` of a spec):

``prepare``
    load the tables with IEI (not reasoned) and write them, with the ontology, as N-Triples:
    the input of both baselines. Not timed.
``iei``
    ``iei_onto.load`` into a store, the classification rules (``reasoning.apply_rules``: implied
    flows and the closed-world rules), OWL 2 RL (``reasoning.close_owl_rl``, what
    ``kg.reason(engine)`` runs after the rules), then reading the classification.
``analyze``
    ``iei_onto.analysis.analyze`` end to end (the main job of ``iei analyze``).
``rdflib``
    baseline A: rdflib parses the N-Triples, runs IEI's implied-flow rule
    (``ontology/rules/implied-flows.ru``) as a SPARQL update, materializes with
    ``owlrl.DeductiveClosure(OWLRL_Semantics).expand``, then runs IEI's classification rules
    (``ontology/rules/classify.ru``) and counts the two-way partnerships.
``pyoxigraph``
    baseline B, the practical limit: ``pyoxigraph.Store().bulk_load`` of the same N-Triples,
    then one hand-written query (:data:`TWO_WAY_QUERY`) over the data as loaded.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

IEI = "https://w3id.org/iei/ontology#"

#: Baseline B: two-way partnerships (PRODUCT.md section 4) in one query over the asserted data.
#: One sub-select per direction: the (partnership, giver, receiver) pairs of an explicit flow or
#: of an activity whose kind implies a flow that way (the ontology's FlowRule triples, as the
#: implied-flow rule reads them), kept when the giver and the receiver are on the rule's sides
#: through the class hierarchy (``rdf:type/rdfs:subClassOf*``); two-way = in both. The pairs are
#: a sub-select of their own so Oxigraph joins the sides by hash: written as one flat pattern it
#: took 312 s at 400k triples (nested loops over every giver × receiver), this way under 1 s.
_DIRECTION = """
  {{ SELECT DISTINCT ?p WHERE {{
    {{ SELECT DISTINCT ?p ?x ?y WHERE {{
      {{ ?f iei:flowOf ?p ; iei:provider ?x ; iei:recipient ?y . }}
      UNION
      {{ ?rule iei:fromSide iei:{giver} ; iei:toSide iei:{receiver} .
         ?kind iei:impliesFlow ?rule . ?a iei:activityKind ?kind ; iei:activityOf ?p .
         ?p iei:participant ?x, ?y . }}
    }} }}
    ?x rdf:type ?xClass . ?xClass rdfs:subClassOf* iei:{giver} .
    ?y rdf:type ?yClass . ?yClass rdfs:subClassOf* iei:{receiver} .
  }} }}"""
TWO_WAY_QUERY = f"""
PREFIX iei: <{IEI}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?p WHERE {{{_DIRECTION.format(giver="IndustrySideActor", receiver="EducationSideActor")}
{_DIRECTION.format(giver="EducationSideActor", receiver="IndustrySideActor")}
}}
"""

#: After IEI's classification rules ran in rdflib: the partnerships whose mode is two-way.
RDFLIB_COUNT_QUERY = f"""
PREFIX iei: <{IEI}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p iei:mode ?m . ?m skos:notation ?code .
  FILTER (STR(?code) = "two_way") }}
"""


# --- recording steps -------------------------------------------------------------------------


def peak_mib(server_pid: int | None = None) -> float:
    """Peak RSS of this process in MiB, plus the peak of a SPARQL server process if given."""
    mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if server_pid:
        mib += process_peak_mib(server_pid)
    return round(mib, 1)


def cpu_seconds(server_pid: int | None = None) -> float:
    """User + system CPU seconds of this process (all threads), plus a server process if given."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    seconds = usage.ru_utime + usage.ru_stime
    return seconds + process_cpu_seconds(server_pid) if server_pid else seconds


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of another process, 0 when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def process_peak_mib(pid: int) -> float:
    """The peak RSS (``VmHWM``) of another process in MiB, 0 when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Recorder:
    """Times steps and prints one ``STEP {json}`` line per finished step."""

    def __init__(self, server_pid: int | None = None) -> None:
        self.server_pid = server_pid

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, Any]]:
        """Time the body; what it puts in the yielded dict is reported with the step."""
        detail: dict[str, Any] = {}
        started, cpu = time.perf_counter(), cpu_seconds(self.server_pid)
        print("BEGIN " + json.dumps({"step": name, "at": time.time(), "cpu": cpu}), flush=True)
        yield detail
        seconds = time.perf_counter() - started
        line = {"step": name, "seconds": round(seconds, 4),
                "cpu_seconds": round(cpu_seconds(self.server_pid) - cpu, 3),
                "peak_mib": peak_mib(self.server_pid), **detail}
        print("STEP " + json.dumps(line, ensure_ascii=False), flush=True)


# --- the workloads ---------------------------------------------------------------------------


def _open_store(spec: dict[str, Any]):
    import iei_onto as iei

    if spec["store"] == "disk":
        return iei.DiskStore(Path(spec["tmp"]) / "db")
    if spec["store"] == "endpoint":
        return iei.EndpointStore(spec["endpoint"] + "/query", spec["endpoint"] + "/update")
    return iei.MemoryStore()


def prepare(spec: dict[str, Any]) -> None:
    """Write the tables, loaded by IEI with the ontology and not reasoned, as N-Triples."""
    import iei_onto as iei

    kg = iei.load(spec["tables"])
    target = Path(spec["nt"])
    partial = target.with_suffix(".part")
    count = 0
    with partial.open("w", encoding="utf-8") as out:
        for triple in kg.store.triples():
            out.write(f"{triple} .\n")
            count += 1
    partial.replace(target)
    print("STEP " + json.dumps({"step": "prepare", "triples": count}), flush=True)


def measure_iei(spec: dict[str, Any]) -> None:
    """IEI on one store: load; the classification rules (the closed-world rules, what the
    classification needs); the implied flows and OWL 2 RL with the engine (the rest of what
    ``kg.reason`` does); reading the classification."""
    import iei_onto as iei
    from iei_onto.classification import classify
    from iei_onto.memory import limit_malloc_arenas
    from iei_onto.reasoning import apply_rules, choose_engine, close_owl_rl

    limit_malloc_arenas()  # as the iei command does

    rec = Recorder(spec.get("server_pid"))
    with rec.step("load") as d:
        kg = iei.load(spec["tables"], store=_open_store(spec))
        d["triples"] = len(kg.store)
    engine = choose_engine(kg.store, spec["engine"])
    with rec.step("classification rules") as d:
        apply_rules(kg.store)
    with rec.step("implied flows"):
        apply_rules(kg.store, until="implied flows", done=["classification rules"])
    with rec.step("OWL 2 RL") as d:
        d["engine"] = engine
        d["inferred"] = close_owl_rl(kg.store, engine)
    with rec.step("classify") as d:
        d["two_way"] = sum(1 for c in classify(kg.store) if c.mode == "two_way")


def measure_analyze(spec: dict[str, Any]) -> None:
    """``iei_onto.analysis.analyze`` end to end, then the two-way count of its classification.csv."""
    from iei_onto.analysis import analyze
    from iei_onto.memory import limit_malloc_arenas

    limit_malloc_arenas()  # as the iei command does
    out = Path(spec["tmp"]) / "out"
    rec = Recorder(spec.get("server_pid"))
    with rec.step("analyze") as d:
        analyze([spec["tables"]], out, store=_open_store(spec), engine=spec["engine"])
        with (out / "classification.csv").open(encoding="utf-8") as f:
            d["two_way"] = sum(1 for row in csv.DictReader(f) if row["mode"] == "two_way")


def measure_rdflib(spec: dict[str, Any]) -> None:
    """Baseline A: rdflib + owlrl, with IEI's own rules run as SPARQL updates in rdflib."""
    import owlrl
    import rdflib

    from iei_onto.resources import ontology_text

    rec = Recorder()
    with rec.step("load") as d:
        graph = rdflib.Graph()
        graph.parse(spec["nt"], format="nt")
        d["triples"] = len(graph)
    with rec.step("implied flows") as d:
        graph.update(ontology_text("rules/implied-flows.ru"))
        d["triples"] = len(graph)
    with rec.step("materialize (owlrl)") as d:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
        d["triples"] = len(graph)
    with rec.step("classify") as d:
        graph.update(ontology_text("rules/classify.ru"))
        d["two_way"] = int(next(iter(graph.query(RDFLIB_COUNT_QUERY)))[0])


def measure_pyoxigraph(spec: dict[str, Any]) -> None:
    """Baseline B: pyoxigraph in memory, one hand-written query over the data as loaded."""
    import pyoxigraph as ox

    rec = Recorder()
    with rec.step("load") as d:
        store = ox.Store()
        store.bulk_load(path=spec["nt"], format=ox.RdfFormat.N_TRIPLES)
        d["triples"] = len(store)
    with rec.step("query") as d:
        d["two_way"] = len(list(store.query(TWO_WAY_QUERY)))


WORKLOADS: dict[str, Callable[[dict[str, Any]], None]] = {
    "prepare": prepare,
    "iei": measure_iei,
    "analyze": measure_analyze,
    "rdflib": measure_rdflib,
    "pyoxigraph": measure_pyoxigraph,
}


def run_worker(spec_json: str) -> None:
    """Run the workload a JSON spec names (the entry point of a measured subprocess)."""
    spec = json.loads(spec_json)
    WORKLOADS[spec["kind"]](spec)
    sys.stdout.flush()
