"""Encodings do not evade redaction: each technique an agent can use to disguise a value, for an
SSN, a card number, an email address, a phone number, an AWS key and a private key, through the
shipped default policy. Caught means the result is quarantined, or redacted with neither the
value nor its disguise left in the released output, and no recorded path holds it."""

from __future__ import annotations

import base64
import codecs
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from detectors import DetectorEngine
from policies import ActionResult, Decision, HashKey, decide, load_policy, shipped_policy_path
from streams.worker.policy_reload import engine_for

VALUES = {
    "ssn": "219-09-9998",
    "card": "4111-1111-1111-1111",
    "email": "jane-doe@example.com",
    "phone": "+1 415-555-0132",
    "aws_key": "AKIAQYLPMN5HHHFPZAM2",
    "github_token": "ghp_Zx8Qw4Lm2Np7Rt5Vb9Kc3Hd6Jf1Gs0Ty8Ua4",
    "private_key": ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAt4Jq9dL0v5m2Xq7R8wZ"
                    "cYhN1tVb3sKpLmQe4uF9oIa2\n-----END RSA PRIVATE KEY-----"),
}


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _zero_width(text: str) -> str:
    middle = len(text) // 2
    return text[:3] + "\u200b" + text[3:middle] + "\u2060" + text[middle:]


def _invisible(*marks: str) -> Callable[[str], str]:
    """Characters that draw nothing of their own, inside the value (not Unicode format
    characters: a combining grapheme joiner, a variation selector, a Hangul filler)."""
    def apply(text: str) -> str:
        middle = len(text) // 2
        return text[:3] + marks[0] + text[3:middle] + marks[-1] + text[middle:]
    return apply


def _underlined(text: str) -> str:
    return "".join(c + "\u0332" if not c.isspace() else c for c in text)


def _digit_groups(separator: str) -> Callable[[str], str]:
    def apply(text: str) -> str:
        return text.replace("-", separator)
    return apply


def _percent(text: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode())


def _base64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _escaped(escape: Callable[[int], str]) -> Callable[[str], str]:
    """Every other character (line breaks kept) written as an escape: half plain, half not."""
    def apply(text: str) -> str:
        return "".join(escape(ord(c)) if i % 2 and c != "\n" else c for i, c in enumerate(text))
    return apply


_NAMED = {"@": "&commat;", ".": "&period;", "-": "&hyphen;", " ": "&nbsp;", "+": "&plus;"}


def _named_references(text: str) -> str:
    return "".join(_NAMED.get(c, f"&#{ord(c)};" if c.isdigit() else c) for c in text)


def _quoted_printable(text: str) -> str:
    return "\n".join("".join(f"={b:02X}" for b in line.encode()) for line in text.split("\n"))


def _base32(text: str) -> str:
    return base64.b32encode(text.encode()).decode()


def _between_every_character(separator: str) -> Callable[[str], str]:
    """The separator between every two characters (line breaks kept): `A K I A …`, `A.K.I.A…`."""
    def apply(text: str) -> str:
        return "\n".join(separator.join(line) for line in text.split("\n"))
    return apply


def _base64_thrice(text: str) -> str:
    for _ in range(3):
        text = _base64(text)
    return text


def _base64_utf16(text: str) -> str:
    return base64.b64encode(text.encode("utf-16-le")).decode()


def _base64_wrapped(text: str) -> str:
    """MIME-style lines of 16, so that a line break falls inside the value."""
    encoded = base64.b64encode(f"customer record {text}".encode()).decode()
    return "\n".join(encoded[i:i + 16] for i in range(0, len(encoded), 16))


def _base64_json(text: str) -> str:
    return base64.b64encode(json.dumps({"record": {"value": text}}).encode()).decode()


def _cut(before: str, after: str) -> Callable[[str], str]:
    """Markup a renderer hides put inside the value, after its first third and around its
    middle third (`219<b>-09</b>-9998`)."""
    def apply(text: str) -> str:
        a, b = len(text) // 3, 2 * len(text) // 3
        return text[:a] + before + text[a:b] + after + text[b:]
    return apply


# Latin letters swapped for the Cyrillic ones drawn alike
_CYRILLIC = str.maketrans("AaBCcEeHKMOoPpTXxy", "АаВСсЕеНКМОоРрТХху")


