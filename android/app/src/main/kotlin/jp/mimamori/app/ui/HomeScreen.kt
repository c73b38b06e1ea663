/*
 * Home: whose day it is (the owner or a household member), whether today's report
 * was made, the latest advice as the core words it, the upload queue (waiting, last
 * sent, the last failure's class, each refused report with the server's reason, and
 * "retry"), a large button that dials the emergency number, and the ways to every
 * other screen. On Android 13+ it asks, once and politely, to allow the daily
 * reminder's notification.
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import jp.mimamori.app.R
import jp.mimamori.core.localTimeText
import jp.mimamori.core.HomeViewModel
import jp.mimamori.core.Screen
import uniffi.mobile_core.SyncErrorKind

/** Home; [onReport] opens the form for the person shown, [onOpen] any other screen. */
@Composable
fun HomeScreen(model: HomeViewModel, onReport: (String) -> Unit, onOpen: (Screen) -> Unit, onLoginRequired: () -> Unit) {
    val s by model.state.collectAsState()
    LaunchedEffect(Unit) { model.refresh() }
    LaunchedEffect(s.needsLogin) { if (s.needsLogin) onLoginRequired() }
    ScreenColumn {
        Heading(text(R.string.today_title))
        // The bar's room is kept while idle, so nothing moves under a finger when it shows.
        Box(Modifier.fillMaxWidth().height(4.dp)) { if (s.loading || s.syncing) LinearProgressIndicator(Modifier.fillMaxWidth()) }
        PersonPicker(s.people, s.personId) { model.selectPerson(it) }
        s.localDate?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
        s.error?.let { ScreenErrorText(it) }

        Text(
            text(if (s.reportedToday) R.string.today_reported else R.string.today_not_reported),
            style = MaterialTheme.typography.titleMedium,
        )
        Button(onClick = { onReport(s.personId) }, modifier = Modifier.fillMaxWidth()) {
            Text(text(if (s.reportedToday) R.string.today_report_again else R.string.today_report))
        }
        s.advice?.let { AdviceCard(it) }
        val number = s.emergency?.phoneNumber
        if (number != null && !s.showEmergencyNumber) {
            s.emergency?.let { Text(it.centreName, style = MaterialTheme.typography.bodyLarge) }
            CallButton(number)
        } else if (number == null) {
            OutlinedButton(onClick = { onOpen(Screen.Contact()) }, modifier = Modifier.fillMaxWidth()) {
                Text(text(R.string.contact_title))
            }
        }

        SyncCard(s, onSyncNow = { model.syncNow() }, onRetry = { model.retry() })
        NotificationAsk()

        SubHeading(text(R.string.home_more))
        OutlinedButton(onClick = { onOpen(Screen.History) }, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.history_title)) }
        OutlinedButton(onClick = { onOpen(Screen.Household) }, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.household_title)) }
        OutlinedButton(onClick = { onOpen(Screen.UrgentCheck) }, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.today_urgent_check)) }
        OutlinedButton(onClick = { onOpen(Screen.Contact()) }, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.contact_edit)) }
        OutlinedButton(onClick = { onOpen(Screen.Settings) }, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.settings_title)) }
    }
}

/** Waiting, last sent, the last failure and each refused report, with retry. */
@Composable
private fun SyncCard(s: HomeViewModel.State, onSyncNow: () -> Unit, onRetry: () -> Unit) {
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            SubHeading(text(R.string.sync_title))
            if (s.pendingSync > 0) {
                val count = s.pendingSync.coerceAtMost(Int.MAX_VALUE.toLong()).toInt()
                Text(plural(R.plurals.today_pending, count, count))
            } else {
                Text(text(R.string.sync_nothing_waiting))
            }
            Text(s.lastSentAt?.let { text(R.string.sync_last_sent, localTimeText(it)) } ?: text(R.string.sync_never_sent))
            s.lastSyncError?.let { Text(text(syncErrorText(it)), color = MaterialTheme.colorScheme.error) }
            s.syncError?.let { ScreenErrorText(it) }
            s.failed.forEach { f ->
                Text(
                    text(R.string.sync_refused, f.report.localDate, f.reason),
                    color = MaterialTheme.colorScheme.error,
                    style = MaterialTheme.typography.bodyMedium,
                )
            }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = onSyncNow, enabled = !s.syncing) { Text(text(R.string.sync_now)) }
                if (s.canRetry) Button(onClick = onRetry, enabled = !s.syncing) { Text(text(R.string.sync_retry)) }
            }
        }
    }
}

private fun syncErrorText(kind: SyncErrorKind): Int = when (kind) {
    SyncErrorKind.NETWORK -> R.string.sync_error_network
    SyncErrorKind.SERVER -> R.string.sync_error_server
    SyncErrorKind.UNAUTHORIZED -> R.string.sync_error_login
    SyncErrorKind.THROTTLED -> R.string.sync_error_throttled
    SyncErrorKind.STORAGE -> R.string.sync_error_storage
}

/** Explains the reminder first, then asks for the permission (Android 13+), once. */
@Composable
private fun NotificationAsk() {
    val device = LocalDevice.current
    var show by remember { mutableStateOf(device.shouldAskNotifications()) }
    if (!show) return
    Card(Modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            SubHeading(text(R.string.notify_title))
            Text(text(R.string.notify_why))
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { device.askNotifications { show = false } }) { Text(text(R.string.notify_allow)) }
                TextButton(onClick = { device.notificationsLater(); show = false }) {
                    Text(text(R.string.notify_later))
                }
            }
        }
    }
}
