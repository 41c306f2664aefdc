"""Build rules/places.jsonl, the gazetteer used by miner.finders.places.

Source: the address-conversion data bundled with underthesea 9.5.0
(underthesea/address/data/mapping.json, itself generated from
vietnamadminunits 1.0.4). It holds the 63 pre-2025 provinces, their
districts and wards (as of mid-2025) and the mapping to the 34 provinces
of 2025. Run:  .venv/bin/python scripts/build_places.py

Output: one JSON object per line. The first line is a header
({"header": true, "source": ..., "version": ..., "counts": ...}); then one
line per province, district and commune. Names are NFC, modern tone
placement ("Hóa", "Thủy"), without the administrative prefix.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "rules" / "places.jsonl"

# The data names the old province by its 2025 name "Huế" (it became a
# centrally governed city in January 2025); documents of 2010-2024 and the
# record contract call it "Thừa Thiên Huế".
OLD_PROVINCE_RENAMES = {"Huế": "Thừa Thiên Huế"}

PREFIXES = [  # longest first
    ("Thành phố", "thành phố"), ("Thị xã", "thị xã"), ("Thị trấn", "thị trấn"),
    ("Tỉnh", "tỉnh"), ("Huyện", "huyện"), ("Quận", "quận"), ("Xã", "xã"),
    ("Phường", "phường"), ("Đặc khu", "đặc khu"),
]

# old-style tone on the second vowel of a final "oa/oe/uy" ("hoá", "thuỷ")
_TONED = "àáảãạèéẻẽẹỳýỷỹỵ"
_BASE = "aaaaaeeeeeyyyyy"
_MARK = "\u0300\u0301\u0309\u0303\u0323" * 3


def modern_tone(name: str) -> str:
    """Move the tone of a syllable-final oa/oe/uy to the first vowel."""
    def fix(m: re.Match) -> str:
        first, toned = m.group(2), m.group(3)
        i = _TONED.index(toned.lower())
        vowel = _BASE[i].upper() if toned.isupper() else _BASE[i]
        return m.group(1) + unicodedata.normalize("NFC", first + _MARK[i]) + vowel

    name = unicodedata.normalize("NFC", name)
    return re.sub(r"(^|[^\wqQ]|(?<=[^qQ\W]))([oOuU])([" + _TONED + _TONED.upper() + r"])(?!\w)",
                  fix, name)


def ascii_fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def split_prefix(full: str) -> tuple[str, str]:
    """'Huyện Tân Yên' -> ('huyện', 'Tân Yên')."""
    for written, kind in PREFIXES:
        if full.startswith(written + " "):
            return kind, full[len(written) + 1:].strip()
    return "", full.strip()


def clean(name: str) -> str:
    return modern_tone(" ".join(name.split()))


def aliases_of(name: str) -> list[str]:
    plain = ascii_fold(name)
    return [plain] if plain != name else []


def load_data() -> tuple[dict, Path]:
    import underthesea.address as address_pkg  # build time only

    path = Path(address_pkg.__file__).parent / "data" / "mapping.json"
    return json.loads(path.read_text(encoding="utf-8")), path


def build(data: dict, source: str) -> list[dict]:
    old_names = {k: clean(v["short"]) for k, v in data["old_province_names"].items()}
    new_names = {k: clean(v["short"]) for k, v in data["province_names"].items()}
    old_display = {k: OLD_PROVINCE_RENAMES.get(n, n) for k, n in old_names.items()}

    rows: list[dict] = []
    for key, name in old_display.items():
        full_kind = split_prefix(data["old_province_names"][key]["name"])[0]
        extra = [old_names[key]] if old_names[key] != name else []
        rows.append({
            "name": name, "level": "province", "kind": full_kind, "era": "pre-2025",
            "new_province": new_names[data["province_mapping"][key]],
            "aliases": extra + aliases_of(name) + [a for e in extra for a in aliases_of(e)],
            "code": data["old_province_names"][key]["code"],
        })
    old_set = set(old_display.values())
    for key, name in new_names.items():
        if name not in old_set:  # a 2025 province whose name is new ("Huế")
            rows.append({
                "name": name, "level": "province",
                "kind": split_prefix(data["province_names"][key]["name"])[0],
                "era": "2025", "new_province": name, "aliases": aliases_of(name),
                "code": data["province_names"][key]["code"],
            })

    districts: dict[tuple, dict] = {}
    communes: dict[tuple, dict] = {}
    new_communes: dict[tuple, dict] = {}
    for rec in data["ward_mapping"]:
        prov = old_display[rec["old_province_key"]]
        new_prov = new_names[rec["new_province_key"]]
        dkind, dname = split_prefix(rec["old_district"])
        dname = clean(dname)
        districts.setdefault((dname, dkind, prov), {
            "name": dname, "level": "district", "kind": dkind, "province": prov,
            "new_province": new_names[data["province_mapping"][rec["old_province_key"]]],
            "aliases": aliases_of(dname),
        })
        if rec["old_ward"]:
            wkind, wname = split_prefix(rec["old_ward"])
            wname = clean(wname)
            communes.setdefault((wname, wkind, dname, prov), {
                "name": wname, "level": "commune", "kind": wkind, "province": prov,
                "district": dname, "new_province": new_prov,
            })
        if rec["new_ward"]:
            wkind, wname = split_prefix(rec["new_ward"])
            new_communes.setdefault((clean(wname), wkind, new_prov), {
                "name": clean(wname), "level": "commune", "kind": wkind,
                "province": new_prov, "era": "2025", "new_province": new_prov,
            })

    old_keys = {(c["name"], c["kind"], c["new_province"]) for c in communes.values()}
    rows += sorted(districts.values(), key=lambda r: (r["province"], r["name"]))
    rows += sorted(communes.values(), key=lambda r: (r["province"], r["district"], r["name"]))
    # a 2025 commune that kept an old commune's name is already listed
    rows += sorted((c for k, c in new_communes.items() if k not in old_keys),
                   key=lambda r: (r["province"], r["name"]))
    return rows


def main() -> int:
    data, path = load_data()
    version = metadata.version("underthesea")
    source = f"underthesea {version} convert_address data ({path.name}; " \
             f"{data['metadata']['source']} {data['metadata']['version']})"
    rows = build(data, source)
    row_source = f"underthesea {version} convert_address ({path.name})"
    for r in rows:
        r["source"] = row_source
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["level"]] = counts.get(r["level"], 0) + 1
    header = {"header": True, "source": source, "effective_date": data["metadata"]["effective_date"],
              "counts": counts,
              "notes": "names NFC, modern tone placement, no prefix; communes carry no "
                       "aliases (matching folds diacritics); era 2025 = the 34-province structure"}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(header, ensure_ascii=False) + "\n")
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e6:.2f} MB): {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
