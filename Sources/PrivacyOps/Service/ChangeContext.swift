import Crypto
import Foundation

/// What a change is built from: the latest view under the writer lock, the transaction being
/// assembled, and ids handed out.
struct ChangeContext {
    let view: any StoreSnapshot
    let now: String
    let nowDate: Date
    let actor: String
    /// The user who really runs the change when acting as ``actor`` with `--as`; nil otherwise.
    let realActor: String?
    let role: Role
    var tx = StoreTransaction()
    var counters: [String: Counter] = [:]
    var caseId: String?
    /// The audit event's target when the change decides it (an add names the record it created);
    /// nil keeps the target given to ``PrivacyOps/change(_:target:caseId:bootstrap:_:)``.
    var target: String?

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
        let stamp = UTCStamp.format(unixSeconds: Int(date.timeIntervalSince1970))
        do {
            return try store.commit { view -> (StoreTransaction, T) in
                let role: Role = bootstrap ? .admin : try authorize(action, in: view)
                var ctx = ChangeContext(view: view, now: stamp, nowDate: date, actor: actor.name,
                                       realActor: actor.realName, role: role, caseId: caseId)
                let (detail, result) = try build(&ctx)
                // No detail: nothing to record, and nothing is written.
                guard let detail else { return (StoreTransaction(), result) }
                try ctx.flushCounters()
                try AuditChain.append(to: &ctx, action: action.rawValue, target: ctx.target ?? target, detail: detail)
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

    /// SHA-256 over `prev_hash` and the event's canonical bytes (``AuditCanonical``: every field
    /// but `hash`, `id` and `version`), in lower-case hex.
    public static func hash(of e: AuditEvent) -> String {
        var h = SHA256()
        h.update(data: Data(e.prevHash.utf8))
        h.update(data: AuditCanonical.bytes(of: e))
        return h.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func append(to ctx: inout ChangeContext, action: String, target: String, detail: String) throws {
        let head = try ctx.view.get(Collections.auditHead, id: AuditHead.recordID)
        let seq = (head?.seq ?? 0) + 1
        var event = AuditEvent(id: AuditEvent.recordID(seq: seq), version: 0, seq: seq, at: ctx.now, actor: ctx.actor,
                               realActor: ctx.realActor, role: ctx.role.rawValue, action: action, target: target, caseId: ctx.caseId,
                               detail: detail, prevHash: head?.hash ?? genesis, hash: "")
        event.changes = AuditChanges.of(ctx.tx, in: ctx.view)
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
        /// The anchors checked (all of them held when ``isIntact``).
        public var anchors: [AuditAnchor] = []
        public var isIntact: Bool { firstBadSeq == nil }
    }

    /// The last event's seq and hash, as the chain's head record holds them (seq 0 and
    /// ``genesis`` for an empty chain). Not verified: `audit verify` does that.
    static func head(_ view: any StoreSnapshot) throws -> AuditAnchor {
        guard let head = try view.get(Collections.auditHead, id: AuditHead.recordID) else {
            return AuditAnchor(seq: 0, hash: genesis)
        }
        return AuditAnchor(seq: head.seq, hash: head.hash)
    }

    /// Recomputes every hash and link, in seq order, and names the first broken `seq`; then
    /// checks that the chain still holds every anchor's event with the anchor's hash.
    ///
    /// An event or head that cannot be read as one is a broken link at its place, never an
    /// error that a caller could mistake for "nothing to verify".
    static func verify(_ view: any StoreSnapshot, anchors: [AuditAnchor] = []) throws -> Verification {
        var events: [AuditEvent] = []
        var unreadable: (position: Int, id: String, why: String)?
        view.forEachRaw(Collections.audit.name) { id, _, raw in
            do {
                events.append(try RecordCoding.decode(AuditEvent.self, raw, collection: Collections.audit.name, id: id))
                return true
            } catch {
                unreadable = (events.count, id, "\(error)")
                return false
            }
        }
        if let u = unreadable {
            // The events before it in stored order are checked first: an earlier break is named first.
            let before = verify(events: events, head: nil, anchors: [])
            if !before.isIntact { return Verification(events: events.count, firstBadSeq: before.firstBadSeq, problem: before.problem, anchors: anchors) }
            return Verification(events: events.count, firstBadSeq: u.position + 1,
                                problem: "event \(u.position + 1) (stored as \(u.id)) cannot be read as an audit event: it was altered after it was recorded",
                                anchors: anchors)
        }
        let head: AuditHead?
        do { head = try view.get(Collections.auditHead, id: AuditHead.recordID) } catch {
            return Verification(events: events.count, firstBadSeq: events.count + 1,
                                problem: "the chain's head record cannot be read: it was altered", anchors: anchors)
        }
        return verify(events: events, head: head, anchors: anchors)
    }

    /// Recomputes the links of `events`, then checks the head and the anchors.
    private static func verify(events: [AuditEvent], head: AuditHead?, anchors: [AuditAnchor]) -> Verification {
        var prev = genesis
        var expectSeq = 1
        func broken(_ seq: Int, _ problem: String) -> Verification {
            Verification(events: events.count, firstBadSeq: seq, problem: problem, anchors: anchors)
        }
        for e in events {
            if e.seq != expectSeq {
                return broken(min(e.seq, expectSeq), e.seq > expectSeq ? "event \(expectSeq) is missing" : "event \(e.seq) is out of order")
            }
            if e.id != AuditEvent.recordID(seq: e.seq) {
                return broken(e.seq, "event \(e.seq) is stored under id \(e.id)")
            }
            if e.prevHash != prev {
                return broken(e.seq, "event \(e.seq) does not link to event \(e.seq - 1)")
            }
            if hash(of: e) != e.hash {
                return broken(e.seq, "event \(e.seq) was altered after it was recorded")
            }
            prev = e.hash
            expectSeq += 1
        }
        if let head, head.seq != events.count || head.hash != prev {
            return broken(min(head.seq, events.count + 1),
                          "the chain ends at \(events.count) but its head says \(head.seq): events at the end were removed or altered")
        }
        // Events are in seq order from 1 (checked above): event k is events[k - 1].
        for a in anchors.sorted(by: { $0.seq < $1.seq }) {
            guard a.seq <= events.count else {
                return broken(events.count + 1, "the anchor \(a.seq):\(a.hash.prefix(12))… names event \(a.seq), but the chain ends at \(events.count): events were cut from its end since the anchor was taken")
            }
            let e = events[a.seq - 1]
            if e.hash != a.hash {
                return broken(a.seq, "event \(a.seq) has hash \(e.hash.prefix(12))…, not the anchor's \(a.hash.prefix(12))…: the chain was rewritten at or before event \(a.seq) since the anchor was taken")
            }
        }
        return Verification(events: events.count, firstBadSeq: nil, problem: nil, anchors: anchors)
    }
}
