"""A plain identifier (`A-Z a-z 0-9 . _ : -`: an action result's metadata) is read without the
readings it cannot carry, and the engine finds in it exactly what its full scan finds: keys and
tokens, SSNs, card and phone numbers, IBANs as written, backwards, in ROT13, spaced out and in
base64, base32 and hex, beside context words, under keys that are evidence or not. Its base64
and hex runs, found by a split and a one-class pass, are the runs the regex searches find, on
any text."""

from __future__ import annotations

import base64
import codecs
import itertools
import random
import string
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from detectors import DetectorEngine
from detectors.decoded import TooDeepToRead, encoded_runs
from detectors.plain_identifier import LONGEST_PLAIN, encoded_runs_of, is_plain
from policies import load_policy, shipped_policy_path
from streams.worker.metadata_scan import MetadataScanner
from tests.unit.worker.test_metadata_secrets import SECRETS, ordinary_ids

IDENTIFIER = string.ascii_letters + string.digits + "._:-"
ALNUM = string.ascii_letters + string.digits


def _luhn(digits: str) -> str:
    """`digits` and the digit that makes the Luhn check hold."""
    total = sum(sum(divmod(int(d) * (2 if i % 2 == 0 else 1), 10))
                for i, d in enumerate(reversed(digits)))
    return digits + str(-total % 10)


def _fixed(alphabet: str, size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=size, max_size=size)


CARDS = st.builds(lambda prefix, rest: _luhn(prefix + rest),
                  st.sampled_from(["4", "51", "55", "2221", "34", "37", "6011", "5018", "35"]),
                  st.sampled_from([10, 11, 13, 14]).flatmap(
                      lambda size: _fixed(string.digits, size)))
SSNS = st.builds(lambda area, group, serial: f"{area:03d}-{group:02d}-{serial:04d}",
                 st.integers(1, 899), st.integers(1, 99), st.integers(1, 9999))
PHONES = st.builds(lambda a, b, c: f"{a}-{b}-{c}", _fixed(string.digits, 3),
                   _fixed(string.digits, 3), _fixed(string.digits, 4)) | st.builds(
    lambda country, rest: f"00{country}{rest}", st.sampled_from(["41", "44", "49", "33", "1"]),
    _fixed(string.digits, 9))
