"""Who signed a sign-off off: the operator key that signed it, never a name typed into it.

`afterguard autonomy approve` signs the sign-off with the operator's Ed25519 key
(AFTERGUARD_SIGNING_KEY_FILE) and names as its approver `operator:<key id>`, the id of that
key's public half. The scorer accepts a sign-off only when a trusted operator key signed it and
it names exactly that key: a sign-off naming anyone else, or signed by another service's key
(the scorer's own key signs its evidence events, never sign-offs), changes nothing and goes to
the dead-letter topic as `bad_signature`. Which person holds which operator key is the
operators' record, as the trusted keys file is."""

from __future__ import annotations

from sampling.autonomy import SignOff
from streams.signing.keys import TrustedKey
from streams.signing.records import BadSignature

OPERATOR = "operator"


def operator_id(key_id: str) -> str:
    """The approver id of sign-offs signed with the operator key `key_id`."""
    return f"{OPERATOR}:{key_id}"


def signoff_problem(signoff: SignOff, signer: TrustedKey) -> BadSignature | None:
    """Why `signoff` does not count although its signature is valid (None: it counts). The
    message names the key, never what the record claims."""
    if signer.service != OPERATOR:
        return BadSignature(f"sign-off {signoff.signoff_id} signed by a key of service "
                            f"{signer.service!r}: only an operator key signs a sign-off")
    if signoff.reviewer != operator_id(signer.key_id):
        return BadSignature(f"sign-off {signoff.signoff_id} names another approver than the "
                            f"operator key that signed it ({operator_id(signer.key_id)})")
    return None
