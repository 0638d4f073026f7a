import Foundation
import Harness
import Testing

@testable import FlatStore

/// A writer SIGKILLed at random moments loses no acknowledged commit: `flatstore-probe loop`
/// prints each seq after its commit returned; after every kill the store opens (so its commits
/// are contiguous), holds every printed seq, is healthy, and its records add up.
@Suite(.serialized) struct KillTests {
    /// Checks the store after a kill; returns its seq.
    static func verify(_ dir: String, acked: [UInt64], previous: UInt64, round: Int) throws -> UInt64 {
        let store = try FlatStore.open(at: dir)
        let seq = store.seq
        for s in acked { #expect(s <= seq, "round \(round): acknowledged commit \(s) lost, the store is at \(seq)") }
        #expect(seq >= previous, "round \(round): the store went back from \(previous) to \(seq)")
        #expect(acked == acked.sorted() && Set(acked).count == acked.count, "round \(round): acks out of order")
        // Every commit of the loop adds one to one item, so the values add up to the seq.
        let values = try store.view().all(items).reduce(0) { $0 + $1.value }
        #expect(UInt64(values) == seq, "round \(round): the items add up to \(values), the store is at \(seq)")
        let report = try FlatStore.check(at: dir)
        #expect(report.isHealthy, "round \(round): \(report.problems)")
        #expect(report.journalBadLine == nil, "round \(round): \(report.problems)")
        #expect(report.seq == seq)
        return seq
    }

    @Test func sigkillWritersAtRandomMoments() throws {
        try withTempDir { tmp in
            let dir = tmp + "/store"
            try FlatStore.create(at: dir)
            var seq: UInt64 = 0
            var kills = 0
            var ackedTotal = 0
            var killedAfterAck = 0
            var g = SeededRandom.fromEnvironment()
            for round in 0..<80 {
                // Every third writer also compacts after every 7 commits, so kills land in
                // compactions too.
                let p = try Probe(["loop", dir] + (round % 3 == 2 ? ["7"] : []))
                if round % 2 == 0 {
                    // Anywhere from start-up (open, tail repair) on.
                    usleep(UInt32.random(in: 0...80_000, using: &g))
                } else {
                    // While committing: after the first acknowledgement.
                    let deadline = Date() + 10
                    while p.lines.isEmpty, p.isRunning, Date() < deadline { usleep(500) }
                    usleep(UInt32.random(in: 0...40_000, using: &g))
                }
                p.kill()
                p.wait()
                #expect(p.killedBySignal, "round \(round), \(g): the writer exited by itself (\(p.status)): \(p.stderr)")
                kills += 1
                let acked = p.lines.compactMap { UInt64($0) }
                #expect(acked.count == p.lines.count, "round \(round): unexpected output \(p.lines)")
                ackedTotal += acked.count
                if !acked.isEmpty { killedAfterAck += 1 }
                seq = try Self.verify(dir, acked: acked, previous: seq, round: round)
                // Keep the journal short so the suite stays fast.
                if round % 10 == 9 { try FlatStore.open(at: dir).compact() }
            }
            #expect(kills >= 50)
            #expect(killedAfterAck >= 35, "only \(killedAfterAck) writers were killed after committing, \(g)")
            #expect(ackedTotal > 0)
        }
    }
}
