"""The ``iei`` command: validate, classify, query, export, reason, analyze, generate.

Exit codes (PRODUCT.md section 5): 0 success; 1 the data has violations (all were reported
and the rest was processed); 2 the input could not be read or the command was used wrongly.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from .errors import IEIError, InputError
from .kg import KnowledgeGraph
from .loading import load
from .memory import limit_malloc_arenas
from .store import open_store
from .validation import ValidationReport

if TYPE_CHECKING:
    from .reasoning import ReasoningResult

app = typer.Typer(
    name="iei",
    help="IEI: the knowledge graph of the integration of production and education (产教融合).\n\n"
    "Load partnership registers (CSV folder, .xlsx, .json or RDF), validate them, find which "
    "partnerships are two-way and which are one-way, query them with SPARQL and export the network.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
_state = {"debug": False}


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    cytoscape = "cytoscape"
    dot = "dot"
    html = "html"
    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"


class Engine(StrEnum):
    auto = "auto"
    reasonable = "reasonable"
    owlrl = "owlrl"
    sparql = "sparql"
    sparql_goals = "sparql-goals"


DataArg = Annotated[
    list[Path] | None,
    typer.Argument(help="Folders of CSV tables, .xlsx workbooks, tables .json files or RDF files.",
                   show_default=False),
]
StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="Keep the graph in an Oxigraph store on disk at this folder."),
]
EndpointOpt = Annotated[
    str | None,
    typer.Option("--endpoint", help="Use a SPARQL 1.1 endpoint (query URL). Credentials come from "
                 "IEI_ENDPOINT_USER / IEI_ENDPOINT_PASSWORD."),
]
UpdateEndpointOpt = Annotated[
    str | None, typer.Option("--update-endpoint", help="The endpoint's update URL, if not guessable."),
]
EngineOpt = Annotated[
    Engine, typer.Option("--engine", help="Reasoning engine: reasonable (full OWL 2 RL in memory), owlrl "
                         "(reference), sparql (full, in the store), sparql-goals (what classification "
                         "and queries read); auto picks by store and size."),
]


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
) -> None:
    _state["debug"] = debug


def main() -> None:
    """Entry point of the ``iei`` console script."""
    limit_malloc_arenas()
    app()


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn IEI errors into one line on stderr and the exit code of PRODUCT.md section 5."""
    try:
        yield
    except typer.Exit:
        raise
    except IEIError as exc:
        if _state["debug"]:
            raise
        err.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        err.print("interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:  # a bug: say so in one line, the traceback only with --debug
        if _state["debug"]:
            raise
        err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc} "
                  "(run again with --debug and report it)", highlight=False)
        raise typer.Exit(2) from None


class _RowsPerSecond(ProgressColumn):
    """Rows per second while rows come in; blank a few seconds after the last ones."""

    def render(self, task: Task) -> Text:
        counting = time.monotonic() - task.fields.get("rows_at", float("-inf")) < 3
        return Text(f"{task.speed:,.0f} rows/s" if counting and task.speed else "")


@contextmanager
def _progress(description: str) -> Iterator[Callable[[int | str], None]]:
    """A progress display on stderr for long work (only on a terminal).

    The callable it yields takes a number of rows done, or the name of the step now running.
    """
    if not err.is_terminal:
        yield lambda update: None
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed:,} rows"), _RowsPerSecond(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task(description, total=None)

        def update(step: int | str) -> None:
            if isinstance(step, str):
                progress.update(task, description=f"{description}: {step}")
            else:
                progress.update(task, advance=step, rows_at=time.monotonic())

        yield update


def _open(data: list[Path] | None, store: Path | None, endpoint: str | None,
          update_endpoint: str | None) -> KnowledgeGraph:
    target = open_store(store, endpoint, update_endpoint)
    if not data:
        if store is None and endpoint is None:
            raise InputError("no input given: name a folder of tables, a workbook or RDF files "
                             "(or --store / --endpoint holding loaded data)")
        return KnowledgeGraph.open(target)
    with _progress("loading") as advance:
        return load(data, store=target, progress=advance)


def _reason_first(kg: KnowledgeGraph, engine: str = "auto") -> ReasoningResult:
    """The reasoning still to do (what a query or an export needs), with its progress shown."""
    with _progress("reasoning") as step:
        return kg.reason(engine, progress=step)


def _report_problems(report: ValidationReport) -> int:
    """Print problems to stderr; return the exit code they mean."""
    for problem in report.problems:
        err.print(problem.to_text(), highlight=False, markup=False)
    if report.problems:
        n = len(report.problems)
        err.print(f"{n} problem{'s' * (n != 1)}: the records concerned were left out", highlight=False)
    return 1 if report.problems else 0


