/// Proactive negotiation (RFC 9110 §12.5.1): which of the media types an operation answers
/// in suits a request's `Accept` best.
enum ContentNegotiation {
    /// The offer the `Accept` values prefer: the highest quality, the server's order among
    /// equals; nil when every offer is refused (`q=0`, or matched by no range). A request
    /// without `Accept` takes the first offer.
    static func choose(_ offers: [String], accept headers: [String]) -> String? {
        guard !headers.isEmpty else { return offers.first }
        let ranges = headers.flatMap(parse)
        guard !ranges.isEmpty else { return offers.first }
        var best: (offer: String, quality: Double)?
        for offer in offers {
            let type = offer.lowercased()
            let major = type.prefix { $0 != "/" }
            // The most specific range that matches the offer decides its quality.
            var specificity = -1
            var quality = 0.0
            for range in ranges {
                let rank: Int
                if range.type == type {
                    rank = 2
                } else if range.type == major + "/*" {
                    rank = 1
                } else if range.type == "*/*" {
                    rank = 0
                } else {
                    continue
                }
                if rank > specificity || (rank == specificity && range.quality > quality) {
                    specificity = rank
                    quality = range.quality
                }
            }
            if specificity >= 0, quality > 0, quality > (best?.quality ?? 0) { best = (offer, quality) }
        }
        return best?.offer
    }

    /// `text/csv;q=0.5, application/json` → the ranges with their qualities (1 unless said);
    /// a malformed quality is 0, a malformed range is skipped.
    static func parse(_ header: String) -> [(type: String, quality: Double)] {
        header.split(separator: ",").compactMap { element in
            let parts = element.split(separator: ";")
            guard let first = parts.first else { return nil }
            let type = first.trimmingSpaces.lowercased()
            guard type.contains("/") else { return nil }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingSpaces.lowercased() == "q" else { continue }
                let value = Double(pair[1].trimmingSpaces) ?? 0
                quality = (0...1).contains(value) ? value : 0
            }
            return (type, quality)
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
