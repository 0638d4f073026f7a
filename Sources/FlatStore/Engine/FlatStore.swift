import Foundation

/// A crash-safe store of typed JSON records in one directory, shared by several processes.
///
/// Layout: `LOCK` (never renamed or deleted; `flock` on it serialises writers), `snapshot.jsonl`
/// (optional: every record as of one commit) and `journal.jsonl` (one line per commit after the
/// snapshot). See ``LineFormat`` for the bytes.
///
/// A commit locks, catches up with what other processes appended, checks expected versions,
/// writes one line, `fdatasync`s it and only then changes memory and reports success. A failed
/// write or sync truncates back and leaves this instance read-only until reopened.
public final class FlatStore: @unchecked Sendable {
    public static let journalName = "journal.jsonl"
    public static let snapshotName = "snapshot.jsonl"
    public static let lockName = "LOCK"

    /// The store directory.
    public let path: String
    let io: FileIO
    /// Mode of every file the store creates: the store's owner only. There is no group-shared
    /// mode: any account that can write these files can forge their contents (checksums are
    /// salted, not keyed), so only the store's owner may (README, "Security model").
    static let fileMode: mode_t = 0o600
    var fileMode: mode_t { Self.fileMode }

    private let mutex = NSLock()
    private var state = StoreState()
    private var lockFD: Int32 = -1
    private var journalFD: Int32 = -1
    /// The journal this instance last loaded, held open so that its inode cannot be freed and
    /// reused by a later journal while we compare inodes to notice compactions.
    private var journalPin: Int32 = -1
    private var journal = JournalPosition()
    private var readOnlyReason: String?
    private var listeners: [Int: @Sendable (ChangeSet) -> Void] = [:]
    private var nextListener = 0
    /// A torn tail seen but not cut (read-only open); `store check` reports it.
    private var pendingTail: Int?

    struct JournalPosition {
        var inode: UInt64 = 0
        var salt: UInt32 = 0
        var baseSeq: UInt64 = 0
        /// End of the last intact line.
        var offset: Int64 = 0
        /// Intact lines, the header included.
        var lines: Int = 0
    }

    var journalPath: String { path + "/" + Self.journalName }
    var snapshotPath: String { path + "/" + Self.snapshotName }
    var lockPath: String { path + "/" + Self.lockName }

    private init(path: String, io: FileIO) {
        self.path = path
        self.io = io
    }

    deinit {
        if journalFD >= 0 { io.close(journalFD) }
        if journalPin >= 0 { io.close(journalPin) }
        if lockFD >= 0 { io.close(lockFD) }
    }

    // MARK: Creating and opening

    /// Whether `path` holds a store.
    public static func exists(at path: String, io: FileIO = POSIXFileIO()) -> Bool {
        (try? io.stat(path + "/" + journalName)) != nil
    }

    /// Creates an empty store in `path` (created if missing; it must not hold a store).
    @discardableResult
    public static func create(at path: String, io: FileIO = POSIXFileIO()) throws -> FlatStore {
        do {
            if (try? io.stat(path)) == nil {
                try io.mkdir(path, 0o700)
            }
            if exists(at: path, io: io) { throw FlatStoreError.alreadyExists(path: path) }
            let mode = fileMode
            let lfd = try io.open(path + "/" + lockName, O_RDWR | O_CREAT, mode)
            defer { io.close(lfd) }
            try io.fchmod(lfd, mode)
            try io.flock(lfd, LOCK_EX)
            defer { try? io.flock(lfd, LOCK_UN) }
            if exists(at: path, io: io) { throw FlatStoreError.alreadyExists(path: path) }
            try io.writeFileDurably(path + "/" + journalName, directory: path,
                                    bytes: FileHeader.journal(baseSeq: 0, salt: randomSalt()), mode: mode)
        } catch let e as SystemError {
            throw FlatStoreError.io(e)
        }
        return try open(at: path, io: io)
    }

