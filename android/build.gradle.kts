// Root build of the Android shell: declares the plugins once, at the versions of
// gradle/libs.versions.toml (the one list of versions); each module applies the ones it
// needs.
plugins {
    alias(libs.plugins.android.application) apply false
    alias(libs.plugins.kotlin.jvm) apply false
    alias(libs.plugins.kotlin.android) apply false
    alias(libs.plugins.kotlin.compose) apply false
}
