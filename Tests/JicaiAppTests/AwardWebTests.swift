import Foundation
import JicaiCore
import JicaiPersistence
import JicaiTestSupport
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import JicaiServices
@testable import JicaiWeb

/// The award stage on the web fixture: the manufacturer's products carry its credit code, a distributor with an
/// account ("carrier"), every report approved by the province and the batch locked.
enum AwardWebFixture {
    static let carrier = TestFixtures.code("91140100MA0000060")

    static var organisations: String {
        "机构编码,机构名称,机构类型,机构类别,所有制,床位数,行政区划代码,医共体牵头机构编码\n\(carrier),晋药配送有限公司,配送企业,,,,140105,\n"
    }

    static var products: String {
        "产品编码,规格编码,生产企业,企业统一社会信用代码,厂牌\nP0111,S011,某某药业有限公司,\(TestFixtures.manufacturer),甲\nP0211,S021,某某药业有限公司,\(TestFixtures.manufacturer),甲\nP0212,S021,乙药业有限公司,,乙\n"
    }

    /// P0212 did not win: at 12.00 a pack it is above twice the highest winning price (2.80 for the same pack).
    static let listings = "产品编码,产品类别,挂网价格（元/包装）\nP0212,过评仿制药,12.00\n"

    static let results = "产品编码,中选类型,备供顺位,中选价格（元/包装）,供应地区\nP0111,中选,,12.00,\nP0211,中选,,2.80,\n"

    static var demand: String {
        """
        机构编码,规格编码,产品编码,需求量,说明
        \(TestFixtures.hospital),S021,P0211,1000,
        \(TestFixtures.hospital),S011,,100,
        \(TestFixtures.township),S021,,500,
        \(TestFixtures.village),S021,,50,
        \(WebFixture.datong),S021,,300,

        """
    }

    static func prepare(_ app: Application) async throws {
        let db = DB(app.db)
        let imports = ImportService(db: db)
        _ = try await imports.importOrganisations(path: try TestFixtures.file("o.csv", organisations), actor: .cli)
        _ = try await imports.importProducts(path: try TestFixtures.file("p.csv", products), batchCode: "B1", actor: .cli)
        _ = try await imports.importDemand(path: try TestFixtures.file("d.csv", demand), batchCode: "B1", actor: .cli)
        try await db.run("UPDATE demand_reports SET status = \(bind: ReportStatus.provinceApproved.rawValue)")
        let batch = try #require(try await BatchStore(db).batch(code: "B1"))
        try await BatchStore(db).lock(batchID: batch.id, at: WebFixture.t0)
        let hash = try await BcryptHasher(cost: 4).hash(WebFixture.password)
        try await UserStore(db).insert(
            [
                NewUser(
                    username: "carrier", displayName: "carrier", role: .distributor, organisationCode: carrier, regionCode: nil, passwordHash: hash,
                    mustChangePassword: false)
            ], at: WebFixture.t0)
    }

    /// Through the services: results, volumes, publication, the manufacturer's distributor in both cities, sent.
    static func publish(_ app: Application) async throws {
        let db = DB(app.db)
        let award = AwardService(db: db, now: { WebFixture.t0 })
        _ = try await award.importResults(path: try TestFixtures.file("r.csv", results), batchCode: "B1", actor: .cli)
        _ = try await award.compute(batchCode: "B1", actor: .cli)
        _ = try await award.publish(batchCode: "B1", executionStart: CivilDate(2026, 1, 1)!, cycleEnd: CivilDate(2027, 12, 31)!, actor: .cli)
        let agreements = AgreementService(db: db, now: { WebFixture.t0 })
        for area in ["1401", "1402"] {
            try await agreements.addDistributor(
                batchCode: "B1", manufacturerCode: TestFixtures.manufacturer, area: area, distributorCode: carrier, actor: .cli)
        }
        _ = try await agreements.send(batchCode: "B1", actor: .cli)
    }

