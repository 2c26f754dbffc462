"""Encoded strings inside a leaf, decoded so that the detectors can look inside them: base64
(standard and URL-safe), base32 (RFC 4648, upper or lower case, padded or not) and hex, of
useful length (escapes such as URL percent-encoding are
decoded in place instead: detectors.unescaped).

A run decodes only when the result is UTF-8 text (printable, or line breaks and tabs); random
identifiers and hashes decode to bytes that are not, and are left alone. A run that decodes to
a gzip or zlib stream (`H4sI…`, `eJ…`) is read inflated, up to `MAX_INFLATED` bytes (1 MB);
one that inflates further raises `TooLargeToRead`, and the engine fails that result closed
rather than release what it could not read (the one place a decoded text may be longer than
the leaf: by at most `MAX_INFLATED` a run, within the result's scan budget). Each run is decoded
once and the runs of one text do not overlap, so the decoded text of a leaf is never longer
than the leaf; the engine decodes at most `MAX_DEPTH` levels deep (base64 inside base64 inside
base64 inside an escaped string: each level is shorter than the one above, so the work is at
most `MAX_DEPTH` times the leaf's); text still holding an encoded run or escapes that decode
at that depth raises `TooDeepToRead`, and its result fails closed.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from detectors.linear import LinearRegex, Utf8Text

MAX_DEPTH = 4
MIN_BASE64 = 12  # 9 bytes: an SSN (`MjE5LTA5LTk5OTg=`)
MIN_BASE32 = 16  # 10 bytes
MIN_HEX = 16
MIN_WRAPPED = 21  # 16 characters, a line break and 4 more
MIN_ENCODED = 6  # `a%40b.c`: the shortest text worth looking at
MAX_INFLATED = 1 << 20  # bytes a compressed run may inflate to; past it the scan fails closed

# (up to six `=`: base32's padding; its alphabet is base64's, so one pass finds both)
_BASE64 = LinearRegex(
    rf"(?:^|[^A-Za-z0-9+/_=-])(?P<m>[A-Za-z0-9+/_-]{{{MIN_BASE64},}}={{0,6}})"
    r"(?:[^A-Za-z0-9+/_=-]|\z)",
    context_before=True,
)
# base64 wrapped over lines (MIME, PEM bodies, YAML blocks): decoded as one run, so a value is
# found where a line break cuts it
_WRAPPED_BASE64 = LinearRegex(
    r"(?:^|[^A-Za-z0-9+/=])(?P<m>[A-Za-z0-9+/]{16,}(?:\r?\n[ \t]*[A-Za-z0-9+/]{4,})+={0,2})"
    r"(?:[^A-Za-z0-9+/=]|\z)",
    context_before=True,
)
# hex: a run of 16 digits or more, or 8 bytes or more with one space or colon between them
# (`41 4b 49 …`, `41:4b:49:…`, as hex dumps print them); one pass finds both
_HEX = LinearRegex(
    rf"(?:^|[^0-9A-Fa-f])(?P<m>(?:[0-9A-Fa-f]{{2}}){{{MIN_HEX // 2},}}"
    rf"|[0-9A-Fa-f]{{2}}(?:[ :][0-9A-Fa-f]{{2}}){{{MIN_HEX // 2 - 1},}})(?:[^0-9A-Fa-f]|\z)",
    context_before=True,
)
# The searches `encoded_runs` starts from: a text none of them matches has no encoded run
RUN_SIGNS = (_WRAPPED_BASE64, _BASE64, _HEX)
# base32 in one case: a run of base64's alphabet that may be base32 (bounded: `fullmatch`)
_BASE32 = re.compile(r"[A-Z2-7]+=*|[a-z2-7]+=*")
_BASE32_TAILS = frozenset({0, 2, 4, 5, 7})  # characters past the last full group of 8


@dataclass(frozen=True)
class EncodedRun:
    """Characters `start:end` of a text, how they were encoded, and what they decode to."""

    start: int
    end: int
    encoding: str  # base64 | base32 | hex
    text: str


def encoded_runs(text: str,
                 signed: tuple[bool, bool, bool] = (True, True, True)) -> Iterator[EncodedRun]:
    """Every decodable run of `text`, by encoding, each in order of position. `signed`: per
    search of `RUN_SIGNS`, False where the caller knows that it matches nowhere in the text
    (detectors.screen), so it finds no run there."""
    source = Utf8Text(text)
    wrapped: list[tuple[int, int]] = []
    signed_wrapped, signed_base64, signed_hex = signed
    if signed_wrapped and "\n" in text and len(text) >= MIN_WRAPPED:
        for match in _WRAPPED_BASE64.finditer(source):
            decoded_lines = _base64_text("".join((match.group(0) or "").split()))
            if decoded_lines is not None:
                wrapped.append((match.start(), match.end()))
                yield EncodedRun(match.start(), match.end(), "base64", decoded_lines)
    for match in _BASE64.finditer(source) if signed_base64 and len(text) >= MIN_BASE64 else ():
        if wrapped and any(start <= match.start() < end for start, end in wrapped):
            continue  # a line of a run decoded whole above
        run = match.group(0) or ""
        decoded_b64 = _base64_text(run)
        if decoded_b64 is not None:
            yield EncodedRun(match.start(), match.end(), "base64", decoded_b64)
        elif len(run) >= MIN_BASE32 and (decoded_b32 := _base32_text(run)) is not None:
            yield EncodedRun(match.start(), match.end(), "base32", decoded_b32)
    for match in _HEX.finditer(source) if signed_hex and len(text) >= MIN_HEX else ():
        run = match.group(0) or ""
        if " " not in run and ":" not in run:
            decoded_hex = _utf8_text(bytes.fromhex(run))
            if decoded_hex is not None:
                yield EncodedRun(match.start(), match.end(), "hex", decoded_hex)
            continue
        pairs = run.replace(":", " ").split()
        # a word before or after may end or be two hex letters (`see 41 4b …`, `… 32 be`)
        for first, last in ((0, len(pairs)), (1, len(pairs)), (0, len(pairs) - 1),
                            (1, len(pairs) - 1)):
            decoded_pairs = _utf8_text(bytes.fromhex("".join(pairs[first:last])))
            if decoded_pairs is not None:
                yield EncodedRun(match.start() + 3 * first,
                                 match.end() - 3 * (len(pairs) - last), "hex", decoded_pairs)
                break


def _base64_text(run: str) -> str | None:
    # URL-safe to standard: two replaces (a `translate` table looks each distinct character up,
    # raising and catching a KeyError for each it does not map)
    body = run.rstrip("=").replace("-", "+").replace("_", "/")
    if len(body) % 4 == 1:
        return None
    try:
        raw = binascii.a2b_base64(body + "=" * (-len(body) % 4), strict_mode=True)
    except (binascii.Error, ValueError):
        return None
    return _utf8_text(raw)


def _base32_text(run: str) -> str | None:
    """What a base32 run (RFC 4648, either case, padded or not) holds, if it is text."""
    if _BASE32.fullmatch(run) is None:
        return None
    body = run.rstrip("=")
    if len(body) % 8 not in _BASE32_TAILS:
        return None
    try:
        raw = base64.b32decode(body.upper() + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        return None
    return _utf8_text(raw)


class TooDeepToRead(ValueError):
    """A value still encoded after `MAX_DEPTH` readings (base64 five times): the scan cannot
    read what it holds (the result fails closed, as on any detector error)."""


class TooLargeToRead(ValueError):
    """A compressed run inflates past `MAX_INFLATED`: the scan cannot read all it holds (the
    result fails closed, as on any detector error)."""


def _inflated(raw: bytes) -> bytes | None:
    """What a gzip or zlib stream holds (`H4sI…`, `eJ…` in base64), up to `MAX_INFLATED`
    bytes; None for anything else."""
    if not (raw[:2] == b"\x1f\x8b" or (len(raw) >= 2 and raw[0] == 0x78
                                       and (raw[0] << 8 | raw[1]) % 31 == 0)):
        return None
    stream = zlib.decompressobj(wbits=47)  # gzip or zlib, by its header
    try:
        inflated = stream.decompress(raw, MAX_INFLATED)
    except zlib.error:
        return None
    if stream.unconsumed_tail:
        raise TooLargeToRead(f"a compressed run inflates past {MAX_INFLATED} bytes")
    return inflated


def _utf8_text(raw: bytes) -> str | None:
    """The text `raw` holds: UTF-8, or UTF-16 (little-endian, as PowerShell's
    `-EncodedCommand` and Windows tools write it) when half its code units or more are ASCII;
    a gzip or zlib stream is read inflated."""
    inflated = _inflated(raw)
    if inflated is not None:
        raw = inflated
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = ""
    if decoded and _is_text(decoded):
        return decoded
    utf16 = _utf16_text(raw)
    return utf16 if utf16 is not None and _is_text(utf16) else None


def _utf16_text(raw: bytes) -> str | None:
    if len(raw) % 2 or raw[1::2].count(0) * 2 < len(raw) // 2:
        return None
    try:
        return raw.decode("utf-16-le")
    except UnicodeDecodeError:  # a lone surrogate
        return None


def _is_text(decoded: str) -> bool:
    return bool(decoded) and (decoded.isprintable()
                              or decoded.translate(_BLANKS).isprintable())


_BLANKS = str.maketrans("", "", "\n\r\t")
