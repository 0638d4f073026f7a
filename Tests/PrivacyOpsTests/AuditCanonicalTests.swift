import Foundation
import Testing

@testable import PrivacyOps

/// DESIGN.md §4: the audit hash covers canonical bytes the project owns, pinned by fixed events
/// and their known hashes. The first three vectors were hashed by the implementation the first
/// stores were written with (Foundation's JSONEncoder with sorted keys), so a store written
/// before the serialisation became the project's own still verifies.
@Suite struct AuditCanonicalTests {
    static let genesis = String(repeating: "0", count: 64)
    /// Every escape class of the rule: quote, backslash, slash, the five short escapes, other
    /// controls, DEL, Latin, CJK, an emoji, U+2028, a BOM and NUL.
    static let tricky = "quote \" backslash \\ slash / nl \n tab \t cr \r bs \u{8} ff \u{C} c1 \u{1} c31 \u{1F} del \u{7F} é 客户 🎉 ls \u{2028} bom \u{FEFF} nul \u{0}"

    struct Vector {
        var event: AuditEvent
        var canonicalHex: String?
        var hash: String
    }

    static let vectors: [Vector] = [
        Vector(event: AuditEvent(id: "A000000001", version: 1, seq: 1, at: "2026-03-02T09:00:00Z", actor: "root", role: "admin",
                                 action: "store.init", target: "root", caseId: nil, detail: "store created; root is admin",
                                 prevHash: genesis, hash: ""),
               canonicalHex: "7b22616374696f6e223a2273746f72652e696e6974222c226163746f72223a22726f6f74222c226174223a22323032362d30332d30325430393a30303a30305a222c2264657461696c223a2273746f726520637265617465643b20726f6f742069732061646d696e222c22707265765f68617368223a2230303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030222c22726f6c65223a2261646d696e222c22736571223a312c22746172676574223a22726f6f74227d",
               hash: "56e69b4506277aeeb67a70d09954a76a3d5fe343c90c27cc997ca77117495c00"),
        Vector(event: AuditEvent(id: "A000000002", version: 1, seq: 2, at: "2026-03-02T09:01:00Z", actor: "mo", role: "moderator",
                                 action: "comms.view", target: "M0000014", caseId: "R000003", detail: tricky,
                                 prevHash: "5f" + String(repeating: "a", count: 62), hash: ""),
               canonicalHex: "7b22616374696f6e223a22636f6d6d732e76696577222c226163746f72223a226d6f222c226174223a22323032362d30332d30325430393a30313a30305a222c2263617365223a2252303030303033222c2264657461696c223a2271756f7465205c22206261636b736c617368205c5c20736c617368202f206e6c205c6e20746162205c74206372205c72206273205c62206666205c66206331205c753030303120633331205c75303031662064656c207f20c3a920e5aea2e688b720f09f8e89206c7320e280a820626f6d20efbbbf206e756c205c7530303030222c22707265765f68617368223a2235666161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161222c22726f6c65223a226d6f64657261746f72222c22736571223a322c22746172676574223a224d30303030303134227d",
               hash: "fa32f748ca39cca7c16998eaf1768bed8283be4cf6623db8eda67f81bff1c385"),
        // An empty case is kept (only a nil case is left out); an empty detail; a slash unescaped.
        Vector(event: AuditEvent(id: "A000001234", version: 1, seq: 1234, at: "2026-12-31T23:59:59Z", actor: "sam.o-k_1", role: "support",
                                 action: "customers.update", target: "C0000003/x", caseId: "", detail: "",
                                 prevHash: String(repeating: "f", count: 64), hash: ""),
               canonicalHex: nil,
               hash: "40629e42bf52621176bf2a8dff2076f1387d9b17a77a6ddd7a5deba9906049c0"),
        // real_actor (root acting as sam): between prev_hash and role. Hash computed outside
        // Swift (Python's hashlib over the bytes the rule gives).
        Vector(event: AuditEvent(id: "A000000007", version: 1, seq: 7, at: "2026-03-02T09:05:00Z", actor: "sam", realActor: "root",
                                 role: "support", action: "customers.update", target: "C0000003", caseId: "O000001",
                                 detail: "phone changed", prevHash: String(repeating: "ab", count: 32), hash: ""),
               canonicalHex: nil,
               hash: "bfae26daee2a1881e64d001bb9fd1c9c83f06d86e25409b20f51c4db24be9191"),
        // changes (before and after per field): between case and detail; within each change the
        // keys after, before, field, record, a nil before or after left out; escapes as
        // everywhere. Hash computed outside Swift (Python's hashlib over the bytes the rule gives).
        Vector(event: AuditEvent(id: "A000000008", version: 1, seq: 8, at: "2026-03-02T09:06:00Z", actor: "sam", role: "support",
                                 action: "customers.update", target: "C0000003", caseId: nil,
                                 detail: "changed address, phone, status; status active -> suspended",
                                 changes: [AuditChange(record: "C0000003", field: "address", before: "1… (24 chars)", after: "Z… (18 chars)"),
                                           AuditChange(record: "C0000003", field: "phone", before: nil, after: "…4567"),
                                           AuditChange(record: "C0000003", field: "status", before: "active", after: "suspended"),
                                           AuditChange(record: "C0000003", field: "services", before: #"mail, "web"\x"#, after: nil)],
                                 prevHash: String(repeating: "cd", count: 32), hash: ""),
               canonicalHex: "7b22616374696f6e223a22637573746f6d6572732e757064617465222c226163746f72223a2273616d222c226174223a22323032362d30332d30325430393a30363a30305a222c226368616e676573223a5b7b226166746572223a225ae280a62028313820636861727329222c226265666f7265223a2231e280a62028323420636861727329222c226669656c64223a2261646472657373222c227265636f7264223a224330303030303033227d2c7b226166746572223a22e280a634353637222c226669656c64223a2270686f6e65222c227265636f7264223a224330303030303033227d2c7b226166746572223a2273757370656e646564222c226265666f7265223a22616374697665222c226669656c64223a22737461747573222c227265636f7264223a224330303030303033227d2c7b226265666f7265223a226d61696c2c205c227765625c225c5c78222c226669656c64223a227365727669636573222c227265636f7264223a224330303030303033227d5d2c2264657461696c223a226368616e67656420616464726573732c2070686f6e652c207374617475733b2073746174757320616374697665202d3e2073757370656e646564222c22707265765f68617368223a2263646364636463646364636463646364636463646364636463646364636463646364636463646364636463646364636463646364636463646364636463646364222c22726f6c65223a22737570706f7274222c22736571223a382c22746172676574223a224330303030303033227d",
               hash: "e1f88990519039a419239d62a893b8668122ec36b598e6b9f624573b5cd3e9b0"),
        // An empty list of changes is kept as [] (only nil is left out), with case and real_actor.
        Vector(event: AuditEvent(id: "A000000009", version: 1, seq: 9, at: "2026-03-02T09:07:00Z", actor: "sam", realActor: "root",
                                 role: "support", action: "customers.add", target: "C0000009", caseId: "O000001",
                                 detail: "added C0000009", changes: [], prevHash: String(repeating: "ef", count: 32), hash: ""),
               canonicalHex: nil,
               hash: "08525e9450dd29b725c4e9e0bcac7a36129c7571eacb88444ec2d3afabeede74"),
    ]

    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    @Test(arguments: 0..<6)
    func knownHashes(_ k: Int) {
        let v = Self.vectors[k]
        if let want = v.canonicalHex {
            #expect(Self.hex(AuditCanonical.bytes(of: v.event)) == want)
        }
        #expect(AuditChain.hash(of: v.event) == v.hash)
    }

    @Test func realActorBytesAreWhereTheRuleSays() {
        let e = Self.vectors[3].event
        let text = String(decoding: AuditCanonical.bytes(of: e), as: UTF8.self)
        #expect(text == #"{"action":"customers.update","actor":"sam","at":"2026-03-02T09:05:00Z","case":"O000001","detail":"phone changed","prev_hash":"\#(String(repeating: "ab", count: 32))","real_actor":"root","role":"support","seq":7,"target":"C0000003"}"#)
    }

    /// An event without changes has exactly the bytes it had before the field existed: no
    /// `changes` key at all, so every event recorded earlier still verifies.
    @Test func changesAreLeftOutWhenNil() {
        for v in Self.vectors.prefix(4) {
            #expect(v.event.changes == nil)
            #expect(!String(decoding: AuditCanonical.bytes(of: v.event), as: UTF8.self).contains("changes"))
        }
        let text = String(decoding: AuditCanonical.bytes(of: Self.vectors[5].event), as: UTF8.self)
        #expect(text.contains(#""case":"O000001","changes":[],"detail":"#))
    }

    /// Each part of a change counts: its record, field, before and after, and their order.
    @Test func everyPartOfAChangeCounts() {
        let base = Self.vectors[4].event
        let h = AuditChain.hash(of: base)
        let edits: [(String, (inout AuditEvent) -> Void)] = [
            ("record", { $0.changes![0].record = "C0000004" }), ("field", { $0.changes![0].field = "name" }),
            ("before", { $0.changes![2].before = "closed" }), ("after", { $0.changes![2].after = "closed" }),
            ("before nil", { $0.changes![0].before = nil }), ("after nil", { $0.changes![0].after = nil }),
            ("after empty", { $0.changes![3].after = "" }), ("order", { $0.changes!.swapAt(0, 1) }),
            ("one less", { $0.changes!.removeLast() }), ("empty", { $0.changes = [] }), ("nil", { $0.changes = nil }),
        ]
        for (name, edit) in edits {
            var x = base
            edit(&x)
            #expect(AuditChain.hash(of: x) != h, "\(name)")
        }
    }

    /// The fields that are not hashed (id, version, hash) change nothing; every hashed field does.
    @Test func everyHashedFieldCountsAndNoOtherDoes() {
        let base = Self.vectors[1].event
        let h = AuditChain.hash(of: base)
        var e = base
        e.id = "A999999999"
        e.version = 42
        e.hash = "x"
        #expect(AuditChain.hash(of: e) == h)
        let edits: [(String, (inout AuditEvent) -> Void)] = [
            ("seq", { $0.seq += 1 }), ("at", { $0.at = "2026-03-02T09:01:01Z" }), ("actor", { $0.actor = "mo2" }),
            ("real_actor", { $0.realActor = "root" }), ("role", { $0.role = "admin" }), ("action", { $0.action = "comms.list" }),
            ("target", { $0.target = "M0000015" }), ("case nil", { $0.caseId = nil }), ("case empty", { $0.caseId = "" }),
            ("detail", { $0.detail += " " }), ("prev_hash", { $0.prevHash = Self.genesis }),
        ]
        for (name, edit) in edits {
            var x = base
            edit(&x)
            #expect(AuditChain.hash(of: x) != h, "\(name)")
        }
    }

    /// Bytes no escape may produce ambiguously: each string's bytes are decodable JSON giving the
    /// string back, for every scalar up to U+07FF and some beyond (seeded).
    @Test func canonicalBytesAreJSONThatDecodesToTheEvent() throws {
        var scalars = (0..<0x800).compactMap(Unicode.Scalar.init)
        scalars += [0xFFFD, 0xFEFF, 0x2028, 0x2029, 0x1F389, 0x10FFFF].compactMap(Unicode.Scalar.init)
        var all = ""
        for s in scalars { all.unicodeScalars.append(s) }
        var e = Self.vectors[3].event
        e.detail = all
        e.target = "\u{0}\"\\/"
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(AuditCanonical.bytes(of: e))) as? [String: Any])
        #expect(obj["detail"] as? String == all)
        #expect(obj["target"] as? String == e.target)
        #expect(obj["real_actor"] as? String == "root")
        #expect(obj["seq"] as? Int == 7)
        #expect(obj.count == 10)
        // With changes: the array decodes to the changes, nil parts absent.
        var c = Self.vectors[4].event
        c.changes?[0].after = all
        let withChanges = try #require(try JSONSerialization.jsonObject(with: Data(AuditCanonical.bytes(of: c))) as? [String: Any])
        let list = try #require(withChanges["changes"] as? [[String: String]])
        #expect(list.count == 4 && list[0]["after"] == all && list[0]["field"] == "address" && list[1]["before"] == nil)
        #expect(list[3] == ["before": #"mail, "web"\x"#, "field": "services", "record": "C0000003"])
    }
}
