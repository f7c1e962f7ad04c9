"""What the bot says about pain: triage questions, the outcome, and lifting a red-flag pause.

The medical wording itself (questions, outcomes, the "have you been checked" question) lives in
`content/safety.yaml`, where a professional can review it; this module only frames it. Nothing
here names a condition: the bot says what to do and whom to see, never what is wrong.
"""

from __future__ import annotations

from html import escape

from bot.content.safety import ConfirmChecked, OutcomeText

CARRY_ON_GENTLY = "🙂 Carry on gently"
END_SESSION = "End the session"
RESUME_ANYWAY = "Resume reminders anyway"
READ_AND_RESUME = "I've read this, resume"
KEEP_PAUSED = "Keep them paused"


def question(intro: str | None, text: str) -> str:
    lead = f"{escape(intro)}\n\n" if intro else ""
    return f"{lead}<b>{escape(text)}</b>"


def outcome(result: OutcomeText, confirm: ConfirmChecked | None, paused: bool) -> str:
    """The outcome, then (for a red flag) that reminders are paused and the checked question."""
    lines = [f"<b>{escape(result.title)}</b>", "", escape(result.text)]
    if confirm is not None:
        lines.append("")
        if paused:
            lines.append(escape(confirm.paused))
        lines.append(escape(confirm.question))
    return "\n".join(lines)


def session_left(paused_session: bool) -> str:
    if not paused_session:
        return ""
    return "\n\nYour session is paused. Carry on gently, or end it here."


def still_paused(confirm: ConfirmChecked) -> str:
    return (
        f"{escape(confirm.still_paused)}\n\n"
        "If you'd rather turn reminders back on before that, you can, after reading the advice "
        "once more."
    )


def resume_anyway(result: OutcomeText) -> str:
    return (
        f"Please read this once more before deciding:\n\n<b>{escape(result.title)}</b>\n"
        f"{escape(result.text)}\n\n"
        "Turn reminders back on only if you feel well enough to stretch gently, and stop at "
        "once if the pain, numbness or tingling comes back."
    )


def resumed(confirm: ConfirmChecked) -> str:
    return f"✅ {escape(confirm.resumed)}"


def on_hold(confirm: ConfirmChecked) -> str:
    """/now or Start while a red flag is open: no session until the person confirms."""
    return (
        "⏸ <b>Stretching is on hold</b> because of the pain you told me about.\n\n"
        f"{escape(confirm.question)}"
    )


NOTHING_TO_CONFIRM = "Nothing is paused for pain right now."
