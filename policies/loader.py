"""Load and validate a policy file once, at the edge; errors name the file, line and field."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from policies.model import Policy


class PolicyError(ValueError):
    """An invalid policy file. The message names the file, the line and the field."""

    def __init__(self, file: str, line: int | None, field: str, message: str) -> None:
        self.file, self.line, self.field, self.message = file, line, field, message
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {field}: {message}")


@dataclass(frozen=True)
class LoadedPolicy:
    """A validated policy and its snapshot id `version:hash`."""

    policy: Policy
    content_hash: str
    source: str

    @property
    def snapshot(self) -> str:
        return f"{self.policy.version}:{self.content_hash}"


def content_hash(policy: Policy) -> str:
    """sha256 of the canonical content: formatting and comments do not change it, rules do."""
    canonical = json.dumps(policy.model_dump(mode="json"), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def shipped_policy_path(name: str) -> Path:
    return Path(str(resources.files("policies").joinpath(f"{name}.yaml")))


def load_policy(path: str | Path) -> LoadedPolicy:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(str(path), None, "(file)", f"cannot read: {exc.strerror}") from None
    return parse_policy(text, str(path))


def parse_policy(text: str, source: str) -> LoadedPolicy:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise PolicyError(source, line, "(yaml)", str(getattr(exc, "problem", exc))) from None
    if not isinstance(data, dict):
        raise PolicyError(source, 1, "(document)", "a policy must be a YAML mapping")
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        raise PolicyError(source, _line_of(node, loc), _dotted(loc), error["msg"]) from None
    return LoadedPolicy(policy, content_hash(policy), source)


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("replace", "mask", "hash", "remove", "drop") or "[" in str(part):
            continue  # pydantic's union-branch labels are not fields the user wrote
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest YAML node on the error's path."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
            if child is None:
                break
            node = child
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            continue
        line = node.start_mark.line + 1
    return line
