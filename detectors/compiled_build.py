"""Which build of the hot path runs: Python source or the same source compiled by Cython.

`setup.py` compiles the modules named in `COMPILED_MODULES` (the decide thread's pure path:
detectors, policy, sampling, the worker's pipeline) with Cython from their unchanged Python
source, and records each source's sha256 in `compiled_sources.json` beside this file. Python
itself would load a module's extension (`engine.cpython-311-*.so`) before its `.py`, even after
the `.py` was edited (an editable install builds the extensions in the source tree), so the
guard installed here loads a module compiled only when its source is the one it was compiled
from, and its Python source otherwise. `AFTERGUARD_PURE_PYTHON=1` loads every module from its
source (to compare the two builds, or to rule the compiled one out).

`describe()` says which modules run compiled; the worker logs it at start and exports it as
`afterguard_compiled_modules{state}` (docs/build.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.abc import MetaPathFinder
from importlib.machinery import ExtensionFileLoader, ModuleSpec, PathFinder
from importlib.util import find_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)

# setup.py reads this tuple (ast.literal_eval): keep it a literal. A module that defines a
# pydantic model cannot be compiled (pydantic takes a compiled method for a field).
COMPILED_MODULES: tuple[str, ...] = (
    "detectors.budget",
    "detectors.card_issuers",
    "detectors.coverage",
    "detectors.decoded",
    "detectors.element_lines",
    "detectors.embedded",
    "detectors.engine",
    "detectors.gazetteer",
    "detectors.key_block",
    "detectors.keys",
    "detectors.language",
    "detectors.linear",
    "detectors.normalise",
    "detectors.pattern",
    "detectors.plain_identifier",
    "detectors.patterns.checks",
    "detectors.patterns.phone_number_regions",
    "detectors.person_echo",
    "detectors.prefilter",
    "detectors.registry",
    "detectors.reversed",
    "detectors.screen",
    "detectors.spaced",
    "detectors.spans",
    "detectors.split_items",
    "detectors.tenant",
    "detectors.unescaped",
    "detectors.walker",
    "policies.allow",
    "policies.claims",
    "policies.crossref",
    "policies.decide",
    "policies.glob",
    "policies.key_id",
    "policies.keyed_hash",
    "policies.match",
    "policies.policy_detectors",
    "policies.redact",
    "policies.regex_check",
    "sampling.autonomy.action_class",
    "sampling.bounds",
    "sampling.budget",
    "sampling.draw",
    "sampling.mandatory",
    "sampling.routing",
    "sampling.sampler",
    "sampling.strata",
    "streams.audit.canonical",
    "streams.audit.chain",
    "streams.audit.evidence",
    "streams.signing.batches",
    "streams.signing.records",
    "streams.worker.batch",
    "streams.worker.codec",
    "streams.worker.decided",
    "streams.worker.first_seen",
    "streams.worker.job_ids",
    "streams.worker.list_bounds",
    "streams.worker.metadata_scan",
    "streams.worker.output_limits",
    "streams.worker.pipeline",
    "streams.worker.result_records",
    "streams.worker.review_stage",
    "streams.worker.scan_budget",
    "streams.worker.stage_clock",
    "streams.worker.value_count",
)
SOURCE_HASHES = Path(__file__).with_name("compiled_sources.json")
PURE_PYTHON_ENV = "AFTERGUARD_PURE_PYTHON"


@dataclass(frozen=True)
class BuildReport:
    """How each module of `COMPILED_MODULES` loads: compiled, or from its Python source because
    no extension was built for it, or because its source changed after the build."""

    compiled: tuple[str, ...]
    not_built: tuple[str, ...]
    source_changed: tuple[str, ...]
    forced_pure: bool

    @property
    def complete(self) -> bool:
        return not self.not_built and not self.source_changed

    @property
    def name(self) -> str:
        if self.forced_pure:
            return "pure Python (AFTERGUARD_PURE_PYTHON is set)"
        if self.complete:
            return "compiled"
        return "pure Python" if not self.compiled else "partly compiled"

    def summary(self) -> str:
        text = (f"build: {self.name}: {len(self.compiled)} of {len(COMPILED_MODULES)} hot-path "
                "modules compiled by Cython")
        if self.source_changed:
            text += (f"; {len(self.source_changed)} run from their Python source, changed after "
                     f"the build ({', '.join(self.source_changed)}): rebuild with "
                     "`pip install -e .` (or a new image)")
        if self.not_built and not self.forced_pure:
            text += (f"; {len(self.not_built)} not built (no C compiler or Cython at install "
                     "time: `pip install -e .` logs why)")
        return text


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _built_hashes() -> dict[str, str]:
    try:
        hashes = json.loads(SOURCE_HASHES.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(hashes, dict):
        return {}
    return {str(name): str(digest) for name, digest in hashes.items()}


class SourceGuard(MetaPathFinder):
    """Finds the modules of `COMPILED_MODULES` before Python's own finder does: the extension
    when it was built from the module's present source, the source otherwise."""

    def __init__(self, hashes: dict[str, str], pure: bool) -> None:
        self.hashes, self.pure = hashes, pure
        self.source_changed: set[str] = set()

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname not in _WANTED:
            return None
        spec = PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, ExtensionFileLoader) or not spec.origin:
            return spec
        source = Path(spec.origin).with_name(fullname.rpartition(".")[2] + ".py")
        if not source.is_file():  # an install without sources: only the extension exists
            return spec
        if not self.pure and self.hashes.get(fullname) == _sha256(source):
            return spec
        if not self.pure and fullname not in self.source_changed:
            self.source_changed.add(fullname)
            log.warning("%s: its source changed after it was compiled; running the source "
                        "(rebuild with `pip install -e .`)", fullname)
        return spec_from_file_location(fullname, source)


_WANTED = frozenset(COMPILED_MODULES)


def install_source_guard() -> SourceGuard:
    """Puts the guard first in `sys.meta_path` (once); the packages' `__init__` call it before
    any module of the list is imported."""
    for finder in sys.meta_path:
        if isinstance(finder, SourceGuard):
            return finder
    guard = SourceGuard(_built_hashes(), os.environ.get(PURE_PYTHON_ENV, "") not in ("", "0"))
    sys.meta_path.insert(0, guard)
    return guard


def describe() -> BuildReport:
    """Which modules run compiled. Finds each module's spec as an import would (through the
    guard), without importing the module itself."""
    guard = install_source_guard()
    compiled, not_built, changed = [], [], []
    for name in COMPILED_MODULES:
        module = sys.modules.get(name)
        spec = module.__spec__ if module is not None else find_spec(name)
        if spec is not None and isinstance(spec.loader, ExtensionFileLoader):
            compiled.append(name)
        elif name in guard.source_changed:
            changed.append(name)
        else:
            not_built.append(name)
    return BuildReport(tuple(compiled), tuple(not_built), tuple(changed), guard.pure)
