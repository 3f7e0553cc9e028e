#!/usr/bin/env python3
"""The reporting story in a real headless Chromium (Debian's chromium + chromedriver, driven by selenium).

Starts `jicai serve` on an empty SQLite database, then: the province admin logs in with the initial password from
`jicai create-user`, changes it, imports organisations, opens a batch with its catalogue, imports history and
accounts; an institution logs in, changes its password, fills the form, meets a below-80% finding, explains it,
uploads the commitment letter and submits; the city returns it; the institution fixes and resubmits; the city and
the province approve; the province exports the summary, locks the batch and uploads the sealed scan. Then the award
(采): the province imports the winning results, computes and publishes the agreed volumes; the manufacturer names its
distributor; the province sends the agreements; the hospital's head reads its agreed volumes and signs, then the
manufacturer and the distributor; the agreement is in force, and the OCDS export validates against the official
schema (scripts/validate-ocds.py). Then monitoring (用): the province imports purchases and recomputes, opens the
dashboard and drills down to one variety of the hospital; the hospital's head acknowledges an alert; the province
downloads the monthly summary. Then supply (供): the hospital orders under its agreement, the distributor confirms and
ships with traceability codes, the hospital accepts, the distributor invoices; the province pays the prepayment, runs
last month's direct settlement and approves it; the hospital files a supply-problem ticket and the distributor answers.
Screenshots of the main pages go to docs/screenshots/ (or $JICAI_SCREENSHOTS).

Usage: python3 Tests/browser/story.py [path/to/jicai]
"""
import datetime
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JICAI = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "jicai")
SHOTS = os.environ.get("JICAI_SCREENSHOTS", os.path.join(ROOT, "docs", "screenshots"))

# Credit codes with their check characters (GB 32100), as TestFixtures computes them.
def credit_code(first17):
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(alphabet.index(c) * w for c, w in zip(first17, weights))
    return first17 + alphabet[(31 - total % 31) % 31]

HOSPITAL = credit_code("12140100MB0000011")
TOWNSHIP = credit_code("12140122MB0000021")
DATONG = credit_code("12140200MB0000051")

ORGANISATIONS = f"""机构编码,机构名称,机构类型,机构类别,所有制,床位数,行政区划代码,医共体牵头机构编码
{HOSPITAL},太原市中心医院,医疗机构,三级医院,公立,1500,140105,
{TOWNSHIP},阳曲县侯村乡卫生院,医疗机构,乡镇卫生院,公立,30,140122,
{DATONG},大同市第五人民医院,医疗机构,二级医院,公立,400,140213,
"""

CATALOGUE = """品种编码,通用名,给药途径,规格编码,剂型,规格,有效含量,最小单位,包装数量,是否过评,是否基药,不可替代规格,重点监控,抗微生物药物,限适应症,上升趋势
V01,阿莫西林,口服,S011,胶囊,0.25g,0.25g,粒,24,是,否,否,否,是,否,否
V01,阿莫西林,口服,S012,片剂,0.5g,0.5g,片,12,是,否,否,否,是,否,否
V02,氨氯地平,口服,S021,片剂,5mg,5mg,片,28,是,否,否,否,否,否,否
V02,氨氯地平,口服,S022,片剂,10mg,10mg,片,28,是,否,否,否,否,否,否
V03,奥美拉唑,注射,S031,注射剂,40mg,40mg,支,1,是,否,否,是,否,否,否
"""

def history():
    rows = ["机构编码,规格编码,月份,采购数量,采购金额"]
    for ym in ["2024-12"] + [f"2025-{m:02d}" for m in range(1, 12)]:
        rows.append(f"{HOSPITAL},S021,{ym},1000,1000.00")
        rows.append(f"{HOSPITAL},S011,{ym},200,300.00")
        rows.append(f"{TOWNSHIP},S021,{ym},100,100.00")
        rows.append(f"{DATONG},S021,{ym},300,300.00")
    return "\n".join(rows) + "\n"

ACCOUNTS = f"""账号,姓名,角色,机构编码,区划代码,初始密码
{HOSPITAL},太原市中心医院药剂科,医疗机构填报员,{HOSPITAL},,Start2025abc
city1401,太原市医保局审核员,市级审核员,,140100,Start2025abc
province,省医保局审核员,省级审核员,,140000,Start2025abc
"""

MAKER = credit_code("91140100MA0000071")
CARRIER = credit_code("91140100MA0000081")

