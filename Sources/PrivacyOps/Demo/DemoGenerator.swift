import Foundation

/// A small deterministic random number generator (SplitMix64), so a seed gives the same store.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What `lgadmin demo` made.
public struct DemoSummary: Sendable {
    public var customers: Int
    public var optOuts: Int
    public var spooled: Int
    public var messages: Int
    public var openReports: Int
    public var users: [String]
    public var disclosures = 0
    /// The demo's web access logs (a month, beside the store), newest first.
    public var accessLogs: [String] = []
}

/// Builds a realistic demo store: customers with international names (some sharing a contact
/// point), opt-out requests (some overdue, some still in the inbox spool), Maildirs with
/// messages, reports, and staff in every role.
public struct DemoGenerator {
    public var customers: Int
    public var seed: UInt64
    public var progress: (String) -> Void

    public init(customers: Int = 2000, seed: UInt64 = 1, progress: @escaping (String) -> Void = { _ in }) {
        self.customers = customers
        self.seed = seed
        self.progress = progress
    }

    /// Creates the store at `path` (it must not exist yet) with `actor` as its admin.
    public func create(at path: String, actor: ActorIdentity) throws -> DemoSummary {
        guard customers >= 50 else { throw OpsError.usage("--customers must be at least 50 for a demo that has something in it") }
        var rng = SeededRandom(seed: seed)
        // The history starts 60 days ago and catches up with now (the disclosures need weeks).
        let clock = DemoClock(daysAgo: 60)
        let admin = try PrivacyOps.initialize(at: path, actor: actor, clock: clock.function)
        var staff: [String] = [actor.name]
        for (name, role) in [("sam", Role.support), ("mo", .moderator), ("aud", .auditor)] where name != actor.name {
            _ = try admin.grant(user: name, role: role)
            staff.append(name)
        }
        progress("customers: 0 of \(customers)")
        let batch = 100_000
        var made = 0
        var all: [Customer] = []
        let keepAll = customers <= 200_000
        let cache = KeyCache()
        while made < customers {
            let n = min(batch, customers - made)
            var chunk: [Customer] = []
            chunk.reserveCapacity(n)
            for i in made..<(made + n) { chunk.append(makeCustomer(i + 1, previous: chunk.last ?? all.last, rng: &rng, cache: cache)) }
            try admin.bulkInsert(chunk)
            if keepAll { all.append(contentsOf: chunk) } else if all.count < 5000 { all.append(contentsOf: chunk.prefix(5000)) }
            made += n
            progress("customers: \(made) of \(customers)")
        }
        let sam = try PrivacyOps.open(at: path, actor: ActorIdentity(name: staff.contains("sam") ? "sam" : actor.name, isRoot: false), clock: clock.function)
        let mo = try PrivacyOps.open(at: path, actor: ActorIdentity(name: staff.contains("mo") ? "mo" : actor.name, isRoot: false), clock: clock.function)

        // Mail: ~200 messages across 40 customers' Maildirs, indexed in place.
        progress("mail: writing Maildirs")
        let mailRoot = PrivacyOps.filesDirectory(forStore: path) + "/demo-maildirs"
        var messages = 0
        var commIDs: [String] = []
        let mailCustomers = stride(from: 0, to: min(all.count, 40 * 7), by: 7).map { all[$0] }
        for (k, c) in mailCustomers.enumerated() {
            let dir = mailRoot + "/" + c.id
            for sub in ["cur", "new", "tmp"] {
                try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
            }
            for m in 0..<5 {
                let when = 1_760_000_000 + (k * 5 + m) * 86_000
                let subject = DemoNames.subjects[Int(rng.next() % UInt64(DemoNames.subjects.count))]
                let body = DemoNames.bodies[Int(rng.next() % UInt64(DemoNames.bodies.count))]
                let sender = DemoNames.people[Int(rng.next() % UInt64(DemoNames.people.count))]
                let text = "Return-Path: <\(sender.2)@example.net>\nFrom: \(sender.0) \(sender.1) <\(sender.2)@example.net>\nTo: \(c.email)\nSubject: \(subject)\nDate: \(rfc5322Date(when))\nMessage-ID: <\(c.id).\(m)@demo.example>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n\(body)"
                let unique = "\(when).M\(k)P\(m).mail.example"
                let (sub, name) = m % 3 == 0 ? ("new", unique) : ("cur", unique + ":2,S")
                FileManager.default.createFile(atPath: dir + "/" + sub + "/" + name, contents: Data(text.utf8))
                messages += 1
            }
            let imported = try admin.importMaildir(dir, customer: c.id)
            commIDs.append(contentsOf: imported.indexed.map(\.id))
        }

        // Reports: about 25 left open, a few decided.
        progress("reports")
        var reportIDs: [String] = []
        for (k, comm) in commIDs.enumerated() where k % 6 == 1 {
            let trigger = ReportTrigger.allCases[k % ReportTrigger.allCases.count]
            let reason = DemoNames.reportReasons[k % DemoNames.reportReasons.count]
            // Every other one for an outside reporter; of the ones support filed on its own word,
            // a moderator confirmed some, and the rest await confirmation.
            let outside = reportIDs.count % 2 == 0
            let r = try sam.fileReport(communication: comm, trigger: trigger, reason: reason, reporter: outside ? "abuse@example.net" : nil)
            if !outside, reportIDs.count % 4 == 1 { _ = try mo.confirmReport(r.id, note: "the complaint stands") }
            reportIDs.append(r.id)
        }
        var openReports = reportIDs.count
        if reportIDs.count > 30 {
            _ = try mo.block(report: reportIDs[0], ground: .touViolation, clause: "4.2", note: "bulk unsolicited mail")
            _ = try mo.block(report: reportIDs[1], ground: .harmCustomers, clause: nil, note: "phishing link")
            _ = try mo.dismiss(report: reportIDs[2], note: "ordinary newsletter, no violation")
            _ = try mo.dismiss(report: reportIDs[3], note: "reporter withdrew the complaint")
            _ = try mo.delete(report: reportIDs[4], ground: .harmThirdParties, note: "malware attachment", confirmed: true)
            openReports -= 5
        }

        let (disclosures, secondAdmin) = try makeDisclosures(at: path, admin: actor, clock: clock, customers: Array(all.prefix(200)),
                                                             comms: commIDs, reports: reportIDs, partnerExports: customers <= 200_000)
        if let secondAdmin { staff.append(secondAdmin) }

        // Opt-outs: about 45 taken, spread over the last weeks; about 15 waiting in the spool.
        progress("opt-outs")
        let nowSeconds = Date().timeIntervalSince1970
        var optOuts = 0
        var requestIDs: [String] = []
        for k in 0..<45 {
            let c = all[Int(rng.next() % UInt64(all.count))]
            let contact = k % 9 == 8 ? "nobody\(k)@unknown.example" : writtenDifferently(c, k)
            let scopes: [OptOutScope] = k % 4 == 0 ? OptOutScope.allCases : [OptOutScope.allCases[k % 3]]
            let received = Date(timeIntervalSince1970: nowSeconds - Double(rng.next() % (25 * 86_400)))
            let r = try sam.submitOptOut(OptOutSubmission(contact: contact, scopes: scopes, source: k % 3 == 0 ? "phone" : "email",
                                                           note: nil, receivedAt: received))
            requestIDs.append(r.id)
            optOuts += 1
        }
        for (k, id) in requestIDs.enumerated() {
            switch k % 9 {
            case 0, 1, 2: _ = try sam.applyOptOut(id)
            case 3: _ = try sam.needInfoOptOut(id, note: "which of your addresses do you mean?")
            case 4 where k % 2 == 0: _ = try sam.rejectOptOut(id, reason: OptOutRejectReason.notOurs.rawValue)
            default: break
            }
        }
        let spool = OptOutSpool(store: PrivacyOps.filesDirectory(forStore: path))
        try spool.prepare()
        var spooled = 0
        for k in 0..<15 {
            let c = all[Int(rng.next() % UInt64(all.count))]
            let submitted = UTCStamp.format(unixSeconds: Int(nowSeconds) - Int(rng.next() % (3 * 86_400)))
            var obj: [String: Any] = ["contact": writtenDifferently(c, k + 1), "submitted_at": submitted, "name": c.name]
            if k % 3 == 0 { obj["scopes"] = ["newsletter"] }
            if k % 5 == 0 { obj["message"] = "Please stop sending me these e-mails." }
            let data = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
            try spool.deliver([UInt8](data), name: "\(1_764_000_000 + k).form\(k).web1")
            spooled += 1
        }
        progress("access logs")
        let month = AccessLogGenerator.previousMonth(before: Date())
        let logs = try AccessLogGenerator(lines: 60_000, visitors: 4000, seed: seed, firstDay: month.firstDay, days: month.days)
            .writeRotated(into: PrivacyOps.filesDirectory(forStore: path) + "/demo-access-logs")
        // The month's traffic profile handed to an advertiser: a traffic-aggregate disclosure,
        // so the register holds every kind.
        progress("traffic report")
        _ = try admin.trafficReport(TrafficReportRequest(logs: logs, party: "Orbit Ad Network", siteDomains: ["loopgalaxy.com"]))
        progress("compacting")
        _ = try admin.compactStore()
        return DemoSummary(customers: customers, optOuts: optOuts, spooled: spooled, messages: messages,
                           openReports: openReports, users: staff, disclosures: disclosures + 1, accessLogs: logs)
    }

