import Foundation
import JicaiCore
import Vapor

/// The interface language: Simplified Chinese by default, English by a switch (cookie `lang`).
struct Lang: Sendable {
    var en: Bool
    func t(_ zh: String, _ en: String) -> String { self.en ? en : zh }
    func t(_ text: LocalizedText) -> String { en ? text.en : text.zh }
}

enum Layout {
    /// A whole page: header with the user and the language switch, flash messages, content.
    static func page(_ req: Request, title: String, flash: [Flash] = [], @HTMLBuilder _ content: () -> [Node]) -> Response {
        let lang = req.lang
        let user = req.currentUser
        let body: [Node] = content()
        let doc = el("html", attrs: [Attr("lang", lang.en ? "en" : "zh-CN")]) {
            el("head") {
                el("meta", Attr("charset", "utf-8"))
                el("meta", .name("viewport"), Attr("content", "width=device-width, initial-scale=1"))
                el("title") { "\(title) · \(lang.t("集采平台", "Jicai"))" }
                el("link", Attr("rel", "stylesheet"), .href("/static/app.css"))
                el("script", Attr("src", "/static/app.js"), Attr("defer", nil))
            }
            el("body") {
                el("header", .class("top")) {
                    el("a", .href("/"), .class("brand")) { lang.t("集采平台 · 报量", "Jicai · demand reporting") }
                    el("nav") {
                        if let user {
                            if user.principal.role == .provinceAdmin {
                                el("a", .href("/admin/accounts")) { lang.t("账号", "Accounts") }
                                el("a", .href("/audit")) { lang.t("审计日志", "Audit log") }
                            } else if user.principal.role.isProvince {
                                el("a", .href("/audit")) { lang.t("审计日志", "Audit log") }
                            }
                            el("a", .href("/tokens")) { lang.t("API令牌", "API tokens") }
                            el("span", .class("who")) { "\(user.user.displayName)（\(lang.t(user.principal.role.label))）" }
                            el("form", .action("/logout"), .postMethod, .class("inline")) {
                                el("input", .type("hidden"), .name("_csrf"), .value(user.csrf))
                                el("button", .type("submit"), .class("link"), .id("logout")) { lang.t("退出", "Log out") }
                            }
                        }
                        el("a", .href(lang.en ? "/lang/zh" : "/lang/en"), .id("lang-switch")) { lang.en ? "中文" : "English" }
                    }
                }
                el("main") {
                    for f in flash { el("p", .class("flash \(f.kind)"), Attr("role", "status")) { f.text } }
                    body
                }
            }
        }
        var html = "<!doctype html>"
        doc.render(into: &html)
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.add(name: "Cache-Control", value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }

    static func csrf(_ req: Request) -> Node {
        el("input", .type("hidden"), .name("_csrf"), .value(req.currentUser?.csrf ?? ""))
    }

    static func postForm(_ req: Request, _ action: String, id: String? = nil, multipart: Bool = false, @HTMLBuilder _ content: () -> [Node]) -> Node {
        var attrs: [Attr] = [.action(action), .postMethod]
        if let id { attrs.append(.id(id)) }
        if multipart { attrs.append(.multipart) }
        let inner = content()
        return el("form", attrs: attrs) {
            csrf(req)
            inner
        }
    }

    /// A sortable, filterable table (app.js adds the behaviour; without script it is a plain table).
    static func table(id: String, headers: [String], filter: Lang? = nil, rows: [[Node]]) -> Node {
        el("div", .class("table-wrap")) {
            if let filter {
                el("input", .type("search"), .class("filter"), .data("table", id), Attr("placeholder", filter.t("筛选…", "Filter…")))
            }
            el("table", .id(id), .class("sortable")) {
                el("thead") { el("tr") { for h in headers { el("th") { h } } } }
                el("tbody") {
                    for r in rows { el("tr") { for c in r { el("td") { c } } } }
                }
            }
        }
    }

    /// "2025-12-29 24:00" as the seeds write it, with a live countdown to it.
    static func countdown(_ lang: Lang, to date: Date, label: String) -> Node {
        el("span", .class("countdown"), .data("deadline", String(Int(date.timeIntervalSince1970))), .data("left", lang.t("，剩余", ", left: ")), .data("over", lang.t("，已截止", ", passed"))) {
            "\(label) \(ReportingWindow.shanghaiText(date)) \(lang.t("（北京时间）", "(Beijing time)"))"
        }
    }
}

struct Flash: Sendable {
    var kind: String
    var text: String
    static func ok(_ t: String) -> Flash { Flash(kind: "ok", text: t) }
    static func error(_ t: String) -> Flash { Flash(kind: "error", text: t) }
}

enum StaticAssets {
    static let css = """
    *{box-sizing:border-box}body{margin:0;font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#1f2328;background:#f6f7f9;font-size:15px}
    header.top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;background:#0b5394;color:#fff;padding:.6rem 1rem}
    header.top a{color:#fff;text-decoration:none;margin-right:1rem}header .brand{font-weight:700;font-size:1.1rem}header nav{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem}
    .who{margin-right:.6rem;opacity:.9}main{padding:1rem;max-width:1300px;margin:auto}
    h1{font-size:1.35rem;margin:.4rem 0 1rem}h2{font-size:1.1rem;margin:1.4rem 0 .6rem}
    .card{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:1rem;margin-bottom:1rem}
    .table-wrap{overflow-x:auto;background:#fff;border:1px solid #d8dde3;border-radius:6px;margin-bottom:1rem}
    table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e5e8eb;padding:.4rem .55rem;text-align:left;vertical-align:top}
    th{background:#eef2f6;cursor:pointer;white-space:nowrap;position:sticky;top:0}td.num,th.num{text-align:right}
    input,select,textarea,button{font:inherit}input[type=number]{width:8rem;text-align:right}textarea{width:100%;min-height:3rem}
    input[type=text],input[type=password],input[type=search],input[type=datetime-local],select{padding:.35rem;border:1px solid #b8c0c8;border-radius:4px;max-width:100%}
    button,.button{background:#0b5394;color:#fff;border:0;border-radius:4px;padding:.45rem .9rem;cursor:pointer;text-decoration:none;display:inline-block}
    button.secondary{background:#5f6b7a}button.danger{background:#b3261e}button.link{background:none;color:#fff;padding:0;text-decoration:underline}
    form.inline{display:inline}.flash{padding:.6rem .8rem;border-radius:4px}.flash.ok{background:#e6f4ea;border:1px solid #a8d5b5}.flash.error{background:#fce8e6;border:1px solid #f1aca5}
    .badge{display:inline-block;padding:.1rem .45rem;border-radius:9px;font-size:.85em;background:#e5e8eb}
    .badge.blocking{background:#fce8e6;color:#8c1d18}.badge.review{background:#fff4d6;color:#6b4e00}.badge.info{background:#e8f0fe;color:#174ea6}
    .status-submitted,.status-cityApproved,.status-provinceApproved{background:#e6f4ea}.status-returned{background:#fce8e6}.status-draft{background:#fff4d6}
    .finding{border-left:4px solid #c5cbd3;padding:.3rem .6rem;margin:.3rem 0;background:#fafbfc}.finding.blocking{border-color:#b3261e}.finding.review{border-color:#c69026}.finding.info{border-color:#1a73e8}
    .variety{margin-bottom:1rem}.variety h3{margin:0 0 .4rem;font-size:1rem}.muted{color:#5f6b7a;font-size:.9em}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:.8rem}
    .countdown{font-weight:600}.login{max-width:380px;margin:3rem auto}.login label{display:block;margin:.6rem 0 .2rem}.login input{width:100%}
    .pager{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:.5rem 0}.page-link.disabled{color:#9aa}a.sort{color:inherit;text-decoration:none}a.sort.active{font-weight:700}
    .filter{margin:.5rem;width:calc(100% - 1rem);max-width:320px}.print-only{display:none}
    @media print{header.top,.no-print,form,.filter{display:none}.print-only{display:block}body{background:#fff}.table-wrap,.card{border:0}}
    @media (max-width:700px){main{padding:.5rem}th,td{padding:.3rem}input[type=number]{width:6rem}}
    """

