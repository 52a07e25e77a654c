import Foundation

/// Files the decoder must reject, each for its own reason, written into a test's folder.
public enum BadFileFixtures {
    /// A zero-byte file.
    public static func writeEmpty(to path: String) throws {
        try Data().write(to: URL(fileURLWithPath: path))
    }

    /// A text file (a fax server's transmission log) named like a TIFF.
    public static func writeTextFile(to path: String) throws {
        let text = "FAX SERVER TRANSMISSION LOG\r\nDate: 11/20/2026 11:46\r\nJob  Remote ID  Pages  Result\r\n"
            + "0042 6085550142 3 FAILED (line busy)\r\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// `count` seeded-random bytes, whatever the file is named.
    public static func writeRandomBytes(count: Int = 4096, seed: UInt64 = 7, to path: String) throws {
        var rng = SeededGenerator(seed: seed)
        var bytes = [UInt8](repeating: 0, count: count)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        // Random data must not start with a real magic number by chance.
        if bytes.count >= 2 { bytes[0] = 0x4A; bytes[1] = 0x18 }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The first `fraction` of a good file's bytes, like a transfer cut off mid-page.
    public static func writeTruncated(copyOf source: String, fraction: Double = 0.6, to path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: source))
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
    }

    /// A valid little-endian TIFF header and directory declaring a `width` x `height` G4 page, with
    /// 16 bytes of strip data: small on disk, gigabytes if a decoder believes the tags.
    public static func writeHugeTIFFHeader(width: UInt32 = 200_000, height: UInt32 = 200_000, to path: String) throws {
        var out = [UInt8]()
        func u16(_ v: UInt16) { out += [UInt8(v & 0xFF), UInt8(v >> 8)] }
        func u32(_ v: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((v >> UInt32(shift)) & 0xFF)) } }
        let entries: [(tag: UInt16, type: UInt16, value: UInt32)] = [
            (256, 4, width), (257, 4, height), (258, 3, 1), (259, 3, 4), (262, 3, 0),
            (273, 4, 0 /* patched below */), (277, 3, 1), (278, 4, height), (279, 4, 16),
        ]
        let dataOffset = UInt32(8 + 2 + entries.count * 12 + 4)
        out += Array("II".utf8)
        u16(42)
        u32(8)
        u16(UInt16(entries.count))
        for entry in entries {
            u16(entry.tag)
            u16(entry.type)
            u32(1)
            let value = entry.tag == 273 ? dataOffset : entry.value
            if entry.type == 3 { u16(UInt16(value)); u16(0) } else { u32(value) }
        }
        u32(0)
        out += [UInt8](repeating: 0, count: 16)
        try Data(out).write(to: URL(fileURLWithPath: path))
    }

    /// A one-page PDF, a few hundred bytes long, whose only image declares \`width\` x \`height\` pixels:
    /// poppler would try to allocate the whole image to decode it.
    public static func writeHugeImagePDF(width: Int = 100_000, height: Int = 100_000, to path: String) throws {
        let content = "q 612 0 0 792 0 0 cm /Im0 Do Q"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
            "<< /Type /XObject /Subtype /Image /Width \(width) /Height \(height) /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\0\0\0\0\nendstream",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        try Data(out.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A zip header, as a .docx starts.
    public static func writeZip(to path: String) throws {
        let bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0, 0x08, 0] + [UInt8](repeating: 0, count: 40)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// A one-page PDF encrypted with a user password (AES-256, made once with
    /// `qpdf --encrypt user-secret owner-secret 256`); it cannot be opened without the password.
    public static func writeEncryptedPDF(to path: String) throws {
        guard let data = Data(base64Encoded: encryptedPDFBase64, options: .ignoreUnknownCharacters) else {
            throw FixtureError("the embedded encrypted PDF is not valid base64")
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    static let encryptedPDFBase64 = """
        JVBERi0xLjcKJb/3ov4KMSAwIG9iago8PCAvRXh0ZW5zaW9ucyA8PCAvQURCRSA8PCAvQmFzZVZlcnNpb24gLzEuNyAvRXh0ZW5z
        aW9uTGV2ZWwgOCA+PiA+PiAvUGFnZXMgMiAwIFIgL1R5cGUgL0NhdGFsb2cgPj4KZW5kb2JqCjIgMCBvYmoKPDwgL0NvdW50IDEg
        L0tpZHMgWyAzIDAgUiBdIC9UeXBlIC9QYWdlcyA+PgplbmRvYmoKMyAwIG9iago8PCAvQ29udGVudHMgNCAwIFIgL01lZGlhQm94
        IFsgMCAwIDYxMiA3OTIgXSAvUGFyZW50IDIgMCBSIC9SZXNvdXJjZXMgPDwgL0ZvbnQgPDwgL0YxIDUgMCBSID4+ID4+IC9UeXBl
        IC9QYWdlID4+CmVuZG9iago0IDAgb2JqCjw8IC9MZW5ndGggMTEyIC9GaWx0ZXIgL0ZsYXRlRGVjb2RlID4+CnN0cmVhbQpnFOXw
        iufxvspkqO7haA/Gl7BEODfSwBCjdgEq8Gm6mB86Iqm7aHgCouKUKfOVxvT8pUUzrBEXNesKWVDTEw9nXTWuev3nmFN+DaVcEfQa
        hlS4CDAHXZFzPnky/E4EQ+BOCCWII2lHBhUge1oey+CTZW5kc3RyZWFtCmVuZG9iago1IDAgb2JqCjw8IC9CYXNlRm9udCAvSGVs
        dmV0aWNhIC9TdWJ0eXBlIC9UeXBlMSAvVHlwZSAvRm9udCA+PgplbmRvYmoKNiAwIG9iago8PCAvQ0YgPDwgL1N0ZENGIDw8IC9B
        dXRoRXZlbnQgL0RvY09wZW4gL0NGTSAvQUVTVjMgL0xlbmd0aCAzMiA+PiA+PiAvRmlsdGVyIC9TdGFuZGFyZCAvTGVuZ3RoIDI1
        NiAvTyA8OGJiOThlNTg4ZGUyMWZhNGQ2MWY5YWMwMWI4NTQ0ZDMwYjBiNTVhNjFhMGUyOThhNDIzNzM4MDE3ODJkMjk1ODRjZTRl
        YWY4ZTVkYzI5ZDYwNTQ5NjRiN2E4MDIzOWM3PiAvT0UgPGE0MTU1MGZlZGUzNGViNmQ1N2E0ZTY2ZWUwZTM4YThhYzQyYzk1OTli
        OTk2MDVmN2MzYmNiZWQ5MWI0MjYzZmY+IC9QIC00IC9QZXJtcyA8YWE3OGQzZGJkZmNkNTE3YmM5OTYzY2QxMzIxODhmNjE+IC9S
        IDYgL1N0bUYgL1N0ZENGIC9TdHJGIC9TdGRDRiAvVSA8NWEzNjJmZDJlMTVjY2NkMmFiMzViZDY1ZTU1ZmQ4OWY1MDI4ODVmNTE0
        NDhjYzc2MDRlOWUxNWVjYzQxN2RjMTgyODY3MzRmMDllMDVhODY3ZjY0OGQ5YjA2MWIwNjc1PiAvVUUgPDU5MDJiZTFiYzBkYzFl
        YjE2Zjk4ZWY4ODE0NTZkZTM5OTlkODg4NjUyMWUyMGMxYmE5YjM3NjczMDQ0ZjQ3MmU+IC9WIDUgPj4KZW5kb2JqCnhyZWYKMCA3
        CjAwMDAwMDAwMDAgNjU1MzUgZiAKMDAwMDAwMDAxNSAwMDAwMCBuIAowMDAwMDAwMTMwIDAwMDAwIG4gCjAwMDAwMDAxODkgMDAw
        MDAgbiAKMDAwMDAwMDMxNyAwMDAwMCBuIAowMDAwMDAwNTAwIDAwMDAwIG4gCjAwMDAwMDA1NzAgMDAwMDAgbiAKdHJhaWxlciA8
        PCAvUm9vdCAxIDAgUiAvU2l6ZSA3IC9JRCBbPGM5YzUxZTlhMDNhZGI5OWI0Y2M1NmM2OWJlMTQ1Njg3PjxjOWM1MWU5YTAzYWRi
        OTliNGNjNTZjNjliZTE0NTY4Nz5dIC9FbmNyeXB0IDYgMCBSID4+CnN0YXJ0eHJlZgoxMTE3CiUlRU9GCg==
        """
}
