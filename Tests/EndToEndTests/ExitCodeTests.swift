import Foundation
import Testing

/// The exit codes of DESIGN.md §5, each with its error as exactly one line on stderr and
/// nothing on stdout.
@Suite("Exit codes and error messages")
struct ExitCodeTests {
    @Test func usageErrorsExit64OnOneLine() throws {
        let sb = try Sandbox("usage")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.fails(64, ["frobnicate"])
        try sb.fails(64, ["customers", "frobnicate"])
        let opt = try sb.fails(64, ["customers", "list", "--frobnicate"])
        #expect(opt.err.contains("--frobnicate"), "the message names the unknown option\n\(opt)")
        let missing = try sb.fails(64, ["customers", "add", "--name", "No Email"])
        #expect(missing.err.contains("--email"), "\(missing)")
        try sb.fails(64, ["customers", "list", "--limit", "-3"])
        try sb.fails(64, ["optouts", "submit", "--contact", "x@example.com", "--scope", "everything"])
        // Help is not an error.
        let help = try sb.run(["customers", "list", "--help"])
        #expect(help.status == 0, "\(help)")
        #expect(help.out.contains("--filter"))
    }

    @Test func cardNumbersExit65WithoutEchoingTheNumber() throws {
        let sb = try Sandbox("card")
        defer { sb.cleanUp() }
        try sb.initStore()
        for value in ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111"] {
            let r = try sb.fails(65, ["customers", "add", "--name", value, "--email", "card@example.com"])
            #expect(!r.err.contains(value), "the error must not repeat the card number\n\(r)")
            #expect(!r.err.filter(\.isNumber).contains("4111111111111111"), "\(r)")
            #expect(r.err.contains("1111"), "it may name the last four digits\n\(r)")
        }
        // In any field, and in notes.
        try sb.fails(65, ["customers", "add", "--name", "Card Holder", "--email", "card@example.com",
                          "--address", "PO Box 5500 0000 0000 0004"])
        let c = try sb.addCustomer(name: "Card Holder", email: "card@example.com")
        let id = try #require(str(c, "id"))
        try sb.fails(65, ["customers", "note", id, "paid with 4111 1111 1111 1111 exp 12/29"])
        // Nothing of it reached the store.
        #expect(try sb.ok(["customers", "list", "--json"]).jsonArray().count == 1)
        try sb.ok(["store", "scan"])
        // Other invalid data is 65 too.
        try sb.fails(65, ["customers", "add", "--name", "Bad Mail", "--email", "not-an-address"])
    }

    @Test func missingRecordsAndStoresExit66() throws {
        let sb = try Sandbox("missing")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.fails(66, ["customers", "show", "C9999999"])
        try sb.fails(66, ["optouts", "show", "O9999999"])
        try sb.fails(66, ["reports", "show", "R999999"])

        let nowhere = sb.root + "/nonexistent/x"
        for args in [["--store", nowhere, "customers", "list"], ["customers", "list", "--store", nowhere]] {
            let r = try sb.fails(66, args)
            #expect(r.err.contains("init") || r.err.contains("demo"), "the message says how to get a store\n\(r)")
        }
        // Through the environment as well.
        let env = try sb.fails(66, ["customers", "list"], store: .some(nowhere))
        #expect(env.err.contains("init") || env.err.contains("demo"), "\(env)")
        #expect(!fileExists(nowhere), "a read must not create a store")
    }

    @Test func staleExpectVersionExits75() throws {
        let sb = try Sandbox("conflict")
        defer { sb.cleanUp() }
        try sb.initStore()
        let c = try sb.addCustomer(name: "Vera Version", email: "vera@example.com")
        let id = try #require(str(c, "id"))
        let updated = try sb.ok(["customers", "update", id, "--name", "Vera V.", "--expect-version", "1", "--json"]).jsonObject()
        #expect(updated["version"] as? Int == 2)
        let r = try sb.fails(75, ["customers", "update", id, "--name", "Vera Stale", "--expect-version", "1"])
        #expect(r.err.contains("version"), "\(r)")
        // The service says what to do (show it again, it is at version 2); the CLI names the flag.
        #expect(r.err.contains("--expect-version 2"), "\(r)")
        // Not found: the service names the record; the CLI names the command that lists them.
        let missing = try sb.fails(66, ["customers", "show", "C9999999"])
        #expect(missing.err.contains("no customer C9999999: list them with 'lgadmin customers list'"), "\(missing)")
        let shown = try sb.ok(["customers", "show", id, "--json"]).jsonObject()
        #expect(str(shown, "name") == "Vera V.", "a refused update changes nothing")
        #expect(shown["version"] as? Int == 2)
    }

    @Test func rolesAreEnforcedWith77() throws {
        let sb = try Sandbox("denied")
        defer { sb.cleanUp() }
        try sb.initStore()
        try sb.ok(["users", "grant", "sam", "support"])
        try sb.ok(["users", "grant", "aud", "auditor"])
        let c = try sb.addCustomer(name: "Role Play", email: "role@example.com")
        let id = try #require(str(c, "id"))

        try sb.fails(77, ["moderation", "block", "R000001", "--ground", "harm-company", "--note", "no", "--as", "sam"])
        try sb.fails(77, ["users", "grant", "sam", "admin", "--as", "sam"])
        try sb.fails(77, ["store", "compact", "--as", "sam"])
        try sb.fails(77, ["customers", "add", "--name", "Aud Add", "--email", "aud@example.com", "--as", "aud"])
        try sb.fails(77, ["customers", "note", id, "hello", "--as", "aud"])
        let nobody = try sb.fails(77, ["customers", "list", "--as", "nobody-here"])
        #expect(nobody.err.contains("nobody-here"), "\(nobody)")
        #expect(nobody.err.contains("'lgadmin users grant nobody-here ROLE'"), "the CLI words the remedy: \(nobody)")
        try sb.fails(77, ["customers", "add", "--name", "Ghost", "--email", "ghost@example.com", "--as", "nobody-here"])
        // What the roles may do still works.
        try sb.ok(["customers", "note", id, "called back", "--as", "sam"])
        try sb.ok(["audit", "verify", "--as", "aud"])
        try sb.ok(["customers", "list", "--as", "aud"])
        // Nothing was written by the refusals.
        #expect(try sb.ok(["customers", "list", "--json"]).jsonArray().count == 1)
        let users = try sb.ok(["users", "list", "--json"]).jsonArray()
        #expect(users.first { str($0, "id") == "sam" }.flatMap { str($0, "role") } == "support")
        try sb.auditVerifies()
    }
}
