"""Extract, update, compile and check the gettext catalogues of ``experiments/locale``.

Run from the repository root::

    python tools/i18n.py update    # add the new _("...") texts of each domain to fi/sv .po
    python tools/i18n.py compile   # write the .mo beside each .po (commit both)
    python tools/i18n.py check     # exit 1 if a text lacks a translation or a .mo is stale
    python tools/i18n.py update --domain maps   # only one domain (each owner their own)

The message ids are the English texts (English needs no catalogue). Each domain reads
the ``_("...")`` calls of its own source files (:data:`SOURCES`); translate the empty
``msgstr`` that ``update`` adds, then ``compile``. ``check`` is what CI runs (through
``tests/test_i18n.py``). Fuzzy matching is off: a changed English text gets a fresh,
empty entry, never a guessed translation.
"""

from __future__ import annotations

import argparse
import datetime
import gettext
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "experiments" / "locale"
#: Languages with a catalogue (English is the message ids themselves).
TRANSLATED = ("fi", "sv")
#: Source files of each domain (globs from the repository root); each owner keeps its line.
SOURCES = {
    "report": ["experiments/report*.py"],
    "dashboard": ["experiments/dashboard/**/*.py"],
    "maps": ["experiments/maps.py", "experiments/map_marks.py", "experiments/zone_maps.py"],
    "tables": [
        "experiments/tables*.py",
        "experiments/assumptions*.py",
        "experiments/period_tables.py",
        "experiments/readme_sheet.py",
        "experiments/spreadsheet*.py",
    ],
}
#: Fixed header dates and names, so rerunning ``update`` changes only the messages.
HEADER = {
    "project": "servicesim",
    "version": "0.1",
    "charset": "utf-8",
    "copyright_holder": "servicesim contributors",
    "msgid_bugs_address": "",
    "last_translator": "servicesim contributors",
    "language_team": "servicesim contributors",
    "creation_date": datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC),
    "revision_date": datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC),
    "fuzzy": False,
}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def po_path(lang: str, domain: str) -> Path:
    """The ``.po`` file of ``domain`` in ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def template(domain: str) -> Catalog:
    """Every translatable text of the domain's source files."""
    catalog = Catalog(domain=domain, **HEADER)
    for pattern in SOURCES[domain]:
        for path in sorted(ROOT.glob(pattern)):
            for lineno, message, comments, context in extract_from_file(
                "python", str(path), keywords=KEYWORDS
            ):
                where = (str(path.relative_to(ROOT)), lineno)
                catalog.add(message, None, [where], auto_comments=comments, context=context)
    return catalog


def read(lang: str, domain: str) -> Catalog:
    """Read a ``.po`` (an empty catalogue if there is none yet)."""
    path = po_path(lang, domain)
    if not path.exists():
        return Catalog(locale=lang, domain=domain, **HEADER)
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=domain)


def write(catalog: Catalog, lang: str, domain: str) -> None:
    """Write a ``.po`` without source locations (stable diffs)."""
    path = po_path(lang, domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, no_location=True, sort_output=True)


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled ``.mo`` of a catalogue (fuzzy entries left out, as gettext does)."""
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def compiled_form(catalog: Catalog) -> dict:
    """The translations as :class:`gettext.GNUTranslations` holds them (plurals by index)."""
    out: dict = {}
    for m in catalog:
        if not m.id or not m.string or m.fuzzy:
            continue
        if isinstance(m.id, tuple | list):
            out.update({(m.id[0], i): s for i, s in enumerate(m.string)})
        else:
            out[m.id] = m.string
    return out


def update(domains: tuple[str, ...] = tuple(SOURCES)) -> None:
    """Add new texts to (and drop vanished ones from) the fi/sv catalogues of ``domains``."""
    for domain in domains:
        tmpl = template(domain)
        for lang in TRANSLATED:
            catalog = read(lang, domain)
            catalog.update(tmpl, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            for key, value in HEADER.items():  # update() copies the template's dates
                setattr(catalog, key, value)
            write(catalog, lang, domain)


def compile_all(domains: tuple[str, ...] = tuple(SOURCES)) -> None:
    """Write the ``.mo`` beside every ``.po`` of ``domains``."""
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        lang, domain = po.parts[-3], po.stem
        if domain not in domains:
            continue
        po.with_suffix(".mo").write_bytes(mo_bytes(read(lang, domain)))


def problems() -> list[str]:
    """Untranslated or missing texts, and ``.mo`` files that differ from their ``.po``."""
    out = []
    for domain in SOURCES:
        wanted = {m.id for m in template(domain) if m.id}
        for lang in TRANSLATED:
            catalog = read(lang, domain)
            done = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
            for text in sorted(wanted - done, key=str):
                out.append(f"{po_path(lang, domain).relative_to(ROOT)}: no translation of {text!r}")
            mo = po_path(lang, domain).with_suffix(".mo")
            if not mo.exists():
                if done:
                    out.append(f"{mo.relative_to(ROOT)}: missing (python tools/i18n.py compile)")
                continue
            with mo.open("rb") as f:
                compiled = gettext.GNUTranslations(f)._catalog  # noqa: SLF001
            expected = compiled_form(catalog)
            compiled = {k: v for k, v in compiled.items() if k}  # "" is the header
            if compiled != expected:
                out.append(f"{mo.relative_to(ROOT)}: stale (python tools/i18n.py compile)")
    return out


def main(argv: list[str] | None = None) -> int:
    """Run one of ``update``, ``compile`` or ``check``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["update", "compile", "check"])
    parser.add_argument("--domain", choices=list(SOURCES), action="append")
    args = parser.parse_args(argv)
    action, domains = args.action, tuple(args.domain or SOURCES)
    if action == "update":
        update(domains)
    elif action == "compile":
        compile_all(domains)
    else:
        found = problems()
        print("\n".join(found) or "catalogues complete and compiled")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
