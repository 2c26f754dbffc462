"""The review console's harder decisions in a real browser (Debian's Chromium driven by
Playwright), each read back from Kafka: a modify the service's rescan refuses (the page shows
why, nothing is released, the item can still be decided), and release-raw, shown and given
only where the policy allows it."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from streams.config import Topics
from tests.console_browser import assert_accessible, flagged_item, off_loop, pull_until, sign_in
from tests.kafka_io import collect, produce
from tests.review_service import (
    SIGNED_HOLD,
    SIGNED_ITEM,
    ServiceFactory,
    free_port,
    review_item,
    source,
    write_policy,
)

pytestmark = pytest.mark.integration
playwright_sync = pytest.importorskip("playwright.sync_api")

AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"


def held(n: int, output: Any) -> tuple[bytes, bytes]:
    """The quarantined result of item `n` as the worker holds it: raw."""
    return f"job-{n}".encode(), json.dumps({
        "job_id": f"job-{n}", "agent_id": "agent-a", "action": "job.ops.run",
        "decision": "QUARANTINE", "output": output, "rule_ids": ["credentials-quarantine"],
        "policy_snapshot": "2026.11.1:" + "ab" * 8, "job_hash": "sha256:" + "0" * 64,
        "decided_at": datetime.now(UTC).isoformat(), "source": source(n)}).encode()


def test_a_refused_modify_releases_nothing_and_release_raw_is_a_deliberate_act(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        browser: Any) -> None:
    console_port = free_port()
    service = start_review(topics, write_policy(tmp_path, release_raw=True),
                           AFTERGUARD_REVIEW_CONSOLE_PORT=str(console_port))
    off_loop(produce, kafka_bootstrap, topics.review,
             [flagged_item(5), flagged_item(6), review_item(7, decision="REDACT")],
             sign=SIGNED_ITEM)
    off_loop(produce, kafka_bootstrap, topics.quarantine,
             [held(5, {"log": f"deploy used {AWS_KEY}"}), held(6, {"log": f"key {AWS_KEY}"})],
             sign=SIGNED_HOLD)
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    expect = playwright_sync.expect
    sign_in(page, console_port, service.client.token("ann", ["ops-review"]))
    pull_until(page, "ops-review", 3)

    # A modify that keeps the AWS key: the service's rescan refuses it, the page says why.
    page.get_by_role("button", name="Open item rv-5").click()
    expect(page.get_by_role("heading", name="Item rv-5: job.billing.refund")).to_be_focused()
    page.keyboard.press("m")
    page.get_by_label("Edited output (JSON)").fill(json.dumps({"log": f"deploy used {AWS_KEY}"}))
    page.get_by_label("Comment (required").fill("kept the deploy line")
    for _ in range(60):  # the held result reaches the service within seconds
        page.get_by_role("button", name="Modify (m)").click()
        alert = page.get_by_role("alert")
        expect(alert).to_be_visible()
        if "not reached the review service" not in alert.inner_text():
            break
        page.wait_for_timeout(500)
    expect(alert).to_contain_text("Refused: the modified output was not accepted")
    expect(alert).to_contain_text("CREDENTIAL at log")
    expect(alert).to_contain_text("credentials-quarantine")
    assert AWS_KEY not in alert.inner_text(), "the refusal names the finding, not the value"
    expect(page.get_by_role("heading", name="Item rv-5: job.billing.refund")).to_be_visible()
    assert service.client.show("rv-5")["status"] == "claimed", "still the reviewer's to decide"
    assert_accessible(page)
    # ... and it can still be decided: rejected, with the comment the page already holds.
    page.get_by_role("button", name="Reject (r)").click()
    expect(page.get_by_role("status")).to_contain_text("reject recorded for rv-5")

    # An item the policy does not quarantine has nothing to release raw: no control.
    page.get_by_role("button", name="Open item rv-7").click()
    expect(page.get_by_role("heading", name="Item rv-7: job.ops.run")).to_be_visible()
    expect(page.locator("#release-raw")).to_be_hidden()

    # Release-raw: its own control, after every finding is acknowledged, its own confirmation
    # and its own required comment.
    page.get_by_role("button", name="Back to my queue").click()
    page.get_by_role("button", name="Open item rv-6").click()
    open_raw = page.get_by_role("button", name="Release raw output…")
    expect(open_raw).to_be_disabled()
    page.get_by_label("Acknowledge finding 1: EMAIL_ADDRESS at $.refund.note").check()
    page.get_by_label("Acknowledge finding 2: CREDENTIAL at $.debug").check()
    expect(open_raw).to_be_enabled()
    open_raw.click()
    submit = page.get_by_role("button", name="Release raw output of rv-6")
    expect(page.get_by_label("Why must the raw output be released?")).to_be_focused()
    expect(submit).to_be_disabled()
    page.get_by_label("I have read every finding and release these values unredacted").check()
    expect(submit).to_be_enabled()
    assert_accessible(page)
    if os.environ.get("AFTERGUARD_SCREENSHOT"):  # the release-raw step in docs/review.md
        page.locator("#release-raw").screenshot(
            path=os.environ["AFTERGUARD_SCREENSHOT"].replace("item", "release-raw"))
    submit.click()
    expect(page.get_by_role("alert")).to_contain_text(
        "A comment is required to release the raw output")
    page.get_by_label("Why must the raw output be released?").fill(
        "the customer's own key, for their rotation script")
    submit.click()
    expect(page.get_by_role("status")).to_contain_text(
        "release_raw recorded for rv-6; the raw output was released")

    seen = off_loop(collect, kafka_bootstrap,
                    [topics.released, topics.verdicts, topics.review_audit],
                    done=lambda s: len(s[topics.verdicts]) >= 2
                    and len(s[topics.review_audit]) >= 2, settle=2)
    assert [(r.json()["job_id"], r.json()["output"]) for r in seen[topics.released]] == \
        [("job-6", {"log": f"key {AWS_KEY}"})], "only the raw release; nothing of job-5"
    verdicts = {r.json()["job_id"]: r.json() for r in seen[topics.verdicts]}
    assert {j: (v["verdict"], v["approver_id"], v["comment"]) for j, v in verdicts.items()} == {
        "job-5": ("reject", "ann", "kept the deploy line"),
        "job-6": ("release_raw", "ann", "the customer's own key, for their rotation script")}
    audit = {r.json()["job_id"]: r.json() for r in seen[topics.review_audit]}
    assert (audit["job-6"]["payload"]["verdict"], audit["job-6"]["approver_id"],
            audit["job-6"]["payload"]["released"]) == ("release_raw", "ann", True)
    assert AWS_KEY not in json.dumps([r.json() for r in seen[topics.verdicts]])


def test_release_raw_is_neither_shown_nor_accepted_where_the_policy_does_not_allow_it(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        browser: Any) -> None:
    console_port = free_port()
    service = start_review(topics, write_policy(tmp_path),
                           AFTERGUARD_REVIEW_CONSOLE_PORT=str(console_port))
    off_loop(produce, kafka_bootstrap, topics.review, [flagged_item(8)], sign=SIGNED_ITEM)
    off_loop(produce, kafka_bootstrap, topics.quarantine, [held(8, {"log": f"key {AWS_KEY}"})],
             sign=SIGNED_HOLD)
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    expect = playwright_sync.expect
    sign_in(page, console_port, service.client.token("ann", ["ops-review"]))
    pull_until(page, "ops-review", 1)
    page.get_by_role("button", name="Open item rv-8").click()
    expect(page.get_by_role("heading", name="Item rv-8: job.billing.refund")).to_be_visible()
    expect(page.locator("#release-raw")).to_be_hidden()
    assert page.get_by_role("button", name="Release raw output…").count() == 0
    # A page edited in the browser sends the verdict anyway: the API refuses it.
    refused = page.evaluate("""async () => {
      const response = await fetch("/review/items/rv-8/verdict", { method: "POST",
        headers: { "Content-Type": "application/json",
                   "Authorization": "Bearer " + sessionStorage.getItem("afterguard-review-token") },
        body: JSON.stringify({ verdict: "release_raw", comment: "please" }) });
      return [response.status, (await response.json()).error];
    }""")
    assert refused[0] == 403 and "review.release_raw" in refused[1], refused
    assert service.client.show("rv-8")["outcome"] is None
    seen = off_loop(collect, kafka_bootstrap, [topics.released, topics.verdicts],
                    done=lambda s: True, timeout=10, settle=3)
    assert seen[topics.released] == [] and seen[topics.verdicts] == []


def test_escalated_and_second_review_items_say_where_they_came_from_with_the_trace(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        browser: Any) -> None:
    console_port = free_port()
    service = start_review(topics, write_policy(tmp_path, fatigue={
        "cooldown_after_approvals": 25, "cooldown": "10m", "second_review_rate": 1.0}),
        AFTERGUARD_REVIEW_CONSOLE_PORT=str(console_port))
    key, value = flagged_item(21)
    traced = json.dumps({**json.loads(value), "trace_id": "trace-7f3a9c"}).encode()
    off_loop(produce, kafka_bootstrap, topics.review,
             [(key, traced), review_item(22, decision="REDACT")], sign=SIGNED_ITEM)
    expect = playwright_sync.expect

    ann = browser.new_page(viewport={"width": 1200, "height": 1400})
    sign_in(ann, console_port, service.client.token("ann", ["ops-review"]))
    pull_until(ann, "ops-review", 2)
    ann.get_by_role("button", name="Open item rv-21").click()
    expect(ann.get_by_role("heading", name="Item rv-21: job.billing.refund")).to_be_focused()
    expect(ann.locator("#did")).to_contain_text("Tracetrace-7f3a9c")
    escalate = ann.get_by_role("button", name="Escalate to review-leads (e)")
    escalate.click()
    expect(ann.get_by_role("alert")).to_contain_text("A comment is required to escalate")
    ann.get_by_label("Comment (required").fill("refund to a new bank account: a lead decides")
    ann.locator("#item-title").focus()  # out of the comment box: keys are shortcuts again
    ann.keyboard.press("e")
    expect(ann.get_by_role("status")).to_contain_text("Escalated rv-21 to review-leads")
    expect(ann.locator("tr[data-entry]")).to_have_count(1)  # rv-21 left ann's queue
    ann.get_by_role("button", name="Open item rv-22").click()
    ann.get_by_role("button", name="Approve (a)").click()
    expect(ann.get_by_role("status")).to_contain_text("sampled for a second review")

    lee = browser.new_page(viewport={"width": 1200, "height": 1400})
    sign_in(lee, console_port, service.client.token("lee", ["ops-review", "review-leads"]))
    pull_until(lee, "review-leads", 1)
    expect(lee.locator('tr[data-entry="rv-21"]')).to_contain_text("escalated from ops-review")
    lee.get_by_role("button", name="Open item rv-21").click()
    notice = lee.locator("#item-notice")
    expect(notice).to_contain_text("Escalated from ops-review to review-leads by ann at ")
    expect(notice).to_contain_text(": refund to a new bank account: a lead decides")
    expect(lee.locator("#did")).to_contain_text("Tracetrace-7f3a9c")
    expect(lee.get_by_role("button", name="Escalate to review-leads (e)")).to_be_hidden()
    assert_accessible(lee)
    if os.environ.get("AFTERGUARD_SCREENSHOT"):  # the escalated item in docs/review.md
        lee.screenshot(path=os.environ["AFTERGUARD_SCREENSHOT"].replace("item", "escalated"),
                       full_page=True)
    lee.get_by_role("button", name="Back to my queue").click()
    pull_until(lee, "ops-review", 2)
    lee.get_by_role("button", name="Open item rv-22-2nd").click()
    expect(lee.locator("#item-notice")).to_contain_text(
        "Second review: ann approved this item; a different reviewer must confirm it")

    seen = off_loop(collect, kafka_bootstrap, [topics.review_audit],
                    done=lambda s: any(r.json()["event_type"] == "escalation"
                                       for r in s[topics.review_audit]))
    [moved] = [r.json() for r in seen[topics.review_audit] if r.json()["event_type"] ==
               "escalation"]
    assert (moved["approver_id"], moved["trace_id"], moved["payload"]["reason"],
            moved["payload"]["from_group"], moved["payload"]["to_group"]) == \
        ("ann", "trace-7f3a9c", "reviewer", "ops-review", "review-leads")
    assert "bank account" not in json.dumps(moved), "the audit trail keeps the reason's hash"
