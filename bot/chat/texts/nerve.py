"""What the bot says around the question before the first nerve-tension routine.

Our own words for seed 004's warning: legs that feel tight all the time, stretched or not, may
be a nerve under tension rather than a tight muscle, and then the chair stages are not for now.
No diagnosis: the bot says what it leaves out and whom to see.
"""

from __future__ import annotations

from bot.i18n import _


def question() -> str:
    return _(
        "🪑 <b>One question before the chair stretches</b>\n\n"
        "Do the backs of your legs feel tight all the time, even on days when you haven't "
        "stretched at all?"
    )


def yes_label() -> str:
    return _("Yes, they always feel tight")


def no_label() -> str:
    return _("No, not all the time")


def after_yes() -> str:
    return _(
        "Thanks for telling me. Tightness that never goes away can come from a nerve rather "
        "than a muscle, and then the chair stretches, which pull on that nerve, are not the "
        "right thing to do yet.\n\n"
        "<b>Please have a physiotherapist or doctor look at it first.</b> Until then I'll leave "
        "those stretches out of your routines; everything else carries on as usual.\n\n"
        "Once someone has checked you, tap the button below."
    )


def after_no() -> str:
    return _("Thanks. I won't ask again. Here is today's routine.")


def cleared_label() -> str:
    return _("A professional checked my legs")


def who_question() -> str:
    return _("Good. <b>Who checked your legs?</b>")


def verdict_question() -> str:
    return _("<b>And what did they say about the chair stretches?</b>")


def back_in() -> str:
    return _("✅ Thanks. The chair stretches are back in your routines; start them gently.")


def still_out() -> str:
    return _("Understood. I'll keep leaving the chair stretches out until someone clears them.")


def gentle_only() -> str:
    return _("Understood. I'll keep to the gentlest routines.")


def nothing_to_clear() -> str:
    return _("Nothing is waiting for a check: the chair stretches are already in your routines.")
