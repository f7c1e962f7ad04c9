"""The schema: typed SQLAlchemy 2 models. Alembic owns the real tables; these describe them.

A naming convention gives every constraint and index a fixed name, so a migration produced on
SQLite is identical to one produced on PostgreSQL.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.db.types import UTCDateTime, utc_now

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONDAY_TO_FRIDAY = 0b0011111


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum: a short string column plus a named CHECK constraint on both backends."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class SubscriberStatus(enum.StrEnum):
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"
    BLOCKED = "blocked"


class PauseReason(enum.StrEnum):
    """Why reminders are paused: the person chose it. A red flag is not a pause but a hold on the
    person (an open pain report, see `bot.domain.lifecycle`); RED_FLAG only names rows written
    before that, which migration 0003 converted."""

    USER = "user"
    RED_FLAG = "red_flag"


class SessionStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    STOPPED = "stopped"
    ABANDONED = "abandoned"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    MISSED = "missed"
    FAILED = "failed"
    SKIPPED = "skipped"


class DeliveryKind(enum.StrEnum):
    DAILY = "daily"
    SNOOZE = "snooze"


class Subscriber(Base):
    """A person who talks to the bot in a private chat."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    first_name: Mapped[str | None] = mapped_column(String(128))
    language_code: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[SubscriberStatus] = mapped_column(
        _enum(SubscriberStatus, "subscriber_status"), default=SubscriberStatus.ONBOARDING
    )
    pause_reason: Mapped[PauseReason | None] = mapped_column(_enum(PauseReason, "pause_reason"))
    paused_until: Mapped[date | None] = mapped_column(Date)
    onboarding_step: Mapped[str | None] = mapped_column(String(32))
    awaiting_input: Mapped[str | None] = mapped_column(String(32))
    safety_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    screening: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    last_screened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the person last finished the safety questions (at sign-up or asked again later):
    `bot.domain.rescreening` reads it to ask them again."""
    nerve_check: Mapped[dict[str, str] | None] = mapped_column(JSON)
    """The question before the first nerve-tension routine (`bot.domain.nerve_check`)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now, onupdate=utc_now)

    preferences: Mapped[Preferences] = relationship(
        back_populates="subscriber", cascade="all, delete-orphan", passive_deletes=True
    )


class Preferences(Base):
    """When and what a subscriber wants to stretch, and when the next reminder is due."""

    __tablename__ = "preferences"

    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True
    )
    reminder_time: Mapped[time | None] = mapped_column(Time)
    # Bit 0 is Monday, bit 6 is Sunday: one small integer, cheap to compare and portable.
    weekdays: Mapped[int] = mapped_column(SmallInteger, default=MONDAY_TO_FRIDAY)
    focus_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    level: Mapped[str] = mapped_column(String(16), default="beginner")
    session_minutes: Mapped[int] = mapped_column(SmallInteger, default=10)
    next_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # Reminders, snoozes and nudges arrive without a sound or buzz (`disable_notification`).
    quiet: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Quiet hours, local wall-clock [from, until), may cross midnight; off while either is NULL.
    quiet_from: Mapped[time | None] = mapped_column(Time)
    quiet_until: Mapped[time | None] = mapped_column(Time)

    subscriber: Mapped[Subscriber] = relationship(back_populates="preferences")


class PracticeSession(Base):
    """One guided run through a routine; `state` is the flow's own serialised state."""

    __tablename__ = "practice_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), index=True
    )
    routine_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[SessionStatus] = mapped_column(
        _enum(SessionStatus, "session_status"), default=SessionStatus.ACTIVE
    )
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    hold_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # The lease on a due hold: set by the process that claimed it to ring its end, cleared by
    # the transition that ends it. A lease older than `holds.LEASE` is any process's to take.
    hold_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pain_rating: Mapped[int | None] = mapped_column(SmallInteger)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SessionEvent(Base):
    """What happened at one step: done, skipped, a check-in answer. History stays honest."""

    __tablename__ = "session_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="CASCADE"), index=True
    )
    step_index: Mapped[int] = mapped_column(Integer)
    stretch_id: Mapped[str] = mapped_column(String(64))
    side: Mapped[str | None] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    checkin_answer: Mapped[str | None] = mapped_column(String(32))
    held_seconds: Mapped[int | None] = mapped_column(Integer)
    planned_seconds: Mapped[int | None] = mapped_column(Integer)
    """For a hold: the seconds it was planned to last (the dose rule compares the two)."""
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)


class PainReport(Base):
    """A pain report: only the answer ids and the outcome, never free text.

    While `resolved_at` is NULL, a report with a red-flag outcome (urgent, professional) or no
    outcome yet (a triage begun, not answered) holds the person: see `bot.domain.lifecycle`.
    Lifting one stores who checked the person and what they said (`checked_by`, `clearance`).
    """

    __tablename__ = "pain_reports"
    # The dispatcher's claim asks "has this person an open report?" for every due row.
    __table_args__ = (Index("ix_pain_reports_open", "subscriber_id", "resolved_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    outcome: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_by: Mapped[str | None] = mapped_column(String(16))
    """Who checked the person before lifting (`lifecycle.CheckedBy`)."""
    clearance: Mapped[str | None] = mapped_column(String(24))
    """What they said (`lifecycle.Verdict`); "not_cleared" leaves the report open."""


class ProcessedUpdate(Base):
    """Update ids already taken in webhook mode: a replayed update is dropped, whichever
    worker it reaches. Pruned after a day (Telegram keeps an update at most 24 hours)."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now, index=True)


class ReminderDelivery(Base):
    """A reminder owed to one subscriber at one instant: what makes sends at-least-once."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("subscriber_id", "due_at"),
        Index("ix_reminder_deliveries_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[DeliveryKind] = mapped_column(
        _enum(DeliveryKind, "delivery_kind"), default=DeliveryKind.DAILY
    )
    status: Mapped[DeliveryStatus] = mapped_column(
        _enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    routine_id: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    # Lease of a pending delivery: the dispatcher holding it renews it while the send is under
    # way; a pending row whose lease has run out was left by a crash and is sent again.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The weekly nudge this reminder carried (`bot.domain.nudge`): the sessions done that week
    # when it was added; NULL without one. The newest one keeps the nudge to once a week.
    nudge_done: Mapped[int | None] = mapped_column(Integer)
