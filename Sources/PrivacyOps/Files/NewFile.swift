internal import FlatStore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A file the service creates where a user asked (an export of a view): always a new file,
/// never one that was there, never through a symbolic link in its last component, readable by
/// its owner alone.
///
/// It is opened with `O_CREAT | O_EXCL | O_NOFOLLOW`, so an existing file (or a link planted in
/// its place) is refused by the kernel at the moment of the open, not by an earlier check; under
/// sudo the open runs with the invoking user's rights (``InvokingUser/withRights(_:)``), so the
/// file is theirs and lands only where they may write. Its mode is set to 0600 on the descriptor
/// (whatever the umask). The bytes are written through the descriptor and flushed with `fsync`.
struct NewFile {
    let fd: Int32
    let path: String
    private let io: FileIO
    /// The file's device and inode when created, to remove exactly it if writing fails.
    private let status: FileStatus
    private let user: InvokingUser?

    /// Creates `path`; `what` names it in messages ("the export file").
    /// - Throws: ``OpsError``: `conflict` (75) when something is already there, `denied` (77)
    ///   when the user may not create it, `notFound` (66) when its folder does not exist.
    static func create(_ path: String, what: String, user: InvokingUser?, io: FileIO) throws -> NewFile {
        guard !path.isEmpty else { throw OpsError.usage("name the file to write \(what) to") }
        func open() throws -> (Int32, FileStatus) {
            let fd: Int32
            do {
                fd = try io.open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0o600)
            } catch let e as SystemError {
                let shown = TerminalText.sanitize(path)
                switch e.code {
                case EEXIST:
                    throw OpsError.conflict("\(shown) already exists: \(what) is never written over an existing file; choose a new name")
                case ELOOP:
                    throw OpsError.conflict("\(shown) is a symbolic link: \(what) is never written through a link; choose a new name")
                case EACCES, EPERM, EROFS:
                    throw OpsError.denied("\(user?.shown ?? "this user") may not create \(shown): choose a folder they can write to")
                case ENOENT, ENOTDIR:
                    throw OpsError.notFound("the folder of \(shown) does not exist: create it or choose another path")
                default:
                    throw OpsError.failure("cannot create \(shown): \(e.message)")
                }
            }
            do {
                try io.fchmod(fd, 0o600)
                return (fd, try io.fstat(fd))
            } catch {
                io.close(fd)
                throw OpsError.failure("cannot set the mode of \(TerminalText.sanitize(path)): \(error)")
            }
        }
        let (fd, status) = try user.map { try $0.withRights(open) } ?? open()
        return NewFile(fd: fd, path: path, io: io, status: status, user: user)
    }

    /// Writes all of `bytes` (looping on short writes) and flushes them to disk.
    func write(_ bytes: [UInt8]) throws {
        do {
            try io.writeAll(fd, bytes, at: 0)
            try io.fsync(fd)
        } catch {
            throw OpsError.failure("cannot write \(TerminalText.sanitize(path)): \(error)")
        }
    }

    func close() { io.close(fd) }

    /// Empties and removes the file after a failure, if the path still names the file created.
    func discard() {
        try? io.ftruncate(fd, 0)
        io.close(fd)
        let remove = {
            // A name swapped meanwhile names another file (or a link to one): left alone.
            if let now = try? io.stat(path), now.isSameFile(as: status) { try? io.unlink(path) }
        }
        if let user { _ = try? user.withRights(remove) } else { remove() }
    }
}
