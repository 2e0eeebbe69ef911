"""Benchmarks of IEI against rdflib + owlrl and a single pyoxigraph query (issue 8).

Usage::

    python bench/run.py                          # sizes small, medium, large
    python bench/run.py --sizes tiny --limit 60  # the smoke test (make bench-smoke)
    python bench/run.py --sizes medium --endpoint-server --national
    python bench/run.py --sizes medium --repeat 3  # each measurement 3 times, medians

For every size, one register is generated into ``bench/results/data/<size>/`` (reused when
present) and written once as N-Triples (IEI's own loading, with the ontology, not reasoned).
Every measurement runs in a fresh subprocess (``bench/baselines.py`` has the workloads), so
peak RSS is per measurement, and is killed at ``--limit`` seconds: a step that did not finish
is reported as "> limit", never dropped. The table, the ratios and the agreement of every
two-way count with the generator's ``truth.json`` are printed and written to
``bench/results/latest.json`` and ``bench/results/latest.md``. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from baselines import process_cpu_seconds, process_peak_mib, run_worker  # noqa: E402

from iei_onto.store import oxigraph_server  # noqa: E402

#: (colleges, enterprises, partnerships) of each size; the named presets come from the generator
SIZES: dict[str, tuple[int, int, int]] = {"tiny": (3, 24, 30)}
SEED = 20240601
#: the steps each workload reports, in order
STEPS: dict[str, tuple[str, ...]] = {
    "iei": ("load", "classification rules", "implied flows", "OWL 2 RL", "classify"),
    "analyze": ("analyze",),
    "rdflib": ("load", "implied flows", "materialize (owlrl)", "classify"),
    "pyoxigraph": ("load", "query"),
}
BASELINES = ("rdflib+owlrl", "pyoxigraph")
#: what ``--skip`` can leave out: a store, the ``analyze`` measurements, a baseline
SKIPPABLE = ("memory", "disk", "endpoint", "analyze", *BASELINES)
#: peak RSS the national target allows (MiB) and its time (s)
NATIONAL_TARGET = (8 * 1024, 600.0)


def sizes() -> dict[str, tuple[int, int, int]]:
    """Every size the benchmark knows: tiny, and the generator's presets."""
    from iei_onto.generate import PRESETS

    return {**SIZES, **PRESETS}


# --- data ------------------------------------------------------------------------------------


@dataclass
class DataSet:
    """One generated register: its tables, its N-Triples (for the baselines) and its truth."""

    size: str
    tables: Path
    nt: Path | None
    truth: dict[str, Any]
    triples: int | None = None

    @property
    def two_way(self) -> int:
        """The true number of two-way partnerships."""
        return int(self.truth["modes"]["two_way"])


def _ontology_digest() -> str:
    from iei_onto.resources import ontology_text

    return hashlib.sha256(ontology_text().encode("utf-8")).hexdigest()[:16]


def prepare_data(root: Path, size: str, with_nt: bool, limit: float) -> DataSet:
    """Generate the register of ``size`` (reused if present) and, for the baselines, its N-Triples."""
    from iei_onto.generate import generate_register

    colleges, enterprises, partnerships = sizes()[size]
    folder = root / size
    tables = folder / "tables"
    params = {"seed": SEED, "colleges": colleges, "enterprises": enterprises,
              "partnerships": partnerships}
    truth_file = tables / "truth.json"
    truth = json.loads(truth_file.read_text()) if truth_file.exists() else {}
    if {k: truth.get("parameters", {}).get(k) for k in params} != params:
        log(f"[{size}] generating {colleges:,} colleges, {enterprises:,} enterprises, "
            f"{partnerships:,} partnerships")
        generate_register(tables, colleges=colleges, enterprises=enterprises,
                          partnerships=partnerships, seed=SEED)
        truth = json.loads(truth_file.read_text())
        shutil.rmtree(folder / "nt", ignore_errors=True)
    data = DataSet(size, tables, None, truth)
    if with_nt:
        data.nt, data.triples = _prepared_nt(folder, tables, limit)
    return data


