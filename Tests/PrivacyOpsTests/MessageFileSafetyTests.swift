import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// A customer (or the mail system) controls the files in a Maildir. Between indexing and a later
/// view, block, unblock or delete, the message file, its folder or the Maildir itself is swapped
/// for a symbolic link to a root-owned file elsewhere (as /etc/shadow would be), for a FIFO, or
/// for other content. Each must be refused (65 for the Maildir, 1 for the store's own quarantine
/// copy), audited as a refusal, reported by `store check`, and nothing outside the Maildir may be
/// read, written or removed.
@Suite struct MessageFileSafetyTests {
    /// A root-owned secret outside every Maildir, and a folder of such files.
    struct Outside {
        let dir: String
        let secret: String
        static let text = "root:$6$SECRET-SHADOW-HASH$abcdef:19000:0:99999:7:::\n"

        init(_ w: ServiceWorld) throws {
            dir = w.base + "/outside-\(w.next())"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            secret = dir + "/shadow"
            try Self.writeSecret(secret)
        }

        static func writeSecret(_ path: String) throws {
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw OpsError.failure("cannot write \(path)")
            }
        }

        /// Every file under the outside folder, with its bytes.
        func snapshot() -> [String: [UInt8]] {
            var out: [String: [UInt8]] = [:]
            let walker = FileManager.default.enumerator(atPath: dir)
            while let rel = walker?.nextObject() as? String {
                var st = stat()
                guard lstat(dir + "/" + rel, &st) == 0 else { continue }
                if (st.st_mode & S_IFMT) == S_IFREG { out[rel] = serviceFileBytes(dir + "/" + rel) ?? [] } else {
                    out[rel] = Array("<\(st.st_mode & S_IFMT)>".utf8)
                }
            }
            return out
        }
    }

    /// How the Maildir is tampered with after indexing.
    enum Swap: String, CaseIterable, CustomStringConvertible, Sendable {
        /// The message file becomes a symbolic link to the secret.
        case messageLink
        /// The message's folder (cur/ or new/) becomes a link to an outside folder holding a file
        /// of the message's name (with the secret in it).
        case folderLink
        /// The Maildir itself becomes a link to an outside copy of its layout.
        case maildirLink
        /// The file is rewritten in place (same inode, other bytes).
        case contentChanged
        /// Another regular file, byte for byte the message, takes its name (another inode).
        case replacedFile
        /// A FIFO takes its name (opening it for reading would block forever).
        case fifo

        var description: String { rawValue }

        /// What the refusal (and `store check`) says.
        var word: String {
            switch self {
            case .messageLink, .folderLink, .maildirLink: "symbolic link"
            case .contentChanged: "no longer matches"
            case .replacedFile: "not the file that was indexed"
            case .fifo: "not a regular file"
            }
        }

        func apply(to c: Communication, outside: Outside) throws {
            let fm = FileManager.default
            let path = c.maildirPath
            switch self {
            case .messageLink:
                try fm.removeItem(atPath: path)
                try fm.createSymbolicLink(atPath: path, withDestinationPath: outside.secret)
            case .folderLink:
                let folder = outside.dir + "/folder"
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Outside.writeSecret(folder + "/" + c.filename)
                try fm.moveItem(atPath: c.maildir + "/" + c.subdir, toPath: c.maildir + "/" + c.subdir + ".orig")
                try fm.createSymbolicLink(atPath: c.maildir + "/" + c.subdir, withDestinationPath: folder)
            case .maildirLink:
                let copy = outside.dir + "/maildir"
                for sub in ["cur", "new", "tmp"] { try fm.createDirectory(atPath: copy + "/" + sub, withIntermediateDirectories: true) }
                try Outside.writeSecret(copy + "/" + c.subdir + "/" + c.filename)
                try fm.moveItem(atPath: c.maildir, toPath: c.maildir + ".orig")
                try fm.createSymbolicLink(atPath: c.maildir, withDestinationPath: copy)
            case .contentChanged:
                let fd = open(path, O_WRONLY | O_TRUNC)
                guard fd >= 0 else { throw OpsError.failure("open \(path)") }
                _ = Outside.text.withCString { write(fd, $0, strlen($0)) }
                close(fd)
            case .replacedFile:
                let bytes = try #require(serviceFileBytes(path))
                let other = path + ".other"
                #expect(fm.createFile(atPath: other, contents: Data(bytes)))
                #expect(rename(other, path) == 0)
            case .fifo:
                try fm.removeItem(atPath: path)
                #expect(mkfifo(path, 0o600) == 0)
            }
        }
    }

    /// The call was refused with `code`, saying why without the secret; exactly one audit event
    /// (the refusal) was committed; `store check` names the message.
    static func expectRefused(_ w: ServiceWorld, _ error: OpsError?, code: Int32, word: String, seq: UInt64, comm: Communication,
                              attempted: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try #require(error, "not refused", sourceLocation: sourceLocation)
        #expect(error.exitCode == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix("refused: ") && error.message.contains(word), "\(error)", sourceLocation: sourceLocation)
        #expect(!error.message.contains("SECRET"), "\(error)", sourceLocation: sourceLocation)
        #expect(w.seq == seq + 1, "expected exactly the refusal to be committed", sourceLocation: sourceLocation)
        let event = try #require(w.lastAudit, sourceLocation: sourceLocation)
        #expect(event.action == "comms.file-refused" && event.target == comm.id, "\(event)", sourceLocation: sourceLocation)
        #expect(event.detail.hasPrefix(attempted + " refused: ") && event.detail.contains(word), "\(event.detail)", sourceLocation: sourceLocation)
        #expect(!event.detail.contains("SECRET"), sourceLocation: sourceLocation)
        let problems = try w.open(.auditor).checkStore().messages
        #expect(problems.contains { $0.hasPrefix(comm.id) && $0.contains(word) }, "store check: \(problems)", sourceLocation: sourceLocation)
        #expect(!problems.joined().contains("SECRET"), sourceLocation: sourceLocation)
    }

    // MARK: View, block and delete of a visible message

    @Test(arguments: Swap.allCases)
    func viewRefusesASwappedFile(_ swap: Swap) throws {
        let w = try ServiceWorld()
        let outside = try Outside(w)
        let mo = try w.open(.moderator)
        let (comm, report) = try w.openCase()
        try swap.apply(to: comm, outside: outside)
        let before = outside.snapshot()
        let seq = w.seq
        let error = serviceError { try mo.viewContent(comm.id, case: report.id) }
        try Self.expectRefused(w, error, code: 65, word: swap.word, seq: seq, comm: comm, attempted: "comms.view")
        #expect(outside.snapshot() == before)
        #expect(!(try w.open(.auditor).listAudit()).contains { $0.action == "comms.view" }, "a refused view was audited as a view")
    }

    @Test(arguments: Swap.allCases)
    func blockRefusesASwappedFile(_ swap: Swap) throws {
        let w = try ServiceWorld()
        let outside = try Outside(w)
        let mo = try w.open(.moderator)
        let comm = try w.importMessages(count: 2)[1]  // in cur/, with flags
        let report = try w.root.fileReport(communication: comm.id, trigger: .abuseReport, reason: "spam", reporter: nil)
        try swap.apply(to: comm, outside: outside)
        let before = outside.snapshot()
        let seq = w.seq
        let error = serviceError { try mo.block(report: report.id, ground: .harmCustomers, clause: nil, note: "phishing") }
        try Self.expectRefused(w, error, code: 65, word: swap.word, seq: seq, comm: comm, attempted: "moderation.block")
        #expect(try w.communication(comm.id).state == .visible)
        #expect(serviceListing(w.storeFiles + "/quarantine").isEmpty, "something was copied into the quarantine")
        #expect(outside.snapshot() == before, "a file outside the Maildir was changed or removed")
    }

    @Test(arguments: Swap.allCases)
    func deleteRefusesASwappedFile(_ swap: Swap) throws {
        let w = try ServiceWorld()
        let outside = try Outside(w)
        let mo = try w.open(.moderator)
        let (comm, report) = try w.openCase()
        try swap.apply(to: comm, outside: outside)
        let before = outside.snapshot()
        let seq = w.seq
        let error = serviceError { try mo.delete(report: report.id, ground: .harmCompany, note: "malware", confirmed: true) }
        try Self.expectRefused(w, error, code: 65, word: swap.word, seq: seq, comm: comm, attempted: "moderation.delete")
        #expect(try w.communication(comm.id).state == .visible)
        #expect(outside.snapshot() == before, "a file outside the Maildir was changed or removed")
    }

    // MARK: The quarantine copy (the store's own file)

    enum QuarantineSwap: String, CaseIterable, CustomStringConvertible, Sendable {
        case link, changed, fifo
        var description: String { rawValue }
        var word: String {
            switch self {
            case .link: "symbolic link"
            case .changed: "no longer matches"
            case .fifo: "not a regular file"
            }
        }

        func apply(_ path: String, outside: Outside) throws {
            switch self {
            case .link:
                try FileManager.default.removeItem(atPath: path)
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: outside.secret)
            case .changed:
                #expect(FileManager.default.createFile(atPath: path, contents: Data("altered".utf8)))
            case .fifo:
                try FileManager.default.removeItem(atPath: path)
                #expect(mkfifo(path, 0o600) == 0)
            }
        }
    }

    @Test(arguments: QuarantineSwap.allCases)
    func aSwappedQuarantineCopyIsNeitherShownNorPutBackNorDeleted(_ swap: QuarantineSwap) throws {
        let w = try ServiceWorld()
        let outside = try Outside(w)
        let mo = try w.open(.moderator)
        let (comm, report) = try w.blockedCase()
        try swap.apply(w.storeFiles + "/quarantine/" + comm.id, outside: outside)
        let before = outside.snapshot()
        for (attempted, call) in [
            ("comms.view", { _ = try mo.viewContent(comm.id, case: report.id) }),
            ("moderation.unblock", { _ = try mo.unblock(report: report.id, reason: "appeal upheld") }),
            ("moderation.delete", { _ = try mo.delete(report: report.id, ground: .harmCompany, note: "x", confirmed: true) }),
        ] as [(String, () throws -> Void)] {
            let seq = w.seq
            let error = serviceError(call)
            try Self.expectRefused(w, error, code: 1, word: swap.word, seq: seq, comm: comm, attempted: attempted)
            #expect(try w.communication(comm.id).state == .blocked, "\(attempted)")
        }
        // Nothing was put back into the Maildir, and nothing outside changed.
        #expect(ServiceContentAndModerationTests.copies(of: comm, store: w.storeFiles).maildir.isEmpty)
        #expect(serviceListing(comm.maildir + "/tmp").isEmpty)
        #expect(outside.snapshot() == before)
    }

    // MARK: Unblock into a Maildir that changed meanwhile

    enum UnblockSwap: String, CaseIterable, CustomStringConvertible, Sendable {
        /// The Maildir becomes a link to an outside folder with the same layout.
        case maildirLink
        /// The message's folder becomes a link to an outside folder.
        case folderLink
        /// tmp/ (where the copy is staged) becomes a link to an outside folder.
        case tmpLink
        /// A link to the secret waits at the message's name.
        case linkAtDestination
        /// A link to a file that does not exist yet waits at the message's name.
        case danglingLinkAtDestination
        var description: String { rawValue }
        var word: String {
            switch self {
            case .maildirLink, .folderLink, .tmpLink: "symbolic link"
            case .linkAtDestination, .danglingLinkAtDestination: "already taken"
            }
        }

        func apply(to c: Communication, outside: Outside) throws {
            let fm = FileManager.default
            let target = outside.dir + "/target"
            try fm.createDirectory(atPath: target + "/cur", withIntermediateDirectories: true)
            for sub in ["new", "tmp"] { try fm.createDirectory(atPath: target + "/" + sub, withIntermediateDirectories: true) }
            switch self {
            case .maildirLink:
                try fm.moveItem(atPath: c.maildir, toPath: c.maildir + ".orig")
                try fm.createSymbolicLink(atPath: c.maildir, withDestinationPath: target)
            case .folderLink:
                try fm.moveItem(atPath: c.maildir + "/" + c.subdir, toPath: c.maildir + "/" + c.subdir + ".orig")
                try fm.createSymbolicLink(atPath: c.maildir + "/" + c.subdir, withDestinationPath: target + "/cur")
            case .tmpLink:
                try fm.moveItem(atPath: c.maildir + "/tmp", toPath: c.maildir + "/tmp.orig")
                try fm.createSymbolicLink(atPath: c.maildir + "/tmp", withDestinationPath: target + "/tmp")
            case .linkAtDestination:
                try fm.createSymbolicLink(atPath: c.maildirPath, withDestinationPath: outside.secret)
            case .danglingLinkAtDestination:
                try fm.createSymbolicLink(atPath: c.maildirPath, withDestinationPath: target + "/created-by-root")
            }
        }
    }

    @Test(arguments: UnblockSwap.allCases)
    func unblockWritesNothingOutsideTheMaildir(_ swap: UnblockSwap) throws {
        let w = try ServiceWorld()
        let outside = try Outside(w)
        let mo = try w.open(.moderator)
        let (comm, report) = try w.blockedCase()
        try swap.apply(to: comm, outside: outside)
        let before = outside.snapshot()
        let seq = w.seq
        let error = serviceError { try mo.unblock(report: report.id, reason: "appeal upheld") }
        let e = try #require(error)
        #expect(e.exitCode == 65 && e.message.hasPrefix("refused: ") && e.message.contains(swap.word), "\(e)")
        #expect(w.seq == seq + 1)
        #expect(w.lastAudit?.action == "comms.file-refused" && w.lastAudit?.detail.hasPrefix("moderation.unblock refused") == true)
        #expect(try w.communication(comm.id).state == .blocked)
        #expect(ServiceContentAndModerationTests.intact(w.storeFiles + "/quarantine/" + comm.id, comm), "the quarantine copy was lost")
        #expect(outside.snapshot() == before, "unblock wrote outside the Maildir")
        #expect(!FileManager.default.fileExists(atPath: outside.dir + "/target/created-by-root"))
        let problems = try w.open(.auditor).checkStore().messages
        #expect(problems.contains { $0.hasPrefix(comm.id) && $0.contains("symbolic link") }, "store check: \(problems)")
        // Repair does not touch what is not the message.
        _ = try w.root.checkStore(repair: true)
        #expect(outside.snapshot() == before)
        #expect(ServiceContentAndModerationTests.intact(w.storeFiles + "/quarantine/" + comm.id, comm))
    }

    // MARK: Owner, group and mode

    @Test func unblockGivesBackTheOwnerGroupAndMode() throws {
        let w = try ServiceWorld()
        let mo = try w.open(.moderator)
        let (comm, report) = try w.openCase()
        // As the mail server leaves it: the mail user's file, readable by its group.
        #expect(chown(comm.maildirPath, 1234, 1235) == 0)
        #expect(chmod(comm.maildirPath, 0o640) == 0)
        _ = try mo.block(report: report.id, ground: .harmCustomers, clause: nil, note: "phishing")
        var q = stat()
        #expect(lstat(w.storeFiles + "/quarantine/" + comm.id, &q) == 0)
        #expect(q.st_uid == 0 && q.st_mode & 0o7777 == 0o600, "the quarantine copy is root's alone")
        _ = try mo.unblock(report: report.id, reason: "appeal upheld")
        var st = stat()
        #expect(lstat(comm.maildirPath, &st) == 0)
        #expect(st.st_uid == 1234 && st.st_gid == 1235, "owner \(st.st_uid):\(st.st_gid)")
        #expect(st.st_mode & 0o7777 == 0o640, "mode \(String(st.st_mode & 0o7777, radix: 8))")
        #expect(ServiceContentAndModerationTests.intact(comm.maildirPath, comm))
        // The file put back is the one to expect from now on: viewing it again works.
        let again = try w.root.fileReport(communication: comm.id, trigger: .legal, reason: "again", reporter: nil)
        #expect(try mo.viewContent(comm.id, case: again.id).text.contains("Body of message"))
        let after = try w.communication(comm.id)
        #expect(after.inode == UInt64(st.st_ino) && after.fileUID == 1234 && after.fileGID == 1235 && after.fileMode == 0o640)
    }

    @Test func unblockThatCannotRestoreTheOwnerChangesNothing() throws {
        let w = try ServiceWorld()
        let (comm, report) = try w.openCase()
        #expect(chown(comm.maildirPath, 1234, 1234) == 0)
        _ = try w.root.block(report: report.id, ground: .harmCustomers, clause: nil, note: "phishing")
        let io = FaultyFileIO()
        let mo = try w.open(.moderator, io: io)
        io.fail(.fchown, .every, errno: EPERM)
        let seq = w.seq
        let error = try #require(serviceError { try mo.unblock(report: report.id, reason: "appeal upheld") })
        #expect(error.exitCode == 1)
        #expect(error.message.contains("owner 1234") && error.message.contains("nothing changed"), "\(error)")
        #expect(w.seq == seq)
        #expect(try w.communication(comm.id).state == .blocked)
        #expect(ServiceContentAndModerationTests.copies(of: comm, store: w.storeFiles).maildir.isEmpty)
        #expect(serviceListing(comm.maildir + "/tmp").isEmpty && serviceListing(comm.maildir + "/cur").isEmpty)
        #expect(ServiceContentAndModerationTests.intact(w.storeFiles + "/quarantine/" + comm.id, comm))
    }

    // MARK: Records made before device and inode were kept

    @Test func aRecordWithoutDeviceAndInodeIsCheckedByItsHash() throws {
        let w = try ServiceWorld()
        let mo = try w.open(.moderator)
        let (comm, report) = try w.openCase()
        // As an older lgadmin indexed it.
        var old = try w.communication(comm.id)
        old.device = nil
        old.inode = nil
        old.fileUID = nil
        old.fileGID = nil
        old.fileMode = nil
        var tx = StoreTransaction()
        try tx.update(old, in: Collections.communications, expecting: old.version)
        _ = try w.root.commitBelowService(tx)
        // Another inode with the same bytes passes (nothing to compare it with) ...
        try Swap.replacedFile.apply(to: comm, outside: try Outside(w))
        #expect(try mo.viewContent(comm.id, case: report.id).text.contains("Body of message"))
        // ... other bytes do not.
        try Swap.contentChanged.apply(to: comm, outside: try Outside(w))
        let seq = w.seq
        let error = serviceError { try mo.viewContent(comm.id, case: report.id) }
        try Self.expectRefused(w, error, code: 65, word: "no longer matches", seq: seq, comm: comm, attempted: "comms.view")
    }

    // MARK: The descriptor layer itself

    @Test func componentwiseResolutionRefusesLinksAndEscapes() throws {
        let w = try ServiceWorld()
        let outside = try Outside(w)
        let base = w.base + "/walk"
        try FileManager.default.createDirectory(atPath: base + "/a/b", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: base + "/a/b/file", contents: Data("ok".utf8)))
        try FileManager.default.createSymbolicLink(atPath: base + "/a/link", withDestinationPath: outside.dir)
        try FileManager.default.createSymbolicLink(atPath: base + "/a/b/filelink", withDestinationPath: outside.secret)
        let dirfd = open(base, O_RDONLY | O_DIRECTORY)
        defer { close(dirfd) }
        let io = POSIXFileIO()
        for open in [POSIXFileIO.openComponentwise, { try io.openat($0, $1, $2, $3) }] as [(Int32, String, Int32, mode_t) throws -> Int32] {
            let fd = try open(dirfd, "a/b/file", O_RDONLY, 0)
            #expect(try io.readRange(fd, from: 0, count: 10) == Array("ok".utf8))
            close(fd)
            for (path, code) in [("a/link/shadow", ELOOP), ("a/b/filelink", ELOOP), ("../walk/a/b/file", EXDEV), (outside.secret, EXDEV)] {
                do {
                    let fd = try open(dirfd, path, O_RDONLY, 0)
                    close(fd)
                    Issue.record("\(path) was opened")
                } catch let e as SystemError {
                    #expect(e.code == code, "\(path): \(e)")
                }
            }
        }
    }

    @Test func removeTakesOutOnlyTheFileItWasGiven() throws {
        let w = try ServiceWorld()
        let dir = w.base + "/remove"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/m", contents: Data("one".utf8)))
        let handle = try DirectoryHandle.open(dir, io: POSIXFileIO())
        let first = try #require(try handle.entry("m"))
        // Swapped for another file between the check and the removal: left alone.
        #expect(FileManager.default.createFile(atPath: dir + "/m.new", contents: Data("two".utf8)))
        #expect(rename(dir + "/m.new", dir + "/m") == 0)
        #expect(try handle.remove("m", ifStill: first) == false)
        #expect(serviceFileBytes(dir + "/m") == Array("two".utf8))
        let second = try #require(try handle.entry("m"))
        #expect(try handle.remove("m", ifStill: second))
        #expect(!FileManager.default.fileExists(atPath: dir + "/m"))
    }
}
