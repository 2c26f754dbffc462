"""Graduated autonomy earned from review outcomes (issue 8): per (agent, action class) review
evidence, Clopper–Pearson promotion and demotion tests, proposals and sign-offs. Pure: the
scorer's faust agent (streams/autonomy/) owns the state and calls these functions."""

from sampling.autonomy.action_class import action_class
from sampling.autonomy.scorer import Step, initial_state, observe_decisions, observe_verdict
from sampling.autonomy.signoff import apply_signoff
from sampling.autonomy.state import (
    AutonomyRecord,
    AutonomyState,
    DemotionWatch,
    LevelChange,
    PromotionOutlook,
    Proposal,
    SignOff,
    SignOffResult,
)

__all__ = ["AutonomyRecord", "AutonomyState", "DemotionWatch", "LevelChange", "PromotionOutlook", "Proposal",
           "SignOff", "SignOffResult", "Step", "action_class", "apply_signoff", "initial_state",
           "observe_decisions", "observe_verdict"]
