import Foundation
import Testing

@testable import PrivacyOps

/// DESIGN.md §2b's disclosure control on tables worked out by hand (the arithmetic is in the
/// comments): K, "other", secondary suppression, rounding to 5.
@Suite struct DisclosureControlTests {
    func cell(_ label: String, _ visitors: ClosedRange<UInt64>, views: Int) -> DisclosureCell {
        DisclosureCell(label: label, visitors: visitors.count, pageViews: views, members: Array(visitors))
    }

    func row(_ value: String, _ visitors: Int?, _ views: Int?, kind: TrafficRow.Kind = .cell) -> TrafficRow {
        TrafficRow(period: "2026-03", value: value, kind: kind, visitors: visitors, pageViews: views)
    }

    @Test func smallCellsMergeAndOtherUnderKIsWithheldWithTheNextSmallest() {
        // K = 10.
        //   /         40 visitors, 97 views  → published: 40 → 40;  97 → 95 (97 + 2 = 99, 99 / 5 = 19, × 5)
        //   /pricing  23 visitors, 31 views  → published: 23 → 25 (25 / 5 = 5);  31 → 30 (33 / 5 = 6)
        //   /blog     12 visitors, 12 views  → the smallest cell ≥ K: withheld with "other"
        //   /a {101…104}, /b {103…105}, /c {106, 107}: all under 10 → merged into "other"
        //   other = |{101…107}| = 7 visitors (103 and 104 count once), 6 + 3 + 9 = 18 views
        //   7 < 10 → "other" withheld, and /blog with it.
        let cells = [
            cell("/", 1...40, views: 97), cell("/pricing", 41...63, views: 31), cell("/blog", 64...75, views: 12),
            cell("/a", 101...104, views: 6), cell("/b", 103...105, views: 3), cell("/c", 106...107, views: 9),
        ]
        let out = DisclosureControl.apply(cells, period: "2026-03", minCount: 10, rounding: 5)
        #expect(out.rows == [row("/", 40, 95), row("/pricing", 25, 30), row("/blog", nil, nil), row("other", nil, nil, kind: .other)])
        #expect(out.merged == 3)
        #expect(out.withheld == 2)
    }

    @Test func otherCountsEachVisitorOnceAndIsPublishedAtK() {
        // K = 10. /x {1…9} and /y {5…13}: each under 10. Their union {1…13} is 13 visitors (a sum
        // would say 18 and round to 20); 9 + 20 = 29 views.
        //   other: 13 → 15 (15 / 5 = 3);  29 → 30 (31 / 5 = 6)
        //   /z: 30 visitors → 30;  44 views → 45 (46 / 5 = 9)
        let cells = [cell("/x", 1...9, views: 9), cell("/y", 5...13, views: 20), cell("/z", 100...129, views: 44)]
        let out = DisclosureControl.apply(cells, period: "2026-03", minCount: 10, rounding: 5)
        #expect(out.rows == [row("/z", 30, 45), row("other", 15, 30, kind: .other)])
        #expect(out.merged == 2)
        #expect(out.withheld == 0)
    }

    @Test func overlapKeepsOtherUnderKThoughTheSumIsNot() {
        // K = 10. /x {1…6} and /y {3…8}: 6 + 6 = 12 by sum, but |{1…8}| = 8 < 10: withheld.
        // The next smallest: /p and /q both have 10 visitors; /p has fewer views (10 < 11): /p.
        //   /q: 10 → 10;  11 views → 10 (13 / 5 = 2)
        let cells = [cell("/x", 1...6, views: 6), cell("/y", 3...8, views: 7), cell("/p", 20...29, views: 10),
                     cell("/q", 30...39, views: 11)]
        let out = DisclosureControl.apply(cells, period: "2026-03", minCount: 10, rounding: 5)
        #expect(out.rows == [row("/q", 10, 10), row("/p", nil, nil), row("other", nil, nil, kind: .other)])
        #expect(out.withheld == 2)
    }

    @Test func onlySmallCells() {
        // K = 5: /a {1, 2}, /b {3}: other = 3 < 5, withheld; no cell to withhold with it.
        let out = DisclosureControl.apply([cell("/a", 1...2, views: 2), cell("/b", 3...3, views: 1)], period: "2026-03", minCount: 5, rounding: 5)
        #expect(out.rows == [row("other", nil, nil, kind: .other)])
        #expect(out.merged == 2 && out.withheld == 1)
    }

    @Test func noSmallCellsNoOther() {
        // K = 5: 5 visitors is enough (≥ K): 5 → 5; 7 views → 5 (9 / 5 = 1).
        let out = DisclosureControl.apply([cell("/a", 1...5, views: 7)], period: "2026-03", minCount: 5, rounding: 5)
        #expect(out.rows == [row("/a", 5, 5)])
        #expect(out.merged == 0 && out.withheld == 0)
    }

    @Test func roundingToFiveHalvesUp() {
        // x → (x + 2) / 5 × 5
        let cases = [(10, 10), (12, 10), (13, 15), (15, 15), (17, 15), (18, 20), (22, 20), (23, 25), (1002, 1000), (1003, 1005)]
        for (x, r) in cases { #expect(DisclosureControl.round(x, to: 5) == r, "\(x)") }
    }

    @Test func periodTotals() {
        #expect(DisclosureControl.total(visitors: 9, pageViews: 40, period: "2026-03", minCount: 10, rounding: 5).isWithheld)
        // 10 → 10; 42 → 40 (44 / 5 = 8)
        #expect(DisclosureControl.total(visitors: 10, pageViews: 42, period: "2026-03", minCount: 10, rounding: 5)
            == TrafficRow(period: "2026-03", value: "(all)", kind: .total, visitors: 10, pageViews: 40))
    }

    @Test func publishedOrderHidesTheTrueOrderBelowTheRounding() {
        // 11 and 12 visitors both publish as 10: the order is then by views, then label, never by the true count.
        let out = DisclosureControl.apply([cell("/b", 1...12, views: 12), cell("/a", 20...30, views: 12)], period: "2026-03", minCount: 10, rounding: 5)
        #expect(out.rows.map(\.value) == ["/a", "/b"])
    }
}
