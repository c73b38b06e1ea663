/*
 * The app's Material 3 theme: light or dark as the system is set, type sizes in sp so
 * every text grows with the system's font size.
 */
package jp.mimamori.app.ui

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable

/** Light or dark with the system. */
@Composable
fun MimamoriTheme(content: @Composable () -> Unit) {
    MaterialTheme(colorScheme = if (isSystemInDarkTheme()) darkColorScheme() else lightColorScheme(), content = content)
}