    /// Opens the store in `path`, recovering a torn journal tail (a `.broken` copy is kept).
    ///
    /// - Parameter readOnly: refuse commits; also chosen when the directory is not writable.
    /// - Throws: ``FlatStoreError/noStore(path:)``, ``FlatStoreError/corrupt(file:line:reason:)``
    ///   for damage other than a torn tail.
    public static func open(at path: String, readOnly: Bool = false, io: FileIO = POSIXFileIO()) throws -> FlatStore {
        let store = FlatStore(path: path, io: io)
        if let code = Self.errorCode({ _ = try io.stat(store.journalPath) }) {
            if code == ENOENT || code == ENOTDIR { throw FlatStoreError.noStore(path: path) }
            throw FlatStoreError.io(SystemError("stat", store.journalPath, code))
        }
        var lockMode = O_RDWR
        if readOnly {
            store.readOnlyReason = "opened read-only"
            lockMode = O_RDONLY
        } else if let code = Self.errorCode({ store.lockFD = try io.open(store.lockPath, O_RDWR, 0) }) {
            guard code == EACCES || code == EROFS || code == EPERM else {
                throw FlatStoreError.io(SystemError("open", store.lockPath, code))
            }
            store.readOnlyReason = "no permission to write in \(path)"
            lockMode = O_RDONLY
        }
        if store.lockFD < 0, let code = Self.errorCode({ store.lockFD = try io.open(store.lockPath, lockMode, 0) }) {
            throw FlatStoreError.io(SystemError("open", store.lockPath, code))
        }
        try store.withFileLock(LOCK_SH) { try store.reload() }
        if store.pendingTail != nil, store.readOnlyReason == nil {
            try store.withFileLock(LOCK_EX) { _ = try store.catchUp(repairTail: true) }
        }
        return store
    }

    /// Runs `body`; returns errno of the ``SystemError`` it threw, nil on success.
    static func errorCode(_ body: () throws -> Void) -> Int32? {
        do {
            try body()
            return nil
        } catch let e as SystemError {
            return e.code
        } catch {
            return EIO
        }
    }

    static func randomSalt() -> UInt32 { UInt32.random(in: 1...UInt32.max) }

    // MARK: Reading

    /// A consistent view of everything committed that this instance has seen.
    public func view() -> StoreView {
        mutex.lock()
        defer { mutex.unlock() }
        return StoreView(state: state)
    }

    /// Whether commits are refused, and why.
    public var readOnly: String? {
        mutex.lock()
        defer { mutex.unlock() }
        return readOnlyReason
    }

    /// The last commit seen.
    public var seq: UInt64 { view().seq }

    /// Catches up with commits other processes made since the last look.
    ///
    /// Cheap when nothing changed (one `stat`). Notifies listeners of what changed.
    @discardableResult
    public func refresh() throws -> ChangeSet {
        mutex.lock()
        let changes: ChangeSet
        do {
            let before = state.seq
            // Fast path: nothing new.
            if let st = try? io.stat(journalPath), st.inode == journal.inode, st.size == journal.offset {
                mutex.unlock()
                return ChangeSet(fromSeq: before, toSeq: before, changed: [:], reloaded: false)
            }
            changes = try withFileLock(LOCK_SH) { try catchUp(repairTail: false) }
        } catch {
            mutex.unlock()
            throw error
        }
        mutex.unlock()
        notify(changes)
        return changes
    }

    // MARK: Listening

    /// Calls `listener` after every refresh or commit that changed something. Returns a token.
    @discardableResult
    public func addChangeListener(_ listener: @escaping @Sendable (ChangeSet) -> Void) -> Int {
        mutex.lock()
        defer { mutex.unlock() }
        nextListener += 1
        listeners[nextListener] = listener
        return nextListener
    }

    public func removeChangeListener(_ token: Int) {
        mutex.lock()
        defer { mutex.unlock() }
        listeners[token] = nil
    }

    private func notify(_ changes: ChangeSet) {
        guard !changes.isEmpty else { return }
        mutex.lock()
        let ls = Array(listeners.values)
        mutex.unlock()
        for l in ls { l(changes) }
    }

