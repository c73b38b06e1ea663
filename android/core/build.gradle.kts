// The `core` module: pure Kotlin (no Android classes), so it builds and tests on any
// JVM. Compiles the UniFFI-generated binding from ../build/bindings/kotlin (made by
// tests/bindings.sh, never committed) with the repository and the view models; the
// fake lives in the test fixtures so tests and Compose previews share it.
plugins {
    kotlin("jvm")
    `java-test-fixtures`
}

kotlin {
    jvmToolchain(17)
}

val generatedBinding = rootProject.file("../build/bindings/kotlin")
val nativeLibraryDir = rootProject.file("../build/bindings/lib")

sourceSets {
    main {
        kotlin.srcDir(generatedBinding)
    }
}

dependencies {
    api("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.8.0")
    // The app brings JNA as an Android archive (`jna@aar`); tests use the plain jar.
    compileOnly("net.java.dev.jna:jna:5.17.0")
    testFixturesApi("org.jetbrains.kotlinx:kotlinx-coroutines-core:1.8.0")
    testImplementation("org.junit.jupiter:junit-jupiter:5.9.3")
    testRuntimeOnly("org.junit.platform:junit-platform-launcher")
    testRuntimeOnly("net.java.dev.jna:jna:5.17.0")
}

tasks.test {
    useJUnitPlatform()
    // The real-core test loads libmobile_core.so built for the host by tests/bindings.sh.
    systemProperty("jna.library.path", nativeLibraryDir.path)
}
