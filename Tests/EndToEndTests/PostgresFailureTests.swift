import Foundation
import Harness
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What goes wrong around a PostgreSQL store (issue 9 §3), driven through the built binary:
/// writers racing on one counter, a client killed in the middle of its commit, the server ending
/// the client's session in the middle of a commit, and the server going away under an open
/// console. After each: no half commit, a verifying audit chain, a healthy store.
@Suite("PostgreSQL failures", .serialized,
       .enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)))
struct PostgresFailureTests {
    /// A scratch database on the test server for a store, and a sandbox for the scratch files.
    final class PGStore {
        let sb: Sandbox
        let db: TestPostgres.Database

        init(_ label: String) throws {
            sb = try Sandbox(label)
            do {
                db = try TestPostgres.createDatabase()
            } catch {
                sb.cleanUp()
                throw error
            }
        }

        /// Drops the database and removes the sandbox.
        func cleanUp() {
            TestPostgres.drop(db)
            sb.cleanUp()
        }

        @discardableResult
        func run(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
            try sb.run(arguments, store: .some(db.storeURL), sourceLocation: sourceLocation)
        }

        @discardableResult
        func ok(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
            let r = try run(arguments, sourceLocation: sourceLocation)
            #expect(r.status == 0, "\(r)", sourceLocation: sourceLocation)
            return r
        }

        /// `lgadmin init` in the empty database.
        func initStore(sourceLocation: SourceLocation = #_sourceLocation) throws {
            let r = try run(["init"], sourceLocation: sourceLocation)
            try #require(r.status == 0, "init failed\n\(r)", sourceLocation: sourceLocation)
        }

        /// The customers, in id order.
        func customers(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
            let r = try run(["customers", "list", "--json"], sourceLocation: sourceLocation)
            try #require(r.status == 0, "\(r)", sourceLocation: sourceLocation)
            return try r.jsonArray(sourceLocation: sourceLocation)
        }

        /// The number of audit events, after checking the chain is intact.
        func verifiedAuditEvents(sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
            let r = try run(["audit", "verify", "--json"], sourceLocation: sourceLocation)
            try #require(r.status == 0, "audit verify failed\n\(r)", sourceLocation: sourceLocation)
            let o = try r.jsonObject(sourceLocation: sourceLocation)
            #expect(o["intact"] as? Bool == true, "\(r)", sourceLocation: sourceLocation)
            return try #require(o["events"] as? Int, "\(r)", sourceLocation: sourceLocation)
        }

        /// `store check` exits 0.
        func storeChecks(sourceLocation: SourceLocation = #_sourceLocation) throws {
            let r = try run(["store", "check"], sourceLocation: sourceLocation)
            #expect(r.status == 0, "store check failed\n\(r)", sourceLocation: sourceLocation)
        }

        /// SQL on the store's database.
        @discardableResult
        func sql(_ text: String) throws -> String { try TestPostgres.psql(db.psqlURL, text) }

        /// Starts `lgadmin` with `arguments` without waiting for it.
        func start(_ arguments: [String]) throws -> ChildProcess {
            try ChildProcess(try LGAdminBinary.require(), arguments,
                             environment: sb.environment(store: db.storeURL), currentDirectory: sb.root)
        }

        /// Waits until a session of the database other than psql's own holds a transaction id: a
        /// commit under way (its `chain_head FOR UPDATE` already assigns one). Fails if `child`
        /// ends first.
        /// With `statement`, only while that statement runs (e.g. `COPY`).
        func waitForWritingTransaction(of child: ChildProcess, statement: String? = nil,
                                       sourceLocation: SourceLocation = #_sourceLocation) throws {
            let query = """
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = '\(db.name)' AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL
                """ + (statement.map { " AND query LIKE '\($0)%'" } ?? "")
            try poll("a commit under way in \(db.name)", sourceLocation: sourceLocation) {
                if let t = child.termination {
                    Issue.record("lgadmin ended (\(t)) before its commit was seen under way: \(String(decoding: child.errorOutput, as: UTF8.self))",
                                 sourceLocation: sourceLocation)
                    throw FailureTestError("lgadmin ended too early")
                }
                return try sql(query) != "0"
            }
        }

