#!/usr/bin/env python3
"""Generate the embeddable ingredient knowledge base (data/ingredients/generated/).

What it does
------------
Reads two inputs and writes plain, sorted text tables that the Rust crate
`aftercare-core` embeds with `include_str!` (module `inci::kb`):

* the curated category data, `data/ingredients/categories/*.toml` (hand-written,
  every fact sourced; see data/ingredients/README.md for the schema);
* the EU CosIng inventory, `cosing_ingredients.csv.gz` (default
  `../shared/data/cosing_ingredients.csv.gz` next to the repository). Only the
  columns the checker needs are kept: the INCI name, the reference number(s), the
  CosIng functions, the annex references ("restriction") and one derived flag that
  says whether CosIng's description calls an oil an essential/volatile oil or a
  fixed oil.

Outputs (all UTF-8, LF line ends, no header lines, one record a line, tab-separated,
sorted by the first column in byte order where the reader binary-searches them):

* cosing.tsv    NAME, REFS, FUNCTIONS, ANNEX, OIL_HINT        (only with the CSV)
* cosing.meta   provenance of cosing.tsv: input hash, row counts (only with the CSV)
* curated.tsv   KEY, TARGET, FACTS   (curated names and synonyms)
* texts.tsv     one source / reason / note text a line; a fact refers to a line
* rules.tsv     fallback rules, in priority order (not sorted)
* genera.tsv    aromatic genera for the essential-oil fallback rule

Names are normalised exactly as `aftercare_core::inci::kb::normalize_inci_name`
does (NFKC, upper case, one kind of dash and quote, collapsed white space, no
spaces around "/", no trailing full stop except in ALCOHOL DENAT.). A Rust test
checks that every key written here is a fixed point of the Rust function.

Usage
-----
    python3 tools/gen_ingredient_kb.py [COSING_CSV_GZ]     # regenerate everything
    python3 tools/gen_ingredient_kb.py --curated-only      # no CosIng file needed:
                                                           # keeps cosing.tsv as is
    python3 tools/gen_ingredient_kb.py --check [...]       # write nothing; exit 1
                                                           # if the committed files differ

Python 3.11 or newer, standard library only. The output is deterministic: the same
inputs give byte-identical files (no dates, no dict-order or locale dependence).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import re
import sys
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CATEGORIES_DIR = REPO / "data" / "ingredients" / "categories"
DEFAULT_OUT = REPO / "data" / "ingredients" / "generated"
DEFAULT_COSING = REPO.parent / "shared" / "data" / "cosing_ingredients.csv.gz"

# The category ids of CONTRACT.md section 2 (crates/aftercare-core/src/category.rs).
CATEGORIES = [
    "retinoid", "aha", "bha", "pha", "vitamin_c", "benzoyl_peroxide", "hydroquinone",
    "azelaic_acid", "fragrance", "fragrance_allergen", "essential_oil", "drying_alcohol",
    "physical_exfoliant", "chemical_uv_filter", "sulfate_surfactant", "hyaluronic_acid", "peptide",
    "copper_peptide", "growth_factor", "aloe", "vitamin_e", "mineral_uv_filter",
    "ceramide", "panthenol", "niacinamide", "centella", "comedogenic",
]
SCOPES = ["scrub_only", "sunscreen_active_only"]
RULE_KINDS = ["glob", "genus", "cosing_essential_oil"]

# ---------------------------------------------------------------------------
# Normalisation: keep in step with normalize_inci_name in crates/aftercare-core/src/inci/kb.rs
# ---------------------------------------------------------------------------

# INCI names whose trailing full stop is part of the name.
DOTTED_NAMES = {"ALCOHOL DENAT."}

_CHAR_MAP = {}
for _c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d":
    _CHAR_MAP[ord(_c)] = "-"
for _c in "\u2018\u2019\u201a\u201b\u2032\u00b4\u0060\uff07":
    _CHAR_MAP[ord(_c)] = "'"
for _c in "\u201c\u201d\u201e\u201f\u2033\uff02":
    _CHAR_MAP[ord(_c)] = '"'
for _c in "\u00ad\u200b\u200c\u200d\u2060\ufeff":
    _CHAR_MAP[ord(_c)] = ""

# Rust's char::is_whitespace (the Unicode White_Space property).
_WHITE_SPACE = set(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _collapse(text: str) -> str:
    words, current = [], []
    for ch in text:
        if ch in _WHITE_SPACE:
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return " ".join(words)


def _tighten(text: str) -> str:
    """No spaces around '/', after '(' or before ')'."""
    text = text.replace(" /", "/").replace("/ ", "/")
    text = text.replace("( ", "(").replace(" )", ")")
    return text


def _step(text: str) -> str:
    text = text.translate(_CHAR_MAP)
    text = unicodedata.normalize("NFKC", text)
    text = text.upper()
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_CHAR_MAP)
    text = _collapse(text)
    text = _tighten(text)
    while text.endswith(".") and text not in DOTTED_NAMES:
        text = text[:-1].rstrip()
    return text


def normalize_inci_name(text: str) -> str:
    """The normalised form of an INCI name (see the module docstring)."""
    for _ in range(4):
        nxt = _step(text)
        if nxt == text:
            break
        text = nxt
    return text


# ---------------------------------------------------------------------------
# Errors and texts
# ---------------------------------------------------------------------------


class KbError(Exception):
    """A problem in the curated data: says the file and the entry."""


def clean_text(text: str) -> str:
    """One line of text: no tabs or line breaks, single spaces."""
    return " ".join(str(text).split())


class Texts:
    """Source, reason and note texts, numbered in first-use order."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.items: list[str] = []

    def id(self, text: str) -> int:
        text = clean_text(text)
        if not text:
            raise KbError("empty source or reason text")
        if text not in self.ids:
            self.ids[text] = len(self.items)
            self.items.append(text)
        return self.ids[text]


