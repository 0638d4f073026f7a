import Crypto
import FlatStore
import Foundation
import Testing

@testable import PrivacyOps

/// No case, no content; block moves a message into the quarantine and unblock moves it back,
/// byte for byte; delete keeps only evidence; a failure at any step of a move loses no message.
@Suite struct ServiceContentAndModerationTests {
    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Every file holding the message: in its Maildir (cur/ or new/, by unique name) and in the
    /// quarantine.
    static func copies(of c: Communication, store: String) -> (maildir: [String], quarantine: [String]) {
        var m: [String] = []
        for sub in ["cur", "new"] {
            for name in serviceListing(c.maildir + "/" + sub) where name == c.uniqueName || name.hasPrefix(c.uniqueName + ":") {
                m.append(c.maildir + "/" + sub + "/" + name)
            }
        }
        let q = store + "/quarantine/" + c.id
        return (m, FileManager.default.fileExists(atPath: q) ? [q] : [])
    }

    static func intact(_ path: String, _ c: Communication) -> Bool {
        guard let bytes = serviceFileBytes(path) else { return false }
        return sha256(bytes) == c.sha256 && Int64(bytes.count) == c.size
    }

    // MARK: Content only through an open case

    @Test func contentNeedsAnOpenCaseAboutThatMessage() throws {
        let w = try ServiceWorld()
        let mo = try w.open(.moderator)
        let (comm, open) = try w.openCase()
        let (other, otherReport) = try w.openCase()
        let original = try #require(serviceFileBytes(comm.maildirPath))
        func refused(_ caseId: String, _ label: String, comm c: Communication = comm) {
            let seq = w.seq
            let e = serviceError { try mo.viewContent(c.id, case: caseId) }
            guard case .denied = e else {
                Issue.record("\(label): \(String(describing: e))")
                return
            }
            #expect(e?.exitCode == 77)
            #expect(w.seq == seq, "\(label): audited a refused view")
        }
        refused("R999999", "no such case")
        refused(otherReport.id, "a case about another message")
        refused(open.id, "a case about another message (reversed)", comm: other)
        // An opt-out id is a case, but not one about a message.
        let o = try w.submitOptOut()
        refused(o.id, "an opt-out")
        // Through its open report: the message as stored.
        let content = try mo.viewContent(comm.id, case: open.id)
        #expect(Array(content.text.utf8) == original)
        #expect(content.communication.id == comm.id)
        // Dismissed: closed, no content.
        let toDismiss = try w.root.fileReport(communication: comm.id, trigger: .automatedFlag, reason: "flagged", reporter: nil)
        _ = try mo.viewContent(comm.id, case: toDismiss.id)
        _ = try mo.dismiss(report: toDismiss.id, note: "no violation")
        refused(toDismiss.id, "a dismissed case")
        // Blocked: still an open case; the content comes from the quarantine.
        _ = try mo.block(report: open.id, ground: .harmCustomers, clause: nil, note: "phishing")
        let blocked = try mo.viewContent(comm.id, case: open.id)
        #expect(Array(blocked.text.utf8) == original)
        // Reinstated: closed again.
        _ = try mo.unblock(report: open.id, reason: "appeal upheld")
        refused(open.id, "a reinstated case")
        // Deleted: closed, and nothing left to show.
        _ = try mo.delete(report: otherReport.id, ground: .harmCompany, note: "malware", confirmed: true)
        refused(otherReport.id, "a deleted case", comm: other)
    }

    // MARK: Two people behind every view

    /// The audit events of one action, as the files say now.
    static func events(_ w: ServiceWorld, _ action: Action) throws -> [AuditEvent] {
        _ = try w.root.refresh()
        return try w.root.view().all(Collections.audit).filter { $0.action == action.rawValue }
    }

