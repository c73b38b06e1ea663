// The iOS app's entry point: registers the background refresh and the notification
// delegate at launch (AppDelegate), opens the one phone core (AppServices) off the
// main actor, then shows the root screen the navigation model picks — start,
// registration, login or the tabs — in the language chosen in the settings (Japanese
// unless the phone prefers English). The leaflet's link (universal link or the
// `mimamori:` URL) is handled on every screen. When the app comes to the foreground
// the reminder is brought up to date and waiting reports are sent.
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
        Group {
            switch opening {
            case .opening:
                ProgressView().accessibilityLabel(Text("app.opening"))
            case let .failed(error):
                ServiceErrorText(error: error).padding()
            case let .ready(environment):
                // A new language rebuilds the screens, whose models load the core's
                // wording again in it.
                RootView(environment: environment).id(languageChoice)
            }
        }
        .environment(\.locale, Locale(identifier: AppServices.shared.preferences.language() == .en ? "en" : "ja"))
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

/// Everything the screens share: the service, the preferences, the reminder's
/// scheduler, the sync job and the navigation model.
@MainActor
final class AppEnvironment {
    let service: CoreMimamoriService
    let preferences: AppPreferences
    let reminders: ReminderScheduler
    let sync: BackgroundSync
    let app: AppModel

    private init(service: CoreMimamoriService, preferences: AppPreferences, reminders: ReminderScheduler, sync: BackgroundSync) {
        self.service = service
        self.preferences = preferences
        self.reminders = reminders
        self.sync = sync
        self.app = AppModel(service: service, reminders: reminders)
    }

    static func make() async throws -> AppEnvironment {
        let services = AppServices.shared
        return AppEnvironment(
            service: try await services.service(), preferences: services.preferences,
            reminders: try await services.reminders(), sync: try await services.job()
        )
    }

    /// Sends waiting reports now (after a save, when the network returns, on opening).
    func syncSoon() async {
        app.handle(await sync.run(stop: SyncStop()))
    }
}

/// The root screen the navigation model picks, the sheets over it, and the leaflet's link.
struct RootView: View {
    let environment: AppEnvironment
    @ObservedObject private var app: AppModel
    @Environment(\.scenePhase) private var scenePhase

    init(environment: AppEnvironment) {
        self.environment = environment
        _app = ObservedObject(wrappedValue: environment.app)
    }

    var body: some View {
        Group {
            if app.state.updateRequired {
                ServiceErrorText(error: .updateRequired(reason: "")).padding()
            }
            switch app.state.screen {
            case .loading:
                ProgressView().accessibilityLabel(Text("app.opening"))
            case .start:
                StartView(app: app, service: environment.service)
            case .registration:
                RegistrationView(environment: environment)
            case .login:
                LoginView(environment: environment)
            case .main:
                MainTabs(environment: environment)
            }
        }
        .sheet(isPresented: sheetShown) {
            NavigationStack {
                switch app.state.sheet {
                case .urgentCheck?:
                    UrgentCheckScreen(service: environment.service)
                case .emergencyContact?, nil:
                    EmergencyContactView(model: app.contact)
                }
            }
        }
        .onOpenURL { url in
            Task { await app.open(url: url) }
        }
        .task { await app.load() }
        .onChange(of: scenePhase) { phase in
            guard phase == .active else { return }
            Task {
                await environment.reminders.reschedule()
                await environment.syncSoon()
            }
        }
    }

    private var sheetShown: Binding<Bool> {
        Binding(get: { app.state.sheet != nil }, set: { shown in if !shown { app.dismissSheet() } })
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
