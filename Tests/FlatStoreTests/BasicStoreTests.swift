import Foundation
import Testing

@testable import FlatStore

@Suite struct BasicStoreTests {
    @Test func createInsertUpdateDeleteAndReopen() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            #expect(store.seq == 0)
            #expect(store.view().count(notes) == 0)

            var tx = Transaction()
            try tx.insert(Note(id: "a", version: 0, text: "first", n: 1), into: notes)
            try tx.insert(Note(id: "b", version: 0, text: "second", n: 2), into: notes)
            #expect(try store.commit(tx) == 1)
            var view = store.view()
            #expect(try view.get(notes, id: "a") == Note(id: "a", version: 1, text: "first", n: 1))
            #expect(view.version(notes, id: "b") == 1)

            // Versions go up by one with each change.
            for k in 2...5 {
                var up = Transaction()
                try up.update(Note(id: "a", version: 0, text: "edit \(k)", n: k), in: notes, expecting: k - 1)
                try store.commit(up)
                #expect(store.view().version(notes, id: "a") == k)
            }
            #expect(store.seq == 5)

            var del = Transaction()
            try del.delete(id: "b", from: notes, expecting: 1)
            #expect(try store.commit(del) == 6)
            view = store.view()
            #expect(try view.get(notes, id: "b") == nil)
            #expect(view.version(notes, id: "b") == 0)
            #expect(view.ids(notes) == ["a"])

            // Re-inserting a deleted record starts again at version 1.
            try put(store, "b", "again")
            #expect(store.view().version(notes, id: "b") == 1)

