import Foundation
import JicaiCore
import Testing

@testable import JicaiInterchange

/// Writes `text` to a temporary file named `name` (UTF-8 unless an encoding is given).
func tempFile(_ name: String, _ text: String, encoding: String.Encoding = .utf8) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try text.data(using: encoding)!.write(to: url)
    return url.path
}

func failure(_ body: () throws -> Void) -> ImportFailure? {
    do {
        try body()
        return nil
    } catch let f as ImportFailure { return f } catch { return nil }
}

let inst1 = CreditCode.completing("12140100MB1234560")!.value
let inst2 = CreditCode.completing("12140100MB7654320")!.value

let catalogueCSV = """
    品种编码,通用名,给药途径,规格编码,剂型,规格,有效含量,最小单位,包装数量,是否过评,是否基药,不可替代规格,重点监控,抗微生物药物,限适应症,上升趋势
    V01,阿莫西林,口服,S011,胶囊,0.25g,0.25g,粒,24,是,否,否,否,是,否,否
    V01,阿莫西林,口服,S012,片剂,0.5g,500mg,片,12,是,否,否,否,是,否,否
    V02,氨氯地平,口服,S021,片剂,5mg,5mg,片,28,是,是,否,否,否,否,否

    """

@Suite("Import tables: headers, rows, reasons")
struct TableTests {
    @Test("Catalogue: Chinese headers, flags, effective content; merged forms convert")
    func catalogue() throws {
        let c = try CatalogueTable.read(try tempFile("清单.csv", catalogueCSV))
        #expect(c.specs.count == 3)
        #expect(c.varietyByCode["V01"]?.flags.antimicrobial == true)
        #expect(c.specByCode["S021"]?.essential == true)
        #expect(c.specByCode["S012"]?.content.baseAmount == EffectiveContent(text: "0.5g")?.baseAmount)
    }

    @Test("English aliases are accepted as headers, in any column order")
    func aliases() throws {
        let text = "quantity,month,spec code,institution code\n5,2025-01,S011,\(inst1)\n"
        var issues = IssueCollector()
        var got: [HistoryRecord] = []
        try HistoryTable.read(try tempFile("h.csv", text), issues: &issues) { _, r in got.append(r) }
        #expect(issues.isEmpty)
        #expect(got == [HistoryRecord(institutionCode: inst1, specCode: "S011", month: MonthKey(year: 2025, month: 1)!, quantity: 5, amount: nil)])
    }

