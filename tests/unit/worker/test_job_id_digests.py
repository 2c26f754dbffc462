"""`JobIds` keeps digests of the job ids and job hashes it saw, not the texts: over any sequence
of sightings, learnt records and forgetting (capacity), it must answer as the same memory of
the texts themselves does, and queue the same sightings."""

from __future__ import annotations

import json
from collections import OrderedDict

from hypothesis import given, settings
from hypothesis import strategies as st

from streams.worker.job_ids import JobIds

IDS = st.sampled_from(["job-1", "job-2", "job-3", "job-10", "job-1 ", "Job-1", "j\u00e9b", ""])
HASHES = st.sampled_from(["sha256:" + c * 64 for c in "0ab"] + ["sha256:" + "a" * 63 + "b"])
STEPS = st.lists(st.tuples(st.sampled_from(["note", "learn"]), IDS, HASHES), max_size=40)


class TextMemory:
    """What `JobIds` means: the texts, the most recent `capacity` ids."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.seen: OrderedDict[str, str] = OrderedDict()
        self.pending: list[tuple[str, str]] = []

    def note(self, job_id: str, job_hash: str) -> bool:
        if job_id in self.seen:
            self.seen.move_to_end(job_id)
            return self.seen[job_id] != job_hash
        self._remember(job_id, job_hash)
        self.pending.append((job_id, job_hash))
        return False

    def learn(self, job_id: str, job_hash: str) -> None:
        if job_id not in self.seen:
            self._remember(job_id, job_hash)

    def _remember(self, job_id: str, job_hash: str) -> None:
        self.seen[job_id] = job_hash
        while len(self.seen) > self.capacity:
            self.seen.popitem(last=False)


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=1, max_value=4), STEPS)
def test_the_digests_answer_as_the_texts_do(capacity: int,
                                            steps: list[tuple[str, str, str]]) -> None:
    job_ids, texts = JobIds(capacity), TextMemory(capacity)
    for step, job_id, job_hash in steps:
        if step == "note":
            assert job_ids.note(job_id, job_hash) == texts.note(job_id, job_hash)
        else:
            record = json.dumps({"sightings": [[job_id, job_hash]]}).encode()
            job_ids.learn(record)
            texts.learn(job_id, job_hash)
        assert len(job_ids) == len(texts.seen)
    assert job_ids.pending == texts.pending
