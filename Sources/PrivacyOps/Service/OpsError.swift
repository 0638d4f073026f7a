/// A refusal or failure from PrivacyOps, with the exit code of DESIGN.md §5 and an
/// ``OpsProblem``: what was wrong, the record and field it concerns, and what to do about it as
/// a ``OpsRemedy`` that each front end words for itself (the service does not speak in
/// command-line flags or keys).
public enum OpsError: Error, Sendable, Equatable {
    /// Bad command-line use (64).
    case usage(OpsProblem)
    /// Invalid data: validation, card numbers (65).
    case invalid(OpsProblem)
    /// No such record or store (66).
    case notFound(OpsProblem)
    /// The record changed since the expected version, or the store is read-only (75).
    case conflict(OpsProblem)
    /// The actor may not do this (77).
    case denied(OpsProblem)
    /// Anything else: I/O, corruption (1).
    case failure(OpsProblem)

    public var exitCode: Int32 {
        switch self {
        case .usage: return 64
        case .invalid: return 65
        case .notFound: return 66
        case .conflict: return 75
        case .denied: return 77
        case .failure: return 1
        }
    }

    /// What went wrong, with its record, field and remedy.
    public var problem: OpsProblem {
        switch self {
        case .usage(let p), .invalid(let p), .notFound(let p), .conflict(let p), .denied(let p), .failure(let p):
            return p
        }
    }

    /// The problem and its remedy in words that name no front end's commands (for audit
    /// details, reasons listed beside ids, and front ends without a wording of their own).
    public var message: String { problem.neutralText }

    /// Translates a store backend's error (``StoreError``); an ``OpsError`` is returned as it is.
    public static func from(_ error: any Error) -> OpsError {
        if let e = error as? OpsError { return e }
        if let e = error as? StoreError {
            switch e {
            case .noStore(let location):
                return .notFound(OpsProblem("no store at \(location)", remedy: .createStore(location: location)))
            case .alreadyExists(let location):
                return .invalid("a store already exists at \(location): open it, or choose another place")
            case .conflict(let c, let id, let expected, let actual):
                return .conflict(.changed(collection: c, id: id, expected: expected, actual: actual))
            case .changedSinceCheck(let location):
                return .conflict(OpsProblem("the store at \(location) changed since it was checked; nothing was repaired", remedy: .repairAgain))
            case .readOnly(let reason): return .conflict("the store is read-only: \(reason)")
            case .invalid(let why): return .invalid(OpsProblem(why))
            case .unreadable(let c, let id, let reason):
                return .invalid(OpsProblem("\(c) \(id) \(reason)", record: OpsRecordRef(collection: c, id: id), remedy: .runStoreCheck))
            case .failed(let what): return .failure(OpsProblem(what))
            case .damaged(let place, let reason):
                return .failure(OpsProblem("\(place) is damaged (\(reason))", remedy: .runStoreCheck))
            }
        }
        return .failure(OpsProblem("\(error)"))
    }
}

extension OpsError: CustomStringConvertible {
    public var description: String { message }
}

