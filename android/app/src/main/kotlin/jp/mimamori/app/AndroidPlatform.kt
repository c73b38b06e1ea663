/*
 * Android's side of the screens' platform interfaces (ui/Platform.kt): the words from
 * the string resources of the activity's context (in the chosen language), the dialler
 * (ACTION_DIAL), the notification permission (asked once, after the home screen has
 * explained the reminder) and the system's time picker.
 */
package jp.mimamori.app

import android.Manifest
import android.app.TimePickerDialog
import android.content.ActivityNotFoundException
import android.content.Context
import android.content.Intent
import android.net.Uri
import android.os.Build
import androidx.activity.ComponentActivity
import androidx.activity.result.contract.ActivityResultContracts
import jp.mimamori.app.ui.Device
import jp.mimamori.app.ui.Words
import jp.mimamori.app.work.Notifications
import uniffi.mobile_core.ReminderTime

/** Words from [context]'s resources. */
class AndroidWords(private val context: Context) : Words {
    override fun text(id: Int, vararg args: Any): String = context.getString(id, *args)

    override fun plural(id: Int, count: Int, vararg args: Any): String =
        context.resources.getQuantityString(id, count, *args)
}

/** The permission request, registered when the activity is made (before it starts). */
class NotificationPermission(activity: ComponentActivity) {
    private var answered: (() -> Unit)? = null
    private val launcher = activity.registerForActivityResult(ActivityResultContracts.RequestPermission()) {
        answered?.invoke()
        answered = null
    }

    /** Asks; [done] when the person answered. */
    fun ask(done: () -> Unit) {
        answered = done
        launcher.launch(Manifest.permission.POST_NOTIFICATIONS)
    }
}

/** The phone's dialler, permission dialog and time picker. */
class AndroidDevice(private val activity: ComponentActivity, private val permission: NotificationPermission) : Device {
    private val prefs = activity.getSharedPreferences("settings", Context.MODE_PRIVATE)

    override fun dial(number: String): Boolean = try {
        activity.startActivity(Intent(Intent.ACTION_DIAL, Uri.parse("tel:" + number.filter { it.isDigit() })))
        true
    } catch (e: ActivityNotFoundException) {
        false
    }

    override fun openStore(): Boolean {
        val id = activity.packageName
        for (uri in listOf("market://details?id=$id", "https://play.google.com/store/apps/details?id=$id")) {
            try {
                activity.startActivity(Intent(Intent.ACTION_VIEW, Uri.parse(uri)))
                return true
            } catch (e: ActivityNotFoundException) {
                continue
            }
        }
        return false
    }

    override fun shouldAskNotifications(): Boolean =
        Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU &&
            !Notifications.allowed(activity) && !prefs.getBoolean(ASKED, false)

    override fun askNotifications(done: () -> Unit) {
        permission.ask {
            prefs.edit().putBoolean(ASKED, true).apply()
            done()
        }
    }

    override fun notificationsLater() {
        prefs.edit().putBoolean(ASKED, true).apply()
    }

    override fun pickTime(start: ReminderTime, picked: (ReminderTime) -> Unit) {
        TimePickerDialog(activity, { _, h, m -> picked(ReminderTime(h.toUByte(), m.toUByte())) },
            start.hour.toInt(), start.minute.toInt(), true).show()
    }

    private companion object {
        const val ASKED = "notifications_asked"
    }
}
