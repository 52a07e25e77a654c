#!/usr/bin/env python3
"""Checks a shared home after several daemons ran over a generated spool (scripts/cluster-demo.sh).

usage: cluster-check.py TRUTH_JSON EXPORT_JSON HOME

Every spool file must be in exactly one final state, no document filed twice (in the export or under filed/), and
no document filed to another case than the truth's. Prints one summary line; exits 1 on any failure.
"""
import json
import os
import sys
from collections import Counter


def main() -> int:
    truth = json.load(open(sys.argv[1]))
    export = json.load(open(sys.argv[2]))
    home = sys.argv[3]
    problems = []
    by_sha = {}
    for source in export["sources"]:
        by_sha.setdefault(source["sha256"], []).append(source)
    final = 0
    wrong = 0
    filed = 0
    for expected in truth["sources"]:
        found = by_sha.get(expected["sha256"], [])
        if len(found) != 1:
            problems.append(f"{expected['file']}: {len(found)} sources in the store, expected exactly 1")
            continue
        source = found[0]
        if source["status"] not in ("processed", "rejected", "duplicate"):
            problems.append(f"{source['source_id']}: status {source['status']}, not final")
            continue
        final += 1
        cases = {tuple(d["pages"]): d["case_id"] for d in expected["documents"]}
        for document in source["documents"]:
            if document["status"] != "filed":
                continue
            filed += 1
            want = cases.get(tuple(document["pages"]))
            if want is None or want != document["case_id"]:
                wrong += 1
                problems.append(f"{document['document_id']}: filed to {document['case_id']}, truth {want}")
    ids = Counter(d["document_id"] for s in export["sources"] for d in s["documents"])
    twice = [i for i, n in ids.items() if n > 1]
    if twice:
        problems.append(f"document ids exported twice: {twice[:5]}")
    pdfs = Counter()
    for root, _, files in os.walk(os.path.join(home, "filed")):
        for name in files:
            if name.endswith(".pdf"):
                # <date>_<type>_<short id>.pdf: the short id names the document
                pdfs[name.rsplit("_", 1)[-1]] += 1
    doubled = [n for n, c in pdfs.items() if c > 1]
    if doubled:
        problems.append(f"documents filed twice under filed/: {doubled[:5]}")
    extra = len(export["sources"]) - len(truth["sources"])
    if extra:
        problems.append(f"{extra} sources more in the store than files in the spool")
    leftovers = [n for n in os.listdir(os.path.join(home, "spool")) if not n.startswith(".")]
    if leftovers:
        problems.append(f"{len(leftovers)} files still in the spool")
    work = os.listdir(os.path.join(home, "work"))
    if work:
        problems.append(f"{len(work)} folders still in work/")
    print(
        f"files {len(truth['sources'])}, final exactly once {final}, documents filed {filed}, "
        f"filed PDFs {sum(pdfs.values())}, wrong filings {wrong}, filed twice {len(doubled) + len(twice)}"
    )
    for problem in problems[:20]:
        print("  PROBLEM", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
