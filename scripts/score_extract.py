#!/usr/bin/env python3
"""Score `fileroom extract --json` output against a corpus truth file.

    python3 scripts/score_extract.py --truth truth.json --results extract.jsonl [--verbose]

--results is JSON Lines from `fileroom extract --json` (or an export object {"sources": [...]}).
Prints page-type accuracy, document boundary precision/recall/F1 (blank pages ignored), and per-field exact
accuracy over truth documents of processed files (result documents matched by page overlap). Names compare
ignoring case, spaces and punctuation; dates exactly; fax numbers as digits; MRNs ignoring punctuation.
"""
import argparse
import json
import re
import sys
import unicodedata

FIELDS = ["patient_last", "patient_first", "dob", "mrn", "provider_name", "facility", "provider_fax", "service_date"]


def fold(s):
    s = unicodedata.normalize("NFKD", str(s))
    return "".join(ch for ch in s if not unicodedata.combining(ch)).lower()


def norm(field, value):
    if value is None:
        return None
    if field in ("dob", "service_date"):
        return str(value)
    if field == "provider_fax":
        return re.sub(r"\D", "", str(value))
    return re.sub(r"[^a-z0-9]", "", fold(value))


def load_results(path):
    text = open(path, encoding="utf-8").read()
    try:
        obj = json.loads(text)
        if isinstance(obj, dict) and "sources" in obj:
            return obj["sources"]
        if isinstance(obj, dict):
            return [obj]
    except json.JSONDecodeError:
        pass
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def page_types(documents, pages):
    out = {}
    for d in documents:
        first, last = d["pages"]
        for p in range(first, last + 1):
            out[p] = d["type"]
    return out


def boundaries(documents, blank):
    """Pages where a document starts (other than page 1), a blank page's start moved to the next page."""
    starts = set()
    for d in documents:
        p = d["pages"][0]
        while p in blank:
            p += 1
        if p > 1:
            starts.add(p)
    return starts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    truth = json.load(open(args.truth, encoding="utf-8"))
    results = {unicodedata.normalize("NFC", r["file"]): r for r in load_results(args.results)}

    pages_total = pages_ok = 0
    tp = fp = fn = 0
    field_total = {f: 0 for f in FIELDS}
    field_ok = {f: 0 for f in FIELDS}
    declared_ok = declared_total = 0
    missing = []
    for src in truth["sources"]:
        if src.get("expect") != "processed":
            continue
        name = unicodedata.normalize("NFC", src["file"])
        res = results.get(name)
        if res is None:
            missing.append(name)
            continue
        blank = set(src.get("blank_pages") or [])
        rdocs = res.get("documents") or []
        tt = page_types(src["documents"], src["pages"])
        rt = page_types(rdocs, src["pages"])
        for p in range(1, src["pages"] + 1):
            if p in blank:
                continue
            pages_total += 1
            if tt.get(p) == rt.get(p):
                pages_ok += 1
            elif args.verbose:
                print(f"TYPE {name} p{p}: truth {tt.get(p)} got {rt.get(p)}")
        tb, rb = boundaries(src["documents"], blank), boundaries(rdocs, blank)
        tp += len(tb & rb)
        fp += len(rb - tb)
        fn += len(tb - rb)
        if args.verbose and tb != rb:
            print(f"BOUNDARY {name}: truth {sorted(tb)} got {sorted(rb)}")
        declared_total += 1
        if res.get("declared_pages") == src.get("declared_pages"):
            declared_ok += 1
        elif args.verbose:
            print(f"DECLARED {name}: truth {src.get('declared_pages')} got {res.get('declared_pages')}")
        for td in src["documents"]:
            t1, t2 = td["pages"]
            best, overlap = None, 0
            for rd in rdocs:
                r1, r2 = rd["pages"]
                o = min(t2, r2) - max(t1, r1) + 1
                if o > overlap:
                    best, overlap = rd, o
            rf = (best or {}).get("fields") or {}
            for f in FIELDS:
                field_total[f] += 1
                want, got = norm(f, td["fields"].get(f)), norm(f, rf.get(f))
                if want == got:
                    field_ok[f] += 1
                elif args.verbose:
                    print(f"FIELD {name} p{t1}-{t2} {td['type']} {f}: truth {td['fields'].get(f)!r} got {rf.get(f)!r}")

    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"page_type_acc={pages_ok / max(1, pages_total):.3f} ({pages_ok}/{pages_total})")
    print(f"boundary P={precision:.3f} R={recall:.3f} F1={f1:.3f} (tp={tp} fp={fp} fn={fn})")
    print(f"declared_pages_acc={declared_ok / max(1, declared_total):.3f} ({declared_ok}/{declared_total})")
    for f in FIELDS:
        print(f"field {f:14s} {field_ok[f] / max(1, field_total[f]):.3f} ({field_ok[f]}/{field_total[f]})")
    overall = sum(field_ok.values()) / max(1, sum(field_total.values()))
    print(f"field_acc={overall:.3f}")
    if missing:
        print(f"missing results for {len(missing)} file(s)", file=sys.stderr)


if __name__ == "__main__":
    main()
