"""A value split over list items is read joined: a credential one character per item, a card
number in groups of four as strings or as JSON numbers. Through the shipped default policy the
released output holds none of it across the items, and every covered item is recorded; honest
lists of letters, words and small numbers are left alone."""

from __future__ import annotations

import json
from typing import Any

import pytest

from detectors import DetectorEngine
from policies import ActionResult, Decision, HashKey, decide, load_policy, shipped_policy_path
from streams.worker.policy_reload import engine_for

# invented values: an AWS-shaped access key id and a Luhn-valid test card number
KEY = "AKIAZX7QW3RT5LMN2VBC"
CARD = "4539148872346464"
# Luhn-valid: a Visa number, and sixteen digits in no scheme's issuer range (61...)
VISA = "4813424869695826"
NO_SCHEME = "6188629197137422"
AMEX = "371811648468412"  # Luhn-valid, printed 4-6-5


POLICY = load_policy(shipped_policy_path("default"))  # once: ~50 ms a load


@pytest.fixture(scope="module")
def engine() -> DetectorEngine:
    return engine_for(POLICY)


def _decide(engine: DetectorEngine, output: Any) -> tuple[Decision, Any, list[str]]:
    result = ActionResult(job_id="j", agent_id="a", action="job.support.lookup", output=output)
    outcome = decide(result, engine.scan(output), POLICY.policy, HashKey.from_secret(b"k" * 32))
    return outcome.decision, outcome.output, [r.path for r in outcome.redactions]


def _released_items(released: Any) -> str:
    """The list's items joined, as a consumer reassembling them reads them."""
    return "".join(str(item) for item in released["result"]["parts"])


def test_a_credential_one_character_per_item_is_quarantined(engine: DetectorEngine) -> None:
    decision, _, _ = _decide(engine, {"result": {"parts": list(KEY)}})
    assert decision is Decision.QUARANTINE  # the default policy quarantines credentials


def test_a_credential_a_few_characters_per_item_is_quarantined(engine: DetectorEngine) -> None:
    parts = [KEY[i:i + 3] for i in range(0, len(KEY), 3)]
    decision, _, _ = _decide(engine, {"result": {"note": "ok", "parts": parts}})
    assert decision is Decision.QUARANTINE


@pytest.mark.parametrize("as_numbers", [False, True], ids=["strings", "numbers"])
def test_a_card_number_in_groups_of_four_is_redacted_on_every_item(
        engine: DetectorEngine, as_numbers: bool) -> None:
    groups: list[Any] = [CARD[i:i + 4] for i in range(0, 16, 4)]
    if as_numbers:
        groups = [int(group) for group in groups]
    output = {"result": {"status": "paid", "parts": groups}}
    decision, released, paths = _decide(engine, output)
    assert decision is Decision.REDACT
    joined = _released_items(released)
    assert CARD[:12] not in joined and CARD[4:] not in joined
    assert all(str(group) not in json.dumps(released) for group in groups[:3])
    assert released["result"]["parts"] == ["[REDACTED:CREDIT_CARD]"] * 4
    assert sorted(paths) == [f"result.parts[{i}]" for i in range(4)]
    assert released["result"]["status"] == "paid"


@pytest.mark.parametrize("key", ["values", "parts", "x"])
def test_a_card_in_a_list_named_for_nothing_else_is_redacted(
        engine: DetectorEngine, key: str) -> None:
    output = {key: [int(VISA[i:i + 4]) for i in range(0, 16, 4)]}
    decision, released, _ = _decide(engine, output)
    assert decision is Decision.REDACT
    assert released[key] == ["[REDACTED:CREDIT_CARD]"] * 4


@pytest.mark.parametrize("as_numbers", [False, True], ids=["strings", "numbers"])
def test_an_amex_number_in_its_printed_groups_is_redacted(
        engine: DetectorEngine, as_numbers: bool) -> None:
    groups: list[Any] = [AMEX[:4], AMEX[4:10], AMEX[10:]]
    if as_numbers:
        groups = [int(group) for group in groups]
    decision, released, _ = _decide(engine, {"parts": groups})
    assert decision is Decision.REDACT
    assert released["parts"] == ["[REDACTED:CREDIT_CARD]"] * 3


