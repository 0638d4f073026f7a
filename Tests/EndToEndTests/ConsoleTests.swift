import Foundation
import Testing

/// The console as staff use it: the built binary in a real terminal (tmux), driven with keys,
/// waiting for what the screen shows. The service's state is checked through the command line.
@Suite("Console in a terminal (tmux)", .serialized)
struct ConsoleTests {
    /// Starts the console on the sandbox's store in tmux.
    func console(_ sb: Sandbox, as user: String? = nil, cols: Int = 100, rows: Int = 30, term: String = "xterm-256color",
                 extra: [String] = []) throws -> TmuxSession {
        let binary = try LGAdminBinary.require()
        var argv = [binary, "--store", sb.store]
        if let user { argv += ["--as", user] }
        argv += extra
        return try TmuxSession(argv, env: ["LC_ALL": "C.UTF-8", "HOME": sb.root], cols: cols, rows: rows, term: term)
    }

    @Test func supportTriagesAPendingOptOutToApplied() throws {
        let sb = try Sandbox("console-triage")
        defer { sb.cleanUp() }
        try sb.initStore()
        _ = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        try sb.ok(["users", "grant", "sam", "support"])
        let req = try sb.ok(["optouts", "submit", "--contact", "ADA@example.com", "--scope", "newsletter", "--as", "sam", "--json"]).jsonObject()
        let id = try #require(str(req, "id"))

        let t = try console(sb, as: "sam")
        defer { t.kill() }
        // Support lands on the opt-out queue, with the request selected.
        try t.waitFor(id)
        try t.waitFor("Opt-outs")
        try t.send("a")
        // The confirmation opens with Cancel focused: Enter now would cancel. Move to Apply.
        try t.waitFor("Cancel")
        try t.send("Tab")
        try t.send("Enter")
        try t.waitFor("applied state") { screen in
            (try? sb.ok(["optouts", "show", id, "--json"]).jsonObject()).flatMap { str($0, "state") } == "applied"
                || screen.contains("error")
        }
        let after = try sb.ok(["optouts", "show", id, "--json"]).jsonObject()
        #expect(str(after, "state") == "applied")
        #expect(str(after, "decided_by") == "sam")
        // The mailing list no longer holds the address.
        let export = try sb.ok(["mailing", "export", "newsletter", "--json"]).jsonArray()
        #expect(!export.contains { str($0, "contact") == "ada@example.com" })
        try sb.auditVerifies()

        try t.send("q")
        let end = try t.waitFor("[exited")
        #expect(end.contains("[exited 0]"), "q leaves with exit 0:\n\(end)")
        #expect(!end.contains("Opt-outs ›"), "the console's screen is gone after q:\n\(end)")
    }

    @Test func moderatorBlocksAReportedMessageAndTheMaildirNoLongerHoldsIt() throws {
        let sb = try Sandbox("console-block")
        defer { sb.cleanUp() }
        try sb.initStore()
        let ada = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        let adaID = try #require(str(ada, "id"))
        try sb.ok(["users", "grant", "mo", "moderator"])
        let maildir = sb.root + "/mail/ada/Maildir"
        let files = try ModerationFlowTests.makeMaildir(at: maildir)
        let imported = try sb.ok(["comms", "import-maildir", maildir, "--customer", adaID, "--json"]).jsonArray()
        let spam = try #require(imported.first { str($0, "subject") == ModerationFlowTests.subject })
        let commID = try #require(str(spam, "id"))
        let report = try sb.ok(["reports", "file", "--comm", commID, "--trigger", "abuse-report", "--reason", "spam", "--json"]).jsonObject()
        let reportID = try #require(str(report, "id"))

        let t = try console(sb, as: "mo")
        defer { t.kill() }
        try t.waitFor(reportID)
        try t.send("b")
        try t.waitFor("on what ground?")
        // The first ground (harm-company) is selected; Enter moves to the note.
        try t.send("Enter")
        try t.type("phishing link")
        try t.send("Enter")
        try t.waitFor("Cancel")
        try t.send("Tab")
        try t.send("Enter")
        try t.waitFor("the report blocked") { _ in
            (try? sb.ok(["reports", "show", reportID, "--json"]).jsonObject()).flatMap { str($0, "state") } == "blocked"
        }
        #expect(!FileManager.default.fileExists(atPath: files.spam), "the message left the customer's Maildir")
        #expect(FileManager.default.fileExists(atPath: sb.store + "/quarantine/" + commID), "the message is in the quarantine")
        try sb.auditVerifies()
        try t.send("q")
        try t.waitFor("[exited")
    }

