"""Strata and inclusion probabilities: p = min(1, base_rate × weight), weights by risk tag."""

from __future__ import annotations

import math
from dataclasses import dataclass

from policies.sections.sampling import Combine, SamplingPolicy

DEFAULT_STRATUM = "default"


@dataclass(frozen=True)
class Stratum:
    name: str
    weight: float
    probability: float


def stratum_for(risk_tags: tuple[str, ...], policy: SamplingPolicy,
                factor: float = 1.0) -> Stratum:
    """The stratum of a result from its risk tags; tags without a weight count as untagged.
    `factor`: the autonomy level's sampling factor, applied to the stratum's weight."""
    weighted = sorted({tag for tag in risk_tags if tag in policy.weights})
    if not weighted:
        name, weight = DEFAULT_STRATUM, policy.default_weight
    elif policy.combine is Combine.PRODUCT:
        name = "+".join(weighted)
        weight = math.prod(policy.weights[tag] for tag in weighted)
    else:
        pick = max if policy.combine is Combine.MAX else min
        # ties break on the tag name, so the stratum is stable whatever the tag order
        name = pick(weighted, key=lambda tag: (policy.weights[tag], tag))
        weight = policy.weights[name]
    weight *= factor
    return Stratum(name, weight, min(1.0, policy.base_rate * weight))
