import Foundation
import Harness
import Testing

@testable import FlatStore

/// A journal whose end was torn (cut anywhere, zero-filled, garbage, a stale line from an older
/// journal) opens with exactly the commits wholly before the damage, keeps the cut bytes in a
/// `.broken` file, and takes the next commit.
@Suite struct TornTailTests {
    /// A store built by a fixed script, and the notes it held after each commit.
    struct Built {
        var dir: String
        var journal: [UInt8]
        /// Journal lines; `lines[0]` is the header, `lines[k]` the k-th commit after the base.
        var lines: [Range<Int>]
        /// Notes after each seq.
        var states: [UInt64: [String: Note]]
        var baseSeq: UInt64
    }

    /// Builds a store of `commits` commits (inserts, updates, a delete, a multi-record commit),
    /// compacting after `compactAfter` commits when given.
    static func build(at dir: String, commits: Int = 9, compactAfter: Int? = nil) throws -> Built {
        let store = try FlatStore.create(at: dir)
        var states: [UInt64: [String: Note]] = [0: [:]]
        for k in 1...commits {
            switch k % 4 {
            case 0:
                var tx = Transaction()
                try tx.insert(Note(id: "m\(k)a", version: 0, text: "pair", n: k), into: notes)
                try tx.insert(Note(id: "m\(k)b", version: 0, text: "pair", n: k), into: notes)
                try store.commit(tx)
            case 3 where ["n1", "n0", "n2"].contains(where: { store.view().version(notes, id: $0) > 0 }):
                let id = ["n1", "n0", "n2"].first { store.view().version(notes, id: $0) > 0 } ?? ""
                var tx = Transaction()
                try tx.delete(id: id, from: notes, expecting: store.view().version(notes, id: id))
                try store.commit(tx)
            default:
                try put(store, "n\(k % 3)", String(repeating: "t", count: 5 + 7 * k), n: k)
            }
            states[store.seq] = try allNotes(store)
            if k == compactAfter { try store.compact() }
        }
        let journal = try readBytes(dir + "/journal.jsonl")
        let base = try journal.withUnsafeBytes { try FileHeader.parse($0, file: "journal.jsonl") }.0.seq
        return Built(dir: dir, journal: journal, lines: lineRanges(journal), states: states, baseSeq: base)
    }

