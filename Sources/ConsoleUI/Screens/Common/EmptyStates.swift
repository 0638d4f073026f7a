import PrivacyOps

/// What an empty list says: why it is empty and what to do, in the words of the user's role
/// (what they may do is the service's answer, through ``ConsoleSession/may(_:)``).
enum EmptyStates {
    /// A filter that matches nothing.
    static func noMatch(_ filter: String) -> String {
        "Nothing matches \"\(filter)\". Esc clears the filter."
    }

    static func customers(_ session: ConsoleSession, filter: String, status: CustomerStatus?) -> String {
        if !filter.isEmpty { return noMatch(filter) }
        if let status { return "No \(status.rawValue) customers. :customers shows them all." }
        if session.may(.customersAdd) {
            return "No customers yet. Press A to add one, or import many with 'lgadmin customers import FILE.csv'."
        }
        return "No customers yet: support staff and admins add them."
    }

    static func optOuts(_ session: ConsoleSession, filter: String, queue: OptOutQueue) -> String {
        if !filter.isEmpty { return noMatch(filter) }
        if case .state(let state) = queue { return "No \(state.rawValue) opt-out requests. :optouts shows the open queue." }
        if session.may(.optoutsIngest) {
            return "No opt-out requests. New ones arrive from the contact form; 'lgadmin optouts ingest' takes them in (this console does every few seconds)."
        }
        return "No opt-out requests. New ones arrive from the contact form; support staff take them in."
    }

    static func reports(_ session: ConsoleSession, filter: String, state: ReportState?) -> String {
        if !filter.isEmpty { return noMatch(filter) }
        if let state { return "No \(state.rawValue) reports. :reports shows them all." }
        if session.may(.reportsFile) {
            return "No reports. File one on a communication from a customer's detail (1, Enter on the customer, then f), or with 'lgadmin reports file'."
        }
        return "No reports. Support staff, moderators and admins file them on customers' communications."
    }

    static func disclosures(_ session: ConsoleSession, filter: String, queue: DisclosureQueue) -> String {
        if !filter.isEmpty { return noMatch(filter) }
        if queue != .all { return "No \(queue.label) disclosures. :disclosures shows the whole queue." }
        if session.may(.disclosuresRecord) {
            return "No disclosure requests. Press A to record one (from law enforcement, a court, an agency or a customer)."
        }
        return "No disclosure requests: admins record them as they arrive."
    }
}
