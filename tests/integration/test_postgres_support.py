"""The PostgreSQL test set-up itself: skipped on a developer computer, a failure in CI."""

from __future__ import annotations

import pytest

from tests import pg_fixtures, pg_support


def test_without_a_server_the_tests_are_skipped_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pg_support.PG_URL_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=pg_support.PG_URL_ENV):
        pg_fixtures.require_server()


@pytest.mark.parametrize("value", ["true", "TRUE", "1"])
def test_without_a_server_ci_fails(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(pg_support.PG_URL_ENV, "  ")
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="not set in continuous integration"):
        pg_fixtures.require_server()


def test_configured_server_is_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql+psycopg://u:p@127.0.0.1:54329/db"
    monkeypatch.setenv(pg_support.PG_URL_ENV, url)
    monkeypatch.setenv("CI", "true")
    assert pg_fixtures.require_server() == url


def test_only_test_databases_are_ever_dropped() -> None:
    with pytest.raises(ValueError, match="refusing"):
        pg_support.drop_database("postgresql+psycopg://u:p@127.0.0.1:1/x",
                                 "postgresql+psycopg://u:p@127.0.0.1:1/production")
