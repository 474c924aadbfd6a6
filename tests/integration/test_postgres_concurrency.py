"""Two processes randomizing the same patients on one PostgreSQL database (row locks):
no position and no patient is ever taken twice, and both the audit chain and every
allocation list verify afterwards.
"""

from __future__ import annotations

import pytest

from ctrial_desktop.store.database import Database
from tests import pg_fixtures
from tests.integration.test_randomization_concurrency import randomize_from_two_processes

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

pg_url = pg_fixtures.pg_url
pg_db = pg_fixtures.pg_db


def test_two_processes_randomizing_the_same_patients_on_postgresql(pg_url: str,
                                                                   pg_db: Database) -> None:
    randomize_from_two_processes(pg_db, pg_url)
