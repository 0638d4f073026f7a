/// One cell of a ``ScreenBuffer``: a character, its style, and whether it is the right half
/// of a wide character to its left.
struct Cell: Equatable, Sendable {
    var character: Character
    var style: Style
    /// True for the second column of a wide (two-column) character; `character` is then a space.
    var isContinuation: Bool

    static let blank = Cell(character: " ", style: .normal, isContinuation: false)
}

/// The grid both terminals draw into: clipping by display width, keeping wide characters
/// whole, and the diff that lets a flush send only what changed.
struct ScreenBuffer: Equatable, Sendable {
    private(set) var rows: Int
    private(set) var cols: Int
    private(set) var cells: [Cell]

    init(rows: Int, cols: Int) {
        self.rows = max(0, rows)
        self.cols = max(0, cols)
        self.cells = Array(repeating: .blank, count: self.rows * self.cols)
    }

    subscript(row: Int, col: Int) -> Cell {
        cells[row * cols + col]
    }

    func contains(row: Int, col: Int) -> Bool {
        row >= 0 && row < rows && col >= 0 && col < cols
    }

    /// Writes `text` from `row`, `col`, clipped by display width at both edges.
    mutating func put(_ text: String, row: Int, col: Int, style: Style) {
        guard row >= 0, row < rows, col < cols else { return }
        var x = col
        for original in text {
            if x >= cols { break }
            let character = DisplayWidth.isControl(original) ? "\u{FFFD}" : original
            let width = DisplayWidth.of(character)
            if width == 0 { continue }  // a stray combining mark or format character
            if x < 0 {
                // Left of the edge: a wide character cut in half leaves blanks.
                for k in 0..<width where x + k >= 0 && x + k < cols {
                    setLead(row: row, col: x + k, Cell(character: " ", style: style, isContinuation: false))
                }
                x += width
                continue
            }
            if x + width > cols {
                // Straddles the right edge: never write past it.
                for k in x..<cols {
                    setLead(row: row, col: k, Cell(character: " ", style: style, isContinuation: false))
                }
                x = cols
                break
            }
            setLead(row: row, col: x, Cell(character: character, style: style, isContinuation: false))
            for k in 1..<width {
                setContinuation(row: row, col: x + k, style: style)
            }
            x += width
        }
    }

    /// Fills `width` columns with spaces in `style`.
    mutating func fill(row: Int, col: Int, width: Int, style: Style) {
        guard row >= 0, row < rows else { return }
        let start = max(0, col), end = min(cols, col + width)
        guard start < end else { return }
        for x in start..<end {
            setLead(row: row, col: x, Cell(character: " ", style: style, isContinuation: false))
        }
    }

    mutating func clearAll() {
        for i in cells.indices { cells[i] = .blank }
    }

    /// Places a character cell, first blanking what remains of any wide character it cuts.
    private mutating func setLead(row: Int, col: Int, _ cell: Cell) {
        let base = row * cols
        if cells[base + col].isContinuation {
            // Overwriting the right half: blank the left half.
            var lead = col - 1
            while lead > 0 && cells[base + lead].isContinuation { lead -= 1 }
            if lead >= 0 { cells[base + lead].character = " " }
        }
        blankContinuations(base: base, after: col)
        cells[base + col] = cell
    }

    private mutating func setContinuation(row: Int, col: Int, style: Style) {
        let base = row * cols
        blankContinuations(base: base, after: col)
        cells[base + col] = Cell(character: " ", style: style, isContinuation: true)
    }

    /// Turns the continuation cells right of `col` (the remains of a wide character that
    /// started at `col`) into spaces.
    private mutating func blankContinuations(base: Int, after col: Int) {
        var x = col + 1
        while x < cols && cells[base + x].isContinuation {
            cells[base + x].isContinuation = false
            cells[base + x].character = " "
            x += 1
        }
    }

    /// The positions of character cells (not continuations) that differ from `front`, row by
    /// row, left to right. Everything when `front` is nil or of another size.
    func changedCells(since front: ScreenBuffer?) -> [(row: Int, col: Int)] {
        var changed: [(row: Int, col: Int)] = []
        let comparable = front.map { $0.rows == rows && $0.cols == cols } ?? false
        for row in 0..<rows {
            for col in 0..<cols {
                let i = row * cols + col
                if cells[i].isContinuation { continue }
                // A wide character's continuation always matches its lead, so comparing the
                // lead cell is enough.
                if comparable, let front, front.cells[i] == cells[i] { continue }
                changed.append((row, col))
            }
        }
        return changed
    }

    /// The text of one row: character cells joined, continuation cells skipped.
    func line(_ row: Int) -> String {
        var s = ""
        for col in 0..<cols where !self[row, col].isContinuation {
            s.append(self[row, col].character)
        }
        return s
    }
}
