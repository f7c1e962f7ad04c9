"""What /language says. The buttons name each language in itself, so anyone finds their own."""

from __future__ import annotations

from html import escape

from bot.i18n import LANGUAGE_NAMES, N_, _

COMMAND = ("language", N_("Change the language I speak"))


def choose() -> str:
    return _("🌐 <b>Which language shall I speak?</b>")


def chosen(language: str) -> str:
    """Said in the language just chosen."""
    return _("✓ From now on I'll speak {language} with you.").format(
        language=f"<b>{escape(LANGUAGE_NAMES[language])}</b>"
    )
