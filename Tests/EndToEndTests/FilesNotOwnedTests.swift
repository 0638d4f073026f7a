import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Files lgadmin does not own, through the binary: a swapped message file is refused (and the
/// refusal audited and reported by `store check`), a user under sudo imports only what they could
/// read themselves and never sees its content in an error, and a spool failure is an error.
@Suite("Files lgadmin does not own: Maildirs, named files, the spool")
struct FilesNotOwnedTests {
    /// The environment sudo gives a command run by `nobody` (uid 65534).
    static let asNobody = ["SUDO_UID": "65534", "SUDO_GID": "65534", "SUDO_USER": "nobody"]
    static let secret = "root:$6$SECRETHASH$xyz:19000:0:99999:7:::\n"

    static func write(_ text: String, to path: String, mode: mode_t) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(chmod(path, mode) == 0)
    }

    /// Runs as `nobody` through sudo and expects `status` with one line on stderr and nothing
    /// on stdout.
    @discardableResult
    static func failsAsNobody(_ sb: Sandbox, _ status: Int32, _ arguments: [String],
                              sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        let r = try sb.run(arguments, env: asNobody, sourceLocation: sourceLocation)
        #expect(r.status == status, "\(r)", sourceLocation: sourceLocation)
        expectOneLineError(r, sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, "\(r)", sourceLocation: sourceLocation)
        return r
    }

    /// An access log is a file the user names too: under sudo, `traffic report` reads only a
    /// log its user could read, and never shows its lines.
    @Test func aSudoUserReportsOnlyOnALogTheyCanRead() throws {
        let sb = try Sandbox("sudo-log")
        defer { sb.cleanUp() }
        #expect(chmod(sb.root, 0o755) == 0)
        try sb.initStore()
        try sb.ok(["users", "grant", "nobody", "admin"])
        var lines = ""
        for k in 0..<40 {
            lines += "198.51.100.\(k) - - [10/Mar/2026:13:55:36 +0000] \"GET /secret-page HTTP/1.1\" 200 5 \"-\" \"x\"\n"
        }
        let privateLog = sb.root + "/private.log"
        try Self.write(lines, to: privateLog, mode: 0o600)
        let denied = try Self.failsAsNobody(sb, 77, ["traffic", "report", privateLog])
        #expect(denied.err.contains("private.log"), "\(denied)")
        #expect(!denied.err.contains("198.51.100") && !denied.err.contains("secret-page"), "the error shows the log's content\n\(denied)")
        // Readable by anyone: the report runs, for nobody.
        let openLog = sb.root + "/open.log"
        try Self.write(lines, to: openLog, mode: 0o644)
        let r = try sb.run(["traffic", "report", openLog, "--json"], env: Self.asNobody)
        #expect(r.status == 0, "\(r)")
        let events = try sb.ok(["audit", "list", "--json"]).jsonArray()
        #expect(events.contains { str($0, "action") == "traffic.report" && str($0, "actor") == "nobody" }, "\(events.prefix(3))")
    }

    @Test func aSudoUserImportsOnlyACSVTheyCanRead() throws {
        let sb = try Sandbox("sudo-csv")
        defer { sb.cleanUp() }
        #expect(chmod(sb.root, 0o755) == 0)
        try sb.initStore()
        try sb.ok(["users", "grant", "nobody", "support"])
        let rows = "name,email\nSecret Person,secret.person@example.com\n"
        // Root's own file: nobody may not read it, so lgadmin (running as root) must not either.
        let privateCSV = sb.root + "/private.csv"
        try Self.write(rows, to: privateCSV, mode: 0o600)
        let denied = try Self.failsAsNobody(sb, 77, ["customers", "import", privateCSV])
        #expect(denied.err.contains("nobody") && denied.err.contains("private.csv"), "\(denied)")
        #expect(!denied.err.contains("Secret") && !denied.err.contains("secret.person"), "the error shows the file's content\n\(denied)")
        // Readable in itself, but in a folder nobody cannot enter.
        let closed = sb.root + "/closed"
        try FileManager.default.createDirectory(atPath: closed, withIntermediateDirectories: true)
        #expect(chmod(closed, 0o700) == 0)
        try Self.write(rows, to: closed + "/open.csv", mode: 0o644)
        try Self.failsAsNobody(sb, 77, ["customers", "import", closed + "/open.csv"])
        #expect(try sb.ok(["customers", "list", "--json"]).jsonArray().isEmpty, "something was imported")
        // A file they can read, with a bad row: the error names the row and column, not the value.
        let badCSV = sb.root + "/bad.csv"
        try Self.write("name,email\nLeaky Name,leak-me-please@@example\n", to: badCSV, mode: 0o644)
        let bad = try Self.failsAsNobody(sb, 65, ["customers", "import", badCSV])
        #expect(bad.err.contains("row 2") && bad.err.contains("email"), "\(bad)")
        #expect(!bad.err.contains("leak-me") && !bad.err.contains("Leaky"), "the error shows the file's content\n\(bad)")
        // World-readable: imported, and recorded as nobody's doing.
        let publicCSV = sb.root + "/public.csv"
        try Self.write(rows, to: publicCSV, mode: 0o644)
        let ok = try sb.run(["customers", "import", publicCSV], env: Self.asNobody)
        #expect(ok.status == 0, "\(ok)")
        #expect(try sb.ok(["customers", "list", "--json"]).jsonArray().compactMap { str($0, "email") } == ["secret.person@example.com"])
        let last = try #require(try sb.ok(["audit", "list", "--json"]).jsonArray().first)
        #expect(str(last, "action") == "customers.import" && str(last, "actor") == "nobody", "\(last)")
        try sb.auditVerifies()
    }

    @Test func aSudoUserIndexesOnlyAMaildirTheyCanRead() throws {
        let sb = try Sandbox("sudo-maildir")
        defer { sb.cleanUp() }
        #expect(chmod(sb.root, 0o755) == 0)
        try sb.initStore()
        try sb.ok(["users", "grant", "nobody", "admin"])
        let ada = try #require(str(try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com"), "id"))
        let mail = sb.root + "/mail"
        let maildir = mail + "/Maildir"
        _ = try ModerationFlowTests.makeMaildir(at: maildir)
        #expect(chmod(mail, 0o755) == 0)
        #expect(chmod(maildir, 0o700) == 0)
        let denied = try Self.failsAsNobody(sb, 77, ["comms", "import-maildir", maildir, "--customer", ada])
        #expect(denied.err.contains("nobody"), "\(denied)")
        #expect(try sb.ok(["comms", "list", "--json"]).jsonArray().isEmpty)
        // Open to everyone: indexed.
        for dir in [maildir, maildir + "/cur", maildir + "/new", maildir + "/tmp"] { #expect(chmod(dir, 0o755) == 0) }
        for sub in ["cur", "new"] {
            for name in listDir(maildir + "/" + sub) { #expect(chmod(maildir + "/" + sub + "/" + name, 0o644) == 0) }
        }
        let r = try sb.run(["comms", "import-maildir", maildir, "--customer", ada, "--json"], env: Self.asNobody)
        #expect(r.status == 0, "\(r)")
        #expect(try r.jsonArray().count == 2)
    }

    @Test func aSwappedMessageFileIsRefusedAuditedAndReported() throws {
        let sb = try Sandbox("swap")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.ok(["users", "grant", "mo", "moderator"])
        let ada = try #require(str(try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com"), "id"))
        let maildir = sb.root + "/mail/ada/Maildir"
        let files = try ModerationFlowTests.makeMaildir(at: maildir)
        let imported = try sb.ok(["comms", "import-maildir", maildir, "--customer", ada, "--json"]).jsonArray()
        let spam = try #require(imported.first { str($0, "from")?.contains("offers@spam.example") == true })
        let mID = try #require(str(spam, "id"))
        let rID = try #require(str(try sb.ok(["reports", "file", "--comm", mID, "--trigger", "abuse-report", "--reason", "spam",
                                              "--json"]).jsonObject(), "id"))
        let shadow = sb.root + "/shadow"
        try Self.write(Self.secret, to: shadow, mode: 0o600)
        let spamBytes = try #require(fileBytes(files.spam))

        // The customer swaps the message for a link to a root-only file (keeping the message aside).
        let aside = sb.root + "/aside"
        try FileManager.default.moveItem(atPath: files.spam, toPath: aside)
        try FileManager.default.createSymbolicLink(atPath: files.spam, withDestinationPath: shadow)
        let view = try sb.fails(65, ["comms", "view", mID, "--case", rID, "--as", "mo"])
        #expect(view.err.contains("refused") && view.err.contains("symbolic link"), "\(view)")
        #expect(!view.err.contains("SECRETHASH"))
        let block = try sb.fails(65, ["moderation", "block", rID, "--ground", "harm-customers", "--note", "phishing", "--as", "mo"])
        #expect(!block.err.contains("SECRETHASH"))
        #expect(fileBytes(shadow) == Data(Self.secret.utf8), "the root file was changed or removed")
        let events = try sb.ok(["audit", "list", "--json"]).jsonArray()
        #expect(events.prefix(2).allSatisfy { str($0, "action") == "comms.file-refused" && str($0, "target") == mID }, "\(events.prefix(2))")
        #expect(!events.contains { str($0, "action") == "comms.view" }, "a refused view was audited as a view")
        let check = try sb.run(["store", "check"])
        #expect(check.status == 1 && check.out.contains(mID) && check.out.contains("symbolic link"), "\(check)")
        try sb.auditVerifies()

        // Put back (the very file indexed), blocked; then the Maildir's cur/ becomes a link
        // elsewhere: unblock writes nothing there.
        try FileManager.default.removeItem(atPath: files.spam)
        try FileManager.default.moveItem(atPath: aside, toPath: files.spam)
        try sb.ok(["moderation", "block", rID, "--ground", "harm-customers", "--note", "phishing", "--as", "mo"])
        let elsewhere = sb.root + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: maildir + "/cur", toPath: maildir + "/cur.orig")
        try FileManager.default.createSymbolicLink(atPath: maildir + "/cur", withDestinationPath: elsewhere)
        try sb.fails(65, ["moderation", "unblock", rID, "--reason", "appeal", "--as", "mo"])
        #expect(listDir(elsewhere).isEmpty, "unblock wrote through the link")
        #expect(fileBytes(sb.store + "/quarantine/" + mID) == spamBytes)
        try sb.auditVerifies()
    }

    @Test func aSpoolFileThatCannotBeSetAsideIsAnError() throws {
        let sb = try Sandbox("spool-fail")
        defer { sb.cleanUp() }
        try sb.initStore()
        let name = "1772442000.bad.web1"
        let spool = sb.store + "/inbox/optouts"
        try writeDurably(Data("contact=someone".utf8), to: spool + "/new/" + name)
        // An older file of that name already sits in bad/: it must not be overwritten.
        try Data("older".utf8).write(to: URL(fileURLWithPath: spool + "/bad/" + name))
        let r = try sb.run(["optouts", "ingest"])
        #expect(r.status == 1, "\(r)")
        expectOneLineError(r)
        #expect(r.err.contains(name) && r.err.contains("left in new/"), "\(r)")
        #expect(r.out.contains("set aside 0"), "\(r)")
        #expect(fileBytes(spool + "/new/" + name) == Data("contact=someone".utf8))
        #expect(fileBytes(spool + "/bad/" + name) == Data("older".utf8))
    }
}
