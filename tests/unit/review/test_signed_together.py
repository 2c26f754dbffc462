"""A review transaction's verdicts and audit records are signed together, one signature per
64 of them (streams/review/publisher.py `signed_together`): each record verifies on its own,
and its headers stay within the room a record's size check leaves for them."""

from __future__ import annotations

from streams.review.publisher import SIGNED_TOGETHER, signed_together
from streams.signing import RecordKind, RecordSigner, RecordVerifier, SigningKey, TrustedKeys
from streams.signing.batches import BATCH_SIGNATURE_HEADER
from streams.worker.output_limits import RECORD_OVERHEAD


def records(n: int) -> list[tuple[RecordKind, bytes, bytes]]:
    kinds = (RecordKind.VERDICT, RecordKind.REVIEW_AUDIT_RECORD)
    return [(kinds[i % 2], f"job-{i}".encode(), b'{"n": %d}' % i) for i in range(n)]


def test_every_record_of_a_large_tick_verifies_and_its_headers_fit() -> None:
    key = SigningKey.generate("review")
    made = records(2 * SIGNED_TOGETHER + 3)
    headers = signed_together(RecordSigner(key), made)
    verifier = RecordVerifier(TrustedKeys.of(key))
    assert [verifier.check(*r, h) for r, h in zip(made, headers, strict=True)] == \
        [None] * len(made)
    signatures = {dict(h)[BATCH_SIGNATURE_HEADER] for h in headers}
    assert len(signatures) == 3, "one signature per 64 records"
    assert max(sum(len(n) + len(v) for n, v in h) for h in headers) < RECORD_OVERHEAD - 100


def test_a_record_moved_to_another_kind_or_edited_is_refused() -> None:
    key = SigningKey.generate("review")
    made = records(2)
    headers = signed_together(RecordSigner(key), made)
    verifier = RecordVerifier(TrustedKeys.of(key))
    (kind, job, value), audit = made[0], made[1]
    assert verifier.check(RecordKind.REVIEW_AUDIT_RECORD, job, value, headers[0]) is not None
    assert verifier.check(kind, job, value + b" ", headers[0]) is not None
    assert verifier.check(*audit, headers[0]) is not None


def test_a_lone_record_keeps_its_own_signature() -> None:
    key = SigningKey.generate("review")
    [headers] = signed_together(RecordSigner(key), records(1))
    assert BATCH_SIGNATURE_HEADER not in dict(headers)