def _prepared_nt(folder: Path, tables: Path, limit: float) -> tuple[Path, int]:
    """The N-Triples of the tables (written once per ontology version) and their count."""
    nt_dir = folder / "nt"
    nt, meta = nt_dir / "graph.nt", nt_dir / "meta.json"
    digest = _ontology_digest()
    if meta.exists() and nt.exists():
        known = json.loads(meta.read_text())
        if known.get("ontology") == digest:
            return nt, int(known["triples"])
    nt_dir.mkdir(parents=True, exist_ok=True)
    log(f"[{folder.name}] writing N-Triples for the baselines")
    run = measure({"kind": "prepare", "tables": str(tables), "nt": str(nt)}, max(limit, 3600))
    if run.status != "ok":
        raise SystemExit(f"could not write {nt}: {run.status} {run.error}")
    triples = int(run.steps[0]["triples"])
    meta.write_text(json.dumps({"ontology": digest, "triples": triples}))
    return nt, triples


# --- measuring in fresh subprocesses ---------------------------------------------------------


@dataclass
class Run:
    """What one measured subprocess reported."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    status: str = "ok"  # ok, timeout, error
    error: str = ""
    running: str | None = None  # the step that was running when the process was killed
    running_seconds: float = 0.0
    running_cpu_seconds: float = 0.0
    killed_peak_mib: float = 0.0


def measure(spec: dict[str, Any], limit: float) -> Run:
    """Run one workload in a fresh ``python bench/run.py --worker`` process, killed at ``limit`` s."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=HERE.parent)
        run = Run()
        try:
            code = process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            run.status = "timeout"
            cpu_at_kill = process_cpu_seconds(process.pid) + process_cpu_seconds(
                spec.get("server_pid") or 0)
            run.killed_peak_mib = round(process_peak_mib(process.pid)
                                        + process_peak_mib(spec.get("server_pid") or 0), 1)
            process.kill()
            process.wait()
            code = None
        killed_at = time.time()
        out.seek(0)
        err.seek(0)
        begun = _parse_lines(out.read(), run)
        if run.status == "timeout" and begun:
            run.running, started, cpu_started = begun
            run.running_seconds = round(killed_at - started, 1)
            run.running_cpu_seconds = round(cpu_at_kill - cpu_started, 1)
        elif code != 0:
            run.status = "error"
            lines = [line for line in err.read().strip().splitlines() if line.strip()]
            run.error = lines[-1] if lines else f"exit code {code}"
    return run


def _parse_lines(text: str, run: Run) -> tuple[str, float, float] | None:
    """Collect the STEP lines; return the step begun but not finished (name, start, start CPU)."""
    begun: tuple[str, float, float] | None = None
    for line in text.splitlines():
        if line.startswith("BEGIN "):
            item = json.loads(line[6:])
            begun = (item["step"], item["at"], item["cpu"])
        elif line.startswith("STEP "):
            run.steps.append(json.loads(line[5:]))
            begun = None
    return begun


# --- the plan of one size --------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: a step of one engine on one size."""

    size: str
    triples: int | None
    engine: str
    step: str
    seconds: float | None  # for "> limit": how long the step ran before it was killed
    status: str  # ok, > limit, not run, error
    cpu_seconds: float | None = None
    peak_mib: float | None = None
    two_way: int | None = None
    agree: bool | None = None
    detail: str = ""


