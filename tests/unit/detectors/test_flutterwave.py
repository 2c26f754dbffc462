"""FLUTTERWAVE_KEY: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.flutterwave import FLUTTERWAVE_KEY
from tests.unit.detectors.conftest import found

CASES = [
    ('FLW_SECRET=FLWSECK_TEST-8a67639f74080f56c5aa328f676226e2-X', None, ['FLWSECK_TEST-8a67639f74080f56c5aa328f676226e2-X']),
    ('pub: FLWPUBK-36a23e238e3b1c77fc4c011f1bd38f1f-X', None, ['FLWPUBK-36a23e238e3b1c77fc4c011f1bd38f1f-X']),
    ('encryptionKey: "FLWSECK_TEST34920fbd01f4"', None, ['FLWSECK_TEST34920fbd01f4']),
    # near misses
    ('FLWSECK_TEST-', None, []),
    ('FLWPUBK_TEST-xxxxxxxx-X', None, []),
    ('see FLWSECK docs', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(FLUTTERWAVE_KEY, text, key) == expected