    // MARK: Committing

    /// Commits the transaction `build` returns, built from the latest state under the writer lock.
    ///
    /// - Returns: the commit's `seq` (unchanged when the transaction is empty) and `build`'s value.
    /// - Throws: ``FlatStoreError/conflict(collection:id:expected:actual:)`` when an expected
    ///   version does not match (nothing is written); ``FlatStoreError/readOnly(reason:)``;
    ///   ``FlatStoreError/io(_:)`` when the write or sync failed (nothing is committed, and this
    ///   instance turns read-only); any error `build` throws.
    public func commit<T>(_ build: (StoreView) throws -> (Transaction, T)) throws -> (seq: UInt64, value: T) {
        mutex.lock()
        var changes = ChangeSet(fromSeq: state.seq, toSeq: state.seq, changed: [:], reloaded: false)
        let result: (UInt64, T)
        do {
            if let why = readOnlyReason { throw FlatStoreError.readOnly(reason: why) }
            result = try withFileLock(LOCK_EX) { () throws -> (UInt64, T) in
                changes = try catchUp(repairTail: true)
                let (tx, value) = try build(StoreView(state: state))
                if tx.isEmpty { return (state.seq, value) }
                let seq = try append(tx)
                changes.toSeq = seq
                for op in tx.operations { changes.changed[op.collection, default: []].insert(op.id) }
                return (seq, value)
            }
        } catch {
            mutex.unlock()
            notify(changes)
            throw error
        }
        mutex.unlock()
        notify(changes)
        return result
    }

    /// Commits a transaction built beforehand.
    @discardableResult
    public func commit(_ tx: Transaction) throws -> UInt64 {
        try commit { _ in (tx, ()) }.seq
    }

    /// Writes one commit line. Called with the mutex and the exclusive file lock held.
    private func append(_ tx: Transaction) throws -> UInt64 {
        for op in tx.operations {
            let actual = state.version(op.collection, op.id)
            if actual != op.expected {
                throw FlatStoreError.conflict(collection: op.collection, id: op.id, expected: op.expected, actual: actual)
            }
        }
        let seq = state.seq + 1
        var line = LineFormat.commitPrefix(seq: seq, at: Timestamp.now(), ops: tx.operations)
        LineFormat.seal(&line, salt: journal.salt)
        // Read the line back before writing it: a line replay cannot parse would, once synced,
        // make the store refuse to open.
        let scan = JournalScan.scan(line, salt: journal.salt, nextSeq: seq, skipThrough: 0)
        guard scan.stop == .clean, scan.commits.count == 1, scan.commits[0].ops.count == tx.operations.count else {
            throw FlatStoreError.invalid("the transaction cannot be written as a journal line replay can read (a record is not one complete JSON object); nothing was written")
        }
        let fd = try writableJournal()
        let offset = journal.offset
        do {
            try io.writeAll(fd, line, at: offset)
        } catch {
            let e = SystemError.from(error)
            fail(fd, backTo: offset, "a write to the journal failed (\(e.message))")
            throw FlatStoreError.io(e)
        }
        do {
            try io.fdatasync(fd)
        } catch {
            let e = SystemError.from(error)
            fail(fd, backTo: offset, "syncing the journal failed (\(e.message))")
            throw FlatStoreError.io(e)
        }
        apply(scan)
        journal.offset += Int64(line.count)
        journal.lines += 1
        return seq
    }

    /// After a failed write or sync: cut the file back and refuse further commits.
    private func fail(_ fd: Int32, backTo offset: Int64, _ why: String) {
        try? io.ftruncate(fd, offset)
        readOnlyReason = "\(why); nothing was committed; reopen the store once the disk is healthy"
    }

