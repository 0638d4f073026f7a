internal import CLibPQ
import Foundation

/// What the PostgreSQL server (or libpq) reported: the SQLSTATE when the server sent one, and
/// whether the connection is gone.
struct PGError: Error, Sendable, CustomStringConvertible {
    var sqlstate: String?
    var message: String
    var connectionLost: Bool
    /// The server's DETAIL field, if any.
    var detail: String? = nil

    var description: String { sqlstate.map { "\(message) (SQLSTATE \($0))" } ?? message }

    /// 40001 serialization failure, 40P01 deadlock: the transaction may simply be run again.
    var isRetryable: Bool { sqlstate == "40001" || sqlstate == "40P01" }
}

/// One query's rows, as libpq holds them; values in text format.
final class PGResult {
    fileprivate let raw: OpaquePointer

    fileprivate init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { PQclear(raw) }

    var rowCount: Int { Int(PQntuples(raw)) }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(raw, Int32(row), Int32(column)) == 1 }

    /// A value's bytes, valid while this result lives; nil for SQL NULL.
    func bytes(_ row: Int, _ column: Int) -> UnsafeRawBufferPointer? {
        if isNull(row, column) { return nil }
        guard let p = PQgetvalue(raw, Int32(row), Int32(column)) else { return nil }
        return UnsafeRawBufferPointer(start: p, count: Int(PQgetlength(raw, Int32(row), Int32(column))))
    }

    func string(_ row: Int, _ column: Int) -> String? {
        bytes(row, column).map { String(decoding: $0, as: UTF8.self) }
    }

    func int(_ row: Int, _ column: Int) -> Int64? {
        string(row, column).flatMap { Int64($0) }
    }
}

/// A parameter of a query, sent in text format.
enum PGValue {
    case text(String)
    case bytes([UInt8])
    case int(Int64)
    case null
    /// A `text[]`: each element quoted, `"` and `\` escaped; nil elements are NULL.
    case textArray([[UInt8]?])
    /// A `bigint[]`.
    case intArray([Int64])

    fileprivate var utf8: [UInt8]? {
        switch self {
        case .text(let s): return Array(s.utf8)
        case .bytes(let b): return b
        case .int(let i): return Array(String(i).utf8)
        case .null: return nil
        case .intArray(let xs): return Array(("{" + xs.map(String.init).joined(separator: ",") + "}").utf8)
        case .textArray(let xs):
            var out: [UInt8] = [UInt8(ascii: "{")]
            for (k, x) in xs.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                guard let x else { out.append(contentsOf: Array("NULL".utf8)); continue }
                out.append(UInt8(ascii: "\""))
                for b in x {
                    if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                    out.append(b)
                }
                out.append(UInt8(ascii: "\""))
            }
            out.append(UInt8(ascii: "}"))
            return out
        }
    }
}

/// One connection to a PostgreSQL server through libpq. Not safe to use from two threads at
/// once: its owner serialises every call.
final class PGConnection {
    private var raw: OpaquePointer?
    /// The server, for messages (never the password).
    let server: String

    /// Connects with a libpq connection string or URI.
    init(conninfo: String, server: String) throws {
        self.server = server
        let c = PQconnectdb(conninfo)
        guard let c else { throw PGError(sqlstate: nil, message: "out of memory connecting to \(server)", connectionLost: true) }
        guard PQstatus(c) == CONNECTION_OK else {
            let why = Self.message(PQerrorMessage(c))
            PQfinish(c)
            throw PGError(sqlstate: Self.connectSQLState(why), message: why, connectionLost: true)
        }
        raw = c
        // Notices (e.g. "relation already exists, skipping") are not for the terminal.
        PQsetNoticeProcessor(c, { _, _ in }, nil)
    }

    deinit {
        if let raw { PQfinish(raw) }
    }