def _rows_out(columns: list[str], rows: list[list[object]], fmt: TableFormat, title: str = "") -> None:
    if fmt is TableFormat.json:
        objects = [dict(zip(columns, row, strict=True)) for row in rows]
        out.print(json.dumps(objects, ensure_ascii=False, indent=2), highlight=False, markup=False)
    elif fmt is TableFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else ";".join(v) if isinstance(v, list)
                             else str(v).lower() if isinstance(v, bool) else v for v in row])
        sys.stdout.write(buffer.getvalue())
    else:
        table = Table(title=title or None, show_lines=False)
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*["" if v is None else "; ".join(v) if isinstance(v, list) else str(v)
                            for v in row])
        out.print(table)


# --- commands ----------------------------------------------------------------------------


@app.command(epilog="Example: iei validate examples/demo --format json")
def validate(
    data: DataArg = None,
    format: Annotated[TextOrJson, typer.Option("--format", "-f", help="text or json")] = TextOrJson.text,
    shacl: Annotated[bool | None, typer.Option("--shacl/--no-shacl",
                                               help="Run the SHACL shapes (default: on RDF input)")] = None,
) -> None:
    """Check the input and list every problem, one per line (exit 1 if there is any)."""
    with _user_errors():
        kg = _open(data, None, None, None)
        report = kg.validate(shacl=shacl)
        if format is TextOrJson.json:
            sys.stdout.write(report.to_json())
        else:
            for problem in report.problems:
                out.print(problem.to_text(), highlight=False, markup=False)
            counts = ", ".join(f"{t} {c['kept']}/{c['read']}" for t, c in report.counts.items())
            summary = "valid: no problems found" if report.ok else f"{len(report.problems)} problems found"
            out.print(f"{summary}" + (f" (records kept/read: {counts})" if counts else ""),
                      highlight=False, markup=False)
        raise typer.Exit(0 if report.ok else 1)


@app.command(epilog="Examples: iei classify examples/demo\n\n"
             "iei classify examples/demo --format csv > classification.csv\n\n"
             "iei classify examples/demo --explain P012")
def classify(
    data: DataArg = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    explain: Annotated[str | None, typer.Option("--explain", help="Explain one partnership id.")] = None,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
) -> None:
    """Classify every partnership: two_way, unilateral (with direction) or none, with evidence.

    Runs only the rules it needs; --explain adds the implied flows, `iei reason` the rest."""
    with _user_errors():
        kg = _open(data, store, endpoint, update_endpoint)
        code = _report_problems(kg.leave_out_invalid())
        if explain:
            with _progress("explaining") as step:
                explanation = kg.explain(explain, progress=step)
            out.print(explanation, highlight=False, markup=False)
            raise typer.Exit(code)
        columns = ["partnership", "mode", "direction", "patterns", "declared_mode", "mismatch", "evidence"]
        with _progress("classifying") as step:
            found = kg.classify(progress=step)
        rows = [[c.partnership, c.mode, c.direction, list(c.patterns), c.declared_mode, c.mismatch,
                 list(c.evidence)] for c in found]
        _rows_out(columns, rows, format, "Partnership classification")
        raise typer.Exit(code)


@app.command(epilog="Examples: iei query --list\n\n"
             "iei query two_way_partnerships examples/demo --param region=江苏\n\n"
             "iei query my.rq examples/demo --format csv")
def query(
    name: Annotated[str | None, typer.Argument(help="A catalog query name or a .rq file.",
                                               show_default=False)] = None,
    data: DataArg = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE, repeatable.")] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    list_: Annotated[bool, typer.Option("--list", help="List the query catalog.")] = False,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
) -> None:
    """Run a catalog query or your own SPARQL file; parameters are bound as RDF terms."""
    from .queries import catalog

    with _user_errors():
        if list_:
            entries = catalog()
            rows = [[q.name, q.question, q.question_zh,
                     ", ".join(f"{p.name}{'?' if p.optional else ''}:{p.type}" for p in q.params)]
                    for q in entries]
            _rows_out(["name", "question", "question_zh", "parameters"], rows, format, "Query catalog")
            return
        if not name:
            raise InputError("name a catalog query (see iei query --list) or a .rq file")
        params = {}
        for item in param or []:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise InputError(f"--param {item!r}: write NAME=VALUE, e.g. --param region=江苏")
            params[key.strip()] = value
        kg = _open(data, store, endpoint, update_endpoint)
        code = _report_problems(kg.leave_out_invalid())
        _reason_first(kg)
        result = kg.query(name, **params)
        if format is TableFormat.json:
            sys.stdout.write(result.to_json() + "\n")
        elif format is TableFormat.csv:
            sys.stdout.write(result.to_csv())
        else:
            out.print(result.to_table())
        raise typer.Exit(code)


@app.command(epilog="Examples: iei export examples/demo --format graphml -o out/network.graphml\n\n"
             "iei export examples/demo -o out/graph.ttl")
def export(
    data: DataArg = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")] = ...,
    format: Annotated[ExportFormat | None, typer.Option("--format", "-f",
                                                        help="Default: from the file extension.")] = None,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
) -> None:
    """Export the network (GraphML, GEXF, Cytoscape.js, DOT, HTML) or the graph (ttl, nt, jsonld)."""
    with _user_errors():
        kg = _open(data, store, endpoint, update_endpoint)
        code = _report_problems(kg.leave_out_invalid())
        _reason_first(kg)
        path = kg.export(output, format.value if format else None)
        err.print(f"wrote {path}", highlight=False)
        raise typer.Exit(code)


