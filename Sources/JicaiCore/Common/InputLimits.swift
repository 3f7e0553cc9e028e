import Foundation

/// Every bound the platform puts on what it is given, in one place (docs/security.md lists them). Each is far above
/// what real use needs and low enough that arithmetic on bounded values never overflows and no single request can
/// hold a core or the memory of the server.
public enum InputLimits {
    // MARK: Numbers

    /// The largest quantity of one line, one history row or one exclusion, in minimal units (10¹⁰: a thousand times
    /// what the largest hospital buys of one spec in a year). Summing 10¹⁰ over 12 months, 260 specs and 80,000
    /// institutions stays below 10¹⁸, inside `Int64`, so database sums cannot overflow either.
    public static let maxQuantity: Int64 = 10_000_000_000
    /// The largest amount of one history row, in fen (10¹² fen = 100 亿元).
    public static let maxAmountFen: Int64 = 1_000_000_000_000
    /// The largest figure a monitoring tally may reach for one unit summed over the whole batch (content in the
    /// unit's base amount, e.g. ng, or fen): 2⁶⁰ ≈ 1.15 × 10¹⁸, some ten thousand times a province's yearly use of
    /// its most bought drug (10¹⁴ ng ≈ 100 kg). A recompute whose purchases reach it is refused with the unit named,
    /// so every figure it stores, and every sum of them a page or an export makes, fits `Int64`.
    public static let maxTallyFigure: Int64 = 1 << 60

    /// The longest procurement cycle a publication may set, in years (a cycle runs one to three years; the bound
    /// refuses a year typo).
    public static let maxCycleYears = 5
    /// Years from the end of a batch's history reference period to the latest execution start a publication may set.
    public static let maxYearsToExecution = 2

    // MARK: Text

    /// Explanations, reasons and other free text of a form or a request.
    public static let maxExplanationCharacters = 2000
    /// A note on an alert or a supply problem, a reason for resolving an alert.
    public static let maxNoteCharacters = 500
    /// A delivery's lot number, an invoice's or a payment's reference.
    public static let maxReferenceCharacters = 40
    /// Traceability codes recorded in one submission.
    public static let maxCodesPerCapture = 100_000
    /// Each text of a city's half-yearly report.
    public static let maxReportTextCharacters = 5000
    /// One cell of an imported table.
    public static let maxCellCharacters = 500

    // MARK: Spreadsheets (XLSX)

    /// Uncompressed bytes of the sheet part (streamed to a temporary file, parsed from a stream).
    public static let maxSheetPartBytes: Int64 = 512 << 20
    /// Uncompressed bytes of the shared-strings part (held in memory while the sheet is read).
    public static let maxSharedStringsPartBytes: Int64 = 64 << 20
    /// Uncompressed bytes of any other part that is read (workbook, relationships).
    public static let maxSmallPartBytes: Int64 = 8 << 20
    /// Uncompressed ÷ compressed size of a part, checked once a part passes 1 MB (XML of real sheets: 5–30).
    public static let maxCompressionRatio: Int64 = 100
    /// Excel's own sheet limits: 1,048,576 rows, 16,384 columns (XFD).
    public static let maxSheetRows = 1_048_576
    public static let maxSheetColumns = 16_384
    /// Characters of one cell or shared string (Excel's own limit is 32,767).
    public static let maxCellTextCharacters = 32_767
    /// Entries of the shared-strings table.
    public static let maxSharedStrings = 2_000_000
    /// Uploaded spreadsheets parsed at the same time; more wait their turn, so bad files cost their uploaders time
    /// and nobody else a core.
    public static let concurrentParses = 2
    /// The longest an upload waits for a parse slot before it is refused with `BUSY` (503): a waiting upload gets an
    /// answer, never a connection cut by `idleTimeoutSeconds`. The largest accepted form (1,048,576 rows) parses in
    /// about 25 s, so a wait and a parse stay below the idle timeout.
    public static let maxParseWaitSeconds = 45

