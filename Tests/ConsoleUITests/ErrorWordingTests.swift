import PrivacyOps
import Testing

@testable import ConsoleUI

/// The service says what to do as an ``OpsRemedy``; the console words it with its own keys, and
/// names a command only for what it cannot do itself.
@Suite struct ErrorWordingTests {
    @Test func theConsoleWordsRemediesWithItsOwnKeys() throws {
        let conflict = OpsError.conflict(OpsProblem("customer C0000001 changed since version 1 (it is now at version 2)",
                                                    record: OpsRecordRef(kind: .customer, id: "C0000001"),
                                                    remedy: .reloadAndRetry(currentVersion: 2)))
        #expect(conflict.consoleText.hasPrefix("customer C0000001 changed since version 1"))
        #expect(conflict.consoleText.contains("press R"), "\(conflict.consoleText)")
        #expect(!conflict.consoleText.contains("--expect-version"), "no command-line flag in the console: \(conflict.consoleText)")
        let missing = OpsError.notFound(OpsProblem("no report R0000009", record: OpsRecordRef(kind: .report, id: "R0000009"),
                                                   remedy: .listRecords(.report)))
        #expect(!missing.consoleText.contains("lgadmin"), "\(missing.consoleText)")
        // Words alone (not yet structured) pass through unchanged.
        #expect(OpsError.invalid("name is empty: give a value").consoleText == "name is empty: give a value")
    }
}
