"""One RE2 set search per text rules out the engine's readings and detectors that cannot find
anything in it (detectors.screen). The set must find a pattern wherever the pattern's own search
finds a match (and only there, or it would rule out nothing), and the engine's findings must be
those of an engine that rules out nothing."""

from __future__ import annotations

import base64
import codecs
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from re2 import _re2

from detectors import DetectorEngine
from detectors.decoded import RUN_SIGNS
from detectors.linear import LinearRegex, Utf8Text
from detectors.registry import DEFAULT_DETECTORS
from detectors.rendered import SIGN as RENDERED_SIGN
from detectors.screen import EVERYTHING, PatternSet
from detectors.spaced import SIGN as SPACED_SIGN
from policies import load_policy, shipped_policy_path
from streams.demo_data import generate
from streams.worker.policy_reload import engine_for
from tests.unit.detectors.conftest import scan_outcome

_UNANCHORED = _re2.RE2.Anchor.UNANCHORED
_ENGINE = DetectorEngine(ner_model=None)  # every entity's pattern detectors
SIGNS = [_ENGINE._reversed.sign, *_ENGINE._reversed.reader_signs, _ENGINE._rot13.sign,
         SPACED_SIGN, RENDERED_SIGN, *RUN_SIGNS]


def _sets(regexes: list[LinearRegex], most: int = 40_000) -> list[tuple[list[LinearRegex],
                                                                        PatternSet]]:
    """`regexes` in sets of at most `most` instructions (a large one alone), as the engine's
    set is small."""
    chunks: list[list[LinearRegex]] = [[]]
    for regex in regexes:
        if chunks[-1] and sum(r.program_size for r in chunks[-1]) + regex.program_size > most:
            chunks.append([])
        chunks[-1].append(regex)
    return [(chunk, PatternSet(chunk)) for chunk in chunks]


# every shipped detector's pattern and every sign
SETS = _sets([r for r in (*SIGNS, *(d.pattern for d in DEFAULT_DETECTORS)) if r is not None])

# Pieces of what the detectors and the readings look for, and of what surrounds it
FRAGMENTS = [
    "219-09-9999", "4111 1111 1111 1111", "9999-90-912", "1111111111111114", "+41 52 318 64 20",
    "(415) 555-0132", "DE89370400440532013000", "jane.doe@example.com", "moc.elpmaxe@eod",
    "AKIAQYLPMN5HHHFPZAM2", "2MAZPFHHH5NMPLYQAIKA", "NXVNDLYCZA5UUUSCMNZ2", "ghp_", "tuc_",
    "A K I A Q Y L P M N", "4.1.1.1.-.1.1.1.1", "219-0<b>9-9998</b>", "**AKIA**", "`x`",
    "\x1b[1m", "<!-- x -->", "QUtJQVFZTFBNTjVISEhGUFpBTTI=", "41 4b 49 41 51 59 4c 50",
    "414b4941515" "94c504d4e35", "password=hunter2!", "ssn: ", "token", " ", "\n", "\t", "-",
    ".", "@", "+", ":", "=", "/", "_", "0", "7", "12", "x", "Q", "é", "ſ", "\u212a", "Ａ",
    "\u0430", "\u0410\u041a\u0406\u0410", "\u00a0", "\u200b", "２１９", "電話", "\ud800",
    # what the detectors the prefilter passes on many texts look for (not in the set: their
    # detectors search for themselves, `screen._screened`)
    "912793385", "583937219", "10.0.0.1", "fe80::1", "key-", "mailgun_key=", "hvs.", "s.",
    "SK", "123456789:AA", "1234", "hunter2",
]
TEXTS = st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join) | st.text(max_size=40)


def _first_match(regex: LinearRegex, source: Utf8Text) -> bool:
    """Whether the program `LinearRegex.finditer` searches `source` with matches anywhere."""
    program = regex._ascii_raw if source.ascii else regex._raw
    found: tuple[int, int] = program.Match(_UNANCHORED, source.data, 0, len(source.data))[0]
    return found != (-1, -1)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_the_set_finds_a_pattern_exactly_where_its_own_search_does(text: str) -> None:
    source = Utf8Text(text)
    for regexes, pattern_set in SETS:
        found = pattern_set.found(source)
        assert found is not EVERYTHING
        for regex, position in zip(regexes, pattern_set.positions, strict=True):
            if position == 0:  # never ruled out
                assert regex.twin_source is None
                continue
            assert (position in found) == _first_match(regex, source), (regex.pattern, text)
            if regex.search(source) is not None:
                assert position in found


