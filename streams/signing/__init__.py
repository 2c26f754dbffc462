"""Signed records between services and the keys behind them (docs/security.md).

Every producer of a record another service trusts signs it (`RecordSigner.headers`), every
consumer checks it (`RecordVerifier.check`) before the record changes anything; a record that
fails goes to the dead-letter topic as `bad_signature` (`bad_signature_letter`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from streams.deadletter.sealing import DeadLetterKey
from streams.deadletter.sealing import context as seal_context
from streams.records import DeadLetter, SourceRef
from streams.signing.keys import LocalKeyring, SigningKey, TrustedKeys
from streams.signing.records import (
    BadSignature,
    Headers,
    ReceivedHeaders,
    RecordKind,
    RecordSigner,
    RecordVerifier,
    TopicSigner,
)

log = logging.getLogger(__name__)


def local_keyring(home: Path) -> LocalKeyring:
    return LocalKeyring(home / "keys" / "signing")


def load_signing_key(service: str, key_file: Path | None, home: Path) -> SigningKey:
    """The service's key from AFTERGUARD_SIGNING_KEY_FILE, or this machine's own."""
    if key_file is not None:
        return SigningKey.load(service, key_file)
    keyring = local_keyring(home)
    log.warning("AFTERGUARD_SIGNING_KEY_FILE is not set: the %s signs with this machine's own "
                "key in %s; services on other machines will refuse its records until every "
                "service has its key file and every consumer AFTERGUARD_TRUSTED_KEYS_FILE",
                service, keyring.folder)
    return keyring.signing_key(service)


def load_trusted_keys(trusted_file: Path | None, home: Path) -> TrustedKeys:
    """The keys records are verified with: AFTERGUARD_TRUSTED_KEYS_FILE, or this machine's."""
    if trusted_file is not None:
        return TrustedKeys.load(trusted_file)
    keyring = local_keyring(home)
    log.warning("AFTERGUARD_TRUSTED_KEYS_FILE is not set: trusting only this machine's own "
                "keys in %s", keyring.folder)
    return keyring.trusted()


def bad_signature_letter(problem: BadSignature, source: SourceRef, key: bytes | None,
                         value: bytes | None, worker_id: str, now: datetime,
                         sealing: DeadLetterKey | None = None) -> DeadLetter:
    """The dead letter of a record whose signature was refused: its key and value sealed under
    the dead-letter key, or not kept at all without one (as every dead letter)."""
    sealed = {}
    if sealing is not None:
        sealed = {part: sealing.seal(data, seal_context(part, source.topic, source.partition,
                                                        source.offset))
                  for part, data in (("key", key), ("value", value)) if data is not None}
    return DeadLetter(error="bad_signature", reason=problem.reason, source=source,
                      received_at=now, worker_id=worker_id, key_sealed=sealed.get("key"),
                      value_sealed=sealed.get("value"),
                      value_bytes=None if value is None else len(value))


__all__ = ["BadSignature", "Headers", "ReceivedHeaders", "RecordKind", "RecordSigner",
           "RecordVerifier", "SigningKey", "TopicSigner", "TrustedKeys", "bad_signature_letter",
           "load_signing_key", "load_trusted_keys", "local_keyring"]
