import Foundation
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import Testing

@testable import JicaiServices

@Suite("Report use cases on both engines: files, concurrency, audit")
struct ReportServiceTests {
    static let at = ReportingWindow.shanghai(2025, 12, 20, 9)
    static let filler = RequestContext(
        principal: Principal(username: "h", role: .institutionFiller, organisationCode: F.hospital), ip: "127.0.0.1", at: at)

    @Test("A commitment letter is stored as bytes and read back unchanged; a file outside the scope is refused", arguments: TestDatabases.engines)
    func files(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await loadBasics(db)
            let service = ReportService(db: db)
            var bytes = Data("%PDF-1.7\n".utf8)
            bytes.append(contentsOf: (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let form = try await service.attachLetter(
                try await service.scope("B1", ReportServiceTests.filler), institutionCode: F.hospital, fileName: "承诺函.pdf", data: bytes,
                signerName: "王院长", signerTitle: "院长")
            let id = try #require(form.report?.letterFileID)
            let (meta, data) = try await service.file(id: id, ctx: ReportServiceTests.filler)
            #expect(data == bytes)
            #expect(meta.size == Int64(bytes.count) && meta.contentType == "application/pdf" && meta.sha256.count == 64)
            let other = RequestContext(
                principal: Principal(username: "t", role: .institutionFiller, organisationCode: F.township), ip: nil, at: ReportServiceTests.at)
            await #expect(throws: ServiceError.self) { _ = try await service.file(id: id, ctx: other) }
            let entries = try await AuditLog(db).entries(entity: "report")
            #expect(entries.first?.ip == "127.0.0.1")
            #expect(entries.first?.detail?.contains("承诺函") == true)
        }
    }

    @Test("Eight submits of one report at once: exactly one is accepted and audited, the others are refused", arguments: TestDatabases.engines)
    func concurrentSubmits(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await loadBasics(db)
            let service = ReportService(db: db)
            let ctx = ReportServiceTests.filler
            _ = try await service.save(
                try await service.scope("B1", ctx), institutionCode: F.hospital,
                input: DraftInput(lines: [DemandLine(specCode: "S021", quantity: 10)]))
            _ = try await service.attachLetter(
                try await service.scope("B1", ctx), institutionCode: F.hospital, fileName: "l.pdf", data: Data("%PDF-1.4".utf8), signerName: "王",
                signerTitle: "党委书记")
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await service.submit(try await service.scope("B1", ctx), institutionCode: F.hospital)
                            return "ok"
                        } catch let e as ServiceError {
                            return e.code.rawValue
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                var all: [String] = []
                for await o in group { all.append(o) }
                return all
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 1, "\(outcomes)")
            #expect(outcomes.allSatisfy { ["ok", "CONCURRENT_CHANGE", "REPORT_NOT_EDITABLE"].contains($0) }, "\(outcomes)")
            let submits = try await AuditLog(db).entries(entity: "report").filter { $0.action == "submit" }
            #expect(submits.count == 1)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let org = try #require(try await AccountStore(db).organisation(code: F.hospital))
            #expect(try await DemandStore(db).report(batchID: batch.id, institutionID: org.id)?.status == .submitted)
        }
    }
}

@Suite("The form's data on both engines")
struct ReportFormTests {
    @Test("The form shows monthly and total history, a community lead's combined history and the progress by city", arguments: TestDatabases.engines)
    func form(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            let imports = try await loadBasics(db)
            let rows =
                (0..<12).map { (F.hospital, "S021", MonthKey(year: 2024, month: 12)!.advanced(by: $0)!.description, 100 + $0) }
                + [(F.township, "S021", "2025-03", 56), (F.village, "S021", "2025-03", 14)]
            _ = try await imports.importHistory(path: try F.file("h.csv", historyCSV(rows)), batchCode: "B1", actor: .cli)
            let service = ReportService(db: db)
            let form = try await service.form(try await service.scope("B1", ReportServiceTests.filler), institutionCode: F.hospital)
            #expect(form.history["S021"] == (0..<12).reduce(0) { $0 + 100 + Int64($1) })
            #expect(form.monthly["S021"]?[202412] == 100)
            #expect(form.monthly["S021"]?[202511] == 111)
            #expect(form.canEdit)
            let lead = RequestContext(
                principal: Principal(username: "t", role: .institutionFiller, organisationCode: F.township), ip: nil, at: ReportServiceTests.at)
            let community = try await service.form(try await service.scope("B1", lead), institutionCode: F.township)
            #expect(community.members.map(\.organisation.code) == [F.village])
            #expect(community.history["S021"] == 70)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            _ = try await service.save(
                try await service.scope("B1", ReportServiceTests.filler), institutionCode: F.hospital,
                input: DraftInput(lines: [DemandLine(specCode: "S021", quantity: 900)]))
            let progress = try await DemandStore(db).progress(batchID: batch.id, regionPrefix: "14")
            #expect(progress.contains { $0.city == "1401" && $0.status == "draft" && $0.count == 1 })
            let totals = try await DemandStore(db).specTotals(batchID: batch.id, regionPrefix: "14")
            #expect(totals.isEmpty, "drafts are not in the sealed summary")
            let preview = try await service.preview(
                try await service.scope("B1", ReportServiceTests.filler), institutionCode: F.hospital,
                input: DraftInput(lines: [DemandLine(specCode: "S021", quantity: 10)]))
            #expect(preview.findings.contains { $0.code == .belowFloor })
            #expect(
                try await DemandStore(db).report(batchID: batch.id, institutionID: form.institution.id)?.lines.first?.quantity == 900,
                "a preview saves nothing")
        }
    }
}

