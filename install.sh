#!/usr/bin/env bash
# Installs vanban on Debian/Ubuntu: Tesseract with Vietnamese data (apt-get, when
# missing), a virtualenv in .venv and the package in it. `--test` adds the test tools
# (and Debian's chromium and chromium-driver, for the browser test of the graph view).
set -euo pipefail
cd "$(dirname "$0")"

need=()
if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
  need+=(tesseract-ocr tesseract-ocr-vie)
fi
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
# OpenCV, which the handwriting recogniser (rapidocr-onnxruntime) loads, links libGL and GLib
ldconfig -p 2>/dev/null | grep -q 'libGL\.so\.1 ' || need+=(libgl1)
ldconfig -p 2>/dev/null | grep -q 'libgthread-2\.0\.so\.0 ' || need+=(libglib2.0-0)

if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ]; then sudo=""
  elif command -v sudo >/dev/null; then sudo="sudo"
  else
    echo "install.sh: need root to install ${need[*]}; run as root: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null; then
    echo "install.sh: no apt-get here; install ${need[*]} (Tesseract 4+ with the 'vie' language) yourself, then rerun" >&2
    exit 1
  fi
  echo "install.sh: installing ${need[*]} with apt-get" >&2
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null; }; then
    echo "install.sh: apt-get could not install ${need[*]}" >&2
    exit 1
  fi
fi

# the test suite opens the graph view in a real browser; without one that test skips, so a
# failed install here is a warning, not an error
if [ "${1:-}" = "--test" ] && ! { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }; then
  if [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "install.sh: installing chromium chromium-driver with apt-get (browser test)" >&2
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null; } ||
      echo "install.sh: chromium not installed; the browser test will be skipped" >&2
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
.venv/bin/python -m pip install -q -e ".${extras}"
echo "install.sh: ready ($(.venv/bin/vanban --version), $(tesseract --version 2>&1 | head -n1))" >&2
