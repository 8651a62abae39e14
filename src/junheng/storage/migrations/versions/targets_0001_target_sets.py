"""the bureau's own targets (issue 15): target_sets (versions) and targets

Revision ID: targets_0001
Revises: web_security_0001
Create Date: 2026-12-06 05:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'targets_0001'
down_revision = 'web_security_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'target_sets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('county_code', sa.String(length=6), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('is_current', sa.Boolean(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('imported_by', sa.Text(), nullable=False),
        sa.Column('file_name', sa.Text(), nullable=True),
        sa.Column('file_hash', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('county_code', 'version'),
    )
    op.create_index('uq_target_sets_current', 'target_sets', ['county_code'], unique=True,
                    sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))
    op.create_table(
        'targets',
        sa.Column('set_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('measure', sa.Text(), nullable=False),
        sa.Column('scope', sa.Text(), nullable=False),
        sa.Column('baseline_year', sa.Integer(), nullable=True),
        sa.Column('baseline', sa.Double(), nullable=True),
        sa.Column('baseline_from_data', sa.Boolean(), nullable=False),
        sa.Column('target', sa.Double(), nullable=False),
        sa.Column('target_year', sa.Integer(), nullable=False),
        sa.Column('milestones', sa.JSON(), nullable=False),
        sa.Column('basis', sa.Text(), nullable=True),
        sa.Column('department', sa.Text(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('row', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['set_id'], ['target_sets.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('set_id', 'seq'),
    )


def downgrade() -> None:
    op.drop_table('targets')
    op.drop_index('uq_target_sets_current', table_name='target_sets')
    op.drop_table('target_sets')
