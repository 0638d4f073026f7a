import Foundation
import Testing

@testable import PrivacyOps

/// The console's command history as the service keeps it: per user, 0600, at most 500
/// entries, never a card number, and an unreadable file is an empty history.
@Suite struct CommandHistoryTests {
    static func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "lgadmin-history-" + ServiceWorld.digitFreeUUID()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    @Test func keptAcrossSessionsInA0600File() throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let dir = UserStateDirectory(path: base + "/state/lgadmin")
        var first = CommandHistory(directory: dir)
        #expect(first.entries.isEmpty)
        try first.add("customers active", on: .command)
        try first.add("smith", on: .filter)
        try first.add("optouts", on: .command)
        // Typed again: moved to the end, not repeated.
        try first.add("customers active", on: .command)
        let second = CommandHistory(directory: dir)
        #expect(second.lines(on: .command) == ["optouts", "customers active"])
        #expect(second.lines(on: .filter) == ["smith"])
        #expect(Self.mode(base + "/state/lgadmin/history") == 0o600)
        #expect(Self.mode(base + "/state/lgadmin") == 0o700 && Self.mode(base + "/state") == 0o700)
        #expect(String(decoding: try #require(FileManager.default.contents(atPath: base + "/state/lgadmin/history")), as: UTF8.self)
                == "/smith\n:optouts\n:customers active\n")
    }

    @Test func twoConsolesOfOnePersonBothKeepTheirLines() throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let dir = UserStateDirectory(path: base)
        var a = CommandHistory(directory: dir), b = CommandHistory(directory: dir)
        try a.add("from a", on: .command)
        try b.add("from b", on: .command)
        #expect(CommandHistory(directory: dir).lines(on: .command) == ["from a", "from b"])
    }

    @Test func cappedAt500NewestKept() throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: base) }
        var h = CommandHistory(directory: UserStateDirectory(path: base))
        for i in 0..<520 { try h.add("line \(i)", on: i % 2 == 0 ? .command : .filter) }
        let back = CommandHistory(directory: UserStateDirectory(path: base))
        #expect(back.entries.count == 500)
        #expect(back.entries.first?.text == "line 20" && back.entries.last?.text == "line 519")
    }

    @Test(arguments: ["4111 1111 1111 1111", "customers 4111-1111-1111-1111", "card\u{FF14}\u{FF11}\u{FF11}\u{FF11}111111111111"])
    func aLineHoldingACardNumberIsNeverStored(_ line: String) throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: base) }
        var h = CommandHistory(directory: UserStateDirectory(path: base))
        try h.add("before", on: .filter)
        #expect(try h.add(line, on: .filter) == false)
        #expect(h.lines(on: .filter) == ["before"])
        let file = String(decoding: try #require(FileManager.default.contents(atPath: base + "/history")), as: UTF8.self)
        #expect(!CardNumberGuardPropertyTests.asciiDigits(file).contains("411111111111"), "\(file)")
        // Planted in the file by hand: not read back.
        try Data("/\(line)\n:fine\n".utf8).write(to: URL(fileURLWithPath: base + "/history"))
        #expect(CommandHistory(directory: UserStateDirectory(path: base)).entries == [CommandHistory.Entry(prompt: .command, text: "fine")])
    }

    @Test func anUnreadableFileIsAnEmptyHistory() throws {
        let base = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let dir = UserStateDirectory(path: base)
        // A folder where the file should be.
        try FileManager.default.createDirectory(atPath: base + "/history", withIntermediateDirectories: true)
        #expect(CommandHistory(directory: dir).entries.isEmpty)
        var h = CommandHistory(directory: dir)
        // Saving fails, with a message; the line is kept for the session.
        #expect(throws: OpsError.self) { try h.add("kept in memory", on: .command) }
        #expect(h.lines(on: .command) == ["kept in memory"])
        try FileManager.default.removeItem(atPath: base + "/history")
        // A symbolic link to a file full of entries: not followed.
        try Data(":secret\n".utf8).write(to: URL(fileURLWithPath: base + "/elsewhere"))
        try FileManager.default.createSymbolicLink(atPath: base + "/history", withDestinationPath: base + "/elsewhere")
        #expect(CommandHistory(directory: dir).entries.isEmpty)
        // Saving replaces the link itself, never the file it points to.
        var g = CommandHistory(directory: dir)
        try g.add("new", on: .command)
        #expect(String(decoding: try #require(FileManager.default.contents(atPath: base + "/elsewhere")), as: UTF8.self) == ":secret\n")
        #expect(CommandHistory(directory: dir).lines(on: .command) == ["new"])
        // Garbage: bytes that are not UTF-8, control characters, unknown prompts, a huge file.
        try Data([0xFF, 0xFE, 0x0A] + Array("?what\n:ok\n:\u{1B}[31mred\n".utf8)).write(to: URL(fileURLWithPath: base + "/history"))
        #expect(CommandHistory(directory: dir).lines(on: .command) == ["ok"])
        try Data(repeating: UInt8(ascii: ":"), count: UserStateDirectory.maximumFileSize + 1).write(to: URL(fileURLWithPath: base + "/history"))
        #expect(CommandHistory(directory: dir).entries.isEmpty)
    }

    @Test func theDirectoryIsTheUsersOwn() {
        let me = ActorIdentity(name: "ada", isRoot: false)
        #expect(UserStateDirectory.current(actor: me, environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/ada"])?.path == "/x/state/lgadmin")
        #expect(UserStateDirectory.current(actor: me, environment: ["HOME": "/home/ada"])?.path == "/home/ada/.local/state/lgadmin")
        // A relative XDG_STATE_HOME is ignored, as the XDG specification says.
        #expect(UserStateDirectory.current(actor: me, environment: ["XDG_STATE_HOME": "state", "HOME": "/home/ada"])?.path
                == "/home/ada/.local/state/lgadmin")
        // Under sudo: the invoking user's home (from the password database), with their rights.
        let nobody = InvokingUser(uid: 65534, gid: 65534, name: "nobody")
        let sudo = ActorIdentity(name: "nobody", isRoot: false, invokingUser: nobody)
        let dir = UserStateDirectory.current(actor: sudo, environment: ["HOME": "/root", "XDG_STATE_HOME": "/root/.state"])
        #expect(dir?.user == nobody)
        #expect(dir.map { !$0.path.hasPrefix("/root") } ?? true, "\(String(describing: dir))")
    }
}
