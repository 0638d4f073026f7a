/// One "key label" pair of the hint line.
public struct HintItem: Equatable, Sendable {
    public var key: String
    public var label: String
    public init(key: String, label: String) {
        self.key = key
        self.label = label
    }

    /// Display width of "key label".
    var width: Int { TextFitting.width(key) + 1 + TextFitting.width(label) }
}

/// The bottom line: the most relevant keys, in order, as many as fit.
public enum HintBar {
    /// Space between items.
    static let gap = 2

    /// The leading items of `items` that fit in `width` columns, keeping order.
    public static func fit(_ items: [HintItem], width: Int) -> [HintItem] {
        var used = 0
        var result: [HintItem] = []
        for item in items {
            let needed = item.width + (result.isEmpty ? 0 : gap)
            if used + needed > width { break }
            used += needed
            result.append(item)
        }
        return result
    }

    /// The text of the hint line for `items` in `width` columns.
    public static func text(_ items: [HintItem], width: Int) -> String {
        fit(items, width: width).map { "\($0.key) \($0.label)" }.joined(separator: String(repeating: " ", count: gap))
    }

    /// Draws the hint line on `row`: keys in the title style, labels in the hint style.
    public static func draw(_ items: [HintItem], on screen: TerminalScreen, row: Int, col: Int = 0, width: Int) {
        screen.fill(row: row, col: col, width: width, style: .hint)
        var x = col
        for (i, item) in fit(items, width: width).enumerated() {
            if i > 0 { x += gap }
            screen.put(item.key, row: row, col: x, style: .title)
            x += TextFitting.width(item.key) + 1
            screen.put(item.label, row: row, col: x, style: .hint)
            x += TextFitting.width(item.label)
        }
    }
}