@app.command(epilog="Examples: iei reason examples/demo -o out/graph.ttl\n\n"
             "iei reason examples/demo --check\n\n"
             "iei reason examples/demo --store out/store")
def reason(
    data: DataArg = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the graph here.")] = None,
    engine: EngineOpt = Engine.auto,
    check: Annotated[bool, typer.Option("--check", help="Check OWL DL consistency with HermiT.")] = False,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
) -> None:
    """Materialize the graph (implied flows, OWL 2 RL inferences, classification)."""
    with _user_errors():
        if output is None and not check and store is None and endpoint is None:
            raise InputError("say what to do: -o FILE to write the graph, --check for consistency, "
                             "--store PATH or --endpoint URL to keep the reasoned graph there")
        kg = _open(data, store, endpoint, update_endpoint)
        code = _report_problems(kg.leave_out_invalid())
        err.print(_reasoned(_reason_first(kg, engine.value)), highlight=False)
        if output is not None:
            kg.export(output, _graph_format(output))
            err.print(f"wrote {output}", highlight=False)
        if check:
            from .reasoning import check_consistency

            consistency = check_consistency(kg.store)
            for line in consistency.problems:
                out.print(line, highlight=False, markup=False)
            out.print("consistent (HermiT)" if consistency.consistent else "inconsistent (HermiT)")
            code = max(code, 0 if consistency.consistent else 1)
        raise typer.Exit(code)


def _graph_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("ttl", "nt", "jsonld"):
        return suffix
    raise InputError(f"{path}: write the graph as .ttl, .nt or .jsonld")


@app.command(epilog="Example: iei analyze examples/demo -o out/demo")
def analyze(
    data: DataArg = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder for the results.")] = ...,
    engine: EngineOpt = Engine.auto,
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    update_endpoint: UpdateEndpointOpt = None,
) -> None:
    """The main job: validate, reason, classify, and write the report and every export."""
    from .analysis import analyze as run_analysis

    with _user_errors():
        if not data:
            raise InputError("name the data to analyse, e.g. iei analyze examples/demo -o out/demo")
        target = open_store(store, endpoint, update_endpoint)
        with _progress("analysing") as advance:
            result = run_analysis(data, output, store=target, engine=engine.value, progress=advance,
                                  advance=advance)
        code = _report_problems(result.validation)
        for path in result.paths.values():
            err.print(f"wrote {path}", highlight=False)
        err.print(_reasoned(result.reasoning), highlight=False)
        err.print(f"time per step: {_per_step(result.seconds)}", highlight=False)
        err.print(f"report: {result.paths['report.html'].resolve()}", highlight=False)
        raise typer.Exit(code)


def _reasoned(result: ReasoningResult) -> str:
    """One line on what reasoning did: the engine, the time of each step, what it added."""
    if not result.ran:
        return "the store holds a reasoned graph already: nothing to reason"
    inferred = "" if result.inferred_triples is None else f", {result.inferred_triples:,} inferred triples"
    return (f"reasoned with {result.engine} in {result.seconds:.1f} s ({_per_step(result.steps)}): "
            f"{result.implied_flows:,} implied flows{inferred}")


def _per_step(seconds: dict[str, float]) -> str:
    return ", ".join(f"{step} {spent:.1f} s" for step, spent in seconds.items())


@app.command(epilog="Example: iei generate --preset small -o out/register")
def generate(
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder for the CSV tables.")] = ...,
    colleges: Annotated[int | None, typer.Option(help="Number of colleges and universities.")] = None,
    enterprises: Annotated[int | None, typer.Option(help="Number of enterprises.")] = None,
    partnerships: Annotated[int | None, typer.Option(help="Number of partnerships.")] = None,
    preset: Annotated[str | None, typer.Option(help="small, medium, large or national.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")] = 1,
) -> None:
    """Write a synthetic national-style register (CSV tables and truth.json)."""
    from .generate import PRESETS, generate_register

    with _user_errors():
        if preset:
            if preset not in PRESETS:
                raise InputError(f"unknown preset {preset!r}: use one of {', '.join(PRESETS)}")
            colleges, enterprises, partnerships = (
                given if given is not None else default
                for given, default in zip((colleges, enterprises, partnerships), PRESETS[preset],
                                          strict=True)
            )
        if None in (colleges, enterprises, partnerships):
            raise InputError("give --colleges, --enterprises and --partnerships, or a --preset")
        if min(colleges, enterprises, partnerships) < 1:
            raise InputError("--colleges, --enterprises and --partnerships must be at least 1")
        with _progress("generating") as advance:
            stats = generate_register(output, colleges=colleges, enterprises=enterprises,
                                      partnerships=partnerships, seed=seed, progress=advance)
        err.print(f"wrote {output} ({stats})", highlight=False)


if __name__ == "__main__":
    main()
