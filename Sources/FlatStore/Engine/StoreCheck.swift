import Foundation

/// What ``FlatStore/check(at:io:)`` found in a store, or what ``FlatStore/repair(at:io:)`` did.
public struct CheckReport: Sendable, Equatable {
    /// A damaged line: the file's name in the store directory, its 1-based line number, and why.
    public struct BadLine: Sendable, Equatable {
        public var file: String
        public var line: Int
        public var reason: String
    }

    /// One human line per problem found, each naming the file and, where there is one, the line.
    /// After ``FlatStore/repair(at:io:)``: the problems found before repairing.
    public var problems: [String] = []
    /// What a repair discards (from ``FlatStore/check(at:io:)``) or discarded (from
    /// ``FlatStore/repair(at:io:)``), each saying that a `.broken` copy is kept (after a repair: its name).
    public var discards: [String] = []
    /// True when ``FlatStore/open(at:readOnly:io:)`` succeeds on the store as it is (after a
    /// repair: as it is now). A torn journal tail or a leftover temporary file is reported but
    /// healthy (open recovers from it); damage before intact data, or a bad header, is not.
    public var isHealthy: Bool = true
    /// The last intact commit (after a repair: the store's commit now).
    public var seq: UInt64 = 0
    /// Live records as of ``seq``.
    public var records: Int = 0

    /// Every damaged snapshot line, in file order.
    public var snapshotBadLines: [BadLine] = []
    /// The journal's first bad line, if any.
    public var journalBadLine: BadLine?
    /// Whether ``journalBadLine`` is a torn tail (nothing intact after it) rather than corruption.
    public var journalTornTail: Bool = false
    /// Seqs of the intact commits after ``journalBadLine``, which a repair discards.
    public var commitsAfterDamage: [UInt64] = []
    /// Leftover temporary files (`*.tmp`) in the store directory.
    public var leftoverFiles: [String] = []
    /// Problems with the header lines of the journal and the snapshot.
    public var headerProblems: [String] = []
    /// Every line a repair discards (from ``FlatStore/check(at:io:)``) or discarded (from
    /// ``FlatStore/repair(at:io:expecting:)``), in file order, read as far as it can be: the
    /// damaged line itself, intact commits after it, a torn tail, damaged snapshot records. The
    /// layer above says what each one was (``discards`` only says how many).
    public var discardedLines: [DiscardedLine] = []

    public init() {}
}

extension FlatStore {
    /// Reads the store in `path` under a shared lock, changing nothing, and reports every damaged
    /// snapshot line, the journal's first bad line (torn tail or mid-file corruption) with the
    /// intact commits a repair would discard, header problems and leftover temporary files.
    ///
    /// - Throws: ``FlatStoreError/noStore(path:)``; ``FlatStoreError/io(_:)`` when a file cannot
    ///   be read. Damage is reported, not thrown.
    public static func check(at path: String, io: FileIO = POSIXFileIO()) throws -> CheckReport {
        try StoreCheck.withLock(path: path, io: io, exclusive: false) {
            let a = try StoreCheck.analyse(path: path, io: io)
            var report = a.report
            report.discards = a.plannedDiscards
            report.discardedLines = a.discardedLines
            report.problems += a.unrepairable.map { "repair cannot fix this: \($0)" }
            return report
        }
    }

