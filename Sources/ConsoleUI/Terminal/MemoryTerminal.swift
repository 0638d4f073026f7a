/// An in-memory ``TerminalScreen`` for tests and headless rendering: a grid of cells with
/// their styles, wide characters taking two cells.
public final class MemoryTerminal: TerminalScreen {
    private var buffer: ScreenBuffer
    private var flushed: ScreenBuffer?

    /// Where the cursor was last placed and whether it is shown.
    public private(set) var cursor: (row: Int, col: Int, visible: Bool) = (0, 0, false)
    /// How many times ``flush()`` was called.
    public private(set) var flushCount = 0
    /// How many character cells the last ``flush()`` would have sent to a terminal.
    public private(set) var lastFlushCellCount = 0
    /// Whether ``close()`` was called.
    public private(set) var isClosed = false

    public init(rows: Int = 24, cols: Int = 80) {
        buffer = ScreenBuffer(rows: rows, cols: cols)
    }

    /// Changes the size as a terminal window would; the content is blanked and the next
    /// flush sends every cell.
    public func resize(rows: Int, cols: Int) {
        buffer = ScreenBuffer(rows: rows, cols: cols)
        flushed = nil
    }

    // MARK: TerminalScreen

    public var size: (rows: Int, cols: Int) { (buffer.rows, buffer.cols) }

    public func put(_ text: String, row: Int, col: Int, style: Style) {
        buffer.put(text, row: row, col: col, style: style)
    }

    public func fill(row: Int, col: Int, width: Int, style: Style) {
        buffer.fill(row: row, col: col, width: width, style: style)
    }

    public func clearLine(row: Int) {
        buffer.fill(row: row, col: 0, width: buffer.cols, style: .normal)
    }

    public func clear() { buffer.clearAll() }

    public func flush() {
        lastFlushCellCount = buffer.changedCells(since: flushed).count
        flushed = buffer
        flushCount += 1
    }

    public func setCursor(row: Int, col: Int, visible: Bool) {
        cursor = (row, col, visible)
    }

    public func syncSize() {}

    public func close() { isClosed = true }

    /// The control sequences sent (``sendControl(_:)``), oldest first.
    public private(set) var controlsSent: [[UInt8]] = []

    public func sendControl(_ bytes: [UInt8]) { controlsSent.append(bytes) }

    // MARK: Inspection

    /// Every row's text, trailing spaces trimmed. A wide character appears once.
    public func lines() -> [String] {
        (0..<buffer.rows).map { row in
            var line = buffer.line(row)
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// All rows joined with newlines, trailing empty rows dropped.
    public var text: String {
        var all = lines()
        while all.last == "" { all.removeLast() }
        return all.joined(separator: "\n")
    }

    /// The style of the cell at `row`, `col` (a continuation cell has its character's style).
    public func style(atRow row: Int, col: Int) -> Style {
        guard buffer.contains(row: row, col: col) else { return .normal }
        return buffer[row, col].style
    }

    /// The character drawn at `row`, `col`; nil for the right half of a wide character.
    public func character(atRow row: Int, col: Int) -> Character? {
        guard buffer.contains(row: row, col: col), !buffer[row, col].isContinuation else { return nil }
        return buffer[row, col].character
    }

    /// The display columns in `row` holding `character`.
    public func columns(of character: Character, inRow row: Int) -> [Int] {
        guard row >= 0, row < buffer.rows else { return [] }
        return (0..<buffer.cols).filter { col in
            !buffer[row, col].isContinuation && buffer[row, col].character == character
        }
    }

    /// The rows with at least one cell in `style`, top to bottom.
    public func rowsWithStyle(_ style: Style) -> [Int] {
        (0..<buffer.rows).filter { row in
            (0..<buffer.cols).contains { buffer[row, $0].style == style }
        }
    }

    /// The columns of `row` whose cells are in `style`.
    public func columnsWithStyle(_ style: Style, inRow row: Int) -> [Int] {
        guard row >= 0, row < buffer.rows else { return [] }
        return (0..<buffer.cols).filter { buffer[row, $0].style == style }
    }

    /// The first row whose text contains `needle`.
    public func row(containing needle: String) -> Int? {
        lines().firstIndex { $0.contains(needle) }
    }
}
