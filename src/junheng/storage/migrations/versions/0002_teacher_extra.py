"""teachers.extra: optional columns of the teacher sheet (可调配 for the planner)

Revision ID: 0002
Revises: web_0001
Create Date: 2026-11-23 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = 'web_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: NULL is "no optional column filled", the case for almost every row.
    with op.batch_alter_table('teachers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('teachers', schema=None) as batch_op:
        batch_op.drop_column('extra')
