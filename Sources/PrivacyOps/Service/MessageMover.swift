import Crypto
import FlatStore
import Foundation

/// Moves message files between a customer's Maildir and the store's quarantine so that a crash
/// at any point loses no message: a copy is made durable at the destination before the source
/// is removed, and the source is removed only after the state change committed.
struct MessageMover {
    let io: FileIO
    let quarantineDir: String

    func quarantinePath(_ c: Communication) -> String { quarantineDir + "/" + c.id }

    /// The message's current file in its Maildir (clients rename files as flags change).
    func locateInMaildir(_ c: Communication) -> String? {
        let exact = c.maildirPath
        if (try? io.stat(exact)) != nil { return exact }
        for sub in ["cur", "new"] {
            let dir = c.maildir + "/" + sub
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            if let n = names.first(where: { $0 == c.uniqueName || $0.hasPrefix(c.uniqueName + ":") }) {
                return dir + "/" + n
            }
        }
        return nil
    }

    func exists(_ path: String) -> Bool { (try? io.stat(path)) != nil }

    /// SHA-256 of a file's bytes, lower-case hex, and its size.
    func digest(_ path: String) throws -> (sha256: String, size: Int64) {
        let (bytes, _) = try io.readWholeFile(path)
        return (MessageMover.hex(SHA256.hash(data: bytes)), Int64(bytes.count))
    }

    static func hex(_ d: SHA256.Digest) -> String { d.map { String(format: "%02x", $0) }.joined() }

    /// Copies `from` to `to` durably: temp file beside `to`, fsync, rename, fsync of the directory.
    func copyDurably(from: String, to: String, tempDir: String) throws {
        let (bytes, _) = try io.readWholeFile(from)
        let tmp = tempDir + "/.lgadmin-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try io.open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        do {
            try io.writeAll(fd, bytes, at: 0)
            try io.fsync(fd)
            io.close(fd)
        } catch {
            io.close(fd)
            try? io.unlink(tmp)
            throw error
        }
        do {
            try io.rename(tmp, to)
        } catch {
            try? io.unlink(tmp)
            throw error
        }
        try io.syncDirectory((to as NSString).deletingLastPathComponent)
    }

    /// Removes a file and makes the removal durable.
    func remove(_ path: String) throws {
        try io.unlink(path)
        try io.syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Whether the copy at `path` is the message (same SHA-256).
    func isIntactCopy(_ path: String, of c: Communication) -> Bool {
        guard let d = try? digest(path) else { return false }
        return d.sha256 == c.sha256
    }

    /// Brings the files in line with the committed state after an interrupted move:
    /// visible → only the Maildir copy; blocked → only the quarantine copy; deleted → none.
    /// A copy is removed only when an intact copy remains where the state says it belongs.
    /// Returns what it did, one line each.
    @discardableResult
    func reconcile(_ c: Communication) -> [String] {
        var done: [String] = []
        let q = quarantinePath(c)
        let m = locateInMaildir(c)
        switch c.state {
        case .visible:
            if exists(q) {
                if let m, isIntactCopy(m, of: c) {
                    if (try? remove(q)) != nil { done.append("\(c.id): removed a leftover quarantine copy") }
                } else if m == nil, isIntactCopy(q, of: c) {
                    let dest = c.maildir + "/" + c.subdir + "/" + c.filename
                    if (try? copyDurably(from: q, to: dest, tempDir: c.maildir + "/tmp")) != nil, (try? remove(q)) != nil {
                        done.append("\(c.id): put the message back into its Maildir")
                    }
                }
            }
        case .blocked:
            if let m, exists(q), isIntactCopy(q, of: c) {
                if (try? remove(m)) != nil { done.append("\(c.id): removed the blocked message from the Maildir") }
            }
        case .deleted:
            if exists(q), (try? remove(q)) != nil { done.append("\(c.id): removed the deleted message's quarantine copy") }
            if let m, (try? remove(m)) != nil { done.append("\(c.id): removed the deleted message from the Maildir") }
        }
        return done
    }
}
