"""Every catalog holds exactly the messages the code asks for, each translated, each keeping the
English placeholders and HTML tags. Extracted afresh from the code on every run."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from bot.i18n import LANGUAGES, catalog
from bot.i18n.messages import all_problems, extract, problems, read_catalog


def test_every_catalog_matches_the_code() -> None:
    found = all_problems()
    assert not found, "\n".join(found[:50]) + "\nrun `make messages` and translate"


def test_every_catalog_compiles_with_its_plural_rule() -> None:
    for language in LANGUAGES:
        assert catalog(language).gettext("Unsubscribe")
    assert read_catalog("ru").num_plurals == 3
    assert read_catalog("de").num_plurals == 2


def _template(*messages: str | tuple[str, str]) -> Catalog:
    template = Catalog()
    for message in messages:
        template.add(message)
    return template


def _catalog(**strings: str) -> Catalog:
    found = Catalog(locale="de")
    for message_id, string in strings.items():
        found.add(message_id.replace("_", " "), string)
    return found


@pytest.mark.parametrize(
    ("have", "reason"),
    [
        ({}, "missing"),
        ({"Hello {name}": "Hallo {name}", "Gone": "Weg"}, "stale"),
        ({"Hello {name}": ""}, "untranslated"),
        ({"Hello {name}": "Hallo {nom}"}, "placeholders differ"),
        ({"Hello {name}": "Hallo"}, "placeholders differ"),
        ({"Hello {name}": "<b>Hallo</b> {name}"}, "HTML tags differ"),
    ],
)
def test_the_check_names_each_kind_of_problem(have: dict[str, str], reason: str) -> None:
    template = _template("Hello {name}")
    found = Catalog(locale="de")
    for message_id, string in have.items():
        found.add(message_id, string)
    assert any(reason in problem for problem in problems("de", template, found))


def test_a_fuzzy_guess_is_a_problem_and_a_good_catalog_is_none() -> None:
    template = _template("Hello {name}")
    found = Catalog(locale="de")
    found.add("Hello {name}", "Hallo {name}")
    assert problems("de", template, found) == []
    found["Hello {name}"].flags.add("fuzzy")
    assert any("fuzzy" in problem for problem in problems("de", template, found))


def test_a_plural_form_may_spell_out_one_but_not_lose_other_placeholders() -> None:
    singular, plural = "{count} minute in {zone}", "{count} minutes in {zone}"
    template = _template((singular, plural))
    found = Catalog(locale="ru")
    found.add(
        (singular, plural),
        ("{count} минута в {zone}", "{count} минуты в {zone}", "{count} минут в {zone}"),
    )
    assert problems("ru", template, found) == []
    found[(singular, plural)].string = (
        "минута в {zone}",
        "{count} минуты в {zone}",
        "{count} минут",
    )
    assert len(problems("ru", template, found)) == 1


def test_extraction_finds_deferred_marks_and_leaves_the_content_catalog_out() -> None:
    ids = {message.id for message in extract()}
    assert "Unsubscribe" in ids  # marked N_ in a table of command descriptions
    assert all(
        not location.startswith("bot/i18n/content.py")
        for message in extract()
        for location, _line in message.locations
    )
