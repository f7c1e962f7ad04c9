"""What the bot says when it offers one step harder after a run of comfortable sessions."""

from __future__ import annotations

from html import escape

from bot.i18n import _, ngettext


def offer(original: str, harder: str, count: int) -> str:
    """Names are content texts, escaped here."""
    return ngettext(
        "💪 <b>Ready for a step up?</b>\n\nYour last {count} run of this routine felt fine. "
        "From next time, {harder} could take the place of {original}.",
        "💪 <b>Ready for a step up?</b>\n\nYour last {count} runs of this routine felt fine. "
        "From next time, {harder} could take the place of {original}.",
        count,
    ).format(count=count, harder=escape(harder), original=escape(original))


def take_label() -> str:
    return _("💪 Try the harder one")


def keep_label(original: str) -> str:
    """A button label: plain text, not HTML."""
    return _("Keep {name}").format(name=original)


def taken(original: str, harder: str) -> str:
    return _(
        "💪 From your next session, {harder} takes the place of {original}. If it feels "
        "uncomfortable, say so at the check-in and you go back."
    ).format(harder=escape(harder), original=escape(original))


def kept(original: str, days: int) -> str:
    return ngettext(
        "👍 {name} stays. I won't ask again for {count} day.",
        "👍 {name} stays. I won't ask again for {count} days.",
        days,
    ).format(name=escape(original), count=days)
