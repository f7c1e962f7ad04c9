"""What the bot says when it asks the safety questions again before a session.

HTML parse mode; the question texts come from the content and are escaped here.
"""

from __future__ import annotations

from html import escape

from bot.domain.rescreening import Why
from bot.i18n import _


def _reason(why: Why) -> str:
    if why is Why.AWAY:
        return _("Welcome back! It has been a while since your last session.")
    return _("It has been twelve weeks since you last answered my safety questions.")


def prompt(why: Why) -> str:
    """The short question: has anything on the safety list changed since the last answers?"""
    asked = _("Anything changed since you last answered these?")
    signs = _(
        "• a change in your bladder or bowels, numbness around your groin or bottom, "
        "or weak, numb or unsteady legs\n"
        "• serious pain now, or back or leg pain that has lasted more than two weeks\n"
        "• a fall, an accident, an injury or an operation\n"
        "• a fever with back pain, weight loss you can't explain, cancer, "
        "chest pain, or pain at night that rest does not ease"
    )
    return f"{escape(_reason(why))}\n\n<b>{escape(asked)}</b>\n{escape(signs)}"


def nothing_changed() -> str:
    return _("✅ Nothing has changed")


def something_changed() -> str:
    return _("Something has changed")


def first_time() -> str:
    """For someone who never answered them (they skipped sign-up and went straight to /now)."""
    return _(
        "Before your first session, a few quick yes/no questions about your safety, "
        "the most important first."
    )


def one_by_one() -> str:
    return _("Thanks for telling me. Let's go through the questions one at a time.")


def question(intro: str, number: int, total: int, text: str) -> str:
    heading = _("Question {number} of {total}").format(number=number, total=total)
    lead = f"{escape(intro)}\n\n" if intro else ""
    return f"{lead}<b>{escape(heading)}</b>\n{escape(text)}"


def noted() -> str:
    return _("Thanks, noted. Here's your session.")
