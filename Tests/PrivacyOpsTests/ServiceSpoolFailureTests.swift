import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// The contact form's spool is written by another account: a link or a FIFO in new/ is never
/// followed or read, and a rename or a write that fails is reported, never swallowed: a request is
/// never half taken or silently left in new/, and a file is never in bad/ without its reason.
@Suite struct ServiceSpoolFailureTests {
    static let malformed = "contact=alice@example.com"
    static let victim = #"{"contact": "victim@example.com", "message": "card 4111 1111 1111 1111"}"#

    /// Every entry of a folder, dot files included, with its kind.
    static func entries(_ dir: String) -> [String] { serviceListing(dir) }

    @Test func linksFIFOsAndHugeFilesAreSetAsideUnread() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        try w.spool.prepare()
        // A root-only request elsewhere, which the form's account must not be able to make us take.
        let victim = w.base + "/root-only.json"
        #expect(FileManager.default.createFile(atPath: victim, contents: Data(Self.victim.utf8),
                                               attributes: [.posixPermissions: 0o600]))
        let link = "1772442000.link.web1", fifo = "1772442001.fifo.web1", huge = "1772442002.huge.web1"
        try FileManager.default.createSymbolicLink(atPath: w.spool.newDir + "/" + link, withDestinationPath: victim)
        #expect(mkfifo(w.spool.newDir + "/" + fifo, 0o600) == 0)
        let padding = String(repeating: " ", count: Int(OptOutSpool.maxRequestBytes))
        #expect(FileManager.default.createFile(atPath: w.spool.newDir + "/" + huge, contents: Data((#"{"contact": "huge@example.com"}"# + padding).utf8)))
        try w.deliver(["contact": "good@example.com"], name: "1772442003.good.web1")
        let report = try sam.ingestOptOuts()
        #expect(report.taken == ["1772442003.good.web1"])
        #expect(report.failed.isEmpty, "\(report.failed)")
        #expect(report.rejected.map(\.file) == [link, fifo, huge])
        for (name, word) in [(link, "symbolic link"), (fifo, "not a regular file"), (huge, "larger than")] {
            let reason = String(decoding: serviceFileBytes(w.spool.badDir + "/" + name + ".reason") ?? [], as: UTF8.self)
            #expect(reason.contains(word), "\(name): \(reason)")
        }
        // The link itself was moved, not what it points at.
        var st = stat()
        #expect(lstat(w.spool.badDir + "/" + link, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK)
        #expect(serviceFileBytes(victim) == Array(Self.victim.utf8))
        #expect(try sam.listOptOuts().map(\.contact) == ["good@example.com"])
        #expect(serviceListing(w.spool.newDir).isEmpty)
        // What bad/ keeps is never followed or opened as it stands, by store scan either.
        #expect(try w.open(.auditor).scanStore().isEmpty, "store scan read through the link in bad/")
    }

    /// A step of setting a file aside (or reading it) to fail.
    struct Step: CustomStringConvertible, Sendable {
        var description: String
        var inject: @Sendable (FaultyFileIO, String) -> Void
        /// What the report says.
        var word: String
    }

    static let setAsideSteps: [Step] = [
        Step(description: "read", inject: { io, name in io.fail(.pread, path: "/new/" + name, errno: EIO) }, word: "cannot read"),
        Step(description: "reason: write", inject: { io, _ in io.fail(.pwrite, .nth(1), errno: ENOSPC) }, word: ".reason could not be written"),
        Step(description: "reason: short write", inject: { io, _ in io.shortWrite(keeping: 3) }, word: ".reason could not be written"),
        Step(description: "reason: fsync", inject: { io, _ in io.fail(.fsync, .nth(1), errno: EIO) }, word: ".reason could not be written"),
        Step(description: "reason: rename", inject: { io, name in io.fail(.rename, path: "/bad/" + name + ".reason", errno: EIO) },
             word: ".reason could not be written"),
        Step(description: "reason: directory fsync", inject: { io, _ in io.fail(.fsync, path: "/bad", .nth(1), errno: EIO) },
             word: ".reason could not be written"),
        Step(description: "move to bad/", inject: { io, name in io.fail(.rename, path: "/bad/" + name, errno: EIO) },
             word: "could not be moved to bad/"),
    ]

    @Test(arguments: setAsideSteps)
    func aFailureWhileSettingAsideLeavesTheFileInNewUntouched(_ step: Step) throws {
        let w = try ServiceWorld()
        let name = "1772442000.bad.web1"
        try w.deliver(raw: Self.malformed, name: name)
        let io = FaultyFileIO()
        let sam = try w.open(.support, io: io)
        step.inject(io, name)
        let seq = w.seq
        let report = try sam.ingestOptOuts()
        #expect(io.injectedCount >= 1, "\(step): the fault never fired")
        #expect(report.rejected.isEmpty && report.taken.isEmpty, "\(step)")
        let failure = try #require(report.failed.first { $0.file == name }, "\(step): not reported")
        #expect(failure.problem.contains(step.word), "\(step): \(failure.problem)")
        #expect(w.seq == seq)
        // Left as it came; nothing (no reason, no temporary file) in bad/.
        #expect(serviceFileBytes(w.spool.newDir + "/" + name) == Array(Self.malformed.utf8), "\(step)")
        #expect(Self.entries(w.spool.badDir).isEmpty, "\(step): \(Self.entries(w.spool.badDir))")
        // Once the fault is gone, the next ingest sets it aside with its reason.
        io.removeAllFaults()
        let again = try sam.ingestOptOuts()
        #expect(again.rejected.map(\.file) == [name] && again.failed.isEmpty, "\(step): \(again.failed)")
        #expect(Self.entries(w.spool.badDir) == [name, name + ".reason"])
        #expect(serviceListing(w.spool.newDir).isEmpty)
    }

    @Test func aFileAlreadyInBadIsNotOverwritten() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let name = "1772442000.twice.web1"
        try w.spool.prepare()
        #expect(FileManager.default.createFile(atPath: w.spool.badDir + "/" + name, contents: Data("older".utf8)))
        #expect(FileManager.default.createFile(atPath: w.spool.badDir + "/" + name + ".reason", contents: Data("older reason\n".utf8)))
        try w.deliver(raw: Self.malformed, name: name)
        let report = try sam.ingestOptOuts()
        #expect(report.failed.map(\.file) == [name] && report.rejected.isEmpty)
        #expect(serviceFileBytes(w.spool.badDir + "/" + name) == Array("older".utf8))
        #expect(serviceFileBytes(w.spool.badDir + "/" + name + ".reason") == Array("older reason\n".utf8))
        #expect(serviceFileBytes(w.spool.newDir + "/" + name) == Array(Self.malformed.utf8))
    }

    @Test func aFailedMoveToCurIsReportedAndFinishedByTheNextIngest() throws {
        let w = try ServiceWorld()
        let name = "1772442000.good.web1"
        try w.deliver(["contact": "good@example.com"], name: name)
        let io = FaultyFileIO()
        let sam = try w.open(.support, io: io)
        io.fail(.rename, path: "/cur/" + name, errno: EIO)
        let report = try sam.ingestOptOuts()
        #expect(report.taken == [name])
        let failure = try #require(report.failed.first)
        #expect(failure.file == name && failure.problem.contains("could not be moved to cur/"), "\(failure)")
        #expect(serviceListing(w.spool.newDir) == [name])
        io.removeAllFaults()
        let again = try sam.ingestOptOuts()
        #expect(again.alreadyTaken == [name] && again.taken.isEmpty && again.failed.isEmpty)
        #expect(serviceListing(w.spool.newDir).isEmpty && serviceListing(w.spool.curDir) == [name])
        #expect(try sam.listOptOuts().filter { $0.spoolFile == name }.count == 1, "taken twice")
    }

    @Test(.flatStoreOnly) func aFailedCommitLeavesTheFileInNew() throws {
        let w = try ServiceWorld()
        let name = "1772442000.good.web1"
        try w.deliver(["contact": "good@example.com"], name: name)
        let io = FaultyFileIO()
        let sam = try w.open(.support, io: io)
        io.fail(.pwrite, path: FlatStore.journalName, errno: ENOSPC)
        let error = serviceError { try sam.ingestOptOuts() }
        #expect(error?.exitCode == 1 || error?.exitCode == 75, "\(String(describing: error))")
        #expect(serviceListing(w.spool.newDir) == [name] && serviceListing(w.spool.curDir).isEmpty)
        #expect(try w.open(.support).listOptOuts().isEmpty)
        // A fresh process takes it.
        #expect(try w.open(.support).ingestOptOuts().taken == [name])
    }
}
