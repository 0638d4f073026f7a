import Foundation

/// A view of a PostgreSQL store as of commit ``seq``: every read selects the rows visible at
/// that commit (``PostgresSchema/visible(_:)``), so reads made one after another agree however
/// many commits other hosts make between them. Reads go to the server; whole-collection tables
/// (``rawRecords(_:)``) and counts are read once per view.
struct PostgresSnapshot: StoreSnapshot, @unchecked Sendable {
    let backend: PostgresBackend
    let seq: UInt64
    private let cache = Cache()

    init(backend: PostgresBackend, seq: UInt64) {
        self.backend = backend
        self.seq = seq
    }

    final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var counts: [String: Int] = [:]
        var tables: [String: PostgresRecordTable] = [:]
        /// Single records read (nil: absent), by collection and id: a view never changes, so a
        /// record read twice (the service's read, then the audit's before-values) costs one query.
        var records: [String: [UInt8]?] = [:]
    }

    private var at: PGValue { .int(Int64(seq)) }

    func count(_ collection: String) -> Int {
        cache.lock.lock()
        if let n = cache.counts[collection] { cache.lock.unlock(); return n }
        cache.lock.unlock()
        let n = backend.read(0) { c in
            Int(try c.query("SELECT count(*) FROM lgadmin_records WHERE coll = $1 AND \(PostgresSchema.visible(2))",
                            [.text(collection), at]).int(0, 0) ?? 0)
        }
        cache.lock.lock()
        cache.counts[collection] = n
        cache.lock.unlock()
        return n
    }

    func version(_ collection: String, id: String) -> Int {
        backend.read(0) { c in
            Int(try c.query("SELECT version FROM lgadmin_records WHERE coll = $1 AND id = $2 AND \(PostgresSchema.visible(3))",
                            [.text(collection), .text(id), at]).int(0, 0) ?? 0)
        }
    }

    func ids(_ collection: String) -> [String] {
        backend.read([]) { c in
            let r = try c.query("""
                SELECT id FROM lgadmin_records WHERE coll = $1 AND \(PostgresSchema.visible(2))
                ORDER BY first_seq, first_pos
                """, [.text(collection), at])
            return (0..<r.rowCount).compactMap { r.string($0, 0) }
        }
    }

    /// The first `limit` ids in stored order.
    func ids(_ collection: String, limit: Int) -> [String] {
        backend.read([]) { c in
            let r = try c.query("""
                SELECT id FROM lgadmin_records WHERE coll = $1 AND \(PostgresSchema.visible(2))
                ORDER BY first_seq, first_pos LIMIT $3
                """, [.text(collection), at, .int(Int64(limit))])
            return (0..<r.rowCount).compactMap { r.string($0, 0) }
        }
    }

    /// The first `limit` records in stored order.
    func firstRecords(_ collection: String, limit: Int) -> PostgresRecordTable {
        backend.read(PostgresRecordTable()) { c in
            try PostgresRecordTable.read(c, """
                SELECT id, version, body FROM lgadmin_records WHERE coll = $1 AND \(PostgresSchema.visible(2))
                ORDER BY first_seq, first_pos LIMIT $3
                """, [.text(collection), at, .int(Int64(limit))])
        }
    }

    func forEachRaw(_ collection: String, _ body: (String, Int, UnsafeRawBufferPointer) throws -> Bool) rethrows {
        // Through a table read once: rows streamed from the server cannot be handed to a
        // rethrowing body without a second error path.
        let table = rawTable(collection)
        for k in 0..<table.count {
            guard let bytes = table.bytes(at: k) else { continue }
            if try !body(table.id(at: k), table.version(at: k), bytes) { return }
        }
    }

    func rawRecords(_ collection: String) -> any RawRecordTable { rawTable(collection) }

    /// The collection's live records as of this view, read once.
    func rawTable(_ collection: String) -> PostgresRecordTable {
        cache.lock.lock()
        if let t = cache.tables[collection] { cache.lock.unlock(); return t }
        cache.lock.unlock()
        let t = backend.read(PostgresRecordTable()) { c in
            try PostgresRecordTable.read(c, """
                SELECT id, version, body FROM lgadmin_records WHERE coll = $1 AND \(PostgresSchema.visible(2))
                ORDER BY first_seq, first_pos
                """, [.text(collection), at])
        }
        cache.lock.lock()
        cache.tables[collection] = t
        cache.lock.unlock()
        return t
    }

    /// Live customers whose ``CustomerSearchKey`` holds one of `keys` (already match keys, or
    /// digits): found by the server through the trigram index, so only candidates cross the
    /// wire. A superset of the matches: the caller checks each.
    func candidates(_ collection: String, searchKeyContainsAnyOf keys: [String]) -> PostgresRecordTable {
        let alternatives = keys.indices.map { "search LIKE $\($0 + 3)" }.joined(separator: " OR ")
        return backend.read(PostgresRecordTable()) { c in
            try PostgresRecordTable.read(c, """
                SELECT id, version, body FROM lgadmin_records
                WHERE coll = $1 AND (\(alternatives)) AND \(PostgresSchema.visible(2))
                ORDER BY first_seq, first_pos
                """, [.text(collection), at] + keys.map { .text(CustomerSearchKey.containsPattern($0)) })
        }
    }

    func withRawJSON<T>(_ collection: String, id: String, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        let key = collection + "\u{0}" + id
        cache.lock.lock()
        let cached = cache.records[key]
        cache.lock.unlock()
        let bytes: [UInt8]?
        if let cached {
            bytes = cached
        } else {
            var failed = false
            bytes = backend.read(nil) { c in
                let r = try c.query("SELECT body FROM lgadmin_records WHERE coll = $1 AND id = $2 AND \(PostgresSchema.visible(3))",
                                    [.text(collection), .text(id), at])
                return r.rowCount == 1 ? r.bytes(0, 0).map { Array($0) } : nil
            } onFailure: { failed = true }
            if !failed {
                cache.lock.lock()
                cache.records[key] = .some(bytes)
                cache.lock.unlock()
            }
        }
        guard let bytes else { return nil }
        return try bytes.withUnsafeBytes { try body($0) }
    }

    /// Every stored row of a collection, earlier versions included (they stay in the table until
    /// `store compact`): what a scan for card numbers must read, as it reads the whole journal
    /// on files.
    func allStoredRows(_ collection: String) -> PostgresRecordTable {
        backend.read(PostgresRecordTable()) { c in
            try PostgresRecordTable.read(c, """
                SELECT id, version, body FROM lgadmin_records WHERE coll = $1 AND created_seq <= $2
                ORDER BY first_seq, first_pos, created_seq
                """, [.text(collection), at])
        }
    }

    /// The collections holding live records as of this view.
    func collectionNames() -> [String] {
        backend.read([]) { c in
            let r = try c.query("SELECT DISTINCT coll FROM lgadmin_records WHERE \(PostgresSchema.visible(1)) ORDER BY coll", [at])
            return (0..<r.rowCount).compactMap { r.string($0, 0) }
        }
    }

    func recordBytes(_ collection: String) -> Int {
        backend.read(0) { c in
            Int(try c.query("SELECT coalesce(sum(octet_length(body)), 0) FROM lgadmin_records WHERE coll = $1 AND \(PostgresSchema.visible(2))",
                            [.text(collection), at]).int(0, 0) ?? 0)
        }
    }
}

