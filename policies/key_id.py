"""Published ids of secret keys: derived with HKDF-SHA256 (RFC 5869), never a plain hash.

A key id appears in records (`hash_key_id`, the sampling record's `key_id`, signatures); it
must name the key without helping anyone learn or test guesses of the secret. HKDF with a
fixed, purpose-bound `info` separates the id from every other use of the same secret (a
plain sha256 of the secret is what an attacker would compute to confirm a guessed secret
that is also used elsewhere, and it ties the id to the raw secret bytes).
"""

from __future__ import annotations

import hashlib
import hmac

_SALT = b"afterguard key id v1"
ID_CHARS = 16  # 64 bits of the derived id, in hex


def derive_key_id(material: bytes, purpose: str) -> str:
    """HKDF-SHA256(material, salt, info=purpose), first 8 bytes in hex. `purpose` names the
    kind of key (e.g. "hash-key", "sampling-key", "ed25519-public"): one secret used for two
    purposes gets two unrelated ids."""
    prk = hmac.new(_SALT, material, hashlib.sha256).digest()  # HKDF-Extract
    okm = hmac.new(prk, purpose.encode() + b"\x01", hashlib.sha256).digest()  # one Expand block
    return okm.hex()[:ID_CHARS]
