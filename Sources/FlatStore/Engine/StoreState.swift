import Foundation

/// Bytes that records in memory point into: a whole snapshot file (mapped, or read) or a chunk
/// of journal. Immutable; the bytes stay valid as long as the object lives.
///
/// A snapshot is mapped read-only rather than read: no fresh memory to zero, no copy, and its
/// pages are the page cache's. FlatStore never changes a snapshot in place (a new one replaces
/// it by rename), so the mapping stays valid; truncating `snapshot.jsonl` by hand under a
/// running process would make that process fault, as with any store that maps its files.
final class ByteBuffer: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    private let owner: Owner

    private enum Owner {
        case allocated
        case mapped(Int)
        /// The same bytes as another buffer, kept alive by this reference.
        case shared(ByteBuffer)
    }

    /// A copy of `array`.
    convenience init(_ array: [UInt8]) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(1, array.count), alignment: 16)
        array.withUnsafeBytes { if let b = $0.baseAddress { p.copyMemory(from: b, byteCount: $0.count) } }
        self.init(owning: p, count: array.count)
    }

    /// Takes `pointer` (from `UnsafeMutableRawPointer.allocate`), freed with the buffer.
    init(owning pointer: UnsafeMutableRawPointer, count: Int) {
        bytes = UnsafeRawBufferPointer(start: pointer, count: count)
        owner = .allocated
    }

    /// Another object for the same bytes: threads that each make many references to a buffer
    /// then count them on separate cache lines.
    init(sharing other: ByteBuffer) {
        bytes = other.bytes
        owner = .shared(other)
    }

    private init(mapped pointer: UnsafeMutableRawPointer, count: Int) {
        bytes = UnsafeRawBufferPointer(start: pointer, count: count)
        owner = .mapped(count)
    }

    /// The first `size` bytes of `fd` mapped read-only and faulted in at once; nil if the
    /// system will not map it.
    static func map(_ fd: Int32, size: Int) -> ByteBuffer? {
        #if os(Linux)
        guard size > 0 else { return nil }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)
        guard let p, p != MAP_FAILED else { return nil }
        return ByteBuffer(mapped: p, count: size)
        #else
        return nil
        #endif
    }

    deinit {
        switch owner {
        case .allocated: UnsafeMutableRawPointer(mutating: bytes.baseAddress!).deallocate()
        case .mapped(let n): munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress!), n)
        case .shared: break
        }
    }

    /// The bytes of one record.
    @inline(__always)
    func slice(_ start: Int, _ count: UInt32) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes.baseAddress! + start, count: Int(count))
    }
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
    var index = IDIndex()
    var live = 0

    /// The position of a live record in ``entries``.
    @inline(__always)
    func position(of id: String) -> Int? {
        index.find(id, hash: IDIndex.hash(id), ids: ids).position
    }

    mutating func put(_ id: String, _ entry: Entry) {
        let h = IDIndex.hash(id)
        let (slot, at) = index.find(id, hash: h, ids: ids)
        if let at {
            if entries[at].version == 0 { live += 1 }
            entries[at] = entry
        } else {
            index.insert(at: slot, hash: h, position: entries.count)
            ids.append(id)
            entries.append(entry)
            live += 1
        }
    }

    mutating func delete(_ id: String) {
        let (slot, found) = index.find(id, hash: IDIndex.hash(id), ids: ids)
        guard let at = found, entries[at].version != 0 else { return }
        entries[at].version = 0
        live -= 1
        index.remove(slot: slot)
        // Keep the position so that ids[at] stays put; compact when half are holes.
        if entries.count > 64, live * 2 < entries.count { compact() }
    }

    mutating func compact() {
        var newIDs: [String] = []
        var newEntries: [Entry] = []
        newIDs.reserveCapacity(live)
        newEntries.reserveCapacity(live)
        for (k, e) in entries.enumerated() where e.version != 0 {
            newIDs.append(ids[k])
            newEntries.append(e)
        }
        ids = newIDs
        entries = newEntries
        index = IDIndex(ids: ids)
    }

    func version(of id: String) -> Int {
        guard let at = position(of: id) else { return 0 }
        return Int(entries[at].version)
    }
}

