internal import FlatStore
import Foundation

/// Who is acting: the operating-system user (the sudo user under sudo), and whether it is root.
public struct ActorIdentity: Sendable, Equatable {
    /// The user the service acts for: roles are checked and changes recorded under this name.
    public var name: String
    public var isRoot: Bool
    /// The user who really runs the process when acting as ``name`` (root with `--as`); nil
    /// when it is ``name`` itself. Audit events record both.
    public var realName: String?
    /// Under sudo, the person whose rights apply to the files they name on the command line
    /// (see ``InvokingUser``); nil when the process's own rights apply.
    public var invokingUser: InvokingUser?

    public init(name: String, isRoot: Bool, realName: String? = nil, invokingUser: InvokingUser? = nil) {
        self.name = name
        self.isRoot = isRoot
        self.realName = realName == name ? nil : realName
        self.invokingUser = invokingUser
    }

    /// The user running this process: `SUDO_USER` when run through sudo, else the effective user.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> ActorIdentity {
        let uid = geteuid()
        if uid == 0, let sudo = environment["SUDO_USER"], !sudo.isEmpty, sudo != "root" {
            return ActorIdentity(name: sudo, isRoot: false, invokingUser: InvokingUser.fromSudo(environment: environment, effectiveUID: uid))
        }
        var name = "uid\(uid)"
        if let pw = getpwuid(uid), let n = pw.pointee.pw_name { name = String(cString: n) }
        return ActorIdentity(name: name, isRoot: uid == 0)
    }

    /// Acting as another user, which only root may do.
    public func acting(as other: String?) throws -> ActorIdentity {
        guard let other, other != name else { return self }
        guard isRoot else {
            throw OpsError.denied("only root may act as another user (--as \(CardNumberGuard.masked(other))); run without --as")
        }
        // The name is the actor of every audit event this run records.
        try Validate.noCardNumber("the user named by --as", other)
        return ActorIdentity(name: other, isRoot: other == "root", realName: realName ?? name)
    }
}

/// The shared service: every staff action, its role check, its validation and its audit event.
///
/// The console and the command line both call this; neither decides a rule.
public final class PrivacyOps: @unchecked Sendable {
    /// The store: reached only through the service's own calls, which check the actor's role
    /// and record every change with its audit event.
    let store: any RecordStore
    public let actor: ActorIdentity
    /// Where the store is, for people: its directory (or, for a server, its address).
    public var storePath: String { store.location }
    /// The directory of the files that stay on this host: the inbox spool and the quarantine.
    var filesPath: String { store.filesDirectory }
    let clock: @Sendable () -> Date
    let io: FileIO

    init(store: any RecordStore, actor: ActorIdentity, clock: @escaping @Sendable () -> Date, io: FileIO) {
        self.store = store
        self.actor = actor
        self.clock = clock
        self.io = io
    }

    /// Opens the store at `path` for `actor`, who must be root or a member of staff.
    public static func open(at path: String, actor: ActorIdentity, readOnly: Bool = false,
                            clock: @escaping @Sendable () -> Date = { Date() }) throws -> PrivacyOps {
        try open(at: path, actor: actor, readOnly: readOnly, clock: clock, io: POSIXFileIO())
    }

    /// ``open(at:actor:readOnly:clock:)`` through an I/O seam (tests inject failures).
    static func open(at path: String, actor: ActorIdentity, readOnly: Bool = false,
                     clock: @escaping @Sendable () -> Date = { Date() }, io: FileIO) throws -> PrivacyOps {
        let store: any RecordStore
        do { store = try StoreBackends.open(path, readOnly: readOnly, io: io) } catch { throw OpsError.from(error) }
        let ops = PrivacyOps(store: store, actor: actor, clock: clock, io: io)
        _ = try ops.role()
        return ops
    }

    /// The directory of the files that stay on this host for the store at `location`: the
    /// opt-out inbox spool, the quarantine (and the demo's Maildirs and logs). A flat-file
    /// store's own directory; for a PostgreSQL store, its URL's `files=` (default
    /// `/var/lib/lgadmin`).
    public static func filesDirectory(forStore location: String) -> String {
        if StoreBackends.isPostgres(location) {
            return (try? PostgresLocation(location))?.filesDirectory ?? PostgresLocation.defaultFilesDirectory
        }
        return location
    }

