"""Build the held-out credential corpus from public rule examples (run once, offline).

    .venv/bin/python bench/credential_heldout_build.py GITLEAKS_GIT_DIR DETECT_SECRETS_GIT_DIR

Reads, at a given commit, the true- and false-positive examples that
- gitleaks (MIT License) keeps with each rule in `cmd/generate/config/rules/*.go`: the literal
  strings, and the examples gitleaks builds from a secret pattern (`secrets.NewSecret(re)`,
  `newPlausibleSecret(re)`, `utils.AlphaNumeric("32")`...) and its sample layouts
  (`utils.GenerateSampleSecrets`, read from `cmd/generate/config/utils/generate.go`); a secret
  pattern is sampled here with a seeded generator over Python's regex parser;
- detect-secrets (Apache-2.0) keeps in `tests/plugins/*_test.py`: the `(line, should_flag)`
  parameter tables;
and writes them to `bench/data/credential_heldout.jsonl`, one example a line:
`{"source", "rule", "kind": "tp"|"fp", "text"}`. No code of either project is copied: the
examples are their test data. Nothing here runs at detection time; the benchmark
(`credential_heldout.py`) reads only the JSON lines file.
"""

from __future__ import annotations

import ast
import json
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:
    import re._parser as sre_parse  # type: ignore[import-not-found]
    from re._constants import (  # type: ignore[import-not-found]
        ANY,
        AT,
        BRANCH,
        CATEGORY,
        CATEGORY_DIGIT,
        CATEGORY_NOT_DIGIT,
        CATEGORY_NOT_SPACE,
        CATEGORY_NOT_WORD,
        CATEGORY_SPACE,
        CATEGORY_WORD,
        IN,
        LITERAL,
        MAX_REPEAT,
        MIN_REPEAT,
        NEGATE,
        NOT_LITERAL,
        RANGE,
        SUBPATTERN,
    )
except ImportError:  # pragma: no cover - Python < 3.11
    raise SystemExit("needs Python 3.11+") from None

OUT = Path(__file__).resolve().parent / "data/credential_heldout.jsonl"
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_CATEGORY = {CATEGORY_DIGIT: "0123456789", CATEGORY_WORD: ALNUM + "_", CATEGORY_SPACE: " ",
             CATEGORY_NOT_DIGIT: "abcXYZ", CATEGORY_NOT_WORD: "-.", CATEGORY_NOT_SPACE: ALNUM}


def _git(git_dir: Path, *args: str) -> str:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True,
                          capture_output=True, text=True).stdout


# --- a random string matching a regular expression -------------------------------------------

def sample_regex(pattern: str, rng: random.Random) -> str:
    pattern = pattern.replace("(?i)", "").replace("\\z", "$")
    pattern = re.sub(r"\(\?i:", "(?:", pattern)
    return "".join(_sample(sre_parse.parse(pattern), rng))


def _sample(items: Any, rng: random.Random) -> Iterator[str]:
    for op, arg in items:
        if op is LITERAL:
            yield chr(arg)
        elif op is NOT_LITERAL:
            yield rng.choice([c for c in ALNUM if ord(c) != arg])
        elif op is ANY:
            yield rng.choice(ALNUM)
        elif op is IN:
            yield _sample_set(arg, rng)
        elif op is CATEGORY:
            yield rng.choice(_CATEGORY[arg])
        elif op in (MAX_REPEAT, MIN_REPEAT):
            low, high, body = arg
            high = low + 8 if high == sre_parse.MAXREPEAT else high
            for _ in range(rng.randint(low, max(low, min(high, low + 40)))):
                yield from _sample(body, rng)
        elif op is SUBPATTERN:
            yield from _sample(arg[-1], rng)
        elif op is BRANCH:
            yield from _sample(rng.choice(arg[1]), rng)
        elif op is AT:
            continue
        else:
            raise ValueError(f"regex op {op}")


def _sample_set(items: Any, rng: random.Random) -> str:
    chars: list[str] = []
    negate = False
    for op, arg in items:
        if op is NEGATE:
            negate = True
        elif op is LITERAL:
            chars.append(chr(arg))
        elif op is RANGE:
            chars += [chr(c) for c in range(arg[0], min(arg[1], arg[0] + 200) + 1)]
        elif op is CATEGORY:
            chars += list(_CATEGORY[arg])
    if negate:
        chars = [c for c in ALNUM if c not in chars]
    return rng.choice(chars)


# --- a small evaluator for the Go expressions that build gitleaks' examples -------------------

_TOKEN = re.compile(r"""\s+|//[^\n]*|/\*.*?\*/|`[^`]*`|"(?:\\.|[^"\\])*"|\.\.\.|:=|[A-Za-z_][\w.]*|\d+|.""",
                    re.DOTALL)


