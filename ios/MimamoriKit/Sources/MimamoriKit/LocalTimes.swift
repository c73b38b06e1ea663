// The moments the core and the server give as RFC 3339 instants
// ("2026-12-07T20:15:00.123Z", or with an offset) shown as a person reads a clock: in
// the phone's time zone (Japan's on a phone set to Japan), to the minute.
import Foundation

/// `instant` in `timeZone` as "yyyy-MM-dd HH:mm"; a text that is no instant is shown as it is.
public func localTimeText(_ instant: String, timeZone: TimeZone = .current) -> String {
    guard let date = Instants.withFraction.date(from: instant) ?? Instants.plain.date(from: instant) else { return instant }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
}

/// The parsers, made once (a view's body asks on every render).
private enum Instants {
    nonisolated(unsafe) static let withFraction: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()

    nonisolated(unsafe) static let plain: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f
    }()
}
