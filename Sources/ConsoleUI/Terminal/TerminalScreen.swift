/// The surface every screen and widget draws onto.
///
/// Drawing goes to a back buffer; ``flush()`` sends only the cells that changed since the
/// previous flush to the real terminal, never a full clear (slow SSH links). Positions are
/// zero-based; columns are display columns (a CJK character takes two).
///
/// Implementations: ``CursesTerminal`` (ncurses) and ``MemoryTerminal`` (tests). All calls
/// happen on one thread.
public protocol TerminalScreen: AnyObject {
    /// The size in rows and display columns.
    var size: (rows: Int, cols: Int) { get }

    /// Writes `text` starting at `row`, `col`, clipped by display width: nothing is written
    /// past the right edge or outside the rows. A wide character that would straddle the
    /// right edge is replaced by a space. Control characters that reach this point are shown
    /// as U+FFFD; strings from data must be sanitised before (``TerminalText/sanitize(_:)``).
    func put(_ text: String, row: Int, col: Int, style: Style)

    /// Fills `width` columns from `row`, `col` with spaces in `style`.
    func fill(row: Int, col: Int, width: Int, style: Style)

    /// Blanks a whole row (normal style).
    func clearLine(row: Int)

    /// Blanks the whole back buffer. The real terminal is not cleared: the next ``flush()``
    /// sends only the cells that differ.
    func clear()

    /// Sends the cells changed since the previous flush to the terminal.
    func flush()

    /// Places the terminal's cursor (for text input) or hides it.
    func setCursor(row: Int, col: Int, visible: Bool)

    /// Re-reads the terminal's size after a resize event; the next flush repaints every cell
    /// that differs from what the terminal shows.
    func syncSize()

    /// Restores the terminal (ncurses `endwin`). Idempotent.
    func close()

    /// Sends a control sequence straight to the terminal, outside the screen model, after the
    /// next ``flush()`` has drawn the cells (an OSC 52 clipboard write). Never data text: only
    /// sequences the console builds itself.
    func sendControl(_ bytes: [UInt8])
}

extension TerminalScreen {
    /// Writes `text` in the normal style.
    public func put(_ text: String, row: Int, col: Int) {
        put(text, row: row, col: col, style: .normal)
    }

    /// Fills a rectangle with spaces in `style`.
    public func fill(_ rect: Rect, style: Style) {
        for row in rect.row..<(rect.row + max(0, rect.height)) {
            fill(row: row, col: rect.col, width: rect.width, style: style)
        }
    }

    /// Hides the cursor.
    public func hideCursor() { setCursor(row: 0, col: 0, visible: false) }
}

/// A rectangle of cells: top-left `row`, `col` and its size.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var row: Int
    public var col: Int
    public var height: Int
    public var width: Int

    public init(row: Int, col: Int, height: Int, width: Int) {
        self.row = row
        self.col = col
        self.height = max(0, height)
        self.width = max(0, width)
    }

    /// The row after the last one.
    public var bottom: Int { row + height }
    /// The column after the last one.
    public var right: Int { col + width }
    public var isEmpty: Bool { height == 0 || width == 0 }

    /// The rectangle shrunk by `rows` at top and bottom and `cols` at left and right.
    public func inset(rows: Int = 0, cols: Int = 0) -> Rect {
        Rect(row: row + rows, col: col + cols, height: height - 2 * rows, width: width - 2 * cols)
    }

    /// A rectangle of at most `height` × `width` centred in this one.
    public func centered(height: Int, width: Int) -> Rect {
        let h = min(height, self.height), w = min(width, self.width)
        return Rect(row: row + (self.height - h) / 2, col: col + (self.width - w) / 2, height: h, width: w)
    }

    public var description: String { "Rect(row: \(row), col: \(col), \(height)×\(width))" }
}
