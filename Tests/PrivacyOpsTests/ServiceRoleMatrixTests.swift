import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// DESIGN.md §3 through the public service API: every action, every role.
@Suite struct ServiceRoleMatrixTests {
    static let everyone: Set<Role> = [.admin, .support, .moderator, .auditor]

    /// DESIGN.md §3, written out by hand, row by row.
    static let designMatrix: [Action: Set<Role>] = [
        // customers: list, show — everyone
        .customersList: everyone, .customersShow: everyone,
        // customers: add, update, note, status, import — admin, support
        .customersAdd: [.admin, .support], .customersUpdate: [.admin, .support], .customersNote: [.admin, .support],
        .customersStatus: [.admin, .support], .customersImport: [.admin, .support],
        // opt-outs: list, show — admin, support, auditor
        .optoutsList: [.admin, .support, .auditor], .optoutsShow: [.admin, .support, .auditor],
        // opt-outs: submit, ingest, apply, need-info, reject — admin, support
        .optoutsSubmit: [.admin, .support], .optoutsIngest: [.admin, .support], .optoutsApply: [.admin, .support],
        .optoutsNeedInfo: [.admin, .support], .optoutsReject: [.admin, .support],
        // mailing exports — admin
        .mailingExport: [.admin],
        // communications: list metadata; file a report — admin, support, moderator
        .commsList: [.admin, .support, .moderator], .reportsFile: [.admin, .support, .moderator],
        // reports: list, show — admin, moderator, auditor
        .reportsList: [.admin, .moderator, .auditor], .reportsShow: [.admin, .moderator, .auditor],
        // communication content — admin, moderator (a refused message file is recorded for them)
        .commsView: [.admin, .moderator], .commsFileRefused: [.admin, .moderator],
        // confirming a report someone else filed (issue 7: content access involves two people) — admin, moderator
        .reportsConfirm: [.admin, .moderator],
        // moderation: block, unblock, delete, dismiss — admin, moderator
        .moderationBlock: [.admin, .moderator], .moderationUnblock: [.admin, .moderator],
        .moderationDelete: [.admin, .moderator], .moderationDismiss: [.admin, .moderator],
        // disclosures: record, approve (approver ≠ recorder), refuse, release, notice — admin
        // (update and withdraw are record-keeping steps of the same admin duty)
        .disclosuresRecord: [.admin], .disclosuresUpdate: [.admin], .disclosuresApprove: [.admin],
        .disclosuresRefuse: [.admin], .disclosuresWithdraw: [.admin], .disclosuresRelease: [.admin],
        .disclosuresNotify: [.admin], .disclosuresDelayNotice: [.admin],
        // disclosures: list, show — admin, auditor
        .disclosuresList: [.admin, .auditor], .disclosuresShow: [.admin, .auditor],
        // transparency report; policy check — admin, auditor
        .transparencyReport: [.admin, .auditor], .policyCheck: [.admin, .auditor],
        // audit: list, verify; store check, scan — admin, auditor
        .auditList: [.admin, .auditor], .auditVerify: [.admin, .auditor], .storeCheck: [.admin, .auditor],
        .storeScan: [.admin, .auditor],
        // users: grant, revoke; store compact — admin
        .usersGrant: [.admin], .usersRevoke: [.admin], .storeCompact: [.admin], .storeMigrate: [.admin],
        // traffic report — admin
        .trafficReport: [.admin],
        // Not rows of §3; read from its prose. "admins do everything" (init makes the creator
        // admin; importing a Maildir is not among the other roles' duties); "auditors read
        // everything except communication content" (users list, store stats).
        // Exporting a list as shown (issue 11): whoever may list something may export it (the
        // list's own role check applies too).
        .viewExport: [.admin, .support, .moderator, .auditor],
        .storeInit: [.admin], .commsImport: [.admin], .usersList: [.admin, .auditor], .storeStats: [.admin, .auditor],
    ]

    @Test func roleTableMatchesDesign() {
        for action in Action.allCases {
            let expected = Self.designMatrix[action]
            #expect(expected != nil, "Action \(action.rawValue) is missing from the hand-written §3 matrix")
            for role in Role.allCases {
                #expect(RoleTable.allows(role, action) == expected?.contains(role),
                        "\(role.rawValue) × \(action.rawValue): table says \(RoleTable.allows(role, action))")
            }
        }
        // Admins do everything.
        for action in Action.allCases { #expect(RoleTable.allows(.admin, action)) }
    }

    /// What the matrix test works on: one of each kind of record, made as root.
    struct Fixture {
        let customer: Customer
        let optOut: OptOutRequest
        let openComm: Communication
        let openReport: Report
        let blockedReport: Report
    }