    /// Creates a store holding only customers (and its admin), compacted: the shape the
    /// benchmarks measure.
    public func createCustomerStore(at path: String, actor: ActorIdentity) throws {
        var rng = SeededRandom(seed: seed)
        let admin = try PrivacyOps.initialize(at: path, actor: actor)
        var made = 0
        var last: Customer?
        let cache = KeyCache()
        while made < customers {
            let n = min(100_000, customers - made)
            var chunk: [Customer] = []
            chunk.reserveCapacity(n)
            for i in made..<(made + n) { chunk.append(makeCustomer(i + 1, previous: chunk.last ?? last, rng: &rng, cache: cache)) }
            try admin.bulkInsert(chunk)
            last = chunk.last
            made += n
            progress("customers: \(made) of \(customers)")
        }
        _ = try admin.compactStore()
    }

    /// A contact point of `c` written the way a customer might type it on the form.
    func writtenDifferently(_ c: Customer, _ k: Int) -> String {
        switch k % 3 {
        case 0: return c.email.uppercased()
        case 1: return c.phone.map { "  " + $0.replacingOccurrences(of: " ", with: "") } ?? c.email
        default: return c.address.map { $0.uppercased() } ?? c.email
        }
    }

    func makeCustomer(_ n: Int, previous: Customer?, rng: inout SeededRandom, cache: KeyCache = KeyCache()) -> Customer {
        let p = DemoNames.people[Int(rng.next() % UInt64(DemoNames.people.count))]
        let name = p.3 ? "\(p.1)\(p.0)" : "\(p.0) \(p.1)"
        let domain = DemoNames.domains[Int(rng.next() % UInt64(DemoNames.domains.count))]
        var email = "\(p.2)\(n)@\(domain)"
        let f = Int(rng.next() % UInt64(DemoNames.phoneFormats.count))
        let fmt = DemoNames.phoneFormats[f]
        let a = Int(rng.next() % 1000), b = Int(rng.next() % 10000), c2 = Int(rng.next() % 100), d = Int(rng.next() % 100)
        var phone: String? = Self.phoneArguments[f] == 4 ? Self.format(fmt, [c2, d, a % 100, b % 100])
            : Self.phoneArguments[f] == 1 ? Self.format(fmt, [b]) : Self.format(fmt, [a, b])
        let s = Int(rng.next() % UInt64(DemoNames.streets.count))
        let street = DemoNames.streets[s]
        let number = 1 + Int(rng.next() % 200)
        var address: String? = "\(number) \(street.0), \(street.1)"
        // Its key, found by (number, street) rather than by hashing the text.
        var addressKey: String?? = cache.addressKey(number: number, street: s, address!)
        if n % 13 == 0 { phone = nil }
        if n % 17 == 0 { address = nil }
        // Households: some share a phone and address, a few an e-mail address.
        if let previous, n % 37 == 0 { phone = previous.phone; address = previous.address; addressKey = nil }
        if let previous, n % 101 == 0 { email = previous.email }
        let status: CustomerStatus = n % 31 == 0 ? .suspended : n % 47 == 0 ? .closed : .active
        var services: [String] = []
        let mask = rng.next()
        for (i, s) in DemoNames.services.enumerated() where (mask >> UInt64(i)) & 1 == 1 { services.append(s) }
        if services.isEmpty { services = ["hosting"] }
        var alternates: [String] = []
        if n % 23 == 0 { alternates = ["\(p.2).work\(n)@\(DemoNames.domains[(n / 23) % DemoNames.domains.count])"] }
        let digits = String(n)
        let id = "C" + String(repeating: "0", count: max(0, PrivacyOps.customerIDWidth - digits.utf8.count)) + digits
        let stamp = UTCStamp.format(unixSeconds: 1_700_000_000 + n * 37)
        var displayName = name
        if n == 3 { displayName = "Mallory \u{1B}[2J\u{1B}[31mEvil\u{1B}[0m" }  // sanitising must show this, never run it
        // Built without contact fields, then filled in with keys from the cache: what
        // `Customer.init` computes, without its Unicode folding for every record.
        var c = Customer(id: id, version: 1, name: displayName, email: "", status: status, services: services,
                         createdAt: stamp, updatedAt: stamp)
        c.email = email
        c.alternateEmails = alternates
        c.phone = phone
        c.address = address
        var keys: [String] = []
        keys.reserveCapacity(4)
        if let k = cache.emailKey(email) { keys.append(k) }
        for alt in alternates { if let k = cache.emailKey(alt) { keys.append(k) } }
        if let phone, let k = cache.phoneKey(phone) { keys.append(k) }
        if let address, let k = addressKey ?? cache.addressKey(address) { keys.append(k) }
        c.contactKeys = keys
        return c
    }

