/*
 * The one activity: waits for the phone core to open, then shows three tabs — today,
 * the daily report form and the family's urgent-symptom check. A database that cannot
 * be opened is explained instead of silently replaced.
 */
package jp.mimamori.app

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.painterResource
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.viewmodel.compose.viewModel
import jp.mimamori.app.ui.ReportFormScreen
import jp.mimamori.app.ui.ScreenErrorText
import jp.mimamori.app.ui.TodayScreen
import jp.mimamori.app.ui.UrgentCheckScreen
import jp.mimamori.core.MimamoriRepository
import jp.mimamori.core.Outcome

class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val app = application as MimamoriApplication
        setContent {
            MaterialTheme {
                val opened by produceState<Outcome<MimamoriRepository>?>(initialValue = null) {
                    value = app.repository.await()
                }
                when (val o = opened) {
                    null -> Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) {
                        CircularProgressIndicator()
                    }
                    is Outcome.Failure -> Box(Modifier.fillMaxSize().padding(24.dp), contentAlignment = Alignment.Center) {
                        ScreenErrorText(o.error)
                    }
                    is Outcome.Success -> MimamoriTabs(o.value)
                }
            }
        }
    }
}

/** The app's three places. */
private enum class Tab { TODAY, REPORT, URGENT }

@Composable
private fun MimamoriTabs(repository: MimamoriRepository) {
    var tab by rememberSaveable { mutableStateOf(Tab.TODAY) }
    val today = viewModel { TodayHolder(repository) }.model
    val form = viewModel { ReportFormHolder(repository) }.model
    val urgent = viewModel { UrgentCheckHolder(repository) }.model

    Scaffold(
        bottomBar = {
            NavigationBar {
                NavigationBarItem(
                    selected = tab == Tab.TODAY,
                    onClick = { tab = Tab.TODAY; today.refresh() },
                    icon = { Icon(painter = painterResource(android.R.drawable.ic_menu_today), contentDescription = null) },
                    label = { Text(stringResource(R.string.tab_today)) },
                )
                NavigationBarItem(
                    selected = tab == Tab.REPORT,
                    onClick = { tab = Tab.REPORT },
                    icon = { Icon(painter = painterResource(android.R.drawable.ic_menu_edit), contentDescription = null) },
                    label = { Text(stringResource(R.string.tab_report)) },
                )
                NavigationBarItem(
                    selected = tab == Tab.URGENT,
                    onClick = { tab = Tab.URGENT },
                    icon = { Icon(painter = painterResource(android.R.drawable.ic_dialog_alert), contentDescription = null) },
                    label = { Text(stringResource(R.string.tab_urgent)) },
                )
            }
        },
    ) { padding ->
        Box(Modifier.padding(padding)) {
            when (tab) {
                Tab.TODAY -> TodayScreen(
                    model = today,
                    onReport = { tab = Tab.REPORT },
                    onUrgentCheck = { tab = Tab.URGENT },
                )
                Tab.REPORT -> ReportFormScreen(
                    model = form,
                    onDone = {
                        form.startNew()
                        today.refresh()
                        tab = Tab.TODAY
                    },
                )
                Tab.URGENT -> UrgentCheckScreen(model = urgent)
            }
        }
    }
}
