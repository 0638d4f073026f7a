/// Every staff action PrivacyOps offers. Its raw value names the action in the audit trail.
///
/// The console greys out, and the service refuses, what ``RoleTable`` does not allow.
public enum Action: String, CaseIterable, Sendable {
    case customersList = "customers.list"
    case customersShow = "customers.show"
    case customersAdd = "customers.add"
    case customersUpdate = "customers.update"
    case customersNote = "customers.note"
    case customersStatus = "customers.status"
    case customersImport = "customers.import"
    case optoutsList = "optouts.list"
    case optoutsShow = "optouts.show"
    case optoutsSubmit = "optouts.submit"
    case optoutsIngest = "optouts.ingest"
    case optoutsApply = "optouts.apply"
    case optoutsNeedInfo = "optouts.need-info"
    case optoutsReject = "optouts.reject"
    case mailingExport = "mailing.export"
    case commsImport = "comms.import-maildir"
    case commsList = "comms.list"
    case commsView = "comms.view"
    /// A message file refused as unsafe or not the message (recorded, never asked for).
    case commsFileRefused = "comms.file-refused"
    case reportsFile = "reports.file"
    case reportsList = "reports.list"
    case reportsShow = "reports.show"
    case reportsConfirm = "reports.confirm"
    case moderationBlock = "moderation.block"
    case moderationUnblock = "moderation.unblock"
    case moderationDelete = "moderation.delete"
    case moderationDismiss = "moderation.dismiss"
    case disclosuresRecord = "disclosures.record"
    case disclosuresUpdate = "disclosures.update"
    case disclosuresApprove = "disclosures.approve"
    case disclosuresRefuse = "disclosures.refuse"
    case disclosuresWithdraw = "disclosures.withdraw"
    case disclosuresRelease = "disclosures.release"
    case disclosuresNotify = "disclosures.notify"
    case disclosuresDelayNotice = "disclosures.delay-notice"
    case disclosuresList = "disclosures.list"
    case disclosuresShow = "disclosures.show"
    /// Generating a transparency report (audited: the period and the SHA-256 of the output).
    case transparencyReport = "transparency.report"
    /// Running the policy check (a read, not audited: see ``PrivacyOps/policyCheck()``).
    case policyCheck = "policy.check"
    case usersGrant = "users.grant"
    case usersRevoke = "users.revoke"
    case usersList = "users.list"
    case auditList = "audit.list"
    case auditVerify = "audit.verify"
    case storeCheck = "store.check"
    case storeScan = "store.scan"
    case storeStats = "store.stats"
    case storeCompact = "store.compact"
    case storeInit = "store.init"
    /// Copying the store into another (`store migrate --to`), audited in the store copied.
    case storeMigrate = "store.migrate"
    case trafficReport = "traffic.report"
    /// Exporting a list as shown to a file (audited: the rows and the SHA-256 of the bytes);
    /// the role must also be allowed to list what it exports.
    case viewExport = "view.export"

    /// Whether the action changes state (and so is refused on a read-only store).
    public var isChange: Bool {
        switch self {
        case .customersList, .customersShow, .optoutsList, .optoutsShow, .commsList, .reportsList,
             .reportsShow, .usersList, .auditList, .auditVerify, .storeCheck, .storeScan, .storeStats,
             .disclosuresList, .disclosuresShow, .policyCheck:
            return false
        default:
            return true
        }
    }
}

/// The role matrix of DESIGN.md §3.
public enum RoleTable {
    public static func allows(_ role: Role, _ action: Action) -> Bool {
        switch action {
        case .customersList, .customersShow, .viewExport:
            return true
        case .customersAdd, .customersUpdate, .customersNote, .customersStatus, .customersImport:
            return role == .admin || role == .support
        case .optoutsList, .optoutsShow:
            return role == .admin || role == .support || role == .auditor
        case .optoutsSubmit, .optoutsIngest, .optoutsApply, .optoutsNeedInfo, .optoutsReject:
            return role == .admin || role == .support
        case .mailingExport:
            return role == .admin
        case .commsList, .reportsFile:
            return role == .admin || role == .support || role == .moderator
        case .commsImport:
            return role == .admin
        case .reportsList, .reportsShow:
            return role == .admin || role == .moderator || role == .auditor
        case .commsView, .commsFileRefused, .reportsConfirm, .moderationBlock, .moderationUnblock, .moderationDelete, .moderationDismiss:
            return role == .admin || role == .moderator
        case .disclosuresRecord, .disclosuresUpdate, .disclosuresApprove, .disclosuresRefuse, .disclosuresWithdraw,
             .disclosuresRelease, .disclosuresNotify, .disclosuresDelayNotice:
            return role == .admin
        case .disclosuresList, .disclosuresShow, .transparencyReport, .policyCheck:
            return role == .admin || role == .auditor
        case .usersGrant, .usersRevoke, .storeCompact, .storeInit, .storeMigrate:
            return role == .admin
        case .trafficReport:
            return role == .admin
        case .usersList, .auditList, .auditVerify, .storeCheck, .storeScan, .storeStats:
            return role == .admin || role == .auditor
        }
    }
}
