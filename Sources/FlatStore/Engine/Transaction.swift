import Foundation

/// A set of puts and deletes across collections, committed as one journal line or not at all.
///
/// Every operation states the version it expects the record to have now (0: absent). The
/// commit checks all of them after catching up with other processes; one mismatch is a
/// ``FlatStoreError/conflict(collection:id:expected:actual:)`` and nothing is written.
public struct Transaction: Sendable {
    public enum Operation: Sendable {
        /// Store `json` (the record's encoding) as version `expected + 1`.
        case put(collection: String, id: String, expected: Int, json: [UInt8])
        case delete(collection: String, id: String, expected: Int)
        /// Store `json` as version `version` of a record that must be absent (a copy of another
        /// store's record, keeping its version).
        case restore(collection: String, id: String, version: Int, json: [UInt8])

        public var collection: String {
            switch self {
            case .put(let c, _, _, _), .delete(let c, _, _), .restore(let c, _, _, _): return c
            }
        }
        public var id: String {
            switch self {
            case .put(_, let id, _, _), .delete(_, let id, _), .restore(_, let id, _, _): return id
            }
        }
        public var expected: Int {
            switch self {
            case .put(_, _, let v, _), .delete(_, _, let v): return v
            case .restore: return 0
            }
        }
        /// The version written to the journal: the record's version once committed.
        public var storedVersion: Int {
            switch self {
            case .put(_, _, let v, _), .delete(_, _, let v): return v + 1
            case .restore(_, _, let v, _): return v
            }
        }
        var json: [UInt8]? {
            switch self {
            case .put(_, _, _, let j), .restore(_, _, _, let j): return j
            case .delete: return nil
            }
        }
    }

    public private(set) var operations: [Operation] = []
    /// `collection + "\u{0}" + id` of every operation, to refuse one record twice in O(1).
    private var keys: Set<String> = []

    public init() {}

    public var isEmpty: Bool { operations.isEmpty }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    /// Adds a new record; it must not exist yet. Its version becomes 1.
    public mutating func insert<R: StoredRecord>(_ record: R, into collection: RecordCollection<R>) throws {
        var r = record
        r.version = 1
        try append(r, collection: collection.name, expected: 0)
    }

    /// Replaces a record that is at version `expected`; the stored copy gets `expected + 1`.
    public mutating func update<R: StoredRecord>(_ record: R, in collection: RecordCollection<R>, expecting expected: Int) throws {
        var r = record
        r.version = expected + 1
        try append(r, collection: collection.name, expected: expected)
    }

    /// Removes a record that is at version `expected`.
    public mutating func delete<R: StoredRecord>(id: String, from collection: RecordCollection<R>, expecting expected: Int) throws {
        try checkNames(collection.name, id)
        operations.append(.delete(collection: collection.name, id: id, expected: expected))
    }

    /// Adds an already-encoded record (tools and tests that work below the typed layer).
    public mutating func putRaw(collection: String, id: String, expected: Int, json: [UInt8]) throws {
        try checkNames(collection, id)
        guard json.first == UInt8(ascii: "{"), !json.contains(0x0A) else {
            throw FlatStoreError.invalid("a record must be one JSON object on one line")
        }
        // The journal reader must find exactly this object again, or the sealed line would make
        // the store refuse to open.
        let whole = json.withUnsafeBytes { raw -> Bool in
            var s = LineScanner(raw)
            return s.skipValue() && s.i == raw.count
        }
        guard whole else {
            throw FlatStoreError.invalid("\(collection) \(id): the record is not one complete JSON object (unbalanced braces, brackets or quotes, or text after it)")
        }
        operations.append(.put(collection: collection, id: id, expected: expected, json: json))
    }

    /// Adds a copy of another store's record at version `version` (at least 1); it must be absent.
    public mutating func restoreRaw(collection: String, id: String, version: Int, json: [UInt8]) throws {
        guard version >= 1 else { throw FlatStoreError.invalid("\(collection) \(id): a restored record's version must be at least 1") }
        try putRaw(collection: collection, id: id, expected: 0, json: json)
        operations[operations.count - 1] = .restore(collection: collection, id: id, version: version, json: json)
    }

    /// Removes a record that is at version `expected`, named by collection and id (tools and
    /// layers that work below the typed layer).
    public mutating func deleteRaw(collection: String, id: String, expected: Int) throws {
        try checkNames(collection, id)
        operations.append(.delete(collection: collection, id: id, expected: expected))
    }

    private mutating func append<R: StoredRecord>(_ r: R, collection: String, expected: Int) throws {
        try checkNames(collection, r.id)
        let data: Data
        do { data = try Self.encoder.encode(r) } catch {
            throw FlatStoreError.invalid("cannot encode \(collection) \(r.id): \(error)")
        }
        operations.append(.put(collection: collection, id: r.id, expected: expected, json: [UInt8](data)))
    }

    private mutating func checkNames(_ collection: String, _ id: String) throws {
        guard Names.isValidCollection(collection) else {
            throw FlatStoreError.invalid("collection name '\(collection)' is not valid: use a-z, 0-9, _ and -")
        }
        guard Names.isValidID(id) else {
            throw FlatStoreError.invalid("record id '\(id)' is not valid: use 1-128 of A-Z a-z 0-9 . _ : @ -")
        }
        guard keys.insert(collection + "\u{0}" + id).inserted else {
            throw FlatStoreError.invalid("\(collection) \(id) appears twice in one transaction")
        }
    }
}
