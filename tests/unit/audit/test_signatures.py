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
TOPIC = "afterguard.audit"


def checks(below: dict[int, int] | None = None) -> AuditSignatures:
    verifier = RecordVerifier(TrustedKeys.of(WORKER, REVIEW))
    return AuditSignatures(verifier, ["afterguard.audit.review"], below)


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


def test_unsigned_records_pass_only_below_the_upgrade_offset_and_on_unsigned_topics() -> None:
    below = checks({0: 10})
    assert below.problem(TOPIC, 0, 9, b"k", b"a", None) is None
    assert below.problem(TOPIC, 0, 10, b"k", b"a", None) is not None
    assert below.problem(TOPIC, 1, 0, b"k", b"a", None) is not None  # not named: none
    # a record below it that carries a signature is checked as any other
    assert below.problem(TOPIC, 0, 1, b"k", b"other", signed(b"a", b"b")[0]) is not None
    assert checks().problem("afterguard.audit.review", 0, 5, b"k", b"a", None) is None
    assert checks().problem("t1.audit.autonomy", 0, 5, b"k", b"a", None) is None
    assert checks().problem("t1.audit", 0, 5, b"k", b"a", None) is not None


def test_the_upgrade_offsets_are_read_or_refused_by_name() -> None:
    assert unsigned_before("0:12, 2:7,") == {0: 12, 2: 7}
    assert unsigned_before("") == {}
    with pytest.raises(ValueError, match="'x:1' is not partition:offset"):
        unsigned_before("x:1")


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
