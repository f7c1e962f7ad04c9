"""What the bot says during a guided session: the card, each step, holds, check-ins, the end.

HTML parse mode. Content texts (names, steps, cues) are escaped here, so handlers pass raw
values. Short lines: most people read this on a phone, often while holding a stretch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from bot.content.duration import StepPlan
from bot.content.models import Equipment, FocusArea, Routine, Stretch
from bot.content.preview import dose, format_minutes
from bot.domain import countdown
from bot.domain.flow import FlowState, PlannedStep, Summary
from bot.domain.progression import COMFORT_RUN, STEP_BACK_DAYS, Reason, Swap
from bot.i18n import _

# --- Buttons --------------------------------------------------------------------------------

START = "▶️ Start"
PREVIEW = "👀 Preview"
NOT_TODAY = "Not today"
SKIP = "⏭ Skip"
DONE_EARLY = "✋ Done early"
WARNING_OK = "I understand, go on"
CONTINUE = "▶️ Continue"
END_SESSION = "End the session"
START_TODAY = "▶️ Today's session"


def start_hold(step: PlannedStep, gentle: bool) -> str:
    seconds = step.timer_seconds(gentle)
    if step.flowing:
        return f"▶️ Start {step.flow_repetitions(gentle)} slow rounds"
    return f"▶️ Start {seconds} s hold"


# --- The card -------------------------------------------------------------------------------

_LEG_AREAS = frozenset({FocusArea.HAMSTRINGS, FocusArea.CALVES, FocusArea.HIPS_GLUTES})
_EQUIPMENT = {
    Equipment.MAT: "a mat",
    Equipment.STRAP: "a strap or towel",
    Equipment.CHAIR: "a chair",
    Equipment.STOOL: "a stool or low box",
    Equipment.STEP: "a low step",
    Equipment.WALL: "a wall",
    Equipment.CUSHION: "a cushion",
}


def _equipment(plans: Sequence[StepPlan]) -> str:
    needed: list[str] = []
    for plan in plans:
        for item in plan.stretch.equipment:
            if _EQUIPMENT[item] not in needed:
                needed.append(_EQUIPMENT[item])
    return ", ".join(needed)


WARM_UP_HINT = (
    "🔥 <b>Warm up first</b> with 5–10 minutes of light movement: cold muscles don't stretch well."
)


def swap_reason(reason: str, original: str) -> str:
    """One line on why a stretch was changed today; `original` is its name (escaped here)."""
    name = escape(original)
    if reason == Reason.EASIER:
        return f"🪶 A kinder version of {name}, since it felt uncomfortable last time."
    if reason == Reason.STEPPED_BACK:
        return (
            f"↩️ One stage back from {name} for {STEP_BACK_DAYS} days, "
            "after the numbness, tingling or pain you told me about."
        )
    if reason == Reason.NOT_YET:
        return (
            f"🔒 {name} opens once the stage before it has gone fully and comfortably "
            "on two different days, with no pain in the day after."
        )
    if reason == Reason.HARDER:
        return f"⬆️ A step up from {name}: your last {COMFORT_RUN} runs of this routine felt fine."
    return f"🚫 {name} is left out, as agreed when your hold was lifted."


def eased_out(original: str) -> str:
    """An uncomfortable stretch left out today: its kinder version would only repeat the step
    before it (or start from a set-up not done), so nothing stands in its place."""
    return _("🪶 {name} is left out today, since it felt uncomfortable last time.").format(
        name=escape(original)
    )


def swap_lines(swaps: Sequence[Swap], stretches: Mapping[str, Stretch]) -> tuple[str, ...]:
    """What a card says about every change in today's plan, in order: the /now card and the
    daily reminder both draw these lines from the same pure plan (`Plan.swaps`)."""
    lines: list[str] = []
    for swap in swaps:
        original = stretches.get(swap.original)
        name = original.name if original else swap.original
        if swap.replacement is None and swap.reason == Reason.EASIER:
            # Nothing stands in for it: the card must not promise a kinder version.
            line = eased_out(name)
        else:
            line = swap_reason(swap.reason, name)
        if line not in lines:
            lines.append(line)
    return tuple(lines)


def card(
    routine: Routine,
    seconds: int,
    plans: Sequence[StepPlan],
    safety_note: str | None,
    changes: Sequence[str] = (),
) -> str:
    focus = ", ".join(area.label for area in routine.focus)
    needed = _equipment(plans)
    lines = [
        f"🧘 <b>Today: {escape(routine.title)}</b>",
        f"⏱ {format_minutes(seconds).capitalize()} · {len(plans)} stretches",
        f"🎯 For: {escape(focus)}",
    ]
    if needed:
        lines.append(f"🧰 You'll need: {escape(needed)}")
    lines += ["", escape(routine.description)]
    if changes:
        lines += ["", "<b>Made for you today:</b>", *changes]
    lines += ["", WARM_UP_HINT, escape(routine.warm_up)]
    if safety_note:
        lines += ["", f"⚠️ {escape(safety_note)}"]
    return "\n".join(lines)


def preview(routine: Routine, seconds: int, plans: Sequence[StepPlan]) -> str:
    lines = [f"👀 <b>{escape(routine.title)}</b> · {format_minutes(seconds)}", ""]
    for number, plan in enumerate(plans, start=1):
        lines.append(f"{number}. {escape(plan.stretch.name)} — {escape(dose(plan))}")
    lines += ["", f"🔥 {escape(routine.warm_up)}"]
    return "\n".join(lines)


NOT_TODAY_REPLY = (
    "No problem. Rest is part of it too. 🌿\n"
    "Send /now whenever you feel like a stretch, or /pain if something hurts."
)
ALREADY_STARTED = "Already started: follow the latest message."
ROUTINE_GONE = "That routine is no longer available. Send /now for today's session."
NO_ROUTINE = "I couldn't find a routine that fits your settings. Try /settings."
NOT_OPEN_TODAY = "That routine isn't open to you today. Send /now for today's session."


def running(title: str) -> str:
    return (
        f"You're in the middle of <b>{escape(title)}</b>.\n"
        "Carry on where you left off, or end it here."
    )


# --- Steps ----------------------------------------------------------------------------------


def side_label(stretch: Stretch, side: str) -> str:
    part = "leg" if _LEG_AREAS.intersection(stretch.focus) else "side"
    return f"{side} {part}"


def position(state: FlowState, stretch: Stretch) -> str:
    """'Left leg · hold 2 of 3', 'Right side', 'Hold 1 of 2', or ''."""
    parts = []
    side = state.side_name
    if side is not None:
        parts.append(side_label(stretch, side))
    if state.rounds > 1:
        parts.append(f"hold {state.rep + 1} of {state.rounds}")
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


def cue_for(state: FlowState, stretch: Stretch) -> str:
    """A different cue for each hold, so repeated holds do not read the same."""
    index = state.rep * 2 + state.side
    return stretch.cues[index % len(stretch.cues)]


def _heading(state: FlowState, stretch: Stretch) -> str:
    number = f"{state.step + 1}/{len(state.steps)}"
    return f"<b>{number} · {escape(stretch.name)}</b>"


RELEASE = "⏱ Time! Release slowly and breathe out."
RELEASE_EARLY = "Good. Release slowly and breathe out."


def step(
    state: FlowState, stretch: Stretch, note: str | None, swapped_name: str | None = None
) -> str:
    planned = state.steps[state.step]
    lines: list[str] = []
    if state.released:
        lines += [RELEASE_EARLY if state.released_early else RELEASE, ""]
        where = position(state, stretch)
        lines.append(f"<b>Next: {escape(where)}</b>" if where else "<b>Once more</b>")
        lines += ["", f"💡 {escape(cue_for(state, stretch))}"]
        return "\n".join(lines)
    lines.append(_heading(state, stretch))
    lines.append(f"🎯 {escape(', '.join(stretch.muscles))}")
    if planned.swap is not None and swapped_name is not None:
        lines += ["", swap_reason(planned.swap, swapped_name)]
    if state.gentle:
        lines += ["", "🙂 <b>Gently this time:</b> a shorter hold, stop at the first light pull."]
    lines.append("")
    lines += [f"{n}. {escape(text)}" for n, text in enumerate(stretch.steps, start=1)]
    if note:
        lines += ["", f"📝 {escape(note)}"]
    lines += ["", f"💡 {escape(cue_for(state, stretch))}"]
    where = position(state, stretch)
    if where:
        lines += ["", f"<b>{escape(where)}</b>"]
    if planned.flowing:
        rounds = planned.flow_repetitions(state.gentle)
        lines.append(f"{rounds} slow rounds, about {planned.hold_seconds} s each.")
    return "\n".join(lines)


def holding(state: FlowState, stretch: Stretch, left: int | None = None) -> str:
    """The running hold; `left`: seconds to go, drawn as a countdown line under the name."""
    seconds = state.timer_seconds
    where = position(state, stretch)
    flowing = state.current is not None and state.current.flowing
    head = f"⏳ <b>Slow rounds — {seconds} s</b>" if flowing else f"⏳ <b>Hold — {seconds} s</b>"
    name = escape(stretch.name) + (f" · {escape(where)}" if where else "")
    shown = seconds if left is None else left
    clock = f"{countdown.bar(shown, seconds)} {shown} s to go"
    tip = f"💡 {escape(cue_for(state, stretch))}"
    return f"{head}\n{name}\n{clock}\n\n{tip}\nI'll buzz you when it's time to let go."


def hold_closed(state: FlowState, stretch: Stretch) -> str:
    where = position(state, stretch)
    suffix = f" · {escape(where)}" if where else ""
    return f"✅ {escape(stretch.name)}{suffix}: held."


def warning(stretch: Stretch, state: FlowState) -> str:
    text = stretch.warning or ""
    return (
        f"{_heading(state, stretch)}\n\n⚠️ <b>Before you start</b>\n{escape(text)}\n\n"
        "Only go on if the earlier stages felt easy today."
    )


def checkin(question: str, state: FlowState) -> str:
    release = RELEASE_EARLY if state.released_early else RELEASE
    lead = f"{release}\n\n" if state.released else ""
    return f"{lead}<b>{escape(question)}</b>"


def eased(advice: str, can_repeat: bool, *, stage: bool = False, ask: bool = False) -> str:
    if stage:
        choice = (
            "This stage ends here for today. Next time you'll get the stage before it, "
            "which is the right place to build from."
        )
    elif can_repeat:
        choice = "Try it once more, gently, or skip it for today."
    else:
        choice = "Let's leave this one for today."
    text = f"🙂 {escape(advice)}\n\n{choice}"
    if ask:
        text += f"\n\n{ASK_PROFESSIONAL}"
    return text


ASK_PROFESSIONAL = (
    "🩺 This stretch has felt uncomfortable more than once lately. Would it help to go through "
    "a few questions on whether someone should take a look?"
)
ASK_PROFESSIONAL_BUTTON = "🩺 Should I get checked?"


PAUSED = (
    "⏸ <b>Session paused</b> because you mentioned pain.\n"
    "Answer the questions below (or send /pain), or end the session here."
)

# --- The end --------------------------------------------------------------------------------


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _kind_word(summary: Summary, streak: int) -> str:
    if summary.done == 0:
        return "Showing up counts. Next time, try just one stretch. 🌱"
    if streak >= 3:
        return f"{streak} days in a row. Your body notices that kind of care. 🌟"
    return "Well done: you looked after your body today. 💚"


def summary(state: FlowState, result: Summary, streak: int) -> str:
    lines = ["🎉 <b>Session done!</b>", ""]
    lines.append(f"✅ Stretches done: {result.done} of {result.total}")
    if result.short:
        lines.append(
            f"✂️ Cut short, not counted: {result.short} (a hold counts from 80 % of its time)"
        )
    if result.skipped:
        lines.append(f"⏭ Skipped: {result.skipped}")
    if result.locked:
        lines.append(f"🔒 Saved for another day: {result.locked}")
    lines.append(f"⏱ Time held: {_duration(result.held_seconds)}")
    lines.append(f"🔥 Streak: {streak} day{'s' if streak != 1 else ''}")
    lines += ["", _kind_word(result, streak)]
    if state.rating is None:
        lines += ["", "How much pain do you feel right now? 0 is none, 10 is the worst."]
        lines.append("<i>Optional — it helps you see the trend in /stats.</i>")
    else:
        lines += ["", f"Pain now: {state.rating}/10, saved for /stats."]
    return "\n".join(lines)


def stopped_by_you(result: Summary) -> str:
    return (
        f"⏹ Session ended. {result.done} stretch{'es' if result.done != 1 else ''} done — "
        "every bit counts. See you next time."
    )


STOPPED_FOR_SAFETY = "🛑 Session stopped for your safety."
ABANDONED = "This session was replaced by a newer one."
