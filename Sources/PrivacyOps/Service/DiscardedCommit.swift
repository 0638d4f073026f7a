import Foundation

/// A line `store check --repair` discards, said in the service's terms: the commit's seq and,
/// from the audit event it carries, what was done to what by whom.
///
/// The backend hands over the lines; only this layer knows that each commit
/// carries one audit event and how to read it.
public struct DiscardedCommit: Sendable, Equatable, Encodable {
    /// The file's name in the store directory and the 1-based line.
    public var file: String
    public var line: Int
    /// The commit's seq, when the line reads as a commit.
    public var seq: UInt64?
    /// Whether the line passes its checksum; a damaged line's content is unverified.
    public var intact: Bool
    /// The line's length, its newline included.
    public var bytes: Int
    /// From the commit's audit event, when it carries one that can be read.
    public var auditSeq: Int?
    public var action: String?
    public var target: String?
    public var actor: String?
    public var realActor: String?
    /// `collection id` of every record the line writes or deletes.
    public var records: [String]

    enum CodingKeys: String, CodingKey {
        case file, line, seq, intact, bytes, action, target, actor, records
        case auditSeq = "audit_seq"
        case realActor = "real_actor"
    }

    /// A discarded line as a backend read it: its place, and the records it writes (`json`)
    /// or deletes (nil); the audit event among them (if any) gives action, target and actor.
    init(file: String, line: Int, seq: UInt64?, intact: Bool, bytes: Int,
         records: [(collection: String, id: String, json: [UInt8]?)]) {
        self.file = file
        self.line = line
        self.seq = seq
        self.intact = intact
        self.bytes = bytes
        self.records = records.map { "\($0.collection) \($0.id)" + ($0.json == nil ? " (deleted)" : "") }
        let event = records.lazy
            .filter { $0.collection == Collections.audit.name }
            .compactMap { r in r.json.flatMap { json in json.withUnsafeBytes { try? RecordCoding.decode(AuditEvent.self, $0, collection: r.collection, id: r.id) } } }
            .first
        if let event {
            auditSeq = event.seq
            action = event.action
            target = event.target
            actor = event.actor
            realActor = event.realActor
        }
    }

    /// One line for people, e.g. `journal.jsonl line 14: commit 13, customers.update C0000003 by sam`;
    /// every string from the data sanitised for a terminal.
    public var summary: String {
        var s = "\(file) line \(line): "
        if let seq { s += "commit \(seq)" } else if !records.isEmpty { s += "a record" } else { return s + "\(bytes) bytes that do not read as a commit" }
        if !intact { s += " (damaged: its content is unverified)" }
        if let action {
            s += ", " + TerminalText.sanitize(action) + " " + TerminalText.sanitize(target ?? "")
            s += " by " + TerminalText.sanitize(realActor.map { "\($0) as " } ?? "") + TerminalText.sanitize(actor ?? "?")
        }
        // The records it changed, less the service's own bookkeeping (audit trail, counters).
        let shown = records.filter { r in !Self.bookkeeping.contains { r.hasPrefix($0 + " ") } }
        if !shown.isEmpty {
            let more = shown.count > 3 ? " and \(shown.count - 3) more" : ""
            s += (action == nil ? ": " : "; changes ") + TerminalText.sanitize(shown.prefix(3).joined(separator: ", ")) + more
        }
        return s
    }
}

extension DiscardedCommit {
    static let bookkeeping = [Collections.audit.name, Collections.auditHead.name, Collections.counters.name]
}
