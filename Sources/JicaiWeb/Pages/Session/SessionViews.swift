import Foundation
import JicaiCore

/// The log-in form.
struct LoginView {
    struct Model: Sendable {
        /// The double-submit token of the log-in form (also set as a cookie).
        var preToken: String
        /// Where to go after logging in (a same-site path).
        var next: String
        var policy: LoginPolicy
    }

    let model: Model
    let lang: Lang

    var body: Node {
        el("div", .class("card login")) {
            el("h1") { lang.t("登录", "Log in") }
            el("form", .action(SiteURL.login.path), .postMethod, .id("login-form")) {
                el("input", .type("hidden"), .name("_csrf"), .value(model.preToken))
                el("input", .type("hidden"), .name("next"), .value(model.next))
                el("label", Attr("for", "username")) { lang.t("账号", "User name") }
                el("input", .type("text"), .name("username"), .id("username"), Attr("autocomplete", "username"), .required)
                el("label", Attr("for", "password")) { lang.t("密码", "Password") }
                el("input", .type("password"), .name("password"), .id("password"), Attr("autocomplete", "current-password"), .required)
                el("p") { el("button", .type("submit"), .id("login")) { lang.t("登录", "Log in") } }
            }
            el("p", .class("muted")) { lockoutNote }
        }
    }

    var lockoutNote: String {
        let failures = model.policy.maxFailures
        let minutes = Int(model.policy.lockout / 60)
        return lang.t(
            "连续\(failures)次密码错误将锁定\(minutes)分钟。忘记密码请联系省级管理员重置。",
            "\(failures) wrong passwords lock the account for \(minutes) minutes. Ask the province administrator to reset a forgotten password.")
    }
}

/// The password change form (forced at the first log-in).
struct PasswordView {
    struct Model: Sendable {
        /// The account still has its initial password.
        var mustChange: Bool
    }

    let model: Model
    let lang: Lang
    let csrf: String

    var body: Node {
        el("div", .class("card login")) {
            el("h1") { lang.t("修改密码", "Change password") }
            if model.mustChange { el("p", .class("flash ok")) { lang.t("首次登录须修改初始密码。", "Change the initial password before you continue.") } }
            Layout.postForm(csrf: csrf, SiteURL.password.path, id: "password-form") {
                el("label", Attr("for", "current")) { lang.t("原密码", "Current password") }
                el("input", .type("password"), .name("current"), .id("current"), .required)
                el("label", Attr("for", "new")) { lang.t("新密码（", "New password (") + lang.t(RefusalCode.passwordRule) + lang.t("）", ")") }
                el("input", .type("password"), .name("new"), .id("new"), .required)
                el("label", Attr("for", "confirm")) { lang.t("再次输入新密码", "Repeat the new password") }
                el("input", .type("password"), .name("confirm"), .id("confirm"), .required)
                el("p") { el("button", .type("submit"), .id("change-password")) { lang.t("保存", "Save") } }
            }
        }
    }
}
