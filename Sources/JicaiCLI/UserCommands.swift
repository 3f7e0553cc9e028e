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
        do {
            let credential = try await AccountService(db: DB(context.application.db), hasher: hasher).createAccount(
                username: signature.username, role: signature.role ?? "provinceAdmin", region: signature.region, organisation: signature.organisation,
                displayName: signature.name, actor: .cli)
            context.console.print("账号 \(credential.username) 已创建，初始密码（首次登录须修改）/ created; initial password: \(credential.password)")
        } catch {
            report(error, language: .zh, console: context.console)
            throw CommandFailed()
        }
    }
}
