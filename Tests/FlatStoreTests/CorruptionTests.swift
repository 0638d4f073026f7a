import Foundation
import Testing

@testable import FlatStore

/// A byte flipped anywhere in the journal's commit lines (the last, complete line included) or
/// anywhere in the snapshot is not a torn tail:
/// open refuses the store naming the file and line, `check` reports it, and `repair` discards
/// the damage (keeping a `.broken` copy) after which the store opens and commits.
@Suite struct CorruptionTests {
    /// The damaged version of a byte at position `p`: flipped bits, sometimes a newline.
    static func damage(_ byte: UInt8, at p: Int) -> UInt8 {
        if p % 13 == 5, byte != 0x0A { return 0x0A }
        let masks: [UInt8] = [0x01, 0x80, 0xFF, 0x20, 0x10, 0x04]
        return byte ^ masks[p % masks.count]
    }

    @Test func flippedByteInTheJournal() throws {
        try withTempDir(inMemory: true) { tmp in
            let built = try TornTailTests.build(at: tmp + "/base", commits: 12)
            let j = built.journal
            let lines = built.lines
            let last = lines.count - 1
            var positions = 0
            var repairs = 0
            // Every commit line, the last one included: a complete line that fails its checksum
            // is damage even with nothing after it. Only the last line's own newline is left
            // out: without it the line is incomplete, a torn tail (TornTailTests).
            for i in 1...last {
                for p in lines[i] where !(i == last && p == lines[i].upperBound - 1) {
                    var bad = j
                    bad[p] = Self.damage(j[p], at: p)
                    // A NUL marks blocks never written (a torn tail): not this test's damage.
                    guard bad[p] != 0 else { continue }
                    let work = tmp + "/work"
                    try? FileManager.default.removeItem(atPath: work)
                    try copyStore(built.dir, to: work)
                    try writeBytes(work + "/journal.jsonl", bad)
                    positions += 1

                    let what = "byte \(p) of line \(i + 1), \(j[p]) -> \(bad[p])"
                    let err = expectCorrupt { _ = try FlatStore.open(at: work) }
                    #expect(err?.file == "journal.jsonl", "\(what)")
                    #expect(err?.line == i + 1, "\(what): \(String(describing: err))")
                    // Read-only opens refuse it too.
                    _ = expectCorrupt { _ = try FlatStore.open(at: work, readOnly: true) }

                    let report = try FlatStore.check(at: work)
                    let goodSeq = built.baseSeq + UInt64(i - 1)
                    #expect(!report.isHealthy, "\(what)")
                    #expect(!report.journalTornTail, "\(what)")
                    #expect(report.journalBadLine?.line == i + 1, "\(what)")
                    #expect(report.seq == goodSeq, "\(what)")
                    // The intact commits after the damage: all later lines, less the next one
                    // when the damaged byte was this line's newline.
                    let firstIntact = p == lines[i].upperBound - 1 ? i + 2 : i + 1
                    let after = (firstIntact..<lines.count).map { built.baseSeq + UInt64($0) }
                    #expect(report.commitsAfterDamage == after, "\(what)")
                    #expect(report.problems.contains { $0.hasPrefix("journal.jsonl line \(i + 1):") }, "\(what): \(report.problems)")
                    #expect(!report.discards.isEmpty)
                    // Checking changes nothing.
                    #expect(try readBytes(work + "/journal.jsonl") == bad)

                    guard p % 5 == 0 || p == lines[i].upperBound - 1 else { continue }
                    repairs += 1
                    let fixed = try FlatStore.repair(at: work)
                    #expect(fixed.isHealthy, "\(what): \(fixed.problems)")
                    #expect(fixed.seq == goodSeq)
                    #expect(fixed.discards.contains { $0.hasPrefix("journal.jsonl from line \(i + 1)") }, "\(fixed.discards)")
                    #expect(brokenFiles(work) == ["journal.jsonl.broken"])
                    #expect(try readBytes(work + "/journal.jsonl.broken") == Array(bad[lines[i].lowerBound...]))
                    #expect(try readBytes(work + "/journal.jsonl") == Array(j[..<lines[i].lowerBound]))

                    let store = try FlatStore.open(at: work)
                    #expect(store.seq == goodSeq)
                    #expect(try allNotes(store) == built.states[goodSeq])
                    #expect(try put(store, "after", "repair") == goodSeq + 1)
                    #expect(try FlatStore.open(at: work).seq == goodSeq + 1)
                    #expect(try FlatStore.check(at: work).problems.isEmpty)
                }
            }
            #expect(positions > 1000)
            #expect(repairs > 200)
        }
    }

