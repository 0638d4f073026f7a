/// The median of whole numbers (seconds): the middle value, or the mean of the two middle
/// values when there is an even number of them; nil for none.
public enum Median {
    /// - Complexity: O(n log n).
    public static func of(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        let mid = s.count / 2
        if s.count % 2 == 1 { return Double(s[mid]) }
        // The mean without overflowing for large values.
        return Double(s[mid - 1]) + Double(s[mid] - s[mid - 1]) / 2
    }
}

/// Figures as reports print them: rounded once, the same way in text, JSON and CSV.
public enum ReportNumber {
    /// `seconds` in hours or days (`per` 3600 or 86 400), rounded to two decimals.
    public static func scaled(_ seconds: Double?, per: Double) -> Double? {
        seconds.map { ($0 / per * 100).rounded() / 100 }
    }

    /// `part` of `whole` in percent, rounded to one decimal; nil when `whole` is 0.
    public static func percent(_ part: Int, of whole: Int) -> Double? {
        whole > 0 ? (Double(part) * 1000 / Double(whole)).rounded() / 10 : nil
    }

    /// A figure as text: whole numbers without a fraction (`3`), others with what they have
    /// (`2.5`, `13.33`); empty for none.
    public static func text(_ v: Double?) -> String {
        guard let v else { return "" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        var s = String(format: "%.2f", v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}