FIRMS = f"""机构编码,机构名称,机构类型,机构类别,所有制,床位数,行政区划代码,医共体牵头机构编码
{MAKER},山西晋康药业有限公司,生产企业,,,,140105,
{CARRIER},国药控股山西有限公司,配送企业,,,,140105,
"""

PRODUCTS = f"""产品编码,规格编码,生产企业,企业统一社会信用代码,厂牌
P0111,S011,山西晋康药业有限公司,{MAKER},晋康
P0211,S021,山西晋康药业有限公司,{MAKER},晋康
P0212,S021,晋南制药有限公司,,晋南
"""

RESULTS = """产品编码,中选类型,备供顺位,中选价格（元/包装）,供应地区,采购前参考价（元/包装）,国家医保药品代码,限制使用级抗菌药物
P0111,中选,,8.64,,21.50,,否
P0211,中选,,2.80,,9.10,,否
"""

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def beijing(dt):
    return (dt + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")


class Story:
    def __init__(self):
        self.work = tempfile.mkdtemp(prefix="jicai-browser-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, JICAI_SQLITE_PATH=os.path.join(self.work, "jicai.sqlite"), JICAI_DEMO="0",
                        JICAI_BCRYPT_COST="4", JICAI_API_TOKEN="browser-test-token-0123456789", LOG_LEVEL="warning")
        self.files = {}
        for name, text in [("institutions.csv", ORGANISATIONS), ("catalogue.csv", CATALOGUE), ("history.csv", history()), ("accounts.csv", ACCOUNTS),
                           ("firms.csv", FIRMS), ("products.csv", PRODUCTS), ("中选结果.csv", RESULTS)]:
            path = os.path.join(self.work, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            self.files[name] = path
        self.files["letter.pdf"] = os.path.join(self.work, "承诺函.pdf")
        with open(self.files["letter.pdf"], "wb") as f:
            f.write(PDF)
        self.downloads = os.path.join(self.work, "downloads")
        os.makedirs(self.downloads)
        os.makedirs(SHOTS, exist_ok=True)
        self.server = None
        self.driver = None

    def jicai(self, *args):
        out = subprocess.run([JICAI, *args], env=self.env, capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            raise AssertionError(f"jicai {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
        return out.stdout + out.stderr

    def start(self):
        self.jicai("migrate", "--yes")
        created = self.jicai("create-user", "admin", "--role", "provinceAdmin", "--region", "140000", "--name", "省医保局管理员")
        self.admin_password = re.search(r"initial password: (\S+)", created).group(1)
        self.log = open(os.path.join(self.work, "server.log"), "w")
        self.serve()
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=zh-CN"]:
            options.add_argument(a)
        options.add_experimental_option("prefs", {"download.default_directory": self.downloads, "download.prompt_for_download": False})
        self.driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
        self.driver.implicitly_wait(5)

    def serve(self, offset_days=0):
        """Starts the server; a training server's clock may run `offset_days` ahead (JICAI_CLOCK_OFFSET_DAYS)."""
        env = dict(self.env, JICAI_CLOCK_OFFSET_DAYS=str(offset_days)) if offset_days else self.env
        self.server = subprocess.Popen([JICAI, "serve", "--hostname", "127.0.0.1", "--port", str(self.port)], env=env,
                                       stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                urllib.request.urlopen(self.base + "/health", timeout=1)
                break
            except Exception:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not start")

    def restart(self, offset_days):
        self.server.terminate()
        self.server.wait(timeout=30)
        self.serve(offset_days)

    def stop(self):
        if self.driver:
            self.driver.quit()
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=30)

    # --- helpers ---------------------------------------------------------------------------------
    def go(self, path):
        self.driver.get(self.base + path)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def click(self, css):
        """Clicks something that loads a page, and waits for the new page."""
        from selenium.webdriver.support.ui import WebDriverWait
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.find(css).click()
        from selenium.common.exceptions import WebDriverException

        def gone(_):
            try:
                old.is_enabled()
                return False
            except WebDriverException:  # stale, or "does not belong to the document"
                return True
        WebDriverWait(self.driver, 30).until(gone)
        WebDriverWait(self.driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def text(self):
        from selenium.common.exceptions import StaleElementReferenceException
        for _ in range(20):
            try:
                return self.driver.find_element(By.TAG_NAME, "body").text
            except StaleElementReferenceException:
                time.sleep(0.1)
        return self.driver.find_element(By.TAG_NAME, "body").text

    def shot(self, name, full=True):
        d = self.driver
        if full:
            h = d.execute_script("return Math.min(document.body.scrollHeight, 4000)")
            w = d.get_window_size()["width"]
            d.set_window_size(w, max(768, h + 100))
        d.save_screenshot(os.path.join(SHOTS, name + ".png"))
        d.set_window_size(1366, 768)

    def login(self, user, password):
        self.go("/logout-page-not-needed")
        self.driver.delete_all_cookies()
        self.go("/login")
        self.find("#username").send_keys(user)
        self.find("#password").send_keys(password)
        self.click("#login")

    def change_password(self, old, new):
        assert self.driver.current_url.endswith("/password"), self.driver.current_url
        self.find("#current").send_keys(old)
        self.find("#new").send_keys(new)
        self.find("#confirm").send_keys(new)
        self.click("#change-password")
        assert "密码已修改" in self.text(), self.text()

    def wait_job(self):
        for _ in range(300):
            if self.driver.find_elements(By.ID, "job-done") or self.driver.find_elements(By.ID, "job-failed"):
                break
            time.sleep(0.3)
            self.driver.refresh()
        assert self.driver.find_elements(By.ID, "job-done"), self.text()

    def expect(self, cond, what):
        if not cond:
            raise AssertionError(what + "\n--- page ---\n" + self.text()[:3000])

    # --- the story -------------------------------------------------------------------------------
    def run(self):
        d = self.driver
        self.go("/login")
        self.shot("01-login", full=False)
        self.login("admin", self.admin_password)
        self.change_password(self.admin_password, "Shengju2025safe")

        # The province opens a batch and imports organisations, history and accounts.
        self.go("/admin/batches")
        self.find("#institutions-form input[type=file]").send_keys(self.files["institutions.csv"])
        self.click("#import-institutions")
        self.wait_job()
        self.go("/admin/batches")
        now = datetime.datetime.utcnow()
        self.find("#batch-code").send_keys("VBP11")
        self.find("#batch-name").send_keys("第十一批国家组织药品集采报量")
        for field, value in [("accountTestUntil", now - datetime.timedelta(hours=2)), ("fillingOpens", now - datetime.timedelta(hours=1)),
                             ("fillingCloses", now + datetime.timedelta(days=5)), ("reviewDeadline", now + datetime.timedelta(days=7))]:
            el = self.find(f"#new-batch input[name={field}]")
            d.execute_script("arguments[0].value = arguments[1]", el, beijing(value))
        self.find("#catalogue-file").send_keys(self.files["catalogue.csv"])
        self.click("#create-batch")
        self.expect("批次VBP11已开启" in self.text(), "batch opened")
        self.find("#history-VBP11 input[type=file]").send_keys(self.files["history.csv"])
        self.click("#import-history-VBP11")
        self.wait_job()
        self.expect("48" in self.find("#job-message").text, "48 history rows imported")
        self.go("/admin/accounts")
        self.find("#accounts-import input[type=file]").send_keys(self.files["accounts.csv"])
        self.click("#import-accounts")
        self.wait_job()
        self.expect("新增3个账号" in self.text(), "accounts imported")
        self.go("/admin/accounts")
        self.click("#create-missing-button")
        self.wait_job()
        self.expect("开通2个新机构账号" in self.text() and DATONG in self.text(), "new institutions get accounts, their passwords listed once")
        self.shot("10-new-accounts")
        self.go("/admin/accounts")
        self.shot("07-accounts")

        # The institution fills its form.
        self.login(HOSPITAL, "Start2025abc")
        self.change_password("Start2025abc", "Zhongxin2025ok")
        self.click("#open-VBP11")
        form_url = d.current_url
        self.expect("氨氯地平" in self.text() and "12000" in self.text(), "history of 12 × 1000 is shown")
        self.find("#quantity-S021").clear()
        self.find("#quantity-S021").send_keys("6000")
        self.find("#quantity-S011").send_keys("2400")
        # The server checks the draft as the filler types, before anything is saved.
        for _ in range(50):
            if d.find_elements(By.CSS_SELECTOR, "#live-findings [data-code=BELOW_FLOOR]"):
                break
            time.sleep(0.1)
        self.expect(d.find_elements(By.CSS_SELECTOR, "#live-findings [data-code=BELOW_FLOOR]"), "live check shows BELOW_FLOOR before saving")
        # Beside the variety, what the 6000 tablets imply: one bidder known, so 50% agreed; a twelfth of it a month; the
        # retention by grade at the assumed 40–60% cut on the history's 1.00 yuan a tablet (3000 × 0.40 × 70% × 50% = 420).
        for _ in range(50):
            box = self.find("[data-whatif-unit=V02]").text
            if "3000片" in box:
                break
            time.sleep(0.1)
        self.expect("约定采购量约3000片" in box and "每月需采购约250片" in box and "A级420.00–630.00元" in box,
                    "the what-if beside V02: " + box)
        self.click("#save")
        self.expect("草稿已保存" in self.text(), "draft saved")
        self.expect("BELOW_FLOOR" in self.text(), "6000 of 12000 is below 80%")
        self.expect(not self.find("#submit").is_enabled(), "submit is disabled while findings block")
        self.find("textarea[name='explanation[V02]']").send_keys("心血管内科病区合并，床位减少40%")
        self.click("#save")
        self.find("#letter-file").send_keys(self.files["letter.pdf"])
        self.find("#signer-name").send_keys("李明")
        Select(self.find("#signer-title")).select_by_value("院长")
        self.click("#upload-letter")
        self.expect("承诺函已上传" in self.text(), "letter uploaded")
        self.expect("#no-blocking" and d.find_elements(By.ID, "no-blocking"), "nothing blocks any more")
        self.shot("02-form")
        d.set_window_size(390, 844)
        d.save_screenshot(os.path.join(SHOTS, "08-form-phone.png"))
        d.set_window_size(1366, 768)
        self.click("#submit")
        self.expect("报量已提交" in self.text(), "submitted")

        # The city returns it.
        self.login("city1401", "Start2025abc")
        self.change_password("Start2025abc", "Taiyuan2025ok")
        self.go("/batches/VBP11/review")
        self.expect(HOSPITAL in self.text() and TOWNSHIP in self.text() and DATONG not in self.text(), "city list is its own city")
        self.expect("有历史采购量但未提交的机构 (1)" in self.text(), "the township has history and did not report")
        # The list is filtered on the server (a province has 50,000 institutions): search by name.
        self.find("#review-filters input[name=search]").send_keys("中心医院")
        self.click("#apply-filters")
        self.expect(HOSPITAL in self.text() and "机构报量情况 (1)" in self.text(), "the server-side search finds the hospital alone")
        self.shot("03-review-list")
        self.go(form_url.replace(self.base, ""))
        self.find("#reason").send_keys("请核实阿莫西林胶囊用量是否含特需医疗")
        self.click("#return")
        self.expect("已退回修改" in self.text() or "已市级退回修改" in self.text(), "returned")

        # The institution fixes and resubmits.
        self.login(HOSPITAL, "Zhongxin2025ok")
        self.go(form_url.replace(self.base, ""))
        self.expect("请核实阿莫西林胶囊用量" in self.find("#return-reason").text, "reason shown")
        self.find("#quantity-S011").clear()
        self.find("#quantity-S011").send_keys("2000")
        self.click("#save")
        self.click("#submit")
        self.expect("报量已提交" in self.text(), "resubmitted")
        self.go(form_url.replace(self.base, "") + "/audit")
        self.expect("S011: 2400 → 2000" in self.text(), "the change is in the report's history")

        # City and province approve.
        self.login("city1401", "Taiyuan2025ok")
        self.go(form_url.replace(self.base, ""))
        self.click("#cityApprove")
        self.expect("市级审核通过" in self.text(), "city approved")
        self.login("province", "Start2025abc")
        self.change_password("Start2025abc", "Shanxi2025ok")
        self.go(form_url.replace(self.base, ""))
        self.click("#provinceApprove")
        self.expect(self.find("#report-status").get_attribute("data-status") == "provinceApproved", "province approved")

        # The province exports the summary, locks the batch and uploads the sealed scan.
        self.login("admin", "Shengju2025safe")
        # The batch home shows the five stages; the administrator follows 报's link to the progress page.
        self.click("#home-VBP11")
        stages = [self.find("#stage-" + key) for key in ("demand", "award", "supply", "monitor", "assess")]
        self.expect(all(stages) and "报" in stages[0].text and "尚未开放" in stages[1].text, "the batch home shows the five stages")
        self.shot("11-batch-home")
        self.click("#stage-demand-progress")
        self.expect("/batches/VBP11/progress" in d.current_url, "the stage link leads to the progress page")
        self.shot("04-progress")
        self.find("#summary-xlsx").click()
        path = None
        for _ in range(100):
            names = [n for n in os.listdir(self.downloads) if n.endswith(".xlsx")]
            if names:
                path = os.path.join(self.downloads, names[0])
                break
            time.sleep(0.1)
        self.expect(path is not None, "the summary XLSX downloads")
        with zipfile.ZipFile(path) as z:
            strings = z.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in z.namelist() else "".join(
                z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
        self.expect("太原市中心医院" in strings and "省级已审核" in strings, "the summary names the approved hospital")
        self.go("/batches/VBP11/summary/print")
        self.expect("盖章" in self.text(), "print page has the seal block")
        self.shot("05-print")
        self.go("/batches/VBP11/progress")
        self.click("#lock")
        self.find("#sealed-form input[type=file]").send_keys(self.files["letter.pdf"])
        self.click("#upload-sealed")
        self.expect("盖章汇总表已上传" in self.text(), "sealed scan uploaded")
        self.go("/audit")
        self.expect("127.0.0.1" in self.text(), "the audit log records the client address")
        self.shot("06-audit")
        self.go("/lang/en")
        self.go(form_url.replace(self.base, ""))
        self.expect("Demand report" in d.title and "approved by the province" in self.text(), "English switch")
        self.shot("09-form-english")
        self.go("/lang/zh")
        self.award()
        self.monitor()
        self.supply()
        self.assessment()
        print("browser story: OK (%d screenshots in %s)" % (len(os.listdir(SHOTS)), SHOTS))


def award(self):
    """The award stage (采) from the locked demand to an agreement in force."""
    d = self.driver
    self.jicai("import", "institutions", self.files["firms.csv"])
    self.jicai("import", "products", self.files["products.csv"], "--batch", "VBP11")
    passwords = {}
    for user, role, org in [("head", "institutionHead", HOSPITAL), ("maker", "manufacturer", MAKER), ("carrier", "distributor", CARRIER)]:
        created = self.jicai("create-user", user, "--role", role, "--organisation", org, "--name", user)
        passwords[user] = re.search(r"initial password: (\S+)", created).group(1)

    # The province imports the results, computes and publishes the agreed volumes.
    self.login("admin", "Shengju2025safe")
    self.click("#home-VBP11")
    self.expect("已锁定" in self.find("#stage-demand").text and "未导入中选结果" in self.find("#stage-award").text, "采 is open once the demand is locked")
    self.click("#stage-award-overview")
    self.find("#results-file").send_keys(self.files["中选结果.csv"])
    self.click("#import-results")
    self.expect("中选结果.csv" in self.text() and "P0211" in self.find("#results").text, "results imported")
    self.click("#compute")
    self.expect("已计算约定采购量：1个机构" in self.text(), "only the province-approved hospital counts")
    for field, value in [("start", "2026-01-01"), ("end", "2027-12-31")]:
        d.execute_script("arguments[0].value = arguments[1]", self.find("#" + field), value)
    self.shot("12-award-province")
    self.click("#publish")
    self.expect("生成协议2份" in self.text(), "two agreements: one per winning product")
    self.click("#award-volumes")
    self.expect("3000" in self.find("#volumes").text, "6000 × 50% (one winner) = 3000")

    # The manufacturer names its distributor for both cities.
    self.login("maker", passwords["maker"])
    self.change_password(passwords["maker"], "Jinkang2026ok")
    self.go("/batches/VBP11/award")
    self.expect("未覆盖的机构（1）" in self.find("#uncovered").text, "the hospital is not covered yet")
    for area in ["1401", "1402"]:
        # Picked by name from the lists (a text field only when the platform has no names to offer).
        for css, value in [("#area", area), ("#distributor", CARRIER)]:
            field = self.find(css)
            if field.tag_name == "select":
                Select(field).select_by_value(value)
            else:
                field.send_keys(value)
        self.click("#add-distributor")
        self.expect("已添加配送企业" in self.text(), "distributor added for " + area)
    self.expect("所有参与机构均已有配送企业覆盖" in self.find("#uncovered").text, "every institution covered")
    self.shot("13-award-distributors")

    # The province sends the agreements.
    self.login("admin", "Shengju2025safe")
    self.go("/batches/VBP11/award")
    self.click("#send")
    self.expect("已发出协议2份" in self.text(), "agreements sent")

    # The hospital's head reads its volumes and signs; then the manufacturer and the distributor.
    self.login("head", passwords["head"])
    self.change_password(passwords["head"], "Yuanzhang2026ok")
    self.go("/batches/VBP11/award/volumes")
    self.expect("S021 6000 × 50%" in self.text(), "each volume explains itself: reported 6000 × 50%")
    self.shot("14-agreed-volumes")
    self.go("/batches/VBP11/award/agreements")
    self.click("#agreements a.agreement-link")
    agreement = d.current_url.replace(self.base, "")
    self.click("#sign")
    self.expect("已签署" in self.text(), "the institution signed")
    self.shot("15-agreement-signing")
    for user, new in [("maker", "Jinkang2026ok"), ("carrier", None)]:
        if new:
            self.login(user, new)
        else:
            self.login(user, passwords[user])
            self.change_password(passwords[user], "Peisong2026ok")
        self.go(agreement)
        self.click("#sign")
    self.expect(self.find("#agreement-status").get_attribute("data-status") == "inForce", "the agreement is in force")
    self.shot("16-agreement-in-force")

    # The province's price sheet: listing prices and payment standards.
    self.login("admin", "Shengju2025safe")
    self.go("/batches/VBP11/award/prices")
    self.expect("P0211" in self.find("#prices").text, "the price sheet lists the winners")
    self.shot("17-award-prices")

    # The award as OCDS, validated against the official schema.
    ocds = os.path.join(self.work, "award-ocds.json")
    self.jicai("award", "ocds", "--batch", "VBP11", "--out", ocds)
    out = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "validate-ocds.py"), "--self-test", ocds], capture_output=True, text=True)
    print(out.stdout.strip())
    self.expect(out.returncode == 0, "the OCDS export is valid:\n" + out.stdout + out.stderr)


Story.award = award


def monitor(self):
    """The monitoring stage (用): purchases in, a recompute, the dashboard drilled down to one variety of the hospital,
    the hospital's head acknowledging an alert, the monthly summary downloaded."""
    d = self.driver
    path = os.path.join(self.work, "采购明细.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""机构编码,产品编码,订单日期,配送日期,验收日期,数量（最小单位）,金额（元）,订单号
{HOSPITAL},P0211,2026-02-03,2026-02-04,2026-02-05,560,56.00,A1
{HOSPITAL},P0212,2026-03-03,2026-03-04,2026-03-05,840,252.00,A2
{HOSPITAL},P0211,2026-06-20,,,280,28.00,A3
""")
    self.login("admin", "Shengju2025safe")
    self.go("/batches/VBP11")
    self.click("#stage-monitor-dashboard")
    self.expect("尚未计算执行监测" in self.text(), "nothing computed before the purchases")
    self.find("#purchases-form input[type=file]").send_keys(path)
    self.click("#purchases-form button")
    self.expect("采购明细.csv" in self.text(), "purchases imported")
    register = self.jicai("monitor", "imports", "--batch", "VBP11")
    self.expect(re.search(r"#1 .* admin +采购明细\.csv +3行", register) is not None, f"the import is registered: {register}")
    d.execute_script("arguments[0].value = '2026-06-30'", self.find("#recompute-form input[name=asOf]"))
    self.click("#recompute-form button")
    self.expect("截至2026-06-30重算" in self.text(), "recomputed as of 30 June")
    self.expect(self.find("#progress-chart") and self.find("#waterfall") and "太原市" in self.find("#groups").text, "the province's dashboard")
    self.shot("18-monitor-province")
    # Drill down: the city, the hospital, its amlodipine (V02).
    self.click("#groups a[href*='region=1401']")
    self.click("#groups a[href*='institution=']")
    self.click("#groups a[href*='unit=V02']")
    self.expect("004 §6" in self.find("#explain").text and "V02" in self.find("#drill").text, "every number of the variety explains itself")
    self.shot("19-monitor-variety")
    # The hospital's head acknowledges the non-winning share alert with a note.
    self.login("head", "Yuanzhang2026ok")
    self.go("/batches/VBP11/monitor/alerts")
    self.expect("非中选产品采购占比偏高" in self.find("#alerts").text, "the share alert is in the head's inbox")
    rows = [r for r in d.find_elements(By.CSS_SELECTOR, "#alerts tbody tr") if "非中选产品采购占比偏高" in r.text]
    rows[0].find_element(By.CSS_SELECTOR, "form.alerts-acknowledge input[name=text]").send_keys("已要求药剂科优先采购中选产品")
    rows[0].find_element(By.CSS_SELECTOR, "form.alerts-acknowledge button").click()
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(d, 30).until(lambda _: "已知悉预警" in self.text())
    self.go("/batches/VBP11/monitor/alerts?status=acknowledged")
    self.expect("已要求药剂科优先采购中选产品" in self.find("#alerts").text, "the acknowledged alert keeps its note")
    self.shot("20-monitor-alerts")
    # The province downloads the monthly summary.
    self.login("admin", "Shengju2025safe")
    self.go("/batches/VBP11/monitor/report")
    self.expect("太原市中心医院" in self.find("#lagging").text and self.find("#signature"), "the summary to print, with its signature block")
    self.shot("21-monitor-report")
    before = set(os.listdir(self.downloads))
    self.find("#report-xlsx").click()
    found = None
    for _ in range(100):
        names = [n for n in os.listdir(self.downloads) if n.endswith(".xlsx") and n not in before]
        if names:
            found = os.path.join(self.downloads, names[0])
            break
        time.sleep(0.1)
    self.expect(found is not None, "the monthly summary XLSX downloads")
    with zipfile.ZipFile(found) as z:
        strings = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/"))
    self.expect("太原市中心医院" in strings and "2026-06-30" in strings, "the summary lists the lagging hospital as of 30 June")


Story.monitor = monitor


def supply(self):
    """The supply stage (供): order, ship with codes, accept, invoice; prepayment and a settlement run approved; a
    supply-problem ticket filed and answered."""
    d = self.driver
    self.login("head", "Yuanzhang2026ok")
    self.go("/batches/VBP11")
    self.click("#stage-supply-new")
    self.find("#orderables input.packs").send_keys("10")
    self.click("#place-order")
    self.expect(self.find("#order-status").get_attribute("data-status") == "placed", "the order is placed, awaiting the distributor")
    order = d.current_url.replace(self.base, "")
    self.shot("22-supply-order")

    self.login("carrier", "Peisong2026ok")
    self.go(order)
    self.click("#confirm-order")
    self.expect(self.find("#order-status").get_attribute("data-status") == "confirmed", "the distributor confirmed")
    self.find("input[name=packs1]").send_keys("10")
    self.find("input[name=lot1]").send_keys("L20261207")
    d.execute_script("arguments[0].value = '2028-06-30'", self.find("input[name=expiry1]"))
    codes = "\n".join("8100001%013d" % n for n in range(1, 11))
    self.find("textarea[name=codes1]").send_keys(codes)
    self.shot("23-supply-ship")
    self.click("#ship")
    self.expect("已发货" in self.text(), "shipped with ten traceability codes")

    self.login("head", "Yuanzhang2026ok")
    self.go(order)
    self.click("form[id^=accept-] button.accept-delivery")
    self.expect("已验收" in self.text() and self.find("#order-status").get_attribute("data-status") == "completed", "accepted in full")

    self.login("carrier", "Peisong2026ok")
    self.go(order)
    form = self.find("form[id^=invoice-]")
    form.find_element(By.NAME, "number").send_keys("FP20261207")
    form.find_element(By.NAME, "amount").send_keys("28.00")
    self.click("form[id^=invoice-] button")
    self.expect("已登记发票" in self.text(), "the distributor invoiced 28.00 yuan")

    self.login("head", "Yuanzhang2026ok")
    self.go(order)
    form = self.find("form[id^=pay-]")
    form.find_element(By.NAME, "number").send_keys("ZF20261207")
    form.find_element(By.NAME, "amount").send_keys("28.00")
    self.click("form[id^=pay-] button")
    self.expect("已登记付款" in self.text(), "the hospital paid the invoice")

    self.login("admin", "Shengju2025safe")
    self.go("/batches/VBP11/supply/prepayments")
    self.click("#pay-prepayment")
    self.expect("已拨付1家机构预付金" in self.text(), "the prepayment is paid to the hospital")
    self.go("/batches/VBP11/supply/settlements")
    self.click("#run-settlement-button")
    self.expect("已生成结算单" in self.text() and self.find("#statement-status").get_attribute("data-status") == "draft", "a draft run")
    self.shot("24-supply-statement")
    self.click("#approve-settlement")
    self.expect(self.find("#statement-status").get_attribute("data-status") == "approved", "the run is approved")

    self.login("head", "Yuanzhang2026ok")
    self.go("/batches/VBP11/supply/tickets")
    Select(self.find("#ticket-form select[name=kind]")).select_by_value("lateDelivery")
    self.find("#ticket-form textarea[name=description]").send_keys("订单超过3天未送达")
    self.click("#file-ticket")
    self.expect("已报告供应问题" in self.text(), "the hospital filed a ticket")
    self.login("carrier", "Peisong2026ok")
    self.go("/batches/VBP11/supply/tickets")
    self.click("#tickets a.ticket-link")
    self.find("#answer-form textarea[name=text]").send_keys("已安排当日补送")
    self.click("#answer-ticket")
    self.expect("已安排当日补送" in self.find("#ticket-answers").text, "the distributor answered within the deadline")
    self.shot("25-supply-ticket")

    # The contracts' implementation (the delivery a milestone, the invoice not yet paid) in OCDS, still valid.
    ocds = os.path.join(self.work, "supply-ocds.json")
    self.jicai("award", "ocds", "--batch", "VBP11", "--out", ocds)
    with open(ocds, encoding="utf-8") as f:
        text = f.read()
    self.expect('"implementation"' in text and '"type":"delivery"' in text and '"transactions":[{' in text,
                "deliveries are milestones of their contract, payments its transactions")
    out = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "validate-ocds.py"), ocds], capture_output=True, text=True)
    print(out.stdout.strip())
    self.expect(out.returncode == 0, "the OCDS export with implementation is valid:\n" + out.stdout + out.stderr)


Story.supply = supply


def assessment(self):
    """The assessment (管) of the first agreement year (January 2026 to June 2027): on a training server whose clock has passed the year's
    end, the province assesses and publishes; the hospital's head reads its sheet and appeals its failed amlodipine;
    the city gives its opinion and the province upholds it; eleven days later, the appeal period over, the province
    approves and the payment list is ready."""
    d = self.driver
    ended = datetime.date(2027, 7, 5)
    today = datetime.datetime.utcnow().date()
    offset = max(0, (ended - today).days)
    self.restart(offset)
    year = "2026-01-01"
    self.login("admin", "Shengju2025safe")
    self.go("/batches/VBP11")
    self.go(f"/batches/VBP11/assessment?year={year}")
    self.click("#run-assessment button")
    self.expect(self.find("#assessment-run").get_attribute("data-status") == "published", "the year is assessed and published")
    self.expect("太原市中心医院" in self.find("#assessment-results").text, "the hospital's result is listed")
    self.shot("26-assessment-province")

    self.login("head", "Yuanzhang2026ok")
    self.go(f"/batches/VBP11/assessment/sheet?year={year}&institution={HOSPITAL}")
    self.expect("V02" in self.find("#sheet-items").text and self.find("#appeal-V02"), "amlodipine failed, and may be appealed")
    form = self.find("#appeal-V02")
    form.find_element(By.NAME, "reason").send_keys("配送企业断供两个月，已报告供应问题")
    form.find_element(By.NAME, "evidence").send_keys("供应问题工单及配送企业说明")
    self.click("#appeal-V02 button")
    self.expect("配送企业断供两个月" in self.find("#sheet-appeals").text, "the appeal is filed")
    self.shot("27-assessment-sheet")

    self.login("city1401", "Taiyuan2025ok")
    self.go(f"/batches/VBP11/assessment?year={year}")
    review = self.find("form[id^=review-]")
    review.find_element(By.NAME, "opinion").send_keys("经核实断供属实，建议支持")
    self.click("form[id^=review-] button")
    self.expect("经核实断供属实" in self.find("#assessment-appeals").text, "the city's opinion is recorded")

    self.login("admin", "Shengju2025safe")
    self.go(f"/batches/VBP11/assessment?year={year}")
    decide = self.find("form[id^=decide-]")
    Select(decide.find_element(By.NAME, "upheld")).select_by_value("1")
    decide.find_element(By.NAME, "reason").send_keys("供应问题经核实，该品种本年度不作不合格认定")
    self.click("form[id^=decide-] button")
    self.expect("供应问题经核实" in self.find("#assessment-appeals").text, "the province upheld the appeal")

    # Eleven days later the appeal period (10 days) is over: the province approves; the payment list is ready.
    self.restart(offset + 11)
    self.login("admin", "Shengju2025safe")
    self.go(f"/batches/VBP11/assessment?year={year}")
    self.click("#approve-assessment button")
    self.expect(self.find("#assessment-run").get_attribute("data-status") == "approved" and self.find("#payments-xlsx"),
                "approved; the payment list can be downloaded")
    self.shot("28-assessment-approved")


Story.assessment = assessment


def main():
    story = Story()
    try:
        story.start()
        story.run()
    except Exception:
        if story.driver:
            story.driver.save_screenshot(os.path.join(story.work, "failure.png"))
            print("failure screenshot:", os.path.join(story.work, "failure.png"))
        if story.server:
            story.server.terminate()
            story.log.flush()
            print(open(os.path.join(story.work, "server.log")).read()[-4000:])
        raise
    finally:
        story.stop()


if __name__ == "__main__":
    main()
