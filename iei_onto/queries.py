"""The SPARQL query catalog, safe parameter binding, and :class:`QueryResult`.

Each file ``queries/<name>.rq`` answers one competency question. Its header comment block
states the question (English and Chinese), its parameters with their types, and the result
columns::

    # title: Two-way partnerships
    # title_zh: 双向合作（产教融合）伙伴关系
    # question: Which partnerships are two-way (integration of production and education)?
    # question_zh: 哪些合作是双向的产教融合？
    # param: region (string, optional) — only partnerships with a participant in this region
    # columns: partnership, name, participants, regions, evidence

Parameters are converted by their declared type to RDF terms and bound with a ``VALUES``
block at the start of the query's outermost ``WHERE`` group (terms serialized by pyoxigraph),
so a value can never change the shape of the query, on every store alike.

An optional parameter is tested in the body, ``FILTER(!BOUND(?region) || …)``, which a store
can only check answer by answer. A ``# narrow:`` line lets a given value narrow the search
instead (see :func:`narrowed`)::

    # narrow: region — ?p iei:participant/iei:region ?region

>>> [q.name for q in catalog()][:2]
['colleges_without_industry_input', 'enterprise_contribution_breadth']
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import InputError
from .model import DATA_BASE, IEI_NS, RECORD_KINDS, Vocabulary, record_iri
from .resources import query_folder
from .store import Store, bind_values, query_form, sparql_tokens, values_block, where_group_start

if TYPE_CHECKING:
    import pandas as pd
    from rich.table import Table

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    _XSD + t for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort",
        "unsignedByte",
    )
}
_FLOAT_TYPES = {_XSD + "decimal", _XSD + "double", _XSD + "float"}

#: parameter types whose value is a table id, turned into the record's IRI
RECORD_TYPES = tuple(RECORD_KINDS.values())
#: parameter types whose value is a controlled code or label, bound as the plain code
VOCABULARY_TYPES = ("resource", "activity_kind", "organization_type", "indicator", "mode",
                    "direction", "pattern")
#: the sides of PRODUCT.md section 3, bound as the side class
SIDES = {
    "industry": "IndustrySideActor",
    "education": "EducationSideActor",
    "third_party": "ThirdPartyActor",
}
PARAM_TYPES = ("string", "integer", "decimal", "date", "boolean", "iri", "side",
               *RECORD_TYPES, *VOCABULARY_TYPES)

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_HEADER = re.compile(r"#\s*([a-z_]+)\s*:\s*(.*)")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z][A-Za-z0-9_]*)\s*\((?P<spec>[^)]*)\)\s*(?:[—–-]+\s*(?P<description>.*))?"
)
_NARROW = re.compile(r"(?P<name>[A-Za-z][A-Za-z0-9_]*)\s*[—–-]+\s*(?P<pattern>.+)")
_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.DOTALL)


# --- the catalog ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A declared query parameter: ``# param: year (integer, optional) — …``."""

    name: str
    type: str
    optional: bool
    default: str | None
    description: str


@dataclass(frozen=True)
class CatalogQuery:
    """One query of the catalog (or a user's ``.rq`` file), with its parsed header."""

    name: str
    title: str
    title_zh: str
    question: str
    question_zh: str
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    text: str = ""
    #: True when the header declares the parameters (catalog queries always do)
    typed: bool = True
    #: ``# narrow: PARAM — PATTERN`` lines: parameter name → graph pattern (see :func:`narrowed`)
    narrowings: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> Param | None:
        """The declared parameter called ``name``, or None."""
        return next((p for p in self.params if p.name == name), None)


def _parse_param(spec_line: str, source: str) -> Param:
    match = _PARAM.fullmatch(spec_line.strip())
    if not match:
        raise InputError(f"{source}: cannot read the parameter line '{spec_line}': write "
                         "'# param: NAME (TYPE[, optional][, default VALUE]) — description'")
    parts = [p.strip() for p in match["spec"].split(",") if p.strip()]
    if not parts or parts[0] not in PARAM_TYPES:
        raise InputError(f"{source}: parameter '{match['name']}' has unknown type "
                         f"'{parts[0] if parts else ''}': use one of {', '.join(PARAM_TYPES)}")
    optional, default = False, None
    for extra in parts[1:]:
        if extra in ("optional", "required"):
            optional = extra == "optional"
        elif extra.startswith("default "):
            default, optional = extra[len("default "):].strip(), True
        else:
            raise InputError(f"{source}: parameter '{match['name']}': unknown option '{extra}' "
                             "(use 'optional', 'required' or 'default VALUE')")
    return Param(match["name"], parts[0], optional, default, (match["description"] or "").strip())


