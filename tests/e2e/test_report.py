"""/report through the local Telegram: a PDF whose text, read back with pypdf, states every
figure the database holds, and the same words as a plain message."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot.chat.texts import report as texts
from bot.db.models import (
    PainReport,
    PracticeSession,
    SessionEvent,
    SessionStatus,
    Subscriber,
)
from bot.domain.flow import EventKind
from bot.i18n import _, using
from sandbox.people import ChatMessage, SimUser
from tests.e2e.conftest import RunningBot
from tests.e2e.practice_helpers import TIMEOUT, subscribe

pytestmark = pytest.mark.e2e

BERLIN = ZoneInfo("Europe/Berlin")
FOLD, CALF, STAGE_3 = (
    "seated_forward_fold",
    "standing_calf_straight_knee",
    "chair_hamstring_stage_3",
)


def _flat(text: str) -> str:
    """Whitespace collapsed: a line the PDF wrapped reads the same as the message's."""
    return re.sub(r"\s+", " ", text).strip()


async def _history(bot: RunningBot, subscriber_id: int) -> None:
    """Sessions over five weeks with ratings, an eased and a stopped stretch, and three pain
    reports: one a physio lifted with a limit, one ease-off, one red flag still open."""
    now = bot.clock()
    rows: list[tuple[int, SessionStatus, int | None, list[tuple[str, EventKind]]]] = [
        (30, SessionStatus.COMPLETED, 6, [(FOLD, EventKind.DONE), (CALF, EventKind.DONE)]),
        (29, SessionStatus.COMPLETED, None, [(FOLD, EventKind.DONE_EASED)]),
        (22, SessionStatus.STOPPED, None, [(STAGE_3, EventKind.STOPPED)]),
        (9, SessionStatus.COMPLETED, 4, [(FOLD, EventKind.DONE), (STAGE_3, EventKind.DONE)]),
        (8, SessionStatus.COMPLETED, 3, [(CALF, EventKind.DONE)]),
        (7, SessionStatus.COMPLETED, None, [(FOLD, EventKind.DONE)]),
        (1, SessionStatus.COMPLETED, 2, [(FOLD, EventKind.DONE), (CALF, EventKind.SKIPPED)]),
        (80, SessionStatus.COMPLETED, 9, [(FOLD, EventKind.DONE)]),  # before the report's weeks
    ]
    async with bot.services.session_factory() as db:
        person = await db.get(Subscriber, subscriber_id)
        assert person is not None
        person.timezone = "Europe/Berlin"
        for days_ago, status, rating, events in rows:
            started = now - timedelta(days=days_ago)
            practice = PracticeSession(
                subscriber_id=subscriber_id,
                routine_id="seated_progression",
                status=status,
                pain_rating=rating,
                started_at=started,
                finished_at=started + timedelta(minutes=8),
            )
            db.add(practice)
            await db.flush()
            for index, (stretch_id, kind) in enumerate(events):
                db.add(
                    SessionEvent(
                        session_id=practice.id,
                        step_index=index,
                        stretch_id=stretch_id,
                        kind=kind.value,
                        at=started + timedelta(minutes=index + 1),
                    )
                )
        db.add_all(
            [
                PainReport(
                    subscriber_id=subscriber_id,
                    source="checkin",
                    answers={"checkin": "tingling"},
                    outcome="professional",
                    created_at=datetime(2026, 10, 27, 17, 40, tzinfo=UTC),
                    resolved_at=datetime(2026, 10, 30, 9, 0, tzinfo=UTC),
                    checked_by="physio",
                    clearance="gentle_only",
                ),
                PainReport(
                    subscriber_id=subscriber_id,
                    source="o",
                    answers={"where": "calf"},
                    outcome="ease_off",
                    created_at=datetime(2026, 11, 16, 7, 5, tzinfo=UTC),
                ),
                PainReport(
                    subscriber_id=subscriber_id,
                    source="r",
                    answers={"red": "sharp_pain"},
                    outcome="professional",
                    created_at=datetime(2026, 11, 23, 23, 30, tzinfo=UTC),  # Tue 00:30 Berlin
                    checked_by="gp",
                    clearance="not_cleared",
                ),
            ]
        )
        await db.commit()


