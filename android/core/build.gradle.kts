// The `core` module: pure Kotlin (no Android classes), so it builds and tests on any
// JVM. Compiles the UniFFI-generated binding from ../build/bindings/kotlin (made by the
// task generateKotlinBinding, never committed) with the repository and the view models; the
// fake lives in the test fixtures so tests and Compose previews share it.
plugins {
    alias(libs.plugins.kotlin.jvm)
    `java-test-fixtures`
}

kotlin {
    jvmToolchain(17)
}

val generatedBinding = rootProject.file("../build/bindings/kotlin")
val nativeLibraryDir = rootProject.file("../build/bindings/lib")

// The Kotlin binding, generated from the core's own library before it is compiled
// (android/build-binding.sh: the host library for the tests, and uniffi-bindgen).
val generateKotlinBinding by tasks.registering(Exec::class) {
    description = "Builds the phone core for this machine and generates its Kotlin binding"
    workingDir = rootProject.file("..")
    commandLine("bash", "android/build-binding.sh")
    outputs.dir(generatedBinding)
}
tasks.named("compileKotlin") { dependsOn(generateKotlinBinding) }
sourceSets {
    main {
        kotlin.srcDir(generatedBinding)
    }
}

// Versions: gradle/libs.versions.toml (tests/setup/kotlin.sh fetches the same for the
// test suites that run without Gradle).
dependencies {
    api(libs.kotlinx.coroutines.core)
    // The app brings JNA as an Android archive; tests use the plain jar.
    compileOnly(libs.jna)
    testFixturesApi(libs.kotlinx.coroutines.core)
    testImplementation(libs.junit.jupiter)
    testRuntimeOnly(libs.junit.platform.launcher)
    testRuntimeOnly(libs.jna)
}

tasks.test {
    useJUnitPlatform()
    // The real-core test loads libmobile_core.so built for the host by tests/bindings.sh.
    systemProperty("jna.library.path", nativeLibraryDir.path)
}