    /// `check` hands over every line a repair would discard, read as far as it can be (the
    /// damaged line unverified, the intact commits after it with their seqs and records); a
    /// repair confirmed against that check refuses, changing nothing, once the store differs.
    @Test func checkListsEveryDiscardedLineAndAConfirmedRepairDiscardsNoMore() throws {
        try withTempDir(inMemory: true) { tmp in
            let built = try TornTailTests.build(at: tmp + "/base", commits: 12)
            let lines = built.lines
            var bad = built.journal
            // A byte inside line 5's record text.
            let p = lines[4].lowerBound + (lines[4].count * 2) / 3
            bad[p] ^= 0x01
            try writeBytes(built.dir + "/journal.jsonl", bad)
            let report = try FlatStore.check(at: built.dir)
            let d = report.discardedLines
            #expect(d.map(\.line) == Array(5...lines.count), "\(d)")
            #expect(d.first?.intact == false)
            #expect(d.dropFirst().allSatisfy { $0.intact })
            #expect(d.dropFirst().map { $0.seq ?? 0 } == Array(5...UInt64(lines.count - 1)))
            #expect(d.dropFirst().allSatisfy { !$0.records.isEmpty && $0.records.allSatisfy { $0.collection == "notes" } }, "\(d)")
            #expect(d.map(\.length).reduce(0, +) == bad.count - lines[4].lowerBound)

            // Something changes between the check shown and the confirmation: nothing happens.
            var worse = bad
            worse[lines[8].lowerBound + 3] ^= 0x01
            try writeBytes(built.dir + "/journal.jsonl", worse)
            #expect(throws: FlatStoreError.changedSinceCheck(built.dir)) { try FlatStore.repair(at: built.dir, expecting: report) }
            #expect(try readBytes(built.dir + "/journal.jsonl") == worse)
            #expect(brokenFiles(built.dir).isEmpty)

            // Confirmed against a fresh check, it discards exactly what that check listed.
            let again = try FlatStore.check(at: built.dir)
            let fixed = try FlatStore.repair(at: built.dir, expecting: again)
            #expect(fixed.isHealthy)
            #expect(fixed.discardedLines == again.discardedLines)
            #expect(try readBytes(built.dir + "/journal.jsonl.broken") == Array(worse[lines[4].lowerBound...]))
        }
    }

    /// A store with a snapshot of 30 notes and two later commits (to other notes).
    struct SnapshotStore {
        var dir: String
        var snapshot: [UInt8]
        var lines: [Range<Int>]
        /// Note id on each snapshot line (nil for the header).
        var idOnLine: [String?]
        var all: [String: Note]
    }

    static func buildSnapshotStore(at dir: String) throws -> SnapshotStore {
        let store = try FlatStore.create(at: dir)
        for k in 0..<30 { try put(store, "s\(k)", String(repeating: "v", count: k), n: k) }
        try put(store, "s3", "updated", n: 3)
        try store.compact()
        try put(store, "j1", "journal one")
        try put(store, "j2", "journal two")
        let snap = try readBytes(dir + "/snapshot.jsonl")
        let lines = lineRanges(snap)
        let ids: [String?] = lines.enumerated().map { k, r in
            guard k > 0 else { return nil }
            let text = String(decoding: snap[r], as: UTF8.self)
            return text.split(separator: "\"")[3].description
        }
        return SnapshotStore(dir: dir, snapshot: snap, lines: lines, idOnLine: ids, all: try allNotes(store))
    }

