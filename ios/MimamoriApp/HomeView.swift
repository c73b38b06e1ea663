// Home: whose day it is, reported today or not, the latest advice as the core words
// it, a large button that dials the emergency number, and the upload queue — waiting,
// last sent, reports the server refused with its reasons, "send now" and "retry".
// Draws TodayModel's state and forwards taps.
import MimamoriKit
import MobileCore
import SwiftUI

struct HomeView: View {
    @ObservedObject var model: TodayModel
    let onReport: () -> Void
    let onUrgentCheck: () -> Void
    let onPerson: (String) -> Void

    var body: some View {
        let state = model.state
        ScrollView {
            VStack(alignment: .leading, spacing: 16) {
                if state.loading {
                    ProgressView()
                }
                if state.people.count > 1 {
                    Picker("home.person", selection: Binding(get: { model.state.personId }, set: { onPerson($0) })) {
                        ForEach(state.people, id: \.personId) { person in
                            Text(person.name).tag(person.personId)
                        }
                    }
                    .pickerStyle(.menu)
                }
                if let date = state.localDate {
                    Text(date).foregroundStyle(.secondary)
                }
                if let error = state.error {
                    ServiceErrorText(error: error)
                }
                Text(state.reportedToday ? "today.reported" : "today.notReported")
                    .font(.title3.bold())
                    .accessibilityAddTraits(.isHeader)
                if let advice = state.advice {
                    AdviceSection(advice: advice)
                }
                if !state.showEmergencyNumber {
                    EmergencyNumberCard(contact: state.emergency)
                }
                Button(action: onReport) {
                    Text(state.reportedToday ? "today.reportAgain" : "today.report").frame(maxWidth: .infinity)
                }
                .buttonStyle(.borderedProminent)
                .controlSize(.large)
                Button(action: onUrgentCheck) {
                    Text("today.urgentCheck").frame(maxWidth: .infinity)
                }
                .buttonStyle(.bordered)
                SyncStatusSection(model: model)
            }
            .padding()
        }
        .navigationTitle(Text("today.title"))
        .refreshable { await model.refresh() }
    }
}

/// The upload queue: waiting, last sent, refused reports with reasons, send and retry.
struct SyncStatusSection: View {
    @ObservedObject var model: TodayModel

    var body: some View {
        let state = model.state
        VStack(alignment: .leading, spacing: 8) {
            Text("sync.title").font(.headline).accessibilityAddTraits(.isHeader)
            if let sync = state.sync {
                if sync.pending > 0 {
                    Text("today.pending \(Int(clamping: sync.pending))")
                } else {
                    Text("sync.nothingWaiting")
                }
                if let last = sync.lastSuccessAt {
                    Text("sync.lastSent \(localTimeText(last))").font(.footnote)
                } else {
                    Text("sync.neverSent").font(.footnote)
                }
            }
            if let error = state.syncError {
                ServiceErrorText(error: error)
            }
            if !state.failed.isEmpty {
                Text("sync.failed \(state.failed.count)").font(.subheadline.bold())
                ForEach(state.failed, id: \.report.reportId) { failed in
                    VStack(alignment: .leading) {
                        Text(verbatim: failed.report.localDate).font(.footnote.bold())
                        Text(failed.reason).font(.footnote)
                    }
                    .accessibilityElement(children: .combine)
                }
                Button("sync.retry") { Task { await model.retryFailed() } }
                    .disabled(state.syncing)
            }
            Button {
                Task { await model.syncNow() }
            } label: {
                Text(state.syncing ? "sync.sending" : "sync.now")
            }
            .disabled(state.syncing)
        }
        .padding()
        .frame(maxWidth: .infinity, alignment: .leading)
        .background(Color(.secondarySystemBackground), in: RoundedRectangle(cornerRadius: 12))
    }
}
