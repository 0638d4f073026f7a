import PrivacyOps

/// The command line's words for what the service says to do about an error: the commands and
/// flags to use. The service names no command (``OpsRemedy``); this is where they are named.
extension OpsError {
    /// One line for stderr: what went wrong, then what to do, as commands.
    var cliMessage: String { problem.cliText }
}

extension OpsProblem {
    var cliText: String {
        guard let remedy else { return text }
        return text + ": " + remedy.cliWording
    }
}

extension OpsRecordKind {
    /// The command that lists records of this kind.
    var listCommand: String {
        switch self {
        case .customer: return "lgadmin customers list"
        case .optOut: return "lgadmin optouts list"
        case .report: return "lgadmin reports list"
        case .communication: return "lgadmin comms list"
        case .disclosure: return "lgadmin disclosures list"
        case .user: return "lgadmin users list"
        case .auditEvent: return "lgadmin audit list"
        case .record: return "lgadmin store stats"
        }
    }
}

extension OpsRemedy {
    var cliWording: String {
        switch self {
        case .listRecords(let kind): return "list them with '\(kind.listCommand)'"
        case .reloadAndRetry(let v?): return "show it again and retry (with --expect-version \(v) to refuse any further change)"
        case .reloadAndRetry(nil): return "show it again and retry"
        case .runStoreCheck: return "run 'lgadmin store check' to see what a repair would discard"
        case .repairAgain: return "run 'lgadmin store check --repair' again"
        case .createStore(let location): return "create one with 'lgadmin init --store \(location)', or try 'lgadmin demo'"
        case .askAdminToGrant(let user): return "ask an admin to run 'lgadmin users grant \(user) ROLE'"
        case .needsRole: return neutralWording
        case .removeCardNumber: return "remove it and try again"
        case .correctValue: return "correct it and try again"
        }
    }
}
