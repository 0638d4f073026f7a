internal import FlatStore
import Foundation

/// The flat-file store (FlatStore: a journal and a snapshot in one directory) behind the
/// service's ``RecordStore`` protocol. The only code of PrivacyOps that names FlatStore's store
/// types: everything above sees snapshots, transactions, changes and reports of its own.
final class FlatFileBackend: RecordStore, @unchecked Sendable {
    private let store: FlatStore
    private let io: FileIO

    private init(store: FlatStore, io: FileIO) {
        self.store = store
        self.io = io
    }

    // MARK: Creating and opening

    /// Whether `path` holds a flat-file store.
    static func exists(at path: String, io: FileIO) -> Bool {
        FlatStore.exists(at: path, io: io)
    }

    /// Creates an empty store in `path`, with the directories of the files that stay on this
    /// host (the opt-out inbox spool and the quarantine).
    static func create(at path: String, io: FileIO) throws -> FlatFileBackend {
        let store: FlatStore
        do { store = try FlatStore.create(at: path, io: io) } catch { throw translate(error) }
        for sub in FilesDirectory.subdirectories { try? io.mkdir(path + "/" + sub, 0o700) }
        return FlatFileBackend(store: store, io: io)
    }

    /// Opens the store in `path` (recovering a torn journal tail).
    static func open(at path: String, readOnly: Bool, io: FileIO) throws -> FlatFileBackend {
        do {
            return FlatFileBackend(store: try FlatStore.open(at: path, readOnly: readOnly, io: io), io: io)
        } catch {
            throw translate(error)
        }
    }

    /// Checks (or repairs) a store that cannot be opened, file by file.
    static func checkUnopened(at path: String, repair: Bool, expecting: StoreCheckReport?, io: FileIO) throws -> StoreCheckReport {
        let expected = expecting?.evidence as? CheckReport
        do {
            let r = repair ? try FlatStore.repair(at: path, io: io, expecting: expected) : try FlatStore.check(at: path, io: io)
            return report(r)
        } catch {
            throw translate(error)
        }
    }

    // MARK: RecordStore

    var location: String { store.path }
    var filesDirectory: String { store.path }

    func snapshot() -> any StoreSnapshot { FlatSnapshot(view: store.view()) }

    var readOnlyReason: String? { store.readOnly }

    func refresh() throws -> StoreChanges {
        do { return Self.changes(try store.refresh()) } catch { throw Self.translate(error) }
    }

    func commit<T>(_ build: (any StoreSnapshot) throws -> (StoreTransaction, T)) throws -> (seq: UInt64, value: T) {
        do {
            return try store.commit { view -> (Transaction, T) in
                let (tx, value) = try build(FlatSnapshot(view: view))
                var out = Transaction()
                for op in tx.operations {
                    switch op {
                    case .put(let c, let id, let expected, let json):
                        try out.putRaw(collection: c, id: id, expected: expected, json: json)
                    case .delete(let c, let id, let expected):
                        try out.deleteRaw(collection: c, id: id, expected: expected)
                    case .restore(let c, let id, let version, let json):
                        try out.restoreRaw(collection: c, id: id, version: version, json: json)
                    }
                }
                return (out, value)
            }
        } catch {
            throw Self.translate(error)
        }
    }

    func addChangeListener(_ listener: @escaping @Sendable (StoreChanges) -> Void) -> Int {
        store.addChangeListener { listener(Self.changes($0)) }
    }

    func removeChangeListener(_ token: Int) { store.removeChangeListener(token) }

    func check(repair: Bool, expecting: StoreCheckReport?) throws -> StoreCheckReport {
        try Self.checkUnopened(at: store.path, repair: repair, expecting: expecting, io: io)
    }

    func compact() throws -> StoreCompaction {
        let r: FlatStore.CompactionReport
        do { r = try store.compact() } catch { throw Self.translate(error) }
        return StoreCompaction(seq: r.seq, records: r.records,
                               summary: "snapshot \(r.snapshotBytes) bytes; journal was \(r.journalBytesBefore) bytes")
    }

