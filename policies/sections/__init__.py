"""The deployment sections of a policy file: sampling, routing, review queue and autonomy.

Here they are parsed and validated; their behaviour lives in `sampling/` and `streams/`.
"""

from policies.sections.autonomy import AutonomyPolicy
from policies.sections.review import ReviewPolicy
from policies.sections.routing import RoutingPolicy
from policies.sections.sampling import SamplingPolicy

__all__ = ["AutonomyPolicy", "ReviewPolicy", "RoutingPolicy", "SamplingPolicy"]
