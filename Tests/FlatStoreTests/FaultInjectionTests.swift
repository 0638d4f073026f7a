import Foundation
import Testing

@testable import FlatStore

/// Injected write and sync failures, through ``FaultyFileIO``: a failed commit leaves the journal
/// as it was and the instance read-only; a failed compaction loses nothing.
@Suite struct FaultInjectionTests {
    /// A failure to inject into a commit.
    struct CommitFault: Sendable, CustomTestStringConvertible {
        var name: String
        var arm: @Sendable (FaultyFileIO) -> Void
        var testDescription: String { name }
    }

    static let commitFaults: [CommitFault] = [
        CommitFault(name: "short write, then ENOSPC") { $0.shortWrite(keeping: 17, path: "journal.jsonl") },
        CommitFault(name: "ENOSPC on write") { $0.fail(.pwrite, path: "journal.jsonl", errno: ENOSPC) },
        CommitFault(name: "EIO on write") { $0.fail(.pwrite, path: "journal.jsonl", errno: EIO) },
        CommitFault(name: "EIO on fdatasync") { $0.fail(.fdatasync, path: "journal.jsonl", errno: EIO) },
        CommitFault(name: "ENOSPC on fdatasync") { $0.fail(.fdatasync, path: "journal.jsonl", errno: ENOSPC) },
    ]

    /// A store of five notes (one updated twice, one deleted); returns its notes.
    static func seed(_ dir: String) throws -> [String: Note] {
        let store = try FlatStore.create(at: dir)
        for k in 0..<5 { try put(store, "n\(k)", "text \(k)", n: k) }
        try put(store, "n1", "again")
        try put(store, "n1", "and again")
        var tx = Transaction()
        try tx.delete(id: "n4", from: notes, expecting: 1)
        try store.commit(tx)
        return try allNotes(store)
    }

    @Test(arguments: commitFaults)
    func failedCommitLeavesNothing(fault: CommitFault) throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let before = try Self.seed(dir)
            let io = FaultyFileIO()
            let store = try FlatStore.open(at: dir, io: io)
            let journal = try readBytes(dir + "/journal.jsonl")
            fault.arm(io)

            do {
                try put(store, "new", "never committed")
                Issue.record("the commit succeeded despite \(fault.name)")
            } catch FlatStoreError.io {
            } catch {
                Issue.record("expected FlatStoreError.io, got \(error)")
            }
            #expect(io.injectedCount >= 1)
            #expect(try readBytes(dir + "/journal.jsonl") == journal)
            #expect(store.seq == 8)
            #expect(try allNotes(store) == before)

            // The instance refuses further commits, even with the disk healthy again.
            io.removeAllFaults()
            #expect(store.readOnly != nil)
            #expect(throws: FlatStoreError.self) { try put(store, "other", "refused") }
            do {
                try put(store, "other", "refused")
            } catch FlatStoreError.readOnly {
            } catch {
                Issue.record("expected FlatStoreError.readOnly, got \(error)")
            }
            #expect(throws: FlatStoreError.self) { try store.compact() }
            #expect(try readBytes(dir + "/journal.jsonl") == journal)

