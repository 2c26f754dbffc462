"""Attacks on the review service from outside the agent's result: records a careless or
compromised producer writes to the topics the service follows, checked through the real broker
and the real service (`afterguard review serve`)."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from policies import load_policy
from sampling.autonomy.action_class import action_class
from streams.config import Topics
from streams.signing import RecordKind
from tests.integration.test_audit_checkpoints import verify
from tests.integration.test_audit_signatures import append, forged_after
from tests.kafka_io import collect, produce
from tests.review_service import (
    SIGNED_ITEM,
    ServiceFactory,
    queued,
    review_item,
    write_policy,
)

pytestmark = pytest.mark.integration

SIGNED_LEVEL = ("autonomy", RecordKind.AUTONOMY_LEVEL)


def item_of(n: int, agent: str) -> tuple[bytes, bytes]:
    key, value = review_item(n)
    item = json.loads(value)
    item["agent_id"] = agent
    item["source"]["topic"] = f"{agent}.actions"  # each agent its own topic
    return key, json.dumps(item).encode()


def level(agent: str, cls: str, value: Any, at: datetime) -> bytes:
    """A level record for the topic `agent` writes (levels are kept per verified identity)."""
    return json.dumps({"identity": f"topic:{agent}.actions", "agent_ids": [agent],
                       "action_class": cls, "level": value,
                       "updated_at": at.isoformat()}).encode()


def history(url: str, token: str, item_id: str) -> Any:
    request = urllib.request.Request(f"{url}/review/items/{item_id}/history",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        return json.loads(reply.read())


def wait_for_marker(url: str, token: str, cls: str) -> None:
    """Until the signed level of marker-bot (item rv-2), written after the attack, shows."""
    deadline = time.monotonic() + 60
    marker: Any = None
    while time.monotonic() < deadline:
        try:
            marker = history(url, token, "rv-2")["autonomy"]
        except OSError:  # not queued yet
            marker = None
        if marker and marker["level"] == 1:
            return
        time.sleep(0.5)
    raise AssertionError(f"the service never showed the scorer's signed level after the "
                         f"attack (its follower stopped?): {marker}")


def attack_levels(kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
                  tmp_path: Path, forged: Callable[[str], bytes]) -> Any:
    """Queue rv-1 (forged-bot) and rv-2 (marker-bot), write `forged(action class)` unsigned to the autonomy
    topic, then the scorer's signed level 1 for marker-bot in the same partition; return
    forged-bot's level as the service shows it once the marker shows."""
    policy = write_policy(tmp_path)
    rules = load_policy(policy).policy.autonomy
    cls = action_class("job.ops.run", rules.action_classes if rules else ())
    service = start_review(topics, policy)
    produce(kafka_bootstrap, topics.review,
            [item_of(1, "forged-bot"), item_of(2, "marker-bot")], sign=SIGNED_ITEM)
    produce(kafka_bootstrap, topics.autonomy, [(b"forged-bot", forged(cls))])  # no signature
    produce(kafka_bootstrap, topics.autonomy,  # one key: one partition, read after them
            [(b"forged-bot", level("marker-bot", cls, 1, datetime.now(UTC)))],
            sign=SIGNED_LEVEL)
    token = service.client.token("ann", ["ops-review"])
    wait_for_marker(service.client.url, token, cls)
    return history(service.client.url, token, "rv-1")["autonomy"]