    /// Repairs the store in `path` under the exclusive lock: truncates the journal at its first
    /// bad line, rewrites the snapshot without its bad lines (the header's record count adjusted,
    /// a header damaged in one byte corrected), and removes leftover temporary files. Whatever is
    /// discarded is first kept durably beside the file it came from, as `FILE.broken` (or
    /// `FILE.broken.2`, …).
    ///
    /// - Parameter expected: what a ``check(at:io:)`` shown to the person confirming the repair
    ///   said it would discard. When the store no longer matches it (something changed in
    ///   between), nothing is changed and ``FlatStoreError/changedSinceCheck(_:)`` is thrown, so
    ///   a repair never discards more than was shown. Nil repairs whatever is found.
    /// - Returns: the problems found, what was discarded, and the store's state afterwards. When
    ///   the damage cannot be repaired (the snapshot's header is unreadable, or the journal starts
    ///   after the snapshot's last commit), nothing is changed and the report is not healthy.
    /// - Throws: ``FlatStoreError/noStore(path:)``; ``FlatStoreError/io(_:)`` when reading or
    ///   writing fails (every step is atomic: a file is either the old one or the repaired one).
    public static func repair(at path: String, io: FileIO = POSIXFileIO(), expecting expected: CheckReport? = nil) throws -> CheckReport {
        try StoreCheck.withLock(path: path, io: io, exclusive: true) {
            let a = try StoreCheck.analyse(path: path, io: io)
            if let expected, expected.discards != a.plannedDiscards || expected.discardedLines != a.discardedLines {
                throw FlatStoreError.changedSinceCheck(path)
            }
            var report = a.report
            report.discardedLines = a.discardedLines
            if !a.unrepairable.isEmpty {
                report.problems += a.unrepairable.map { "cannot repair automatically: \($0)" }
                report.isHealthy = false
                return report
            }
            let discards: [String]
            do {
                discards = try StoreCheck.applyRepair(a, path: path, io: io)
            } catch let e as SystemError {
                throw FlatStoreError.io(e)
            }
            let after = try StoreCheck.analyse(path: path, io: io)
            report.discards = discards
            report.seq = after.report.seq
            report.records = after.report.records
            report.isHealthy = after.report.isHealthy && after.report.journalBadLine == nil
                && after.report.leftoverFiles.isEmpty
            report.problems += after.report.problems.map { "after repair: \($0)" }
            return report
        }
    }
}

/// The machinery behind ``FlatStore/check(at:io:)`` and ``FlatStore/repair(at:io:)``.
enum StoreCheck {
    /// What was read and found, enough to repair from.
    struct Analysis {
        var report = CheckReport()
        var plannedDiscards: [String] = []
        /// The lines a repair discards, read (see ``CheckReport/discardedLines``).
        var discardedLines: [DiscardedLine] = []
        /// Problems a repair cannot fix.
        var unrepairable: [String] = []

        var snapshot: SnapshotPlan?
        var journal = JournalPlan()
    }

    struct SnapshotPlan {
        var bytes: [UInt8]
        var header: FileHeader
        /// The header line as it should be, when the file's own is damaged.
        var damagedHeader: Range<Int>?
        /// Intact record lines, newlines included.
        var good: [Range<Int>] = []
        /// Damaged lines (newline included where there is one).
        var bad: [Range<Int>] = []
        var needsRewrite = false
    }

    struct JournalPlan {
        var bytes: [UInt8] = []
        var header: FileHeader?
        /// The damaged header line's range, when the header was corrected.
        var damagedHeader: Range<Int>?
        /// End of the last intact line (in the file as it is).
        var goodEnd = 0
        /// The last intact commit in the journal.
        var lastSeq: UInt64 = 0
        /// Replace the journal by a fresh one based at the snapshot's seq (the old one is kept).
        var startFresh = false
        var startFreshReason = ""
        /// For a fresh journal: the intact commit lines after the snapshot's commit to keep.
        var carried: [(seq: UInt64, range: Range<Int>)] = []
    }

    static func withLock<T>(path: String, io: FileIO, exclusive: Bool, _ body: () throws -> T) throws -> T {
        let journalPath = path + "/" + FlatStore.journalName
        do {
            _ = try io.stat(journalPath)
        } catch let e as SystemError {
            if e.code == ENOENT || e.code == ENOTDIR { throw FlatStoreError.noStore(path: path) }
            throw FlatStoreError.io(e)
        }
        let lockPath = path + "/" + FlatStore.lockName
        let fd: Int32
        do {
            if exclusive {
                let mode = FlatStore.fileMode
                fd = try io.open(lockPath, O_RDWR | O_CREAT, mode)
            } else {
                fd = try io.open(lockPath, O_RDONLY, 0)
            }
        } catch {
            throw FlatStoreError.io(SystemError.from(error))
        }
        defer { io.close(fd) }
        do { try io.flock(fd, exclusive ? LOCK_EX : LOCK_SH) } catch { throw FlatStoreError.io(SystemError.from(error)) }
        defer { try? io.flock(fd, LOCK_UN) }
        return try body()
    }

