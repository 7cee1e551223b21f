// Reads the wait a server asks for: a `Retry-After` header (seconds or HTTP date) or "try again after N seconds".
import Foundation

enum RetryAfter {
    /// Longer waits are clamped to this: nobody waits a day for a reply, so the retry policy (whose cap is far
    /// lower) gives up instead of retrying, and no huge value reaches an integer conversion.
    static let maximum: Duration = .seconds(86_400)

    /// The wait from a `Retry-After` header value, relative to `now`; `nil` when absent or unreadable.
    static func fromHeader(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), !seconds.isNaN, seconds >= 0 {
            return clamped(seconds: seconds)
        }
        for format in httpDateFormats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: value) {
                return clamped(seconds: max(0, date.timeIntervalSince(now)))
            }
        }
        return nil
    }

    /// The wait named in an error message such as "please try again after 7 seconds" or "retry after 1.5s".
    static func fromMessage(_ message: String?) -> Duration? {
        guard let message else { return nil }
        let pattern = /(?i)(?:try again|retry)\s+(?:after|in)\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s\b|secs?\b|seconds?)/
        guard let match = message.firstMatch(of: pattern), let amount = Double(match.output.1) else { return nil }
        let unit = match.output.2.lowercased()
        return clamped(seconds: unit.hasPrefix("m") ? amount / 1000 : amount)
    }

    /// Whole milliseconds, at most `maximum`; infinities included.
    static func clamped(seconds: Double) -> Duration {
        let maximumSeconds = Double(maximum.components.seconds)
        guard seconds.isFinite, seconds < maximumSeconds else { return maximum }
        return .milliseconds(Int64((max(0, seconds) * 1000).rounded()))
    }

    /// IMF-fixdate first, then the two obsolete forms RFC 9110 still asks recipients to accept.
    private static let httpDateFormats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz",
        "EEEE, dd-MMM-yy HH:mm:ss zzz",
        "EEE MMM d HH:mm:ss yyyy",
    ]
}
