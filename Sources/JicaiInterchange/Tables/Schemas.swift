import JicaiCore

private func L(_ zh: String, _ en: String) -> LocalizedText { LocalizedText(zh: zh, en: en) }

/// The import templates, one per kind of file (docs/formats.md describes each).
public enum Schemas {
    public static let regions = TableSchema(
        kind: "regions", title: L("行政区划", "Regions"),
        columns: [
            Column("code", zh: "行政区划代码", aliases: ["区划代码", "division code"], help: L("6位数字（GB/T 2260）", "6 digits (GB/T 2260)"), example: "140105"),
            Column("name", zh: "名称", aliases: ["区划名称", "name"], help: L("区划名称", "region name"), example: "小店区"),
            Column(
                "level", zh: "级别", aliases: ["level"], help: L("省、市或县（province / city / county）", "province, city or county (省/市/县)"), example: "县"),
            Column(
                "parent", zh: "上级代码", aliases: ["上级区划代码", "parent"], required: false,
                help: L("上一级区划代码；省级留空", "the code one level up; empty for a province"), example: "140100"),
        ])

    public static let organisations = TableSchema(
        kind: "institutions", title: L("机构", "Organisations"),
        columns: [
            Column(
                "code", zh: "机构编码", aliases: ["统一社会信用代码", "institution code", "credit code"],
                help: L("18位统一社会信用代码", "18-character unified social credit code"), example: "12140100MB1234567X"),
            Column("name", zh: "机构名称", aliases: ["name"], help: L("全称", "full name"), example: "太原市第一人民医院"),
            Column(
                "kind", zh: "机构类型", aliases: ["kind", "type"], required: false,
                help: L(
                    "医疗机构、定点零售药店、生产企业、配送企业、市医保局、省医保局；空为医疗机构",
                    "institution, pharmacy, manufacturer, distributor, city bureau, province bureau; empty = institution"), example: "医疗机构"),
            Column(
                "category", zh: "机构类别", aliases: ["category"], required: false,
                help: L(
                    "三级医院、二级医院、一级医院、社区卫生服务中心、乡镇卫生院、社区卫生服务站、村卫生室、其他",
                    "tertiary/secondary/primary hospital, community health centre, township health centre, community health station, village clinic, other"
                ), example: "三级医院"),
            Column(
                "ownership", zh: "所有制", aliases: ["ownership"], required: false, help: L("公立、军队或民营", "public, military or private"), example: "公立"),
            Column("beds", zh: "床位数", aliases: ["beds"], required: false, help: L("实际开放床位数，整数", "open beds, whole number"), example: "1200"),
            Column(
                "region", zh: "行政区划代码", aliases: ["所在地区划代码", "region", "region code"],
                help: L("机构所在县（区）的6位代码", "6-digit code of the county (district)"), example: "140105"),
            Column(
                "lead", zh: "医共体牵头机构编码", aliases: ["community lead", "lead code"], required: false,
                help: L("紧密型县域医共体成员填写牵头机构的机构编码", "for members of a county medical community: the lead institution's code"), example: ""),
        ])

