import Foundation
import Testing

@testable import FlatStore

/// An open store sees what other processes and instances commit after `refresh()`, tells its
/// listeners, and keeps working across a compaction done elsewhere.
@Suite struct RefreshTests {
    /// Collects change sets from a listener.
    final class Changes: @unchecked Sendable {
        private let lock = NSLock()
        private var sets: [ChangeSet] = []
        func add(_ c: ChangeSet) { lock.lock(); sets.append(c); lock.unlock() }
        var all: [ChangeSet] { lock.lock(); defer { lock.unlock() }; return sets }
        func ids(_ collection: String) -> Set<String> { all.reduce(into: []) { $0.formUnion($1.changed[collection] ?? []) } }
    }

    /// Refreshes `store` until `done` holds or 10 s pass; returns whether it held.
    static func poll(_ store: FlatStore, until done: () throws -> Bool) throws -> Bool {
        let deadline = Date() + 10
        while Date() < deadline {
            try store.refresh()
            if try done() { return true }
            usleep(5_000)
        }
        return false
    }

    @Test func seesAnotherProcessCommit() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            _ = try store.commit { _ in
                var tx = Transaction()
                try tx.insert(Item(id: "mine", version: 0, value: 1, text: "here"), into: items)
                return (tx, ())
            }
            let changes = Changes()
            store.addChangeListener { changes.add($0) }

            // Nothing changed: refresh is empty and listeners hear nothing.
            #expect(try store.refresh().isEmpty)
            #expect(changes.all.isEmpty)

            let p = try Probe(["put", dir, "theirs", "from another process"])
            let seen = try Self.poll(store) { try store.view().get(items, id: "theirs") != nil }
            p.wait()
            #expect(p.status == 0, "\(p.stderr)")
            #expect(seen)
            #expect(store.seq == 2)
            #expect(try store.view().get(items, id: "theirs")?.text == "from another process")
            #expect(changes.ids("items") == ["theirs"])
            #expect(changes.all.allSatisfy { !$0.reloaded })

