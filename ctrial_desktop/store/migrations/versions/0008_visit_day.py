"""forms: one instance per planned day of a visit (cycle days 1, 8, 15, 22)

Adds ``visit_day`` to ``form_data`` and ``form_draft`` and to their unique keys; every
existing instance and draft becomes day 1 (the only instance there was).

On SQLite the two tables are rebuilt (batch mode) to change their unique keys, with the
foreign keys switched off meanwhile and checked before commit (``migrations/env.py``).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_FORM_KEY = ["patient_id", "event_oid", "event_repeat", "form_oid"]
_DRAFT_KEY = ["user_id", "patient_id", "event_oid", "event_repeat", "form_oid"]


def upgrade() -> None:
    with op.batch_alter_table("form_data", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visit_day", sa.Integer(), server_default="1",
                                      nullable=False))
        batch_op.drop_constraint("uq_form_instance", type_="unique")
        batch_op.create_unique_constraint("uq_form_instance", [*_FORM_KEY, "visit_day"])
    with op.batch_alter_table("form_draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visit_day", sa.Integer(), server_default="1",
                                      nullable=False))
        batch_op.drop_constraint("uq_form_draft", type_="unique")
        batch_op.create_unique_constraint("uq_form_draft", [*_DRAFT_KEY, "visit_day"])


def downgrade() -> None:
    # Only the first day of each form survives a downgrade: the others cannot be keyed.
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM form_draft WHERE visit_day <> 1"))
    with op.batch_alter_table("form_draft", schema=None) as batch_op:
        batch_op.drop_constraint("uq_form_draft", type_="unique")
        batch_op.create_unique_constraint("uq_form_draft", _DRAFT_KEY)
        batch_op.drop_column("visit_day")
    if bind.execute(sa.text("SELECT COUNT(*) FROM form_data WHERE visit_day <> 1")).scalar():
        raise RuntimeError("Forms of cycle days other than day 1 are stored: the database "
                           "cannot go back to a version without visit days.")
    with op.batch_alter_table("form_data", schema=None) as batch_op:
        batch_op.drop_constraint("uq_form_instance", type_="unique")
        batch_op.create_unique_constraint("uq_form_instance", _FORM_KEY)
        batch_op.drop_column("visit_day")
