import Foundation
import JicaiCore

/// The OpenAPI 3.1 description of `/api/v1`. The paths come from `SiteURL` (the same values the routes are
/// registered from), the error codes from `RefusalCode`; OpenAPITests checks that every API route has an operation
/// and that the schemas name exactly the fields the DTOs encode.
enum OpenAPIDocument {
    struct Operation {
        var url: SiteURL
        var method: String
        var summary: String
        var tag: String
        var body: String?
        var response: String
    }

    static let batch = BatchKey("{batch}"), institution = InstitutionKey("{inst}")

    static func report(_ path: SiteURL.APIReportPath) -> SiteURL { .api(.report(batch, institution, path)) }

    /// Every operation of the API, in the order the document lists them.
    static let operations: [Operation] = [
        Operation(url: .api(.me), method: "get", summary: "The signed-in account", tag: "accounts", response: "Me"),
        Operation(
            url: .api(.tokens), method: "post",
            summary:
                "Create an API token for the signed-in user (session only; expires after `days`, default \(InputLimits.defaultTokenLifetimeDays), at most \(InputLimits.maxTokenLifetimeDays))",
            tag: "accounts", body: "TokenRequest", response: "Token"),
        Operation(
            url: .api(.tokens), method: "get", summary: "The signed-in user's API tokens (never their secrets)", tag: "accounts",
            response: "TokenList"),
        Operation(
            url: .api(.token(TokenKey(text: "{id}"))), method: "delete", summary: "Revoke one of the signed-in user's API tokens", tag: "accounts",
            response: "Empty"),
        Operation(
            url: report(.report), method: "get", summary: "An institution's report with history and live findings", tag: "reports", response: "Report"
        ),
        Operation(
            url: report(.report), method: "put", summary: "Save the draft (window rules apply)", tag: "reports", body: "Draft", response: "Report"),
        Operation(
            url: report(.check), method: "post", summary: "The findings a draft would have, without saving it", tag: "reports", body: "Draft",
            response: "FindingList"),
        Operation(
            url: report(.whatIf), method: "post",
            summary: "What a draft implies, unit by unit: agreed volume, monthly need, retention by grade (an estimate, nothing saved)",
            tag: "reports", body: "Draft", response: "WhatIfList"),
        Operation(
            url: report(.letter), method: "post", summary: "Attach the signed and sealed commitment letter", tag: "reports", body: "Letter",
            response: "Report"),
        Operation(
            url: report(.evidence), method: "post", summary: "Attach evidence to a unit's explanation", tag: "reports", body: "Evidence",
            response: "Report"),
        Operation(
            url: report(.correct), method: "post", summary: "Correct an obvious data error in a submitted report (city or province; audited)",
            tag: "review", body: "Correction", response: "Report"),
        Operation(
            url: .api(.lock(batch)), method: "post", summary: "Lock or unlock the batch (province admin)", tag: "review", body: "Lock",
            response: "Lock"),
        Operation(url: report(.submit), method: "post", summary: "Submit (no blocking finding, letter attached)", tag: "reports", response: "Report"),
        Operation(
            url: report(.review), method: "post", summary: "Approve or return (city or province)", tag: "review", body: "Review", response: "Report"),
        Operation(url: report(.audit), method: "get", summary: "The report's change history", tag: "reports", response: "AuditList"),
        Operation(
            url: .api(.statuses(batch)), method: "get",
            summary:
                "Status of the institutions in the caller's region, one page in code order (query: page from 1, size up to \(PageRequest.maxAPISize), region, status; total in the X-Total-Count header, the next page in Link)",
            tag: "review", response: "StatusList"),
        Operation(
            url: .api(.award(batch)), method: "get", summary: "The batch's award: phase, execution dates and the winning results", tag: "award",
            response: "Award"),
        Operation(
            url: .api(.awardVolumes(batch)), method: "get",
            summary:
                "Agreed volumes in the caller's scope with their sources (query: page, size, region, institution; total in X-Total-Count)",
            tag: "award", response: "VolumeList"),
        Operation(
            url: .api(.awardGaps(batch)), method: "get",
            summary:
                "Coverage gaps in the caller's scope: institution × unit whose winners all supply other regions, with those winners and their regions (query: page, size, region; total in X-Total-Count)",
            tag: "award", response: "GapList"),
        Operation(
            url: .api(.awardAgreements(batch)), method: "get",
            summary:
                "Three-party agreements the caller is party to or oversees (query: page, size, status; q: part of the institution's name or code; city: an area code prefix; manufacturer; product)",
            tag: "award",
            response: "AgreementList"),
        Operation(
            url: .api(.awardPrices(batch)), method: "get",
            summary: "Every product's listing price, payment standard and suspension flag (003 §8(二), 004 §5)", tag: "award", response: "PriceList"),
        Operation(
            url: .api(.awardAction(batch, .compute)), method: "post",
            summary: "Compute the agreed volumes from the locked, province-approved demand (province administrator; before publication)",
            tag: "award", response: "Compute"),
        Operation(
            url: .api(.awardAction(batch, .publish)), method: "post",
            summary: "Publish the volumes and create the first agreement year's agreements (province administrator)", tag: "award",
            body: "Publish", response: "Count"),
        Operation(
            url: .api(.awardAction(batch, .send)), method: "post", summary: "Send the drafts that name their three parties (province administrator)",
            tag: "award", response: "Count"),
        Operation(
            url: .api(.awardAction(batch, .renew)), method: "post", summary: "Create the next agreement year's agreements (province administrator)",
            tag: "award", response: "Count"),
        Operation(
            url: .api(.awardAction(batch, .adjust)), method: "post",
            summary: "Adjust a published volume with a reason; the old figure is kept as a version (province administrator)", tag: "award",
            body: "Adjustment", response: "VolumeList"),
        Operation(
            url: .api(.awardAction(batch, .policy)), method: "post",
            summary:
                "Set the award policy before publication: the fields given change (province administrator); computed volumes must be computed again",
            tag: "award", body: "AwardPolicyChange", response: "AwardPolicy"),
        Operation(
            url: .api(.signAgreement(batch, AgreementKey(stringLiteral: "{agreement}"))), method: "post",
            summary: "Sign for the caller's party (institution head, manufacturer or distributor account)", tag: "award", response: "Agreement"),
        Operation(
            url: .api(.awardAction(batch, .signAll)), method: "post",
            summary:
                "Sign every agreement awaiting the caller's party, narrowed by city (area code prefix), manufacturer and product; `expected` is the count the caller confirmed (CONCURRENT_CHANGE, nothing signed, when the list has changed). Each signature audited on its own. 003 §6",
            tag: "award", body: "SignAll", response: "BulkSigning"),
        Operation(
            url: .api(.monitor(batch)), method: "get",
            summary:
                "Monitoring figures at one level (query: region, institution, unit, rows = area | institution | unit): completion against the schedule, shares, the trend, and the rows ranked by their pull on the gap (paged: page, size; total in X-Total-Count). 004 §6, 001 §2",
            tag: "monitor", response: "MonitorDashboard"),
        Operation(
            url: .api(.monitorAlerts(batch)), method: "get",
            summary: "Alerts in the caller's scope, newest first (query: page, size, status, code, unit, region; total in X-Total-Count)",
            tag: "monitor", response: "AlertList"),
        Operation(
            url: .api(.monitorAlert(batch, AlertIDKey(stringLiteral: "{alert}"), .acknowledge)), method: "post",
            summary: "Acknowledge an open alert with a note (the institution, its city or the province)", tag: "monitor", body: "AlertNote",
            response: "Alert"),
        Operation(
            url: .api(.monitorAlert(batch, AlertIDKey(stringLiteral: "{alert}"), .resolve)), method: "post",
            summary: "Resolve an alert by hand with a reason (city or province)", tag: "monitor", body: "AlertNote", response: "Alert"),
        Operation(
            url: .api(.monitorRecompute(batch)), method: "post",
            summary: "Recompute positions, monthly tallies and alerts as of a day (province administrator; default today in Beijing)",
            tag: "monitor", body: "RecomputeRequest", response: "Recompute"),
        Operation(
            url: .api(.monitorProblems(batch)), method: "get", summary: "The batch's verified supply problems (004 §7)", tag: "monitor",
            response: "SupplyProblemList"),
        Operation(
            url: .api(.monitorProblems(batch)), method: "post",
            summary: "Record a verified supply problem (province administrator); backups then count as winning inside it after a recompute",
            tag: "monitor", body: "SupplyProblem", response: "SupplyProblemList"),
        Operation(
            url: .api(.supplyOrders(batch)), method: "get",
            summary: "Orders in the caller's scope, newest first (query: page, size, status; total in X-Total-Count)", tag: "supply",
            response: "OrderList"),
        Operation(
            url: .api(.supplyOrders(batch)), method: "post",
            summary: "Place an order under the institution's agreements in force: one order per distributor, at the winning pack price (003 §4)",
            tag: "supply", body: "OrderRequest", response: "OrderIDs"),
        Operation(
            url: .api(.supplyOrder(batch, OrderKey(stringLiteral: "{order}"))), method: "get", summary: "One order with its lines and deliveries",
            tag: "supply", response: "Order"),
        Operation(
            url: .api(.supplyOrderAction(batch, OrderKey(stringLiteral: "{order}"), .confirm)), method: "post",
            summary: "Confirm a placed order (its distributor)", tag: "supply", response: "Order"),
        Operation(
            url: .api(.supplyOrderAction(batch, OrderKey(stringLiteral: "{order}"), .withdraw)), method: "post",
            summary: "Withdraw an order not yet confirmed (the institution)", tag: "supply", response: "Order"),
        Operation(
            url: .api(.supplyOrderAction(batch, OrderKey(stringLiteral: "{order}"), .close)), method: "post",
            summary: "Close what is still to ship, nothing being on its way (the institution)", tag: "supply", response: "Order"),
        Operation(
            url: .api(.supplyOrderAction(batch, OrderKey(stringLiteral: "{order}"), .ship)), method: "post",
            summary: "Ship part or all of a confirmed order with lot, expiry and one traceability code per pack or none (its distributor; 001 §2(五))",
            tag: "supply", body: "Shipment", response: "Order"),
        Operation(
            url: .api(.supplyDeliveryAction(batch, DeliveryKey(stringLiteral: "{delivery}"), .accept)), method: "post",
            summary:
                "Accept a delivery, every line: accepted + rejected = delivered, a reason for any rejection; due by the end of the next month (003 §8(一))",
            tag: "supply", body: "Acceptance", response: "Delivery"),
        Operation(
            url: .api(.supplyDeliveryAction(batch, DeliveryKey(stringLiteral: "{delivery}"), .invoice)), method: "post",
            summary: "Record an invoice of an accepted delivery, up to its value (its distributor)", tag: "supply", body: "Money",
            response: "Delivery"),
        Operation(
            url: .api(.supplyDeliveryAction(batch, DeliveryKey(stringLiteral: "{delivery}"), .pay)), method: "post",
            summary: "Record a payment of an accepted delivery, up to what is invoiced (the institution)", tag: "supply", body: "Money",
            response: "Delivery"),
        Operation(
            url: .api(.supplyCodes(batch, DeliveryKey(stringLiteral: "{delivery}"))), method: "get",
            summary: "The traceability codes of one delivered line (query: line, default 1)", tag: "supply", response: "TraceCodes"),
        Operation(
            url: .api(.supplyPayables(batch)), method: "get",
            summary: "Accepted deliveries as payables in the caller's scope, earliest due first, with days overdue (query: page, size, overdue=1)",
            tag: "supply", response: "PayableList"),
        Operation(
            url: .api(.supplyTickets(batch)), method: "get",
            summary: "Supply-problem tickets in the caller's scope, newest first (query: page, size, status, escalated=1)", tag: "supply",
            response: "TicketList"),
        Operation(
            url: .api(.supplyTickets(batch)), method: "post",
            summary:
                "File a supply-problem ticket on a winning product, for the caller's own area or one inside it (institutions and bureaus; 004 §8)",
            tag: "supply", body: "TicketRequest", response: "Ticket"),
        Operation(
            url: .api(.supplyTicket(batch, TicketKey(stringLiteral: "{ticket}"))), method: "get", summary: "One ticket with its clock", tag: "supply",
            response: "Ticket"),
        Operation(
            url: .api(.supplyTicketAction(batch, TicketKey(stringLiteral: "{ticket}"), .answer)), method: "post",
            summary: "Answer for the caller's firm (the manufacturer or the distributor on the ticket), once", tag: "supply", body: "TicketAction",
            response: "Ticket"),
        Operation(
            url: .api(.supplyTicketAction(batch, TicketKey(stringLiteral: "{ticket}"), .decide)), method: "post",
            summary: "Verify (a supply problem for monitoring and the firms' credit records, 004 §7) or dismiss (the area's city or the province)",
            tag: "supply", body: "TicketAction", response: "Ticket"),
        Operation(
            url: .api(.supplySettlements(batch)), method: "get", summary: "The settlement runs, newest first (not for manufacturers)", tag: "supply",
            response: "SettlementRunList"),
        Operation(
            url: .api(.supplySettlements(batch)), method: "post",
            summary: "Run a month's direct settlement as a draft, replacing an earlier draft (province administrator; 004 §6)", tag: "supply",
            body: "SettlementRequest", response: "SettlementRun"),
        Operation(
            url: .api(.supplySettlement(batch, SettlementKey(stringLiteral: "{settlement}"))), method: "get",
            summary: "A run's statement as the caller may see it: per institution and per firm", tag: "supply", response: "Statement"),
        Operation(
            url: .api(.supplyApproveSettlement(batch, SettlementKey(stringLiteral: "{settlement}"))), method: "post",
            summary: "Approve a draft run once: the fund's payments and the prepayment offsets are recorded (province administrator)", tag: "supply",
            response: "SettlementRun"),
        Operation(
            url: .api(.supplyPrepayments(batch)), method: "get",
            summary: "Prepayments per institution and agreement year with offsets, recoveries and balances (query: page, size; 003 §8(一))",
            tag: "supply", response: "PrepaymentList"),
        Operation(
            url: .api(.supplyPrepaymentAction(batch, .pay)), method: "post",
            summary: "Pay an agreement year's prepayment to every institution, once (province administrator)", tag: "supply",
            body: "PrepaymentRequest",
            response: "PrepaymentResult"),
        Operation(
            url: .api(.supplyPrepaymentAction(batch, .recover)), method: "post",
            summary: "Recover the balances of an agreement year that has ended (province administrator)", tag: "supply", body: "PrepaymentRequest",
            response: "PrepaymentResult"),
        Operation(
            url: .api(.supplyCredit(batch)), method: "get",
            summary: "Firms' credit entries from verified supply problems: a firm its own, the bureaus all (query: page, size)", tag: "supply",
            response: "CreditList"),
        Operation(
            url: .api(.supplyTraceCodes(batch)), method: "get",
            summary:
                "Traceability codes settled twice, with both occurrences: the bureaus those touching their region, an institution its own (001 §2(五))",
            tag: "supply", response: "CodeAnomalyList"),
        Operation(
            url: .api(.supplyTraceCodes(batch)), method: "post",
            summary:
                "Record the codes an institution settled of one product on one day (at most 100,000; 20 digits, the product's part once its deliveries showed it); a code settled before is raised as an anomaly",
            tag: "supply", body: "CodeCaptureRequest", response: "CodeCapture"),
        Operation(
            url: .api(.supplyProductParts(batch)), method: "get",
            summary: "The winning products' code product parts, registered and delivered: a manufacturer its own, the bureaus all (001 §2(五))",
            tag: "supply", response: "ProductPartsList"),
        Operation(
            url: .api(.supplyProductParts(batch)), method: "post",
            summary: "A manufacturer registers one of its products' product parts (7 digits each, at most 20; an empty list clears them)",
            tag: "supply", body: "ProductPartsRequest", response: "ProductParts"),
        Operation(
            url: .api(.assessment(batch)), method: "get",
            summary:
                "A year's results the caller sees, lowest score first (query: year=YYYY-MM-DD the agreement year's start, grade, q, page, size; 004 §7)",
            tag: "assessment", response: "AssessmentScoreList"),
        Operation(
            url: .api(.assessmentSheet(batch, institution)), method: "get",
            summary:
                "An institution's calculation sheet: score parts, every item with its figures, reasons and retention steps, appeals (query: year; 004 §3)",
            tag: "assessment", response: "AssessmentSheet"),
        Operation(
            url: .api(.assessmentAction(batch, .run)), method: "post",
            summary: "Assess an agreement year that has ended and publish it, or run it again while published (province administrator)",
            tag: "assessment", body: "AssessmentYear", response: "AssessmentRun"),
        Operation(
            url: .api(.assessmentAction(batch, .approve)), method: "post",
            summary: "Approve a published year once the appeal period has passed and every appeal is decided (province administrator)",
            tag: "assessment", body: "AssessmentYear", response: "AssessmentRun"),
        Operation(
            url: .api(.assessmentAppeals(batch)), method: "get", summary: "A year's appeals the caller sees (query: year)", tag: "assessment",
            response: "AppealList"),
        Operation(
            url: .api(.assessmentAppeals(batch)), method: "post",
            summary: "An institution contests a failed item within the policy's days, with its reason and evidence", tag: "assessment",
            body: "AppealRequest", response: "Appeal"),
        Operation(
            url: .api(.assessmentAppeal(batch, AppealKey(stringLiteral: "{appeal}"), .review)), method: "post",
            summary: "The city's opinion on an appeal of its institution (body: opinion)", tag: "assessment", body: "AppealAction", response: "Appeal"
        ),
        Operation(
            url: .api(.assessmentAppeal(batch, AppealKey(stringLiteral: "{appeal}"), .decide)), method: "post",
            summary: "The province's decision (body: upheld, reason); upheld recomputes the institution's results", tag: "assessment",
            body: "AppealAction", response: "Appeal"),
        Operation(
            url: .api(.assessmentLeads(batch)), method: "get",
            summary:
                "A year's supervision leads with their evidence and case, for the bureaus' supervisors, each their region (query: year, status; 001 §2(八))",
            tag: "assessment", response: "LeadList"),
        Operation(
            url: .api(.assessmentReport(batch)), method: "get",
            summary:
                "A year's report of the province or one city (query: year, city): retention summary, cities ranked, highest and lowest institutions, appeals and leads counted",
            tag: "assessment", response: "AssessmentReport"),
        Operation(
            url: .api(.assessmentLead(batch, LeadKey(stringLiteral: "{lead}"))), method: "post",
            summary: "Move a lead's case on: investigating, or closed with the finding (required)", tag: "assessment", body: "LeadAction",
            response: "Lead"),
    ]

