import Foundation
import Testing

@testable import FlatStore

/// Several processes racing optimistic updates of one record: every increment lands exactly once.
@Suite(.serialized) struct ConcurrencyTests {
    @Test func fourProcessesIncrementOneCounter() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            try FlatStore.create(at: dir)
            let probes = try (0..<4).map { _ in try Probe(["increment", dir, "250"]) }
            for p in probes { p.wait() }
            for p in probes {
                #expect(p.status == 0, "\(p.stderr)")
                #expect(p.lines.last?.hasPrefix("conflicts ") == true)
            }
            let dump = try runProbe(["dump", dir])
            #expect(dump.status == 0, "\(dump.stderr)")
            #expect(dump.lines.first == "seq 1000")
            #expect(dump.lines.contains("c 1000 1000 "), "\(dump.lines)")

            let store = try FlatStore.open(at: dir)
            #expect(store.seq == 1000)
            #expect(try store.view().get(items, id: "c") == Item(id: "c", version: 1000, value: 1000, text: ""))
            #expect(try FlatStore.check(at: dir).problems.isEmpty)
        }
    }

    /// Writers keep committing while another process compacts under them, again and again.
    @Test func incrementsSurviveConcurrentCompactions() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            let probes = try (0..<3).map { _ in try Probe(["increment", dir, "150"]) }
            var compactions = 0
            while probes.contains(where: { $0.isRunning }) {
                try store.compact()
                compactions += 1
                usleep(5_000)
            }
            for p in probes {
                p.wait()
                #expect(p.status == 0, "\(p.stderr)")
            }
            #expect(compactions > 0)
            // The compacting instance followed along; a fresh one agrees.
            try store.refresh()
            #expect(try store.view().get(items, id: "c")?.value == 450)
            let fresh = try FlatStore.open(at: dir)
            #expect(fresh.seq == 450)
            #expect(try fresh.view().get(items, id: "c") == Item(id: "c", version: 450, value: 450, text: ""))
            #expect(try FlatStore.check(at: dir).isHealthy)
        }
    }

    /// Threads of one process sharing one instance: commits are serialised, none is lost.
    @Test func threadsShareOneInstance() async throws {
        try await withTempDir { tmp in
            let dir = tmp + "/store"
            let store = try FlatStore.create(at: dir)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for t in 0..<4 {
                    group.addTask {
                        for k in 0..<50 {
                            _ = try store.commit { view in
                                var tx = Transaction()
                                let old = try view.get(notes, id: "shared")
                                let rec = Note(id: "shared", version: 0, text: "", n: (old?.n ?? 0) + 1)
                                if let old { try tx.update(rec, in: notes, expecting: old.version) } else { try tx.insert(rec, into: notes) }
                                try tx.insert(Note(id: "t\(t)-\(k)", version: 0, text: "", n: k), into: notes)
                                return (tx, ())
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(store.seq == 200)
            #expect(try store.view().get(notes, id: "shared")?.n == 200)
            let reopened = try FlatStore.open(at: dir)
            #expect(reopened.view().count(notes) == 201)
            #expect(try reopened.view().get(notes, id: "shared")?.version == 200)
        }
    }
}
