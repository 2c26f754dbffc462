"""The action class autonomy is earned for.

The policy may map actions to classes (`autonomy.action_classes`: globs to a class name, the
first matching rule wins). An action no rule maps belongs to the class named by the action with
its last segment dropped: `job.support.process-refund` and `job.support.close-ticket` are both
`job.support`, so evidence from one refund counts towards the next; an action without a dot is
its own class. This one function decides; the scorer and the sampler both call it.
"""

from __future__ import annotations

from collections.abc import Sequence

from policies.glob import any_glob
from policies.sections.autonomy import ActionClassRule


def action_class(action: str, rules: Sequence[ActionClassRule] = ()) -> str:
    for rule in rules:
        if any_glob(rule.actions, action):
            return rule.name
    head, dot, _last = action.rpartition(".")
    return head if dot and head else action
