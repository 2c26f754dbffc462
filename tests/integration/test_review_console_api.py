"""The checks behind the review console's controls, through the service's HTTP API (what a
script or a tampered page would send): the page's rules are the API's rules."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from streams.cli import main
from streams.config import Topics
from tests.kafka_io import collect, produce
from tests.review_service import (
    SIGNED_ITEM,
    ServiceFactory,
    queued,
    review_item,
    write_policy,
)
from tests.reviewer_credentials import MintingIssuer

pytestmark = pytest.mark.integration


def post(url: str, path: str, body: dict[str, Any], token: str) -> tuple[int, dict[str, Any]]:
    """One POST as the console sends it: JSON, bearer token. Status and JSON answer."""
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_reject_modify_and_release_raw_without_a_comment_are_refused_by_the_api(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path, release_raw=True))
    url, token = service.client.url, service.client.token("ann")
    queued(kafka_bootstrap, topics, service, [1])
    verdict = "/review/items/rv-1/verdict"
    edited = {"log": "held output, checked"}
    for body in ({"verdict": "reject"}, {"verdict": "reject", "comment": None},
                 {"verdict": "reject", "comment": "  \n "},
                 {"verdict": "modify", "modified_output": edited},
                 {"verdict": "release_raw", "comment": ""}):
        status, answer = post(url, verdict, body, token)
        assert status == 422, (body, answer)
        assert answer["error"] == f"a comment is required to {body['verdict']}: say why in " \
                                  "`comment`"
    assert service.client.show("rv-1")["outcome"] is None, "the item is still undecided"
    status, answer = post(url, verdict, {"verdict": "modify", "modified_output": edited,
                                         "comment": "debug line removed"}, token)
    for _ in range(100):  # a release needs the held result at the service first
        if status != 409 or "not reached the review service" not in answer["error"]:
            break
        time.sleep(0.3)
        status, answer = post(url, verdict, {"verdict": "modify", "modified_output": edited,
                                             "comment": "debug line removed"}, token)
    assert status == 200, answer
    seen = collect(kafka_bootstrap, [topics.verdicts], done=lambda s: len(s[topics.verdicts]) >= 1,
                   settle=2)
    assert [(r.json()["verdict"], r.json()["comment"]) for r in seen[topics.verdicts]] == \
        [("modify", "debug line removed")], "the refused calls gave no verdict"


def get(url: str, path: str, token: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_reviewer_id_the_audit_trail_cannot_carry_is_refused_at_sign_in(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """Before: `ann smith` got a token, signed in, pulled, and only her verdict was refused
    (422, evidence contract). Now she gets no token, and an OIDC token naming her is 401."""
    issuer = MintingIssuer.create(tmp_path)
    tokens = tmp_path / "tokens.json"
    service = start_review(topics, write_policy(tmp_path), AFTERGUARD_REVIEW_TOKENS_FILE=str(
        tokens), **issuer.env())
    created = CliRunner().invoke(main, ["review", "token", "create", "--tokens-file",
                                        str(tokens), "--reviewer", "ann smith",
                                        "--groups", "ops-review"])
    assert created.exit_code == 1 and "no spaces" in created.output, created.output
    assert not tokens.exists() or "ann smith" not in tokens.read_text()
    status, answer = get(service.client.url, "/review/me", issuer.mint("ann smith",
                                                                       ["ops-review"]))
    assert status == 401 and "'sub' claim is not a reviewer id" in answer["error"]
    status, answer = get(service.client.url, "/review/me", issuer.mint("ann.smith",
                                                                       ["ops-review"]))
    assert (status, answer["reviewer_id"]) == (200, "ann.smith")


def test_an_escalation_names_the_signed_in_reviewer_and_needs_a_reason(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path))
    produce(kafka_bootstrap, topics.review, [review_item(1)], sign=SIGNED_ITEM)
    url, token = service.client.url, service.client.token("ann", ["ops-review"])
    status, answer = post(url, "/review/items/rv-1/escalate", {"comment": "why"}, token)
    deadline = time.monotonic() + 60
    while status == 404:  # the item reaches the queue within seconds
        assert time.monotonic() < deadline, answer
        time.sleep(0.3)
        status, answer = post(url, "/review/items/rv-1/escalate", {"comment": "why"}, token)
    assert status == 409 and "pull it first" in answer["error"]
    service.client.as_reviewer("ann").pull("ops-review")
    status, answer = post(url, "/review/items/rv-1/escalate", {"reviewer": "lee"}, token)
    assert status == 403, "the body cannot name another reviewer"
    status, answer = post(url, "/review/items/rv-1/escalate", {"comment": " "}, token)
    assert (status, answer["error"]) == (
        422, "a comment is required to escalate: say why in `comment`")
    token_file = tmp_path / "ann.token"
    token_file.write_text(token)
    escalated = CliRunner(env={"AFTERGUARD_REVIEW_TOKEN_FILE": str(token_file),
                               "AFTERGUARD_REVIEW_URL": url}).invoke(
        main, ["review", "escalate", "rv-1", "--comment", "a customer's payout: leads decide"])
    assert escalated.exit_code == 0 and "escalated rv-1 to review-leads" in escalated.output, \
        escalated.output
    lee = service.client.as_reviewer("lee")  # in every group of the policy
    moved = lee.show("rv-1")
    assert (moved["group"], moved["claimed_by"], moved["escalation"]["from_group"],
            moved["escalation"]["by"], moved["escalation"]["why"]) == \
        ("review-leads", None, "ops-review", "ann", "a customer's payout: leads decide")
    status, answer = get(url, "/review/items/rv-1", token)
    assert status == 403, "ann is not in review-leads: she no longer sees it"


def test_per_reviewer_figures_are_shown_to_leads_and_to_each_reviewer_their_own_row(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """Attack: any reviewer read every other reviewer's load, verdict counts and how often
    their approvals were overturned (`/review/stats`, `/review/stats/trends`), and the waits
    of groups they are not in. Now a reviewer sees their own row and their groups; members of
    the escalation group (the leads) see everyone."""
    service = start_review(topics, write_policy(tmp_path, max_open_per_reviewer=1))
    produce(kafka_bootstrap, topics.review, [review_item(1), review_item(2), review_item(
        3, group="security-team", decision="REDACT")], sign=SIGNED_ITEM)
    service.client.token("ann", ["ops-review"])
    service.client.token("bob", ["ops-review"])
    deadline = time.monotonic() + 60
    for group, reviewer in (("ops-review", "ann"), ("ops-review", "bob"),
                            ("security-team", "lee")):  # lee: in every group
        while not service.client.pull(group, reviewer)["claimed"]:
            assert time.monotonic() < deadline, "the items never reached the queue"
            time.sleep(0.3)
    service.client.decide("rv-3", "approve", "lee")
    url = service.client.url
    status, mine = get(url, "/review/stats", service.client.token("ann"))
    assert status == 200 and mine["open_per_reviewer"] == {"ann": 1}, mine
    assert set(mine["groups"]) == {"ops-review"}, "only the groups ann reviews"
    status, trend = get(url, "/review/stats/trends", service.client.token("ann"))
    assert status == 200 and trend["verdicts_per_reviewer"] == {}, trend
    assert set(trend["waits"]) <= {"ops-review"}
    status, lead = get(url, "/review/stats", service.client.token("lee"))
    assert lead["open_per_reviewer"] == {"ann": 1, "bob": 1}, lead
    assert {"ops-review", "security-team"} <= set(lead["groups"])
    status, lead_trend = get(url, "/review/stats/trends", service.client.token("lee"))
    assert lead_trend["verdicts_per_reviewer"] == {"lee": 1}
