"""POSTHOG_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.posthog import POSTHOG_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('POSTHOG_KEY=phx_2mQ9vK7xZ4pL8rT1wY6bN3cD0fG5hJ2kM9sA7eR4uI1', None, ['phx_2mQ9vK7xZ4pL8rT1wY6bN3cD0fG5hJ2kM9sA7eR4uI1']),
    ("posthog.init('phc_2mQ9vK7xZ4pL8rT1wY6bN3cD0fG5hJ2kM9sA7eR4uI1')", None, ['phc_2mQ9vK7xZ4pL8rT1wY6bN3cD0fG5hJ2kM9sA7eR4uI1']),
    ('phc_short', None, []),
    ('graph_x_2mQ9vK7xZ4pL8rT1wY6bN3cD0fG5hJ2kM9sA7eR4uI1', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(POSTHOG_KEY, text, key) == expected
