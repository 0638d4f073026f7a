import Foundation

/// Copying text to the clipboard of the terminal the person sits at, over SSH too: the
/// terminal's OSC 52 sequence, `ESC ] 52 ; c ; BASE64 BEL` (xterm, kitty, iTerm2, WezTerm,
/// Windows Terminal, foot; some terminals ask first or need it enabled).
///
/// Inside tmux the sequence is sent as it is, not wrapped in tmux's DCS passthrough: tmux takes
/// OSC 52 from applications when `set -g set-clipboard on` is set (its default, `external`,
/// ignores them), puts the text in its own paste buffer and forwards it to the outer terminal.
/// Passthrough would need `allow-passthrough on` (off by default since tmux 3.3) and would
/// bypass tmux's buffers; relying on `set-clipboard` is the one setting that makes both work.
enum Clipboard {
    /// The largest text sent (terminals cap OSC 52 payloads; ids are far shorter).
    static let maximumBytes = 4096

    /// The OSC 52 sequence that puts `text` on the clipboard ("c"), or nil when it is too long.
    static func osc52(_ text: String) -> [UInt8]? {
        let bytes = Data(text.utf8)
        guard bytes.count <= maximumBytes else { return nil }
        return Array("\u{1B}]52;c;\(bytes.base64EncodedString())\u{07}".utf8)
    }
}
