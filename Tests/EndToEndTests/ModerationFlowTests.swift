import Foundation
import Testing

/// A moderator's case: a customer's Maildir is indexed in place, a report opens a case, the
/// content is readable only through that case (and the view is audited), blocking moves the
/// message file into the store's quarantine and unblocking puts it back byte for byte.
@Suite("Moderation flow: Maildir, report, view through a case, block, unblock")
struct ModerationFlowTests {
    static let commKeys = ["id", "version", "customer_id", "from", "to", "subject", "date", "size", "sha256", "state"]
    static let reportKeys = ["id", "version", "communication_id", "customer_id", "trigger", "reason", "reporter", "state", "ground",
                             "clause", "decided_by", "decided_at", "filed_by", "confirmation", "confirmed_by", "confirmed_at"]

    static let subject = "Grüße aus Köln – 東京"
    static let bodyLine = "Buy cheap watches now, click the link below."

    /// A Maildir with two RFC 5322 messages: one read (cur/, with flags, an RFC 2047 Subject),
    /// one new. Returns the files' paths.
    static func makeMaildir(at dir: String) throws -> (spam: String, hello: String) {
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
        }
        let encodedSubject = "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
        let spam = """
            Return-Path: <offers@spam.example>\r
            Received: from mx.spam.example by mail.loopgalaxy.com; Mon, 23 Nov 2026 10:00:00 +0000\r
            From: =?ISO-8859-1?Q?J=F6rg_Offers?= <offers@spam.example>\r
            To: Ada Lovelace <ada@example.com>\r
            Subject: \(encodedSubject)\r
            Date: Mon, 23 Nov 2026 10:00:00 +0000\r
            Message-ID: <spam-1@spam.example>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            \(bodyLine)\r
            Second line of the body.\r

            """
        let hello = """
            From: Bob Builder <bob@example.com>
            To: Ada Lovelace <ada@example.com>
            Subject: Lunch on
             Friday?
            Date: Tue, 24 Nov 2026 12:30:00 +0100
            Message-ID: <hello-1@example.com>

            Shall we meet at noon?

            """
        let spamPath = dir + "/cur/1763892000.M101P4242.mail.loopgalaxy.com:2,S"
        let helloPath = dir + "/new/1763983800.M202P4243.mail.loopgalaxy.com"
        try Data(spam.utf8).write(to: URL(fileURLWithPath: spamPath))
        try Data(hello.utf8).write(to: URL(fileURLWithPath: helloPath))
        return (spamPath, helloPath)
    }

    @Test func reportViewBlockAndUnblock() throws {
        let sb = try Sandbox("moderation")
        defer { sb.cleanUp() }
        try sb.initStore()
        let ada = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        let adaID = try #require(str(ada, "id"))
        try sb.ok(["users", "grant", "mo", "moderator"])
        try sb.auditVerifies()

        // The mail server's Maildir lives outside the store.
        let maildir = sb.root + "/mail/ada/Maildir"
        let files = try Self.makeMaildir(at: maildir)
        let spamBytes = try #require(fileBytes(files.spam))
        let helloBytes = try #require(fileBytes(files.hello))

        let imported = try sb.ok(["comms", "import-maildir", maildir, "--customer", adaID, "--json"]).jsonArray()
        try #require(imported.count == 2, "\(imported)")
        for c in imported {
            expectKeys(c, Self.commKeys, "comms import-maildir")
            #expect(str(c, "customer_id") == adaID)
            #expect(str(c, "state") == "visible")
        }
        let spam = try #require(imported.first { str($0, "subject") == Self.subject }, "the RFC 2047 Subject is decoded: \(imported)")
        #expect(str(spam, "from")?.contains("Jörg Offers") == true, "\(spam)")
        #expect(spam["size"] as? Int == spamBytes.count)
        #expect((str(spam, "sha256") ?? "").count == 64)
        #expect(str(spam, "date") == "2026-11-23T10:00:00Z")
        let hello = try #require(imported.first { str($0, "from")?.contains("bob@example.com") == true })
        #expect(str(hello, "subject") == "Lunch on Friday?", "a folded header is unfolded")
        let mID = try #require(str(spam, "id"))
        let helloID = try #require(str(hello, "id"))
        try sb.auditVerifies()

        // Importing again indexes nothing twice.
        #expect(try sb.ok(["comms", "import-maildir", maildir, "--customer", adaID, "--json"]).jsonArray().isEmpty)
        #expect(try sb.ok(["comms", "list", "--json"]).jsonArray().count == 2)

        let report = try sb.ok(["reports", "file", "--comm", mID, "--trigger", "abuse-report",
                                "--reason", "customer forwarded spam", "--reporter", "abuse@example.net", "--json"]).jsonObject()
        expectKeys(report, Self.reportKeys, "reports file")
        #expect(str(report, "state") == "open")
        #expect(str(report, "communication_id") == mID)
        #expect(str(report, "customer_id") == adaID)
        let rID = try #require(str(report, "id"))
        try sb.auditVerifies()

        // Content only through the case that covers it.
        let view = try sb.ok(["comms", "view", mID, "--case", rID, "--as", "mo"])
        #expect(view.out.contains(Self.bodyLine), "\(view)")
        #expect(!view.out.contains("\r"), "content is sanitised for the terminal")
        try sb.auditVerifies()
        try sb.fails(77, ["comms", "view", mID, "--as", "mo"])
        try sb.fails(77, ["comms", "view", mID, "--case", "R999999", "--as", "mo"])
        try sb.fails(77, ["comms", "view", helloID, "--case", rID, "--as", "mo"])
        // Support may file reports but never read content.
        try sb.ok(["users", "grant", "sam", "support"])
        try sb.fails(77, ["comms", "view", mID, "--case", rID, "--as", "sam"])
        try sb.auditVerifies()

        // Block: the file leaves the Maildir for the quarantine, intact.
        let blocked = try sb.ok(["moderation", "block", rID, "--ground", "tou-violation", "--clause", "4.2",
                                 "--note", "unsolicited bulk mail", "--as", "mo", "--json"]).jsonObject()
        #expect(str(blocked, "state") == "blocked")
        #expect(str(blocked, "ground") == "tou-violation")
        #expect(str(blocked, "clause") == "4.2")
        #expect(str(blocked, "decided_by") == "mo")
        #expect(!fileExists(files.spam), "the blocked message must leave the Maildir")
        #expect(!listDir(maildir + "/cur").contains { $0.hasPrefix("1763892000.M101P4242") })
        let quarantined = sb.store + "/quarantine/" + mID
        #expect(fileBytes(quarantined) == spamBytes, "the quarantine holds the message byte for byte")
        #expect(fileBytes(files.hello) == helloBytes, "other messages are untouched")
        let blockedComms = try sb.ok(["comms", "list", "--state", "blocked", "--json"]).jsonArray()
        #expect(blockedComms.map { str($0, "id") } == [mID])
        try sb.auditVerifies()
        try sb.storeChecks()

        // Unblock: back in the Maildir, byte-identical, the quarantine copy gone.
        let reinstated = try sb.ok(["moderation", "unblock", rID, "--reason", "sender is a known partner", "--as", "mo", "--json"]).jsonObject()
        #expect(str(reinstated, "state") == "reinstated")
        #expect(fileBytes(files.spam) == spamBytes, "unblock puts the very same bytes back under the same name")
        #expect(!fileExists(quarantined))
        #expect(try sb.ok(["comms", "list", "--state", "visible", "--json"]).jsonArray().count == 2)
        try sb.auditVerifies()

        // The content view is in the audit trail with its case; refused views are not.
        let events = try sb.ok(["audit", "list", "--json"]).jsonArray()
        let views = events.filter { str($0, "action") == "comms.view" }
        #expect(views.count == 1, "\(views)")
        #expect(views.first.flatMap { str($0, "case") } == rID)
        #expect(views.first.flatMap { str($0, "actor") } == "mo")
        #expect(views.first.flatMap { str($0, "target") } == mID)
        #expect(events.contains { str($0, "action") == "moderation.block" && str($0, "case") == rID })
        #expect(events.contains { str($0, "action") == "moderation.unblock" && str($0, "case") == rID })
        try sb.auditVerifies()
        try sb.storeChecks()
    }

    /// Two moderators through the binary: one files a report on their own word and may not
    /// read the message through it (77, one line, nothing audited) nor confirm it; the other
    /// confirms it (audited), and then the filer may read. A missing file is 66, not a view.
    @Test func aSelfFiledReportNeedsASecondModerator() throws {
        let sb = try Sandbox("confirm")
        defer { sb.cleanUp() }
        try sb.initStore()
        let ada = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        let adaID = try #require(str(ada, "id"))
        try sb.ok(["users", "grant", "mo", "moderator"])
        try sb.ok(["users", "grant", "mia", "moderator"])
        let maildir = sb.root + "/mail/ada/Maildir"
        let files = try Self.makeMaildir(at: maildir)
        let imported = try sb.ok(["comms", "import-maildir", maildir, "--customer", adaID, "--json"]).jsonArray()
        let spam = try #require(imported.first { str($0, "subject") == Self.subject })
        let hello = try #require(imported.first { str($0, "id") != str(spam, "id") })
        let mID = try #require(str(spam, "id"))
        let helloID = try #require(str(hello, "id"))

        let filed = try sb.ok(["reports", "file", "--comm", mID, "--trigger", "abuse-report", "--reason", "looks like spam to me",
                               "--as", "mo", "--json"]).jsonObject()
        expectKeys(filed, Self.reportKeys, "reports file")
        #expect(str(filed, "confirmation") == "awaiting" && filed["confirmed_by"] is NSNull, "\(filed)")
        #expect(str(filed, "filed_by") == "mo")
        let rID = try #require(str(filed, "id"))
        func views() throws -> Int {
            try sb.ok(["audit", "list", "--json"]).jsonArray().filter { str($0, "action") == "comms.view" }.count
        }

        // The filer: refused, one line saying what to do, nothing recorded.
        let refused = try sb.fails(77, ["comms", "view", mID, "--case", rID, "--as", "mo"])
        #expect(refused.err.contains("another moderator or admin must confirm it first"), "\(refused)")
        try sb.fails(77, ["reports", "confirm", rID, "--as", "mo"])
        #expect(try views() == 0)
        let shown = try sb.ok(["reports", "show", rID, "--json", "--as", "mia"]).jsonObject()
        #expect(str(shown, "confirmation") == "awaiting")
        let listed = try sb.ok(["reports", "list", "--as", "mia"])
        #expect(listed.out.contains("CONFIRMED") && listed.out.contains("awaiting"), "\(listed)")

        // The second moderator confirms, with a note.
        let confirmed = try sb.ok(["reports", "confirm", rID, "--note", "the complaint stands", "--as", "mia", "--json"]).jsonObject()
        expectKeys(confirmed, Self.reportKeys, "reports confirm")
        #expect(str(confirmed, "confirmation") == "confirmed" && str(confirmed, "confirmed_by") == "mia", "\(confirmed)")
        #expect(str(confirmed, "confirmed_at") != nil)
        try sb.fails(65, ["reports", "confirm", rID, "--as", "mia"])
        let events = try sb.ok(["audit", "list", "--json"]).jsonArray()
        #expect(events.contains { str($0, "action") == "reports.confirm" && str($0, "actor") == "mia" && str($0, "case") == rID })
        let human = try sb.ok(["reports", "show", rID, "--as", "mo"])
        #expect(human.out.contains("by mia at"), "\(human)")

        // Now the filer may read through it.
        let view = try sb.ok(["comms", "view", mID, "--case", rID, "--as", "mo"])
        #expect(view.out.contains(Self.bodyLine), "\(view)")
        #expect(try views() == 1)

        // An outside reporter's report is readable by its filer at once.
        let outside = try sb.ok(["reports", "file", "--comm", helloID, "--trigger", "tou-complaint", "--reason", "forwarded",
                                 "--reporter", "abuse@example.net", "--as", "mo", "--json"]).jsonObject()
        #expect(str(outside, "confirmation") == "outside-reporter", "\(outside)")
        let outsideID = try #require(str(outside, "id"))
        try sb.ok(["comms", "view", helloID, "--case", outsideID, "--as", "mo"])
        #expect(try views() == 2)

        // A message whose file is gone: 66, one line, and no view recorded.
        try FileManager.default.removeItem(atPath: files.hello)
        let missing = try sb.fails(66, ["comms", "view", helloID, "--case", outsideID, "--as", "mia"])
        #expect(missing.err.contains("missing"), "\(missing)")
        #expect(try views() == 2)
        try sb.auditVerifies()
    }
}
