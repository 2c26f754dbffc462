"""Realistic credential positives per vendor format, generated (random, seeded), each placed in
a few typical surroundings: a log line, a JSON blob in a string, prose, a config line."""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Callable

ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"
HEX = "0123456789abcdef"
Sample = tuple[str, tuple[int, int]]


def _r(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _jwt(rng: random.Random) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    claims = {"sub": _r(rng, string.digits, 8), "iat": rng.randint(1_600_000_000, 1_800_000_000)}
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{_r(rng, URLSAFE, 43)}"


def _private_key(rng: random.Random) -> str:
    body = "\n".join(_r(rng, B64, 64) for _ in range(5))
    return f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"


# vendor -> (secret generator, the name a config line would use)
FORMATS: dict[str, tuple[Callable[[random.Random], str], str]] = {
    "aws-access-key-id": (lambda r: "AKIA" + _r(r, string.ascii_uppercase + "234567", 16),
                          "aws_access_key_id"),
    "aws-secret-access-key": (lambda r: _r(r, B64, 40), "aws_secret_access_key"),
    "github-pat-classic": (lambda r: "ghp_" + _r(r, ALNUM, 36), "GITHUB_TOKEN"),
    "github-pat-fine-grained": (lambda r: "github_pat_" + _r(r, ALNUM + "_", 82), "GH_TOKEN"),
    "gitlab-pat": (lambda r: "glpat-" + _r(r, URLSAFE, 20), "GITLAB_TOKEN"),
    "slack-bot-token": (lambda r: f"xoxb-{_r(r, string.digits, 12)}-{_r(r, string.digits, 13)}-"
                        + _r(r, ALNUM, 24), "SLACK_BOT_TOKEN"),
    "stripe-secret-key": (lambda r: "sk_live_" + _r(r, ALNUM, 24), "STRIPE_API_KEY"),
    "google-api-key": (lambda r: "AIza" + _r(r, URLSAFE, 35), "GOOGLE_API_KEY"),
    "openai-project-key": (lambda r: "sk-proj-" + _r(r, URLSAFE, 74) + "T3BlbkFJ"
                           + _r(r, URLSAFE, 74), "OPENAI_API_KEY"),
    "anthropic-api-key": (lambda r: "sk-ant-api03-" + _r(r, URLSAFE, 93) + "AA",
                          "ANTHROPIC_API_KEY"),
    "twilio-api-key": (lambda r: "SK" + _r(r, HEX, 32), "TWILIO_API_KEY"),
    "sendgrid-api-key": (lambda r: f"SG.{_r(r, URLSAFE, 22)}.{_r(r, URLSAFE, 43)}",
                         "SENDGRID_API_KEY"),
    "npm-token": (lambda r: "npm_" + _r(r, ALNUM, 36), "NPM_TOKEN"),
    "pypi-token": (lambda r: "pypi-AgEIcHlwaS5vcmc" + _r(r, URLSAFE, 120), "PYPI_TOKEN"),
    "azure-storage-key": (lambda r: _r(r, B64, 86) + "==", "AccountKey"),
    "jwt": (_jwt, "Authorization: Bearer"),
    "private-key-block": (_private_key, "private_key"),
    "password-assignment": (lambda r: _r(r, ALNUM + "!@#%^*", 14), "password"),
}


def _surroundings(name: str, secret: str, rng: random.Random) -> list[str]:
    host = f"db{rng.randint(1, 9)}.internal.example.net"
    if name == "AccountKey":
        return [(f"DefaultEndpointsProtocol=https;AccountName=prod{rng.randint(1, 99)};"
                f"AccountKey={secret};EndpointSuffix=core.windows.net")]
    if name == "password":
        return [f"login ok for svc-backup password={secret} host={host}",
                json.dumps({"user": "svc", "password": secret}),
                f"postgresql://svc_user:{secret}@{host}:5432/orders"]
    return [f"{name}={secret}",
            f"2024-05-01 12:00:03 INFO loaded config {name}: {secret} from env",
            json.dumps({"config": {name.lower(): secret, "region": "eu-west-1"}}),
            f"Here is the key you asked for: {secret} (keep it safe)"]


def credential_samples(per_vendor: int = 40, seed: int = 7) -> dict[str, list[Sample]]:
    rng = random.Random(seed)
    samples: dict[str, list[Sample]] = {}
    for vendor, (generate, name) in FORMATS.items():
        rows: list[Sample] = []
        while len(rows) < per_vendor:
            secret = generate(rng)
            for text in _surroundings(name, secret, rng):
                start = text.find(secret.split("\n")[0])
                if start < 0:  # JSON escaped the newlines of a key block
                    start = text.find(secret[:20])
                rows.append((text, (start, start + 20)))
        samples[vendor] = rows[:per_vendor]
    return samples
