import Foundation
import JicaiCore
import Vapor

/// An uploaded file written to a folder of its own under the temporary directory, for a service that reads a path.
/// The folder goes when `remove()` is called (or at the next start, `TemporaryFiles.removeLeftovers`).
struct TemporaryUpload: Sendable {
    let directory: URL
    let url: URL

    /// Refuses a file whose extension is not one of `allowed` (lower case, without the dot).
    init(_ file: File, allowed: Set<String>) throws {
        let ext = (file.filename as NSString).pathExtension.lowercased()
        guard allowed.contains(ext) else {
            let names = allowed.sorted { $0 > $1 }.map { $0.uppercased() }
            throw Refusal(.badFileType, zh: "只接受\(names.joined(separator: "或"))", en: "only \(names.joined(separator: " or "))")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-up-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let name = (file.filename as NSString).lastPathComponent
        url = directory.appendingPathComponent(name.isEmpty ? "upload.\(ext)" : name)
        try Data(buffer: file.data).write(to: url)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    struct FileForm: Content { var file: File }

    /// The XLSX or CSV file of a form's `file` field; refused when there is none or it is of another type.
    static func spreadsheet(_ req: Request) throws -> TemporaryUpload {
        guard let form = try? req.content.decode(FileForm.self) else { throw Refusal(.fileMissing) }
        return try TemporaryUpload(form.file, allowed: ["xlsx", "csv"])
    }
}
