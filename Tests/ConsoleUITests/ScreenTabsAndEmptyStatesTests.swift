import Foundation
import PrivacyOps
import Testing

@testable import ConsoleUI

/// Tabs a role cannot use are not shown (the service decides which), number keys open the
/// visible ones and refuse the others in one line, and empty lists say what to do.
@Suite struct ScreenTabsAndEmptyStatesTests {
    /// Each role's tab line at 80 columns, and the keys of the tabs it does not get.
    static let roles: [(user: String, tabs: String, hidden: [(key: Character, title: String)])] = [
        ("root", "1 Customers  2 Opt-outs  3 Reports  4 Disclosures  5 Audit  6 Policy  7 Traffic", []),
        ("sam", " 1 Customers   2 Opt-outs", [("3", "Reports"), ("4", "Disclosures"), ("5", "Audit"), ("6", "Policy"), ("7", "Traffic")]),
        ("mo", " 1 Customers   3 Reports", [("2", "Opt-outs"), ("4", "Disclosures"), ("5", "Audit"), ("6", "Policy"), ("7", "Traffic")]),
        ("aud", " 1 Customers   2 Opt-outs   3 Reports   4 Disclosures   5 Audit   6 Policy", [("7", "Traffic")]),
    ]

    @Test(arguments: roles.map(\.user))
    func eachRoleSeesOnlyItsTabsAt80Columns(user: String) throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let expected = try #require(Self.roles.first { $0.user == user })
        let ui = try world.console(user, size: .standard)
        #expect(ui.lines[1] == expected.tabs, "\(ui.dump)")
        // The tabs are the service's answer.
        let ops = try world.open(user)
        let titles = ["customers": "Customers", "optouts": "Opt-outs", "reports": "Reports", "disclosures": "Disclosures",
                      "audit": "Audit", "policy": "Policy", "traffic": "Traffic"]
        for w in Workspace.allCases {
            #expect(ui.lines[1].contains(titles[w.rawValue]!) == ops.mayUse(w), "\(w) for \(user)")
        }
        // Number keys open the visible tabs…
        for k in 1...7 {
            let key = Character(String(k))
            guard !expected.hidden.contains(where: { $0.key == key }) else { continue }
            ui.press(.escape, .escape, .char(key))
            let title = try #require(ui.app.screens.first { ui.lines[1].contains("\(k) \($0.title)") }?.title)
            #expect(ui.crumbs.hasPrefix(" \(title)"), "\(k) for \(user): \(ui.crumbs)")
        }
        // …and refuse the others in one line, staying where they are.
        for (key, title) in expected.hidden {
            let before = ui.crumbs
            ui.press(.escape, .escape, .char(key))
            #expect(ui.flash.contains("\(title) is not available to \(user)"), "\(key) for \(user): \(ui.flash)")
            #expect(ui.crumbs == before)
        }
        // Tab cycles through the visible tabs only.
        var seen = Set<String>()
        for _ in 0..<8 {
            ui.press(.tab)
            seen.insert(ui.screen.title)
        }
        #expect(seen == Set(ui.app.screens.filter { ops.mayUse($0.workspace) }.map(\.title)))
    }

    @Test func aRoleTakenAwayLeavesTheScreenItMayNoLongerUse() throws {
        let world = try ScreenWorld(extraCustomers: 1)
        let ui = try world.console("sam")
        #expect(ui.screen.id == .optOuts)
        _ = try world.admin.grant(user: "sam", role: .moderator)
        ui.tick()
        #expect(ui.screen.id == .reports, "\(ui.dump)")
        #expect(ui.lines[1] == " 1 Customers   3 Reports", "\(ui.dump)")
    }

    /// A store with staff but no records.
    static func emptyStore() throws -> (base: String, open: (String) throws -> PrivacyOps) {
        let base = NSTemporaryDirectory() + "lgadmin-empty-" + UUID().uuidString
        let path = base + "/store"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let clock = ScreenClock(ScreenWorld.start)
        let admin = try PrivacyOps.initialize(at: path, actor: ScreenWorld.root, clock: clock.function)
        for (name, role) in [("sam", Role.support), ("mo", .moderator), ("aud", .auditor)] { _ = try admin.grant(user: name, role: role) }
        return (base, { user in
            try PrivacyOps.open(at: path, actor: user == "root" ? ScreenWorld.root : ActorIdentity(name: user, isRoot: false),
                                readOnly: false, clock: clock.function)
        })
    }

    @Test func emptyListsSayWhatToDo() throws {
        let store = try Self.emptyStore()
        defer { try? FileManager.default.removeItem(atPath: store.base) }
        let sam = ScreenDriver(ops: try store.open("sam"), size: .standard)
        #expect(sam.text.contains("No opt-out requests. New ones arrive from the contact form; 'lgadmin optouts"), "\(sam.dump)")
        #expect(sam.text.contains("ingest' takes them in (this console does every few seconds)."), "wrapped, not cut: \(sam.dump)")
        sam.press(.char("1"))
        #expect(sam.text.contains("No customers yet. Press A to add one"), "\(sam.dump)")
        sam.press(.char("/"))
        sam.type("zzz")
        sam.tick()
        #expect(sam.text.contains("Nothing matches \"zzz\". Esc clears the filter."), "\(sam.dump)")

        let aud = ScreenDriver(ops: try store.open("aud"), size: .standard)
        aud.press(.char("2"))
        #expect(aud.text.contains("No opt-out requests. New ones arrive from the contact form; support staff"), "\(aud.dump)")
        aud.press(.char("1"))
        #expect(aud.text.contains("No customers yet: support staff and admins add them."), "\(aud.dump)")
        aud.press(.char("3"))
        #expect(aud.text.contains("No reports. Support staff, moderators and admins file them"), "\(aud.dump)")

        let mo = ScreenDriver(ops: try store.open("mo"), size: .standard)
        #expect(mo.text.contains("No reports. File one on a communication from a customer's detail"), "\(mo.dump)")

        let root = ScreenDriver(ops: try store.open("root"), size: .standard)
        root.press(.char("4"))
        #expect(root.text.contains("No disclosure requests. Press A to record one"), "\(root.dump)")
        root.press(.char(":"))
        root.type("optouts rejected")
        root.press(.enter)
        #expect(root.text.contains("No rejected opt-out requests. :optouts shows the open queue."), "\(root.dump)")
    }
}
