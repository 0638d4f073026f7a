
/// The collections PrivacyOps keeps in its store.
enum Collections {
    static let customers = RecordKind<Customer>("customers")
    static let notes = RecordKind<CustomerNote>("notes")
    static let optouts = RecordKind<OptOutRequest>("optouts")
    static let suppressions = RecordKind<Suppression>("suppressions")
    static let communications = RecordKind<Communication>("communications")
    static let reports = RecordKind<Report>("reports")
    static let audit = RecordKind<AuditEvent>("audit")
    static let auditHead = RecordKind<AuditHead>("meta")
    static let counters = RecordKind<Counter>("counters")
    static let users = RecordKind<StaffUser>("users")
    static let disclosures = RecordKind<Disclosure>("disclosures")
}
