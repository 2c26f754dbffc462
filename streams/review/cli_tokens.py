"""`afterguard review token create|list|revoke`: reviewers' API tokens, stored hashed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from streams.review.auth.settings import tokens_file_from
from streams.review.auth.tokens import TokenError, TokenStore, describe

TOKENS_FILE = click.option(
    "--tokens-file", type=click.Path(dir_okay=False, path_type=Path),
    envvar="AFTERGUARD_REVIEW_TOKENS_FILE",
    help="The service's token file (env AFTERGUARD_REVIEW_TOKENS_FILE; default "
         "$AFTERGUARD_HOME/review/tokens.json).")


def _store(tokens_file: Path | None) -> TokenStore:
    return TokenStore(tokens_file or tokens_file_from(os.environ))


@click.group("token")
def token_commands() -> None:
    """Reviewers' API tokens (for teams without an OIDC provider)."""


@token_commands.command("create")
@TOKENS_FILE
@click.option("--reviewer", required=True,
              help="The reviewer id verdicts will carry: one word, no spaces.")
@click.option("--groups", required=True,
              help="Comma-separated reviewer groups, e.g. security-team,ops-review.")
def create(tokens_file: Path | None, reviewer: str, groups: str) -> None:
    """Make a token; it is printed once and only its hash is stored."""
    store = _store(tokens_file)
    try:
        token, stored = store.create(reviewer, groups.split(","))
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(token)
    click.echo(f"token {stored.token_id} for {stored.reviewer} in {', '.join(stored.groups)} "
               f"(stored hashed in {store.path}; this is the only time it is shown)", err=True)


@token_commands.command("list")
@TOKENS_FILE
def list_tokens(tokens_file: Path | None) -> None:
    """Token ids, reviewers, groups, and when they were created or revoked (no secrets)."""
    try:
        tokens = _store(tokens_file).load().tokens
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None
    for token in tokens:
        click.echo(json.dumps(describe(token)))


@token_commands.command("revoke")
@TOKENS_FILE
@click.argument("token_id")
def revoke(tokens_file: Path | None, token_id: str) -> None:
    """Revoke a token: the running service refuses it from its next request on."""
    try:
        revoked = _store(tokens_file).revoke(token_id)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"revoked {revoked.token_id} ({revoked.reviewer})")
