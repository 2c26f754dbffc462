"""What a credential's name and value look like, shared by the assignment detectors.

A key is split into its words (`DB_PASSWORD`, `dbPassword`, `db.password`, `db-password` all
give `db`, `password`). It names a password when one word is a password word, and a secret
when one word is a secret word or a key word follows a qualifier (`api key`, `signing key`);
a word such as `hash`, `policy`, `url` or `length` anywhere in it means the value is something
else (`password_hash`, `PASSWORD_RESET_URL`, `token_ttl`).

A value is a clear-text credential when it is a literal: not a placeholder (`${DB_PASSWORD}`,
`<token>`, `changeme`, `****`), not code (`os.environ["X"]`, `getpass()`, `self.password`,
`new_password`), not a path or a URL, and without spaces. A secret (token, key) must also look
random: long enough, varied enough.
"""

from __future__ import annotations

import itertools
import re

from detectors.patterns.checks import shannon_entropy

_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
PASSWORD_WORDS = frozenset({"password", "passwd", "passwort", "pwd", "pass", "passphrase",
                            "passcode", "pword", "contraseña", "senha", "wachtwoord"})
SECRET_WORDS = frozenset({"secret", "token", "apikey", "credential", "credentials", "auth",
                          "privatekey", "secretkey", "accesskey", "bearer"})
KEY_QUALIFIERS = frozenset({"api", "access", "secret", "private", "signing", "encryption",
                            "master", "app", "application", "session", "client", "account",
                            "consumer", "auth", "shared", "hmac", "jwt", "webhook", "license",
                            "admin", "service", "deploy", "storage", "subscription"})
NOT_SECRET_WORDS = frozenset({
    "hash", "hashed", "digest", "policy", "policies", "length", "len", "min", "max", "reset",
    "url", "uri", "endpoint", "file", "path", "name", "type", "field", "expiry", "expires",
    "expiration", "ttl", "timeout", "count", "label", "prompt", "hint", "regex", "pattern",
    "format", "enabled", "required", "changed", "strength", "placeholder", "dir", "header",
    "prefix", "mode", "version", "size", "lifetime", "location", "ref", "arn", "kind", "index",
    "provider", "method", "algorithm", "alg", "scope", "scopes", "audience", "issuer", "id",
    "ids", "usage", "limit", "age", "duration", "validity", "validation", "rotation", "rules",
    "complexity", "history", "attempts", "retries", "manager", "input", "button", "text",
    "template", "message", "error", "errors", "help", "description", "title", "column", "env",
    "var", "variable", "command", "cmd", "salt", "nonce", "budget",
    "words", "word", "fingerprint", "public", "pub", "cache", "sort", "primary", "foreign",
    "partition", "group", "santa", "mask", "masked", "tokenizer", "tokens", "estimator",
    "callback", "handler", "class", "object", "secretname", "reader", "writer", "parser",
    "generator", "factory", "helper", "mgr", "warning", "leaf", "hdr", "info", "status",
    "stdin", "files",
})
# Words of code and of sentences that follow a `password:` without being one.
_NOT_A_VALUE = frozenset({
    "raise", "return", "pass", "continue", "break", "not", "and", "none", "null", "nil", "true",
    "false", "undefined", "self", "this", "new", "function", "lambda", "yield", "await", "const",
    "let", "var", "def", "class", "import", "from", "with", "else", "elif", "then", "string",
    "str", "bytes", "bool", "int", "char", "object", "any", "optional", "required", "empty",
    "value", "input", "default", "test", "testing", "admin", "root", "user", "username",
    "unknown", "invalid", "missing", "expected", "incorrect", "wrong", "changed", "set", "unset",
    "hidden", "masked", "redacted", "removed", "omitted", "stored", "encrypted", "prompt",
}) | PASSWORD_WORDS | SECRET_WORDS | {"key", "keys", "secrets", "tokens", "passwords"}
_PLACEHOLDER = re.compile(
    r"(?i)\$\{|\{\{|%\(|\$\(|<[^>]{0,40}>|\*{3}|x{4}|\.\.\.|changeme|change_me|example|your[_-]"
    r"|redacted|dummy|placeholder|sample|replace|todo|fixme|secret_here|insert|enter[_ ]"
    r"|(?-i:%[sdr])\b|\A(?:\$[A-Za-z_]\w*|\?|-+|_+)\Z"
)
# An environment variable's or a constant's name standing for the value: `DB_PASSWORD`, `NONE`.
_NAME_OF_VALUE = re.compile(r"\A(?:[A-Z]+(?:_[A-Z0-9]+)+|[A-Z]{3,})\Z")
_CODE = re.compile(
    r"\A[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\Z|\A[a-z]+(?:_[a-z0-9]+)+\Z|[()\[\]]|\A(?:self|this)\b"
    r"|\A(?:~|\.{1,2})?/\w|://|\A[a-z]+(?:[A-Z][a-z]+)+\Z"
)