def test_the_console_shows_only_levels_the_scorer_signed(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """Attack: anyone who can write the autonomy topic (no signing key) showed reviewers a
    forged level next to an item's history ("this agent is trusted at level 3"). Now the review
    service follows only levels the scorer signed, as the workers do."""
    at = datetime.now(UTC) + timedelta(days=1)
    shown = attack_levels(kafka_bootstrap, topics, start_review, tmp_path,
                          lambda cls: level("forged-bot", cls, 3, at))
    assert shown["level"] is None, f"an unsigned level record is shown to reviewers: {shown}"


def test_a_level_record_that_is_not_a_level_does_not_stop_the_follower(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """Attack: one record on the autonomy topic whose agent is a list (unhashable) raised out
    of the follower; it restarted 30 s later from the topic's start and met the same record:
    the console showed no level of any agent again."""
    shown = attack_levels(kafka_bootstrap, topics, start_review, tmp_path, lambda cls: json.dumps(
        {"identity": ["topic:forged-bot.actions"], "action_class": cls, "level": 3}).encode())
    assert shown["level"] is None


def post_raw(url: str, token: str, path: str, body: bytes) -> tuple[int, Any]:
    request = urllib.request.Request(f"{url}{path}", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        text = exc.read()
        try:
            return exc.code, json.loads(text)
        except ValueError:
            return exc.code, text.decode(errors="replace")


def nested(depth: int, leaf: str) -> bytes:
    return b'{"a":' * depth + json.dumps(leaf).encode() + b"}" * depth


def test_bodies_nested_too_deep_or_of_the_wrong_shape_get_a_clear_refusal_and_decide_nothing(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """Attack: a request body nested deeper than Python's parser goes, or a modified output
    nested deeper than the policy lets any result be (`limits.max_depth`), answered 500
    without a reason; now each is a 400 / 422 naming the limit, the item stays claimed and
    undecided, nothing is released, and the service serves on. So is a verdict whose comment
    or severity is not text (a 500 until 2026-11-28, third session)."""
    service = start_review(topics, write_policy(tmp_path))
    url, token = service.client.url, service.client.token("ann", ["ops-review"])
    queued(kafka_bootstrap, topics, service, [1])

    status, answer = post_raw(url, token, "/review/pull", b"[" * 200_000 + b"]" * 200_000)
    assert status == 400 and "JSON" in answer["error"], (status, answer)

    body = (b'{"verdict": "modify", "comment": "trimmed", "modified_output": '
            + nested(500, "deploy done") + b"}")
    status, answer = post_raw(url, token, "/review/items/rv-1/verdict", body)
    assert status in (400, 422) and "deep" in answer["error"], (status, answer)

    # fields of the wrong type: a list where text belongs raised out of the handler (500)
    for wrong in ({"verdict": "reject", "comment": ["not", "text"]},
                  {"verdict": "reject", "comment": "why", "severity": ["none"]},
                  {"verdict": "reject", "comment": {"why": 1}},
                  {"verdict": ["reject"], "comment": "why"}):
        status, answer = post_raw(url, token, "/review/items/rv-1/verdict",
                                  json.dumps(wrong).encode())
        assert status == 400 and "error" in answer, (wrong, status, answer)

    shown = service.client.show("rv-1", "ann")
    assert shown["status"] == "claimed" and shown["outcome"] is None
    trimmed = json.dumps({"verdict": "modify", "comment": "trimmed",
                          "modified_output": {"log": "deploy done"}}).encode()
    deadline = time.monotonic() + 60
    while True:  # on a busy machine the hold may reach the service after the item
        status, answer = post_raw(url, token, "/review/items/rv-1/verdict", trimmed)
        if status != 409 or "not reached" not in answer["error"] or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert status == 200 and answer["released"], (status, answer)
    seen = collect(kafka_bootstrap, [topics.released], done=lambda s: len(s[topics.released]) >= 1,
                   timeout=30, settle=1)
    assert [r.json()["output"] for r in seen[topics.released]] == [{"log": "deploy done"}]


def me(url: str, token: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(f"{url}/review/me",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, dict(reply.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def test_guessing_sign_ins_locks_out_the_account_and_then_the_address(
        topics: Topics, start_review: ServiceFactory, tmp_path: Path) -> None:
    """Attack: unbounded guessing of a reviewer's token secret (its id is not secret: `token
    list` shows it), or of any credential. Now 10 failures lock the account out (429, even
    with its right token) and 20 the client's address; the log says so without a secret."""
    service = start_review(topics, write_policy(tmp_path))
    url, ann, bob = (service.client.url, service.client.token("ann"),
                     service.client.token("bob"))
    ann_id = ann.split(".", 1)[0]
    guesses = [f"{ann_id}.guessed-secret-{n}" for n in range(10)]
    assert [me(url, guess)[0] for guess in guesses] == [401] * 10
    status, headers = me(url, ann)
    assert status == 429 and int(headers["Retry-After"]) > 0, "ann's account is locked out"
    assert me(url, bob)[0] == 200, "another account from the same address is not"
    assert [me(url, f"agr_{n:012x}.made-up") [0] for n in range(10)] == [401] * 10
    assert me(url, bob)[0] == 429, "the address is locked out after 20 failures"
    log = service.process.log_text()
    assert "locked out for account ann" in log and "locked out for client address" in log
    assert "guessed-secret" not in log and "made-up" not in log
    assert ann.split(".", 1)[1] not in log


def me_from(url: str, token: str, source: str, forwarded: str | None) -> int:
    """GET /review/me over a connection from the local address `source` (127.0.0.x)."""
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=30,
                                            source_address=(source, 0))
    sent = {"Authorization": f"Bearer {token}"}
    if forwarded is not None:
        sent["X-Forwarded-For"] = forwarded
    try:
        connection.request("GET", "/review/me", headers=sent)
        return connection.getresponse().status
    finally:
        connection.close()


def test_sign_in_limits_behind_a_trusted_proxy_are_per_client_and_cannot_be_spoofed(
        topics: Topics, start_review: ServiceFactory, tmp_path: Path) -> None:
    """Before: the limit keyed on the TCP peer only, so behind a reverse proxy one client's
    20 failed sign-ins locked every reviewer out. Now the proxy's address (127.0.0.2 here)
    is configured as trusted and its X-Forwarded-For names the client; anyone else's
    X-Forwarded-For (127.0.0.1 here) is ignored, and a client cannot escape its own limit by
    writing other hops in front of the one the proxy appends."""
    service = start_review(topics, write_policy(tmp_path),
                           AFTERGUARD_REVIEW_TRUSTED_PROXIES="127.0.0.2")
    url, bob = service.client.url, service.client.token("bob")
    proxy, direct = "127.0.0.2", "127.0.0.1"
    guesses = [me_from(url, f"agr_{n:012x}.made-up", proxy, f"192.0.2.{n}, 203.0.113.7")
               for n in range(20)]
    assert guesses == [401] * 20
    assert me_from(url, bob, proxy, "203.0.113.8") == 200, "another client behind the proxy"
    assert me_from(url, bob, proxy, "198.51.100.1, 203.0.113.7") == 429, "the guesser"
    assert me_from(url, bob, proxy, None) == 200, "the proxy itself is not locked out"
    spoofed = [me_from(url, f"agr_{n:012x}.made-up", direct, f"203.0.113.{100 + n}")
               for n in range(20)]
    assert spoofed == [401] * 20
    assert me_from(url, bob, direct, "203.0.113.200") == 429, "a direct client's header is ignored"
    log = service.process.log_text()
    assert "locked out for client address 203.0.113.7 " in log
    assert "locked out for client address 127.0.0.1 " in log
    assert "127.0.0.2 " not in log and "203.0.113.1" not in log


def test_a_record_appended_to_the_review_audit_topic_is_refused_by_its_readers(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """Attack: anyone who could write the review audit topic appended a well-formed record at
    its chain head ("approved by ann"); `audit verify` passed it and the sink loaded it, since
    that topic was chained but not signed. Now the review service signs its audit records,
    the readers refuse an unsigned one at its offset, and the service's chain goes on from
    its own last record after a restart."""
    policy = write_policy(tmp_path)
    service = start_review(topics, policy)
    queued(kafka_bootstrap, topics, service, [1, 2], held=False)
    service.client.decide("rv-1", "reject", "ann", comment="not for release")
    [head] = collect(kafka_bootstrap, [topics.review_audit],
                     done=lambda s: len(s[topics.review_audit]) >= 1)[topics.review_audit]
    append(kafka_bootstrap, topics.review_audit, 0, json.dumps(forged_after(head)).encode())
    assert service.process.stop() == 0
    service = start_review(topics, policy, env=service.env)
    service.client.decide("rv-2", "reject", "ann", comment="not for release either")
    collect(kafka_bootstrap, [topics.review_audit], done=lambda s: len(s[topics.review_audit]) >= 3)
    checked = verify(kafka_bootstrap, topics.review_audit)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert checked.stdout.count("bad_signature") == 1, checked.stdout
    assert "unsigned review_audit_record" in checked.stdout, checked.stdout
    assert "broken_link" not in checked.stdout and "conflict" not in checked.stdout
    assert "ALERT: not resuming the audit chain" in service.process.log_text()