    /// How many numbers each of ``DemoNames/phoneFormats`` takes.
    static let phoneArguments: [Int] = DemoNames.phoneFormats.map { $0.utf8.filter { $0 == UInt8(ascii: "%") }.count }

    /// `String(format:)` for formats whose only conversions are `%0Nd` of non-negative numbers.
    static func format(_ fmt: String, _ args: [Int]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(fmt.utf8.count + 8)
        var next = 0
        var it = fmt.utf8.makeIterator()
        while let b = it.next() {
            guard b == UInt8(ascii: "%") else {
                out.append(b)
                continue
            }
            var width = 0
            while let c = it.next() {
                if c == UInt8(ascii: "d") { break }
                if c >= 0x30, c <= 0x39 { width = width * 10 + Int(c - 0x30) }
            }
            let v = next < args.count ? args[next] : 0
            next += 1
            let digits = Array(String(v).utf8)
            if digits.count < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
            out.append(contentsOf: digits)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Contact-point keys for generated customers: addresses repeat (a few thousand distinct
    /// ones), so their Unicode normalisation is done once each; plain ASCII e-mail addresses
    /// and phone numbers take a byte-level path that gives what ``ContactPoint`` gives, and
    /// anything else goes to ``ContactPoint`` itself.
    final class KeyCache {
        var addresses: [String: String?] = [:]
        var generated: [Int: String?] = [:]

        /// The key of a generated address, cached by its number and street.
        func addressKey(number: Int, street: Int, _ raw: String) -> String? {
            let code = number << 16 | street
            if let hit = generated[code] { return hit }
            let k = addressKey(raw)
            generated[code] = k
            return k
        }

        func addressKey(_ raw: String) -> String? {
            if let hit = addresses[raw] { return hit }
            let k = ContactPoint.address(raw)?.key
            addresses[raw] = k
            return k
        }

        func emailKey(_ raw: String) -> String? {
            let u = raw.utf8
            // Printable ASCII without spaces: trimming changes nothing and lower-casing is ASCII.
            guard u.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return ContactPoint.email(raw)?.key }
            var lower = Array(u)
            var ats = 0, at = 0
            for i in lower.indices {
                if lower[i] >= 0x41, lower[i] <= 0x5A { lower[i] += 0x20 }
                if lower[i] == UInt8(ascii: "@") { ats += 1; at = i }
            }
            guard ats == 1, at > 0 else { return nil }
            let domain = lower[(at + 1)...]
            guard domain.contains(UInt8(ascii: ".")), domain.first != UInt8(ascii: "."), domain.last != UInt8(ascii: ".") else { return nil }
            for i in domain.indices.dropLast() where domain[i] == UInt8(ascii: ".") && domain[i + 1] == UInt8(ascii: ".") { return nil }
            return "email:" + String(decoding: lower, as: UTF8.self)
        }

        func phoneKey(_ raw: String) -> String? {
            let u = raw.utf8
            // Digits and phone punctuation, no space at either end: trimming changes nothing.
            guard let first = u.first, let last = u.last, first != 0x20, last != 0x20,
                  u.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x20 || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x28 || $0 == 0x29 })
            else { return ContactPoint.phone(raw)?.key }
            var digits: [UInt8] = []
            digits.reserveCapacity(16)
            var sawPlus = false
            for (index, byte) in u.enumerated() {
                if byte >= 0x30, byte <= 0x39 {
                    digits.append(byte)
                } else if byte == 0x2B {
                    guard index == 0 else { return nil }
                    sawPlus = true
                }
            }
            if !sawPlus, digits.count >= 2, digits[0] == 0x30, digits[1] == 0x30 { digits.removeFirst(2) }
            guard (7...15).contains(digits.count) else { return nil }
            return "phone:" + String(decoding: digits, as: UTF8.self)
        }
    }

