import Foundation
import JicaiCore

/// Small, hand-made inputs for persistence and service tests: a county, three institutions, a catalogue.
public enum TestFixtures {
    public static func code(_ first17: String) -> String { CreditCode.completing(first17)!.value }

    /// Taiyuan: the province, the city, two districts.
    public static let regionsCSV = """
        行政区划代码,名称,级别,上级代码
        140000,山西省,省,
        140100,太原市,市,140000
        140105,小店区,县,140100
        140122,阳曲县,县,140100

        """

    public static let hospital = code("12140100MB0000010")
    public static let township = code("12140122MB0000020")
    public static let village = code("52140122MB0000030")
    public static let manufacturer = code("91140100MA0000040")

    public static var organisationsCSV: String {
        """
        机构编码,机构名称,机构类型,机构类别,所有制,床位数,行政区划代码,医共体牵头机构编码
        \(hospital),太原市第一人民医院,医疗机构,三级医院,公立,1200,140105,
        \(township),阳曲县黄寨镇卫生院,医疗机构,乡镇卫生院,公立,40,140122,
        \(village),阳曲县黄寨镇某村卫生室,医疗机构,村卫生室,民营,0,140122,\(township)
        \(manufacturer),某某药业有限公司,生产企业,,,,140105,

        """
    }

    public static let catalogueCSV = """
        品种编码,通用名,给药途径,规格编码,剂型,规格,有效含量,最小单位,包装数量,是否过评,是否基药,不可替代规格,重点监控,抗微生物药物,限适应症,上升趋势
        V01,阿莫西林,口服,S011,胶囊,0.25g,0.25g,粒,24,是,否,否,否,是,否,否
        V01,阿莫西林,口服,S012,片剂,0.5g,0.5g,片,12,是,否,否,否,是,否,否
        V01,阿莫西林,口服,S013,颗粒剂,0.125g,125mg,袋,10,是,否,是,否,是,否,否
        V02,氨氯地平,口服,S021,片剂,5mg,5mg,片,28,是,否,否,否,否,否,否
        V02,氨氯地平,口服,S022,片剂,2.5mg,2.5mg,片,28,否,是,否,否,否,否,否
        V03,奥美拉唑,注射,S031,注射剂,40mg,40mg,支,1,是,否,否,是,否,否,否

        """

    public static let productsCSV = """
        产品编码,规格编码,生产企业,企业统一社会信用代码,厂牌
        P0111,S011,甲药业有限公司,,甲
        P0211,S021,丙药业有限公司,,丙

        """

    /// Writes `text` to a new temporary directory as `name`, UTF-8 or another encoding.
    public static func file(_ name: String, _ text: String, encoding: String.Encoding = .utf8) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jicai-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.data(using: encoding)!.write(to: url)
        return url.path
    }
}
