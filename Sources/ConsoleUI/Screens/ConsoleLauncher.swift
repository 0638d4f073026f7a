import PrivacyOps

/// Opens the console on a store for its acting user.
public enum ConsoleLauncher {
    /// Runs the console until the user quits; returns the process exit code: 0 after `q` or
    /// `:q`, 128 + the signal's number after SIGINT, SIGTERM or SIGHUP, 129 when the terminal
    /// went away (a hang-up without the signal).
    ///
    /// - Parameters:
    ///   - readOnly: disable every change action (the store should be opened read-only too).
    ///   - monochrome: `--no-color` or `NO_COLOR`: attributes only, no colours.
    ///   - trafficLogs: the access logs the Traffic screen reports on.
    /// - Throws: when the terminal cannot be opened (nothing was drawn).
    public static func run(ops: PrivacyOps, readOnly: Bool, monochrome: Bool, trafficLogs: [String] = []) throws -> Int32 {
        let theme: Theme = monochrome ? .monochrome : .standard
        ops.reportReadFailuresOnRefresh()
        let reason: ExitReason
        do {
            reason = try Console.run(theme: theme, timeout: .milliseconds(50)) { screen, _ in
                PrivacyConsole(ops: ops, readOnly: readOnly, size: screen.size, trafficLogs: trafficLogs,
                               userState: UserStateDirectory.current(actor: ops.actor))
            }
        } catch let error as TerminalError {
            throw OpsError.usage(OpsProblem(error.description))
        }
        return exitCode(for: reason)
    }

    /// The console application without a terminal, for driving it headless (the benchmark):
    /// keys through ``ConsoleApp/handle(_:)``, periodic work through ``ConsoleApp/tick(now:)``,
    /// frames through ``ConsoleApp/draw(on:)`` onto a ``MemoryTerminal``, as ``EventLoop`` does.
    public static func makeApp(ops: PrivacyOps, readOnly: Bool, size: (rows: Int, cols: Int)) -> any ConsoleApp {
        PrivacyConsole(ops: ops, readOnly: readOnly, size: size)
    }

    /// The process exit code for why the console ended.
    public static func exitCode(for reason: ExitReason) -> Int32 {
        switch reason {
        case .quit: return 0
        case .signal(let number): return 128 + number
        case .hangup: return 129
        }
    }
}
