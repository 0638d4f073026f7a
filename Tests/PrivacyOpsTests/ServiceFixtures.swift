import FlatStore
import Foundation
import Harness
import Testing

@testable import PrivacyOps

// Shared fixtures of the Service* suites: a real store in a unique temporary directory, staff of
// every role, an injected clock, Maildirs with messages, and small helpers to read outcomes.

/// A clock the tests set and advance; handed to PrivacyOps as its `clock:`.
final class ServiceClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ iso: String) { current = ServiceTime.date(iso) }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func set(_ iso: String) { set(ServiceTime.date(iso)) }

    func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }

    func advance(seconds: Double) { set(now.addingTimeInterval(seconds)) }

    var function: @Sendable () -> Date { { [self] in self.now } }
}

enum ServiceTime {
    /// Parses `2026-03-02T09:00:00Z`.
    static func date(_ iso: String) -> Date {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        guard let d = f.date(from: iso) else { fatalError("bad test date \(iso)") }
        return d
    }

    static func stamp(_ d: Date) -> String { Timestamp.format(unixSeconds: Int(d.timeIntervalSince1970)) }
}

/// The exit code an operation ends with: 0 on success, the ``OpsError`` exit code otherwise,
/// -1 for an error that is not an ``OpsError`` (which would itself be a bug).
func serviceExitCode<T>(_ body: () throws -> T) -> Int32 {
    do {
        _ = try body()
        return 0
    } catch let e as OpsError {
        return e.exitCode
    } catch {
        return -1
    }
}

/// The ``OpsError`` an operation throws, or nil when it succeeds.
func serviceError<T>(_ body: () throws -> T) -> OpsError? {
    do {
        _ = try body()
        return nil
    } catch let e as OpsError {
        return e
    } catch {
        return .failure("not an OpsError: \(error)")
    }
}

/// A store with staff of every role, a settable clock, and a place for Maildirs and files.
///
/// Staff: `root` (the creating root user, always admin), `ada` admin, `sam` support, `mo`
/// moderator, `aud` auditor.
final class ServiceWorld: @unchecked Sendable {
    static let rootActor = ActorIdentity(name: "root", isRoot: true)
    static let staff: [(name: String, role: Role)] = [("ada", .admin), ("sam", .support), ("mo", .moderator), ("aud", .auditor)]

    static func userName(for role: Role) -> String {
        staff.first { $0.role == role }!.name
    }

    static func actor(_ name: String) -> ActorIdentity { ActorIdentity(name: name, isRoot: false) }

    let base: String
    let storePath: String
    let filesPath: String
    let clock: ServiceClock
    let root: PrivacyOps
    private let lock = NSLock()
    private var counter = 0

    init(clock start: String = "2026-03-02T09:00:00Z", grantStaff: Bool = true) throws {
        base = NSTemporaryDirectory() + "lgadmin-svc-" + ServiceWorld.digitFreeUUID()
        filesPath = base + "/files"
        storeFiles = base + "/store"
        try FileManager.default.createDirectory(atPath: filesPath, withIntermediateDirectories: true)
        if TestPostgres.isChosenBackend {
            // The same suite on a PostgreSQL store: its local files (spool, quarantine) where the
            // flat store's would be.
            let db = try TestPostgres.createDatabase(files: base + "/store")
            database = db
            storePath = db.storeURL
        } else {
            database = nil
            storePath = base + "/store"
        }
        clock = ServiceClock(start)
        root = try PrivacyOps.initialize(at: storePath, actor: Self.rootActor, clock: clock.function)
        if grantStaff {
            for (name, role) in Self.staff { _ = try root.grant(user: name, role: role) }
        }
    }

    /// The directory of the store's local files (the spool, the quarantine): the flat store's
    /// own directory, or a PostgreSQL store's `files=`.
    let storeFiles: String
    /// The scratch database when the suite runs on PostgreSQL.
    let database: TestPostgres.Database?

    deinit {
        if let database { TestPostgres.drop(database) }
        try? FileManager.default.removeItem(atPath: base)
    }