    private func writableJournal() throws -> Int32 {
        if journalFD >= 0, let st = try? io.fstat(journalFD), st.inode == journal.inode { return journalFD }
        if journalFD >= 0 { io.close(journalFD); journalFD = -1 }
        do {
            journalFD = try io.open(journalPath, O_RDWR, 0)
        } catch {
            throw FlatStoreError.io(SystemError.from(error))
        }
        return journalFD
    }

    // MARK: Loading and catching up (mutex and a file lock held)

    private func withFileLock<T>(_ op: Int32, _ body: () throws -> T) throws -> T {
        do { try io.flock(lockFD, op) } catch { throw FlatStoreError.io(SystemError.from(error)) }
        defer { try? io.flock(lockFD, LOCK_UN) }
        return try body()
    }

    /// Loads snapshot and journal from scratch.
    private func reload() throws {
        var newState = StoreState()
        if let snap = try SnapshotLoader.load(io: io, path: snapshotPath, displayName: Self.snapshotName) {
            newState = snap.state
        }
        let bytes: [UInt8]
        let st: FileStatus
        let fd: Int32
        do { fd = try io.open(journalPath, O_RDONLY, 0) } catch { throw FlatStoreError.io(SystemError.from(error)) }
        var pinned = false
        defer { if !pinned { io.close(fd) } }
        do {
            st = try io.fstat(fd)
            bytes = try io.readRange(fd, from: 0, count: Int(st.size))
        } catch {
            throw FlatStoreError.io(SystemError.from(error))
        }
        let (header, body) = try bytes.withUnsafeBytes { try FileHeader.parse($0, file: Self.journalName) }
        guard header.kind == "journal" else {
            throw FlatStoreError.corrupt(file: Self.journalName, line: 1, reason: "not a journal header")
        }
        if header.seq > newState.seq {
            throw FlatStoreError.corrupt(file: Self.journalName, line: 1,
                                         reason: "the journal starts after commit \(header.seq) but the snapshot holds only up to \(newState.seq)")
        }
        let scan = JournalScan.scan(Array(bytes[body...]), salt: header.salt, nextSeq: header.seq + 1, skipThrough: newState.seq)
        if case .corrupt(_, let reason) = scan.stop {
            throw FlatStoreError.corrupt(file: Self.journalName, line: 1 + scan.lines + 1, reason: reason)
        }
        // A journal left by an interrupted compaction must reach the snapshot's commit, or the
        // next commit (snapshot + 1) would not follow its last line and replay would refuse it.
        let journalEnd = header.seq + UInt64(scan.lines)
        if journalEnd < newState.seq {
            throw FlatStoreError.corrupt(file: Self.journalName, line: 1 + scan.lines + 1,
                                         reason: "the journal ends at commit \(journalEnd), before the snapshot's commit \(newState.seq)")
        }
        state = newState
        journal = JournalPosition(inode: st.inode, salt: header.salt, baseSeq: header.seq,
                                  offset: Int64(body + scan.consumed), lines: 1 + scan.lines)
        pin(fd)
        pinned = true
        // Lines at or below the snapshot's seq were skipped; the state's seq is the snapshot's.
        apply(scan)
        if case .tornTail(let n) = scan.stop { pendingTail = n } else { pendingTail = nil }
    }

    private func apply(_ scan: JournalScan) {
        let bytes = scan.buffer
        for commit in scan.commits {
            for op in commit.ops {
                if let r = op.record {
                    state.collections[op.collection, default: CollectionState()].put(
                        op.id, Entry(buffer: bytes, start: r.lowerBound, count: UInt32(r.count), version: UInt32(op.version)))
                } else {
                    state.collections[op.collection]?.delete(op.id)
                }
            }
            state.seq = commit.seq
        }
    }

