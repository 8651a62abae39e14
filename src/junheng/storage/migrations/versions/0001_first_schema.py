"""first schema: regions, county-years, rows, evaluations

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 10:32:45.973104
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('regions',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('parent_code', sa.String(length=6), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['regions.code'], name=op.f('fk_regions_parent_code_regions')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regions'))
    )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regions_parent_code'), ['parent_code'], unique=False)

    op.create_table('county_years',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.Text(), nullable=False),
    sa.Column('file_name', sa.Text(), nullable=True),
    sa.Column('file_hash', sa.String(length=64), nullable=True),
    sa.Column('county_name', sa.Text(), nullable=False),
    sa.Column('city_name', sa.Text(), nullable=True),
    sa.Column('province_name', sa.Text(), nullable=True),
    sa.Column('basic_balance_year', sa.Integer(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('fact_refs', sa.JSON(), nullable=False),
    sa.Column('column_map', sa.JSON(), nullable=False),
    sa.Column('absent_columns', sa.JSON(), nullable=False),
    sa.Column('extra_tables', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['regions.code'], name=op.f('fk_county_years_county_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_county_years')),
    sa.UniqueConstraint('county_code', 'school_year', 'version', name=op.f('uq_county_years_county_code_school_year_version'))
    )
    with op.batch_alter_table('county_years', schema=None) as batch_op:
        batch_op.create_index('uq_county_years_current', ['county_code', 'school_year'], unique=True, sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))

    op.create_table('classes',
    sa.Column('county_year_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('school_code', sa.Text(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('class_name', sa.Text(), nullable=False),
    sa.Column('students', sa.Integer(), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_year_id'], ['county_years.id'], name=op.f('fk_classes_county_year_id_county_years'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_year_id', 'seq', name=op.f('pk_classes'))
    )
    op.create_table('county_facts',
    sa.Column('county_year_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('value_type', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['county_year_id'], ['county_years.id'], name=op.f('fk_county_facts_county_year_id_county_years'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_year_id', 'key', name=op.f('pk_county_facts'))
    )
    op.create_table('evaluations',
    sa.Column('county_year_id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Text(), nullable=False),
    sa.Column('standard_version', sa.Text(), nullable=False),
    sa.Column('recognised', sa.Boolean(), nullable=False),
    sa.Column('schools_total', sa.Integer(), nullable=False),
    sa.Column('schools_passed', sa.Integer(), nullable=False),
    sa.Column('items_failed', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['county_year_id'], ['county_years.id'], name=op.f('fk_evaluations_county_year_id_county_years'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_year_id', name=op.f('pk_evaluations'))
    )
    op.create_table('rooms',
    sa.Column('county_year_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('school_code', sa.Text(), nullable=False),
    sa.Column('room_type', sa.String(length=10), nullable=False),
    sa.Column('area', sa.Double(), nullable=False),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_year_id'], ['county_years.id'], name=op.f('fk_rooms_county_year_id_county_years'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_year_id', 'seq', name=op.f('pk_rooms'))
    )
    op.create_table('schools',
    sa.Column('county_year_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('school_type', sa.String(length=30), nullable=False),
    sa.Column('urban_rural', sa.String(length=10), nullable=False),
    sa.Column('ownership', sa.String(length=10), nullable=False),
    sa.Column('boarding', sa.Boolean(), nullable=False),
    sa.Column('primary_students', sa.Integer(), nullable=False),
    sa.Column('junior_students', sa.Integer(), nullable=False),
    sa.Column('senior_students', sa.Integer(), nullable=False),
    sa.Column('teaching_area', sa.Double(), nullable=False),
    sa.Column('indoor_sports_area', sa.Double(), nullable=True),
    sa.Column('sports_area', sa.Double(), nullable=False),
    sa.Column('equipment_value', sa.Double(), nullable=False),
    sa.Column('multimedia_rooms', sa.Integer(), nullable=False),
    sa.Column('public_funds_budget', sa.Double(), nullable=False),
    sa.Column('training_budget', sa.Double(), nullable=False),
    sa.Column('public_funds_allocated', sa.Double(), nullable=False),
    sa.Column('group_name', sa.Text(), nullable=True),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['county_year_id'], ['county_years.id'], name=op.f('fk_schools_county_year_id_county_years'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_year_id', 'seq', name=op.f('pk_schools')),
    sa.UniqueConstraint('county_year_id', 'code', name=op.f('uq_schools_county_year_id_code'))
    )
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schools_code'), ['code'], unique=False)

    op.create_table('teachers',
    sa.Column('county_year_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Text(), nullable=False),
    sa.Column('school_code', sa.Text(), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=False),
    sa.Column('degree', sa.String(length=30), nullable=False),
    sa.Column('backbone_level', sa.String(length=10), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('certified', sa.Boolean(), nullable=False),
    sa.Column('training_hours_5y', sa.Double(), nullable=False),
    sa.Column('rotation_eligible', sa.Boolean(), nullable=False),
    sa.Column('rotated', sa.Boolean(), nullable=False),
    sa.Column('title', sa.String(length=20), nullable=True),
    sa.Column('row', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_year_id'], ['county_years.id'], name=op.f('fk_teachers_county_year_id_county_years'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_year_id', 'seq', name=op.f('pk_teachers'))
    )


def downgrade() -> None:
    op.drop_table('teachers')
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schools_code'))

    op.drop_table('schools')
    op.drop_table('rooms')
    op.drop_table('evaluations')
    op.drop_table('county_facts')
    op.drop_table('classes')
    with op.batch_alter_table('county_years', schema=None) as batch_op:
        batch_op.drop_index('uq_county_years_current', sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))

    op.drop_table('county_years')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regions_parent_code'))

    op.drop_table('regions')
