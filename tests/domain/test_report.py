"""The /report figures from plain records: tallies, weeks, the nerve-tension stage, chunks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.chat.texts import report as texts
from bot.domain import progression, report
from bot.domain.progression import Standing
from bot.domain.stats import SessionRecord
from tests.support.content import shipped_content

CONTENT = shipped_content()
RULES = progression.rules_for(CONTENT, CONTENT.safety.checkin)
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


def test_tally_counts_done_eased_and_stopped_and_ignores_the_rest() -> None:
    at = NOW
    events = [
        report.StretchEvent("a", "done", at),
        report.StretchEvent("a", "done", at),
        report.StretchEvent("a", "done_eased", at),
        report.StretchEvent("b", "stopped", at),
        report.StretchEvent("b", "skipped", at),
        report.StretchEvent("c", "hold", at),
    ]
    lines = report.tally(events, {"a": "Alpha", "b": "Beta"})
    assert lines == (
        report.StretchTally("a", "Alpha", 2, 1, 0),
        report.StretchTally("b", "Beta", 0, 0, 1),
    )


def test_the_chair_progression_is_one_chain_easiest_first() -> None:
    (chain,) = report.chains(RULES.stretches)
    assert [s.id for s in chain] == [f"chair_hamstring_stage_{n}" for n in range(1, 6)]


def test_the_stage_is_the_highest_one_the_standing_allows() -> None:
    (fresh,) = report.stages(RULES, Standing())
    assert fresh.current is not None and fresh.current.id == "chair_hamstring_stage_3"
    opened = Standing(open_gates=frozenset({"chair_hamstring_stage_4"}))
    (stage,) = report.stages(RULES, opened)
    assert stage.current is not None and stage.current.id == "chair_hamstring_stage_4"
    stepped = Standing(stepped_back=frozenset({"chair_hamstring_stage_3"}))
    (stage,) = report.stages(RULES, stepped)
    assert stage.stepped_back and stage.current is not None
    assert stage.current.id == "chair_hamstring_stage_2"
    (none,) = report.stages(RULES, Standing(limits=frozenset({progression.NO_NERVE_TENSION})))
    assert none.current is None
    assert "is offered now" in texts.stage_line(none)


def test_weeks_are_local_and_ratings_outside_them_stay_out() -> None:
    sunday_night = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # Monday 00:30 in Berlin
    records = [
        SessionRecord(sunday_night, True, 1, 60, pain_rating=3),
        SessionRecord(NOW - timedelta(weeks=20), True, 1, 60, pain_rating=8),
    ]
    built = report.assemble(
        first_name=None,
        zone_name="Europe/Berlin",
        zone=BERLIN,
        now=NOW,
        sessions=records,
        events=[],
        triages=[],
        names={},
        stage_lines=(),
        limits=frozenset(),
    )
    assert len(built.weeks) == report.WEEKS
    assert built.weeks[-1].sessions == 1  # the week of Monday 23 Nov, not the one before
    assert [r.rating for r in built.ratings] == [3]
    assert texts.heading(built)[0] == "Stretching summary"


def test_chunks_fit_telegram_and_lose_nothing() -> None:
    text = "\n\n".join("\n".join(f"line {i}-{j} " + "x" * 80 for j in range(30)) for i in range(5))
    parts = texts.chunks(text, limit=1000)
    assert all(len(part) <= 1000 for part in parts)
    assert "\n".join(parts).split() == text.split()
