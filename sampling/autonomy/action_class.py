"""The action class autonomy is earned for: the action with its last segment dropped.

`job.support.process-refund` and `job.support.close-ticket` are both `job.support`: an agent
earns autonomy for a family of related actions, so evidence from one refund counts towards the
next. An action without a dot is its own class. The policy does not map classes (yet); this one
function is the only place that decides, and both the scorer and the sampler call it.
"""

from __future__ import annotations


def action_class(action: str) -> str:
    head, dot, _last = action.rpartition(".")
    return head if dot and head else action
