"""Pytest fixtures for the PostgreSQL tests (import them into a test module to use them).

``pg_url`` is the URL of a fresh database made for one test; ``pg_db`` is that database
opened and migrated by the application. When ``CTRIAL_TEST_PG_URL`` is unset the test is
skipped, except in continuous integration (``CI=true``) where it fails.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ctrial_desktop.store.database import Database, open_database
from tests.pg_support import PG_URL_ENV, SKIP_REASON, configured_url, fresh_database, in_ci


def require_server() -> str:
    """The server URL, or skip (developer computer) / fail (CI) when there is none."""
    base = configured_url()
    if base is None:
        if in_ci():
            pytest.fail(f"{PG_URL_ENV} is not set in continuous integration: the PostgreSQL "
                        "tests must run there (see .ci/run)", pytrace=False)
        pytest.skip(SKIP_REASON)
    return base


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a new, empty PostgreSQL database, dropped after the test."""
    with fresh_database(require_server()) as url:
        yield url


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """The fresh PostgreSQL database, opened and migrated to the current schema."""
    database = open_database(pg_url)
    yield database
    database.dispose()
