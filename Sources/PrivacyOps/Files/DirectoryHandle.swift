internal import FlatStore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A directory held open by its descriptor. Every name beneath it is resolved relative to that
/// descriptor, never through a symbolic link and never outside it, so a directory that someone
/// else controls (a customer's Maildir, the contact form's spool) cannot send lgadmin elsewhere
/// between two calls: swapping a file or a folder for a link makes the call fail instead.
///
/// Files are opened only when `fstatat` shows a regular file, with `O_NOFOLLOW | O_NONBLOCK`, and
/// checked again with `fstat` on the descriptor; a file is removed only while `fstatat` still
/// shows the same device and inode; files are created with `O_EXCL` and moved with
/// `renameat2(RENAME_NOREPLACE)` unless replacing is asked for.
final class DirectoryHandle: @unchecked Sendable {
    let io: FileIO
    let fd: Int32
    /// Where the directory was opened, for messages only: never used to reach a file.
    let path: String
    /// The directory's own status, from `fstat` on its descriptor.
    let status: FileStatus

    private init(io: FileIO, fd: Int32, path: String) throws {
        self.io = io
        self.fd = fd
        self.path = path
        do { status = try io.fstat(fd) } catch {
            io.close(fd)
            throw error
        }
    }

    deinit { io.close(fd) }

    /// Opens an absolute path with no symbolic link in any of its components (resolved from
    /// `/` with `RESOLVE_NO_SYMLINKS`): for paths recorded in the store, such as a Maildir's.
    /// - Throws: ``UnsafeFileError`` for a link or a component that is not a folder;
    ///   `SystemError` otherwise (ENOENT when it is missing).
    static func openWithoutLinks(_ path: String, io: FileIO) throws -> DirectoryHandle {
        let root = try io.open("/", O_RDONLY | O_DIRECTORY, 0)
        defer { io.close(root) }
        let relative = String(path.drop { $0 == "/" })
        let fd = try classify(path) { try io.openat(root, relative.isEmpty ? "." : relative, O_RDONLY | O_DIRECTORY, 0) }
        return try DirectoryHandle(io: io, fd: fd, path: path)
    }

    /// Opens a directory by path, following the links the path holds: for a path the operator
    /// chose (the store) or a user named on the command line.
    static func open(_ path: String, io: FileIO) throws -> DirectoryHandle {
        let fd = try io.open(path, O_RDONLY | O_DIRECTORY, 0)
        return try DirectoryHandle(io: io, fd: fd, path: path)
    }

    /// The path of `name` in this directory, for messages.
    func place(_ name: String) -> String { path.hasSuffix("/") ? path + name : path + "/" + name }

    /// Opens the folder `relative` beneath this one (no links on the way).
    /// - Throws: ``UnsafeFileError``; `SystemError` with ENOENT when it is missing.
    func directory(_ relative: String) throws -> DirectoryHandle {
        let fd = try Self.classify(place(relative)) { try io.openat(self.fd, relative, O_RDONLY | O_DIRECTORY, 0) }
        return try DirectoryHandle(io: io, fd: fd, path: place(relative))
    }

    /// The folder `relative` beneath this one, or nil when there is none.
    func directoryIfPresent(_ relative: String) throws -> DirectoryHandle? {
        do { return try directory(relative) } catch let e as SystemError where e.code == ENOENT { return nil }
    }

    /// Creates the folder `name` here unless it exists, then opens it.
    func makeDirectory(_ name: String, mode: mode_t) throws -> DirectoryHandle {
        do { try io.mkdirat(fd, name, mode) } catch let e as SystemError where e.code == EEXIST {}
        return try directory(name)
    }

    /// The entry `name` itself (a link is reported as a link), or nil when there is none.
    func entry(_ name: String) throws -> FileStatus? {
        do { return try io.fstatat(fd, name) } catch let e as SystemError where e.code == ENOENT { return nil }
    }

