/*
 * JUnit 5 tests of UrlConnectionTransport on the JVM against small servers inside the
 * test (the JDK's com.sun.net.httpserver and raw sockets), no live backend: the request
 * goes out exactly as the core built it and the answer comes back whole, a 401's JSON
 * body included; redirects are returned, not followed; a refused port is Connect, a
 * silent server Timeout within the limit, a connection closed after the request Broken
 * with the POST sent once. The repository opens the core with the transport and keeps
 * the core's address rule. The live contract suite is tests/live/kotlin.
 */
package jp.mimamori.core

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.HttpHeader
import uniffi.mobile_core.HttpMethod
import uniffi.mobile_core.HttpRequest
import uniffi.mobile_core.Language
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.ReportInput
import uniffi.mobile_core.TransportException

class UrlConnectionTransportTest {
    @TempDir
    lateinit var dir: Path

    private val transport = UrlConnectionTransport()
    private val closers = mutableListOf<() -> Unit>()

    @AfterEach
    fun stop() = closers.forEach { it() }

    /** What the test server saw of one request. */
    class Seen(val method: String, val path: String, val headers: Map<String, List<String>>, val body: ByteArray)

    /** An HTTP server answering every request with [status], [headers] and [body]. */
    private fun server(status: Int, body: ByteArray, vararg headers: Pair<String, String>): Pair<String, List<Seen>> {
        val seen = CopyOnWriteArrayList<Seen>()
        val http = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        http.createContext("/") { ex ->
            val sent = ex.requestBody.readBytes()
            seen += Seen(ex.requestMethod, ex.requestURI.path, ex.requestHeaders.mapKeys { it.key.lowercase() }, sent)
            for ((k, v) in headers) ex.responseHeaders.add(k, v)
            ex.sendResponseHeaders(status, if (body.isEmpty()) -1 else body.size.toLong())
            if (body.isNotEmpty()) ex.responseBody.use { it.write(body) } else ex.close()
        }
        http.start()
        closers += { http.stop(0) }
        return "http://127.0.0.1:${http.address.port}" to seen
    }