    var isConnected: Bool { raw.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// The server's version, e.g. "15.18".
    var serverVersion: String {
        guard let raw else { return "?" }
        let v = Int(PQserverVersion(raw))
        return "\(v / 10000).\(v % 10000)"
    }

    /// Tries to connect again after the connection broke.
    func reset() -> Bool {
        guard let raw else { return false }
        PQreset(raw)
        return PQstatus(raw) == CONNECTION_OK
    }

    /// Runs one statement with parameters `$1…`, returning its rows (none for a command).
    @discardableResult
    func query(_ sql: String, _ params: [PGValue] = []) throws -> PGResult {
        guard let raw else { throw PGError(sqlstate: nil, message: "not connected to \(server)", connectionLost: true) }
        let values = params.map { $0.utf8.map { $0 + [0] } }
        let result: OpaquePointer? = withCStrings(values) { ptrs in
            PQexecParams(raw, sql, Int32(params.count), nil, ptrs, nil, nil, 0)
        }
        return try check(result)
    }

    /// Runs statements without parameters (several may be separated by semicolons), returning
    /// the last one's rows: one round trip.
    @discardableResult
    func simpleQuery(_ sql: String) throws -> PGResult {
        guard let raw else { throw PGError(sqlstate: nil, message: "not connected to \(server)", connectionLost: true) }
        return try check(PQexec(raw, sql))
    }

    /// Runs statements without parameters (several may be separated by semicolons).
    func execute(_ sql: String) throws {
        guard let raw else { throw PGError(sqlstate: nil, message: "not connected to \(server)", connectionLost: true) }
        _ = try check(PQexec(raw, sql))
    }

    /// Streams the rows of a query one at a time (libpq's single-row mode), without holding the
    /// whole result in memory; `body` returns false to stop early.
    func forEachRow(_ sql: String, _ params: [PGValue], _ body: (PGResult) throws -> Bool) throws {
        guard let raw else { throw PGError(sqlstate: nil, message: "not connected to \(server)", connectionLost: true) }
        let values = params.map { $0.utf8.map { $0 + [0] } }
        let sent = withCStrings(values) { ptrs in PQsendQueryParams(raw, sql, Int32(params.count), nil, ptrs, nil, nil, 0) }
        guard sent == 1 else { throw lastError() }
        PQsetSingleRowMode(raw)
        var failure: (any Error)?
        var stopped = false
        while let r = PQgetResult(raw) {
            let status = PQresultStatus(r)
            if status == PGRES_SINGLE_TUPLE, !stopped, failure == nil {
                let result = PGResult(r)
                do {
                    if try !body(result) {
                        stopped = true
                        // Ask the server to stop sending; the remaining results are drained below.
                        if let cancel = PQgetCancel(raw) {
                            var buf = [CChar](repeating: 0, count: 256)
                            _ = PQcancel(cancel, &buf, 256)
                            PQfreeCancel(cancel)
                        }
                    }
                } catch {
                    failure = error
                }
            } else if status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE {
                PQclear(r)
            } else {
                let e = resultError(r)
                PQclear(r)
                // A cancel we asked for is not a failure.
                if !(stopped && e.sqlstate == "57014") { failure = failure ?? e }
            }
        }
        if let failure { throw failure }
    }

    /// Sends `rows` through `COPY … FROM STDIN` (text format); each row's values are escaped here.
    func copyIn(_ sql: String, rows: (_ emit: (_ row: [PGValue]) throws -> Void) throws -> Void) throws {
        guard let raw else { throw PGError(sqlstate: nil, message: "not connected to \(server)", connectionLost: true) }
        let start = PQexec(raw, sql)
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try check(start)
            throw PGError(sqlstate: nil, message: "the server did not start the copy", connectionLost: false)
        }
        PQclear(start)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        func flush() throws {
            guard !buffer.isEmpty else { return }
            let ok = buffer.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) { PQputCopyData(raw, $0.baseAddress, Int32($0.count)) }
            }
            guard ok == 1 else { throw lastError() }
            buffer.removeAll(keepingCapacity: true)
        }
        do {
            try rows { values in
                for (k, v) in values.enumerated() {
                    if k > 0 { buffer.append(0x09) }
                    guard let bytes = v.utf8 else { buffer.append(contentsOf: [0x5C, UInt8(ascii: "N")]); continue }
                    for b in bytes {
                        switch b {
                        case 0x5C: buffer.append(contentsOf: [0x5C, 0x5C])
                        case 0x0A: buffer.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                        case 0x0D: buffer.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                        case 0x09: buffer.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                        default: buffer.append(b)
                        }
                    }
                }
                buffer.append(0x0A)
                if buffer.count >= 1 << 20 { try flush() }
            }
            try flush()
        } catch {
            _ = PQputCopyEnd(raw, "aborted by lgadmin")
            while let r = PQgetResult(raw) { PQclear(r) }
            throw error
        }
        guard PQputCopyEnd(raw, nil) == 1 else { throw lastError() }
        var failure: PGError?
        while let r = PQgetResult(raw) {
            if PQresultStatus(r) != PGRES_COMMAND_OK { failure = failure ?? resultError(r) }
            PQclear(r)
        }
        if let failure { throw failure }
    }

    // MARK: Notifications

    /// The connection's socket, to wait on for notifications.
    var socket: Int32 { raw.map { PQsocket($0) } ?? -1 }

    /// Reads what arrived on the socket and returns the payloads of the notifications received.
    func takeNotifications() throws -> [String] {
        guard let raw else { throw PGError(sqlstate: nil, message: "not connected to \(server)", connectionLost: true) }
        guard PQconsumeInput(raw) == 1 else { throw lastError() }
        var out: [String] = []
        while let n = PQnotifies(raw) {
            out.append(n.pointee.extra.map { String(cString: $0) } ?? "")
            PQfreemem(n)
        }
        return out
    }

    // MARK: Errors

    private func check(_ result: OpaquePointer?) throws -> PGResult {
        guard let result else { throw lastError() }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PGResult(result)
        default:
            let e = resultError(result)
            PQclear(result)
            throw e
        }
    }

    private func resultError(_ result: OpaquePointer) -> PGError {
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        let detail = PQresultErrorField(result, Int32(UInt8(ascii: "D"))).map { String(cString: $0) }
        let lost = raw.map { PQstatus($0) != CONNECTION_OK } ?? true
        return PGError(sqlstate: state, message: primary ?? Self.message(PQresultErrorMessage(result)),
                       connectionLost: lost || (state?.hasPrefix("08") ?? false) || state == "57P01", detail: detail)
    }

    private func lastError() -> PGError {
        let why = raw.map { Self.message(PQerrorMessage($0)) } ?? "not connected"
        let lost = raw.map { PQstatus($0) != CONNECTION_OK } ?? true
        return PGError(sqlstate: nil, message: why.isEmpty ? "the connection to \(server) failed" : why, connectionLost: lost)
    }

    private static func message(_ p: UnsafePointer<CChar>?) -> String {
        guard let p else { return "unknown error" }
        // One line: a line that starts in lower case continues the sentence before it.
        var out = ""
        for line in String(cString: p).split(separator: "\n", omittingEmptySubsequences: true) {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard let first = text.first else { continue }
            if !out.isEmpty { out += first.isLowercase ? " " : "; " }
            out += text
        }
        return out
    }

    /// libpq gives no SQLSTATE for a failed connection: recognise "database does not exist".
    private static func connectSQLState(_ why: String) -> String? {
        if why.contains("does not exist"), why.contains("database") { return "3D000" }
        if why.contains("password authentication failed") || why.contains("no pg_hba.conf entry") { return "28000" }
        return nil
    }
}

/// Calls `body` with C string pointers for `values` (nil for SQL NULL), valid during the call.
private func withCStrings<R>(_ values: [[UInt8]?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var storage: [UnsafeMutablePointer<CChar>?] = []
    storage.reserveCapacity(values.count)
    for v in values {
        guard let v else { storage.append(nil); continue }
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: v.count)
        v.withUnsafeBufferPointer { b in b.withMemoryRebound(to: CChar.self) { p.initialize(from: $0.baseAddress!, count: v.count) } }
        storage.append(p)
    }
    defer { for p in storage { p?.deallocate() } }
    return body(storage.map { UnsafePointer($0) })
}
