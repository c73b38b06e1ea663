/*
 * JUnit 5 tests on the REAL core of the person's data requests screen: a correction
 * without an item is refused on the phone, on the item, with the core's message in the
 * screen's language and no request sent; filing with the server gone gives the offline
 * error, keeps the form and files nothing; only reports the centre holds are offered
 * for a temperature correction, and the request built from the form carries the
 * picked report.
 */
package jp.mimamori.core

import java.nio.file.Path
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.CorrectionField
import uniffi.mobile_core.DataRequestKind
import uniffi.mobile_core.Language

class DataRequestsViewModelTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun aCorrectionWithoutAnItemIsRefusedOnThePhoneOnTheItem(): Unit = SilentUploadServer().use { server ->
        serverCore(dir, server = server.url).use { repo ->
            runBlocking {
                repo.login("a@example.jp", "Hoshi-zora-42").orFail()
                val vm = DataRequestsViewModel(repo, this)
                vm.setKind(DataRequestKind.CORRECTION)
                vm.setValue("見守 花子")
                vm.confirm()
                assertTrue(vm.state.value.confirming)
                vm.send().join()
                val s = vm.state.value
                assertEquals("訂正する項目を選んでください。", s.errorFor("item"))
                assertFalse(s.confirming, "back to the form to choose the item")
                assertNull(s.filed)
                assertNull(s.error)
                assertEquals("見守 花子", s.value, "the form keeps what was typed")
                assertEquals(0, server.uploads.get(), "nothing reached the server")
                // Choosing the item clears the message.
                vm.setItem(CorrectionField.NAME)
                assertNull(vm.state.value.errorFor("item"))
            }
        }
    }

    @Test
    fun theItemsMessageFollowsTheScreensLanguage(): Unit = SilentUploadServer().use { server ->
        serverCore(dir, server = server.url, lang = Language.EN).use { repo ->
            runBlocking {
                repo.login("a@example.jp", "Hoshi-zora-42").orFail()
                val vm = DataRequestsViewModel(repo, this)
                vm.setKind(DataRequestKind.CORRECTION)
                vm.send().join()
                assertEquals("Choose the item to correct.", vm.state.value.errorFor("item"))
            }
        }
    }

    /** Runs [block] on a real core signed in on a server that then went away. */
    private fun signedInThenOffline(block: suspend CoroutineScope.(CoreMimamoriRepository, SilentUploadServer) -> Unit) {
        val server = SilentUploadServer()
        serverCore(dir, server = server.url).use { repo ->
            runBlocking {
                repo.login("a@example.jp", "Hoshi-zora-42").orFail()
                server.close()
                block(repo, server)
            }
        }
    }

    @Test
    fun filingOfflineGivesTheNetworkErrorAndFilesNothing() = signedInThenOffline { repo, _ ->
        val vm = DataRequestsViewModel(repo, this)
        vm.load().join()
        assertTrue(vm.state.value.error is ScreenError.Offline, "${vm.state.value.error}")
        vm.setKind(DataRequestKind.SUSPENSION)
        vm.setNote("使わないでください")
        vm.confirm()
        vm.send().join()
        val s = vm.state.value
        val error = s.error
        assertTrue(error is ScreenError.Offline, "$error")
        assertTrue((error as ScreenError.Offline).reason.isNotBlank())
        assertTrue(error.tryLater)
        assertNull(s.filed)
        assertTrue(s.requests.isEmpty())
        assertEquals(DataRequestKind.SUSPENSION, s.kind)
        assertEquals("使わないでください", s.note, "the form is kept to send again")
    }

    @Test
    fun onlyReportsTheCentreHoldsAreOfferedForATemperature() = signedInThenOffline { repo, _ ->
        // The list of requests is not reachable; the phone's reports are.
        // Saved but never sent: the centre does not hold it, so it is not offered.
        repo.saveReport(reportInput("37.9")).orFail()
        val vm = DataRequestsViewModel(repo, this)
        vm.load().join()
        assertTrue(vm.state.value.reports.isEmpty())
        vm.setKind(DataRequestKind.CORRECTION)
        vm.setItem(CorrectionField.TEMPERATURE)
        vm.pickReport("r-1")
        vm.setValue(" 36.9 ")
        vm.setNote("  ")
        val input = vm.state.value.input
        assertEquals(CorrectionField.TEMPERATURE, input.field)
        assertEquals("r-1", input.reportId)
        assertEquals("36.9", input.value)
        assertNull(input.note)
        // Another item drops the report; another kind sends no item at all.
        vm.setItem(CorrectionField.PHONE)
        assertNull(vm.state.value.input.reportId)
        vm.setKind(DataRequestKind.DISCLOSURE)
        assertNull(vm.state.value.input.field)
        assertNull(vm.state.value.input.value)
    }
}
