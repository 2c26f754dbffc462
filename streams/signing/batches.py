"""One Ed25519 signature over a batch of records: a Merkle tree over the records' signed
messages (`records.signed_message`: domain, kind, key, value), its root signed, and each record
carrying the path from its leaf to the root, in three Kafka headers.

    afterguard-key-id           the signing key's id
    afterguard-batch-signature  Ed25519 over  "afterguard-batch-v1" 0x00 root
    afterguard-batch-proof      per level from the leaf up: one byte, 0 when the sibling is on
                                the left and 1 when on the right, then the sibling's 32 bytes

    leaf = sha256(0x00 signed_message)        node = sha256(0x01 left right)

A level with an odd number of nodes lifts its last node unchanged (no duplicate: a tree of n
leaves has exactly n leaves). The 0x00 / 0x01 prefixes keep a leaf from ever being read as a
node and back (RFC 6962's rule), and the signed root has its own domain, so a batch signature is
never a record signature or the other way round. A record verifies when the path from its own
leaf, recomputed from the kind the consumer expects and the key and value it received, ends at
a root the trusted key signed: changing the kind, key, value, path or signature makes another
root, which the key did not sign (finding one it did is a second preimage of SHA-256).

What it saves: the worker signs every review item, hold and sighting of a batch with one
signature instead of one each, and a consumer verifies each root once (`RootMemory`), then
hashes a path per record. What a record proves is unchanged: that the key's service produced
exactly this record as this kind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

BATCH_SIGNATURE_HEADER = "afterguard-batch-signature"
BATCH_PROOF_HEADER = "afterguard-batch-proof"
_ROOT_DOMAIN = b"afterguard-batch-v1\x00"
_LEAF, _NODE = b"\x00", b"\x01"
_LEFT, _RIGHT = 0, 1  # where the sibling is
STEP = 33  # a proof's bytes per level: the side, then the sibling's hash
MAX_LEVELS = 32  # 2**32 records per batch; a longer proof is refused before any hashing
ROOTS_REMEMBERED = 4_096


def leaf_hash(message: bytes) -> bytes:
    return hashlib.sha256(_LEAF + message).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(_NODE + left + right).digest()


def root_message(root: bytes) -> bytes:
    """What the key signs for a batch."""
    return _ROOT_DOMAIN + root


def tree(leaves: Sequence[bytes]) -> tuple[bytes, list[bytes]]:
    """The root over `leaves` (at least one) and each leaf's proof, in order."""
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        level = levels[-1]
        levels.append([_node(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
                       for i in range(0, len(level), 2)])
    # A node's proof is its sibling (none for the last node of an odd level, lifted as it
    # is), then its parent's proof: made from the root down, each node's once, so the leaves'
    # proofs share their parents' instead of walking every level again. A node's sibling is
    # the other of its pair: on the left when the node's index is odd.
    above = [b""]
    for level in reversed(levels[:-1]):
        count = len(level)
        above = [(_SIDES[index & 1] + level[index ^ 1] if index ^ 1 < count else b"")
                 + above[index >> 1] for index in range(count)]
    return levels[-1][0], above


_SIDES = (bytes((_RIGHT,)), bytes((_LEFT,)))  # by the node's index: even, its sibling right


def leaf_of(prefix: bytes, key: bytes, value: bytes) -> bytes:
    """`leaf_hash(prefix + key + value)` without joining them (a record's value is most of its
    signed message)."""
    digest = hashlib.sha256(_LEAF + prefix)
    digest.update(key)
    digest.update(value)
    return digest.digest()


def root_of(message: bytes, proof: bytes) -> bytes | None:
    """The root the path `proof` leads to from the leaf of `message`, or None when the proof is
    not one (a length that is not whole levels or past MAX_LEVELS, a side byte other than 0
    or 1)."""
    if len(proof) % STEP or len(proof) > STEP * MAX_LEVELS:
        return None
    current = leaf_hash(message)
    for at in range(0, len(proof), STEP):
        side, sibling = proof[at], proof[at + 1:at + STEP]
        if side == _LEFT:
            current = _node(sibling, current)
        elif side == _RIGHT:
            current = _node(current, sibling)
        else:
            return None
    return current


class RootMemory:
    """Batch roots whose signature this consumer has verified, by key id, root and signature
    (Ed25519 verification is deterministic: the same three always get the same answer).
    Only verified roots are kept; at most ROOTS_REMEMBERED, the oldest dropped first."""

    def __init__(self) -> None:
        self._verified: dict[tuple[str, bytes, bytes], None] = {}

    def __contains__(self, entry: tuple[str, bytes, bytes]) -> bool:
        return entry in self._verified

    def add(self, entry: tuple[str, bytes, bytes]) -> None:
        verified = self._verified
        verified[entry] = None
        if len(verified) > ROOTS_REMEMBERED:
            del verified[next(iter(verified))]


__all__ = ["BATCH_PROOF_HEADER", "BATCH_SIGNATURE_HEADER", "MAX_LEVELS", "STEP", "RootMemory",
           "leaf_hash", "leaf_of", "root_message", "root_of", "tree"]
