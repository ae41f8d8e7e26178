"""Check a document file against the published JSON Schema and the offset rules.

``pipeline/schema/document.schema.json`` describes the contract's document file
(``Document.to_json()``). What a schema cannot say is checked here as well:
every ``start``/``end`` lies within ``0..len(text)`` with ``start <= end``, and
ISO dates are real calendar dates.

Needs ``jsonschema`` (the ``test`` extra).
"""

from __future__ import annotations

import datetime as _dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "document.schema.json"


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def load_schema() -> dict:
    """The document-file JSON Schema (draft 2020-12), as a fresh dict."""
    return json.loads(_schema_text())


@lru_cache(maxsize=1)
def _validator():
    try:
        from jsonschema import Draft202012Validator
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ModuleNotFoundError(
            "document validation needs jsonschema: pip install 'vanban[test]'"
        ) from exc
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _where(path: Iterable[Any]) -> str:
    parts = [str(p) for p in path]
    return "/".join(parts) if parts else "$"


def _schema_errors(obj: Any) -> list[str]:
    errors = sorted(_validator().iter_errors(obj), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{_where(e.absolute_path)}: {e.message}" for e in errors]


def _is_offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _span_errors(where: str, item: Any, n: int, keys=("start", "end")) -> list[str]:
    if not isinstance(item, dict):
        return []
    out = []
    values = {k: item.get(k) for k in keys}
    for key, value in values.items():
        if _is_offset(value) and not 0 <= value <= n:
            out.append(f"{where}/{key}: offset {value} outside text (0..{n})")
    start, end = values.get("start"), values.get("end")
    if len(keys) == 2 and _is_offset(start) and _is_offset(end) and start > end:
        out.append(f"{where}: start {start} > end {end}")
    return out


def _section_errors(sections: Any, where: str, n: int) -> list[str]:
    out: list[str] = []
    if not isinstance(sections, list):
        return out
    for i, sec in enumerate(sections):
        here = f"{where}/{i}"
        out += _span_errors(here, sec, n)
        if isinstance(sec, dict):
            out += _section_errors(sec.get("children"), f"{here}/children", n)
    return out


def offset_errors(obj: dict) -> list[str]:
    """Spans that do not fit the text: start/end outside 0..len(text), or start > end."""
    text = obj.get("text")
    if not isinstance(text, str):
        return []
    n = len(text)
    out = _section_errors(obj.get("sections"), "sections", n)
    for key in ("footnotes", "citations", "entities", "references"):
        items = obj.get(key)
        if isinstance(items, list):
            for i, item in enumerate(items):
                out += _span_errors(f"{key}/{i}", item, n)
    for i, task in enumerate(obj.get("tasks") or []):
        if isinstance(task, dict):
            out += _span_errors(f"tasks/{i}", task, n)
            for j, deadline in enumerate(task.get("deadlines") or []):
                out += _span_errors(f"tasks/{i}/deadlines/{j}", deadline, n)
    repairs = obj.get("repairs")
    if isinstance(repairs, list):
        for i, rep in enumerate(repairs):
            out += _span_errors(f"repairs/{i}", rep, n, keys=("start",))
    return out


def _date_errors(obj: dict) -> list[str]:
    out = []

    def check(where: str, value: Any) -> None:
        if isinstance(value, str):
            try:
                _dt.date.fromisoformat(value)
            except ValueError:
                out.append(f"{where}: {value!r} is not a calendar date")

    meta = obj.get("metadata")
    if isinstance(meta, dict):
        check("metadata/date", meta.get("date"))
    cits = obj.get("citations")
    if isinstance(cits, list):
        for i, c in enumerate(cits):
            if isinstance(c, dict):
                check(f"citations/{i}/date", c.get("date"))
    return out


def validate_document(obj: Any) -> list[str]:
    """Error messages for a document file (parsed JSON); an empty list means valid.

    Each message starts with the JSON path of the offending value ("$" for the
    root), e.g. ``citations/3/date: '17/11/2022' is not valid under any of the
    given schemas``.
    """
    errors = _schema_errors(obj)
    if isinstance(obj, dict):
        errors += offset_errors(obj)
        errors += [
            e for e in _date_errors(obj) if e.split(":")[0] not in {m.split(":")[0] for m in errors}
        ]
    return errors
