import Foundation
import Harness
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
    /// The tmux server's pid (nil if tmux would not say).
    private(set) var serverPID: pid_t? = nil

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
        Self.registerExitCleanup()
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", name, "-x", String(cols), "-y", String(rows), "sh", "-c", script])
        serverPID = Int32((try? tmux(["display-message", "-p", "-t", name, "#{pid}"]))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
        Self.live.add(socket: socket, serverPID: serverPID)
        try? tmux(["set-option", "-t", name, "status", "off"])
    }

    deinit { kill() }

    /// Ends the session and its server, and waits until the server is gone (its panes get SIGHUP
    /// as their terminal closes). A server that does not go within five seconds is killed.
    func kill() {
        _ = try? tmux(["kill-server"])
        if let pid = Self.live.remove(socket: socket) { Self.waitGone(pid) }
        Self.removeSocketFile(socket)
    }

    /// A server that did not exit cleanly leaves its socket file behind: remove it.
    private static func removeSocketFile(_ socket: String) {
        let base = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        unlink("\(base)/tmux-\(getuid())/\(socket)")
    }

    /// Waits for `pid` to end, then SIGKILLs it if it has not.
    private static func waitGone(_ pid: pid_t) {
        for _ in 0..<500 {
            if !isAlive(pid) { return }
            usleep(10_000)
        }
        if isAlive(pid) { _ = Glibc.kill(pid, SIGKILL) }
    }

    /// Alive and not a zombie waiting for its parent.
    private static func isAlive(_ pid: pid_t) -> Bool {
        guard Glibc.kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[close...].hasPrefix(") Z")
    }

    /// The tmux servers this test process started and has not stopped yet.
    private static let live = LiveServers()

    /// Stops, at exit, any server a test left running (a test that crashed before its `defer`).
    private static let exitCleanup: Void = {
        atexit {
            for (socket, pid) in TmuxSession.live.drain() {
                if let path = TmuxSession.tmuxPath {
                    _ = try? ChildProcess.run(path, ["-L", socket, "kill-server"], timeout: 5)
                }
                if let pid { TmuxSession.waitGone(pid) }
                TmuxSession.removeSocketFile(socket)
            }
        }
    }()

    private static func registerExitCleanup() { _ = exitCleanup }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    @discardableResult
    func tmux(_ args: [String]) throws -> String {
        // A clean child: no descriptors of ours (the first command starts the tmux server, which
        // would keep them for as long as it lives) and no blocked signals (a server that
        // inherited a blocked SIGTERM ignores kill-server).
        let path = Self.tmuxPath ?? "/usr/bin/tmux"
        let (termination, out, err) = try ChildProcess.run(path, ["-L", socket] + args, timeout: 30)
        let text = String(decoding: out + err, as: UTF8.self)
        guard termination == .exited(0) else {
            throw TmuxError("tmux \(args.joined(separator: " ")) failed (\(termination)): \(text)")
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

/// The tmux servers started by this process, by socket name.
private final class LiveServers: @unchecked Sendable {
    private let lock = NSLock()
    private var servers: [String: pid_t?] = [:]

    func add(socket: String, serverPID: pid_t?) {
        lock.lock()
        servers[socket] = serverPID
        lock.unlock()
    }

    /// Forgets `socket`; returns its server's pid if it was known.
    func remove(socket: String) -> pid_t? {
        lock.lock()
        defer { lock.unlock() }
        return servers.removeValue(forKey: socket) ?? nil
    }

    func drain() -> [(String, pid_t?)] {
        lock.lock()
        defer { lock.unlock() }
        let all = servers.map { ($0.key, $0.value) }
        servers.removeAll()
        return all
    }
}
