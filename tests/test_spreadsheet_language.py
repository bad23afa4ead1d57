"""comparison.xlsx in Finnish and Swedish: every visible text translated, the same numbers
in the same cells as in English, the CSV files the same in every language, and the
``tables`` catalogues compiled."""

import re

import pytest
import xarray as xr
from openpyxl import load_workbook

import servicesim
from experiments.spreadsheet import XLSX_FILE, build_sheets, write_tables
from experiments.tables_i18n import sheet_language, translate_sheets
from servicesim import RunSpec
from tests.test_report_language import ENGLISH as REPORT_ENGLISH
from tools.i18n import problems

SHEETS = ["readme", "summary", "periods", "standards", "decisions", "assumptions"]
#: English words of the workbook that are neither Finnish nor Swedish (the report's
#: list and more): a visible text of the fi or sv workbook holding one is untranslated.
ENGLISH = REPORT_ENGLISH | set(
    """quantile quantiles over sheet column columns measure measures setting settings file
    world title history persons months month estimate config penalty limit fixed enrolled
    eligible combined recommended feasible key group name periods readme origin
    target operation lead wait shortfall held assessed item first last run see visits
    places law local statutory meaning scheduled affects""".split()
)  # fmt: skip
#: Columns (by their CSV key) whose cells are identifiers or configured values, the same
#: in every language: ids of scenarios, strategies, services and facilities, operations,
#: estimate keys and their values.
IDENTIFIERS = {"scenario", "strategy", "service", "services", "op", "target", "key", "value"}
#: Readme rows about the file whose value is data (the world's id, the package and
#: version, the settings that vary), and the readme's config rows (setting = value).
DATA_ROWS = {("file", "world"), ("file", "source"), ("file", "varies between runs")}
PATH = re.compile(r"[\w./:<>-]+\.(?:yaml|csv|md|py)\b")


@pytest.fixture(scope="module")
def comparison():
    specs = [
        RunSpec(world="sysma", scenario=s, strategy=k, seed=n, horizon_years=6,
                forecast={"n_samples": 5})
        for s, k in (("status_quo", "status_quo"), ("close_village_school", "reactive"))
        for n in (0, 1)
    ]  # fmt: skip
    return servicesim.sweep(specs)


@pytest.fixture(scope="module")
def folders(comparison, tmp_path_factory):
    out = {}
    for lang in ("en", "fi", "sv"):
        out[lang] = tmp_path_factory.mktemp(f"tables-{lang}")
        write_tables(comparison, out[lang], lang)
    return out


@pytest.fixture(scope="module")
def books(folders):
    return {lang: load_workbook(folder / XLSX_FILE) for lang, folder in folders.items()}


def identifiers(ds: xr.Dataset) -> set[str]:
    """Names that are the same in every language: ids, places, the tool, abbreviations."""
    names = set()
    for var in ("scenario", "strategy", "service", "facility", "zone_name", "facility_name"):
        if var in ds.variables:
            names |= {str(v) for v in ds[var].values}
    return names | {"servicesim", "Sysmä", "P90", "NPV", "CSV", "UTF-8", "BOM"}


def english_words(text: str, allowed: set[str]) -> set[str]:
    """English words of ``text`` outside the allowed names and file paths."""
    rest = PATH.sub(" ", text)
    for name in sorted(allowed, key=len, reverse=True):
        rest = rest.replace(name, " ")
    return {w.lower() for w in re.findall(r"[A-Za-zÅÄÖåäö]+", rest)} & ENGLISH


def visible_texts(book, english_book) -> list[tuple[str, str, str]]:
    """(sheet, where, text) of every sheet name, header and text cell a reader sees,
    identifiers and configured values left out (located by the English workbook)."""
    out = []
    for ws, en in zip(book.worksheets, english_book.worksheets, strict=True):
        out.append((ws.title, "sheet name", ws.title))
        rows, en_rows = list(ws.iter_rows(values_only=True)), list(en.iter_rows(values_only=True))
        assert len(rows) == len(en_rows), ws.title
        keys = list(en_rows[0])
        if len(rows[0]) == len(keys) + 1:  # a translated readme: each row's key after "column"
            keys.insert(2, "key")
        out += [(ws.title, "header", h) for h in rows[0]]
        for row, en_row in zip(rows[1:], en_rows[1:], strict=True):
            if en.title == "readme" and (en_row[0] == "config" or en_row[:2] in DATA_ROWS):
                continue
            for key, cell in zip(keys, row, strict=True):
                if isinstance(cell, str) and key not in IDENTIFIERS:
                    out.append((ws.title, key, cell))
    return out


