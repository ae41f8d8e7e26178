"""Code style is part of the test command: ruff (pyflakes, pycodestyle, import order, line
length 100; configured in pyproject.toml) must pass on the whole project."""

import subprocess
import sys

from conftest import REPO


def test_ruff_check_is_clean():
    found = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(REPO)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert found.returncode == 0, found.stdout + found.stderr


def test_ruff_format_is_applied():
    found = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", str(REPO)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert found.returncode == 0, found.stdout + found.stderr
