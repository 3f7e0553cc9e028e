import Foundation
import JicaiCore
import JicaiInterchange
import JicaiPersistence
import JicaiServices
import Vapor

/// `jicai import KIND FILE [--batch CODE]`: loads one file; a file with any problem writes nothing.
public struct ImportCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "kind", help: "regions | institutions | catalogue | products | history | demand")
        var kind: String
        @Argument(name: "file", help: "CSV (UTF-8 or GB18030) or XLSX file")
        var file: String
        @Option(name: "batch", help: "batch code (catalogue, products, history, demand)")
        var batch: String?
        @Option(name: "batch-name", help: "name of a new batch (catalogue)")
        var batchName: String?
        @Option(name: "province", help: "province division code of a new batch, default 140000")
        var province: String?
        @Option(name: "lang", help: "zh | en")
        var lang: String?
        public init() {}
    }

    /// The national division table shipped with the application, which institutions are checked against while the
    /// database has no region table of its own (the same table `serve` loads).
    let divisionsPath: String?

    public init(divisionsPath: String? = nil) { self.divisionsPath = divisionsPath }
    public var help: String { "导入数据文件 / import a data file: regions, institutions, catalogue, products, history, demand" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let lang = language(signature.lang)
        let db = try await context.database()
        let imports = ImportService(db: db, nationalDivisionsPath: divisionsPath)
        func batch() throws -> String { try requireBatch(signature.batch) }
        let province = signature.province ?? "140000"
        func scope() async throws -> BatchScope { try await BatchScope.command(try batch(), db: db) }
        let progress = TerminalProgress(label: lang == .zh ? "导入" : "importing", language: lang)
        do {
            let summary: ImportSummary
            switch signature.kind {
            case "regions": summary = try await imports.importRegions(path: signature.file, ctx: .commandLine(provinceCode: province))
            case "institutions", "organisations":
                summary = try await imports.importOrganisations(path: signature.file, ctx: .commandLine(provinceCode: province))
            case "catalogue":
                summary = try await imports.importCatalogue(
                    path: signature.file, batchCode: try batch(), batchName: signature.batchName,
                    provinceCode: province, ctx: .commandLine(provinceCode: province))
            case "products": summary = try await imports.importProducts(try await scope(), path: signature.file)
            case "history": summary = try await imports.importHistory(try await scope(), path: signature.file, progress: progress)
            case "demand": summary = try await imports.importDemand(try await scope(), path: signature.file)
            default:
                throw ServiceError(.unknownKind, zh: "未知的数据类型“\(signature.kind)”", en: "unknown kind \"\(signature.kind)\"")
            }
            progress.finish()
            context.console.output(summary.text.text(lang), style: .success)
        } catch {
            progress.finish()
            report(error, language: lang, console: context.console)
            throw CommandFailed()
        }
    }
}

/// `jicai template KIND [--format xlsx|csv] [--out FILE]`: a blank import template (to standard output without --out).
public struct TemplateCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "kind", help: "regions | institutions | catalogue | products | history | demand")
        var kind: String
        @Option(name: "format", help: "xlsx (default) | csv")
        var format: String?
        @Option(name: "out", help: "file to write; standard output when absent")
        var out: String?
        public init() {}
    }

    public init() {}
    public var help: String { "下载导入模板 / write a blank import template" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        guard let schema = Schemas.named(signature.kind) else {
            context.console.error(
                "未知的模板“\(signature.kind)” / unknown template \"\(signature.kind)\": \(Schemas.all.map(\.kind).joined(separator: ", "))")
            throw CommandFailed()
        }
        let format: TableFormat =
            signature.format.flatMap(TableFormat.init(rawValue:))
            ?? signature.out.flatMap(TableFormat.of(path:)) ?? .xlsx
        if let out = signature.out {
            try Templates.write(schema, format: format, to: URL(fileURLWithPath: out))
        } else {
            let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("template-\(UUID().uuidString).\(format.rawValue)")
            try Templates.write(schema, format: format, to: tmp)
            FileHandle.standardOutput.write(try Data(contentsOf: tmp))
            try? FileManager.default.removeItem(at: tmp)
        }
    }
}