    /// A staff member files a report on their own word and tries to read the message through
    /// it: refused (77), nothing recorded, until someone else confirms it. Admins are bound too.
    @Test(arguments: ["mo", "ada"])
    func aSelfFiledReportNeedsAnotherPersonBeforeItsFilerMayView(_ filerName: String) throws {
        let w = try ServiceWorld()
        _ = try w.root.grant(user: "mo2", role: .moderator)
        let filer = try w.open(filerName)
        let other = try w.open(filerName == "mo" ? "mo2" : "mo")
        let comm = try w.importMessages(count: 1)[0]
        let r = try filer.fileReport(communication: comm.id, trigger: .abuseReport, reason: "I think this is spam", reporter: nil)
        #expect(r.confirmation == .awaiting && r.confirmedBy == nil && r.filedBy == filerName)
        #expect(filer.contentRefusal(through: r) != nil)

        // The filer may neither read through it nor confirm it; neither attempt is recorded.
        let seq = w.seq
        let view = serviceError { try filer.viewContent(comm.id, case: r.id) }
        #expect(view?.exitCode == 77, "\(String(describing: view))")
        #expect(view?.message.contains("another moderator or admin must confirm it first") == true, "\(String(describing: view))")
        #expect(view?.message.contains("\n") == false)
        #expect(view == filer.contentRefusal(through: r), "the console greys v with the same answer the service refuses with")
        let selfConfirm = serviceError { try filer.confirmReport(r.id, note: "I vouch for myself") }
        #expect(selfConfirm?.exitCode == 77, "\(String(describing: selfConfirm))")
        #expect(selfConfirm == filer.confirmRefusal(of: r))
        #expect(w.seq == seq, "a refused view or confirmation wrote something")
        #expect(try Self.events(w, .commsView).isEmpty)

        // Another moderator confirms it: audited, in the case history, and the filer may read.
        #expect(other.confirmRefusal(of: r) == nil)
        let confirmed = try other.confirmReport(r.id, note: "the complaint stands", expectVersion: r.version)
        #expect(confirmed.confirmation == .confirmed && confirmed.confirmedBy == other.actor.name)
        #expect(confirmed.confirmedAt == ServiceTime.stamp(w.clock.now))
        #expect(confirmed.history.last == CaseEvent(at: confirmed.confirmedAt ?? "", by: other.actor.name, action: "confirmed", note: "the complaint stands"))
        let event = try #require(w.lastAudit)
        #expect(event.action == "reports.confirm" && event.actor == other.actor.name && event.caseId == r.id && event.target == r.id)
        try filer.refresh()
        let content = try filer.viewContent(comm.id, case: r.id)
        #expect(content.text.contains("some content only a case may show"))
        let views = try Self.events(w, .commsView)
        #expect(views.count == 1 && views.first?.actor == filerName && views.first?.caseId == r.id)
        // Confirming twice is refused and changes nothing.
        let again = w.seq
        #expect(serviceExitCode { try other.confirmReport(r.id) } == 65)
        #expect(w.seq == again)
        #expect(try w.open(.auditor).verifyAudit().isIntact)
    }

    /// Someone other than the filer may read through an unconfirmed report: the filer is then
    /// the second person. Confirmation is for the filer.
    @Test func anotherModeratorMayViewThroughAnUnconfirmedReport() throws {
        let w = try ServiceWorld()
        let sam = try w.open(.support)
        let mo = try w.open(.moderator)
        let comm = try w.importMessages(count: 1)[0]
        let r = try sam.fileReport(communication: comm.id, trigger: .touComplaint, reason: "customer complained by phone", reporter: nil)
        #expect(r.confirmation == .awaiting)
        #expect(mo.contentRefusal(through: r) == nil)
        #expect(try mo.viewContent(comm.id, case: r.id).communication.id == comm.id)
    }

