"""The report in Finnish, Swedish and English: complete translations, locale numbers,
a compact table of at most 8 columns, and clear errors for a bad language."""

import re
from html.parser import HTMLParser

import numpy as np
import pytest

import servicesim
from experiments.i18n import LANGUAGES
from experiments.report import render_report, write_report
from experiments.report_context import build_context, plan_labels
from experiments.report_tables import MAX_COLUMNS
from servicesim import RunSpec
from tests.sweeps import servicesim as command

NBSP = "\xa0"
#: Words that are English and neither Finnish nor Swedish: a visible text of the fi or
#: sv report containing one of them was not translated.
ENGLISH = set(
    """the and of with which for is are this that these each every from by than their its
    would what when where meets none years year runs seeds seed cost costs waiting access
    standards share demand unmet scenarios strategy strategies population residents
    facilities services within minutes days visits places changes mean interval
    forecast paths map maps chart charts summary assumptions table details page plans
    network zone zones figure value unit source decide effect net present planning
    compared capacity utilisation travel time gap""".split()
)


class VisibleText(HTMLParser):
    """Visible text nodes of a page (style, script and code left out), and alt texts."""

    SKIP = {"style", "script", "code", "title"}

    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in self.SKIP
        self.texts += [v for k, v in attrs if k == "alt" and v]

    def handle_endtag(self, tag):
        self._skip -= tag in self.SKIP

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def english_texts(page: str, allowed: set[str]) -> list[str]:
    """Visible texts with an English word that is not part of an allowed proper noun."""
    parser = VisibleText()
    parser.feed(page)
    found = []
    for text in parser.texts:
        rest = text
        for name in sorted(allowed, key=len, reverse=True):
            rest = rest.replace(name, " ")
        words = {w.lower() for w in re.findall(r"[A-Za-zÅÄÖåäö]+", rest)}
        if words & ENGLISH:
            found.append(text)
    return found


@pytest.fixture(scope="module")
def comparison():
    specs = [
        RunSpec(world="sysma", scenario=s, strategy=k, seed=n, horizon_years=2,
                forecast={"n_samples": 20})
        for s in ("summer_capacity", "status_quo")
        for k in ("reactive", "status_quo")
        for n in (0, 1)
    ]  # fmt: skip
    return servicesim.sweep(specs)


@pytest.fixture(scope="module")
def pages(comparison):
    return {lang: render_report(comparison, lang)[0] for lang in LANGUAGES}


def proper_nouns(ds) -> set[str]:
    """Names of places and facilities (the same in every language), and the tool's name."""
    names = {str(v) for v in ds["zone_name"].values} | {str(v) for v in ds["facility_name"].values}
    return names | {"servicesim", "Sysmä", "P90", "Gini", "Palma"}


def test_the_checker_finds_an_untranslated_english_sentence(pages, comparison):
    page = pages["fi"].replace("</h1>", "</h1><p>Costs are shown per year.</p>")
    assert english_texts(page, proper_nouns(comparison)) == ["Costs are shown per year."]
    assert english_texts(pages["en"], proper_nouns(comparison))  # the checker sees English


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_finnish_and_swedish_reports_have_no_untranslated_english(pages, comparison, lang):
    assert f'<html lang="{lang}">' in pages[lang]
    assert english_texts(pages[lang], proper_nouns(comparison)) == []


def test_the_report_speaks_the_worlds_language_by_default(comparison):
    assert build_context(comparison).lang == "fi"  # Sysmä's world.yaml: language: fi
    page, _ = render_report(comparison)
    assert '<html lang="fi">' in page and "Yhteenveto" in page


def test_names_come_from_the_configs_in_each_language_status_quo_first(pages):
    fi, sv, en = pages["fi"], pages["sv"], pages["en"]
    assert "Kesäkauden lisäkapasiteetti" in fi and "Sommarkapacitet" in sv
    assert "Summer capacity" in en and "Reaktiivinen" in fi and "Reaktiv" in sv
    for page, first, second in ((fi, "Nykytila", "Kesäkauden"), (en, "Status quo", "Summer")):
        plans = page.split('<dl class="plans">')[1]
        assert plans.index(first) < plans.index(second)  # status quo first


def test_numbers_money_and_dates_are_formatted_per_locale(pages):
    fi, sv, en = pages["fi"], pages["sv"], pages["en"]
    assert re.search(rf"\d+,\d{NBSP}milj\.{NBSP}€", fi)
    assert re.search(rf"\d+,\d{NBSP}mn{NBSP}€", sv)
    assert re.search(r"€\d+\.\dm", en) and "milj." not in en
    assert re.search(rf"\d+,\d{NBSP}%", fi) and re.search(r"\d+\.\d%", en)
    for page in (fi, sv):  # no English decimal point in any visible text
        parser = VisibleText()
        parser.feed(page)
        assert not [t for t in parser.texts if re.search(r"\d\.\d", t)]


def _columns(table: str) -> int:
    header = table.split("</tr>")[0]
    return len(re.findall(r"<th[ >]", header))


