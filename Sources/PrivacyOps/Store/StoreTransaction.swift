/// A set of puts and deletes across collections, committed together or not at all.
///
/// Every operation states the version it expects the record to have at commit (0: absent);
/// one mismatch is a ``StoreError/conflict(collection:id:expected:actual:)`` and nothing is
/// written. Records are encoded here, by ``RecordCoding``, so every backend stores the same
/// bytes.
struct StoreTransaction: Sendable {
    enum Operation: Sendable, Equatable {
        /// Store `json` as version `expected + 1`.
        case put(collection: String, id: String, expected: Int, json: [UInt8])
        case delete(collection: String, id: String, expected: Int)
        /// Store `json` as version `version` of a record that must be absent: a copy of another
        /// store's record, its version kept (`store migrate`).
        case restore(collection: String, id: String, version: Int, json: [UInt8])

        var collection: String {
            switch self {
            case .put(let c, _, _, _), .delete(let c, _, _), .restore(let c, _, _, _): return c
            }
        }
        var id: String {
            switch self {
            case .put(_, let id, _, _), .delete(_, let id, _), .restore(_, let id, _, _): return id
            }
        }
        var expected: Int {
            switch self {
            case .put(_, _, let v, _), .delete(_, _, let v): return v
            case .restore: return 0
            }
        }
        /// The version the record has once this is committed (0: deleted).
        var storedVersion: Int {
            switch self {
            case .put(_, _, let v, _): return v + 1
            case .delete: return 0
            case .restore(_, _, let v, _): return v
            }
        }
    }

    private(set) var operations: [Operation] = []

    var isEmpty: Bool { operations.isEmpty }

    /// Adds a new record; it must not exist yet. Its version becomes 1.
    mutating func insert<R: StoreRecord>(_ record: R, into kind: RecordKind<R>) throws {
        var r = record
        r.version = 1
        operations.append(.put(collection: kind.name, id: r.id, expected: 0,
                               json: try RecordCoding.encode(r, collection: kind.name, id: r.id)))
    }

    /// Replaces a record that is at version `expected`; the stored copy gets `expected + 1`.
    mutating func update<R: StoreRecord>(_ record: R, in kind: RecordKind<R>, expecting expected: Int) throws {
        var r = record
        r.version = expected + 1
        operations.append(.put(collection: kind.name, id: r.id, expected: expected,
                               json: try RecordCoding.encode(r, collection: kind.name, id: r.id)))
    }

    /// Adds bytes already encoded (tools and tests that work below the typed layer); the
    /// backend refuses what is not one JSON object.
    mutating func putRaw(collection: String, id: String, expected: Int, json: [UInt8]) {
        operations.append(.put(collection: collection, id: id, expected: expected, json: json))
    }

    /// Adds a copy of another store's record at its own version; it must not exist yet.
    mutating func restore(collection: String, id: String, version: Int, json: [UInt8]) {
        operations.append(.restore(collection: collection, id: id, version: version, json: json))
    }

    /// Removes a record that is at version `expected`.
    mutating func delete<R>(id: String, from kind: RecordKind<R>, expecting expected: Int) {
        operations.append(.delete(collection: kind.name, id: id, expected: expected))
    }
}
