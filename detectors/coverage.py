"""The names of the NER coverages (what spaCy's NER reads of each leaf, `detectors.language`) and
the default one; without spaCy, so that the policy language can name them cheaply."""

from __future__ import annotations

from typing import Literal

NerCoverage = Literal["windows", "words", "prose"]
COVERAGES: tuple[NerCoverage, ...] = ("windows", "words", "prose")
# What NER reads unless told otherwise: `prose` reads 2.1 times the tokens of `words` and does not
# keep detection within 5x presidio's time (docs/benchmarks.md, issue 14, "NER batch decoder").
DEFAULT_COVERAGE: NerCoverage = "words"
# The entity types NER reports (`detectors.ner.NER_ENTITIES`): a policy that asks for none of
# them runs no NER.
NER_ENTITY_TYPES = frozenset({"PERSON", "LOCATION", "NRP", "DATE_TIME"})
