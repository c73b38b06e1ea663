// The moments the core and the server give as RFC 3339 instants
// ("2026-12-07T20:15:00.123Z", or with an offset) shown as a person reads a clock: in
// the phone's time zone (Japan's on a phone set to Japan), to the minute.
import Foundation

/// `instant` in `timeZone` as "yyyy-MM-dd HH:mm"; a text that is no instant is shown as it is.
public func localTimeText(_ instant: String, timeZone: TimeZone = .current) -> String {
    let withFraction = ISO8601DateFormatter()
    withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    let plain = ISO8601DateFormatter()
    plain.formatOptions = [.withInternetDateTime]
    guard let date = withFraction.date(from: instant) ?? plain.date(from: instant) else { return instant }
    let out = DateFormatter()
    out.locale = Locale(identifier: "en_US_POSIX")
    out.calendar = Calendar(identifier: .gregorian)
    out.timeZone = timeZone
    out.dateFormat = "yyyy-MM-dd HH:mm"
    return out.string(from: date)
}
