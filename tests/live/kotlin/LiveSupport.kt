/**
 * Shared by the live Kotlin suites: the MIMAMORI_LIVE_* values that tests/live/run.sh
 * passes (a missing one fails the test; nothing is skipped), the newest verification
 * code in the server's mail folder, report inputs, and the health centre answering a
 * person's data request on its own page (signed in as the centre's admin, as staff do).
 * Never prints a value.
 */
package mimamori.live

import java.io.File
import java.net.HttpURLConnection
import java.net.URI
import java.net.URLEncoder
import mimamori.mail.newestCode
import org.junit.jupiter.api.Assertions.fail
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.ReportInput

/** A MIMAMORI_LIVE_* variable; a missing one fails the test (it is never skipped). */
fun liveEnv(name: String): String =
    System.getenv("MIMAMORI_LIVE_$name")?.takeIf { it.isNotBlank() }
        ?: fail("MIMAMORI_LIVE_$name is not set: run tests/live/run.sh")

/** The newest verification code mailed to [email] (tests/live/kotlin/MailFolder.kt). */
fun codeFor(email: String): String =
    newestCode(File(liveEnv("MAIL_DIR")), email) ?: fail("no verification mail for the test address in the mail folder")

/** Today's report of the phone's owner with [temperature] and "yes" to the questions [yes]. */
fun report(temperature: String, vararg yes: Int) = ReportInput(
    personId = "self",
    localDate = null,
    kind = PersonKind.INFECTED,
    temperature = temperature,
    answers = List(9) { i -> if (i in yes) AnswerChoice.YES else AnswerChoice.NO },
)

/** The `value` of the first form field named [name] in [html]. */
private fun formField(html: String, name: String): String {
    val marker = "name=\"$name\" value=\""
    val at = html.indexOf(marker).takeIf { it >= 0 } ?: fail("no $name field on the page")
    return html.substring(at + marker.length).substringBefore('"')
}

/** One request to the server's pages without following redirects: status, cookies, body. */
private fun page(path: String, cookie: String?, form: String?): Triple<Int, Map<String, String>, String> {
    val c = URI(liveEnv("URL") + path).toURL().openConnection() as HttpURLConnection
    c.instanceFollowRedirects = false
    cookie?.let { c.setRequestProperty("Cookie", it) }
    if (form != null) {
        c.requestMethod = "POST"
        c.doOutput = true
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded")
        c.outputStream.use { it.write(form.toByteArray()) }
    }
    val status = c.responseCode
    val setCookie = c.headerFields.filterKeys { it.equals("Set-Cookie", ignoreCase = true) }.values.flatten()
    val cookies = setCookie.associate { it.substringBefore('=') to it.substringAfter('=').substringBefore(';') }
    val body = (if (status >= 400) c.errorStream else c.inputStream)?.use { it.readBytes().decodeToString() }.orEmpty()
    return Triple(status, cookies, body)
}

/**
 * The health centre answers request [id] on its page (`/rights`), signed in as the
 * centre's admin: [fields] as the answer form sends them (`action=corrected&value=36.9`,
 * `action=refused&reason=…`). Returns the answer's HTTP status (303 when taken).
 */
fun answerOnCentrePage(id: String, fields: String): Int {
    fun enc(s: String) = URLEncoder.encode(s, Charsets.UTF_8.name())
    val password = File(liveEnv("ADMIN_PASSWORD_FILE")).readText().trim()
    val (_, loginCookies, loginPage) = page("/login", null, null)
    val loginCookie = "mimamori_login=" + (loginCookies["mimamori_login"] ?: fail("no login cookie"))
    val form = "email=${enc(liveEnv("ADMIN_EMAIL"))}&password=${enc(password)}&csrf=${formField(loginPage, "csrf")}&next=%2F"
    val (_, staffCookies, _) = page("/login", loginCookie, form)
    val session = "mimamori_staff=" + (staffCookies["mimamori_staff"] ?: fail("the centre's admin could not sign in"))
    val (_, _, list) = page("/rights", session, null)
    if (!list.contains("id=\"request-$id\"")) fail<Unit>("the request is not on the centre's page")
    return page("/rights/$id/answer", session, "csrf=${formField(list, "csrf")}&$fields").first
}