    @Test func flippedByteInTheSnapshot() throws {
        try withTempDir(inMemory: true) { tmp in
            let s = try Self.buildSnapshotStore(at: tmp + "/base")
            #expect(s.lines.count == 31)
            let last = s.lines.count - 1
            var repairs = 0
            for i in 1...last {
                for p in s.lines[i] {
                    var bad = s.snapshot
                    bad[p] = Self.damage(s.snapshot[p], at: p)
                    let work = tmp + "/work"
                    try? FileManager.default.removeItem(atPath: work)
                    try copyStore(s.dir, to: work)
                    try writeBytes(work + "/snapshot.jsonl", bad)
                    let what = "byte \(p) of line \(i + 1), \(s.snapshot[p]) -> \(bad[p])"

                    let err = expectCorrupt { _ = try FlatStore.open(at: work) }
                    #expect(err?.file == "snapshot.jsonl", "\(what)")
                    #expect(err?.line == i + 1, "\(what): \(String(describing: err))")

                    let report = try FlatStore.check(at: work)
                    #expect(!report.isHealthy)
                    #expect(report.snapshotBadLines.first?.line == i + 1, "\(what): \(report.problems)")
                    #expect(report.snapshotBadLines.allSatisfy { $0.file == "snapshot.jsonl" })
                    #expect(report.journalBadLine == nil)
                    #expect(report.problems.contains { $0.hasPrefix("snapshot.jsonl line \(i + 1):") }, "\(what)")

                    guard p % 4 == 0 || p == s.lines[i].upperBound - 1 else { continue }
                    repairs += 1
                    // The notes lost: this line's, and the next line's when the newline was lost.
                    var lost: Set<String> = [s.idOnLine[i]!]
                    if p == s.lines[i].upperBound - 1, i < last { lost.insert(s.idOnLine[i + 1]!) }
                    let fixed = try FlatStore.repair(at: work)
                    #expect(fixed.isHealthy, "\(what): \(fixed.problems)")
                    #expect(fixed.records == s.all.count - lost.count, "\(what)")
                    #expect(fixed.discards.contains { $0.hasPrefix("snapshot.jsonl line \(i + 1):") }, "\(what): \(fixed.discards)")
                    #expect(brokenFiles(work) == ["snapshot.jsonl.broken"])
                    let damagedLines = lost.count == 2 ? s.lines[i].lowerBound..<s.lines[i + 1].upperBound : s.lines[i]
                    #expect(try readBytes(work + "/snapshot.jsonl.broken") == Array(bad[damagedLines]), "\(what)")

                    let store = try FlatStore.open(at: work)
                    #expect(store.seq == 33)
                    #expect(try allNotes(store) == s.all.filter { !lost.contains($0.key) }, "\(what)")
                    #expect(try put(store, "after", "repair") == 34)
                    #expect(try FlatStore.open(at: work).seq == 34)
                    #expect(try FlatStore.check(at: work).problems.isEmpty)
                }
            }
            #expect(repairs > 300)
        }
    }

    /// A header damaged in one byte is corrected by repair, losing nothing.
    @Test(arguments: ["journal.jsonl", "snapshot.jsonl"])
    func flippedByteInAHeader(file: String) throws {
        try withTempDir(inMemory: true) { tmp in
            let s = try Self.buildSnapshotStore(at: tmp + "/base")
            let original = try readBytes(s.dir + "/" + file)
            let header = lineRanges(original)[0]
            // Every eighth byte, the newline, and the first and last of the line.
            let positions = Set(header.filter { $0 % 8 == 3 } + [0, header.upperBound - 2, header.upperBound - 1])
            for p in positions.sorted() {
                var bad = original
                bad[p] = Self.damage(original[p], at: p)
                let work = tmp + "/work"
                try? FileManager.default.removeItem(atPath: work)
                try copyStore(s.dir, to: work)
                try writeBytes(work + "/" + file, bad)
                let what = "\(file) byte \(p), \(original[p]) -> \(bad[p])"

                let err = expectCorrupt { _ = try FlatStore.open(at: work) }
                #expect(err?.file == file, "\(what)")
                #expect(err?.line == 1, "\(what)")
                let report = try FlatStore.check(at: work)
                #expect(!report.isHealthy)
                #expect(report.headerProblems.contains { $0.hasPrefix("\(file) line 1:") }, "\(what): \(report.problems)")

                let fixed = try FlatStore.repair(at: work)
                #expect(fixed.isHealthy, "\(what): \(fixed.problems)")
                #expect(fixed.seq == 33)
                #expect(brokenFiles(work) == ["\(file).broken"], "\(what)")
                let store = try FlatStore.open(at: work)
                #expect(try allNotes(store) == s.all, "\(what)")
                #expect(try put(store, "after", "repair") == 34)
                #expect(try FlatStore.open(at: work).seq == 34)
                #expect(try FlatStore.check(at: work).problems.isEmpty)
            }
        }
    }

