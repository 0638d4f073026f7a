import Harness
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

/// Bracketed paste at the byte level: what a terminal sends (`ESC [ 200 ~` text `ESC [ 201 ~`,
/// which ncurses delivers as plain characters) becomes one paste event; pasted text is never
/// key presses, whatever it holds, however it is split across reads, and however it ends.
@Suite struct BracketedPasteTests {
    static let start = "\u{1B}[200~"
    static let end = "\u{1B}[201~"

    /// The characters the terminal sends for `text`, one read each.
    static func sent(_ text: String) -> [TerminalInput] { text.unicodeScalars.map { .scalar($0) } }

    static func decode(_ inputs: [TerminalInput], limit: Int = PasteDecoder.defaultLimit) -> (keys: [Key], decoder: PasteDecoder) {
        var decoder = PasteDecoder(limit: limit)
        var keys: [Key] = []
        for input in inputs { keys += decoder.feed(input) }
        return (keys, decoder)
    }

    /// A paste holding every key that would act if typed: Enter (CR, LF, CR LF), Esc, q, :,
    /// Ctrl keys, Tab, Backspace, an arrow's and a mouse report's escape sequence.
    static let hostile = "line one\rq\n:q\r\n\u{1B}x\u{03}\u{04}\u{15}\tD\u{7F}\u{1B}[A\u{1B}[M !!\u{1B}[20x y"

    @Test func aPasteIsOneEventWhateverItHolds() {
        let (keys, decoder) = Self.decode(Self.sent("j" + Self.start + Self.hostile + Self.end + "k"))
        #expect(keys == [.char("j"), .paste(Self.hostile), .char("k")], "\(keys)")
        #expect(!decoder.isInPaste && !decoder.isMatchingMarker && !decoder.wasCut)
        // Two pastes in a row, and an empty one.
        let twice = Self.decode(Self.sent(Self.start + "a" + Self.end + Self.start + Self.end + Self.start + "\n" + Self.end)).keys
        #expect(twice == [.paste("a"), .paste(""), .paste("\n")])
    }