    /// A fresh number, for unique names.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        counter += 1
        return counter
    }

    /// Opens the store for a member of staff (or anyone), with the world's clock.
    func open(_ user: String, io: FileIO = POSIXFileIO()) throws -> PrivacyOps {
        try PrivacyOps.open(at: storePath, actor: Self.actor(user), clock: clock.function, io: io)
    }

    func open(_ role: Role, io: FileIO = POSIXFileIO()) throws -> PrivacyOps {
        try open(Self.userName(for: role), io: io)
    }

    /// The last commit, as the files say now.
    var seq: UInt64 {
        _ = try? root.refresh()
        return root.view().seq
    }

    /// Audit events committed, as the files say now.
    var auditCount: Int {
        _ = try? root.refresh()
        return root.view().count(Collections.audit)
    }

    /// The newest audit event.
    var lastAudit: AuditEvent? {
        _ = try? root.refresh()
        let v = root.view()
        guard let id = v.ids(Collections.audit).last else { return nil }
        return try? v.get(Collections.audit, id: id)
    }

    func count<R>(_ c: RecordKind<R>) -> Int {
        _ = try? root.refresh()
        return root.view().count(c)
    }

    // MARK: Records

    @discardableResult
    func addCustomer(_ name: String? = nil, email: String? = nil, alternateEmails: [String] = [], phone: String? = nil,
                     address: String? = nil, status: CustomerStatus = .active) throws -> Customer {
        let n = next()
        var c = try root.addCustomer(CustomerInput(name: name ?? "Customer \(n)", email: email ?? "customer\(n)@example.com",
                                                   alternateEmails: alternateEmails, phone: phone, address: address))
        if status != .active { c = try root.updateCustomer(c.id, CustomerChanges(status: status)) }
        return c
    }

    @discardableResult
    func submitOptOut(_ contact: String? = nil, scopes: [OptOutScope] = OptOutScope.allCases, receivedAt: Date? = nil) throws -> OptOutRequest {
        try root.submitOptOut(OptOutSubmission(contact: contact ?? "optout\(next())@example.com", scopes: scopes, receivedAt: receivedAt))
    }

    // MARK: Mail

    static func messageText(_ n: Int, subject: String? = nil, body: String? = nil) -> String {
        """
        Return-Path: <sender\(n)@example.net>
        From: Sender \(n) <sender\(n)@example.net>
        To: customer@example.com
        Subject: \(subject ?? "Message number \(n)")
        Date: Mon, 02 Mar 2026 09:\(String(format: "%02d", n % 60)):00 +0000
        Message-ID: <\(n)@test.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        \(body ?? "Body of message \(n).\nIt has a second line, and some content only a case may show.")

        """
    }

    /// Makes a Maildir with `count` messages (the first in new/, the rest in cur/ with flags).
    func makeMaildir(count: Int = 1, texts: [String]? = nil) throws -> String {
        let n = next()
        let dir = filesPath + "/maildir-\(n)"
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
        }
        let bodies = texts ?? (0..<count).map { Self.messageText(n * 100 + $0) }
        for (k, text) in bodies.enumerated() {
            let unique = "1772442000.M\(n)P\(k).mail.example"
            let (sub, name) = k == 0 ? ("new", unique) : ("cur", unique + ":2,S")
            guard FileManager.default.createFile(atPath: dir + "/" + sub + "/" + name, contents: Data(text.utf8)) else {
                throw OpsError.failure("cannot write a test message")
            }
        }
        return dir
    }

    /// A Maildir with messages, indexed for `customer` (a new customer when nil).
    func importMessages(count: Int = 1, customer: String? = nil, texts: [String]? = nil) throws -> [Communication] {
        let cid = try customer ?? addCustomer().id
        let dir = try makeMaildir(count: count, texts: texts)
        return try root.importMaildir(dir, customer: cid).indexed
    }

    /// One indexed message with an open report about it.
    func openCase(customer: String? = nil) throws -> (comm: Communication, report: Report) {
        let comm = try importMessages(count: 1, customer: customer)[0]
        let r = try root.fileReport(communication: comm.id, trigger: .abuseReport, reason: "reported as abusive", reporter: nil)
        return (comm, r)
    }

    /// One message blocked through its report.
    func blockedCase() throws -> (comm: Communication, report: Report) {
        let (comm, r) = try openCase()
        let blocked = try root.block(report: r.id, ground: .harmCustomers, clause: nil, note: "phishing")
        return (comm, blocked)
    }

    func communication(_ id: String) throws -> Communication {
        _ = try root.refresh()
        return try #require(try root.view().get(Collections.communications, id: id))
    }

    // MARK: Files

    func write(_ text: String, name: String) throws -> String {
        let path = filesPath + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw OpsError.failure("cannot write \(path)")
        }
        return path
    }

    var spool: OptOutSpool { OptOutSpool(store: storeFiles) }

    /// Delivers a contact-form request into the spool.
    func deliver(_ object: [String: Any], name: String) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        try spool.deliver([UInt8](data), name: name)
    }

    func deliver(raw: String, name: String) throws {
        try spool.deliver(Array(raw.utf8), name: name)
    }
}

/// Files in a directory (dot files included), sorted; empty when it is missing.
func serviceListing(_ dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
}

func serviceFileBytes(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

extension PrivacyOps {
    /// Commits straight to the store, below the service: no role check and no audit event, as
    /// someone editing the store's files would (tests of tampering).
    func commitBelowService(_ tx: StoreTransaction) throws {
        _ = try store.commit { _ in (tx, ()) }
    }
}

extension ServiceWorld {
    /// A UUID with its digits written as letters (0 as g … 9 as p): a temporary path holding a
    /// UUID's digit runs can look like a card number to the guard (dashes are separators), and
    /// a Maildir under it would then be refused at random.
    static func digitFreeUUID() -> String {
        String(UUID().uuidString.map { c -> Character in
            guard let d = c.wholeNumberValue, c.isASCII else { return c }
            return Character(Unicode.Scalar(UInt8(ascii: "g") + UInt8(d)))
        })
    }
}

extension Trait where Self == ConditionTrait {
    /// A test of the flat-file store's own mechanics (injected I/O faults, journal bytes, audit
    /// events forged through the store, which a PostgreSQL store's trigger refuses:
    /// `PostgresStoreTests` proves that), skipped when the suite runs on PostgreSQL.
    static var flatStoreOnly: Self {
        .enabled(if: !TestPostgres.isChosenBackend, "works on the flat-file store's files; the suite runs on PostgreSQL")
    }
}
