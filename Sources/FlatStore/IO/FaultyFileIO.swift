import Foundation

/// A ``FileIO`` over the real file system that fails chosen calls on demand: the I/O seam
/// reliability tests use to inject `ENOSPC`, `EIO` and short writes.
///
/// A fault names an operation, optionally a path suffix (matched against the path an `open`,
/// `stat`, `rename`, … names, or for calls on a descriptor, the path it was opened with), which
/// matching call fails (the nth, from the nth on, or every one) and the `errno` to fail with.
/// Faults can be added and removed while a store uses the instance, from any thread.
///
/// The descriptor-relative calls count as their path-based kin (`openat` as `open`, `fstatat`
/// as `stat`, `renameat` as `rename`, `unlinkat` as `unlink`, `mkdirat` as `mkdir`) and are
/// matched against the directory's path joined with the name, so one fault covers both.
///
/// ```swift
/// let io = FaultyFileIO()
/// let store = try FlatStore.open(at: dir, io: io)
/// io.fail(.fdatasync, path: "journal.jsonl", errno: EIO)
/// #expect(throws: FlatStoreError.self) { try store.commit(tx) }
/// ```
public final class FaultyFileIO: FileIO, @unchecked Sendable {
    /// The calls a fault can target.
    public enum Operation: String, Sendable, CaseIterable {
        case open, pwrite, pread, fsync, fdatasync, ftruncate, rename, unlink, fchmod, flock, mkdir, stat, fstat, fchown
    }

    /// Which of the matching calls fail.
    public enum Occurrence: Sendable, Equatable {
        /// Only the nth matching call (1-based).
        case nth(Int)
        /// The nth matching call and every one after it.
        case from(Int)
        /// Every matching call.
        case every

        func fires(at n: Int) -> Bool {
            switch self {
            case .nth(let k): return n == k
            case .from(let k): return n >= k
            case .every: return true
            }
        }
    }

    struct Fault {
        var operation: Operation
        var pathSuffix: String?
        var occurrence: Occurrence
        var code: Int32
        /// For a short write: bytes written before failing.
        var keep: Int?
        var seen = 0
    }

    private let base = POSIXFileIO()
    private let lock = NSLock()
    private var faults: [Fault] = []
    private var paths: [Int32: String] = [:]
    private var calls: [Operation: Int] = [:]
    private var injected = 0
    /// Descriptors whose next `pwrite` fails with `ENOSPC` (after a short write).
    private var exhausted: Set<Int32> = []

    public init() {}

    /// Fails the chosen calls of `operation` with `errno`.
    /// - Parameters:
    ///   - path: a suffix of the path the call names (`"journal.jsonl"`, `".tmp"`); nil: any.
    ///   - occurrence: which matching call fails, counted from now.
    public func fail(_ operation: Operation, path: String? = nil, _ occurrence: Occurrence = .nth(1), errno code: Int32) {
        locked { faults.append(Fault(operation: operation, pathSuffix: path, occurrence: occurrence, code: code)) }
    }

    /// Makes the chosen `pwrite` write only its first `keeping` bytes (a disk filling up midway);
    /// the next `pwrite` on that descriptor fails with `ENOSPC`.
    public func shortWrite(keeping: Int, path: String? = nil, _ occurrence: Occurrence = .nth(1)) {
        locked { faults.append(Fault(operation: .pwrite, pathSuffix: path, occurrence: occurrence, code: ENOSPC, keep: max(0, keeping))) }
    }

    /// Removes every fault; calls succeed again.
    public func removeAllFaults() {
        locked {
            faults.removeAll()
            exhausted.removeAll()
        }
    }

    /// How many calls of `operation` were made (failed ones included).
    public func callCount(_ operation: Operation) -> Int { locked { calls[operation, default: 0] } }

    /// How many faults were injected so far.
    public var injectedCount: Int { locked { injected } }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Counts the call; returns the fault to inject, if one fires.
    private func fault(_ op: Operation, _ names: [String]) -> Fault? {
        locked {
            calls[op, default: 0] += 1
            var hit: Fault?
            for k in faults.indices where faults[k].operation == op {
                if let suffix = faults[k].pathSuffix, !names.contains(where: { $0.hasSuffix(suffix) }) { continue }
                faults[k].seen += 1
                if hit == nil, faults[k].occurrence.fires(at: faults[k].seen) { hit = faults[k] }
            }
            if hit != nil { injected += 1 }
            return hit
        }
    }

    private func path(of fd: Int32) -> String { locked { paths[fd] ?? "fd \(fd)" } }

    /// The path of `name` inside the directory open as `dirfd`.
    private func path(_ dirfd: Int32, _ name: String) -> String {
        let dir = path(of: dirfd)
        if name.isEmpty || name == "." { return dir }
        return dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }

