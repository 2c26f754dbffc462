"""Load the worker's policy at start and again on SIGHUP; a bad new file never replaces a good one.

The worker runs a reload between batches (`DecideLoop.between_batches`: under the batch lock,
in the thread that decides batches, so building a new detector engine does not stop the event
loop either). A batch being decided in that thread is never given another policy halfway; every
record decided after a reload carries the new snapshot and no batch mixes two policies.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from detectors import DetectorEngine
from policies import LoadedPolicy, PolicyError, load_policy
from policies.policy_detectors import engine_detectors
from streams.config import ConfigError
from streams.worker.pipeline import Pipeline

log = logging.getLogger(__name__)


def engine_for(policy: LoadedPolicy) -> DetectorEngine:
    """A detector engine that looks only for the entity types this policy needs, with the
    policy's own deny lists and custom patterns."""
    return DetectorEngine(entities=policy.policy.scanned_entities(),
                          detectors=engine_detectors(policy.policy),
                          ner_coverage=policy.policy.detection.ner_reads())


def _detection_of(policy: LoadedPolicy) -> tuple[object, ...]:
    """What the engine is built from: a reload that changes it needs a new engine."""
    detection = policy.policy.detection
    return (policy.policy.scanned_entities(), detection.deny, detection.patterns,
            detection.phone_regions, detection.ner_reads())


class PolicyReloader:
    """Reloads `path` into `pipeline`; keeps the old policy when the new file is invalid."""

    def __init__(self, pipeline: Pipeline, path: Path,
                 engine_factory: Callable[[LoadedPolicy], DetectorEngine] = engine_for,
                 checks: Sequence[Callable[[LoadedPolicy], None]] = ()) -> None:
        """`checks` raise ConfigError when a policy cannot run here (e.g. its sampling key is
        missing); such a policy is rejected like an invalid file."""
        self.pipeline, self.path, self.engine_factory = pipeline, path, engine_factory
        self.checks = tuple(checks)

    def reload(self) -> bool:
        """True when a new policy is now in force."""
        current = self.pipeline.policy
        try:
            new = load_policy(self.path)
            for check in self.checks:
                check(new)
            engine = (self.pipeline.engine
                      if _detection_of(new) == _detection_of(current)
                      else self.engine_factory(new))
        except (PolicyError, ConfigError) as exc:
            log.error("policy reload rejected; %s stays in force:\n%s", current.snapshot, exc)
            return False
        except Exception:  # a detector engine that cannot start must not stop the worker
            log.exception("policy reload failed building detectors; %s stays in force",
                          current.snapshot)
            return False
        if new.snapshot == current.snapshot:
            log.info("policy reload: %s unchanged", current.snapshot)
            return False
        self.pipeline.use(new, engine)
        log.warning("policy reloaded from %s: %s -> %s", self.path, current.snapshot,
                    new.snapshot)
        return True
