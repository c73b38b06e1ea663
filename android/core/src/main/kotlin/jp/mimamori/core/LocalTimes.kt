/*
 * The moments the core and the server give as RFC 3339 instants ("2026-12-07T08:15:00.123Z",
 * or with an offset) shown as a person reads a clock: in the phone's time zone (Japan's
 * on a phone set to Japan), to the minute.
 */
package jp.mimamori.core

import java.time.OffsetDateTime
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException

private val MINUTES: DateTimeFormatter = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")

/** [instant] in [zone] as "yyyy-MM-dd HH:mm"; a text that is no instant is shown as it is. */
fun localTimeText(instant: String, zone: ZoneId = ZoneId.systemDefault()): String = try {
    OffsetDateTime.parse(instant).atZoneSameInstant(zone).format(MINUTES)
} catch (e: DateTimeParseException) {
    instant
}
