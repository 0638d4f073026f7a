/// What checking (or repairing) a store's storage found, whatever the backend.
public struct StoreCheckReport: Sendable {
    /// True when the store opens as it is (after a repair: as it is now).
    public var isHealthy: Bool
    /// The last intact commit (after a repair: the store's commit now).
    public var seq: UInt64
    /// Live records as of ``seq``.
    public var records: Int
    /// One line per problem found, naming where it is.
    public var problems: [String]
    /// What a repair discards (check) or discarded (repair), and where a copy is kept.
    public var discards: [String]
    /// What a repair discards or discarded, commit by commit, in the service's terms.
    public var discarded: [DiscardedCommit]
    /// The backend's own record of what it found, handed back to it when a repair must find
    /// the store exactly as this check found it. Opaque above the backend.
    let evidence: (any Sendable)?

    init(isHealthy: Bool, seq: UInt64, records: Int, problems: [String], discards: [String],
         discarded: [DiscardedCommit], evidence: (any Sendable)?) {
        self.isHealthy = isHealthy
        self.seq = seq
        self.records = records
        self.problems = problems
        self.discards = discards
        self.discarded = discarded
        self.evidence = evidence
    }
}

/// What a compaction did.
public struct StoreCompaction: Sendable, Equatable {
    /// The commit compacted up to.
    public var seq: UInt64
    public var records: Int
    /// What the backend did, in words (for the flat-file store: the snapshot and journal sizes).
    public var summary: String
}

/// Sizes and counts, for `store stats`.
public struct StoreStats: Sendable {
    public struct Collection: Sendable, Equatable {
        public var name: String
        public var records: Int
        public var bytes: Int
    }

    /// A fact about the backend's storage: a label and its text for people, and numbers under
    /// stable keys for JSON.
    public struct Fact: Sendable, Equatable {
        public var label: String
        public var text: String
        public var numbers: [(key: String, value: Int64)]

        public static func == (a: Fact, b: Fact) -> Bool {
            a.label == b.label && a.text == b.text && a.numbers.elementsEqual(b.numbers, by: { $0 == $1 })
        }
    }

    public var seq: UInt64
    public var collections: [Collection]
    /// What kind of store this is, e.g. "flat files".
    public var backend: String
    public var facts: [Fact]
    /// Why commits are refused, if they are.
    public var readOnly: String?
}
