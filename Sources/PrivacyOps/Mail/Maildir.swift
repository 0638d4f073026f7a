internal import FlatStore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One message file of a Maildir.
public struct MaildirEntry: Sendable, Equatable {
    /// `cur` or `new`.
    public var subdir: String
    /// The file name within ``subdir``, flags included (`1700000000.M1P2.host:2,RS`).
    public var filename: String
    /// The name before the info part (`:2,…`): stable while clients change flags.
    public var uniqueName: String
    /// The Maildir flags after `:2,` as written (`RS`), empty when there are none.
    public var flags: String
    /// The file's size in bytes.
    public var size: Int64

    /// Creates an entry.
    public init(subdir: String, filename: String, uniqueName: String, flags: String, size: Int64) {
        self.subdir = subdir
        self.filename = filename
        self.uniqueName = uniqueName
        self.flags = flags
        self.size = size
    }

    /// Splits a Maildir file name into its unique name and flags: `u:2,FS` → (`u`, `FS`);
    /// `u` → (`u`, ``); an experimental `u:1,…` info → (`u`, ``).
    public static func split(filename: String) -> (uniqueName: String, flags: String) {
        guard let colon = filename.lastIndex(of: ":") else { return (filename, "") }
        let unique = String(filename[..<colon])
        let info = filename[filename.index(after: colon)...]
        if info.hasPrefix("2,") { return (unique, String(info.dropFirst(2))) }
        return (unique, "")
    }
}

/// Why a Maildir could not be read; the message says what to do.
public enum MaildirError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The directory does not exist.
    case notFound(String)
    /// The directory has neither `cur/` nor `new/`.
    case notAMaildir(String)
    /// A folder of the Maildir could not be listed (path, reason).
    case unreadable(String, String)

    /// One line: what was wrong and what to do.
    public var message: String {
        switch self {
        case .notFound(let path):
            "\(path) does not exist: give the folder that holds cur/, new/ and tmp/"
        case .notAMaildir(let path):
            "\(path) is not a Maildir (no cur/ or new/): give the folder that holds cur/, new/ and tmp/"
        case .unreadable(let path, let reason):
            "cannot list \(path): \(reason): check that it is readable by this user"
        }
    }

    /// The same as ``message``.
    public var description: String { message }
}

/// Reads a Maildir (the mail server's store of a mailbox) in place.
public enum Maildir {
    /// The folders that hold delivered messages.
    public static let messageFolders = ["cur", "new"]

    /// `true` if `directory` holds a `cur/` or a `new/` folder.
    public static func isMaildir(_ directory: String) -> Bool {
        messageFolders.contains { isDirectory(join(directory, $0)) }
    }

    /// Every message file in `cur/` and `new/`, sorted by unique name (then folder and file
    /// name).
    ///
    /// `tmp/` (messages still being delivered), dot files, folders and anything that is not a
    /// regular file are skipped; symbolic links are skipped too, so a link in a customer's
    /// Maildir can never make another file look like one of their messages. A file that
    /// disappears between listing and reading (a client renaming it as its flags change) is
    /// skipped.
    /// - Throws: ``MaildirError`` when `directory` does not exist, is not a Maildir, or a
    ///   folder cannot be listed; ``UnsafeFileError`` when `cur/` or `new/` is a symbolic link
    ///   or not a folder.
    /// - Complexity: O(*n* log *n*) in the number of files, one `fstatat` each.
    public static func scan(_ directory: String) throws -> [MaildirEntry] {
        let root = try open(directory, io: POSIXFileIO())
        return try entries(in: root).map(\.entry)
    }

    /// Opens a Maildir's folder by the path given (links in that path are followed: it is the
    /// caller's choice); what lies beneath is then reached only through descriptors.
    static func open(_ directory: String, io: FileIO) throws -> DirectoryHandle {
        let root: DirectoryHandle
        do { root = try DirectoryHandle.open(directory, io: io) } catch let e as SystemError {
            if e.code == ENOENT || e.code == ENOTDIR { throw MaildirError.notFound(directory) }
            throw MaildirError.unreadable(directory, e.message)
        }
        return root
    }

    /// The message files of the Maildir open as `root`, each with the folder it is in and its
    /// status from `fstatat` (regular files only, links never followed), sorted as ``scan(_:)``.
    static func entries(in root: DirectoryHandle) throws -> [(entry: MaildirEntry, folder: DirectoryHandle, status: FileStatus)] {
        var folders: [(String, DirectoryHandle)] = []
        for subdir in messageFolders {
            if let folder = try root.directoryIfPresent(subdir) { folders.append((subdir, folder)) }
        }
        guard !folders.isEmpty else { throw MaildirError.notAMaildir(root.path) }
        var out: [(entry: MaildirEntry, folder: DirectoryHandle, status: FileStatus)] = []
        for (subdir, folder) in folders {
            let names: [String]
            do { names = try folder.names() } catch let e as SystemError {
                throw MaildirError.unreadable(folder.path, e.message)
            }
            for name in names where !name.hasPrefix(".") {
                let status: FileStatus?
                do { status = try folder.entry(name) } catch let e as SystemError {
                    throw MaildirError.unreadable(folder.place(name), e.message)
                }
                guard let st = status, st.isRegular else { continue }  // gone meanwhile, a link, a folder, ...
                let parts = MaildirEntry.split(filename: name)
                let entry = MaildirEntry(subdir: subdir, filename: name, uniqueName: parts.uniqueName, flags: parts.flags, size: st.size)
                out.append((entry, folder, st))
            }
        }
        out.sort { a, b in
            if a.entry.uniqueName != b.entry.uniqueName { return a.entry.uniqueName < b.entry.uniqueName }
            if a.entry.subdir != b.entry.subdir { return a.entry.subdir < b.entry.subdir }
            return a.entry.filename < b.entry.filename
        }
        return out
    }

    // MARK: - File system

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The reason a Foundation file call failed: the POSIX error's text when there is one.
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
