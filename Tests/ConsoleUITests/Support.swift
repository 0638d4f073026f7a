import Testing

@testable import ConsoleUI

/// A terminal size to render at.
struct TermSize: Sendable, CustomTestStringConvertible {
    let rows: Int
    let cols: Int
    var testDescription: String { "\(cols)×\(rows)" }

    static let standard = TermSize(rows: 24, cols: 80)
    static let large = TermSize(rows: 50, cols: 200)
    static let both = [standard, large]

    func terminal() -> MemoryTerminal { MemoryTerminal(rows: rows, cols: cols) }
    var layout: ConsoleLayout { ConsoleLayout(rows: rows, cols: cols) }
}

/// A table data source of generated rows that counts how often rows are asked for.
final class CountingSource: TableDataSource {
    let count: Int
    private(set) var cellCalls = 0
    private(set) var askedIndices: Set<Int> = []
    var overdue: (Int) -> Bool = { _ in false }

    init(count: Int) { self.count = count }

    func cells(at index: Int) -> [String] {
        cellCalls += 1
        askedIndices.insert(index)
        return ["\(index + 1)", "Customer \(index + 1)", "c\(index + 1)@example.com"]
    }

    func rowStyle(at index: Int) -> Style? { overdue(index) ? .overdue : nil }
    func rowKey(at index: Int) -> String { "id-\(index)" }

    func resetCounts() {
        cellCalls = 0
        askedIndices = []
    }
}

/// A table data source over fixed rows.
struct ArraySource: TableDataSource {
    var rows: [[String]]
    var count: Int { rows.count }
    func cells(at index: Int) -> [String] { rows[index] }
}

extension MemoryTerminal {
    /// The whole screen's text for failure messages.
    var dump: String {
        lines().enumerated().map { ($0.offset < 10 ? " " : "") + "\($0.offset)|" + $0.element }.joined(separator: "\n")
    }

    /// The display column where `needle` starts in `row`, if it is there.
    func column(of needle: String, inRow row: Int) -> Int? {
        let line = lines()[row]
        let target = Array(needle)
        let characters = Array(line)
        guard target.count <= characters.count else { return nil }
        for start in 0...(characters.count - target.count) where Array(characters[start..<(start + target.count)]) == target {
            return TextFitting.width(String(characters[..<start]))
        }
        return nil
    }
}
