"""Every rule feature and operator, table-driven: what decision and output a user gets."""

from __future__ import annotations

from typing import Any

import pytest

from policies import Decision, decide
from tests.unit.policies.conftest import KEY, find, policy, result

SSN = "457-55-5462"
CARD = "4111 1111 1111 1111"
EMAIL = "maria@example.com"

RULES = """
defaults: {decision: allow}
rules:
  - id: support-only
    when: {actions: ["job.support.*"]}
    entities: [US_SSN]
    decision: redact
    operator: replace
    reason: support
  - id: agent-7
    when: {agents: ["billing-agent-*"]}
    entities: [CREDIT_CARD]
    decision: quarantine
    reason: billing agents never echo cards
  - id: prod-tag
    when: {risk_tags: [prod]}
    entities: [EMAIL_ADDRESS]
    decision: redact
    operator: drop
    reason: prod
  - id: customers
    when: {audience: [customer]}
    entities: [PHONE_NUMBER]
    decision: redact
    operator: replace
    reason: customers
  - id: under-notes
    paths: ["response.notes.*"]
    entities: [PERSON]
    decision: redact
    operator: replace
    reason: names in notes
  - id: confident
    min_score: 0.8
    entities: [LOCATION]
    decision: redact
    operator: replace
    reason: confident places
"""

# (case, output, value, entity, score, result extras, decision, expected output)
CASES: list[tuple[str, Any, str, str, float, dict[str, Any], Decision, Any]] = [
    ("action glob matches", {"s": SSN}, SSN, "US_SSN", 0.9, {}, Decision.REDACT,
     {"s": "[REDACTED:US_SSN]"}),
    ("action glob misses", {"s": SSN}, SSN, "US_SSN", 0.9, {"action": "job.billing.x"},
     Decision.ALLOW, {"s": SSN}),
    ("agent glob matches", {"c": CARD}, CARD, "CREDIT_CARD", 0.9,
     {"agent_id": "billing-agent-2"}, Decision.QUARANTINE, {"c": CARD}),
    ("agent glob misses", {"c": CARD}, CARD, "CREDIT_CARD", 0.9, {}, Decision.ALLOW,
     {"c": CARD}),
    ("risk tag matches", {"e": EMAIL}, EMAIL, "EMAIL_ADDRESS", 0.9,
     {"risk_tags": ("read", "prod")}, Decision.REDACT, {"e": "[REDACTED]"}),
    ("risk tag misses", {"e": EMAIL}, EMAIL, "EMAIL_ADDRESS", 0.9, {"risk_tags": ("read",)},
     Decision.ALLOW, {"e": EMAIL}),
    ("audience matches", {"p": "call 555-0100"}, "555-0100", "PHONE_NUMBER", 0.9,
     {"audience": "customer"}, Decision.REDACT, {"p": "call [REDACTED:PHONE_NUMBER]"}),
    ("audience misses", {"p": "555-0100"}, "555-0100", "PHONE_NUMBER", 0.9,
     {"audience": "internal"}, Decision.ALLOW, {"p": "555-0100"}),
    ("no audience is not customer", {"p": "555-0100"}, "555-0100", "PHONE_NUMBER", 0.9, {},
     Decision.ALLOW, {"p": "555-0100"}),
    ("path glob matches", {"response": {"notes": {"a": "Maria"}}}, "Maria", "PERSON", 0.9, {},
     Decision.REDACT, {"response": {"notes": {"a": "[REDACTED:PERSON]"}}}),
    ("path glob misses", {"response": {"name": "Maria"}}, "Maria", "PERSON", 0.9, {},
     Decision.ALLOW, {"response": {"name": "Maria"}}),
    ("score at minimum", {"l": "Denver"}, "Denver", "LOCATION", 0.8, {}, Decision.REDACT,
     {"l": "[REDACTED:LOCATION]"}),
    ("score below minimum", {"l": "Denver"}, "Denver", "LOCATION", 0.79, {}, Decision.ALLOW,
     {"l": "Denver"}),
    ("entity no rule names: default", {"u": "x.io"}, "x.io", "URL", 0.9, {}, Decision.ALLOW,
     {"u": "x.io"}),
]


