"""The question before the first nerve-tension routine: when it is asked, what each answer
leaves out, and that a stored record always reads back as what was stored."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import nerve_check
from bot.domain.lifecycle import CheckedBy, Verdict
from bot.domain.nerve_check import NerveCheck
from bot.domain.progression import NO_NERVE_TENSION

CHAIR = frozenset({"chair_1", "chair_2"})


def test_asked_only_before_a_plan_with_a_nerve_tension_stretch_and_only_once() -> None:
    assert nerve_check.needs_asking(None, ["cat_cow", "chair_1"], CHAIR)
    assert not nerve_check.needs_asking(None, ["cat_cow"], CHAIR)
    assert not nerve_check.needs_asking({"answer": "no"}, ["chair_1"], CHAIR)
    assert not nerve_check.needs_asking({"answer": "yes"}, ["chair_1"], CHAIR)
    assert nerve_check.needs_asking({"answer": "maybe"}, ["chair_1"], CHAIR), "unreadable: ask"


@pytest.mark.parametrize(
    ("check", "limits", "waiting"),
    [
        (NerveCheck(False), frozenset(), False),
        (NerveCheck(True), {NO_NERVE_TENSION}, True),
        (NerveCheck(True, CheckedBy.GP, Verdict.NOT_CLEARED), {NO_NERVE_TENSION}, True),
        (NerveCheck(True, CheckedBy.GP, Verdict.NO_NERVE_TENSION), {NO_NERVE_TENSION}, True),
        (NerveCheck(True, CheckedBy.PHYSIO, Verdict.GENTLE_ONLY), {"gentle_only"}, False),
        (NerveCheck(True, CheckedBy.PHYSIO, Verdict.CLEARED), frozenset(), False),
    ],
)
def test_each_answer_and_clearance(
    check: NerveCheck, limits: frozenset[str], waiting: bool
) -> None:
    assert check.limits == limits
    assert check.waiting_for_clearance is waiting
    assert nerve_check.limits_of(check.stored()) == limits


def test_an_unreadable_clearance_keeps_the_stretches_out() -> None:
    record = {"answer": "yes", "checked_by": "gp", "verdict": "fine I guess"}
    assert nerve_check.limits_of(record) == {NO_NERVE_TENSION}
    assert nerve_check.limits_of(None) == frozenset()


checks = st.builds(
    NerveCheck,
    st.booleans(),
    st.none() | st.sampled_from(CheckedBy),
    st.none() | st.sampled_from(Verdict),
)


@given(checks)
def test_a_stored_record_reads_back_as_itself(check: NerveCheck) -> None:
    assert nerve_check.read(check.stored()) == check


@given(checks)
def test_a_yes_never_lets_the_chair_stretches_in_without_a_clearance(check: NerveCheck) -> None:
    if check.tight and (check.verdict is None or not check.verdict.lifts):
        assert NO_NERVE_TENSION in check.limits
    if not check.tight:
        assert check.limits == frozenset()
