"""The autonomy scorer's SIGHUP reload: a valid file's policy takes effect; a broken file or
one without an autonomy section leaves the old one in force."""

from __future__ import annotations

from pathlib import Path

from policies import load_policy, shipped_policy_path
from streams.autonomy.reload import PolicyHolder


def test_reload_swaps_valid_policies_and_keeps_the_old_one_otherwise(tmp_path: Path) -> None:
    holder = PolicyHolder(load_policy(shipped_policy_path("default")))
    path = tmp_path / "policy.yaml"
    text = shipped_policy_path("default").read_text()
    path.write_text(text.replace('version: "2026.11.1"', 'version: "2026.11.9"'))
    assert holder.reload(path) and holder.policy.snapshot.startswith("2026.11.9:")

    path.write_text("version: [broken\n")
    assert not holder.reload(path)
    path.write_text(text.split("\nautonomy:")[0] + "\n")
    assert not holder.reload(path)
    assert holder.policy.snapshot.startswith("2026.11.9:"), "the old policy stays in force"
