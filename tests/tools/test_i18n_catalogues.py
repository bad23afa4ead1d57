"""The gettext catalogues: every text translated, every .mo compiled from its .po."""

import shutil

from tests.tools.conftest import load_tool

i18n_tool = load_tool("i18n")


def test_every_text_is_translated_and_every_mo_matches_its_po():
    assert i18n_tool.problems() == []


def test_a_stale_mo_or_a_new_untranslated_text_is_found(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    shutil.copytree(i18n_tool.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n_tool, "LOCALE_DIR", locale)
    monkeypatch.setattr(i18n_tool, "ROOT", tmp_path)
    source = tmp_path / "experiments" / "report_new.py"
    source.parent.mkdir()
    source.write_text('_ = str\nTITLE = _("A sentence nobody translated")\n')
    po = i18n_tool.po_path("fi", "report")
    catalog = i18n_tool.read("fi", "report")
    catalog.add("Extra", "Lisä")
    i18n_tool.write(catalog, "fi", "report")  # the .mo now lacks "Extra": stale
    found = "\n".join(i18n_tool.problems())
    assert "no translation of 'A sentence nobody translated'" in found
    assert f"{po.with_suffix('.mo').relative_to(tmp_path)}: stale" in found
    i18n_tool.update()
    assert "A sentence nobody translated" in po.read_text(encoding="utf-8")
    catalog = i18n_tool.read("fi", "report")
    catalog["A sentence nobody translated"].string = "Lause, jota kukaan ei kääntänyt"
    i18n_tool.write(catalog, "fi", "report")
    i18n_tool.compile_all()
    assert not [p for p in i18n_tool.problems() if "/fi/" in p and "report" in p]
