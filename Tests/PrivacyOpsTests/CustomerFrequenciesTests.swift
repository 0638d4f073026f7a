import Foundation
import Harness
import Testing

@testable import PrivacyOps

/// Counts per value of a customer column, over the customers the filter lists, most common
/// first: the service's numbers behind the console's frequency popup.
@Suite struct CustomerFrequenciesTests {
    static func world() throws -> ServiceWorld {
        let w = try ServiceWorld()
        _ = try w.root.addCustomer(CustomerInput(name: "Ann Smith", email: "ann@Example.com", services: ["hosting", "mail"]))
        _ = try w.root.addCustomer(CustomerInput(name: "Bob Smith", email: "bob@example.com", services: ["mail"]))
        _ = try w.root.addCustomer(CustomerInput(name: "Cy Jones", email: "cy@other.org", services: []))
        let dee = try w.root.addCustomer(CustomerInput(name: "Dee Smith", email: "dee@other.org", services: ["mail", "dns"]))
        _ = try w.root.updateCustomer(dee.id, CustomerChanges(status: .suspended))
        return w
    }

    @Test func countsEveryValueMostCommonFirst() throws {
        let w = try Self.world()
        let mo = try w.open(.moderator)
        let status = try mo.customerFrequencies(of: .status)
        #expect(status.customers == 4)
        #expect(status.rows == [.init(value: "active", count: 3), .init(value: "suspended", count: 1)])
        // Each service counts once per customer; none is "(none)"; ties by value.
        let services = try mo.customerFrequencies(of: .services)
        #expect(services.rows == [.init(value: "mail", count: 3), .init(value: "(none)", count: 1), .init(value: "dns", count: 1),
                                  .init(value: "hosting", count: 1)])
        // Domains case-insensitively.
        let domains = try mo.customerFrequencies(of: .domain)
        #expect(domains.rows == [.init(value: "example.com", count: 2), .init(value: "other.org", count: 2)])
    }

    @Test func overTheCurrentFilterAndStatus() throws {
        let w = try Self.world()
        let ops = try w.open(.support)
        let smiths = try ops.customerFrequencies(of: .domain, filter: "smith")
        #expect(smiths.customers == 3)
        #expect(smiths.rows == [.init(value: "example.com", count: 2), .init(value: "other.org", count: 1)])
        let activeSmiths = try ops.customerFrequencies(of: .services, filter: "smith", status: .active)
        #expect(activeSmiths.customers == 2 && activeSmiths.rows == [.init(value: "mail", count: 2), .init(value: "hosting", count: 1)])
        let none = try ops.customerFrequencies(of: .status, filter: "nobody at all")
        #expect(none.customers == 0 && none.rows.isEmpty)
    }

    /// Seeded: random services on random customers; the counts agree with decoding every record.
    @Test func agreesWithTheRecords() throws {
        var rng = SeededRandom.fromEnvironment()
        let seed = rng.description
        let w = try ServiceWorld()
        let pool = ["hosting", "mail", "dns", "backup", "cdn"]
        for i in 0..<60 {
            let services = pool.filter { _ in Bool.random(using: &rng) }
            _ = try w.root.addCustomer(CustomerInput(name: "Person \(i)", email: "p\(i)@d\(Int.random(in: 0..<4, using: &rng)).example",
                                                     services: services))
        }
        let all = try w.root.listCustomers()
        var expected: [String: Int] = [:]
        for c in all {
            if c.services.isEmpty { expected["(none)", default: 0] += 1 }
            for s in Set(c.services) { expected[s, default: 0] += 1 }
        }
        let table = try w.root.customerFrequencies(of: .services)
        #expect(Dictionary(uniqueKeysWithValues: table.rows.map { ($0.value, $0.count) }) == expected, "seed \(seed)")
        #expect(table.rows.map(\.count) == table.rows.map(\.count).sorted(by: >), "seed \(seed)")
    }
}

