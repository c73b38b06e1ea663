/*
 * JUnit 5 tests of what the app's background work decides, on the REAL core: the
 * worker's sync (nothing to do without a session or with an empty queue; a sync the
 * worker stops against a server that never answers gives RETRY with the report still
 * queued; every error's worker result), the reminder's scheduling through the core's
 * nextReminder with an injected clock (today at the time while a report is missing,
 * tomorrow after a save, off, a changed time), and the settings screen (language,
 * reminder, the notice, sign-out warning while reports wait).
 */
package jp.mimamori.core

import java.nio.file.Path
import java.time.LocalDate
import java.time.LocalTime
import java.time.ZoneOffset
import java.util.TimeZone
import kotlin.concurrent.thread
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.Language
import uniffi.mobile_core.MimamoriCore
import uniffi.mobile_core.ReminderPlan
import uniffi.mobile_core.ReminderTime

class BackgroundWorkTest {
    @TempDir
    lateinit var dir: Path

    /** The one planned reminder, as the app's WorkManager port would hold it. */
    private class PlannedAlarm : AlarmPort {
        var planned: ReminderPlan? = null
        override fun schedule(plan: ReminderPlan) { planned = plan }
        override fun cancel() { planned = null }
    }

    /** A clock at [localTime] on the core's today, in the machine's own zone. */
    private class FixedClock(today: LocalDate, localTime: LocalTime) : Clock {
        private val offsetMinutes = TimeZone.getDefault().getOffset(System.currentTimeMillis()) / 60_000
        private val now = today.atTime(localTime).toInstant(ZoneOffset.ofTotalSeconds(offsetMinutes * 60)).toEpochMilli()
        override fun nowMs(): Long = now
        override fun utcOffsetMinutes(atMs: Long): Int = offsetMinutes
        fun at(date: LocalDate, time: LocalTime): Long =
            date.atTime(time).toInstant(ZoneOffset.ofTotalSeconds(offsetMinutes * 60)).toEpochMilli()
    }

    private class MemoryLanguages : LanguageStore {
        var value = AppLanguage.JA
        override fun get() = value
        override fun set(language: AppLanguage) { value = language }
    }

    @Test
    fun withoutASessionTheWorkerSendsNothingAndKeepsTheReport(): Unit = serverCore(dir).use { repo ->
        runBlocking {
            repo.saveReport(reportInput("36.5")).orFail()
            val run = SyncWork(repo).run()
            assertEquals(SyncWorkResult.SUCCESS, run.result)
            assertTrue(run.skipped)
            assertEquals(1L, repo.pendingSyncCount().orFail())
        }
    }

    @Test
    fun aSyncCancelledByTheWorkerIsRetriedLaterWithTheReportQueued(): Unit = SilentUploadServer().use { server ->
        // Each request's own limit 1 s, as in SyncStopTest: a cancel during a request waits for it.
        val core = MimamoriCore.openWithTransport(dir.resolve("w.db").toString(), server.url, UrlConnectionTransport())
        core.setRequestTimeoutMs(1_000uL)
        CoreMimamoriRepository(core, Dispatchers.IO) { Language.JA }.use { repo ->
            runBlocking {
                repo.login("a@example.jp", "Hoshi-zora-42").orFail()
                val work = SyncWork(repo)
                assertEquals(SyncWorkResult.SUCCESS, work.run().result, "an empty queue needs no network")
                assertEquals(0, server.uploads.get())

                repo.saveReport(reportInput("36.5")).orFail()
                val stop = SyncStop()
                val canceller = thread { Thread.sleep(300); stop.cancel() }
                val start = System.nanoTime()
                val run = async(Dispatchers.IO) { work.run(stop, timeLimitMs = 3_000) }.await()
                canceller.join()
                val ms = (System.nanoTime() - start) / 1_000_000
                assertEquals(SyncWorkResult.RETRY, run.result, "${run.error}")
                assertTrue(run.error is ScreenError.Cancelled)
                assertTrue(ms < 3_000, "$ms ms")
                assertEquals(1, server.uploads.get())
                assertEquals(1L, repo.pendingSyncCount().orFail(), "the report stays queued")

                // The system stops the worker: its coroutine is cancelled.
                val job = async(Dispatchers.IO) { work.run(timeLimitMs = 20_000) }
                delay(300)
                val stopAt = System.nanoTime()
                job.cancel()
                runCatching { job.await() }
                val stoppedMs = (System.nanoTime() - stopAt) / 1_000_000
                assertTrue(stoppedMs < 3_000, "$stoppedMs ms")
                assertEquals(1L, repo.pendingSyncCount().orFail())
            }
        }
    }

    @Test
    fun everyErrorHasItsWorkerResult() {
        val work = SyncWork(FailingRepository(offlineCore(dir)), maxAttempts = 3)
        for (e in listOf(ScreenError.Offline("o"), ScreenError.Throttled(5, "t"), ScreenError.Cancelled("c"))) {
            assertEquals(SyncWorkResult.RETRY, work.resultFor(e, 100), "$e")
        }
        assertEquals(SyncWorkResult.RETRY, work.resultFor(ScreenError.Server("unavailable", "s"), 0))
        assertEquals(SyncWorkResult.FAILURE, work.resultFor(ScreenError.Server("unavailable", "s"), 2))
        assertEquals(SyncWorkResult.RETRY, work.resultFor(ScreenError.SecureConnection("date"), 1))
        for (e in listOf(
            ScreenError.LoginRequired("l"), ScreenError.UpdateRequired("u"), ScreenError.Corrupt, ScreenError.Storage("s"),
            ScreenError.NewerData, ScreenError.Keystore("k"), ScreenError.Unexpected("X"), ScreenError.Invalid("f", "r"),
        )) {
            assertEquals(SyncWorkResult.FAILURE, work.resultFor(e, 0), "$e")
        }
    }

