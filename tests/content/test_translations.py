"""The shipped content catalogs: every text in all four languages, current, and intact.

English is the YAML itself; German, Spanish and Russian are `bot/locale/<lang>/LC_MESSAGES/
content.po`. A content edit without a catalog update fails here, naming the text and the
language, until `python -m bot.i18n.extract_content --update` is run and the text translated.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest
from babel.messages.catalog import Catalog
from pydantic import BaseModel

from bot.content.loader import Content
from bot.content.models import Routine, Stretch
from bot.content.safety import Outcome, SafetyContent, TriageContent
from bot.i18n.catalogs import CONTENT_DOMAIN, CONTENT_LANGUAGES, read_catalog
from bot.i18n.content import content_text
from bot.i18n.content_fields import (
    NOT_TRANSLATED,
    TRANSLATED,
    content_texts,
    human_text_fields,
)
from bot.i18n.extract_content import build_template, length_limits, main, problems
from tests.content.paths import SHIPPED


@pytest.fixture(scope="module")
def template(content: Content) -> Catalog:
    return build_template(content, SHIPPED)


@pytest.mark.parametrize("language", CONTENT_LANGUAGES)
def test_every_content_text_is_translated_current_and_intact(
    content: Content, template: Catalog, language: str
) -> None:
    found = [line for line in problems(content, template) if line.startswith(f"{language}/")]
    assert found == [], "\n".join(found)
    assert len(length_limits(content_texts(content))) > 400  # the walk found the texts


def test_check_command_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--content", str(SHIPPED), "--check"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("language", CONTENT_LANGUAGES)
def test_every_text_reads_differently_from_english_where_it_must(
    content: Content, language: str
) -> None:
    """A catalog that copied the English would pass the completeness check; sentences (more
    than two words) must actually be translated."""
    untranslated = sorted(
        {
            item.text
            for item in content_texts(content)
            if len(item.text.split()) > 2 and content_text(item.text, language) == item.text
        }
    )
    assert untranslated == []


def test_lookup_falls_back_to_english_and_follows_telegram_codes(content: Content) -> None:
    stretch = content.stretches["seated_forward_fold"]
    german = content_text(stretch.name, "de")
    assert german != stretch.name
    assert content_text(stretch.name, "de-AT") == german
    assert content_text(stretch.name, "DE_de") == german
    assert content_text(stretch.name, "en") == stretch.name
    assert content_text(stretch.name, "pt-br") == stretch.name
    assert content_text(stretch.name, None) == stretch.name
    assert content_text("A text no catalog has", "ru") == "A text no catalog has"


def test_urgent_words_are_translated_in_every_language(content: Content) -> None:
    """The most important screen: its title and text differ per language and keep the 🚨."""
    urgent = content.safety.outcomes.urgent
    seen = {urgent.title}
    for language in CONTENT_LANGUAGES:
        title = content_text(urgent.title, language)
        assert title.startswith("🚨")
        assert content_text(urgent.text, language) != urgent.text
        seen.add(title)
    assert len(seen) == 1 + len(CONTENT_LANGUAGES)


@pytest.mark.parametrize("language", CONTENT_LANGUAGES)
def test_each_red_flag_bullet_survives_translation(content: Content, language: str) -> None:
    """One bullet line per red flag, in the same order as the English question."""
    for question in content.safety.triage.questions:
        english = [line for line in question.text.splitlines() if line.startswith("•")]
        translated = content_text(question.text, language).splitlines()
        assert len([line for line in translated if line.startswith("•")]) == len(english)


def test_the_rules_are_not_in_the_catalogs(template: Catalog, content: Content) -> None:
    """Ids and outcomes stay one set of data: none of them is a msgid."""
    ids = {question.id for question in content.safety.triage.questions}
    ids |= {a.id for q in content.safety.triage.questions for a in q.answers}
    ids |= {outcome.value for outcome in Outcome}
    ids |= set(content.stretches) | set(content.routines)
    assert ids.isdisjoint({message.id for message in template})


def _models_under(root: type[BaseModel]) -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    pending: list[type[BaseModel]] = [root]
    while pending:
        model = pending.pop()
        if model in found:
            continue
        found.add(model)
        for field in model.model_fields.values():
            stack: list[Any] = [field.annotation]
            while stack:
                annotation = stack.pop()
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    pending.append(annotation)
                stack.extend(get_args(annotation))
    return found


def test_every_free_text_field_is_either_translated_or_said_not_to_be() -> None:
    """A field added to a content model must be listed in TRANSLATED (or NOT_TRANSLATED),
    or its text would reach German, Spanish and Russian readers in English."""
    models = _models_under(Stretch) | _models_under(Routine) | _models_under(SafetyContent)
    assert TriageContent in models
    for model in models:
        listed = set(TRANSLATED.get(model, ())) | set(NOT_TRANSLATED.get(model, ()))
        assert human_text_fields(model) == listed, model.__name__


def test_catalog_files_are_read_as_the_content_domain() -> None:
    for language in CONTENT_LANGUAGES:
        catalog = read_catalog(language, CONTENT_DOMAIN)
        assert str(catalog.locale) == language
        assert len(catalog) > 400
