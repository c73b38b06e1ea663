/*
 * JUnit 5 tests of ReportFormViewModel on the REAL core: the question set and kinds as
 * the core words them, the confirm step, a save that lands on disk and gives the
 * core's advice, refused fields shown beside that field with the form kept, a full
 * disk (injected) and a double tap while saving, whose report it is, and a failure the
 * binding did not foresee shown as a message.
 */
package jp.mimamori.core

import java.nio.file.Path
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.SavedReport
import uniffi.mobile_core.Urgency

class ReportFormViewModelTest {
    @TempDir
    lateinit var dir: Path

    private fun ReportFormViewModel.answerAll(vararg yes: String) {
        state.value.questions.forEachIndexed { i, q -> answer(i, if (q.id in yes) AnswerChoice.YES else AnswerChoice.NO) }
    }

    @Test
    fun loadsTheCoresQuestionSetAndKinds(): Unit = withOfflineCore(dir) { repo ->
        val vm = ReportFormViewModel(repo, this)
        assertTrue(vm.state.value.loading)
        vm.load().join()
        val s = vm.state.value
        assertFalse(s.loading)
        assertNull(s.error)
        assertEquals(9, s.questions.size)
        assertEquals("face", s.questions.first().id)
        assertTrue(s.questions[1].text.contains("咳"), s.questions[1].text)
        assertEquals(List(9) { null }, s.answers)
        assertEquals(listOf(PersonKind.INFECTED, PersonKind.CLOSE_CONTACT, PersonKind.AWAITING_RESULT), s.kinds.map { it.kind })
        assertEquals("感染者", s.kindLabel)
        assertEquals(SELF_PERSON, s.people.single().personId)
    }

    @Test
    fun theConfirmStepShowsTheAnswersThenTheSaveGivesTheAdviceAndTellsTheApp(): Unit = withOfflineCore(dir) { repo ->
        val savedReports = mutableListOf<SavedReport>()
        val vm = ReportFormViewModel(repo, this, afterSave = { savedReports += it })
        vm.load().join()
        vm.setTemperature("36.6")
        vm.answerAll()
        vm.review()
        val review = vm.state.value
        assertTrue(review.confirming)
        assertEquals(review.questions[1].options.first { it.choice == AnswerChoice.NO }.label, review.answerLabel(1))
        assertEquals(9, (0 until 9).mapNotNull { review.answerLabel(it) }.size)
        assertNull(review.saved, "nothing is saved before the confirm button")
        assertFalse(repo.todayStatus().orFail().reportedToday)

        vm.edit()
        assertFalse(vm.state.value.confirming)
        vm.review()
        vm.submit().join()

        val s = vm.state.value
        assertFalse(s.confirming)
        assertEquals(Urgency.NO_ACTION, s.advice?.urgency)
        assertFalse(s.advice!!.headline.isBlank())
        assertEquals(1, savedReports.size)
        val today = repo.todayStatus().orFail()
        assertTrue(today.reportedToday)
        assertEquals(savedReports.single().reportId, today.latest?.reportId)
        assertEquals(366.toUShort(), today.latest?.temperatureTenths)
        assertEquals(1L, repo.pendingSyncCount().orFail(), "saved offline, waiting to be sent")
    }

    @Test
    fun callNowAdviceCarriesTheNumberToTap(): Unit = withOfflineCore(dir) { repo ->
        repo.setEmergencyContact(uniffi.mobile_core.EmergencyContact("みなと保健所", "03-1234-5678")).orFail()
        val vm = ReportFormViewModel(repo, this)
        vm.load().join()
        vm.setTemperature("38.2")
        vm.answerAll("breathlessness")
        vm.submit().join()
        val advice = vm.state.value.advice!!
        assertEquals(Urgency.CALL_NOW, advice.urgency)
        assertTrue(advice.showEmergencyNumber)
        assertEquals("03-1234-5678", advice.emergency?.phoneNumber)
        assertTrue(advice.callInstruction.contains("03-1234-5678"), advice.callInstruction)
    }

