// The signed-in app's five places: home, the daily report, the household, the history
// and the settings. Whose report is made is chosen on home or in the household and
// carried to the report form and the history. After a save the waiting reports are
// sent and the reminder is rescheduled; an ended session goes to the login screen.
import MimamoriKit
import MobileCore
import SwiftUI

struct MainTabs: View {
    private enum Tab: Hashable {
        case home, report, household, history, settings
    }

    let environment: AppEnvironment
    @State private var tab = Tab.home
    @StateObject private var today: TodayModel
    @StateObject private var form: ReportFormModel
    @StateObject private var household: HouseholdModel
    @StateObject private var history: HistoryModel
    @StateObject private var settings: SettingsModel
    @StateObject private var rights: DataRequestsModel

    init(environment: AppEnvironment) {
        self.environment = environment
        let service = environment.service
        _today = StateObject(wrappedValue: TodayModel(service: service))
        _form = StateObject(wrappedValue: ReportFormModel(service: service, preferredKind: environment.app.state.chosenKind))
        _household = StateObject(wrappedValue: HouseholdModel(service: service))
        _history = StateObject(wrappedValue: HistoryModel(service: service))
        _settings = StateObject(wrappedValue: SettingsModel(
            service: service, preferences: environment.preferences, reminders: environment.reminders))
        _rights = StateObject(wrappedValue: DataRequestsModel(service: service))
    }

    var body: some View {
        TabView(selection: $tab) {
            NavigationStack {
                VStack(spacing: 0) {
                    ReminderOffer(app: environment.app)
                    HomeView(model: today, onReport: { tab = .report }, onUrgentCheck: { environment.app.showUrgentCheck() },
                             onPerson: { person in Task { await choose(person) } })
                }
            }
            .tabItem { Label("tab.home", systemImage: "house") }
            .tag(Tab.home)

            NavigationStack {
                ReportFormView(model: form) {
                    form.startNew()
                    tab = .home
                    Task { await today.refresh() }
                }
            }
            .tabItem { Label("tab.report", systemImage: "square.and.pencil") }
            .tag(Tab.report)

            NavigationStack {
                HouseholdView(model: household) { person in
                    Task { await choose(person) }
                    tab = .report
                }
            }
            .tabItem { Label("tab.household", systemImage: "person.2") }
            .tag(Tab.household)

            NavigationStack {
                HistoryView(model: history)
            }
            .tabItem { Label("tab.history", systemImage: "chart.xyaxis.line") }
            .tag(Tab.history)

            NavigationStack {
                SettingsView(model: settings, contact: environment.app.contact, rights: rights) {
                    environment.app.signedOut()
                }
            }
            .tabItem { Label("tab.settings", systemImage: "gearshape") }
            .tag(Tab.settings)
        }
        .task {
            form.onSaved = {
                await environment.reminders.reschedule()
                await environment.syncSoon()
                await today.refresh()
            }
            await today.refresh()
        }
        .onChange(of: today.state.needsLogin) { needsLogin in
            if needsLogin, let error = today.state.error ?? today.state.syncError {
                environment.app.handle(error)
            }
        }
    }

    /// Makes `personId` the person whose day, report and history are shown.
    private func choose(_ personId: String) async {
        household.select(personId)
        await form.selectPerson(personId)
        await today.select(personId: personId)
        await history.load(personId: personId)
    }
}

/// Why the daily reminder needs notifications, shown after registration or sign-in
/// before the system's dialog; "allow" then asks, "later" leaves it to Settings.
struct ReminderOffer: View {
    @ObservedObject var app: AppModel

    var body: some View {
        if app.state.offeringReminder {
            VStack(alignment: .leading, spacing: 8) {
                Text("notify.title").font(.headline).accessibilityAddTraits(.isHeader)
                Text("notify.why")
                HStack {
                    Button("notify.allow") { Task { await app.allowReminder() } }
                        .buttonStyle(.borderedProminent)
                    Button("notify.later") { app.reminderLater() }
                }
            }
            .padding()
            .frame(maxWidth: .infinity, alignment: .leading)
            .background(.thinMaterial)
        }
    }
}
