/*
 * JUnit 5 tests of the view models on the REAL phone core: CoreMimamoriRepository
 * over the generated binding and libmobile_core.so (through JNA), each on a temporary
 * database. The form saves a report and today's screen shows "call now" with the
 * emergency number; an out-of-range temperature shows the core's field error and
 * keeps the answers; the family check and a damaged database go through too. Every
 * CoreException variant maps to the ScreenError its screen acts on.
 */
package jp.mimamori.core

import java.nio.file.Files
import java.nio.file.Path
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.CoreException
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.Language
import uniffi.mobile_core.Urgency

class CoreMimamoriRepositoryTest {
    @TempDir
    lateinit var dir: Path

    private val centre = EmergencyContact(centreName = "〇〇保健所", phoneNumber = "03-1234-5678")

    /** Runs [block] with a repository on a fresh database, in Japanese. */
    private fun withCore(block: suspend CoroutineScope.(CoreMimamoriRepository) -> Unit) {
        runBlocking {
            val opened = CoreMimamoriRepository.open(dir.resolve("mimamori.db").toString(), Dispatchers.IO) { Language.JA }
            val repo = (opened as? Outcome.Success)?.value ?: error("open failed: $opened")
            repo.use { block(it) }
        }
    }

    private fun ReportFormViewModel.answerAll(vararg yes: String) {
        state.value.questions.forEachIndexed { i, q ->
            answer(i, if (q.id in yes) AnswerChoice.YES else AnswerChoice.NO)
        }
    }

    @Test
    fun reportThenTodayShowsCallNowWithTheEmergencyNumber(): Unit = withCore { repo ->
        assertEquals(Outcome.Success(Unit), repo.setEmergencyContact(centre))

        val form = ReportFormViewModel(repo, this)
        form.load().join()
        val questions = form.state.value.questions
        assertEquals(9, questions.size)
        assertEquals("breathlessness", questions[2].id)
        assertTrue(questions.all { it.text.isNotBlank() && it.options.size == 3 })
        form.setTemperature("38.0")
        form.answerAll("breathlessness")
        form.submit().join()

        val saved = form.state.value
        assertNull(saved.fieldError)
        assertNull(saved.error)
        assertEquals(Urgency.CALL_NOW, saved.advice?.urgency)
        assertEquals(centre, saved.advice?.emergency)

        val today = HomeViewModel(repo, this)
        today.refresh().join()
        val s = today.state.value
        assertNull(s.error)
        assertTrue(s.reportedToday)
        assertEquals(Urgency.CALL_NOW, s.advice?.urgency)
        assertTrue(s.showEmergencyNumber)
        assertEquals("03-1234-5678", s.emergency?.phoneNumber)
        assertTrue(s.advice!!.headline.contains("緊急連絡先"), s.advice!!.headline)
        assertEquals(380.toUShort(), s.latest?.temperatureTenths)
        assertEquals(1L, s.pendingSync)
    }

    @Test
    fun invalidTemperatureShowsTheCoresFieldErrorAndKeepsTheAnswers(): Unit = withCore { repo ->
        val form = ReportFormViewModel(repo, this)
        form.load().join()
        form.setTemperature("43.5")
        form.answerAll("cough")
        val answers = form.state.value.answers
        form.submit().join()

        val s = form.state.value
        assertEquals("temperature", s.fieldError?.field)
        assertFalse(s.temperatureError.isNullOrBlank())
        assertEquals("43.5", s.temperature)
        assertEquals(answers, s.answers)
        assertNull(s.saved)

        val today = HomeViewModel(repo, this)
        today.refresh().join()
        assertFalse(today.state.value.reportedToday)
        assertEquals(0L, today.state.value.pendingSync)
    }

    @Test
    fun familyCheckOnTheRealChecklist(): Unit = withCore { repo ->
        repo.setEmergencyContact(centre)
        val check = UrgentCheckViewModel(repo, this)
        check.load().join()
        val groups = check.state.value.checklist?.groups.orEmpty()
        assertEquals(listOf("appearance", "breathing", "consciousness"), groups.map { it.id })
        check.toggle("purple_lips")
        check.evaluate().join()
        assertEquals(Urgency.CALL_NOW, check.state.value.advice?.urgency)
        assertEquals(centre, check.state.value.emergency)
        assertTrue(check.state.value.advice!!.callInstruction.contains("03-1234-5678"))
    }

