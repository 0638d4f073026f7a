internal import FlatStore
import Foundation

/// A card-number-like run found by `store scan`: where, never what.
public struct CardNumberFinding: Sendable, Equatable, Encodable {
    public var file: String
    public var line: Int
    public var last4: String
}

/// The result of `store check`.
public struct StoreHealth: Sendable {
    /// What the check of the storage found (or the repair did).
    public var engine: StoreCheckReport
    public var audit: AuditChain.Verification?
    /// Message files brought in line with their state after an interrupted move (repair only),
    /// or (check) whatever is wrong with them: missing, left over, not safe to touch (a symbolic
    /// link, not a regular file, another inode) or no longer matching their SHA-256 (quarantine
    /// copies included).
    public var messages: [String]
    /// After a repair: what is still wrong with the message files (what repair must not touch,
    /// such as a file that is not safe or no longer the message). Empty after a check.
    public var remaining: [String] = []
    public var isHealthy: Bool { engine.isHealthy && (audit?.isIntact ?? true) }
    /// What a repair discards (check) or discarded (repair), commit by commit.
    public var discarded: [DiscardedCommit] { engine.discarded }
}

extension PrivacyOps {
    /// Checks the store's files, its audit chain and its message files, changing nothing; with
    /// `repair`, repairs what the engine can (saying what it discarded) and finishes interrupted
    /// message moves.
    ///
    /// - Parameter expecting: the engine report of the check that was shown to whoever confirmed
    ///   the repair; the repair refuses (exit 75, nothing changed) when the store no longer
    ///   matches it. Nil repairs whatever is found (`--yes`).
    public func checkStore(repair: Bool = false, expecting: StoreCheckReport? = nil) throws -> StoreHealth {
        try authorize(repair ? .storeCompact : .storeCheck)
        let engine: StoreCheckReport
        do { engine = try store.check(repair: repair, expecting: expecting) } catch { throw OpsError.from(error) }
        if repair { try refresh() }
        // Never `try?`: a chain that cannot be read must not pass as a healthy store.
        let audit = try AuditChain.verify(view())
        if repair {
            let done = try reconcileMessages()
            try refresh()
            return StoreHealth(engine: engine, audit: audit, messages: done, remaining: try messageFileProblems())
        }
        return StoreHealth(engine: engine, audit: audit, messages: try messageFileProblems())
    }

    /// Checks a store that cannot be opened (damaged): root only, since roles cannot be read.
    /// `expecting` as for ``checkStore(repair:expecting:)``.
    public static func checkDamagedStore(at path: String, actor: ActorIdentity, repair: Bool,
                                         expecting: StoreCheckReport? = nil) throws -> StoreCheckReport {
        guard actor.isRoot else {
            throw OpsError.denied("the store cannot be opened, so roles cannot be checked: run 'store check' as root")
        }
        do {
            return try StoreBackends.checkUnopened(path, repair: repair, expecting: expecting, io: POSIXFileIO())
        } catch { throw OpsError.from(error) }
    }

    /// Writes a snapshot and starts a fresh journal. Audited before it runs.
    public func compactStore() throws -> StoreCompaction {
        try change(.storeCompact, target: "store") { _ in ("compaction requested", ()) }
        do { return try store.compact() } catch { throw OpsError.from(error) }
    }

    public func storeStats() throws -> StoreStats {
        try authorize(.storeStats)
        return store.stats()
    }

    /// A regular file's bytes, never through a symbolic link and never blocking on a FIFO: the
    /// spool's bad/ keeps whatever the form's account left in new/, links and FIFOs included.
    private func readRegularFileNoFollow(_ path: String) -> [UInt8]? {
        guard let fd = try? io.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0) else { return nil }
        defer { io.close(fd) }
        guard let st = try? io.fstat(fd), st.isRegular else { return nil }
        return try? io.readRange(fd, from: 0, count: Int(st.size))
    }

    /// Looks for card-number-like digit runs in every file of the store.
    public func scanStore() throws -> [CardNumberFinding] {
        try authorize(.storeScan)
        return scanFiles().findings
    }

    /// The scan of ``scanStore()``, with how many files it read (no role check).
    func scanFiles() -> (findings: [CardNumberFinding], files: Int) {
        var out: [CardNumberFinding] = []
        var files = 0
        let root = URL(fileURLWithPath: filesPath)
        guard let walker = FileManager.default.enumerator(atPath: filesPath) else { return (out, 0) }
        while let rel = walker.nextObject() as? String {
            let path = root.appendingPathComponent(rel).path
            guard !FlatFileBackend.bookkeepingFiles.contains(rel), let bytes = readRegularFileNoFollow(path) else { continue }
            files += 1
            bytes.withUnsafeBytes { raw in
                let matches = CardNumberGuard.scanInParallel(raw, parts: ProcessInfo.processInfo.activeProcessorCount)
                guard !matches.isEmpty else { return }
                var line = 1
                var pos = 0
                for m in matches {
                    while pos < m.range.lowerBound { if raw[pos] == 0x0A { line += 1 }; pos += 1 }
                    out.append(CardNumberFinding(file: rel, line: line, last4: m.last4))
                }
            }
        }
        // A store on a server: its rows are scanned too (earlier versions included, as the
        // journal's old lines are on files), one "file" per collection, the line a row's place.
        if let pg = view() as? PostgresSnapshot {
            for coll in pg.collectionNames() {
                files += 1
                let rows = pg.allStoredRows(coll)
                for k in 0..<rows.count {
                    guard let raw = rows.bytes(at: k) else { continue }
                    for m in CardNumberGuard.scan(raw) {
                        out.append(CardNumberFinding(file: "table lgadmin_records, \(coll) \(rows.id(at: k)) version \(rows.version(at: k))",
                                                     line: k + 1, last4: m.last4))
                    }
                }
            }
        }
        return (out.sorted { ($0.file, $0.line) < ($1.file, $1.line) }, files)
    }
}
