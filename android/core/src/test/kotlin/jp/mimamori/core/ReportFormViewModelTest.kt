/*
 * JUnit 5 tests of ReportFormViewModel against FakeMimamoriRepository: loading the
 * question set, saving and showing the advice, a refused field shown beside that
 * field with the form kept, a storage failure, and a double tap while saving.
 */
package jp.mimamori.core

import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.Urgency

class ReportFormViewModelTest {
    private val centre = EmergencyContact(centreName = "〇〇保健所", phoneNumber = "03-1234-5678")

    private fun scenario(block: suspend CoroutineScope.() -> Unit) {
        runBlocking { block() }
    }

    /** Answers every question "no", except the question ids in [yes]. */
    private fun ReportFormViewModel.answerAll(vararg yes: String) {
        state.value.questions.forEachIndexed { i, q ->
            answer(i, if (q.id in yes) AnswerChoice.YES else AnswerChoice.NO)
        }
    }

    @Test
    fun loadsTheQuestionSetFromTheRepository(): Unit = scenario {
        val vm = ReportFormViewModel(FakeMimamoriRepository(), this)
        assertTrue(vm.state.value.loading)
        vm.load().join()
        val s = vm.state.value
        assertFalse(s.loading)
        assertEquals(FakeMimamoriRepository.QUESTION_IDS, s.questions.map { it.id })
        assertEquals(List(9) { null }, s.answers)
        assertEquals(3, s.kinds.size)
        assertEquals(PersonKind.INFECTED, s.kind)
        assertNull(s.advice)
    }

    @Test
    fun kindStartsAsTodaysLastReportKind(): Unit = scenario {
        val repo = FakeMimamoriRepository()
        val first = ReportFormViewModel(repo, this)
        first.load().join()
        first.selectKind(PersonKind.CLOSE_CONTACT)
        first.setTemperature("36.5")
        first.answerAll()
        first.submit().join()

        val next = ReportFormViewModel(repo, this)
        next.load().join()
        assertEquals(PersonKind.CLOSE_CONTACT, next.state.value.kind)
    }

    @Test
    fun submitSavesAndExposesTheAdvice(): Unit = scenario {
        val repo = FakeMimamoriRepository(contact = centre)
        val vm = ReportFormViewModel(repo, this)
        vm.load().join()
        vm.setTemperature("38.0")
        vm.answerAll("breathlessness")
        vm.submit().join()

        val s = vm.state.value
        assertFalse(s.saving)
        assertNull(s.fieldError)
        val advice = checkNotNull(s.advice) { "advice after save" }
        assertEquals(Urgency.CALL_NOW, advice.urgency)
        assertTrue(advice.showEmergencyNumber)
        assertEquals(centre, advice.emergency)
        assertEquals(1, repo.saved.size)
        assertEquals(380.toUShort(), repo.saved.single().temperatureTenths)
        assertEquals(PersonKind.INFECTED, repo.saved.single().kind)
    }

    @Test
    fun invalidTemperatureShowsTheFieldErrorAndKeepsTheForm(): Unit = scenario {
        val repo = FakeMimamoriRepository()
        val vm = ReportFormViewModel(repo, this)
        vm.load().join()
        vm.setTemperature("43.5")
        vm.answerAll("cough")
        val answers = vm.state.value.answers
        vm.submit().join()

        val s = vm.state.value
        assertEquals("temperature", s.fieldError?.field)
        assertNotNull(s.temperatureError)
        assertNull(s.formError)
        assertNull(s.answerError("cough"))
        assertEquals("43.5", s.temperature)
        assertEquals(answers, s.answers)
        assertNull(s.saved)
        assertTrue(repo.saved.isEmpty())

        vm.setTemperature("37.0")
        assertNull(vm.state.value.temperatureError)
        assertEquals(answers, vm.state.value.answers)
        vm.submit().join()
        assertEquals(Urgency.WATCH, vm.state.value.advice?.urgency)
    }

    @Test
    fun missingAnswerIsShownOnThatQuestion(): Unit = scenario {
        val vm = ReportFormViewModel(FakeMimamoriRepository(), this)
        vm.load().join()
        vm.setTemperature("36.5")
        vm.state.value.questions.forEachIndexed { i, q -> if (q.id != "fatigue") vm.answer(i, AnswerChoice.NO) }
        vm.submit().join()

        val s = vm.state.value
        assertNotNull(s.answerError("fatigue"))
        assertNull(s.answerError("cough"))
        assertNull(s.temperatureError)
        assertEquals("36.5", s.temperature)

        vm.answer(s.questions.indexOfFirst { it.id == "fatigue" }, AnswerChoice.UNKNOWN)
        assertNull(vm.state.value.answerError("fatigue"))
    }

    @Test
    fun storageFailureShowsAScreenErrorAndKeepsTheForm(): Unit = scenario {
        val repo = FakeMimamoriRepository()
        val vm = ReportFormViewModel(repo, this)
        vm.load().join()
        vm.setTemperature("36.8")
        vm.answerAll()
        repo.failNext = ScreenError.Storage("disk full")
        vm.submit().join()

        val s = vm.state.value
        assertEquals(ScreenError.Storage("disk full"), s.error)
        assertNull(s.fieldError)
        assertEquals("36.8", s.temperature)
        assertEquals(List(9) { AnswerChoice.NO }, s.answers)

        vm.submit().join()
        assertNull(vm.state.value.error)
        assertEquals(Urgency.NO_ACTION, vm.state.value.advice?.urgency)
        assertEquals(1, repo.saved.size)
    }

    @Test
    fun secondTapWhileSavingIsIgnored(): Unit = scenario {
        val repo = FakeMimamoriRepository()
        val gate = CompletableDeferred<Unit>()
        repo.saveGate = gate
        val vm = ReportFormViewModel(repo, this)
        vm.load().join()
        vm.setTemperature("36.5")
        vm.answerAll()

        val first = vm.submit()
        yield()
        assertTrue(vm.state.value.saving)
        val second = vm.submit()
        assertTrue(second.isCompleted)
        gate.complete(Unit)
        first.join()

        assertFalse(vm.state.value.saving)
        assertEquals(1, repo.saved.size)
    }

    @Test
    fun startNewClearsTheForm(): Unit = scenario {
        val vm = ReportFormViewModel(FakeMimamoriRepository(), this)
        vm.load().join()
        vm.setTemperature("36.5")
        vm.answerAll()
        vm.submit().join()
        assertNotNull(vm.state.value.saved)

        vm.startNew()
        val s = vm.state.value
        assertNull(s.saved)
        assertEquals("", s.temperature)
        assertEquals(List(9) { null }, s.answers)
        assertEquals(PersonKind.INFECTED, s.kind)
    }
}
