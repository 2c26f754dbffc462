"""Record signatures: what the consumer refuses, and why."""

from __future__ import annotations

import pytest

from streams.signing import RecordKind, RecordSigner, RecordVerifier, SigningKey, TrustedKeys
from streams.signing.records import KEY_ID_HEADER, SIGNATURE_HEADER, BadSignature

WORKER, REVIEW = SigningKey.generate("worker"), SigningKey.generate("review")
VERIFIER = RecordVerifier(TrustedKeys.of(WORKER, REVIEW))
ITEM = RecordKind.REVIEW_ITEM


def test_a_record_signed_by_its_producer_verifies() -> None:
    headers = RecordSigner(WORKER).headers(ITEM, b"job-1", b'{"item_id":"rv-1"}')
    assert VERIFIER.check(ITEM, b"job-1", b'{"item_id":"rv-1"}', headers) is None
    assert VERIFIER.check(ITEM, b"job-1", b'{"item_id":"rv-1"}', dict(headers)) is None


@pytest.mark.parametrize(("kind", "key", "value", "why"), [
    (ITEM, b"job-1", b'{"item_id":"rv-2"}', "does not match"),  # value edited
    (ITEM, b"job-2", b'{"item_id":"rv-1"}', "does not match"),  # replayed under another key
    (ITEM, None, b'{"item_id":"rv-1"}', "does not match"),  # key dropped
    (RecordKind.QUARANTINE_HOLD, b"job-1", b'{"item_id":"rv-1"}', "does not match"),
])
def test_any_change_of_the_signed_bytes_or_kind_is_refused(
        kind: RecordKind, key: bytes | None, value: bytes, why: str) -> None:
    headers = RecordSigner(WORKER).headers(ITEM, b"job-1", b'{"item_id":"rv-1"}')
    problem = VERIFIER.check(kind, key, value, headers)
    assert problem is not None and why in problem.reason


def test_unsigned_unknown_and_wrong_service_keys_are_refused() -> None:
    assert "unsigned" in VERIFIER.check(ITEM, b"k", b"v", None).reason  # type: ignore[union-attr]
    stranger = RecordSigner(SigningKey.generate("worker")).headers(ITEM, b"k", b"v")
    assert "unknown key" in VERIFIER.check(ITEM, b"k", b"v", stranger).reason  # type: ignore[union-attr]
    # the review service's key is trusted, but only for what the review service produces
    by_review = RecordSigner(REVIEW).headers(ITEM, b"k", b"v")
    assert "does not produce" in VERIFIER.check(ITEM, b"k", b"v", by_review).reason  # type: ignore[union-attr]
    verdict = RecordSigner(REVIEW).headers(RecordKind.VERDICT, b"k", b"v")
    assert VERIFIER.check(RecordKind.VERDICT, b"k", b"v", verdict) is None


def test_a_second_copy_of_a_signature_header_is_refused() -> None:
    headers = RecordSigner(WORKER).headers(ITEM, b"k", b"v")
    forged = [*headers, (SIGNATURE_HEADER, b"\x00" * 64)]
    assert VERIFIER.check(ITEM, b"k", b"v", forged) is not None
    garbage = [(KEY_ID_HEADER, b"\xff\xfe"), (SIGNATURE_HEADER, b"x")]
    assert VERIFIER.check(ITEM, b"k", b"v", garbage) is not None


def test_rotation_both_keys_of_a_service_verify_while_both_are_trusted() -> None:
    old, new = SigningKey.generate("worker"), SigningKey.generate("worker")
    verifier = RecordVerifier(TrustedKeys.parse(f"{old.trust_line()}\n{new.trust_line()}\n",
                                                "test"))
    for key in (old, new):
        assert verifier.check(ITEM, b"k", b"v", RecordSigner(key).headers(ITEM, b"k", b"v")) is None
    retired = RecordVerifier(TrustedKeys.parse(new.trust_line(), "test"))
    assert retired.check(ITEM, b"k", b"v", RecordSigner(old).headers(ITEM, b"k", b"v")) is not None


def test_a_refused_record_is_dead_lettered_sealed_or_without_its_bytes() -> None:
    from datetime import UTC, datetime

    from streams.deadletter.sealing import DeadLetterKey
    from streams.deadletter.sealing import context as seal_context
    from streams.records import SourceRef
    from streams.signing import bad_signature_letter

    problem = VERIFIER.check(ITEM, b"job-1", b"secret output", None)
    assert problem is not None
    source = SourceRef(topic="afterguard.review", partition=2, offset=7)
    now = datetime.now(UTC)
    bare = bad_signature_letter(problem, source, b"job-1", b"secret output", "w", now)
    assert b"secret output" not in bare.model_dump_json().encode() and bare.value_bytes == 13
    key = DeadLetterKey.generate()
    sealed = bad_signature_letter(problem, source, b"job-1", b"secret output", "w", now, key)
    assert sealed.error == "bad_signature" and sealed.value_sealed is not None
    assert key.open(sealed.value_sealed, seal_context("value", "afterguard.review", 2, 7)) == \
        b"secret output"


def test_records_read_back_by_their_signer_get_the_same_answers() -> None:
    """A worker reads back the first-seen and job-id records it signed: it recognises its own
    signature instead of verifying it again, and answers exactly as a verification would."""
    signer = RecordSigner(WORKER)
    signer.remember(RecordKind.JOB_ID)
    own = RecordVerifier(TrustedKeys.of(WORKER), own=signer)
    job = RecordKind.JOB_ID
    headers = signer.headers(job, b"j1", b'{"job_id":"j1"}')
    author = own.signer(job, b"j1", b'{"job_id":"j1"}', headers)
    assert not isinstance(author, BadSignature) and author.service == "worker"
    headers = signer.headers(job, b"j1", b'{"job_id":"j1"}')
    assert own.check(job, b"j1", b'{"job_id":"j1"}', headers) is None
    assert own.check(job, b"j1", b'{"job_id":"j1"}', headers) is None  # again: verified
    edited = signer.headers(job, b"j2", b'{"job_id":"j2"}')
    assert "does not match" in own.check(job, b"j2", b'{"job_id":"jX"}', edited).reason  # type: ignore[union-attr]
    assert "does not match" in own.check(ITEM, b"j2", b'{"job_id":"j2"}', edited).reason  # type: ignore[union-attr]
    untrusted = RecordVerifier(TrustedKeys.of(REVIEW), own=signer)
    headers = signer.headers(job, b"j3", b"{}")
    assert "unknown key" in untrusted.check(job, b"j3", b"{}", headers).reason  # type: ignore[union-attr]


def test_a_signer_remembers_a_bounded_number_of_signatures(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("streams.signing.records.REMEMBERED", 3)
    signer = RecordSigner(WORKER)
    signer.remember(RecordKind.JOB_ID)
    signed = [(str(n).encode(), signer.headers(RecordKind.JOB_ID, str(n).encode(), b"v"))
              for n in range(5)]
    assert len(signer._issued) == 3
    own = RecordVerifier(TrustedKeys.of(WORKER), own=signer)
    for key, headers in signed:  # the forgotten ones are verified the usual way
        assert own.check(RecordKind.JOB_ID, key, b"v", headers) is None
    assert not signer._issued
