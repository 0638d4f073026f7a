import Foundation
import Testing

/// Saved views in a real terminal: `:view save NAME` on Customers, quit, start again, `:view
/// NAME` brings back the filter and the sort; the file is `~/.local/state/lgadmin/views.json`.
@Suite("Console in a terminal: saved views survive a restart", .serialized)
struct ConsoleSavedViewsTests {
    @Test func aSavedViewComesBackAfterARestart() throws {
        let sb = try Sandbox("console-views")
        defer { sb.cleanUp() }
        try sb.initStore()
        _ = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        _ = try sb.addCustomer(name: "Grace Hopper", email: "grace@example.org")
        _ = try sb.addCustomer(name: "Alan Turing", email: "alan@example.org")
        let binary = try LGAdminBinary.require()
        let env = ["LC_ALL": "C.UTF-8", "HOME": sb.root, "XDG_STATE_HOME": ""]

        let first = try TmuxSession([binary, "--store", sb.store], env: env, cols: 100, rows: 30, term: "xterm-256color")
        try first.waitFor("Customers ›")
        try first.send("/")
        try first.type("example.org")
        try first.send("Enter")
        try first.waitFor("2 matching")
        try first.send("o")
        try first.waitFor("by name")
        try first.send(":")
        try first.type("view save orgs")
        try first.send("Enter")
        try first.waitFor("saved view orgs")
        try first.send("Escape")
        try first.waitFor("Ada Lovelace")
        try first.send("q")
        try first.waitFor("[exited")
        first.kill()
        let file = sb.root + "/.local/state/lgadmin/views.json"
        #expect((try FileManager.default.attributesOfItem(atPath: file))[.posixPermissions] as? Int == 0o600)

        let second = try TmuxSession([binary, "--store", sb.store], env: env, cols: 100, rows: 30, term: "xterm-256color")
        defer { second.kill() }
        try second.waitFor("Ada Lovelace")
        try second.send(":")
        try second.type("view orgs")
        try second.send("Enter")
        let shown = try second.waitFor("view orgs:")
        #expect(shown.contains("by name") && shown.contains("2 matching"), "\(shown)")
        #expect(!shown.contains("Ada Lovelace"), "\(shown)")
        // Sorted by name: Alan before Grace.
        let alan = try #require(shown.range(of: "Alan Turing")), grace = try #require(shown.range(of: "Grace Hopper"))
        #expect(alan.lowerBound < grace.lowerBound, "\(shown)")
        try second.send("q")
        let end = try second.waitFor("[exited")
        #expect(end.contains("[exited 0]"), "\(end)")
    }
}
