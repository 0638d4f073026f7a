import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The console running in a real terminal: a detached tmux session on a private server,
/// driven with `send-keys` and read with `capture-pane`, waiting for what the screen shows
/// rather than sleeping fixed times.
final class TmuxSession {
    let socket: String
    let name: String
    private(set) var cols: Int
    private(set) var rows: Int

    static var tmuxPath: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `argv` in a new `cols`×`rows` terminal. The pane stays open after the program ends
    /// and shows `[exited N]`, so tests can read the exit code and the restored screen.
    init(_ argv: [String], env: [String: String], cols: Int = 100, rows: Int = 30, term: String = "xterm-256color") throws {
        guard Self.tmuxPath != nil else { throw TmuxError("tmux is not installed: .ci/run installs it (apt-get install tmux)") }
        socket = "lgadmin-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        name = "t"
        self.cols = cols
        self.rows = rows
        let quoted = argv.map(Self.shellQuote).joined(separator: " ")
        let exports = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.shellQuote($0.value))" }.joined(separator: " ")
        let script = "env -u SUDO_USER \(exports) TERM=\(term) \(quoted); echo \"[exited $?]\"; sleep 600"
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", name, "-x", String(cols), "-y", String(rows), "sh", "-c", script])
        try? tmux(["set-option", "-t", name, "status", "off"])
    }

    deinit { kill() }

    /// Ends the session and its server.
    func kill() {
        _ = try? tmux(["kill-server"])
    }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        // Spawned directly and reaped with waitpid, output to a file: the first command starts
        // the tmux server, which inherits descriptors and outlives the client.
        let outPath = NSTemporaryDirectory() + "/\(socket)-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let path = Self.tmuxPath ?? "/usr/bin/tmux"
        let argv = ([path, "-L", socket] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { throw TmuxError("cannot start tmux") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        guard (status & 0x7F) == 0, (status >> 8) & 0xFF == 0 else {
            throw TmuxError("tmux \(args.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    /// What the terminal shows now, one string per row.
    func screen() -> String {
        (try? tmux(["capture-pane", "-p", "-t", name])) ?? ""
    }

    /// Types keys: tmux key names ("Enter", "Escape", "Tab", "Down", "C-c") or literal text.
    func send(_ keys: String..., literal: Bool = false) throws {
        try tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    func resize(cols: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", String(cols), "-y", String(rows)])
        self.cols = cols
        self.rows = rows
    }

    /// The pid of the program running in the pane (the shell's child).
    func programPID() throws -> pid_t? {
        let shell = try tmux(["list-panes", "-t", name, "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let sh = Int32(shell) else { return nil }
        let children = (try? String(contentsOfFile: "/proc/\(sh)/task/\(sh)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { Int32($0) }.first
    }

    /// Waits until the screen satisfies `condition`; returns the screen. Fails after `timeout`.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 30, sourceLocation: SourceLocation = #_sourceLocation,
                 _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            if condition(last) { return last }
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(what); the screen shows:\n\(last)", sourceLocation: sourceLocation)
        throw TmuxError("timed out waiting for \(what)")
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(_ text: String, timeout: Double = 30, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try waitFor("'\(text)'", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }
}

struct TmuxError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
