import ArgumentParser
import ConsoleUI
import Foundation
import PrivacyOps

struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console", abstract: "Open the console (the default).",
        discussion: """
            Press ? in the console for its keys (the list filters as you type). :export csv|json PATH writes the list shown \
            to a new file (audited). Command history (↑ on : and /) and saved views (:view save NAME) are kept per person \
            in $XDG_STATE_HOME/lgadmin, default ~/.local/state/lgadmin. y copies the current id with OSC 52; inside tmux \
            set set-clipboard on.
            """)
    @Flag(name: .customLong("read-only"), help: "Look, but change nothing.") var readOnly = false
    @Flag(name: .customLong("no-color"), help: "Monochrome (also when NO_COLOR is set).") var noColor = false
    @Option(name: .customLong("traffic-log"), help: ArgumentHelp("An access log for the Traffic screen (repeatable; gzip too).", valueName: "path"))
    var trafficLogs: [String] = []
    @OptionGroup var store: StoreOptions

    func run() throws {
        try perform {
            try ConsoleCommand.open(store: store, readOnly: readOnly, noColor: noColor, trafficLogs: trafficLogs)
        }
    }

    static func open(store: StoreOptions, readOnly: Bool, noColor: Bool, trafficLogs: [String] = []) throws {
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw OpsError.usage("the console needs a terminal: run a subcommand instead (see 'lgadmin --help')")
        }
        let ops = try store.open(readOnly: readOnly)
        let env = ProcessInfo.processInfo.environment
        let mono = noColor || (env["NO_COLOR"].map { !$0.isEmpty } ?? false)
        let code = try ConsoleLauncher.run(ops: ops, readOnly: readOnly, monochrome: mono, trafficLogs: trafficLogs)
        if code != 0 { throw ExitCode(code) }
    }
}

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a realistic demo store if absent, then open the console.",
        discussion: "The store is --store or $LGADMIN_STORE when given, else ./lgadmin-demo (never the production path).")
    @Option(help: "How many customers.") var customers = 2000
    @Option(help: "Seed for the generator: the same seed gives the same store.") var seed: UInt64 = 1
    @Flag(name: .customLong("no-console"), help: "Only create the store.") var noConsole = false
    @Flag(name: .customLong("no-color"), help: "Monochrome (also when NO_COLOR is set).") var noColor = false
    @OptionGroup var store: StoreOptions

    func run() throws {
        try perform {
            var opts = store
            if opts.store == nil, (ProcessInfo.processInfo.environment["LGADMIN_STORE"] ?? "").isEmpty {
                opts.store = FileManager.default.currentDirectoryPath + "/lgadmin-demo"
            }
            let path = opts.path
            if PrivacyOps.storeExists(at: path) {
                FileHandle.standardError.write(Data("using the demo store at \(path)\n".utf8))
            } else {
                guard customers >= 50, customers <= 5_000_000 else { throw OpsError.usage("--customers must be between 50 and 5000000") }
                let tty = isatty(2) == 1
                let gen = DemoGenerator(customers: customers, seed: seed) { step in
                    FileHandle.standardError.write(Data(((tty ? "\r\u{1B}[K" : "") + "demo: " + step + (tty ? "" : "\n")).utf8))
                }
                // The person running the command creates the store (and is its first admin);
                // --as only chooses who the console then opens for, as on an existing store.
                _ = try opts.actor()  // refuses --as from anyone but root before anything is made
                let s = try gen.create(at: path, actor: ActorIdentity.current())
                FileHandle.standardError.write(Data(((tty ? "\r\u{1B}[K" : "") + "created \(path): \(s.customers) customers, \(s.optOuts) opt-outs (\(s.spooled) more waiting in the spool), \(s.messages) messages, \(s.openReports) open reports, \(s.disclosures) disclosures; staff: \(s.users.joined(separator: ", "))" + (s.accessLogs.isEmpty ? "" : "; web access logs in \(PrivacyOps.filesDirectory(forStore: path))/demo-access-logs") + "\n").utf8))
            }
            if !noConsole {
                // The Traffic screen reports on the demo's access logs.
                let logsDir = PrivacyOps.filesDirectory(forStore: path) + "/demo-access-logs"
                let logs = ((try? FileManager.default.contentsOfDirectory(atPath: logsDir)) ?? []).sorted().map { logsDir + "/" + $0 }
                try ConsoleCommand.open(store: opts, readOnly: false, noColor: noColor, trafficLogs: logs)
            }
        }
    }
}