# technique -> how it disguises a value, and how the value goes into the output
TECHNIQUES: dict[str, Callable[[str], str]] = {
    "plain": lambda text: text,
    "zero-width characters": _zero_width,
    "dot separators": lambda text: re.sub(r"(?<=\d)[- ](?=\d)", ".", text),
    "en-dash separators": _digit_groups("\u2013"),
    "non-breaking hyphens": _digit_groups("\u2011"),
    "full-width characters": _full_width,
    "combining grapheme joiner": _invisible("\u034f"),
    "variation selectors": _invisible("\ufe0f", "\U000e0100"),
    "hangul fillers": _invisible("\u3164", "\uffa0"),
    "combining low line on every character": _underlined,
    "url-encoded": _percent,
    "base64": _base64,
    "base64 of a JSON document": _base64_json,
    "hex": lambda text: text.encode().hex(),
    "html decimal references": _escaped(lambda code: f"&#{code};"),
    "html hex references": _escaped(lambda code: f"&#x{code:x};"),
    "html named references": _named_references,
    "json unicode escapes": _escaped(lambda code: f"\\u{code:04x}"),
    "backslash-x escapes": _escaped(lambda code: f"\\x{code:02x}"),
    "quoted-printable": _quoted_printable,
    "base64 three times": _base64_thrice,
    "base64 of utf-16": _base64_utf16,
    "hex of utf-16": lambda text: text.encode("utf-16-le").hex(),
    "hex bytes with spaces": lambda text: text.encode().hex(" "),
    "hex bytes with colons": lambda text: text.encode().hex(":"),
    "base64 wrapped over lines": _base64_wrapped,
    "base32": _base32,
    "base32 without padding": lambda text: _base32(text).rstrip("="),
    "base32 in lower case": lambda text: _base32(text).rstrip("=").lower(),
    "zero-width space between every character": _between_every_character("\u200b"),
    "space between every character": _between_every_character(" "),
    "dot between every character": _between_every_character("."),
    "hyphen between every character": _between_every_character("-"),
    "no-break space between every character": _between_every_character("\u00a0"),
    "hair space between every character": _between_every_character("\u200a"),
    "line separator between every character": _between_every_character("\u2028"),
    "cyrillic look-alike letters": lambda text: text.translate(_CYRILLIC),
    "rot13": lambda text: codecs.encode(text, "rot13"),
    "inline html tags inside": _cut("<b>", "</b>"),
    "a span per character": lambda text: "\n".join(
        "".join(f"<span>{c}</span>" for c in line) for line in text.split("\n")),
    "html comment inside": _cut("<!-- -->", ""),
    "markdown bold inside": _cut("**", "**"),
    "ansi colour codes inside": _cut("\x1b[1;31m", "\x1b[0m"),
    "tab between every character": _between_every_character("\t"),
    "line break between every character": _between_every_character("\n"),
    "reversed": lambda text: text[::-1],
    "reversed inside a right-to-left override": lambda text: f"\u202e{text[::-1]}\u202c",
    "reversed with zero-width characters": lambda text: _zero_width(text[::-1]),
    "base64 of the value reversed": lambda text: _base64(text[::-1]),
    "url-encoded reversed": lambda text: _percent(text[::-1]),
}
# where the disguised text sits: a string value, or an object key
PLACES: dict[str, Callable[[str], Any]] = {
    "value": lambda text: {"note": f"see {text} here"},
    "object key": lambda text: {"by_owner": {text: {"status": "open"}}},
}
CASES = [(t, p, v) for t in TECHNIQUES for p in PLACES for v in VALUES
         if not (p == "object key" and v == "private_key")]  # keys are one line
# (an SSN, a card number or a PIN given as a JSON number)
NUMBERS: list[tuple[str, Any]] = [
    ("ssn", {"customer": {"ssn": 219099998}}),
    ("card", {"payment": {"card_number": 4111111111111111}}),
    ("card", {"payment": {"details": [4111111111111111]}}),
    ("pin", {"card": {"pin": 4821}}),
    ("negative card", {"payment": {"card_number": -4111111111111111}}),
    ("negative card", {"payment": {"details": [-4111111111111111]}}),
]


# loaded once: loading the policy costs ~50 ms, a hundred times what one case's decision does
POLICY = load_policy(shipped_policy_path("default"))
KEY = HashKey.from_secret(b"k" * 32)


@pytest.fixture(scope="module")
def engine() -> DetectorEngine:
    return engine_for(POLICY)


def _decide(engine: DetectorEngine, output: Any) -> tuple[Decision, str, list[str]]:
    result = ActionResult(job_id="j", agent_id="a", action="job.support.lookup", output=output)
    outcome = decide(result, engine.scan(output), POLICY.policy, KEY)
    recorded = [r.path for r in outcome.redactions] + [r.finding.path for r in outcome.ruled]
    return outcome.decision, json.dumps(outcome.output, ensure_ascii=False), recorded


