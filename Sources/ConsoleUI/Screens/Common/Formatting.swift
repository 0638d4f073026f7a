import PrivacyOps

/// How the console writes values from the service: dates, scopes, sizes, labelled lines.
/// Every string from the data goes through ``TerminalText/sanitize(_:)`` (directly or in the
/// widgets) before it reaches the terminal.
enum Format {
    /// `2026-03-02` from `2026-03-02T09:00:00Z`.
    static func date(_ stamp: String?) -> String {
        guard let stamp, !stamp.isEmpty else { return "—" }
        return String(stamp.prefix(10))
    }

    /// `2026-03-02 09:00` from `2026-03-02T09:00:00Z`.
    static func dateTime(_ stamp: String?) -> String {
        guard let stamp, !stamp.isEmpty else { return "—" }
        guard stamp.count >= 16 else { return stamp }
        return String(stamp.prefix(10)) + " " + String(stamp.dropFirst(11).prefix(5))
    }

    /// `2026-03-02 09:00:00 UTC`.
    static func fullTime(_ stamp: String?) -> String {
        guard let stamp, !stamp.isEmpty else { return "—" }
        guard stamp.count >= 19 else { return stamp }
        return String(stamp.prefix(10)) + " " + String(stamp.dropFirst(11).prefix(8)) + " UTC"
    }

    static func scopes(_ scopes: [OptOutScope]) -> String {
        scopes.isEmpty ? "—" : scopes.map(\.rawValue).joined(separator: ", ")
    }

    /// A short name for a scope, for narrow columns.
    static func short(_ scope: OptOutScope) -> String {
        switch scope {
        case .newsletter: return "news"
        case .productNotices: return "notices"
        case .partnerOffers: return "partners"
        }
    }

    /// The suppressed scopes in a few columns: "all", "news+partners", "—".
    static func shortScopes(_ scopes: Set<OptOutScope>) -> String {
        if scopes.isEmpty { return "—" }
        if scopes.count == OptOutScope.allCases.count { return "all" }
        return OptOutScope.allCases.filter(scopes.contains).map(short).joined(separator: "+")
    }

    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(TextFitting.grouped(n)) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    static func bytes(_ n: Int64) -> String {
        n < 10_000 ? "\(TextFitting.grouped(Int(n))) bytes" : n < 10_000_000 ? "\(n / 1024) KiB" : "\(n / 1_048_576) MiB"
    }

    /// "Label      value" lines: the value sanitised and wrapped under itself.
    static func field(_ label: String, _ value: String?, width: Int, labelWidth: Int = 12, style: Style = .normal) -> [StyledLine] {
        let shown = TextFitting.clean(value.flatMap { $0.isEmpty ? nil : $0 } ?? "—")
        let room = max(10, width - labelWidth - 2)
        let wrapped = TextFitting.wrap(shown, width: room)
        var out: [StyledLine] = []
        for (i, piece) in wrapped.enumerated() {
            let head = i == 0 ? TextFitting.fit(label, width: labelWidth) : String(repeating: " ", count: labelWidth)
            out.append(StyledLine("  " + head + piece, style: style))
        }
        return out
    }

    /// A section heading with a blank line before it.
    static func heading(_ text: String) -> [StyledLine] {
        [StyledLine(""), StyledLine(text, style: .title)]
    }

    /// Wraps sanitised `text` to `width` with an indent, as lines in `style`.
    static func wrapped(_ text: String, indent: Int, width: Int, style: Style = .normal) -> [StyledLine] {
        let pad = String(repeating: " ", count: indent)
        return TextFitting.wrap(TextFitting.clean(text), width: max(10, width - indent)).map { StyledLine(pad + $0, style: style) }
    }

    /// Cells padded to the given widths and joined with two spaces: aligned columns in detail text.
    static func columns(_ cells: [String], widths: [Int]) -> String {
        var parts: [String] = []
        for (i, cell) in cells.enumerated() {
            let w = i < widths.count ? widths[i] : TextFitting.width(cell)
            parts.append(TextFitting.fit(TextFitting.clean(cell), width: w))
        }
        var line = parts.joined(separator: "  ")
        while line.last == " " { line.removeLast() }
        return line
    }
}
