import FlatStore
import Foundation

/// Issue 2's figures: open in a new process, commit latency, compaction, peak memory; beside a
/// grep pass and a sqlite3 one-row update (WAL, synchronous=FULL) on the same disk.
struct StoreBench {
    let store: String
    let size: Int
    let runs: Int

    var snapshot: String { store + "/snapshot.jsonl" }
    var selfPath: String { CommandLine.arguments[0] }

    func run() throws {
        let dataBytes = Measure.fileSize(snapshot) + Measure.fileSize(store + "/journal.jsonl")
        // Warm the page cache once so every contender reads from memory.
        _ = Measure.run("/bin/cat", [snapshot], captureOutput: false)

        var openWall: [Double] = [], openInner: [Double] = [], rss: [Double] = [], base: [Double] = []
        for _ in 0..<runs {
            let r = Measure.run(selfPath, ["--probe-open", store])
            let fields = r.output.split(whereSeparator: { $0 == " " || $0 == "\n" })
            openWall.append(r.seconds)
            openInner.append(fields.first.flatMap { Double($0) } ?? 0)
            rss.append((fields.dropFirst().first.flatMap { Double($0) } ?? 0) * 1024)
            let b = Measure.run(selfPath, ["--probe-baseline"])
            base.append((b.output.split(whereSeparator: { $0 == " " || $0 == "\n" }).dropFirst().first.flatMap { Double($0) } ?? 0) * 1024)
        }
        var grep: [Double] = []
        if let g = Measure.which("grep") {
            // Output to a file: GNU grep stops at the first match when its output is /dev/null.
            for _ in 0..<runs { grep.append(Measure.run(g, ["-c", "customers", snapshot]).seconds) }
        }
        let gm = Measure.median(grep)
        print("open, new process        \(Fmt.ms(Measure.median(openWall)))  (in-process \(Fmt.ms(Measure.median(openInner))))   grep -c pass \(Fmt.ms(gm))   ratio \(Fmt.ratio(Measure.median(openWall), gm))  (aim ≤ 3×)")
        let peak = Measure.median(rss), idle = Measure.median(base)
        print("peak memory after open   \(Fmt.mib(Int64(peak)))   data on disk \(Fmt.mib(dataBytes))   ratio \(Fmt.ratio(peak, Double(dataBytes)))  (aim ≤ 1.5×)")
        print("  of which the process itself (libraries, runtime; no store) \(Fmt.mib(Int64(idle))); above that \(Fmt.mib(Int64(peak - idle))), \(Fmt.ratio(peak - idle, Double(dataBytes))) of the data")

        // Single-record commits.
        let fs = try FlatStore.open(at: store)
        let view = fs.view()
        let id = view.ids("customers")[size / 2]
        var lat: [Double] = []
        for k in 0..<(runs * 40) {
            let raw = fs.view().rawJSON("customers", id: id) ?? []
            var json = String(decoding: raw, as: UTF8.self)
            json = json.replacingOccurrences(of: "\"updated_at\":\"", with: "\"updated_at\":\"\(k % 10)")
            let v = fs.view().version("customers", id: id)
            var tx = Transaction()
            try tx.putRaw(collection: "customers", id: id, expected: v, json: Array(json.utf8))
            lat.append(try Measure.time { try fs.commit(tx) })
        }
        let sql = sqliteCommitLatencies(id: id, count: runs * 40)
        let p50 = Measure.median(lat), p99 = Measure.percentile(lat, 0.99)
        if sql.isEmpty {
            print("commit p50 \(Fmt.ms(p50)) p99 \(Fmt.ms(p99))   (sqlite3 not available for reference)")
        } else {
            let s50 = Measure.median(sql), s99 = Measure.percentile(sql, 0.99)
            print("commit p50 \(Fmt.ms(p50)) p99 \(Fmt.ms(p99))   sqlite3 WAL FULL p50 \(Fmt.ms(s50)) p99 \(Fmt.ms(s99))   p50 ratio \(Fmt.ratio(p50, s50))  (aim ≤ 1×)")
        }

        var compact: [Double] = []
        for _ in 0..<max(1, runs / 2) { compact.append(try Measure.time { try fs.compact() }) }
        print("compaction               \(Fmt.ms(Measure.median(compact)))")
    }

