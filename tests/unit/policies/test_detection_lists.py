"""Allow lists, deny lists and custom patterns in the policy: what users of every scanner ask
for first (numeric IDs flagged as phone numbers, known test keys, the company's own support
address, code names that must never leave)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from click.testing import CliRunner

from detectors import Finding
from policies import Decision, PolicyError, decide
from policies.explain import explain, render
from streams.cli import main
from streams.worker.policy_reload import engine_for
from tests.unit.policies.conftest import KEY, find, policy, result

RULES = """
rules:
  - id: credentials
    entities: [CREDENTIAL]
    decision: quarantine
    reason: leak
  - id: contact
    entities: [EMAIL_ADDRESS, PHONE_NUMBER]
    decision: redact
    operator: replace
    reason: contact
  - id: code-names
    entities: [CODE_NAME]
    decision: quarantine
    reason: internal project
"""

LISTS = RULES + r"""
detection:
  entities: [CREDENTIAL, EMAIL_ADDRESS, PHONE_NUMBER]
  allow:
    - id: support-address
      values: [support@acme.example]
      ignore_case: true
      entities: [EMAIL_ADDRESS]
      reason: Our own support address is public.
    - id: stripe-test-keys
      patterns: ['sk_test_[0-9A-Za-z]{24}']
      entities: [CREDENTIAL]
      reason: Stripe test-mode keys move no money.
    - id: order-numbers
      patterns: ['[0-9]{3}-[0-9]{3}-[0-9]{4}']
      entities: [PHONE_NUMBER]
      paths: ['*.order_ref']
      reason: Order references look like phone numbers.
  deny:
    - id: projects
      entity: CODE_NAME
      terms: [Bluebird, db-prod-7.corp.internal]
      reason: Code names and internal hosts never leave.
  patterns:
    - id: employee-id
      entity: EMPLOYEE_ID
      regex: '\bEMP-([0-9]{6})\b'
      context: [employee, staff]
      requires_context: true
      score: 0.7
      validator: digits
      reason: Employee numbers.
