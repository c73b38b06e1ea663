/*
 * The daily reminder on WorkManager: WorkManagerAlarm is the core module's AlarmPort
 * (exactly one reminder planned, replaced on each decision, survives a reboot), and
 * ReminderWorker posts the notification the core worded when the time comes, then
 * asks the core for the next one. Notifications owns the channel and posting, which
 * needs POST_NOTIFICATIONS on Android 13+: without it nothing is posted, quietly.
 */
package jp.mimamori.app.work

import android.Manifest
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import androidx.work.CoroutineWorker
import androidx.work.ExistingWorkPolicy
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import androidx.work.workDataOf
import java.util.concurrent.TimeUnit
import jp.mimamori.app.MainActivity
import jp.mimamori.app.MimamoriApplication
import jp.mimamori.app.R
import jp.mimamori.core.AlarmPort
import uniffi.mobile_core.ReminderPlan

/** The one planned reminder as unique delayed work. */
class WorkManagerAlarm(private val context: Context) : AlarmPort {
    override fun schedule(plan: ReminderPlan) {
        val delay = (plan.atEpochMs - System.currentTimeMillis()).coerceAtLeast(0)
        val request = OneTimeWorkRequestBuilder<ReminderWorker>()
            .setInitialDelay(delay, TimeUnit.MILLISECONDS)
            .setInputData(workDataOf(ReminderWorker.TITLE to plan.title, ReminderWorker.BODY to plan.body))
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(NAME, ExistingWorkPolicy.REPLACE, request)
    }

    override fun cancel() {
        WorkManager.getInstance(context).cancelUniqueWork(NAME)
    }

    private companion object {
        const val NAME = "daily-reminder"
    }
}

/** Posts the reminder, then plans the next one. */
class ReminderWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val title = inputData.getString(TITLE).orEmpty()
        val body = inputData.getString(BODY).orEmpty()
        if (title.isNotEmpty()) Notifications.postReminder(applicationContext, title, body)
        (applicationContext as MimamoriApplication).reminders()?.reschedule()
        return Result.success()
    }

    companion object {
        const val TITLE = "title"
        const val BODY = "body"
    }
}

/** The reminder's channel and notification. */
object Notifications {
    private const val CHANNEL = "daily-reminder"
    private const val REMINDER_ID = 1

    /** Creates the channel (Android 8+; this app's minimum). */
    fun createChannel(context: Context) {
        val channel = NotificationChannel(
            CHANNEL,
            context.getString(R.string.reminder_channel),
            NotificationManager.IMPORTANCE_DEFAULT,
        ).apply { description = context.getString(R.string.reminder_channel_description) }
        context.getSystemService(NotificationManager::class.java)?.createNotificationChannel(channel)
    }

    /** Whether notifications may be posted (the permission on Android 13+ and the setting). */
    fun allowed(context: Context): Boolean {
        val permission = Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU ||
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED
        return permission && NotificationManagerCompat.from(context).areNotificationsEnabled()
    }

    /** Posts the reminder that opens the app; nothing when not allowed. */
    fun postReminder(context: Context, title: String, body: String) {
        if (!allowed(context)) return
        val open = PendingIntent.getActivity(
            context,
            0,
            Intent(context, MainActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK or Intent.FLAG_ACTIVITY_CLEAR_TOP),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val notification = NotificationCompat.Builder(context, CHANNEL)
            .setSmallIcon(android.R.drawable.ic_popup_reminder)
            .setContentTitle(title)
            .setContentText(body)
            .setStyle(NotificationCompat.BigTextStyle().bigText(body))
            .setContentIntent(open)
            .setAutoCancel(true)
            .build()
        try {
            NotificationManagerCompat.from(context).notify(REMINDER_ID, notification)
        } catch (e: SecurityException) {
            // The permission was withdrawn between the check and the post: nothing shown.
        }
    }
}
