"""Adversarial scan cost: every pattern detector's worst inputs at 10 KB, 100 KB and 1 MB, as
milliseconds per KB beside a normal payload of the same size. Linear-time detection keeps each
row flat as the size grows; a quadratic one grows tenfold per step.

    .venv/bin/python bench/adversarial.py [--sizes 10,100,1000] [--cap 20] [--detector ID]

Each input is one string leaf, scanned alone by an engine holding only that detector (no NER),
then all inputs once more by the whole pattern engine (`engine` rows). The time is the fastest of
a few runs. `--cap S`: once the next size would take more than S seconds even if the scan were
linear (ten times the last run), it is skipped and shown as `>cap` (the code before the
linear-time engine needs hours at 1 MB).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from detectors import DetectorEngine
from detectors.registry import DEFAULT_DETECTORS

KB = 1024
# A unit repeated to the size; the inputs that made backtracking or post-processing blow up,
# and the prefixes and separators each detector is built around.
WORST: dict[str, tuple[str, ...]] = {
    "private-key": ("-----BEGIN PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
    "aws-access-key-id": ("AKIA", "AKIAAAAAAAAAAAAAAAAAA"),
    "aws-secret-access-key": ("aws secret ", "aws_secret_access_key="),
    "github-token": ("ghp_", "github_pat_"),
    "gitlab-token": ("glpat-", "GR1348941"),
    "slack-token": ("xoxb-", "https://hooks.slack.com/services/T"),
    "stripe-key": ("sk_live_",),
    "google-api-key": ("AIza", "GOCSPX-"),
    "anthropic-key": ("sk-ant-api03-",),
    "openai-key": ("sk-", "sk-proj-", "T3BlbkFJ"),
    "twilio-api-key": ("twilio auth ", "SK0"),
    "sendgrid-key": ("SG.",),
    "npm-token": ("npm_",),
    "pypi-token": ("pypi-AgEIcHlwaS5vcmc",),
    "azure-key": ("AccountKey=", "?sig=", "aaa1Q~"),
    "jwt": ("eyJ", "eyJhbGciOiJI.eyJ"),
    "connection-string": ("postgres://u:", "a://"),
    "password-assignment": ("password=", "token: "),
    "secret-under-key": ("a",),
    "email": ("a@b.co ", "a.", "a@", "a@b."),
    "us-ssn": ("123-45-", "1-", "123 45 "),
    "us-ssn-keyed": ("1",),
    "credit-card": ("1-", "1 ", "4111 1111 1111 1111 "),
    "iban": ("DE89 ", "DE89 3704 "),
    "crypto-wallet": ("1", "bc1"),
    "phone-number": ("1-", "+1 ", "(555) "),
    "phone-number-context": ("phone 1-", "12 ", "call 1."),
    "ip-address": ("1.", "10.0.0."),
    "url": ("http://", "www.a", "a.", "a.com."),
    "us-bank-account": ("account 1",),
    "us-passport": ("passport 1",),
    "us-driver-license": ("driver A1-",),
    "street-address": ("12 Anna ", "Rue ", "12 ", "Anna "),
    "unit-address": ("Apt ", "unit 123 "),
    "address-block": ("12 Main St\n", "12 Main St\nApt 4\n", "Anna\n"),
    "address-after-cue": ("lives at 12 Anna ", "lives at 12 "),
    "postal-code": ("zip 12345 ", "zip A1A "),
    "country": ("Chad ", "Czech  "),
    "place-cue": ("born in Anna ", "flew to "),
    "age": ("she was ", "aged 1 "),
    "age-years-old": ("1 years ", "1-"),
    "date-time": ("2024-01-", "1/1/", "March 3, "),
    "date-year": ("in 1999 ",),
    "person-name-cue": ("My name is ", "Dear Anna "),
    "person-soft-cue": ("Hi Anna ",),
    "person-full-name": ("Anna ", "Anna H. "),
    "person-given-name": ("Anna ",),
    "person-list": ("Anna, ", "Anna and "),
    "speaker-label": ("Anna: hi\n", "Anna:"),
}
# Inputs every detector also meets: one long word, one long digit run, one long space run.
COMMON = ("a", "1", " ", "A")
NORMAL = ("Refund issued to Dana Whitfield (dana.whitfield@example.com, +1 415-555-0132) for "
          "order 88231 on 2024-03-05; card 4111 1111 1111 1111 charged back. Shipped to "
          "12 Market Street, Springfield. Ticket closed by the support agent. ")


def _text(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _fastest(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def _row(label: str, scan: Callable[[str], object], unit: str, sizes: list[int],
         cap: float) -> str:
    cells: list[str] = []
    over = slow = False
    for size in sizes:
        if over:
            cells.append(f"{'>cap':>9}")
            continue
        text = _text(unit, size * KB)
        seconds = _fastest(lambda text=text: scan(text), 1 if size >= 1000 or slow else 3)  # type: ignore[misc]
        # Skip the next size once a linear scan of it would already take the cap.
        over, slow = seconds * 10 > cap, seconds > cap / 100
        cells.append(f"{seconds * 1000 / size:9.3f}")
    return f"{label:<52}" + "".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="sizes in KB")
    parser.add_argument("--cap", type=float, default=20.0, help="seconds; skip larger sizes")
    parser.add_argument("--detector", help="only this detector id")
    parser.add_argument("--from-detector", help="start at this detector id (resume a run)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"scan time in ms per KB of one string leaf (fastest run); sizes in KB: {sizes}")
    print(f"{'detector / input':<52}" + "".join(f"{str(s) + ' KB':>9}" for s in sizes))
    ids = [d.id for d in DEFAULT_DETECTORS]
    first = ids.index(args.from_detector) if args.from_detector else 0
    for detector in DEFAULT_DETECTORS[first:]:
        if args.detector and detector.id != args.detector:
            continue
        engine = DetectorEngine(detectors=(detector,), ner_model=None)
        engine_scan = _no_ner(engine)
        print(_row(f"{detector.id} / normal payload", engine_scan, NORMAL, sizes, args.cap))
        for unit in (*WORST.get(detector.id, ()), *COMMON):
            print(_row(f"{detector.id} / {unit[:28]!r}", engine_scan, unit, sizes, args.cap),
                  flush=True)
    if args.detector:
        return
    whole = _no_ner(DetectorEngine(ner_model=None))
    print(_row("engine (all patterns) / normal payload", whole, NORMAL, sizes, args.cap))
    for unit in sorted({u for units in WORST.values() for u in units} | set(COMMON)):
        print(_row(f"engine (all patterns) / {unit[:28]!r}", whole, unit, sizes, args.cap),
              flush=True)


def _no_ner(engine: DetectorEngine) -> Callable[[str], object]:
    """The engine's scan of one leaf (built without NER: the model's cost is not under test
    here)."""
    return lambda text: engine.scan({"text": text})


if __name__ == "__main__":
    main()
