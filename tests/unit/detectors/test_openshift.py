"""OPENSHIFT_TOKEN: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.openshift import OPENSHIFT_TOKEN
from tests.unit.detectors.conftest import found

CASES = [
    ('oc login --token=sha256~ifXjw9APP8Dy_3XzZmBNQR2yTBGTCuSsH5LM-Em9iJL --server=https://api.c:6443', None, ['sha256~ifXjw9APP8Dy_3XzZmBNQR2yTBGTCuSsH5LM-Em9iJL']),
    # near misses
    ('sha256~', None, []),
    ('sha256:509dddc3ebffc5ccd8099ee02cab83bb43e451f9ab2845ad0f3d761f3d0201bf', None, []),
    ('sha256~abc', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(OPENSHIFT_TOKEN, text, key) == expected