/// Records read from the server, held in one buffer: a ``RawRecordTable`` for the scans that
/// split work between threads.
final class PostgresRecordTable: RawRecordTable, @unchecked Sendable {
    /// Filled while reading, then moved to ``storage``, whose address never changes.
    private var buffer: [UInt8] = []
    private var storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 8)
    private var starts: [Int] = [0]
    private var idList: [String] = []
    private var versions: [Int] = []

    deinit { storage.deallocate() }

    var count: Int { idList.count }

    func bytes(at position: Int) -> UnsafeRawBufferPointer? {
        let lo = starts[position], hi = starts[position + 1]
        return UnsafeRawBufferPointer(rebasing: storage[lo..<hi])
    }

    func id(at position: Int) -> String { idList[position] }
    func version(at position: Int) -> Int { versions[position] }

    /// Reads `(id, version, body)` rows, streamed one at a time.
    static func read(_ c: PGConnection, _ sql: String, _ params: [PGValue]) throws -> PostgresRecordTable {
        let t = PostgresRecordTable()
        try c.forEachRow(sql, params) { r in
            guard let id = r.string(0, 0), let v = r.int(0, 1), let body = r.bytes(0, 2) else { return true }
            t.idList.append(id)
            t.versions.append(Int(v))
            t.buffer.append(contentsOf: body)
            t.starts.append(t.buffer.count)
            return true
        }
        t.storage.deallocate()
        t.storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, t.buffer.count), alignment: 8)
        t.buffer.withUnsafeBytes { t.storage.copyMemory(from: $0) }
        t.buffer = []
        return t
    }
}
