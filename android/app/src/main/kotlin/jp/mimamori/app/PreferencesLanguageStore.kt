/*
 * The app's language choice kept in SharedPreferences: Japanese by default, English
 * when chosen (or, before any choice, when the phone itself is set to English). The
 * core's wording and the app's own strings both follow it; MainActivity applies it
 * to its resources and is recreated when it changes.
 */
package jp.mimamori.app

import android.content.Context
import android.content.res.Configuration
import java.util.Locale
import jp.mimamori.core.AppLanguage
import jp.mimamori.core.LanguageStore

/** The chosen language, stored on the phone. */
class PreferencesLanguageStore(context: Context) : LanguageStore {
    private val prefs = context.getSharedPreferences("settings", Context.MODE_PRIVATE)

    override fun get(): AppLanguage = AppLanguage.fromTag(prefs.getString(KEY, null) ?: Locale.getDefault().language)

    override fun set(language: AppLanguage) {
        prefs.edit().putString(KEY, language.tag).apply()
    }

    /** [base] with its resources in the chosen language. */
    fun wrap(base: Context): Context {
        val locale = Locale.forLanguageTag(get().tag)
        val config = Configuration(base.resources.configuration)
        config.setLocale(locale)
        return base.createConfigurationContext(config)
    }

    private companion object {
        const val KEY = "language"
    }
}
