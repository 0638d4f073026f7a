import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The journal and the audit trail attacked through the files, as someone with write access to
/// the store (or a disk) would: an edited last line, a removed final newline, a forged commit
/// with a recomputed checksum, a journal cut at a line boundary; and what the operator sees:
/// `store check --repair` listing every commit before it discards anything, `--as` recorded.
@Suite("Journal and audit trail")
struct JournalAndAuditTests {
    // MARK: Helpers

    /// A store with a few customers; returns the sandbox.
    static func store(_ label: String, customers: Int = 4) throws -> Sandbox {
        let sb = try Sandbox(label)
        try sb.initStore()
        try sb.ok(["users", "grant", "sam", "support"])
        try sb.ok(["users", "grant", "aud", "auditor"])
        for k in 0..<customers {
            try sb.addCustomer(name: "Journal \(k)", email: "journal\(k)@example.com")
        }
        return sb
    }

    static func journal(_ sb: Sandbox) -> String { sb.store + "/journal.jsonl" }

    static func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func write(_ path: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The journal's lines, each with its newline.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            out.append(Array(bytes[start...i]))
            start = i + 1
        }
        if start < bytes.count { out.append(Array(bytes[start...])) }
        return out
    }

    /// CRC-32C as anyone can compute it (no lgadmin code): the salt is in the journal's header.
    static func crc32c(_ crc: UInt32, _ bytes: [UInt8]) -> UInt32 {
        var c = ~crc
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c >> 1) ^ (0x82F6_3B78 & (0 &- (c & 1))) }
        }
        return ~c
    }

    /// Re-seals a line (without newline) after editing its content: what a forger does.
    static func reseal(_ line: [UInt8], salt: UInt32) -> [UInt8] {
        let text = String(decoding: line, as: UTF8.self)
        guard let r = text.range(of: #","crc":""#, options: .backwards) else { return line }
        let prefix = Array(text[..<r.lowerBound].utf8)
        let saltBytes: [UInt8] = [UInt8(salt >> 24), UInt8(salt >> 16 & 0xFF), UInt8(salt >> 8 & 0xFF), UInt8(salt & 0xFF)]
        let crc = crc32c(crc32c(0, saltBytes), prefix)
        return prefix + Array(#","crc":"\#(String(format: "%08x", crc))"}"#.utf8) + [0x0A]
    }

    static func salt(_ journal: [UInt8]) throws -> UInt32 {
        let header = String(decoding: lines(journal)[0], as: UTF8.self)
        let r = try #require(header.range(of: #""salt":""#))
        return try #require(UInt32(header[r.upperBound...].prefix(8), radix: 16))
    }

    // MARK: 1. A complete last line that fails its checksum is damage

    @Test func editedLastLineIsDamage() throws {
        let sb = try Self.store("edited-last")
        defer { sb.cleanUp() }
        let path = Self.journal(sb)
        let before = try Self.read(path)
        let ls = Self.lines(before)
        let lastNo = ls.count
        // One letter of the last commit's audit detail (or any string in it) changed.
        var last = ls[lastNo - 1]
        let text = String(decoding: last, as: UTF8.self)
        let at = try #require(text.range(of: "Journal 3")).lowerBound
        let p = text.utf8.distance(from: text.startIndex, to: at)
        last[p] = UInt8(ascii: "X")
        let edited = Array(ls.dropLast().joined()) + last
        try Self.write(path, edited)

        for args in [["customers", "list"], ["audit", "verify"], ["audit", "list", "--json"]] {
            let r = try sb.fails(1, args)
            #expect(r.err.contains("journal.jsonl line \(lastNo)"), "\(r)")
        }
        let check = try sb.run(["store", "check"])
        #expect(check.status == 1, "\(check)")
        #expect(check.out.contains("journal.jsonl line \(lastNo)"), "\(check)")
        #expect(check.out.contains("not an interrupted write"), "\(check)")
        // Nothing was cut or set aside by any of it.
        #expect(try Self.read(path) == edited)
        #expect(!fileExists(path + ".broken"))

        // --repair without a terminal is a dry run: it lists the commit (from its audit event,
        // unverified) and changes nothing.
        let dry = try sb.run(["store", "check", "--repair"])
        #expect(dry.status == 1, "\(dry)")
        #expect(dry.out.contains("repair would discard: journal.jsonl from line \(lastNo)"), "\(dry)")
        #expect(dry.out.contains("journal.jsonl line \(lastNo): commit \(lastNo - 1) (damaged: its content is unverified), customers.add"), "\(dry)")
        #expect(dry.out.contains("by root; changes customers C0000004"), "\(dry)")
        #expect(dry.out.contains("nothing was changed"), "\(dry)")
        #expect(try Self.read(path) == edited)
        #expect(!fileExists(path + ".broken"))
        let dryJSON = try sb.run(["store", "check", "--repair", "--json"])
        let commits = try #require(try dryJSON.jsonObject()["discarded_commits"] as? [[String: Any]], "\(dryJSON)")
        #expect(commits.count == 1)
        #expect(commits.first?["seq"] as? Int == lastNo - 1)
        #expect(commits.first?["action"] as? String == "customers.add")
        #expect(commits.first?["actor"] as? String == "root")
        #expect(commits.first?["intact"] as? Bool == false)
        #expect(try Self.read(path) == edited)

        // Confirmed: discarded, kept in .broken, and the store works again.
        let fixed = try sb.run(["store", "check", "--repair", "--yes"])
        #expect(fixed.status == 0, "\(fixed)")
        #expect(fixed.out.contains("discarded: journal.jsonl from line \(lastNo)"), "\(fixed)")
        #expect(try Self.read(path + ".broken") == last)
        #expect(try Self.read(path) == Array(ls.dropLast().joined()))
        let list = try sb.ok(["customers", "list", "--json"]).jsonArray()
        #expect(list.count == 3)
        try sb.auditVerifies()
        try sb.storeChecks()
    }

    @Test func lastLineWithoutItsNewlineIsATornTail() throws {
        let sb = try Self.store("torn-last")
        defer { sb.cleanUp() }
        let path = Self.journal(sb)
        let before = try Self.read(path)
        let ls = Self.lines(before)
        try Self.write(path, Array(before.dropLast()))
        // A read-only look reports it and changes nothing; a writer's open cuts it.
        let look = try sb.run(["store", "check"])
        #expect(look.status == 0, "\(look)")
        #expect(look.out.contains("torn tail"), "\(look)")
        try sb.addCustomer(name: "After", email: "after@example.com")
        #expect(try Self.read(path + ".broken") == Array(ls[ls.count - 1].dropLast()))
        let names = try sb.ok(["customers", "list", "--json"]).jsonArray().compactMap { str($0, "name") }
        #expect(names == ["Journal 0", "Journal 1", "Journal 2", "After"])
        try sb.auditVerifies()
        try sb.storeChecks()
    }

    /// Someone who can write the journal appends a commit and recomputes its checksum (the salt
    /// is in the header): the engine takes the line, the audit chain does not.
    @Test func forgedCommitIsNamedByAuditVerify() throws {
        let sb = try Self.store("forged")
        defer { sb.cleanUp() }
        let path = Self.journal(sb)
        let before = try Self.read(path)
        let salt = try Self.salt(before)
        let ls = Self.lines(before)
        let events = try sb.ok(["audit", "list", "--json"]).jsonArray()
        let lastSeq = try #require(events.first?["seq"] as? Int)
        let commitSeq = ls.count - 1

        // (a) The last commit's audit event edited (actor), the line re-sealed.
        var text = String(decoding: ls[ls.count - 1].dropLast(), as: UTF8.self)
        text = text.replacingOccurrences(of: #""actor":"root""#, with: #""actor":"sam""#)
        try Self.write(path, Array(ls.dropLast().joined()) + Self.reseal(Array(text.utf8), salt: salt))
        try sb.ok(["customers", "list"])  // the engine sees a sound line
        var r = try sb.fails(1, ["audit", "verify"])
        #expect(r.err.contains("audit chain broken at seq \(lastSeq)"), "\(r)")
        #expect(try sb.run(["store", "check"]).status == 1)

        // (b) A whole new commit appended: a record changed and an event that does not chain.
        try Self.write(path, before)
        let id = String(format: "A%09d", lastSeq + 1)
        let event = #"{"action":"customers.update","actor":"sam","at":"2026-03-02T09:00:00Z","detail":"name changed","hash":"\#(String(repeating: "1", count: 64))","id":"\#(id)","prev_hash":"\#(String(repeating: "2", count: 64))","role":"support","seq":\#(lastSeq + 1),"target":"C0000001","version":1}"#
        let head = #"{"hash":"\#(String(repeating: "1", count: 64))","id":"audit-head","seq":\#(lastSeq + 1),"version":\#(lastSeq + 1)}"#
        let line = #"{"seq":\#(commitSeq + 1),"at":"2026-03-02T09:00:00Z","ops":[{"id":"\#(id)","c":"audit","v":1,"r":\#(event)},{"id":"audit-head","c":"meta","v":\#(lastSeq + 1),"r":\#(head)}],"crc":"00000000"}"#
        try Self.write(path, before + Self.reseal(Array(line.utf8), salt: salt))
        let listed = try sb.ok(["audit", "list", "--json", "--limit", "1"]).jsonArray()
        #expect(listed.first?["seq"] as? Int == lastSeq + 1, "the forged line was accepted by the engine: \(listed)")
        r = try sb.fails(1, ["audit", "verify"])
        #expect(r.err.contains("audit chain broken at seq \(lastSeq + 1)"), "\(r)")
        let json = try sb.run(["audit", "verify", "--json"])
        #expect(json.status == 1)
        #expect(try json.jsonObject()["first_bad_seq"] as? Int == lastSeq + 1, "\(json)")
    }

    // MARK: 2. Anchors

    @Test func anchorShowsCommitsCutAtALineBoundary() throws {
        let sb = try Self.store("anchor")
        defer { sb.cleanUp() }
        let head = try sb.ok(["audit", "head"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let headJSON = try sb.ok(["audit", "head", "--json"]).jsonObject()
        let seq = try #require(headJSON["seq"] as? Int)
        let hash = try #require(str(headJSON, "hash"))
        #expect(head == "\(seq):\(hash)")
        #expect(str(headJSON, "anchor") == head)
        #expect(hash.count == 64)
        let newest = try sb.ok(["audit", "list", "--json", "--limit", "1"]).jsonArray().first
        #expect(newest?["seq"] as? Int == seq && newest.flatMap { str($0, "hash") } == hash)
        try sb.ok(["audit", "verify", "--anchor", head])
        try sb.fails(77, ["audit", "head", "--as", "sam"])
        try sb.ok(["audit", "head", "--as", "aud"])

        // The journal cut at a line boundary: the last two commits dropped.
        let path = Self.journal(sb)
        let ls = Self.lines(try Self.read(path))
        try Self.write(path, Array(ls.dropLast(2).joined()))
        // Nothing in the files shows it.
        try sb.auditVerifies()
        try sb.storeChecks()
        // The anchor does.
        let r = try sb.fails(1, ["audit", "verify", "--anchor", head])
        #expect(r.err.contains("audit chain broken at seq \(seq - 1)"), "\(r)")
        #expect(r.err.contains("the chain ends at \(seq - 2)"), "\(r)")
        let j = try sb.run(["audit", "verify", "--anchor", head, "--json"])
        #expect(j.status == 1)
        #expect(try j.jsonObject()["intact"] as? Bool == false)
        // An anchor with another hash, and a malformed one.
        let wrong = "\(seq - 2):" + String(repeating: "0", count: 64)
        let w = try sb.fails(1, ["audit", "verify", "--anchor", wrong])
        #expect(w.err.contains("seq \(seq - 2)"), "\(w)")
        try sb.fails(64, ["audit", "verify", "--anchor", "12"])
    }

    // MARK: 3. Repair asks before it discards

    /// On a terminal (a pty through script(1)), --repair asks; "n" changes nothing, "y" repairs.
    @Test func repairOnATerminalAsksFirst() throws {
        let sb = try Self.store("repair-tty")
        defer { sb.cleanUp() }
        let path = Self.journal(sb)
        let ls = Self.lines(try Self.read(path))
        // Damage in the middle: line 4 (a grant) edited; later commits intact.
        var bad = ls
        bad[3][bad[3].count / 2] ^= 0x01
        let damaged = Array(bad.joined())
        try Self.write(path, damaged)

        let no = try Self.runOnTerminal(sb, ["store", "check", "--repair"], answer: "n\n")
        #expect(no.status == 1, "\(no.output)")
        #expect(no.output.contains("[y/N]"), "\(no.output)")
        #expect(no.output.contains("nothing was changed"), "\(no.output)")
        for k in 4..<ls.count {
            #expect(no.output.contains("journal.jsonl line \(k + 1): commit \(k), customers.add"), "line \(k + 1)\n\(no.output)")
        }
        #expect(try Self.read(path) == damaged)
        #expect(!fileExists(path + ".broken"))

        let yes = try Self.runOnTerminal(sb, ["store", "check", "--repair"], answer: "y\n")
        #expect(yes.status == 0, "\(yes.output)")
        #expect(yes.output.contains("discarded: journal.jsonl from line 4"), "\(yes.output)")
        #expect(try Self.read(path + ".broken") == Array(bad[3...].joined()))
        #expect(try Self.read(path) == Array(ls[..<3].joined()))
        try sb.storeChecks()
        try sb.auditVerifies()
        // --yes alone is a usage error.
        try sb.fails(64, ["store", "check", "--yes"])
    }

    /// Runs lgadmin under script(1), so its stdin is a terminal, typing `answer`.
    static func runOnTerminal(_ sb: Sandbox, _ args: [String], answer: String) throws -> (status: Int32, output: String) {
        let binary = try LGAdminBinary.require()
        let quoted = ([binary] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let out = sb.root + "/tty-\(UUID().uuidString).out"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", quoted, out]
        p.environment = sb.environment(store: sb.store, extra: ["TERM": "dumb"])
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        try? input.fileHandleForReading.close()
        let pid = p.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        try input.fileHandleForWriting.write(contentsOf: Data(answer.utf8))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        watchdog.cancel()
        let text = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: out))) ?? Data(), as: UTF8.self)
        return (p.terminationStatus, text)
    }

    // MARK: 4. --as

    @Test func actingAsAnotherUserIsRecorded() throws {
        let sb = try Self.store("as", customers: 1)
        defer { sb.cleanUp() }
        try sb.ok(["customers", "add", "--name", "By Sam", "--email", "bysam@example.com", "--as", "sam"])
        let events = try sb.ok(["audit", "list", "--json", "--limit", "2"]).jsonArray()
        #expect(str(events[0], "actor") == "sam")
        #expect(str(events[0], "real_actor") == "root")
        #expect(events[0]["role"] as? String == "support")
        // Without --as the key is there, null.
        #expect(events[1].keys.contains("real_actor") && events[1]["real_actor"] is NSNull, "\(events[1])")
        let human = try sb.ok(["audit", "list", "--limit", "1"])
        #expect(human.out.contains("root as sam"), "\(human)")
        try sb.auditVerifies()
    }
}

/// The supported deployment (README, "Security model"): the store belongs to its owner alone.
@Suite("Store permissions")
struct StorePermissionTests {
    static func mode(_ path: String) -> mode_t {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & 0o7777 : 0o7777
    }

    @Test func initCreatesAStoreOnlyItsOwnerCanReach() throws {
        let sb = try Sandbox("modes")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.addCustomer(name: "Mode", email: "mode@example.com")
        try sb.ok(["store", "compact"])
        #expect(Self.mode(sb.store) == 0o700)
        for d in ["inbox", "inbox/optouts", "inbox/optouts/tmp", "inbox/optouts/new", "inbox/optouts/cur", "inbox/optouts/bad", "quarantine"] {
            #expect(Self.mode(sb.store + "/" + d) & 0o077 == 0, "\(d): \(String(Self.mode(sb.store + "/" + d), radix: 8))")
        }
        for f in ["LOCK", "journal.jsonl", "snapshot.jsonl"] {
            #expect(Self.mode(sb.store + "/" + f) == 0o600, "\(f): \(String(Self.mode(sb.store + "/" + f), radix: 8))")
        }
    }
}
