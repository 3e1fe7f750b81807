// The domain error of the error-handling example (type-checked only).
struct PetNotFound: Error {
    let id: Int
}

/// A synchronous library the blocking-work example calls, and that example's input.
enum LegacyReports {
    static func render(id: Int) throws -> String { "report \(id)" }
}

struct ReportInput {
    var reportId: Int
}

let input = ReportInput(reportId: 7)
