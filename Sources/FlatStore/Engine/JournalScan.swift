import Foundation

/// The outcome of reading journal lines from some offset.
struct JournalScan {
    /// Commits read, in order, with their ops pointing into `buffer`.
    var commits: [(seq: UInt64, ops: [ParsedOp])] = []
    var buffer: ByteBuffer
    /// Bytes of whole good lines consumed, from the scan's start.
    var consumed: Int = 0
    /// Lines consumed.
    var lines: Int = 0
    /// What stopped the scan before the end of the bytes, if anything.
    var stop: Stop = .clean

    enum Stop: Equatable {
        case clean
        /// Bad bytes at the end holding no complete line: a torn tail from a dead writer.
        case tornTail(length: Int)
        /// A bad line followed by intact lines, or a complete final line that fails its
        /// checksum: damage that open must not paper over.
        case corrupt(lineOffset: Int, reason: String)
    }

    /// Reads lines from `bytes`, expecting commit `nextSeq` first. Lines at or below `skipThrough`
    /// (already in a snapshot) are checked and skipped.
    static func scan(_ bytes: [UInt8], salt: UInt32, nextSeq: UInt64, skipThrough: UInt64) -> JournalScan {
        var result = JournalScan(buffer: ByteBuffer(bytes))
        var expect = nextSeq
        let seed = LineFormat.seed(salt)
        do {
            let raw = result.buffer.bytes
            var pos = 0
            let n = raw.count
            while pos < n {
                guard let nl = indexOfNewline(raw, from: pos) else {
                    result.stop = .tornTail(length: n - pos)
                    return result
                }
                let line = UnsafeRawBufferPointer(rebasing: raw[pos..<nl])
                var reason: String?
                if let p = LineFormat.verify(line, seed: seed) {
                    if let (seq, ops) = LineFormat.parseCommit(raw, from: pos, to: pos + p) {
                        if seq == expect {
                            if seq > skipThrough { result.commits.append((seq, ops)) }
                            expect += 1
                            pos = nl + 1
                            result.consumed = pos
                            result.lines += 1
                            continue
                        }
                        reason = "expected commit \(expect), found \(seq)"
                    } else {
                        reason = "checksum matches but the commit cannot be parsed"
                    }
                } else {
                    reason = "checksum mismatch"
                }
                // A bad line. Intact lines after it: mid-file corruption. Otherwise it is a torn
                // tail only when no complete line is left (see ``isTornTail(_:from:)``): a
                // complete final line that fails its checksum was written whole and then
                // changed, which open must not paper over by cutting an acknowledged commit.
                if reason != "checksum mismatch" || hasIntactLine(raw, from: nl + 1, salt: salt) || !isTornTail(raw, from: pos) {
                    result.stop = .corrupt(lineOffset: pos, reason: reason ?? "bad line")
                } else {
                    result.stop = .tornTail(length: n - pos)
                }
                return result
            }
        }
        return result
    }

