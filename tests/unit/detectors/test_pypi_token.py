"""PYPI_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.pypi import PYPI_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('password = pypi-AgEIcHlwaS5vcmcZx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_', None, ['pypi-AgEIcHlwaS5vcmcZx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_Zx9_']),
    ('pypi-token', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PYPI_TOKEN, text, key) == expected
