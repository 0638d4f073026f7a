import ArgumentParser
import Foundation
import PrivacyOps

@main
struct LGAdmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lgadmin",
        abstract: "Loopgalaxy.com privacy operations: customers, opt-outs, moderation, disclosures, reports, audit.",
        discussion: """
        Without a subcommand, lgadmin opens the console. Every command takes --store DIR \
        (default $LGADMIN_STORE, else /var/lib/lgadmin); root may add --as USER.

        Exit codes: 0 ok, 1 failure, 64 usage, 65 invalid data, 66 no such record or store, \
        75 conflict or read-only store, 77 permission denied.

        Examples:
          lgadmin demo             # a demo store in ./lgadmin-demo, then the console
          lgadmin customers list --filter "zoe muller"
          lgadmin optouts list --state pending
          lgadmin policy check
        """,
        subcommands: [
            ConsoleCommand.self, InitCommand.self, DemoCommand.self, CustomersCommand.self, OptOutsCommand.self,
            MailingCommand.self, CommsCommand.self, ReportsCommand.self, ModerationCommand.self, DisclosuresCommand.self,
            TransparencyCommand.self, PolicyCommand.self,
            UsersCommand.self, AuditCommand.self, StoreCommand.self, TrafficCommand.self, GenerateManualCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )

    /// Runs the command line as swift-argument-parser does, with two differences DESIGN.md §5
    /// asks for: the global options `--store` and `--as` may also come before the subcommand
    /// (`lgadmin --store DIR customers list`), and a usage error is one line on stderr that
    /// says where the help is, like every other error.
    static func main() {
        let arguments = hoistingGlobalOptions(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            // Commands print their own errors and throw ExitCode; help and completions exit 0.
            if !(error is ExitCode), exitCode(for: error) == .validationFailure {
                var line = oneLineUsageError(error)
                if arguments.first != "console" {
                    // The console is only the default: a mistyped subcommand lands there.
                    line = line.replacingOccurrences(of: "'lgadmin console --help'", with: "'lgadmin --help'")
                }
                Output.error(line)
                Foundation.exit(ExitCode.validationFailure.rawValue)
            }
            if !(error is ExitCode), exitCode(for: error) == .success {
                // Help and completion scripts: printed as ArgumentParser prints them, with the
                // one line it does not wrap (USAGE) wrapped to the terminal's width.
                let text = HelpText.wrappingUsage(fullMessage(for: error), width: HelpText.terminalWidth())
                FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
                Foundation.exit(0)
            }
            exit(withError: error)
        }
    }

    /// Moves `--store DIR` / `--as USER` given before the subcommand to the end of the
    /// arguments (before a `--`), where the subcommand's option group parses them.
    static func hoistingGlobalOptions(_ args: [String]) -> [String] {
        var hoisted: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--store=") || a.hasPrefix("--as=") {
                hoisted.append(a)
                i += 1
            } else if (a == "--store" || a == "--as"), i + 1 < args.count {
                hoisted += [a, args[i + 1]]
                i += 2
            } else {
                break
            }
        }
        guard !hoisted.isEmpty else { return args }
        var rest = Array(args[i...])
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: hoisted, at: end)
        return rest
    }

    /// The parser's message and its "See '… --help'" hint, as one line.
    static func oneLineUsageError(_ error: any Error) -> String {
        func lines(_ s: String) -> [String] {
            s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var text = lines(message(for: error)).joined(separator: " ")
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        if let hint = lines(fullMessage(for: error, columns: 10_000)).first(where: { $0.hasPrefix("See '") }) {
            if let last = text.last, !".?!".contains(last) { text += "." }
            text += " " + hint
        }
        return text.isEmpty ? "invalid command line: see 'lgadmin --help'" : text
    }
}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create an empty store; you become its admin.")
    @OptionGroup var store: StoreOptions

    func run() throws {
        try perform {
            let ops = try PrivacyOps.initialize(at: store.path, actor: try store.actor())
            Output.line("created store \(ops.storePath); \(ops.actor.name) is admin")
        }
    }
}
