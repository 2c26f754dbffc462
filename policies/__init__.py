"""The policy language, its loader and snapshot, decisions and redaction."""

import detectors  # noqa: F401  first: its guard decides how compiled modules load
from policies.action_result import ActionResult
from policies.decide import Outcome, decide, fail_closed
from policies.decision import Decision, Redaction, SafetyDecision
from policies.loader import (
    LoadedPolicy,
    PolicyError,
    Problem,
    load_policy,
    parse_policy,
    shipped_policy_path,
)
from policies.model import Policy
from policies.redact import HashKey

__all__ = ["ActionResult", "Decision", "HashKey", "LoadedPolicy", "Outcome", "Policy",
           "PolicyError", "Problem", "Redaction", "SafetyDecision", "decide", "fail_closed",
           "load_policy", "parse_policy", "shipped_policy_path"]