async def _expected(bot: RunningBot, subscriber_id: int) -> list[str]:
    """Every figure, computed here from the rows (not through the report's own code)."""
    today = bot.clock().astimezone(BERLIN).date()
    mondays = [today - timedelta(days=today.weekday(), weeks=back) for back in range(7, -1, -1)]

    def monday(at: datetime) -> date:
        local = at.astimezone(BERLIN).date()
        return local - timedelta(days=local.weekday())

    async with bot.services.session_factory() as db:
        practice = (
            (
                await db.execute(
                    select(PracticeSession)
                    .where(PracticeSession.subscriber_id == subscriber_id)
                    .order_by(PracticeSession.started_at)
                )
            )
            .scalars()
            .all()
        )
        events = (
            (
                await db.execute(
                    select(SessionEvent)
                    .join(PracticeSession)
                    .where(PracticeSession.subscriber_id == subscriber_id)
                )
            )
            .scalars()
            .all()
        )
        reports = (
            (
                await db.execute(
                    select(PainReport)
                    .where(PainReport.subscriber_id == subscriber_id)
                    .order_by(PainReport.created_at)
                )
            )
            .scalars()
            .all()
        )
    in_weeks = {p.id for p in practice if monday(p.started_at) >= mondays[0]}
    done_by_session = Counter(e.session_id for e in events if e.kind in ("done", "done_eased"))
    per_week = Counter(
        monday(p.started_at)
        for p in practice
        if p.status is SessionStatus.COMPLETED and done_by_session[p.id] and p.id in in_weeks
    )
    lines = []
    for week in mondays:
        count = per_week[week]
        status = "below" if count < 3 else "above" if count > 5 else "within"
        plural = "s" if count != 1 else ""
        lines.append(
            f"Week of {week:%a} {week.day} {week:%b}: {count} session{plural}, {status} the goal"
        )
    on_goal = sum(1 for week in mondays if per_week[week] >= 3)
    lines.append(f"Goal reached in {on_goal} of 8 weeks.")

    names = {s.id: s.name for s in bot.services.content.stretches.values()}
    tallies: dict[str, Counter[str]] = {}
    for e in events:
        if e.session_id in in_weeks:
            tallies.setdefault(e.stretch_id, Counter())[e.kind] += 1
    for stretch_id, kinds in tallies.items():
        if kinds["done"] + kinds["done_eased"] + kinds["stopped"]:
            lines.append(
                f"{names[stretch_id]}: {kinds['done']} done, {kinds['done_eased']} eased off, "
                f"{kinds['stopped']} stopped"
            )
    for p in practice:
        if p.pain_rating is not None and p.id in in_weeks:
            local = p.started_at.astimezone(BERLIN)
            lines.append(f"{local:%a} {local.day} {local:%b}: {p.pain_rating}")
    for r in reports:
        local = r.created_at.astimezone(BERLIN)
        line = (
            f"{local:%a} {local.day} {local:%b %Y} {local:%H:%M}, "
            f"{texts.SOURCE_WORDS[r.source]}: {texts.OUTCOME_WORDS[r.outcome]}"
        )
        if r.checked_by:
            line += (
                f"; checked by {texts.CHECKED_BY_WORDS[r.checked_by]}: "
                f"{texts.CLEARANCE_WORDS[r.clearance or '']}"
            )
        if r.resolved_at:
            closed = r.resolved_at.astimezone(BERLIN)
            line += f" (closed {closed:%a} {closed.day} {closed:%b})"
        lines.append(line)
    latest_lift = [r.clearance for r in reports if r.resolved_at and r.clearance]
    lines.append(texts.LIMIT_WORDS[latest_lift[-1]])  # type: ignore[index]
    return lines


