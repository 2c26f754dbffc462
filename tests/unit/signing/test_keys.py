"""Key rules: strength, published ids (HKDF), file modes, and no secret in a repr or a log."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import given, settings
from hypothesis import strategies as st

from policies import HashKey
from policies.key_id import derive_key_id
from sampling import SamplingKey
from streams.signing import SigningKey, TrustedKeys
from streams.signing.key_files import WeakKey, key_material
from streams.signing.keys import KeyFileError, LocalKeyring


# ids, not the random values: each pytest-xdist worker collects the same tests
@pytest.mark.parametrize("text", [
    "abc", secrets.token_hex(16), "x" * 64, "ab" * 40, "short passphrase of 40 characters...",
], ids=["short", "16 random bytes", "one character", "a repeated pair", "a passphrase"])
def test_keys_under_32_random_bytes_are_refused(text: str) -> None:
    with pytest.raises(WeakKey):
        key_material(text, "test key")


@pytest.mark.parametrize("text", [secrets.token_hex(32), secrets.token_urlsafe(32),
                                  secrets.token_urlsafe(48)], ids=["hex", "base64", "base64 48"])
def test_32_random_bytes_in_hex_or_base64_are_accepted(text: str) -> None:
    assert len(key_material(text, "test key")) >= 32


def test_key_ids_are_hkdf_of_the_key_bound_to_a_purpose() -> None:
    secret = secrets.token_bytes(32)
    expected = HKDF(algorithm=hashes.SHA256(), length=8, salt=b"afterguard key id v1",
                    info=b"hash-key").derive(secret).hex()
    assert HashKey.from_secret(secret).key_id == derive_key_id(secret, "hash-key") == expected
    assert derive_key_id(secret, "sampling-key") != expected  # one secret, unrelated ids


def test_no_secret_in_a_repr() -> None:
    secret = secrets.token_hex(32)
    key = SigningKey.from_text("worker", secret, "test")
    for shown in (repr(key), str(key), repr(HashKey.from_secret(secret.encode())),
                  repr(SamplingKey("s", secret.encode()))):
        assert secret not in shown and secret[:16] not in shown
        assert "secret" not in shown.lower().replace("sampling", "")


def test_a_key_file_others_may_read_is_used_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "worker.key"
    secret = secrets.token_hex(32)
    path.write_text(secret)
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        key = SigningKey.load("worker", path)
    assert "group or others may read it" in caplog.text and str(path) in caplog.text
    assert secret not in caplog.text
    caplog.clear()
    path.chmod(0o600)
    SigningKey.load("worker", path)
    assert caplog.text == ""
    assert key.key_id == SigningKey.load("worker", path).key_id


def test_pem_keys_load_and_non_ed25519_or_weak_ones_do_not(tmp_path: Path) -> None:
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    assert SigningKey.from_text("audit", pem, "pem").sign(b"m")
    with pytest.raises(KeyFileError):
        SigningKey.from_text("audit", "-----BEGIN PRIVATE KEY-----\nxx\n", "pem")
    with pytest.raises(WeakKey):
        SigningKey.from_text("audit", "00" * 32, "zeros")


def test_trusted_keys_file_errors_name_the_line(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="line 2"):
        TrustedKeys.parse(f"{SigningKey.generate('worker').trust_line()}\nstranger abc\n", "f")


def test_the_local_keyring_makes_each_key_once(tmp_path: Path) -> None:
    ring = LocalKeyring(tmp_path / "keys")
    first = ring.signing_key("review")
    assert ring.signing_key("review").key_id == first.key_id
    assert (tmp_path / "keys" / "review.key").stat().st_mode & 0o077 == 0
    assert ring.trusted().get(first.key_id) is not None


@settings(max_examples=300, deadline=None)
@given(seed=st.binary(min_size=32, max_size=32),
       message=st.binary(max_size=4096) | st.sampled_from([b"", b"\x00" * 64, b"x" * 70_000]))
def test_signatures_are_the_ones_openssl_makes_and_verify(seed: bytes, message: bytes) -> None:
    """The signer uses libsodium (faster); Ed25519 is deterministic, so every signature must be
    byte for byte the one `cryptography` (OpenSSL) makes with the same key, and verify."""
    key = SigningKey.from_text("worker", seed.hex(), "test") if _strong(seed) else None
    if key is None:  # a weak seed is refused before any signing: built directly
        key = SigningKey("worker", Ed25519PrivateKey.from_private_bytes(seed))
    signature = key.sign(message)
    assert signature == Ed25519PrivateKey.from_private_bytes(seed).sign(message)
    trusted = TrustedKeys.of(key).get(key.key_id)
    assert trusted is not None and trusted.verifies(signature, message)
    assert not trusted.verifies(signature, message + b"\x00")


def _strong(seed: bytes) -> bool:
    try:
        key_material(seed.hex(), "test")
    except WeakKey:
        return False
    return True
