import Foundation
import Testing

// Assets/help/first-steps.md (which the README points to) names real commands: each runs on a
// fresh demo store as the role its section names.

@Suite("First steps per role")
struct FirstStepsTests {
    /// Splits a command line as the shell would for these lines: words, "double quotes", no escapes.
    static func words(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var any = false
        for ch in line {
            if ch == "\"" { quoted.toggle(); any = true; continue }
            if ch == " ", !quoted {
                if any { out.append(current) }
                current = ""
                any = false
            } else {
                current.append(ch)
                any = true
            }
        }
        if any { out.append(current) }
        return out
    }

    @Test("every command of Assets/help/first-steps.md runs on the demo store as its role")
    func firstStepsRun() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Assets/help/first-steps.md")
        let text = try String(contentsOf: file, encoding: .utf8)
        let s = try Sandbox("first-steps")
        defer { s.cleanUp() }
        try s.ok(["demo", "--customers", "50", "--no-console"])
        var user: String?
        var ran: [String: Int] = [:]
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("## "), let r = line.range(of: #"--as (\w+)"#, options: .regularExpression) {
                user = String(line[r].dropFirst("--as ".count))
                continue
            }
            guard line.hasPrefix("lgadmin "), let user else { continue }
            let parts = line.components(separatedBy: "  #")
            let expected: Int32 = parts.count > 1 && parts[1].contains("exit 1") ? 1 : 0
            let args = Array(Self.words(parts[0]).dropFirst()) + ["--as", user]
            let r = try s.run(args)
            #expect(r.status == expected, "\(line) as \(user)\n\(r)")
            #expect(!r.stdout.isEmpty || args.first == "optouts", "\(line) printed nothing\n\(r)")
            ran[user, default: 0] += 1
        }
        #expect(Set(ran.keys) == ["sam", "mo", "root", "aud"], "sections found: \(ran)")
        #expect(ran.values.allSatisfy { $0 >= 3 }, "\(ran)")
    }
}
