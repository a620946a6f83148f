"""The text-template mechanism: user-visible text comes from report/text/<locale>/<section>.yml."""

import pytest

from analysis import texts


@pytest.fixture
def report_dir(tmp_path):
    folder = tmp_path / "text" / "sv"
    folder.mkdir(parents=True)
    (folder / "demo.yml").write_text(
        "figures:\n  fig-a:\n    caption: 'Andel {n} av {N}'\nlabels:\n  'yes': Ja\n", encoding="utf-8"
    )
    texts.section.cache_clear()
    yield tmp_path
    texts.section.cache_clear()


class TestSection:
    def test_reads_nested_templates(self, report_dir):
        assert texts.section("demo", "sv", report_dir)["labels"] == {"yes": "Ja"}

    def test_missing_file_names_the_path(self, report_dir):
        with pytest.raises(texts.MissingTextError, match="nothing.yml is missing"):
            texts.section("nothing", "sv", report_dir)


class TestLocale:
    def test_default_is_swedish(self):
        assert texts.locale({}) == "sv-SE"

    def test_config_sets_it(self):
        assert texts.locale({"report": {"locale": "en"}}) == "en"


class TestGet:
    def test_fills_fields(self, report_dir):
        assert texts.get("demo", "figures.fig-a.caption", report_dir=report_dir, n="3", N="9") == "Andel 3 av 9"


class TestGroup:
    def test_returns_the_group_unformatted(self, report_dir):
        assert texts.group("demo", "figures.fig-a", report_dir=report_dir) == {"caption": "Andel {n} av {N}"}


@pytest.mark.parametrize(
    "read, key, message",
    [
        (texts.get, "figures.fig-b.caption", "'figures.fig-b.caption' is missing from .*demo.yml"),
        (texts.get, "figures", "is a group"),
        (texts.group, "labels.no", "'labels.no' is missing from .*demo.yml"),
        (texts.group, "labels.yes", "is a template, not a group"),
    ],
)
def test_a_wrong_key_names_the_key_and_the_file(report_dir, read, key, message):
    with pytest.raises(texts.MissingTextError, match=message):
        read("demo", key, report_dir=report_dir)


class TestTemplates:
    def test_reads_the_locale_in_effect_when_it_names_none(self):
        t = texts.Templates("size")
        with texts.using("xx"):
            with pytest.raises(texts.MissingTextError, match=r"text/xx/size.yml is missing"):
                t("none")
        assert t("none") == texts.get("size", "none")

    def test_of_a_config_fixes_its_locale(self):
        t = texts.Templates.of("size", {"report": {"locale": "sv-SE"}})
        assert t.locale == "sv-SE"
        assert t.group("breakdowns") == texts.group("size", "breakdowns", "sv-SE")
