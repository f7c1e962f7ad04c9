"""lifting red flags: who checked and what they said; holds live in pain_reports only

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 14:50:00+00:00

A red-flag hold is now a fact about the person (an open pain report), no longer a kind of
pause. Rows paused for a red flag become: active (when an open report still holds them, so the
hold stays), or paused until /resume (no open report: the safe reading of an old pause).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN_RED_FLAG = (
    "EXISTS (SELECT 1 FROM pain_reports p WHERE p.subscriber_id = subscribers.id"
    " AND p.resolved_at IS NULL AND p.outcome IN ('urgent', 'professional'))"
)


def upgrade() -> None:
    with op.batch_alter_table('pain_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_by', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('clearance', sa.String(length=24), nullable=True))
        batch_op.drop_index(batch_op.f('ix_pain_reports_subscriber_id'))
        batch_op.create_index('ix_pain_reports_open', ['subscriber_id', 'resolved_at'], unique=False)

    op.execute(
        "UPDATE subscribers SET status = 'active', pause_reason = NULL, paused_until = NULL"
        f" WHERE status = 'paused' AND pause_reason = 'red_flag' AND {_OPEN_RED_FLAG}"
    )
    op.execute(
        "UPDATE subscribers SET pause_reason = 'user', paused_until = NULL"
        " WHERE status = 'paused' AND pause_reason = 'red_flag'"
    )
    op.execute(
        "UPDATE subscribers SET pause_reason = NULL"
        " WHERE status IN ('stopped', 'blocked') AND pause_reason = 'red_flag'"
        f" AND {_OPEN_RED_FLAG}"
    )
    op.execute(
        "UPDATE subscribers SET pause_reason = 'user'"
        " WHERE status IN ('stopped', 'blocked') AND pause_reason = 'red_flag'"
    )


def downgrade() -> None:
    with op.batch_alter_table('pain_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_pain_reports_open')
        batch_op.create_index(batch_op.f('ix_pain_reports_subscriber_id'), ['subscriber_id'], unique=False)
        batch_op.drop_column('clearance')
        batch_op.drop_column('checked_by')
