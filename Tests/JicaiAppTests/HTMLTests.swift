import Foundation
import JicaiWeb
import Testing

@Suite("Typed HTML: every text and attribute value is escaped")
struct HTMLTests {
    static let nasty = "\"'<>&😀𠀀 </script><img src=x onerror=alert(1)>"
    static let escaped = "&quot;&#39;&lt;&gt;&amp;😀𠀀 &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"

    @Test("Text, attribute values of every helper, nested elements and void elements escape \"'<>& and keep non-BMP text")
    func escaping() {
        let n = HTMLTests.nasty
        let page = el("div", .class(n), .id(n), .href(n), .name(n), .value(n), .title(n), .type(n), .action(n), .data("k", n), Attr("aria-label", n))
        {
            n
            el("p") { el("span") { n } }
            el("input", .value(n))
            el("textarea", .name(n)) { n }
        }
        let html = page.rendered
        #expect(!html.contains("<img"))
        #expect(!html.contains("</script>"))
        #expect(!html.contains("\"'"))
        // 10 attributes on the div, the text, the span, the input's value, the textarea's name and text.
        #expect(html.components(separatedBy: HTMLTests.escaped).count - 1 == 15)
        #expect(html.hasPrefix("<div class=\"&quot;&#39;&lt;"))
        #expect(html.contains("<input value=\"\(HTMLTests.escaped)\">"))
        #expect(!html.contains("</input>"))
    }

    @Test("Boolean attributes render bare; unsafeRaw is written as is (constant markup only)")
    func booleansAndRaw() {
        #expect(el("input", .type("checkbox"), .checked, .disabled).rendered == "<input type=\"checkbox\" checked disabled>")
        #expect(Node.fragment([.unsafeRaw("<br>"), .text("<br>")]).rendered == "<br>&lt;br&gt;")
    }
}
