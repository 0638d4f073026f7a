import Foundation
import Harness
import PrivacyOps

/// The same store on PostgreSQL beside the flat-file store, in one run: `store migrate` into a
/// new database, the console's first frame (tmux, whole process), `customers list --filter`
/// (whole process), and commit p50/p99 of a customer edit through the service, beside a bare
/// single-row `UPDATE` through psql's connection to the same server.
///
/// Needs a server: `--postgres URL` (a database the benchmark may create databases from, as
/// `.ci/postgres start DIR` prints) or `$LGADMIN_TEST_POSTGRES`.
struct PostgresBench {
    let flatStore: String
    let size: Int
    let runs: Int
    let server: String

    static let root = ActorIdentity(name: "root", isRoot: true)
    static let filters = ["smith", "example.org", "7946"]

    func run() throws {
        let lgadmin = Measure.lgadminBinary
        guard FileManager.default.isExecutableFile(atPath: lgadmin) else {
            print("postgres: build lgadmin first ('swift build -c release'), then run again")
            return
        }
        guard let psql = Measure.which("psql") else {
            print("postgres: psql is not installed (apt-get install postgresql-client-15)")
            return
        }
        let db = "lgbench_\(size)_\(getpid())"
        guard Measure.run(psql, ["-X", "-q", server, "-c", "CREATE DATABASE \(db)"]).status == 0 else {
            print("postgres: cannot create a database on \(server)")
            return
        }
        defer { _ = Measure.run(psql, ["-X", "-q", server, "-c", "DROP DATABASE IF EXISTS \(db) WITH (FORCE)"]) }
        let dbURL = TestPostgres.replacingDatabase(in: server, with: db)
        let store = dbURL + (dbURL.contains("?") ? "&" : "?") + "files=" + flatStore

        // Migration, once (it is the size of the store).
        let mig = Measure.run(lgadmin, ["store", "migrate", "--store", flatStore, "--to", store])
        guard mig.status == 0 else {
            print("postgres: store migrate failed (exit \(mig.status))")
            return
        }
        print("store migrate into PostgreSQL (whole process): \(Fmt.ms(mig.seconds))")

        // Filters, whole process, both stores.
        for f in Self.filters {
            var flat: [Double] = [], pg: [Double] = [], rows = 0
            for _ in 0..<runs {
                flat.append(Measure.run(lgadmin, ["customers", "list", "--filter", f, "--store", flatStore]).seconds)
                let r = Measure.run(lgadmin, ["customers", "list", "--filter", f, "--store", store])
                pg.append(r.seconds)
                rows = max(0, r.output.split(separator: "\n").count - 1)
            }
            let a = Measure.median(pg), b = Measure.median(flat)
            print("customers list --filter \(f) (\(rows) rows): PostgreSQL \(Fmt.ms(a))   files \(Fmt.ms(b))   ratio \(Fmt.ratio(a, b))"
                  + "  (aim ≤ 2×: \(a <= 2 * b ? "met" : "NOT met"))")
        }

        // Console first frame, whole process, both stores.
        if let tmux = Measure.which("tmux") {
            let first = try PrivacyOps.open(at: flatStore, actor: Self.root).listCustomers(limit: 1).first?.id ?? "C0000001"
            var flat: [Double] = [], pg: [Double] = []
            for _ in 0..<runs {
                if let r = TmuxLaunch.firstFrame(tmux: tmux, argv: ["env", "-u", "SUDO_USER", lgadmin, "--store", flatStore],
                                                 until: first, cols: 120, rows: 40) { flat.append(r.seconds) }
                if let r = TmuxLaunch.firstFrame(tmux: tmux, argv: ["env", "-u", "SUDO_USER", lgadmin, "--store", store],
                                                 until: first, cols: 120, rows: 40) { pg.append(r.seconds) }
            }
            if pg.isEmpty {
                print("console first frame on PostgreSQL: '\(first)' did not show within 60 s")
            } else {
                let a = Measure.median(pg)
                print("console first frame (tmux, whole process): PostgreSQL \(Fmt.ms(a))   files \(Fmt.ms(Measure.median(flat)))"
                      + "  (aim at 1M ≤ 1 s: \(a <= 1 ? "met" : "NOT met"))")
            }
        }

        // Commits: a customer's phone changed through the service, one commit each (the change
        // and its audit event), beside a bare UPDATE through psql's connection.
        let ops = try PrivacyOps.open(at: store, actor: Self.root)
        let ids = try ops.listCustomers(limit: 200).map(\.id)
        var commit: [Double] = []
        for (k, id) in ids.enumerated() {
            var change = CustomerChanges()
            change.phone = "+44 20 7946 \(String(format: "%04d", k))"
            commit.append(try Measure.time { _ = try ops.updateCustomer(id, change) })
        }
        let script = NSTemporaryDirectory() + "/lgbench-updates-\(getpid()).sql"
        var sql = "\\timing on\n"
        for id in ids { sql += "UPDATE lgadmin_records SET version = version WHERE coll = 'customers' AND id = '\(id)' AND deleted_seq IS NULL;\n" }
        try sql.write(toFile: script, atomically: true, encoding: .utf8)
        defer { unlink(script) }
        let bare = Measure.run(psql, ["-X", "-q", dbURL, "-f", script]).output
            .split(separator: "\n").compactMap { line -> Double? in
                guard line.hasPrefix("Time: ") else { return nil }
                return Double(line.dropFirst(6).split(separator: " ").first ?? "").map { $0 / 1000 }
            }
        let p50 = Measure.median(commit), b50 = Measure.median(bare)
        print("commit (customer edit + audit event) p50 \(Fmt.ms(p50)) / p99 \(Fmt.ms(Measure.percentile(commit, 0.99)))"
              + "   bare UPDATE through psql p50 \(Fmt.ms(b50)) / p99 \(Fmt.ms(Measure.percentile(bare, 0.99)))"
              + "   ratio \(Fmt.ratio(p50, b50))  (aim ≤ 2×: \(p50 <= 2 * b50 ? "met" : "NOT met"))")
    }
}