    @Test
    fun aFamilyCheckBeforeAnyNumberIsStoredSaysWhereTheNumberIsAnd119(): Unit = withCore { repo ->
        val check = UrgentCheckViewModel(repo, this)
        check.load().join()
        assertNull(check.state.value.emergency)
        check.toggle("unresponsive")
        check.evaluate().join()
        val advice = check.state.value.advice!!
        assertEquals(Urgency.CALL_NOW, advice.urgency)
        assertNull(advice.emergency)
        assertTrue(advice.callInstruction.contains("リーフレット") && advice.callInstruction.contains("119"), advice.callInstruction)
    }

    @Test
    fun theEmulatorsHostAddressIsRefusedByTheCoreAsNotThisDevice(): Unit = runBlocking {
        // Documented in android/README.md: debug builds use 127.0.0.1 with `adb reverse`.
        val refused = CoreMimamoriRepository.openWithServer(dir.resolve("e.db").toString(), "http://10.0.2.2:8080")
        assertEquals("server_url", ((refused as Outcome.Failure).error as ScreenError.Invalid).field)
        val loopback = CoreMimamoriRepository.openWithServer(dir.resolve("l.db").toString(), "http://127.0.0.1:8080")
        (loopback as Outcome.Success).value.close()
    }

    @Test
    fun damagedDatabaseIsReportedAsCorruptAndLeftAlone(): Unit = runBlocking {
        val path = dir.resolve("damaged.db")
        val garbage = ByteArray(4096) { i -> ((i * 31 + 7) % 251).toByte() }
        Files.write(path, garbage)
        assertEquals(Outcome.Failure(ScreenError.Corrupt), CoreMimamoriRepository.open(path.toString()))
        assertArrayEquals(garbage, Files.readAllBytes(path))
    }

    @Test
    fun everyCoreErrorMapsToWhatTheScreenDoes() {
        assertEquals(ScreenError.Invalid("temperature", "r"), CoreException.Invalid("temperature", "r").toScreenError())
        assertEquals(ScreenError.Corrupt, CoreException.Corrupt().toScreenError())
        assertEquals(ScreenError.Storage("d"), CoreException.Storage("d").toScreenError())

        val login = CoreException.Unauthorized("please log in").toScreenError()
        assertEquals(ScreenError.LoginRequired("please log in"), login)
        assertTrue(login.needsLogin)
        assertFalse(login.tryLater)

        val offline = CoreException.Network("no network").toScreenError()
        assertEquals(ScreenError.Offline("no network"), offline)
        assertTrue(offline.tryLater)
        assertFalse(offline.needsLogin)

        assertEquals(ScreenError.Throttled(42L, "wait"), CoreException.Throttled(42uL, "wait").toScreenError())
        assertEquals(Long.MAX_VALUE, (CoreException.Throttled(ULong.MAX_VALUE, "w").toScreenError() as ScreenError.Throttled).retryAfterSeconds)

        val server = CoreException.Server("wrong_code", "the code is wrong").toScreenError()
        assertEquals(ScreenError.Server("wrong_code", "the code is wrong"), server)
        assertFalse(server.needsLogin || server.tryLater)

        assertEquals(ScreenError.SecureConnection("check the date"), CoreException.SecureConnection("check the date").toScreenError())
        assertEquals(ScreenError.NewerData, CoreException.NewerData().toScreenError())
        assertEquals(ScreenError.UpdateRequired("update"), CoreException.UpdateRequired("update").toScreenError())
        assertEquals(ScreenError.Keystore("not initialised"), CoreException.Keystore("not initialised").toScreenError())

        val stopped = CoreException.Cancelled("sending stopped").toScreenError()
        assertEquals(ScreenError.Cancelled("sending stopped"), stopped)
        assertTrue(stopped.tryLater)
        assertFalse(stopped.needsLogin)
    }
}
