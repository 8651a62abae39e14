"""the job table: reports, plans and imports run by worker processes

Revision ID: jobs_0001
Revises: survey_0001
Create Date: 2026-12-06 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'jobs_0001'
down_revision = 'survey_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('actor', sa.String(length=64), nullable=False),
        sa.Column('county_code', sa.String(length=6), nullable=True),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('input', sa.LargeBinary(), nullable=True),
        sa.Column('input_name', sa.Text(), nullable=True),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('stage', sa.Text(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('worker', sa.String(length=80), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('result', sa.LargeBinary(), nullable=True),
        sa.Column('result_name', sa.Text(), nullable=True),
        sa.Column('result_type', sa.String(length=120), nullable=True),
        sa.Column('answer', sa.JSON(), nullable=True),
        sa.Column('error', sa.JSON(), nullable=True),
        sa.Column('seen', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_jobs_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    )
    op.create_index('ix_jobs_status_id', 'jobs', ['status', 'id'], unique=False)
    op.create_index('ix_jobs_user_id_id', 'jobs', ['user_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_jobs_user_id_id', table_name='jobs')
    op.drop_index('ix_jobs_status_id', table_name='jobs')
    op.drop_table('jobs')