    func rfc5322Date(_ unix: Int) -> String {
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let stamp = UTCStamp.format(unixSeconds: unix)  // 2026-11-25T08:00:00Z
        let parts = stamp.split(whereSeparator: { "-T:Z".contains($0) }).map { Int($0) ?? 0 }
        return "\(days[(unix / 86_400) % 7]), \(parts[2]) \(months[parts[1] - 1]) \(parts[0]) \(stamp.dropFirst(11).prefix(8)) +0000"
    }
}

extension PrivacyOps {
    /// Inserts many customers at once (demo and benchmarks): one transaction and one audit event
    /// per call. Each record is written by ``RecordCoding`` (``Customer/fastJSON()``).
    func bulkInsert(_ customers: [Customer]) throws {
        try change(.customersImport, target: "bulk") { ctx in
            for c in customers {
                let v = ctx.view.version(Collections.customers, id: c.id)
                if v == 0 { try ctx.tx.insert(c, into: Collections.customers) } else { try ctx.tx.update(c, in: Collections.customers, expecting: v) }
            }
            var counter = try ctx.view.get(Collections.counters, id: "customers") ?? Counter(id: "customers", version: 0, next: 1)
            let last = customers.compactMap { Int($0.id.dropFirst()) }.max() ?? 0
            if last >= counter.next {
                let v = counter.version
                counter.next = last + 1
                if v == 0 { try ctx.tx.insert(counter, into: Collections.counters) } else { try ctx.tx.update(counter, in: Collections.counters, expecting: v) }
            }
            return ("bulk-inserted \(customers.count) customer(s)", ())
        }
    }
}

