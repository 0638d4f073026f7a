
/// One link of the audit chain: committed in the same transaction as the change it records.
public struct AuditEvent: Codable, Sendable, StoreRecord, Equatable {
    public var id: String
    public var version: Int
    public var seq: Int
    public var at: String
    /// Who the change is recorded for: the effective user (the one named with `--as`, if any).
    public var actor: String
    /// The user who really ran the command when it differs from ``actor`` (root acting with
    /// `--as`); nil otherwise. Covered by the hash only when present, so events recorded before
    /// it existed keep their hashes.
    public var realActor: String? = nil
    public var role: String
    public var action: String
    public var target: String
    public var caseId: String?
    public var detail: String
    /// Each changed field of each record the change wrote, before and after, as the audit may
    /// keep them (personal data masked: ``AuditValueRule``). Nil when the event changed no
    /// field of a record (a view, an export) or when it was recorded before the field existed;
    /// covered by the hash only when present, so those events keep their hashes.
    public var changes: [AuditChange]? = nil
    public var prevHash: String
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case id, version, seq, at, actor, role, action, target, detail, hash, changes
        case caseId = "case"
        case prevHash = "prev_hash"
        case realActor = "real_actor"
    }

    static func recordID(seq: Int) -> String { "A" + String(format: "%09d", seq) }

    /// The actor for people: `sam`, or `root as sam` when root acted as sam with `--as`.
    public var actorDescription: String { realActor.map { "\($0) as \(actor)" } ?? actor }
}

/// The head of the audit chain: the last event's seq and hash.
struct AuditHead: StoreRecord, Equatable {
    var id: String
    var version: Int
    var seq: Int
    var hash: String
    static let recordID = "audit-head"
}

/// The next number to hand out for each kind of record.
struct Counter: StoreRecord, Equatable {
    var id: String
    var version: Int
    var next: Int
}
