import Foundation

/// How a traffic report is written out.
public enum TrafficFormat: String, CaseIterable, Sendable {
    case text, json, csv
}

extension TrafficReport {
    /// The report in `format`, as the bytes that are printed, hashed and audited.
    public func rendered(_ format: TrafficFormat) -> [UInt8] {
        switch format {
        case .text: return Array(text().utf8)
        case .json: return json()
        case .csv: return Array(csv().utf8)
        }
    }

    /// What the header says about disclosure control, in one sentence each.
    var minimumCountText: String {
        "\(minCount) distinct visitors per cell; smaller cells are merged into \"other\", and an \"other\" under \(minCount) is withheld with the next smallest cell"
    }

    var roundingText: String { "every published count is rounded to the nearest multiple of \(rounding)" }

    var periodsText: String {
        guard let first = periods.first, let last = periods.last else { return "\(period.rawValue) (UTC): no page views" }
        return first == last ? "\(period.rawValue) (UTC): \(first)" : "\(period.rawValue) (UTC): \(first) to \(last)"
    }

    var suppressedText: String {
        var parts = tables.map { "\($0.by.rawValue): \($0.cellsMerged) merged, \($0.cellsWithheld) withheld" }
        parts.append("period totals: \(totalsWithheld) withheld")
        return "\(cellsMerged) cells under \(minCount) merged into \"other\"; \(cellsWithheld) withheld (" + parts.joined(separator: "; ") + ")"
    }

    var estimatesText: String { "visitor counts above \(exactUpTo) are estimates (HyperLogLog, typical error 0.8%)" }

    // MARK: Text

    /// Aligned text: the header, the period totals, then one table per breakdown.
    func text() -> String {
        var out = "Traffic report (aggregate only)\n"
        var fields: [(String, String)] = []
        if let preparedFor { fields.append(("Prepared for", preparedFor)) }
        fields += [
            ("Periods", periodsText),
            ("Visitors", Self.visitorDefinition),
            ("Page views", Self.pageViewDefinition),
            ("Minimum count", minimumCountText),
            ("Rounding", roundingText),
            ("Suppressed", suppressedText),
            ("Estimates", estimatesText),
        ]
        if !siteDomains.isEmpty { fields.append(("Own site", siteDomains.joined(separator: ", ") + " (referrals from it are \"(internal)\")")) }
        fields.append(("Generated", generatedAt))
        let labelWidth = fields.map { $0.0.count }.max() ?? 0
        for (k, v) in fields {
            out += k + ":" + String(repeating: " ", count: labelWidth - k.count + 1) + " " + TerminalText.sanitize(v) + "\n"
        }
        out += "\nTotals by \(period.rawValue)\n"
        out += Self.table(["PERIOD", "VISITORS", "PAGE VIEWS"], right: [false, true, true],
                          totals.map { [$0.period, Self.count($0.visitors), Self.count($0.pageViews)] })
        for t in tables {
            out += "\nBy \(t.by.rawValue) (\(t.cellsMerged) merged into \"other\", \(t.cellsWithheld) withheld)\n"
            out += Self.table(["PERIOD", t.by.title, "VISITORS", "PAGE VIEWS"], right: [false, false, true, true],
                              t.rows.map { [$0.period, $0.value, Self.count($0.visitors), Self.count($0.pageViews)] })
        }
        return out
    }

    static func count(_ n: Int?) -> String { n.map(String.init) ?? "withheld" }

    /// Rows aligned by display width; values wider than 60 columns are cut with `…`.
    static func table(_ titles: [String], right: [Bool], _ rows: [[String]]) -> String {
        let cells = rows.map { $0.map { TerminalText.truncate(TerminalText.sanitize($0), toWidth: 60) } }
        var widths = titles.map { TerminalText.width($0) }
        for r in cells { for (c, v) in r.enumerated() { widths[c] = max(widths[c], TerminalText.width(v)) } }
        func line(_ r: [String]) -> String {
            var s = ""
            for (c, v) in r.enumerated() {
                if c > 0 { s += "  " }
                let last = c == r.count - 1
                s += last && !right[c] ? v : TerminalText.pad(v, toWidth: widths[c], alignRight: right[c])
            }
            return s + "\n"
        }
        return ([titles] + cells).map(line).joined()
    }

    // MARK: JSON

    private struct JSONRow: Encodable {
        var period: String
        var value: String
        var kind: String
        var visitors: Int?
        var page_views: Int?
        var withheld: Bool

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(period, forKey: .period)
            try c.encode(value, forKey: .value)
            try c.encode(kind, forKey: .kind)
            try c.encode(visitors, forKey: .visitors)  // null when withheld
            try c.encode(page_views, forKey: .page_views)
            try c.encode(withheld, forKey: .withheld)
        }

