/*
 * AndroidX ViewModel holders for the plain-Kotlin view models of `core`: each gives
 * its model the ViewModel's scope (main thread, cancelled when the screen goes away),
 * wires in what the app shares (AppServices: ask for a sync and plan the reminder after
 * a save or a sign-in, the language store, the reminder's alarm) and starts its first
 * load. Screens reach the repository only through these. The same classes run on the
 * JVM (JetBrains publishes androidx.lifecycle for desktops).
 */
package jp.mimamori.app.ui

import androidx.lifecycle.ViewModel
import androidx.lifecycle.ViewModelStore
import androidx.lifecycle.ViewModelStoreOwner
import androidx.lifecycle.viewModelScope
import jp.mimamori.core.DataRequestsViewModel
import jp.mimamori.core.EmergencyContactViewModel
import jp.mimamori.core.HistoryViewModel
import jp.mimamori.core.HomeViewModel
import jp.mimamori.core.HouseholdViewModel
import jp.mimamori.core.LoginViewModel
import jp.mimamori.core.MimamoriRepository
import jp.mimamori.core.NavigationViewModel
import jp.mimamori.core.RegistrationViewModel
import jp.mimamori.core.ReminderScheduler
import jp.mimamori.core.ReportFormViewModel
import jp.mimamori.core.SettingsViewModel
import jp.mimamori.core.UrgentCheckViewModel

/**
 * Where the app is, and the view models of each visit on the back stack: every visit
 * has a store of its own, cleared (its models' work cancelled) when the visit leaves
 * the stack. Being a ViewModel itself, it outlives the activity's re-creation, and so
 * do the visits' models.
 */
class NavigationHolder(repository: MimamoriRepository) : ViewModel() {
    val model = NavigationViewModel(repository, viewModelScope)
    private val owners = mutableMapOf<Long, ViewModelStoreOwner>()

    /** The owner of [visit]'s view models. */
    fun owner(visit: Long): ViewModelStoreOwner = owners.getOrPut(visit) {
        object : ViewModelStoreOwner {
            override val viewModelStore: ViewModelStore = ViewModelStore()
        }
    }

    /** Clears the stores of the visits no longer on the stack. */
    fun keepOnly(visits: Set<Long>) {
        owners.keys.filter { it !in visits }.forEach { owners.remove(it)?.viewModelStore?.clear() }
    }

    override fun onCleared() {
        owners.values.forEach { it.viewModelStore.clear() }
        owners.clear()
    }
}

/** First registration. */
class RegistrationHolder(repository: MimamoriRepository) : ViewModel() {
    val model = RegistrationViewModel(repository, viewModelScope).also { it.load() }
}

/** Sign-in. */
class LoginHolder(repository: MimamoriRepository, app: AppServices) : ViewModel() {
    val model = LoginViewModel(repository, viewModelScope, afterLogin = { app.afterChange() })
}

/** Home. */
class HomeHolder(repository: MimamoriRepository) : ViewModel() {
    val model = HomeViewModel(repository, viewModelScope).also { it.refresh() }
}

/** The daily report form. */
class ReportFormHolder(repository: MimamoriRepository, app: AppServices, personId: String) : ViewModel() {
    val model = ReportFormViewModel(repository, viewModelScope, personId, afterSave = { app.afterChange() }).also { it.load() }
}

/** The household. */
class HouseholdHolder(repository: MimamoriRepository) : ViewModel() {
    val model = HouseholdViewModel(repository, viewModelScope).also { it.load() }
}

/** The history. */
class HistoryHolder(repository: MimamoriRepository) : ViewModel() {
    val model = HistoryViewModel(repository, viewModelScope).also { it.load() }
}

/** The family's urgent-symptom check. */
class UrgentCheckHolder(repository: MimamoriRepository) : ViewModel() {
    val model = UrgentCheckViewModel(repository, viewModelScope).also { it.load() }
}

/** The emergency contact from the leaflet. */
class ContactHolder(repository: MimamoriRepository) : ViewModel() {
    val model = EmergencyContactViewModel(repository, viewModelScope).also { it.load() }
}

/** Settings. */
class SettingsHolder(repository: MimamoriRepository, app: AppServices) : ViewModel() {
    val model = SettingsViewModel(
        repository,
        viewModelScope,
        app.languages,
        ReminderScheduler(repository, app.alarm),
    ).also { it.load() }
}

/** The person's requests about their data. */
class DataRequestsHolder(repository: MimamoriRepository) : ViewModel() {
    val model = DataRequestsViewModel(repository, viewModelScope).also { it.load() }
}
