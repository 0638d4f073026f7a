import FlatStore
import Foundation
import Harness
import Testing
@testable import PrivacyOps

/// What only a PostgreSQL store does: its URL, the server's own guard on the audit trail, the
/// server's errors in the service's terms, and `store migrate` both ways.
@Suite(.enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.skipReason)))
struct PostgresStoreTests {
    static let root = ActorIdentity(name: "root", isRoot: true)

    final class Scratch {
        let base = NSTemporaryDirectory() + "lgadmin-pgsvc-" + UUID().uuidString
        var databases: [TestPostgres.Database] = []
        init() throws { try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true) }
        func database() throws -> TestPostgres.Database {
            let db = try TestPostgres.createDatabase(files: base + "/files-\(databases.count)")
            databases.append(db)
            return db
        }
        deinit {
            for db in databases { TestPostgres.drop(db) }
            try? FileManager.default.removeItem(atPath: base)
        }
    }

    @Test func theURLsPasswordIsNeverShownAndFilesIsLgadminsOwn() throws {
        let p = try PostgresLocation("postgres://ops:s3cret@db.internal:5433/lgadmin?sslmode=require&files=/srv/lg")
        #expect(!p.display.contains("s3cret"))
        #expect(p.display.contains("***"))
        #expect(p.filesDirectory == "/srv/lg")
        #expect(!p.conninfo.contains("files="))
        #expect(p.conninfo.contains("sslmode=require"))
        #expect(throws: StoreError.self) { try PostgresLocation("postgres:///db?files=relative") }
        #expect(PrivacyOps.filesDirectory(forStore: "postgres:///db") == "/var/lib/lgadmin")
    }

    @Test func aForgedAuditEventIsRefusedByTheServer() throws {
        let scratch = try Scratch()
        let db = try scratch.database()
        let ops = try PrivacyOps.initialize(at: db.storeURL, actor: Self.root)
        _ = try ops.addCustomer(CustomerInput(name: "Ada", email: "ada@example.com"))
        let event = try #require(try ops.view().get(Collections.audit, id: AuditEvent.recordID(seq: 1)))
        var forged = event
        forged.actor = "mallory"
        #expect(throws: StoreError.self) {
            _ = try ops.store.commit { _ -> (StoreTransaction, Void) in
                var tx = StoreTransaction()
                try tx.update(forged, in: Collections.audit, expecting: event.version)
                return (tx, ())
            }
        }
        // Not through the store either: the trigger guards the table itself.
        #expect(throws: (any Error).self) {
            try TestPostgres.psql(db.psqlURL, "DELETE FROM lgadmin_records WHERE coll = 'audit'")
        }
        #expect(try ops.verifyAudit().isIntact)
    }

    /// Waits up to 20 s for `condition`; false when it never held.
    static func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<400 {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    @Test func aListenerHearsAnotherHostsCommitAndCatchesUpAfterItsConnectionDrops() throws {
        let scratch = try Scratch()
        let db = try scratch.database()
        _ = try PrivacyOps.initialize(at: db.storeURL, actor: Self.root)
        let console = try StoreBackends.open(db.storeURL, readOnly: true, io: POSIXFileIO())
        let token = console.addChangeListener { _ in }
        defer { console.removeChangeListener(token) }
        let other = try PrivacyOps.open(at: db.storeURL, actor: Self.root)
        #expect(Self.eventually { (try? TestPostgres.psql(db.psqlURL, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lgadmin-watcher'")) == "1" })
        _ = try other.addCustomer(CustomerInput(name: "Ada", email: "ada@example.com"))
        #expect(Self.eventually { console.hasNewerCommits }, "the notification never arrived")
        #expect(try console.refresh().touches(Collections.customers.name))
        #expect(!console.hasNewerCommits)
        // The listening connection is cut; commits made meanwhile are caught up from the log.
        try TestPostgres.psql(db.psqlURL, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lgadmin-watcher'")
        _ = try other.addCustomer(CustomerInput(name: "Bo", email: "bo@example.com"))
        _ = try other.addCustomer(CustomerInput(name: "Cy", email: "cy@example.com"))
        #expect(Self.eventually { console.hasNewerCommits }, "the watcher did not come back")
        let caught = try console.refresh()
        #expect(caught.changed[Collections.customers.name]?.count == 2)
        #expect(console.snapshot().count(Collections.customers.name) == 3)
    }

    /// A view is read on a connection of its own while another thread holds the store's
    /// connection (here, a commit waiting in its build): the read neither waits for the commit
    /// nor sees it.
    @Test func aViewIsReadWhileAnotherThreadCommits() throws {
        let scratch = try Scratch()
        let db = try scratch.database()
        _ = try PrivacyOps.initialize(at: db.storeURL, actor: Self.root)
        let store = try StoreBackends.open(db.storeURL, readOnly: false, io: POSIXFileIO())
        let before = store.snapshot()
        let inBuild = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let committer = Thread {
            _ = try? store.commit { _ -> (StoreTransaction, Void) in
                inBuild.signal()
                _ = release.wait(timeout: .now() + 60)
                var tx = StoreTransaction()
                try tx.insert(StoreConformanceTests.Item(id: "late", version: 0, text: "x"), into: StoreConformanceTests.items)
                return (tx, ())
            }
            done.signal()
        }
        committer.start()
        #expect(inBuild.wait(timeout: .now() + 30) == .success)
        // The commit holds the connection now; this read must not wait for it.
        let read = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var count = -1; var names: [String] = [] }
        let box = Box()
        let reader = Thread {
            box.count = before.count(StoreConformanceTests.items.name)
            box.names = store.snapshot().collectionNames()
            read.signal()
        }
        reader.start()
        let readInTime = read.wait(timeout: .now() + 30) == .success
        release.signal()
        #expect(readInTime, "a read waited for another thread's commit")
        #expect(box.count == 0)
        #expect(!box.names.contains(StoreConformanceTests.items.name))
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(try StoreBackends.open(db.storeURL, readOnly: true, io: POSIXFileIO()).snapshot().count(StoreConformanceTests.items.name) == 1)
    }

    @Test func noDatabaseAndNoTablesAreNoStore() throws {
        let scratch = try Scratch()
        let db = try scratch.database()
        #expect(!PrivacyOps.storeExists(at: db.storeURL))
        do {
            _ = try PrivacyOps.open(at: db.storeURL, actor: Self.root)
            Issue.record("opened a database without a store")
        } catch let e as OpsError {
            #expect(e.exitCode == 66)
        }
        let missing = TestPostgres.replacingDatabase(in: db.storeURL, with: "lgtest_does_not_exist")
        do {
            _ = try PrivacyOps.open(at: missing, actor: Self.root)
            Issue.record("opened a database that does not exist")
        } catch let e as OpsError {
            #expect(e.exitCode == 66)
        }
        _ = try PrivacyOps.initialize(at: db.storeURL, actor: Self.root)
        #expect(PrivacyOps.storeExists(at: db.storeURL))
        #expect(throws: OpsError.self) { _ = try PrivacyOps.initialize(at: db.storeURL, actor: Self.root) }
    }

    @Test func aReadOnlyServerTransactionIsExit75() throws {
        let scratch = try Scratch()
        let db = try scratch.database()
        _ = try PrivacyOps.initialize(at: db.storeURL, actor: Self.root)
        // As on a standby: every transaction read-only (SQLSTATE 25006 on a write).
        try TestPostgres.psql(db.psqlURL, "ALTER DATABASE \(db.name) SET default_transaction_read_only = on")
        let ops = try PrivacyOps.open(at: db.storeURL, actor: Self.root)
        do {
            _ = try ops.addCustomer(CustomerInput(name: "Ada", email: "ada@example.com"))
            Issue.record("a write went through a read-only transaction")
        } catch let e as OpsError {
            #expect(e.exitCode == 75)
        }
    }

    @Test func migrateToPostgresAndBackKeepsEveryRecordAndTheChainHead() throws {
        let scratch = try Scratch()
        let flat = scratch.base + "/flat"
        let ops = try PrivacyOps.initialize(at: flat, actor: Self.root)
        for k in 0..<40 {
            _ = try ops.addCustomer(CustomerInput(name: "Zoë Müller \(k)", email: "zoe\(k)@example.com"))
        }
        let db = try scratch.database()
        let there = try ops.migrateStore(to: db.storeURL)
        #expect(there.sourceHead == there.targetHead)
        #expect(there.chainIntact)
        #expect(there.recordsCompared == there.records)
        let pg = try PrivacyOps.open(at: db.storeURL, actor: Self.root)
        #expect(try pg.listCustomers(filter: "zoe muller 3").count >= 1 || (try pg.listCustomers(filter: "Müller 3").count) >= 1)
        #expect(try pg.listCustomers().count == 40)
        // A change on the server, then back to files.
        _ = try pg.addCustomer(CustomerInput(name: "Ада Лавлейс", email: "ada@example.org"))
        let back = scratch.base + "/back"
        let r = try pg.migrateStore(to: back)
        #expect(r.sourceHead == r.targetHead)
        let again = try PrivacyOps.open(at: back, actor: Self.root)
        #expect(try again.listCustomers().count == 41)
        #expect(try again.verifyAudit().isIntact)
        #expect(try AuditChain.head(again.view()) == AuditChain.head(pg.view()))
        // The target must be empty.
        do {
            _ = try again.migrateStore(to: db.storeURL)
            Issue.record("migrated into a store that holds records")
        } catch let e as OpsError {
            #expect(e.exitCode == 65)
        }
    }

    @Test func filteringOnTheServerFindsWhatTheFlatStoreFinds() throws {
        let scratch = try Scratch()
        let flat = scratch.base + "/flat"
        let ops = try PrivacyOps.initialize(at: flat, actor: Self.root)
        var random = SeededRandom.fromEnvironment()
        let names = ["Zoë Müller", "ZOE MULLER", "Søren Kierkegaard", "\u{212A}elvin Sign", "Straße Weiß", "José Núñez", "Ærø Ødegaard", "Li 李", "O'Brien \"Q\""]
        for k in 0..<120 {
            let n = names[Int(random.next() % UInt64(names.count))]
            _ = try ops.addCustomer(CustomerInput(name: "\(n) \(k)", email: "p\(k)@example.com", phone: "+44 20 7946 \(1000 + k)"))
        }
        let db = try scratch.database()
        _ = try ops.migrateStore(to: db.storeURL)
        let pg = try PrivacyOps.open(at: db.storeURL, actor: Self.root)
        for q in ["müller", "mul", "kelvin", "STRASSE", "weiss", "josé", "ødeg", "李", "o'brien", "\"q\"", "7946 10", "example.com", "p11", "xyz"] {
            let here = try ops.listCustomers(filter: q).map(\.id)
            let server = try pg.listCustomers(filter: q).map(\.id)
            #expect(here == server, "filter \(q) (seed \(random.seed), replay with LGADMIN_TEST_SEED=\(random.seed))")
        }
        // No filter and a limit: only the first rows are read, the same ones.
        #expect(try ops.listCustomers(limit: 7).map(\.id) == pg.listCustomers(limit: 7).map(\.id))
        #expect(try ops.matchingCustomerIDs(filter: "", status: nil, limit: 5) == pg.matchingCustomerIDs(filter: "", status: nil, limit: 5))
    }
}
