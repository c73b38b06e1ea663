/*
 * JUnit 5 tests of TodayViewModel and UrgentCheckViewModel against
 * FakeMimamoriRepository: today before and after a report, a damaged database, the
 * family's check with its emergency number, and storing the number from the leaflet;
 * a session that ended sends today's screen to login, being offline or throttled shows
 * a notice and loses nothing, and a server refusal shows its reason.
 */
package jp.mimamori.core

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.Urgency

class TodayAndUrgentViewModelTest {
    private val centre = EmergencyContact(centreName = "〇〇保健所", phoneNumber = "03-1234-5678")

    private fun scenario(block: suspend CoroutineScope.() -> Unit) {
        runBlocking { block() }
    }

    private fun report(temperature: String, breathless: Boolean) = ReportInput(
        personId = SELF_PERSON,
        localDate = null,
        kind = PersonKind.INFECTED,
        temperature = temperature,
        answers = List(9) { i -> if (breathless && i == 2) AnswerChoice.YES else AnswerChoice.NO },
    )

    @Test
    fun todayBeforeAnyReport(): Unit = scenario {
        val vm = TodayViewModel(FakeMimamoriRepository(contact = centre), this)
        vm.refresh().join()
        val s = vm.state.value
        assertFalse(s.loading)
        assertFalse(s.reportedToday)
        assertNull(s.advice)
        assertFalse(s.showEmergencyNumber)
        assertEquals(0L, s.pendingSync)
        assertEquals(centre, s.emergency)
    }

    @Test
    fun todayShowsTheLatestAdviceAndTheBacklog(): Unit = scenario {
        val repo = FakeMimamoriRepository(contact = centre)
        repo.saveReport(report("36.5", breathless = false))
        repo.saveReport(report("38.2", breathless = true))
        val vm = TodayViewModel(repo, this)
        vm.refresh().join()

        val s = vm.state.value
        assertTrue(s.reportedToday)
        assertEquals(Urgency.CALL_NOW, s.advice?.urgency)
        assertTrue(s.showEmergencyNumber)
        assertEquals("03-1234-5678", s.emergency?.phoneNumber)
        assertEquals(382.toUShort(), s.latest?.temperatureTenths)
        assertEquals(2L, s.pendingSync)
    }

    @Test
    fun todayShowsADamagedDatabase(): Unit = scenario {
        val repo = FakeMimamoriRepository()
        repo.failNext = ScreenError.Corrupt
        val vm = TodayViewModel(repo, this)
        vm.refresh().join()
        assertEquals(ScreenError.Corrupt, vm.state.value.error)
        assertFalse(vm.state.value.loading)
    }

    @Test
    fun familyCheckGivesTheEmergencyNumber(): Unit = scenario {
        val repo = FakeMimamoriRepository(contact = centre)
        val vm = UrgentCheckViewModel(repo, this)
        vm.load().join()
        assertEquals(3, vm.state.value.checklist?.groups?.size)
        assertEquals(centre, vm.state.value.emergency)

        vm.toggle("chest_pain")
        vm.toggle("purple_lips")
        vm.evaluate().join()
        val advice = checkNotNull(vm.state.value.advice) { "advice after evaluate" }
        assertEquals(Urgency.CALL_NOW, advice.urgency)
        assertTrue(advice.showEmergencyNumber)
        assertEquals(centre, advice.emergency)
        // Sent in the leaflet's order, whatever the order of the ticks.
        assertEquals(listOf("purple_lips", "chest_pain"), repo.checked.single().symptomIds)
        assertNull(repo.checked.single().kind)

        vm.toggle("chest_pain")
        assertNull(vm.state.value.advice)
        assertEquals(setOf("purple_lips"), vm.state.value.ticked)
    }

    @Test
    fun closeContactWithCoughIsToldToCall(): Unit = scenario {
        val vm = UrgentCheckViewModel(FakeMimamoriRepository(contact = centre), this)
        vm.load().join()
        vm.setKind(PersonKind.CLOSE_CONTACT)
        vm.evaluate().join()
        assertEquals(Urgency.NO_ACTION, vm.state.value.advice?.urgency)
        vm.setCough(true)
        vm.evaluate().join()
        assertEquals(Urgency.CALL_NOW, vm.state.value.advice?.urgency)
    }

    @Test
    fun familyStoresTheNumberFromTheLeaflet(): Unit = scenario {
        val repo = FakeMimamoriRepository()
        val vm = UrgentCheckViewModel(repo, this)
        vm.load().join()
        assertNull(vm.state.value.emergency)

        vm.saveContact("〇〇保健所", "03-12x4").join()
        assertEquals("phone_number", vm.state.value.contactError?.field)
        assertNull(vm.state.value.emergency)

        vm.saveContact("〇〇保健所", "03-1234-5678").join()
        assertNull(vm.state.value.contactError)
        assertEquals(centre, vm.state.value.emergency)
        assertEquals(centre, repo.contact)
    }

    @Test
    fun anEndedSessionSendsTodayToLoginAndKeepsTheReports(): Unit = scenario {
        val repo = FakeMimamoriRepository(contact = centre)
        repo.saveReport(report("36.8", breathless = false))
        repo.failNext = ScreenError.LoginRequired("fake: log in")
        val vm = TodayViewModel(repo, this)
        vm.refresh().join()
        assertTrue(vm.state.value.needsLogin)
        assertEquals(ScreenError.LoginRequired("fake: log in"), vm.state.value.error)
        assertEquals(1, repo.saved.size)

        vm.refresh().join()
        assertFalse(vm.state.value.needsLogin)
        assertNull(vm.state.value.error)
        assertEquals(1L, vm.state.value.pendingSync)
    }

    @Test
    fun offlineAndThrottledAreNoticesThatLoseNothing(): Unit = scenario {
        val repo = FakeMimamoriRepository(contact = centre)
        repo.saveReport(report("37.9", breathless = true))
        val vm = TodayViewModel(repo, this)
        for (error in listOf(ScreenError.Offline("fake: offline"), ScreenError.Throttled(30, "fake: wait"))) {
            repo.failNext = error
            vm.refresh().join()
            val s = vm.state.value
            assertEquals(error, s.error)
            assertTrue(s.error!!.tryLater)
            assertFalse(s.needsLogin)
            assertEquals(1, repo.saved.size)
        }
        assertEquals(30L, (vm.state.value.error as ScreenError.Throttled).retryAfterSeconds)
        vm.refresh().join()
        assertNull(vm.state.value.error)
        assertEquals(Urgency.CALL_NOW, vm.state.value.advice?.urgency)
        assertEquals(1L, vm.state.value.pendingSync)
    }

    @Test
    fun aServerRefusalIsShownWithItsReason(): Unit = scenario {
        val repo = FakeMimamoriRepository()
        val check = UrgentCheckViewModel(repo, this)
        check.load().join()
        repo.failNext = ScreenError.Server("unavailable", "fake: try later")
        check.saveContact(centre.centreName, centre.phoneNumber).join()
        val s = check.state.value
        assertEquals(ScreenError.Server("unavailable", "fake: try later"), s.error)
        assertNull(s.contactError)
        assertNull(repo.contact)
    }
}
