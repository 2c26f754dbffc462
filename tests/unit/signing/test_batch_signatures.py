"""Records signed together (one signature over a Merkle tree of a batch): each verifies alone,
and a forged, edited, re-kinded, re-keyed or re-pathed record is refused as it would be with a
signature of its own (streams/signing/batches.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.signing import RecordKind, RecordSigner, RecordVerifier, SigningKey, TrustedKeys
from streams.signing.batches import (
    BATCH_PROOF_HEADER,
    BATCH_SIGNATURE_HEADER,
    MAX_LEVELS,
    STEP,
    leaf_hash,
    root_message,
    root_of,
    tree,
)
from streams.signing.records import KEY_ID_HEADER, SIGNATURE_HEADER, BadSignature, signed_message

WORKER, REVIEW = SigningKey.generate("worker"), SigningKey.generate("review")
ITEM, HOLD = RecordKind.REVIEW_ITEM, RecordKind.QUARANTINE_HOLD

Record = tuple[RecordKind, bytes | None, bytes | None]


def batch(count: int, kind: RecordKind = ITEM) -> list[Record]:
    return [(kind, f"job-{n}".encode(), f'{{"item_id":"rv-{n}"}}'.encode())
            for n in range(count)]


def verifier() -> RecordVerifier:
    return RecordVerifier(TrustedKeys.of(WORKER, REVIEW))


def header(headers: list[tuple[str, bytes]], name: str) -> bytes:
    return dict(headers)[name]


def replaced(headers: list[tuple[str, bytes]], name: str, value: bytes) -> list[tuple[str, bytes]]:
    return [(n, value if n == name else v) for n, v in headers]


@pytest.mark.parametrize("count", [2, 3, 5, 8, 200, 257])
def test_every_record_of_a_batch_verifies_with_one_signature(count: int) -> None:
    records = batch(count - 1) + [(HOLD, b"job-x", b'{"hold":1}')]
    signed = RecordSigner(WORKER).headers_each(records)
    signatures = {header(h, BATCH_SIGNATURE_HEADER) for h in signed}
    assert len(signatures) == 1, "one signature for the whole batch"
    fresh = verifier()
    for (kind, key, value), headers in zip(records, signed, strict=True):
        assert fresh.check(kind, key, value, headers) is None
        assert fresh.check(kind, key, value, dict(headers)) is None  # faust's mapping form


def test_a_batch_of_one_is_an_ordinary_record_signature() -> None:
    [headers] = RecordSigner(WORKER).headers_each(batch(1))
    assert {name for name, _ in headers} == {KEY_ID_HEADER, SIGNATURE_HEADER}
    assert verifier().check(*batch(1)[0], headers) is None


@pytest.mark.parametrize("edit", ["value", "key", "key dropped", "kind", "other record's proof",
                                  "proof byte", "proof side", "proof truncated",
                                  "proof extended", "signature", "other batch's signature",
                                  "no proof", "no batch signature", "both signatures"])
def test_an_edited_or_recombined_record_is_refused(edit: str) -> None:
    """Each way of changing what a batch-signed record says, including after its batch's root
    was verified once (the remembered root must not stand in for the path)."""
    records = batch(6)
    signer = RecordSigner(WORKER)
    signed = signer.headers_each(records)
    other = signer.headers_each(batch(6, HOLD))
    kind, key, value = records[2]
    headers = signed[2]
    proof = header(headers, BATCH_PROOF_HEADER)
    if edit == "value":
        value = b'{"item_id":"rv-2","output":"attacker"}'
    elif edit == "key":
        key = b"job-3"
    elif edit == "key dropped":
        key = None
    elif edit == "kind":
        kind = HOLD
    elif edit == "other record's proof":
        headers = replaced(headers, BATCH_PROOF_HEADER, header(signed[3], BATCH_PROOF_HEADER))
    elif edit == "proof byte":
        headers = replaced(headers, BATCH_PROOF_HEADER, proof[:-1] + bytes([proof[-1] ^ 1]))
    elif edit == "proof side":
        headers = replaced(headers, BATCH_PROOF_HEADER, bytes([proof[0] ^ 1]) + proof[1:])
    elif edit == "proof truncated":
        headers = replaced(headers, BATCH_PROOF_HEADER, proof[:-STEP])
    elif edit == "proof extended":
        headers = replaced(headers, BATCH_PROOF_HEADER, proof + proof[:STEP])
    elif edit == "signature":
        signature = header(headers, BATCH_SIGNATURE_HEADER)
        headers = replaced(headers, BATCH_SIGNATURE_HEADER, bytes([signature[0] ^ 1])
                           + signature[1:])
    elif edit == "other batch's signature":
        headers = replaced(headers, BATCH_SIGNATURE_HEADER,
                           header(other[2], BATCH_SIGNATURE_HEADER))
    elif edit == "no proof":
        headers = [(n, v) for n, v in headers if n != BATCH_PROOF_HEADER]
    elif edit == "no batch signature":
        headers = [(n, v) for n, v in headers if n != BATCH_SIGNATURE_HEADER]
    elif edit == "both signatures":
        headers = [*headers, (SIGNATURE_HEADER, signer.key.sign(signed_message(kind, key,
                                                                                 value)))]
    for check in (verifier(), _warmed(signed, records)):
        assert check.check(kind, key, value, headers) is not None, edit


def _warmed(signed: list[list[tuple[str, bytes]]], records: list[Record]) -> RecordVerifier:
    """A verifier that has verified (and remembers) the batch's root."""
    warm = verifier()
    assert warm.check(*records[0], signed[0]) is None
    return warm