    @Test func checkReportsLeftoversAndRepairRemovesThem() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            try put(store, "a", "x")
            try writeBytes(dir + "/snapshot.jsonl.tmp", Array("half a snapshot".utf8))
            try writeBytes(dir + "/journal.jsonl.tmp", [])
            let report = try FlatStore.check(at: dir)
            #expect(report.isHealthy)
            #expect(report.leftoverFiles == ["journal.jsonl.tmp", "snapshot.jsonl.tmp"])
            #expect(report.problems.count == 2)
            #expect(report.seq == 1)
            #expect(report.records == 1)
            let fixed = try FlatStore.repair(at: dir)
            #expect(fixed.discards.count == 2)
            #expect(!fileExists(dir + "/snapshot.jsonl.tmp"))
            #expect(!fileExists(dir + "/journal.jsonl.tmp"))
            #expect(try FlatStore.check(at: dir).problems.isEmpty)
        }
    }

    @Test func healthyStoreReportsNothingAndRepairChangesNothing() throws {
        try withTempDir { tmp in
            let s = try Self.buildSnapshotStore(at: tmp + "/base")
            let report = try FlatStore.check(at: s.dir)
            #expect(report.isHealthy)
            #expect(report.problems.isEmpty)
            #expect(report.discards.isEmpty)
            #expect(report.seq == 33)
            #expect(report.records == 32)
            let before = try (readBytes(s.dir + "/journal.jsonl"), readBytes(s.dir + "/snapshot.jsonl"))
            let fixed = try FlatStore.repair(at: s.dir)
            #expect(fixed.isHealthy)
            #expect(fixed.discards.isEmpty)
            #expect(try readBytes(s.dir + "/journal.jsonl") == before.0)
            #expect(try readBytes(s.dir + "/snapshot.jsonl") == before.1)
            #expect(brokenFiles(s.dir).isEmpty)
        }
    }

    /// A compaction that died after writing its snapshot leaves the old journal; damage in the
    /// part of it the snapshot holds is repaired without losing the commits after the snapshot.
    @Test func damageInJournalLinesTheSnapshotHolds() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            for k in 0..<6 { try put(store, "a\(k)", "x") }
            let oldJournal = try readBytes(dir + "/journal.jsonl")
            try store.compact()  // snapshot at 6
            // As if the compaction died before its new journal: the old journal is back.
            try writeBytes(dir + "/journal.jsonl", oldJournal)
            let reopened = try FlatStore.open(at: dir)
            #expect(reopened.seq == 6)
            try put(reopened, "b", "after the snapshot")  // seq 7 on the old journal
            let all = try allNotes(reopened)
            // Damage commit 3, which the snapshot holds.
            var j = try readBytes(dir + "/journal.jsonl")
            let lines = lineRanges(j)
            j[lines[3].lowerBound + 3] ^= 0x01
            try writeBytes(dir + "/journal.jsonl", j)
            _ = expectCorrupt { _ = try FlatStore.open(at: dir) }
            let report = try FlatStore.check(at: dir)
            #expect(report.journalBadLine?.line == 4)
            // Commits 4 to 6 are in the snapshot and 7 is carried over: none is lost.
            #expect(report.commitsAfterDamage == [])
            #expect(!report.isHealthy)
            let fixed = try FlatStore.repair(at: dir)
            #expect(fixed.isHealthy, "\(fixed.problems)")
            #expect(fixed.seq == 7)
            #expect(brokenFiles(dir) == ["journal.jsonl.broken"])
            #expect(try readBytes(dir + "/journal.jsonl.broken") == j)
            let after = try FlatStore.open(at: dir)
            #expect(after.seq == 7)
            #expect(try allNotes(after) == all)
            #expect(try put(after, "c", "next") == 8)
            #expect(try FlatStore.open(at: dir).seq == 8)
            #expect(try FlatStore.check(at: dir).problems.isEmpty)
        }
    }
}

/// Damage beyond one byte, and damage a repair cannot undo.
@Suite struct HeavyDamageTests {
    @Test func snapshotLineRemovedWhole() throws {
        try withTempDir { tmp in
            let s = try CorruptionTests.buildSnapshotStore(at: tmp + "/store")
            // Line 5 disappears, newline and all: every line is intact, the count is not.
            var bytes = s.snapshot
            bytes.removeSubrange(s.lines[4])
            try writeBytes(s.dir + "/snapshot.jsonl", bytes)
            let err = expectCorrupt { _ = try FlatStore.open(at: s.dir) }
            #expect(err?.file == "snapshot.jsonl")
            let report = try FlatStore.check(at: s.dir)
            #expect(!report.isHealthy)
            #expect(report.snapshotBadLines.isEmpty)
            #expect(report.headerProblems.count == 1, "\(report.problems)")
            let fixed = try FlatStore.repair(at: s.dir)
            #expect(fixed.isHealthy, "\(fixed.problems)")
            let store = try FlatStore.open(at: s.dir)
            #expect(try allNotes(store) == s.all.filter { $0.key != s.idOnLine[4] })
        }
    }