# ---------------------------------------------------------------------------
# Curated data
# ---------------------------------------------------------------------------


@dataclass
class Record:
    """Everything curated about one canonical (normalised) name."""

    name: str
    facts: list[str] = field(default_factory=list)
    fact_keys: set[tuple[str, str]] = field(default_factory=set)
    origin: str = ""


@dataclass
class Curated:
    records: dict[str, Record] = field(default_factory=dict)
    synonyms: dict[str, tuple[str, int, str]] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)
    genera: dict[str, str] = field(default_factory=dict)
    texts: Texts = field(default_factory=Texts)
    rule_ids: set[str] = field(default_factory=set)
    file_count: int = 0


def _expect(cond: bool, where: str, message: str) -> None:
    if not cond:
        raise KbError(f"{where}: {message}")


def _category(value: object, where: str) -> str:
    _expect(isinstance(value, str) and value in CATEGORIES, where,
            f"unknown category {value!r} (expected one of: {', '.join(CATEGORIES)})")
    return value  # type: ignore[return-value]


def _str_list(value: object, where: str, what: str) -> list[str]:
    if value is None:
        return []
    _expect(isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value),
            where, f"'{what}' must be a list of non-empty strings")
    return list(value)  # type: ignore[arg-type]


def _record(cur: Curated, name: str, where: str) -> Record:
    key = normalize_inci_name(name)
    _expect(bool(key), where, "empty name")
    _expect(key not in cur.synonyms, where,
            f"{key} is already a synonym of {cur.synonyms.get(key, ('',))[0]}")
    rec = cur.records.get(key)
    if rec is None:
        rec = Record(name=key, origin=where)
        cur.records[key] = rec
    return rec


def _add_fact(rec: Record, kind: str, category: str, text: str, where: str) -> None:
    _expect((kind, category) not in rec.fact_keys, where,
            f"{rec.name}: '{kind}' fact for '{category}' given twice (first in {rec.origin})")
    rec.fact_keys.add((kind, category))
    rec.facts.append(text)


