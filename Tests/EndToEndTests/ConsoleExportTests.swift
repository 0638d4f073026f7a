import Foundation
import Testing

/// `:export` in the real console (tmux): the filtered list lands in a new file, mode 0600, the
/// console says so in one line, and `audit list` shows the export with the file's SHA-256.
@Suite("Console in a terminal: export the list shown", .serialized)
struct ConsoleExportTests {
    @Test func exportTheFilteredCustomersToCSV() throws {
        let sb = try Sandbox("console-export")
        defer { sb.cleanUp() }
        try sb.initStore()
        _ = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        let grace = try sb.addCustomer(name: "Grace Hopper", email: "grace@example.org")
        let graceID = try #require(str(grace, "id"))
        let path = sb.root + "/grace.csv"

        let binary = try LGAdminBinary.require()
        let t = try TmuxSession([binary, "--store", sb.store], env: ["LC_ALL": "C.UTF-8", "HOME": sb.root], cols: 160, rows: 30,
                                term: "xterm-256color")
        defer { t.kill() }
        try t.waitFor("Customers ›")
        try t.send("/")
        try t.type("grace")
        try t.send("Enter")
        try t.waitFor("1 matching")
        try t.send(":")
        try t.type("export csv \(path)")
        try t.send("Enter")
        let shown = try t.waitFor("exported 1 row of Customers")
        #expect(shown.contains("audited"), "\(shown)")

        let bytes = try #require(FileManager.default.contents(atPath: path))
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.count == 3 && lines[1].hasPrefix(graceID + ",") && lines[1].contains("grace@example.org"), "\(lines)")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        try t.send("q")
        let end = try t.waitFor("[exited")
        #expect(end.contains("[exited 0]"), "\(end)")

        let events = try sb.ok(["audit", "list", "--json"]).jsonArray()
        let export = try #require(events.first { str($0, "action") == "view.export" })
        let sha = try Self.sha256sum(path)
        #expect(str(export, "target") == "customers")
        #expect(sha.count == 64 && str(export, "detail")?.contains("sha256: " + sha) == true, "\(export)")
        #expect(str(export, "detail")?.contains("rows: 1") == true, "\(export)")
    }

    /// Under sudo the file is created with the invoking user's rights: refused in a folder
    /// they cannot write to (though root could), and theirs where they can.
    @Test func underSudoTheFileIsTheInvokingUsers() throws {
        let sb = try Sandbox("console-export-sudo")
        defer { sb.cleanUp() }
        #expect(chmod(sb.root, 0o755) == 0)
        try sb.initStore()
        try sb.ok(["users", "grant", "nobody", "support"])
        _ = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        let closed = sb.root + "/closed", open = sb.root + "/open"
        for (dir, mode) in [(closed, mode_t(0o700)), (open, mode_t(0o777))] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            #expect(chmod(dir, mode) == 0)
        }
        let binary = try LGAdminBinary.require()
        let env = ["LC_ALL": "C.UTF-8", "HOME": sb.root, "SUDO_UID": "65534", "SUDO_GID": "65534", "SUDO_USER": "nobody"]
        let t = try TmuxSession([binary, "--store", sb.store], env: env, cols: 160, rows: 30, term: "xterm-256color")
        defer { t.kill() }
        try t.waitFor("nobody (support)")
        try t.send("1")
        try t.waitFor("Customers ›")
        try t.send(":")
        try t.type("export csv \(closed)/x.csv")
        try t.send("Enter")
        try t.waitFor("may not create")
        #expect(!FileManager.default.fileExists(atPath: closed + "/x.csv"))
        try t.send(":")
        try t.type("export json \(open)/x.json")
        try t.send("Enter")
        try t.waitFor("exported 1 row of Customers")
        let attributes = try FileManager.default.attributesOfItem(atPath: open + "/x.json")
        #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == 65534, "\(attributes)")
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        try t.send("q")
        try t.waitFor("[exited")
        let events = try sb.ok(["audit", "list", "--json"]).jsonArray().filter { str($0, "action") == "view.export" }
        #expect(events.count == 1 && events.first.flatMap { str($0, "actor") } == "nobody", "\(events)")
    }

    /// The file's SHA-256 as coreutils computes it (not the code under test).
    static func sha256sum(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(String(decoding: out, as: UTF8.self).prefix(64))
    }
}
