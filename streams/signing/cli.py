"""`afterguard keys`: make the services' signing keys and the trusted keys file."""

from __future__ import annotations

from pathlib import Path

import click

from streams.signing.key_files import write_new_key_file
from streams.signing.keys import SERVICES, SigningKey


@click.group()
def keys() -> None:
    """Ed25519 keys that sign records between services and audit checkpoints."""


@keys.command("generate")
@click.option("--service", type=click.Choice(SERVICES), required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The new private key file (mode 600; never overwritten).")
def generate(service: str, out: Path) -> None:
    """Make a service's signing key; print its line for the trusted keys file."""
    key = SigningKey.generate(service)
    if not write_new_key_file(out, key.seed_hex()):
        raise click.ClickException(f"{out} exists; a key file is never overwritten")
    click.echo(key.trust_line())


@keys.command("trust-line")
@click.option("--service", type=click.Choice(SERVICES), required=True)
@click.option("--key", "key_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path))
def trust_line(service: str, key_file: Path) -> None:
    """Print the trusted keys file line of an existing key (its public half only)."""
    click.echo(SigningKey.load(service, key_file).trust_line())


@keys.command("init")
@click.option("--dir", "folder", required=True, type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """One key per service in FOLDER (<service>.key) and FOLDER/trusted.keys listing them all:
    give each service its own key file and every service the trusted keys file."""
    lines = ["# <service> <Ed25519 public key, base64>: records are accepted only when",
             "# signed by a key listed for a service that may produce them"]
    for service in SERVICES:
        path = folder / f"{service}.key"
        if not path.exists():
            write_new_key_file(path, SigningKey.generate(service).seed_hex())
        lines.append(SigningKey.load(service, path).trust_line())
    trusted = folder / "trusted.keys"
    trusted.write_text("\n".join(lines) + "\n")
    click.echo(f"keys of {', '.join(SERVICES)} in {folder}; trusted keys in {trusted}")
