"""JSON Schema for every topic's records, generated from the pydantic models.

The generated files ship in the package (streams/schemas/); `afterguard schemas --out DIR`
writes them out, and a unit test keeps the shipped files equal to what the models generate.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import click
from pydantic import BaseModel

from policies import ActionResult, SafetyDecision
from sampling import ReviewItem, Verdict
from sampling.autonomy import AutonomyRecord
from streams.records import DeadLetter, SealedAuditRecord

# file stem -> (model, topics whose records it describes); inputs are described as accepted
# (validation), outputs as written (serialization)
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "action_result": (ActionResult, "input topics (AFTERGUARD_INPUT_TOPICS)"),
    "safety_decision": (SafetyDecision, "afterguard.released, afterguard.quarantine"),
    "review_item": (ReviewItem, "afterguard.review"),
    "audit_record": (SealedAuditRecord, ("afterguard.audit, afterguard.audit.review, "
                                         "afterguard.audit.autonomy")),
    "dead_letter": (DeadLetter, "afterguard.deadletter"),
    "verdict": (Verdict, "afterguard.review.verdicts"),
    "autonomy_record": (AutonomyRecord, ("afterguard.autonomy (compacted; key: verified identity, "
                        "U+001F, action class)")),
}


def generate() -> dict[str, str]:
    """File name -> schema text, as the models define them now."""
    files = {}
    for stem, (model, topics) in SCHEMAS.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                  "$id": f"afterguard/{stem}.schema.json",
                  **model.model_json_schema(
                      mode="validation" if stem == "action_result" else "serialization")}
        schema["description"] = (f"{schema.get('description', '').strip()}\n\nTopics: "
                                 f"{topics}.").strip()
        files[f"{stem}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return files


def shipped() -> dict[str, str]:
    """The schema files shipped in the package."""
    folder = resources.files("streams") / "schemas"
    return {f.name: f.read_text(encoding="utf-8") for f in folder.iterdir()
            if f.name.endswith(".schema.json")}


@click.command("schemas")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the files here (default: list the shipped files).")
def schemas_command(out: Path | None) -> None:
    """Write the JSON Schema of every topic's records (generated from the models)."""
    files = generate()
    if out is None:
        for name in sorted(files):
            click.echo(f"{name}  ({SCHEMAS[name.removesuffix('.schema.json')][1]})")
        click.echo("use --out DIR to write them")
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(files.items()):
        (out / name).write_text(text, encoding="utf-8")
        click.echo(out / name)