    /// Whether a store exists at `path`.
    public static func storeExists(at path: String) -> Bool {
        StoreBackends.exists(path, io: POSIXFileIO())
    }

    /// Creates an empty store at `path`; the creating user becomes its first admin.
    public static func initialize(at path: String, actor: ActorIdentity,
                                  clock: @escaping @Sendable () -> Date = { Date() }) throws -> PrivacyOps {
        try initialize(at: path, actor: actor, clock: clock, io: POSIXFileIO())
    }

    static func initialize(at path: String, actor: ActorIdentity,
                           clock: @escaping @Sendable () -> Date = { Date() }, io: FileIO) throws -> PrivacyOps {
        if StoreBackends.exists(path, io: io) {
            throw OpsError.invalid("a store already exists at \(path): use it, or choose another --store")
        }
        let store: any RecordStore
        do { store = try StoreBackends.create(path, io: io) } catch { throw OpsError.from(error) }
        let ops = PrivacyOps(store: store, actor: actor, clock: clock, io: io)
        try ops.change(.storeInit, target: actor.name, bootstrap: true) { ctx in
            let user = StaffUser(id: actor.name, version: 0, role: .admin, grantedBy: actor.name, grantedAt: ctx.now)
            try ctx.tx.insert(user, into: Collections.users)
            return ("store created; \(actor.name) is admin", ())
        }
        return ops
    }

    // MARK: Who may do what

    /// The actor's role as the store says now. Root is always admin.
    public func role() throws -> Role {
        try role(in: view())
    }

    func role(in view: any StoreSnapshot) throws -> Role {
        if actor.isRoot { return .admin }
        guard let user = try view.get(Collections.users, id: actor.name) else {
            throw OpsError.denied(OpsProblem("\(actor.name) is not a member of staff in this store", record: OpsRecordRef(kind: .user, id: actor.name), remedy: .askAdminToGrant(user: actor.name)))
        }
        return user.role
    }

    /// Whether the actor may take `action` now (for greying out in front ends).
    public func can(_ action: Action) -> Bool {
        guard let r = try? role() else { return false }
        if action.isChange, store.readOnlyReason != nil { return false }
        return RoleTable.allows(r, action)
    }

    /// Why the store refuses every change now (opened read-only, an earlier write failed), for
    /// front ends to show; nil when it takes changes.
    public var readOnlyReason: String? { store.readOnlyReason }

    /// Refuses an action the actor's role does not allow.
    @discardableResult
    func authorize(_ action: Action, in view: (any StoreSnapshot)? = nil) throws -> Role {
        let r = try role(in: view ?? self.view())
        guard RoleTable.allows(r, action) else {
            throw OpsError.denied(OpsProblem("\(actor.name) (\(r.rawValue)) may not \(action.rawValue.replacingOccurrences(of: ".", with: " "))",
                                             remedy: .needsRole(Role.allCases.filter { RoleTable.allows($0, action) })))
        }
        return r
    }

    // MARK: Time

    var now: Date { clock() }
    var nowString: String { UTCStamp.format(unixSeconds: Int(now.timeIntervalSince1970)) }

    // MARK: Reading

    /// A consistent snapshot; refresh first to see other processes' commits. Internal: front
    /// ends read through the service's authorised calls.
    func view() -> any StoreSnapshot { store.snapshot() }

    /// For front ends that keep running (the console): a read from a store server that fails
    /// is reported by the next ``refresh()`` instead of ending the process (the command line's
    /// behaviour: a result read over a broken connection is never printed as if complete).
    public func reportReadFailuresOnRefresh() {
        (store as? PostgresBackend)?.exitOnReadFailure = false
    }

    /// Whether the store has told this instance of another host's commit not read yet (a
    /// PostgreSQL store's notification), so a front end may ``refresh()`` at once.
    public var storeHasNewerCommits: Bool { store.hasNewerCommits }

    /// Catches up with other processes' commits.
    @discardableResult
    public func refresh() throws -> StoreChanges {
        do { return try store.refresh() } catch { throw OpsError.from(error) }
    }
}
