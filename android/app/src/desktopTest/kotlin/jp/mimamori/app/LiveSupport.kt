/*
 * What the journeys of a signed-in person need from the real backend that
 * tests/shells/android-ui.sh starts: the MIMAMORI_UI_LIVE_* values (a missing one fails
 * the test; nothing is skipped), the cases the centre registered (a 0600 file of the
 * suite's), the code the server mailed (read as the live suites read it), a session the server lets expire as its
 * lifetime would, a switch between the phone and the server that takes the network
 * away and gives it back, and services that send after every save as the app's worker
 * does. Never prints a value.
 */
package jp.mimamori.app

import java.io.File
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.nio.file.Files
import java.util.Collections
import jp.mimamori.app.desktop.MemoryLanguageStore
import jp.mimamori.app.ui.AppServices
import jp.mimamori.core.AlarmPort
import jp.mimamori.core.AppLanguage
import jp.mimamori.core.CoreMimamoriRepository
import jp.mimamori.core.LanguageStore
import jp.mimamori.core.MimamoriRepository
import jp.mimamori.core.Outcome
import jp.mimamori.core.SyncWork
import jp.mimamori.core.SyncWorkResult
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import mimamori.mail.newestCode
import uniffi.mobile_core.ReminderPlan

/** A MIMAMORI_UI_LIVE_* value; a missing one fails the test. */
fun uiLive(name: String): String =
    System.getenv("MIMAMORI_UI_LIVE_$name")?.takeIf { it.isNotBlank() }
        ?: throw AssertionError("MIMAMORI_UI_LIVE_$name is not set: run tests/shells/android-ui.sh")

/** A case the centre registered: what its leaflet and the person know. */
data class LiveCase(val inputId: String, val name: String, val dateOfBirth: String, val phone: String)

/** The case the suite made for [key] (`ja-x1.0-owner`, `en-x2.0-member`, …). */
fun liveCase(key: String): LiveCase {
    val line = File(uiLive("CASES")).readLines().firstOrNull { it.substringBefore('\t') == key }
        ?: throw AssertionError("the suite made no case $key")
    val f = line.split('\t')
    return LiveCase(f[1], f[2], f[3], f[4])
}

/** The newest verification code the server mailed to [email] (tests/live/kotlin/MailFolder.kt). */
fun mailedCode(email: String): String =
    newestCode(File(uiLive("MAIL")), email) ?: throw AssertionError("no verification mail for the test address")

/**
 * The server's sessions of the person signed in as [email] reach their end, as the
 * session lifetime makes them: the next request of the phone is answered 401.
 */
fun expireSessions(email: String) {
    val script = "import sqlite3,sys\n" +
        "c = sqlite3.connect(sys.argv[1], timeout=30)\n" +
        "n = c.execute('UPDATE sessions SET expires_at = 1 WHERE patient_id IN (SELECT id FROM patients WHERE email = ?)', (sys.argv[2],)).rowcount\n" +
        "c.commit()\n" +
        "sys.exit(0 if n > 0 else 3)\n"
    val p = ProcessBuilder("python3", "-c", script, uiLive("DB"), email).redirectErrorStream(true).start()
    val said = p.inputStream.bufferedReader().readText()
    if (p.waitFor() != 0) throw AssertionError("no session to end (python3 said: ${said.take(200)})")
}

/**
 * A switch between the phone and [target] (`http://127.0.0.1:PORT`): [url] is where
 * the phone connects; [offline] refuses every connection as a phone without a network
 * meets it, [online] forwards again on the same port.
 */
class NetworkSwitch(target: String) : AutoCloseable {
    private val targetPort = target.substringAfterLast(':').trimEnd('/').toInt()
    private val connections = Collections.synchronizedSet(mutableSetOf<Socket>())
    private var listener: ServerSocket = bind(0)
    private val port = listener.localPort

    /** The address the phone uses. */
    val url = "http://127.0.0.1:$port"

    init { serve(listener) }

    private fun bind(at: Int) = ServerSocket().apply {
        reuseAddress = true
        bind(InetSocketAddress("127.0.0.1", at))
    }

    private fun serve(server: ServerSocket) = Thread { accept(server) }.apply { isDaemon = true; start() }

    private fun accept(server: ServerSocket) {
        while (!server.isClosed) {
            val phone = runCatching { server.accept() }.getOrNull() ?: return
            connect(phone)
        }
    }

    private fun connect(phone: Socket) {
        val upstream = runCatching { Socket("127.0.0.1", targetPort) }.getOrNull()
        if (upstream == null) {
            phone.close()
            return
        }
        connections += phone
        connections += upstream
        pipe(phone, upstream)
        pipe(upstream, phone)
    }

    private fun pipe(from: Socket, to: Socket) = Thread {
        runCatching { from.getInputStream().copyTo(to.getOutputStream()) }
        runCatching { to.shutdownOutput() }
        connections -= from
        runCatching { from.close() }
    }.apply { isDaemon = true; start() }

    /** No network: connections are refused, those open are cut. */
    fun offline() {
        listener.close()
        synchronized(connections) { connections.forEach { runCatching { it.close() } }; connections.clear() }
    }

    /** The network is back. */
    fun online() {
        if (!listener.isClosed) return
        listener = bind(port)
        serve(listener)
    }

    override fun close() = offline()
}

/**
 * A real repository on the phone core in a new temporary folder, connected to [url],
 * the core's words in the language [languages] holds at each call.
 */
fun liveRepository(url: String, languages: LanguageStore): CoreMimamoriRepository {
    val dir = Files.createTempDirectory("mimamori-ui-live")
    return when (val o = runBlocking { CoreMimamoriRepository.openWithServer(dir.resolve("phone.db").toString(), url, io = Dispatchers.IO) { languages.get().core } }) {
        is Outcome.Success -> o.value
        is Outcome.Failure -> throw AssertionError("the core did not open: ${o.error}")
    }
}

/**
 * The app's services as the phone runs them: after a save or a sign-in the background
 * worker is asked to send what waits, and runs apart from the screen that asked (the
 * same SyncWork the app's worker runs); [networkBack] is the run WorkManager starts
 * when the phone is online again.
 */
class WorkerServices(private val repository: MimamoriRepository, override val languages: MemoryLanguageStore) : AppServices {
    private val worker = CoroutineScope(SupervisorJob() + Dispatchers.IO)
    private val jobs = Collections.synchronizedList(mutableListOf<Job>())

    /** How each run of the worker ended. */
    val runs: MutableList<SyncWorkResult> = Collections.synchronizedList(mutableListOf())

    override suspend fun afterChange() {
        jobs += worker.launch { runs += SyncWork(repository).run(timeLimitMs = 60_000).result }
    }

    /** Waits until every run asked for has ended. */
    fun awaitWork() = runBlocking { synchronized(jobs) { jobs.toList() }.joinAll() }

    /** The run WorkManager starts when the phone is online again. */
    fun networkBack(): SyncWorkResult {
        awaitWork()
        return runBlocking { SyncWork(repository).run(timeLimitMs = 60_000).result }.also { runs += it }
    }

    override val alarm: AlarmPort = object : AlarmPort {
        override fun schedule(plan: ReminderPlan) = Unit
        override fun cancel() = Unit
    }
}
