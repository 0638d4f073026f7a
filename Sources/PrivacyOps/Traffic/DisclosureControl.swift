/// One cell before disclosure control: its label, its distinct visitors (with their hashes
/// when under K, for the union that is "other"), and its page views.
struct DisclosureCell: Equatable {
    var label: String
    var visitors: Int
    var pageViews: Int
    /// The visitor hashes; needed (exact) when `visitors` is under K.
    var members: [UInt64]
}

/// The rules of DESIGN.md §2b that decide what a traffic report may publish, applied to the
/// cells of one breakdown in one period:
/// 1. a cell with fewer than K distinct visitors is not published: it is merged into "other";
/// 2. "other" counts the distinct visitors of the merged cells together (a visitor in two of
///    them counts once) and the sum of their page views;
/// 3. if "other" is still under K it is withheld, together with the next smallest published
///    cell (fewest visitors, then fewest page views, then the last label), so that neither can
///    be worked out from a total (secondary suppression);
/// 4. every published count is rounded to the nearest multiple of `rounding` (halves up).
/// Rows come in a stable order: published cells by rounded visitors (most first), rounded page
/// views, label; then a withheld cell; then "other".
enum DisclosureControl {
    struct Outcome: Equatable {
        var rows: [TrafficRow]
        /// Cells under K merged into "other".
        var merged: Int
        /// Rows withheld by secondary suppression ("other" and its complement).
        var withheld: Int
    }

    static let otherLabel = "other"

    static func apply(_ cells: [DisclosureCell], period: String, minCount k: Int, rounding: Int) -> Outcome {
        let small = cells.filter { $0.visitors < k }
        var big = cells.filter { $0.visitors >= k }
        var rows: [TrafficRow] = []
        var withheld = 0
        var other: TrafficRow?
        var complement: TrafficRow?
        if !small.isEmpty {
            var union = Set<UInt64>()
            for c in small { union.formUnion(c.members) }
            let views = small.reduce(0) { $0 + $1.pageViews }
            if union.count >= k {
                other = TrafficRow(period: period, value: otherLabel, kind: .other,
                                   visitors: round(union.count, to: rounding), pageViews: round(views, to: rounding))
            } else {
                other = TrafficRow(period: period, value: otherLabel, kind: .other, visitors: nil, pageViews: nil)
                withheld += 1
                if let smallest = big.indices.min(by: { a, b in
                    let x = big[a], y = big[b]
                    return (x.visitors, x.pageViews) != (y.visitors, y.pageViews)
                        ? (x.visitors, x.pageViews) < (y.visitors, y.pageViews) : x.label > y.label
                }) {
                    complement = TrafficRow(period: period, value: big[smallest].label, kind: .cell, visitors: nil, pageViews: nil)
                    big.remove(at: smallest)
                    withheld += 1
                }
            }
        }
        rows = big.map {
            TrafficRow(period: period, value: $0.label, kind: .cell, visitors: round($0.visitors, to: rounding),
                       pageViews: round($0.pageViews, to: rounding))
        }
        rows.sort { a, b in
            if a.visitors != b.visitors { return (a.visitors ?? 0) > (b.visitors ?? 0) }
            if a.pageViews != b.pageViews { return (a.pageViews ?? 0) > (b.pageViews ?? 0) }
            return a.value < b.value
        }
        if let complement { rows.append(complement) }
        if let other { rows.append(other) }
        return Outcome(rows: rows, merged: small.count, withheld: withheld)
    }

    /// A period's total: published (rounded) when it has at least K visitors, else withheld.
    static func total(visitors: Int, pageViews: Int, period: String, minCount k: Int, rounding: Int) -> TrafficRow {
        guard visitors >= k else { return TrafficRow(period: period, value: "(all)", kind: .total, visitors: nil, pageViews: nil) }
        return TrafficRow(period: period, value: "(all)", kind: .total, visitors: round(visitors, to: rounding),
                          pageViews: round(pageViews, to: rounding))
    }

    /// `x` rounded to the nearest multiple of `step`, halves up (12 → 10, 13 → 15 for 5).
    static func round(_ x: Int, to step: Int) -> Int {
        guard step > 1 else { return x }
        return (x + step / 2) / step * step
    }
}
