#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens the real terminal and runs an application in it.
public enum Console {
    /// Installs the termination-signal handlers, opens ``CursesTerminal`` with `theme`, builds
    /// the application for that terminal, runs the ``EventLoop`` with a ``KeyReader``, and
    /// restores the terminal whatever happens.
    ///
    /// - Parameters:
    ///   - theme: usually ``Theme/resolve(noColorFlag:environment:)``; a terminal without
    ///     colours gets the monochrome theme anyway.
    ///   - makeApp: builds the application once the terminal is open (it may read the size
    ///     and the theme in use).
    /// - Returns: why the loop ended; for ``ExitReason/signal(_:)`` the caller should exit
    ///   with 128 + the signal number.
    /// - Throws: ``TerminalError`` when the terminal cannot be opened (nothing was drawn), or
    ///   whatever `makeApp` throws (the terminal is restored first).
    public static func run<App: ConsoleApp>(
        theme: Theme, timeout: Duration = .milliseconds(250),
        makeApp: (_ screen: TerminalScreen, _ theme: Theme) throws -> App
    ) throws -> ExitReason {
        TerminationSignals.reset()
        let savedHandlers = TerminationSignals.install()
        defer { savedHandlers.restore() }
        let terminal = try CursesTerminal(theme: theme)
        defer { terminal.close() }
        let app = try makeApp(terminal, terminal.theme)
        let loop = EventLoop(app: app, keys: KeyReader(terminal: terminal, timeout: timeout), screen: terminal)
        return loop.run()
    }
}
