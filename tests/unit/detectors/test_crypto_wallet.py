"""CRYPTO_WALLET: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.crypto import CRYPTO_WALLET
from tests.unit.detectors.conftest import found

CASES = [
    ('send to 1BoatSLRHtKNngkdXEeobR76b53LETtpyT now', None, ['1BoatSLRHtKNngkdXEeobR76b53LETtpyT']),
    ('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', None, ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq']),
    ('1BoatSLRHtKNngkdXEeobR76b53LETtpyX', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(CRYPTO_WALLET, text, key) == expected
