import Crypto
import Foundation

/// What `store migrate --to` copied, and the proof that the copy is the store.
public struct StoreMigrationReport: Sendable, Encodable {
    public struct Collection: Sendable, Encodable, Equatable {
        public var name: String
        public var records: Int
    }

    /// Where the copy is (a directory, or a URL without its password).
    public var target: String
    public var collections: [Collection]
    public var records: Int
    /// The audit chain's head in the store copied, as of the copy (it includes the migration's
    /// own audit event) ...
    public var sourceHead: String
    /// ... and in the copy, read back from it after the copy was committed.
    public var targetHead: String
    /// Every record was read back from the copy and compared byte for byte with the store's.
    public var recordsCompared: Int
    /// `audit verify` on the copy.
    public var chainIntact: Bool
}

extension PrivacyOps {
    /// Copies the whole store into an empty store at `target` (a flat-file store's directory or
    /// a PostgreSQL URL; either way round), then proves the copy: every record read back and
    /// compared byte for byte with its version, and the same audit chain head, verified.
    ///
    /// The copy is audited in this store first (`store.migrate`, target without password), so
    /// the copy holds that event too. Messages files, the inbox spool and the quarantine are
    /// not copied: they stay on this host's file system (for a PostgreSQL target, under its
    /// URL's `files=`).
    ///
    /// - Throws: ``OpsError`` 65 when the target is this store or holds records already
    ///   (nothing is written to it), 77 for a role other than admin, or the target's own
    ///   failure (its commit is one transaction: nothing half-copied stays behind).
    /// SHA-256 over a collection's live records (id, version, bytes) in stored order.
    static func digest(_ view: any StoreSnapshot, _ collection: String) -> [UInt8] {
        var h = SHA256()
        view.forEachRaw(collection) { id, version, raw in
            h.update(data: Array("\(id)\u{0}\(version)\u{0}\(raw.count)\u{0}".utf8))
            h.update(bufferPointer: raw)
            return true
        }
        return Array(h.finalize())
    }

    public func migrateStore(to target: String, progress: (String) -> Void = { _ in }) throws -> StoreMigrationReport {
        try authorize(.storeMigrate)
        let shownTarget = StoreBackends.isPostgres(target) ? ((try? PostgresLocation(target))?.display ?? target) : target
        if target == storePath || shownTarget == storePath {
            throw OpsError.invalid(OpsProblem("the target is this store: name another directory or database", field: "--to"))
        }
        // The target: created when absent; an existing one must hold nothing yet.
        let out: any RecordStore
        do {
            if StoreBackends.exists(target, io: io) {
                out = try StoreBackends.open(target, readOnly: false, io: io)
                let names = out.snapshot().collectionNames()
                if !names.isEmpty {
                    throw OpsError.invalid(OpsProblem("\(shownTarget) already holds a store (\(names.joined(separator: ", "))): migrate only into an empty one", field: "--to"))
                }
            } else {
                out = try StoreBackends.create(target, io: io)
            }
        } catch let e as OpsError { throw e } catch { throw OpsError.from(error) }

        try change(.storeMigrate, target: shownTarget) { _ in ("copying the store to \(shownTarget)", ()) }
        let source = view()
        let names = source.collectionNames()
        var total = 0
        var collections: [StoreMigrationReport.Collection] = []
        do {
            _ = try out.commit { snap -> (StoreTransaction, Void) in
                guard snap.collectionNames().isEmpty else {
                    throw OpsError.invalid(OpsProblem("\(shownTarget) took records while the copy was prepared: nothing was copied", field: "--to"))
                }
                var tx = StoreTransaction()
                for name in names {
                    var n = 0
                    source.forEachRaw(name) { id, version, raw in
                        tx.restore(collection: name, id: id, version: version, json: Array(raw))
                        n += 1
                        return true
                    }
                    collections.append(.init(name: name, records: n))
                    total += n
                    progress("read \(name): \(n) record(s)")
                }
                progress("writing \(total) record(s) to \(shownTarget)")
                return (tx, ())
            }
        } catch let e as OpsError { throw e } catch { throw OpsError.from(error) }

        progress("comparing the copy with the store")
        _ = try? out.refresh()
        let copy = out.snapshot()
        var compared = 0
        for name in names {
            let want = source.count(name)
            let got = copy.count(name)
            guard want == got else {
                throw OpsError.failure("the copy holds \(got) \(name) record(s) instead of \(want): do not use it")
            }
            // Ids, versions and bytes in stored order, digested on both sides: equal digests
            // are equal records.
            guard Self.digest(source, name) == Self.digest(copy, name) else {
                throw OpsError.failure("the copy's \(name) records differ from the store's: do not use the copy")
            }
            compared += want
        }
        let headHere = try AuditChain.head(source)
        let headThere = try AuditChain.head(copy)
        let verified = try AuditChain.verify(copy)
        guard headHere == headThere, verified.isIntact else {
            throw OpsError.failure("the copy's audit chain head \(headThere) is not the store's \(headHere)\(verified.isIntact ? "" : " (\(verified.problem ?? "broken"))"): do not use the copy")
        }
        return StoreMigrationReport(target: shownTarget, collections: collections, records: total,
                                    sourceHead: headHere.description, targetHead: headThere.description,
                                    recordsCompared: compared, chainIntact: verified.isIntact)
    }
}