def test_the_checker_finds_english(books, comparison):
    allowed = identifiers(comparison)
    found = [t for t in visible_texts(books["en"], books["en"]) if english_words(t[2], allowed)]
    assert ("readme", "sheet name", "readme") in found
    assert any(where == "meaning" for _, where, _ in found)
    assert english_words("Kustannus per year (docs/scenarios.md)", allowed) == {"year"}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_finnish_and_swedish_workbooks_have_no_untranslated_text(books, comparison, lang):
    book = books[lang]
    assert book.sheetnames != SHEETS and len(set(book.sheetnames)) == len(SHEETS)
    allowed = identifiers(comparison)
    assert book.worksheets[0].max_column == books["en"].worksheets[0].max_column + 1  # key
    texts = visible_texts(book, books["en"])
    assert len(texts) > 500  # the check saw the sheets' texts, not just the headers
    untranslated = [t for t in texts if english_words(t[2], allowed)]
    assert untranslated == []


def test_titles_and_fixed_labels_are_in_the_language(books):
    fi, sv = books["fi"], books["sv"]
    assert fi.sheetnames[1] == "yhteenveto" and sv.sheetnames[1] == "sammanfattning"
    titles = {r[2] for r in fi.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert "Nykytila" in titles
    measures = {r[5] for r in sv.worksheets[2].iter_rows(min_row=2, values_only=True)}
    assert "fast bosatta" in measures


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_numbers_are_the_same_cells_as_in_english(books, lang):
    numbers = 0
    for ws, en in zip(books[lang].worksheets, books["en"].worksheets, strict=True):
        shift = 1 if en.title == "readme" else 0  # the readme's key column
        for row, en_row in zip(ws.iter_rows(), en.iter_rows(), strict=True):
            cells = [c for j, c in enumerate(row) if not (shift and j == 2)]
            for cell, en_cell in zip(cells, en_row, strict=True):
                if isinstance(en_cell.value, int | float):
                    numbers += 1
                    assert cell.value == en_cell.value, (ws.title, cell.coordinate)
                    assert cell.data_type == "n" and cell.number_format == en_cell.number_format
                else:
                    assert not isinstance(cell.value, int | float), (ws.title, cell.coordinate)
    assert numbers > 1000


def test_csv_files_are_the_same_in_every_language(folders):
    for sheet in SHEETS:
        name = f"comparison_{sheet}.csv"
        english = (folders["en"] / name).read_bytes()
        assert (folders["fi"] / name).read_bytes() == english == (folders["sv"] / name).read_bytes()
        assert english.decode("utf-8-sig").startswith(("sheet,", "scenario,", "key,"))


def test_the_workbook_speaks_the_worlds_language_by_default(comparison, tmp_path):
    assert sheet_language(comparison) == "fi"  # Sysmä's world.yaml: language: fi
    write_tables(comparison, tmp_path)
    assert load_workbook(tmp_path / XLSX_FILE).sheetnames[0] == "lueminut"
    lost = comparison.copy()
    lost.attrs["world_path"] = str(tmp_path / "no-such-world")
    assert sheet_language(lost) == "en"
    with pytest.raises(ValueError, match="allowed values are fi, sv, en"):
        sheet_language(comparison, "de")


def test_the_tables_catalogues_are_complete_and_compiled():
    assert [p for p in problems() if "/tables." in p] == []


def test_an_unreadable_world_still_gives_a_translated_workbook(comparison, tmp_path):
    lost = comparison.copy()
    lost.attrs["world_path"] = str(tmp_path / "no-such-world")
    sheets = {s.name: s for s in translate_sheets(build_sheets(lost), lost, "fi")}
    row = sheets["assumptions"].frame.iloc[0]
    assert row["key"] == "unavailable" and row["group"] == "Simulointi"
    assert row["name"].startswith("mallialueen tietoja ei voitu lukea: ")
    assert "no-such-world" in row["name"]
    assert sheets["summary"].title == "yhteenveto" and len(sheets["summary"].frame) == 2