def _has_random_part(value: str) -> bool:
    """A vendor token written like an identifier (`shippo_live_3f9a…`, `rubygems_7a5f…`): one
    part of 16+ letters and digits with at least 4 digits is random, not a name in code."""
    return any(len(part) >= 16 and part.isalnum() and sum(c.isdigit() for c in part) >= 4
               for part in value.split("_"))


def key_words(key: str) -> list[str]:
    """`dbPassword` -> [db, password]; `SPRING_DATASOURCE_PASSWORD` -> [spring, datasource,
    password]; `x-api-key` -> [x, api, key]."""
    return [part.lower() for part in _PARTS.findall(key)]


def _joined(words: list[str]) -> set[str]:
    return {a + b for a, b in itertools.pairwise(words)}


def _password_word(word: str) -> bool:
    """`password`, and words ending in one of the long forms: `PGPASSWORD`, `MYSQL_PWD`."""
    return word in PASSWORD_WORDS or word.endswith(("password", "passwd", "pwd"))


def names_password(key: str) -> bool:
    words = key_words(key)
    return (any(_password_word(w) for w in (*words, *_joined(words)))
            and not NOT_SECRET_WORDS & set(words))


def names_secret(key: str) -> bool:
    """A password, a secret, a token, an API/signing/... key, credentials."""
    words = key_words(key)
    if NOT_SECRET_WORDS & set(words):
        return False
    every = {*words, *_joined(words)}
    if SECRET_WORDS & every or any(_password_word(w) for w in every):
        return True
    return any(a in KEY_QUALIFIERS and b in ("key", "keys")
               for a, b in itertools.pairwise(words))


def is_literal(value: str) -> bool:
    """A value written out, not a placeholder, a reference, code, a path or a sentence."""
    stripped = value.strip()
    if not 4 <= len(stripped) <= 300 or any(c.isspace() for c in stripped):
        return False
    if len(set(stripped)) < 3 or stripped.lower() in _NOT_A_VALUE:
        return False
    return not (_PLACEHOLDER.search(stripped) or _NAME_OF_VALUE.match(stripped)
                or (_CODE.search(stripped) and not _has_random_part(stripped)))


def is_password_value(value: str) -> bool:
    return is_literal(value)


def is_secret_value(value: str) -> bool:
    """A literal that looks random: 12+ characters with a digit (or 32+ very varied ones), two
    kinds of character, varied (`Proxy-Authorization` is a name, not a secret); or 16+ digits
    of which 7 or more differ."""
    if not is_literal(value) or len(value) < 12:
        return False
    if value.isdigit():  # numeric client secrets and ids (16+ digits, many of them different)
        return len(value) >= 16 and len(set(value)) >= 7
    if not any(c.isdigit() for c in value) and (len(value) < 32 or shannon_entropy(value) < 4):
        return False
    kinds = sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                 any(c.isdigit() for c in value), any(not c.isalnum() for c in value)))
    return kinds >= 2 and shannon_entropy(value) >= 3.0
