"""Malformed policies each give a precise error naming the file, the line and the field; the
snapshot changes with meaning, never with formatting; the shipped policies load."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies import PolicyError, load_policy, parse_policy, shipped_policy_path

GOOD = shipped_policy_path("default").read_text()


def error(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "p.yaml")
    return caught.value


RULE_ERRORS = [
    # (case, yaml, line, field, message fragment)
    ("bad decision", "rules:\n  - id: a\n    decision: maybe\n    reason: r\n", 3,
     "rules[0].decision", "ALLOW"),
    ("redact without operator", "rules:\n  - id: a\n    decision: redact\n    reason: r\n", 2,
     "rules[0]", "needs an operator"),
    ("operator without redact",
     "rules:\n  - id: a\n    decision: allow\n    operator: mask\n    reason: r\n", 2,
     "rules[0]", "operator given but decision is ALLOW"),
    ("unknown operator",
     "rules:\n  - id: a\n    decision: redact\n    operator: shred\n    reason: r\n", 4,
     "rules[0].operator", "shred"),
    ("mask keeps too much", ("rules:\n  - id: a\n    decision: redact\n"
     "    operator: {type: mask, keep_last: 40}\n    reason: r\n"), 4,
     "rules[0].operator.keep_last", "less than or equal to 16"),
    ("typo in a key", "rules:\n  - id: a\n    decison: allow\n    reason: r\n", 3,
     "rules[0].decison", "Extra inputs"),
    ("missing reason", "rules:\n  - id: a\n    decision: allow\n", 2, "rules[0].reason",
     "Field required"),
    ("score above one",
     "rules:\n  - id: a\n    min_score: 1.5\n    decision: allow\n    reason: r\n", 3,
     "rules[0].min_score", "less than or equal to 1"),
    ("lower-case entity",
     "rules:\n  - id: a\n    entities: [us_ssn]\n    decision: allow\n    reason: r\n", 3,
     "rules[0].entities[0]", "pattern"),
    ("bad audience", ("rules:\n  - id: a\n    when: {audience: [public]}\n    decision: allow\n"
     "    reason: r\n"), 3, "rules[0].when.audience[0]", "internal"),
    ("duplicate rule id", ("rules:\n  - {id: a, decision: allow, reason: r}\n"
     "  - {id: a, decision: allow, reason: r}\n"), 3, "rules[1].id", "used twice"),
    ("field rule without paths", "field_rules:\n  - id: f\n    paths: []\n    reason: r\n", 3,
     "field_rules[0].paths", "at least 1"),
    ("field rule masks", ("field_rules:\n  - id: f\n    paths: [a]\n    operator: mask\n"
     "    reason: r\n"), 4, "field_rules[0].operator", "'remove', 'drop'"),
    ("timeout zero", "limits:\n  scan_timeout_ms: 0\n", 2, "limits.scan_timeout_ms",
     "greater than 0"),
    ("entities not a list", "detection:\n  entities: CREDENTIAL\n", 2, "detection.entities",
     "tuple"),
    ("duplicate key", "rules: []\nlimits: {}\nrules: []\n", 3, "rules", "given twice"),
]


@pytest.mark.parametrize(("case", "body", "line", "field", "fragment"), RULE_ERRORS,
                         ids=[c[0] for c in RULE_ERRORS])
def test_malformed_rules_name_line_and_field(case: str, body: str, line: int, field: str,
                                             fragment: str) -> None:
    exc = error('version: "1"\n' + body)
    [problem] = [p for p in exc.problems if p.field == field]
    assert (problem.file, problem.line) == ("p.yaml", line + 1)
    assert fragment in problem.message
    assert f"p.yaml:{line + 1}: {field}: " in str(exc)


def replaced(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


SECTION_ERRORS = [
    ("secret in the policy", "key: {id: sampling-key-1, env: AFTERGUARD_SAMPLING_KEY}",
     "key: {id: k, secret: abc}", "sampling.key", "never holds the secret"),
    ("key with env and file", "key: {id: sampling-key-1, env: AFTERGUARD_SAMPLING_KEY}",
     "key: {id: k, env: K, file: /k}", "sampling.key", "exactly one of env or file"),
    ("base rate above one", "base_rate: 0.02", "base_rate: 2", "sampling.base_rate",
     "less than or equal to 1"),
    ("unknown combination", "combine: max", "combine: average", "sampling.combine", "'max'"),
    ("budget for an unknown group", "    security-team: {max_samples: 50, window: 1h}",
     "    security-teem: {max_samples: 50, window: 1h}", "sampling.budgets.security-teem",
     "not a reviewer group"),
    ("bad window", "ops-review: {max_samples: 200, window: 1h}",
     "ops-review: {max_samples: 200, window: soon}", "sampling.budgets.ops-review.window",
     "not a duration"),
    ("route to an unknown group", "      group: finance-approvers",
     "      group: finance", "routing.rules[1].group", "not a reviewer group"),
    ("unknown default group", "default_group: ops-review", "default_group: ops",
     "routing.default_group", "not a reviewer group"),
    ("unknown escalation group", "escalation_group: review-leads", "escalation_group: leads",
     "routing.escalation_group", "not a reviewer group"),
    ("escalation without a group", "  escalation_group: review-leads\n", "",
     "review.escalate_after", "routing.escalation_group"),
    ("p95 under the median", "target_wait: {median: 15m, p95: 2h}",
     "target_wait: {median: 15m, p95: 5m}", "review.target_wait", "p95"),
    ("high risk auto-approves", "high: {after: 8h, action: auto-reject}",
     "high: {after: 8h, action: auto-approve}", "review.timeouts", "must not be auto-approved"),
    ("unknown timeout action", "medium: {after: 24h, action: escalate}",
     "medium: {after: 24h, action: ignore}", "review.timeouts.medium.action", "auto-reject"),
    ("second review rate", "second_review_rate: 0.05", "second_review_rate: 5",
     "review.fatigue.second_review_rate", "less than or equal to 1"),
    ("level misnamed", "      name: assisted", "      name: helper",
     "autonomy.levels[1]", "level 1 is called 'assisted'"),
    ("promotion without sign-off", "max_error_rate: 0.05, confidence: 0.95,",
     "max_error_rate: 0.05, confidence: 0.95, human_signoff: false,",
     "autonomy.levels[2].promotion.human_signoff", "True"),
    ("higher level allows more errors", "max_error_rate: 0.02", "max_error_rate: 0.2",
     "autonomy.levels", "larger error rate"),
    ("demotion below promotion", "error_rate_above: 0.15", "error_rate_above: 0.05",
     "autonomy", "flap"),
]


@pytest.mark.parametrize(("case", "old", "new", "field", "fragment"), SECTION_ERRORS,
                         ids=[c[0] for c in SECTION_ERRORS])
def test_malformed_sections_name_line_and_field(case: str, old: str, new: str, field: str,
                                                fragment: str) -> None:
    text = replaced(old, new)
    exc = error(text)
    assert exc.field == field, str(exc)
    assert fragment in exc.message, str(exc)
    assert exc.line is not None and 1 <= exc.line <= len(text.splitlines())
    last_key = field.split(".")[-1].split("[")[0]
    assert last_key in text.splitlines()[exc.line - 1] or "[" in field.split(".")[-1]


def test_every_problem_is_reported_not_just_the_first() -> None:
    exc = error('version: "1"\nrules:\n  - {id: a, decision: maybe, reason: r}\n'
                "limits: {scan_timeout_ms: -1}\n")
    assert [(p.line, p.field) for p in exc.problems] == [(3, "rules[0].decision"),
                                                         (4, "limits.scan_timeout_ms")]


@pytest.mark.parametrize(("text", "line", "field"), [
    ("version: '1'\nrules: [\n", 3, "(yaml)"),
    ("- just\n- a list\n", 1, "(document)"),
    ("rules: []\n", 1, "version"),
    ("version: 'a:b'\n", 1, "version"),
])
def test_unusable_documents(text: str, line: int, field: str) -> None:
    exc = error(text)
    assert (exc.line, exc.field) == (line, field)


def test_unreadable_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="missing.yaml: \\(file\\): cannot read"):
        load_policy(tmp_path / "missing.yaml")


def test_snapshot_ignores_formatting_and_comments_but_not_rules() -> None:
    base = parse_policy(GOOD, "a").snapshot
    reformatted = "# comment\n" + GOOD.replace("\n\n", "\n\n  # note\n\n")
    assert parse_policy(reformatted, "b").snapshot == base
    changed = parse_policy(GOOD.replace("keep_last: 4}", "keep_last: 3}", 1), "c").snapshot
    assert changed != base and changed.split(":")[0] == base.split(":")[0]


@pytest.mark.parametrize("name", ["default", "strict", "permissive"])
def test_shipped_policies_load_with_every_section(name: str) -> None:
    p = load_policy(shipped_policy_path(name)).policy
    assert p.name == name
    assert None not in (p.sampling, p.routing, p.review, p.autonomy)


def test_scanned_entities_include_every_entity_a_rule_names() -> None:
    p = parse_policy('version: "1"\ndetection: {entities: [US_SSN]}\nrules:\n'
                     "  - {id: a, entities: [PERSON], decision: allow, reason: r}\n", "p").policy
    assert p.scanned_entities() == {"US_SSN", "PERSON"}
    assert load_policy(shipped_policy_path("strict")).policy.scanned_entities() is None
    permissive = load_policy(shipped_policy_path("permissive")).policy.scanned_entities()
    assert permissive is not None and "PERSON" not in permissive
