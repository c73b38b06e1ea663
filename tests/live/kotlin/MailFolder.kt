/**
 * The server's mail folder as the live Kotlin suites read it (tests/live/run.sh and the
 * Android journeys of tests/shells/android-ui.sh compile this one file): the newest
 * verification code mailed to an address. Never prints a value.
 */
package mimamori.mail

import java.io.File

/**
 * The newest verification code in [mailDir] mailed to [email]: the `認証コード: NNNNNN`
 * (or, in an English mail, `Verification code: NNNNNN`) line of the newest .eml
 * addressed to it; waits up to 10 s for the file to appear, `null` when none came.
 */
fun newestCode(mailDir: File, email: String): String? {
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
    return null
}
