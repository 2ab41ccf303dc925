"""Reading CSV / XLSX tables for the insights command line (no pandas, no Django)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig also reads plain UTF-8


class TableError(ValueError):
    """A table that cannot be used; the message is meant for the user."""


class Table:
    def __init__(self, path: str | Path, columns: list[str], rows: list[dict[str, str]]):
        self.path, self.columns, self.rows = str(path), columns, rows

    def __len__(self) -> int:
        return len(self.rows)

    def require(self, *names: str) -> None:
        for name in names:
            if name not in self.columns:
                raise TableError(
                    f"{self.path}: no column {name!r}; available columns: {', '.join(self.columns) or '(none)'}"
                )

    def column(self, name: str) -> list[str]:
        self.require(name)
        return [r.get(name) or "" for r in self.rows]


def read_table(path: str | Path) -> Table:
    """Read a CSV (UTF-8, UTF-8 with BOM or GB18030) or XLSX file; the first row holds the column names."""
    path = Path(path)
    if not path.is_file():
        raise TableError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        header, body = _read_xlsx(path)
    else:
        header, body = _read_csv(path)
    header = [str(h).strip() if h is not None else "" for h in header]
    if not any(header):
        raise TableError(f"{path}: the file is empty (no header row)")
    rows = []
    for values in body:
        if not any(v not in (None, "") for v in values):
            continue
        rows.append({h: ("" if v is None else str(v)) for h, v in zip(header, values, strict=False) if h})
    if not rows:
        raise TableError(f"{path}: the file has no data rows")
    return Table(path, [h for h in header if h], rows)


def _read_csv(path: Path) -> tuple[list, list]:
    raw = path.read_bytes()
    for enc in ENCODINGS:
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(f"{path}: cannot decode the file (tried {', '.join(('utf-8', *ENCODINGS[1:]))})")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise TableError(f"{path}: the file is empty")
    return rows[0], rows[1:]


def _read_xlsx(path: Path) -> tuple[list, list]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a broken file
        raise TableError(f"{path}: not a readable XLSX file ({exc})")
    try:
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
    if not rows:
        raise TableError(f"{path}: the file is empty")
    return rows[0], rows[1:]
