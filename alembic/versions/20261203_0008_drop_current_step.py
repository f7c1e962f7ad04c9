"""practice_sessions.current_step goes: the step lives in the flow's state (state.step)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 13:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.drop_column('current_step')


def downgrade() -> None:
    # The copy comes back at 0 for every row; nothing read it (the state keeps the step).
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('current_step', sa.Integer(), server_default='0', nullable=False)
        )
