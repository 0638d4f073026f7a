#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CSafeFS

/// The narrow seam through which FlatStore touches the file system.
///
/// Every call that can fail in a way that matters for durability (writes, syncs, renames,
/// truncations) goes through here, so tests can inject short writes, `ENOSPC` or `EIO`.
/// Each method returns `-1`/`nil` semantics through a thrown ``SystemError`` carrying `errno`.
public protocol FileIO: Sendable {
    func open(_ path: String, _ flags: Int32, _ mode: mode_t) throws -> Int32
    func close(_ fd: Int32)
    /// One `pwrite` call: may write fewer bytes than asked.
    func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ offset: Int64) throws -> Int
    func pread(_ fd: Int32, _ into: UnsafeMutableRawBufferPointer, _ offset: Int64) throws -> Int
    func fsync(_ fd: Int32) throws
    func fdatasync(_ fd: Int32) throws
    func ftruncate(_ fd: Int32, _ size: Int64) throws
    func rename(_ from: String, _ to: String) throws
    func unlink(_ path: String) throws
    func fchmod(_ fd: Int32, _ mode: mode_t) throws
    func flock(_ fd: Int32, _ operation: Int32) throws
    func mkdir(_ path: String, _ mode: mode_t) throws
    func stat(_ path: String) throws -> FileStatus
    func fstat(_ fd: Int32) throws -> FileStatus

    // Descriptor-relative calls, for directories that other people control (a customer's
    // Maildir, the contact form's spool): a name is resolved inside the directory `dirfd`, never
    // through a symbolic link and never outside it.

    /// Opens `path` beneath the directory `dirfd`: no component may be a symbolic link (ELOOP)
    /// and the path may not leave `dirfd` (EXDEV). `openat2(2)` with `RESOLVE_BENEATH |
    /// RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS`, or one `O_NOFOLLOW` component at a time on a
    /// kernel without it.
    func openat(_ dirfd: Int32, _ path: String, _ flags: Int32, _ mode: mode_t) throws -> Int32
    /// `fstatat(dirfd, name, AT_SYMLINK_NOFOLLOW)`: the entry itself, a symbolic link included.
    func fstatat(_ dirfd: Int32, _ name: String) throws -> FileStatus
    /// `renameat2(2)`; with `noReplace` an existing destination fails with EEXIST.
    func renameat(_ fromDir: Int32, _ from: String, _ toDir: Int32, _ to: String, noReplace: Bool) throws
    /// `unlinkat(dirfd, name, 0)`: removes the entry itself (a symbolic link, never its target).
    func unlinkat(_ dirfd: Int32, _ name: String) throws
    /// `mkdirat(dirfd, name, mode)`.
    func mkdirat(_ dirfd: Int32, _ name: String, _ mode: mode_t) throws
    func fchown(_ fd: Int32, _ uid: uid_t, _ gid: gid_t) throws
}

/// What FlatStore (and PrivacyOps, for files it does not own) needs to know of a file.
public struct FileStatus: Sendable, Equatable {
    public var size: Int64
    public var inode: UInt64
    public var mode: UInt32
    /// The device the file is on (`st_dev`): with ``inode``, which file this is.
    public var device: UInt64 = 0
    public var uid: UInt32 = 0
    public var gid: UInt32 = 0
    public var links: UInt64 = 0
    public var isDirectory: Bool { (mode & UInt32(S_IFMT)) == UInt32(S_IFDIR) }
    public var isRegular: Bool { (mode & UInt32(S_IFMT)) == UInt32(S_IFREG) }
    public var isSymbolicLink: Bool { (mode & UInt32(S_IFMT)) == UInt32(S_IFLNK) }
    /// The permission bits (`mode & 0o7777`).
    public var permissions: UInt32 { mode & 0o7777 }

    public init(size: Int64, inode: UInt64, mode: UInt32, device: UInt64 = 0, uid: UInt32 = 0, gid: UInt32 = 0, links: UInt64 = 0) {
        self.size = size
        self.inode = inode
        self.mode = mode
        self.device = device
        self.uid = uid
        self.gid = gid
        self.links = links
    }

    init(_ st: stat) {
        self.init(size: Int64(st.st_size), inode: UInt64(st.st_ino), mode: UInt32(st.st_mode), device: UInt64(st.st_dev),
                  uid: UInt32(st.st_uid), gid: UInt32(st.st_gid), links: UInt64(st.st_nlink))
    }

    /// Whether `other` is the same file (device and inode).
    public func isSameFile(as other: FileStatus) -> Bool { device == other.device && inode == other.inode }
}

