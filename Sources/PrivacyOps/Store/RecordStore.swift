/// The store the service runs on: typed collections of records, consistent snapshots,
/// transactions with expected versions committed under one writer lock, refresh from a
/// position (`seq`), and health. The flat-file store is one backend (``FlatFileBackend``); a
/// server-backed one sits behind the same protocol (DESIGN.md §6b).
///
/// Only the service holds one: it authorises every commit and adds its audit event
/// (``PrivacyOps/change(_:target:caseId:bootstrap:_:)``).
protocol RecordStore: AnyObject, Sendable {
    /// Where the store is, for people (a directory, a URL).
    var location: String { get }

    /// The directory of the files that stay on this host whatever the backend: the opt-out
    /// inbox spool and the quarantine.
    var filesDirectory: String { get }

    /// A consistent view of everything committed that this instance has seen.
    func snapshot() -> any StoreSnapshot

    /// Why commits are refused (opened read-only, an earlier write failed); nil when they are not.
    var readOnlyReason: String? { get }

    /// Catches up with commits other processes made since the last look.
    func refresh() throws -> StoreChanges

    /// Commits the transaction `build` returns, built from the latest snapshot under the writer
    /// lock; an empty transaction writes nothing.
    ///
    /// - Returns: the commit's `seq` (unchanged when nothing was written) and `build`'s value.
    /// - Throws: ``StoreError`` (a conflict writes nothing), or whatever `build` throws.
    func commit<T>(_ build: (any StoreSnapshot) throws -> (StoreTransaction, T)) throws -> (seq: UInt64, value: T)

    /// Calls `listener` after every refresh or commit of this instance that changed something.
    /// Returns a token for ``removeChangeListener(_:)``.
    func addChangeListener(_ listener: @escaping @Sendable (StoreChanges) -> Void) -> Int
    func removeChangeListener(_ token: Int)

    /// Checks the storage, changing nothing; with `repair`, repairs what can be repaired,
    /// refusing when the store no longer matches `expecting` (the check that was shown).
    func check(repair: Bool, expecting: StoreCheckReport?) throws -> StoreCheckReport

    /// Rewrites the storage compactly.
    func compact() throws -> StoreCompaction

    /// Sizes and counts.
    func stats() -> StoreStats

    /// Whether this instance has heard of a commit it has not read yet, without asking the
    /// storage (false when it cannot tell: then only ``refresh()`` can).
    var hasNewerCommits: Bool { get }
}

extension RecordStore {
    var hasNewerCommits: Bool { false }
}
