/**
 * The transport contract, Kotlin side: the Android shell's UrlConnectionTransport (the
 * JDK's HttpURLConnection) against the LIVE server and the faults tests/live/faults.py
 * serves, both called directly and as the core's transport. The same cases run for the
 * Swift URLSessionTransport (tests/live/swift) and the Rust reqwest transport
 * (tests/e2e/tests/transport.rs):
 *
 * success with the core's own headers; a 4xx and a 5xx whose JSON error bodies become
 * the core's Server errors in the asked language; a closed port (connect); a server that
 * never answers (timeout, within the request's time limit); an answer lost after the
 * server committed (broken; the core sends the same batch again and the server answers
 * the replay the same way); a batch of 100 reports in one request; a redirect returned,
 * not followed.
 *
 * One account (the contract case made by run.sh) is registered once and logged in by
 * the tests that sync; run.sh then checks through the staff API that the case holds
 * exactly the 103 reports these tests synced (1 + 2 + 100: no duplicate) and that the
 * proxy swallowed exactly one batch answer. Never prints a token, code or password.
 */
package mimamori.contract

import java.nio.file.Files
import java.nio.file.Path
import java.util.UUID
import java.util.concurrent.CopyOnWriteArrayList
import jp.mimamori.core.UrlConnectionTransport
import mimamori.live.codeFor
import mimamori.live.liveEnv
import mimamori.live.report
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.CoreException
import uniffi.mobile_core.HttpHeader
import uniffi.mobile_core.HttpMethod
import uniffi.mobile_core.HttpRequest
import uniffi.mobile_core.HttpResponse
import uniffi.mobile_core.HttpTransport
import uniffi.mobile_core.Language
import uniffi.mobile_core.MimamoriCore
import uniffi.mobile_core.SyncConfig
import uniffi.mobile_core.TransportException

/** Passes every request on to [inner] and keeps what went and what came back. */
class Recording(private val inner: HttpTransport) : HttpTransport {
    /** One exchange: the request and its status, or the failure. */
    class Exchange(val request: HttpRequest, val status: Int?, val failure: TransportException?)

    val exchanges = CopyOnWriteArrayList<Exchange>()

    override fun send(request: HttpRequest): HttpResponse =
        try {
            inner.send(request).also { exchanges += Exchange(request, it.status.toInt(), null) }
        } catch (e: TransportException) {
            exchanges += Exchange(request, null, e)
            throw e
        }

    /** The exchanges whose URL ends with [path]. */
    fun to(path: String) = exchanges.filter { it.request.url.endsWith(path) }
}

class TransportContractTest {
    @TempDir
    lateinit var dir: Path

    private val url get() = liveEnv("URL")
    private val transport = UrlConnectionTransport()

    private fun open(serverUrl: String, http: HttpTransport = transport, name: String = "phone.db"): MimamoriCore =
        MimamoriCore.openWithTransport(dir.resolve(name).toString(), serverUrl, http)

    private fun get(target: String, timeoutMs: ULong = 10_000uL) =
        HttpRequest(HttpMethod.GET, target, listOf(HttpHeader("Accept", "application/json")), ByteArray(0), timeoutMs)

    private fun postJson(target: String, json: String, lang: String = "en") = HttpRequest(
        HttpMethod.POST,
        target,
        listOf(
            HttpHeader("Accept", "application/json"),
            HttpHeader("Accept-Language", lang),
            HttpHeader("Content-Type", "application/json"),
        ),
        json.toByteArray(),
        10_000uL,
    )

    private fun HttpResponse.header(name: String): String? = headers.firstOrNull { it.name.equals(name, ignoreCase = true) }?.value

    private fun HttpRequest.header(name: String): String? = headers.firstOrNull { it.name.equals(name, ignoreCase = true) }?.value

    /** A string field of a flat JSON object (enough for the API's error bodies). */
    private fun field(body: ByteArray, name: String): String? =
        Regex("\"$name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").find(String(body))?.groupValues?.get(1)

    /** Runs [block] and returns how long it took, in milliseconds. */
    private fun millis(block: () -> Unit): Long {
        val start = System.nanoTime()
        block()
        return (System.nanoTime() - start) / 1_000_000
    }

    /** A core logged in to the contract account, its HTTP recorded. */
    private fun loggedIn(serverUrl: String, recording: Recording): MimamoriCore {
        val (email, password) = account()
        val core = open(serverUrl, recording)
        core.login(email, password, Language.EN)
        return core
    }