    /// Per-statement times of one-row updates in SQLite (WAL, synchronous=FULL), each its own
    /// transaction. Timed by Python's sqlite3 module when there is one (microseconds: the
    /// sqlite3 shell's `.timer` only shows whole milliseconds, which a fast disk rounds to 0),
    /// else by the shell's `.timer`.
    func sqliteCommitLatencies(id: String, count: Int) -> [Double] {
        guard let sqlite = Measure.which("sqlite3"), let db = try? SQLiteMirror.ensure(store: store, sqlite: sqlite) else { return [] }
        if let python = Measure.which("python3") {
            let program = """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=FULL")
            for k in range(int(sys.argv[3])):
                t = time.perf_counter()
                c.execute("UPDATE customers SET name=? WHERE id=?", ("bench %d" % k, sys.argv[2]))
                print("%.9f" % (time.perf_counter() - t))
            """
            let path = store + ".commit.py"
            FileManager.default.createFile(atPath: path, contents: Data(program.utf8))
            let r = Measure.run(python, [path, db, id, String(count)])
            let times = r.output.split(separator: "\n").compactMap { Double($0) }
            if times.count == count { return times }
        }
        var script = "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n.timer on\n"
        for k in 0..<count { script += "UPDATE customers SET name='bench \(k)' WHERE id='\(id)';\n" }
        let path = store + ".commit.sql"
        FileManager.default.createFile(atPath: path, contents: Data(script.utf8))
        let r = Measure.run(sqlite, [db], stdinFile: path)
        return r.output.split(separator: "\n").compactMap { line -> Double? in
            guard line.hasPrefix("Run Time: real ") else { return nil }
            return Double(line.dropFirst("Run Time: real ".count).split(separator: " ").first ?? "")
        }.suffix(count).map { $0 }
    }
}

/// The same customers loaded into an SQLite database beside the store, once.
enum SQLiteMirror {
    static func ensure(store: String, sqlite: String) throws -> String {
        let db = store + ".sqlite"
        if FileManager.default.fileExists(atPath: db) { return db }
        let sqlPath = store + ".load.sql"
        FileManager.default.createFile(atPath: sqlPath, contents: nil)
        guard let out = FileHandle(forWritingAtPath: sqlPath) else { throw CocoaError(.fileWriteUnknown) }
        out.write(Data("PRAGMA journal_mode=WAL;\nCREATE TABLE raw(line TEXT);\nBEGIN;\n".utf8))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store + "/snapshot.jsonl"))
        var chunk = Data()
        chunk.reserveCapacity(1 << 22)
        var first = true
        for line in bytes.split(separator: 0x0A) {
            if first { first = false; continue }  // header
            chunk.append(contentsOf: "INSERT INTO raw VALUES('".utf8)
            for b in line { if b == UInt8(ascii: "'") { chunk.append(b) }; chunk.append(b) }
            chunk.append(contentsOf: "');\n".utf8)
            if chunk.count > 1 << 22 { out.write(chunk); chunk.removeAll(keepingCapacity: true) }
        }
        out.write(chunk)
        out.write(Data("""
        COMMIT;
        CREATE TABLE customers(id TEXT PRIMARY KEY, name TEXT, email TEXT, phone TEXT, address TEXT, json TEXT);
        INSERT INTO customers SELECT json_extract(line,'$.id'), json_extract(line,'$.r.name'), json_extract(line,'$.r.email'),
          json_extract(line,'$.r.phone'), json_extract(line,'$.r.address'), json_extract(line,'$.r') FROM raw WHERE json_extract(line,'$.c')='customers';
        DROP TABLE raw;

        """.utf8))
        try out.close()
        _ = Measure.run(sqlite, [db], stdinFile: sqlPath, captureOutput: false)
        unlink(sqlPath)
        return db
    }
}

/// Issue 3's figures: `customers list --filter` across name, email, phone and address, beside
/// `grep -c -i -F` and an sqlite3 LIKE query over the same rows.
struct FilterBench {
    let store: String
    let runs: Int

    func run() throws {
        let lgadmin = Measure.lgadminBinary
        guard FileManager.default.isExecutableFile(atPath: lgadmin) else {
            print("filter: build lgadmin first ('swift build -c release'), then run again")
            return
        }
        // "muller" finds Müller only through accent folding (grep -i -F finds no such bytes).
        for needle in ["smith", "example.org", "7946", "muller"] {
            var ours: [Double] = [], grep: [Double] = [], sql: [Double] = []
            for _ in 0..<runs {
                ours.append(Measure.run(lgadmin, ["customers", "list", "--filter", needle, "--store", store]).seconds)
                if let g = Measure.which("grep") { grep.append(Measure.run(g, ["-c", "-i", "-F", needle, store + "/snapshot.jsonl"]).seconds) }
                if let s = Measure.which("sqlite3"), let db = try? SQLiteMirror.ensure(store: store, sqlite: s) {
                    let q = "SELECT count(*) FROM customers WHERE name LIKE '%\(needle)%' OR email LIKE '%\(needle)%' OR phone LIKE '%\(needle)%' OR address LIKE '%\(needle)%';"
                    sql.append(Measure.run(s, [db, q]).seconds)
                }
            }
            let o = Measure.median(ours), g = Measure.median(grep), s = Measure.median(sql)
            print("filter '\(needle)'  lgadmin \(Fmt.ms(o))   grep -c -i -F \(Fmt.ms(g)) (\(Fmt.ratio(o, g)), aim ≤ 1.5×)   sqlite3 LIKE \(Fmt.ms(s)) (\(Fmt.ratio(o, s)), aim ≤ 1×)")
        }
    }
}
