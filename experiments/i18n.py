r"""Languages of the planner's outputs: Finnish, Swedish and English.

Texts are translated with gettext catalogues, one domain per output
(``experiments/locale/<lang>/LC_MESSAGES/<domain>.po`` and the compiled ``.mo``
beside it; ``python tools/i18n.py`` extracts, updates and compiles them). The
message ids are the English texts, so English needs no catalogue. Numbers, money,
percentages and dates are formatted by Babel for the locales fi_FI, sv_FI and en_GB
(Finnish and Swedish separate thousands with a no-break space, ``\xa0``).

Names of scenarios, strategies and services come from their config files: a
``title`` or ``description`` given either as English text or as a mapping
``{en: ..., fi: ..., sv: ...}`` (:func:`label`).

Never install a translation globally (``gettext.install``): each report or
dashboard user keeps its own :func:`translator`.
"""

from __future__ import annotations

import datetime as dt
import gettext
import math
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal
from babel.numbers import format_percent as _babel_percent

__all__ = [
    "DOMAINS",
    "LANGUAGES",
    "LOCALES",
    "LOCALE_DIR",
    "MISSING",
    "check_language",
    "format_date",
    "format_keur",
    "format_meur",
    "format_number",
    "format_percent",
    "label",
    "translator",
    "world_language",
]

#: The languages of every output, in the order they are offered.
LANGUAGES = ("fi", "sv", "en")
#: Babel locale of each language (territory locales: plain ``sv`` writes ISO dates).
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
#: gettext domains, one per output (each owned by one module family).
DOMAINS = ("report", "dashboard", "maps", "tables")
#: Folder of the catalogues (``<lang>/LC_MESSAGES/<domain>.po`` and ``.mo``).
LOCALE_DIR = Path(str(resources.files("experiments") / "locale"))
#: Shown for a missing value (NaN or None) in every language.
MISSING = "–"

#: Money in millions and thousands of euros, as CLDR's short compact currency of each
#: locale writes them (``format_compact_currency``), but with a fixed magnitude so a
#: table column keeps one unit.
_MONEY = {
    "fi": {6: "{}\xa0milj.\xa0€", 3: "{}\xa0t.\xa0€"},
    "sv": {6: "{}\xa0mn\xa0€", 3: "{}\xa0tn\xa0€"},
    "en": {6: "€{}m", 3: "€{}k"},
}


