import Foundation
import JicaiCore
import MultipartKit
import Vapor

/// A multipart upload read as a stream and written to a temporary file part by part (never held in memory): the
/// history files of a whole province are hundreds of megabytes. The form's CSRF field must come before the file and
/// match the session's token, or nothing is written; the file may not exceed `InputLimits.maxHistoryUploadBytes`.
struct StreamedUpload {
    /// The folder the file was written to (the caller removes it), and the file.
    let directory: URL
    let fileName: String
    let bytes: Int

    var url: URL { directory.appendingPathComponent((fileName as NSString).lastPathComponent) }

    /// What the parser has seen so far. The file's bytes are written a megabyte at a time: the parser hands them
    /// over in pieces as small as a line (it cuts at every CR that might start a boundary), and a write per piece
    /// made a 536 MB upload take 26 s.
    final class State {
        var part: String?
        var fileName: String?
        var csrf = ""
        /// Set when the session's CSRF token matched, which must happen before the file part starts.
        var verified = false
        /// Why the upload is refused (a missing or wrong token before the file, an oversized field or file).
        var refusal: Abort?
        var handle: FileHandle?
        var bytes = 0
        var pending = Data()

        func write(_ buffer: ByteBuffer) {
            bytes += buffer.readableBytes
            pending.append(contentsOf: buffer.readableBytesView)
            if pending.count >= 1 << 20 { flush() }
        }

        func flush() {
            guard !pending.isEmpty else { return }
            handle?.write(pending)
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// Reads the request's body; throws 400 for a malformed stream, 403 for a wrong token, 413 for a file too large.
    static func read(_ req: Request, expectedCSRF: String) async throws -> StreamedUpload {
        guard let type = req.headers.contentType, type.type == "multipart", let boundary = type.parameters["boundary"],
            req.headers.first(name: .contentLength).map({ $0 != "0" }) ?? req.headers.contains(name: .transferEncoding)
        else {
            throw Abort(.badRequest)
        }
        // The folder is made only when the file part starts, after the token has matched.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-up-\(UUID().uuidString)")
        let state = State()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in header(state, name, value) }
        parser.onBody = { buffer in body(state, buffer, expectedCSRF: expectedCSRF, directory: directory) }
        parser.onPartComplete = {
            if state.part == "file" { state.flush() }
            state.part = nil
        }
        do {
            for try await chunk in req.body {
                try parser.execute(chunk)
                if state.refusal != nil { break }
            }
        } catch {
            discard(state, directory)
            throw Abort(.badRequest)
        }
        if let refusal = state.refusal {
            discard(state, directory)
            throw refusal
        }
        state.flush()
        try? state.handle?.close()
        guard Secrets.equal(state.csrf, expectedCSRF) else {
            try? FileManager.default.removeItem(at: directory)
            throw Abort(.forbidden, reason: "CSRF")
        }
        return StreamedUpload(directory: directory, fileName: state.fileName ?? "", bytes: state.bytes)
    }

    private static func header(_ state: State, _ name: String, _ value: String) {
        guard name.lowercased() == "content-disposition" else { return }
        func field(_ key: String) -> String? {
            guard let range = value.range(of: key + "=\"") else { return nil }
            let rest = value[range.upperBound...]
            return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
        }
        state.part = field("name")
        if state.part == "file" { state.fileName = field("filename") }
    }

    private static func body(_ state: State, _ buffer: ByteBuffer, expectedCSRF: String, directory: URL) {
        var buffer = buffer
        guard state.refusal == nil else { return }
        switch state.part {
        case "file":
            if !state.verified {
                // The token field comes before the file in the page's form; nothing is written without it.
                guard Secrets.equal(state.csrf, expectedCSRF) else {
                    state.refusal = Abort(.forbidden, reason: "CSRF")
                    return
                }
                state.verified = true
            }
            guard state.bytes + buffer.readableBytes <= InputLimits.maxHistoryUploadBytes else {
                state.refusal = Abort(.payloadTooLarge)
                return
            }
            if state.handle == nil { open(state, directory) }
            state.write(buffer)
        case "_csrf":
            guard state.csrf.utf8.count + buffer.readableBytes <= InputLimits.streamedFieldBytes else {
                state.refusal = Abort(.forbidden, reason: "CSRF")
                return
            }
            state.csrf += buffer.readString(length: buffer.readableBytes) ?? ""
        default:
            break
        }
    }

    private static func open(_ state: State, _ directory: URL) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let name = (state.fileName ?? "upload.csv") as NSString
        let url = directory.appendingPathComponent(name.lastPathComponent.isEmpty ? "upload.csv" : name.lastPathComponent)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        state.handle = FileHandle(forWritingAtPath: url.path)
    }

    private static func discard(_ state: State, _ directory: URL) {
        try? state.handle?.close()
        try? FileManager.default.removeItem(at: directory)
    }
}