def test_a_card_word_above_a_list_named_for_codes_still_reads_it_as_a_card(
        engine: DetectorEngine) -> None:
    output = {"payment": {"codes": [VISA[i:i + 4] for i in range(0, 16, 4)]}}
    decision, released, _ = _decide(engine, output)
    assert decision is Decision.REDACT
    assert released["payment"]["codes"] == ["[REDACTED:CREDIT_CARD]"] * 4


def test_only_the_items_the_value_covers_are_redacted(engine: DetectorEngine) -> None:
    parts = ["id", "n", *[CARD[i:i + 4] for i in range(0, 16, 4)], "x"]
    decision, released, _ = _decide(engine, {"result": {"parts": parts}})
    assert decision is Decision.REDACT
    items = released["result"]["parts"]
    assert items[:2] == ["id", "n"] and items[-1] == "x"
    assert items[2:6] == ["[REDACTED:CREDIT_CARD]"] * 4


def test_a_card_with_separator_items_between_its_groups_is_redacted(
        engine: DetectorEngine) -> None:
    parts = [CARD[0:4], "-", CARD[4:8], "-", CARD[8:12], "-", CARD[12:16]]
    decision, released, _ = _decide(engine, {"parts": parts})
    assert decision is Decision.REDACT
    assert released["parts"] == ["[REDACTED:CREDIT_CARD]"] * 7


SSN_GROUPS = ["287", "06", "5531"]  # invented, a plausible SSN


@pytest.mark.parametrize("parts", [SSN_GROUPS, [SSN_GROUPS[0], "-", SSN_GROUPS[1], "-",
                                                SSN_GROUPS[2]], ["id", *SSN_GROUPS, "ok"]],
                         ids=["groups", "with separator items", "among other items"])
def test_an_ssn_in_its_three_groups_is_redacted(engine: DetectorEngine,
                                                parts: list[str]) -> None:
    decision, released, _ = _decide(engine, {"parts": parts})
    assert decision is Decision.REDACT
    assert not any(group in json.dumps(released) for group in SSN_GROUPS)


HONEST: list[Any] = [
    {"size": [640, 48, 1024]},  # numbers of an SSN's groups' widths: not read as one
    {"letters": list("abcdefghijklmnopqrstuvwxyz")},
    {"grades": ["A", "B", "B", "C", "A", "A", "D", "B", "C", "A"]},
    {"tags": ["ok", "red", "blue", "eu-west", "on", "off", "prod", "v2"]},
    {"counts": list(range(40))},
    {"scores": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]},
    {"latencies_ms": [12.5, 40.25, 7.0, 3.75, 19.5, 88.0]},
    {"ports": [443, 8080, 5432, 6379, 9092]},
    {"years": [2019, 2020, 2021, 2022, 2023]},
    {"years": [2019, 2020, 2021, 2022]},
    # four-digit codes and digit arrays that pass the Luhn check: named for what they are, or
    # numbered in no card scheme
    {"pins": [VISA[i:i + 4] for i in range(0, 16, 4)]},
    {"PIN codes": [VISA[i:i + 4] for i in range(0, 16, 4)]},
    {"readings": [int(VISA[i:i + 4]) for i in range(0, 16, 4)]},
    {"sensor": {"digits": list(VISA)}},
    {"values": [NO_SCHEME[i:i + 4] for i in range(0, 16, 4)]},
    {"values": [int(NO_SCHEME[i:i + 4]) for i in range(0, 16, 4)]},
]


@pytest.mark.parametrize("output", HONEST,
                         ids=lambda output: json.dumps(output)[:40].replace(" ", ""))
def test_honest_lists_of_short_items_are_left_alone(engine: DetectorEngine, output: Any) -> None:
    decision, released, _ = _decide(engine, output)
    assert decision is Decision.ALLOW
    assert released == output
