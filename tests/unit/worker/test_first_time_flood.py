"""A fresh claimed agent id on every result made every result a mandatory first-time review,
which no reviewer budget drops: one writer flooded the reviewers' queue (red team, 28 Nov).
First-time reviews are now limited per verified identity and window
(`sampling.mandatory.first_time_limit`, default 100 an hour); past the limit a result is still
decided and audited, says `first_time_over_limit` in its sampling record, is counted in the
worker's metrics, and is sampled like any other result; its first-time mark is not kept, so
neither the workers' memory nor the first-seen topic grows past the limit either. Other
identities keep theirs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from sampling import SamplingKey
from streams.config import Topics
from streams.metrics.tally import FirstTimeOverLimit, OutcomeTally
from streams.worker.codec import RawRecord
from streams.worker.first_seen import FirstSeen
from streams.worker.pipeline import Pipeline
from streams.worker.review_stage import ReviewStage
from tests.unit.worker.test_agent_identity import NOW

HOSTILE, QUIET = "agent.flood.actions", "agent.quiet.actions"
TOPICS = Topics(inputs=(HOSTILE, QUIET))
FIRST_TIME = "first_time_agent_action"


def _pipeline(tmp_path: Path, limit: dict[str, Any] | None = None,
              first_seen: FirstSeen | None = None) -> Pipeline:
    document = yaml.safe_load(shipped_policy_path("default").read_text())
    if limit is not None:
        document["sampling"]["mandatory"]["first_time_limit"] = limit
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(document))
    key = SamplingKey("sampling-key-1", b"s" * 32)
    marks = first_seen if first_seen is not None else FirstSeen()
    pipeline = Pipeline(DetectorEngine(ner_model=None), load_policy(path),
                        HashKey.from_secret(b"k" * 32), TOPICS, "w-1",
                        review=ReviewStage(lambda _ref: key, marks.mark,
                                           forget_first_seen=marks.forget))
    pipeline.tally = OutcomeTally()
    return pipeline


def _raw(topic: str, offset: int, agent_id: str) -> RawRecord:
    doc = {"job_id": f"job-{topic}-{offset}", "agent_id": agent_id,
           "action": "job.support.reply", "output": {"note": "done"}}
    return RawRecord(topic, 0, offset, doc["job_id"].encode(), json.dumps(doc).encode())


def _audits(pipeline: Pipeline, records: list[RawRecord]) -> dict[tuple[str, int], Any]:
    return {(a["source"]["topic"], a["source"]["offset"]): a for a in (
        json.loads(e.value) for e in pipeline.process(records, NOW) if e.topic == TOPICS.audit)}


def test_a_fresh_agent_id_on_every_result_does_not_flood_the_reviewers(tmp_path: Path) -> None:
    first_seen = FirstSeen()
    pipeline = _pipeline(tmp_path, first_seen=first_seen)
    flood = [_raw(HOSTILE, n, f"fresh-{n}") for n in range(150)]
    audits = _audits(pipeline, [*flood, _raw(QUIET, 0, "quiet-1")])
    assert len(audits) == 151, "every result is decided and audited"
    flooded = [audits[(HOSTILE, n)]["sampling"] for n in range(150)]
    first_times = sum(FIRST_TIME in s["mandatory_reasons"] for s in flooded)
    assert first_times == 100, (
        f"{first_times} mandatory first-time reviews from one writer's claimed agent ids: the "
        "reviewers' queue floods (no budget drops mandatory items)")
    over = [s for s in flooded if s["first_time_over_limit"]]
    assert len(over) == 50 and all(not s["mandatory_reasons"] for s in over)
    assert all(s["inclusion_probability"] == s["probability"] < 1 for s in over), \
        "past the limit a first time is sampled like any other result"
    quiet = audits[(QUIET, 0)]["sampling"]
    assert FIRST_TIME in quiet["mandatory_reasons"], "another identity keeps its first times"
    assert pipeline.tally is not None
    noted = [topic for topic, entry in pipeline.tally.entries
             if isinstance(entry, FirstTimeOverLimit)]
    assert noted == [HOSTILE] * 50, "counted for the worker's metrics"
    assert len(first_seen.seen) == len(first_seen.pending) == 101, \
        "marks past the limit are not kept (nor written to the first-seen topic)"


def test_the_limit_is_the_policys_and_other_reasons_do_not_use_it(tmp_path: Path) -> None:
    pipeline = _pipeline(tmp_path, {"max_reviews": 2, "window": "1d"})
    quarantined = {"note": "key AKIAIOSFODNN7EXAMPLE"}  # reviewed anyway: not counted
    records = [RawRecord(HOSTILE, 0, 0, b"j-q", json.dumps({
        "job_id": "j-q", "agent_id": "fresh-q", "action": "job.support.reply",
        "output": quarantined}).encode())]
    records += [_raw(HOSTILE, n, f"fresh-{n}") for n in range(1, 5)]
    audits = _audits(pipeline, records)
    assert FIRST_TIME in audits[(HOSTILE, 0)]["sampling"]["mandatory_reasons"]
    assert [FIRST_TIME in audits[(HOSTILE, n)]["sampling"]["mandatory_reasons"]
            for n in range(1, 5)] == [True, True, False, False]
    assert [audits[(HOSTILE, n)]["sampling"]["first_time_over_limit"]
            for n in range(1, 5)] == [False, False, True, True]