    @Test
    fun aRefusedTemperatureIsShownOnItsFieldAndTheFormIsKept(): Unit = withOfflineCore(dir) { repo ->
        val vm = ReportFormViewModel(repo, this)
        vm.load().join()
        vm.setTemperature("43.5")
        vm.answerAll("cough")
        val answers = vm.state.value.answers
        vm.review()
        vm.submit().join()

        val s = vm.state.value
        assertFalse(s.confirming, "back on the form")
        assertEquals("temperature", s.fieldError?.field)
        assertFalse(s.temperatureError.isNullOrBlank())
        assertNull(s.formError)
        assertEquals("43.5", s.temperature)
        assertEquals(answers, s.answers)
        assertNull(s.saved)
        assertFalse(repo.todayStatus().orFail().reportedToday)

        vm.setTemperature("37.0")
        assertNull(vm.state.value.temperatureError, "typing clears the message")
    }

    @Test
    fun aMissingAnswerIsShownOnThatQuestion(): Unit = withOfflineCore(dir) { repo ->
        val vm = ReportFormViewModel(repo, this)
        vm.load().join()
        vm.setTemperature("36.5")
        vm.state.value.questions.forEachIndexed { i, q -> if (q.id != "fatigue") vm.answer(i, AnswerChoice.NO) }
        vm.submit().join()
        val s = vm.state.value
        assertNotNull(s.answerError("fatigue"), "${s.fieldError}")
        assertNull(s.answerError("cough"))
        assertEquals(0L, repo.pendingSyncCount().orFail())
        vm.answer(3, AnswerChoice.UNKNOWN)
        assertNull(vm.state.value.answerError("fatigue"))
    }

    @Test
    fun aFullDiskIsShownAndNothingTypedIsLost(): Unit = withOfflineCore(dir) { core ->
        val repo = FailingRepository(core)
        val vm = ReportFormViewModel(repo, this)
        vm.load().join()
        vm.setTemperature("36.5")
        vm.answerAll()
        repo.failNext = ScreenError.Storage("disk full")
        vm.submit().join()
        val s = vm.state.value
        assertEquals(ScreenError.Storage("disk full"), s.error)
        assertNull(s.fieldError)
        assertEquals("36.5", s.temperature)
        assertFalse(core.todayStatus().orFail().reportedToday)
        vm.submit().join()
        assertTrue(core.todayStatus().orFail().reportedToday, "the same form saves once the disk has room")
    }

    @Test
    fun aSecondTapWhileSavingSavesOnce(): Unit = withOfflineCore(dir) { core ->
        val repo = FailingRepository(core)
        val gate = CompletableDeferred<Unit>()
        repo.saveGate = gate
        val vm = ReportFormViewModel(repo, this)
        vm.load().join()
        vm.setTemperature("36.5")
        vm.answerAll()
        val first = vm.submit()
        yield()
        assertTrue(vm.state.value.saving)
        vm.submit().join()
        gate.complete(Unit)
        first.join()
        assertEquals(1, repo.saves)
        assertEquals(1u, core.history(SELF_PERSON, 1).orFail().single().reportsThatDay)
    }

    @Test
    fun theKindStartsAsTodaysLastReportAndStartNewClearsTheForm(): Unit = withOfflineCore(dir) { repo ->
        val first = ReportFormViewModel(repo, this)
        first.load().join()
        first.selectKind(PersonKind.CLOSE_CONTACT)
        first.setTemperature("36.5")
        first.answerAll()
        first.submit().join()
        first.startNew()
        assertEquals("", first.state.value.temperature)
        assertEquals(List(9) { null }, first.state.value.answers)
        assertNull(first.state.value.saved)

        val second = ReportFormViewModel(repo, this)
        second.load().join()
        assertEquals(PersonKind.CLOSE_CONTACT, second.state.value.kind)
    }

    @Test
    fun aClosedCoreIsAnUnexpectedErrorNotACrash(): Unit = runBlocking {
        val repo = offlineCore(dir)
        repo.close()
        val vm = ReportFormViewModel(repo, this)
        vm.load().join()
        val s = vm.state.value
        assertFalse(s.loading)
        assertTrue(s.error is ScreenError.Unexpected, "${s.error}")
        vm.setTemperature("36.5")
        vm.submit().join()
        assertTrue(vm.state.value.error is ScreenError.Unexpected)
    }
}
