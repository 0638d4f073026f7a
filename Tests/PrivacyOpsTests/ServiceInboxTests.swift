import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// The contact form's spool (DESIGN.md §5): one request per file, carrying its name; a file taken
/// twice counted once; unreadable files set aside with a reason; nothing lost, nothing half taken.
@Suite struct ServiceInboxTests {
    @Test func ingestTakesEachFileOnceAndMovesItToCur() throws {
        let w = try ServiceWorld(clock: "2026-03-02T09:00:00Z")
        let alice = try w.addCustomer("Alice", email: "alice@example.com", phone: "+1 555 010 1111")
        let sam = try w.open(.support)
        let files: [(String, [String: Any])] = [
            ("1772442000.a1.web1", ["contact": "ALICE@example.com", "scopes": ["newsletter"], "submitted_at": "2026-02-27T16:00:00Z",
                                    "name": "Alice", "message": "Stop, please."]),
            ("1772442001.b2.web1", ["contact": "1-555-010-1111", "scopes": ["all"]]),
            ("1772442002.c3.web2", ["contact": "nobody@example.org", "submitted_at": "2026-03-01T10:00:00.250+01:00"]),
        ]
        for (name, object) in files { try w.deliver(object, name: name) }
        #expect(try w.spool.waiting() == files.map(\.0))
        let seq = w.seq
        let report = try sam.ingestOptOuts()
        #expect(report.taken == files.map(\.0))
        #expect(report.alreadyTaken.isEmpty && report.rejected.isEmpty)
        #expect(w.seq == seq + 3, "one commit per file")
        #expect(serviceListing(w.spool.newDir).isEmpty)
        #expect(serviceListing(w.spool.curDir) == files.map(\.0))
        #expect(serviceListing(w.spool.badDir).isEmpty)
        let requests = Dictionary(uniqueKeysWithValues: try sam.listOptOuts().map { ($0.spoolFile ?? "-", $0) })
        #expect(Set(requests.keys) == Set(files.map(\.0)))
        let a = try #require(requests["1772442000.a1.web1"])
        #expect(a.contact == "ALICE@example.com" && a.scopes == [.newsletter] && a.source == "contact-form")
        #expect(a.name == "Alice" && a.message == "Stop, please.")
        #expect(a.matches == [alice.id])
        #expect(a.receivedAt == "2026-02-27T16:00:00Z")
        #expect(a.dueAt == "2026-03-13T16:00:00Z")
        let b = try #require(requests["1772442001.b2.web1"])
        #expect(b.scopes == OptOutScope.allCases.sorted() && b.channel == .phone && b.matches == [alice.id])
        #expect(b.receivedAt == "2026-03-02T09:00:00Z", "no submitted_at: received when taken")
        let c = try #require(requests["1772442002.c3.web2"])
        #expect(c.scopes == OptOutScope.allCases.sorted(), "scopes left out: every marketing scope")
        #expect(c.matches.isEmpty)
        #expect(c.receivedAt == "2026-03-01T09:00:00Z")
        // Each commit's audit event names its file and its request.
        let events = try w.open(.auditor).listAudit(limit: 3).reversed()
        #expect(events.map(\.target) == files.map(\.0))
        #expect(events.map(\.caseId) == files.map { requests[$0.0]?.id })
    }

