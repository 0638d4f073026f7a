import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

// Shared fixtures of the Screen* suites: a real store in a temporary directory, staff of every
// role, customers (one with a CJK name, one with an escape sequence in the name), opt-outs (one
// overdue through an injected clock), a small Maildir indexed for a customer, and reports; and
// a driver that presses keys on the console application and renders it into a MemoryTerminal.

/// A clock PrivacyOps reads (`clock:`), set by the test.
final class ScreenClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ date: Date) { current = date }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(days: Double) {
        lock.lock()
        current = current.addingTimeInterval(days * 86_400)
        lock.unlock()
    }

    var function: @Sendable () -> Date { { [self] in self.now } }
}

/// A store populated for console tests. Each test makes its own (they run in parallel).
final class ScreenWorld: @unchecked Sendable {
    static let root = ActorIdentity(name: "root", isRoot: true)
    /// 2026-03-02T09:00:00Z, a Monday.
    static let start = Date(timeIntervalSince1970: 1_772_442_000)

    let base: String
    let storePath: String
    let clock = ScreenClock(ScreenWorld.start)
    let admin: PrivacyOps
    /// Customers by a short name: ann, kenji (CJK name), evil (escape sequence), bob, …
    private(set) var customers: [String: Customer] = [:]
    /// Opt-out requests by a short name: overdue, annEmail, bobPhone, nobody.
    private(set) var optOuts: [String: OptOutRequest] = [:]
    /// The Maildir holding kenji's messages, and the messages.
    private(set) var maildir = ""
    private(set) var messages: [Communication] = []
    /// Reports: open (about messages[0]), second (about messages[1]).
    private(set) var reports: [String: Report] = [:]

    init(extraCustomers: Int = 30) throws {
        base = NSTemporaryDirectory() + "lgadmin-screens-" + UUID().uuidString.map { $0.isNumber ? Character(UnicodeScalar(UInt8(ascii: "g") + UInt8($0.wholeNumberValue ?? 0))) : $0 }.map(String.init).joined()
        storePath = base + "/store"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        admin = try PrivacyOps.initialize(at: storePath, actor: Self.root, clock: clock.function)
        for (name, role) in [("sam", Role.support), ("mo", .moderator), ("aud", .auditor)] {
            _ = try admin.grant(user: name, role: role)
        }
        customers["ann"] = try admin.addCustomer(CustomerInput(name: "Ann Archer", email: "ann@example.com", phone: "+1 555 0100 200",
                                                               address: "1 Main Street, Springfield", services: ["hosting"]))
        customers["kenji"] = try admin.addCustomer(CustomerInput(name: "山田太郎", email: "kenji@example.jp", services: ["mail"]))
        customers["evil"] = try admin.addCustomer(CustomerInput(name: "Evil \u{1B}[31mRed\u{1B}[0m Co", email: "evil@example.net"))
        customers["bob"] = try admin.addCustomer(CustomerInput(name: "Bob Baker", email: "bob@example.org", phone: "+44 20 7946 0000"))
        for i in 0..<extraCustomers {
            _ = try admin.addCustomer(CustomerInput(name: "Filler Person \(i)", email: "filler\(i)@example.com"))
        }

        // The overdue request arrived three weeks ago (10 business days have passed).
        let threeWeeksAgo = Self.start.addingTimeInterval(-21 * 86_400)
        optOuts["overdue"] = try admin.submitOptOut(OptOutSubmission(contact: "bob@example.org", scopes: [.newsletter], source: "contact-form",
                                                                      name: "Bob", message: "stop the newsletter please", receivedAt: threeWeeksAgo))
        optOuts["annEmail"] = try admin.submitOptOut(OptOutSubmission(contact: "ANN@example.com", scopes: OptOutScope.allCases, source: "manual"))
        optOuts["bobPhone"] = try admin.submitOptOut(OptOutSubmission(contact: "+44 20 7946 0000", scopes: [.partnerOffers]))
        optOuts["nobody"] = try admin.submitOptOut(OptOutSubmission(contact: "nobody@nowhere.example", scopes: [.newsletter]))

        maildir = base + "/maildir-kenji"
        for sub in ["cur", "new", "tmp"] {
            try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true)
        }
        let texts = [
            "From: Spammer <spam@bad.example>\nTo: kenji@example.jp\nSubject: You won\nDate: Mon, 02 Mar 2026 08:00:00 +0000\n\nClick \u{1B}]8;;http://bad.example\u{7}here\u{1B}]8;;\u{7} to claim.\nSecond line of the body.\n",
            "From: Friend <friend@good.example>\nTo: kenji@example.jp\nSubject: Lunch\nDate: Mon, 02 Mar 2026 08:30:00 +0000\n\nLunch on Friday?\n",
        ]
        for (k, text) in texts.enumerated() {
            let path = maildir + "/cur/1772440000.M\(k)P1.mail.example:2,S"
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw OpsError.failure("cannot write a message") }
        }
        messages = try admin.importMaildir(maildir, customer: customers["kenji"]!.id).indexed.sorted { $0.id < $1.id }
        reports["open"] = try admin.fileReport(communication: messages[0].id, trigger: .abuseReport, reason: "phishing link reported", reporter: "abuse@example.net")
        reports["second"] = try admin.fileReport(communication: messages[1].id, trigger: .touComplaint, reason: "looks like spam", reporter: nil)
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    /// Opens the store for `user` with the world's clock, as a second process would.
    func open(_ user: String, readOnly: Bool = false) throws -> PrivacyOps {
        let actor = user == "root" ? Self.root : ActorIdentity(name: user, isRoot: false)
        return try PrivacyOps.open(at: storePath, actor: actor, readOnly: readOnly, clock: clock.function)
    }

    /// A console for `user` at `size`.
    func console(_ user: String, size: TermSize = .standard, readOnly: Bool = false, trafficLogs: [String] = []) throws -> ScreenDriver {
        try ScreenDriver(ops: open(user, readOnly: readOnly), size: size, readOnly: readOnly, trafficLogs: trafficLogs)
    }

    /// The request as the store has it now.
    func optOut(_ name: String) throws -> OptOutRequest {
        _ = try admin.refresh()
        return try admin.optOut(optOuts[name]!.id).request
    }

    func report(_ name: String) throws -> Report {
        _ = try admin.refresh()
        return try admin.report(reports[name]!.id).report
    }

    func customer(_ name: String) throws -> Customer {
        _ = try admin.refresh()
        return try admin.customer(customers[name]!.id)
    }

    var newestAudit: AuditEvent? {
        _ = try? admin.refresh()
        return try? admin.listAudit(limit: 1).first
    }

    /// Writes a contact-form request into the inbox spool.
    func deliver(contact: String, name: String) throws {
        let json = "{\"contact\": \"\(contact)\", \"scopes\": [\"newsletter\"], \"name\": \"Form User\"}"
        try OptOutSpool(store: storePath).deliver(Array(json.utf8), name: name)
    }
}

