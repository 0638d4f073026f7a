import PrivacyOps

/// Opens the console on a store for its acting user.
public enum ConsoleLauncher {
    /// Runs the console until the user quits; returns the process exit code.
    public static func run(ops: PrivacyOps, readOnly: Bool, monochrome: Bool) throws -> Int32 {
        throw OpsError.failure("the console screens are not built yet: use the subcommands (see 'lgadmin --help')")
    }
}
