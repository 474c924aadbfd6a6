"""randomization

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 21:49:55.679018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('allocation_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_code', sa.String(length=8), nullable=False),
    sa.Column('stratum', sa.String(length=128), nullable=False),
    sa.Column('list_number', sa.Integer(), nullable=False),
    sa.Column('algorithm', sa.String(length=64), nullable=False),
    sa.Column('canonical_text', sa.Text(), nullable=False),
    sa.Column('commitment', sa.String(length=64), nullable=False),
    sa.Column('first_position', sa.Integer(), nullable=False),
    sa.Column('last_position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('stratum', 'list_number', name='uq_allocation_list')
    )
    with op.batch_alter_table('allocation_list', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_list_site_code'), ['site_code'], unique=False)

    op.create_table('protocol_deviation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('protocol_deviation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_protocol_deviation_patient_id'), ['patient_id'], unique=False)

    op.create_table('randomization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('site_code', sa.String(length=8), nullable=False),
    sa.Column('stratum', sa.String(length=128), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('arm', sa.String(length=8), nullable=False),
    sa.Column('factors', sa.Text(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('randomized_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['allocation_list.id'], ),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number'),
    sa.UniqueConstraint('patient_id'),
    sa.UniqueConstraint('stratum', 'position', name='uq_randomization_position')
    )


def downgrade() -> None:
    op.drop_table('randomization')
    with op.batch_alter_table('protocol_deviation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_protocol_deviation_patient_id'))

    op.drop_table('protocol_deviation')
    with op.batch_alter_table('allocation_list', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_list_site_code'))

    op.drop_table('allocation_list')