    // MARK: Reading

    static func analyse(path: String, io: FileIO) throws -> Analysis {
        var a = Analysis()
        let snapName = FlatStore.snapshotName
        let journalName = FlatStore.journalName
        var state = StoreState()
        var snapSeq: UInt64 = 0

        // The snapshot.
        var snapBytes: [UInt8]?
        do {
            snapBytes = try io.readWholeFile(path + "/" + snapName).bytes
        } catch let e as SystemError where e.code == ENOENT {
            snapBytes = nil
        } catch {
            throw FlatStoreError.io(SystemError.from(error))
        }
        if let bytes = snapBytes {
            if let plan = checkSnapshot(bytes, into: &a) {
                a.snapshot = plan
                snapSeq = plan.header.seq
                var ops: [ParsedOp] = []
                bytes.withUnsafeBytes { raw in
                    for r in plan.good {
                        if let op = LineFormat.parseSnapshotRecord(raw, from: r.lowerBound, to: r.upperBound - 1 - LineFormat.sealLength) {
                            ops.append(op)
                        }
                    }
                }
                state.seq = plan.header.seq
                SnapshotLoader.index(ops, buffer: ByteBuffer(bytes), into: &state)
            }
        }

        // The journal.
        let bytes: [UInt8]
        do { bytes = try io.readWholeFile(path + "/" + journalName).bytes } catch {
            throw FlatStoreError.io(SystemError.from(error))
        }
        a.journal.bytes = bytes
        var header: FileHeader?
        var body = 0
        do {
            let (h, b) = try bytes.withUnsafeBytes { try FileHeader.parse($0, file: journalName) }
            if h.kind == "journal" {
                header = h
                body = b
            } else {
                headerProblem(&a, "\(journalName) line 1: the header is a \(h.kind) header, not a journal's")
            }
        } catch FlatStoreError.corrupt(_, _, let reason) {
            headerProblem(&a, "\(journalName) line 1: \(reason)")
            if let (h, line) = recoverHeader(bytes, kind: "journal") {
                header = h
                body = line.upperBound
                a.journal.damagedHeader = line
                a.plannedDiscards.append("\(journalName) line 1: the damaged header, corrected in one byte (a .broken copy of the old line is kept)")
            }
        }
        guard let header else {
            // Without the header there is no salt: every line is unverified.
            let firstNL = bytes.firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
            a.discardedLines += discardedLines(bytes, from: firstNL, firstLine: 2, file: journalName, salt: nil)
            a.journal.startFresh = true
            a.journal.startFreshReason = "its header cannot be read"
            a.plannedDiscards.append("\(journalName): the whole journal (\(bytes.count) bytes), whose header cannot be read; a fresh journal starts at commit \(snapSeq) (a .broken copy of the old one is kept)")
            a.report.seq = state.seq
            a.report.records = liveRecords(state)
            a.report.leftoverFiles = leftovers(path)
            reportLeftovers(&a)
            return a
        }
        a.journal.header = header
        if header.seq > snapSeq {
            let what = a.snapshot == nil ? "there is no snapshot" : "the snapshot holds only up to \(snapSeq)"
            headerProblem(&a, "\(journalName) line 1: the journal starts after commit \(header.seq) but \(what)")
            a.unrepairable.append("commits \(snapSeq + 1) to \(header.seq) are in neither the snapshot nor the journal")
        }
        let scan = JournalScan.scan(Array(bytes[body...]), salt: header.salt, nextSeq: header.seq + 1, skipThrough: snapSeq)
        state.apply(scan)
        let lastSeq = header.seq + UInt64(scan.lines)
        a.journal.lastSeq = lastSeq
        a.journal.goodEnd = body + scan.consumed
        let badLineNo = 1 + scan.lines + 1
        // A journal left behind by a compaction that died before replacing it may end (once cut)
        // before the snapshot's commit; the next commit would then not follow its last line. A
        // repair starts a fresh journal at the snapshot's commit, carrying over the intact,
        // contiguous commits after it.
        let endsEarly = header.seq <= snapSeq && lastSeq < snapSeq
        if endsEarly {
            a.journal.startFresh = true
            a.journal.carried = carriedCommits(bytes, from: a.journal.goodEnd, salt: header.salt, after: snapSeq)
        }
        let carriedSeqs = Set(a.journal.carried.map(\.seq))
        switch scan.stop {
        case .clean:
            break
        case .tornTail(let length):
            let bad = CheckReport.BadLine(file: journalName, line: badLineNo, reason: "torn tail")
            a.report.journalBadLine = bad
            a.report.journalTornTail = true
            a.discardedLines += discardedLines(bytes, from: a.journal.goodEnd, firstLine: badLineNo, file: journalName, salt: header.salt)
            a.report.problems.append("\(journalName) line \(badLineNo): a torn tail of \(length) bytes (an interrupted commit); open cuts it and keeps a .broken copy")
            a.plannedDiscards.append("\(journalName) from line \(badLineNo): a torn tail of \(length) bytes, no intact commit (a .broken copy is kept)")
        case .corrupt(let lineOffset, let reason):
            let start = body + lineOffset
            // Commits the snapshot holds, or carried over to a fresh journal, are not lost.
            let lost = intactCommits(bytes, from: start, salt: header.salt).filter { $0 > snapSeq && !carriedSeqs.contains($0) }
            a.report.journalBadLine = CheckReport.BadLine(file: journalName, line: badLineNo, reason: reason)
            a.report.commitsAfterDamage = lost
            a.report.isHealthy = false
            a.discardedLines += discardedLines(bytes, from: start, firstLine: badLineNo, file: journalName, salt: header.salt,
                                               keep: { $0 <= snapSeq || carriedSeqs.contains($0) })
            let list = lost.isEmpty ? "no intact commit the snapshot lacks" : "intact commits \(describe(lost))"
            let intactAfter = !intactCommits(bytes, from: start, salt: header.salt).isEmpty
            let kind = intactAfter ? "with intact lines after it: mid-file corruption" : "the last line, complete: damage, not an interrupted write"
            a.report.problems.append("\(journalName) line \(badLineNo): \(reason); \(kind) (open refuses the store)")
            a.plannedDiscards.append("\(journalName) from line \(badLineNo) (\(bytes.count - start) bytes): the damaged line and \(list) after it (a .broken copy is kept)")
        }
        if endsEarly {
            let carried = a.journal.carried.isEmpty ? "" : ", carrying over commits \(describe(a.journal.carried.map(\.seq)))"
            a.journal.startFreshReason = "its intact part ends at commit \(lastSeq), before the snapshot's \(snapSeq)"
            a.report.problems.append("\(journalName): \(a.journal.startFreshReason); the next commit would not follow it")
            a.report.isHealthy = false
            a.plannedDiscards.append("\(journalName): the old journal, replaced by a fresh one based at the snapshot's commit \(snapSeq)\(carried) (a .broken copy of the old one is kept)")
        }
        a.report.seq = state.seq
        a.report.records = liveRecords(state)
        a.report.leftoverFiles = leftovers(path)
        reportLeftovers(&a)
        return a
    }

