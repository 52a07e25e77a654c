#!/usr/bin/env python3
"""Writes the hostile corpus: small broken and crafted TIFF and PDF files, each with the outcome the
readers must reach (expected.tsv: file, then `reject:<reason>` or `ok`). Modelled on the kinds of files
in pdf.js's and Pillow's test suites, written from scratch. Re-run to regenerate; commit the output."""
import os, struct, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
expected = []

def put(name, data, outcome):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    expected.append((name, outcome))

# ---------- TIFF ----------
def tiff(entries_per_ifd, data=b"", next_offsets=None, header_ifd=8):
    """Little-endian TIFF; entries_per_ifd: list of lists of (tag, type, count, value)."""
    out = bytearray(b"II*\x00" + struct.pack("<I", header_ifd))
    offsets = []
    pos = header_ifd
    for i, entries in enumerate(entries_per_ifd):
        offsets.append(pos)
        pos += 2 + 12 * len(entries) + 4
    data_offset = pos
    for i, entries in enumerate(entries_per_ifd):
        out += struct.pack("<H", len(entries))
        for tag, typ, count, value in sorted(entries):
            if value == "DATA":
                value = data_offset
            out += struct.pack("<HHII", tag, typ, count, value)
        nxt = 0 if i == len(entries_per_ifd) - 1 else offsets[i + 1]
        if next_offsets is not None:
            nxt = next_offsets[i]
        out += struct.pack("<I", nxt)
    out += data
    return bytes(out)

def bilevel(width, height, data_len, compression=1, strip_offset="DATA", extra=()):
    return [
        (256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 1), (259, 3, 1, compression),
        (262, 3, 1, 0), (273, 4, 1, strip_offset), (277, 3, 1, 1), (278, 4, 1, height),
        (279, 4, 1, data_len),
    ] + list(extra)

row = b"\x00" * 216  # 1728 white pixels (min-is-white)
good_data = row * 100
put("good-uncompressed.tif", tiff([bilevel(1728, 100, len(good_data))], good_data), "ok")
put("zero-length.tif", b"", "reject:empty_file")
put("header-only.tif", b"II*\x00", "reject:truncated_or_corrupt")
put("truncated-strip.tif", tiff([bilevel(1728, 100, len(good_data))], good_data)[: 8 + 2 + 12 * 9 + 4 + 500],
    "reject:truncated_or_corrupt")
put("huge-dimensions.tif", tiff([bilevel(200000, 200000, 16)], b"\x00" * 16), "reject:image_too_large")
put("zero-width.tif", tiff([bilevel(0, 100, 16)], b"\x00" * 16), "reject:truncated_or_corrupt")
put("strip-beyond-eof.tif", tiff([bilevel(1728, 100, 21600, strip_offset=10_000_000)], b"\x00" * 16),
    "reject:truncated_or_corrupt")
put("unknown-compression.tif", tiff([bilevel(1728, 100, 16, compression=60000)], b"\x00" * 16),
    "reject:truncated_or_corrupt")
# An IFD chain that points back at itself: an endless page list.
put("ifd-loop.tif", tiff([bilevel(1728, 100, len(good_data))] * 2, good_data, next_offsets=[8 + 2 + 12 * 9 + 4, 8]),
    "any")
# A G4 strip of random bytes: the decoder must stop, not run off the end.
rnd = bytes((i * 7919 + 13) % 251 for i in range(4000))
put("garbage-g4.tif", tiff([bilevel(1728, 2200, len(rnd), compression=4)], rnd), "any")
# Many pages declared through a long IFD chain, each tiny.
put("too-many-pages.tif", tiff([bilevel(8, 1, 1)] * 300, b"\x00"), "reject:too_many_pages")

# ---------- PDF ----------
def pdf(objects, trailer_extra="", eof=True, xref=True):
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        if isinstance(body, str):
            body = body.encode("latin-1")
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for o in offsets:
            out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n" % (len(objects) + 1, trailer_extra.encode(), start)
    if eof:
        out += b"%%EOF\n"
    return out