def _add_synonyms(cur: Curated, rec: Record, names: list[str], source: int, where: str) -> None:
    for syn in names:
        key = normalize_inci_name(syn)
        _expect(key != rec.name, where, f"synonym {syn!r} is the name itself")
        _expect(key not in cur.records, where,
                f"synonym {key} of {rec.name} is itself a curated name (first in "
                f"{cur.records[key].origin if key in cur.records else ''})")
        old = cur.synonyms.get(key)
        _expect(old is None or old[0] == rec.name, where,
                f"synonym {key} points at both {old[0] if old else ''} and {rec.name}")
        if old is None:
            cur.synonyms[key] = (rec.name, source, where)


def load_curated(directory: Path) -> Curated:
    cur = Curated()
    files = sorted(directory.glob("*.toml"))
    _expect(bool(files), str(directory), "no curated .toml files")
    for path in files:
        cur.file_count += 1
        rel = path.relative_to(REPO).as_posix()
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise KbError(f"{rel}: {e}") from e
        _load_file(cur, rel, doc)
    # A synonym must not also be a canonical name (checked again after all files).
    for key, (target, _src, where) in cur.synonyms.items():
        _expect(key not in cur.records, where, f"synonym {key} of {target} is also a curated name")
    return cur


def _load_file(cur: Curated, rel: str, doc: dict) -> None:
    allowed = {"file", "entry", "exclusion", "genus", "rule"}
    unknown = set(doc) - allowed
    _expect(not unknown, rel, f"unknown top-level keys: {sorted(unknown)}")
    head = doc.get("file")
    _expect(isinstance(head, dict), rel, "missing [file] table")
    _expect(set(head) <= {"description", "category", "source"}, rel,
            f"unknown keys in [file]: {sorted(set(head) - {'description', 'category', 'source'})}")
    _expect(isinstance(head.get("description"), str) and head["description"].strip(), rel,
            "[file] needs a description")
    _expect(isinstance(head.get("source"), str) and head["source"].strip(), rel,
            "[file] needs a default source")
    default_cats = [_category(head["category"], rel)] if "category" in head else []
    default_source = head["source"]

    for i, entry in enumerate(doc.get("entry", [])):
        where = f"{rel} entry #{i + 1} ({entry.get('name', '?')})"
        keys = {"name", "synonyms", "synonym_source", "categories", "source", "note", "scope",
                "eu26", "comedogenic"}
        _expect(set(entry) <= keys, where, f"unknown keys: {sorted(set(entry) - keys)}")
        _expect(isinstance(entry.get("name"), str), where, "needs a name")
        rec = _record(cur, entry["name"], where)
        source = cur.texts.id(entry.get("source", default_source))
        note = cur.texts.id(entry["note"]) if "note" in entry else None
        cats = ([_category(c, where) for c in _str_list(entry.get("categories"), where, "categories")]
                if "categories" in entry else list(default_cats))
        scope = entry.get("scope")
        _expect(scope is None or scope in SCOPES, where, f"unknown scope {scope!r}")
        eu26 = entry.get("eu26", False)
        _expect(isinstance(eu26, bool), where, "eu26 must be true or false")
        _expect(not eu26 or "fragrance_allergen" in cats, where,
                "eu26 only applies to fragrance_allergen")
        rating = entry.get("comedogenic")
        syns = _str_list(entry.get("synonyms"), where, "synonyms")
        # A name listed without any category (a colour additive known by its US names): it
        # is there for its synonyms, or as a name CosIng does not list, and says so with an
        # `n:` fact that carries its source.
        _expect(cats or rating is not None or syns or "note" in entry, where,
                "an entry needs categories, a comedogenic rating, or (for a name listed only "
                "to be recognised) synonyms or a note")
        if not cats and rating is None:
            _add_fact(rec, "n", "-", f"n:{source}:{'-' if note is None else note}", where)
        _expect("comedogenic" not in cats, where,
                "give a comedogenic rating (0-5) instead of the category id")
        for cat in cats:
            flags = []
            if scope:
                flags.append(scope)
            if eu26 and cat == "fragrance_allergen":
                flags.append("eu26")
            _add_fact(rec, "c", cat,
                      f"c:{cat}:{','.join(flags) or '-'}:{source}:{'-' if note is None else note}",
                      where)
        if rating is not None:
            _expect(isinstance(rating, int) and not isinstance(rating, bool) and 0 <= rating <= 5,
                    where, "comedogenic must be an integer 0-5")
            _add_fact(rec, "r", "comedogenic",
                      f"r:{rating}:{source}:{'-' if note is None else note}", where)
        syn_source = cur.texts.id(entry.get("synonym_source", entry.get("source", default_source)))
        _add_synonyms(cur, rec, syns, syn_source, where)

    for i, excl in enumerate(doc.get("exclusion", [])):
        where = f"{rel} exclusion #{i + 1} ({excl.get('name', '?')})"
        keys = {"name", "synonyms", "synonym_source", "not", "reason", "source"}
        _expect(set(excl) <= keys, where, f"unknown keys: {sorted(set(excl) - keys)}")
        _expect(isinstance(excl.get("name"), str), where, "needs a name")
        nots = [_category(c, where) for c in _str_list(excl.get("not"), where, "not")]
        _expect(bool(nots), where, "needs 'not' (the categories it is excluded from)")
        _expect(isinstance(excl.get("reason"), str) and excl["reason"].strip(), where, "needs a reason")
        rec = _record(cur, excl["name"], where)
        source = cur.texts.id(excl.get("source", default_source))
        reason = cur.texts.id(excl["reason"])
        for cat in nots:
            _add_fact(rec, "x", cat, f"x:{cat}:{reason}:{source}", where)
        syn_source = cur.texts.id(excl.get("synonym_source", excl.get("source", default_source)))
        _add_synonyms(cur, rec, _str_list(excl.get("synonyms"), where, "synonyms"), syn_source, where)

    for i, genus in enumerate(doc.get("genus", [])):
        where = f"{rel} genus #{i + 1} ({genus.get('genus', '?')})"
        keys = {"genus", "common", "parts", "aliases", "source"}
        _expect(set(genus) <= keys, where, f"unknown keys: {sorted(set(genus) - keys)}")
        name = normalize_inci_name(genus.get("genus", ""))
        _expect(bool(re.fullmatch(r"[A-Z]+", name)), where, "a genus is one word")
        parts = [normalize_inci_name(p) for p in _str_list(genus.get("parts"), where, "parts")]
        _expect(all(re.fullmatch(r"[A-Z]+|\*", p) for p in parts), where,
                "parts are single words (or '*' for the default list)")
        common = clean_text(genus.get("common", "")) or "-"
        source = cur.texts.id(genus.get("source", default_source))
        for alias in [name] + [normalize_inci_name(a) for a in _str_list(genus.get("aliases"), where, "aliases")]:
            _expect(alias not in cur.genera, where, f"genus {alias} listed twice")
            cur.genera[alias] = f"{alias}\t{name}\t{','.join(parts) or '*'}\t{common}\t{source}"

    for i, rule in enumerate(doc.get("rule", [])):
        where = f"{rel} rule #{i + 1} ({rule.get('id', '?')})"
        keys = {"id", "category", "kind", "scope", "globs", "unless", "blocked_by", "default_parts",
                "explain", "source"}
        _expect(set(rule) <= keys, where, f"unknown keys: {sorted(set(rule) - keys)}")
        rid = rule.get("id")
        _expect(isinstance(rid, str) and re.fullmatch(r"[a-z0-9-]+", rid or ""), where,
                "id must be lower-case words joined by '-'")
        _expect(rid not in cur.rule_ids, where, f"rule id {rid} used twice")
        cur.rule_ids.add(rid)
        cat = _category(rule.get("category"), where)
        kind = rule.get("kind")
        _expect(kind in RULE_KINDS, where, f"kind must be one of {RULE_KINDS}")
        scope = rule.get("scope")
        _expect(scope is None or scope in SCOPES, where, f"unknown scope {scope!r}")
        globs = [normalize_inci_name(g) for g in _str_list(rule.get("globs"), where, "globs")]
        unless = [normalize_inci_name(g) for g in _str_list(rule.get("unless"), where, "unless")]
        blocked = [_category(c, where) for c in _str_list(rule.get("blocked_by"), where, "blocked_by")]
        parts = [normalize_inci_name(p) for p in _str_list(rule.get("default_parts"), where, "default_parts")]
        _expect(kind != "glob" or bool(globs), where, "a glob rule needs globs")
        _expect(kind == "glob" or not globs, where, "only glob rules take globs")
        _expect(kind == "genus" or not parts, where, "only the genus rule takes default_parts")
        _expect(kind != "genus" or bool(parts), where, "the genus rule needs default_parts")
        for g in globs + unless:
            _expect("|" not in g and "\t" not in g, where, f"bad glob {g!r}")
        _expect(isinstance(rule.get("explain"), str), where, "needs an explain text")
        explain = cur.texts.id(rule["explain"])
        source = cur.texts.id(rule.get("source", default_source))
        pattern = "|".join(globs if kind == "glob" else parts) or "-"
        cur.rules.append("\t".join([
            rid, cat, kind, scope or "-", pattern, "|".join(unless) or "-",
            ",".join(blocked) or "-", str(explain), str(source),
        ]))


