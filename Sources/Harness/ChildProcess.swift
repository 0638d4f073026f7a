import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started with a clean slate, for tests and benchmarks that run other programs.
///
/// What makes it safe to use from many threads of a test run at once:
/// - The child inherits no descriptor but 0, 1 and 2. Everything else is closed in the child
///   (`posix_spawn_file_actions_addclosefrom_np`), so a daemon it starts (a tmux server) can never
///   keep another test's pipe or lock file open.
/// - Output goes to unlinked temporary files, not pipes: reading it never waits for an
///   end-of-file that depends on which other processes still hold a descriptor. The output is read
///   with `pread`, while the child runs or after it ended.
/// - Standard input is `/dev/null`, a file, or bytes held in an unlinked temporary file.
/// - Default signal dispositions and an empty signal mask (a test runner's threads block signals,
///   and `posix_spawn` would hand that mask on: a tmux server started so ignores `kill-server`).
/// - Its own process group, so `kill()` ends the child and anything it started in that group.
public final class ChildProcess: @unchecked Sendable {
    /// Where the child's standard input comes from.
    public enum Input: Sendable {
        case null
        case bytes(Data)
        case file(String)
    }

    /// How a child ended.
    public enum Termination: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        /// The shell's convention: the exit code, or 128 + the signal number.
        public var shellStatus: Int32 {
            switch self {
            case .exited(let c): c
            case .signalled(let s): 128 + s
            }
        }