    public static let catalogue = TableSchema(
        kind: "catalogue", title: L("报量品种清单", "Batch catalogue"),
        columns: [
            Column("variety", zh: "品种编码", aliases: ["variety code"], help: L("本批次内唯一", "unique in the batch"), example: "V01"),
            Column("generic", zh: "通用名", aliases: ["generic name"], help: L("药品通用名", "generic name"), example: "阿莫西林"),
            Column(
                "route", zh: "给药途径", aliases: ["route"],
                help: L("口服、注射等；同通用名同给药途径为一个品种", "oral, injection…; one generic name and route make a variety"), example: "口服"),
            Column("spec", zh: "规格编码", aliases: ["spec code"], help: L("本批次内唯一", "unique in the batch"), example: "V01S01"),
            Column("form", zh: "剂型", aliases: ["dosage form"], help: L("片剂、胶囊、注射液等", "tablet, capsule, injection…"), example: "胶囊"),
            Column("strength", zh: "规格", aliases: ["strength"], help: L("规格包装描述", "strength as labelled"), example: "0.25g"),
            Column(
                "content", zh: "有效含量", aliases: ["effective content"],
                help: L("每最小单位有效含量，数字加单位：g、mg、μg、万IU、IU、ml…", "content per minimal unit, number and unit: g, mg, μg, 万IU, IU, ml…"), example: "0.25g"),
            Column("unit", zh: "最小单位", aliases: ["minimal unit"], help: L("片、粒、支、袋、瓶…", "tablet, capsule, vial, sachet…"), example: "粒"),
            Column(
                "pack", zh: "包装数量", aliases: ["pack size"], required: false, help: L("每包装最小单位数，整数；空为1", "minimal units per pack; empty = 1"),
                example: "24"),
            Column(
                "passed", zh: "是否过评", aliases: ["passed evaluation"], required: false,
                help: L("通过一致性评价（含参比制剂、原研）填“是”", "是 for specs that passed the consistency evaluation (or reference / originator)"), example: "是"),
            Column(
                "essential", zh: "是否基药", aliases: ["essential"], required: false, help: L("基本药物规格填“是”", "是 for essential-medicine specs"),
                example: "否"),
            Column(
                "nonSubstitutable", zh: "不可替代规格", aliases: ["non-substitutable"], required: false,
                help: L("临床使用场景不同、不能完全替代（如儿童规格）填“是”：不折算、不合并", "是 for specs that cannot be substituted (e.g. paediatric): never converted or merged"),
                example: "否"),
            Column(
                "keyMonitored", zh: "重点监控", aliases: ["key monitored"], required: false,
                help: L("国家重点监控合理用药药品目录内品种填“是”", "是 for varieties on the national key-monitored list"), example: "否"),
            Column(
                "antimicrobial", zh: "抗微生物药物", aliases: ["antimicrobial"], required: false, help: L("抗微生物药物填“是”", "是 for antimicrobials"),
                example: "是"),
            Column(
                "restricted", zh: "限适应症", aliases: ["restricted indication"], required: false,
                help: L("限适应症品种填“是”", "是 for restricted-indication varieties"), example: "否"),
            Column(
                "rising", zh: "上升趋势", aliases: ["rising"], required: false,
                help: L("新纳入医保目录、指南推荐地位提升等填“是”", "是 for newly listed or guideline-upgraded varieties"), example: "否"),
            Column(
                "insuranceCode", zh: "医保药品编码", aliases: ["insurance code"], required: false,
                help: L("23位国家医保药品编码", "23-character national insurance drug code"), example: ""),
        ])

    public static let products = TableSchema(
        kind: "products", title: L("产品（厂牌）", "Products (brands)"),
        columns: [
            Column("product", zh: "产品编码", aliases: ["product code"], help: L("本批次内唯一", "unique in the batch"), example: "P0001"),
            Column("spec", zh: "规格编码", aliases: ["spec code"], help: L("报量品种清单中的规格编码", "a spec code of the catalogue"), example: "V01S01"),
            Column("manufacturer", zh: "生产企业", aliases: ["manufacturer"], help: L("企业全称", "full name"), example: "某某药业有限公司"),
            Column(
                "manufacturerCode", zh: "企业统一社会信用代码", aliases: ["manufacturer code"], required: false,
                help: L("18位统一社会信用代码", "18-character unified social credit code"), example: ""),
            Column("brand", zh: "厂牌", aliases: ["brand"], required: false, help: L("商品名或厂牌", "brand"), example: ""),
        ])

    public static let history = TableSchema(
        kind: "history", title: L("历史采购量", "Purchase history"),
        columns: [
            Column(
                "institution", zh: "机构编码", aliases: ["institution code"], help: L("医疗机构的统一社会信用代码", "the institution's unified social credit code"),
                example: "12140100MB1234567X"),
            Column("spec", zh: "规格编码", aliases: ["spec code"], help: L("报量品种清单中的规格编码", "a spec code of the catalogue"), example: "V01S01"),
            Column("month", zh: "月份", aliases: ["month"], help: L("采购月份，如2025-01", "month of purchase, e.g. 2025-01"), example: "2025-01"),
            Column(
                "quantity", zh: "采购数量", aliases: ["quantity"],
                help: L("该规格最小单位数量，非负整数", "quantity in the spec's minimal units, whole and not negative"), example: "1200"),
            Column(
                "amount", zh: "采购金额", aliases: ["采购金额(元)", "采购金额（元）", "amount"], required: false, help: L("元，最多两位小数", "yuan, at most two decimals"),
                example: "356.40"),
        ])

