"""``comparison.xlsx`` and the same tables as CSV, written beside ``comparison.nc``.

Sheets: ``readme`` (what each sheet and column means, units, the configuration),
``summary`` (one row per scenario x strategy), ``periods`` (plan periods of five
years), ``standards`` (compliance with each service standard), ``decisions`` (the
decision calendars) and ``assumptions`` (every estimate that drives the result).
Numbers are written as numbers with number formats (never formatted text), every
sheet has a frozen header row and a filter, and text beginning with ``=`` stays text.
Each sheet is also ``comparison_<sheet>.csv`` (UTF-8 with a byte-order mark so
spreadsheet programs detect it, comma-separated, dot decimals); there, text beginning
with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe so no program runs it as a
formula.

The workbook speaks the report's language (``report.language``, ``servicesim-report
--language``, by default the world's): sheet names, headers and fixed texts are
translated (:mod:`experiments.tables_i18n`); identifiers and numbers are not. The CSV
files keep the English sheet keys in their names and English column keys in every
language, so scripts reading them do not depend on the language.
"""

from __future__ import annotations

import csv
import logging
import math
from pathlib import Path

import xarray as xr
from openpyxl import Workbook
from openpyxl.styles import Font

from experiments.output import write_via
from experiments.period_tables import COLUMNS as PERIOD_COLUMNS
from experiments.period_tables import MEASURES, periods_table
from experiments.readme_sheet import assumptions_sheet, readme_table
from experiments.tables import COLUMNS, Sheet, decisions_table, standards_table, summary_table
from experiments.tables_i18n import sheet_language, translate_sheets

log = logging.getLogger("servicesim.sweep")

XLSX_FILE = "comparison.xlsx"
CSV_PREFIX = "comparison_"
FORMULA_START = ("=", "+", "-", "@")


def build_sheets(comparison: xr.Dataset) -> list[Sheet]:
    """Every table of ``comparison.xlsx``, built from the comparison alone."""
    periods = periods_table(comparison)
    fmt = [MEASURES[m][2] for m in periods["measure"]]
    assumptions, assumption_columns = assumptions_sheet(comparison)
    sheets = [
        Sheet("summary", summary_table(comparison), COLUMNS["summary"]),
        Sheet("periods", periods, PERIOD_COLUMNS, {s: fmt for s in ("p05", "p50", "p95")}),
        Sheet("standards", standards_table(comparison), COLUMNS["standards"]),
        Sheet("decisions", decisions_table(comparison), COLUMNS["decisions"]),
        Sheet("assumptions", assumptions, assumption_columns),
    ]
    readme, readme_columns = readme_table(comparison, [(s.name, s.columns) for s in sheets])
    return [Sheet("readme", readme, readme_columns), *sheets]


def cell_value(value):
    """Return a table value as a spreadsheet cell: None for NaN, numbers as numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "item"):  # numpy scalars
        return cell_value(value.item())
    return value


def _write_sheet(ws, sheet: Sheet) -> None:
    headers = list(sheet.headers or [c.key for c in sheet.columns])
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    formats = [c.fmt for c in sheet.columns]
    keys = [c.key for c in sheet.columns]
    for i, row in enumerate(sheet.frame[keys].itertuples(index=False, name=None)):
        for j, value in enumerate(row):
            value = cell_value(value)
            if value is None:
                continue
            cell = ws.cell(row=i + 2, column=j + 1, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # "=..." stays text, not a formula
                continue
            fmt = sheet.row_formats.get(keys[j])
            cell.number_format = fmt[i] if fmt else formats[j]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for j, key in enumerate(keys):
        sample = [len(str(v)) for v in sheet.frame[key].head(200)]
        width = min(60, max([len(headers[j]), *sample]) + 2)
        ws.column_dimensions[ws.cell(row=1, column=j + 1).column_letter].width = width


def write_xlsx(sheets: list[Sheet], target: Path) -> Path:
    """Write ``sheets`` to ``target`` (an ``.xlsx`` file) atomically.

    Raises
    ------
    ValueError
        If a sheet name is longer than 31 characters or holds a character Excel
        forbids in sheet names.
    """
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        title = sheet.title or sheet.name
        if len(title) > 31 or any(ch in title for ch in "/\\?*[]:"):
            raise ValueError(f"sheet name {title!r}: at most 31 characters, no /\\?*[]:")
        _write_sheet(wb.create_sheet(title), sheet)
    return write_via(Path(target), lambda tmp: wb.save(tmp))


def csv_value(value) -> object:
    """Return a table value as a CSV field: empty for NaN, formula-like text escaped."""
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if isinstance(value, float):
        return f"{value:.16g}"  # the digits the workbook stores (openpyxl writes %.16g)
    return value


def write_csv(sheet: Sheet, target: Path) -> Path:
    """Write one sheet as CSV to ``target`` atomically (UTF-8 with BOM, comma, dot)."""
    keys = [c.key for c in sheet.columns]

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow(keys)
            for row in sheet.frame[keys].itertuples(index=False, name=None):
                out.writerow([csv_value(v) for v in row])

    return write_via(Path(target), write)


def write_tables(comparison: xr.Dataset, folder: Path, lang: str | None = None) -> list[Path]:
    """Write ``comparison.xlsx`` and ``comparison_<sheet>.csv`` into ``folder``.

    Parameters
    ----------
    comparison : xarray.Dataset
        ``comparison.nc``.
    folder : Path
        Where to write (the sweep folder).
    lang : {"fi", "sv", "en"}, optional
        Language of the workbook, by default the world's (as the report's). The CSV
        files are the same in every language: English sheet keys in their names,
        English column keys and labels (stable for scripts).

    Returns
    -------
    list of Path
        The workbook, then one CSV per sheet.
    """
    folder = Path(folder)
    sheets = build_sheets(comparison)
    lang = sheet_language(comparison, lang)
    paths = [write_xlsx(translate_sheets(sheets, comparison, lang), folder / XLSX_FILE)]
    paths += [write_csv(s, folder / f"{CSV_PREFIX}{s.name}.csv") for s in sheets]
    log.info("spreadsheet (%s): %s (+ %d CSV)", lang, paths[0], len(sheets))
    return paths