            // A second change to the same record, and an update seen as such.
            try runProbe(["put", dir, "theirs", "changed"])
            #expect(try Self.poll(store) { try store.view().get(items, id: "theirs")?.text == "changed" })
            #expect(store.view().version(items, id: "theirs") == 2)
            // Commits from this instance reach listeners too.
            _ = try store.commit { view in
                var tx = Transaction()
                try tx.update(Item(id: "mine", version: 0, value: 2, text: ""), in: items, expecting: view.version(items, id: "mine"))
                return (tx, ())
            }
            #expect(changes.all.last?.changed["items"] == ["mine"])
            #expect(changes.all.last?.toSeq == 4)
        }
    }

    @Test func anotherProcessSeesOurCommit() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            let watcher = try Probe(["watch", dir, "1"])
            let deadline = Date() + 10
            while watcher.lines.isEmpty, watcher.isRunning, Date() < deadline { usleep(2_000) }
            #expect(watcher.lines.first == "ready 0", "\(watcher.stderr)")
            try put(store, "a", "for the watcher")
            watcher.wait()
            #expect(watcher.status == 0, "\(watcher.stderr)")
            #expect(watcher.lines.last?.hasPrefix("seen ") == true)
        }
    }

    @Test func keepsWorkingAfterACompactionElsewhere() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let a = try FlatStore.create(at: dir)
            for k in 0..<5 { try put(a, "a\(k)", "one") }
            let changes = Changes()
            a.addChangeListener { changes.add($0) }

            // Another instance commits and compacts.
            let b = try FlatStore.open(at: dir)
            try put(b, "b", "from b")
            try put(b, "a0", "changed by b")
            try b.compact()
            try put(b, "after", "compaction")

            let refreshed = try a.refresh()
            #expect(refreshed.reloaded)
            #expect(changes.all.contains { $0.reloaded })
            #expect(a.seq == 8)
            #expect(try a.view().get(notes, id: "a0")?.text == "changed by b")
            #expect(try a.view().get(notes, id: "after") != nil)

            // a commits on the new journal; a third opener sees everything.
            #expect(try put(a, "from-a", "after the compaction") == 9)
            let c = try FlatStore.open(at: dir)
            #expect(c.seq == 9)
            #expect(try allNotes(c) == allNotes(a))
            #expect(try b.refresh().toSeq == 9)
            #expect(try allNotes(b) == allNotes(a))
        }
    }

    /// Compactions elsewhere free the journal's inode, and a later journal may get it back with
    /// the same size (a header alone): an instance that loaded the first one must not take the
    /// last one for it, or it would seal its next commit with a stale salt, and that commit,
    /// acknowledged, would be cut as a torn tail on the next open. On ext4 the third compaction
    /// reuses the inode when nothing holds the old journal open.
    @Test func commitAfterSeveralCompactionsElsewhere() throws {
        try withTempDir { tmp in
            for compactions in 1...4 {
                let dir = tmp + "/store\(compactions)"
                let first = try FlatStore.create(at: dir)
                try put(first, "a", "one")
                try first.compact()
                let a = try FlatStore.open(at: dir)  // a header-only journal; no commit before
                let b = try FlatStore.open(at: dir)
                for _ in 0..<compactions { try b.compact() }
                #expect(try put(a, "from-a", "after \(compactions) compactions") == 2, "\(compactions)")
                let c = try FlatStore.open(at: dir)
                #expect(c.seq == 2, "\(compactions)")
                #expect(try c.view().get(notes, id: "from-a") != nil, "\(compactions)")
                #expect(brokenFiles(dir).isEmpty, "\(compactions)")
                #expect(try FlatStore.check(at: dir).problems.isEmpty, "\(compactions)")
                #expect(try b.refresh().toSeq == 2, "\(compactions)")
                #expect(try b.view().get(notes, id: "from-a") != nil, "\(compactions)")
            }
        }
    }

    /// The same, with the reuse forced: a hard link keeps the old journal's inode, which then gets
    /// the new journal's bytes and its name back, so the journal has the inode and the size the
    /// instance loaded, but another salt.
    @Test func commitAfterACompactionThatReusedTheJournalInode() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let first = try FlatStore.create(at: dir)
            try put(first, "a", "one")
            try first.compact()
            let a = try FlatStore.open(at: dir)
            let inode = try POSIXFileIO().stat(dir + "/journal.jsonl").inode
            #expect(link(dir + "/journal.jsonl", dir + "/old-journal") == 0)
            try FlatStore.open(at: dir).compact()
            let fresh = try readBytes(dir + "/journal.jsonl")
            #expect(try fileSize(dir + "/old-journal") == Int64(fresh.count))
            try writeBytes(dir + "/old-journal", fresh)  // in place: same inode
            #expect(rename(dir + "/old-journal", dir + "/journal.jsonl") == 0)
            #expect(try POSIXFileIO().stat(dir + "/journal.jsonl").inode == inode)

            #expect(try put(a, "from-a", "after the reuse") == 2)
            let c = try FlatStore.open(at: dir)
            #expect(c.seq == 2)
            #expect(try c.view().get(notes, id: "from-a") != nil)
            #expect(brokenFiles(dir).isEmpty)
        }
    }

    /// A reader that only refreshes follows one compaction elsewhere after another.
    @Test func refreshFollowsRepeatedCompactions() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let w = try FlatStore.create(at: dir)
            try put(w, "a", "1")
            try w.compact()
            try put(w, "b", "1")  // journal: header and one line
            let reader = try FlatStore.open(at: dir, readOnly: true)
            for round in 0..<4 {
                try put(w, "b", "\(round + 2)")
                try w.compact()
                try put(w, "c\(round)", "1")
                #expect(try Self.poll(reader) { try reader.view().get(notes, id: "c\(round)") != nil }, "round \(round)")
                #expect(try allNotes(reader) == allNotes(w), "round \(round)")
            }
        }
    }

    @Test func commitWithoutRefreshFollowsACompactionByAnotherProcess() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let a = try FlatStore.create(at: dir)
            for k in 0..<5 { try put(a, "a\(k)", "one") }
            try runProbe(["put", dir, "p1", "x"])
            let compacted = try runProbe(["compact", dir])
            #expect(compacted.status == 0, "\(compacted.stderr)")
            #expect(compacted.lines == ["compacted 6 6"])
            try runProbe(["put", dir, "p2", "y"])
            // No refresh: the commit itself catches up across the compaction.
            #expect(try put(a, "a0", "two") == 8)
            #expect(try a.view().get(items, id: "p2") != nil)
            #expect(try a.view().get(notes, id: "a0")?.version == 2)
            let c = try FlatStore.open(at: dir)
            #expect(c.seq == 8)
            #expect(try allNotes(c) == allNotes(a))
            #expect(try c.view().all(items).map(\.id).sorted() == ["p1", "p2"])
            // Twice more, with a reader that only refreshes.
            let reader = try FlatStore.open(at: dir, readOnly: true)
            try runProbe(["compact", dir])
            try runProbe(["put", dir, "p3", "z"])
            try runProbe(["compact", dir])
            #expect(try Self.poll(reader) { reader.seq == 9 })
            #expect(try reader.view().get(items, id: "p3")?.text == "z")
        }
    }
}
