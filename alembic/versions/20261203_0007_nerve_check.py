"""the answer to the question before the first nerve-tension routine (legs always tight?)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 13:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nerve_check', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.drop_column('nerve_check')
