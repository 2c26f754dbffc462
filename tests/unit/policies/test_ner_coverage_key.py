"""`detection.ner_coverage` chooses what spaCy's NER reads of each leaf (`windows`, `words`,
`prose`; the default `words`): the worker's engine reads it, it is part of the snapshot hash, and
`policy check` and `policy explain` show it."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from click.testing import CliRunner

from policies import PolicyError
from policies.explain import explain, render
from streams.cli import main
from streams.worker.policy_reload import _detection_of, engine_for
from tests.unit.policies.conftest import KEY, policy, result

PEOPLE = "detection:\n  entities: [PERSON]\n"
# A lower-case name no list holds, with no capitalised word near it: only the model finds it.
OUTPUT = {"note": "please ask tamunosiki ibiteye to call the customer back"}


def _people(body: str) -> list[str]:
    text = OUTPUT["note"]
    return [text[f.start:f.end] for f in engine_for(policy(body)).scan(OUTPUT)
            if f.entity == "PERSON"]


@pytest.mark.parametrize(("setting", "people"), [
    ("", ["tamunosiki ibiteye"]),
    ("  ner_coverage: words\n", ["tamunosiki ibiteye"]),
    ("  ner_coverage: prose\n", ["tamunosiki ibiteye"]),
    ("  ner_coverage: windows\n", []),
])
def test_the_worker_engine_reads_the_policys_coverage(setting: str, people: list[str]) -> None:
    assert _people(PEOPLE + setting) == people


def test_the_coverage_is_in_the_snapshot_hash_and_the_engines_identity() -> None:
    loaded = [policy(PEOPLE + s) for s in ("", "  ner_coverage: windows\n",
                                          "  ner_coverage: prose\n")]
    assert len({p.content_hash for p in loaded}) == 3
    assert len({_detection_of(p) for p in loaded}) == 3


def test_an_unknown_coverage_is_an_error_naming_the_field() -> None:
    with pytest.raises(PolicyError, match="ner_coverage"):
        policy(PEOPLE + "  ner_coverage: everything\n")


def test_check_and_explain_show_the_coverage(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    key = tmp_path / "hash.key"
    key.write_text(secrets.token_hex(32))
    monkeypatch.setenv("AFTERGUARD_HASH_KEY_FILE", str(key))
    file = tmp_path / "p.yaml"
    file.write_text('version: "t1"\n' + PEOPLE + "  ner_coverage: prose\n")
    out = CliRunner().invoke(main, ["policy", "check", str(file)])
    assert out.exit_code == 0, out.output
    assert "NER reads: prose (detection.ner_coverage)" in out.output
    file.write_text('version: "t1"\n' + PEOPLE)
    out = CliRunner().invoke(main, ["policy", "check", str(file)])
    assert "NER reads: words (detection.ner_coverage, the default)" in out.output
    file.write_text('version: "t1"\ndetection:\n  entities: [EMAIL_ADDRESS]\n')
    out = CliRunner().invoke(main, ["policy", "check", str(file)])
    assert out.exit_code == 0 and "NER reads" not in out.output
    doc = tmp_path / "r.json"
    doc.write_text(json.dumps({"job_id": "j", "agent_id": "a", "action": "job.x",
                               "output": OUTPUT}))
    file.write_text('version: "t1"\n' + PEOPLE + "  ner_coverage: windows\n")
    out = CliRunner().invoke(main, ["policy", "explain", str(file), "--result", str(doc),
                                    "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["ner_coverage"] == "windows"
    loaded = policy(PEOPLE)
    text = render(explain(result(OUTPUT), engine_for(loaded).scan(OUTPUT), loaded, KEY, 100))
    assert "(NER reads: words)" in text.splitlines()[0]
