import Foundation
import Harness
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// Runs the built `lgadmin` binary as a child process, the way users and scripts do.

/// What one run of `lgadmin` did.
struct RunResult: CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var stdout: Data
    var stderr: Data

    var out: String { String(decoding: stdout, as: UTF8.self) }
    var err: String { String(decoding: stderr, as: UTF8.self) }

    /// The non-empty lines of stderr.
    var errLines: [Substring] { err.split(separator: "\n", omittingEmptySubsequences: true) }

    var description: String {
        "lgadmin \(arguments.joined(separator: " ")) → exit \(status)\n--- stdout ---\n\(out.prefix(3000))\n--- stderr ---\n\(err.prefix(3000))"
    }

    /// stdout parsed as JSON.
    func json(sourceLocation: SourceLocation = #_sourceLocation) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: stdout, options: [.fragmentsAllowed])
        } catch {
            Issue.record("stdout is not JSON: \(error)\n\(self)", sourceLocation: sourceLocation)
            throw error
        }
    }

    /// stdout parsed as a JSON array of objects (list commands).
    func jsonArray(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let j = try json(sourceLocation: sourceLocation)
        return try #require(j as? [[String: Any]], "expected a JSON array of objects\n\(self)", sourceLocation: sourceLocation)
    }

    /// stdout parsed as one JSON object (show, add and actions).
    func jsonObject(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let j = try json(sourceLocation: sourceLocation)
        return try #require(j as? [String: Any], "expected a JSON object\n\(self)", sourceLocation: sourceLocation)
    }
}

enum LGAdminBinary {
    /// The `lgadmin` executable built beside this test bundle (the test target depends on it).
    static let path: String? = {
        let fm = FileManager.default
        var dirs: [URL] = []
        let arg0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        dirs.append(arg0.deletingLastPathComponent())
        let bundle = Bundle.main.bundleURL.resolvingSymlinksInPath()
        dirs.append(bundle)
        dirs.append(bundle.deletingLastPathComponent())
        // On macOS the runner is inside Foo.xctest/Contents/MacOS.
        var up = arg0
        for _ in 0..<4 {
            up = up.deletingLastPathComponent()
            dirs.append(up)
        }
        for d in dirs {
            let candidate = d.appendingPathComponent("lgadmin").path
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }()

    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(path, """
            the lgadmin executable was not found beside the test bundle \
            (looked next to \(CommandLine.arguments[0]) and \(Bundle.main.bundleURL.path)): \
            build it with 'swift build' first
            """, sourceLocation: sourceLocation)
    }
}

/// A store directory (and scratch space) of one test; `cleanUp()` removes it.
final class Sandbox {
    /// A unique scratch directory.
    let root: String
    /// The store directory: `root/store` (it does not exist until `init` or `demo`).
    let store: String

