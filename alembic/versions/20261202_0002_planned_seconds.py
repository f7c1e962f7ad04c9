"""planned seconds per hold, beside the held ones (the dose rule)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 14:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('session_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_seconds', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('session_events', schema=None) as batch_op:
        batch_op.drop_column('planned_seconds')
