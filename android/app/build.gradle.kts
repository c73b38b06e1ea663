// The `app` module: the Android application — Compose screens, MainActivity, the
// WorkManager workers (sync, daily reminder), string resources (Japanese default,
// English in values-en) — on top of `core`. The phone core's native library for each
// ABI is expected in ../build/android-jniLibs (android/build-jnilibs.sh: cargo-ndk
// output, arm64-v8a/libmobile_core.so, …); it cannot be built without the NDK.
//
// The server: `-Pmimamori.serverUrl=https://…` (release; the leaflet's links must
// point at the same address, as the core refuses another server's link). Debug builds
// use http://127.0.0.1:8080 with `adb reverse tcp:8080 tcp:8080` (see README.md: the
// core allows plain http only to this device, so the emulator's 10.0.2.2 is refused).
import java.net.URI

plugins {
    id("com.android.application")
    kotlin("android")
    kotlin("plugin.compose")
}

val serverUrl: String = providers.gradleProperty("mimamori.serverUrl").getOrElse("https://mimamori.example.jp")
val debugServerUrl: String = providers.gradleProperty("mimamori.debugServerUrl").getOrElse("http://127.0.0.1:8080")

android {
    namespace = "jp.mimamori.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "jp.mimamori.app"
        minSdk = 26
        targetSdk = 35
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

dependencies {
    implementation(project(":core"))
    // 5.17.0: the first JNA whose jnidispatch loads on 16 KB page devices.
    implementation("net.java.dev.jna:jna:5.17.0@aar")
    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.material3:material3")
    implementation("androidx.compose.ui:ui")
    implementation("androidx.compose.ui:ui-tooling-preview")
    implementation("androidx.core:core-ktx:1.15.0")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.lifecycle:lifecycle-viewmodel-compose:2.8.7")
    implementation("androidx.work:work-runtime-ktx:2.10.0")
    debugImplementation("androidx.compose.ui:ui-tooling")
}