    @Test
    fun theTransportReturnsStatusHeadersAndBodyAsTheServerSent() {
        val res = transport.send(get("$url/healthz"))
        assertEquals(200, res.status.toInt())
        assertTrue(res.header("Content-Type").orEmpty().startsWith("application/json"))
        assertEquals("ok", field(res.body, "status"))
    }

    @Test
    fun successfulAnswersReachTheCoreWithTheCoresHeaders() {
        val recording = Recording(transport)
        loggedIn(url, recording).use { core ->
            assertEquals(liveEnv("CENTRE"), core.refreshProfile(Language.EN).centreName)
            core.saveReport(report("36.6"), Language.EN)
            val status = core.syncNow(Language.EN)
            assertEquals(0uL, status.pending)
            assertEquals(0uL, status.failed)
            assertNull(status.lastError)
        }
        val login = recording.to("/api/v1/login").single()
        val profile = recording.to("/api/v1/profile").last()
        val batch = recording.to("/api/v1/reports:batch").single()
        assertEquals(listOf(200, 200, 200), listOf(login.status, profile.status, batch.status))
        for (e in recording.exchanges) {
            assertTrue(e.request.url.startsWith("$url/api/v1/"))
            assertEquals(30_000uL, e.request.timeoutMs)
            assertEquals("application/json", e.request.header("Accept"))
            assertEquals("en", e.request.header("Accept-Language"))
            assertTrue(e.request.header("User-Agent").orEmpty().startsWith("mimamori-core/"))
        }
        assertEquals(HttpMethod.POST, login.request.method)
        assertEquals("application/json", login.request.header("Content-Type"))
        assertNull(login.request.header("Authorization"), "no token before the login")
        assertEquals(HttpMethod.GET, profile.request.method)
        assertEquals(0, profile.request.body.size)
        assertNull(profile.request.header("Content-Type"))
        for (e in listOf(profile, batch)) {
            val auth = e.request.header("Authorization").orEmpty()
            assertTrue(auth.startsWith("Bearer ") && auth.length > 20, "the session token is sent")
        }
    }

    @Test
    fun aRefusalReachesTheCoreAsTheServersCodeAndText() {
        val email = "nobody-${liveEnv("CONTRACT_EMAIL")}"
        val raw = transport.send(postJson("$url/api/v1/login", """{"email":"$email","password":"Wrong-pass-1"}"""))
        assertEquals(401, raw.status.toInt())
        assertEquals("login_failed", field(raw.body, "error"))
        assertEquals("en", raw.header("Content-Language"), "Accept-Language reached the server")
        open(url).use { core ->
            val en = assertThrows(CoreException.Server::class.java) { core.login(email, "Wrong-pass-1", Language.EN) }
            assertEquals("login_failed", en.code)
            assertEquals(field(raw.body, "message"), en.reason)
            val ja = assertThrows(CoreException.Server::class.java) { core.login(email, "Wrong-pass-1", Language.JA) }
            assertEquals("login_failed", ja.code)
            assertNotEquals(en.reason, ja.reason, "the Japanese text")
        }
    }

    @Test
    fun aServerFailureReachesTheCoreAsTheServersCodeAndText() {
        val broken = liveEnv("BROKEN_URL")
        val email = "five-${liveEnv("CONTRACT_EMAIL")}"
        val raw = transport.send(postJson("$broken/api/v1/registrations", """{"email":"$email"}"""))
        assertEquals(503, raw.status.toInt())
        assertEquals("unavailable", field(raw.body, "error"))
        open(broken).use { core ->
            val e = assertThrows(CoreException.Server::class.java) { core.requestCode(email, Language.EN) }
            assertEquals("unavailable", e.code)
            assertEquals(field(raw.body, "message"), e.reason)
        }
    }

    @Test
    fun aClosedPortIsAConnectFailure() {
        val closed = liveEnv("CLOSED_URL")
        val took = millis {
            assertThrows(TransportException.Connect::class.java) { transport.send(get("$closed/healthz")) }
        }
        assertTrue(took < 5_000, "refused at once, not after a time limit: $took ms")
        open(closed).use { core ->
            assertThrows(CoreException.Network::class.java) { core.requestCode("closed-${liveEnv("CONTRACT_EMAIL")}", Language.EN) }
            core.saveReport(report("36.9"), Language.EN)
            assertEquals(1uL, core.syncStatus().pending, "the report stays queued")
        }
    }