def parse_query(text: str, name: str, source: str | None = None, *, strict: bool = False) -> CatalogQuery:
    """Read the header comment block of a query text into a :class:`CatalogQuery`.

    With ``strict`` (catalog files) the title, question and columns must be present.
    """
    source = source or name
    fields: dict[str, str] = {}
    params: list[Param] = []
    narrowings: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.fullmatch(stripped)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            params.append(_parse_param(value, source))
        elif key == "narrow":
            narrowings.update([_parse_narrowing(value, source)])
        else:
            fields[key] = value.strip()
    if strict:
        missing = [k for k in ("title", "title_zh", "question", "question_zh", "columns")
                   if not fields.get(k)]
        if missing:
            raise InputError(f"{source}: the header lacks {', '.join(missing)}")
    columns = [c.strip() for c in fields.get("columns", "").split(",") if c.strip()]
    undeclared = sorted(set(narrowings) - {p.name for p in params})
    if undeclared:
        raise InputError(f"{source}: '# narrow:' names {', '.join(undeclared)}, which no "
                         "'# param:' line declares")
    return CatalogQuery(
        name=name,
        title=fields.get("title", name),
        title_zh=fields.get("title_zh", ""),
        question=fields.get("question", ""),
        question_zh=fields.get("question_zh", ""),
        params=params,
        columns=columns,
        text=text,
        typed=strict or bool(params),
        narrowings=narrowings,
    )


def check_query(query: CatalogQuery, source: str) -> None:
    """Raise :class:`InputError` for a SPARQL syntax error (with its line and column) or a
    ``# narrow:`` line that cannot work. Run on a user's query when it is read; the catalog's
    files are checked by the tests, not at every call."""
    check_syntax(query.text, source)
    for param, pattern in query.narrowings.items():
        strangers = sorted(_variables(pattern) - {param} - _variables(query.text))
        if strangers:  # joined on nothing, the sub-query would repeat every answer
            raise InputError(f"{source}: the pattern of '# narrow: {param}' uses "
                             f"{', '.join('?' + v for v in strangers)}, which the query does not")
        if not _only_in_optional_filters(query.text, param):
            raise InputError(f"{source}: '# narrow: {param}' replaces the test "
                             f"FILTER(!BOUND(?{param}) || …), so the query may use ?{param} "
                             "there only")
    if query.narrowings:
        check_syntax(narrowed(query, dict.fromkeys(query.narrowings, ox.Literal("")))[0], source)


def _parse_narrowing(spec_line: str, source: str) -> tuple[str, str]:
    match = _NARROW.fullmatch(spec_line.strip())
    if not match or match["name"] not in _variables(match["pattern"]):
        raise InputError(f"{source}: cannot read the line '# narrow: {spec_line}': write "
                         "'# narrow: PARAM — PATTERN', a graph pattern that uses ?PARAM and "
                         "at least one other variable")
    if not _variables(match["pattern"]) - {match["name"]}:
        raise InputError(f"{source}: the pattern of '# narrow: {match['name']}' has no variable "
                         f"but ?{match['name']}: it would narrow nothing")
    return match["name"], match["pattern"].strip()


def _variables(pattern: str) -> set[str]:
    """The names of the variables of a SPARQL fragment (strings and IRIs left out)."""
    code = "".join(m.group() for m in sparql_tokens(pattern) if m.lastgroup not in ("string", "iri"))
    return set(re.findall(r"[?$](\w+)", code))


#: A narrowing pattern with at most this many answers is written into the query as their
#: ``VALUES``, which stores evaluate by lookups; with more, Oxigraph 0.5 joins a ``VALUES``
#: block by hash (measured: 1,000 rows 0.4 s, 1,024 rows 3.7 s), so they are a sub-query.
NARROW_VALUES_LIMIT = 1000


