"""The ``vanban`` command line: ``run`` a batch, ``eval`` against gold, ask the ``graph``, write
``tables`` for analysis."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__


class CliError(Exception):
    """A mistake in what the command was asked: one line on stderr and exit ``code``, no
    traceback."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def _check_run_paths(inputs: list[str], out: Path) -> None:
    """Refuse before anything is written: a typo in an input would otherwise leave an empty
    output folder behind. A broken link is the batch's to report, as a failed input."""
    missing = [p for p in inputs if not os.path.lexists(p)]
    if missing:
        raise CliError(f"no such file or folder: {', '.join(missing)}")
    if out.exists() and not out.is_dir():
        raise CliError(f"--out {out} is a file; name a folder (it is created if missing)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None


def _cmd_run(args) -> int:
    from .atomic import WriteFailed
    from .batch import Limits, OutputBusy, run_batch
    from .progress import Progress

    if args.executor == "dask" and not args.scheduler:
        raise CliError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    _check_run_paths(args.inputs, Path(args.out))
    progress = Progress(quiet=args.quiet, verbose=args.verbose)
    try:
        result = run_batch(
            [Path(p) for p in args.inputs],
            Path(args.out),
            jobs=args.jobs,
            force=args.force,
            cache_dir=Path(args.cache) if args.cache else None,
            limits=Limits(timeout=args.timeout, max_memory=args.max_memory),
            executor=args.executor,
            scheduler=args.scheduler,
            on_start=progress.start,
            on_done=progress.done,
            on_pages=progress.pages_done if progress.bars else None,
        )
    except OutputBusy as exc:
        progress.close()
        print(f"vanban: {exc}", file=sys.stderr)
        return 2
    except WriteFailed as exc:
        progress.close()
        print(
            f"vanban: {exc.strerror}. Nothing already written was lost: every output file is "
            "replaced whole or not at all, and the manifest lists what is done. Free the space "
            "(or fix the folder) and run the same command again to finish the rest.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        progress.close()
        print(
            f"interrupted: the documents done so far are in {args.out} and its manifest; "
            "run the same command again to finish the rest",
            file=sys.stderr,
        )
        return 130
    except OSError as exc:  # the output folder not writable (its lock file), and the like
        progress.close()
        print(f"vanban: {exc}", file=sys.stderr)
        return 1
    finally:
        progress.close()
    entries = result.entries
    count = {s: sum(e.status == s for e in entries) for s in ("ok", "partial", "failed", "skipped")}
    rows = [
        ("documents", len(entries)),
        (
            "ok / partial / failed / skipped",
            f"{count['ok']} / {count['partial']} / {count['failed']} / {count['skipped']}",
        ),
        ("reused unchanged", sum(e.reused for e in entries)),
        ("pages", sum(e.pages for e in entries)),
        ("pages OCR'd", sum(len(e.ocr_pages) for e in entries)),
        ("citations", sum(e.citations for e in entries)),
        ("sections", sum(e.sections for e in entries)),
        ("graph nodes / edges", f"{result.graph_nodes} / {result.graph_edges}"),
        ("time", f"{result.seconds:.1f} s"),
    ]
    width = max(len(k) for k, _ in rows)
    print("\n".join(f"{k:<{width}}  {v}" for k, v in rows))
    for e in entries:
        if e.status == "failed":
            print(f"FAILED {e.path} ({e.stage}): {e.error}")
    for w in result.warnings:
        print(f"WARNING {w}")
    print(f"outputs: {Path(args.out).resolve()}")
    return 1 if count["failed"] else 0


def _cmd_eval(args) -> int:
    from .evaluate import GoldError, evaluate, format_report

    if not Path(args.gold).is_dir():
        raise CliError(f"--gold {args.gold}: no such folder")
    if not Path(args.out).is_dir():
        raise CliError(f"{args.out}: no such folder (name the --out folder of a run)")
    try:
        result = evaluate(Path(args.gold), Path(args.out))
    except GoldError as exc:
        raise CliError(str(exc)) from None
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else format_report(result))
    return 0


# the columns of a question's rows that hold node ids, one or a list joined by ", "
NODE_COLUMNS = ("of", "id", "parent")
NODE_LIST_COLUMNS = ("also_cites", "same_as")


def _names(column: list[str], joined: bool) -> list[str]:
    """A table's node ids as the names that select each alone (``query.name_of``): the
    undated node "101-QĐ/TW" is shown "101-QĐ/TW@undated", as the bare symbol, typed back,
    means every year of it."""
    from .query import name_of

    if not joined:
        return [name_of(v) if v else v for v in column]
    return [", ".join(map(name_of, v.split(", "))) if v else v for v in column]


def _print_rows(rows, as_json: bool, tree: bool = False) -> None:
    """The rows of a question (a list of dicts, or a ``query.Table`` of their columns): as
    JSON (node ids as they are: data, to be joined on), a row a line, or as a table to read,
    where a node is shown by the name that selects it (``_names``), and a ``tree`` (the
    chain) indents each id by its depth."""
    if isinstance(rows, list):
        if as_json:  # a row a line, each through json's C encoder
            encode = json.JSONEncoder(ensure_ascii=False).encode
            sys.stdout.write("[\n" + ",\n".join(map(encode, rows)) + "\n]\n" if rows else "[]\n")
            return
        keys = list(rows[0]) if rows else []
        columns = [[r.get(k) for r in rows] for k in keys]
    else:  # a query.Table
        keys, columns = rows.keys, rows.columns
    count = len(columns[0]) if columns else 0
    if as_json:
        text = ",\n".join(_json_rows(keys, columns))
        sys.stdout.write("[\n" + text + "\n]\n" if count else "[]\n")
        return
    if not count:
        print("(nothing)")
        return
    # column by column, which is quicker than row by row: cells as text, at most 60 wide
    cells = [["" if v is None else v if v.__class__ is str else str(v) for v in c] for c in columns]
    for i, k in enumerate(keys):
        if k in NODE_COLUMNS or k in NODE_LIST_COLUMNS:
            cells[i] = _names(cells[i], k in NODE_LIST_COLUMNS)
    if tree:  # the tree shows in the table as indentation
        at = keys.index("id")
        depths = columns[keys.index("depth")]
        cells[at] = ["  " * d + v for d, v in zip(depths, cells[at])]
    widths = [min(60, max(len(k), *map(len, col))) for k, col in zip(keys, cells)]
    line = "  ".join(f"{{:<{w}.{w}}}" for w in widths).format  # each cell cut and padded
    sys.stdout.write("\n".join([line(*keys), *(line(*row) for row in zip(*cells))]) + "\n")


def _json_rows(keys: list[str], columns: list[list]):
    """Each row as json.dumps(row, ensure_ascii=False) writes it, made from the columns: each
    text or number encoded once per distinct value (types, levels, issuers repeat), then set
    into the row's template (the chain's 56,000 rows: 0.33 s, against 0.40 s a dict each)."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    once = (str, int, bool, type(None))  # (a float is not: 0.0 == -0.0, written apart)
    encoded = []
    for column in columns:
        seen: dict = {}
        values = []
        for v in column:
            if v.__class__ not in once:
                values.append(encode(v))
                continue
            key = v.__class__, v  # (1 and True are equal: kept apart by their class)
            text = seen.get(key)
            if text is None:
                text = seen[key] = encode(v)
            values.append(text)
        encoded.append(values)
    template = "{" + ", ".join(encode(k).replace("%", "%%") + ": %s" for k in keys) + "}"
    return (template % row for row in zip(*encoded))


def _load_graph(out: Path, questions: bool = False):
    """The graph of a run's output folder, or a CliError saying why there is none. For
    ``questions``, its index (``graphindex``: no graph.json parsed unless the index is
    missing, stale or damaged)."""
    from . import graphindex, query
    from .models import GRAPH

    if not out.is_dir():
        raise CliError(f"{out}: no such folder (name the --out folder of a run)")
    if not (out / GRAPH).is_file():
        raise CliError(f"{out} has no graph.json: not the output folder of a finished vanban run")
    try:
        return graphindex.load(out, _warn) if questions else query.load(out)
    except Exception as exc:  # damaged or not this program's: JSON, keys, networkx all may object
        raise CliError(
            f"{out / 'graph.json'} could not be read ({type(exc).__name__}: {exc}); "
            f"run vanban run into {out} again to rebuild it",
            code=1,
        ) from None


def _warn(message: str) -> None:
    print(f"vanban: {message}", file=sys.stderr)


def _cmd_graph(args) -> int:
    from . import graphindex, query
    from .memory import collector_paused

    out = Path(args.out)
    g = _load_graph(out, questions=args.question != "export")
    node = args.document
    if args.question in ("cited-by", "cites", "chain", "co-cited") and not node:
        print(f"name a document: vanban graph OUT {args.question} 28-NQ/TW", file=sys.stderr)
        return 2

    def answer(g) -> int:
        if args.question == "export":
            return _answer_graph(g, args, node)
        # the collector off while the answer is made: a question is a short process, and the
        # collector's passes over 50,000 new rows are most of a tenth of a second; the answer
        # as columns, printed from them (no dict made per row and read back)
        with collector_paused(), query.answers_in_columns():
            return _answer_graph(g, args, node)

    try:  # a name matching nothing, or several where one is asked: one line, exit 1
        try:
            return answer(g)
        except graphindex.Damaged as exc:  # a part of the index read by this question only
            _warn(f"WARNING the index of the graph is damaged ({exc}); rebuilding it")
            return answer(graphindex.rebuild(out, _warn))
    except (query.NotFound, query.Ambiguous) as e:
        print(e, file=sys.stderr)
        return 1


def _answer_graph(g, args, node) -> int:
    from . import query

    if args.question in ("cited-by", "cites"):
        rows = (
            query.cited_by(g, node, top=args.n)
            if args.question == "cited-by"
            else query.cites(g, node, args.depth)
        )
        _print_rows(rows, args.json)
    elif args.question == "chain":
        rows = query.chain(g, node, depth=args.depth if args.depth_given else None, top=args.n)
        _print_rows(rows, args.json, tree=True)
    elif args.question == "co-cited":
        _print_rows(query.co_cited(g, node, top=args.n or 20), args.json)
    elif args.question == "timeline":
        _print_rows(
            query.timeline(
                g,
                node,
                start=args.since,
                end=args.until,
                level=args.level,
                doc_type=args.type,
                top=args.n,
            ),
            args.json,
        )
    elif args.question == "top":
        _print_rows(
            query.most_cited(
                g,
                top=args.n or 20,
                level=args.level,
                doc_type=args.type,
                year=args.year,
                issuer=args.issuer,
            ),
            args.json,
        )
    elif args.question == "missing":
        _print_rows(query.missing(g, top=args.n), args.json)
    elif args.question == "conflicts":
        _print_rows(query.conflicts(g, top=args.n), args.json)
    elif args.question == "export":
        from . import exports  # networkx and the writers: not for the questions

        if not args.dest:
            print(
                "name a destination: vanban graph OUT export --format graphml --dest graph.graphml",
                file=sys.stderr,
            )
            return 2
        dest = Path(args.dest)
        if not dest.parent.is_dir():
            raise CliError(f"--dest {dest}: the folder {dest.parent} does not exist")
        writes_folder = args.format in ("csv", "neo4j")
        if dest.exists() and dest.is_dir() != writes_folder:
            raise CliError(
                f"--dest {dest} is a {'file' if writes_folder else 'folder'}; "
                f"{args.format} writes a {'folder' if writes_folder else 'file'}"
            )
        try:
            written = exports.export(g, args.format, dest, max_nodes=args.max_nodes)
        except OSError as exc:  # a folder where a file goes, a file where a folder goes, no space
            raise CliError(f"cannot write --dest {dest}: {exc.strerror or exc}", code=1) from None
        for f in written:
            print(f)
    return 0


def _level(value: str) -> str:
    """A level as the graph spells it ("tw" -> "TW"), or the valid ones listed."""
    from .symbols import LEVELS

    for level in LEVELS:
        if value.casefold() == level.casefold():
            return level
    raise argparse.ArgumentTypeError(f"invalid level {value!r}: one of {', '.join(LEVELS)}")


def _date(value: str) -> str:
    """An ISO date (2022-11-17), month (2022-11) or year (2022), as the graph compares them."""
    import datetime

    parts = value.split("-")
    try:
        if len(parts) == 1 and len(value) == 4 and value.isdigit():
            return value
        if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
            datetime.date(int(parts[0]), int(parts[1]), 1)
            return value
        if len(parts) == 3:
            return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(
        f"invalid date {value!r}: a year (2022), a month (2022-11) or an ISO date (2022-11-17)"
    )


def _year(value: str) -> str:
    if len(value) == 4 and value.isdigit():
        return value
    raise argparse.ArgumentTypeError(f"invalid year {value!r}: four digits, e.g. 2022")


def _at_least(low: int, kind=int):
    """An int (or float) option that may not go below ``low``."""

    def parse(value: str):
        try:
            number = kind(value)
        except ValueError:
            number = None
        if number is None or number < low:
            raise argparse.ArgumentTypeError(f"invalid value {value!r}: a number, {low} or more")
        return number

    return parse


def _cmd_tables(args) -> int:
    from .atomic import WriteFailed
    from .tables import NotARunOutput, Run, write

    dest = Path(args.dest)
    if dest.exists() and not dest.is_dir():
        print(f"vanban: --dest {dest} is a file; name a folder for the tables", file=sys.stderr)
        return 2
    if not dest.exists() and not dest.parent.is_dir():
        print(f"vanban: --dest {dest}: the folder {dest.parent} does not exist", file=sys.stderr)
        return 2
    try:
        run = Run(Path(args.out))
        files = write(run, dest, args.format)
    except NotARunOutput as exc:
        print(f"vanban: {exc}", file=sys.stderr)
        return 2
    except WriteFailed as exc:  # the disk full: each table there before is kept whole
        print(f"vanban: {exc.strerror}", file=sys.stderr)
        return 1
    except OSError as exc:  # the folder could not be made
        print(f"vanban: could not make {dest}: {exc.strerror}", file=sys.stderr)
        return 1
    for name, rows in run.rows.items():
        print(f"{name:<10} {rows:>7} rows")
    for f in files:
        print(f)
    for w in run.warnings:
        print(f"WARNING {w}", file=sys.stderr)
    return 1 if run.warnings else 0


def _cmd_view(args) -> int:
    from .atomic import WriteFailed
    from .docview import ViewError, write_view

    try:
        view = write_view(
            Path(args.out), Path(args.dest) if args.dest else None, max_nodes=args.max_nodes
        )
    except ViewError as exc:
        print(f"vanban: {exc}", file=sys.stderr)
        return 2
    except WriteFailed as exc:
        print(f"vanban: {exc.strerror}", file=sys.stderr)
        return 1
    for w in view.warnings:
        print(f"WARNING {w}")
    if view.removed:
        n = len(view.removed)
        print(f"removed {n} old page{'s' if n != 1 else ''} of documents no longer shown")
    print(f"{len(view.pages)} document pages; open {view.index.resolve()}")
    return 0


class _DepthAction(argparse.Action):
    """--depth, remembering it was given (chain has no depth limit unless asked)."""

    def __call__(self, parser, namespace, values, option_string=None):
        namespace.depth, namespace.depth_given = values, True


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vanban", description="Vietnamese directives to structured JSON and a citation graph."
    )
    parser.add_argument("--version", action="version", version=f"vanban {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="process files and folders into OUT "
        "(one JSON per document, graph.json, manifest.json)",
    )
    run.add_argument(
        "inputs",
        nargs="+",
        help="files or folders "
        "(searched recursively for .pdf .png .jpg .jpeg .tif .tiff .txt .md .docx)",
    )
    run.add_argument("--out", required=True, help="output folder")
    run.add_argument(
        "--jobs",
        type=_at_least(0),
        default=0,
        help="parallel workers (default: all cores): documents in parallel, OCR pages too",
    )
    run.add_argument(
        "--force", action="store_true", help="redo documents that are unchanged since the last run"
    )
    talk = run.add_mutually_exclusive_group()
    talk.add_argument("--quiet", action="store_true", help="no progress, only the summary")
    talk.add_argument(
        "--verbose",
        action="store_true",
        help="a line per document even with the progress bars, with seconds per stage and warnings",
    )
    run.add_argument(
        "--timeout",
        type=_at_least(0, float),
        default=3600,
        help="seconds one document may take before it is stopped and recorded as failed (0: none)",
    )
    run.add_argument(
        "--max-memory",
        type=_at_least(0),
        default=4096,
        metavar="MB",
        help="memory a worker may take on for one document before it is stopped (0: no limit)",
    )
    run.add_argument("--cache", help="OCR page cache folder (default OUT/.cache)")
    run.add_argument(
        "--executor",
        choices=["local", "dask"],
        default="local",
        help="local process pool (default) or a Dask cluster",
    )
    run.add_argument(
        "--scheduler", help="with --executor dask: the scheduler address, e.g. tcp://host:8786"
    )
    run.set_defaults(func=_cmd_run)

    ev = sub.add_parser("eval", help="score an output folder against gold annotations")
    ev.add_argument("--gold", required=True, help="folder of gold <stem>.json files")
    ev.add_argument("out", help="output folder of a run")
    ev.add_argument("--json", action="store_true", help="print the full result as JSON")
    ev.set_defaults(func=_cmd_eval)
    gr = sub.add_parser("graph", help="ask the citation graph of an output folder, or export it")
    gr.add_argument("out", help="output folder of a run (with graph.json)")
    gr.add_argument(
        "question",
        choices=[
            "cited-by",
            "cites",
            "chain",
            "co-cited",
            "top",
            "missing",
            "conflicts",
            "timeline",
            "export",
        ],
    )
    gr.add_argument(
        "document",
        nargs="?",
        help='for cited-by, cites, chain, co-cited, timeline: "28-NQ/TW", "NQ 28", '
        '"Nghị quyết 28"; a number of several years means each ("101-QĐ/TW"), a year or '
        'an id one of them ("101-QĐ/TW 2012", "101-QĐ/TW@2012"), "101-QĐ/TW@undated" the '
        "node of its undated mentions alone",
    )
    gr.add_argument(
        "--depth",
        type=_at_least(1),
        default=1,
        action=_DepthAction,
        help="cites: how many steps down (default 1); chain: how many citing steps (default all)",
    )
    gr.set_defaults(depth_given=False)
    gr.add_argument(
        "-n",
        type=_at_least(1),
        help="top, co-cited: how many (default 20); cited-by, chain, missing, conflicts, "
        "timeline: at most (default all)",
    )
    gr.add_argument("--level", type=_level, help="top, timeline: TW, TU, HU, ĐU or state")
    gr.add_argument("--type", help='top, timeline: document type, e.g. "Nghị quyết"')
    gr.add_argument("--year", type=_year, help="top: year of the document")
    gr.add_argument("--issuer", help="top: part of the issuer's name")
    gr.add_argument(
        "--from", dest="since", type=_date, help="timeline: from this date or year (ISO, included)"
    )
    gr.add_argument(
        "--to", dest="until", type=_date, help="timeline: up to this date or year (included)"
    )
    gr.add_argument(
        "--format",
        default="graphml",
        choices=["graphml", "gexf", "csv", "neo4j", "html"],
        help="export format",
    )
    gr.add_argument("--dest", help="export: file (graphml, gexf, html) or folder (csv, neo4j)")
    gr.add_argument(
        "--max-nodes",
        type=_at_least(1),
        default=500,
        help="export html: the most cited N nodes (default 500)",
    )
    gr.add_argument("--json", action="store_true", help="print JSON instead of a table")
    gr.set_defaults(func=_cmd_graph)
    tb = sub.add_parser(
        "tables",
        help="write an output folder as typed tables (documents, sections, citations, refs, "
        "entities, tasks, nodes, edges) for pandas, R or SQL",
    )
    tb.add_argument("out", help="output folder of a run")
    tb.add_argument("--dest", required=True, help="folder for the tables (made if missing)")
    tb.add_argument(
        "--format",
        default="parquet",
        choices=["parquet", "csv", "duckdb"],
        help="parquet (default): one file per table; csv: lists as JSON text; "
        "duckdb: one database DEST/vanban.duckdb",
    )
    tb.set_defaults(func=_cmd_tables)
    vw = sub.add_parser(
        "view",
        help="write offline HTML pages to read the documents of OUT by: one per document "
        "(marked text, outline, details), an index and the graph view",
    )
    vw.add_argument("out", help="output folder of a run")
    vw.add_argument(
        "--dest",
        help="folder for the pages (default OUT/view); the pages an earlier view wrote in its "
        "doc/ for documents no longer in OUT are removed, nothing else there",
    )
    vw.add_argument(
        "--max-nodes",
        type=_at_least(1),
        default=500,
        help="the graph view: the most cited N (default 500)",
    )
    vw.set_defaults(func=_cmd_view)
    return parser


def command() -> None:
    """The ``vanban`` command (and ``python -m pipeline``). A graph question, once answered
    and its output flushed, ends the process without freeing its objects one by one (the
    index's columns and, for the largest answers, 56,000 rows: about 40 ms); the operating
    system takes the memory back at once. Every other command ends as Python ends."""
    argv = sys.argv[1:]
    code = main(argv)
    if argv[:1] == ["graph"]:  # (its files, an export's too, are written and closed by now)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a pipe closed early (head), a stream closed
                pass
        os._exit(code)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"vanban: {exc}", file=sys.stderr)
        return exc.code
    except BrokenPipeError:  # output piped into head: not an error
        sys.stderr.close()
        return 0
