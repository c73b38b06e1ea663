/*
 * Shows an AdviceView exactly as the core words it: the headline, the reasons, the
 * urgent-symptom groups to check now, and the emergency-number card when the core says
 * to show it. Also turns a ScreenError into a line of text (the core's own message for
 * a refused input or a server's refusal, the app's strings for storage trouble, a needed
 * login, being offline, waiting N seconds and anything unexpected); an app too old for
 * the server gets how to update it and a button to the store.
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.font.FontWeight
import androidx.compose.ui.unit.dp
import jp.mimamori.app.R
import jp.mimamori.core.ScreenError
import uniffi.mobile_core.AdviceView
import uniffi.mobile_core.Urgency

/** The advice for a report or a family's check. */
@Composable
fun AdviceCard(advice: AdviceView, modifier: Modifier = Modifier) {
    Column(modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        if (advice.showEmergencyNumber) {
            EmergencyNumberCard(advice.emergency, instruction = advice.callInstruction)
        }
        Card(Modifier.fillMaxWidth()) {
            Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(
                    advice.headline,
                    modifier = Modifier.semantics { heading() },
                    style = MaterialTheme.typography.titleLarge,
                    fontWeight = if (advice.urgency == Urgency.CALL_NOW) FontWeight.Bold else FontWeight.Normal,
                    color = if (advice.urgency == Urgency.CALL_NOW) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface,
                )
                advice.reasons.forEach { reason -> Text("・$reason", style = MaterialTheme.typography.bodyMedium) }
            }
        }
        advice.checkGroups.forEach { group ->
            Card(Modifier.fillMaxWidth()) {
                Column(Modifier.padding(16.dp)) {
                    Text(group.title, style = MaterialTheme.typography.titleMedium)
                    group.symptoms.forEach { symptom ->
                        Text(
                            "・" + symptom.text + if (symptom.judgedByFamily) " ※" else "",
                            style = MaterialTheme.typography.bodyMedium,
                        )
                    }
                }
            }
        }
    }
}

/**
 * One line explaining [error]; [offline] is the words for an unreachable server (a
 * screen that keeps nothing on the phone says so differently).
 */
@Composable
fun ScreenErrorText(error: ScreenError, modifier: Modifier = Modifier, offline: Int = R.string.error_offline) {
    val text = when (error) {
        is ScreenError.Invalid -> error.reason
        is ScreenError.Corrupt -> text(R.string.error_corrupt)
        is ScreenError.Storage -> text(R.string.error_storage)
        is ScreenError.LoginRequired -> text(R.string.error_login_required)
        is ScreenError.Offline -> text(offline)
        is ScreenError.Throttled -> text(R.string.error_throttled, error.retryAfterSeconds)
        is ScreenError.Server -> error.reason
        is ScreenError.SecureConnection -> error.reason
        is ScreenError.NewerData -> text(R.string.error_newer_data)
        is ScreenError.UpdateRequired -> {
            UpdateRequired(modifier)
            return
        }
        is ScreenError.Keystore -> text(R.string.error_keystore)
        is ScreenError.Cancelled -> text(R.string.error_sync_stopped)
        is ScreenError.Unexpected -> text(R.string.error_unexpected)
    }
    Text(text, modifier = modifier, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyMedium)
}

/** The app is too old for the server: how to update it, and the way to the store. */
@Composable
private fun UpdateRequired(modifier: Modifier) {
    val device = LocalDevice.current
    Card(modifier.fillMaxWidth()) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(text(R.string.error_update_required), color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodyLarge)
            Button(onClick = { device.openStore() }, modifier = Modifier.fillMaxWidth()) { Text(text(R.string.update_open_store)) }
        }
    }
}