extension Customer {
    /// The record's JSON, written directly with sorted keys, byte for byte as `JSONEncoder`
    /// with ``RecordCoding``'s settings writes it (a test holds it to that), where `JSONEncoder`
    /// would dominate: ``RecordCoding/encode(_:collection:id:)`` writes every customer this way.
    func fastJSON() -> [UInt8] {
        var o: [UInt8] = []
        o.reserveCapacity(320)
        func key(_ k: String) { o.append(UInt8(ascii: "\"")); o.append(contentsOf: k.utf8); o.append(contentsOf: "\":".utf8) }
        func str(_ s: String) { RecordCoding.appendString(s, to: &o) }
        func arr(_ a: [String]) {
            o.append(UInt8(ascii: "["))
            for (i, s) in a.enumerated() { if i > 0 { o.append(UInt8(ascii: ",")) }; str(s) }
            o.append(UInt8(ascii: "]"))
        }
        o.append(UInt8(ascii: "{"))
        if let address { key("address"); str(address); o.append(UInt8(ascii: ",")) }
        key("alternate_emails"); arr(alternateEmails); o.append(UInt8(ascii: ","))
        key("contact_keys"); arr(contactKeys); o.append(UInt8(ascii: ","))
        key("created_at"); str(createdAt); o.append(UInt8(ascii: ","))
        key("email"); str(email); o.append(UInt8(ascii: ","))
        key("id"); str(id); o.append(UInt8(ascii: ","))
        key("name"); str(name); o.append(UInt8(ascii: ","))
        if let phone { key("phone"); str(phone); o.append(UInt8(ascii: ",")) }
        key("services"); arr(services); o.append(UInt8(ascii: ","))
        key("status"); str(status.rawValue); o.append(UInt8(ascii: ","))
        key("updated_at"); str(updatedAt); o.append(UInt8(ascii: ","))
        key("version"); o.append(contentsOf: String(version).utf8)
        o.append(UInt8(ascii: "}"))
        return o
    }
}
