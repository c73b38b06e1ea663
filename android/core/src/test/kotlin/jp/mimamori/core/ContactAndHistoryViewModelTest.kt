/*
 * JUnit 5 tests on the REAL core of the leaflet's contact and the history: the app
 * opened from the leaflet's link (https, or wrapped in the app's own scheme) stores
 * the centre; another server's link or a link without the centre is refused on the
 * link, with the stored contact unchanged; the number typed and corrected later; the
 * history's temperature chart and each day's answers as the core words them; the
 * household's form refusing an empty field on that field.
 */
package jp.mimamori.core

import java.net.URLEncoder
import java.nio.file.Path
import java.time.LocalDate
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.Language

class ContactAndHistoryViewModelTest {
    @TempDir
    lateinit var dir: Path

    private fun enc(s: String) = URLEncoder.encode(s, Charsets.UTF_8.name())

    private fun leafletLink(server: String = TEST_SERVER) =
        "$server/app?centre=12&name=${enc("みなと保健所")}&tel=${enc("03-1234-5678")}"

    @Test
    fun theLeafletsLinkStoresTheCentre(): Unit = serverCore(dir).use { repo ->
        kotlinx.coroutines.runBlocking {
            val vm = EmergencyContactViewModel(repo, this)
            vm.load().join()
            assertNull(vm.state.value.contact)
            vm.openLink(leafletLink()).join()
            val s = vm.state.value
            assertTrue(s.stored && s.fromLink)
            assertNull(s.fieldError)
            assertEquals("みなと保健所", s.contact?.centreName)
            assertEquals("03-1234-5678", s.phoneNumber)
            assertEquals(s.contact, repo.emergencyContact().orFail())
        }
    }

    @Test
    fun theAppsOwnSchemeCarriesTheSameLink(): Unit = serverCore(dir).use { repo ->
        kotlinx.coroutines.runBlocking {
            val vm = EmergencyContactViewModel(repo, this)
            vm.openLink("mimamori://leaflet?link=${enc(leafletLink())}").join()
            assertEquals("03-1234-5678", repo.emergencyContact().orFail()?.phoneNumber)
            assertEquals(leafletLink(), EmergencyContactViewModel.unwrapAppLink("mimamori://leaflet?link=${enc(leafletLink())}"))
            assertEquals("https://x.example.jp/app?a=1", EmergencyContactViewModel.unwrapAppLink(" https://x.example.jp/app?a=1 "))
        }
    }

    @Test
    fun anotherServersLinkIsRefusedAndChangesNothing(): Unit = serverCore(dir, lang = Language.EN).use { repo ->
        kotlinx.coroutines.runBlocking {
            val vm = EmergencyContactViewModel(repo, this)
            vm.openLink(leafletLink()).join()
            vm.openLink(leafletLink("https://other.example.jp")).join()
            val s = vm.state.value
            assertTrue(s.linkError!!.contains("another server"), s.linkError)
            assertFalse(s.stored)
            assertEquals("03-1234-5678", repo.emergencyContact().orFail()?.phoneNumber, "unchanged")

            vm.openLink("$TEST_SERVER/app?centre=12").join()
            assertNotNull(vm.state.value.linkError)
            vm.openLink("hello").join()
            assertNotNull(vm.state.value.linkError)
            assertEquals("03-1234-5678", repo.emergencyContact().orFail()?.phoneNumber)
        }
    }

    @Test
    fun theNumberIsTypedAndCorrectedLater(): Unit = withOfflineCore(dir) { repo ->
        val vm = EmergencyContactViewModel(repo, this)
        vm.load().join()
        vm.setCentreName("みなと保健所")
        vm.setPhoneNumber("abc")
        vm.save().join()
        assertNotNull(vm.state.value.phoneError)
        assertNull(repo.emergencyContact().orFail())
        vm.setPhoneNumber("03-1234-5678")
        assertNull(vm.state.value.phoneError)
        vm.save().join()
        assertTrue(vm.state.value.stored)

        val later = EmergencyContactViewModel(repo, this)
        later.load().join()
        assertEquals("03-1234-5678", later.state.value.phoneNumber, "the form starts with the stored number")
        later.setPhoneNumber("03-9999-0000")
        later.save().join()
        assertEquals("03-9999-0000", repo.emergencyContact().orFail()?.phoneNumber)
    }

    @Test
    fun theHistoryHasTheChartAndEachDaysAnswers(): Unit = withOfflineCore(dir) { repo ->
        val today = LocalDate.parse(repo.todayStatus().orFail().localDate)
        repo.saveReport(reportInput("37.8", "cough", localDate = today.minusDays(2).toString())).orFail()
        repo.saveReport(reportInput("36.9", localDate = today.minusDays(1).toString())).orFail()
        repo.saveReport(reportInput("36.4")).orFail()
        val vm = HistoryViewModel(repo, this, days = 7)
        vm.load().join()
        val s = vm.state.value
        assertNull(s.error)
        assertEquals(7, s.chart.size)
        assertEquals(today.toString(), s.chart.last().localDate)
        assertEquals(listOf(37.8, 36.9, 36.4), s.chart.mapNotNull { it.celsius })
        assertEquals(3, s.reportedDays.size)
        val twoDaysAgo = s.reportedDays.last()
        val answers = s.answersOf(twoDaysAgo)
        assertEquals(9, answers.size)
        assertTrue(answers[1].question.contains("咳"))
        assertEquals(s.questions[1].options.first { it.code.toInt() == 1 }.label, answers[1].answer)
    }

    @Test
    fun addingAMemberWithAnEmptyFieldIsRefusedOnThatField(): Unit = serverCore(dir).use { repo ->
        kotlinx.coroutines.runBlocking {
            val vm = HouseholdViewModel(repo, this)
            vm.load().join()
            assertEquals(listOf(SELF_PERSON), vm.state.value.people.map { it.view.personId })
            vm.setName("見守 次郎")
            vm.setDateOfBirth("2015-04-01")
            vm.setPhone("")
            vm.setInputId("1234567")
            vm.addMember().join()
            val s = vm.state.value
            assertTrue(s.errorFor("phone") != null || s.error != null, "$s")
            assertEquals(1, s.people.size)
            assertEquals("見守 次郎", s.name, "the form is kept")
        }
    }
}
