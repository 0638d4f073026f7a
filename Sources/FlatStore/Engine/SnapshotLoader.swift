import Foundation

/// Reads a snapshot file into memory: verifies every line and indexes every record without
/// decoding any, on both cores.
enum SnapshotLoader {
    struct Loaded {
        var state: StoreState
        var salt: UInt32
        var inode: UInt64
    }

    /// A damaged snapshot line: its 1-based line number and why.
    struct BadLine: Error {
        var line: Int
        var offset: Int
        var reason: String
    }

    static func load(io: FileIO, path: String, displayName: String) throws -> Loaded? {
        let bytes: [UInt8]
        let st: FileStatus
        do {
            (bytes, st) = try io.readWholeFile(path)
        } catch let e as SystemError where e.code == ENOENT {
            return nil
        } catch {
            throw FlatStoreError.io(SystemError.from(error))
        }
        let buffer = ByteBuffer(bytes)
        let (header, body) = try bytes.withUnsafeBytes { try FileHeader.parse($0, file: displayName) }
        guard header.kind == "snapshot" else {
            throw FlatStoreError.corrupt(file: displayName, line: 1, reason: "not a snapshot header")
        }
        let (ops, bad) = parseRecords(buffer, from: body, salt: header.salt)
        if let bad {
            throw FlatStoreError.corrupt(file: displayName, line: bad.line, reason: bad.reason)
        }
        guard ops.count == header.records else {
            throw FlatStoreError.corrupt(file: displayName, line: ops.count + 2,
                                         reason: "the header promises \(header.records) records, the file holds \(ops.count)")
        }
        var state = StoreState()
        state.seq = header.seq
        index(ops, buffer: buffer, into: &state)
        return Loaded(state: state, salt: header.salt, inode: st.inode)
    }

    /// Verifies and parses record lines from `from` to the end, split across two threads.
    /// Returns the parsed records in file order and the first bad line, if any.
    static func parseRecords(_ buffer: ByteBuffer, from: Int, salt: UInt32) -> ([ParsedOp], BadLine?) {
        let bytes = buffer.bytes
        let total = bytes.count
        // Split at a newline near the middle.
        var cuts = [from]
        if total - from > 1 << 20 {
            let mid = from + (total - from) / 2
            let nl = bytes.withUnsafeBytes { JournalScan.indexOfNewline($0, from: mid) }
            if let nl { cuts.append(nl + 1) }
        }
        cuts.append(total)
        let bounds = cuts
        let parts = cuts.count - 1
        final class Box: @unchecked Sendable {
            var ops: [[ParsedOp]]
            var lines: [Int]
            var bad: [(Int, Int, String)?]
            init(_ n: Int) {
                ops = Array(repeating: [], count: n)
                lines = Array(repeating: 0, count: n)
                bad = Array(repeating: nil, count: n)
            }
        }
        let box = Box(parts)
        DispatchQueue.concurrentPerform(iterations: parts) { k in
            var local: [ParsedOp] = []
            local.reserveCapacity((bounds[k + 1] - bounds[k]) / 200)
            var lines = 0
            var bad: (Int, Int, String)?
            bytes.withUnsafeBytes { raw in
                var pos = bounds[k]
                let end = bounds[k + 1]
                while pos < end {
                    guard let nl = JournalScan.indexOfNewline(raw, from: pos), nl < end else {
                        bad = (lines, pos, "the last line is incomplete")
                        return
                    }
                    let line = UnsafeRawBufferPointer(rebasing: raw[pos..<nl])
                    guard let p = LineFormat.verify(line, salt: salt) else {
                        bad = (lines, pos, "checksum mismatch")
                        return
                    }
                    guard let op = LineFormat.parseSnapshotRecord(raw, from: pos, to: pos + p) else {
                        bad = (lines, pos, "the record line cannot be parsed")
                        return
                    }
                    local.append(op)
                    lines += 1
                    pos = nl + 1
                }
            }
            box.ops[k] = local
            box.lines[k] = lines
            box.bad[k] = bad
        }
        var before = 1  // the header
        for k in 0..<parts {
            if let (rel, offset, reason) = box.bad[k] {
                return (box.ops[0..<k].flatMap { $0 }, BadLine(line: before + rel + 1, offset: offset, reason: reason))
            }
            before += box.lines[k]
        }
        if parts == 1 { return (box.ops[0], nil) }
        return (box.ops.flatMap { $0 }, nil)
    }

    /// Builds the in-memory index. Records of one collection are contiguous in a snapshot.
    static func index(_ ops: [ParsedOp], buffer: ByteBuffer, into state: inout StoreState) {
        var i = 0
        while i < ops.count {
            let name = ops[i].collection
            var j = i
            while j < ops.count, ops[j].collection == name { j += 1 }
            var cs = state.collections.removeValue(forKey: name) ?? CollectionState()
            cs.ids.reserveCapacity(cs.ids.count + (j - i))
            cs.entries.reserveCapacity(cs.entries.count + (j - i))
            cs.index.reserveCapacity(cs.index.count + (j - i))
            for k in i..<j {
                let op = ops[k]
                guard let r = op.record else { continue }
                cs.put(op.id, Entry(buffer: buffer, start: r.lowerBound, count: UInt32(r.count), version: UInt32(op.version)))
            }
            state.collections[name] = cs
            i = j
        }
    }
}
