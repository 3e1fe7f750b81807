/// `date-time`, `date` and `time` (RFC 3339 section 5.6) and `duration` (RFC 3339 appendix A).
enum DateTimeFormats {
    /// date-time = full-date "T" full-time; "T" and "Z" may be lower case.
    static func isDateTime(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > 10, scalars[10] == "T" || scalars[10] == "t" else { return false }
        return isFullDate(scalars[..<10]) && isFullTime(scalars[11...])
    }

    /// full-date = date-fullyear "-" date-month "-" date-mday, with real month lengths.
    static func isDate(_ text: String) -> Bool {
        isFullDate(Array(text.unicodeScalars)[...])
    }

    /// full-time = partial-time time-offset; the offset is required.
    static func isTime(_ text: String) -> Bool {
        isFullTime(Array(text.unicodeScalars)[...])
    }

    private static func isFullDate(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard text.count == 10,
            let year = number(text, at: 0, digits: 4), separator(text, at: 4, is: "-"),
            let month = number(text, at: 5, digits: 2), separator(text, at: 7, is: "-"),
            let day = number(text, at: 8, digits: 2),
            (1...12).contains(month)
        else { return false }
        return (1...daysIn(month: month, year: year)).contains(day)
    }

    /// partial-time = time-hour ":" time-minute ":" time-second [time-secfrac], then time-offset
    /// = "Z" / ("+" / "-") time-hour ":" time-minute. A leap second (second 60) is only valid at
    /// 23:59 UTC.
    private static func isFullTime(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard text.count >= 9,
            let hour = number(text, at: 0, digits: 2), separator(text, at: 2, is: ":"),
            let minute = number(text, at: 3, digits: 2), separator(text, at: 5, is: ":"),
            let second = number(text, at: 6, digits: 2),
            hour <= 23, minute <= 59, second <= 60
        else { return false }
        var offset = text.dropFirst(8)
        if offset.first == "." {
            let fraction = offset.dropFirst().prefix(while: ABNF.isDigit)
            guard !fraction.isEmpty else { return false }
            offset = offset[fraction.endIndex...]
        }
        guard let offsetMinutes = offsetMinutes(offset) else { return false }
        guard second == 60 else { return true }
        let minutesInDay = 24 * 60
        let utcMinute = ((hour * 60 + minute - offsetMinutes) % minutesInDay + minutesInDay) % minutesInDay
        return utcMinute == minutesInDay - 1
    }

    /// time-offset in minutes east of UTC, or nil if malformed.
    private static func offsetMinutes(_ text: ArraySlice<Unicode.Scalar>) -> Int? {
        if text.count == 1 && (text.first == "Z" || text.first == "z") {
            return 0
        }
        guard text.count == 6, let sign = text.first, sign == "+" || sign == "-",
            let hour = number(text, at: 1, digits: 2), separator(text, at: 3, is: ":"),
            let minute = number(text, at: 4, digits: 2),
            hour <= 23, minute <= 59
        else { return nil }
        return (sign == "+" ? 1 : -1) * (hour * 60 + minute)
    }

    /// duration = "P" (dur-date / dur-time / dur-week). Dates and times are runs of consecutive
    /// designators (Y M D; H M S) such as "P1Y2M" or "PT2M3S" but not "P1Y3D"; a week stands alone.
    static func isDuration(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.first == "P" else { return false }
        let body = scalars.dropFirst()
        let timeStart = body.firstIndex(of: "T")
        let datePart = body[..<(timeStart ?? body.endIndex)]
        guard let date = designators(datePart) else { return false }
        if date == ["W"] {
            return timeStart == nil
        }
        if let timeStart {
            guard let time = designators(body[(timeStart + 1)...]), !time.isEmpty else { return false }
            return areConsecutive(date, in: "YMD") && areConsecutive(time, in: "HMS")
        }
        return !date.isEmpty && areConsecutive(date, in: "YMD")
    }

    /// The designators of a run of `1*DIGIT designator` components, or nil if malformed.
    private static func designators(_ text: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar]? {
        var result: [Unicode.Scalar] = []
        var position = text.startIndex
        while position < text.endIndex {
            let digits = text[position...].prefix(while: ABNF.isDigit)
            guard !digits.isEmpty, digits.endIndex < text.endIndex else { return nil }
            result.append(text[digits.endIndex])
            position = digits.endIndex + 1
        }
        return result
    }

    /// Whether `designators` is a run of consecutive letters of `order` (empty is allowed).
    private static func areConsecutive(_ designators: [Unicode.Scalar], in order: String) -> Bool {
        let order = Array(order.unicodeScalars)
        guard let first = designators.first, let start = order.firstIndex(of: first) else {
            return designators.isEmpty
        }
        return order[start...].starts(with: designators)
    }

    /// The value of exactly `digits` ASCII digits at `offset` from the start of `text`.
    private static func number(_ text: ArraySlice<Unicode.Scalar>, at offset: Int, digits: Int) -> Int? {
        let start = text.startIndex + offset
        guard start + digits <= text.endIndex else { return nil }
        return ABNF.decimalValue(text[start..<(start + digits)])
    }

    private static func separator(
        _ text: ArraySlice<Unicode.Scalar>, at offset: Int, is expected: Unicode.Scalar
    ) -> Bool {
        let position = text.startIndex + offset
        return position < text.endIndex && text[position] == expected
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }
}
