import Foundation

/// Opens the access logs a user names on the command line: the one place a traffic report
/// turns a path into a descriptor. The service calls it inside ``InvokingUser/withRights(_:)``
/// under sudo (DESIGN.md §6c), so the open happens with the rights of the user behind sudo.
///
/// It never follows a symlink in the last component, does not block on a FIFO, and refuses
/// anything but a regular file or a pipe. Everything after it works on the descriptor.
public enum LogFileOpener {
    /// An open access log: its descriptor (owned by the caller) and its size when known.
    public struct Opened: Sendable {
        public var fd: Int32
        /// The file's size in bytes; nil for a pipe.
        public var size: Int64?
    }

    /// Opens `path` for reading.
    ///
    /// - Throws: `.missing` (no such file), `.denied` (no permission, or a symlink),
    ///   `.notALog` (a directory or device), `.unreadable` (anything else).
    public static func open(_ path: String) throws(TrafficInputError) -> Opened {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            let e = errno
            let shown = TerminalText.sanitize(path)
            switch e {
            case ENOENT, ENOTDIR: throw .missing("no access log at \(shown): check the path")
            case EACCES, EPERM: throw .denied("you may not read \(shown): ask its owner, or run as a user who may")
            case ELOOP: throw .denied("\(shown) is a symbolic link: name the file it points to")
            default: throw .unreadable("cannot open \(shown): \(String(cString: strerror(e)))")
            }
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            _ = close(fd)
            throw .unreadable("cannot examine \(TerminalText.sanitize(path)): \(String(cString: strerror(e)))")
        }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG || type == S_IFIFO else {
            _ = close(fd)
            throw .notALog("\(TerminalText.sanitize(path)) is not a file: name an access log file (or - for standard input)")
        }
        // Blocking reads from here on (O_NONBLOCK only kept a FIFO without a writer from hanging open).
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return Opened(fd: fd, size: type == S_IFREG ? Int64(st.st_size) : nil)
    }
}

/// One access log to read: its name as the user gave it (for line numbers in messages), where
/// its bytes come from, and its size for progress when known.
public struct TrafficLogInput {
    public var name: String
    public var source: any LogByteSource
    public var size: Int64?

    public init(name: String, source: any LogByteSource, size: Int64?) {
        self.name = name
        self.source = source
        self.size = size
    }

    /// An in-memory log (tests).
    public init(name: String, bytes: [UInt8]) {
        self.init(name: name, source: MemorySource(bytes), size: Int64(bytes.count))
    }

    /// Opens a path through ``LogFileOpener``; `-` is standard input (not closed afterwards).
    public static func open(_ path: String) throws(TrafficInputError) -> TrafficLogInput {
        if path == "-" {
            return TrafficLogInput(name: "-", source: FileDescriptorSource(fd: 0, name: "standard input", closes: false), size: nil)
        }
        let opened = try LogFileOpener.open(path)
        return TrafficLogInput(name: path, source: FileDescriptorSource(fd: opened.fd, name: TerminalText.sanitize(path), closes: true),
                               size: opened.size)
    }
}