    /// A report for an outside reporter has its second person from the start; naming a member
    /// of staff (or oneself, or root) as the reporter does not make one.
    @Test func anOutsideReportersReportIsViewableAtOnceAndStaffAreNotOutsiders() throws {
        let w = try ServiceWorld()
        _ = try w.root.grant(user: "mo2", role: .moderator)
        let mo = try w.open(.moderator)
        let comm = try w.importMessages(count: 1)[0]
        for reporter in ["abuse@example.net", "Jane Customer", "  postmaster@partner.example "] {
            let r = try mo.fileReport(communication: comm.id, trigger: .abuseReport, reason: "forwarded", reporter: reporter)
            #expect(r.confirmation == .outsideReporter, "\(reporter)")
            #expect(try mo.viewContent(comm.id, case: r.id).communication.id == comm.id, "\(reporter)")
            // It needs no confirmation, and gets none.
            let seq = w.seq
            #expect(serviceExitCode { try w.root.confirmReport(r.id) } == 65, "\(reporter)")
            #expect(w.seq == seq)
        }
        for reporter in ["mo", "MO", "mo2", "mo2@loopgalaxy.example", "Ada", "root", "root@localhost", "sam", " aud "] {
            let r = try mo.fileReport(communication: comm.id, trigger: .abuseReport, reason: "as \(reporter)", reporter: reporter)
            #expect(r.confirmation == .awaiting, "a report naming staff member \(reporter) counted as an outside report")
            #expect(serviceExitCode { try mo.viewContent(comm.id, case: r.id) } == 77, "\(reporter)")
        }
    }

    @Test func onlyAnOpenCaseCanBeConfirmedAndOnlyByModeratorsAndAdmins() throws {
        let w = try ServiceWorld()
        let (comm, _) = try w.openCase()
        let dismissed = try w.root.fileReport(communication: comm.id, trigger: .legal, reason: "x", reporter: nil)
        _ = try w.root.dismiss(report: dismissed.id, note: "nothing in it")
        let mo = try w.open(.moderator)
        let seq = w.seq
        #expect(serviceExitCode { try mo.confirmReport(dismissed.id) } == 65)
        #expect(serviceExitCode { try mo.confirmReport("R999999") } == 66)
        let open = try w.root.fileReport(communication: comm.id, trigger: .legal, reason: "y", reporter: nil)
        let after = w.seq
        for role in [Role.support, .auditor] {
            #expect(serviceExitCode { try w.open(role).confirmReport(open.id) } == 77, "\(role)")
        }
        #expect(serviceExitCode { try mo.confirmReport(open.id, expectVersion: open.version + 1) } == 75)
        #expect(w.seq == after && after == seq + 1)
        // A blocked case is still open: it can be confirmed, and its filer then reads from the quarantine.
        _ = try mo.block(report: open.id, ground: .harmCompany, clause: nil, note: "held")
        _ = try w.open("ada").confirmReport(open.id)
        #expect(try w.root.viewContent(comm.id, case: open.id).text.contains("Subject:"))
    }

