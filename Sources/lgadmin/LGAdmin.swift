import ArgumentParser
import Foundation
import PrivacyOps

@main
struct LGAdmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lgadmin",
        abstract: "Loopgalaxy.com privacy operations: customers, opt-outs, moderation, audit.",
        discussion: """
        Without a subcommand, lgadmin opens the console. Every command takes --store DIR
        (default $LGADMIN_STORE, else /var/lib/lgadmin); root may add --as USER.
        Exit codes: 0 ok, 1 failure, 64 usage, 65 invalid data, 66 no such record or store,
        75 conflict or read-only store, 77 permission denied.
        """,
        subcommands: [
            ConsoleCommand.self, InitCommand.self, DemoCommand.self, CustomersCommand.self, OptOutsCommand.self,
            MailingCommand.self, CommsCommand.self, ReportsCommand.self, ModerationCommand.self,
            UsersCommand.self, AuditCommand.self, StoreCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )
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
