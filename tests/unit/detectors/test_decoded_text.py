"""What a decoded run holds (`detectors.decoded._utf8_text`) is read without an exception per run
that is not UTF-8: bytes that are not decode to lone surrogates, which no UTF-8 text holds. It
says exactly what the strict decode said: the same text, or None, for any bytes (random ids'
bytes, UTF-8 text with line breaks or control characters, encoded surrogates, overlong forms,
UTF-16, gzip and zlib streams). A base64 run is made standard by two replaces, not a
`translate` table: the same text for any run."""

from __future__ import annotations

import base64
import binascii
import gzip
import os
import zlib

from hypothesis import example, given, settings
from hypothesis import strategies as st

from detectors.decoded import _base64_text, _inflated, _is_text, _utf8_text, _utf16_text


def strict_utf8_text(raw: bytes) -> str | None:
    """`_utf8_text` as it was: the strict decode, its exception caught."""
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


TEXT = st.text(max_size=40)
RAW = st.one_of(
    st.binary(max_size=48),
    TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")),  # lone surrogates encoded
    TEXT.map(lambda text: text.encode("utf-16-le", "surrogatepass")),
    TEXT.map(lambda text: gzip.compress(text.encode("utf-8", "surrogatepass"))),
    TEXT.map(lambda text: zlib.compress(text.encode("utf-8", "surrogatepass"))),
    st.builds(lambda text, junk, at: (text.encode() + junk)[at:] + text.encode(),
              TEXT, st.binary(min_size=1, max_size=4), st.integers(0, 3)),
)


@settings(max_examples=2000, deadline=None)
@given(RAW)
@example(b"")
@example(b"\xed\xa0\x80")  # an encoded surrogate (not UTF-8)
@example(b"\xc0\xaf")  # an overlong `/`
@example(b"\xf4\x90\x80\x80")  # past U+10FFFF
@example(b"\x80abc")  # a lone continuation byte
@example("a\udc80b".encode("utf-8", "surrogateescape"))
@example("caf\u00e9 \U0001f600\n\t".encode())
@example(b"job 123\x00")  # a control character
@example("p\x00a\x00s\x00s\x00".encode())  # UTF-16 read as UTF-8: control characters
def test_a_runs_text_is_what_the_strict_decode_said(raw: bytes) -> None:
    assert _utf8_text(raw) == strict_utf8_text(raw)


def test_random_bytes_as_an_id_decodes_to_them() -> None:
    for _ in range(2000):
        raw = os.urandom(24)
        assert _utf8_text(raw) == strict_utf8_text(raw)


def translated_base64_text(run: str) -> str | None:
    """`_base64_text` as it was: URL-safe characters made standard by a `translate` table."""
    body = run.rstrip("=").translate(str.maketrans("-_", "+/"))
    if len(body) % 4 == 1:
        return None
    try:
        raw = binascii.a2b_base64(body + "=" * (-len(body) % 4), strict_mode=True)
    except (binascii.Error, ValueError):
        return None
    return strict_utf8_text(raw)


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_="


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=B64, max_size=48) | RAW.map(
    lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("=")) | RAW.map(
    lambda raw: base64.b64encode(raw).decode()))
@example("MjE5LTA5LTk5OTg")  # `219-09-9998`
@example("-_-_")
def test_a_base64_runs_text_is_what_it_was(run: str) -> None:
    assert _base64_text(run) == translated_base64_text(run)
