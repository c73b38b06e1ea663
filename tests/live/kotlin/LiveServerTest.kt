/**
 * JUnit 5 tests of the generated Kotlin binding against the LIVE backend server that
 * tests/live/run.sh started: the calls the Android app makes for first registration
 * (request code → code from the mail folder → verify → password → attributes), saving
 * three reports offline-first, uploading them with syncNow and reading syncStatus.
 * A wrong verification code and an unreachable server give the core's Server and
 * Network errors. HTTP goes through the Android shell's UrlConnectionTransport. The
 * script passes the server, the case's input ID and attributes and the mail folder in
 * MIMAMORI_LIVE_* variables, and checks afterwards through the staff API that the case
 * holds exactly the three reports. Never prints a code or password.
 */
package mimamori.live

import java.nio.file.Path
import java.util.UUID
import jp.mimamori.core.UrlConnectionTransport
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.CoreException
import uniffi.mobile_core.Language
import uniffi.mobile_core.MimamoriCore
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.Urgency

class LiveServerTest {
    @TempDir
    lateinit var dir: Path

    private fun env(name: String): String = liveEnv(name)

    private val url get() = env("URL")

    /** The core as the Android app opens it: HTTP through UrlConnectionTransport. */
    private fun openCore(serverUrl: String = url): MimamoriCore =
        MimamoriCore.openWithTransport(dir.resolve("mimamori.db").toString(), serverUrl, UrlConnectionTransport())

    /** A code that is surely not [code]: every digit shifted by one. */
    private fun wrongCode(code: String): String =
        code.map { c -> if (c.isDigit()) '0' + (c - '0' + 1) % 10 else c }.joinToString("")

    private fun digits(s: String) = s.filter { it.isDigit() }

    @Test
    fun registerSaveThreeReportsSyncAndReadTheStatus() {
        openCore().use { core ->
            val email = env("EMAIL")
            assertTrue(core.requestCode(email, Language.JA) > 0uL, "the code's lifetime")
            core.verifyCode(codeFor(email), Language.JA)
            // A password that passes the server's strength rule, made up for this run only.
            core.setPassword("Sora-${UUID.randomUUID().toString().take(8)}-Q7", Language.JA)
            val profile = core.submitAttributes(env("NAME"), env("DOB"), env("PHONE"), env("INPUT_ID"), Language.JA)
            assertEquals(env("CENTRE"), profile.centreName)
            assertEquals(PersonKind.INFECTED, profile.kind)
            assertTrue(core.isLoggedIn())

            val stored = core.profile() ?: fail("the profile is stored")
            assertEquals(env("CENTRE"), stored.centreName)
            val contact = core.emergencyContact() ?: fail("the centre's number is the emergency contact")
            assertEquals(env("CENTRE"), contact.centreName)
            assertEquals(digits(env("CENTRE_NUMBER")), digits(contact.phoneNumber))

            val first = core.saveReport(report("36.5"), Language.JA)
            val second = core.saveReport(report("37.6", 1), Language.JA)
            val third = core.saveReport(report("38.4", 2), Language.JA)
            assertEquals(Urgency.NO_ACTION, first.advice.urgency)
            assertEquals(Urgency.WATCH, second.advice.urgency)
            assertEquals(Urgency.CALL_NOW, third.advice.urgency)
            assertTrue(third.advice.showEmergencyNumber)
            assertEquals(env("CENTRE"), third.advice.emergency?.centreName)
            assertEquals(3uL, core.syncStatus().pending)

            val synced = core.syncNow(Language.JA)
            assertEquals(0uL, synced.pending)
            assertEquals(0uL, synced.failed)
            val status = core.syncStatus()
            assertEquals(0uL, status.pending)
            assertEquals(0uL, status.failed)
            assertNotNull(status.lastSuccessAt, "the last success is recorded")
            assertNull(status.lastError)
            assertTrue(core.failedReports().isEmpty())

            // A second sync finds nothing left and sends nothing again.
            assertEquals(0uL, core.syncNow(Language.JA).pending)
        }
    }

    @Test
    fun aWrongVerificationCodeIsRefusedOnTheCodeWithTheServersWords() {
        openCore().use { core ->
            val email = "wrong-code-" + env("EMAIL")
            core.requestCode(email, Language.JA)
            val refused = assertThrows(CoreException.Invalid::class.java) {
                core.verifyCode(wrongCode(codeFor(email)), Language.JA)
            }
            assertEquals("code", refused.field, "shown under the code field")
            assertEquals("認証コードが正しくありません。", refused.reason, "the server's words")
            assertFalse(core.isLoggedIn())
        }
    }

    @Test
    fun anUnreachableServerIsANetworkErrorAndTheReportStays() {
        // Port 1 on this machine: nothing listens there, the connection is refused.
        openCore("http://127.0.0.1:1").use { core ->
            val offline = assertThrows(CoreException.Network::class.java) {
                core.requestCode("offline-" + env("EMAIL"), Language.JA)
            }
            assertFalse(offline.reason.isBlank())
            core.saveReport(report("36.9"), Language.JA)
            assertEquals(1uL, core.syncStatus().pending)
        }
    }
}
