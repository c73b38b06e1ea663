// The times a person reads ("last sent", "filed"): the core's UTC instants in the
// phone's time zone, to the minute.
import Foundation
import MimamoriKit
import XCTest

final class LocalTimesTests: XCTestCase {
    private let japan = TimeZone(identifier: "Asia/Tokyo")!

    func testAUtcInstantReadsAsJapansClockOnTheNextDay() {
        XCTAssertEqual(localTimeText("2026-12-07T20:15:42.123Z", timeZone: japan), "2026-12-08 05:15")
        XCTAssertEqual(localTimeText("2026-12-07T20:15:42Z", timeZone: japan), "2026-12-08 05:15")
    }

    func testAnInstantWithAnOffsetIsTheSameMoment() {
        XCTAssertEqual(localTimeText("2026-12-08T05:15:00+09:00", timeZone: TimeZone(identifier: "UTC")!), "2026-12-07 20:15")
    }

    func testATextThatIsNoInstantIsShownAsItIs() {
        XCTAssertEqual(localTimeText("yesterday", timeZone: japan), "yesterday")
    }
}
