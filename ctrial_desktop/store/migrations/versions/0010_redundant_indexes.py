"""store: drop the two indexes that repeat the first column of a unique constraint

``ix_form_data_patient_id`` (``form_data.patient_id``) and ``ix_item_value_form_data_id``
(``item_value.form_data_id``) each index the first column of a unique constraint's index
(``uq_form_instance`` and ``uq_item_value``), which SQLite and PostgreSQL search by that
column alone just as well. Every saved form and value paid for the extra index: a third
of the index writes of a value, and tens of megabytes on a full trial.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_item_value_form_data_id", table_name="item_value")
    op.drop_index("ix_form_data_patient_id", table_name="form_data")


def downgrade() -> None:
    op.create_index("ix_form_data_patient_id", "form_data", ["patient_id"], unique=False)
    op.create_index("ix_item_value_form_data_id", "item_value", ["form_data_id"], unique=False)
