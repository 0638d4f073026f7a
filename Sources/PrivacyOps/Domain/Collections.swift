import FlatStore

/// The collections PrivacyOps keeps in its store.
enum Collections {
    static let customers = RecordCollection<Customer>("customers")
    static let notes = RecordCollection<CustomerNote>("notes")
    static let optouts = RecordCollection<OptOutRequest>("optouts")
    static let suppressions = RecordCollection<Suppression>("suppressions")
    static let communications = RecordCollection<Communication>("communications")
    static let reports = RecordCollection<Report>("reports")
    static let audit = RecordCollection<AuditEvent>("audit")
    static let auditHead = RecordCollection<AuditHead>("meta")
    static let counters = RecordCollection<Counter>("counters")
    static let users = RecordCollection<StaffUser>("users")
    static let disclosures = RecordCollection<Disclosure>("disclosures")
}
