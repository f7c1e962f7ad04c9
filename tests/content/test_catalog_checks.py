"""The catalog checks and the extractor: each kind of broken catalog is caught, and a content
edit flows into the catalogs as a fuzzy entry that fails the check until someone reviews it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog

from bot.content.loader import load_content
from bot.i18n import LOCALE_DIR
from bot.i18n.catalogs import CONTENT_DOMAIN, CONTENT_LANGUAGES, read_catalog
from bot.i18n.checks import catalog_problems, marks
from bot.i18n.extract_content import build_template, problems, update_catalogs
from tests.content.paths import SHIPPED

QUESTION = "Does any of these fit?\n• the pain is sharp\n• it lasted 2 weeks"


def _template() -> Catalog:
    template = Catalog(domain="content")
    template.add("Sharp pain")
    template.add(QUESTION)
    template.add("🚨 Please get urgent help now")
    template.add("Hold for {seconds} s")
    return template


def _catalog(**strings: str) -> Catalog:
    catalog = Catalog(locale="de", domain="content")
    defaults = {
        "Sharp pain": "Stechender Schmerz",
        QUESTION: "Trifft etwas davon zu?\n• der Schmerz ist stechend\n• seit 2 Wochen",
        "🚨 Please get urgent help now": "🚨 Bitte hol dir jetzt dringend Hilfe",
        "Hold for {seconds} s": "{seconds} s halten",
    }
    for msgid, msgstr in defaults.items():
        catalog.add(msgid, strings.get(msgid.split()[0].strip("🚨"), msgstr))
    return catalog


def test_a_complete_catalog_has_no_problems() -> None:
    assert catalog_problems(_template(), _catalog()) == []


def test_missing_empty_fuzzy_stale_and_obsolete_entries_are_each_reported() -> None:
    catalog = _catalog()
    del catalog["Sharp pain"]
    catalog[QUESTION].string = ""
    catalog["Hold for {seconds} s"].flags.add("fuzzy")
    catalog.add("A text the content no longer has", "Ein alter Text")
    catalog.obsolete["Gone"] = catalog["A text the content no longer has"]
    found = catalog_problems(_template(), catalog)
    assert any("'Sharp pain': missing" in line for line in found)
    assert any("not translated" in line for line in found)
    assert any("fuzzy" in line for line in found)
    assert any("stale" in line and "no longer has" in line for line in found)
    assert any("obsolete" in line for line in found)
    assert len(found) == 5


@pytest.mark.parametrize(
    ("msgid", "broken"),
    [
        ("Hold for {seconds} s", "{sekunden} s halten"),
        (QUESTION, "Trifft etwas davon zu?\n• der Schmerz ist stechend, seit 2 Wochen"),
        (QUESTION, "Trifft etwas davon zu?\n• der Schmerz ist stechend\n• seit zwei Wochen"),
        ("🚨 Please get urgent help now", "Bitte hol dir jetzt dringend Hilfe"),
    ],
    ids=["placeholder", "a bullet dropped", "a number dropped", "emoji dropped"],
)
def test_a_translation_that_loses_a_mark_is_reported(msgid: str, broken: str) -> None:
    catalog = _catalog()
    catalog[msgid].string = broken
    found = catalog_problems(_template(), catalog)
    assert len(found) == 1
    assert "differ" in found[0]


def test_a_translation_longer_than_its_button_is_reported() -> None:
    catalog = _catalog()
    catalog["Sharp pain"].string = "Ein stechender, plötzlich einschießender Schmerz im Rücken"
    found = catalog_problems(_template(), catalog, {"Sharp pain": 40})
    assert found == [f"de/content: 'Sharp pain': {58} characters, at most 40 fit"]


def test_marks_count_what_must_survive() -> None:
    found = marks("🛑 Stop\n• one\n• two <b>{name}</b> 5–10")
    assert found["•"] == 2
    assert found["🛑"] == 1
    assert found["{name}"] == 1
    assert found["<b>"] == 1 and found["</b>"] == 1
    assert found["5"] == 1 and found["10"] == 1
    assert found["\n"] == 2


def test_template_names_each_place_a_text_is_used() -> None:
    template = build_template(load_content(SHIPPED), SHIPPED)
    question = template["How did that one feel?"]
    assert question.auto_comments == ["safety.yaml checkin.question (at most 1500 characters)"]
    ((file, line),) = question.locations
    assert file == "content/safety.yaml"
    lines = (SHIPPED / "safety.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[line - 1].strip() == "question: How did that one feel?"
    warm_up = template["Walk around or march on the spot for 5–10 minutes first."]
    assert len(warm_up.auto_comments) > 1  # an anchored warm-up shared by several routines
    assert all(".warm_up " in comment for comment in warm_up.auto_comments)
    label = template["Sharp pain"]
    assert "(at most 40 characters)" in label.auto_comments[0]


def _copy_catalogs(root: Path) -> None:
    for language in CONTENT_LANGUAGES:
        target = root / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(LOCALE_DIR / language / "LC_MESSAGES" / f"{CONTENT_DOMAIN}.po", target)


def test_shipped_catalogs_are_exactly_what_the_extractor_writes(tmp_path: Path) -> None:
    _copy_catalogs(tmp_path)
    template = build_template(load_content(SHIPPED), SHIPPED)
    assert update_catalogs(template, tmp_path) == []


def test_an_edited_text_turns_fuzzy_and_a_removed_one_leaves(tmp_path: Path) -> None:
    content_dir = tmp_path / "content"
    shutil.copytree(SHIPPED, content_dir)
    data = yaml.safe_load((content_dir / "safety.yaml").read_text(encoding="utf-8"))
    old = data["checkin"]["question"]
    data["checkin"]["question"] = "How did that one feel for you?"
    (content_dir / "safety.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    locale = tmp_path / "locale"
    _copy_catalogs(locale)
    content = load_content(content_dir)
    template = build_template(content, content_dir)

    before = problems(content, template, locale)
    assert len(before) == 2 * len(CONTENT_LANGUAGES)  # per language: the new one, the old one
    assert update_catalogs(template, locale)
    after = problems(content, template, locale)
    assert sorted(line.split(":")[0] for line in after) == sorted(
        f"{language}/content" for language in CONTENT_LANGUAGES
    )
    assert all("fuzzy" in line for line in after)
    german = read_catalog("de", CONTENT_DOMAIN, locale)
    edited = german["How did that one feel for you?"]
    assert edited.fuzzy and edited.string == "Wie hat sich das angefühlt?"
    written = (locale / "de" / "LC_MESSAGES" / "content.po").read_text(encoding="utf-8")
    assert f'#| msgid "{old}"' in written  # the old English beside it, for the reviewer
    assert german.get(old) is None
    update_catalogs(template, locale)  # a second run (Babel drops the `#|` line) ...
    assert problems(content, template, locale) == after  # ... never clears the fuzzy flag
