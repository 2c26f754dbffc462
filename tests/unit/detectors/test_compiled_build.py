"""The compiled build (setup.py, detectors/compiled_build.py): present where the install was
asked for it, the same records as the Python source, and never older than its source."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.machinery import ExtensionFileLoader
from pathlib import Path

import pytest

import detectors
from detectors.compiled_build import COMPILED_MODULES, SourceGuard, describe

DIGEST = Path(__file__).with_name("outputs_digest.py")
compiled_only = pytest.mark.skipif(
    not describe().compiled, reason="the hot path runs as Python source here (not built)")


def test_an_install_asked_to_compile_runs_every_module_compiled() -> None:
    """.ci/run installs with AFTERGUARD_COMPILE=required: the suite must then run against the
    compiled modules, not silently against their source."""
    if os.environ.get("AFTERGUARD_COMPILE") != "required":
        pytest.skip("AFTERGUARD_COMPILE is not `required` (CI sets it: .ci/run)")
    report = describe()
    assert report.complete and not report.forced_pure, report.summary()
    assert report.compiled == COMPILED_MODULES
    import detectors.engine
    import streams.worker.pipeline
    for module in (detectors.engine, streams.worker.pipeline):
        assert isinstance(module.__spec__.loader, ExtensionFileLoader), module.__spec__


@compiled_only
def test_a_module_whose_source_changed_runs_from_its_source() -> None:
    """An editable install builds the extensions beside their sources, and Python would load
    an extension before its edited `.py`: the guard loads the source instead, and says so."""
    name = "detectors.spans"
    guard = SourceGuard({name: "0" * 64}, pure=False)
    spec = guard.find_spec(name, detectors.__path__)
    assert spec is not None and spec.origin is not None
    assert spec.origin.endswith("spans.py")
    assert guard.source_changed == {name}
    fresh = SourceGuard(json.loads(Path(detectors.__file__).with_name(
        "compiled_sources.json").read_text()), pure=False).find_spec(name, detectors.__path__)
    assert fresh is not None and isinstance(fresh.loader, ExtensionFileLoader)
    assert guard.find_spec("detectors.finding", detectors.__path__) is None  # not on the list


@compiled_only
def test_the_compiled_build_writes_what_the_source_writes(tmp_path: Path) -> None:
    """The worker's pure path over a fixed demo stream (600 results, dead letters among them):
    every record it writes and every finding of the pattern engines, byte for byte the same
    compiled and as Python source (AFTERGUARD_PURE_PYTHON=1). The two run side by side (one
    core each where there are two), with the same AFTERGUARD_HOME: the first to need a key
    writes it there, the other waits for its lock (streams.signing.key_files)."""
    runs = [subprocess.Popen([sys.executable, str(DIGEST), str(tmp_path)], text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "AFTERGUARD_PURE_PYTHON": pure})
            for pure in ("0", "1")]
    digests = []
    for run in runs:
        out, err = run.communicate(timeout=240)
        assert run.returncode == 0, err[-2000:]
        digests.append(json.loads(out.splitlines()[-1]))
    compiled, source = digests
    assert compiled.pop("build") == "compiled"
    assert source.pop("build").startswith("pure Python")
    assert compiled["findings"] > 1000
    assert compiled == source


DEEPEST = """
import json, sys, threading
from detectors import DetectorEngine
from detectors.walker import scan_leaves
from streams.audit.canonical import canonical_bytes
depth = sys.getrecursionlimit() - 60
value = json.loads("[" * depth + '{"email": "someone@example.org"}' + "]" * depth)
def walk():
    leaves = list(scan_leaves(value))
    found = DetectorEngine(ner_model=None).scan(value)
    print(len(leaves), len(found), len(canonical_bytes(value)))
thread = threading.Thread(target=walk)  # as the worker's decide thread
thread.start()
thread.join()
"""


@compiled_only
def test_the_deepest_value_json_parses_is_walked_without_a_crash() -> None:
    """A compiled recursion does not count towards Python's recursion limit: where the source
    would raise RecursionError, the compiled walk goes on, on the thread's C stack. The deepest
    value Python's parser makes (about 1,000 levels; the policy's limits stop inputs at 200)
    is walked, scanned and encoded compiled without a crash."""
    run = subprocess.run([sys.executable, "-c", DEEPEST], capture_output=True, text=True,
                         check=False, timeout=120, cwd=Path(__file__).resolve().parents[3])
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split()[1] == "1"  # the e-mail address, found
