"""Fixtures of the integration tests beyond the shared ones in tests/conftest.py."""

from tests.review_service import start_review  # noqa: F401 - a fixture, found by pytest here
