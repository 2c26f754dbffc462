"""The shipped policies do what their descriptions promise, with the real detectors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from detectors import DetectorEngine
from policies import Decision, LoadedPolicy, decide, load_policy, shipped_policy_path
from policies.model import Policy
from tests.unit.policies.conftest import KEY, result

SSN, CARD = "457-55-5462", "4111 1111 1111 1111"
PATIENT = {
    "patient": {"name": "Maria Garcia", "email": "maria.garcia@example.com",
                "phone": "(303) 555-0142", "ssn": SSN, "card": CARD,
                "address": "1600 Pennsylvania Avenue, Denver, CO", "zip": "80202",
                "date_of_birth": "March 14, 1961", "age": "63 years old",
                "passport": "passport number 912803456"},
    "summary": "Maria Garcia visited the Denver clinic on March 3, 2024 and was seen by "
               "Dr. James Okafor.",
}
PERSONAL = ["Maria Garcia", "maria.garcia@example.com", "555-0142", SSN, CARD[-9:],
            "1600 Pennsylvania", "Denver", "80202", "March 14, 1961", "63 years",
            "912803456", "March 3, 2024", "James Okafor"]


def run(name: str, output: Any, **extra: Any) -> tuple[Decision, str]:
    loaded: LoadedPolicy = load_policy(shipped_policy_path(name))
    engine = DetectorEngine(entities=loaded.policy.scanned_entities())
    res = result(output, **extra)
    findings = engine.scan(res.output, res.tenant)
    outcome = decide(res, findings, loaded.policy, KEY)
    return outcome.decision, json.dumps(outcome.output)


def test_strict_redacts_every_personal_value_in_a_health_record() -> None:
    decision, released = run("strict", PATIENT, audience="internal")
    assert decision is Decision.REDACT
    assert [value for value in PERSONAL if value in released] == []


@pytest.mark.parametrize("name", ["default", "strict", "permissive"])
def test_every_policy_quarantines_credentials_and_other_tenants_data(name: str) -> None:
    creds, _ = run(name, {"log": "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"})
    assert creds is Decision.QUARANTINE
    other, _ = run(name, {"rows": [{"tenant_id": "globex", "total": 3}]}, tenant="acme")
    assert other is Decision.QUARANTINE


@pytest.mark.parametrize("name", ["default", "strict", "permissive"])
def test_ssns_and_cards_never_leave_in_full(name: str) -> None:
    decision, released = run(name, {"ssn": SSN, "card": CARD}, audience="customer")
    assert decision is Decision.REDACT
    assert SSN not in released and CARD not in released


def test_default_removes_internal_fields_for_customers_and_keeps_them_internally() -> None:
    output = {"answer": "ok", "internal_notes": "churn risk", "debug": {"debug_trace": "t"}}
    _, customer = run("default", output, audience="customer")
    _, internal = run("default", output, audience="internal")
    assert json.loads(customer) == {"answer": "ok", "debug": {}}
    assert json.loads(internal) == output


def test_permissive_lets_internal_tools_see_contact_details() -> None:
    output = {"email": "maria@example.com", "name": "Maria Garcia"}
    decision, released = run("permissive", output, audience="internal")
    assert decision is Decision.ALLOW and json.loads(released) == output


def test_permissive_and_default_never_need_ner() -> None:
    for name in ("default", "permissive"):
        policy: Policy = load_policy(shipped_policy_path(name)).policy
        assert not DetectorEngine(entities=policy.scanned_entities()).uses_ner
