/// A message decoded for the content view: its main headers with RFC 2047 words decoded, its
/// text parts decoded (transfer encoding, then charset), its HTML parts as plain text, and every
/// other part listed with its file name, type and decoded size, never opened.
///
/// Decoding never fails and is bounded by ``MimeLimits``: malformed boundaries, missing
/// terminators, invalid base64, unknown charsets, NUL bytes, huge lines and thousands of nested
/// parts are shown as well as they can be, with a note for what was wrong or left out. The text
/// is not yet safe for a terminal: front ends pass it through ``TerminalText``.
public struct MimeMessage: Sendable, Equatable {
    /// A header shown above the text.
    public struct Header: Sendable, Equatable {
        public var name: String
        /// The value, unfolded, encoded words decoded.
        public var value: String
    }

    /// From, Reply-To, To, Cc, Date and Subject, those present, in that order.
    public var headers: [Header]
    /// Every leaf part, in message order (parts past the limit are not listed).
    public var parts: [MimePart]
    /// What was wrong or left out, one line each ("part 2: unknown charset "x-foo" …").
    public var notes: [String]

    /// The parts listed as attachments.
    public var attachments: [MimePart] { parts.filter { $0.presentation == .attachment } }

    /// The headers the content view shows.
    static let shownHeaders = ["From", "Reply-To", "To", "Cc", "Date", "Subject"]

    /// Decodes the message `bytes`.
    /// - Complexity: O(*n* × ``MimeLimits/maxDepth``) in the message's size.
    public static func decode(_ bytes: [UInt8], limits: MimeLimits = .standard) -> MimeMessage {
        let top = MessageHeaders.parse(bytes)
        var decoder = Decoder(limits: limits)
        decoder.entity(headers: top, body: bytes[min(top.bodyOffset, bytes.count)...], number: "", depth: 0, defaultType: "text/plain")
        decoder.finish()
        let headers = shownHeaders.compactMap { name in top.value(name).map { Header(name: name, value: $0) } }
        return MimeMessage(headers: headers, parts: decoder.parts, notes: decoder.notes)
    }
}

extension MimeMessage {
    /// The walk over a message's tree, keeping count of parts and text against the limits.
    struct Decoder {
        let limits: MimeLimits
        var parts: [MimePart] = []
        var notes: [String] = []
        var textBytes = 0
        var partsLeftOut = 0
        var textCut = false
        var tooDeep = 0

        init(limits: MimeLimits) { self.limits = limits }

        /// At most this many notes are kept (hostile mail can earn one per part).
        static let maxNotes = 50

        mutating func note(_ text: String) {
            if notes.count < Self.maxNotes { notes.append(text) }
        }

        mutating func finish() {
            if partsLeftOut > 0 {
                note("\(partsLeftOut) more part(s) not shown: the content view decodes at most \(limits.maxParts) parts of a message")
            }
            if tooDeep > 0 {
                note("\(tooDeep) multipart(s) nested deeper than \(limits.maxDepth) levels were listed, not opened")
            }
            if textCut {
                note("the text was cut after \(limits.maxTextBytes) bytes: the rest is not shown")
            }
            if notes.count == Self.maxNotes { notes.append("(more notes left out)") }
        }

        /// The label of part `number` in notes ("the message" for a single-part message).
        func label(_ number: String) -> String { number.isEmpty ? "the message" : "part \(number)" }

        /// Decodes one entity (the message, or a part of a multipart) into ``parts``.
        mutating func entity(headers: MessageHeaders, body: ArraySlice<UInt8>, number: String, depth: Int, defaultType: String) {
            let contentType = MimeParameters(headers.value("Content-Type"))
            var type = contentType.value
            if type.isEmpty || !type.contains("/") || type.utf8.count > 100 { type = defaultType }
            let encoding = MimeTransferEncoding(fieldValue: headers.value("Content-Transfer-Encoding"))
            let disposition = MimeParameters(headers.value("Content-Disposition"))

            if type.hasPrefix("multipart/") {
                if depth >= limits.maxDepth {
                    tooDeep += 1
                    leaf(type: type, contentType: contentType, encoding: encoding, disposition: disposition, body: body,
                         number: number, forceAttachment: true)
                    return
                }
                guard let boundary = contentType["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 else {
                    note("\(label(number)) is \(type) without a usable boundary: shown as text")
                    leaf(type: "text/plain", contentType: contentType, encoding: encoding, disposition: disposition, body: body,
                         number: number, forceAttachment: false)
                    return
                }
                let split = MultipartBody.split(body, boundary: Array(boundary.utf8), keep: limits.maxParts + 1)
                guard !split.parts.isEmpty else {
                    note("\(label(number)) is \(type) but no part starts with its boundary: shown as text")
                    leaf(type: "text/plain", contentType: contentType, encoding: encoding, disposition: disposition, body: body,
                         number: number, forceAttachment: false)
                    return
                }
                if !split.closed {
                    note("\(label(number)) (\(type)) has no closing boundary: the message may be cut off")
                }
                partsLeftOut += split.uncounted
                let childDefault = type == "multipart/digest" ? "message/rfc822" : "text/plain"
                let first = parts.count
                var childStarts: [Int] = []
                for (k, child) in split.parts.enumerated() {
                    childStarts.append(parts.count)
                    let (childHeaders, childBody) = MultipartBody.headersAndBody(child)
                    entity(headers: childHeaders, body: childBody, number: number.isEmpty ? "\(k + 1)" : "\(number).\(k + 1)",
                           depth: depth + 1, defaultType: childDefault)
                }
                if type == "multipart/alternative" { chooseAlternative(from: first, childStarts: childStarts) }
                return
            }
            leaf(type: type, contentType: contentType, encoding: encoding, disposition: disposition, body: body,
                 number: number, forceAttachment: false)
        }

