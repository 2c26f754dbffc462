"""Encoded strings inside a leaf, decoded so that the detectors can look inside them: base64
(standard and URL-safe), URL (percent) encoding and hex, of useful length.

A run decodes only when the result is UTF-8 text (printable, or line breaks and tabs); random
identifiers and hashes decode to bytes that are not, and are left alone. Each run is decoded
once and the runs of one text do not overlap, so the decoded text of a leaf is never longer
than the leaf; the engine decodes at most `MAX_DEPTH` levels deep (base64 inside base64).
"""

from __future__ import annotations

import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from detectors.linear import LinearRegex, Utf8Text

MAX_DEPTH = 2
MIN_BASE64 = 12  # 9 bytes: an SSN (`MjE5LTA5LTk5OTg=`)
MIN_HEX = 16
MIN_ENCODED = 6  # `a%40b.c`: the shortest text worth looking at

_BASE64 = LinearRegex(
    rf"(?:^|[^A-Za-z0-9+/_=-])(?P<m>[A-Za-z0-9+/_-]{{{MIN_BASE64},}}={{0,2}})"
    r"(?:[^A-Za-z0-9+/_=-]|\z)",
    context_before=True,
)
_HEX = LinearRegex(
    rf"(?:^|[^0-9A-Fa-f])(?P<m>(?:[0-9A-Fa-f]{{2}}){{{MIN_HEX // 2},}})(?:[^0-9A-Fa-f]|\z)",
    context_before=True,
)
_PERCENT = LinearRegex(r"[^\s\"'<>]*%[0-9A-Fa-f]{2}[^\s\"'<>]*")
_URLSAFE = str.maketrans("-_", "+/")


@dataclass(frozen=True)
class EncodedRun:
    """Characters `start:end` of a text, how they were encoded, and what they decode to."""

    start: int
    end: int
    encoding: str  # base64 | url | hex
    text: str


def encoded_runs(text: str) -> Iterator[EncodedRun]:
    """Every decodable run of `text`, by encoding, each in order of position."""
    source = Utf8Text(text)
    if "%" in text:
        for match in _PERCENT.finditer(source):
            try:
                decoded = unquote(match.group(0) or "", errors="strict")
            except UnicodeDecodeError:  # `%ce` in a password: not UTF-8 text, left alone
                continue
            if decoded != match.group(0) and _is_text(decoded):
                yield EncodedRun(match.start(), match.end(), "url", decoded)
    for match in _BASE64.finditer(source) if len(text) >= MIN_BASE64 else ():
        run = match.group(0) or ""
        decoded_b64 = _base64_text(run)
        if decoded_b64 is not None:
            yield EncodedRun(match.start(), match.end(), "base64", decoded_b64)
    for match in _HEX.finditer(source) if len(text) >= MIN_HEX else ():
        decoded_hex = _utf8_text(bytes.fromhex(match.group(0) or ""))
        if decoded_hex is not None:
            yield EncodedRun(match.start(), match.end(), "hex", decoded_hex)


def _base64_text(run: str) -> str | None:
    body = run.rstrip("=").translate(_URLSAFE)
    if len(body) % 4 == 1:
        return None
    try:
        raw = binascii.a2b_base64(body + "=" * (-len(body) % 4), strict_mode=True)
    except (binascii.Error, ValueError):
        return None
    return _utf8_text(raw)


def _utf8_text(raw: bytes) -> str | None:
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return decoded if _is_text(decoded) else None


def _is_text(decoded: str) -> bool:
    return bool(decoded) and (decoded.isprintable()
                              or decoded.translate(_BLANKS).isprintable())


_BLANKS = str.maketrans("", "", "\n\r\t")
