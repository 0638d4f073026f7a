import FlatStore
import Foundation

/// A card-number-like run found by `store scan`: where, never what.
public struct CardNumberFinding: Sendable, Equatable, Encodable {
    public var file: String
    public var line: Int
    public var last4: String
}

/// The result of `store check`.
public struct StoreHealth: Sendable {
    public var engine: CheckReport
    public var audit: AuditChain.Verification?
    /// Message files brought in line with their state after an interrupted move (repair only),
    /// or that need it (check).
    public var messages: [String]
    public var isHealthy: Bool { engine.isHealthy && (audit?.isIntact ?? true) }
}

extension PrivacyOps {
    /// Checks the store's files, its audit chain and its message files; with `repair`, repairs
    /// what the engine can (saying what it discarded) and finishes interrupted message moves.
    public func checkStore(repair: Bool = false) throws -> StoreHealth {
        try authorize(repair ? .storeCompact : .storeCheck)
        let engine: CheckReport
        do {
            engine = repair ? try FlatStore.repair(at: storePath, io: io) : try FlatStore.check(at: storePath, io: io)
        } catch { throw OpsError.from(error) }
        if repair { try refresh() }
        let audit = try? AuditChain.verify(view())
        var messages: [String] = []
        if repair {
            messages = try reconcileMessages()
        } else {
            for c in try view().all(Collections.communications) {
                let q = mover.exists(mover.quarantinePath(c))
                let m = mover.locateInMaildir(c) != nil
                switch c.state {
                case .visible where !m: messages.append("\(c.id) is visible but its file is missing from \(c.maildir)")
                case .visible where q: messages.append("\(c.id) has a leftover quarantine copy (repair removes it)")
                case .blocked where !q: messages.append("\(c.id) is blocked but its quarantine copy is missing")
                case .blocked where m: messages.append("\(c.id) is blocked but still in its Maildir (repair removes it there)")
                case .deleted where q || m: messages.append("\(c.id) is deleted but a file remains (repair removes it)")
                default: break
                }
            }
        }
        return StoreHealth(engine: engine, audit: audit, messages: messages)
    }

    /// Checks a store that cannot be opened (damaged): root only, since roles cannot be read.
    public static func checkDamagedStore(at path: String, actor: ActorIdentity, repair: Bool) throws -> CheckReport {
        guard actor.isRoot else {
            throw OpsError.denied("the store cannot be opened, so roles cannot be checked: run 'store check' as root")
        }
        do {
            return repair ? try FlatStore.repair(at: path) : try FlatStore.check(at: path)
        } catch { throw OpsError.from(error) }
    }

    /// Writes a snapshot and starts a fresh journal. Audited before it runs.
    public func compactStore() throws -> FlatStore.CompactionReport {
        try change(.storeCompact, target: "store") { _ in ("compaction requested", ()) }
        do { return try store.compact() } catch { throw OpsError.from(error) }
    }

    public func storeStats() throws -> FlatStore.Stats {
        try authorize(.storeStats)
        return store.stats()
    }

    /// Looks for card-number-like digit runs in every file of the store.
    public func scanStore() throws -> [CardNumberFinding] {
        try authorize(.storeScan)
        var out: [CardNumberFinding] = []
        let root = URL(fileURLWithPath: storePath)
        guard let walker = FileManager.default.enumerator(atPath: storePath) else { return out }
        while let rel = walker.nextObject() as? String {
            let path = root.appendingPathComponent(rel).path
            guard let st = try? io.stat(path), !st.isDirectory, rel != FlatStore.lockName else { continue }
            guard let bytes = try? io.readWholeFile(path).bytes else { continue }
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
        return out.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
    }
}
