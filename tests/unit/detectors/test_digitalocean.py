"""DIGITALOCEAN_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.digitalocean import DIGITALOCEAN_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('DIGITALOCEAN_TOKEN=dop_v1_0a1b2c3d4e5f60710a1b2c3d4e5f60710a1b2c3d4e5f60710a1b2c3d4e5f6071', None, ['dop_v1_0a1b2c3d4e5f60710a1b2c3d4e5f60710a1b2c3d4e5f60710a1b2c3d4e5f6071']),
    ('dop_v1_123', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(DIGITALOCEAN_TOKEN, text, key) == expected
