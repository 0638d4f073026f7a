import PrivacyOps

/// The console's words for what the service says to do about an error: keys and screens here,
/// and a command only for what the console cannot do itself (checking the store's files).
extension OpsError {
    /// One line for the flash line, a form or a pane.
    var consoleText: String { problem.consoleText }
}

extension OpsProblem {
    var consoleText: String {
        guard let remedy else { return text }
        return text + ": " + remedy.consoleWording
    }
}

extension OpsRemedy {
    var consoleWording: String {
        switch self {
        case .listRecords(let kind): return "it is not in the list any more; press R to refresh the \(kind.singular) list"
        case .reloadAndRetry: return "press R to show it as it is now, then try again"
        case .runStoreCheck: return "quit and run 'lgadmin store check' to see what a repair would discard"
        case .repairAgain: return "quit and run 'lgadmin store check --repair' again"
        case .createStore: return neutralWording
        case .askAdminToGrant(let user): return "ask an admin to give \(user) a role"
        case .needsRole: return neutralWording
        case .removeCardNumber: return "remove it and try again"
        case .correctValue: return "correct it and try again"
        }
    }
}
