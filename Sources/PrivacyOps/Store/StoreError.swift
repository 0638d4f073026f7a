/// What a store backend reports, in the service's terms, whatever the backend: the service maps
/// these onto ``OpsError`` (and so onto exit codes); the front ends word the remedy.
enum StoreError: Error, Sendable, Equatable {
    /// There is no store at the location.
    case noStore(location: String)
    /// A store already exists where one was to be created.
    case alreadyExists(location: String)
    /// A transaction expected a version the record no longer has; nothing was written.
    case conflict(collection: String, id: String, expected: Int, actual: Int)
    /// The store refuses writes: opened read-only, or an earlier write failed.
    case readOnly(reason: String)
    /// The storage failed (a system call, a lost connection): `what` says which and why.
    case failed(String)
    /// The store is damaged in a way opening must not paper over: `place` names the part
    /// (for the flat-file store, a file and line).
    case damaged(place: String, reason: String)
    /// A record or transaction cannot be stored as given (bad id, encoding failure).
    case invalid(String)
    /// A stored record cannot be read as its type.
    case unreadable(collection: String, id: String, reason: String)
    /// A confirmed repair found the store no longer as the check shown had found it; nothing
    /// was changed.
    case changedSinceCheck(location: String)
}
