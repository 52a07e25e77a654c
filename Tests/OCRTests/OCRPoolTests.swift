import FileroomModel
@testable import OCR
import Pages
import TestSupport
import Testing

@Suite struct OCRPoolTests {
    @Test func pagesFanOutToWorkers() async throws {
        let pool = try OCRPool(workers: 2)
        let page = try FaxFixture.page(Array(FaxFixture.reportLines.prefix(4)), geometry: PageGeometry(width: 1728, height: 400, dpiX: 204, dpiY: 196))
        let texts = try await withThrowingTaskGroup(of: PageText.self) { group in
            for number in 1...3 {
                group.addTask { try await pool.recognize(page, pageNumber: number, deadline: .seconds(60)) }
            }
            var texts: [PageText] = []
            for try await text in group { texts.append(text) }
            return texts.sorted { $0.number < $1.number }
        }
        #expect(texts.map(\.number) == [1, 2, 3])
        #expect(texts.allSatisfy { $0.text.contains("NORTHFIELD REGIONAL PATHOLOGY") })
        #expect(pool.recognitionPasses == 3)
    }

    @Test func cancelledTaskStopsItsPage() async throws {
        let pool = try OCRPool(workers: 1)
        let page = try FaxFixture.page(geometry: TestPages.fine)
        let task = Task { try await pool.recognize(page, pageNumber: 1, deadline: .seconds(60)) }
        task.cancel()
        await #expect(throws: OCRError.cancelled) { try await task.value }
    }
}
