"""The ``vanban`` command line: ``run`` a batch, ``eval`` against gold, ask the ``graph``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__


def _cmd_run(args) -> int:
    from .atomic import WriteFailed
    from .batch import Limits, OutputBusy, run_batch
    from .progress import Progress

    if args.executor == "dask" and not args.scheduler:
        print(
            "--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)", file=sys.stderr
        )
        return 2
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
    from .evaluate import evaluate, format_report

    result = evaluate(Path(args.gold), Path(args.out))
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else format_report(result))
    return 0


def _print_rows(rows: list[dict], as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        print("(nothing)")
        return
    keys = list(rows[0])
    cells = [[("" if r.get(k) is None else str(r.get(k))) for k in keys] for r in rows]
    widths = [min(60, max(len(k), *(len(c[i]) for c in cells))) for i, k in enumerate(keys)]
    print("  ".join(k.ljust(w) for k, w in zip(keys, widths)))
    for c in cells:
        print("  ".join(v[:w].ljust(w) for v, w in zip(c, widths)))


def _cmd_graph(args) -> int:
    from . import exports, query

    g = query.load(Path(args.out))
    node = None
    if args.question in ("cited-by", "cites", "chain", "co-cited") or (
        args.question == "timeline" and args.document
    ):
        if not args.document:
            print(f"name a document: vanban graph OUT {args.question} 28-NQ/TW", file=sys.stderr)
            return 2
        nodes = query.resolve(g, args.document)
        if not nodes:
            print(f"no document in the graph matches {args.document!r}", file=sys.stderr)
            return 1
        if args.question in ("chain", "co-cited", "timeline"):
            if len(nodes) > 1:
                print(
                    f"{args.document!r} is {len(nodes)} documents, name one: {', '.join(nodes)}",
                    file=sys.stderr,
                )
                return 1
            node = nodes[0]
    if args.question in ("cited-by", "cites"):
        rows = []
        for node in nodes:
            found = (
                query.cited_by(g, node, top=args.n)
                if args.question == "cited-by"
                else query.cites(g, node, args.depth)
            )
            rows += [{"of": node, **r} for r in found]
        _print_rows(rows, args.json)
    elif args.question == "chain":
        rows = query.chain(g, node, depth=args.depth if args.depth_given else None, top=args.n)
        if not args.json:  # the tree shows in the table as indentation
            rows = [{**r, "id": "  " * r["depth"] + r["id"]} for r in rows]
        _print_rows(rows, args.json)
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
        if not args.dest:
            print(
                "name a destination: vanban graph OUT export --format graphml --dest graph.graphml",
                file=sys.stderr,
            )
            return 2
        for f in exports.export(g, args.format, Path(args.dest), max_nodes=args.max_nodes):
            print(f)
    return 0


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
        type=int,
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
        type=float,
        default=3600,
        help="seconds one document may take before it is stopped and recorded as failed (0: none)",
    )
    run.add_argument(
        "--max-memory",
        type=int,
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
        help='for cited-by, cites, chain, co-cited, timeline: "28-NQ/TW", "NQ 28", "Nghị quyết 28"',
    )
    gr.add_argument(
        "--depth",
        type=int,
        default=1,
        action=_DepthAction,
        help="cites: how many steps down (default 1); chain: how many citing steps (default all)",
    )
    gr.set_defaults(depth_given=False)
    gr.add_argument(
        "-n",
        type=int,
        help="top, co-cited: how many (default 20); cited-by, chain, missing, conflicts, "
        "timeline: at most (default all)",
    )
    gr.add_argument("--level", help="top, timeline: TW, TU, HU, ĐU or state")
    gr.add_argument("--type", help='top, timeline: document type, e.g. "Nghị quyết"')
    gr.add_argument("--year", help="top: year of the document")
    gr.add_argument("--issuer", help="top: part of the issuer's name")
    gr.add_argument("--from", dest="since", help="timeline: from this date or year (ISO, included)")
    gr.add_argument("--to", dest="until", help="timeline: up to this date or year (included)")
    gr.add_argument(
        "--format",
        default="graphml",
        choices=["graphml", "gexf", "csv", "neo4j", "html"],
        help="export format",
    )
    gr.add_argument("--dest", help="export: file (graphml, gexf, html) or folder (csv, neo4j)")
    gr.add_argument(
        "--max-nodes",
        type=int,
        default=500,
        help="export html: the most cited N nodes (default 500)",
    )
    gr.add_argument("--json", action="store_true", help="print JSON instead of a table")
    gr.set_defaults(func=_cmd_graph)
    vw = sub.add_parser(
        "view",
        help="write offline HTML pages to read the documents of OUT by: one per document "
        "(marked text, outline, details), an index and the graph view",
    )
    vw.add_argument("out", help="output folder of a run")
    vw.add_argument("--dest", help="folder for the pages (default OUT/view)")
    vw.add_argument(
        "--max-nodes", type=int, default=500, help="the graph view: the most cited N (default 500)"
    )
    vw.set_defaults(func=_cmd_view)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into head: not an error
        sys.stderr.close()
        return 0