"""


def test_an_allowed_value_reaches_no_rule_and_is_shown_as_allowed() -> None:
    loaded = policy(LISTS)
    output = {"reply": "Write to Support@Acme.example or to jane@corp.example"}
    findings = (find(output, "Support@Acme.example", "EMAIL_ADDRESS")
                + find(output, "jane@corp.example", "EMAIL_ADDRESS"))
    outcome = decide(result(output), findings, loaded.policy, KEY)
    assert outcome.output == {"reply": "Write to Support@Acme.example or to "
                                       "[REDACTED:EMAIL_ADDRESS]"}
    assert [(a.allow_id, a.finding.entity) for a in outcome.allowed] == [
        ("support-address", "EMAIL_ADDRESS")]
    text = render(explain(result(output), findings, loaded, KEY, 100))
    allowed_section = text.split("allowed by the policy's allow lists (1)")[1].split("\n\n")[0]
    assert "allowed by support-address" in allowed_section
    assert "Support@Acme.example" not in allowed_section  # where, never the value


def test_a_known_test_key_is_allowed_but_a_live_key_still_quarantines() -> None:
    loaded = policy(LISTS)
    test_key, live_key = "sk_test_" + "a1B2" * 6, "sk_live_" + "a1B2" * 6
    for key, decision in ((test_key, Decision.ALLOW), (live_key, Decision.QUARANTINE)):
        output = {"config": f"STRIPE_KEY={key}"}
        outcome = decide(result(output), find(output, key, "CREDENTIAL"), loaded.policy, KEY)
        assert outcome.decision is decision


def test_an_allow_entry_holds_only_for_its_entities_and_paths() -> None:
    loaded = policy(LISTS)
    output = {"order_ref": "415-555-0132", "note": "call 415-555-0132"}
    findings = find(output, "415-555-0132", "PHONE_NUMBER")
    outcome = decide(result(output), findings, loaded.policy, KEY)
    assert [a.finding.path for a in outcome.allowed] == ["order_ref"]
    assert outcome.output == {"order_ref": "415-555-0132", "note": "call [REDACTED:PHONE_NUMBER]"}
    as_credential = find(output, "415-555-0132", "CREDENTIAL")
    assert decide(result(output), as_credential, loaded.policy, KEY).allowed == ()


def test_deny_terms_and_custom_patterns_are_detected_by_the_policys_engine() -> None:
    loaded = policy(LISTS)
    engine = engine_for(loaded)
    output = {"summary": "Migrated bluebird to DB-PROD-7.corp.internal for staff EMP-004211",
              "ticket": "EMP-123456 was closed", "bluebirds": "not a whole word: bluebirds"}
    found = {(f.entity, f.path, f.detector) for f in engine.scan(output)}
    assert ("CODE_NAME", "summary", "policy-deny:projects") in found
    assert ("EMPLOYEE_ID", "summary", "policy-pattern:employee-id") in found
    assert not any(path in ("ticket", "bluebirds") for _, path, _ in found)
    assert decide(result(output), engine.scan(output), loaded.policy, KEY).decision is (
        Decision.QUARANTINE)


def test_a_custom_patterns_key_is_evidence() -> None:
    engine = engine_for(policy(LISTS))
    findings = engine.scan({"employee": "EMP-004211"})
    assert [(f.entity, f.start, f.end) for f in findings] == [("EMPLOYEE_ID", 4, 10)]


def test_lists_are_part_of_the_snapshot_hash() -> None:
    base = policy(LISTS)
    changed = policy(LISTS.replace("support@acme.example", "help@acme.example"))
    reformatted = policy(LISTS.replace("ignore_case: true", "ignore_case: yes"))
    assert base.content_hash != changed.content_hash
    assert base.content_hash == reformatted.content_hash


@pytest.mark.parametrize(("regex", "message"), [
    (r"(?<!\d)[0-9]{6}", "lookaround is not allowed"),
    (r"(\w)\1", "a backreference is not allowed"),
    (r"(a+)+b", "a repetition inside an unbounded repetition"),
    (r"[0-9]{1,5000}", "at most 1000 times"),
    (r"x*", "matches the empty string"),
    (r"(", "not a regular expression"),
])
def test_patterns_that_could_run_in_more_than_linear_time_are_refused(
        regex: str, message: str) -> None:
    body = (f"detection:\n  patterns:\n    - id: p\n      entity: X\n      regex: '{regex}'\n"
            f"      reason: r\n")
    with pytest.raises(PolicyError) as err:
        policy(body)
    assert message in str(err.value) and "detection.patterns[0].regex" in str(err.value)
    with pytest.raises(PolicyError) as err:
        policy(f"detection:\n  allow:\n    - id: a\n      patterns: ['{regex}']\n"
               f"      reason: r\n")
    assert message in str(err.value)


def test_check_lists_the_policys_lists_and_explain_names_the_entries(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch
                                                                     ) -> None:
    key = tmp_path / "hash.key"
    key.write_text(secrets.token_hex(32))
    monkeypatch.setenv("AFTERGUARD_HASH_KEY_FILE", str(key))
    file = tmp_path / "p.yaml"
    file.write_text('version: "t1"\n' + LISTS)
    out = CliRunner().invoke(main, ["policy", "check", str(file)])
    assert out.exit_code == 0, out.output
    assert "allow lists: support-address, stripe-test-keys, order-numbers" in out.output
    assert "deny lists: projects (CODE_NAME)" in out.output
    assert "custom patterns: employee-id (EMPLOYEE_ID)" in out.output
    doc = tmp_path / "r.json"
    doc.write_text(json.dumps({"job_id": "j", "agent_id": "a", "action": "job.x",
                               "output": {"reply": "mail support@acme.example about Bluebird"}}))
    out = CliRunner().invoke(main, ["policy", "explain", str(file), "--result", str(doc),
                                    "--json"])
    assert out.exit_code == 0, out.output
    shown = json.loads(out.output)
    assert shown["decision"] == "QUARANTINE"
    assert [a["allow_id"] for a in shown["allowed"]] == ["support-address"]
    assert [f["detector"] for f in shown["findings"]] == ["policy-deny:projects"]


def test_an_allow_entry_needs_something_to_allow() -> None:
    with pytest.raises(PolicyError, match="needs values or patterns"):
        policy("detection:\n  allow:\n    - id: a\n      reason: r\n")


def test_findings_of_a_value_too_long_for_an_allow_pattern_are_kept() -> None:
    loaded = policy("detection:\n  allow:\n    - id: a\n      patterns: ['a+']\n"
                    "      reason: r\n")
    output = {"t": "a" * 5000}
    finding = Finding(entity="X", path="t", start=0, end=5000, score=1.0, detector="d")
    assert decide(result(output), [finding], loaded.policy, KEY).allowed == ()


def test_phone_regions_choose_the_national_formats_read() -> None:
    text = {"note": "office 0961-7596216"}
    german = engine_for(policy("detection:\n  phone_regions: [DE]\n"))
    us_only = engine_for(policy("detection:\n  phone_regions: [US]\n"))
    assert any(f.detector == "phone-number-regions" for f in german.scan(text))
    assert not any(f.detector == "phone-number-regions" for f in us_only.scan(text))
    with pytest.raises(PolicyError, match="not a region libphonenumber knows"):
        policy("detection:\n  phone_regions: [XX]\n")


OFFICE = r"""
rules:
  - id: places
    entities: [LOCATION]
    decision: redact
    operator: replace
    reason: addresses
detection:
  entities: [LOCATION]
  allow:
    - id: our-office
      values: ['12 Harbour Road, Leith, Edinburgh EH6 6LY']
      entities: [LOCATION]
      reason: Our office's postal address is public.
