"""What the bot says about pain: triage questions, the outcome, and lifting a red-flag hold.

The medical wording itself (questions, outcomes, the "have you been checked" question) lives in
`content/safety.yaml`, where a professional can review it; this module only frames it. Nothing
here names a condition: the bot says what to do and whom to see, never what is wrong.

Every text is rendered when it is shown (`_()`), in the language of the person it is for; the
button tables hold `N_` marks and are translated by `who()` and `verdict()`.
"""

from __future__ import annotations

from html import escape

from bot.content.safety import ConfirmChecked, OutcomeText
from bot.domain.lifecycle import CheckedBy, Verdict
from bot.i18n import N_, _


def carry_on_gently() -> str:
    return _("🙂 Carry on gently")


def end_session() -> str:
    return _("End the session")


def back_to_triage() -> str:
    return _("↩️ Answer the pain question")


_WHO: dict[CheckedBy, str] = {
    CheckedBy.GP: N_("A GP or family doctor"),
    CheckedBy.PHYSIO: N_("A physiotherapist"),
    CheckedBy.URGENT_CARE: N_("Urgent care or A&E"),
    CheckedBy.OTHER: N_("Another health professional"),
}
_VERDICTS: dict[Verdict, str] = {
    Verdict.CLEARED: N_("✅ Stretching is fine"),
    Verdict.NO_NERVE_TENSION: N_("Fine, but no nerve stretches"),
    Verdict.GENTLE_ONLY: N_("Fine, but gentle ones only"),
    Verdict.NOT_CLEARED: N_("Not cleared yet"),
}


def who(checked_by: CheckedBy) -> str:
    """The button naming who checked the person."""
    return _(_WHO[checked_by])


def verdict(said: Verdict) -> str:
    """The button naming what they said about stretching."""
    return _(_VERDICTS[said])


def question(intro: str | None, text: str) -> str:
    lead = f"{escape(intro)}\n\n" if intro else ""
    return f"{lead}<b>{escape(text)}</b>"


def hold_line() -> str:
    return _("⏸ Sessions and reminders wait until someone has checked you.")


def outcome(result: OutcomeText, confirm: ConfirmChecked | None) -> str:
    """The outcome, then (for a red flag) that everything waits, and the checked question."""
    lines = [f"<b>{escape(result.title)}</b>", "", escape(result.text)]
    if confirm is not None:
        lines += ["", hold_line(), escape(confirm.question)]
    return "\n".join(lines)


def session_left(paused_session: bool) -> str:
    if not paused_session:
        return ""
    return "\n\n" + _("Your session is paused. Carry on gently, or end it here.")


def still_held(confirm: ConfirmChecked) -> str:
    """After "Not yet": nothing changes, and there is no way round the check."""
    tap = _("Tap the button below once you've been seen.")
    return f"{escape(confirm.still_paused)}\n\n{tap}"


def on_hold(result: OutcomeText, confirm: ConfirmChecked) -> str:
    """/now, Start, /resume while a red flag is open: the advice again, then the question."""
    why = _("⏸ <b>Stretching is on hold</b> because of what you told me about your pain.")
    return (
        f"{why}\n\n"
        f"<b>{escape(result.title)}</b>\n{escape(result.text)}\n\n{escape(confirm.question)}"
    )


def who_question() -> str:
    return _("Good to hear. <b>Who checked you?</b>")


def verdict_question() -> str:
    return _("<b>And what did they say about stretching?</b>")


def lifted(said: Verdict, when: str | None) -> str:
    """The hold is lifted; limits are repeated so the person knows what to expect."""
    lines = [_("✅ Thanks for letting me know. The hold is lifted; please start gently.")]
    if said is Verdict.NO_NERVE_TENSION:
        lines.append(_("I'll leave out the stretches that pull on the nerves of your legs."))
    elif said is Verdict.GENTLE_ONLY:
        lines.append(_("I'll keep to the gentlest routines."))
    if when:
        lines.append(_("Next reminder: <b>{when}</b>.").format(when=when))
    return "\n".join(lines)


def not_cleared() -> str:
    return _(
        "Thanks for telling me. Then everything stays on hold for now: please follow their "
        "advice. When they say stretching is fine, tap the button below."
    )


def triage_waiting() -> str:
    return _(
        "You started telling me about pain and the questions aren't finished yet. Please answer "
        "them first: until then I won't start a session or send reminders."
    )


def hold_expired() -> str:
    return _("This button belongs to an earlier pain report and has expired.")


def nothing_to_confirm() -> str:
    return _("Nothing is on hold for pain right now.")