@pytest.mark.parametrize(("technique", "place", "kind"), CASES)
def test_a_disguised_value_is_never_released(engine: DetectorEngine, technique: str,
                                             place: str, kind: str) -> None:
    disguised = TECHNIQUES[technique](VALUES[kind])
    decision, released, paths = _decide(engine, PLACES[place](disguised))
    assert decision in (Decision.REDACT, Decision.QUARANTINE)
    if decision is Decision.REDACT:
        assert disguised not in json.loads(released).__repr__()
        assert VALUES[kind] not in released
    assert not any(disguised in path or json.dumps(disguised)[1:-1] in path for path in paths)


@pytest.mark.parametrize(("kind", "output"), NUMBERS)
def test_a_value_given_as_a_json_number_is_never_released(engine: DetectorEngine, kind: str,
                                                          output: Any) -> None:
    decision, released, _ = _decide(engine, output)
    assert decision in (Decision.REDACT, Decision.QUARANTINE)
    if decision is Decision.REDACT:
        digits = json.dumps(output).split(": ")[-1].strip("[]}")
        assert digits not in released


def test_percent_escapes_that_are_not_utf8_do_not_fail_the_scan(engine: DetectorEngine) -> None:
    # A password such as `x%ceZ` is not URL encoding of anything; the scan goes on and still
    # finds the encoded SSN beside it.
    output = {"note": f"password=Qx%ce7Zt%ff and {_percent(VALUES['ssn'])}"}
    decision, released, _ = _decide(engine, output)
    assert decision in (Decision.REDACT, Decision.QUARANTINE)
    assert VALUES["ssn"] not in released


# Escapes that leave the words around them plain: the value reads whole with its context word,
# though each group of its digits is escaped on its own.
SPLIT_ESCAPES: list[tuple[str, str]] = [
    ("url-encoded groups", "ssn %32%31%39 %30%39 %39%39%39%38 on file"),
    ("html references in groups", "ssn &#50;&#49;&#57; &#48;&#57; &#57;&#57;&#57;&#56; on file"),
    ("json escapes in groups", "ssn \\u0032\\u0031\\u0039 \\u0030\\u0039 \\u0039\\u0039\\u0039\\u0038"),
]


@pytest.mark.parametrize(("technique", "text"), SPLIT_ESCAPES)
def test_escaped_digit_groups_after_a_context_word_are_never_released(
        engine: DetectorEngine, technique: str, text: str) -> None:
    decision, released, _ = _decide(engine, {"note": text})
    assert decision in (Decision.REDACT, Decision.QUARANTINE), technique
    if decision is Decision.REDACT:
        assert text.split("ssn ")[1][:12] not in released


def test_an_escape_that_decodes_to_no_text_is_left_alone(engine: DetectorEngine) -> None:
    """A lone surrogate escape, a code point past Unicode or bytes that are not UTF-8 are not
    decoded, and never fail the scan: the value beside them is still found."""
    for text in ("\\ud800 ssn 219\\u002d09-9998", "%ff%fe ssn 219-09-9998 &#xD800; &#1114112;",
                 "=C3=28 =\nwrap \\x80 ssn 219-09-9998"):
        decision, released, _ = _decide(engine, {"note": text})
        assert decision is Decision.REDACT, text
        assert "9998" not in released


# Honest text that the readings added for base32, separators and reversal look at, and that
# must stay as it is: spaced-out banners and counts, base32 identifiers that decode to bytes,
# words that hold a credential keyword backwards.
HONEST_TEXTS = [
    "L O A D I N G . . . please wait",
    "a b c d e f g h i j k l m n o p",
    "1 2 3 4 5 6 7 8 9 10 11 12",
    "S-U-M-M-E-R  S-A-L-E starts now",
    "=-=-=-=-=-=-=-=-=-= section =-=-=-=-=-=-=-=-=-=",
    "totp seed JBSWY3DPEHPK3PXP for the test device",
    "build ONSWG4TFOQQGC3TEEBZWK5DVOA artifact",
    "Aika Tanaka asked about the dapi roadmap",
    "key-value pairs: -ks flag, tap-ped, ssap-through",
    "name\tage\tcity\nada\t36\tturin\nbo\t41\tlyon",
    "a\nb\nc\nd\ne\nf\ng\nh\ni\nj",
    "Пароль сменён, see the iPhоne 15 Prо notes",
    "<table><tr><td>4111</td><td>1111</td><td>1111</td><td>1111</td></tr></table>",
    "Use **bold** and `code` here; the <b>total</b> was 4111",
    "\x1b[31mERROR\x1b[0m: disk full",
]


@pytest.mark.parametrize("text", HONEST_TEXTS)
def test_honest_text_the_new_readings_look_at_is_left_alone(engine: DetectorEngine,
                                                            text: str) -> None:
    decision, released, _ = _decide(engine, {"note": text})
    assert decision is Decision.ALLOW, text
    assert json.loads(released) == {"note": text}
