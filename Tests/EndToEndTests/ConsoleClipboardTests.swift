import Foundation
import Testing

/// `y` in a real terminal: the OSC 52 sequence reaches tmux, which (with `set-clipboard on`,
/// as the console's documentation asks) puts the id in its paste buffer.
@Suite("Console in a terminal: y copies the id", .serialized)
struct ConsoleClipboardTests {
    @Test func yPutsTheIdInTmuxsBuffer() throws {
        let sb = try Sandbox("console-clipboard")
        defer { sb.cleanUp() }
        try sb.initStore()
        _ = try sb.addCustomer(name: "Ada Lovelace", email: "ada@example.com")
        let grace = try sb.addCustomer(name: "Grace Hopper", email: "grace@example.org")
        let graceID = try #require(str(grace, "id"))
        let binary = try LGAdminBinary.require()
        let t = try TmuxSession([binary, "--store", sb.store], env: ["LC_ALL": "C.UTF-8", "HOME": sb.root], cols: 100, rows: 30,
                                term: "xterm-256color")
        defer { t.kill() }
        try t.tmux(["set-option", "-s", "set-clipboard", "on"])
        try t.waitFor("Customers ›")
        try t.send("j")
        try t.send("y")
        try t.waitFor("copied \(graceID)")
        // The buffer is set when tmux has read the sequence: wait for it, never a fixed sleep.
        var buffer = ""
        for _ in 0..<200 {
            buffer = (try? t.tmux(["show-buffer"])) ?? ""
            if buffer == graceID { break }
            usleep(20_000)
        }
        #expect(buffer == graceID, "tmux's buffer holds \(buffer.debugDescription)")
        try t.send("q")
        try t.waitFor("[exited")
    }
}
