import Foundation
import Telemetry
import Testing

/// Parses Prometheus text exposition (format 0.0.4) strictly enough to catch a malformed line: every sample is
/// `name{labels} value`, every name is declared by a `# TYPE` line first.
struct PrometheusText {
    var types: [String: String] = [:]
    var samples: [(name: String, labels: [String: String], value: Double)] = []

    init(_ text: String) throws {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                try #require(parts.count == 4)
                types[String(parts[2])] = String(parts[3])
                continue
            }
            if line.hasPrefix("#") { continue }
            let space = try #require(line.lastIndex(of: " "))
            let value = try #require(Double(line[line.index(after: space)...]))
            let series = line[..<space]
            var labels: [String: String] = [:]
            var name = String(series)
            if let brace = series.firstIndex(of: "{") {
                name = String(series[..<brace])
                try #require(series.hasSuffix("}"))
                let inner = series[series.index(after: brace)..<series.index(before: series.endIndex)]
                for pair in inner.split(separator: ",") {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    try #require(kv.count == 2 && kv[1].hasPrefix("\"") && kv[1].hasSuffix("\""))
                    labels[String(kv[0])] = String(kv[1].dropFirst().dropLast())
                }
            }
            let family = types.keys.first { name == $0 || name.hasPrefix($0 + "_") }
            try #require(family != nil, "sample \(name) has no # TYPE line before it")
            samples.append((name, labels, value))
        }
    }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in
            sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value }
        }?.value
    }
}

@Suite struct MetricsTests {
    @Test func countsAndLevelsAppearAsPrometheusText() throws {
        let metrics = FileroomMetrics()
        metrics.pageRead(ocr: .milliseconds(800))
        metrics.pageRead(ocr: .milliseconds(1200))
        metrics.pageRead(ocr: nil)
        metrics.document(outcome: "filed", type: "pathology_report")
        metrics.document(outcome: "filed", type: "pathology_report")
        metrics.document(outcome: "review", type: "clinic_note")
        metrics.sourceEnded(state: "rejected", reason: "not_a_tiff")
        metrics.retried()
        var levels = FileroomMetrics.Levels()
        levels.spoolBacklog = 4
        levels.oldestWaitingSeconds = 90
        levels.openQueueItems = ["review": 3, "pathology": 1]
        metrics.record(levels)

        let text = try PrometheusText(metrics.render())
        #expect(text.value("fileroom_pages_read_total") == 3)
        #expect(text.value("fileroom_ocr_seconds_count") == 2)
        #expect(text.value("fileroom_documents_total", ["outcome": "filed", "type": "pathology_report"]) == 2)
        #expect(text.value("fileroom_documents_total", ["outcome": "review", "type": "clinic_note"]) == 1)
        #expect(text.value("fileroom_sources_ended_total", ["state": "rejected", "reason": "not_a_tiff"]) == 1)
        #expect(text.value("fileroom_retries_total") == 1)
        #expect(text.value("fileroom_spool_backlog") == 4)
        #expect(text.value("fileroom_oldest_waiting_seconds") == 90)
        #expect(text.value("fileroom_queue_depth", ["queue": "review"]) == 3)
        #expect(text.samples.allSatisfy { $0.name.hasPrefix("fileroom_") })
    }

    @Test func textfileIsReplacedWholeAndEndpointServesTheSameText() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let metrics = FileroomMetrics()
        metrics.pageRead(ocr: nil)
        let path = folder.appendingPathComponent("metrics/fileroom.prom").path
        try MetricsTextfile(path: path).write(metrics.render())
        metrics.pageRead(ocr: nil)
        try MetricsTextfile(path: path).write(metrics.render())
        let written = try PrometheusText(String(contentsOfFile: path, encoding: .utf8))
        #expect(written.value("fileroom_pages_read_total") == 2)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("metrics").path)
        #expect(leftovers == ["fileroom.prom"])

        let endpoint = try MetricsEndpoint(listen: "127.0.0.1:0", metrics: metrics)
        defer { endpoint.stop() }
        let body = try httpGet(port: endpoint.port, path: "/metrics")
        #expect(body.hasPrefix("HTTP/1.0 200"))
        let served = try PrometheusText(String(body[body.range(of: "\r\n\r\n")!.upperBound...]))
        #expect(served.value("fileroom_pages_read_total") == 2)
        #expect(try httpGet(port: endpoint.port, path: "/other").hasPrefix("HTTP/1.0 404"))
    }

    private func httpGet(port: Int, path: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        let request = Array("GET \(path) HTTP/1.0\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += chunk[..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