    static func makeFixture(_ w: ServiceWorld) throws -> Fixture {
        let c = try w.addCustomer("Ada Matrix", email: "ada.matrix@example.com", phone: "+1 (555) 010-2000", address: "1 Matrix Way")
        let o = try w.submitOptOut("ada.matrix@example.com")
        let (comm, report) = try w.openCase(customer: c.id)
        let (_, blocked) = try w.blockedCase()
        return Fixture(customer: c, optOut: o, openComm: comm, openReport: report, blockedReport: blocked)
    }

    /// A representative call for `action`, made by `ops` with valid arguments. State the call
    /// consumes is made fresh, as root, now; the call itself is returned, to be made next.
    static func prepare(_ action: Action, by ops: PrivacyOps, in w: ServiceWorld, _ fx: Fixture) throws -> () throws -> Void {
        let n = w.next()
        let root = w.root
        // The actor sees what root just made (as a CLI process opening afresh would).
        func go<T>(_ body: @escaping () throws -> T) -> () throws -> Void {
            { try ops.refresh(); _ = try body() }
        }
        switch action {
        case .customersList:
            return go { try ops.listCustomers(filter: "matrix") }
        case .customersShow:
            return go { try ops.customerDetail(fx.customer.id) }
        case .customersAdd:
            return go { try ops.addCustomer(CustomerInput(name: "New \(n)", email: "new\(n)@example.com")) }
        case .customersUpdate:
            return go { try ops.updateCustomer(fx.customer.id, CustomerChanges(name: "Ada Matrix \(n)")) }
        case .customersNote:
            return go { try ops.addNote(customer: fx.customer.id, text: "called back (\(n))") }
        case .customersStatus:
            let c = try w.addCustomer()
            return go { try ops.updateCustomer(c.id, CustomerChanges(status: .suspended)) }
        case .customersImport:
            let path = try w.write("name,email\nImported \(n),imported\(n)@example.com\n", name: "import-\(n).csv")
            return go { try ops.importCustomers(csvFile: path) }
        case .optoutsList:
            return go { try ops.listOptOuts() }
        case .optoutsShow:
            return go { try ops.optOut(fx.optOut.id) }
        case .optoutsSubmit:
            return go { try ops.submitOptOut(OptOutSubmission(contact: "submit\(n)@example.com", scopes: [.newsletter])) }
        case .optoutsIngest:
            try w.deliver(["contact": "spool\(n)@example.com"], name: "1772442000.form\(n).web1")
            return go {
                let r = try ops.ingestOptOuts()
                try #require(r.taken.contains("1772442000.form\(n).web1"))
            }
        case .optoutsApply:
            let o = try w.submitOptOut()
            return go { try ops.applyOptOut(o.id) }
        case .optoutsNeedInfo:
            let o = try w.submitOptOut()
            return go { try ops.needInfoOptOut(o.id, note: "which address?") }
        case .optoutsReject:
            let o = try w.submitOptOut()
            return go { try ops.rejectOptOut(o.id, reason: OptOutRejectReason.spam.rawValue) }
        case .mailingExport:
            return go { try ops.exportMailing(.newsletter) }
        case .commsImport:
            let dir = try w.makeMaildir(count: 2)
            return go { try ops.importMaildir(dir, customer: fx.customer.id) }
        case .commsList:
            return go { try ops.listCommunications(customer: fx.customer.id) }
        case .commsView:
            return go {
                let content = try ops.viewContent(fx.openComm.id, case: fx.openReport.id)
                try #require(content.text.contains("Subject:"))
            }
        case .reportsFile:
            return go { try ops.fileReport(communication: fx.openComm.id, trigger: .touComplaint, reason: "complaint \(n)", reporter: "x@example.net") }
        case .reportsList:
            return go { try ops.listReports() }
        case .reportsShow:
            return go { try ops.report(fx.openReport.id) }
        case .reportsConfirm:
            // Filed by root on its own word: it awaits a second person.
            let r = try root.fileReport(communication: fx.openComm.id, trigger: .abuseReport, reason: "confirm me \(n)", reporter: nil)
            try #require(r.confirmation == .awaiting)
            return go {
                let confirmed = try ops.confirmReport(r.id, note: "it stands")
                try #require(confirmed.confirmation == .confirmed && confirmed.confirmedBy == ops.actor.name)
            }
        case .moderationBlock:
            let (_, r) = try w.openCase()
            return go { try ops.block(report: r.id, ground: .harmThirdParties, clause: nil, note: "malware") }
        case .moderationUnblock:
            let (_, r) = try w.blockedCase()
            return go { try ops.unblock(report: r.id, reason: "false alarm") }
        case .moderationDelete:
            let (_, r) = try w.openCase()
            return go { try ops.delete(report: r.id, ground: .harmCompany, note: "malware", confirmed: true) }
        case .moderationDismiss:
            let r = try root.fileReport(communication: fx.openComm.id, trigger: .automatedFlag, reason: "flag \(n)", reporter: nil)
            return go { try ops.dismiss(report: r.id, note: "no violation") }
        case .disclosuresRecord:
            return go { try ops.recordDisclosure(matrixRequest(fx)) }
        case .disclosuresUpdate:
            let d = try root.recordDisclosure(matrixRequest(fx))
            return go { try ops.updateDisclosure(d.id, DisclosureChanges(note: "edited \(n)")) }
        case .disclosuresApprove:
            // Recorded by root: for the admin of the matrix (ada) a second admin's approval.
            let d = try root.recordDisclosure(matrixRequest(fx))
            return go { try ops.approveDisclosure(d.id) }
        case .disclosuresRefuse:
            let d = try root.recordDisclosure(matrixRequest(fx))
            return go { try ops.refuseDisclosure(d.id, reason: "overbroad") }
        case .disclosuresWithdraw:
            let d = try root.recordDisclosure(matrixRequest(fx))
            return go { try ops.withdrawDisclosure(d.id, reason: "requester withdrew") }
        case .disclosuresRelease:
            let d = try approvedDisclosure(w, fx)
            return go { try ops.releaseDisclosure(d.id) }
        case .disclosuresNotify:
            let d = try approvedDisclosure(w, fx)
            _ = try root.releaseDisclosure(d.id)
            return go { try ops.notifyDisclosure(d.id, method: .email) }
        case .disclosuresDelayNotice:
            let d = try root.recordDisclosure(matrixRequest(fx))
            return go { try ops.delayNotice(d.id, until: "2026-12-31", order: "ORD-\(n)") }
        case .disclosuresList:
            return go { try ops.listDisclosures() }
        case .disclosuresShow:
            let d = try root.recordDisclosure(matrixRequest(fx))
            return go { try ops.disclosure(d.id) }
        case .transparencyReport:
            return go {
                let out = try ops.transparencyReport(try ReportPeriod.named("2026H1"), format: .csv)
                try #require(out.text.hasPrefix("section,metric,breakdown,value\r\n"))
            }
        case .policyCheck:
            return go {
                let result = try ops.policyCheck()
                try #require(result.rows.count == 13)
            }
        case .usersGrant:
            return go { try ops.grant(user: "newuser\(n)", role: .auditor) }
        case .usersRevoke:
            _ = try root.grant(user: "leaver\(n)", role: .support)
            return go { try ops.revoke(user: "leaver\(n)") }
        case .usersList:
            return go { try ops.listUsers() }
        case .auditList:
            return go { try ops.listAudit(limit: 5) }
        case .auditVerify:
            return go {
                let v = try ops.verifyAudit()
                try #require(v.isIntact)
            }
        case .storeCheck:
            return go { try ops.checkStore() }
        case .storeScan:
            return go { try ops.scanStore() }
        case .storeStats:
            return go { try ops.storeStats() }
        case .storeCompact:
            return go { try ops.compactStore() }
        case .storeMigrate:
            return go { try ops.migrateStore(to: w.base + "/copy-\(n)") }
        case .storeInit:
            return { Issue.record("store.init has no instance call") }
        case .commsFileRefused:
            return { Issue.record("comms.file-refused is recorded by a refused view or move, never called") }
        case .viewExport:
            return go { try ops.exportView(.customers, ids: [fx.customer.id], format: .csv, to: w.base + "/export-\(n).csv") }
        case .trafficReport:
            let log = try w.write("192.0.2.1 - - [10/Mar/2026:13:55:36 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"\n", name: "access-\(n).log")
            return go { try ops.trafficReport(TrafficReportRequest(logs: [log], minCount: 5)) }
        }
    }

    /// A content disclosure on the legal-process ground, about the fixture's message.
    static func matrixRequest(_ fx: Fixture) -> DisclosureInput {
        DisclosureInput(kind: .content, ground: .legalProcess, requester: "County Court", requesterType: .court,
                        requestType: .subpoena, reference: "CV-2026-1", communicationIds: [fx.openComm.id])
    }

    /// Recorded by root and approved by a second admin (`ada`).
    static func approvedDisclosure(_ w: ServiceWorld, _ fx: Fixture) throws -> Disclosure {
        let d = try w.root.recordDisclosure(matrixRequest(fx))
        return try w.open("ada").approveDisclosure(d.id)
    }

    @Test(arguments: Role.allCases)
    func everyActionForRole(_ role: Role) throws {
        let w = try ServiceWorld()
        let fx = try Self.makeFixture(w)
        let ops = try w.open(role)
        #expect(try ops.role() == role)
        for action in Action.allCases where action != .storeInit && action != .commsFileRefused {
            let allowed = RoleTable.allows(role, action)
            #expect(ops.can(action) == allowed, "can(\(action.rawValue)) for \(role.rawValue)")
            let call = try Self.prepare(action, by: ops, in: w, fx)
            let seqBefore = w.seq
            let error = serviceError { try call() }
            if allowed {
                #expect(error == nil, "\(role.rawValue) should be allowed \(action.rawValue) but got \(String(describing: error))")
            } else {
                guard case .denied = error else {
                    Issue.record("\(role.rawValue) should be denied \(action.rawValue) but got \(String(describing: error))")
                    continue
                }
                #expect(error?.exitCode == 77)
                #expect(w.seq == seqBefore, "a refused \(action.rawValue) wrote something")
            }
        }
    }

    @Test func userWithoutRoleIsRefused() throws {
        let w = try ServiceWorld()
        let error = serviceError { try w.open("mallory") }
        guard case .denied = error else {
            Issue.record("opening as a user without a role gave \(String(describing: error))")
            return
        }
        #expect(error?.exitCode == 77)
        // Typed: who, and what to do (each front end words it: the CLI names 'lgadmin users grant').
        #expect(error?.problem.record == OpsRecordRef(kind: .user, id: "mallory"))
        #expect(error?.problem.remedy == .askAdminToGrant(user: "mallory"))
        #expect(error?.message.contains("mallory") == true)
    }

    @Test func revokedUserIsRefusedAtOnce() throws {
        let w = try ServiceWorld()
        let sam = try w.open("sam")
        _ = try sam.addCustomer(CustomerInput(name: "Before", email: "before@example.com"))
        try w.root.revoke(user: "sam")
        let seq = w.seq
        // A change re-reads roles under the writer lock: refused without a refresh.
        #expect(serviceExitCode { try sam.addCustomer(CustomerInput(name: "After", email: "after@example.com")) } == 77)
        #expect(w.seq == seq)
        try sam.refresh()
        #expect(serviceExitCode { try sam.listCustomers() } == 77)
        #expect(!sam.can(.customersList))
        #expect(serviceExitCode { try w.open("sam") } == 77)
    }

    @Test func readOnlyStoreRefusesEveryChange() throws {
        let w = try ServiceWorld()
        let c = try w.addCustomer("Read Only", email: "ro@example.com")
        let ro = try PrivacyOps.open(at: w.storePath, actor: ServiceWorld.actor("ada"), readOnly: true, clock: w.clock.function)
        for action in Action.allCases where action != .storeInit {
            #expect(ro.can(action) == !action.isChange, "can(\(action.rawValue)) on a read-only store")
        }
        let seq = w.seq
        #expect(serviceExitCode { try ro.addCustomer(CustomerInput(name: "X", email: "x@example.com")) } == 75)
        #expect(serviceExitCode { try ro.addNote(customer: c.id, text: "x") } == 75)
        #expect(serviceExitCode { try ro.grant(user: "someone", role: .auditor) } == 75)
        #expect(w.seq == seq)
        #expect(try ro.listCustomers().map(\.id) == [c.id])
    }

    @Test func actingAsAnotherUserIsForRootOnly() throws {
        let w = try ServiceWorld()
        // Root may act as anyone; it then has that user's role, not admin.
        let asSam = try ServiceWorld.rootActor.acting(as: "sam")
        #expect(asSam == ActorIdentity(name: "sam", isRoot: false, realName: "root"))
        let ops = try PrivacyOps.open(at: w.storePath, actor: asSam, clock: w.clock.function)
        #expect(try ops.role() == .support)
        #expect(serviceExitCode { try ops.exportMailing(.newsletter) } == 77)
        _ = try ops.addCustomer(CustomerInput(name: "Via root", email: "via.root@example.com"))
        #expect(w.lastAudit?.actor == "sam")
        #expect(w.lastAudit?.realActor == "root")
        #expect(w.lastAudit?.role == "support")
        // Root acting as a user without a role is refused like that user.
        #expect(serviceExitCode { try PrivacyOps.open(at: w.storePath, actor: try ServiceWorld.rootActor.acting(as: "nobody")) } == 77)
        // Anyone else is refused, whoever they name.
        for who in [ServiceWorld.actor("sam"), ServiceWorld.actor("ada")] {
            for target in ["ada", "root", "mo"] where target != who.name {
                let e = serviceError { try who.acting(as: target) }
                guard case .denied = e else {
                    Issue.record("\(who.name) --as \(target) gave \(String(describing: e))")
                    continue
                }
                #expect(e?.exitCode == 77)
            }
            // No --as, or --as oneself, is just oneself.
            #expect(try who.acting(as: nil) == who)
            #expect(try who.acting(as: who.name) == who)
        }
        // Root keeps admin when not acting as anyone.
        #expect(try ServiceWorld.rootActor.acting(as: nil).isRoot)
        #expect(try PrivacyOps.open(at: w.storePath, actor: ServiceWorld.rootActor).role() == .admin)
    }
}