async def _report(person: SimUser) -> tuple[ChatMessage, str]:
    await person.send("/report")
    document = await person.next_message(TIMEOUT)
    parts = [await person.next_message(TIMEOUT)]
    while not parts[-1].text or "Limits a professional set" not in parts[-1].text:
        parts.append(await person.next_message(TIMEOUT))
    return document, "\n\n".join(p.text or "" for p in parts)


async def test_report_states_every_figure_in_the_pdf_and_the_message(
    stretchbot: RunningBot, person: SimUser
) -> None:
    me = await subscribe(stretchbot, person)
    await _history(stretchbot, me)
    document, message = await _report(person)

    assert document.kind == "document"
    assert document.document_name == "stretchbot-summary.pdf"
    assert document.text == texts.caption()
    assert document.document is not None
    pdf = PdfReader(io.BytesIO(document.document))
    assert 1 <= len(pdf.pages) <= 2
    pdf_text = _flat(" ".join(page.extract_text(extraction_mode="layout") for page in pdf.pages))

    expected = await _expected(stretchbot, me)
    expected += [
        "Stretching summary for " + person.first_name,
        "dates and times in Europe/Berlin",
        "Highest stage offered now: Chair progression, stage 3 – toes up",
    ]
    for line in expected:
        assert _flat(line) in pdf_text, line
        assert _flat(line) in _flat(message), line
    # The session before the report's weeks and its rating stay out; the open flag says so.
    assert ": 9" not in message
    assert "Tue 24 Nov 2026 00:30, from a reminder: advised to see a professional" in message
    assert "still open" in message
    assert message.count("•") == _flat(pdf_text).count("•")


async def test_report_before_setting_up_says_what_to_do(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await person.send("/report")
    reply = await person.next_message(TIMEOUT)
    assert reply.kind == "text" and reply.text == texts.nothing_yet()


async def test_report_with_no_history_still_reads_well(
    stretchbot: RunningBot, person: SimUser
) -> None:
    await subscribe(stretchbot, person)
    document, message = await _report(person)
    assert document.document is not None
    pdf_text = _flat(
        PdfReader(io.BytesIO(document.document)).pages[0].extract_text(extraction_mode="layout")
    )
    for line in ("Goal reached in 0 of 8 weeks.", "None given in these weeks.", "None."):
        assert line in pdf_text and line in message
    assert "Highest stage offered now: Chair progression, stage 3 – toes up" in message


@pytest.mark.parametrize("language", ["de", "ru"])
async def test_report_in_the_persons_language_pdf_and_message(
    stretchbot: RunningBot, language: str
) -> None:
    """The PDF (drawn in a worker thread) and the message speak the person's language, dates
    in that language's own order; the figures are the same as in English."""
    person = stretchbot.sandbox.user("Vera", language_code=language)
    me = await subscribe(stretchbot, person, language=language)
    await _history(stretchbot, me)
    await person.send("/report")
    document = await person.next_message(TIMEOUT)
    with using(language):
        caption, last = texts.caption(), _("Limits a professional set")
        source = _("from a reminder")
        advice = _("advised to see a professional")
        first_day = texts.day(date(2026, 11, 24))
    assert document.text == caption and caption != texts.caption()
    parts = [await person.next_message(TIMEOUT)]
    while last not in (parts[-1].text or ""):
        parts.append(await person.next_message(TIMEOUT))
    message = "\n\n".join(p.text or "" for p in parts)
    assert document.document is not None
    pdf = PdfReader(io.BytesIO(document.document))
    pdf_text = _flat(" ".join(page.extract_text(extraction_mode="layout") for page in pdf.pages))
    line = f"{first_day} 00:30, {source}: {advice}"
    assert _flat(line) in _flat(message), line
    assert _flat(line) in pdf_text, line
    assert "Stretching summary" not in message and "from a reminder" not in pdf_text
    # CLDR puts a narrow no-break space before the Russian "г." (year).
    expected_day = {"de": "Di., 24. Nov. 2026", "ru": "вт, 24 нояб. 2026\u202fг."}[language]
    assert first_day == expected_day
