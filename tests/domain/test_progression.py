"""Progression rules over a history: gates, step-backs, easier and harder variants, limits.

Properties run over generated histories against the shipped library: never an advanced stage
without its prerequisite history, never a stretch that is off limits or stepped back, and the
same history and instant always give the same plan. Examples pin each rule's edges.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.personas import PERSONAS, simulate
from bot.content.models import FocusArea, Level
from bot.domain import progression
from bot.domain.flow import EventKind
from bot.domain.progression import (
    COMFORT_RUN,
    GENTLE_ONLY,
    NO_NERVE_TENSION,
    OFFER_QUIET_DAYS,
    History,
    Mark,
    Reason,
    SessionMark,
    Standing,
    StepOffer,
    StepUp,
    StretchMark,
    adapt,
    assess,
    mark_of_event,
    off_limits,
    rules_for,
    step_up_offer,
)
from bot.domain.routines import Preferences, plan_day
from tests.support.content import shipped_content

CONTENT = shipped_content()
RULES = rules_for(CONTENT, CONTENT.safety.checkin)
STAGE = "chair_hamstring_stage_{}".format
T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
ADVANCED = Preferences(focus=frozenset({FocusArea.HAMSTRINGS}), level=Level.ADVANCED, minutes=5)


def clean(stretch: str, at: datetime, session_id: int = 1) -> StretchMark:
    return StretchMark(session_id, stretch, at, Mark.CLEAN)


def session(session_id: int, routine: str, at: datetime, completed: bool = True) -> SessionMark:
    return SessionMark(session_id, routine, at, True, completed)


def offer_for(routine_id: str, standing: Standing, level: Level) -> StepUp | None:
    plan = adapt(CONTENT.routines[routine_id], RULES, standing, level)
    return step_up_offer(plan, RULES, standing, level)


def opened(history: History, at: datetime, zone: ZoneInfo | None = None) -> frozenset[str]:
    return assess(RULES, history, at, zone or ZoneInfo("UTC")).open_gates


# --- Gates ------------------------------------------------------------------------------------


def test_stage_4_opens_after_two_clean_days_of_stage_3_each_followed_by_a_quiet_day() -> None:
    one = History(marks=(clean(STAGE(3), T0),))
    assert STAGE(4) not in opened(one, T0 + timedelta(days=5)), "one day is not enough"
    two = History(marks=(clean(STAGE(3), T0), clean(STAGE(3), T0 + timedelta(days=1))))
    assert STAGE(4) not in opened(two, T0 + timedelta(days=1, hours=23)), "window still running"
    assert STAGE(4) in opened(two, T0 + timedelta(days=2))
    assert STAGE(5) not in opened(two, T0 + timedelta(days=30)), "stage 5 needs stage 4's days"


def test_two_clean_marks_on_the_same_local_day_count_once() -> None:
    same_day = History(marks=(clean(STAGE(3), T0), clean(STAGE(3), T0 + timedelta(hours=10))))
    assert STAGE(4) not in opened(same_day, T0 + timedelta(days=5))


def test_separate_days_are_the_persons_local_days() -> None:
    late = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)  # 23:30 in Berlin, 22:30 in UTC
    history = History(marks=(clean(STAGE(3), late), clean(STAGE(3), late + timedelta(hours=1))))
    later = late + timedelta(days=3)
    assert STAGE(4) in opened(history, later, ZoneInfo("Europe/Berlin"))  # Mon 23:30, Tue 00:30
    assert STAGE(4) not in opened(history, later, ZoneInfo("UTC"))  # both on Monday


def test_a_pain_report_within_a_day_of_a_clean_mark_disqualifies_that_day() -> None:
    marks = (clean(STAGE(3), T0), clean(STAGE(3), T0 + timedelta(days=1)))
    pain_after = History(marks=marks, pain_reports=(T0 + timedelta(hours=20),))
    assert STAGE(4) not in opened(pain_after, T0 + timedelta(days=10))
    pain_later = History(marks=marks, pain_reports=(T0 + timedelta(days=3),))
    assert STAGE(4) in opened(pain_later, T0 + timedelta(days=10))


def test_a_symptom_on_a_stage_closes_it_and_every_stage_above_for_seven_days() -> None:
    marks = [clean(STAGE(n), T0 + timedelta(days=d)) for n in (3, 4) for d in (0, 1)]
    symptom = StretchMark(9, STAGE(4), T0 + timedelta(days=4), Mark.SYMPTOM)
    history = History(marks=(*marks, symptom))
    before = assess(RULES, history, T0 + timedelta(days=4) - timedelta(minutes=1), UTC)
    assert {STAGE(4), STAGE(5)} <= before.open_gates
    during = assess(RULES, history, T0 + timedelta(days=10), UTC)
    assert not during.open_gates & {STAGE(4), STAGE(5)}
    assert {STAGE(4), STAGE(5)} <= during.stepped_back
    plan = adapt(CONTENT.routines["seated_progression_slump"], RULES, during)
    assert plan.routine.stretch_ids == (STAGE(1), STAGE(2), STAGE(3))
    assert {s.reason for s in plan.swaps} == {Reason.STEPPED_BACK}
    after = assess(RULES, history, T0 + timedelta(days=11), UTC)
    assert {STAGE(4), STAGE(5)} <= after.open_gates


def test_numbness_on_stage_3_serves_stage_2_for_the_week() -> None:
    history = History(marks=(StretchMark(1, STAGE(3), T0, Mark.SYMPTOM),))
    standing = assess(RULES, history, T0 + timedelta(days=2), UTC)
    plan = adapt(CONTENT.routines["seated_progression"], RULES, standing, Level.BEGINNER)
    assert plan.routine.stretch_ids == (STAGE(1), STAGE(2))


# --- Easier, harder, limits --------------------------------------------------------------------


def test_uncomfortable_swaps_to_the_easier_variant_for_three_sessions_that_have_it() -> None:
    routine = CONTENT.routines["hamstrings_for_back_pain"]  # ends with the seated forward fold
    uneasy = StretchMark(1, "seated_forward_fold", T0, Mark.UNEASY)
    sessions = [session(1, routine.id, T0)]
    for n in range(2, 6):
        sessions.append(session(n, "hips_short_easy", T0 + timedelta(days=n)))  # no fold
    history = History(sessions=tuple(sessions), marks=(uneasy,))
    standing = assess(RULES, history, T0 + timedelta(days=6), UTC)
    plan = adapt(routine, RULES, standing)
    assert plan.routine.stretch_ids[-1] == "seated_single_leg_hamstring"
    assert plan.swaps == (
        progression.Swap(2, "seated_forward_fold", "seated_single_leg_hamstring", Reason.EASIER),
    )
    for n in range(6, 9):  # three sessions with the (swapped) fold
        sessions.append(session(n, routine.id, T0 + timedelta(days=n)))
    history = History(sessions=tuple(sessions), marks=(uneasy,))
    again = assess(RULES, history, T0 + timedelta(days=9), UTC)
    assert adapt(routine, RULES, again).routine == routine, "then it is offered again"


def test_uncomfortable_lately_is_remembered_for_a_week() -> None:
    history = History(marks=(StretchMark(1, "knee_drops", T0, Mark.UNEASY),))
    assert "knee_drops" in assess(RULES, history, T0 + timedelta(days=6), UTC).uneasy_lately
    assert "knee_drops" not in assess(RULES, history, T0 + timedelta(days=7), UTC).uneasy_lately


def test_five_comfortable_sessions_in_a_row_offer_one_step_harder() -> None:
    routine = CONTENT.routines["seated_progression"]
    runs = tuple(session(n, routine.id, T0 + timedelta(days=n)) for n in range(COMFORT_RUN))
    at = T0 + timedelta(days=COMFORT_RUN)
    standing = assess(RULES, History(sessions=runs), at, UTC)
    assert standing.comfortable_runs[routine.id] == COMFORT_RUN
    # Stage 3's harder variant is stage 4: its gate is shut, and a beginner never gets it.
    assert offer_for(routine.id, standing, Level.ADVANCED) is None
    stage_3_days = tuple(clean(STAGE(3), T0 + timedelta(days=n), n) for n in range(2))
    gated = assess(RULES, History(sessions=runs, marks=stage_3_days), at, UTC)
    assert offer_for(routine.id, gated, Level.BEGINNER) is None
    # Open and advanced, stage 4 still is not offered in place of stage 3: its steps start
    # from stage 3's set-up ("Set up stage 3 on one leg and hold it first").
    assert offer_for(routine.id, gated, Level.ADVANCED) is None
    other = CONTENT.routines["lower_back_short_easy"]
    four = tuple(session(n, other.id, T0 + timedelta(days=n)) for n in range(COMFORT_RUN - 1))
    assert (
        offer_for(other.id, assess(RULES, History(sessions=four), at, UTC), Level.ADVANCED) is None
    )
    runs = tuple(session(n, other.id, T0 + timedelta(days=n)) for n in range(COMFORT_RUN))
    standing = assess(RULES, History(sessions=runs), at, UTC)
    # Only an offer: the routine itself is served as written until the person takes it.
    assert adapt(other, RULES, standing, Level.ADVANCED).swaps == ()
    assert offer_for(other.id, standing, Level.ADVANCED) == StepUp(
        4, "lying_knee_twist", "knee_drops"
    )


def test_a_taken_step_up_is_served_until_a_check_in_says_otherwise() -> None:
    other = CONTENT.routines["lower_back_short_easy"]
    runs = tuple(session(n, other.id, T0 + timedelta(days=n)) for n in range(COMFORT_RUN))
    taken = StepOffer(COMFORT_RUN - 1, "lying_knee_twist", T0 + timedelta(days=4, minutes=1), True)
    history = History(sessions=runs, offers=(taken,))
    standing = assess(RULES, history, T0 + timedelta(days=6), UTC)
    plan = adapt(other, RULES, standing, Level.ADVANCED)
    assert plan.swaps == (progression.Swap(4, "lying_knee_twist", "knee_drops", Reason.HARDER),)
    assert offer_for(other.id, standing, Level.ADVANCED) is None  # one step, not a ladder
    uneasy = StretchMark(9, "knee_drops", T0 + timedelta(days=7), Mark.UNEASY)
    later = assess(RULES, History(runs, (uneasy,), (), (taken,)), T0 + timedelta(days=8), UTC)
    assert "lying_knee_twist" not in later.stepped_up
    assert adapt(other, RULES, later, Level.ADVANCED).swaps == ()


def test_a_kept_or_unanswered_offer_is_not_made_again_for_fourteen_days() -> None:
    other = CONTENT.routines["lower_back_short_easy"]
    runs = tuple(session(n, other.id, T0 + timedelta(days=n)) for n in range(COMFORT_RUN))
    kept = StepOffer(COMFORT_RUN - 1, "lying_knee_twist", T0 + timedelta(days=4), False)
    history = History(sessions=runs, offers=(kept,))
    quiet = timedelta(days=OFFER_QUIET_DAYS)
    for after, offered in (
        (timedelta(0), False),
        (quiet - timedelta(minutes=1), False),
        (quiet, True),
    ):
        standing = assess(RULES, history, kept.at + after, UTC)
        assert (offer_for(other.id, standing, Level.ADVANCED) is not None) is offered, after


def test_no_adapted_routine_serves_a_stage_without_the_set_up_it_starts_from() -> None:
    """Stage 5 in place of stage 4 (a step-up), or stage 4 after an eased stage 3, would tell
    the person to "set up stage N first" with that stage gone: such a stage is left out."""
    every = frozenset(CONTENT.stretches)
    standings = [
        Standing(open_gates=RULES.gated, stepped_up=every),
        Standing(open_gates=RULES.gated, easier=frozenset({STAGE(3)})),
        Standing(open_gates=RULES.gated, easier=every),
        Standing(stepped_back=frozenset({STAGE(2)}) | RULES.dependents[STAGE(2)]),
    ]
    for routine in CONTENT.routines.values():
        for standing in standings:
            steps = adapt(routine, RULES, standing, Level.ADVANCED).routine.steps
            for before, step in zip((None, *steps), steps, strict=False):
                base = CONTENT.stretches[step.stretch].builds_on
                assert base is None or (before is not None and before.stretch == base), (
                    routine.id,
                    [s.stretch for s in steps],
                )


def test_one_troubled_session_breaks_the_comfortable_run() -> None:
    routine_id = "seated_progression"
    runs = tuple(session(n, routine_id, T0 + timedelta(days=n)) for n in range(COMFORT_RUN + 1))
    short = StretchMark(2, STAGE(2), T0 + timedelta(days=2), Mark.SHORT)
    standing = assess(RULES, History(sessions=runs, marks=(short,)), T0 + timedelta(days=9), UTC)
    assert standing.comfortable_runs[routine_id] == COMFORT_RUN + 1 - 3


@pytest.mark.parametrize("kind", [Mark.SKIPPED, Mark.SHORT, Mark.UNEASY, Mark.SYMPTOM])
def test_sessions_with_a_stretch_not_done_comfortably_never_earn_a_step_up(kind: Mark) -> None:
    """Five sessions finished by skipping everything are not five comfortable ones."""
    routine_id = "lower_back_short_easy"
    runs = tuple(session(n, routine_id, T0 + timedelta(days=n)) for n in range(COMFORT_RUN))
    at = T0 + timedelta(days=COMFORT_RUN)
    assert offer_for(routine_id, assess(RULES, History(sessions=runs), at, UTC), Level.ADVANCED)
    marks = tuple(
        StretchMark(n, "lying_knee_twist", T0 + timedelta(days=n), kind) for n in range(COMFORT_RUN)
    )
    standing = assess(RULES, History(sessions=runs, marks=marks), at, UTC)
    assert standing.comfortable_runs.get(routine_id, 0) == 0
    assert offer_for(routine_id, standing, Level.ADVANCED) is None


def test_a_skipped_stretch_leaves_a_skipped_mark() -> None:
    assert mark_of_event(RULES, EventKind.SKIPPED, None) is Mark.SKIPPED
    assert mark_of_event(RULES, EventKind.LOCKED, None) is None  # not offered is not skipped


def test_no_nerve_tension_leaves_every_nerve_tension_stretch_out() -> None:
    standing = Standing(limits=frozenset({NO_NERVE_TENSION}))
    for routine in CONTENT.routines.values():
        plan = adapt(routine, RULES, standing)
        assert not any(CONTENT.stretches[s].nerve_tension for s in plan.routine.stretch_ids)


# --- Properties ------------------------------------------------------------------------------

STRETCHES = [STAGE(n) for n in range(1, 6)] + ["seated_forward_fold", "knee_drops"]
STEPPABLE = [s.id for s in CONTENT.stretches.values() if s.harder is not None]
ROUTINES = [
    "seated_progression",
    "seated_progression_chin",
    "seated_progression_slump",
    "lower_back_short_easy",
]
offsets = st.integers(0, 20 * 24 * 60)  # minutes into a 20-day window


@st.composite
def histories(draw: st.DrawFn) -> History:
    marks = draw(
        st.lists(
            st.builds(
                lambda sid, stretch, minute, mark: StretchMark(
                    sid, stretch, T0 + timedelta(minutes=minute), mark
                ),
                st.integers(1, 12),
                st.sampled_from(STRETCHES),
                offsets,
                st.sampled_from(list(Mark)),
            ),
            max_size=25,
        )
    )
    sessions = draw(
        st.lists(
            st.builds(
                lambda sid, routine, minute, completed: SessionMark(
                    sid, routine, T0 + timedelta(minutes=minute), True, completed
                ),
                st.integers(1, 12),
                st.sampled_from(ROUTINES),
                offsets,
                st.booleans(),
            ),
            max_size=12,
        )
    )
    pains = draw(st.lists(offsets.map(lambda m: T0 + timedelta(minutes=m)), max_size=3))
    offers = draw(
        st.lists(
            st.builds(
                lambda sid, stretch, minute, taken: StepOffer(
                    sid, stretch, T0 + timedelta(minutes=minute), taken
                ),
                st.integers(1, 12),
                st.sampled_from(STEPPABLE),
                offsets,
                st.booleans(),
            ),
            max_size=4,
        )
    )
    return History(
        sessions=tuple(sorted(sessions, key=lambda s: s.started_at)),
        marks=tuple(sorted(marks, key=lambda m: m.at)),
        pain_reports=tuple(sorted(pains)),
        offers=tuple(sorted(offers, key=lambda o: o.at)),
    )


def prerequisite_history_holds(history: History, stage: int, at: datetime) -> bool:
    """The article's rule, written out day by day: stage n needs stage n-1 held in full and
    comfortably on two separate days, each followed by a full day without a pain report, and
    no symptom on it or anything it builds on in the last week."""
    before = STAGE(stage - 1)
    good_days: set[date] = set()
    for mark in history.marks:
        if mark.stretch_id != before or mark.mark is not Mark.CLEAN:
            continue
        window_end = mark.at + timedelta(days=1)
        if window_end > at:
            continue
        if any(mark.at < pain <= window_end for pain in history.pain_reports):
            continue
        good_days.add(mark.at.date())
    chain = {STAGE(n) for n in range(3, stage + 1)}  # a symptom on any of them closes it
    recent_symptom = any(
        m.mark is Mark.SYMPTOM and m.stretch_id in chain and at - timedelta(days=7) < m.at <= at
        for m in history.marks
    )
    return len(good_days) >= 2 and not recent_symptom


limit_sets = st.frozensets(st.sampled_from([NO_NERVE_TENSION, GENTLE_ONLY]))
instants = offsets.map(lambda m: T0 + timedelta(minutes=m))


@settings(max_examples=300)
@given(history=histories(), at=instants, limits=limit_sets)
def test_never_an_advanced_stage_without_its_prerequisite_history(
    history: History, at: datetime, limits: frozenset[str]
) -> None:
    standing = assess(RULES, history, at, UTC, limits)
    for routine in CONTENT.routines.values():
        served = adapt(routine, RULES, standing).routine.stretch_ids
        for stage in (4, 5):
            if STAGE(stage) in served:
                assert prerequisite_history_holds(history, stage, at), (routine.id, stage)
                if stage == 5:
                    assert prerequisite_history_holds(history, 4, at)


@settings(max_examples=300)
@given(history=histories(), at=instants, limits=limit_sets, day=st.integers(0, 60))
def test_never_a_stretch_marked_off_limits_or_stepped_back(
    history: History, at: datetime, limits: frozenset[str], day: int
) -> None:
    standing = assess(RULES, history, at, UTC, limits)
    for level in Level:
        prefs = Preferences(focus=frozenset({FocusArea.HAMSTRINGS}), level=level, minutes=5)
        plan = plan_day(CONTENT, prefs, at.date() + timedelta(days=day), (), standing, RULES)
        for stretch_id in plan.routine.stretch_ids:
            stretch = CONTENT.stretches[stretch_id]
            assert not off_limits(stretch, limits)
            assert stretch_id not in standing.stepped_back
            if NO_NERVE_TENSION in limits:
                assert not stretch.nerve_tension
            if GENTLE_ONLY in limits:
                assert stretch.level is Level.BEGINNER


@settings(max_examples=200)
@given(history=histories(), at=instants, recent=st.lists(st.sampled_from(ROUTINES), max_size=3))
def test_the_same_history_and_date_always_give_the_same_routine(
    history: History, at: datetime, recent: list[str]
) -> None:
    rebuilt = History(
        sessions=tuple(list(history.sessions)),
        marks=tuple(list(history.marks)),
        pain_reports=tuple(list(history.pain_reports)),
    )
    first = plan_day(CONTENT, ADVANCED, at.date(), recent, assess(RULES, history, at, UTC), RULES)
    again = plan_day(CONTENT, ADVANCED, at.date(), recent, assess(RULES, rebuilt, at, UTC), RULES)
    assert first == again


# --- Step-up offers -------------------------------------------------------------------------


def offers_today(standing: Standing, level: Level) -> list[StepUp]:
    found = (offer_for(routine_id, standing, level) for routine_id in CONTENT.routines)
    return [offer for offer in found if offer is not None]


@settings(max_examples=200)
@given(history=histories(), at=instants, limits=limit_sets)
def test_a_step_up_is_never_offered_past_a_gate_off_limits_or_above_the_level(
    history: History, at: datetime, limits: frozenset[str]
) -> None:
    standing = assess(RULES, history, at, UTC, limits)
    for level in Level:
        for offer in offers_today(standing, level):
            harder = CONTENT.stretches[offer.harder]
            assert harder.level.rank <= level.rank
            assert not off_limits(harder, limits)
            assert standing.allows(harder, RULES)
            if harder.id in (STAGE(4), STAGE(5)):
                assert prerequisite_history_holds(history, int(harder.id[-1]), at)
            assert offer.original not in standing.offer_quiet


@settings(max_examples=60, deadline=None)
@given(
    routines=st.lists(st.sampled_from(ROUTINES), min_size=5, max_size=40),
    level=st.sampled_from(list(Level)),
)
def test_a_kept_offer_is_never_made_again_within_fourteen_days(
    routines: list[str], level: Level
) -> None:
    """Day after day of comfortable sessions, each offer left unanswered: every stretch's
    offers are at least fourteen days apart."""
    sessions: list[SessionMark] = []
    offers: list[StepOffer] = []
    for day, routine_id in enumerate(routines):
        at = T0 + timedelta(days=day)
        standing = assess(RULES, History(tuple(sessions), offers=tuple(offers)), at, UTC)
        offer = offer_for(routine_id, standing, level)
        if offer is not None:
            earlier = [o.at for o in offers if o.stretch_id == offer.original]
            assert all(at - seen >= timedelta(days=OFFER_QUIET_DAYS) for seen in earlier)
            offers.append(StepOffer(day, offer.original, at, taken=False))
        sessions.append(session(day, routine_id, at))


@settings(max_examples=100)
@given(history=histories(), at=instants)
def test_the_same_history_and_date_always_give_the_same_offer(
    history: History, at: datetime
) -> None:
    rebuilt = History(
        *(
            tuple(list(part))
            for part in (history.sessions, history.marks, history.pain_reports, history.offers)
        )
    )
    first = assess(RULES, history, at, UTC)
    again = assess(RULES, rebuilt, at, UTC)
    assert offers_today(first, Level.ADVANCED) == offers_today(again, Level.ADVANCED)


# --- A simulated month ----------------------------------------------------------------------


def test_an_advanced_newcomer_meets_stage_4_only_once_the_rule_holds() -> None:
    newcomer = next(p for p in PERSONAS if p.prefs.level is Level.ADVANCED)
    month = simulate(newcomer, days=28, content=CONTENT)
    stage_3_days: list[date] = []
    stage_4_days: list[date] = []
    for day in month:
        at = datetime(day.day.year, day.day.month, day.day.day, 7, tzinfo=UTC)
        earlier_3 = [d for d in stage_3_days if d + timedelta(days=1) < day.day]
        earlier_4 = [d for d in stage_4_days if d + timedelta(days=1) < day.day]
        if STAGE(4) in day.offered:
            assert len(earlier_3) >= 2, (day.day, stage_3_days)
        if STAGE(5) in day.offered:
            assert len(earlier_4) >= 2, (day.day, stage_4_days)
        if STAGE(3) in day.offered:
            stage_3_days.append(day.day)
        if STAGE(4) in day.offered:
            stage_4_days.append(day.day)
        assert at.date() == day.day
    assert stage_3_days[:2] and len(stage_4_days) >= 2, "the gate opens for an advanced newcomer"
    first_4 = stage_4_days[0]
    assert [d for d in stage_3_days if d < first_4][:2] == stage_3_days[:2]
    assert (first_4 - stage_3_days[1]).days <= 7, "and not long after the rule first holds"


def test_a_card_promises_a_kinder_version_only_when_one_is_in_the_routine() -> None:
    """The personas' months (`python -m benchmarks.personas`): a stretch eased out of a routine
    because its kinder version would only repeat the step before says it is left out; every
    "kinder version of X" line has X's stand-in among the day's stretches."""
    rules = progression.rules_for(CONTENT, CONTENT.safety.checkin)
    left_out = 0
    for persona in PERSONAS:
        for day in simulate(persona, days=30, content=CONTENT):
            for line in day.changes:
                if "kinder version of " in line:
                    name = line.split("kinder version of ", 1)[1].split(", since", 1)[0]
                    eased = next(s for s in CONTENT.stretches.values() if s.name == name)
                    stand_ins = set()
                    node = eased
                    while node.easier is not None:
                        node = rules.stretches[node.easier]
                        stand_ins.add(node.name)
                    assert stand_ins & set(day.stretches), (day.day, line, day.stretches)
                if "is left out today" in line:
                    left_out += 1
    assert left_out, "the personas' months include a stretch eased out of its routine"