    /// Checks every line of a snapshot. Returns nil when its header cannot be read at all.
    static func checkSnapshot(_ bytes: [UInt8], into a: inout Analysis) -> SnapshotPlan? {
        let name = FlatStore.snapshotName
        var header: FileHeader
        var body: Int
        var damaged: Range<Int>?
        do {
            (header, body) = try bytes.withUnsafeBytes { try FileHeader.parse($0, file: name) }
            if header.kind != "snapshot" {
                headerProblem(&a, "\(name) line 1: the header is a \(header.kind) header, not a snapshot's")
                a.unrepairable.append("\(name) does not start with a snapshot header")
                return nil
            }
        } catch FlatStoreError.corrupt(_, _, let reason) {
            headerProblem(&a, "\(name) line 1: \(reason)")
            guard let (h, line) = recoverHeader(bytes, kind: "snapshot") else {
                a.unrepairable.append("the header of \(name) cannot be read, so none of its records can be checked")
                return nil
            }
            header = h
            body = line.upperBound
            damaged = line
            a.plannedDiscards.append("\(name) line 1: the damaged header, corrected in one byte (a .broken copy of the old line is kept)")
        } catch {
            a.unrepairable.append("\(name): \(error)")
            return nil
        }
        var plan = SnapshotPlan(bytes: bytes, header: header, damagedHeader: damaged)
        plan.needsRewrite = damaged != nil
        bytes.withUnsafeBytes { raw in
            var pos = body
            var lineNo = 2
            while pos < raw.count {
                let nl = JournalScan.indexOfNewline(raw, from: pos)
                let end = nl ?? raw.count
                let next = nl.map { $0 + 1 } ?? raw.count
                var reason: String?
                if nl == nil {
                    reason = "the last line is incomplete"
                } else if let p = LineFormat.verify(UnsafeRawBufferPointer(rebasing: raw[pos..<end]), salt: header.salt) {
                    if LineFormat.parseSnapshotRecord(raw, from: pos, to: pos + p) == nil {
                        reason = "the record line cannot be parsed"
                    }
                } else {
                    reason = "checksum mismatch"
                }
                if let reason {
                    plan.bad.append(pos..<next)
                    a.discardedLines += StoreCheck.discardedLines(Array(bytes[pos..<next]), from: 0, firstLine: lineNo, file: name,
                                                                  salt: header.salt, snapshot: true)
                    a.report.snapshotBadLines.append(CheckReport.BadLine(file: name, line: lineNo, reason: reason))
                    a.report.problems.append("\(name) line \(lineNo): \(reason) (open refuses the store)")
                    a.plannedDiscards.append("\(name) line \(lineNo): a damaged record line (a .broken copy is kept)")
                } else {
                    plan.good.append(pos..<next)
                }
                pos = next
                lineNo += 1
            }
        }
        if !plan.bad.isEmpty {
            a.report.isHealthy = false
            plan.needsRewrite = true
        } else if plan.good.count != header.records {
            headerProblem(&a, "\(name) line 1: the header promises \(header.records) records, the file holds \(plan.good.count)")
            plan.needsRewrite = true
        }
        return plan
    }