    static func agreementID(_ app: Application, institution: String, product: String) async throws -> Int64 {
        let db = DB(app.db)
        let batch = try #require(try await BatchStore(db).batch(code: "B1"))
        let all = try await AgreementStore(db).list(batchID: batch.id, scope: .region("14"))
        return try #require(all.first { $0.institutionCode == institution && $0.productCode == product }).id
    }

    /// The award's tables as text, to show a refused request changed nothing.
    static func state(_ app: Application) async throws -> String {
        struct Row: Decodable { var v: String? }
        let db = DB(app.db)
        var out = ""
        for query: SQLQueryString in [
            "SELECT GROUP_CONCAT(phase || ':' || results_version, ';') AS v FROM award_state",
            "SELECT GROUP_CONCAT(product_code || ':' || version || ':' || pack_price_fen, ';') AS v FROM award_results",
            "SELECT GROUP_CONCAT(institution_id || ':' || product_code || ':' || quantity || ':' || version, ';') AS v FROM agreed_volumes",
            "SELECT GROUP_CONCAT(product_code || ':' || pack_price_fen, ';') AS v FROM award_listings",
            "SELECT GROUP_CONCAT(manufacturer_code || ':' || area || ':' || distributor_code, ';') AS v FROM award_distributors",
            "SELECT GROUP_CONCAT(id || ':' || status || ':' || COALESCE(institution_signed_by, '') || ':' || COALESCE(manufacturer_signed_by, '') || ':' || COALESCE(distributor_signed_by, ''), ';') AS v FROM agreements",
        ] {
            out += (try await db.first(query, as: Row.self)?.v ?? "") + "\n"
        }
        return out
    }
}

@Suite("Award stage on the web: the province's pages, an institution's volumes, the three parties signing, who may do what", .serialized)
struct AwardWebTests {
    @Test("Through the pages: import results, compute, publish, a manufacturer names its distributor, send, the three parties sign (003 §3, §6)")
    func flow() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await AwardWebFixture.prepare(app)
            let admin = Browser(app)
            _ = try await admin.login("admin")
            try await admin.get("/batches/B1/award")
            var r = try await admin.upload(
                "/batches/B1/award/results", fields: [], file: ("file", "结果.csv", "text/csv", Data(AwardWebFixture.results.utf8)))
            #expect(r.status == .seeOther && admin.flash?.contains("结果.csv") == true, "\(admin.flash ?? "")")
            // The policy form: shown before publication, saved with the fields given; a bad ratio changes nothing.
            #expect(try await admin.get("/batches/B1/award").body.string.contains("policy-form"))
            let fields = [
                ("allocation", "evenly"), ("flatRatio", ""), ("ratios", "50,60,70,80"), ("restrictedRatios", "30,40,50"), ("limitDrugs", "4"),
            ]
            r = try await admin.post("/batches/B1/award/policy", fields)
            #expect(admin.flash?.contains("已保存约定采购量规则") == true, "\(admin.flash ?? "")")
            #expect(try await admin.get("/batches/B1/award").body.string.contains("未选或未中选品牌的需求平均分配给中选产品"))
            r = try await admin.post("/batches/B1/award/policy", [("ratios", "50,160")])
            #expect(admin.flash?.contains("ratios") == true, "\(admin.flash ?? "")")
            r = try await admin.post("/batches/B1/award/policy", [("allocation", "lowestPrice"), ("limitDrugs", "5")])
            let policy = try #require(try await BatchStore(DB(app.db)).batch(code: "B1")).policy.award
            #expect(policy == AwardPolicy(), "\(policy)")
            try await admin.get("/batches/B1/award")
            r = try await admin.post("/batches/B1/award/compute", [])
            #expect(admin.flash?.contains("已计算约定采购量：3个机构") == true, "\(admin.flash ?? "")")
            try await admin.get("/batches/B1/award")
            r = try await admin.post("/batches/B1/award/publish", [("start", "2026-01-01"), ("end", "2027-12-31"), ("deadline", "2025-12-31")])
            #expect(admin.flash?.contains("生成协议4份") == true, "\(admin.flash ?? "")")
            let page = try await admin.get("/batches/B1/award")
            #expect(page.body.string.contains("data-phase=\"published\""))
            // Nothing has a distributor yet: sending sends none.
            r = try await admin.post("/batches/B1/award/send", [])
            #expect(admin.flash?.contains("已发出协议0份") == true)