        /// Records one leaf part: text decoded, anything else listed.
        mutating func leaf(type: String, contentType: MimeParameters, encoding: MimeTransferEncoding, disposition: MimeParameters,
                           body: ArraySlice<UInt8>, number: String, forceAttachment: Bool) {
            guard parts.count < limits.maxParts else {
                partsLeftOut += 1
                return
            }
            let number = number.isEmpty ? "1" : number
            let decoded = encoding.decode(body)
            if decoded.damaged {
                note("part \(number): its \(encoding.name) encoding is damaged; what could be decoded is shown")
            }
            if case .other(let name) = encoding {
                note("part \(number): unknown transfer encoding \"\(MimePart.cleanFilename(name) ?? "?")\": the bytes are taken as they are")
            }
            let filename = MimePart.cleanFilename(disposition["filename"] ?? contentType["name"])
            let isText = type == "text/plain" || type == "text/html"
            var part = MimePart(number: number, contentType: type, transferEncoding: encoding.name,
                                disposition: disposition.value.isEmpty ? nil : disposition.value, filename: filename,
                                size: decoded.bytes.count, presentation: .attachment)
            guard isText, !forceAttachment, disposition.value != "attachment" else {
                parts.append(part)
                return
            }
            let charset = MimeCharset(name: contentType["charset"] ?? "us-ascii")
            part.charset = contentType["charset"].map { _ in charset.name }
            let result = charset.decode(decoded.bytes)
            if !charset.isKnown {
                note("part \(number): unknown charset \"\(MimePart.cleanFilename(charset.name) ?? "?")\": characters outside ASCII are shown as \u{FFFD}")
            } else if result.replaced {
                note("part \(number): not valid \(charset.name): what could not be decoded is shown as \u{FFFD}")
            }
            var text = type == "text/html" ? HTMLText.text(result.text) : result.text
            text = cut(text)
            part.presentation = type == "text/html" ? .htmlAsText : .text
            part.text = text
            parts.append(part)
        }

        /// `text`, cut where the view's text budget runs out.
        mutating func cut(_ text: String) -> String {
            let room = limits.maxTextBytes - textBytes
            let count = text.utf8.count
            if count <= room {
                textBytes += count
                return text
            }
            textCut = true
            guard room > 0 else { return "" }
            // Cut on a scalar boundary: back off over continuation bytes, and drop the lead byte
            // of a sequence the cut would split.
            let bytes = Array(text.utf8.prefix(room))
            var end = bytes.count
            var back = 0
            while end - back > 0, bytes[end - back - 1] & 0xC0 == 0x80 { back += 1 }
            if end - back > 0 {
                let lead = bytes[end - back - 1]
                let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                if back + 1 < length { end -= back + 1 }
            }
            let kept = String(decoding: bytes[..<end], as: UTF8.self)
            textBytes += kept.utf8.count
            return kept
        }

        /// In a multipart/alternative, one version is shown: the last plain-text one, else the
        /// last HTML one (the preferred version comes last). Text of the others is listed.
        mutating func chooseAlternative(from first: Int, childStarts: [Int]) {
            let end = parts.count
            guard end > first else { return }
            let ranges = childStarts.indices.map { k in childStarts[k]..<(k + 1 < childStarts.count ? childStarts[k + 1] : end) }
            func firstShown(_ r: Range<Int>) -> MimePart? { parts[r].first { $0.isShown } }
            let chosen = ranges.lastIndex { firstShown($0)?.presentation == .text }
                ?? ranges.lastIndex { firstShown($0)?.presentation == .htmlAsText }
            guard let chosen else { return }
            for (k, r) in ranges.enumerated() where k != chosen {
                for i in r where parts[i].isShown {
                    if let t = parts[i].text { textBytes -= t.utf8.count }
                    parts[i].presentation = .alternative
                    parts[i].text = nil
                }
            }
        }
    }
}
