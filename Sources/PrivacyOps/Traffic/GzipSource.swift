internal import CZlib

/// A log's text: gzip data (recognised by its magic bytes 1f 8b, whatever the file is called)
/// inflated on the way with zlib, anything else passed through as it is.
///
/// Several gzip members one after the other (`cat a.gz b.gz`) read as one text, as `zcat`
/// reads them. Compressed data that ends early or is damaged is an error after the text read
/// so far. Memory: one 64 KiB input buffer and zlib's 32 KiB window, whatever the file's size.
public final class DecodedLogSource: LogByteSource {
    private enum Mode { case undecided, plain, gzip }

    private let raw: any LogByteSource
    private let name: String
    private let input: UnsafeMutableRawBufferPointer
    private var inStart = 0
    private var inEnd = 0
    private var rawEnded = false
    private var mode = Mode.undecided
    private var finished = false
    /// Heap-allocated: zlib keeps the stream's address and checks it on every call.
    private var stream: UnsafeMutablePointer<z_stream>?

    public var consumed: Int64 { raw.consumed }

    /// Whether the data turned out to be gzip (known after the first read).
    public var isCompressed: Bool { mode == .gzip }

    public init(_ raw: any LogByteSource, name: String) {
        self.raw = raw
        self.name = name
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        input.deallocate()
    }

    /// Reads more raw bytes after those not yet used; false at the end of the raw data.
    private func fill() throws(TrafficInputError) -> Bool {
        if inStart > 0 {
            let left = inEnd - inStart
            if left > 0, let base = input.baseAddress { base.copyMemory(from: base + inStart, byteCount: left) }
            inStart = 0
            inEnd = left
        }
        guard !rawEnded, inEnd < input.count else { return false }
        let n = try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: input[inEnd...]))
        if n == 0 { rawEnded = true }
        inEnd += n
        return n > 0
    }

    private var startsWithGzipMagic: Bool {
        inEnd - inStart >= 2 && input[inStart] == 0x1F && input[inStart + 1] == 0x8B
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TrafficInputError) -> Int {
        if mode == .undecided {
            while inEnd - inStart < 2, try fill() {}
            if startsWithGzipMagic {
                try startMember(fresh: true)
                mode = .gzip
            } else {
                mode = .plain
            }
        }
        switch mode {
        case .plain:
            if inStart < inEnd, let to = buffer.baseAddress, let from = input.baseAddress {
                let n = min(buffer.count, inEnd - inStart)
                to.copyMemory(from: from + inStart, byteCount: n)
                inStart += n
                return n
            }
            return try raw.read(into: buffer)
        case .gzip, .undecided:
            return try inflate(into: buffer)
        }
    }

    private func startMember(fresh: Bool) throws(TrafficInputError) {
        if fresh {
            let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
            s.initialize(to: z_stream())
            guard lg_inflate_init_gzip(s) == Z_OK else {
                s.deinitialize(count: 1)
                s.deallocate()
                throw .unreadable("\(name): zlib could not start (out of memory?)")
            }
            stream = s
        } else if let stream {
            inflateReset(stream)
        }
    }

    private func inflate(into buffer: UnsafeMutableRawBufferPointer) throws(TrafficInputError) -> Int {
        guard let stream, let out = buffer.baseAddress, buffer.count > 0, !finished else { return 0 }
        while true {
            if inStart == inEnd { _ = try fill() }
            let availIn = inEnd - inStart
            stream.pointee.next_in = input.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) + inStart }
            stream.pointee.avail_in = UInt32(availIn)
            stream.pointee.next_out = out.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
            let ret = CZlib.inflate(stream, Z_NO_FLUSH)
            inStart = inEnd - Int(stream.pointee.avail_in)
            let produced = min(buffer.count, Int(UInt32.max)) - Int(stream.pointee.avail_out)
            switch ret {
            case Z_STREAM_END:
                // One member done: another may follow (concatenated gzip files).
                while inEnd - inStart < 2, try fill() {}
                if startsWithGzipMagic {
                    try startMember(fresh: false)
                } else {
                    // The end, or bytes after the data that are not gzip (ignored, as gzip does).
                    finished = true
                    return produced
                }
                if produced > 0 { return produced }
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return produced }
                if availIn == 0, rawEnded {
                    throw .unreadable("\(name): the compressed data ends early (a truncated .gz file)")
                }
            default:
                let why = stream.pointee.msg.map { String(cString: $0) } ?? "code \(ret)"
                throw .unreadable("\(name): the compressed data is damaged (\(why))")
            }
        }
    }
}