/// Drives a ``PrivacyConsole`` headless: keys through `handle`, periodic work through `tick`,
/// and a render into a ``MemoryTerminal`` after every step.
final class ScreenDriver {
    let app: PrivacyConsole
    let term: MemoryTerminal
    /// The time handed to `tick`, moved on by ``tick(seconds:)``.
    private(set) var now = ContinuousClock.now

    init(ops: PrivacyOps, size: TermSize, readOnly: Bool = false, trafficLogs: [String] = [], userState: UserStateDirectory? = nil) {
        term = size.terminal()
        app = PrivacyConsole(ops: ops, readOnly: readOnly, size: (size.rows, size.cols), trafficLogs: trafficLogs, userState: userState)
        render()
    }

    var session: ConsoleSession { app.session }
    var screen: any ConsoleScreen { app.screen }

    /// Draws the application as the event loop does.
    @discardableResult
    func render() -> MemoryTerminal {
        term.clear()
        term.hideCursor()
        app.draw(on: term)
        term.flush()
        return term
    }

    /// Presses keys; returns the result of the last one.
    @discardableResult
    func press(_ keys: Key...) -> KeyResult {
        var last = KeyResult.unchanged
        for key in keys { last = app.handle(key) }
        render()
        return last
    }

    /// Types each character of `text` as a key.
    func type(_ text: String) {
        for c in text { _ = app.handle(.char(c)) }
        render()
    }

    /// Lets time pass and runs the periodic work, as the loop does when no key comes.
    @discardableResult
    func tick(seconds: Double = 1.5) -> Bool {
        now = now + .milliseconds(Int(seconds * 1000))
        let changed = app.tick(now: now)
        render()
        return changed
    }

    var text: String { term.text }
    var lines: [String] { term.lines() }
    var dump: String { term.dump }

    /// The row of the table's cursor (the one drawn in the selected style, below the tabs).
    var selectedRows: [Int] { term.rowsWithStyle(.selected).filter { $0 > 2 && $0 < term.size.rows - 2 } }

    /// The text of the row drawn selected, if exactly one.
    var selectedText: String? {
        let rows = selectedRows
        return rows.count == 1 ? lines[rows[0]] : nil
    }

    /// The flash line's text.
    var flash: String { lines[term.size.rows - 2] }
    /// The hint line's text.
    var hints: String { lines[term.size.rows - 1] }
    /// The breadcrumb line's text.
    var crumbs: String { lines[2] }

    /// The row of the first line containing `needle`.
    func row(_ needle: String) -> Int? { term.row(containing: needle) }
}
