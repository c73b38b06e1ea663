// The person's requests about their data (開示・訂正・利用停止), reached from Settings
// next to the data-handling notice: the form (kind; for a correction the item, for a
// temperature one of the reports sent to the centre, and what it should be; an
// optional note), a confirm step, the list of one's requests with their status and
// the centre's answer or reason, and the disclosure of what the centre holds (every
// record: the notification, contacts, handlings, calls, who read it).
// Draws DataRequestsModel's state and forwards taps.
import MimamoriKit
import MobileCore
import SwiftUI

struct DataRequestsView: View {
    @ObservedObject var model: DataRequestsModel

    var body: some View {
        let state = model.state
        Form {
            if let error = state.error {
                Section { ServiceErrorText(error: error) }
            }
            if state.filed != nil {
                Section { Text("rights.filed").foregroundStyle(.tint) }
            }
            if state.confirming {
                Section("rights.confirm.title") {
                    Text(kindKey(state.kind))
                    if state.correcting, let field = state.item {
                        LabeledContent { Text(fieldKey(field)) } label: { Text("rights.item") }
                        if let report = state.reports.first(where: { $0.reportId == state.reportId }) {
                            Text(verbatim: line(report))
                        }
                        LabeledContent { Text(verbatim: state.value) } label: { Text("rights.value") }
                    }
                    if !state.note.isEmpty {
                        LabeledContent { Text(verbatim: state.note) } label: { Text("rights.note") }
                    }
                    Button("rights.send") { Task { await model.send() } }.disabled(state.sending)
                    Button("rights.edit") { model.back() }
                }
            } else {
                form(state)
            }
            Section("rights.requests") {
                if state.requests.isEmpty && !state.loading { Text("rights.requests.none") }
                ForEach(state.requests, id: \.id) { request in RequestRow(request: request) }
            }
            Section {
                Button("rights.disclosure.open") { Task { await model.loadDisclosure() } }.disabled(state.loadingDisclosure)
            }
            if let disclosure = state.disclosure {
                DisclosureSections(disclosure: disclosure)
            }
        }
        .navigationTitle(Text("rights.title"))
        .task { await model.load() }
    }

    @ViewBuilder
    private func form(_ state: DataRequestsModel.State) -> some View {
        Section("rights.kind") {
            Picker("rights.kind", selection: Binding(get: { model.state.kind }, set: { model.setKind($0) })) {
                ForEach([DataRequestKind.disclosure, .correction, .suspension], id: \.self) { Text(kindKey($0)).tag($0) }
            }
            .pickerStyle(.inline)
            .labelsHidden()
            if let message = state.message("kind") { Text(verbatim: message).foregroundStyle(.red) }
        }
        if state.correcting {
            Section("rights.correction") {
                Picker("rights.item", selection: Binding(get: { model.state.field }, set: { model.setItem($0) })) {
                    Text(verbatim: "—").tag(CorrectionField?.none)
                    ForEach([CorrectionField.name, .nameReading, .dateOfBirth, .phone, .email, .temperature], id: \.self) {
                        Text(fieldKey($0)).tag(CorrectionField?.some($0))
                    }
                }
                if let message = state.message("item") { Text(verbatim: message).foregroundStyle(.red) }
                if state.pickingReport {
                    Picker("rights.report", selection: Binding(get: { model.state.reportId ?? "" }, set: { model.pickReport($0) })) {
                        Text(verbatim: "—").tag("")
                        ForEach(state.reports, id: \.reportId) { Text(verbatim: line($0)).tag($0.reportId) }
                    }
                    if state.reports.isEmpty { Text("rights.noReports").font(.footnote) }
                    if let message = state.message("report_id") { Text(verbatim: message).foregroundStyle(.red) }
                }
                TextField("rights.value", text: Binding(get: { model.state.value }, set: { model.setValue($0) }))
                if let message = state.message("value") { Text(verbatim: message).foregroundStyle(.red) }
            }
        }
        Section {
            TextField("rights.note", text: Binding(get: { model.state.note }, set: { model.setNote($0) }), axis: .vertical)
            if let message = state.message("note") { Text(verbatim: message).foregroundStyle(.red) }
            Button("rights.review") { model.confirm() }
        }
    }

