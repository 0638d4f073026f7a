import Crypto
internal import FlatStore
import Foundation

/// A message file opened through descriptors and checked to be the message: its bytes were read
/// through its descriptor, and ``folder`` is the directory it was found in.
struct MessageFile {
    let folder: DirectoryHandle
    let name: String
    let status: FileStatus
    let bytes: [UInt8]
}

/// Finds, checks and moves message files between a customer's Maildir and the store's quarantine
/// so that a crash at any point loses no message (a copy is made durable at the destination
/// before the source is removed, and the source is removed only after the state change
/// committed), and so that nothing outside the Maildir is ever read, written or removed.
///
/// The Maildir is someone else's: it is opened from `/` with no symbolic link anywhere on its
/// recorded path, and every file and folder beneath it is reached through descriptors
/// (``DirectoryHandle``). A message file is used only if it is a regular file with the device and
/// inode recorded at indexing (when recorded) and its recorded size and SHA-256; otherwise the
/// caller gets an ``UnsafeFileError``.
struct MessageMover {
    let io: FileIO
    let storePath: String

    /// The mode of quarantine copies.
    static let quarantineMode: mode_t = 0o600

    // MARK: Where the message is

    /// The store's quarantine folder (no link followed), or nil when there is none; created
    /// first when `create`.
    func quarantine(create: Bool = false) throws -> DirectoryHandle? {
        let store = try DirectoryHandle.open(storePath, io: io)
        if create { return try store.makeDirectory("quarantine", mode: 0o700) }
        return try store.directoryIfPresent("quarantine")
    }

    /// The message's Maildir, opened from `/` with no link on its path, or nil when it is gone.
    func maildir(_ c: Communication) throws -> DirectoryHandle? {
        do { return try DirectoryHandle.openWithoutLinks(c.maildir, io: io) } catch let e as SystemError where e.code == ENOENT {
            return nil
        }
    }

    /// Where the message's file is in its Maildir: its recorded name, or (as mail clients rename
    /// files when flags change) a file with its unique name in `cur/` or `new/`; nil when none.
    func locate(_ c: Communication, in root: DirectoryHandle) throws -> (folder: DirectoryHandle, name: String)? {
        var folders = [c.subdir]
        for f in Maildir.messageFolders where f != c.subdir { folders.append(f) }
        for sub in folders {
            guard let folder = try root.directoryIfPresent(sub) else { continue }
            if sub == c.subdir, try folder.entry(c.filename) != nil { return (folder, c.filename) }
            let names = try folder.names().filter { $0 == c.uniqueName || $0.hasPrefix(c.uniqueName + ":") }.sorted()
            if let name = names.first { return (folder, name) }
        }
        return nil
    }

    /// The message's file in its Maildir, read through its descriptor and checked: a regular file
    /// reached without a link, the device and inode recorded (unless `checkIdentity` is false or
    /// none were recorded), the recorded size and SHA-256. Nil when the file is not there.
    /// - Throws: ``UnsafeFileError`` when it is not safe or not the message; `SystemError`.
    func readFromMaildir(_ c: Communication, checkIdentity: Bool = true) throws -> MessageFile? {
        guard let root = try maildir(c), let (folder, name) = try locate(c, in: root) else { return nil }
        let shown = "the file of \(c.id) in \(folder.path)"
        guard let (bytes, st) = try folder.readRegularFile(name, placeName: shown) else { return nil }
        if checkIdentity, let device = c.device, let inode = c.inode, st.device != device || st.inode != inode {
            throw UnsafeFileError.replaced(shown)
        }
        try Self.checkContent(bytes, of: c, shown)
        return MessageFile(folder: folder, name: name, status: st, bytes: bytes)
    }

    /// The message's quarantine copy, read through its descriptor and checked (a regular file,
    /// the recorded size and SHA-256). Nil when there is none.
    func readFromQuarantine(_ c: Communication, in q: DirectoryHandle) throws -> MessageFile? {
        let shown = "the quarantined copy of \(c.id)"
        guard let (bytes, st) = try q.readRegularFile(c.id, placeName: shown) else { return nil }
        try Self.checkContent(bytes, of: c, shown)
        return MessageFile(folder: q, name: c.id, status: st, bytes: bytes)
    }

