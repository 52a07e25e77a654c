import FileroomModel
@testable import OCR
import Pages
import Testing

@Suite struct OCRPoolTests {
    @Test func pagesFanOutAndComeBackInOrder() async throws {
        let pool = try OCRPool(workers: 2)
        let page = RenderedPage.render(Array(RenderedPage.sample.prefix(2)), height: 300)
        let texts = try await withThrowingTaskGroup(of: PageText.self) { group in
            for number in 1...3 {
                group.addTask { try await pool.recognize(page, pageNumber: number, deadline: .seconds(30)) }
            }
            var texts: [PageText] = []
            for try await text in group { texts.append(text) }
            return texts.sorted { $0.number < $1.number }
        }
        #expect(texts.map(\.number) == [1, 2, 3])
        #expect(texts.allSatisfy { $0.words.first?.text == "Lakeshore" })
    }

    @Test func cancelledTaskStopsItsPage() async throws {
        let pool = try OCRPool(workers: 1)
        let page = RenderedPage.render()
        let task = Task { try await pool.recognize(page, pageNumber: 1, deadline: .seconds(30)) }
        task.cancel()
        await #expect(throws: OCRError.cancelled) { try await task.value }
    }
}