    static func headerProblem(_ a: inout Analysis, _ text: String) {
        a.report.headerProblems.append(text)
        a.report.problems.append(text)
        a.report.isHealthy = false
    }

    static func reportLeftovers(_ a: inout Analysis) {
        for f in a.report.leftoverFiles {
            a.report.problems.append("\(f): a leftover temporary file (an interrupted write)")
            a.plannedDiscards.append("\(f): a leftover temporary file, removed")
        }
    }

    /// Seqs of the intact commit lines from `offset` on.
    static func intactCommits(_ bytes: [UInt8], from offset: Int, salt: UInt32) -> [UInt64] {
        var out: [UInt64] = []
        bytes.withUnsafeBytes { raw in
            var pos = offset
            while pos < raw.count, let nl = JournalScan.indexOfNewline(raw, from: pos) {
                if let p = LineFormat.verify(UnsafeRawBufferPointer(rebasing: raw[pos..<nl]), salt: salt),
                   let (seq, _) = LineFormat.parseCommit(raw, from: pos, to: pos + p) {
                    out.append(seq)
                }
                pos = nl + 1
            }
        }
        return out
    }

    /// The intact commit lines from `offset` on that continue the snapshot: `after + 1`,
    /// `after + 2`, … up to the first gap or damaged line among them.
    static func carriedCommits(_ bytes: [UInt8], from offset: Int, salt: UInt32, after: UInt64) -> [(seq: UInt64, range: Range<Int>)] {
        var out: [(seq: UInt64, range: Range<Int>)] = []
        var expect = after + 1
        bytes.withUnsafeBytes { raw in
            var pos = offset
            while pos < raw.count, let nl = JournalScan.indexOfNewline(raw, from: pos) {
                defer { pos = nl + 1 }
                if let p = LineFormat.verify(UnsafeRawBufferPointer(rebasing: raw[pos..<nl]), salt: salt),
                   let (seq, _) = LineFormat.parseCommit(raw, from: pos, to: pos + p) {
                    if seq == expect {
                        out.append((seq, pos..<(nl + 1)))
                        expect += 1
                    } else if seq > expect {
                        return
                    }
                } else if !out.isEmpty {
                    return
                }
            }
        }
        return out
    }

