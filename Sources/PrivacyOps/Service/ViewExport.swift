import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The lists a front end may export as they are shown (`:export csv PATH` in the console).
public enum ExportKind: String, Sendable, CaseIterable {
    case customers, optouts, reports, disclosures, audit

    /// The listing the role needs to export these records: an export shows no more than the
    /// list would.
    var listAction: Action {
        switch self {
        case .customers: return .customersList
        case .optouts: return .optoutsList
        case .reports: return .reportsList
        case .disclosures: return .disclosuresList
        case .audit: return .auditList
        }
    }

    /// The columns, in order, of the fields these records may carry (any other field follows,
    /// by name).
    var preferredColumns: [String] {
        switch self {
        case .customers:
            return ["id", "version", "name", "email", "alternate_emails", "phone", "address", "status", "services", "created_at", "updated_at"]
        case .optouts:
            return ["id", "version", "state", "contact", "channel", "normalized", "scopes", "source", "received_at", "due_at", "matches",
                    "decided_by", "decided_at", "note", "name", "message", "spool_file"]
        case .reports:
            return ["id", "version", "state", "communication_id", "customer_id", "trigger", "reason", "reporter", "ground", "clause",
                    "filed_by", "filed_at", "decided_by", "decided_at", "confirmed_by", "confirmed_at", "confirmation", "history"]
        case .disclosures:
            return ["id", "version", "kind", "ground", "state", "requester", "requester_type", "request_type", "reference",
                    "received_at", "due_at", "customer_ids", "communication_ids", "data_categories"]
        case .audit:
            return ["seq", "at", "actor", "real_actor", "role", "action", "target", "case", "detail", "prev_hash", "hash", "id", "version"]
        }
    }
}

/// The formats an export is written in.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// RFC 4180, a header row, cells that a spreadsheet would run as a formula prefixed with `'`.
    case csv
    /// One JSON array of objects, keys in snake_case as the command line prints them.
    case json
}

/// What an export wrote.
public struct ExportResult: Sendable, Equatable {
    public var kind: ExportKind
    public var format: ExportFormat
    public var path: String
    public var rows: Int
    public var bytes: Int
    /// SHA-256 of the bytes written, lower-case hex (as the audit event records it).
    public var sha256: String
    /// Cells in which a card number was masked (the store should hold none; `store scan` finds
    /// how one got in).
    public var maskedCells: Int
}

/// An export made but not yet written (``PrivacyOps/prepareExport(_:ids:format:)``): only the
/// service makes one, so the bytes written are always the service's own.
public struct PreparedExport: Sendable {
    public let kind: ExportKind
    public let format: ExportFormat
    public let rows: Int
    public let sha256: String
    public let maskedCells: Int
    let bytes: [UInt8]

    /// How many bytes will be written.
    public var byteCount: Int { bytes.count }
}

/// One value of an exported record.
enum ExportValue {
    case text(String)
    case texts([String])
    /// A number, as JSON writes it.
    case number(String)
    /// Nested JSON (an object, or a list of objects), as compact JSON text.
    case json(String)
    case null
}

extension PrivacyOps {
    /// Writes the records `ids` of `kind`, in that order (the view as a front end shows it,
    /// filtered and sorted), to a new file at `path` in `format`, and records it in the audit
    /// trail with the row count and the SHA-256 of the bytes written.
    ///
    /// Rules: the role must be allowed to list `kind` (an export shows no more than the list);
    /// every text value goes through the card-number guard and is written masked if it holds
    /// one; CSV cells starting with `=`, `+`, `-`, `@`, a tab or a carriage return are prefixed
    /// with `'` so a spreadsheet shows them as text instead of running them; the file is created
    /// new (`O_EXCL | O_NOFOLLOW`, mode 0600: an existing file or a link is refused, exit 75),
    /// under sudo with the invoking user's rights. The audit event is committed before the bytes
    /// are written, so no export leaves unrecorded; if the write then fails the file is removed.
    /// - Throws: ``OpsError``: `denied` (77), `conflict` (75) for an existing file, `notFound`
    ///   (66) for a record no longer there or a missing folder, `invalid` (65) for a path
    ///   holding a card number.
    @discardableResult
    public func exportView(_ kind: ExportKind, ids: [String], format: ExportFormat, to path: String) throws -> ExportResult {
        try writeExport(prepareExport(kind, ids: ids, format: format), to: path)
    }

