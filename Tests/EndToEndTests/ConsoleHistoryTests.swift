import Foundation
import Testing

/// The console's history in a real terminal: what was typed on `:` and `/` comes back with ↑
/// after a restart, from `~/.local/state/lgadmin/history` (0600).
@Suite("Console in a terminal: history survives a restart", .serialized)
struct ConsoleHistoryTests {
    @Test func upBringsBackLinesOfTheLastSession() throws {
        let sb = try Sandbox("console-history")
        defer { sb.cleanUp() }
        try sb.initStore()
        _ = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        _ = try sb.addCustomer(name: "Grace Hopper", email: "grace@example.org")
        let binary = try LGAdminBinary.require()
        // XDG_STATE_HOME empty: the default under HOME applies.
        let env = ["LC_ALL": "C.UTF-8", "HOME": sb.root, "XDG_STATE_HOME": ""]

        let first = try TmuxSession([binary, "--store", sb.store], env: env, cols: 100, rows: 30, term: "xterm-256color")
        try first.waitFor("Customers ›")
        try first.send(":")
        try first.type("optouts pending")
        try first.send("Enter")
        try first.waitFor("Opt-outs › pending")
        try first.send("1")
        try first.send("/")
        try first.type("hopper")
        try first.send("Enter")
        try first.waitFor("1 matching")
        try first.send("q")
        try first.waitFor("[exited")
        first.kill()

        let file = sb.root + "/.local/state/lgadmin/history"
        let saved = String(decoding: try #require(FileManager.default.contents(atPath: file)), as: UTF8.self)
        #expect(saved == ":optouts pending\n/hopper\n", "\(saved)")
        #expect((try FileManager.default.attributesOfItem(atPath: file))[.posixPermissions] as? Int == 0o600)

        let second = try TmuxSession([binary, "--store", sb.store], env: env, cols: 100, rows: 30, term: "xterm-256color")
        defer { second.kill() }
        try second.waitFor("Customers ›")
        try second.send("/")
        try second.send("Up")
        let filtered = try second.waitFor("1 matching")
        #expect(filtered.contains("Grace Hopper") && !filtered.contains("Ada Lovelace"), "\(filtered)")
        try second.send("Enter")
        try second.send(":")
        try second.send("Up")
        try second.waitFor(":optouts pending")
        try second.send("Enter")
        try second.waitFor("Opt-outs › pending")
        try second.send("q")
        let end = try second.waitFor("[exited")
        #expect(end.contains("[exited 0]"), "\(end)")
    }
}
