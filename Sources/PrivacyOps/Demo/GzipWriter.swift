internal import CZlib

/// gzip compression through zlib, a chunk at a time: the demo's rotated access logs
/// (`access.log.2.gz`) and the benchmark's compressed logs.
public final class GzipWriter {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var finished = false

    public init(level: Int32 = 6) throws {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard lg_deflate_init_gzip(stream, level) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw OpsError.failure("zlib could not start compressing (out of memory?)")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `bytes`; the compressed bytes collect until ``takeOutput()``.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try run($0, flush: Z_NO_FLUSH) }
    }

    /// Ends the gzip member (trailer with CRC and length).
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try run(UnsafeBufferPointer(start: nil, count: 0), flush: Z_FINISH)
    }

    /// The compressed bytes so far, handed over and forgotten.
    public func takeOutput() -> [UInt8] {
        defer { output.removeAll(keepingCapacity: true) }
        return output
    }

    private func run(_ input: UnsafeBufferPointer<UInt8>, flush: Int32) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = UInt32(input.count)
        let size = chunk.count
        while true {
            let (ret, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = UInt32(size)
                let r = deflate(stream, flush)
                return (r, size - Int(stream.pointee.avail_out))
            }
            guard ret == Z_OK || ret == Z_STREAM_END || ret == Z_BUF_ERROR else {
                throw OpsError.failure("zlib failed while compressing (code \(ret))")
            }
            output.append(contentsOf: chunk[0..<produced])
            if flush == Z_FINISH ? ret == Z_STREAM_END : stream.pointee.avail_in == 0 && produced < size { break }
        }
    }
}
