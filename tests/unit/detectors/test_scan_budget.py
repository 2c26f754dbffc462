"""Each value's scan budget covers its share of the batch's NER: the model runs in chunks, a
chunk's time is charged to the values whose windows it held, and a value over its budget is a
DetectorTimeout whose remaining windows never reach the model; the other values keep their
findings. A fake clock that the stand-in model advances: no timing."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from detectors import DetectorEngine
from detectors.budget import DetectorTimeout
from detectors.patterns.email import EMAIL


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class SlowModel:
    """A blank English pipeline that records what it is given and costs 10 ms of fake time per
    character, as a model costs about the same per token."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock, self.seen = clock, list[str]()
        self._blank = spacy.blank("en")

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
        texts = list(texts)
        self.seen.extend(texts)
        self.clock.now += 0.01 * sum(map(len, texts))
        return self._blank.pipe(texts, batch_size=batch_size)


def test_a_value_over_its_budget_in_ner_times_out_alone() -> None:
    clock = FakeClock()
    model = SlowModel(clock)
    engine = DetectorEngine(detectors=(EMAIL,), nlp=cast(Language, model))
    # 600 windows of 25-27 characters (about 6 s per chunk of 256) for the big value
    slow: Any = {"names": [f"Slowpoke Number{i} went home" for i in range(600)]}
    calm = "Write to Dana at dana@example.com today"
    outcomes = engine.scan_each([calm, slow, calm], budget_s=5.0, clock=clock)
    assert isinstance(outcomes[1], DetectorTimeout)
    assert [[f.entity for f in o] for o in (outcomes[0], outcomes[2])] == [  # type: ignore[union-attr]
        ["EMAIL_ADDRESS"], ["EMAIL_ADDRESS"]]
    # the slow value's windows stopped after the first chunk charged it over its budget
    assert sum("Slowpoke" in t for t in model.seen) < 600
