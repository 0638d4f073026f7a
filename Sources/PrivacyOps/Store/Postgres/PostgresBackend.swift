internal import FlatStore
import Foundation

/// A store in a PostgreSQL database (DESIGN.md §6b) behind the service's ``RecordStore``
/// protocol: what several admin hosts share. Everything above the protocol (roles, rules, the
/// audit chain, the console, the command line) is the same as on the flat-file store.
///
/// One connection, used by one thread at a time (a recursive lock: a commit's `build` reads
/// through the same connection, inside the commit's transaction). A second connection, opened
/// only when someone listens for changes (the console), waits for the server's notifications
/// (``PostgresChangeWatcher``).
final class PostgresBackend: RecordStore, @unchecked Sendable {
    let place: PostgresLocation
    /// Held while the main connection is in use (recursive: a commit's build reads through
    /// it, inside the commit's transaction).
    private let lock = NSRecursiveLock()
    private var conn: PGConnection
    /// Guards what follows, never held during I/O: a view is taken, and the read-only reason
    /// read, while another thread uses the connection.
    private let state = NSLock()
    /// The last commit this instance has seen (its views are as of this commit).
    private var seenSeq: UInt64
    private var knownSeq: UInt64 {
        get { state.lock(); defer { state.unlock() }; return seenSeq }
        set { state.lock(); seenSeq = newValue; state.unlock() }
    }
    private let readOnlyFlag: String?
    private var listeners: [Int: @Sendable (StoreChanges) -> Void] = [:]
    private var nextToken = 0
    private var watcher: PostgresChangeWatcher?
    /// A read that failed where no error could be thrown (a view's reads), kept for the next
    /// refresh or commit to report.
    private var pendingFailure: StoreError?
    /// Whether a failed read ends the process (the command line: a result read from a broken
    /// connection must not be printed as if complete) or is reported by the next refresh (the
    /// console, which keeps running and recovers when the server is back).
    var exitOnReadFailure = true

    private init(place: PostgresLocation, conn: PGConnection, seq: UInt64, readOnly: Bool) {
        self.place = place
        self.conn = conn
        self.seenSeq = seq
        self.readOnlyFlag = readOnly ? "the store was opened read-only" : nil
    }

    deinit { watcher?.stop() }

    // MARK: Creating and opening

    private static func connect(_ place: PostgresLocation) throws -> PGConnection {
        do { return try PGConnection(conninfo: place.conninfo, server: place.server) } catch let e as PGError {
            throw translate(e, place: place)
        }
    }

    /// Whether the database holds a store (its tables exist).
    static func exists(_ place: PostgresLocation) -> Bool {
        guard let c = try? PGConnection(conninfo: place.conninfo, server: place.server),
              let r = try? c.query("SELECT to_regclass('lgadmin_chain_head') IS NOT NULL") else { return false }
        return r.string(0, 0) == "t"
    }

    /// Creates the tables in the database (which must exist) and the local directories of the
    /// files that stay on this host.
    static func create(_ place: PostgresLocation, io: FileIO) throws -> PostgresBackend {
        let c = try connect(place)
        do {
            try c.execute("BEGIN")
            // Two hosts running init at once: the second waits here, then finds the tables.
            try c.execute("SELECT pg_advisory_xact_lock(74657301)")
            if try c.query("SELECT to_regclass('lgadmin_chain_head') IS NOT NULL").string(0, 0) == "t" {
                try? c.execute("ROLLBACK")
                throw StoreError.alreadyExists(location: place.display)
            }
            try c.execute(PostgresSchema.tables)
            try c.query("INSERT INTO lgadmin_chain_head (seq, format) VALUES (0, $1)", [.int(Int64(PostgresSchema.format))])
            try c.execute("COMMIT")
        } catch let e as PGError {
            try? c.execute("ROLLBACK")
            throw translate(e, place: place)
        }
        // Best effort: without pg_trgm, filtering scans the customers instead of an index.
        do {
            try c.execute("BEGIN; \(PostgresSchema.trigram) COMMIT;")
        } catch {
            try? c.execute("ROLLBACK")
        }
        FilesDirectory.create(at: place.filesDirectory, io: io)
        return PostgresBackend(place: place, conn: c, seq: 0, readOnly: false)
    }