    @Test func partialStartMarkersAreTheKeysTheyWere() {
        #expect(Self.decode(Self.sent("\u{1B}[2x")).keys == [.escape, .char("["), .char("2"), .char("x")])
        #expect(Self.decode(Self.sent("\u{1B}[201~")).keys == [.escape, .char("["), .char("2"), .char("0"), .char("1"), .char("~")],
                "an end marker outside a paste is no paste")
        #expect(Self.decode(Self.sent("\u{1B}\u{1B}[200~hi" + Self.end)).keys == [.escape, .paste("hi")])
        // Esc alone: held until the reader says input paused, then Esc.
        var decoder = PasteDecoder()
        #expect(decoder.feed(.scalar("\u{1B}")).isEmpty)
        #expect(decoder.isMatchingMarker)
        #expect(decoder.inputPaused() == [.escape])
        // A key ncurses decoded right after Esc: Esc, then the key.
        #expect(decoder.feed(.scalar("\u{1B}")).isEmpty)
        #expect(decoder.feed(.key(.up)) == [.escape, .up])
    }

    @Test func aNestedStartMarkerIsDroppedAndPartialEndMarkersAreText() {
        let keys = Self.decode(Self.sent(Self.start + "a" + Self.start + "b\u{1B}[201x\u{1B}[20" + Self.end + "q")).keys
        #expect(keys == [.paste("ab\u{1B}[201x\u{1B}[20"), .char("q")], "\(keys)")
    }

    @Test func keysDecodedInsideAPasteAreDroppedAndAResizePassesAtOnce() {
        let inputs: [TerminalInput] = Self.sent(Self.start + "a") + [.key(.up), .key(.enter)] + Self.sent("b") + [.key(.resize)]
            + Self.sent("c" + Self.end)
        #expect(Self.decode(inputs).keys == [.resize, .paste("abc")])
    }

    @Test func aPasteOverTheLimitIsCutAndItsRestIsNeverKeys() {
        let (keys, decoder) = Self.decode(Self.sent(Self.start + "0123456789:q\r" + Self.end + "j"), limit: 8)
        #expect(keys == [.paste("01234567"), .char("j")], "\(keys)")
        #expect(decoder.wasCut)
        // Multi-byte characters count by their UTF-8 bytes and are never split.
        #expect(Self.decode(Self.sent(Self.start + "ab日本" + Self.end), limit: 6).keys == [.paste("ab日")])
    }

    @Test func anUnterminatedPasteEndsAsAPasteWhenFinished() {
        var decoder = PasteDecoder()
        var keys: [Key] = []
        for input in Self.sent(Self.start + "rm -rf /\r:q\r\u{1B}[20") { keys += decoder.feed(input) }
        #expect(keys.isEmpty && decoder.isInPaste)
        #expect(decoder.inputPaused().isEmpty, "a pause does not end a paste")
        #expect(decoder.finish() == [.paste("rm -rf /\r:q\r\u{1B}[20")])
        #expect(!decoder.isInPaste)
        #expect(decoder.feed(.scalar("q")) == [.char("q")], "after the end, keys are keys again")
    }

    // MARK: Through the reader

    /// Reads played back to ``DecodingKeySource``, with the waits it asked for.
    final class ScriptedReads: RawTerminalInput {
        var reads: [RawRead]
        private(set) var waits: [Duration] = []
        init(_ reads: [RawRead]) { self.reads = reads }
        func read(timeout: Duration) -> RawRead {
            waits.append(timeout)
            return reads.isEmpty ? .nothing(after: .zero) : reads.removeFirst()
        }
    }

    static let tick = RawRead.nothing(after: .milliseconds(250))
    /// When the script runs out, reads fail at once: four are timeouts, the fifth a hang-up.
    static let hangupTail: [Key] = Array(repeating: .timeout, count: 4) + [.hangup]

    static func reads(_ text: String) -> [RawRead] { sent(text).map { .input($0) } }

    /// Keys until (and with) the first hang-up, at most `limit`.
    static func keys(_ source: DecodingKeySource<ScriptedReads>, limit: Int = 200) -> [Key] {
        var out: [Key] = []
        while out.count < limit {
            let k = source.nextKey()
            out.append(k)
            if k == .hangup { break }
        }
        return out
    }

    static func reader(_ reads: [RawRead]) -> (DecodingKeySource<ScriptedReads>, ScriptedReads) {
        let raw = ScriptedReads(reads)
        return (DecodingKeySource(source: raw, timeout: .milliseconds(250), escapeDelay: .milliseconds(25), pasteIdleLimit: .seconds(2)), raw)
    }

    @Test func aPasteSplitAcrossReadsIsStillOnePaste() {
        // The body and the end marker arrive in pieces, with timeouts between.
        let (source, _) = Self.reader(Self.reads(Self.start + "ab\r") + [Self.tick] + Self.reads("q\u{1B}[2") + [Self.tick, Self.tick]
                                      + Self.reads("01~") + Self.reads("x"))
        #expect(Self.keys(source) == [.timeout, .timeout, .timeout, .paste("ab\rq"), .char("x")] + Self.hangupTail)
    }

    @Test func escFollowedByNothingIsEscAfterTheEscapeDelay() {
        let (source, raw) = Self.reader(Self.reads("\u{1B}") + [.nothing(after: .milliseconds(25))] + Self.reads("j"))
        #expect(source.nextKey() == .escape)
        #expect(raw.waits == [.milliseconds(250), .milliseconds(25)], "after Esc it waits only the escape delay")
        #expect(source.nextKey() == .char("j"))
    }

    @Test func anUnterminatedPasteEndsAfterTheIdleLimitAndLaterKeysAreKeys() {
        let (source, _) = Self.reader(Self.reads(Self.start + "text\r") + Array(repeating: Self.tick, count: 8) + Self.reads("q"))
        let keys = Self.keys(source)
        #expect(keys == Array(repeating: .timeout, count: 7) + [.paste("text\r"), .char("q")] + Self.hangupTail, "\(keys)")
    }

    @Test func aPasteOpenWhenTheTerminalGoesIsDeliveredBeforeTheHangup() {
        let (source, _) = Self.reader(Self.reads(Self.start + "half a paste"))
        // Four fast failures are timeouts (the paste stays open); the fifth is the hang-up.
        #expect(Self.keys(source) == Array(repeating: .timeout, count: 4) + [.paste("half a paste"), .hangup])
    }

    /// Random pasted text (markers' pieces, line breaks, Esc, q, :, Ctrl keys, non-ASCII),
    /// split at random points with timeouts between: always exactly one paste, the text
    /// itself, and nothing else but timeouts.
    @Test func randomPastesSplitAnywhereAreOnePaste() {
        var rng = SeededRandom.fromEnvironment()
        let alphabet: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "1", "~", "\r", "\n", "q", ":", "\u{03}", "\u{7F}", "\t", "a", " ", "é", "日"]
        for round in 0..<500 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 40) { text.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            let body = String(text)
            // A start marker inside would be dropped and an end marker would end it early: the
            // terminal never sends either inside a paste (it filters them), so neither is here.
            guard !body.contains("\u{1B}[20") else { continue }
            var reads = Self.reads(Self.start)
            var timeouts = 0
            for s in (body + Self.end).unicodeScalars {
                if rng.next() % 4 == 0 {
                    reads.append(Self.tick)
                    timeouts += 1
                }
                reads.append(.input(.scalar(s)))
            }
            let (source, _) = Self.reader(reads)
            let keys = Self.keys(source)
            let expected = Array(repeating: Key.timeout, count: timeouts) + [.paste(body)] + Self.hangupTail
            #expect(keys == expected, "\(rng), round \(round): \(body.debugDescription) gave \(keys)")
        }
    }
}
