import Foundation

/// Where the bytes of one access log come from: an open file descriptor, memory (tests), or
/// another source decompressed on the way (gzip).
///
/// Sources are read once, front to back, by one thread.
public protocol LogByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TrafficInputError) -> Int
    /// How many bytes were taken from the underlying file so far (compressed bytes for gzip),
    /// for progress against the file's size.
    var consumed: Int64 { get }
}

/// Why an access log could not be opened or read to its end.
public enum TrafficInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist.
    case missing(String)
    /// The user may not read it.
    case denied(String)
    /// It is not a file that can be read as a log (a directory, a device).
    case notALog(String)
    /// An I/O error, or compressed data that ends early or is damaged.
    case unreadable(String)

    public var description: String {
        switch self {
        case .missing(let m), .denied(let m), .notALog(let m), .unreadable(let m): return m
        }
    }

    /// The error as PrivacyOps reports it, with its exit code (66, 77, 65, 1).
    var opsError: OpsError {
        switch self {
        case .missing(let m): return .notFound(OpsProblem(m))
        case .denied(let m): return .denied(OpsProblem(m))
        case .notALog(let m): return .invalid(OpsProblem(m))
        case .unreadable(let m): return .failure(OpsProblem(m))
        }
    }
}

/// Reads an open file descriptor with `read(2)`.
public final class FileDescriptorSource: LogByteSource {
    public let fd: Int32
    private let closes: Bool
    private let name: String
    public private(set) var consumed: Int64 = 0

    /// - Parameter closes: close the descriptor when the source goes away (not for stdin).
    public init(fd: Int32, name: String, closes: Bool) {
        self.fd = fd
        self.name = name
        self.closes = closes
    }

    deinit { if closes { _ = Foundation.close(fd) } }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TrafficInputError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Foundation.read(fd, base, buffer.count)
            if n >= 0 {
                consumed += Int64(n)
                return n
            }
            if errno == EINTR { continue }
            throw .unreadable("\(name): read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// Bytes held in memory (tests, and logs handed over by another part of the program).
public final class MemorySource: LogByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    public var consumed: Int64 { Int64(offset) }

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TrafficInputError) -> Int {
        let n = min(buffer.count, bytes.count - offset)
        guard n > 0, let base = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { src in
            if let from = src.baseAddress { base.copyMemory(from: from + offset, byteCount: n) }
        }
        offset += n
        return n
    }
}