    init(_ label: String = "e2e") throws {
        var base = NSTemporaryDirectory()
        if !base.hasSuffix("/") { base += "/" }
        root = base + "lgadmin-\(label)-" + UUID().uuidString
        store = root + "/store"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// Removes the scratch directory; call it from a `defer` right after creating the sandbox.
    func cleanUp() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The child's environment: this process's, without sudo and with the store named by
    /// `LGADMIN_STORE` (unless `store` is nil).
    func environment(store: String?, extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["SUDO_USER"] = nil
        env["SUDO_UID"] = nil
        env["LGADMIN_STORE"] = store
        env["NO_COLOR"] = "1"
        env["LC_ALL"] = "C.UTF-8"
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs `lgadmin` with `arguments`, the store given by `$LGADMIN_STORE` (or the arguments),
    /// optional bytes on stdin (else /dev/null, so stdin is never a terminal).
    @discardableResult
    func run(_ arguments: [String], stdin: Data? = nil, store: String?? = .none, env extra: [String: String] = [:],
             sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        let binary = try LGAdminBinary.require(sourceLocation: sourceLocation)
        let storeValue: String? = switch store {
        case .none: self.store
        case .some(let s): s
        }
        // Output to files and a wait on the pid, never a read until end-of-file: a tmux server
        // or another test's child may hold descriptors of ours. A hung child is killed after a
        // minute, so it fails its test instead of hanging the suite.
        let (termination, out, err) = try ChildProcess.run(
            binary, arguments, environment: environment(store: storeValue, extra: extra),
            currentDirectory: root, stdin: stdin.map { .bytes($0) } ?? .null, timeout: 60)
        return RunResult(arguments: arguments, status: termination.shellStatus, stdout: out, stderr: err)
    }

    /// Runs and expects exit 0.
    @discardableResult
    func ok(_ arguments: [String], stdin: Data? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        let r = try run(arguments, stdin: stdin, sourceLocation: sourceLocation)
        #expect(r.status == 0, "\(r)", sourceLocation: sourceLocation)
        return r
    }

    /// Runs and expects `status`, with the error as exactly one line on stderr and nothing on stdout.
    @discardableResult
    func fails(_ status: Int32, _ arguments: [String], store: String?? = .none,
               sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        let r = try run(arguments, store: store, sourceLocation: sourceLocation)
        #expect(r.status == status, "\(r)", sourceLocation: sourceLocation)
        expectOneLineError(r, sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, "an error printed on stdout\n\(r)", sourceLocation: sourceLocation)
        return r
    }

    /// `audit verify` exits 0 and says the chain is intact.
    func auditVerifies(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try run(["audit", "verify", "--json"], sourceLocation: sourceLocation)
        #expect(r.status == 0, "audit verify failed\n\(r)", sourceLocation: sourceLocation)
        if r.status == 0 {
            let o = try r.jsonObject(sourceLocation: sourceLocation)
            #expect(o["intact"] as? Bool == true, "\(r)", sourceLocation: sourceLocation)
        }
    }

    /// `store check` exits 0.
    func storeChecks(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try run(["store", "check"], sourceLocation: sourceLocation)
        #expect(r.status == 0, "store check failed\n\(r)", sourceLocation: sourceLocation)
    }

    /// `init`, as root: root is the store's admin.
    func initStore(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try run(["init"], sourceLocation: sourceLocation)
        try #require(r.status == 0, "init failed\n\(r)", sourceLocation: sourceLocation)
    }

    /// Adds a customer and returns its JSON object.
    @discardableResult
    func addCustomer(name: String, email: String, phone: String? = nil, address: String? = nil, services: [String] = [],
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        var args = ["customers", "add", "--name", name, "--email", email]
        if let phone { args += ["--phone", phone] }
        if let address { args += ["--address", address] }
        for s in services { args += ["--service", s] }
        let r = try run(args + ["--json"], sourceLocation: sourceLocation)
        try #require(r.status == 0, "customers add failed\n\(r)", sourceLocation: sourceLocation)
        return try r.jsonObject(sourceLocation: sourceLocation)
    }

    /// Writes a file into the store's opt-out spool as DESIGN.md §5 describes the contact form:
    /// into tmp/, fsync, link into new/, then the tmp/ name goes.
    func deliverToSpool(_ object: [String: Any], name: String) throws {
        let spool = store + "/inbox/optouts"
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try writeDurably(data, to: spool + "/tmp/" + name)
        guard link(spool + "/tmp/" + name, spool + "/new/" + name) == 0 else {
            throw POSIXFailure("link into new/", errno)
        }
        unlink(spool + "/tmp/" + name)
    }
}

struct POSIXFailure: Error, CustomStringConvertible {
    var what: String
    var code: Int32
    init(_ what: String, _ code: Int32) {
        self.what = what
        self.code = code
    }
    var description: String { "\(what): \(String(cString: strerror(code)))" }
}

/// Writes `data` to a new file and fsyncs it.
func writeDurably(_ data: Data, to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o660)
    guard fd >= 0 else { throw POSIXFailure("create \(path)", errno) }
    defer { close(fd) }
    let ok = data.withUnsafeBytes { raw in write(fd, raw.baseAddress, raw.count) == raw.count }
    guard ok, fsync(fd) == 0 else { throw POSIXFailure("write \(path)", errno) }
}

/// Errors go to stderr as exactly one line.
func expectOneLineError(_ r: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.err.hasSuffix("\n"), "stderr should end with a newline\n\(r)", sourceLocation: sourceLocation)
    #expect(r.err.filter { $0 == "\n" }.count == 1, "the error should be one line on stderr\n\(r)", sourceLocation: sourceLocation)
    #expect(r.errLines.first.map { !$0.trimmingCharacters(in: .whitespaces).isEmpty } == true,
            "the error line should say something\n\(r)", sourceLocation: sourceLocation)
}

/// Every key present in a JSON object.
func expectKeys(_ object: [String: Any], _ keys: [String], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let missing = keys.filter { object[$0] == nil }
    #expect(missing.isEmpty, "\(what) JSON lacks \(missing): \(object.keys.sorted())", sourceLocation: sourceLocation)
}

/// The string at `key`, or nil.
func str(_ object: [String: Any], _ key: String) -> String? { object[key] as? String }

func fileBytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

func listDir(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
}