TOKENS = st.one_of(
    st.sampled_from([value for _, value, _ in SECRETS]),
    _fixed("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16).map(lambda rest: "AKIA" + rest),
    _fixed(ALNUM, 36).map(lambda rest: "ghp_" + rest),
    _fixed(ALNUM + "_-", 20).map(lambda rest: "glpat-" + rest),
    _fixed(ALNUM, 24).map(lambda rest: "sk_live_" + rest),
    _fixed(ALNUM + "_-", 35).map(lambda rest: "AIza" + rest),
    _fixed(ALNUM, 36).map(lambda rest: "npm_" + rest),
    st.builds(lambda a, b, c: f"{a}-{b}-{c}", _fixed("0123456789abcdef", 32),
              _fixed("0123456789abcdef", 8), _fixed("0123456789abcdef", 8)),  # mailgun
    st.just("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
            "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),  # a JWT
    st.builds(lambda country, rest: country + _iban_check(country, rest) + rest,
              st.sampled_from(["DE", "GB", "FR", "NL"]), _fixed(string.digits, 18)),
)


def _iban_check(country: str, rest: str) -> str:
    digits = "".join(str(int(c, 36)) for c in rest + country + "00")
    return f"{98 - int(digits) % 97:02d}"


SECRET_TEXTS = st.one_of(TOKENS, CARDS, CARDS.map(lambda card: "-".join(
    card[i:i + 4] for i in range(0, len(card), 4))), SSNS, PHONES)
ENCODINGS: list[Callable[[str], str]] = [
    lambda text: base64.urlsafe_b64encode(text.encode()).decode().rstrip("="),
    lambda text: base64.b64encode(text.encode()).decode(),  # `+`, `/`, `=`: not plain
    lambda text: base64.b32encode(text.encode()).decode().rstrip("="),
    lambda text: base64.b32encode(text.encode()).decode().rstrip("=").lower(),
    lambda text: text.encode().hex(),
    lambda text: ":".join(f"{byte:02x}" for byte in text.encode()),
    lambda text: text[::-1],
    lambda text: codecs.encode(text, "rot13"),
    lambda text: "-".join(text),
    lambda text: ".".join(text),
]
# what is encoded: secrets, and short texts whose runs are about the shortest decoded
# (base64 of 9 bytes: 12 characters; base32 of 10: 16)
PLAIN_TEXTS = SECRET_TEXTS | st.sampled_from([
    "jane.doe@example.com", "password=hunter2", "4111 1111 1111 1111", "call 555-867-5309",
    "219099998"]) | st.text(string.printable, min_size=6, max_size=14) | st.text(
    string.ascii_letters + string.digits + string.punctuation, min_size=9, max_size=10)
ENCODED = st.builds(lambda encode, text: encode(text), st.sampled_from(ENCODINGS), PLAIN_TEXTS)
ORDINARY = st.sampled_from(random.Random(5).sample(ordinary_ids(), 40)
                           + ["stages57-01234", "stages1-00042"])
WORDS = st.sampled_from(["phone", "call", "tel", "ssn", "card", "cc", "token", "key", "password",
                         "mailgun", "iban", "api_key", "secret", "aws", "job", "run", "ref"])
PIECES = st.one_of(SECRET_TEXTS, ENCODED, ORDINARY, WORDS, st.text(IDENTIFIER, max_size=40),
                   _fixed(string.digits, 7) | _fixed(string.digits, 9)
                   | _fixed(string.digits, 16), _fixed("0123456789abcdef", 32),
                   _fixed(ALNUM + "_-", 16) | _fixed(ALNUM + "_-", 40))
SEPARATORS = st.sampled_from(["", ".", "-", "_", ":", "--", "::"])
IDENTIFIERS = st.builds(
    lambda pieces, separators: "".join(piece + separator
                                       for piece, separator in zip(pieces, separators)),
    st.lists(PIECES, min_size=1, max_size=5), st.lists(SEPARATORS, min_size=5, max_size=5))
# and a few that are not plain (`scan_identifier` scans them as `scan` does)
TEXTS = IDENTIFIERS | st.text(max_size=30) | st.builds(
    lambda piece, times: piece * times, IDENTIFIERS, st.integers(2, 40))
NAMES = st.sampled_from(["job_id", "agent_id", "action", "tenant", "trace_id", "risk_tags",
                         "key", "ssn", "phone", "card_number", "password", "api_token", "iban",
                         "note", "a b", "x]"])


def _outcome(scan: Callable[[], list[Any]]) -> object:
    try:
        return scan()
    except TooDeepToRead as exc:
        return ("refused", str(exc))


def _engines() -> dict[str, Callable[[], DetectorEngine]]:
    def metadata(policy: str) -> Callable[[], DetectorEngine]:
        loaded = load_policy(shipped_policy_path(policy))
        return lambda: MetadataScanner(loaded)._engine  # noqa: SLF001 - the check's engine

    return {"every entity": lambda: DetectorEngine(ner_model=None),
            "default metadata": metadata("default"), "strict metadata": metadata("strict")}


@pytest.fixture(scope="module")
def engines() -> dict[str, tuple[DetectorEngine, DetectorEngine]]:
    """Two engines of each kind, so neither's memory of clean values answers for the other."""
    return {name: (make(), make()) for name, make in _engines().items()}


def test_identifier_shaped_secrets_are_found_by_the_plain_reading(
        engines: dict[str, tuple[DetectorEngine, DetectorEngine]]) -> None:
    engine, _ = engines["default metadata"]
    for name, value, entity in SECRETS:
        assert is_plain(value)
        assert entity in {f.entity for f in engine.scan_identifier(name, value)}, value
    hidden = base64.urlsafe_b64encode(b"219-09-9998").decode().rstrip("=")
    assert [(f.entity, f.detector) for f in engine.scan_identifier("job_id", f"job.{hidden}")
            ] == [("US_SSN", "base64:us-ssn")]


@settings(max_examples=400, deadline=None)
@given(NAMES, TEXTS)
def test_the_plain_reading_finds_what_the_full_scan_finds(
        engines: dict[str, tuple[DetectorEngine, DetectorEngine]], name: str, text: str) -> None:
    for kind, (plain, full) in engines.items():
        for _ in range(2):  # the second time through the engines' memories
            assert (_outcome(lambda: plain.scan_identifier(name, text))
                    == _outcome(lambda: full.scan({name: text}))), (kind, name, text)


# encoded runs of texts of any length (and what is not one) between an identifier's
# separators
ENCODED_ANY = st.builds(lambda encode, text: encode(text), st.sampled_from(ENCODINGS[:6]),
                        st.text(string.ascii_letters + string.digits + string.punctuation + " ",
                                min_size=1, max_size=40))
RUNS = st.builds(
    lambda pieces, separators: "".join(piece + separator
                                       for piece, separator in zip(pieces, separators)),
    st.lists(st.one_of(ENCODED_ANY, ENCODED, st.text(IDENTIFIER, max_size=20)),
             min_size=1, max_size=5),
    st.lists(st.sampled_from([".", ":", "-", "_", "", "::", ".:", "a"]), min_size=5,
             max_size=5))


@settings(max_examples=400, deadline=None)
@given(RUNS | TEXTS)
@example("MjE5MDk5OTk4")  # base64 of 9 bytes: the shortest run read (12 characters)
@example("x:GIYTSMBZHE4TSOBR.")  # base32 of 10 bytes (16 characters), after a colon
@example("eyJzdWIiOiIxMjM0NTY3ODkwIn0:eyJzdWIiOiIxMjM0NTY3ODkwIn0")
@example("YWJjZGVmZ2hp=======")  # more `=` than padding: not plain, no run
@example("x.4a4b4c4d4e4f505152.g4a4b4c4d4e4f5051520")  # hex: 18 digits, after `g`, 19
@example("4a4b4c4d4e4f5051-4a4b4c4d4e4f5051")  # 16 digits each, one character between
@example("4a:4b:4c:4d:4e:4f:50:51")  # pairs written with colons
def test_a_plain_identifiers_encoded_runs_are_those_the_searches_find(text: str) -> None:
    for signed in itertools.product((False, True), repeat=3):
        assert list(encoded_runs_of(text, signed)) == list(encoded_runs(text, signed)), text


def test_only_bounded_identifier_texts_are_plain() -> None:
    assert is_plain("stages57-01234") and is_plain("2026-11-27T12:00:00Z")
    assert is_plain("a" * LONGEST_PLAIN) and not is_plain("a" * (LONGEST_PLAIN + 1))
    for other in ("", "a b", "a/b", "a+b", "a=b", "a%20", "a\n", "é", "a@b.c", "a\\b"):
        assert not is_plain(other), other
