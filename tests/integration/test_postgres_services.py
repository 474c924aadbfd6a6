"""The service tests, run again on PostgreSQL: login and lockout, users and sites, screening,
randomization once only, audit records and their verification.

The test functions are those of the unit tests (imported, so they are the same checks); only
the ``db`` fixture differs: a fresh PostgreSQL database per test instead of a SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ctrial_desktop.store.database import Database
from tests import pg_fixtures
from tests.unit import conftest as unit_fixtures
from tests.unit.services import test_auth, test_randomization, test_users_and_screening
from tests.unit.store import test_audit

pytestmark = pytest.mark.postgres

pg_url = pg_fixtures.pg_url
pg_db = pg_fixtures.pg_db
admin = unit_fixtures.admin
sites = unit_fixtures.sites
coordinator = unit_fixtures.coordinator
today = unit_fixtures.today


@pytest.fixture
def db(pg_db: Database) -> Iterator[Database]:
    """The unit tests' database fixture, on PostgreSQL."""
    assert pg_db.engine.dialect.name == "postgresql"
    yield pg_db


def _reuse(module: object, *names: str) -> None:
    for name in names:
        globals()[name] = getattr(module, name)


_reuse(test_audit,
       "test_insert_writes_one_record_per_audited_column",
       "test_update_without_reason_is_refused_and_nothing_written",
       "test_direct_data_edit_is_detected")
_reuse(test_auth,
       "test_first_administrator_only_once",
       "test_first_administrator_password_rules",
       "test_login_and_logout_are_audited",
       "test_wrong_password_counts_down_then_locks",
       "test_administrator_unlocks_and_failures_reset",
       "test_unknown_user_is_audited_without_revealing_which_part_was_wrong",
       "test_disabled_user_cannot_log_in",
       "test_new_user_must_change_password")
_reuse(test_users_and_screening,
       "test_roles_per_site_are_replaced_with_a_reason",
       "test_unknown_site_and_duplicate_username_are_refused",
       "test_reset_password_unlocks_and_forces_a_change",
       "test_administrator_cannot_disable_themselves",
       "test_site_codes_and_activation",
       "test_screening_input_is_checked_field_by_field",
       "test_patient_numbers_follow_the_site_sequence",
       "test_screen_failure_stays_in_the_log_with_its_reason")
_reuse(test_randomization,
       "test_blocks_randomization_takes_next_position_and_is_final",
       "test_missing_iss_blocks_with_a_clear_reason",
       "test_changed_stratification_since_shown_is_refused",
       "test_eligibility_blocks",
       "test_monitor_cannot_randomize_but_reads_the_log",
       "test_list_running_low_then_dry_then_appended",
       "test_tampered_list_or_assignment_is_detected",
       "test_minimization_stores_its_explanation",
       "test_wrong_stratum_is_a_deviation_not_a_redraw")
