"""The README's quick start, run verbatim from the checkout as a newcomer would, and what it
shows checked against what the commands really print and write."""

import json
import os
import re
import subprocess

import pytest

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
FENCE = "`" * 3


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def _blocks(text: str, lang: str) -> list[str]:
    pattern = rf"^ *{FENCE}{lang}\n(.*?)^ *{FENCE}$"
    return [
        "\n".join(line.strip() for line in block.splitlines())
        for block in re.findall(pattern, text, re.S | re.M)
    ]


QUICK = _section("Quick start")
COMMANDS = [line for block in _blocks(QUICK, "sh") for line in block.splitlines() if line]


def test_the_quick_start_names_the_commands_it_explains():
    assert COMMANDS[0] == "bash install.sh"
    for verb in ("run", "graph", "view", "tables"):
        assert any(c.startswith(f".venv/bin/vanban {verb} ") for c in COMMANDS), verb


@pytest.fixture(scope="module")
def ran():
    """Every quick-start command but the install (CI ran `install.sh --test` already, which
    installs a superset), in order, in the checkout, exactly as written."""
    if not (REPO / ".venv" / "bin" / "vanban").exists():
        pytest.skip("no .venv here: run bash install.sh first")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    results = {}
    for command in COMMANDS[1:]:
        results[command] = subprocess.run(
            ["bash", "-c", command], cwd=REPO, capture_output=True, text=True, env=env
        )
    return results


def test_every_quick_start_command_succeeds(ran):
    for command, done in ran.items():
        assert done.returncode == 0, (command, done.stderr[-2000:])
        assert "Traceback" not in done.stderr, command


def test_what_the_quick_start_shows_is_what_the_commands_give(ran):
    out = REPO / "out" / "raw"
    summary = next(d.stdout for c, d in ran.items() if " run " in c)
    shown = re.search(r"ok / partial / failed / skipped +([\d /]+)", QUICK).group(1).strip()
    assert re.search(rf"ok / partial / failed / skipped +{re.escape(shown)}\n", summary)
    nodes_edges = re.search(r"graph nodes / edges +(\d+ / \d+)", QUICK).group(1)
    assert f"graph nodes / edges              {nodes_edges}" in summary
    # the JSON excerpt: each "key": "text" pair it shows is in the document written
    document = json.loads((out / "sample_ke_hoach.json").read_text(encoding="utf-8"))
    written = json.dumps(
        [document["metadata"], document["citations"][0]], ensure_ascii=False
    )  # fmt: skip
    (excerpt,) = _blocks(QUICK, "json")
    pairs = re.findall(r'"(\w+)": ("[^"…]*"|\d+)', excerpt)
    assert len(pairs) > 15
    for key, value in pairs:
        assert f'"{key}": {value}' in written, (key, value)
    # the graph's answer, row for row
    answer = next(d.stdout for c, d in ran.items() if " graph " in c)
    for row in ("28-NQ/TW@2022  45-KH/HU@2024", "28-NQ/TW@2022  7-HD/BTGHU@2024"):
        assert row in QUICK and row in answer
    assert len(answer.strip().splitlines()) == 3  # a header and the two rows shown
    # the pages and the database it points at
    assert (out / "view" / "index.html").is_file() and (out / "view" / "graph.html").is_file()
    assert "Nghị quyết 28-NQ/TW (2022)" in next(
        d.stdout for c, d in ran.items() if "import duckdb" in c
    )


def test_the_sql_in_the_readme_is_the_sql_the_table_tests_check():
    from test_tables import MOST_CITED, PER_YEAR_AND_LEVEL, WHO_CITES_IN_WHICH_SECTION

    shown = _blocks(_section("Analysis tables"), "sql")
    checked = (MOST_CITED, PER_YEAR_AND_LEVEL, WHO_CITES_IN_WHICH_SECTION)
    assert shown == [
        "\n".join(line.strip() for line in q.strip().splitlines()) + ";" for q in checked
    ]


def test_the_readme_links_to_files_that_exist():
    for target in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (REPO / target).exists(), target
    for doc in (REPO / "docs").glob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+)\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), (doc.name, target)
