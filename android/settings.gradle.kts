// Gradle settings of the Android shell: where plugins and libraries come from, and
// the two modules — `core` (pure Kotlin: repository, view models) and `app` (Compose).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "Mimamori"
include(":core", ":app")
