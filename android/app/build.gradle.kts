// The `app` module: the Android application — Compose screens, MainActivity, the
// WorkManager workers (sync, daily reminder), string resources (Japanese default,
// English in values-en) — on top of `core`. The phone core's native library for each
// ABI is built into ../build/android-jniLibs by the task buildRustLibraries
// (android/build-jnilibs.sh: cargo-ndk, arm64-v8a/libmobile_core.so, …; it needs the
// NDK), before every build; the core module makes the Kotlin binding the same way.
//
// The server: `-Pmimamori.serverUrl=https://…` (release; the leaflet's links must
// point at the same address, as the core refuses another server's link). Debug builds
// use http://127.0.0.1:8080 with `adb reverse tcp:8080 tcp:8080` (see README.md: the
// core allows plain http only to this device, so the emulator's 10.0.2.2 is refused).
import java.net.URI

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

val serverUrl: String = providers.gradleProperty("mimamori.serverUrl").getOrElse("https://mimamori.example.jp")
val debugServerUrl: String = providers.gradleProperty("mimamori.debugServerUrl").getOrElse("http://127.0.0.1:8080")

android {
    namespace = "jp.mimamori.app"
    compileSdk = libs.versions.android.sdk.get().toInt()

    defaultConfig {
        applicationId = "jp.mimamori.app"
        minSdk = 26
        targetSdk = libs.versions.android.sdk.get().toInt()
        versionCode = 1
        versionName = "0.1.0"
        buildConfigField("String", "SERVER_URL", "\"$serverUrl\"")
        // The leaflet's https link opens the app: https://<this host>/app?centre=…
        manifestPlaceholders["appLinkHost"] = URI(serverUrl).host
    }

    buildTypes {
        debug {
            buildConfigField("String", "SERVER_URL", "\"$debugServerUrl\"")
        }
        release {
            isMinifyEnabled = false
        }
    }

    buildFeatures {
        compose = true
        buildConfig = true
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    sourceSets {
        getByName("main").jniLibs.srcDir(rootProject.file("../build/android-jniLibs"))
    }

    packaging {
        // 16 KB pages (Android 15+): native libraries stay uncompressed and aligned.
        jniLibs.useLegacyPackaging = false
    }
}

kotlin {
    jvmToolchain(17)
}

// The phone core for the app's ABIs, compiled by cargo-ndk before every build (cargo
// itself skips what is up to date).
val buildRustLibraries by tasks.registering(Exec::class) {
    description = "Builds libmobile_core.so for each ABI with cargo-ndk (android/build-jnilibs.sh)"
    workingDir = rootProject.file("..")
    commandLine("bash", "android/build-jnilibs.sh")
}
tasks.named("preBuild") { dependsOn(buildRustLibraries) }

// Versions: gradle/libs.versions.toml.
dependencies {
    implementation(project(":core"))
    // JNA as an Android archive (the jar's native parts are for desktops).
    implementation("net.java.dev.jna:jna:${libs.versions.jna.get()}@aar")
    implementation(platform(libs.compose.bom))
    implementation(libs.compose.material3)
    implementation(libs.compose.ui)
    implementation(libs.compose.ui.tooling.preview)
    implementation(libs.androidx.core.ktx)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.work.runtime.ktx)
    debugImplementation(libs.compose.ui.tooling)
}