    // MARK: HTTP

    /// A request body before anyone has logged in (the log-in form).
    public static let unauthenticatedBodyBytes = 16 << 10
    /// A request body of a logged-in user (forms and uploads of letters, evidence, catalogues, accounts).
    public static let authenticatedBodyBytes = 64 << 20
    /// The streamed history upload (a province's whole 12-month history; 12 million rows are about 540 MB).
    public static let maxHistoryUploadBytes = 4 << 30
    /// A form field of the streamed history upload other than the file.
    public static let streamedFieldBytes = 1024
    /// A request body must arrive within this time (a body trickling in a byte at a time is refused with 408).
    public static let bodyReadSeconds: Int64 = 300
    /// A connection that sends nothing for this long is closed (a stalled or very slow body). It also runs while a
    /// request waits for its answer, so it stays above `maxParseWaitSeconds` plus the longest parse.
    public static let idleTimeoutSeconds: Int64 = 90

    // MARK: API tokens

    /// Lifetime of an API token unless its owner asks for less; never more than `maxTokenLifetimeDays`.
    public static let defaultTokenLifetimeDays = 90
    public static let maxTokenLifetimeDays = 365
    /// Characters of a token's label.
    public static let maxTokenLabelCharacters = 100
    /// A user name given to `create-user`.
    public static let maxUsernameCharacters = 64
    /// The award policy as a province may set it: ratio tables of at most this many entries, distributor limits up to
    /// this many per area.
    public static let maxRatioTableEntries = 20
    public static let maxDistributorLimit = 1000
    /// Tokens one user may hold at once.
    public static let maxTokensPerUser = 20
    /// A commitment letter, evidence file or sealed summary scan (PDF, PNG or JPG).
    public static let maxAttachmentBytes = 10 << 20
    /// The longest name of the commitment letter's signer.
    public static let maxSignerNameCharacters = 50
}

/// A quantity typed by a person (form field, correction): whole, not negative, at most `InputLimits.maxQuantity`.
public enum QuantityText {
    public enum Problem: Error, Sendable, Equatable {
        case notWhole, negative, tooLarge
    }

    /// Parses "1,200" or " 1200 "; empty text is nil with no problem.
    public static func parse(_ text: String) -> Result<Int64, Problem>? {
        let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        if cleaned.isEmpty { return nil }
        var digits = Substring(cleaned)
        var negative = false
        if digits.first == "-" || digits.first == "+" {
            negative = digits.first == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return .failure(.notWhole) }
        if negative && digits.contains(where: { $0 != "0" }) { return .failure(.negative) }
        let significant = digits.drop(while: { $0 == "0" })
        guard significant.count <= 18, let value = Int64(significant.isEmpty ? "0" : String(significant)) else { return .failure(.tooLarge) }
        return value > InputLimits.maxQuantity ? .failure(.tooLarge) : .success(value)
    }

    /// The refusal of a quantity `value` for `what` (a spec code or a field name), nil when it is acceptable.
    public static func problem(_ value: Int64) -> Problem? {
        if value < 0 { return .negative }
        return value > InputLimits.maxQuantity ? .tooLarge : nil
    }

    public static func message(_ problem: Problem, what: String, text: String) -> LocalizedText {
        switch problem {
        case .notWhole:
            LocalizedText(zh: "\(what)的数量“\(text)”不是整数", en: "the quantity \"\(text)\" of \(what) is not a whole number")
        case .negative:
            LocalizedText(zh: "\(what)的数量不能为负数", en: "the quantity of \(what) cannot be negative")
        case .tooLarge:
            LocalizedText(
                zh: "\(what)的数量“\(text)”超过上限\(InputLimits.maxQuantity)（最小单位）",
                en: "the quantity \"\(text)\" of \(what) exceeds the limit of \(InputLimits.maxQuantity) minimal units")
        }
    }
}