    @Test
    fun aFailureReadingTheQueueIsTheWorkersFailureNotACrash(): Unit = runBlocking {
        val repo = offlineCore(dir)
        repo.close()
        val run = SyncWork(repo).run()
        assertEquals(SyncWorkResult.FAILURE, run.result)
        assertTrue(run.error is ScreenError.Unexpected, "${run.error}")
    }

    @Test
    fun theReminderRingsTodayWhileAReportIsMissingThenTomorrow(): Unit = withOfflineCore(dir) { repo ->
        val today = LocalDate.parse(repo.todayStatus().orFail().localDate)
        val clock = FixedClock(today, LocalTime.of(0, 30))
        val alarm = PlannedAlarm()
        val reminders = ReminderScheduler(repo, alarm, clock)

        val first = reminders.reschedule().orFail()
        assertEquals(clock.at(today, LocalTime.of(9, 0)), alarm.planned?.atEpochMs, "9:00 by default, today")
        assertEquals(first, alarm.planned)
        assertTrue(alarm.planned!!.title.contains("みまもり"), alarm.planned!!.title)

        repo.saveReport(reportInput("36.5")).orFail()
        reminders.reschedule()
        assertEquals(clock.at(today.plusDays(1), LocalTime.of(9, 0)), alarm.planned?.atEpochMs, "reported: tomorrow")

        repo.setReminderTime(ReminderTime(20u, 15u)).orFail()
        reminders.reschedule()
        assertEquals(clock.at(today.plusDays(1), LocalTime.of(20, 15)), alarm.planned?.atEpochMs)

        repo.setReminderTime(null).orFail()
        assertNull(reminders.reschedule().orFail())
        assertNull(alarm.planned, "off: nothing planned")
    }

    @Test
    fun aFailureLeavesThePlannedReminderAsItIs(): Unit = withOfflineCore(dir) { core ->
        val repo = FailingRepository(core)
        val alarm = PlannedAlarm()
        val reminders = ReminderScheduler(repo, alarm, SystemClock)
        reminders.reschedule().orFail()
        val planned = alarm.planned
        assertNotNull(planned)
        repo.failNext = ScreenError.Storage("locked")
        assertTrue(reminders.reschedule() is Outcome.Failure)
        assertEquals(planned, alarm.planned)
    }

    @Test
    fun settingsChangeTheReminderTheLanguageAndShowTheNotice(): Unit = runBlocking {
        val languages = MemoryLanguages()
        CoreMimamoriRepository.open(dir.resolve("s.db").toString(), Dispatchers.IO) { languages.value.core }.orFail().use { repo ->
            val alarm = PlannedAlarm()
            val today = LocalDate.parse(repo.todayStatus().orFail().localDate)
            val clock = FixedClock(today, LocalTime.of(0, 30))
            val vm = SettingsViewModel(repo, this, languages, ReminderScheduler(repo, alarm, clock))
            vm.load().join()
            val s = vm.state.value
            assertEquals(AppLanguage.JA, s.language)
            assertEquals(ReminderTime(9u, 0u), s.reminder)
            assertFalse(s.notice!!.paragraphs.isEmpty())
            val japaneseTitle = s.notice!!.title

            vm.setReminder(ReminderTime(7u, 45u)).join()
            assertEquals(ReminderTime(7u, 45u), vm.state.value.reminder)
            assertEquals(clock.at(today, LocalTime.of(7, 45)), alarm.planned?.atEpochMs)

            vm.setReminder(ReminderTime(25u, 0u)).join()
            assertEquals("reminder_time", vm.state.value.fieldError?.field)
            assertEquals(ReminderTime(7u, 45u), repo.reminderTime().orFail(), "a bad time changes nothing")

            vm.setReminder(null).join()
            assertNull(vm.state.value.reminder)
            assertNull(alarm.planned)

            vm.setLanguage(AppLanguage.EN).join()
            assertEquals(AppLanguage.EN, languages.value)
            assertTrue(vm.state.value.notice!!.title != japaneseTitle)
            assertEquals(Language.EN, AppLanguage.fromTag("en-GB").core)
            assertEquals(Language.JA, AppLanguage.fromTag(null).core)
        }
    }

    @Test
    fun signingOutWarnsWhileReportsWaitAndKeepsThem(): Unit = SilentUploadServer().use { server ->
        serverCore(dir, server = server.url).use { repo ->
            runBlocking {
                repo.login("a@example.jp", "Hoshi-zora-42").orFail()
                repo.saveReport(reportInput("36.5")).orFail()
                val vm = SettingsViewModel(repo, this, MemoryLanguages(), ReminderScheduler(repo, PlannedAlarm()))
                vm.load().join()
                vm.requestSignOut().join()
                assertEquals(1L, vm.state.value.signOutWarning)
                assertTrue(repo.isLoggedIn().orFail(), "not yet")
                vm.keepSignedIn()
                assertNull(vm.state.value.signOutWarning)
                vm.requestSignOut().join()
                vm.confirmSignOut().join()
                assertTrue(vm.state.value.signedOut)
                assertFalse(repo.isLoggedIn().orFail())
                assertEquals(1L, repo.pendingSyncCount().orFail(), "the report stays on the phone")
            }
        }
    }
}
