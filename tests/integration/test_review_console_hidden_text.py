"""Agent-written text in the review console, in a real browser: characters that change how the
text around them reads without being seen (bidi overrides and isolates, zero-width and format
characters, C1 controls) are shown as their \\uXXXX escapes, in the output, its keys, the
findings' paths and the edit box, and in what `afterguard review show` prints, so a reviewer
reads what is there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from streams.cli import main
from streams.config import Topics
from tests.console_browser import flagged_item, off_loop, pull_until, sign_in
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

RLO, LRI, PDI, ZWSP, CSI = "\u202e", "\u2066", "\u2069", "\u200b", "\u009b"
# Shown with the override, the file name reads "invoice_exe.pdf" and the command "ls ./tmp";
# CSI 2J clears a terminal that takes C1 controls
OUTPUT = {"attachment": f"invoice_{RLO}fdp.exe", f"cmd{ZWSP}": f"{LRI}rm -rf /{PDI} ls ./tmp",
          "note": "sent to [REDACTED:EMAIL_ADDRESS]", "log": f"done{CSI}2J"}
HIDDEN = (RLO, LRI, PDI, ZWSP, CSI)


def hidden_text_item(n: int) -> tuple[bytes, bytes]:
    key, value = flagged_item(n)
    item: dict[str, Any] = json.loads(value)
    item["output"] = OUTPUT
    item["findings"][0]["path"] = f'$["note{RLO}"]'
    return key, json.dumps(item).encode()


def test_characters_that_hide_or_reorder_text_are_shown_as_escapes(
        kafka_bootstrap: str, topics: Topics, start_review: ServiceFactory, tmp_path: Path,
        browser: Any) -> None:
    """Before: the console put these characters on the page as they were: the attachment
    read `invoice_exe.pdf`, the command hid `rm -rf /` behind an isolate, a key carried a
    zero-width space, and a finding's path was reversed."""
    console_port = free_port()
    service = start_review(topics, write_policy(tmp_path),
                           AFTERGUARD_REVIEW_CONSOLE_PORT=str(console_port))
    off_loop(produce, kafka_bootstrap, topics.review, [hidden_text_item(1)], sign=SIGNED_ITEM)
    off_loop(produce, kafka_bootstrap, topics.quarantine, [quarantine_record(1)],
             sign=SIGNED_HOLD)
    page = browser.new_page()
    expect = playwright_sync.expect
    sign_in(page, console_port, service.client.token("ann", ["ops-review"]))
    pull_until(page, "ops-review", 1)
    page.get_by_role("button", name="Open item rv-1").click()
    expect(page.locator("#findings tbody tr")).to_have_count(2)

    shown = page.locator("#output").text_content() or ""
    assert r"invoice_\u202Efdp.exe" in shown and r"\u2066rm -rf /\u2069 ls ./tmp" in shown
    assert r'"cmd\u200B"' in shown
    path = page.locator("#findings tbody tr").first.text_content() or ""
    assert r'$["note\u202E"]' in path
    page_text = page.evaluate("() => document.body.innerText + document.title")
    assert not any(c in page_text for c in HIDDEN), "no hidden character shown"
    assert r"done\u009B2J" in shown
    expect(page.locator("mark")).to_have_text(["[REDACTED:EMAIL_ADDRESS]"])
    edited = page.evaluate("() => JSON.parse(document.getElementById('modified-output').value)")
    assert edited == OUTPUT, "the edit box holds the same value, its escapes visible"

    token_file = tmp_path / "ann.token"
    token_file.write_text(service.client.token("ann"))
    printed = CliRunner(env={"AFTERGUARD_REVIEW_TOKEN_FILE": str(token_file),
                             "AFTERGUARD_REVIEW_URL": service.client.url}).invoke(
        main, ["review", "show", "rv-1"])
    assert printed.exit_code == 0, printed.output
    assert not any(c in printed.output for c in HIDDEN), "nothing hidden reaches the terminal"
    assert json.loads(printed.output)["item"]["output"] == OUTPUT
    assert r"invoice_\u202Efdp.exe" in printed.output and r"done\u009B2J" in printed.output
