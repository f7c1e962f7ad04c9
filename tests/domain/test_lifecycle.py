"""The life-cycle state machine: each transition, and the two safety rules for ANY sequence of
events: an open hold means no reminder is due and no session starts; a lift that names an
older or other report changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import lifecycle as lc
from bot.domain.lifecycle import (
    CheckedBy,
    Hold,
    Life,
    Refused,
    RemindAt,
    Reschedule,
    Status,
    Tier,
    Transition,
    Unschedule,
    Verdict,
    Why,
)

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
SUBSCRIBED = Life(status=Status.ACTIVE, signed_up=True)


def transition(life: Life, event: lc.Event) -> Transition:
    result = lc.apply(life, event)
    assert isinstance(result, Transition), result
    return result


def test_finishing_sign_up_schedules_the_first_reminder() -> None:
    done = transition(Life(), lc.FinishSignUp())
    assert done.life == SUBSCRIBED
    assert done.effects == (Reschedule(),)


def test_finishing_sign_up_with_a_flag_raised_before_waits_for_it() -> None:
    flagged = transition(Life(), lc.RaiseFlag(7, Tier.URGENT)).life
    done = transition(flagged, lc.FinishSignUp())
    assert done.life.status is Status.ACTIVE and done.life.held
    assert done.effects == (Unschedule(),)


def test_pause_resume_and_a_dated_pause_ending() -> None:
    paused = transition(SUBSCRIBED, lc.Pause(date(2026, 12, 9)))
    assert paused.life.status is Status.PAUSED and paused.effects == (Unschedule(),)
    early = lc.apply(paused.life, lc.PauseEnded(date(2026, 12, 8), NOW))
    assert early == Refused(Why.NOT_PAUSED)
    ended = transition(paused.life, lc.PauseEnded(date(2026, 12, 9), NOW))
    assert ended.life == SUBSCRIBED and ended.effects == (Reschedule(NOW),)
    assert transition(paused.life, lc.Resume()).effects == (Reschedule(),)
    assert lc.apply(SUBSCRIBED, lc.Resume()) == Refused(Why.NOT_PAUSED)
    assert lc.apply(Life(), lc.Pause()) == Refused(Why.NOT_SUBSCRIBED)


def test_blocking_keeps_a_pause_and_a_stop() -> None:
    paused = transition(SUBSCRIBED, lc.Pause()).life
    blocked = transition(paused, lc.Block()).life
    assert blocked.status is Status.BLOCKED
    assert transition(blocked, lc.Unblock()).life.status is Status.PAUSED
    stopped = transition(SUBSCRIBED, lc.Stop()).life
    assert transition(stopped, lc.Block()).life.status is Status.STOPPED
    half_way = transition(Life(), lc.Block()).life
    assert transition(half_way, lc.Unblock()).life.status is Status.ONBOARDING


def test_coming_back_after_stop_resubscribes_but_a_hold_stays() -> None:
    stopped = transition(SUBSCRIBED, lc.Stop()).life
    back = transition(stopped, lc.ComeBack())
    assert back.life == SUBSCRIBED and back.effects == (Reschedule(),)
    held = transition(stopped, lc.RaiseFlag(3, Tier.PROFESSIONAL)).life
    back_held = transition(held, lc.ComeBack())
    assert back_held.life.status is Status.ACTIVE and back_held.life.held
    assert back_held.effects == (Unschedule(),)


def test_triage_holds_until_answered_and_ease_off_frees() -> None:
    opened = transition(SUBSCRIBED, lc.OpenTriage(4))
    assert opened.life.holds == (Hold(4, Tier.TRIAGE),) and opened.effects == (Unschedule(),)
    assert lc.apply(opened.life, lc.StartSession()) == Refused(Why.HELD, Hold(4, Tier.TRIAGE))
    assert lc.apply(opened.life, lc.Snooze(NOW)) == Refused(Why.HELD, Hold(4, Tier.TRIAGE))
    eased = transition(opened.life, lc.EaseOff(4))
    assert eased.life == SUBSCRIBED and eased.effects == (Reschedule(),)
    flagged = transition(opened.life, lc.RaiseFlag(4, Tier.URGENT)).life
    assert flagged.holds == (Hold(4, Tier.URGENT),)
    assert transition(flagged, lc.EaseOff(4)).life.holds == flagged.holds, "a flag is no triage"


def test_lifting_names_the_newest_red_flag() -> None:
    first = transition(SUBSCRIBED, lc.RaiseFlag(1, Tier.PROFESSIONAL)).life
    both = transition(first, lc.RaiseFlag(2, Tier.URGENT)).life
    old = lc.apply(both, lc.Lift(1, CheckedBy.GP, Verdict.CLEARED))
    assert old == Refused(Why.EXPIRED, Hold(2, Tier.URGENT))
    lifted = transition(both, lc.Lift(2, CheckedBy.URGENT_CARE, Verdict.GENTLE_ONLY))
    assert lifted.life == SUBSCRIBED
    assert lifted.effects == (
        lc.Resolve((1, 2), CheckedBy.URGENT_CARE, Verdict.GENTLE_ONLY),
        Reschedule(),
    )
    not_yet = transition(both, lc.Lift(2, CheckedBy.GP, Verdict.NOT_CLEARED))
    assert not_yet.life == both
    assert not_yet.effects[0] == lc.RecordClearance(2, CheckedBy.GP, Verdict.NOT_CLEARED)
    assert lc.apply(SUBSCRIBED, lc.Lift(2, CheckedBy.GP, Verdict.CLEARED)).why is Why.EXPIRED


def test_a_lift_does_not_answer_an_unfinished_triage() -> None:
    life = transition(SUBSCRIBED, lc.RaiseFlag(1, Tier.PROFESSIONAL)).life
    life = transition(life, lc.OpenTriage(2)).life
    lifted = transition(life, lc.Lift(1, CheckedBy.PHYSIO, Verdict.CLEARED))
    assert lifted.life.holds == (Hold(2, Tier.TRIAGE),)
    assert Unschedule() in lifted.effects


def test_verdict_limits() -> None:
    assert Verdict.NO_NERVE_TENSION.limits == {"no_nerve_tension"}
    assert Verdict.GENTLE_ONLY.limits == {"gentle_only"}
    assert Verdict.CLEARED.limits == frozenset() and not Verdict.NOT_CLEARED.lifts


def test_a_red_flag_is_urgent_or_professional() -> None:
    with pytest.raises(ValueError):
        lc.RaiseFlag(1, Tier.TRIAGE)


# --- Properties over any sequence -----------------------------------------------------------

report_ids = st.integers(min_value=1, max_value=6)
events: st.SearchStrategy[lc.Event] = st.one_of(
    st.just(lc.FinishSignUp()),
    st.just(lc.ComeBack()),
    st.builds(lc.Pause, st.none() | st.dates(date(2026, 12, 1), date(2026, 12, 31))),
    st.just(lc.Resume()),
    st.builds(lc.PauseEnded, st.dates(date(2026, 12, 1), date(2026, 12, 31)), st.just(NOW)),
    st.just(lc.Stop()),
    st.just(lc.Block()),
    st.just(lc.Unblock()),
    st.just(lc.PreferencesChanged()),
    st.builds(lc.Snooze, st.just(NOW)),
    st.builds(lc.SkipToday, st.just(NOW)),
    st.builds(lc.OpenTriage, report_ids),
    st.builds(lc.RaiseFlag, report_ids, st.sampled_from([Tier.URGENT, Tier.PROFESSIONAL])),
    st.builds(lc.EaseOff, report_ids),
    st.builds(lc.Lift, report_ids, st.sampled_from(CheckedBy), st.sampled_from(Verdict)),
    st.just(lc.StartSession()),
)


def _scheduled_after(scheduled: bool, effects: tuple[lc.Effect, ...]) -> bool:
    """A model of `next_reminder_at`: set by Reschedule/RemindAt, cleared by Unschedule."""
    for effect in effects:
        if isinstance(effect, Reschedule | RemindAt):
            scheduled = True
        elif isinstance(effect, Unschedule):
            scheduled = False
    return scheduled


@settings(max_examples=400, deadline=None)
@given(st.lists(events, max_size=30))
def test_a_held_person_is_never_due_a_reminder_and_never_gets_a_session(
    sequence: list[lc.Event],
) -> None:
    life, scheduled = Life(), False
    for event in sequence:
        result = lc.apply(life, event)
        if isinstance(result, Refused):
            continue
        if result.life.held:
            assert not any(isinstance(e, Reschedule | RemindAt) for e in result.effects)
        life, scheduled = result.life, _scheduled_after(scheduled, result.effects)
        starts = lc.apply(life, lc.StartSession())  # what a screen offers is what a tap gets
        assert life.may_start_session == isinstance(starts, Transition), life
        if life.held:
            assert not scheduled, (event, life)
            assert not life.may_be_reminded
            gate = lc.apply(life, lc.StartSession())
            assert isinstance(gate, Refused) and gate.hold in life.holds
        if scheduled:
            assert life.may_be_reminded


@settings(max_examples=300, deadline=None)
@given(st.lists(events, max_size=25), report_ids, st.sampled_from(Verdict))
def test_a_lift_naming_any_report_but_the_newest_red_flag_changes_nothing(
    sequence: list[lc.Event], named: int, verdict: Verdict
) -> None:
    life = Life()
    for event in sequence:
        result = lc.apply(life, event)
        if isinstance(result, Transition):
            life = result.life
    newest = life.red_flag
    result = lc.apply(life, lc.Lift(named, CheckedBy.OTHER, verdict))
    if newest is None or newest.report_id != named:
        assert result == Refused(Why.EXPIRED, newest)
    else:
        assert isinstance(result, Transition)
        assert (result.life.red_flag is None) == verdict.lifts


@settings(max_examples=300, deadline=None)
@given(st.lists(events, max_size=25))
def test_no_subscription_event_removes_a_hold(sequence: list[lc.Event]) -> None:
    subscription_events = (
        lc.FinishSignUp(),
        lc.ComeBack(),
        lc.Pause(),
        lc.Resume(),
        lc.Stop(),
        lc.Block(),
        lc.Unblock(),
        lc.PreferencesChanged(),
    )
    life = Life()
    for event in sequence:
        result = lc.apply(life, event)
        if isinstance(result, Transition):
            life = result.life
    for event in subscription_events:
        result = lc.apply(life, event)
        if isinstance(result, Transition):
            assert result.life.holds == life.holds
