"""store: the keys of stored forms and values cannot change; new rows' implied audit values

Triggers refuse any change of what a ``form_data`` row is about (patient, visit, repeat,
form, day) or of what an ``item_value`` row is about (form instance, group, row, item):
the audit trail records values under the row's id, so such a change, made behind the
application, would move a patient's recorded history to another patient, form or item
without a trace. The application never changes them (see ``store/triggers.py``). Nor
can a randomized patient's arm change (a copy of its randomization record's arm).

This revision also marks the audit trail rule that came with it: a new row's columns at
their implied value (``__audit_implied__`` of the models: a value active, a form instance
unsigned, unlocked, unverified and active) have no INSERT record. A version of the
application from before it would read such rows as written without records, so it
refuses this database as one from a newer version.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

from ctrial_desktop.store.triggers import create_fixed_key_triggers, drop_fixed_key_triggers

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_fixed_key_triggers(op.get_bind())


def downgrade() -> None:
    drop_fixed_key_triggers(op.get_bind())