@pytest.mark.parametrize(("case", "output", "value", "entity", "score", "extra", "decision",
                          "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_features(case: str, output: Any, value: str, entity: str, score: float,
                       extra: dict[str, Any], decision: Decision, expected: Any) -> None:
    outcome = decide(result(output, **extra), find(output, value, entity, score),
                     policy(RULES).policy, KEY)
    assert outcome.decision is decision
    assert outcome.output == expected


OPERATORS: list[tuple[str, str, Any]] = [
    ("replace", "replace", {"card": "[REDACTED:CREDIT_CARD]", "other": "x"}),
    ("mask", "{type: mask, keep_last: 4}", {"card": "**** **** **** 1111", "other": "x"}),
    ("mask with char", "{type: mask, keep_last: 2, char: '#'}",
     {"card": "#### #### #### ##11", "other": "x"}),
    ("drop", "drop", {"card": "[REDACTED]", "other": "x"}),
    ("remove", "remove", {"other": "x"}),
]


@pytest.mark.parametrize(("name", "operator", "expected"), OPERATORS, ids=[o[0] for o in OPERATORS])
def test_operators(name: str, operator: str, expected: Any) -> None:
    rules = f"""
rules:
  - id: r
    entities: [CREDIT_CARD]
    decision: redact
    operator: {operator}
    reason: cards
"""
    output = {"card": CARD, "other": "x"}
    outcome = decide(result(output), find(output, CARD, "CREDIT_CARD"), policy(rules).policy, KEY)
    assert outcome.output == expected
    [redaction] = outcome.redactions
    assert (redaction.path, redaction.entity, redaction.action, redaction.rule_id,
            redaction.reason) == ("card", "CREDIT_CARD", name.split()[0], "r", "cards")


HASH_RULES = """
rules:
  - id: h
    entities: [EMAIL_ADDRESS]
    decision: redact
    operator: {type: hash, length: 12}
    reason: joinable
"""


def test_hash_tokens_are_stable_across_results_and_keyed() -> None:
    one = {"to": EMAIL}
    two = {"from": f"sent by {EMAIL}"}
    p = policy(HASH_RULES).policy
    a = decide(result(one), find(one, EMAIL, "EMAIL_ADDRESS"), p, KEY).output["to"]
    b = decide(result(two), find(two, EMAIL, "EMAIL_ADDRESS"), p, KEY).output["from"]
    assert a.startswith(f"[HASH:{KEY.key_id}:") and len(a.split(":")[2].rstrip("]")) == 12
    assert b == f"sent by {a}", "the same value gives the same token in another result"
    assert EMAIL not in a


def test_a_policy_naming_another_hash_key_fails_instead_of_hashing() -> None:
    p = policy(HASH_RULES.replace("length: 12", "key_id: someone-else")).policy
    with pytest.raises(ValueError, match="someone-else"):
        decide(result({"to": EMAIL}), find({"to": EMAIL}, EMAIL, "EMAIL_ADDRESS"), p, KEY)


def test_most_severe_matching_rule_wins_so_allow_never_hides_quarantine() -> None:
    rules = """
rules:
  - id: allow-internal
    when: {audience: [internal]}
    decision: allow
    reason: internal tools
  - id: creds
    entities: [CREDENTIAL]
    decision: quarantine
    reason: leak
"""
    output = {"k": "AKIA0000"}
    outcome = decide(result(output, audience="internal"), find(output, "AKIA0000", "CREDENTIAL"),
                     policy(rules).policy, KEY)
    assert outcome.decision is Decision.QUARANTINE
    assert outcome.ruled[0].rule_id == "creds"
    assert outcome.ruled[0].matched == ("allow-internal", "creds")


def test_among_equally_severe_rules_the_first_in_the_file_picks_the_operator() -> None:
    p = policy("""
rules:
  - {id: hash-internal, when: {audience: [internal]}, entities: [EMAIL_ADDRESS],
     decision: redact, operator: hash, reason: joins}
  - {id: replace-all, entities: [EMAIL_ADDRESS], decision: redact, operator: replace,
     reason: personal data}
""").policy
    out = {"e": EMAIL}
    internal = decide(result(out, audience="internal"), find(out, EMAIL, "EMAIL_ADDRESS"), p, KEY)
    customer = decide(result(out, audience="customer"), find(out, EMAIL, "EMAIL_ADDRESS"), p, KEY)
    assert internal.output["e"].startswith("[HASH:")
    assert customer.output["e"] == "[REDACTED:EMAIL_ADDRESS]"


def test_result_decision_is_the_most_severe_of_its_findings() -> None:
    p = policy("""
rules:
  - {id: ssn, entities: [US_SSN], decision: redact, operator: replace, reason: r}
  - {id: creds, entities: [CREDENTIAL], decision: quarantine, reason: q}
""").policy
    out = {"a": SSN, "b": "AKIA0000"}
    findings = find(out, SSN, "US_SSN") + find(out, "AKIA0000", "CREDENTIAL")
    outcome = decide(result(out), findings, p, KEY)
    assert outcome.decision is Decision.QUARANTINE
    assert outcome.output["a"] == "[REDACTED:US_SSN]", "quarantined output is still redacted"
    assert outcome.rule_ids == ("ssn", "creds")


@pytest.mark.parametrize(("defaults", "decision", "value"), [
    ("{decision: redact, operator: replace}", Decision.REDACT, "[REDACTED:URL]"),
    ("{decision: quarantine}", Decision.QUARANTINE, "see x.io"),
    ("{decision: allow}", Decision.ALLOW, "see x.io"),
])
def test_policy_default_covers_findings_no_rule_names(defaults: str, decision: Decision,
                                                      value: str) -> None:
    out = {"u": "see x.io"}
    outcome = decide(result(out), find(out, "x.io", "URL"), policy(f"defaults: {defaults}").policy,
                     KEY)
    assert outcome.decision is decision
    assert outcome.output["u"] == value.replace("[REDACTED:URL]", "see [REDACTED:URL]")
    assert outcome.rule_ids == ("policy-default",)


FIELDS = """
defaults: {decision: allow}
field_rules:
  - id: internal
    when: {audience: [customer, unspecified]}
    paths: ["*.internal_notes", "*.debug_trace"]
    reason: internal only
"""


@pytest.mark.parametrize(("audience", "removed"), [("customer", True), (None, True),
                                                   ("internal", False)])
def test_field_rules_remove_internal_fields_for_customer_outputs(audience: str | None,
                                                                 removed: bool) -> None:
    out = {"internal_notes": "n", "a": {"debug_trace": ["t"], "keep": 1},
           "list": [{"internal_notes": "m"}]}
    outcome = decide(result(out, audience=audience), [], policy(FIELDS).policy, KEY)
    if removed:
        assert outcome.output == {"a": {"keep": 1}, "list": [{}]}
        assert outcome.decision is Decision.REDACT
        assert {(r.path, r.entity, r.action, r.rule_id) for r in outcome.redactions} == {
            ("internal_notes", "FIELD", "remove", "internal"),
            ("a.debug_trace", "FIELD", "remove", "internal"),
            ("list[0].internal_notes", "FIELD", "remove", "internal")}
    else:
        assert outcome.output == out and outcome.decision is Decision.ALLOW


def test_overlapping_spans_are_redacted_by_the_operator_that_reveals_least() -> None:
    p = policy("""
rules:
  - {id: card, entities: [CREDIT_CARD], decision: redact, operator: mask, reason: r}
  - {id: phone, entities: [PHONE_NUMBER], decision: redact, operator: replace, reason: r}
""").policy
    out = {"t": "4111111111111111"}
    findings = find(out, "4111111111111111", "CREDIT_CARD") + find(out, "111111111111",
                                                                   "PHONE_NUMBER")
    assert decide(result(out), findings, p, KEY).output["t"] == "[REDACTED:PHONE_NUMBER]"


def test_removing_a_list_item_keeps_the_other_indices() -> None:
    p = policy("""
rules:
  - {id: r, entities: [US_SSN], decision: redact, operator: remove, reason: r}
""").policy
    out = {"ids": ["a", SSN, "b"]}
    assert decide(result(out), find(out, SSN, "US_SSN"), p, KEY).output == {"ids": ["a", None, "b"]}


def test_no_findings_and_no_field_rules_allows_the_output_unchanged() -> None:
    out = {"a": [1, {"b": "text"}]}
    outcome = decide(result(out), [], policy("").policy, KEY)
    assert (outcome.decision, outcome.output, outcome.redactions) == (Decision.ALLOW, out, ())
