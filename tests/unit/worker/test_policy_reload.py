"""SIGHUP reload: a changed policy shows its new snapshot in every later record; an invalid file
is rejected with a logged error and the old policy stays in force."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from detectors import DetectorEngine
from policies import HashKey, LoadedPolicy, load_policy, shipped_policy_path
from streams.config import Topics
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Pipeline
from streams.worker.policy_reload import PolicyReloader, engine_for

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def snapshots(pipeline: Pipeline, offset: int) -> set[str]:
    doc = {"job_id": f"j{offset}", "agent_id": "a", "action": "x", "output": "ssn 457-55-5462"}
    emits = pipeline.process([RawRecord("in", 0, offset, None, json.dumps(doc).encode())], NOW)
    return {json.loads(e.value)["policy_snapshot"] for e in emits}


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Pipeline, PolicyReloader]:
    path = tmp_path / "policy.yaml"
    path.write_text(shipped_policy_path("default").read_text())
    policy = load_policy(path)
    pipeline = Pipeline(DetectorEngine(), policy, HashKey.from_secret(b"k" * 32),
                        Topics(inputs=("in",)), "w")
    built: list[LoadedPolicy] = []

    def factory(p: LoadedPolicy) -> DetectorEngine:
        built.append(p)
        return DetectorEngine()

    return path, pipeline, PolicyReloader(pipeline, path, factory)


def test_a_changed_policy_shows_its_snapshot_in_every_later_record(
        setup: tuple[Path, Pipeline, PolicyReloader]) -> None:
    path, pipeline, reloader = setup
    before = snapshots(pipeline, 1)
    path.write_text(path.read_text().replace('version: "2026.11.1"', 'version: "2026.11.2"'))
    assert reloader.reload()
    after = snapshots(pipeline, 2)
    assert len(before) == len(after) == 1
    assert after.pop().startswith("2026.11.2:")


def test_an_invalid_policy_is_rejected_and_the_old_one_stays(
        setup: tuple[Path, Pipeline, PolicyReloader], caplog: pytest.LogCaptureFixture) -> None:
    path, pipeline, reloader = setup
    before = snapshots(pipeline, 1)
    path.write_text(path.read_text().replace("decision: quarantine", "decision: maybe", 1))
    with caplog.at_level(logging.ERROR):
        assert not reloader.reload()
    assert "policy reload rejected" in caplog.text and "rules[0].decision" in caplog.text
    assert snapshots(pipeline, 2) == before


def test_whitespace_and_comments_do_not_count_as_a_change(
        setup: tuple[Path, Pipeline, PolicyReloader]) -> None:
    path, pipeline, reloader = setup
    before = snapshots(pipeline, 1)
    path.write_text("# a comment\n\n" + path.read_text().replace("\n\n", "\n  # note\n\n\n"))
    assert not reloader.reload()
    assert snapshots(pipeline, 2) == before


def test_a_reload_that_adds_a_deny_list_rebuilds_the_detectors(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(shipped_policy_path("default").read_text())
    policy = load_policy(path)
    pipeline = Pipeline(engine_for(policy), policy, HashKey.from_secret(b"k" * 32),
                        Topics(inputs=("in",)), "w")
    text = path.read_text()
    assert "\ndetection:\n" in text
    path.write_text(text.replace("\ndetection:\n", "\ndetection:\n  deny:\n    - id: code-names\n"
                                 "      entity: CREDENTIAL\n      terms: [Bluebird]\n"
                                 "      reason: internal project\n", 1))
    assert PolicyReloader(pipeline, path).reload()
    found = pipeline.engine.scan({"note": "status of Bluebird"})
    assert [f.detector for f in found] == ["policy-deny:code-names"]