    /// Reports stored before confirmation existed have no `confirmation` key: they await one.
    @Test func aReportStoredWithoutConfirmationAwaitsOne() throws {
        let w = try ServiceWorld()
        let (_, r) = try w.openCase()
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(r)) as? [String: Any])
        #expect(object["confirmation"] as? String == "awaiting")
        object["confirmation"] = nil
        object["confirmed_by"] = nil
        object["confirmed_at"] = nil
        let old = try JSONDecoder().decode(Report.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.confirmation == .awaiting && old.confirmedBy == nil)
        #expect(old.id == r.id && old.history == r.history)
    }

    /// A message whose file is gone was not viewed: 66, and no `comms.view` event (the policy
    /// check counts those as content shown), nor any other event.
    @Test(arguments: [false, true])
    func aMissingFileIsNotAuditedAsAView(_ blocked: Bool) throws {
        let w = try ServiceWorld()
        let mo = try w.open(.moderator)
        let (comm, r) = try w.openCase()
        if blocked { _ = try mo.block(report: r.id, ground: .harmCompany, clause: nil, note: "held") }
        let file = blocked ? w.storeFiles + "/quarantine/" + comm.id : comm.maildirPath
        try FileManager.default.removeItem(atPath: file)
        let seq = w.seq
        let e = serviceError { try mo.viewContent(comm.id, case: r.id) }
        guard case .notFound(let problem)? = e else {
            Issue.record("a missing file gave \(String(describing: e))")
            return
        }
        #expect(problem.text.contains("missing") && problem.text.contains("no view was recorded"), "\(problem)")
        // Typed: the record it concerns and what to do, worded by each front end.
        #expect(problem.record == OpsRecordRef(kind: .communication, id: comm.id))
        #expect(problem.remedy == .runStoreCheck)
        #expect(!problem.text.contains("'lgadmin"), "the service names no command: \(problem.text)")
        #expect(w.seq == seq, "a failed view wrote something")
        #expect(try Self.events(w, .commsView).isEmpty)
    }

    // MARK: Block, unblock, delete

    @Test func blockAndUnblockMoveTheFileByteForByte() throws {
        let w = try ServiceWorld()
        let mo = try w.open(.moderator)
        // A message in cur/ with flags.
        let comms = try w.importMessages(count: 2)
        let comm = comms[1]
        #expect(comm.subdir == "cur" && comm.filename.hasSuffix(":2,S"))
        let original = try #require(serviceFileBytes(comm.maildirPath))
        #expect(Self.sha256(original) == comm.sha256)
        let report = try w.root.fileReport(communication: comm.id, trigger: .abuseReport, reason: "spam", reporter: nil)
        let blocked = try mo.block(report: report.id, ground: .touViolation, clause: "4.2", note: "bulk mail")
        #expect(blocked.state == .blocked && blocked.ground == .touViolation && blocked.clause == "4.2")
        #expect(blocked.decidedBy == "mo")
        #expect(try w.communication(comm.id).state == .blocked)
        let q = w.storeFiles + "/quarantine/" + comm.id
        #expect(!FileManager.default.fileExists(atPath: comm.maildirPath))
        #expect(Self.copies(of: comm, store: w.storeFiles).maildir.isEmpty)
        #expect(serviceFileBytes(q) == original)
        // The other message was not touched.
        #expect(serviceFileBytes(comms[0].maildirPath) != nil)
        // No temporary files left behind.
        #expect(serviceListing(w.storeFiles + "/quarantine") == [comm.id])
        let back = try mo.unblock(report: report.id, reason: "appeal upheld")
        #expect(back.state == .reinstated)
        #expect(try w.communication(comm.id).state == .visible)
        #expect(serviceFileBytes(comm.maildirPath) == original)
        #expect(Self.sha256(try #require(serviceFileBytes(comm.maildirPath))) == comm.sha256)
        #expect(!FileManager.default.fileExists(atPath: q))
        #expect(serviceListing(w.storeFiles + "/quarantine").isEmpty)
        #expect(serviceListing(comm.maildir + "/tmp").isEmpty)
        // The history tells the story.
        let history = try w.root.report(report.id).report.history.map(\.action)
        #expect(history == ["filed", "blocked", "reinstated"])
    }

    @Test func blockFindsAMessageRenamedByTheMailClient() throws {
        let w = try ServiceWorld()
        let mo = try w.open(.moderator)
        let (comm, report) = try w.openCase()
        // The client read it: new/u → cur/u:2,S.
        #expect(comm.subdir == "new")
        let moved = comm.maildir + "/cur/" + comm.uniqueName + ":2,S"
        try FileManager.default.moveItem(atPath: comm.maildirPath, toPath: moved)
        _ = try mo.block(report: report.id, ground: .harmCustomers, clause: nil, note: "phishing")
        #expect(Self.copies(of: comm, store: w.storeFiles).maildir.isEmpty)
        #expect(Self.intact(w.storeFiles + "/quarantine/" + comm.id, comm))
    }

    @Test(arguments: [false, true])
    func deleteRemovesEveryCopyAndKeepsEvidence(_ blockFirst: Bool) throws {
        let w = try ServiceWorld()
        let mo = try w.open(.moderator)
        let (comm, report) = try w.openCase()
        if blockFirst { _ = try mo.block(report: report.id, ground: .harmCustomers, clause: nil, note: "phishing") }
        let r = try mo.delete(report: report.id, ground: .harmThirdParties, note: "malware", confirmed: true)
        #expect(r.state == .deleted && r.ground == .harmThirdParties)
        let after = try w.communication(comm.id)
        #expect(after.state == .deleted)
        #expect(after.sha256 == comm.sha256 && after.size == comm.size)
        let files = Self.copies(of: comm, store: w.storeFiles)
        #expect(files.maildir.isEmpty && files.quarantine.isEmpty)
        #expect(serviceListing(w.storeFiles + "/quarantine").isEmpty)
        #expect(try w.root.checkStore().messages.isEmpty)
        // Nothing more can be done to it.
        #expect(serviceExitCode { try mo.fileReport(communication: comm.id, trigger: .legal, reason: "x", reporter: nil) } == 65)
    }

    @Test func groundsAndConfirmation() throws {
        let w = try ServiceWorld()
        let mo = try w.open(.moderator)
        let (comm, report) = try w.openCase()
        let seq = w.seq
        // Terms of Use needs the clause it violates.
        #expect(serviceExitCode { try mo.block(report: report.id, ground: .touViolation, clause: nil, note: "x") } == 65)
        #expect(serviceExitCode { try mo.block(report: report.id, ground: .touViolation, clause: "  ", note: "x") } == 65)
        #expect(serviceExitCode { try mo.delete(report: report.id, ground: .touViolation, note: "x", confirmed: true) } == 65)
        // Deleting needs confirmation.
        for ground in ModerationGround.allCases {
            #expect(serviceExitCode { try mo.delete(report: report.id, ground: ground, clause: "4.2", note: "x", confirmed: false) } == 64)
        }
        // Notes are required.
        #expect(serviceExitCode { try mo.block(report: report.id, ground: .harmCompany, clause: nil, note: " ") } == 65)
        #expect(serviceExitCode { try mo.dismiss(report: report.id, note: "") } == 65)
        #expect(w.seq == seq)
        #expect(Self.intact(comm.maildirPath, comm))
        #expect(serviceListing(w.storeFiles + "/quarantine").isEmpty)
        // The other grounds need no clause.
        for ground in ModerationGround.allCases where ground != .touViolation {
            let (_, r) = try w.openCase()
            #expect(try mo.block(report: r.id, ground: ground, clause: nil, note: "n").ground == ground)
        }
        // Only open reports can be blocked, only blocked ones unblocked.
        let (_, open2) = try w.openCase()
        #expect(serviceExitCode { try mo.unblock(report: open2.id, reason: "x") } == 65)
        _ = try mo.dismiss(report: open2.id, note: "fine")
        #expect(serviceExitCode { try mo.block(report: open2.id, ground: .harmCompany, clause: nil, note: "x") } == 65)
        #expect(serviceExitCode { try mo.delete(report: open2.id, ground: .harmCompany, note: "x", confirmed: true) } == 65)
    }

    // MARK: Crash safety

    /// A step of a move to fail, as a fault on the I/O seam.
    struct Step: CustomStringConvertible, Sendable {
        var description: String
        var inject: @Sendable (FaultyFileIO, Communication, String) -> Void
    }

    static let blockSteps: [Step] = [
        Step(description: "copy: write") { io, _, _ in io.fail(.pwrite, .nth(1), errno: ENOSPC) },
        Step(description: "copy: short write") { io, _, _ in io.shortWrite(keeping: 10) },
        Step(description: "copy: fsync") { io, _, _ in io.fail(.fsync, .nth(1), errno: EIO) },
        Step(description: "copy: rename") { io, c, _ in io.fail(.rename, path: "/quarantine/" + c.id, errno: EIO) },
        Step(description: "copy: directory fsync") { io, _, _ in io.fail(.fsync, path: "/quarantine", errno: EIO) },
        Step(description: "commit: write") { io, _, _ in io.fail(.pwrite, path: FlatStore.journalName, errno: ENOSPC) },
        Step(description: "commit: fdatasync") { io, _, _ in io.fail(.fdatasync, path: FlatStore.journalName, errno: EIO) },
        Step(description: "removal: unlink") { io, c, _ in io.fail(.unlink, path: c.filename, errno: EIO) },
        Step(description: "removal: directory fsync") { io, c, _ in io.fail(.fsync, path: "/" + c.subdir, errno: EIO) },
    ]

    static let unblockSteps: [Step] = [
        Step(description: "copy: write") { io, _, _ in io.fail(.pwrite, .nth(1), errno: ENOSPC) },
        Step(description: "copy: short write") { io, _, _ in io.shortWrite(keeping: 10) },
        Step(description: "copy: fsync") { io, _, _ in io.fail(.fsync, .nth(1), errno: EIO) },
        Step(description: "copy: rename") { io, c, _ in io.fail(.rename, path: c.filename, errno: EIO) },
        Step(description: "copy: directory fsync") { io, c, _ in io.fail(.fsync, path: "/" + c.subdir, errno: EIO) },
        Step(description: "commit: write") { io, _, _ in io.fail(.pwrite, path: FlatStore.journalName, errno: ENOSPC) },
        Step(description: "commit: fdatasync") { io, _, _ in io.fail(.fdatasync, path: FlatStore.journalName, errno: EIO) },
        Step(description: "removal: unlink") { io, c, _ in io.fail(.unlink, path: "/quarantine/" + c.id, errno: EIO) },
        Step(description: "removal: directory fsync") { io, _, _ in io.fail(.fsync, path: "/quarantine", errno: EIO) },
    ]

    /// After the fault: an intact copy survives; after reopening with the real file system and
    /// reconciling, exactly one copy is where the committed state says.
    static func expectOneCopyAfterReconcile(_ w: ServiceWorld, _ comm: Communication, _ label: String,
                                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let survivors = Self.copies(of: comm, store: w.storeFiles)
        #expect((survivors.maildir + survivors.quarantine).contains { Self.intact($0, comm) },
                "\(label): no intact copy left", sourceLocation: sourceLocation)
        let admin = try PrivacyOps.open(at: w.storePath, actor: ServiceWorld.rootActor)
        _ = try admin.reconcileMessages()
        let state = try #require(try admin.view().get(Collections.communications, id: comm.id)).state
        let files = Self.copies(of: comm, store: w.storeFiles)
        switch state {
        case .visible:
            #expect(files.maildir.count == 1 && files.quarantine.isEmpty, "\(label): \(files)", sourceLocation: sourceLocation)
        case .blocked:
            #expect(files.maildir.isEmpty && files.quarantine.count == 1, "\(label): \(files)", sourceLocation: sourceLocation)
        case .deleted:
            Issue.record("\(label): deleted", sourceLocation: sourceLocation)
        }
        for f in files.maildir + files.quarantine {
            #expect(Self.intact(f, comm), "\(label): \(f) is not the message", sourceLocation: sourceLocation)
        }
        // No half-written temporary copies anywhere.
        #expect(serviceListing(w.storeFiles + "/quarantine").allSatisfy { !$0.hasPrefix(".") }, "\(label)", sourceLocation: sourceLocation)
        #expect(serviceListing(comm.maildir + "/tmp").isEmpty, "\(label)", sourceLocation: sourceLocation)
        #expect(try admin.checkStore().messages.isEmpty, "\(label)", sourceLocation: sourceLocation)
    }

    @Test(.flatStoreOnly, arguments: blockSteps)
    func blockSurvivesAFailureAtEachStep(_ step: Step) throws {
        let w = try ServiceWorld()
        let comm = try w.importMessages(count: 2)[1]  // in cur/, with flags
        let report = try w.root.fileReport(communication: comm.id, trigger: .abuseReport, reason: "spam", reporter: nil)
        let io = FaultyFileIO()
        let mo = try w.open(.moderator, io: io)
        step.inject(io, comm, w.storeFiles)
        let error = serviceError { try mo.block(report: report.id, ground: .harmCustomers, clause: nil, note: "phishing") }
        #expect(io.injectedCount >= 1, "\(step): the fault never fired")
        // The outcome is what the call said: refused → still visible; done → blocked.
        let state = try w.communication(comm.id).state
        #expect(state == (error == nil ? .blocked : .visible), "\(step): \(String(describing: error)), state \(state)")
        if let error { #expect(error.exitCode == 1 || error.exitCode == 75, "\(step): \(error)") }
        try Self.expectOneCopyAfterReconcile(w, comm, "block, \(step)")
    }

    @Test(.flatStoreOnly, arguments: unblockSteps)
    func unblockSurvivesAFailureAtEachStep(_ step: Step) throws {
        let w = try ServiceWorld()
        let comm = try w.importMessages(count: 2)[1]
        let report = try w.root.fileReport(communication: comm.id, trigger: .abuseReport, reason: "spam", reporter: nil)
        _ = try w.root.block(report: report.id, ground: .harmCustomers, clause: nil, note: "phishing")
        let io = FaultyFileIO()
        let mo = try w.open(.moderator, io: io)
        step.inject(io, comm, w.storeFiles)
        let error = serviceError { try mo.unblock(report: report.id, reason: "appeal upheld") }
        #expect(io.injectedCount >= 1, "\(step): the fault never fired")
        let state = try w.communication(comm.id).state
        #expect(state == (error == nil ? .visible : .blocked), "\(step): \(String(describing: error)), state \(state)")
        try Self.expectOneCopyAfterReconcile(w, comm, "unblock, \(step)")
    }

    /// A crash (no error, the process just gone) between the steps leaves these file layouts;
    /// reconcile finishes each move the committed state asks for.
    @Test func reconcileFinishesInterruptedMoves() throws {
        let w = try ServiceWorld()
        // Visible, with a leftover quarantine copy (crash after the copy, before the commit).
        let (a, _) = try w.openCase()
        try FileManager.default.copyItem(atPath: a.maildirPath, toPath: w.storeFiles + "/quarantine/" + a.id)
        // Blocked, still in its Maildir (crash after the commit, before the removal).
        let (b, rb) = try w.openCase()
        let bBytes = try #require(serviceFileBytes(b.maildirPath))
        _ = try w.root.block(report: rb.id, ground: .harmCompany, clause: nil, note: "x")
        FileManager.default.createFile(atPath: b.maildirPath, contents: Data(bBytes))
        // Visible again, but only the quarantine copy exists (crash after unblock's commit with
        // the Maildir copy not yet durable).
        let (c, rc) = try w.openCase()
        _ = try w.root.block(report: rc.id, ground: .harmCompany, clause: nil, note: "x")
        _ = try w.root.unblock(report: rc.id, reason: "y")
        try FileManager.default.copyItem(atPath: c.maildirPath, toPath: w.storeFiles + "/quarantine/" + c.id)
        try FileManager.default.removeItem(atPath: c.maildirPath)
        // Blocked, with a damaged quarantine copy: the Maildir copy must not be removed.
        let (d, rd) = try w.openCase()
        let dBytes = try #require(serviceFileBytes(d.maildirPath))
        _ = try w.root.block(report: rd.id, ground: .harmCompany, clause: nil, note: "x")
        FileManager.default.createFile(atPath: d.maildirPath, contents: Data(dBytes))
        FileManager.default.createFile(atPath: w.storeFiles + "/quarantine/" + d.id, contents: Data("trunc".utf8))
        #expect(try w.root.checkStore().messages.count == 4)
        _ = try w.root.reconcileMessages()
        for comm in [a, c] {
            let files = Self.copies(of: comm, store: w.storeFiles)
            #expect(files.quarantine.isEmpty && files.maildir.count == 1 && Self.intact(files.maildir[0], comm), "\(comm.id)")
        }
        let fb = Self.copies(of: b, store: w.storeFiles)
        #expect(fb.maildir.isEmpty && fb.quarantine.count == 1 && Self.intact(fb.quarantine[0], b))
        let fd = Self.copies(of: d, store: w.storeFiles)
        #expect(fd.maildir.count == 1 && Self.intact(fd.maildir[0], d), "the only intact copy of \(d.id) was removed")
        // Unblocking it must not copy the damaged quarantine copy over the intact one.
        let seq = w.seq
        #expect(serviceExitCode { try w.root.unblock(report: rd.id, reason: "appeal upheld") } == 1)
        // Refused, and the refusal (only) is audited.
        #expect(w.seq == seq + 1)
        #expect(w.lastAudit?.action == "comms.file-refused" && w.lastAudit?.target == d.id)
        let after = Self.copies(of: d, store: w.storeFiles)
        #expect(after.maildir.count == 1 && Self.intact(after.maildir[0], d), "unblock destroyed the intact copy of \(d.id)")
    }
}
