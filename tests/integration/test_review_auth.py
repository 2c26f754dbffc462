"""Reviewers are authenticated and authorised (issue 13 part 4), through the real review
service: identity from a verified credential (OIDC JWT or API token), never from the body;
groups enforced on pull, show and decide; ids compared normalised (a second review cannot be
given by the first reviewer under another spelling); CSRF defences; faust's table endpoints
off; TLS. Each request below is sent the way an old client or an attacker would send it."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from streams.cli import main
from streams.config import Topics
from streams.review.client import ReviewApiError, ReviewClient
from streams.signing import RecordKind
from tests.kafka_io import collect, produce, read_past
from tests.review_service import ServiceFactory, quarantine_record, review_item, write_policy
from tests.reviewer_credentials import MintingIssuer, self_signed_tls, stranger_key
from tests.waiting import wait_for

pytestmark = pytest.mark.integration


def call(url: str, method: str, path: str, body: Any = None, *, token: str | None = None,
         content_type: str = "application/json", **headers: str) -> tuple[int, dict[str, Any]]:
    """One raw HTTP request (headers named with _ for -): status and JSON body (or {})."""
    host_port = url.split("//", 1)[1]
    connection = http.client.HTTPConnection(host_port, timeout=30)
    sent = {k.replace("_", "-"): v for k, v in headers.items()}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent["Content-Type"] = content_type
    connection.request(method, path, body=data, headers=sent)
    response = connection.getresponse()
    raw = response.read()
    connection.close()
    try:
        parsed = json.loads(raw) if raw else {}
    except ValueError:
        parsed = {"raw": raw.decode(errors="replace")}
    return response.status, parsed if isinstance(parsed, dict) else {"value": parsed}


@pytest.fixture
def issuer(tmp_path: Path) -> MintingIssuer:
    return MintingIssuer.create(tmp_path)


def test_no_or_bad_credential_is_401_and_the_body_names_no_one(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        issuer: MintingIssuer) -> None:
    service = start_review(topics, write_policy(tmp_path), **issuer.env())
    url = service.client.url
    # A sampled item: approving it releases nothing, so it needs no held result.
    produce(kafka_bootstrap, topics.review, [review_item(1, decision="REDACT")],
            sign=("worker", RecordKind.REVIEW_ITEM))
    wait_for(lambda: service.client.health()["entries"] >= 1, "the item to be queued")
    # An old client: the reviewer's name in the body, no credential.
    assert call(url, "POST", "/review/pull", {"group": "ops-review", "reviewer": "ann"})[0] == 401
    assert call(url, "GET", "/review/items/rv-1?reviewer=ann")[0] == 401
    assert call(url, "POST", "/review/items/rv-1/verdict",
                {"verdict": "approve", "reviewer": "ann"})[0] == 401
    assert call(url, "GET", "/review/stats")[0] == 401
    bad = {
        "unknown API token": "agr_000000000000.bm90LWEtdG9rZW4",
        "forged JWT": issuer.mint("ann", ["ops-review"], key=stranger_key()),
        "expired JWT": issuer.mint("ann", ["ops-review"], ttl_s=-120),
        "JWT for another audience": issuer.mint("ann", ["ops-review"], aud="someone-else"),
        "JWT of another issuer": issuer.mint("ann", ["ops-review"], iss="https://evil.test"),
        "unsigned JWT": ".".join(issuer.mint("ann", ["ops-review"]).split(".")[:2]) + ".",
    }
    for what, token in bad.items():
        status, body = call(url, "POST", "/review/pull", {"group": "ops-review"}, token=token)
        assert status == 401, (what, status, body)
    assert service.client.show("rv-1")["status"] == "open", "no refused request claimed it"

    # A valid credential: the verdict's approver is its subject; a body naming someone else
    # is refused, and leaving the name out is the normal case.
    ann = issuer.mint("Ann", ["ops-review"])
    status, body = call(url, "POST", "/review/pull", {"group": "ops-review",
                                                      "reviewer": "mallory"}, token=ann)
    assert status == 403 and "another reviewer" in body["error"], body
    status, body = call(url, "POST", "/review/pull", {"group": "ops-review"}, token=ann)
    assert status == 200 and [e["entry_id"] for e in body["claimed"]] == ["rv-1"], body
    assert body["claimed"][0]["claimed_by"] == "ann"
    status, body = call(url, "POST", "/review/items/rv-1/verdict",
                        {"verdict": "approve", "reviewer": "mallory"}, token=ann)
    assert status == 403, body
    status, body = call(url, "POST", "/review/items/rv-1/verdict", {"verdict": "approve"},
                        token=ann)
    assert status == 200 and body["verdict"]["approver_id"] == "ann", body
    seen = collect(kafka_bootstrap, [topics.verdicts],
                   done=lambda s: len(s[topics.verdicts]) >= 1)
    assert [r.json()["approver_id"] for r in seen[topics.verdicts]] == ["ann"]


def test_groups_are_enforced_on_pull_show_and_decide(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        issuer: MintingIssuer) -> None:
    service = start_review(topics, write_policy(tmp_path), **issuer.env())
    url = service.client.url
    produce(kafka_bootstrap, topics.review, [review_item(1, group="security-team"),
                                             review_item(2, group="ops-review")],
            sign=("worker", RecordKind.REVIEW_ITEM))
    wait_for(lambda: service.client.health()["entries"] >= 2, "the items to be queued")
    olga = issuer.mint("olga", ["ops-review"])  # not in security-team
    status, body = call(url, "POST", "/review/pull",
                        {"group": "security-team", "reviewer": "olga"}, token=olga)
    assert status == 403 and "not a member of group 'security-team'" in body["error"], body
    assert call(url, "GET", "/review/items/rv-1?reviewer=olga", token=olga)[0] == 403
    sam = service.client.as_reviewer("sam")  # an API token in every group
    assert [e["entry_id"] for e in sam.pull("security-team")["claimed"]] == ["rv-1"]
    status, body = call(url, "POST", "/review/items/rv-1/verdict",
                        {"verdict": "approve", "reviewer": "olga"}, token=olga)
    assert status == 403, body
    # Her own group works; an API token's groups bind the same way.
    status, body = call(url, "POST", "/review/pull", {"group": "ops-review"}, token=olga)
    assert status == 200 and [e["entry_id"] for e in body["claimed"]] == ["rv-2"]
    finance_only = ReviewClient(url, service.client.store.create("fay", ["finance-approvers"])[0])
    with pytest.raises(ReviewApiError) as refused:
        finance_only.show("rv-2")
    assert refused.value.status == 403
    # The policy's own list of a group's reviewers still applies (compared normalised).
    assert sam.decide("rv-1", "reject", comment="wrong tenant")["verdict"]["approver_id"] == "sam"


def test_a_second_review_cannot_be_given_under_another_spelling(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        issuer: MintingIssuer) -> None:
    fatigue = {"cooldown_after_approvals": 25, "cooldown": "10m", "second_review_rate": 1.0}
    service = start_review(topics, write_policy(tmp_path, fatigue=fatigue), **issuer.env())
    url = service.client.url
    # A sampled item: approving it releases nothing, so it needs no held result.
    produce(kafka_bootstrap, topics.review, [review_item(1, decision="REDACT")],
            sign=("worker", RecordKind.REVIEW_ITEM))
    wait_for(lambda: service.client.health()["entries"] >= 1, "the item to be queued")
    spellings = {"ann": issuer.mint("ann", ["ops-review"]),
                 "ANN": issuer.mint("ANN", ["ops-review"]),
                 "ａｎｎ": issuer.mint("ａｎｎ", ["ops-review"])}  # full-width letters
    status, body = call(url, "POST", "/review/pull", {"group": "ops-review", "reviewer": "ann"},
                        token=spellings["ann"])
    assert status == 200 and body["claimed"], body
    status, body = call(url, "POST", "/review/items/rv-1/verdict",
                        {"verdict": "approve", "reviewer": "ann"}, token=spellings["ann"])
    assert status == 200 and body["second_review"] == "rv-1-2nd", body
    for spelling in ("ANN", "ａｎｎ"):
        status, body = call(url, "POST", "/review/pull",
                            {"group": "ops-review", "reviewer": spelling},
                            token=spellings[spelling])
        assert status == 200 and body["claimed"] == [], (spelling, body)
        status, body = call(url, "POST", "/review/items/rv-1-2nd/verdict",
                            {"verdict": "approve", "reviewer": spelling},
                            token=spellings[spelling])
        assert status == 409 and "second review of your own approval" in body["error"], body
    bob = service.client.as_reviewer("bob")
    assert [e["entry_id"] for e in bob.pull("ops-review")["claimed"]] == ["rv-1-2nd"]
    assert bob.decide("rv-1-2nd", "approve")["verdict"]["approver_id"] == "bob"


def test_cross_origin_posts_are_refused(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    service = start_review(topics, write_policy(tmp_path))
    url = service.client.url
    port = url.rsplit(":", 1)[1]
    produce(kafka_bootstrap, topics.review, [review_item(1)],
            sign=("worker", RecordKind.REVIEW_ITEM))
    wait_for(lambda: service.client.health()["entries"] >= 1, "the item to be queued")
    ann = service.client.token("ann")
    pull = json.dumps({"group": "ops-review", "reviewer": "ann"}).encode()
    # What a page on another site can send without a preflight: a text/plain "simple" POST
    # (with or without the reviewer's credential, which a gateway may add on its own).
    for token in (None, ann):
        status, body = call(url, "POST", "/review/pull", pull, token=token,
                            content_type="text/plain", Origin="https://evil.example")
        assert status in (403, 401), body
        status, body = call(url, "POST", "/review/pull", pull, token=token,
                            content_type="text/plain")
        assert status in (415, 401), body
    status, body = call(url, "POST", "/review/pull", pull, token=ann,
                        Origin="https://evil.example")
    assert status == 403 and "cross-origin" in body["error"], body
    status, body = call(url, "POST", "/review/pull", pull, token=ann,
                        Sec_Fetch_Site="cross-site")
    assert status == 403, body
    status, body = call(url, "GET", "/review/stats", token=ann,
                        Host=f"rebound.evil.example:{port}")
    assert status == 403, body
    assert service.client.show("rv-1")["status"] == "open", "nothing was claimed"
    # The service's own origin may post.
    status, body = call(url, "POST", "/review/pull", pull, token=ann,
                        Origin=f"http://127.0.0.1:{port}")
    assert status == 200 and body["claimed"], body


def test_faust_table_and_router_endpoints_are_not_served(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    """faust serves /table/<name>/<key>/ by default: the held quarantined outputs, raw."""
    service = start_review(topics, write_policy(tmp_path))
    url = service.client.url
    produce(kafka_bootstrap, topics.review, [review_item(1)],
            sign=("worker", RecordKind.REVIEW_ITEM))
    produce(kafka_bootstrap, topics.quarantine, [quarantine_record(1)],
            sign=("worker", RecordKind.QUARANTINE_HOLD))
    wait_for(lambda: service.client.health()["entries"] >= 1, "the item to be queued")
    read_past(kafka_bootstrap, topics.quarantine, topics.deadletter)  # the result is held
    for path in ("/table/", "/table/review-held/", "/table/review-held/job-1/",
                 "/table/review-entries/", "/router/", "/graph/", "/stats/"):
        status, body = call(url, "GET", path)
        assert status == 404 and "held output" not in json.dumps(body), (path, status, body)


def test_api_tokens_from_the_cli_revocation_and_tls(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory,
        tmp_path: Path) -> None:
    cert, key = self_signed_tls(tmp_path)
    tokens = tmp_path / "tls-tokens.json"
    service = start_review(topics, write_policy(tmp_path),
                           AFTERGUARD_REVIEW_TLS_CERT_FILE=str(cert),
                           AFTERGUARD_REVIEW_TLS_KEY_FILE=str(key),
                           AFTERGUARD_REVIEW_TOKENS_FILE=str(tokens))
    assert service.client.url.startswith("https://")
    produce(kafka_bootstrap, topics.review, [review_item(1)],
            sign=("worker", RecordKind.REVIEW_ITEM))
    created = CliRunner().invoke(main, ["review", "token", "create", "--tokens-file",
                                        str(tokens), "--reviewer", "Ann",
                                        "--groups", "ops-review"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert token.startswith("agr_") and token not in tokens.read_text(), "stored hashed"
    assert (tokens.stat().st_mode & 0o077) == 0, "the token file is private"
    token_file = tmp_path / "ann.token"
    token_file.write_text(token + "\n")
    cli = CliRunner(env={"AFTERGUARD_REVIEW_TOKEN_FILE": str(token_file),
                         "AFTERGUARD_REVIEW_CA_FILE": str(cert),
                         "AFTERGUARD_REVIEW_URL": service.client.url}).invoke
    pulled = wait_for(lambda: (r := cli(main, ["review", "pull", "--group", "ops-review"]))
                      and "rv-1" in r.output and r, "a pull over TLS")
    assert pulled.exit_code == 0, pulled.output
    plain = ReviewClient(service.client.url.replace("https", "http"), token)
    with pytest.raises(ReviewApiError):
        plain.pull("ops-review")
    listed = CliRunner().invoke(main, ["review", "token", "list", "--tokens-file", str(tokens)])
    [entry] = [json.loads(line) for line in listed.output.splitlines()]
    assert entry["reviewer"] == "ann" and "sha256" not in entry
    revoked = CliRunner().invoke(main, ["review", "token", "revoke", "--tokens-file",
                                        str(tokens), entry["token_id"]])
    assert revoked.exit_code == 0, revoked.output
    refused = cli(main, ["review", "decide", "rv-1", "approve"])
    assert refused.exit_code == 1 and "error 401" in refused.output, refused.output
    no_token = CliRunner(env={"AFTERGUARD_REVIEW_URL": service.client.url}).invoke(
        main, ["review", "pull", "--group", "ops-review"])
    assert no_token.exit_code == 2 and "no reviewer token" in no_token.output