def run_size(data: DataSet, args: argparse.Namespace) -> list[Row]:
    """Every measurement of one size, in a fixed order, each run ``args.repeat`` times.

    The repeats go round the measurements (IEI, then the baselines, then IEI again …), so a
    slow spell of a shared machine does not fall on one engine only; each step is then the
    run with its median time (:func:`median_run`).
    """
    plan: list[list[Row] | tuple[str, str, Callable[[], Run]]] = []
    stores = ["disk"] if data.size == "national" else ["memory", "disk"]
    if args.endpoint_server and data.size != "national":
        stores.append("endpoint")
    for store in stores:
        for kind in ("iei", "analyze"):
            if store in args.skip or (kind == "analyze" and "analyze" in args.skip):
                plan.append([_skipped(data, f"iei-{store}", "analyze" if kind == "analyze" else "all")])
            else:
                plan.append((f"iei-{store}", kind, _iei_measurement(data, store, kind, args)))
    for engine, kind in zip(BASELINES, ("rdflib", "pyoxigraph"), strict=True):
        if data.nt is None:
            plan.append([Row(data.size, data.triples, engine, "all", None, "not run",
                             detail="not run: > memory (the national register is for IEI --store)")])
        elif engine in args.skip:
            plan.append([_skipped(data, engine, "all")])
        else:
            spec = {"kind": kind, "nt": str(data.nt)}
            plan.append((engine, kind, functools.partial(measure, spec, args.limit)))
    runs: dict[int, list[Run]] = {i: [] for i, item in enumerate(plan) if isinstance(item, tuple)}
    for _ in range(args.repeat):
        for i, done in runs.items():
            engine, kind, run_it = plan[i]
            if all(run.status == "ok" for run in done):  # a run cut or failed is not repeated
                done.append(run_it())
                _log_run(data, engine, kind, done[-1])
    rows: list[Row] = []
    for i, item in enumerate(plan):
        rows += item if isinstance(item, list) else _rows(data, item[0], item[1],
                                                          median_run(runs[i]), args.limit)
    return rows


def _skipped(data: DataSet, engine: str, step: str) -> Row:
    """The row of a measurement the user left out with ``--skip`` (shown, never dropped)."""
    return Row(data.size, data.triples, engine, step, None, "not run", detail="skipped (--skip)")


def _iei_measurement(data: DataSet, store: str, kind: str,
                     args: argparse.Namespace) -> Callable[[], Run]:
    """One IEI measurement on ``store``, in a fresh temporary folder (and, for the endpoint
    store, a fresh local Oxigraph server) each time it runs."""
    def run_it() -> Run:
        with tempfile.TemporaryDirectory(prefix="iei-bench-") as tmp:
            spec = {"kind": kind, "tables": str(data.tables), "store": store,
                    "engine": args.engine, "tmp": tmp}
            log(f"[{data.size}] IEI {kind} on the {store} store")
            if store != "endpoint":
                return measure(spec, args.limit)
            with oxigraph_server(Path(tmp) / "server") as (url, pid):
                spec.update(endpoint=url, server_pid=pid)
                return measure(spec, args.limit)
    return run_it


