"""A run's output folder as typed analysis tables, for pandas, R, Polars or SQL.

Eight tables: ``documents`` (one row per document file), its ``sections``, ``citations``,
``refs`` (the document's references: mentions without a number; not "references", which SQL
reserves), ``entities`` and ``tasks``, and the citation graph's ``nodes`` and ``edges``. Every
table has a fixed schema (``SCHEMAS``), so a column keeps its type even when no row has a
value: integers are integers, dates are dates, lists are lists. The rows of a document's parts
carry ``document`` (its output name) and ``ordinal`` (its place in the document's list). File
paths are relative to the folder the inputs were found under (the common folder of the
manifest's and the graph's input paths), never the machine's absolute paths.

``read(OUT)`` gives them all in memory (a notebook's DataFrames); ``write(Run(OUT), DEST, fmt)``
reads, types and writes ``CHUNK`` documents at a time: ``<table>.parquet``, ``<table>.csv``
(lists and structs as JSON text, dates ISO, null an empty cell; ``read_csv`` reads one back
with its types) or one DuckDB database ``vanban.duckdb`` holding every table. Each file is
replaced whole. Document files are not validated again (the run validated what it wrote, and
jsonschema over a corpus takes most of the time): one whose values do not fit their columns
is left out, with the schema's complaint in ``warnings``.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pyarrow as pa

from .atomic import read_json, replaced
from .graph import from_node_link, inputs_folder, label, relative_path
from .models import GRAPH, MANIFEST, SCHEMA_VERSION, Document, document_files, iter_sections
from .validate import load_schema, validate_document

# the run's own files (named in pipeline/batch.py, whose import would load spaCy)
FORMATS = ("parquet", "csv", "duckdb")
DUCKDB_FILE = "vanban.duckdb"

_s, _i32, _i64, _f64, _date = pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.date32()
_strings = pa.list_(_s)

DEADLINE = pa.struct(
    [
        ("text", _s),
        ("start", _i64),
        ("end", _i64),
        ("kind", _s),
        ("year", _i32),
        ("until", _i32),
        ("date", _date),
        ("condition", _s),
    ]
)
MENTION = pa.struct(
    [
        ("section", _s),
        ("start", _i64),
        ("end", _i64),
        ("text", _s),
        ("relation", _s),
        ("date", _date),
        ("sentence", _s),
        # an undated mention placed in a year by its context (pipeline/placement.py)
        ("confidence", _f64),
        ("evidence", _strings),
    ]
)
DATE_SOURCE = pa.struct([("date", _date), ("documents", _strings)])

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("document", _s),  # output name: OUT/<document>.json
            ("node", _s),  # its node in the graph
            ("path", _s),  # the input file, relative to the inputs' folder
            ("format", _s),
            ("sha256", _s),
            ("encoding", _s),
            ("pages", _i32),
            ("ocr_pages", pa.list_(_i32)),
            ("status", _s),  # ok | partial (the manifest's)
            ("doc_type", _s),
            ("symbol", _s),
            ("date", _date),
            ("year", _i32),
            ("place", _s),
            ("issuer", _s),
            ("title", _s),
            ("signer_name", _s),
            ("signer_title", _s),
            ("signer_authority", _s),
            ("recipients", _strings),
            ("sections", _i32),
            ("citations", _i32),
            ("refs", _i32),
            ("entities", _i32),
            ("tasks", _i32),
            ("footnotes", _i32),
            ("chars", _i64),
            ("warnings", _strings),
            ("text", _s),
        ]
    ),
    "sections": pa.schema(
        [
            ("document", _s),
            ("ordinal", _i32),  # document order (depth first)
            ("section", _s),  # its path, "II/1/a", as citations and tasks name it
            ("parent", _s),
            ("label", _s),
            ("title", _s),
            ("level", _i32),
            ("start", _i64),
            ("end", _i64),
        ]
    ),
    "citations": pa.schema(
        [
            ("document", _s),
            ("ordinal", _i32),
            ("target", _s),  # the cited node
            ("symbol", _s),
            ("doc_type", _s),
            ("number", _s),  # as written: an identifier, not a quantity
            ("code", _s),
            ("date", _date),
            ("year", _i32),  # of the date the citation gives
            ("issuer", _s),
            ("term", _s),
            ("subject", _s),
            ("relation", _s),
            ("section", _s),
            ("start", _i64),
            ("end", _i64),
            ("text", _s),
            ("confidence", _f64),
        ]
    ),
    "refs": pa.schema(
        [
            ("document", _s),
            ("ordinal", _i32),
            ("kind", _s),  # alias | short | this | self | named
            ("text", _s),
            ("name", _s),
            ("symbol", _s),
            ("section", _s),
            ("start", _i64),
            ("end", _i64),
        ]
    ),
    "entities": pa.schema(
        [
            ("document", _s),
            ("ordinal", _i32),
            ("label", _s),
            ("text", _s),
            ("expansion", _s),
            ("start", _i64),
            ("end", _i64),
        ]
    ),
    "tasks": pa.schema(
        [
            ("document", _s),
            ("ordinal", _i32),
            ("assignee", _s),
            ("text", _s),
            ("section", _s),
            ("start", _i64),
            ("end", _i64),
            ("deadlines", pa.list_(DEADLINE)),
        ]
    ),
    "nodes": pa.schema(
        [
            ("id", _s),
            ("label", _s),  # as a reader names it: "Nghị quyết 28-NQ/TW (2022)"
            ("symbol", _s),
            ("number", _s),
            ("code", _s),
            ("doc_type", _s),
            ("date", _date),
            ("year", _i32),
            ("dates", pa.list_(_date)),
            ("issuer", _s),
            ("level", _s),  # TW, TU, HU, ĐU or state
            ("title", _s),
            ("subject", _s),
            ("term", _s),
            ("place", _s),
            ("province", _s),  # a local number given in two provinces: whose this node is
            ("in_corpus", pa.bool_()),
            ("mentions", _i32),
            ("cited_by", _i32),
            ("pagerank", _f64),
            ("conflicts", _strings),
            ("date_sources", pa.list_(DATE_SOURCE)),
            ("outputs", _strings),  # its documents (output names)
            ("sources", _strings),  # their input files, relative to the inputs' folder
            ("same_as", _s),
            ("same_as_confidence", _f64),
            ("same_as_evidence", _strings),
            ("described_by", _strings),
        ]
    ),
    "edges": pa.schema(
        [
            ("source", _s),
            ("target", _s),
            ("count", _i32),
            ("relations", _strings),
            ("mentions", pa.list_(MENTION)),
        ]
    ),
}
TABLES = tuple(SCHEMAS)


class NotARunOutput(ValueError):
    """The folder is missing, or holds no run's manifest and graph, or they are unreadable."""