    @Test(
        "History rows read the same whatever their line form: LF or CRLF, quoted or padded fields, blank rows, both month forms, records across the 1 MB reads — the fast paths and the row reader agree"
    )
    func historyLineForms() throws {
        // 45,000 records (about 2.5 MB) with a known value each; row numbers are spreadsheet rows (the header is 1).
        var text = "\u{FEFF}机构编码,规格编码,月份,采购数量,采购金额\r\n"
        var expected: [(row: Int, record: HistoryRecord)] = []
        var badRows: [Int] = []
        var row = 1
        let codes = [inst1, inst2]
        for i in 0..<45_000 {
            row += 1
            let inst = codes[(i / 700) % 2]
            let spec = ["S011", "S012", "S021"][(i / 12) % 3]
            let month = MonthKey(year: 2024, month: 12)!.advanced(by: i % 12)!
            let quantity = Int64(i * 7 % 1_000)
            let amount: Fen? = i % 5 == 0 ? nil : Fen(Int64(i % 9_999) * (i % 3 == 0 ? 100 : i % 3 == 1 ? 10 : 1))
            let amountText =
                amount.map { v in
                    i % 3 == 0
                        ? "\(v.value / 100)"
                        : i % 3 == 1 ? "\(v.value / 100).\(v.value % 100 / 10)" : String(format: "%d.%02d", v.value / 100, v.value % 100)
                } ?? ""
            let monthText = i % 4 == 0 ? "\(month.year)\(String(format: "%02d", month.month))" : month.description
            let end = (i / 3_000) % 2 == 0 ? "\n" : "\r\n"
            switch i % 1_000 {
            case 17: text += "\(inst),\"\(spec)\",\(monthText),\(quantity),\(amountText)\(end)"  // quoted: the row reader
            case 18: text += "\(inst),\(spec),\(monthText), \(quantity) ,\(amountText)\(end)"  // padded: the row reader trims
            case 19:
                text += "\(inst),\"\(spec)\n\",\(monthText),\(quantity),\(amountText)\(end)"  // a line break inside a quoted field
                // One record over two lines; its code (with the line break) is refused later, against the catalogue.
                expected.append((row, HistoryRecord(institutionCode: inst, specCode: spec + "\n", month: month, quantity: quantity, amount: amount)))
                continue
            case 20:
                text += "   \(end)"
                continue  // a blank row
            case 21:
                text += "\(inst),\(spec),\(monthText),-\(quantity + 1),\(amountText)\(end)"  // negative: refused
                badRows.append(row)
                continue
            case 22:
                text += "\"\(inst)\",\"\(spec)\",\"\(monthText)\",\"x\(quantity)\",\"\(amountText)\"\(end)"  // quoted and not a number
                badRows.append(row)
                continue
            case 23: text += "\"\(inst)\",\"\(spec)\",\"\(monthText)\",\"\(quantity)\",\"\(amountText)\"\(end)"  // every field quoted
            default: text += "\(inst),\(spec),\(monthText),\(quantity),\(amountText)\(end)"
            }
            expected.append((row, HistoryRecord(institutionCode: inst, specCode: spec, month: month, quantity: quantity, amount: amount)))
        }
        text += "\(inst1),S011,2025-01,5"  // the last record without a line end
        expected.append(
            (row + 1, HistoryRecord(institutionCode: inst1, specCode: "S011", month: MonthKey(year: 2025, month: 1)!, quantity: 5, amount: nil)))
        var issues = IssueCollector(limit: 10_000)
        var got: [(row: Int, record: HistoryRecord)] = []
        try HistoryTable.read(try tempFile("lines.csv", text), issues: &issues) { got.append(($0, $1)) }
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) where g.row != e.row || g.record != e.record {
            Issue.record("row \(g.row): \(g.record) ≠ row \(e.row): \(e.record)")
            break
        }
        #expect(Set(issues.issues.map(\.row)) == Set(badRows))
    }

    @Test(
        "Purchase lines read the same whatever their form: quoted, padded, slashed or serial dates, blank rows, across the 1 MB reads; the byte path refuses what the row reader refuses, with its reasons"
    )
    func purchaseLineForms() throws {
        var text = "机构编码,产品编码,订单日期,配送日期,验收日期,数量（最小单位）,金额（元）,订单号\n"
        var expected: [(row: Int, record: PurchaseRecord)] = []
        var badRows: [Int: String] = [:]
        var row = 1
        let codes = [inst1, inst2]
        for i in 0..<30_000 {
            row += 1
            let inst = codes[(i / 500) % 2]
            let product = ["P0111", "P0112", "P0211"][(i / 7) % 3]
            let order = CivilDate(2026, 3, 1)!.adding(days: i % 200)!
            let delivery: CivilDate? = i % 11 == 0 ? nil : order.adding(days: i % 3)
            let acceptance: CivilDate? = delivery.flatMap { i % 13 == 0 ? nil : $0.adding(days: i % 2) }
            let quantity = Int64(1 + i * 7 % 1_000)
            let fen = Int64(i % 9_999) * (i % 3 == 0 ? 100 : i % 3 == 1 ? 10 : 1)
            let amount = i % 3 == 0 ? "\(fen / 100)" : i % 3 == 1 ? "\(fen / 100).\(fen % 100 / 10)" : String(format: "%d.%02d", fen / 100, fen % 100)
            let number = i % 4 == 0 ? "" : "DD\(i)"
            let d = delivery?.description ?? ""
            let a = acceptance?.description ?? ""
            let record = PurchaseRecord(
                institutionCode: inst, productCode: product, orderDate: order, deliveryDate: delivery, acceptanceDate: acceptance, quantity: quantity,
                amountFen: fen, orderNumber: number)
            switch i % 1_000 {
            case 17: text += "\"\(inst)\",\"\(product)\",\(order),\(d),\(a),\(quantity),\(amount),\"\(number)\"\n"  // quoted
            case 18: text += "\(inst), \(product) ,\(order),\(d),\(a), \(quantity),\(amount),\(number)\r\n"  // padded: trimmed
            case 19:  // slashed dates and an Excel serial order date: the row reader
                let serial = order.dayNumber + 25_569  // Excel's day 0 is 1899-12-30, 25,569 days before 1970-01-01
                text += "\(inst),\(product),\(serial),\(d.replacingOccurrences(of: "-", with: "/")),\(a),\(quantity),\(amount),\(number)\n"
            case 20:
                text += "  \n"
                continue
            case 21:
                text += "\(inst),\(product),\(order),\(order.adding(days: -1)!),,\(quantity),\(amount),\(number)\n"
                badRows[row] = "配送日期"
                continue
            case 22:
                text += "\(inst),\(product),\(order),\(order),,0,\(amount),\(number)\n"
                badRows[row] = "数量（最小单位）"
                continue
            case 23:
                text += "\(inst),\(product),\(order),,\(order),\(quantity),\(amount),\(number)\n"
                badRows[row] = "验收日期"
                continue
            case 24:
                text += "\(inst),\(product),\(order),\(d),\(a),\(quantity),1.234,\(number)\n"
                badRows[row] = "金额（元）"
                continue
            case 25:
                text += "\(inst),\(product),2026-02-30,\(d),\(a),\(quantity),\(amount),\(number)\n"
                badRows[row] = "订单日期"
                continue
            default: text += "\(inst),\(product),\(order),\(d),\(a),\(quantity),\(amount),\(number)\n"
            }
            expected.append((row, record))
        }
        let cursor = try PurchaseCursor(path: try tempFile("p.csv", text), issueLimit: 10_000)
        var got: [(row: Int, record: PurchaseRecord)] = []
        while true {
            let part = try cursor.read(count: 4_096)
            if part.isEmpty { break }
            got += part.map { ($0.row, $0.value) }
        }
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) where g.row != e.row || g.record != e.record {
            Issue.record("row \(g.row): \(g.record) ≠ row \(e.row): \(e.record)")
            break
        }
        #expect(Dictionary(cursor.issues.issues.map { ($0.row, $0.column) }, uniquingKeysWith: { a, _ in a }) == badRows)
        #expect(cursor.institutions.codes == [inst1, inst2])
    }

    @Test(
        "A GB18030 history file (Excel's Chinese CSV) reads like UTF-8: plain and quoted rows by the fast paths, a code in Chinese decoded by the row reader"
    )
    func historyGB18030() throws {
        let text =
            "机构编码,规格编码,月份,采购数量,采购金额\r\n"
            + "\(inst1),S011,2025-01,5,1.50\r\n"
            + "\(inst1),\"S012\",2025-02,6,\r\n"
            + "\(inst1),规格一,2025-03,7,\r\n"
            + "\(inst2),S021,202504,8,2\r\n"
        var issues = IssueCollector()
        var got: [HistoryRecord] = []
        let path = try tempFile("gb.csv", text, encoding: String.Encoding(rawValue: 0x8000_0632))
        try HistoryTable.read(path, issues: &issues) { _, r in got.append(r) }
        #expect(got.map(\.specCode) == ["S011", "S012", "规格一", "S021"])
        #expect(got.map(\.quantity) == [5, 6, 7, 8])
        #expect(got[0].amount == Fen(150) && got[1].amount == nil && got[3].amount == Fen(200))
        #expect(issues.isEmpty)
    }

    @Test("A missing required column is reported by its Chinese name before any row is read")
    func missingColumn() throws {
        let path = try tempFile("h.csv", "机构编码,规格编码,月份\n\(inst1),S011,2025-01\n")
        var issues = IssueCollector()
        let f = failure { try HistoryTable.read(path, issues: &issues) { _, _ in } }
        #expect(f?.issues.first?.column == "采购数量")
        #expect(f?.issues.first?.row == 1)
    }

    @Test("Bad history rows: negative, non-numeric, fractional quantity, bad month, bad code, bad amount — each with row, column, reason")
    func badHistoryRows() throws {
        let text = """
            机构编码,规格编码,月份,采购数量,采购金额
            \(inst1),S011,2025-01,-5,1.00
            \(inst1),S011,2025-02,十,1.00
            \(inst1),S011,2025-03,1.5,1.00
            \(inst1),S011,2025-13,1,1.00
            12140100MB1234567Q,S011,2025-01,1,1.00
            \(inst2),S011,2025-01,1,1.001
            \(inst2),S011,2025-02,7,2.50

            """
        var issues = IssueCollector()
        var good: [Int] = []
        try HistoryTable.read(try tempFile("history.csv", text), issues: &issues) { row, _ in good.append(row) }
        #expect(good == [8])
        let byRow = Dictionary(grouping: issues.issues, by: \.row)
        #expect(byRow[2]?.first?.column == "采购数量")
        #expect(byRow[2]?.first?.reason.zh.contains("负数") == true)
        #expect(byRow[3]?.first?.reason.en.contains("not a number") == true)
        #expect(byRow[4]?.first?.reason.en.contains("whole number") == true)
        #expect(byRow[5]?.first?.column == "月份")
        #expect(byRow[6]?.first?.column == "机构编码")
        #expect(byRow[7]?.first?.column == "采购金额")
        #expect(issues.issues.allSatisfy { $0.file == "history.csv" })
    }

    @Test("A GB18030 organisation file reads the same as UTF-8")
    func gbOrganisations() throws {
        let text =
            "机构编码,机构名称,机构类型,机构类别,所有制,床位数,行政区划代码,医共体牵头机构编码\n\(inst1),太原市第一人民医院,医疗机构,三级医院,公立,1200,140105,\n\(inst2),阳曲县黄寨镇卫生院,,乡镇卫生院,公立,30,140122,\(inst1)\n"
        let a = try OrganisationTable.read(try tempFile("机构.csv", text, encoding: gb18030))
        let b = try OrganisationTable.read(try tempFile("机构.csv", text))
        #expect(a.map(\.value) == b.map(\.value))
        #expect(a[1].value.communityLeadCode == inst1)
        #expect(a[1].value.category == .townshipHealthCentre)
    }

    @Test("Duplicate keys are reported at the second row with the first row named")
    func duplicates() throws {
        let text = "机构编码,规格编码,产品编码,需求量,说明\n\(inst1),S011,,10,\n\(inst1),S011,,12,\n"
        let f = failure { _ = try DemandTable.read(try tempFile("demand.csv", text)) }
        #expect(f?.issues.count == 1)
        #expect(f?.issues.first?.row == 3)
        #expect(f?.issues.first?.reason.zh.contains("第2行") == true)
    }

    @Test("A cell longer than 500 characters is refused with its row and column")
    func longCell() throws {
        let name = String(repeating: "院", count: 600)
        let text = "机构编码,机构名称,行政区划代码\n\(inst1),\(name),140105\n"
        let f = failure { _ = try OrganisationTable.read(try tempFile("org.csv", text)) }
        #expect(f?.issues.first?.row == 2)
        #expect(f?.issues.first?.column == "机构名称")
    }

    @Test("Catalogue: a variety whose rows disagree, a bad content and a repeated spec are all reported")
    func badCatalogue() throws {
        let text =
            catalogueCSV
            .replacingOccurrences(of: "V01,阿莫西林,口服,S012,片剂,0.5g,500mg,片,12,是,否,否,否,是", with: "V01,阿莫西林,口服,S012,片剂,0.5g,500mg,片,12,是,否,否,否,否")
            + "V02,氨氯地平,口服,S021,片剂,5mg,5毫克,片,28,是,是,否,否,否,否,否\n"
        let f = failure { _ = try CatalogueTable.read(try tempFile("cat.csv", text)) }
        let rows = Set(f?.issues.map(\.row) ?? [])
        #expect(rows.contains(3))
        #expect(rows.contains(5))
    }

    @Test("Every template is written as XLSX and CSV and reads back as an empty but valid file of its kind")
    func templates() throws {
        for schema in Schemas.all {
            for format in [TableFormat.xlsx, .csv] {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("t-\(UUID()).\(format.rawValue)")
                try Templates.write(schema, format: format, to: url)
                var header: [String] = []
                try TableReader.read(path: url.path, header: { header = $0 }, body: { _ in })
                #expect(header == schema.columns.map(\.zh), "\(schema.kind) \(format)")
                guard case .success = schema.resolve(header: header, file: "t") else {
                    Issue.record("template header of \(schema.kind) does not resolve")
                    continue
                }
            }
        }
    }

    @Test("History from an XLSX file, with Excel's date serials for months")
    func historyXLSX() throws {
        let w = try XLSXWriter()
        try w.addSheet("历史采购量")
        try w.addRow(["机构编码", "规格编码", "月份", "采购数量"])
        try w.addRow([.text(inst1), .text("S011"), .number(45658), .number(120)])  // 45658 = 2025-01-01
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("h-\(UUID()).xlsx")
        try w.write(to: url)
        var issues = IssueCollector()
        var got: [HistoryRecord] = []
        try HistoryTable.read(url.path, issues: &issues) { _, r in got.append(r) }
        #expect(issues.isEmpty)
        #expect(got.first?.month == MonthKey(year: 2025, month: 1))
        #expect(got.first?.quantity == 120)
    }

    @Test("Old .xls files are refused with advice to save as .xlsx")
    func xls() throws {
        let path = try tempFile("旧.xls", "x")
        #expect(throws: (any Error).self) { try TableReader.read(path: path, header: { _ in }, body: { _ in }) }
    }
}
