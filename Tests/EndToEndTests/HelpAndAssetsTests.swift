import Foundation
import Harness
import Testing

// `--help` for every command, and the generated files in Assets/ (man page, shell completions)
// checked against what the built binary generates now, so they cannot go stale.

/// One command of the tree, as `lgadmin --experimental-dump-help` describes it.
private struct DumpedCommand: Decodable {
    struct Argument: Decodable {
        struct Name: Decodable { var kind: String; var name: String }
        var kind: String
        var shouldDisplay: Bool
        var names: [Name]?
        var valueName: String?
        var defaultValue: String?
        var abstract: String?
    }
    var commandName: String
    var shouldDisplay: Bool?
    var subcommands: [DumpedCommand]?
    var arguments: [Argument]?
}

private struct DumpedTool: Decodable { var command: DumpedCommand }

/// The repository's root, from this file's path (Tests/EndToEndTests/…).
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite("Help text and generated assets")
struct HelpAndAssetsTests {
    /// Every command the user can see, as argument paths (`[]` is lgadmin itself), with its definition.
    private static func commands(_ sandbox: Sandbox) throws -> [([String], DumpedCommand)] {
        let r = try sandbox.run(["--experimental-dump-help"])
        try #require(r.status == 0, "\(r)")
        let tool = try JSONDecoder().decode(DumpedTool.self, from: r.stdout)
        var out: [([String], DumpedCommand)] = []
        func walk(_ c: DumpedCommand, _ path: [String]) {
            out.append((path, c))
            for s in c.subcommands ?? [] where (s.shouldDisplay ?? true) && s.commandName != "help" {
                walk(s, path + [s.commandName])
            }
        }
        walk(tool.command, [])
        return out
    }

