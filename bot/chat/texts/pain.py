"""What the bot says about pain: triage questions, the outcome, and lifting a red-flag hold.

The medical wording itself (questions, outcomes, the "have you been checked" question) lives in
`content/safety.yaml`, where a professional can review it; this module only frames it. Nothing
here names a condition: the bot says what to do and whom to see, never what is wrong.
"""

from __future__ import annotations

from html import escape

from bot.content.safety import ConfirmChecked, OutcomeText
from bot.domain.lifecycle import CheckedBy, Verdict

CARRY_ON_GENTLY = "🙂 Carry on gently"
END_SESSION = "End the session"
BACK_TO_TRIAGE = "↩️ Answer the pain question"

WHO: dict[CheckedBy, str] = {
    CheckedBy.GP: "A GP or family doctor",
    CheckedBy.PHYSIO: "A physiotherapist",
    CheckedBy.URGENT_CARE: "Urgent care or A&E",
    CheckedBy.OTHER: "Another health professional",
}
VERDICTS: dict[Verdict, str] = {
    Verdict.CLEARED: "✅ Stretching is fine",
    Verdict.NO_NERVE_TENSION: "Fine, but no nerve stretches",
    Verdict.GENTLE_ONLY: "Fine, but gentle ones only",
    Verdict.NOT_CLEARED: "Not cleared yet",
}


def question(intro: str | None, text: str) -> str:
    lead = f"{escape(intro)}\n\n" if intro else ""
    return f"{lead}<b>{escape(text)}</b>"


HOLD_LINE = "⏸ Sessions and reminders wait until someone has checked you."


def outcome(result: OutcomeText, confirm: ConfirmChecked | None) -> str:
    """The outcome, then (for a red flag) that everything waits, and the checked question."""
    lines = [f"<b>{escape(result.title)}</b>", "", escape(result.text)]
    if confirm is not None:
        lines += ["", HOLD_LINE, escape(confirm.question)]
    return "\n".join(lines)


def session_left(paused_session: bool) -> str:
    if not paused_session:
        return ""
    return "\n\nYour session is paused. Carry on gently, or end it here."


def still_held(confirm: ConfirmChecked) -> str:
    """After "Not yet": nothing changes, and there is no way round the check."""
    return f"{escape(confirm.still_paused)}\n\nTap the button below once you've been seen."


def on_hold(result: OutcomeText, confirm: ConfirmChecked) -> str:
    """/now, Start, /resume while a red flag is open: the advice again, then the question."""
    return (
        "⏸ <b>Stretching is on hold</b> because of what you told me about your pain.\n\n"
        f"<b>{escape(result.title)}</b>\n{escape(result.text)}\n\n{escape(confirm.question)}"
    )


WHO_QUESTION = "Good to hear. <b>Who checked you?</b>"
VERDICT_QUESTION = "<b>And what did they say about stretching?</b>"


def lifted(verdict: Verdict, when: str | None) -> str:
    """The hold is lifted; limits are repeated so the person knows what to expect."""
    lines = ["✅ Thanks for letting me know. The hold is lifted; please start gently."]
    if verdict is Verdict.NO_NERVE_TENSION:
        lines.append("I'll leave out the stretches that pull on the nerves of your legs.")
    elif verdict is Verdict.GENTLE_ONLY:
        lines.append("I'll keep to the gentlest routines.")
    if when:
        lines.append(f"Next reminder: <b>{when}</b>.")
    return "\n".join(lines)


NOT_CLEARED = (
    "Thanks for telling me. Then everything stays on hold for now: please follow their advice. "
    "When they say stretching is fine, tap the button below."
)

TRIAGE_WAITING = (
    "You started telling me about pain and the questions aren't finished yet. Please answer "
    "them first: until then I won't start a session or send reminders."
)

HOLD_EXPIRED = "This button belongs to an earlier pain report and has expired."
NOTHING_TO_CONFIRM = "Nothing is on hold for pain right now."
