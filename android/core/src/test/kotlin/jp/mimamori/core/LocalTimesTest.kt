/*
 * The times a person reads ("last sent", "filed at") are the phone's clock time: a UTC
 * instant late in the evening is the next morning in Japan.
 */
package jp.mimamori.core

import java.time.ZoneId
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class LocalTimesTest {
    private val japan = ZoneId.of("Asia/Tokyo")

    @Test
    fun aUtcInstantIsShownInThePhonesZone() {
        assertEquals("2026-12-08 08:30", localTimeText("2026-12-07T23:30:00.123Z", japan))
        assertEquals("2026-12-07 23:30", localTimeText("2026-12-07T23:30:00Z", ZoneId.of("UTC")))
        assertEquals("2026-12-08 08:30", localTimeText("2026-12-08T08:30:59+09:00", japan))
    }

    @Test
    fun aTextThatIsNoInstantIsShownAsItIs() {
        assertEquals("yesterday", localTimeText("yesterday", japan))
    }
}
