import ArgumentParser
import Foundation
import PrivacyOps

extension Role: ExpressibleByArgument {}

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "users", abstract: "Staff and their roles.",
        discussion: """
            Examples:
              lgadmin users list
              lgadmin users grant dora support
              lgadmin users revoke dora
            """,
                                                    subcommands: [Grant.self, Revoke.self, List.self])

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user a role: admin, support, moderator or auditor.")
        @Argument(help: "A login name on this host.") var user: String
        @Argument(help: "admin, support, moderator or auditor.") var role: Role
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let u = try store.open().grant(user: user, role: role)
                if output.json { Output.json(u) } else { Output.line("\(u.id) is now \(u.role.rawValue)") }
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a user's role away.")
        @Argument(help: "A login name on this host.") var user: String
        @OptionGroup var store: StoreOptions
        func run() throws {
            try perform {
                try store.open().revoke(user: user)
                Output.line("\(user) has no role now")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff and roles.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let us = try store.open(readOnly: true).listUsers()
                if output.json { Output.json(us); return }
                Output.table([.init(title: "USER"), .init(title: "ROLE"), .init(title: "GRANTED BY"), .init(title: "AT")],
                             us.map { [$0.id, $0.role.rawValue, $0.grantedBy, $0.grantedAt] })
            }
        }
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit trail.",
        discussion: """
            Examples:
              lgadmin audit list --limit 20
              lgadmin audit list --target C0000004          # one record's history
              lgadmin audit list --actor sam --since 2026-03-01 --until 2026-03-31
              lgadmin audit list --action customers --json  # every customers.* event
              lgadmin audit head            # record its output off this host
              lgadmin audit verify --anchor SEQ:HASH
            """,
                                                    subcommands: [List.self, Verify.self, Head.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit events, newest first.",
            discussion: """
                The criteria combine: an event is listed when every one given holds. Each event shows the fields \
                it changed, before and after; personal data (names, e-mail and postal addresses, phone numbers, \
                free text) only masked, as the README's audit section describes.
                """)
        @Option(help: ArgumentHelp("Only events by this user (recorded for them, or run by them with --as).", valueName: "user"))
        var actor: String?
        @Option(help: ArgumentHelp("Only this action (customers.update), or a family of actions (customers).", valueName: "action"))
        var action: String?
        @Option(help: ArgumentHelp("Only events about this record: its target or case, or a change to it.", valueName: "id"))
        var target: String?
        @Option(help: ArgumentHelp("From this day (2026-03-10) or time (2026-03-10T14:00:00Z), UTC. A plain number is a seq: only events after it.", valueName: "date"))
        var since: String?
        @Option(help: ArgumentHelp("Through this day (2026-03-31, to its end) or time, UTC.", valueName: "date"))
        var until: String?
        @Option(help: "At most this many.") var limit: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                var filter = AuditFilter(actor: actor, action: action, target: target, until: until)
                if let since, let seq = Int(since), seq >= 0 {
                    filter.afterSeq = seq
                } else {
                    filter.since = since
                }
                let es = try store.open(readOnly: true).listAudit(filter: filter, limit: limit)
                if output.json { Output.json(es, required: Output.Keys.audit); return }
                Output.table([.init(title: "SEQ", alignRight: true), .init(title: "AT"), .init(title: "ACTOR"), .init(title: "ROLE"),
                              .init(title: "ACTION"), .init(title: "TARGET", maxWidth: 24), .init(title: "CASE"), .init(title: "DETAIL", maxWidth: 70),
                              .init(title: "CHANGES", maxWidth: 70)],
                             es.map { [String($0.seq), $0.at, $0.actorDescription, $0.role, $0.action, $0.target, $0.caseId ?? "", $0.detail,
                                       $0.changesSummary] })
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain; name the first broken seq (exit 1).",
            discussion: "With --anchor SEQ:HASH (as 'lgadmin audit head' printed it, recorded off this host), also prove that the chain still holds that event: events cut from the end of the journal leave a shorter chain that is sound on its own.")
        @Option(name: .customLong("anchor"), help: ArgumentHelp("An event the chain must still hold, as 'audit head' printed it (repeatable).", valueName: "seq:hash"))
        var anchors: [String] = []
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let parsed = try anchors.map(AuditAnchor.init(parsing:))
                let v = try store.open(readOnly: true).verifyAudit(anchors: parsed)
                if output.json {
                    struct J: Encodable { var events: Int; var intact: Bool; var first_bad_seq: Int?; var problem: String?; var anchors: [String] }
                    Output.json(J(events: v.events, intact: v.isIntact, first_bad_seq: v.firstBadSeq, problem: v.problem,
                                  anchors: v.anchors.map(\.description)))
                } else if v.isIntact {
                    let held = v.anchors.isEmpty ? "" : "; it holds the anchor\(v.anchors.count == 1 ? "" : "s") \(v.anchors.map { "\($0.seq)" }.joined(separator: ", "))"
                    Output.line("audit chain intact: \(v.events) event(s)\(held)")
                }
                if let bad = v.firstBadSeq {
                    throw OpsError.failure("audit chain broken at seq \(bad): \(v.problem ?? "")")
                }
            }
        }
    }

    struct Head: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the chain's head (last seq and hash) to record off this host.",
            discussion: "Record it somewhere the store's owner cannot rewrite (a ticket, an e-mail) and check it later with 'lgadmin audit verify --anchor SEQ:HASH'.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let ops = try store.open(readOnly: true)
                let head = try ops.auditHead()
                if output.json {
                    struct J: Encodable { var seq: Int; var hash: String; var anchor: String; var store: String }
                    Output.json(J(seq: head.seq, hash: head.hash, anchor: head.description, store: ops.storePath))
                } else {
                    Output.line(head.description)
                }
            }
        }
    }
}

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store", abstract: "The store itself: check, compact, stats, scan.",
        discussion: """
            Examples:
              lgadmin store check
              lgadmin store check --repair
              lgadmin store stats
              lgadmin store scan
              lgadmin store compact
            """,
                                                    subcommands: [Check.self, Compact.self, Stats.self, Scan.self, Migrate.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the store's files, audit chain and message files (exit 1 when damaged).",
            discussion: """
                Checking changes nothing. --repair lists every commit a repair would discard and asks before it repairs \
                (on a terminal); without a terminal, or with --json, it only lists them unless --yes is given. Whatever \
                is discarded is kept in a .broken file beside the file it came from.
                """)
        @Flag(help: "Repair: discard damaged lines (kept in .broken files) and finish interrupted message moves; asks first.") var repair = false
        @Flag(help: "With --repair: repair without asking.") var yes = false
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        /// What one look at (or repair of) the store found.
        struct Result {
            var engine: StoreCheckReport
            var audit: AuditChain.Verification?
            var messages: [String]
            /// Message files a repair leaves alone (a swapped or changed file): each needs a person.
            var remaining: [String] = []
            var discarded: [DiscardedCommit] { engine.discarded }
        }

        enum Mode { case check, dryRun, repaired }

        func run() throws {
            try perform {
                if yes && !repair { throw OpsError.usage("--yes only goes with --repair: 'lgadmin store check --repair --yes'") }
                guard repair else {
                    let r = try look(repair: false, expecting: nil)
                    try report(r, .check)
                    return
                }
                if yes {
                    try report(try look(repair: true, expecting: nil), .repaired)
                    return
                }
                let planned = try look(repair: false, expecting: nil)
                let nothing = planned.engine.discards.isEmpty && planned.messages.isEmpty
                if nothing || output.json || isatty(0) != 1 {
                    try report(planned, .dryRun, last: nothing ? nil : "nothing was changed: to repair, run 'lgadmin store check --repair --yes'")
                    return
                }
                try report(planned, .dryRun, final: false)
                FileHandle.standardError.write(Data("Repair, discarding what is listed above (kept in .broken files)? [y/N] ".utf8))
                let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                guard answer == "y" || answer == "yes" else {
                    Output.line("nothing was changed")
                    if !isHealthy(planned, .dryRun) { throw ExitCode(1) }
                    return
                }
                try report(try look(repair: true, expecting: planned.engine), .repaired)
            }
        }

        /// Checks (or repairs) through the service; a store that cannot be opened is checked
        /// file by file (root only).
        func look(repair: Bool, expecting: StoreCheckReport?) throws -> Result {
            let ops: PrivacyOps
            do {
                ops = try store.open(readOnly: true)
            } catch let e as OpsError where e.exitCode == 1 {
                let engine = try PrivacyOps.checkDamagedStore(at: store.path, actor: try store.actor(), repair: repair, expecting: expecting)
                return Result(engine: engine, audit: nil, messages: [])
            }
            let h = try ops.checkStore(repair: repair, expecting: expecting)
            return Result(engine: h.engine, audit: h.audit, messages: h.messages, remaining: h.remaining)
        }

        func isHealthy(_ r: Result, _ mode: Mode) -> Bool {
            r.engine.isHealthy && (r.audit?.isIntact ?? true) && (mode == .repaired || r.messages.isEmpty) && r.remaining.isEmpty
        }

        /// Prints what was found; throws exit 1 when the store is damaged (when `final`).
        func report(_ r: Result, _ mode: Mode, final: Bool = true, last: String? = nil) throws {
            let healthy = isHealthy(r, mode)
            let engine = r.engine
            if output.json {
                struct J: Encodable {
                    var healthy: Bool; var repaired: Bool; var seq: UInt64; var records: Int; var problems: [String]; var discards: [String]
                    var discarded_commits: [DiscardedCommit]
                    var audit_intact: Bool?; var audit_first_bad_seq: Int?; var messages: [String]; var remaining: [String]
                }
                Output.json(J(healthy: healthy, repaired: mode == .repaired, seq: engine.seq, records: engine.records, problems: engine.problems,
                              discards: engine.discards, discarded_commits: r.discarded, audit_intact: r.audit?.isIntact,
                              audit_first_bad_seq: r.audit?.firstBadSeq, messages: r.messages, remaining: r.remaining))
            } else {
                Output.line("store \(store.path): \(engine.records) record(s), last commit \(engine.seq)")
                for p in engine.problems { Output.line("problem: \(p)") }
                for d in engine.discards { Output.line((mode == .repaired ? "discarded: " : "repair would discard: ") + d) }
                for c in r.discarded { Output.line("  " + c.summary) }
                if let audit = r.audit {
                    Output.line(audit.isIntact ? "audit chain intact (\(audit.events) events)" : "audit chain broken at seq \(audit.firstBadSeq ?? 0): \(audit.problem ?? "")")
                }
                for m in r.messages { Output.line((mode == .repaired ? "fixed: " : "message: ") + m) }
                for m in r.remaining { Output.line("message (not repaired): " + m) }
                if final {
                    if let last { Output.line(last) }
                    let canRepair = !engine.discards.isEmpty || !r.messages.isEmpty
                    let hint = mode == .check && canRepair ? "; 'lgadmin store check --repair' lists what it would discard and asks before repairing" : ""
                    Output.line(healthy ? "ok" : "damaged: see above\(hint)")
                }
            }
            if final, !healthy { throw ExitCode(1) }
        }
    }

    struct Compact: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rewrite the store's storage compactly (flat files: a snapshot, then a fresh journal).")
        @OptionGroup var store: StoreOptions
        func run() throws {
            try perform {
                let r = try store.open().compactStore()
                Output.line("compacted: \(r.records) record(s) as of commit \(r.seq); \(r.summary)")
            }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record counts and file sizes.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let ops = try store.open(readOnly: true)
                let s = try ops.storeStats()
                if output.json {
                    Output.json(StatsJSON(s))
                    return
                }
                Output.fields([("store", ops.storePath), ("backend", s.backend), ("last commit", String(s.seq))] + s.facts.map { ($0.label, $0.text) })
                Output.line()
                Output.table([.init(title: "COLLECTION"), .init(title: "RECORDS", alignRight: true), .init(title: "BYTES", alignRight: true)],
                             s.collections.map { [$0.name, String($0.records), String($0.bytes)] })
            }
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the store into an empty one (files to PostgreSQL or back) and prove the copy.",
            discussion: """
                The target is a directory (a flat-file store) or a postgres:// URL; it must be empty or absent. \
                Every record is copied with its version in one transaction, read back and compared, and the \
                copy's audit chain is verified and must end in the same head. The inbox spool, the quarantine \
                and Maildirs are files on this host and are not copied (a PostgreSQL store finds them under \
                its URL's files=DIR). Audited in the store copied.

                Examples:
                  lgadmin store migrate --to \\
                    'postgres:///lgadmin?host=/run/postgresql'
                  lgadmin store migrate --to /srv/lgadmin-copy \\
                    --store 'postgres:///lgadmin?host=/run/postgresql'
                """)
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Where to copy the store: an empty or absent directory, or a postgres:// URL.", valueName: "store"))
        var to: String
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let ops = try store.open()
                let tty = isatty(2) == 1
                let r = try ops.migrateStore(to: to) { step in
                    FileHandle.standardError.write(Data(((tty ? "\r\u{1B}[K" : "") + "migrate: " + step + (tty ? "" : "\n")).utf8))
                }
                if tty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                if output.json {
                    Output.json(r)
                    return
                }
                Output.line("copied \(r.records) record(s) in \(r.collections.count) collection(s) to \(r.target)")
                Output.line("compared: \(r.recordsCompared) record(s) identical, with their versions")
                Output.line("audit chain head: \(r.sourceHead) here, \(r.targetHead) in the copy (verified)")
            }
        }
    }

    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Look for card-number-like digit runs anywhere in the store (exit 65 if any).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let found = try store.open(readOnly: true).scanStore()
                if output.json { Output.json(found) } else if found.isEmpty {
                    Output.line("no card numbers found")
                } else {
                    Output.table([.init(title: "FILE", maxWidth: 60), .init(title: "LINE", alignRight: true), .init(title: "ENDING")],
                                 found.map { [$0.file, String($0.line), $0.last4] })
                }
                if !found.isEmpty { throw OpsError.invalid("\(found.count) card-number-like run(s) found in the store: remove them") }
            }
        }
    }
}

/// `store stats --json`: the seq, the backend's numbers under their own keys (for the flat-file
/// store `journal_bytes`, `journal_commits`, `snapshot_bytes`, `snapshot_seq`), the collections.
private struct StatsJSON: Encodable {
    let stats: StoreStats
    init(_ s: StoreStats) { stats = s }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct Collection: Encodable { var name: String; var records: Int; var bytes: Int }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(stats.seq, forKey: Key("seq"))
        try c.encode(stats.backend, forKey: Key("backend"))
        for f in stats.facts { for n in f.numbers { try c.encode(n.value, forKey: Key(n.key)) } }
        try c.encode(stats.collections.map { Collection(name: $0.name, records: $0.records, bytes: $0.bytes) }, forKey: Key("collections"))
    }
}