/// A failed system call: the operation, the path if any, and `errno`.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var code: Int32
    public init(_ operation: String, _ path: String, _ code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }
    public var message: String { String(cString: strerror(code)) }
    public var description: String { "\(operation) \(path): \(message)" }
}

private func sysFlock(_ fd: Int32, _ op: Int32) -> Int32 { flock(fd, op) }
private func sysStat(_ path: String, _ st: inout stat) -> Int32 { stat(path, &st) }
private func sysFstat(_ fd: Int32, _ st: inout stat) -> Int32 { fstat(fd, &st) }

/// The real file system.
public struct POSIXFileIO: FileIO {
    public init() {}

    public func open(_ path: String, _ flags: Int32, _ mode: mode_t) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw SystemError("open", path, errno)
        }
    }
    public func close(_ fd: Int32) { _ = Glibc.close(fd) }
    public func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ offset: Int64) throws -> Int {
        while true {
            let n = Glibc.pwrite(fd, bytes.baseAddress, bytes.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw SystemError("write", "fd \(fd)", errno)
        }
    }
    public func pread(_ fd: Int32, _ into: UnsafeMutableRawBufferPointer, _ offset: Int64) throws -> Int {
        while true {
            let n = Glibc.pread(fd, into.baseAddress, into.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw SystemError("read", "fd \(fd)", errno)
        }
    }
    public func fsync(_ fd: Int32) throws {
        if Glibc.fsync(fd) != 0 { throw SystemError("fsync", "fd \(fd)", errno) }
    }
    public func fdatasync(_ fd: Int32) throws {
        if Glibc.fdatasync(fd) != 0 { throw SystemError("fdatasync", "fd \(fd)", errno) }
    }
    public func ftruncate(_ fd: Int32, _ size: Int64) throws {
        if Glibc.ftruncate(fd, off_t(size)) != 0 { throw SystemError("ftruncate", "fd \(fd)", errno) }
    }
    public func rename(_ from: String, _ to: String) throws {
        if Glibc.rename(from, to) != 0 { throw SystemError("rename", "\(from) -> \(to)", errno) }
    }
    public func unlink(_ path: String) throws {
        if Glibc.unlink(path) != 0 { throw SystemError("unlink", path, errno) }
    }
    public func fchmod(_ fd: Int32, _ mode: mode_t) throws {
        if Glibc.fchmod(fd, mode) != 0 { throw SystemError("chmod", "fd \(fd)", errno) }
    }
    public func flock(_ fd: Int32, _ operation: Int32) throws {
        while true {
            if sysFlock(fd, operation) == 0 { return }
            if errno == EINTR { continue }
            throw SystemError("flock", "fd \(fd)", errno)
        }
    }
    public func mkdir(_ path: String, _ mode: mode_t) throws {
        if Glibc.mkdir(path, mode) != 0 { throw SystemError("mkdir", path, errno) }
    }
    public func stat(_ path: String) throws -> FileStatus {
        var st = Glibc.stat()
        if sysStat(path, &st) != 0 { throw SystemError("stat", path, errno) }
        return FileStatus(st)
    }
    public func fstat(_ fd: Int32) throws -> FileStatus {
        var st = Glibc.stat()
        if sysFstat(fd, &st) != 0 { throw SystemError("fstat", "fd \(fd)", errno) }
        return FileStatus(st)
    }

    public func openat(_ dirfd: Int32, _ path: String, _ flags: Int32, _ mode: mode_t) throws -> Int32 {
        let resolve = LG_RESOLVE_BENEATH | LG_RESOLVE_NO_SYMLINKS | LG_RESOLVE_NO_MAGICLINKS
        let fd = lg_openat2(dirfd, path, flags | O_CLOEXEC, UInt32(mode), resolve)
        if fd >= 0 { return fd }
        if errno == ENOSYS { return try Self.openComponentwise(dirfd, path, flags, mode) }
        throw SystemError("open", path, errno)
    }

    /// ``openat(_:_:_:_:)`` without `openat2(2)`: one component at a time, each directory with
    /// `O_DIRECTORY | O_NOFOLLOW`, the last with `O_NOFOLLOW`; `..` and absolute paths fail
    /// with EXDEV. What a kernel before 5.6 gets.
    public static func openComponentwise(_ dirfd: Int32, _ path: String, _ flags: Int32, _ mode: mode_t) throws -> Int32 {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        if path.hasPrefix("/") || parts.contains("..") { throw SystemError("open", path, EXDEV) }
        var current = dirfd
        defer { if current != dirfd { _ = Glibc.close(current) } }
        for part in parts.dropLast() {
            let next = try openComponent(current, part, O_RDONLY | O_DIRECTORY, 0, path)
            if current != dirfd { _ = Glibc.close(current) }
            current = next
        }
        return try openComponent(current, parts.last ?? ".", flags, mode, path)
    }

    private static func retryingEINTR(_ op: String, _ path: String, _ call: () -> Int32) throws -> Int32 {
        while true {
            let r = call()
            if r >= 0 { return r }
            if errno == EINTR { continue }
            throw SystemError(op, path, errno)
        }
    }

    /// Opens one component; a symbolic link fails with ELOOP, as under `openat2` (the kernel
    /// says ENOTDIR for a link opened with `O_DIRECTORY | O_NOFOLLOW`).
    private static func openComponent(_ dirfd: Int32, _ name: String, _ flags: Int32, _ mode: mode_t, _ path: String) throws -> Int32 {
        do {
            return try retryingEINTR("open", path) { Glibc.openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC, mode) }
        } catch let e as SystemError where e.code == ENOTDIR {
            var st = Glibc.stat()
            if Glibc.fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0, (st.st_mode & S_IFMT) == S_IFLNK {
                throw SystemError("open", path, ELOOP)
            }
            throw e
        }
    }

    public func fstatat(_ dirfd: Int32, _ name: String) throws -> FileStatus {
        var st = Glibc.stat()
        if Glibc.fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 { throw SystemError("stat", name, errno) }
        return FileStatus(st)
    }

    public func renameat(_ fromDir: Int32, _ from: String, _ toDir: Int32, _ to: String, noReplace: Bool) throws {
        if lg_renameat2(fromDir, from, toDir, to, noReplace ? LG_RENAME_NOREPLACE : 0) != 0 {
            throw SystemError("rename", "\(from) -> \(to)", errno)
        }
    }

    public func unlinkat(_ dirfd: Int32, _ name: String) throws {
        if Glibc.unlinkat(dirfd, name, 0) != 0 { throw SystemError("unlink", name, errno) }
    }

    public func mkdirat(_ dirfd: Int32, _ name: String, _ mode: mode_t) throws {
        if Glibc.mkdirat(dirfd, name, mode) != 0 { throw SystemError("mkdir", name, errno) }
    }

    public func fchown(_ fd: Int32, _ uid: uid_t, _ gid: gid_t) throws {
        if Glibc.fchown(fd, uid, gid) != 0 { throw SystemError("chown", "fd \(fd)", errno) }
    }
}

