import Foundation

/// One line a repair discards (or discarded), read as far as it can be read, so that the layer
/// above (which knows what the records mean) can say which commits are lost: FlatStore only
/// knows collections, ids and JSON.
public struct DiscardedLine: Sendable, Equatable {
    /// One record the line writes or deletes.
    public struct Record: Sendable, Equatable {
        public var collection: String
        public var id: String
        public var version: Int
        /// The record's JSON; nil for a delete.
        public var json: [UInt8]?
    }

    /// The file's name in the store directory.
    public var file: String
    /// 1-based line number in the file as it is (was, after a repair).
    public var line: Int
    /// Bytes of the line, its newline included when it has one.
    public var length: Int
    /// Whether the line passes its checksum. A damaged line that still reads as a commit has
    /// unverified content: it may have been edited.
    public var intact: Bool
    /// The commit's seq, when the line reads as a commit (journal lines only).
    public var seq: UInt64?
    /// What the line writes, when it reads as a commit or a snapshot record; empty otherwise.
    public var records: [Record]

    /// Whether anything could be read from the line.
    public var isReadable: Bool { seq != nil || !records.isEmpty }
}

extension StoreCheck {
    /// The lines of `bytes[from...]`, numbered from `firstLine`, read as journal commits (or, with
    /// `snapshot`, as snapshot records). Intact commit lines for which `keep` says true (the
    /// snapshot holds them, or a repair carries them over) are left out: they are not lost.
    static func discardedLines(_ bytes: [UInt8], from: Int, firstLine: Int, file: String, salt: UInt32?,
                               snapshot: Bool = false, keep: (UInt64) -> Bool = { _ in false }) -> [DiscardedLine] {
        var out: [DiscardedLine] = []
        bytes.withUnsafeBytes { raw in
            var pos = from
            var lineNo = firstLine
            while pos < raw.count {
                let nl = JournalScan.indexOfNewline(raw, from: pos)
                let end = nl ?? raw.count
                let next = nl.map { $0 + 1 } ?? raw.count
                defer {
                    pos = next
                    lineNo += 1
                }
                let line = UnsafeRawBufferPointer(rebasing: raw[pos..<end])
                let intact = nl != nil && salt != nil && LineFormat.verify(line, salt: salt) != nil
                var d = DiscardedLine(file: file, line: lineNo, length: next - pos, intact: intact, seq: nil, records: [])
                // The seal's shape gives the prefix even when the checksum fails.
                if let (p, _) = LineFormat.seal(of: line) {
                    if snapshot {
                        if let op = LineFormat.parseSnapshotRecord(raw, from: pos, to: pos + p) {
                            d.records = [record(op, raw)]
                        }
                    } else if let (seq, ops) = LineFormat.parseCommit(raw, from: pos, to: pos + p) {
                        if intact, keep(seq) { continue }
                        d.seq = seq
                        d.records = ops.map { record($0, raw) }
                    }
                }
                out.append(d)
            }
        }
        return out
    }

    private static func record(_ op: ParsedOp, _ raw: UnsafeRawBufferPointer) -> DiscardedLine.Record {
        DiscardedLine.Record(collection: op.collection, id: op.id, version: op.version,
                             json: op.record.map { Array(UnsafeRawBufferPointer(rebasing: raw[$0])) })
    }
}
