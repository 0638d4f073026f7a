import FlatStore

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
        if let e = error as? FlatStoreError {
            switch e {
            case .noStore: return .notFound(e.description)
            case .alreadyExists: return .invalid(e.description)
            case .conflict, .changedSinceCheck: return .conflict(e.description)
            case .readOnly: return .conflict(e.description)
            case .invalid: return .invalid(e.description)
            case .io, .corrupt: return .failure(e.description)
            }
        }
        return .failure("\(error)")
    }
}

extension OpsError: CustomStringConvertible {
    public var description: String { message }
}
