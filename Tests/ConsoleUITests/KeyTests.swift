import Synchronization
import Testing

@testable import ConsoleUI

#if canImport(Glibc)
import Glibc
#endif

@Suite struct KeyTests {
    @Test func charactersMapToKeys() {
        #expect(Key(character: "a") == .char("a"))
        #expect(Key(character: "山") == .char("山"))
        #expect(Key(character: "\r") == .enter)
        #expect(Key(character: "\n") == .enter)
        #expect(Key(character: "\t") == .tab)
        #expect(Key(character: "\u{1B}") == .escape)
        #expect(Key(character: "\u{7F}") == .backspace)
        #expect(Key(character: "\u{08}") == .backspace)
        #expect(Key(character: "\u{06}") == .ctrl("f"))
        #expect(Key(character: "\u{15}") == .ctrl("u"))
        #expect(Key(character: "\u{17}") == .ctrl("w"))
        #expect(Key(character: "\u{1C}") == .ctrl("\\"))
        #expect(Key(character: "\u{9B}") == .unknown(0x9B))
    }

    @Test func cursesCodesMapToKeys() {
        #expect(KeyReader.key(code: 0o402) == .down)  // KEY_DOWN
        #expect(KeyReader.key(code: 0o403) == .up)
        #expect(KeyReader.key(code: 0o404) == .left)
        #expect(KeyReader.key(code: 0o405) == .right)
        #expect(KeyReader.key(code: 0o406) == .home)
        #expect(KeyReader.key(code: 0o550) == .end)
        #expect(KeyReader.key(code: 0o522) == .pageDown)
        #expect(KeyReader.key(code: 0o523) == .pageUp)
        #expect(KeyReader.key(code: 0o527) == .enter)
        #expect(KeyReader.key(code: 0o407) == .backspace)
        #expect(KeyReader.key(code: 0o512) == .delete)
        #expect(KeyReader.key(code: 0o541) == .backTab)
        #expect(KeyReader.key(code: 0o632) == .resize)
        #expect(KeyReader.key(code: 0o410 + 1) == .function(1))
        #expect(KeyReader.key(code: 0o410 + 12) == .function(12))
        #expect(KeyReader.key(code: 0o777) == .unknown(0o777))
        // wget_wch: OK (0) with a character, KEY_CODE_YES (0o400) with a key code.
        #expect(KeyReader.key(status: 0, value: 0x71) == .char("q"))
        #expect(KeyReader.key(status: 0, value: 0x03) == .ctrl("c"))
        #expect(KeyReader.key(status: 0o400, value: 0o632) == .resize)
    }

    @Test func displayNames() {
        #expect(Key.char("j").displayName == "j")
        #expect(Key.space.displayName == "Space")
        #expect(Key.ctrl("f").displayName == "Ctrl-f")
        #expect(Key.pageDown.displayName == "PgDn")
        #expect(Key.function(5).displayName == "F5")
    }

    private func fails(_ detector: inout HangupDetector, _ elapsed: Duration) -> Bool {
        detector.failedRead(after: elapsed)
    }

    @Test func readsThatFailAtOnceAreAHangup() {
        var detector = HangupDetector(timeout: .milliseconds(250))
        // Real timeouts never add up.
        for _ in 0..<100 { #expect(!fails(&detector, .milliseconds(250))) }
        // A few fast failures (a signal interrupting a read) are not enough …
        for _ in 0..<4 { #expect(!fails(&detector, .microseconds(50))) }
        // … and a success or a real timeout starts the count again.
        detector.succeeded()
        for _ in 0..<4 { #expect(!fails(&detector, .microseconds(50))) }
        #expect(!fails(&detector, .milliseconds(249)))
        for _ in 0..<4 { #expect(!fails(&detector, .zero)) }
        #expect(fails(&detector, .zero))
    }

    @Test func scriptedKeysPlayBackThenHangUp() {
        let keys = ScriptedKeySource(typing: "ab\n", then: [.up])
        #expect(keys.nextKey() == .char("a"))
        #expect(keys.nextKey() == .char("b"))
        #expect(keys.nextKey() == .enter)
        #expect(keys.nextKey() == .up)
        #expect(keys.nextKey() == .hangup)
        #expect(keys.consumed == 4)
    }
}

/// Touches the process-wide signal dispositions: serialised.
///
/// Signals are sent to the process (`kill`), not the thread: the test runs on a worker thread
/// that blocks asynchronous signals, so `raise` would leave them pending there.
@Suite(.serialized) struct SignalTests {
    /// Waits up to a second for the handler to have run.
    private func pendingAfterSending(_ signalNumber: Int32) -> Int32? {
        kill(getpid(), signalNumber)
        for _ in 0..<200 {
            if let pending = TerminationSignals.pending { return pending }
            usleep(5_000)
        }
        return TerminationSignals.pending
    }

    @Test func handlersOnlySetTheFlag() {
        TerminationSignals.reset()
        let saved = TerminationSignals.install()
        defer {
            saved.restore()
            TerminationSignals.reset()
        }
        #expect(TerminationSignals.pending == nil)
        #expect(pendingAfterSending(SIGHUP) == SIGHUP)
        TerminationSignals.reset()
        #expect(pendingAfterSending(SIGTERM) == SIGTERM)
        TerminationSignals.reset()
        #expect(pendingAfterSending(SIGINT) == SIGINT)
    }

    @Test func anIgnoredSignalStaysIgnored() {
        let before = signal(SIGHUP, SIG_IGN)
        defer { _ = signal(SIGHUP, before) }
        TerminationSignals.reset()
        let saved = TerminationSignals.install()
        // Ignored, as under nohup: the key reader notices the gone terminal instead. A signal
        // whose disposition is SIG_IGN is discarded when it is generated (POSIX), so once kill
        // returns there is nothing left to arrive: no wait is needed before looking.
        kill(getpid(), SIGHUP)
        #expect(TerminationSignals.pending == nil)
        var pending = sigset_t()
        sigpending(&pending)
        #expect(sigismember(&pending, SIGHUP) == 0)
        saved.restore()
        TerminationSignals.reset()
        // Restoring puts back exactly what was there: still ignored.
        let current = signal(SIGHUP, SIG_IGN)
        #expect(current.map { unsafeBitCast($0, to: Int.self) } == unsafeBitCast(SIG_IGN, to: Int.self))
    }
}
