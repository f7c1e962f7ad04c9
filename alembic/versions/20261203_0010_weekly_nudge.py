"""weekly nudge: the reminder that carried one records the sessions done that week

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 16:50:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | Sequence[str] | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reminder_deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nudge_done', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reminder_deliveries', schema=None) as batch_op:
        batch_op.drop_column('nudge_done')
