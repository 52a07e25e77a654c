#!/usr/bin/env python3
"""Checks Fileroom's hand-off outbox the way a receiving EHR would.

Every <outbox>/fhir/*.json must be a FHIR R4 DocumentReference that validates against the R4 schema (the
`fhir.resources` package: its 8.x releases carry R4B as `fhir.resources.R4B`, whose DocumentReference is R4's; the
package's default models are R5, which is not what Fileroom writes). Its attachment's size and base64 SHA-1 hash
must match the PDF it points to (a file:// URL, or the inline data). With --hl7, every <outbox>/hl7/*.hl7 must be an
HL7 v2.5.1 MDM message whose document number names a DocumentReference of the outbox.

    python3 scripts/check-fhir.py HOME/outbox [--hl7] [--expect N]

Exit 0 when everything holds; 1 naming each file that does not; 2 when nothing could be checked.
"""
import argparse
import base64
import hashlib
import json
import pathlib
import sys
import urllib.parse


def check_reference(path, DocumentReference):
    problems = []
    raw = json.loads(path.read_text())
    try:
        resource = DocumentReference.model_validate(raw) if hasattr(DocumentReference, "model_validate") else DocumentReference.parse_obj(raw)
    except Exception as error:  # the validator's own message says which element is wrong
        return [f"{path.name}: not a valid FHIR R4 DocumentReference: {error}"]
    if raw.get("resourceType") != "DocumentReference":
        problems.append(f"{path.name}: resourceType is {raw.get('resourceType')!r}")
    if resource.status not in ("current", "entered-in-error"):
        problems.append(f"{path.name}: status {resource.status!r}")
    codings = [c for c in (resource.type.coding or []) if c.system == "http://loinc.org"]
    if not codings:
        problems.append(f"{path.name}: type has no LOINC coding")
    # The validator decodes base64Binary elements to bytes: compare hash and data as the JSON spells them.
    attachment = raw["content"][0]["attachment"]
    if attachment.get("contentType") != "application/pdf":
        problems.append(f"{path.name}: contentType {attachment.get('contentType')!r}")
    if attachment.get("data") is not None:
        data = base64.b64decode(attachment["data"])
    elif attachment.get("url", "").startswith("file://"):
        target = pathlib.Path(urllib.parse.unquote(attachment["url"][len("file://"):]))
        if not target.exists():
            # A withdrawn document's file has moved on; only a current one must be where it says.
            if resource.status == "current":
                problems.append(f"{path.name}: attachment {target} is missing")
            return problems
        data = target.read_bytes()
    else:
        return problems  # a URL under handoff.base_url: served by another system
    if attachment.get("size") != len(data):
        problems.append(f"{path.name}: size {attachment.get('size')} but the PDF has {len(data)} bytes")
    digest = base64.b64encode(hashlib.sha1(data).digest()).decode()
    if attachment.get("hash") != digest:
        problems.append(f"{path.name}: hash {attachment.get('hash')} but the PDF's SHA-1 is {digest}")
    if not data.startswith(b"%PDF-"):
        problems.append(f"{path.name}: the attachment is not a PDF")
    return problems


def check_message(path, known_documents):
    text = path.read_bytes().decode("utf-8")
    segments = [s for s in text.split("\r") if s]
    problems = []
    names = [s[:3] for s in segments]
    if "\n" in text:
        problems.append(f"{path.name}: line feeds inside the message (segments end in carriage returns)")
    if not segments or not segments[0].startswith("MSH|^~\\&|"):
        return [f"{path.name}: does not start with an MSH segment"]
    msh = segments[0].split("|")
    if len(msh) < 12 or msh[11] != "2.5.1" or not msh[8].startswith("MDM^"):
        problems.append(f"{path.name}: MSH-9 {msh[8] if len(msh) > 8 else '?'} / MSH-12 {msh[11] if len(msh) > 11 else '?'}")
    event = msh[8].split("^")[1] if len(msh) > 8 and "^" in msh[8] else ""
    expected = ["MSH", "EVN", "PID", "PV1", "TXA"] + (["OBX"] if event in ("T02", "T10") else [])
    if names != expected:
        problems.append(f"{path.name}: segments {names}, expected {expected}")
    txa = next((s.split("|") for s in segments if s.startswith("TXA|")), [])
    number = txa[12].split("^")[0] if len(txa) > 12 else ""
    if number not in known_documents:
        problems.append(f"{path.name}: TXA-12 {number!r} names no DocumentReference of the outbox")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("outbox")
    parser.add_argument("--hl7", action="store_true", help="also check the HL7 MDM messages")
    parser.add_argument("--expect", type=int, help="at least this many DocumentReferences")
    args = parser.parse_args()
    try:
        from fhir.resources.R4B.documentreference import DocumentReference
    except ImportError:
        print("check-fhir: the fhir.resources package (8.x) is not installed: pip install 'fhir.resources>=8,<9'")
        return 2
    outbox = pathlib.Path(args.outbox)
    references = sorted((outbox / "fhir").glob("*.json"))
    problems = []
    known = set()
    for path in references:
        problems += check_reference(path, DocumentReference)
        known.update(i.get("value") for i in json.loads(path.read_text()).get("identifier", []))
    messages = sorted((outbox / "hl7").glob("*.hl7")) if args.hl7 else []
    for path in messages:
        problems += check_message(path, known)
    if args.expect is not None and len(references) < args.expect:
        problems.append(f"{len(references)} DocumentReferences, expected at least {args.expect}")
    if args.hl7 and len(messages) < len(references):
        problems.append(f"{len(messages)} HL7 messages for {len(references)} DocumentReferences")
    for problem in problems:
        print(problem)
    print(f"check-fhir: {len(references)} DocumentReferences, {len(messages)} HL7 messages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