    static func operationJSON(_ op: Operation) -> String {
        let parameters = op.url.segments.compactMap { segment -> String? in
            guard case .value(let name, _) = segment else { return nil }
            return "{\"name\":\"\(name)\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}"
        }.joined(separator: ",")
        let body =
            op.body.map {
                ",\"requestBody\":{\"required\":true,\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/\($0)\"}}}}"
            } ?? ""
        let errors = ["400", "401", "403", "404", "409"].map { "\"\($0)\":{\"$ref\":\"#/components/responses/Error\"}" }.joined(separator: ",")
        let ok = "\"200\":{\"description\":\"OK\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/\(op.response)\"}}}}"
        return "{\"summary\":\(quoted(op.summary)),\"tags\":[\"\(op.tag)\"],\"parameters\":[\(parameters)]\(body),\"responses\":{\(ok),\(errors)}}"
    }

    static func quoted(_ text: String) -> String {
        let data = try? JSONEncoder().encode(text)
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "\"\""
    }

    static var pathsJSON: String {
        var order: [String] = []
        var byPath: [String: [String]] = [:]
        for op in operations {
            let path = op.url.openAPIPath
            if byPath[path] == nil { order.append(path) }
            byPath[path, default: []].append("\"\(op.method)\":\(operationJSON(op))")
        }
        return order.map { "\"\($0)\":{\(byPath[$0]!.joined(separator: ","))}" }.joined(separator: ",\n")
    }

