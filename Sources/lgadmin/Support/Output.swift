import Foundation
import PrivacyOps

/// Printing for the command line: aligned, sanitised text, or JSON.
enum Output {
    static func line(_ s: String = "") {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }

    static func error(_ message: String) {
        let one = TerminalText.sanitize(message)
        FileHandle.standardError.write(Data(("lgadmin: " + one + "\n").utf8))
    }

    /// A column of a text table.
    struct Column {
        var title: String
        var maxWidth: Int = 40
        var alignRight = false
    }

    /// Prints rows aligned by display width; every cell is sanitised.
    static func table(_ columns: [Column], _ rows: [[String]]) {
        table(columns, cells: StringCells(rows: rows))
    }

    /// Prints rows aligned by display width; every cell is sanitised.
    ///
    /// Written as bytes, a batch of lines at a time (not one write per line), with a fast path
    /// for cells that need nothing from ``TerminalText`` (printable ASCII, one column a byte; or
    /// text with nothing to sanitise in scripts whose widths need no grapheme rules); other
    /// cells go through ``TerminalText``. Widths and lines of large tables are worked out on all
    /// cores. Cells beyond the columns are ignored; a row with fewer cells prints fewer.
    static func table<Cells: TableCells>(_ columns: [Column], cells: Cells) {
        let n = columns.count
        let rows = cells.rowCount
        var firstCell: [Int] = [0]  // index of each row's first cell
        firstCell.reserveCapacity(rows + 1)
        for r in 0..<rows { firstCell.append(firstCell[r] + min(n, cells.cellCount(row: r))) }
        let first = firstCell
        let chunk = 8192
        let chunks = (rows + chunk - 1) / chunk
        func forEachChunk(_ body: @escaping @Sendable (Int) -> Void) {
            if chunks > 1 { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) } else if chunks == 1 { body(0) }
        }

        // Pass 1: each cell's width and kind, and each column's widest cell.
        let measured = Measured(cells: first[rows], chunks: chunks, columns: n)
        let maxWidths = columns.map(\.maxWidth)
        measured.cellWidths.withUnsafeMutableBufferPointer { widthsOut in
            measured.kinds.withUnsafeMutableBufferPointer { kindsOut in
                let wp = Int(bitPattern: widthsOut.baseAddress), kp = Int(bitPattern: kindsOut.baseAddress)
                forEachChunk { k in
                    let widthsOut = UnsafeMutablePointer<Int>(bitPattern: wp), kindsOut = UnsafeMutablePointer<CellKind>(bitPattern: kp)
                    var widest = Array(repeating: 0, count: n)
                    for r in (k * chunk)..<min(rows, (k + 1) * chunk) {
                        for c in 0..<(first[r + 1] - first[r]) {
                            let (w, kind) = cells.withCell(row: r, column: c) { Self.measure($0) }
                            widthsOut?[first[r] + c] = w
                            kindsOut?[first[r] + c] = kind
                            widest[c] = max(widest[c], min(maxWidths[c], w))
                        }
                    }
                    measured.widest.withUnsafeMutableBufferPointer { $0[k] = widest }
                }
            }
        }
        var widths = columns.map { TerminalText.width($0.title) }
        for w in measured.widest { for c in 0..<n { widths[c] = max(widths[c], w[c]) } }

