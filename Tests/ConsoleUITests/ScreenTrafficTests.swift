import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// The Traffic screen: admin only, a run only on `t` (each is audited), a progress line while
/// the background job reads, then the report, with nothing of a visitor on screen.
@Suite struct ScreenTrafficTests {
    /// Twelve clients read / and /docs on 10 March 2026; two read /rare.
    static func writeLog(_ world: ScreenWorld) throws -> String {
        var lines: [String] = []
        for c in 1...12 {
            for page in ["/", "/docs?session=secret\(c)"] {
                lines.append("198.51.100.\(c) - - [10/Mar/2026:10:00:00 +0000] \"GET \(page) HTTP/1.1\" 200 99 \"https://www.google.com/\" \"Mozilla/5.0\"")
            }
        }
        for c in 1...2 { lines.append("rare\(c).pool.example-isp.net - - [10/Mar/2026:11:00:00 +0000] \"GET /rare HTTP/1.1\" 200 9 \"-\" \"Mozilla/5.0\"") }
        lines.append("198.51.100.250 garbage")
        let path = world.base + "/access.log"
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func anAdminRunsTheReportAndSeesOnlyAggregates() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let log = try Self.writeLog(world)
        let ui = try world.console("root", trafficLogs: [log])
        ui.press(.char("7"))
        #expect(ui.text.contains("Press t to read these 1 access log(s)"), "\(ui.dump)")
        let before = world.newestAudit?.seq ?? 0
        ui.press(.char("t"))
        let screen = try #require(ui.app.screen as? TrafficController)
        let job = try #require(screen.job)
        #expect(ui.text.contains("reading") || ui.text.contains("opening"), "\(ui.dump)")
        _ = job.wait()
        ui.tick()
        // K = 10: / and /docs have 12 visitors each → 10, 10; /rare (2) → "other", withheld with
        // the smallest cell (/docs, by fewer... equal visitors and views: the last label).
        #expect(ui.text.contains("Traffic report (aggregate only)"), "\(ui.dump)")
        #expect(ui.text.contains("other"), "\(ui.dump)")
        for secret in ["198.51.100", "secret", "rare1", "example-isp", "garbage"] {
            #expect(!ui.text.contains(secret), "\(secret) on screen\n\(ui.dump)")
        }
        let event = try #require(world.newestAudit)
        #expect(event.seq == before + 1 && event.action == "traffic.report")
        #expect(event.detail.contains(log))
    }

    @Test func withoutLogsItSaysHowToNameThem() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("root")
        ui.press(.char("7"))
        #expect(ui.text.contains("--traffic-log"), "\(ui.dump)")
        ui.press(.char("t"))
        #expect(ui.flash.contains("no access logs"), "\(ui.flash)")
    }

    @Test func otherRolesCannotRunIt() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let log = try Self.writeLog(world)
        let ui = try world.console("sam", trafficLogs: [log])
        #expect(ui.session.disabled.contains(.trafficRun))
        let before = world.newestAudit?.seq
        ui.press(.char("7"))
        ui.press(.char("t"))
        #expect((ui.app.screen as? TrafficController)?.job == nil)
        #expect(world.newestAudit?.seq == before)
    }
}
