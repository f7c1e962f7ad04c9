"""What the bot says during a guided session: the card, each step, holds, check-ins, the end.

HTML parse mode. Content texts (names, steps, cues) are escaped here, so handlers pass raw
values. Short lines: most people read this on a phone, often while holding a stretch.

Every text is rendered when it is shown (`_()`), in the language of the person the session
belongs to: a tap's update sets it, and the hold timers and countdown redraws say whose it is
(`bot.chat.practice` renders inside `using(...)`). Tables of labels hold `N_` marks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from bot.chat.texts.onboarding import focus_name
from bot.content.duration import StepPlan
from bot.content.models import Equipment, FocusArea, Kind, Routine, Stretch
from bot.domain import countdown
from bot.domain.flow import FlowState, PlannedStep, Summary
from bot.domain.progression import STEP_BACK_DAYS, Reason, Swap
from bot.i18n import N_, _, ngettext

# --- Buttons --------------------------------------------------------------------------------


def start() -> str:
    return _("▶️ Start")


def preview_button() -> str:
    return _("👀 Preview")


def not_today() -> str:
    return _("Not today")


def skip() -> str:
    return _("⏭ Skip")


def done_early() -> str:
    return _("✋ Done early")


def warning_ok() -> str:
    return _("I understand, go on")


def continue_button() -> str:
    return _("▶️ Continue")


def end_session() -> str:
    return _("End the session")


def start_today() -> str:
    return _("▶️ Today's session")


def start_hold(step: PlannedStep, gentle: bool) -> str:
    seconds = step.timer_seconds(gentle)
    if step.flowing:
        rounds = step.flow_repetitions(gentle)
        return ngettext("▶️ Start {count} slow round", "▶️ Start {count} slow rounds", rounds).format(
            count=rounds
        )
    return _("▶️ Start {seconds} s hold").format(seconds=seconds)


# --- Lengths --------------------------------------------------------------------------------


def about(seconds: int) -> str:
    """Round to what a person cares about: 'about 9 min' (or seconds when under a minute)."""
    if seconds < 60:
        return _("about {seconds} s").format(seconds=seconds)
    return _("about {minutes} min").format(minutes=round(seconds / 60))


def dose(plan: StepPlan) -> str:
    """'each side: 2 × 30 s', '9 slow rounds of about 10 s', 'hold 60 s'."""
    if plan.stretch.kind is Kind.FLOW:
        text = ngettext(
            "{count} slow round of about {seconds} s",
            "{count} slow rounds of about {seconds} s",
            plan.repetitions,
        ).format(count=plan.repetitions, seconds=plan.hold_seconds)
    elif plan.repetitions == 1:
        text = _("hold {seconds} s").format(seconds=plan.hold_seconds)
    else:
        text = f"{plan.repetitions} × {plan.hold_seconds} s"
    return _("each side: {dose}").format(dose=text) if plan.sides == 2 else text


def _capitalised(text: str) -> str:
    """The first letter up, the rest as it is ("etwa 9 Min." must not become "Etwa 9 min.")."""
    return text[:1].upper() + text[1:]


# --- The card -------------------------------------------------------------------------------

_LEG_AREAS = frozenset({FocusArea.HAMSTRINGS, FocusArea.CALVES, FocusArea.HIPS_GLUTES})
_EQUIPMENT = {
    Equipment.MAT: N_("a mat"),
    Equipment.STRAP: N_("a strap or towel"),
    Equipment.CHAIR: N_("a chair"),
    Equipment.STOOL: N_("a stool or low box"),
    Equipment.STEP: N_("a low step"),
    Equipment.WALL: N_("a wall"),
    Equipment.CUSHION: N_("a cushion"),
}


def _equipment(plans: Sequence[StepPlan]) -> str:
    needed: list[str] = []
    for plan in plans:
        for item in plan.stretch.equipment:
            if _(_EQUIPMENT[item]) not in needed:
                needed.append(_(_EQUIPMENT[item]))
    return ", ".join(needed)


def warm_up_hint() -> str:
    return _(
        "🔥 <b>Warm up first</b> with 5–10 minutes of light movement: cold muscles don't "
        "stretch well."
    )


def swap_reason(reason: str, original: str) -> str:
    """One line on why a stretch was changed today; `original` is its name (escaped here)."""
    name = escape(original)
    if reason == Reason.EASIER:
        return _("🪶 A kinder version of {name}, since it felt uncomfortable last time.").format(
            name=name
        )
    if reason == Reason.STEPPED_BACK:
        return ngettext(
            "↩️ One stage back from {name} for {count} day, after the numbness, tingling or "
            "pain you told me about.",
            "↩️ One stage back from {name} for {count} days, after the numbness, tingling or "
            "pain you told me about.",
            STEP_BACK_DAYS,
        ).format(name=name, count=STEP_BACK_DAYS)
    if reason == Reason.NOT_YET:
        return _(
            "🔒 {name} opens once the stage before it has gone fully and comfortably "
            "on two different days, with no pain in the day after."
        ).format(name=name)
    if reason == Reason.HARDER:
        return _(
            "⬆️ A step up from {name}, as you chose. If it feels uncomfortable, say so at the "
            "check-in and you go back."
        ).format(name=name)
    return _("🚫 {name} is left out, as agreed when your hold was lifted.").format(name=name)


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
    focus = ", ".join(focus_name(area) for area in routine.focus)
    needed = _equipment(plans)
    count = len(plans)
    lines = [
        _("🧘 <b>Today: {title}</b>").format(title=escape(routine.title)),
        ngettext("⏱ {length} · {count} stretch", "⏱ {length} · {count} stretches", count).format(
            length=_capitalised(about(seconds)), count=count
        ),
        _("🎯 For: {focus}").format(focus=escape(focus)),
    ]
    if needed:
        lines.append(_("🧰 You'll need: {items}").format(items=escape(needed)))
    lines += ["", escape(routine.description)]
    if changes:
        lines += ["", _("<b>Made for you today:</b>"), *changes]
    lines += ["", warm_up_hint(), escape(routine.warm_up)]
    if safety_note:
        lines += ["", f"⚠️ {escape(safety_note)}"]
    return "\n".join(lines)


def preview(routine: Routine, seconds: int, plans: Sequence[StepPlan]) -> str:
    lines = [f"👀 <b>{escape(routine.title)}</b> · {about(seconds)}", ""]
    for number, plan in enumerate(plans, start=1):
        lines.append(f"{number}. {escape(plan.stretch.name)} — {escape(dose(plan))}")
    lines += ["", f"🔥 {escape(routine.warm_up)}"]
    return "\n".join(lines)


def not_today_reply() -> str:
    return _(
        "No problem. Rest is part of it too. 🌿\n"
        "Send /now whenever you feel like a stretch, or /pain if something hurts."
    )


def already_started() -> str:
    return _("Already started: follow the latest message.")


def routine_gone() -> str:
    return _("That routine is no longer available. Send /now for today's session.")


def no_routine() -> str:
    return _("I couldn't find a routine that fits your settings. Try /settings.")


def not_open_today() -> str:
    return _("That routine isn't open to you today. Send /now for today's session.")


def running(title: str) -> str:
    return _(
        "You're in the middle of <b>{title}</b>.\nCarry on where you left off, or end it here."
    ).format(title=escape(title))


# --- Steps ----------------------------------------------------------------------------------

_SIDES = {
    ("left", "leg"): N_("left leg"),
    ("right", "leg"): N_("right leg"),
    ("left", "side"): N_("left side"),
    ("right", "side"): N_("right side"),
}


def side_label(stretch: Stretch, side: str) -> str:
    part = "leg" if _LEG_AREAS.intersection(stretch.focus) else "side"
    label = _SIDES.get((side, part))
    return _(label) if label is not None else f"{side} {part}"


def position(state: FlowState, stretch: Stretch) -> str:
    """'Left leg · hold 2 of 3', 'Right side', 'Hold 1 of 2', or ''."""
    parts = []
    side = state.side_name
    if side is not None:
        parts.append(side_label(stretch, side))
    if state.rounds > 1:
        parts.append(_("hold {number} of {total}").format(number=state.rep + 1, total=state.rounds))
    return _capitalised(" · ".join(parts))


def cue_for(state: FlowState, stretch: Stretch) -> str:
    """A different cue for each hold, so repeated holds do not read the same."""
    index = state.rep * 2 + state.side
    return stretch.cues[index % len(stretch.cues)]


def _heading(state: FlowState, stretch: Stretch) -> str:
    number = f"{state.step + 1}/{len(state.steps)}"
    return f"<b>{number} · {escape(stretch.name)}</b>"


def release() -> str:
    return _("⏱ Time! Release slowly and breathe out.")


def release_early() -> str:
    return _("Good. Release slowly and breathe out.")


def step(
    state: FlowState, stretch: Stretch, note: str | None, swapped_name: str | None = None
) -> str:
    planned = state.steps[state.step]
    lines: list[str] = []
    if state.released:
        lines += [release_early() if state.released_early else release(), ""]
        where = position(state, stretch)
        lines.append(
            _("<b>Next: {where}</b>").format(where=escape(where))
            if where
            else _("<b>Once more</b>")
        )
        lines += ["", f"💡 {escape(cue_for(state, stretch))}"]
        return "\n".join(lines)
    lines.append(_heading(state, stretch))
    lines.append(f"🎯 {escape(', '.join(stretch.muscles))}")
    if planned.swap is not None and swapped_name is not None:
        lines += ["", swap_reason(planned.swap, swapped_name)]
    if state.gentle:
        lines += [
            "",
            _("🙂 <b>Gently this time:</b> a shorter hold, stop at the first light pull."),
        ]
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
        lines.append(
            ngettext(
                "{count} slow round, about {seconds} s each.",
                "{count} slow rounds, about {seconds} s each.",
                rounds,
            ).format(count=rounds, seconds=planned.hold_seconds)
        )
    return "\n".join(lines)


def holding(state: FlowState, stretch: Stretch, left: int | None = None) -> str:
    """The running hold; `left`: seconds to go, drawn as a countdown line under the name."""
    seconds = state.timer_seconds
    where = position(state, stretch)
    flowing = state.current is not None and state.current.flowing
    head = (
        _("⏳ <b>Slow rounds — {seconds} s</b>") if flowing else _("⏳ <b>Hold — {seconds} s</b>")
    ).format(seconds=seconds)
    name = escape(stretch.name) + (f" · {escape(where)}" if where else "")
    shown = seconds if left is None else left
    to_go = _("{seconds} s to go").format(seconds=shown)
    clock = f"{countdown.bar(shown, seconds)} {to_go}"
    tip = f"💡 {escape(cue_for(state, stretch))}"
    buzz = _("I'll buzz you when it's time to let go.")
    return f"{head}\n{name}\n{clock}\n\n{tip}\n{buzz}"


def hold_closed(state: FlowState, stretch: Stretch) -> str:
    where = position(state, stretch)
    suffix = f" · {escape(where)}" if where else ""
    return _("✅ {name}: held.").format(name=escape(stretch.name) + suffix)


def warning(stretch: Stretch, state: FlowState) -> str:
    text = stretch.warning or ""
    before = _("⚠️ <b>Before you start</b>")
    only = _("Only go on if the earlier stages felt easy today.")
    return f"{_heading(state, stretch)}\n\n{before}\n{escape(text)}\n\n{only}"


def checkin(question: str, state: FlowState) -> str:
    said = release_early() if state.released_early else release()
    lead = f"{said}\n\n" if state.released else ""
    return f"{lead}<b>{escape(question)}</b>"


def eased(advice: str, can_repeat: bool, *, stage: bool = False, ask: bool = False) -> str:
    if stage:
        choice = _(
            "This stage ends here for today. Next time you'll get the stage before it, "
            "which is the right place to build from."
        )
    elif can_repeat:
        choice = _("Try it once more, gently, or skip it for today.")
    else:
        choice = _("Let's leave this one for today.")
    text = f"🙂 {escape(advice)}\n\n{choice}"
    if ask:
        text += f"\n\n{ask_professional()}"
    return text


def ask_professional() -> str:
    return _(
        "🩺 This stretch has felt uncomfortable more than once lately. Would it help to go "
        "through a few questions on whether someone should take a look?"
    )


def ask_professional_button() -> str:
    return _("🩺 Should I get checked?")


def paused() -> str:
    return _(
        "⏸ <b>Session paused</b> because you mentioned pain.\n"
        "Answer the questions below (or send /pain), or end the session here."
    )


# --- The end --------------------------------------------------------------------------------


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return _("{seconds} s").format(seconds=rest)
    if rest:
        return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)
    return _("{minutes} min").format(minutes=minutes)


def _kind_word(summary: Summary, streak: int) -> str:
    if summary.done == 0:
        return _("Showing up counts. Next time, try just one stretch. 🌱")
    if streak >= 3:
        return ngettext(
            "{count} day in a row. Your body notices that kind of care. 🌟",
            "{count} days in a row. Your body notices that kind of care. 🌟",
            streak,
        ).format(count=streak)
    return _("Well done: you looked after your body today. 💚")


def summary(state: FlowState, result: Summary, streak: int) -> str:
    lines = [_("🎉 <b>Session done!</b>"), ""]
    lines.append(
        _("✅ Stretches done: {done} of {total}").format(done=result.done, total=result.total)
    )
    if result.short:
        lines.append(
            _("✂️ Cut short, not counted: {count} (a hold counts from 80 % of its time)").format(
                count=result.short
            )
        )
    if result.skipped:
        lines.append(_("⏭ Skipped: {count}").format(count=result.skipped))
    if result.locked:
        lines.append(_("🔒 Saved for another day: {count}").format(count=result.locked))
    lines.append(_("⏱ Time held: {duration}").format(duration=_duration(result.held_seconds)))
    lines.append(
        ngettext("🔥 Streak: {count} day", "🔥 Streak: {count} days", streak).format(count=streak)
    )
    lines += ["", _kind_word(result, streak)]
    if state.rating is None:
        lines += ["", _("How much pain do you feel right now? 0 is none, 10 is the worst.")]
        lines.append(_("<i>Optional — it helps you see the trend in /stats.</i>"))
    else:
        lines += ["", _("Pain now: {rating}/10, saved for /stats.").format(rating=state.rating)]
    return "\n".join(lines)


def stopped_by_you(result: Summary) -> str:
    return ngettext(
        "⏹ Session ended. {count} stretch done — every bit counts. See you next time.",
        "⏹ Session ended. {count} stretches done — every bit counts. See you next time.",
        result.done,
    ).format(count=result.done)


def stopped_for_safety() -> str:
    return _("🛑 Session stopped for your safety.")


def abandoned() -> str:
    return _("This session was replaced by a newer one.")