def median_run(runs: list[Run]) -> Run:
    """One run standing for repeated runs of a measurement: each step as in the run with the
    median wall time of that step (the lower median for an even count), its peak RSS the
    highest of all runs. A run cut at the limit or failed stands for all (it was the last).
    An error when the runs do not agree on the two-way count."""
    if len(runs) == 1 or runs[-1].status != "ok":
        return runs[-1]
    merged = Run()
    for at, step in enumerate(runs[0].steps):
        same = [run.steps[at] for run in runs]
        if len({s.get("two_way") for s in same}) > 1:
            counts = ", ".join(str(s.get("two_way")) for s in same)
            return Run(status="error", error=f"{step['step']}: the runs disagree on the "
                                             f"two-way count ({counts})")
        chosen = dict(sorted(same, key=lambda s: s["seconds"])[(len(same) - 1) // 2])
        chosen["peak_mib"] = max(s["peak_mib"] for s in same)
        chosen["runs"] = [s["seconds"] for s in same]
        merged.steps.append(chosen)
    return merged


def _rows(data: DataSet, engine: str, kind: str, run: Run, limit: float) -> list[Row]:
    """The table rows of one run: finished steps, the step cut at the limit, steps not run."""
    rows = []
    done = {s["step"]: s for s in run.steps}
    for name in STEPS[kind]:
        if name in done:
            rows.append(_finished_row(data, engine, done[name]))
        elif run.status == "timeout" and name == run.running:
            rows.append(Row(data.size, data.triples, engine, name, run.running_seconds, "> limit",
                            run.running_cpu_seconds, run.killed_peak_mib or None,
                            detail=f"killed at the {limit:g} s limit after {run.running_seconds} s "
                                   f"({run.running_cpu_seconds} s CPU) in this step"))
        else:
            status = "error" if run.status == "error" else "not run"
            rows.append(Row(data.size, data.triples, engine, name, None, status,
                            detail=run.error if run.status == "error" else "an earlier step "
                                   "exceeded the limit" if run.status == "timeout" else ""))
    return rows


def _log_run(data: DataSet, engine: str, kind: str, run: Run) -> None:
    log(f"[{data.size}] {engine} {kind}: " + ", ".join(
        f"{s['step']} {s['seconds']:.2f} s" for s in run.steps) + f" ({run.status})")


def _finished_row(data: DataSet, engine: str, step: dict[str, Any]) -> Row:
    two_way = step.get("two_way")
    if step.get("triples") and data.triples is None and step["step"] == "load":
        data.triples = int(step["triples"])
    detail = []
    if "engine" in step:
        detail.append(f"engine {step['engine']}")
    if step.get("inferred") is not None:
        detail.append(f"{step['inferred']:,} triples inferred")
    if len(step.get("runs", ())) > 1:
        times = sorted(step["runs"])
        detail.append(f"median of {len(times)} runs ({times[0]:.2f}–{times[-1]:.2f} s)")
    if step["step"] != "load" and "triples" in step:
        detail.append(f"{step['triples']:,} triples after")
    return Row(data.size, data.triples, engine, step["step"], step["seconds"], "ok",
               step.get("cpu_seconds"), step["peak_mib"], two_way,
               None if two_way is None else two_way == data.two_way, "; ".join(detail))


# --- ratios and targets ----------------------------------------------------------------------


def _seconds(rows: list[Row], size: str, engine: str, steps: tuple[str, ...],
             clock: str = "seconds") -> tuple[float, bool]:
    """Total wall (or ``cpu_seconds``) of ``steps``; the flag is True for a lower bound (a step cut).

    Steps not run after a step cut at the limit count as a lower bound too. NaN when no step
    is found, a step failed or a figure is missing.
    """
    total, bound, found = 0.0, False, False
    for row in rows:
        if row.size == size and row.engine == engine and row.step in steps:
            found = True
            if row.status == "not run":
                bound = True
                continue
            value = getattr(row, clock)
            if row.status not in ("ok", "> limit") or value is None:
                return float("nan"), True
            total += value
            bound = bound or row.status == "> limit"
    return (total, bound) if found else (float("nan"), True)


#: IEI's classification: what it needs (the closed-world rules) and reading it
CLASSIFICATION = ("classification rules", "classify")
#: the same plus the implied flows and OWL 2 RL (what ``kg.reason`` adds for the catalog queries)
REASONING = ("classification rules", "implied flows", "OWL 2 RL", "classify")
RDFLIB_CLASSIFICATION = ("implied flows", "materialize (owlrl)", "classify")


def ratios(rows: list[Row]) -> list[dict[str, Any]]:
    """Per size and IEI store: classification time against both baselines, wall and CPU.

    IEI's figure is :data:`CLASSIFICATION` (``iei``) and, with OWL 2 RL, :data:`REASONING`
    (``iei_owl``). Keys ending in ``_cpu`` use CPU seconds, the others wall seconds. A baseline
    cut at the limit gives a lower bound (``rdflib_owlrl_lower_bound``); ratios are None when a
    figure is missing.
    """
    out = []
    for size in dict.fromkeys(r.size for r in rows):
        engines = [e for e in dict.fromkeys(r.engine for r in rows if r.size == size)
                   if e.startswith("iei-")]
        for engine in engines:
            entry: dict[str, Any] = {"size": size, "engine": engine}
            for clock, suffix in (("seconds", ""), ("cpu_seconds", "_cpu")):
                iei, iei_bound = _seconds(rows, size, engine, CLASSIFICATION, clock)
                owl, owl_bound = _seconds(rows, size, engine, REASONING, clock)
                rdf, rdf_bound = _seconds(rows, size, "rdflib+owlrl", RDFLIB_CLASSIFICATION, clock)
                pyox, pyox_bound = _seconds(rows, size, "pyoxigraph", ("query",), clock)
                usable = not iei_bound and iei == iei and iei > 0
                entry.update({
                    f"iei{suffix}": _num(iei) if usable else None,
                    f"iei_owl{suffix}": None if owl_bound else _num(owl),
                    f"rdflib_owlrl{suffix}": _num(rdf),
                    f"pyoxigraph_query{suffix}": _num(pyox),
                    f"speedup_vs_rdflib_owlrl{suffix}": _num(rdf / iei) if usable else None,
                    f"owl_speedup_vs_rdflib_owlrl{suffix}": (
                        _num(rdf / owl) if not owl_bound and owl > 0 else None),
                    f"times_pyoxigraph_query{suffix}": (
                        _num(iei / pyox) if usable and pyox and not pyox_bound else None),
                })
                entry["rdflib_owlrl_lower_bound"] = rdf_bound
            if entry["iei"] is not None:
                out.append(entry)
    return out


def _num(value: float) -> float | None:
    return None if value != value else round(value, 2)


def _times(value: float | None, bound: bool = False) -> str:
    return "n/a" if value is None else f"{'>' if bound else ''}{value:g}×"


def targets(rows: list[Row], ratio_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The targets of issue 8 that this run can speak to, each met or not (judged on wall time)."""
    out = []
    for r in ratio_rows:
        if r["size"] != "medium" or r["engine"] != "iei-memory":
            continue
        speedup, bound = r["speedup_vs_rdflib_owlrl"], r["rdflib_owlrl_lower_bound"]
        owl = r["owl_speedup_vs_rdflib_owlrl"]
        out.append({"target": "~400k triples: IEI classification ≥ 100× faster than rdflib+owlrl",
                    "measured": f"{_times(speedup, bound)} wall, "
                                f"{_times(r['speedup_vs_rdflib_owlrl_cpu'], bound)} CPU "
                                f"(with OWL 2 RL: {_times(owl, bound)} wall)",
                    "met": speedup is not None and speedup >= 100})
        times = r["times_pyoxigraph_query"]
        with_owl = (r["iei_owl"] / r["pyoxigraph_query"] if r["iei_owl"] and r["pyoxigraph_query"]
                    else None)
        out.append({"target": "~400k triples: IEI classification within 3× of one pyoxigraph query",
                    "measured": f"{_times(times)} wall, {_times(r['times_pyoxigraph_query_cpu'])} CPU "
                                f"(with OWL 2 RL: {_times(_num(with_owl or float('nan')))} wall)",
                    "met": times is not None and times <= 3})
    for row in rows:
        if row.size == "national" and row.engine == "iei-disk" and row.step == "analyze":
            mib, limit_s = NATIONAL_TARGET
            met = row.status == "ok" and row.seconds <= limit_s and (row.peak_mib or 0) <= mib
            measured = (f"{row.seconds:.0f} s, {row.peak_mib:,.0f} MiB" if row.status == "ok"
                        else f"{row.status} ({row.detail})")
            out.append({"target": "national (~30M triples): analyze --store ≤ 10 min, ≤ 8 GiB",
                        "measured": measured, "met": met})
    return out


def growth(rows: list[Row]) -> list[dict[str, Any]]:
    """Per IEI store and step, for every size: seconds, CPU seconds and peak MiB per million triples.

    Linear growth shows as figures that stay flat from size to size.
    """
    out = []
    triples = {r.size: r.triples for r in rows if r.triples}
    for size in dict.fromkeys(r.size for r in rows):
        for engine in dict.fromkeys(r.engine for r in rows if r.size == size):
            if not engine.startswith("iei-") or not triples.get(size):
                continue
            for step, steps in (("load", ("load",)), ("classification", CLASSIFICATION),
                                ("with OWL 2 RL", REASONING),
                                ("analyze", ("analyze",))):
                wall, bound = _seconds(rows, size, engine, steps)
                cpu, _ = _seconds(rows, size, engine, steps, "cpu_seconds")
                peak = max((r.peak_mib or 0 for r in rows if r.size == size and r.engine == engine
                            and r.step in steps), default=0)
                if bound or wall != wall:
                    continue
                millions = triples[size] / 1e6
                out.append({"size": size, "triples": triples[size], "engine": engine, "step": step,
                            "seconds_per_million": round(wall / millions, 1),
                            "cpu_seconds_per_million": _num(cpu / millions),
                            "peak_mib_per_million": round(peak / millions)})
    return out


GROWTH_HEADER = ("size", "triples", "IEI store", "step", "s per M triples", "CPU s per M triples",
                 "peak MiB per M triples")


def _growth_cells(g: dict[str, Any]) -> tuple[str, ...]:
    cpu = g["cpu_seconds_per_million"]
    return (g["size"], f"{g['triples']:,}", g["engine"], g["step"], f"{g['seconds_per_million']:g}",
            "n/a" if cpu is None else f"{cpu:g}", f"{g['peak_mib_per_million']:,}")


# --- output ----------------------------------------------------------------------------------

HEADER = ("size", "triples", "engine/store", "step", "seconds", "CPU s", "peak MiB", "two-way",
          "agree")


def _cells(row: Row, limit: float) -> tuple[str, ...]:
    cpu = "" if row.cpu_seconds is None else f"{row.cpu_seconds:.2f}"
    if row.status == "ok":
        seconds = f"{row.seconds:.2f}"
    elif row.status == "> limit":
        seconds, cpu = f"> {limit:g}", f"> {cpu}" if cpu else ""
    else:
        seconds = row.status
    return (row.size, f"{row.triples:,}" if row.triples else "", row.engine, row.step, seconds,
            cpu, f"{row.peak_mib:,.0f}" if row.peak_mib else "",
            "" if row.two_way is None else f"{row.two_way:,}",
            "" if row.agree is None else ("yes" if row.agree else "no"))


def text_table(header: tuple[str, ...], body: list[tuple[str, ...]]) -> str:
    """A plain fixed-width table (never wrapped, whatever the terminal)."""
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h)
              for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    return "\n".join(lines)


def markdown_table(header: tuple[str, ...], body: list[tuple[str, ...]]) -> str:
    """A GitHub markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in body]
    return "\n".join(lines)


def _ratio_cells(r: dict[str, Any]) -> tuple[str, ...]:
    bound = ">" if r["rdflib_owlrl_lower_bound"] else ""

    def pair(key: str, prefix: str = "") -> str:
        wall, cpu = r[key], r[key + "_cpu"]
        return "n/a" if wall is None else f"{prefix}{wall:g} / {prefix}{'n/a' if cpu is None else f'{cpu:g}'}"

    def speedup(key: str) -> str:
        return _times(r[key], bool(bound)) + " / " + _times(r[key + "_cpu"], bool(bound))

    return (r["size"], r["engine"], pair("iei"), pair("iei_owl"), pair("rdflib_owlrl", bound),
            speedup("speedup_vs_rdflib_owlrl"), speedup("owl_speedup_vs_rdflib_owlrl"),
            pair("pyoxigraph_query"),
            _times(r["times_pyoxigraph_query"]) + " / " + _times(r["times_pyoxigraph_query_cpu"]))


RATIO_HEADER = ("size", "IEI store", "IEI classification s (wall / CPU)",
                "IEI with OWL 2 RL s (wall / CPU)", "rdflib+owlrl s (wall / CPU)",
                "speed-up, classification (wall / CPU)", "speed-up, with OWL 2 RL (wall / CPU)",
                "pyoxigraph query s (wall / CPU)", "IEI classification / pyoxigraph (wall / CPU)")


def report(rows: list[Row], args: argparse.Namespace, started: float) -> dict[str, Any]:
    """Print the tables and write ``latest.json`` and ``latest.md``; return the JSON content."""
    ratio_rows = ratios(rows)
    result = {
        "machine": machine(), "limit_seconds": args.limit, "engine": args.engine,
        "seed": SEED, "wall_seconds": round(time.time() - started, 1),
        "rows": [asdict(r) for r in rows], "ratios": ratio_rows,
        "targets": targets(rows, ratio_rows), "growth": growth(rows),
    }
    tables = [
        ("", HEADER, [_cells(r, args.limit) for r in rows]),
        ("Ratios: IEI classification (classification rules + classify) and IEI with OWL 2 RL "
         "(the implied flows and OWL 2 RL steps too) against rdflib+owlrl (implied flows + "
         "materialize + classify), and IEI classification against the single pyoxigraph query",
         RATIO_HEADER,
         [_ratio_cells(r) for r in ratio_rows]),
        ("Growth: per million triples (flat figures mean linear growth)", GROWTH_HEADER,
         [_growth_cells(g) for g in result["growth"]]),
    ]
    verdicts = [f"target: {t['target']}: {t['measured']} ({'met' if t['met'] else 'NOT met'})"
                for t in result["targets"]]
    print("\n\n".join((f"{title}:\n" if title else "") + text_table(header, body)
                      for title, header, body in tables))
    print("\n" + "\n".join(verdicts))
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False)
                                              + "\n", encoding="utf-8")
    md = [f"Measured {time.strftime('%Y-%m-%d')} on {result['machine']['summary']}; limit "
          f"{args.limit:g} s per measurement; reasoning engine `{args.engine}`.", ""]
    for title, header, body in tables:
        md += ([f"{title}:", ""] if title else []) + [markdown_table(header, body), ""]
    md += [f"- {v}" for v in verdicts] + ["", "Notes:", ""]
    md += [f"- {r.size} {r.engine} {r.step}: {r.detail}" for r in rows if r.detail] + [""]
    (args.results / "latest.md").write_text("\n".join(md), encoding="utf-8")
    return result