    public static let demand = TableSchema(
        kind: "demand", title: L("需求量", "Demand"),
        columns: [
            Column(
                "institution", zh: "机构编码", aliases: ["institution code"], help: L("医疗机构的统一社会信用代码", "the institution's unified social credit code"),
                example: "12140100MB1234567X"),
            Column("spec", zh: "规格编码", aliases: ["spec code"], help: L("过评规格的编码", "a passed-evaluation spec code"), example: "V01S01"),
            Column(
                "product", zh: "产品编码", aliases: ["厂牌产品编码", "product code"], required: false,
                help: L("选择的厂牌产品；可空", "the chosen brand's product; may be empty"), example: ""),
            Column(
                "quantity", zh: "需求量", aliases: ["采购需求量", "quantity"],
                help: L("该规格最小单位数量，非负整数", "quantity in the spec's minimal units, whole and not negative"), example: "1000"),
            Column(
                "explanation", zh: "说明", aliases: ["报量说明", "explanation"], required: false,
                help: L("低于历史采购量\(BatchPolicy.default.floor)等情况的说明", "explanation, e.g. for a report below \(BatchPolicy.default.floor) of history"),
                example: ""),
            Column(
                "exclusion", zh: "特需剔除量", aliases: ["特殊需求剔除量", "special-needs exclusion"], required: false,
                help: L(
                    "用于特需、国际医疗服务等基本医保外的历史量，从历史采购量中剔除（最小单位，须说明原因）",
                    "history used for special-needs or international services outside basic insurance, taken out of the history (minimal units, with a reason)"
                ), example: ""),
            Column(
                "exclusionReason", zh: "剔除原因", aliases: ["exclusion reason"], required: false, help: L("特需剔除量的原因", "the reason for the exclusion"),
                example: ""),
            Column(
                "letter", zh: "承诺函文件", aliases: ["commitment letter"], required: false,
                help: L("已签字盖章的承诺函文件名（每个机构填一次即可）", "file name of the signed and sealed commitment letter (once per institution)"), example: "承诺函.pdf"),
            Column("signer", zh: "签字人", aliases: ["signer"], required: false, help: L("承诺函签字人姓名", "name of the letter's signer"), example: "张三"),
            Column(
                "signerTitle", zh: "签字人职务", aliases: ["signer title"], required: false, help: L("院长或党委书记", "director (院长) or party secretary (党委书记)"),
                example: "院长"),
        ])

    public static let accounts = TableSchema(
        kind: "accounts", title: L("账号", "Accounts"),
        columns: [
            Column(
                "username", zh: "账号", aliases: ["用户名", "username", "account"],
                help: L(
                    "登录账号，字母、数字、下划线或短横线，3–64位；已存在的账号沿用不变",
                    "log-in name: letters, digits, _ or -, 3–64 characters; existing accounts carry over unchanged"), example: "12140100MB1234567X"),
            Column("name", zh: "姓名", aliases: ["名称", "display name", "name"], help: L("使用人或岗位名称", "user or post name"), example: "药剂科 王五"),
            Column(
                "role", zh: "角色", aliases: ["role"],
                help: L(
                    "省级管理员、省级审核员、市级审核员、医疗机构填报员、医疗机构负责人、生产企业、配送企业",
                    "province administrator / reviewer, city reviewer, institution filler / head, manufacturer, distributor"), example: "医疗机构填报员"),
            Column(
                "organisation", zh: "机构编码", aliases: ["所属机构编码", "organisation code"], required: false,
                help: L("医疗机构和企业账号：所属机构的统一社会信用代码", "institution and company accounts: the organisation's credit code"), example: "12140100MB1234567X"),
            Column(
                "region", zh: "区划代码", aliases: ["所属区划代码", "region code"], required: false,
                help: L("省级、市级账号：所属省或市的6位代码", "province and city accounts: the 6-digit code of the province or city"), example: ""),
            Column(
                "password", zh: "初始密码", aliases: ["initial password"], required: false,
                help: L("可空：空则自动生成；首次登录须修改", "may be empty: generated when empty; must be changed at first log-in"), example: ""),
        ])