def check_contradictions(cur: Curated) -> None:
    for rec in cur.records.values():
        cats = {k[1] for k in rec.fact_keys if k[0] == "c"}
        nots = {k[1] for k in rec.fact_keys if k[0] == "x"}
        both = cats & nots
        _expect(not both, rec.origin, f"{rec.name} is both in and excluded from {sorted(both)}")
        partition = cats & {"peptide", "copper_peptide", "growth_factor"}
        _expect(len(partition) <= 1, rec.origin,
                f"{rec.name}: peptide, copper_peptide and growth_factor are a partition")


# ---------------------------------------------------------------------------
# CosIng
# ---------------------------------------------------------------------------

_ESSENTIAL = re.compile(r"\b(essential|volatile) oils?\b", re.I)
_FIXED = re.compile(r"\bfixed oil\b", re.I)
_DISTILLED = re.compile(r"distil|destil", re.I)
_SEEDLIKE = re.compile(r"\b(SEED|KERNEL|NUT|FRUIT|BERRY|PULP|SEEDS)\b")
_OIL_NAME = re.compile(r"\bOILS?\b")


def oil_hint(name: str, description: str) -> str:
    """'E' if CosIng's description calls the oil essential/volatile, 'F' if fixed, else ''.

    CosIng sometimes calls an expressed seed oil "volatile"; for seed, kernel, nut and
    fruit oils the description must say "essential oil" or mention distillation."""
    if not _OIL_NAME.search(name) or re.search(r"\b(WATER|EXTRACT|FERMENT|FILTRATE)\b", name):
        return ""
    if _FIXED.search(description):
        return "F"
    if _ESSENTIAL.search(description):
        says_essential = re.search(r"\bessential oils?\b", description, re.I) is not None
        if _SEEDLIKE.search(name) and not says_essential and not _DISTILLED.search(description):
            return ""
        return "E"
    return ""