        enum CodingKeys: String, CodingKey { case period, value, kind, visitors, page_views, withheld }

        init(_ r: TrafficRow) {
            period = r.period
            value = r.value
            kind = r.kind.rawValue
            visitors = r.visitors
            page_views = r.pageViews
            withheld = r.isWithheld
        }
    }

    private struct JSONTable: Encodable {
        var by: String
        var cells_merged: Int
        var cells_withheld: Int
        var rows: [JSONRow]
    }

    private struct JSONReport: Encodable {
        var report = "traffic"
        var aggregate_only = true
        var prepared_for: String?
        var period: String
        var time_zone = "UTC"
        var periods: [String]
        var min_count: Int
        var rounding: Int
        var visitors: String
        var page_views: String
        var minimum_count_rule: String
        var estimates_above: Int
        var own_site: [String]
        var cells_merged: Int
        var cells_withheld: Int
        var totals: [JSONRow]
        var breakdowns: [JSONTable]
        var generated_at: String

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(report, forKey: .report)
            try c.encode(aggregate_only, forKey: .aggregate_only)
            try c.encode(prepared_for, forKey: .prepared_for)
            try c.encode(period, forKey: .period)
            try c.encode(time_zone, forKey: .time_zone)
            try c.encode(periods, forKey: .periods)
            try c.encode(min_count, forKey: .min_count)
            try c.encode(rounding, forKey: .rounding)
            try c.encode(visitors, forKey: .visitors)
            try c.encode(page_views, forKey: .page_views)
            try c.encode(minimum_count_rule, forKey: .minimum_count_rule)
            try c.encode(estimates_above, forKey: .estimates_above)
            try c.encode(own_site, forKey: .own_site)
            try c.encode(cells_merged, forKey: .cells_merged)
            try c.encode(cells_withheld, forKey: .cells_withheld)
            try c.encode(totals, forKey: .totals)
            try c.encode(breakdowns, forKey: .breakdowns)
            try c.encode(generated_at, forKey: .generated_at)
        }

        enum CodingKeys: String, CodingKey {
            case report, aggregate_only, prepared_for, period, time_zone, periods, min_count, rounding, visitors, page_views,
                 minimum_count_rule, estimates_above, own_site, cells_merged, cells_withheld, totals, breakdowns, generated_at
        }
    }

    /// One JSON object (keys snake_case, sorted); withheld counts are null.
    func json() -> [UInt8] {
        let doc = JSONReport(prepared_for: preparedFor, period: period.rawValue, periods: periods, min_count: minCount, rounding: rounding,
                             visitors: Self.visitorDefinition, page_views: Self.pageViewDefinition,
                             minimum_count_rule: minimumCountText + "; " + roundingText, estimates_above: exactUpTo,
                             own_site: siteDomains, cells_merged: cellsMerged, cells_withheld: cellsWithheld,
                             totals: totals.map(JSONRow.init),
                             breakdowns: tables.map { JSONTable(by: $0.by.rawValue, cells_merged: $0.cellsMerged, cells_withheld: $0.cellsWithheld,
                                                                rows: $0.rows.map(JSONRow.init)) },
                             generated_at: generatedAt)
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var bytes = (try? [UInt8](e.encode(doc))) ?? Array("{}".utf8)
        bytes.append(0x0A)
        return bytes
    }

    // MARK: CSV

    static let csvColumns = ["breakdown", "period", "value", "kind", "visitors", "page_views", "withheld", "period_unit", "min_count",
                             "rounding", "cells_merged", "cells_withheld", "prepared_for"]

    /// RFC 4180: a header line, then one line per row (totals first, breakdown "total"); every
    /// line carries K, the rounding, the period unit and the breakdown's suppressed cells, so
    /// that a row taken out of the file still says how it was made. Lines end in CRLF.
    func csv() -> String {
        var out = Self.csvColumns.joined(separator: ",") + "\r\n"
        func line(_ by: String, _ r: TrafficRow, merged: Int, withheld: Int) {
            let fields = [by, r.period, r.value, r.kind.rawValue, r.visitors.map(String.init) ?? "", r.pageViews.map(String.init) ?? "",
                          r.isWithheld ? "true" : "false", period.rawValue, String(minCount), String(rounding), String(merged),
                          String(withheld), preparedFor ?? ""]
            out += fields.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        for r in totals { line("total", r, merged: 0, withheld: totalsWithheld) }
        for t in tables {
            for r in t.rows { line(t.by.rawValue, r, merged: t.cellsMerged, withheld: t.cellsWithheld) }
        }
        return out
    }

    /// A field quoted when it holds a comma, a quote or a line break (quotes doubled).
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
