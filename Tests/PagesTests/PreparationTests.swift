import Pages
import Testing
import TestSupport

@Suite struct PreparationTests {
    @Test func normalModePagesGetRowsDoubledAndFinePagesStayAsReceived() throws {
        let normal = try FaxFixture.page(geometry: .faxNormal)
        let squared = normal.squaredForOCR()
        #expect(squared.width == 1728 && squared.height == 2200)
        #expect(squared.dpiX == 204 && squared.dpiY == 196)
        let fine = try FaxFixture.page()
        let unchanged = fine.squaredForOCR() == fine
        #expect(unchanged)
    }

    @Test func squaringBlursOneDarkRowLightlyIntoItsNeighbours() {
        var image = PageImage(width: 4, height: 5, dpiX: 204, dpiY: 98)
        for x in 0..<4 { image.pixels[2 * 4 + x] = 0 }
        let squared = image.squaredForOCR()
        let column = (0..<10).map { squared.pixels[$0 * 4] }
        // Source row 2 becomes rows 4 and 5 (dark, with a quarter of white from the neighbour); rows 3 and 6
        // pick up a quarter of its darkness.
        #expect(column == [255, 255, 255, 191, 64, 64, 191, 255, 255, 255])
    }

    @Test func blankDetection() throws {
        let empty = PageImage(width: 1728, height: 2200, dpiX: 204, dpiY: 196)
        #expect(empty.isBlank && empty.inkCoverage() == 0)
        let headerOnly = try FaxFixture.blankPage()
        #expect(headerOnly.isBlank)
        let speckled = try FaxFixture.blankPage(speckles: 3000)
        #expect(speckled.isBlank)
        let text = try FaxFixture.page()
        #expect(!text.isBlank)
        #expect(text.inkCoverage() > 10 * PageImage.blankCoverageThreshold)
        let oneLine = try FaxFixture.page(["Page 2 of 2: intentionally left without further text"])
        #expect(!oneLine.isBlank)
    }

    @Test func quarterTurnsSwapSizeAndResolutionAndComeBack() throws {
        let page = try PageRenderer.render(text: ["Rotate me"], geometry: PageGeometry(width: 300, height: 120, dpiX: 204, dpiY: 98))
        let turned = page.rotated(quarterTurns: 1)
        #expect(turned.width == 120 && turned.height == 300 && turned.dpiX == 98 && turned.dpiY == 204)
        let backAgain = turned.rotated(quarterTurns: 3) == page
        let twiceHalf = page.rotated(quarterTurns: 2).rotated(quarterTurns: 2) == page
        let negative = page.rotated(quarterTurns: -1) == page.rotated(quarterTurns: 3)
        #expect(backAgain && twiceHalf && negative)
        // Top-left ink moves to the top-right corner after a clockwise quarter turn.
        var dot = PageImage(width: 3, height: 2, dpiX: 1, dpiY: 1)
        dot.pixels[0] = 0
        #expect(dot.rotated(quarterTurns: 1).pixels == [255, 0, 255, 255, 255, 255])
    }
}
