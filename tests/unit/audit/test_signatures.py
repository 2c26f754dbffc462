"""Which audit records readers take as links: the worker's signed ones
(streams/audit/signatures.py)."""

from __future__ import annotations

import pytest

from streams.audit.chain import AuditChain
from streams.audit.signatures import AuditSignatures, unsigned_before
from streams.audit.verify import Entry, verify
from streams.signing import RecordKind, RecordSigner, RecordVerifier
from streams.signing.keys import SigningKey, TrustedKeys
from tests.unit.audit.records import audit

WORKER, REVIEW = SigningKey.generate("worker"), SigningKey.generate("review")
AUTONOMY = SigningKey.generate("autonomy")
TOPIC = "afterguard.audit"


def checks(below: dict[tuple[str | None, int], int] | None = None) -> AuditSignatures:
    verifier = RecordVerifier(TrustedKeys.of(WORKER, REVIEW, AUTONOMY))
    return AuditSignatures(verifier, ["review-audit"], ["autonomy-audit"], below)


def signed(*values: bytes, key: SigningKey = WORKER) -> list[list[tuple[str, bytes]]]:
    return RecordSigner(key).headers_each([(RecordKind.AUDIT_RECORD, b"k", v) for v in values])


def test_records_the_worker_signed_in_one_batch_are_links() -> None:
    headers = signed(b"a", b"b", b"c")
    assert [checks().problem(TOPIC, 0, n, b"k", v, h)
            for n, (v, h) in enumerate(zip((b"a", b"b", b"c"), headers, strict=True))] == [
        None, None, None]


@pytest.mark.parametrize(("value", "headers", "why"), [
    (b"a", None, "unsigned audit_record record"),
    (b"other", signed(b"a", b"b")[0], "does not match"),  # the proof of another record
    (b"a", signed(b"a", b"b", key=REVIEW)[0], "of service 'review'"),
    (b"a", signed(b"a", key=SigningKey.generate("worker"))[0], "unknown key"),
])
def test_unsigned_forged_or_foreign_records_are_refused_at_their_offset(
        value: bytes, headers: list[tuple[str, bytes]] | None, why: str) -> None:
    problem = checks().problem(TOPIC, 2, 41, b"k", value, headers)
    assert problem is not None and why in problem and problem.endswith(f"{TOPIC}[2]@41")


def test_unsigned_records_pass_only_below_the_upgrade_offset() -> None:
    below = checks({(None, 0): 10})
    assert below.problem(TOPIC, 0, 9, b"k", b"a", None) is None
    assert below.problem(TOPIC, 0, 10, b"k", b"a", None) is not None
    assert below.problem(TOPIC, 1, 0, b"k", b"a", None) is not None  # not named: none
    # a record below it that carries a signature is checked as any other
    assert below.problem(TOPIC, 0, 1, b"k", b"other", signed(b"a", b"b")[0]) is not None
    assert checks().problem("t1.audit", 0, 5, b"k", b"a", None) is not None
    # the worker's upgrade offsets are not the review or autonomy audit topics'
    assert below.problem("review-audit", 0, 5, b"k", b"a", None) is not None
    named = checks({("review-audit", 0): 10, ("t1.audit.autonomy", 0): 3})
    assert named.problem("review-audit", 0, 9, b"k", b"a", None) is None
    assert named.problem("review-audit", 0, 10, b"k", b"a", None) is not None
    assert named.problem("t1.audit.autonomy", 0, 2, b"k", b"a", None) is None
    assert named.problem(TOPIC, 0, 2, b"k", b"a", None) is not None


def review_signed(value: bytes, key: SigningKey = REVIEW,
                  kind: RecordKind = RecordKind.REVIEW_AUDIT_RECORD) -> list[tuple[str, bytes]]:
    return RecordSigner(key).headers(kind, b"k", value)


@pytest.mark.parametrize("topic", ["review-audit", "afterguard.audit.review", "t1.audit.review"])
def test_the_review_services_audit_records_are_links_only_with_its_signature(topic: str) -> None:
    """Before, the review service's and the scorer's audit topics were chained, not signed:
    anyone who could write them could append a well-formed record at a chain head."""
    assert checks().problem(topic, 0, 5, b"k", b"a", review_signed(b"a")) is None
    for forged in (None, review_signed(b"a", key=WORKER, kind=RecordKind.AUDIT_RECORD),
                   review_signed(b"a", kind=RecordKind.AUDIT_RECORD),
                   review_signed(b"a", key=AUTONOMY, kind=RecordKind.AUTONOMY_AUDIT_RECORD),
                   review_signed(b"b")):
        assert checks().problem(topic, 0, 5, b"k", b"a", forged) is not None, forged


@pytest.mark.parametrize("topic", ["autonomy-audit", "afterguard.audit.autonomy"])
def test_the_scorers_audit_records_are_links_only_with_its_signature(topic: str) -> None:
    signed_here = review_signed(b"a", key=AUTONOMY, kind=RecordKind.AUTONOMY_AUDIT_RECORD)
    assert checks().problem(topic, 0, 5, b"k", b"a", signed_here) is None
    assert checks().problem(topic, 0, 5, b"k", b"a", None) is not None
    assert checks().problem(topic, 0, 5, b"k", b"a", review_signed(b"a")) is not None


def test_the_upgrade_offsets_are_read_or_refused_by_name() -> None:
    assert unsigned_before("0:12, 2:7,") == {(None, 0): 12, (None, 2): 7}
    assert unsigned_before("afterguard.audit.review:0:40") == {("afterguard.audit.review", 0): 40}
    assert unsigned_before("") == {}
    for wrong in ("x:1", ":0:1", "a:b:c:1"):
        with pytest.raises(ValueError, match="is not partition:offset"):
            unsigned_before(wrong)


def test_verify_reports_a_refused_record_and_leaves_it_out_of_the_chain() -> None:
    chain = AuditChain.fresh(1)
    first, second = (chain.seal(audit(i), 0).value for i in range(2))
    forged_chain = AuditChain.fresh(1)
    forged_chain.seal(audit(0), 0)
    forged = forged_chain.seal(audit(7), 0).value  # seq 2 after the same head
    reports = verify([Entry(0, 0, first), Entry(0, 1, forged, refused="unsigned"),
                      Entry(0, 2, second)])
    assert [(p.kind, p.position) for p in reports[0].problems] == [("bad_signature", 1)]
    assert reports[0].last_seq == 2