"""


@pytest.mark.parametrize("reply", [
    "Visit us at 12 Harbour Road, Leith, Edinburgh EH6 6LY any weekday.",
    "Our office:\n12 Harbour Road\nLeith\nEdinburgh EH6 6LY",
    "Our office:\n  12 Harbour Road,\n  Leith, Edinburgh  EH6 6LY\n",
])
def test_the_companys_own_postal_address_is_allowed_however_it_is_written(reply: str) -> None:
    """Detectors report an address in pieces or with line breaks where the allowed value has
    commas; every finding inside an occurrence of the allowed value is allowed."""
    loaded = policy(OFFICE)
    output = {"reply": reply}
    findings = engine_for(loaded).scan(output)
    assert findings, "the address is found before the allow list applies"
    outcome = decide(result(output), findings, loaded.policy, KEY)
    assert outcome.output == output
    assert {a.allow_id for a in outcome.allowed} == {"our-office"}


def test_an_allowed_address_does_not_release_another_one_beside_it() -> None:
    loaded = policy(OFFICE)
    output = {"reply": "Ship to:\n44 Ferry Road\nLeith\nEdinburgh EH6 4AE\n\n"
                       "Returns: 12 Harbour Road, Leith, Edinburgh EH6 6LY."}
    outcome = decide(result(output), engine_for(loaded).scan(output), loaded.policy, KEY)
    released = outcome.output["reply"]
    assert "44 Ferry Road" not in released and "EH6 4AE" not in released
    assert "12 Harbour Road, Leith, Edinburgh EH6 6LY" in released


def test_an_allowed_value_covers_a_finding_inside_it_not_one_around_it() -> None:
    loaded = policy(LISTS)
    output = {"reply": "mail support@acme.example or support@acme.example.evil.test"}
    inside = Finding(entity="EMAIL_ADDRESS", path="reply", start=13, end=25, score=0.9,
                     detector="test")  # `acme.example` inside the allowed address
    around = find(output, "support@acme.example.evil.test", "EMAIL_ADDRESS")
    outcome = decide(result(output), [inside, *around], loaded.policy, KEY)
    assert [a.finding.start for a in outcome.allowed] == [13]
    assert outcome.output == {"reply": "mail support@acme.example or [REDACTED:EMAIL_ADDRESS]"}


@pytest.mark.parametrize(("old", "new"), [
    ("support@acme.example]", "support@acme.example, help@acme.example]"),
    ("entities: [EMAIL_ADDRESS]\n      reason: Our", "entities: [EMAIL_ADDRESS, URL]\n      reason: Our"),
    ("paths: ['*.order_ref']", "paths: ['*.order_ref', '*.ref']"),
    ("'sk_test_[0-9A-Za-z]{24}'", "'sk_test_[0-9A-Za-z]{32}'"),
    ("terms: [Bluebird,", "terms: [Redwing, Bluebird,"),
    ("entity: CODE_NAME", "entity: PROJECT"),
    ("context: [employee, staff]", "context: [employee]"),
    ("validator: digits", "validator: luhn"),
    ("requires_context: true", "requires_context: false"),
    ("  allow:", "  phone_regions: [GB]\n  allow:"),
])
def test_every_detection_setting_is_in_the_snapshot_hash(old: str, new: str) -> None:
    assert old in LISTS
    assert policy(LISTS).content_hash != policy(LISTS.replace(old, new, 1)).content_hash


@pytest.mark.parametrize(("validator", "kept", "dropped"), [
    ("luhn", "ACCT-4111111111111111", "ACCT-4111111111111112"),
    ("entropy", "ACCT-q8Zr2LmX5vTn", "ACCT-aaaaaaaaaaaa"),
    ("digits", "ACCT-ab12", "ACCT-abcd"),
])
def test_a_custom_patterns_validator_decides(validator: str, kept: str, dropped: str) -> None:
    loaded = policy("detection:\n  entities: []\n  patterns:\n    - id: acct\n"
                    "      entity: ACCOUNT_REF\n      regex: 'ACCT-([0-9A-Za-z]+)'\n"
                    f"      validator: {validator}\n      reason: r\n")
    engine = engine_for(loaded)
    assert [f.detector for f in engine.scan({"t": f"ref {kept}"})] == ["policy-pattern:acct"]
    assert engine.scan({"t": f"ref {dropped}"}) == []


def test_an_allow_entry_releases_a_deny_term_on_its_paths_only() -> None:
    loaded = policy(LISTS.replace("  deny:", "    - id: release-notes\n      values: [Bluebird]\n"
                                  "      entities: [CODE_NAME]\n      paths: ['release_notes']\n"
                                  "      reason: Announced.\n  deny:", 1))
    output = {"release_notes": "Bluebird ships today", "internal": "Bluebird is late"}
    outcome = decide(result(output), engine_for(loaded).scan(output), loaded.policy, KEY)
    assert [(a.allow_id, a.finding.path) for a in outcome.allowed] == [
        ("release-notes", "release_notes")]
    assert outcome.decision is Decision.QUARANTINE  # the internal mention still quarantines


def test_explain_names_a_custom_patterns_entry() -> None:
    loaded = policy(LISTS)
    output = {"summary": "handed to staff EMP-004211"}
    text = render(explain(result(output), engine_for(loaded).scan(output), loaded, KEY, 100))
    assert "policy-pattern:employee-id" in text and "EMPLOYEE_ID" in text
    assert "004211" not in text
