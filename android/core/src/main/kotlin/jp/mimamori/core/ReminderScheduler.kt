/*
 * The daily reminder's scheduling, in plain Kotlin: asks the core when the reminder
 * should next ring (its nextReminder: today at the chosen time while someone has not
 * reported, else tomorrow, never after the observation period, never when off) and
 * keeps exactly ONE notification planned through an AlarmPort (WorkManager in the
 * app). Called at start-up, after the reminder rang, after each save and after the
 * reminder's time changed. The clock is injectable, so tests choose the moment.
 */
package jp.mimamori.core

import java.util.TimeZone
import uniffi.mobile_core.ReminderPlan

/** Where the one planned reminder lives (WorkManager or AlarmManager in the app). */
interface AlarmPort {
    /** Plans the reminder for [plan]'s time, replacing any planned one. */
    fun schedule(plan: ReminderPlan)

    /** Removes the planned reminder, if any. */
    fun cancel()
}

/** The phone's clock and its offset from UTC. */
interface Clock {
    /** Now, milliseconds since 1970-01-01 UTC. */
    fun nowMs(): Long

    /** The phone's offset from UTC at [atMs], in minutes (540 in Japan). */
    fun utcOffsetMinutes(atMs: Long): Int
}

/** The device's clock and time zone. */
object SystemClock : Clock {
    override fun nowMs(): Long = System.currentTimeMillis()

    override fun utcOffsetMinutes(atMs: Long): Int = TimeZone.getDefault().getOffset(atMs) / 60_000
}

/** Keeps the one planned reminder in [alarm] as the core decides. */
class ReminderScheduler(
    private val repository: MimamoriRepository,
    private val alarm: AlarmPort,
    private val clock: Clock = SystemClock,
) {
    /**
     * Asks the core for the next reminder and plans it (or removes the planned one when
     * there is none). On a failure the planned reminder is left as it is. Returns what
     * is planned now.
     */
    suspend fun reschedule(): Outcome<ReminderPlan?> {
        val now = clock.nowMs()
        val next = repository.nextReminder(now, clock.utcOffsetMinutes(now))
        if (next is Outcome.Success) {
            val plan = next.value
            if (plan == null) alarm.cancel() else alarm.schedule(plan)
        }
        return next
    }
}
