"""Signatures on the records that cross a service boundary, carried in two Kafka headers.

The producer signs the exact key and value bytes it sends, bound to the record's kind, with
its service's Ed25519 key; the consumer checks the signature against its trusted keys and that
the key belongs to a service allowed to produce that kind. The value stays as it was (consumers
that do not verify, e.g. Kafka Connect, read it unchanged).

    afterguard-key-id     the signing key's id (HKDF of its public key, hex)
    afterguard-signature  Ed25519 over  "afterguard-record-v1" 0x00 kind 0x00
                                        key length (8 bytes, big endian; -1 for no key) key value

Binding the kind stops a record signed for one topic from being replayed into another
(a worker's quarantine record is not a review item); binding the key stops it from being
replayed under another job's key. A replay of the same record on the same topic is not
stopped by the signature: the consumers' own idempotence handles it (docs/security.md).

A producer that writes many signed records at once signs them together instead
(`RecordSigner.headers_each`): one signature over a Merkle tree of the same signed messages,
each record carrying its path to the signed root (`streams.signing.batches`). The verifier
accepts either form, never both on one record.
"""

from __future__ import annotations

import enum
import hashlib
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from streams.signing.batches import (
    BATCH_PROOF_HEADER,
    BATCH_SIGNATURE_HEADER,
    RootMemory,
    leaf_of,
    root_message,
    root_of,
    tree,
)
from streams.signing.keys import SigningKey, TrustedKey, TrustedKeys

KEY_ID_HEADER = "afterguard-key-id"
SIGNATURE_HEADER = "afterguard-signature"
_DOMAIN = b"afterguard-record-v1"

Headers = list[tuple[str, bytes]]
# What consumers get from aiokafka (a sequence of pairs) or faust (pairs or a mapping).
ReceivedHeaders = Iterable[tuple[str, bytes]] | Mapping[str, bytes] | None


class RecordKind(str, enum.Enum):
    REVIEW_ITEM = "review_item"
    QUARANTINE_HOLD = "quarantine_hold"
    FIRST_SEEN = "first_seen"
    JOB_ID = "job_id"  # the job ids workers decided, to flag a job_id reused
    VERDICT = "verdict"
    AUTONOMY_LEVEL = "autonomy_level"
    AUTONOMY_EVENT = "autonomy_event"
    AUTONOMY_STATE = "autonomy_state"  # the scorer's own compacted state, read back at start
    AUDIT_RECORD = "audit_record"  # the worker's audit records (docs/audit.md, "Signatures")
    REVIEW_AUDIT_RECORD = "review_audit_record"  # the review service's audit records
    AUTONOMY_AUDIT_RECORD = "autonomy_audit_record"  # the scorer's audit records


# Which service may produce each kind (the trusted keys file binds each key to a service).
PRODUCERS: dict[RecordKind, frozenset[str]] = {
    RecordKind.REVIEW_ITEM: frozenset({"worker"}),
    RecordKind.QUARANTINE_HOLD: frozenset({"worker"}),
    RecordKind.FIRST_SEEN: frozenset({"worker"}),
    RecordKind.JOB_ID: frozenset({"worker"}),
    RecordKind.VERDICT: frozenset({"review"}),
    RecordKind.AUTONOMY_LEVEL: frozenset({"autonomy"}),
    RecordKind.AUTONOMY_STATE: frozenset({"autonomy"}),
    RecordKind.AUDIT_RECORD: frozenset({"worker"}),
    RecordKind.REVIEW_AUDIT_RECORD: frozenset({"review"}),
    RecordKind.AUTONOMY_AUDIT_RECORD: frozenset({"autonomy"}),
    # the scorer's own repartitioned evidence, and sign-offs people send with the CLI
    RecordKind.AUTONOMY_EVENT: frozenset({"autonomy", "operator"}),
}


def signed_message(kind: RecordKind, key: bytes | None, value: bytes | None) -> bytes:
    return b"".join((_message_head(kind, key), key or b"", value or b""))


