"""Recall on shapes the shared set has few of, with values of our own making: phone numbers of
the configured regions (libphonenumber's example numbers) after context words in many
languages, and nationalities in the forms people write them.

    PYTHONPATH=$PWD .venv/bin/python bench/pii_shapes.py [--show SHAPE]

No value comes from the eval set: the phone numbers are `phonenumbers.example_number_for_type`
(mobile and fixed line) of each of `DEFAULT_REGIONS`, in national and international format; the
nationalities are the shipped lists' own entries (demonyms.txt, peoples.txt) capitalised, in
lower case and in the plural people write (`s` added). Each value is put in a few sentences
of ours and scanned by the shipped strict policy's engine; a value counts as found when one
finding covers it whole. The sentences were written with the rules in view, so this measures
the shapes, not a held-out corpus.
"""

from __future__ import annotations

import argparse
from collections import Counter

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from detectors.gazetteer import DEMONYMS, PEOPLES
from detectors.patterns.phone_number_regions import DEFAULT_REGIONS
from policies import load_policy, shipped_policy_path
from streams.worker.policy_reload import engine_for

PHONE_SENTENCES = {
    "en": "Call me on {} after six.", "fr": "Tél : {}", "de": "Handy {} (abends)",
    "es": "Mi móvil es el {}.", "pt": "Celular: {}", "it": "Chiamami al {}",
    "nl": "Bel me op {} morgen", "nordic": "tlf. {}", "fi": "puh. {}", "ja": "電話 {}",
    "vi": "sđt {}", "none": "See you at {} tomorrow.",
}
NRP_SENTENCES = ("We are proud {}.", "I am {} but I live abroad.", "It serves great {} food.")


def _phones() -> list[tuple[str, str, str]]:
    cases = []
    for region in DEFAULT_REGIONS:
        for kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None:
                continue
            for form, fmt in (("national", PhoneNumberFormat.NATIONAL),
                              ("international", PhoneNumberFormat.INTERNATIONAL)):
                value = phonenumbers.format_number(number, fmt)
                for language, sentence in PHONE_SENTENCES.items():
                    cases.append((f"phone {form} {language}", sentence.format(value), value))
    return cases


def _nationalities() -> list[tuple[str, str, str]]:
    cases = []
    for name in sorted({*DEMONYMS, *(p.rstrip("*") for p in PEOPLES if not p.endswith("*"))}):
        for form, value in (("capitalised", name), ("lower case", name.lower()),
                            ("plural", name + "s"), ("lower plural", name.lower() + "s")):
            for sentence in NRP_SENTENCES:
                cases.append((f"nationality {form}", sentence.format(value), value))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", default="", help="print the missed values of this shape")
    args = parser.parse_args()
    engine = engine_for(load_policy(shipped_policy_path("strict")))
    cases = [(shape, text, value) for shape, text, value in (*_phones(), *_nationalities())]
    planted, missed = Counter[str](), Counter[str]()
    for (shape, text, value), findings in zip(cases, engine.scan_batch([c[1] for c in cases]),
                                              strict=True):
        start = text.index(value)
        planted[shape] += 1
        if not any(f.start <= start and start + len(value) <= f.end for f in findings):
            missed[shape] += 1
            if shape == args.show:
                print(f"  {text!r}")
    print(f"{'shape':<32} {'planted':>7} {'missed':>7} {'recall':>7}")
    for shape in sorted(planted):
        print(f"{shape:<32} {planted[shape]:>7} {missed[shape]:>7} "
              f"{1 - missed[shape] / planted[shape]:>7.3f}")


if __name__ == "__main__":
    main()
