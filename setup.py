"""The compiled build of the hot path; everything else about the package is in pyproject.toml.

The modules named in detectors/compiled_build.py are compiled by Cython from their unchanged
Python source (no `.pyx`, no type declarations: the Python source stays the one source and runs
as it is where nothing was compiled). `AFTERGUARD_COMPILE` chooses:

    auto      (default) compile; where Cython or a C compiler fails, install that module as
              Python source and say so (the package works the same, slower)
    required  fail the install when any module does not compile (CI: .ci/run)
    off       compile nothing

Each compiled module's source sha256 goes into detectors/compiled_sources.json, so that a
module whose source changed after the build runs from its source (docs/build.md).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
MODULE_LIST = ROOT / "detectors" / "compiled_build.py"
SOURCE_HASHES = "detectors/compiled_sources.json"
MODE = os.environ.get("AFTERGUARD_COMPILE", "auto")
if MODE not in ("auto", "required", "off"):
    sys.exit(f"AFTERGUARD_COMPILE={MODE!r}: use auto, required or off")


def compiled_modules() -> list[str]:
    for node in ast.parse(MODULE_LIST.read_text()).body:
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and node.target.id == "COMPILED_MODULES" and node.value is not None):
            return list(ast.literal_eval(node.value))
    raise SystemExit(f"{MODULE_LIST}: no COMPILED_MODULES tuple")


def source_of(module: str) -> str:
    return module.replace(".", "/") + ".py"


def not_compiled(why: str) -> None:
    if MODE == "required":
        raise SystemExit(f"AFTERGUARD_COMPILE=required: {why}")
    print(f"WARNING: {why}; that part of Afterguard is installed as Python source "
          "(the same behaviour, slower)", file=sys.stderr)


def extensions() -> list[Extension]:
    if MODE == "off":
        return []
    try:
        from Cython.Build import cythonize
    except ImportError as exc:
        not_compiled(f"Cython is not importable ({exc})")
        return []
    # -O2 -g0 after Python's own -O3 -g: half the compiler's time (an idle 2-core machine
    # builds the list in about a minute), the same speed within the benchmark's noise
    modules = [Extension(name, [source_of(name)], extra_compile_args=["-O2", "-g0"])
               for name in compiled_modules()]
    # annotation_typing off: annotations are not C types, so the compiled code accepts and
    # returns exactly what the Python source does (an `int` argument may be a bool, a
    # `float` an int...). The .c files stay in build/, out of the source tree.
    try:
        return list(cythonize(modules, build_dir="build/cython", quiet=True,
                              nthreads=os.cpu_count() or 1,
                              compiler_directives={"language_level": 3,
                                                   "annotation_typing": False}))
    except Exception as exc:  # noqa: BLE001 (Cython's errors have no common base)
        not_compiled(f"Cython failed ({type(exc).__name__}: {exc})")
        return []


class BuildCompiled(build_ext):
    """build_ext that builds on every core, lets a module fail to compile in `auto` mode (it
    then stays Python source), and writes the source hashes of what it built."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1
        self.failed: dict[str, str] = {}

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:
            if MODE == "required":
                raise
            self.failed[ext.name] = f"{type(exc).__name__}: {exc}"

    def build_extensions(self) -> None:
        super().build_extensions()
        if self.failed:
            first = min(self.failed)
            not_compiled(f"{len(self.failed)} of {len(self.extensions)} hot-path modules did "
                         f"not compile ({first}: {self.failed[first]})")
        # what did not compile is neither copied into the source tree nor listed as built
        self.extensions = [ext for ext in self.extensions if ext.name not in self.failed]

    def run(self) -> None:
        super().run()
        hashes = {ext.name: hashlib.sha256((ROOT / source_of(ext.name)).read_bytes())
                  .hexdigest() for ext in self.extensions}
        text = json.dumps(hashes, indent=1, sort_keys=True) + "\n"
        targets = [ROOT / SOURCE_HASHES] if self.inplace else []
        targets.append(Path(self.build_lib) / SOURCE_HASHES)
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        print(f"Afterguard: {len(hashes)} of {len(compiled_modules())} hot-path modules "
              "compiled by Cython", file=sys.stderr)


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildCompiled})
