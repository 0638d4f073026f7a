import Foundation
import Harness
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The harness that runs every child of the test suite: nothing of ours leaks into a child, a
/// child's output is read without waiting for end-of-file, and nothing is left running.
@Suite struct ChildProcessTests {
    /// Descriptors this process holds without close-on-exec are not inherited.
    @Test func aChildInheritsOnlyTheStandardDescriptors() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        // The listing is ls's own view of /proc/self/fd: 0, 1, 2 and the directory it reads.
        let r = try ChildProcess.run("/bin/ls", ["/proc/self/fd"], timeout: 30)
        #expect(r.termination == .exited(0))
        let listed = String(decoding: r.stdout, as: UTF8.self).split(separator: "\n").compactMap { Int32($0) }
        #expect(!listed.contains(fds[0]) && !listed.contains(fds[1]), "inherited the pipe: \(listed)")
        #expect(listed.filter { $0 > 2 }.count <= 1, "inherited descriptors: \(listed)")
    }

    /// A thread that blocks signals does not hand its mask on (a tmux server started so would
    /// ignore kill-server's SIGTERM).
    @Test func aChildStartsWithNoBlockedSignals() throws {
        var block = sigset_t()
        sigemptyset(&block)
        sigaddset(&block, SIGTERM)
        sigaddset(&block, SIGHUP)
        var saved = sigset_t()
        pthread_sigmask(SIG_BLOCK, &block, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        let r = try ChildProcess.run("/bin/grep", ["^SigBlk", "/proc/self/status"], timeout: 30)
        let line = String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("SigBlk:"), "\(line)")
        #expect(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces).allSatisfy { $0 == "0" }, "\(line)")
    }

    /// The shell exits while its background job still holds standard output: the run ends with
    /// the shell (a pipe read to end-of-file would wait for the job), and the job is ended too.
    @Test func outputIsReadWithoutWaitingForEndOfFile() throws {
        let child = try ChildProcess("/bin/sh", ["-c", "sleep 300 & echo $!; echo done"])
        let termination = child.wait(timeout: 60)
        #expect(termination == .exited(0))
        let lines = child.lines
        #expect(lines.last == "done", "\(lines)")
        let straggler = try #require(lines.first.flatMap { Int32($0) }, "\(lines)")
        // Still running: only run() and kill() end the group.
        #expect(kill(straggler, 0) == 0)
        child.kill()
        let r = try ChildProcess.run("/bin/sh", ["-c", "sleep 300 & echo $!"], timeout: 60)
        let second = try #require(Int32(String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        for pid in [straggler, second] {
            #expect(Self.gone(pid), "process \(pid) was left running")
        }
    }

    /// A child that runs past its time is killed, with its group, and says so.
    @Test func aHungChildIsKilledAtItsTimeout() throws {
        let r = try ChildProcess.run("/bin/sleep", ["300"], timeout: 0.2)
        #expect(r.termination == .signalled(SIGKILL))
        #expect(r.termination.shellStatus == 128 + SIGKILL)
    }

    /// Bytes given as standard input arrive whole.
    @Test func standardInputBytesArrive() throws {
        let bytes = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let r = try ChildProcess.run("/bin/cat", [], stdin: .bytes(bytes), timeout: 60)
        #expect(r.termination == .exited(0))
        #expect(r.stdout == bytes)
    }

    /// A tmux session's kill() stops its server and the program in its pane before it returns.
    @Test func aTmuxSessionLeavesNothingRunning() throws {
        guard TmuxSession.tmuxPath != nil else {
            Issue.record("tmux is not installed: .ci/run installs it")
            return
        }
        let t = try TmuxSession(["/bin/sleep", "300"], env: [:], cols: 80, rows: 24)
        let server = try #require(t.serverPID, "tmux did not say its server's pid")
        var program: pid_t? = nil
        for _ in 0..<500 where program == nil {
            program = try t.programPID()
            if program == nil { usleep(10_000) }
        }
        let sleeper = try #require(program, "the pane's program did not start")
        t.kill()
        #expect(Self.gone(server), "the tmux server \(server) is still running")
        #expect(Self.gone(sleeper), "the pane's program \(sleeper) is still running")
        let socketFile = "/tmp/tmux-\(getuid())/\(t.socket)"
        #expect(ProcessInfo.processInfo.environment["TMUX_TMPDIR"] != nil || !FileManager.default.fileExists(atPath: socketFile),
                "the server's socket file is left behind")
    }

    /// Waits (bounded) until `pid` is gone or a zombie; killed processes are reaped by their
    /// parent, which for an orphan is init.
    static func gone(_ pid: pid_t) -> Bool {
        for _ in 0..<500 {
            if kill(pid, 0) != 0 { return true }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if let close = stat.lastIndex(of: ")"), stat[close...].hasPrefix(") Z") { return true }
            usleep(10_000)
        }
        return false
    }
}