            // A reopened store shows exactly the committed history, and commits.
            let reopened = try FlatStore.open(at: dir)
            #expect(reopened.seq == 8)
            #expect(try allNotes(reopened) == before)
            #expect(try put(reopened, "new", "now committed") == 9)
            #expect(try FlatStore.open(at: dir).seq == 9)
            #expect(try FlatStore.check(at: dir).problems.isEmpty)
        }
    }

    /// When even the truncation back fails, the partial line stays behind: the next open sees
    /// a torn tail and cuts it.
    @Test func failedWriteAndFailedTruncation() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let before = try Self.seed(dir)
            let io = FaultyFileIO()
            let store = try FlatStore.open(at: dir, io: io)
            let journal = try readBytes(dir + "/journal.jsonl")
            io.shortWrite(keeping: 30, path: "journal.jsonl")
            io.fail(.ftruncate, path: "journal.jsonl", errno: EIO)
            #expect(throws: FlatStoreError.self) { try put(store, "new", "never committed") }
            #expect(store.readOnly != nil)
            #expect(try fileSize(dir + "/journal.jsonl") == Int64(journal.count + 30))
            let report = try FlatStore.check(at: dir)
            #expect(report.journalTornTail)
            #expect(report.isHealthy)

            let reopened = try FlatStore.open(at: dir)
            #expect(reopened.seq == 8)
            #expect(try allNotes(reopened) == before)
            #expect(try readBytes(dir + "/journal.jsonl") == journal)
            #expect(brokenFiles(dir) == ["journal.jsonl.broken"])
            #expect(try put(reopened, "new", "committed") == 9)
        }
    }

    /// Open cannot keep its `.broken` copy of a torn tail: it fails and leaves the journal alone.
    @Test func failedTailRepairOnOpen() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let before = try Self.seed(dir)
            let journal = try readBytes(dir + "/journal.jsonl")
            let torn = Array(#"{"seq":9,"at":"#.utf8)
            try writeBytes(dir + "/journal.jsonl", journal + torn)
            for op in [FaultyFileIO.Operation.pwrite, .fsync, .rename] {
                let io = FaultyFileIO()
                io.fail(op, path: "journal.jsonl.broken.tmp", errno: ENOSPC)
                #expect(throws: FlatStoreError.self, "\(op)") { try FlatStore.open(at: dir, io: io) }
                #expect(io.injectedCount == 1)
                #expect(try readBytes(dir + "/journal.jsonl") == journal + torn)
                #expect(brokenFiles(dir).isEmpty)
            }
            let reopened = try FlatStore.open(at: dir)
            #expect(try allNotes(reopened) == before)
            #expect(try readBytes(dir + "/journal.jsonl.broken") == torn)
        }
    }

    /// A failure to inject into a compaction.
    struct CompactionFault: Sendable, CustomTestStringConvertible {
        var name: String
        var operation: FaultyFileIO.Operation
        /// Path suffix; `"<dir>"` stands for the store directory.
        var path: String
        var occurrence: FaultyFileIO.Occurrence = .nth(1)
        var code: Int32 = EIO
        var short = false
        var testDescription: String { name }
    }

    static let compactionFaults: [CompactionFault] = [
        CompactionFault(name: "open snapshot tmp", operation: .open, path: "snapshot.jsonl.tmp", code: EACCES),
        CompactionFault(name: "write snapshot tmp, ENOSPC", operation: .pwrite, path: "snapshot.jsonl.tmp", code: ENOSPC),
        CompactionFault(name: "short write of snapshot tmp", operation: .pwrite, path: "snapshot.jsonl.tmp", short: true),
        CompactionFault(name: "fsync snapshot tmp", operation: .fsync, path: "snapshot.jsonl.tmp"),
        CompactionFault(name: "rename snapshot tmp", operation: .rename, path: "snapshot.jsonl.tmp"),
        CompactionFault(name: "fsync directory after snapshot rename", operation: .fsync, path: "<dir>"),
        CompactionFault(name: "open journal tmp", operation: .open, path: "journal.jsonl.tmp", code: ENOSPC),
        CompactionFault(name: "write journal tmp", operation: .pwrite, path: "journal.jsonl.tmp", code: ENOSPC),
        CompactionFault(name: "fsync journal tmp", operation: .fsync, path: "journal.jsonl.tmp"),
        CompactionFault(name: "rename journal tmp", operation: .rename, path: "journal.jsonl.tmp"),
        CompactionFault(name: "fsync directory after journal rename", operation: .fsync, path: "<dir>", occurrence: .nth(2)),
    ]

    @Test(arguments: compactionFaults, [false, true])
    func failedCompactionLosesNothing(fault: CompactionFault, earlierSnapshot: Bool) throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            _ = try Self.seed(dir)
            if earlierSnapshot {
                let s = try FlatStore.open(at: dir)
                try s.compact()
                try put(s, "n0", "after the first snapshot")
                try put(s, "late", "after the first snapshot")
            }
            let io = FaultyFileIO()
            let store = try FlatStore.open(at: dir, io: io)
            let before = try allNotes(store)
            let seq = store.seq
            let path = fault.path == "<dir>" ? dir : fault.path
            if fault.short {
                io.shortWrite(keeping: 40, path: path)
            } else {
                io.fail(fault.operation, path: path, fault.occurrence, errno: fault.code)
            }

            #expect(throws: FlatStoreError.self, "\(fault.name)") { try store.compact() }
            #expect(io.injectedCount >= 1, "\(fault.name): the fault never fired")
            io.removeAllFaults()

            // The instance still reads the same; it commits unless it chose to turn read-only.
            #expect(try allNotes(store) == before)
            var expected = before
            var expectedSeq = seq
            do {
                try put(store, "during", "after the failed compaction")
                expected["during"] = Note(id: "during", version: 1, text: "after the failed compaction", n: 0)
                expectedSeq += 1
            } catch FlatStoreError.readOnly {
            }

            let reopened = try FlatStore.open(at: dir)
            #expect(reopened.seq == expectedSeq, "\(fault.name)")
            #expect(try allNotes(reopened) == expected, "\(fault.name)")
            #expect(try put(reopened, "next", "works") == expectedSeq + 1)
            // A later compaction succeeds and keeps everything.
            try reopened.compact()
            let last = try FlatStore.open(at: dir)
            #expect(last.seq == expectedSeq + 1)
            expected["next"] = Note(id: "next", version: 1, text: "works", n: 0)
            #expect(try allNotes(last) == expected)
            let report = try FlatStore.check(at: dir)
            #expect(report.isHealthy, "\(report.problems)")
            #expect(report.journalBadLine == nil)
        }
    }

    @Test func faultyIOCountsAndTargets() throws {
        try withTempDir { tmp in
            let io = FaultyFileIO()
            let path = tmp + "/f"
            io.fail(.open, path: "/g", .from(2), errno: EMFILE)
            let fd = try io.open(path, O_RDWR | O_CREAT, 0o600)
            defer { io.close(fd) }
            _ = try io.open(tmp + "/g", O_RDWR | O_CREAT, 0o600)
            #expect(throws: SystemError("open", tmp + "/g", EMFILE)) { try io.open(tmp + "/g", O_RDWR, 0) }
            #expect(throws: SystemError("open", tmp + "/g", EMFILE)) { try io.open(tmp + "/g", O_RDWR, 0) }
            #expect(io.callCount(.open) == 4)

            io.shortWrite(keeping: 3, path: "/f")
            let bytes: [UInt8] = Array("hello world".utf8)
            #expect(throws: SystemError.self) { try io.writeAll(fd, bytes, at: 0) }
            #expect(try fileSize(path) == 3)
            // Only the next write after the short one fails.
            try io.writeAll(fd, bytes, at: 0)
            #expect(try readBytes(path) == bytes)

            io.fail(.fdatasync, .every, errno: EIO)
            #expect(throws: SystemError.self) { try io.fdatasync(fd) }
            #expect(throws: SystemError.self) { try io.fdatasync(fd) }
            io.removeAllFaults()
            try io.fdatasync(fd)
            #expect(io.injectedCount == 6)
        }
    }
}