def test_a_pattern_without_an_ascii_twin_is_never_ruled_out() -> None:
    caseless = LinearRegex("(?i)\u017fecret")  # `ſ` folds to `s`: no Latin-1 twin
    pattern_set = PatternSet([caseless, LinearRegex("secret")])
    assert pattern_set.positions[0] == 0
    assert caseless.search("my secret") is not None
    assert pattern_set.positions[0] in pattern_set.found(Utf8Text("my secret"))
    assert pattern_set.positions[1] not in pattern_set.found(Utf8Text("nothing here"))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_where_the_screen_tells_its_own_search_agrees(text: str) -> None:
    """Where the engine takes the screen's answer for a sign (the reversed and ROT13 readings')
    or a pattern's search (a keyed reader's, forwards) instead of searching, it is the answer
    the search gives."""
    screen, source = _ENGINE._screen, Utf8Text(text)
    found = screen.search(source)
    signs = [(screen.reversed, _ENGINE._reversed.sign),
             *zip(screen.reversed_readers, _ENGINE._reversed.reader_signs, strict=True),
             (screen.rot13, _ENGINE._rot13.sign)]
    told = 0
    for at, sign in signs:
        answer = screen.told(found, at)
        if answer is not None and sign is not None:
            assert answer == (sign.search(source) is not None), (sign.pattern, text)
            told += 1
    for detector in _ENGINE._detectors:
        answer = screen.told_match(found, detector)
        if answer is not None:
            assert answer == (detector.pattern.search(source) is not None), (detector.id, text)
            told += 1
    assert (told > 0) == (found is not EVERYTHING)
    assert screen.told_each(found, screen.reversed_readers) == [
        screen.told(found, at) for at in screen.reversed_readers]


def test_the_screen_tells_nothing_of_a_text_it_did_not_search() -> None:
    screen = _ENGINE._screen
    assert screen.told(EVERYTHING, screen.reversed) is None
    assert all(screen.told_match(EVERYTHING, d) is None for d in _ENGINE._detectors)
    assert screen.told(screen.search(Utf8Text("583-93-7219")), screen.reversed) is False


class _FailingSet:
    """An RE2 set whose search failed (its DFA out of memory): it answers with no match."""

    def Match(self, data: bytes) -> list[int]:  # noqa: N802 - RE2's name
        return []


def test_a_failed_set_search_rules_out_nothing() -> None:
    pattern_set = PatternSet([LinearRegex("secret")])
    pattern_set._ascii = pattern_set._utf8 = _FailingSet()
    assert pattern_set.found(Utf8Text("nothing here")) is EVERYTHING
    assert pattern_set.positions[0] in pattern_set.found(Utf8Text("nothing"))


def _unscreened(engine: DetectorEngine) -> DetectorEngine:
    engine._screen.search = lambda source: EVERYTHING  # type: ignore[method-assign]
    return engine


@pytest.fixture(scope="module")
def engines() -> dict[str, tuple[DetectorEngine, DetectorEngine]]:
    default = load_policy(shipped_policy_path("default"))
    return {"every entity": (DetectorEngine(ner_model=None),
                             _unscreened(DetectorEngine(ner_model=None))),
            "default policy": (engine_for(default), _unscreened(engine_for(default)))}


def _disguises(text: str) -> Iterator[str]:
    """`text` as the engine's readings undo it: backwards, ROT13, base64 (on one line and
    wrapped over lines), hex, spaced out, in markup, with look-alike and invisible characters."""
    encoded = base64.b64encode(text.encode(errors="replace")).decode()
    yield from (text, text[::-1], codecs.encode(text, "rot13"), encoded,
                "\n".join(encoded[i:i + 16] for i in range(0, len(encoded), 16)),
                text.encode(errors="replace").hex(), " ".join(text),
                "<b>".join(text[i:i + 3] for i in range(0, len(text), 3)),
                "\u200b".join(text[i:i + 4] for i in range(0, len(text), 4)),
                text.replace("a", "\u0430").replace("e", "\u0435"), f"note: {text} id=7")


KEYS = st.sampled_from(["ssn", "phone", "card", "note", "log", "iban", "password", "to", "pin",
                        "social_security"])
VALUES = st.recursive(TEXTS.flatmap(lambda t: st.sampled_from(list(_disguises(t))))
                      | st.integers(), lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(KEYS, inner, max_size=3), max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(VALUES)
def test_what_the_screen_rules_out_finds_nothing(
        engines: dict[str, tuple[DetectorEngine, DetectorEngine]], value: Any) -> None:
    for screened, unscreened in engines.values():
        assert scan_outcome(screened, value) == scan_outcome(unscreened, value)



def test_the_demo_mix_and_its_disguises_find_the_same_without_the_screen(
        engines: dict[str, tuple[DetectorEngine, DetectorEngine]]) -> None:
    outputs = [json.loads(r.value)["output"] for r in generate(300, "screen", malformed_every=0)]
    disguised = [{key: list(_disguises(json.dumps(value)[:80])) for key, value in output.items()}
                 for output in outputs[:100]]
    for name, (screened, unscreened) in engines.items():
        for values in (outputs, disguised, outputs):  # the last through the engines' memories
            assert screened.scan_batch(values) == unscreened.scan_batch(values), name
