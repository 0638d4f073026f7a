/// Everything that can go wrong in FlatStore, each case saying what to do about it.
public enum FlatStoreError: Error, Sendable, Equatable {
    /// There is no store at the path.
    case noStore(path: String)
    /// A store already exists where one was to be created.
    case alreadyExists(path: String)
    /// A transaction expected a version the record no longer has; nothing was written.
    case conflict(collection: String, id: String, expected: Int, actual: Int)
    /// The store refuses writes: opened read-only, or an earlier write or sync failed.
    case readOnly(reason: String)
    /// A system call failed.
    case io(SystemError)
    /// A file of the store is damaged in a way open must not paper over.
    case corrupt(file: String, line: Int, reason: String)
    /// A record or transaction cannot be stored as given (bad id, encoding failure).
    case invalid(String)
    /// A confirmed repair found the store (at the path) no longer as the check shown had found
    /// it; nothing was changed.
    case changedSinceCheck(String)
}

extension FlatStoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .noStore(let path):
            return "no store at \(path): create one with 'lgadmin init --store \(path)' or 'lgadmin demo'"
        case .alreadyExists(let path):
            return "a store already exists at \(path): open it, or choose another directory"
        case .conflict(let c, let id, let expected, let actual):
            let now = actual == 0 ? "it no longer exists" : "it is now at version \(actual)"
            return "\(c) \(id) changed since version \(expected) (\(now)): reload it and try again"
        case .readOnly(let reason):
            return "the store is read-only: \(reason)"
        case .io(let e):
            return "\(e.operation) \(e.path) failed: \(e.message)"
        case .corrupt(let file, let line, let reason):
            return "\(file) line \(line) is damaged (\(reason)): run 'lgadmin store check' to see what a repair would discard"
        case .invalid(let why):
            return why
        case .changedSinceCheck(let path):
            return "the store at \(path) changed since it was checked; nothing was repaired: run 'lgadmin store check --repair' again"
        }
    }
}
