import Foundation
import JicaiCore
import JicaiPersistence

/// Log-ins for the demo province: one per role, a city reviewer per city, a filler account (the institution code)
/// for every reporting institution, a head (`head-<code>`) for every tertiary and secondary hospital, and an account
/// (its code) for every manufacturer and distributor. Demo passwords need no change at first log-in; real accounts do.
public enum DemoAccounts {
    public static let password = "Jicai2025demo"

    /// Creates the accounts that do not exist yet; returns the main log-in names.
    public static func create(db: DB, hasher: any PasswordHashing, at: Date = Date()) async throws -> [String] {
        let hash = try await hasher.hashInitial(password)
        let existing = try await UserStore(db).usernames()
        let province = DemoProvince.provinceCode
        var users: [NewUser] = [
            NewUser(
                username: "admin", displayName: "省医保局管理员", role: .provinceAdmin, organisationCode: nil, regionCode: province, passwordHash: hash,
                mustChangePassword: false),
            NewUser(
                username: "province", displayName: "省医保局审核员", role: .provinceReviewer, organisationCode: nil, regionCode: province,
                passwordHash: hash, mustChangePassword: false),
        ]
        let cities = try await AccountStore(db).regions().filter { $0.level == .city && $0.code.value.hasPrefix(String(province.prefix(2))) }
        for city in cities {
            users.append(
                NewUser(
                    username: "city\(city.code.value.prefix(4))", displayName: "\(city.name)医保局审核员", role: .cityReviewer, organisationCode: nil,
                    regionCode: city.code.value, passwordHash: hash, mustChangePassword: false))
        }
        var names = Array(users.map(\.username).prefix(3))
        for organisation in try await AccountStore(db).organisations(kinds: [.institution, .pharmacy], regionPrefix: String(province.prefix(2))) {
            users.append(
                NewUser(
                    username: organisation.organisation.code, displayName: organisation.organisation.name, role: .institutionFiller,
                    organisationCode: organisation.organisation.code,
                    regionCode: nil, passwordHash: hash, mustChangePassword: false))
            if names.count < 4 { names.append(organisation.organisation.code) }
            // Hospitals' heads sign the award's agreements (003 §6): `head-<code>`.
            if [.tertiaryHospital, .secondaryHospital].contains(organisation.organisation.category) {
                users.append(
                    NewUser(
                        username: "head-\(organisation.organisation.code)", displayName: "\(organisation.organisation.name)院长",
                        role: .institutionHead,
                        organisationCode: organisation.organisation.code, regionCode: nil, passwordHash: hash, mustChangePassword: false))
            }
        }
        // Every manufacturer and distributor signs and manages its own agreements under its code.
        for organisation in try await AccountStore(db).organisations(kinds: [.manufacturer, .distributor]) {
            let role: Role = organisation.organisation.kind == .manufacturer ? .manufacturer : .distributor
            users.append(
                NewUser(
                    username: organisation.organisation.code, displayName: organisation.organisation.name, role: role,
                    organisationCode: organisation.organisation.code, regionCode: nil, passwordHash: hash, mustChangePassword: false))
        }
        try await UserStore(db).insert(users.filter { !existing.contains($0.username) }, at: at)
        return names
    }
}
