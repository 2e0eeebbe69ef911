"""Read partnership registers kept as tables, check every row, and turn good rows into RDF.

A register is a set of tables (PRODUCT.md section 3): a folder of CSV files, an ``.xlsx``
workbook with one sheet per table, or a ``.json`` file. Rows are read lazily, checked in
dependency order (organizations, partnerships, then flows, activities and outcomes), and
every good row becomes N-Triples lines at once, so memory holds only the organizations and
the partnerships' participants, never the whole graph. Every problem is reported; rows with
problems are left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import InputError
from .model import DATA_BASE, IEI_NS, RECORD_KINDS, Term, Vocabulary, record_iri
from .validation import Problem

#: the tables of PRODUCT.md section 3: every column, required ones first-marked with ``*``
TABLES: dict[str, tuple[str, ...]] = {
    "organizations": ("id*", "name*", "name_zh", "type*", "industry", "region"),
    "partnerships": ("id*", "participants*", "name", "start", "end", "declared_mode"),
    "flows": (
        "id*", "partnership*", "provider*", "recipient*", "resource*",
        "amount", "currency", "quantity", "date",
    ),
    "activities": ("id*", "partnership*", "kind*", "start", "end", "participants_count"),
    "outcomes": ("id*", "subject*", "indicator*", "value*", "unit", "year"),
}
REQUIRED_TABLES = ("organizations", "partnerships")
TABLE_FILE_SUFFIXES = (".csv", ".xlsx", ".json")
#: a loader's progress callback hears of rows read in steps of this many (and the rest of each
#: table at its end): a progress display's update costs microseconds, a national register has
#: 3.6M rows
PROGRESS_EVERY = 1000

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_IDENTIFIER = "<http://purl.org/dc/terms/identifier>"


def required(table: str) -> list[str]:
    """The required columns of a table."""
    return [c[:-1] for c in TABLES[table] if c.endswith("*")]


def columns(table: str) -> list[str]:
    """All columns of a table."""
    return [c.rstrip("*") for c in TABLES[table]]


# --- reading -----------------------------------------------------------------------------


class Row:
    """One row of a table: where it came from and its cells as stripped text."""

    __slots__ = ("cells", "file", "row")

    def __init__(self, file: str, row: int, cells: dict[str, str]) -> None:
        self.file = file
        self.row = row
        self.cells = {k: v.strip() for k, v in cells.items() if v}

    def get(self, column: str) -> str:
        """The cell's text, stripped ('' when empty or missing)."""
        return self.cells.get(column, "")


@dataclass
class TableSource:
    """Where the rows of one table come from (a CSV file, a sheet, a JSON list)."""

    file: str
    table: str
    header: list[str]
    rows: Callable[[], Iterator[Row]]


def read_text(path: Path) -> str:
    """Decode a CSV file: UTF-8 (with or without BOM), else GB18030/GBK as Chinese Excel writes."""
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(
            f"{path}: cannot tell the text encoding; save the file as 'CSV UTF-8' and try again"
        )
    return str(best)