            let maker = Browser(app)
            _ = try await maker.login("maker")
            let network = try await maker.get("/batches/B1/award")
            #expect(network.body.string.contains("未覆盖的机构（3）"))
            for area in ["1401", "1402"] {
                r = try await maker.post(
                    "/batches/B1/award/distributors",
                    [("manufacturer", TestFixtures.manufacturer), ("area", area), ("distributor", AwardWebFixture.carrier)])
                #expect(maker.flash == "已添加配送企业", "\(maker.flash ?? "")")
                try await maker.get("/batches/B1/award")
            }
            #expect(try await maker.get("/batches/B1/award").body.string.contains("所有参与机构均已有配送企业覆盖"))
            try await admin.get("/batches/B1/award")
            r = try await admin.post("/batches/B1/award/send", [])
            #expect(admin.flash?.contains("已发出协议4份") == true)

            // The hospital's head is reminded of its two agreements; the province lists the institutions yet to sign.
            let head = Browser(app)
            _ = try await head.login("head")
            let reminder = try await head.get("/batches/B1/award").body.string
            #expect(reminder.contains("您有2份协议待签署，签署截止日2025-12-31"), "the reminder names the count and the deadline")
            let unsigned = try await admin.get("/batches/B1/award").body.string
            #expect(unsigned.contains("尚未签署的机构 (3)") && unsigned.contains(WebFixture.datong))
            #expect(unsigned.contains("id=\"unsigned-pager\""), "the unsigned list is paged on the server")
            let beyond = try await admin.get("/batches/B1/award?unsignedPage=2").body.string
            #expect(beyond.contains("尚未签署的机构 (3)") && !beyond.contains(WebFixture.datong), "page 2 of 3 rows at 20 a page is empty")
            let volumes = try await head.get("/batches/B1/award/volumes")
            #expect(volumes.body.string.contains("data-product=\"P0211\" class=\"quantity\">500<"), "1000 × 50% (one winner)")
            #expect(!volumes.body.string.contains(WebFixture.datong))
            let id = try await AwardWebFixture.agreementID(app, institution: TestFixtures.hospital, product: "P0211")
            let path = "/batches/B1/award/agreements/\(id)"
            #expect(try await head.get(path).body.string.contains("id=\"sign\""))
            r = try await head.post(path + "/sign", [])
            #expect(head.flash == "已签署")
            // Signing all at once needs the confirmation ticked; a bureau has no party to sign for.
            _ = try await head.post("/batches/B1/award/agreements/sign-all", [("expected", "1")])
            #expect(head.flash?.contains("请勾选确认") == true, "\(head.flash ?? "")")
            let bureau = try await admin.post("/batches/B1/award/agreements/sign-all", [("expected", "0"), ("confirm", "1")])
            #expect(bureau.status == .forbidden)
            #expect(!(try await head.get(path).body.string.contains("id=\"sign\"")), "a party signs once")
            // "待本方签署" lists exactly what the reminder counts: after one signature, one left, the signed one gone
            // (the sent list still holds both: the agreement awaits the firms).
            let awaiting = try await head.get("/batches/B1/award/agreements?status=awaitingMine").body.string
            #expect(try await head.get("/batches/B1/award").body.string.contains("您有1份协议待签署"))
            #expect(awaiting.contains("agreements/\(id)\"") == false && awaiting.contains("filter-awaiting-mine"), "the signed one is not listed")
            #expect(awaiting.components(separatedBy: "class=\"agreement-link\"").count - 1 == 1, "one awaiting, as the reminder says")
            let sent = try await head.get("/batches/B1/award/agreements?status=sent").body.string
            #expect(sent.components(separatedBy: "class=\"agreement-link\"").count - 1 == 2)
            try await maker.get(path)
            r = try await maker.post(path + "/sign", [])
            let carrier = Browser(app)
            _ = try await carrier.login("carrier")
            try await carrier.get(path)
            r = try await carrier.post(path + "/sign", [])
            #expect(carrier.flash == "已签署，协议生效")
            let done = try await head.get(path)
            #expect(done.body.string.contains("data-status=\"inForce\""))
            // Listing prices: the non-winning product above the maximum is flagged; its standard is the shared one.
            try await admin.get("/batches/B1/award/prices")
            _ = try await admin.upload(
                "/batches/B1/award/listings", fields: [], file: ("file", "挂网.csv", "text/csv", Data(AwardWebFixture.listings.utf8)))
            #expect(admin.flash?.contains("挂网.csv") == true, "\(admin.flash ?? "")")
            let prices = try await admin.get("/batches/B1/award/prices").body.string
            #expect(prices.contains("data-product=\"P0212\""), "P0212 is flagged for suspension")
            // An adjustment through the page: a reason is required; the new figure is shown with it.
            try await admin.get("/batches/B1/award/volumes")
            _ = try await admin.post(
                "/batches/B1/award/adjust", [("institution", TestFixtures.hospital), ("product", "P0211"), ("quantity", "520"), ("reason", "")])
            #expect(admin.flash == "须填写原因", "\(admin.flash ?? "")")
            try await admin.get("/batches/B1/award/volumes")
            _ = try await admin.post(
                "/batches/B1/award/adjust", [("institution", TestFixtures.hospital), ("product", "P0211"), ("quantity", "520"), ("reason", "新院区开诊")])
            #expect(admin.flash == "约定采购量已调整（保留原版本）", "\(admin.flash ?? "")")
            let adjusted = try await admin.get("/batches/B1/award/volumes?institution=\(TestFixtures.hospital)").body.string
            #expect(adjusted.contains("data-product=\"P0211\" class=\"quantity\">520<") && adjusted.contains("第2版调整：新院区开诊"))
            // A correction after publication keeps the old row, shown with the corrections.
            try await admin.get("/batches/B1/award")
            let corrected = AwardWebFixture.results.replacingOccurrences(of: "P0211,中选,,2.80", with: "P0211,中选,,2.75")
            _ = try await admin.upload("/batches/B1/award/results", fields: [], file: ("file", "更正.csv", "text/csv", Data(corrected.utf8)))
            #expect(admin.flash?.contains("更新1条") == true, "\(admin.flash ?? "")")
            let history = try await admin.get("/batches/B1/award?history=1").body.string
            #expect(
                history.contains("已被更正") && history.contains("<td>2.80</td>") && history.contains("<td>2.75</td>"),
                "\(history.components(separatedBy: "id=\"results\"").last ?? "")")
            // The demand under published volumes stays locked.
            try await admin.get("/batches/B1/progress")
            _ = try await admin.post("/batches/B1/unlock", [])
            #expect(admin.flash == "约定采购量已计算或公布，不能解除报量锁定", "\(admin.flash ?? "")")
            let ocds = try await admin.get("/batches/B1/award/ocds.json")
            #expect(ocds.status == .ok && ocds.body.string.contains("\"awardID\":\"award-P0211\""))
            // The second agreement year: 2027-07-01 to the cycle's end; then there is none left.
            try await admin.get("/batches/B1/award")
            _ = try await admin.post("/batches/B1/award/renew", [])
            #expect(admin.flash == "已生成2027-07-01至2027-12-31协议年度的协议4份", "\(admin.flash ?? "")")
            try await admin.get("/batches/B1/award")
            _ = try await admin.post("/batches/B1/award/renew", [])
            #expect(admin.flash == "采购周期内已没有下一协议年度", "\(admin.flash ?? "")")
        }
    }

    /// Expected answers per route and user: 200 (or a redirect for a form post) where allowed, 403 or 404 where not.
    static let users = WebFixture.accounts.map(\.0) + ["carrier"]
    static let province: Set<String> = ["admin", "province"]
    static let regionStaff: Set<String> = ["admin", "province", "city1401", "city1402"]
    static let institutions: Set<String> = ["hospital", "head", "township", "village", "datong"]

    @Test("Who may do what in the award stage: every award route under every role; refused requests change nothing")
    func matrix() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await AwardWebFixture.prepare(app)
            try await AwardWebFixture.publish(app)
            let hospitalAgreement = try await AwardWebFixture.agreementID(app, institution: TestFixtures.hospital, product: "P0211")
            var browsers: [String: Browser] = [:]
            for user in Self.users {
                let browser = Browser(app)
                _ = try await browser.login(user)
                try await browser.get("/batches/B1/award")
                browsers[user] = browser
            }
            let reads: [(String, Set<String>)] = [
                ("/batches/B1/award", Set(Self.users)),
                ("/batches/B1/award/agreements", Set(Self.users)),
                ("/batches/B1/award/volumes", Self.regionStaff.union(Self.institutions)),
                ("/batches/B1/award/volumes.xlsx", Self.regionStaff),
                ("/batches/B1/award/gaps", Self.regionStaff),
                ("/batches/B1/award/gaps.xlsx", Self.regionStaff),
                ("/batches/B1/award/ocds.json", Self.province),
                ("/batches/B1/award/prices", Set(Self.users)),
                ("/batches/B1/award/agreements/\(hospitalAgreement)", Self.province.union(["city1401", "hospital", "head", "maker", "carrier"])),
            ]
            for (path, allowed) in reads {
                for user in Self.users {
                    let status = try await browsers[user]!.get(path).status
                    if allowed.contains(user) {
                        #expect(status == .ok, "\(path) by \(user): \(status)")
                    } else {
                        #expect([.forbidden, .notFound].contains(status), "\(path) by \(user): \(status)")
                    }
                }
            }
            // Lists are scoped: the city of Datong, the hospital and the distributor see only their own.
            let datongList = try await browsers["city1402"]!.get("/batches/B1/award/volumes").body.string
            #expect(datongList.contains(WebFixture.datong) && !datongList.contains(TestFixtures.hospital))
            let hospitalList = try await browsers["hospital"]!.get("/batches/B1/award/agreements").body.string
            #expect(hospitalList.contains("太原市第一人民医院") && !hospitalList.contains("大同市第三人民医院"))
            // The province searches its list by institution name; a search never widens a scope.
            let searched = try await browsers["admin"]!.get("/batches/B1/award/agreements?q=\(ListParams.encode("大同"))").body.string
            #expect(searched.contains("大同市第三人民医院") && !searched.contains("太原市第一人民医院") && searched.contains("id=\"agreement-search\""))
            let outside = try await browsers["hospital"]!.get("/batches/B1/award/agreements?q=\(ListParams.encode("大同"))").body.string
            #expect(!outside.contains("大同市第三人民医院"))
            #expect(try await browsers["city1401"]!.get("/batches/B1/award/volumes?region=1402").status == .forbidden)

            // Province actions by anyone else: refused, nothing changed.
            for user in Self.users where user != "admin" {
                let b = browsers[user]!
                let before = try await AwardWebFixture.state(app)
                for path in [
                    "/batches/B1/award/compute", "/batches/B1/award/send", "/batches/B1/award/publish", "/batches/B1/award/renew",
                    "/batches/B1/award/adjust", "/batches/B1/award/policy",
                ] {
                    let fields = [
                        ("start", "2026-01-01"), ("end", "2027-12-31"), ("institution", TestFixtures.hospital), ("product", "P0211"),
                        ("quantity", "1"),
                        ("reason", "x"),
                    ]
                    let status = try await b.post(path, fields).status
                    #expect(status == .forbidden, "\(path) by \(user): \(status)")
                }
                for path in ["/batches/B1/award/results", "/batches/B1/award/listings"] {
                    let upload = try await b.upload(path, fields: [], file: ("file", "r.csv", "text/csv", Data(AwardWebFixture.listings.utf8)))
                    #expect(upload.status == .forbidden, "\(path) by \(user): \(upload.status)")
                }
                if user != "maker" {
                    for path in ["/batches/B1/award/distributors", "/batches/B1/award/distributors/remove"] {
                        let status = try await b.post(
                            path, [("manufacturer", TestFixtures.manufacturer), ("area", "1401"), ("distributor", AwardWebFixture.carrier)]
                        ).status
                        #expect(status == .forbidden, "\(path) by \(user): \(status)")
                    }
                }
                #expect(try await AwardWebFixture.state(app) == before, "award actions by \(user) changed data")
            }
            // Signing: only the three parties, each once; others are refused and change nothing.
            let sign = "/batches/B1/award/agreements/\(hospitalAgreement)/sign"
            for user in Self.users where !["head", "maker", "carrier"].contains(user) {
                let before = try await AwardWebFixture.state(app)
                let status = try await browsers[user]!.post(sign, []).status
                #expect([.forbidden, .notFound].contains(status), "sign by \(user): \(status)")
                #expect(try await AwardWebFixture.state(app) == before, "sign by \(user) changed data")
            }
            for user in ["head", "maker", "carrier"] {
                let b = browsers[user]!
                try await b.get("/batches/B1/award/agreements/\(hospitalAgreement)")
                #expect(try await b.post(sign, []).status == .seeOther)
                #expect(b.flash?.hasPrefix("已签署") == true, "\(user): \(b.flash ?? "")")
                try await b.get("/batches/B1/award/agreements/\(hospitalAgreement)")
                _ = try await b.post(sign, [])
                #expect(b.flash == "本方已签署，不能重复签署", "\(user) twice: \(b.flash ?? "")")
            }

            // The same over the API with bearer tokens.
            let db = DB(app.db)
            func token(_ user: String) async throws -> String {
                let t = "jct_award_\(user)_0123456789"
                let id = try #require(try await UserStore(db).user(username: user)).id
                try await UserStore(db).addToken(
                    tokenHash: AccountService.secretHash(t), userID: id, label: "t", at: WebFixture.t0,
                    expires: WebFixture.t0.addingTimeInterval(86400))
                return t
            }
            for user in Self.users {
                let t = try await token(user)
                func get(_ path: String) async throws -> HTTPStatus {
                    try await app.testing().sendRequest(.GET, path, headers: ["Authorization": "Bearer \(t)"]).status
                }
                #expect(try await get("/api/v1/batches/B1/award") == .ok)
                #expect(try await get("/api/v1/batches/B1/award/agreements") == .ok)
                let volumes = try await get("/api/v1/batches/B1/award/volumes")
                #expect((volumes == .ok) == Self.regionStaff.union(Self.institutions).contains(user), "API volumes by \(user): \(volumes)")
                let gaps = try await get("/api/v1/batches/B1/award/gaps")
                #expect((gaps == .ok) == Self.regionStaff.contains(user), "API gaps by \(user): \(gaps)")
                if user != "admin" {
                    let before = try await AwardWebFixture.state(app)
                    for action in ["compute", "publish", "send", "renew", "adjust", "policy"] {
                        let body =
                            action == "publish"
                            ? #"{"executionStart":"2026-01-01","cycleEnd":"2027-12-31"}"#
                            : action == "adjust"
                                ? #"{"institutionCode":"\#(TestFixtures.hospital)","productCode":"P0211","quantity":1,"reason":"x"}"# : "{}"
                        let status = try await app.testing().sendRequest(
                            .POST, "/api/v1/batches/B1/award/\(action)",
                            headers: ["Authorization": "Bearer \(t)", "Content-Type": "application/json"],
                            body: ByteBuffer(string: body)
                        ).status
                        #expect(status == .forbidden, "API \(action) by \(user): \(status)")
                    }
                    #expect(try await AwardWebFixture.state(app) == before, "API award actions by \(user) changed data")
                }
                let other = try await app.testing().sendRequest(
                    .POST, "/api/v1/batches/B1/award/agreements/\(hospitalAgreement)/sign", headers: ["Authorization": "Bearer \(t)"])
                // Everyone has signed or may not sign: a conflict for the parties, a refusal for the rest.
                let expected: [HTTPStatus] = ["head", "maker", "carrier"].contains(user) ? [.conflict] : [.forbidden, .notFound]
                #expect(expected.contains(other.status), "API sign by \(user): \(other.status)")
            }
        }
    }

    @Test("The province drives the award over the API: compute, publish, send, adjust, renew; each answer matches its schema")
    func api() async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await AwardWebFixture.prepare(app)
            let db = DB(app.db)
            _ = try await AwardService(db: db).importResults(
                path: try TestFixtures.file("r.csv", AwardWebFixture.results), batchCode: "B1", actor: .cli)
            let admin = try await APIClient(app, user: "admin")
            // The policy before compute: the fields given change; a ratio that does not read changes nothing.
            try await admin.snapshot(
                .POST, "/api/v1/batches/B1/award/policy", "award-policy", body: #"{"allocation":"evenly","flatRatio":"80","limitDrugs":4}"#,
                schema: "AwardPolicy", bodySchema: "AwardPolicyChange")
            try await admin.snapshot(
                .POST, "/api/v1/batches/B1/award/policy", "error-award-policy", body: #"{"ratios":"50,abc"}"#, status: .badRequest, schema: "Error")
            let changed = try #require(try await BatchStore(db).batch(code: "B1")).policy.award
            #expect(changed.allocation == .evenly && changed.flatRatio == .percent(80) && changed.distributorLimitDrugs == 4)
            #expect(changed.ratiosByWinners == AwardPolicy().ratiosByWinners)
            try await admin.snapshot(
                .POST, "/api/v1/batches/B1/award/policy", "award-policy-default",
                body: #"{"allocation":"lowestPrice","flatRatio":"","limitDrugs":5}"#, schema: "AwardPolicy", bodySchema: "AwardPolicyChange")
            try await admin.snapshot(.POST, "/api/v1/batches/B1/award/compute", "award-compute", schema: "Compute")
            let publish = #"{"executionStart":"2026-01-01","cycleEnd":"2027-12-31","signingDeadline":"2026-01-31"}"#
            try await admin.snapshot(
                .POST, "/api/v1/batches/B1/award/publish", "award-publish", body: publish, schema: "Count", bodySchema: "Publish")
            try await admin.snapshot(
                .POST, "/api/v1/batches/B1/award/compute", "error-award-published", status: .conflict, schema: "Error")
            try await admin.snapshot(.POST, "/api/v1/batches/B1/award/send", "award-send", schema: "Count")
            let adjust = #"{"institutionCode":"\#(TestFixtures.hospital)","productCode":"P0211","quantity":520,"reason":"新院区开诊"}"#
            try await admin.snapshot(
                .POST, "/api/v1/batches/B1/award/adjust", "award-adjust", body: adjust, schema: "VolumeList", bodySchema: "Adjustment")
            try await admin.snapshot(.POST, "/api/v1/batches/B1/award/renew", "award-renew", schema: "Count")
            try await admin.snapshot(
                .POST, "/api/v1/batches/B1/award/policy", "error-award-policy-published", body: #"{"allocation":"evenly"}"#, status: .conflict,
                schema: "Error")
            try await admin.snapshot(.GET, "/api/v1/batches/B1/award/gaps", "award-gaps", schema: "GapList")
            // The distributor named and the agreements sent; the head signs all those awaiting it, once the count it
            // confirms is the list's.
            let agreements = AgreementService(db: db, now: { WebFixture.t0 })
            try await agreements.addDistributor(
                batchCode: "B1", manufacturerCode: TestFixtures.manufacturer, area: "1401", distributorCode: AwardWebFixture.carrier, actor: .cli)
            _ = try await agreements.send(batchCode: "B1", actor: .cli)
            let headScope = try await agreements.scope(
                "B1", Principal(username: "head", role: .institutionHead, organisationCode: TestFixtures.hospital))
            let waiting = try await agreements.awaitingMine(headScope, narrowing: AgreementNarrowing(), page: PageRequest()).total
            #expect(waiting > 0)
            let head = try await APIClient(app, user: "head")
            try await head.snapshot(
                .POST, "/api/v1/batches/B1/award/sign-all", "error-award-sign-all-changed", body: #"{"expected":\#(waiting + 1)}"#,
                status: .conflict, schema: "Error")
            try await head.snapshot(
                .POST, "/api/v1/batches/B1/award/sign-all", "award-sign-all", body: #"{"city":"1401","expected":\#(waiting)}"#,
                schema: "BulkSigning", bodySchema: "SignAll")
            try await admin.snapshot(
                .POST, "/api/v1/batches/B1/award/sign-all", "error-award-sign-all-bureau", body: #"{"expected":0}"#, status: .forbidden,
                schema: "Error")
        }
    }

    @Test("Snapshots of the award pages and API bodies, Chinese and English", arguments: [false, true])
    func snapshots(english: Bool) async throws {
        try await withWeb(clock: TestClock(WebFixture.t0)) { app in
            try await AwardWebFixture.prepare(app)
            try await AwardWebFixture.publish(app)
            let id = try await AwardWebFixture.agreementID(app, institution: TestFixtures.hospital, product: "P0211")
            let lang = english ? "en" : "zh"
            func page(_ user: String, _ path: String, _ name: String) async throws {
                let browser = try await SnapshotTests.browser(app, user, english: english)
                let response = try await browser.get(path)
                #expect(response.status == .ok, "\(name): \(response.status)")
                Snapshot.check(Snapshot.html(response.body.string), "pages/\(name).\(lang).html")
            }
            try await page("admin", "/batches/B1/award", "award-province")
            try await page("maker", "/batches/B1/award", "award-manufacturer")
            try await page("head", "/batches/B1/award/volumes", "award-volumes")
            try await page("province", "/batches/B1/award/agreements", "award-agreements")
            try await page("head", "/batches/B1/award/agreements/\(id)", "award-agreement")
            try await page("admin", "/batches/B1/award/prices", "award-prices")
            try await page("city1401", "/batches/B1/award/gaps", "award-gaps")
            guard !english else { return }
            let head = try await APIClient(app, user: "head")
            try await head.snapshot(.GET, "/api/v1/batches/B1/award", "award", schema: "Award")
            try await head.snapshot(.GET, "/api/v1/batches/B1/award/volumes", "award-volumes", schema: "VolumeList")
            try await head.snapshot(.GET, "/api/v1/batches/B1/award/agreements", "award-agreements", schema: "AgreementList")
            try await head.snapshot(.GET, "/api/v1/batches/B1/award/prices", "award-prices", schema: "PriceList")
            try await head.snapshot(.POST, "/api/v1/batches/B1/award/agreements/\(id)/sign", "award-sign", schema: "Agreement")
            try await head.snapshot(
                .POST, "/api/v1/batches/B1/award/agreements/\(id)/sign", "error-already-signed", status: .conflict, schema: "Error")
        }
    }
}
