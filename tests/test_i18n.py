"""Languages: Babel formatting per locale, translated config texts, world language."""

import datetime as dt
import tomllib
from pathlib import Path

import pytest
import yaml
from babel.numbers import format_compact_currency

from experiments.i18n import (
    LANGUAGES,
    LOCALE_DIR,
    LOCALES,
    check_language,
    format_date,
    format_keur,
    format_meur,
    format_number,
    format_percent,
    label,
    translator,
    world_language,
)
from scenarios.errors import WorldFileError
from scenarios.spec import RunSpec
from scenarios.spec_checks import ConfigError
from scenarios.worlds.loader import embedded_world_path, load_world

REPO = Path(__file__).resolve().parents[1]
CONF = REPO / "experiments" / "conf"
NBSP = "\xa0"


def test_numbers_use_the_locales_separators_with_no_break_spaces():
    assert format_number(1234567.891, "fi", 2) == f"1{NBSP}234{NBSP}567,89"
    assert format_number(1234567.891, "sv", 2) == f"1{NBSP}234{NBSP}567,89"
    assert format_number(1234567.891, "en", 2) == "1,234,567.89"
    assert format_percent(0.125, "fi", 1) == f"12,5{NBSP}%"
    assert format_percent(0.125, "sv", 1) == f"12,5{NBSP}%"
    assert format_percent(0.125, "en", 1) == "12.5%"
    assert format_date(dt.date(2025, 3, 1), "fi") == "1. maaliskuuta 2025"
    assert format_date(dt.date(2025, 3, 1), "sv") == "1 mars 2025"
    assert format_date(dt.date(2025, 3, 1), "en") == "1 March 2025"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("eur", [12_345_678.0, -2_345_678.0, 1_500_000.0])
def test_money_in_millions_is_cldrs_compact_currency(lang, eur):
    """A fixed magnitude, but the same words as Babel's compact currency of the locale."""
    expected = format_compact_currency(eur, "EUR", locale=LOCALES[lang], fraction_digits=1)
    assert format_meur(eur, lang) == expected
    thousands = format_compact_currency(812_345, "EUR", locale=LOCALES[lang], fraction_digits=1)
    assert format_keur(812_345, lang, 1) == thousands


def test_money_keeps_its_unit_below_a_million_and_missing_values_show_a_dash():
    assert format_meur(260_000, "fi") == f"0,3{NBSP}milj.{NBSP}€"
    assert format_meur(float("nan"), "sv") == "–" and format_number(None, "en") == "–"


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match="language 'de': allowed values are fi, sv, en"):
        check_language("de")
    with pytest.raises(ValueError, match="allowed values are fi, sv, en"):
        translator("de", "report")
    with pytest.raises(ValueError, match="domain 'x'"):
        translator("fi", "x")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_compiled_catalogues_translate_through_the_translator(lang):
    from babel.messages.pofile import read_po

    for po in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        t = translator(lang, po.stem)
        for message in catalog:
            if message.id and isinstance(message.id, str) and message.string:
                assert t.gettext(message.id) == message.string, (po, message.id)
    assert translator("en", "report").gettext("Summary") == "Summary"


def _configs(group):
    return sorted((CONF / group).glob("*.yaml"))


@pytest.mark.parametrize("path", _configs("scenario") + _configs("strategy"), ids=lambda p: p.stem)
def test_every_shipped_scenario_and_strategy_has_a_title_and_description_in_each_language(path):
    node = yaml.safe_load(path.read_text(encoding="utf-8"))
    for field in ("title", "description"):
        assert set(node[field]) == set(LANGUAGES), (path, field)
        texts = {lang: label(node, field, lang) for lang in LANGUAGES}
        assert all(texts.values())
        assert texts["fi"] != texts["en"] and texts["sv"] != texts["en"], texts


@pytest.mark.parametrize("world", ["sysma", "paijat_hame"])
def test_every_service_of_the_embedded_worlds_has_a_finnish_and_swedish_title(world):
    folder = embedded_world_path(world)
    services = yaml.safe_load((folder / "services.yaml").read_text(encoding="utf-8"))
    for service in services:
        fi, sv, en = (label(service, "title", lang) for lang in ("fi", "sv", "en"))
        assert en == service["name"] and fi not in ("", en) and sv not in ("", en), service["id"]
    meta = yaml.safe_load((folder / "world.yaml").read_text(encoding="utf-8"))
    assert world_language(meta) == "fi"


def test_translated_texts_are_run_options_that_never_change_results():
    spec = RunSpec(
        scenario={"name": "s", "title": {"fi": "Nykytila", "en": "As is"}, "changes": []},
        strategy={"name": "reactive", "title": "Reactive", "description": {"sv": "Reaktiv"}},
    )
    assert spec.scenario.title == {"fi": "Nykytila", "en": "As is"}
    assert RunSpec.from_yaml(spec.to_yaml()) == spec
    with pytest.raises(ConfigError, match="scenario.title.de: not a language"):
        RunSpec(scenario={"name": "s", "title": {"de": "Status"}, "changes": []})
    with pytest.raises(ConfigError, match="strategy.description.fi=3: must be text"):
        RunSpec(strategy={"name": "reactive", "description": {"fi": 3}})


def test_a_world_with_an_unknown_language_is_refused_naming_the_file(tmp_path):
    import shutil

    folder = tmp_path / "w"
    shutil.copytree(embedded_world_path("sysma"), folder)
    meta = folder / "world.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("language: fi", "language: de"))
    with pytest.raises(WorldFileError) as err:
        load_world(folder)
    assert "world.yaml" in str(err.value) and "language" in str(err.value)
    assert "'de' is not one of ['en', 'fi', 'sv']" in str(err.value)


def test_the_catalogues_are_package_data():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["experiments"]
    files = {p.relative_to(REPO / "experiments") for p in LOCALE_DIR.rglob("*.[mp]o")}
    matched = {f for f in files if any(f.match(pattern) for pattern in patterns)}
    assert files and matched == files
    assert {f.suffix for f in files} == {".po", ".mo"}
    dependencies = " ".join(config["project"]["dependencies"])
    assert "babel>=" in dependencies and "<" in dependencies.split("babel>=")[1].split('"')[0]
