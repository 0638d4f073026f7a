/// Who a mailing list may go to: the one rule every export applies and the policy check
/// re-checks (DESIGN.md §2: `service-bulletins` ignores marketing opt-outs; `newsletter`,
/// `product-notices` and `partner-offers` honour them, for the exact contact point).
public enum MailingRules {
    /// Whether `list` goes to contact point `point` of a customer with `status`, given the
    /// scopes suppressed for that point (`suppressed`, empty when none): closed accounts get
    /// nothing, suspended ones only bulletins, and a list with an opt-out scope leaves out a
    /// point suppressed for that scope.
    public static func includes(_ list: MailingList, status: CustomerStatus, suppressed: [OptOutScope],
                                scopeOf: (MailingList) -> OptOutScope? = { $0.scope }) -> Bool {
        if status == .closed { return false }
        if status == .suspended, list != .serviceBulletins { return false }
        if let scope = scopeOf(list), suppressed.contains(scope) { return false }
        return true
    }

    /// Whether opt-outs are ignored by `list` (only `service-bulletins`, by the policy).
    public static func ignoresOptOuts(_ list: MailingList, scopeOf: (MailingList) -> OptOutScope? = { $0.scope }) -> Bool {
        scopeOf(list) == nil
    }
}
