internal import FlatStore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The person lgadmin acts for when it runs as root through sudo, and how to open a file they
/// named with their rights, not root's.
///
/// A file a user names on the command line (a CSV to import, a Maildir to index, an access log)
/// is opened with the effective user and group ids (and the supplementary groups) of that user:
/// `setgroups`, `setegid` then `seteuid` around the `open`, back in reverse order. The kernel
/// then decides, at the moment of the open, whether they may read it, so there is no window
/// between a check and a use (as `access(2)` would leave). The descriptor is read afterwards.
///
/// The ids are process-wide (glibc applies them to every thread), so the switch is held as
/// briefly as the opens need, one at a time.
public struct InvokingUser: Sendable, Equatable {
    public var uid: uid_t
    public var gid: gid_t
    /// The user's name (`SUDO_USER`), for their supplementary groups and for messages.
    public var name: String

    public init(uid: uid_t, gid: gid_t, name: String) {
        self.uid = uid
        self.gid = gid
        self.name = name
    }

    /// The sudo user when this process runs as root through sudo (`SUDO_UID` and `SUDO_GID`
    /// naming someone other than root); nil otherwise, when the process's own rights apply.
    public static func fromSudo(environment: [String: String] = ProcessInfo.processInfo.environment,
                                effectiveUID: uid_t = geteuid()) -> InvokingUser? {
        guard effectiveUID == 0, let u = environment["SUDO_UID"].flatMap({ uid_t($0) }), u != 0,
              let g = environment["SUDO_GID"].flatMap({ gid_t($0) }) else { return nil }
        var name = environment["SUDO_USER"] ?? ""
        if name.isEmpty, let pw = getpwuid(u), let n = pw.pointee.pw_name { name = String(cString: n) }
        return InvokingUser(uid: u, gid: g, name: name.isEmpty ? "uid \(u)" : name)
    }

    /// How the user is named in messages: `ada (uid 1001)`.
    public var shown: String { "\(name) (uid \(uid))" }

    private static let switching = NSLock()

    /// Runs `body` with this user's effective ids and groups, then takes root's back.
    /// - Throws: ``OpsError/failure(_:)`` when the ids cannot be switched (nothing was opened)
    ///   or cannot be switched back; whatever `body` throws.
    public func withRights<T>(_ body: () throws -> T) throws -> T {
        Self.switching.lock()
        defer { Self.switching.unlock() }
        let savedGID = getegid()
        let savedGroups = Self.currentGroups()
        let groups = supplementaryGroups()
        func restore() -> Bool {
            var ok = seteuid(0) == 0
            ok = setegid(savedGID) == 0 && ok
            ok = savedGroups.withUnsafeBufferPointer { setgroups($0.count, $0.baseAddress) } == 0 && ok
            return ok
        }
        let switched = groups.withUnsafeBufferPointer { setgroups($0.count, $0.baseAddress) } == 0
            && setegid(gid) == 0 && seteuid(uid) == 0
        guard switched else {
            let code = errno
            guard restore() else { fatalError("lgadmin could not take back root's ids after failing to act as \(shown)") }
            throw OpsError.failure("cannot act as \(shown) to open the file they named: \(String(cString: strerror(code)))")
        }
        let result = Result { try body() }
        // Running on with another user's ids would be wrong either way: stop rather than guess.
        guard restore() else { fatalError("lgadmin could not take back root's ids after acting as \(shown)") }
        return try result.get()
    }

    /// Opens `path` for reading with this user's rights (following the links in the path, as the
    /// user's own `open` would): only a regular file.
    /// - Throws: ``OpsError``: `denied` (77) when the user may not read it, `notFound` (66)
    ///   when there is no such file, `invalid` (65) when it is not a regular file.
    func openForReading(_ path: String, what: String, io: FileIO = POSIXFileIO()) throws -> (fd: Int32, status: FileStatus) {
        try withRights { try Self.openRegular(path, what: what, io: io, by: shown) }
    }

    /// Opens `path` for reading with the process's own rights, or those of `user` under sudo.
    static func openNamedFile(_ path: String, what: String, user: InvokingUser?, io: FileIO) throws -> (fd: Int32, status: FileStatus) {
        if let user { return try user.openForReading(path, what: what, io: io) }
        return try openRegular(path, what: what, io: io, by: nil)
    }

    static func openRegular(_ path: String, what: String, io: FileIO, by who: String?) throws -> (fd: Int32, status: FileStatus) {
        let fd: Int32
        do {
            fd = try io.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0)
        } catch let e as SystemError {
            switch e.code {
            case EACCES, EPERM:
                throw OpsError.denied("\(who ?? "this user") may not read \(what) \(path): give a file they can read (check its permissions and those of its folders)")
            case ENOENT, ENOTDIR:
                throw OpsError.notFound("\(what) \(path) does not exist: check the path")
            default:
                throw OpsError.failure("cannot open \(what) \(path): \(e.message)")
            }
        }
        do {
            let st = try io.fstat(fd)
            guard st.isRegular else { throw OpsError.invalid("\(what) \(path) is not a regular file: give a file") }
            return (fd, st)
        } catch {
            io.close(fd)
            throw error
        }
    }

    /// The groups the user belongs to (their primary group first), as `initgroups` would set.
    func supplementaryGroups() -> [gid_t] {
        var count: Int32 = 64
        while true {
            var list = [gid_t](repeating: 0, count: Int(count))
            let n = list.withUnsafeMutableBufferPointer { getgrouplist(name, gid, $0.baseAddress, &count) }
            if n >= 0 { return Array(list.prefix(Int(count))) }
            if count <= Int32(list.count) { return [gid] }  // unknown user: the primary group alone
        }
    }

    static func currentGroups() -> [gid_t] {
        let n = getgroups(0, nil)
        guard n > 0 else { return [] }
        var list = [gid_t](repeating: 0, count: Int(n))
        let got = list.withUnsafeMutableBufferPointer { getgroups(n, $0.baseAddress) }
        return got >= 0 ? Array(list.prefix(Int(got))) : []
    }
}
