import Foundation

/// Reads a snapshot file into memory: verifies every line and indexes every record without
/// decoding any, on all cores.
///
/// The file is read once into one buffer (no zero-fill, both halves at once) and records point
/// into it. A first pass, split across threads, verifies every line and notes where each
/// collection's lines are; a second fills each collection's id and entry arrays, allocated once
/// at their exact size, in parallel where a collection spans several parts; then each
/// collection's id index is built in one pass. Nothing is decoded.
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
        let buffer: ByteBuffer
        let st: FileStatus
        do {
            let fd = try io.open(path, O_RDONLY, 0)
            defer { io.close(fd) }
            st = try io.fstat(fd)
            // Mapped when on the real file system; read through the I/O seam otherwise (tests
            // inject faults there).
            if io is POSIXFileIO, let mapped = ByteBuffer.map(fd, size: Int(st.size)) {
                buffer = mapped
            } else {
                buffer = try readAll(io: io, fd: fd, size: Int(st.size))
            }
        } catch let e as SystemError where e.code == ENOENT {
            return nil
        } catch {
            throw FlatStoreError.io(SystemError.from(error))
        }
        let (header, body) = try FileHeader.parse(buffer.bytes, file: displayName)
        guard header.kind == "snapshot" else {
            throw FlatStoreError.corrupt(file: displayName, line: 1, reason: "not a snapshot header")
        }
        let (parts, bad) = checkParts(buffer, from: body, salt: header.salt)
        if let bad {
            throw FlatStoreError.corrupt(file: displayName, line: bad.line, reason: bad.reason)
        }
        let count = parts.reduce(0) { $0 + $1.lines }
        guard count == header.records else {
            throw FlatStoreError.corrupt(file: displayName, line: count + 2,
                                         reason: "the header promises \(header.records) records, the file holds \(count)")
        }
        var state = StoreState()
        state.seq = header.seq
        index(parts, buffer: buffer, into: &state)
        return Loaded(state: state, salt: header.salt, inode: st.inode)
    }

    // MARK: Reading

    /// Reads `size` bytes from the start of `fd` into new memory: no zero-fill first, large
    /// files in two halves read at once, transparent huge pages asked for where the kernel
    /// offers them on request.
    static func readAll(io: FileIO, fd: Int32, size: Int) throws -> ByteBuffer {
        final class Outcome: @unchecked Sendable {
            var got: [Int]
            var error: (any Error)?
            let lock = NSLock()
            init(_ n: Int) { got = Array(repeating: 0, count: n) }
        }
        let base = UnsafeMutableRawPointer.allocate(byteCount: max(1, size), alignment: 2 << 20)
        adviseHugePages(base, size)
        let parts = size >= 8 << 20 ? min(2, max(1, ProcessInfo.processInfo.activeProcessorCount)) : 1
        let outcome = Outcome(parts)
        let bounds = (0...parts).map { size / parts * $0 + ($0 == parts ? size % parts : 0) }
        let address = Int(bitPattern: base)
        let work: @Sendable (Int) -> Void = { k in
            let base = UnsafeMutableRawPointer(bitPattern: address)!
            var got = 0
            let from = bounds[k], count = bounds[k + 1] - bounds[k]
            do {
                while got < count {
                    let n = try io.pread(fd, UnsafeMutableRawBufferPointer(start: base + from + got, count: count - got),
                                         Int64(from + got))
                    if n == 0 { break }
                    got += n
                }
            } catch {
                outcome.lock.lock()
                outcome.error = error
                outcome.lock.unlock()
            }
            outcome.got[k] = got  // each thread writes its own element; read after the join
        }
        if parts == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: work) }
        if let e = outcome.error {
            base.deallocate()
            throw e
        }
        // A file that shrank while read: keep what was read up to the first short part.
        var total = 0
        for k in 0..<parts {
            total += outcome.got[k]
            if bounds[k] + outcome.got[k] < bounds[k + 1] { break }
        }
        return ByteBuffer(owning: base, count: total)
    }

    /// Asks for huge pages on the 2 MiB-aligned middle of a large buffer that is about to be
    /// filled: far fewer page faults. Harmless where the kernel says no.
    static func adviseHugePages(_ base: UnsafeMutableRawPointer, _ size: Int) {
        #if os(Linux)
        let huge = 2 << 20
        guard size >= 4 * huge else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + size) & ~(huge - 1)
        if end > start, let p = UnsafeMutableRawPointer(bitPattern: start) {
            _ = madvise(p, end - start, 14 /* MADV_HUGEPAGE */)
        }
        #endif
    }

    // MARK: Checking (first pass)

    /// Consecutive lines of one collection within a part of the file.
    struct Run {
        var name: String
        /// Offsets of the run's first line and of the end of its last line (after the newline).
        var from: Int
        var to: Int
        var count: Int
    }

    /// What one thread checked: its runs in file order and its count of good lines.
    struct Part {
        var runs: [Run] = []
        var lines = 0
        var bad: (line: Int, offset: Int, reason: String)?
    }

    /// Verifies every record line from `from` to the end (checksum, fixed key order, a record
    /// object after them), split across threads at line boundaries, noting where each
    /// collection's lines are. Returns the parts in file order and the first bad line, if any
    /// (the parts after it are then dropped).
    static func checkParts(_ buffer: ByteBuffer, from: Int, salt: UInt32) -> ([Part], BadLine?) {
        let raw = buffer.bytes
        let total = raw.count
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        // Several parts per core, so that a big collection spans several and fills in parallel.
        let wanted = total - from >= 4 << 20 ? min(64, max(cores, (total - from) >> 23)) : 1
        var cuts = [from]
        for k in 1..<max(wanted, 1) {
            let mid = from + (total - from) / wanted * k
            guard mid > cuts.last!, let nl = JournalScan.indexOfNewline(raw, from: mid) else { continue }
            if nl + 1 < total, nl + 1 > cuts.last! { cuts.append(nl + 1) }
        }
        cuts.append(total)
        let bounds = cuts
        let n = bounds.count - 1
        let seed = LineFormat.seed(salt)
        final class Box: @unchecked Sendable {
            var parts: [Part]
            init(_ n: Int) { parts = Array(repeating: Part(), count: n) }
        }
        let box = Box(n)
        let work: @Sendable (Int) -> Void = { k in
            let part = check(buffer, from: bounds[k], to: bounds[k + 1], seed: seed)
            box.parts.withUnsafeMutableBufferPointer { $0[k] = part }
        }
        if n == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: n, execute: work) }
        var before = 1  // the header
        for k in 0..<n {
            if let (rel, offset, reason) = box.parts[k].bad {
                return (Array(box.parts[0...k]), BadLine(line: before + rel + 1, offset: offset, reason: reason))
            }
            before += box.parts[k].lines
        }
        return (box.parts, nil)
    }

    /// One thread's share of the first pass: the lines from `from` to `to` (which ends a line or
    /// the file).
    static func check(_ buffer: ByteBuffer, from: Int, to end: Int, seed: UInt32) -> Part {
        var part = Part()
        do {
            let raw = buffer.bytes
            guard let base = raw.baseAddress else { return part }
            var run: Run?
            var runName: Range<Int> = 0..<0
            var pos = from
            var lines = 0
            func fail(_ reason: String) { part.bad = (lines, pos, reason) }
            // Lines go three at a time through the checksum (three streams side by side).
            var ahead: [(nl: Int, prefix: Int, crc: UInt32?)] = []
            ahead.reserveCapacity(3)
            var checked = 0
            while pos < end {
                if checked == ahead.count {
                    ahead.removeAll(keepingCapacity: true)
                    checked = 0
                    var q = pos
                    while ahead.count < 3, q < end, let hit = memchr(base + q, 0x0A, end - q) {
                        let nl = base.distance(to: UnsafeRawPointer(hit))
                        let seal = LineFormat.seal(of: UnsafeRawBufferPointer(start: base + q, count: nl - q))
                        ahead.append((nl, seal?.prefix ?? -1, seal?.crc))
                        q = nl + 1
                    }
                    if ahead.count == 3, ahead.allSatisfy({ $0.crc != nil }) {
                        let (a, b, c) = CRC32C.update3(seed, UnsafeRawBufferPointer(start: base + pos, count: ahead[0].prefix),
                                                       UnsafeRawBufferPointer(start: base + ahead[0].nl + 1, count: ahead[1].prefix),
                                                       UnsafeRawBufferPointer(start: base + ahead[1].nl + 1, count: ahead[2].prefix))
                        // A stated CRC that matches is kept; one that does not becomes nil.
                        ahead[0].crc = ahead[0].crc == a ? a : nil
                        ahead[1].crc = ahead[1].crc == b ? b : nil
                        ahead[2].crc = ahead[2].crc == c ? c : nil
                    } else {
                        var start = pos
                        for j in ahead.indices {
                            if let want = ahead[j].crc,
                               CRC32C.update(seed, UnsafeRawBufferPointer(start: base + start, count: ahead[j].prefix)) != want {
                                ahead[j].crc = nil
                            }
                            start = ahead[j].nl + 1
                        }
                    }
                }
                guard checked < ahead.count else {
                    fail("the last line is incomplete")
                    break
                }
                let nl = ahead[checked].nl
                guard ahead[checked].crc != nil else {
                    fail("checksum mismatch")
                    break
                }
                let p = ahead[checked].prefix
                checked += 1
                // The keys in their fixed order, then the record: everything up to the seal. Its
                // JSON is not walked here: the checksum vouches for the bytes, and FlatStore
                // writes no record that is not one complete object (commit reads every line
                // back before syncing it; `store check` walks every record).
                var s = LineScanner(raw, from: pos, to: pos + p)
                guard let f = s.opKeys(), s.expect(#","r":"#), s.i < pos + p - 1,
                      raw[s.i] == UInt8(ascii: "{"), raw[pos + p - 1] == UInt8(ascii: "}"),
                      f.version <= UInt64(UInt32.max), pos + p - s.i <= Int(UInt32.max) else {
                    fail("the record line cannot be parsed")
                    break
                }
                // Records of one collection are contiguous: compare the name's bytes with the
                // current run's and make a String only when it changes.
                let c = f.collection
                if run == nil || c.count != runName.count || memcmp(base + c.lowerBound, base + runName.lowerBound, c.count) != 0 {
                    if let r = run { part.runs.append(r) }
                    run = Run(name: String(decoding: UnsafeRawBufferPointer(rebasing: raw[c]), as: UTF8.self),
                              from: pos, to: pos, count: 0)
                    runName = c
                }
                lines += 1
                pos = nl + 1
                run!.to = pos
                run!.count += 1
            }
            if let r = run { part.runs.append(r) }
            part.lines = lines
        }
        return part
    }

    // MARK: Indexing (second pass)

    /// Builds every collection from the checked lines: exact-size arrays filled in place, by
    /// several threads for a collection that spans several parts, then the id index.
    static func index(_ parts: [Part], buffer: ByteBuffer, into state: inout StoreState) {
        // Group the runs by collection, keeping their order.
        var order: [String] = []
        var groups: [String: [Run]] = [:]
        for part in parts {
            for r in part.runs {
                if groups[r.name] == nil { order.append(r.name) }
                groups[r.name, default: []].append(r)
            }
        }
        for name in order {
            let runs = groups[name] ?? []
            let (ids, entries) = fill(runs, buffer: buffer)
            var cs = state.collections.removeValue(forKey: name) ?? CollectionState()
            if cs.entries.isEmpty, let index = IDIndex.build(ids: ids) {
                cs.ids = ids
                cs.entries = entries
                cs.index = index
                cs.live = ids.count
            } else {
                // The same id twice (not something FlatStore writes): last one wins, as replay.
                for (id, e) in zip(ids, entries) { cs.put(id, e) }
            }
            state.collections[name] = cs
        }
    }

    /// The ids and entries of `runs` (checked lines of one collection), in order.
    static func fill(_ runs: [Run], buffer: ByteBuffer) -> ([String], [Entry]) {
        let total = runs.reduce(0) { $0 + $1.count }
        var starts: [Int] = []
        var at = 0
        for r in runs {
            starts.append(at)
            at += r.count
        }
        let offsets = starts
        // One buffer object per run: the same bytes, but each thread bumps reference counts on
        // a cache line of its own.
        let buffers = runs.map { _ in ByteBuffer(sharing: buffer) }
        var entries: [Entry] = []
        let ids = [String](unsafeUninitializedCapacity: total) { idBuffer, idCount in
            entries = [Entry](unsafeUninitializedCapacity: total) { entryBuffer, entryCount in
                let idAddress = Int(bitPattern: idBuffer.baseAddress)
                let entryAddress = Int(bitPattern: entryBuffer.baseAddress)
                let work: @Sendable (Int) -> Void = { k in
                    let ids = UnsafeMutablePointer<String>(bitPattern: idAddress)! + offsets[k]
                    let entries = UnsafeMutablePointer<Entry>(bitPattern: entryAddress)! + offsets[k]
                    fillRun(runs[k], buffer: buffers[k], ids: ids, entries: entries)
                }
                if total > 0 {
                    if runs.count == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: runs.count, execute: work) }
                }
                entryCount = total
            }
            idCount = total
        }
        return (ids, entries)
    }

    /// Initialises `run.count` ids and entries from lines the first pass checked.
    static func fillRun(_ run: Run, buffer: ByteBuffer, ids: UnsafeMutablePointer<String>, entries: UnsafeMutablePointer<Entry>) {
        do {
            let raw = buffer.bytes
            let base = raw.baseAddress!
            var pos = run.from
            for k in 0..<run.count {
                let nl = base.distance(to: UnsafeRawPointer(memchr(base + pos, 0x0A, run.to - pos)!))
                var s = LineScanner(raw, from: pos, to: nl - LineFormat.sealLength)
                guard s.expect(#"{"id":""#), let id = s.plainRange(), s.expect(#","c":""#), s.plainRange() != nil,
                      s.expect(#","v":"#), let v = s.integer(), s.expect(#","r":"#) else {
                    preconditionFailure("a snapshot line changed between its check and its indexing")
                }
                (ids + k).initialize(to: String(decoding: UnsafeRawBufferPointer(rebasing: raw[id]), as: UTF8.self))
                (entries + k).initialize(to: Entry(buffer: buffer, start: s.i, count: UInt32(s.end - s.i), version: UInt32(v)))
                pos = nl + 1
            }
        }
    }

    /// Builds the in-memory index from parsed operations (`store check`'s path).
    static func index(_ ops: [ParsedOp], buffer: ByteBuffer, into state: inout StoreState) {
        var i = 0
        while i < ops.count {
            let name = ops[i].collection
            var j = i
            while j < ops.count, ops[j].collection == name { j += 1 }
            var cs = state.collections.removeValue(forKey: name) ?? CollectionState()
            cs.ids.reserveCapacity(cs.ids.count + (j - i))
            cs.entries.reserveCapacity(cs.entries.count + (j - i))
            cs.index.reserve(cs.index.count + (j - i))
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
