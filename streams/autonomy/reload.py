"""SIGHUP for the autonomy scorer: the policy's autonomy section from the file again; an
invalid file, or one without an autonomy section, leaves the old policy in force."""

from __future__ import annotations

import logging
from pathlib import Path

from policies import LoadedPolicy, PolicyError, load_policy
from streams.autonomy.scoring import autonomy_section

log = logging.getLogger(__name__)


class PolicyHolder:
    """The scorer's current policy; scoring reads it once per event."""

    def __init__(self, policy: LoadedPolicy) -> None:
        self.policy = policy

    def reload(self, path: Path) -> bool:
        """True when the file's policy is now in force."""
        try:
            new = load_policy(path)
            autonomy_section(new)
        except (PolicyError, ValueError) as exc:
            log.error("autonomy policy reload rejected; %s stays in force:\n%s",
                      self.policy.snapshot, exc)
            return False
        log.warning("autonomy policy reloaded from %s: %s -> %s", path, self.policy.snapshot,
                    new.snapshot)
        self.policy = new
        return True
