"""Rules every secret key of Afterguard follows, wherever it is read from (file or environment).

- At least 32 random bytes: 64 hex characters, 43 base64 characters, or (other text) 64
  characters; never a repetition (fewer than 16 distinct byte values).
- A key file that group or others may read is used, with a warning naming the file and its mode.
- Nothing here puts a secret into an exception, a log line or a repr.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import stat
from pathlib import Path

log = logging.getLogger(__name__)

MIN_KEY_BYTES = 32
MIN_DISTINCT_BYTES = 16
_HEX = re.compile(r"[0-9a-fA-F]+")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")


class WeakKey(ValueError):
    """A key that is too short or not random; the message names where it came from."""


def key_material(text: str, where: str) -> bytes:
    """The key's bytes (hex and base64 decoded, other text as UTF-8), checked for strength."""
    text = text.strip()
    data, random_bytes = _decoded(text)
    if random_bytes < MIN_KEY_BYTES:
        raise WeakKey(f"{where}: the key holds {random_bytes} random bytes at most; at least "
                      f"{MIN_KEY_BYTES} are required (e.g. openssl rand -hex 32)")
    if len(set(data)) < MIN_DISTINCT_BYTES:
        raise WeakKey(f"{where}: the key is not random (only {len(set(data))} distinct byte "
                      f"values); generate one with openssl rand -hex 32")
    return data


def _decoded(text: str) -> tuple[bytes, int]:
    """The bytes and how many random bytes they can hold at most."""
    if _HEX.fullmatch(text) and len(text) % 2 == 0:
        data = bytes.fromhex(text)
        return data, len(data)
    if _BASE64.fullmatch(text) and len(text) >= 43:
        padded = text + "=" * (-len(text) % 4)
        try:
            data = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
            return data, len(data)
        except (binascii.Error, ValueError):
            pass
    raw = text.encode()  # other text carries far less than 8 random bits a character
    return raw, len(raw) // 2


def read_key_file(path: Path, what: str) -> str:
    """The file's text; warns when group or others may read it. Errors name the file only."""
    try:
        mode = path.stat().st_mode
        text = path.read_text()
    except OSError as exc:
        raise WeakKey(f"{what}: cannot read {path}: {exc.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s: key file %s has mode %s: group or others may read it; "
                    "chmod 600 %s", what, path, oct(stat.S_IMODE(mode)), path)
    return text


def write_new_key_file(path: Path, text: str) -> bool:
    """Create `path` with mode 600 holding `text`, atomically: two processes starting at once
    both end with the same key. False when the file existed already."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    try:
        os.link(partial, path)  # fails when another process created it first
        return True
    except FileExistsError:
        return False
    finally:
        partial.unlink(missing_ok=True)
