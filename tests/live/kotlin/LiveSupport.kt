/**
 * Shared by the live Kotlin suites: the MIMAMORI_LIVE_* values that tests/live/run.sh
 * passes (a missing one fails the test; nothing is skipped), the newest verification
 * code in the server's mail folder, and report inputs. Never prints a value.
 */
package mimamori.live

import java.io.File
import org.junit.jupiter.api.Assertions.fail
import uniffi.mobile_core.AnswerChoice
import uniffi.mobile_core.PersonKind
import uniffi.mobile_core.ReportInput

/** A MIMAMORI_LIVE_* variable; a missing one fails the test (it is never skipped). */
fun liveEnv(name: String): String =
    System.getenv("MIMAMORI_LIVE_$name")?.takeIf { it.isNotBlank() }
        ?: fail("MIMAMORI_LIVE_$name is not set: run tests/live/run.sh")

/**
 * The newest verification code mailed to [email]: the `認証コード: NNNNNN` (or, in an
 * English mail, `Verification code: NNNNNN`) line of the newest .eml addressed to it.
 * Waits a little for the file to appear.
 */
fun codeFor(email: String): String {
    val mailDir = File(liveEnv("MAIL_DIR"))
    val deadline = System.nanoTime() + 10_000_000_000L
    while (System.nanoTime() < deadline) {
        val mails = mailDir.listFiles { f -> f.name.endsWith(".eml") }.orEmpty()
            .sortedWith(compareBy<File>({ it.lastModified() }, { it.name }))
            .reversed()
        for (mail in mails) {
            val lines = mail.readLines()
            if (lines.none { it.trimEnd().equals("To: $email", ignoreCase = true) }) continue
            val line = lines.firstOrNull { it.startsWith("認証コード: ") || it.startsWith("Verification code: ") } ?: continue
            return line.substringAfter(": ").trim()
        }
        Thread.sleep(50)
    }
    return fail("no verification mail for the test address in the mail folder")
}

/** Today's report of the phone's owner with [temperature] and "yes" to the questions [yes]. */
fun report(temperature: String, vararg yes: Int) = ReportInput(
    personId = "self",
    localDate = null,
    kind = PersonKind.INFECTED,
    temperature = temperature,
    answers = List(9) { i -> if (i in yes) AnswerChoice.YES else AnswerChoice.NO },
)
