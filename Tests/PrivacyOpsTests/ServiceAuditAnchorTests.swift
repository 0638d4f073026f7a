import Foundation
import Testing

@testable import FlatStore
@testable import PrivacyOps

/// Acting with `--as` records both users; anchors (`audit head`, `audit verify --anchor`) show
/// what the chain alone cannot: events cut from its end, or a chain rewritten and re-hashed from
/// some event on.
@Suite struct ServiceAuditAnchorTests {
    @Test(.flatStoreOnly) func actingAsAnotherUserRecordsTheRealOneToo() throws {
        let w = try ServiceWorld()
        let asSam = try ServiceWorld.rootActor.acting(as: "sam")
        #expect(asSam.name == "sam" && asSam.realName == "root" && !asSam.isRoot)
        let ops = try PrivacyOps.open(at: w.storePath, actor: asSam, clock: w.clock.function)
        let c = try ops.addCustomer(CustomerInput(name: "Acted For", email: "acted@example.com"))
        let e = try #require(w.lastAudit)
        #expect(e.action == Action.customersAdd.rawValue, "\(e.action) \(c.id)")
        #expect(e.actor == "sam")
        #expect(e.realActor == "root")
        #expect(e.role == "support", "the effective user's role applies")
        #expect(e.actorDescription == "root as sam")
        // Stored and read back under its own key.
        let raw = String(decoding: try #require(w.root.view().rawJSON("audit", id: e.id)), as: UTF8.self)
        #expect(raw.contains(#""real_actor":"root""#), "\(raw)")

        // Without --as (or --as oneself) nothing extra is recorded.
        _ = try w.open(.support).addCustomer(CustomerInput(name: "Plain", email: "plain@example.com"))
        #expect(w.lastAudit?.realActor == nil)
        #expect(try ServiceWorld.rootActor.acting(as: "root").realName == nil)
        let plainID = try #require(w.lastAudit).id
        let rawPlain = String(decoding: try #require(w.root.view().rawJSON("audit", id: plainID)), as: UTF8.self)
        #expect(!rawPlain.contains("real_actor"))

        // Both kinds of event chain and verify together.
        #expect(try w.open(.auditor).verifyAudit().isIntact)
        // Tampering with who really acted is caught like any other edit.
        var forged = e
        forged.realActor = nil
        var tx = StoreTransaction()
        tx.putRaw(collection: "audit", id: e.id, expected: w.root.view().version("audit", id: e.id),
                      json: [UInt8](try JSONEncoder().encode(forged)))
        try w.root.commitBelowService(tx)
        try w.root.refresh()
        #expect(try w.open(.auditor).verifyAudit().firstBadSeq == e.seq)
    }

    @Test func anchorsParseOnlyAsSeqColonHash() throws {
        let h = String(repeating: "ab", count: 32)
        #expect(try AuditAnchor(parsing: "12:\(h)") == AuditAnchor(seq: 12, hash: h))
        #expect(try AuditAnchor(parsing: "12:\(h.uppercased())").hash == h)
        for bad in ["", "12", "12:", ":\(h)", "0:\(h)", "-1:\(h)", "x:\(h)", "12:\(h)0", "12:\(h.dropLast())", "12:\(h.dropLast())g", "12:\(h):1"] {
            #expect(serviceExitCode { try AuditAnchor(parsing: bad) } == 64, "\(bad)")
        }
    }

    @Test func headAnchorsTheChain() throws {
        let w = try ServiceWorld()
        for k in 0..<3 { try w.addCustomer("Anchor \(k)", email: "anchor\(k)@example.com") }
        let aud = try w.open(.auditor)
        let head = try aud.auditHead()
        let last = try #require(w.lastAudit)
        #expect(head == AuditAnchor(seq: last.seq, hash: last.hash))
        #expect(try aud.verifyAudit(anchors: [head]).isIntact)
        // Older anchors keep holding as the chain grows.
        try w.addCustomer("Later", email: "later@example.com")
        try aud.refresh()
        let first = try #require(try w.root.view().get(Collections.audit, id: AuditEvent.recordID(seq: 1)))
        let v = try aud.verifyAudit(anchors: [head, AuditAnchor(seq: 1, hash: first.hash)])
        #expect(v.isIntact, "\(String(describing: v.problem))")
        // Support may not read the head (auditors and admins verify).
        #expect(serviceExitCode { try w.open(.support).auditHead() } == 77)
        // An anchor beyond the chain, or with another hash, fails naming the seq.
        let beyond = try aud.verifyAudit(anchors: [AuditAnchor(seq: head.seq + 5, hash: head.hash)])
        #expect(beyond.firstBadSeq == head.seq + 2, "\(String(describing: beyond.problem))")
        #expect(beyond.problem?.contains("ends at \(head.seq + 1)") == true, "\(String(describing: beyond.problem))")
        let other = try aud.verifyAudit(anchors: [AuditAnchor(seq: head.seq, hash: String(repeating: "0", count: 64))])
        #expect(other.firstBadSeq == head.seq)
    }

    /// Someone who can write the store rewrites event 3 and re-hashes every event after it (and
    /// the head): the chain alone verifies, an anchor taken before does not.
    @Test(.flatStoreOnly) func rewrittenAndRehashedChainFailsItsAnchor() throws {
        let w = try ServiceWorld()
        for k in 0..<4 { try w.addCustomer("Rewrite \(k)", email: "rewrite\(k)@example.com") }
        let aud = try w.open(.auditor)
        let anchor = try aud.auditHead()
        let v0 = w.root.view()
        var events = try v0.all(Collections.audit)
        var tx = StoreTransaction()
        var prev = events[1].hash
        for k in 2..<events.count {
            if k == 2 { events[k].detail = "nothing to see" }
            events[k].prevHash = prev
            events[k].hash = AuditChain.hash(of: events[k])
            prev = events[k].hash
            tx.putRaw(collection: "audit", id: events[k].id, expected: v0.version("audit", id: events[k].id),
                          json: [UInt8](try JSONEncoder().encode(events[k])))
        }
        let head = AuditHead(id: AuditHead.recordID, version: 0, seq: events.count, hash: prev)
        tx.putRaw(collection: "meta", id: AuditHead.recordID, expected: v0.version("meta", id: AuditHead.recordID),
                      json: [UInt8](try JSONEncoder().encode(head)))
        try w.root.commitBelowService(tx)
        try aud.refresh()
        #expect(try aud.verifyAudit().isIntact, "the rewrite is sound on its own")
        let v = try aud.verifyAudit(anchors: [anchor])
        #expect(v.firstBadSeq == anchor.seq)
        #expect(v.problem?.contains("rewritten") == true, "\(String(describing: v.problem))")
    }
}

/// The service's reading of the lines a repair discards.
@Suite struct DiscardedCommitTests {
    @Test func auditEventGivesActionTargetAndBothActors() throws {
        let event = AuditEvent(id: "A000000009", version: 1, seq: 9, at: "2026-03-02T09:00:00Z", actor: "sam", realActor: "root",
                               role: "support", action: "customers.update", target: "C0000009", caseId: nil,
                               detail: "name \u{1B}[31m", prevHash: AuditChain.genesis, hash: "")
        let json = [UInt8](try JSONEncoder().encode(event))
        let line = DiscardedLine(file: "journal.jsonl", line: 12, length: 400, intact: true, seq: 11, records: [
            .init(collection: "customers", id: "C0000009", version: 3, json: Array(#"{"id":"C0000009"}"#.utf8)),
            .init(collection: "audit", id: "A000000009", version: 1, json: json),
            .init(collection: "meta", id: "audit-head", version: 9, json: Array("{}".utf8)),
        ])
        let c = FlatFileBackend.discardedCommit(line)
        #expect(c.seq == 11 && c.auditSeq == 9 && c.action == "customers.update" && c.target == "C0000009")
        #expect(c.actor == "sam" && c.realActor == "root")
        #expect(c.summary == "journal.jsonl line 12: commit 11, customers.update C0000009 by root as sam; changes customers C0000009")

        // Damaged and unreadable lines say so; nothing from the data reaches a terminal raw.
        var damaged = line
        damaged.intact = false
        damaged.records[0].id = "C\u{1B}[2J"
        #expect(FlatFileBackend.discardedCommit(damaged).summary.contains("commit 11 (damaged: its content is unverified)"))
        #expect(!FlatFileBackend.discardedCommit(damaged).summary.contains("\u{1B}"))
        let torn = DiscardedLine(file: "journal.jsonl", line: 13, length: 17, intact: false, seq: nil, records: [])
        #expect(FlatFileBackend.discardedCommit(torn).summary == "journal.jsonl line 13: 17 bytes that do not read as a commit")
    }
}