    static let js = """
    document.querySelectorAll('table.sortable').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
      var tb=t.tBodies[0];var rows=Array.from(tb.rows);var asc=th.dataset.dir!=='asc';th.dataset.dir=asc?'asc':'desc';
      rows.sort(function(a,b){var x=a.cells[i].innerText.trim(),y=b.cells[i].innerText.trim();var nx=parseFloat(x.replace(/,/g,'')),ny=parseFloat(y.replace(/,/g,''));
        var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'zh');return asc?c:-c;});rows.forEach(function(r){tb.appendChild(r);});});});});
    document.querySelectorAll('input.filter').forEach(function(f){f.addEventListener('input',function(){var t=document.getElementById(f.dataset.table);var q=f.value.toLowerCase();
      Array.from(t.tBodies[0].rows).forEach(function(r){r.style.display=r.innerText.toLowerCase().indexOf(q)>=0?'':'none';});});});
    function tick(){document.querySelectorAll('.countdown').forEach(function(c){var s=parseInt(c.dataset.deadline,10)-Math.floor(Date.now()/1000);
      var out=c.querySelector('.left');if(!out){out=document.createElement('span');out.className='left';c.appendChild(out);}
      if(s<=0){out.textContent=c.dataset.over;return;}var d=Math.floor(s/86400),h=Math.floor(s%86400/3600),m=Math.floor(s%3600/60),x=s%60;
      out.textContent=c.dataset.left+(d>0?d+'d ':'')+h+':'+String(m).padStart(2,'0')+':'+String(x).padStart(2,'0');});}
    tick();setInterval(tick,1000);
    document.querySelectorAll('[data-print]').forEach(function(b){b.addEventListener('click',function(){window.print();});});
    var df=document.querySelector('form[data-check]');
    if(df){var timer=null;var en=document.documentElement.lang==='en';var box=document.getElementById('live-findings');
      function draft(){var d={lines:[],explanations:{},exclusions:{}};var fd=new FormData(df);var q={},p={},x={},xs={},xr={};
        fd.forEach(function(v,k){var m=k.match(/^(q|p|e|x|xs|xr)\\[(.*)\\]$/);if(!m)return;({q:q,p:p,e:d.explanations,x:x,xs:xs,xr:xr})[m[1]][m[2]]=v;});
        Object.keys(q).forEach(function(s){var n=q[s].trim();if(n==='')return;d.lines.push({specCode:s,productCode:p[s]||null,quantity:parseInt(n,10)||0});});
        Object.keys(x).forEach(function(u){var n=x[u].trim();if(n===''||n==='0')return;d.exclusions[u]={specCode:xs[u]||'',quantity:parseInt(n,10)||0,reason:xr[u]||''};});
        return d;}
      function check(){fetch(df.dataset.check,{method:'POST',credentials:'same-origin',headers:{'Content-Type':'application/json','X-CSRF-Token':df.querySelector('input[name=_csrf]').value},body:JSON.stringify(draft())})
        .then(function(r){return r.json();}).then(function(list){box.textContent='';if(!Array.isArray(list)){if(list.error){var e=document.createElement('p');e.className='flash error';e.textContent=en?list.error.messageEn:list.error.message;box.appendChild(e);}return;}
          var h=document.createElement('p');h.className='flash '+(list.some(function(f){return f.severity==='blocking';})?'error':'ok');
          h.textContent=(en?'Live check (not saved yet): ':'实时检查（尚未保存）：')+list.filter(function(f){return f.severity==='blocking';}).length+(en?' blocking':'个问题阻止提交');box.appendChild(h);
          list.filter(function(f){return f.unitKey;}).forEach(function(f){var d=document.createElement('div');d.className='finding '+f.severity;d.dataset.code=f.code;d.textContent=f.code+' '+(en?f.message.en:f.message.zh);box.appendChild(d);});})
        .catch(function(){});}
      df.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(check,400);});}
    var job=document.querySelector('[data-job]');if(job){setTimeout(function(){location.reload();},1000);}
    """
}