    /// Reads what other processes appended since the last look; reloads after a compaction.
    private func catchUp(repairTail: Bool) throws -> ChangeSet {
        let before = state.seq
        var changes = ChangeSet(fromSeq: before, toSeq: before, changed: [:], reloaded: false)
        let st: FileStatus
        do { st = try io.stat(journalPath) } catch { throw FlatStoreError.io(SystemError.from(error)) }
        var sameJournal = st.inode == journal.inode && st.size >= journal.offset
        if sameJournal {
            // Guard against inode reuse (the pin should rule it out): the header's salt must
            // still be ours, even when the size is unchanged, or a commit would be sealed with a
            // stale salt and lost as a torn tail on the next open.
            sameJournal = (try? headerSalt()) == journal.salt
        }
        if !sameJournal {
            try reload()
            changes.reloaded = true
            changes.toSeq = state.seq
        } else if st.size > journal.offset {
            let fresh: [UInt8]
            do {
                let fd = try io.open(journalPath, O_RDONLY, 0)
                defer { io.close(fd) }
                fresh = try io.readRange(fd, from: journal.offset, count: Int(st.size - journal.offset))
            } catch { throw FlatStoreError.io(SystemError.from(error)) }
            let scan = JournalScan.scan(fresh, salt: journal.salt, nextSeq: state.seq + 1, skipThrough: 0)
            if case .corrupt(_, let reason) = scan.stop {
                throw FlatStoreError.corrupt(file: Self.journalName, line: journal.lines + scan.lines + 1, reason: reason)
            }
            apply(scan)
            for c in scan.commits { for op in c.ops { changes.changed[op.collection, default: []].insert(op.id) } }
            journal.offset += Int64(scan.consumed)
            journal.lines += scan.lines
            changes.toSeq = state.seq
            if case .tornTail(let n) = scan.stop { pendingTail = n } else { pendingTail = nil }
        } else {
            // Nothing after the last intact line: a torn tail seen earlier was cut elsewhere.
            pendingTail = nil
        }
        if repairTail, let n = pendingTail {
            try cutTornTail(length: n)
        }
        return changes
    }

    /// Holds `fd` (the journal just loaded) open in place of the previous one.
    private func pin(_ fd: Int32) {
        if journalPin >= 0, journalPin != fd { io.close(journalPin) }
        journalPin = fd
    }

    private func headerSalt() throws -> UInt32 {
        let fd = try io.open(journalPath, O_RDONLY, 0)
        defer { io.close(fd) }
        let head = try io.readRange(fd, from: 0, count: 512)
        return try head.withUnsafeBytes { try FileHeader.parse($0, file: Self.journalName) }.0.salt
    }

    /// Keeps a copy of the torn tail beside the journal and truncates it away.
    private func cutTornTail(length: Int) throws {
        do {
            let fd = try writableJournal()
            let tail = try io.readRange(fd, from: journal.offset, count: length)
            var name = journalPath + ".broken"
            var k = 1
            while (try? io.stat(name)) != nil { k += 1; name = journalPath + ".broken.\(k)" }
            try io.writeFileDurably(name, directory: path, bytes: tail, mode: fileMode)
            try io.ftruncate(fd, journal.offset)
            try io.fdatasync(fd)
            pendingTail = nil
        } catch let e as SystemError {
            throw FlatStoreError.io(e)
        }
    }

    // MARK: Compaction

    /// What a compaction did.
    public struct CompactionReport: Sendable {
        public var seq: UInt64
        public var records: Int
        public var snapshotBytes: Int64
        public var journalBytesBefore: Int64
    }

