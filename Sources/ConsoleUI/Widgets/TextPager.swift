/// A line of text with its style, for ``TextPager`` (help, content views).
public struct StyledLine: Equatable, Sendable {
    public var text: String
    public var style: Style
    public init(_ text: String, style: Style = .normal) {
        self.text = text
        self.style = style
    }
}

/// A scrolling view of lines: j/k and arrows, PgUp/PgDn and Ctrl-b/Ctrl-f, g/G and Home/End.
public struct TextPager: Equatable, Sendable {
    public var title: String
    public var lines: [StyledLine]
    public private(set) var offset: Int = 0
    public private(set) var pageSize: Int = 10

    public init(title: String, lines: [StyledLine]) {
        self.title = title
        self.lines = lines
    }

    private mutating func scroll(to value: Int) {
        offset = max(0, min(value, lines.count - pageSize))
    }

    /// Handles a movement key; returns whether it was one.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .down, .char("j"): scroll(to: offset + 1)
        case .up, .char("k"): scroll(to: offset - 1)
        case .pageDown, .ctrl("f"), .space: scroll(to: offset + pageSize)
        case .pageUp, .ctrl("b"): scroll(to: offset - pageSize)
        case .home, .char("g"): scroll(to: 0)
        case .end, .char("G"): scroll(to: lines.count)
        default: return false
        }
        return true
    }

    /// Draws the title, the visible lines (sanitised, clipped) and a position footer.
    public mutating func draw(on screen: TerminalScreen, in rect: Rect) {
        guard rect.height >= 3 else { return }
        screen.fill(rect, style: .normal)
        pageSize = rect.height - 2
        scroll(to: offset)
        screen.put(TextFitting.clip(TextFitting.clean(title), width: rect.width), row: rect.row, col: rect.col, style: .title)
        for i in 0..<pageSize where offset + i < lines.count {
            let line = lines[offset + i]
            screen.put(TextFitting.clip(TextFitting.clean(line.text), width: rect.width), row: rect.row + 1 + i, col: rect.col, style: line.style)
        }
        let last = min(lines.count, offset + pageSize)
        let footer = lines.isEmpty ? "(empty)" : "lines \(offset + 1)–\(last) of \(lines.count)"
        screen.put(TextFitting.fit(footer, width: rect.width, alignRight: true), row: rect.bottom - 1, col: rect.col, style: .dim)
    }
}
