"""A batch's headers are the bytes the plain computation makes: each record's signed message
built whole and hashed into its leaf, every leaf's proof walked level by level (as
streams/signing/batches.py did before its proofs were shared and its leaves hashed without
joining the message). Consumers verify these bytes; Ed25519 is deterministic, so the same
records must get the same headers."""

from __future__ import annotations

import hashlib
import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.signing import RecordKind, RecordSigner, SigningKey
from streams.signing.batches import BATCH_PROOF_HEADER, BATCH_SIGNATURE_HEADER, tree
from streams.signing.records import KEY_ID_HEADER

WORKER = SigningKey.generate("worker")


def plain_message(kind: RecordKind, key: bytes | None, value: bytes | None) -> bytes:
    length = -1 if key is None else len(key)
    return b"".join((b"afterguard-record-v1", b"\x00", kind.value.encode(), b"\x00",
                     struct.pack(">q", length), key or b"", value or b""))


def plain_tree(leaves: list[bytes]) -> tuple[bytes, list[bytes]]:
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        level = levels[-1]
        levels.append([hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
                       if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)])
    tagged = [[bytes((j & 1,)) + node for j, node in enumerate(level)] for level in levels[:-1]]
    proofs = []
    for leaf in range(len(leaves)):
        path, index = [], leaf
        for level in tagged:
            if index ^ 1 < len(level):
                path.append(level[index ^ 1])
            index >>= 1
        proofs.append(b"".join(path))
    return levels[-1][0], proofs


def plain_headers(records: list[tuple[RecordKind, bytes | None, bytes | None]]
                  ) -> list[list[tuple[str, bytes]]]:
    messages = [plain_message(*record) for record in records]
    root, proofs = plain_tree([hashlib.sha256(b"\x00" + m).digest() for m in messages])
    signature = WORKER.sign(b"afterguard-batch-v1\x00" + root)
    return [[(KEY_ID_HEADER, WORKER.key_id.encode()), (BATCH_SIGNATURE_HEADER, signature),
             (BATCH_PROOF_HEADER, proof)] for proof in proofs]


records = st.lists(st.tuples(st.sampled_from(RecordKind), st.none() | st.binary(max_size=12),
                             st.none() | st.binary(max_size=300)), min_size=2, max_size=70)


@settings(max_examples=200, deadline=None)
@given(records)
def test_a_batch_gets_the_headers_of_the_plain_computation(
        batch: list[tuple[RecordKind, bytes | None, bytes | None]]) -> None:
    signer = RecordSigner(WORKER)
    signer.remember(RecordKind.JOB_ID, RecordKind.FIRST_SEEN)
    assert signer.headers_each(batch) == plain_headers(batch)
    # what it remembers to recognise when read back: the plain message, signature and proof
    remembered = RecordSigner(WORKER)
    remembered.remember(RecordKind.JOB_ID, RecordKind.FIRST_SEEN)
    for (kind, key, value), headers in zip(batch, plain_headers(batch), strict=True):
        if kind in (RecordKind.JOB_ID, RecordKind.FIRST_SEEN):
            remembered._issue(plain_message(kind, key, value),
                              dict(headers)[BATCH_SIGNATURE_HEADER]
                              + dict(headers)[BATCH_PROOF_HEADER])
    assert signer._issued == remembered._issued


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 600))
def test_every_tree_size_gets_the_plain_proofs(count: int) -> None:
    leaves = [hashlib.sha256(count.to_bytes(4, "big") + n.to_bytes(4, "big")).digest()
              for n in range(count)]
    assert tree(leaves) == plain_tree(leaves)