    public static let results = TableSchema(
        kind: "results", title: L("中选结果", "Winning results"),
        columns: [
            Column("product", zh: "产品编码", aliases: ["product code"], help: L("批次产品（厂牌）中的产品编码", "a product code of the batch"), example: "P0001"),
            Column(
                "role", zh: "中选类型", aliases: ["role"], required: false, help: L("中选或备供；空为中选", "中选 (winner) or 备供 (backup); empty = winner"),
                example: "中选"),
            Column(
                "backupOrder", zh: "备供顺位", aliases: ["backup order"], required: false, help: L("备供企业的顺位：1、2…", "a backup supplier's order: 1, 2…"),
                example: ""),
            Column(
                "packPrice", zh: "中选价格（元/包装）", aliases: ["中选价格", "winning price", "pack price"],
                help: L("每包装中选价格，元，最多两位小数", "winning price per pack in yuan, at most two decimals"), example: "12.60"),
            Column(
                "regions", zh: "供应地区", aliases: ["supply regions", "regions"], required: false,
                help: L("多家中选时该企业供应的区划代码，用顿号或分号分隔；空为全省", "division codes it supplies, separated by 、 or ;; empty = the whole province"),
                example: ""),
            Column(
                "referencePrice", zh: "采购前参考价（元/包装）", aliases: ["reference price"], required: false,
                help: L("集采前该规格的参考价，用于测算节约", "the spec's price before the award, for the savings"), example: "35.00"),
            Column(
                "insuranceCode", zh: "国家医保药品代码", aliases: ["insurance code"], required: false,
                help: L("产品的国家医保药品代码", "the product's national insurance drug code"), example: ""),
            Column(
                "restricted", zh: "限制使用级抗菌药物", aliases: ["restricted antimicrobial"], required: false,
                help: L("限制使用级抗菌药物、抗真菌药物填“是”：适用较低的约定采购比例", "是 for restricted antimicrobials and antifungals: the lower ratio table"),
                example: "否"),
            Column(
                "packSize", zh: "包装数量", aliases: ["pack size"], required: false,
                help: L("该产品每包装最小单位数；空为其规格的包装数量", "minimal units in this product's pack; empty = its spec's pack size"),
                example: ""),
        ])

    public static let distributors = TableSchema(
        kind: "distributors", title: L("配送企业", "Distributors"),
        columns: [
            Column(
                "manufacturer", zh: "生产企业编码", aliases: ["manufacturer code"], help: L("中选企业的统一社会信用代码", "the winning manufacturer's credit code"),
                example: "91140100MA0K000001"),
            Column(
                "area", zh: "统筹区代码", aliases: ["coordination area", "area"],
                help: L("统筹区（地市）4位区划代码", "the 4-digit code of the coordination area (city)"),
                example: "1401"),
            Column(
                "distributor", zh: "配送企业编码", aliases: ["distributor code"], help: L("配送企业的统一社会信用代码", "the distributor's credit code"),
                example: "91140100MA0K000002"),
        ])

    public static let listings = TableSchema(
        kind: "listings", title: L("非中选产品挂网价格", "Listing prices of non-winning products"),
        columns: [
            Column("product", zh: "产品编码", aliases: ["product code"], help: L("批次产品（厂牌）中的产品编码", "a product code of the batch"), example: "P0112"),
            Column(
                "category", zh: "产品类别", aliases: ["category"],
                help: L("原研药、参比制剂、过评仿制药、未过评仿制药或医用耗材", "originator, reference, passed generic, non-passed generic or consumable"),
                example: "过评仿制药"),
            Column(
                "packPrice", zh: "挂网价格（元/包装）", aliases: ["挂网价格", "listing price"],
                help: L("每包装挂网价格，元，最多两位小数", "listing price per pack in yuan, at most two decimals"), example: "18.50"),
        ])

    public static let purchases = TableSchema(
        kind: "purchases", title: L("采购明细", "Purchase lines"),
        columns: [
            Column(
                "institution", zh: "机构编码", aliases: ["institution code"], help: L("采购的医疗机构", "the purchasing institution"),
                example: "12140100MB1234567X"),
            Column("product", zh: "产品编码", aliases: ["product code"], help: L("批次产品（厂牌）中的产品编码", "a product code of the batch"), example: "P0112"),
            Column(
                "orderDate", zh: "订单日期", aliases: ["下单日期", "order date"], help: L("YYYY-MM-DD，须在采购周期内", "YYYY-MM-DD, inside the procurement cycle"),
                example: "2026-04-08"),
            Column(
                "deliveryDate", zh: "配送日期", aliases: ["delivery date"], required: false,
                help: L("YYYY-MM-DD；未配送留空", "YYYY-MM-DD; empty when not yet delivered"), example: "2026-04-09"),
            Column(
                "acceptanceDate", zh: "验收日期", aliases: ["入库日期", "acceptance date"], required: false,
                help: L("YYYY-MM-DD，不早于配送日期；未验收留空", "YYYY-MM-DD, not before delivery; empty when not yet accepted"), example: "2026-04-10"),
            Column(
                "quantity", zh: "数量（最小单位）", aliases: ["数量", "quantity"], help: L("片、粒、支、袋等最小单位数，整数", "minimal units (tablets, vials…), whole number"),
                example: "1200"),
            Column(
                "amount", zh: "金额（元）", aliases: ["金额", "amount"], help: L("采购金额，元，最多两位小数", "amount in yuan, at most two decimals"), example: "360.00"),
            Column(
                "order", zh: "订单号", aliases: ["订单编号", "order number"], required: false,
                help: L("平台订单号，可留空", "the platform's order number, may be empty"), example: "DD2026040800012"),
        ])