def test_the_compact_table_has_at_most_eight_columns_and_details_fit_as_well(pages):
    for page in pages.values():
        compact = page.split('<table id="summary"')[1].split("</table>")[0]
        assert 4 <= _columns(compact) <= MAX_COLUMNS
        details = re.findall(r'<table class="details".*?</table>', page, flags=re.S)
        assert details and all(_columns(t) <= MAX_COLUMNS for t in details)


def test_the_summary_states_horizon_base_year_runs_and_answers_per_scenario(pages, comparison):
    en = pages["en"]
    assert "from 2024 to 2025 (2 years after the base year 2023)" in en
    assert "8 simulation runs, 2 seeds per plan" in en
    answers = en.split("at what cost</h3>")[1].split("</ul>")[0]
    assert answers.count("<li>") == 2  # one answer per scenario
    assert "What would change the answer" in en and "No sensitivity runs" in en


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language 'de': allowed values are fi, sv, en"):
        build_context(comparison_stub(), "de")


def comparison_stub():
    import xarray as xr

    return xr.Dataset(
        {"metric_cost_per_year": (("scenario", "strategy", "seed"), np.ones((1, 1, 1)))},
        coords={"scenario": ["a"], "strategy": ["b"], "seed": [0]},
    )


def test_plan_labels_keep_each_runs_translated_titles():
    config = "scenario: {name: a, title: {fi: A-fi, en: A}}\nstrategy: {name: b}\n"
    labels = plan_labels([{"config": config}, {"config": "not: [valid"}])
    assert '"fi": "A-fi"' in labels and '"strategy": {}' in labels


def test_the_report_command_refuses_an_unknown_language_and_writes_nothing(tmp_path, comparison):
    folder = tmp_path / "sweep"
    folder.mkdir()
    proc = command(str(folder), "--language", "de", cwd=tmp_path, name="servicesim-report")
    assert proc.returncode == 2 and "invalid choice: 'de'" in proc.stderr
    assert list(folder.iterdir()) == []
    target = write_report(comparison, tmp_path / "out", "sv")
    assert '<html lang="sv">' in target.read_text(encoding="utf-8")


def test_what_would_change_the_answer_reads_the_sensitivity_runs(tmp_path, comparison):
    (tmp_path / "seasonal_sensitivity.csv").write_text(
        "scenario,strategy,seed,npv_cost_eur,seasonal x,feasible\n"
        "summer_capacity,reactive,0,31884052.0,0.5,1\n"
        "summer_capacity,reactive,0,34188112.0,2.0,0\n"
    )
    page, _ = render_report(comparison, "fi", tmp_path)
    part = page.split("Mikä muuttaisi vastausta")[1].split("</section>")[0]
    assert f"31,9{NBSP}milj.{NBSP}€" in part and f"34,2{NBSP}milj.{NBSP}€" in part
    assert "Kesäkauden lisäkapasiteetti · Reaktiivinen" in part and "kyllä" in part
    assert "1/2 asetuksella" in part


def test_the_recommended_plans_decision_calendar_says_what_to_decide_by_when(comparison):
    chosen = comparison.copy()
    names = {"status_quo": "none", "summer_capacity": "reactive"}
    order = [names[str(s)] for s in chosen["scenario"].values]
    chosen["cheapest_feasible"] = ("scenario", np.array(order, dtype=object))
    chosen["feasible_share"] = chosen["feasible_share"].where(False, 1.0)
    npv = chosen["cheapest_feasible_npv"].copy()
    npv.loc[{"scenario": "summer_capacity"}] = [1e7, 2e7, 3e7]
    chosen["cheapest_feasible_npv"] = npv
    page, _ = render_report(chosen, "en")
    answer = page.split("<b>Summer capacity</b>: ")[1].split("</li>")[0]
    assert answer.startswith("2 of 2 plans meet every service standard in at least 90%")
    assert "The cheapest is Reactive: net present cost €20.0m (€10.0m – €30.0m)" in answer
    calendar = page.split("What to decide by when</h3>")[1].split("<h3>")[0]
    assert "Summer capacity · Reactive" in calendar and "Status quo" not in calendar
    rows = re.findall(r"<tr><td>.*?</tr>", calendar)
    assert rows and all(r.endswith("<td>2 / 2</td></tr>") for r in rows)  # in every seed
    library = next(r for r in rows if "Karilanmaa summer library point" in r)
    assert "September 2024</td><td>June 2025</td>" in library and ">open<" in library


def test_map_titles_get_the_translated_plan_and_scenario_names(comparison):
    import matplotlib.pyplot as plt

    from experiments.report_maps import _retitle

    ctx = build_context(comparison, "fi")
    fig, axes = plt.subplots(1, 2)
    axes[0].set_title("status_quo")
    axes[1].set_title("reactive (suositus)")
    fig.suptitle("Kirjasto: summer_capacity, viimeinen vuosi 2026")
    _retitle(fig, ctx, "summer_capacity")
    assert [ax.get_title() for ax in axes] == [
        "Ei suunnittelua (nykytila)",
        "Reaktiivinen (suositus)",
    ]
    assert fig._suptitle.get_text() == "Kirjasto: Kesäkauden lisäkapasiteetti, viimeinen vuosi 2026"
    plt.close(fig)
