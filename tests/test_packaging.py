"""The package as pip builds it: quiet, and with its data files."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = {
    "pipeline/data/catalogue.json",
    "pipeline/data/graph_view.html",
    "pipeline/data/legacy_encodings.json",
    "pipeline/schema/document.schema.json",
}


def _pip(tmp_path, *args: str) -> str:
    """pip run on a copy of the package (a build leaves build/ and *.egg-info where it runs);
    what it printed. Skips where no package index gives pip setuptools for the build."""
    src = tmp_path / "src"
    shutil.copytree(
        REPO / "pipeline", src / "pipeline", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", *args, str(src)], capture_output=True, text=True, timeout=300
    )
    log = proc.stdout + proc.stderr
    if proc.returncode and ("No matching distribution" in log or "Could not find" in log):
        pytest.skip("pip cannot fetch setuptools for the build (no package index)")
    assert proc.returncode == 0, log[-2000:]
    return log


def test_a_wheel_holds_the_data_files_and_setuptools_has_no_warning_about_them(tmp_path):
    log = _pip(tmp_path, "wheel", "-v", "--no-deps", "-w", str(tmp_path))
    assert "absent from the `packages` configuration" not in log
    (wheel,) = tmp_path.glob("vanban-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert DATA <= names
    assert "pipeline/cli.py" in names and "pipeline/ingest/ocr.py" in names
    assert not [n for n in names if "__pycache__" in n]


def test_an_editable_install_prints_no_warning(tmp_path):
    """`bash install.sh` runs pip install -e: what it prints is what a newcomer reads first."""
    # installed into a folder, so the running environment is left alone
    log = _pip(tmp_path, "install", "--no-deps", "--target", str(tmp_path / "site"), "-e")
    # lines of this machine's pip configuration (an index folder that is not there) aside
    said = [line for line in log.splitlines() if line.strip() and "Location '" not in line]
    assert not [line for line in said if "arning" in line], said
