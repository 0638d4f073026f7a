import FlatStore
import Foundation
import Harness
import Testing
@testable import PrivacyOps

/// The store protocol's promises, held to by both backends: the same test bodies run on a
/// flat-file store and (when a server is available) on a PostgreSQL store.
@Suite struct StoreConformanceTests {
    struct Item: StoreRecord, Equatable {
        var id: String
        var version: Int
        var text: String
    }

    static let items = RecordKind<Item>("conformance")

    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case flat, postgres
        var testDescription: String { rawValue }
    }

    /// A fresh, empty store of `kind`: `open()` gives a new instance on it each time (another
    /// process, as far as the store can tell).
    final class Place {
        let location: String
        let base: String
        let database: TestPostgres.Database?

        init(_ kind: Kind) throws {
            base = NSTemporaryDirectory() + "lgadmin-conf-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            switch kind {
            case .flat:
                database = nil
                location = base + "/store"
            case .postgres:
                let db = try TestPostgres.createDatabase(files: base + "/files")
                database = db
                location = db.storeURL
            }
            _ = try StoreBackends.create(location, io: POSIXFileIO())
        }

        func open(readOnly: Bool = false) throws -> any RecordStore {
            try StoreBackends.open(location, readOnly: readOnly, io: POSIXFileIO())
        }

        deinit {
            if let database { TestPostgres.drop(database) }
            try? FileManager.default.removeItem(atPath: base)
        }
    }

    static func put(_ store: any RecordStore, _ item: Item, expecting v: Int) throws -> UInt64 {
        try store.commit { _ -> (StoreTransaction, Void) in
            var tx = StoreTransaction()
            if v == 0 { try tx.insert(item, into: items) } else { try tx.update(item, in: items, expecting: v) }
            return (tx, ())
        }.seq
    }

    // MARK: The cases, one body per promise

    enum Case: String, CaseIterable, CustomTestStringConvertible {
        case insertReadsBackTheEncodersBytes
        case staleVersionConflictsAndWritesNothing
        case deleteAndReinsert
        case viewStaysAsOfItsCommit
        case refreshReportsAnotherInstancesChanges
        case secondWriterFromTheSameVersionConflicts
        case emptyTransactionWritesNothing
        case restoreKeepsTheVersionAndRefusesAPresentRecord
        case invalidIdIsRefused
        case readOnlyRefusesCommits
        case storedOrderIsFirstStoredOrder
        var testDescription: String { rawValue }
    }

    @Test(arguments: Case.allCases)
    func flat(_ c: Case) throws { try run(c, on: Place(.flat)) }

    @Test(.enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)), arguments: Case.allCases)
    func postgres(_ c: Case) throws { try run(c, on: Place(.postgres)) }

    func run(_ c: Case, on place: Place) throws {
        let s = try place.open()
        switch c {
        case .insertReadsBackTheEncodersBytes:
            let item = Item(id: "a1", version: 0, text: "Zoë \"quoted\" \\ back\u{1}slash")
            let seq = try Self.put(s, item, expecting: 0)
            #expect(seq > 0)
            let v = s.snapshot()
            #expect(v.seq == seq)
            #expect(try v.get(Self.items, id: "a1") == Item(id: "a1", version: 1, text: item.text))
            #expect(v.version(Self.items, id: "a1") == 1)
            #expect(v.count(Self.items) == 1)
            var stored = item
            stored.version = 1
            #expect(v.rawJSON(Self.items.name, id: "a1") == (try RecordCoding.encode(stored, collection: Self.items.name, id: "a1")))
            #expect(v.collectionNames() == [Self.items.name])
        case .staleVersionConflictsAndWritesNothing:
            _ = try Self.put(s, Item(id: "a", version: 0, text: "one"), expecting: 0)
            let before = s.snapshot().seq
            #expect(throws: StoreError.conflict(collection: Self.items.name, id: "a", expected: 5, actual: 1)) {
                _ = try s.commit { _ -> (StoreTransaction, Void) in
                    var tx = StoreTransaction()
                    try tx.insert(Item(id: "b", version: 0, text: "not written"), into: Self.items)
                    try tx.update(Item(id: "a", version: 0, text: "stale"), in: Self.items, expecting: 5)
                    return (tx, ())
                }
            }
            let v = try place.open().snapshot()
            #expect(v.seq == before)
            #expect(v.version(Self.items, id: "b") == 0, "half a transaction was written")
            #expect(try v.get(Self.items, id: "a")?.text == "one")
        case .deleteAndReinsert:
            _ = try Self.put(s, Item(id: "d", version: 0, text: "x"), expecting: 0)
            _ = try s.commit { _ -> (StoreTransaction, Void) in
                var tx = StoreTransaction()
                tx.delete(id: "d", from: Self.items, expecting: 1)
                return (tx, ())
            }
            #expect(s.snapshot().version(Self.items, id: "d") == 0)
            #expect(s.snapshot().count(Self.items) == 0)
            _ = try Self.put(s, Item(id: "d", version: 0, text: "again"), expecting: 0)
            #expect(try place.open().snapshot().get(Self.items, id: "d")?.text == "again")
        case .viewStaysAsOfItsCommit:
            _ = try Self.put(s, Item(id: "v", version: 0, text: "old"), expecting: 0)
            let old = s.snapshot()
            let other = try place.open()
            _ = try Self.put(other, Item(id: "v", version: 0, text: "new"), expecting: 1)
            _ = try Self.put(other, Item(id: "w", version: 0, text: "added"), expecting: 0)
            _ = try s.refresh()
            // The old view still reads what was committed at its commit, however read.
            #expect(try old.get(Self.items, id: "v")?.text == "old")
            #expect(old.version(Self.items, id: "v") == 1)
            #expect(old.count(Self.items) == 1)
            #expect(old.ids(Self.items) == ["v"])
            #expect(try s.snapshot().get(Self.items, id: "v")?.text == "new")
        case .refreshReportsAnotherInstancesChanges:
            _ = try Self.put(s, Item(id: "r", version: 0, text: "x"), expecting: 0)
            let other = try place.open()
            let heard = Heard()
            let token = s.addChangeListener { heard.add($0) }
            defer { s.removeChangeListener(token) }
            let seq = try Self.put(other, Item(id: "r2", version: 0, text: "y"), expecting: 0)
            let changes = try s.refresh()
            #expect(changes.toSeq == seq)
            #expect(changes.changed[Self.items.name] == ["r2"])
            #expect(heard.all.last?.changed[Self.items.name] == ["r2"])
            #expect(try s.refresh().isEmpty)
        case .secondWriterFromTheSameVersionConflicts:
            _ = try Self.put(s, Item(id: "c", version: 0, text: "base"), expecting: 0)
            let other = try place.open()
            _ = try Self.put(other, Item(id: "c", version: 0, text: "first"), expecting: 1)
            #expect(throws: StoreError.conflict(collection: Self.items.name, id: "c", expected: 1, actual: 2)) {
                _ = try Self.put(s, Item(id: "c", version: 0, text: "second"), expecting: 1)
            }
            #expect(try s.snapshot().get(Self.items, id: "c")?.text == "first")
        case .emptyTransactionWritesNothing:
            _ = try Self.put(s, Item(id: "e", version: 0, text: "x"), expecting: 0)
            let before = s.snapshot().seq
            let r = try s.commit { _ in (StoreTransaction(), 42) }
            #expect(r.seq == before && r.value == 42)
            #expect(try place.open().snapshot().seq == before)
        case .restoreKeepsTheVersionAndRefusesAPresentRecord:
            let json = try RecordCoding.encode(Item(id: "k", version: 7, text: "copied"), collection: Self.items.name, id: "k")
            _ = try s.commit { _ -> (StoreTransaction, Void) in
                var tx = StoreTransaction()
                tx.restore(collection: Self.items.name, id: "k", version: 7, json: json)
                return (tx, ())
            }
            let v = try place.open().snapshot()
            #expect(v.version(Self.items, id: "k") == 7)
            #expect(v.rawJSON(Self.items.name, id: "k") == json)
            #expect(throws: (any Error).self) {
                _ = try s.commit { _ -> (StoreTransaction, Void) in
                    var tx = StoreTransaction()
                    tx.restore(collection: Self.items.name, id: "k", version: 3, json: json)
                    return (tx, ())
                }
            }
            #expect(try place.open().snapshot().version(Self.items, id: "k") == 7)
        case .invalidIdIsRefused:
            #expect(throws: (any Error).self) {
                _ = try Self.put(s, Item(id: "bad id/with space", version: 0, text: "x"), expecting: 0)
            }
            #expect(s.snapshot().count(Self.items) == 0)
        case .readOnlyRefusesCommits:
            let ro = try place.open(readOnly: true)
            #expect(ro.readOnlyReason != nil)
            #expect(throws: (any Error).self) { _ = try Self.put(ro, Item(id: "ro", version: 0, text: "x"), expecting: 0) }
            #expect(s.snapshot().count(Self.items) == 0)
        case .storedOrderIsFirstStoredOrder:
            for id in ["m", "b", "z", "a"] { _ = try Self.put(s, Item(id: id, version: 0, text: id), expecting: 0) }
            _ = try Self.put(s, Item(id: "b", version: 0, text: "changed"), expecting: 1)
            let v = try place.open().snapshot()
            #expect(v.ids(Self.items) == ["m", "b", "z", "a"])
            var seen: [String] = []
            v.forEachRaw(Self.items.name) { id, _, _ in seen.append(id); return true }
            #expect(seen == ["m", "b", "z", "a"])
            let table = v.rawRecords(Self.items.name)
            #expect((0..<table.count).filter { table.bytes(at: $0) != nil }.map { table.id(at: $0) } == ["m", "b", "z", "a"])
        }
    }

    final class Heard: @unchecked Sendable {
        private let lock = NSLock()
        private var changes: [StoreChanges] = []
        func add(_ c: StoreChanges) { lock.lock(); changes.append(c); lock.unlock() }
        var all: [StoreChanges] { lock.lock(); defer { lock.unlock() }; return changes }
    }
}