def _tokens(source: str) -> list[str]:
    return [t for t in _TOKEN.findall(source) if t.strip() and not t.startswith(("//", "/*"))]


def _go_string(token: str) -> str:
    if token.startswith("`"):
        return token[1:-1]
    return str(ast.literal_eval(token.replace("\\x60", "`")))


class GoExamples:
    """Evaluates `tps := ...`, `tps = append(tps, ...)` and the same for `fps` in one rule
    function; anything it cannot evaluate is skipped and counted."""

    def __init__(self, helpers: dict[str, str], layouts: list[str], one_layout: str,
                 rng: random.Random) -> None:
        self.helpers, self.layouts, self.one_layout, self.rng = helpers, layouts, one_layout, rng
        self.skipped = 0

    def examples(self, body: str) -> dict[str, list[str]]:
        toks = _tokens(body)
        out: dict[str, list[str]] = {"tp": [], "fp": []}
        env: dict[str, Any] = {}
        i = 0
        while i < len(toks) - 2:
            name, op = toks[i], toks[i + 1]
            if re.fullmatch(r"[A-Za-z_]\w*", name) and op in (":=", "=") and (
                    i == 0 or toks[i - 1] in (";", "{", "}", ")", "]") or toks[i - 1].isidentifier()
                    or toks[i - 1].startswith(("`", '"'))):
                end = self._statement_end(toks, i + 2)
                try:
                    value, _ = self._expr(toks, i + 2, env)
                except (ValueError, IndexError, SyntaxError, KeyError, TypeError, re.error):
                    value = None
                    if name in ("tps", "fps"):
                        self.skipped += 1
                if value is not None:
                    env[name] = value
                i = end
                continue
            i += 1
        for name, kind in (("tps", "tp"), ("fps", "fp")):
            value = env.get(name)
            if isinstance(value, list):
                out[kind] = [v for v in value if isinstance(v, str) and v.strip()]
        return out

    @staticmethod
    def _statement_end(toks: list[str], i: int) -> int:
        depth = 0
        while i < len(toks):
            t = toks[i]
            if t in "([{":
                depth += 1
            elif t in ")]}":
                depth -= 1
                if depth < 0:
                    return i
            elif depth == 0 and t in (";",):
                return i + 1
            if depth == 0 and i + 1 < len(toks) and toks[i + 1] in (":=", "=") and t not in "([{,+":
                return i
            i += 1
        return i

    def _expr(self, toks: list[str], i: int, env: dict[str, Any]) -> tuple[Any, int]:
        value, i = self._term(toks, i, env)
        while i < len(toks) and toks[i] == "+":
            right, i = self._term(toks, i + 1, env)
            if not (isinstance(value, str) and isinstance(right, str)):
                raise TypeError("+ on non-strings")
            value += right
        return value, i

    def _args(self, toks: list[str], i: int, env: dict[str, Any]) -> tuple[list[Any], int]:
        assert toks[i] in ("(", "{")
        close = ")" if toks[i] == "(" else "}"
        i += 1
        args: list[Any] = []
        while toks[i] != close:
            try:
                value, i = self._expr(toks, i, env)
                if toks[i] == "...":
                    args.extend(value)
                    i += 1
                else:
                    args.append(value)
            except (ValueError, IndexError, SyntaxError, KeyError, re.error, TypeError):
                self.skipped += 1
                i = self._skip_argument(toks, i)
            if toks[i] == ",":
                i += 1
        return args, i + 1

    @staticmethod
    def _skip_argument(toks: list[str], i: int) -> int:
        depth = 0
        while True:
            t = toks[i]
            if t in "([{":
                depth += 1
            elif t in ")]}":
                if depth == 0:
                    return i
                depth -= 1
            elif t == "," and depth == 0:
                return i
            i += 1

    def _term(self, toks: list[str], i: int, env: dict[str, Any]) -> tuple[Any, int]:
        t = toks[i]
        if t.startswith(("`", '"')):
            return _go_string(t), i + 1
        if t == "[" and toks[i + 1] == "]" and toks[i + 2] == "string":
            return self._args(toks, i + 3, env)
        if t == "(":
            value, i = self._expr(toks, i + 1, env)
            return value, i + 1
        if toks[i + 1:i + 2] == ["("]:
            args, end = self._args(toks, i + 1, env)
            return self._call(t, args), end
        if t in env:
            return env[t], i + 1
        raise ValueError(f"cannot evaluate {t}")

    def _call(self, name: str, args: list[Any]) -> Any:
        short = name.rsplit(".", 1)[-1]
        if short == "append":
            return list(args[0]) + list(args[1:])
        if short in ("NewSecret", "newPlausibleSecret"):
            return sample_regex(args[0], self.rng)
        if short == "GenerateSampleSecrets":
            return [layout.replace("{i}", args[0]).replace("{I}", args[0].upper())
                    .replace("{s}", args[1]) for layout in self.layouts]
        if short == "GenerateSampleSecret":
            return self.one_layout.replace("{i}", args[0]).replace("{s}", args[1])
        if short in self.helpers:
            return self.helpers[short].replace("%s", str(args[0]) if args else "")
        if short == "Repeat":
            return str(args[0]) * int(args[1])
        raise ValueError(f"call {name}")


