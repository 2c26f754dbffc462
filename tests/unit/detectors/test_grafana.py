"""GRAFANA_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.grafana import GRAFANA_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('GRAFANA_TOKEN=glsa_q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7_0a1b2c3d', None, ['glsa_q8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7_0a1b2c3d']),
    ('glsa_short', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(GRAFANA_TOKEN, text, key) == expected