def _message_head(kind: RecordKind, key: bytes | None) -> bytes:
    """What `signed_message` puts before the key and value."""
    length = -1 if key is None else len(key)
    return _KIND_HEADS[kind] + struct.pack(">q", length)


_KIND_HEADS = {kind: b"".join((_DOMAIN, b"\x00", kind.value.encode(), b"\x00"))
               for kind in RecordKind}


REMEMBERED = 65_536  # signatures kept for reading back (each about 100 bytes of memory)


def _fingerprint(message: bytes, signature: bytes) -> bytes:
    return hashlib.blake2b(message + signature, digest_size=16).digest()


class RecordSigner:
    def __init__(self, key: SigningKey) -> None:
        self.key = key
        # Records of these kinds that this process signs are read back by itself (a worker
        # follows the first-seen and job-id topics it writes): their fingerprints are kept
        # until read, so reading them back costs a hash, not a second Ed25519 verification.
        self.remembered: frozenset[RecordKind] = frozenset()
        self._issued: dict[bytes, None] = {}

    def remember(self, *kinds: RecordKind) -> None:
        self.remembered = frozenset(kinds)

    def headers(self, kind: RecordKind, key: bytes | None, value: bytes | None) -> Headers:
        message = signed_message(kind, key, value)
        signature = self.key.sign(message)
        if kind in self.remembered:
            self._issue(message, signature)
        return [(KEY_ID_HEADER, self.key.key_id.encode()), (SIGNATURE_HEADER, signature)]

    def headers_each(self, records: Sequence[tuple[RecordKind, bytes | None, bytes | None]]
                     ) -> list[Headers]:
        """The headers of each record, all signed with one signature (`streams.signing.
        batches`); a single record gets the record signature of `headers`."""
        if len(records) <= 1:
            return [self.headers(*record) for record in records]
        root, proofs = tree([leaf_of(_message_head(kind, key), key or b"", value or b"")
                             for kind, key, value in records])
        signature = self.key.sign(root_message(root))
        key_id = self.key.key_id.encode()
        remembered = self.remembered
        if remembered:
            for record, proof in zip(records, proofs, strict=True):
                if record[0] in remembered:
                    self._issue(signed_message(*record), signature + proof)
        return [[(KEY_ID_HEADER, key_id), (BATCH_SIGNATURE_HEADER, signature),
                 (BATCH_PROOF_HEADER, proof)] for proof in proofs]

    def _issue(self, message: bytes, signature: bytes) -> None:
        issued = self._issued
        issued[_fingerprint(message, signature)] = None
        if len(issued) > REMEMBERED:  # never read back (an aborted transaction): oldest out
            del issued[next(iter(issued))]

    def signed_here(self, key_id: str, signature: bytes, message: bytes) -> bool:
        """True once for a record this signer signed, as it signed it: the same key id,
        signature and signed bytes (Ed25519 signatures are deterministic; for a record signed
        in a batch, `signature` is the batch signature followed by the record's proof)."""
        if key_id != self.key.key_id or not self._issued:
            return False
        try:
            del self._issued[_fingerprint(message, signature)]
        except KeyError:
            return False
        return True

    def __repr__(self) -> str:
        return f"RecordSigner({self.key!r})"


@dataclass(frozen=True)
class BadSignature:
    """Why a record's signature was refused (no secret, no record content)."""

    reason: str


