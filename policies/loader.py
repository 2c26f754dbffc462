"""Load and validate a policy file once, at the edge; errors name the file, line and field."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from policies import crossref
from policies.model import Policy
from policies.operators import OPERATOR_NAMES


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a policy file, and where."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field}: {self.message}"


class PolicyError(ValueError):
    """An invalid policy file: every problem names the file, the line and the field.
    `file`, `line`, `field` and `message` are those of the first problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        first = problems[0]
        self.file, self.line, self.field, self.message = (first.file, first.line, first.field,
                                                          first.message)
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class LoadedPolicy:
    """A validated policy and its snapshot id `version:hash`."""

    policy: Policy
    content_hash: str
    source: str

    @functools.cached_property
    def snapshot(self) -> str:  # read several times per result: worked out once
        return f"{self.policy.version}:{self.content_hash}"


def content_hash(policy: Policy) -> str:
    """sha256 of the canonical content: formatting, comments and key order do not change it;
    any change to what the policy means does."""
    canonical = json.dumps(policy.model_dump(mode="json"), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def shipped_policy_path(name: str) -> Path:
    return Path(str(resources.files("policies").joinpath(f"{name}.yaml")))


def load_policy(path: str | Path) -> LoadedPolicy:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise PolicyError([Problem(str(path), None, "(file)", f"cannot read: {reason}")]) from None
    return parse_policy(text, str(path))


def parse_policy(text: str, source: str) -> LoadedPolicy:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = str(getattr(exc, "problem", None) or exc)
        raise PolicyError([Problem(source, line, "(yaml)", problem)]) from None
    if not isinstance(data, dict) or node is None:
        raise PolicyError([Problem(source, 1, "(document)", "a policy must be a YAML mapping")])
    duplicates = list(_duplicate_keys(node, ()))
    if duplicates:
        raise PolicyError([Problem(source, line, _dotted(loc), "key given twice; YAML would "
                                   "silently keep only the last") for loc, line in duplicates])
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(sorted(
            (Problem(source, _line_of(node, tuple(e["loc"])), _dotted(e["loc"]),
                     e["msg"].removeprefix("Value error, "))
             for e in exc.errors(include_url=False)), key=lambda p: p.line or 0)) from None
    found = crossref.problems(policy)
    if found:
        raise PolicyError([Problem(source, _line_of(node, loc), _dotted(loc), message)
                           for loc, message in found])
    return LoadedPolicy(policy, content_hash(policy), source)


def _duplicate_keys(node: yaml.Node, loc: tuple[Any, ...]) -> Any:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if key.value in seen:
                yield (*loc, key.value), key.start_mark.line + 1
            seen.add(key.value)
            yield from _duplicate_keys(value, (*loc, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*loc, index))


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in OPERATOR_NAMES or "[" in str(part) or str(part).startswith("function-"):
            continue  # pydantic's union-branch and validator labels are not fields the user wrote
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def _line_of(node: yaml.Node, loc: tuple[Any, ...]) -> int:
    """The line of the deepest key (or list item) on the error's path that the file has."""
    line: int = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]  # the line where the key is
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
    return line
