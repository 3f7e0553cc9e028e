import Foundation
import JicaiCore
import JicaiServices

/// The cards under the form: the institution's (evidence, commitment letter, offline form, submit) and the
/// reviewers' (approve, return, correct).
extension FormView {
    var institutionActions: Node {
        .fragment([evidenceCard, letterCard, offlineCard, submitForm])
    }

    var evidenceCard: Node {
        let explained = form.report?.explanations.keys.sorted() ?? []
        return el("div", .class("card no-print")) {
            el("h2") { lang.t("佐证材料（可选）", "Evidence (optional)") }
            if explained.isEmpty {
                el("p", .class("muted")) { lang.t("填写并保存说明后可上传佐证材料。", "Save an explanation first to attach evidence.") }
            } else {
                Layout.postForm(csrf: model.csrf, model.url(.evidence).path, id: "evidence-form", multipart: true) {
                    el("select", .name("unit")) {
                        for key in explained {
                            let name = CheckUnit(key: key).flatMap { catalogue.varietyByCode[$0.varietyCode]?.genericName } ?? key
                            el("option", .value(key)) { "\(name) (\(key))" }
                        }
                    }
                    " "
                    el("input", .type("file"), .name("file"), Attr("accept", ".pdf,.png,.jpg,.jpeg"), .required)
                    " "
                    el("button", .type("submit"), .class("secondary")) { lang.t("上传", "Upload") }
                }
            }
        }
    }

    /// The commitment letter, signed by one of the batch's signer titles and sealed (001 §2(一), 002 §2).
    var letterCard: Node {
        let titles = form.context.batch.policy.commitmentSignerTitles
        return el("div", .class("card no-print")) {
            el("h2") { lang.t("承诺函", "Commitment letter") }
            if let letter = form.report?.letter, !letter.fileName.isEmpty {
                el("p", .id("letter-info")) {
                    lang.t("已上传：", "Attached: ")
                    if let id = form.report?.letterFileID {
                        el("a", .href(SiteURL.file(FileKey(id)).path)) { letter.fileName }
                    } else {
                        letter.fileName
                    }
                    "（\(letter.signerTitle) \(letter.signerName)）"
                }
            }
            el("p", .class("muted")) {
                lang.t(
                    "须由\(titles.joined(separator: "或"))签字并加盖公章，上传PDF或图片（001 §2(一)、002 §2）。",
                    "Signed by one of \(titles.joined(separator: ", ")) (the director or the party secretary) and sealed; upload a PDF or an image (001 §2(一), 002 §2)."
                )
            }
            Layout.postForm(csrf: model.csrf, model.url(.letter).path, id: "letter-form", multipart: true) {
                el("input", .type("file"), .name("file"), .id("letter-file"), Attr("accept", ".pdf,.png,.jpg,.jpeg"), .required)
                " "
                el("input", .type("text"), .name("signerName"), .id("signer-name"), Attr("placeholder", lang.t("签字人姓名", "Signer's name")), .required)
                " "
                el("select", .name("signerTitle"), .id("signer-title")) { for title in titles { el("option", .value(title)) { title } } }
                " "
                el("button", .type("submit"), .class("secondary"), .id("upload-letter")) { lang.t("上传承诺函", "Upload letter") }
            }
        }
    }

    var offlineCard: Node {
        el("div", .class("card no-print")) {
            el("h2") { lang.t("离线填报", "Fill offline") }
            el("p") { el("a", .href(model.url(.formXLSX).path), .id("download-xlsx")) { lang.t("下载本机构报量表（XLSX）", "Download this form (XLSX)") } }
            Layout.postForm(csrf: model.csrf, model.url(.upload).path, id: "upload-form", multipart: true) {
                el("input", .type("file"), .name("file"), Attr("accept", ".xlsx,.csv"), .required)
                " "
                el("label") {
                    el("input", .type("checkbox"), .name("clear"), .value("1"), .id("upload-clear"))
                    lang.t(" 文件无数据行时清空草稿", " clear the draft if the file has no rows")
                }
                " "
                el("button", .type("submit"), .class("secondary")) { lang.t("上传填好的报量表", "Upload the filled form") }
            }
        }
    }

    var submitForm: Node {
        let ready = model.blocking.isEmpty && form.report != nil
        return Layout.postForm(csrf: model.csrf, model.url(.submit).path, id: "submit-form") {
            el("button", attrs: [.type("submit"), .id("submit")] + (ready ? [] : [.disabled])) { lang.t("提交报量", "Submit report") }
        }
    }

    // MARK: review

    var reviewActions: Node {
        if form.context.lockedAt != nil {
            return el("p", .class("card"), .id("review-locked")) { lang.t("本批次已锁定，审核操作已关闭。", "The batch is locked; review actions are closed.") }
        }
        return el("div", .class("card no-print"), .id("review-actions")) {
            el("h2") { lang.t("审核", "Review") }
            if let letter = form.report?.letter, let id = form.report?.letterFileID {
                el("p") {
                    lang.t("承诺函：", "Letter: ")
                    el("a", .href(SiteURL.file(FileKey(id)).path)) { letter.fileName }
                    "（\(letter.signerTitle) \(letter.signerName)）"
                }
            }
            approveButtons
            returnForm
            if model.status == .submitted { correctionForm }
        }
    }

    var approveButtons: Node {
        let actions: [ReportAction] = model.canReviewAsProvince ? [.cityApprove, .provinceApprove] : [.cityApprove]
        return .fragment(
            actions.filter { model.status == ($0 == .cityApprove ? .submitted : .cityApproved) }.map { action in
                Layout.postForm(csrf: model.csrf, model.url(.review).path, id: "approve-\(action.rawValue)") {
                    el("input", .type("hidden"), .name("action"), .value(action.rawValue))
                    el("button", .type("submit"), .id(action.rawValue)) { lang.t(action.label) }
                }
            })
    }

    var returnForm: Node {
        guard let status = model.status, status.isSubmitted else { return .fragment([]) }
        let action: ReportAction = model.canReviewAsProvince && status != .submitted ? .provinceReturn : .cityReturn
        return Layout.postForm(csrf: model.csrf, model.url(.review).path, id: "return-form") {
            el("input", .type("hidden"), .name("action"), .value(action.rawValue))
            el("label", Attr("for", "reason")) { lang.t("退回原因", "Reason for return") }
            el("textarea", .name("reason"), .id("reason"), Attr("maxlength", String(InputLimits.maxExplanationCharacters)), .required) { "" }
            el("button", .type("submit"), .class("danger"), .id("return")) { lang.t("退回修改", "Return for correction") }
        }
    }

    var correctionForm: Node {
        el("details") {
            el("summary") { lang.t("更正明显数据错误（留痕）", "Correct an obvious data error (audited)") }
            Layout.postForm(csrf: model.csrf, model.url(.correct).path, id: "correct-form") {
                el("select", .name("spec")) {
                    for spec in catalogue.specs where spec.passedEvaluation {
                        el("option", .value(spec.code)) {
                            "\(spec.code) \(catalogue.varietyByCode[spec.varietyCode]?.genericName ?? "") \(spec.strength)"
                        }
                    }
                }
                el("input", .type("text"), .name("product"), Attr("placeholder", lang.t("产品编码（可空）", "product (optional)")))
                el("input", .type("number"), .name("quantity"), Attr("min", "0"), .required)
                el("input", .type("text"), .name("reason"), Attr("placeholder", lang.t("更正原因", "reason")), .required)
                el("button", .type("submit"), .class("secondary")) { lang.t("更正", "Correct") }
            }
        }
    }
}
