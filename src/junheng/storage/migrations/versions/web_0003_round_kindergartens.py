"""web app: the kindergarten part of a collection round (学前教育, filled by the bureau)

Revision ID: web_0003
Revises: web_0002
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'web_0003'
down_revision = 'web_0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('round_kindergartens',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['collection_rounds.id'],
                            name=op.f('fk_round_kindergartens_round_id_collection_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_round_kindergartens'))
    )


def downgrade() -> None:
    op.drop_table('round_kindergartens')
