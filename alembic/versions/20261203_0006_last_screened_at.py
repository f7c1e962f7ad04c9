"""subscribers.last_screened_at: when the safety questions were last answered, so they can be
asked again (after 4 weeks away, and every 12 weeks)

Existing people answered them at sign-up, right after accepting the safety note: their
`safety_acknowledged_at` is that moment, so it is the backfill for everyone whose screening is
over (not for those still at the safety note or half-way through the questions).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 13:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_screened_at', sa.DateTime(timezone=True), nullable=True))
    subscribers = sa.table(
        'subscribers',
        sa.column('last_screened_at', sa.DateTime(timezone=True)),
        sa.column('safety_acknowledged_at', sa.DateTime(timezone=True)),
        sa.column('onboarding_step', sa.String()),
    )
    op.execute(
        subscribers.update()
        .where(
            subscribers.c.safety_acknowledged_at.is_not(None),
            sa.or_(
                subscribers.c.onboarding_step.is_(None),
                subscribers.c.onboarding_step.not_in(['safety', 'screening']),
            ),
        )
        .values(last_screened_at=subscribers.c.safety_acknowledged_at)
    )


def downgrade() -> None:
    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.drop_column('last_screened_at')
