"""The engine: JSON paths and spans, embedded JSON and key=value text, batching, NER gating,
entity selection and cross-tenant findings."""

from __future__ import annotations

import json

import pytest
from spacy.language import Language

from detectors import DetectorEngine, Finding


@pytest.fixture(scope="module")
def engine(nlp: Language) -> DetectorEngine:
    return DetectorEngine(nlp=nlp)


def _values(value: object, findings: list[Finding]) -> set[tuple[str, str, str]]:
    from detectors.walker import string_leaves
    texts = {leaf.path: leaf.text for leaf in string_leaves(value)}
    return {(f.entity, f.path, texts[f.path][f.start:f.end]) for f in findings if f.path in texts}


def test_findings_carry_the_json_path_and_the_span_inside_the_leaf(engine: DetectorEngine) -> None:
    output = {"response": {"customers": [{}, {}, {}, {"ssn": "219-09-9999",
                                                     "note": "mail jo@corp.example.com"}]}}
    assert _values(output, engine.scan(output)) >= {
        ("US_SSN", "response.customers[3].ssn", "219-09-9999"),
        ("EMAIL_ADDRESS", "response.customers[3].note", "jo@corp.example.com"),
    }


def test_embedded_json_uses_its_inner_keys_and_points_at_the_containing_leaf(
        engine: DetectorEngine) -> None:
    output = {"body": json.dumps({"user": {"ssn": "219099999", "api_token": "q8Zr2LmX0vT7nB4kW1yP"}})}
    found = _values(output, engine.scan(output))
    assert ("US_SSN", "body", "219099999") in found
    assert ("CREDENTIAL", "body", "q8Zr2LmX0vT7nB4kW1yP") in found


def test_key_value_text_is_scanned_with_its_keys(engine: DetectorEngine) -> None:
    output = {"log": "user=svc ssn=219099999 status=ok"}
    assert ("US_SSN", "log", "219099999") in _values(output, engine.scan(output))


def test_names_and_places_come_from_ner(engine: DetectorEngine) -> None:
    output = {"summary": "Yesterday Angela Merkel flew from Berlin to Paris."}
    entities = {(e, v) for e, _, v in _values(output, engine.scan(output))}
    assert {("PERSON", "Angela Merkel"), ("LOCATION", "Berlin"), ("LOCATION", "Paris")} <= entities


def test_ids_and_tokens_never_reach_ner(engine: DetectorEngine) -> None:
    output = {"id": "Order_8F3K2", "sku": "ABC-1234", "status": "shipped"}
    assert engine.scan(output) == []


def test_a_batch_gives_the_same_findings_as_one_by_one(engine: DetectorEngine) -> None:
    values = [{"a": "Call Maria Lopez at (415) 555-0132"}, "nothing here",
              ["ssn 219-09-9999", {"k": "in Lisbon since 2019"}], {"t": "tenant_id=other"}]
    tenants = ["acme", None, "acme", "acme"]
    assert engine.scan_batch(values, tenants) == [engine.scan(v, t)
                                                  for v, t in zip(values, tenants, strict=True)]


def test_without_person_or_location_the_model_is_not_loaded() -> None:
    engine = DetectorEngine(entities={"US_SSN", "CREDENTIAL"}, ner_model="no-such-model")
    assert not engine.uses_ner
    found = engine.scan({"n": "Angela Merkel, ssn 219-09-9999"})
    assert [f.entity for f in found] == ["US_SSN"]


def test_only_the_requested_entities_are_reported(nlp: Language) -> None:
    engine = DetectorEngine(entities={"PERSON"}, nlp=nlp)
    found = engine.scan({"n": "Angela Merkel wrote to jo@corp.example.com"})
    assert {f.entity for f in found} == {"PERSON"}


def test_another_tenants_identifier_is_flagged(engine: DetectorEngine) -> None:
    output = {"rows": [{"tenant_id": "acme", "v": 1}, {"tenant_id": "globex", "v": 2}],
              "raw": '{"org_id": "initech"}'}
    found = [f for f in engine.scan(output, tenant="acme") if f.entity == "CROSS_TENANT"]
    assert _values(output, found) == {("CROSS_TENANT", "rows[1].tenant_id", "globex"),
                                      ("CROSS_TENANT", "raw", "initech")}


def test_without_the_results_tenant_nothing_is_cross_tenant(engine: DetectorEngine) -> None:
    assert not [f for f in engine.scan({"tenant_id": "globex"}) if f.entity == "CROSS_TENANT"]


def test_tenant_field_names_are_configuration() -> None:
    engine = DetectorEngine(entities={"CROSS_TENANT"}, tenant_keys=("customer_org",))
    found = engine.scan({"customer_org": "globex", "tenant": "globex"}, tenant="acme")
    assert [f.path for f in found] == ["customer_org"]


def test_a_number_inside_a_phone_number_is_not_also_a_date(engine: DetectorEngine) -> None:
    output = {"m": "Lena Berg, call 0489 25 37 29"}
    entities = {e for e, _, _ in _values(output, engine.scan(output))}
    assert "DATE_TIME" not in entities and "PHONE_NUMBER" in entities


def test_a_lone_surrogate_beside_a_value_is_read_past_not_a_scan_error(
        engine: DetectorEngine) -> None:
    # JSON allows "\ud800"; the worker's decode dead-letters it, but the reviewer's edited
    # output and `afterguard scan` reach the engine with it. Before, the prefilter's UTF-8
    # encoding raised UnicodeEncodeError and the whole scan failed.
    output = {"note": "write to jane.doe@example.com \ud800 or call",
              "ssn": "\udfff 219-09-9999"}
    assert _values(output, engine.scan(output)) >= {
        ("EMAIL_ADDRESS", "note", "jane.doe@example.com"), ("US_SSN", "ssn", "219-09-9999")}
