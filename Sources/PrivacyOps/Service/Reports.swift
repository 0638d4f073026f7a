import Crypto
import Foundation

/// A transparency report as generated: the figures, the exact bytes printed, their SHA-256 and
/// the audit event that recorded the generation.
public struct TransparencyReportOutput: Sendable {
    public var report: TransparencyReport
    public var format: ReportFormat
    public var bytes: [UInt8]
    public var sha256: String
    /// The seq of the `transparency.report` audit event (the head the report names, plus one).
    public var auditSeq: Int

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

extension PrivacyOps {
    /// The service's time now (its clock, injected in tests), as stored: for front ends that
    /// offer periods around today.
    public var currentTime: String { nowString }

    /// Generates the transparency report for `period` in `format` (admins and auditors).
    ///
    /// Generating it is audited: the report is computed under the writer lock from the store as
    /// it stands, rendered, hashed, and committed as one `transparency.report` event naming the
    /// period, the format, the store seq and audit head it was computed from and the SHA-256 of
    /// the output. So the event's `prev_hash` is the head the report prints, and whoever holds
    /// the output can match it to its event. A store that cannot record the event (read-only)
    /// gives no report (75).
    public func transparencyReport(_ period: ReportPeriod, format: ReportFormat) throws -> TransparencyReportOutput {
        try change(.transparencyReport, target: period.label) { ctx in
            let report = try TransparencyReport.compute(from: ctx.view, period: period, now: ctx.nowDate)
            let bytes = report.rendered(format)
            let sha = MessageMover.hex(SHA256.hash(data: bytes))
            let detail = "transparency report \(period.label) (\(period.days)), \(format.rawValue); computed from store seq \(report.storeSeq) "
                + "and audit head \(report.auditHead.description); sha256 \(sha)"
            return (detail, TransparencyReportOutput(report: report, format: format, bytes: bytes, sha256: sha, auditSeq: report.auditHead.seq + 1))
        }
    }

    /// Runs the policy check (admins and auditors): one row per promise of DESIGN.md §2b, on
    /// the store as it stands (see ``PolicyChecks`` for what each row checks).
    ///
    /// Not audited: it is a read like `audit verify` and `store check`, it shows ids and counts,
    /// never personal data or content, and the console runs it after every change (recording each
    /// run would change the store it is checking, without end). It reads every file of the store
    /// (the card-number scan) and every message file (read-only), so on a large store it takes
    /// as long as `store scan` and `store check` together: the console runs it in the background.
    public func policyCheck() throws -> PolicyCheckResult {
        try authorize(.policyCheck)
        let v = view()
        let scan = scanFiles()
        let inputs = PolicyCheckInputs(cardFindings: scan.findings, filesScanned: scan.files, messageFileProblems: try messageFileProblems())
        return try PolicyChecks.run(on: v, now: now, inputs: inputs)
    }

    /// The policy check's rows on the store as it stands with `inputs` given (tests give the
    /// file-based findings and the list definitions they need).
    func policyCheck(inputs: PolicyCheckInputs) throws -> PolicyCheckResult {
        try authorize(.policyCheck)
        return try PolicyChecks.run(on: view(), now: now, inputs: inputs)
    }
}
