#!/usr/bin/env python3
"""Matching measured on a labelled corpus, against its truth (see the corpus README for the format).

usage: measure-match-truth.py FILEROOM_BINARY CORPUS_DIR [--extract EXTRACT.jsonl] [-v]

Without --extract, each document's fields are built straight from the truth file (what is printed, no OCR): this
measures matching alone. With --extract, the fields are those `fileroom extract --json` produced for the spool, and
each extracted document is scored against the truth document it overlaps most. Whole faxes go to
`fileroom match --json --cases CORPUS_DIR/cases.csv`, so documents of one fax support each other.
"""
import json
import subprocess
import sys


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]) + 1)


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv
    extract = None
    if "--extract" in args:
        at = args.index("--extract")
        extract = args[at + 1]
        del args[at:at + 2]
    binary, corpus = args[0], args[1].rstrip("/")
    truth = {s["file"]: s for s in json.load(open(f"{corpus}/truth.json"))["sources"]}
    lines, expected = [], []
    if extract is None:
        for source in truth.values():
            docs = source.get("documents") or []
            if docs:
                lines.append(json.dumps({"file": source["file"], "documents": [{"fields": d["fields"]} for d in docs]}))
                expected.extend((source["file"], i, d) for i, d in enumerate(docs))
    else:
        for line in open(extract):
            if not line.strip():
                continue
            source = json.loads(line)
            docs = source.get("documents") or []
            if not docs or truth.get(source["file"], {}).get("expect") in ("duplicate", "rejected"):
                # Duplicates and rejected files never reach matching in the daemon.
                continue
            lines.append(line.strip())
            truth_docs = truth.get(source["file"], {}).get("documents") or []
            for i, d in enumerate(docs):
                best = max(truth_docs, key=lambda t: overlap(t["pages"], d["pages"]), default=None)
                if best is None or overlap(best["pages"], d["pages"]) == 0:
                    # Pages the truth holds no document for (blank, junk, rejected file): nothing may be filed.
                    best = {"type": "other", "case_id": None, "safe_outcomes": ["review", "unmatched"]}
                expected.append((source["file"], i, best))
    run = subprocess.run([binary, "match", "--json", "--cases", f"{corpus}/cases.csv"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"match failed ({run.returncode}): {run.stderr}")
    decisions = [json.loads(l) for l in run.stdout.splitlines() if l.strip()]
    assert len(decisions) == len(expected), (len(decisions), len(expected))
    wrong, correct, fileable, unsafe, review = 0, 0, 0, 0, 0
    for (file, index, doc), decision in zip(expected, decisions):
        assert decision["file"] == file and decision["document"] == index
        safe = doc["safe_outcomes"]
        clinical = doc["type"] not in ("cover_sheet", "other")
        status = decision["status"]
        review += status == "review"
        flag = ""
        if status == "filed" and ("filed" not in safe or decision["case_id"] != doc["case_id"]):
            wrong += 1
            flag = "WRONG"
        elif status not in safe:
            unsafe += 1
            flag = "UNSAFE"
        if clinical and "filed" in safe:
            fileable += 1
            if status == "filed" and decision["case_id"] == doc["case_id"]:
                correct += 1
            elif not flag:
                flag = "missed"
        if flag or verbose:
            print(f"{flag:7} {file[:28]:28} #{index} {doc['type']:17} truth={doc['case_id']} safe={safe} -> "
                  f"{status} {decision['case_id']} :: {decision['reason']}")
    total = len(decisions)
    print(f"documents={total} wrong_filed={wrong} unsafe_status={unsafe} "
          f"auto_filed_correct={correct}/{fileable} ({correct / max(fileable, 1):.2f}) review_rate={review / total:.2f}")


if __name__ == "__main__":
    main()
