import Testing

@testable import ConsoleUI

/// A small application: a table of rows, `q` quits from the top, Enter opens a detail level
/// from which Esc goes back, `x` changes nothing.
final class TestApp: ConsoleApp {
    var table = TableView(columns: [TableColumn("ID", minWidth: 4), TableColumn("Name", minWidth: 10, flex: 1), TableColumn("Email", minWidth: 10, flex: 1)])
    let source = CountingSource(count: 50)
    var inDetail = false
    var keysSeen: [Key] = []
    var ticks = 0
    var tickChanges = false
    var drawn = 0
    var sizes: [(Int, Int)] = []
    var flash = FlashLine()

    func draw(on screen: TerminalScreen) {
        drawn += 1
        let layout = ConsoleLayout(size: screen.size)
        HeaderBar.draw(left: "test", right: "", on: screen, row: layout.header.row, width: layout.cols)
        if inDetail {
            screen.put("detail of row \(table.cursor + 1)", row: layout.body.row, col: 0)
        } else {
            table.draw(source, on: screen, in: layout.body)
        }
        flash.draw(on: screen, row: layout.flash.row, width: layout.cols)
    }

    func handle(_ key: Key) -> KeyResult {
        keysSeen.append(key)
        switch key {
        case .char("q") where !inDetail: return .quit
        case .enter: inDetail = true; return .redraw
        case .escape: inDetail = false; return .redraw
        case .char("x"): return .unchanged
        default: return table.handleNavigation(key, in: source) ? .redraw : .unchanged
        }
    }

    func tick(now: ContinuousClock.Instant) -> Bool {
        ticks += 1
        return tickChanges
    }

    func resized(to size: (rows: Int, cols: Int)) { sizes.append((size.rows, size.cols)) }
}

@Suite struct EventLoopTests {
    private func loop(_ keys: ScriptedKeySource, app: TestApp = TestApp(), term: MemoryTerminal = MemoryTerminal(), signal: @escaping () -> Int32? = { nil }) -> EventLoop<TestApp, ScriptedKeySource> {
        EventLoop(app: app, keys: keys, screen: term, pendingSignal: signal)
    }

    @Test func leavesOnQFromTheTopAndClosesTheScreen() {
        let term = MemoryTerminal()
        let app = TestApp()
        let keys = ScriptedKeySource([.char("j"), .enter, .char("q"), .escape, .char("q"), .char("j")])
        let reason = loop(keys, app: app, term: term).run()
        #expect(reason == .quit)
        #expect(term.isClosed)
        // q inside the detail level did not quit; the one after Esc did; nothing after it ran.
        #expect(app.keysSeen == [.char("j"), .enter, .char("q"), .escape, .char("q")])
        #expect(keys.consumed == 5)
        #expect(term.text.contains("Customer 2"))
        #expect(term.rowsWithStyle(.selected) == [ConsoleLayout(rows: 24, cols: 80).body.row + 2])
    }

    @Test func leavesOnASignalFlag() {
        let term = MemoryTerminal()
        let keys = ScriptedKeySource([.char("j"), .timeout, .char("j"), .char("j")], whenExhausted: .timeout)
        var flag: Int32 = 0
        keys.beforeKey = { index in if index == 2 { flag = 15 } }  // SIGTERM while waiting for a key
        let app = TestApp()
        let reason = loop(keys, app: app, term: term, signal: { flag == 0 ? nil : flag }).run()
        #expect(reason == .signal(15))
        #expect(term.isClosed)
        #expect(app.keysSeen == [.char("j")])  // the key read with the signal is not acted on
    }

    @Test func aSignalBeforeTheFirstKeyLeavesAtOnce() {
        let term = MemoryTerminal()
        let keys = ScriptedKeySource([.char("j")])
        let reason = loop(keys, term: term, signal: { 2 }).run()
        #expect(reason == .signal(2))
        #expect(keys.consumed == 0)
        #expect(term.isClosed)
    }

    @Test func leavesOnHangup() {
        let term = MemoryTerminal()
        let keys = ScriptedKeySource([.char("j"), .timeout, .hangup, .char("q")])
        let app = TestApp()
        let reason = loop(keys, app: app, term: term).run()
        #expect(reason == .hangup)
        #expect(term.isClosed)
        #expect(keys.consumed == 3)
    }

    @Test func redrawsOnlyWhenSomethingChanged() {
        let term = MemoryTerminal()
        let app = TestApp()
        let keys = ScriptedKeySource([.char("x"), .timeout, .char("x"), .timeout, .char("j"), .char("x"), .char("q")])
        let loop = loop(keys, app: app, term: term)
        loop.run()
        #expect(app.ticks == 2)  // on each timeout (keys came faster than the tick interval)
        #expect(loop.drawCount == 2)  // the first frame and after j
        #expect(app.drawn == 2)
        #expect(term.flushCount == 2)
        #expect(term.lastFlushCellCount > 0 && term.lastFlushCellCount < 80 * 3)  // only the changed rows
    }

    @Test func tickCanAskForARedraw() {
        let app = TestApp()
        app.tickChanges = true
        let start = ContinuousClock.now
        app.flash.show("saved", now: start)
        let term = MemoryTerminal()
        let loop = loop(ScriptedKeySource([.timeout, .timeout, .char("q")]), app: app, term: term)
        loop.run()
        #expect(loop.drawCount == 3)
    }

    @Test func resizeRedrawsAndTooSmallShowsTheNotice() {
        let term = MemoryTerminal(rows: 24, cols: 80)
        let app = TestApp()
        let keys = ScriptedKeySource([.resize, .char("j"), .resize, .char("j"), .char("q")])
        var snapshots: [String] = []
        keys.beforeKey = { index in
            switch index {
            case 0: term.resize(rows: 20, cols: 70)
            case 1: snapshots.append(term.text)
            case 2: term.resize(rows: 50, cols: 200)
            default: break
            }
        }
        let reason = loop(keys, app: app, term: term).run()
        #expect(reason == .quit)
        #expect(snapshots.first?.contains("terminal too small: need 80×24, have 70×20") == true)
        // The key pressed while too small was not acted on; the one after was.
        #expect(app.keysSeen == [.char("j"), .char("q")])
        #expect(app.sizes.map { "\($0.1)×\($0.0)" } == ["70×20", "200×50"])
        #expect(term.size == (50, 200))
        #expect(term.text.contains("row 2 of 50"))
    }

    @Test func qQuitsEvenWhenTooSmall() {
        let term = MemoryTerminal(rows: 10, cols: 40)
        let reason = loop(ScriptedKeySource([.char("j"), .char("q")]), term: term).run()
        #expect(reason == .quit)
        #expect(term.text.contains("need 80×24, have 40×10"))
    }
}
