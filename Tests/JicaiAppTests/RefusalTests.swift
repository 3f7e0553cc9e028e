import Foundation
import JicaiCore
import Testing
import Vapor

@testable import JicaiWeb

/// The refusal codes are declared once (`RefusalCode`); these tests hold the rest of the tree to that.
@Suite struct RefusalTests {
    @Test("every refusal code is distinct, has a message in both languages, and its kind decides its HTTP status")
    func codesAreComplete() {
        let raw = RefusalCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for code in RefusalCode.allCases {
            #expect(!code.message.zh.isEmpty && !code.message.en.isEmpty, "\(code)")
            let status = code.kind.httpStatus
            switch code.kind {
            case .notFound: #expect(status == .notFound)
            case .forbidden: #expect(status == .forbidden)
            case .conflict: #expect(status == .conflict)
            case .invalid: #expect(status == .badRequest)
            case .unavailable: #expect(status == .serviceUnavailable)
            case .unauthenticated, .tooLarge, .timeout, .internalError: #expect(status.code >= 400)
            }
        }
        // Refusals by the framework come back with the code of their status.
        #expect(RequestRefusal.code(.notFound) == .notFound)
        #expect(RequestRefusal.code(.payloadTooLarge) == .tooLarge)
        #expect(RequestRefusal.code(.methodNotAllowed) == .refused)
    }

    @Test("the messages take their numbers from InputLimits and LoginPolicy, not from copied prose")
    func messagesUseTheLimits() {
        #expect(RefusalCode.badFileSize.message.zh.contains("\(InputLimits.maxAttachmentBytes >> 20)MB"))
        #expect(RefusalCode.tooManyTokens.message.en.contains("\(InputLimits.maxTokensPerUser)"))
        #expect(RefusalCode.weakPassword.message.zh.contains("\(LoginPolicy().minimumLength)"))
    }

    @Test("the OpenAPI error schema lists exactly the codes of RefusalCode")
    func openAPIListsTheCodes() throws {
        let json = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any]
        let schemas = (json?["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let error = ((schemas?["Error"] as? [String: Any])?["properties"] as? [String: Any])?["error"] as? [String: Any]
        let code = (error?["properties"] as? [String: Any])?["code"] as? [String: Any]
        let listed = code?["enum"] as? [String] ?? []
        #expect(listed == RefusalCode.allCases.map(\.rawValue))
    }

    @Test("no refusal is made from a string code outside RefusalCode")
    func noStringCodes() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        var offenders: [String] = []
        let pattern = try Regex(#"(ServiceError|Refusal)\((code: )?""#)
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            if text.contains(pattern) { offenders.append(file.lastPathComponent) }
        }
        #expect(offenders.isEmpty, "string refusal codes in \(offenders)")
        #expect(files.count > 50)
    }
}
