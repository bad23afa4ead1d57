"""Which municipalities a world covers.

Codes or names (Finnish or Swedish, any case), several municipalities, or a region
code or name.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from scenarios.errors import Problem
from scenarios.worlds.build.errors import BuildError
from scenarios.worlds.build.sources import Sources


@dataclass(frozen=True)
class Area:
    """The area of a world.

    Attributes
    ----------
    codes : tuple of str
        Municipality codes (3 digits, 1.1.2024 division), sorted.
    rates_region : int
        Statistics Finland region code whose rates drive the forecast: the region of
        the most populous municipality.
    name : str
        Folder-friendly name (ASCII, lower case), e.g. ``sysma``.
    title : str
        Human title, e.g. ``Sysmä (municipality 781) by postal-code area``.
    """

    codes: tuple[str, ...]
    rates_region: int
    name: str
    title: str


#: Municipalities merged away since the 2020 Paavo key: code -> (name, successor code).
MERGED = {"099": ("Honkajoki", "214")}


def fold(text: str) -> str:
    """Case- and accent-free form of a name, for matching.

    Examples
    --------
    >>> fold("  Sysmä ")
    'sysma'
    >>> fold("Pedersören kunta")
    'pedersoren kunta'
    """
    text = unicodedata.normalize("NFKD", str(text).strip().casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def slug(text: str) -> str:
    """ASCII folder name: ``"Päijät-Häme"`` -> ``"paijat_hame"``."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


def municipality_names(sources: Sources) -> dict[str, str]:
    """Every accepted name, exact case-folded form -> municipality code."""
    out: dict[str, str] = {}
    for row in sources.municipalities.itertuples(index=False):
        for name in (row.name_fi, row.name_sv, *str(row.name_fi).split(" - ")):
            if name:
                out[str(name).strip().casefold()] = row.municipality_code
    out["pedersöre"] = out["pedersören kunta"]
    return out


def _lookup(query: str, names: dict[str, str], codes: set[str]) -> str | None:
    q = query.strip()
    if q.isdigit() and q.zfill(3) in codes:
        return q.zfill(3)
    if q.casefold() in names:
        return names[q.casefold()]
    folded = {n: c for n, c in names.items() if fold(n) == fold(q)}
    return next(iter(folded.values())) if len(set(folded.values())) == 1 else None


def suggestions(query: str, names: list[str], n: int = 5) -> list[str]:
    """Closest names to an unknown one (difflib ratio on case- and accent-free forms).

    Examples
    --------
    >>> suggestions("Sysmää", ["Sysmä", "Salo", "Sipoo"])
    ['Sysmä']
    """
    by_fold: dict[str, str] = {}
    for name in names:
        by_fold.setdefault(fold(name), name)
    close = difflib.get_close_matches(fold(query), list(by_fold), n=n, cutoff=0.6)
    return [by_fold[c] for c in close]


def _region_code(query: str, sources: Sources) -> int | None:
    q = query.strip()
    digits = re.fullmatch(r"(?:mk)?0*(\d{1,2})", q.casefold())
    codes = set(sources.regions.region_code.astype(int))
    if digits and int(digits.group(1)) in codes:
        return int(digits.group(1))
    for row in sources.regions.itertuples(index=False):
        if fold(q) in {fold(row.name_en), fold(row.name_fi), fold(row.name_sv)}:
            return int(row.region_code)
    return None


def _display_names(sources: Sources) -> list[str]:
    m = sources.municipalities
    return [n for n in (*m.name_fi, *m.name_sv) if n]


def _unknown(item: str, sources: Sources) -> Problem:
    """Describe a name that is no municipality: merged away, or the closest names."""
    gone = MERGED.get(item.strip().zfill(3)) or next(
        (v for v in MERGED.values() if fold(v[0]) == fold(item)), None
    )
    if gone is not None:
        message = f"{item!r}: {gone[0]} merged into {gone[1]}; use {gone[1]}"
    else:
        close = suggestions(item, _display_names(sources))
        hint = f"closest names: {', '.join(close)}" if close else "no close name"
        message = f"unknown municipality {item!r}; {hint}"
    return Problem("--municipality", None, None, message)


def municipality_codes(items: list[str], sources: Sources) -> tuple[list[str], list[Problem]]:
    """Codes of the given municipalities (comma-separated items allowed) and the problems."""
    names = municipality_names(sources)
    codes = set(sources.municipalities.municipality_code)
    chosen, problems = [], []
    for item in (p for arg in items for p in arg.split(",") if p.strip()):
        code = _lookup(item, names, codes)
        if code is None:
            problems.append(_unknown(item, sources))
        else:
            chosen.append(code)
    return chosen, problems


def resolve_area(
    municipalities: list[str], region: str | None, sources: Sources, name: str | None = None
) -> Area:
    """Turn the command line's ``--municipality``/``--region`` into an :class:`Area`.

    Parameters
    ----------
    municipalities : list of str
        Codes or names; each item may hold several separated by commas.
    region : str or None
        A region code (``7``, ``07``, ``MK07``) or name (English, Finnish, Swedish).
    sources : Sources
    name : str, optional
        World name; default from the area.

    Raises
    ------
    BuildError
        For an unknown municipality (with the closest names) or region, or no area.
    """
    m = sources.municipalities
    chosen, problems = municipality_codes(municipalities, sources)
    region_code = None
    if region is not None:
        region_code = _region_code(region, sources)
        if region_code is None:
            allowed = ", ".join(
                f"{r.region_code} {r.name_fi}" for r in sources.regions.itertuples()
            )
            problems.append(
                Problem("--region", None, None, f"unknown region {region!r}; allowed: {allowed}")
            )
        else:
            chosen += list(m.municipality_code[m.region_code == region_code])
    if not problems and not chosen:
        problems.append(Problem("--municipality", None, None, "give --municipality or --region"))
    if problems:
        raise BuildError(problems)
    return _area(tuple(sorted(set(chosen))), region_code, sources, name)


def _area(codes: tuple[str, ...], region: int | None, sources: Sources, name: str | None) -> Area:
    m = sources.municipalities.set_index("municipality_code")
    pop = sources.municipal_population
    last = pop[pop.year == sources.base_year].set_index("municipality_code").population
    biggest = max(codes, key=lambda c: (int(last[c]), c))
    rates_region = int(m.at[biggest, "region_code"])
    if region is not None:
        r = sources.regions.set_index("region_code").loc[region]
        title = f"{r.name_fi} (region {region}, {len(codes)} municipalities) by postal-code area"
        default = slug(r.name_fi)
    elif len(codes) == 1:
        title = f"{m.at[codes[0], 'name_fi']} (municipality {codes[0]}) by postal-code area"
        default = slug(m.at[codes[0], "name_fi"])
    else:
        listed = ", ".join(f"{m.at[c, 'name_fi']} {c}" for c in codes)
        title = f"{listed} by postal-code area"
        default = "_".join(slug(m.at[c, "name_fi"]) for c in codes)[:60]
    return Area(codes, rates_region, name or default, title)


def area_table(area: Area, sources: Sources) -> pd.DataFrame:
    """Select the postal-code areas (zones) of an area, sorted by postal code."""
    p = sources.postal_areas
    return p[p.municipality_code.isin(area.codes)].sort_values("postal_code").reset_index(drop=True)
