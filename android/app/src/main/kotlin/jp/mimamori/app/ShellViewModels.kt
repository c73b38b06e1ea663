/*
 * AndroidX ViewModel holders for the plain-Kotlin view models of `core`: each gives
 * its model the ViewModel's scope (main thread, cancelled when the screen goes away)
 * and starts its first load. Screens reach the repository only through these.
 */
package jp.mimamori.app

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import jp.mimamori.core.MimamoriRepository
import jp.mimamori.core.ReportFormViewModel
import jp.mimamori.core.TodayViewModel
import jp.mimamori.core.UrgentCheckViewModel

/** Holds the daily report form across configuration changes. */
class ReportFormHolder(repository: MimamoriRepository) : ViewModel() {
    val model = ReportFormViewModel(repository, viewModelScope).also { it.load() }
}

/** Holds the home screen's state. */
class TodayHolder(repository: MimamoriRepository) : ViewModel() {
    val model = TodayViewModel(repository, viewModelScope).also { it.refresh() }
}

/** Holds the family's urgent-symptom check. */
class UrgentCheckHolder(repository: MimamoriRepository) : ViewModel() {
    val model = UrgentCheckViewModel(repository, viewModelScope).also { it.load() }
}