        public var description: String {
            switch self {
            case .exited(let c): "exit \(c)"
            case .signalled(let s): "signal \(s)"
            }
        }
    }

    /// A failure to start the child.
    public struct SpawnError: Error, CustomStringConvertible {
        public var description: String
    }

    public let pid: pid_t
    private let outFD: Int32
    private let errFD: Int32
    private let lock = NSLock()
    private var ended: Termination?
    private var usage = rusage()

    /// Starts `executable` with `arguments`.
    /// - Parameters:
    ///   - environment: the child's environment; nil keeps this process's.
    ///   - currentDirectory: the child's working directory; nil keeps this process's.
    ///   - captureOutput: when false, standard output and error go to `/dev/null`.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                currentDirectory: String? = nil, stdin: Input = .null, captureOutput: Bool = true) throws {
        outFD = captureOutput ? try Self.scratchFile() : -1
        errFD = captureOutput ? try Self.scratchFile() : -1
        var inFD: Int32 = -1
        defer { if inFD >= 0 { close(inFD) } }
        switch stdin {
        case .null: break
        case .file(let path):
            inFD = open(path, O_RDONLY | O_CLOEXEC)
            guard inFD >= 0 else { throw SpawnError(description: "cannot open \(path) as standard input: \(Self.errnoText())") }
        case .bytes(let data):
            inFD = try Self.scratchFile()
            var done = 0
            try data.withUnsafeBytes { raw in
                while done < raw.count {
                    let n = write(inFD, raw.baseAddress! + done, raw.count - done)
                    if n < 0, errno == EINTR { continue }
                    guard n > 0 else { throw SpawnError(description: "cannot buffer standard input: \(Self.errnoText())") }
                    done += n
                }
            }
            lseek(inFD, 0, SEEK_SET)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if inFD >= 0 {
            posix_spawn_file_actions_adddup2(&actions, inFD, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, outFD, 1)
            posix_spawn_file_actions_adddup2(&actions, errFD, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        if let dir = currentDirectory {
            guard let chdirAction = Self.addChdir else {
                throw SpawnError(description: "this C library cannot start a child in another directory (posix_spawn_file_actions_addchdir_np)")
            }
            _ = chdirAction(&actions, dir)
        }
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = envStrings.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            if outFD >= 0 { close(outFD) }
            if errFD >= 0 { close(errFD) }
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
    }

    deinit {
        if ended == nil {
            kill()
            _ = wait()
        }
        if outFD >= 0 { close(outFD) }
        if errFD >= 0 { close(errFD) }
    }

    /// Runs a command to its end. A child still running after `timeout` seconds is killed, and
    /// so is whatever it left running in its process group (a daemon that made itself a session
    /// of its own, like a tmux server, is out of reach and must be stopped its own way).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           currentDirectory: String? = nil, stdin: Input = .null,
                           timeout: Double = 120) throws -> (termination: Termination, stdout: Data, stderr: Data) {
        let child = try ChildProcess(executable, arguments, environment: environment,
                                     currentDirectory: currentDirectory, stdin: stdin)
        let t = child.wait(timeout: timeout)
        // Anything it started in its process group and left running goes too.
        signalProcess(-child.pid, SIGKILL)
        return (t, child.output, child.errorOutput)
    }

    /// Everything the child wrote to standard output so far.
    public var output: Data { Self.readAll(outFD) }

    /// Everything the child wrote to standard error so far.
    public var errorOutput: Data { Self.readAll(errFD) }

    /// The complete lines of standard output so far (a line still being written is left out).
    public var lines: [String] {
        var text = String(decoding: output, as: UTF8.self)
        guard let nl = text.lastIndex(of: "\n") else { return [] }
        text = String(text[..<nl])
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Whether the child is still running (it has not been reaped).
    public var isRunning: Bool { poll() == nil }

    /// How the child ended, once it has; nil while it runs.
    public var termination: Termination? {
        lock.lock()
        defer { lock.unlock() }
        return ended
    }

    /// The child's peak resident memory in KiB (from `wait4`), once it has ended.
    public var maxRSSKiB: Int {
        lock.lock()
        defer { lock.unlock() }
        return Int(usage.ru_maxrss)
    }

    /// Sends `signal` to the child's process group (the child and what it started there).
    /// After the child itself ended, what it left running in its group still gets the signal.
    public func kill(_ signal: Int32 = SIGKILL) {
        signalProcess(-pid, signal)
        if termination == nil { signalProcess(pid, signal) }
    }

    /// Reaps the child if it has ended; nil while it runs.
    @discardableResult
    public func poll() -> Termination? {
        lock.lock()
        defer { lock.unlock() }
        if let ended { return ended }
        var status: Int32 = 0
        var ru = rusage()
        let r = wait4(pid, &status, WNOHANG, &ru)
        guard r == pid else { return nil }
        usage = ru
        ended = Self.decode(status)
        return ended
    }

    /// Waits for the child to end. With a timeout, a child still running then is killed (its
    /// whole process group) and reaped, and the result says it was signalled.
    @discardableResult
    public func wait(timeout: Double? = nil) -> Termination {
        if let timeout {
            let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeout) * 1e9)
            var pause: UInt32 = 200
            while DispatchTime.now().uptimeNanoseconds < deadline {
                if let t = poll() { return t }
                usleep(pause)
                pause = min(pause * 2, 20_000)
            }
            kill()
        }
        lock.lock()
        defer { lock.unlock() }
        if let ended { return ended }
        var status: Int32 = 0
        var ru = rusage()
        while wait4(pid, &status, 0, &ru) < 0 {
            if errno != EINTR { break }
        }
        usage = ru
        let t = Self.decode(status)
        ended = t
        return t
    }

    // MARK: Internals

    private static func decode(_ status: Int32) -> Termination {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    /// A read-write file with no name: created in the temporary directory and unlinked at once.
    private static func scratchFile() throws -> Int32 {
        var dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        if dir.isEmpty { dir = "/tmp" }
        for _ in 0..<8 {
            let path = dir + "/.childprocess-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 {
                unlink(path)
                return fd
            }
            if errno != EEXIST { break }
        }
        throw SpawnError(description: "cannot create a scratch file in \(dir): \(errnoText())")
    }

    private static func readAll(_ fd: Int32) -> Data {
        guard fd >= 0 else { return Data() }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0 else { return Data() }
        var data = Data(count: Int(st.st_size))
        let got = data.withUnsafeMutableBytes { raw -> Int in
            var done = 0
            while done < raw.count {
                let n = pread(fd, raw.baseAddress! + done, raw.count - done, off_t(done))
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
            return done
        }
        return data.prefix(got)
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias Chdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc 2.34+ has `posix_spawn_file_actions_addclosefrom_np` and 2.29+ `…_addchdir_np`, but
    /// declares them only under `_GNU_SOURCE`, which Swift's Glibc module does not define: they
    /// are looked up by name.
    private static let addCloseFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    private static let addChdir: Chdir? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<F>(_ name: String) -> F? {
        guard let handle = dlopen(nil, RTLD_NOW), let address = dlsym(handle, name) else { return nil }
        return unsafeBitCast(address, to: F.self)
    }
}

/// `kill(2)`, out of reach of `ChildProcess.kill` shadowing it.
private func signalProcess(_ pid: pid_t, _ signal: Int32) {
    _ = kill(pid, signal)
}