def stream(dictionary, data):
    return dictionary.encode() + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

page_with_image = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>"
draw = stream("<<", b"q 612 0 0 792 0 0 cm /Im0 Do Q")
catalog = "<< /Type /Catalog /Pages 2 0 R >>"
pages = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"

def image_pdf(width, height, data, extra_objects=(), filt=""):
    return pdf([catalog, pages, page_with_image, draw,
                stream("<< /Type /XObject /Subtype /Image /Width %s /Height %s /ColorSpace /DeviceGray /BitsPerComponent 8%s"
                       % (width, height, filt), data)] + list(extra_objects))

put("zero-length.pdf", b"", "reject:empty_file")
put("huge-image-direct.pdf", image_pdf(100000, 100000, b"\x00" * 4), "reject:image_too_large")
# Issue 12 item 11: the size given through indirect objects (6 0 R, 7 0 R) bypassed the check.
put("huge-image-indirect.pdf", image_pdf("6 0 R", "7 0 R", b"\x00" * 4, ["60000", "60000"]), "reject:image_too_large")
# A size in an object the raw bytes do not hold (as in a compressed object stream): cannot be checked.
put("image-size-unresolvable.pdf", image_pdf("9 0 R", "9 0 R", b"\x00" * 4), "reject:truncated_or_corrupt")
# A decompression bomb: a 2000x2000 page image (legal) whose stream inflates to 64 MB of zeros.
bomb = zlib.compress(b"\x00" * (64 << 20), 9)
put("flate-bomb.pdf", image_pdf(2000, 2000, bomb, filt=" /Filter /FlateDecode"), "any")
# A legal but large page image (36 megapixels, under the 40-megapixel default): read in full by a worker
# with the default address space, the death of one given much less.
big = zlib.compress(b"\xff" * (6000 * 6000), 9)
square_page = page_with_image.replace("[0 0 612 792]", "[0 0 612 612]")
put("big-legal-image.pdf", pdf([catalog, pages, square_page, stream("<<", b"q 612 0 0 612 0 0 cm /Im0 Do Q"),
                                stream("<< /Type /XObject /Subtype /Image /Width 6000 /Height 6000 /ColorSpace /DeviceGray"
                                       " /BitsPerComponent 8 /Filter /FlateDecode", big)]), "ok")
put("no-eof-marker.pdf", pdf([catalog, pages, page_with_image, draw], eof=False), "reject:truncated_or_corrupt")
put("not-really.pdf", b"%PDF-1.4\n" + bytes((i * 31 + 7) % 256 for i in range(3000)) + b"\n%%EOF\n", "reject:truncated_or_corrupt")
# Deep nesting in the page's resources: parsers that recurse without a limit run out of stack.
deep = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /X " + "[" * 20000 + "]" * 20000 + " >> >>"
put("deep-nesting.pdf", pdf([catalog, pages, deep, stream("<<", b"BT ET")]), "any")
# A page tree whose Kids include itself.
put("page-tree-cycle.pdf", pdf([catalog, "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]), "reject:truncated_or_corrupt")
# An xref whose /Prev points at itself.
put("xref-loop.pdf", pdf([catalog, pages, page_with_image, draw], trailer_extra="/Prev 9"), "any")
# A content stream that draws a huge number of nested save states.
put("content-qbomb.pdf", pdf([catalog, pages, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                             stream("<<", b"q " * 30000 + b"Q " * 30000)]), "any")
# A page of 14400 x 14400 points: rendering it at 300 dpi would need 3.6 gigapixels.
put("huge-mediabox.pdf", pdf([catalog, pages, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R >>",
                             stream("<<", b"0 0 m 100 100 l S")]), "reject:image_too_large")

with open(os.path.join(HERE, "expected.tsv"), "w") as f:
    f.write("# file\toutcome (ok: read; reject:<reason>; any: read or rejected, never a crash)\n")
    for name, outcome in expected:
        f.write(f"{name}\t{outcome}\n")
