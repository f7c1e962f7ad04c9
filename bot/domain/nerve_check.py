"""The question before the first nerve-tension routine: do the backs of your legs always feel tight?

Seed 004 warns that legs which feel tight all the time, stretched or not, may be a nerve under
tension rather than a short muscle, and that the chair stages are then the wrong thing to do. So
before anyone is served a nerve-tension stretch for the first time, the bot asks once:

* "No" is remembered and never asked again.
* "Yes" is "see a professional first" for those stretches only: they are left out (the
  `no_nerve_tension` limit the who-checked lifting already knows) and the rest of the routine
  goes on. It stays so until the person says who checked them and what they said; "cleared"
  brings the stretches back, "cleared with limits" keeps those limits, "not cleared" keeps them
  out.

The answer is a small record on the person (`Subscriber.nerve_check`): the answer, and once given
who checked and what they said. Nothing typed. Pure functions, so the rule is tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.domain.lifecycle import NO_NERVE_TENSION, CheckedBy, Verdict

YES = "yes"
NO = "no"


@dataclass(frozen=True, slots=True)
class NerveCheck:
    """What the person answered, and (after "yes") what a professional said since."""

    tight: bool
    checked_by: CheckedBy | None = None
    verdict: Verdict | None = None

    @property
    def limits(self) -> frozenset[str]:
        """The routine picker's limits this answer sets."""
        if not self.tight:
            return frozenset()
        if self.verdict is None or not self.verdict.lifts:
            return frozenset({NO_NERVE_TENSION})
        return self.verdict.limits

    @property
    def waiting_for_clearance(self) -> bool:
        """ "Yes", and no professional has cleared the nerve-tension stretches yet (not asked,
        "not cleared", or "cleared, but no nerve stretches"): a later clearance may still come."""
        return NO_NERVE_TENSION in self.limits

    def cleared(self, checked_by: CheckedBy, verdict: Verdict) -> NerveCheck:
        return NerveCheck(self.tight, checked_by, verdict)

    def stored(self) -> dict[str, str]:
        record = {"answer": YES if self.tight else NO}
        if self.checked_by is not None:
            record["checked_by"] = self.checked_by.value
        if self.verdict is not None:
            record["verdict"] = self.verdict.value
        return record


def read(record: Mapping[str, Any] | None) -> NerveCheck | None:
    """The stored record back (None: never asked). An unreadable answer counts as not asked, so
    the question comes again rather than a guess standing in for it; an unreadable clearance
    counts as none given, which keeps the stretches out."""
    if not record or record.get("answer") not in (YES, NO):
        return None
    try:
        checked_by = CheckedBy(record["checked_by"]) if record.get("checked_by") else None
        verdict = Verdict(record["verdict"]) if record.get("verdict") else None
    except ValueError:
        checked_by, verdict = None, None
    return NerveCheck(record["answer"] == YES, checked_by, verdict)


def limits_of(record: Mapping[str, Any] | None) -> frozenset[str]:
    check = read(record)
    return check.limits if check is not None else frozenset()


def needs_asking(
    record: Mapping[str, Any] | None, stretch_ids: Iterable[str], nerve_tension: frozenset[str]
) -> bool:
    """Ask before this plan? Only when never answered and the plan serves a nerve-tension
    stretch (a plan that already leaves them out, say by a lifted red flag's limit, asks
    nothing)."""
    return read(record) is None and any(s in nerve_tension for s in stretch_ids)
