import Foundation
import JicaiCore
import JicaiPersistence
import JicaiServices
import Vapor

/// `jicai create-user NAME --role provinceAdmin --region 140000`: the first administrator of a deployment; prints a
/// generated initial password that must be changed at first log-in.
public struct CreateUserCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "username") var username: String
        @Option(name: "role", help: "provinceAdmin, provinceReviewer, cityReviewer, institutionFiller, institutionHead, manufacturer, distributor")
        var role: String?
        @Option(name: "region", help: "6-digit province or city code (province and city roles)") var region: String?
        @Option(name: "organisation", help: "organisation code (institution and company roles)") var organisation: String?
        @Option(name: "name", help: "display name") var name: String?
        public init() {}
    }

    public let help = "Creates an account with a generated initial password / 创建账号"
    let hasher: any PasswordHashing
    public init(hasher: any PasswordHashing) { self.hasher = hasher }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let db = DB(context.application.db)
        guard let role = Role.parse(signature.role ?? "provinceAdmin") else {
            context.console.error("未知角色 / unknown role \(signature.role ?? "")")
            throw CommandFailed()
        }
        if role.needsOrganisation {
            guard let org = signature.organisation, try await AccountStore(db).organisation(code: org) != nil else {
                context.console.error("须指定已存在的 --organisation / --organisation must name an existing organisation")
                throw CommandFailed()
            }
        } else {
            guard let region = signature.region, case .success = DivisionCode.parse(region) else {
                context.console.error("须指定6位 --region / --region must be a 6-digit division code")
                throw CommandFailed()
            }
        }
        if try await UserStore(db).user(username: signature.username) != nil {
            context.console.error("账号已存在 / the account exists: \(signature.username)")
            throw CommandFailed()
        }
        let password = AccountService.generatePassword()
        try await UserStore(db).insert(
            [
                NewUser(
                    username: signature.username, displayName: signature.name ?? signature.username, role: role,
                    organisationCode: role.needsOrganisation ? signature.organisation : nil,
                    regionCode: role.needsOrganisation ? nil : signature.region,
                    passwordHash: try await hasher.hashInitial(password), mustChangePassword: true)
            ], at: Date())
        try await AuditLog(db).record(actor: "cli", action: "create", entity: "user", key: signature.username, summary: "创建账号（命令行）", at: Date())
        context.console.print("账号 \(signature.username) 已创建，初始密码（首次登录须修改）/ created; initial password: \(password)")
    }
}