    @Test func unreadableSnapshotHeaderIsNotRepaired() throws {
        try withTempDir { tmp in
            let s = try CorruptionTests.buildSnapshotStore(at: tmp + "/store")
            var bytes = s.snapshot
            bytes[3] ^= 0x01
            bytes[40] ^= 0x01  // two bytes: beyond what repair corrects
            try writeBytes(s.dir + "/snapshot.jsonl", bytes)
            let journal = try readBytes(s.dir + "/journal.jsonl")
            let report = try FlatStore.check(at: s.dir)
            #expect(!report.isHealthy)
            #expect(report.problems.contains { $0.hasPrefix("repair cannot fix this:") }, "\(report.problems)")
            let fixed = try FlatStore.repair(at: s.dir)
            #expect(!fixed.isHealthy)
            #expect(fixed.discards.isEmpty)
            #expect(try readBytes(s.dir + "/snapshot.jsonl") == bytes)
            #expect(try readBytes(s.dir + "/journal.jsonl") == journal)
            #expect(brokenFiles(s.dir).isEmpty)
            _ = expectCorrupt { _ = try FlatStore.open(at: s.dir) }
        }
    }

    @Test func unreadableJournalHeaderStartsAFreshJournal() throws {
        try withTempDir { tmp in
            let s = try CorruptionTests.buildSnapshotStore(at: tmp + "/store")
            var journal = try readBytes(s.dir + "/journal.jsonl")
            let original = journal
            journal[2] ^= 0x01
            journal[30] ^= 0x01
            try writeBytes(s.dir + "/journal.jsonl", journal)
            _ = expectCorrupt { _ = try FlatStore.open(at: s.dir) }
            let report = try FlatStore.check(at: s.dir)
            #expect(!report.isHealthy)
            #expect(report.seq == 31)  // the snapshot's
            let fixed = try FlatStore.repair(at: s.dir)
            #expect(fixed.isHealthy, "\(fixed.problems)")
            #expect(fixed.seq == 31)
            #expect(try readBytes(s.dir + "/journal.jsonl.broken") == journal)
            let store = try FlatStore.open(at: s.dir)
            // The two commits after the snapshot were in the lost journal.
            #expect(try allNotes(store) == s.all.filter { !$0.key.hasPrefix("j") })
            #expect(try put(store, "next", "x") == 32)
            #expect(original != journal)
        }
    }

    /// A journal that ends before the snapshot's commit (lines lost from an old journal a
    /// compaction left behind) cannot take the next commit, which would not follow its last
    /// line: open refuses it rather than acknowledge a commit replay cannot read; repair starts
    /// a fresh journal, losing nothing the snapshot holds.
    @Test func journalEndingBeforeTheSnapshot() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            for k in 0..<4 { try put(store, "a\(k)", "x") }
            let shortJournal = try readBytes(dir + "/journal.jsonl")  // up to commit 4
            for k in 4..<6 { try put(store, "a\(k)", "x") }
            try store.compact()  // snapshot at 6
            let all = try allNotes(store)
            try writeBytes(dir + "/journal.jsonl", shortJournal)
            let err = expectCorrupt { _ = try FlatStore.open(at: dir) }
            #expect(err?.file == "journal.jsonl")
            let report = try FlatStore.check(at: dir)
            #expect(!report.isHealthy)
            #expect(report.problems.contains { $0.hasPrefix("journal.jsonl:") }, "\(report.problems)")
            let fixed = try FlatStore.repair(at: dir)
            #expect(fixed.isHealthy, "\(fixed.problems)")
            #expect(try readBytes(dir + "/journal.jsonl.broken") == shortJournal)
            let reopened = try FlatStore.open(at: dir)
            #expect(reopened.seq == 6)
            #expect(try allNotes(reopened) == all)
            #expect(try put(reopened, "next", "x") == 7)
            #expect(try FlatStore.open(at: dir).seq == 7)
        }
    }

    @Test func journalStartingAfterTheSnapshotIsNotRepaired() throws {
        try withTempDir { tmp in
            let s = try CorruptionTests.buildSnapshotStore(at: tmp + "/store")
            try FileManager.default.removeItem(atPath: s.dir + "/snapshot.jsonl")
            let err = expectCorrupt { _ = try FlatStore.open(at: s.dir) }
            #expect(err?.file == "journal.jsonl")
            #expect(err?.line == 1)
            let fixed = try FlatStore.repair(at: s.dir)
            #expect(!fixed.isHealthy)
            #expect(fixed.headerProblems.count == 1, "\(fixed.problems)")
            #expect(fixed.discards.isEmpty)
            #expect(brokenFiles(s.dir).isEmpty)
        }
    }
}
