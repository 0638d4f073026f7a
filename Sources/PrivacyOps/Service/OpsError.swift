
/// A refusal or failure from PrivacyOps, with the exit code of DESIGN.md §5 and a message that
/// says what was wrong and what to do.
public enum OpsError: Error, Sendable, Equatable {
    /// Bad command-line use (64).
    case usage(String)
    /// Invalid data: validation, card numbers (65).
    case invalid(String)
    /// No such record or store (66).
    case notFound(String)
    /// The record changed since the expected version, or the store is read-only (75).
    case conflict(String)
    /// The actor may not do this (77).
    case denied(String)
    /// Anything else: I/O, corruption (1).
    case failure(String)

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

    public var message: String {
        switch self {
        case .usage(let m), .invalid(let m), .notFound(let m), .conflict(let m), .denied(let m), .failure(let m):
            return m
        }
    }

    /// Translates an engine error.
    public static func from(_ error: any Error) -> OpsError {
        if let e = error as? OpsError { return e }
        if let e = error as? StoreError {
            switch e {
            case .noStore(let location):
                return .notFound("no store at \(location): create one with 'lgadmin init --store \(location)' or 'lgadmin demo'")
            case .alreadyExists(let location):
                return .invalid("a store already exists at \(location): open it, or choose another directory")
            case .conflict(let c, let id, let expected, let actual):
                let now = actual == 0 ? "it no longer exists" : "it is now at version \(actual)"
                return .conflict("\(c) \(id) changed since version \(expected) (\(now)): reload it and try again")
            case .changedSinceCheck(let location):
                return .conflict("the store at \(location) changed since it was checked; nothing was repaired: run 'lgadmin store check --repair' again")
            case .readOnly(let reason): return .conflict("the store is read-only: \(reason)")
            case .invalid(let why): return .invalid(why)
            case .unreadable(let c, let id, let reason): return .invalid("\(c) \(id) \(reason)")
            case .failed(let what): return .failure(what)
            case .damaged(let place, let reason):
                return .failure("\(place) is damaged (\(reason)): run 'lgadmin store check' to see what a repair would discard")
            }
        }
        return .failure("\(error)")
    }
}

extension OpsError: CustomStringConvertible {
    public var description: String { message }
}