    static func checkContent(_ bytes: [UInt8], of c: Communication, _ shown: String) throws {
        guard Int64(bytes.count) == c.size, hex(SHA256.hash(data: bytes)) == c.sha256 else {
            throw UnsafeFileError.contentChanged(shown)
        }
    }

    /// SHA-256 of bytes, lower-case hex.
    static func hex(_ d: SHA256.Digest) -> String { d.map { String(format: "%02x", $0) }.joined() }

    // MARK: Moving

    /// The owner, group and permission bits a message put back into its Maildir gets: those
    /// recorded for it, else the folder's owner and group with mode 0600. Set-id and sticky bits
    /// are never given back.
    func restoredOwnership(_ c: Communication, folder: DirectoryHandle) -> (owner: (uid: uid_t, gid: gid_t), mode: mode_t) {
        let uid = c.fileUID ?? folder.status.uid
        let gid = c.fileGID ?? folder.status.gid
        return ((uid_t(uid), gid_t(gid)), mode_t((c.fileMode ?? 0o600) & 0o777))
    }

    /// Puts `bytes` back as the message's file in its Maildir (its recorded folder and name),
    /// staged in the Maildir's `tmp/`, with its owner, group and mode given through the
    /// descriptor before it is moved in without replacing anything.
    /// - Returns: the new file's status.
    func putBack(_ bytes: [UInt8], _ c: Communication) throws -> FileStatus {
        guard let root = try maildir(c) else { throw SystemError("open", c.maildir, ENOENT) }
        let folder = try root.directory(c.subdir)
        let staging = try root.directoryIfPresent("tmp")
        let (owner, mode) = restoredOwnership(c, folder: folder)
        return try folder.placeDurably(bytes, as: c.filename, staging: staging, owner: owner, mode: mode)
    }

    /// Removes a checked message file if it is still the file that was read; makes it durable.
    /// - Returns: whether it was removed.
    @discardableResult
    func remove(_ file: MessageFile) throws -> Bool {
        guard try file.folder.remove(file.name, ifStill: file.status) else { return false }
        try file.folder.sync()
        return true
    }

    // MARK: After a crash

    /// What ``reconcile(_:)`` did.
    struct Reconciled {
        /// One line per thing done.
        var done: [String] = []
        /// The file put back into the Maildir, whose device and inode the record should take.
        var putBack: FileStatus?
    }

    /// Brings the files in line with the committed state after an interrupted move:
    /// visible → only the Maildir copy; blocked → only the quarantine copy; deleted → none.
    /// A copy is removed only when it is checked to be the message and an intact copy remains
    /// where the state says it belongs. A file that is not safe to touch (a link, not the
    /// message) is left alone: `store check` reports it.
    func reconcile(_ c: Communication) -> Reconciled {
        var out = Reconciled()
        guard let q = try? quarantine() else { return out }
        let qEntry = try? q.entry(c.id)
        switch c.state {
        case .visible:
            guard let qEntry else { return out }
            let inMaildir = Result { try readFromMaildir(c) }
            switch inMaildir {
            case .success(.some):
                if (try? q.remove(c.id, ifStill: qEntry)) == true, (try? q.sync()) != nil {
                    out.done.append("\(c.id): removed a leftover quarantine copy")
                }
            case .success(.none):
                guard let copy = try? readFromQuarantine(c, in: q), let placed = try? putBack(copy.bytes, c) else { return out }
                out.putBack = placed
                if (try? remove(copy)) == true {
                    out.done.append("\(c.id): put the message back into its Maildir")
                } else {
                    out.done.append("\(c.id): put the message back into its Maildir (its quarantine copy remains)")
                }
            case .failure:
                break
            }
        case .blocked:
            guard qEntry != nil, (try? readFromQuarantine(c, in: q)) != nil else { return out }
            // Another inode is expected here (a copy an interrupted unblock left): the content decides.
            if let m = try? readFromMaildir(c, checkIdentity: false), (try? remove(m)) == true {
                out.done.append("\(c.id): removed the blocked message from the Maildir")
            }
        case .deleted:
            if let qEntry, (try? q.remove(c.id, ifStill: qEntry)) == true, (try? q.sync()) != nil {
                out.done.append("\(c.id): removed the deleted message's quarantine copy")
            }
            if let m = try? readFromMaildir(c, checkIdentity: false), (try? remove(m)) == true {
                out.done.append("\(c.id): removed the deleted message from the Maildir")
            }
        }
        return out
    }
}