    /// The first half of ``exportView(_:ids:format:to:)``, a read that front ends may run off
    /// their main thread for a large list: checks the role, reads the records and makes the
    /// bytes (card numbers masked, formulas guarded). Nothing is written or recorded until
    /// ``writeExport(_:to:)``.
    public func prepareExport(_ kind: ExportKind, ids: [String], format: ExportFormat) throws -> PreparedExport {
        try authorize(.viewExport)
        try authorize(kind.listAction)
        let table = try exportTable(kind, ids: ids)
        var masked = 0
        let bytes = format == .csv ? Self.csv(table, masked: &masked) : Self.json(table, masked: &masked)
        let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        return PreparedExport(kind: kind, format: format, rows: table.rows.count, sha256: sha, maskedCells: masked, bytes: bytes)
    }

    /// The second half of ``exportView(_:ids:format:to:)``: checks the role again (it may have
    /// changed meanwhile), creates the new file, records the export in the audit trail, then
    /// writes the bytes.
    @discardableResult
    public func writeExport(_ export: PreparedExport, to path: String) throws -> ExportResult {
        try authorize(.viewExport)
        try authorize(export.kind.listAction)
        try Validate.noCardNumber("the export path", path)
        let file = try NewFile.create(path, what: "the export", user: actor.invokingUser, io: io)
        let shownPath = TerminalText.sanitize(path)
        do {
            try change(.viewExport, target: export.kind.rawValue) { _ in
                var detail = "format: \(export.format.rawValue); rows: \(export.rows); bytes: \(export.bytes.count); sha256: \(export.sha256); file: \(shownPath)"
                if export.maskedCells > 0 { detail += "; card numbers masked in \(export.maskedCells) cell(s)" }
                return (detail, ())
            }
        } catch {
            file.discard()
            throw error
        }
        do {
            try file.write(export.bytes)
        } catch {
            file.discard()
            throw OpsError.failure("\(OpsError.from(error).message); the export is recorded in the audit trail but no file was left: export again")
        }
        file.close()
        return ExportResult(kind: export.kind, format: export.format, path: path, rows: export.rows, bytes: export.bytes.count,
                            sha256: export.sha256, maskedCells: export.maskedCells)
    }

    /// Why an export to `path` would be refused now, in one line (a card number in it,
    /// something already there), for front ends to say before a long export; nil when none.
    /// ``writeExport(_:to:)`` decides again when it creates the file.
    public func exportPathProblem(_ path: String) -> String? {
        do { try Validate.noCardNumber("the export path", path) } catch { return OpsError.from(error).message }
        let shown = TerminalText.sanitize(path)
        let exists = { () -> Bool in
            var st = stat()
            return lstat(path, &st) == 0
        }
        let taken = (try? actor.invokingUser.map { try $0.withRights(exists) } ?? exists()) ?? false
        return taken ? "\(shown) already exists: the export is never written over an existing file; choose a new name" : nil
    }

    /// The columns and the rows of an export, each row's values by column.
    struct ExportTable {
        var columns: [String]
        var rows: [[String: ExportValue]]
    }

    func exportTable(_ kind: ExportKind, ids: [String]) throws -> ExportTable {
        let v = view()
        var rows: [[String: ExportValue]] = []
        rows.reserveCapacity(ids.count)
        func missing(_ id: String) -> OpsError {
            OpsError.notFound("\(TerminalText.sanitize(id)) is no longer in the store: refresh the list (R) and export again")
        }
        switch kind {
        case .customers:
            for id in ids {
                guard let c = try v.get(Collections.customers, id: id) else { throw missing(id) }
                var row: [String: ExportValue] = [
                    "id": .text(c.id), "version": .number(String(c.version)), "name": .text(c.name), "email": .text(c.email),
                    "alternate_emails": .texts(c.alternateEmails), "status": .text(c.status.rawValue), "services": .texts(c.services),
                    "created_at": .text(c.createdAt), "updated_at": .text(c.updatedAt),
                ]
                row["phone"] = c.phone.map(ExportValue.text) ?? .null
                row["address"] = c.address.map(ExportValue.text) ?? .null
                rows.append(row)
            }
            return ExportTable(columns: kind.preferredColumns, rows: rows)
        case .optouts: try Self.collect(Collections.optouts, ids, in: v, into: &rows, missing: missing)
        case .reports: try Self.collect(Collections.reports, ids, in: v, into: &rows, missing: missing)
        case .disclosures: try Self.collect(Collections.disclosures, ids, in: v, into: &rows, missing: missing)
        case .audit: try Self.collect(Collections.audit, ids, in: v, into: &rows, missing: missing)
        }
        // Every field any row has, the usual ones first.
        var present = Set<String>()
        for row in rows { present.formUnion(row.keys) }
        let known = kind.preferredColumns.filter(present.contains)
        let rest = present.subtracting(known).sorted()
        return ExportTable(columns: known + rest, rows: rows)
    }

