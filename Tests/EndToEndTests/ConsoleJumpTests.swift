import Foundation
import Testing

/// `:ID` in the real console (tmux): an opt-out id opens that request, a customer id in lower
/// case that customer, an unknown id one line and nothing else.
@Suite("Console in a terminal: jump to a record by id", .serialized)
struct ConsoleJumpTests {
    @Test func jumpToRecordsByIdFromTheCommandLine() throws {
        let sb = try Sandbox("console-jump")
        defer { sb.cleanUp() }
        try sb.initStore()
        _ = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        let grace = try sb.addCustomer(name: "Grace Hopper", email: "grace@example.com")
        let graceID = try #require(str(grace, "id"))
        let req = try sb.ok(["optouts", "submit", "--contact", "nobody@example.org", "--scope", "newsletter", "--json"]).jsonObject()
        let reqID = try #require(str(req, "id"))

        let binary = try LGAdminBinary.require()
        let t = try TmuxSession([binary, "--store", sb.store], env: ["LC_ALL": "C.UTF-8", "HOME": sb.root], cols: 100, rows: 30,
                                term: "xterm-256color")
        defer { t.kill() }
        try t.waitFor("Customers ›")
        try t.send(":")
        try t.type(reqID)
        try t.send("Enter")
        try t.waitFor("Opt-outs › ")
        try t.waitFor("nobody@example.org")

        try t.send(":")
        try t.type(graceID.lowercased())
        try t.send("Enter")
        try t.waitFor("Customers › ")
        let detail = try t.waitFor("grace@example.com")
        #expect(detail.contains(graceID), "\(detail)")

        try t.send(":")
        try t.type("R000042")
        try t.send("Enter")
        let missing = try t.waitFor("no report R000042")
        #expect(missing.contains("Customers › "), "nothing moved:\n\(missing)")

        try t.send("Escape")
        try t.send("q")
        let end = try t.waitFor("[exited")
        #expect(end.contains("[exited 0]"), "\(end)")
    }
}