    static func describe(_ seqs: [UInt64]) -> String {
        if seqs.count > 8 { return "\(seqs[0])…\(seqs[seqs.count - 1]) (\(seqs.count) commits)" }
        return seqs.map(String.init).joined(separator: ", ")
    }

    static func liveRecords(_ state: StoreState) -> Int {
        state.collections.values.reduce(0) { $0 + $1.live }
    }

    /// Names of `*.tmp` files in the store directory, sorted.
    static func leftovers(_ path: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".tmp") }.sorted()
    }

    /// Recovers a header line damaged in one byte, a lost or an added newline included: tries
    /// every single-byte change and accepts the one candidate, if exactly one, whose line passes
    /// its checksum and parses as a `kind` header.
    /// - Returns: the header and the range of the damaged header line in `bytes`, newline included.
    static func recoverHeader(_ bytes: [UInt8], kind: String) -> (FileHeader, Range<Int>)? {
        let maxHeader = 512
        var found: [(FileHeader, Range<Int>)] = []
        func attempt(_ line: [UInt8], damaged: Range<Int>) {
            guard line.count > LineFormat.sealLength else { return }
            let ok = line.withUnsafeBytes { LineFormat.verify($0, salt: nil) != nil }
            guard ok else { return }
            let withNL = line + [0x0A]
            if let (h, _) = try? withNL.withUnsafeBytes({ try FileHeader.parse($0, file: "") }), h.kind == kind {
                found.append((h, damaged))
            }
        }
        let nl1 = bytes.firstIndex(of: 0x0A)
        let firstEnd = min(nl1 ?? bytes.count, maxHeader)
        // The header's newline was damaged: a newline restored at i ends the line there.
        for i in 0..<firstEnd where i > LineFormat.sealLength {
            attempt(Array(bytes[0..<i]), damaged: 0..<(i + 1))
        }
        if let nl1, nl1 < maxHeader {
            // One byte of the header line changed.
            var line = Array(bytes[0..<nl1])
            for i in 0..<nl1 {
                let original = line[i]
                for v in 0...255 where UInt8(v) != original && v != 0x0A {
                    line[i] = UInt8(v)
                    attempt(line, damaged: 0..<(nl1 + 1))
                }
                line[i] = original
            }
            // A newline was added inside the header: the line goes on to the next newline.
            if let nl2 = bytes[(nl1 + 1)...].firstIndex(of: 0x0A), nl2 < maxHeader {
                var joined = Array(bytes[0..<nl2])
                for v in 0...255 where v != 0x0A {
                    joined[nl1] = UInt8(v)
                    attempt(joined, damaged: 0..<(nl2 + 1))
                }
            }
        }
        return found.count == 1 ? found[0] : nil
    }

    // MARK: Repairing

    /// Carries out a repair planned by ``analyse(path:io:)``; returns what was discarded.
    static func applyRepair(_ a: Analysis, path: String, io: FileIO) throws -> [String] {
        var discards: [String] = []
        let mode = FlatStore.fileMode
        let snapPath = path + "/" + FlatStore.snapshotName
        let journalPath = path + "/" + FlatStore.journalName

        // Leftover temporary files first, so that names written below cannot be mistaken for them.
        if !a.report.leftoverFiles.isEmpty {
            for f in a.report.leftoverFiles {
                try? io.unlink(path + "/" + f)
                discards.append("\(f): a leftover temporary file, removed")
            }
            try io.syncDirectory(path)
        }

        if let snap = a.snapshot, snap.needsRewrite {
            var broken: [UInt8] = []
            if let h = snap.damagedHeader { broken += snap.bytes[h] }
            for r in snap.bad { broken += snap.bytes[r] }
            var keptIn = ""
            if !broken.isEmpty {
                let name = brokenName(for: snapPath, io: io)
                try io.writeFileDurably(name, directory: path, bytes: broken, mode: mode)
                keptIn = " (kept in \(lastComponent(name)))"
            }
            var out = FileHeader.snapshot(seq: snap.header.seq, salt: snap.header.salt, records: snap.good.count)
            for r in snap.good { out += snap.bytes[r] }
            try io.writeFileDurably(snapPath, directory: path, bytes: out, mode: mode)
            for line in a.report.snapshotBadLines {
                discards.append("\(line.file) line \(line.line): \(line.reason)\(keptIn)")
            }
            if snap.damagedHeader != nil {
                discards.append("\(FlatStore.snapshotName) line 1: the damaged header, rewritten\(keptIn)")
            } else if snap.bad.isEmpty {
                discards.append("\(FlatStore.snapshotName) line 1: the header's record count, rewritten as \(snap.good.count)")
            }
        }

        let j = a.journal
        if j.startFresh {
            let name = brokenName(for: journalPath, io: io)
            try io.writeFileDurably(name, directory: path, bytes: j.bytes, mode: mode)
            let base = a.snapshot?.header.seq ?? 0
            // Carried lines keep their salt, so they stay intact in the fresh journal.
            var out = FileHeader.journal(baseSeq: base, salt: j.header?.salt ?? FlatStore.randomSalt())
            for c in j.carried { out += j.bytes[c.range] }
            try io.writeFileDurably(journalPath, directory: path, bytes: out, mode: mode)
            let carried = j.carried.isEmpty ? "" : ", carrying over commits \(describe(j.carried.map(\.seq)))"
            discards.append("\(FlatStore.journalName): the whole journal (\(j.bytes.count) bytes), as \(j.startFreshReason); a fresh journal starts at commit \(base)\(carried) (the old one is kept in \(lastComponent(name)))")
        } else if let header = j.header {
            let cut = j.goodEnd < j.bytes.count
            var broken: [UInt8] = []
            if let h = j.damagedHeader { broken += j.bytes[h] }
            if cut { broken += j.bytes[j.goodEnd...] }
            var keptIn = ""
            if !broken.isEmpty {
                let name = brokenName(for: journalPath, io: io)
                try io.writeFileDurably(name, directory: path, bytes: broken, mode: mode)
                keptIn = " (kept in \(lastComponent(name)))"
            }
            if let h = j.damagedHeader {
                // Rewrite the whole journal with a corrected header and the same salt.
                var out = FileHeader.journal(baseSeq: header.seq, salt: header.salt)
                out += j.bytes[h.upperBound..<max(h.upperBound, j.goodEnd)]
                try io.writeFileDurably(journalPath, directory: path, bytes: out, mode: mode)
                discards.append("\(FlatStore.journalName) line 1: the damaged header, rewritten\(keptIn)")
            } else if cut {
                let fd = try io.open(journalPath, O_RDWR, 0)
                defer { io.close(fd) }
                try io.ftruncate(fd, Int64(j.goodEnd))
                try io.fdatasync(fd)
            }
            if cut, let bad = a.report.journalBadLine {
                let what: String
                if a.report.journalTornTail {
                    what = "a torn tail"
                } else if a.report.commitsAfterDamage.isEmpty {
                    what = "a damaged line (\(bad.reason)) and what follows it, no intact commit"
                } else {
                    what = "a damaged line (\(bad.reason)) and intact commits \(describe(a.report.commitsAfterDamage))"
                }
                discards.append("\(FlatStore.journalName) from line \(bad.line) (\(j.bytes.count - j.goodEnd) bytes): \(what)\(keptIn)")
            }
        }
        return discards
    }

    /// `FILE.broken`, or `FILE.broken.2`, … whichever does not exist yet.
    static func brokenName(for file: String, io: FileIO) -> String {
        var name = file + ".broken"
        var k = 1
        while (try? io.stat(name)) != nil {
            k += 1
            name = file + ".broken.\(k)"
        }
        return name
    }

    static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

extension StoreState {
    /// Applies the commits of a scan, as replay does.
    mutating func apply(_ scan: JournalScan) {
        let bytes = scan.buffer
        for commit in scan.commits {
            for op in commit.ops {
                if let r = op.record {
                    collections[op.collection, default: CollectionState()].put(
                        op.id, Entry(buffer: bytes, start: r.lowerBound, count: UInt32(r.count), version: UInt32(op.version)))
                } else {
                    collections[op.collection]?.delete(op.id)
                }
            }
            seq = commit.seq
        }
    }
}
