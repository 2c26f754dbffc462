"""The review console in a real browser (Debian's Chromium driven by Playwright): sign in with
an API token, pull, open an item, acknowledge every finding, approve, and read the released
result from Kafka; a reject that needs a comment; an item of another group that is not shown."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from streams.config import Topics
from streams.review.client import ReviewApiError
from streams.signing.records import RecordKind
from tests.console_browser import assert_accessible, flagged_item, off_loop
from tests.kafka_io import collect, produce
from tests.oidc_provider import CLIENT_SECRET, LocalProvider, running
from tests.review_service import (
    SIGNED_HOLD,
    SIGNED_ITEM,
    ServiceFactory,
    free_port,
    quarantine_record,
    review_item,
    write_policy,
)
from tests.reviewer_credentials import MintingIssuer

pytestmark = pytest.mark.integration
playwright_sync = pytest.importorskip("playwright.sync_api")


def test_sign_in_pull_acknowledge_approve_then_released_and_a_reject(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        browser: Any) -> None:
    console_port = free_port()
    service = start_review(topics, write_policy(tmp_path),
                           AFTERGUARD_REVIEW_CONSOLE_PORT=str(console_port))
    off_loop(produce, kafka_bootstrap, topics.review, [
        flagged_item(1), review_item(2), flagged_item(3, group="security-team"),
        flagged_item(4)], sign=SIGNED_ITEM)
    off_loop(produce, kafka_bootstrap, topics.quarantine,
             [quarantine_record(n) for n in (1, 2, 4)], sign=SIGNED_HOLD)
    off_loop(produce, kafka_bootstrap, topics.autonomy, [(b"topic:agent.actions", json.dumps(
        {"identity": "topic:agent.actions", "agent_ids": ["billing-bot"],
         "action_class": "job.billing", "level": 2}).encode())],
        sign=("autonomy", RecordKind.AUTONOMY_LEVEL))
    token = service.client.token("ann", ["ops-review"])
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    expect = playwright_sync.expect
    page.goto(f"http://127.0.0.1:{console_port}/")

    assert_accessible(page)
    page.get_by_label("API token").fill("agr_000000000000.wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Sign-in refused")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as ann (ops-review)")).to_be_visible()
    assert page.get_by_role("button", name="Pull from security-team").count() == 0

    for _ in range(60):  # the items reach the queue within a few seconds
        page.get_by_role("button", name="Pull from ops-review").click()
        if page.locator("tr[data-entry]").count() >= 3:
            break
        page.wait_for_timeout(500)
    rows = page.locator("tr[data-entry]")
    assert [rows.nth(i).get_attribute("data-entry") for i in range(rows.count())] == \
        ["rv-1", "rv-2", "rv-4"], "rv-3 belongs to security-team: not shown to ann"
    expect(rows.first).to_contain_text("mine until")
    assert_accessible(page)

    page.get_by_role("button", name="Open item rv-1").click()
    expect(page.get_by_role("heading", name="Item rv-1: job.billing.refund")).to_be_visible()
    expect(page.locator("#output mark")).to_have_count(2)
    assert "[REDACTED:CREDENTIAL]" in page.locator("#output").inner_text()
    approve = page.get_by_role("button", name="Approve (a)")
    expect(approve).to_be_disabled()
    page.keyboard.press("1")  # acknowledge the first finding from the keyboard
    expect(approve).to_be_disabled()
    expect(page.locator("#approve-help")).to_contain_text("(1 left)")
    assert_accessible(page)
    if os.environ.get("AFTERGUARD_SCREENSHOT"):  # the picture in docs/review.md
        page.screenshot(path=os.environ["AFTERGUARD_SCREENSHOT"], full_page=True)
    page.get_by_label("Acknowledge finding 2: CREDENTIAL at $.debug").check()
    expect(approve).to_be_enabled()
    approve.click()
    expect(page.get_by_role("status")).to_contain_text("approve recorded for rv-1")

    # Give the claim on rv-2 back, then pull it again.
    page.get_by_role("button", name="Open item rv-2").click()
    page.get_by_role("button", name="Release my claim").click()
    expect(page.get_by_role("status")).to_contain_text("Released your claim on rv-2")
    expect(page.locator('tr[data-entry="rv-2"]')).to_contain_text("open")
    page.get_by_role("button", name="Pull from ops-review").click()
    expect(page.locator('tr[data-entry="rv-2"]')).to_contain_text("mine until")
    page.get_by_role("button", name="Open item rv-2").click()
    page.get_by_role("button", name="Reject (r)").click()
    expect(page.get_by_role("alert")).to_contain_text("A comment is required to reject")
    page.get_by_label("Comment (required").fill("refund to an unverified address")
    page.get_by_role("button", name="Reject (r)").click()
    expect(page.get_by_role("status")).to_contain_text("reject recorded for rv-2")

    # Modify from the keyboard: m opens the editor, the edited output is what is released.
    page.get_by_role("button", name="Open item rv-4").click()
    expect(page.get_by_role("heading", name="Item rv-4: job.billing.refund")).to_be_focused()
    expect(page.locator("#history")).to_contain_text("approve by ann (rv-1")
    expect(page.locator("#history-summary")).to_contain_text(
        "Autonomy level of topic:agent.actions (the writer of its source topic; the result "
        "claims billing-bot) for job.billing: 2")
    page.keyboard.press("m")
    editor = page.get_by_label("Edited output (JSON)")
    expect(editor).to_be_focused()
    editor.fill("{not json")
    page.get_by_label("Comment (required").fill("debug field removed")
    page.get_by_role("button", name="Modify (m)").click()
    expect(page.get_by_role("alert")).to_contain_text("not JSON")
    editor.fill(json.dumps({"refund": {"amount": 1250}}))
    page.get_by_role("button", name="Modify (m)").click()
    expect(page.get_by_role("status")).to_contain_text("modify recorded for rv-4")
    expect(page.locator("tr[data-entry]")).to_have_count(0)

    page.get_by_role("button", name="Stats").click()
    expect(page.get_by_role("img", name="Approval rate per rule")).to_contain_text(
        "credentials-quarantine")
    expect(page.get_by_role("img", name="Approval rate per rule")).to_contain_text(
        "33% of 3")
    expect(page.get_by_role("img", name="Wait per group: median and p95 against the "
                                        "targets")).to_contain_text("ops-review")
    expect(page.get_by_role("img", name="Verdicts per reviewer in the last 24 hours")
           ).to_contain_text("3 verdicts")
    expect(page.get_by_role("img", name="Waits per group over the last 24 hours")
           ).to_contain_text("ops-review")
    assert_accessible(page)
    if os.environ.get("AFTERGUARD_SCREENSHOT"):
        page.screenshot(path=os.environ["AFTERGUARD_SCREENSHOT"].replace("item", "stats"),
                        full_page=True)

    seen = off_loop(collect, kafka_bootstrap, [topics.released, topics.verdicts],
                    done=lambda s: len(s[topics.released]) >= 2
                    and len(s[topics.verdicts]) >= 3)
    assert sorted((r.json()["job_id"], r.json()["output"]) for r in seen[topics.released]) == \
        [("job-1", {"log": "held output 1"}), ("job-4", {"refund": {"amount": 1250}})]
    verdicts = {r.json()["job_id"]: r.json() for r in seen[topics.verdicts]}
    assert {j: (v["verdict"], v["approver_id"]) for j, v in verdicts.items()} == \
        {"job-1": ("approve", "ann"), "job-2": ("reject", "ann"), "job-4": ("modify", "ann")}
    # The other group's item is still open, untouched by ann.
    assert service.client.show("rv-3")["status"] == "open"


def me_status(url: str, token: str) -> int:
    request = urllib.request.Request(f"{url}/review/me",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_sign_in_with_the_identity_provider(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        browser: Any) -> None:
    """The OIDC authorization-code flow with PKCE against a local provider; the callback
    refuses a state it did not issue and a code used twice; signing out ends the token."""
    provider = LocalProvider(MintingIssuer.create(tmp_path))
    secret = tmp_path / "client-secret"
    secret.write_text(CLIENT_SECRET)
    console_port = free_port()
    with running(provider):
        start_review(topics, write_policy(tmp_path), AFTERGUARD_REVIEW_CONSOLE_PORT=str(
            console_port), **provider.env(str(secret)))
        off_loop(produce, kafka_bootstrap, topics.review,
                 [review_item(1), review_item(2, group="security-team")], sign=SIGNED_ITEM)
        page = browser.new_page()
        expect = playwright_sync.expect
        console = f"http://127.0.0.1:{console_port}"
        page.goto(console + "/")
        page.get_by_role("link", name="Sign in with your identity provider").click()
        expect(page.get_by_text("Signed in as ida (ops-review)")).to_be_visible()
        assert page.url == console + "/", "the code and state are gone from the address bar"
        for _ in range(60):
            page.get_by_role("button", name="Pull from ops-review").click()
            if page.locator("tr[data-entry]").count() >= 1:
                break
            page.wait_for_timeout(500)
        assert page.locator("tr[data-entry]").get_attribute("data-entry") == "rv-1"
        assert page.context.cookies() == [], "the sign-in leaves no cookie behind"
        # Signing out ends the sign-in at the service: a copy of the token no longer works
        # (before, it signed in until it expired).
        token = page.evaluate("() => sessionStorage.getItem('afterguard-review-token')")
        assert me_status(console, token) == 200
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_text("Signed out.")).to_be_visible()
        assert me_status(console, token) == 401, "the signed-out token still signs in"

        forged = browser.new_page()
        forged.goto(console + "/console/callback?code=stolen&state=made-up")
        expect(forged.get_by_text("Sign-in refused")).to_be_visible()
        # A second browser starts a sign-in but the code comes back twice: once only.
        other = browser.new_context()
        replay = other.new_page()
        codes: list[str] = []
        replay.on("request", lambda r: codes.append(r.url) if "/console/callback" in r.url
                  else None)
        replay.goto(console + "/console/login")
        expect(replay.get_by_text("Signed in as ida")).to_be_visible()
        replay.goto(codes[0])
        expect(replay.get_by_text("Sign-in refused")).to_be_visible()
        other.close()
    assert provider.token_requests == 2, "refused callbacks never reach the token endpoint"


def test_batch_approval_only_of_low_risk_items_of_one_rule_each_acknowledged(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        browser: Any) -> None:
    console_port = free_port()
    service = start_review(topics, write_policy(tmp_path),
                           AFTERGUARD_REVIEW_CONSOLE_PORT=str(console_port))
    off_loop(produce, kafka_bootstrap, topics.review,
             [flagged_item(n, agent="ops-bot", action="job.ops.rotate", tags=())
              for n in (11, 12, 13)]
             + [flagged_item(14, agent="ops-bot", action="job.ops.rotate")],  # high risk
             sign=SIGNED_ITEM)
    off_loop(produce, kafka_bootstrap, topics.quarantine,  # the held results approvals release
             [quarantine_record(n) for n in (11, 12, 13, 14)], sign=SIGNED_HOLD)
    bob = service.client.as_reviewer("bob")
    claimed: list[str] = []
    for _ in range(60):
        claimed += [e["entry_id"] for e in bob.pull("ops-review")["claimed"]]
        if len(claimed) >= 4:
            break
        time.sleep(0.5)
    assert sorted(claimed) == ["rv-11", "rv-12", "rv-13", "rv-14"]
    with pytest.raises(ReviewApiError) as refused:
        bob.batch_approve(["rv-11", "rv-14"])
    assert refused.value.status == 409 and "rv-14 is not low risk" in str(refused.value)
    assert service.client.show("rv-11")["status"] == "claimed", "nothing of it was decided"

    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    expect = playwright_sync.expect
    page.goto(f"http://127.0.0.1:{console_port}/")
    page.get_by_label("API token").fill(service.client.token("bob"))
    page.get_by_role("button", name="Sign in").click()
    batch = page.get_by_role("button", name="Batch approve 3 items: ops-bot job.ops.rotate "
                                             "(credentials-quarantine, pii-redact)")
    expect(batch).to_be_visible()
    batch.click()
    approve = page.get_by_role("button", name="Approve all 3")
    checks = page.locator(".batch-check")
    expect(checks).to_have_count(9)  # two findings and "I have read" per item
    for i in range(8):
        checks.nth(i).check()
        expect(approve).to_be_disabled()
    checks.nth(8).check()
    expect(approve).to_be_enabled()
    approve.click()
    expect(page.get_by_role("status")).to_contain_text("approved rv-11, rv-12, rv-13")
    expect(page.locator("tr[data-entry]")).to_have_count(1)  # rv-14, on its own

    seen = off_loop(collect, kafka_bootstrap, [topics.verdicts],
                    done=lambda s: len(s[topics.verdicts]) >= 3)
    assert sorted((r.json()["job_id"], r.json()["verdict"], r.json()["approver_id"])
                  for r in seen[topics.verdicts]) == \
        [(f"job-{n}", "approve", "bob") for n in (11, 12, 13)]