    @Test func aFileTakenTwiceIsCountedOnce() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let name = "1772442000.twice.web1"
        try w.deliver(["contact": "twice@example.com"], name: name)
        #expect(try sam.ingestOptOuts().taken == [name])
        // As after a crash between the commit and the move: the file is back in new/.
        try FileManager.default.copyItem(atPath: w.spool.curDir + "/" + name, toPath: w.spool.newDir + "/" + name)
        let seq = w.seq
        let again = try sam.ingestOptOuts()
        #expect(again.taken.isEmpty)
        #expect(again.alreadyTaken == [name])
        #expect(w.seq == seq)
        #expect(try sam.listOptOuts().filter { $0.spoolFile == name }.count == 1)
        #expect(serviceListing(w.spool.newDir).isEmpty)
        #expect(serviceListing(w.spool.curDir) == [name])
        // Another process taking it meanwhile is the same: a second instance sees it as taken.
        try FileManager.default.copyItem(atPath: w.spool.curDir + "/" + name, toPath: w.spool.newDir + "/" + name)
        let ada = try w.open(.admin)
        #expect(try ada.ingestOptOuts().alreadyTaken == [name])
        #expect(w.count(Collections.optouts) == 1)
    }

    static let malformed: [(name: String, raw: String, reason: String)] = [
        ("1772442000.notjson.web1", "contact=alice@example.com", "JSON"),
        ("1772442001.array.web1", #"["alice@example.com"]"#, "JSON"),
        ("1772442002.nocontact.web1", #"{"scopes": ["newsletter"], "name": "Alice"}"#, "contact"),
        ("1772442003.scope.web1", #"{"contact": "alice@example.com", "scopes": ["newsletter", "everything"]}"#, "scope"),
        ("1772442004.when.web1", #"{"contact": "alice@example.com", "submitted_at": "yesterday"}"#, "submitted_at"),
        ("1772442005.card.web1", #"{"contact": "4111 1111 1111 1111", "message": "card"}"#, "card number"),
        ("1772442006.blank.web1", #"{"contact": "   "}"#, "contact"),
        ("1772442007.which.web1", #"{"contact": "12"}"#, "contact point"),
        ("1772442008.empty.web1", "", "JSON"),
        ("1772442009.binary.web1", "\u{0}\u{1}\u{2}", "JSON"),
    ]

    @Test func malformedFilesGoToBadWithAReason() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        for f in Self.malformed { try w.deliver(raw: f.raw, name: f.name) }
        try w.deliver(["contact": "good@example.com"], name: "1772442100.good.web1")
        let seq = w.seq
        let report = try sam.ingestOptOuts()
        #expect(report.taken == ["1772442100.good.web1"])
        #expect(report.rejected.map(\.file) == Self.malformed.map(\.name))
        #expect(w.seq == seq + 1, "only the good file was committed")
        #expect(try sam.listOptOuts().map(\.spoolFile) == ["1772442100.good.web1"])
        #expect(serviceListing(w.spool.newDir).isEmpty)
        #expect(serviceListing(w.spool.curDir) == ["1772442100.good.web1"])
        let bad = w.spool.badDir
        #expect(serviceListing(bad) == Self.malformed.flatMap { [$0.name, $0.name + ".reason"] }.sorted())
        for f in Self.malformed {
            // Kept as it came (a card number masked), with its reason beside it.
            #expect(serviceFileBytes(bad + "/" + f.name) == CardNumberGuard.masked(bytes: Array(f.raw.utf8), json: true), "\(f.name)")
            let reason = String(decoding: serviceFileBytes(bad + "/" + f.name + ".reason") ?? [], as: UTF8.self)
            #expect(reason.contains(f.reason), "\(f.name): \(reason)")
            #expect(!reason.contains("4111"), "\(f.name): the reason repeats a card number")
            #expect(report.rejected.first { $0.file == f.name }?.reason.isEmpty == false)
        }
        // Ingesting again finds nothing to do.
        let again = try sam.ingestOptOuts()
        #expect(again.taken.isEmpty && again.rejected.isEmpty && again.alreadyTaken.isEmpty)
        #expect(w.seq == seq + 1)
    }

    @Test func filesArrivingDuringIngestAreNeverLostOrHalfTaken() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let spool = w.spool
        let total = 120
        let names = (0..<total).map { String(format: "1772442%03d.race%03d.web1", $0, $0) }
        // A few waiting before ingest starts.
        for name in names.prefix(10) {
            try spool.deliver(Array(#"{"contact": "\#(name)@example.com"}"#.utf8), name: name)
        }
        let start = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let failures = Failures()
        let later = Array(names.dropFirst(10))
        Thread.detachNewThread {
            start.wait()
            for (k, name) in later.enumerated() {
                do {
                    try spool.deliver(Array(#"{"contact": "\#(name)@example.com"}"#.utf8), name: name)
                } catch { failures.add("\(name): \(error)") }
                if k % 5 == 0 { usleep(500) }
            }
            done.signal()
        }
        var taken: [String] = []
        var rounds = 0
        // Ingest while the form keeps delivering.
        start.signal()
        repeat {
            let r = try sam.ingestOptOuts()
            #expect(r.rejected.isEmpty && r.alreadyTaken.isEmpty, "\(r.rejected.map(\.reason))")
            taken += r.taken
            rounds += 1
            // Between rounds: every file is taken (in cur/, one request) or waiting (in new/).
            try Self.expectConsistent(w, sam, delivered: Set(serviceListing(spool.curDir) + serviceListing(spool.newDir)))
            usleep(200)
        } while done.wait(timeout: .now()) == .timedOut
        #expect(failures.all.isEmpty)
        #expect(rounds >= 1)
        try Self.expectConsistent(w, sam, delivered: Set(names))
        // The rest is taken by one more round; each file exactly once.
        taken += try sam.ingestOptOuts().taken
        #expect(taken.sorted() == names)
        #expect(serviceListing(spool.newDir).isEmpty)
        #expect(serviceListing(spool.curDir) == names)
        #expect(try sam.listOptOuts().compactMap(\.spoolFile).sorted() == names)
    }

    /// Every delivered file is either taken (in cur/, exactly one request) or waiting (in new/,
    /// no request); none elsewhere, none in both.
    static func expectConsistent(_ w: ServiceWorld, _ ops: PrivacyOps, delivered: Set<String>,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let spool = w.spool
        try ops.refresh()
        let cur = Set(serviceListing(spool.curDir))
        let new = Set(serviceListing(spool.newDir))
        var perFile: [String: Int] = [:]
        for r in try ops.listOptOuts() { if let f = r.spoolFile { perFile[f, default: 0] += 1 } }
        #expect(cur.isDisjoint(with: new), "in both: \(cur.intersection(new))", sourceLocation: sourceLocation)
        #expect(serviceListing(spool.badDir).isEmpty, sourceLocation: sourceLocation)
        #expect(delivered.isSubset(of: cur.union(new)), "lost: \(delivered.subtracting(cur.union(new)))", sourceLocation: sourceLocation)
        for name in cur { #expect(perFile[name] == 1, "\(name) in cur/ with \(perFile[name] ?? 0) requests", sourceLocation: sourceLocation) }
        for name in new { #expect(perFile[name] == nil, "\(name) waiting but already committed", sourceLocation: sourceLocation) }
    }

    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
    }

    @Test func spoolNeedsTheRole() throws {
        let w = try ServiceWorld()
        try w.deliver(["contact": "x@example.com"], name: "1772442000.x.web1")
        for role in [Role.moderator, .auditor] {
            #expect(serviceExitCode { try w.open(role).ingestOptOuts() } == 77)
        }
        // Refused callers do not touch the spool.
        #expect(try w.spool.waiting() == ["1772442000.x.web1"])
    }
}
