/*
 * JUnit 5 tests of HomeViewModel and UrgentCheckViewModel on the REAL core: home
 * before and after a report (reported today, the advice, reports waiting, the
 * contact for the call button), failures the real core produces (injected: a damaged
 * database, an ended session, no network) shown without losing anything, and the
 * family's check on the leaflet's 13 signs in 3 groups — any sign gives the number,
 * or where to find it and 119.
 */
package jp.mimamori.core

import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.EmergencyContact
import uniffi.mobile_core.Language
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.Urgency

class HomeAndUrgentViewModelTest {
    @TempDir
    lateinit var dir: Path

    private val centre = EmergencyContact(centreName = "みなと保健所", phoneNumber = "03-1234-5678")

    @Test
    fun homeBeforeAnyReport(): Unit = withOfflineCore(dir) { repo ->
        val home = HomeViewModel(repo, this)
        home.refresh().join()
        val s = home.state.value
        assertNull(s.error)
        assertFalse(s.reportedToday)
        assertNull(s.advice)
        assertNull(s.emergency)
        assertEquals(0L, s.pendingSync)
        assertNull(s.lastSentAt)
        assertTrue(s.failed.isEmpty())
        assertFalse(s.canRetry)
        assertEquals(SELF_PERSON, s.person?.personId)
    }

    @Test
    fun homeAfterAReportShowsTheAdviceTheQueueAndTheNumberToCall(): Unit = withOfflineCore(dir) { repo ->
        repo.setEmergencyContact(centre).orFail()
        repo.saveReport(reportInput("38.4", "breathlessness")).orFail()
        val home = HomeViewModel(repo, this)
        home.refresh().join()
        val s = home.state.value
        assertTrue(s.reportedToday)
        assertEquals(Urgency.CALL_NOW, s.advice?.urgency)
        assertTrue(s.showEmergencyNumber)
        assertEquals(centre, s.emergency)
        assertEquals(1L, s.pendingSync)
        assertEquals(384.toUShort(), s.latest?.temperatureTenths)
    }

    @Test
    fun aDamagedDatabaseAnEndedSessionAndNoNetworkAreShownAndNothingIsLost(): Unit = withOfflineCore(dir) { core ->
        core.saveReport(reportInput("36.5")).orFail()
        val repo = FailingRepository(core)
        val home = HomeViewModel(repo, this)

        repo.failNext = ScreenError.Corrupt
        home.refresh().join()
        assertEquals(ScreenError.Corrupt, home.state.value.error)

        repo.failNext = ScreenError.LoginRequired("ログインしてください")
        home.refresh().join()
        assertTrue(home.state.value.needsLogin)

        repo.failNext = ScreenError.Offline("オフライン")
        home.syncNow().join()
        val s = home.state.value
        assertEquals(ScreenError.Offline("オフライン"), s.syncError)
        assertTrue(s.canRetry)
        assertFalse(s.syncing)
        assertEquals(1L, s.pendingSync, "the report still waits")
        assertTrue(s.reportedToday)
    }

    @Test
    fun syncingWithoutAnAccountAsksForTheLogin(): Unit = serverCore(dir).use { repo ->
        kotlinx.coroutines.runBlocking {
            repo.saveReport(reportInput("36.5")).orFail()
            val home = HomeViewModel(repo, this)
            home.syncNow().join()
            val s = home.state.value
            assertTrue(s.needsLogin, "${s.syncError}")
            assertEquals(1L, s.pendingSync)
        }
    }

    @Test
    fun theFamilysCheckHasTheLeafletsThirteenSignsInThreeGroups(): Unit = withOfflineCore(dir) { repo ->
        repo.setEmergencyContact(centre).orFail()
        val check = UrgentCheckViewModel(repo, this)
        check.load().join()
        val list = check.state.value.checklist!!
        assertEquals(listOf("表情・外見", "息苦しさ等", "意識障害等"), list.groups.map { it.title })
        assertEquals(13, list.groups.sumOf { it.symptoms.size })
        assertTrue(list.groups.flatMap { it.symptoms }.any { it.judgedByFamily }, "※ marks")
        assertTrue(list.footnote.contains("※"))

        check.evaluate().join()
        assertEquals(Urgency.NO_ACTION, check.state.value.advice?.urgency)
        for (symptom in list.groups.flatMap { it.symptoms }) {
            check.toggle(symptom.id)
            check.evaluate().join()
            val advice = check.state.value.advice!!
            assertEquals(Urgency.CALL_NOW, advice.urgency, symptom.id)
            assertTrue(advice.showEmergencyNumber)
            assertEquals(centre, advice.emergency)
            check.toggle(symptom.id)
        }
    }

    @Test
    fun aCloseContactWithACoughIsToldToCall(): Unit = withOfflineCore(dir) { repo ->
        val check = UrgentCheckViewModel(repo, this)
        check.load().join()
        check.setKind(PersonKind.CLOSE_CONTACT)
        check.setCough(true)
        check.evaluate().join()
        val advice = check.state.value.advice!!
        assertEquals(Urgency.CALL_NOW, advice.urgency)
        assertTrue(advice.callInstruction.contains("119"), advice.callInstruction)
    }

    @Test
    fun theFamilyStoresTheNumberAndABadNumberIsRefusedOnItsField(): Unit = withOfflineCore(dir, Language.EN) { repo ->
        val check = UrgentCheckViewModel(repo, this)
        check.load().join()
        check.saveContact("Minato health centre", "call me").join()
        assertEquals("phone_number", check.state.value.contactError?.field)
        assertNull(repo.emergencyContact().orFail())
        check.saveContact("Minato health centre", "03-1234-5678").join()
        assertNull(check.state.value.contactError)
        assertEquals("03-1234-5678", check.state.value.emergency?.phoneNumber)
        assertEquals("03-1234-5678", repo.emergencyContact().orFail()?.phoneNumber)
    }
}
