import Foundation

/// Bytes that records in memory point into: a whole snapshot file, or a chunk of journal.
final class ByteBuffer: @unchecked Sendable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// Where one record's JSON lives, and its version (0: deleted).
struct Entry {
    var buffer: ByteBuffer
    var start: Int
    var count: UInt32
    var version: UInt32
}

/// One collection in memory: records in the order they were first stored, an index by id.
struct CollectionState {
    var ids: [String] = []
    var entries: [Entry] = []
    var index: [String: Int] = [:]
    var live = 0

    mutating func put(_ id: String, _ entry: Entry) {
        if let at = index[id] {
            if entries[at].version == 0 { live += 1 }
            entries[at] = entry
        } else {
            index[id] = entries.count
            ids.append(id)
            entries.append(entry)
            live += 1
        }
    }

    mutating func delete(_ id: String) {
        guard let at = index[id], entries[at].version != 0 else { return }
        entries[at].version = 0
        live -= 1
        index[id] = nil
        // Keep the position so that ids[at] stays put; compact when half are holes.
        if entries.count > 64, live * 2 < entries.count { compact() }
    }

    mutating func compact() {
        var newIDs: [String] = []
        var newEntries: [Entry] = []
        newIDs.reserveCapacity(live)
        newEntries.reserveCapacity(live)
        var newIndex: [String: Int] = [:]
        newIndex.reserveCapacity(live)
        for (k, e) in entries.enumerated() where e.version != 0 {
            newIndex[ids[k]] = newEntries.count
            newIDs.append(ids[k])
            newEntries.append(e)
        }
        ids = newIDs
        entries = newEntries
        index = newIndex
    }

    func version(of id: String) -> Int {
        guard let at = index[id] else { return 0 }
        return Int(entries[at].version)
    }
}

/// The whole store as of one `seq`.
struct StoreState {
    var seq: UInt64 = 0
    var collections: [String: CollectionState] = [:]

    func version(_ collection: String, _ id: String) -> Int {
        collections[collection]?.version(of: id) ?? 0
    }
}

/// A consistent, immutable view of the store as of one commit. Cheap to take (copy on write).
public struct StoreView: @unchecked Sendable {
    let state: StoreState

    /// The last commit this view includes.
    public var seq: UInt64 { state.seq }

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    /// The names of collections that hold at least one record.
    public var collectionNames: [String] {
        state.collections.filter { $0.value.live > 0 }.keys.sorted()
    }

    public func count(_ collection: String) -> Int { state.collections[collection]?.live ?? 0 }
    public func count<R>(_ collection: RecordCollection<R>) -> Int { count(collection.name) }

    /// The version of a record, 0 when absent.
    public func version(_ collection: String, id: String) -> Int { state.version(collection, id) }
    public func version<R>(_ collection: RecordCollection<R>, id: String) -> Int { version(collection.name, id: id) }

    /// Decodes one record.
    public func get<R>(_ collection: RecordCollection<R>, id: String) throws -> R? {
        guard let cs = state.collections[collection.name], let at = cs.index[id] else { return nil }
        return try decode(R.self, cs.entries[at], collection: collection.name, id: id)
    }

    func decode<R: Decodable>(_ type: R.Type, _ e: Entry, collection: String, id: String) throws -> R {
        let data = e.buffer.bytes.withUnsafeBufferPointer { Data($0[e.start..<(e.start + Int(e.count))]) }
        do {
            return try Self.decoder.decode(R.self, from: data)
        } catch {
            throw FlatStoreError.invalid("\(collection) \(id) cannot be read as \(R.self): \(error)")
        }
    }

    /// Ids of the live records, in the order they were first stored.
    public func ids(_ collection: String) -> [String] {
        guard let cs = state.collections[collection] else { return [] }
        if cs.live == cs.entries.count { return cs.ids }
        return zip(cs.ids, cs.entries).compactMap { $0.1.version == 0 ? nil : $0.0 }
    }
    public func ids<R>(_ collection: RecordCollection<R>) -> [String] { ids(collection.name) }

    /// Decodes every record of a collection, in stored order.
    /// - Complexity: O(n) decodes; for large collections prefer ``forEachRaw(_:_:)``.
    public func all<R>(_ collection: RecordCollection<R>) throws -> [R] {
        guard let cs = state.collections[collection.name] else { return [] }
        var out: [R] = []
        out.reserveCapacity(cs.live)
        for (k, e) in cs.entries.enumerated() where e.version != 0 {
            out.append(try decode(R.self, e, collection: collection.name, id: cs.ids[k]))
        }
        return out
    }

    /// Calls `body` with each live record's id, version and JSON bytes, in stored order, without
    /// decoding. Return false from `body` to stop.
    public func forEachRaw(_ collection: String, _ body: (String, Int, UnsafeRawBufferPointer) throws -> Bool) rethrows {
        guard let cs = state.collections[collection] else { return }
        for (k, e) in cs.entries.enumerated() where e.version != 0 {
            let goOn = try e.buffer.bytes.withUnsafeBytes { raw in
                try body(cs.ids[k], Int(e.version), UnsafeRawBufferPointer(rebasing: raw[e.start..<(e.start + Int(e.count))]))
            }
            if !goOn { return }
        }
    }

    /// The raw JSON of one record.
    public func rawJSON(_ collection: String, id: String) -> [UInt8]? {
        guard let cs = state.collections[collection], let at = cs.index[id] else { return nil }
        let e = cs.entries[at]
        return Array(e.buffer.bytes[e.start..<(e.start + Int(e.count))])
    }

    /// Total bytes of record JSON held (for statistics).
    public func recordBytes(_ collection: String) -> Int {
        guard let cs = state.collections[collection] else { return 0 }
        return cs.entries.reduce(0) { $0 + ($1.version == 0 ? 0 : Int($1.count)) }
    }
}

/// What a refresh or commit changed: record ids per collection, or everything after a reload.
public struct ChangeSet: Sendable, Equatable {
    /// The commits covered, exclusive of the first.
    public var fromSeq: UInt64
    public var toSeq: UInt64
    /// Ids changed per collection.
    public var changed: [String: Set<String>]
    /// True when the store was reloaded whole (after a compaction or repair by another process).
    public var reloaded: Bool

    public var isEmpty: Bool { !reloaded && changed.isEmpty }

    public func touches(_ collection: String) -> Bool { reloaded || changed[collection] != nil }
}