    @Test func resizingRedrawsAndTooSmallSaysSo() throws {
        let sb = try Sandbox("console-resize")
        defer { sb.cleanUp() }
        try sb.initStore()
        _ = try sb.addCustomer(name: "山田太郎", email: "taro@example.jp")
        let t = try console(sb, cols: 80, rows: 24)
        defer { t.kill() }
        try t.waitFor("山田太郎")
        try t.resize(cols: 200, rows: 50)
        let wide = try t.waitFor("a 200-column redraw") { s in
            s.contains("山田太郎") && s.split(separator: "\n").contains { $0.count > 120 }
        }
        #expect(wide.contains("Customers"))
        try t.resize(cols: 70, rows: 20)
        try t.waitFor("too small")
        try t.resize(cols: 100, rows: 30)
        try t.waitFor("山田太郎")
        try t.send("q")
        try t.waitFor("[exited 0]")
    }

    @Test func aCommitFromAnotherProcessAppearsWithoutAKeypress() throws {
        let sb = try Sandbox("console-live")
        defer { sb.cleanUp() }
        try sb.initStore()
        _ = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        let t = try console(sb)
        defer { t.kill() }
        try t.waitFor("Ada Lovelace")
        _ = try sb.addCustomer(name: "Grace Hopper", email: "grace@example.com")
        // No key is sent: the console's own refresh must show it.
        try t.waitFor("Grace Hopper", timeout: 10)
        try t.send("q")
        try t.waitFor("[exited 0]")
    }

    @Test func hangupMidEditLeavesTheStoreConsistent() throws {
        let sb = try Sandbox("console-hup")
        defer { sb.cleanUp() }
        try sb.initStore()
        let ada = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        let adaID = try #require(str(ada, "id"))
        let t = try console(sb)
        defer { t.kill() }
        try t.waitFor("Ada Lovelace")
        try t.send("e")
        try t.waitFor("Name")
        try t.type(" Byron")
        let pid = try #require(try t.programPID(), "the console's pid")
        kill(pid, SIGHUP)
        let end = try t.waitFor("[exited")
        #expect(end.contains("[exited 129]"), "a hang-up leaves with 128 + SIGHUP:\n\(end)")
        // The store is consistent and the edit is wholly there or wholly absent.
        try sb.ok(["store", "check"])
        try sb.auditVerifies()
        let name = try #require(str(try sb.ok(["customers", "show", adaID, "--json"]).jsonObject(), "name"))
        #expect(name == "Ada Lovelace" || name == "Ada Lovelace Byron", "got \(name)")
    }

    @Test func anUnknownTerminalTypeIsRefusedCleanly() throws {
        let sb = try Sandbox("console-term")
        defer { sb.cleanUp() }
        try sb.initStore()
        let t = try console(sb, term: "no-such-terminal-xyz")
        defer { t.kill() }
        let end = try t.waitFor("[exited")
        #expect(!end.contains("[exited 0]"), "an unknown TERM is an error:\n\(end)")
        #expect(end.lowercased().contains("term"), "the message names the terminal type:\n\(end)")
    }

    @Test func monochromeStillShowsSelectionAndOverdue() throws {
        let sb = try Sandbox("console-mono")
        defer { sb.cleanUp() }
        try sb.initStore()
        _ = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        let t = try console(sb, extra: ["--no-color"])
        defer { t.kill() }
        try t.waitFor("Ada Lovelace")
        // Reverse video for the selected row shows in capture-pane's escape output.
        let styled = try t.tmux(["capture-pane", "-p", "-e", "-t", t.name])
        #expect(styled.contains("\u{1B}[7m") || styled.contains(";7m"), "the selected row is in reverse video:\n\(styled)")
        try t.send("q")
        try t.waitFor("[exited 0]")
    }
}