    private func line(_ report: StoredReport) -> String {
        "\(report.localDate)  \(report.temperatureTenths / 10).\(report.temperatureTenths % 10)℃"
    }
}

/// One request: what, when, where it stands and the centre's answer.
private struct RequestRow: View {
    let request: DataRequestView

    var body: some View {
        VStack(alignment: .leading, spacing: 2) {
            if let item = request.fieldLabel {
                Text(verbatim: "\(request.kindLabel)（\(item)\(request.value.map { ": \($0)" } ?? "")）").font(.headline)
            } else {
                Text(verbatim: request.kindLabel).font(.headline)
            }
            Text("rights.filedAt \(localTimeText(request.filedAt))").font(.footnote)
            Text("rights.status \(request.statusLabel)")
            if let value = request.correctedValue { Text("rights.correctedValue \(value)") }
            if let reason = request.reason { Text("rights.reason \(reason)") }
        }
    }
}

/// What the centre holds, as its page shows it.
private struct DisclosureSections: View {
    let disclosure: DisclosureView

    var body: some View {
        Section("rights.details") {
            if disclosure.suspended { Text("rights.suspended") }
            LabeledContent { Text(verbatim: disclosure.name) } label: { Text("rights.item.name") }
            LabeledContent { Text(verbatim: disclosure.nameReading) } label: { Text("rights.item.nameReading") }
            LabeledContent { Text(verbatim: disclosure.dateOfBirth) } label: { Text("rights.item.dateOfBirth") }
            LabeledContent { Text(verbatim: disclosure.phone) } label: { Text("rights.item.phone") }
            if let email = disclosure.email {
                LabeledContent { Text(verbatim: email) } label: { Text("rights.item.email") }
            }
            LabeledContent { Text(verbatim: "\(disclosure.periodStart) – \(disclosure.periodEnd)") } label: { Text("rights.period") }
            LabeledContent { Text(verbatim: disclosure.centreName) } label: { Text("rights.centre") }
        }
        if !disclosure.corrections.isEmpty {
            Section("rights.corrections") {
                ForEach(disclosure.corrections, id: \.at) { c in
                    Text(verbatim: "\(c.fieldLabel): \(c.original) → \(c.corrected)")
                }
            }
        }
        Section("rights.reports") {
            ForEach(disclosure.reports, id: \.reportId) { r in
                HStack {
                    Text(verbatim: "\(r.localDate)  \(r.temperature)℃")
                    if let corrected = r.correctedTemperature {
                        Text("rights.correctedBeside \(corrected)").foregroundStyle(.tint)
                    }
                }
            }
        }
        // Everything else held, as the server words it: each record as "column: value".
        ForEach(disclosure.sections, id: \.id) { section in
            Section {
                if section.rows.isEmpty { Text("rights.section.empty") }
                ForEach(Array(section.rows.enumerated()), id: \.offset) { _, row in
                    VStack(alignment: .leading, spacing: 2) {
                        ForEach(Array(zip(section.columns, row).enumerated()), id: \.offset) { _, cell in
                            if !cell.1.isEmpty { Text(verbatim: "\(cell.0): \(cell.1)") }
                        }
                    }
                }
            } header: {
                Text(verbatim: "\(section.title) (\(section.rows.count))")
            }
        }
        Section("rights.disclosure.requests") {
            ForEach(disclosure.requests, id: \.id) { request in RequestRow(request: request) }
        }
    }
}

private func kindKey(_ kind: DataRequestKind) -> LocalizedStringKey {
    switch kind {
    case .disclosure: return "rights.kind.disclosure"
    case .correction: return "rights.kind.correction"
    case .suspension: return "rights.kind.suspension"
    }
}

private func fieldKey(_ field: CorrectionField) -> LocalizedStringKey {
    switch field {
    case .name: return "rights.item.name"
    case .nameReading: return "rights.item.nameReading"
    case .dateOfBirth: return "rights.item.dateOfBirth"
    case .phone: return "rights.item.phone"
    case .email: return "rights.item.email"
    case .temperature: return "rights.item.temperature"
    }
}
