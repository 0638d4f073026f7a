/// What a refresh or commit changed: record ids per collection, or everything after a reload.
public struct StoreChanges: Sendable, Equatable {
    /// The commits covered, exclusive of the first.
    public var fromSeq: UInt64
    public var toSeq: UInt64
    /// Ids changed per collection.
    public var changed: [String: Set<String>]
    /// True when the store was reloaded whole (after a compaction or repair by another process).
    public var reloaded: Bool

    public init(fromSeq: UInt64, toSeq: UInt64, changed: [String: Set<String>] = [:], reloaded: Bool = false) {
        self.fromSeq = fromSeq
        self.toSeq = toSeq
        self.changed = changed
        self.reloaded = reloaded
    }

    public var isEmpty: Bool { !reloaded && changed.isEmpty }

    /// Whether records of `collection` changed (always, after a reload).
    public func touches(_ collection: String) -> Bool { reloaded || changed[collection] != nil }
}