def load_cosing(path: Path) -> tuple[list[str], dict[str, str]]:
    raw = path.read_bytes()
    text = gzip.decompress(raw) if path.suffix == ".gz" else raw
    reader = csv.DictReader(io.StringIO(text.decode("utf-8"), newline=""))
    merged: dict[str, dict] = {}
    rows = 0
    for row in reader:
        rows += 1
        name = normalize_inci_name(row["inci_name"])
        if not name:
            continue
        item = merged.setdefault(name, {"refs": [], "functions": [], "annex": [], "hint": ""})
        ref = row["cosing_ref_no"].strip()
        if ref and ref not in item["refs"]:
            item["refs"].append(ref)
        for fn in row["function"].split(","):
            fn = clean_text(fn)
            if fn and fn not in item["functions"]:
                item["functions"].append(fn)
        annex = clean_text(row["restriction"])
        if annex and annex not in item["annex"]:
            item["annex"].append(annex)
        hint = oil_hint(name, row["chem_iupac_name___description"])
        if hint == "F" or (hint == "E" and item["hint"] != "F"):
            item["hint"] = hint
    lines = []
    for name in sorted(merged, key=lambda n: n.encode("utf-8")):
        item = merged[name]
        refs = ",".join(sorted(item["refs"], key=int))
        lines.append("\t".join([name, refs, ", ".join(item["functions"]),
                                " | ".join(item["annex"]), item["hint"]]))
    meta = {
        "source_file": path.name,
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "rows": str(rows),
        "names": str(len(merged)),
        "data_date": "15/12/2021",
        "attribution": "Source: European Commission, CosIng database (data of 15/12/2021), © European Union",
    }
    return lines, meta


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def curated_lines(cur: Curated) -> list[str]:
    rows = []
    for key, rec in cur.records.items():
        rows.append((key, f"{key}\t=\t{';'.join(rec.facts)}"))
    for key, (target, source, _where) in cur.synonyms.items():
        rows.append((key, f"{key}\t{target}\ts:{source}"))
    rows.sort(key=lambda r: r[0].encode("utf-8"))
    return [line for _k, line in rows]


