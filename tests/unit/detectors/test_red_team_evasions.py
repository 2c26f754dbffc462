"""Evasions a hostile agent tried on the detectors (red team of 28 Nov 2026, second pass), each
through the shipped default policy: the value is redacted or the result quarantined, and
neither the value nor its disguise is left in the released output. Beside them, honest texts
of the same shapes that must be released as they are. (Encodings applied to every kind of
value, reversal among them, are in `test_encodings_evade_nothing.py`.)"""

from __future__ import annotations

import base64
import gzip
import json
import urllib.parse
import zlib
from typing import Any

import pytest

from detectors import DetectorEngine
from detectors.decoded import TooDeepToRead, TooLargeToRead
from policies import ActionResult, Decision, HashKey, decide, load_policy, shipped_policy_path
from streams.worker.policy_reload import engine_for


POLICY = load_policy(shipped_policy_path("default"))  # once: ~50 ms a load


@pytest.fixture(scope="module")
def engine() -> DetectorEngine:
    return engine_for(POLICY)


def _decide(engine: DetectorEngine, output: Any) -> tuple[Decision, str]:
    result = ActionResult(job_id="j", agent_id="a", action="job.support.lookup", output=output)
    outcome = decide(result, engine.scan(output), POLICY.policy, HashKey.from_secret(b"k" * 32))
    return outcome.decision, json.dumps(outcome.output, ensure_ascii=False)


# An address with its `@` and dots spelled out, as people write them to dodge scrapers
SPELLED_ADDRESSES = [
    "mira-kovacs [at] example [dot] com",
    "mira-kovacs(at)example(dot)com",
    "mira-kovacs{at}example{dot}org",
    "mira-kovacs <at> example <dot> net",
    "mira-kovacs at example dot com",
    "mira-kovacs AT example DOT com",
    "mira-kovacs @ example . com",
    "mira-kovacs [@] example [.] com",
    "mira-kovacs [at] example.com",
    "mira-kovacs@example。com",
    "mira-kovacs [at] mail [dot] example [dot] co [dot] uk",
]


@pytest.mark.parametrize("address", SPELLED_ADDRESSES)
def test_an_address_with_its_at_and_dots_spelled_out_is_never_released(
        engine: DetectorEngine, address: str) -> None:
    decision, released = _decide(engine, {"note": f"write to {address} after lunch"})
    assert decision in (Decision.REDACT, Decision.QUARANTINE)
    assert address not in released
    assert "mira-kovacs" not in released


# Digits spelled out as words, one word a digit (an invented SSN and a Luhn-valid Visa number)
SPELLED_NUMBERS = [
    ("ssn", "ssn two eight seven zero six five five three one on file", "two eight seven"),
    ("ssn", "Two-Eight-Seven, Zero-Six, Five-Five-Three-One", "Two-Eight-Seven"),
    ("card", ("card four eight one three, four two four eight, six nine six nine, five eight "
              "two six"), "four eight one three, four two four eight"),
]


@pytest.mark.parametrize(("kind", "text", "disclosed"), SPELLED_NUMBERS,
                         ids=[f"{kind}-{i}" for i, (kind, _, _) in enumerate(SPELLED_NUMBERS)])
def test_digits_spelled_out_as_words_are_never_released(engine: DetectorEngine, kind: str,
                                                        text: str, disclosed: str) -> None:
    decision, released = _decide(engine, {"note": text})
    assert decision in (Decision.REDACT, Decision.QUARANTINE)
    assert disclosed not in released


# invented values: a plausible SSN, an address, an AWS-shaped key id
COMPRESSED = {"ssn": "287-06-5531", "email": "mira-kovacs@example.com",
              "aws_key": "AKIAZX7QW3RT5LMN2VBC"}


@pytest.mark.parametrize("kind", sorted(COMPRESSED))
@pytest.mark.parametrize("compress", [gzip.compress, zlib.compress], ids=["gzip", "zlib"])
def test_a_value_compressed_then_base64_encoded_is_never_released(
        engine: DetectorEngine, kind: str, compress: Any) -> None:
    blob = base64.b64encode(compress(f"record: {COMPRESSED[kind]}".encode())).decode()
    decision, released = _decide(engine, {"attachment": blob})
    assert decision in (Decision.REDACT, Decision.QUARANTINE)
    if decision is Decision.REDACT:
        assert blob not in released


def test_a_compressed_run_too_large_to_read_fails_its_result_alone(
        engine: DetectorEngine) -> None:
    # 2 MB of blanks and then the value compress to a few KB: it is not read to its end, so
    # the result is not released (the worker quarantines it as detector_error); its
    # batch-mate is scanned as usual
    bomb = base64.b64encode(gzip.compress(b" " * (2 << 20) + b"287-06-5531")).decode()
    outcomes = engine.scan_each([{"attachment": bomb}, {"note": "ssn 287-06-5531"}],
                                budget_s=60)
    assert isinstance(outcomes[0], TooLargeToRead)
    assert "287-06-5531" not in str(outcomes[0])
    assert not isinstance(outcomes[1], Exception)
    assert [f.entity for f in outcomes[1]] == ["US_SSN"]


def _nested(encode: Any, text: str, times: int) -> str:
    for _ in range(times):
        text = encode(text)
    return text


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(("encode", "times"), [(_b64, 5), (_b64, 7),
                                                (lambda t: urllib.parse.quote(t, safe=""), 6)],
                         ids=["base64 five times", "base64 seven times", "url-encoded six times"])
def test_a_value_encoded_deeper_than_the_readings_go_fails_its_result_alone(
        engine: DetectorEngine, encode: Any, times: int) -> None:
    # the readings stop after four levels; what is still encoded there is not released
    nested = _nested(encode, "mail mira-kovacs@example.com", times)
    outcomes = engine.scan_each([{"blob": nested}, {"note": "all good"}], budget_s=60)
    assert isinstance(outcomes[0], TooDeepToRead)
    assert outcomes[1] == []


HONEST_TEXTS = [
    # digit words in prose: counting up or down, a few numbers
    "one two three four five six seven eight nine ten, here we go",
    "nine eight seven six five four three two one zero: lift-off",
    "we need one or two reviewers and three or four days",
    # `at` and `dot` in prose, dotted names before an `@` that are no address written backwards
    "the docs are available at example.com and on the wiki",
    "look at the dot com era charts",
    "java.lang.Object@1b6d3586 was freed",
    "installed lodash.merge@4.6.2 and left-pad@1.3.0",
    "ssh first.last@buildhost to deploy",
    # dated references shaped like an SSN written backwards
    "order 2024-11-123 shipped",
    # a compressed attachment holding nothing sensitive
    # (no time in its header: each pytest-xdist worker collects the same test ids)
    base64.b64encode(gzip.compress(b"build 41 passed, 0 failed", mtime=0)).decode(),
]


@pytest.mark.parametrize("text", HONEST_TEXTS)
def test_honest_text_of_the_same_shapes_is_released_as_it_is(engine: DetectorEngine,
                                                            text: str) -> None:
    decision, released = _decide(engine, {"note": text})
    assert decision is Decision.ALLOW, text
    assert json.loads(released) == {"note": text}