    static let json: String = """
        {"openapi":"3.1.0","info":{"title":"Jicai volume-based procurement API","version":"1.0.0","description":"集采平台报量接口。Bearer token (POST /api/v1/tokens from a logged-in session) or a session cookie with X-CSRF-Token. Scope: an institution only itself (a county medical community lead also its members), a city reviewer its city, the province everything."},
        "servers":[{"url":"/"}],"security":[{"bearer":[]}],
        "paths":{
        \(pathsJSON)
        },
        "components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer"}},
        "responses":{"Error":{"description":"Refused; nothing changed","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Error"}}}}},
        "schemas":{
        "Error":{"type":"object","required":["error"],"properties":{"error":{"type":"object","required":["code","message"],"properties":{"code":{"type":"string","enum":[\(RefusalCode.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]},"message":{"type":"string"},"messageEn":{"type":"string"}}}}},
        "Line":{"type":"object","required":["specCode","quantity"],"properties":{"specCode":{"type":"string"},"productCode":{"type":["string","null"]},"quantity":{"type":"integer","minimum":0,"maximum":\(InputLimits.maxQuantity)}}},
        "Exclusion":{"type":"object","required":["specCode","quantity","reason"],"properties":{"specCode":{"type":"string"},"quantity":{"type":"integer","minimum":0,"maximum":\(InputLimits.maxQuantity)},"reason":{"type":"string"}}},
        "Draft":{"type":"object","required":["lines","explanations","exclusions"],"properties":{"lines":{"type":"array","items":{"$ref":"#/components/schemas/Line"}},"explanations":{"type":"object","additionalProperties":{"type":"string"}},"exclusions":{"type":"object","additionalProperties":{"$ref":"#/components/schemas/Exclusion"}}}},
        "Letter":{"type":"object","required":["fileName","contentBase64","signerName","signerTitle"],"properties":{"fileName":{"type":"string"},"contentBase64":{"type":"string"},"signerName":{"type":"string"},"signerTitle":{"type":"string","enum":["院长","党委书记"]}}},
        "Evidence":{"type":"object","required":["unit","fileName","contentBase64"],"properties":{"unit":{"type":"string"},"fileName":{"type":"string"},"contentBase64":{"type":"string"}}},
        "Correction":{"type":"object","required":["specCode","quantity","reason"],"properties":{"specCode":{"type":"string"},"productCode":{"type":["string","null"]},"quantity":{"type":"integer","minimum":0,"maximum":\(InputLimits.maxQuantity)},"reason":{"type":"string"}}},
        "Lock":{"type":"object","required":["locked"],"properties":{"locked":{"type":"boolean"}}},
        "Review":{"type":"object","required":["action"],"properties":{"action":{"type":"string","enum":["cityApprove","cityReturn","provinceApprove","provinceReturn"]},"reason":{"type":"string"}}},
        "Finding":{"type":"object","required":["code","severity","message","clause"],"properties":{"code":{"type":"string","enum":[\(FindingCode.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]},"institutionCode":{"type":"string"},"severity":{"type":"string","enum":["blocking","review","info"]},"unitKey":{"type":["string","null"]},"numbers":{"type":"object","additionalProperties":{"type":"string"}},"message":{"type":"object","properties":{"zh":{"type":"string"},"en":{"type":"string"}}},"clause":{"type":"string"},"explanation":{"type":["string","null"]}}},
        "Report":{"type":"object","properties":{"batch":{"type":"string"},"institution":{"type":"string"},"institutionName":{"type":"string"},"status":{"type":"string","enum":["none","draft","submitted","returned","cityApproved","provinceApproved"]},"phase":{"type":"string"},"canEdit":{"type":"boolean"},"lines":{"type":"array","items":{"$ref":"#/components/schemas/Line"}},"explanations":{"type":"object","additionalProperties":{"type":"string"}},"exclusions":{"type":"object"},"letter":{"type":["object","null"],"required":["fileName","signerName","signerTitle"],"properties":{"fileName":{"type":"string"},"signerName":{"type":"string"},"signerTitle":{"type":"string"}}},"returnReason":{"type":["string","null"]},"findings":{"type":"array","items":{"$ref":"#/components/schemas/Finding"}},"history":{"type":"object","additionalProperties":{"type":"integer"}}}},
        "FindingList":{"type":"array","items":{"$ref":"#/components/schemas/Finding"}},
        "WhatIf":{"type":"object","required":["unit","winners","winnersKnown","ratio","reportedContent","agreedContent","displaySpec","agreedQuantity","monthlyQuantity","retention","assumptions","assumptionsEn"],"properties":{"unit":{"type":"string"},"winners":{"type":"integer"},"winnersKnown":{"type":"boolean"},"ratio":{"type":"string"},"reportedContent":{"type":"integer"},"agreedContent":{"type":"integer"},"displaySpec":{"type":"string"},"agreedQuantity":{"type":"integer"},"monthlyQuantity":{"type":"integer"},"retention":{"type":"array","items":{"type":"object","required":["grade","lowFen","highFen"],"properties":{"grade":{"type":"string","enum":["A","B","C","D"]},"lowFen":{"type":"integer"},"highFen":{"type":"integer"}}}},"assumptions":{"type":"array","items":{"type":"string"}},"assumptionsEn":{"type":"array","items":{"type":"string"}}}},
        "WhatIfList":{"type":"array","items":{"$ref":"#/components/schemas/WhatIf"}},
        "Me":{"type":"object","properties":{"username":{"type":"string"},"displayName":{"type":"string"},"role":{"type":"string"},"organisationCode":{"type":["string","null"]},"regionCode":{"type":["string","null"]},"csrf":{"type":["string","null"]}}},
        "Token":{"type":"object","properties":{"token":{"type":"string"},"label":{"type":"string"},"expiresAt":{"type":"string","format":"date-time"}}},
        "TokenRequest":{"type":"object","properties":{"label":{"type":"string","maxLength":\(InputLimits.maxTokenLabelCharacters)},"days":{"type":"integer","minimum":1,"maximum":\(InputLimits.maxTokenLifetimeDays)}}},
        "TokenList":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"label":{"type":"string"},"createdAt":{"type":"string","format":"date-time"},"expiresAt":{"type":["string","null"],"format":"date-time"},"lastUsedAt":{"type":["string","null"],"format":"date-time"}}}},
        "Empty":{"type":"object"},
        "AuditList":{"type":"array","items":{"type":"object","properties":{"at":{"type":"string","format":"date-time"},"actor":{"type":"string"},"action":{"type":"string"},"summary":{"type":"string"},"detail":{"type":["string","null"]},"ip":{"type":["string","null"]}}}},
        "Award":{"type":"object","required":["phase","volumes","agreements","results"],"properties":{"phase":{"type":"string","enum":["none","resultsImported","computed","published"]},"executionStart":{"type":["string","null"],"format":"date"},"cycleEnd":{"type":["string","null"],"format":"date"},"volumes":{"type":"integer"},"agreements":{"type":"integer"},"results":{"type":"array","items":{"type":"object","properties":{"productCode":{"type":"string"},"specCode":{"type":"string"},"varietyCode":{"type":"string"},"manufacturerCode":{"type":"string"},"manufacturerName":{"type":"string"},"role":{"type":"string","enum":["winner","backup"]},"backupOrder":{"type":["integer","null"]},"packPriceFen":{"type":"integer"},"regions":{"type":"array","items":{"type":"string"}},"version":{"type":"integer"}}}}}},
        "GapList":{"type":"array","items":{"type":"object","properties":{"institutionCode":{"type":"string"},"institutionName":{"type":"string"},"regionCode":{"type":"string"},"unitKey":{"type":"string"},"winners":{"type":"array","items":{"type":"object","properties":{"productCode":{"type":"string"},"manufacturerName":{"type":"string"},"regions":{"type":"array","items":{"type":"string"}}}}}}}},
        "AwardPolicyChange":{"type":"object","description":"every field optional: the fields given change","properties":{"allocation":{"type":["string","null"],"enum":["lowestPrice","evenly",null]},"flatRatio":{"type":["string","null"],"description":"percent; empty or none for the tables"},"ratios":{"type":["string","null"],"description":"percents by number of winners, e.g. 50,60,70,80"},"restrictedRatios":{"type":["string","null"]},"limitDrugs":{"type":["integer","null"]},"limitConsumables":{"type":["integer","null"]}}},
        "AwardPolicy":{"type":"object","required":["kind","allocation","ratios","restrictedRatios","distributorLimitDrugs","distributorLimitConsumables"],"properties":{"kind":{"type":"string","enum":["drugs","consumables"]},"allocation":{"type":"string","enum":["lowestPrice","evenly"]},"flatRatio":{"type":["string","null"]},"ratios":{"type":"array","items":{"type":"string"}},"restrictedRatios":{"type":"array","items":{"type":"string"}},"distributorLimitDrugs":{"type":"integer"},"distributorLimitConsumables":{"type":"integer"}}},
        "VolumeList":{"type":"array","items":{"type":"object","properties":{"institutionCode":{"type":"string"},"institutionName":{"type":"string"},"regionCode":{"type":"string"},"productCode":{"type":"string"},"specCode":{"type":"string"},"manufacturerName":{"type":"string"},"quantity":{"type":"integer"},"amountFen":{"type":"integer"},"version":{"type":"integer"},"reason":{"type":"string"},"sources":{"type":"array","items":{"type":"object","properties":{"reporter":{"type":"string"},"specCode":{"type":"string"},"reportedQuantity":{"type":"integer"},"ratio":{"type":"string"},"chosenBrand":{"type":"boolean"}}}},"years":{"type":"array","description":"each agreement year's figure once the cycle is set","items":{"type":"object","properties":{"start":{"type":"string","format":"date"},"lastDay":{"type":"string","format":"date"},"quantity":{"type":"integer"},"amountFen":{"type":"integer"}}}}}}},
        "Agreement":{"type":"object","properties":{"id":{"type":"integer"},"institutionCode":{"type":"string"},"productCode":{"type":"string"},"manufacturerCode":{"type":"string"},"distributorCode":{"type":["string","null"]},"yearIndex":{"type":"integer"},"start":{"type":"string","format":"date"},"end":{"type":"string","format":"date"},"quantity":{"type":"integer"},"amountFen":{"type":"integer"},"status":{"type":"string","enum":["draft","sent","inForce","expired"]},"signedBy":{"type":"array","items":{"type":"string","enum":["institution","manufacturer","distributor"]}}}},
        "PriceList":{"type":"array","items":{"type":"object","properties":{"productCode":{"type":"string"},"specCode":{"type":"string"},"varietyCode":{"type":"string"},"manufacturerName":{"type":"string"},"standing":{"type":"string","enum":["winner","backup","listed","unlisted"]},"category":{"type":["string","null"],"enum":["originator","reference","passedGeneric","nonPassedGeneric","consumable",null]},"listingFen":{"type":["integer","null"]},"paymentStandardFen":{"type":["integer","null"]},"suspend":{"type":"boolean"}}}},
        "Compute":{"type":"object","required":["holders","volumes","gaps","amountFen"],"properties":{"holders":{"type":"integer"},"volumes":{"type":"integer"},"gaps":{"type":"integer"},"amountFen":{"type":"integer"}}},
        "Count":{"type":"object","required":["count"],"properties":{"count":{"type":"integer"}}},
        "SignAll":{"type":"object","required":["expected"],"properties":{"city":{"type":["string","null"]},"manufacturer":{"type":["string","null"]},"product":{"type":["string","null"]},"expected":{"type":"integer"}}},
        "BulkSigning":{"type":"object","required":["signed","inForce","skipped"],"properties":{"signed":{"type":"integer"},"inForce":{"type":"integer"},"skipped":{"type":"integer"}}},
        "Publish":{"type":"object","required":["executionStart","cycleEnd"],"properties":{"executionStart":{"type":"string","format":"date"},"cycleEnd":{"type":"string","format":"date"},"signingDeadline":{"type":"string","format":"date"}}},
        "Adjustment":{"type":"object","required":["institutionCode","productCode","quantity","reason"],"properties":{"institutionCode":{"type":"string"},"productCode":{"type":"string"},"quantity":{"type":"integer","minimum":0,"maximum":\(InputLimits.maxQuantity)},"reason":{"type":"string","minLength":1}}},
        "AgreementList":{"type":"array","items":{"$ref":"#/components/schemas/Agreement"}},
        "Group":{"type":"object","required":["key","name","positions","agreedAmountFen","valuedWinningFen","valuedPendingFen","winningAmountFen","nonWinningAmountFen","excludedAmountFen","notEntered"],"properties":{"key":{"type":"string"},"name":{"type":"string"},"positions":{"type":"integer"},"agreedAmountFen":{"type":"integer"},"valuedWinningFen":{"type":"integer"},"valuedPendingFen":{"type":"integer"},"winningAmountFen":{"type":"integer"},"nonWinningAmountFen":{"type":"integer"},"excludedAmountFen":{"type":"integer"},"notEntered":{"type":"integer"},"completion":{"type":["object","null"],"properties":{"numerator":{"type":"string"},"denominator":{"type":"string"},"percent":{"type":"string"}}},"nonWinningAmountShare":{"type":["object","null"],"properties":{"numerator":{"type":"string"},"denominator":{"type":"string"},"percent":{"type":"string"}}},"vbpAmountShare":{"type":["object","null"],"properties":{"numerator":{"type":"string"},"denominator":{"type":"string"},"percent":{"type":"string"}}},"pullMillionths":{"type":["integer","null"]},"supplyPullMillionths":{"type":["integer","null"]}}},
        "MonitorDashboard":{"type":"object","required":["asOf","computedAt","yearStart","yearEnd","region","rows","total","groups","trend"],"properties":{"asOf":{"type":"string","format":"date"},"computedAt":{"type":"string","format":"date-time"},"yearStart":{"type":"string","format":"date"},"yearEnd":{"type":"string","format":"date"},"schedule":{"type":["object","null"],"properties":{"numerator":{"type":"string"},"denominator":{"type":"string"},"percent":{"type":"string"}}},"region":{"type":"string"},"institution":{"type":["string","null"]},"unit":{"type":["string","null"]},"rows":{"type":"string","enum":["area","institution","unit"]},"total":{"$ref":"#/components/schemas/Group"},"groups":{"type":"array","items":{"$ref":"#/components/schemas/Group"}},"trend":{"type":"array","items":{"type":"object","required":["month","winningContent","nonWinningContent","winningAmountFen","nonWinningAmountFen"],"properties":{"month":{"type":"string"},"completion":{"type":["object","null"],"properties":{"numerator":{"type":"string"},"denominator":{"type":"string"},"percent":{"type":"string"}}},"schedule":{"type":["object","null"],"properties":{"numerator":{"type":"string"},"denominator":{"type":"string"},"percent":{"type":"string"}}},"winningContent":{"type":"integer"},"nonWinningContent":{"type":"integer"},"winningAmountFen":{"type":"integer"},"nonWinningAmountFen":{"type":"integer"}}}}}},
        "Alert":{"type":"object","required":["id","code","institutionCode","institutionName","regionCode","unitKey","yearStart","severity","status","figures","message","clause","raisedAt","updatedAt"],"properties":{"id":{"type":"integer"},"code":{"type":"string","enum":[\(AlertCode.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]},"institutionCode":{"type":"string"},"institutionName":{"type":"string"},"regionCode":{"type":"string"},"unitKey":{"type":"string"},"yearStart":{"type":"string","format":"date"},"severity":{"type":"string","enum":[\(AlertSeverity.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]},"status":{"type":"string","enum":[\(AlertStatus.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]},"figures":{"type":"object","additionalProperties":{"type":"string"}},"message":{"type":"object","properties":{"zh":{"type":"string"},"en":{"type":"string"}}},"clause":{"type":"string"},"raisedAt":{"type":"string","format":"date-time"},"updatedAt":{"type":"string","format":"date-time"},"acknowledgedBy":{"type":["string","null"]},"note":{"type":["string","null"]},"resolvedBy":{"type":["string","null"]},"resolvedAt":{"type":["string","null"],"format":"date-time"},"resolution":{"type":["string","null"],"enum":["auto","hand",null]},"reason":{"type":["string","null"]}}},
        "AlertList":{"type":"array","items":{"$ref":"#/components/schemas/Alert"}},
        "AlertNote":{"type":"object","properties":{"note":{"type":["string","null"],"maxLength":\(InputLimits.maxNoteCharacters)},"reason":{"type":["string","null"],"maxLength":\(InputLimits.maxNoteCharacters)}}},
        "RecomputeRequest":{"type":"object","properties":{"asOf":{"type":"string","format":"date","description":"inside the cycle; default the last day of the latest month with purchases"},"confirm":{"type":"boolean","description":"go on when the run resolves more alerts by itself than the policy's quietResolutions (else 409 CONFIRMATION_REQUIRED)"}}},
        "Recompute":{"type":"object","required":["asOf","positions","months","raised","refreshed","resolved","seconds"],"properties":{"asOf":{"type":"string","format":"date"},"positions":{"type":"integer"},"months":{"type":"integer"},"raised":{"type":"integer"},"refreshed":{"type":"integer"},"resolved":{"type":"integer"},"seconds":{"type":"number"}}},
        "SupplyProblem":{"type":"object","required":["unit","regionPrefix","from","through","note"],"properties":{"unit":{"type":"string"},"regionPrefix":{"type":"string","description":"2, 4 or 6 digits, or empty for the whole province"},"from":{"type":"string","description":"YYYY-MM"},"through":{"type":"string","description":"YYYY-MM"},"note":{"type":"string","maxLength":\(InputLimits.maxNoteCharacters)}}},
        "SupplyProblemList":{"type":"array","items":{"$ref":"#/components/schemas/SupplyProblem"}},
        "OrderSummary":{"type":"object","required":["id","number","institutionCode","institutionName","regionCode","distributorCode","distributorName","orderDate","status","note"],"properties":{"id":{"type":"integer"},"number":{"type":"string"},"institutionCode":{"type":"string"},"institutionName":{"type":"string"},"regionCode":{"type":"string"},"distributorCode":{"type":"string"},"distributorName":{"type":"string"},"orderDate":{"type":"string","format":"date"},"confirmedDate":{"type":["string","null"],"format":"date"},"status":{"type":"string","enum":[\(OrderStatus.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]},"note":{"type":"string"}}},
        "OrderList":{"type":"array","items":{"$ref":"#/components/schemas/OrderSummary"}},
        "OrderLine":{"type":"object","required":["lineNo","agreementId","productCode","manufacturerCode","packPriceFen","packSize","ordered","shipped","accepted","rejected","closed","outstanding","beyondAgreed"],"properties":{"lineNo":{"type":"integer"},"agreementId":{"type":"integer"},"productCode":{"type":"string"},"manufacturerCode":{"type":"string"},"packPriceFen":{"type":"integer"},"packSize":{"type":"integer"},"ordered":{"type":"integer","description":"packs"},"shipped":{"type":"integer"},"accepted":{"type":"integer"},"rejected":{"type":"integer"},"closed":{"type":"integer"},"outstanding":{"type":"integer"},"beyondAgreed":{"type":"boolean","description":"takes the agreement beyond its agreed quantity (003 §4)"}}},
        "DeliveryLine":{"type":"object","required":["lineNo","packs","lot","expiry","reason","codes"],"properties":{"lineNo":{"type":"integer"},"packs":{"type":"integer"},"lot":{"type":"string"},"expiry":{"type":"string","format":"date"},"accepted":{"type":["integer","null"]},"rejected":{"type":["integer","null"]},"reason":{"type":"string"},"codes":{"type":"integer"}}},
        "Delivery":{"type":"object","required":["id","number","orderId","shipDate","amountFen","invoicedFen","paidFen","lines"],"properties":{"id":{"type":"integer"},"number":{"type":"string"},"orderId":{"type":"integer"},"shipDate":{"type":"string","format":"date"},"acceptDate":{"type":["string","null"],"format":"date"},"amountFen":{"type":"integer"},"dueDate":{"type":["string","null"],"format":"date"},"invoicedFen":{"type":"integer"},"paidFen":{"type":"integer"},"lines":{"type":"array","items":{"$ref":"#/components/schemas/DeliveryLine"}}}},
        "Order":{"type":"object","required":["order","confirmedLate","lines","deliveries"],"properties":{"order":{"$ref":"#/components/schemas/OrderSummary"},"confirmedLate":{"type":"boolean"},"lines":{"type":"array","items":{"$ref":"#/components/schemas/OrderLine"}},"deliveries":{"type":"array","items":{"$ref":"#/components/schemas/Delivery"}}}},
        "OrderIDs":{"type":"object","required":["orders"],"properties":{"orders":{"type":"array","items":{"type":"integer"}}}},
        "OrderRequest":{"type":"object","required":["lines"],"properties":{"lines":{"type":"array","items":{"type":"object","required":["agreementId","packs"],"properties":{"agreementId":{"type":"integer"},"packs":{"type":"integer","minimum":1,"maximum":\(InputLimits.maxQuantity)}}}},"note":{"type":["string","null"],"maxLength":\(InputLimits.maxNoteCharacters)}}},
        "Shipment":{"type":"object","required":["lines"],"properties":{"lines":{"type":"array","items":{"type":"object","required":["lineNo","packs","lot","expiry"],"properties":{"lineNo":{"type":"integer"},"packs":{"type":"integer","minimum":1},"lot":{"type":"string","maxLength":\(InputLimits.maxReferenceCharacters)},"expiry":{"type":"string","format":"date"},"codes":{"type":["array","null"],"items":{"type":"string","pattern":"^[0-9]{20}$"}}}}}}},
        "Acceptance":{"type":"object","required":["lines"],"properties":{"lines":{"type":"array","items":{"type":"object","required":["lineNo","accepted","rejected"],"properties":{"lineNo":{"type":"integer"},"accepted":{"type":"integer","minimum":0},"rejected":{"type":"integer","minimum":0},"reason":{"type":["string","null"]}}}}}},
        "Money":{"type":"object","required":["number","amountFen","date"],"properties":{"number":{"type":"string","maxLength":\(InputLimits.maxReferenceCharacters)},"amountFen":{"type":"integer","minimum":1},"date":{"type":"string","format":"date"}}},
        "TraceCodes":{"type":"object","required":["codes"],"properties":{"codes":{"type":"array","items":{"type":"string"}}}},
        "Ticket":{"type":"object","required":["id","number","kind","productCode","unitKey","manufacturerCode","regionPrefix","from","through","description","filedBy","filedDate","answerDue","verifyDue","status","escalated"],"properties":{"id":{"type":"integer"},"number":{"type":"string"},"kind":{"type":"string","enum":[\(SupplyProblemKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]},"productCode":{"type":"string"},"unitKey":{"type":"string"},"manufacturerCode":{"type":"string"},"distributorCode":{"type":["string","null"]},"institutionCode":{"type":["string","null"]},"regionPrefix":{"type":"string"},"from":{"type":"string"},"through":{"type":"string"},"description":{"type":"string"},"filedBy":{"type":"string"},"filedDate":{"type":"string","format":"date"},"answerDue":{"type":"string","format":"date"},"verifyDue":{"type":"string","format":"date"},"status":{"type":"string","enum":[\(TicketStatus.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]},"escalated":{"type":"boolean"},"manufacturerAnswer":{"type":["string","null"]},"distributorAnswer":{"type":["string","null"]},"decidedBy":{"type":["string","null"]},"decidedDate":{"type":["string","null"],"format":"date"},"decisionNote":{"type":["string","null"]}}},
        "TicketList":{"type":"array","items":{"$ref":"#/components/schemas/Ticket"}},
        "TicketRequest":{"type":"object","required":["kind","productCode","from","through","description"],"properties":{"kind":{"type":"string","enum":[\(SupplyProblemKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ","))]},"productCode":{"type":"string"},"region":{"type":["string","null"],"description":"a division code inside the caller's area; empty for its own"},"from":{"type":"string","description":"YYYY-MM"},"through":{"type":"string","description":"YYYY-MM"},"description":{"type":"string","maxLength":\(InputLimits.maxExplanationCharacters)}}},
        "TicketAction":{"type":"object","properties":{"text":{"type":["string","null"],"description":"the answer"},"verify":{"type":["boolean","null"]},"note":{"type":["string","null"],"maxLength":\(InputLimits.maxNoteCharacters)}}},
        "AssessmentYear":{"type":"object","required":["year"],"properties":{"year":{"type":"string","format":"date"}}},
        "AssessmentRun":{"type":"object","required":["yearStart","yearEnd","status","publishedOn","institutions","items","failedItems","retainedFen"],"properties":{"yearStart":{"type":"string","format":"date"},"yearEnd":{"type":"string","format":"date"},"status":{"type":"string","enum":["published","approved"]},"publishedOn":{"type":"string","format":"date"},"institutions":{"type":"integer"},"items":{"type":"integer"},"failedItems":{"type":"integer"},"retainedFen":{"type":"integer"},"approvedBy":{"type":["string","null"]}}},
        "AssessmentScore":{"type":"object","required":["institutionCode","institutionName","regionCode","score","grade","completionPassed","completionAssessed","sharePassed","shareCounted","dueFen","paidOnTimeFen","agreements","signedOnTime","items","failedItems","retainedFen","diseaseGroup"],"properties":{"institutionCode":{"type":"string"},"institutionName":{"type":"string"},"regionCode":{"type":"string"},"score":{"type":"string"},"grade":{"type":"string","enum":["A","B","C","D"]},"completionPassed":{"type":"integer"},"completionAssessed":{"type":"integer"},"sharePassed":{"type":"integer"},"shareCounted":{"type":"integer"},"dueFen":{"type":"integer"},"paidOnTimeFen":{"type":"integer"},"agreements":{"type":"integer"},"signedOnTime":{"type":"integer"},"items":{"type":"integer"},"failedItems":{"type":"integer"},"retainedFen":{"type":"integer"},"diseaseGroup":{"type":"boolean"}}},
        "AssessmentScoreList":{"type":"array","items":{"$ref":"#/components/schemas/AssessmentScore"}},
        "AssessmentItem":{"type":"object","required":["unit","agreedContent","winningContent","winningAmountFen","nonWinningContent","uncoveredDays","completion","sharePassed","passed","baseContent","savingsFen","retainedFen","reasons","reasonsEn"],"properties":{"unit":{"type":"string"},"agreedContent":{"type":"integer"},"winningContent":{"type":"integer"},"winningAmountFen":{"type":"integer"},"nonWinningContent":{"type":"integer"},"uncoveredDays":{"type":"integer"},"completion":{"type":"string","enum":["passed","failed","notAssessed"]},"sharePassed":{"type":"boolean"},"passed":{"type":"boolean"},"preAwardAmountFen":{"type":["integer","null"]},"preAwardContent":{"type":["integer","null"]},"baseContent":{"type":"integer"},"savingsFen":{"type":"integer"},"retainedFen":{"type":"integer"},"reasons":{"type":"array","items":{"type":"string"}},"reasonsEn":{"type":"array","items":{"type":"string"}}}},
        "AssessmentSheet":{"type":"object","required":["run","result","items","appeals","mayAppeal"],"properties":{"run":{"$ref":"#/components/schemas/AssessmentRun"},"result":{"$ref":"#/components/schemas/AssessmentScore"},"items":{"type":"array","items":{"$ref":"#/components/schemas/AssessmentItem"}},"appeals":{"type":"array","items":{"$ref":"#/components/schemas/Appeal"}},"mayAppeal":{"type":"boolean"},"appealUntil":{"type":["string","null"],"format":"date"}}},
        "AppealRequest":{"type":"object","required":["year","unit","reason","evidence"],"properties":{"year":{"type":"string","format":"date"},"unit":{"type":"string"},"reason":{"type":"string"},"evidence":{"type":"string"}}},
        "AppealAction":{"type":"object","properties":{"opinion":{"type":["string","null"]},"upheld":{"type":["boolean","null"]},"reason":{"type":["string","null"]}}},
        "Appeal":{"type":"object","required":["id","yearStart","institutionCode","institutionName","unit","reason","evidence","status"],"properties":{"id":{"type":"integer"},"yearStart":{"type":"string","format":"date"},"institutionCode":{"type":"string"},"institutionName":{"type":"string"},"unit":{"type":"string"},"reason":{"type":"string"},"evidence":{"type":"string"},"status":{"type":"string","enum":["filed","reviewed","upheld","rejected"]},"opinion":{"type":["string","null"]},"decision":{"type":["string","null"]}}},
        "AppealList":{"type":"array","items":{"$ref":"#/components/schemas/Appeal"}},
        "LeadAction":{"type":"object","required":["status"],"properties":{"status":{"type":"string","enum":["open","investigating","closed"]},"finding":{"type":["string","null"]}}},
        "Lead":{"type":"object","required":["id","yearStart","institutionCode","institutionName","unit","kind","evidence","evidenceEn","status"],"properties":{"id":{"type":"integer"},"yearStart":{"type":"string","format":"date"},"institutionCode":{"type":"string"},"institutionName":{"type":"string"},"unit":{"type":"string"},"kind":{"type":"string","enum":["overAgreed","nonWinningSurge","doubleSettled","lateRepeated","demandFarFromUse"]},"evidence":{"type":"string"},"evidenceEn":{"type":"string"},"status":{"type":"string","enum":["open","investigating","closed"]},"finding":{"type":["string","null"]},"updatedBy":{"type":["string","null"]}}},
        "LeadList":{"type":"array","items":{"$ref":"#/components/schemas/Lead"}},
        "AssessmentCity":{"type":"object","required":["rank","city","name","institutions","averageScore","grades","items","failedItems","retainedFen"],"properties":{"rank":{"type":"integer"},"city":{"type":"string"},"name":{"type":"string"},"institutions":{"type":"integer"},"averageScore":{"type":"string"},"grades":{"type":"array","items":{"type":"integer"}},"items":{"type":"integer"},"failedItems":{"type":"integer"},"retainedFen":{"type":"integer"}}},
        "AssessmentReport":{"type":"object","required":["run","city","regionName","totals","cities","highest","lowest","appeals","leads"],"properties":{"run":{"$ref":"#/components/schemas/AssessmentRun"},"city":{"type":"string"},"regionName":{"type":"string"},"cityRank":{"type":["integer","null"]},"totals":{"$ref":"#/components/schemas/AssessmentCity"},"cities":{"type":"array","items":{"$ref":"#/components/schemas/AssessmentCity"}},"highest":{"type":"array","items":{"$ref":"#/components/schemas/AssessmentScore"}},"lowest":{"type":"array","items":{"$ref":"#/components/schemas/AssessmentScore"}},"appeals":{"type":"object","additionalProperties":{"type":"integer"}},"leads":{"type":"object","additionalProperties":{"type":"integer"}}}},
        "SettlementRun":{"type":"object","required":["id","number","month","status","runBy","directFen","offsetFen"],"properties":{"id":{"type":"integer"},"number":{"type":"string"},"month":{"type":"string"},"status":{"type":"string","enum":["draft","approved"]},"runBy":{"type":"string"},"approvedBy":{"type":["string","null"]},"directFen":{"type":"integer"},"offsetFen":{"type":"integer"}}},
        "SettlementRunList":{"type":"array","items":{"$ref":"#/components/schemas/SettlementRun"}},
        "SettlementRequest":{"type":"object","required":["month"],"properties":{"month":{"type":"string","description":"YYYY-MM, a month that has ended"}}},
        "Payee":{"type":"object","required":["code","name","fen"],"properties":{"code":{"type":"string"},"name":{"type":"string"},"fen":{"type":"integer"}}},
        "Statement":{"type":"object","required":["run","institutions","firms"],"properties":{"run":{"$ref":"#/components/schemas/SettlementRun"},"institutions":{"type":"array","items":{"type":"object","required":["code","name","regionCode","direct","directFen","offsetFen","netFen"],"properties":{"code":{"type":"string"},"name":{"type":"string"},"regionCode":{"type":"string"},"direct":{"type":"array","items":{"$ref":"#/components/schemas/Payee"}},"directFen":{"type":"integer"},"offsetFen":{"type":"integer"},"netFen":{"type":"integer"}}}},"firms":{"type":"array","items":{"type":"object","required":["code","name","institutions","totalFen"],"properties":{"code":{"type":"string"},"name":{"type":"string"},"institutions":{"type":"array","items":{"$ref":"#/components/schemas/Payee"}},"totalFen":{"type":"integer"}}}}}},
        "PrepaymentList":{"type":"array","items":{"type":"object","required":["institutionCode","institutionName","regionCode","yearStart","yearLastDay","agreedFen","prepaymentFen","offsetsFen","recoveredFen","balanceFen"],"properties":{"institutionCode":{"type":"string"},"institutionName":{"type":"string"},"regionCode":{"type":"string"},"yearStart":{"type":"string","format":"date"},"yearLastDay":{"type":"string","format":"date"},"agreedFen":{"type":"integer"},"prepaymentFen":{"type":"integer"},"offsetsFen":{"type":"integer"},"recoveredFen":{"type":"integer"},"balanceFen":{"type":"integer"},"recoveryDeadline":{"type":["string","null"],"format":"date"}}}},
        "PrepaymentRequest":{"type":"object","required":["yearStart"],"properties":{"yearStart":{"type":"string","format":"date"}}},
        "PrepaymentResult":{"type":"object","required":["institutions","totalFen"],"properties":{"institutions":{"type":"integer"},"totalFen":{"type":"integer"}}},
        "CreditList":{"type":"array","items":{"type":"object","required":["firmCode","firmName","party","ticketId","kind","onDate","note"],"properties":{"firmCode":{"type":"string"},"firmName":{"type":"string"},"party":{"type":"string","enum":["manufacturer","distributor"]},"ticketId":{"type":"integer"},"kind":{"type":"string"},"onDate":{"type":"string","format":"date"},"note":{"type":"string"}}}},
        "CodeCaptureRequest":{"type":"object","required":["productCode","date","codes"],"properties":{"productCode":{"type":"string"},"date":{"type":"string","format":"date"},"codes":{"type":"array","maxItems":\(InputLimits.maxCodesPerCapture),"items":{"type":"string","pattern":"^[0-9]{20}$"}}}},
        "CodeCapture":{"type":"object","required":["captured","anomalies"],"properties":{"captured":{"type":"integer"},"anomalies":{"type":"integer"}}},
        "ProductParts":{"type":"object","required":["productCode","specCode","manufacturerCode","manufacturerName","registered","delivered"],"properties":{"productCode":{"type":"string"},"specCode":{"type":"string"},"manufacturerCode":{"type":"string"},"manufacturerName":{"type":"string"},"registered":{"type":"array","items":{"type":"string","pattern":"^[0-9]{7}$"}},"delivered":{"type":"array","items":{"type":"string","pattern":"^[0-9]{7}$"}}}},
        "ProductPartsList":{"type":"array","items":{"$ref":"#/components/schemas/ProductParts"}},
        "ProductPartsRequest":{"type":"object","required":["productCode","parts"],"properties":{"productCode":{"type":"string"},"parts":{"type":"array","maxItems":\(ProductParts.maxParts),"items":{"type":"string","pattern":"^[0-9]{7}$"}}}},
        "CodeAnomalyList":{"type":"array","items":{"type":"object","required":["code","productCode","firstInstitutionCode","firstDate","secondInstitutionCode","secondDate"],"properties":{"code":{"type":"string"},"productCode":{"type":"string"},"firstInstitutionCode":{"type":"string"},"firstDate":{"type":"string","format":"date"},"secondInstitutionCode":{"type":"string"},"secondDate":{"type":"string","format":"date"}}}},
        "PayableList":{"type":"array","items":{"type":"object","required":["deliveryId","orderId","institutionCode","institutionName","regionCode","distributorCode","distributorName","acceptDate","dueDate","amountFen","invoicedFen","paidFen","overdueDays"],"properties":{"deliveryId":{"type":"integer"},"orderId":{"type":"integer"},"institutionCode":{"type":"string"},"institutionName":{"type":"string"},"regionCode":{"type":"string"},"distributorCode":{"type":"string"},"distributorName":{"type":"string"},"acceptDate":{"type":"string","format":"date"},"dueDate":{"type":"string","format":"date"},"amountFen":{"type":"integer"},"invoicedFen":{"type":"integer"},"paidFen":{"type":"integer"},"overdueDays":{"type":"integer"}}}},
        "StatusList":{"type":"array","items":{"type":"object","properties":{"code":{"type":"string"},"name":{"type":"string"},"regionCode":{"type":"string"},"status":{"type":"string"},"specsWithHistory":{"type":"integer"},"blocking":{"type":"integer"}}}}

        }}}
        """
}
