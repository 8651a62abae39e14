"""社会认可度 survey: surveys, one-time codes, imports and responses

Revision ID: survey_0001
Revises: targets_0001
Create Date: 2026-12-06 05:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'survey_0001'
down_revision = 'targets_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'surveys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('county_code', sa.String(length=6), nullable=False),
        sa.Column('county_name', sa.Text(), nullable=False),
        sa.Column('school_year', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('questionnaire', sa.JSON(), nullable=False),
        sa.Column('settings', sa.JSON(), nullable=False),
        sa.Column('design', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
        sa.UniqueConstraint('county_code', 'school_year', name=op.f('uq_surveys_county_code_school_year')),
    )
    op.create_table(
        'survey_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('school_code', sa.String(length=20), nullable=False),
        sa.Column('group_id', sa.String(length=20), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_codes_survey_id_surveys'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_codes')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_survey_codes_code_hash')),
    )
    op.create_index(op.f('ix_survey_codes_survey_id_school_code_group_id'), 'survey_codes',
                    ['survey_id', 'school_code', 'group_id'], unique=False)
    op.create_table(
        'survey_imports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('file_name', sa.Text(), nullable=False),
        sa.Column('file_hash', sa.String(length=64), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('imported_by', sa.Text(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_imports_survey_id_surveys'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_imports')),
        sa.UniqueConstraint('survey_id', 'file_hash', name=op.f('uq_survey_imports_survey_id_file_hash')),
    )
    op.create_table(
        'survey_responses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('code_id', sa.Integer(), nullable=True),
        sa.Column('import_id', sa.Integer(), nullable=True),
        sa.Column('school_code', sa.String(length=20), nullable=False),
        sa.Column('group_id', sa.String(length=20), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('row', sa.Integer(), nullable=True),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['code_id'], ['survey_codes.id'], name=op.f('fk_survey_responses_code_id_survey_codes'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['import_id'], ['survey_imports.id'],
                                name=op.f('fk_survey_responses_import_id_survey_imports'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_responses_survey_id_surveys'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
        sa.UniqueConstraint('code_id', name=op.f('uq_survey_responses_code_id')),
    )
    op.create_index(op.f('ix_survey_responses_survey_id_group_id'), 'survey_responses',
                    ['survey_id', 'group_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_survey_responses_survey_id_group_id'), table_name='survey_responses')
    op.drop_table('survey_responses')
    op.drop_table('survey_imports')
    op.drop_index(op.f('ix_survey_codes_survey_id_school_code_group_id'), table_name='survey_codes')
    op.drop_table('survey_codes')
    op.drop_table('surveys')
