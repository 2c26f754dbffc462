"""The review console in a real browser, for the end-to-end tests: Debian's Chromium driven by
Playwright, the in-page accessibility check, review items with findings, and the Kafka
helpers run beside Playwright's own event loop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.review_service import review_item

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; `./run tests` installs it


def playwright() -> Any:
    """Playwright's sync API, imported when a browser test runs (the tests skip without it)."""
    return pytest.importorskip("playwright.sync_api")


def off_loop(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a Kafka helper (asyncio.run inside) beside Playwright's own loop in this thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def flagged_item(n: int, *, group: str = "ops-review", agent: str = "billing-bot",
                 action: str = "job.billing.refund", tags: tuple[str, ...] = ("financial",)
                 ) -> tuple[bytes, bytes]:
    """A quarantined item with two findings shown as placeholders in its output."""
    key, value = review_item(n, group=group)
    item: dict[str, Any] = json.loads(value)
    item.update(agent_id=agent, action=action, amount_usd=1250.0, affected_users=3,
                risk_tags=list(tags), reasons=["credential in output", "email in output"],
                output={"refund": {"amount": 1250, "note": "sent to [REDACTED:EMAIL_ADDRESS]"},
                        "debug": "auth [REDACTED:CREDENTIAL]"},
                findings=[{"entity": "EMAIL_ADDRESS", "path": "$.refund.note",
                           "detector": "presidio:EmailRecognizer", "rule_id": "pii-redact"},
                          {"entity": "CREDENTIAL", "path": "$.debug",
                           "detector": "github-token", "rule_id": "credentials-quarantine"}],
                rule_ids=["credentials-quarantine", "pii-redact"])
    return key, json.dumps(item).encode()


# In the page: every visible control has an accessible name, and every visible text meets
# WCAG AA contrast against the background it is drawn on (4.5:1; 3:1 for large text;
# disabled controls are exempt, as WCAG allows). Returns the problems found.
ACCESSIBILITY_PROBLEMS = """() => {
  const problems = [];
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  for (const e of document.querySelectorAll("button, input, select, textarea, a[href]")) {
    if (!visible(e)) continue;
    const name = (e.getAttribute("aria-label") || (e.labels && [...e.labels].map((l) => l.textContent).join(" "))
      || e.textContent || "").trim();
    if (!name) problems.push("unnamed " + e.tagName + "#" + e.id);
  }
  const rgb = (c) => (c.match(/[0-9.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (e) => {
    for (let n = e; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const e = t.parentElement;
    if (!t.textContent.trim() || !visible(e) || e.closest("svg") || e.closest(":disabled")) continue;
    const style = getComputedStyle(e);
    const a = lum(rgb(style.color)), b = lum(background(e));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push(ratio.toFixed(2) + ": " + t.textContent.trim().slice(0, 40));
  }
  return problems;
}"""


def assert_accessible(page: Any) -> None:
    assert page.evaluate(ACCESSIBILITY_PROBLEMS) == []


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `./run tests` installs Debian's chromium package")
    with playwright().sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                          args=["--no-sandbox"])
        yield launched
        launched.close()


def sign_in(page: Any, console_port: int, token: str) -> None:
    page.goto(f"http://127.0.0.1:{console_port}/")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    playwright().expect(page.get_by_text("Signed in as")).to_be_visible()


def pull_until(page: Any, group: str, rows: int) -> None:
    """Pull from `group` until the queue lists `rows` items (they reach it within seconds)."""
    for _ in range(60):
        page.get_by_role("button", name=f"Pull from {group}").click()
        if page.locator("tr[data-entry]").count() >= rows:
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"the queue never listed {rows} items")
