"""`afterguard deadletter list|show|replay`: the dead-letter topic for the people who fix what
landed there. Bytes are shown and replayed only with the dead-letter key."""

from __future__ import annotations

import asyncio
import base64
import json
import sys
from typing import TYPE_CHECKING

import click

from streams.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from streams.deadletter.sealing import DeadLetterKey
    from streams.deadletter.store import StoredLetter


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def deadletter() -> None:
    """List, show (decrypted with the dead-letter key) and replay dead letters."""


@deadletter.command("list")
@click.option("--error", "error", default=None, help="Only letters with this error.")
@click.option("--topic", "source_topic", default=None, help="Only letters from this input topic.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per letter.")
def list_letters(error: str | None, source_topic: str | None, as_json: bool) -> None:
    """Every dead letter: its id (partition:offset), source, error and reason; never bytes."""
    from streams.deadletter.store import read_letters

    settings = _settings()
    letters = asyncio.run(read_letters(settings.kafka, settings.topics.deadletter))
    for stored in letters:
        letter = stored.letter
        if letter is None:
            if not (error or source_topic):
                click.echo(f"{stored.letter_id}  (not a dead letter this version can read)")
            continue
        src = letter.source
        if (error and letter.error != error) or (source_topic and (src is None
                                                                   or src.topic != source_topic)):
            continue
        where = f"{src.topic}/{src.partition}/{src.offset}" if src else "-"
        sealed = (letter.value_sealed.key_id if letter.value_sealed
                  else "plaintext" if letter.value_b64 else "no bytes")
        if as_json:
            click.echo(json.dumps({"id": stored.letter_id, "source": where,
                                   "error": letter.error, "reason": letter.reason,
                                   "received_at": letter.received_at.isoformat(),
                                   "bytes": letter.value_bytes, "sealed_with": sealed}))
        else:
            click.echo(f"{stored.letter_id}  {letter.received_at:%Y-%m-%d %H:%M:%S}  {where}  "
                       f"{letter.error}  {letter.value_bytes or 0} bytes ({sealed})  "
                       f"{letter.reason}")


@deadletter.command()
@click.argument("letter_id")
def show(letter_id: str) -> None:
    """One letter with its original key and value, decrypted with the dead-letter key
    (LETTER_ID is partition:offset from `list`)."""
    from streams.deadletter.store import NotReplayable, open_letter

    settings = _settings()
    letter = _find(settings, [letter_id])[0].letter
    assert letter is not None  # _find returns readable letters only
    record = letter.model_dump(mode="json", exclude_none=True)
    try:
        opened = open_letter(letter, _key(settings))
        record["key"] = _shown(opened.key)
        record["value"] = _shown(opened.value)
    except NotReplayable as exc:
        record["bytes"] = f"not shown: {exc}"
    click.echo(json.dumps(record, indent=2, ensure_ascii=False))


@deadletter.command()
@click.argument("letter_ids", nargs=-1, required=True)
@click.option("--to", "to_topic", default=None,
              help="Publish to this topic instead of each letter's own input topic.")
def replay(letter_ids: tuple[str, ...], to_topic: str | None) -> None:
    """Publish the original records of the given letters (partition:offset) again to their
    input topic, after a fix; the worker decides them anew. Exits 1 if any cannot be."""
    from streams.deadletter.store import NotReplayable, open_letter, republish

    settings = _settings()
    key = _key(settings)
    records, failed = [], 0
    for stored in _find(settings, list(letter_ids)):
        letter = stored.letter
        assert letter is not None  # _find returns readable letters only
        try:
            opened = open_letter(letter, key)
        except NotReplayable as exc:
            click.echo(f"{stored.letter_id}: not replayed: {exc}", err=True)
            failed += 1
            continue
        source = letter.source
        assert source is not None  # open_letter refuses a letter without one
        records.append((to_topic or source.topic, opened.key, opened.value))
        click.echo(f"{stored.letter_id}: replayed to {to_topic or source.topic} "
                   f"({len(opened.value or b'')} bytes)")
    asyncio.run(republish(settings.kafka, records))
    if failed:
        sys.exit(1)


def _key(settings: Settings) -> DeadLetterKey | None:
    try:
        return settings.deadletter_key()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _find(settings: Settings, wanted: list[str]) -> list[StoredLetter]:
    from streams.deadletter.store import read_letters

    letters = {s.letter_id: s for s in asyncio.run(read_letters(
        settings.kafka, settings.topics.deadletter))}
    missing = [w for w in wanted if w not in letters or letters[w].letter is None]
    if missing:
        raise click.ClickException(f"no dead letter {', '.join(missing)} on "
                                   f"{settings.topics.deadletter} (ids are partition:offset)")
    return [letters[w] for w in wanted]


def _shown(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(data).decode()