    static func open(_ place: PostgresLocation, readOnly: Bool) throws -> PostgresBackend {
        let c = try connect(place)
        let head: PGResult
        do { head = try c.query("SELECT seq, format FROM lgadmin_chain_head") } catch let e as PGError {
            throw translate(e, place: place)
        }
        guard head.rowCount == 1, let seq = head.int(0, 0), let format = head.int(0, 1) else {
            throw StoreError.damaged(place: "lgadmin_chain_head", reason: "the table must hold exactly one row")
        }
        guard format == PostgresSchema.format else {
            throw StoreError.invalid("the store in \(place.server) has format \(format); this lgadmin reads format \(PostgresSchema.format)")
        }
        return PostgresBackend(place: place, conn: c, seq: UInt64(seq), readOnly: readOnly)
    }

    // MARK: Running statements

    /// Runs `body` with the connection, reconnecting once when it was lost (outside a
    /// transaction only); server errors come out as ``StoreError``.
    ///
    /// When another thread is using the connection (a commit, or a long read such as the
    /// console's background policy check), `body` runs on a reader connection of its own
    /// instead of waiting: a view reads as of its commit whichever connection serves it.
    func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        guard lock.try() else { return try withReader(body) }
        defer { lock.unlock() }
        if !conn.isConnected, !inTransaction { _ = conn.reset() }
        do {
            return try body(conn)
        } catch let e as PGError {
            if e.connectionLost, !inTransaction, conn.reset() {
                do { return try body(conn) } catch let e2 as PGError { throw Self.translate(e2, place: place) }
            }
            throw Self.translate(e, place: place)
        }
    }

    /// Idle reader connections (at most ``maxIdleReaders`` kept).
    private var readers: [PGConnection] = []
    private let readersLock = NSLock()
    private static let maxIdleReaders = 2

    private func withReader<T>(_ body: (PGConnection) throws -> T) throws -> T {
        readersLock.lock()
        var reader = readers.popLast()
        readersLock.unlock()
        for attempt in 0..<2 {
            let c: PGConnection
            if let r = reader, r.isConnected { c = r } else { c = try Self.connect(place) }
            reader = nil
            do {
                let value = try body(c)
                readersLock.lock()
                if readers.count < Self.maxIdleReaders { readers.append(c) }
                readersLock.unlock()
                return value
            } catch let e as PGError {
                // A reader that lost its connection is dropped; the read is tried once more on a new one.
                if e.connectionLost, attempt == 0 { continue }
                throw Self.translate(e, place: place)
            }
        }
        throw StoreError.failed("lost the connection to \(place.server)")
    }

    /// A read that cannot throw (a view's): on failure, ends the command line or keeps the error
    /// for the console's next refresh, returning `fallback`.
    func read<T>(_ fallback: T, _ body: (PGConnection) throws -> T, onFailure: () -> Void = {}) -> T {
        do {
            return try withConnection(body)
        } catch {
            onFailure()
            let e = (error as? StoreError) ?? .failed("\(place.server): \(error)")
            if exitOnReadFailure {
                FileHandle.standardError.write(Data("lgadmin: \(Self.describe(e)); nothing was changed\n".utf8))
                exit(1)
            }
            state.lock()
            pendingFailure = e
            state.unlock()
            return fallback
        }
    }

    private var inTransaction = false

    // MARK: RecordStore

    var location: String { place.display }
    var filesDirectory: String { place.filesDirectory }

    func snapshot() -> any StoreSnapshot {
        PostgresSnapshot(backend: self, seq: knownSeq)
    }

    var readOnlyReason: String? { readOnlyFlag }

    func refresh() throws -> StoreChanges {
        // A read that failed since is reported once, unless the server answers now.
        state.lock()
        let failure = pendingFailure
        pendingFailure = nil
        state.unlock()
        let changes: StoreChanges
        do {
            changes = try withConnection { c in try self.catchUp(c) }
        } catch {
            throw failure ?? error
        }
        if !changes.isEmpty { notify(changes) }
        return changes
    }

    /// Moves ``knownSeq`` forward to `seq` (never back: a refresh on a reader connection may
    /// finish after a commit of this instance went further).
    private func advanceKnownSeq(to seq: UInt64) {
        state.lock()
        seenSeq = max(seenSeq, seq)
        state.unlock()
    }

    /// Reads the commits after ``knownSeq``.
    private func catchUp(_ c: PGConnection, head known: UInt64? = nil) throws -> StoreChanges {
        let from = knownSeq
        var changes = StoreChanges(fromSeq: from, toSeq: from)
        let head = try known ?? c.query("SELECT seq FROM lgadmin_chain_head").int(0, 0).map(UInt64.init)
        guard let s = head, s != from else { return changes }
        if s < from {
            // The store was replaced under us (migrated into anew, restored): read everything again.
            knownSeq = s
            return StoreChanges(fromSeq: from, toSeq: s, reloaded: true)
        }
        let rows = try c.query("SELECT seq, changes FROM lgadmin_commits WHERE seq > $1 AND seq <= $2 ORDER BY seq",
                               [.int(Int64(from)), .int(Int64(s))])
        if rows.rowCount != Int(s - from) {
            changes.reloaded = true
        } else {
            for k in 0..<rows.rowCount {
                guard let text = rows.bytes(k, 1), let decoded = PostgresCommitLog.decode(text) else {
                    changes.reloaded = true
                    break
                }
                for (coll, ids) in decoded { changes.changed[coll, default: []].formUnion(ids) }
            }
        }
        advanceKnownSeq(to: s)
        changes.toSeq = s
        return changes
    }

    func commit<T>(_ build: (any StoreSnapshot) throws -> (StoreTransaction, T)) throws -> (seq: UInt64, value: T) {
        if let why = readOnlyReason { throw StoreError.readOnly(reason: why) }
        do {
            return try commitOnce(build)
        } catch let e as StoreError {
            // 40001 / 40P01: the server asks for the transaction to be run again; once.
            guard case .failed(let why) = e, why.contains(PostgresBackend.retryMarker) else { throw e }
            return try commitOnce(build)
        }
    }

    private static let retryMarker = "(may be retried)"

    private func commitOnce<T>(_ build: (any StoreSnapshot) throws -> (StoreTransaction, T)) throws -> (seq: UInt64, value: T) {
        lock.lock()
        var caught = StoreChanges(fromSeq: knownSeq, toSeq: knownSeq)
        var committed: (UInt64, T, [String: Set<String>])?
        do {
            // From BEGIN on, a lost connection is not reconnected and the commit not run again
            // (withConnection would): the server rolled the transaction back, or, when COMMIT
            // itself got no answer, may have committed it; running it again could commit twice.
            defer { inTransaction = false }
            committed = try withConnection { c -> (UInt64, T, [String: Set<String>]) in
                // One round trip; nothing written yet, so a connection lost here may be retried.
                let head = try c.simpleQuery("BEGIN; SELECT seq FROM lgadmin_chain_head FOR UPDATE")
                inTransaction = true
                do {
                    guard let s = head.int(0, 0) else {
                        throw StoreError.damaged(place: "lgadmin_chain_head", reason: "the table must hold exactly one row")
                    }
                    // Writers take turns from here: catch up, then build on the latest.
                    let before = knownSeq
                    caught = try catchUp(c, head: UInt64(s))
                    caught.fromSeq = before
                    let (tx, value) = try build(PostgresSnapshot(backend: self, seq: UInt64(s)))
                    if tx.isEmpty {
                        try c.execute("ROLLBACK")
                        return (UInt64(s), value, [:])
                    }
                    let seq = UInt64(s) + 1
                    let changed = try apply(tx, seq: seq, on: c)
                    let copied = tx.operations.contains { if case .restore = $0 { return true } else { return false } }
                    do { try c.execute("COMMIT") } catch let e as PGError where e.connectionLost {
                        throw StoreError.failed("lost the connection to \(place.server) while committing (\(e.message)): the change may or may not have been made, look at the latest audit events before trying again")
                    }
                    advanceKnownSeq(to: seq)
                    // After a bulk copy: planner statistics and the visibility map the ordered
                    // index-only scans need (autovacuum would come to it later). Best effort.
                    if copied { try? c.execute("VACUUM (ANALYZE) lgadmin_records") }
                    return (seq, value, changed)
                } catch let e as PGError where e.connectionLost {
                    // COMMIT was not sent: the server rolls the transaction back.
                    throw StoreError.failed("lost the connection to \(place.server) during a commit (\(e.message)); nothing was changed")
                } catch {
                    if c.isConnected { try? c.execute("ROLLBACK") }
                    throw error
                }
            }
        } catch {
            lock.unlock()
            if !caught.isEmpty { notify(caught) }
            throw error
        }
        lock.unlock()
        let (seq, value, changed) = committed!
        var all = caught
        all.toSeq = seq
        for (coll, ids) in changed { all.changed[coll, default: []].formUnion(ids) }
        if !all.isEmpty { notify(all) }
        return (seq, value)
    }

    /// Writes a transaction's operations as commit `seq`, checking every expected version, with
    /// the commit log, the chain head and the notification: one call of `lgadmin_commit` (one
    /// round trip), after a COPY of any copied records.
    private func apply(_ tx: StoreTransaction, seq: UInt64, on c: PGConnection) throws -> [String: Set<String>] {
        var changed: [String: Set<String>] = [:]
        var seen = Set<String>()
        var restores: [(pos: Int, op: StoreTransaction.Operation)] = []
        var colls: [[UInt8]?] = [], ids: [[UInt8]?] = [], bodies: [[UInt8]?] = [], searches: [[UInt8]?] = []
        var expected: [Int64] = [], versions: [Int64] = []
        for (pos, op) in tx.operations.enumerated() {
            guard Self.isValidName(op.collection), Self.isValidName(op.id) else {
                throw StoreError.invalid("\(op.collection) \(op.id): a collection or id must be 1-128 of A-Z a-z 0-9 . _ : @ -")
            }
            guard seen.insert(op.collection + "\u{0}" + op.id).inserted else {
                throw StoreError.invalid("\(op.collection) \(op.id) appears twice in one transaction")
            }
            changed[op.collection, default: []].insert(op.id)
            switch op {
            case .restore:
                // Copies of another store's records go in together, below.
                restores.append((pos, op))
            case .put(_, _, _, let json):
                guard json.first == UInt8(ascii: "{"), !json.contains(0) else {
                    throw StoreError.invalid("\(op.collection) \(op.id): a record must be one JSON object")
                }
                colls.append(Array(op.collection.utf8)); ids.append(Array(op.id.utf8))
                expected.append(Int64(op.expected)); versions.append(Int64(op.storedVersion))
                bodies.append(json)
                if case .text(let key) = Self.searchKey(op.collection, json) { searches.append(Array(key.utf8)) } else { searches.append(nil) }
            case .delete:
                colls.append(Array(op.collection.utf8)); ids.append(Array(op.id.utf8))
                expected.append(Int64(op.expected)); versions.append(0)
                bodies.append(nil); searches.append(nil)
            }
        }
        if !restores.isEmpty { try copy(restores, seq: seq, on: c) }
        do {
            try c.query("SELECT lgadmin_commit($1, $2, $3, $4, $5, $6, $7, $8)", [
                .int(Int64(seq)), .textArray(colls), .textArray(ids), .intArray(expected), .intArray(versions),
                .textArray(bodies), .textArray(searches), .bytes(PostgresCommitLog.encode(changed)),
            ])
        } catch let e as PGError where e.sqlstate == "LG409" {
            // DETAIL: "collection id expected actual".
            let parts = (e.detail ?? "").split(separator: " ").map(String.init)
            guard parts.count == 4, let want = Int(parts[2]), let have = Int(parts[3]) else {
                throw StoreError.conflict(collection: "?", id: "?", expected: 0, actual: 0)
            }
            throw StoreError.conflict(collection: parts[0], id: parts[1], expected: want, actual: have)
        }
        return changed
    }

    /// Copied records, through COPY; into an empty store the trigram index is built once after
    /// the copy (much faster than row by row), in the same transaction. A record already there
    /// breaks the unique index, and the transaction is rolled back.
    private func copy(_ restores: [(pos: Int, op: StoreTransaction.Operation)], seq: UInt64, on c: PGConnection) throws {
        let empty = try c.query("SELECT NOT EXISTS (SELECT 1 FROM lgadmin_records)").string(0, 0) == "t"
        let rebuild = try empty && (c.query("SELECT to_regclass('lgadmin_customers_text') IS NOT NULL").string(0, 0) == "t")
        if rebuild { try c.execute("DROP INDEX lgadmin_customers_text") }
        do {
            try c.copyIn("COPY lgadmin_records (coll, id, version, body, created_seq, first_seq, first_pos, search) FROM STDIN") { emit in
                for (pos, op) in restores {
                    guard case .restore(let coll, let id, let version, let json) = op else { continue }
                    guard version >= 1, json.first == UInt8(ascii: "{"), !json.contains(0) else {
                        throw StoreError.invalid("\(coll) \(id): a copied record must be one JSON object at version 1 or later")
                    }
                    try emit([.text(coll), .text(id), .int(Int64(version)), .bytes(json), .int(Int64(seq)), .int(Int64(seq)), .int(Int64(pos)),
                              Self.searchKey(coll, json)])
                }
            }
        } catch let e as PGError where e.sqlstate == "23505" {
            throw StoreError.invalid("a copied record is already in \(place.server): the target must be empty")
        }
        if rebuild {
            try c.execute("SET LOCAL maintenance_work_mem = '256MB'")
            try c.execute(PostgresSchema.trigramIndex)
        }
    }

    /// The `search` column of a record: customers' ``CustomerSearchKey``, NULL for the rest.
    static func searchKey(_ collection: String, _ json: [UInt8]) -> PGValue {
        guard collection == Collections.customers.name, let key = CustomerSearchKey.make(json) else { return .null }
        return .text(key)
    }

    private func liveVersion(_ coll: String, _ id: String, on c: PGConnection) throws -> Int {
        let r = try c.query("SELECT version FROM lgadmin_records WHERE coll = $1 AND id = $2 AND deleted_seq IS NULL",
                            [.text(coll), .text(id)])
        return Int(r.int(0, 0) ?? 0)
    }

    /// The names the flat-file store accepts, so that a store migrates either way.
    static func isValidName(_ s: String) -> Bool {
        let u = s.utf8
        guard !u.isEmpty, u.count <= 128 else { return false }
        return u.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b == UInt8(ascii: "@") || b == UInt8(ascii: "-")
        }
    }

    // MARK: Listening

    func addChangeListener(_ listener: @escaping @Sendable (StoreChanges) -> Void) -> Int {
        state.lock()
        defer { state.unlock() }
        nextToken += 1
        listeners[nextToken] = listener
        if watcher == nil { watcher = PostgresChangeWatcher(place: place) }
        return nextToken
    }

    func removeChangeListener(_ token: Int) {
        state.lock()
        defer { state.unlock() }
        listeners[token] = nil
    }

    private func notify(_ changes: StoreChanges) {
        state.lock()
        let ls = Array(listeners.values)
        state.unlock()
        for l in ls { l(changes) }
    }

    /// Whether the watcher heard of a commit this instance has not read yet (no I/O: the
    /// console asks on every tick and refreshes at once instead of waiting for its interval).
    var hasNewerCommits: Bool {
        state.lock()
        defer { state.unlock() }
        guard let newest = watcher?.newestSeq else { return false }
        return newest > seenSeq
    }

    // MARK: Health

    func check(repair: Bool, expecting: StoreCheckReport?) throws -> StoreCheckReport {
        try withConnection { c in try PostgresHealth.check(c, place: place) }
    }

    func compact() throws -> StoreCompaction {
        if let why = readOnlyReason { throw StoreError.readOnly(reason: why) }
        return try withConnection { c in try PostgresHealth.compact(c) }
    }

    func stats() -> StoreStats {
        read(StoreStats(seq: knownSeq, collections: [], backend: "PostgreSQL", facts: [], readOnly: readOnlyReason)) { c in
            try PostgresHealth.stats(c, readOnly: readOnlyReason, place: place)
        }
    }

    // MARK: Errors

    /// A server's or libpq's error in the service's terms.
    static func translate(_ e: PGError, place: PostgresLocation) -> StoreError {
        if e.sqlstate == "3D000" { return .noStore(location: place.display) }
        if e.connectionLost {
            return .failed("lost the connection to \(place.server): \(e.message)")
        }
        switch e.sqlstate {
        case "3D000": return .noStore(location: place.display)
        case "42P01": return .noStore(location: place.display)
        case "23505": return .conflict(collection: "?", id: "?", expected: 0, actual: 0)
        case "25006": return .readOnly(reason: "\(place.server) takes no writes (\(e.message))")
        case "40001", "40P01": return .failed("\(place.server): \(e.message) \(retryMarker)")
        case "28000", "28P01": return .failed("\(place.server) refused the login: \(e.message)")
        case "42501": return .failed("\(place.server) refused: \(e.message)")
        default: return .failed("\(place.server): \(e.description)")
        }
    }

    static func describe(_ e: StoreError) -> String {
        switch e {
        case .failed(let why): return why
        case .readOnly(let why): return why
        default: return "\(e)"
        }
    }
}