/// An open-addressing hash table from record id to position in ``CollectionState/entries``,
/// for collections of millions of records: 8 bytes a slot, no `String` stored (the ids array
/// holds them), and built in a tight loop at load time.
///
/// A slot holds `tag << 32 | (position + 1)`, 0 when empty; `tag` is the top 32 bits of the
/// id's hash and also picks the home slot (`tag & mask`), so growing never re-hashes an id.
/// Linear probing, at most 4/5 full, backward-shift deletion (no tombstones).
struct IDIndex {
    private(set) var slots: [UInt64] = []
    private(set) var count = 0

    init() {}

    /// An index of `ids`, position k for `ids[k]` (the ids must be distinct).
    init(ids: [String]) {
        self = Self.build(ids: ids) ?? IDIndex()
    }

    /// A per-process seed, so that no one can choose ids that collide.
    static let seed: UInt64 = UInt64.random(in: 1...UInt64.max)

    /// The hash of an id's UTF-8 bytes.
    @inline(__always)
    static func hash(_ id: String) -> UInt64 {
        if let h = id.utf8.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) { return h }
        return Array(id.utf8).withUnsafeBytes { hash($0) }
    }

    /// The hash of bytes: a multiply-xorshift over 8-byte words, then a 64-bit finaliser.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var h = seed ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
        guard let p = bytes.baseAddress else { return fmix(h) }
        var i = 0
        while i + 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        return fmix(h)
    }

    @inline(__always)
    static func fmix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// Room for `n` ids without growing.
    mutating func reserve(_ n: Int) {
        var size = 16
        while size * 4 < n * 5 + 5 { size <<= 1 }
        if size > slots.count { rehash(to: size) }
    }

    /// The slot holding `id` and its position, or the empty slot where it would go and nil.
    @inline(__always)
    func find(_ id: String, hash h: UInt64, ids: [String]) -> (slot: Int, position: Int?) {
        guard !slots.isEmpty else { return (-1, nil) }
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        return slots.withUnsafeBufferPointer { s in
            let mask = s.count - 1
            var k = Int(tag) & mask
            while true {
                let v = s[k]
                if v == 0 { return (k, nil) }
                if UInt32(truncatingIfNeeded: v >> 32) == tag {
                    let at = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
                    if ids[at] == id { return (k, at) }
                }
                k = (k + 1) & mask
            }
        }
    }

    /// Stores `position` for an id that ``find(_:hash:ids:)`` did not find, in the slot it named.
    mutating func insert(at slot: Int, hash h: UInt64, position: Int) {
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        if slot < 0 || (count + 1) * 5 > slots.count * 4 {
            rehash(to: max(16, slots.count * 2))
            let mask = slots.count - 1
            var k = Int(tag) & mask
            while slots[k] != 0 { k = (k + 1) & mask }
            insertUnchecked(at: k, tag: tag, position: position)
        } else {
            insertUnchecked(at: slot, tag: tag, position: position)
        }
    }

    @inline(__always)
    mutating func insertUnchecked(at slot: Int, tag: UInt32, position: Int) {
        slots[slot] = UInt64(tag) << 32 | UInt64(position + 1)
        count += 1
    }

    /// Empties `slot` and moves later entries of its probe run back (no tombstones).
    mutating func remove(slot: Int) {
        let mask = slots.count - 1
        var hole = slot
        var k = slot
        while true {
            k = (k + 1) & mask
            let v = slots[k]
            if v == 0 { break }
            let home = Int(truncatingIfNeeded: v >> 32) & mask
            // Move v into the hole unless its home lies cyclically in (hole, k].
            let distHome = (k - home) & mask
            let distHole = (k - hole) & mask
            if distHome >= distHole {
                slots[hole] = v
                hole = k
            }
        }
        slots[hole] = 0
        count -= 1
    }

    private mutating func rehash(to size: Int) {
        var fresh = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        fresh.withUnsafeMutableBufferPointer { f in
            for v in slots where v != 0 {
                var k = Int(truncatingIfNeeded: v >> 32) & mask
                while f[k] != 0 { k = (k + 1) & mask }
                f[k] = v
            }
        }
        slots = fresh
    }

    /// Builds the index of `ids`, position k for `ids[k]` (the loader's path); nil when two ids
    /// are the same, which the caller then resolves record by record.
    ///
    /// A large index is built cache-friendly and on all cores: the ids' tags are computed in
    /// parallel, the positions sorted by home slot (a counting sort by region of the table), and
    /// each thread then places the ids of a contiguous share of the slots, in slot order, so
    /// that its probes walk memory forwards. A thread never reads or writes outside its share:
    /// an id whose probe would run past the share's end is put aside and placed at the end by
    /// one thread. The table is exactly one that placing the ids one by one could give.
    static func build(ids: [String]) -> IDIndex? {
        var index = IDIndex()
        index.reserve(ids.count)
        let n = ids.count
        let size = index.slots.count
        guard n >= 1 << 16 else {
            // Small: one thread, in id order (the table fits in cache).
            let ok = index.slots.withUnsafeMutableBufferPointer { s -> Bool in
                ids.withUnsafeBufferPointer { idp in
                    for position in 0..<n {
                        let tag = UInt32(truncatingIfNeeded: hash(idp[position]) >> 32)
                        guard place(tag, position, into: s, below: size, ids: idp) else { return false }
                    }
                    return true
                }
            }
            guard ok else { return nil }
            index.count = n
            return index
        }
        let cores = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        // Tags, in parallel.
        let tags = [UInt32](unsafeUninitializedCapacity: n) { buffer, count in
            let address = Int(bitPattern: buffer.baseAddress)
            DispatchQueue.concurrentPerform(iterations: cores) { k in
                let t = UnsafeMutablePointer<UInt32>(bitPattern: address)!
                ids.withUnsafeBufferPointer { idp in
                    for i in (n / cores * k)..<(k == cores - 1 ? n : n / cores * (k + 1)) {
                        (t + i).initialize(to: UInt32(truncatingIfNeeded: hash(idp[i]) >> 32))
                    }
                }
            }
            count = n
        }
        // Positions sorted by region of the table (2^13 slots, 64 KiB, a region).
        let regionShift = max(0, size.trailingZeroBitCount - 13)
        let regions = size >> regionShift
        let mask = size - 1
        var starts = [Int](repeating: 0, count: regions + 1)
        for t in tags { starts[((Int(t) & mask) >> regionShift) + 1] += 1 }
        for r in 0..<regions { starts[r + 1] += starts[r] }
        var order = [UInt32](repeating: 0, count: n)
        do {
            var next = starts
            for (i, t) in tags.enumerated() {
                let r = (Int(t) & mask) >> regionShift
                order[next[r]] = UInt32(truncatingIfNeeded: i)
                next[r] += 1
            }
        }
        // Placing, one contiguous share of regions per thread.
        final class Outcome: @unchecked Sendable {
            var leftOver: [[Int]]
            var duplicate = false
            let lock = NSLock()
            init(_ n: Int) { leftOver = Array(repeating: [], count: n) }
        }
        let shares = cores
        let outcome = Outcome(shares)
        let regionStarts = starts
        let sorted = order
        index.slots.withUnsafeMutableBufferPointer { s in
            let address = Int(bitPattern: s.baseAddress)
            let work: @Sendable (Int) -> Void = { share in
                let s = UnsafeMutableBufferPointer(start: UnsafeMutablePointer<UInt64>(bitPattern: address), count: size)
                let firstRegion = regions / shares * share
                let endRegion = share == shares - 1 ? regions : regions / shares * (share + 1)
                let hi = endRegion << regionShift
                var leftOver: [Int] = []
                var ok = true
                ids.withUnsafeBufferPointer { idp in
                    for k in regionStarts[firstRegion]..<regionStarts[endRegion] {
                        let position = Int(sorted[k])
                        let tag = tags[position]
                        var slot = Int(tag) & mask
                        var placed = false
                        while slot < hi {
                            let v = s[slot]
                            if v == 0 {
                                s[slot] = UInt64(tag) << 32 | UInt64(position + 1)
                                placed = true
                                break
                            }
                            if UInt32(truncatingIfNeeded: v >> 32) == tag,
                               idp[Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1] == idp[position] {
                                ok = false
                                return
                            }
                            slot += 1
                        }
                        if !placed { leftOver.append(position) }
                    }
                }
                outcome.lock.lock()
                outcome.leftOver[share] = leftOver
                if !ok { outcome.duplicate = true }
                outcome.lock.unlock()
            }
            DispatchQueue.concurrentPerform(iterations: shares, execute: work)
        }
        if outcome.duplicate { return nil }
        let ok = index.slots.withUnsafeMutableBufferPointer { s -> Bool in
            ids.withUnsafeBufferPointer { idp in
                for position in outcome.leftOver.joined() where !place(tags[position], position, into: s, below: size, ids: idp) {
                    return false
                }
                return true
            }
        }
        guard ok else { return nil }
        index.count = n
        return index
    }

    /// Places one id by linear probing from its home slot (wrapping); false if it is there.
    @inline(__always)
    private static func place(_ tag: UInt32, _ position: Int, into s: UnsafeMutableBufferPointer<UInt64>, below size: Int,
                              ids: UnsafeBufferPointer<String>) -> Bool {
        let mask = size - 1
        var k = Int(tag) & mask
        while true {
            let v = s[k]
            if v == 0 {
                s[k] = UInt64(tag) << 32 | UInt64(position + 1)
                return true
            }
            if UInt32(truncatingIfNeeded: v >> 32) == tag, ids[Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1] == ids[position] {
                return false
            }
            k = (k + 1) & mask
        }
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
        guard let cs = state.collections[collection.name], let at = cs.position(of: id) else { return nil }
        return try decode(R.self, cs.entries[at], collection: collection.name, id: id)
    }

    func decode<R: Decodable>(_ type: R.Type, _ e: Entry, collection: String, id: String) throws -> R {
        let data = Data(e.buffer.slice(e.start, e.count))
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
            if try !body(cs.ids[k], Int(e.version), e.buffer.slice(e.start, e.count)) { return }
        }
    }

    /// The records of a collection by position, for scans that split the work between threads.
    public func rawRecords(_ collection: String) -> RawRecords {
        RawRecords(state: state.collections[collection] ?? CollectionState())
    }

    /// The raw JSON of one record.
    public func rawJSON(_ collection: String, id: String) -> [UInt8]? {
        guard let cs = state.collections[collection], let at = cs.position(of: id) else { return nil }
        let e = cs.entries[at]
        return Array(e.buffer.slice(e.start, e.count))
    }

    /// Calls `body` with the raw JSON of one record, without copying it; nil when it is absent.
    public func withRawJSON<T>(_ collection: String, id: String, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        guard let cs = state.collections[collection], let at = cs.position(of: id) else { return nil }
        let e = cs.entries[at]
        guard e.version != 0 else { return nil }
        return try body(e.buffer.slice(e.start, e.count))
    }

    /// Total bytes of record JSON held (for statistics).
    public func recordBytes(_ collection: String) -> Int {
        guard let cs = state.collections[collection] else { return 0 }
        return cs.entries.reduce(0) { $0 + ($1.version == 0 ? 0 : Int($1.count)) }
    }
}

/// The records of one collection as of a view, by position: `0..<count` in stored order; a
/// deleted record leaves its position empty. The bytes stay valid while this value lives. Safe
/// to read from several threads at once.
public struct RawRecords: @unchecked Sendable {
    let state: CollectionState

    /// Positions, deleted ones included.
    public var count: Int { state.entries.count }

    /// The record's JSON, or nil when the position is deleted.
    @inline(__always)
    public func bytes(at position: Int) -> UnsafeRawBufferPointer? {
        let e = state.entries[position]
        return e.version == 0 ? nil : e.buffer.slice(e.start, e.count)
    }

    /// The id stored at a position.
    public func id(at position: Int) -> String { state.ids[position] }

    /// The version at a position, 0 when deleted.
    public func version(at position: Int) -> Int { Int(state.entries[position].version) }
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