            let reopened = try FlatStore.open(at: dir)
            #expect(reopened.seq == 7)
            #expect(try allNotes(reopened) == allNotes(store))
            #expect(try reopened.view().get(notes, id: "a")?.text == "edit 5")
            #expect(try reopened.view().get(notes, id: "a")?.version == 5)
        }
    }

    @Test func conflictWritesNothing() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            try put(store, "a", "one")
            try put(store, "a", "two")  // version 2
            let size = try fileSize(dir + "/journal.jsonl")

            var stale = Transaction()
            try stale.update(Note(id: "a", version: 0, text: "stale", n: 0), in: notes, expecting: 1)
            try stale.insert(Note(id: "other", version: 0, text: "x", n: 0), into: notes)
            #expect(throws: FlatStoreError.conflict(collection: "notes", id: "a", expected: 1, actual: 2)) {
                try store.commit(stale)
            }
            var dup = Transaction()
            try dup.insert(Note(id: "a", version: 0, text: "dup", n: 0), into: notes)
            #expect(throws: FlatStoreError.conflict(collection: "notes", id: "a", expected: 0, actual: 2)) {
                try store.commit(dup)
            }
            var gone = Transaction()
            try gone.delete(id: "nobody", from: notes, expecting: 1)
            #expect(throws: FlatStoreError.conflict(collection: "notes", id: "nobody", expected: 1, actual: 0)) {
                try store.commit(gone)
            }
            #expect(try fileSize(dir + "/journal.jsonl") == size)
            #expect(store.seq == 2)
            #expect(store.view().version(notes, id: "other") == 0)
            #expect(store.readOnly == nil)
            // The store still commits.
            #expect(try put(store, "a", "three") == 3)
        }
    }

    @Test func invalidNamesAreRefused() throws {
        let rec = { (id: String) in Note(id: id, version: 0, text: "", n: 0) }
        for bad in ["", "a b", "a\"b", "a/b", "é", "a\nb", String(repeating: "x", count: 129)] {
            var tx = Transaction()
            #expect(throws: FlatStoreError.self, "id \(bad.debugDescription)") { try tx.insert(rec(bad), into: notes) }
            #expect(tx.isEmpty)
        }
        var ok = Transaction()
        try ok.insert(rec(String(repeating: "x", count: 128)), into: notes)
        try ok.insert(rec("A-z_0.9:x@y"), into: notes)
        #expect(ok.operations.count == 2)

        for badCollection in ["Notes", "", "a.b", String(repeating: "c", count: 65)] {
            var tx = Transaction()
            #expect(throws: FlatStoreError.self) {
                try tx.insert(rec("a"), into: RecordCollection<Note>(badCollection))
            }
        }
        var twice = Transaction()
        try twice.insert(rec("a"), into: notes)
        #expect(throws: FlatStoreError.self) { try twice.insert(rec("a"), into: notes) }

        var raw = Transaction()
        #expect(throws: FlatStoreError.self) { try raw.putRaw(collection: "c", id: "a", expected: 0, json: Array("[1]".utf8)) }
        #expect(throws: FlatStoreError.self) { try raw.putRaw(collection: "c", id: "a", expected: 0, json: Array("{\n}".utf8)) }
    }

    /// A raw record the journal reader could not read back is refused before anything is written:
    /// once sealed and synced, it would make the store refuse to open.
    @Test func unreadableRawRecordIsRefused() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            try put(store, "a", "x")
            let size = try fileSize(dir + "/journal.jsonl")
            for bad in [#"{"a":1"#, #"{"a":"unterminated}"#, #"{"a":1}}"#, #"{}{}"#, #"{"a":[1,2}"#, "{\"a\":\"\\\"}"] {
                #expect(throws: FlatStoreError.self, "\(bad)") {
                    var tx = Transaction()
                    try tx.putRaw(collection: "raw", id: "r", expected: 0, json: Array(bad.utf8))
                    try store.commit(tx)
                }
            }
            #expect(try fileSize(dir + "/journal.jsonl") == size)
            #expect(store.readOnly == nil)
            var ok = Transaction()
            try ok.putRaw(collection: "raw", id: "r", expected: 0, json: Array(#"{"a":"}{\"][","b":[{}]}"#.utf8))
            #expect(try store.commit(ok) == 2)
            let reopened = try FlatStore.open(at: dir)
            #expect(reopened.seq == 2)
            #expect(reopened.view().rawJSON("raw", id: "r") == Array(#"{"a":"}{\"][","b":[{}]}"#.utf8))
        }
    }

    @Test func compactionKeepsEverything() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            for k in 0..<40 { try put(store, "n\(k % 15)", "text \(k)", n: k) }
            var del = Transaction()
            try del.delete(id: "n3", from: notes, expecting: store.view().version(notes, id: "n3"))
            try store.commit(del)
            var rawTx = Transaction()
            try rawTx.putRaw(collection: "other", id: "r1", expected: 0, json: Array(#"{"k":"v \"quoted\" \\ ünïcode"}"#.utf8))
            try store.commit(rawTx)
            let before = try allNotes(store)
            let rawBefore = store.view().rawJSON("other", id: "r1")
            let seq = store.seq

            let report = try store.compact()
            #expect(report.seq == seq)
            #expect(report.records == before.count + 1)
            #expect(fileExists(dir + "/snapshot.jsonl"))
            // The new journal holds only its header.
            #expect(try readBytes(dir + "/journal.jsonl").filter { $0 == 0x0A }.count == 1)

            let reopened = try FlatStore.open(at: dir)
            #expect(reopened.seq == seq)
            #expect(try allNotes(reopened) == before)
            #expect(reopened.view().rawJSON("other", id: "r1") == rawBefore)
            for (id, note) in before { #expect(reopened.view().version(notes, id: id) == note.version) }

            // Commits after compaction land on the new journal; a second compaction keeps them.
            #expect(try put(reopened, "n0", "after") == seq + 1)
            try reopened.compact()
            let again = try FlatStore.open(at: dir)
            #expect(again.seq == seq + 1)
            #expect(try again.view().get(notes, id: "n0")?.text == "after")
            #expect(try again.view().get(notes, id: "n0")?.version == before["n0"]!.version + 1)
            #expect(try FlatStore.check(at: dir).isHealthy)
            #expect(try FlatStore.check(at: dir).problems.isEmpty)
        }
    }

    @Test func fileModesArePrivate() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            try put(store, "a", "x")
            try store.compact()
            for name in ["LOCK", "journal.jsonl", "snapshot.jsonl"] {
                #expect(try POSIXFileIO().stat(dir + "/" + name).mode & 0o777 == 0o600, "\(name)")
            }
        }
    }

    /// There is no group-shared mode: whoever can write the store's files can forge them, so
    /// they stay 0600 (the store's owner only) even in a setgid, group-writable directory, and
    /// so do the .broken copies of open and repair and the repaired files.
    @Test func fileModesStayPrivateInASetgidDirectory() throws {
        try withTempDir { tmp in
            let dir = tmp + "/shared"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
            #expect(chmod(dir, 0o2770) == 0)
            guard try POSIXFileIO().stat(dir).mode & UInt32(S_ISGID) != 0 else {
                Issue.record("cannot set the setgid bit on \(dir)")
                return
            }
            let store = try FlatStore.create(at: dir)
            try put(store, "a", "x")
            try store.compact()
            try put(store, "b", "y")
            // A torn tail cut on open leaves a .broken copy.
            try writeBytes(dir + "/journal.jsonl", try readBytes(dir + "/journal.jsonl") + Array("{\"seq\":3,".utf8))
            _ = try FlatStore.open(at: dir)
            // A damaged snapshot line, repaired: a rewritten snapshot and another .broken copy.
            var snap = try readBytes(dir + "/snapshot.jsonl")
            snap[snap.count - 5] ^= 0x01
            try writeBytes(dir + "/snapshot.jsonl", snap)
            #expect(try FlatStore.repair(at: dir).isHealthy)
            #expect(brokenFiles(dir) == ["journal.jsonl.broken", "snapshot.jsonl.broken"])
            for name in ["LOCK", "journal.jsonl", "snapshot.jsonl", "journal.jsonl.broken", "snapshot.jsonl.broken"] {
                #expect(try POSIXFileIO().stat(dir + "/" + name).mode & 0o777 == 0o600, "\(name)")
            }
        }
    }

    @Test func missingStore() throws {
        try withTempDir { tmp in
            #expect(throws: FlatStoreError.noStore(path: tmp + "/nothing")) { try FlatStore.open(at: tmp + "/nothing") }
            #expect(throws: FlatStoreError.noStore(path: tmp)) { try FlatStore.open(at: tmp) }
            #expect(throws: FlatStoreError.noStore(path: tmp)) { try FlatStore.check(at: tmp) }
            #expect(!FlatStore.exists(at: tmp))
            try FlatStore.create(at: tmp + "/s")
            #expect(FlatStore.exists(at: tmp + "/s"))
            #expect(throws: FlatStoreError.alreadyExists(path: tmp + "/s")) { try FlatStore.create(at: tmp + "/s") }
        }
    }

    @Test func readOnlyOpenRefusesCommits() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            try put(store, "a", "x")
            let ro = try FlatStore.open(at: dir, readOnly: true)
            #expect(ro.readOnly != nil)
            #expect(try ro.view().get(notes, id: "a")?.text == "x")
            #expect(throws: FlatStoreError.readOnly(reason: "opened read-only")) { try put(ro, "b", "y") }
            #expect(throws: FlatStoreError.self) { try ro.compact() }
        }
    }

    @Test func commitClosureSeesLatestStateAndEmptyTransactionWritesNothing() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            let other = try FlatStore.open(at: dir)
            try put(other, "a", "from other")
            // `store` has not refreshed, but commit builds from the caught-up state.
            let (seq, seen) = try store.commit { view in (Transaction(), try view.get(notes, id: "a")?.text) }
            #expect(seq == 1)
            #expect(seen == "from other")
            let size = try fileSize(dir + "/journal.jsonl")
            _ = try store.commit { _ in (Transaction(), ()) }
            #expect(try fileSize(dir + "/journal.jsonl") == size)
        }
    }
}
