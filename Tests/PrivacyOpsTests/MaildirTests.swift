import Foundation
import Testing

@testable import PrivacyOps

@Suite struct MaildirTests {
    /// A fresh temporary directory, removed by the caller.
    static func makeTemporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "maildir-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ path: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static let message1 = "From: a@example.com\nSubject: one\n\nfirst\n"
    static let message2 = "From: b@example.com\nSubject: two\n\nsecond message\n"
    static let message3 = "From: c@example.com\nSubject: three\n\n3\n"

    /// A Maildir as Dovecot or Postfix leaves it: read mail in cur/ with flags, fresh mail in
    /// new/, a delivery in progress in tmp/, and clutter that is not mail.
    static func makeMaildir() throws -> String {
        let root = try makeTemporaryDirectory()
        let fm = FileManager.default
        for sub in ["cur", "new", "tmp"] {
            try fm.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
        try write(root + "/cur/1700000000.M1P2.host:2,RS", message1)
        try write(root + "/cur/1600000000.M9P9.host:2,", message3)
        try write(root + "/new/1700000500.M3P4.host", message2)
        try write(root + "/tmp/1700000900.M5P6.host", "From: half delivered\n")
        try write(root + "/cur/.hidden", "not mail")
        try write(root + "/dovecot-uidlist", "3 V1 N4\n")
        try fm.createDirectory(atPath: root + "/cur/.Trash", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/new/1800000000.M7P7.host", withDestinationPath: "/etc/passwd")
        return root
    }

    @Test func scanListsCurAndNewSortedByUniqueName() throws {
        let root = try Self.makeMaildir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let entries = try Maildir.scan(root)
        #expect(
            entries == [
                MaildirEntry(
                    subdir: "cur", filename: "1600000000.M9P9.host:2,", uniqueName: "1600000000.M9P9.host",
                    flags: "", size: Int64(Self.message3.utf8.count)),
                MaildirEntry(
                    subdir: "cur", filename: "1700000000.M1P2.host:2,RS", uniqueName: "1700000000.M1P2.host",
                    flags: "RS", size: Int64(Self.message1.utf8.count)),
                MaildirEntry(
                    subdir: "new", filename: "1700000500.M3P4.host", uniqueName: "1700000500.M3P4.host",
                    flags: "", size: Int64(Self.message2.utf8.count)),
            ])
        // tmp/, dot files, folders, files outside cur/ and new/, and symbolic links are skipped.
        #expect(!entries.contains { $0.filename.contains("1700000900") })
        #expect(!entries.contains { $0.filename.hasPrefix(".") })
        #expect(!entries.contains { $0.filename.contains("1800000000") })
    }

    @Test func entriesPointAtReadableMessages() throws {
        let root = try Self.makeMaildir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for entry in try Maildir.scan(root) {
            let path = root + "/" + entry.subdir + "/" + entry.filename
            let data = try #require(FileManager.default.contents(atPath: path))
            #expect(Int64(data.count) == entry.size)
            let headers = MessageHeaders.parse(Array(data))
            #expect(headers.value("Subject") != nil)
        }
    }

    @Test func isMaildir() throws {
        let root = try Self.makeMaildir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(Maildir.isMaildir(root))
        #expect(Maildir.isMaildir(root + "/"))
        #expect(!Maildir.isMaildir(root + "/cur"))
        #expect(!Maildir.isMaildir(root + "/does-not-exist"))
        // new/ alone is enough (cur/ is created by the first client that reads mail).
        let onlyNew = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: onlyNew) }
        try FileManager.default.createDirectory(atPath: onlyNew + "/new", withIntermediateDirectories: true)
        try Self.write(onlyNew + "/new/1.M1.host", Self.message1)
        #expect(Maildir.isMaildir(onlyNew))
        #expect(try Maildir.scan(onlyNew).map(\.uniqueName) == ["1.M1.host"])
    }

    @Test func emptyMaildirHasNoEntries() throws {
        let root = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
        #expect(try Maildir.scan(root).isEmpty)
    }

    @Test func notAMaildirSaysWhatToDo() throws {
        let root = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(root + "/message.eml", Self.message1)
        #expect(throws: MaildirError.notAMaildir(root)) { try Maildir.scan(root) }
        do {
            _ = try Maildir.scan(root)
            Issue.record("scan should have thrown")
        } catch {
            #expect("\(error)" == "\(root) is not a Maildir (no cur/ or new/): give the folder that holds cur/, new/ and tmp/")
        }
        let missing = root + "/nope"
        #expect(throws: MaildirError.notFound(missing)) { try Maildir.scan(missing) }
        #expect(MaildirError.notFound(missing).message.contains("does not exist"))
    }

    @Test func unreadableFolderIsReported() throws {
        guard getuid() != 0 else { return }  // root reads anything: nothing to test
        let root = try Self.makeMaildir()
        defer {
            chmod(root + "/cur", 0o755)
            try? FileManager.default.removeItem(atPath: root)
        }
        chmod(root + "/cur", 0)
        #expect(throws: MaildirError.self) { try Maildir.scan(root) }
    }

    @Test(arguments: [
        ("1700000000.M1P2.host:2,RS", "1700000000.M1P2.host", "RS"),
        ("1700000000.M1P2.host:2,", "1700000000.M1P2.host", ""),
        ("1700000000.M1P2.host", "1700000000.M1P2.host", ""),
        ("1700000000.M1P2.host,S=1234,W=1260:2,FRS", "1700000000.M1P2.host,S=1234,W=1260", "FRS"),
        ("1700000000.M1P2.host:2,Sa", "1700000000.M1P2.host", "Sa"),  // Dovecot keyword letters
        ("1700000000.M1P2.host:1,experimental", "1700000000.M1P2.host", ""),
    ])
    func splitFilename(_ filename: String, _ unique: String, _ flags: String) {
        let parts = MaildirEntry.split(filename: filename)
        #expect(parts.uniqueName == unique)
        #expect(parts.flags == flags)
    }
}
