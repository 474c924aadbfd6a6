"""clinical reference: per-site lab normal ranges and reviews of abnormal lab values

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 01:20:18.035336
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lab_normal_range',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_code', sa.String(length=8), nullable=False),
    sa.Column('test', sa.String(length=16), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('lln', sa.String(length=32), nullable=True),
    sa.Column('uln', sa.String(length=32), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('site_code', 'test', 'sex', name='uq_lab_normal_range')
    )
    with op.batch_alter_table('lab_normal_range', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_normal_range_site_code'), ['site_code'], unique=False)

    op.create_table('lab_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('form_data_id', sa.Integer(), nullable=False),
    sa.Column('item_oid', sa.String(length=64), nullable=False),
    sa.Column('group_repeat', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reviewed_by', sa.String(length=64), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['form_data_id'], ['form_data.id'], ),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('form_data_id', 'item_oid', 'group_repeat', name='uq_lab_review')
    )
    with op.batch_alter_table('lab_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lab_review_patient_id'), ['patient_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('lab_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lab_review_patient_id'))

    op.drop_table('lab_review')
    with op.batch_alter_table('lab_normal_range', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lab_normal_range_site_code'))

    op.drop_table('lab_normal_range')
