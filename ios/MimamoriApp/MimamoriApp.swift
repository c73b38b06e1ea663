// The iOS app's entry point: opens the phone core's database once, off the main actor,
// in Application Support, then shows three tabs — today, the daily report form and the
// family's urgent-symptom check. A database that cannot be opened is explained instead
// of silently replaced. The core's language follows the phone's.
import MimamoriKit
import MobileCore
import SwiftUI

@main
struct MimamoriApp: App {
    var body: some Scene {
        WindowGroup {
            RootView()
        }
    }
}

/// Waits for the core, then shows the tabs.
struct RootView: View {
    private enum Opening {
        case opening
        case failed(ServiceError)
        case ready(CoreMimamoriService)
    }

    @State private var opening = Opening.opening

    var body: some View {
        Group {
            switch opening {
            case .opening:
                ProgressView()
            case let .failed(error):
                ServiceErrorText(error: error).padding()
            case let .ready(service):
                MainTabs(service: service)
            }
        }
        .task { await open() }
    }

    private func open() async {
        guard case .opening = opening else { return }
        do {
            let folder = try FileManager.default.url(
                for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true
            )
            let path = folder.appendingPathComponent("mimamori.db").path
            opening = .ready(try await CoreMimamoriService.open(path: path, language: phoneLanguage))
        } catch let error as ServiceError {
            opening = .failed(error)
        } catch {
            opening = .failed(.storage(detail: "application support folder"))
        }
    }
}

/// English when the phone is set to English, Japanese otherwise.
@Sendable
func phoneLanguage() -> Language {
    Locale.current.language.languageCode?.identifier == "en" ? .en : .ja
}

/// The app's three places.
struct MainTabs: View {
    private enum Tab: Hashable {
        case today, report, urgent
    }

    @State private var tab = Tab.today
    @StateObject private var today: TodayModel
    @StateObject private var form: ReportFormModel
    @StateObject private var urgent: UrgentCheckModel

    init(service: any MimamoriService) {
        _today = StateObject(wrappedValue: TodayModel(service: service))
        _form = StateObject(wrappedValue: ReportFormModel(service: service))
        _urgent = StateObject(wrappedValue: UrgentCheckModel(service: service))
    }

    var body: some View {
        TabView(selection: $tab) {
            NavigationStack {
                TodayView(model: today, onReport: { tab = .report }, onUrgentCheck: { tab = .urgent })
            }
            .tabItem { Label("tab.today", systemImage: "house") }
            .tag(Tab.today)

            NavigationStack {
                ReportFormView(model: form) {
                    form.startNew()
                    tab = .today
                    Task { await today.refresh() }
                }
            }
            .tabItem { Label("tab.report", systemImage: "square.and.pencil") }
            .tag(Tab.report)

            NavigationStack {
                UrgentCheckView(model: urgent)
            }
            .tabItem { Label("tab.urgent", systemImage: "exclamationmark.triangle") }
            .tag(Tab.urgent)
        }
        .task { await today.refresh() }
    }
}
