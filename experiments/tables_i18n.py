"""The workbook in Finnish, Swedish or English: sheet names, headers and fixed texts.

:func:`experiments.spreadsheet.build_sheets` builds the tables in English with stable
keys; the CSV files are written from them as they are, in every language. For the
workbook, :func:`translate_sheets` gives each sheet its name and header row in the
language and translates the fixed texts in its cells (gettext domain ``tables``):
the readme's explanations, the plan-period measures and units, the origin of a
decision, the assumptions' names, units and sources, and the plans' titles (from
their configs). The assumptions' names, groups and units are the report's own
translations (domain ``report``, :mod:`experiments.report_assumptions`), so the
workbook and the report name an estimate alike. Identifiers (scenario, strategy,
service and facility ids, operations, settings, keys) and every number stay as they
are, so a number sits in the same cell in every language. English keeps the stable
keys as headers and labels, as before.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from types import SimpleNamespace

import pandas as pd
import xarray as xr
import yaml

from experiments.assumptions import world_folder
from experiments.i18n import check_language, label, translator, world_language
from experiments.period_tables import ALL_ITEMS, MEASURE_NAMES, MEASURES, PERIOD_YEARS
from experiments.readme_sheet import ABOUT, CSV_NOTE, MEASURE_MEANING, README_SHEETS
from experiments.report_assumptions import GROUPS, UNITS, row_name
from experiments.report_context import world_title
from experiments.tables import N_, QUANTILE_MEANING, TEXT, Column, Sheet, titles
from experiments.tables_sources import SOURCE_TEXTS

Gettext = Callable[[str], str]

#: Sheet key -> its name in the workbook (translated; at most 31 characters).
SHEET_NAMES = {
    "readme": N_("readme"),
    "summary": N_("summary"),
    "periods": N_("periods"),
    "standards": N_("standards"),
    "decisions": N_("decisions"),
    "assumptions": N_("assumptions"),
}
#: The readme's extra column in a translated workbook: each row's stable English key.
KEY_COLUMN = Column(
    "key",
    N_("the stable English key: the column's name in comparison_<sheet>.csv, the measure or "
       "the setting"),
    "",
    TEXT,
    N_("key"),
)  # fmt: skip
HISTORY = re.compile(r"combined (\d+) runs \(scenario x strategy x seed\) by servicesim")
HISTORY_TEXT = N_("combined {n} runs (scenario x strategy x seed) by servicesim")
STATUSES = {"statutory": N_("statutory"), "local": N_("local decision")}
LAW_NUMBER = re.compile(r"\b\d{2,4}/\d{4}\b")
LAW_TEXT = N_("law {numbers}")
UNREADABLE = N_("the world could not be read")


def sheet_language(comparison: xr.Dataset, lang: str | None = None) -> str:
    """Return the workbook's language: ``lang``, else the world's (as the report's).

    A world that cannot be read here gives English (the assumptions sheet says why).

    Raises
    ------
    ValueError
        If ``lang`` (or the world's ``language``) is not fi, sv or en.
    """
    if lang is not None:
        return check_language(lang)
    try:
        path = world_folder(dict(comparison.attrs)) / "world.yaml"
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, ValueError, yaml.YAMLError):
        return "en"
    return world_language(meta)


def header(column: Column, _: Gettext) -> str:
    """Return a column's header in the language of ``_`` (quantile suffix kept)."""
    text = column.header or column.key
    if column.quantile and " " in text:
        stem, suffix = text.rsplit(" ", 1)
        return f"{_(stem)} {suffix}"
    return _(text)


def meaning(column: Column, _: Gettext) -> str:
    """Return what a column means in the language of ``_``."""
    if column.quantile:
        return _(QUANTILE_MEANING).format(meaning=_(column.base), percent=column.quantile)
    return _(column.meaning)


def _text(value: object, _: Gettext) -> object:
    """Translate a fixed text; numbers and empty cells stay as they are."""
    return _(value) if isinstance(value, str) and value else value


def _source(source: str, _: Gettext, group: str) -> str:
    """Translate a source: a fixed text, or a standard's status and law numbers."""
    for text in SOURCE_TEXTS:
        pattern = re.escape(text).replace(re.escape("{world}"), "(?P<world>.+)")
        match = re.fullmatch(pattern, source)
        if match:
            return _(text).format(**match.groupdict())
    if group == "standard" and ": " in source:
        status, detail = source.split(": ", 1)
        laws = ", ".join(dict.fromkeys(LAW_NUMBER.findall(detail)))
        status = _(STATUSES.get(status, status))
        return f"{status}, {_(LAW_TEXT).format(numbers=laws)}" if laws else status
    return source


def _assumptions(frame: pd.DataFrame, comparison: xr.Dataset, lang: str, _: Gettext) -> None:
    """Translate names, groups, units and sources of the assumptions (in place)."""
    report = translator(lang, "report").gettext
    try:
        path = world_folder(dict(comparison.attrs)) / "services.yaml"
        services = {str(s.get("id")): s for s in yaml.safe_load(path.read_text("utf-8")) or []}
    except (OSError, ValueError, yaml.YAMLError, AttributeError):
        services = {}
    ctx = SimpleNamespace(
        gettext=report, service=lambda sid: label(services.get(sid, {"id": sid}), "title", lang)
    )
    frame["group"] = [report(GROUPS[g]) if g in GROUPS else g for g in frame["group"]]
    if list(frame["key"]) == ["unavailable"]:  # the reason (an error message) stays as it is
        reason = str(frame["name"].iloc[0]).removeprefix(UNREADABLE).removeprefix(": ")
        frame["name"] = [f"{_(UNREADABLE)}: {reason}"]
        return
    frame["name"] = [row_name(key, comparison, ctx) for key in frame["key"]]
    frame["unit"] = [report(UNITS[u]) if u in UNITS else _text(u, _) for u in frame["unit"]]
    frame["source"] = [
        _source(str(s), _, g) for s, g in zip(frame["source"], frame["key"].str.split(".").str[0],
                                               strict=True)
    ]  # fmt: skip


def _readme(sheet: Sheet, comparison: xr.Dataset, sheets: dict[str, Sheet], lang: str,
            _: Gettext) -> tuple[pd.DataFrame, tuple[Column, ...]]:  # fmt: skip
    """Build the readme in ``lang``: rows as in English, plus each row's stable key."""
    report = translator(lang, "report").gettext
    rows = []
    for where, key, value, unit in sheet.frame.itertuples(index=False, name=None):
        name, text = key, value
        if where == "file":
            name = _(ABOUT.get(key, key))
            if key == "CSV":
                text = _(CSV_NOTE)
            elif key == "title":
                text = _comparison_title(comparison, report)
            elif key == "history":
                text = HISTORY.sub(lambda m: _(HISTORY_TEXT).format(n=m.group(1)), str(value))
        elif where == "periods: measure":
            name = _(MEASURE_NAMES.get(key, key))
            text = _(MEASURE_MEANING).format(meaning=_(MEASURES[key][0]), years=PERIOD_YEARS)
        elif where in sheets:
            column = next(c for c in sheets[where].columns if c.key == key)
            name, text = header(column, _), meaning(column, _)
        place = _(SHEET_NAMES.get(where, README_SHEETS.get(where, where)))
        rows.append((place, name, key, text, _text(unit, _)))
    columns = (*sheet.columns[:2], KEY_COLUMN, *sheet.columns[2:])
    return pd.DataFrame(rows, columns=[c.key for c in columns]), columns


def _comparison_title(comparison: xr.Dataset, report: Gettext) -> str:
    try:
        path = world_folder(dict(comparison.attrs)) / "world.yaml"
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, ValueError, yaml.YAMLError):
        meta = {"name": str(comparison.attrs.get("world", ""))}
    return report("Service network comparison: {world}").format(world=world_title(meta, report))


def _frame(sheet: Sheet, comparison: xr.Dataset, lang: str, _: Gettext) -> pd.DataFrame:
    """Return the cells of a sheet (not the readme) with their fixed texts in ``lang``."""
    frame = sheet.frame.copy()
    if sheet.name == "summary":
        for kind in ("scenario", "strategy"):
            named = titles(comparison, kind, lang)
            frame[f"{kind}_title"] = [named.get(str(n).split(" [")[0], "") for n in frame[kind]]
    elif sheet.name == "periods":
        frame["measure"] = [_(MEASURE_NAMES.get(m, m)) for m in frame["measure"]]
        frame["item"] = [_(ALL_ITEMS) if i == ALL_ITEMS else i for i in frame["item"]]
        frame["unit"] = [_text(u, _) for u in frame["unit"]]
    elif sheet.name == "decisions":
        frame["origin"] = [_origin(o, _) for o in frame["origin"]]
    elif sheet.name == "assumptions":
        _assumptions(frame, comparison, lang, _)
    return frame


def _origin(origin: object, _: Gettext) -> object:
    """``scenario`` or ``strategy:<name>`` with the fixed word translated."""
    if not isinstance(origin, str):
        return origin
    word, sep, name = origin.partition(":")
    return f"{_(word)}{sep}{name}" if word in ("scenario", "strategy") else origin


def translate_sheets(sheets: list[Sheet], comparison: xr.Dataset, lang: str) -> list[Sheet]:
    """Return the workbook's sheets in ``lang`` (English: the sheets as they are).

    Parameters
    ----------
    sheets : list of Sheet
        :func:`experiments.spreadsheet.build_sheets` (English, stable keys).
    comparison : xarray.Dataset
        The comparison they were built from (titles, world, facility names).
    lang : {"fi", "sv", "en"}
        Language of the workbook.

    Returns
    -------
    list of Sheet
        Same order, rows and numbers; ``title`` and ``headers`` in ``lang``, fixed
        texts translated, identifiers unchanged; the readme gains a ``key`` column.
    """
    if check_language(lang) == "en":
        return sheets
    _ = translator(lang, "tables").gettext
    by_name = {s.name: s for s in sheets}
    out = []
    for sheet in sheets:
        if sheet.name == "readme":
            frame, columns = _readme(sheet, comparison, by_name, lang, _)
        else:
            frame, columns = _frame(sheet, comparison, lang, _), sheet.columns
        out.append(
            dataclasses.replace(
                sheet,
                frame=frame,
                columns=columns,
                title=_(SHEET_NAMES.get(sheet.name, sheet.name)),
                headers=tuple(header(c, _) for c in columns),
            )
        )
    return out