    @Test("every command's arguments and options have a description, and a default is stated once")
    func everyOptionDescribed() throws {
        let sandbox = try Sandbox("help")
        defer { sandbox.cleanUp() }
        let all = try Self.commands(sandbox)
        #expect(all.count > 50, "the command tree looks too small: \(all.map { $0.0.joined(separator: " ") })")
        for (path, c) in all {
            for a in c.arguments ?? [] where a.shouldDisplay {
                let label = a.names?.first.map { "--" + $0.name } ?? "<\(a.valueName ?? "?")>"
                let where_ = "lgadmin \(path.joined(separator: " ")) \(label)"
                #expect(!(a.abstract ?? "").trimmingCharacters(in: .whitespaces).isEmpty, "\(where_) has no description")
                if let d = a.defaultValue, !d.isEmpty, a.kind != "flag" {
                    // ArgumentParser prints "(default: …)" itself: the text must not say it again.
                    #expect(!(a.abstract ?? "").lowercased().contains("default"),
                            "\(where_) states its default twice: \(a.abstract ?? "")")
                }
            }
        }
    }

    /// The lines of a help screen that start an argument or option entry, each with whether a
    /// description follows (on the same line, or indented on the next).
    static func entriesWithoutDescription(_ help: String) -> [String] {
        let lines = help.components(separatedBy: "\n")
        var missing: [String] = []
        var inList = false
        for (i, line) in lines.enumerated() {
            if line.hasSuffix(":"), !line.hasPrefix(" ") {
                inList = ["ARGUMENTS:", "OPTIONS:"].contains(line) || line.hasSuffix("OPTIONS:")
                continue
            }
            guard inList, line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            let body = line.dropFirst(2)
            guard body.first == "-" || body.first == "<" else { continue }
            // The label: names (-h, --help) or <value>, then an optional <value> and "...".
            let label = body.range(of: #"^(-[\w-]+(, -[\w-]+)*|<[^>]+>)( <[^>]+>)?( \.\.\.)?"#, options: .regularExpression)
            let rest = label.map { body[$0.upperBound...] } ?? body[...]
            let sameLine = !rest.trimmingCharacters(in: .whitespaces).isEmpty
            let next = i + 1 < lines.count ? lines[i + 1] : ""
            let continued = next.hasPrefix("   ") && !next.trimmingCharacters(in: .whitespaces).isEmpty
            if !sameLine && !continued { missing.append(line) }
        }
        return missing
    }

    @Test("entry check catches an option line without a description")
    func entryCheckCanFail() {
        let help = "OPTIONS:\n  --name <name>\n  --email <email>         Main e-mail address.\n  -h, --help              Show help.\n"
        #expect(Self.entriesWithoutDescription(help) == ["  --name <name>"])
    }

    @Test("--help of every command exits 0, describes every entry and fits the width COLUMNS gives",
          arguments: [80, 60])
    func everyHelpFits(columns: Int) throws {
        let sandbox = try Sandbox("help")
        defer { sandbox.cleanUp() }
        let all = try Self.commands(sandbox)
        for (path, _) in all {
            let r = try sandbox.run(path + ["--help"], env: ["COLUMNS": String(columns)])
            let name = "COLUMNS=\(columns) lgadmin \(path.joined(separator: " ")) --help"
            #expect(r.status == 0, "\(name)\n\(r)")
            #expect(r.out.contains("USAGE:"), "\(name) printed no usage\n\(r)")
            for line in r.out.components(separatedBy: "\n") where line.count > columns {
                Issue.record("\(name): a line of \(line.count) columns: \(line)")
            }
            for line in Self.entriesWithoutDescription(r.out) {
                Issue.record("\(name): no description for \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }

    @Test("each command group's help has examples that name real subcommands")
    func groupsHaveExamples() throws {
        let sandbox = try Sandbox("help")
        defer { sandbox.cleanUp() }
        let all = try Self.commands(sandbox)
        let groups = ["customers", "optouts", "mailing", "comms", "reports", "moderation", "disclosures",
                      "transparency", "policy", "users", "audit", "store", "traffic"]
        for g in groups {
            let subs = Set((all.first { $0.0 == [g] }?.1.subcommands ?? []).map(\.commandName))
            #expect(!subs.isEmpty, "no command group \(g)")
            let r = try sandbox.run([g, "--help"], env: ["COLUMNS": "200"])
            let text = r.out
            #expect(text.contains("Examples:"), "lgadmin \(g) --help has no examples\n\(r)")
            let examples = text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("lgadmin \(g) ") }
            #expect(!examples.isEmpty, "lgadmin \(g) --help: no example runs lgadmin \(g)")
            for e in examples {
                let sub = e.split(separator: " ")[2]
                #expect(subs.contains(String(sub)), "example names no subcommand of \(g): \(e)")
            }
        }
    }

    /// Compares a committed asset with what the binary prints for `arguments`.
    private func expectAsset(_ relativePath: String, generatedBy arguments: [String]) throws {
        let sandbox = try Sandbox("assets")
        defer { sandbox.cleanUp() }
        let r = try sandbox.run(arguments)
        try #require(r.status == 0, "\(r)")
        let url = repositoryRoot.appendingPathComponent(relativePath)
        let committed = try #require(try? Data(contentsOf: url), "\(relativePath) is missing: run 'lgadmin \(arguments.joined(separator: " ")) > \(relativePath)'")
        #expect(!r.stdout.isEmpty)
        #expect(committed == r.stdout, """
            \(relativePath) is stale: regenerate it with 'swift build && .build/debug/lgadmin \
            \(arguments.joined(separator: " ")) > \(relativePath)' and commit it
            """)
    }

    @Test("Assets/man/lgadmin.1 is what 'lgadmin generate-manual' prints now")
    func manPageIsCurrent() throws {
        try expectAsset("Assets/man/lgadmin.1", generatedBy: ["generate-manual"])
    }

    @Test("the man page documents every visible command and every option")
    func manPageCoversTheTree() throws {
        let sandbox = try Sandbox("assets")
        defer { sandbox.cleanUp() }
        let page = try sandbox.run(["generate-manual"]).out
        #expect(page.hasPrefix(".\\\""))
        #expect(page.contains(".TH LGADMIN 1"))
        for (path, c) in try Self.commands(sandbox) where !path.isEmpty && (c.subcommands ?? []).isEmpty {
            #expect(page.contains(".SS \"lgadmin \(path.joined(separator: " ").replacingOccurrences(of: "-", with: "\\-"))\""),
                    "no section for lgadmin \(path.joined(separator: " "))")
            for a in c.arguments ?? [] where a.shouldDisplay {
                guard let long = a.names?.first(where: { $0.kind == "long" })?.name else { continue }
                #expect(page.contains("\\fB\\-\\-" + long.replacingOccurrences(of: "-", with: "\\-") + "\\fR"),
                        "the man page does not mention --\(long) (lgadmin \(path.joined(separator: " ")))")
            }
        }
        #expect(!page.contains("generate\\-manual"), "the hidden generator is documented")
    }

    @Test("the completion scripts in Assets/completions are what the binary generates now",
          arguments: [("bash", "Assets/completions/lgadmin.bash"), ("zsh", "Assets/completions/_lgadmin"),
                      ("fish", "Assets/completions/lgadmin.fish")])
    func completionsAreCurrent(shell: String, path: String) throws {
        try expectAsset(path, generatedBy: ["--generate-completion-script", shell])
    }

    @Test("the bash completion script parses and completes lgadmin's commands")
    func bashCompletionParses() throws {
        let script = repositoryRoot.appendingPathComponent("Assets/completions/lgadmin.bash").path
        let probe = "source '\(script)' && COMP_WORDS=(lgadmin cust) COMP_CWORD=1 COMP_LINE='lgadmin cust' COMP_POINT=12 && "
            + "_lgadmin lgadmin cust lgadmin && printf '%s\\n' \"${COMPREPLY[@]}\""
        let (status, out, err) = try ChildProcess.run("/bin/bash", ["--norc", "-c", probe], environment: [:],
                                                      currentDirectory: "/", stdin: .null, timeout: 30)
        let text = String(decoding: out, as: UTF8.self)
        #expect(status.shellStatus == 0, "bash: \(String(decoding: err, as: UTF8.self))")
        #expect(text.split(separator: "\n").contains("customers"), "bash completed 'lgadmin cust' to: \(text)")
    }
}