        /// Waits until no session but psql's is connected to the database (the server has
        /// finished with a dead client's transaction).
        func waitForNoOtherSessions(sourceLocation: SourceLocation = #_sourceLocation) throws {
            try poll("the other sessions of \(db.name) to end", sourceLocation: sourceLocation) {
                try sql("SELECT count(*) FROM pg_stat_activity WHERE datname = '\(db.name)' AND pid <> pg_backend_pid()") == "0"
            }
        }
    }

    /// Polls `condition` every 20 ms for up to `timeout` seconds; fails the test if it never holds.
    static func poll(_ what: String, timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation,
                     _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            usleep(20_000)
        }
        Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
        throw FailureTestError("timed out waiting for \(what)")
    }

    /// A CSV of `rows` valid customers, all with an e-mail address under `tag`.
    static func customersCSV(rows: Int, tag: String) -> Data {
        var text = "name,email,phone,address,services\n"
        text.reserveCapacity(rows * 80)
        for k in 0..<rows {
            text += "Imported Person \(k),person\(k)@\(tag).example.com,+44 20 7946 \(String(format: "%04d", k % 10000)),\(k) Long Road,newsletter\n"
        }
        return Data(text.utf8)
    }

    /// Where in a commit the failure strikes.
    enum CommitPhase: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// The writer lock (`chain_head FOR UPDATE`) is taken: the change is being built from reads.
        case lockTaken
        /// The records are being written (`SELECT lgadmin_commit(…)`: every row's insert, the
        /// commit log and the chain head, in one call on the server).
        case writingRecords

        /// The statement the transaction must be at (a prefix of pg_stat_activity's query).
        var statement: String? { self == .writingRecords ? "SELECT lgadmin_commit" : nil }
        var testDescription: String { rawValue }
    }

    // MARK: 1. Racing writers

    /// Two writers, each a loop of 250 separate `lgadmin customers add` processes, race on one
    /// counter record (every add reads `counters/customers`, takes the next number, writes it
    /// back at the version it read). A lost update would hand out one id twice or lose a
    /// customer; a conflict (exit 75) is retried, as an operator would. Exactly 500 customers
    /// must come out, numbered C0000001 to C0000500, each once, with 500 more audit events.
    @Test func twoProcessesRacingOnOneCounterAddExactly500() throws {
        let pg = try PGStore("pg-race")
        defer { pg.cleanUp() }
        try pg.initStore()
        let eventsBefore = try pg.verifiedAuditEvents()
        let perWriter = 250
        let binary = try LGAdminBinary.require()
        let env = pg.sb.environment(store: pg.db.storeURL)
        let root = pg.sb.root

        final class Outcome: @unchecked Sendable {
            var added: [String] = []
            var conflicts = 0
            var failures: [String] = []
        }
        let outcomes = [Outcome(), Outcome()]
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let out = outcomes[writer]
            for k in 0..<perWriter {
                // Retried on a conflict only; anything else is a failure of the test.
                for _ in 0..<20 {
                    let r: (termination: ChildProcess.Termination, stdout: Data, stderr: Data)
                    do {
                        r = try ChildProcess.run(binary, ["customers", "add", "--name", "Writer \(writer) Person \(k)",
                                                          "--email", "w\(writer)p\(k)@race.example.com", "--json"],
                                                 environment: env, currentDirectory: root, timeout: 60)
                    } catch {
                        out.failures.append("cannot start lgadmin: \(error)")
                        return
                    }
                    if r.termination == .exited(75) {
                        out.conflicts += 1
                        continue
                    }
                    guard r.termination == .exited(0),
                          let o = try? JSONSerialization.jsonObject(with: r.stdout) as? [String: Any],
                          let id = o["id"] as? String else {
                        out.failures.append("writer \(writer) add \(k): \(r.termination): \(String(decoding: r.stderr, as: UTF8.self))")
                        return
                    }
                    out.added.append(id)
                    break
                }
            }
        }
        for (w, o) in outcomes.enumerated() {
            #expect(o.failures.isEmpty, "writer \(w): \(o.failures)")
            #expect(o.added.count == perWriter, "writer \(w) added \(o.added.count) of \(perWriter) (\(o.conflicts) conflicts retried)")
        }
        let handedOut = outcomes.flatMap(\.added)
        #expect(Set(handedOut).count == handedOut.count, "an id was handed out twice")
        // They did race: in id order, the writers alternate, not one run after the other.
        let writerByID = outcomes.enumerated().flatMap { w, o in o.added.map { ($0, w) } }.sorted { $0.0 < $1.0 }.map(\.1)
        let switches = zip(writerByID, writerByID.dropFirst()).filter { $0 != $1 }.count
        print("two writers adding: the committing writer changed \(switches) times; \(outcomes.map(\.conflicts)) conflicts retried")
        #expect(switches >= 2, "one writer ran after the other (\(switches) switch): the test did not race them")

        let all = try pg.customers()
        let ids = all.compactMap { str($0, "id") }
        let expected = (1...2 * perWriter).map { "C" + String(format: "%07d", $0) }
        #expect(all.count == 2 * perWriter, "\(all.count) customers after 2 × \(perWriter) adds")
        #expect(ids == expected, "the ids are not exactly C0000001…C\(String(format: "%07d", 2 * perWriter)) once each")
        #expect(Set(handedOut) == Set(ids), "the ids the writers were told differ from the ids stored")
        let emails = Set(all.compactMap { str($0, "email") })
        let wanted = Set((0..<2).flatMap { w in (0..<perWriter).map { "w\(w)p\($0)@race.example.com" } })
        #expect(emails == wanted, "customers lost or doubled: \(wanted.symmetricDifference(emails).sorted().prefix(10))")
        // One more add takes the next number: the counter itself ended at 501.
        let next = try pg.ok(["customers", "add", "--name", "After Race", "--email", "after@race.example.com", "--json"]).jsonObject()
        #expect(str(next, "id") == "C" + String(format: "%07d", 2 * perWriter + 1))
        #expect(try pg.verifiedAuditEvents() == eventsBefore + 2 * perWriter + 1)
        try pg.storeChecks()
    }

    /// Two admin hosts share one database, each with its own contact-form spool (`files=`),
    /// and each runs one `lgadmin optouts ingest` process that takes its 250 waiting requests,
    /// one commit per request, every commit reading the `optouts` counter and writing it back
    /// at the version read. The two processes race from start to end on that one record:
    /// exactly 500 requests must come out, numbered O000001 to O000500 once each, with every
    /// file taken once and 500 more audit events.
    @Test func twoHostsIngestingAtOnceTake500RequestsWithUniqueIDs() throws {
        let pg = try PGStore("pg-race-ingest")
        defer { pg.cleanUp() }
        try pg.initStore()
        let eventsBefore = try pg.verifiedAuditEvents()
        let perHost = 250
        let hosts = ["a", "b"]
        var processes: [ChildProcess] = []
        defer { for p in processes where p.isRunning { p.kill(); p.wait() } }
        var stores: [String] = []
        for host in hosts {
            // Host a uses the store's own files directory; host b one of its own.
            let files = host == "a" ? pg.db.filesDirectory : pg.sb.root + "/host-" + host
            let spool = files + "/inbox/optouts"
            for d in ["tmp", "new", "cur", "bad"] {
                try FileManager.default.createDirectory(atPath: spool + "/" + d, withIntermediateDirectories: true)
            }
            for k in 0..<perHost {
                let name = "1772442000.\(host)\(k).web-\(host)"
                let data = try JSONSerialization.data(withJSONObject: ["contact": "\(host)\(k)@race.example.com", "scopes": ["newsletter"]])
                try writeDurably(data, to: spool + "/tmp/" + name)
                try #require(link(spool + "/tmp/" + name, spool + "/new/" + name) == 0)
                unlink(spool + "/tmp/" + name)
            }
            let url = pg.db.psqlURL + "&files=" + files
            stores.append(url)
        }
        // Both start before either is waited for.
        for url in stores {
            processes.append(try ChildProcess(try LGAdminBinary.require(), ["optouts", "ingest", "--json"],
                                              environment: pg.sb.environment(store: url), currentDirectory: pg.sb.root))
        }
        var taken: [String] = []
        for (host, p) in zip(hosts, processes) {
            let t = p.wait(timeout: 120)
            let r = RunResult(arguments: ["optouts", "ingest", "--json"], status: t.shellStatus, stdout: p.output, stderr: p.errorOutput)
            try #require(r.status == 0, "host \(host): \(r)")
            let o = try r.jsonObject()
            let mine = o["taken"] as? [String] ?? []
            #expect(mine.count == perHost, "host \(host) took \(mine.count) of \(perHost)\n\(r)")
            #expect((o["failed"] as? [Any])?.isEmpty ?? true, "\(r)")
            taken += mine
        }
        #expect(Set(taken).count == 2 * perHost, "a spool file was taken twice or not at all")

        let requests = try pg.ok(["optouts", "list", "--json"]).jsonArray()
        let ids = requests.compactMap { str($0, "id") }.sorted()
        #expect(requests.count == 2 * perHost, "\(requests.count) requests after 2 × \(perHost) ingested")
        #expect(ids == (1...2 * perHost).map { "O" + String(format: "%06d", $0) },
                "the ids are not exactly O000001…O\(String(format: "%06d", 2 * perHost)) once each")
        let contacts = Set(requests.compactMap { str($0, "contact") })
        let wanted = Set(hosts.flatMap { h in (0..<perHost).map { "\(h)\($0)@race.example.com" } })
        #expect(contacts == wanted, "requests lost or doubled: \(wanted.symmetricDifference(contacts).sorted().prefix(10))")
        // They did race: in id order, the hosts' requests alternate, not one run after the other.
        let hostByID = requests.sorted { (str($0, "id") ?? "") < (str($1, "id") ?? "") }.compactMap { str($0, "contact")?.first }
        let switches = zip(hostByID, hostByID.dropFirst()).filter { $0 != $1 }.count
        print("two hosts ingesting: the committing host changed \(switches) times in 500 commits")
        #expect(switches >= 2, "one ingest ran after the other (\(switches) switch): the test did not race them")
        // The counter itself ended at 501.
        let next = try pg.ok(["optouts", "submit", "--contact", "after@race.example.com", "--scope", "newsletter", "--json"]).jsonObject()
        #expect(str(next, "id") == "O" + String(format: "%06d", 2 * perHost + 1))
        #expect(try pg.verifiedAuditEvents() == eventsBefore + 2 * perHost + 1)
        try pg.storeChecks()
    }

    // MARK: 2. A client killed mid-commit

    /// A large `customers import` (one commit: every row or none) is SIGKILLed in its commit,
    /// once while it holds the writer lock and builds the change, once while it writes the
    /// records. The server rolls the transaction back: no customer of the file, the chain
    /// verifies, the store checks, and the next commit takes the next number.
    @Test(arguments: CommitPhase.allCases)
    func clientKilledMidCommitLeavesNoHalfCommit(phase: CommitPhase) throws {
        let pg = try PGStore("pg-kill")
        defer { pg.cleanUp() }
        try pg.initStore()
        _ = try pg.ok(["customers", "add", "--name", "Before Kill", "--email", "before@kill.example.com"])
        let eventsBefore = try pg.verifiedAuditEvents()
        let rows = 30_000
        let csv = pg.sb.root + "/big.csv"
        try Self.customersCSV(rows: rows, tag: "kill").write(to: URL(fileURLWithPath: csv))

        let child = try pg.start(["customers", "import", csv])
        defer { if child.isRunning { child.kill(); child.wait() } }
        try pg.waitForWritingTransaction(of: child, statement: phase.statement)
        child.kill(SIGKILL)
        #expect(child.wait(timeout: 30) == .signalled(SIGKILL))
        try pg.waitForNoOtherSessions()

        let count = try pg.customers().count
        #expect(count == 1 || count == 1 + rows, "a half commit: \(count) customers, expected 1 (before) or \(1 + rows) (after)")
        #expect(count == 1, "the import was killed mid-commit yet committed")
        let events = try pg.verifiedAuditEvents()
        #expect(events == eventsBefore + (count == 1 ? 0 : 1))
        try pg.storeChecks()
        // The next commit takes the next number: nothing of the killed one stayed behind.
        let next = try pg.ok(["customers", "add", "--name", "After Kill", "--email", "after@kill.example.com", "--json"]).jsonObject()
        #expect(str(next, "id") == "C0000002")
        #expect(try pg.verifiedAuditEvents() == events + 1)
    }

    /// `store migrate --to` a PostgreSQL database (COPY of every record in one transaction),
    /// SIGKILLed while it copies: the target stays empty of records, so the migration can simply
    /// be run again, and then it proves the copy.
    @Test func migrationKilledMidCopyLeavesTheTargetEmpty() throws {
        let pg = try PGStore("pg-kill-migrate")
        defer { pg.cleanUp() }
        // A flat store with many customers, to migrate.
        try pg.sb.initStore()
        let csv = pg.sb.root + "/big.csv"
        let rows = 20_000
        try Self.customersCSV(rows: rows, tag: "migrate").write(to: URL(fileURLWithPath: csv))
        try pg.sb.ok(["customers", "import", csv])

        let child = try ChildProcess(try LGAdminBinary.require(), ["store", "migrate", "--to", pg.db.storeURL],
                                     environment: pg.sb.environment(store: pg.sb.store), currentDirectory: pg.sb.root)
        defer { if child.isRunning { child.kill(); child.wait() } }
        try pg.waitForWritingTransaction(of: child, statement: "COPY lgadmin_records")
        child.kill(SIGKILL)
        #expect(child.wait(timeout: 30) == .signalled(SIGKILL))
        try pg.waitForNoOtherSessions()

        // Nothing half-copied: the schema (committed before the copy) holds no record.
        #expect(try pg.sql("SELECT count(*) FROM lgadmin_records") == "0", "a half copy stayed in the target")
        // The source is untouched but for the migration's own audit event.
        try pg.sb.auditVerifies()
        // Run again: it completes and proves the copy.
        let again = try pg.sb.run(["store", "migrate", "--to", pg.db.storeURL], store: .some(pg.sb.store))
        #expect(again.status == 0, "\(again)")
        #expect(try pg.customers().count == rows)
        _ = try pg.verifiedAuditEvents()
        try pg.storeChecks()
    }

    // MARK: 3. A backend terminated mid-commit

    /// The server ends the session (`pg_terminate_backend`) in a large import's commit (holding
    /// the writer lock, or writing the records): the command exits 1 with one line naming the
    /// server; it does not quietly reconnect and run the commit again; nothing of the import
    /// stays, the chain verifies, and the next command works.
    @Test(arguments: CommitPhase.allCases)
    func backendTerminatedMidCommitFailsCleanly(phase: CommitPhase) throws {
        let pg = try PGStore("pg-terminate")
        defer { pg.cleanUp() }
        try pg.initStore()
        _ = try pg.ok(["customers", "add", "--name", "Before Terminate", "--email", "before@terminate.example.com"])
        let eventsBefore = try pg.verifiedAuditEvents()
        let rows = 30_000
        let csv = pg.sb.root + "/big.csv"
        try Self.customersCSV(rows: rows, tag: "terminate").write(to: URL(fileURLWithPath: csv))

        let child = try pg.start(["customers", "import", csv])
        defer { if child.isRunning { child.kill(); child.wait() } }
        try pg.waitForWritingTransaction(of: child, statement: phase.statement)
        let ended = try pg.sql("""
            SELECT count(*) FROM (SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity
            WHERE datname = '\(pg.db.name)' AND pid <> pg_backend_pid()) s WHERE t
            """)
        #expect(ended != "0", "no session was terminated")
        let termination = child.wait(timeout: 60)
        let result = RunResult(arguments: ["customers", "import", csv], status: termination.shellStatus,
                               stdout: child.output, stderr: child.errorOutput)
        #expect(result.status == 1, "\(result)")
        expectOneLineError(result)
        #expect(result.err.contains("PostgreSQL server at"), "the error should name the server\n\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        try pg.waitForNoOtherSessions()

        let count = try pg.customers().count
        #expect(count == 1, "\(count) customers: the terminated import left \(count - 1) behind")
        #expect(try pg.verifiedAuditEvents() == eventsBefore)
        try pg.storeChecks()
        let next = try pg.ok(["customers", "add", "--name", "After Terminate", "--email", "after@terminate.example.com", "--json"]).jsonObject()
        #expect(str(next, "id") == "C0000002")
    }

    /// The server ends the session of a `store migrate --to` while it copies (COPY, one
    /// transaction): exit 1, the last line on stderr (after the progress lines) names the
    /// server, the target holds no record, and the migration run again completes.
    @Test func migrationTerminatedMidCopyFailsCleanly() throws {
        let pg = try PGStore("pg-terminate-migrate")
        defer { pg.cleanUp() }
        try pg.sb.initStore()
        let csv = pg.sb.root + "/big.csv"
        let rows = 20_000
        try Self.customersCSV(rows: rows, tag: "migrate").write(to: URL(fileURLWithPath: csv))
        try pg.sb.ok(["customers", "import", csv])

        let args = ["store", "migrate", "--to", pg.db.storeURL]
        let child = try ChildProcess(try LGAdminBinary.require(), args,
                                     environment: pg.sb.environment(store: pg.sb.store), currentDirectory: pg.sb.root)
        defer { if child.isRunning { child.kill(); child.wait() } }
        try pg.waitForWritingTransaction(of: child, statement: "COPY lgadmin_records")
        try pg.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(pg.db.name)' AND pid <> pg_backend_pid()")
        let termination = child.wait(timeout: 60)
        let result = RunResult(arguments: args, status: termination.shellStatus, stdout: child.output, stderr: child.errorOutput)
        #expect(result.status == 1, "\(result)")
        let last = result.errLines.last.map(String.init) ?? ""
        #expect(last.hasPrefix("lgadmin: ") && last.contains("PostgreSQL server at"), "the error should name the server\n\(result)")
        try pg.waitForNoOtherSessions()

        #expect(try pg.sql("SELECT count(*) FROM lgadmin_records") == "0", "a half copy stayed in the target")
        try pg.sb.auditVerifies()
        let again = try pg.sb.run(args, store: .some(pg.sb.store))
        #expect(again.status == 0, "\(again)")
        #expect(try pg.customers().count == rows)
        _ = try pg.verifiedAuditEvents()
        try pg.storeChecks()
    }

    // MARK: 4. The server stopped and started under an open console

    /// A PostgreSQL server of this test alone (stopping the shared one would disturb the other
    /// tests), started like `.ci/postgres` does, stopped and started again on the same socket
    /// directory and port.
    final class PrivateServer {
        let dir: String
        let port: Int
        static let bin = "/usr/lib/postgresql/15/bin"
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".ci/postgres").path

        init() throws {
            dir = NSTemporaryDirectory() + "lgadmin-pgsrv-" + UUID().uuidString.prefix(8).lowercased()
            // Unix socket only, in its own directory: no port another server could hold.
            port = 55432
            var env = ProcessInfo.processInfo.environment
            env["LGADMIN_TEST_PG_PORT"] = String(port)
            let r = try ChildProcess.run("/bin/bash", [Self.script, "start", dir], environment: env, timeout: 120)
            guard r.termination == .exited(0) else {
                _ = try? ChildProcess.run("/bin/bash", [Self.script, "stop", dir], timeout: 120)
                throw FailureTestError("cannot start a private server: \(String(decoding: r.stderr, as: UTF8.self))")
            }
        }

        /// The server's URL for database `db`.
        func url(_ db: String) -> String { "postgres:///\(db)?host=\(dir)&port=\(port)&user=lgadmin" }

        private func pgctl(_ arguments: [String]) throws {
            let argv = [Self.bin + "/pg_ctl", "-D", dir + "/data", "-w", "-t", "60"] + arguments
            let r = getuid() == 0
                ? try ChildProcess.run("/usr/sbin/runuser", ["-u", "postgres", "--"] + argv, timeout: 120)
                : try ChildProcess.run(argv[0], Array(argv.dropFirst()), timeout: 120)
            guard r.termination == .exited(0) else {
                throw FailureTestError("pg_ctl \(arguments.first ?? "") failed (\(r.termination)): \(String(decoding: r.stdout + r.stderr, as: UTF8.self))")
            }
        }

        /// Stops the server (fast: open sessions are ended).
        func stop() throws { try pgctl(["-m", "fast", "stop"]) }

        /// Starts it again on the same socket directory and port.
        func start() throws {
            try pgctl(["-l", dir + "/server.log", "-o", "-k \(dir) -p \(port) -c listen_addresses=''", "start"])
        }

        /// Stops it and removes its directory.
        func destroy() {
            _ = try? ChildProcess.run("/bin/bash", [Self.script, "stop", dir], timeout: 120)
        }
    }

    /// The console stays open while its server stops: it says so in one clear message instead
    /// of crashing, and once the server is back it shows another process's commit without
    /// being restarted, then quits normally.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: PrivateServer.bin + "/pg_ctl"),
                   "PostgreSQL 15's programs are not in /usr/lib/postgresql/15/bin: a private server cannot be started"))
    func consoleSurvivesTheServerStoppingAndStartingAgain() throws {
        let server = try PrivateServer()
        defer { server.destroy() }
        try TestPostgres.psql(server.url("postgres"), "CREATE DATABASE lgconsole")
        let sb = try Sandbox("pg-console")
        defer { sb.cleanUp() }
        let store = server.url("lgconsole") + "&files=" + sb.root + "/files"
        func cli(_ args: [String]) throws -> RunResult { try sb.run(args, store: .some(store)) }
        let initRun = try cli(["init"])
        try #require(initRun.status == 0, "\(initRun)")
        #expect(try cli(["customers", "add", "--name", "Ada Lovelace", "--email", "ada@example.com"]).status == 0)

        let t = try TmuxSession([try LGAdminBinary.require(), "--store", store],
                                env: ["LC_ALL": "C.UTF-8", "HOME": sb.root], cols: 120, rows: 30)
        defer { t.kill() }
        try t.waitFor("Ada Lovelace")

        try server.stop()
        let down = try t.waitFor("a message that the server is gone") { $0.contains("PostgreSQL server at") }
        #expect(!down.contains("[exited"), "the console ended when the server stopped:\n\(down)")
        print("the console with its server stopped says: " + (down.split(separator: "\n").first { $0.contains("PostgreSQL server at") } ?? ""))
        #expect(down.contains("lost the connection") || down.contains("cannot") || down.contains("refused"),
                "the message should say what happened:\n\(down)")

        try server.start()
        let added = try cli(["customers", "add", "--name", "Grace Hopper", "--email", "grace@example.com"])
        #expect(added.status == 0, "\(added)")
        let back = try t.waitFor("Grace Hopper")
        #expect(back.contains("Ada Lovelace"), "the console lost what it showed before:\n\(back)")

        try t.send("q")
        let end = try t.waitFor("[exited")
        #expect(end.contains("[exited 0]"), "q leaves with exit 0 after the server came back:\n\(end)")
    }
}

/// A failure of the failure tests' own set-up or waiting.
private struct FailureTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
