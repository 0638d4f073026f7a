import ArgumentParser
import FlatStore
import Foundation
import PrivacyOps

extension Role: ExpressibleByArgument {}

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "users", abstract: "Staff and their roles.",
                                                    subcommands: [Grant.self, Revoke.self, List.self])

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a user a role: admin, support, moderator or auditor.")
        @Argument var user: String
        @Argument var role: Role
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
        @Argument var user: String
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
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit trail.", subcommands: [List.self, Verify.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Audit events, newest first.")
        @Option(help: "Only events after this seq.") var since: Int?
        @Option(help: "At most this many.") var limit: Int?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let es = try store.open(readOnly: true).listAudit(since: since, limit: limit)
                if output.json { Output.json(es, required: Output.Keys.audit); return }
                Output.table([.init(title: "SEQ", alignRight: true), .init(title: "AT"), .init(title: "ACTOR"), .init(title: "ROLE"),
                              .init(title: "ACTION"), .init(title: "TARGET", maxWidth: 24), .init(title: "CASE"), .init(title: "DETAIL", maxWidth: 70)],
                             es.map { [String($0.seq), $0.at, $0.actor, $0.role, $0.action, $0.target, $0.caseId ?? "", $0.detail] })
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recompute the hash chain; name the first broken seq (exit 1).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let v = try store.open(readOnly: true).verifyAudit()
                if output.json {
                    struct J: Encodable { var events: Int; var intact: Bool; var first_bad_seq: Int?; var problem: String? }
                    Output.json(J(events: v.events, intact: v.isIntact, first_bad_seq: v.firstBadSeq, problem: v.problem))
                } else if v.isIntact {
                    Output.line("audit chain intact: \(v.events) event(s)")
                }
                if let bad = v.firstBadSeq {
                    throw OpsError.failure("audit chain broken at seq \(bad): \(v.problem ?? "")")
                }
            }
        }
    }
}

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store", abstract: "The store itself: check, compact, stats, scan.",
                                                    subcommands: [Check.self, Compact.self, Stats.self, Scan.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the store's files, audit chain and message files (exit 1 when damaged).")
        @Flag(help: "Repair: discard damaged lines (kept in .broken files) and finish interrupted message moves.") var repair = false
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try perform {
                let engine: CheckReport
                var audit: AuditChain.Verification?
                var messages: [String] = []
                var remaining: [String] = []
                do {
                    let ops = try store.open(readOnly: !repair)
                    let h = try ops.checkStore(repair: repair)
                    engine = h.engine
                    audit = h.audit
                    messages = h.messages
                    remaining = h.remaining
                } catch let e as OpsError where e.exitCode == 1 {
                    // The store cannot be opened: check the files alone (root only).
                    engine = try PrivacyOps.checkDamagedStore(at: store.path, actor: try store.actor(), repair: repair)
                }
                let healthy = engine.isHealthy && (audit?.isIntact ?? true) && (repair || messages.isEmpty) && remaining.isEmpty
                if output.json {
                    struct J: Encodable {
                        var healthy: Bool; var seq: UInt64; var records: Int; var problems: [String]; var discards: [String]
                        var audit_intact: Bool?; var audit_first_bad_seq: Int?; var messages: [String]; var remaining: [String]
                    }
                    Output.json(J(healthy: healthy, seq: engine.seq, records: engine.records, problems: engine.problems,
                                  discards: engine.discards, audit_intact: audit?.isIntact, audit_first_bad_seq: audit?.firstBadSeq,
                                  messages: messages, remaining: remaining))
                } else {
                    Output.line("store \(store.path): \(engine.records) record(s), last commit \(engine.seq)")
                    for p in engine.problems { Output.line("problem: \(p)") }
                    for d in engine.discards { Output.line((repair ? "discarded: " : "repair would discard: ") + d) }
                    if let audit {
                        Output.line(audit.isIntact ? "audit chain intact (\(audit.events) events)" : "audit chain broken at seq \(audit.firstBadSeq ?? 0): \(audit.problem ?? "")")
                    }
                    for m in messages { Output.line((repair ? "fixed: " : "message: ") + m) }
                    for m in remaining { Output.line("message (not repaired): " + m) }
                    Output.line(healthy ? "ok" : "damaged: see above\(repair ? "" : "; 'lgadmin store check --repair' says what it discards and does it")")
                }
                if !healthy { throw ExitCode(1) }
            }
        }
    }

    struct Compact: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a snapshot and start a fresh journal.")
        @OptionGroup var store: StoreOptions
        func run() throws {
            try perform {
                let r = try store.open().compactStore()
                Output.line("compacted: \(r.records) record(s) as of commit \(r.seq); snapshot \(r.snapshotBytes) bytes; journal was \(r.journalBytesBefore) bytes")
            }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record counts and file sizes.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        func run() throws {
            try perform {
                let s = try store.open(readOnly: true).storeStats()
                if output.json {
                    struct C: Encodable { var name: String; var records: Int; var bytes: Int }
                    struct J: Encodable { var seq: UInt64; var journal_bytes: Int64; var journal_commits: Int; var snapshot_bytes: Int64; var snapshot_seq: UInt64; var collections: [C] }
                    Output.json(J(seq: s.seq, journal_bytes: s.journalBytes, journal_commits: s.journalCommits, snapshot_bytes: s.snapshotBytes,
                                  snapshot_seq: s.snapshotSeq, collections: s.collections.map { C(name: $0.name, records: $0.records, bytes: $0.bytes) }))
                    return
                }
                Output.fields([("store", store.path), ("last commit", String(s.seq)), ("snapshot", "\(s.snapshotBytes) bytes, up to commit \(s.snapshotSeq)"),
                               ("journal", "\(s.journalBytes) bytes, \(s.journalCommits) commit(s) since the snapshot")])
                Output.line()
                Output.table([.init(title: "COLLECTION"), .init(title: "RECORDS", alignRight: true), .init(title: "BYTES", alignRight: true)],
                             s.collections.map { [$0.name, String($0.records), String($0.bytes)] })
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
