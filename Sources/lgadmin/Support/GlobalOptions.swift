import ArgumentParser
import Foundation
import PrivacyOps

/// Options every store command takes.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store: a directory, or a postgres:// URL (default: $LGADMIN_STORE, else /var/lib/lgadmin).", valueName: "store"))
    var store: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Act as another user (root only).", valueName: "user"))
    var asUser: String?

    /// The store path: --store, else $LGADMIN_STORE, else the production path.
    var path: String {
        if let store, !store.isEmpty { return store }
        if let env = ProcessInfo.processInfo.environment["LGADMIN_STORE"], !env.isEmpty { return env }
        return "/var/lib/lgadmin"
    }

    func actor() throws -> ActorIdentity {
        try ActorIdentity.current().acting(as: asUser)
    }

    /// Opens the store as the acting user.
    func open(readOnly: Bool = false) throws -> PrivacyOps {
        let actor = try actor()
        return try PrivacyOps.open(at: path, actor: actor, readOnly: readOnly)
    }
}

/// `--json` for commands that print records.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of aligned text.")
    var json = false
}

/// Runs a command body, turning PrivacyOps errors into one line on stderr and the exit code of
/// DESIGN.md §5.
func perform(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as OpsError {
        Output.error(e.cliMessage)
        throw ExitCode(e.exitCode)
    } catch let e as ExitCode {
        throw e
    } catch {
        let e = OpsError.from(error)
        Output.error(e.cliMessage)
        throw ExitCode(e.exitCode)
    }
}
