import Crypto
import FlatStore
import Foundation

/// What a change is built from: the latest view under the writer lock, the transaction being
/// assembled, and ids handed out.
struct ChangeContext {
    let view: StoreView
    let now: String
    let nowDate: Date
    let actor: String
    let role: Role
    var tx = Transaction()
    var counters: [String: Counter] = [:]
    var caseId: String?

    /// Hands out the next id of a kind, e.g. `C0000001`.
    mutating func nextID(_ kind: String, prefix: String, width: Int) throws -> String {
        var c = try counters[kind] ?? view.get(Collections.counters, id: kind) ?? Counter(id: kind, version: 0, next: 1)
        let n = c.next
        c.next += 1
        counters[kind] = c
        let digits = String(n)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    mutating func flushCounters() throws {
        for (_, c) in counters.sorted(by: { $0.key < $1.key }) {
            let expected = view.version(Collections.counters, id: c.id)
            if expected == 0 { try tx.insert(c, into: Collections.counters) } else {
                try tx.update(c, in: Collections.counters, expecting: expected)
            }
        }
        counters = [:]
    }
}

extension PrivacyOps {
    /// Authorises `action`, builds the change from the latest state under the writer lock, adds
    /// its one audit event and commits both in one transaction.
    ///
    /// `build` returns the audit detail and a result; a nil detail means no change at all.
    /// `bootstrap` skips the role check (init).
    @discardableResult
    func change<T>(_ action: Action, target: String, caseId: String? = nil, bootstrap: Bool = false,
                   _ build: (inout ChangeContext) throws -> (detail: String?, result: T)) throws -> T {
        let date = now
        let stamp = Timestamp.format(unixSeconds: Int(date.timeIntervalSince1970))
        do {
            return try store.commit { view -> (Transaction, T) in
                let role: Role = bootstrap ? .admin : try authorize(action, in: view)
                var ctx = ChangeContext(view: view, now: stamp, nowDate: date, actor: actor.name, role: role, caseId: caseId)
                let (detail, result) = try build(&ctx)
                // No detail: nothing to record, and nothing is written.
                guard let detail else { return (Transaction(), result) }
                try ctx.flushCounters()
                try AuditChain.append(to: &ctx, action: action.rawValue, target: target, detail: detail)
                return (ctx.tx, result)
            }.value
        } catch {
            throw OpsError.from(error)
        }
    }
}

/// The audit chain: each event hashes the previous event's hash with its own canonical bytes.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    struct Canonical: Encodable {
        var seq: Int
        var at: String
        var actor: String
        var role: String
        var action: String
        var target: String
        var `case`: String?
        var detail: String
        var prev_hash: String
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// SHA-256 over `prev_hash` and the event's canonical bytes (sorted-key JSON of every field
    /// but `hash`, `id` and `version`), in lower-case hex.
    public static func hash(of e: AuditEvent) -> String {
        let c = Canonical(seq: e.seq, at: e.at, actor: e.actor, role: e.role, action: e.action, target: e.target,
                          case: e.caseId, detail: e.detail, prev_hash: e.prevHash)
        let body = (try? encoder.encode(c)) ?? Data()
        var h = SHA256()
        h.update(data: Data(e.prevHash.utf8))
        h.update(data: body)
        return h.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func append(to ctx: inout ChangeContext, action: String, target: String, detail: String) throws {
        let head = try ctx.view.get(Collections.auditHead, id: AuditHead.recordID)
        let seq = (head?.seq ?? 0) + 1
        var event = AuditEvent(id: AuditEvent.recordID(seq: seq), version: 0, seq: seq, at: ctx.now, actor: ctx.actor,
                               role: ctx.role.rawValue, action: action, target: target, caseId: ctx.caseId,
                               detail: detail, prevHash: head?.hash ?? genesis, hash: "")
        event.hash = hash(of: event)
        try ctx.tx.insert(event, into: Collections.audit)
        let newHead = AuditHead(id: AuditHead.recordID, version: 0, seq: seq, hash: event.hash)
        if let head { try ctx.tx.update(newHead, in: Collections.auditHead, expecting: head.version) } else {
            try ctx.tx.insert(newHead, into: Collections.auditHead)
        }
    }

    /// The result of recomputing the chain.
    public struct Verification: Sendable, Equatable {
        public var events: Int
        /// The first seq that does not verify, and why; nil when the chain is whole.
        public var firstBadSeq: Int?
        public var problem: String?
        public var isIntact: Bool { firstBadSeq == nil }
    }

    /// Recomputes every hash and link, in seq order, and names the first broken `seq`.
    public static func verify(_ view: StoreView) throws -> Verification {
        let events = try view.all(Collections.audit)
        var prev = genesis
        var expectSeq = 1
        for (k, e) in events.enumerated() {
            if e.seq != expectSeq {
                let bad = min(e.seq, expectSeq)
                return Verification(events: events.count, firstBadSeq: bad,
                                    problem: e.seq > expectSeq ? "event \(expectSeq) is missing" : "event \(e.seq) is out of order")
            }
            if e.id != AuditEvent.recordID(seq: e.seq) {
                return Verification(events: events.count, firstBadSeq: e.seq, problem: "event \(e.seq) is stored under id \(e.id)")
            }
            if e.prevHash != prev {
                return Verification(events: events.count, firstBadSeq: e.seq, problem: "event \(e.seq) does not link to event \(e.seq - 1)")
            }
            if hash(of: e) != e.hash {
                return Verification(events: events.count, firstBadSeq: e.seq, problem: "event \(e.seq) was altered after it was recorded")
            }
            prev = e.hash
            expectSeq += 1
            _ = k
        }
        let head = try view.get(Collections.auditHead, id: AuditHead.recordID)
        if let head, head.seq != events.count || head.hash != prev {
            let bad = min(head.seq, events.count + 1)
            return Verification(events: events.count, firstBadSeq: bad,
                                problem: "the chain ends at \(events.count) but its head says \(head.seq): events at the end were removed or altered")
        }
        return Verification(events: events.count, firstBadSeq: nil, problem: nil)
    }
}
