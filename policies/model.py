"""The policy language: a pydantic model of the YAML file platform and security teams review.

Per finding, every output rule that matches is an outcome; the most severe decision wins and,
among equally severe rules, the first in file order (so a specific rule placed first picks the
operator). An `allow` rule can therefore never hide a finding that another rule quarantines.
Findings no rule covers follow `defaults`. The result's decision is the most severe of all.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from detectors.coverage import DEFAULT_COVERAGE, NerCoverage
from policies.base import EntityName, Identifier, Probability, Strict
from policies.conditions import Audience, Match
from policies.decision import Decision
from policies.operators import Drop, Operator, Remove, Replace, operator_shorthand
from policies.sections import AutonomyPolicy, ReviewPolicy, RoutingPolicy, SamplingPolicy
from policies.sections.detection_lists import (
    AllowEntry,
    CustomPattern,
    DenyEntry,
    PhoneRegions,
)
from policies.sections.limits import Limits
from policies.sections.trust import TrustPolicy

__all__ = ["Audience", "Defaults", "Detection", "FieldRule", "Limits", "Match", "OutputRule",
           "Policy", "ResultRule"]


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


class OutputRule(Strict):
    """Maps the findings it matches to a decision (and an operator when it redacts)."""

    id: Identifier
    when: Match = Match()
    entities: tuple[EntityName, ...] = ()
    paths: tuple[str, ...] = ()
    min_score: Probability = 0.0
    decision: Decision
    operator: Operator | None = None
    reason: str = Field(min_length=1)

    _shorthand = field_validator("operator", mode="before")(operator_shorthand)
    _decision = field_validator("decision", mode="before")(_upper)

    @model_validator(mode="after")
    def _operator_only_with_redact(self) -> OutputRule:
        if self.decision is Decision.REDACT and self.operator is None:
            raise ValueError("a rule that redacts needs an operator")
        if self.decision is not Decision.REDACT and self.operator is not None:
            raise ValueError(f"operator given but decision is {self.decision.value}")
        return self


class ResultRule(Strict):
    """Quarantines a whole result whose own attributes match `when`, whatever it holds (e.g. a
    customer-facing reply whose confidence is below 0.7). Only quarantine: a result rule cannot
    release anything, so an agent's signals can only tighten its treatment."""

    id: Identifier
    when: Match
    decision: Decision = Decision.QUARANTINE
    reason: str = Field(min_length=1)

    _decision = field_validator("decision", mode="before")(_upper)

    @model_validator(mode="after")
    def _quarantine_only(self) -> ResultRule:
        if self.decision is not Decision.QUARANTINE:
            raise ValueError("a result rule can only quarantine")
        return self


class FieldRule(Strict):
    """Removes or drops whole fields by path, whatever they hold (e.g. `*.internal_notes`)."""

    id: Identifier
    when: Match = Match()
    paths: tuple[str, ...] = Field(min_length=1)
    operator: Annotated[Remove | Drop, Field(discriminator="type")] = Remove()
    reason: str = Field(min_length=1)

    _shorthand = field_validator("operator", mode="before")(operator_shorthand)


class Defaults(Strict):
    """What happens to a finding no rule covers."""

    decision: Decision = Decision.REDACT
    operator: Operator = Replace()
    reason: str = "finding not covered by any rule: policy default"

    _shorthand = field_validator("operator", mode="before")(operator_shorthand)
    _decision = field_validator("decision", mode="before")(_upper)


class Detection(Strict):
    """The entity types this policy needs scanned (null: everything the detectors know), and
    the policy's own control over findings: allow lists, deny lists and custom patterns
    (`policies.sections.detection_lists`); `ner_coverage` is what spaCy's NER reads of each
    leaf (`detectors.coverage.COVERAGES`; null: the engine's default, `words`)."""

    entities: tuple[EntityName, ...] | None = None
    allow: tuple[AllowEntry, ...] = ()
    deny: tuple[DenyEntry, ...] = ()
    patterns: tuple[CustomPattern, ...] = ()
    phone_regions: PhoneRegions | None = None
    ner_coverage: NerCoverage | None = None

    def ner_reads(self) -> str:
        """The NER coverage the engine reads under this policy."""
        return self.ner_coverage or DEFAULT_COVERAGE

    def own_entities(self) -> frozenset[str]:
        """The entity types the policy's deny lists and custom patterns report."""
        return frozenset({d.entity for d in self.deny} | {p.entity for p in self.patterns})


class Policy(Strict):
    """A whole deployment's policy file."""

    version: str = Field(min_length=1, max_length=64, pattern=r"^[^:\s]+$")
    name: str = Field(default="policy", min_length=1)
    description: str = ""
    defaults: Defaults = Defaults()
    limits: Limits = Limits()
    detection: Detection = Detection()
    rules: tuple[OutputRule, ...] = ()
    field_rules: tuple[FieldRule, ...] = ()
    result_rules: tuple[ResultRule, ...] = ()
    # What input topics and agent ids vouch for; the agent's claims only tighten it.
    trust: TrustPolicy | None = None
    # Parsed and cross-checked here so one file describes the whole deployment.
    sampling: SamplingPolicy | None = None
    routing: RoutingPolicy | None = None
    review: ReviewPolicy | None = None
    autonomy: AutonomyPolicy | None = None

    def scanned_entities(self) -> frozenset[str] | None:
        """The entity types detectors must look for: `detection.entities` plus every entity a
        rule names (a rule never goes silently dead); None means all."""
        if self.detection.entities is None:
            return None
        named = {e for rule in self.rules for e in rule.entities}
        named |= {e for m in (self.sampling.mandatory.matchers if self.sampling else ())
                  for e in m.entities}
        named |= {e for r in (self.routing.rules if self.routing else ()) for e in r.entities}
        return frozenset(self.detection.entities) | named | self.detection.own_entities()