def machine() -> dict[str, Any]:
    """Where the figures were measured: cores, memory, Python and the engines' versions."""
    from importlib.metadata import version

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = {p: version(p) for p in ("iei-onto", "pyoxigraph", "rdflib", "owlrl", "reasonable")}
    summary = (f"{os.cpu_count()} cores, {memory:.0f} GiB RAM, Python {platform.python_version()}, "
               + ", ".join(f"{k} {v}" for k, v in versions.items()))
    load = os.getloadavg()
    summary += f"; load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1/5/15 min)"
    return {"cores": os.cpu_count(), "memory_gib": round(memory, 1),
            "python": platform.python_version(), "versions": versions,
            "load_average": [round(x, 2) for x in load], "summary": summary}


def log(message: str) -> None:
    """Progress on stderr, so stdout carries only the tables."""
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line of ``bench/run.py``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="small,medium,large",
                        help="comma-separated: tiny, small (~40k), medium (~400k), large (~4M)")
    parser.add_argument("--national", action="store_true",
                        help="add the national register (~30M triples), IEI --store only")
    parser.add_argument("--limit", type=float, default=600,
                        help="seconds per measurement; longer ones are reported as '> limit'")
    parser.add_argument("--endpoint-server", action="store_true",
                        help="also measure IEI on a local Oxigraph SPARQL server")
    parser.add_argument("--engine", default="auto", help="IEI reasoning engine (default auto)")
    parser.add_argument("--skip", default="",
                        help=f"comma-separated measurements to leave out (shown as 'not run'): "
                             f"{', '.join(SKIPPABLE)}")
    parser.add_argument("--results", type=Path, default=HERE / "results",
                        help="where data and latest.json / latest.md go")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each measurement N times, in turn, and report the run with "
                             "the median time of each step (default 1)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.size_list = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if args.national and "national" not in args.size_list:
        args.size_list.append("national")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if args.skip - set(SKIPPABLE):
        parser.error(f"unknown --skip {', '.join(sorted(args.skip - set(SKIPPABLE)))}: "
                     f"use {', '.join(SKIPPABLE)}")
    unknown = [s for s in args.size_list if s not in sizes()]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}: use {', '.join(sizes())}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 1 when a two-way count disagrees with the truth or a run failed."""
    args = parse_args(argv)
    if args.worker:
        run_worker(args.worker)
        return 0
    started = time.time()
    rows: list[Row] = []
    for size in args.size_list:
        data = prepare_data(args.results / "data", size, size != "national", args.limit)
        rows += run_size(data, args)
    report(rows, args, started)
    failed = [r for r in rows if r.agree is False or r.status == "error"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
