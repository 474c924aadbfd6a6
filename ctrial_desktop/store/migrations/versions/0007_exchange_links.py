"""exchange links: site rows mapped to central rows, site users and locations, import audit
ranges, imported randomizations

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 07:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('exchange_row_map',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_site', sa.String(length=8), nullable=False),
    sa.Column('table_name', sa.String(length=64), nullable=False),
    sa.Column('site_record_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_site', 'table_name', 'site_record_id',
                        name='uq_exchange_row_map_site')
    )
    op.create_index('ix_exchange_row_map_central', 'exchange_row_map',
                    ['table_name', 'record_id'], unique=False)
    op.create_table('exchange_site_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_site', sa.String(length=8), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('user_type', sa.String(length=16), nullable=False),
    sa.Column('locations', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_site', 'username', name='uq_exchange_site_user')
    )
    op.create_table('exchange_site_location',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_site', sa.String(length=8), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_site', 'code', name='uq_exchange_site_location')
    )
    op.create_index('ix_exchange_site_audit_target', 'exchange_site_audit',
                    ['source_site', 'table_name', 'record_id'], unique=False)
    with op.batch_alter_table('exchange_import', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_first_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('audit_last_seq', sa.Integer(), nullable=True))
    _backfill_import_ranges()
    with op.batch_alter_table('randomization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_site', sa.String(length=8), nullable=True))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)


def _backfill_import_ranges() -> None:
    """Imports recorded before: their records carry the reason naming the file's SHA-256."""
    conn = op.get_bind()
    imports = conn.execute(sa.text(
        "SELECT id, sha256, site_code, file_name FROM exchange_import")).all()
    for import_id, sha, site, name in imports:
        prefix = f"import of site {site} transfer file {name[:255]} (SHA-256 {sha[:16]})"
        first, last = conn.execute(sa.text(
            "SELECT min(seq), max(seq) FROM audit_trail WHERE substr(reason, 1, :n) = :p"),
            {"n": len(prefix), "p": prefix}).one()
        if first is not None:
            conn.execute(sa.text("UPDATE exchange_import SET audit_first_seq = :f, "
                                 "audit_last_seq = :l WHERE id = :i"),
                         {"f": first, "l": last, "i": import_id})


def downgrade() -> None:
    with op.batch_alter_table('randomization', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('source_site')
    with op.batch_alter_table('exchange_import', schema=None) as batch_op:
        batch_op.drop_column('audit_last_seq')
        batch_op.drop_column('audit_first_seq')
    op.drop_index('ix_exchange_site_audit_target', table_name='exchange_site_audit')
    op.drop_table('exchange_site_location')
    op.drop_table('exchange_site_user')
    op.drop_index('ix_exchange_row_map_central', table_name='exchange_row_map')
    op.drop_table('exchange_row_map')