def render(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cosing", nargs="?", type=Path, default=DEFAULT_COSING,
                        help="CosIng CSV (.csv or .csv.gz); default: %(default)s")
    parser.add_argument("--curated-only", action="store_true",
                        help="do not read CosIng; leave cosing.tsv and cosing.meta as they are")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a generated file would change")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)

    try:
        cur = load_curated(CATEGORIES_DIR)
        check_contradictions(cur)
    except KbError as e:
        print(f"gen_ingredient_kb: {e}", file=sys.stderr)
        return 2

    outputs: dict[str, str] = {}
    if not args.curated_only:
        if not args.cosing.exists():
            print(f"gen_ingredient_kb: CosIng file {args.cosing} not found "
                  "(give its path, or use --curated-only)", file=sys.stderr)
            return 2
        cosing_lines, meta = load_cosing(args.cosing)
        outputs["cosing.tsv"] = render(cosing_lines)
        outputs["cosing.meta"] = render(f"{k}={v}" for k, v in meta.items())
        known = {line.split("\t", 1)[0] for line in cosing_lines}
        clashes = sorted(k for k in cur.synonyms if k in known)
        if clashes:
            print("gen_ingredient_kb: these synonyms are CosIng names of their own; list them as "
                  "curated entries instead:\n  " + "\n  ".join(clashes), file=sys.stderr)
            return 2
        missing = sorted(k for k in cur.records if k not in known)
        print(f"gen_ingredient_kb: {len(cur.records)} curated names, {len(missing)} of them not "
              f"in CosIng (US drug names, label variants, newer names)", file=sys.stderr)

    outputs["curated.tsv"] = render(curated_lines(cur))
    outputs["texts.tsv"] = render(cur.texts.items)
    outputs["rules.tsv"] = render(cur.rules)
    outputs["genera.tsv"] = render(sorted(cur.genera.values(), key=lambda l: l.encode("utf-8")))

    changed = []
    for name, content in outputs.items():
        target = args.out / name
        old = target.read_text(encoding="utf-8") if target.exists() else None
        if old != content:
            changed.append(name)
            if not args.check:
                args.out.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8", newline="\n")
    if args.check:
        if changed:
            print(f"gen_ingredient_kb: out of date: {', '.join(changed)}", file=sys.stderr)
            return 1
        print("gen_ingredient_kb: generated files are up to date", file=sys.stderr)
        return 0
    print(f"gen_ingredient_kb: wrote {len(changed)} changed file(s) to {args.out}: "
          f"{', '.join(changed) or 'none'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
