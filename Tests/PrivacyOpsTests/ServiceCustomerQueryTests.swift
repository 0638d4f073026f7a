import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// `customers list --filter TEXT --status S --limit N`: across name, e-mail, phone and address,
/// case-insensitive, in id order.
@Suite struct ServiceCustomerQueryTests {
    /// The customers every case searches, by short name.
    static func people(_ w: ServiceWorld) throws -> [String: Customer] {
        var out: [String: Customer] = [:]
        out["emile"] = try w.addCustomer("Émile Zola", email: "emile@example.fr", phone: "+33 1 42 68 53 00", address: "12 Rue de Rivoli, Paris")
        out["alice"] = try w.addCustomer("Alice Smith", email: "Alice.Smith@Example.com", alternateEmails: ["alice.work@example.org"],
                                         phone: "+1 (555) 123-4567", address: "12 Main St, Springfield")
        out["bob"] = try w.addCustomer("Bob Main", email: "bob@example.net", phone: "1-555-987-6543", address: "7 Oak Lane, Shelbyville",
                                       status: .suspended)
        out["misaki"] = try w.addCustomer("渡辺 美咲", email: "misaki@example.jp", address: "東京都千代田区丸の内1-1")
        out["zoe"] = try w.addCustomer("Zoë O'Brien", email: "zoe@example.ie", status: .closed)
        out["decomposed"] = try w.addCustomer("Rene\u{301}e Dupont", email: "renee@example.fr")  // NFD: e + combining acute
        out["quoted"] = try w.addCustomer("Robert \"Bob\" Tables", email: "bobby@example.com")
        return out
    }

    /// (filter, short names expected, in id order)
    static let cases: [(String, [String])] = [
        // name, letter case and accents as written
        ("émile", ["emile"]),
        ("ÉMILE", ["emile"]),
        ("Émile Zola", ["emile"]),
        ("zola", ["emile"]),
        ("zoë", ["zoe"]),
        ("o'brien", ["zoe"]),
        ("renée", ["decomposed"]),  // composed query, decomposed name
        ("\"bob\"", ["quoted"]),
        // CJK
        ("美咲", ["misaki"]),
        ("渡辺", ["misaki"]),
        ("千代田区", ["misaki"]),
        // e-mail, any case
        ("alice.smith@example.com", ["alice"]),
        ("EXAMPLE.JP", ["misaki"]),
        ("alice.work@example.org", ["alice"]),
        // phone digits, written another way
        ("555-123-4567", ["alice"]),
        ("(555) 123 4567", ["alice"]),
        ("+1 555.123.4567", ["alice"]),
        ("15559876543", ["bob"]),
        ("42 68 53", ["emile"]),
        // address
        ("main st", ["alice"]),
        ("OAK LANE", ["bob"]),
        ("rue de rivoli", ["emile"]),
        // across fields
        ("main", ["alice", "bob"]),
        ("bob", ["bob", "quoted"]),
        // nothing
        ("nobody", []),
        ("555-000-0000", []),
        ("emilie", []),
    ]

    @Test func filterTable() throws {
        let w = try ServiceWorld()
        let people = try Self.people(w)
        let mo = try w.open(.moderator)
        for (filter, names) in Self.cases {
            let expected = names.map { people[$0]!.id }.sorted()
            let got = try mo.listCustomers(filter: filter).map(\.id)
            #expect(got == expected, "'\(filter)': \(got)")
        }
        // No filter (or a blank one): everyone, in id order.
        let all = people.values.map(\.id).sorted()
        #expect(try mo.listCustomers().map(\.id) == all)
        #expect(try mo.listCustomers(filter: "  ").map(\.id) == all)
    }

    @Test func statusFilterAndLimit() throws {
        let w = try ServiceWorld()
        let people = try Self.people(w)
        let aud = try w.open(.auditor)
        #expect(try aud.listCustomers(status: .suspended).map(\.id) == [people["bob"]!.id])
        #expect(try aud.listCustomers(status: .closed).map(\.id) == [people["zoe"]!.id])
        #expect(try aud.listCustomers(status: .active).count == 5)
        // Status and text together.
        #expect(try aud.listCustomers(filter: "main", status: .active).map(\.id) == [people["alice"]!.id])
        #expect(try aud.listCustomers(filter: "main", status: .closed).isEmpty)
        // A name that merely contains a status word is not that status.
        let named = try w.addCustomer("Suspended Animation", email: "anim@example.com")
        try aud.refresh()
        #expect(try !aud.listCustomers(status: .suspended).map(\.id).contains(named.id))
        // Limit: the first N in id order, with or without a filter.
        let all = try aud.listCustomers().map(\.id)
        #expect(try aud.listCustomers(limit: 3).map(\.id) == Array(all.prefix(3)))
        #expect(try aud.listCustomers(filter: "example", limit: 2).map(\.id) == Array(all.prefix(2)))
        #expect(try aud.listCustomers(filter: "main", limit: 1).map(\.id) == [people["alice"]!.id])
        #expect(try aud.listCustomers(status: .active, limit: 0).isEmpty)
    }

    @Test func manyCustomersInIdOrder() throws {
        let w = try ServiceWorld()
        var rows = "name,email,phone\n"
        for k in 0..<300 { rows += "Person \(k),p\(k)@example.com,+1 555 01\(String(format: "%d", k % 10))-\(String(format: "%04d", k))\n" }
        _ = try w.root.importCustomers(csvFile: try w.write(rows, name: "many.csv"))
        let sam = try w.open(.support)
        let hit = try sam.listCustomers(filter: "person 29")
        #expect(hit.map(\.name) == ["Person 29"] + (290..<300).map { "Person \($0)" })
        #expect(hit.map(\.id) == hit.map(\.id).sorted())
        #expect(try sam.listCustomers(filter: "555-017-0217").map(\.name) == ["Person 217"])
        #expect(try sam.listCustomers(filter: "p123@EXAMPLE.com").map(\.name) == ["Person 123"])
    }
}