    /// The records `ids` of `kind` as their JSON form (the fields `show --json` prints).
    private static func collect<R: StoreRecord>(_ kind: RecordKind<R>, _ ids: [String], in v: any StoreSnapshot,
                                                into rows: inout [[String: ExportValue]], missing: (String) -> OpsError) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for id in ids {
            guard let record = try v.get(kind, id: id) else { throw missing(id) }
            let data = try encoder.encode(record)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            var row: [String: ExportValue] = [:]
            for (key, value) in object { row[key] = exportValue(value, encoder: encoder) }
            rows.append(row)
        }
    }

    private static func exportValue(_ value: Any, encoder: JSONEncoder) -> ExportValue {
        switch value {
        case let s as String: return .text(s)
        case is NSNull: return .null
        case let list as [Any] where list.allSatisfy({ $0 is String }): return .texts(list.compactMap { $0 as? String })
        default:
            let options: JSONSerialization.WritingOptions = [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]
            let text = (try? JSONSerialization.data(withJSONObject: value, options: options)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return value is NSNumber ? .number(text) : .json(text)
        }
    }

    // MARK: Writing

    /// `text` with any card number masked; counts it in `masked`.
    private static func guarded(_ text: String, masked: inout Int) -> String {
        let safe = CardNumberGuard.masked(text)
        if safe != text { masked += 1 }
        return safe
    }

    /// Whether a spreadsheet would read a cell starting like `text` as a formula.
    static func looksLikeFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        return ["=", "+", "-", "@", "\t", "\r"].contains(first)
    }

    static func csv(_ table: ExportTable, masked: inout Int) -> [UInt8] {
        var out: [UInt8] = []
        RFC4180.record(table.columns, into: &out)
        var cells: [String] = []
        for row in table.rows {
            cells.removeAll(keepingCapacity: true)
            for column in table.columns {
                var cell: String
                switch row[column] ?? .null {
                case .text(let s): cell = guarded(s, masked: &masked)
                case .texts(let list): cell = guarded(list.joined(separator: "; "), masked: &masked)
                case .number(let n): cell = n
                case .json(let j): cell = guarded(j, masked: &masked)
                case .null: cell = ""
                }
                if looksLikeFormula(cell) { cell = "'" + cell }
                cells.append(cell)
            }
            RFC4180.record(cells, into: &out)
        }
        return out
    }

    static func json(_ table: ExportTable, masked: inout Int) -> [UInt8] {
        var out: [UInt8] = Array("[".utf8)
        for (i, row) in table.rows.enumerated() {
            out.append(contentsOf: (i == 0 ? "\n" : ",\n").utf8)
            out.append(UInt8(ascii: "{"))
            var first = true
            for column in table.columns {
                guard let value = row[column] else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                jsonString(column, into: &out)
                out.append(UInt8(ascii: ":"))
                switch value {
                case .text(let s): jsonString(guarded(s, masked: &masked), into: &out)
                case .texts(let list):
                    out.append(UInt8(ascii: "["))
                    for (k, s) in list.enumerated() {
                        if k > 0 { out.append(UInt8(ascii: ",")) }
                        jsonString(guarded(s, masked: &masked), into: &out)
                    }
                    out.append(UInt8(ascii: "]"))
                case .number(let n): out.append(contentsOf: n.utf8)
                case .json(let j):
                    let safe = CardNumberGuard.masked(bytes: Array(j.utf8), json: true)
                    if safe != Array(j.utf8) { masked += 1 }
                    out.append(contentsOf: safe)
                case .null: out.append(contentsOf: "null".utf8)
                }
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: (table.rows.isEmpty ? "]\n" : "\n]\n").utf8)
        return out
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func jsonString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0..<0x20, 0x7F:
                out.append(contentsOf: String(format: "\\u%04x", b).utf8)
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
