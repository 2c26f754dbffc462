"""A review item whose findings were cut short to fit the review topic (policies/omission.py),
in a real browser: the console lists the itemised findings, one row per summarised group with
its count and path pattern, says how many findings there were in all, and approves only once
every listed finding and every group is acknowledged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from streams.config import Topics
from tests.console_browser import assert_accessible, flagged_item, off_loop, pull_until, sign_in
from tests.kafka_io import produce
from tests.review_service import (
    SIGNED_HOLD,
    SIGNED_ITEM,
    ServiceFactory,
    free_port,
    quarantine_record,
    write_policy,
)

pytestmark = pytest.mark.integration
playwright_sync = pytest.importorskip("playwright.sync_api")


def summarised_item(n: int) -> tuple[bytes, bytes]:
    """A flagged item with its 2 findings listed and 5,998 more counted in two groups."""
    key, value = flagged_item(n)
    item: dict[str, Any] = json.loads(value)
    item["findings_omitted"] = {
        "itemised": 2, "omitted": 5_998, "value_hashes_omitted": 0,
        "groups": [{"entity": "EMAIL_ADDRESS", "action": "REDACT", "path": "rows[*].email",
                    "count": 5_000},
                   {"entity": "PHONE_NUMBER", "action": "REDACT", "path": "*", "count": 998}]}
    return key, json.dumps(item).encode()


def test_a_summarised_list_of_findings_is_shown_and_acknowledged_by_group(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        browser: Any) -> None:
    console_port = free_port()
    service = start_review(topics, write_policy(tmp_path),
                           AFTERGUARD_REVIEW_CONSOLE_PORT=str(console_port))
    off_loop(produce, kafka_bootstrap, topics.review, [summarised_item(1)], sign=SIGNED_ITEM)
    off_loop(produce, kafka_bootstrap, topics.quarantine, [quarantine_record(1)],
             sign=SIGNED_HOLD)
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    expect = playwright_sync.expect
    sign_in(page, console_port, service.client.token("ann", ["ops-review"]))
    pull_until(page, "ops-review", 1)

    page.get_by_role("button", name="Open item rv-1").click()
    expect(page.locator("#findings tbody tr")).to_have_count(4)
    expect(page.locator("#findings-omitted")).to_contain_text(
        "This result has 6000 findings: the first 2 are listed, the other 5998 are counted")
    expect(page.locator("#findings tbody tr").nth(2)).to_contain_text("EMAIL_ADDRESS × 5000")
    expect(page.locator("#findings tbody tr").nth(2)).to_contain_text("rows[*].email")
    expect(page.locator("#findings tbody tr").nth(3)).to_contain_text("any path")
    approve = page.get_by_role("button", name="Approve (a)")
    for label in ("finding 1: EMAIL_ADDRESS at $.refund.note",
                  "finding 2: CREDENTIAL at $.debug",
                  "row 3: 5000 more EMAIL_ADDRESS findings at rows[*].email"):
        page.get_by_label("Acknowledge " + label).check()
        expect(approve).to_be_disabled()
    expect(page.locator("#approve-help")).to_contain_text("all 4 findings")
    page.get_by_label("Acknowledge row 4: 998 more PHONE_NUMBER findings at any path").check()
    expect(approve).to_be_enabled()
    assert_accessible(page)
    approve.click()
    expect(page.get_by_role("status")).to_contain_text("approve recorded for rv-1")