    private func check(_ op: Operation, _ names: [String], _ shown: String) throws {
        if let f = fault(op, names) { throw SystemError(op.rawValue, shown, f.code) }
    }

    private func check(_ op: Operation, fd: Int32) throws {
        let p = path(of: fd)
        try check(op, [p], p)
    }

    // MARK: FileIO

    public func open(_ path: String, _ flags: Int32, _ mode: mode_t) throws -> Int32 {
        try check(.open, [path], path)
        let fd = try base.open(path, flags, mode)
        locked { paths[fd] = path }
        return fd
    }

    public func close(_ fd: Int32) {
        locked {
            paths[fd] = nil
            exhausted.remove(fd)
        }
        base.close(fd)
    }

    public func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ offset: Int64) throws -> Int {
        let p = path(of: fd)
        if locked({ exhausted.remove(fd) }) != nil {
            locked { injected += 1 }
            throw SystemError("write", p, ENOSPC)
        }
        if let f = fault(.pwrite, [p]) {
            guard let keep = f.keep else { throw SystemError("write", p, f.code) }
            if keep == 0 || bytes.isEmpty { throw SystemError("write", p, ENOSPC) }
            let n = try base.pwrite(fd, UnsafeRawBufferPointer(rebasing: bytes[0..<min(keep, bytes.count)]), offset)
            locked { _ = exhausted.insert(fd) }
            return n
        }
        return try base.pwrite(fd, bytes, offset)
    }

    public func pread(_ fd: Int32, _ into: UnsafeMutableRawBufferPointer, _ offset: Int64) throws -> Int {
        try check(.pread, fd: fd)
        return try base.pread(fd, into, offset)
    }

    public func fsync(_ fd: Int32) throws {
        try check(.fsync, fd: fd)
        try base.fsync(fd)
    }

    public func fdatasync(_ fd: Int32) throws {
        try check(.fdatasync, fd: fd)
        try base.fdatasync(fd)
    }

    public func ftruncate(_ fd: Int32, _ size: Int64) throws {
        try check(.ftruncate, fd: fd)
        try base.ftruncate(fd, size)
    }

    public func rename(_ from: String, _ to: String) throws {
        try check(.rename, [from, to], "\(from) -> \(to)")
        try base.rename(from, to)
    }

    public func unlink(_ path: String) throws {
        try check(.unlink, [path], path)
        try base.unlink(path)
    }

    public func fchmod(_ fd: Int32, _ mode: mode_t) throws {
        try check(.fchmod, fd: fd)
        try base.fchmod(fd, mode)
    }

    public func flock(_ fd: Int32, _ operation: Int32) throws {
        try check(.flock, fd: fd)
        try base.flock(fd, operation)
    }

    public func mkdir(_ path: String, _ mode: mode_t) throws {
        try check(.mkdir, [path], path)
        try base.mkdir(path, mode)
    }

    public func stat(_ path: String) throws -> FileStatus {
        try check(.stat, [path], path)
        return try base.stat(path)
    }

    public func fstat(_ fd: Int32) throws -> FileStatus {
        try check(.fstat, fd: fd)
        return try base.fstat(fd)
    }

    public func openat(_ dirfd: Int32, _ path: String, _ flags: Int32, _ mode: mode_t) throws -> Int32 {
        let full = self.path(dirfd, path)
        try check(.open, [full], full)
        let fd = try base.openat(dirfd, path, flags, mode)
        locked { paths[fd] = full }
        return fd
    }

    public func fstatat(_ dirfd: Int32, _ name: String) throws -> FileStatus {
        let full = path(dirfd, name)
        try check(.stat, [full], full)
        return try base.fstatat(dirfd, name)
    }

    public func renameat(_ fromDir: Int32, _ from: String, _ toDir: Int32, _ to: String, noReplace: Bool) throws {
        let a = path(fromDir, from), b = path(toDir, to)
        try check(.rename, [a, b], "\(a) -> \(b)")
        try base.renameat(fromDir, from, toDir, to, noReplace: noReplace)
    }

    public func unlinkat(_ dirfd: Int32, _ name: String) throws {
        let full = path(dirfd, name)
        try check(.unlink, [full], full)
        try base.unlinkat(dirfd, name)
    }

    public func mkdirat(_ dirfd: Int32, _ name: String, _ mode: mode_t) throws {
        let full = path(dirfd, name)
        try check(.mkdir, [full], full)
        try base.mkdirat(dirfd, name, mode)
    }

    public func fchown(_ fd: Int32, _ uid: uid_t, _ gid: gid_t) throws {
        try check(.fchown, fd: fd)
        try base.fchown(fd, uid, gid)
    }
}