        // Pass 2: the lines, a batch at a time; each chunk of a batch rendered by its own thread.
        var header: [UInt8] = []
        for (c, col) in columns.enumerated() {
            var t = col.title
            let titleWidth = TerminalText.width(t)
            t.withUTF8 { b in
                let raw = UnsafeRawBufferPointer(b)
                Self.put(c, raw, width: titleWidth, kind: TerminalText.isPrintableASCII(raw) ? .ascii : .titled,
                         columns: columns, widths: widths, into: &header)
            }
        }
        header.append(0x0A)
        FileHandle.standardOutput.write(Data(header))
        let finalWidths = widths
        let perBatch = 8
        var batch = 0
        while batch * perBatch < chunks {
            let lo = batch * perBatch, hi = min(chunks, lo + perBatch)
            let lines = Lines(hi - lo)
            let render: @Sendable (Int) -> Void = { j in
                let k = lo + j
                var out: [UInt8] = []
                out.reserveCapacity(chunk * 96)
                for r in (k * chunk)..<min(rows, (k + 1) * chunk) {
                    for c in 0..<(first[r + 1] - first[r]) {
                        let i = first[r] + c
                        cells.withCell(row: r, column: c) { b in
                            Self.put(c, b, width: measured.cellWidths[i], kind: measured.kinds[i], columns: columns, widths: finalWidths, into: &out)
                        }
                    }
                    out.append(0x0A)
                }
                lines.parts.withUnsafeMutableBufferPointer { $0[j] = out }
            }
            if hi - lo > 1 { DispatchQueue.concurrentPerform(iterations: hi - lo, execute: render) } else { render(0) }
            for part in lines.parts { FileHandle.standardOutput.write(Data(part)) }
            batch += 1
        }
    }

    /// How a cell is printed: its bytes as they are (``ascii``, a byte a column; ``plain``,
    /// nothing to sanitise and widths without grapheme rules, cut through TerminalText), or
    /// through TerminalText after sanitising (``general``) or as it is (``titled``, titles).
    enum CellKind: UInt8 { case ascii, plain, general, titled }

    /// A cell's width and kind.
    static func measure(_ b: UnsafeRawBufferPointer) -> (Int, CellKind) {
        if TerminalText.isPrintableASCII(b) { return (b.count, .ascii) }
        if let w = TerminalText.plainWidth(b) { return (w, .plain) }
        return (TerminalText.width(TerminalText.sanitize(String(decoding: b, as: UTF8.self))), .general)
    }

    /// Appends one cell (and the two spaces before it, unless first): padded to its column's
    /// width, or cut to it with `…`; the last column, left-aligned, is cut but not padded.
    static func put(_ c: Int, _ b: UnsafeRawBufferPointer, width cw: Int, kind: CellKind, columns: [Column], widths: [Int],
                    into out: inout [UInt8]) {
        if c > 0 { out.append(contentsOf: [0x20, 0x20] as [UInt8]) }
        let right = columns[c].alignRight
        let cutOnly = c == columns.count - 1 && !right
        let w = cutOnly ? max(widths[c], columns[c].maxWidth) : widths[c]
        // Bytes printed as they are unless TerminalText must sanitise them, or cut plain text.
        guard kind == .ascii || (kind == .plain && cw <= w) else {
            let raw = String(decoding: b, as: UTF8.self)
            let s = kind == .general ? TerminalText.sanitize(raw) : raw
            let text = cutOnly ? TerminalText.truncate(s, toWidth: w) : TerminalText.pad(s, toWidth: w, alignRight: right)
            out.append(contentsOf: text.utf8)
            return
        }
        guard w > 0 else { return }
        if cw > w {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[0..<(w - 1)]))
            out.append(contentsOf: [0xE2, 0x80, 0xA6] as [UInt8])  // …
        } else {
            let fill = cutOnly ? 0 : w - cw
            if right { out.append(contentsOf: repeatElement(0x20, count: fill)) }
            out.append(contentsOf: b)
            if !right { out.append(contentsOf: repeatElement(0x20, count: fill)) }
        }
    }

    /// Prints `label: value` lines with the labels aligned.
    static func fields(_ pairs: [(String, String)]) {
        let w = pairs.map { TerminalText.width($0.0) }.max() ?? 0
        for (k, v) in pairs {
            line(TerminalText.pad(k + ":", toWidth: w + 1) + " " + TerminalText.sanitize(v))
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// JSON text with the characters a terminal would act on written as `\uXXXX` escapes: the
    /// encoder escapes C0 controls (ESC becomes `\u001b`) but passes C1 controls (U+009B is a
    /// CSI to many terminals), DEL, bidirectional overrides and line separators through. They can
    /// only occur inside strings, where the escape is the same value to any JSON reader.
    static func terminalSafeJSON(_ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        func risky(_ v: UInt32) -> Bool {
            (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x2028 || v == 0x2029
        }
        guard text.unicodeScalars.contains(where: { risky($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if risky(u.value) {
                out.append(contentsOf: String(format: "\\u%04x", u.value).unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// Prints a value as JSON, with every key of `required` present (null when absent).
    static func json<T: Encodable>(_ value: T, required: [String] = []) {
        guard let data = try? encoder.encode(value) else { return }
        if required.isEmpty {
            line(terminalSafeJSON(data))
            return
        }
        // Fast path: the same tree through JSONEncoder, which writes what JSONSerialization
        // writes with these options (keys sorted, nulls, escapes, empty containers) many times
        // faster. Only for whole numbers: a fraction goes the JSONSerialization way.
        if let tree = try? JSONDecoder().decode(JSONValue.self, from: data) {
            func fill(_ v: JSONValue) -> JSONValue {
                switch v {
                case .object(var d):
                    for k in required where d[k] == nil { d[k] = .null }
                    return .object(d)
                case .array(let a): return .array(a.map(fill))
                default: return v
                }
            }
            if let out = try? encoder.encode(fill(tree)) {
                line(terminalSafeJSON(out))
                return
            }
        }
        let object = try? JSONSerialization.jsonObject(with: data)
        func fill(_ o: Any) -> Any {
            if var d = o as? [String: Any] {
                for k in required where d[k] == nil { d[k] = NSNull() }
                return d
            }
            if let a = o as? [Any] { return a.map(fill) }
            return o
        }
        guard let object, let out = try? JSONSerialization.data(withJSONObject: fill(object), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            line(terminalSafeJSON(data))
            return
        }
        line(terminalSafeJSON(out))
    }

    enum Keys {
        static let customer = ["id", "version", "name", "email", "phone", "address", "status", "services", "created_at", "updated_at"]
        static let optout = ["id", "version", "contact", "channel", "scopes", "state", "source", "received_at", "due_at", "matches", "decided_by", "decided_at", "note"]
        static let communication = ["id", "version", "customer_id", "from", "to", "subject", "date", "size", "sha256", "state"]
        static let report = ["id", "version", "communication_id", "customer_id", "trigger", "reason", "reporter", "state", "ground", "clause", "decided_by", "decided_at", "filed_by", "confirmation", "confirmed_by", "confirmed_at"]
        static let audit = ["id", "version", "seq", "at", "actor", "real_actor", "role", "action", "target", "case", "detail", "changes", "prev_hash", "hash"]
    }
}

/// Cells of a text table as UTF-8 bytes, row by row.
protocol TableCells: Sendable {
    var rowCount: Int { get }
    func cellCount(row: Int) -> Int
    func withCell<R>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

/// Rows of strings as table cells.
struct StringCells: TableCells {
    let rows: [[String]]
    var rowCount: Int { rows.count }
    func cellCount(row: Int) -> Int { rows[row].count }
    func withCell<R>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var s = rows[row][column]
        return try s.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
    }
}

extension CustomerCells: TableCells {
    func cellCount(row: Int) -> Int { CustomerCells.columnCount }
}

/// A JSON value read back from the encoder's output, to add keys and write it again. Numbers
/// are whole numbers only (decoding anything else fails, and the caller takes another way).
enum JSONValue: Codable {
    case null, bool(Bool), int(Int64), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int64.self) { self = .int(i); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        self = .object(try c.decode([String: JSONValue].self))
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// What the first pass of `Output.table` finds; each thread writes its own cells and chunk.
private final class Measured: @unchecked Sendable {
    var cellWidths: [Int]
    var kinds: [Output.CellKind]
    var widest: [[Int]]
    init(cells: Int, chunks: Int, columns: Int) {
        cellWidths = Array(repeating: 0, count: cells)
        kinds = Array(repeating: .ascii, count: cells)
        widest = Array(repeating: Array(repeating: 0, count: columns), count: chunks)
    }
}

/// The rendered chunks of one batch of lines, one per thread.
private final class Lines: @unchecked Sendable {
    var parts: [[UInt8]]
    init(_ n: Int) { parts = Array(repeating: [], count: n) }
}