    func stats() -> StoreStats {
        let s = store.stats()
        return StoreStats(
            seq: s.seq,
            collections: s.collections.map { StoreStats.Collection(name: $0.name, records: $0.records, bytes: $0.bytes) },
            backend: "flat files",
            facts: [
                .init(label: "snapshot", text: "\(s.snapshotBytes) bytes, up to commit \(s.snapshotSeq)",
                      numbers: [("snapshot_bytes", s.snapshotBytes), ("snapshot_seq", Int64(s.snapshotSeq))]),
                .init(label: "journal", text: "\(s.journalBytes) bytes, \(s.journalCommits) commit(s) since the snapshot",
                      numbers: [("journal_bytes", s.journalBytes), ("journal_commits", Int64(s.journalCommits))]),
            ],
            readOnly: s.readOnly)
    }

    /// Files of this backend that `store scan` skips: they hold no record data.
    static let bookkeepingFiles: Set<String> = [FlatStore.lockName]

    // MARK: Translation

    static func changes(_ c: ChangeSet) -> StoreChanges {
        StoreChanges(fromSeq: c.fromSeq, toSeq: c.toSeq, changed: c.changed, reloaded: c.reloaded)
    }

    static func report(_ r: CheckReport) -> StoreCheckReport {
        StoreCheckReport(isHealthy: r.isHealthy, seq: r.seq, records: r.records, problems: r.problems, discards: r.discards,
                         discarded: r.discardedLines.map(discardedCommit), evidence: r)
    }

    static func discardedCommit(_ line: DiscardedLine) -> DiscardedCommit {
        DiscardedCommit(file: line.file, line: line.line, seq: line.seq, intact: line.intact, bytes: line.length,
                        records: line.records.map { (collection: $0.collection, id: $0.id, json: $0.json) })
    }

    /// The engine's errors in the service's terms; anything else unchanged.
    static func translate(_ error: any Error) -> any Error {
        guard let e = error as? FlatStoreError else { return error }
        switch e {
        case .noStore(let path): return StoreError.noStore(location: path)
        case .alreadyExists(let path): return StoreError.alreadyExists(location: path)
        case .conflict(let c, let id, let expected, let actual):
            return StoreError.conflict(collection: c, id: id, expected: expected, actual: actual)
        case .readOnly(let reason): return StoreError.readOnly(reason: reason)
        case .io(let s): return StoreError.failed("\(s.operation) \(s.path) failed: \(s.message)")
        case .corrupt(let file, let line, let reason): return StoreError.damaged(place: "\(file) line \(line)", reason: reason)
        case .invalid(let why): return StoreError.invalid(why)
        case .changedSinceCheck(let path): return StoreError.changedSinceCheck(location: path)
        }
    }
}

/// A FlatStore view as a ``StoreSnapshot``.
struct FlatSnapshot: StoreSnapshot, @unchecked Sendable {
    let view: StoreView

    var seq: UInt64 { view.seq }
    func count(_ collection: String) -> Int { view.count(collection) }
    func version(_ collection: String, id: String) -> Int { view.version(collection, id: id) }
    func ids(_ collection: String) -> [String] { view.ids(collection) }

    func forEachRaw(_ collection: String, _ body: (String, Int, UnsafeRawBufferPointer) throws -> Bool) rethrows {
        try view.forEachRaw(collection, body)
    }

    func rawRecords(_ collection: String) -> any RawRecordTable { FlatRawRecords(records: view.rawRecords(collection)) }

    func withRawJSON<T>(_ collection: String, id: String, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T? {
        try view.withRawJSON(collection, id: id, body)
    }

    func recordBytes(_ collection: String) -> Int { view.recordBytes(collection) }
    func collectionNames() -> [String] { view.collectionNames }
}

/// FlatStore's records by position as a ``RawRecordTable``.
struct FlatRawRecords: RawRecordTable, @unchecked Sendable {
    let records: RawRecords
    var count: Int { records.count }
    @inline(__always) func bytes(at position: Int) -> UnsafeRawBufferPointer? { records.bytes(at: position) }
    func id(at position: Int) -> String { records.id(at: position) }
}