def narrowed(query: CatalogQuery, bindings: Mapping[str, ox.NamedNode | ox.Literal],
             store: Store | None = None) -> tuple[str, dict[str, ox.NamedNode | ox.Literal]]:
    """The query's text narrowed by each given parameter that has a ``# narrow:`` line, and
    the bindings left for its body.

    An optional parameter is tested in the query's body, ``FILTER(!BOUND(?region) || …)``:
    right in any store that binds it with ``VALUES``, but the store then reads every answer
    to keep the few that pass (and Oxigraph evaluates such an ``EXISTS`` slowly once the
    parameter is bound). For a given parameter with a line
    ``# narrow: region — ?p iei:participant/iei:region ?region``, the sub-query
    ``{ SELECT DISTINCT ?p WHERE { VALUES (?region) { ("江苏") } ?p iei:participant/… } }``
    is joined at the start of the outermost ``WHERE`` group instead, and of the sub-queries
    :func:`narrowable_groups` finds, so the store starts from the answers that have the
    value, and the body sees the parameter unbound (its
    ``FILTER`` passes): the pattern is the test. :func:`check_query` checks that the body
    uses the parameter in that ``FILTER`` only; the tests check on data that the pattern and
    the ``FILTER`` keep the same rows. ``DISTINCT`` keeps the join from repeating answers.

    Given the ``store``, the sub-query is asked first: when it has at most
    :data:`NARROW_VALUES_LIMIT` answers (and no blank node), they are joined as a ``VALUES``
    block instead, which a store evaluates by lookups rather than by reading the query's
    patterns whole (one organization's flows on the national register: 7.4 s → 0.05 s).
    """
    groups: dict[int, list[str]] = {}
    rest = dict(bindings)
    given = store is not None and not query.narrowings.keys().isdisjoint(bindings)
    prologue = _prologue(query.text) if given else None
    for name, pattern in sorted(query.narrowings.items()):
        if name in rest:
            keys = sorted(_variables(pattern) - {name})
            select = bind_values(f"SELECT DISTINCT {' '.join('?' + k for k in keys)} "
                                 f"WHERE {{ {pattern} }}", {name: rest.pop(name)})
            group = _narrowing_group(select, keys, store, prologue)
            for at in narrowable_groups(query.text, set(keys)):
                groups.setdefault(at, []).append(group)
    text = query.text
    for at in sorted(groups, reverse=True):
        text = f"{text[:at]} {' '.join(groups[at])} {text[at:]}"
    return text, rest


