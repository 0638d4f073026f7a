/// A consistent, immutable view of a store as of one commit: what every read of the service
/// goes through. Cheap to take.
///
/// Records are read typed (``get(_:id:)``, ``all(_:)``) or, for the fast paths over many
/// records, as the bytes ``RecordCoding`` wrote (``forEachRaw(_:_:)``, ``rawRecords(_:)``).
protocol StoreSnapshot: Sendable {
    /// The last commit this view includes.
    var seq: UInt64 { get }

    /// Live records in a collection.
    func count(_ collection: String) -> Int

    /// The version of a record, 0 when absent.
    func version(_ collection: String, id: String) -> Int

    /// Ids of the live records, in the order they were first stored.
    func ids(_ collection: String) -> [String]

    /// Calls `body` with each live record's id, version and bytes, in stored order, without
    /// decoding; return false from `body` to stop. The bytes are valid during the call only.
    func forEachRaw(_ collection: String, _ body: (String, Int, UnsafeRawBufferPointer) throws -> Bool) rethrows

    /// The records of a collection by position, for scans that split the work between threads.
    func rawRecords(_ collection: String) -> any RawRecordTable

    /// Calls `body` with one record's bytes; nil when it is absent.
    func withRawJSON<T>(_ collection: String, id: String, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T?

    /// The collections that hold at least one live record, sorted.
    func collectionNames() -> [String]

    /// Total bytes of the records of a collection (for statistics).
    func recordBytes(_ collection: String) -> Int
}

/// The records of one collection as of a snapshot, by position: `0..<count` in stored order; a
/// deleted record may leave its position empty. The bytes stay valid while this value lives.
/// Safe to read from several threads at once.
protocol RawRecordTable: Sendable {
    /// Positions, empty ones included.
    var count: Int { get }
    /// The record's bytes, or nil when the position is empty.
    func bytes(at position: Int) -> UnsafeRawBufferPointer?
    /// The id stored at a position.
    func id(at position: Int) -> String
}

extension StoreSnapshot {
    func count<R>(_ kind: RecordKind<R>) -> Int { count(kind.name) }
    func version<R>(_ kind: RecordKind<R>, id: String) -> Int { version(kind.name, id: id) }
    func ids<R>(_ kind: RecordKind<R>) -> [String] { ids(kind.name) }

    /// Decodes one record; nil when it is absent.
    func get<R>(_ kind: RecordKind<R>, id: String) throws -> R? {
        try withRawJSON(kind.name, id: id) { try RecordCoding.decode(R.self, $0, collection: kind.name, id: id) }
    }

    /// Decodes every record of a collection, in stored order.
    /// - Complexity: O(n) decodes; for large collections prefer ``forEachRaw(_:_:)``.
    func all<R>(_ kind: RecordKind<R>) throws -> [R] {
        var out: [R] = []
        out.reserveCapacity(count(kind.name))
        try forEachRaw(kind.name) { id, _, raw in
            out.append(try RecordCoding.decode(R.self, raw, collection: kind.name, id: id))
            return true
        }
        return out
    }

    /// The bytes of one record, copied.
    func rawJSON(_ collection: String, id: String) -> [UInt8]? {
        withRawJSON(collection, id: id) { Array($0) }
    }
}
