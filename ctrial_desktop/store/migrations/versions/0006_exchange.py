"""exchange: site transfer imports, site audit chains, conflicts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 02:56:02.519364
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exchange_base',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_code', sa.String(length=8), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=128), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('table_name', 'record_id', 'item', name='uq_exchange_base_column')
    )
    op.create_table('exchange_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('site_code', sa.String(length=8), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_oid', sa.String(length=128), nullable=False),
    sa.Column('chain_seq', sa.Integer(), nullable=False),
    sa.Column('chain_hash', sa.String(length=64), nullable=False),
    sa.Column('imported_by', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256')
    )
    with op.batch_alter_table('exchange_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_import_site_code'), ['site_code'], unique=False)

    op.create_table('exchange_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('site_code', sa.String(length=8), nullable=False),
    sa.Column('patient_number', sa.String(length=16), nullable=False),
    sa.Column('location', sa.String(length=255), nullable=False),
    sa.Column('item', sa.String(length=128), nullable=False),
    sa.Column('central_value', sa.Text(), nullable=True),
    sa.Column('site_value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['import_id'], ['exchange_import.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('exchange_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_conflict_import_id'), ['import_id'], unique=False)

    op.create_table('exchange_site_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_site', sa.String(length=8), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('timestamp_utc', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('site_code', sa.String(length=8), nullable=False),
    sa.Column('session_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('item', sa.String(length=128), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['exchange_import.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_site', 'seq', name='uq_exchange_site_audit_seq')
    )
    op.create_table('exchange_site_chain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_code', sa.String(length=8), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['exchange_import.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('site_code')
    )


def downgrade() -> None:
    op.drop_table('exchange_site_chain')
    op.drop_table('exchange_site_audit')
    with op.batch_alter_table('exchange_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_conflict_import_id'))

    op.drop_table('exchange_conflict')
    with op.batch_alter_table('exchange_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_import_site_code'))

    op.drop_table('exchange_import')
    op.drop_table('exchange_base')
