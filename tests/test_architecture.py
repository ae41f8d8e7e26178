"""The architecture the README describes: no import cycles in pipeline/, one home for the
grammar of document numbers, every stage declared once."""

import ast
from pathlib import Path

import networkx as nx

from pipeline import stages

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> nx.DiGraph:
    """Which pipeline module imports which, at module level or inside a function."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    g = nx.DiGraph()
    g.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                for alias in node.names:
                    target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    if target in modules and target != name:
                        g.add_edge(name, target)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules and alias.name != name:
                        g.add_edge(name, alias.name)
    return g


def test_no_module_imports_another_that_imports_it_back():
    g = import_graph()
    assert len(g) > 20 and g.has_edge("pipeline.nlp", "pipeline.extract")
    assert list(nx.simple_cycles(g)) == []


def test_the_stages_flow_one_way():
    g = import_graph()
    order = [
        "pipeline.ingest",
        "pipeline.clean",
        "pipeline.structure",
        "pipeline.extract",
        "pipeline.graph",
    ]
    for i, earlier in enumerate(order):
        for later in order[i + 1 :]:
            assert not nx.has_path(g, earlier, later), (
                f"{earlier} depends on the later stage {later}"
            )


def test_only_the_grammar_module_spells_a_document_number():
    # the shape "digits, a dash or slash, a code" is written in pipeline/symbols.py alone
    number = ("\\d{1,4}-", "\\d{1,4}/", "\\d{1,6}-", "\\d{1,6}/", "\\d+-(", "\\d+)[-/]", "\\d+[-/]")
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.name != "symbols.py" and any(n in p.read_text(encoding="utf-8") for n in number)
    ]
    assert offenders == []


def test_stages_are_declared_once_and_chain_their_fields():
    given = {"path"}
    for stage in stages.STAGES:
        assert set(stage.needs) <= given, f"{stage.name} needs what no earlier stage gives"
        given |= set(stage.gives)
    assert stages.STAGE_NAMES == ("ingest", "clean", "structure", "extract")
