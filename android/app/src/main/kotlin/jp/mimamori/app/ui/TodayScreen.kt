/*
 * The home screen: whether today's report was made, today's advice as the core words
 * it (with the emergency-number card when the core says so), how many reports wait to
 * be sent, and buttons to the report form and to the family's urgent check.
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.LinearProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.pluralStringResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import jp.mimamori.app.R
import jp.mimamori.core.TodayViewModel

/** Today's status; [onReport] opens the form, [onUrgentCheck] the family's check. */
@Composable
fun TodayScreen(model: TodayViewModel, onReport: () -> Unit, onUrgentCheck: () -> Unit) {
    val state by model.state.collectAsState()
    Column(
        Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp),
    ) {
        Text(stringResource(R.string.today_title), style = MaterialTheme.typography.headlineSmall)
        if (state.loading) LinearProgressIndicator(Modifier.fillMaxWidth())
        state.localDate?.let { Text(it, style = MaterialTheme.typography.bodyMedium) }
        state.error?.let { ScreenErrorText(it) }

        Text(
            stringResource(if (state.reportedToday) R.string.today_reported else R.string.today_not_reported),
            style = MaterialTheme.typography.titleMedium,
        )
        state.advice?.let { AdviceCard(it) }
        if (!state.showEmergencyNumber && state.emergency != null) {
            EmergencyNumberCard(state.emergency)
        }
        if (state.pendingSync > 0) {
            val count = state.pendingSync.coerceAtMost(Int.MAX_VALUE.toLong()).toInt()
            Text(pluralStringResource(R.plurals.today_pending, count, count), style = MaterialTheme.typography.bodySmall)
        }

        Button(onClick = onReport, modifier = Modifier.fillMaxWidth()) {
            Text(stringResource(if (state.reportedToday) R.string.today_report_again else R.string.today_report))
        }
        OutlinedButton(onClick = onUrgentCheck, modifier = Modifier.fillMaxWidth()) {
            Text(stringResource(R.string.today_urgent_check))
        }
    }
}