def _csv_source(path: Path, table: str) -> TableSource:
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]

    def rows() -> Iterator[Row]:
        body = csv.reader(io.StringIO(text, newline=""))
        next(body, None)
        for number, values in enumerate(body, start=2):
            if not any(v.strip() for v in values):
                continue
            yield Row(str(path), number, dict(zip(header, values, strict=False)))

    return TableSource(str(path), table, header, rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ";".join(_cell_text(v) for v in value)
    return str(value)


def _xlsx_sources(path: Path) -> list[TableSource]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    sources = []
    for sheet in workbook.worksheets:
        table = sheet.title.strip().lower()
        if table not in TABLES:
            continue
        first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        header = [_cell_text(h).strip().lower() for h in first]

        def rows(sheet=sheet, header=header) -> Iterator[Row]:
            for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
                cells = [_cell_text(v) for v in values]
                if any(c.strip() for c in cells):
                    yield Row(str(path), number, dict(zip(header, cells, strict=False)))

        sources.append(TableSource(str(path), table, header, rows))
    return sources


def _json_sources(path: Path) -> list[TableSource]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise InputError(f'{path}: expected an object like {{"organizations": [...], ...}}')
    sources = []
    for key, records in data.items():
        table = key.strip().lower()
        if table not in TABLES:
            continue
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise InputError(f"{path}: {key!r} must be a list of objects")
        header = sorted({k.strip().lower() for r in records for k in r})

        def rows(records=records) -> Iterator[Row]:
            for number, record in enumerate(records, start=1):
                cells = {k.strip().lower(): _cell_text(v) for k, v in record.items()}
                yield Row(str(path), number, cells)

        sources.append(TableSource(str(path), table, header, rows))
    return sources


def table_sources(path: Path) -> list[TableSource]:
    """The tables in a CSV file (named after its table), a workbook or a JSON file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = path.stem.strip().lower()
        return [_csv_source(path, table)] if table in TABLES else []
    if suffix == ".xlsx":
        return _xlsx_sources(path)
    if suffix == ".json":
        return _json_sources(path)
    raise InputError(f"{path}: not a table file (use .csv, .xlsx or .json)")


# --- values ------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})-(\d{2}))?$")


def parse_decimal(text: str) -> Decimal | None:
    """A decimal number; ``1,200,000.50`` is accepted. None when it does not parse."""
    cleaned = text.replace(" ", "")
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass(frozen=True)
class DateValue:
    """An ISO date (``YYYY-MM-DD``) or a year (``YYYY``), with the first and last day it covers."""

    text: str
    first: dt.date
    last: dt.date

    @property
    def datatype(self) -> str:
        """``xsd:date`` or ``xsd:gYear``."""
        return _XSD + ("date" if len(self.text) > 4 else "gYear")


def parse_date(text: str) -> DateValue | None:
    """Parse ``YYYY-MM-DD`` or ``YYYY``; None when it is neither."""
    match = _DATE.match(text)
    if not match:
        return None
    year = int(match.group(1))
    if match.group(2) is None:
        return DateValue(text, dt.date(year, 1, 1), dt.date(year, 12, 31))
    try:
        day = dt.date(year, int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return DateValue(text, day, day)


def split_ids(text: str) -> list[str]:
    """Split a list of ids on ``;`` (full-width ``；`` too), dropping blanks and repeats."""
    seen: dict[str, None] = {}
    for part in re.split(r"[;；]", text):
        if part.strip():
            seen.setdefault(part.strip(), None)
    return list(seen)


# --- N-Triples writing -------------------------------------------------------------------


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _lit(text: str, datatype: str | None = None, language: str | None = None) -> str:
    """An N-Triples literal (escaped as the N-Triples grammar requires)."""
    quoted = '"' + text.translate(_ESCAPES) + '"'
    if language:
        return f"{quoted}@{language}"
    if datatype:
        return f"{quoted}^^<{datatype}>"
    return quoted


def _iei(local: str) -> str:
    return f"<{IEI_NS}{local}>"


# --- checking ----------------------------------------------------------------------------


@dataclass
class _Org:
    iri: str
    side: str


@dataclass
class TableLoader:
    """Checks the rows of a register and writes the good ones as N-Triples.

    Use :meth:`run` with the table sources and a ``sink`` that receives N-Triples text in
    batches; problems are collected in :attr:`problems`, counts in :attr:`counts`.
    """

    vocabulary: Vocabulary
    base: str = DATA_BASE
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    _orgs: dict[str, str] = field(default_factory=dict)
    _partnerships: dict[str, frozenset[str]] = field(default_factory=dict)
    _left_out: dict[str, set[str]] = field(default_factory=dict)
    _seen: dict[str, set[str]] = field(default_factory=dict)

    def iri(self, table: str, record_id: str) -> str:
        """The IRI (in N-Triples form) of a record of ``table``."""
        return str(record_iri(RECORD_KINDS[table], record_id, self.base))

    def run(
        self,
        sources: Iterable[TableSource],
        sink: Callable[[str], None],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Check every table in dependency order and send the good rows to ``sink``."""
        by_table: dict[str, list[TableSource]] = {t: [] for t in TABLES}
        for source in sources:
            by_table[source.table].append(source)
        for table in REQUIRED_TABLES:
            if not by_table[table]:
                self._problem("", table, None, None, None,
                              f"the required table '{table}' is missing: add a sheet or a "
                              f"{table}.csv file with the columns {', '.join(columns(table))}")
        for table, check in (
            ("organizations", self._organization),
            ("partnerships", self._partnership),
            ("flows", self._flow),
            ("activities", self._activity),
            ("outcomes", self._outcome),
        ):
            self._run_table(table, by_table[table], check, sink, progress)

    def run_one(self, source: TableSource, sink: Callable[[str], None]) -> None:
        """Check the rows of one more table source (used to add records in code)."""
        check = getattr(self, "_" + RECORD_KINDS[source.table])
        self._run_table(source.table, [source], check, sink, None, count=False)

    def remember_organization(self, record_id: str, iri: str) -> None:
        """Know an organization that is already in the store (``iri`` in N-Triples form)."""
        self._orgs[record_id] = iri
        self._seen.setdefault("organizations", set()).add(record_id)

    def remember_partnership(self, record_id: str, participants: Iterable[str]) -> None:
        """Know a partnership that is already in the store."""
        self._partnerships[record_id] = frozenset(participants)
        self._seen.setdefault("partnerships", set()).add(record_id)

    def forget(self, table: str, record_id: str) -> None:
        """Forget a rejected record, so its id can be used again (when adding in code)."""
        self._seen.get(table, set()).discard(record_id)
        self._left_out.get(table, set()).discard(record_id)

    def _run_table(self, table, sources, check, sink, progress, count: bool = True) -> None:
        read = kept = 0
        seen = self._seen.setdefault(table, set())
        left_out = self._left_out.setdefault(table, set())
        batch: list[str] = []
        for source in sources:
            missing = [c for c in required(table) if c not in source.header]
            if missing:
                self._problem(source.file, table, 1, ", ".join(missing), None,
                              f"the required column{'s' * (len(missing) > 1)} "
                              f"{', '.join(missing)} {'are' if len(missing) > 1 else 'is'} missing "
                              f"from the header row: add {'them' if len(missing) > 1 else 'it'}")
                left_out.add("*")
                continue
            for row in source.rows():
                read += 1
                if progress and read % PROGRESS_EVERY == 0:
                    progress(PROGRESS_EVERY)
                lines = self._check_row(table, row, seen, check)
                if lines is None:
                    left_out.add(row.get("id"))
                    continue
                kept += 1
                batch.extend(lines)
                if len(batch) >= 200_000:
                    sink("".join(batch))
                    batch.clear()
        if count and table in REQUIRED_TABLES and sources and read == 0 and "*" not in left_out:
            self._problem(sources[0].file, table, None, None, None,
                          f"the table '{table}' has no rows: add at least one record")
        if batch:
            sink("".join(batch))
        if progress and read % PROGRESS_EVERY:
            progress(read % PROGRESS_EVERY)
        if count:
            self.counts[table] = {"read": read, "kept": kept}

    def _check_row(self, table, row: Row, seen: set[str], check) -> list[str] | None:
        errors: list[tuple[str | None, str]] = []
        for column in required(table):
            if not row.get(column):
                errors.append((column, f"the required value '{column}' is empty: fill it in"))
        record_id = row.get("id")
        if record_id:
            if record_id in seen:
                errors.append(("id", f"the id '{record_id}' is used twice in {table}: "
                                     "give each row its own id"))
            seen.add(record_id)
        lines = check(row, errors) if not errors else None
        for column, message in errors:
            self._problem(row.file, table, row.row, column, record_id or None, message)
        return None if errors else lines

    def _problem(self, file, table, row, column, record_id, message) -> None:
        self.problems.append(Problem(file, table, row, column, record_id, message))

    # --- one method per table; each appends (column, message) to errors or returns lines ---

    def _code(self, kind: str, row: Row, column: str, errors) -> Term | None:
        text = row.get(column)
        if not text:
            return None
        term = self.vocabulary.lookup(kind, text)
        if term is None:
            allowed = ", ".join(self.vocabulary.codes(kind))
            errors.append((column, f"'{text}' is not a known {column}: use one of {allowed} "
                                   "(or their Chinese or English labels)"))
            return None
        return term

    def _date(self, row: Row, column: str, errors) -> DateValue | None:
        text = row.get(column)
        if not text:
            return None
        value = parse_date(text)
        if value is None:
            errors.append((column, f"'{text}' is not a date: write YYYY-MM-DD (e.g. 2024-09-01) "
                                   "or a year YYYY"))
        return value

    def _number(self, row: Row, column: str, errors, *, non_negative: bool) -> Decimal | None:
        text = row.get(column)
        if not text:
            return None
        value = parse_decimal(text)
        if value is None:
            errors.append((column, f"'{text}' is not a number: write digits with an optional "
                                   "decimal point, e.g. 1200000.50"))
        elif non_negative and value < 0:
            errors.append((column, f"{text} is negative: {column} cannot be below 0"))
            return None
        return value

    def _period(self, row: Row, errors) -> list[str]:
        start, end = self._date(row, "start", errors), self._date(row, "end", errors)
        if start and end and end.last < start.first:
            errors.append(("end", f"the end {end.text} is before the start {start.text}: "
                                  "swap them or correct one"))
        out = []
        if start:
            out.append(f" {_iei('startDate')} {_lit(start.text, start.datatype)}")
        if end:
            out.append(f" {_iei('endDate')} {_lit(end.text, end.datatype)}")
        return out

    def _reference(self, table: str, row: Row, column: str, target: str, known, errors) -> bool:
        value = row.get(column)
        if not value or value in known:
            return bool(value)
        noun = RECORD_KINDS[target]
        if value in self._left_out.get(target, ()):
            errors.append((column, f"refers to {noun} '{value}', which has problems of its own "
                                   "(listed above): fix that row first"))
        elif "*" not in self._left_out.get(target, ()):
            errors.append((column, f"refers to {noun} '{value}', which does not exist: check "
                                   f"the id or add it to the {target} table"))
        else:
            errors.append((column, f"refers to {noun} '{value}', but the {target} table "
                                   "could not be read"))
        return False

    def _organization(self, row: Row, errors) -> list[str] | None:
        org_type = self._code("organization_type", row, "type", errors)
        if errors:
            return None
        s = self.iri("organizations", row.get("id"))
        self._orgs[row.get("id")] = s
        lines = [
            f"{s} {_RDF_TYPE} <{org_type.iri}> .\n",
            f"{s} {_IDENTIFIER} {_lit(row.get('id'))} .\n",
            f"{s} {_RDFS_LABEL} {_lit(row.get('name'))} .\n",
        ]
        if row.get("name_zh"):
            lines.append(f"{s} {_RDFS_LABEL} {_lit(row.get('name_zh'), language='zh')} .\n")
        for column in ("industry", "region"):
            if row.get(column):
                lines.append(f"{s} {_iei(column)} {_lit(row.get(column))} .\n")
        return lines

    def _partnership(self, row: Row, errors) -> list[str] | None:
        participants = split_ids(row.get("participants"))
        for pid in participants:
            self._reference("partnerships", Row(row.file, row.row, {"participants": pid}),
                            "participants", "organizations", self._orgs, errors)
        if len(participants) < 2:
            errors.append(("participants", f"a partnership needs at least two participants, "
                                           f"found {len(participants)}: list their ids separated "
                                           "by ';'"))
        mode = self._code("mode", row, "declared_mode", errors)
        if mode and mode.code == "none":
            errors.append(("declared_mode", "declared_mode is two_way, unilateral or empty"))
        period = self._period(row, errors)
        if errors:
            return None
        s = self.iri("partnerships", row.get("id"))
        self._partnerships[row.get("id")] = frozenset(participants)
        body = [f" {_RDF_TYPE} {_iei('Partnership')}", f" {_IDENTIFIER} {_lit(row.get('id'))}"]
        body += [f" {_iei('participant')} {self._orgs[p]}" for p in participants]
        if row.get("name"):
            body.append(f" {_RDFS_LABEL} {_lit(row.get('name'))}")
        if mode:
            body.append(f" {_iei('declaredMode')} <{mode.iri}>")
        body += period
        return [f"{s}{b} .\n" for b in body]

    def _flow(self, row: Row, errors) -> list[str] | None:
        pid = row.get("partnership")
        has_p = self._reference("flows", row, "partnership", "partnerships",
                                self._partnerships, errors)
        ends = {}
        for column in ("provider", "recipient"):
            if self._reference("flows", row, column, "organizations", self._orgs, errors):
                ends[column] = row.get(column)
                if has_p and row.get(column) not in self._partnerships[pid]:
                    errors.append((column, f"the {column} '{row.get(column)}' is not a "
                                           f"participant of partnership '{pid}': add it to the "
                                           "partnership's participants or correct the id"))
        if ends.get("provider") and ends.get("provider") == ends.get("recipient"):
            errors.append(("recipient", "the provider and the recipient are the same "
                                        "organization: a flow goes from one to another"))
        resource = self._code("resource", row, "resource", errors)
        amount = self._number(row, "amount", errors, non_negative=True)
        quantity = self._number(row, "quantity", errors, non_negative=True)
        date = self._date(row, "date", errors)
        if errors:
            return None
        s = self.iri("flows", row.get("id"))
        body = [
            f" {_RDF_TYPE} {_iei('ResourceFlow')}",
            f" {_IDENTIFIER} {_lit(row.get('id'))}",
            f" {_iei('flowOf')} {self.iri('partnerships', pid)}",
            f" {_iei('provider')} {self._orgs[ends['provider']]}",
            f" {_iei('recipient')} {self._orgs[ends['recipient']]}",
            f" {_iei('resource')} <{resource.iri}>",
        ]
        if amount is not None:
            body.append(f" {_iei('amount')} {_lit(_decimal_text(amount), _XSD + 'decimal')}")
            currency = (row.get("currency") or "CNY").upper()
            body.append(f" {_iei('currency')} {_lit(currency)}")
        if quantity is not None:
            body.append(f" {_iei('quantity')} {_lit(_decimal_text(quantity), _XSD + 'decimal')}")
        if date:
            body.append(f" {_iei('date')} {_lit(date.text, date.datatype)}")
        return [f"{s}{b} .\n" for b in body]

    def _activity(self, row: Row, errors) -> list[str] | None:
        pid = row.get("partnership")
        self._reference("activities", row, "partnership", "partnerships",
                        self._partnerships, errors)
        kind = self._code("activity_kind", row, "kind", errors)
        period = self._period(row, errors)
        count = self._number(row, "participants_count", errors, non_negative=True)
        if count is not None and count != count.to_integral_value():
            errors.append(("participants_count", f"{row.get('participants_count')} is not a "
                                                 "whole number of people"))
        if errors:
            return None
        s = self.iri("activities", row.get("id"))
        body = [
            f" {_RDF_TYPE} {_iei('Activity')}",
            f" {_IDENTIFIER} {_lit(row.get('id'))}",
            f" {_iei('activityOf')} {self.iri('partnerships', pid)}",
            f" {_iei('activityKind')} <{kind.iri}>",
            *period,
        ]
        if count is not None:
            body.append(f" {_iei('participantsCount')} {_lit(str(int(count)), _XSD + 'integer')}")
        return [f"{s}{b} .\n" for b in body]

    def _outcome(self, row: Row, errors) -> list[str] | None:
        subject_id = row.get("subject")
        subject = self._orgs.get(subject_id)
        if subject is None and subject_id in self._partnerships:
            subject = self.iri("partnerships", subject_id)
        if subject is None and subject_id:
            errors.append(("subject", f"refers to '{subject_id}', which is neither an "
                                      "organization nor a partnership id (or that row has "
                                      "problems of its own)"))
        indicator = self._code("indicator", row, "indicator", errors)
        value = self._number(row, "value", errors, non_negative=False)
        if indicator and value is not None:
            code = indicator.code
            bounds = self.vocabulary.indicator_ranges.get(code)
            if bounds and ((bounds.minimum is not None and value < bounds.minimum)
                           or (bounds.maximum is not None and value > bounds.maximum)):
                unit = f" {bounds.unit}" if bounds.unit else ""
                errors.append(("value", f"{row.get('value')} is outside the range of {code} "
                                        f"({bounds.minimum}–{bounds.maximum}{unit})"))
        year = row.get("year")
        if year and not re.fullmatch(r"\d{4}", year):
            errors.append(("year", f"'{year}' is not a year: write four digits, e.g. 2024"))
        if errors:
            return None
        s = self.iri("outcomes", row.get("id"))
        body = [
            f" {_RDF_TYPE} {_iei('Outcome')}",
            f" {_IDENTIFIER} {_lit(row.get('id'))}",
            f" {_iei('subject')} {subject}",
            f" {_iei('indicator')} <{indicator.iri}>",
            f" {_iei('value')} {_lit(_decimal_text(value), _XSD + 'decimal')}",
        ]
        if row.get("unit"):
            body.append(f" {_iei('unit')} {_lit(row.get('unit'))}")
        if year:
            body.append(f" {_iei('year')} {_lit(year, _XSD + 'gYear')}")
        return [f"{s}{b} .\n" for b in body]


def _decimal_text(value: Decimal) -> str:
    """Canonical xsd:decimal text: no exponent, no trailing zeros beyond one decimal."""
    text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"
