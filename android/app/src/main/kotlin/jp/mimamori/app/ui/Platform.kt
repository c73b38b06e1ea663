/*
 * What the screens need from the platform, behind small interfaces, so that every
 * screen, the navigation and the app's root compile both for Android and for a plain
 * JVM (where the tests render and drive them):
 *  - Words: the app's own words, from the string resources (values/strings.xml in
 *    Japanese, values-en in English); Android reads them through its resources, the JVM
 *    side reads the very same files.
 *  - Device: the dialler, the notification permission and the time picker.
 *  - AppServices: what the view models share with the rest of the app (ask for a sync
 *    and plan the reminder after a change, the language setting, the reminder's alarm).
 */
package jp.mimamori.app.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.staticCompositionLocalOf
import jp.mimamori.core.AlarmPort
import jp.mimamori.core.LanguageStore
import uniffi.mobile_core.ReminderTime

/** The app's words by resource id (`R.string.…`, `R.plurals.…`). */
interface Words {
    /** The string [id] with [args] put in (Android's format: `%1$s`, `%d`). */
    fun text(id: Int, vararg args: Any): String

    /** The plural [id]'s form for [count], with [args] put in. */
    fun plural(id: Int, count: Int, vararg args: Any): String
}

/** What the screens ask of the device. */
interface Device {
    /** Opens the dialler with [number] filled in; false when there is none to open. */
    fun dial(number: String): Boolean

    /** Whether the reminder should be explained and notifications asked for now. */
    fun shouldAskNotifications(): Boolean

    /** Asks for the permission to post notifications; [done] when answered. */
    fun askNotifications(done: () -> Unit)

    /** The person chose "later": not asked again. */
    fun notificationsLater()

    /** Lets the person pick a time of day, starting at [start]. */
    fun pickTime(start: ReminderTime, picked: (ReminderTime) -> Unit)

    /** Opens the app's page in the app store (to update it); false when there is none. */
    fun openStore(): Boolean
}

/** What the view models share with the rest of the app. */
interface AppServices {
    /** After a save or a sign-in: send soon, and plan the reminder again. */
    suspend fun afterChange()

    /** The chosen language. */
    val languages: LanguageStore

    /** Where the daily reminder is planned. */
    val alarm: AlarmPort
}

val LocalWords = staticCompositionLocalOf<Words> { error("no Words provided") }
val LocalDevice = staticCompositionLocalOf<Device> { error("no Device provided") }

/** The string [id] in the app's language. */
@Composable
fun text(id: Int, vararg args: Any): String = LocalWords.current.text(id, *args)

/** The plural [id]'s form for [count]. */
@Composable
fun plural(id: Int, count: Int, vararg args: Any): String = LocalWords.current.plural(id, count, *args)