def _prologue(text: str) -> str | None:
    """The text before the query form (comments, ``BASE``, ``PREFIX``), or None when the query
    names its own dataset (``FROM``), which a pattern asked alone would not read."""
    keywords = [(m.start(), m.group().upper()) for m in sparql_tokens(text) if m.lastgroup == "word"]
    if any(word == "FROM" for _, word in keywords):
        return None
    return text[:next(at for at, word in keywords if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"))]


def _narrowing_group(select: str, keys: list[str], store: Store | None, prologue: str | None) -> str:
    """The answers of the narrowing ``select`` as a ``VALUES`` block when ``store`` has few,
    else the ``select`` as a group (always without a store or a prologue)."""
    if store is not None and prologue is not None:
        rows = [tuple(row) for row in store.query(f"{prologue}{select} LIMIT {NARROW_VALUES_LIMIT + 1}")]
        if len(rows) <= NARROW_VALUES_LIMIT and all(
                isinstance(term, ox.NamedNode | ox.Literal) for row in rows for term in row):
            return values_block(keys, sorted(rows, key=lambda row: [str(term) for term in row]))
    return f"{{ {select} }}"


@dataclass
class _SubQuery:
    """A ``SELECT`` nested in a query: where its ``WHERE`` group starts and what it projects."""

    start: int
    #: the variables it projects; None for ``SELECT *``
    projected: set[str] | None
    parent: _SubQuery | None
    #: inside a ``GRAPH`` or ``SERVICE`` group, where a pattern reads another graph
    elsewhere: bool
    #: with ``LIMIT`` or ``OFFSET``: it keeps some answers of its own, whatever follows
    sliced: bool = False

    def narrowable(self, keys: set[str]) -> bool:
        """True when joining the narrowing pattern inside changes no answer of the query."""
        return (self.projected is not None and keys <= self.projected and not self.elsewhere
                and not self.sliced and (self.parent is None or self.parent.narrowable(keys)))


def narrowable_groups(text: str, keys: set[str]) -> list[int]:
    """Where a narrowing pattern over ``keys`` is joined: the offsets just after the ``{`` of
    the outermost ``WHERE`` group and of every sub-query that keeps the keys.

    A sub-query (``{ SELECT … }``) that aggregates, say every partnership's participants, is
    evaluated whole before the outer query joins it, so the outer narrowing alone still reads
    the whole register. The pattern can be joined inside it too, changing no answer, when it
    and every sub-query around it project all the keys (so its answers reach the outermost
    group only through joins, optionals, unions, ``MINUS``, grouping or ordering on them), it
    has no ``LIMIT`` or ``OFFSET``, and it is in no ``GRAPH`` or ``SERVICE`` group. Each of its
    answers must bind every key, as the catalog's sub-queries do (the tests check the catalog
    on data).
    """
    return [where_group_start(text)] + [
        sub.start for sub in _sub_queries(text) if sub.narrowable(keys)]


def _sub_queries(text: str) -> list[_SubQuery]:
    """The sub-queries of a query text, in the order they start."""
    found: list[_SubQuery] = []
    frames: list[tuple[bool, _SubQuery | None]] = []  # per open group: elsewhere, its sub-query
    clause: list[str] | None = None  # the SELECT clause being read, tokens so far
    graph_next = False
    modifiers: tuple[int, _SubQuery] | None = None  # depth, sub-query whose modifiers follow
    for match in sparql_tokens(text):
        kind, token = match.lastgroup, match.group()
        word = token.upper() if kind == "word" else ""
        if clause is not None and kind != "open":
            clause.append('""' if kind == "string" else token)
        elif word == "SELECT" and frames:
            clause = []
        elif word in ("GRAPH", "SERVICE"):
            graph_next = True
        elif word in ("LIMIT", "OFFSET") and modifiers and modifiers[0] == len(frames):
            modifiers[1].sliced = True
        if kind == "open":
            elsewhere = graph_next or any(outside for outside, _ in frames)
            sub = None
            if clause is not None:
                parent = next((s for _, s in reversed(frames) if s is not None), None)
                sub = _SubQuery(match.end(), _projection("".join(clause)), parent, elsewhere)
                found.append(sub)
            frames.append((elsewhere, sub))
            clause, graph_next = None, False
        elif kind == "close" and frames:
            _, sub = frames.pop()
            if sub is not None:
                modifiers = (len(frames), sub)
            elif modifiers and modifiers[0] > len(frames):
                modifiers = None
    return found


def _projection(clause: str) -> set[str] | None:
    """The variables a SELECT clause (``?a (COUNT(?b) AS ?n) WHERE``) projects; None for ``*``."""
    top, depth = [], 0
    for char in clause:
        depth += {"(": 1, ")": -1}.get(char, 0)
        top.append(char if depth == 0 and char != ")" else " ")
    outside = "".join(top)
    if "*" in outside:
        return None
    return (set(re.findall(r"[?$](\w+)", outside))
            | set(re.findall(r"\bAS\s*[?$](\w+)", clause, re.IGNORECASE)))


def _only_in_optional_filters(text: str, name: str) -> bool:
    """True when every ``?name`` of the query body is inside a ``FILTER(!BOUND(?name) || …)``."""
    code = "".join({"string": '""', "iri": "<>"}.get(m.lastgroup or "", m.group())
                   for m in sparql_tokens(text))  # what a string or IRI holds never counts
    spans = []
    for match in re.finditer(rf"FILTER\s*(\()\s*!\s*BOUND\s*\(\s*[?$]{name}\s*\)\s*\|\|", code,
                             re.IGNORECASE):
        depth = 0
        for end in range(match.start(1), len(code)):
            depth += {"(": 1, ")": -1}.get(code[end], 0)
            if depth == 0:
                spans.append(range(match.start(), end + 1))
                break
    uses = [m.start() for m in re.finditer(rf"[?$]{name}\b", code)]
    return bool(spans) and all(any(at in span for span in spans) for at in uses)


def load_query_file(path: str | Path) -> CatalogQuery:
    """Read a user's ``.rq`` file (header optional) and check its SPARQL syntax."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such query file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the query file ({exc})") from None
    query = parse_query(text, path.stem, str(path))
    check_query(query, str(path))
    return query


def _catalog_files() -> dict[str, str]:
    folder = query_folder()
    return {
        entry.name[: -len(".rq")]: entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    }


def catalog() -> list[CatalogQuery]:
    """Every query of the packaged catalog, sorted by name."""
    return [parse_query(text, name, f"queries/{name}.rq", strict=True)
            for name, text in sorted(_catalog_files().items())]


def get_query(name: str) -> CatalogQuery:
    """The catalog query called ``name``; an unknown name suggests close ones."""
    files = _catalog_files()
    if name not in files:
        close = difflib.get_close_matches(name, sorted(files), n=3, cutoff=0.5)
        hint = f"did you mean {' or '.join(close)}?" if close else "see iei query --list"
        raise InputError(f"unknown query '{name}': {hint}")
    return parse_query(files[name], name, f"queries/{name}.rq", strict=True)


def check_syntax(text: str, source: str) -> None:
    """Raise :class:`InputError` with the line and column of a SPARQL syntax error."""
    check_no_service(text, source)
    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        message = str(exc)
        match = _POSITION.match(message)
        if match:
            line, column, detail = match.groups()
            detail = detail.splitlines()[0] if detail else "invalid syntax"
            if "Prefix not found" in detail:
                detail = "undeclared prefix: add a PREFIX line for it"
            if len(detail) > 120:
                detail = detail[:120].rstrip() + " …"
            message = f"line {line}, column {column}: {detail}"
        raise InputError(f"{source}: SPARQL syntax error at {message}") from None


def check_no_service(text: str, source: str) -> None:
    """Refuse federated queries: nothing is fetched from the network (PRODUCT.md §7)."""
    for match in sparql_tokens(text):
        if match.lastgroup == "word" and match.group().upper() == "SERVICE":
            raise InputError(f"{source}: SERVICE (a federated query) is not allowed: IEI fetches "
                             "nothing from the network")


# --- parameters -----------------------------------------------------------------------------


def _literal(text: str, datatype: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(_XSD + datatype))


def _convert_integer(value: object) -> ox.Literal:
    if isinstance(value, bool):
        raise ValueError("not a whole number")
    if isinstance(value, int):
        return _literal(str(value), "integer")
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError("not a whole number")
    return _literal(str(int(text)), "integer")


def _convert_decimal(value: object) -> ox.Literal:
    if isinstance(value, bool):
        raise ValueError("not a number")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not number.is_finite():
        raise ValueError("not a finite number")
    text = format(number, "f")
    return _literal(text if "." in text else text + ".0", "decimal")


def _convert_date(value: object) -> ox.Literal:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _literal(value.isoformat(), "date")
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError("not a date: write YYYY-MM-DD")
    return _literal(dt.date.fromisoformat(text).isoformat(), "date")


def _convert_boolean(value: object) -> ox.Literal:
    if isinstance(value, bool):
        return _literal("true" if value else "false", "boolean")
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return _literal("true", "boolean")
    if text in ("false", "0", "no"):
        return _literal("false", "boolean")
    raise ValueError("not a boolean: write true or false")


def _convert_iri(value: object) -> ox.NamedNode:
    text = str(value).strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text):
        raise ValueError("not an absolute IRI")
    return ox.NamedNode(text)


def _convert_side(value: object) -> ox.NamedNode:
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    if text not in SIDES:
        raise ValueError(f"not a side: use one of {', '.join(SIDES)}")
    return ox.NamedNode(IEI_NS + SIDES[text])


def _convert_code(kind: str, value: object) -> ox.Literal:
    vocabulary = Vocabulary.default()
    term = vocabulary.lookup(kind, str(value))
    if term is None:
        raise ValueError(f"not a known {kind.replace('_', ' ')}: use one of "
                         f"{', '.join(vocabulary.codes(kind))}")
    return ox.Literal(term.code)


def convert_param(param: Param, value: object, base: str = DATA_BASE) -> ox.NamedNode | ox.Literal:
    """Turn a parameter value (a Python value or the text of ``--param``) into an RDF term."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    kind = param.type
    try:
        if kind == "string":
            return ox.Literal(str(value))
        if kind == "integer":
            return _convert_integer(value)
        if kind == "decimal":
            return _convert_decimal(value)
        if kind == "date":
            return _convert_date(value)
        if kind == "boolean":
            return _convert_boolean(value)
        if kind == "iri":
            return _convert_iri(value)
        if kind == "side":
            return _convert_side(value)
        if kind in RECORD_TYPES:
            text = str(value).strip()
            if text.startswith("<") and text.endswith(">"):
                return _convert_iri(text)
            return record_iri(kind, text, base)
        return _convert_code(kind, value)
    except ValueError as exc:
        raise InputError(f"parameter {param.name}={value!r}: {exc} ({param.type} expected)") from None


def untyped_term(value: object) -> ox.NamedNode | ox.Literal:
    """The term of a parameter of an untyped user query: an IRI if written ``<…>``, else a literal."""
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value
    if isinstance(value, bool):
        return _literal("true" if value else "false", "boolean")
    if isinstance(value, int):
        return _literal(str(value), "integer")
    if isinstance(value, (float, Decimal)):
        return _convert_decimal(value)
    if isinstance(value, dt.date):
        return _convert_date(value)
    text = str(value)
    if text.startswith("<") and text.endswith(">"):
        try:
            return _convert_iri(text)
        except ValueError as exc:
            raise InputError(f"parameter value {text}: {exc}") from None
    return ox.Literal(text)


def bind_params(query: CatalogQuery, params: Mapping[str, object],
                base: str = DATA_BASE) -> dict[str, ox.NamedNode | ox.Literal]:
    """Check the parameters against the query's declaration and convert them to terms."""
    given = {k: v for k, v in params.items() if v is not None and v != ""}
    for key in given:
        if not _NAME.fullmatch(key):
            raise InputError(f"'{key}' is not a parameter name: use letters, digits and _")
    if not query.typed:
        return {k: untyped_term(v) for k, v in given.items()}
    allowed = [p.name for p in query.params]
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        names = ", ".join(allowed) if allowed else "none"
        raise InputError(f"query '{query.name}' has no parameter {', '.join(unknown)}: "
                         f"its parameters are {names}")
    bindings: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in query.params:
        value = given.get(param.name, param.default)
        if value is None:
            if not param.optional:
                raise InputError(f"query '{query.name}' needs the parameter {param.name} "
                                 f"({param.type}): {param.description or 'give it'} "
                                 f"(--param {param.name}=VALUE)")
            continue
        bindings[param.name] = convert_param(param, value, base)
    return bindings


# --- results --------------------------------------------------------------------------------


def term_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Any:
    """The Python value of an RDF term: int, float, bool, date, str, or None when unbound."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    datatype = term.datatype.value
    try:
        if datatype in _INTEGER_TYPES or datatype == _XSD + "gYear":
            return int(term.value)
        if datatype in _FLOAT_TYPES:
            return float(term.value)
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == _XSD + "date":
            return dt.date.fromisoformat(term.value)
        if datatype == _XSD + "dateTime":
            return dt.datetime.fromisoformat(term.value.replace("Z", "+00:00"))
    except ValueError:
        return term.value
    return term.value


def _lexical(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


class QueryResult:
    """The rows of a query: iterate for tuples of Python values, or convert.

    ``to_df()`` gives a typed pandas DataFrame, ``to_records()`` a list of dicts,
    ``to_csv()`` / ``to_json()`` text, ``to_table()`` a rich table.
    """

    def __init__(self, columns: list[str], terms: list[tuple[Any, ...]], name: str = "") -> None:
        self.columns = list(columns)
        #: the rows as pyoxigraph terms (None for an unbound value)
        self.terms = terms
        self.name = name

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for row in self.terms:
            yield tuple(term_value(t) for t in row)

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"<QueryResult {self.name or 'query'}: {len(self)} rows × {len(self.columns)} columns>"

    def rows(self) -> list[tuple[Any, ...]]:
        """All rows as tuples of Python values."""
        return list(self)

    def column(self, name: str) -> list[Any]:
        """The values of one column, top to bottom."""
        index = self.columns.index(name)
        return [row[index] for row in self]

    def to_records(self) -> list[dict[str, Any]]:
        """The rows as dicts column → Python value."""
        return [dict(zip(self.columns, row, strict=True)) for row in self]

    def to_df(self) -> pd.DataFrame:
        """A pandas DataFrame typed by the RDF datatypes (ints, floats, dates, bools, strings)."""
        import pandas as pd

        data = {name: _series(name, [row[i] for row in self], pd)
                for i, name in enumerate(self.columns)}
        return pd.DataFrame(data, columns=self.columns)

    def to_csv(self) -> str:
        """CSV text: a header, then the lexical values; unbound values are empty."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.terms:
            writer.writerow([_lexical(t) for t in row])
        return buffer.getvalue()

    def to_json(self) -> str:
        """A JSON list of objects (numbers as numbers, dates as ISO text, unbound as null)."""
        records = [{k: _jsonable(v) for k, v in record.items()} for record in self.to_records()]
        return json.dumps(records, ensure_ascii=False, indent=2)

    def to_table(self) -> Table:
        """A rich :class:`~rich.table.Table` of the lexical values."""
        from rich.table import Table

        table = Table(title=self.name or None)
        for name in self.columns:
            table.add_column(name, overflow="fold")
        for row in self.terms:
            table.add_row(*[_lexical(t) for t in row])
        return table


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _series(name: str, values: list[Any], pd: Any) -> Any:
    present = [v for v in values if v is not None]
    kinds = {type(v) for v in present}
    if kinds == {int}:
        dtype = "int64" if len(present) == len(values) else "Int64"
        return pd.Series(values, dtype=dtype, name=name)
    if kinds and kinds <= {int, float}:
        return pd.Series([float("nan") if v is None else float(v) for v in values],
                         dtype="float64", name=name)
    if kinds == {bool}:
        dtype = "bool" if len(present) == len(values) else "boolean"
        return pd.Series(values, dtype=dtype, name=name)
    if kinds == {dt.date}:
        return pd.Series(pd.to_datetime(values), name=name)
    return pd.Series(values, dtype="object", name=name)


def _result(raw: Any, name: str) -> QueryResult:
    if isinstance(raw, (bool, ox.QueryBoolean)):
        return QueryResult(["answer"], [(_literal("true" if raw else "false", "boolean"),)], name)
    if isinstance(raw, ox.QuerySolutions):
        columns = [v.value for v in raw.variables]
        return QueryResult(columns, [tuple(solution[c] for c in columns) for solution in raw], name)
    triples = sorted(((t.subject, t.predicate, t.object) for t in raw),
                     key=lambda row: tuple(str(term) for term in row))
    return QueryResult(["subject", "predicate", "object"], triples, name)


# --- running --------------------------------------------------------------------------------


def resolve(name_or_text: str) -> CatalogQuery:
    """A catalog query by name, a user's ``.rq`` file by path, or a SPARQL text."""
    text = name_or_text.strip()
    if text.endswith(".rq") and "\n" not in text:
        return load_query_file(text)
    if _NAME.fullmatch(text):
        return get_query(text)
    query = parse_query(name_or_text, "query", "the query")
    check_query(query, "the query")
    return query


def run_query(store: Store, name_or_text: str, params: Mapping[str, object] | None = None,
              *, base: str = DATA_BASE) -> QueryResult:
    """Run a catalog query (by name), a ``.rq`` file (by path) or a SPARQL text on ``store``.

    Parameters are converted by their declared types to RDF terms and bound with a
    ``VALUES`` block at the start of the outermost ``WHERE`` group; an undeclared, missing
    or unconvertible parameter raises :class:`~iei_onto.errors.InputError`.

    Examples
    --------
    >>> from iei_onto.store import MemoryStore
    >>> run_query(MemoryStore(), "ASK { ?s ?p ?o }").rows()
    [(False,)]
    """
    query = resolve(name_or_text)
    bindings = bind_params(query, params or {}, base)
    if bindings and query_form(query.text) not in ("SELECT", "ASK", "CONSTRUCT"):
        raise InputError(f"{query_form(query.text)} queries take no parameters")
    text, rest = narrowed(query, bindings, store)
    return _result(store.query(text, rest), query.name)


# --- documentation --------------------------------------------------------------------------

_INTRO = """\
# The query catalog

Each question below is one SPARQL query in `queries/`, shipped with the package. The
catalog is what the ontology is for: it asks, on a register of partnerships, who gives
which resources to whom, which partnerships are really two-way (integration of production
and education, 产教融合) and which are one-way (school-enterprise cooperation, 校企合作),
where the declared mode differs from the observed one, and what the cooperation yields.

Queries run on the materialized graph: inferred organization sides, flows implied by
activities (`iei:ImpliedFlow`) beside the explicit ones, and the classification of every
partnership (`iei:mode`, `iei:direction`, `iei:pattern`, `iei:mismatch`, `iei:evidence`).
Ids in the results are the table ids, never raw IRIs.

Run one from the command line or from Python; parameters are bound as RDF terms, never
pasted into the query text:

```console
$ iei query --list
$ iei query two_way_partnerships examples/demo --param region=江苏 --format csv
```

```python
import iei_onto as iei
kg = iei.load("examples/demo")
df = kg.query("two_way_partnerships", region="江苏").to_df()
```

Your own `.rq` files take the same header (optional) and run the same way:
`iei query my.rq examples/demo --param year=2023`. Without `# param:` lines every
`--param` binds a plain literal, or an IRI when written `<…>`.

An optional parameter is tested in the query's body, as in
`FILTER(!BOUND(?region) || EXISTS { ?p iei:participant/iei:region ?region })`: right in any
store that binds it with `VALUES`, but the store reads every answer to keep the few that
pass. A header line `# narrow: region — ?p iei:participant/iei:region ?region` makes a given
value narrow the search instead: IEI joins `{ SELECT DISTINCT ?p WHERE { VALUES … ?p
iei:participant/iei:region ?region } }` at the start of the query, so the store begins with
the partnerships of that region, and leaves `?region` unbound in the body, whose `FILTER`
then passes. The same group is joined inside every sub-query that projects `?p` (unless it
has a `LIMIT` or `OFFSET` or is under `GRAPH`), so a sub-query that lists each
partnership's participants lists only those of the region's partnerships. When the pattern
has at most 1,000 answers, IEI asks for them first and writes them into the query as a
`VALUES` block instead, which the store evaluates by lookups. The pattern is then the test,
so it must keep the rows the `FILTER` keeps, and each answer of such a sub-query must bind
`?p`; the query may use the parameter in that `FILTER` only, and the pattern's other
variables must be variables of the query's outermost group (both are checked when the file
is read). On the large register (3.9M triples, on disk), `resource_flows` for one
organization went from 61 s to 6 s this way, and `two_way_partnerships` for one region from
7.6 min to 16 s, then to 4 s with its sub-queries narrowed too; on the national register
(27M triples), `resource_flows` for one organization takes 0.05 s with the `VALUES` block.

This page is generated from the query headers by `iei_onto.queries.catalog_markdown()`.

| query | question | 问题 |
|---|---|---|
"""


def _param_markdown(param: Param) -> str:
    if param.default is not None:
        need = f"default `{param.default}`"
    else:
        need = "optional" if param.optional else "**required**"
    return f"| `{param.name}` | {param.type} | {need} | {param.description} |"


def _query_markdown(query: CatalogQuery) -> list[str]:
    lines = [f"## {query.title} — {query.title_zh}", "", f"`{query.name}`", "",
             f"**Question.** {query.question}", "", f"**问题。** {query.question_zh}", ""]
    if query.params:
        lines += ["| parameter | type | | meaning |", "|---|---|---|---|",
                  *(_param_markdown(p) for p in query.params), ""]
    else:
        lines += ["No parameters.", ""]
    if query.narrowings:
        lines += ["A given " + " or ".join(f"`{name}`" for name in sorted(query.narrowings))
                  + " narrows the search (`# narrow:`).", ""]
    lines += [f"**Columns:** {', '.join(f'`{c}`' for c in query.columns)}", "",
              "<details><summary>SPARQL</summary>", "", "```sparql",
              query.text.rstrip("\n"), "```", "", "</details>", ""]
    return lines


def catalog_markdown() -> str:
    """The catalog as Markdown documentation (``docs/queries.md`` is this text)."""
    queries = catalog()
    lines = [_INTRO.rstrip("\n")]
    lines += [f"| [`{q.name}`](#{_anchor(q)}) | {q.question} | {q.question_zh} |" for q in queries]
    lines.append("")
    for query in queries:
        lines += _query_markdown(query)
    return "\n".join(lines).rstrip("\n") + "\n"


def _anchor(query: CatalogQuery) -> str:
    heading = f"{query.title} — {query.title_zh}".lower()
    kept = "".join(ch for ch in heading if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")
