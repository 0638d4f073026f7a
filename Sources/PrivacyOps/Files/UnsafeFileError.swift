/// Why lgadmin refused a file it does not own (a message in a customer's Maildir, a quarantine
/// copy, a spool file): the file is not what the store says it is, or reaching it would mean
/// following a symbolic link or leaving the directory it belongs in. Nothing was read, written or
/// removed through it.
///
/// Each case names the place (`the file of M0000001 in /home/ada/Maildir/cur`), never the
/// file's content.
public enum UnsafeFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The place, or a folder on the way to it, is a symbolic link.
    case symbolicLink(String)
    /// The place is not a regular file (a FIFO, a device, a folder, ...).
    case notRegularFile(String)
    /// A folder on the way is not a folder.
    case notADirectory(String)
    /// The path leaves the directory it must stay in.
    case outside(String)
    /// A regular file is there, but not the one indexed (another device or inode).
    case replaced(String)
    /// The file's size or SHA-256 is not the one recorded.
    case contentChanged(String)
    /// The name a file was to be moved to is taken.
    case occupied(String)

    /// One line: what was refused and why.
    public var message: String {
        switch self {
        case .symbolicLink(let place): "\(place) is a symbolic link (or lies under one)"
        case .notRegularFile(let place): "\(place) is not a regular file"
        case .notADirectory(let place): "\(place) is not a folder"
        case .outside(let place): "\(place) lies outside the folder it belongs in"
        case .replaced(let place): "\(place) is not the file that was indexed (another device or inode)"
        case .contentChanged(let place): "\(place) no longer matches its recorded size and SHA-256"
        case .occupied(let place): "\(place) is already taken by another file"
        }
    }

    public var description: String { message }
}
