internal import FlatStore

/// The directory of the files that stay on this host whatever the store: the opt-out inbox
/// spool (`inbox/optouts/{tmp,new,cur,bad}`) and the quarantine. For the flat-file store it is
/// the store's own directory; for a PostgreSQL store, the URL's `files=` (DESIGN.md §6b: they
/// belong to the mail host).
enum FilesDirectory {
    static let subdirectories = ["inbox", "inbox/optouts", "inbox/optouts/tmp", "inbox/optouts/new", "inbox/optouts/cur",
                                 "inbox/optouts/bad", "quarantine"]

    /// Creates whatever of it is missing, owner-only (an existing directory is left as it is).
    static func create(at path: String, io: FileIO) {
        try? io.mkdir(path, 0o700)
        for sub in subdirectories { try? io.mkdir(path + "/" + sub, 0o700) }
    }
}