@dataclass
class Tables:
    tables: dict[str, pa.Table]
    root: str | None = None  # the inputs' folder that paths are relative to
    warnings: list[str] = field(default_factory=list)  # document files left out, and why


# documents read, typed and written at a time, so that memory holds a chunk, not the corpus
CHUNK = 200
# what a document file changed by hand can throw at the reading and the typing of its rows
DAMAGE = (TypeError, ValueError, AttributeError, KeyError, OverflowError, pa.ArrowException)
DOCUMENT_TABLES = TABLES[:6]
REQUIRED = set(load_schema()["required"])  # the document file's top-level fields


# --- reading the output folder ------------------------------------------------------------


class Run:
    """An output folder opened for its tables: its manifest and graph read, its document files
    found. ``parts()`` gives the tables a chunk of documents at a time; ``rows`` counts the
    rows given so far and ``warnings`` names the document files left out."""

    def __init__(self, out: Path):
        out = Path(out)
        if not out.is_dir():
            raise NotARunOutput(
                f"{out}: no such folder (make it with 'vanban run INPUT --out {out}')"
            )
        missing = [name for name in (MANIFEST, GRAPH) if not (out / name).is_file()]
        if missing:
            raise NotARunOutput(
                f"{out} is not the output of a run (no {' or '.join(missing)}): "
                f"make it with 'vanban run INPUT --out {out}'"
            )
        manifest = _run_file(out / MANIFEST)
        if not isinstance(manifest, dict) or not isinstance(manifest.get("inputs"), list):
            raise NotARunOutput(f"{out / MANIFEST} is not a run's manifest")
        try:
            self.graph = from_node_link(_run_file(out / GRAPH))
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise NotARunOutput(f"{out / GRAPH} is not a citation graph ({exc})") from None
        self.out = out
        self.entries = {e.get("output"): e for e in manifest["inputs"] if isinstance(e, dict)}
        self.files = document_files(out)
        # every input's path: the manifest's, and the graph's for documents of earlier runs
        paths = [e.get("path") for e in self.entries.values()]
        paths += [p for _, a in self.graph.nodes(data=True) for p in a.get("sources") or ()]
        self.root = inputs_folder(paths)
        self.node_of = {
            name: node
            for node, a in self.graph.nodes(data=True)
            for name in a.get("outputs") or ()
            if name
        }
        self.rows = dict.fromkeys(TABLES, 0)
        self.warnings: list[str] = []

    def parts(self, chunk: int = CHUNK) -> Iterator[dict[str, pa.Table]]:
        """The graph's tables, then the documents' tables ``chunk`` documents at a time."""
        yield self._counted(self._graph_tables())
        for i in range(0, len(self.files), chunk):
            yield self._counted(self._document_tables(self.files[i : i + chunk]))

    def _counted(self, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
        for name, table in tables.items():
            self.rows[name] += table.num_rows
        return tables

    def _graph_tables(self) -> dict[str, pa.Table]:
        g, root = self.graph, self.root
        try:
            return {
                "nodes": pa.Table.from_pylist(
                    [_node_row(n, a, root) for n, a in g.nodes(data=True)], schema=SCHEMAS["nodes"]
                ),
                "edges": pa.Table.from_pylist(
                    [_edge_row(u, v, a) for u, v, a in g.edges(data=True)], schema=SCHEMAS["edges"]
                ),
            }
        except DAMAGE as exc:
            raise NotARunOutput(
                f"{self.out / GRAPH} is not a citation graph of this version ({exc})"
            ) from None

    def _document_tables(self, files: list[Path]) -> dict[str, pa.Table]:
        """The tables of some document files, typed in one go; when a value does not fit its
        column, each document on its own, to leave out the ones that do not fit."""
        rows = {f: r for f in files if (r := self._document_rows(f)) is not None}
        try:
            return {
                t: pa.Table.from_pylist([x for r in rows.values() for x in r[t]], schema=SCHEMAS[t])
                for t in DOCUMENT_TABLES
            }
        except DAMAGE:
            pass
        parts: dict[str, list[pa.Table]] = {t: [SCHEMAS[t].empty_table()] for t in DOCUMENT_TABLES}
        for f, r in rows.items():
            try:
                typed = {t: pa.Table.from_pylist(r[t], schema=SCHEMAS[t]) for t in DOCUMENT_TABLES}
            except DAMAGE as exc:
                self.warnings.append(_damaged(f, exc))
                continue
            for t, table in typed.items():
                parts[t].append(table)
        return {t: pa.concat_tables(parts[t]) for t in DOCUMENT_TABLES}

    def _document_rows(self, f: Path) -> dict[str, list[dict]] | None:
        try:
            data = read_json(f)
        except (OSError, ValueError) as exc:
            self.warnings.append(f"{f}: not readable JSON ({exc}), left out of the tables")
            return None
        if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
            self.warnings.append(
                f"{f}: not a document file of schema version {SCHEMA_VERSION}, "
                "left out of the tables"
            )
            return None
        if not REQUIRED <= data.keys():  # a skeleton, or a file of another kind
            self.warnings.append(_damaged(f, None))
            return None
        name = f.stem
        try:
            doc = Document.from_json(data)
            return _document_rows(
                name, doc, self.node_of.get(name), self.entries.get(name, {}), self.root
            )
        except DAMAGE as exc:
            self.warnings.append(_damaged(f, exc))
            return None


def read(out: Path) -> Tables:
    """Every table of the output folder ``out``, in memory (for a notebook; ``vanban tables``
    writes a chunk at a time). A document file that cannot be read, is not a document of this
    schema version or holds a value that does not fit its column is left out and named in
    ``warnings``."""
    run = Run(out)
    parts = list(run.parts())
    tables = {
        t: pa.concat_tables([SCHEMAS[t].empty_table(), *(p[t] for p in parts if t in p)])
        for t in TABLES
    }
    return Tables(tables, run.root, run.warnings)


def _damaged(f: Path, exc: Exception | None) -> str:
    """The warning for a document file whose values do not fit: the schema's first complaint
    (validation is checked only here: the run validated every file it wrote, and checking
    them all again would take most of the time)."""
    try:
        problems = validate_document(read_json(f))
    except (OSError, ValueError):
        problems = []
    reason = problems[0] if problems else exc or "fields missing"
    return f"{f}: not a valid document file ({reason}), left out of the tables"


def _run_file(path: Path):
    try:
        return read_json(path)
    except (OSError, ValueError) as exc:
        raise NotARunOutput(f"{path} is damaged ({exc}); run 'vanban run' again") from None


def _iso_date(value) -> dt.date | None:
    """A date from its ISO text; anything else (a partial or impossible date) is no date."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _int(value) -> int | None:
    """An integer from a number or its text ("2024"); anything else is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _document_rows(name, doc: Document, node, entry: dict, root) -> dict[str, list[dict]]:
    """The rows of one document in the documents' tables."""
    rows: dict[str, list[dict]] = {t: [] for t in DOCUMENT_TABLES}
    meta, source = doc.metadata, doc.source
    date = _iso_date(meta.date)
    sections = list(iter_sections(doc.sections))
    rows["documents"].append(
        {
            "document": name,
            "node": node,
            "path": relative_path(source.get("path"), root),
            "format": source.get("format"),
            "sha256": source.get("sha256"),
            "encoding": source.get("encoding"),
            "pages": _int(source.get("pages")),
            "ocr_pages": source.get("ocr_pages"),
            "status": entry.get("status"),
            "doc_type": meta.doc_type,
            "symbol": meta.symbol,
            "date": date,
            "year": date.year if date else None,
            "place": meta.place,
            "issuer": meta.issuer,
            "title": meta.title,
            "signer_name": meta.signer.name,
            "signer_title": meta.signer.title,
            "signer_authority": meta.signer.authority,
            "recipients": meta.recipients,
            "sections": len(sections),
            "citations": len(doc.citations),
            "refs": len(doc.references),
            "entities": len(doc.entities),
            "tasks": len(doc.tasks),
            "footnotes": len(doc.footnotes),
            "chars": len(doc.text),
            "warnings": doc.warnings,
            "text": doc.text,
        }
    )

    def walk(children, parent):
        for s in children:
            rows["sections"].append(
                {
                    "document": name,
                    "ordinal": len(rows["sections"]),
                    "section": s.path,
                    "parent": parent,
                    "label": s.label,
                    "title": s.title,
                    "level": s.level,
                    "start": s.start,
                    "end": s.end,
                }
            )
            walk(s.children, s.path)

    walk(doc.sections, None)
    for i, c in enumerate(doc.citations):
        date = _iso_date(c.date)
        rows["citations"].append(
            {
                **vars(c),
                "document": name,
                "ordinal": i,
                "date": date,
                "year": date.year if date else None,
            }
        )
    for i, r in enumerate(doc.references):
        rows["refs"].append({**vars(r), "document": name, "ordinal": i})
    for i, e in enumerate(doc.entities):
        rows["entities"].append({**vars(e), "document": name, "ordinal": i})
    for i, t in enumerate(doc.tasks):
        deadlines = [
            {**vars(d), "date": _iso_date(d.date), "year": _int(d.year), "until": _int(d.until)}
            for d in t.deadlines
        ]
        rows["tasks"].append({**vars(t), "document": name, "ordinal": i, "deadlines": deadlines})
    return rows


def _edge_row(u: str, v: str, a: dict) -> dict:
    return {
        "source": u,
        "target": v,
        "count": a.get("count"),
        "relations": a.get("relations"),
        "mentions": [{**m, "date": _iso_date(m.get("date"))} for m in a.get("mentions") or ()],
    }


def _node_row(node: str, a: dict, root) -> dict:
    date_sources = a.get("date_sources") or {}
    return {
        **a,
        "id": node,
        "label": label(node, a),
        "date": _iso_date(a.get("date")),
        "year": _int(a.get("year")),
        "dates": [_iso_date(d) for d in a.get("dates") or ()],
        "mentions": _int(a.get("mentions")),
        "cited_by": _int(a.get("cited_by")),
        "date_sources": [
            {"date": _iso_date(d), "documents": names} for d, names in date_sources.items()
        ],
        "sources": [relative_path(p, root) for p in a.get("sources") or ()] or None,
    }


# --- writing ------------------------------------------------------------------------------


def write(source: Tables | Run, dest: Path, fmt: str = "parquet") -> list[Path]:
    """Write the tables into the folder ``dest`` as ``fmt``; return the files written. From a
    ``Run``, a chunk of documents at a time; each file replaces the one before whole."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} ({', '.join(FORMATS)})")
    dest = Path(dest)
    dest.mkdir(exist_ok=True)
    parts = [source.tables] if isinstance(source, Tables) else source.parts()
    with ExitStack() as stack:
        if fmt == "duckdb":
            files = [dest / DUCKDB_FILE]
            sink = _DuckDB(stack.enter_context(replaced(files[0])))
            stack.callback(sink.close)  # closed before the file is put in place
        else:
            files = [dest / f"{name}.{fmt}" for name in TABLES]
            sink = _Files([stack.enter_context(replaced(f)) for f in files], fmt)
            stack.callback(sink.close)
        for part in parts:
            for name, table in part.items():
                sink.add(name, table)
    return files


class _Files:
    """One Parquet or CSV file per table, written a part at a time."""

    def __init__(self, paths: list[Path], fmt: str):
        import pyarrow.csv as pcsv
        import pyarrow.parquet as pq

        self.writers, self.json = {}, fmt == "csv"
        for name, path in zip(TABLES, paths):
            if fmt == "parquet":
                self.writers[name] = pq.ParquetWriter(path, SCHEMAS[name])
            else:  # lists and structs as JSON text
                self.writers[name] = pcsv.CSVWriter(path, _json_schema(SCHEMAS[name]))

    def add(self, name: str, table: pa.Table) -> None:
        self.writers[name].write_table(_json_columns(table) if self.json else table)

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()


class _DuckDB:
    """One DuckDB database holding every table, filled a part at a time."""

    def __init__(self, path: Path):
        import duckdb

        self.con = duckdb.connect(str(path))
        for name in TABLES:
            self.add(name, SCHEMAS[name].empty_table(), create=True)

    def add(self, name: str, table: pa.Table, create: bool = False) -> None:
        self.con.register("arrow_part", table)
        if create:
            self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM arrow_part")
        else:
            self.con.execute(f"INSERT INTO {name} SELECT * FROM arrow_part")
        self.con.unregister("arrow_part")

    def close(self) -> None:
        self.con.execute("CHECKPOINT")
        self.con.close()


def _nested(t: pa.DataType) -> bool:
    return pa.types.is_list(t) or pa.types.is_struct(t)


def _json_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema([(f.name, pa.string() if _nested(f.type) else f.type) for f in schema])


def _json_columns(table: pa.Table) -> pa.Table:
    """Lists and structs as JSON text (dates in them ISO), for CSV."""
    for i, f in enumerate(table.schema):
        if _nested(f.type):
            text = [
                None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                for v in table.column(i).to_pylist()
            ]
            table = table.set_column(i, f.name, pa.array(text, pa.string()))
    return table


def read_csv(path: Path, table: str | None = None) -> pa.Table:
    """A table's CSV (from ``write(..., "csv")``) read back with its schema's types: the
    table is named by the file name unless ``table`` is given."""
    import pyarrow.csv as pcsv

    path = Path(path)
    schema = SCHEMAS[table or path.stem]
    options = pcsv.ConvertOptions(
        column_types={f.name: pa.string() if _nested(f.type) else f.type for f in schema},
        strings_can_be_null=True,  # an empty cell is null, a quoted empty one ""
        quoted_strings_can_be_null=False,
    )
    parse = pcsv.ParseOptions(newlines_in_values=True)  # a document's text holds its lines
    # one block: a value (a document's text) may be longer than any block size chosen
    block = pcsv.ReadOptions(block_size=min(max(path.stat().st_size + 1, 1 << 20), 2**31 - 1))
    read = pcsv.read_csv(path, read_options=block, parse_options=parse, convert_options=options)
    for i, f in enumerate(schema):
        if _nested(f.type):
            values = [
                None if v is None else _typed(json.loads(v), f.type)
                for v in read.column(f.name).to_pylist()
            ]
            read = read.set_column(i, f.name, pa.array(values, f.type))
    return read.select(schema.names).cast(schema)


def _typed(value, t: pa.DataType):
    """A JSON value as the Python value Arrow takes for type ``t`` (dates from ISO text)."""
    if value is None:
        return None
    if pa.types.is_list(t):
        return [_typed(v, t.value_type) for v in value]
    if pa.types.is_struct(t):
        return {
            t.field(i).name: _typed(value.get(t.field(i).name), t.field(i).type)
            for i in range(t.num_fields)
        }
    if pa.types.is_date(t):
        return _iso_date(value)
    return value