    public static let usage = TableSchema(
        kind: "usage", title: L("科室医生用药明细", "Use by department and doctor"),
        columns: [
            Column("institution", zh: "机构编码", aliases: ["institution code"], help: L("医疗机构", "the institution"), example: "12140100MB1234567X"),
            Column("department", zh: "科室", aliases: ["department"], help: L("科室名称", "department name"), example: "心内科"),
            Column(
                "doctor", zh: "医生编码", aliases: ["医师编码", "doctor id"], help: L("院内医生工号或医保医师编码", "the doctor's staff or insurance code"),
                example: "D0042"),
            Column("product", zh: "产品编码", aliases: ["product code"], help: L("批次产品（厂牌）中的产品编码", "a product code of the batch"), example: "P0112"),
            Column("month", zh: "月份", aliases: ["month"], help: L("YYYY-MM", "YYYY-MM"), example: "2026-05"),
            Column("quantity", zh: "数量（最小单位）", aliases: ["数量", "quantity"], help: L("最小单位数，整数", "minimal units, whole number"), example: "300"),
            Column("amount", zh: "金额（元）", aliases: ["金额", "amount"], help: L("元，最多两位小数", "yuan, at most two decimals"), example: "90.00"),
        ])

    /// An institution's orders from its hospital system (供): lines grouped into orders by the system's number.
    public static let supplyOrders = TableSchema(
        kind: "supply-orders", title: L("订单", "Orders"),
        columns: [
            Column(
                "reference", zh: "院内订单号", aliases: ["订单号", "his order number", "reference"],
                help: L("医院信息系统中的订单号：同一订单号的行下成一张订单（按配送企业分单）", "the hospital system's order number: its lines make one order (split by distributor)"),
                example: "HIS-20260701-01"),
            Column(
                "product", zh: "产品编码", aliases: ["product code"],
                help: L("本机构有生效协议的中选产品编码", "a winning product under one of the institution's agreements in force"),
                example: "P0211"),
            Column("packs", zh: "数量（包装）", aliases: ["数量", "packs"], help: L("整包装数，整数，大于0", "whole packs, above 0"), example: "10"),
            Column("note", zh: "备注", aliases: ["note"], required: false, help: L("订单备注，可留空", "a note to the order, may be empty"), example: ""),
        ])

    /// A distributor's invoices or an institution's payments of accepted deliveries (供).
    public static let supplyMoney = TableSchema(
        kind: "supply-payments", title: L("发票或付款", "Invoices or payments"),
        columns: [
            Column(
                "delivery", zh: "配送单号", aliases: ["delivery number"], help: L("平台配送单号（PS开头）", "the platform's delivery number (PS…)"),
                example: "PS00000012"),
            Column(
                "number", zh: "票据号", aliases: ["发票号", "付款凭证号", "reference"],
                help: L("发票号（配送企业）或付款凭证号（医疗机构），最多40字", "invoice number (distributor) or payment reference (institution), 40 characters at most"),
                example: "FP20260705001"),
            Column(
                "amount", zh: "金额（元）", aliases: ["金额", "amount"], help: L("元，最多两位小数，大于0", "yuan, at most two decimals, above 0"), example: "1120.00"),
            Column(
                "date", zh: "日期", aliases: ["开票日期", "付款日期", "date"], help: L("YYYY-MM-DD，不早于验收日、不晚于今天", "YYYY-MM-DD, from the acceptance to today"),
                example: "2026-07-05"),
        ])

    /// The traceability codes an institution settled or dispensed (001 §2(五)).
    public static let settledCodes = TableSchema(
        kind: "settled-codes", title: L("结算追溯码", "Settled traceability codes"),
        columns: [
            Column("code", zh: "追溯码", aliases: ["药品追溯码", "trace code"], help: L("20位数字", "20 digits"), example: "81000010000000000001"),
            Column("product", zh: "产品编码", aliases: ["product code"], help: L("本批次中选产品编码", "a winning product of the batch"), example: "P0211"),
            Column("date", zh: "结算日期", aliases: ["发药日期", "date"], help: L("YYYY-MM-DD，不晚于今天", "YYYY-MM-DD, not after today"), example: "2026-07-05"),
        ])

    public static let all: [TableSchema] = [
        regions, organisations, catalogue, products, history, demand, accounts, results, distributors, listings, purchases, usage, supplyOrders,
        supplyMoney, settledCodes,
    ]

    public static func named(_ kind: String) -> TableSchema? {
        all.first { $0.kind == kind || ($0.kind == "institutions" && kind == "organisations") }
    }
}
