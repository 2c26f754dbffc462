"""PRIVATE_KEY_HEADER: what it reports (positives) and what it must leave alone (near misses)."""

import pytest

from detectors.patterns.private_key_header import PRIVATE_KEY_HEADER
from tests.unit.detectors.conftest import found

CASES = [
    ('-----BEGIN RSA PRIVATE KEY-----', None, ['-----BEGIN RSA PRIVATE KEY-----']),
    ('"-----BEGIN OPENSSH PRIVATE KEY-----\\n"', None, ['-----BEGIN OPENSSH PRIVATE KEY-----']),
    ('-----BEGIN PGP PRIVATE KEY BLOCK-----', None, ['-----BEGIN PGP PRIVATE KEY BLOCK-----']),
    ('-----BEGIN ENCRYPTED PRIVATE KEY-----', None, ['-----BEGIN ENCRYPTED PRIVATE KEY-----']),
    ('PuTTY-User-Key-File-3: ssh-ed25519', None, ['PuTTY-User-Key-File-3: ssh-ed25519']),
    ('-----BEGIN PUBLIC KEY-----', None, []),
    ('-----BEGIN CERTIFICATE-----', None, []),
    ('paste your private key here', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(PRIVATE_KEY_HEADER, text, key) == expected