extension FileIO {
    /// Writes all of `bytes` at `offset`, looping on short writes.
    public func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        var done = 0
        while done < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[done...])
            let n = try pwrite(fd, rest, offset + Int64(done))
            if n == 0 { throw SystemError("write", "fd \(fd)", EIO) }
            done += n
        }
    }

    public func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int64) throws {
        do {
            try bytes.withUnsafeBytes { raw in try writeAll(fd, raw, at: offset) }
        }
    }

    /// Reads `count` bytes from `offset` (fewer at end of file).
    public func readRange(_ fd: Int32, from offset: Int64, count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        try out.withUnsafeMutableBytes { raw in
            while got < count {
                let n = try pread(fd, UnsafeMutableRawBufferPointer(rebasing: raw[got...]), offset + Int64(got))
                if n == 0 { break }
                got += n
            }
        }
        if got < count { out.removeSubrange(got...) }
        return out
    }

    /// Reads a whole file.
    public func readWholeFile(_ path: String) throws -> (bytes: [UInt8], status: FileStatus) {
        let fd = try open(path, O_RDONLY, 0)
        defer { close(fd) }
        let st = try fstat(fd)
        let bytes = try readRange(fd, from: 0, count: Int(st.size))
        return (bytes, st)
    }

    /// Makes a directory entry change durable: fsync of the directory itself.
    public func syncDirectory(_ path: String) throws {
        let fd = try open(path, O_RDONLY | O_DIRECTORY, 0)
        defer { close(fd) }
        try fsync(fd)
    }

    /// Creates `path` durably with `bytes`: temp file, fsync, rename, fsync of the directory.
    public func writeFileDurably(_ path: String, directory: String, bytes: [UInt8], mode: mode_t) throws {
        let tmp = path + ".tmp"
        let fd = try open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode)
        do {
            try fchmod(fd, mode)
            try writeAll(fd, bytes, at: 0)
            try fsync(fd)
            close(fd)
        } catch {
            close(fd)
            try? unlink(tmp)
            throw error
        }
        do {
            try rename(tmp, path)
        } catch {
            try? unlink(tmp)
            throw error
        }
        try syncDirectory(directory)
    }
}

extension SystemError {
    /// The error as a ``SystemError`` (an unexpected kind becomes `EIO`).
    public static func from(_ error: any Error) -> SystemError {
        (error as? SystemError) ?? SystemError("io", "\(error)", EIO)
    }
}