    /// Writes every record to a new snapshot as of the last commit, then starts a fresh journal.
    ///
    /// A crash between the steps is harmless: replay skips journal lines the snapshot holds.
    @discardableResult
    public func compact() throws -> CompactionReport {
        mutex.lock()
        defer { mutex.unlock() }
        if let why = readOnlyReason { throw FlatStoreError.readOnly(reason: why) }
        return try withFileLock(LOCK_EX) {
            _ = try catchUp(repairTail: true)
            let seq = state.seq
            let before = journal.offset
            let snapSalt = Self.randomSalt()
            var records = 0
            for (_, cs) in state.collections { records += cs.live }
            let tmp = snapshotPath + ".tmp"
            var written: Int64 = 0
            do {
                let fd = try io.open(tmp, O_WRONLY | O_CREAT | O_TRUNC, fileMode)
                do {
                    try io.fchmod(fd, fileMode)
                    var chunk = FileHeader.snapshot(seq: seq, salt: snapSalt, records: records)
                    chunk.reserveCapacity(1 << 22)
                    for name in state.collections.keys.sorted() {
                        guard let cs = state.collections[name] else { continue }
                        for (k, e) in cs.entries.enumerated() where e.version != 0 {
                            var line: [UInt8] = []
                            line.reserveCapacity(Int(e.count) + 64)
                            line.append(contentsOf: Array(#"{"id":""#.utf8))
                            line.append(contentsOf: Array(cs.ids[k].utf8))
                            line.append(contentsOf: Array(#"","c":""#.utf8))
                            line.append(contentsOf: Array(name.utf8))
                            line.append(contentsOf: Array(#"","v":"#.utf8))
                            line.append(contentsOf: Array(String(e.version).utf8))
                            line.append(contentsOf: Array(#","r":"#.utf8))
                            line.append(contentsOf: e.buffer.bytes[e.start..<(e.start + Int(e.count))])
                            LineFormat.seal(&line, salt: snapSalt)
                            chunk.append(contentsOf: line)
                            if chunk.count >= 1 << 22 {
                                try io.writeAll(fd, chunk, at: written)
                                written += Int64(chunk.count)
                                chunk.removeAll(keepingCapacity: true)
                            }
                        }
                    }
                    try io.writeAll(fd, chunk, at: written)
                    written += Int64(chunk.count)
                    try io.fsync(fd)
                    io.close(fd)
                } catch {
                    io.close(fd)
                    throw error
                }
                try io.rename(tmp, snapshotPath)
            } catch let e as SystemError {
                try? io.unlink(tmp)
                throw FlatStoreError.io(e)
            }
            do {
                try io.syncDirectory(path)
                let salt = Self.randomSalt()
                let header = FileHeader.journal(baseSeq: seq, salt: salt)
                try io.writeFileDurably(journalPath, directory: path, bytes: header, mode: fileMode)
                let newPin = try io.open(journalPath, O_RDONLY, 0)
                let st: FileStatus
                do { st = try io.fstat(newPin) } catch { io.close(newPin); throw error }
                if journalFD >= 0 { io.close(journalFD); journalFD = -1 }
                journal = JournalPosition(inode: st.inode, salt: salt, baseSeq: seq, offset: Int64(header.count), lines: 1)
                pin(newPin)
            } catch let e as SystemError {
                // The snapshot is in place; the old journal still works with it (replay skips
                // what the snapshot holds). If the new journal's rename happened but its
                // directory sync failed, reload to follow whichever journal is there.
                if let st = try? io.stat(journalPath), st.inode != journal.inode {
                    readOnlyReason = "compaction could not sync the store directory (\(e.message)); reopen the store"
                }
                throw FlatStoreError.io(e)
            }
            return CompactionReport(seq: seq, records: records, snapshotBytes: written, journalBytesBefore: before)
        }
    }

    // MARK: Statistics

    /// Sizes and counts, for `store stats`.
    public struct Stats: Sendable {
        public var seq: UInt64
        public var collections: [(name: String, records: Int, bytes: Int)]
        public var journalBytes: Int64
        public var journalCommits: Int
        public var snapshotBytes: Int64
        public var snapshotSeq: UInt64
        public var readOnly: String?
    }

    public func stats() -> Stats {
        mutex.lock()
        defer { mutex.unlock() }
        let v = StoreView(state: state)
        let cols = state.collections.keys.sorted().map { ($0, v.count($0), v.recordBytes($0)) }
        let snap = (try? io.stat(snapshotPath))?.size ?? 0
        return Stats(seq: state.seq, collections: cols, journalBytes: journal.offset, journalCommits: journal.lines - 1,
                     snapshotBytes: snap, snapshotSeq: journal.baseSeq, readOnly: readOnlyReason)
    }
}