    /** A raw socket server: accepts, reads the request, then does [then] with the socket. */
    private fun rawServer(then: (java.net.Socket) -> Unit): Pair<String, AtomicInteger> {
        val accepted = AtomicInteger()
        val socket = ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))
        thread(isDaemon = true) {
            while (!socket.isClosed) {
                val client = try { socket.accept() } catch (e: Exception) { break }
                accepted.incrementAndGet()
                thread(isDaemon = true) { then(client) }
            }
        }
        closers += { socket.close() }
        return "http://127.0.0.1:${socket.localPort}" to accepted
    }

    private fun request(method: HttpMethod, url: String, body: ByteArray = ByteArray(0), timeoutMs: ULong = 5_000uL) =
        HttpRequest(
            method,
            url,
            listOf(
                HttpHeader("Accept", "application/json"),
                HttpHeader("Accept-Language", "ja"),
                HttpHeader("User-Agent", "mimamori-core/test"),
                HttpHeader("Authorization", "Bearer test-token"),
                HttpHeader("Content-Type", "application/json"),
            ),
            body,
            timeoutMs,
        )

    @Test
    fun theRequestGoesOutAsBuiltAndTheAnswerComesBackWhole() {
        val answer = """{"results":[]}""".toByteArray()
        val (url, seen) = server(201, answer, "Retry-After" to "7", "Content-Type" to "application/json")
        val body = """{"reports":[]}""".toByteArray()
        val res = transport.send(request(HttpMethod.POST, "$url/api/v1/reports:batch", body))

        assertEquals(201, res.status.toInt())
        assertArrayEquals(answer, res.body)
        assertEquals("7", res.headers.first { it.name.equals("Retry-After", ignoreCase = true) }.value)
        val got = seen.single()
        assertEquals("POST", got.method)
        assertEquals("/api/v1/reports:batch", got.path)
        assertArrayEquals(body, got.body)
        assertEquals(listOf("ja"), got.headers["accept-language"])
        assertEquals(listOf("application/json"), got.headers["accept"])
        assertEquals(listOf("mimamori-core/test"), got.headers["user-agent"])
        assertEquals(listOf("Bearer test-token"), got.headers["authorization"])
        assertEquals(listOf("application/json"), got.headers["content-type"])
    }

    @Test
    fun errorAnswersKeepTheirBodiesA401Included() {
        for (status in listOf(400, 401, 403, 429, 500, 503)) {
            val error = """{"error":"e$status","message":"m"}""".toByteArray()
            val (url, seen) = server(status, error, "Content-Type" to "application/json")
            val res = transport.send(request(HttpMethod.POST, "$url/api/v1/login", "{}".toByteArray()))
            assertEquals(status, res.status.toInt())
            assertArrayEquals(error, res.body, "the body of a $status")
            assertEquals(1, seen.size, "sent once")
        }
        val (url, _) = server(204, ByteArray(0))
        val empty = transport.send(request(HttpMethod.POST, "$url/api/v1/logout"))
        assertEquals(204, empty.status.toInt())
        assertEquals(0, empty.body.size)
    }

    @Test
    fun aRedirectIsReturnedNotFollowed() {
        val (url, seen) = server(303, ByteArray(0), "Location" to "/elsewhere")
        val res = transport.send(request(HttpMethod.GET, "$url/start"))
        assertEquals(303, res.status.toInt())
        assertEquals("/elsewhere", res.headers.first { it.name.equals("Location", ignoreCase = true) }.value)
        assertEquals(listOf("/start"), seen.map { it.path })
    }

    @Test
    fun aRefusedPortIsConnect() {
        val port = ServerSocket(0).use { it.localPort }
        assertThrows(TransportException.Connect::class.java) { transport.send(request(HttpMethod.GET, "http://127.0.0.1:$port/x")) }
        assertThrows(TransportException.Connect::class.java) { transport.send(request(HttpMethod.GET, "not a url")) }
    }

    @Test
    fun aSecureConnectionThatCannotBeSetUpIsTls() {
        // https:// to a server that answers in plain HTTP at once: the TLS handshake fails.
        val socket = ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))
        closers += { socket.close() }
        thread(isDaemon = true) {
            runCatching {
                socket.accept().use { it.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".toByteArray()) }
            }
        }
        assertThrows(TransportException.Tls::class.java) {
            transport.send(request(HttpMethod.GET, "https://127.0.0.1:${socket.localPort}/api/v1/profile"))
        }
    }

    @Test
    fun aSilentServerIsATimeoutWithinTheLimit() {
        val (url, _) = rawServer { client -> client.getInputStream().read(ByteArray(65536)) }
        val start = System.nanoTime()
        assertThrows(TransportException.Timeout::class.java) {
            transport.send(request(HttpMethod.POST, "$url/x", "{}".toByteArray(), timeoutMs = 700uL))
        }
        val took = (System.nanoTime() - start) / 1_000_000
        assertTrue(took in 600..5_000, "ended by the limit: $took ms")
    }

    @Test
    fun aConnectionClosedAfterThePostIsBrokenAndThePostWentOnce() {
        val (url, accepted) = rawServer { client ->
            client.getInputStream().read(ByteArray(65536))
            client.close()
        }
        assertThrows(TransportException.Broken::class.java) {
            transport.send(request(HttpMethod.POST, "$url/api/v1/reports:batch", "{}".toByteArray()))
        }
        Thread.sleep(200)
        assertEquals(1, accepted.get(), "the stack did not send the POST again")
    }

    @Test
    fun theRepositoryOpensTheCoreWithTheTransport(): Unit = runBlocking {
        val refused = CoreMimamoriRepository.openWithServer(dir.resolve("a.db").toString(), "http://example.jp", transport, Dispatchers.IO)
        assertEquals("server_url", ((refused as Outcome.Failure).error as ScreenError.Invalid).field)

        val opened = CoreMimamoriRepository.openWithServer(dir.resolve("b.db").toString(), "https://mimamori.example.jp", io = Dispatchers.IO)
        val repo = (opened as Outcome.Success).value
        repo.use {
            val input = ReportInput("self", null, PersonKind.INFECTED, "36.5", List(9) { AnswerChoice.NO })
            assertTrue(it.saveReport(input) is Outcome.Success, "saving works before any network call")
            assertEquals(1uL, (it.todayStatus("self") as Outcome.Success).value.pendingSync)
        }
        Unit
    }
}