    /// The names in this directory (not `.` or `..`), unsorted.
    func names() throws -> [String] {
        // A descriptor of its own: a dup would share (and move) this one's read position.
        let listing = Glibc.openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard listing >= 0 else { throw SystemError("list", path, errno) }
        guard let dir = fdopendir(listing) else {
            let code = errno
            Glibc.close(listing)
            throw SystemError("list", path, code)
        }
        defer { closedir(dir) }
        var out: [String] = []
        errno = 0
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { out.append(name) }
            errno = 0
        }
        if errno != 0 { throw SystemError("list", path, errno) }
        return out
    }

    /// Opens the regular file `name` here for reading: `fstatat` first (a link, a FIFO or a
    /// device is refused before it is opened), then `O_NOFOLLOW | O_NONBLOCK`, then `fstat` on
    /// the descriptor must show the same regular file.
    /// - Returns: the descriptor (the caller closes it) and its status; nil when there is no
    ///   such entry.
    /// - Throws: ``UnsafeFileError`` naming `placeName` (default: the path).
    func openRegularFile(_ name: String, placeName: String? = nil) throws -> (fd: Int32, status: FileStatus)? {
        let shown = placeName ?? place(name)
        guard let before = try entry(name) else { return nil }
        if before.isSymbolicLink { throw UnsafeFileError.symbolicLink(shown) }
        guard before.isRegular else { throw UnsafeFileError.notRegularFile(shown) }
        let file: Int32
        do {
            file = try Self.classify(shown) { try io.openat(fd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0) }
        } catch let e as SystemError where e.code == ENOENT { return nil }
        do {
            let st = try io.fstat(file)
            guard st.isRegular else { throw UnsafeFileError.notRegularFile(shown) }
            guard st.isSameFile(as: before) else { throw UnsafeFileError.replaced(shown) }
            return (file, st)
        } catch {
            io.close(file)
            throw error
        }
    }

    /// Reads the whole regular file `name` through its descriptor (at most `limit` bytes).
    /// - Returns: nil when there is no such entry.
    /// - Throws: ``UnsafeFileError`` as ``openRegularFile(_:placeName:)`` does, `.notRegularFile`
    ///   for a file larger than `limit`, `SystemError` for a failed read.
    func readRegularFile(_ name: String, placeName: String? = nil, limit: Int64 = .max) throws -> (bytes: [UInt8], status: FileStatus)? {
        guard let (file, st) = try openRegularFile(name, placeName: placeName) else { return nil }
        defer { io.close(file) }
        guard st.size <= limit else { throw UnsafeFileError.notRegularFile((placeName ?? place(name)) + " (larger than \(limit) bytes)") }
        return (try io.readRange(file, from: 0, count: Int(st.size)), st)
    }

    /// Creates the new file `name` here (`O_CREAT | O_EXCL | O_NOFOLLOW`) for writing.
    func createFile(_ name: String, mode: mode_t) throws -> Int32 {
        try Self.classify(place(name)) { try io.openat(fd, name, O_WRONLY | O_CREAT | O_EXCL, mode) }
    }

    /// Moves `name` from here to `newName` in `target` with `renameat2`; unless `replacing`,
    /// an existing `newName` is never replaced (``UnsafeFileError/occupied(_:)``).
    func move(_ name: String, to target: DirectoryHandle, as newName: String, replacing: Bool = false) throws {
        do {
            try io.renameat(fd, name, target.fd, newName, noReplace: !replacing)
        } catch let e as SystemError where e.code == EEXIST && !replacing {
            throw UnsafeFileError.occupied(target.place(newName))
        }
    }

    /// Removes the entry `name` if `fstatat` still shows the file `expected` (same device and
    /// inode; a link is never the expected file).
    /// - Returns: false when the entry is gone or is another file now (nothing removed).
    @discardableResult
    func remove(_ name: String, ifStill expected: FileStatus) throws -> Bool {
        guard let now = try entry(name), !now.isSymbolicLink, now.isSameFile(as: expected) else { return false }
        try io.unlinkat(fd, name)
        return true
    }

    /// Makes the directory's entries durable (`fsync` of the directory).
    func sync() throws { try io.fsync(fd) }

    /// Turns the errors that mean "not safe to follow" into ``UnsafeFileError``.
    static func classify<T>(_ place: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as SystemError {
            switch e.code {
            case ELOOP: throw UnsafeFileError.symbolicLink(place)
            case EXDEV: throw UnsafeFileError.outside(place)
            case ENOTDIR: throw UnsafeFileError.notADirectory(place)
            default: throw e
            }
        }
    }
}

/// Writes `bytes` to a file, durably, in a directory that may be someone else's.
extension DirectoryHandle {
    /// Places `bytes` as the new file `name` in this directory: a temporary file in `staging`
    /// (this directory when nil), given `owner` and `mode` through its descriptor (`fchown`,
    /// `fchmod`), fsynced, moved in with `renameat2(RENAME_NOREPLACE)`, then this directory
    /// fsynced (with `replacing`, an existing `name` is replaced). On any failure the temporary file is removed and nothing is left behind (a file
    /// already moved in is taken out again), so the caller can say nothing changed.
    /// - Returns: the new file's status (its device and inode).
    func placeDurably(_ bytes: [UInt8], as name: String, staging: DirectoryHandle? = nil,
                      owner: (uid: uid_t, gid: gid_t)? = nil, mode: mode_t, replacing: Bool = false) throws -> FileStatus {
        let stage = staging ?? self
        let temp = ".lgadmin-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let file = try stage.createFile(temp, mode: 0o600)
        let st: FileStatus
        do {
            try io.writeAll(file, bytes, at: 0)
            if let owner { try io.fchown(file, owner.uid, owner.gid) }
            try io.fchmod(file, mode)
            try io.fsync(file)
            st = try io.fstat(file)
            io.close(file)
        } catch {
            io.close(file)
            try? io.unlinkat(stage.fd, temp)
            throw error
        }
        do {
            try stage.move(temp, to: self, as: name, replacing: replacing)
        } catch {
            _ = try? stage.remove(temp, ifStill: st)
            throw error
        }
        do {
            try sync()
        } catch {
            // Not durable: take it out again, so that the caller's "nothing changed" holds.
            _ = try? remove(name, ifStill: st)
            throw error
        }
        return st
    }
}