def check_language(lang: Any) -> str:
    """Return ``lang`` if it is one of :data:`LANGUAGES`.

    Raises
    ------
    ValueError
        Naming the value and the allowed values.

    Examples
    --------
    >>> check_language("sv")
    'sv'
    >>> check_language("de")
    Traceback (most recent call last):
    ...
    ValueError: language 'de': allowed values are fi, sv, en
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: allowed values are {', '.join(LANGUAGES)}")
    return str(lang)


@lru_cache(maxsize=32)
def translator(lang: str, domain: str) -> gettext.NullTranslations:
    """Return the translations of ``domain`` into ``lang`` (English: the identity).

    Parameters
    ----------
    lang : {"fi", "sv", "en"}
        Output language.
    domain : {"report", "dashboard", "maps", "tables"}
        Catalogue, one per output.

    Returns
    -------
    gettext.NullTranslations
        Use its ``gettext`` (and ``ngettext``); a text missing from the catalogue is
        returned unchanged (the tests of each output find such texts).

    Raises
    ------
    ValueError
        On an unknown language or domain.

    Examples
    --------
    >>> translator("en", "report").gettext("Summary")
    'Summary'
    """
    check_language(lang)
    if domain not in DOMAINS:
        raise ValueError(f"domain {domain!r}: allowed values are {', '.join(DOMAINS)}")
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, LOCALE_DIR, languages=[lang], fallback=True)


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def format_number(x: float | None, lang: str, digits: int = 0) -> str:
    r"""Format ``x`` with ``digits`` decimals and the locale's separators.

    Examples
    --------
    >>> format_number(1234567.891, "fi", 1)
    '1\xa0234\xa0567,9'
    >>> format_number(1234567.891, "en")
    '1,234,568'
    >>> format_number(float("nan"), "sv")
    '–'
    """
    if _missing(x):
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(x, format=pattern, locale=LOCALES[check_language(lang)])


def _money(eur: float | None, lang: str, power: int, digits: int) -> str:
    if _missing(eur):
        return MISSING
    number = format_number(abs(eur) / 10**power, lang, digits)
    text = _MONEY[check_language(lang)][power].format(number)
    return f"-{text}" if eur < 0 and number.strip("0,.\xa0") else text


def format_meur(eur: float | None, lang: str, digits: int = 1) -> str:
    r"""Format an amount in euros as millions of euros.

    Examples
    --------
    >>> format_meur(12_345_678, "fi")
    '12,3\xa0milj.\xa0€'
    >>> format_meur(12_345_678, "sv")
    '12,3\xa0mn\xa0€'
    >>> format_meur(-2_345_678, "en")
    '-€2.3m'
    """
    return _money(eur, lang, 6, digits)


def format_keur(eur: float | None, lang: str, digits: int = 0) -> str:
    r"""Format an amount in euros as thousands of euros.

    Examples
    --------
    >>> format_keur(812_345, "fi")
    '812\xa0t.\xa0€'
    >>> format_keur(812_345, "en", 1)
    '€812.3k'
    """
    return _money(eur, lang, 3, digits)


def format_percent(share: float | None, lang: str, digits: int = 0) -> str:
    r"""Format a share (0.853 = 85.3 %) as a percentage in the locale's style.

    Examples
    --------
    >>> format_percent(0.853, "fi", 1)
    '85,3\xa0%'
    >>> format_percent(0.853, "en")
    '85%'
    """
    if _missing(share):
        return MISSING
    locale = Locale.parse(LOCALES[check_language(lang)])
    pattern = locale.percent_formats[None].pattern  # "#,##0\xa0%" in fi and sv
    if digits > 0:
        pattern = pattern.replace("0", "0." + "0" * digits, 1)
    return _babel_percent(share, format=pattern, locale=locale)


def format_date(day: dt.date, lang: str, form: str = "long") -> str:
    """Format a date: ``long``, ``short``, or ``month`` (month and year).

    Examples
    --------
    >>> import datetime as dt
    >>> format_date(dt.date(2025, 3, 1), "fi")
    '1. maaliskuuta 2025'
    >>> format_date(dt.date(2025, 3, 1), "sv", "month")
    'mars 2025'
    >>> format_date(dt.date(2025, 3, 1), "en", "short")
    '01/03/2025'
    """
    pattern = {"month": "LLLL yyyy"}.get(form, form)
    return _babel_date(day, pattern, locale=LOCALES[check_language(lang)])


def _field(node: Any, name: str) -> Any:
    if isinstance(node, Mapping):
        return node.get(name)
    try:  # OmegaConf DictConfig, dataclasses
        return node.get(name) if hasattr(node, "get") else getattr(node, name, None)
    except (AttributeError, KeyError):
        return None


def label(node: Any, field: str, lang: str) -> str:
    """Return the ``title`` or ``description`` of a config node in ``lang``.

    The field is either English text or a mapping ``{en: ..., fi: ..., sv: ...}``; a
    language missing from the mapping falls back to English. A missing ``title``
    falls back to the node's ``name`` (then its ``id``); a missing description is
    empty.

    Parameters
    ----------
    node : mapping, DictConfig or object
        A scenario, strategy or service config.
    field : {"title", "description"}
        Which text.
    lang : {"fi", "sv", "en"}
        Output language.

    Examples
    --------
    >>> node = {"name": "status_quo", "title": {"en": "Status quo", "fi": "Nykytila"}}
    >>> label(node, "title", "fi"), label(node, "title", "sv")
    ('Nykytila', 'Status quo')
    >>> label({"name": "reactive"}, "title", "fi"), label({"name": "x"}, "description", "fi")
    ('reactive', '')
    """
    check_language(lang)
    value = _field(node, field)
    if isinstance(value, Mapping) or (hasattr(value, "keys") and hasattr(value, "get")):
        text = value.get(lang) or value.get("en") or next(iter(value.values()), "")
        return str(text or "")
    if value is not None and str(value):
        return str(value)
    if field == "title":
        for fallback in ("name", "id"):
            name = _field(node, fallback)
            if name is not None and str(name):
                return str(name)
    return ""


def world_language(world_yaml: Mapping[str, Any] | None) -> str:
    """Return the default output language of a world: ``language`` of its world.yaml.

    A world that does not say is reported in English.

    Raises
    ------
    ValueError
        If ``language`` is not one of :data:`LANGUAGES`.

    Examples
    --------
    >>> world_language({"name": "sysma", "language": "fi"}), world_language({})
    ('fi', 'en')
    """
    value = (world_yaml or {}).get("language", "en")
    try:
        return check_language(value)
    except ValueError as exc:
        raise ValueError(f"world.yaml: {exc}") from None