    /// Opens a copy of `built` whose journal is `journal`: expects `seq`, the notes as of it, a
    /// `.broken` file holding `broken` (none when nil), and a working next commit.
    static func expectRecovery(_ built: Built, journal: [UInt8], seq: UInt64, broken: [UInt8]?, work: String,
                               note: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws {
        try? FileManager.default.removeItem(atPath: work)
        try copyStore(built.dir, to: work)
        try writeBytes(work + "/journal.jsonl", journal)

        let report = try FlatStore.check(at: work)
        #expect(report.isHealthy, "\(report.problems) \(note)", sourceLocation: sourceLocation)
        #expect(report.journalTornTail == (broken != nil), "\(report.problems) \(note)", sourceLocation: sourceLocation)
        #expect(report.seq == seq, "\(note)", sourceLocation: sourceLocation)
        if broken != nil {
            #expect(report.journalBadLine?.line == Int(seq - built.baseSeq) + 2, "\(note)", sourceLocation: sourceLocation)
        }

        let store = try FlatStore.open(at: work)
        #expect(store.seq == seq, sourceLocation: sourceLocation)
        #expect(try allNotes(store) == built.states[seq], sourceLocation: sourceLocation)
        let intactEnd = built.lines[Int(seq - built.baseSeq)].upperBound
        #expect(try fileSize(work + "/journal.jsonl") == Int64(intactEnd), sourceLocation: sourceLocation)
        if let broken {
            #expect(brokenFiles(work) == ["journal.jsonl.broken"], sourceLocation: sourceLocation)
            #expect(try readBytes(work + "/journal.jsonl.broken") == broken, sourceLocation: sourceLocation)
        } else {
            #expect(brokenFiles(work).isEmpty, sourceLocation: sourceLocation)
        }
        #expect(try FlatStore.check(at: work).problems.isEmpty, sourceLocation: sourceLocation)

        #expect(try put(store, "next", "after recovery") == seq + 1, sourceLocation: sourceLocation)
        let again = try FlatStore.open(at: work)
        #expect(again.seq == seq + 1, sourceLocation: sourceLocation)
        var want = built.states[seq] ?? [:]
        want["next"] = Note(id: "next", version: 1, text: "after recovery", n: 0)
        #expect(try allNotes(again) == want, sourceLocation: sourceLocation)
    }

    @Test(arguments: [nil, 4])
    func everyCutInTheLastThreeCommits(compactAfter: Int?) throws {
        try withTempDir(inMemory: true) { tmp in
            let built = try Self.build(at: tmp + "/base", compactAfter: compactAfter)
            let lines = built.lines
            #expect(lines.count >= 5)
            let from = lines[lines.count - 3].lowerBound
            var cuts = 0
            for cut in from..<built.journal.count {
                // Commits wholly before the cut survive.
                let whole = lines.filter { $0.upperBound <= cut }.count - 1
                let seq = built.baseSeq + UInt64(whole)
                let boundary = lines[whole].upperBound
                let broken = cut > boundary ? Array(built.journal[boundary..<cut]) : nil
                try Self.expectRecovery(built, journal: Array(built.journal[0..<cut]), seq: seq, broken: broken,
                                        work: tmp + "/work")
                cuts += 1
            }
            #expect(cuts > 100)
        }
    }

    @Test func zeroFilledTail() throws {
        try withTempDir(inMemory: true) { tmp in
            let built = try Self.build(at: tmp + "/base")
            let j = built.journal
            let last = built.lines[built.lines.count - 1]
            let seq = built.baseSeq + UInt64(built.lines.count - 1)
            // Zeros appended (the file grew, its blocks never written).
            for n in [1, 100, 4096] {
                let zeros = [UInt8](repeating: 0, count: n)
                try Self.expectRecovery(built, journal: j + zeros, seq: seq, broken: zeros, work: tmp + "/w")
            }
            // The last commit's bytes zeroed, with and without its newline.
            let zeroed = [UInt8](repeating: 0, count: last.count)
            try Self.expectRecovery(built, journal: Array(j[..<last.lowerBound]) + zeroed, seq: seq - 1,
                                    broken: zeroed, work: tmp + "/w")
            let zeroedLine = [UInt8](repeating: 0, count: last.count - 1) + [0x0A]
            try Self.expectRecovery(built, journal: Array(j[..<last.lowerBound]) + zeroedLine, seq: seq - 1,
                                    broken: zeroedLine, work: tmp + "/w")
        }
    }

    /// Opens a copy of `built` whose journal is `journal` and expects damage, not a torn tail:
    /// open (read-write and read-only) refuses naming `journal.jsonl` and `line`, `check` is not
    /// healthy and lists the line among what a repair discards, and nothing is cut or kept aside.
    static func expectDamage(_ built: Built, journal: [UInt8], line: Int, seq: UInt64, work: String,
                             note: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws {
        try? FileManager.default.removeItem(atPath: work)
        try copyStore(built.dir, to: work)
        try writeBytes(work + "/journal.jsonl", journal)
        let err = expectCorrupt({ _ = try FlatStore.open(at: work) }, sourceLocation: sourceLocation)
        #expect(err?.file == "journal.jsonl", sourceLocation: sourceLocation)
        #expect(err?.line == line, "\(String(describing: err)) \(note)", sourceLocation: sourceLocation)
        _ = expectCorrupt({ _ = try FlatStore.open(at: work, readOnly: true) }, sourceLocation: sourceLocation)
        #expect(try readBytes(work + "/journal.jsonl") == journal, "open changed nothing", sourceLocation: sourceLocation)
        #expect(brokenFiles(work).isEmpty, sourceLocation: sourceLocation)
        let report = try FlatStore.check(at: work)
        #expect(!report.isHealthy, sourceLocation: sourceLocation)
        #expect(!report.journalTornTail, sourceLocation: sourceLocation)
        #expect(report.journalBadLine?.line == line, sourceLocation: sourceLocation)
        #expect(report.seq == seq, "\(note)", sourceLocation: sourceLocation)
        #expect(report.discardedLines.first?.line == line, "\(report.discardedLines)", sourceLocation: sourceLocation)
        #expect(report.problems.contains { $0.hasPrefix("journal.jsonl line \(line):") }, "\(report.problems)", sourceLocation: sourceLocation)
    }

    /// Seeded random bytes without `excluded`.
    static func garbage(_ n: Int, _ rng: inout SeededRandom, excluding excluded: Set<UInt8>) -> [UInt8] {
        (0..<n).map { _ in
            var b = UInt8.random(in: 0...255, using: &rng)
            while excluded.contains(b) { b = UInt8.random(in: 0...255, using: &rng) }
            return b
        }
    }

    /// Garbage after the last newline (no complete line) is a torn tail; garbage that ends in a
    /// newline and holds no NUL is a complete line failing its checksum: damage.
    @Test func garbageTail() throws {
        var rng = SeededRandom.fromEnvironment()
        try withTempDir(inMemory: true) { tmp in
            let built = try Self.build(at: tmp + "/base")
            let j = built.journal
            let last = built.lines[built.lines.count - 1]
            let seq = built.baseSeq + UInt64(built.lines.count - 1)
            let lastLine = built.lines.count
            for n in [1, 37, 300, 5000] {
                // No newline at all: torn.
                let noLine = Self.garbage(n, &rng, excluding: [0x0A])
                try Self.expectRecovery(built, journal: j + noLine, seq: seq, broken: noLine, work: tmp + "/w", note: "\(rng)")
                try Self.expectRecovery(built, journal: Array(j[..<last.lowerBound]) + noLine, seq: seq - 1,
                                        broken: noLine, work: tmp + "/w", note: "\(rng)")
                guard n > 100 else { continue }
                // Lines that each hold a NUL (never written whole), the last one unterminated: torn.
                var nul = Self.garbage(n, &rng, excluding: [0x0A, 0x00])
                nul[n / 3] = 0x0A
                nul[n / 6] = 0x00
                nul[n / 2] = 0x00
                try Self.expectRecovery(built, journal: j + nul, seq: seq, broken: nul, work: tmp + "/w", note: "\(rng)")
                // Complete lines without a NUL: damage, named at its first line.
                var complete = Self.garbage(n, &rng, excluding: [0x0A, 0x00])
                complete[n / 3] = 0x0A
                complete[n - 1] = 0x0A
                try Self.expectDamage(built, journal: j + complete, line: lastLine + 1, seq: seq, work: tmp + "/w", note: "\(rng)")
                try Self.expectDamage(built, journal: Array(j[..<last.lowerBound]) + complete, line: lastLine, seq: seq - 1,
                                      work: tmp + "/w", note: "\(rng)")
            }
            // Text that looks like a commit but is not sealed: damage when complete, torn without
            // its newline.
            let fake = Array(#"{"seq":\#(seq + 1),"at":"2026-01-01T00:00:00Z","ops":[],"crc":"00000000"}"#.utf8)
            try Self.expectDamage(built, journal: j + fake + [0x0A], line: lastLine + 1, seq: seq, work: tmp + "/w", note: "\(rng)")
            try Self.expectRecovery(built, journal: j + fake, seq: seq, broken: fake, work: tmp + "/w", note: "\(rng)")
        }
    }

    /// A complete line from another journal (right shape, wrong salt) is damage; the same line
    /// without its newline is a torn tail.
    @Test func staleLineFromAnOlderJournal() throws {
        try withTempDir(inMemory: true) { tmp in
            // Two stores built by the same script: same seqs and content, different salts.
            let built = try Self.build(at: tmp + "/base")
            let older = try Self.build(at: tmp + "/older", commits: 10)
            let j = built.journal
            let commits = built.lines.count - 1
            let seq = built.baseSeq + UInt64(commits)
            // The older journal's next commit, appended: right seq, wrong salt.
            let next = Array(older.journal[older.lines[commits + 1]])
            #expect(next.starts(with: Array(#"{"seq":\#(seq + 1),"#.utf8)))
            try Self.expectDamage(built, journal: j + next, line: commits + 2, seq: seq, work: tmp + "/w")
            try Self.expectRecovery(built, journal: j + next.dropLast(), seq: seq, broken: Array(next.dropLast()), work: tmp + "/w")
            // The older journal's copy of the last commit in its place.
            let same = Array(older.journal[older.lines[commits]])
            let last = built.lines[commits]
            try Self.expectDamage(built, journal: Array(j[..<last.lowerBound]) + same, line: commits + 1, seq: seq - 1,
                                  work: tmp + "/w")
            // Several stale lines.
            let several = Array(older.journal[older.lines[commits - 1].lowerBound...])
            try Self.expectDamage(built, journal: Array(j[..<built.lines[commits - 1].lowerBound]) + several,
                                  line: commits, seq: seq - 2, work: tmp + "/w")
        }
    }

    /// The last commit without its newline: a torn tail, cut and kept in `.broken`.
    @Test func lastLineWithoutItsNewlineIsATornTail() throws {
        try withTempDir(inMemory: true) { tmp in
            let built = try Self.build(at: tmp + "/base")
            let j = built.journal
            let seq = built.baseSeq + UInt64(built.lines.count - 1)
            #expect(j.last == 0x0A)
            let last = built.lines[built.lines.count - 1]
            try Self.expectRecovery(built, journal: Array(j.dropLast()), seq: seq - 1,
                                    broken: Array(j[last.lowerBound..<(last.upperBound - 1)]), work: tmp + "/w")
        }
    }

    /// One byte of the last, complete line edited: damage. Open refuses naming the line, check
    /// lists the commit (readable, unverified) that a repair would discard, and the repair keeps
    /// it in `.broken`.
    @Test func editedLastLineIsDamageNotATornTail() throws {
        try withTempDir(inMemory: true) { tmp in
            let built = try Self.build(at: tmp + "/base")
            let j = built.journal
            let commits = built.lines.count - 1
            let seq = built.baseSeq + UInt64(commits)
            let last = built.lines[commits]
            // A digit of the record's text ("n":K) changed: still reads as a commit.
            let text = String(decoding: j[last], as: UTF8.self)
            let at = try #require(text.range(of: #""n":"#)).upperBound
            var bad = j
            let p = last.lowerBound + text.utf8.distance(from: text.startIndex, to: at)
            bad[p] = bad[p] == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7")
            try Self.expectDamage(built, journal: bad, line: commits + 1, seq: seq - 1, work: tmp + "/w")
            let report = try FlatStore.check(at: tmp + "/w")
            #expect(report.discardedLines.count == 1)
            let d = try #require(report.discardedLines.first)
            #expect(d.seq == seq && !d.intact && d.line == commits + 1 && d.length == last.count, "\(d)")
            #expect(!d.records.isEmpty && d.records.allSatisfy { $0.collection == "notes" }, "\(d)")
            #expect(report.discards.count == 1, "\(report.discards)")

            let fixed = try FlatStore.repair(at: tmp + "/w", expecting: report)
            #expect(fixed.isHealthy, "\(fixed.problems)")
            #expect(fixed.discardedLines == report.discardedLines)
            #expect(try readBytes(tmp + "/w/journal.jsonl.broken") == Array(bad[last]))
            #expect(try FlatStore.open(at: tmp + "/w").seq == seq - 1)
        }
    }

    /// A torn tail one instance saw on refresh, then cut by another: the first one's next commit
    /// has nothing left to cut and keeps no second, empty `.broken` copy.
    @Test func tornTailCutElsewhereIsNotCutAgain() throws {
        try withTempDir { tmp in
            let built = try Self.build(at: tmp + "/base")
            let dir = built.dir
            let seq = built.baseSeq + UInt64(built.lines.count - 1)
            let a = try FlatStore.open(at: dir)
            let torn = Array(#"{"seq":\#(seq + 1),"at":"2026-"#.utf8)
            try writeBytes(dir + "/journal.jsonl", built.journal + torn)
            try a.refresh()  // sees the torn tail; refresh does not cut
            _ = try FlatStore.open(at: dir)  // cuts it, keeping journal.jsonl.broken
            #expect(try readBytes(dir + "/journal.jsonl") == built.journal)
            #expect(try put(a, "x", "y") == seq + 1)
            #expect(brokenFiles(dir) == ["journal.jsonl.broken"])
            #expect(try readBytes(dir + "/journal.jsonl.broken") == torn)
            #expect(try FlatStore.open(at: dir).seq == seq + 1)
        }
    }

    @Test func tornTailSeenByRefreshIsCutByTheNextCommit() throws {
        try withTempDir { tmp in
            let built = try Self.build(at: tmp + "/base")
            let dir = built.dir
            let seq = built.baseSeq + UInt64(built.lines.count - 1)
            let store = try FlatStore.open(at: dir)
            // A writer died mid-line after `store` opened.
            let torn = Array(#"{"seq":\#(seq + 1),"at":"2026-"#.utf8)
            try writeBytes(dir + "/journal.jsonl", built.journal + torn)
            try store.refresh()
            #expect(store.seq == seq)
            #expect(try put(store, "x", "y") == seq + 1)
            #expect(try readBytes(dir + "/journal.jsonl.broken") == torn)
            let again = try FlatStore.open(at: dir)
            #expect(again.seq == seq + 1)
            #expect(try FlatStore.check(at: dir).problems.isEmpty)
        }
    }
}