class RecordVerifier:
    def __init__(self, trusted: TrustedKeys, own: RecordSigner | None = None) -> None:
        """`own`: this process's signer; a record it signed itself, read back unchanged, is
        accepted on the same conditions (its key trusted for the kind) without verifying the
        signature again: it is the signature the key makes over these bytes."""
        self.trusted, self.own = trusted, own
        self.roots = RootMemory()  # batch roots verified once, then recognised

    def check(self, kind: RecordKind, key: bytes | None, value: bytes | None,
              headers: ReceivedHeaders) -> BadSignature | None:
        """None when the record is signed by a key of a service allowed to produce `kind`."""
        signer = self.signer(kind, key, value, headers)
        return signer if isinstance(signer, BadSignature) else None

    def signer(self, kind: RecordKind, key: bytes | None, value: bytes | None,
               headers: ReceivedHeaders) -> TrustedKey | BadSignature:
        """The trusted key that signed the record (its service may produce `kind`): what a
        consumer may take as the record's author, e.g. the operator who signed a sign-off."""
        found = _header_values(headers)
        key_id, signature = found.get(KEY_ID_HEADER), found.get(SIGNATURE_HEADER)
        batch_signature, proof = found.get(BATCH_SIGNATURE_HEADER), found.get(BATCH_PROOF_HEADER)
        if signature is not None and (batch_signature is not None or proof is not None):
            return BadSignature(f"{kind.value} record with two signatures")
        if (batch_signature is None) != (proof is None):
            return BadSignature(f"{kind.value} record with half a batch signature")
        if key_id is None or (signature is None and batch_signature is None):
            return BadSignature(f"unsigned {kind.value} record")
        try:
            key_id_text = key_id.decode("ascii")
        except UnicodeDecodeError:
            return BadSignature(f"{kind.value} record with an unreadable key id")
        trusted = self.trusted.get(key_id_text)
        if trusted is None:
            return BadSignature(f"{kind.value} record signed by unknown key {key_id_text[:32]!r}")
        if trusted.service not in PRODUCERS[kind]:
            return BadSignature(f"{kind.value} record signed by key {key_id_text!r} of service "
                                f"{trusted.service!r}, which does not produce {kind.value} "
                                "records")
        message = signed_message(kind, key, value)
        if batch_signature is not None and proof is not None:
            return self._batch_signer(trusted, batch_signature, proof, kind, message)
        assert signature is not None
        if self.own is not None and self.own.signed_here(key_id_text, signature, message):
            return trusted
        if not trusted.verifies(signature, message):
            return BadSignature(f"{kind.value} record whose signature does not match "
                                f"(key {key_id_text!r})")
        return trusted

    def _batch_signer(self, trusted: TrustedKey, signature: bytes, proof: bytes,
                      kind: RecordKind, message: bytes) -> TrustedKey | BadSignature:
        if self.own is not None and self.own.signed_here(trusted.key_id, signature + proof,
                                                         message):
            return trusted
        root = root_of(message, proof)
        if root is None:
            return BadSignature(f"{kind.value} record with a malformed batch proof "
                                f"(key {trusted.key_id!r})")
        verified = (trusted.key_id, root, signature)
        if verified in self.roots:
            return trusted
        if not trusted.verifies(signature, root_message(root)):
            return BadSignature(f"{kind.value} record whose signature does not match "
                                f"(key {trusted.key_id!r})")
        self.roots.add(verified)
        return trusted


def _header_values(headers: ReceivedHeaders) -> dict[str, bytes]:
    if headers is None:
        return {}
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    found: dict[str, bytes] = {}
    for name, value in pairs:
        if name in found:  # a second copy of a header is a forgery attempt: refuse both
            return {}
        found[str(name)] = bytes(value) if value is not None else b""
    return found


class TopicSigner:
    """Signs what a service produces to the topics other services trust, by topic name; other
    topics get no headers. One call at each produce site: `headers=signer.headers(...)`."""

    def __init__(self, signer: RecordSigner, kinds: Mapping[str, RecordKind]) -> None:
        self.signer, self.kinds = signer, dict(kinds)

    def headers(self, topic: str, key: bytes | None, value: bytes | None) -> Headers | None:
        kind = self.kinds.get(topic)
        return None if kind is None else self.signer.headers(kind, key, value)

    def headers_each(self, records: Sequence[tuple[str, bytes | None, bytes | None]]
                     ) -> list[Headers | None]:
        """`headers` of each (topic, key, value), the signed ones signed together
        (`RecordSigner.headers_each`)."""
        kinds = self.kinds
        signed = [(index, kinds[topic], key, value)
                  for index, (topic, key, value) in enumerate(records) if topic in kinds]
        each: list[Headers | None] = [None] * len(records)
        made = self.signer.headers_each([(kind, key, value) for _, kind, key, value in signed])
        for (index, _, _, _), headers in zip(signed, made, strict=True):
            each[index] = headers
        return each
