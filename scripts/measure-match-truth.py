#!/usr/bin/env python3
"""Matching alone, measured on a labelled corpus: builds each document's fields straight from the truth file
(what is printed, no OCR), feeds whole faxes to `fileroom match --json --cases`, and scores the decisions.

usage: measure-match-truth.py FILEROOM_BINARY CORPUS_DIR   (CORPUS_DIR holds truth.json and cases.csv)
"""
import json
import subprocess
import sys


def main():
    binary, corpus = sys.argv[1], sys.argv[2].rstrip("/")
    truth = json.load(open(f"{corpus}/truth.json"))
    lines, expected = [], []
    for source in truth["sources"]:
        docs = source.get("documents") or []
        if not docs:
            continue
        lines.append(json.dumps({"file": source["file"], "documents": [{"fields": d["fields"]} for d in docs]}))
        expected.extend((source["file"], i, d) for i, d in enumerate(docs))
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
        if flag or "-v" in sys.argv:
            print(f"{flag:7} {file[:28]:28} #{index} {doc['type']:17} truth={doc['case_id']} safe={safe} -> "
                  f"{status} {decision['case_id']} :: {decision['reason']}")
    total = len(decisions)
    print(f"documents={total} wrong_filed={wrong} unsafe_status={unsafe} "
          f"auto_filed_correct={correct}/{fileable} ({correct / max(fileable, 1):.2f}) review_rate={review / total:.2f}")


if __name__ == "__main__":
    main()
