internal import FlatStore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The directory where the console keeps one person's own state between sessions (command
/// history, saved views): `$XDG_STATE_HOME/lgadmin`, else `~/.local/state/lgadmin`. Under sudo
/// it is the invoking user's (their home from the password database, their rights for every
/// open), so each person keeps their own and root's home is never written for them.
///
/// Files in it are small, written whole (temporary file, `fsync`, `rename`), mode 0600, in
/// folders created 0700; they are read without following a symbolic link, and a file that cannot
/// be read is treated as empty by its callers: state is a convenience, never a reason to fail.
public struct UserStateDirectory: Sendable, Equatable {
    /// The directory (`/home/ada/.local/state/lgadmin`).
    public let path: String
    /// Under sudo, whose rights the files are opened with.
    public let user: InvokingUser?
    /// The largest file read back (anything bigger is treated as unreadable).
    public static let maximumFileSize = 1 << 20

    public init(path: String, user: InvokingUser? = nil) {
        self.path = path
        self.user = user
    }

    /// The directory of the person running the console: under sudo the invoking user's
    /// (`~/.local/state/lgadmin` in their home), else `$XDG_STATE_HOME/lgadmin` when set to an
    /// absolute path, else `$HOME/.local/state/lgadmin`. Nil when no home is known.
    public static func current(actor: ActorIdentity,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> UserStateDirectory? {
        if let user = actor.invokingUser {
            guard let pw = getpwuid(user.uid), let dir = pw.pointee.pw_dir else { return nil }
            let home = String(cString: dir)
            guard home.hasPrefix("/") else { return nil }
            return UserStateDirectory(path: home + "/.local/state/lgadmin", user: user)
        }
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return UserStateDirectory(path: state + "/lgadmin")
        }
        var home = environment["HOME"] ?? ""
        if home.isEmpty, let pw = getpwuid(geteuid()), let dir = pw.pointee.pw_dir { home = String(cString: dir) }
        guard home.hasPrefix("/") else { return nil }
        return UserStateDirectory(path: home + "/.local/state/lgadmin")
    }

    private func asUser<T>(_ body: () throws -> T) throws -> T {
        try user.map { try $0.withRights(body) } ?? body()
    }

    /// The bytes of file `name`, or nil when it is missing, not a regular file, a symbolic
    /// link, too large or unreadable.
    public func read(_ name: String) -> [UInt8]? {
        let io = POSIXFileIO()
        let file = path + "/" + name
        return try? asUser { () -> [UInt8]? in
            guard let fd = try? io.open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0) else { return nil }
            defer { io.close(fd) }
            guard let st = try? io.fstat(fd), st.isRegular, st.size <= Int64(Self.maximumFileSize) else { return nil }
            var bytes = [UInt8](repeating: 0, count: Int(st.size))
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeMutableBytes { buffer in
                    (try? io.pread(fd, UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), Int64(done))) ?? -1
                }
                guard n > 0 else { return n == 0 ? Array(bytes.prefix(done)) : nil }
                done += n
            }
            return bytes
        }
    }

    /// Replaces file `name` with `bytes`, whole (written beside it, flushed, renamed over it),
    /// mode 0600; creates the directory (0700) when missing.
    /// - Throws: ``OpsError/failure(_:)`` saying what could not be written.
    public func write(_ name: String, _ bytes: [UInt8]) throws {
        let io = POSIXFileIO()
        try asUser {
            try makeDirectories(io)
            let file = path + "/" + name
            let temp = path + "/." + name + ".\(getpid()).tmp"
            try? io.unlink(temp)
            do {
                let fd = try io.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                defer { io.close(fd) }
                try io.fchmod(fd, 0o600)
                try io.writeAll(fd, bytes, at: 0)
                try io.fsync(fd)
                // rename replaces a symbolic link at `file` itself, never what it points to.
                try io.rename(temp, file)
            } catch {
                try? io.unlink(temp)
                throw OpsError.failure("cannot save \(name) in \(path): \(error)")
            }
        }
    }

    /// Creates the missing folders of ``path`` (0700), one at a time.
    private func makeDirectories(_ io: POSIXFileIO) throws {
        var built = ""
        for part in path.split(separator: "/") {
            built += "/" + part
            if let st = try? io.stat(built) {
                guard st.isDirectory else { throw OpsError.failure("\(built) is not a folder: cannot keep the console's state there") }
                continue
            }
            do { try io.mkdir(built, 0o700) } catch let e as SystemError where e.code == EEXIST {}
        }
    }
}
