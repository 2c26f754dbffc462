"""A sign-off's approver is the operator key that signed it, never a name typed into it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sampling.autonomy import SignOff
from streams.autonomy.signoff_identity import operator_id, signoff_problem
from streams.signing import RecordKind
from streams.signing.keys import SigningKey, TrustedKey, TrustedKeys
from streams.signing.records import BadSignature, RecordSigner, RecordVerifier

OPERATOR_KEY = SigningKey.generate("operator")
SCORER_KEY = SigningKey.generate("autonomy")
VERIFIER = RecordVerifier(TrustedKeys.of(OPERATOR_KEY, SCORER_KEY))


def signed_by(key: SigningKey, reviewer: str) -> tuple[SignOff, TrustedKey | BadSignature]:
    signoff = SignOff(signoff_id="so-1", identity="topic:a.actions", action_class="job.support", level=1,
                      reviewer=reviewer, requested_at=datetime(2026, 11, 27, tzinfo=UTC))
    value = json.dumps(signoff.model_dump(mode="json")).encode()
    headers = RecordSigner(key).headers(RecordKind.AUTONOMY_EVENT, b"a", value)
    return signoff, VERIFIER.signer(RecordKind.AUTONOMY_EVENT, b"a", value, headers)


def test_a_sign_off_naming_its_operator_key_counts() -> None:
    signoff, signer = signed_by(OPERATOR_KEY, operator_id(OPERATOR_KEY.key_id))
    assert isinstance(signer, TrustedKey) and signer.key_id == OPERATOR_KEY.key_id
    assert signoff_problem(signoff, signer) is None


def test_a_typed_name_is_refused_even_under_a_valid_operator_signature() -> None:
    signoff, signer = signed_by(OPERATOR_KEY, "carol")
    assert isinstance(signer, TrustedKey)
    problem = signoff_problem(signoff, signer)
    assert problem is not None and "names another approver" in problem.reason
    assert "carol" not in problem.reason, "the reason never repeats what the record claims"


def test_the_scorers_own_key_cannot_sign_off() -> None:
    signoff, signer = signed_by(SCORER_KEY, operator_id(SCORER_KEY.key_id))
    assert isinstance(signer, TrustedKey)
    problem = signoff_problem(signoff, signer)
    assert problem is not None and "only an operator key signs a sign-off" in problem.reason