/// What went wrong: the words for it (``text``, which says what happened, never which command
/// to run), the record and field it concerns where there is one, and what to do
/// (``remedy``), which each front end words.
///
/// Written from a string (`OpsError.invalid("…")`), it is just the text: such messages still
/// carry their own advice (see ``isStructured``).
public struct OpsProblem: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public var text: String
    public var record: OpsRecordRef?
    /// The field at fault (`name`, `email`, `phone`, `address`, `services`, …).
    public var field: String?
    public var remedy: OpsRemedy?

    public init(_ text: String, record: OpsRecordRef? = nil, field: String? = nil, remedy: OpsRemedy? = nil) {
        self.text = text
        self.record = record
        self.field = field
        self.remedy = remedy
    }

    public init(stringLiteral value: String) { self.init(value) }
    public init(stringInterpolation: DefaultStringInterpolation) { self.init(String(stringInterpolation: stringInterpolation)) }

    /// Whether a record, field or remedy was given (not only words).
    public var isStructured: Bool { record != nil || field != nil || remedy != nil }

    /// The text, then the remedy in words that name no command.
    public var neutralText: String {
        guard let remedy else { return text }
        return text + ": " + remedy.neutralWording
    }

    public var description: String { neutralText }

    /// No record of `kind` with this id.
    static func missing(_ kind: OpsRecordKind, _ id: String) -> OpsProblem {
        OpsProblem("no \(kind.singular) \(id)", record: OpsRecordRef(kind: kind, id: id), remedy: .listRecords(kind))
    }

    /// A record moved on since the version the change was built from.
    static func changed(_ kind: OpsRecordKind, _ id: String, expected: Int, actual: Int) -> OpsProblem {
        let now = actual == 0 ? "it no longer exists" : "it is now at version \(actual)"
        return OpsProblem("\(kind.singular) \(id) changed since version \(expected) (\(now))",
                          record: OpsRecordRef(kind: kind, id: id), remedy: .reloadAndRetry(currentVersion: actual == 0 ? nil : actual))
    }

    /// The store's conflict on one record of a collection.
    static func changed(collection: String, id: String, expected: Int, actual: Int) -> OpsProblem {
        let now = actual == 0 ? "it no longer exists" : "it is now at version \(actual)"
        return OpsProblem("\(collection) \(id) changed since version \(expected) (\(now))",
                          record: OpsRecordRef(collection: collection, id: id), remedy: .reloadAndRetry(currentVersion: actual == 0 ? nil : actual))
    }
}

/// The kinds of record an error can name.
public enum OpsRecordKind: String, Sendable, Equatable, CaseIterable {
    case customer, optOut = "opt-out request", report, communication, disclosure, user, auditEvent = "audit event"
    /// A record kept by the store with no kind of its own here (counters, the chain's head).
    case record

    /// "customer", "opt-out request", …
    public var singular: String { rawValue }

    /// The kind of the records of a collection of the store.
    init(collection: String) {
        switch collection {
        case "customers": self = .customer
        case "optouts": self = .optOut
        case "reports": self = .report
        case "communications": self = .communication
        case "disclosures": self = .disclosure
        case "users": self = .user
        case "audit": self = .auditEvent
        default: self = .record
        }
    }
}

/// A record named by an error.
public struct OpsRecordRef: Sendable, Equatable {
    public var kind: OpsRecordKind
    public var id: String

    public init(kind: OpsRecordKind, id: String) {
        self.kind = kind
        self.id = id
    }

    init(collection: String, id: String) {
        self.init(kind: OpsRecordKind(collection: collection), id: id)
    }
}

/// What to do about a problem; each front end words it (a command on the command line, a key in
/// the console).
public enum OpsRemedy: Sendable, Equatable {
    /// Look the record up among the records of its kind: the id given names none.
    case listRecords(OpsRecordKind)
    /// Show the record again (it is now at `currentVersion`, nil when it is gone) and retry.
    case reloadAndRetry(currentVersion: Int?)
    /// The store's storage is damaged or unreadable: check it (and repair what the check lists).
    case runStoreCheck
    /// The store changed between the check shown and the repair: check and repair again.
    case repairAgain
    /// Create a store there (or a demo store).
    case createStore(location: String)
    /// The user is not staff in this store: an admin must grant them a role.
    case askAdminToGrant(user: String)
    /// The action needs one of these roles.
    case needsRole([Role])
    /// Remove the card number from the value and try again.
    case removeCardNumber
    /// Give a value of the expected shape (the text says which).
    case correctValue

    /// Words naming no command.
    public var neutralWording: String {
        switch self {
        case .listRecords(let kind): return "look the \(kind.singular) up among those listed"
        case .reloadAndRetry: return "show it again and retry"
        case .runStoreCheck: return "check the store to see what a repair would discard"
        case .repairAgain: return "check it and repair again"
        case .createStore: return "create a store there, or a demo store"
        case .askAdminToGrant(let user): return "ask an admin to grant \(user) a role"
        case .needsRole(let roles): return "it needs one of the roles " + roles.map(\.rawValue).joined(separator: ", ")
        case .removeCardNumber: return "remove it and try again"
        case .correctValue: return "correct it and try again"
        }
    }
}
