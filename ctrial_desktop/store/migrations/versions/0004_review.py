"""review

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 21:59:46.530126
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('data_query',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('form_data_id', sa.Integer(), nullable=False),
    sa.Column('item_group_oid', sa.String(length=64), nullable=False),
    sa.Column('group_repeat', sa.Integer(), nullable=False),
    sa.Column('item_oid', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('site_code', sa.String(length=8), nullable=False),
    sa.Column('raised_by', sa.String(length=64), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['form_data_id'], ['form_data.id'], ),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('data_query', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_query_form_data_id'), ['form_data_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_query_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index('ix_query_status', ['status'], unique=False)

    op.create_table('signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_data_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('printed_name', sa.String(length=200), nullable=False),
    sa.Column('meaning', sa.Text(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['form_data_id'], ['form_data.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_form_data_id'), ['form_data_id'], unique=False)

    op.create_table('data_query_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['query_id'], ['data_query.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('data_query_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_query_message_query_id'), ['query_id'], unique=False)

    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_column('locked')

    with op.batch_alter_table('data_query_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_query_message_query_id'))

    op.drop_table('data_query_message')
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signature_form_data_id'))

    op.drop_table('signature')
    with op.batch_alter_table('data_query', schema=None) as batch_op:
        batch_op.drop_index('ix_query_status')
        batch_op.drop_index(batch_op.f('ix_data_query_patient_id'))
        batch_op.drop_index(batch_op.f('ix_data_query_form_data_id'))

    op.drop_table('data_query')