@Suite("Approving all awaiting reports on both engines (000 §5(五), 002 §3(三))")
struct ApproveAllTests {
    @Test(
        "A city approves at once its submitted reports without a blocking finding, then the province; blocked ones stay for a look, others' regions are untouched, each approval is audited",
        arguments: TestDatabases.engines)
    func approveAll(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await loadBasics(db)
            let service = ReportService(db: db)
            let at = ReportServiceTests.at
            // The hospital submits a clean report (with its letter); the township saves one and never submits.
            _ = try await service.save(
                try await service.scope("B1", ReportServiceTests.filler), institutionCode: F.hospital,
                input: DraftInput(lines: [DemandLine(specCode: "S021", quantity: 10)]))
            _ = try await service.attachLetter(
                try await service.scope("B1", ReportServiceTests.filler), institutionCode: F.hospital, fileName: "l.pdf", data: Data("%PDF-1.4".utf8),
                signerName: "王", signerTitle: "院长")
            _ = try await service.submit(try await service.scope("B1", ReportServiceTests.filler), institutionCode: F.hospital)
            func ctx(_ role: Role, _ region: String) -> RequestContext {
                RequestContext(principal: Principal(username: "\(role.rawValue)-\(region)", role: role, regionCode: region), ip: nil, at: at)
            }
            let filler = ReportServiceTests.filler
            await #expect(throws: ServiceError.self) { _ = try await service.approveAll(try await service.scope("B1", filler)) }
            // The province first: nothing is city-approved yet.
            #expect(try await service.approveAll(try await service.scope("B1", ctx(.provinceAdmin, "140000"))).approved == 0)
            // Another city's reviewer approves nothing of Taiyuan's.
            #expect(try await service.approveAll(try await service.scope("B1", ctx(.cityReviewer, "140200"))).approved == 0)
            let city = try await service.approveAll(try await service.scope("B1", ctx(.cityReviewer, "140100")))
            #expect(city.approved == 1)
            let province = try await service.approveAll(try await service.scope("B1", ctx(.provinceAdmin, "140000")))
            #expect(province.approved == 1)
            let batch = try #require(try await BatchStore(db).batch(code: "B1"))
            let hospital = try #require(try await AccountStore(db).organisation(code: F.hospital)).id
            #expect(try await DemandStore(db).report(batchID: batch.id, institutionID: hospital)?.status == .provinceApproved)
            let audit = try await AuditLog(db).entries(entity: "report", keyPrefix: "B1/\(F.hospital)")
            #expect(audit.contains { $0.action == "cityApprove" } && audit.contains { $0.action == "provinceApprove" })
            // After the review deadline: refused, nothing changes.
            let late = RequestContext(
                principal: Principal(username: "c", role: .cityReviewer, regionCode: "140100"), ip: nil, at: ReportingWindow.shanghai(2026, 1, 5, 9))
            let refusal = await #expect(throws: ServiceError.self) { _ = try await service.approveAll(try await service.scope("B1", late)) }
            #expect(refusal?.code == .reviewClosed)
        }
    }
}

@Suite("Creating one account through its door on both engines (000 §3(一), 002 §2)")
struct CreateAccountTests {
    @Test(
        "create-user's door: a known role, an existing organisation or a 6-digit region, a new name; checked and written in one transaction, audited; a refusal writes nothing",
        arguments: TestDatabases.engines)
    func createAccount(engine: String) async throws {
        try await TestDatabases.with(engine) { db in
            _ = try await loadBasics(db)
            let accounts = AccountService(db: db, hasher: PlainHasher())
            func create(_ name: String, _ role: String, region: String? = nil, organisation: String? = nil) async throws -> IssuedCredential {
                try await accounts.createAccount(
                    username: name, role: role, region: region, organisation: organisation, displayName: nil, actor: .cli)
            }
            let admin = try await create("admin", "provinceAdmin", region: "140000")
            #expect(!admin.password.isEmpty)
            #expect(try await UserStore(db).user(username: "admin")?.mustChangePassword == true)
            let refusals: [(String, String, String?, String?, RefusalCode)] = [
                ("admin", "provinceAdmin", "140000", nil, .accountExists), ("x1", "nobody", "140000", nil, .badOption),
                ("x2", "cityReviewer", "1401", nil, .badRegion), ("x3", "institutionHead", nil, "12140100MB000099XX", .institutionNotFound),
                ("", "provinceAdmin", "140000", nil, .badOption),
            ]
            for (name, role, region, organisation, code) in refusals {
                let refusal = await #expect(throws: Refusal.self) { _ = try await create(name, role, region: region, organisation: organisation) }
                #expect(refusal?.code == code, "\(name) \(role): \(String(describing: refusal?.code))")
            }
            let head = try await create("head", "institutionHead", organisation: F.hospital)
            #expect(head.organisationCode == F.hospital)
            #expect(try await UserStore(db).usernames() == ["admin", "head"])
            #expect(try await AuditLog(db).entries(entity: "user").filter { $0.action == "create" }.count == 2)
        }
    }
}
