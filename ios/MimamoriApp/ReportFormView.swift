// The daily report form (健康記録): whose report it is, the kind of person, the
// temperature and the nine questions, worded by the core, with the core's message
// under any refused field; then a confirm step with every answer once more; after
// saving (offline first), the advice — "call now" shows the number with tap-to-call —
// and a button back to home. Draws this visit's ReportFormModel and forwards taps;
// whose report it is and "back to home" are the signed-in app's actions.
import MimamoriKit
import MobileCore
import SwiftUI

struct ReportFormView: View {
    @ObservedObject var model: ReportFormModel
    let onPerson: (String) -> Void
    let onDone: () -> Void

    var body: some View {
        let state = model.state
        Form {
            if state.loading {
                ProgressView()
            } else if let advice = state.advice {
                Section {
                    Text("report.saved").font(.headline).accessibilityAddTraits(.isHeader)
                    AdviceSection(advice: advice)
                    Button("report.done", action: onDone)
                }
            } else if state.confirming {
                confirmStep(state)
            } else {
                formStep(state)
            }
        }
        .navigationTitle(Text("report.title"))
        .task { if model.state.loading { await model.load() } }
    }

    @ViewBuilder
    private func confirmStep(_ state: ReportFormModel.State) -> some View {
        Section {
            Text("report.confirm.title").font(.headline).accessibilityAddTraits(.isHeader)
            if let name = state.people.first(where: { $0.personId == state.personId })?.name {
                Text(verbatim: name)
            }
            if let kind = state.kinds.first(where: { $0.kind == state.kind }) {
                Text(kind.label)
            }
            Text("report.confirm.temperature \(state.temperature)")
            ForEach(Array(state.questions.enumerated()), id: \.element.id) { index, question in
                VStack(alignment: .leading) {
                    Text(verbatim: "\(question.number). \(question.text)").font(.footnote)
                    Text(verbatim: model.answerLabel(index) ?? "—").bold()
                }
                .accessibilityElement(children: .combine)
            }
        }
        if let error = state.error {
            Section { ServiceErrorText(error: error) }
        }
        Section {
            Button {
                Task { await model.submit() }
            } label: {
                Text(state.saving ? "report.saving" : "report.submit").frame(maxWidth: .infinity)
            }
            .disabled(state.saving)
            Button("report.confirm.edit") { model.edit() }
        }
    }

    @ViewBuilder
    private func formStep(_ state: ReportFormModel.State) -> some View {
        if let error = state.error {
            Section { ServiceErrorText(error: error) }
        }
        if let message = state.formError {
            Section { Text(message).foregroundStyle(.red) }
        }
        if state.people.count > 1 {
            Section("report.person") {
                Picker("report.person", selection: Binding(get: { model.state.personId }, set: { onPerson($0) })) {
                    ForEach(state.people, id: \.personId) { person in
                        Text(person.name).tag(person.personId)
                    }
                }
                .labelsHidden()
            }
        }
        Section("report.kind") {
            Picker("report.kind", selection: kindBinding) {
                ForEach(state.kinds, id: \.kind) { kind in
                    Text(kind.label).tag(Optional(kind.kind))
                }
            }
            .pickerStyle(.inline)
            .labelsHidden()
        }
        Section("report.temperature") {
            HStack {
                TextField("report.temperature.hint", text: temperatureBinding)
                    .keyboardType(.decimalPad)
                    .accessibilityLabel(Text("report.temperature"))
                Text(verbatim: "℃").accessibilityHidden(true)
            }
            if let message = state.temperatureError {
                Text(message).font(.footnote).foregroundStyle(.red)
            }
        }
        ForEach(Array(state.questions.enumerated()), id: \.element.id) { index, question in
            Section {
                Picker(selection: answerBinding(index)) {
                    ForEach(question.options, id: \.code) { option in
                        Text(option.label).tag(Optional(option.choice))
                    }
                } label: {
                    Text(verbatim: "\(question.number). \(question.text)")
                }
                .pickerStyle(.inline)
                if let message = state.answerError(question.id) {
                    Text(message).font(.footnote).foregroundStyle(.red)
                }
            }
        }
        Section {
            Button {
                model.review()
            } label: {
                Text("report.review").frame(maxWidth: .infinity)
            }
        }
    }

    private var kindBinding: Binding<PersonKind?> {
        Binding(get: { model.state.kind }, set: { kind in if let kind { model.selectKind(kind) } })
    }

    private var temperatureBinding: Binding<String> {
        Binding(get: { model.state.temperature }, set: { model.setTemperature($0) })
    }

    private func answerBinding(_ index: Int) -> Binding<AnswerChoice?> {
        Binding(
            get: { model.state.answers.indices.contains(index) ? model.state.answers[index] : nil },
            set: { choice in if let choice { model.answer(index, choice) } }
        )
    }
}
