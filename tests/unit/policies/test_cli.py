"""`afterguard policy check|explain` and `afterguard scan`, as a user runs them (no Kafka)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from click.testing import CliRunner

from policies import shipped_policy_path
from streams.cli import main

SSN = "457-55-5462"
CARD = "4111 1111 1111 1111"
DEFAULT = str(shipped_policy_path("default"))


@pytest.fixture(autouse=True)
def hash_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path / "hash.key"
    key.write_text(secrets.token_hex(32))
    monkeypatch.setenv("AFTERGUARD_HASH_KEY_FILE", str(key))


def doc(job_id: str, output: object, **extra: object) -> dict[str, object]:
    return {"job_id": job_id, "agent_id": "support-agent-7", "action": "job.support.lookup",
            "output": output, **extra}


def test_check_prints_the_snapshot() -> None:
    out = CliRunner().invoke(main, ["policy", "check", DEFAULT])
    assert out.exit_code == 0
    assert "valid, snapshot 2026.11.1:" in out.output


def test_check_names_file_line_and_field_and_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('version: "1"\nrules:\n  - id: a\n    decision: maybe\n    reason: r\n')
    out = CliRunner().invoke(main, ["policy", "check", str(bad)])
    assert out.exit_code == 1
    assert f"{bad}:4: rules[0].decision:" in out.output


def test_explain_shows_findings_rules_decision_and_redacted_output_never_values(
        tmp_path: Path) -> None:
    result = tmp_path / "r.json"
    result.write_text(json.dumps(doc("j1", {"ssn": SSN, "card": CARD, "internal_notes": "x"},
                                     audience="customer")))
    out = CliRunner().invoke(main, ["policy", "explain", DEFAULT, "--result", str(result)])
    assert out.exit_code == 0, out.output
    text = out.output
    assert "decision REDACT" in text
    assert "US_SSN" in text and "ssn-redact" in text and "card-mask" in text
    assert "internal-fields: remove internal_notes" in text
    assert "**** **** **** 1111" in text
    assert SSN not in text and CARD not in text


def test_explain_json_names_matched_rules_per_finding(tmp_path: Path) -> None:
    result = tmp_path / "r.json"
    result.write_text(json.dumps(doc("j1", {"key": "AKIAIOSFODNN7EXAMPLE"})))
    out = CliRunner().invoke(main, ["policy", "explain", DEFAULT, "--result", str(result),
                                    "--json"])
    report = json.loads(out.output)
    assert report["decision"] == "QUARANTINE"
    assert [(f["entity"], f["rule_id"]) for f in report["findings"]] == [
        ("CREDENTIAL", "credentials-quarantine")]
    assert "AKIAIOSFODNN7EXAMPLE" not in json.dumps(report["findings"])


def test_explain_quarantines_a_result_of_too_many_values_as_the_worker_does(
        tmp_path: Path) -> None:
    result = tmp_path / "r.json"
    result.write_text(json.dumps(doc("j1", [""] * 20_001)))
    out = CliRunner().invoke(main, ["policy", "explain", DEFAULT, "--result", str(result),
                                    "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert (report["decision"], report["reasons"]) == ("QUARANTINE", ["too_many_values"])


def test_explain_rejects_a_result_that_is_not_an_action_result(tmp_path: Path) -> None:
    result = tmp_path / "r.json"
    result.write_text('{"job_id": "j"}')
    out = CliRunner().invoke(main, ["policy", "explain", DEFAULT, "--result", str(result)])
    assert out.exit_code == 1
    assert "missing required field 'agent_id'" in out.output


def test_scan_writes_decisions_and_reports_bad_lines(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([
        json.dumps(doc("j1", {"ssn": SSN})),
        "not json",
        "",
        json.dumps(doc("j2", "nothing to see")),
        json.dumps({"job_id": "j3"}),
        json.dumps(doc("j4", {"token": "AKIAIOSFODNN7EXAMPLE"})),
    ]) + "\n")
    target = tmp_path / "out.jsonl"
    out = CliRunner().invoke(main, ["scan", "--policy", DEFAULT, str(source), "-o", str(target)])
    decisions = [json.loads(line) for line in target.read_text().splitlines()]
    assert [(d["job_id"], d["decision"]) for d in decisions] == [
        ("j1", "REDACT"), ("j2", "ALLOW"), ("j4", "QUARANTINE")]
    assert decisions[0]["output"] == {"ssn": "[REDACTED:US_SSN]"}
    assert all(d["policy_snapshot"].startswith("2026.11.1:") for d in decisions)
    assert f"{source}:2: the value is not JSON" in out.output
    assert f"{source}:5: missing required field 'agent_id'" in out.output
    assert "3 decided (1 ALLOW, 1 REDACT, 1 QUARANTINE); 2 bad lines" in out.output
    assert out.exit_code == 1


def test_scan_to_stdout_with_a_clean_file_exits_zero(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(doc("j1", "hello")) + "\n")
    out = CliRunner().invoke(main, ["scan", "--policy", DEFAULT, str(source)])
    assert out.exit_code == 0
    assert json.loads(out.stdout.splitlines()[0])["decision"] == "ALLOW"


def test_scan_decides_every_valid_line_around_poison_lines(tmp_path: Path) -> None:
    """A 4,301-digit integer, nesting 1,000 and 5,000 deep, invalid UTF-8 and a line over the
    record limit are reported by line number; every valid line of the file is still decided."""
    source = tmp_path / "in.jsonl"
    poison = [
        b'{"job_id": "p1", "agent_id": "a", "action": "x", "output": ' + b"1" * 4301 + b"}",
        b'{"job_id": "p2", "agent_id": "a", "action": "x", "output": '
        + b"[" * 1000 + b"]" * 1000 + b"}",
        b'{"job_id": "p3", "agent_id": "a", "action": "x", "output": ' + b'{"a":' * 5000
        + b"1" + b"}" * 5000 + b"}",
        b'{"job_id": "p4", "agent_id": "a", "action": "x", "output": "\xff\xfe"}',
    ]
    lines = []
    for n, bad in enumerate(poison):
        lines += [json.dumps(doc(f"ok{n}", {"ssn": SSN})).encode(), bad]
    lines.append(json.dumps(doc("last", "fine")).encode())
    source.write_bytes(b"\n".join(lines) + b"\n")
    target = tmp_path / "out.jsonl"
    out = CliRunner().invoke(main, ["scan", "--policy", DEFAULT, str(source), "-o", str(target)])
    decisions = [json.loads(line) for line in target.read_text().splitlines()]
    assert [d["job_id"] for d in decisions] == ["ok0", "ok1", "ok2", "ok3", "last"]
    assert f"{source}:2: the value holds a number over" in out.output
    assert f"{source}:4: the value is nested 1001 levels deep" in out.output
    assert f"{source}:6: the value is nested 5001 levels deep" in out.output
    assert f"{source}:8: the value is not UTF-8 text" in out.output
    assert "5 decided (1 ALLOW, 4 REDACT, 0 QUARANTINE); 4 bad lines" in out.output
    assert out.exit_code == 1
    assert "Traceback" not in out.output


def test_scan_reports_a_line_over_the_record_limit_without_reading_it_whole(
        tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("version: t1\nlimits: {max_record_bytes: 4096, max_payload_bytes: 1024}\n")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(doc("huge", "a" * 100_000)) + "\n"
                      + json.dumps(doc("small", "b")) + "\n")
    out = CliRunner().invoke(main, ["scan", "--policy", str(policy), str(source)])
    assert [json.loads(line)["job_id"] for line in out.stdout.splitlines()] == ["small"]
    assert f"{source}:1: the line is over 4096 bytes" in out.output
    assert out.exit_code == 1


def test_scan_with_a_policy_that_does_not_load_exits_2(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("version: t1\nlimits: {max_depth: 5000}\n")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(doc("j", "b")) + "\n")
    out = CliRunner().invoke(main, ["scan", "--policy", str(policy), str(source)])
    assert out.exit_code == 2 and "limits.max_depth" in out.output


def test_explain_names_the_trust_bindings_of_the_input_topic(tmp_path: Path) -> None:
    """An agent on a customer-facing topic that claims `internal` is explained as customer."""
    result = tmp_path / "r.json"
    result.write_text(json.dumps(doc("j1", {"note": "mail ann@example.com", "internal_notes": "x"},
                                     audience="internal")))
    out = CliRunner().invoke(main, ["policy", "explain", DEFAULT, "--result", str(result),
                                    "--topic", "agent.customer.support"])
    assert out.exit_code == 0, out.output
    assert ("trust    bound by customer-facing: audience customer, risk tags -; with the "
            "agent's claims (they only tighten): audience internal") in out.output
    assert "internal-fields: remove internal_notes" in out.output
    assert "[REDACTED:EMAIL_ADDRESS]" in out.output
    internal = CliRunner().invoke(main, ["policy", "explain", DEFAULT, "--result", str(result),
                                         "--topic", "agent.internal.ops", "--json"])
    report = json.loads(internal.output)
    assert report["trust"]["bindings"] == ["internal-tools"]
    assert "internal_notes" in report["output"]


def test_explain_refuses_a_poison_result_with_a_reason_not_a_traceback(tmp_path: Path) -> None:
    result = tmp_path / "r.json"
    result.write_bytes(b'{"job_id": "j", "agent_id": "a", "action": "x", "output": '
                       + b"[" * 5000 + b"]" * 5000 + b"}")
    out = CliRunner().invoke(main, ["policy", "explain", DEFAULT, "--result", str(result)])
    assert out.exit_code == 1 and "nested 5001 levels deep" in out.output
    assert out.exception is None or isinstance(out.exception, SystemExit)
