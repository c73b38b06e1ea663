/*
 * The emergency contact from the leaflet, in plain Kotlin: the app opened from the
 * leaflet's QR code (a deep link `https://<server>/app?centre=…&name=…&tel=…`, or the
 * app's own scheme wrapping that link) hands the link to the core's one parser
 * (`openLeafletLink`), which refuses another server's link; or the person types the
 * centre's name and number, and can correct them later. Works with no account and no
 * network. The link never changes the server the app talks to.
 */
package jp.mimamori.core

import java.net.URI
import java.net.URLDecoder
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import uniffi.mobile_core.EmergencyContact

/** The contact screen; call [load] when it shows, [openLink] when a link arrived. */
class EmergencyContactViewModel(
    private val repository: MimamoriRepository,
    private val scope: CoroutineScope,
) {
    /** Everything the contact screen shows. */
    data class State(
        val loading: Boolean = true,
        /** The contact stored now. */
        val contact: EmergencyContact? = null,
        /** The form's fields, filled with the stored contact to correct it. */
        val centreName: String = "",
        val phoneNumber: String = "",
        val saving: Boolean = false,
        /** Set when the last action stored a contact (from a link or the form). */
        val stored: Boolean = false,
        /** Whether the contact came from the leaflet's link just now. */
        val fromLink: Boolean = false,
        /** A refused field (`link`, `centre_name`, `phone_number`) with the core's message. */
        val fieldError: ScreenError.Invalid? = null,
        val error: ScreenError? = null,
    ) {
        /** The message about the link (another server's, not a leaflet's). */
        val linkError: String? get() = fieldError?.takeIf { it.field == "link" }?.reason

        /** The message under the centre's name. */
        val centreError: String? get() = fieldError?.takeIf { it.field == "centre_name" }?.reason

        /** The message under the number. */
        val phoneError: String? get() = fieldError?.takeIf { it.field == "phone_number" }?.reason
    }

    private val mutableState = MutableStateFlow(State())

    /** The screen's current state. */
    val state: StateFlow<State> = mutableState.asStateFlow()

    /** Reads the stored contact into the form. */
    fun load(): Job = scope.launch {
        val stored = repository.emergencyContact()
        mutableState.update { s ->
            val c = stored.valueOrNull()
            s.copy(
                loading = false,
                contact = c,
                centreName = c?.centreName ?: s.centreName,
                phoneNumber = c?.phoneNumber ?: s.phoneNumber,
                error = stored.errorOrNull(),
            )
        }
    }

    /**
     * Opens [link] as the app received it (the leaflet's https address, or the app's
     * scheme `mimamori://leaflet?link=<that address>`): the core reads and stores the
     * centre. A refused link keeps the stored contact and says why beside the form.
     */
    fun openLink(link: String): Job {
        mutableState.update { it.copy(saving = true, fieldError = null, error = null, stored = false) }
        return scope.launch {
            val result = repository.openLeafletLink(unwrapAppLink(link))
            mutableState.update { s ->
                when (result) {
                    is Outcome.Success -> s.copy(
                        loading = false,
                        saving = false,
                        contact = result.value,
                        centreName = result.value.centreName,
                        phoneNumber = result.value.phoneNumber,
                        stored = true,
                        fromLink = true,
                    )
                    is Outcome.Failure -> s.copy(
                        saving = false,
                        fieldError = (result.error as? ScreenError.Invalid)?.let { ScreenError.Invalid("link", it.reason) },
                        error = result.error.takeUnless { it is ScreenError.Invalid },
                    )
                }
            }
        }
    }

    /** The centre's name as typed. */
    fun setCentreName(text: String) {
        mutableState.update { it.copy(centreName = text, stored = false, fieldError = it.fieldError?.takeUnless { e -> e.field == "centre_name" }) }
    }

    /** The number as typed. */
    fun setPhoneNumber(text: String) {
        mutableState.update { it.copy(phoneNumber = text, stored = false, fieldError = it.fieldError?.takeUnless { e -> e.field == "phone_number" }) }
    }

    /** Stores the typed name and number (new, or a correction). */
    fun save(): Job {
        val before = mutableState.value
        if (before.saving) return completedJob()
        mutableState.update { it.copy(saving = true, fieldError = null, error = null, stored = false) }
        return scope.launch {
            val result = repository.setEmergencyContact(EmergencyContact(before.centreName, before.phoneNumber))
            // The core may normalise the number: show what it stored.
            val now = if (result is Outcome.Success) repository.emergencyContact().valueOrNull() else null
            mutableState.update { s ->
                when (result) {
                    is Outcome.Success -> s.copy(
                        saving = false,
                        contact = now,
                        centreName = now?.centreName ?: s.centreName,
                        phoneNumber = now?.phoneNumber ?: s.phoneNumber,
                        stored = true,
                        fromLink = false,
                    )
                    is Outcome.Failure -> s.copy(
                        saving = false,
                        fieldError = result.error as? ScreenError.Invalid,
                        error = result.error.takeUnless { it is ScreenError.Invalid },
                    )
                }
            }
        }
    }

    companion object {
        /** The app's own scheme, for links that cannot be the leaflet's https address. */
        const val APP_SCHEME: String = "mimamori"

        /**
         * The leaflet's link inside an app-scheme link (`mimamori://leaflet?link=…`);
         * any other text is returned as it is, for the core to read. Only unwraps: the
         * leaflet's format is read by the core alone.
         */
        fun unwrapAppLink(link: String): String {
            val trimmed = link.trim()
            if (!trimmed.startsWith("$APP_SCHEME://", ignoreCase = true)) return trimmed
            val query = runCatching { URI(trimmed).rawQuery }.getOrNull() ?: return trimmed
            return query.split('&')
                .map { it.substringBefore('=') to it.substringAfter('=', "") }
                .firstOrNull { it.first == "link" }
                ?.let { URLDecoder.decode(it.second, Charsets.UTF_8.name()) }
                ?: trimmed
        }
    }
}