def gitleaks(git_dir: Path, commit: str, rng: random.Random) -> Iterator[dict[str, str]]:
    patterns = _git(git_dir, "show", f"{commit}:cmd/generate/config/utils/patterns.go")
    helpers = {m[0]: m[1] for m in re.findall(
        r"func (\w+)\([^)]*\) string \{\s*return (?:fmt\.Sprintf\()?`([^`]*)`", patterns)}
    generate = _git(git_dir, "show", f"{commit}:cmd/generate/config/utils/generate.go")
    block = generate.split("samples := map[string]string{", 1)[1].split("\n\t}\n", 1)[0]
    layouts = [_go_string(m) for m in re.findall(
        r'^\s*"[^"\n]*":\s*(`[^`]*`|"(?:\\.|[^"\\])*")', block, re.MULTILINE)]
    one = re.search(r'func GenerateSampleSecret\(.*?Sprintf\((".*?"),', generate, re.DOTALL)
    one_layout = _go_string(one[1]).replace("%s", "{i}", 1).replace("%s", "{s}", 1) if one \
        else "{i}_api_token = \"{s}\""
    evaluator = GoExamples(helpers, layouts, one_layout, rng)
    files = _git(git_dir, "ls-tree", "--name-only", commit, "cmd/generate/config/rules/").split()
    for path in sorted(files):
        if not path.endswith(".go") or path.endswith("_test.go"):
            continue
        source = _git(git_dir, "show", f"{commit}:{path}")
        for func in re.split(r"\nfunc ", source)[1:]:
            rule = re.search(r'RuleID:\s*"([^"]+)"', func)
            if not rule:
                continue
            for kind, texts in evaluator.examples(func).items():
                for text in dict.fromkeys(texts):
                    yield {"source": f"gitleaks@{commit[:8]}", "rule": rule[1], "kind": kind,
                           "text": text}
    print(f"gitleaks: {evaluator.skipped} example expressions not evaluated", file=sys.stderr)


def detect_secrets(git_dir: Path, commit: str) -> Iterator[dict[str, str]]:
    files = _git(git_dir, "ls-tree", "--name-only", commit, "tests/plugins/").split()
    for path in sorted(files):
        if not path.endswith("_test.py"):
            continue
        tree = ast.parse(_git(git_dir, "show", f"{commit}:{path}"))
        rule = Path(path).stem.removesuffix("_test")
        for node in ast.walk(tree):
            if not isinstance(node, (ast.List, ast.Tuple)):
                continue
            for element in node.elts:
                if (isinstance(element, ast.Tuple) and len(element.elts) == 2
                        and isinstance(element.elts[0], ast.Constant)
                        and isinstance(element.elts[0].value, str)
                        and isinstance(element.elts[1], ast.Constant)
                        and isinstance(element.elts[1].value, bool)):
                    yield {"source": f"detect-secrets@{commit[:8]}", "rule": rule,
                           "kind": "tp" if element.elts[1].value else "fp",
                           "text": element.elts[0].value}


def main() -> None:
    gitleaks_dir, detect_secrets_dir = Path(sys.argv[1]), Path(sys.argv[2])
    rng = random.Random(1414)
    rows: list[dict[str, str]] = []
    for git_dir, build in ((gitleaks_dir, lambda d, c: gitleaks(d, c, rng)),
                           (detect_secrets_dir, detect_secrets)):
        commit = _git(git_dir, "rev-parse", "HEAD").strip()
        rows += list(build(git_dir, commit))
    seen: set[tuple[str, str]] = set()
    with OUT.open("w") as out:
        for row in rows:
            if (row["kind"], row["text"]) in seen:
                continue
            seen.add((row["kind"], row["text"]))
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    kinds = [r["kind"] for r in rows]
    print(f"{OUT}: {kinds.count('tp')} true-positive and {kinds.count('fp')} "
          f"false-positive examples (before removing duplicates)")


if __name__ == "__main__":
    main()