def test_keys_that_may_not_sign_the_kind_are_refused_in_batches_too() -> None:
    records = batch(3)
    stranger = RecordSigner(SigningKey.generate("worker")).headers_each(records)
    by_review = RecordSigner(REVIEW).headers_each(records)
    check = verifier()
    assert "unknown key" in check.check(*records[0], stranger[0]).reason  # type: ignore[union-attr]
    assert "does not produce" in check.check(*records[0], by_review[0]).reason  # type: ignore[union-attr]
    unsigned = [(n, v) for n, v in RecordSigner(WORKER).headers_each(records)[0]
                if n != KEY_ID_HEADER]
    assert "unsigned" in check.check(*records[0], unsigned).reason  # type: ignore[union-attr]


def test_a_batch_signature_is_not_a_record_signature_or_the_other_way_round() -> None:
    """The root's signature is over its own domain: a record signature moved into the batch
    header (with an empty proof, so the 'root' is the leaf) is refused, and so is a batch
    signature presented as a record's."""
    kind, key, value = batch(1)[0]
    [single] = RecordSigner(WORKER).headers_each([(kind, key, value)])
    as_batch = [(KEY_ID_HEADER, header(single, KEY_ID_HEADER)),
                (BATCH_SIGNATURE_HEADER, header(single, SIGNATURE_HEADER)),
                (BATCH_PROOF_HEADER, b"")]
    assert verifier().check(kind, key, value, as_batch) is not None
    message = signed_message(kind, key, value)
    root_signature = WORKER.sign(root_message(leaf_hash(message)))
    as_record = [(KEY_ID_HEADER, header(single, KEY_ID_HEADER)),
                 (SIGNATURE_HEADER, root_signature)]
    assert verifier().check(kind, key, value, as_record) is not None
    # ...while that root signature with the empty proof is a valid batch of one
    valid = [(KEY_ID_HEADER, header(single, KEY_ID_HEADER)),
             (BATCH_SIGNATURE_HEADER, root_signature), (BATCH_PROOF_HEADER, b"")]
    assert verifier().check(kind, key, value, valid) is None


def test_malformed_proofs_are_refused_before_hashing_them() -> None:
    message = b"m"
    assert root_of(message, b"\x00" * (STEP - 1)) is None  # not whole levels
    assert root_of(message, b"\x02" + b"\x00" * (STEP - 1)) is None  # a side that is neither
    assert root_of(message, (b"\x00" * STEP) * (MAX_LEVELS + 1)) is None  # too deep
    assert root_of(message, (b"\x00" * STEP) * MAX_LEVELS) is not None
    assert root_of(message, b"") == leaf_hash(message)


def test_an_internal_node_is_not_a_leaf() -> None:
    """A node of a signed tree presented as a record's leaf (the second-preimage trick on
    trees without leaf and node prefixes) does not reach the root."""
    leaves = [leaf_hash(bytes([n])) for n in range(4)]
    root, _ = tree(leaves)
    left_pair = leaves[0] + leaves[1]  # the bytes hashed into the left node, as a "message"
    _, proofs = tree(leaves)
    sibling_of_left_node = proofs[0][STEP:]  # the path from the left node up
    assert root_of(left_pair, sibling_of_left_node) != root


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=40), min_size=1, max_size=70), st.data())
def test_every_leaf_reaches_the_root_and_no_other_message_does(
        messages: list[bytes], data: st.DataObject) -> None:
    root, proofs = tree([leaf_hash(m) for m in messages])
    assert all(root_of(m, p) == root for m, p in zip(messages, proofs, strict=True))
    assert all(len(p) // STEP <= max(1, len(messages) - 1).bit_length() for p in proofs)
    index = data.draw(st.integers(0, len(messages) - 1))
    other = data.draw(st.binary(max_size=40).filter(lambda m: m not in messages))
    assert root_of(other, proofs[index]) != root


def test_records_a_signer_signed_in_a_batch_are_recognised_when_read_back() -> None:
    """A worker reads back the job-id and first-seen records it signed in a batch: recognised
    by their fingerprint (signature and proof), with the answers a verification gives."""
    signer = RecordSigner(WORKER)
    signer.remember(RecordKind.JOB_ID)
    records = batch(4, RecordKind.JOB_ID)
    signed = signer.headers_each(records)
    assert len(signer._issued) == 4
    own = RecordVerifier(TrustedKeys.of(WORKER), own=signer)
    author = own.signer(*records[0], signed[0])
    assert not isinstance(author, BadSignature) and author.service == "worker"
    assert len(signer._issued) == 3
    kind, key, _ = records[1]
    assert "does not match" in own.check(kind, key, b'{"edited":1}', signed[1]).reason  # type: ignore[union-attr]
    assert own.check(ITEM, *records[2][1:], signed[2]) is not None
    untrusted = RecordVerifier(TrustedKeys.of(REVIEW), own=signer)
    assert "unknown key" in untrusted.check(*records[3], signed[3]).reason  # type: ignore[union-attr]