    @Test
    fun aServerThatNeverAnswersIsATimeoutWithinTheLimit() {
        val stall = liveEnv("STALL_URL")
        val took = millis {
            assertThrows(TransportException.Timeout::class.java) { transport.send(get("$stall/healthz", timeoutMs = 1_000uL)) }
        }
        assertTrue(took in 900..10_000, "ended by the 1 s limit: $took ms")
        open(stall).use { core ->
            core.setRequestTimeoutMs(1_000uL)
            val coreTook = millis {
                assertThrows(CoreException.Network::class.java) { core.requestCode("stall-${liveEnv("CONTRACT_EMAIL")}", Language.EN) }
            }
            assertTrue(coreTook in 900..10_000, "the core's limit reached the transport: $coreTook ms")
        }
    }

    @Test
    fun anAnswerLostAfterTheCommitIsSentAgainAndAnsweredTheSame() {
        assertThrows(TransportException.Broken::class.java) { transport.send(get("${liveEnv("DROP_URL")}/healthz")) }

        val recording = Recording(transport)
        loggedIn(liveEnv("DROP_BATCH_URL"), recording).use { core ->
            core.saveReport(report("37.8", 1), Language.EN)
            core.saveReport(report("36.4"), Language.EN)
            core.setSyncConfig(SyncConfig(batchSize = 100u, maxAttempts = 3u, baseDelayMs = 50uL, maxDelayMs = 200uL))
            val status = core.syncNow(Language.EN)
            assertEquals(0uL, status.pending)
            assertEquals(0uL, status.failed, "the replay was accepted, not refused as a conflict")
            assertNull(status.lastError)
        }
        val batches = recording.to("/api/v1/reports:batch")
        assertEquals(2, batches.size, "one lost answer, one answered replay (the transport itself sent once each)")
        assertInstanceOf(TransportException.Broken::class.java, batches[0].failure)
        assertEquals(200, batches[1].status)
        assertArrayEquals(batches[0].request.body, batches[1].request.body, "the same batch, sent again")
    }

    @Test
    fun aHundredReportsGoInOneRequest() {
        val recording = Recording(transport)
        loggedIn(url, recording).use { core ->
            repeat(100) { i -> core.saveReport(report(if (i % 10 == 0) "37.5" else "36.${i % 10}"), Language.EN) }
            assertEquals(100uL, core.syncStatus().pending)
            val status = core.syncNow(Language.EN)
            assertEquals(0uL, status.pending)
            assertEquals(0uL, status.failed)
        }
        val batch = recording.to("/api/v1/reports:batch").single()
        assertEquals(200, batch.status)
        assertTrue(batch.request.body.size > 10_000, "a 100-report body: ${batch.request.body.size} bytes")
    }

    @Test
    fun aRedirectIsReturnedNotFollowed() {
        val res = transport.send(get("$url/"))
        assertEquals(303, res.status.toInt())
        assertTrue(res.header("Location").orEmpty().startsWith("/login"), "the server's redirect, as sent")
    }

    companion object {
        private var account: Pair<String, String>? = null

        /**
         * The contract case's account: registered once, through the core and this
         * transport, on a database of its own; later calls return the same one.
         */
        @Synchronized
        fun account(): Pair<String, String> {
            account?.let { return it }
            val email = liveEnv("CONTRACT_EMAIL")
            // A password that passes the server's strength rule, made up for this run only.
            val password = "Umi-${UUID.randomUUID().toString().take(8)}-K5"
            val folder = Files.createTempDirectory("mimamori-contract")
            MimamoriCore.openWithTransport(folder.resolve("register.db").toString(), liveEnv("URL"), UrlConnectionTransport()).use { core ->
                core.requestCode(email, Language.EN)
                core.verifyCode(codeFor(email), Language.EN)
                core.setPassword(password, Language.EN)
                core.submitAttributes(
                    liveEnv("CONTRACT_NAME"), liveEnv("CONTRACT_DOB"), liveEnv("CONTRACT_PHONE"), liveEnv("CONTRACT_INPUT_ID"), Language.EN,
                )
            }
            folder.toFile().deleteRecursively()
            return (email to password).also { account = it }
        }
    }
}