    static func indexOfNewline(_ raw: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard from < raw.count, let base = raw.baseAddress else { return nil }
        guard let hit = memchr(base + from, 0x0A, raw.count - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// Whether the bytes from `from` to the end are what an interrupted append leaves: no
    /// complete line. A complete line ends in a newline and holds no NUL byte. FlatStore never
    /// writes a NUL (JSON escapes every control character), while an append cut short by a crash
    /// leaves either a line without its newline, or blocks the file grew by but that were never
    /// written, which read back as zeros (a zero-filled or partly zero-filled line, even one whose
    /// newline survived). Anything else after the last intact line (an edited byte, a flipped
    /// bit, a stale line with another journal's salt) is damage.
    static func isTornTail(_ raw: UnsafeRawBufferPointer, from: Int) -> Bool {
        var pos = from
        while pos < raw.count, let nl = indexOfNewline(raw, from: pos) {
            guard let base = raw.baseAddress, memchr(base + pos, 0, nl - pos) != nil else { return false }
            pos = nl + 1
        }
        return true
    }

    static func hasIntactLine(_ raw: UnsafeRawBufferPointer, from: Int, salt: UInt32) -> Bool {
        var pos = from
        let seed = LineFormat.seed(salt)
        while pos < raw.count, let nl = indexOfNewline(raw, from: pos) {
            if LineFormat.verify(UnsafeRawBufferPointer(rebasing: raw[pos..<nl]), seed: seed) != nil { return true }
            pos = nl + 1
        }
        return false
    }
}

/// Header lines of journals and snapshots.
struct FileHeader {
    var kind: String
    var seq: UInt64
    var salt: UInt32
    var records: Int

    static func journal(baseSeq: UInt64, salt: UInt32) -> [UInt8] {
        var p = Array(#"{"journal":1,"base_seq":\#(baseSeq),"salt":"\#(LineFormat.hexString(salt))","created_at":"\#(Timestamp.now())""#.utf8)
        LineFormat.seal(&p, salt: nil)
        return p
    }

    static func snapshot(seq: UInt64, salt: UInt32, records: Int) -> [UInt8] {
        var p = Array(#"{"snapshot":1,"seq":\#(seq),"salt":"\#(LineFormat.hexString(salt))","records":\#(records),"created_at":"\#(Timestamp.now())""#.utf8)
        LineFormat.seal(&p, salt: nil)
        return p
    }

    /// Parses the first line of `raw`; returns the header and the offset after its newline.
    static func parse(_ raw: UnsafeRawBufferPointer, file: String) throws -> (FileHeader, Int) {
        guard let nl = JournalScan.indexOfNewline(raw, from: 0) else {
            throw FlatStoreError.corrupt(file: file, line: 1, reason: "the header line is incomplete")
        }
        let line = UnsafeRawBufferPointer(rebasing: raw[0..<nl])
        guard let p = LineFormat.verify(line, salt: nil) else {
            throw FlatStoreError.corrupt(file: file, line: 1, reason: "the header line fails its checksum")
        }
        // The fixed key order FlatStore writes, read byte by byte; anything else through
        // JSONSerialization.
        if let h = fixedOrder(raw, to: p) { return (h, nl + 1) }
        let json = Data(UnsafeRawBufferPointer(rebasing: raw[0..<p])) + Data("}".utf8)
        guard let obj = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
              let saltHex = obj["salt"] as? String, let salt = LineFormat.parseHex(saltHex) else {
            throw FlatStoreError.corrupt(file: file, line: 1, reason: "the header line cannot be parsed")
        }
        if obj["journal"] != nil, let base = (obj["base_seq"] as? NSNumber)?.uint64Value {
            return (FileHeader(kind: "journal", seq: base, salt: salt, records: 0), nl + 1)
        }
        if obj["snapshot"] != nil, let seq = (obj["seq"] as? NSNumber)?.uint64Value,
           let records = (obj["records"] as? NSNumber)?.intValue {
            return (FileHeader(kind: "snapshot", seq: seq, salt: salt, records: records), nl + 1)
        }
        throw FlatStoreError.corrupt(file: file, line: 1, reason: "the header line is not a FlatStore header")
    }

    /// `{"journal":1,"base_seq":S,"salt":"h…",…` or `{"snapshot":1,"seq":S,"salt":"h…","records":N,…`.
    static func fixedOrder(_ raw: UnsafeRawBufferPointer, to end: Int) -> FileHeader? {
        var s = LineScanner(raw, from: 0, to: end)
        func salt() -> UInt32? {
            guard s.expect(#","salt":""#), let r = s.plainRange(), r.count == 8 else { return nil }
            return LineFormat.parseHex(String(decoding: UnsafeRawBufferPointer(rebasing: raw[r]), as: UTF8.self))
        }
        if s.expect(#"{"journal":1,"base_seq":"#), let base = s.integer(), let salt = salt() {
            return FileHeader(kind: "journal", seq: base, salt: salt, records: 0)
        }
        s = LineScanner(raw, from: 0, to: end)
        if s.expect(#"{"snapshot":1,"seq":"#), let seq = s.integer(), let salt = salt(), s.expect(#","records":"#),
           let records = s.integer(), records <= UInt64(Int.max) {
            return FileHeader(kind: "snapshot", seq: seq, salt: salt, records: Int(records))
        }
        return nil
    }
}
