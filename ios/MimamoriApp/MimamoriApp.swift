// The iOS app's entry point: registers the background refresh and the notification
// delegate at launch (AppDelegate), opens the one phone core (AppServices) off the
// main actor, then shows the root screen the navigation model picks — start,
// registration, login or the tabs, each with its visit's model — in the language
// chosen in the settings (Japanese unless the phone prefers English), with how to
// update above every screen while the server asks for it. The leaflet's link
// (universal link or the `mimamori:` URL) is handled on every screen. When the app
// comes to the foreground the reminder is brought up to date and waiting reports are sent.
import MimamoriKit
import MobileCore
import SwiftUI

@main
struct MimamoriApp: App {
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var delegate

    var body: some Scene {
        WindowGroup {
            OpeningView()
        }
    }
}

/// Waits for the core, then shows the app; a core that cannot be opened is explained
/// (a damaged file is left as it is), never replaced silently.
struct OpeningView: View {
    private enum Opening {
        case opening
        case failed(ServiceError)
        case ready(AppEnvironment)
    }

    @State private var opening = Opening.opening
    @AppStorage(AppPreferences.languageKey) private var languageChoice = LanguageChoice.system.rawValue

    var body: some View {
        // A new language redraws every screen in it (the app's words here; the
        // signed-in app's models read the core's words again themselves).
        let language = (LanguageChoice(rawValue: languageChoice) ?? .system)
            .resolve(preferredLanguages: Locale.preferredLanguages)
        Group {
            switch opening {
            case .opening:
                ProgressView().accessibilityLabel(Text("app.opening"))
            case let .failed(error):
                ServiceErrorText(error: error).padding()
            case let .ready(environment):
                RootView(environment: environment)
            }
        }
        .environment(\.locale, Locale(identifier: language == .en ? "en" : "ja"))
        .environment(\.appWords, AppWords.of(language))
        .task { await open() }
    }

    private func open() async {
        guard case .opening = opening else { return }
        do {
            opening = .ready(try await AppEnvironment.make())
        } catch {
            opening = .failed(ServiceError.from(error))
        }
    }
}

/// Everything the screens share: the service, the reminder's scheduler and the
/// navigation model (which owns the sync job).
@MainActor
final class AppEnvironment {
    let service: CoreMimamoriService
    let reminders: ReminderScheduler
    let app: AppModel

    private init(service: CoreMimamoriService, preferences: AppPreferences, reminders: ReminderScheduler, sync: BackgroundSync) {
        self.service = service
        self.reminders = reminders
        self.app = AppModel(service: service, preferences: preferences, reminders: reminders, sync: sync,
                            appStore: AppStorePage.url(info: Bundle.main.infoDictionary))
        AppOutcomes.app = app
    }

    static func make() async throws -> AppEnvironment {
        let services = AppServices.shared
        return AppEnvironment(
            service: try await services.service(), preferences: services.preferences,
            reminders: try await services.reminders(), sync: try await services.job()
        )
    }
}

/// The root screen the navigation model picks with this visit's model, how to update
/// above every screen while the server asks for it, the sheets, and the leaflet's link.
struct RootView: View {
    let environment: AppEnvironment
    @ObservedObject private var app: AppModel
    @Environment(\.scenePhase) private var scenePhase
    @Environment(\.locale) private var locale
    @Environment(\.appWords) private var words

    init(environment: AppEnvironment) {
        self.environment = environment
        _app = ObservedObject(wrappedValue: environment.app)
    }

    var body: some View {
        VStack(spacing: 0) {
            UpdateNotice(app: app)
            screen
        }
        .sheet(isPresented: sheetShown) {
            VStack(spacing: 0) {
                UpdateNotice(app: app)
                NavigationStack {
                    switch app.state.sheet {
                    case .urgentCheck?:
                        UrgentCheckScreen(service: environment.service)
                    case .emergencyContact?, nil:
                        EmergencyContactView(model: app.contact)
                    }
                }
            }
            .environment(\.locale, locale)
            .environment(\.appWords, words)
        }
        .onOpenURL { url in
            Task { await app.open(url: url) }
        }
        .task { await app.load() }
        .onChange(of: scenePhase) { phase in
            guard phase == .active else { return }
            Task {
                await environment.reminders.reschedule()
                await app.syncSoon()
            }
        }
    }

    /// The root screen, with the model of this visit (a new visit draws afresh).
    @ViewBuilder
    private var screen: some View {
        switch app.state.screen {
        case .loading:
            ProgressView().accessibilityLabel(Text("app.opening"))
        case .start:
            StartView(app: app)
        case .registration:
            if let model = app.registration {
                RegistrationView(app: app, model: model).id(ObjectIdentifier(model))
            } else {
                ProgressView().accessibilityLabel(Text("app.opening"))
            }
        case .login:
            if let model = app.login {
                LoginView(app: app, model: model).id(ObjectIdentifier(model))
            } else {
                ProgressView().accessibilityLabel(Text("app.opening"))
            }
        case .main:
            if let main = app.main {
                MainTabs(app: app, main: main).id(ObjectIdentifier(main))
            } else {
                ProgressView().accessibilityLabel(Text("app.opening"))
            }
        }
    }

    private var sheetShown: Binding<Bool> {
        Binding(get: { app.state.sheet != nil }, set: { shown in if !shown { app.dismissSheet() } })
    }
}

/// While the server refuses this version: how to update, with the App Store link.
struct UpdateNotice: View {
    @ObservedObject var app: AppModel

    var body: some View {
        if let notice = app.updateNotice {
            VStack(alignment: .leading, spacing: 8) {
                ScreenTextView(notice).foregroundStyle(.red)
                Link(destination: app.appStore) {
                    Text("update.open_store").frame(maxWidth: .infinity)
                }
                .buttonStyle(.borderedProminent)
            }
            .padding()
            .frame(maxWidth: .infinity, alignment: .leading)
            .background(.thinMaterial)
        }
    }
}

/// The family's urgent check in a sheet, owning its model for as long as it shows.
struct UrgentCheckScreen: View {
    @StateObject private var model: UrgentCheckModel

    init(service: any MimamoriService) {
        _model = StateObject(wrappedValue: UrgentCheckModel(service: service))
    }

    var body: some View {
        UrgentCheckView(model: model)
    }
}
